/*
 * Unit tests of src/journal (運用日誌) on a real data directory made by mamori_init: what is
 * written, the one audit event per entry, every refusal writing nothing, and listing.
 */
#include "unit_data.h"
#include "unit_store.h"

#include "base/time.h"
#include "core/mamori.h"
#include "journal/journal.h"

#include <jansson.h>

struct fixture {
	char tmp[UNIT_PATH_MAX];
	char data[UNIT_PATH_MAX];
	struct mamori *m;
};

static const struct mm_actor operator = {.login = "cli:tester", .client = "local"};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	unit_data_open(f->tmp, f->data, &operator, &f->m);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unsetenv("MAMORI_NOW");
	unit_data_close(f->tmp, f->m);
	free(f);
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static struct store *
store_of(void **state)
{
	return ((struct fixture *)*state)->m->md_store;
}

/* What a refusal must leave untouched. */
struct counts {
	int64_t entries, events;
};

static struct counts
counts(struct store *st)
{
	return (struct counts){unit_query_int(st, "SELECT count(*) FROM journal_entry"),
	    unit_query_int(st, "SELECT count(*) FROM audit_event")};
}

static int64_t
add_ok(void **state, const char *category, const char *text)
{
	struct fixture *f = *state;
	struct mm_err err = {0};
	int64_t id = 0;

	if (journal_add(f->m, f->m->md_store, &operator, category, text, &id, &err) != 0)
		fail_msg("journal_add: %s", err.msg);
	assert_true(id > 0);
	return id;
}

/* Expects journal_add to refuse with MM_EINVAL naming field, and to write nothing at all. */
static void
assert_add_refused(void **state, const struct mm_actor *who, const char *category,
    const char *text, const char *field, const char *why)
{
	struct fixture *f = *state;
	struct counts before = counts(f->m->md_store), after;
	struct mm_err err = {0};
	int64_t id = -1;

	assert_int_equal(
	    journal_add(f->m, f->m->md_store, who, category, text, &id, &err), MM_EINVAL);
	assert_string_equal(err.field, field);
	assert_contains(err.msg, why);
	assert_int_equal(id, -1);
	after = counts(f->m->md_store);
	assert_int_equal(after.entries, before.entries);
	assert_int_equal(after.events, before.events);
	assert_false(store_in_transaction(f->m->md_store));
}

/* One column of the newest audit event, copied into out. */
static void
last_event(struct store *st, const char *column, char *out, size_t n)
{
	struct store_stmt *s;
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT %s FROM audit_event ORDER BY seq DESC LIMIT 1", column);
	assert_int_equal(store_prepare(st, sql, &s, NULL), 0);
	assert_int_equal(store_step(s, NULL), STORE_ROW);
	snprintf(out, n, "%s", store_col_text(s, 0));
	store_finalize(s);
}

/* ---- adding ---- */

static void
test_add_writes_entry(void **state)
{
	struct store *st = store_of(state);
	const char *text = "バックアップ媒体を交換した。\n次回は 4/8。";
	struct store_stmt *s;
	int64_t id;

	setenv("MAMORI_NOW", "2027-04-01T09:00:00+09:00", 1);
	id = add_ok(state, "backup", text);
	assert_int_equal(
	    store_prepare(st,
	        "SELECT recorded_at, author, category, body FROM journal_entry WHERE id = $1", &s,
	        NULL),
	    0);
	assert_int_equal(store_bind_int(s, "$1", id), 0);
	assert_int_equal(store_step(s, NULL), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "2027-04-01T00:00:00.000Z");
	assert_string_equal(store_col_text(s, 1), "cli:tester");
	assert_string_equal(store_col_text(s, 2), "backup");
	assert_string_equal(store_col_text(s, 3), text);
	store_finalize(s);
}

