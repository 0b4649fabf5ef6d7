/*
 * mamori register list|schema|get|add|edit|delete|history|export|import NAME: every ledger from the
 * command line, with the same engine (and the same checks) as the API. JSON in on stdin, out on
 * stdout.
 */
#include "base/fs.h"
#include "base/time.h"
#include "cli/cli.h"
#include "registers/registers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: mamori register ledgers [--data DIR]\n"
    "       mamori register list NAME [--q TEXT] [--sort FIELD|-FIELD] [--page N] [--per-page N]\n"
    "                                 [--filter FIELD=VALUE]\n"
    "       mamori register schema NAME\n"
    "       mamori register get NAME ID\n"
    "       mamori register add NAME            (a JSON object on stdin)\n"
    "       mamori register edit NAME ID        (a JSON object of the changed fields on stdin)\n"
    "       mamori register delete NAME ID\n"
    "       mamori register history NAME ID\n"
    "       mamori register export NAME [--format csv|xlsx] [--encoding utf-8|cp932] [--output FILE]\n"
    "       mamori register import NAME FILE    (CSV, UTF-8 or CP932: every row or none)\n\n"
    "Ledgers: assets devices software user_ids media takeouts keys backups changes connections vendors\n"
    "(mamori register ledgers lists them with their Japanese names).\n";

static void
print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
}

static int
id_arg(const char *s, int64_t *id)
{
	char *end;

	*id = s ? strtoll(s, &end, 10) : 0;
	return s && *id > 0 && *end == '\0' ? 0 : -1;
}

static int
ledgers(struct mamori *m)
{
	(void)m;
	for (size_t i = 0; i < registers_count(); i++) {
		const struct reg_def *d = registers_at(i);
		printf("%-12s %s (%s)\n", d->name, d->label_ja, d->source ? d->source : "");
	}
	return EXIT_OK;
}

