#include "crypto/crypto.h"

#include <sodium.h>

_Static_assert(sizeof(crypto_generichash_state) <= sizeof(((struct mm_hash *)0)->h_state),
    "mm_hash state too small for libsodium");

int
mm_crypto_init(void)
{
	return sodium_init() < 0 ? MM_EIO : 0;
}

void
mm_random(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

void
mm_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}

void
mm_hash_init(struct mm_hash *h)
{
	crypto_generichash_init((crypto_generichash_state *)h->h_state, NULL, 0, MM_HASH_BYTES);
}

void
mm_hash_update(struct mm_hash *h, const void *data, size_t len)
{
	crypto_generichash_update((crypto_generichash_state *)h->h_state, data, len);
}

void
mm_hash_final(struct mm_hash *h, unsigned char out[MM_HASH_BYTES])
{
	crypto_generichash_final((crypto_generichash_state *)h->h_state, out, MM_HASH_BYTES);
	sodium_memzero(h, sizeof(*h));
}
