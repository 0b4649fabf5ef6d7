/*
 * libFuzzer target: the CSV reader (encoding detection, CP932, RFC 4180 quoting, the caps). Every
 * row it accepts must survive the writer: written again and read back, it gives the same cells,
 * with the formula guard's quote where the writer adds one.
 */
#include "registers/tabular.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_headers[TAB_CSV_MAX_COLS];

struct fuzz_expect {
	const char *const *cells;
	size_t ncells;
	int rows;
};

/*
 * Whether got is what reading back the written cell s must give: the guard's quote before a
 * formula character, and CRLF inside the cell read as LF (one pass, as the reader does).
 */
static int
fuzz_same(const char *got, const char *s)
{
	if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL) {
		if (got[0] != '\'')
			return 0;
		/* tab_unguard takes the quote away, unless the CR it guarded was read as LF */
		if (!(s[0] == '\r' && s[1] == '\n') && tab_unguard(got) != got + 1)
			return 0;
		got++;
	}
	while (*s != '\0') {
		if (s[0] == '\r' && s[1] == '\n')
			s++;
		if (*got++ != *s++)
			return 0;
	}
	return *got == '\0';
}

static int
fuzz_reread(void *arg, size_t rowno, const char *const *cells, size_t ncells)
{
	struct fuzz_expect *e = arg;

	if (rowno != 1 || ncells != e->ncells || e->rows++ != 0)
		__builtin_trap();
	for (size_t i = 0; i < ncells; i++)
		if (!fuzz_same(cells[i], e->cells[i]))
			__builtin_trap();
	return 0;
}

static int
fuzz_row(void *arg, size_t rowno, const char *const *cells, size_t ncells)
{
	size_t *last = arg;
	struct tab_table t = {ncells, fuzz_headers, NULL, NULL, NULL};
	struct fuzz_expect e = {cells, ncells, 0};
	struct mm_buf out;
	struct mm_err err;

	if (rowno <= *last || ncells == 0 || ncells > TAB_CSV_MAX_COLS)
		__builtin_trap();
	*last = rowno;
	for (size_t i = 0; i < ncells; i++)
		if (strlen(cells[i]) >= TAB_CSV_MAX_CELL) /* the guard's quote would pass the cap */
			return 0;
	mm_buf_init(&out, 4 * TAB_CSV_MAX_INPUT);
	/* behind a BOM, as in an export, so that a cell beginning with U+FEFF keeps it */
	if (mm_buf_append(&out, "\xEF\xBB\xBF", 3) != 0 ||
	    csv_row(&out, &t, rowno, cells, 0, &err) != 0 ||
	    csv_read(out.b_data, out.b_len, fuzz_reread, &e, &err) != 0 || e.rows != 1)
		__builtin_trap();
	mm_buf_reset(&out);
	if (csv_row(&out, &t, rowno, cells, 1, &err) != 0 && err.code != MM_EINVAL)
		__builtin_trap();
	mm_buf_free(&out);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t last = 0;
	struct mm_err err;

	for (size_t i = 0; i < TAB_CSV_MAX_COLS; i++)
		fuzz_headers[i] = "h";
	(void)csv_read((const char *)data, size, fuzz_row, &last, &err);
	return 0;
}
