/* Issuing and managing accounts. Login and sessions are in login.c and session.c. */
#include "auth/account.h"
#include "base/str.h"
#include "base/time.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
account_clear(struct account *a)
{
	free(a->ac_totp_secret);
	mm_wipe(a, sizeof(*a));
}

int
account_login_check(const struct policy *p, const char *field, const char *login, struct mm_err *err)
{
	size_t len = strlen(login);

	if (len < 3 || len > 32 || !islower((unsigned char)login[0]))
		return mm_err_input(err, field, "login", "3〜32文字で、英小文字で始めてください",
		    "login must be 3 to 32 characters and start with a lower-case letter");
	for (size_t i = 0; i < len; i++)
		if (!(islower((unsigned char)login[i]) || isdigit((unsigned char)login[i]) ||
		    login[i] == '.' || login[i] == '_' || login[i] == '-'))
			return mm_err_input(err, field, "login", "英小文字・数字・「.」「_」「-」だけが使えます",
			    "login may hold only a-z, 0-9, '.', '_' and '-'");
	if (policy_list_has(p, POLICY_ACCOUNT_FORBIDDEN_LOGINS, login))
		return mm_err_input(err, field, "forbidden_login",
		    "このログイン名は規程で禁止されています（共有・推測されやすい名前）",
		    "login '%s' is not allowed by the profile (%s)", login,
		    policy_source(p, POLICY_ACCOUNT_FORBIDDEN_LOGINS));
	return 0;
}

static int64_t
parse_time_col(const char *t)
{
	int64_t ms = 0;

	return t && mm_time_parse(t, &ms) == 0 ? ms : 0;
}

