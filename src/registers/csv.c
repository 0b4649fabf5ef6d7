/*
 * CSV as Excel users in Japan meet it: export in UTF-8 with a BOM ("CSV UTF-8") or in CP932 (the
 * classic "CSV (コンマ区切り)"), import of either, RFC 4180 in both directions.
 */
#include "registers/tabular.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CSV__BOM "\xEF\xBB\xBF"
#define CSV__BOM_LEN 3
/* A spreadsheet runs a cell that begins with one of these as a formula (CSV injection). */
#define CSV__FORMULA_START "=+-@\t\r"

static int
csv__digit(char c)
{
	return c >= '0' && c <= '9';
}

int
tab_number(const char *s)
{
	if (s == NULL)
		return 0;
	if (*s == '-')
		s++;
	if (!csv__digit(*s))
		return 0;
	while (csv__digit(*s))
		s++;
	if (*s == '.') {
		if (!csv__digit(*++s))
			return 0;
		while (csv__digit(*s))
			s++;
	}
	return *s == '\0';
}

/* ---- UTF-8 and CP932 ---- */

/*
 * Decodes one well-formed UTF-8 character of at most n bytes (no overlong forms, no surrogates,
 * nothing past U+10FFFF). Returns its length, or 0 when the bytes are not UTF-8.
 */
static size_t
csv__utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0)
		len = 2, c &= 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		len = 3, c &= 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Returns the offset of the first byte that is not part of well-formed UTF-8, or len. */
static size_t
csv__utf8_valid_upto(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = csv__utf8_char(u + i, len - i, &cp)) == 0)
			return i;
		i += n;
	}
	return len;
}

/*
 * Converts len bytes of s with cd and appends the result to out. Returns MM_EINVAL with *bad the
 * offset of the first byte the target encoding cannot take (or that is malformed), or MM_ETOOBIG
 * when out is full.
 */
static int
csv__iconv(iconv_t cd, struct mm_buf *out, const char *s, size_t len, size_t *bad)
{
	char chunk[4096], *in = (char *)s, *o;
	size_t left = len, room, r;
	int rc, e;

	iconv(cd, NULL, NULL, NULL, NULL);
	while (left > 0) {
		o = chunk;
		room = sizeof(chunk);
		errno = 0;
		r = iconv(cd, &in, &left, &o, &room);
		e = errno;
		if ((rc = mm_buf_append(out, chunk, sizeof(chunk) - room)) != 0)
			return rc;
		if (r == (size_t)-1 && e != E2BIG) {
			*bad = (size_t)(in - s);
			return MM_EINVAL;
		}
	}
	return 0;
}

/* ---- writing ---- */

static int
csv__looks_like_formula(const char *s, enum tab_kind kind)
{
	if (kind == TAB_NUMBER && tab_number(s))
		return 0;
	return s[0] != '\0' && strchr(CSV__FORMULA_START, s[0]) != NULL;
}

const char *
tab_unguard(const char *cell)
{
	if (cell[0] == '\'' && cell[1] != '\0' && strchr(CSV__FORMULA_START, cell[1]) != NULL)
		return cell + 1;
	return cell;
}

/* Appends one cell to b in UTF-8: guarded, and quoted when it holds a comma, quote or newline. */
static int
csv__escape(struct mm_buf *b, const char *s, enum tab_kind kind)
{
	int quoted = strpbrk(s, ",\"\r\n") != NULL;
	int rc = 0;
	size_t n;

	if (quoted)
		rc = mm_buf_append(b, "\"", 1);
	if (rc == 0 && csv__looks_like_formula(s, kind))
		rc = mm_buf_append(b, "'", 1);
	while (rc == 0 && *s != '\0') {
		n = strcspn(s, "\"");
		rc = mm_buf_append(b, s, n);
		s += n;
		if (rc == 0 && *s == '"') {
			rc = mm_buf_append(b, "\"\"", 2); /* a quote inside is doubled */
			s++;
		}
	}
	if (rc == 0 && quoted)
		rc = mm_buf_append(b, "\"", 1);
	return rc;
}

