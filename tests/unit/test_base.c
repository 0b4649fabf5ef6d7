/* Unit tests of src/base: capped buffers, UTC time, hex, UTF-8 checks, strings and files. */
#include "unit.h"

#include "base/buf.h"
#include "base/embed.h"
#include "base/err.h"
#include "base/fs.h"
#include "base/json_out.h"
#include "base/str.h"
#include "base/time.h"
#include "crypto/crypto.h"

#include <jansson.h>
#include <time.h>
#include <unistd.h>

/* ---- buffers ---- */

static void
test_buf_append_up_to_max(void **state)
{
	struct mm_buf b;

	(void)state;
	mm_buf_init(&b, 8);
	assert_int_equal(mm_buf_append(&b, "abcd", 4), 0);
	assert_int_equal(mm_buf_puts(&b, "efgh"), 0);
	assert_int_equal(b.b_len, 8);
	assert_string_equal(b.b_data, "abcdefgh"); /* NUL-terminated */
	assert_true(b.b_cap <= b.b_max + 1);       /* never allocates past the maximum */
	mm_buf_free(&b);
}

static void
test_buf_append_past_max_leaves_buffer_unchanged(void **state)
{
	struct mm_buf b;

	(void)state;
	mm_buf_init(&b, 8);
	assert_int_equal(mm_buf_puts(&b, "abcdef"), 0);
	assert_int_equal(mm_buf_append(&b, "xyz", 3), MM_ETOOBIG);
	assert_int_equal(b.b_len, 6);
	assert_string_equal(b.b_data, "abcdef");
	assert_int_equal(mm_buf_puts(&b, "gh"), 0); /* exactly the maximum still fits */
	assert_int_equal(mm_buf_puts(&b, "i"), MM_ETOOBIG);
	mm_buf_free(&b);
}

static void
test_buf_zero_max_refuses_any_byte(void **state)
{
	struct mm_buf b;

	(void)state;
	mm_buf_init(&b, 0);
	assert_int_equal(mm_buf_append(&b, "x", 1), MM_ETOOBIG);
	assert_int_equal(b.b_len, 0);
	mm_buf_free(&b);
}

static void
test_buf_printf_respects_max(void **state)
{
	struct mm_buf b;

	(void)state;
	mm_buf_init(&b, 10);
	assert_int_equal(mm_buf_printf(&b, "%d-%s", 42, "ab"), 0);
	assert_string_equal(b.b_data, "42-ab");
	assert_int_equal(mm_buf_printf(&b, "%s", "123456"), MM_ETOOBIG);
	assert_string_equal(b.b_data, "42-ab");
	assert_int_equal(b.b_len, 5);
	assert_int_equal(mm_buf_printf(&b, "%05d", 7), 0);
	assert_string_equal(b.b_data, "42-ab00007");
	mm_buf_free(&b);
}

static void
test_buf_grows_across_many_appends(void **state)
{
	struct mm_buf b;
	char chunk[100];

	(void)state;
	memset(chunk, 'q', sizeof(chunk));
	mm_buf_init(&b, 10000);
	for (int i = 0; i < 100; i++)
		assert_int_equal(mm_buf_append(&b, chunk, sizeof(chunk)), 0);
	assert_int_equal(b.b_len, 10000);
	assert_int_equal(b.b_data[9999], 'q');
	assert_int_equal(b.b_data[10000], '\0');
	assert_true(b.b_cap <= b.b_max + 1);
	assert_int_equal(mm_buf_append(&b, chunk, 1), MM_ETOOBIG);
	mm_buf_free(&b);
}

static void
test_buf_reset_empties_and_keeps_memory(void **state)
{
	struct mm_buf b;
	char *before;

	(void)state;
	mm_buf_init(&b, 64);
	assert_int_equal(mm_buf_puts(&b, "secret"), 0);
	before = b.b_data;
	mm_buf_reset(&b);
	assert_int_equal(b.b_len, 0);
	assert_ptr_equal(b.b_data, before);
	assert_string_equal(b.b_data, "");
	mm_buf_free(&b);
}

static void
test_buf_take_hands_over_memory(void **state)
{
	struct mm_buf b;
	char *p;

	(void)state;
	mm_buf_init(&b, 64);
	assert_int_equal(mm_buf_puts(&b, "hello"), 0);
	p = mm_buf_take(&b);
	assert_non_null(p);
	assert_string_equal(p, "hello");
	assert_null(b.b_data);
	assert_int_equal(b.b_len, 0);
	/* the emptied buffer keeps its maximum and can be used again */
	assert_int_equal(mm_buf_puts(&b, "again"), 0);
	assert_string_equal(b.b_data, "again");
	free(p);
	mm_buf_free(&b);
}

static void
test_buf_take_of_empty_buffer_is_empty_string(void **state)
{
	struct mm_buf b;
	char *p;

	(void)state;
	mm_buf_init(&b, 16);
	p = mm_buf_take(&b); /* "never NULL on success" */
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
}