static int
load_roles(struct store *st, int64_t id, unsigned *mask, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*mask = 0;
	if ((rc = store_prepare(st, "SELECT role FROM account_role WHERE account_id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	while ((rc = store_step(s, err)) == STORE_ROW) {
		int r = role_from_key(store_col_text(s, 0));
		if (r >= 0)
			*mask |= 1u << r;
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/* Copies a column into the subject buffer; returns the copy (or NULL for SQL NULL). */
static const char *
keep(struct account *a, size_t *used, const char *v)
{
	size_t len;
	char *p;

	if (v == NULL)
		return NULL;
	len = strlen(v);
	if (*used + len + 1 > sizeof(a->ac_sub_buf))
		return NULL;
	p = a->ac_sub_buf + *used;
	memcpy(p, v, len + 1);
	*used += len + 1;
	return p;
}

int
account_load(struct mamori *m, struct store *st, const char *login, int64_t id, struct account *a,
    struct mm_err *err)
{
	struct store_stmt *s;
	size_t used = 0;
	int rc;

	memset(a, 0, sizeof(*a));
	rc = store_prepare(st,
	    "SELECT a.id, a.login, a.person_id, a.must_change_password, a.disabled_at, a.locked_until,"
	    " a.failed_logins, a.password_hash, a.totp_secret, a.totp_enabled_at, a.totp_last_step,"
	    " p.left_on, p.employee_no, p.name, p.name_kana, p.phone, p.birthday, p.email"
	    " FROM account a LEFT JOIN person p ON p.id = a.person_id"
	    " WHERE (a.login = $1 AND $1 IS NOT NULL) OR (a.id = $2 AND $1 IS NULL)", &s, err);
	if (rc != 0)
		return rc;
	store_bind_text(s, "$1", login);
	store_bind_int(s, "$2", id);
	rc = store_step(s, err);
	if (rc != STORE_ROW) {
		store_finalize(s);
		return rc < 0 ? rc : mm_err_set(err, MM_ENOTFOUND, "account", "no such account");
	}
	a->ac_id = store_col_int(s, 0);
	mm_strlcpy(a->ac_login, store_col_text(s, 1), sizeof(a->ac_login));
	a->ac_person_id = store_col_is_null(s, 2) ? 0 : store_col_int(s, 2);
	a->ac_must_change = (int)store_col_int(s, 3);
	a->ac_disabled = !store_col_is_null(s, 4);
	a->ac_locked_until_ms = parse_time_col(store_col_text(s, 5));
	a->ac_failed = (int)store_col_int(s, 6);
	mm_strlcpy(a->ac_password_hash, store_col_text(s, 7), sizeof(a->ac_password_hash));
	if (!store_col_is_null(s, 8))
		a->ac_totp_secret = strdup(store_col_text(s, 8));
	a->ac_totp_enabled = !store_col_is_null(s, 9);
	a->ac_totp_last_step = store_col_int(s, 10);
	if (!store_col_is_null(s, 11)) {
		int64_t start;
		if (mm_local_date_start(store_col_text(s, 11), &start) == 0)
			a->ac_access_ends_ms = policy_add(start,
			    policy_duration(m->md_policy, POLICY_ACCOUNT_REVOKE_DEADLINE));
	}
	a->ac_subject.login = a->ac_login;
	a->ac_subject.employee_no = keep(a, &used, store_col_text(s, 12));
	a->ac_subject.name = keep(a, &used, store_col_text(s, 13));
	a->ac_subject.name_kana = keep(a, &used, store_col_text(s, 14));
	a->ac_subject.phone = keep(a, &used, store_col_text(s, 15));
	a->ac_subject.birthday = keep(a, &used, store_col_text(s, 16));
	a->ac_subject.email = keep(a, &used, store_col_text(s, 17));
	store_finalize(s);
	return load_roles(st, a->ac_id, &a->ac_roles, err);
}

int
account_privileged(struct mamori *m, const struct account *a)
{
	return roles_privileged(m->md_policy, a->ac_roles);
}

void
account_rules(struct mamori *m, int privileged, struct pw_rules *r)
{
	const struct policy *p = m->md_policy;

	if (privileged) {
		r->min_length = (int)policy_int(p, POLICY_PASSWORD_PRIVILEGED_MIN_LENGTH);
		r->classes = (int)policy_int(p, POLICY_PASSWORD_PRIVILEGED_REQUIRED_CLASSES);
		r->min_classes = (int)policy_int(p, POLICY_PASSWORD_PRIVILEGED_MIN_CLASSES);
		r->forbid_personal = (int)policy_int(p, POLICY_PASSWORD_PRIVILEGED_FORBID_PERSONAL);
		r->forbid_dictionary = (int)policy_int(p, POLICY_PASSWORD_PRIVILEGED_FORBID_DICTIONARY);
	} else {
		r->min_length = (int)policy_int(p, POLICY_PASSWORD_GENERAL_MIN_LENGTH);
		r->classes = (int)policy_int(p, POLICY_PASSWORD_GENERAL_REQUIRED_CLASSES);
		r->min_classes = (int)policy_int(p, POLICY_PASSWORD_GENERAL_MIN_CLASSES);
		r->forbid_personal = (int)policy_int(p, POLICY_PASSWORD_GENERAL_FORBID_PERSONAL);
		r->forbid_dictionary = (int)policy_int(p, POLICY_PASSWORD_GENERAL_FORBID_DICTIONARY);
	}
}

int
account_needs_mfa(struct mamori *m, const struct account *a)
{
	return policy_int(m->md_policy, POLICY_ACCOUNT_MFA_PRIVILEGED) && account_privileged(m, a);
}

int
account_restricted(struct mamori *m, const struct account *a)
{
	return a->ac_must_change || (account_needs_mfa(m, a) && !a->ac_totp_enabled);
}

int
account_access_ended(const struct account *a, int64_t now)
{
	return a->ac_disabled || (a->ac_access_ends_ms != 0 && now >= a->ac_access_ends_ms);
}

int
account_roles_from_json(json_t *roles, unsigned *mask, struct mm_err *err)
{
	size_t i;
	json_t *v;

	*mask = 0;
	if (!json_is_array(roles))
		return mm_err_input(err, "roles", "type", "役割の一覧で指定してください", "roles must be an array of role keys");
	json_array_foreach(roles, i, v) {
		int r = json_is_string(v) ? role_from_key(json_string_value(v)) : -1;
		if (r < 0)
			return mm_err_input(err, "roles", "choice", "存在しない役割です",
			    "unknown role %s", json_is_string(v) ? json_string_value(v) : "(not a string)");
		*mask |= 1u << r;
	}
	return 0;
}

json_t *
account_roles_json(unsigned mask)
{
	json_t *a = json_array();

	for (int r = 0; r < ROLE_COUNT; r++)
		if (mask & (1u << r))
			json_array_append_new(a, json_string(role_key((enum role)r)));
	return a;
}

/* Replaces the role rows, auditing each grant and revocation. Inside the caller's transaction. */
static int
write_roles(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id, unsigned old,
    unsigned mask, struct mm_err *err)
{
	char when[MM_TIME_STRLEN], idtext[24], details[96];
	int rc = 0;

	mm_time_format(mm_now_ms(), when);
	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	for (int r = 0; r < ROLE_COUNT && rc == 0; r++) {
		unsigned bit = 1u << r;
		struct store_stmt *s;
		if ((old & bit) == (mask & bit))
			continue;
		rc = store_prepare(st, (mask & bit)
		    ? "INSERT INTO account_role (account_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4)"
		    : "DELETE FROM account_role WHERE account_id = $1 AND role = $2",
		    &s, err);
		if (rc != 0)
			break;
		store_bind_int(s, "$1", id);
		store_bind_text(s, "$2", role_key((enum role)r));
		if (mask & bit) {
			store_bind_text(s, "$3", who->login);
			store_bind_text(s, "$4", when);
		}
		rc = store_step(s, err);
		store_finalize(s);
		if (rc < 0)
			break;
		snprintf(details, sizeof(details), "{\"role\":\"%s\"}", role_key((enum role)r));
		rc = mamori_audit(m, st, who, &(struct audit_event){
		    .action = (mask & bit) ? "role.grant" : "role.revoke", .target_type = "account",
		    .target_id = idtext, .access = AUDIT_UPDATE, .outcome = "success", .details = details},
		    NULL, err);
	}
	return rc < 0 ? rc : 0;
}

/* Hashes a new one-time password with the profile's Argon2 settings. */
static int
hash_password(struct mamori *m, const char *pw, char hash[MM_PWHASH_STRLEN], struct mm_err *err)
{
	int rc = mm_password_hash(hash, pw, (uint64_t)policy_int(m->md_policy, POLICY_ARGON2_OPSLIMIT),
	    (size_t)policy_int(m->md_policy, POLICY_ARGON2_MEMLIMIT_MIB) * 1024 * 1024);

	return rc ? mm_err_set(err, rc, "argon2", "cannot hash the password with the profile's Argon2 settings") : 0;
}

int
account_bootstrap(struct mamori *m, struct store *st, const struct mm_actor *who, const char *login,
    unsigned roles, char *password, int64_t *id, struct mm_err *err)
{
	struct store_stmt *s;
	char hash[MM_PWHASH_STRLEN], when[MM_TIME_STRLEN], idtext[24], details[160];
	int rc;

	if ((rc = account_login_check(m->md_policy, "login", login, err)) != 0)
		return rc;
	mm_password_generate(password, ACCOUNT_ONE_TIME_PASSWORD_LEN);
	if ((rc = hash_password(m, password, hash, err)) != 0)
		return rc;
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_prepare(st,
	    "INSERT INTO account (login, password_hash, must_change_password, created_at, approved_by)"
	    " VALUES ($1, $2, 1, $3, $4)", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", login);
	store_bind_text(s, "$2", hash);
	store_bind_text(s, "$3", when);
	store_bind_text(s, "$4", who->login);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0) {
		if (strstr(err->msg, "UNIQUE") != NULL)
			return mm_err_input(err, "login", "unique",
			    "このログイン名は使用済みです（ログイン名は再利用できません）",
			    "login '%s' is taken (logins are never reused)", login);
		return rc;
	}
	*id = store_last_id(st);
	snprintf(idtext, sizeof(idtext), "%" PRId64, *id);
	snprintf(details, sizeof(details), "{\"login\":\"%s\",\"must_change_password\":true}", login);
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "account.create",
	    .target_type = "account", .target_id = idtext, .access = AUDIT_CREATE, .outcome = "success",
	    .details = details}, NULL, err)) != 0)
		return rc;
	return write_roles(m, st, who, *id, 0, roles, err);
}

