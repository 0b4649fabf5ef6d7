/* mamori init [--data DIR] [--profile NAME] [--admin LOGIN] */
#include "cli/cli.h"
#include "crypto/crypto.h"

#include <stdio.h>

static const char help[] =
    "usage: mamori init [--data DIR] [--profile NAME] [--admin LOGIN]\n\n"
    "Creates a new data directory (mode 0700): the database, the key files (0600) and policy.ini\n"
    "copied from the chosen profile, and the first administrator (role security_officer).\n"
    "Prints the administrator's one-time password once; it must be changed at first login.\n"
    "Never overwrites an existing directory.\n\n"
    "  --profile NAME   ipa-sme (default, seed 004), standard-2016 (seed 002),\n"
    "                   iso-regulations (seed 001)\n"
    "  --admin LOGIN    the first administrator's login (default: officer)\n";

int
cmd_init(int argc, char **argv)
{
	const char *data = NULL, *profile = "ipa-sme", *admin = "officer", *pos[1];
	struct cli_opt opts[] = {{"data", 1, &data}, {"profile", 1, &profile}, {"admin", 1, &admin},
	    {NULL, 0, NULL}};
	struct mamori_init_result res;
	struct mm_err err = {0};
	struct mm_actor who;
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("init", argc, argv, opts, pos, 0, &npos)) != 0)
		return rc;
	cli_actor(&who);
	if (mamori_init(cli_data_dir(data), profile, admin, &who, &res, &err) != 0)
		return cli_fail("init", &err);
	printf("mamori: created %s with profile %s\n", cli_data_dir(data), profile);
	printf("login: %s\npassword: %s\n", res.admin_login, res.admin_password);
	printf("(this password is shown once and must be changed at the first login)\n");
	fflush(stdout);
	mm_wipe(&res, sizeof(res));
	return EXIT_OK;
}
