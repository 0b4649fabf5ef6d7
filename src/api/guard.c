/*
 * The gate in front of every protected route: the session cookie, the CSRF token on every
 * mutating request, the deny-by-default permission check, and the JSON body.
 */
#include "api/api.h"
#include "base/str.h"

#include <stdio.h>
#include <string.h>

static int
mutating(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Audits a refusal; a failure to audit it does not change the answer. */
static void
audit_denied(struct http_ctx *ctx, struct api_call *c, const char *action, const char *reason)
{
	struct mm_err e2 = {0};
	char details[192];
	json_t *d = json_pack("{s:s, s:s}", "reason", reason, "route", c->ac_route);
	char *dj = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(d);
	snprintf(details, sizeof(details), "%s", dj ? dj : "{}");
	free(dj);
	if (store_begin(ctx->hc_store, &e2) != 0)
		return;
	if (mamori_audit(ctx->hc_m, ctx->hc_store, &c->ac_who, &(struct audit_event){.action = action,
	    .target_type = "route", .target_id = c->ac_route, .access = AUDIT_READ, .outcome = "denied",
	    .details = details}, NULL, &e2) == 0)
		store_commit(ctx->hc_store, &e2);
	else
		store_rollback(ctx->hc_store);
}

int
api_begin(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p,
    struct api_call *c)
{
	return api_begin_opts(ctx, req, res, p, 0, c);
}

int
api_begin_opts(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p,
    int flags, struct api_call *c)
{
	struct mm_err err = {0};
	char token[SESSION_TOKEN_LEN];

	memset(c, 0, sizeof(*c));
	snprintf(c->ac_route, sizeof(c->ac_route), "%s %s", req->hr_method, req->hr_path);
	c->ac_who.client = req->hr_client;
	c->ac_who.login = "anonymous";
	if (http_cookie(req, SESSION_COOKIE, token, sizeof(token)) == NULL) {
		struct mm_err e = {0};
		mm_err_input(&e, "session", "no_session", "ログインしてください", "sign in first");
		http_problem_err_as(res, &e, 401, "Unauthorized");
		return -1;
	}
	if (session_resolve(ctx->hc_m, ctx->hc_store, token, req->hr_client, &c->ac_pr, &c->ac_si,
	    &err) != 0) {
		mm_wipe(token, sizeof(token));
		http_problem_err_as(res, &err, 401, "Unauthorized");
		api_session_cookie(req, res, NULL);
		return -1;
	}
	mm_wipe(token, sizeof(token));
	c->ac_who.login = c->ac_si.si_login;
	if (mutating(req->hr_method) &&
	    !session_csrf_ok(ctx->hc_store, &c->ac_si, http_header(req, "X-CSRF-Token"))) {
		audit_denied(ctx, c, "access.denied", "csrf");
		http_problem(res, 403, "Forbidden", "the X-CSRF-Token header is missing or wrong", NULL);
		return -1;
	}
	if (!authz_check(&c->ac_pr, p, ctx->hc_m->md_policy)) {
		audit_denied(ctx, c, "access.denied", c->ac_pr.pr_restricted ? "restricted" : perm_key(p));
		if (c->ac_pr.pr_restricted) {
			json_t *b = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:[]}", "type", "about:blank",
			    "title", "Forbidden", "status", 403, "detail",
			    "change your password (and enrol a second factor) first", "detail_ja",
			    "先にパスワードの変更（と二要素認証の登録）を済ませてください", "rule", "restricted", "errors");
			http_json(res, 403, b);
			res->hs_type = "application/problem+json";
		} else {
			http_problem(res, 403, "Forbidden", "your roles do not allow this", NULL);
		}
		return -1;
	}
	if (mutating(req->hr_method) && strcmp(req->hr_method, "DELETE") != 0 && !(flags & API_RAW_BODY)) {
		if ((c->ac_body = http_json_body(req, res)) == NULL)
			return -1;
	}
	return 0;
}

void
api_end(struct api_call *c)
{
	json_decref(c->ac_body);
	c->ac_body = NULL;
}

int
api_id_param(struct http_request *req, int i, struct http_response *res, int64_t *id)
{
	const char *s = req->hr_params[i];
	char *end;
	long long v;

	v = s ? strtoll(s, &end, 10) : 0;
	if (s == NULL || *s == '\0' || *end != '\0' || v <= 0) {
		http_problem(res, 404, "Not found", NULL, NULL);
		return -1;
	}
	*id = v;
	return 0;
}

void
api_session_cookie(struct http_request *req, struct http_response *res, const char *token)
{
	snprintf(res->hs_cookie, sizeof(res->hs_cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
	    SESSION_COOKIE, token ? token : "", req->hr_tls ? "; Secure" : "", token ? "" : "; Max-Age=0");
}

void
api_audit_denied(struct http_ctx *ctx, struct api_call *c, const char *reason)
{
	audit_denied(ctx, c, "access.denied", reason);
}
