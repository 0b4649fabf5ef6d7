/* mamori journal add|list: the operation journal (運用日誌, seed 001 システム管理規程 §4.11). */
#include "cli/cli.h"
#include "base/buf.h"
#include "base/time.h"
#include "journal/journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: mamori journal add [--data DIR] [--category C] TEXT\n"
    "       mamori journal add [--data DIR] [--category C] --stdin\n"
    "       mamori journal list [--data DIR] [--since DATE] [--limit N] [--json]\n\n"
    "add    records an entry as the local operator, audited in the same transaction.\n"
    "       --stdin adds one entry per line of standard input and prints each entry's number\n"
    "       as soon as it is committed.\n"
    "       categories (§4.11(2)): login (①), config (②), log_storage (③), backup (④),\n"
    "       error (⑤ システムエラーと是正処置), other (default).\n"
    "list   prints entries, newest first (default limit 100).\n";

static int
add_stdin(struct mamori *m, const struct mm_actor *who, const char *category)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = EXIT_OK;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		struct mm_err err = {0};
		int64_t id;

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if (journal_add(m, m->md_store, who, category, line, &id, &err) != 0) {
			rc = cli_fail("journal", &err);
			break;
		}
		printf("%lld\n", (long long)id);
		fflush(stdout);
	}
	free(line);
	return rc;
}

static void
print_text(json_t *arr)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e) {
		const char *cat = json_string_value(json_object_get(e, "category"));
		printf("#%lld  %s  %s  [%s]\n    %s\n",
		    (long long)json_integer_value(json_object_get(e, "id")),
		    json_string_value(json_object_get(e, "recorded_at")),
		    json_string_value(json_object_get(e, "author")), journal_category_label_ja(cat),
		    json_string_value(json_object_get(e, "text")));
	}
}

int
cmd_journal(int argc, char **argv)
{
	const char *data = NULL, *category = "other", *from_stdin = NULL, *since = NULL,
		   *limit = "100", *as_json = NULL, *pos[2];
	struct cli_opt opts[] = {{"data", 1, &data}, {"category", 1, &category},
	    {"stdin", 0, &from_stdin}, {"since", 1, &since}, {"limit", 1, &limit},
	    {"json", 0, &as_json}, {NULL, 0, NULL}};
	struct mm_err err = {0};
	struct mm_actor who;
	struct mamori *m;
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("journal", argc, argv, opts, pos, 2, &npos)) != 0)
		return rc;
	if (npos < 1 || (strcmp(pos[0], "add") != 0 && strcmp(pos[0], "list") != 0))
		return cli_usage("journal", "expected 'add' or 'list'");
	if (strcmp(pos[0], "add") == 0) {
		if (!journal_category_valid(category))
			return cli_usage("journal", "--category must be one of: %s", journal_category_names());
		if ((npos == 2) == (from_stdin != NULL))
			return cli_usage("journal", "journal add needs TEXT or --stdin (not both)");
		if ((rc = cli_open("journal", data, &m)) != 0)
			return rc;
		cli_actor(&who);
		if (from_stdin) {
			rc = add_stdin(m, &who, category);
		} else {
			int64_t id;
			rc = journal_add(m, m->md_store, &who, category, pos[1], &id, &err) != 0
			    ? cli_fail("journal", &err) : (printf("%lld\n", (long long)id), EXIT_OK);
		}
		mamori_close(m);
		return rc;
	}
	{
		int64_t since_ms = 0;
		char *stop;
		long n = strtol(limit, &stop, 10);
		json_t *arr;

		if (npos != 1)
			return cli_usage("journal", "journal list takes no arguments");
		if (*stop != '\0' || n < 1 || n > 1000)
			return cli_usage("journal", "--limit must be a number from 1 to 1000");
		if (since && mm_time_parse(since, &since_ms) != 0)
			return cli_usage("journal", "--since must be a date (2026-04-01) or an ISO 8601 time");
		if ((rc = cli_open("journal", data, &m)) != 0)
			return rc;
		if (journal_list(m->md_store, since_ms, (int)n, &arr, &err) != 0) {
			rc = cli_fail("journal", &err);
		} else {
			if (as_json) {
				json_dumpf(arr, stdout, JSON_INDENT(2));
				fputc('\n', stdout);
			} else {
				print_text(arr);
			}
			json_decref(arr);
		}
		mamori_close(m);
		return rc;
	}
}
