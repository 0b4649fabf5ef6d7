/*
 * libmicrohttpd glue. The request-context idiom keeps keep-alive working (spec/stack-research.md
 * §2: a response queued on the first call, which carries only the headers, makes MHD close the
 * connection): the first call allocates the context, middle calls collect the capped body, and
 * the last call dispatches and queues the response.
 */
#include "http/http.h"
#include "base/fs.h"
#include "base/log.h"
#include "base/str.h"
#include "base/time.h"
#include "crypto/crypto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "        \
	    "form-action 'self'; frame-ancestors 'none'"

struct server {
	struct mamori *sv_m;
	const struct http_route *sv_routes;
	size_t sv_nroutes;
	size_t sv_body_max;
	int sv_tls;
	pthread_key_t sv_store_key; /* each MHD thread has its own database connection */
};

static void
close_thread_store(void *p)
{
	store_close(p);
}

static struct store *
thread_store(struct server *sv)
{
	struct store *st = pthread_getspecific(sv->sv_store_key);
	struct mm_err err = {0};

	if (st == NULL) {
		if (mamori_store_open(sv->sv_m, &st, &err) != 0) {
			mm_log_error("cannot open the database: %s", err.msg);
			return NULL;
		}
		pthread_setspecific(sv->sv_store_key, st);
	}
	return st;
}

const char *
http_header(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->hr_conn, MHD_HEADER_KIND, name);
}

const char *
http_query(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->hr_conn, MHD_GET_ARGUMENT_KIND, name);
}

static void
dispatch(struct server *sv, struct http_request *req, struct http_response *res)
{
	struct http_ctx ctx = {.hc_m = sv->sv_m};
	int path_known = 0;

	if (req->hr_too_big) {
		http_problem(res, 413, "Content too large", "the request body is larger than allowed", NULL);
		return;
	}
	for (size_t i = 0; i < sv->sv_nroutes; i++) {
		const struct http_route *r = &sv->sv_routes[i];
		if (!http_route_match(r->pattern, req->hr_path, req))
			continue;
		if (strcmp(r->method, req->hr_method) != 0) {
			size_t used = strlen(res->hs_allow);
			if (used + strlen(r->method) + 3 < sizeof(res->hs_allow))
				snprintf(res->hs_allow + used, sizeof(res->hs_allow) - used, "%s%s",
				    used ? ", " : "", r->method);
			path_known = 1;
			continue;
		}
		if ((ctx.hc_store = thread_store(sv)) == NULL) {
			http_problem(res, 503, "Unavailable", "the database cannot be opened", NULL);
			return;
		}
		r->handler(&ctx, req, res);
		return;
	}
	if (path_known) {
		http_problem(res, 405, "Method not allowed", NULL, NULL);
		return;
	}
	if ((strcmp(req->hr_method, "GET") == 0 || strcmp(req->hr_method, "HEAD") == 0) &&
	    strncmp(req->hr_path, "/api/", 5) != 0 && http_static_asset(req->hr_path, res) == 0)
		return;
	http_problem(res, 404, "Not found", NULL, NULL);
}

static void
add_security_headers(struct server *sv, struct MHD_Response *r, const struct http_response *res)
{
	/* a page with its own policy (the compliance report: its style element by hash) */
	MHD_add_response_header(r, "Content-Security-Policy", res->hs_csp[0] ? res->hs_csp : CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	if (sv->sv_tls)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	MHD_add_response_header(r, "Cache-Control", res->hs_cache ? res->hs_cache : "no-store");
	if (res->hs_type)
		MHD_add_response_header(r, "Content-Type", res->hs_type);
	if (res->hs_allow[0])
		MHD_add_response_header(r, "Allow", res->hs_allow);
	if (res->hs_cookie[0])
		MHD_add_response_header(r, "Set-Cookie", res->hs_cookie);
	if (res->hs_disposition[0])
		MHD_add_response_header(r, "Content-Disposition", res->hs_disposition);
}

/* Uploads (a ledger's CSV import, the image of an identity document) may be larger than any JSON body. */
static size_t
body_cap(const struct server *sv, const char *method, const char *url)
{
	size_t n = strlen(url);

	if (strcmp(method, "POST") == 0 && strncmp(url, "/api/registers/", 15) == 0 && n > 7 &&
	    strcmp(url + n - 7, "/import") == 0)
		return HTTP_UPLOAD_MAX;
	if (strcmp(method, "POST") == 0 && strncmp(url, "/api/mynumber/subjects/", 23) == 0 && n > 10 &&
	    strcmp(url + n - 10, "/documents") == 0)
		return HTTP_DOCUMENT_MAX;
	return sv->sv_body_max;
}

static int
announced_too_big(struct MHD_Connection *conn, size_t max)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	char *end;
	unsigned long long n;

	if (cl == NULL)
		return 0;
	n = strtoull(cl, &end, 10);
	return *end == '\0' && n > max;
}

/*
 * Frees a response body once sent, wiping it first: a body may hold a revealed number or a document
 * image, which must not linger in freed heap memory (glibc's malloc_usable_size covers the block).
 */
