/*
 * mamori approval: the approval engine from the command line (src/workflow/approvals.c). The local
 * operator lists, shows and requests; a decision is made --as an account, so that the rules of
 * self-approval and of the step's role apply to a real person.
 */
#include "auth/account.h"
#include "base/time.h"
#include "cli/cli.h"
#include "workflow/approvals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: mamori approval types [--data DIR] [--json]\n"
    "       mamori approval list [--box inbox|mine|all] [--as LOGIN] [--data DIR] [--json]\n"
    "       mamori approval show ID [--data DIR]\n"
    "       mamori approval request --type TYPE [--class CLASS] --subject TEXT --title TEXT\n"
    "                               [--detail TEXT] [--due-on YYYY-MM-DD] [--payload JSON]\n"
    "                               [--as LOGIN] [--data DIR]\n"
    "       mamori approval decide ID --decision approved|rejected [--comment TEXT] --as LOGIN "
    "[--data DIR]\n"
    "       mamori approval withdraw ID [--as LOGIN] [--data DIR]\n\n"
    "types     every request type with the roles of each step of its route under the profile.\n"
    "list      requests, newest first (default box: all for the local operator, inbox with --as).\n"
    "show      one request with its route, decisions and the snapshots kept at each of them.\n"
    "request   makes a request (subject register:NAME:ID for a ledger record, or free text).\n"
    "          account_issuance takes --payload '{\"person_id\":N,\"login\":\"..\",\"roles\":[..]}',\n"
    "          mynumber_it_access --payload '{\"login\":\"..\",\"reason\":\"..\",\"ends_at\":\"..\"}':\n"
    "          their approval issues the account (printing its one-time password) or the grant.\n"
    "decide    decides the current step as the account LOGIN: never one's own request, only with\n"
    "          the step's role. Audited.\n"
    "withdraw  withdraws a pending request; only its requester.\n";

/* The principal and actor of --as LOGIN, or of the local operator. */
static int
acting(const char *as, struct mamori *m, struct principal *pr, struct mm_actor *who, char *login,
    size_t n)
{
	struct account a;
	struct mm_err err = {0};

	memset(pr, 0, sizeof(*pr));
	cli_actor(who);
	if (as == NULL) {
		pr->pr_local_operator = 1;
		snprintf(pr->pr_login, sizeof(pr->pr_login), "%s", who->login);
		return 0;
	}
	if (account_load(m, m->md_store, as, 0, &a, &err) != 0)
		return cli_fail("approval", &err);
	if (a.ac_disabled || account_access_ended(&a, mm_now_ms())) {
		account_clear(&a);
		fprintf(stderr, "mamori approval: the account %s is disabled\n", as);
		return EXIT_FAIL;
	}
	pr->pr_account_id = a.ac_id;
	pr->pr_roles = a.ac_roles;
	snprintf(pr->pr_login, sizeof(pr->pr_login), "%s", a.ac_login);
	snprintf(login, n, "%s", a.ac_login);
	who->login = login;
	account_clear(&a);
	return 0;
}

static void
print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
}

static void
print_item(const json_t *r)
{
	printf("%5lld  %-9s%s  %-10s  %s：%s  申請者 %s\n",
	    (long long)json_integer_value(json_object_get(r, "id")),
	    json_string_value(json_object_get(r, "state")),
	    json_is_true(json_object_get(r, "overdue")) ? "(期限超過)" : "",
	    json_string_value(json_object_get(r, "type")),
	    json_string_value(json_object_get(r, "type_title")),
	    json_string_value(json_object_get(r, "title")),
	    json_string_value(json_object_get(r, "requested_by")));
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long n = s ? strtoll(s, &end, 10) : 0;

	if (s == NULL || *end != '\0' || n <= 0)
		return cli_usage("approval", "ID is a request number");
	*id = n;
	return 0;
}

