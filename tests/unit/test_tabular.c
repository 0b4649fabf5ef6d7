/*
 * Unit tests of src/registers tabular files: the CSV Excel opens (BOM, CRLF, CP932), the formula
 * guard, round trips of awkward cells, every refusal of csv_read with its line, and an XLSX file
 * with its frozen header and autofilter.
 */
#include "unit.h"

#include "base/buf.h"
#include "base/err.h"
#include "registers/tabular.h"

#include <dirent.h>
#include <iconv.h>

#define EXPORT_MAX (64u * 1024 * 1024)

/* ---- helpers ---- */

/* The rows csv_read handed over: the first 8 copied, all counted. */
struct rows {
	size_t n;
	size_t rowno[8];
	size_t ncells[8];
	char *cell[8][8];
	int stop_at; /* the row count at which the callback stops with MM_EBUSY; 0: never */
};

static int
rows_collect(void *arg, size_t rowno, const char *const *cells, size_t ncells)
{
	struct rows *r = arg;
	size_t i;

	if (r->n < 8) {
		r->rowno[r->n] = rowno;
		r->ncells[r->n] = ncells;
		for (i = 0; i < ncells && i < 8; i++)
			assert_non_null(r->cell[r->n][i] = strdup(cells[i]));
	}
	r->n++;
	return r->stop_at != 0 && (int)r->n == r->stop_at ? MM_EBUSY : 0;
}

static void
rows_free(struct rows *r)
{
	for (size_t k = 0; k < 8; k++)
		for (size_t i = 0; i < 8; i++)
			free(r->cell[k][i]);
	memset(r, 0, sizeof(*r));
}

/* csv_read of a C string, expecting success. */
static void
read_ok(const char *csv, size_t len, struct rows *r)
{
	struct mm_err err;

	memset(r, 0, sizeof(*r));
	mm_err_clear(&err);
	if (csv_read(csv, len, rows_collect, r, &err) != 0)
		fail_msg("csv_read: %s", err.msg);
}

/* csv_read expecting refusal: returns the code, err holds the detail. */
static int
read_fails(const char *csv, size_t len, struct mm_err *err)
{
	struct rows r;
	int rc;

	memset(&r, 0, sizeof(r));
	mm_err_clear(err);
	rc = csv_read(csv, len, rows_collect, &r, err);
	rows_free(&r);
	return rc;
}

/* Converts UTF-8 text to CP932 with iconv, as Excel on Windows would have saved it. */
static size_t
to_cp932(const char *utf8, char *out, size_t n)
{
	iconv_t cd = iconv_open("CP932", "UTF-8");
	char *in = (char *)utf8, *o = out;
	size_t left = strlen(utf8), room = n;

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &in, &left, &o, &room), (size_t)-1);
	iconv_close(cd);
	return n - room;
}

static const char *const hdr3[] = {"管理番号", "台数", "備考"};
static const enum tab_kind kind3[] = {TAB_TEXT, TAB_NUMBER, TAB_TEXT};
static const int width3[] = {12, 6, 40};
static const struct tab_table table3 = {3, hdr3, kind3, width3, "PC・サーバ台帳"};

