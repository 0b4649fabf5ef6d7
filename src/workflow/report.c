/*
 * The monthly compliance report for the information-security committee (情報セキュリティ委員会への
 * 月次報告): the periodic duties completed in a month, the duties overdue at its end (or now, for
 * the month under way) and the violations at the time of the report, as JSON, as a printable HTML
 * page and as an XLSX workbook of one sheet per part. Producing the file is 出力 in the audit trail.
 */
#include "workflow/internal.h"
#include "base/fs.h"
#include "base/time.h"
#include "registers/tabular.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The page's only styling: its hash goes into the response's own Content-Security-Policy. */
static const char report_css[] =
    "body{font-family:sans-serif;margin:1.5em;color:#000}"
    "table{border-collapse:collapse;width:100%;margin:0 0 1.5em}"
    "th,td{border:1px solid #555;padding:.25em .4em;text-align:left;vertical-align:top;"
    "white-space:pre-wrap}th{background:#eee}"
    "@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}";

int
report_format_parse(const char *name, enum report_format *fmt, struct mm_err *err)
{
	if (name == NULL || strcmp(name, "json") == 0)
		*fmt = REPORT_JSON;
	else if (strcmp(name, "html") == 0)
		*fmt = REPORT_HTML;
	else if (strcmp(name, "xlsx") == 0)
		*fmt = REPORT_XLSX;
	else
		return mm_err_input(err, "format", "choice", "形式は json、html、xlsx のいずれかを指定してください",
		    "format is json, html or xlsx");
	return 0;
}

int
report_month_bounds(const char *month, int64_t *start, int64_t *end, struct mm_err *err)
{
	char first[WF_DATE_LEN], next[WF_DATE_LEN];
	int y, mo, n = 0;

	if (month == NULL || strlen(month) != 7 || month[4] != '-' ||
	    sscanf(month, "%4d-%2d%n", &y, &mo, &n) != 2 || n != 7 || mo < 1 || mo > 12 || y < 2000 ||
	    y > 9998)
		return mm_err_input(err, "month", "format", "月（例 2027-05）で指定してください", "month is YYYY-MM");
	snprintf(first, sizeof(first), "%04d-%02d-01", y, mo);
	snprintf(next, sizeof(next), "%04d-%02d-01", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1);
	if (mm_local_date_start(first, start) != 0 || mm_local_date_start(next, end) != 0)
		return mm_err_input(err, "month", "format", "月（例 2027-05）で指定してください", "month is YYYY-MM");
	return 0;
}

/* "2027-05-02 09:00" (Japan) of an ISO time, or the text as it is when it does not parse. */
static void
local_minute(const char *iso, char out[MM_TIME_STRLEN])
{
	int64_t ms;

	if (iso == NULL || mm_time_parse(iso, &ms) != 0) {
		snprintf(out, MM_TIME_STRLEN, "%s", iso ? iso : "");
		return;
	}
	mm_time_format(ms + MM_LOCAL_OFFSET_MS, out);
	out[10] = ' ';
	out[16] = '\0';
}

