#include "crypto/keyfile.h"
#include "base/buf.h"
#include "base/fs.h"
#include "crypto/crypto.h"

#include <string.h>

int
mm_keyfile_create(const char *path, const unsigned char *key, size_t len, struct mm_err *err)
{
	return mm_fs_create(path, 0600, key, len, err);
}

int
mm_keyfile_load(const char *path, unsigned char *key, size_t len, struct mm_err *err)
{
	struct mm_buf b;
	int rc;

	if ((rc = mm_fs_check_private(path, err)) != 0)
		return rc;
	mm_buf_init(&b, len + 1);
	if ((rc = mm_fs_read(path, &b, err)) != 0) {
		if (rc == MM_ETOOBIG)
			rc = mm_err_set(err, MM_ECORRUPT, "", "%s is not a %zu-byte key file", path, len);
		goto out;
	}
	if (b.b_len != len) {
		rc = mm_err_set(err, MM_ECORRUPT, "", "%s is not a %zu-byte key file", path, len);
		goto out;
	}
	memcpy(key, b.b_data, len);
out:
	mm_buf_free(&b); /* wipes */
	return rc;
}
