/* Opening a data directory and the audit helper every domain module uses. */
#include "core/mamori.h"
#include "base/fs.h"
#include "base/str.h"
#include "crypto/keyfile.h"
#include "registers/registers.h"
#include "vault/vault.h"

#include <stdlib.h>
#include <string.h>

int
mamori_open(const char *dir, struct mamori **out, struct mm_err *err)
{
	struct mamori *m;
	char path[4096];
	int rc;

	*out = NULL;
	if ((rc = mm_fs_check_private(dir, err)) != 0) {
		if (rc == MM_ENOTFOUND)
			mm_err_set(err, rc, "data", "no data directory at %s (create one with: mamori init --data %s)",
			    dir, dir);
		return rc;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	if (mm_strlcpy(m->md_dir, dir, sizeof(m->md_dir)) != 0 ||
	    mm_path_join(m->md_db_path, sizeof(m->md_db_path), dir, MAMORI_DB_FILE) != 0) {
		rc = mm_err_set(err, MM_ETOOBIG, "data", "the data directory path is too long");
		goto fail;
	}
	mm_path_join(path, sizeof(path), dir, "keys");
	if ((rc = mm_fs_check_private(path, err)) != 0)
		goto fail;
	mm_path_join(path, sizeof(path), dir, "keys/master.key");
	if ((rc = mm_keyfile_load(path, m->md_master_key, sizeof(m->md_master_key), err)) != 0)
		goto fail;
	mm_path_join(path, sizeof(path), dir, "keys/audit-sign.key");
	if ((rc = mm_keyfile_load(path, m->md_sign_sk, sizeof(m->md_sign_sk), err)) != 0)
		goto fail;
	mm_sign_public(m->md_sign_pk, m->md_sign_sk);
	mm_path_join(path, sizeof(path), dir, MAMORI_POLICY_FILE);
	if ((rc = mm_fs_check_private(path, err)) != 0 || (rc = policy_load(path, &m->md_policy, err)) != 0)
		goto fail;
	if ((rc = mamori_store_open(m, &m->md_store, err)) != 0)
		goto fail;
	if ((rc = store_migrate(m->md_store, err)) != 0 || (rc = registers_sync(m->md_store, err)) != 0 ||
	    (rc = vault_sync(m->md_store, err)) != 0)
		goto fail;
	m->md_sealer.as_secret_key = m->md_sign_sk;
	m->md_sealer.as_every_events = policy_int(m->md_policy, POLICY_AUDIT_CHECKPOINT_EVENTS);
	m->md_sealer.as_every_ms = policy_ms(m->md_policy, POLICY_AUDIT_CHECKPOINT_INTERVAL);
	*out = m;
	return 0;
fail:
	mamori_close(m);
	return rc;
}

int
mamori_store_open(struct mamori *m, struct store **out, struct mm_err *err)
{
	return store_open(out, m->md_db_path, 0, err);
}

void
mamori_close(struct mamori *m)
{
	if (m == NULL)
		return;
	store_close(m->md_store);
	policy_free(m->md_policy);
	mm_wipe(m, sizeof(*m));
	free(m);
}

int
mamori_audit(struct mamori *m, struct store *st, const struct mm_actor *who,
    const struct audit_event *ev, int64_t *seq, struct mm_err *err)
{
	struct audit_event e = *ev;

	e.actor = who->login;
	e.client = who->client;
	return audit_append(st, &e, &m->md_sealer, seq, err);
}
