/* mamori: the command-line entry point. One file per command group; this one only dispatches. */
#include "base/log.h"
#include "cli/cli.h"
#include "crypto/crypto.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
    {"init", cmd_init, "create a new data directory (database, keys, profile, first administrator)"},
    {"serve", cmd_serve, "serve the web UI and the JSON API"},
    {"demo", cmd_demo, "a fresh demo company (サンプル商事株式会社), then serve it"},
    {"policy", cmd_policy, "show the policy profile in force (policy show)"},
    {"audit", cmd_audit, "verify the audit trail or print a signed checkpoint"},
    {"journal", cmd_journal, "add to or list the operation journal (運用日誌)"},
    {"people", cmd_people, "people (従業員等): list, show, add, edit"},
    {"account", cmd_account, "mamori accounts: create, list, reset-password, disable, unlock, roles"},
    {"mynumber", cmd_mynumber, "the My Number vault (特定個人情報): check, add, list, import, queue, keys"},
    {"check", cmd_check, "overdue duties and violations (exit 3 when some); the duties calendar"},
    {"remind", cmd_remind, "send today's e-mail reminders of duties and violations (--dry-run)"},
    {"approval", cmd_approval, "approval requests (申請・承認): types, list, show, request, decide, withdraw"},
    {"register", cmd_register, "the ledgers (台帳): list, schema, get, add, edit, delete, history, export, import"},
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "mamori %s — information security management for small companies (守り)\n\n"
	    "usage: mamori COMMAND [options]   (mamori COMMAND --help for details)\n\n"
	    "commands:\n", MAMORI_VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
	    "\nevery command takes --data DIR (default: $MAMORI_DATA, else ./var).\n"
	    "MAMORI_NOW=2027-04-01T09:00:00+09:00 overrides the clock (tests, demos).\n"
	    "exit codes: 0 ok, 1 failure, 2 bad usage or input, 3 findings.\n");
}

int
main(int argc, char **argv)
{
#ifdef __GLIBC__
	/*
	 * glibc gives the top of the heap back to the kernel once 128 KiB of it are free, and a row or a
	 * request that frees about that much fetches it again at once: depending on the heap's layout, a
	 * bulk import of 100,000 subjects made 178,000 brk calls (docs/performance.md). Keep 64 MiB.
	 * Setting it also fixes the mmap threshold at 128 KiB, so a large buffer still goes straight
	 * back to the kernel when freed; secrets are wiped before they are freed either way.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
	/* everything mamori creates is private to its user: data, keys, database, WAL */
	umask(077);
	if (mm_crypto_init() != 0) {
		fprintf(stderr, "mamori: cannot initialise libsodium\n");
		return EXIT_FAIL;
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mamori %s\n", MAMORI_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "mamori: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
