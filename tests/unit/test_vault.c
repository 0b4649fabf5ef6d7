/*
 * Unit tests of src/vault on a real data directory: number checks (個人番号 and 法人番号), sealing
 * and opening, the key epochs (rewrap, rotation, destruction) and that nothing in the database holds
 * a number in clear.
 */
#include "unit_data.h"
#include "unit_store.h"

#include "base/embed.h"
#include "base/mynumber.h"
#include "base/time.h"
#include "core/mamori.h"
#include "vault/vault.h"

#include <jansson.h>
#include <unistd.h>

struct fixture {
	char tmp[UNIT_PATH_MAX];
	char data[UNIT_PATH_MAX];
	struct mamori *m;
	struct vault_ctx x;
	struct principal pr;
};

static const struct mm_actor operator = {.login = "cli:tester", .client = "local"};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	unit_data_open(f->tmp, f->data, &operator, &f->m);
	f->pr.pr_local_operator = 1;
	f->x = (struct vault_ctx){.m = f->m, .st = f->m->md_store, .who = &operator, .pr = &f->pr};
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unit_data_close(f->tmp, f->m);
	free(f);
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static void
test_every_wrong_check_digit_refused(void **state)
{
	char n[13] = "123456789010", out[VAULT_NUMBER_MAX + 1];
	struct mm_err err = {0};

	(void)state;
	for (char d = '0'; d <= '9'; d++) {
		n[11] = d;
		assert_int_equal(vault_number_normalise(n, 0, out, &err) == 0, d == '8');
		if (d != '8')
			assert_string_equal(err.rule, "check_digit");
	}
}

static void
test_numbers_normalised_as_typed(void **state)
{
	char out[VAULT_NUMBER_MAX + 1];
	struct mm_err err = {0};

	(void)state;
	assert_int_equal(vault_number_normalise("１２３４ ５６７８ ９０１８", 0, out, &err), 0);
	assert_string_equal(out, "123456789018");
	assert_int_equal(vault_number_normalise("1234-5678-9018", 0, out, &err), 0);
	assert_int_equal(vault_number_normalise("1234ー5678ー9018", 0, out, &err), 0);
	assert_int_equal(vault_number_normalise("12345678901", 0, out, &err), MM_EINVAL);
	assert_string_equal(err.rule, "length");
	assert_int_equal(vault_number_normalise("1234a5678901", 0, out, &err), MM_EINVAL);
	assert_string_equal(err.rule, "characters");
	/* messages never repeat the number */
	assert_null(strstr(err.msg, "1234"));
	assert_null(strstr(err.msg_ja, "1234"));
}

static void
test_corporate_numbers(void **state)
{
	char out[VAULT_NUMBER_MAX + 1];
	struct mm_err err = {0};

	(void)state;
	/* 国税庁 7000012050002 */
	assert_true(mm_corporate_number_valid("7000012050002"));
	for (char d = '1'; d <= '9'; d++) {
		char n[14] = "7000012050002";
		n[0] = d;
		assert_int_equal(mm_corporate_number_valid(n), d == '7');
	}
	assert_int_equal(vault_number_normalise("7000-0120-50002", 1, out, &err), 0);
	assert_string_equal(out, "7000012050002");
}

static void
test_epochs(void **state)
{
	char e[8];

	(void)state;
	vault_epoch_of(NULL, e);
	assert_string_equal(e, "open");
	vault_epoch_of("2033-12-31", e);
	assert_string_equal(e, "2033");
}

/* A subject with a number; returns its id. */
static int64_t
subject(struct fixture *f, const char *number, const char *ended)
{
	json_t *in = json_pack("{s:s, s:s, s:[s], s:s, s:{s:s, s:s}}", "kind", "partner", "name", "取引先 太郎",
	    "purposes", "partner_payment", "number", number, "identity_check", "number_document", "個人番号カード",
	    "identity_document", "個人番号カード"), *errors = NULL;
	struct mm_err err = {0};
	int64_t id = 0;

	if (ended)
		json_object_set_new(in, "use_ended_on", json_string(ended));
	if (vault_subject_create(&f->x, in, &id, &errors, &err) != 0)
		fail_msg("create: %s", err.msg);
	json_decref(in);
	json_decref(errors);
	return id;
}