/* The person an account is issued to: exists, has no account, has not left, has an NDA if needed. */
static int
check_person_for_account(struct mamori *m, struct store *st, int64_t person_id, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st,
	    "SELECT p.employment_type, p.left_on, p.nda_on, (SELECT count(*) FROM account a"
	    " WHERE a.person_id = p.id) FROM person p WHERE p.id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", person_id);
	rc = store_step(s, err);
	if (rc != STORE_ROW) {
		store_finalize(s);
		return rc < 0 ? rc : mm_err_input(err, "person_id", "exists", "その従業員は登録されていません",
		    "no person %" PRId64, person_id);
	}
	if (store_col_int(s, 3) > 0)
		rc = mm_err_input(err, "person_id", "one_per_person",
		    "この従業員にはすでにアカウントがあります（1人1アカウント）",
		    "this person already has an account (one account per person, 004 ch5 §2)");
	else if (!store_col_is_null(s, 1)) {
		int64_t start;
		if (mm_local_date_start(store_col_text(s, 1), &start) == 0 &&
		    mm_now_ms() >= policy_add(start, policy_duration(m->md_policy,
		    POLICY_ACCOUNT_REVOKE_DEADLINE)))
			rc = mm_err_input(err, "person_id", "left", "退職済みの従業員にはアカウントを発行できません",
			    "this person has left the company");
	}
	if (rc == STORE_ROW && (strcmp(store_col_text(s, 0), "external") == 0 ||
	    strcmp(store_col_text(s, 0), "dispatch") == 0) && store_col_is_null(s, 2))
		rc = mm_err_input(err, "person_id", "nda",
		    "従業員以外の者には、秘密保持契約の締結後にアカウントを発行します（秘密保持契約日が未登録）",
		    "a non-employee needs a signed NDA (nda_on) before an account (004 ch5 §6)");
	store_finalize(s);
	return rc == STORE_ROW ? 0 : rc;
}

