/*
 * The HTTP layer over libmicrohttpd: requests with a capped body, responses with the security
 * headers, a router with {param} segments, and static files embedded in the binary. Handlers live
 * in src/api/ and never see libmicrohttpd.
 */
#ifndef MM_HTTP_H
#define MM_HTTP_H

#include "base/buf.h"
#include "core/mamori.h"

#include <jansson.h>

#define HTTP_MAX_PARAMS 4
#define HTTP_BODY_MAX (1024 * 1024) /* the largest request body; uploads get their own caps */
#define HTTP_UPLOAD_MAX (20 * 1024 * 1024) /* a ledger's CSV import */
/* the image of an identity document: the vault refuses above 5 MiB naming the field; this, any larger body */
#define HTTP_DOCUMENT_MAX (8 * 1024 * 1024)

struct http_request {
	const char *hr_method;
	const char *hr_path;
	void *hr_conn;         /* the MHD connection, for headers and query arguments */
	struct mm_buf hr_body; /* capped at the server's body_max */
	int hr_too_big;
	int hr_tls;
	char hr_client[64];    /* the peer's IP address */
	int64_t hr_started_ms;
	const char *hr_params[HTTP_MAX_PARAMS]; /* values of {name} segments, in order */
	char hr_param_buf[512];
};

struct http_response {
	int hs_status;
	const char *hs_type;  /* Content-Type */
	const char *hs_cache; /* Cache-Control; NULL: no-store */
	char *hs_body;        /* owned unless hs_static */
	size_t hs_len;
	int hs_static;
	char hs_allow[64];    /* Allow header for 405 */
	char hs_cookie[200];  /* Set-Cookie, when not empty */
	char hs_disposition[200]; /* Content-Disposition of a download, when not empty */
	char hs_csp[256];     /* this response's Content-Security-Policy; empty: the server's */
};

/* What a handler sees besides the request: the data directory and this thread's connection. */
struct http_ctx {
	struct mamori *hc_m;
	struct store *hc_store;
};

typedef void (*http_handler)(struct http_ctx *ctx, struct http_request *req,
    struct http_response *res);

/* A route: "GET" "/api/registers/{name}/records". A trailing "*" segment matches any rest of the path. */
struct http_route {
	const char *method;
	const char *pattern;
	http_handler handler;
};

struct http_config {
	const char *listen;   /* "127.0.0.1:8080" or "[::1]:8080" */
	const char *tls_cert; /* PEM files; both or neither */
	const char *tls_key;
	size_t body_max;      /* bytes */
	unsigned threads;
};

/*
 * Serves until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish and
 * returns 0. Prints "listening on URL" to stdout once ready.
 */
int http_serve(struct mamori *m, const struct http_config *cfg, const struct http_route *routes,
    size_t nroutes, struct mm_err *err);

/* Request accessors. */
const char *http_header(struct http_request *req, const char *name);
const char *http_query(struct http_request *req, const char *name);

/* Responses. http_json takes ownership of body. */
void http_json(struct http_response *res, int status, json_t *body);
void http_static(struct http_response *res, int status, const char *type, const void *data,
    size_t len, const char *cache);
/*
 * An application/problem+json error (RFC 9457). errors (may be NULL, ownership taken) is an
 * array of {field, message} naming each bad field.
 */
void http_problem(struct http_response *res, int status, const char *title, const char *detail,
    json_t *errors);
/* A problem for one bad field, from an mm_err (the status follows the error code). */
void http_problem_err(struct http_response *res, const struct mm_err *err);
/* The same with a chosen status and title. */
void http_problem_err_as(struct http_response *res, const struct mm_err *err, int status,
    const char *title);

/*
 * Parses the request body as a JSON object (Content-Type application/json, duplicate keys
 * refused). On failure answers 415 or 400 naming the line and column and returns NULL.
 */
json_t *http_json_body(struct http_request *req, struct http_response *res);

/* A cookie's value from the Cookie header, copied into out (size n); NULL when absent. */
const char *http_cookie(struct http_request *req, const char *name, char *out, size_t n);

/* The embedded web UI: index.html for "/", files under /assets/. 0 when served, -1 when absent. */
int http_static_asset(const char *path, struct http_response *res);

/* Matches path against a route pattern, filling req->hr_params. 1 on match. */
int http_route_match(const char *pattern, const char *path, struct http_request *req);

#endif
