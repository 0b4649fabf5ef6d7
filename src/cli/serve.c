/* mamori serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] */
#include "api/api.h"
#include "base/log.h"
#include "base/time.h"
#include "cli/cli.h"
#include "workflow/workflow.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often the scheduler looks at the clock: MAMORI_NOW may move it at any moment (tests). */
#define SCHEDULER_TICK_MS 1000


static const char help[] =
    "usage: mamori serve [--data DIR] [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]\n"
    "                    [--threads N]\n\n"
    "Serves the web UI and the JSON API until SIGTERM or SIGINT (requests in flight finish).\n"
    "  --listen    address and port (default 127.0.0.1:8080); use [::1]:8080 for IPv6\n"
    "  --tls-cert  PEM certificate; with --tls-key (a 0600 file) serves HTTPS and sends HSTS\n"
    "  --threads   worker threads (default 2)\n\n"
    "Every day at [mail] daily_at (Japan time) it sends the e-mail reminders of due and overdue\n"
    "duties and of violations, as `mamori remind` does (once a day; [mail] smtp_url unset: off).\n";

/*
 * The daily scheduler: a thread that wakes every SCHEDULER_TICK_MS, and once the Japan day's
 * daily_at has passed, runs that day's reminders (once per day in this process; the reminder table
 * makes a second run the same day send nothing new anyway, e.g. after a restart).
 */
struct scheduler {
	struct mamori *sc_m;
	pthread_t sc_thread;
	pthread_mutex_t sc_mu;
	pthread_cond_t sc_cv;
	int sc_stop;
	int sc_started;
	char sc_last_day[16]; /* the Japan date of the last run */
};

static void
scheduler_tick(struct scheduler *sc, struct store *st)
{
	const struct mm_actor who = {.login = "system:scheduler", .client = "local"};
	struct reminder_result res;
	struct mm_err err = {0};
	int64_t now = mm_now_ms(), local = now + MM_LOCAL_OFFSET_MS, minute;
	char t[MM_TIME_STRLEN], day[16];

	mm_time_format(local, t);
	snprintf(day, sizeof(day), "%.10s", t);
	minute = (local / 60000) % 1440;
	if (minute < policy_int(sc->sc_m->md_policy, POLICY_MAIL_DAILY_AT) || strcmp(day, sc->sc_last_day) == 0)
		return;
	/* once a day, whatever the outcome: a failed message is retried by the next day's run or by
	 * `mamori remind` */
	snprintf(sc->sc_last_day, sizeof(sc->sc_last_day), "%s", day);
	if (reminders_run(sc->sc_m, st, &who, now, 0, NULL, &res, &err) != 0)
		mm_log_error("reminders of %s: %s", day, err.msg);
	else
		mm_log_info("reminders of %s: %d sent, %d failed, %d already sent, %d without an address", day,
		    res.sent, res.failed, res.already, res.no_address);
}

static void *
scheduler_main(void *arg)
{
	struct scheduler *sc = arg;
	struct store *st = NULL;
	struct mm_err err = {0};

	if (mamori_store_open(sc->sc_m, &st, &err) != 0) {
		mm_log_error("reminders: cannot open the database: %s", err.msg);
		return NULL;
	}
	pthread_mutex_lock(&sc->sc_mu);
	while (!sc->sc_stop) {
		struct timespec until;
		pthread_mutex_unlock(&sc->sc_mu);
		scheduler_tick(sc, st);
		pthread_mutex_lock(&sc->sc_mu);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += SCHEDULER_TICK_MS / 1000;
		until.tv_nsec += (SCHEDULER_TICK_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (!sc->sc_stop)
			pthread_cond_timedwait(&sc->sc_cv, &sc->sc_mu, &until);
	}
	pthread_mutex_unlock(&sc->sc_mu);
	store_close(st);
	return NULL;
}

/* Starts the scheduler when the profile sets mail up and a time of day; logs why not otherwise. */
static void
scheduler_start(struct scheduler *sc, struct mamori *m)
{
	const struct policy *p = m->md_policy;
	pthread_condattr_t ca;
	sigset_t all, old;

	memset(sc, 0, sizeof(*sc));
	sc->sc_m = m;
	if (!reminders_configured(p) || policy_is_unset(p, POLICY_MAIL_DAILY_AT)) {
		mm_log_info("reminders: off (set [mail] smtp_url, from and daily_at in policy.ini)");
		return;
	}
	pthread_mutex_init(&sc->sc_mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sc->sc_cv, &ca);
	pthread_condattr_destroy(&ca);
	/* SIGTERM and SIGINT belong to the main thread's sigwait: the scheduler blocks every signal */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	sc->sc_started = pthread_create(&sc->sc_thread, NULL, scheduler_main, sc) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (sc->sc_started)
		mm_log_info("reminders: every day at %s (Japan time) through %s",
		    policy_value_text(p, POLICY_MAIL_DAILY_AT), policy_text(p, POLICY_MAIL_SMTP_URL));
	else
		mm_log_error("reminders: cannot start the scheduler thread");
}

/* Stops the scheduler (a run in progress finishes first) and waits for it. */
static void
scheduler_stop(struct scheduler *sc)
{
	if (!sc->sc_started)
		return;
	pthread_mutex_lock(&sc->sc_mu);
	sc->sc_stop = 1;
	pthread_cond_signal(&sc->sc_cv);
	pthread_mutex_unlock(&sc->sc_mu);
	pthread_join(sc->sc_thread, NULL);
	pthread_cond_destroy(&sc->sc_cv);
	pthread_mutex_destroy(&sc->sc_mu);
	sc->sc_started = 0;
}

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
	struct scheduler sc;
	int rc;

	if (audit_server(m, "server.start", cfg, &err) != 0)
		return cli_fail(cmd, &err);
	scheduler_start(&sc, m);
	rc = http_serve(m, cfg, api_routes, api_routes_count, &err);
	scheduler_stop(&sc);
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
