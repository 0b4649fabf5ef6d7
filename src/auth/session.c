/*
 * Sessions: a random token in an HttpOnly cookie, stored only as its BLAKE2b hash; a CSRF token
 * likewise; an idle timeout and an absolute lifetime from the profile (004 ch7 §3.2: 5 minutes).
 */
#include "auth/login.h"
#include "base/str.h"
#include "base/time.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define TOUCH_EVERY_MS 5000 /* note activity at most this often: each note is a durable write */

int
session_open(struct mamori *m, struct store *st, const struct account *a, const char *client,
    int64_t totp_step, const char *recovery_hash, struct login_result *res, struct mm_err *err)
{
	struct mm_actor who = {a->ac_login, client};
	char token_hash[65], csrf_hash[65], when[MM_TIME_STRLEN], idtext[24], details[96];
	struct store_stmt *s;
	int rc;

	mm_token_new(res->lr_token, 32);
	mm_token_new(res->lr_csrf, 32);
	res->lr_account_id = a->ac_id;
	mm_hash_hex(res->lr_token, strlen(res->lr_token), token_hash);
	mm_hash_hex(res->lr_csrf, strlen(res->lr_csrf), csrf_hash);
	mm_time_format(mm_now_ms(), when);
	snprintf(idtext, sizeof(idtext), "%" PRId64, a->ac_id);
	if (totp_step > 0) {
		/* the step must still be newer than the last one: a replay that raced us loses here */
		if ((rc = store_prepare(st, "UPDATE account SET totp_last_step = $2 WHERE id = $1"
		    " AND totp_last_step < $2", &s, err)) != 0)
			return rc;
		store_bind_int(s, "$1", a->ac_id);
		store_bind_int(s, "$2", totp_step);
		rc = store_step(s, err);
		store_finalize(s);
		if (rc < 0)
			return rc;
		if (store_changes(st) != 1)
			return mm_err_set(err, MM_EPERM, "totp", "the code was already used");
	}
	if (recovery_hash && *recovery_hash) {
		if ((rc = store_prepare(st, "UPDATE recovery_code SET used_at = $3 WHERE account_id = $1"
		    " AND code_hash = $2 AND used_at IS NULL", &s, err)) != 0)
			return rc;
		store_bind_int(s, "$1", a->ac_id);
		store_bind_text(s, "$2", recovery_hash);
		store_bind_text(s, "$3", when);
		rc = store_step(s, err);
		store_finalize(s);
		if (rc < 0)
			return rc;
		if (store_changes(st) != 1)
			return mm_err_set(err, MM_EPERM, "totp", "the recovery code was already used");
	}
	if ((rc = store_prepare(st, "UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = $1",
	    &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", a->ac_id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	if ((rc = store_prepare(st, "INSERT INTO session (token_hash, csrf_hash, account_id, created_at,"
	    " last_seen_at, client) VALUES ($1, $2, $3, $4, $4, $5)", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", token_hash);
	store_bind_text(s, "$2", csrf_hash);
	store_bind_int(s, "$3", a->ac_id);
	store_bind_text(s, "$4", when);
	store_bind_text(s, "$5", client);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	snprintf(details, sizeof(details), "{\"second_factor\":\"%s\",\"restricted\":%s}",
	    totp_step > 0 ? "totp" : (recovery_hash && *recovery_hash) ? "recovery_code" : "none",
	    account_restricted(m, a) ? "true" : "false");
	return mamori_audit(m, st, &who, &(struct audit_event){.action = "login.success",
	    .target_type = "account", .target_id = idtext, .access = AUDIT_READ, .outcome = "success",
	    .details = details}, NULL, err);
}

/* Marks a session ended and audits why, in its own transaction. */
static void
end_row(struct mamori *m, struct store *st, const char *token_hash, int64_t account_id,
    const char *login, const char *client, const char *reason, const char *action)
{
	struct mm_actor who = {login, client};
	struct mm_err e2 = {0};
	char when[MM_TIME_STRLEN], idtext[24], details[64];
	struct store_stmt *s;

	mm_time_format(mm_now_ms(), when);
	snprintf(idtext, sizeof(idtext), "%" PRId64, account_id);
	snprintf(details, sizeof(details), "{\"reason\":\"%s\"}", reason);
	if (store_begin(st, &e2) != 0)
		return;
	if (store_prepare(st, "UPDATE session SET ended_at = $2, end_reason = $3 WHERE token_hash = $1"
	    " AND ended_at IS NULL", &s, &e2) != 0)
		goto fail;
	store_bind_text(s, "$1", token_hash);
	store_bind_text(s, "$2", when);
	store_bind_text(s, "$3", reason);
	if (store_step(s, &e2) < 0) {
		store_finalize(s);
		goto fail;
	}
	store_finalize(s);
	if (store_changes(st) == 0 || mamori_audit(m, st, &who, &(struct audit_event){.action = action,
	    .target_type = "account", .target_id = idtext, .access = AUDIT_UPDATE, .outcome = "success",
	    .details = details}, NULL, &e2) != 0)
		goto fail;
	store_commit(st, &e2);
	return;
fail:
	store_rollback(st);
}

static int
expired(struct mm_err *err, const char *rule, const char *ja, const char *en)
{
	mm_err_set(err, MM_EPERM, "session", "%s", en);
	mm_strlcpy(err->rule, rule, sizeof(err->rule));
	mm_strlcpy(err->msg_ja, ja, sizeof(err->msg_ja));
	return MM_EPERM;
}

int
session_resolve(struct mamori *m, struct store *st, const char *token, const char *client,
    struct principal *pr, struct session_info *info, struct mm_err *err)
{
	struct store_stmt *s;
	struct account a;
	int64_t created, seen, now = mm_now_ms(), id;
	int rc, ended;

	memset(pr, 0, sizeof(*pr));
	memset(info, 0, sizeof(*info));
	if (token == NULL || *token == '\0' || strlen(token) >= SESSION_TOKEN_LEN)
		return expired(err, "no_session", "ログインしてください", "sign in first");
	mm_hash_hex(token, strlen(token), info->si_token_hash);
	if ((rc = store_prepare(st, "SELECT account_id, created_at, last_seen_at, ended_at IS NOT NULL"
	    " FROM session WHERE token_hash = $1", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", info->si_token_hash);
	rc = store_step(s, err);
	if (rc != STORE_ROW) {
		store_finalize(s);
		return rc < 0 ? rc : expired(err, "no_session", "ログインしてください", "sign in first");
	}
	id = store_col_int(s, 0);
	created = seen = 0;
	mm_time_parse(store_col_text(s, 1), &created);
	mm_time_parse(store_col_text(s, 2), &seen);
	ended = (int)store_col_int(s, 3);
	store_finalize(s);
	if (ended)
		return expired(err, "ended", "ログインしてください（セッションは終了しています）",
		    "the session has ended; sign in again");
	if ((rc = account_load(m, st, NULL, id, &a, err)) != 0)
		return rc;
	info->si_idle_ms = policy_ms(m->md_policy, POLICY_SESSION_IDLE_TIMEOUT);
	info->si_warning_ms = policy_ms(m->md_policy, POLICY_SESSION_IDLE_WARNING);
	info->si_lifetime_ms = policy_ms(m->md_policy, POLICY_SESSION_LIFETIME);
	/* the most telling reason first: a leaver's session ends as access_ended */
	if (account_access_ended(&a, now)) {
		end_row(m, st, info->si_token_hash, id, a.ac_login, client, "access_ended", "session.expire");
		rc = expired(err, "access_ended", "このアカウントは利用できません", "this account can no longer sign in");
	} else if (info->si_idle_ms > 0 && now - seen >= info->si_idle_ms) {
		end_row(m, st, info->si_token_hash, id, a.ac_login, client, "idle_timeout", "session.expire");
		rc = expired(err, "idle_timeout", "一定時間操作がなかったため、ログアウトしました",
		    "signed out after the idle timeout");
	} else if (info->si_lifetime_ms > 0 && now - created >= info->si_lifetime_ms) {
		end_row(m, st, info->si_token_hash, id, a.ac_login, client, "lifetime", "session.expire");
		rc = expired(err, "lifetime", "セッションの有効期間が過ぎました。もう一度ログインしてください",
		    "the session reached its lifetime; sign in again");
	}
	if (rc != 0) {
		account_clear(&a);
		return rc;
	}
	info->si_account_id = id;
	mm_strlcpy(info->si_login, a.ac_login, sizeof(info->si_login));
	info->si_roles = a.ac_roles;
	info->si_privileged = account_privileged(m, &a);
	info->si_must_change = a.ac_must_change;
	info->si_mfa_enrolment = account_needs_mfa(m, &a) && !a.ac_totp_enabled;
	info->si_mfa_enabled = a.ac_totp_enabled;
	info->si_created_ms = created;
	pr->pr_account_id = id;
	mm_strlcpy(pr->pr_login, a.ac_login, sizeof(pr->pr_login));
	pr->pr_roles = a.ac_roles;
	pr->pr_restricted = account_restricted(m, &a);
	account_clear(&a);
	if (now - seen >= TOUCH_EVERY_MS) {
		char when[MM_TIME_STRLEN];
		mm_time_format(now, when);
		if (store_prepare(st, "UPDATE session SET last_seen_at = $2 WHERE token_hash = $1", &s, err) == 0) {
			store_bind_text(s, "$1", info->si_token_hash);
			store_bind_text(s, "$2", when);
			store_step(s, err);
			store_finalize(s);
		}
	}
	return 0;
}

int
session_csrf_ok(struct store *st, const struct session_info *info, const char *csrf)
{
	struct store_stmt *s;
	struct mm_err e2 = {0};
	char hash[65];
	int ok = 0;

	if (csrf == NULL || *csrf == '\0' || strlen(csrf) >= SESSION_TOKEN_LEN)
		return 0;
	mm_hash_hex(csrf, strlen(csrf), hash);
	if (store_prepare(st, "SELECT csrf_hash FROM session WHERE token_hash = $1", &s, &e2) != 0)
		return 0;
	store_bind_text(s, "$1", info->si_token_hash);
	if (store_step(s, &e2) == STORE_ROW && strlen(store_col_text(s, 0)) == 64)
		ok = mm_equal(store_col_text(s, 0), hash, 64);
	store_finalize(s);
	return ok;
}

int
session_end(struct mamori *m, struct store *st, const struct session_info *info,
    const struct mm_actor *who, const char *reason, struct mm_err *err)
{
	(void)err;
	end_row(m, st, info->si_token_hash, info->si_account_id, who->login, who->client, reason,
	    "logout");
	return 0;
}
