/* Unit tests of src/store: named parameters, transactions and migrations on a temporary SQLite
 * file. */
#include "unit_store.h"

#include "base/embed.h"
#include "crypto/crypto.h"
#include "store/store.h"

/* The migration list of src/store/migrate.c, replaced here to prove a failing one changes nothing.
 */
extern const struct mm_embedded *store_migrations;
extern size_t store_migrations_count;
extern const struct mm_embedded mm_migrations[];

struct fixture {
	char dir[UNIT_PATH_MAX];
	char db[UNIT_PATH_MAX];
	struct store *st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	unit_tmpdir(f->dir);
	unit_path(f->db, f->dir, "test.db");
	assert_int_equal(store_open(&f->st, f->db, STORE_CREATE, NULL), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_migrations = NULL; /* back to the compiled-in list */
	store_migrations_count = 0;
	store_close(f->st);
	unit_rmtree(f->dir);
	free(f);
	return 0;
}

static int64_t
count_items(struct store *st)
{
	return unit_query_int(st, "SELECT count(*) FROM item");
}

static void
make_item_table(struct store *st)
{
	unit_exec(
	    st, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER)");
}

static void
insert_item(struct store *st, const char *name)
{
	struct store_stmt *s;

	assert_int_equal(store_prepare(st, "INSERT INTO item (name) VALUES ($1)", &s, NULL), 0);
	assert_int_equal(store_bind_text(s, "$1", name), 0);
	assert_int_equal(store_step(s, NULL), STORE_DONE);
	store_finalize(s);
}

/* ---- opening ---- */

static void
test_open_missing_without_create_fails(void **state)
{
	struct fixture *f = *state;
	char path[UNIT_PATH_MAX];
	struct store *st = (struct store *)1;
	struct mm_err err = {0};

	unit_path(path, f->dir, "absent.db");
	assert_int_equal(store_open(&st, path, 0, &err), MM_ESTORE);
	assert_null(st);
	assert_contains(err.msg, path);
}

static void
test_open_postgresql_not_built_in(void **state)
{
	struct store *st;
	struct mm_err err = {0};

	(void)state;
	assert_int_equal(store_open(&st, "postgresql://localhost/mamori", 0, &err), MM_EINVAL);
	assert_string_equal(err.field, "data");
}

static void
test_readonly_refuses_writes(void **state)
{
	struct fixture *f = *state;
	struct store *ro;

	make_item_table(f->st);
	assert_int_equal(store_open(&ro, f->db, STORE_READONLY, NULL), 0);
	assert_int_equal(store_exec(ro, "INSERT INTO item (name) VALUES ('x')", NULL), MM_ESTORE);
	store_close(ro);
	assert_int_equal(count_items(f->st), 0);
}

/* Sorts, temporary tables and statement journals never go to files in TMPDIR (personal data). */
static void
test_temporary_data_stays_in_memory(void **state)
{
	struct fixture *f = *state;
	struct store *ro;
	int64_t v = 0;

	assert_int_equal(store_query_int(f->st, "PRAGMA temp_store", &v, NULL), 0);
	assert_int_equal(v, 2); /* MEMORY */
	assert_int_equal(store_open(&ro, f->db, STORE_READONLY, NULL), 0);
	assert_int_equal(store_query_int(ro, "PRAGMA temp_store", &v, NULL), 0);
	assert_int_equal(v, 2);
	store_close(ro);
}

/* ---- statements and named parameters ---- */

static void
test_bind_by_name_out_of_order(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s;

	assert_int_equal(store_prepare(f->st, "SELECT $2, $1", &s, NULL), 0);
	assert_int_equal(store_bind_text(s, "$1", "one"), 0);
	assert_int_equal(store_bind_text(s, "$2", "two"), 0);
	assert_int_equal(store_step(s, NULL), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "two");
	assert_string_equal(store_col_text(s, 1), "one");
	assert_int_equal(store_step(s, NULL), STORE_DONE);
	store_finalize(s);
}

static void
test_bind_same_name_twice_in_sql(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s;

	assert_int_equal(store_prepare(f->st, "SELECT $1 || '-' || $1, $2 + $2", &s, NULL), 0);
	assert_int_equal(store_bind_text(s, "$1", "ab"), 0);
	assert_int_equal(store_bind_int(s, "$2", 21), 0);
	assert_int_equal(store_step(s, NULL), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "ab-ab");
	assert_int_equal(store_col_int(s, 1), 42);
	store_finalize(s);
}

static void
test_bind_unknown_name_is_einval(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s;

	assert_int_equal(store_prepare(f->st, "SELECT $1, $2", &s, NULL), 0);
	assert_int_equal(store_bind_text(s, "$3", "x"), MM_EINVAL);
	assert_int_equal(store_bind_int(s, "$3", 1), MM_EINVAL);
	assert_int_equal(store_bind_null(s, "$3"), MM_EINVAL);
	assert_int_equal(store_bind_text(s, "1", "x"), MM_EINVAL);   /* the $ is part of the name */
	assert_int_equal(store_bind_text(s, ":1", "x"), MM_EINVAL);
	assert_int_equal(store_bind_text(s, "$10", "x"), MM_EINVAL); /* not a prefix match */
	store_finalize(s);
}

static void
test_bind_null_and_text_null(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s;

	assert_int_equal(store_prepare(f->st, "SELECT $1, $2, $3", &s, NULL), 0);
	assert_int_equal(store_bind_null(s, "$1"), 0);
	assert_int_equal(store_bind_text(s, "$2", NULL), 0); /* NULL text is SQL NULL */
	assert_int_equal(store_bind_text(s, "$3", ""), 0);
	assert_int_equal(store_step(s, NULL), STORE_ROW);
	assert_true(store_col_is_null(s, 0));
	assert_true(store_col_is_null(s, 1));
	assert_null(store_col_text(s, 1));
	assert_false(store_col_is_null(s, 2));
	assert_string_equal(store_col_text(s, 2), "");
	store_finalize(s);
}

static void
test_bind_text_is_copied(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s;
	char value[] = "original";

	assert_int_equal(store_prepare(f->st, "SELECT $1", &s, NULL), 0);
	assert_int_equal(store_bind_text(s, "$1", value), 0);
	memcpy(value, "changed!", 8); /* the caller may reuse its memory at once */
	assert_int_equal(store_step(s, NULL), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "original");
	store_finalize(s);
}

static void
test_int64_round_trip(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s;

	assert_int_equal(store_prepare(f->st, "SELECT $1, $2", &s, NULL), 0);
	assert_int_equal(store_bind_int(s, "$1", INT64_MAX), 0);
	assert_int_equal(store_bind_int(s, "$2", -253402300799999LL), 0);
	assert_int_equal(store_step(s, NULL), STORE_ROW);
	assert_true(store_col_int(s, 0) == INT64_MAX);
	assert_true(store_col_int(s, 1) == -253402300799999LL);
	store_finalize(s);
}

static void
test_reset_runs_again_with_new_bindings(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s;

	make_item_table(f->st);
	assert_int_equal(
	    store_prepare(f->st, "INSERT INTO item (name, n) VALUES ($1, $2)", &s, NULL), 0);
	for (int i = 0; i < 3; i++) {
		char name[8];
		snprintf(name, sizeof(name), "n%d", i);
		assert_int_equal(store_bind_text(s, "$1", name), 0);
		assert_int_equal(store_bind_int(s, "$2", i), 0);
		assert_int_equal(store_step(s, NULL), STORE_DONE);
		assert_int_equal(store_last_id(f->st), i + 1);
		store_reset(s);
	}
	/* reset clears bindings: an unbound $2 is NULL, not the last value */
	assert_int_equal(store_bind_text(s, "$1", "n3"), 0);
	assert_int_equal(store_step(s, NULL), STORE_DONE);
	store_finalize(s);
	assert_int_equal(count_items(f->st), 4);
	assert_int_equal(unit_query_int(f->st, "SELECT count(*) FROM item WHERE n IS NULL"), 1);
}

static void
test_changes_counts_rows(void **state)
{
	struct fixture *f = *state;

	make_item_table(f->st);
	insert_item(f->st, "a");
	insert_item(f->st, "b");
	insert_item(f->st, "c");
	unit_exec(f->st, "UPDATE item SET n = 1 WHERE name <> 'b'");
	assert_int_equal(store_changes(f->st), 2);
	unit_exec(f->st, "DELETE FROM item WHERE name = 'nobody'");
	assert_int_equal(store_changes(f->st), 0);
}

static void
test_prepare_error(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s = (struct store_stmt *)1;
	struct mm_err err = {0};

	assert_int_equal(store_prepare(f->st, "SELEC 1", &s, &err), MM_ESTORE);
	assert_null(s);
	assert_contains(err.msg, "syntax error");
	assert_int_equal(store_prepare(f->st, "SELECT * FROM no_such_table", &s, &err), MM_ESTORE);
	assert_contains(err.msg, "no_such_table");
}

static void
test_step_constraint_error(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s;
	struct mm_err err = {0};

	make_item_table(f->st);
	insert_item(f->st, "dup");
	assert_int_equal(store_prepare(f->st, "INSERT INTO item (name) VALUES ($1)", &s, NULL), 0);
	assert_int_equal(store_bind_text(s, "$1", "dup"), 0);
	assert_int_equal(store_step(s, &err), MM_ESTORE);
	assert_contains(err.msg, "UNIQUE");
	store_finalize(s);
	assert_int_equal(count_items(f->st), 1);
}

static void
test_query_int(void **state)
{
	struct fixture *f = *state;
	int64_t v = 0;

	make_item_table(f->st);
	insert_item(f->st, "a");
	insert_item(f->st, "b");
	assert_int_equal(unit_query_int(f->st, "SELECT count(*) FROM item"), 2);
	assert_int_equal(store_query_int(f->st, "SELECT id FROM item WHERE name = 'zzz'", &v, NULL),
	    MM_ENOTFOUND);
}

static void
test_exec_several_statements(void **state)
{
	struct fixture *f = *state;

	unit_exec(f->st,
	    "CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1);");
	assert_int_equal(unit_query_int(f->st, "SELECT count(*) FROM a"), 1);
	assert_int_equal(unit_query_int(f->st, "SELECT count(*) FROM b"), 0);
}

/* ---- transactions ---- */

static void
test_commit_makes_changes_visible(void **state)
{
	struct fixture *f = *state;
	struct store *other;

	make_item_table(f->st);
	assert_int_equal(store_begin(f->st, NULL), 0);
	assert_true(store_in_transaction(f->st));
	insert_item(f->st, "a");
	assert_int_equal(store_commit(f->st, NULL), 0);
	assert_false(store_in_transaction(f->st));
	/* another connection sees it: it is in the file, not just this connection */
	assert_int_equal(store_open(&other, f->db, 0, NULL), 0);
	assert_int_equal(count_items(other), 1);
	store_close(other);
}

static void
test_rollback_discards_changes(void **state)
{
	struct fixture *f = *state;

	make_item_table(f->st);
	insert_item(f->st, "kept");
	assert_int_equal(store_begin(f->st, NULL), 0);
	insert_item(f->st, "a");
	insert_item(f->st, "b");
	assert_int_equal(count_items(f->st), 3);
	store_rollback(f->st);
	assert_false(store_in_transaction(f->st));
	assert_int_equal(count_items(f->st), 1);
	store_rollback(f->st); /* without a transaction: nothing happens */
	assert_int_equal(count_items(f->st), 1);
}

static void
test_nested_begin_is_ebusy(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};

