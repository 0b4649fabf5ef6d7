/*
 * Images of 本人確認 documents (番号確認書類 and 身元確認書類; 004 ch4 §5). By default none is kept
 * ([mynumber] document_images = no: the handler looks at the card and records what was checked). When
 * the profile allows it, a handler may keep the image (JPEG, PNG or PDF, told by its magic bytes)
 * until the identity check of the subject is recorded, and not a moment longer: the check erases it.
 *
 * An image is protected like a number (vault-keys.md): its own random data key encrypts the bytes
 * (XChaCha20-Poly1305, AAD "mn_document:<subject>:<document>:<kind>:<type>"), and the data key is
 * wrapped by the key of the subject's retention epoch (AAD "mn_doc_key:<subject>:<document>:<epoch>:<gen>").
 * Every upload, view and purge is audited with the fields of 000 【６】 and noted in the 取扱記録簿;
 * neither ever holds the content.
 */
#include "vault/vault.h"
#include "base/str.h"
#include "base/time.h"
#include "core/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *type, *label;
	const char *magic;
	size_t n;
} types[] = {
    {"image/jpeg", "JPEG", "\xFF\xD8\xFF", 3},
    {"image/png", "PNG", "\x89PNG\r\n\x1A\n", 8},
    {"application/pdf", "PDF", "%PDF-", 5},
};

const char *
vault_document_type(const void *data, size_t len)
{
	for (size_t i = 0; data && i < sizeof(types) / sizeof(types[0]); i++)
		if (len > types[i].n && memcmp(data, types[i].magic, types[i].n) == 0)
			return types[i].type;
	return NULL;
}

static const char *
kind_label(const char *kind)
{
	return strcmp(kind, "number") == 0 ? "番号確認書類" : "身元確認書類";
}

static void
aad_content(char *out, size_t n, int64_t subject, int64_t doc, const char *kind, const char *type)
{
	snprintf(out, n, "mn_document:%lld:%lld:%s:%s", (long long)subject, (long long)doc, kind, type);
}

static void
doc_owner(char *out, size_t n, int64_t subject, int64_t doc)
{
	snprintf(out, n, "mn_doc_key:%lld:%lld", (long long)subject, (long long)doc);
}

/* The details of an audit event about a document: which one, what kind, what type, how big. Never the bytes. */
static json_t *
event_details(int64_t doc, const char *kind, const char *type, int64_t size, const char *reason)
{
	json_t *d = json_pack("{s:I, s:s, s:s, s:I}", "document", (json_int_t)doc, "kind", kind, "content_type", type,
	    "bytes", (json_int_t)size);

	if (reason)
		json_object_set_new(d, "reason", json_string(reason));
	return d;
}

static int
audit_doc(struct vault_ctx *x, const char *action, int64_t subject, enum audit_access access, int64_t doc,
    const char *kind, const char *type, int64_t size, const char *reason, const char *outcome, struct mm_err *err)
{
	json_t *d = event_details(doc, kind, type, size, reason);
	int rc = vault_audit_details(x, action, subject, access, d, outcome, err);

	json_decref(d);
	return rc;
}

