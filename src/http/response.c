/* Building responses: JSON bodies, static bytes and problem details. */
#include "http/http.h"

#include <stdlib.h>
#include <string.h>

void
http_json(struct http_response *res, int status, json_t *body)
{
	res->hs_status = status;
	res->hs_type = "application/json";
	res->hs_body = json_dumps(body, JSON_COMPACT);
	res->hs_len = res->hs_body ? strlen(res->hs_body) : 0;
	res->hs_static = 0;
	json_decref(body);
	if (res->hs_body == NULL) {
		res->hs_status = 500;
		http_static(res, 500, "text/plain; charset=utf-8", "out of memory\n", 14, NULL);
	}
}

void
http_static(struct http_response *res, int status, const char *type, const void *data, size_t len,
    const char *cache)
{
	res->hs_status = status;
	res->hs_type = type;
	res->hs_body = (char *)data;
	res->hs_len = len;
	res->hs_static = 1;
	res->hs_cache = cache;
}

void
http_problem(struct http_response *res, int status, const char *title, const char *detail,
    json_t *errors)
{
	json_t *body = json_pack("{s:s, s:s, s:i}", "type", "about:blank", "title", title, "status",
	    status);

	if (detail)
		json_object_set_new(body, "detail", json_string(detail));
	json_object_set_new(body, "errors", errors ? errors : json_array());
	http_json(res, status, body);
	res->hs_type = "application/problem+json";
}

void
http_problem_err(struct http_response *res, const struct mm_err *err)
{
	int status;
	const char *title;

	switch (err->code) {
	case MM_EINVAL: status = 422; title = "Invalid input"; break;
	case MM_ENOTFOUND: status = 404; title = "Not found"; break;
	case MM_EEXIST: status = 409; title = "Conflict"; break;
	case MM_EPERM: status = 403; title = "Forbidden"; break;
	case MM_ETOOBIG: status = 413; title = "Content too large"; break;
	case MM_EBUSY: status = 503; title = "Busy"; break;
	default: status = 500; title = "Internal error"; break;
	}
	if (status == 500) {
		/* never show database or file details to a client */
		http_problem(res, status, title, "the server could not complete the request", NULL);
		return;
	}
	http_problem(res, status, title, err->msg,
	    err->field[0] ? json_pack("[{s:s, s:s}]", "field", err->field, "message", err->msg) : NULL);
}