static void
test_add_writes_exactly_one_audit_event(void **state)
{
	struct store *st = store_of(state);
	struct counts before = counts(st), after;
	char text[256], want[32];
	int64_t id;

	id = add_ok(state, "config", "sshd_config: PasswordAuthentication no");
	after = counts(st);
	assert_int_equal(after.entries, before.entries + 1);
	assert_int_equal(after.events, before.events + 1);
	last_event(st, "action", text, sizeof(text));
	assert_string_equal(text, "journal.add");
	last_event(st, "target_type", text, sizeof(text));
	assert_string_equal(text, "journal_entry");
	last_event(st, "target_id", text, sizeof(text));
	snprintf(want, sizeof(want), "%lld", (long long)id);
	assert_string_equal(text, want);
	last_event(st, "actor", text, sizeof(text));
	assert_string_equal(text, "cli:tester");
	last_event(st, "client", text, sizeof(text));
	assert_string_equal(text, "local");
	last_event(st, "access", text, sizeof(text));
	assert_string_equal(text, "create");
	last_event(st, "details", text, sizeof(text));
	assert_contains(text, "\"config\"");
	assert_null(strstr(text, "PasswordAuthentication")); /* the text stays out of the trail */
}

static void
test_trail_verifies_after_adds(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result res;

	for (int i = 0; i < 5; i++)
		add_ok(state, "login", "ログオン");
	assert_int_equal(audit_verify(f->m->md_store, f->m->md_sign_pk, NULL, &res, NULL), 0);
	assert_int_equal(res.bad_seq, 0);
	assert_int_equal(res.events, counts(f->m->md_store).events);
}

static void
test_add_accepts_every_category(void **state)
{
	static const char *names[] = {"login", "config", "log_storage", "backup", "error", "other"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_true(journal_category_valid(names[i]));
		assert_non_null(journal_category_label_ja(names[i]));
		assert_contains(journal_category_names(), names[i]);
		add_ok(state, names[i], "ok");
	}
	assert_string_equal(journal_category_label_ja("backup"), "バックアップ");
}

static void
test_add_refuses_bad_category(void **state)
{
	static const char *bad[] = {"", "Login", "backups", "login ", "ログイン"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_add_refused(state, &operator, bad[i], "text", "category", "login, config");
	assert_add_refused(state, &operator, NULL, "text", "category", "category must be one of");
}

static void
test_add_refuses_empty_text(void **state)
{
	assert_add_refused(state, &operator, "other", "", "text", "text is required");
	assert_add_refused(state, &operator, "other", " \t\r\n  ", "text", "text is required");
	assert_add_refused(state, &operator, "other", NULL, "text", "text");
}

static void
test_add_refuses_control_characters(void **state)
{
	static const char *bad[] = {"red \x1b[31malert", "a\x01z", "bell\x07", "del\x7f",
	    "c1 \xc2\x9b", "bad utf-8 \xff", "cut \xe6\x97"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_add_refused(state, &operator, "error", bad[i], "text", "control characters");
}

/* A string of n copies of the UTF-8 character c (free it). */
static char *
repeat(const char *c, size_t n)
{
	size_t len = strlen(c);
	char *s = malloc(n * len + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, c, len);
	s[n * len] = '\0';
	return s;
}

static void
test_add_limit_counts_characters(void **state)
{
	char *at_limit = repeat("日", JOURNAL_TEXT_MAX); /* 12,000 bytes but 4,000 characters */
	char *over_ascii = repeat("a", JOURNAL_TEXT_MAX + 1);
	char *over_ja = repeat("日", JOURNAL_TEXT_MAX + 1);

	add_ok(state, "other", at_limit);
	assert_add_refused(
	    state, &operator, "other", over_ascii, "text", "at most 4000 characters");
	assert_add_refused(state, &operator, "other", over_ja, "text", "(it has 4001)");
	free(at_limit);
	free(over_ascii);
	free(over_ja);
}

static void
test_add_without_audit_writes_nothing(void **state)
{
	static const struct mm_actor nobody = {.login = "", .client = "local"};

	/* fail-closed: the event cannot be written (no actor), so the entry must not be either */
	assert_add_refused(state, &nobody, "other", "should vanish", "actor", "actor");
}

static void
test_entries_cannot_be_edited(void **state)
{
	struct store *st = store_of(state);
	struct mm_err err = {0};

	add_ok(state, "other", "first version");
	assert_int_equal(
	    store_exec(st, "UPDATE journal_entry SET body = 'rewritten'", &err), MM_ESTORE);
	assert_contains(err.msg, "append-only");
	assert_int_equal(
	    unit_query_int(st, "SELECT count(*) FROM journal_entry WHERE body = 'rewritten'"), 0);
}

/* ---- listing ---- */

static json_t *
list_ok(struct store *st, int64_t since_ms, int limit)
{
	struct mm_err err = {0};
	json_t *arr = NULL;

	if (journal_list(st, since_ms, limit, &arr, &err) != 0)
		fail_msg("journal_list: %s", err.msg);
	assert_true(json_is_array(arr));
	return arr;
}

static const char *
item_text(json_t *arr, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(arr, i), key));
}

