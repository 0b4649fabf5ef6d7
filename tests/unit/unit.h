/*
 * What every unit test file shares: cmocka in the order it needs, a private temporary directory
 * under /tmp that is removed afterwards, and assertions on error messages (a message must name the
 * field or line it is about, so tests look inside it).
 */
#ifndef MM_TEST_UNIT_H
#define MM_TEST_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "crypto/crypto.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define UNIT_PATH_MAX 512

/* What every test program does first, as the real program does: private files, libsodium ready. */
static inline int
unit_init(void)
{
	umask(077);
	return mm_crypto_init();
}

/* Makes a new directory /tmp/mamori-unit-XXXXXX (mode 0700) and writes its path into dir. */
static inline void
unit_tmpdir(char dir[UNIT_PATH_MAX])
{
	snprintf(dir, UNIT_PATH_MAX, "/tmp/mamori-unit-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

static inline int
unit__remove(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes dir and everything below it (nothing outside it: symbolic links are not followed). */
static inline void
unit_rmtree(const char *dir)
{
	nftw(dir, unit__remove, 16, FTW_DEPTH | FTW_PHYS);
}

/* cmocka setup: *state becomes a fresh temporary directory (a malloc'ed path). */
static inline int
unit_dir_setup(void **state)
{
	char *dir = malloc(UNIT_PATH_MAX);

	if (dir == NULL)
		return -1;
	unit_tmpdir(dir);
	*state = dir;
	return 0;
}

/* cmocka teardown: removes the directory of unit_dir_setup. */
static inline int
unit_dir_teardown(void **state)
{
	unit_rmtree(*state);
	free(*state);
	return 0;
}

/* A test that gets a fresh temporary directory as *state. */
#define unit_dir_test(f) cmocka_unit_test_setup_teardown(f, unit_dir_setup, unit_dir_teardown)

/* Writes dir/name into out. */
static inline void
unit_path(char out[UNIT_PATH_MAX], const char *dir, const char *name)
{
	assert_true(snprintf(out, UNIT_PATH_MAX, "%s/%s", dir, name) < UNIT_PATH_MAX);
}

/* Writes a file with exactly this mode (whatever the umask), replacing any old one. */
static inline void
unit_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	FILE *f;

	remove(path);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* The permission bits of path. */
static inline unsigned
unit_mode(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (unsigned)(st.st_mode & 07777);
}

static inline void
unit__assert_contains(const char *hay, const char *needle, const char *file, int line)
{
	if (hay == NULL || strstr(hay, needle) == NULL) {
		print_error("\"%s\" does not contain \"%s\"\n", hay ? hay : "(null)", needle);
		_fail(file, line);
	}
}

/* Asserts that the text hay contains needle, and shows both when it does not. */
#define assert_contains(hay, needle) unit__assert_contains((hay), (needle), __FILE__, __LINE__)

static inline void
unit__assert_starts_with(const char *s, const char *prefix, const char *file, int line)
{
	if (s == NULL || strncmp(s, prefix, strlen(prefix)) != 0) {
		print_error("\"%s\" does not start with \"%s\"\n", s ? s : "(null)", prefix);
		_fail(file, line);
	}
}

/* Asserts that the text s starts with prefix, and shows both when it does not. */
#define assert_starts_with(s, prefix) \
	unit__assert_starts_with((s), (prefix), __FILE__, __LINE__)

#endif