/* The number of entries in dir other than . and .. (leftover temporary files). */
static int
dir_entries(const char *dir)
{
	struct dirent *e;
	int n = 0;
	DIR *d;

	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* ---- tab_number ---- */

static void
test_tab_number(void **state)
{
	(void)state;
	assert_true(tab_number("0"));
	assert_true(tab_number("-5"));
	assert_true(tab_number("12.50"));
	assert_false(tab_number(""));
	assert_false(tab_number("-"));
	assert_false(tab_number("+1"));
	assert_false(tab_number("1e5"));
	assert_false(tab_number("1."));
	assert_false(tab_number(" 1"));
	assert_false(tab_number("=1"));
	assert_false(tab_number(NULL));
}

/* ---- CSV writing ---- */

static void
test_csv_utf8_starts_with_bom_and_ends_rows_with_crlf(void **state)
{
	const char *row[] = {"PC-001", "2", "経理部"};
	struct mm_buf out;

	(void)state;
	mm_buf_init(&out, EXPORT_MAX);
	assert_int_equal(csv_begin(&out, &table3, 0, NULL), 0);
	assert_int_equal(csv_row(&out, &table3, 2, row, 0, NULL), 0);
	/* Excel takes a CSV for UTF-8 only with the BOM */
	assert_string_equal(out.b_data, "\xEF\xBB\xBF管理番号,台数,備考\r\nPC-001,2,経理部\r\n");
	mm_buf_free(&out);
}

static void
test_csv_quotes_commas_quotes_and_line_breaks(void **state)
{
	const char *row[] = {"a,b", NULL, "say \"hi\"\nbye"};
	struct mm_buf out;

	(void)state;
	mm_buf_init(&out, EXPORT_MAX);
	assert_int_equal(csv_row(&out, &table3, 2, row, 0, NULL), 0);
	assert_string_equal(out.b_data, "\"a,b\",,\"say \"\"hi\"\"\nbye\"\r\n");
	mm_buf_free(&out);
}

static void
test_csv_formula_guard(void **state)
{
	const char *const h[] = {"a", "b", "c", "d", "e", "f", "g"};
	const enum tab_kind k[] = {TAB_TEXT, TAB_TEXT, TAB_TEXT, TAB_TEXT, TAB_TEXT, TAB_NUMBER,
	    TAB_NUMBER};
	const struct tab_table t = {7, h, k, NULL, NULL};
	const char *row[] = {"=SUM(A1)", "+1", "-1", "@x", "\tx", "-5", "=1+1"};
	struct mm_buf out;

	(void)state;
	mm_buf_init(&out, EXPORT_MAX);
	assert_int_equal(csv_row(&out, &t, 2, row, 0, NULL), 0);
	/* -5 in a number column stays a number; =1+1 there is no number and is guarded */
	assert_string_equal(out.b_data, "'=SUM(A1),'+1,'-1,'@x,'\tx,-5,'=1+1\r\n");
	mm_buf_reset(&out);
	row[0] = "\rx";
	row[1] = "a=b";
	assert_int_equal(csv_row(&out, &t, 2, row, 0, NULL), 0);
	assert_starts_with(out.b_data, "\"'\rx\",a=b,");
	mm_buf_free(&out);
}

static void
test_unguard_gives_back_what_the_guard_hid(void **state)
{
	(void)state;
	assert_string_equal(tab_unguard("'=SUM(A1)"), "=SUM(A1)");
	assert_string_equal(tab_unguard("'-1"), "-1");
	assert_string_equal(tab_unguard("'@x"), "@x");
	assert_string_equal(tab_unguard("'\tx"), "\tx");
	/* a quote a person typed before ordinary text stays */
	assert_string_equal(tab_unguard("'abc"), "'abc");
	assert_string_equal(tab_unguard("'"), "'");
	assert_string_equal(tab_unguard(""), "");
	assert_string_equal(tab_unguard("-5"), "-5");
}

/* Writes the header and row into out (CP932 or UTF-8) and reads the file back into r. */
static void
write_and_read(const char *const *row, int cp932, struct mm_buf *out, struct rows *r)
{
	mm_buf_init(out, EXPORT_MAX);
	assert_int_equal(csv_begin(out, &table3, cp932, NULL), 0);
	assert_int_equal(csv_row(out, &table3, 2, row, cp932, NULL), 0);
	read_ok(out->b_data, out->b_len, r);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->rowno[1], 2);
	assert_int_equal(r->ncells[1], 3);
	assert_string_equal(r->cell[0][0], "管理番号"); /* the BOM is not part of the first header */
}