/*
 * mm_buf_free wipes before freeing; that cannot be observed without reading freed memory, so this
 * checks what can be: the buffer is left empty, a second free is harmless, and it can be reused.
 */
static void
test_buf_free_leaves_empty_reusable_buffer(void **state)
{
	struct mm_buf b;

	(void)state;
	mm_buf_init(&b, 32);
	assert_int_equal(mm_buf_puts(&b, "password=hunter2"), 0);
	mm_buf_free(&b);
	assert_null(b.b_data);
	assert_int_equal(b.b_len, 0);
	assert_int_equal(b.b_cap, 0);
	mm_buf_free(&b);
	assert_int_equal(mm_buf_puts(&b, "ok"), 0);
	assert_int_equal(b.b_max, 32);
	mm_buf_free(&b);
}

/* ---- time ---- */

static int64_t
parse_ok(const char *s)
{
	int64_t ms = 0;

	if (mm_time_parse(s, &ms) != 0)
		fail_msg("mm_time_parse refused \"%s\"", s);
	return ms;
}

static void
test_time_parse_utc(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-11-22T07:20:14Z"), 1795332014000LL);
	assert_int_equal(parse_ok("2026-11-22T07:20:14.123Z"), 1795332014123LL);
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
	/* a space instead of T, as sqlite3 prints times */
	assert_int_equal(parse_ok("2026-11-22 07:20:14Z"), 1795332014000LL);
}

static void
test_time_parse_fraction(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01T00:00:00.5Z"), 500);
	assert_int_equal(parse_ok("1970-01-01T00:00:00.05Z"), 50);
	assert_int_equal(parse_ok("1970-01-01T00:00:01.999Z"), 1999);
	/* digits past milliseconds are dropped, not rounded */
	assert_int_equal(parse_ok("1970-01-01T00:00:00.123999Z"), 123);
}

static void
test_time_parse_offsets(void **state)
{
	(void)state;
	/* the MAMORI_NOW example of design.md is 00:00 UTC */
	assert_int_equal(parse_ok("2027-04-01T09:00:00+09:00"), 1806537600000LL);
	assert_int_equal(parse_ok("2027-04-01T09:00:00+09:00"), parse_ok("2027-04-01T00:00:00Z"));
	assert_int_equal(parse_ok("2027-03-31T19:30:00-04:30"), parse_ok("2027-04-01T00:00:00Z"));
	assert_int_equal(parse_ok("2027-04-01T00:00:00+00:00"), parse_ok("2027-04-01T00:00:00Z"));
	assert_int_equal(parse_ok("2027-04-01T00:00:00-00:00"), parse_ok("2027-04-01T00:00:00Z"));
	/* an offset that moves the date back across a year end */
	assert_int_equal(parse_ok("2027-01-01T00:30:00+09:00"), 1798731000000LL);
}

static void
test_time_parse_bare_date_is_midnight_utc(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2027-04-01"), 1806537600000LL);
	assert_int_equal(parse_ok("2000-03-01"), 951868800000LL);
}

static void
test_time_parse_leap_years(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(parse_ok("2024-02-29"), 1709164800000LL);
	assert_int_equal(
	    parse_ok("2000-02-29") + 86400000LL, parse_ok("2000-03-01")); /* 400 rule */
	assert_int_equal(mm_time_parse("2023-02-29", &ms), MM_EINVAL);
	assert_int_equal(mm_time_parse("2100-02-29", &ms), MM_EINVAL); /* 100 rule */
	assert_int_equal(mm_time_parse("1900-02-29T00:00:00Z", &ms), MM_EINVAL);
	assert_int_equal(mm_time_parse("2024-02-30", &ms), MM_EINVAL);
}

static void
test_time_parse_range_edges(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(parse_ok("1900-01-01"), -2208988800000LL);
	assert_int_equal(parse_ok("9999-12-31T23:59:59.999Z"), 253402300799999LL);
	assert_int_equal(mm_time_parse("1899-12-31T23:59:59Z", &ms), MM_EINVAL);
	/* the limits are in UTC: an offset may push a 4-digit local time out of range */
	assert_int_equal(mm_time_parse("1900-01-01T08:00:00+09:00", &ms), MM_EINVAL);
	assert_int_equal(mm_time_parse("9999-12-31T20:00:00-05:00", &ms), MM_EINVAL);
}

