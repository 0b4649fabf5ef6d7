/*
 * The vault's trail: every access as an audit event with the fields of 000 【６】 (start, end, user,
 * target, 参照/更新) and the purpose; the 特定個人情報取扱記録簿 (use, output, take-out, deletion); the
 * monthly access report and the yearly inspection data built from them. Never a number.
 */
#include "vault/vault.h"
#include "base/time.h"
#include "core/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
vault_record(struct vault_ctx *x, const char *action, int64_t subject_id, const char *purpose, const char *detail,
    struct mm_err *err)
{
	struct store_stmt *s;
	char when[MM_TIME_STRLEN];
	int rc;

	mm_time_format(mm_now_ms(), when);
	if ((rc = store_prepare(x->st, "INSERT INTO mn_record (at, actor, action, subject_id, purpose, detail)"
	    " VALUES ($1, $2, $3, $4, $5, $6)", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", when);
	store_bind_text(s, "$2", x->who->login);
	store_bind_text(s, "$3", action);
	if (subject_id > 0)
		store_bind_int(s, "$4", subject_id);
	else
		store_bind_null(s, "$4");
	store_bind_text(s, "$5", purpose);
	store_bind_text(s, "$6", detail ? detail : "");
	rc = store_step(s, err);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int
vault_audit_details(struct vault_ctx *x, const char *action, int64_t subject_id, enum audit_access access,
    json_t *details, const char *outcome, struct mm_err *err)
{
	char id[24], text[256];
	char *dumped = details ? json_dumps(details, JSON_COMPACT) : NULL;

	if (subject_id > 0)
		snprintf(id, sizeof(id), "%lld", (long long)subject_id);
	else
		snprintf(id, sizeof(id), "*");
	snprintf(text, sizeof(text), "%s", dumped && strlen(dumped) < sizeof(text) ? dumped : "{}");
	free(dumped);
	return mamori_audit(x->m, x->st, x->who, &(struct audit_event){.started_ms = x->started_ms, .action = action,
	    .target_type = "mynumber_subject", .target_id = id, .access = access, .outcome = outcome ? outcome : "success",
	    .details = text}, NULL, err);
}

int
vault_audit(struct vault_ctx *x, const char *action, int64_t subject_id, enum audit_access access,
    const char *purpose, const char *outcome, struct mm_err *err)
{
	json_t *d = json_object();
	int rc;

	if (purpose)
		json_object_set_new(d, "purpose", json_string(purpose));
	rc = vault_audit_details(x, action, subject_id, access, d, outcome, err);
	json_decref(d);
	return rc;
}

static int
rows_json(struct store *st, const char *sql, const char *a, const char *b, const char *const *names, size_t n,
    json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*out = json_array();
	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	if (a)
		store_bind_text(s, "$1", a);
	if (b)
		store_bind_text(s, "$2", b);
	while ((rc = store_step(s, err)) == STORE_ROW) {
		json_t *o = json_object();
		for (size_t i = 0; i < n; i++) {
			if (store_col_is_null(s, (int)i))
				json_object_set_new(o, names[i], json_null());
			else if (names[i][0] == '#')
				json_object_set_new(o, names[i] + 1, json_integer(store_col_int(s, (int)i)));
			else
				json_object_set_new(o, names[i], json_string(store_col_text(s, (int)i)));
		}
		json_array_append_new(*out, o);
	}
	store_finalize(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

/* Local (Japan) dates as UTC bounds: [from 00:00 JST, to+1 00:00 JST). */
static int
bounds(const char *from, const char *to, char lo[MM_TIME_STRLEN], char hi[MM_TIME_STRLEN], struct mm_err *err)
{
	int64_t a = 0, b = 0;

	if ((from && *from && mm_local_date_start(from, &a) != 0) || (to && *to && mm_local_date_start(to, &b) != 0))
		return mm_err_input(err, from && *from && mm_local_date_start(from, &a) ? "from" : "to", "date",
		    "日付（例 2026-11-01）で指定してください", "dates are YYYY-MM-DD");
	mm_time_format(from && *from ? a : 0, lo);
	mm_time_format(to && *to ? b + 86400000 : (int64_t)253402300799000, hi);
	return 0;
}

int
vault_records(struct vault_ctx *x, const char *from, const char *to, json_t **out, struct mm_err *err)
{
	static const char *const names[] = {"#id", "at", "actor", "action", "#subject_id", "purpose", "detail"};
	char lo[MM_TIME_STRLEN], hi[MM_TIME_STRLEN];
	int rc;

	*out = NULL;
	if ((rc = bounds(from, to, lo, hi, err)) != 0)
		return rc;
	return rows_json(x->st, "SELECT id, at, actor, action, subject_id, purpose, detail FROM mn_record"
	    " WHERE at >= $1 AND at < $2 ORDER BY id", lo, hi, names, 7, out, err);
}

/* The first day of month YYYY-MM and of the month after, as dates. */
static int
month_range(const char *month, char from[11], char to[11])
{
	int y, m, n = 0;

	if (month == NULL || strlen(month) != 7 || sscanf(month, "%4d-%2d%n", &y, &m, &n) != 2 || month[n] != '\0' ||
	    m < 1 || m > 12 ||
	    y < 2000 || y > 9999)
		return -1;
	snprintf(from, 11, "%04d-%02d-01", y, m);
	/* the last day: the day before the next month's first */
	{
		static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int d = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
		snprintf(to, 11, "%04d-%02d-%02d", y, m, d);
	}
	return 0;
}

int
vault_report_month(struct vault_ctx *x, const char *month, json_t **out, struct mm_err *err)
{
	static const char *const by_names[] = {"actor", "action", "access", "outcome", "#count"};
	static const char *const ev_names[] = {"#seq", "started_at", "ended_at", "actor", "action", "target_id",
	    "access", "outcome", "client", "details"};
	char from[11], to[11], lo[MM_TIME_STRLEN], hi[MM_TIME_STRLEN];
	json_t *by = NULL, *events = NULL;
	int rc;

	*out = NULL;
	if (month_range(month, from, to) != 0)
		return mm_err_input(err, "month", "format", "月（例 2026-11）で指定してください", "month is YYYY-MM");
	if ((rc = bounds(from, to, lo, hi, err)) != 0)
		return rc;
	if ((rc = rows_json(x->st, "SELECT actor, action, access, outcome, count(*) FROM audit_event"
	    " WHERE target_type = 'mynumber_subject' AND started_at >= $1 AND started_at < $2"
	    " GROUP BY actor, action, access, outcome ORDER BY actor, action", lo, hi, by_names, 5, &by, err)) != 0)
		return rc;
	if ((rc = rows_json(x->st, "SELECT seq, started_at, ended_at, actor, action, target_id, access, outcome, client,"
	    " details FROM audit_event WHERE target_type = 'mynumber_subject' AND started_at >= $1 AND started_at < $2"
	    " ORDER BY seq", lo, hi, ev_names, 10, &events, err)) != 0) {
		json_decref(by);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:o, s:o}", "month", month, "from", from, "to", to, "by_user", by, "events",
	    events);
	/* reading the access log is itself an access to the vault's records */
	if ((rc = store_begin(x->st, err)) != 0 ||
	    (rc = vault_audit(x, "mynumber.report", 0, AUDIT_READ, NULL, NULL, err)) != 0 ||
	    (rc = store_commit(x->st, err)) != 0) {
		store_rollback(x->st);
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int
vault_inspection(struct vault_ctx *x, const char *year, json_t **out, struct mm_err *err)
{
	static const char *const kind_names[] = {"kind", "state", "#count"};
	static const char *const rec_names[] = {"action", "#count"};
	char from[11], to[11], lo[MM_TIME_STRLEN], hi[MM_TIME_STRLEN];
	json_t *kinds = NULL, *recs = NULL, *grants = NULL, *mistakes = NULL;
	int y, n = 0, rc;

	*out = NULL;
	if (year == NULL || sscanf(year, "%4d%n", &y, &n) != 1 || year[n] != '\0' || y < 2000 || y > 9999)
		return mm_err_input(err, "year", "format", "年（例 2026）で指定してください", "year is YYYY");
	snprintf(from, sizeof(from), "%04d-01-01", y);
	snprintf(to, sizeof(to), "%04d-12-31", y);
	if ((rc = bounds(from, to, lo, hi, err)) != 0)
		return rc;
	if ((rc = rows_json(x->st, "SELECT kind, state, count(*) FROM mn_subject GROUP BY kind, state ORDER BY kind, state",
	    NULL, NULL, kind_names, 3, &kinds, err)) != 0 ||
	    (rc = rows_json(x->st, "SELECT action, count(*) FROM mn_record WHERE at >= $1 AND at < $2 GROUP BY action"
	    " ORDER BY action", lo, hi, rec_names, 2, &recs, err)) != 0 ||
	    (rc = vault_grants(x, &grants, err)) != 0 || (rc = vault_mistakes(x, &mistakes, err)) != 0) {
		json_decref(kinds);
		json_decref(recs);
		json_decref(grants);
		return rc;
	}
	*out = json_pack("{s:s, s:o, s:o, s:o, s:o}", "year", year, "subjects", kinds, "records", recs, "grants", grants,
	    "mistakes", mistakes);
	return 0;
}

int
vault_finish(struct vault_ctx *x, int rc, json_t *errs, json_t **errors, struct mm_err *err)
{
	if (rc == 0 && json_array_size(errs) > 0)
		rc = mm_err_from_entry(err, json_array_get(errs, 0));
	if (rc == 0)
		rc = store_commit(x->st, err);
	else
		store_rollback(x->st);
	if (errors && rc != 0 && json_array_size(errs) > 0)
		*errors = errs;
	else
		json_decref(errs);
	return rc;
}
