/* GET /api/openapi.json: the API description, compiled into the binary. */
#include "api/api.h"
#include "base/embed.h"

extern const struct mm_embedded mm_api_docs[];
extern const size_t mm_api_docs_count;

void
api_openapi(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	const struct mm_embedded *f = mm_embedded_find(mm_api_docs, mm_api_docs_count, "openapi.json");

	(void)ctx;
	(void)req;
	if (f == NULL) {
		http_problem(res, 404, "Not found", NULL, NULL);
		return;
	}
	http_static(res, 200, "application/json", f->data, f->len, "no-cache");
}