static void
test_time_parse_refuses_bad_input(void **state)
{
	static const char *bad[] = {
	    "",
	    "2026",
	    "2026-01",
	    "26-01-01",
	    "2026-1-01",
	    "2026-01-1",
	    "2026/01/01",
	    "2026-01-01x",
	    " 2026-01-01",
	    "+2026-01-01",
	    "2026-13-01",
	    "2026-00-10",
	    "2026-01-00",
	    "2026-04-31",
	    "2026-01-01T",
	    "2026-01-01T12:00Z",
	    "2026-01-01T12:00:00",
	    "2026-01-01t12:00:00Z",
	    "2026-01-01T24:00:00Z",
	    "2026-01-01T12:60:00Z",
	    "2026-01-01T12:00:60Z",
	    "2026-01-01T12:00:00.Z",
	    "2026-01-01T12:00:00.123",
	    "2026-01-01T12:00:00Zjunk",
	    "2026-01-01T12:00:00z",
	    "2026-01-01T12:00:00+0900",
	    "2026-01-01T12:00:00+09",
	    "2026-01-01T12:00:00+24:00",
	    "2026-01-01T12:00:00+09:60",
	    "2026-01-01T12:00:00+09:00x",
	    "2026-01-01T1a:00:00Z",
	    "10000-01-01",
	    "２０２６-01-01",
	    "2026-01-01T12:00:00 Z",
	};
	int64_t ms;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mm_time_parse(bad[i], &ms) != MM_EINVAL)
			fail_msg("mm_time_parse accepted \"%s\"", bad[i]);
	assert_int_equal(mm_time_parse(NULL, &ms), MM_EINVAL);
}