static void
test_sealed_number_opens_and_is_not_in_the_database(void **state)
{
	struct fixture *f = *state;
	char out[VAULT_NUMBER_MAX + 1], path[UNIT_PATH_MAX + 32];
	int64_t id = subject(f, "123456789018", NULL);
	struct mm_err err = {0};
	FILE *fp;
	char buf[4096];
	size_t n;
	int found = 0;

	assert_int_equal(vault_open_number(&f->x, id, out, &err), 0);
	assert_string_equal(out, "123456789018");
	snprintf(path, sizeof(path), "%s/mamori.db", f->data);
	/* the WAL holds the recent pages: look in both files */
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/mamori.db%s", f->data, k ? "-wal" : "");
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
			found |= memmem(buf, n, "12345678", 8) != NULL;
		fclose(fp);
	}
	assert_false(found);
}

static void
test_duplicate_found_without_decrypting(void **state)
{
	struct fixture *f = *state;
	json_t *in, *errors = NULL;
	struct mm_err err = {0};
	int64_t id;

	subject(f, "123456789018", NULL);
	in = json_pack("{s:s, s:s, s:[s], s:s, s:{s:s, s:s}}", "kind", "partner", "name", "別人", "purposes",
	    "partner_payment", "number", "1234 5678 9018", "identity_check", "number_document", "a", "identity_document", "b");
	assert_int_equal(vault_subject_create(&f->x, in, &id, &errors, &err), MM_EINVAL);
	assert_string_equal(err.rule, "duplicate");
	json_decref(in);
	json_decref(errors);
}

static void
test_leaving_moves_the_key_to_its_epoch_and_destroying_it_shreds(void **state)
{
	struct fixture *f = *state;
	int64_t id = subject(f, "123456789018", NULL), other = subject(f, "000000000000", NULL);
	json_t *patch = json_pack("{s:s}", "use_ended_on", "2019-06-30"), *errors = NULL, *s = NULL;
	char out[VAULT_NUMBER_MAX + 1];
	struct mm_err err = {0};

	assert_int_equal(vault_subject_update(&f->x, id, patch, &errors, &err), 0);
	json_decref(patch);
	assert_int_equal(vault_subject_get(&f->x, -id, &s, &err), 0);
	assert_string_equal(json_string_value(json_object_get(s, "retention_end")), "2026-12-31");
	json_decref(s);
	assert_int_equal(vault_open_number(&f->x, id, out, &err), 0);
	/* an epoch in use cannot be destroyed */
	assert_int_equal(vault_epoch_destroy(f->m, "2026", &err), MM_EINVAL);
	assert_int_equal(vault_epoch_destroy(f->m, "open", &err), MM_EINVAL);
	/* erase the row (as an approved deletion does), then the epoch's key */
	assert_int_equal(store_exec(f->m->md_store, "DELETE FROM mn_number WHERE epoch = '2026'", &err), 0);
	assert_int_equal(vault_epoch_destroy(f->m, "2026", &err), 0);
	assert_int_equal(vault_open_number(&f->x, other, out, &err), 0);
	assert_string_equal(out, "000000000000");
}