/* The completions of periodic duties between lo (inclusive) and hi (exclusive), oldest first. */
static int
completions(struct store *st, const char *lo, const char *hi, json_t *out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st,
	    "SELECT id, duty, due_on, completed_at, completed_by, evidence, findings FROM duty_completion"
	    " WHERE completed_at >= $1 AND completed_at < $2 ORDER BY completed_at, id", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", lo);
	store_bind_text(s, "$2", hi);
	while ((rc = store_step(s, err)) == STORE_ROW) {
		const char *code = store_col_text(s, 1);
		const struct duty_def *d = duty_def_find(code);
		char local[MM_TIME_STRLEN];

		local_minute(store_col_text(s, 3), local);
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)store_col_int(s, 0), "code", code, "title", d ? d->title_ja : code,
		    "title_en", d ? d->title_en : code, "owner", d ? role_key(d->owner) : "",
		    "owner_label", d ? role_label_ja(d->owner) : "", "due_on", store_col_text(s, 2),
		    "completed_at", store_col_text(s, 3), "completed_at_local", local,
		    "completed_by", store_col_text(s, 4), "evidence", store_col_text(s, 5),
		    "findings", store_col_text(s, 6), "source", d ? d->source : ""));
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int
compliance_report(struct mamori *m, struct store *st, const struct principal *pr, const char *month,
    int64_t now, json_t **out, struct mm_err *err)
{
	char lo[MM_TIME_STRLEN], hi[MM_TIME_STRLEN], at[MM_TIME_STRLEN], asof[MM_TIME_STRLEN];
	char from[WF_DATE_LEN], to[WF_DATE_LEN], asof_date[WF_DATE_LEN];
	json_t *done = NULL, *calendar = NULL, *violations = NULL, *overdue = NULL, *item;
	int64_t start, end, as_of, hid_cal = 0, hid_vio = 0;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = report_month_bounds(month, &start, &end, err)) != 0)
		return rc;
	if (start > now)
		return mm_err_input(err, "month", "future", "まだ始まっていない月の報告は作成できません",
		    "the month %s has not begun", month);
	/* overdue at the month's last millisecond, or now while the month is under way */
	as_of = end - 1 < now ? end - 1 : now;
	mm_time_format(start, lo);
	mm_time_format(end, hi);
	mm_time_format(now, at);
	mm_time_format(as_of, asof);
	wf__today(start, from);
	wf__today(end - 1, to);
	wf__today(as_of, asof_date);
	if ((done = json_array()) == NULL || (overdue = json_array()) == NULL) {
		rc = mm_err_set(err, MM_ENOMEM, "", "out of memory");
		goto fail;
	}
	if ((rc = completions(st, lo, hi, done, err)) != 0 ||
	    (rc = duty_calendar(m, st, pr, as_of, &calendar, &hid_cal, err)) != 0 ||
	    (rc = check_violations(m, st, pr, now, &violations, &hid_vio, err)) != 0)
		goto fail;
	json_array_foreach(calendar, i, item) {
		/* as in the check: an overdue return, evaluation or retention end counts as a violation */
		if (strcmp(json_string_value(json_object_get(item, "state")), "overdue") == 0 &&
		    !wf__reported_as_violation(json_string_value(json_object_get(item, "code"))))
			json_array_append(overdue, item);
	}
	json_decref(calendar);
	calendar = NULL;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:o, s:I}",
	    "month", month, "from", from, "to", to, "generated_at", at, "as_of", asof, "as_of_date", asof_date,
	    "counts", "completed", (json_int_t)json_array_size(done), "overdue",
	    (json_int_t)json_array_size(overdue), "violations", (json_int_t)json_array_size(violations),
	    "hidden", (json_int_t)hid_vio, "completed", done, "overdue", overdue, "violations", violations,
	    "hidden", (json_int_t)hid_vio);
	return *out ? 0 : mm_err_set(err, MM_ENOMEM, "", "out of memory");
fail:
	json_decref(done);
	json_decref(overdue);
	json_decref(calendar);
	json_decref(violations);
	return rc;
}

/* A string member of o, "" when absent. */
static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* What a duty or a violation is about: "title (register #id)", or "" for a periodic duty. */
static void
target_text(const json_t *item, char *out, size_t n)
{
	const json_t *t = json_object_get(item, "target");

	out[0] = '\0';
	if (json_is_object(t))
		snprintf(out, n, "%s（%s #%lld）", str(t, "title"), str(t, "register"),
		    (long long)json_integer_value(json_object_get(t, "id")));
}

/* Appends s to b with & < > " ' as character references. */
static int
html_text(struct mm_buf *b, const char *s)
{
	int rc = 0;

	for (const char *p = s ? s : ""; *p != '\0' && rc == 0; p++) {
		switch (*p) {
		case '&': rc = mm_buf_puts(b, "&amp;"); break;
		case '<': rc = mm_buf_puts(b, "&lt;"); break;
		case '>': rc = mm_buf_puts(b, "&gt;"); break;
		case '"': rc = mm_buf_puts(b, "&quot;"); break;
		case '\'': rc = mm_buf_puts(b, "&#39;"); break;
		default: rc = mm_buf_append(b, p, 1);
		}
	}
	return rc;
}

