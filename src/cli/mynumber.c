/*
 * mamori mynumber ...: the vault from the command line, for first setup and scripts. A number is read
 * from stdin or a file, never from the command line (process lists and shell history would keep it);
 * `check` alone takes one, stores nothing and prints nothing of it. Nothing here shows a number.
 */
#include "base/fs.h"
#include "base/time.h"
#include "cli/cli.h"
#include "vault/vault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: mamori mynumber check NUMBER [--corporate]   exit 0 when the check digit is valid, 2 when not\n"
    "       mamori mynumber add --subject ID --purpose CODE --number-stdin [--reason TEXT]\n"
    "       mamori mynumber subject-add            (a subject as JSON on stdin; may hold \"number\")\n"
    "       mamori mynumber list [--q NAME] [--kind KIND] [--page N]   (masked)\n"
    "       mamori mynumber import FILE            (CSV of subjects with numbers; every row or none)\n"
    "       mamori mynumber queue                  (numbers past retention, pending deletions)\n"
    "       mamori mynumber purposes | epochs | rotate-keys | destroy-epoch YEAR\n"
    "       mamori mynumber report --month YYYY-MM | records [--from DATE] [--to DATE]\n\n"
    "All take --data DIR. Import columns (header row): kind, person (employee number), parent (subject id),\n"
    "name, name_kana, relation, purposes (separated by ;), number, number_document, identity_document,\n"
    "use_ended_on.\n";

static void
print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
}

static int
check(const char *number, int corporate)
{
	char digits[VAULT_NUMBER_MAX + 1];
	struct mm_err err = {0};
	int rc = vault_number_normalise(number, corporate, digits, &err);

	mm_wipe(digits, sizeof(digits));
	if (rc != 0) {
		fprintf(stderr, "mamori mynumber: number: %s (%s)\n", err.msg, err.msg_ja);
		return EXIT_USAGE;
	}
	printf("valid (%s)\n", corporate ? "法人番号" : "個人番号");
	return EXIT_OK;
}

/* One line of stdin, without its line end. */
static int
read_number(char *out, size_t n)
{
	size_t len;

	if (fgets(out, (int)n, stdin) == NULL)
		return -1;
	len = strcspn(out, "\r\n");
	out[len] = '\0';
	return 0;
}

static int
add(struct vault_ctx *x, int64_t id, const char *purpose, const char *reason, struct mm_err *err, json_t **errors)
{
	char line[256];
	json_t *subject = NULL;
	size_t i;
	json_t *p;
	int ok = 0, rc;

	if (read_number(line, sizeof(line)) != 0)
		return mm_err_input(err, "number", "required", "標準入力から番号を読めません", "no number on stdin");
	if ((rc = vault_subject_get(x, -id, &subject, err)) != 0) {
		mm_wipe(line, sizeof(line));
		return rc;
	}
	json_array_foreach(json_object_get(subject, "purposes"), i, p)
		ok |= strcmp(json_string_value(p), purpose) == 0;
	json_decref(subject);
	if (!ok) {
		mm_wipe(line, sizeof(line));
		return mm_err_input(err, "purpose", "not_subject_purpose", "この対象者の利用目的ではありません",
		    "%s is not a purpose of subject %lld", purpose, (long long)id);
	}
	rc = vault_number_set(x, id, line, reason ? reason : "コマンドラインから登録", errors, err);
	mm_wipe(line, sizeof(line));
	return rc;
}

/* ---- import ---- */

#include "registers/tabular.h"

struct importer {
	struct vault_ctx *x;
	int cols[16];
	size_t ncols;
	int64_t count;
	json_t *errors;
};

static const char *const import_cols[] = {"kind", "person", "parent", "name", "name_kana", "relation", "purposes",
    "number", "number_document", "identity_document", "use_ended_on"};
#define NCOLS (sizeof(import_cols) / sizeof(import_cols[0]))

static int
person_of(struct store *st, const char *no, int64_t *id)
{
	struct store_stmt *s;
	int rc;

	*id = 0;
	if (store_prepare(st, "SELECT id FROM person WHERE employee_no = $1", &s, NULL) != 0)
		return -1;
	store_bind_text(s, "$1", no);
	if ((rc = store_step(s, NULL)) == STORE_ROW)
		*id = store_col_int(s, 0);
	store_finalize(s);
	return rc == STORE_ROW ? 0 : -1;
}