	make_item_table(f->st);
	assert_int_equal(store_begin(f->st, NULL), 0);
	insert_item(f->st, "a");
	assert_int_equal(store_begin(f->st, &err), MM_EBUSY);
	assert_int_equal(err.code, MM_EBUSY);
	/* the outer transaction is still open and intact */
	assert_true(store_in_transaction(f->st));
	insert_item(f->st, "b");
	assert_int_equal(store_commit(f->st, NULL), 0);
	assert_int_equal(count_items(f->st), 2);
}

static void
test_commit_without_transaction(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_commit(f->st, NULL), MM_ESTORE);
}

static void
test_close_rolls_back_open_transaction(void **state)
{
	struct fixture *f = *state;

	make_item_table(f->st);
	assert_int_equal(store_begin(f->st, NULL), 0);
	insert_item(f->st, "lost");
	store_close(f->st);
	assert_int_equal(store_open(&f->st, f->db, 0, NULL), 0);
	assert_int_equal(count_items(f->st), 0);
}

/* ---- migrations ---- */

/* Everything the schema holds and the applied versions, as one string to compare (free it). */
static char *
snapshot(struct store *st)
{
	struct store_stmt *s;
	char *out;

	assert_int_equal(store_prepare(st,
	                     "SELECT coalesce((SELECT group_concat(type || ' ' || name || ' ' || "
	                     "coalesce(sql, ''), ';')"
	                     " FROM (SELECT * FROM sqlite_master ORDER BY type, name)), '')",
	                     &s, NULL),
	    0);
	assert_int_equal(store_step(s, NULL), STORE_ROW);
	out = strdup(store_col_text(s, 0));
	store_finalize(s);
	assert_non_null(out);
	if (strstr(out, "schema_version") != NULL) {
		size_t n = strlen(out);
		char *more;
		assert_int_equal(store_prepare(st,
		    "SELECT group_concat(version || ' ' || name || ' ' || applied_at, ';') FROM"
		    " (SELECT * FROM schema_version ORDER BY version)", &s, NULL), 0);
		assert_int_equal(store_step(s, NULL), STORE_ROW);
		more =
		    realloc(out, n + 2 + strlen(store_col_text(s, 0) ? store_col_text(s, 0) : ""));
		assert_non_null(more);
		out = more;
		sprintf(out + n, "|%s", store_col_text(s, 0) ? store_col_text(s, 0) : "");
		store_finalize(s);
	}
	return out;
}

