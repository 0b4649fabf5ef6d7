/* The JSON API: one handler file per area, all listed in routes.c and in openapi/openapi.json. */
#ifndef MM_API_H
#define MM_API_H

#include "http/http.h"

extern const struct http_route api_routes[];
extern const size_t api_routes_count;

void api_healthz(struct http_ctx *ctx, struct http_request *req, struct http_response *res);
void api_openapi(struct http_ctx *ctx, struct http_request *req, struct http_response *res);

#endif