/* One table of the page: the header cells, then each row's cells (escaped); 該当なし when empty. */
static int
html_table(struct mm_buf *b, const char *const *headers, size_t ncols, const char *const *cells, size_t nrows)
{
	int rc = 0;

	if (nrows == 0)
		return mm_buf_puts(b, "<p>該当なし</p>\n");
	rc |= mm_buf_puts(b, "<table>\n<thead><tr>");
	for (size_t c = 0; c < ncols; c++) {
		rc |= mm_buf_puts(b, "<th scope=\"col\">");
		rc |= html_text(b, headers[c]);
		rc |= mm_buf_puts(b, "</th>");
	}
	rc |= mm_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < nrows; r++) {
		rc |= mm_buf_puts(b, "<tr>");
		for (size_t c = 0; c < ncols; c++) {
			rc |= mm_buf_puts(b, "<td>");
			rc |= html_text(b, cells[r * ncols + c]);
			rc |= mm_buf_puts(b, "</td>");
		}
		rc |= mm_buf_puts(b, "</tr>\n");
	}
	rc |= mm_buf_puts(b, "</tbody>\n</table>\n");
	return rc;
}

/* The parts of the report as tables: headers, kinds and one function to fill a row's cells. */
#define PART_COLS 8
#define PART_CELL 512 /* bytes of a composed cell (a target); texts are pointed to, not copied */

struct part {
	const char *key; /* the report's member */
	const char *title_ja;
	size_t ncols;
	const char *headers[PART_COLS];
	enum tab_kind kinds[PART_COLS];
	int widths[PART_COLS];
};

static const struct part parts[] = {
    {"completed", "実施済みの義務", 8,
        {"義務", "担当（役割）", "実施者", "実施日時", "対応した期限", "証跡", "指摘事項", "根拠規程"},
        {TAB_TEXT, TAB_TEXT, TAB_TEXT, TAB_TEXT, TAB_DATE, TAB_TEXT, TAB_TEXT, TAB_TEXT},
        {36, 20, 16, 17, 12, 50, 40, 30}},
    {"overdue", "期限超過の義務", 5, {"期限", "義務", "対象", "担当（役割）", "根拠規程"},
        {TAB_DATE, TAB_TEXT, TAB_TEXT, TAB_TEXT, TAB_TEXT}, {12, 36, 36, 20, 30}},
    {"violations", "違反", 5, {"違反", "内容", "対象", "担当（役割）", "根拠規程"},
        {TAB_TEXT, TAB_TEXT, TAB_TEXT, TAB_TEXT, TAB_TEXT}, {30, 60, 36, 20, 30}},
};

/* The cells of one item of a part; target is scratch for the composed target cell. */
static void
part_cells(size_t p, const json_t *it, char target[PART_CELL], const char *cells[PART_COLS])
{
	target_text(it, target, PART_CELL);
	if (p == 0) {
		const char *c[] = {str(it, "title"), str(it, "owner_label"), str(it, "completed_by"),
		    str(it, "completed_at_local"), str(it, "due_on"), str(it, "evidence"), str(it, "findings"),
		    str(it, "source")};
		memcpy(cells, c, sizeof(c));
	} else if (p == 1) {
		const char *c[] = {str(it, "due"), str(it, "title"), target, str(it, "owner_label"), str(it, "source")};
		memcpy(cells, c, sizeof(c));
	} else {
		const char *c[] = {str(it, "title"), str(it, "message"), target,
		    str(it, "owner_label"), str(it, "source")};
		memcpy(cells, c, sizeof(c));
	}
}

/* The summary as label / value rows (the 概要 table and sheet). */
#define SUMMARY_ROWS 7
static void
summary_cells(const json_t *r, char text[SUMMARY_ROWS][64], const char *cells[SUMMARY_ROWS * 2])
{
	static const char *const labels[SUMMARY_ROWS] = {"対象月", "作成日時", "期限超過の判定時点", "実施済みの義務",
	    "期限超過の義務", "違反（作成時点）", "閲覧権限のない台帳の違反"};
	const json_t *counts = json_object_get(r, "counts");
	char t[MM_TIME_STRLEN];

	snprintf(text[0], 64, "%s（%s〜%s）", str(r, "month"), str(r, "from"), str(r, "to"));
	local_minute(str(r, "generated_at"), t);
	snprintf(text[1], 64, "%s", t);
	local_minute(str(r, "as_of"), t);
	snprintf(text[2], 64, "%s", t);
	snprintf(text[3], 64, "%lld", (long long)json_integer_value(json_object_get(counts, "completed")));
	snprintf(text[4], 64, "%lld", (long long)json_integer_value(json_object_get(counts, "overdue")));
	snprintf(text[5], 64, "%lld", (long long)json_integer_value(json_object_get(counts, "violations")));
	snprintf(text[6], 64, "%lld", (long long)json_integer_value(json_object_get(counts, "hidden")));
	for (size_t i = 0; i < SUMMARY_ROWS; i++) {
		cells[i * 2] = labels[i];
		cells[i * 2 + 1] = text[i];
	}
}

