/* Small string helpers: hex, UTF-8 validation, bounded copies. */
#ifndef MM_STR_H
#define MM_STR_H

#include <stddef.h>
#include <stdint.h>

/* Writes 2*len lowercase hex digits and a NUL into out (size >= 2*len+1). */
void mm_hex_encode(char *out, const unsigned char *in, size_t len);

/* Decodes exactly 2*len hex digits from in. Returns 0 or MM_EINVAL. */
int mm_hex_decode(unsigned char *out, size_t len, const char *in);

/*
 * Checks that s (len bytes) is well-formed UTF-8 without NUL and without control characters other
 * than tab and newline (and CR when allow_cr). Returns the number of characters, or -1.
 */
long mm_utf8_check(const char *s, size_t len, int allow_newline);

/*
 * 1 when s is a plain e-mail address that is safe in a mail header and an SMTP command: printable
 * ASCII without spaces, quotes, brackets or commas, one '@' with text before it and a dotted domain
 * after it, at most 254 bytes. Stricter than RFC 5321 on purpose (no quoted local parts).
 */
int mm_email_ok(const char *s);

/*
 * The LIKE pattern (ESCAPE '\\') that finds q anywhere in a text: "%" + q with %, _ and \\ escaped by a
 * backslash + "%", so a search for "_" finds an underscore, not everything. n must be at least
 * 2 * strlen(q) + 3; MM_ETOOBIG (out empty) otherwise.
 */
int mm_like_contains(const char *q, char *out, size_t n);

/* Cuts valid UTF-8 s in place after its first max characters (never inside a character). */
void mm_utf8_cut(char *s, size_t max);

/* Copies src into dst (size n) and always terminates; returns 0, or MM_ETOOBIG when cut. */
int mm_strlcpy(char *dst, const char *src, size_t n);

#endif