static int
on_row(void *arg, size_t rowno, const char *const *cells, size_t n)
{
	struct importer *im = arg;
	json_t *in, *errs = NULL;
	struct mm_err err = {0};
	int64_t id;
	int rc;

	if (im->ncols == 0) {
		for (size_t c = 0; c < n && c < 16; c++) {
			im->cols[c] = -1;
			for (size_t k = 0; k < NCOLS; k++)
				if (strcmp(cells[c], import_cols[k]) == 0)
					im->cols[c] = (int)k;
		}
		im->ncols = n;
		return 0;
	}
	in = json_object();
	for (size_t c = 0; c < n && c < im->ncols && c < 16; c++) {
		int k = im->cols[c];
		if (k < 0 || cells[c][0] == '\0')
			continue;
		if (k == 1) {
			int64_t pid;
			json_object_set_new(in, "person_id", json_integer(person_of(im->x->st, cells[c], &pid) == 0 ? pid : -1));
		} else if (k == 2) {
			json_object_set_new(in, "parent_id", json_integer(strtoll(cells[c], NULL, 10)));
		} else if (k == 6) {
			json_t *ps = json_array();
			char buf[512], *save = NULL;
			snprintf(buf, sizeof(buf), "%s", cells[c]);
			for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save))
				json_array_append_new(ps, json_string(t));
			json_object_set_new(in, "purposes", ps);
		} else if (k == 8 || k == 9) {
			json_t *ic = json_object_get(in, "identity_check");
			if (ic == NULL)
				json_object_set_new(in, "identity_check", ic = json_object());
			json_object_set_new(ic, import_cols[k], json_string(cells[c]));
		} else {
			json_object_set_new(in, import_cols[k], json_string(cells[c]));
		}
	}
	rc = vault_subject_create_in(im->x, in, &id, &errs, &err);
	json_decref(in);
	if (rc == 0) {
		im->count++;
	} else if (rc == MM_EINVAL) {
		size_t i;
		json_t *e;
		if (errs == NULL)
			errs = json_pack("[{s:s, s:s, s:s, s:s}]", "field", err.field, "rule", err.rule, "message", err.msg,
			    "message_ja", err.msg_ja);
		json_array_foreach(errs, i, e) {
			json_object_set_new(e, "row", json_integer((json_int_t)rowno));
			json_array_append(im->errors, e);
		}
	} else {
		json_decref(errs);
		return rc;
	}
	json_decref(errs);
	return json_array_size(im->errors) >= 200;
}

static int
import(struct vault_ctx *x, const char *path, struct mm_err *err, json_t **errors)
{
	struct importer im = {.x = x, .errors = json_array()};
	struct mm_buf b;
	int rc;

	mm_buf_init(&b, TAB_CSV_MAX_INPUT + 1);
	if ((rc = mm_fs_read(path, &b, err)) != 0) {
		mm_buf_free(&b);
		json_decref(im.errors);
		return rc;
	}
	vault_cache_begin(x);
	if ((rc = store_begin(x->st, err)) == 0) {
		rc = csv_read(b.b_data ? b.b_data : "", b.b_len, on_row, &im, err);
		if (rc == 1)
			rc = 0;
		if (rc == 0 && json_array_size(im.errors) > 0)
			rc = mm_err_input(err, "file", "rows", "取り込めない行があります。1件も取り込んでいません",
			    "%zu problem(s); nothing was imported", json_array_size(im.errors));
		if (rc == 0)
			rc = store_commit(x->st, err);
		else
			store_rollback(x->st);
	}
	vault_cache_end(x);
	mm_buf_free(&b); /* wipes the numbers read */
	if (rc == 0)
		printf("imported %lld\n", (long long)im.count);
	if (json_array_size(im.errors) > 0)
		*errors = im.errors;
	else
		json_decref(im.errors);
	return rc;
}

