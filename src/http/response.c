/* Building responses: JSON bodies, static bytes and problem details. */
#include "http/http.h"

#include <stdio.h>
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

static json_t *
problem_json(int status, const char *title, const char *detail, json_t *errors)
{
	json_t *body = json_pack("{s:s, s:s, s:i}", "type", "about:blank", "title", title, "status",
	    status);

	if (detail)
		json_object_set_new(body, "detail", json_string(detail));
	json_object_set_new(body, "errors", errors ? errors : json_array());
	return body;
}

static void
send_problem(struct http_response *res, int status, json_t *body)
{
	http_json(res, status, body);
	res->hs_type = "application/problem+json";
}

void
http_problem(struct http_response *res, int status, const char *title, const char *detail,
    json_t *errors)
{
	send_problem(res, status, problem_json(status, title, detail, errors));
}

void
http_problem_err(struct http_response *res, const struct mm_err *err)
{
	http_problem_err_as(res, err, 0, NULL);
}

void
http_problem_err_as(struct http_response *res, const struct mm_err *err, int as_status,
    const char *as_title)
{
	int status;
	const char *title;
	json_t *errors, *body;

	switch (err->code) {
	case MM_EINVAL: status = 422; title = "Invalid input"; break;
	case MM_ENOTFOUND: status = 404; title = "Not found"; break;
	case MM_EEXIST: status = 409; title = "Conflict"; break;
	case MM_EPERM: status = 403; title = "Forbidden"; break;
	case MM_ETOOBIG: status = 413; title = "Content too large"; break;
	case MM_EBUSY: status = 503; title = "Busy"; break;
	default: status = 500; title = "Internal error"; break;
	}
	if (as_status) {
		status = as_status;
		title = as_title;
	}
	if (status == 500) {
		/* never show database or file details to a client */
		http_problem(res, status, title, "the server could not complete the request", NULL);
		return;
	}
	errors = json_array();
	if (err->field[0]) {
		json_t *e = json_pack("{s:s, s:s}", "field", err->field, "message", err->msg);
		if (err->rule[0])
			json_object_set_new(e, "rule", json_string(err->rule));
		if (err->msg_ja[0])
			json_object_set_new(e, "message_ja", json_string(err->msg_ja));
		json_array_append_new(errors, e);
	}
	body = problem_json(status, title, err->msg, errors);
	if (err->rule[0])
		json_object_set_new(body, "rule", json_string(err->rule));
	if (err->msg_ja[0])
		json_object_set_new(body, "detail_ja", json_string(err->msg_ja));
	send_problem(res, status, body);
}

json_t *
http_json_body(struct http_request *req, struct http_response *res)
{
	const char *type = http_header(req, "Content-Type");
	json_error_t jerr;
	json_t *body;
	char detail[256];

	if (type == NULL || strncmp(type, "application/json", 16) != 0) {
		http_problem(res, 415, "Unsupported media type", "send the body as application/json", NULL);
		return NULL;
	}
	body = json_loadb(req->hr_body.b_data ? req->hr_body.b_data : "", req->hr_body.b_len,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (body == NULL || !json_is_object(body)) {
		snprintf(detail, sizeof(detail), body ? "the body must be a JSON object"
		    : "the body is not valid JSON (line %d, column %d: %s)", jerr.line, jerr.column, jerr.text);
		json_decref(body);
		http_problem(res, 400, "Bad request", detail, NULL);
		return NULL;
	}
	return body;
}

const char *
http_cookie(struct http_request *req, const char *name, char *out, size_t n)
{
	const char *h = http_header(req, "Cookie"), *p;
	size_t nlen = strlen(name);

	for (p = h; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			const char *v = p + nlen + 1, *end = strchr(v, ';');
			size_t len = end ? (size_t)(end - v) : strlen(v);
			if (len >= n)
				return NULL;
			memcpy(out, v, len);
			out[len] = '\0';
			return out;
		}
		p = strchr(p, ';');
	}
	return NULL;
}
