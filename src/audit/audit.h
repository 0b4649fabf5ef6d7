/*
 * The audit trail: every change (and every read of protected data) appends an event in the same
 * transaction as the change. Events are hash-chained with BLAKE2b-256 and sealed by Ed25519-signed
 * checkpoints. The format is specified in docs/internals/audit-trail.md.
 */
#ifndef MM_AUDIT_H
#define MM_AUDIT_H

#include "base/err.h"
#include "crypto/crypto.h"
#include "store/store.h"

#include <stdint.h>

#define AUDIT_HASH_HEX (2 * MM_HASH_BYTES + 1)
#define AUDIT_DETAILS_MAX 4096

/* アクセス内容 (seed 000 【６】): what the action did to its target. */
enum audit_access {
	AUDIT_READ,   /* 参照 */
	AUDIT_UPDATE, /* 更新 */
	AUDIT_CREATE, /* 作成 */
	AUDIT_DELETE, /* 削除 */
	AUDIT_OUTPUT, /* 出力 */
};

/* "read", "update", ... as stored; and the Japanese label. */
const char *audit_access_name(enum audit_access a);
const char *audit_access_label_ja(enum audit_access a);

/*
 * One event as a caller describes it. started_ms is when the action began (0: now); the end time
 * is taken when the event is appended. details is a JSON object (NULL: "{}") and must never hold
 * a secret or a My Number. outcome is "success", "failure" or "denied".
 */
struct audit_event {
	int64_t started_ms;
	const char *actor;  /* login, or "cli:USER" for the local operator */
	const char *action; /* dotted name: "journal.add", "account.create" */
	const char *target_type;
	const char *target_id;
	enum audit_access access;
	const char *outcome;
	const char *client; /* IP address, or "local" */
	const char *details;
};

/* When to seal the trail automatically (from the profile), and with which key. */
struct audit_sealer {
	const unsigned char *as_secret_key; /* Ed25519, MM_SIGN_SECRET_BYTES; NULL: never seal */
	int64_t as_every_events;            /* 0: not by count */
	int64_t as_every_ms;                /* 0: not by time */
};

/*
 * Appends ev to the chain. The caller must hold an open write transaction (store_begin) that
 * also holds the change being audited: if the event cannot be written, the change must roll back
 * (fail-closed). On success *seq (when not NULL) is the new event's number. A checkpoint is added
 * in the same transaction when the sealer says one is due.
 */
int audit_append(struct store *st, const struct audit_event *ev, const struct audit_sealer *sealer,
    int64_t *seq, struct mm_err *err);

/* A signed checkpoint: the first `events` events end in `head`. */
struct audit_checkpoint {
	int64_t events;
	char head[AUDIT_HASH_HEX];
	char time[40];
	char public_key[2 * MM_SIGN_PUBLIC_BYTES + 1];
	char signature[2 * MM_SIGNATURE_BYTES + 1];
};

/* Makes, stores and returns a checkpoint of the whole trail. Needs an open write transaction. */
int audit_checkpoint_make(struct store *st, const unsigned char *secret_key,
    struct audit_checkpoint *cp, struct mm_err *err);

/* Writes the checkpoint as the text a person keeps (at most 512 bytes) into out. */
int audit_checkpoint_format(const struct audit_checkpoint *cp, char *out, size_t n);

/* Parses that text. MM_EINVAL with the line that is wrong. */
int audit_checkpoint_parse(const char *text, size_t len, struct audit_checkpoint *cp,
    struct mm_err *err);

/* Checks a checkpoint's signature (against its own key). 0, or MM_ECORRUPT. */
int audit_checkpoint_check_signature(const struct audit_checkpoint *cp);

/* What verification found. bad_seq is 0 when the trail is intact. */
struct audit_verify_result {
	int64_t events;
	char head[AUDIT_HASH_HEX];
	int64_t checkpoints;
	int64_t bad_seq;
	char reason[512];
};

/*
 * Recomputes the whole chain and checks every stored checkpoint against public_key; with an
 * external checkpoint (kept elsewhere) also detects truncation and rollback. Returns 0 when the
 * check ran (look at res->bad_seq), or a negative code when it could not run.
 */
int audit_verify(struct store *st, const unsigned char *public_key,
    const struct audit_checkpoint *external, struct audit_verify_result *res, struct mm_err *err);

/* 0: audit_verify reads and checks in one thread (for tests: both ways give the same result). */
extern int audit__verify_threads;

/* The hash of one stored event (used by append and verify; exposed for tests). */
struct audit_row {
	int64_t seq;
	const char *started_at, *ended_at, *actor, *action, *target_type, *target_id, *access,
	    *outcome, *client, *details, *prev_hash;
};
void audit_row_hash(const struct audit_row *r, char out[AUDIT_HASH_HEX]);
/*
 * The bytes that hash covers (docs/internals/audit-trail.md): written into out when they fit in n
 * bytes. Returns their number, or 0 when they do not fit.
 */
size_t audit_row_encode(const struct audit_row *r, unsigned char *out, size_t n);
/*
 * The size of that encoding for a row whose text fields hold text_bytes bytes in all: unequal to
 * audit_row_encode's when a stored field holds a NUL byte (the text after it is not hashed).
 */
size_t audit_row_encoded_size(int64_t seq, size_t text_bytes);

#endif
