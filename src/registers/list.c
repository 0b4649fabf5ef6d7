/*
 * Listing ledger records: search (q over the ledger's search fields), filters, sort and pages. The
 * same query feeds the list page and the export, so what a person sees is what they download.
 */
#include "registers/rows.h"

#include <stdio.h>
#include <string.h>

#define Q_MAX 200 /* characters of a search */
#define COUNT_CAP 10000 /* a search's or filter's total above this shows as "10,000 or more" */

struct built {
	struct mm_buf where; /* " WHERE ..." */
	json_t *params;      /* values bound to $1..$n, in order */
	char order[160];
};

static void
built_free(struct built *b)
{
	mm_buf_free(&b->where);
	json_decref(b->params);
}

static int
listed(const char **names, const char *name)
{
	for (size_t i = 0; names && names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* LIKE pattern for a substring, with the pattern characters escaped by backslash. */
static json_t *
like_pattern(const char *q)
{
	char out[Q_MAX * 4 * 2 + 3];
	size_t k = 0;

	out[k++] = '%';
	for (; *q && k < sizeof(out) - 3; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			out[k++] = '\\';
		out[k++] = *q;
	}
	out[k++] = '%';
	out[k] = '\0';
	return json_string(out);
}

/* " WHERE" before the first condition, " AND" before the others. */
static const char *
cond(const struct built *b)
{
	return b->where.b_len == 0 ? " WHERE" : " AND";
}

static int
build(struct reg_ctx *x, const struct reg_query *q, struct built *b, struct mm_err *err)
{
	const struct reg_def *d = x->def;
	const char *sort = q->sort && *q->sort ? q->sort : d->sort;
	const char *sname = sort[0] == '-' ? sort + 1 : sort;
	json_t *errors = json_array();
	int desc = sort[0] == '-';

	mm_buf_init(&b->where, REG_SQL_MAX);
	b->params = json_array();
	mm_buf_puts(&b->where, ""); /* conditions are joined by cond(): no "WHERE 1 = 1", which would stop
	                               SQLite's fast count of an unfiltered table */
	for (size_t i = 0; i < q->nfilters; i++) {
		const struct reg_field *f = reg_field_find(d, q->filter_names[i]);
		json_t *v = NULL;

		if (f == NULL || !listed(d->filters, f->name)) {
			json_decref(errors);
			return mm_err_input(err, q->filter_names[i], "filter", "この項目では絞り込めません",
			    "%s is not a filter of this ledger", q->filter_names[i]);
		}
		if (reg_value_from_text(x, f, q->filter_values[i], &v, errors) != 0) {
			const json_t *e = json_array_get(errors, 0);
			int rc = mm_err_input(err, f->name, "filter", json_string_value(json_object_get(e, "message_ja")),
			    "%s", json_string_value(json_object_get(e, "message")));
			json_decref(errors);
			return rc;
		}
		if (json_is_null(v)) {
			mm_buf_printf(&b->where, "%s t.%s IS NULL", cond(b), f->name);
			json_decref(v);
		} else {
			if (json_is_boolean(v)) {
				json_t *n = json_integer(json_is_true(v));
				json_decref(v);
				v = n;
			}
			json_array_append_new(b->params, v);
			mm_buf_printf(&b->where, "%s t.%s = $%zu", cond(b), f->name, json_array_size(b->params));
		}
	}
	json_decref(errors);
	if (q->q && *q->q && d->search[0]) {
		if (strlen(q->q) > Q_MAX * 4)
			return mm_err_input(err, "q", "max_length", "検索語が長すぎます", "the search is too long");
		json_array_append_new(b->params, like_pattern(q->q));
		mm_buf_printf(&b->where, "%s (", cond(b));
		for (size_t i = 0; d->search[i]; i++)
			mm_buf_printf(&b->where, "%st.%s LIKE $%zu ESCAPE '\\'", i ? " OR " : "", d->search[i],
			    json_array_size(b->params));
		mm_buf_puts(&b->where, ")");
	}
	if (strcmp(sname, "id") != 0 && strcmp(sname, "updated_at") != 0 && strcmp(sname, "created_at") != 0 &&
	    reg_field_find(d, sname) == NULL)
		return mm_err_input(err, "sort", "sort", "この項目では並べ替えられません", "cannot sort by %s", sname);
	snprintf(b->order, sizeof(b->order), " ORDER BY t.%s %s, t.id %s", sname, desc ? "DESC" : "ASC",
	    desc ? "DESC" : "ASC");
	return 0;
}

static int
prepare(struct reg_ctx *x, const char *sql, const struct built *b, struct store_stmt **s, struct mm_err *err)
{
	size_t i;
	const json_t *v;
	int rc;

	if ((rc = store_prepare(x->st, sql, s, err)) != 0)
		return rc;
	json_array_foreach(b->params, i, v) {
		char p[8];
		snprintf(p, sizeof(p), "$%zu", i + 1);
		if (json_is_integer(v))
			store_bind_int(*s, p, json_integer_value(v));
		else
			store_bind_text(*s, p, json_string_value(v));
	}
	return 0;
}

static int
run(struct reg_ctx *x, const struct reg_query *q, const struct built *b, reg_row_fn fn, void *arg,
    struct mm_err *err)
{
	struct mm_buf sql;
	struct store_stmt *s;
	int rc;

	mm_buf_init(&sql, REG_SQL_MAX * 2);
	reg_select_sql(x->def, &sql);
	mm_buf_puts(&sql, b->where.b_data);
	mm_buf_puts(&sql, b->order);
	/* bound, not written into the text: every page is the same statement for the statement cache */
	if (q->per_page > 0)
		mm_buf_printf(&sql, " LIMIT $%zu OFFSET $%zu", json_array_size(b->params) + 1,
		    json_array_size(b->params) + 2);
	rc = prepare(x, sql.b_data, b, &s, err);
	if (rc == 0 && q->per_page > 0) {
		char p[8];
		snprintf(p, sizeof(p), "$%zu", json_array_size(b->params) + 1);
		store_bind_int(s, p, q->per_page);
		snprintf(p, sizeof(p), "$%zu", json_array_size(b->params) + 2);
		store_bind_int(s, p, (q->page - 1) * q->per_page);
	}
	mm_buf_free(&sql);
	if (rc != 0)
		return rc;
	while ((rc = store_step(s, err)) == STORE_ROW) {
		json_t *rec = reg_row_json(x->def, s);
		int stop = fn(arg, rec);
		json_decref(rec);
		if (stop) {
			rc = stop;
			break;
		}
	}
	store_finalize(s);
	return rc < 0 || rc > 1 ? rc : 0;
}

static int
append_item(void *arg, json_t *rec)
{
	json_array_append(arg, rec);
	return 0;
}

int
reg_list(struct reg_ctx *x, const struct reg_query *q, json_t **out, struct mm_err *err)
{
	struct built b = {0};
	struct reg_query qq = *q;
	struct store_stmt *s;
	char sql[REG_SQL_MAX / 4];
	int64_t total = 0;
	json_t *items;
	int rc;

	*out = NULL;
	if (qq.per_page == 0)
		qq.per_page = 50;
	if (qq.page == 0)
		qq.page = 1;
	if (qq.per_page < 1 || qq.per_page > 200)
		return mm_err_input(err, "per_page", "range", "1ページの件数は1〜200にしてください",
		    "per_page must be 1 to 200");
	if (qq.page < 1 || qq.page > 1000000)
		return mm_err_input(err, "page", "range", "ページ番号が正しくありません", "page must be 1 or more");
	if ((rc = build(x, &qq, &b, err)) != 0)
		goto done;
	/* an unfiltered count is SQLite's fast count; a filtered one stops at COUNT_CAP */
	if (b.where.b_len == 0)
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s t", x->def->table);
	else
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT 1 FROM %s t%s LIMIT %d) c", x->def->table,
		    b.where.b_data, COUNT_CAP + 1);
	if ((rc = prepare(x, sql, &b, &s, err)) != 0)
		goto done;
	if ((rc = store_step(s, err)) == STORE_ROW)
		total = store_col_int(s, 0);
	store_finalize(s);
	if (rc < 0)
		goto done;
	items = json_array();
	if ((rc = run(x, &qq, &b, append_item, items, err)) != 0) {
		json_decref(items);
		goto done;
	}
	*out = json_pack("{s:o, s:I, s:b, s:I, s:I}", "items", items, "total",
	    (json_int_t)(b.where.b_len && total > COUNT_CAP ? COUNT_CAP : total), "total_capped",
	    b.where.b_len && total > COUNT_CAP, "page", (json_int_t)qq.page, "per_page", (json_int_t)qq.per_page);
done:
	built_free(&b);
	return rc;
}

int
reg_each(struct reg_ctx *x, const struct reg_query *q, reg_row_fn fn, void *arg, struct mm_err *err)
{
	struct built b = {0};
	struct reg_query all = *q;
	int rc;

	all.per_page = 0;
	if ((rc = build(x, &all, &b, err)) == 0)
		rc = run(x, &all, &b, fn, arg, err);
	built_free(&b);
	return rc;
}
