/* Files and directories with the permissions a security tool must insist on. */
#ifndef MM_FS_H
#define MM_FS_H

#include "base/buf.h"
#include "base/err.h"

#include <stddef.h>

/*
 * Checks that path exists and that neither group nor others may read, write or enter it
 * (mode & 077 == 0). Returns 0, MM_ENOTFOUND, or MM_EPERM with a message naming the path and mode.
 */
int mm_fs_check_private(const char *path, struct mm_err *err);

/* Reads a whole file into b (whose maximum caps the size). MM_ETOOBIG when larger. */
int mm_fs_read(const char *path, struct mm_buf *b, struct mm_err *err);

/*
 * Creates path with the given mode and contents; refuses (MM_EEXIST) when it exists. The data is
 * fsync'ed before returning, so a key file is never half-written after a crash.
 */
int mm_fs_create(const char *path, int mode, const void *data, size_t len, struct mm_err *err);

/* Replaces path atomically (write to a temporary file, fsync, rename). */
int mm_fs_replace(const char *path, int mode, const void *data, size_t len, struct mm_err *err);

/* Joins dir and name into out (size n). MM_ETOOBIG when it does not fit. */
int mm_path_join(char *out, size_t n, const char *dir, const char *name);

#endif
