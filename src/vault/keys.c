/*
 * The vault's keys (docs/internals/vault-keys.md). Each number is encrypted under its own random data
 * key; the data key is wrapped by the key-encryption key (KEK) of the number's retention epoch, a
 * random 32-byte file keys/vault/EPOCH.GEN.key ("open" while the retention end is not known, else the
 * year it ends). Destroying an epoch's files makes every copy of its numbers unreadable, the
 * database backups included. Both layers bind the subject, so a row copied elsewhere does not open.
 */
#include "vault/vault.h"
#include "base/fs.h"
#include "base/str.h"
#include "crypto/keyfile.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
vault_dir(struct mamori *m, char *out, size_t n)
{
	mm_path_join(out, n, m->md_dir, "keys/vault");
}

static void
kek_path(struct mamori *m, const char *epoch, int64_t gen, char *out, size_t n)
{
	char dir[4096], name[64];

	vault_dir(m, dir, sizeof(dir));
	snprintf(name, sizeof(name), "%s.%lld.key", epoch, (long long)gen);
	mm_path_join(out, n, dir, name);
}

/* The newest generation of an epoch's key on disk (0 when none). */
static int64_t
newest_gen(struct mamori *m, const char *epoch)
{
	char dir[4096];
	size_t elen = strlen(epoch);
	int64_t best = 0;
	struct dirent *e;
	DIR *d;

	vault_dir(m, dir, sizeof(dir));
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long long g;
		if (strncmp(e->d_name, epoch, elen) != 0 || e->d_name[elen] != '.')
			continue;
		g = strtoll(e->d_name + elen + 1, &end, 10);
		if (strcmp(end, ".key") == 0 && g > best)
			best = g;
	}
	closedir(d);
	return best;
}

static int
kek_load(struct mamori *m, const char *epoch, int64_t gen, unsigned char key[MM_AEAD_KEY_BYTES], struct mm_err *err)
{
	char path[4200];
	int rc;

	kek_path(m, epoch, gen, path, sizeof(path));
	rc = mm_keyfile_load(path, key, MM_AEAD_KEY_BYTES, err);
	if (rc == MM_ENOTFOUND || (rc != 0 && access(path, F_OK) != 0)) {
		/* not a fault: the epoch was shredded on purpose, and with it this copy of the number */
		mm_err_set(err, MM_ENOTFOUND, "number",
		    "the key of retention epoch %s is gone: the numbers of that epoch were destroyed", epoch);
		mm_strlcpy(err->rule, "shredded", sizeof(err->rule));
		snprintf(err->msg_ja, sizeof(err->msg_ja), "保管期 %s の鍵は破棄済みです（この期の番号は削除されています）", epoch);
		return MM_ENOTFOUND;
	}
	return rc;
}

/* A new generation of an epoch's key. */
static int
kek_new(struct mamori *m, const char *epoch, int64_t gen, unsigned char key[MM_AEAD_KEY_BYTES], struct mm_err *err)
{
	char dir[4096], path[4200];

	vault_dir(m, dir, sizeof(dir));
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return mm_err_set(err, MM_EIO, "keys", "cannot make %s: %s", dir, strerror(errno));
	mm_random(key, MM_AEAD_KEY_BYTES);
	kek_path(m, epoch, gen, path, sizeof(path));
	return mm_keyfile_create(path, key, MM_AEAD_KEY_BYTES, err);
}

/* The key to wrap new data keys of an epoch with: its newest generation, made when there is none. */
static int
kek_current(struct mamori *m, const char *epoch, int64_t *gen, unsigned char key[MM_AEAD_KEY_BYTES],
    struct mm_err *err)
{
	if ((*gen = newest_gen(m, epoch)) > 0)
		return kek_load(m, epoch, *gen, key, err);
	*gen = 1;
	return kek_new(m, epoch, 1, key, err);
}

void
vault_epoch_of(const char *retention_end, char out[8])
{
	if (retention_end && strlen(retention_end) >= 4)
		snprintf(out, 8, "%.4s", retention_end);
	else
		snprintf(out, 8, "open");
}

