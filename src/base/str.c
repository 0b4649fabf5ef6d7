#include "base/str.h"
#include "base/err.h"

#include <string.h>

void
mm_hex_encode(char *out, const unsigned char *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
mm_hex_decode(unsigned char *out, size_t len, const char *in)
{
	if (strlen(in) != 2 * len)
		return MM_EINVAL;
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(in[2 * i]), lo = hexval(in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return MM_EINVAL;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

long
mm_utf8_check(const char *s, size_t len, int allow_newline)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	long chars = 0;

	while (p < end) {
		unsigned c = *p;
		int n;
		uint32_t cp;

		if (c < 0x80) {
			if (c == 0 || c == 0x7f || (c < 0x20 && !(c == '\t' || (allow_newline &&
			    (c == '\n' || c == '\r')))))
				return -1;
			p++;
			chars++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return -1;
		}
		if (end - p < n + 1)
			return -1;
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		/* reject overlong forms, surrogates and code points above U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		/* C1 controls */
		if (cp >= 0x80 && cp <= 0x9f)
			return -1;
		p += n + 1;
		chars++;
	}
	return chars;
}

int
mm_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);

	if (n == 0)
		return MM_ETOOBIG;
	if (len >= n) {
		memcpy(dst, src, n - 1);
		dst[n - 1] = '\0';
		return MM_ETOOBIG;
	}
	memcpy(dst, src, len + 1);
	return 0;
}

int
mm_email_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	size_t len;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || (len = strlen(s)) > 254)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~' || strchr("\"<>()[],;:\\", s[i]) != NULL)
			return 0;
	/* a dotted domain: "a.b", not ".b", "a." or "a..b" */
	return strchr(at + 1, '.') != NULL && at[1] != '.' && s[len - 1] != '.' && strstr(at, "..") == NULL;
}

void
mm_utf8_cut(char *s, size_t max)
{
	size_t n = 0;

	for (char *p = s; *p; p++) {
		/* a character starts at every byte that is not a continuation byte (10xxxxxx) */
		if (((unsigned char)*p & 0xc0) != 0x80 && n++ == max) {
			*p = '\0';
			return;
		}
	}
}

int
mm_like_contains(const char *q, char *out, size_t n)
{
	size_t k = 0;

	if (n < 2 * strlen(q) + 3) {
		if (n > 0)
			out[0] = '\0';
		return MM_ETOOBIG;
	}
	out[k++] = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			out[k++] = '\\';
		out[k++] = *q;
	}
	out[k++] = '%';
	out[k] = '\0';
	return 0;
}
