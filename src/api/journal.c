/* /api/journal: the operation journal (運用日誌). */
#include "api/api.h"
#include "base/time.h"
#include "journal/journal.h"

#include <stdlib.h>

void
api_journal_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	const char *since = http_query(req, "since"), *limit = http_query(req, "limit");
	int64_t since_ms = 0;
	json_t *out;

	if (api_begin(ctx, req, res, PERM_JOURNAL_READ, &c) != 0)
		return;
	if (since && mm_time_parse(since, &since_ms) != 0) {
		mm_err_input(&err, "since", "date", "日付を YYYY-MM-DD で指定してください",
		    "since must be a date or an ISO 8601 time");
		http_problem_err(res, &err);
	} else if (journal_list(ctx->hc_store, since_ms, limit ? atoi(limit) : 100, &out, &err) != 0) {
		http_problem_err(res, &err);
	} else {
		http_json(res, 200, json_pack("{s:o}", "items", out));
	}
	api_end(&c);
}

void
api_journal_add(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	const char *category;
	int64_t id;

	if (api_begin(ctx, req, res, PERM_JOURNAL_WRITE, &c) != 0)
		return;
	category = json_string_value(json_object_get(c.ac_body, "category"));
	if (journal_add(ctx->hc_m, ctx->hc_store, &c.ac_who, category ? category : "other",
	    json_string_value(json_object_get(c.ac_body, "text")), &id, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 201, json_pack("{s:I}", "id", (json_int_t)id));
	api_end(&c);
}