static void
test_list_newest_first_with_limit(void **state)
{
	struct store *st = store_of(state);
	int64_t ids[5];
	json_t *arr;

	for (int i = 0; i < 5; i++) {
		char text[16];
		snprintf(text, sizeof(text), "entry %d", i);
		ids[i] = add_ok(state, "other", text);
	}
	arr = list_ok(st, 0, 3);
	assert_int_equal(json_array_size(arr), 3);
	for (size_t i = 0; i < 3; i++) {
		char want[16];
		snprintf(want, sizeof(want), "entry %zu", 4 - i);
		assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, i), "id")),
		    ids[4 - i]);
		assert_string_equal(item_text(arr, i, "text"), want);
		assert_string_equal(item_text(arr, i, "category"), "other");
		assert_string_equal(item_text(arr, i, "author"), "cli:tester");
		assert_non_null(item_text(arr, i, "recorded_at"));
	}
	json_decref(arr);
	arr = list_ok(st, 0, 1000);
	assert_int_equal(json_array_size(arr), 5);
	json_decref(arr);
}

static void
test_list_since(void **state)
{
	struct store *st = store_of(state);
	int64_t since;
	json_t *arr;

	setenv("MAMORI_NOW", "2027-04-01T00:00:00Z", 1);
	add_ok(state, "other", "old");
	setenv("MAMORI_NOW", "2027-04-02T00:00:00Z", 1);
	add_ok(state, "other", "on the day");
	setenv("MAMORI_NOW", "2027-04-03T00:00:00Z", 1);
	add_ok(state, "other", "new");
	assert_int_equal(mm_time_parse("2027-04-02", &since), 0);
	arr = list_ok(st, since, 10);
	assert_int_equal(json_array_size(arr), 2); /* "at or after" */
	assert_string_equal(item_text(arr, 0, "text"), "new");
	assert_string_equal(item_text(arr, 1, "text"), "on the day");
	json_decref(arr);
}

static void
test_list_empty(void **state)
{
	json_t *arr = list_ok(store_of(state), 0, 10);

	assert_int_equal(json_array_size(arr), 0);
	json_decref(arr);
}

static void
test_list_refuses_bad_limit(void **state)
{
	struct store *st = store_of(state);
	struct mm_err err = {0};
	json_t *arr = (json_t *)1;

	assert_int_equal(journal_list(st, 0, 0, &arr, &err), MM_EINVAL);
	assert_null(arr);
	assert_string_equal(err.field, "limit");
	assert_int_equal(journal_list(st, 0, 1001, &arr, &err), MM_EINVAL);
	assert_int_equal(journal_list(st, 0, -5, &arr, &err), MM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_add_writes_entry),
	    T(test_add_writes_exactly_one_audit_event),
	    T(test_trail_verifies_after_adds),
	    T(test_add_accepts_every_category),
	    T(test_add_refuses_bad_category),
	    T(test_add_refuses_empty_text),
	    T(test_add_refuses_control_characters),
	    T(test_add_limit_counts_characters),
	    T(test_add_without_audit_writes_nothing),
	    T(test_entries_cannot_be_edited),
	    T(test_list_newest_first_with_limit),
	    T(test_list_since),
	    T(test_list_empty),
	    T(test_list_refuses_bad_limit),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
