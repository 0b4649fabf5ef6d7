/*
 * Unit tests of src/http (routing, problem responses, embedded assets) and of the promise that
 * api_routes[] and the OpenAPI document describe the same API.
 */
#include "unit.h"

#include "api/api.h"
#include "base/embed.h"
#include "crypto/crypto.h"
#include "http/http.h"

#include <ctype.h>
#include <jansson.h>

extern const struct mm_embedded mm_api_docs[];
extern const size_t mm_api_docs_count;
extern const struct mm_embedded mm_web[];
extern const size_t mm_web_count;

/* ---- routing ---- */

static int
match(const char *pattern, const char *path, struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	return http_route_match(pattern, path, req);
}

static void
test_route_exact(void **state)
{
	struct http_request req;

	(void)state;
	assert_true(match("/healthz", "/healthz", &req));
	assert_false(match("/healthz", "/healthz/", &req));
	assert_false(match("/healthz", "/health", &req));
	assert_false(match("/healthz", "/healthzz", &req));
	assert_false(match("/healthz", "/HEALTHZ", &req));
	assert_false(match("/healthz", "", &req));
	assert_false(match("/", "/healthz", &req));
	assert_true(match("/", "/", &req));
}

static void
test_route_params(void **state)
{
	struct http_request req;

	(void)state;
	assert_true(match("/api/registers/{name}/records/{id}", "/api/registers/assets/records/42",
	    &req));
	assert_string_equal(req.hr_params[0], "assets");
	assert_string_equal(req.hr_params[1], "42");
	assert_null(req.hr_params[2]);
	assert_true(match("/api/registers/{name}", "/api/registers/devices", &req));
	assert_string_equal(req.hr_params[0], "devices");
	assert_true(match("/{a}/{b}/{c}/{d}", "/1/22/333/4444", &req));
	assert_string_equal(req.hr_params[3], "4444");
}

static void
test_route_param_is_one_whole_segment(void **state)
{
	struct http_request req;

	(void)state;
	/* a parameter never spans a '/' and is never empty */
	assert_false(match("/api/registers/{name}/schema", "/api/registers/a/b/schema", &req));
	assert_false(match("/api/registers/{name}/schema", "/api/registers//schema", &req));
	assert_false(match("/api/registers/{name}", "/api/registers/", &req));
	assert_false(match("/api/registers/{name}", "/api/registers/assets/", &req));
	assert_false(match("/api/registers/{name}", "/api/registers", &req));
	assert_false(match("/api/registers/{name}/schema", "/api/registers/assets/schemas", &req));
	assert_false(match("/api/registers/{name}/schema", "/api/registers/assets", &req));
}

static void
test_route_too_many_or_too_long_params(void **state)
{
	struct http_request req;
	char path[700];

	(void)state;
	assert_false(match("/{a}/{b}/{c}/{d}/{e}", "/1/2/3/4/5", &req)); /* HTTP_MAX_PARAMS is 4 */
	/* longer than hr_param_buf: refused, not written past the buffer */
	snprintf(path, sizeof(path), "/api/registers/");
	memset(path + 15, 'x', 600);
	path[615] = '\0';
	assert_false(match("/api/registers/{name}", path, &req));
	path[15 + 500] = '\0';
	assert_true(match("/api/registers/{name}", path, &req));
	assert_int_equal(strlen(req.hr_params[0]), 500);
}

static void
test_route_trailing_star(void **state)
{
	struct http_request req;

	(void)state;
	assert_true(match("/assets/*", "/assets/index-abc.js", &req));
	assert_true(match("/assets/*", "/assets/fonts/noto.woff2", &req));
	assert_false(match("/assets/*", "/assets", &req));
	assert_false(match("/assets/*", "/asset/x.js", &req));
	assert_false(match("/assets/*", "/other/assets/x.js", &req));
	assert_true(
	    match("/api/registers/{name}/*", "/api/registers/assets/records/1/history", &req));
	assert_string_equal(req.hr_params[0], "assets");
}

