/*
 * Unit tests of src/audit: appending inside a transaction, the hash chain, verification of edits,
 * deletions, reordering, truncation and rollback, checkpoints as text, and automatic sealing.
 */
#include "unit_store.h"

#include "audit/audit.h"
#include "base/str.h"
#include "base/time.h"
#include "crypto/crypto.h"
#include "store/store.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct fixture {
	char dir[UNIT_PATH_MAX];
	struct store *st;
	unsigned char pk[MM_SIGN_PUBLIC_BYTES], sk[MM_SIGN_SECRET_BYTES];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char db[UNIT_PATH_MAX];

	if (f == NULL)
		return -1;
	unit_tmpdir(f->dir);
	unit_path(db, f->dir, "audit.db");
	assert_int_equal(store_open(&f->st, db, STORE_CREATE, NULL), 0);
	assert_int_equal(store_migrate(f->st, NULL), 0);
	mm_sign_keypair(f->pk, f->sk);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unsetenv("MAMORI_NOW");
	store_close(f->st);
	unit_rmtree(f->dir);
	mm_wipe(f, sizeof(*f));
	free(f);
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const struct audit_event an_event = {
    .actor = "cli:alice",
    .action = "journal.add",
    .target_type = "journal_entry",
    .target_id = "1",
    .access = AUDIT_CREATE,
    .outcome = "success",
    .client = "local",
    .details = "{\"chars\":3}",
};

static int64_t
count_events(struct store *st)
{
	return unit_query_int(st, "SELECT count(*) FROM audit_event");
}

static int64_t
count_checkpoints(struct store *st)
{
	return unit_query_int(st, "SELECT count(*) FROM audit_checkpoint");
}

/* Appends n events in one transaction, sealing with sealer (may be NULL). */
static void
append_n(struct store *st, int n, const struct audit_sealer *sealer)
{
	struct mm_err err = {0};

	assert_int_equal(store_begin(st, NULL), 0);
	for (int i = 0; i < n; i++)
		if (audit_append(st, &an_event, sealer, NULL, &err) != 0)
			fail_msg("audit_append: %s", err.msg);
	assert_int_equal(store_commit(st, NULL), 0);
}

/* Makes and stores a checkpoint of the whole trail, signed with sk. */
static void
checkpoint(struct store *st, const unsigned char *sk, struct audit_checkpoint *cp)
{
	struct mm_err err = {0};

	assert_int_equal(store_begin(st, NULL), 0);
	if (audit_checkpoint_make(st, sk, cp, &err) != 0)
		fail_msg("checkpoint: %s", err.msg);
	assert_int_equal(store_commit(st, NULL), 0);
}

/* Verifies and returns the first bad event (0 when intact); res gets the details. */
static int64_t
verify(struct fixture *f, const struct audit_checkpoint *external, struct audit_verify_result *res)
{
	struct mm_err err = {0};

	if (audit_verify(f->st, f->pk, external, res, &err) != 0)
		fail_msg("audit_verify could not run: %s", err.msg);
	return res->bad_seq;
}

/* Drops the triggers that keep the program from editing events, as someone with the file can. */
static void
drop_append_only_triggers(struct store *st)
{
	unit_exec(st, "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;");
}

static void
stored_text(struct store *st, int64_t seq, const char *column, char *out, size_t n)
{
	struct store_stmt *s;
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT %s FROM audit_event WHERE seq = $1", column);
	assert_int_equal(store_prepare(st, sql, &s, NULL), 0);
	assert_int_equal(store_bind_int(s, "$1", seq), 0);
	assert_int_equal(store_step(s, NULL), STORE_ROW);
	assert_int_equal(mm_strlcpy(out, store_col_text(s, 0), n), 0);
	store_finalize(s);
}

/* ---- appending ---- */

static void
test_append_requires_transaction(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};
	int64_t seq = -1;

	assert_int_equal(audit_append(f->st, &an_event, NULL, &seq, &err), MM_ESTORE);
	assert_contains(err.msg, "transaction");
	assert_int_equal(seq, -1);
	assert_int_equal(count_events(f->st), 0);
}

static void
test_append_numbers_and_links_events(void **state)
{
	struct fixture *f = *state;
	char prev[AUDIT_HASH_HEX], hash1[AUDIT_HASH_HEX], hash2[AUDIT_HASH_HEX];
	int64_t seq;

	assert_int_equal(store_begin(f->st, NULL), 0);
	for (int64_t i = 1; i <= 3; i++) {
		assert_int_equal(audit_append(f->st, &an_event, NULL, &seq, NULL), 0);
		assert_int_equal(seq, i);
	}
	assert_int_equal(store_commit(f->st, NULL), 0);
	stored_text(f->st, 1, "prev_hash", prev, sizeof(prev));
	assert_string_equal(prev, GENESIS);
	stored_text(f->st, 1, "hash", hash1, sizeof(hash1));
	stored_text(f->st, 2, "prev_hash", prev, sizeof(prev));
	assert_string_equal(prev, hash1);
	stored_text(f->st, 2, "hash", hash2, sizeof(hash2));
	stored_text(f->st, 3, "prev_hash", prev, sizeof(prev));
	assert_string_equal(prev, hash2);
}

static void
test_append_stores_fields_and_times(void **state)
{
	struct fixture *f = *state;
	struct audit_event ev = an_event;
	char text[AUDIT_DETAILS_MAX];

	ev.started_ms = 1806537600000LL; /* 2027-04-01T00:00:00Z */
	ev.access = AUDIT_UPDATE;
	ev.details = NULL;
	setenv("MAMORI_NOW", "2027-04-01T09:00:01.500+09:00", 1);
	assert_int_equal(store_begin(f->st, NULL), 0);
	assert_int_equal(audit_append(f->st, &ev, NULL, NULL, NULL), 0);
	assert_int_equal(store_commit(f->st, NULL), 0);
	stored_text(f->st, 1, "started_at", text, sizeof(text));
	assert_string_equal(text, "2027-04-01T00:00:00.000Z");
	stored_text(f->st, 1, "ended_at", text, sizeof(text));
	assert_string_equal(text, "2027-04-01T00:00:01.500Z");
	stored_text(f->st, 1, "access", text, sizeof(text));
	assert_string_equal(text, "update");
	stored_text(f->st, 1, "details", text, sizeof(text));
	assert_string_equal(text, "{}"); /* NULL details are an empty object */
}

