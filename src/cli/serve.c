/* mamori serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] */
#include "api/api.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>


static const char help[] =
    "usage: mamori serve [--data DIR] [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]\n"
    "                    [--threads N]\n\n"
    "Serves the web UI and the JSON API until SIGTERM or SIGINT (requests in flight finish).\n"
    "  --listen    address and port (default 127.0.0.1:8080); use [::1]:8080 for IPv6\n"
    "  --tls-cert  PEM certificate; with --tls-key (a 0600 file) serves HTTPS and sends HSTS\n"
    "  --threads   worker threads (default 2)\n";

/* Records a server start or stop on the audit trail (seed 001 §4.8.1: system logs). */
static int
audit_server(struct mamori *m, const char *action, const struct http_config *cfg, struct mm_err *err)
{
	struct mm_actor who;
	json_t *d = json_pack("{s:s, s:s, s:b}", "listen", cfg->listen, "version", MAMORI_VERSION,
	    "tls", cfg->tls_cert != NULL);
	char *details = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	int rc;

	json_decref(d);
	cli_actor(&who);
	if ((rc = store_begin(m->md_store, err)) == 0) {
		rc = mamori_audit(m, m->md_store, &who, &(struct audit_event){.action = action,
		    .target_type = "server", .target_id = cfg->listen, .access = AUDIT_UPDATE,
		    .outcome = "success", .details = details}, NULL, err);
		rc = rc == 0 ? store_commit(m->md_store, err) : (store_rollback(m->md_store), rc);
	}
	free(details);
	return rc;
}

int
cli_serve(const char *cmd, struct mamori *m, const struct http_config *cfg)
{
	struct mm_err err = {0};
	int rc;

	if (audit_server(m, "server.start", cfg, &err) != 0)
		return cli_fail(cmd, &err);
	rc = http_serve(m, cfg, api_routes, api_routes_count, &err);
	if (rc != 0) {
		struct mm_err e2 = {0};
		audit_server(m, "server.fail", cfg, &e2);
		return cli_fail(cmd, &err);
	}
	if (audit_server(m, "server.stop", cfg, &err) != 0)
		return cli_fail(cmd, &err);
	return EXIT_OK;
}

int
cmd_serve(int argc, char **argv)
{
	const char *data = NULL, *listen = "127.0.0.1:8080", *cert = NULL, *key = NULL,
		   *threads = "2", *pos[1];
	struct cli_opt opts[] = {{"data", 1, &data}, {"listen", 1, &listen}, {"tls-cert", 1, &cert},
	    {"tls-key", 1, &key}, {"threads", 1, &threads}, {NULL, 0, NULL}};
	struct http_config cfg;
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
	    .body_max = HTTP_BODY_MAX, .threads = (unsigned)nthreads};
	rc = cli_serve("serve", m, &cfg);
	mamori_close(m);
	return rc;
}
