/* mamori account create|list|reset-password|disable|unlock|roles|mfa-reset. */
#include "auth/mfa.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: mamori account list [--data DIR] [--json]\n"
    "       mamori account create --person ID --login LOGIN [--role ROLE ...] [--data DIR]\n"
    "       mamori account reset-password ACCOUNT [--data DIR]\n"
    "       mamori account disable ACCOUNT --reason TEXT [--data DIR]\n"
    "       mamori account unlock ACCOUNT [--data DIR]\n"
    "       mamori account roles ACCOUNT ROLE... [--data DIR]\n"
    "       mamori account mfa-reset ACCOUNT [--data DIR]\n\n"
    "ACCOUNT is a login or an account number. create and reset-password print a one-time password\n"
    "(lines login: and password:) that must be changed at the first sign-in. Roles: ceo,\n"
    "security_officer, sysadmin, mynumber_manager, mynumber_handler, dept_head, incident_lead,\n"
    "education_lead, auditor, employee (several --role, or several ROLE for roles).\n";

static int
find_account(struct mamori *m, const char *arg, int64_t *id)
{
	struct account a;
	struct mm_err err = {0};
	char *end;
	long long n = strtoll(arg, &end, 10);

	if (*end == '\0' && n > 0) {
		*id = n;
		return 0;
	}
	if (account_load(m, m->md_store, arg, 0, &a, &err) != 0) {
		fprintf(stderr, "mamori account: no account '%s'\n", arg);
		return EXIT_FAIL;
	}
	*id = a.ac_id;
	account_clear(&a);
	return 0;
}

int
cmd_account(int argc, char **argv)
{
	const char *data = NULL, *as_json = NULL, *person = NULL, *login = NULL, *reason = NULL,
		   *role = NULL, *pos[12];
	struct cli_opt opts[] = {{"data", 1, &data}, {"json", 0, &as_json}, {"person", 1, &person},
	    {"login", 1, &login}, {"reason", 1, &reason}, {"role", 1, &role}, {NULL, 0, NULL}};
	struct principal operator = {.pr_local_operator = 1};
	struct mm_err err = {0};
	struct mm_actor who;
	struct mamori *m;
	json_t *out = NULL, *errors = NULL;
	int npos, rc;
	int64_t id = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	/* --role may repeat: collect every occurrence before the general parse */
	json_t *roles = json_array();
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], "--role") == 0)
			json_array_append_new(roles, json_string(argv[i + 1]));
	if ((rc = cli_parse("account", argc, argv, opts, pos, 12, &npos)) != 0) {
		json_decref(roles);
		return rc;
	}
	if (npos < 1) {
		json_decref(roles);
		return cli_usage("account", "expected list, create, reset-password, disable, unlock, roles or mfa-reset");
	}
	if ((rc = cli_open("account", data, &m)) != 0) {
		json_decref(roles);
		return rc;
	}
	cli_actor(&who);
	strncpy(operator.pr_login, who.login, sizeof(operator.pr_login) - 1);
	if (strcmp(pos[0], "list") == 0) {
		if ((rc = account_list(m, m->md_store, &out, &err)) == 0) {
			if (as_json) {
				json_dumpf(out, stdout, JSON_INDENT(2));
				fputc('\n', stdout);
			} else {
				size_t i;
				json_t *a;
				json_array_foreach(out, i, a) {
					printf("%-5lld %-20s %-22s", (long long)json_integer_value(json_object_get(a, "id")),
					    json_string_value(json_object_get(a, "login")),
					    json_string_value(json_object_get(a, "state")));
					size_t j;
					json_t *r;
					json_array_foreach(json_object_get(a, "roles"), j, r)
						printf(" %s", json_string_value(r));
					printf("\n");
				}
			}
		}
	} else if (strcmp(pos[0], "create") == 0) {
		json_t *in = json_object();
		char *end;
		if (person == NULL || login == NULL || strtoll(person, &end, 10) <= 0 || *end != '\0') {
			json_decref(in);
			json_decref(roles);
			mamori_close(m);
			return cli_usage("account", "create needs --person ID and --login LOGIN");
		}
		json_object_set_new(in, "person_id", json_integer(strtoll(person, NULL, 10)));
		json_object_set_new(in, "login", json_string(login));
		if (json_array_size(roles) > 0)
			json_object_set(in, "roles", roles);
		rc = account_issue(m, m->md_store, &operator, &who, in, &out, &errors, &err);
		json_decref(in);
		if (rc == 0)
			printf("login: %s\npassword: %s\n", json_string_value(json_object_get(out, "login")),
			    json_string_value(json_object_get(out, "password")));
	} else if (npos < 2) {
		rc = cli_usage("account", "%s needs an ACCOUNT (login or number)", pos[0]);
		goto done;
	} else if ((rc = find_account(m, pos[1], &id)) != 0) {
		goto done;
	} else if (strcmp(pos[0], "reset-password") == 0) {
		char pw[ACCOUNT_ONE_TIME_PASSWORD_LEN + 1];
		if ((rc = account_reset_password(m, m->md_store, &who, id, pw, &err)) == 0)
			printf("login: %s\npassword: %s\n", pos[1], pw);
		mm_wipe(pw, sizeof(pw));
	} else if (strcmp(pos[0], "disable") == 0) {
		rc = account_disable(m, m->md_store, &who, id, reason, &err);
	} else if (strcmp(pos[0], "unlock") == 0) {
		rc = account_unlock(m, m->md_store, &who, id, &err);
	} else if (strcmp(pos[0], "mfa-reset") == 0) {
		rc = mfa_reset(m, m->md_store, &who, id, &err);
	} else if (strcmp(pos[0], "roles") == 0) {
		json_t *list = json_array();
		for (int i = 2; i < npos; i++)
			json_array_append_new(list, json_string(pos[i]));
		rc = account_set_roles(m, m->md_store, &operator, &who, id, list, &err);
		json_decref(list);
	} else {
		rc = cli_usage("account", "unknown subcommand '%s'", pos[0]);
		goto done;
	}
	if (rc != 0)
		rc = cli_print_errors("account", &err, errors);
	else
		errors = (json_decref(errors), NULL);
done:
	json_decref(roles);
	json_decref(out);
	mamori_close(m);
	return rc;
}