static void
test_append_started_defaults_to_now(void **state)
{
	struct fixture *f = *state;
	char started[MM_TIME_STRLEN], ended[MM_TIME_STRLEN];

	setenv("MAMORI_NOW", "2027-04-01T00:00:00Z", 1);
	append_n(f->st, 1, NULL);
	stored_text(f->st, 1, "started_at", started, sizeof(started));
	stored_text(f->st, 1, "ended_at", ended, sizeof(ended));
	assert_string_equal(started, "2027-04-01T00:00:00.000Z");
	assert_string_equal(ended, started);
}

/* an_event with the text field named `field` set to value. */
static struct audit_event
event_with(const char *field, const char *value)
{
	struct audit_event ev = an_event;
	const char **slot = strcmp(field, "actor") == 0         ? &ev.actor
	                    : strcmp(field, "action") == 0      ? &ev.action
	                    : strcmp(field, "target_type") == 0 ? &ev.target_type
	                    : strcmp(field, "target_id") == 0   ? &ev.target_id
	                    : strcmp(field, "outcome") == 0     ? &ev.outcome
	                    : strcmp(field, "client") == 0      ? &ev.client
	                                                        : &ev.details;

	*slot = value;
	return ev;
}

/* Expects an_event with field set to value to be refused naming the field, writing nothing. */
static void
assert_append_refused(struct fixture *f, const char *field, const char *value)
{
	struct audit_event ev = event_with(field, value);
	struct mm_err err = {0};

	assert_int_equal(store_begin(f->st, NULL), 0);
	assert_int_equal(audit_append(f->st, &ev, NULL, NULL, &err), MM_EINVAL);
	assert_string_equal(err.field, field);
	assert_contains(err.msg, field);
	store_rollback(f->st);
	assert_int_equal(count_events(f->st), 0);
}

static void
test_append_refuses_bad_fields(void **state)
{
	struct fixture *f = *state;
	char *long_details = malloc(AUDIT_DETAILS_MAX + 2);

	assert_non_null(long_details);
	assert_append_refused(f, "actor", "");
	assert_append_refused(f, "action", NULL);
	assert_append_refused(f, "target_type", NULL);
	assert_append_refused(f, "target_id", "1\x1b[2J"); /* a terminal escape in a log viewer */
	assert_append_refused(f, "outcome", "");
	assert_append_refused(f, "client", "\xff\xfe");
	memset(long_details, 'x', AUDIT_DETAILS_MAX + 1);
	long_details[AUDIT_DETAILS_MAX + 1] = '\0';
	assert_append_refused(f, "details", long_details);
	free(long_details);
}

/* Pins the encoding of docs/internals/audit-trail.md: computed there with Python's hashlib. */
static void
test_row_hash_known_vector(void **state)
{
	const struct audit_row r = {
	    .seq = 1,
	    .started_at = "2027-04-01T00:00:00.000Z",
	    .ended_at = "2027-04-01T00:00:01.500Z",
	    .actor = "cli:alice",
	    .action = "journal.add",
	    .target_type = "journal_entry",
	    .target_id = "1",
	    .access = "create",
	    .outcome = "success",
	    .client = "local",
	    .details = "{\"chars\":3}",
	    .prev_hash = GENESIS,
	};
	char hash[AUDIT_HASH_HEX];

	(void)state;
	audit_row_hash(&r, hash);
	assert_string_equal(
	    hash, "27e0d5afac21a91a026a591b996a2dfa933f83bef7d81eac9cf3de1dcc0a8fd0");
}

static void
test_row_hash_separates_fields(void **state)
{
	struct audit_row a = {.seq = 1,
	    .started_at = "t",
	    .ended_at = "t",
	    .actor = "ab",
	    .action = "c",
	    .target_type = "x",
	    .target_id = "1",
	    .access = "read",
	    .outcome = "success",
	    .client = "local",
	    .details = "{}",
	    .prev_hash = GENESIS};
	struct audit_row b = a;
	char ha[AUDIT_HASH_HEX], hb[AUDIT_HASH_HEX];

	(void)state;
	/* moving a byte from one field to the next must change the hash (lengths are hashed) */
	b.actor = "a";
	b.action = "bc";
	audit_row_hash(&a, ha);
	audit_row_hash(&b, hb);
	assert_string_not_equal(ha, hb);
}

/* The encoding as the doc writes it, field by field, independent of chain.c's buffer. */
static void
reference_hash(const struct audit_row *r, char out[AUDIT_HASH_HEX])
{
	char seq[24];
	const char *fields[] = {"mamori-audit-v1", r->prev_hash, seq, r->started_at, r->ended_at,
	    r->actor, r->action, r->target_type, r->target_id, r->access, r->outcome, r->client,
	    r->details};
	struct mm_hash h;
	unsigned char digest[MM_HASH_BYTES];

	snprintf(seq, sizeof(seq), "%lld", (long long)r->seq);
	mm_hash_init(&h);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t len = strlen(fields[i]);
		unsigned char be[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
		    (unsigned char)(len >> 8), (unsigned char)len};
		mm_hash_update(&h, be, 4);
		mm_hash_update(&h, fields[i], len);
	}
	mm_hash_final(&h, digest);
	mm_hex_encode(out, digest, sizeof(digest));
}

