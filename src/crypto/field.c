/*
 * Field encryption and keyed hashes. Every purpose has its own key, derived from the master key
 * (keys/master.key) with crypto_kdf; ciphertexts are XChaCha20-Poly1305 with a random nonce and
 * the table, column and row bound as associated data, so a value copied to another row or column
 * no longer decrypts.
 */
#include "crypto/crypto.h"
#include "base/str.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define KDF_CONTEXT "mamori__" /* crypto_kdf contexts are 8 bytes */

static void
derive(unsigned char key[32], const unsigned char master[MM_MASTER_KEY_BYTES], uint64_t purpose)
{
	crypto_kdf_derive_from_key(key, 32, purpose, KDF_CONTEXT, master);
}

int
mm_aead_encrypt(const unsigned char key[MM_AEAD_KEY_BYTES], const char *aad, const void *plain, size_t len,
    char **hex_out)
{
	unsigned char *box;
	size_t boxlen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + len +
	    crypto_aead_xchacha20poly1305_ietf_ABYTES;
	char *hex;

	*hex_out = NULL;
	if ((box = malloc(boxlen)) == NULL || (hex = malloc(2 * boxlen + 1)) == NULL) {
		free(box);
		return MM_ENOMEM;
	}
	randombytes_buf(box, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    NULL, plain, len, (const unsigned char *)aad, strlen(aad), NULL, box, key);
	mm_hex_encode(hex, box, boxlen);
	free(box);
	*hex_out = hex;
	return 0;
}

int
mm_aead_decrypt(const unsigned char key[MM_AEAD_KEY_BYTES], const char *aad, const char *hex, unsigned char *out,
    size_t max, size_t *len)
{
	unsigned char *box;
	size_t boxlen = strlen(hex) / 2;
	unsigned long long plen;
	int rc;

	if (strlen(hex) % 2 != 0 || boxlen < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
	    crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return MM_ECORRUPT;
	if (boxlen - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES -
	    crypto_aead_xchacha20poly1305_ietf_ABYTES > max)
		return MM_ETOOBIG;
	if ((box = malloc(boxlen)) == NULL)
		return MM_ENOMEM;
	if (mm_hex_decode(box, boxlen, hex) != 0) {
		free(box);
		return MM_ECORRUPT;
	}
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(out, &plen, NULL,
	    box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    boxlen - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, (const unsigned char *)aad,
	    strlen(aad), box, key);
	free(box);
	if (rc != 0)
		return MM_ECORRUPT;
	*len = (size_t)plen;
	return 0;
}

int
mm_field_encrypt(const unsigned char master[MM_MASTER_KEY_BYTES], uint64_t purpose, const char *aad,
    const void *plain, size_t len, char **hex_out)
{
	unsigned char key[32];
	int rc;

	derive(key, master, purpose);
	rc = mm_aead_encrypt(key, aad, plain, len, hex_out);
	sodium_memzero(key, sizeof(key));
	return rc;
}

int
mm_field_decrypt(const unsigned char master[MM_MASTER_KEY_BYTES], uint64_t purpose, const char *aad,
    const char *hex, unsigned char *out, size_t max, size_t *len)
{
	unsigned char key[32];
	int rc;

	derive(key, master, purpose);
	rc = mm_aead_decrypt(key, aad, hex, out, max, len);
	sodium_memzero(key, sizeof(key));
	return rc;
}

void
mm_keyed_hash(const unsigned char master[MM_MASTER_KEY_BYTES], uint64_t purpose, const void *data,
    size_t len, char out[2 * MM_HASH_BYTES + 1])
{
	unsigned char key[32], digest[MM_HASH_BYTES];

	derive(key, master, purpose);
	crypto_generichash(digest, sizeof(digest), data, len, key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	mm_hex_encode(out, digest, sizeof(digest));
}

void
mm_hash_hex(const void *data, size_t len, char out[2 * MM_HASH_BYTES + 1])
{
	unsigned char digest[MM_HASH_BYTES];

	crypto_generichash(digest, sizeof(digest), data, len, NULL, 0);
	mm_hex_encode(out, digest, sizeof(digest));
}

void
mm_token_new(char *out, size_t bytes)
{
	unsigned char raw[64];

	if (bytes > sizeof(raw))
		bytes = sizeof(raw);
	randombytes_buf(raw, bytes);
	sodium_bin2base64(out, sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
	    raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void
mm_base64_encode(char *out, size_t outlen, const unsigned char *in, size_t len)
{
	sodium_bin2base64(out, outlen, in, len, sodium_base64_VARIANT_ORIGINAL);
}

int
mm_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}