static void
test_csv_round_trip_of_awkward_cells(void **state)
{
	const char *row[] = {"カンマ,と\"引用符\"", "-5", "改行\nあり😀, ＆ 全角"};
	struct mm_buf out;
	struct rows r;

	(void)state;
	write_and_read(row, 0, &out, &r);
	for (int i = 0; i < 3; i++)
		assert_string_equal(r.cell[1][i], row[i]);
	rows_free(&r);
	mm_buf_free(&out);
}

static void
test_csv_round_trip_in_cp932(void **state)
{
	const char *row[] = {"ＰＣ－００１", "3", "～①㈱髙﨑 ﾊﾝｶｸ\n次の行"};
	struct mm_buf out;
	struct rows r;

	(void)state;
	write_and_read(row, 1, &out, &r);
	/* no BOM: the file starts with the Shift_JIS bytes of 管 */
	assert_memory_equal(out.b_data, "\x8A\xC7", 2);
	for (int i = 0; i < 3; i++)
		assert_string_equal(r.cell[1][i], row[i]);
	rows_free(&r);
	mm_buf_free(&out);
}

static void
test_csv_cp932_takes_mac_wave_dash_and_minus(void **state)
{
	/* typed on a Mac: U+301C, U+2212, U+00AC; CP932 has them as its full-width forms */
	const char *row[] = {"〜", "−3", "¬"};
	struct mm_buf out;
	struct rows r;

	(void)state;
	write_and_read(row, 1, &out, &r);
	assert_string_equal(r.cell[1][0], "～");
	assert_string_equal(r.cell[1][1], "－3");
	assert_string_equal(r.cell[1][2], "￢");
	rows_free(&r);
	mm_buf_free(&out);
}

static void
test_csv_cp932_refuses_emoji_naming_row_and_column(void **state)
{
	const char *row[] = {"PC-002", "1", "笑顔😀です"};
	struct mm_buf out;
	struct mm_err err;
	size_t before;

	(void)state;
	mm_buf_init(&out, EXPORT_MAX);
	assert_int_equal(csv_begin(&out, &table3, 1, NULL), 0);
	before = out.b_len;
	mm_err_clear(&err);
	assert_int_equal(csv_row(&out, &table3, 7, row, 1, &err), MM_EINVAL);
	assert_contains(err.msg_ja, "7行目");
	assert_contains(err.msg_ja, "備考");
	assert_contains(err.msg_ja, "😀");
	assert_contains(err.msg_ja, "UTF-8で出力");
	assert_contains(err.msg, "row 7");
	assert_contains(err.msg, "U+1F600");
	assert_string_equal(err.rule, "cp932");
	/* the row is written whole or not at all */
	assert_int_equal(out.b_len, before);
	mm_buf_free(&out);
}

static void
test_csv_row_respects_the_buffer_cap(void **state)
{
	const char *row[] = {"PC-003", "1", "長い備考長い備考長い備考"};
	struct mm_buf out;
	struct mm_err err;

	(void)state;
	mm_buf_init(&out, 40);
	assert_int_equal(csv_begin(&out, &table3, 0, NULL), 0);
	assert_int_equal(csv_row(&out, &table3, 2, row, 0, &err), MM_ETOOBIG);
	assert_int_equal(out.b_len, strlen("\xEF\xBB\xBF管理番号,台数,備考\r\n"));
	mm_buf_free(&out);
}

/* ---- CSV reading ---- */

static void
test_csv_read_detects_cp932(void **state)
{
	char sjis[256];
	size_t n;
	struct rows r;

	(void)state;
	n = to_cp932("管理番号,備考\r\nPC-001,\"経理部の\r\nノートＰＣ\"\r\n", sjis, sizeof(sjis));
	read_ok(sjis, n, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.cell[0][0], "管理番号");
	assert_string_equal(r.cell[1][1], "経理部の\nノートＰＣ");
	rows_free(&r);
}

