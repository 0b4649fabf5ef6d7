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

size_t
mm_number_separator(const char *s)
{
	static const char *const seps[] = {" ", "-", "\t", "　", "－", "ー", "‐", "‑", "‒", "–", "—", "―", "−", "ｰ", "･", "・"};

	for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
		if (strncmp(s, seps[i], strlen(seps[i])) == 0)
			return strlen(seps[i]);
	return 0;
}

/* The length of a run of separators at s, when a digit follows it; else 0. */
static size_t
separators_then_digit(const char *s)
{
	size_t n = 0, k, len;

	while ((k = mm_number_separator(s + n)) != 0)
		n += k;
	return n && digit_at(s + n, &len) >= 0 ? n : 0;
}

int
mm_text_has_mynumber(const char *text)
{
	const char *s = text;

	while (*s) {
		char digits[13];
		size_t n = 0, len, sep, groups[4] = {0}, ng = 1;
		int d;

		if (digit_at(s, &len) < 0) {
			s++;
			continue;
		}
		/* one run of digits and the separators between them, as groups */
		for (;;) {
			if ((d = digit_at(s, &len)) >= 0) {
				if (n < 12)
					digits[n] = (char)('0' + d);
				n++;
				if (ng <= 4)
					groups[ng - 1]++;
				s += len;
			} else if ((sep = separators_then_digit(s)) != 0) {
				s += sep;
				ng++;
			} else {
				break;
			}
		}
		/* written as a number is written: 12 digits in one piece or as 4-4-4 (not a date and a time) */
		if (n == 12 && (ng == 1 || (ng == 3 && groups[0] == 4 && groups[1] == 4 && groups[2] == 4))) {
			digits[12] = '\0';
			if (mm_mynumber_valid(digits))
				return 1;
		}
	}
	return 0;
}
