/* /api/check and /api/duties: overdue duties, violations and the duties calendar (src/workflow/). */
#include "api/api.h"
#include "base/time.h"
#include "workflow/workflow.h"

void
api_check(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out;

	if (api_begin(ctx, req, res, PERM_CHECK_READ, &c) != 0)
		return;
	if (check_run(ctx->hc_m, ctx->hc_store, &c.ac_pr, mm_now_ms(), &out, NULL, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, out);
	api_end(&c);
}

void
api_duties_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	int64_t now = mm_now_ms(), hidden = 0;
	char at[MM_TIME_STRLEN];
	json_t *items;

	if (api_begin(ctx, req, res, PERM_DUTIES_READ, &c) != 0)
		return;
	mm_time_format(now, at);
	if (duty_calendar(ctx->hc_m, ctx->hc_store, &c.ac_pr, now, &items, &hidden, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, json_pack("{s:s, s:o, s:I}", "at", at, "items", items, "hidden", (json_int_t)hidden));
	api_end(&c);
}

void
api_duties_complete(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out, *ev, *fi;

	if (api_begin(ctx, req, res, PERM_DUTIES_COMPLETE, &c) != 0)
		return;
	ev = json_object_get(c.ac_body, "evidence");
	fi = json_object_get(c.ac_body, "findings");
	if ((ev && !json_is_string(ev)) || (fi && !json_is_string(fi) && !json_is_null(fi))) {
		mm_err_input(&err, ev && !json_is_string(ev) ? "evidence" : "findings", "type",
		    "文字列で入力してください", "must be a string");
		http_problem_err(res, &err);
	} else if (duty_complete(ctx->hc_m, ctx->hc_store, &c.ac_pr, &c.ac_who, req->hr_params[0],
	    json_string_value(ev), json_string_value(fi), &out, &err) != 0) {
		if (err.code == MM_EPERM)
			api_audit_denied(ctx, &c, "duty.owner");
		http_problem_err(res, &err);
	} else {
		http_json(res, 201, out);
	}
	api_end(&c);
}
