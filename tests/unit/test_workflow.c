/*
 * Unit tests of src/workflow (the duties calendar and the violation checks) on a real data
 * directory made by mamori_init at 2027-04-01 (JST): periodic duties falling due, overdue and done
 * as MAMORI_NOW moves; completions and their refusals; deadline duties and violations appearing
 * and clearing as the rows of the ledgers change.
 */
#include "unit_data.h"
#include "unit_store.h"

#include "base/time.h"
#include "core/mamori.h"
#include "workflow/approvals.h"
#include "workflow/workflow.h"

#include <jansson.h>
#include <string.h>

struct fixture {
	char tmp[UNIT_PATH_MAX];
	char data[UNIT_PATH_MAX];
	struct mamori *m;
};

static const struct mm_actor operator = {.login = "cli:tester", .client = "local"};
static const struct principal local = {.pr_local_operator = 1};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	setenv("MAMORI_NOW", "2027-04-01T09:00:00+09:00", 1);
	unit_data_open(f->tmp, f->data, &operator, &f->m);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unsetenv("MAMORI_NOW");
	unit_data_close(f->tmp, f->m);
	free(f);
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* A Japan time as milliseconds. */
static int64_t
at(const char *jst)
{
	char iso[64];
	int64_t ms;

	snprintf(iso, sizeof(iso), "%s+09:00", jst);
	assert_int_equal(mm_time_parse(iso, &ms), 0);
	return ms;
}

/* The calendar item of code (and target id, when > 0) at now, or NULL; *cal keeps it alive. */
static json_t *
duty_at(struct fixture *f, const char *code, int64_t id, int64_t now, json_t **cal)
{
	struct mm_err err = {0};
	size_t i;
	json_t *e;

	if (duty_calendar(f->m, f->m->md_store, &local, now, cal, NULL, &err) != 0)
		fail_msg("duty_calendar: %s", err.msg);
	json_array_foreach(*cal, i, e) {
		json_t *t = json_object_get(e, "target");
		if (strcmp(json_string_value(json_object_get(e, "code")), code) == 0 &&
		    (id <= 0 || json_integer_value(json_object_get(t, "id")) == id))
			return e;
	}
	return NULL;
}

/* The state of a duty at a Japan time ("" when not in the calendar). */
static const char *
state_at(struct fixture *f, const char *code, int64_t id, const char *jst, char *out, size_t n)
{
	json_t *cal, *d = duty_at(f, code, id, at(jst), &cal);

	snprintf(out, n, "%s", d ? json_string_value(json_object_get(d, "state")) : "");
	json_decref(cal);
	return out;
}

/* How many violations of code there are at a Japan time. */
static int
violations_at(struct fixture *f, const char *code, const char *jst)
{
	struct mm_err err = {0};
	json_t *v, *e;
	size_t i;
	int n = 0;

	if (check_violations(f->m, f->m->md_store, &local, at(jst), &v, NULL, &err) != 0)
		fail_msg("check_violations: %s", err.msg);
	json_array_foreach(v, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "code")), code) == 0)
			n++;
		assert_non_null(json_string_value(json_object_get(e, "source")));
	}
	json_decref(v);
	return n;
}

/* ---- the table ---- */

static void
test_table_is_sound(void **state)
{
	(void)state;
	assert_true(duty_defs_count() >= 8);
	for (size_t i = 0; i < duty_defs_count(); i++) {
		const struct duty_def *d = duty_def_at(i);
		assert_ptr_equal(duty_def_find(d->code), d);
		assert_string_equal(policy_key_section(d->cycle), "cycle");
		assert_true(strlen(d->title_ja) > 0 && strlen(d->title_en) > 0 && strlen(d->source) > 0);
		assert_true(d->owner < ROLE_COUNT);
	}
	assert_null(duty_def_find("no_such_duty"));
	assert_null(duty_def_find(NULL));
}

/* ---- periodic duties ---- */

