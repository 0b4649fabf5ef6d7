#include "base/embed.h"

#include <string.h>

const struct mm_embedded *
mm_embedded_find(const struct mm_embedded *files, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(files[i].path, path) == 0)
			return &files[i];
	return NULL;
}
