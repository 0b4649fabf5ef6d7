/*
 * Reading ledger rows: the SELECT every reader shares (the fields, the times, and the display text
 * of ref and person values) and the decoding of one row into a JSON record, as a jansson value or
 * written straight as JSON text (the list page); both give the same bytes.
 */
#include "registers/rows.h"

#include <stdio.h>
#include <string.h>

static int
is_int(enum reg_type t)
{
	return t == REG_INTEGER || t == REG_BOOLEAN || t == REG_REF || t == REG_PERSON;
}

int
reg_select_sql(const struct reg_def *d, struct mm_buf *sql)
{
	mm_buf_puts(sql, "SELECT t.id");
	for (size_t i = 0; i < d->nfields; i++)
		mm_buf_printf(sql, ", t.%s", d->fields[i].name);
	mm_buf_puts(sql, ", t.created_at, t.updated_at");
	for (size_t i = 0; i < d->nfields; i++) {
		const struct reg_field *f = &d->fields[i];
		if (f->type == REG_REF) {
			const struct reg_def *r = registers_find(f->ref);
			mm_buf_printf(sql, ", (SELECT r.%s FROM %s r WHERE r.id = t.%s)", r->title, r->table, f->name);
		} else if (f->type == REG_PERSON) {
			mm_buf_printf(sql, ", (SELECT p.employee_no || ' ' || p.name FROM person p WHERE p.id = t.%s)",
			    f->name);
		}
	}
	return mm_buf_printf(sql, " FROM %s t", d->table);
}

json_t *
reg_row_json(const struct reg_def *d, struct store_stmt *s)
{
	json_t *o = json_object(), *labels = json_object();
	int col = 1, lab = (int)d->nfields + 3;

	json_object_set_new(o, "id", json_integer(store_col_int(s, 0)));
	for (size_t i = 0; i < d->nfields; i++, col++) {
		const struct reg_field *f = &d->fields[i];
		json_t *v;

		if (store_col_is_null(s, col))
			v = json_null();
		else if (f->type == REG_BOOLEAN)
			v = json_boolean(store_col_int(s, col) != 0);
		else if (is_int(f->type))
			v = json_integer(store_col_int(s, col));
		else
			v = json_string(store_col_text(s, col));
		json_object_set_new(o, f->name, v);
		if (f->type == REG_REF || f->type == REG_PERSON) {
			const char *t = store_col_text(s, lab++);
			if (t)
				json_object_set_new(labels, f->name, json_string(t));
		}
	}
	json_object_set_new(o, "created_at", json_string(store_col_text(s, col) ? store_col_text(s, col) : ""));
	json_object_set_new(o, "updated_at",
	    json_string(store_col_text(s, col + 1) ? store_col_text(s, col + 1) : ""));
	json_object_set_new(o, "_labels", labels);
	return o;
}

void
reg_row_write(const struct reg_def *d, struct store_stmt *s, struct mm_json_out *o)
{
	int col = 1, lab = (int)d->nfields + 3, nlabels = 0;
	const char *t;

	mm_json_raw(o, "{\"id\":", 6);
	mm_json_int(o, store_col_int(s, 0));
	for (size_t i = 0; i < d->nfields; i++, col++) {
		const struct reg_field *f = &d->fields[i];
		size_t mark = mm_json_mark(o);

		mm_json_key(o, 0, f->name); /* [a-z][a-z0-9_]* (reg_def_parse): nothing to escape */
		if (store_col_is_null(s, col))
			mm_json_raw(o, "null", 4);
		else if (f->type == REG_BOOLEAN)
			mm_json_raws(o, store_col_int(s, col) != 0 ? "true" : "false");
		else if (is_int(f->type))
			mm_json_int(o, store_col_int(s, col));
		else if ((t = store_col_text(s, col)) == NULL || mm_json_string(o, t, strlen(t)) != 0)
			mm_json_rewind(o, mark); /* as reg_row_json, whose json_string failed: no member */
	}
	mm_json_member_string(o, 0, "created_at", store_col_text(s, col) ? store_col_text(s, col) : "");
	mm_json_member_string(o, 0, "updated_at", store_col_text(s, col + 1) ? store_col_text(s, col + 1) : "");
	mm_json_raw(o, ",\"_labels\":{", 12);
	for (size_t i = 0; i < d->nfields; i++) {
		const struct reg_field *f = &d->fields[i];

		if (f->type == REG_REF || f->type == REG_PERSON) {
			if ((t = store_col_text(s, lab++)) != NULL && mm_json_member_string(o, nlabels == 0, f->name, t) == 0)
				nlabels++;
		}
	}
	mm_json_raw(o, "}}", 2);
}

int
reg_load(struct reg_ctx *x, int64_t id, json_t **out, struct mm_err *err)
{
	struct mm_buf sql;
	struct store_stmt *s;
	int rc;

	*out = NULL;
	mm_buf_init(&sql, REG_SQL_MAX);
	reg_select_sql(x->def, &sql);
	mm_buf_puts(&sql, " WHERE t.id = $1");
	rc = store_prepare(x->st, sql.b_data, &s, err);
	mm_buf_free(&sql);
	if (rc != 0)
		return rc;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	if (rc == STORE_ROW)
		*out = reg_row_json(x->def, s);
	store_finalize(s);
	if (rc == STORE_DONE)
		return mm_err_set(err, MM_ENOTFOUND, "id", "no record %lld in %s", (long long)id, x->def->name);
	return rc < 0 ? rc : 0;
}
