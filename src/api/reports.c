/* /api/reports/…: the monthly compliance report to the security committee (src/workflow/report.c). */
#include "api/api.h"
#include "base/time.h"
#include "workflow/workflow.h"

#include <stdio.h>

void
api_reports_compliance(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	static const char *const types[] = {"application/json", "text/html; charset=utf-8",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
	struct api_call c;
	struct mm_err err = {0};
	struct mm_buf out;
	enum report_format fmt;
	const char *month = http_query(req, "month");

	if (api_begin(ctx, req, res, PERM_CHECK_READ, &c) != 0)
		return;
	if (report_format_parse(http_query(req, "format"), &fmt, &err) != 0) {
		api_fail(res, &err, NULL);
		api_end(&c);
		return;
	}
	mm_buf_init(&out, REPORT_MAX);
	if (compliance_report_file(ctx->hc_m, ctx->hc_store, &c.ac_pr, &c.ac_who, month, fmt, mm_now_ms(), &out,
	    &err) != 0) {
		mm_buf_free(&out);
		api_fail(res, &err, NULL);
		api_end(&c);
		return;
	}
	res->hs_status = 200;
	res->hs_type = types[fmt];
	if (fmt != REPORT_JSON)
		/* month is YYYY-MM once the report is made */
		snprintf(res->hs_disposition, sizeof(res->hs_disposition),
		    "attachment; filename=\"compliance-%.4s%.2s.%s\"", month, month + 5,
		    fmt == REPORT_HTML ? "html" : "xlsx");
	if (fmt == REPORT_HTML && compliance_report_csp(res->hs_csp, sizeof(res->hs_csp)) != 0)
		res->hs_csp[0] = '\0'; /* the server's policy: the page shows, unstyled */
	res->hs_len = out.b_len;
	res->hs_body = mm_buf_take(&out);
	api_end(&c);
}