void
vault_blind_index(struct mamori *m, const char *kind, const char *digits, char out[65])
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%s:%s", kind, digits);
	mm_keyed_hash(m->md_master_key, MM_KEY_MYNUMBER_INDEX, buf, strlen(buf), out);
	mm_wipe(buf, sizeof(buf));
}

static void
aad_number(char *out, size_t n, int64_t id, const char *kind)
{
	snprintf(out, n, "mn_number:%lld:%s", (long long)id, kind);
}

/* The key-wrapping AAD of a data key: its owner ("mn_key:<subject id>" for a number), epoch and generation. */
static void
aad_key(char *out, size_t n, const char *owner, const char *epoch, int64_t gen)
{
	snprintf(out, n, "%s:%s:%lld", owner, epoch, (long long)gen);
}

static void
number_owner(char *out, size_t n, int64_t id)
{
	snprintf(out, n, "mn_key:%lld", (long long)id);
}

struct vault_kek_cache {
	char epoch[8];
	int64_t gen;
	unsigned char key[MM_AEAD_KEY_BYTES];
	int have;
};

void
vault_cache_begin(struct vault_ctx *x)
{
	x->kek_cache = calloc(1, sizeof(*x->kek_cache));
}

void
vault_cache_end(struct vault_ctx *x)
{
	if (x->kek_cache) {
		mm_wipe(x->kek_cache, sizeof(*x->kek_cache));
		free(x->kek_cache);
		x->kek_cache = NULL;
	}
}

/* The epoch's current key, from the bulk operation's cache when it holds it. */
static int
kek_for_seal(struct vault_ctx *x, const char *epoch, int64_t *gen, unsigned char key[MM_AEAD_KEY_BYTES],
    struct mm_err *err)
{
	struct vault_kek_cache *c = x->kek_cache;
	int rc;

	if (c && c->have && strcmp(c->epoch, epoch) == 0) {
		*gen = c->gen;
		memcpy(key, c->key, MM_AEAD_KEY_BYTES);
		return 0;
	}
	if ((rc = kek_current(x->m, epoch, gen, key, err)) == 0 && c) {
		snprintf(c->epoch, sizeof(c->epoch), "%s", epoch);
		c->gen = *gen;
		memcpy(c->key, key, MM_AEAD_KEY_BYTES);
		c->have = 1;
	}
	return rc;
}

int
vault_key_wrap(struct vault_ctx *x, const char *owner, const char *epoch, const unsigned char dek[MM_AEAD_KEY_BYTES],
    int64_t *gen, char **wrapped, struct mm_err *err)
{
	unsigned char kek[MM_AEAD_KEY_BYTES];
	char aad[160];
	int rc;

	*wrapped = NULL;
	if ((rc = kek_for_seal(x, epoch, gen, kek, err)) != 0)
		return rc;
	aad_key(aad, sizeof(aad), owner, epoch, *gen);
	rc = mm_aead_encrypt(kek, aad, dek, MM_AEAD_KEY_BYTES, wrapped);
	mm_wipe(kek, sizeof(kek));
	return rc != 0 ? mm_err_set(err, rc, "", "out of memory") : 0;
}

int
vault_key_unwrap(struct mamori *m, const char *owner, const char *epoch, int64_t gen, const char *wrapped,
    unsigned char dek[MM_AEAD_KEY_BYTES], struct mm_err *err)
{
	unsigned char kek[MM_AEAD_KEY_BYTES];
	char aad[160];
	size_t len = 0;
	int rc;

	if ((rc = kek_load(m, epoch, gen, kek, err)) != 0)
		return rc;
	aad_key(aad, sizeof(aad), owner, epoch, gen);
	rc = mm_aead_decrypt(kek, aad, wrapped, dek, MM_AEAD_KEY_BYTES, &len);
	mm_wipe(kek, sizeof(kek));
	if (rc != 0 || len != MM_AEAD_KEY_BYTES) {
		mm_wipe(dek, MM_AEAD_KEY_BYTES);
		return mm_err_set(err, MM_ECORRUPT, "", "the data key of %s does not open", owner);
	}
	return 0;
}