/* ---- problem responses and assets ---- */

/* Parses a JSON response body and frees it. */
static json_t *
body_json(struct http_response *res)
{
	json_t *j;

	assert_false(res->hs_static);
	j = json_loadb(res->hs_body, res->hs_len, 0, NULL);
	free(res->hs_body);
	assert_non_null(j);
	return j;
}

static void
test_problem_names_the_field(void **state)
{
	struct http_response res = {0};
	struct mm_err err = {0};
	json_t *j, *e;

	(void)state;
	mm_err_set(&err, MM_EINVAL, "login", "login must be 3 to 32 characters");
	http_problem_err(&res, &err);
	assert_int_equal(res.hs_status, 422);
	assert_string_equal(res.hs_type, "application/problem+json");
	j = body_json(&res);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 422);
	e = json_array_get(json_object_get(j, "errors"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "field")), "login");
	assert_string_equal(json_string_value(json_object_get(e, "message")),
	    "login must be 3 to 32 characters");
	json_decref(j);
}

static void
test_problem_status_per_code(void **state)
{
	static const struct {
		int code, status;
	} map[] = {{MM_ENOTFOUND, 404}, {MM_EEXIST, 409}, {MM_EPERM, 403}, {MM_ETOOBIG, 413},
	    {MM_EBUSY, 503}, {MM_ESTORE, 500}, {MM_EIO, 500}};

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		struct http_response res = {0};
		struct mm_err err = {0};
		json_t *j;

		mm_err_set(&err, map[i].code, "", "detail");
		http_problem_err(&res, &err);
		assert_int_equal(res.hs_status, map[i].status);
		j = body_json(&res);
		assert_true(json_is_array(json_object_get(j, "errors"))); /* always present */
		json_decref(j);
	}
}

static void
test_internal_error_hides_details(void **state)
{
	struct http_response res = {0};
	struct mm_err err = {0};
	char *text;
	json_t *j;

	(void)state;
	mm_err_set(&err, MM_ESTORE, "", "step: no such table: /srv/mamori/var/mamori.db");
	http_problem_err(&res, &err);
	assert_int_equal(res.hs_status, 500);
	j = body_json(&res);
	text = json_dumps(j, 0);
	assert_null(strstr(text, "mamori.db"));
	assert_null(strstr(text, "no such table"));
	free(text);
	json_decref(j);
}

static void
test_static_asset_index_and_refusals(void **state)
{
	struct http_response res = {0};

	(void)state;
	assert_int_equal(http_static_asset("/", &res), 0);
	assert_int_equal(res.hs_status, 200);
	assert_string_equal(res.hs_type, "text/html; charset=utf-8");
	assert_string_equal(res.hs_cache, "no-cache"); /* a new release must be seen at once */
	assert_true(res.hs_static);
	assert_int_equal(http_static_asset("/index.html", &res), 0);
	assert_int_equal(http_static_asset("/no-such-file.js", &res), -1);
	assert_int_equal(http_static_asset("/assets/../index.html", &res), -1);
	assert_int_equal(http_static_asset("index.html", &res), -1);
}

static void
test_static_assets_under_assets_are_immutable(void **state)
{
	char path[UNIT_PATH_MAX];
	size_t found = 0;

	(void)state;
	/* Vite names these by content hash: cache them for a year */
	for (size_t i = 0; i < mm_web_count; i++) {
		struct http_response res = {0};
		if (strncmp(mm_web[i].path, "assets/", 7) != 0)
			continue;
		snprintf(path, sizeof(path), "/%s", mm_web[i].path);
		assert_int_equal(http_static_asset(path, &res), 0);
		assert_string_equal(res.hs_cache, "public, max-age=31536000, immutable");
		assert_int_equal(res.hs_len, mm_web[i].len);
		found++;
	}
	assert_true(found > 0);
}

