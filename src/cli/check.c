/*
 * mamori check: overdue duties and violations (design.md: exit 0 when none, 3 when some); the
 * duties calendar; recording the completion of a periodic duty (src/workflow/).
 */
#include "cli/cli.h"
#include "base/time.h"
#include "workflow/workflow.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: mamori check [--data DIR] [--json]\n"
    "       mamori check duties [--data DIR] [--json]\n"
    "       mamori check complete CODE --evidence TEXT [--findings TEXT] [--data DIR]\n"
    "       mamori check report --month YYYY-MM [--format json|html|xlsx] [--output FILE] [--data DIR]\n\n"
    "check     lists the overdue duties and the violations, each with the regulation it comes\n"
    "          from; exit 0 when there are none, 3 when there are some.\n"
    "duties    the duties calendar: every tracked periodic duty and every deadline duty of the\n"
    "          ledgers, with owner, due date and state (upcoming, due, overdue, done).\n"
    "complete  records the completion of a periodic duty by the local operator, audited; the next\n"
    "          due date moves on by the duty's cycle ([cycle] in the profile).\n"
    "report    the monthly compliance report for the information-security committee: the duties\n"
    "          completed in the month, those overdue at its end (or now) and the violations now;\n"
    "          JSON (the default), a printable HTML page or an XLSX workbook, audited as output.\n"
    "          --output FILE must not exist yet; without it the report goes to stdout.\n";

static const char *
state_ja(const char *state)
{
	if (strcmp(state, "overdue") == 0)
		return "期限超過";
	if (strcmp(state, "due") == 0)
		return "期限間近";
	if (strcmp(state, "done") == 0)
		return "実施済み";
	return "予定";
}

static void
print_duty(const json_t *d)
{
	const json_t *t = json_object_get(d, "target");

	printf("  %-10s  %-8s  %s", json_string_value(json_object_get(d, "due")),
	    state_ja(json_string_value(json_object_get(d, "state"))), json_string_value(json_object_get(d, "title")));
	if (t)
		printf("：%s", json_string_value(json_object_get(t, "title")));
	printf("  担当: %s  [%s]\n", json_string_value(json_object_get(d, "owner_label")),
	    json_string_value(json_object_get(d, "source")));
}

static void
print_check(const json_t *r)
{
	const json_t *duties = json_object_get(r, "duties"), *vio = json_object_get(r, "violations"), *e;
	size_t i;

	printf("点検日 %s: 期限超過の義務 %zu 件、違反 %zu 件\n", json_string_value(json_object_get(r, "today")),
	    json_array_size(duties), json_array_size(vio));
	if (json_array_size(duties))
		printf("\n期限超過の義務 (overdue duties):\n");
	json_array_foreach(duties, i, e)
		print_duty(e);
	if (json_array_size(vio))
		printf("\n違反 (violations):\n");
	json_array_foreach(vio, i, e) {
		const char *owner = json_string_value(json_object_get(e, "owner_label"));
		printf("  %s: %s  担当: %s  [%s]\n", json_string_value(json_object_get(e, "title")),
		    json_string_value(json_object_get(e, "message")),
		    owner && owner[0] ? owner : "（未設定）", json_string_value(json_object_get(e, "source")));
	}
}

static void
print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
}

int
cmd_check(int argc, char **argv)
{
	const char *data = NULL, *as_json = NULL, *evidence = NULL, *findings = NULL, *pos[2];
	const char *month = NULL, *format = NULL, *output = NULL;
	struct cli_opt opts[] = {{"data", 1, &data}, {"json", 0, &as_json}, {"evidence", 1, &evidence},
	    {"findings", 1, &findings}, {"month", 1, &month}, {"format", 1, &format}, {"output", 1, &output},
	    {NULL, 0, NULL}};
	enum report_format fmt = REPORT_JSON;
	struct principal operator = {.pr_local_operator = 1};
	struct mm_err err = {0};
	struct mm_actor who;
	struct mamori *m;
	json_t *out = NULL;
	int64_t n = 0;
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("check", argc, argv, opts, pos, 2, &npos)) != 0)
		return rc;
	if (npos > 0 && strcmp(pos[0], "duties") != 0 && strcmp(pos[0], "complete") != 0 &&
	    strcmp(pos[0], "report") != 0)
		return cli_usage("check", "expected nothing, 'duties', 'complete CODE' or 'report'");
	if ((month || format || output) && (npos != 1 || strcmp(pos[0], "report") != 0))
		return cli_usage("check", "--month, --format and --output belong to 'check report'");
	if (npos > 0 && strcmp(pos[0], "report") == 0) {
		if (npos != 1 || month == NULL || evidence || findings || as_json)
			return cli_usage("check", "check report needs --month YYYY-MM (and --format, not --json)");
		if (report_format_parse(format, &fmt, &err) != 0)
			return cli_usage("check", "--format is json, html or xlsx");
	}
	if (npos > 0 && strcmp(pos[0], "complete") == 0 && (npos != 2 || evidence == NULL))
		return cli_usage("check", "check complete needs CODE and --evidence TEXT");
	if ((npos == 0 || strcmp(pos[0], "duties") == 0) && (npos > 1 || evidence || findings))
		return cli_usage("check", "--evidence and --findings belong to 'check complete'");
	if ((rc = cli_open("check", data, &m)) != 0)
		return rc;
	cli_actor(&who);
	if (npos == 0) {
		if (check_run(m, m->md_store, &operator, mm_now_ms(), &out, &n, &err) != 0) {
			rc = cli_fail("check", &err);
		} else {
			as_json ? print_json(out) : print_check(out);
			rc = n > 0 ? EXIT_FINDINGS : EXIT_OK;
		}
	} else if (strcmp(pos[0], "report") == 0) {
		struct mm_buf b;
		FILE *f = cli_out_open("check", output);
		mm_buf_init(&b, REPORT_MAX);
		if (f == NULL) {
			rc = EXIT_FAIL;
		} else if (compliance_report_file(m, m->md_store, &operator, &who, month, fmt, mm_now_ms(), &b,
		    &err) != 0) {
			cli_out_close("check", output, f, NULL);
			rc = cli_fail("check", &err);
		} else {
			rc = cli_out_close("check", output, f, &b);
		}
		mm_buf_free(&b);
	} else if (strcmp(pos[0], "duties") == 0) {
		if (duty_calendar(m, m->md_store, &operator, mm_now_ms(), &out, NULL, &err) != 0) {
			rc = cli_fail("check", &err);
		} else if (as_json) {
			print_json(out);
		} else {
			size_t i;
			json_t *e;
			json_array_foreach(out, i, e)
				print_duty(e);
		}
	} else if (duty_complete(m, m->md_store, &operator, &who, pos[1], evidence, findings, &out, &err) != 0) {
		rc = cli_fail("check", &err);
	} else {
		as_json ? print_json(out) : print_duty(out);
	}
	json_decref(out);
	mamori_close(m);
	return rc;
}
