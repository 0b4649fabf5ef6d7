/* /api/people: 従業員等. */
#include "api/api.h"
#include "auth/people.h"

/* Answers a domain error; with a list of field errors when there is one. */
void
api_fail(struct http_response *res, const struct mm_err *err, json_t *errors)
{
	if (errors != NULL && json_array_size(errors) > 0) {
		json_t *b = json_pack("{s:s, s:s, s:i, s:s, s:o}", "type", "about:blank", "title",
		    "Invalid input", "status", 422, "detail", err->msg, "errors", errors);
		if (err->msg_ja[0])
			json_object_set_new(b, "detail_ja", json_string(err->msg_ja));
		http_json(res, 422, b);
		res->hs_type = "application/problem+json";
		return;
	}
	json_decref(errors);
	http_problem_err(res, err);
}

void
api_people_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out;

	if (api_begin(ctx, req, res, PERM_PEOPLE_READ, &c) != 0)
		return;
	if (people_list(ctx->hc_store, &out, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, json_pack("{s:o}", "items", out));
	api_end(&c);
}

void
api_people_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *errors = NULL, *out;
	int64_t id;

	if (api_begin(ctx, req, res, PERM_PEOPLE_WRITE, &c) != 0)
		return;
	if (people_create(ctx->hc_m, ctx->hc_store, &c.ac_who, c.ac_body, &id, &errors, &err) != 0 ||
	    people_get(ctx->hc_store, id, &out, &err) != 0)
		api_fail(res, &err, errors);
	else
		http_json(res, 201, out);
	api_end(&c);
}

void
api_people_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out;
	int64_t id;

	if (api_id_param(req, 0, res, &id) != 0 || api_begin(ctx, req, res, PERM_PEOPLE_READ, &c) != 0)
		return;
	if (people_get(ctx->hc_store, id, &out, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, out);
	api_end(&c);
}

void
api_people_update(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *errors = NULL, *out;
	int64_t id;

	if (api_id_param(req, 0, res, &id) != 0 || api_begin(ctx, req, res, PERM_PEOPLE_WRITE, &c) != 0)
		return;
	if (people_update(ctx->hc_m, ctx->hc_store, &c.ac_who, id, c.ac_body, &errors, &err) != 0 ||
	    people_get(ctx->hc_store, id, &out, &err) != 0)
		api_fail(res, &err, errors);
	else
		http_json(res, 200, out);
	api_end(&c);
}