static void
test_csv_read_refuses_bytes_neither_utf8_nor_cp932(void **state)
{
	const char bad[] = "a,b\r\nc,d\r\n\xFF\xFF,e\r\n";
	const char bom_bad[] = "\xEF\xBB\xBF"
			       "a\nb\n\x8A\xC7\n";
	struct mm_err err;

	(void)state;
	assert_int_equal(read_fails(bad, sizeof(bad) - 1, &err), MM_EINVAL);
	assert_string_equal(err.rule, "csv_encoding");
	assert_contains(err.msg_ja, "3行目");
	assert_contains(err.msg, "line 3");
	/* a file that says UTF-8 with its BOM is not second-guessed as CP932 */
	assert_int_equal(read_fails(bom_bad, sizeof(bom_bad) - 1, &err), MM_EINVAL);
	assert_contains(err.msg, "line 3");
}

static void
test_csv_read_line_ends_and_blank_lines(void **state)
{
	const char *csv = "h1,h2\r\na,b\n\nc,d\re,f";
	struct rows r;

	(void)state;
	read_ok(csv, strlen(csv), &r);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.cell[1][1], "b");
	/* the blank line is skipped but counted, so row numbers match Excel's */
	assert_int_equal(r.rowno[2], 4);
	assert_string_equal(r.cell[2][0], "c");
	assert_int_equal(r.rowno[3], 5);
	assert_string_equal(r.cell[3][1], "f"); /* the last line has no line end */
	rows_free(&r);

	csv = "h\r\nx\r\n\r\n\r\n\n";
	read_ok(csv, strlen(csv), &r);
	assert_int_equal(r.n, 2); /* trailing blank lines are no rows */
	rows_free(&r);

	csv = "a,,\n";
	read_ok(csv, strlen(csv), &r);
	assert_int_equal(r.ncells[0], 3); /* empty cells at the end still count */
	assert_string_equal(r.cell[0][2], "");
	rows_free(&r);

	read_ok("", 0, &r);
	assert_int_equal(r.n, 0);
	rows_free(&r);
}

static void
test_csv_read_quoted_cells(void **state)
{
	const char *csv = "\"a,b\",\"x\"\"y\",\"1\r\n2\",\"\",\"c\x01\rd\tz\"\r\n";
	struct rows r;

	(void)state;
	read_ok(csv, strlen(csv), &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ncells[0], 5);
	assert_string_equal(r.cell[0][0], "a,b");
	assert_string_equal(r.cell[0][1], "x\"y");
	assert_string_equal(r.cell[0][2], "1\n2"); /* CRLF in a cell becomes LF */
	assert_string_equal(r.cell[0][3], "");
	/* control characters are left to the caller */
	assert_string_equal(r.cell[0][4], "c\x01\rd\tz");
	rows_free(&r);
}

static void
test_csv_read_refuses_malformed_quotes_naming_the_line(void **state)
{
	const char *unclosed = "h\nok\n\"open\nstill open\n";
	const char *after = "h\n\"a\"b\n";
	const char *inside = "h\nok\nok\nab\"c\n";
	struct mm_err err;

	(void)state;
	assert_int_equal(read_fails(unclosed, strlen(unclosed), &err), MM_EINVAL);
	assert_string_equal(err.rule, "csv_quote");
	assert_contains(err.msg_ja, "CSVの3行目"); /* where the quote opened */
	assert_contains(err.msg, "line 3");
	assert_int_equal(read_fails(after, strlen(after), &err), MM_EINVAL);
	assert_contains(err.msg, "line 2");
	assert_int_equal(read_fails(inside, strlen(inside), &err), MM_EINVAL);
	assert_contains(err.msg_ja, "4行目");
	assert_string_equal(err.rule, "csv_quote");
}