static void
test_row_hash_matches_the_encoding_for_any_size(void **state)
{
	static const int64_t seqs[] = {0, 1, 9, 10, 1234567, -5, INT64_MAX, INT64_MIN};
	struct audit_row r = {.started_at = "t",
	    .ended_at = "t",
	    .actor = "cli:alice",
	    .action = "journal.add",
	    .target_type = "journal_entry",
	    .target_id = "1",
	    .access = "create",
	    .outcome = "success",
	    .client = "local",
	    .details = "",
	    .prev_hash = GENESIS};
	size_t sizes[] = {0, 100, 4096, 8000, 8192, 20000, 300000};
	char got[AUDIT_HASH_HEX], want[AUDIT_HASH_HEX];
	char *details = malloc(300001);

	(void)state;
	assert_non_null(details);
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		r.seq = seqs[i];
		audit_row_hash(&r, got);
		reference_hash(&r, want);
		assert_string_equal(got, want);
	}
	/* rows larger than any append writes (edited in the file) are hashed the same way */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(details, 'x', sizes[i]);
		details[sizes[i]] = '\0';
		r.details = details;
		audit_row_hash(&r, got);
		reference_hash(&r, want);
		assert_string_equal(got, want);
	}
	free(details);
}

static void
test_access_names(void **state)
{
	(void)state;
	assert_string_equal(audit_access_name(AUDIT_READ), "read");
	assert_string_equal(audit_access_name(AUDIT_OUTPUT), "output");
	assert_string_equal(audit_access_label_ja(AUDIT_READ), "参照");
	assert_string_equal(audit_access_label_ja(AUDIT_UPDATE), "更新");
}

/* ---- verification ---- */

static void
test_empty_trail_verifies(void **state)
{
	struct audit_verify_result res;

	assert_int_equal(verify(*state, NULL, &res), 0);
	assert_int_equal(res.events, 0);
	assert_string_equal(res.head, GENESIS);
}

static void
test_chain_of_events_verifies(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result res;
	char last[AUDIT_HASH_HEX];

	append_n(f->st, 25, NULL);
	assert_int_equal(verify(f, NULL, &res), 0);
	assert_int_equal(res.events, 25);
	/* the walk keeps SQLite's page cache small while it runs; the connection gets its own back */
	assert_int_equal(unit_query_int(f->st, "PRAGMA cache_size"), -32768);
	stored_text(f->st, 25, "hash", last, sizeof(last));
	assert_string_equal(res.head, last);
}

static void
assert_bad(struct fixture *f, const struct audit_checkpoint *external, int64_t bad_seq,
    const char *reason)
{
	struct audit_verify_result res;

	if (verify(f, external, &res) != bad_seq)
		fail_msg("bad_seq %lld, expected %lld (%s)", (long long)res.bad_seq,
		    (long long)bad_seq, res.reason);
	assert_contains(res.reason, reason);
}

static void
test_edited_field_is_detected(void **state)
{
	struct fixture *f = *state;

	append_n(f->st, 10, NULL);
	drop_append_only_triggers(f->st);
	unit_exec(f->st, "UPDATE audit_event SET actor = 'cli:mallory' WHERE seq = 4");
	assert_bad(f, NULL, 4, "event 4 was altered");
}

static void
test_edited_details_and_time_are_detected(void **state)
{
	struct fixture *f = *state;

	append_n(f->st, 10, NULL);
	drop_append_only_triggers(f->st);
	unit_exec(
	    f->st, "UPDATE audit_event SET started_at = '2020-01-01T00:00:00.000Z' WHERE seq = 9");
	unit_exec(f->st, "UPDATE audit_event SET details = '{\"chars\":4}' WHERE seq = 7");
	assert_bad(f, NULL, 7, "event 7 was altered"); /* the first problem is reported */
}

static void
test_edited_prev_hash_is_detected(void **state)
{
	struct fixture *f = *state;

	append_n(f->st, 5, NULL);
	drop_append_only_triggers(f->st);
	unit_exec(f->st, "UPDATE audit_event SET prev_hash = '" GENESIS "' WHERE seq = 3");
	assert_bad(f, NULL, 3, "event 3 does not follow event 2");
}

static void
test_deleted_row_is_detected(void **state)
{
	struct fixture *f = *state;

	append_n(f->st, 10, NULL);
	drop_append_only_triggers(f->st);
	unit_exec(f->st, "DELETE FROM audit_event WHERE seq = 5");
	assert_bad(f, NULL, 5, "event 5 is missing");
}

static void
test_deleted_first_row_is_detected(void **state)
{
	struct fixture *f = *state;

	append_n(f->st, 3, NULL);
	drop_append_only_triggers(f->st);
	unit_exec(f->st, "DELETE FROM audit_event WHERE seq = 1");
	assert_bad(f, NULL, 1, "event 1 is missing");
}

static void
test_deleted_and_renumbered_row_is_detected(void **state)
{
	struct fixture *f = *state;

	append_n(f->st, 6, NULL);
	drop_append_only_triggers(f->st);
	/* close the gap so the numbers run 1..5 again: the links still give it away */
	unit_exec(f->st, "DELETE FROM audit_event WHERE seq = 3;"
	               " UPDATE audit_event SET seq = seq - 1 WHERE seq > 3;");
	assert_bad(f, NULL, 3, "event 3 does not follow event 2");
}

static void
test_swapped_rows_are_detected(void **state)
{
	struct fixture *f = *state;

	append_n(f->st, 10, NULL);
	drop_append_only_triggers(f->st);
	unit_exec(f->st, "UPDATE audit_event SET seq = -1 WHERE seq = 3;"
	               " UPDATE audit_event SET seq = 3 WHERE seq = 4;"
	               " UPDATE audit_event SET seq = 4 WHERE seq = -1;");
	assert_bad(f, NULL, 3, "event 3 does not follow event 2");
}

