/*
 * The My Number vault (特定個人情報; docs/internals/vault.md and vault-keys.md). The only module that
 * ever holds a number in clear, and only for as long as a call needs it: numbers are encrypted under
 * a data key wrapped by the key of their retention epoch, shown only to a handler in scope for a
 * purpose, and really deleted.
 */
#ifndef MM_VAULT_H
#define MM_VAULT_H

#include "auth/authz.h"
#include "base/buf.h"
#include "core/errors.h"
#include "core/mamori.h"

#include <jansson.h>

#define VAULT_NUMBER_MAX 13 /* digits of a 法人番号; a 個人番号 has 12 */

/* Who is acting, with the time the access began (for the 000 【６】 start and end). */
struct vault_kek_cache;

struct vault_ctx {
	struct mamori *m;
	struct store *st;
	const struct mm_actor *who;
	const struct principal *pr;
	int64_t started_ms;
	/* a bulk operation may keep the epoch key it wraps with for its own duration (vault_cache_*) */
	struct vault_kek_cache *kek_cache;
};

/* For a bulk import: keep the current epoch keys in memory until vault_cache_end (which wipes them). */
void vault_cache_begin(struct vault_ctx *x);
void vault_cache_end(struct vault_ctx *x);

/* ---- numbers (number.c) ---- */

/*
 * Normalises what a person typed (full-width digits, hyphens, spaces) into digits and checks it:
 * a 12-digit 個人番号 with its check digit, or (corporate) a 13-digit 法人番号 with its leading check
 * digit. out gets the digits. MM_EINVAL with a message naming the rule (never the number).
 */
int vault_number_normalise(const char *in, int corporate, char out[VAULT_NUMBER_MAX + 1], struct mm_err *err);

/* ---- the purposes catalogue (subjects.c) ---- */

/* The profile's purposes with labels and subject kinds: [{code, label, label_en, kinds: [..]}]. */
json_t *vault_purposes(struct mamori *m);

/* ---- subjects (subjects.c) ---- */

/* Input as the API takes it; *errors names each bad field. The number is wiped after use. */
int vault_subject_create(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err);
/* The same inside the caller's transaction (bulk import); *errors only when there are some. */
int vault_subject_create_in(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err);
int vault_subject_update(struct vault_ctx *x, int64_t id, json_t *in, json_t **errors, struct mm_err *err);
/* A subject as JSON with the masked number; audited as a read. */
int vault_subject_get(struct vault_ctx *x, int64_t id, json_t **out, struct mm_err *err);
/* Masked list: {items, total, page, per_page}; audited as a read of the list. */
/* At open: makes the store's text index of the subjects' names (again when missing or different). */
int vault_sync(struct store *st, struct mm_err *err);
int vault_subject_list(struct vault_ctx *x, const char *q, const char *kind, const char *state, int64_t page,
    int64_t per_page, json_t **out, struct mm_err *err);
/* Sets (or replaces, a correction) the number of a subject. */
int vault_number_set(struct vault_ctx *x, int64_t id, const char *number, const char *reason, json_t **errors,
    struct mm_err *err);
int vault_identity_check(struct vault_ctx *x, int64_t id, json_t *in, json_t **errors, struct mm_err *err);

/* ---- access (access.c) ---- */

/* 1 when the principal may see masked lists (handler, manager, auditor, or IT staff with a grant). */
int vault_may_list(struct vault_ctx *x);
/*
 * The number in clear, for a handler whose scope holds purpose and whose subject has it. out gets the
 * digits (wipe after use). Audited and written to the 取扱記録簿 as a use.
 */
int vault_reveal(struct vault_ctx *x, int64_t id, const char *purpose, char out[VAULT_NUMBER_MAX + 1],
    struct mm_err *err);

/* ---- keys (keys.c) ---- */

/* Encrypts digits for subject id into a new mn_number row's values (epoch, gen, wrapped key, ciphertext). */
struct vault_sealed {
	char epoch[8];
	int64_t gen;
	char *wrapped; /* malloc'ed hex */
	char *cipher;  /* malloc'ed hex */
};
int vault_seal(struct vault_ctx *x, int64_t id, const char *kind, const char *epoch, const char *digits,
    struct vault_sealed *out, struct mm_err *err);
void vault_sealed_free(struct vault_sealed *s);
/*
 * The two halves of every data key's protection, shared by numbers and document images: wraps dek
 * under the current key of epoch (the generation used goes to *gen, the wrapped key to *wrapped,
 * malloc'ed hex), binding owner ("mn_key:<subject id>", "mn_doc_key:<subject id>:<document id>"), and
 * opens such a wrapped key again. dek is wiped on failure.
 */