/* ---- api_routes[] and openapi.json describe the same API ---- */

static json_t *
openapi(void)
{
	const struct mm_embedded *f =
	    mm_embedded_find(mm_api_docs, mm_api_docs_count, "openapi.json");
	json_error_t jerr;
	json_t *doc;

	assert_non_null(f);
	doc = json_loadb((const char *)f->data, f->len, 0, &jerr);
	if (doc == NULL)
		fail_msg("openapi.json line %d: %s", jerr.line, jerr.text);
	assert_true(json_is_object(json_object_get(doc, "paths")));
	return doc;
}

/* "GET" -> "get", as OpenAPI spells operations. */
static void
lower(char *out, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

static int
is_operation(const char *key)
{
	static const char *ops[] = {"get", "put", "post", "delete", "options", "head", "patch",
	    "trace"};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(key, ops[i]) == 0)
			return 1;
	return 0;
}

static void
test_every_route_is_documented(void **state)
{
	json_t *doc = openapi(), *paths = json_object_get(doc, "paths");
	char method[16];

	(void)state;
	assert_true(api_routes_count > 0);
	for (size_t i = 0; i < api_routes_count; i++) {
		json_t *item = json_object_get(paths, api_routes[i].pattern);
		lower(method, sizeof(method), api_routes[i].method);
		if (item == NULL || json_object_get(item, method) == NULL)
			fail_msg("%s %s is served but not in openapi.json", api_routes[i].method,
			    api_routes[i].pattern);
	}
	json_decref(doc);
}

static int
is_routed(const char *path, const char *op)
{
	char method[16];

	for (size_t i = 0; i < api_routes_count; i++) {
		lower(method, sizeof(method), api_routes[i].method);
		if (strcmp(api_routes[i].pattern, path) == 0 && strcmp(method, op) == 0)
			return 1;
	}
	return 0;
}

static void
test_every_documented_operation_is_routed(void **state)
{
	json_t *doc = openapi(), *paths = json_object_get(doc, "paths"), *item, *v;
	const char *path, *key;
	size_t operations = 0;

	(void)state;
	json_object_foreach(paths, path, item) {
		json_object_foreach(item, key, v) {
			if (!is_operation(key))
				continue; /* "parameters", "summary" ... */
			if (!is_routed(path, key))
				fail_msg("openapi.json documents %s %s but api_routes[] has no "
				         "such route",
				    key, path);
			operations++;
		}
	}
	assert_int_equal(operations, api_routes_count);
	json_decref(doc);
}

static void
test_routes_are_unique(void **state)
{
	(void)state;
	for (size_t i = 0; i < api_routes_count; i++)
		for (size_t j = i + 1; j < api_routes_count; j++)
			if (strcmp(api_routes[i].method, api_routes[j].method) == 0 &&
			    strcmp(api_routes[i].pattern, api_routes[j].pattern) == 0)
				fail_msg("%s %s is routed twice", api_routes[i].method,
				    api_routes[i].pattern);
}

/* A parameter object, following a local "$ref" ("#/components/parameters/Id") to its target. */
static json_t *
resolve(json_t *doc, json_t *p)
{
	const char *ref = json_string_value(json_object_get(p, "$ref"));
	char part[128];

	if (ref == NULL || strncmp(ref, "#/", 2) != 0)
		return p;
	p = doc;
	for (const char *s = ref + 2; p != NULL && *s != '\0';) {
		size_t n = strcspn(s, "/");
		snprintf(part, sizeof(part), "%.*s", (int)n, s);
		p = json_object_get(p, part);
		s += n + (s[n] == '/');
	}
	return p;
}

