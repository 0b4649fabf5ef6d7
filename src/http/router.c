/* Matching paths to route patterns with {param} segments. */
#include "http/http.h"

#include <string.h>

int
http_route_match(const char *pattern, const char *path, struct http_request *req)
{
	const char *p = pattern, *s = path;
	size_t used = 0;
	int n = 0;

	while (*p && *s) {
		if (p[0] == '*' && p[1] == '\0')
			return 1;
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *end = strchr(s, '/');
			size_t len;

			if (close == NULL)
				return 0;
			if (end == NULL)
				end = s + strlen(s);
			len = (size_t)(end - s);
			if (len == 0 || n >= HTTP_MAX_PARAMS || used + len + 1 > sizeof(req->hr_param_buf))
				return 0;
			memcpy(req->hr_param_buf + used, s, len);
			req->hr_param_buf[used + len] = '\0';
			req->hr_params[n++] = req->hr_param_buf + used;
			used += len + 1;
			p = close + 1;
			s = end;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}
