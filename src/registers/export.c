/*
 * Export of a ledger to CSV (UTF-8 with BOM, or CP932) or XLSX: the columns are the ID and every
 * field under its Japanese label; values as a person reads them (enum labels, はい/いいえ, dates
 * 2026/04/01, "E0001 山田 太郎"), which import reads back. An export is 出力 in the audit trail.
 */
#include "registers/registers.h"
#include "registers/tabular.h"
#include "base/fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct exporter {
	const struct reg_def *def;
	enum reg_format fmt;
	int cp932;
	struct tab_table t;
	struct mm_buf *out;
	struct xlsx_writer *xw;
	struct mm_buf cells[121];
	const char *ptrs[121];
	size_t rows;
	struct mm_err *err;
};

static int
width_of(const struct reg_field *f)
{
	switch (f->type) {
	case REG_TEXTAREA: return 40;
	case REG_TEXT: return f->maxlen > 60 ? 30 : 18;
	case REG_DATE: return 12;
	case REG_DATETIME: return 17;
	case REG_BOOLEAN: case REG_INTEGER: return 10;
	default: return 18;
	}
}

static int
put_row(void *arg, json_t *rec)
{
	struct exporter *e = arg;
	const json_t *labels = json_object_get(rec, "_labels");
	int rc;

	for (size_t i = 0; i <= e->def->nfields; i++)
		mm_buf_reset(&e->cells[i]);
	mm_buf_printf(&e->cells[0], "%lld", (long long)json_integer_value(json_object_get(rec, "id")));
	for (size_t i = 0; i < e->def->nfields; i++) {
		const struct reg_field *f = &e->def->fields[i];
		const json_t *v = json_object_get(rec, f->name);
		if (f->type == REG_DATE && e->fmt == REG_XLSX && json_is_string(v))
			mm_buf_puts(&e->cells[i + 1], json_string_value(v)); /* a real date cell */
		else
			reg_value_text(f, v, json_string_value(json_object_get(labels, f->name)), &e->cells[i + 1]);
	}
	for (size_t i = 0; i <= e->def->nfields; i++)
		e->ptrs[i] = e->cells[i].b_data ? e->cells[i].b_data : "";
	e->rows++;
	if (e->fmt == REG_XLSX)
		rc = xlsx_row(e->xw, e->ptrs, e->err);
	else
		rc = csv_row(e->out, &e->t, e->rows + 1, e->ptrs, e->cp932, e->err);
	return rc;
}

int
reg_export(struct reg_ctx *x, const struct reg_query *q, enum reg_format fmt, int cp932, struct mm_buf *out,
    struct mm_err *err)
{
	const struct reg_def *d = x->def;
	const char *headers[121];
	enum tab_kind kinds[121];
	int widths[121];
	struct exporter e = {.def = d, .fmt = fmt, .cp932 = cp932, .out = out, .err = err};
	char tmp[4096], details[256], what[32];
	int rc;

	headers[0] = "ID";
	kinds[0] = TAB_NUMBER;
	widths[0] = 8;
	for (size_t i = 0; i < d->nfields; i++) {
		headers[i + 1] = d->fields[i].label_ja;
		kinds[i + 1] = d->fields[i].type == REG_INTEGER ? TAB_NUMBER
		    : d->fields[i].type == REG_DATE && fmt == REG_XLSX ? TAB_DATE : TAB_TEXT;
		widths[i + 1] = width_of(&d->fields[i]);
	}
	e.t = (struct tab_table){.ncols = d->nfields + 1, .headers = headers, .kinds = kinds, .widths = widths,
	    .sheet = d->label_ja};
	for (size_t i = 0; i <= d->nfields; i++)
		mm_buf_init(&e.cells[i], 128 * 1024);
	if (fmt == REG_XLSX) {
		/* libxlsxwriter writes through files: a private directory inside the data directory */
		mm_path_join(tmp, sizeof(tmp), x->m->md_dir, "tmp");
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			rc = mm_err_set(err, MM_EIO, "", "cannot make %s: %s", tmp, strerror(errno));
		else if ((rc = mm_fs_check_private(tmp, err)) == 0)
			rc = xlsx_open(&e.xw, &e.t, tmp, err);
	} else {
		rc = csv_begin(out, &e.t, cp932, err);
	}
	if (rc == 0)
		rc = reg_each(x, q, put_row, &e, err);
	if (fmt == REG_XLSX && e.xw) {
		if (rc == 0)
			rc = xlsx_finish(e.xw, out, err);
		else
			xlsx_abort(e.xw);
	}
	for (size_t i = 0; i <= d->nfields; i++)
		mm_buf_free(&e.cells[i]);
	if (rc != 0)
		return rc;
	snprintf(what, sizeof(what), "%s", fmt == REG_XLSX ? "xlsx" : cp932 ? "csv-cp932" : "csv");
	snprintf(details, sizeof(details), "{\"register\":\"%s\",\"format\":\"%s\",\"rows\":%zu}", d->name, what,
	    e.rows);
	if ((rc = store_begin(x->st, err)) != 0)
		return rc;
	if ((rc = mamori_audit(x->m, x->st, x->who, &(struct audit_event){.action = "register.export",
	    .target_type = d->name, .target_id = "*", .access = AUDIT_OUTPUT, .outcome = "success",
	    .details = details}, NULL, err)) != 0) {
		store_rollback(x->st);
		return rc;
	}
	return store_commit(x->st, err);
}
