/*
 * XLSX export through libxlsxwriter: what a person expects of a ledger opened in Excel, a bold
 * frozen header row with an autofilter, sensible widths, numbers and dates that sort as such.
 * libxlsxwriter 1.1.4 writes only to a named file, so the workbook goes to a private temporary
 * file whose bytes are then handed over.
 */
#include "registers/tabular.h"

#include "base/fs.h"

#include <xlsxwriter.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XLSX__DIGITS 15 /* Excel keeps 15 significant digits: a longer number stays text */

struct xlsx_writer {
	const struct tab_table *x_table;
	lxw_workbook *x_book;
	lxw_worksheet *x_sheet;
	lxw_format *x_bold, *x_date;
	lxw_row_t x_row; /* the next row to write; row 0 is the header */
	int x_sheets;    /* sheets added so far */
	int x_fd;        /* kept open: xlsx_finish reads back the very file it made */
	char x_path[PATH_MAX];
	char *x_tmpdir; /* where libxlsxwriter keeps its own (already unlinked) temporary files */
};

/* The byte length of the UTF-8 character that starts with c. */
static size_t
xlsx__char_len(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/*
 * Makes a sheet name Excel accepts out of a ledger label: at most 31 characters, none of
 * []:*?/\ and no apostrophe at either end. Excel refuses to open the file otherwise.
 */
static void
xlsx__sheet_name(char *out, size_t n, const char *label)
{
	const char *s = label ? label : "";
	size_t o = 0, chars = 0, len, i;

	while (*s != '\0' && chars < LXW_SHEETNAME_MAX) {
		len = xlsx__char_len((unsigned char)*s);
		if (o + len >= n)
			break;
		for (i = 0; i < len && s[i] != '\0'; i++)
			out[o++] = (len == 1 && strchr("[]:*?/\\", s[i]) != NULL) ? '_' : s[i];
		s += i;
		chars++;
	}
	while (o > 0 && out[o - 1] == '\'')
		o--;
	out[o] = '\0';
	for (i = 0; out[i] == '\''; i++)
		;
	memmove(out, out + i, o - i + 1);
	if (out[0] == '\0')
		snprintf(out, n, "Sheet1");
}

/* A cell of a TAB_NUMBER column as a number, when Excel can hold it exactly. */
static int
xlsx__number(const char *s, double *v)
{
	size_t digits = 0;
	const char *p;

	if (!tab_number(s))
		return 0;
	for (p = s; *p != '\0'; p++)
		digits += *p >= '0' && *p <= '9';
	if (digits > XLSX__DIGITS)
		return 0;
	*v = strtod(s, NULL);
	return 1;
}

static int
xlsx__leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* A cell of a TAB_DATE column as a date: YYYY-MM-DD or YYYY/MM/DD, a real day of 1900-9999. */
static int
xlsx__date(const char *s, lxw_datetime *dt)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int v[8], i, k = 0, y, m, d;

	if (strlen(s) != 10 || (s[4] != '-' && s[4] != '/') || s[7] != s[4])
		return 0;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v[k++] = s[i] - '0';
	}
	y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	m = v[4] * 10 + v[5];
	d = v[6] * 10 + v[7];
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && xlsx__leap(y)))
		return 0;
	memset(dt, 0, sizeof(*dt));
	dt->year = y;
	dt->month = m;
	dt->day = d;
	return 1;
}

/* Fills err for a cell libxlsxwriter refused (a string past Excel's 32,767 characters, ...). */
static int
xlsx__cell_error(const struct xlsx_writer *w, lxw_col_t col, lxw_error e, struct mm_err *err)
{
	const char *column = w->x_table->headers[col] ? w->x_table->headers[col] : "";
	char ja[512];

	snprintf(ja, sizeof(ja), "%lu行目「%s」列をExcelのセルに書けません（%s）",
	    (unsigned long)w->x_row + 1, column, lxw_strerror(e));
	return mm_err_input(err, column, "xlsx", ja, "row %lu, column \"%s\": %s",
	    (unsigned long)w->x_row + 1, column, lxw_strerror(e));
}

/*
 * Makes the output file under tmpdir: mkstemp creates it 0600 whatever the umask, so the export
 * is never readable by others while it is written.
 */
