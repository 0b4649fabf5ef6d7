/*
 * The register engine's pure parts: My Number check digits (the ledgers refuse them), definition
 * checking, and the conversion of values from JSON and from spreadsheet text.
 */
#include "unit.h"

#include "base/mynumber.h"
#include "registers/registers.h"
#include "registers/rows.h"
#include "unit_store.h"

static void
test_mynumber_check_digit(void **state)
{
	(void)state;
	assert_true(mm_mynumber_valid("123456789018"));
	assert_false(mm_mynumber_valid("123456789012"));
	assert_false(mm_mynumber_valid("12345678901"));
	assert_false(mm_mynumber_valid("1234567890188"));
	assert_false(mm_mynumber_valid("12345678901a"));
	/* remainder 0 or 1 gives check digit 0 */
	assert_true(mm_mynumber_valid("000000000000"));
}

static void
test_mynumber_found_in_text_in_any_writing(void **state)
{
	(void)state;
	assert_true(mm_text_has_mynumber("番号 123456789018 です"));
	assert_true(mm_text_has_mynumber("1234-5678-9018"));
	assert_true(mm_text_has_mynumber("1234 5678 9018"));
	assert_true(mm_text_has_mynumber("１２３４５６７８９０１８"));
	assert_true(mm_text_has_mynumber("１２３４－５６７８－９０１８"));
	assert_true(mm_text_has_mynumber("6161‐6161‐6169"));       /* U+2010 */
	assert_true(mm_text_has_mynumber("6161−6161−6169"));       /* U+2212 */
	assert_true(mm_text_has_mynumber("6161  6161  6169"));
	assert_true(mm_text_has_mynumber("6161 - 6161 - 6169"));
	/* a date and a time that happen to make 12 digits with a valid check digit are not a number */
	assert_true(mm_mynumber_valid("202604010901"));
	assert_false(mm_text_has_mynumber("2026-04-01 0901"));
	assert_false(mm_text_has_mynumber("1234-56-78-9018"));
	/* not a My Number: wrong check digit, longer or shorter runs, phone numbers */
	assert_false(mm_text_has_mynumber("123456789012"));
	assert_false(mm_text_has_mynumber("1234567890180"));
	assert_false(mm_text_has_mynumber("03-1234-5678"));
	assert_false(mm_text_has_mynumber("PC-2026-0001"));
	assert_false(mm_text_has_mynumber(""));
}

static json_t *
def_json(const char *fields)
{
	char text[4096];

	snprintf(text, sizeof(text),
	    "{\"name\": \"things\", \"label\": {\"ja\": \"物\", \"en\": \"Things\"},"
	    " \"permissions\": {\"read\": [\"auditor\"], \"write\": [\"sysadmin\"]},"
	    " \"title\": \"code\", \"fields\": [%s], \"list\": [\"code\"], \"filters\": [], \"search\": [\"code\"]}",
	    fields);
	return json_loads(text, 0, NULL);
}

static const char CODE[] = "{\"name\": \"code\", \"type\": \"text\", \"label\": {\"ja\": \"番号\", \"en\": \"Code\"}}";

static void
expect_bad_def(const char *fields, const char *words)
{
	struct reg_def d;
	struct mm_err err = {0};
	json_t *j = def_json(fields);

	assert_non_null(j);
	assert_int_equal(reg_def_parse(j, &d, &err), MM_EINVAL);
	if (strstr(err.msg, words) == NULL)
		fail_msg("'%s' not in '%s'", words, err.msg);
	reg_def_free(&d);
}

