#include "auth/login.h"
#include "auth/mfa.h"
#include "base/str.h"
#include "base/time.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define GENERIC_JA "ログインできませんでした。ログイン名とパスワードを確かめてください。続けて失敗するとアカウントはロックされます。"
#define GENERIC_EN "Sign-in failed. Check the login and password; repeated failures lock the account."

static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[MM_PWHASH_STRLEN];

/* A hash to verify against when the login does not exist, so that both take the same time. */
static const char *
dummy(struct mamori *m)
{
	pthread_mutex_lock(&dummy_lock);
	if (dummy_hash[0] == '\0') {
		char pw[24];
		mm_password_generate(pw, 20);
		mm_password_hash(dummy_hash, pw, (uint64_t)policy_int(m->md_policy, POLICY_ARGON2_OPSLIMIT),
		    (size_t)policy_int(m->md_policy, POLICY_ARGON2_MEMLIMIT_MIB) * 1024 * 1024);
		mm_wipe(pw, sizeof(pw));
	}
	pthread_mutex_unlock(&dummy_lock);
	return dummy_hash;
}

static int
audit_login(struct mamori *m, struct store *st, const char *actor, const char *client,
    const char *action, const char *target, const char *outcome, const char *reason, struct mm_err *err)
{
	struct mm_actor who = {actor, client};
	char details[96];
	int rc, own = !store_in_transaction(st);

	snprintf(details, sizeof(details), "{\"reason\":\"%s\"}", reason);
	if (own && (rc = store_begin(st, err)) != 0)
		return rc;
	rc = mamori_audit(m, st, &who, &(struct audit_event){.action = action,
	    .target_type = "account", .target_id = target, .access = AUDIT_READ, .outcome = outcome,
	    .details = reason ? details : NULL}, NULL, err);
	if (own)
		rc = rc == 0 ? store_commit(st, err) : (store_rollback(st), rc);
	return rc;
}

void
login_register_failure(struct mamori *m, struct store *st, const struct account *a,
    const struct mm_actor *who, const char *action, struct mm_err *err)
{
	int priv = account_privileged(m, a);
	int64_t threshold = policy_int(m->md_policy,
	    priv ? POLICY_LOCKOUT_PRIVILEGED_THRESHOLD : POLICY_LOCKOUT_GENERAL_THRESHOLD);
	struct policy_duration d = policy_duration(m->md_policy,
	    priv ? POLICY_LOCKOUT_PRIVILEGED_DURATION : POLICY_LOCKOUT_GENERAL_DURATION);
	char until[MM_TIME_STRLEN], idtext[24], details[160];
	struct store_stmt *s;
	struct mm_err e2 = {0};
	int lock = threshold > 0 && a->ac_failed + 1 >= threshold;

	(void)err; /* the caller's own error is what the user sees */
	snprintf(idtext, sizeof(idtext), "%" PRId64, a->ac_id);
	mm_time_format(policy_add(mm_now_ms(), d), until);
	if (store_begin(st, &e2) != 0)
		return;
	/* at the threshold the count starts again, so the next lock needs as many failures */
	if (store_prepare(st, lock
	    ? "UPDATE account SET failed_logins = 0, locked_until = $2 WHERE id = $1"
	    : "UPDATE account SET failed_logins = failed_logins + 1 WHERE id = $1", &s, &e2) != 0)
		goto fail;
	store_bind_int(s, "$1", a->ac_id);
	if (lock)
		store_bind_text(s, "$2", until);
	if (store_step(s, &e2) < 0) {
		store_finalize(s);
		goto fail;
	}
	store_finalize(s);
	if (audit_login(m, st, a->ac_login, who->client, action, idtext, "failure", "password", &e2) != 0)
		goto fail;
	if (lock) {
		snprintf(details, sizeof(details), "{\"failures\":%" PRId64 ",\"until\":\"%s\",\"class\":\"%s\"}",
		    threshold, until, priv ? "privileged" : "general");
		if (mamori_audit(m, st, who, &(struct audit_event){.action = "account.lock",
		    .target_type = "account", .target_id = idtext, .access = AUDIT_UPDATE,
		    .outcome = "success", .details = details}, NULL, &e2) != 0)
			goto fail;
	}
	store_commit(st, &e2);
	return;
fail:
	store_rollback(st);
}

/* The one answer for every failed sign-in, whatever the reason. */
static int
refuse(struct mm_err *err)
{
	mm_err_set(err, MM_EPERM, "login", GENERIC_EN);
	mm_strlcpy(err->rule, "credentials", sizeof(err->rule));
	mm_strlcpy(err->msg_ja, GENERIC_JA, sizeof(err->msg_ja));
	return MM_EPERM;
}