int
cmd_mynumber(int argc, char **argv)
{
	const char *data = NULL, *subject = NULL, *purpose = NULL, *stdin_flag = NULL, *reason = NULL, *q = NULL;
	const char *kind = NULL, *page = NULL, *month = NULL, *from = NULL, *to = NULL, *corporate = NULL, *pos[3];
	struct cli_opt opts[] = {{"data", 1, &data}, {"subject", 1, &subject}, {"purpose", 1, &purpose},
	    {"number-stdin", 0, &stdin_flag}, {"reason", 1, &reason}, {"q", 1, &q}, {"kind", 1, &kind},
	    {"page", 1, &page}, {"month", 1, &month}, {"from", 1, &from}, {"to", 1, &to}, {"corporate", 0, &corporate},
	    {NULL, 0, NULL}};
	struct principal pr = {.pr_local_operator = 1};
	struct mm_err err = {0};
	struct mm_actor who;
	struct vault_ctx x;
	struct mamori *m;
	json_t *out = NULL, *errors = NULL;
	const char *verb;
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("mynumber", argc, argv, opts, pos, 2, &npos)) != 0)
		return rc;
	if (npos < 1)
		return cli_usage("mynumber", "expected check, add, subject-add, list, import, queue, purposes, epochs,"
		    " rotate-keys, destroy-epoch, report or records");
	verb = pos[0];
	if (strcmp(verb, "check") == 0) {
		if (npos != 2)
			return cli_usage("mynumber", "check needs the number");
		return check(pos[1], corporate != NULL);
	}
	if (strcmp(verb, "add") == 0 && (subject == NULL || purpose == NULL || stdin_flag == NULL))
		return cli_usage("mynumber", "add needs --subject ID, --purpose CODE and --number-stdin"
		    " (a number is never taken from the command line)");
	if ((strcmp(verb, "import") == 0 || strcmp(verb, "destroy-epoch") == 0) && npos != 2)
		return cli_usage("mynumber", "%s needs one argument", verb);
	if ((rc = cli_open("mynumber", data, &m)) != 0)
		return rc;
	cli_actor(&who);
	x = (struct vault_ctx){.m = m, .st = m->md_store, .who = &who, .pr = &pr, .started_ms = mm_now_ms()};
	if (strcmp(verb, "add") == 0) {
		char *end;
		int64_t id = strtoll(subject, &end, 10);
		rc = *end || id <= 0 ? mm_err_input(&err, "subject", "type", "対象者IDは数字です", "--subject is a number")
		                     : add(&x, id, purpose, reason, &err, &errors);
		if (rc == 0)
			printf("stored for subject %lld\n", (long long)id);
	} else if (strcmp(verb, "subject-add") == 0) {
		json_t *in = cli_read_json("mynumber");
		int64_t id;
		if (in == NULL) {
			mamori_close(m);
			return EXIT_USAGE;
		}
		rc = vault_subject_create(&x, in, &id, &errors, &err);
		if (json_is_string(json_object_get(in, "number")))
			mm_wipe((char *)json_string_value(json_object_get(in, "number")),
			    json_string_length(json_object_get(in, "number")));
		json_decref(in);
		if (rc == 0 && (rc = vault_subject_get(&x, -id, &out, &err)) == 0)
			print_json(out);
	} else if (strcmp(verb, "list") == 0) {
		if ((rc = vault_subject_list(&x, q, kind, NULL, page ? strtoll(page, NULL, 10) : 1, 50, &out, &err)) == 0)
			print_json(out);
	} else if (strcmp(verb, "import") == 0) {
		rc = import(&x, pos[1], &err, &errors);
	} else if (strcmp(verb, "queue") == 0) {
		if ((rc = vault_deletion_queue(&x, &out, &err)) == 0)
			print_json(out);
	} else if (strcmp(verb, "purposes") == 0) {
		print_json(out = vault_purposes(m));
		rc = 0;
	} else if (strcmp(verb, "epochs") == 0) {
		if ((rc = vault_epochs(&x, &out, &err)) == 0)
			print_json(out);
	} else if (strcmp(verb, "rotate-keys") == 0) {
		int64_t n = 0;
		if ((rc = vault_rotate(&x, &n, &err)) == 0)
			printf("rewrapped %lld data keys under new key-encryption keys\n", (long long)n);
	} else if (strcmp(verb, "destroy-epoch") == 0) {
		if ((rc = vault_epoch_destroy(m, pos[1], &err)) == 0)
			printf("destroyed the keys of epoch %s\n", pos[1]);
	} else if (strcmp(verb, "report") == 0) {
		if ((rc = vault_report_month(&x, month, &out, &err)) == 0)
			print_json(out);
	} else if (strcmp(verb, "records") == 0) {
		if ((rc = vault_records(&x, from, to, &out, &err)) == 0)
			print_json(out);
	} else {
		rc = cli_usage("mynumber", "unknown action '%s'", verb);
		mamori_close(m);
		return rc;
	}
	if (rc < 0)
		rc = cli_print_errors("mynumber", &err, errors);
	else
		json_decref(errors);
	json_decref(out);
	mamori_close(m);
	return rc;
}
