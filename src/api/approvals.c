/* /api/approvals: the approval engine's requests, inbox and decisions (src/workflow/approvals.c).
 */
#include "workflow/approvals.h"
#include "api/api.h"
#include "base/time.h"

#include <string.h>

/* A string member of the body, or NULL; a member of another type is MM_EINVAL naming it. */
static int
body_text(const json_t *body, const char *name, const char **out, struct mm_err *err)
{
	const json_t *v = json_object_get(body, name);

	*out = json_string_value(v);
	if (v && !json_is_string(v) && !json_is_null(v))
		return mm_err_input(
		    err, name, "type", "文字列で入力してください", "must be a string");
	return 0;
}

/* Answers with the request as it is now, and what its decision did (result, taken) as "result". */
/* The object member "payload", or NULL when absent. */
static int
body_payload(const json_t *body, json_t **out, struct mm_err *err)
{
	json_t *v = json_object_get(body, "payload");

	*out = NULL;
	if (v && !json_is_object(v) && !json_is_null(v))
		return mm_err_input(err, "payload", "type", "申請の内容はオブジェクトで指定してください",
		    "payload is an object");
	*out = json_is_object(v) ? v : NULL;
	return 0;
}

static void
answer_request(struct http_ctx *ctx, struct api_call *c, struct http_response *res, int status,
    int64_t id, json_t *result)
{
	struct mm_err err = {0};
	json_t *out;

	if (approval_get(ctx->hc_m, ctx->hc_store, &c->ac_pr, mm_now_ms(), id, &out, &err) != 0) {
		http_problem_err(res, &err);
		json_decref(result);
		return;
	}
	if (result)
		json_object_set_new(out, "result", result);
	http_json(res, status, out);
}

void
api_approvals_types(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;

	if (api_begin(ctx, req, res, PERM_APPROVALS, &c) != 0)
		return;
	http_json(res, 200, json_pack("{s:o}", "items", approval_types_json(ctx->hc_m->md_policy)));
	api_end(&c);
}

void
api_approvals_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	struct approval_new n = {0};
	int64_t id;
	int rc;

	if (api_begin(ctx, req, res, PERM_APPROVALS, &c) != 0)
		return;
	if ((rc = body_text(c.ac_body, "type", &n.type, &err)) != 0 ||
	    (rc = body_text(c.ac_body, "class", &n.cls, &err)) != 0 ||
	    (rc = body_text(c.ac_body, "subject", &n.subject, &err)) != 0 ||
	    (rc = body_text(c.ac_body, "title", &n.title, &err)) != 0 ||
	    (rc = body_text(c.ac_body, "detail", &n.detail, &err)) != 0 ||
	    (rc = body_text(c.ac_body, "due_on", &n.due_on, &err)) != 0 ||
	    (rc = body_payload(c.ac_body, &n.payload, &err)) != 0 ||
	    (rc = approval_request(
	         ctx->hc_m, ctx->hc_store, &c.ac_pr, &c.ac_who, mm_now_ms(), &n, &id, &err)) != 0) {
		if (rc == MM_EPERM)
			api_audit_denied(ctx, &c, "approval.subject");
		http_problem_err(res, &err);
	} else {
		answer_request(ctx, &c, res, 201, id, NULL);
	}
	api_end(&c);
}

void
api_approvals_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	enum approval_box box;
	int64_t now = mm_now_ms();
	char at[MM_TIME_STRLEN];
	json_t *items;
	int rc;

	if (api_begin(ctx, req, res, PERM_APPROVALS, &c) != 0)
		return;
	mm_time_format(now, at);
	if ((rc = approval_box_parse(http_query(req, "box"), &box, &err)) != 0 ||
	    (rc = approval_list(ctx->hc_m, ctx->hc_store, &c.ac_pr, now, box, &items, &err)) != 0) {
		if (rc == MM_EPERM)
			api_audit_denied(ctx, &c, "approvals.all");
		http_problem_err(res, &err);
	} else {
		http_json(res, 200,
		    json_pack("{s:s, s:s, s:o}", "at", at, "box",
		        box == APPROVAL_INBOX  ? "inbox"
		        : box == APPROVAL_MINE ? "mine"
		                               : "all",
		        "items", items));
	}
	api_end(&c);
}

void
api_approvals_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	int64_t id;

	if (api_id_param(req, 0, res, &id) != 0 ||
	    api_begin(ctx, req, res, PERM_APPROVALS, &c) != 0)
		return;
	answer_request(ctx, &c, res, 200, id, NULL);
	if (res->hs_status == 403)
		api_audit_denied(ctx, &c, "approval.read");
	api_end(&c);
}

void
api_approvals_decide(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	const char *decision, *comment;
	json_t *result = NULL;
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 ||
	    api_begin(ctx, req, res, PERM_APPROVALS, &c) != 0)
		return;
	if ((rc = body_text(c.ac_body, "decision", &decision, &err)) != 0 ||
	    (rc = body_text(c.ac_body, "comment", &comment, &err)) != 0 ||
	    (rc = approval_decide(ctx->hc_m, ctx->hc_store, &c.ac_pr, &c.ac_who, mm_now_ms(), id,
	         decision, comment, &result, &err)) != 0) {
		if (rc == MM_EPERM)
			api_audit_denied(ctx, &c, "approval.decide");
		http_problem_err(res, &err);
	} else {
		answer_request(ctx, &c, res, 200, id, result);
	}
	api_end(&c);
}

void
api_approvals_withdraw(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 ||
	    api_begin(ctx, req, res, PERM_APPROVALS, &c) != 0)
		return;
	if ((rc = approval_withdraw(
	         ctx->hc_m, ctx->hc_store, &c.ac_pr, &c.ac_who, mm_now_ms(), id, &err)) != 0) {
		if (rc == MM_EPERM)
			api_audit_denied(ctx, &c, "approval.withdraw");
		http_problem_err(res, &err);
	} else {
		answer_request(ctx, &c, res, 200, id, NULL);
	}
	api_end(&c);
}