static int
xlsx__tmpfile(struct xlsx_writer *w, const char *tmpdir, struct mm_err *err)
{
	if (mm_path_join(w->x_path, sizeof(w->x_path), tmpdir, "mamori-xlsx-XXXXXX") != 0) {
		w->x_path[0] = '\0'; /* nothing to remove */
		return mm_err_set(err, MM_ETOOBIG, NULL, "temporary directory path too long");
	}
	if ((w->x_fd = mkstemp(w->x_path)) < 0) {
		w->x_path[0] = '\0';
		return mm_err_set(
		    err, MM_EIO, NULL, "cannot create a temporary file in %s", tmpdir);
	}
	if ((w->x_tmpdir = strdup(tmpdir)) == NULL)
		return mm_err_set(err, MM_ENOMEM, NULL, "out of memory");
	return 0;
}

/*
 * Starts the workbook in constant-memory mode (rows go to a temporary file as they come, so a
 * large ledger does not sit in memory) and the two formats; the sheets come with xlsx__sheet.
 */
static int
xlsx__book(struct xlsx_writer *w, struct mm_err *err)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = w->x_tmpdir};

	if ((w->x_book = workbook_new_opt(w->x_path, &opt)) == NULL)
		return mm_err_set(err, MM_ENOMEM, NULL, "libxlsxwriter cannot start a workbook");
	if ((w->x_bold = workbook_add_format(w->x_book)) == NULL ||
	    (w->x_date = workbook_add_format(w->x_book)) == NULL)
		return mm_err_set(err, MM_ENOMEM, NULL, "libxlsxwriter cannot add a format");
	format_set_bold(w->x_bold);
	format_set_num_format(w->x_date, "yyyy/mm/dd");
	return 0;
}

/* Adds the sheet of w->x_table, named after its label (SheetN when Excel would refuse the name). */
static int
xlsx__sheet(struct xlsx_writer *w, struct mm_err *err)
{
	char name[LXW_MAX_SHEETNAME_LENGTH];

	xlsx__sheet_name(name, sizeof(name), w->x_table->sheet);
	if (workbook_validate_sheet_name(w->x_book, name) != LXW_NO_ERROR)
		snprintf(name, sizeof(name), "Sheet%d", w->x_sheets + 1);
	if ((w->x_sheet = workbook_add_worksheet(w->x_book, name)) == NULL)
		return mm_err_set(err, MM_ENOMEM, NULL, "libxlsxwriter cannot add a sheet");
	w->x_sheets++;
	return 0;
}

/* Writes the header row: bold, frozen so that it stays in view, and the column widths. */
static int
xlsx__header(struct xlsx_writer *w, struct mm_err *err)
{
	const struct tab_table *t = w->x_table;
	lxw_col_t c;
	lxw_error e;

	for (c = 0; c < t->ncols; c++) {
		if (t->widths != NULL && t->widths[c] > 0)
			worksheet_set_column(w->x_sheet, c, c, t->widths[c], NULL);
		e = worksheet_write_string(w->x_sheet, 0, c, t->headers[c] ? t->headers[c] : "",
		    w->x_bold);
		if (e != LXW_NO_ERROR)
			return xlsx__cell_error(w, c, e, err);
	}
	worksheet_freeze_panes(w->x_sheet, 1, 0);
	w->x_row = 1;
	return 0;
}

int
xlsx_open(struct xlsx_writer **wp, const struct tab_table *t, const char *tmpdir,
    struct mm_err *err)
{
	struct xlsx_writer *w;
	int rc;

	if (wp != NULL)
		*wp = NULL;
	if (wp == NULL || t == NULL || t->ncols == 0 || t->ncols > LXW_COL_MAX ||
	    t->headers == NULL || tmpdir == NULL)
		return mm_err_set(err, MM_EINVAL, NULL, "xlsx_open: no columns or no directory");
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return mm_err_set(err, MM_ENOMEM, NULL, "out of memory");
	w->x_table = t;
	w->x_fd = -1;
	if ((rc = xlsx__tmpfile(w, tmpdir, err)) != 0 || (rc = xlsx__book(w, err)) != 0 ||
	    (rc = xlsx__sheet(w, err)) != 0 || (rc = xlsx__header(w, err)) != 0) {
		xlsx_abort(w);
		return rc;
	}
	*wp = w;
	return 0;
}

