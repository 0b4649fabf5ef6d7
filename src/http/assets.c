/* The web UI compiled into the binary (web/dist, embedded by tools/embed.c at build time). */
#include "base/embed.h"
#include "http/http.h"

#include <string.h>

extern const struct mm_embedded mm_web[];
extern const size_t mm_web_count;

static const char *
content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
	    {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".json", "application/json"},
	    {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
	    {".webmanifest", "application/manifest+json"},
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

int
http_static_asset(const char *path, struct http_response *res)
{
	const struct mm_embedded *f;
	int immutable;

	if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0)
		path = "/index.html";
	if (path[0] != '/' || strstr(path, "..") != NULL)
		return -1;
	if ((f = mm_embedded_find(mm_web, mm_web_count, path + 1)) == NULL)
		return -1;
	/* Vite names files under assets/ by their content hash, so they never change */
	immutable = strncmp(path, "/assets/", 8) == 0;
	http_static(res, 200, content_type(path), f->data, f->len,
	    immutable ? "public, max-age=31536000, immutable" : "no-cache");
	return 0;
}