/* 1 when params (an OpenAPI parameters array, may be NULL) declares path parameter name. */
static int
declares_path_param(json_t *doc, json_t *params, const char *name, size_t len)
{
	size_t i;
	json_t *p;

	json_array_foreach(params, i, p) {
		json_t *def = resolve(doc, p);
		const char *n = json_string_value(json_object_get(def, "name"));
		const char *in = json_string_value(json_object_get(def, "in"));
		if (n && in && strcmp(in, "path") == 0 && strlen(n) == len &&
		    memcmp(n, name, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * OpenAPI requires every {name} of a path to be declared as a path parameter, on the path item or
 * the operation. Returns 1 and describes the first omission in why, or 0.
 */
static int
undeclared_path_param(json_t *doc, char *why, size_t n)
{
	json_t *item, *op;
	const char *path, *key;

	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		json_object_foreach(item, key, op) {
			if (!is_operation(key))
				continue;
			for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
				const char *close = strchr(p, '}');
				size_t len = close ? (size_t)(close - p - 1) : strlen(p + 1);
				json_t *on_path = json_object_get(item, "parameters");
				json_t *on_op = json_object_get(op, "parameters");

				if (declares_path_param(doc, on_path, p + 1, len) ||
				    declares_path_param(doc, on_op, p + 1, len))
					continue;
				snprintf(why, n, "%s %s: path parameter %.*s is not declared", key,
				    path, (int)len, p + 1);
				return 1;
			}
		}
	}
	return 0;
}

static void
test_path_parameters_are_declared(void **state)
{
	json_t *doc = openapi();
	char why[256];

	(void)state;
	if (undeclared_path_param(doc, why, sizeof(why)))
		fail_msg("openapi.json: %s", why);
	json_decref(doc);
}

/* JSON written with ' for " (readable in C source). */
static json_t *
json_sq(const char *text)
{
	char *t = strdup(text);
	json_t *j;

	assert_non_null(t);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	j = json_loads(t, 0, NULL);
	free(t);
	assert_non_null(j);
	return j;
}

/* The check above on small documents, so that it is known to catch what it is for. */
static void
test_path_parameter_check_itself(void **state)
{
	static const char *undeclared =
	    "{'paths': {'/a/{id}': {'get': {'parameters': [{'name': 'id', 'in': 'query'}]}}}}";
	static const char *by_ref =
	    "{'paths': {'/a/{id}': {'get': {'parameters':"
	    " [{'$ref': '#/components/parameters/Id'}]}}},"
	    " 'components': {'parameters': {'Id': {'name': 'id', 'in': 'path'}}}}";
	static const char *on_path_item =
	    "{'paths': {'/a/{id}': {'parameters': [{'name': 'id', 'in': 'path'}], 'get': {}}}}";
	char why[256];
	json_t *doc;

	(void)state;
	doc = json_sq(undeclared);
	assert_int_equal(undeclared_path_param(doc, why, sizeof(why)), 1);
	assert_contains(why, "get /a/{id}: path parameter id");
	json_decref(doc);
	doc = json_sq(by_ref);
	assert_int_equal(undeclared_path_param(doc, why, sizeof(why)), 0);
	json_decref(doc);
	doc = json_sq(on_path_item);
	assert_int_equal(undeclared_path_param(doc, why, sizeof(why)), 0);
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_route_exact),
	    cmocka_unit_test(test_route_params),
	    cmocka_unit_test(test_route_param_is_one_whole_segment),
	    cmocka_unit_test(test_route_too_many_or_too_long_params),
	    cmocka_unit_test(test_route_trailing_star),
	    cmocka_unit_test(test_problem_names_the_field),
	    cmocka_unit_test(test_problem_status_per_code),
	    cmocka_unit_test(test_internal_error_hides_details),
	    cmocka_unit_test(test_static_asset_index_and_refusals),
	    cmocka_unit_test(test_static_assets_under_assets_are_immutable),
	    cmocka_unit_test(test_every_route_is_documented),
	    cmocka_unit_test(test_every_documented_operation_is_routed),
	    cmocka_unit_test(test_routes_are_unique),
	    cmocka_unit_test(test_path_parameters_are_declared),
	    cmocka_unit_test(test_path_parameter_check_itself),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