/* The autofilter over the header and the rows of the sheet being written. */
static void
xlsx__filter(struct xlsx_writer *w)
{
	worksheet_autofilter(w->x_sheet, 0, 0, w->x_row - 1, (lxw_col_t)(w->x_table->ncols - 1));
}

int
xlsx_add_sheet(struct xlsx_writer *w, const struct tab_table *t, struct mm_err *err)
{
	int rc;

	if (w == NULL || t == NULL || t->ncols == 0 || t->ncols > LXW_COL_MAX || t->headers == NULL)
		return mm_err_set(err, MM_EINVAL, NULL, "xlsx_add_sheet: no writer or no columns");
	xlsx__filter(w);
	w->x_table = t;
	w->x_row = 0;
	if ((rc = xlsx__sheet(w, err)) != 0)
		return rc;
	return xlsx__header(w, err);
}

int
xlsx_row(struct xlsx_writer *w, const char *const *cells, struct mm_err *err)
{
	const struct tab_table *t;
	lxw_datetime dt;
	enum tab_kind kind;
	lxw_col_t c;
	lxw_error e;
	double v;

	if (w == NULL || cells == NULL)
		return mm_err_set(err, MM_EINVAL, NULL, "xlsx_row: no writer or no cells");
	t = w->x_table;
	for (c = 0; c < t->ncols; c++) {
		kind = t->kinds ? t->kinds[c] : TAB_TEXT;
		if (cells[c] == NULL || cells[c][0] == '\0')
			continue;
		if (kind == TAB_NUMBER && xlsx__number(cells[c], &v))
			e = worksheet_write_number(w->x_sheet, w->x_row, c, v, NULL);
		else if (kind == TAB_DATE && xlsx__date(cells[c], &dt))
			e = worksheet_write_datetime(w->x_sheet, w->x_row, c, &dt, w->x_date);
		else
			e = worksheet_write_string(w->x_sheet, w->x_row, c, cells[c], NULL);
		if (e != LXW_NO_ERROR)
			return xlsx__cell_error(w, c, e, err);
	}
	w->x_row++;
	return 0;
}

/* Appends the whole file behind fd to out, leaving out as it was when it does not fit. */
static int
xlsx__slurp(int fd, struct mm_buf *out, struct mm_err *err)
{
	size_t before = out->b_len;
	char chunk[65536];
	ssize_t n;
	int rc;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return mm_err_set(err, MM_EIO, NULL, "cannot read back the XLSX file");
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if ((rc = mm_buf_append(out, chunk, (size_t)n)) != 0) {
			out->b_len = before;
			if (out->b_data != NULL)
				out->b_data[before] = '\0';
			return mm_err_set(err, rc, NULL,
			    "the XLSX file would pass its size cap of %zu bytes", out->b_max);
		}
	}
	if (n < 0)
		return mm_err_set(err, MM_EIO, NULL, "cannot read back the XLSX file");
	return 0;
}

int
xlsx_finish(struct xlsx_writer *w, struct mm_buf *out, struct mm_err *err)
{
	lxw_error e;
	int rc;

	if (w == NULL || out == NULL) {
		xlsx_abort(w);
		return mm_err_set(err, MM_EINVAL, NULL, "xlsx_finish: no writer or no buffer");
	}
	xlsx__filter(w);
	e = workbook_close(w->x_book);
	w->x_book = NULL; /* workbook_close frees it, also when it fails */
	if (e != LXW_NO_ERROR)
		rc = mm_err_set(
		    err, MM_EIO, NULL, "writing the XLSX file failed: %s", lxw_strerror(e));
	else
		rc = xlsx__slurp(w->x_fd, out, err);
	xlsx_abort(w);
	return rc;
}

void
xlsx_abort(struct xlsx_writer *w)
{
	if (w == NULL)
		return;
	if (w->x_book != NULL)
		lxw_workbook_free(w->x_book);
	if (w->x_fd >= 0)
		close(w->x_fd);
	if (w->x_path[0] != '\0')
		unlink(w->x_path);
	free(w->x_tmpdir);
	free(w);
}
