/*
 * What the My Number manager keeps: each handler's scope (the purposes they may use numbers for),
 * IT staff's time-limited access (003 §7.1), numbers received by mistake, and requests from individuals
 * for disclosure, correction or a stop of use (004 ch4 §6).
 */
#include "vault/vault.h"
#include "base/mynumber.h"
#include "base/str.h"
#include "base/time.h"

#include <stdio.h>
#include <string.h>

static const char *
text(json_t *in, const char *field, size_t max, json_t *errors)
{
	const char *s = json_string_value(json_object_get(in, field));
	long n;

	if (s == NULL || *s == '\0') {
		mm_errors_add(errors, field, "required", "入力してください", "is required");
		return NULL;
	}
	if ((n = mm_utf8_check(s, strlen(s), 1)) < 0 || (size_t)n > max) {
		mm_errors_add(errors, field, "max_length", "長すぎるか、使えない文字が含まれています", "too long or holds control characters");
		return NULL;
	}
	return s;
}

static int
audit_admin(struct vault_ctx *x, const char *action, const char *type, int64_t id, struct mm_err *err)
{
	char idtext[24];

	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	return mamori_audit(x->m, x->st, x->who, &(struct audit_event){.started_ms = x->started_ms, .action = action,
	    .target_type = type, .target_id = idtext, .access = AUDIT_UPDATE, .outcome = "success"}, NULL, err);
}

