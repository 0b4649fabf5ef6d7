/*
 * Verification: walk the trail in order, recompute every link and hash, then check each stored
 * checkpoint (and an external one, kept elsewhere) against the recomputed chain. The first problem
 * found is reported with the number of the event concerned.
 */
#include "audit/audit.h"
#include "base/str.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* A stored checkpoint read before the walk; its signature is checked while the walk runs. */
struct stored_cp {
	int64_t sc_id;
	struct audit_checkpoint sc_cp;
	int sc_sig; /* what audit_checkpoint_check_signature said; 1: not checked yet */
};

/* Stored checkpoints kept from before the walk; those after them are read again at the end. */
#define CP_READ_AHEAD 4096

/*
 * The events whose recomputed hash a checkpoint needs (ascending, each once) and, once the walk
 * has passed them, those hashes: a trail of millions of events keeps a few hashes, not all.
 */
struct wanted {
	int64_t *w_seq;
	char (*w_hash)[AUDIT_HASH_HEX];
	size_t w_n, w_cap;
	size_t w_next;    /* the walk's place in w_seq */
	int64_t w_stored; /* stored checkpoints read, and the id of the newest one */
	int64_t w_last_id;
	struct stored_cp *w_cp; /* the first CP_READ_AHEAD of them */
	size_t w_ncp, w_cp_cap;
	size_t w_signed; /* signatures of w_cp checked so far */
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

static const char *
text(struct store_stmt *s, int col)
{
	const char *t = store_col_text(s, col);

	return t ? t : "";
}

/* The checkpoint of a row of "SELECT id, events, head_hash, created_at, public_key, signature". */
static void
checkpoint_row(struct store_stmt *s, int64_t *id, struct audit_checkpoint *cp)
{
	*id = store_col_int(s, 0);
	memset(cp, 0, sizeof(*cp));
	cp->events = store_col_int(s, 1);
	mm_strlcpy(cp->head, text(s, 2), sizeof(cp->head));
	mm_strlcpy(cp->time, text(s, 3), sizeof(cp->time));
	mm_strlcpy(cp->public_key, text(s, 4), sizeof(cp->public_key));
	mm_strlcpy(cp->signature, text(s, 5), sizeof(cp->signature));
}

static int
keep_checkpoint(struct wanted *w, int64_t id, const struct audit_checkpoint *cp)
{
	if (w->w_ncp == CP_READ_AHEAD)
		return 0;
	if (w->w_ncp == w->w_cp_cap) {
		size_t cap = w->w_cp_cap ? w->w_cp_cap * 4 : 64;
		void *p = realloc(w->w_cp, cap * sizeof(*w->w_cp));
		if (p == NULL)
			return MM_ENOMEM;
		w->w_cp = p;
		w->w_cp_cap = cap;
	}
	w->w_cp[w->w_ncp++] = (struct stored_cp){.sc_id = id, .sc_cp = *cp, .sc_sig = 1};
	return 0;
}

/*
 * Reads the stored checkpoints (the first CP_READ_AHEAD whole) and which events they and the
 * external one cover, before the walk: a checkpoint stored while the walk runs is left for the
 * next verification, so that it can never seem to cover events the walk did not reach.
 */
static int
wanted_load(struct store *st, const struct audit_checkpoint *external, struct wanted *w,
    struct mm_err *err)
{
	struct store_stmt *s;
	struct audit_checkpoint cp;
	size_t n = 0;
	int rc;

