/* Writing JSON text straight into a buffer (json_out.h). */
#include "base/json_out.h"
#include "base/str.h"

#include <stdio.h>
#include <string.h>

void
mm_json_out_init(struct mm_json_out *o, struct mm_buf *b)
{
	o->jo_buf = b;
	o->jo_rc = 0;
	o->jo_n = 0;
}

static void
flush(struct mm_json_out *o)
{
	if (o->jo_rc == 0 && o->jo_n > 0)
		o->jo_rc = mm_buf_append(o->jo_buf, o->jo_chunk, o->jo_n);
	o->jo_n = 0;
}

int
mm_json_out_finish(struct mm_json_out *o)
{
	flush(o);
	return o->jo_rc;
}

size_t
mm_json_mark(const struct mm_json_out *o)
{
	return o->jo_buf->b_len + o->jo_n;
}

void
mm_json_raw(struct mm_json_out *o, const char *s, size_t len)
{
	if (len > sizeof(o->jo_chunk) - o->jo_n) {
		flush(o);
		if (len > sizeof(o->jo_chunk)) {
			if (o->jo_rc == 0)
				o->jo_rc = mm_buf_append(o->jo_buf, s, len);
			return;
		}
	}
	memcpy(o->jo_chunk + o->jo_n, s, len);
	o->jo_n += len;
}

void
mm_json_raws(struct mm_json_out *o, const char *s)
{
	mm_json_raw(o, s, strlen(s));
}

void
mm_json_key(struct mm_json_out *o, int first, const char *key)
{
	size_t len = strlen(key);
	char *p;

	if (len + 4 > sizeof(o->jo_chunk) - o->jo_n) {
		mm_json_raws(o, first ? "\"" : ",\"");
		mm_json_raw(o, key, len);
		mm_json_raw(o, "\":", 2);
		return;
	}
	p = o->jo_chunk + o->jo_n;
	if (!first)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, key, len);
	p += len;
	*p++ = '"';
	*p++ = ':';
	o->jo_n = (size_t)(p - o->jo_chunk);
}

void
mm_json_rewind(struct mm_json_out *o, size_t mark)
{
	struct mm_buf *b = o->jo_buf;

	if (mark >= b->b_len) {
		if (mark - b->b_len < o->jo_n)
			o->jo_n = mark - b->b_len;
		return;
	}
	/* the mark is in what went to the buffer already (a string longer than a chunk) */
	o->jo_n = 0;
	if (b->b_data) {
		b->b_len = mark;
		b->b_data[mark] = '\0';
	}
}

/*
 * The length of the well-formed UTF-8 character at p (at most end - p bytes) that starts with a byte
 * of 0x80 or more, or 0. mm_utf8_check makes the checks of jansson's utf8_check_full: no overlong
 * form, no surrogate, nothing above U+10FFFF.
 */
static size_t
utf8_seq(const unsigned char *p, const unsigned char *end)
{
	size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;

	return (size_t)(end - p) >= n && mm_utf8_check((const char *)p, n, 0) == 1 ? n : 0;
}

int
mm_json_string(struct mm_json_out *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len, *run;
	size_t start = mm_json_mark(o);

	if (o->jo_rc != 0)
		return 0;
	mm_json_raw(o, "\"", 1);
	for (run = p; p < end;) {
		unsigned c = *p;
		char esc[8];
		size_t n;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0x80) {
			if ((n = utf8_seq(p, end)) == 0) {
				mm_json_rewind(o, start);
				return -1;
			}
			p += n;
			continue;
		}
		if (c == 0) { /* json_stringn refuses a NUL inside a string */
			mm_json_rewind(o, start);
			return -1;
		}
		mm_json_raw(o, (const char *)run, (size_t)(p - run));
		switch (c) {
		case '"': memcpy(esc, "\\\"", 3); break;
		case '\\': memcpy(esc, "\\\\", 3); break;
		case '\b': memcpy(esc, "\\b", 3); break;
		case '\f': memcpy(esc, "\\f", 3); break;
		case '\n': memcpy(esc, "\\n", 3); break;
		case '\r': memcpy(esc, "\\r", 3); break;
		case '\t': memcpy(esc, "\\t", 3); break;
		default: snprintf(esc, sizeof(esc), "\\u%04X", c); break; /* jansson's upper-case hex */
		}
		mm_json_raws(o, esc);
		run = ++p;
	}
	mm_json_raw(o, (const char *)run, (size_t)(p - run));
	mm_json_raw(o, "\"", 1);
	return 0;
}

int
mm_json_member_string(struct mm_json_out *o, int first, const char *key, const char *s)
{
	size_t start = mm_json_mark(o);

	if (!first)
		mm_json_raw(o, ",", 1);
	if (mm_json_string(o, key, strlen(key)) == 0) {
		mm_json_raw(o, ":", 1);
		if (mm_json_string(o, s, strlen(s)) == 0)
			return 0;
	}
	mm_json_rewind(o, start);
	return -1;
}

void
mm_json_int(struct mm_json_out *o, int64_t v)
{
	char num[24];
	char *p = num + sizeof(num);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	mm_json_raw(o, p, (size_t)(num + sizeof(num) - p));
}