/* Remakes the hash when the profile's Argon2 settings changed (after a successful login). */
static void
login_rehash(struct mamori *m, struct store *st, const struct account *a, const char *password)
{
	uint64_t ops = (uint64_t)policy_int(m->md_policy, POLICY_ARGON2_OPSLIMIT);
	size_t mem = (size_t)policy_int(m->md_policy, POLICY_ARGON2_MEMLIMIT_MIB) * 1024 * 1024;
	char hash[MM_PWHASH_STRLEN];
	struct store_stmt *s;
	struct mm_err e2 = {0};

	if (!mm_password_needs_rehash(a->ac_password_hash, ops, mem) ||
	    mm_password_hash(hash, password, ops, mem) != 0)
		return;
	if (store_prepare(st, "UPDATE account SET password_hash = $2 WHERE id = $1 AND password_hash = $3",
	    &s, &e2) == 0) {
		store_bind_int(s, "$1", a->ac_id);
		store_bind_text(s, "$2", hash);
		store_bind_text(s, "$3", a->ac_password_hash);
		store_step(s, &e2);
		store_finalize(s);
	}
	mm_wipe(hash, sizeof(hash));
}

int
login_password(struct mamori *m, struct store *st, const char *login, const char *password,
    const char *code, const char *client, struct login_result *res, struct mm_err *err)
{
	struct account a;
	struct mm_actor who;
	char idtext[24];
	int64_t now = mm_now_ms(), step = 0;
	char recovery[65] = "";
	int rc;

	memset(res, 0, sizeof(*res));
	if (login == NULL || password == NULL || strlen(login) > 64 || strlen(password) > 256)
		return refuse(err);
	if ((rc = account_load(m, st, login, 0, &a, err)) != 0) {
		if (rc != MM_ENOTFOUND)
			return rc;
		mm_password_verify(dummy(m), password);
		/* the attempted name is not recorded: people type passwords into the login field */
		audit_login(m, st, "anonymous", client, "login.failure", "unknown", "failure", "unknown_login", err);
		return refuse(err);
	}
	who = (struct mm_actor){a.ac_login, client};
	snprintf(idtext, sizeof(idtext), "%" PRId64, a.ac_id);
	if (account_access_ended(&a, now)) {
		mm_password_verify(a.ac_password_hash, password);
		audit_login(m, st, a.ac_login, client, "login.failure", idtext, "denied",
		    a.ac_disabled ? "disabled" : "left", err);
		rc = refuse(err);
		goto out;
	}
	if (a.ac_locked_until_ms > now) {
		/* while locked even the right password is refused, and it does not count again */
		mm_password_verify(a.ac_password_hash, password);
		audit_login(m, st, a.ac_login, client, "login.failure", idtext, "denied", "locked", err);
		rc = refuse(err);
		goto out;
	}
	if (mm_password_verify(a.ac_password_hash, password) != 0) {
		login_register_failure(m, st, &a, &who, "login.failure", err);
		rc = refuse(err);
		goto out;
	}
	if (account_needs_mfa(m, &a) && a.ac_totp_enabled) {
		if (code == NULL || *code == '\0') {
			audit_login(m, st, a.ac_login, client, "login.mfa_required", idtext, "failure", "no_code", err);
			rc = mm_err_set(err, MM_EPERM, "totp", "enter the 6-digit code of your authenticator app");
			mm_strlcpy(err->rule, "mfa_required", sizeof(err->rule));
			mm_strlcpy(err->msg_ja, "認証アプリの6桁のコードを入力してください", sizeof(err->msg_ja));
			goto out;
		}
		if (mfa_check(m, st, &a, code, now, &step, recovery) != 0) {
			login_register_failure(m, st, &a, &who, "login.failure", err);
			rc = mm_err_set(err, MM_EPERM, "totp", "the code is wrong or was already used");
			mm_strlcpy(err->rule, "mfa_invalid", sizeof(err->rule));
			mm_strlcpy(err->msg_ja, "コードが違うか、すでに使われています", sizeof(err->msg_ja));
			goto out;
		}
	}
	if ((rc = store_begin(st, err)) != 0)
		goto out;
	if ((rc = session_open(m, st, &a, client, step, recovery, res, err)) != 0) {
		store_rollback(st);
		goto out;
	}
	rc = store_commit(st, err);
	if (rc == 0)
		login_rehash(m, st, &a, password);
out:
	account_clear(&a);
	if (rc != 0)
		mm_wipe(res, sizeof(*res));
	return rc;
}