static int
schema_version(struct store *st)
{
	int v = -1;

	assert_int_equal(store_schema_version(st, &v, NULL), 0);
	return v;
}

static int
table_exists(struct store *st, const char *name)
{
	char sql[200];

	snprintf(sql, sizeof(sql),
	    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", name);
	return unit_query_int(st, sql) == 1;
}

static void
test_fresh_database_migrates_to_latest(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};

	assert_true(store_schema_latest() >= 1);
	assert_int_equal(schema_version(f->st), 0);
	if (store_migrate(f->st, &err) != 0)
		fail_msg("migrate: %s", err.msg);
	assert_int_equal(schema_version(f->st), store_schema_latest());
	assert_int_equal(
	    unit_query_int(f->st, "SELECT count(*) FROM schema_version"), store_schema_latest());
	assert_true(table_exists(f->st, "audit_event"));
	assert_true(table_exists(f->st, "journal_entry"));
	assert_false(store_in_transaction(f->st));
}

static void
test_migrate_twice_changes_nothing(void **state)
{
	struct fixture *f = *state;
	char *before, *after;

	assert_int_equal(store_migrate(f->st, NULL), 0);
	before = snapshot(f->st);
	assert_int_equal(store_migrate(f->st, NULL), 0);
	after = snapshot(f->st);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void
test_newer_database_is_refused_unchanged(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};
	char sql[200], newer[16], *before, *after;
	int latest = store_schema_latest();

	assert_int_equal(store_migrate(f->st, NULL), 0);
	/* as if a newer mamori had migrated this database */
	snprintf(sql, sizeof(sql),
	    "INSERT INTO schema_version VALUES (%d, '%04d_future.sql', '2030-01-01T00:00:00.000Z')",
	    latest + 1, latest + 1);
	unit_exec(f->st, sql);
	before = snapshot(f->st);
	assert_int_equal(store_migrate(f->st, &err), MM_ESCHEMA);
	after = snapshot(f->st);
	assert_string_equal(before, after);
	snprintf(newer, sizeof(newer), "%d", latest + 1);
	assert_contains(err.msg, newer);
	assert_int_equal(schema_version(f->st), latest + 1);
	assert_false(store_in_transaction(f->st));
	free(before);
	free(after);
}