static void
test_triggers_refuse_edits_by_mistake(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};

	append_n(f->st, 2, NULL);
	assert_int_equal(store_exec(f->st, "UPDATE audit_event SET actor = 'x'", &err), MM_ESTORE);
	assert_contains(err.msg, "append-only");
	assert_int_equal(store_exec(f->st, "DELETE FROM audit_event", &err), MM_ESTORE);
	assert_int_equal(count_events(f->st), 2);
}

static void
test_truncation_is_detected_by_stored_checkpoint(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;

	append_n(f->st, 10, NULL);
	checkpoint(f->st, f->sk, &cp);
	assert_int_equal(cp.events, 10);
	drop_append_only_triggers(f->st);
	unit_exec(f->st, "DELETE FROM audit_event WHERE seq >= 8");
	assert_bad(f, NULL, 8, "events 8 to 10 were removed");
}

static void
test_truncation_of_last_event_is_detected(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;

	append_n(f->st, 10, NULL);
	checkpoint(f->st, f->sk, &cp);
	drop_append_only_triggers(f->st);
	unit_exec(f->st, "DELETE FROM audit_event WHERE seq = 10");
	assert_bad(f, NULL, 10, "covers 10 events but the trail ends at event 9");
}

static void
test_truncation_to_nothing_is_detected(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;

	append_n(f->st, 3, NULL);
	checkpoint(f->st, f->sk, &cp);
	drop_append_only_triggers(f->st);
	unit_exec(f->st, "DELETE FROM audit_event");
	assert_bad(f, NULL, 1, "events 1 to 3 were removed");
}

static void
test_truncation_is_detected_by_external_checkpoint(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint kept;
	struct audit_verify_result res;

	append_n(f->st, 10, NULL);
	checkpoint(f->st, f->sk, &kept);
	drop_append_only_triggers(f->st);
	/* whoever truncates also removes the stored checkpoints: the chain alone looks fine */
	unit_exec(f->st, "DELETE FROM audit_event WHERE seq >= 8; DELETE FROM audit_checkpoint;");
	assert_int_equal(verify(f, NULL, &res), 0);
	assert_bad(f, &kept, 8, "the checkpoint given");
}

static void
test_rollback_is_detected_by_external_checkpoint(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint kept;
	struct audit_verify_result res;

	append_n(f->st, 5, NULL);
	checkpoint(f->st, f->sk, &kept);
	drop_append_only_triggers(f->st);
	/* drop events 4 and 5 and write three new ones: a consistent chain of 6 events */
	unit_exec(f->st, "DELETE FROM audit_event WHERE seq >= 4; DELETE FROM audit_checkpoint;");
	append_n(f->st, 3, NULL);
	assert_int_equal(verify(f, NULL, &res), 0);
	assert_int_equal(res.events, 6);
	assert_bad(f, &kept, 5, "rolled back");
}

static void
test_rewritten_event_with_new_hash_is_detected_by_checkpoint(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;
	struct store_stmt *s;
	char hash[AUDIT_HASH_HEX], prev[AUDIT_HASH_HEX], started[MM_TIME_STRLEN],
	    ended[MM_TIME_STRLEN];
	struct audit_row r = {.seq = 5,
	    .actor = "cli:mallory",
	    .action = an_event.action,
	    .target_type = an_event.target_type,
	    .target_id = an_event.target_id,
	    .access = "create",
	    .outcome = an_event.outcome,
	    .client = an_event.client,
	    .details = an_event.details};

	append_n(f->st, 5, NULL);
	checkpoint(f->st, f->sk, &cp);
	drop_append_only_triggers(f->st);
	/* the last event rewritten and its hash recomputed, as anyone can who reads the docs */
	stored_text(f->st, 5, "prev_hash", prev, sizeof(prev));
	stored_text(f->st, 5, "started_at", started, sizeof(started));
	stored_text(f->st, 5, "ended_at", ended, sizeof(ended));
	r.prev_hash = prev;
	r.started_at = started;
	r.ended_at = ended;
	audit_row_hash(&r, hash);
	assert_int_equal(store_prepare(f->st,
	    "UPDATE audit_event SET actor = $1, hash = $2 WHERE seq = 5", &s, NULL), 0);
	assert_int_equal(store_bind_text(s, "$1", r.actor), 0);
	assert_int_equal(store_bind_text(s, "$2", hash), 0);
	assert_int_equal(store_step(s, NULL), STORE_DONE);
	store_finalize(s);
	assert_bad(f, NULL, 5, "event 5 does not match stored checkpoint");
}

/* A checkpoint signed by other_sk over this trail, not stored (made in a rolled-back transaction).
 */
static void
foreign_checkpoint(struct fixture *f, const unsigned char *other_sk, struct audit_checkpoint *cp)
{
	assert_int_equal(store_begin(f->st, NULL), 0);
	assert_int_equal(audit_checkpoint_make(f->st, other_sk, cp, NULL), 0);
	store_rollback(f->st);
	assert_int_equal(count_checkpoints(f->st), 0);
}

static void
test_external_checkpoint_of_another_key_is_refused(void **state)
{
	struct fixture *f = *state;
	unsigned char other_pk[MM_SIGN_PUBLIC_BYTES], other_sk[MM_SIGN_SECRET_BYTES];
	struct audit_checkpoint cp;

	append_n(f->st, 4, NULL);
	mm_sign_keypair(other_pk, other_sk);
	foreign_checkpoint(f, other_sk, &cp);
	assert_int_equal(audit_checkpoint_check_signature(&cp), 0); /* valid, but not ours */
	assert_bad(f, &cp, 4, "signed by another key");
}

