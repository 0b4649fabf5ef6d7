/* libFuzzer target: numbers as people type them (the vault's normaliser) and the ledgers' My Number scan. */
#include "base/mynumber.h"
#include "vault/vault.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256], out[VAULT_NUMBER_MAX + 1], again[VAULT_NUMBER_MAX + 1];
	struct mm_err err;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (int corporate = 0; corporate <= 1; corporate++) {
		if (vault_number_normalise(s, corporate, out, &err) == 0) {
			/* what is accepted is digits with a valid check digit, and stays accepted */
			if (strlen(out) != (corporate ? 13u : 12u) || vault_number_normalise(out, corporate, again, &err) != 0 ||
			    strcmp(out, again) != 0)
				__builtin_trap();
			if (!corporate && !mm_text_has_mynumber(out))
				__builtin_trap();
		}
	}
	(void)mm_text_has_mynumber(s);
	return 0;
}
