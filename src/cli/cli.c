#include "cli/cli.h"
#include "base/buf.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mamori %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see: mamori %s --help)\n", cmd);
	return EXIT_USAGE;
}

int
cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts, const char **pos,
    int max_pos, int *npos)
{
	int only_pos = 0;

	*npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq;
		size_t nlen;
		const struct cli_opt *o;

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (*npos >= max_pos)
				return cli_usage(cmd, "unexpected argument '%s'", a);
			pos[(*npos)++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (a[1] != '-')
			return cli_usage(cmd, "unknown option '%s'", a);
		a += 2;
		eq = strchr(a, '=');
		nlen = eq ? (size_t)(eq - a) : strlen(a);
		for (o = opts; o->name; o++)
			if (strlen(o->name) == nlen && strncmp(o->name, a, nlen) == 0)
				break;
		if (o->name == NULL)
			return cli_usage(cmd, "unknown option '--%.*s'", (int)nlen, a);
		if (!o->takes_value) {
			if (eq)
				return cli_usage(cmd, "option '--%s' takes no value", o->name);
			*o->value = "1";
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return cli_usage(cmd, "option '--%s' needs a value", o->name);
		}
	}
	return 0;
}

const char *
cli_data_dir(const char *opt)
{
	const char *env = getenv("MAMORI_DATA");

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return "./var";
}

int
cli_fail(const char *cmd, const struct mm_err *err)
{
	if (err->field[0] && strstr(err->msg, err->field) != err->msg)
		fprintf(stderr, "mamori %s: %s: %s\n", cmd, err->field, err->msg);
	else
		fprintf(stderr, "mamori %s: %s\n", cmd, err->msg[0] ? err->msg : mm_strerror(err->code));
	return err->code == MM_EINVAL ? EXIT_USAGE : EXIT_FAIL;
}

int
cli_open(const char *cmd, const char *data_opt, struct mamori **m)
{
	struct mm_err err = {0};

	if (mamori_open(cli_data_dir(data_opt), m, &err) != 0)
		return cli_fail(cmd, &err);
	return 0;
}

void
cli_actor(struct mm_actor *a)
{
	static char login[80];
	struct passwd *pw = getpwuid(geteuid());

	snprintf(login, sizeof(login), "cli:%s", pw && pw->pw_name ? pw->pw_name : "unknown");
	a->login = login;
	a->client = "local";
}

int
cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

FILE *
cli_out_open(const char *cmd, const char *path)
{
	FILE *f = path ? fopen(path, "wbx") : stdout;

	if (f == NULL)
		fprintf(stderr, "mamori %s: --output: cannot create %s (it may exist already)\n", cmd, path);
	return f;
}

int
cli_out_close(const char *cmd, const char *path, FILE *f, const struct mm_buf *b)
{
	int bad = 0;

	if (b != NULL)
		bad = fwrite(b->b_data ? b->b_data : "", 1, b->b_len, f) != b->b_len;
	bad |= path ? fclose(f) != 0 : fflush(f) != 0;
	if (b != NULL && bad)
		fprintf(stderr, "mamori %s: cannot write %s\n", cmd, path ? path : "the output");
	if (path && (b == NULL || bad))
		unlink(path);
	return b != NULL && !bad ? EXIT_OK : EXIT_FAIL;
}
