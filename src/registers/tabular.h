/*
 * The tabular file layer of the register engine: CSV and XLSX export, CSV import. Pure functions
 * on bytes and text cells; no database. The engine maps ledger fields to columns and values to
 * cell text, and judges imported cells itself (docs/internals/registers.md).
 */
#ifndef MM_TABULAR_H
#define MM_TABULAR_H

#include "base/buf.h"
#include "base/err.h"

#include <stddef.h>

/* Caps of csv_read: what a person's spreadsheet of a small company's ledger never reaches. */
#define TAB_CSV_MAX_INPUT (20u * 1024 * 1024) /* bytes of the file */
#define TAB_CSV_MAX_ROWS 100000               /* rows after the header row */
#define TAB_CSV_MAX_COLS 200                  /* cells in one row */
#define TAB_CSV_MAX_CELL (64u * 1024)         /* bytes of one cell, in UTF-8 */

/* How a column's cells are written: XLSX stores numbers as numbers and dates as dates. */
enum tab_kind { TAB_TEXT, TAB_NUMBER, TAB_DATE };

/*
 * A table of text cells for export. headers are the Japanese labels; kinds and widths have ncols
 * entries (widths in characters, <= 0 or a NULL array for Excel's default); sheet names the
 * XLSX sheet (NULL for "Sheet1"). The writers keep a pointer: t must outlive them.
 */
struct tab_table {
	size_t ncols;
	const char *const *headers;
	const enum tab_kind *kinds;
	const int *widths;
	const char *sheet;
};

/*
 * Returns 1 when s is a plain decimal number as the engine writes one ("-5", "12", "0.25"): an
 * optional minus, digits, and optionally a point and digits. Such a cell in a TAB_NUMBER column is
 * written as a number and never counts as a formula.
 */
int tab_number(const char *s);

/*
 * Starts a CSV file in out: a UTF-8 BOM (so that Excel reads UTF-8) unless cp932, then the header
 * row. Rows follow with csv_row; out's maximum (mm_buf_init) caps the whole file (MM_ETOOBIG).
 */
int csv_begin(struct mm_buf *out, const struct tab_table *t, int cp932, struct mm_err *err);

/*
 * Appends one row of t->ncols cells (UTF-8 C strings, NULL for empty) to out: RFC 4180 quoting,
 * CRLF at the end. A cell beginning with = + - @ TAB or CR gets a leading ' so that a spreadsheet
 * never runs it as a formula; a tab_number() cell of a TAB_NUMBER column is left as it is. With
 * cp932 the row is converted to CP932 (Shift_JIS, as Excel on Windows expects); a character CP932
 * cannot hold is MM_EINVAL naming rowno (the row number in the file, the header being row 1, so
 * the first record is row 2) and the column's header. On any error out is left as it was.
 */
int csv_row(struct mm_buf *out, const struct tab_table *t, size_t rowno, const char *const *cells,
    int cp932, struct mm_err *err);

/*
 * The cell a person meant, from an imported cell that went through the formula guard: "'-1" gives
 * "-1" (the quote csv_row put before = + - @ TAB or CR), anything else is returned as it is. The
 * engine calls it on imported text so that an export imports back unchanged.
 */
const char *tab_unguard(const char *cell);

/*
 * Called by csv_read with each row: rowno counts from 1 (the header row) as Excel numbers rows,
 * blank lines included; cells are ncells NUL-terminated UTF-8 strings, valid until the callback
 * returns. A non-zero return stops reading and becomes csv_read's result: return a negative MM_E*
 * code and fill your own mm_err.
 */
typedef int (*csv_row_fn)(void *arg, size_t rowno, const char *const *cells, size_t ncells);

/*
 * Reads a CSV file: UTF-8 (a BOM is optional and dropped) when the bytes are valid UTF-8, else
 * CP932 converted to UTF-8. Then RFC 4180: quoted cells may hold commas, doubled quotes and line
 * breaks (CRLF inside a quoted cell becomes LF); rows end with CRLF, LF or CR; the last row may
 * lack its line end; blank lines are skipped (but counted in rowno). Other control characters stay
 * in the cells for the caller to judge. Returns 0, the callback's non-zero value, or MM_EINVAL (a
 * cap of TAB_CSV_MAX_*, a malformed quote, a NUL byte, bytes neither UTF-8 nor CP932) with a
 * message naming the line in Japanese and English, and err->rule one of csv_size, csv_encoding,
 * csv_quote, csv_nul, csv_rows, csv_columns, csv_cell_size.
 */
int csv_read(const char *data, size_t len, csv_row_fn fn, void *arg, struct mm_err *err);

/*
 * An XLSX file being written (libxlsxwriter). Rows are streamed to private temporary files under
 * tmpdir (created 0600 and removed by xlsx_finish and xlsx_abort), so memory stays small.
 */
struct xlsx_writer;

/*
 * Starts a workbook of one sheet: the header row in bold and frozen, the column widths. tmpdir
 * should be a private directory (the data directory's tmp). *w is NULL on failure.
 */
int xlsx_open(struct xlsx_writer **w, const struct tab_table *t, const char *tmpdir,
    struct mm_err *err);

/*
 * Starts another sheet of the workbook with table t (its header row, widths and name, as
 * xlsx_open does); the sheet before gets its autofilter and later rows go to the new one. t must
 * outlive the writer. A name Excel refuses (or a sheet's name again) becomes SheetN.
 */
int xlsx_add_sheet(struct xlsx_writer *w, const struct tab_table *t, struct mm_err *err);

/*
 * Adds one row of the current sheet's t->ncols cells (NULL or "" for empty). In a TAB_NUMBER column a tab_number()
 * cell of at most 15 digits (Excel's precision) is a number; in a TAB_DATE column YYYY-MM-DD is a
 * date shown yyyy/mm/dd; everything else is a string, never a formula.
 */
int xlsx_row(struct xlsx_writer *w, const char *const *cells, struct mm_err *err);

/*
 * Puts an autofilter over the header and the rows, writes the file and appends its bytes to out
 * (whose maximum caps them: MM_ETOOBIG). Frees w and its temporary files whatever happens.
 */
int xlsx_finish(struct xlsx_writer *w, struct mm_buf *out, struct mm_err *err);

/* Drops a workbook without writing it (an error while collecting rows); w may be NULL. */
void xlsx_abort(struct xlsx_writer *w);

#endif