static void
test_time_format(void **state)
{
	char out[MM_TIME_STRLEN];

	(void)state;
	mm_time_format(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00.000Z");
	mm_time_format(1795332014123LL, out);
	assert_string_equal(out, "2026-11-22T07:20:14.123Z");
	mm_time_format(-1, out); /* before the epoch: the day before, not a negative time of day */
	assert_string_equal(out, "1969-12-31T23:59:59.999Z");
	mm_time_format(-2208988800000LL, out);
	assert_string_equal(out, "1900-01-01T00:00:00.000Z");
	mm_time_format(1709164800000LL - 1, out);
	assert_string_equal(out, "2024-02-28T23:59:59.999Z");
	mm_time_format(1709164800000LL, out);
	assert_string_equal(out, "2024-02-29T00:00:00.000Z");
}

static void
test_time_format_parse_round_trip(void **state)
{
	static const char *in[] = {"2027-04-01T09:00:00+09:00", "1900-01-01",
	    "2000-02-29T23:59:59.001Z", "9999-12-31T23:59:59.999Z", "1969-07-20T20:17:40-05:00"};
	char out[MM_TIME_STRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		int64_t ms = parse_ok(in[i]);
		mm_time_format(ms, out);
		assert_int_equal(parse_ok(out), ms);
	}
}

static void
test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(mm_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(mm_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(mm_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(mm_days_from_civil(2024, 3, 1) - mm_days_from_civil(2024, 2, 1), 29);
	assert_int_equal(mm_days_from_civil(2100, 3, 1) - mm_days_from_civil(2100, 2, 1), 28);
}

static void
test_local_date_start_is_japan_midnight(void **state)
{
	int64_t ms;
	char out[MM_TIME_STRLEN];

	(void)state;
	assert_int_equal(mm_local_date_start("2027-04-01", &ms), 0);
	mm_time_format(ms, out);
	assert_string_equal(out, "2027-03-31T15:00:00.000Z");
	/* a calendar date only: a time has its own zone already */
	assert_int_equal(mm_local_date_start("2027-04-01T00:00:00Z", &ms), MM_EINVAL);
	assert_int_equal(mm_local_date_start("2027-02-29", &ms), MM_EINVAL);
	assert_int_equal(mm_local_date_start("2027/04/01", &ms), MM_EINVAL);
	assert_int_equal(mm_local_date_start(NULL, &ms), MM_EINVAL);
}

static void
test_now_honours_mamori_now(void **state)
{
	(void)state;
	setenv("MAMORI_NOW", "2027-04-01T09:00:00+09:00", 1);
	assert_int_equal(mm_now_ms(), 1806537600000LL);
	setenv("MAMORI_NOW", "2026-11-22T07:20:14.123Z", 1);
	assert_int_equal(mm_now_ms(), 1795332014123LL);
	unsetenv("MAMORI_NOW");
}

static void
assert_now_is_real_clock(void)
{
	int64_t real = (int64_t)time(NULL) * 1000, now = mm_now_ms();

	assert_true(now >= real - 5000 && now <= real + 5000);
}

static void
test_now_without_override_is_the_real_clock(void **state)
{
	(void)state;
	unsetenv("MAMORI_NOW");
	assert_now_is_real_clock();
	setenv("MAMORI_NOW", "", 1);
	assert_now_is_real_clock();
	/* a value that is not a time is ignored rather than freezing the clock at some default */
	setenv("MAMORI_NOW", "tomorrow", 1);
	assert_now_is_real_clock();
	unsetenv("MAMORI_NOW");
}

static void
test_now_from_clock_file(void **state)
{
	char path[UNIT_PATH_MAX], env[UNIT_PATH_MAX + 1];

	/* MAMORI_NOW=@FILE: a clock a test moves by rewriting the file while a server runs */
	unit_path(path, *state, "clock");
	snprintf(env, sizeof(env), "@%s", path);
	setenv("MAMORI_NOW", env, 1);
	unit_write_file(path, "2027-04-01T09:00:00+09:00\n", 26, 0600);
	assert_int_equal(mm_now_ms(), 1806537600000LL);
	unit_write_file(path, "2026-11-22T07:20:14.123Z", 24, 0600);
	assert_int_equal(mm_now_ms(), 1795332014123LL);
	/* an unreadable or wrong file falls back to the real clock */
	unit_write_file(path, "soon", 4, 0600);
	assert_now_is_real_clock();
	remove(path);
	assert_now_is_real_clock();
	unsetenv("MAMORI_NOW");
}

/* ---- hex ---- */

static void
test_hex_encode(void **state)
{
	static const unsigned char in[] = {0x00, 0x01, 0xab, 0xff, 0x7e};
	char out[2 * sizeof(in) + 1];

	(void)state;
	mm_hex_encode(out, in, sizeof(in));
	assert_string_equal(out, "0001abff7e");
	mm_hex_encode(out, in, 0);
	assert_string_equal(out, "");
}

static void
test_hex_decode(void **state)
{
	unsigned char out[3];

	(void)state;
	assert_int_equal(mm_hex_decode(out, 3, "00abFF"), 0); /* either case */
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0xab);
	assert_int_equal(out[2], 0xff);
}

static void
test_hex_decode_refuses_bad_input(void **state)
{
	unsigned char out[4];

	(void)state;
	assert_int_equal(mm_hex_decode(out, 3, "00abf"), MM_EINVAL);   /* short */
	assert_int_equal(mm_hex_decode(out, 3, "00abff0"), MM_EINVAL); /* long */
	assert_int_equal(mm_hex_decode(out, 3, "00abfg"), MM_EINVAL);
	assert_int_equal(mm_hex_decode(out, 3, "00 bff"), MM_EINVAL);
	assert_int_equal(mm_hex_decode(out, 2, "0x1f"), MM_EINVAL);
	assert_int_equal(mm_hex_decode(out, 1, ""), MM_EINVAL);
}

/* ---- UTF-8 ---- */

static long
utf8(const char *s, int allow_newline)
{
	return mm_utf8_check(s, strlen(s), allow_newline);
}

static void
test_utf8_counts_characters(void **state)
{
	(void)state;
	assert_int_equal(utf8("", 0), 0);
	assert_int_equal(utf8("abc", 0), 3);
	assert_int_equal(utf8("運用日誌", 0), 4);
	assert_int_equal(utf8("\xf0\x9f\x94\x92 lock", 0), 6); /* a 4-byte character is one */
	assert_int_equal(utf8("caf\xc3\xa9", 0), 4);
	assert_int_equal(utf8("\xc2\xa0", 0), 1); /* U+00A0, just above the C1 controls */
	assert_int_equal(utf8("\xed\x9f\xbf", 0), 1);     /* U+D7FF, just below the surrogates */
	assert_int_equal(utf8("\xee\x80\x80", 0), 1);     /* U+E000, just above them */
	assert_int_equal(utf8("\xf4\x8f\xbf\xbf", 0), 1); /* U+10FFFF, the last code point */
}

static void
test_utf8_cut_keeps_whole_characters(void **state)
{
	char a[] = "持出 USBメモリ", b[] = "abc", c[] = "\xf0\x9f\x94\x92\xf0\x9f\x94\x92";

	(void)state;
	mm_utf8_cut(a, 4);
	assert_string_equal(a, "持出 U");
	mm_utf8_cut(b, 3); /* exactly max: unchanged */
	assert_string_equal(b, "abc");
	mm_utf8_cut(c, 1); /* a 4-byte character is one */
	assert_string_equal(c, "\xf0\x9f\x94\x92");
}

static void
test_like_contains_escapes_wildcards(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(mm_like_contains("PC", out, sizeof(out)), 0);
	assert_string_equal(out, "%PC%");
	assert_int_equal(mm_like_contains("a_b%c\\d", out, sizeof(out)), 0);
	assert_string_equal(out, "%a\\_b\\%c\\\\d%");
	assert_int_equal(mm_like_contains("人事", out, sizeof(out)), 0);
	assert_string_equal(out, "%人事%");
	assert_int_equal(mm_like_contains("%%%%%%%%", out, 18), MM_ETOOBIG); /* needs 19 */
	assert_string_equal(out, "");
	assert_int_equal(mm_like_contains("%%%%%%%%", out, 19), 0);
}

static void
test_utf8_newlines_only_when_allowed(void **state)
{
	(void)state;
	assert_int_equal(utf8("a\tb", 0), 3); /* tab is always allowed */
	assert_int_equal(utf8("a\nb", 0), -1);
	assert_int_equal(utf8("a\nb", 1), 3);
	assert_int_equal(utf8("a\r\nb", 0), -1);
	assert_int_equal(utf8("a\r\nb", 1), 4);
}

static void
test_utf8_refuses_control_characters(void **state)
{
	static const char *bad[] = {"\x01", "a\x1b[31m", "\x7f", "\x08", "\x0b", "\x0c",
	    "\xc2\x80", "\xc2\x85" /* NEL */, "\xc2\x9f"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(utf8(bad[i], 1), -1);
	}
	assert_int_equal(mm_utf8_check("a\0b", 3, 1), -1); /* NUL inside the given length */
}

static void
test_utf8_refuses_overlong_forms(void **state)
{
	static const char *bad[] = {"\xc0\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf",
	    "\xe0\x9f\xbf", "\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(utf8(bad[i], 0), -1);
}

static void
test_utf8_refuses_surrogates_and_beyond_unicode(void **state)
{
	static const char *bad[] = {"\xed\xa0\x80", "\xed\xbf\xbf", "\xed\xa0\xbd\xed\xb2\xa9",
	    "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf7\xbf\xbf\xbf", "\xfe", "\xff"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(utf8(bad[i], 0), -1);
}

static void
test_utf8_refuses_broken_sequences(void **state)
{
	(void)state;
	assert_int_equal(utf8("\x80", 0), -1);            /* continuation without a lead */
	assert_int_equal(utf8("a\xe6\x97", 0), -1);       /* cut at the end */
	assert_int_equal(utf8("\xe6\x41\xa5", 0), -1);    /* ASCII inside a sequence */
	assert_int_equal(utf8("\xf0\x9f\x94", 0), -1);
	assert_int_equal(mm_utf8_check("\xe6\x97\xa5", 2, 0), -1); /* the length cuts it */
}

/* ---- strings, errors, embedded files ---- */

static void
test_strlcpy(void **state)
{
	char out[6];

	(void)state;
	assert_int_equal(mm_strlcpy(out, "abcde", sizeof(out)), 0);
	assert_string_equal(out, "abcde");
	assert_int_equal(mm_strlcpy(out, "abcdef", sizeof(out)), MM_ETOOBIG);
	assert_string_equal(out, "abcde"); /* cut, but always terminated */
	assert_int_equal(mm_strlcpy(out, "x", 0), MM_ETOOBIG);
}

static void
test_err_set_fills_and_returns_code(void **state)
{
	struct mm_err err;

	(void)state;
	mm_err_clear(&err);
	assert_int_equal(mm_err_set(&err, MM_EINVAL, "login", "bad %s %d", "thing", 7), MM_EINVAL);
	assert_int_equal(err.code, MM_EINVAL);
	assert_string_equal(err.field, "login");
	assert_string_equal(err.msg, "bad thing 7");
	assert_int_equal(mm_err_set(NULL, MM_EIO, NULL, "ignored"), MM_EIO);
	mm_err_clear(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.msg, "");
	assert_string_equal(mm_strerror(MM_ENOTFOUND), "not found");
	assert_string_equal(mm_strerror(MM_EBUSY), "busy");
	assert_string_equal(mm_strerror(12345), "unknown error");
}

static void
test_embedded_find(void **state)
{
	static const unsigned char a[] = "one", b[] = "two";
	static const struct mm_embedded files[] = {{"a.txt", a, 3}, {"dir/b.txt", b, 3}};

	(void)state;
	assert_ptr_equal(mm_embedded_find(files, 2, "dir/b.txt"), &files[1]);
	assert_null(mm_embedded_find(files, 2, "b.txt"));
	assert_null(mm_embedded_find(files, 0, "a.txt"));
}

/* ---- files ---- */

static void
test_fs_check_private_accepts_0700_and_0600(void **state)
{
	char path[UNIT_PATH_MAX];

	assert_int_equal(chmod(*state, 0700), 0);
	assert_int_equal(mm_fs_check_private(*state, NULL), 0);
	unit_path(path, *state, "key");
	unit_write_file(path, "k", 1, 0600);
	assert_int_equal(mm_fs_check_private(path, NULL), 0);
	unit_write_file(path, "k", 1, 0400);
	assert_int_equal(mm_fs_check_private(path, NULL), 0);
}

static void
assert_refused(const char *path, mode_t mode, const char *mode_text)
{
	struct mm_err err = {0};

	assert_int_equal(chmod(path, mode), 0);
	assert_int_equal(mm_fs_check_private(path, &err), MM_EPERM);
	assert_int_equal(err.code, MM_EPERM);
	assert_contains(err.msg, path);
	assert_contains(err.msg, mode_text);
}

static void
test_fs_check_private_refuses_shared_file(void **state)
{
	char path[UNIT_PATH_MAX];

	unit_path(path, *state, "key");
	unit_write_file(path, "k", 1, 0600);
	assert_refused(path, 0644, "0644");
	assert_refused(path, 0640, "0640"); /* group read alone is enough to refuse */
	assert_refused(path, 0604, "0604");
	assert_refused(path, 0602, "0602"); /* others may write */
}

static void
test_fs_check_private_refuses_shared_directory(void **state)
{
	char path[UNIT_PATH_MAX];

	unit_path(path, *state, "data");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_refused(path, 0755, "0755");
	assert_refused(path, 0710, "0710"); /* others may enter */
}

static void
test_fs_check_private_missing(void **state)
{
	char path[UNIT_PATH_MAX];
	struct mm_err err = {0};

	unit_path(path, *state, "nope");
	assert_int_equal(mm_fs_check_private(path, &err), MM_ENOTFOUND);
	assert_contains(err.msg, path);
}

static void
test_fs_create_writes_mode_and_data(void **state)
{
	char path[UNIT_PATH_MAX];
	struct mm_buf b;

	unit_path(path, *state, "new");
	assert_int_equal(mm_fs_create(path, 0600, "abc", 3, NULL), 0);
	assert_int_equal(unit_mode(path), 0600);
	mm_buf_init(&b, 100);
	assert_int_equal(mm_fs_read(path, &b, NULL), 0);
	assert_int_equal(b.b_len, 3);
	assert_string_equal(b.b_data, "abc");
	mm_buf_free(&b);
	/* the given mode is the mode, whatever the umask */
	unit_path(path, *state, "shared");
	assert_int_equal(mm_fs_create(path, 0640, "x", 1, NULL), 0);
	assert_int_equal(unit_mode(path), 0640);
}

static void
test_fs_create_refuses_existing_file(void **state)
{
	char path[UNIT_PATH_MAX];
	struct mm_err err = {0};
	struct mm_buf b;

	unit_path(path, *state, "key");
	unit_write_file(path, "original", 8, 0600);
	assert_int_equal(mm_fs_create(path, 0600, "replacement", 11, &err), MM_EEXIST);
	assert_contains(err.msg, path);
	mm_buf_init(&b, 100);
	assert_int_equal(mm_fs_read(path, &b, NULL), 0);
	assert_string_equal(b.b_data, "original"); /* untouched */
	mm_buf_free(&b);
}

static void
test_fs_create_refuses_symlink(void **state)
{
	char path[UNIT_PATH_MAX], target[UNIT_PATH_MAX];

	/* O_EXCL: a planted link must not redirect a key file elsewhere */
	unit_path(target, *state, "elsewhere");
	unit_path(path, *state, "link");
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(mm_fs_create(path, 0600, "k", 1, NULL), MM_EEXIST);
	assert_int_equal(access(target, F_OK), -1);
}

static void
test_fs_read_caps_size(void **state)
{
	char path[UNIT_PATH_MAX];
	struct mm_err err = {0};
	struct mm_buf b;

	unit_path(path, *state, "big");
	unit_write_file(path, "0123456789", 10, 0600);
	mm_buf_init(&b, 9);
	assert_int_equal(mm_fs_read(path, &b, &err), MM_ETOOBIG);
	assert_contains(err.msg, path);
	mm_buf_free(&b);
	mm_buf_init(&b, 10);
	assert_int_equal(mm_fs_read(path, &b, NULL), 0);
	assert_int_equal(b.b_len, 10);
	mm_buf_free(&b);
	unit_path(path, *state, "missing");
	mm_buf_init(&b, 10);
	assert_int_equal(mm_fs_read(path, &b, NULL), MM_ENOTFOUND);
	mm_buf_free(&b);
}

static void
test_fs_replace(void **state)
{
	char path[UNIT_PATH_MAX], tmp[UNIT_PATH_MAX];
	struct mm_buf b;

	unit_path(path, *state, "policy.ini");
	unit_path(tmp, *state, "policy.ini.tmp");
	unit_write_file(path, "old", 3, 0600);
	assert_int_equal(mm_fs_replace(path, 0600, "new text", 8, NULL), 0);
	mm_buf_init(&b, 100);
	assert_int_equal(mm_fs_read(path, &b, NULL), 0);
	assert_string_equal(b.b_data, "new text");
	mm_buf_free(&b);
	assert_int_equal(unit_mode(path), 0600);
	assert_int_equal(access(tmp, F_OK), -1); /* no temporary file left behind */
}

static void
test_path_join(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(mm_path_join(out, sizeof(out), "var", "mamori.db"), 0);
	assert_string_equal(out, "var/mamori.db");
	assert_int_equal(mm_path_join(out, sizeof(out), "var/", "keys"), 0);
	assert_string_equal(out, "var/keys");
	assert_int_equal(mm_path_join(out, sizeof(out), "var", ""), 0);
	assert_string_equal(out, "var");
	assert_int_equal(mm_path_join(out, sizeof(out), "", "keys"), 0); /* an empty dir */
	assert_string_equal(out, "keys");
	assert_int_equal(mm_path_join(out, sizeof(out), "/var/lib/mamori", "x"), MM_ETOOBIG);
}

/* ---- the JSON writer (the list page's text) ---- */

/* s (len bytes) through mm_json_string into a fresh buffer; NULL when the writer refused it. */
static char *
json_out_of(const char *s, size_t len)
{
	struct mm_buf b;
	struct mm_json_out o;
	char *out = NULL;

	mm_buf_init(&b, 1 << 20);
	mm_json_out_init(&o, &b);
	if (mm_json_string(&o, s, len) == 0 && mm_json_out_finish(&o) == 0)
		out = mm_buf_take(&b);
	mm_buf_free(&b);
	return out;
}

/* The writer's bytes are jansson's (json_dumps, JSON_COMPACT) for the same string. */
static void
expect_as_jansson(const char *s)
{
	json_t *j = json_string(s);
	char *want, *got;

	assert_non_null(j);
	want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	got = json_out_of(s, strlen(s));
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	free(want);
	json_decref(j);
}

static void
test_json_out_escapes_as_rfc8259_and_jansson(void **state)
{
	char all[40], *got;

	(void)state;
	/* every control character, by name where JSON has one, else \u00XX in upper case */
	for (int c = 1; c < 0x20; c++) {
		snprintf(all, sizeof(all), "a%cb", c);
		expect_as_jansson(all);
	}
	got = json_out_of("\x01\x1f\b\f\n\r\t", 7);
	assert_string_equal(got, "\"\\u0001\\u001F\\b\\f\\n\\r\\t\"");
	free(got);
	got = json_out_of("say \"hi\" \\ back/slash", 21);
	assert_string_equal(got, "\"say \\\"hi\\\" \\\\ back/slash\""); /* "/" as it is, as jansson */
	free(got);
	/* DEL, U+2028 and U+2029 are valid in JSON text: written as they are, as jansson does */
	got = json_out_of("\x7f\xe2\x80\xa8\xe2\x80\xa9", 7);
	assert_string_equal(got, "\"\x7f\xe2\x80\xa8\xe2\x80\xa9\"");
	free(got);
	expect_as_jansson("");
	expect_as_jansson("情報資産管理台帳 E0001 社員 1");
	expect_as_jansson("\xf0\x9f\x94\x92 U+1F512 and U+10FFFF \xf4\x8f\xbf\xbf");
	expect_as_jansson("\"\\\"\\\n\t\x01\x7f\xe2\x80\xa8");
}

static void
test_json_out_long_strings_cross_chunks(void **state)
{
	char *s = malloc(20001);

	(void)state;
	assert_non_null(s);
	/* longer than the writer's chunk, with escapes and multibyte characters across its edges */
	for (size_t i = 0; i < 20000; i++)
		s[i] = i % 97 == 0 ? '"' : i % 89 == 0 ? '\n' : (char)('a' + i % 26);
	s[20000] = '\0';
	expect_as_jansson(s);
	for (size_t i = 0; i + 3 <= 20000; i += 3)
		memcpy(s + i, "台", 3);
	s[19998] = '\0';
	expect_as_jansson(s);
	free(s);
}

static void
test_json_out_refuses_invalid_utf8_and_writes_nothing(void **state)
{
	static const char *bad[] = {
	    "\xc0\xaf",         /* overlong "/" */
	    "\xe0\x80\xaf",     /* overlong, 3 bytes */
	    "\xed\xa0\x80",     /* a surrogate */
	    "\xf4\x90\x80\x80", /* above U+10FFFF */
	    "\x80",             /* a lone continuation byte */
	    "ab\xe3\x81",       /* cut short */
	    "\xff",
	};
	struct mm_buf b;
	struct mm_json_out o;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(json_string(bad[i])); /* jansson refuses them too */
		assert_null(json_out_of(bad[i], strlen(bad[i])));
	}
	assert_null(json_out_of("a\0b", 3)); /* a NUL inside */
	/* what was written before stays; the refused string leaves no trace, even a long one */
	mm_buf_init(&b, 1 << 20);
	mm_json_out_init(&o, &b);
	mm_json_raws(&o, "[");
	assert_int_equal(mm_json_member_string(&o, 1, "k", "ok"), 0);
	assert_int_equal(mm_json_member_string(&o, 0, "bad", "x\xed\xa0\x80"), -1);
	{
		char *big = malloc(10001);
		assert_non_null(big);
		memset(big, 'a', 10000);
		big[9999] = '\xff';
		big[10000] = '\0';
		assert_int_equal(mm_json_member_string(&o, 0, "big", big), -1);
		free(big);
	}
	mm_json_raws(&o, "]");
	assert_int_equal(mm_json_out_finish(&o), 0);
	assert_string_equal(b.b_data, "[\"k\":\"ok\"]");
	mm_buf_free(&b);
}

static void
test_json_out_integers_and_keys(void **state)
{
	struct mm_buf b;
	struct mm_json_out o;

	(void)state;
	mm_buf_init(&b, 1024);
	mm_json_out_init(&o, &b);
	mm_json_key(&o, 1, "a");
	mm_json_int(&o, 0);
	mm_json_key(&o, 0, "min");
	mm_json_int(&o, INT64_MIN);
	mm_json_key(&o, 0, "max");
	mm_json_int(&o, INT64_MAX);
	mm_json_key(&o, 0, "neg");
	mm_json_int(&o, -42);
	assert_int_equal(mm_json_out_finish(&o), 0);
	assert_string_equal(b.b_data, "\"a\":0,\"min\":-9223372036854775808,\"max\":9223372036854775807,\"neg\":-42");
	mm_buf_free(&b);
}

static void
test_json_out_stops_at_the_buffer_maximum(void **state)
{
	struct mm_buf b;
	struct mm_json_out o;

	(void)state;
	mm_buf_init(&b, 10);
	mm_json_out_init(&o, &b);
	mm_json_raws(&o, "12345");
	mm_json_string(&o, "abcdefgh", 8);
	mm_json_raws(&o, "x"); /* the first failure sticks: nothing more is written */
	assert_int_equal(mm_json_out_finish(&o), MM_ETOOBIG);
	assert_true(b.b_len <= 10);
	mm_buf_free(&b);
	/* a piece larger than the chunk goes past it, and still meets the maximum */
	mm_buf_init(&b, 5000);
	mm_json_out_init(&o, &b);
	{
		char big[6000];
		memset(big, 'a', sizeof(big));
		mm_json_raw(&o, big, sizeof(big));
	}
	assert_int_equal(mm_json_out_finish(&o), MM_ETOOBIG);
	assert_int_equal(b.b_len, 0);
	mm_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buf_append_up_to_max),
	    cmocka_unit_test(test_buf_append_past_max_leaves_buffer_unchanged),
	    cmocka_unit_test(test_buf_zero_max_refuses_any_byte),
	    cmocka_unit_test(test_buf_printf_respects_max),
	    cmocka_unit_test(test_buf_grows_across_many_appends),
	    cmocka_unit_test(test_buf_reset_empties_and_keeps_memory),
	    cmocka_unit_test(test_buf_take_hands_over_memory),
	    cmocka_unit_test(test_buf_take_of_empty_buffer_is_empty_string),
	    cmocka_unit_test(test_buf_free_leaves_empty_reusable_buffer),
	    cmocka_unit_test(test_time_parse_utc),
	    cmocka_unit_test(test_time_parse_fraction),
	    cmocka_unit_test(test_time_parse_offsets),
	    cmocka_unit_test(test_time_parse_bare_date_is_midnight_utc),
	    cmocka_unit_test(test_time_parse_leap_years),
	    cmocka_unit_test(test_time_parse_range_edges),
	    cmocka_unit_test(test_time_parse_refuses_bad_input),
	    cmocka_unit_test(test_time_format),
	    cmocka_unit_test(test_time_format_parse_round_trip),
	    cmocka_unit_test(test_days_from_civil),
	    cmocka_unit_test(test_local_date_start_is_japan_midnight),
	    cmocka_unit_test(test_now_honours_mamori_now),
	    cmocka_unit_test(test_now_without_override_is_the_real_clock),
	    unit_dir_test(test_now_from_clock_file),
	    cmocka_unit_test(test_hex_encode),
	    cmocka_unit_test(test_hex_decode),
	    cmocka_unit_test(test_hex_decode_refuses_bad_input),
	    cmocka_unit_test(test_utf8_counts_characters),
	    cmocka_unit_test(test_utf8_cut_keeps_whole_characters),
	    cmocka_unit_test(test_like_contains_escapes_wildcards),
	    cmocka_unit_test(test_utf8_newlines_only_when_allowed),
	    cmocka_unit_test(test_utf8_refuses_control_characters),
	    cmocka_unit_test(test_utf8_refuses_overlong_forms),
	    cmocka_unit_test(test_utf8_refuses_surrogates_and_beyond_unicode),
	    cmocka_unit_test(test_utf8_refuses_broken_sequences),
	    cmocka_unit_test(test_strlcpy),
	    cmocka_unit_test(test_err_set_fills_and_returns_code),
	    cmocka_unit_test(test_embedded_find),
	    unit_dir_test(test_fs_check_private_accepts_0700_and_0600),
	    unit_dir_test(test_fs_check_private_refuses_shared_file),
	    unit_dir_test(test_fs_check_private_refuses_shared_directory),
	    unit_dir_test(test_fs_check_private_missing),
	    unit_dir_test(test_fs_create_writes_mode_and_data),
	    unit_dir_test(test_fs_create_refuses_existing_file),
	    unit_dir_test(test_fs_create_refuses_symlink),
	    unit_dir_test(test_fs_read_caps_size),
	    unit_dir_test(test_fs_replace),
	    cmocka_unit_test(test_path_join),
	    cmocka_unit_test(test_json_out_escapes_as_rfc8259_and_jansson),
	    cmocka_unit_test(test_json_out_long_strings_cross_chunks),
	    cmocka_unit_test(test_json_out_refuses_invalid_utf8_and_writes_nothing),
	    cmocka_unit_test(test_json_out_integers_and_keys),
	    cmocka_unit_test(test_json_out_stops_at_the_buffer_maximum),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