static void
test_rotation_rewraps_every_key(void **state)
{
	struct fixture *f = *state;
	int64_t id = subject(f, "123456789018", NULL), n = 0;
	char out[VAULT_NUMBER_MAX + 1], path[UNIT_PATH_MAX + 64];
	struct mm_err err = {0};

	assert_int_equal(vault_rotate(&f->x, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vault_open_number(&f->x, id, out, &err), 0);
	assert_string_equal(out, "123456789018");
	snprintf(path, sizeof(path), "%s/keys/vault/open.1.key", f->data);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/keys/vault/open.2.key", f->data);
	assert_int_equal(access(path, F_OK), 0);
}

/* ---- schema 8: the CHECK lists of the vault's and the trail's tables rebuilt as OR chains ---- */

extern const struct mm_embedded *store_migrations; /* store/migrate.c: the list a test may replace */
extern size_t store_migrations_count;
extern const struct mm_embedded mm_migrations[];

/* A vault as schema 7 held it: an employee, a dependant being deleted, a deleted partner whose ids
 * went up to 40 once, and a row in every table that refers to them or that schema 8 rebuilds. */
static const char SCHEMA7_ROWS[] =
    "INSERT INTO mn_subject (id, kind, name, name_kana, created_at, created_by, updated_at, updated_by)"
    " VALUES (1, 'employee', '山田 太郎', 'ヤマダ タロウ', 't1', 'alice', 't1', 'alice');"
    "INSERT INTO mn_subject (id, kind, parent_id, name, relation, state, created_at, created_by, updated_at,"
    " updated_by) VALUES (2, 'dependant', 1, '山田 花子', '配偶者', 'deletion_requested', 't2', 'alice', 't3', 'bob');"
    "INSERT INTO mn_subject (id, kind, name, state, stub, use_ended_on, retention_end, created_at, created_by,"
    " updated_at, updated_by) VALUES (3, 'shareholder', '株主 一郎', 'deleted', '9018', '2019-06-30', '2026-12-31',"
    " 't2', 'alice', 't4', 'carol');"
    "UPDATE sqlite_sequence SET seq = 40 WHERE name = 'mn_subject';"
    "INSERT INTO mn_subject_purpose VALUES (1, 'withholding'), (2, 'social_insurance'),"
    " (3, 'shareholder_dividend');"
    "INSERT INTO mn_number (subject_id, kind, epoch, key_gen, wrapped_key, ciphertext, blind_index, tail,"
    " collected_at, collected_by) VALUES (1, 'individual', 'open', 1, 'wk', 'ct', 'bi', '9018', 't1', 'alice');"
    "INSERT INTO mn_identity_check (subject_id, number_document, identity_document, checked_by, checked_at)"
    " VALUES (1, '個人番号カード', '個人番号カード', 'alice', 't1');"
    "INSERT INTO mn_deletion (subject_id, reason, requested_by, requested_at) VALUES (2, '扶養から外れた', 'bob',"
    " 't3');"
    "INSERT INTO mn_deletion (subject_id, reason, requested_by, requested_at, state, decided_by, decided_at,"
    " method) VALUES (3, '保存期間の経過', 'bob', 't3', 'done', 'carol', 't4', '鍵の消去');"
    "INSERT INTO mn_request (subject_id, kind, received_on, decision, created_by, created_at, updated_by,"
    " updated_at) VALUES (1, 'disclosure', '2026-04-01', 'granted', 'alice', 't1', 'alice', 't2');"
    "INSERT INTO mn_record (at, actor, action, subject_id, purpose, detail) VALUES ('t1', 'alice', 'collect', 1,"
    " NULL, '個人番号を取得'), ('t4', 'carol', 'deletion', 3, NULL, '鍵の消去');"
    "INSERT INTO audit_event VALUES (1, 't1', 't1', 'alice', 'mynumber.create', 'mn_subject', '1', 'create',"
    " 'ok', 'local', '{}', '00', 'h1'), (2, 't2', 't2', 'alice', 'mynumber.list', 'mn_subject', '', 'read',"
    " 'ok', 'local', '{}', 'h1', 'h2');"
    "INSERT INTO register_change (register, record_id, at, actor, action, changes) VALUES ('assets', 1, 't1',"
    " 'alice', 'create', '{}');";

/* Every row of the tables schema 8 touches, in order, as one string to compare (free it). */
static char *
vault_rows(struct store *st)
{
	static const char *const tables[][2] = {
	    {"mn_subject", "id, kind, person_id, parent_id, name, name_kana, relation, use_ended_on, retention_end,"
	        " state, stub, created_at, created_by, updated_at, updated_by"},
	    {"mn_subject_purpose", "subject_id, purpose"},
	    {"mn_number", "subject_id, kind, epoch, key_gen, wrapped_key, ciphertext, blind_index, tail"},
	    {"mn_identity_check", "id, subject_id, number_document, identity_document, checked_by, checked_at"},
	    {"mn_deletion", "id, subject_id, reason, requested_by, requested_at, state, decided_by, decided_at,"
	        " comment, method"},
	    {"mn_request", "id, subject_id, kind, received_on, identity_checked, decision, reason, notified_on"},
	    {"mn_record", "id, at, actor, action, subject_id, purpose, detail"},
	    {"audit_event", "seq, started_at, ended_at, actor, action, target_type, target_id, access, outcome,"
	        " client, details, prev_hash, hash"},
	    {"register_change", "id, register, record_id, at, actor, action, changes"},
	    {"sqlite_sequence", "name, seq"},
	};
	char sql[512], *out = NULL;
	size_t n = 0;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		struct store_stmt *s;
		const char *v;
		char *more;

		snprintf(sql, sizeof(sql), "SELECT group_concat(json_array(%s), char(10)) FROM (SELECT * FROM %s"
		    " ORDER BY 1, 2)", tables[i][1], tables[i][0]);
		assert_int_equal(store_prepare(st, sql, &s, NULL), 0);
		assert_int_equal(store_step(s, NULL), STORE_ROW);
		v = store_col_text(s, 0) ? store_col_text(s, 0) : "";
		more = realloc(out, n + strlen(tables[i][0]) + strlen(v) + 3);
		assert_non_null(more);
		out = more;
		n += (size_t)sprintf(out + n, "%s\n%s\n", tables[i][0], v);
		store_finalize(s);
	}
	return out;
}

