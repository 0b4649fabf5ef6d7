/*
 * Logging in (004 ch5 §9.3): password, lockout per account class, the second factor for privileged
 * accounts, and sessions. Every success and failure is an audit event; no response says whether a
 * login name exists.
 */
#ifndef MM_LOGIN_H
#define MM_LOGIN_H

#include "auth/account.h"

#define SESSION_TOKEN_LEN 64 /* base64url of 32 random bytes, with room */

struct login_result {
	int64_t lr_account_id;
	char lr_token[SESSION_TOKEN_LEN]; /* the cookie's value; the database keeps only its hash */
	char lr_csrf[SESSION_TOKEN_LEN];  /* sent back in X-CSRF-Token on every mutating request */
};

/*
 * Checks login and password (and the TOTP or recovery code when the account needs one) and opens
 * a session. Returns 0, or MM_EPERM with err->rule "credentials" (wrong, unknown, locked, disabled
 * or left: the same answer) or "mfa_required" (the password was right; a code is needed).
 */
int login_password(struct mamori *m, struct store *st, const char *login, const char *password,
    const char *code, const char *client, struct login_result *res, struct mm_err *err);

/* Counts a failed password for a known account and locks it at the profile's threshold. */
void login_register_failure(struct mamori *m, struct store *st, const struct account *a,
    const struct mm_actor *who, const char *action, struct mm_err *err);

/*
 * Inside the caller's transaction: opens a session for a, whose password (and code) were checked,
 * records the TOTP step or spends the recovery code (refusing a replay that raced us), clears the
 * failure count and audits login.success.
 */
int session_open(struct mamori *m, struct store *st, const struct account *a, const char *client,
    int64_t totp_step, const char *recovery_hash, struct login_result *res, struct mm_err *err);

/* What a valid session says about its account. */
struct session_info {
	int64_t si_account_id;
	char si_login[64];
	unsigned si_roles;
	int si_privileged;
	int si_must_change;
	int si_mfa_enrolment; /* must enrol a second factor before anything else */
	int si_mfa_enabled;
	int64_t si_idle_ms, si_warning_ms, si_lifetime_ms;
	int64_t si_created_ms;
	char si_token_hash[65];
};

/*
 * Resolves a session cookie: ends it (and says why in err->rule: "idle_timeout", "lifetime",
 * "access_ended") when the idle timeout or lifetime has passed or the account may no longer sign
 * in; otherwise fills the principal and info and notes the activity. MM_EPERM when not valid.
 */
int session_resolve(struct mamori *m, struct store *st, const char *token, const char *client,
    struct principal *pr, struct session_info *info, struct mm_err *err);

/* 1 when csrf matches the session's CSRF token (constant time). */
int session_csrf_ok(struct store *st, const struct session_info *info, const char *csrf);

/* Ends a session (logout). */
int session_end(struct mamori *m, struct store *st, const struct session_info *info,
    const struct mm_actor *who, const char *reason, struct mm_err *err);

#endif