static void
wipe_free(void *body)
{
	if (body == NULL)
		return;
	mm_wipe(body, malloc_usable_size(body));
	free(body);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *sv = cls;
	struct http_request *req = *con_cls;
	struct http_response res = {0};
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)version;
	if (req == NULL) {
		const union MHD_ConnectionInfo *ci;

		if ((req = calloc(1, sizeof(*req))) == NULL)
			return MHD_NO;
		mm_buf_init(&req->hr_body, body_cap(sv, method, url));
		req->hr_started_ms = mm_now_ms();
		req->hr_tls = sv->sv_tls;
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, req->hr_client,
				    sizeof(req->hr_client));
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
				    req->hr_client, sizeof(req->hr_client));
		}
		*con_cls = req;
		/* refuse an announced oversize body at once instead of reading it first */
		if (!announced_too_big(conn, req->hr_body.b_max))
			return MHD_YES;
		req->hr_too_big = 1;
		*upload_size = 0;
	} else if (*upload_size > 0) {
		if (!req->hr_too_big && mm_buf_append(&req->hr_body, upload, *upload_size) != 0)
			req->hr_too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	req->hr_method = method;
	req->hr_path = url;
	req->hr_conn = conn;
	dispatch(sv, req, &res);
	r = res.hs_static ? MHD_create_response_from_buffer(res.hs_len, res.hs_body, MHD_RESPMEM_PERSISTENT)
	                  : MHD_create_response_from_buffer_with_free_callback(res.hs_len, res.hs_body, wipe_free);
	if (r == NULL) {
		if (!res.hs_static)
			free(res.hs_body);
		return MHD_NO;
	}
	add_security_headers(sv, r, &res);
	ret = MHD_queue_response(conn, (unsigned)res.hs_status, r);
	MHD_destroy_response(r);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_request *req = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	mm_buf_free(&req->hr_body); /* wipes: bodies may hold passwords */
	free(req);
	*con_cls = NULL;
}

/* "127.0.0.1:8080", "[::1]:8080" → socket address. */
static int
parse_listen(const char *listen, struct sockaddr_storage *ss, struct mm_err *err)
{
	char host[128];
	const char *colon;
	long port;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');
		if (close == NULL || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof(host))
			goto bad;
		memcpy(host, listen + 1, (size_t)(close - listen - 1));
		host[close - listen - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
			goto bad;
		memcpy(host, listen, (size_t)(colon - listen));
		host[colon - listen] = '\0';
	}
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 1 || port > 65535)
		goto bad;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		return 0;
	}
bad:
	return mm_err_set(err, MM_EINVAL, "listen",
	    "listen must be ADDRESS:PORT with a numeric address, e.g. 127.0.0.1:8080 or [::1]:8080");
}

int
http_serve(struct mamori *m, const struct http_config *cfg, const struct http_route *routes,
    size_t nroutes, struct mm_err *err)
{
	struct server sv = {.sv_m = m, .sv_routes = routes, .sv_nroutes = nroutes,
	    .sv_body_max = cfg->body_max};
	struct sockaddr_storage ss;
	struct mm_buf cert, key;
	struct MHD_Daemon *d;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	sigset_t set;
	int rc = 0, sig;

	if ((rc = parse_listen(cfg->listen, &ss, err)) != 0)
		return rc;
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL))
		return mm_err_set(err, MM_EINVAL, "tls", "--tls-cert and --tls-key go together");
	mm_buf_init(&cert, 1 << 20);
	mm_buf_init(&key, 1 << 16);
	if (cfg->tls_cert) {
		if ((rc = mm_fs_read(cfg->tls_cert, &cert, err)) != 0 ||
		    (rc = mm_fs_check_private(cfg->tls_key, err)) != 0 ||
		    (rc = mm_fs_read(cfg->tls_key, &key, err)) != 0)
			goto out;
		flags |= MHD_USE_TLS;
		sv.sv_tls = 1;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	pthread_key_create(&sv.sv_store_key, close_thread_store);
	/* the MHD threads inherit this mask, so only sigwait below sees SIGTERM and SIGINT */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &sv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 2u,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, &sv,
	    MHD_OPTION_CONNECTION_LIMIT, 512u,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    sv.sv_tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert.b_data,
	    MHD_OPTION_HTTPS_MEM_KEY, key.b_data,
	    MHD_OPTION_END);
	if (d == NULL) {
		rc = mm_err_set(err, MM_EIO, "listen", "cannot listen on %s (in use, or not an address of "
		    "this machine%s)", cfg->listen, sv.sv_tls ? ", or a bad certificate or key" : "");
		goto out_key;
	}
	printf("mamori %s: listening on %s://%s/\n", MAMORI_VERSION, sv.sv_tls ? "https" : "http",
	    cfg->listen);
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	mm_log_info("signal %d: stopping (requests in flight finish first)", sig);
	MHD_stop_daemon(d);
out_key:
	pthread_key_delete(sv.sv_store_key);
out:
	mm_buf_free(&cert);
	mm_buf_free(&key); /* wipes the TLS key, as OpenBSD httpd does */
	return rc;
}