int
cmd_approval(int argc, char **argv)
{
	const char *data = NULL, *as_json = NULL, *as = NULL, *box_name = NULL, *pos[2];
	struct approval_new n = {0};
	const char *decision = NULL, *comment = NULL, *payload = NULL;
	struct cli_opt opts[] = {{"data", 1, &data}, {"json", 0, &as_json}, {"as", 1, &as},
	    {"box", 1, &box_name}, {"type", 1, &n.type}, {"class", 1, &n.cls},
	    {"subject", 1, &n.subject}, {"title", 1, &n.title}, {"detail", 1, &n.detail},
	    {"due-on", 1, &n.due_on}, {"decision", 1, &decision}, {"comment", 1, &comment},
	    {"payload", 1, &payload},
	    {NULL, 0, NULL}};
	struct principal pr;
	struct mm_actor who;
	struct mm_err err = {0};
	struct mamori *m;
	enum approval_box box;
	char login[64] = "";
	json_t *out = NULL, *result = NULL;
	int64_t id = 0;
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("approval", argc, argv, opts, pos, 2, &npos)) != 0)
		return rc;
	if (npos == 0)
		return cli_usage(
		    "approval", "expected types, list, show, request, decide or withdraw");
	if ((strcmp(pos[0], "show") == 0 || strcmp(pos[0], "decide") == 0 ||
	        strcmp(pos[0], "withdraw") == 0)) {
		if (npos != 2)
			return cli_usage("approval", "approval %s needs the request ID", pos[0]);
		if ((rc = parse_id(pos[1], &id)) != 0)
			return rc;
	} else if (npos != 1) {
		return cli_usage("approval", "too many arguments");
	}
	if (strcmp(pos[0], "decide") == 0 && (as == NULL || decision == NULL))
		return cli_usage("approval", "approval decide needs --decision and --as LOGIN");
	if (strcmp(pos[0], "types") != 0 && strcmp(pos[0], "list") != 0 &&
	    strcmp(pos[0], "show") != 0 && strcmp(pos[0], "request") != 0 &&
	    strcmp(pos[0], "decide") != 0 && strcmp(pos[0], "withdraw") != 0)
		return cli_usage("approval", "unknown subcommand %s", pos[0]);
	if (approval_box_parse(box_name ? box_name : as ? "inbox" : "all", &box, &err) != 0)
		return cli_usage("approval", "--box is inbox, mine or all");
	if (payload && (n.payload = json_loads(payload, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return cli_usage("approval", "--payload is a JSON object");
	if ((rc = cli_open("approval", data, &m)) != 0) {
		json_decref(n.payload);
		return rc;
	}
	if ((rc = acting(as, m, &pr, &who, login, sizeof(login))) != 0)
		goto done;
	rc = 0;
	if (strcmp(pos[0], "types") == 0) {
		out = approval_types_json(m->md_policy);
	} else if (strcmp(pos[0], "list") == 0) {
		rc = approval_list(m, m->md_store, &pr, mm_now_ms(), box, &out, &err);
	} else if (strcmp(pos[0], "show") == 0) {
		rc = approval_get(m, m->md_store, &pr, mm_now_ms(), id, &out, &err);
	} else if (strcmp(pos[0], "request") == 0) {
		if ((rc = approval_request(
		         m, m->md_store, &pr, &who, mm_now_ms(), &n, &id, &err)) == 0)
			rc = approval_get(m, m->md_store, &pr, mm_now_ms(), id, &out, &err);
	} else if (strcmp(pos[0], "decide") == 0) {
		if ((rc = approval_decide(m, m->md_store, &pr, &who, mm_now_ms(), id, decision,
		         comment, &result, &err)) == 0 &&
		    (rc = approval_get(m, m->md_store, &pr, mm_now_ms(), id, &out, &err)) == 0 && result)
			json_object_set(out, "result", result);
	} else {
		if ((rc = approval_withdraw(m, m->md_store, &pr, &who, mm_now_ms(), id, &err)) == 0)
			rc = approval_get(m, m->md_store, &pr, mm_now_ms(), id, &out, &err);
	}
	if (rc != 0) {
		rc = cli_fail("approval", &err);
	} else if (as_json || (strcmp(pos[0], "list") != 0 && strcmp(pos[0], "types") != 0)) {
		print_json(out);
	} else if (strcmp(pos[0], "list") == 0) {
		size_t i;
		json_t *r;
		json_array_foreach(out, i, r) print_item(r);
	} else {
		size_t i;
		json_t *t;
		json_array_foreach(out, i, t)
		{
			char *routes = json_dumps(json_object_get(t, "routes"), JSON_COMPACT);
			printf("%-22s %s  [%s]\n    %s\n",
			    json_string_value(json_object_get(t, "code")),
			    json_string_value(json_object_get(t, "title")),
			    json_string_value(json_object_get(t, "source")), routes ? routes : "");
			free(routes);
		}
	}
done:
	json_decref(result);
	json_decref(n.payload);
	json_decref(out);
	mamori_close(m);
	return rc;
}