static void
test_definition_checked(void **state)
{
	struct reg_def d;
	struct mm_err err = {0};
	char f[1024];

	(void)state;
	snprintf(f, sizeof(f), "%s", CODE);
	assert_int_equal(reg_def_parse(def_json(f), &d, &err), 0);
	assert_string_equal(d.table, "reg_things");
	assert_true(d.write_roles & (1u << ROLE_SYSADMIN));
	assert_true(d.read_roles & (1u << ROLE_SYSADMIN)); /* a writer can read */
	reg_def_free(&d);
	snprintf(f, sizeof(f), "%s, {\"name\": \"order\", \"type\": \"text\", \"label\": {\"ja\": \"a\", \"en\": \"a\"}}",
	    CODE);
	expect_bad_def(f, "order");
	snprintf(f, sizeof(f), "%s, {\"name\": \"x\", \"type\": \"money\", \"label\": {\"ja\": \"a\", \"en\": \"a\"}}",
	    CODE);
	expect_bad_def(f, "money");
	snprintf(f, sizeof(f), "%s, {\"name\": \"k\", \"type\": \"enum\", \"label\": {\"ja\": \"a\", \"en\": \"a\"}}",
	    CODE);
	expect_bad_def(f, "choices");
	snprintf(f, sizeof(f), "%s, {\"name\": \"done_at\", \"type\": \"date\", \"label\": {\"ja\": \"a\", \"en\": \"a\"}}",
	    CODE);
	expect_bad_def(f, "done_at");
	snprintf(f, sizeof(f), "%s, %s", CODE, CODE);
	expect_bad_def(f, "twice");
	snprintf(f, sizeof(f), "{\"name\": \"code\", \"type\": \"text\", \"label\": {\"ja\": \"番号\"}}");
	expect_bad_def(f, "label");
}

/* "approvals" names an engine request type, a person field (by) and perhaps a date field (on). */
static void
test_definition_approvals(void **state)
{
	static const char *const bad[] = {"{}", "[{\"type\": \"nosuch\", \"by\": \"who\"}]",
	    "[{\"type\": \"software_install\", \"by\": \"code\"}]",
	    "[{\"type\": \"software_install\", \"by\": \"who\", \"on\": \"code\"}]"};
	char f[1024];
	struct reg_def d;
	struct mm_err err = {0};
	json_t *j;

	(void)state;
	snprintf(f, sizeof(f), "%s, {\"name\": \"who\", \"type\": \"person\", \"label\": {\"ja\": \"a\", \"en\": \"a\"}},"
	    " {\"name\": \"day\", \"type\": \"date\", \"label\": {\"ja\": \"b\", \"en\": \"b\"}}", CODE);
	j = def_json(f);
	json_object_set_new(j, "approvals", json_loads("[{\"type\": \"software_install\", \"by\": \"who\", \"on\": \"day\"}]", 0, NULL));
	assert_int_equal(reg_def_parse(j, &d, &err), 0);
	assert_int_equal(json_array_size(d.approvals), 1);
	reg_def_free(&d); /* frees j */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = def_json(f);
		json_object_set_new(j, "approvals", json_loads(bad[i], 0, NULL));
		assert_int_equal(reg_def_parse(j, &d, &err), MM_EINVAL);
		assert_string_equal(err.field, "approvals");
		reg_def_free(&d); /* frees j */
	}
}

static struct reg_field
field(enum reg_type t)
{
	return (struct reg_field){.name = "f", .type = t, .label_ja = "項目", .label_en = "Field", .maxlen = 5};
}

/* Converts text and returns the JSON text of the value, or the first error's rule. */
static char *
from_text(struct reg_field *f, const char *in)
{
	json_t *errors = json_array(), *v = NULL;
	char *out;
	int rc = reg_value_from_text(NULL, f, in, &v, errors);

	if (rc == 0)
		out = json_dumps(v, JSON_ENCODE_ANY);
	else
		out = strdup(json_string_value(json_object_get(json_array_get(errors, 0), "rule")));
	json_decref(v);
	json_decref(errors);
	return out;
}

static void
expect_text(struct reg_field *f, const char *in, const char *want)
{
	char *got = from_text(f, in);
	assert_string_equal(got, want);
	free(got);
}