int
cmd_register(int argc, char **argv)
{
	const char *data = NULL, *q = NULL, *sort = NULL, *page = NULL, *per = NULL, *filter = NULL;
	const char *format = NULL, *encoding = NULL, *output = NULL, *pos[3];
	struct cli_opt opts[] = {{"data", 1, &data}, {"q", 1, &q}, {"sort", 1, &sort}, {"page", 1, &page},
	    {"per-page", 1, &per}, {"filter", 1, &filter}, {"format", 1, &format}, {"encoding", 1, &encoding},
	    {"output", 1, &output}, {NULL, 0, NULL}};
	struct principal pr = {.pr_local_operator = 1};
	struct mm_err err = {0};
	struct mm_actor who;
	struct mamori *m;
	struct reg_ctx x;
	json_t *in = NULL, *out = NULL, *errors = NULL;
	const char *verb;
	int npos, rc;
	int64_t id = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("register", argc, argv, opts, pos, 3, &npos)) != 0)
		return rc;
	if (npos < 1)
		return cli_usage("register", "expected ledgers, list, schema, get, add, edit, delete, history, export or import");
	verb = pos[0];
	if (strcmp(verb, "ledgers") != 0) {
		if (npos < 2)
			return cli_usage("register", "%s needs a ledger name (mamori register ledgers lists them)", verb);
		if (strcmp(verb, "get") == 0 || strcmp(verb, "edit") == 0 || strcmp(verb, "delete") == 0 ||
		    strcmp(verb, "history") == 0) {
			if (npos != 3 || id_arg(pos[2], &id) != 0)
				return cli_usage("register", "%s needs a record number (ID)", verb);
		} else if (strcmp(verb, "import") == 0) {
			if (npos != 3)
				return cli_usage("register", "import needs a CSV file");
		} else if (npos != 2) {
			return cli_usage("register", "unexpected argument '%s'", pos[2]);
		} else if (strcmp(verb, "list") && strcmp(verb, "schema") && strcmp(verb, "add") &&
		    strcmp(verb, "export")) {
			return cli_usage("register", "unknown action '%s'", verb);
		}
	}
	if ((format && strcmp(format, "csv") && strcmp(format, "xlsx")) ||
	    (encoding && strcmp(encoding, "utf-8") && strcmp(encoding, "cp932")))
		return cli_usage("register", "--format is csv or xlsx; --encoding is utf-8 or cp932");
	if ((strcmp(verb, "add") == 0 || strcmp(verb, "edit") == 0) && (in = cli_read_json("register")) == NULL)
		return EXIT_USAGE;
	if ((rc = cli_open("register", data, &m)) != 0) {
		json_decref(in);
		return rc;
	}
	if (strcmp(verb, "ledgers") == 0) {
		rc = ledgers(m);
		mamori_close(m);
		return rc;
	}
	cli_actor(&who);
	x = (struct reg_ctx){.m = m, .st = m->md_store, .who = &who, .pr = &pr, .def = registers_find(pos[1]),
	    .now_ms = mm_now_ms()};
	if (x.def == NULL) {
		mamori_close(m);
		json_decref(in);
		return cli_usage("register", "no ledger named '%s' (mamori register ledgers lists them)", pos[1]);
	}
	if (strcmp(verb, "list") == 0 || strcmp(verb, "export") == 0) {
		struct reg_query rq = {.q = q, .sort = sort, .page = page ? strtoll(page, NULL, 10) : 0,
		    .per_page = per ? strtoll(per, NULL, 10) : 0};
		char fbuf[512];
		if (filter) {
			char *eq;
			snprintf(fbuf, sizeof(fbuf), "%s", filter);
			if ((eq = strchr(fbuf, '=')) == NULL) {
				mamori_close(m);
				return cli_usage("register", "--filter needs FIELD=VALUE");
			}
			*eq = '\0';
			rq.filter_names[0] = fbuf;
			rq.filter_values[0] = eq + 1;
			rq.nfilters = 1;
		}
		if (strcmp(verb, "list") == 0) {
			if ((rc = reg_list(&x, &rq, &out, &err)) == 0)
				print_json(out);
		} else {
			struct mm_buf b;
			FILE *f = cli_out_open("register", output);
			mm_buf_init(&b, (size_t)256 * 1024 * 1024);
			if (f == NULL)
				rc = EXIT_FAIL;
			else if ((rc = reg_export(&x, &rq, format && strcmp(format, "xlsx") == 0 ? REG_XLSX : REG_CSV,
			    encoding && strcmp(encoding, "cp932") == 0, &b, &err)) == 0)
				rc = cli_out_close("register", output, f, &b);
			else
				cli_out_close("register", output, f, NULL);
			mm_buf_free(&b);
		}
	} else if (strcmp(verb, "schema") == 0) {
		print_json(out = reg_schema_json(x.def, &pr));
	} else if (strcmp(verb, "get") == 0) {
		if ((rc = reg_get(&x, id, &out, &err)) == 0)
			print_json(out);
	} else if (strcmp(verb, "add") == 0 || strcmp(verb, "edit") == 0) {
		rc = strcmp(verb, "add") == 0 ? reg_create(&x, in, &id, &errors, &err)
		                              : reg_update(&x, id, in, &errors, &err);
		if (rc == 0 && (rc = reg_get(&x, id, &out, &err)) == 0)
			print_json(out);
	} else if (strcmp(verb, "delete") == 0) {
		rc = reg_delete(&x, id, &err);
	} else if (strcmp(verb, "history") == 0) {
		if ((rc = reg_history(&x, id, &out, &err)) == 0) {
			out = json_pack("{s:o}", "items", out); /* as the API answers */
			print_json(out);
		}
	} else {
		struct mm_buf b;
		int64_t n = 0;
		mm_buf_init(&b, 20 * 1024 * 1024 + 1);
		if ((rc = mm_fs_read(pos[2], &b, &err)) == 0 &&
		    (rc = reg_import(&x, b.b_data ? b.b_data : "", b.b_len, &n, &errors, &err)) == 0)
			printf("imported %lld\n", (long long)n);
		mm_buf_free(&b);
	}
	if (rc < 0)
		rc = cli_print_errors("register", &err, errors);
	else
		json_decref(errors);
	json_decref(in);
	json_decref(out);
	mamori_close(m);
	return rc;
}
