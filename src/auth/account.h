/*
 * mamori's own accounts (004 ch5; 002 第9条–第12条; 001 システム管理規程 §4.1): issuance by an approver
 * the profile allows, one account per person, names that are never shared or reused, one-time
 * passwords that must be changed first, lockout, disabling, roles, and the leaver rule (access
 * ends automatically revoke_deadline after the leave date).
 */
#ifndef MM_ACCOUNT_H
#define MM_ACCOUNT_H

#include "auth/authz.h"
#include "auth/password_rules.h"
#include "core/mamori.h"

#include <jansson.h>

#define ACCOUNT_ONE_TIME_PASSWORD_LEN 16

/* An account as loaded for login and sessions. Wipe with account_clear(). */
struct account {
	int64_t ac_id;
	char ac_login[64];
	int64_t ac_person_id;
	unsigned ac_roles;
	int ac_must_change;
	int ac_disabled;
	int64_t ac_locked_until_ms; /* 0: not locked */
	int ac_failed;
	char ac_password_hash[128];
	char *ac_totp_secret; /* encrypted hex, malloc'ed; NULL when none */
	int ac_totp_enabled;
	int64_t ac_totp_last_step;
	int64_t ac_access_ends_ms; /* 0: no leave date; else the leaver cutoff */
	struct pw_subject ac_subject; /* strings below */
	char ac_sub_buf[1024];
};

void account_clear(struct account *a);

/* Loads by login (when login != NULL) or by id. MM_ENOTFOUND when absent. */
int account_load(struct mamori *m, struct store *st, const char *login, int64_t id,
    struct account *a, struct mm_err *err);

/* 1 when the account is privileged under the profile (any role beyond employee, per profile). */
int account_privileged(struct mamori *m, const struct account *a);
/* The password rules of the account's class. */
void account_rules(struct mamori *m, int privileged, struct pw_rules *r);
/* 1 when a second factor must be enrolled or used (privileged and the profile asks for it). */
int account_needs_mfa(struct mamori *m, const struct account *a);
/* 1 when the account may not do anything but change its password or enrol MFA. */
int account_restricted(struct mamori *m, const struct account *a);
/* 1 when access has ended at now (disabled, or past the leaver cutoff). */
int account_access_ended(const struct account *a, int64_t now);

/*
 * Issues an account: in = {person_id, login, roles: [..]} (roles default ["employee"]). The
 * approver (who) must hold a role the profile lists in issuance_approvers and may not issue their
 * own account. On success *out = {id, login, password} with a one-time password to hand over.
 */
int account_issue(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, json_t *in, json_t **out, json_t **errors, struct mm_err *err);
/* What account_issue checks of in (person, login free and allowed, roles), for a request made to the
 * approvers through the approval engine (workflow/effects.c). */
int account_issue_check(struct mamori *m, struct store *st, json_t *in, struct mm_err *err);
/* Issues the account of an approved request: the checks again, the approver (pr, who) not the person,
 * inside the caller's transaction; *out as account_issue's. */
int account_issue_approved(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, json_t *in, json_t **out, struct mm_err *err);

/* A new one-time password (must be changed first). password gets ACCOUNT_ONE_TIME_PASSWORD_LEN+1. */
int account_reset_password(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    char *password, struct mm_err *err);
/* Disables the account and ends its sessions; it can never be enabled under another person. */
int account_disable(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    const char *reason, struct mm_err *err);
int account_unlock(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    struct mm_err *err);
/* Replaces the roles with the given role keys; nobody changes their own roles. */
int account_set_roles(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t id, json_t *roles, struct mm_err *err);

/* Accounts as JSON (no secrets): id, login, person, roles, privileged, state. */
int account_list(struct mamori *m, struct store *st, json_t **out, struct mm_err *err);
int account_get(struct mamori *m, struct store *st, int64_t id, json_t **out, struct mm_err *err);

/*
 * Checks a new password against every rule of the account's class, its history and its current
 * password. *rules (when not NULL) = [{rule, met, text, text_en}]. Returns the number broken.
 */
int account_password_check(struct mamori *m, struct store *st, const struct account *a,
    const char *password, json_t **rules, struct mm_err *err);

/*
 * Changes the password: current must match (a wrong one counts toward lockout); the new one must
 * meet every rule. On failure *errors lists each broken rule for the field new_password.
 */
int account_change_password(struct mamori *m, struct store *st, const struct mm_actor *who,
    int64_t id, const char *current, const char *password, json_t **errors, struct mm_err *err);

/* The text of the password-history rule of a class (privileged 1 or 0), in Japanese or English. */
void account_history_text(struct mamori *m, int priv, int ja, char *out, size_t n);

/* Checks a login name: 3-32 of a-z 0-9 . _ -, not forbidden by the profile (004 ch5 §9.3). */
int account_login_check(const struct policy *p, const char *field, const char *login,
    struct mm_err *err);

/*
 * Creates an account row with a one-time password (written into password, which must hold
 * ACCOUNT_ONE_TIME_PASSWORD_LEN + 1 bytes) and the given roles, audited. Inside the caller's
 * transaction. Used by init for the first administrator and by account_issue.
 */
int account_bootstrap(struct mamori *m, struct store *st, const struct mm_actor *who, const char *login,
    unsigned roles, char *password, int64_t *id, struct mm_err *err);

/* Role bits from a JSON array of keys; MM_EINVAL naming an unknown one. */
int account_roles_from_json(json_t *roles, unsigned *mask, struct mm_err *err);
json_t *account_roles_json(unsigned mask);

#endif