int
account_issue_check(struct mamori *m, struct store *st, json_t *in, struct mm_err *err)
{
	json_t *jperson = json_object_get(in, "person_id"), *jlogin = json_object_get(in, "login"),
	       *jroles = json_object_get(in, "roles");
	unsigned roles = 1u << ROLE_EMPLOYEE;
	struct store_stmt *s;
	int rc;

	if (!json_is_integer(jperson))
		return mm_err_input(err, "person_id", "required", "従業員を選んでください", "person_id is required");
	if (!json_is_string(jlogin))
		return mm_err_input(err, "login", "required", "ログイン名は必須です", "login is required");
	if ((rc = account_login_check(m->md_policy, "login", json_string_value(jlogin), err)) != 0)
		return rc;
	if (jroles && (rc = account_roles_from_json(jroles, &roles, err)) != 0)
		return rc;
	if ((rc = store_prepare(st, "SELECT 1 FROM account WHERE login = $1", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", json_string_value(jlogin));
	rc = store_step(s, err);
	store_finalize(s);
	if (rc == STORE_ROW)
		return mm_err_input(err, "login", "unique", "このログイン名は使用済みです（ログイン名は再利用できません）",
		    "login '%s' is taken (logins are never reused)", json_string_value(jlogin));
	if (rc < 0)
		return rc;
	return check_person_for_account(m, st, json_integer_value(jperson), err);
}

int
account_issue_approved(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, json_t *in, json_t **out, struct mm_err *err)
{
	char password[ACCOUNT_ONE_TIME_PASSWORD_LEN + 1];
	struct store_stmt *s;
	unsigned roles = 1u << ROLE_EMPLOYEE;
	int64_t person_id, id;
	int rc;

	*out = NULL;
	if ((rc = account_issue_check(m, st, in, err)) != 0)
		return rc;
	person_id = json_integer_value(json_object_get(in, "person_id"));
	if (json_object_get(in, "roles"))
		(void)account_roles_from_json(json_object_get(in, "roles"), &roles, NULL);
	/* an approver never approves their own account (separation of duties) */
	if (pr->pr_account_id) {
		struct account me;
		if ((rc = account_load(m, st, NULL, pr->pr_account_id, &me, err)) != 0)
			return rc;
		rc = me.ac_person_id == person_id;
		account_clear(&me);
		if (rc)
			return mm_err_set(err, MM_EPERM, "person_id", "nobody approves their own account");
	}
	if ((rc = account_bootstrap(m, st, who, json_string_value(json_object_get(in, "login")), roles, password, &id,
	    err)) != 0)
		goto done;
	if ((rc = store_prepare(st, "UPDATE account SET person_id = $1 WHERE id = $2", &s, err)) != 0)
		goto done;
	store_bind_int(s, "$1", person_id);
	store_bind_int(s, "$2", id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto done;
	rc = 0;
	*out = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "login",
	    json_string_value(json_object_get(in, "login")), "password", password);
done:
	mm_wipe(password, sizeof(password));
	return rc;
}

int
account_issue(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, json_t *in, json_t **out, json_t **errors, struct mm_err *err)
{
	int rc;

	*out = NULL;
	if (errors)
		*errors = NULL;
	if (!authz_check(pr, PERM_ACCOUNTS_ISSUE, m->md_policy))
		return mm_err_set(err, MM_EPERM, "", "only %s may approve a new account (%s)",
		    policy_value_text(m->md_policy, POLICY_ACCOUNT_ISSUANCE_APPROVERS),
		    policy_source(m->md_policy, POLICY_ACCOUNT_ISSUANCE_APPROVERS));
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = account_issue_approved(m, st, pr, who, in, out, err)) != 0 ||
	    (rc = store_commit(st, err)) != 0) {
		store_rollback(st);
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Runs one UPDATE on an account and audits it, in its own transaction. */
static int
update_one(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    const char *sql, const char *bind2, const char *action, const char *details, struct mm_err *err)
{
	struct store_stmt *s;
	char idtext[24];
	int rc;

	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	if (bind2)
		store_bind_text(s, "$2", bind2);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if (store_changes(st) == 0) {
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "no account %" PRId64, id);
		goto fail;
	}
	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = action,
	    .target_type = "account", .target_id = idtext, .access = AUDIT_UPDATE, .outcome = "success",
	    .details = details}, NULL, err)) != 0)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return rc;
}