static void
test_periodic_due_overdue_done(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};
	char s[16];
	json_t *cal, *d, *out;

	/* ipa-sme: log_review 1mo from the creation on 2027-04-01; the audit is `unset`: untracked */
	d = duty_at(f, "log_review", 0, at("2027-04-01T09:00:00"), &cal);
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "due")), "2027-05-01");
	assert_string_equal(json_string_value(json_object_get(d, "state")), "upcoming");
	assert_string_equal(json_string_value(json_object_get(d, "owner")), "sysadmin");
	assert_string_equal(json_string_value(json_object_get(d, "cycle")), "1mo");
	assert_true(json_is_null(json_object_get(d, "last_completion")));
	json_decref(cal);
	assert_null(duty_at(f, "security_audit", 0, at("2027-04-01T09:00:00"), &cal));
	json_decref(cal);
	/* due two weeks ahead (due_soon 2w), overdue from the day after the due date */
	assert_string_equal(state_at(f, "log_review", 0, "2027-04-16T23:59:59", s, sizeof(s)), "upcoming");
	assert_string_equal(state_at(f, "log_review", 0, "2027-04-17T00:00:00", s, sizeof(s)), "due");
	assert_string_equal(state_at(f, "log_review", 0, "2027-05-01T23:59:59", s, sizeof(s)), "due");
	assert_string_equal(state_at(f, "log_review", 0, "2027-05-02T00:00:00", s, sizeof(s)), "overdue");
	/* completed on 05-03: done, due again a month later */
	setenv("MAMORI_NOW", "2027-05-03T10:00:00+09:00", 1);
	if (duty_complete(f->m, f->m->md_store, &local, &operator, "log_review", "4月分のログを確認した",
	    "異常なし", &out, &err) != 0)
		fail_msg("duty_complete: %s", err.msg);
	assert_string_equal(json_string_value(json_object_get(out, "state")), "done");
	assert_string_equal(json_string_value(json_object_get(out, "due")), "2027-06-03");
	assert_string_equal(json_string_value(json_object_get(json_object_get(out, "last_completion"), "due_on")),
	    "2027-05-01");
	json_decref(out);
	assert_int_equal(unit_query_int(f->m->md_store,
	    "SELECT count(*) FROM audit_event WHERE action = 'duty.complete' AND target_id = 'log_review'"
	    " AND details NOT LIKE '%ログ%'"), 1);
	assert_string_equal(state_at(f, "log_review", 0, "2027-05-19T23:00:00", s, sizeof(s)), "done");
	assert_string_equal(state_at(f, "log_review", 0, "2027-05-20T00:00:00", s, sizeof(s)), "due");
	assert_string_equal(state_at(f, "log_review", 0, "2027-06-04T00:00:00", s, sizeof(s)), "overdue");
	/* completions are append-only */
	assert_int_not_equal(store_exec(f->m->md_store, "DELETE FROM duty_completion", NULL), 0);
}

