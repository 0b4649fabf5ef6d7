/* Every route of the server. tests/unit/test_api.c checks this table against openapi.json. */
#include "api/api.h"

const struct http_route api_routes[] = {
    {"GET", "/healthz", api_healthz},
    {"GET", "/api/openapi.json", api_openapi},
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
