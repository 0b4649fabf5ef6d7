/* UTC time in milliseconds since the epoch, with the MAMORI_NOW override for tests and demos. */
#ifndef MM_TIME_H
#define MM_TIME_H

#include <stddef.h>
#include <stdint.h>

#define MM_TIME_STRLEN 32 /* "2026-11-22T07:20:14.123Z" plus room */

/*
 * The current time. When the environment variable MAMORI_NOW holds an ISO 8601 time
 * (e.g. 2027-04-01T09:00:00+09:00) that time is returned instead, so tests can move the clock.
 * MAMORI_NOW=@FILE reads the time from FILE at every call (a clock a test moves while a server runs).
 */
int64_t mm_now_ms(void);

/* Formats ms as ISO 8601 UTC with milliseconds: 2026-11-22T07:20:14.123Z. */
void mm_time_format(int64_t ms, char out[MM_TIME_STRLEN]);

/*
 * Parses YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM), or a bare date YYYY-MM-DD (midnight UTC).
 * Times before 1900 or after 9999 (in UTC) are refused. Returns 0 or MM_EINVAL.
 */
int mm_time_parse(const char *s, int64_t *ms);

/* Japan Standard Time, where the company's calendar dates (leave dates, due dates) fall. */
#define MM_LOCAL_OFFSET_MS (9 * 3600000LL)

/* The first millisecond of a local (Japan) calendar date YYYY-MM-DD. 0 or MM_EINVAL. */
int mm_local_date_start(const char *date, int64_t *ms);

/* Days since 1970-01-01 for a proleptic Gregorian date (no time zone involved). */
int64_t mm_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