int vault_key_wrap(struct vault_ctx *x, const char *owner, const char *epoch, const unsigned char dek[32],
    int64_t *gen, char **wrapped, struct mm_err *err);
int vault_key_unwrap(struct mamori *m, const char *owner, const char *epoch, int64_t gen, const char *wrapped,
    unsigned char dek[32], struct mm_err *err);
/* Both at once: the key wrapped under (old_epoch, old_gen) wrapped again under epoch's current key. */
int vault_key_rewrap(struct vault_ctx *x, const char *owner, const char *old_epoch, int64_t old_gen,
    const char *old_wrapped, const char *epoch, int64_t *gen, char **wrapped, struct mm_err *err);
/* Decrypts the number of subject id (any caller must have checked the permission). */
int vault_open_number(struct vault_ctx *x, int64_t id, char out[VAULT_NUMBER_MAX + 1], struct mm_err *err);
/* Moves a number's data key to another epoch (its retention end changed). In the caller's transaction. */
int vault_rewrap(struct vault_ctx *x, int64_t id, const char *epoch, struct mm_err *err);
/* Makes a new key generation for every epoch and rewraps every data key under it (key rotation). */
int vault_rotate(struct vault_ctx *x, int64_t *rewrapped, struct mm_err *err);
/* Destroys the key files of an epoch that holds no number any more. */
int vault_epoch_destroy(struct mamori *m, const char *epoch, struct mm_err *err);
/* The epochs: [{epoch, numbers, key_files}]. */
int vault_epochs(struct vault_ctx *x, json_t **out, struct mm_err *err);
/* The epoch of a retention end date YYYY-MM-DD ("open" when NULL). */
void vault_epoch_of(const char *retention_end, char out[8]);
/* The blind index of a number (keyed hash, hex). */
void vault_blind_index(struct mamori *m, const char *kind, const char *digits, char out[65]);

/* ---- deletion (deletion.c) ---- */

/*
 * The handler's deletion request of subject id: the id and the last four digits typed again, a reason;
 * marks the subject deletion_requested. In the caller's transaction (the engine's request is made in it
 * too: workflow/effects.c). *errors: every field error.
 */
int vault_deletion_request(struct vault_ctx *x, int64_t id, json_t *in, int64_t *req_id, json_t **errors,
    struct mm_err *err);
/* Names the engine's request of a deletion request; in the caller's transaction. */
int vault_deletion_link(struct vault_ctx *x, int64_t req_id, int64_t approval_id, struct mm_err *err);
/* The engine's request of a deletion request (MM_ENOTFOUND). */
int vault_deletion_approval(struct vault_ctx *x, int64_t req_id, int64_t *approval_id, struct mm_err *err);
/*
 * Closes a pending deletion request as the engine decided it ("approved", "rejected" or "withdrawn"), in
 * the caller's transaction: approved shreds the number (records, asset ledger, audit) and gives its
 * epoch in epoch; otherwise the subject is active again. x->who is the decider.
 */
int vault_deletion_close(struct vault_ctx *x, int64_t req_id, const char *outcome, const char *comment, char epoch[8],
    struct mm_err *err);
/* After the commit of an approved deletion: destroys the epoch's key files when it holds no number now. */
int vault_deletion_after(struct vault_ctx *x, const char *epoch, struct mm_err *err);
/* Subjects past retention and pending requests: {due: [...], requests: [...]}. */
int vault_deletion_queue(struct vault_ctx *x, json_t **out, struct mm_err *err);

/* ---- records and reports (records.c) ---- */

/* Appends to the 取扱記録簿 (in the caller's transaction). */
int vault_record(struct vault_ctx *x, const char *action, int64_t subject_id, const char *purpose,
    const char *detail, struct mm_err *err);
/* Audits an access to subject id ("*" for lists) with the purpose (in the caller's transaction). */
int vault_audit(struct vault_ctx *x, const char *action, int64_t subject_id, enum audit_access access,
    const char *purpose, const char *outcome, struct mm_err *err);
/* The same with the event's details given (a JSON object, borrowed; never a number or content). */
int vault_audit_details(struct vault_ctx *x, const char *action, int64_t subject_id, enum audit_access access,
    json_t *details, const char *outcome, struct mm_err *err);
int vault_records(struct vault_ctx *x, const char *from, const char *to, json_t **out, struct mm_err *err);
int vault_report_month(struct vault_ctx *x, const char *month, json_t **out, struct mm_err *err);
int vault_inspection(struct vault_ctx *x, const char *year, json_t **out, struct mm_err *err);

/*
 * Ends a change: commits when rc is 0 and errs is empty, else rolls back; hands errs to *errors when
 * the change failed with some (errors may be NULL). Returns the result.
 */