static void
test_stored_checkpoint_of_another_key_is_refused(void **state)
{
	struct fixture *f = *state;
	unsigned char other_pk[MM_SIGN_PUBLIC_BYTES], other_sk[MM_SIGN_SECRET_BYTES];
	struct audit_checkpoint cp;

	append_n(f->st, 4, NULL);
	mm_sign_keypair(other_pk, other_sk);
	checkpoint(f->st, other_sk, &cp);
	assert_bad(f, NULL, 4, "signed by another key");
}

static void
test_checkpoint_with_forged_head_is_refused(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;

	append_n(f->st, 4, NULL);
	checkpoint(f->st, f->sk, &cp);
	/* our key, but the head or count changed after signing */
	cp.head[0] = cp.head[0] == 'a' ? 'b' : 'a';
	assert_int_equal(audit_checkpoint_check_signature(&cp), MM_ECORRUPT);
	assert_bad(f, &cp, 4, "invalid signature");
	cp.head[0] = cp.head[0] == 'a' ? 'b' : 'a';
	cp.events = 3;
	assert_bad(f, &cp, 3, "invalid signature");
}

static void
test_good_external_checkpoint_verifies(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint kept;
	struct audit_verify_result res;

	append_n(f->st, 4, NULL);
	checkpoint(f->st, f->sk, &kept);
	append_n(f->st, 3, NULL); /* the trail goes on after the checkpoint */
	assert_int_equal(verify(f, &kept, &res), 0);
	assert_int_equal(res.events, 7);
	assert_int_equal(res.checkpoints, 2); /* the one given and the stored one */
}

static void
test_checkpoints_of_the_same_event_all_count(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint first, again, kept;
	struct audit_verify_result res;

	append_n(f->st, 3, NULL);
	checkpoint(f->st, f->sk, &first);
	append_n(f->st, 4, NULL);
	checkpoint(f->st, f->sk, &kept);
	checkpoint(f->st, f->sk, &again); /* no event between: the same head */
	assert_int_equal(again.events, 7);
	append_n(f->st, 2, NULL);
	assert_int_equal(verify(f, &kept, &res), 0);
	assert_int_equal(res.events, 9);
	assert_int_equal(res.checkpoints, 4);
	assert_int_equal(verify(f, &first, &res), 0);
	assert_int_equal(res.checkpoints, 4);
}

static void
test_malformed_stored_checkpoint_is_reported(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;

	append_n(f->st, 3, NULL);
	checkpoint(f->st, f->sk, &cp);
	unit_exec(f->st, "INSERT INTO audit_checkpoint (events, head_hash, created_at, public_key,"
	                 " signature) SELECT 0, head_hash, created_at, public_key, signature"
	                 " FROM audit_checkpoint");
	assert_bad(f, NULL, 1, "is malformed");
}

static void
test_thousands_of_stored_checkpoints_are_all_checked(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;
	struct audit_verify_result res;

	/* more than verify reads ahead (4096): the rest are read after the walk */
	append_n(f->st, 5, NULL);
	checkpoint(f->st, f->sk, &cp);
	unit_exec(f->st,
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4199)"
	    " INSERT INTO audit_checkpoint (events, head_hash, created_at, public_key, signature)"
	    " SELECT events, head_hash, created_at, public_key, signature FROM n, audit_checkpoint");
	assert_int_equal(count_checkpoints(f->st), 4200);
	assert_int_equal(verify(f, NULL, &res), 0);
	assert_int_equal(res.checkpoints, 4200);
	unit_exec(f->st,
	    "UPDATE audit_checkpoint SET signature = replace(signature, substr(signature, 1, 1),"
	    " CASE WHEN substr(signature, 1, 1) = 'a' THEN 'b' ELSE 'a' END) WHERE id = 4150");
	assert_bad(f, NULL, 5, "stored checkpoint 4150 (");
	assert_bad(f, NULL, 5, "has an invalid signature");
	unit_exec(f->st, "UPDATE audit_checkpoint SET events = 6 WHERE id = 4100");
	assert_bad(f, NULL, 6, "stored checkpoint 4100 (");
	unit_exec(f->st,
	    "UPDATE audit_checkpoint SET public_key = lower(hex(randomblob(32))) WHERE id = 7");
	assert_bad(f, NULL, 5, "stored checkpoint 7 (");
	assert_bad(f, NULL, 5, "signed by another key");
}

/* Rewrites event seq's details and, when rehash, its hash as the format says (a forger's edit). */
static void
rewrite_details(struct fixture *f, int64_t seq, const char *details, int rehash)
{
	struct audit_row r = {.seq = seq};
	char col[13][8192 + 1];
	const char *names[] = {"started_at", "ended_at", "actor", "action", "target_type",
	    "target_id", "access", "outcome", "client", "prev_hash"};
	char hash[AUDIT_HASH_HEX];
	struct store_stmt *s;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		stored_text(f->st, seq, names[i], col[i], sizeof(col[i]));
	r.started_at = col[0], r.ended_at = col[1], r.actor = col[2], r.action = col[3];
	r.target_type = col[4], r.target_id = col[5], r.access = col[6], r.outcome = col[7];
	r.client = col[8], r.prev_hash = col[9], r.details = details;
	reference_hash(&r, hash);
	assert_int_equal(store_prepare(f->st, rehash
	    ? "UPDATE audit_event SET details = $1, hash = $2 WHERE seq = $3"
	    : "UPDATE audit_event SET details = $1 WHERE seq = $3", &s, NULL), 0);
	assert_int_equal(store_bind_text(s, "$1", details), 0);
	if (rehash)
		assert_int_equal(store_bind_text(s, "$2", hash), 0);
	assert_int_equal(store_bind_int(s, "$3", seq), 0);
	assert_int_equal(store_step(s, NULL), STORE_DONE);
	store_finalize(s);
}

