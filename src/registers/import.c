/*
 * Import of a ledger from CSV (UTF-8 or CP932, as Excel saves it): the header row names the
 * columns (Japanese or English labels, or field names); every row is checked like a form, in one
 * transaction, and either every row is saved or none, with each bad row and field named.
 */
#include "registers/registers.h"
#include "registers/tabular.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ERRORS 200 /* a report longer than this helps nobody; reading stops there */

enum { COL_IGNORE = -2, COL_ID = -1 };

struct importer {
	struct reg_ctx *x;
	int cols[TAB_CSV_MAX_COLS]; /* field index, COL_ID or COL_IGNORE */
	size_t ncols;
	int have_header;
	json_t *errors;
	int64_t saved;
	struct mm_err *err;
};

/* Adds "row" to the errors from index from on, keeping the first error of each field. */
static void
number_errors(json_t *errors, size_t from, size_t rowno)
{
	for (size_t i = from; i < json_array_size(errors);) {
		const char *field = json_string_value(json_object_get(json_array_get(errors, i), "field"));
		int seen = 0;
		for (size_t k = from; k < i && !seen; k++)
			seen = field && *field &&
			    strcmp(field, json_string_value(json_object_get(json_array_get(errors, k), "field"))) == 0;
		if (seen) {
			json_array_remove(errors, i);
			continue;
		}
		json_object_set_new(json_array_get(errors, i), "row", json_integer((json_int_t)rowno));
		i++;
	}
}

static int
header(struct importer *im, const char *const *cells, size_t n)
{
	const struct reg_def *d = im->x->def;

	im->ncols = n;
	for (size_t c = 0; c < n; c++) {
		const char *h = cells[c];
		im->cols[c] = COL_IGNORE - 1;
		if (strcmp(h, "ID") == 0 || strcmp(h, "id") == 0)
			im->cols[c] = COL_ID;
		for (size_t i = 0; i < d->nfields && im->cols[c] < COL_ID; i++) {
			const struct reg_field *f = &d->fields[i];
			if (strcmp(h, f->label_ja) == 0 || strcmp(h, f->label_en) == 0 || strcmp(h, f->name) == 0)
				im->cols[c] = f->computed ? COL_IGNORE : (int)i;
		}
		if (im->cols[c] < COL_IGNORE && *h) {
			char ja[300], en[300];
			snprintf(ja, sizeof(ja), "1行目：「%.200s」はこの台帳の項目ではありません", h);
			snprintf(en, sizeof(en), "row 1: \"%.200s\" is not a column of this ledger", h);
			reg_error(im->errors, "", "unknown_column", ja, en);
			number_errors(im->errors, json_array_size(im->errors) - 1, 1);
		}
		if (im->cols[c] < COL_IGNORE)
			im->cols[c] = COL_IGNORE;
		for (size_t k = 0; k < c; k++)
			if (im->cols[k] == im->cols[c] && im->cols[c] != COL_IGNORE) {
				reg_error(im->errors, "", "duplicate_column", "1行目：同じ項目の列が2つあります",
				    "row 1: two columns for the same field");
				number_errors(im->errors, json_array_size(im->errors) - 1, 1);
			}
	}
	im->have_header = 1;
	return 0;
}

static int
on_row(void *arg, size_t rowno, const char *const *cells, size_t n)
{
	struct importer *im = arg;
	const struct reg_def *d = im->x->def;
	size_t before = json_array_size(im->errors);
	json_t *input, *v;
	int64_t id = 0, out;
	int empty = 1, rc;

	if (!im->have_header)
		return header(im, cells, n);
	for (size_t c = 0; c < n; c++)
		empty &= cells[c][0] == '\0';
	if (empty)
		return 0;
	input = json_object();
	for (size_t c = 0; c < n && c < im->ncols; c++) {
		if (im->cols[c] == COL_ID && cells[c][0]) {
			char *end;
			id = strtoll(cells[c], &end, 10);
			if (*end || id <= 0) {
				reg_error(im->errors, "id", "type", "ID：数字で入力してください", "ID: must be a number");
				id = 0;
			}
		} else if (im->cols[c] >= 0) {
			const struct reg_field *f = &d->fields[im->cols[c]];
			if ((rc = reg_value_from_text(im->x, f, tab_unguard(cells[c]), &v, im->errors)) == 0)
				json_object_set_new(input, f->name, v);
			else if (rc != MM_EINVAL) {
				json_decref(input);
				return rc;
			}
		}
	}
	/* saved even after a bad cell, so that the row's other rules are reported too (the whole
	   import is rolled back when any row has an error) */
	{
		rc = reg_save(im->x, id, input, &out, im->errors, im->err);
		if (rc == MM_ENOTFOUND)
			reg_error(im->errors, "id", "not_found", "ID：この番号の記録はありません", "ID: no such record");
		else if (rc != 0 && rc != MM_EINVAL) {
			json_decref(input);
			return rc;
		}
		if (rc == 0)
			im->saved++;
	}
	json_decref(input);
	number_errors(im->errors, before, rowno);
	return json_array_size(im->errors) >= MAX_ERRORS ? 1 : 0;
}

int
reg_import(struct reg_ctx *x, const char *data, size_t len, int64_t *imported, json_t **errors, struct mm_err *err)
{
	struct importer im = {.x = x, .errors = json_array(), .err = err};
	char details[256];
	int rc;

	*imported = 0;
	*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(im.errors);
		return rc;
	}
	rc = csv_read(data, len, on_row, &im, err);
	if (rc == 1)
		rc = 0; /* stopped at MAX_ERRORS */
	if (rc == 0 && !im.have_header)
		rc = mm_err_input(err, "file", "empty", "ファイルが空です", "the file is empty");
	if (rc == 0 && json_array_size(im.errors) > 0) {
		const json_t *e = json_array_get(im.errors, 0);
		rc = mm_err_input(err, "file", "rows", "取り込めない行があります。1件も取り込んでいません",
		    "%zu problem(s), first in row %lld: %s; nothing was imported", json_array_size(im.errors),
		    (long long)json_integer_value(json_object_get(e, "row")),
		    json_string_value(json_object_get(e, "message")));
		*errors = json_incref(im.errors);
	}
	if (rc == 0) {
		snprintf(details, sizeof(details), "{\"register\":\"%s\",\"rows\":%lld}", x->def->name,
		    (long long)im.saved);
		rc = mamori_audit(x->m, x->st, x->who, &(struct audit_event){.action = "register.import",
		    .target_type = x->def->name, .target_id = "*", .access = AUDIT_CREATE, .outcome = "success",
		    .details = details}, NULL, err);
	}
	if (rc == 0 && (rc = store_commit(x->st, err)) == 0)
		*imported = im.saved;
	else
		store_rollback(x->st);
	json_decref(im.errors);
	return rc;
}
