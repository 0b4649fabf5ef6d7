#include "base/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
mm_fs_check_private(const char *path, struct mm_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return mm_err_set(err, MM_ENOTFOUND, "", "%s does not exist", path);
		return mm_err_set(err, MM_EIO, "", "%s: %s", path, strerror(errno));
	}
	if ((st.st_mode & 077) != 0)
		return mm_err_set(err, MM_EPERM, "",
		    "%s is accessible to other users (mode %04o); it must be %s", path,
		    (unsigned)(st.st_mode & 07777), S_ISDIR(st.st_mode) ? "0700" : "0600");
	return 0;
}

int
mm_fs_read(const char *path, struct mm_buf *b, struct mm_err *err)
{
	char chunk[8192];
	ssize_t n;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return mm_err_set(err, errno == ENOENT ? MM_ENOTFOUND : MM_EIO, "", "%s: %s", path,
		    strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if ((rc = mm_buf_append(b, chunk, (size_t)n)) != 0) {
			mm_err_set(err, rc, "", "%s is larger than %zu bytes", path, b->b_max);
			break;
		}
	}
	if (n < 0)
		rc = mm_err_set(err, MM_EIO, "", "%s: %s", path, strerror(errno));
	explicit_bzero(chunk, sizeof(chunk));
	close(fd);
	return rc;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
mm_fs_create(const char *path, int mode, const void *data, size_t len, struct mm_err *err)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return mm_err_set(err, errno == EEXIST ? MM_EEXIST : MM_EIO, "", "%s: %s", path,
		    strerror(errno));
	if (fchmod(fd, (mode_t)mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(path);
		return mm_err_set(err, MM_EIO, "", "%s: %s", path, strerror(e));
	}
	close(fd);
	return 0;
}

int
mm_fs_replace(const char *path, int mode, const void *data, size_t len, struct mm_err *err)
{
	char tmp[4096];
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return mm_err_set(err, MM_ETOOBIG, "", "path too long");
	unlink(tmp);
	if ((rc = mm_fs_create(tmp, mode, data, len, err)) != 0)
		return rc;
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return mm_err_set(err, MM_EIO, "", "%s: %s", path, strerror(errno));
	}
	return 0;
}

int
mm_path_join(char *out, size_t n, const char *dir, const char *name)
{
	/* an empty dir joins to name alone (dir[-1] must not be read, nor "/name" made) */
	int w = snprintf(out, n, "%s%s%s", dir,
	    (*name && *dir && dir[strlen(dir) - 1] != '/') ? "/" : "", name);

	return (w < 0 || (size_t)w >= n) ? MM_ETOOBIG : 0;
}
