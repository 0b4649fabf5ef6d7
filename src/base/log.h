/* Diagnostics to stderr (journald picks them up). Never pass secrets or My Numbers here. */
#ifndef MM_LOG_H
#define MM_LOG_H

enum mm_log_level { MM_LOG_DEBUG, MM_LOG_INFO, MM_LOG_WARN, MM_LOG_ERROR };

/* Sets the lowest level written; MAMORI_LOG=debug|info|warn|error sets it at start. */
void mm_log_set_level(enum mm_log_level level);

/* Writes one line: time, level, message. Lines longer than 1 KiB are cut. */
void mm_log(enum mm_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define mm_log_info(...) mm_log(MM_LOG_INFO, __VA_ARGS__)
#define mm_log_warn(...) mm_log(MM_LOG_WARN, __VA_ARGS__)
#define mm_log_error(...) mm_log(MM_LOG_ERROR, __VA_ARGS__)
#define mm_log_debug(...) mm_log(MM_LOG_DEBUG, __VA_ARGS__)

#endif
