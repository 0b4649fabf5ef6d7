#include "crypto/crypto.h"

#include <sodium.h>

void
mm_sign_keypair(unsigned char pk[MM_SIGN_PUBLIC_BYTES], unsigned char sk[MM_SIGN_SECRET_BYTES])
{
	crypto_sign_keypair(pk, sk);
}

void
mm_sign(unsigned char sig[MM_SIGNATURE_BYTES], const void *msg, size_t len,
    const unsigned char sk[MM_SIGN_SECRET_BYTES])
{
	crypto_sign_detached(sig, NULL, msg, len, sk);
}

int
mm_sign_verify(const unsigned char sig[MM_SIGNATURE_BYTES], const void *msg, size_t len,
    const unsigned char pk[MM_SIGN_PUBLIC_BYTES])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 : MM_ECORRUPT;
}

void
mm_sign_public(unsigned char pk[MM_SIGN_PUBLIC_BYTES], const unsigned char sk[MM_SIGN_SECRET_BYTES])
{
	crypto_sign_ed25519_sk_to_pk(pk, sk);
}