/*
 * Appends a cell (UTF-8 in cell) to out in CP932. A character CP932 lacks (an emoji, most
 * characters outside JIS X 0208 and the NEC/IBM extensions) is an error naming row and column,
 * and the character, so that the person can fix the record or choose UTF-8.
 */
static int
csv__cell_cp932(iconv_t cd, struct mm_buf *out, const struct mm_buf *cell, size_t rowno,
    const char *column, struct mm_err *err)
{
	const unsigned char *c;
	char ja[512];
	size_t bad, n;
	uint32_t cp;
	int rc;

	if ((rc = csv__iconv(cd, out, cell->b_data, cell->b_len, &bad)) != MM_EINVAL)
		return rc;
	c = (const unsigned char *)cell->b_data + bad;
	if ((n = csv__utf8_char(c, cell->b_len - bad, &cp)) == 0) {
		snprintf(ja, sizeof(ja), "%zu行目「%s」列: UTF-8として正しくない文字があります",
		    rowno, column);
		return mm_err_input(err, column, "cp932", ja,
		    "row %zu, column \"%s\": the text is not valid UTF-8", rowno, column);
	}
	snprintf(ja, sizeof(ja),
	    "%zu行目「%s」列の「%.*s」（U+%04X）はCP932（Shift_JIS）で書けません。"
	    "UTF-8で出力してください",
	    rowno, column, (int)n, (const char *)c, (unsigned)cp);
	return mm_err_input(err, column, "cp932", ja,
	    "row %zu, column \"%s\": the character U+%04X cannot be written in CP932 "
	    "(Shift_JIS); export in UTF-8 instead",
	    rowno, column, (unsigned)cp);
}

/* Gives out back its length before a row that failed: a row is written whole or not at all. */
static void
csv__truncate(struct mm_buf *out, size_t len)
{
	out->b_len = len;
	if (out->b_data != NULL)
		out->b_data[len] = '\0';
}

/*
 * Appends one row; kinds is NULL for the header row. Each cell goes through a scratch buffer in
 * UTF-8 before conversion, so that a character CP932 lacks is reported with its column.
 */
static int
csv__write_row(struct mm_buf *out, const struct tab_table *t, size_t rowno,
    const char *const *cells, const enum tab_kind *kinds, int cp932, struct mm_err *err)
{
	iconv_t cd = (iconv_t)-1;
	struct mm_buf cell;
	size_t before = out->b_len, i;
	int rc = 0;

	mm_buf_init(&cell, out->b_max);
	if (cp932 && (cd = iconv_open("CP932", "UTF-8")) == (iconv_t)-1) {
		rc = mm_err_set(err, MM_EIO, NULL, "iconv cannot convert to CP932");
		goto fail;
	}
	for (i = 0; i < t->ncols; i++) {
		const char *column = t->headers[i] ? t->headers[i] : "";

		mm_buf_reset(&cell);
		rc = csv__escape(&cell, cells[i] ? cells[i] : "", kinds ? kinds[i] : TAB_TEXT);
		if (rc == 0)
			rc = mm_buf_puts(&cell, i + 1 < t->ncols ? "," : "\r\n");
		if (rc == 0 && cp932)
			rc = csv__cell_cp932(cd, out, &cell, rowno, column, err);
		else if (rc == 0)
			rc = mm_buf_append(out, cell.b_data, cell.b_len);
		if (rc != 0)
			goto fail;
	}
fail:
	if (rc != 0)
		csv__truncate(out, before);
	if (rc == MM_ETOOBIG)
		mm_err_set(err, rc, NULL, "the CSV file would pass its size cap of %zu bytes",
		    out->b_max);
	else if (rc == MM_ENOMEM)
		mm_err_set(err, rc, NULL, "out of memory writing CSV");
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	mm_buf_free(&cell);
	return rc;
}