/* Embedded-file entries for hand-made migrations (data must be NUL-terminated text). */
#define MIGRATION(path, sql) {path, (const unsigned char *)(sql), sizeof(sql) - 1}

static const struct mm_embedded good_then_bad[] = {
    MIGRATION("0001_items.sql", "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT);"),
    /* the first statement works, the second fails: the first must not survive */
    MIGRATION("0002_broken.sql",
        "CREATE TABLE half_made (x INTEGER); INSERT INTO item (name) VALUES ('ghost');"
        " INSERT INTO no_such_table VALUES (1);"),
};

static void
use_migrations(const struct mm_embedded *list, size_t n)
{
	store_migrations = list;
	store_migrations_count = n;
}

static void
test_failing_migration_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};
	char *before, *after;

	use_migrations(good_then_bad, 1);
	assert_int_equal(store_migrate(f->st, NULL), 0);
	assert_int_equal(schema_version(f->st), 1);
	before = snapshot(f->st);
	use_migrations(good_then_bad, 2);
	assert_int_equal(store_schema_latest(), 2);
	assert_int_equal(store_migrate(f->st, &err), MM_ESCHEMA);
	assert_contains(err.msg, "0002_broken.sql");
	assert_contains(err.msg, "no_such_table"); /* the database's own reason */
	after = snapshot(f->st);
	assert_string_equal(before, after);
	assert_int_equal(schema_version(f->st), 1);
	assert_false(table_exists(f->st, "half_made"));
	assert_int_equal(unit_query_int(f->st, "SELECT count(*) FROM item"), 0);
	assert_false(store_in_transaction(f->st));
	free(before);
	free(after);
}