static void
test_csv_read_refuses_too_many_columns(void **state)
{
	struct mm_buf b;
	struct mm_err err;

	(void)state;
	mm_buf_init(&b, 4096);
	assert_int_equal(mm_buf_puts(&b, "h\n"), 0);
	for (int i = 0; i < TAB_CSV_MAX_COLS; i++)
		assert_int_equal(mm_buf_puts(&b, "x,"), 0);
	assert_int_equal(mm_buf_puts(&b, "x\n"), 0); /* 201 cells on line 2 */
	assert_int_equal(read_fails(b.b_data, b.b_len, &err), MM_EINVAL);
	assert_string_equal(err.rule, "csv_columns");
	assert_contains(err.msg_ja, "2行目");
	b.b_data[b.b_len - 3] = '\n'; /* exactly 200 cells are fine */
	assert_int_equal(read_fails(b.b_data, b.b_len - 2, &err), 0);
	mm_buf_free(&b);
}

static void
test_csv_read_refuses_a_cell_past_64k(void **state)
{
	size_t n = 3 + TAB_CSV_MAX_CELL + 3;
	struct mm_err err;
	char *csv;

	(void)state;
	assert_non_null(csv = malloc(n));
	memcpy(csv, "h\n\"", 3);
	memset(csv + 3, 'x', TAB_CSV_MAX_CELL + 1);
	memcpy(csv + n - 2, "\"\n", 2);
	assert_int_equal(read_fails(csv, n, &err), MM_EINVAL);
	assert_string_equal(err.rule, "csv_cell_size");
	assert_contains(err.msg, "line 2");
	/* exactly 64 KiB is fine */
	csv[n - 3] = '"';
	csv[n - 2] = '\n';
	assert_int_equal(read_fails(csv, n - 1, &err), 0);
	free(csv);
}

static void
test_csv_read_refuses_too_many_rows(void **state)
{
	size_t rows = TAB_CSV_MAX_ROWS + 2, n = 2 * rows;
	struct mm_err err;
	char *csv;

	(void)state;
	assert_non_null(csv = malloc(n));
	for (size_t i = 0; i < rows; i++)
		memcpy(csv + 2 * i, "x\n", 2);
	assert_int_equal(read_fails(csv, n, &err), MM_EINVAL);
	assert_string_equal(err.rule, "csv_rows");
	assert_contains(err.msg_ja, "100002行目");
	/* the header and 100000 rows are fine */
	assert_int_equal(read_fails(csv, n - 2, &err), 0);
	free(csv);
}

static void
test_csv_read_refuses_a_file_past_20m(void **state)
{
	struct mm_err err;
	char *csv;

	(void)state;
	assert_non_null(csv = calloc(1, TAB_CSV_MAX_INPUT + 1));
	assert_int_equal(read_fails(csv, TAB_CSV_MAX_INPUT + 1, &err), MM_EINVAL);
	assert_string_equal(err.rule, "csv_size");
	assert_contains(err.msg_ja, "20MiB");
	free(csv);
}

static void
test_csv_read_refuses_nul(void **state)
{
	const char csv[] = "h\nab\0c\n";
	struct mm_err err;

	(void)state;
	assert_int_equal(read_fails(csv, sizeof(csv) - 1, &err), MM_EINVAL);
	assert_string_equal(err.rule, "csv_nul");
	assert_contains(err.msg, "line 2");
}

static void
test_csv_read_callback_stops(void **state)
{
	const char *csv = "a\nb\nc\n";
	struct rows r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.stop_at = 2;
	assert_int_equal(csv_read(csv, strlen(csv), rows_collect, &r, NULL), MM_EBUSY);
	assert_int_equal(r.n, 2);
	rows_free(&r);
}

/* ---- XLSX ---- */

