/*
 * Numbers as people type them: full-width digits (０–９), hyphens, dashes and spaces
 * (mm_number_separator) are accepted and dropped; then the check digit of the 総務省令 (個人番号) or of the
 * 法人番号. Messages never repeat the number.
 */
#include "vault/vault.h"
#include "base/mynumber.h"

#include <string.h>

int
vault_number_normalise(const char *in, int corporate, char out[VAULT_NUMBER_MAX + 1], struct mm_err *err)
{
	size_t n = 0, want = corporate ? 13 : 12, k;
	const unsigned char *u;

	for (const char *s = in ? in : ""; *s;) {
		u = (const unsigned char *)s;
		if (*s >= '0' && *s <= '9') {
			if (n < VAULT_NUMBER_MAX)
				out[n] = *s;
			n++;
			s++;
		} else if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
			if (n < VAULT_NUMBER_MAX)
				out[n] = (char)('0' + u[2] - 0x90);
			n++;
			s += 3;
		} else if ((k = mm_number_separator(s)) != 0) {
			s += k;
		} else {
			out[0] = '\0';
			return mm_err_input(err, "number", "characters", "番号は数字で入力してください（ハイフン・空白は可）",
			    "a number holds digits only (hyphens and spaces are allowed)");
		}
	}
	out[n < VAULT_NUMBER_MAX ? n : VAULT_NUMBER_MAX] = '\0';
	if (n != want) {
		out[0] = '\0';
		return corporate ? mm_err_input(err, "number", "length", "法人番号は13桁です", "a corporate number has 13 digits")
		                 : mm_err_input(err, "number", "length", "個人番号は12桁です", "a My Number has 12 digits");
	}
	if (corporate ? !mm_corporate_number_valid(out) : !mm_mynumber_valid(out)) {
		out[0] = '\0';
		return mm_err_input(err, "number", "check_digit",
		    "チェックデジットが一致しません。番号を確かめてください",
		    "the check digit does not match; check the number");
	}
	return 0;
}
