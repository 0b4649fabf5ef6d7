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

/*
 * The events whose recomputed hash a checkpoint needs (ascending, each once) and, once the walk
 * has passed them, those hashes: a trail of millions of events keeps a few hashes, not all.
 */
struct wanted {
	int64_t *w_seq;
	char (*w_hash)[AUDIT_HASH_HEX];
	size_t w_n, w_cap;
	size_t w_next;        /* the walk's place in w_seq */
	int64_t w_stored;     /* stored checkpoints read, and the id of the newest one */
	int64_t w_last_id;
};

static int
wanted_add(struct wanted *w, int64_t seq)
{
	if (seq < 1)
		return 0; /* matches no event; reported as malformed or invalid later */
	if (w->w_n == w->w_cap) {
		size_t cap = w->w_cap ? w->w_cap * 2 : 64;
		void *p = realloc(w->w_seq, cap * sizeof(*w->w_seq));
		if (p == NULL)
			return MM_ENOMEM;
		w->w_seq = p;
		w->w_cap = cap;
	}
	w->w_seq[w->w_n++] = seq;
	return 0;
}

static int
cmp_seq(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Reads which events the stored checkpoints (and the external one) cover, before the walk: a
 * checkpoint stored while the walk runs is left for the next verification, so that it can never
 * seem to cover events the walk did not reach.
 */
static int
wanted_load(struct store *st, const struct audit_checkpoint *external, struct wanted *w,
    struct mm_err *err)
{
	struct store_stmt *s;
	size_t n = 0;
	int rc;

	if ((rc = store_prepare(st, "SELECT id, events FROM audit_checkpoint ORDER BY id", &s, err)) != 0)
		return rc;
	while ((rc = store_step(s, err)) == STORE_ROW) {
		w->w_stored++;
		w->w_last_id = store_col_int(s, 0);
		if ((rc = wanted_add(w, store_col_int(s, 1))) != 0)
			break;
	}
	store_finalize(s);
	if (rc == 0 && external != NULL)
		rc = wanted_add(w, external->events);
	if (rc == MM_ENOMEM)
		return mm_err_set(err, rc, "", "out of memory");
	if (rc < 0)
		return rc;
	if (w->w_n == 0)
		return 0;
	qsort(w->w_seq, w->w_n, sizeof(*w->w_seq), cmp_seq);
	for (size_t i = 0; i < w->w_n; i++)
		if (n == 0 || w->w_seq[n - 1] != w->w_seq[i])
			w->w_seq[n++] = w->w_seq[i];
	w->w_n = n;
	if ((w->w_hash = calloc(n, sizeof(*w->w_hash))) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	return 0;
}

/* Keeps the recomputed hash of event seq when a checkpoint covers it (the walk goes in order). */
static void
wanted_reached(struct wanted *w, int64_t seq, const char *hash)
{
	if (w->w_next < w->w_n && w->w_seq[w->w_next] == seq)
		memcpy(w->w_hash[w->w_next++], hash, AUDIT_HASH_HEX);
}

/* The recomputed hash of event seq, or NULL when no checkpoint asked for it. */
static const char *
wanted_hash(const struct wanted *w, int64_t seq)
{
	const int64_t *at = bsearch(&seq, w->w_seq, w->w_n, sizeof(*w->w_seq), cmp_seq);

	return at ? w->w_hash[at - w->w_seq] : NULL;
}

static void
wanted_free(struct wanted *w)
{
	free(w->w_seq);
	free(w->w_hash);
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
walk_chain(struct store *st, struct wanted *w, struct audit_verify_result *res, struct mm_err *err)
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
		wanted_reached(w, r.seq, hash);
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
check_checkpoint(const struct audit_checkpoint *cp, const char *pk_hex, const struct wanted *w,
    struct audit_verify_result *res, const char *label)
{
	const char *head;

	if (strcmp(cp->public_key, pk_hex) != 0) {
		bad(res, cp->events, "%s was signed by another key (%.16s...), not this data directory's",
		    label, cp->public_key);
		return;
	}
	if (audit_checkpoint_check_signature(cp) != 0) {
		bad(res, cp->events, "%s has an invalid signature", label);
		return;
	}
	if (cp->events > res->events) {
		bad(res, res->events + 1, "%s covers %" PRId64 " events but the trail ends at event %"
		    PRId64 ": events %" PRId64 " to %" PRId64 " were removed", label, cp->events,
		    res->events, res->events + 1, cp->events);
		return;
	}
	/* none only when the checkpoint row was rewritten while the walk ran */
	if ((head = wanted_hash(w, cp->events)) == NULL || strcmp(head, cp->head) != 0)
		bad(res, cp->events, "event %" PRId64 " does not match %s: the trail was rewritten or rolled back",
		    cp->events, label);
}

static int
check_stored_checkpoints(struct store *st, const char *pk_hex, const struct wanted *w,
    struct audit_verify_result *res, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if (w->w_stored == 0)
		return 0;
	if ((rc = store_prepare(st,
	    "SELECT id, events, head_hash, created_at, public_key, signature FROM audit_checkpoint"
	    " WHERE id <= $1 ORDER BY id", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", w->w_last_id);
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
		check_checkpoint(&cp, pk_hex, w, res, label);
		res->checkpoints++;
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int
audit_verify(struct store *st, const unsigned char *public_key, const struct audit_checkpoint *external,
    struct audit_verify_result *res, struct mm_err *err)
{
	struct wanted w = {0};
	char pk_hex[2 * MM_SIGN_PUBLIC_BYTES + 1];
	int rc;

	memset(res, 0, sizeof(*res));
	mm_hex_encode(pk_hex, public_key, MM_SIGN_PUBLIC_BYTES);
	if ((rc = wanted_load(st, external, &w, err)) != 0 || (rc = walk_chain(st, &w, res, err)) != 0)
		goto out;
	if (res->bad_seq == 0 && external != NULL) {
		check_checkpoint(external, pk_hex, &w, res, "the checkpoint given");
		res->checkpoints++;
	}
	if (res->bad_seq == 0)
		rc = check_stored_checkpoints(st, pk_hex, &w, res, err);
out:
	wanted_free(&w);
	return rc;
}
