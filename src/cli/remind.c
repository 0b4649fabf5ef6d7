/*
 * mamori remind: sends today's e-mail reminders of due and overdue duties and of violations now
 * (for cron or a systemd timer; `mamori serve` does the same every day at [mail] daily_at).
 */
#include "base/time.h"
#include "cli/cli.h"
#include "workflow/workflow.h"

#include <stdio.h>

static const char help[] =
    "usage: mamori remind [--data DIR] [--dry-run]\n\n"
    "Sends today's reminders (Japan day): each due or overdue duty to the accounts holding its\n"
    "owner role, each violation to the roles of [mail] violations_to; one message per account whose\n"
    "person has an e-mail address. An account already reminded today is skipped, so a second run the\n"
    "same day sends nothing new. SMTP: [mail] smtp_url and from in policy.ini; an AUTH password goes\n"
    "in keys/smtp.password (mode 0600), never in policy.ini.\n"
    "  --dry-run  prints the messages that would be sent, and sends nothing\n"
    "exit codes: 0 done (also when nothing was due), 1 a message failed or mail is not set up.\n";

int
cmd_remind(int argc, char **argv)
{
	const char *data = NULL, *dry = NULL, *pos[1];
	struct cli_opt opts[] = {{"data", 1, &data}, {"dry-run", 0, &dry}, {NULL, 0, NULL}};
	struct reminder_result res;
	struct mm_err err = {0};
	struct mm_actor who;
	struct mamori *m;
	json_t *plan = NULL, *e;
	size_t i;
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("remind", argc, argv, opts, pos, 0, &npos)) != 0)
		return rc;
	if ((rc = cli_open("remind", data, &m)) != 0)
		return rc;
	cli_actor(&who);
	if (reminders_run(m, m->md_store, &who, mm_now_ms(), dry != NULL, &plan, &res, &err) != 0) {
		/* mail not set up is not bad usage of this command: exit 1, so cron reports it */
		cli_fail("remind", &err);
		mamori_close(m);
		return EXIT_FAIL;
	}
	json_array_foreach(plan, i, e) {
		const char *outcome = json_string_value(json_object_get(e, "outcome"));
		printf("%s %s <%s>: %lld 件  %s\n", outcome, json_string_value(json_object_get(e, "login")),
		    json_string_value(json_object_get(e, "to")), (long long)json_integer_value(json_object_get(e, "items")),
		    json_string_value(json_object_get(e, "subject")));
		if (dry)
			printf("\n%s\n", json_string_value(json_object_get(e, "body")));
	}
	if (dry)
		printf("dry run: %zu message(s) would be sent, %d account(s) already reminded today, %d without an"
		       " e-mail address; nothing sent\n",
		    json_array_size(plan) - (size_t)res.already, res.already, res.no_address);
	else
		printf("reminders: %d sent, %d failed, %d already sent today, %d without an e-mail address\n",
		    res.sent, res.failed, res.already, res.no_address);
	json_decref(plan);
	mamori_close(m);
	return res.failed > 0 ? EXIT_FAIL : EXIT_OK;
}