static void
test_complete_refusals_write_nothing(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->m->md_store;
	struct principal sysadmin = {.pr_account_id = 5, .pr_roles = 1u << ROLE_SYSADMIN};
	struct principal officer = {.pr_account_id = 6, .pr_roles = 1u << ROLE_SECURITY_OFFICER};
	struct mm_actor who = {.login = "u5", .client = "127.0.0.1"};
	int64_t events = unit_query_int(st, "SELECT count(*) FROM audit_event");
	struct mm_err err = {0};
	char big[DUTY_TEXT_MAX + 2];

	assert_int_equal(duty_complete(f->m, st, &local, &operator, "nope", "x", NULL, NULL, &err), MM_ENOTFOUND);
	assert_int_equal(duty_complete(f->m, st, &local, &operator, "security_audit", "x", NULL, NULL, &err), MM_EINVAL);
	assert_string_equal(err.rule, "untracked");
	assert_int_equal(duty_complete(f->m, st, &local, &operator, "log_review", " \n", NULL, NULL, &err), MM_EINVAL);
	assert_string_equal(err.field, "evidence");
	assert_int_equal(duty_complete(f->m, st, &local, &operator, "log_review", "ok\x01", NULL, NULL, &err), MM_EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(duty_complete(f->m, st, &local, &operator, "log_review", "ok", big, NULL, &err), MM_EINVAL);
	assert_string_equal(err.field, "findings");
	/* the education plan belongs to the education lead (or the security officer) */
	assert_int_equal(duty_complete(f->m, st, &sysadmin, &who, "education_plan", "計画を作成", NULL, NULL, &err),
	    MM_EPERM);
	assert_int_equal(unit_query_int(st, "SELECT count(*) FROM duty_completion"), 0);
	assert_int_equal(unit_query_int(st, "SELECT count(*) FROM audit_event"), events);
	assert_int_equal(duty_complete(f->m, st, &officer, &who, "education_plan", "計画を作成", NULL, NULL, &err), 0);
	assert_int_equal(duty_complete(f->m, st, &sysadmin, &who, "log_review", "確認", NULL, NULL, &err), 0);
	assert_int_equal(unit_query_int(st, "SELECT count(*) FROM duty_completion"), 2);
}

/* ---- deadline duties ---- */

static void
test_deadline_duties_follow_the_ledgers(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->m->md_store;
	char s[16];

	unit_exec(st, "INSERT INTO reg_software (id, software_no, name, category, expires_on)"
	    " VALUES (1, 'SW-1', 'Office', 'standard', '2027-06-30')");
	unit_exec(st, "INSERT INTO reg_devices (id, asset_no, status, warranty_end, lease_end)"
	    " VALUES (1, 'PC-1', 'in_use', '2027-05-31', '2027-05-31')");
	unit_exec(st, "INSERT INTO reg_keys (id, key_no, lent_time, due_time)"
	    " VALUES (1, 'K-1', '2027-04-01T00:00:00Z', '2027-04-01T09:00:00Z')");
	/* licence: due a month ahead (expiry_notice 1mo), overdue after the end, gone once renewed */
	assert_string_equal(state_at(f, "software_expiry", 1, "2027-05-29T12:00:00", s, sizeof(s)), "upcoming");
	assert_string_equal(state_at(f, "software_expiry", 1, "2027-05-30T12:00:00", s, sizeof(s)), "due");
	assert_string_equal(state_at(f, "software_expiry", 1, "2027-07-01T00:00:00", s, sizeof(s)), "overdue");
	unit_exec(st, "UPDATE reg_software SET expires_on = '2028-06-30' WHERE id = 1");
	assert_string_equal(state_at(f, "software_expiry", 1, "2027-07-01T00:00:00", s, sizeof(s)), "upcoming");
	/* a warranty leaves the calendar when it has ended; a lease stays overdue until disposal */
	assert_string_equal(state_at(f, "warranty_end", 1, "2027-05-31T12:00:00", s, sizeof(s)), "due");
	assert_string_equal(state_at(f, "warranty_end", 1, "2027-06-01T12:00:00", s, sizeof(s)), "");
	assert_string_equal(state_at(f, "lease_end", 1, "2027-06-01T12:00:00", s, sizeof(s)), "overdue");
	unit_exec(st, "UPDATE reg_devices SET status = 'disposed' WHERE id = 1");
	assert_string_equal(state_at(f, "lease_end", 1, "2027-06-01T12:00:00", s, sizeof(s)), "");
	/* a key: by the time, not the day */
	assert_string_equal(state_at(f, "key_return", 1, "2027-04-01T18:00:00", s, sizeof(s)), "due");
	assert_string_equal(state_at(f, "key_return", 1, "2027-04-01T18:00:01", s, sizeof(s)), "overdue");
	assert_int_equal(violations_at(f, "key_overdue", "2027-04-01T18:00:00"), 0);
	assert_int_equal(violations_at(f, "key_overdue", "2027-04-01T18:00:01"), 1);
	unit_exec(st, "UPDATE reg_keys SET returned_time = '2027-04-01T10:00:00Z' WHERE id = 1");
	assert_string_equal(state_at(f, "key_return", 1, "2027-04-01T18:00:01", s, sizeof(s)), "");
	assert_int_equal(violations_at(f, "key_overdue", "2027-04-01T18:00:01"), 0);
	/* LAN checks are not tracked in ipa-sme (lan_check_after unset) */
	unit_exec(st, "INSERT INTO reg_connections (id, connection_no, approved_on) VALUES (1, 'L-1', '2027-04-01')");
	assert_string_equal(state_at(f, "lan_check", 1, "2027-05-01T12:00:00", s, sizeof(s)), "");
}

/* ---- violations ---- */

static void
test_violations_appear_and_clear(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->m->md_store;
	struct mm_err err = {0};
	json_t *r;
	int64_t n = -1;

	/* a leaver (left 04-10; ipa-sme: disabled by the next day) with a mamori account and a user id */
	unit_exec(st, "INSERT INTO person (id, employee_no, name, name_kana, employment_type, left_on, created_at,"
	    " updated_at) VALUES (1, 'E1', '山田 太郎', 'ヤマダ', 'regular', '2027-04-10', 'x', 'x')");
	unit_exec(st, "INSERT INTO account (id, login, password_hash, created_at, person_id)"
	    " VALUES (100, 'yamada', 'x', 'x', 1)");
	unit_exec(st, "INSERT INTO reg_user_ids (id, system, login, person) VALUES (1, 'AD', 'yamada', 1)");
	assert_int_equal(violations_at(f, "leaver_account", "2027-04-11T23:59:59"), 0);
	assert_int_equal(violations_at(f, "leaver_account", "2027-04-12T00:00:00"), 1);
	assert_int_equal(violations_at(f, "leaver_user_id", "2027-04-12T00:00:00"), 1);
	unit_exec(st, "UPDATE account SET disabled_at = '2027-04-12T01:00:00Z' WHERE id = 100");
	unit_exec(st, "UPDATE reg_user_ids SET disabled_on = '2027-04-12' WHERE id = 1");
	assert_int_equal(violations_at(f, "leaver_account", "2027-04-12T12:00:00"), 0);
	assert_int_equal(violations_at(f, "leaver_user_id", "2027-04-12T12:00:00"), 0);
	/* privileged ids: no named user, or a forbidden name */
	unit_exec(st, "INSERT INTO reg_user_ids (id, system, login, privileged) VALUES (2, 'AD', 'Administrator', 1)");
	assert_int_equal(violations_at(f, "privileged_id_shared", "2027-04-12T12:00:00"), 1);
	assert_int_equal(violations_at(f, "privileged_id_name", "2027-04-12T12:00:00"), 1);
	unit_exec(st, "UPDATE reg_user_ids SET abolished_on = '2027-04-12' WHERE id = 2");
	assert_int_equal(violations_at(f, "privileged_id_name", "2027-04-12T12:00:00"), 0);
	/* screen lock, software without permission, a take-out past its return date */
	unit_exec(st, "INSERT INTO reg_devices (id, asset_no, status, screen_lock_minutes, screen_lock_over_limit)"
	    " VALUES (1, 'PC-1', 'in_use', 30, 1)");
	unit_exec(st, "INSERT INTO reg_software (id, software_no, name, category) VALUES"
	    " (1, 'SW-1', 'Editor', 'additional'), (2, 'SW-2', 'Zip', 'freeware'), (3, 'SW-3', 'OS', 'standard')");
	unit_exec(st, "INSERT INTO reg_takeouts (id, takeout_no, item, return_due, takeout_time)"
	    " VALUES (1, 'T-1', 'PC', '2027-04-13', '2027-04-12T00:00:00Z')");
	assert_int_equal(violations_at(f, "screen_lock", "2027-04-13T12:00:00"), 1);
	assert_int_equal(violations_at(f, "software_unpermitted", "2027-04-13T12:00:00"), 2);
	assert_int_equal(violations_at(f, "takeout_overdue", "2027-04-13T23:59:59"), 0);
	assert_int_equal(violations_at(f, "takeout_overdue", "2027-04-14T00:00:00"), 1);
	/* vendors: an unassessed criterion; then a next evaluation date in the past */
	unit_exec(st, "INSERT INTO reg_vendors (id, name, next_evaluation, criterion_01, criterion_02, criterion_03,"
	    " criterion_04, criterion_05, criterion_06, criterion_07, criterion_08, criterion_09, criterion_10,"
	    " criterion_11, criterion_12, criterion_13, criterion_14, criterion_15) VALUES (1, '委託先A', '2027-04-20',"
	    " 'conform', 'conform', 'conform', 'conform', 'conform', 'conform', 'conform', 'conform', 'conform',"
	    " 'conform', 'conform', 'conform', 'conform', 'conform', 'unrated')");
	assert_int_equal(violations_at(f, "vendor_unevaluated", "2027-04-14T00:00:00"), 1);
	unit_exec(st, "UPDATE reg_vendors SET criterion_15 = 'partial' WHERE id = 1");
	assert_int_equal(violations_at(f, "vendor_unevaluated", "2027-04-14T00:00:00"), 0);
	assert_int_equal(violations_at(f, "vendor_unevaluated", "2027-04-21T00:00:00"), 1);
	/* a My Number past its retention end, until its deletion */
	unit_exec(st, "INSERT INTO mn_subject (id, kind, name, retention_end, state, created_at, created_by,"
	    " updated_at, updated_by) VALUES (1, 'employee', '秘密 花子', '2027-04-13', 'active', 'x', 'x', 'x', 'x')");
	assert_int_equal(violations_at(f, "mynumber_retention", "2027-04-14T00:00:00"), 1);
	/* the check: overdue duties and violations with their findings count; the name stays out */
	setenv("MAMORI_NOW", "2027-04-14T00:00:00+09:00", 1);
	assert_int_equal(check_run(f->m, st, &local, mm_now_ms(), &r, &n, &err), 0);
	assert_int_equal(n, (int64_t)(json_array_size(json_object_get(r, "duties")) +
	    json_array_size(json_object_get(r, "violations"))));
	assert_int_equal(n, 5); /* screen lock, 2 software, take-out, My Number */
	{
		char *text = json_dumps(r, 0);
		assert_null(strstr(text, "秘密"));
		free(text);
	}
	json_decref(r);
	unit_exec(st, "UPDATE mn_subject SET state = 'deleted' WHERE id = 1");
	unit_exec(st, "UPDATE reg_devices SET screen_lock_over_limit = 0 WHERE id = 1");
	unit_exec(st, "UPDATE reg_takeouts SET returned_time = '2027-04-14T00:00:00Z' WHERE id = 1");
	assert_int_equal(violations_at(f, "mynumber_retention", "2027-04-14T00:00:00"), 0);
	assert_int_equal(violations_at(f, "screen_lock", "2027-04-14T00:00:00"), 0);
	assert_int_equal(violations_at(f, "takeout_overdue", "2027-04-14T00:00:00"), 0);
}

/* A principal who may not read a ledger sees its violations only as a count. */
static void
test_hidden_ledgers(void **state)
{
	struct fixture *f = *state;
	struct principal sysadmin = {.pr_account_id = 5, .pr_roles = 1u << ROLE_SYSADMIN};
	struct mm_err err = {0};
	int64_t hidden = 0;
	json_t *v;

	unit_exec(f->m->md_store, "INSERT INTO reg_vendors (id, name) VALUES (1, '委託先B')");
	assert_int_equal(check_violations(f->m, f->m->md_store, &sysadmin, at("2027-04-02T00:00:00"), &v, &hidden,
	    &err), 0);
	assert_int_equal(json_array_size(v), 0);
	assert_int_equal(hidden, 1);
	json_decref(v);
}

/* ---- the monthly compliance report ---- */

/* Months in Japan: the first millisecond of the month and of the next; anything else refused. */
static void
test_report_month_bounds(void **state)
{
	static const char *const bad[] = {NULL, "", "2027-5", "2027-13", "2027-00", "2027/05", "2027-05x",
	    "27-05", "1999-12", "2027-05-01", " 2027-05"};
	struct mm_err err = {0};
	enum report_format fmt;
	int64_t start, end;

	(void)state;
	assert_int_equal(report_month_bounds("2027-05", &start, &end, &err), 0);
	assert_int_equal(start, at("2027-05-01T00:00:00"));
	assert_int_equal(end, at("2027-06-01T00:00:00"));
	assert_int_equal(report_month_bounds("2027-12", &start, &end, &err), 0);
	assert_int_equal(end, at("2028-01-01T00:00:00"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(report_month_bounds(bad[i], &start, &end, &err), MM_EINVAL);
		assert_string_equal(err.field, "month");
	}
	assert_int_equal(report_format_parse(NULL, &fmt, &err), 0);
	assert_int_equal(fmt, REPORT_JSON);
	assert_int_equal(report_format_parse("xlsx", &fmt, &err), 0);
	assert_int_equal(fmt, REPORT_XLSX);
	assert_int_equal(report_format_parse("HTML", &fmt, &err), MM_EINVAL);
	assert_string_equal(err.field, "format");
}

/* The page escapes every value it shows and has no script; an empty part says 該当なし. */
static void
test_report_html_escapes(void **state)
{
	struct mm_err err = {0};
	struct mm_buf b;
	char csp[256];
	json_t *r = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:i, s:i, s:i}, s:[{s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:s}], s:[], s:[{s:s, s:s, s:s, s:{s:s, s:i, s:s}}], s:i}", "month", "2027-05", "from",
	    "2027-05-01", "to", "2027-05-31", "generated_at", "2027-05-03T00:00:00.000Z", "as_of",
	    "2027-05-03T00:00:00.000Z", "counts", "completed", 1, "overdue", 0, "violations", 1, "hidden", 0,
	    "completed", "title", "点検", "owner_label", "システム管理者", "completed_by", "u1'x",
	    "completed_at_local", "2027-05-02 09:00", "due_on", "2027-05-01", "evidence",
	    "<script>alert(\"x\")</script>", "findings", "a & b", "source", "000 【５】", "overdue",
	    "violations", "title", "画面ロック", "message", "<img src=x onerror=alert(1)>", "source", "004",
	    "target", "title", "PC-<b>", "id", 3, "register", "devices", "hidden", 0);
	const char *html;

	(void)state;
	assert_non_null(r);
	mm_buf_init(&b, 1024 * 1024);
	assert_int_equal(compliance_report_html(r, &b, &err), 0);
	html = b.b_data;
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<b>"));
	assert_non_null(strstr(html, "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>"));
	assert_non_null(strstr(html, "<td>a &amp; b</td>"));
	assert_non_null(strstr(html, "<td>u1&#39;x</td>"));
	assert_non_null(strstr(html, "<td>PC-&lt;b&gt;（devices #3）</td>"));
	assert_non_null(strstr(html, "<h2>期限超過の義務（0件）</h2>\n<p>期限超過の判定時点"));
	assert_non_null(strstr(html, "<p>該当なし</p>"));
	assert_non_null(strstr(html, "<td>2027-05-03 09:00</td>"));
	assert_int_equal(compliance_report_csp(csp, sizeof(csp)), 0);
	assert_non_null(strstr(csp, "style-src 'sha256-"));
	assert_null(strstr(csp, "unsafe"));
	/* a cap too small: MM_ETOOBIG, not a truncated page */
	mm_buf_free(&b);
	mm_buf_init(&b, 200);
	assert_int_equal(compliance_report_html(r, &b, &err), MM_ETOOBIG);
	mm_buf_free(&b);
	json_decref(r);
}