static void
test_first_problem_of_a_long_trail_is_reported(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result res;

	/* more batches of rows than verify keeps (4 of 1,024 events): a problem early stops the
	 * walk, one late is still found */
	append_n(f->st, 5000, NULL);
	assert_int_equal(verify(f, NULL, &res), 0);
	assert_int_equal(res.events, 5000);
	drop_append_only_triggers(f->st);
	unit_exec(f->st, "UPDATE audit_event SET outcome = 'failure' WHERE seq = 4999");
	assert_bad(f, NULL, 4999, "event 4999 was altered");
	unit_exec(f->st, "UPDATE audit_event SET outcome = 'failure' WHERE seq IN (257, 1000)");
	assert_bad(f, NULL, 257, "event 257 was altered");
	unit_exec(f->st, "DELETE FROM audit_event WHERE seq = 2");
	assert_bad(f, NULL, 2, "event 2 is missing");
}

static void
test_huge_edited_row_is_hashed_and_detected(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result res;
	size_t sizes[] = {9000, 200000, 1 << 20};
	char *details = malloc((1 << 20) + 1);

	assert_non_null(details);
	append_n(f->st, 600, NULL);
	drop_append_only_triggers(f->st);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(details, 'y', sizes[i]);
		details[sizes[i]] = '\0';
		/* the last event, hash made again: the chain is whole and verifies */
		rewrite_details(f, 600, details, 1);
		assert_int_equal(verify(f, NULL, &res), 0);
		assert_int_equal(res.events, 600);
	}
	/* events in the middle, hash left: altered, the first one reported */
	rewrite_details(f, 300, details, 0);
	assert_bad(f, NULL, 300, "event 300 was altered");
	details[9000] = '\0';
	rewrite_details(f, 299, details, 0);
	assert_bad(f, NULL, 299, "event 299 was altered");
	free(details);
}

/* ---- checkpoints ---- */

static void
test_checkpoint_make_needs_transaction_and_events(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;
	struct mm_err err = {0};

	assert_int_equal(audit_checkpoint_make(f->st, f->sk, &cp, &err), MM_ESTORE);
	assert_int_equal(store_begin(f->st, NULL), 0);
	assert_int_equal(audit_checkpoint_make(f->st, f->sk, &cp, &err), MM_ENOTFOUND);
	assert_contains(err.msg, "empty");
	store_rollback(f->st);
	assert_int_equal(count_checkpoints(f->st), 0);
}

static void
test_checkpoint_make_describes_head(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;
	char head[AUDIT_HASH_HEX], pk_hex[2 * MM_SIGN_PUBLIC_BYTES + 1];
	int64_t ms;

	setenv("MAMORI_NOW", "2027-04-01T09:00:00+09:00", 1);
	append_n(f->st, 3, NULL);
	checkpoint(f->st, f->sk, &cp);
	stored_text(f->st, 3, "hash", head, sizeof(head));
	mm_hex_encode(pk_hex, f->pk, sizeof(f->pk));
	assert_int_equal(cp.events, 3);
	assert_string_equal(cp.head, head);
	assert_string_equal(cp.public_key, pk_hex);
	assert_string_equal(cp.time, "2027-04-01T00:00:00.000Z");
	assert_int_equal(mm_time_parse(cp.time, &ms), 0);
	assert_int_equal(audit_checkpoint_check_signature(&cp), 0);
	assert_int_equal(count_checkpoints(f->st), 1);
}

static void
test_checkpoint_format_parse_round_trip(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp, back;
	char text[512], want[512];

	append_n(f->st, 2, NULL);
	checkpoint(f->st, f->sk, &cp);
	assert_int_equal(audit_checkpoint_format(&cp, text, sizeof(text)), 0);
	snprintf(want, sizeof(want),
	    "mamori audit checkpoint v1\nevents: 2\nhead: %s\ntime: %s\npublic-key: %s\nsignature: "
	    "%s\n",
	    cp.head, cp.time, cp.public_key, cp.signature);
	assert_string_equal(text, want);
	assert_int_equal(audit_checkpoint_parse(text, strlen(text), &back, NULL), 0);
	assert_int_equal(back.events, cp.events);
	assert_string_equal(back.head, cp.head);
	assert_string_equal(back.time, cp.time);
	assert_string_equal(back.public_key, cp.public_key);
	assert_string_equal(back.signature, cp.signature);
	assert_int_equal(audit_checkpoint_check_signature(&back), 0);
}

static void
test_checkpoint_format_refuses_small_buffer(void **state)
{
	struct fixture *f = *state;
	struct audit_checkpoint cp;
	char text[512];
	size_t full;

	append_n(f->st, 1, NULL);
	checkpoint(f->st, f->sk, &cp);
	assert_int_equal(audit_checkpoint_format(&cp, text, sizeof(text)), 0);
	full = strlen(text);
	assert_int_equal(
	    audit_checkpoint_format(&cp, text, full), MM_ETOOBIG); /* no room for NUL */
	assert_int_equal(audit_checkpoint_format(&cp, text, 40), MM_ETOOBIG);
	assert_int_equal(audit_checkpoint_format(&cp, text, full + 1), 0);
}

/* A well-formed checkpoint text (signature not valid: parsing does not check it). */
#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define CP_LINE1 "mamori audit checkpoint v1\n"
#define CP_LINE2 "events: 14\n"
#define CP_LINE3 "head: " HEX64 "\n"
#define CP_LINE4 "time: 2026-11-22T07:33:55.101Z\n"
#define CP_LINE5 "public-key: " HEX64 "\n"
#define CP_LINE6 "signature: " HEX64 HEX64 "\n"

static void
assert_parse_ok(const char *text)
{
	struct audit_checkpoint cp;
	struct mm_err err = {0};

	if (audit_checkpoint_parse(text, strlen(text), &cp, &err) != 0)
		fail_msg("refused (%s):\n%s", err.msg, text);
	assert_int_equal(cp.events, 14);
	assert_string_equal(cp.head, HEX64);
}

