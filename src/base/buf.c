#include "base/buf.h"
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
mm_buf_init(struct mm_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->b_max = max;
}

static int
mm_buf__grow(struct mm_buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (need > b->b_max)
		return MM_ETOOBIG;
	if (need + 1 <= b->b_cap)
		return 0;
	cap = b->b_cap ? b->b_cap : 64;
	while (cap < need + 1)
		cap *= 2;
	if (cap > b->b_max + 1)
		cap = b->b_max + 1;
	p = realloc(b->b_data, cap);
	if (p == NULL)
		return MM_ENOMEM;
	b->b_data = p;
	b->b_cap = cap;
	return 0;
}

int
mm_buf_append(struct mm_buf *b, const void *data, size_t len)
{
	int rc;

	if (len > b->b_max - b->b_len)
		return MM_ETOOBIG;
	if ((rc = mm_buf__grow(b, b->b_len + len)) != 0)
		return rc;
	if (len > 0)
		memcpy(b->b_data + b->b_len, data, len);
	b->b_len += len;
	b->b_data[b->b_len] = '\0';
	return 0;
}

int
mm_buf_puts(struct mm_buf *b, const char *s)
{
	return mm_buf_append(b, s, strlen(s));
}

int
mm_buf_printf(struct mm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return MM_EINVAL;
	if ((size_t)n > b->b_max - b->b_len)
		return MM_ETOOBIG;
	if ((rc = mm_buf__grow(b, b->b_len + (size_t)n)) != 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->b_data + b->b_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->b_len += (size_t)n;
	return 0;
}

void
mm_buf_reset(struct mm_buf *b)
{
	b->b_len = 0;
	if (b->b_data)
		b->b_data[0] = '\0';
}

void
mm_buf_free(struct mm_buf *b)
{
	if (b->b_data) {
		/* volatile-free wipe: memset may be optimised away, so use explicit_bzero */
		explicit_bzero(b->b_data, b->b_cap);
		free(b->b_data);
	}
	b->b_data = NULL;
	b->b_len = b->b_cap = 0;
}

char *
mm_buf_take(struct mm_buf *b)
{
	char *p;

	if (b->b_data == NULL) {
		if (mm_buf__grow(b, 0) != 0)
			return NULL;
		b->b_data[0] = '\0'; /* fresh memory: the caller gets "", not garbage */
	}
	p = b->b_data;
	b->b_data = NULL;
	b->b_len = b->b_cap = 0;
	return p;
}