int
account_reset_password(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    char *password, struct mm_err *err)
{
	char hash[MM_PWHASH_STRLEN];
	int rc;

	mm_password_generate(password, ACCOUNT_ONE_TIME_PASSWORD_LEN);
	if ((rc = hash_password(m, password, hash, err)) != 0)
		return rc;
	/* a reset password is one-time: it must be changed before anything else (002 第12条2) */
	rc = update_one(m, st, who, id,
	    "UPDATE account SET password_hash = $2, must_change_password = 1 WHERE id = $1", hash,
	    "account.reset_password", NULL, err);
	mm_wipe(hash, sizeof(hash));
	if (rc != 0)
		mm_wipe(password, ACCOUNT_ONE_TIME_PASSWORD_LEN + 1);
	return rc;
}

int
account_disable(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    const char *reason, struct mm_err *err)
{
	char when[MM_TIME_STRLEN], idtext[24], *details;
	struct store_stmt *s;
	json_t *d;
	int rc;

	if (reason == NULL || *reason == '\0' || mm_utf8_check(reason, strlen(reason), 0) < 0 ||
	    mm_utf8_check(reason, strlen(reason), 0) > 200)
		return mm_err_input(err, "reason", "required", "無効にする理由を200文字以内で入力してください",
		    "a reason (at most 200 characters) is required");
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = store_prepare(st, "UPDATE account SET disabled_at = coalesce(disabled_at, $2),"
	    " disabled_reason = $3 WHERE id = $1", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", when);
	store_bind_text(s, "$3", reason);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if (store_changes(st) == 0) {
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "no account %" PRId64, id);
		goto fail;
	}
	/* every session of the account ends now */
	if ((rc = store_prepare(st, "UPDATE session SET ended_at = $2, end_reason = 'disabled'"
	    " WHERE account_id = $1 AND ended_at IS NULL", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", when);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	d = json_pack("{s:s}", "reason", reason);
	details = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	rc = mamori_audit(m, st, who, &(struct audit_event){.action = "account.disable",
	    .target_type = "account", .target_id = idtext, .access = AUDIT_UPDATE, .outcome = "success",
	    .details = details}, NULL, err);
	free(details);
	if (rc != 0)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return rc;
}

int
account_unlock(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    struct mm_err *err)
{
	return update_one(m, st, who, id,
	    "UPDATE account SET locked_until = NULL, failed_logins = 0 WHERE id = $1", NULL,
	    "account.unlock", NULL, err);
}

int
account_set_roles(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t id, json_t *roles, struct mm_err *err)
{
	struct account a;
	unsigned mask;
	int rc;

	if ((rc = account_roles_from_json(roles, &mask, err)) != 0)
		return rc;
	if (pr->pr_account_id == id)
		return mm_err_set(err, MM_EPERM, "id", "nobody changes their own roles");
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = account_load(m, st, NULL, id, &a, err)) != 0)
		goto fail;
	rc = write_roles(m, st, who, id, a.ac_roles, mask, err);
	account_clear(&a);
	if (rc != 0)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return rc;
}

static json_t *
account_json(struct mamori *m, struct store_stmt *s, unsigned roles)
{
	int64_t now = mm_now_ms(), locked = parse_time_col(store_col_text(s, 5));
	const char *state = "active";
	json_t *o;

	if (!store_col_is_null(s, 4))
		state = "disabled";
	else if (locked > now)
		state = "locked";
	else if (store_col_int(s, 3))
		state = "must_change_password";
	o = json_pack("{s:I, s:s, s:o, s:o, s:b, s:s, s:b, s:o, s:o}",
	    "id", (json_int_t)store_col_int(s, 0), "login", store_col_text(s, 1),
	    "person_id", store_col_is_null(s, 2) ? json_null() : json_integer(store_col_int(s, 2)),
	    "roles", account_roles_json(roles), "privileged", roles_privileged(m->md_policy, roles),
	    "state", state, "mfa_enabled", !store_col_is_null(s, 6),
	    "person_name", store_col_is_null(s, 7) ? json_null() : json_string(store_col_text(s, 7)),
	    "disabled_at", store_col_is_null(s, 4) ? json_null() : json_string(store_col_text(s, 4)));
	json_object_set_new(o, "locked_until", locked > now ? json_string(store_col_text(s, 5)) : json_null());
	json_object_set_new(o, "created_at", json_string(store_col_text(s, 8)));
	return o;
}

#define SELECT_ACCOUNT                                                                          \
	"SELECT a.id, a.login, a.person_id, a.must_change_password, a.disabled_at, a.locked_until," \
	" a.totp_enabled_at, p.name, a.created_at FROM account a LEFT JOIN person p ON p.id = a.person_id"

int
account_list(struct mamori *m, struct store *st, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = store_prepare(st, SELECT_ACCOUNT " ORDER BY a.login", &s, err)) != 0) {
		json_decref(arr);
		return rc;
	}
	while ((rc = store_step(s, err)) == STORE_ROW) {
		unsigned roles;
		if ((rc = load_roles(st, store_col_int(s, 0), &roles, err)) != 0)
			break;
		json_array_append_new(arr, account_json(m, s, roles));
	}
	store_finalize(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int
account_get(struct mamori *m, struct store *st, int64_t id, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	unsigned roles;
	int rc;

	*out = NULL;
	if ((rc = store_prepare(st, SELECT_ACCOUNT " WHERE a.id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	if (rc == STORE_ROW) {
		if ((rc = load_roles(st, id, &roles, err)) == 0)
			*out = account_json(m, s, roles);
	} else if (rc == STORE_DONE) {
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "no account %" PRId64, id);
	}
	store_finalize(s);
	return rc;
}
