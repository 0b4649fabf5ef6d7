/* GET /healthz: the process is up and which version and schema it runs. No database access, so
 * that a load balancer's probe costs nothing. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

void
api_healthz(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	static char body[128];
	static size_t len;

	(void)ctx;
	(void)req;
	/* the answer never changes while the process runs: build it once (races write equal bytes) */
	if (len == 0) {
		int n = snprintf(body, sizeof(body), "{\"status\":\"ok\",\"version\":\"%s\",\"schema\":%d}",
		    MAMORI_VERSION, store_schema_latest());
		len = (size_t)n;
	}
	http_static(res, 200, "application/json", body, len, "no-store");
}