/* 1 when the statement (one value of a CHECK put in with %s) is accepted; rolled back either way. */
static int
accepted(struct store *st, const char *sql_fmt, const char *value)
{
	char sql[512];
	int rc;

	snprintf(sql, sizeof(sql), sql_fmt, value);
	unit_exec(st, "SAVEPOINT v");
	rc = store_exec(st, sql, NULL);
	unit_exec(st, "ROLLBACK TO v; RELEASE v");
	return rc == 0;
}

/* 1 when mn_subject_count holds the number of subjects of every kind and state (and no other). */
static int
counts_kept(struct store *st)
{
	return unit_query_int(st, "SELECT count(*) FROM (SELECT kind, state, count(*) FROM mn_subject GROUP BY kind, state"
	           " EXCEPT SELECT kind, state, n FROM mn_subject_count WHERE n > 0)") == 0 &&
	    unit_query_int(st, "SELECT count(*) FROM (SELECT kind, state, n FROM mn_subject_count WHERE n <> 0"
	        " EXCEPT SELECT kind, state, count(*) FROM mn_subject GROUP BY kind, state)") == 0;
}

static void
test_subjects_added_are_counted(void **state)
{
	struct fixture *f = *state;
	json_t *in = json_pack("{s:s, s:s, s:[s]}", "kind", "shareholder", "name", "株主 一郎", "purposes",
	    "shareholder_dividend"), *errors = NULL;
	struct mm_err err = {0};
	int64_t id = 0;

	subject(f, "123456789018", NULL);
	subject(f, "000000000000", NULL);
	assert_int_equal(vault_subject_create(&f->x, in, &id, &errors, &err), 0);
	assert_true(counts_kept(f->x.st));
	assert_int_equal(unit_query_int(f->x.st, "SELECT n FROM mn_subject_count WHERE kind = 'partner' AND"
	    " state = 'active'"), 2);
	/* a refused subject is not counted */
	json_object_set_new(in, "kind", json_string("robot"));
	assert_int_equal(vault_subject_create(&f->x, in, &id, &errors, &err), MM_EINVAL);
	assert_non_null(errors);
	assert_true(counts_kept(f->x.st));
	assert_int_equal(unit_query_int(f->x.st, "SELECT sum(n) FROM mn_subject_count"), 3);
	json_decref(errors);
	json_decref(in);
}

