#include "crypto/crypto.h"

#include <sodium.h>
#include <string.h>

_Static_assert(MM_PWHASH_STRLEN == crypto_pwhash_STRBYTES, "pwhash string size");

int
mm_password_hash(char out[MM_PWHASH_STRLEN], const char *password, uint64_t opslimit,
    size_t memlimit)
{
	if (opslimit < crypto_pwhash_OPSLIMIT_MIN || memlimit < crypto_pwhash_MEMLIMIT_MIN)
		return MM_EINVAL;
	if (crypto_pwhash_str_alg(out, password, strlen(password), opslimit, memlimit,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return MM_ENOMEM;
	return 0;
}

int
mm_password_verify(const char *stored, const char *password)
{
	return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0 ? 0 : MM_EPERM;
}

int
mm_password_needs_rehash(const char *stored, uint64_t opslimit, size_t memlimit)
{
	return crypto_pwhash_str_needs_rehash(stored, opslimit, memlimit) != 0;
}

void
mm_password_generate(char *out, size_t len)
{
	static const char *classes[] = {
	    "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "#%+-=@_~!?",
	};
	static const char all[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789#%+-=@_~!?";

	for (size_t i = 0; i < len; i++)
		out[i] = all[randombytes_uniform(sizeof(all) - 1)];
	/* put one character of each class at distinct random places */
	for (int c = 0; c < 4; c++) {
		size_t pos = c * (len / 4) + randombytes_uniform((uint32_t)(len / 4));
		out[pos] = classes[c][randombytes_uniform((uint32_t)strlen(classes[c]))];
	}
	out[len] = '\0';
}
