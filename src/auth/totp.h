/*
 * TOTP second factor (RFC 6238, 30-second steps, 6 digits, SHA-1 — what authenticator apps use),
 * through liboath; enrolment QR codes through libqrencode, drawn as SVG.
 */
#ifndef MM_TOTP_H
#define MM_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES 20
#define TOTP_BASE32_LEN 33 /* 32 characters + NUL */

/* A new random secret. */
void totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES]);

/* The secret in RFC 4648 base32 without padding, as apps expect. */
void totp_base32(const unsigned char secret[TOTP_SECRET_BYTES], char out[TOTP_BASE32_LEN]);

/*
 * The otpauth:// URI for an authenticator app: issuer "mamori", the account's login as the
 * label (percent-encoded). It holds the secret: wipe it after use. Returns 0, MM_ETOOBIG when
 * out (size n) is too small, or MM_EINVAL (NULL argument).
 */
int totp_uri(const char *login, const unsigned char secret[TOTP_SECRET_BYTES], char *out, size_t n);

/*
 * Checks a 6-digit code at now_ms (the caller's clock, never read here), accepting one 30-second
 * step either side for clock drift. A step at or before last_step (the last one accepted for this
 * account; 0 for none) is refused, so a code cannot be replayed. Returns 0 and sets *step (the
 * step the code belongs to, to store as the new last_step), or MM_EPERM (wrong or replayed) /
 * MM_EINVAL (not exactly 6 ASCII digits, or a negative time); *step is untouched on failure.
 */
int totp_verify(const unsigned char secret[TOTP_SECRET_BYTES], const char *code, int64_t now_ms,
    int64_t last_step, int64_t *step);

/*
 * The code at now_ms (for tests and the CLI). out gets 6 digits and a NUL. Returns 0, or
 * MM_EINVAL (negative time).
 */
int totp_code(const unsigned char secret[TOTP_SECRET_BYTES], int64_t now_ms, char out[7]);

/*
 * Draws text as a QR code (error correction M) in a standalone SVG: black modules on white, a
 * quiet zone of 4, one SVG unit per module, no script and no external reference. *svg is
 * malloc'ed; the caller frees it. Returns 0, MM_ENOMEM, MM_ETOOBIG (more than a QR code holds)
 * or MM_EINVAL (empty text); *svg is NULL on failure.
 */
int totp_qr_svg(const char *text, char **svg);

#endif