/* One integer of a query with one integer parameter; 0 when no row. */
static int
one_int(struct store *st, const char *sql, int64_t a, int64_t *out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*out = 0;
	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", a);
	if ((rc = store_step(s, err)) == STORE_ROW)
		*out = store_col_int(s, 0);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The subject's state and retention epoch; MM_ENOTFOUND when there is no such subject. */
static int
subject_epoch(struct vault_ctx *x, int64_t id, char state[24], char epoch[8], struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(x->st, "SELECT state, retention_end FROM mn_subject WHERE id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	if ((rc = store_step(s, err)) == STORE_ROW) {
		snprintf(state, 24, "%s", store_col_text(s, 0));
		vault_epoch_of(store_col_text(s, 1), epoch);
	}
	store_finalize(s);
	if (rc == STORE_DONE)
		return mm_err_set(err, MM_ENOTFOUND, "id", "no subject %lld", (long long)id);
	return rc < 0 ? rc : 0;
}

/* An input error (field, rule, both messages) answered with another code: 413, 404. */
static int
as_code(struct mm_err *err, int code, int input_rc)
{
	(void)input_rc;
	if (err)
		err->code = code;
	return code;
}

/* Checks what is sent before anything is written: the profile, the kind, the size, the type. */
static int
check_upload(struct vault_ctx *x, const char *kind, const void *data, size_t len, const char **type,
    struct mm_err *err)
{
	if (!policy_int(x->m->md_policy, POLICY_MYNUMBER_DOCUMENT_IMAGES))
		return mm_err_input(err, "file", "document_images", "本人確認書類の画像は保管しない設定です",
		    "the profile keeps no images of identity documents ([mynumber] document_images = no)");
	if (kind == NULL || (strcmp(kind, "number") != 0 && strcmp(kind, "identity") != 0))
		return mm_err_input(err, "kind", "enum", "書類の種類（番号確認書類・身元確認書類）を選んでください",
		    "kind is number (番号確認書類) or identity (身元確認書類)");
	if (len == 0)
		return mm_err_input(err, "file", "required", "ファイルを選んでください", "the file is empty");
	if (len > VAULT_DOCUMENT_MAX)
		return as_code(err, MM_ETOOBIG, mm_err_input(err, "file", "max_size", "5 MB 以下のファイルにしてください",
		    "the file is larger than %d MiB", VAULT_DOCUMENT_MAX / (1024 * 1024)));
	if ((*type = vault_document_type(data, len)) == NULL)
		return mm_err_input(err, "file", "type", "JPEG・PNG・PDF のファイルだけを受け付けます",
		    "only JPEG, PNG and PDF files are accepted");
	return 0;
}

/* Encrypts data under a new data key and stores it in the row doc (made beforehand, to bind its id). */
static int
seal_into(struct vault_ctx *x, int64_t subject, int64_t doc, const char *kind, const char *type, const char *epoch,
    const void *data, size_t len, struct mm_err *err)
{
	unsigned char dek[MM_AEAD_KEY_BYTES];
	char aad[128], owner[64], *cipher = NULL, *wrapped = NULL;
	struct store_stmt *s;
	int64_t gen = 0;
	int rc;

	mm_random(dek, sizeof(dek));
	aad_content(aad, sizeof(aad), subject, doc, kind, type);
	doc_owner(owner, sizeof(owner), subject, doc);
	if ((rc = mm_aead_encrypt(dek, aad, data, len, &cipher)) != 0)
		rc = mm_err_set(err, rc, "", "out of memory");
	else
		rc = vault_key_wrap(x, owner, epoch, dek, &gen, &wrapped, err);
	mm_wipe(dek, sizeof(dek));
	if (rc == 0 && (rc = store_prepare(x->st, "UPDATE mn_document SET key_gen = $1, wrapped_key = $2, ciphertext = $3"
	    " WHERE id = $4", &s, err)) == 0) {
		store_bind_int(s, "$1", gen);
		store_bind_text(s, "$2", wrapped);
		store_bind_text(s, "$3", cipher);
		store_bind_int(s, "$4", doc);
		rc = store_step(s, err);
		store_finalize(s);
		rc = rc < 0 ? rc : 0;
	}
	free(cipher);
	free(wrapped);
	return rc;
}

int
vault_document_add(struct vault_ctx *x, int64_t id, const char *kind, const void *data, size_t len,
    int64_t *doc_id, struct mm_err *err)
{
	char state[24], epoch[8], when[MM_TIME_STRLEN], line[200];
	const char *type = NULL;
	struct store_stmt *s;
	int64_t after = 0;
	int rc;

	*doc_id = 0;
	if ((rc = check_upload(x, kind, data, len, &type, err)) != 0)
		return rc;
	if ((rc = store_begin(x->st, err)) != 0)
		return rc;
	if ((rc = subject_epoch(x, id, state, epoch, err)) != 0)
		goto fail;
	if (strcmp(state, "deleted") == 0) {
		rc = mm_err_input(err, "state", "deleted", "削除済みの対象者です", "the subject was deleted");
		goto fail;
	}
	if ((rc = one_int(x->st, "SELECT coalesce(max(id), 0) FROM mn_identity_check WHERE subject_id = $1", id, &after,
	    err)) != 0)
		goto fail;
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_prepare(x->st, "INSERT INTO mn_document (subject_id, kind, content_type, size, after_check_id,"
	    " epoch, key_gen, wrapped_key, ciphertext, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, 0, '', '',"
	    " $7, $8)", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", kind);
	store_bind_text(s, "$3", type);
	store_bind_int(s, "$4", (int64_t)len);
	store_bind_int(s, "$5", after);
	store_bind_text(s, "$6", epoch);
	store_bind_text(s, "$7", x->who->login);
	store_bind_text(s, "$8", when);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	*doc_id = store_last_id(x->st);
	snprintf(line, sizeof(line), "本人確認書類の画像を受領（%s、%s、%zu バイト。本人確認の記録で削除）", kind_label(kind),
	    type, len);
	if ((rc = seal_into(x, id, *doc_id, kind, type, epoch, data, len, err)) != 0 ||
	    (rc = vault_record(x, "collect", id, NULL, line, err)) != 0 ||
	    (rc = audit_doc(x, "mynumber.document_add", id, AUDIT_CREATE, *doc_id, kind, type, (int64_t)len, NULL, NULL,
	    err)) != 0 || (rc = store_commit(x->st, err)) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(x->st);
	*doc_id = 0;
	return rc;
}

int
vault_documents(struct vault_ctx *x, int64_t id, json_t **out, struct mm_err *err)
{
	char state[24], epoch[8];
	struct store_stmt *s;
	json_t *items = json_array();
	int rc;

	*out = NULL;
	if ((rc = subject_epoch(x, id, state, epoch, err)) != 0 ||
	    (rc = store_prepare(x->st, "SELECT d.id, d.kind, d.content_type, d.size, d.uploaded_by, d.uploaded_at"
	    " FROM mn_document d WHERE d.subject_id = $1 AND NOT EXISTS (SELECT 1 FROM mn_identity_check c"
	    " WHERE c.subject_id = d.subject_id AND c.id > d.after_check_id) ORDER BY d.id", &s, err)) != 0) {
		json_decref(items);
		return rc;
	}
	store_bind_int(s, "$1", id);
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s}", "id",
		    (json_int_t)store_col_int(s, 0), "subject_id", (json_int_t)id, "kind", store_col_text(s, 1),
		    "content_type", store_col_text(s, 2), "size", (json_int_t)store_col_int(s, 3), "uploaded_by",
		    store_col_text(s, 4), "uploaded_at", store_col_text(s, 5)));
	store_finalize(s);
	if (rc < 0 || (rc = store_begin(x->st, err)) != 0) {
		json_decref(items);
		return rc;
	}
	if ((rc = vault_audit(x, "mynumber.document_list", id, AUDIT_READ, NULL, NULL, err)) != 0 ||
	    (rc = store_commit(x->st, err)) != 0) {
		store_rollback(x->st);
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:b, s:i, s:o}", "allowed", (int)policy_int(x->m->md_policy, POLICY_MYNUMBER_DOCUMENT_IMAGES),
	    "max_bytes", VAULT_DOCUMENT_MAX, "items", items);
	return 0;
}