static void
test_values_from_spreadsheet_text(void **state)
{
	struct reg_choice kinds[] = {{.value = "pc", .ja = "パソコン", .en = "PC"}};
	struct reg_field b = field(REG_BOOLEAN), d = field(REG_DATE), e = field(REG_ENUM), t = field(REG_TEXT);
	struct reg_field i = field(REG_INTEGER), dt = field(REG_DATETIME);

	(void)state;
	e.choices = kinds;
	e.nchoices = 1;
	i.has_min = i.has_max = 1;
	i.min = 0;
	i.max = 10;
	expect_text(&b, "はい", "true");
	expect_text(&b, "×", "false");
	expect_text(&b, "maybe", "type");
	expect_text(&d, "2026/4/1", "\"2026-04-01\"");
	expect_text(&d, "2026-04-01", "\"2026-04-01\"");
	expect_text(&d, "2026/02/30", "date");
	expect_text(&e, "パソコン", "\"pc\"");
	expect_text(&e, "PC", "\"pc\"");
	expect_text(&e, "pc", "\"pc\"");
	expect_text(&e, "タブレット", "choice");
	expect_text(&t, "", "null");
	expect_text(&t, "12345", "\"12345\"");
	expect_text(&t, "123456", "max_length");
	expect_text(&t, "あいうえお", "\"あいうえお\""); /* characters, not bytes */
	expect_text(&i, "　7 ", "7");
	expect_text(&i, "11", "range");
	expect_text(&i, "7.5", "type");
	expect_text(&dt, "2026/04/01 09:30", "\"2026-04-01T00:30:00Z\""); /* office time is JST */
}

static void
test_values_from_json(void **state)
{
	struct reg_field mac = field(REG_TEXT), ip = field(REG_TEXT), t = field(REG_TEXTAREA);
	json_t *errors = json_array(), *v, *in;

	(void)state;
	mac.format = "mac";
	mac.maxlen = 40;
	ip.format = "ipv4";
	ip.maxlen = 40;
	t.maxlen = 100;
	in = json_string("00-1a-2b-3c-4d-5e");
	assert_int_equal(reg_value_from_json(&mac, in, &v, errors), 0);
	assert_string_equal(json_string_value(v), "00:1A:2B:3C:4D:5E");
	json_decref(v);
	json_decref(in);
	in = json_string("192.168.1.300");
	assert_int_equal(reg_value_from_json(&ip, in, &v, errors), MM_EINVAL);
	json_decref(in);
	in = json_string("line1\nline2");
	assert_int_equal(reg_value_from_json(&t, in, &v, errors), 0);
	json_decref(v);
	json_decref(in);
	in = json_string("bell\a");
	assert_int_equal(reg_value_from_json(&t, in, &v, errors), MM_EINVAL);
	json_decref(in);
	assert_int_equal(json_array_size(errors), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "field")), "f");
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(errors, 0), "message_ja")), "項目"));
	json_decref(errors);
}

static void
test_value_text_for_export(void **state)
{
	struct reg_choice kinds[] = {{.value = "pc", .ja = "パソコン", .en = "PC"}};
	struct reg_field e = field(REG_ENUM), d = field(REG_DATE), b = field(REG_BOOLEAN), p = field(REG_PERSON);
	struct mm_buf out;
	json_t *v;

	(void)state;
	e.choices = kinds;
	e.nchoices = 1;
	mm_buf_init(&out, 1024);
	reg_value_text(&e, v = json_string("pc"), NULL, &out);
	json_decref(v);
	mm_buf_puts(&out, "|");
	reg_value_text(&d, v = json_string("2026-04-01"), NULL, &out);
	json_decref(v);
	mm_buf_puts(&out, "|");
	reg_value_text(&b, json_false(), NULL, &out);
	mm_buf_puts(&out, "|");
	reg_value_text(&p, v = json_integer(3), "E0003 山田 太郎", &out);
	json_decref(v);
	assert_string_equal(out.b_data, "パソコン|2026/04/01|いいえ|E0003 山田 太郎");
	mm_buf_free(&out);
}

