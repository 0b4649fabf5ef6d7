/*
 * The ledgers over HTTP (docs/internals/registers.md): every ledger through the same routes, each
 * ledger's readers and writers from its definition.
 */
#include "api/api.h"
#include "base/time.h"
#include "registers/registers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The gate of every ledger route: the session (api_begin), the ledger named in the path, and its
 * readers or writers. Returns 0 with x filled, or -1 with the answer made.
 */
static int
begin(struct http_ctx *ctx, struct http_request *req, struct http_response *res, int write, int flags,
    struct api_call *c, struct reg_ctx *x)
{
	const struct reg_def *d;

	if (api_begin_opts(ctx, req, res, PERM_REGISTERS, flags, c) != 0)
		return -1;
	if ((d = registers_find(req->hr_params[0])) == NULL) {
		http_problem(res, 404, "Not found", "no such ledger", NULL);
		api_end(c);
		return -1;
	}
	if (!reg_allowed(d, &c->ac_pr, write)) {
		api_audit_denied(ctx, c, write ? "register.write" : "register.read");
		http_problem(res, 403, "Forbidden", "your roles do not allow this on this ledger", NULL);
		api_end(c);
		return -1;
	}
	*x = (struct reg_ctx){.m = ctx->hc_m, .st = ctx->hc_store, .who = &c->ac_who, .pr = &c->ac_pr, .def = d,
	    .now_ms = mm_now_ms()};
	return 0;
}

static int64_t
query_int(struct http_request *req, const char *name)
{
	const char *v = http_query(req, name);
	char *end;
	long long n;

	if (v == NULL || *v == '\0')
		return 0;
	n = strtoll(v, &end, 10);
	return *end == '\0' && n > 0 && n < 100000000 ? n : -1;
}

static void
query_of(struct http_request *req, const struct reg_def *d, struct reg_query *q)
{
	memset(q, 0, sizeof(*q));
	q->q = http_query(req, "q");
	q->sort = http_query(req, "sort");
	q->page = query_int(req, "page");
	q->per_page = query_int(req, "per_page");
	for (size_t i = 0; d->filters[i] && q->nfilters < 32; i++) {
		const char *v = http_query(req, d->filters[i]);
		if (v) {
			q->filter_names[q->nfilters] = d->filters[i];
			q->filter_values[q->nfilters++] = v;
		}
	}
}

void
api_registers_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *items = json_array();

	if (api_begin(ctx, req, res, PERM_REGISTERS, &c) != 0) {
		json_decref(items);
		return;
	}
	for (size_t i = 0; i < registers_count(); i++) {
		const struct reg_def *d = registers_at(i);
		char sql[128];
		int64_t n = 0;

		if (!reg_allowed(d, &c.ac_pr, 0))
			continue;
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", d->table);
		if (store_query_int(ctx->hc_store, sql, &n, &err) != 0)
			break;
		json_array_append_new(items, json_pack("{s:s, s:{s:s, s:s}, s:s?, s:I, s:b}", "name", d->name, "label",
		    "ja", d->label_ja, "en", d->label_en, "source", d->source, "count", (json_int_t)n, "can_write",
		    reg_allowed(d, &c.ac_pr, 1)));
	}
	if (err.code)
		http_problem_err(res, &err);
	else
		http_json(res, 200, json_pack("{s:o}", "items", json_incref(items)));
	json_decref(items);
	api_end(&c);
}

void
api_registers_schema(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;

	if (begin(ctx, req, res, 0, 0, &c, &x) != 0)
		return;
	http_json(res, 200, reg_schema_json(x.def, &c.ac_pr));
	api_end(&c);
}

void
api_registers_records(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct reg_query q;
	struct mm_err err = {0};
	struct mm_buf out;

	if (begin(ctx, req, res, 0, 0, &c, &x) != 0)
		return;
	query_of(req, x.def, &q);
	mm_buf_init(&out, REG_PAGE_MAX);
	if (q.page < 0 || q.per_page < 0) {
		mm_err_input(&err, q.page < 0 ? "page" : "per_page", "range", "ページの指定が正しくありません",
		    "page and per_page must be positive whole numbers");
		api_fail(res, &err, NULL);
	} else if (reg_list_write(&x, &q, &out, &err) != 0) {
		api_fail(res, &err, NULL);
	} else {
		/* the page's JSON text as the engine wrote it, without a jansson tree (docs/performance.md) */
		res->hs_status = 200;
		res->hs_type = "application/json";
		res->hs_len = out.b_len;
		if ((res->hs_body = mm_buf_take(&out)) == NULL)
			http_static(res, 500, "text/plain; charset=utf-8", "out of memory\n", 14, NULL);
	}
	mm_buf_free(&out);
	api_end(&c);
}

/* The saved record as the answer, or the errors. */
static void
answer(struct http_response *res, struct reg_ctx *x, int rc, int64_t id, int status, json_t *errors,
    struct mm_err *err)
{
	json_t *out;

	if (rc == 0 && (rc = reg_get(x, id, &out, err)) == 0)
		http_json(res, status, out);
	else
		api_fail(res, err, errors);
}

void
api_registers_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct mm_err err = {0};
	json_t *errors = NULL;
	int64_t id = 0;
	int rc;

	if (begin(ctx, req, res, 1, 0, &c, &x) != 0)
		return;
	rc = reg_create(&x, c.ac_body, &id, &errors, &err);
	answer(res, &x, rc, id, 201, errors, &err);
	api_end(&c);
}

void
api_registers_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct mm_err err = {0};
	int64_t id;

	if (api_id_param(req, 1, res, &id) != 0 || begin(ctx, req, res, 0, 0, &c, &x) != 0)
		return;
	answer(res, &x, 0, id, 200, NULL, &err);
	api_end(&c);
}