int
vault_key_rewrap(struct vault_ctx *x, const char *owner, const char *old_epoch, int64_t old_gen, const char *old_wrapped,
    const char *epoch, int64_t *gen, char **wrapped, struct mm_err *err)
{
	unsigned char dek[MM_AEAD_KEY_BYTES];
	int rc;

	*wrapped = NULL;
	if ((rc = vault_key_unwrap(x->m, owner, old_epoch, old_gen, old_wrapped, dek, err)) != 0)
		return rc;
	rc = vault_key_wrap(x, owner, epoch, dek, gen, wrapped, err);
	mm_wipe(dek, sizeof(dek));
	return rc;
}

int
vault_seal(struct vault_ctx *x, int64_t id, const char *kind, const char *epoch, const char *digits,
    struct vault_sealed *out, struct mm_err *err)
{
	unsigned char dek[MM_AEAD_KEY_BYTES];
	char aad[96], owner[40];
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->epoch, sizeof(out->epoch), "%s", epoch);
	mm_random(dek, sizeof(dek));
	aad_number(aad, sizeof(aad), id, kind);
	number_owner(owner, sizeof(owner), id);
	if ((rc = mm_aead_encrypt(dek, aad, digits, strlen(digits), &out->cipher)) != 0)
		rc = mm_err_set(err, rc, "", "out of memory");
	else
		rc = vault_key_wrap(x, owner, epoch, dek, &out->gen, &out->wrapped, err);
	mm_wipe(dek, sizeof(dek));
	if (rc != 0)
		vault_sealed_free(out);
	return rc;
}

void
vault_sealed_free(struct vault_sealed *s)
{
	free(s->wrapped);
	free(s->cipher);
	s->wrapped = s->cipher = NULL;
}

struct row {
	char kind[16], epoch[8];
	int64_t gen;
	char *wrapped, *cipher;
};

static void
row_free(struct row *r)
{
	free(r->wrapped);
	free(r->cipher);
}

static int
row_load(struct store *st, int64_t id, struct row *r, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = store_prepare(st, "SELECT kind, epoch, key_gen, wrapped_key, ciphertext FROM mn_number"
	    " WHERE subject_id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	if ((rc = store_step(s, err)) == STORE_ROW) {
		snprintf(r->kind, sizeof(r->kind), "%s", store_col_text(s, 0));
		snprintf(r->epoch, sizeof(r->epoch), "%s", store_col_text(s, 1));
		r->gen = store_col_int(s, 2);
		r->wrapped = strdup(store_col_text(s, 3));
		r->cipher = strdup(store_col_text(s, 4));
	}
	store_finalize(s);
	if (rc == STORE_DONE)
		return mm_err_set(err, MM_ENOTFOUND, "number", "subject %lld holds no number", (long long)id);
	if (rc < 0)
		return rc;
	if (r->wrapped == NULL || r->cipher == NULL) {
		row_free(r);
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	}
	return 0;
}

/* The data key of a number row. */
static int
unwrap(struct mamori *m, int64_t id, const struct row *r, unsigned char dek[MM_AEAD_KEY_BYTES], struct mm_err *err)
{
	char owner[40];
	int rc;

	number_owner(owner, sizeof(owner), id);
	if ((rc = vault_key_unwrap(m, owner, r->epoch, r->gen, r->wrapped, dek, err)) == MM_ECORRUPT)
		return mm_err_set(err, MM_ECORRUPT, "number", "the data key of subject %lld does not open", (long long)id);
	return rc;
}

int
vault_open_number(struct vault_ctx *x, int64_t id, char out[VAULT_NUMBER_MAX + 1], struct mm_err *err)
{
	unsigned char dek[MM_AEAD_KEY_BYTES];
	struct row r;
	char aad[96];
	size_t len = 0;
	int rc;

	out[0] = '\0';
	if ((rc = row_load(x->st, id, &r, err)) != 0)
		return rc;
	if ((rc = unwrap(x->m, id, &r, dek, err)) == 0) {
		aad_number(aad, sizeof(aad), id, r.kind);
		rc = mm_aead_decrypt(dek, aad, r.cipher, (unsigned char *)out, VAULT_NUMBER_MAX, &len);
		mm_wipe(dek, sizeof(dek));
		if (rc != 0)
			rc = mm_err_set(err, MM_ECORRUPT, "number", "the number of subject %lld does not open", (long long)id);
		else
			out[len] = '\0';
	}
	row_free(&r);
	return rc;
}

