/*
 * The only module that calls libsodium: hashing (BLAKE2b), Ed25519 signatures, Argon2id password
 * hashes, randomness, key files and wiping secrets.
 */
#ifndef MM_CRYPTO_H
#define MM_CRYPTO_H

#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

#define MM_HASH_BYTES 32      /* BLAKE2b-256 */
#define MM_MASTER_KEY_BYTES 32
#define MM_SIGN_PUBLIC_BYTES 32
#define MM_SIGN_SECRET_BYTES 64
#define MM_SIGNATURE_BYTES 64
#define MM_PWHASH_STRLEN 128

/* Initialises libsodium. Call once before anything else; returns 0 or MM_EIO. */
int mm_crypto_init(void);

/* Fills buf with len random bytes. */
void mm_random(void *buf, size_t len);

/* Wipes a secret from memory in a way the compiler may not optimise away. */
void mm_wipe(void *p, size_t len);

/* Incremental BLAKE2b-256, unkeyed. The state is opaque storage large enough for libsodium's. */
struct mm_hash {
	_Alignas(64) unsigned char h_state[384];
};
void mm_hash_init(struct mm_hash *h);
void mm_hash_update(struct mm_hash *h, const void *data, size_t len);
void mm_hash_final(struct mm_hash *h, unsigned char out[MM_HASH_BYTES]);

/* Ed25519: a new key pair, a detached signature, and its check (0 when valid, MM_ECORRUPT not). */
void mm_sign_keypair(unsigned char pk[MM_SIGN_PUBLIC_BYTES], unsigned char sk[MM_SIGN_SECRET_BYTES]);
void mm_sign(unsigned char sig[MM_SIGNATURE_BYTES], const void *msg, size_t len,
    const unsigned char sk[MM_SIGN_SECRET_BYTES]);
int mm_sign_verify(const unsigned char sig[MM_SIGNATURE_BYTES], const void *msg, size_t len,
    const unsigned char pk[MM_SIGN_PUBLIC_BYTES]);
/* The public half of a secret key. */
void mm_sign_public(unsigned char pk[MM_SIGN_PUBLIC_BYTES], const unsigned char sk[MM_SIGN_SECRET_BYTES]);

/*
 * Argon2id password hash in libsodium's string form, with opslimit (passes) and memlimit (bytes)
 * from the profile. Returns 0, MM_ENOMEM (memory limit too large for this machine) or MM_EINVAL.
 */
int mm_password_hash(char out[MM_PWHASH_STRLEN], const char *password, uint64_t opslimit,
    size_t memlimit);
/* 0 when password matches the stored hash, MM_EPERM when not. Constant time in the password. */
int mm_password_verify(const char *stored, const char *password);
/* 1 when the stored hash was made with other parameters and should be remade at login. */
int mm_password_needs_rehash(const char *stored, uint64_t opslimit, size_t memlimit);

/*
 * Generates a one-time password of len characters (len >= 12) holding at least one upper-case
 * letter, lower-case letter, digit and symbol, without look-alike characters (0/O, 1/l/I).
 */
void mm_password_generate(char *out, size_t len);

/* Purposes of derived keys (never renumber: stored data depends on them). */
enum mm_key_purpose {
	MM_KEY_TOTP = 1,     /* account.totp_secret */
	MM_KEY_RECOVERY = 2, /* recovery code hashes */
	MM_KEY_MYNUMBER_INDEX = 3, /* the vault's blind index of numbers (duplicates without decrypting) */
};

#define MM_AEAD_KEY_BYTES 32
/*
 * XChaCha20-Poly1305 with a given key (a vault data key or key-encryption key), binding aad. *hex_out
 * is the random nonce and the ciphertext in hex, malloc'ed.
 */
int mm_aead_encrypt(const unsigned char key[MM_AEAD_KEY_BYTES], const char *aad, const void *plain, size_t len,
    char **hex_out);
/* Decrypts into out (at most max bytes). MM_ECORRUPT when the key, aad or data do not match. */
int mm_aead_decrypt(const unsigned char key[MM_AEAD_KEY_BYTES], const char *aad, const char *hex, unsigned char *out,
    size_t max, size_t *len);

/*
 * Encrypts len bytes with the key for purpose, binding aad ("table.column:row"). *hex_out is the
 * nonce and ciphertext in hex, malloc'ed.
 */
int mm_field_encrypt(const unsigned char master[MM_MASTER_KEY_BYTES], uint64_t purpose, const char *aad,
    const void *plain, size_t len, char **hex_out);
/* Decrypts into out (at most max bytes). MM_ECORRUPT when the key, aad or data do not match. */
int mm_field_decrypt(const unsigned char master[MM_MASTER_KEY_BYTES], uint64_t purpose, const char *aad,
    const char *hex, unsigned char *out, size_t max, size_t *len);

/* Keyed BLAKE2b-256 (a blind index or a hash of a low-entropy secret), hex. */
void mm_keyed_hash(const unsigned char master[MM_MASTER_KEY_BYTES], uint64_t purpose, const void *data,
    size_t len, char out[2 * MM_HASH_BYTES + 1]);

/* Unkeyed BLAKE2b-256 in hex (of high-entropy values such as session tokens). */
void mm_hash_hex(const void *data, size_t len, char out[2 * MM_HASH_BYTES + 1]);

/* A random token of bytes (<= 64) random bytes, base64url without padding, into out (>= 4*bytes/3+2). */
void mm_token_new(char *out, size_t bytes);

/* Standard base64 with padding of len bytes into out (>= ((len + 2) / 3) * 4 + 1 bytes). */
void mm_base64_encode(char *out, size_t outlen, const unsigned char *in, size_t len);

/* Constant-time comparison: 1 when equal. */
int mm_equal(const void *a, const void *b, size_t len);

#endif
