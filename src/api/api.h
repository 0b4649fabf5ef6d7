/* The JSON API: one handler file per area, all listed in routes.c and in openapi/openapi.json. */
#ifndef MM_API_H
#define MM_API_H

#include "auth/login.h"
#include "http/http.h"

#include <stdlib.h>

#define SESSION_COOKIE "mamori_session"

/* A protected call in progress: who, their session, and the parsed body. */
struct api_call {
	struct principal ac_pr;
	struct session_info ac_si;
	struct mm_actor ac_who;
	json_t *ac_body; /* the JSON object of POST, PUT and PATCH */
	char ac_route[128];
};

/*
 * Checks the session cookie, the CSRF token (mutating methods), the permission, and parses the
 * JSON body. Returns 0, or -1 with the error response already made (401, 403, 400, 415).
 */
int api_begin(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p,
    struct api_call *c);
void api_end(struct api_call *c);
/* The same with flags: API_RAW_BODY leaves the body unparsed in req->hr_body (uploads). */
#define API_RAW_BODY 1
int api_begin_opts(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p,
    int flags, struct api_call *c);
/* Audits a refusal of the call (a failure to audit it does not change the answer). */
void api_audit_denied(struct http_ctx *ctx, struct api_call *c, const char *reason);

/* The numeric {id} path parameter i, or -1 with a 404 made. */
int api_id_param(struct http_request *req, int i, struct http_response *res, int64_t *id);

/* Sets (token) or clears (NULL) the session cookie: HttpOnly, SameSite=Strict, Secure under TLS. */
void api_session_cookie(struct http_request *req, struct http_response *res, const char *token);

extern const struct http_route api_routes[];
extern const size_t api_routes_count;

/* Answers a domain error, with the list of field errors when there is one (ownership taken). */
void api_fail(struct http_response *res, const struct mm_err *err, json_t *errors);

/*
 * The vault's gate (mynumber.c): api_begin_opts, then the vault's context; masked lists
 * (PERM_MYNUMBER_LIST) also let IT staff with a grant through. 0, or -1 with the answer made.
 */
struct vault_ctx;
int api_vault_begin(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p,
    int flags, struct api_call *c, struct vault_ctx *x);
/* The vault's answer: out with status when rc is 0 (204: no body), else the error (ownership taken). */
void api_vault_reply(struct http_response *res, int rc, int status, json_t *out, json_t *errors,
    struct mm_err *err);

void api_session_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_session_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_session_delete(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_session_password(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_session_password_check(struct http_ctx *ctx, struct http_request *req,
    struct http_response *res);
void api_session_mfa(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_session_mfa_confirm(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_people_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_people_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_people_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_people_update(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_accounts_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_accounts_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_accounts_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_accounts_reset_password(struct http_ctx *ctx, struct http_request *req,
    struct http_response *res);
void api_accounts_disable(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_accounts_unlock(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_accounts_mfa_reset(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_accounts_roles(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_roles_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_journal_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_journal_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_schema(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_records(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_update(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_delete(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_history(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_decide(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_approvals(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_export(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_registers_import(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_purposes(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_subjects(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_subject_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_subject_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_subject_update(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_number_set(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_identity_check(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_reveal(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_deletion_request(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_queue(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_deletion_decide(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_export(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_records(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_report(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_inspection(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_scope_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_scope_set(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_grants(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_grant_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_grant_revoke(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_mistakes(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_mistake_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_mistake_resolve(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_requests(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_request_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_request_update(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_epochs(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_documents(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_document_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_document_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_mynumber_document_purge(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_check(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_duties_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_duties_complete(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_reports_compliance(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_approvals_types(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_approvals_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_approvals_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_approvals_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_approvals_decide(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_approvals_withdraw(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_healthz(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_openapi(struct http_ctx *ctx, struct http_request *req, struct http_response *res);

#endif
