/* mamori policy show [--json]: the profile in force, each value with its regulation. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: mamori policy show [--data DIR] [--json]\n"
    "       mamori policy check FILE\n\n"
    "show   prints every value of the profile in force (DIR/policy.ini) with the regulation it\n"
    "       comes from. 'unset' means the regulation leaves the value blank.\n"
    "check  reads a profile file and reports the first problem (file, line, reason); exit 2 if bad.\n";

static int
show(struct mamori *m, int as_json)
{
	const struct policy *p = m->md_policy;
	const char *section = "";
	json_t *out;

	if (as_json) {
		out = json_object();
		for (int k = 0; k < POLICY_KEY_COUNT; k++) {
			json_t *sec = json_object_get(out, policy_key_section(k));
			if (sec == NULL) {
				sec = json_object();
				json_object_set_new(out, policy_key_section(k), sec);
			}
			json_object_set_new(sec, policy_key_name(k), json_pack("{s:s, s:s, s:s}",
			    "value", policy_value_text(p, k), "source", policy_source(p, k),
			    "meaning", policy_key_meaning(k)));
		}
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(out);
		return EXIT_OK;
	}
	printf("profile: %s — %s\nfile: %s/%s\n", policy_text(p, POLICY_PROFILE_NAME),
	    policy_text(p, POLICY_PROFILE_TITLE), m->md_dir, MAMORI_POLICY_FILE);
	for (int k = 0; k < POLICY_KEY_COUNT; k++) {
		if (strcmp(section, policy_key_section(k)) != 0) {
			section = policy_key_section(k);
			printf("\n[%s]\n", section);
		}
		printf("%-20s = %-12s %s  (%s)\n", policy_key_name(k), policy_value_text(p, k),
		    policy_source(p, k), policy_key_meaning(k));
	}
	return EXIT_OK;
}

int
cmd_policy(int argc, char **argv)
{
	const char *data = NULL, *as_json = NULL, *pos[2];
	struct cli_opt opts[] = {{"data", 1, &data}, {"json", 0, &as_json}, {NULL, 0, NULL}};
	struct mamori *m;
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("policy", argc, argv, opts, pos, 2, &npos)) != 0)
		return rc;
	if (npos >= 1 && strcmp(pos[0], "check") == 0) {
		struct policy *p;
		struct mm_err err = {0};
		if (npos != 2)
			return cli_usage("policy", "policy check needs a FILE");
		if (policy_load(pos[1], &p, &err) != 0)
			return cli_fail("policy", &err);
		printf("%s: ok (profile %s)\n", pos[1], policy_text(p, POLICY_PROFILE_NAME));
		policy_free(p);
		return EXIT_OK;
	}
	if (npos != 1 || strcmp(pos[0], "show") != 0)
		return cli_usage("policy", "expected 'show' or 'check FILE'");
	if ((rc = cli_open("policy", data, &m)) != 0)
		return rc;
	rc = show(m, as_json != NULL);
	mamori_close(m);
	return rc;
}