/*
 * The report of a past month judges its overdue duties at the month's end: a completion made
 * after it does not count there, and shows in the month it was made.
 */
static void
test_report_month_end(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->m->md_store;
	struct mm_err err = {0};
	json_t *r, *e;
	size_t i;
	int overdue;

	setenv("MAMORI_NOW", "2027-06-02T10:00:00+09:00", 1);
	assert_int_equal(duty_complete(f->m, st, &local, &operator, "log_review", "ログ点検", NULL, NULL, &err), 0);
	assert_int_equal(compliance_report(f->m, st, &local, "2027-05", at("2027-06-02T10:00:00"), &r, &err), 0);
	assert_string_equal(json_string_value(json_object_get(r, "as_of")), "2027-05-31T14:59:59.999Z");
	assert_int_equal(json_array_size(json_object_get(r, "completed")), 0);
	overdue = 0;
	json_array_foreach(json_object_get(r, "overdue"), i, e)
		overdue += strcmp(json_string_value(json_object_get(e, "code")), "log_review") == 0;
	assert_int_equal(overdue, 1);
	json_decref(r);
	assert_int_equal(compliance_report(f->m, st, &local, "2027-06", at("2027-06-02T10:00:00"), &r, &err), 0);
	assert_int_equal(json_array_size(json_object_get(r, "completed")), 1);
	e = json_array_get(json_object_get(r, "completed"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "completed_by")), "cli:tester");
	assert_string_equal(json_string_value(json_object_get(e, "due_on")), "2027-05-01");
	assert_string_equal(json_string_value(json_object_get(e, "completed_at_local")), "2027-06-02 10:00");
	json_array_foreach(json_object_get(r, "overdue"), i, e)
		assert_string_not_equal(json_string_value(json_object_get(e, "code")), "log_review");
	json_decref(r);
	/* a month not yet begun */
	assert_int_equal(compliance_report(f->m, st, &local, "2027-07", at("2027-06-02T10:00:00"), &r, &err),
	    MM_EINVAL);
	assert_string_equal(err.rule, "future");
}