static const char *const summary_headers[] = {"項目", "内容"};

/* The rows of part p as a flat array of cell pointers (and their composed targets); caller frees both. */
static int
part_rows(const json_t *r, size_t p, const char ***cells, char (**targets)[PART_CELL], size_t *nrows)
{
	const json_t *arr = json_object_get(r, parts[p].key), *it;
	size_t n = json_array_size(arr), i;

	*nrows = n;
	*cells = calloc(n ? n * parts[p].ncols : 1, sizeof(**cells));
	*targets = calloc(n ? n : 1, sizeof(**targets));
	if (*cells == NULL || *targets == NULL) {
		free(*cells);
		free(*targets);
		return MM_ENOMEM;
	}
	json_array_foreach(arr, i, it) {
		const char *row[PART_COLS];
		part_cells(p, it, (*targets)[i], row);
		memcpy(*cells + i * parts[p].ncols, row, parts[p].ncols * sizeof(*row));
	}
	return 0;
}

/* Year and month of YYYY-MM for a title: "2027年5月". */
static void
month_ja(const char *month, char out[32])
{
	int y = 0, m = 0;

	if (sscanf(month, "%4d-%2d", &y, &m) == 2)
		snprintf(out, 32, "%d年%d月", y, m);
	else
		snprintf(out, 32, "%s", month);
}

int
compliance_report_html(const json_t *r, struct mm_buf *out, struct mm_err *err)
{
	char text[SUMMARY_ROWS][64], title[32];
	const char *summary[SUMMARY_ROWS * 2];
	int rc = 0;

	month_ja(str(r, "month"), title);
	summary_cells(r, text, summary);
	rc |= mm_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	rc |= mm_buf_printf(out, "月次コンプライアンス報告 %s", title);
	rc |= mm_buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", report_css);
	rc |= mm_buf_printf(out, "<h1>情報セキュリティ委員会 月次コンプライアンス報告（%s）</h1>\n", title);
	rc |= mm_buf_puts(out, "<h2>概要</h2>\n");
	rc |= html_table(out, summary_headers, 2, summary, SUMMARY_ROWS);
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]) && rc == 0; p++) {
		const char **cells;
		char(*targets)[PART_CELL];
		size_t n;

		if (part_rows(r, p, &cells, &targets, &n) != 0)
			return mm_err_set(err, MM_ENOMEM, "", "out of memory");
		rc |= mm_buf_printf(out, "<h2>%s（%zu件）</h2>\n", parts[p].title_ja, n);
		if (p == 1)
			rc |= mm_buf_puts(out, "<p>期限超過の判定時点（月末、当月は作成時点）の期日表による。</p>\n");
		if (p == 2 && json_integer_value(json_object_get(r, "hidden")) > 0)
			rc |= mm_buf_printf(out, "<p>このほか、閲覧権限のない台帳の違反が %lld 件あります。</p>\n",
			    (long long)json_integer_value(json_object_get(r, "hidden")));
		rc |= html_table(out, parts[p].headers, parts[p].ncols, cells, n);
		free(cells);
		free(targets);
	}
	rc |= mm_buf_puts(out, "</body>\n</html>\n");
	if (rc != 0)
		return mm_err_set(err, MM_ETOOBIG, "", "the report would pass its size cap of %zu bytes", out->b_max);
	return 0;
}

int
compliance_report_csp(char *out, size_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	int len;

	crypto_hash_sha256(h, (const unsigned char *)report_css, strlen(report_css));
	sodium_bin2base64(b64, sizeof(b64), h, sizeof(h), sodium_base64_VARIANT_ORIGINAL);
	len = snprintf(out, n, "default-src 'none'; style-src 'sha256-%s'; base-uri 'none'; form-action 'none'; "
	    "frame-ancestors 'none'", b64);
	return len > 0 && (size_t)len < n ? 0 : MM_ETOOBIG;
}