static void
test_failing_first_migration_leaves_empty_database(void **state)
{
	struct fixture *f = *state;
	static const struct mm_embedded broken_first[] = {
	    MIGRATION(
	        "0001_broken.sql", "CREATE TABLE half_made (x INTEGER); SELECT * FROM nowhere;"),
	};

	use_migrations(broken_first, 1);
	assert_int_equal(store_migrate(f->st, NULL), MM_ESCHEMA);
	/* not even the schema_version table is left behind */
	assert_int_equal(unit_query_int(f->st, "SELECT count(*) FROM sqlite_master"), 0);
	assert_int_equal(schema_version(f->st), 0);
}

static void
test_migration_out_of_sequence_is_refused(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};
	static const struct mm_embedded gap[] = {
	    MIGRATION("0001_items.sql", "CREATE TABLE item (id INTEGER PRIMARY KEY);"),
	    MIGRATION("0003_skipped_two.sql", "CREATE TABLE other (id INTEGER PRIMARY KEY);"),
	};

	use_migrations(gap, 2);
	assert_int_equal(store_migrate(f->st, &err), MM_ESCHEMA);
	assert_contains(err.msg, "0003_skipped_two.sql");
	assert_false(table_exists(f->st, "other"));
}

static void
test_migrations_continue_from_current_version(void **state)
{
	struct fixture *f = *state;
	static const struct mm_embedded two[] = {
	    MIGRATION("0001_items.sql", "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT);"),
	    MIGRATION("0002_more.sql", "ALTER TABLE item ADD COLUMN n INTEGER;"),
	};

	use_migrations(two, 1);
	assert_int_equal(store_migrate(f->st, NULL), 0);
	insert_item(f->st, "survives");
	use_migrations(two, 2);
	assert_int_equal(store_migrate(f->st, NULL), 0);
	assert_int_equal(schema_version(f->st), 2);
	assert_int_equal(unit_query_int(f->st, "SELECT count(*) FROM item WHERE n IS NULL"), 1);
}

static void
test_real_migrations_are_numbered_in_sequence(void **state)
{
	(void)state;
	for (int i = 0; i < store_schema_latest(); i++)
		assert_int_equal(atoi(mm_migrations[i].path), i + 1);
}