int vault_finish(struct vault_ctx *x, int rc, json_t *errs, json_t **errors, struct mm_err *err);

/* ---- administration (admin.c) ---- */

int vault_scope_get(struct vault_ctx *x, int64_t account_id, json_t **out, struct mm_err *err);
int vault_scope_set(struct vault_ctx *x, int64_t account_id, json_t *purposes, json_t **errors, struct mm_err *err);
int vault_grants(struct vault_ctx *x, json_t **out, struct mm_err *err);
/* A grant given directly by the manager: vault_grant_check, then vault_grant_insert, in one transaction. */
int vault_grant_add(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err);
/* Adds to errs what is wrong with a grant asked for ({login, reason, ends_at}: an enabled sysadmin, a reason,
 * an end after now within [mynumber] it_access_max). */
int vault_grant_check(struct vault_ctx *x, json_t *in, json_t *errs, struct mm_err *err);
/* Records a checked grant from now on, given by x->who (approval_id: the engine's request, 0 when the manager
 * gave it directly), audited; in the caller's transaction. */
int vault_grant_insert(struct vault_ctx *x, json_t *in, int64_t approval_id, int64_t *id, struct mm_err *err);
int vault_grant_revoke(struct vault_ctx *x, int64_t id, struct mm_err *err);
/* 1 when login holds an IT-staff grant in force now. */
int vault_grant_active(struct vault_ctx *x, const char *login);
int vault_mistakes(struct vault_ctx *x, json_t **out, struct mm_err *err);
int vault_mistake_add(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err);
int vault_mistake_resolve(struct vault_ctx *x, int64_t id, json_t *in, json_t **errors, struct mm_err *err);
int vault_requests(struct vault_ctx *x, json_t **out, struct mm_err *err);
int vault_request_add(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err);
int vault_request_update(struct vault_ctx *x, int64_t id, json_t *in, json_t **errors, struct mm_err *err);

/* ---- images of 本人確認 documents (documents.c) ---- */

#define VAULT_DOCUMENT_MAX (5 * 1024 * 1024) /* the largest image or PDF of an identity document */

/* "image/jpeg", "image/png" or "application/pdf" from the first bytes of data; NULL for anything else. */
const char *vault_document_type(const void *data, size_t len);
/*
 * Keeps the image of an identity document of subject id, encrypted (kind "number": 番号確認書類,
 * "identity": 身元確認書類), when the profile allows it ([mynumber] document_images); refused naming
 * the field and rule otherwise. Audited, and noted in the 取扱記録簿.
 */
int vault_document_add(struct vault_ctx *x, int64_t id, const char *kind, const void *data, size_t len,
    int64_t *doc_id, struct mm_err *err);
/* The images of subject id awaiting confirmation: {allowed, max_bytes, items: [{id, kind, ...}]} (no content). */
int vault_documents(struct vault_ctx *x, int64_t id, json_t **out, struct mm_err *err);
/*
 * The image doc_id decrypted, for a handler whose scope holds a purpose of its subject: *data
 * (malloc'ed, *len bytes; wipe and free it) and *type. Audited, and noted in the 取扱記録簿 as a use.
 */
int vault_document_open(struct vault_ctx *x, int64_t doc_id, unsigned char **data, size_t *len,
    const char **type, struct mm_err *err);
/* Erases one image at once (the handler's explicit purge); audited and noted in the 取扱記録簿. */
int vault_document_purge(struct vault_ctx *x, int64_t doc_id, struct mm_err *err);
/*
 * Erases the images of subject id that an identity check recorded after them has confirmed; *n gets
 * how many. vault_documents_confirmed_in runs in the caller's transaction (the one recording the
 * check); vault_documents_confirmed in its own.
 */
int vault_documents_confirmed_in(struct vault_ctx *x, int64_t id, int64_t *n, struct mm_err *err);
int vault_documents_confirmed(struct vault_ctx *x, int64_t id, int64_t *n, struct mm_err *err);
/* Moves the data keys of subject id's images (or of the image doc_id) to epoch; caller's transaction. */
int vault_documents_rewrap(struct vault_ctx *x, int64_t id, const char *epoch, struct mm_err *err);
int vault_document_rewrap(struct vault_ctx *x, int64_t doc_id, const char *epoch, struct mm_err *err);

/* ---- export (export.c) ---- */

/*
 * The numbers of the chosen subjects (all in scope for purpose when ids is empty) as a CSV inside a
 * ZIP encrypted with AES-256 and a generated password. Recorded as an output in the 取扱記録簿 and
 * as a take-out awaiting approval. out: {file (base64), filename, password, takeout_id, count}.
 */
int vault_export(struct vault_ctx *x, json_t *in, json_t **out, json_t **errors, struct mm_err *err);

#endif