void
api_registers_update(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct mm_err err = {0};
	json_t *errors = NULL;
	int64_t id;
	int rc;

	if (api_id_param(req, 1, res, &id) != 0 || begin(ctx, req, res, 1, 0, &c, &x) != 0)
		return;
	rc = reg_update(&x, id, c.ac_body, &errors, &err);
	answer(res, &x, rc, id, 200, errors, &err);
	api_end(&c);
}

void
api_registers_delete(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct mm_err err = {0};
	int64_t id;

	if (api_id_param(req, 1, res, &id) != 0 || begin(ctx, req, res, 1, 0, &c, &x) != 0)
		return;
	if (reg_delete(&x, id, &err) != 0)
		http_problem_err(res, &err);
	else
		http_static(res, 204, NULL, "", 0, NULL);
	api_end(&c);
}

void
api_registers_history(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct mm_err err = {0};
	json_t *out;
	int64_t id;

	if (api_id_param(req, 1, res, &id) != 0 || begin(ctx, req, res, 0, 0, &c, &x) != 0)
		return;
	if (reg_history(&x, id, &out, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, json_pack("{s:o}", "items", out));
	api_end(&c);
}

void
api_registers_export(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct reg_query q;
	struct mm_err err = {0};
	struct mm_buf out;
	const char *format = http_query(req, "format"), *enc = http_query(req, "encoding");
	int xlsx, cp932;
	char day[MM_TIME_STRLEN];

	if (begin(ctx, req, res, 0, 0, &c, &x) != 0)
		return;
	xlsx = format && strcmp(format, "xlsx") == 0;
	cp932 = enc && (strcmp(enc, "cp932") == 0 || strcmp(enc, "shift_jis") == 0);
	if ((format && !xlsx && strcmp(format, "csv") != 0) || (enc && !cp932 && strcmp(enc, "utf-8") != 0)) {
		mm_err_input(&err, format && !xlsx && strcmp(format, "csv") ? "format" : "encoding", "choice",
		    "形式は csv か xlsx、文字コードは utf-8 か cp932 を指定してください",
		    "format is csv or xlsx; encoding is utf-8 or cp932");
		api_fail(res, &err, NULL);
		api_end(&c);
		return;
	}
	query_of(req, x.def, &q);
	mm_buf_init(&out, (size_t)256 * 1024 * 1024);
	if (reg_export(&x, &q, xlsx ? REG_XLSX : REG_CSV, cp932, &out, &err) != 0) {
		mm_buf_free(&out);
		api_fail(res, &err, NULL);
		api_end(&c);
		return;
	}
	mm_time_format(x.now_ms + MM_LOCAL_OFFSET_MS, day);
	res->hs_status = 200;
	res->hs_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	    : cp932 ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8";
	snprintf(res->hs_disposition, sizeof(res->hs_disposition), "attachment; filename=\"%s-%.4s%.2s%.2s.%s\"",
	    x.def->name, day, day + 5, day + 8, xlsx ? "xlsx" : "csv");
	res->hs_len = out.b_len;
	res->hs_body = mm_buf_take(&out);
	api_end(&c);
}

void
api_registers_import(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct mm_err err = {0};
	json_t *errors = NULL;
	int64_t n = 0;
	const char *type = http_header(req, "Content-Type");

	if (begin(ctx, req, res, 1, API_RAW_BODY, &c, &x) != 0)
		return;
	if (type == NULL || strncmp(type, "text/csv", 8) != 0) {
		http_problem(res, 415, "Unsupported media type", "send the CSV file as text/csv", NULL);
	} else if (reg_import(&x, req->hr_body.b_data ? req->hr_body.b_data : "", req->hr_body.b_len, &n, &errors,
	    &err) != 0) {
		api_fail(res, &err, errors);
	} else {
		http_json(res, 200, json_pack("{s:I}", "imported", (json_int_t)n));
	}
	api_end(&c);
}

void
api_registers_decide(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct mm_err err = {0};
	json_t *errors = NULL;
	int64_t id;
	int rc;

	/* reading the ledger is enough to reach the gate; the approver's role is the engine's check */
	if (api_id_param(req, 1, res, &id) != 0 || begin(ctx, req, res, 0, 0, &c, &x) != 0)
		return;
	rc = reg_decide(&x, id, json_string_value(json_object_get(c.ac_body, "decision")),
	    json_string_value(json_object_get(c.ac_body, "comment")), &errors, &err);
	if (rc == MM_EPERM)
		api_audit_denied(ctx, &c, "register.decide");
	answer(res, &x, rc, id, 200, errors, &err);
	api_end(&c);
}

void
api_registers_approvals(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct reg_ctx x;
	struct mm_err err = {0};
	json_t *out = NULL, *rec = NULL;
	int64_t id;

	if (api_id_param(req, 1, res, &id) != 0 || begin(ctx, req, res, 0, 0, &c, &x) != 0)
		return;
	if (reg_get(&x, id, &rec, &err) != 0 || reg_approvals(&x, id, &out, &err) != 0) {
		http_problem_err(res, &err);
	} else {
		unsigned roles = x.def->hooks && x.def->hooks->approver_roles ? x.def->hooks->approver_roles(&x, rec) : 0;
		json_t *keys = json_array();
		for (int r = 0; r < ROLE_COUNT; r++)
			if (roles & (1u << r))
				json_array_append_new(keys, json_string(role_key((enum role)r)));
		http_json(res, 200, json_pack("{s:o, s:o}", "approver_roles", keys, "items", out));
		out = NULL;
	}
	json_decref(rec);
	json_decref(out);
	api_end(&c);
}
