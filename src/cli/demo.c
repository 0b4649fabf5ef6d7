/* mamori demo [--data DIR] [--listen ADDR:PORT]: a fresh demo company, then serve. */
#include "http/http.h"
#include "cli/cli.h"
#include "demo/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: mamori demo [--data DIR] [--listen ADDR:PORT]\n\n"
    "Creates a fresh demo company (サンプル商事株式会社) with realistic records, prints how to\n"
    "log in, and serves it. Without --data the demo lives in a new directory under /tmp;\n"
    "with --data, DIR must not exist yet.\n";

int
cmd_demo(int argc, char **argv)
{
	const char *data = NULL, *listen = "127.0.0.1:8080", *pos[1];
	struct cli_opt opts[] = {{"data", 1, &data}, {"listen", 1, &listen}, {NULL, 0, NULL}};
	struct mamori_init_result res;
	struct http_config cfg;
	struct mm_err err = {0};
	struct mm_actor who;
	struct mamori *m;
	char tmp[] = "/tmp/mamori-demo-XXXXXX", dir[64];
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("demo", argc, argv, opts, pos, 0, &npos)) != 0)
		return rc;
	if (data == NULL) {
		if (mkdtemp(tmp) == NULL) {
			perror("mamori demo: mkdtemp");
			return EXIT_FAIL;
		}
		snprintf(dir, sizeof(dir), "%s/data", tmp);
		data = dir;
	}
	cli_actor(&who);
	if (mamori_init(data, "ipa-sme", "officer", &who, &res, &err) != 0)
		return cli_fail("demo", &err);
	if ((rc = cli_open("demo", data, &m)) != 0)
		return rc;
	if (demo_populate(m, &who, &err) != 0) {
		mamori_close(m);
		return cli_fail("demo", &err);
	}
	printf("\n  mamori demo: サンプル商事株式会社\n"
	       "  URL:      http://%s/\n"
	       "  login:    %s\n"
	       "  password: %s\n"
	       "  data:     %s\n"
	       "  (stop with Ctrl-C)\n\n", listen, res.admin_login, res.admin_password, data);
	fflush(stdout);
	mm_wipe(&res, sizeof(res));
	cfg = (struct http_config){.listen = listen, .body_max = HTTP_BODY_MAX, .threads = 2};
	rc = cli_serve("demo", m, &cfg);
	mamori_close(m);
	return rc;
}
