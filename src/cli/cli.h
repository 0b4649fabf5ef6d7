/* Shared pieces of the command-line interface: options, errors and exit codes (design.md). */
#ifndef MM_CLI_H
#define MM_CLI_H

#include "core/mamori.h"

#include <jansson.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_FINDINGS = 3 };

/* One option a command accepts. value receives the argument (or "1" for a flag). */
struct cli_opt {
	const char *name; /* without the dashes: "data" */
	int takes_value;
	const char **value;
};

/*
 * Parses argv (after the command name) against opts; the rest are positional arguments, returned
 * in pos (at most max_pos). "--name value", "--name=value" and "--" are understood. Prints a
 * message naming the problem and returns EXIT_USAGE on unknown options or too many arguments.
 */
int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts, const char **pos,
    int max_pos, int *npos);

/* The data directory: --data, else $MAMORI_DATA, else ./var. */
const char *cli_data_dir(const char *opt);

/* Prints err as "mamori CMD: field: message" and returns the exit code for it (2 for bad input). */
int cli_fail(const char *cmd, const struct mm_err *err);

/* Prints a usage error and returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Opens the data directory or prints why not. Returns 0 or an exit code. */
int cli_open(const char *cmd, const char *data_opt, struct mamori **m);

/* The local operator: "cli:USER", client "local". */
void cli_actor(struct mm_actor *a);

/* Commands. Each returns an exit code. */
int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_journal(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_people(int argc, char **argv);
int cmd_account(int argc, char **argv);
int cmd_register(int argc, char **argv);
int cmd_mynumber(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_remind(int argc, char **argv);
int cmd_approval(int argc, char **argv);

/* Prints field errors (one per line, English and Japanese); EXIT_USAGE, or cli_fail without a list. */
int cli_print_errors(const char *cmd, const struct mm_err *err, json_t *errors);
/* Reads one JSON object from stdin; NULL (with a message) when it is not one. */
json_t *cli_read_json(const char *cmd);

/* Serves until SIGTERM, with server.start and server.stop on the audit trail. */
struct http_config;
int cli_serve(const char *cmd, struct mamori *m, const struct http_config *cfg);

/* 1 when argv holds --help or -h (then the command prints its help and exits 0). */
int cli_wants_help(int argc, char **argv);

/*
 * Opens the file of an export before it is made (an export that cannot be saved is neither made
 * nor audited): path must not exist yet, an export never overwrites a file; stdout when path is
 * NULL. NULL with a message naming cmd.
 */
FILE *cli_out_open(const char *cmd, const char *path);
/*
 * Writes b to f (from cli_out_open) and closes it. b NULL (the export failed), or a failed write,
 * removes the file made. EXIT_OK, or EXIT_FAIL with a message naming cmd.
 */
struct mm_buf;
int cli_out_close(const char *cmd, const char *path, FILE *f, const struct mm_buf *b);

#endif
