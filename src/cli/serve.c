/* mamori serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] */
#include "api/api.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

#define BODY_MAX (1024 * 1024) /* the largest request body; uploads get their own caps later */

static const char help[] =
    "usage: mamori serve [--data DIR] [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]\n"
    "                    [--threads N]\n\n"
    "Serves the web UI and the JSON API until SIGTERM or SIGINT (requests in flight finish).\n"
    "  --listen    address and port (default 127.0.0.1:8080); use [::1]:8080 for IPv6\n"
    "  --tls-cert  PEM certificate; with --tls-key (a 0600 file) serves HTTPS and sends HSTS\n"
    "  --threads   worker threads (default 2)\n";

int
cmd_serve(int argc, char **argv)
{
	const char *data = NULL, *listen = "127.0.0.1:8080", *cert = NULL, *key = NULL,
		   *threads = "2", *pos[1];
	struct cli_opt opts[] = {{"data", 1, &data}, {"listen", 1, &listen}, {"tls-cert", 1, &cert},
	    {"tls-key", 1, &key}, {"threads", 1, &threads}, {NULL, 0, NULL}};
	struct http_config cfg;
	struct mm_err err = {0};
	struct mamori *m;
	char *end;
	long nthreads;
	int npos, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if ((rc = cli_parse("serve", argc, argv, opts, pos, 0, &npos)) != 0)
		return rc;
	nthreads = strtol(threads, &end, 10);
	if (*end != '\0' || nthreads < 1 || nthreads > 64)
		return cli_usage("serve", "--threads must be a number from 1 to 64");
	if ((rc = cli_open("serve", data, &m)) != 0)
		return rc;
	cfg = (struct http_config){.listen = listen, .tls_cert = cert, .tls_key = key,
	    .body_max = BODY_MAX, .threads = (unsigned)nthreads};
	rc = http_serve(m, &cfg, api_routes, api_routes_count, &err);
	mamori_close(m);
	return rc != 0 ? cli_fail("serve", &err) : EXIT_OK;
}