/* ---- the approval engine (src/workflow/approvals.c) ------------------------------------------- */

/* Every request type names its titles, its regulation and a route of profile keys; ipa-sme routes each. */
static void
test_approval_types_are_sound(void **state)
{
	struct fixture *f = *state;
	unsigned roles[APPROVAL_STEPS_MAX];
	struct mm_err err = {0};
	size_t n;

	assert_true(approval_types_count() >= 13);
	for (size_t i = 0; i < approval_types_count(); i++) {
		const struct approval_type *t = approval_type_at(i);
		assert_non_null(t->code);
		assert_ptr_equal(approval_type_find(t->code), t);
		assert_true(strlen(t->title_ja) > 0 && strlen(t->title_en) > 0 && strlen(t->source) > 0);
		assert_true(t->routes[0].step[0] != APPROVAL_NO_STEP);
		for (size_t j = i + 1; j < approval_types_count(); j++)
			assert_string_not_equal(t->code, approval_type_at(j)->code);
		for (size_t c = 0; c < APPROVAL_CLASSES_MAX && (c == 0 || t->routes[c].cls); c++) {
			assert_int_equal(approval_route_roles(f->m->md_policy, t, t->routes[c].cls, roles, &n, &err), 0);
			assert_true(n >= 1);
		}
	}
	assert_null(approval_type_find("nonsense"));
	/* remote access: the department head, then the system administrator */
	assert_int_equal(approval_route_roles(f->m->md_policy, approval_type_find("remote_access"), NULL, roles, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(roles[0], 1u << ROLE_DEPT_HEAD);
	assert_int_equal(roles[1], 1u << ROLE_SYSADMIN);
	/* take-out by class; the class is required and must be known */
	assert_int_equal(approval_route_roles(f->m->md_policy, approval_type_find("takeout"), "secret", roles, &n, &err), 0);
	assert_int_equal(roles[0], 1u << ROLE_CEO);
	assert_int_equal(approval_route_roles(f->m->md_policy, approval_type_find("takeout"), NULL, roles, &n, &err),
	    MM_EINVAL);
	assert_string_equal(err.field, "class");
	assert_int_equal(approval_route_roles(f->m->md_policy, approval_type_find("media_copy"), "secret", roles, &n,
	    &err), MM_EINVAL);
}

static int64_t
approval_count(struct fixture *f, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(f->m->md_store, sql, &n, NULL), 0);
	return n;
}

/* The rules of a decision, on a two-step request; nothing is written by a refusal. */
static void
test_approval_rules(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->m->md_store;
	struct principal emp = {.pr_account_id = 10, .pr_login = "emp", .pr_roles = 1u << ROLE_EMPLOYEE};
	struct principal head = {.pr_account_id = 11, .pr_login = "head", .pr_roles = 1u << ROLE_DEPT_HEAD};
	struct principal adm = {.pr_account_id = 12, .pr_login = "adm", .pr_roles = (1u << ROLE_SYSADMIN) | (1u << ROLE_DEPT_HEAD)};
	struct mm_actor a_emp = {.login = "emp", .client = "local"}, a_head = {.login = "head", .client = "local"},
	    a_adm = {.login = "adm", .client = "local"};
	struct approval_new req = {.type = "remote_access", .subject = "VPN", .title = "在宅勤務", .due_on = "2027-04-02"};
	int64_t now = at("2027-04-01T10:00:00"), id = 0, audits = approval_count(f, "SELECT count(*) FROM audit_event");
	struct mm_err err = {0};
	json_t *out = NULL;

	assert_int_equal(approval_request(f->m, st, &emp, &a_emp, now, &req, &id, &err), 0);
	assert_true(id > 0);
	/* the requester never decides; the second step's role cannot take the first */
	assert_int_equal(approval_decide(f->m, st, &emp, &a_emp, now, id, "approved", "", NULL, &err), MM_EINVAL);
	assert_string_equal(err.rule, "self_approval");
	assert_int_equal(approval_decide(f->m, st, &local, &a_emp, now, id, "approved", "", NULL, &err), MM_EINVAL);
	assert_string_equal(err.rule, "self_approval");
	struct principal sys = {.pr_account_id = 13, .pr_login = "sys", .pr_roles = 1u << ROLE_SYSADMIN};
	struct mm_actor a_sys = {.login = "sys", .client = "local"};
	assert_int_equal(approval_decide(f->m, st, &sys, &a_sys, now, id, "approved", "", NULL, &err), MM_EPERM);
	assert_int_equal(approval_decide(f->m, st, &head, &a_head, now, id, "perhaps", "", NULL, &err), MM_EINVAL);
	assert_int_equal(approval_count(f, "SELECT count(*) FROM approval_decision"), 0);
	/* step 1, then the same person cannot take step 2 even holding its role */
	assert_int_equal(approval_decide(f->m, st, &adm, &a_adm, now, id, "approved", "", NULL, &err), 0);
	assert_int_equal(approval_decide(f->m, st, &adm, &a_adm, now, id, "approved", "", NULL, &err), MM_EINVAL);
	assert_string_equal(err.rule, "same_decider");
	assert_int_equal(approval_decide(f->m, st, &head, &a_head, now, id, "approved", "", NULL, &err), MM_EPERM);
	/* overdue the day after its due date */
	assert_int_equal(approval_list(f->m, st, &sys, at("2027-04-02T23:59:00"), APPROVAL_INBOX, &out, &err), 0);
	assert_int_equal(json_array_size(out), 1);
	assert_false(json_is_true(json_object_get(json_array_get(out, 0), "overdue")));
	json_decref(out);
	assert_int_equal(approval_list(f->m, st, &sys, at("2027-04-03T00:00:00"), APPROVAL_INBOX, &out, &err), 0);
	assert_true(json_is_true(json_object_get(json_array_get(out, 0), "overdue")));
	json_decref(out);
	assert_int_equal(approval_decide(f->m, st, &sys, &a_sys, now, id, "approved", "ok", NULL, &err), 0);
	assert_int_equal(approval_get(f->m, st, &emp, now, id, &out, &err), 0);
	assert_string_equal(json_string_value(json_object_get(out, "state")), "approved");
	assert_int_equal(json_array_size(json_object_get(out, "decisions")), 2);
	json_decref(out);
	/* box all is for approvals.all; a stranger does not see the request */
	assert_int_equal(approval_list(f->m, st, &emp, now, APPROVAL_ALL, &out, &err), MM_EPERM);
	struct principal other = {.pr_account_id = 14, .pr_login = "other", .pr_roles = 1u << ROLE_EMPLOYEE};
	assert_int_equal(approval_get(f->m, st, &other, now, id, &out, &err), MM_EPERM);
	/* a rejection ends a request; withdrawal by the requester only, while pending */
	assert_int_equal(approval_request(f->m, st, &emp, &a_emp, now, &req, &id, &err), 0);
	assert_int_equal(approval_decide(f->m, st, &head, &a_head, now, id, "rejected", "no", NULL, &err), 0);
	assert_int_equal(approval_decide(f->m, st, &sys, &a_sys, now, id, "approved", "", NULL, &err), MM_EINVAL);
	assert_string_equal(err.rule, "closed");
	assert_int_equal(approval_withdraw(f->m, st, &emp, &a_emp, now, id, &err), MM_EINVAL);
	assert_int_equal(approval_request(f->m, st, &emp, &a_emp, now, &req, &id, &err), 0);
	assert_int_equal(approval_withdraw(f->m, st, &head, &a_head, now, id, &err), MM_EPERM);
	assert_int_equal(approval_withdraw(f->m, st, &emp, &a_emp, now, id, &err), 0);
	/* 3 requests, 3 decisions, 1 withdrawal: 7 audit events (the refusals write nothing) */
	assert_int_equal(approval_count(f, "SELECT count(*) FROM audit_event") - audits, 7);
	assert_int_equal(approval_count(f, "SELECT count(*) FROM approval_request WHERE state = 'withdrawn'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_table_is_sound),
	    T(test_periodic_due_overdue_done),
	    T(test_complete_refusals_write_nothing),
	    T(test_deadline_duties_follow_the_ledgers),
	    T(test_violations_appear_and_clear),
	    T(test_hidden_ledgers),
	    T(test_report_month_bounds),
	    T(test_report_html_escapes),
	    T(test_report_month_end),
	    T(test_approval_types_are_sound),
	    T(test_approval_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