static int
list(struct store *st, const char *sql, const char *const *names, size_t n, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*out = json_array();
	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	while ((rc = store_step(s, err)) == STORE_ROW) {
		json_t *o = json_object();
		for (size_t i = 0; i < n; i++)
			json_object_set_new(o, names[i] + (names[i][0] == '#'), store_col_is_null(s, (int)i) ? json_null()
			    : names[i][0] == '#' ? json_integer(store_col_int(s, (int)i)) : json_string(store_col_text(s, (int)i)));
		json_array_append_new(*out, o);
	}
	store_finalize(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

/* ---- handler scopes ---- */

int
vault_scope_get(struct vault_ctx *x, int64_t account_id, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	json_t *p = json_array();
	int rc;

	*out = NULL;
	if ((rc = store_prepare(x->st, "SELECT purpose FROM mn_handler_scope WHERE account_id = $1 ORDER BY purpose", &s,
	    err)) != 0) {
		json_decref(p);
		return rc;
	}
	store_bind_int(s, "$1", account_id);
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(p, json_string(store_col_text(s, 0)));
	store_finalize(s);
	if (rc < 0) {
		json_decref(p);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "account_id", (json_int_t)account_id, "purposes", p);
	return 0;
}

int
vault_scope_set(struct vault_ctx *x, int64_t account_id, json_t *purposes, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array(), *p;
	struct store_stmt *s;
	size_t i;
	int rc;

	*errors = NULL;
	if (!json_is_array(purposes))
		mm_errors_add(errs, "purposes", "type", "利用目的の一覧で指定してください", "purposes is a list of codes");
	json_array_foreach(purposes, i, p)
		if (!json_is_string(p) || !policy_list_has(x->m->md_policy, POLICY_MYNUMBER_PURPOSES, json_string_value(p))) {
			mm_errors_add(errs, "purposes", "choice", "プロファイルにない利用目的です", "not a purpose of the profile");
			break;
		}
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	if (json_array_size(errs) > 0)
		return vault_finish(x, 0, errs, errors, err);
	if ((rc = store_prepare(x->st, "SELECT 1 FROM account WHERE id = $1", &s, err)) != 0)
		return vault_finish(x, rc, errs, errors, err);
	store_bind_int(s, "$1", account_id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc != STORE_ROW)
		return vault_finish(x, rc < 0 ? rc : mm_err_set(err, MM_ENOTFOUND, "id", "no account %lld", (long long)account_id),
		    errs, errors, err);
	if ((rc = store_prepare(x->st, "DELETE FROM mn_handler_scope WHERE account_id = $1", &s, err)) != 0)
		return vault_finish(x, rc, errs, errors, err);
	store_bind_int(s, "$1", account_id);
	rc = store_step(s, err);
	store_finalize(s);
	json_array_foreach(purposes, i, p) {
		if (rc < 0 || (rc = store_prepare(x->st, "INSERT INTO mn_handler_scope (account_id, purpose) VALUES ($1, $2)"
		    " ON CONFLICT DO NOTHING", &s, err)) != 0)
			break;
		store_bind_int(s, "$1", account_id);
		store_bind_text(s, "$2", json_string_value(p));
		rc = store_step(s, err);
		store_finalize(s);
	}
	if (rc >= 0)
		rc = audit_admin(x, "mynumber.scope", "account", account_id, err);
	return vault_finish(x, rc < 0 ? rc : rc, errs, errors, err);
}

/* ---- IT-staff grants ---- */

int
vault_grants(struct vault_ctx *x, json_t **out, struct mm_err *err)
{
	static const char *const names[] = {"#id", "login", "reason", "starts_at", "ends_at", "granted_by", "granted_at",
	    "revoked_at", "#approval_id"};

	return list(x->st, "SELECT id, login, reason, starts_at, ends_at, granted_by, granted_at, revoked_at, approval_id"
	    " FROM mn_grant ORDER BY id DESC", names, 9, out, err);
}

int
vault_grant_check(struct vault_ctx *x, json_t *in, json_t *errs, struct mm_err *err)
{
	const char *login = text(in, "login", 32, errs);
	const char *until = json_string_value(json_object_get(in, "ends_at"));
	int64_t now = mm_now_ms(), end = 0;
	struct store_stmt *s;
	int rc;

	(void)text(in, "reason", 400, errs);
	if (until == NULL || mm_time_parse(until, &end) != 0 || end <= now)
		mm_errors_add(errs, "ends_at", "datetime", "終了日時を今より後の日時で指定してください", "ends_at must be a time after now");
	else if (!policy_is_unset(x->m->md_policy, POLICY_MYNUMBER_IT_ACCESS_MAX) &&
	    end - now > policy_ms(x->m->md_policy, POLICY_MYNUMBER_IT_ACCESS_MAX)) {
		char ja[120], en[120];
		snprintf(ja, sizeof(ja), "許可できる期間は最長 %s です", policy_value_text(x->m->md_policy,
		    POLICY_MYNUMBER_IT_ACCESS_MAX));
		snprintf(en, sizeof(en), "a grant lasts at most %s", policy_value_text(x->m->md_policy,
		    POLICY_MYNUMBER_IT_ACCESS_MAX));
		mm_errors_add(errs, "ends_at", "too_long", ja, en);
	}
	if (login == NULL || json_array_size(errs) > 0)
		return 0;
	/* IT staff: an account that holds the sysadmin role (003 §7.1 情報システム部門の担当者) */
	if ((rc = store_prepare(x->st, "SELECT 1 FROM account a JOIN account_role r ON r.account_id = a.id"
	    " WHERE a.login = $1 AND r.role = 'sysadmin' AND a.disabled_at IS NULL", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", login);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	if (rc != STORE_ROW)
		mm_errors_add(errs, "login", "not_it_staff", "システム管理者のアカウントを指定してください",
		    "the login must be an enabled sysadmin account");
	return 0;
}

int
vault_grant_insert(struct vault_ctx *x, json_t *in, int64_t approval_id, int64_t *id, struct mm_err *err)
{
	char now_s[MM_TIME_STRLEN], end_s[MM_TIME_STRLEN];
	int64_t end = 0;
	struct store_stmt *s;
	int rc;

	if (mm_time_parse(json_string_value(json_object_get(in, "ends_at")), &end) != 0)
		return mm_err_input(err, "ends_at", "datetime", "終了日時を今より後の日時で指定してください",
		    "ends_at must be a time after now");
	mm_time_format(mm_now_ms(), now_s);
	mm_time_format(end, end_s);
	if ((rc = store_prepare(x->st, "INSERT INTO mn_grant (login, reason, starts_at, ends_at, granted_by, granted_at,"
	    " approval_id) VALUES ($1, $2, $3, $4, $5, $3, $6)", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", json_string_value(json_object_get(in, "login")));
	store_bind_text(s, "$2", json_string_value(json_object_get(in, "reason")));
	store_bind_text(s, "$3", now_s);
	store_bind_text(s, "$4", end_s);
	store_bind_text(s, "$5", x->who->login);
	if (approval_id)
		store_bind_int(s, "$6", approval_id);
	else
		store_bind_null(s, "$6");
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	*id = store_last_id(x->st);
	return audit_admin(x, "mynumber.grant", "mynumber_grant", *id, err);
}

int
vault_grant_add(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	int rc;

	*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	if ((rc = vault_grant_check(x, in, errs, err)) == 0 && json_array_size(errs) == 0)
		rc = vault_grant_insert(x, in, 0, id, err);
	return vault_finish(x, rc, errs, errors, err);
}

int
vault_grant_revoke(struct vault_ctx *x, int64_t id, struct mm_err *err)
{
	struct store_stmt *s;
	char now_s[MM_TIME_STRLEN];
	int rc;

	mm_time_format(mm_now_ms(), now_s);
	if ((rc = store_begin(x->st, err)) != 0)
		return rc;
	if ((rc = store_prepare(x->st, "UPDATE mn_grant SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", &s,
	    err)) != 0)
		return vault_finish(x, rc, json_array(), NULL, err);
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", now_s);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc >= 0 && store_changes(x->st) == 0)
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "no grant %lld in force", (long long)id);
	if (rc >= 0)
		rc = audit_admin(x, "mynumber.grant_revoke", "mynumber_grant", id, err);
	return vault_finish(x, rc, json_array(), NULL, err);
}

int
vault_grant_active(struct vault_ctx *x, const char *login)
{
	struct store_stmt *s;
	char now_s[MM_TIME_STRLEN];
	int rc;

	mm_time_format(mm_now_ms(), now_s);
	if (store_prepare(x->st, "SELECT 1 FROM mn_grant WHERE login = $1 AND revoked_at IS NULL AND starts_at <= $2"
	    " AND ends_at > $2", &s, NULL) != 0)
		return 0;
	store_bind_text(s, "$1", login);
	store_bind_text(s, "$2", now_s);
	rc = store_step(s, NULL);
	store_finalize(s);
	return rc == STORE_ROW;
}

/* ---- numbers received by mistake ---- */

int
vault_mistakes(struct vault_ctx *x, json_t **out, struct mm_err *err)
{
	static const char *const names[] = {"#id", "reported_by", "reported_at", "description", "state", "resolved_by",
	    "resolved_at", "action"};

	return list(x->st, "SELECT id, reported_by, reported_at, description, state, resolved_by, resolved_at, action"
	    " FROM mn_mistake ORDER BY id DESC", names, 8, out, err);
}

int
vault_mistake_add(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	const char *d = text(in, "description", 1000, errs);
	char now_s[MM_TIME_STRLEN];
	struct store_stmt *s;
	int rc;

	*errors = NULL;
	/* the report describes what came and from whom; it must not carry the number itself */
	if (d && mm_text_has_mynumber(d))
		mm_errors_add(errs, "description", "mynumber", "個人番号そのものは書かないでください（届いた経緯だけを書きます）",
		    "do not write the number itself; describe how it arrived");
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	if (json_array_size(errs) > 0)
		return vault_finish(x, 0, errs, errors, err);
	mm_time_format(mm_now_ms(), now_s);
	if ((rc = store_prepare(x->st, "INSERT INTO mn_mistake (reported_by, reported_at, description) VALUES ($1, $2, $3)",
	    &s, err)) != 0)
		return vault_finish(x, rc, errs, errors, err);
	store_bind_text(s, "$1", x->who->login);
	store_bind_text(s, "$2", now_s);
	store_bind_text(s, "$3", d);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc >= 0) {
		*id = store_last_id(x->st);
		rc = audit_admin(x, "mynumber.mistake_report", "mynumber_mistake", *id, err);
	}
	return vault_finish(x, rc, errs, errors, err);
}

int
vault_mistake_resolve(struct vault_ctx *x, int64_t id, json_t *in, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	const char *action = text(in, "action", 1000, errs);
	char now_s[MM_TIME_STRLEN];
	struct store_stmt *s;
	int rc;

	*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	if (json_array_size(errs) > 0)
		return vault_finish(x, 0, errs, errors, err);
	mm_time_format(mm_now_ms(), now_s);
	if ((rc = store_prepare(x->st, "UPDATE mn_mistake SET state = 'resolved', resolved_by = $2, resolved_at = $3,"
	    " action = $4 WHERE id = $1 AND state = 'open'", &s, err)) != 0)
		return vault_finish(x, rc, errs, errors, err);
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", x->who->login);
	store_bind_text(s, "$3", now_s);
	store_bind_text(s, "$4", action);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc >= 0 && store_changes(x->st) == 0)
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "no open report %lld", (long long)id);
	if (rc >= 0)
		rc = audit_admin(x, "mynumber.mistake_resolve", "mynumber_mistake", id, err);
	return vault_finish(x, rc, errs, errors, err);
}

/* ---- requests from individuals ---- */

int
vault_requests(struct vault_ctx *x, json_t **out, struct mm_err *err)
{
	static const char *const names[] = {"#id", "#subject_id", "kind", "received_on", "#identity_checked", "decision",
	    "reason", "notified_on", "created_by", "created_at", "updated_by", "updated_at"};

	return list(x->st, "SELECT id, subject_id, kind, received_on, identity_checked, decision, reason, notified_on,"
	    " created_by, created_at, updated_by, updated_at FROM mn_request ORDER BY id DESC", names, 12, out, err);
}

static int
date_ok(const char *s)
{
	int64_t ms;

	return s && strlen(s) == 10 && mm_local_date_start(s, &ms) == 0;
}

int
vault_request_add(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	const char *kind = json_string_value(json_object_get(in, "kind"));
	const char *received = json_string_value(json_object_get(in, "received_on"));
	int64_t subject = json_integer_value(json_object_get(in, "subject_id"));
	char now_s[MM_TIME_STRLEN];
	struct store_stmt *s;
	int rc;

	*errors = NULL;
	if (kind == NULL || (strcmp(kind, "disclosure") && strcmp(kind, "correction") && strcmp(kind, "stop")))
		mm_errors_add(errs, "kind", "choice", "開示・訂正・利用停止から選んでください", "kind is disclosure, correction or stop");
	if (!date_ok(received))
		mm_errors_add(errs, "received_on", "date", "受付日を入力してください", "received_on is a date");
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	if (json_array_size(errs) > 0)
		return vault_finish(x, 0, errs, errors, err);
	mm_time_format(mm_now_ms(), now_s);
	if ((rc = store_prepare(x->st, "INSERT INTO mn_request (subject_id, kind, received_on, identity_checked, created_by,"
	    " created_at, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $5, $6)", &s, err)) != 0)
		return vault_finish(x, rc, errs, errors, err);
	if (subject > 0)
		store_bind_int(s, "$1", subject);
	else
		store_bind_null(s, "$1");
	store_bind_text(s, "$2", kind);
	store_bind_text(s, "$3", received);
	store_bind_int(s, "$4", json_is_true(json_object_get(in, "identity_checked")));
	store_bind_text(s, "$5", x->who->login);
	store_bind_text(s, "$6", now_s);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc >= 0) {
		*id = store_last_id(x->st);
		rc = audit_admin(x, "mynumber.request", "mynumber_request", *id, err);
	}
	return vault_finish(x, rc, errs, errors, err);
}

int
vault_request_update(struct vault_ctx *x, int64_t id, json_t *in, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	const char *decision = json_string_value(json_object_get(in, "decision"));
	const char *reason = json_string_value(json_object_get(in, "reason"));
	const char *notified = json_string_value(json_object_get(in, "notified_on"));
	char now_s[MM_TIME_STRLEN];
	struct store_stmt *s;
	int rc;

	*errors = NULL;
	if (decision && strcmp(decision, "pending") && strcmp(decision, "granted") && strcmp(decision, "refused"))
		mm_errors_add(errs, "decision", "choice", "決定を選んでください", "decision is pending, granted or refused");
	if (decision && strcmp(decision, "refused") == 0 && (reason == NULL || *reason == '\0'))
		mm_errors_add(errs, "reason", "required", "開示等をしない理由を記入してください（004 4章 6.1）", "a refusal needs its reason");
	if (notified && *notified && !date_ok(notified))
		mm_errors_add(errs, "notified_on", "date", "通知日を日付で入力してください", "notified_on is a date");
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	if (json_array_size(errs) > 0)
		return vault_finish(x, 0, errs, errors, err);
	mm_time_format(mm_now_ms(), now_s);
	if ((rc = store_prepare(x->st, "UPDATE mn_request SET decision = coalesce($2, decision), reason = coalesce($3, reason),"
	    " notified_on = coalesce($4, notified_on), identity_checked = coalesce($5, identity_checked), updated_by = $6,"
	    " updated_at = $7 WHERE id = $1", &s, err)) != 0)
		return vault_finish(x, rc, errs, errors, err);
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", decision);
	store_bind_text(s, "$3", reason);
	store_bind_text(s, "$4", notified && *notified ? notified : NULL);
	if (json_is_boolean(json_object_get(in, "identity_checked")))
		store_bind_int(s, "$5", json_is_true(json_object_get(in, "identity_checked")));
	else
		store_bind_null(s, "$5");
	store_bind_text(s, "$6", x->who->login);
	store_bind_text(s, "$7", now_s);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc >= 0 && store_changes(x->st) == 0)
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "no request %lld", (long long)id);
	if (rc >= 0)
		rc = audit_admin(x, "mynumber.request_update", "mynumber_request", id, err);
	return vault_finish(x, rc, errs, errors, err);
}
