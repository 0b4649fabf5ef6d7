/*
 * Images of 本人確認 documents over HTTP (docs/internals/vault.md, "Images of identity documents"):
 * a handler uploads the file's bytes as they are (its type is told by its magic bytes, never by the
 * Content-Type), views it while it awaits the identity check, and may erase it; recording the check
 * erases it anyway (mynumber.c). Only when the profile's [mynumber] document_images allows it.
 */
#include "api/api.h"
#include "vault/vault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The gate first (a role without the permission gets 403 whatever the id), then the {id}. */
static int
begin_id(struct http_ctx *ctx, struct http_request *req, struct http_response *res, enum perm p, int flags,
    struct api_call *c, struct vault_ctx *x, int64_t *id)
{
	if (api_vault_begin(ctx, req, res, p, flags, c, x) != 0)
		return -1;
	if (api_id_param(req, 0, res, id) != 0) {
		api_end(c);
		return -1;
	}
	return 0;
}

void
api_mynumber_documents(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int64_t id, purged = 0;
	int rc;

	if (begin_id(ctx, req, res, PERM_MYNUMBER_LIST, 0, &c, &x, &id) != 0)
		return;
	/* an image a recorded check confirmed but whose erasure did not run goes now */
	if ((rc = vault_documents_confirmed(&x, id, &purged, &err)) == 0)
		rc = vault_documents(&x, id, &out, &err);
	api_vault_reply(res, rc, 200, out, NULL, &err);
	api_end(&c);
}

void
api_mynumber_document_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL;
	int64_t id, doc = 0;
	const char *kind = http_query(req, "kind");
	int rc;

	if (begin_id(ctx, req, res, PERM_MYNUMBER_COLLECT, API_RAW_BODY, &c, &x, &id) != 0)
		goto wipe;
	rc = vault_document_add(&x, id, kind, req->hr_body.b_data, req->hr_body.b_len, &doc, &err);
	if (rc == 0)
		out = json_pack("{s:I, s:I, s:s, s:s, s:I}", "id", (json_int_t)doc, "subject_id", (json_int_t)id, "kind", kind,
		    "content_type", vault_document_type(req->hr_body.b_data, req->hr_body.b_len), "size",
		    (json_int_t)req->hr_body.b_len);
	api_vault_reply(res, rc, 201, out, NULL, &err);
	api_end(&c);
wipe:
	/* the clear bytes leave memory now, whatever the answer */
	if (req->hr_body.b_data)
		mm_wipe(req->hr_body.b_data, req->hr_body.b_len);
}

void
api_mynumber_document_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	unsigned char *data = NULL;
	const char *type = NULL;
	size_t len = 0;
	int64_t id;

	if (begin_id(ctx, req, res, PERM_MYNUMBER_COLLECT, 0, &c, &x, &id) != 0)
		return;
	if (vault_document_open(&x, id, &data, &len, &type, &err) != 0) {
		api_fail(res, &err, NULL);
	} else {
		res->hs_status = 200;
		res->hs_type = type;
		res->hs_body = (char *)data;
		res->hs_len = len;
		res->hs_static = 0;
		/* kept in no cache, shown in the page and never saved under a name */
		res->hs_cache = "no-store, private";
		snprintf(res->hs_disposition, sizeof(res->hs_disposition), "inline");
	}
	api_end(&c);
}

void
api_mynumber_document_purge(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct vault_ctx x;
	struct mm_err err = {0};
	int64_t id;

	if (begin_id(ctx, req, res, PERM_MYNUMBER_COLLECT, 0, &c, &x, &id) != 0)
		return;
	api_vault_reply(res, vault_document_purge(&x, id, &err), 204, NULL, NULL, &err);
	api_end(&c);
}