/* Wraps the data key of subject id again, under (epoch, the epoch's current key). */
static int
rewrap_row(struct vault_ctx *x, int64_t id, const char *epoch, struct mm_err *err)
{
	struct store_stmt *s;
	struct row r;
	char owner[40], *wrapped = NULL;
	int64_t gen;
	int rc;

	if ((rc = row_load(x->st, id, &r, err)) != 0)
		return rc;
	number_owner(owner, sizeof(owner), id);
	if ((rc = vault_key_rewrap(x, owner, r.epoch, r.gen, r.wrapped, epoch, &gen, &wrapped, err)) != 0)
		goto done;
	if ((rc = store_prepare(x->st, "UPDATE mn_number SET epoch = $1, key_gen = $2, wrapped_key = $3"
	    " WHERE subject_id = $4", &s, err)) != 0)
		goto done;
	store_bind_text(s, "$1", epoch);
	store_bind_int(s, "$2", gen);
	store_bind_text(s, "$3", wrapped);
	store_bind_int(s, "$4", id);
	rc = store_step(s, err);
	store_finalize(s);
	rc = rc < 0 ? rc : 0;
done:
	free(wrapped);
	row_free(&r);
	return rc;
}

int
vault_rewrap(struct vault_ctx *x, int64_t id, const char *epoch, struct mm_err *err)
{
	int rc;

	/* the subject's document images (awaiting confirmation) follow its number to the new epoch */
	if ((rc = rewrap_row(x, id, epoch, err)) != 0)
		return rc;
	return vault_documents_rewrap(x, id, epoch, err);
}