/* A document row as it is stored. */
struct doc_row {
	int64_t id, subject, size, gen, after;
	char kind[16], type[24], epoch[8];
	char *wrapped, *cipher;
};

static void
doc_row_free(struct doc_row *r)
{
	free(r->wrapped);
	free(r->cipher);
	r->wrapped = r->cipher = NULL;
}

/* Loads row doc (with its ciphertext when cipher is set); MM_ENOTFOUND when it is gone. */
static int
doc_load(struct store *st, int64_t doc, int cipher, struct doc_row *r, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = store_prepare(st, cipher ? "SELECT subject_id, kind, content_type, size, epoch, key_gen, after_check_id,"
	    " wrapped_key, ciphertext FROM mn_document WHERE id = $1" : "SELECT subject_id, kind, content_type, size, epoch,"
	    " key_gen, after_check_id, wrapped_key FROM mn_document WHERE id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", doc);
	if ((rc = store_step(s, err)) == STORE_ROW) {
		r->id = doc;
		r->subject = store_col_int(s, 0);
		snprintf(r->kind, sizeof(r->kind), "%s", store_col_text(s, 1));
		snprintf(r->type, sizeof(r->type), "%s", store_col_text(s, 2));
		r->size = store_col_int(s, 3);
		snprintf(r->epoch, sizeof(r->epoch), "%s", store_col_text(s, 4));
		r->gen = store_col_int(s, 5);
		r->after = store_col_int(s, 6);
		r->wrapped = strdup(store_col_text(s, 7));
		if (cipher)
			r->cipher = strdup(store_col_text(s, 8));
	}
	store_finalize(s);
	if (rc == STORE_DONE)
		return as_code(err, MM_ENOTFOUND, mm_err_input(err, "id", "not_found",
		    "この画像はありません（本人確認の記録で削除されています）",
		    "no document image %lld (images are erased when the identity check is recorded)", (long long)doc));
	if (rc < 0)
		return rc;
	if (r->wrapped == NULL || (cipher && r->cipher == NULL)) {
		doc_row_free(r);
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	}
	return 0;
}

