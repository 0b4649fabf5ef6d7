/* mamori people list|show|add|edit: 従業員等, for first setup and scripts. */
#include "auth/people.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: mamori people list [--data DIR] [--json]\n"
    "       mamori people show ID [--data DIR]\n"
    "       mamori people add [--data DIR] [field options]     (or a JSON object on stdin)\n"
    "       mamori people edit ID [--data DIR] [field options] (or a JSON object on stdin)\n\n"
    "field options: --employee-no NO --name 氏名 --kana フリガナ --type TYPE --department D\n"
    "               --joined YYYY-MM-DD --left YYYY-MM-DD --nda YYYY-MM-DD --phone P\n"
    "               --birthday YYYY-MM-DD --email E\n"
    "TYPE: officer 役員, regular 正社員, contract 契約社員, dispatch 派遣,\n"
    "      part_time パート・アルバイト, external 社外\n"
    "A leave date (--left) ends the person's access to mamori the day after (profile: revoke_deadline).\n";

/* Prints the errors list on stderr, one per line, and returns EXIT_USAGE. */
int
cli_print_errors(const char *cmd, const struct mm_err *err, json_t *errors)
{
	size_t i;
	json_t *e;

	if (errors == NULL || json_array_size(errors) == 0) {
		json_decref(errors);
		return cli_fail(cmd, err);
	}
	json_array_foreach(errors, i, e) {
		if (json_is_integer(json_object_get(e, "row")))
			fprintf(stderr, "mamori %s: row %lld: ", cmd, (long long)json_integer_value(json_object_get(e, "row")));
		fprintf(stderr, "mamori %s: %s: %s (%s)\n", cmd,
		    json_string_value(json_object_get(e, "field")),
		    json_string_value(json_object_get(e, "message")),
		    json_string_value(json_object_get(e, "message_ja")));
	}
	json_decref(errors);
	return EXIT_USAGE;
}

/* Reads one JSON object from stdin (at most 1 MiB). NULL with a message when it is not one. */
json_t *
cli_read_json(const char *cmd)
{
	json_error_t jerr;
	json_t *j = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);

	if (j == NULL || !json_is_object(j)) {
		fprintf(stderr, "mamori %s: stdin: expected a JSON object%s%s\n", cmd, j ? "" : ": ",
		    j ? "" : jerr.text);
		json_decref(j);
		return NULL;
	}
	return j;
}

static void
print_person(json_t *p)
{
	printf("%-6lld %-10s %-16s %-20s %-10s %s%s\n", (long long)json_integer_value(json_object_get(p, "id")),
	    json_string_value(json_object_get(p, "employee_no")),
	    json_string_value(json_object_get(p, "name")),
	    json_string_value(json_object_get(p, "department")),
	    people_employment_label_ja(json_string_value(json_object_get(p, "employment_type"))),
	    json_is_string(json_object_get(p, "left_on")) ? "退職 " : "",
	    json_is_string(json_object_get(p, "left_on")) ? json_string_value(json_object_get(p, "left_on")) : "");
}

int
cmd_people(int argc, char **argv)
{
	const char *data = NULL, *as_json = NULL, *pos[2];
	const char *v[11] = {0};
	static const char *names[11] = {"employee_no", "name", "name_kana", "employment_type",
	    "department", "joined_on", "left_on", "nda_on", "phone", "birthday", "email"};
	struct cli_opt opts[] = {{"data", 1, &data}, {"json", 0, &as_json},
	    {"employee-no", 1, &v[0]}, {"name", 1, &v[1]}, {"kana", 1, &v[2]}, {"type", 1, &v[3]},
	    {"department", 1, &v[4]}, {"joined", 1, &v[5]}, {"left", 1, &v[6]}, {"nda", 1, &v[7]},
	    {"phone", 1, &v[8]}, {"birthday", 1, &v[9]}, {"email", 1, &v[10]}, {NULL, 0, NULL}};
	struct mm_err err = {0};
	struct mm_actor who;
	struct mamori *m;
	json_t *in = NULL, *out = NULL, *errors = NULL;
	int npos, rc, any = 0;
	int64_t id = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("people", argc, argv, opts, pos, 2, &npos)) != 0)
		return rc;
	if (npos < 1)
		return cli_usage("people", "expected list, show, add or edit");
	if (strcmp(pos[0], "show") == 0 || strcmp(pos[0], "edit") == 0) {
		char *end;
		if (npos != 2 || (id = strtoll(pos[1], &end, 10)) <= 0 || *end != '\0')
			return cli_usage("people", "%s needs a person's number (ID)", pos[0]);
	} else if (npos != 1) {
		return cli_usage("people", "unexpected argument '%s'", pos[1]);
	}
	if (strcmp(pos[0], "add") == 0 || strcmp(pos[0], "edit") == 0) {
		for (int i = 0; i < 11; i++)
			any |= v[i] != NULL;
		if (any) {
			in = json_object();
			for (int i = 0; i < 11; i++)
				if (v[i])
					json_object_set_new(in, names[i], json_string(v[i]));
		} else if ((in = cli_read_json("people")) == NULL) {
			return EXIT_USAGE;
		}
	} else if (strcmp(pos[0], "list") != 0 && strcmp(pos[0], "show") != 0) {
		return cli_usage("people", "expected list, show, add or edit");
	}
	if ((rc = cli_open("people", data, &m)) != 0) {
		json_decref(in);
		return rc;
	}
	cli_actor(&who);
	if (strcmp(pos[0], "list") == 0) {
		if ((rc = people_list(m->md_store, &out, &err)) == 0 && !as_json) {
			size_t i;
			json_t *p;
			json_array_foreach(out, i, p)
				print_person(p);
		}
	} else if (strcmp(pos[0], "show") == 0) {
		rc = people_get(m->md_store, id, &out, &err);
		as_json = "1";
	} else if (strcmp(pos[0], "add") == 0) {
		rc = people_create(m, m->md_store, &who, in, &id, &errors, &err);
		if (rc == 0)
			printf("%lld\n", (long long)id);
	} else {
		rc = people_update(m, m->md_store, &who, id, in, &errors, &err);
	}
	if (rc != 0) {
		rc = cli_print_errors("people", &err, errors);
	} else {
		if (out && as_json) {
			json_dumpf(out, stdout, JSON_INDENT(2));
			fputc('\n', stdout);
		}
		rc = EXIT_OK;
	}
	json_decref(in);
	json_decref(out);
	mamori_close(m);
	return rc;
}