int
compliance_report_xlsx(const json_t *r, const char *tmpdir, struct mm_buf *out, struct mm_err *err)
{
	static const enum tab_kind summary_kinds[] = {TAB_TEXT, TAB_TEXT};
	static const int summary_widths[] = {28, 40};
	struct tab_table tables[1 + sizeof(parts) / sizeof(parts[0])];
	struct xlsx_writer *w = NULL;
	char text[SUMMARY_ROWS][64];
	const char *summary[SUMMARY_ROWS * 2];
	int rc;

	tables[0] = (struct tab_table){.ncols = 2, .headers = summary_headers, .kinds = summary_kinds,
	    .widths = summary_widths, .sheet = "概要"};
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++)
		tables[p + 1] = (struct tab_table){.ncols = parts[p].ncols, .headers = parts[p].headers,
		    .kinds = parts[p].kinds, .widths = parts[p].widths, .sheet = parts[p].title_ja};
	summary_cells(r, text, summary);
	if ((rc = xlsx_open(&w, &tables[0], tmpdir, err)) != 0)
		return rc;
	for (size_t i = 0; i < SUMMARY_ROWS && rc == 0; i++)
		rc = xlsx_row(w, summary + i * 2, err);
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]) && rc == 0; p++) {
		const char **cells;
		char(*targets)[PART_CELL];
		size_t n;

		if ((rc = xlsx_add_sheet(w, &tables[p + 1], err)) != 0)
			break;
		if (part_rows(r, p, &cells, &targets, &n) != 0) {
			rc = mm_err_set(err, MM_ENOMEM, "", "out of memory");
			break;
		}
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = xlsx_row(w, cells + i * parts[p].ncols, err);
		free(cells);
		free(targets);
	}
	if (rc != 0) {
		xlsx_abort(w);
		return rc;
	}
	return xlsx_finish(w, out, err);
}

/* The data directory's private tmp, where libxlsxwriter writes (as the ledger export does). */
static int
private_tmp(struct mamori *m, char *tmp, size_t n, struct mm_err *err)
{
	mm_path_join(tmp, n, m->md_dir, "tmp");
	if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
		return mm_err_set(err, MM_EIO, "", "cannot make %s: %s", tmp, strerror(errno));
	return mm_fs_check_private(tmp, err);
}

int
compliance_report_file(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, const char *month, enum report_format fmt, int64_t now, struct mm_buf *out,
    struct mm_err *err)
{
	static const char *const names[] = {"json", "html", "xlsx"};
	char tmp[4096], details[200];
	json_t *r = NULL;
	int rc;

	if ((rc = compliance_report(m, st, pr, month, now, &r, err)) != 0)
		return rc;
	if (fmt == REPORT_HTML) {
		rc = compliance_report_html(r, out, err);
	} else if (fmt == REPORT_XLSX) {
		if ((rc = private_tmp(m, tmp, sizeof(tmp), err)) == 0)
			rc = compliance_report_xlsx(r, tmp, out, err);
	} else {
		char *text = json_dumps(r, JSON_INDENT(2));
		rc = text == NULL ? mm_err_set(err, MM_ENOMEM, "", "out of memory")
		    : mm_buf_puts(out, text) != 0 || mm_buf_puts(out, "\n") != 0
		    ? mm_err_set(err, MM_ETOOBIG, "", "the report would pass its size cap") : 0;
		free(text);
	}
	/* the event counts the parts; the evidence and findings stay out of the trail */
	snprintf(details, sizeof(details), "{\"format\":\"%s\",\"completed\":%zu,\"overdue\":%zu,\"violations\":%zu}",
	    names[fmt], json_array_size(json_object_get(r, "completed")),
	    json_array_size(json_object_get(r, "overdue")), json_array_size(json_object_get(r, "violations")));
	json_decref(r);
	if (rc != 0)
		return rc;
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "report.compliance",
	    .target_type = "report", .target_id = month, .access = AUDIT_OUTPUT, .outcome = "success",
	    .details = details}, NULL, err)) != 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, err);
}
