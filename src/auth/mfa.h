/*
 * The second factor (001 システム管理規程 §4.1.5⑤; required for privileged accounts by the profile):
 * TOTP enrolment with a QR code, one-time recovery codes, and checking a code at login. The secret
 * is stored encrypted (crypto/field.c), recovery codes as keyed hashes.
 */
#ifndef MM_MFA_H
#define MM_MFA_H

#include "auth/account.h"

#define MFA_RECOVERY_CODES 10

/* Starts enrolment: a new secret (replacing a pending one). *out = {secret, otpauth_uri, qr_svg}. */
int mfa_enrol_start(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    json_t **out, struct mm_err *err);

/* Confirms enrolment with a current code. *out = {recovery_codes: [...]} shown once. */
int mfa_enrol_confirm(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    const char *code, json_t **out, struct mm_err *err);

/*
 * Checks a 6-digit TOTP code (giving *step) or a recovery code (giving its hash in recovery_hash,
 * 65 bytes). Writes nothing: session_open spends them. 0 or MM_EPERM.
 */
int mfa_check(struct mamori *m, struct store *st, const struct account *a, const char *code,
    int64_t now, int64_t *step, char *recovery_hash);

/* Removes the second factor (lost phone); the account must enrol again before anything else. */
int mfa_reset(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    struct mm_err *err);

#endif