/* 1 when the handler's scope holds a purpose of subject id (the local operator always). */
static int
in_scope(struct vault_ctx *x, int64_t id, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if (x->pr->pr_local_operator)
		return 1;
	if (!(x->pr->pr_roles & (1u << ROLE_MYNUMBER_HANDLER)))
		return 0;
	if ((rc = store_prepare(x->st, "SELECT 1 FROM mn_subject_purpose p JOIN mn_handler_scope h ON h.purpose = p.purpose"
	    " WHERE p.subject_id = $1 AND h.account_id = $2 LIMIT 1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	store_bind_int(s, "$2", x->pr->pr_account_id);
	rc = store_step(s, err);
	store_finalize(s);
	return rc < 0 ? rc : rc == STORE_ROW;
}

/* Audits a refused view in its own transaction (the refusal is itself an access attempt). */
static int
refuse_view(struct vault_ctx *x, const struct doc_row *r, struct mm_err *err)
{
	struct mm_err e2 = {0};

	if (store_begin(x->st, &e2) == 0) {
		if (audit_doc(x, "mynumber.document_view", r->subject, AUDIT_READ, r->id, r->kind, r->type, r->size, NULL,
		    "denied", &e2) == 0)
			store_commit(x->st, &e2);
		else
			store_rollback(x->st);
	}
	mm_err_set(err, MM_EPERM, "id", "only a handler whose scope holds a purpose of this subject may see its documents");
	mm_strlcpy(err->rule, "out_of_scope", sizeof(err->rule));
	mm_strlcpy(err->msg_ja, "この対象者の利用目的は担当範囲に含まれていません（本人確認書類の画像は表示できません）",
	    sizeof(err->msg_ja));
	return MM_EPERM;
}

int
vault_document_open(struct vault_ctx *x, int64_t doc_id, unsigned char **data, size_t *len, const char **type,
    struct mm_err *err)
{
	unsigned char dek[MM_AEAD_KEY_BYTES];
	char aad[128], owner[64];
	struct doc_row r;
	int64_t latest = 0;
	int rc;

	*data = NULL;
	*len = 0;
	*type = NULL;
	if ((rc = doc_load(x->st, doc_id, 1, &r, err)) != 0)
		return rc;
	if ((rc = in_scope(x, r.subject, err)) <= 0) {
		rc = rc < 0 ? rc : refuse_view(x, &r, err);
		goto done;
	}
	/* an image an identity check has confirmed is not shown even if its erasure has not run yet */
	if ((rc = one_int(x->st, "SELECT coalesce(max(id), 0) FROM mn_identity_check WHERE subject_id = $1", r.subject,
	    &latest, err)) != 0)
		goto done;
	if (latest > r.after) {
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "the identity check is recorded: document image %lld is erased",
		    (long long)doc_id);
		goto done;
	}
	if ((*data = malloc(r.size > 0 ? (size_t)r.size : 1)) == NULL) {
		rc = mm_err_set(err, MM_ENOMEM, "", "out of memory");
		goto done;
	}
	doc_owner(owner, sizeof(owner), r.subject, r.id);
	if ((rc = vault_key_unwrap(x->m, owner, r.epoch, r.gen, r.wrapped, dek, err)) != 0)
		goto done;
	aad_content(aad, sizeof(aad), r.subject, r.id, r.kind, r.type);
	rc = mm_aead_decrypt(dek, aad, r.cipher, *data, (size_t)r.size, len);
	mm_wipe(dek, sizeof(dek));
	if (rc != 0) {
		rc = mm_err_set(err, MM_ECORRUPT, "id", "document image %lld does not open", (long long)doc_id);
		goto done;
	}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].type, r.type) == 0)
			*type = types[i].type;
	if ((rc = store_begin(x->st, err)) != 0)
		goto done;
	if ((rc = vault_record(x, "use", r.subject, NULL, r.kind[0] == 'n' ? "本人確認書類の画像を表示（番号確認書類）"
	    : "本人確認書類の画像を表示（身元確認書類）", err)) != 0 ||
	    (rc = audit_doc(x, "mynumber.document_view", r.subject, AUDIT_READ, r.id, r.kind, r.type, r.size, NULL, NULL,
	    err)) != 0 || (rc = store_commit(x->st, err)) != 0)
		store_rollback(x->st);
