#include "auth/mfa.h"
#include "auth/totp.h"
#include "base/str.h"
#include "base/time.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
aad(char *out, size_t n, int64_t id)
{
	snprintf(out, n, "account.totp_secret:%" PRId64, id);
}

/* Decrypts the account's TOTP secret. */
static int
secret_of(struct mamori *m, const struct account *a, unsigned char secret[TOTP_SECRET_BYTES])
{
	char ad[64];
	size_t len;

	if (a->ac_totp_secret == NULL)
		return MM_ENOTFOUND;
	aad(ad, sizeof(ad), a->ac_id);
	if (mm_field_decrypt(m->md_master_key, MM_KEY_TOTP, ad, a->ac_totp_secret, secret,
	    TOTP_SECRET_BYTES, &len) != 0 || len != TOTP_SECRET_BYTES)
		return MM_ECORRUPT;
	return 0;
}

static int
audit_mfa(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    const char *action, struct mm_err *err)
{
	char idtext[24];

	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	return mamori_audit(m, st, who, &(struct audit_event){.action = action,
	    .target_type = "account", .target_id = idtext, .access = AUDIT_UPDATE,
	    .outcome = "success"}, NULL, err);
}

int
mfa_enrol_start(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    json_t **out, struct mm_err *err)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	char b32[TOTP_BASE32_LEN], uri[512], ad[64], *enc = NULL, *svg = NULL;
	struct account a;
	struct store_stmt *s;
	int rc;

	*out = NULL;
	if ((rc = account_load(m, st, NULL, id, &a, err)) != 0)
		return rc;
	if (a.ac_totp_enabled) {
		account_clear(&a);
		return mm_err_input(err, "totp", "enrolled", "二要素認証はすでに登録されています",
		    "a second factor is already enrolled (ask the security officer to reset it)");
	}
	totp_secret_new(secret);
	totp_base32(secret, b32);
	aad(ad, sizeof(ad), id);
	if ((rc = totp_uri(a.ac_login, secret, uri, sizeof(uri))) != 0 ||
	    (rc = totp_qr_svg(uri, &svg)) != 0 ||
	    (rc = mm_field_encrypt(m->md_master_key, MM_KEY_TOTP, ad, secret, sizeof(secret), &enc)) != 0) {
		mm_err_set(err, rc, "totp", "cannot make the enrolment code");
		goto out;
	}
	if ((rc = store_begin(st, err)) != 0)
		goto out;
	if ((rc = store_prepare(st, "UPDATE account SET totp_secret = $2, totp_last_step = 0 WHERE id = $1",
	    &s, err)) == 0) {
		store_bind_int(s, "$1", id);
		store_bind_text(s, "$2", enc);
		rc = store_step(s, err);
		store_finalize(s);
	}
	if (rc >= 0)
		rc = audit_mfa(m, st, who, id, "mfa.enrol_start", err);
	rc = rc == 0 ? store_commit(st, err) : (store_rollback(st), rc);
	if (rc == 0)
		*out = json_pack("{s:s, s:s, s:s}", "secret", b32, "otpauth_uri", uri, "qr_svg", svg);
out:
	mm_wipe(secret, sizeof(secret));
	mm_wipe(b32, sizeof(b32));
	mm_wipe(uri, sizeof(uri));
	free(enc);
	free(svg);
	account_clear(&a);
	return rc;
}

/* A recovery code as printed: XXXXX-XXXXX from an unambiguous alphabet. */
static void
recovery_code_new(char out[12])
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char raw[10];

	mm_random(raw, sizeof(raw));
	for (int i = 0, j = 0; i < 10; i++) {
		out[j++] = alphabet[raw[i] % 32];
		if (i == 4)
			out[j++] = '-';
	}
	out[11] = '\0';
	mm_wipe(raw, sizeof(raw));
}

/* The keyed hash of a recovery code, ignoring case, spaces and hyphens. */
static int
recovery_hash(struct mamori *m, const char *code, char out[65])
{
	char norm[16];
	size_t n = 0;

	for (const char *p = code; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (!isalnum((unsigned char)*p) || n >= 10)
			return MM_EINVAL;
		norm[n++] = (char)toupper((unsigned char)*p);
	}
	if (n != 10)
		return MM_EINVAL;
	mm_keyed_hash(m->md_master_key, MM_KEY_RECOVERY, norm, n, out);
	mm_wipe(norm, sizeof(norm));
	return 0;
}