/* Writes the file bytes into dir/name and returns one member as text (unzip -p), or NULL. */
static char *
xlsx_member(const char *dir, const struct mm_buf *x, const char *member)
{
	char path[UNIT_PATH_MAX], cmd[2 * UNIT_PATH_MAX];
	struct mm_buf text;
	char chunk[4096];
	size_t n;
	FILE *p;

	unit_path(path, dir, "out.xlsx");
	unit_write_file(path, x->b_data, x->b_len, 0600);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s' 2>/dev/null", path, member);
	assert_non_null(p = popen(cmd, "r"));
	mm_buf_init(&text, EXPORT_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		assert_int_equal(mm_buf_append(&text, chunk, n), 0);
	pclose(p);
	remove(path);
	return text.b_len > 0 ? mm_buf_take(&text) : (mm_buf_free(&text), NULL);
}

/* Writes the test ledger as XLSX into out. */
static void
xlsx_sample(const char *dir, struct mm_buf *out)
{
	const char *const h[] = {"管理番号", "台数", "導入日", "備考"};
	const enum tab_kind k[] = {TAB_TEXT, TAB_NUMBER, TAB_DATE, TAB_TEXT};
	const int wd[] = {14, 6, 12, 40};
	const struct tab_table t = {4, h, k, wd, "PC/サーバ台帳"};
	const char *r1[] = {"PC-001", "-5", "2026-04-01", "=SUM(A1)"};
	const char *r2[] = {"=HYPERLINK(\"x\")", "1234567890123456", "2026-02-30", NULL};
	struct xlsx_writer *w;
	struct mm_err err;

	assert_int_equal(xlsx_open(&w, &t, dir, &err), 0);
	assert_int_equal(dir_entries(dir), 1); /* the private output file */
	assert_int_equal(xlsx_row(w, r1, &err), 0);
	assert_int_equal(xlsx_row(w, r2, &err), 0);
	mm_buf_init(out, EXPORT_MAX);
	if (xlsx_finish(w, out, &err) != 0)
		fail_msg("xlsx_finish: %s", err.msg);
}

static void
test_xlsx_is_a_zip_with_frozen_header_and_autofilter(void **state)
{
	const char *dir = *state;
	struct mm_buf x;
	char *sheet, *book, *strings;

	xlsx_sample(dir, &x);
	assert_int_equal(dir_entries(dir), 0); /* no temporary file is left behind */
	assert_true(x.b_len > 100);
	assert_memory_equal(x.b_data, "PK\x03\x04", 4);
	if (system("command -v unzip >/dev/null 2>&1") != 0) {
		mm_buf_free(&x);
		skip();
	}
	assert_non_null(sheet = xlsx_member(dir, &x, "xl/worksheets/sheet1.xml"));
	assert_contains(sheet, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
			       "state=\"frozen\"/>");
	assert_contains(sheet, "<autoFilter ref=\"A1:D3\"/>");
	assert_contains(sheet, "<col min=\"4\" max=\"4\" width=\"40.7109375\"");
	/* -5 is a number; a 16-digit number stays text; a date is a serial with its format */
	assert_contains(sheet, "<c r=\"B2\"><v>-5</v></c>");
	assert_contains(sheet, "<v>46113</v>");
	assert_contains(sheet, "1234567890123456");
	assert_null(strstr(sheet, "<v>1234567890123456</v>"));
	/* a string that looks like a formula is still a string, never a formula */
	assert_null(strstr(sheet, "<f>"));
	assert_contains(sheet, "=SUM(A1)");
	assert_contains(sheet, "2026-02-30"); /* not a real day: kept as text */
	free(sheet);
	assert_non_null(book = xlsx_member(dir, &x, "xl/workbook.xml"));
	assert_contains(book, "name=\"PC_サーバ台帳\""); /* '/' is not allowed in a sheet name */
	assert_contains(book, "_xlnm._FilterDatabase");
	free(book);
	assert_non_null(strings = xlsx_member(dir, &x, "xl/styles.xml"));
	assert_contains(strings, "<b/>");        /* the bold header */
	assert_contains(strings, "yyyy/mm/dd"); /* the date format */
	free(strings);
	mm_buf_free(&x);
}

static void
test_xlsx_abort_removes_the_temporary_file(void **state)
{
	const char *dir = *state;
	const char *row[] = {"PC-001", "1", "x"};
	struct xlsx_writer *w;

	assert_int_equal(xlsx_open(&w, &table3, dir, NULL), 0);
	assert_int_equal(xlsx_row(w, row, NULL), 0);
	assert_int_equal(dir_entries(dir), 1);
	xlsx_abort(w);
	assert_int_equal(dir_entries(dir), 0);
	xlsx_abort(NULL);
}

static void
test_xlsx_output_file_is_private(void **state)
{
	const char *dir = *state;
	char path[UNIT_PATH_MAX];
	struct xlsx_writer *w;
	struct dirent *e;
	DIR *d;

	umask(0);
	assert_int_equal(xlsx_open(&w, &table3, dir, NULL), 0);
	umask(077);
	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			break;
	assert_non_null(e);
	unit_path(path, dir, e->d_name);
	closedir(d);
	assert_int_equal(unit_mode(path), 0600);
	xlsx_abort(w);
}

static void
test_xlsx_finish_respects_the_buffer_cap(void **state)
{
	const char *dir = *state;
	struct xlsx_writer *w;
	struct mm_buf out;
	struct mm_err err;

	assert_int_equal(xlsx_open(&w, &table3, dir, NULL), 0);
	mm_buf_init(&out, 1000);
	assert_int_equal(xlsx_finish(w, &out, &err), MM_ETOOBIG);
	assert_int_equal(out.b_len, 0);
	assert_int_equal(dir_entries(dir), 0);
	mm_buf_free(&out);
}

static void
test_xlsx_refuses_bad_arguments(void **state)
{
	const struct tab_table none = {0, NULL, NULL, NULL, NULL};
	struct xlsx_writer *w = (struct xlsx_writer *)1;
	struct mm_err err;

	(void)state;
	assert_int_equal(xlsx_open(&w, &none, "/tmp", &err), MM_EINVAL);
	assert_null(w);
	assert_int_equal(xlsx_open(&w, &table3, "/nonexistent-mamori-dir", &err), MM_EIO);
	assert_null(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tab_number),
	    cmocka_unit_test(test_csv_utf8_starts_with_bom_and_ends_rows_with_crlf),
	    cmocka_unit_test(test_csv_quotes_commas_quotes_and_line_breaks),
	    cmocka_unit_test(test_csv_formula_guard),
	    cmocka_unit_test(test_unguard_gives_back_what_the_guard_hid),
	    cmocka_unit_test(test_csv_round_trip_of_awkward_cells),
	    cmocka_unit_test(test_csv_round_trip_in_cp932),
	    cmocka_unit_test(test_csv_cp932_takes_mac_wave_dash_and_minus),
	    cmocka_unit_test(test_csv_cp932_refuses_emoji_naming_row_and_column),
	    cmocka_unit_test(test_csv_row_respects_the_buffer_cap),
	    cmocka_unit_test(test_csv_read_detects_cp932),
	    cmocka_unit_test(test_csv_read_refuses_bytes_neither_utf8_nor_cp932),
	    cmocka_unit_test(test_csv_read_line_ends_and_blank_lines),
	    cmocka_unit_test(test_csv_read_quoted_cells),
	    cmocka_unit_test(test_csv_read_refuses_malformed_quotes_naming_the_line),
	    cmocka_unit_test(test_csv_read_refuses_too_many_columns),
	    cmocka_unit_test(test_csv_read_refuses_a_cell_past_64k),
	    cmocka_unit_test(test_csv_read_refuses_too_many_rows),
	    cmocka_unit_test(test_csv_read_refuses_a_file_past_20m),
	    cmocka_unit_test(test_csv_read_refuses_nul),
	    cmocka_unit_test(test_csv_read_callback_stops),
	    unit_dir_test(test_xlsx_is_a_zip_with_frozen_header_and_autofilter),
	    unit_dir_test(test_xlsx_abort_removes_the_temporary_file),
	    unit_dir_test(test_xlsx_output_file_is_private),
	    unit_dir_test(test_xlsx_finish_respects_the_buffer_cap),
	    cmocka_unit_test(test_xlsx_refuses_bad_arguments),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