static void
test_checkpoint_parse_tolerates_copying(void **state)
{
	(void)state;
	assert_parse_ok(CP_LINE1 CP_LINE2 CP_LINE3 CP_LINE4 CP_LINE5 CP_LINE6);
	assert_parse_ok("\xef\xbb\xbf" CP_LINE1 CP_LINE2 CP_LINE3 CP_LINE4 CP_LINE5 CP_LINE6);
	assert_parse_ok("\n\n  " CP_LINE1 CP_LINE2 CP_LINE3 CP_LINE4 CP_LINE5 CP_LINE6);
	/* the last newline may be lost */
	assert_parse_ok(CP_LINE1 CP_LINE2 CP_LINE3 CP_LINE4 CP_LINE5 "signature: " HEX64 HEX64);
	/* kept on Windows: CRLF line ends */
	assert_parse_ok("mamori audit checkpoint v1\r\nevents: 14\r\nhead: " HEX64 "\r\ntime: 2026-11-22T07:33:55.101Z\r\n"
	    "public-key: " HEX64 "\r\nsignature: " HEX64 HEX64 "\r\n");
}

static void
assert_parse_refused(const char *text, const char *line)
{
	struct audit_checkpoint cp;
	struct mm_err err = {0};

	if (audit_checkpoint_parse(text, strlen(text), &cp, &err) != MM_EINVAL)
		fail_msg("accepted:\n%s", text);
	assert_string_equal(err.field, "checkpoint");
	assert_contains(err.msg, line);
}

static void
test_checkpoint_parse_rejects_bad_lines(void **state)
{
	(void)state;
	assert_parse_refused("", "line 1");
	assert_parse_refused("mamori audit checkpoint v2\n" CP_LINE2 CP_LINE3 CP_LINE4 CP_LINE5
	    CP_LINE6, "line 1");
	assert_parse_refused(CP_LINE1, "line 2");
	assert_parse_refused(CP_LINE1 "events: 0\n" CP_LINE3 CP_LINE4 CP_LINE5 CP_LINE6, "line 2");
	assert_parse_refused(CP_LINE1 "events: -3\n" CP_LINE3 CP_LINE4 CP_LINE5 CP_LINE6, "line 2");
	assert_parse_refused(CP_LINE1 "events: +3\n" CP_LINE3 CP_LINE4 CP_LINE5 CP_LINE6, "line 2");
	assert_parse_refused(
	    CP_LINE1 "events: 14x\n" CP_LINE3 CP_LINE4 CP_LINE5 CP_LINE6, "line 2");
	assert_parse_refused(CP_LINE1 "events:14\n" CP_LINE3 CP_LINE4 CP_LINE5 CP_LINE6, "line 2");
	assert_parse_refused(CP_LINE1 "events: 123456789012345678901234567890\n" CP_LINE3 CP_LINE4
	    CP_LINE5 CP_LINE6, "line 2");
	assert_parse_refused(CP_LINE1 CP_LINE3 CP_LINE2 CP_LINE4 CP_LINE5 CP_LINE6, "line 2");
	assert_parse_refused(CP_LINE1 CP_LINE2 "head: 0123\n" CP_LINE4 CP_LINE5 CP_LINE6, "line 3");
	assert_parse_refused(CP_LINE1 CP_LINE2 "head: " HEX64 "0\n" CP_LINE4 CP_LINE5 CP_LINE6,
	    "line 3");
	assert_parse_refused(CP_LINE1 CP_LINE2
	    "head: 0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\n" CP_LINE4
	        CP_LINE5 CP_LINE6,
	    "line 3");
	assert_parse_refused(CP_LINE1 CP_LINE2
	    "head: 0123456789abcdefg123456789abcdef0123456789abcdef0123456789abcdef\n" CP_LINE4
	        CP_LINE5 CP_LINE6,
	    "line 3");
	assert_parse_refused(
	    CP_LINE1 CP_LINE2 CP_LINE3 "time: yesterday\n" CP_LINE5 CP_LINE6, "line 4");
	assert_parse_refused(CP_LINE1 CP_LINE2 CP_LINE3 "time: 2026-02-30T00:00:00Z\n" CP_LINE5
	    CP_LINE6, "line 4");
	assert_parse_refused(CP_LINE1 CP_LINE2 CP_LINE3 CP_LINE4 "public-key: abc\n" CP_LINE6,
	    "line 5");
	assert_parse_refused(CP_LINE1 CP_LINE2 CP_LINE3 CP_LINE4 CP_LINE5, "line 6");
	assert_parse_refused(CP_LINE1 CP_LINE2 CP_LINE3 CP_LINE4 CP_LINE5 "signature: " HEX64 "\n",
	    "line 6");
	assert_parse_refused(
	    CP_LINE1 CP_LINE2 CP_LINE3 CP_LINE4 CP_LINE5 "signature: \n", "line 6");
}

static void
test_checkpoint_parse_rejects_cut_text(void **state)
{
	static const char text[] = CP_LINE1 CP_LINE2 CP_LINE3 CP_LINE4 CP_LINE5 CP_LINE6;
	struct audit_checkpoint cp;

	(void)state;
	/* every prefix shorter than the whole signature is refused (the length is respected) */
	for (size_t len = 0; len < sizeof(text) - 2; len++)
		if (audit_checkpoint_parse(text, len, &cp, NULL) != MM_EINVAL)
			fail_msg("accepted the first %zu bytes", len);
}

/* ---- automatic sealing ---- */

