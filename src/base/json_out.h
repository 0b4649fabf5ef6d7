/*
 * Writing JSON text straight into a buffer, for answers too large or too frequent to build as a
 * jansson tree first (a ledger's list page). The bytes are those json_dumps(JSON_COMPACT) writes for
 * the same values: strings escaped as RFC 8259 asks and as jansson does (", \ and the control
 * characters, \b \f \n \r \t by name and the others as \u00XX; "/", DEL, U+2028 and U+2029 as they
 * are), integers in decimal. The caller writes the punctuation ({ } [ ] : ,) itself.
 */
#ifndef MM_JSON_OUT_H
#define MM_JSON_OUT_H

#include "base/buf.h"

#include <stddef.h>
#include <stdint.h>

/*
 * A writer over a buffer. Small pieces gather in jo_chunk and go to the buffer a chunk at a time
 * (a page is thousands of pieces). The first failure sticks (jo_rc: MM_ETOOBIG when the buffer's
 * maximum would be passed, MM_ENOMEM): every later call writes nothing, so the caller checks once,
 * with mm_json_out_finish.
 */
struct mm_json_out {
	struct mm_buf *jo_buf;
	int jo_rc;
	size_t jo_n; /* bytes in jo_chunk, not yet in jo_buf */
	char jo_chunk[4096];
};

void mm_json_out_init(struct mm_json_out *o, struct mm_buf *b);
/* Moves what is gathered into the buffer; returns 0 or the first failure. */
int mm_json_out_finish(struct mm_json_out *o);
/* How many bytes were written so far: a mark for mm_json_rewind. */
size_t mm_json_mark(const struct mm_json_out *o);

/* Appends bytes as they are: punctuation, and keys the caller knows need no escaping. */
void mm_json_raw(struct mm_json_out *o, const char *s, size_t len);
/* The same for a NUL-terminated string. */
void mm_json_raws(struct mm_json_out *o, const char *s);

/* Appends ,"key": (no comma when first), key as it is: a name the caller knows needs no escaping. */
void mm_json_key(struct mm_json_out *o, int first, const char *key);

/*
 * Appends s (len bytes) as a quoted JSON string. Returns 0, or -1 with nothing written when s is
 * not well-formed UTF-8 (or holds a NUL): jansson's json_stringn refuses such text as well.
 */
int mm_json_string(struct mm_json_out *o, const char *s, size_t len);

/*
 * Appends ,"key": (no comma when first) and the string s. When s is not valid UTF-8 it writes
 * nothing at all and returns -1, as jansson leaves out a member whose json_string failed.
 */
int mm_json_member_string(struct mm_json_out *o, int first, const char *key, const char *s);

/* Drops what was written after a mark (a member left out after all). */
void mm_json_rewind(struct mm_json_out *o, size_t mark);

/* Appends a signed integer in decimal. */
void mm_json_int(struct mm_json_out *o, int64_t v);

#endif