int
csv_begin(struct mm_buf *out, const struct tab_table *t, int cp932, struct mm_err *err)
{
	size_t before;
	int rc;

	if (out == NULL || t == NULL || t->ncols == 0 || t->headers == NULL)
		return mm_err_set(err, MM_EINVAL, NULL, "csv_begin: no buffer or no columns");
	before = out->b_len;
	if (!cp932 && mm_buf_append(out, CSV__BOM, CSV__BOM_LEN) != 0)
		return mm_err_set(err, MM_ETOOBIG, NULL, "the CSV file would pass its size cap");
	if ((rc = csv__write_row(out, t, 1, t->headers, NULL, cp932, err)) != 0)
		csv__truncate(out, before);
	return rc;
}

int
csv_row(struct mm_buf *out, const struct tab_table *t, size_t rowno, const char *const *cells,
    int cp932, struct mm_err *err)
{
	if (out == NULL || t == NULL || t->ncols == 0 || t->headers == NULL || cells == NULL)
		return mm_err_set(err, MM_EINVAL, NULL, "csv_row: no buffer, columns or cells");
	return csv__write_row(out, t, rowno, cells, t->kinds, cp932, err);
}

/* ---- reading ---- */

struct csv__reader {
	const char *r_p, *r_end; /* the rest of the UTF-8 text */
	size_t r_line;           /* the line of r_p, from 1, for messages */
	struct mm_buf r_cells;   /* the row's cells, each followed by its NUL */
	size_t r_start[TAB_CSV_MAX_COLS];
	size_t r_ncells;
	struct mm_err *r_err;
};

/* Fills err for bad input at a line (0: the whole file) in Japanese and English. */
static int
csv__fail(struct mm_err *err, const char *rule, size_t line, const char *ja, const char *en)
{
	char jaline[512];

	if (line == 0)
		return mm_err_input(err, "", rule, ja, "CSV: %s", en);
	snprintf(jaline, sizeof(jaline), "CSVの%zu行目: %s", line, ja);
	return mm_err_input(err, "", rule, jaline, "CSV line %zu: %s", line, en);
}

