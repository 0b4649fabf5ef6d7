/* A growable byte buffer with a hard maximum (curl's dynbuf discipline). */
#ifndef MM_BUF_H
#define MM_BUF_H

#include <stddef.h>

struct mm_buf {
	char *b_data; /* always NUL-terminated when not NULL */
	size_t b_len;
	size_t b_cap;
	size_t b_max; /* the buffer never grows beyond this many bytes of content */
};

/* Prepares an empty buffer that may hold at most max bytes. Allocates nothing yet. */
void mm_buf_init(struct mm_buf *b, size_t max);

/* Appends len bytes. Returns MM_ETOOBIG (buffer unchanged) when the maximum would be passed. */
int mm_buf_append(struct mm_buf *b, const void *data, size_t len);

/* Appends a NUL-terminated string. */
int mm_buf_puts(struct mm_buf *b, const char *s);

/* Appends formatted text. */
int mm_buf_printf(struct mm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empties the buffer but keeps its memory. */
void mm_buf_reset(struct mm_buf *b);

/* Frees the memory, wiping it first (buffers may have held request bodies with passwords). */
void mm_buf_free(struct mm_buf *b);

/* Hands the memory to the caller (free() it); the buffer becomes empty. Never NULL on success. */
char *mm_buf_take(struct mm_buf *b);

#endif
