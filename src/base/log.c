#include "base/log.h"
#include "base/time.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int log_level = -1;

void
mm_log_set_level(enum mm_log_level level)
{
	log_level = (int)level;
}

static int
level_from_env(void)
{
	const char *v = getenv("MAMORI_LOG");

	if (v == NULL)
		return MM_LOG_INFO;
	if (strcmp(v, "debug") == 0)
		return MM_LOG_DEBUG;
	if (strcmp(v, "warn") == 0)
		return MM_LOG_WARN;
	if (strcmp(v, "error") == 0)
		return MM_LOG_ERROR;
	return MM_LOG_INFO;
}

void
mm_log(enum mm_log_level level, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char line[1024], when[MM_TIME_STRLEN];
	va_list ap;

	if (log_level < 0)
		log_level = level_from_env();
	if ((int)level < log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	mm_time_format(mm_now_ms(), when);
	fprintf(stderr, "%s %s %s\n", when, names[level], line);
}
