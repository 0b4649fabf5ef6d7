/*
 * The data directory and what a running mamori holds open: the store, the policy in force and
 * the keys. Layout of a data directory (mode 0700):
 *   mamori.db              the SQLite database (WAL; -wal and -shm beside it)
 *   policy.ini             the profile in force, copied from profiles/ at init and editable
 *   keys/master.key        32 random bytes: the root of field-encryption keys (0600)
 *   keys/audit-sign.key    Ed25519 secret key that signs audit checkpoints (0600)
 */
#ifndef MM_MAMORI_H
#define MM_MAMORI_H

#include "audit/audit.h"
#include "base/err.h"
#include "crypto/crypto.h"
#include "policy/policy.h"
#include "store/store.h"

#define MAMORI_VERSION "0.1.0"
#define MAMORI_DB_FILE "mamori.db"
#define MAMORI_POLICY_FILE "policy.ini"

/* Who is acting, for authorisation and the audit trail. */
struct mm_actor {
	const char *login;  /* account login, or "cli:USER" for the local operator */
	const char *client; /* IP address, or "local" */
};

struct mamori {
	char md_dir[3072];
	char md_db_path[3200];
	struct store *md_store; /* the connection of the thread that opened it (CLI) */
	struct policy *md_policy;
	unsigned char md_master_key[MM_MASTER_KEY_BYTES];
	unsigned char md_sign_sk[MM_SIGN_SECRET_BYTES];
	unsigned char md_sign_pk[MM_SIGN_PUBLIC_BYTES];
	struct audit_sealer md_sealer;
};

/* What mamori_init made, for the caller to print once. */
struct mamori_init_result {
	char admin_login[64];
	char admin_password[32]; /* one-time; wipe after printing */
};

/*
 * Creates a new data directory: the directory (0700), keys (0600), policy.ini from the shipped
 * profile, the database with every migration, and the first administrator with a one-time
 * password. Refuses an existing directory. On failure everything made so far is removed.
 */
int mamori_init(const char *dir, const char *profile, const char *admin_login,
    const struct mm_actor *who, struct mamori_init_result *res, struct mm_err *err);

/*
 * Opens an existing data directory: checks that it and its key files are private, loads the keys
 * and the policy, opens the database and applies pending migrations.
 */
int mamori_open(const char *dir, struct mamori **out, struct mm_err *err);
void mamori_close(struct mamori *m);

/* Opens another connection to the same database (one per server thread). */
int mamori_store_open(struct mamori *m, struct store **out, struct mm_err *err);

/*
 * Appends an audit event for who, in the caller's transaction, sealing the trail when the profile
 * says a checkpoint is due.
 */
int mamori_audit(struct mamori *m, struct store *st, const struct mm_actor *who,
    const struct audit_event *ev, int64_t *seq, struct mm_err *err);

#endif