/*
 * A ledger of every kind of value in a database of its own, for the list page's writer: rows with
 * quotes, backslashes, newlines, U+2028, nulls, a person without a row, and text that is not UTF-8
 * (never stored through the engine, but the page must stay valid JSON if a file holds it).
 */
static struct store *
writer_ledger(const char *dir, struct reg_def *d)
{
	char db[UNIT_PATH_MAX], f[2048];
	struct mm_err err = {0};
	struct store *st;

	snprintf(f, sizeof(f), "%s, {\"name\": \"note\", \"type\": \"textarea\", \"label\": {\"ja\": \"a\", \"en\": \"a\"}},"
	    " {\"name\": \"n\", \"type\": \"integer\", \"label\": {\"ja\": \"b\", \"en\": \"b\"}},"
	    " {\"name\": \"ok\", \"type\": \"boolean\", \"label\": {\"ja\": \"c\", \"en\": \"c\"}},"
	    " {\"name\": \"day\", \"type\": \"date\", \"label\": {\"ja\": \"d\", \"en\": \"d\"}},"
	    " {\"name\": \"kind\", \"type\": \"enum\", \"label\": {\"ja\": \"e\", \"en\": \"e\"},"
	    "  \"choices\": [{\"value\": \"pc\", \"ja\": \"パソコン\", \"en\": \"PC\"}]},"
	    " {\"name\": \"owner\", \"type\": \"person\", \"label\": {\"ja\": \"f\", \"en\": \"f\"}},"
	    " {\"name\": \"deputy\", \"type\": \"person\", \"label\": {\"ja\": \"g\", \"en\": \"g\"}}", CODE);
	if (reg_def_parse(def_json(f), d, &err) != 0)
		fail_msg("%s", err.msg);
	unit_path(db, dir, "w.db");
	assert_int_equal(store_open(&st, db, STORE_CREATE, NULL), 0);
	unit_exec(st, "CREATE TABLE person (id INTEGER PRIMARY KEY, employee_no TEXT, name TEXT)");
	unit_exec(st, "INSERT INTO person VALUES (1, 'E0001', '山田 \"太郎\"'), (2, 'E0002', CAST(X'FF41' AS TEXT))");
	unit_exec(st, "CREATE TABLE reg_things (id INTEGER PRIMARY KEY, code TEXT, note TEXT, n INTEGER, ok INTEGER,"
	    " day TEXT, kind TEXT, owner INTEGER, deputy INTEGER, created_at TEXT, updated_at TEXT)");
	unit_exec(st, "INSERT INTO reg_things VALUES"
	    " (1, 'A\"1\\', 'line1' || char(10) || 'line2' || char(9) || char(1) || 'x', -5, 1, '2026-04-01', 'pc', 1, 2,"
	    "  '2026-04-01T00:00:00.000Z', '2026-04-02T00:00:00.000Z'),"
	    " (2, 'B2', NULL, NULL, NULL, NULL, NULL, 99, NULL, NULL, NULL),"
	    " (3, 'C3 ' || char(8232) || char(8233) || ' 🔒 台帳', '/' || char(127), 9223372036854775807, 0, NULL, NULL,"
	    "  2, 1, 'x', 'y'),"
	    " (4, 'D4', CAST(X'41FF' AS TEXT), 0, 7, NULL, NULL, NULL, NULL, CAST(X'C0AF' AS TEXT), 'z'),"
	    " (5, 123, 'a', -9223372036854775808, 0, NULL, 'pc', 1, 1, NULL, NULL)");
	return st;
}

