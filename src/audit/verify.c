/*
 * Verification: walk the trail in order, recompute every link and hash, then check each stored
 * checkpoint (and an external one, kept elsewhere) against the recomputed chain. The first problem
 * found is reported with the number of the event concerned.
 */
#include "audit/audit.h"
#include "base/str.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Hashes of all events, kept to check checkpoints afterwards: 65 bytes each. */
struct hashes {
	char (*h)[AUDIT_HASH_HEX];
	size_t n, cap;
};

static int
hashes_push(struct hashes *hs, const char *hash)
{
	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 1024;
		void *p = realloc(hs->h, cap * sizeof(*hs->h));
		if (p == NULL)
			return MM_ENOMEM;
		hs->h = p;
		hs->cap = cap;
	}
	memcpy(hs->h[hs->n++], hash, AUDIT_HASH_HEX);
	return 0;
}

static void
bad(struct audit_verify_result *res, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(struct audit_verify_result *res, int64_t seq, const char *fmt, ...)
{
	va_list ap;

	if (res->bad_seq != 0)
		return;
	res->bad_seq = seq;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

static const char *
text(struct store_stmt *s, int col)
{
	const char *t = store_col_text(s, col);

	return t ? t : "";
}

static int
walk_chain(struct store *st, struct hashes *hs, struct audit_verify_result *res, struct mm_err *err)
{
	struct store_stmt *s;
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	int64_t expect = 1;
	int rc;

	memcpy(prev, GENESIS, sizeof(prev));
	if ((rc = store_prepare(st,
	    "SELECT seq, started_at, ended_at, actor, action, target_type, target_id, access, outcome,"
	    " client, details, prev_hash, hash FROM audit_event ORDER BY seq", &s, err)) != 0)
		return rc;
	while ((rc = store_step(s, err)) == STORE_ROW) {
		struct audit_row r = {
		    .seq = store_col_int(s, 0),
		    .started_at = text(s, 1),
		    .ended_at = text(s, 2),
		    .actor = text(s, 3),
		    .action = text(s, 4),
		    .target_type = text(s, 5),
		    .target_id = text(s, 6),
		    .access = text(s, 7),
		    .outcome = text(s, 8),
		    .client = text(s, 9),
		    .details = text(s, 10),
		    .prev_hash = text(s, 11),
		};
		const char *stored = text(s, 12);

		if (r.seq != expect) {
			if (r.seq > expect)
				bad(res, expect, "event %" PRId64 " is missing: the trail jumps from event %" PRId64
				    " to event %" PRId64, expect, expect - 1, r.seq);
			else
				bad(res, r.seq, "event %" PRId64 " has an invalid number", r.seq);
			break;
		}
		if (strcmp(r.prev_hash, prev) != 0) {
			bad(res, r.seq, "event %" PRId64 " does not follow event %" PRId64
			    ": its link to the previous event is wrong (events removed, inserted or reordered)",
			    r.seq, r.seq - 1);
			break;
		}
		audit_row_hash(&r, hash);
		if (strcmp(hash, stored) != 0) {
			bad(res, r.seq, "event %" PRId64 " was altered: its contents do not match its hash",
			    r.seq);
			break;
		}
		if ((rc = hashes_push(hs, hash)) != 0) {
			store_finalize(s);
			return mm_err_set(err, rc, "", "out of memory");
		}
		memcpy(prev, hash, sizeof(prev));
		expect++;
	}
	store_finalize(s);
	if (rc < 0)
		return rc;
	res->events = expect - 1;
	memcpy(res->head, prev, sizeof(prev));
	return 0;
}

/* Checks one checkpoint against the recomputed chain. label says which checkpoint it is. */
static void
check_checkpoint(const struct audit_checkpoint *cp, const char *pk_hex, const struct hashes *hs,
    struct audit_verify_result *res, const char *label)
{
	if (strcmp(cp->public_key, pk_hex) != 0) {
		bad(res, cp->events, "%s was signed by another key (%.16s...), not this data directory's",
		    label, cp->public_key);
		return;
	}
	if (audit_checkpoint_check_signature(cp) != 0) {
		bad(res, cp->events, "%s has an invalid signature", label);
		return;
	}
	if ((size_t)cp->events > hs->n) {
		bad(res, (int64_t)hs->n + 1, "%s covers %" PRId64 " events but the trail ends at event %zu: "
		    "events %zu to %" PRId64 " were removed", label, cp->events, hs->n, hs->n + 1, cp->events);
		return;
	}
	if (strcmp(hs->h[cp->events - 1], cp->head) != 0)
		bad(res, cp->events, "event %" PRId64 " does not match %s: the trail was rewritten or rolled back",
		    cp->events, label);
}

static int
check_stored_checkpoints(struct store *st, const char *pk_hex, const struct hashes *hs,
    struct audit_verify_result *res, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st,
	    "SELECT id, events, head_hash, created_at, public_key, signature FROM audit_checkpoint"
	    " ORDER BY id", &s, err)) != 0)
		return rc;
	while ((rc = store_step(s, err)) == STORE_ROW && res->bad_seq == 0) {
		struct audit_checkpoint cp = {.events = store_col_int(s, 1)};
		char label[64];

		mm_strlcpy(cp.head, text(s, 2), sizeof(cp.head));
		mm_strlcpy(cp.time, text(s, 3), sizeof(cp.time));
		mm_strlcpy(cp.public_key, text(s, 4), sizeof(cp.public_key));
		mm_strlcpy(cp.signature, text(s, 5), sizeof(cp.signature));
		snprintf(label, sizeof(label), "stored checkpoint %" PRId64 " (%s)", store_col_int(s, 0),
		    cp.time);
		if (cp.events < 1) {
			bad(res, 1, "%s is malformed", label);
			break;
		}
		check_checkpoint(&cp, pk_hex, hs, res, label);
		res->checkpoints++;
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int
audit_verify(struct store *st, const unsigned char *public_key, const struct audit_checkpoint *external,
    struct audit_verify_result *res, struct mm_err *err)
{
	struct hashes hs = {0};
	char pk_hex[2 * MM_SIGN_PUBLIC_BYTES + 1];
	int rc;

	memset(res, 0, sizeof(*res));
	mm_hex_encode(pk_hex, public_key, MM_SIGN_PUBLIC_BYTES);
	if ((rc = walk_chain(st, &hs, res, err)) != 0)
		goto out;
	if (res->bad_seq == 0 && external != NULL) {
		check_checkpoint(external, pk_hex, &hs, res, "the checkpoint given");
		res->checkpoints++;
	}
	if (res->bad_seq == 0)
		rc = check_stored_checkpoints(st, pk_hex, &hs, res, err);
out:
	free(hs.h);
	return rc;
}