done:
	if (rc != 0 && *data) {
		mm_wipe(*data, (size_t)r.size);
		free(*data);
		*data = NULL;
		*len = 0;
	}
	doc_row_free(&r);
	return rc;
}

/* Erases the rows of the query (documents of subject $1), noting each; in the caller's transaction. */
static int
erase(struct vault_ctx *x, const char *select_sql, int64_t a, const char *reason, int64_t *n, struct mm_err *err)
{
	struct store_stmt *s, *del = NULL;
	json_t *gone = json_array(), *g;
	char line[200];
	size_t i;
	int rc;

	*n = 0;
	if ((rc = store_prepare(x->st, select_sql, &s, err)) != 0) {
		json_decref(gone);
		return rc;
	}
	store_bind_int(s, "$1", a);
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(gone, json_pack("[I, I, s, s, I]", (json_int_t)store_col_int(s, 0),
		    (json_int_t)store_col_int(s, 1), store_col_text(s, 2), store_col_text(s, 3),
		    (json_int_t)store_col_int(s, 4)));
	store_finalize(s);
	if (rc < 0 || (rc = store_prepare(x->st, "DELETE FROM mn_document WHERE id = $1", &del, err)) != 0)
		goto done;
	json_array_foreach(gone, i, g) {
		int64_t doc = json_integer_value(json_array_get(g, 0)), subject = json_integer_value(json_array_get(g, 1));
		const char *kind = json_string_value(json_array_get(g, 2)), *type = json_string_value(json_array_get(g, 3));
		store_reset(del);
		store_bind_int(del, "$1", doc);
		if ((rc = store_step(del, err)) < 0)
			goto done;
		snprintf(line, sizeof(line), "本人確認書類の画像（%s、画像 %lld）を削除（%s）", kind_label(kind), (long long)doc,
		    strcmp(reason, "confirmed") == 0 ? "本人確認の記録による" : "担当者による削除");
		if ((rc = vault_record(x, "deletion", subject, NULL, line, err)) != 0 ||
		    (rc = audit_doc(x, "mynumber.document_purge", subject, AUDIT_DELETE, doc, kind, type,
		    json_integer_value(json_array_get(g, 4)), reason, NULL, err)) != 0)
			goto done;
		(*n)++;
	}
	rc = 0;
done:
	store_finalize(del);
	json_decref(gone);
	return rc < 0 ? rc : 0;
}