/*
 * The text index (store_text_index_*) against LIKE: for every term, the ids the index finds are
 * the ids "a LIKE '%term%' ESCAPE '\' OR b LIKE ..." finds (ASCII case folded, every other
 * character compared exactly), on rows made to tell them apart.
 */
static const char *const TI_COLS[] = {"a", "b"};

static const char *const TI_ROWS[][2] = {
    {"Payroll list", "x"},
    {"PAYROLL", NULL},
    {"ÄBC äbc", "ＡＢＣ"},               /* LIKE folds ASCII only: Ä/ä and Ａ/ａ differ */
    {"ÄBC", "ａｂｃ"},
    {"人事部 資料", "経理"},
    {"人事", NULL},
    {"50%_off \"quoted\"", "emoji 😀😀😀 x"},
    {"back\\slash", "tab\there"},
    {"line\nbreak", "Kelvin \xe2\x84\xaa"}, /* U+212A KELVIN SIGN, which Unicode folds to k */
    {"İstanbul ſtraße", "STRASSE"},
    {NULL, "ab"},
    {"a", "b"},
    {"", "ＡＢ"},
    {"OR NEAR(x y) \"*^", "-:+ AND"},
    {"ｶﾀｶﾅ カタカナ", "ﾊﾟ パ"},
    {"aaaa", "abab"},
};
#define TI_NROWS (sizeof(TI_ROWS) / sizeof(TI_ROWS[0]))

static const char *const TI_TERMS[] = {"payroll", "PayRoll", "PAYROLL", "äbc", "ÄBC", "ａｂｃ", "ＡＢＣ", "abc",
    "ABC", "人事", "人", "事部", "人事部", "資", "%", "_", "%_", "50%", "\"", "\"quoted\"", "\"\"", "😀", "😀😀",
    "😀😀😀", "\\", "k\\s", "tab\there", "\t", "k", "K", "straße", "ss", "SS", "İ", "i", "ſ", "OR", "NEAR(", "*",
    "^", "-", ":", "AND", "a", "b", "ab", "AB", "x y", "zzz", "ｶﾀ", "パ", "ﾊﾟ", "ﾟ", " ", "aa", "aaa", "ba",
    "bab", "o", "list x", "elvin"};

static void
ti_make(struct store *st)
{
	unit_exec(st, "CREATE TABLE ti (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT, b TEXT)");
}

/* Adds row i of TI_ROWS; with index, keeps the index in step as the engine does. */
static int64_t
ti_add(struct store *st, size_t i, int index)
{
	struct store_stmt *s;
	int64_t id;

	assert_int_equal(store_prepare(st, "INSERT INTO ti (a, b) VALUES ($1, $2)", &s, NULL), 0);
	store_bind_text(s, "$1", TI_ROWS[i][0]);
	store_bind_text(s, "$2", TI_ROWS[i][1]);
	assert_int_equal(store_step(s, NULL), STORE_DONE);
	store_finalize(s);
	id = store_last_id(st);
	if (index)
		assert_int_equal(store_text_index_write(st, "ti", TI_COLS, 2, id, NULL, TI_ROWS[i], NULL), 0);
	return id;
}

/* "1,4,9," — the ids of a query with $1 bound to value. */
static void
ti_ids(struct store *st, const char *sql, const char *value, char *out, size_t len)
{
	struct store_stmt *s;
	size_t used = 0;
	int rc;

	out[0] = '\0';
	assert_int_equal(store_prepare(st, sql, &s, NULL), 0);
	store_bind_text(s, "$1", value);
	while ((rc = store_step(s, NULL)) == STORE_ROW)
		used += (size_t)snprintf(out + used, len - used, "%lld,", (long long)store_col_int(s, 0));
	assert_int_equal(rc, STORE_DONE);
	store_finalize(s);
}

