/*
 * The My Number vault over HTTP (docs/internals/vault.md). No response ever carries a number except
 * the reveal of a handler in scope; refusals are audited like every access.
 */
#include "api/api.h"
#include "base/time.h"
#include "vault/vault.h"
#include "workflow/approvals.h"

#include <stdlib.h>
#include <string.h>

int
api_vault_begin(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p, int flags,
    struct api_call *c, struct vault_ctx *x)
{
	int64_t started = mm_now_ms();

	if (api_begin_opts(ctx, req, res, p == PERM_MYNUMBER_LIST ? PERM_MYNUMBER_REPORT : p, flags, c) != 0)
		return -1;
	*x = (struct vault_ctx){.m = ctx->hc_m, .st = ctx->hc_store, .who = &c->ac_who, .pr = &c->ac_pr,
	    .started_ms = started};
	if (p == PERM_MYNUMBER_LIST && !vault_may_list(x)) {
		api_audit_denied(ctx, c, "mynumber.list");
		http_problem(res, 403, "Forbidden", "your roles do not allow this (IT staff need a grant from the manager)",
		    NULL);
		api_end(c);
		return -1;
	}
	return 0;
}

static int
begin(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p, struct api_call *c,
    struct vault_ctx *x)
{
	return api_vault_begin(ctx, req, res, p, 0, c, x);
}

static int64_t
qint(struct http_request *req, const char *name)
{
	const char *v = http_query(req, name);
	return v ? strtoll(v, NULL, 10) : 0;
}

void
api_vault_reply(struct http_response *res, int rc, int status, json_t *out, json_t *errors, struct mm_err *err)
{
	if (rc != 0)
		api_fail(res, err, errors);
	else if (status == 204)
		http_static(res, 204, NULL, "", 0, NULL);
	else
		http_json(res, status, out);
}

static void
reply(struct http_response *res, int rc, int status, json_t *out, json_t *errors, struct mm_err *err)
{
	api_vault_reply(res, rc, status, out, errors, err);
}

void
api_mynumber_purposes(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;

	if (begin(ctx, req, res, PERM_MYNUMBER_LIST, &c, &x) != 0)
		return;
	http_json(res, 200, json_pack("{s:o}", "items", vault_purposes(ctx->hc_m)));
	api_end(&c);
}

void
api_mynumber_subjects(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int rc;

	if (begin(ctx, req, res, PERM_MYNUMBER_LIST, &c, &x) != 0)
		return;
	rc = vault_subject_list(&x, http_query(req, "q"), http_query(req, "kind"), http_query(req, "state"),
	    qint(req, "page"), qint(req, "per_page"), &out, &err);
	reply(res, rc, 200, out, NULL, &err);
	api_end(&c);
}

void
api_mynumber_subject_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL, *errors = NULL;
	int64_t id;
	int rc;

	if (begin(ctx, req, res, PERM_MYNUMBER_COLLECT, &c, &x) != 0)
		return;
	if ((rc = vault_subject_create(&x, c.ac_body, &id, &errors, &err)) == 0)
		rc = vault_subject_get(&x, -id, &out, &err);
	reply(res, rc, 201, out, errors, &err);
	api_end(&c);
}

void
api_mynumber_subject_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_LIST, &c, &x) != 0)
		return;
	rc = vault_subject_get(&x, id, &out, &err);
	reply(res, rc, 200, out, NULL, &err);
	api_end(&c);
}

void
api_mynumber_subject_update(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL, *errors = NULL;
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_COLLECT, &c, &x) != 0)
		return;
	if ((rc = vault_subject_update(&x, id, c.ac_body, &errors, &err)) == 0)
		rc = vault_subject_get(&x, -id, &out, &err);
	reply(res, rc, 200, out, errors, &err);
	api_end(&c);
}

void
api_mynumber_number_set(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL, *errors = NULL, *n;
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_COLLECT, &c, &x) != 0)
		return;
	n = json_object_get(c.ac_body, "number");
	rc = vault_number_set(&x, id, json_string_value(n), json_string_value(json_object_get(c.ac_body, "reason")),
	    &errors, &err);
	if (json_is_string(n))
		mm_wipe((char *)json_string_value(n), json_string_length(n));
	if (rc == 0)
		rc = vault_subject_get(&x, -id, &out, &err);
	reply(res, rc, 200, out, errors, &err);
	api_end(&c);
}