/* The list page writes each row as the bytes of the jansson record that reg_get and the export use. */
static void
test_row_writer_gives_the_jansson_record(void **state)
{
	struct reg_def d;
	struct store *st = writer_ledger(*state, &d);
	struct store_stmt *s;
	struct mm_buf sql, text;
	struct mm_json_out o;
	int rows = 0;

	mm_buf_init(&sql, REG_SQL_MAX);
	reg_select_sql(&d, &sql);
	mm_buf_puts(&sql, " ORDER BY t.id");
	assert_int_equal(store_prepare(st, sql.b_data, &s, NULL), 0);
	while (store_step(s, NULL) == STORE_ROW) {
		json_t *rec = reg_row_json(&d, s);
		char *want = json_dumps(rec, JSON_COMPACT);

		mm_buf_init(&text, 1 << 20);
		mm_json_out_init(&o, &text);
		reg_row_write(&d, s, &o);
		assert_int_equal(mm_json_out_finish(&o), 0);
		assert_string_equal(text.b_data, want);
		mm_buf_free(&text);
		free(want);
		json_decref(rec);
		rows++;
	}
	store_finalize(s);
	assert_int_equal(rows, 5);
	mm_buf_free(&sql);
	store_close(st);
	reg_def_free(&d);
}

/* The page's text: items in order, then total, total_capped, page and per_page, as json_pack gave. */
static void
test_list_page_text(void **state)
{
	struct reg_def d;
	struct store *st = writer_ledger(*state, &d);
	struct reg_ctx x = {.st = st, .def = &d};
	struct reg_query q = {.sort = "-id", .page = 2, .per_page = 2};
	struct mm_buf text;
	struct mm_err err = {0};
	json_t *rec, *page;
	char *item;

	mm_buf_init(&text, REG_PAGE_MAX);
	assert_int_equal(reg_list_write(&x, &q, &text, &err), 0);
	assert_non_null(strstr(text.b_data, "],\"total\":5,\"total_capped\":false,\"page\":2,\"per_page\":2}"));
	assert_int_equal(strncmp(text.b_data, "{\"items\":[{\"id\":3,", 18), 0);
	/* the second item is record 2, exactly as reg_get gives it */
	assert_int_equal(reg_get(&x, 2, &rec, &err), 0);
	item = json_dumps(rec, JSON_COMPACT);
	assert_non_null(strstr(text.b_data, item));
	free(item);
	json_decref(rec);
	/* reg_list (the CLI, the vault) reads the same text back */
	assert_int_equal(reg_list(&x, &q, &page, &err), 0);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(page, "items"), 1), "id")), 2);
	json_decref(page);
	/* a search and a filter cap their total; a bad per_page writes nothing */
	mm_buf_free(&text);
	mm_buf_init(&text, REG_PAGE_MAX);
	q = (struct reg_query){.q = "d4"};
	assert_int_equal(reg_list_write(&x, &q, &text, &err), 0);
	assert_int_equal(strncmp(text.b_data, "{\"items\":[{\"id\":4,\"code\":\"D4\",\"n\":0,\"ok\":true,", 45), 0);
	assert_non_null(strstr(text.b_data, "\"total\":1,\"total_capped\":false,\"page\":1,\"per_page\":50}"));
	mm_buf_free(&text);
	mm_buf_init(&text, REG_PAGE_MAX);
	q = (struct reg_query){.per_page = 201};
	assert_int_equal(reg_list_write(&x, &q, &text, &err), MM_EINVAL);
	assert_int_equal(text.b_len, 0);
	/* a page larger than the buffer's maximum is refused, not cut */
	mm_buf_free(&text);
	mm_buf_init(&text, 100);
	q = (struct reg_query){.per_page = 0};
	assert_int_equal(reg_list_write(&x, &q, &text, &err), MM_ETOOBIG);
	mm_buf_free(&text);
	store_close(st);
	reg_def_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mynumber_check_digit),
	    cmocka_unit_test(test_mynumber_found_in_text_in_any_writing),
	    cmocka_unit_test(test_definition_checked),
	    cmocka_unit_test(test_definition_approvals),
	    cmocka_unit_test(test_values_from_spreadsheet_text),
	    cmocka_unit_test(test_values_from_json),
	    cmocka_unit_test(test_value_text_for_export),
	    unit_dir_test(test_row_writer_gives_the_jansson_record),
	    unit_dir_test(test_list_page_text),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
