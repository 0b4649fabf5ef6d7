/*
 * /api/session: sign in and out, the session's own account, changing the password (with the
 * rules shown as they are met), and enrolling the second factor.
 */
#include "api/api.h"
#include "auth/mfa.h"

#include <string.h>

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* What the UI needs to know about the signed-in account. */
static json_t *
session_json(struct mamori *m, const struct session_info *si)
{
	struct pw_rules r;
	json_t *rules = json_array();
	char ja[160], en[160];

	account_rules(m, si->si_privileged, &r);
	for (int i = 0; i < PW_RULE_COUNT; i++) {
		password_rule_text((enum pw_rule)i, &r, 1, ja, sizeof(ja));
		password_rule_text((enum pw_rule)i, &r, 0, en, sizeof(en));
		json_array_append_new(rules, json_pack("{s:s, s:s, s:s}", "rule",
		    password_rule_id((enum pw_rule)i), "text", ja, "text_en", en));
	}
	account_history_text(m, si->si_privileged, 1, ja, sizeof(ja));
	account_history_text(m, si->si_privileged, 0, en, sizeof(en));
	json_array_append_new(rules, json_pack("{s:s, s:s, s:s}", "rule", "history", "text", ja, "text_en", en));
	return json_pack("{s:{s:I, s:s, s:o, s:b, s:b, s:b, s:b}, s:I, s:I, s:I, s:o}",
	    "account", "id", (json_int_t)si->si_account_id, "login", si->si_login,
	    "roles", account_roles_json(si->si_roles), "privileged", si->si_privileged,
	    "must_change_password", si->si_must_change, "mfa_enrolment_required", si->si_mfa_enrolment,
	    "mfa_enabled", si->si_mfa_enabled,
	    "idle_timeout_seconds", (json_int_t)(si->si_idle_ms / 1000),
	    "idle_warning_seconds", (json_int_t)(si->si_warning_ms / 1000),
	    "lifetime_seconds", (json_int_t)(si->si_lifetime_ms / 1000),
	    "password_rules", rules);
}

void
api_session_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct login_result lr;
	struct principal pr;
	struct session_info si;
	struct mm_err err = {0};
	json_t *body, *out;
	int rc;

	if ((body = http_json_body(req, res)) == NULL)
		return;
	rc = login_password(ctx->hc_m, ctx->hc_store, str(body, "login"), str(body, "password"),
	    str(body, "totp"), req->hr_client, &lr, &err);
	json_decref(body); /* jansson frees the password strings; the request buffer is wiped later */
	if (rc != 0) {
		http_problem_err_as(res, &err, 401, "Unauthorized");
		return;
	}
	if ((rc = session_resolve(ctx->hc_m, ctx->hc_store, lr.lr_token, req->hr_client, &pr, &si, &err)) != 0) {
		mm_wipe(&lr, sizeof(lr));
		http_problem_err(res, &err);
		return;
	}
	out = session_json(ctx->hc_m, &si);
	json_object_set_new(out, "csrf_token", json_string(lr.lr_csrf));
	api_session_cookie(req, res, lr.lr_token);
	mm_wipe(&lr, sizeof(lr));
	http_json(res, 201, out);
}

void
api_session_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;

	if (api_begin(ctx, req, res, PERM_SELF, &c) != 0)
		return;
	http_json(res, 200, session_json(ctx->hc_m, &c.ac_si));
	api_end(&c);
}

void
api_session_delete(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};

	if (api_begin(ctx, req, res, PERM_SELF, &c) != 0)
		return;
	session_end(ctx->hc_m, ctx->hc_store, &c.ac_si, &c.ac_who, "logout", &err);
	api_session_cookie(req, res, NULL);
	http_static(res, 204, NULL, "", 0, NULL);
	api_end(&c);
}

void
api_session_password(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *errors = NULL;

	if (api_begin(ctx, req, res, PERM_SELF, &c) != 0)
		return;
	if (account_change_password(ctx->hc_m, ctx->hc_store, &c.ac_who, c.ac_si.si_account_id,
	    str(c.ac_body, "current_password"), str(c.ac_body, "new_password"), &errors, &err) != 0) {
		if (errors) {
			json_t *b = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:o}", "type", "about:blank",
			    "title", "Invalid input", "status", 422, "detail", err.msg, "detail_ja", err.msg_ja,
			    "rule", err.rule, "errors", errors);
			http_json(res, 422, b);
			res->hs_type = "application/problem+json";
		} else {
			http_problem_err(res, &err);
		}
		api_end(&c);
		return;
	}
	http_static(res, 204, NULL, "", 0, NULL);
	api_end(&c);
}

void
api_session_password_check(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	struct account a;
	json_t *rules = NULL;
	const char *pw;

	if (api_begin(ctx, req, res, PERM_SELF, &c) != 0)
		return;
	pw = str(c.ac_body, "password");
	if (pw == NULL || account_load(ctx->hc_m, ctx->hc_store, NULL, c.ac_si.si_account_id, &a, &err) != 0) {
		if (pw == NULL)
			mm_err_input(&err, "password", "required", "必須です", "password is required");
		http_problem_err(res, &err);
		api_end(&c);
		return;
	}
	if (account_password_check(ctx->hc_m, ctx->hc_store, &a, pw, &rules, &err) < 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, json_pack("{s:o}", "rules", rules));
	account_clear(&a);
	api_end(&c);
}

void
api_session_mfa(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out;

	if (api_begin(ctx, req, res, PERM_SELF, &c) != 0)
		return;
	if (mfa_enrol_start(ctx->hc_m, ctx->hc_store, &c.ac_who, c.ac_si.si_account_id, &out, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 201, out);
	api_end(&c);
}

void
api_session_mfa_confirm(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out;

	if (api_begin(ctx, req, res, PERM_SELF, &c) != 0)
		return;
	if (mfa_enrol_confirm(ctx->hc_m, ctx->hc_store, &c.ac_who, c.ac_si.si_account_id,
	    str(c.ac_body, "code"), &out, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, out);
	api_end(&c);
}