/* Fails unless the index finds for term exactly what LIKE finds. */
static void
ti_same_as_like(struct store *st, const char *term)
{
	char like[256], isql[512], sql[640], value[512], want[1024], got[1024];
	size_t k = 0;

	like[k++] = '%';
	for (const char *p = term; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			like[k++] = '\\';
		like[k++] = *p;
	}
	like[k++] = '%';
	like[k] = '\0';
	ti_ids(st, "SELECT id FROM ti WHERE a LIKE $1 ESCAPE '\\' OR b LIKE $1 ESCAPE '\\' ORDER BY id", like, want,
	    sizeof(want));
	if (store_text_index_ids(st, "ti", TI_COLS, 2, term, "$1", isql, sizeof(isql), value, sizeof(value)) != 1)
		fail_msg("the index does not answer '%s'", term);
	snprintf(sql, sizeof(sql), "SELECT id FROM ti WHERE id IN (%s) ORDER BY id", isql);
	ti_ids(st, sql, value, got, sizeof(got));
	if (strcmp(want, got) != 0)
		fail_msg("'%s': LIKE finds %s, the index %s", term, want, got);
}

/* Every fixed term, and every piece of 1 to 4 characters of every value, as it is and upper-cased. */
static void
ti_check_all(struct store *st)
{
	for (size_t i = 0; i < sizeof(TI_TERMS) / sizeof(TI_TERMS[0]); i++)
		ti_same_as_like(st, TI_TERMS[i]);
	for (size_t r = 0; r < TI_NROWS; r++)
		for (int c = 0; c < 2; c++) {
			const char *v = TI_ROWS[r][c];
			size_t n = v ? strlen(v) : 0;
			for (size_t from = 0; from < n; from++) {
				if (((unsigned char)v[from] & 0xc0) == 0x80)
					continue; /* not the start of a character */
				for (size_t to = from + 1, chars = 0; to <= n && chars < 4; to++) {
					char term[32];
					if (to < n && ((unsigned char)v[to] & 0xc0) == 0x80)
						continue;
					chars++;
					if (to - from >= sizeof(term) || memchr(v + from, '\n', to - from))
						continue;
					memcpy(term, v + from, to - from);
					term[to - from] = '\0';
					ti_same_as_like(st, term);
					for (char *p = term; *p; p++)
						if (*p >= 'a' && *p <= 'z')
							*p = (char)(*p - 'a' + 'A');
					ti_same_as_like(st, term);
				}
			}
		}
}

static void
test_text_index_finds_what_like_finds(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};
	const char *const changed[2] = {"Payroll 2027", "人事異動"}, *const gone[2] = {NULL, NULL};
	char sql[256], value[64];

	ti_make(f->st);
	/* half the rows exist before the index (it is built from them), half are written after */
	for (size_t i = 0; i < TI_NROWS / 2; i++)
		ti_add(f->st, i, 0);
	assert_int_equal(store_text_index_ids(f->st, "ti", TI_COLS, 2, "payroll", "$1", sql, sizeof(sql), value,
	    sizeof(value)), 0); /* no index yet: the caller's LIKE */
	assert_int_equal(store_text_index_ensure(f->st, "ti", TI_COLS, 2, &err), 0);
	for (size_t i = TI_NROWS / 2; i < TI_NROWS; i++)
		ti_add(f->st, i, 1);
	ti_check_all(f->st);

	/* updates and a deletion, kept in step */
	unit_exec(f->st, "UPDATE ti SET a = 'Payroll 2027', b = '人事異動' WHERE id = 1");
	assert_int_equal(store_text_index_write(f->st, "ti", TI_COLS, 2, 1, TI_ROWS[0], changed, &err), 0);
	unit_exec(f->st, "UPDATE ti SET a = NULL, b = NULL WHERE id = 5");
	assert_int_equal(store_text_index_write(f->st, "ti", TI_COLS, 2, 5, TI_ROWS[4], gone, &err), 0);
	unit_exec(f->st, "DELETE FROM ti WHERE id = 7");
	assert_int_equal(store_text_index_write(f->st, "ti", TI_COLS, 2, 7, TI_ROWS[6], NULL, &err), 0);
	ti_check_all(f->st);
	ti_same_as_like(f->st, "異動");
	ti_same_as_like(f->st, "2027");
	unit_exec(f->st, "INSERT INTO fts_ti (fts_ti) VALUES ('integrity-check');"
			 " INSERT INTO gram_ti (gram_ti) VALUES ('integrity-check')");

	/* a term with a control character other than tab is never stored: the caller's LIKE */
	assert_int_equal(store_text_index_ids(f->st, "ti", TI_COLS, 2, "line\nbreak", "$1", sql, sizeof(sql), value,
	    sizeof(value)), 0);
}