static void
test_schema_8_keeps_every_row_and_allows_the_same_values(void **state)
{
	static const struct {
		const char *sql, *values[7];
	} checks[] = {
	    {"INSERT INTO mn_subject (kind, name, created_at, created_by, updated_at, updated_by) VALUES ('%s',"
	        " 'n', 't', 'a', 't', 'a')", {"employee", "dependant", "partner", "shareholder"}},
	    {"INSERT INTO mn_subject (kind, state, name, created_at, created_by, updated_at, updated_by) VALUES"
	        " ('partner', '%s', 'n', 't', 'a', 't', 'a')", {"active", "deletion_requested", "deleted"}},
	    {"INSERT INTO mn_record (at, actor, action) VALUES ('t', 'a', '%s')",
	        {"collect", "use", "output", "takeout", "deletion", "correction"}},
	    {"INSERT INTO audit_event VALUES (NULL, 't', 't', 'a', 'x', 'x', 'x', '%s', 'ok', 'local', '{}', 'h2',"
	        " 'h3')", {"read", "update", "create", "delete", "output"}},
	    {"INSERT INTO register_change (register, record_id, at, actor, action, changes) VALUES ('assets', 1,"
	        " 't', 'a', '%s', '{}')", {"create", "update", "delete"}},
	    {"INSERT INTO mn_deletion (subject_id, reason, requested_by, requested_at, state) VALUES (1, 'r', 'a',"
	        " 't', '%s')", {"pending", "done", "rejected"}},
	    {"INSERT INTO mn_request (subject_id, kind, received_on, created_by, created_at, updated_by, updated_at)"
	        " VALUES (1, '%s', 'd', 'a', 't', 'a', 't')", {"disclosure", "correction", "stop"}},
	    {"INSERT INTO mn_request (subject_id, kind, received_on, decision, created_by, created_at, updated_by,"
	        " updated_at) VALUES (1, 'stop', 'd', '%s', 'a', 't', 'a', 't')", {"pending", "granted", "refused"}},
	};
	char dir[UNIT_PATH_MAX], db[UNIT_PATH_MAX], *before, *after;
	struct store *st = NULL;
	struct mm_err err = {0};

	(void)state;
	unit_tmpdir(dir);
	unit_path(db, dir, "mamori.db");
	assert_int_equal(store_open(&st, db, STORE_CREATE, NULL), 0);
	store_migrations = mm_migrations;
	store_migrations_count = 7;
	if (store_migrate(st, &err) != 0)
		fail_msg("migrate to 7: %s", err.msg);
	unit_exec(st, SCHEMA7_ROWS);
	before = vault_rows(st);
	store_migrations_count = 8;
	if (store_migrate(st, &err) != 0)
		fail_msg("migrate to 8: %s", err.msg);
	store_migrations = NULL;
	store_migrations_count = 0;
	after = vault_rows(st);
	assert_string_equal(after, before);
	free(before);
	free(after);
	assert_int_equal(unit_query_int(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(unit_query_int(st, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%0008'"), 0);
	assert_int_equal(unit_query_int(st, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%CHECK (%IN (%'"
	    " AND tbl_name IN ('mn_subject', 'mn_record', 'audit_event', 'register_change', 'mn_deletion',"
	    " 'mn_request')"), 0);
	/* the indexes and append-only triggers are back, and an id issued once is not issued again */
	assert_int_equal(unit_query_int(st, "SELECT count(*) FROM sqlite_master WHERE name IN ('mn_subject_kind',"
	    " 'mn_subject_name', 'mn_record_at', 'register_change_record', 'audit_event_no_update',"
	    " 'audit_event_no_delete', 'mn_record_no_update', 'mn_record_no_delete', 'register_change_no_update',"
	    " 'register_change_no_delete')"), 10);
	assert_int_not_equal(store_exec(st, "DELETE FROM audit_event", NULL), 0);
	assert_int_not_equal(store_exec(st, "UPDATE mn_record SET detail = ''", NULL), 0);
	/* the kept counts start from the rows there were */
	assert_true(counts_kept(st));
	assert_int_equal(unit_query_int(st, "SELECT sum(n) FROM mn_subject_count"), 3);
	/* a subject added (and counted, as the vault does) */
	unit_exec(st, "INSERT INTO mn_subject (kind, name, created_at, created_by, updated_at, updated_by) VALUES"
	    " ('partner', '新規', 't', 'a', 't', 'a');"
	    "INSERT INTO mn_subject_count VALUES ('partner', 'active', 1) ON CONFLICT DO UPDATE SET n = n + 1");
	assert_int_equal(unit_query_int(st, "SELECT max(id) FROM mn_subject"), 41);
	/* the triggers follow changes of state and deletions */
	assert_true(counts_kept(st));
	assert_int_equal(unit_query_int(st, "SELECT sum(n) FROM mn_subject_count"), 4);
	unit_exec(st, "UPDATE mn_subject SET state = 'deletion_requested' WHERE id = 41");
	assert_true(counts_kept(st));
	unit_exec(st, "UPDATE mn_subject SET name = '改名' WHERE id = 41");
	unit_exec(st, "UPDATE mn_subject SET state = 'deleted', stub = '0000' WHERE id = 41");
	assert_true(counts_kept(st));
	unit_exec(st, "DELETE FROM mn_subject WHERE id = 41");
	assert_true(counts_kept(st));
	assert_int_equal(unit_query_int(st, "SELECT sum(n) FROM mn_subject_count"), 3);
	/* a subject's children still need their subject */
	assert_int_not_equal(store_exec(st, "INSERT INTO mn_identity_check (subject_id, number_document,"
	    " identity_document, checked_by, checked_at) VALUES (99, 'a', 'b', 'c', 'd')", NULL), 0);
	/* every value the IN lists allowed is allowed, and nothing else */
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		for (size_t k = 0; checks[i].values[k]; k++)
			if (!accepted(st, checks[i].sql, checks[i].values[k]))
				fail_msg("refused: %s with %s", checks[i].sql, checks[i].values[k]);
		assert_false(accepted(st, checks[i].sql, "other"));
		assert_false(accepted(st, checks[i].sql, ""));
	}
	/* and the later migrations still apply */
	if (store_migrate(st, &err) != 0)
		fail_msg("migrate to the latest: %s", err.msg);
	store_close(st);
	unit_rmtree(dir);
}

/* ---- images of 本人確認 documents ---- */

static void
test_document_types_by_magic_bytes(void **state)
{
	(void)state;
	assert_string_equal(vault_document_type("\xFF\xD8\xFF\xE0rest", 8), "image/jpeg");
	assert_string_equal(vault_document_type("\x89PNG\r\n\x1A\nrest", 12), "image/png");
	assert_string_equal(vault_document_type("%PDF-1.7\n", 9), "application/pdf");
	/* a header alone, a near miss, other formats, nothing */
	assert_null(vault_document_type("\x89PNG\r\n\x1A\n", 8));
	assert_null(vault_document_type("\x89PNG\r\n\x1A", 7));
	assert_null(vault_document_type("\xFF\xD8\xFE\xE0rest", 8));
	assert_null(vault_document_type("GIF89a......", 12));
	assert_null(vault_document_type("<svg xmlns=", 11));
	assert_null(vault_document_type("", 0));
	assert_null(vault_document_type(NULL, 10));
}

/* The fixture's profile with [mynumber] document_images = yes (the shipped ones say no). */
static struct policy *
policy_keeping_images(void)
{
	static const char key[] = "document_images     = no";
	size_t len;
	const char *text = policy_builtin("ipa-sme", &len);
	char *copy = strndup(text, len), *at = strstr(copy, key), *changed = NULL;
	struct policy *p = NULL;
	struct mm_err err = {0};

	assert_non_null(at);
	*at = '\0';
	assert_true(asprintf(&changed, "%sdocument_images     = yes%s", copy, at + strlen(key)) > 0);
	if (policy_parse(changed, strlen(changed), "ipa-sme", &p, &err) != 0)
		fail_msg("policy: %s", err.msg);
	free(copy);
	free(changed);
	return p;
}

static int64_t
documents_left(struct fixture *f)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(f->x.st, "SELECT count(*) FROM mn_document", &n, NULL), 0);
	return n;
}

static void
test_document_kept_sealed_until_the_identity_check(void **state)
{
	struct fixture *f = *state;
	static const char image[] = "\x89PNG\r\n\x1A\n-MAMORI-UNIT-DOCUMENT-MARK-";
	json_t *check = json_pack("{s:s, s:s}", "number_document", "通知カード", "identity_document", "運転免許証"),
	    *errors = NULL;
	struct policy *shipped = f->m->md_policy;
	struct mm_err err = {0};
	int64_t id = subject(f, "123456789018", NULL), doc = 0, n = 0;
	unsigned char *data = NULL;
	const char *type = NULL;
	size_t len = 0;

	/* the shipped profile keeps none */
	assert_int_equal(vault_document_add(&f->x, id, "number", image, sizeof(image) - 1, &doc, &err), MM_EINVAL);
	assert_string_equal(err.field, "file");
	assert_string_equal(err.rule, "document_images");
	assert_string_equal(err.msg_ja, "本人確認書類の画像は保管しない設定です");
	assert_int_equal(documents_left(f), 0);

	f->m->md_policy = policy_keeping_images();
	assert_int_equal(vault_document_add(&f->x, id, "number", image, sizeof(image) - 1, &doc, &err), 0);
	assert_true(doc > 0);
	/* rotation rewraps its data key too, and it still opens */
	assert_int_equal(vault_rotate(&f->x, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vault_document_open(&f->x, doc, &data, &len, &type, &err), 0);
	assert_int_equal(len, sizeof(image) - 1);
	assert_memory_equal(data, image, len);
	assert_string_equal(type, "image/png");
	mm_wipe(data, len);
	free(data);
	/* the identity check confirms it: its transaction erases the row, so nothing is left to erase */
	assert_int_equal(vault_identity_check(&f->x, id, check, &errors, &err), 0);
	assert_int_equal(documents_left(f), 0);
	assert_int_equal(vault_document_open(&f->x, doc, &data, &len, &type, &err), MM_ENOTFOUND);
	assert_null(data);
	assert_int_equal(vault_documents_confirmed(&f->x, id, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(vault_document_purge(&f->x, doc, &err), MM_ENOTFOUND);

	policy_free(f->m->md_policy);
	f->m->md_policy = shipped;
	json_decref(check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_wrong_check_digit_refused),
	    cmocka_unit_test(test_numbers_normalised_as_typed),
	    cmocka_unit_test(test_corporate_numbers),
	    cmocka_unit_test(test_epochs),
	    T(test_sealed_number_opens_and_is_not_in_the_database),
	    T(test_duplicate_found_without_decrypting),
	    T(test_leaving_moves_the_key_to_its_epoch_and_destroying_it_shreds),
	    T(test_rotation_rewraps_every_key),
	    cmocka_unit_test(test_schema_8_keeps_every_row_and_allows_the_same_values),
	    T(test_subjects_added_are_counted),
	    cmocka_unit_test(test_document_types_by_magic_bytes),
	    T(test_document_kept_sealed_until_the_identity_check),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
