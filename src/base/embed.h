/* Files compiled into the binary by tools/embed.c (migrations, profiles, the web UI). */
#ifndef MM_EMBED_H
#define MM_EMBED_H

#include <stddef.h>

struct mm_embedded {
	const char *path;          /* relative to the embedded directory, '/'-separated */
	const unsigned char *data; /* followed by a NUL byte, so text files are C strings */
	size_t len;
};

/* Finds path in a table of n files; NULL when absent. */
const struct mm_embedded *mm_embedded_find(const struct mm_embedded *files, size_t n,
    const char *path);

#endif
