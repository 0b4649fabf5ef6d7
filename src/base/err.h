/* Error codes and the caller-provided error detail every fallible function may fill. */
#ifndef MM_ERR_H
#define MM_ERR_H

#include <stddef.h>

/* Every fallible function returns 0 on success or one of these negative codes (libuv style). */
enum {
	MM_OK = 0,
	MM_EINVAL = -1,   /* bad input: the detail names the field and the rule */
	MM_ENOMEM = -2,   /* out of memory */
	MM_EIO = -3,      /* file or socket error */
	MM_ENOTFOUND = -4,
	MM_EEXIST = -5,   /* would overwrite something that exists */
	MM_EPERM = -6,    /* unsafe permissions, or not allowed */
	MM_ETOOBIG = -7,  /* a size cap was reached */
	MM_ESTORE = -8,   /* database error */
	MM_ESCHEMA = -9,  /* database schema newer than the program, or a migration failed */
	MM_ECORRUPT = -10, /* integrity check failed (audit chain, signature, key file) */
	MM_EBUSY = -11,
};

/*
 * Human detail for an error: which field (may be empty) and a message that says what rule was
 * broken. Callers pass NULL when they do not need it. Messages never contain secrets.
 */
struct mm_err {
	int code;
	char field[64];
	char rule[48];    /* short id of the rule broken ("min_length", "required"), may be empty */
	char msg[512];    /* English */
	char msg_ja[512]; /* Japanese, for the UI; may be empty (then msg is shown) */
};

/* Fills err (when not NULL) and returns code, so that callers can write `return mm_err_set(...)`. */
int mm_err_set(struct mm_err *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Like mm_err_set, for input a person typed: also names the rule and gives the Japanese text the
 * UI shows next to the field.
 */
int mm_err_input(struct mm_err *err, const char *field, const char *rule, const char *ja,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Clears err (when not NULL). */
void mm_err_clear(struct mm_err *err);

/* A short English name for a code, for logs ("invalid input", "not found", ...). */
const char *mm_strerror(int code);

#endif