void
api_mynumber_identity_check(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL, *errors = NULL;
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_COLLECT, &c, &x) != 0)
		return;
	/* the check erases the images it confirms in its own transaction (vault_identity_check) */
	if ((rc = vault_identity_check(&x, id, c.ac_body, &errors, &err)) == 0) {
		store_flush_log(x.st);
		rc = vault_subject_get(&x, -id, &out, &err);
	}
	reply(res, rc, 201, out, errors, &err);
	api_end(&c);
}

void
api_mynumber_reveal(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	char number[VAULT_NUMBER_MAX + 1];
	const char *purpose;
	int64_t id;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_REVEAL, &c, &x) != 0)
		return;
	purpose = json_string_value(json_object_get(c.ac_body, "purpose"));
	if (vault_reveal(&x, id, purpose, number, &err) != 0) {
		api_fail(res, &err, NULL);
	} else {
		http_json(res, 200, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "number", number, "purpose", purpose));
		mm_wipe(number, sizeof(number));
	}
	api_end(&c);
}

void
api_mynumber_deletion_request(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *errors = NULL;
	int64_t id, rid = 0, aid = 0;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_COLLECT, &c, &x) != 0)
		return;
	rc = approval_mynumber_deletion(ctx->hc_m, ctx->hc_store, &c.ac_pr, &c.ac_who, mm_now_ms(), id, c.ac_body, &rid,
	    &aid, &errors, &err);
	reply(res, rc, 201, rc ? NULL : json_pack("{s:I, s:I, s:s, s:I}", "id", (json_int_t)rid, "subject_id",
	    (json_int_t)id, "state", "pending", "approval_id", (json_int_t)aid), errors, &err);
	api_end(&c);
}

void
api_mynumber_deletion_decide(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	int64_t id, aid = 0;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_MANAGE, &c, &x) != 0)
		return;
	/* the decision is the engine's (workflow/effects.c shreds on approval) */
	if ((rc = vault_deletion_approval(&x, id, &aid, &err)) == 0)
		rc = approval_decide(ctx->hc_m, ctx->hc_store, &c.ac_pr, &c.ac_who, mm_now_ms(), aid,
		    json_string_value(json_object_get(c.ac_body, "decision")),
		    json_string_value(json_object_get(c.ac_body, "comment")), NULL, &err);
	if (rc == MM_EPERM)
		api_audit_denied(ctx, &c, "approval.decide");
	reply(res, rc, 200, rc ? NULL : json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "decision",
	    json_string_value(json_object_get(c.ac_body, "decision")), "approval_id", (json_int_t)aid), NULL, &err);
	api_end(&c);
}

void
api_mynumber_queue(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int rc;

	if (begin(ctx, req, res, PERM_MYNUMBER_LIST, &c, &x) != 0)
		return;
	rc = vault_deletion_queue(&x, &out, &err);
	reply(res, rc, 200, out, NULL, &err);
	api_end(&c);
}

void
api_mynumber_export(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL, *errors = NULL;
	int rc;

	if (begin(ctx, req, res, PERM_MYNUMBER_REVEAL, &c, &x) != 0)
		return;
	rc = vault_export(&x, c.ac_body, &out, &errors, &err);
	reply(res, rc, 201, out, errors, &err);
	api_end(&c);
}

void
api_mynumber_records(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int rc;

	if (begin(ctx, req, res, PERM_MYNUMBER_LIST, &c, &x) != 0)
		return;
	rc = vault_records(&x, http_query(req, "from"), http_query(req, "to"), &out, &err);
	reply(res, rc, 200, rc ? NULL : json_pack("{s:o}", "items", out), NULL, &err);
	api_end(&c);
}

void
api_mynumber_report(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int rc;

	if (begin(ctx, req, res, PERM_MYNUMBER_MANAGE, &c, &x) != 0)
		return;
	rc = vault_report_month(&x, http_query(req, "month"), &out, &err);
	reply(res, rc, 200, out, NULL, &err);
	api_end(&c);
}

