/* Key files in the data directory: raw bytes, mode 0600, refused when others can read them. */
#ifndef MM_KEYFILE_H
#define MM_KEYFILE_H

#include "base/err.h"

#include <stddef.h>

/* Creates path (it must not exist) with mode 0600 holding the len key bytes. */
int mm_keyfile_create(const char *path, const unsigned char *key, size_t len, struct mm_err *err);

/*
 * Loads exactly len bytes from path into key. Refuses (MM_EPERM) a file others may access and
 * (MM_ECORRUPT) a file of the wrong size. The temporary copy is wiped.
 */
int mm_keyfile_load(const char *path, unsigned char *key, size_t len, struct mm_err *err);

#endif