	if ((rc = store_prepare(st, "SELECT id, events, head_hash, created_at, public_key, signature"
	    " FROM audit_checkpoint ORDER BY id", &s, err)) != 0)
		return rc;
	while ((rc = store_step(s, err)) == STORE_ROW) {
		checkpoint_row(s, &w->w_last_id, &cp);
		w->w_stored++;
		if ((rc = wanted_add(w, cp.events)) != 0 ||
		    (rc = keep_checkpoint(w, w->w_last_id, &cp)) != 0)
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

/* Checks the next kept checkpoint's signature; 0 when all are checked. */
static int
wanted_sign_check(struct wanted *w)
{
	struct stored_cp *c;

	if (w->w_signed == w->w_ncp)
		return 0;
	c = &w->w_cp[w->w_signed++];
	c->sc_sig = audit_checkpoint_check_signature(&c->sc_cp);
	return 1;
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
	free(w->w_cp);
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

/*
 * The walk runs in two threads: the caller's reads the rows in order and writes each one's
 * canonical encoding into a batch; a second thread checks the batches in the same order (numbers,
 * links, hashes), so that hashing one batch overlaps SQLite reading the next. Only the second
 * thread decides anything, event by event in order, exactly as a single loop would; when no
 * thread can be started the caller checks each batch itself.
 */
#define BATCH_EVENTS 1024
#define BATCH_BYTES (384 * 1024) /* about 1,400 events of the usual size */
#define BATCHES 4

int audit__verify_threads = 1;

/* One event as read. A stored hash longer than a hash keeps one character more: still unequal. */
struct pending {
	int64_t p_seq;
	size_t p_off, p_len; /* its encoding in b_bytes; p_len 0: too large, hashed by the reader */
	char p_prev[AUDIT_HASH_HEX + 1];
	char p_stored[AUDIT_HASH_HEX + 1];
	char p_hash[AUDIT_HASH_HEX];
	int p_nul; /* a stored field holds a NUL byte: what follows it would not be hashed */
};

struct batch {
	struct pending b_ev[BATCH_EVENTS];
	unsigned char b_bytes[BATCH_BYTES];
	size_t b_n, b_used;
	int b_full; /* handed to the checker and not checked yet */
	int b_last; /* the reader's last batch */
};

struct walk {
	struct batch *wk_batch; /* BATCHES of them, used in turn */
	int wk_threaded;
	pthread_mutex_t wk_mu;
	pthread_cond_t wk_cond;
	int wk_stop; /* the checker found the first problem: reading on is useless */
	/* the checker's own */
	int64_t wk_expect;
	char wk_prev[AUDIT_HASH_HEX];
	struct wanted *wk_wanted;
	struct audit_verify_result *wk_res;
};

/* Checks the events of b in order; 1 when a problem was found (the walk ends there). */
static int
check_batch(struct walk *wk, struct batch *b)
{
	struct audit_verify_result *res = wk->wk_res;

	for (size_t i = 0; i < b->b_n; i++) {
		struct pending *e = &b->b_ev[i];

		if (e->p_seq != wk->wk_expect) {
			if (e->p_seq > wk->wk_expect)
				bad(res, wk->wk_expect, "event %" PRId64 " is missing: the trail jumps from event %"
				    PRId64 " to event %" PRId64, wk->wk_expect, wk->wk_expect - 1, e->p_seq);
			else
				bad(res, e->p_seq, "event %" PRId64 " has an invalid number", e->p_seq);
			return 1;
		}
		if (strcmp(e->p_prev, wk->wk_prev) != 0) {
			bad(res, e->p_seq, "event %" PRId64 " does not follow event %" PRId64
			    ": its link to the previous event is wrong (events removed, inserted or reordered)",
			    e->p_seq, e->p_seq - 1);
			return 1;
		}
		if (e->p_nul) {
			bad(res, e->p_seq, "event %" PRId64 " was altered: a field holds a NUL byte", e->p_seq);
			return 1;
		}
		if (e->p_len != 0)
			mm_hash_hex(b->b_bytes + e->p_off, e->p_len, e->p_hash);
		if (strcmp(e->p_hash, e->p_stored) != 0) {
			bad(res, e->p_seq, "event %" PRId64 " was altered: its contents do not match its hash",
			    e->p_seq);
			return 1;
		}
		wanted_reached(wk->wk_wanted, e->p_seq, e->p_hash);
		memcpy(wk->wk_prev, e->p_hash, AUDIT_HASH_HEX);
		wk->wk_expect++;
	}
	return 0;
}

/* The second thread: checks the batches in turn until the reader's last one. */
static void *
checker(void *arg)
{
	struct walk *wk = arg;
	int stop = 0, last = 0;

	for (size_t i = 0; !last; i = (i + 1) % BATCHES) {
		struct batch *b = &wk->wk_batch[i];

		pthread_mutex_lock(&wk->wk_mu);
		while (!b->b_full) {
			/* no rows to check yet: a checkpoint's signature meanwhile (about 50 us) */
			if (wk->wk_wanted->w_signed < wk->wk_wanted->w_ncp) {
				pthread_mutex_unlock(&wk->wk_mu);
				wanted_sign_check(wk->wk_wanted);
				pthread_mutex_lock(&wk->wk_mu);
				continue;
			}
			pthread_cond_wait(&wk->wk_cond, &wk->wk_mu);
		}
		pthread_mutex_unlock(&wk->wk_mu);
		if (!stop)
			stop = check_batch(wk, b);
		last = b->b_last;
		pthread_mutex_lock(&wk->wk_mu);
		b->b_full = 0;
		wk->wk_stop = stop;
		pthread_cond_broadcast(&wk->wk_cond);
		pthread_mutex_unlock(&wk->wk_mu);
	}
	return NULL;
}

/*
 * Hands batch *i to the checker (or checks it) and returns the next batch to fill once it is
 * free, or NULL when the checker has found a problem. The checker takes the batches in the order
 * they were handed over, so the one waited for is always freed.
 */
static struct batch *
hand_over(struct walk *wk, size_t *i)
{
	struct batch *b = &wk->wk_batch[*i];
	int stop;

	if (!wk->wk_threaded) {
		if (!wk->wk_stop)
			wk->wk_stop = check_batch(wk, b);
		stop = wk->wk_stop;
	} else {
		*i = (*i + 1) % BATCHES;
		pthread_mutex_lock(&wk->wk_mu);
		b->b_full = 1;
		pthread_cond_broadcast(&wk->wk_cond);
		b = &wk->wk_batch[*i];
		while (b->b_full)
			pthread_cond_wait(&wk->wk_cond, &wk->wk_mu);
		stop = wk->wk_stop;
		pthread_mutex_unlock(&wk->wk_mu);
	}
	b->b_n = b->b_used = 0;
	return stop ? NULL : b;
}

/* Copies a stored hash (at most AUDIT_HASH_HEX characters of it: enough to tell it unequal). */
static void
copy_hash(char out[AUDIT_HASH_HEX + 1], const char *t)
{
	if (memccpy(out, t, '\0', AUDIT_HASH_HEX + 1) == NULL)
		out[AUDIT_HASH_HEX] = '\0';
}

/*
 * Reads every event in order into the batches; *i is the batch being filled. Returns 0, or a
 * negative code when SQLite fails.
 */
static int
read_events(struct store *st, struct walk *wk, size_t *i, struct mm_err *err)
{
	struct store_stmt *s;
	struct batch *b = &wk->wk_batch[*i];
	int rc;

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
		struct pending *e;
		size_t len, stored = 0;

		for (int c = 1; c <= 11; c++)
			stored += store_col_bytes(s, c);
		if (b->b_n == BATCH_EVENTS && (b = hand_over(wk, i)) == NULL)
			break;
		len = audit_row_encode(&r, b->b_bytes + b->b_used, BATCH_BYTES - b->b_used);
		if (len == 0 && b->b_n > 0) {
			if ((b = hand_over(wk, i)) == NULL)
				break;
			len = audit_row_encode(&r, b->b_bytes, BATCH_BYTES);
		}
		e = &b->b_ev[b->b_n++];
		e->p_seq = r.seq;
		e->p_off = b->b_used;
		e->p_len = len;
		e->p_nul = len != 0 && len != audit_row_encoded_size(r.seq, stored);
		if (len == 0) {
			audit_row_hash(&r, e->p_hash); /* larger than a batch: an edited row */
			for (int c = 1; c <= 11 && !e->p_nul; c++)
				e->p_nul = strlen(text(s, c)) != store_col_bytes(s, c);
		}
		b->b_used += len;
		copy_hash(e->p_prev, r.prev_hash);
		copy_hash(e->p_stored, text(s, 12));
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/*
 * The walk reads each page of the trail once. A page cache that grows to hold them all (the
 * store's 32 MiB, meant for bulk writes) costs a fresh page of memory per page read: with the
 * cache kept to a few pages, verify took a third less CPU time (docs/performance.md, d). The
 * connection gets its own size back afterwards. These are SQLite's words: a backend that does not
 * know them refuses, and nothing changes. Returns the size to restore, or 0 for none.
 */
#define WALK_CACHE_PAGES 64

static int
cache_set(struct store *st, int64_t size)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %" PRId64, size);
	return store_exec(st, sql, NULL);
}

static int64_t
walk_cache_small(struct store *st)
{
	int64_t was;

	if (store_query_int(st, "PRAGMA cache_size", &was, NULL) != 0 || was == 0 ||
	    (was > 0 && was <= WALK_CACHE_PAGES) || cache_set(st, WALK_CACHE_PAGES) != 0)
		return 0;
	return was;
}

static void
walk_cache_restore(struct store *st, int64_t was)
{
	if (was != 0)
		cache_set(st, was);
}

static int
walk_chain(struct store *st, struct wanted *w, struct audit_verify_result *res, struct mm_err *err)
{
	struct walk wk = {.wk_expect = 1, .wk_wanted = w, .wk_res = res};
	pthread_t thread;
	size_t i = 0;
	int64_t cache_was;
	int rc;

	memcpy(wk.wk_prev, GENESIS, sizeof(wk.wk_prev));
	if ((wk.wk_batch = calloc(BATCHES, sizeof(*wk.wk_batch))) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	if (audit__verify_threads && pthread_mutex_init(&wk.wk_mu, NULL) == 0) {
		if (pthread_cond_init(&wk.wk_cond, NULL) == 0) {
			wk.wk_threaded = pthread_create(&thread, NULL, checker, &wk) == 0;
			if (!wk.wk_threaded)
				pthread_cond_destroy(&wk.wk_cond);
		}
		if (!wk.wk_threaded)
			pthread_mutex_destroy(&wk.wk_mu);
	}
	cache_was = walk_cache_small(st);
	rc = read_events(st, &wk, &i, err);
	walk_cache_restore(st, cache_was);
	/* the last batch, possibly empty, ends the checker (also after an error or a problem) */
	wk.wk_batch[i].b_last = 1;
	hand_over(&wk, &i);
	if (wk.wk_threaded) {
		pthread_join(thread, NULL);
		pthread_cond_destroy(&wk.wk_cond);
		pthread_mutex_destroy(&wk.wk_mu);
	}
	free(wk.wk_batch);
	if (rc < 0)
		return rc;
	res->events = wk.wk_expect - 1;
	memcpy(res->head, wk.wk_prev, sizeof(wk.wk_prev));
	return 0;
}

/*
 * Checks one checkpoint against the recomputed chain. label says which checkpoint it is; sig is
 * what its signature check said, or 1 when it was not checked yet.
 */
static void
check_checkpoint(const struct audit_checkpoint *cp, int sig, const char *pk_hex,
    const struct wanted *w, struct audit_verify_result *res, const char *label)
{
	const char *head;

	if (strcmp(cp->public_key, pk_hex) != 0) {
		bad(res, cp->events, "%s was signed by another key (%.16s...), not this data directory's",
		    label, cp->public_key);
		return;
	}
	if (sig == 1)
		sig = audit_checkpoint_check_signature(cp);
	if (sig != 0) {
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

/* Checks a stored checkpoint; 1 when it is malformed (nothing after it is checked). */
static int
check_stored(int64_t id, const struct audit_checkpoint *cp, int sig, const char *pk_hex,
    const struct wanted *w, struct audit_verify_result *res)
{
	char label[64];

	snprintf(label, sizeof(label), "stored checkpoint %" PRId64 " (%s)", id, cp->time);
	if (cp->events < 1) {
		bad(res, 1, "%s is malformed", label);
		return 1;
	}
	check_checkpoint(cp, sig, pk_hex, w, res, label);
	res->checkpoints++;
	return 0;
}

/* The stored checkpoints in order: those read before the walk, then any after them. */
static int
check_stored_checkpoints(struct store *st, const char *pk_hex, struct wanted *w,
    struct audit_verify_result *res, struct mm_err *err)
{
	struct store_stmt *s;
	struct audit_checkpoint cp;
	int64_t id;
	int rc;

	while (wanted_sign_check(w))
		;
	for (size_t i = 0; i < w->w_ncp && res->bad_seq == 0; i++)
		if (check_stored(w->w_cp[i].sc_id, &w->w_cp[i].sc_cp, w->w_cp[i].sc_sig, pk_hex, w, res))
			return 0;
	if ((int64_t)w->w_ncp == w->w_stored || res->bad_seq != 0)
		return 0;
	if ((rc = store_prepare(st,
	    "SELECT id, events, head_hash, created_at, public_key, signature FROM audit_checkpoint"
	    " WHERE id > $1 AND id <= $2 ORDER BY id", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", w->w_cp[w->w_ncp - 1].sc_id);
	store_bind_int(s, "$2", w->w_last_id);
	while ((rc = store_step(s, err)) == STORE_ROW && res->bad_seq == 0) {
		checkpoint_row(s, &id, &cp);
		if (check_stored(id, &cp, 1, pk_hex, w, res))
			break;
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
		check_checkpoint(external, 1, pk_hex, &w, res, "the checkpoint given");
		res->checkpoints++;
	}
	if (res->bad_seq == 0)
		rc = check_stored_checkpoints(st, pk_hex, &w, res, err);
out:
	wanted_free(&w);
	return rc;
}