void
api_mynumber_inspection(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int rc;

	if (begin(ctx, req, res, PERM_MYNUMBER_MANAGE, &c, &x) != 0)
		return;
	rc = vault_inspection(&x, http_query(req, "year"), &out, &err);
	reply(res, rc, 200, out, NULL, &err);
	api_end(&c);
}

void
api_mynumber_scope_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_MANAGE, &c, &x) != 0)
		return;
	rc = vault_scope_get(&x, id, &out, &err);
	reply(res, rc, 200, out, NULL, &err);
	api_end(&c);
}

void
api_mynumber_scope_set(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL, *errors = NULL;
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_MANAGE, &c, &x) != 0)
		return;
	if ((rc = vault_scope_set(&x, id, json_object_get(c.ac_body, "purposes"), &errors, &err)) == 0)
		rc = vault_scope_get(&x, id, &out, &err);
	reply(res, rc, 200, out, errors, &err);
	api_end(&c);
}

/* The list-or-add pairs of the manager's books: grants, mistakes, requests. */
typedef int (*list_fn)(struct vault_ctx *, json_t **, struct mm_err *);
typedef int (*add_fn)(struct vault_ctx *, json_t *, int64_t *, json_t **, struct mm_err *);

static void
list_route(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p, list_fn fn)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int rc;

	if (begin(ctx, req, res, p, &c, &x) != 0)
		return;
	rc = fn(&x, &out, &err);
	reply(res, rc, 200, rc ? NULL : json_pack("{s:o}", "items", out), NULL, &err);
	api_end(&c);
}

static void
add_route(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p, add_fn fn)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *errors = NULL;
	int64_t id = 0;
	int rc;

	if (begin(ctx, req, res, p, &c, &x) != 0)
		return;
	rc = fn(&x, c.ac_body, &id, &errors, &err);
	reply(res, rc, 201, rc ? NULL : json_pack("{s:I}", "id", (json_int_t)id), errors, &err);
	api_end(&c);
}

void
api_mynumber_grants(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	list_route(ctx, req, res, PERM_MYNUMBER_MANAGE, vault_grants);
}

void
api_mynumber_grant_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	add_route(ctx, req, res, PERM_MYNUMBER_MANAGE, vault_grant_add);
}

void
api_mynumber_mistakes(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	list_route(ctx, req, res, PERM_MYNUMBER_MANAGE, vault_mistakes);
}

void
api_mynumber_mistake_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	add_route(ctx, req, res, PERM_MYNUMBER_REPORT, vault_mistake_add);
}

void
api_mynumber_requests(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	list_route(ctx, req, res, PERM_MYNUMBER_LIST, vault_requests);
}

void
api_mynumber_request_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	add_route(ctx, req, res, PERM_MYNUMBER_COLLECT, vault_request_add);
}

void
api_mynumber_grant_revoke(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	int64_t id;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, PERM_MYNUMBER_MANAGE, &c, &x) != 0)
		return;
	reply(res, vault_grant_revoke(&x, id, &err), 204, NULL, NULL, &err);
	api_end(&c);
}

/* PATCH-like changes of one item by id: mistakes (resolve) and requests (decision). */
typedef int (*change_fn)(struct vault_ctx *, int64_t, json_t *, json_t **, struct mm_err *);

static void
change_route(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p, change_fn fn)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *errors = NULL;
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || begin(ctx, req, res, p, &c, &x) != 0)
		return;
	rc = fn(&x, id, c.ac_body, &errors, &err);
	reply(res, rc, 200, rc ? NULL : json_pack("{s:I}", "id", (json_int_t)id), errors, &err);
	api_end(&c);
}

void
api_mynumber_mistake_resolve(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	change_route(ctx, req, res, PERM_MYNUMBER_MANAGE, vault_mistake_resolve);
}

void
api_mynumber_request_update(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	change_route(ctx, req, res, PERM_MYNUMBER_COLLECT, vault_request_update);
}

void
api_mynumber_epochs(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	list_route(ctx, req, res, PERM_MYNUMBER_MANAGE, vault_epochs);
}