static void
test_sealer_by_event_count(void **state)
{
	struct fixture *f = *state;
	struct audit_sealer sealer = {.as_secret_key = f->sk, .as_every_events = 3};
	struct audit_verify_result res;

	for (int i = 0; i < 7; i++)
		append_n(f->st, 1, &sealer);
	assert_int_equal(count_checkpoints(f->st), 2);
	assert_int_equal(unit_query_int(f->st, "SELECT min(events) FROM audit_checkpoint"), 3);
	assert_int_equal(unit_query_int(f->st, "SELECT max(events) FROM audit_checkpoint"), 6);
	assert_int_equal(verify(f, NULL, &res), 0);
	assert_int_equal(res.checkpoints, 2);
}

static void
test_sealer_within_one_transaction(void **state)
{
	struct fixture *f = *state;
	struct audit_sealer sealer = {.as_secret_key = f->sk, .as_every_events = 4};

	append_n(f->st, 9, &sealer);
	assert_int_equal(count_checkpoints(f->st), 2); /* after events 4 and 8 */
	assert_int_equal(unit_query_int(f->st, "SELECT max(events) FROM audit_checkpoint"), 8);
}

static void
test_sealer_by_time(void **state)
{
	struct fixture *f = *state;
	struct audit_sealer sealer = {.as_secret_key = f->sk, .as_every_ms = 3600 * 1000};

	setenv("MAMORI_NOW", "2027-04-01T00:00:00Z", 1);
	append_n(f->st, 1, &sealer);
	assert_int_equal(count_checkpoints(f->st), 1); /* the first event starts the clock */
	setenv("MAMORI_NOW", "2027-04-01T00:59:59.999Z", 1);
	append_n(f->st, 5, &sealer);
	assert_int_equal(count_checkpoints(f->st), 1);
	setenv("MAMORI_NOW", "2027-04-01T01:00:00Z", 1);
	append_n(f->st, 1, &sealer);
	assert_int_equal(count_checkpoints(f->st), 2);
	assert_int_equal(unit_query_int(f->st, "SELECT max(events) FROM audit_checkpoint"), 7);
}

static void
test_sealer_rolls_back_with_the_change(void **state)
{
	struct fixture *f = *state;
	struct audit_sealer sealer = {.as_secret_key = f->sk, .as_every_events = 1};

	/* the checkpoint is in the caller's transaction: no change, no event, no checkpoint */
	assert_int_equal(store_begin(f->st, NULL), 0);
	assert_int_equal(audit_append(f->st, &an_event, &sealer, NULL, NULL), 0);
	assert_int_equal(count_checkpoints(f->st), 1);
	store_rollback(f->st);
	assert_int_equal(count_events(f->st), 0);
	assert_int_equal(count_checkpoints(f->st), 0);
}

static void
test_sealer_off(void **state)
{
	struct fixture *f = *state;
	struct audit_sealer no_key = {.as_secret_key = NULL, .as_every_events = 1};
	struct audit_sealer no_rule = {.as_secret_key = f->sk};

	append_n(f->st, 3, &no_key);
	append_n(f->st, 3, &no_rule);
	append_n(f->st, 3, NULL);
	assert_int_equal(count_checkpoints(f->st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_append_requires_transaction),
	    T(test_append_numbers_and_links_events),
	    T(test_append_stores_fields_and_times),
	    T(test_append_started_defaults_to_now),
	    T(test_append_refuses_bad_fields),
	    cmocka_unit_test(test_row_hash_known_vector),
	    cmocka_unit_test(test_row_hash_separates_fields),
	    cmocka_unit_test(test_row_hash_matches_the_encoding_for_any_size),
	    cmocka_unit_test(test_access_names),
	    T(test_empty_trail_verifies),
	    T(test_chain_of_events_verifies),
	    T(test_edited_field_is_detected),
	    T(test_edited_details_and_time_are_detected),
	    T(test_edited_prev_hash_is_detected),
	    T(test_deleted_row_is_detected),
	    T(test_deleted_first_row_is_detected),
	    T(test_deleted_and_renumbered_row_is_detected),
	    T(test_swapped_rows_are_detected),
	    T(test_triggers_refuse_edits_by_mistake),
	    T(test_truncation_is_detected_by_stored_checkpoint),
	    T(test_truncation_of_last_event_is_detected),
	    T(test_truncation_to_nothing_is_detected),
	    T(test_truncation_is_detected_by_external_checkpoint),
	    T(test_rollback_is_detected_by_external_checkpoint),
	    T(test_rewritten_event_with_new_hash_is_detected_by_checkpoint),
	    T(test_external_checkpoint_of_another_key_is_refused),
	    T(test_stored_checkpoint_of_another_key_is_refused),
	    T(test_checkpoint_with_forged_head_is_refused),
	    T(test_good_external_checkpoint_verifies),
	    T(test_checkpoints_of_the_same_event_all_count),
	    T(test_malformed_stored_checkpoint_is_reported),
	    T(test_first_problem_of_a_long_trail_is_reported),
	    T(test_thousands_of_stored_checkpoints_are_all_checked),
	    T(test_huge_edited_row_is_hashed_and_detected),
	    T(test_checkpoint_make_needs_transaction_and_events),
	    T(test_checkpoint_make_describes_head),
	    T(test_checkpoint_format_parse_round_trip),
	    T(test_checkpoint_format_refuses_small_buffer),
	    cmocka_unit_test(test_checkpoint_parse_tolerates_copying),
	    cmocka_unit_test(test_checkpoint_parse_rejects_bad_lines),
	    cmocka_unit_test(test_checkpoint_parse_rejects_cut_text),
	    T(test_sealer_by_event_count),
	    T(test_sealer_within_one_transaction),
	    T(test_sealer_by_time),
	    T(test_sealer_rolls_back_with_the_change),
	    T(test_sealer_off),
	};

	int failed;

	if (unit_init() != 0)
		return 1;
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	/* verification again without its second thread: the same results */
	audit__verify_threads = 0;
	return failed + cmocka_run_group_tests(tests, NULL, NULL);
}
