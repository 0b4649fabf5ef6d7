/* My Number check digits (総務省令第85号 第5条). */
#include "base/mynumber.h"

#include <string.h>

int
mm_mynumber_valid(const char *d)
{
	int sum = 0, rem, check;

	if (strlen(d) != 12 || strspn(d, "0123456789") != 12)
		return 0;
	/* P(n) is the n-th digit counted from the one left of the check digit; Q(n) its weight */
	for (int n = 1; n <= 11; n++) {
		int p = d[11 - n] - '0';
		int q = n <= 6 ? n + 1 : n - 5;
		sum += p * q;
	}
	rem = sum % 11;
	check = rem <= 1 ? 0 : 11 - rem;
	return d[11] - '0' == check;
}

int
mm_corporate_number_valid(const char *d)
{
	int sum = 0;

	if (strlen(d) != 13 || strspn(d, "0123456789") != 13)
		return 0;
	/* 法人番号: P(n) the n-th digit from the right of the 12-digit base, Q(n) 1 when n is odd, 2 when even */
	for (int n = 1; n <= 12; n++)
		sum += (d[13 - n] - '0') * (n % 2 ? 1 : 2);
	return d[0] - '0' == 9 - sum % 9;
}

/* The digit at s (ASCII or full-width ０–９, 3 bytes), its length in *len; -1 when none. */
static int
digit_at(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*u >= '0' && *u <= '9') {
		*len = 1;
		return *u - '0';
	}
	if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
		*len = 3;
		return u[2] - 0x90;
	}
	return -1;
}

/* A separator that may sit between digit groups: space, hyphen, full-width space or hyphen. */
static size_t
separator_at(const char *s)
{
	if (*s == ' ' || *s == '-')
		return 1;
	if (strncmp(s, "　", 3) == 0 || strncmp(s, "－", 3) == 0 || strncmp(s, "ー", 3) == 0)
		return 3;
	return 0;
}

int
mm_text_has_mynumber(const char *text)
{
	const char *s = text;

	while (*s) {
		char digits[13];
		size_t n = 0, len, sep;
		int d;

		if (digit_at(s, &len) < 0) {
			s++;
			continue;
		}
		/* one run of digits, allowing single separators between them */
		for (;;) {
			if ((d = digit_at(s, &len)) >= 0) {
				if (n < 12)
					digits[n] = (char)('0' + d);
				n++;
				s += len;
			} else if ((sep = separator_at(s)) != 0 && digit_at(s + sep, &len) >= 0) {
				s += sep;
			} else {
				break;
			}
		}
		if (n == 12) {
			digits[12] = '\0';
			if (mm_mynumber_valid(digits))
				return 1;
		}
	}
	return 0;
}