static void
test_text_index_made_again_when_its_columns_change(void **state)
{
	struct fixture *f = *state;
	struct mm_err err = {0};
	static const char *const only_a[] = {"a"};
	char sql[256], value[64];

	ti_make(f->st);
	assert_int_equal(store_text_index_ensure(f->st, "ti", only_a, 1, &err), 0);
	for (size_t i = 0; i < TI_NROWS; i++)
		ti_add(f->st, i, 0);
	/* an index of other columns answers nothing and is not written */
	assert_int_equal(store_text_index_ids(f->st, "ti", TI_COLS, 2, "emoji", "$1", sql, sizeof(sql), value,
	    sizeof(value)), 0);
	assert_int_equal(store_text_index_write(f->st, "ti", TI_COLS, 2, 1, NULL, TI_ROWS[0], &err), 0);
	/* the definition gained b: the index is made again from the rows */
	assert_int_equal(store_text_index_ensure(f->st, "ti", TI_COLS, 2, &err), 0);
	assert_int_equal(unit_query_int(f->st, "SELECT count(*) FROM store_text_index WHERE tbl = 'ti'"), 1);
	ti_check_all(f->st);
	/* open again with the same columns: nothing to do; a dropped index table is made again */
	assert_int_equal(store_text_index_ensure(f->st, "ti", TI_COLS, 2, &err), 0);
	ti_same_as_like(f->st, "emoji");
	unit_exec(f->st, "DROP TABLE fts_ti");
	assert_int_equal(store_text_index_ensure(f->st, "ti", TI_COLS, 2, &err), 0);
	ti_check_all(f->st);
	/* names that are not plain identifiers are refused, never written into SQL */
	static const char *const bad[] = {"a); DROP TABLE ti; --"};
	assert_int_equal(store_text_index_ensure(f->st, "ti", bad, 1, &err), MM_EINVAL);
	assert_int_equal(unit_query_int(f->st, "SELECT count(*) FROM ti"), (int64_t)TI_NROWS);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_open_missing_without_create_fails),
	    T(test_open_postgresql_not_built_in),
	    T(test_readonly_refuses_writes),
	    T(test_temporary_data_stays_in_memory),
	    T(test_bind_by_name_out_of_order),
	    T(test_bind_same_name_twice_in_sql),
	    T(test_bind_unknown_name_is_einval),
	    T(test_bind_null_and_text_null),
	    T(test_bind_text_is_copied),
	    T(test_int64_round_trip),
	    T(test_reset_runs_again_with_new_bindings),
	    T(test_changes_counts_rows),
	    T(test_prepare_error),
	    T(test_step_constraint_error),
	    T(test_query_int),
	    T(test_exec_several_statements),
	    T(test_commit_makes_changes_visible),
	    T(test_rollback_discards_changes),
	    T(test_nested_begin_is_ebusy),
	    T(test_commit_without_transaction),
	    T(test_close_rolls_back_open_transaction),
	    T(test_fresh_database_migrates_to_latest),
	    T(test_migrate_twice_changes_nothing),
	    T(test_newer_database_is_refused_unchanged),
	    T(test_failing_migration_changes_nothing),
	    T(test_failing_first_migration_leaves_empty_database),
	    T(test_migration_out_of_sequence_is_refused),
	    T(test_migrations_continue_from_current_version),
	    T(test_real_migrations_are_numbered_in_sequence),
	    T(test_text_index_finds_what_like_finds),
	    T(test_text_index_made_again_when_its_columns_change),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