/* Every wrapped data key: [id, epoch, 0 for a number (id: the subject) or 1 for a document image]. */
static int
all_rows(struct store *st, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*out = json_array();
	if ((rc = store_prepare(st, "SELECT subject_id, epoch, 0 FROM mn_number UNION ALL"
	    " SELECT id, epoch, 1 FROM mn_document ORDER BY 3, 1", &s, err)) != 0)
		return rc;
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(*out, json_pack("[I, s, I]", (json_int_t)store_col_int(s, 0), store_col_text(s, 1),
		    (json_int_t)store_col_int(s, 2)));
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/* Removes a key file for good: overwritten, synced, then unlinked. */
static void
shred_file(const char *path)
{
	FILE *f = fopen(path, "r+b");

	if (f) {
		unsigned char zero[MM_AEAD_KEY_BYTES] = {0};
		fwrite(zero, 1, sizeof(zero), f);
		fflush(f);
		fsync(fileno(f));
		fclose(f);
	}
	unlink(path);
}

/* Removes every generation of epoch below keep (keep 0: all of them). */
static void
drop_gens(struct mamori *m, const char *epoch, int64_t keep)
{
	char path[4200];

	for (int64_t g = newest_gen(m, epoch); g > 0; g--) {
		if (keep && g >= keep)
			continue;
		kek_path(m, epoch, g, path, sizeof(path));
		shred_file(path);
	}
}

int
vault_rotate(struct vault_ctx *x, int64_t *rewrapped, struct mm_err *err)
{
	json_t *rows = NULL, *row, *done = json_object();
	unsigned char kek[MM_AEAD_KEY_BYTES];
	struct vault_kek_cache *cache = x->kek_cache;
	size_t i;
	int rc;

	*rewrapped = 0;
	x->kek_cache = NULL; /* every key is wrapped under the generation made here, never a cached one */
	if ((rc = store_begin(x->st, err)) != 0 || (rc = all_rows(x->st, &rows, err)) != 0)
		goto fail;
	/* a new generation for each epoch in use, then every data key wrapped under it */
	json_array_foreach(rows, i, row) {
		const char *epoch = json_string_value(json_array_get(row, 1));
		if (!json_object_get(done, epoch)) {
			int64_t gen = newest_gen(x->m, epoch) + 1;
			if ((rc = kek_new(x->m, epoch, gen, kek, err)) != 0)
				goto fail;
			mm_wipe(kek, sizeof(kek));
			json_object_set_new(done, epoch, json_integer(gen));
		}
		if (json_integer_value(json_array_get(row, 2)) == 0)
			rc = rewrap_row(x, json_integer_value(json_array_get(row, 0)), epoch, err);
		else
			rc = vault_document_rewrap(x, json_integer_value(json_array_get(row, 0)), epoch, err);
		if (rc != 0)
			goto fail;
		(*rewrapped)++;
	}
	if ((rc = mamori_audit(x->m, x->st, x->who, &(struct audit_event){.started_ms = x->started_ms,
	    .action = "mynumber.rotate_keys", .target_type = "mynumber_key", .target_id = "*", .access = AUDIT_UPDATE,
	    .outcome = "success"}, NULL, err)) != 0 || (rc = store_commit(x->st, err)) != 0)
		goto fail;
	{
		/* only after the commit: the older generations are no longer needed */
		const char *epoch;
		json_t *gen;
		json_object_foreach(done, epoch, gen)
			drop_gens(x->m, epoch, json_integer_value(gen));
	}
	json_decref(rows);
	json_decref(done);
	x->kek_cache = cache;
	return 0;
fail:
	store_rollback(x->st);
	json_decref(rows);
	json_decref(done);
	x->kek_cache = cache;
	return rc;
}

int
vault_epoch_destroy(struct mamori *m, const char *epoch, struct mm_err *err)
{
	struct store_stmt *s;
	int64_t n = 0;
	int rc;

	if (strcmp(epoch, "open") == 0)
		return mm_err_input(err, "epoch", "open", "保管期限の決まっていない鍵は破棄できません",
		    "the key of numbers without a retention end cannot be destroyed");
	if (strspn(epoch, "0123456789") != 4 || strlen(epoch) != 4)
		return mm_err_input(err, "epoch", "format", "年（例 2033）で指定してください", "an epoch is a year like 2033");
	if ((rc = store_prepare(m->md_store, "SELECT (SELECT count(*) FROM mn_number WHERE epoch = $1)"
	    " + (SELECT count(*) FROM mn_document WHERE epoch = $1)", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", epoch);
	if ((rc = store_step(s, err)) == STORE_ROW)
		n = store_col_int(s, 0);
	store_finalize(s);
	if (rc < 0)
		return rc;
	if (n > 0)
		return mm_err_input(err, "epoch", "in_use", "この期の番号（または本人確認書類の画像）がまだ削除されていません",
		    "%lld numbers or document images of epoch %s are not deleted yet", (long long)n, epoch);
	drop_gens(m, epoch, 0);
	return 0;
}

int
vault_epochs(struct vault_ctx *x, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	char dir[4096];
	struct dirent *e;
	DIR *d;
	int rc;

	*out = json_object();
	if ((rc = store_prepare(x->st, "SELECT epoch, count(*) FROM mn_number GROUP BY epoch ORDER BY epoch", &s,
	    err)) != 0)
		return rc;
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_object_set_new(*out, store_col_text(s, 0),
		    json_pack("{s:s, s:I, s:[]}", "epoch", store_col_text(s, 0), "numbers", (json_int_t)store_col_int(s, 1),
		    "key_files"));
	store_finalize(s);
	if (rc < 0)
		return rc;
	vault_dir(x->m, dir, sizeof(dir));
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char epoch[8];
			json_t *o;
			if (e->d_name[0] == '.' || sscanf(e->d_name, "%7[^.]", epoch) != 1)
				continue;
			if ((o = json_object_get(*out, epoch)) == NULL) {
				o = json_pack("{s:s, s:i, s:[]}", "epoch", epoch, "numbers", 0, "key_files");
				json_object_set_new(*out, epoch, o);
			}
			json_array_append_new(json_object_get(o, "key_files"), json_string(e->d_name));
		}
		closedir(d);
	}
	{
		json_t *arr = json_array(), *v;
		const char *k;
		json_object_foreach(*out, k, v)
			json_array_append(arr, v);
		json_decref(*out);
		*out = arr;
	}
	return 0;
}