/* The line (from 1) of offset off, for an encoding error. */
static size_t
csv__line_at(const char *s, size_t off)
{
	size_t line = 1, i;

	for (i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/*
 * Gives the input as UTF-8 text: valid UTF-8 as it is, without its BOM; anything else is taken
 * for CP932 (what Excel on Windows saves by default) and converted into conv. A file with a BOM
 * declared itself UTF-8, so bad bytes in it are an error rather than a guess.
 */
static int
csv__decode(const char *data, size_t len, struct mm_buf *conv, const char **text, size_t *tlen,
    struct mm_err *err)
{
	int bom = len >= CSV__BOM_LEN && memcmp(data, CSV__BOM, CSV__BOM_LEN) == 0;
	iconv_t cd;
	size_t bad;
	int rc;

	if (bom)
		data += CSV__BOM_LEN, len -= CSV__BOM_LEN;
	*text = data;
	*tlen = len;
	if ((bad = csv__utf8_valid_upto(data, len)) == len)
		return 0;
	if (bom)
		return csv__fail(err, "csv_encoding", csv__line_at(data, bad),
		    "UTF-8として正しくない文字があります", "bytes that are not valid UTF-8");
	if ((cd = iconv_open("UTF-8", "CP932")) == (iconv_t)-1)
		return mm_err_set(err, MM_EIO, NULL, "iconv cannot convert from CP932");
	rc = csv__iconv(cd, conv, data, len, &bad);
	iconv_close(cd);
	if (rc == MM_EINVAL)
		return csv__fail(err, "csv_encoding", csv__line_at(data, bad),
		    "文字コードがUTF-8でもCP932（Shift_JIS）でもありません",
		    "the file is neither UTF-8 nor CP932 (Shift_JIS)");
	if (rc != 0)
		return mm_err_set(err, rc, NULL, "converting CSV from CP932: %s", mm_strerror(rc));
	*text = conv->b_data;
	*tlen = conv->b_len;
	return 0;
}

/*
 * The number of bytes from p before end or any byte of stop. The text need not end in NUL and may
 * hold one: a NUL is no stop (strchr would find the terminator) but part of a cell, refused there.
 */
static size_t
csv__span(const char *p, const char *end, const char *stop)
{
	const char *q = p;

	while (q < end && (*q == '\0' || strchr(stop, *q) == NULL))
		q++;
	return (size_t)(q - p);
}

static int
csv__cell_open(struct csv__reader *r)
{
	if (r->r_ncells == TAB_CSV_MAX_COLS)
		return csv__fail(r->r_err, "csv_columns", r->r_line,
		    "1行のセルが上限の200個を超えています", "more than 200 cells in a row");
	r->r_start[r->r_ncells++] = r->r_cells.b_len;
	return 0;
}

/* Adds n bytes to the open cell, within the cap; a NUL would cut the cell short: refused. */
static int
csv__cell_add(struct csv__reader *r, const char *s, size_t n)
{
	size_t have = r->r_cells.b_len - r->r_start[r->r_ncells - 1];

	if (n > TAB_CSV_MAX_CELL - have)
		return csv__fail(r->r_err, "csv_cell_size", r->r_line,
		    "セルが上限の64KiBを超えています", "a cell is larger than 64 KiB");
	if (memchr(s, '\0', n) != NULL)
		return csv__fail(
		    r->r_err, "csv_nul", r->r_line, "NUL文字があります", "a NUL character");
	if (mm_buf_append(&r->r_cells, s, n) != 0)
		return mm_err_set(r->r_err, MM_ENOMEM, NULL, "out of memory reading CSV");
	return 0;
}

static int
csv__cell_close(struct csv__reader *r)
{
	if (mm_buf_append(&r->r_cells, "", 1) != 0)
		return mm_err_set(r->r_err, MM_ENOMEM, NULL, "out of memory reading CSV");
	return 0;
}

/*
 * What a quoted cell holds for the byte at p, a quote, CR or LF, and how many bytes that takes: a
 * doubled quote is one quote; CRLF is LF, as Excel keeps a line break in a cell (Alt+Enter); a
 * lone CR stays, for the caller to judge. Returns 0 for the closing quote.
 */
static size_t
csv__quoted_special(const char *p, const char *end, char *c)
{
	int crlf = p[0] == '\r' && p + 1 < end && p[1] == '\n';
	int doubled = p[0] == '"' && p + 1 < end && p[1] == '"';

	if (p[0] == '"' && !doubled)
		return 0;
	*c = crlf ? '\n' : p[0];
	return crlf || doubled ? 2 : 1;
}

/* Reads a quoted cell, r_p at its opening quote. */
static int
csv__quoted(struct csv__reader *r)
{
	size_t opened = r->r_line; /* a quote left open is reported where it opened */
	const char *p = r->r_p + 1;
	size_t n;
	char c;
	int rc;

	for (;;) {
		n = csv__span(p, r->r_end, "\"\r\n");
		if ((rc = csv__cell_add(r, p, n)) != 0)
			return rc;
		p += n;
		if (p == r->r_end)
			return csv__fail(r->r_err, "csv_quote", opened,
			    "引用符（\"）で始まるセルが閉じられていません",
			    "a quoted cell is not closed");
		if ((n = csv__quoted_special(p, r->r_end, &c)) == 0)
			break;
		if ((rc = csv__cell_add(r, &c, 1)) != 0)
			return rc;
		r->r_line += c == '\n';
		p += n;
	}
	p++; /* the closing quote */
	if (p < r->r_end && *p != ',' && *p != '\r' && *p != '\n')
		return csv__fail(r->r_err, "csv_quote", r->r_line,
		    "閉じた引用符（\"）の後に文字があります", "text after a closing quote");
	r->r_p = p;
	return 0;
}

/* Reads a cell that is not quoted: it ends at a comma or a line end and holds no quote. */
static int
csv__plain(struct csv__reader *r)
{
	size_t n = csv__span(r->r_p, r->r_end, ",\r\n\"");

	if (r->r_p + n < r->r_end && r->r_p[n] == '"')
		return csv__fail(r->r_err, "csv_quote", r->r_line,
		    "引用符（\"）で囲まれていないセルに引用符があります",
		    "a quote inside a cell that is not quoted");
	r->r_p += n;
	return csv__cell_add(r, r->r_p - n, n);
}

/* Reads one row into r->r_cells. Returns 1, 0 at the end of the text, or an error. */
static int
csv__row(struct csv__reader *r)
{
	char c;
	int rc;

	mm_buf_reset(&r->r_cells);
	r->r_ncells = 0;
	if (r->r_p == r->r_end)
		return 0;
	for (;;) {
		if ((rc = csv__cell_open(r)) != 0)
			return rc;
		if (r->r_p < r->r_end && *r->r_p == '"')
			rc = csv__quoted(r);
		else
			rc = csv__plain(r);
		if (rc != 0 || (rc = csv__cell_close(r)) != 0)
			return rc;
		if (r->r_p == r->r_end)
			return 1;
		if ((c = *r->r_p++) == ',')
			continue;
		if (c == '\r' && r->r_p < r->r_end && *r->r_p == '\n')
			r->r_p++;
		r->r_line++;
		return 1;
	}
}

/* A blank line: one empty cell. Skipped, as Excel leaves such lines when rows are deleted. */
static int
csv__blank(const struct csv__reader *r)
{
	return r->r_ncells == 1 && r->r_cells.b_data[0] == '\0';
}

/* Runs the rows of text through fn. */
static int
csv__rows(struct csv__reader *r, csv_row_fn fn, void *arg)
{
	const char *cells[TAB_CSV_MAX_COLS];
	size_t rowno, line, i;
	int rc;

	for (rowno = 1; line = r->r_line, (rc = csv__row(r)) == 1; rowno++) {
		if (csv__blank(r))
			continue;
		if (rowno > TAB_CSV_MAX_ROWS + 1)
			return csv__fail(r->r_err, "csv_rows", line,
			    "行数が上限（見出しを除いて100000行）を超えています",
			    "more than 100000 rows after the header");
		for (i = 0; i < r->r_ncells; i++)
			cells[i] = r->r_cells.b_data + r->r_start[i];
		if ((rc = fn(arg, rowno, cells, r->r_ncells)) != 0)
			return rc;
	}
	return rc;
}

int
csv_read(const char *data, size_t len, csv_row_fn fn, void *arg, struct mm_err *err)
{
	struct csv__reader r;
	struct mm_buf conv; /* the text converted from CP932 */
	const char *text;
	size_t tlen;
	int rc;

	if ((data == NULL && len > 0) || fn == NULL)
		return mm_err_set(err, MM_EINVAL, NULL, "csv_read: no data or no callback");
	if (len > TAB_CSV_MAX_INPUT)
		return csv__fail(err, "csv_size", 0, "ファイルが上限の20MiBを超えています",
		    "the file is larger than 20 MiB");
	/* a CP932 byte becomes at most three UTF-8 bytes (half-width katakana) */
	mm_buf_init(&conv, 3 * len);
	memset(&r, 0, sizeof(r));
	if ((rc = csv__decode(data ? data : "", len, &conv, &text, &tlen, err)) != 0)
		goto done;
	r.r_p = text;
	r.r_end = text + tlen;
	r.r_line = 1;
	r.r_err = err;
	/* cells are never longer than the text; each adds its NUL */
	mm_buf_init(&r.r_cells, tlen + TAB_CSV_MAX_COLS);
	rc = csv__rows(&r, fn, arg);
done:
	mm_buf_free(&r.r_cells);
	mm_buf_free(&conv);
	return rc;
}