int
vault_document_purge(struct vault_ctx *x, int64_t doc_id, struct mm_err *err)
{
	int64_t n = 0;
	int rc;

	if ((rc = store_begin(x->st, err)) != 0)
		return rc;
	if ((rc = erase(x, "SELECT id, subject_id, kind, content_type, size FROM mn_document WHERE id = $1", doc_id,
	    "purge", &n, err)) != 0)
		goto fail;
	if (n == 0) {
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "no document image %lld", (long long)doc_id);
		goto fail;
	}
	if ((rc = store_commit(x->st, err)) != 0)
		goto fail;
	store_flush_log(x->st); /* the erased bytes leave the write-ahead log too */
	return 0;
fail:
	store_rollback(x->st);
	return rc;
}

int
vault_documents_confirmed_in(struct vault_ctx *x, int64_t id, int64_t *n, struct mm_err *err)
{
	return erase(x, "SELECT d.id, d.subject_id, d.kind, d.content_type, d.size FROM mn_document d WHERE d.subject_id = $1"
	    " AND EXISTS (SELECT 1 FROM mn_identity_check c WHERE c.subject_id = d.subject_id AND c.id > d.after_check_id)"
	    " ORDER BY d.id", id, "confirmed", n, err);
}

int
vault_documents_confirmed(struct vault_ctx *x, int64_t id, int64_t *n, struct mm_err *err)
{
	int rc;

	*n = 0;
	if ((rc = store_begin(x->st, err)) != 0)
		return rc;
	if ((rc = vault_documents_confirmed_in(x, id, n, err)) != 0 || (rc = store_commit(x->st, err)) != 0) {
		store_rollback(x->st);
		return rc;
	}
	if (*n > 0)
		store_flush_log(x->st);
	return 0;
}

int
vault_document_rewrap(struct vault_ctx *x, int64_t doc_id, const char *epoch, struct mm_err *err)
{
	char owner[64], *wrapped = NULL;
	struct store_stmt *s;
	struct doc_row r;
	int64_t gen = 0;
	int rc;

	if ((rc = doc_load(x->st, doc_id, 0, &r, err)) != 0)
		return rc;
	doc_owner(owner, sizeof(owner), r.subject, r.id);
	if ((rc = vault_key_rewrap(x, owner, r.epoch, r.gen, r.wrapped, epoch, &gen, &wrapped, err)) != 0 ||
	    (rc = store_prepare(x->st, "UPDATE mn_document SET epoch = $1, key_gen = $2, wrapped_key = $3"
	    " WHERE id = $4", &s, err)) != 0)
		goto done;
	store_bind_text(s, "$1", epoch);
	store_bind_int(s, "$2", gen);
	store_bind_text(s, "$3", wrapped);
	store_bind_int(s, "$4", doc_id);
	rc = store_step(s, err);
	store_finalize(s);
	rc = rc < 0 ? rc : 0;
done:
	free(wrapped);
	doc_row_free(&r);
	return rc;
}

int
vault_documents_rewrap(struct vault_ctx *x, int64_t id, const char *epoch, struct mm_err *err)
{
	struct store_stmt *s;
	json_t *ids = json_array(), *v;
	size_t i;
	int rc;

	if ((rc = store_prepare(x->st, "SELECT id FROM mn_document WHERE subject_id = $1 ORDER BY id", &s, err)) != 0) {
		json_decref(ids);
		return rc;
	}
	store_bind_int(s, "$1", id);
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(ids, json_integer(store_col_int(s, 0)));
	store_finalize(s);
	json_array_foreach(ids, i, v) {
		if (rc < 0)
			break;
		rc = vault_document_rewrap(x, json_integer_value(v), epoch, err);
	}
	json_decref(ids);
	return rc < 0 ? rc : 0;
}
