/* mamori init: a new data directory with nothing half-made. */
#include "core/mamori.h"
#include "base/fs.h"
#include "base/str.h"
#include "base/time.h"
#include "crypto/keyfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ADMIN_PASSWORD_LEN 20

/* Login names: 3-32 of a-z 0-9 . _ - starting with a letter (004 ch5 §9.3: no shared names). */
static int
check_login(const char *login, const struct policy *p, struct mm_err *err)
{
	size_t len = strlen(login);

	if (len < 3 || len > 32 || !islower((unsigned char)login[0]))
		return mm_err_set(err, MM_EINVAL, "admin",
		    "login must be 3 to 32 characters and start with a lower-case letter");
	for (size_t i = 0; i < len; i++)
		if (!(islower((unsigned char)login[i]) || isdigit((unsigned char)login[i]) ||
		    login[i] == '.' || login[i] == '_' || login[i] == '-'))
			return mm_err_set(err, MM_EINVAL, "admin",
			    "login may hold only a-z, 0-9, '.', '_' and '-'");
	if (policy_list_has(p, POLICY_ACCOUNT_FORBIDDEN_LOGINS, login))
		return mm_err_set(err, MM_EINVAL, "admin",
		    "login '%s' is not allowed by the profile (%s)", login,
		    policy_source(p, POLICY_ACCOUNT_FORBIDDEN_LOGINS));
	return 0;
}

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

static int
create_admin(struct mamori *m, const char *login, const struct mm_actor *who,
    struct mamori_init_result *res, struct mm_err *err)
{
	struct store *st = m->md_store;
	struct store_stmt *s = NULL;
	char hash[MM_PWHASH_STRLEN], when[MM_TIME_STRLEN], id[24], details[256];
	int64_t account_id;
	int rc;

	mm_password_generate(res->admin_password, ADMIN_PASSWORD_LEN);
	rc = mm_password_hash(hash, res->admin_password,
	    (uint64_t)policy_int(m->md_policy, POLICY_ARGON2_OPSLIMIT),
	    (size_t)policy_int(m->md_policy, POLICY_ARGON2_MEMLIMIT_MIB) * 1024 * 1024);
	if (rc != 0)
		return mm_err_set(err, rc, "argon2", "cannot hash the password with the profile's Argon2 settings");
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = store_prepare(st,
	    "INSERT INTO setting (key, value) VALUES ('profile', $1), ('created_at', $2)", &s, err)) != 0)
		goto fail;
	store_bind_text(s, "$1", policy_text(m->md_policy, POLICY_PROFILE_NAME));
	store_bind_text(s, "$2", when);
	if ((rc = store_step(s, err)) < 0)
		goto fail;
	store_finalize(s);
	snprintf(details, sizeof(details), "{\"profile\":\"%s\",\"version\":\"%s\"}",
	    policy_text(m->md_policy, POLICY_PROFILE_NAME), MAMORI_VERSION);
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "datadir.init",
	    .target_type = "datadir", .target_id = "1", .access = AUDIT_CREATE, .outcome = "success",
	    .details = details}, NULL, err)) != 0)
		goto fail_nostmt;
	if ((rc = store_prepare(st,
	    "INSERT INTO account (login, password_hash, must_change_password, created_at)"
	    " VALUES ($1, $2, 1, $3)", &s, err)) != 0)
		goto fail_nostmt;
	store_bind_text(s, "$1", login);
	store_bind_text(s, "$2", hash);
	store_bind_text(s, "$3", when);
	if ((rc = store_step(s, err)) < 0)
		goto fail;
	store_finalize(s);
	account_id = store_last_id(st);
	snprintf(id, sizeof(id), "%lld", (long long)account_id);
	snprintf(details, sizeof(details), "{\"login\":\"%s\",\"must_change_password\":true}", login);
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "account.create",
	    .target_type = "account", .target_id = id, .access = AUDIT_CREATE, .outcome = "success",
	    .details = details}, NULL, err)) != 0)
		goto fail_nostmt;
	if ((rc = store_prepare(st,
	    "INSERT INTO account_role (account_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4)",
	    &s, err)) != 0)
		goto fail_nostmt;
	store_bind_int(s, "$1", account_id);
	store_bind_text(s, "$2", "security_officer");
	store_bind_text(s, "$3", who->login);
	store_bind_text(s, "$4", when);
	if ((rc = store_step(s, err)) < 0)
		goto fail;
	store_finalize(s);
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "role.grant",
	    .target_type = "account", .target_id = id, .access = AUDIT_UPDATE, .outcome = "success",
	    .details = "{\"role\":\"security_officer\"}"}, NULL, err)) != 0)
		goto fail_nostmt;
	mm_strlcpy(res->admin_login, login, sizeof(res->admin_login));
	return store_commit(st, err);
fail:
	store_finalize(s);
fail_nostmt:
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
	rc = check_login(admin_login, p, err);
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
