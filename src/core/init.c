/* mamori init: a new data directory with nothing half-made. */
#include "core/mamori.h"
#include "base/fs.h"
#include "base/str.h"
#include "base/time.h"
#include "auth/account.h"
#include "crypto/keyfile.h"

#include <jansson.h>
#include <stdlib.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
remove_all(const char *dir)
{
	char path[4096];
	static const char *files[] = {"keys/master.key", "keys/audit-sign.key", MAMORI_POLICY_FILE,
	    MAMORI_DB_FILE, MAMORI_DB_FILE "-wal", MAMORI_DB_FILE "-shm", MAMORI_DB_FILE "-journal"};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (mm_path_join(path, sizeof(path), dir, files[i]) == 0)
			unlink(path);
	if (mm_path_join(path, sizeof(path), dir, "keys") == 0)
		rmdir(path);
	rmdir(dir);
}

static int
make_keys(const char *dir, struct mm_err *err)
{
	unsigned char master[MM_MASTER_KEY_BYTES], pk[MM_SIGN_PUBLIC_BYTES], sk[MM_SIGN_SECRET_BYTES];
	char path[4096];
	int rc;

	if (mm_path_join(path, sizeof(path), dir, "keys") != 0)
		return mm_err_set(err, MM_ETOOBIG, "data", "path too long");
	if (mkdir(path, 0700) != 0)
		return mm_err_set(err, MM_EIO, "data", "%s: %s", path, strerror(errno));
	mm_random(master, sizeof(master));
	mm_sign_keypair(pk, sk);
	mm_path_join(path, sizeof(path), dir, "keys/master.key");
	rc = mm_keyfile_create(path, master, sizeof(master), err);
	if (rc == 0) {
		mm_path_join(path, sizeof(path), dir, "keys/audit-sign.key");
		rc = mm_keyfile_create(path, sk, sizeof(sk), err);
	}
	mm_wipe(master, sizeof(master));
	mm_wipe(sk, sizeof(sk));
	return rc;
}

/* The settings rows and the first administrator (role security_officer), in one transaction. */
static int
create_admin(struct mamori *m, const char *login, const struct mm_actor *who,
    struct mamori_init_result *res, struct mm_err *err)
{
	struct store *st = m->md_store;
	struct store_stmt *s = NULL;
	char when[MM_TIME_STRLEN], details[256];
	int64_t id;
	json_t *d;
	char *dj;
	int rc;

	mm_time_format(mm_now_ms(), when);
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = store_prepare(st,
	    "INSERT INTO setting (key, value) VALUES ('profile', $1), ('created_at', $2)", &s, err)) != 0)
		goto fail;
	store_bind_text(s, "$1", policy_text(m->md_policy, POLICY_PROFILE_NAME));
	store_bind_text(s, "$2", when);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	d = json_pack("{s:s, s:s}", "profile", policy_text(m->md_policy, POLICY_PROFILE_NAME),
	    "version", MAMORI_VERSION);
	dj = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	snprintf(details, sizeof(details), "%s", dj ? dj : "{}");
	free(dj);
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "datadir.init",
	    .target_type = "datadir", .target_id = "1", .access = AUDIT_CREATE, .outcome = "success",
	    .details = details}, NULL, err)) != 0)
		goto fail;
	if ((rc = account_bootstrap(m, st, who, login, 1u << ROLE_SECURITY_OFFICER, res->admin_password,
	    &id, err)) != 0)
		goto fail;
	mm_strlcpy(res->admin_login, login, sizeof(res->admin_login));
	return store_commit(st, err);
fail:
	store_rollback(st);
	return rc;
}

int
mamori_init(const char *dir, const char *profile, const char *admin_login,
    const struct mm_actor *who, struct mamori_init_result *res, struct mm_err *err)
{
	struct policy *p = NULL;
	struct mamori *m = NULL;
	struct store *st = NULL;
	const char *text;
	char path[4096];
	size_t len;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((text = policy_builtin(profile, &len)) == NULL)
		return mm_err_set(err, MM_EINVAL, "profile", "unknown profile '%s' (shipped: %s)", profile,
		    policy_builtin_names());
	if ((rc = policy_parse(text, len, profile, &p, err)) != 0)
		return rc;
	rc = account_login_check(p, "admin", admin_login, err);
	policy_free(p);
	if (rc != 0)
		return rc;
	if (strlen(dir) > 3000)
		return mm_err_set(err, MM_ETOOBIG, "data", "the data directory path is too long");
	if (mkdir(dir, 0700) != 0) {
		if (errno == EEXIST)
			return mm_err_set(err, MM_EEXIST, "data",
			    "%s already exists; mamori init never overwrites a data directory", dir);
		return mm_err_set(err, MM_EIO, "data", "cannot create %s: %s", dir, strerror(errno));
	}
	if (chmod(dir, 0700) != 0 || (rc = make_keys(dir, err)) != 0) {
		if (rc == 0)
			rc = mm_err_set(err, MM_EIO, "data", "%s: %s", dir, strerror(errno));
		goto fail;
	}
	mm_path_join(path, sizeof(path), dir, MAMORI_POLICY_FILE);
	if ((rc = mm_fs_create(path, 0600, text, len, err)) != 0)
		goto fail;
	mm_path_join(path, sizeof(path), dir, MAMORI_DB_FILE);
	if ((rc = store_open(&st, path, STORE_CREATE, err)) != 0)
		goto fail;
	store_close(st);
	if ((rc = mamori_open(dir, &m, err)) != 0)
		goto fail;
	if ((rc = create_admin(m, admin_login, who, res, err)) != 0)
		goto fail;
	mamori_close(m);
	return 0;
fail:
	mamori_close(m);
	mm_wipe(res, sizeof(*res));
	remove_all(dir);
	return rc;
}