int
mfa_enrol_confirm(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    const char *code, json_t **out, struct mm_err *err)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	char when[MM_TIME_STRLEN], codes[MFA_RECOVERY_CODES][12], hash[65];
	struct account a;
	struct store_stmt *s;
	int64_t step;
	int rc;

	*out = NULL;
	if ((rc = account_load(m, st, NULL, id, &a, err)) != 0)
		return rc;
	if (a.ac_totp_enabled || a.ac_totp_secret == NULL) {
		account_clear(&a);
		return mm_err_input(err, "code", "state", "先に二要素認証の登録を始めてください",
		    a.ac_totp_enabled ? "a second factor is already enrolled" : "start the enrolment first");
	}
	if ((rc = secret_of(m, &a, secret)) != 0) {
		account_clear(&a);
		return mm_err_set(err, rc, "totp", "the stored secret cannot be read");
	}
	rc = totp_verify(secret, code ? code : "", mm_now_ms(), 0, &step);
	mm_wipe(secret, sizeof(secret));
	account_clear(&a);
	if (rc != 0)
		return mm_err_input(err, "code", "mfa_invalid", "コードが違います。認証アプリの現在の6桁を入力してください",
		    "the code does not match; enter the app's current 6 digits");
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = store_prepare(st, "UPDATE account SET totp_enabled_at = $2, totp_last_step = $3"
	    " WHERE id = $1", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", when);
	store_bind_int(s, "$3", step);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0 || (rc = store_prepare(st, "DELETE FROM recovery_code WHERE account_id = $1", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	for (int i = 0; i < MFA_RECOVERY_CODES; i++) {
		recovery_code_new(codes[i]);
		recovery_hash(m, codes[i], hash);
		if ((rc = store_prepare(st, "INSERT INTO recovery_code (account_id, code_hash) VALUES ($1, $2)",
		    &s, err)) != 0)
			goto fail;
		store_bind_int(s, "$1", id);
		store_bind_text(s, "$2", hash);
		rc = store_step(s, err);
		store_finalize(s);
		if (rc < 0)
			goto fail;
	}
	if ((rc = audit_mfa(m, st, who, id, "mfa.enable", err)) != 0 || (rc = store_commit(st, err)) != 0)
		goto fail;
	*out = json_pack("{s:[]}", "recovery_codes");
	for (int i = 0; i < MFA_RECOVERY_CODES; i++)
		json_array_append_new(json_object_get(*out, "recovery_codes"), json_string(codes[i]));
	mm_wipe(codes, sizeof(codes));
	return 0;
fail:
	store_rollback(st);
	mm_wipe(codes, sizeof(codes));
	return rc;
}

int
mfa_check(struct mamori *m, struct store *st, const struct account *a, const char *code,
    int64_t now, int64_t *step, char *recovery)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	struct store_stmt *s;
	struct mm_err e2 = {0};
	size_t len = strlen(code);
	int rc;

	*step = 0;
	recovery[0] = '\0';
	if (len == 6) {
		if (secret_of(m, a, secret) != 0)
			return MM_EPERM;
		rc = totp_verify(secret, code, now, a->ac_totp_last_step, step);
		mm_wipe(secret, sizeof(secret));
		return rc == 0 ? 0 : MM_EPERM;
	}
	if (recovery_hash(m, code, recovery) != 0)
		return MM_EPERM;
	if (store_prepare(st, "SELECT 1 FROM recovery_code WHERE account_id = $1 AND code_hash = $2"
	    " AND used_at IS NULL", &s, &e2) != 0)
		return MM_EPERM;
	store_bind_int(s, "$1", a->ac_id);
	store_bind_text(s, "$2", recovery);
	rc = store_step(s, &e2);
	store_finalize(s);
	if (rc != STORE_ROW) {
		recovery[0] = '\0';
		return MM_EPERM;
	}
	return 0;
}

int
mfa_reset(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = store_prepare(st, "UPDATE account SET totp_secret = NULL, totp_enabled_at = NULL,"
	    " totp_last_step = 0 WHERE id = $1", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if (store_changes(st) == 0) {
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "no account %" PRId64, id);
		goto fail;
	}
	if ((rc = store_prepare(st, "DELETE FROM recovery_code WHERE account_id = $1", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0 || (rc = audit_mfa(m, st, who, id, "mfa.reset", err)) != 0)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return rc;
}
