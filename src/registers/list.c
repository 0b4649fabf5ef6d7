/*
 * Listing ledger records: search (q over the ledger's search fields), filters, sort and pages. The
 * same query feeds the list page and the export, so what a person sees is what they download.
 *
 * A search reads the ledger's text index (store_text_index_*, kept in step by reg_search_write)
 * when it can answer the term, and otherwise compares the fields with LIKE; both give the same
 * rows. A page selects the ids of its rows first and then reads and labels only those rows. A
 * search alone reads the index once: the matching ids give the total and, when there are at most
 * COUNT_CAP of them, the page's set.
 */
#include "registers/rows.h"
#include "base/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Q_MAX 200 /* characters of a search */
#define COUNT_CAP 10000 /* a search's or filter's total above this shows as "10,000 or more" */

/* How a search's page finds its rows (see page_mode). */
enum search_mode {
	SEARCH_LIKE,  /* every row's fields compared with LIKE (no index for the term) */
	SEARCH_IDS,   /* the matching ids from the index, their rows sorted */
	SEARCH_WALK,  /* the rows in sort order (the sort field's index), each id checked in the
	                 index's set */
};

struct built {
	struct mm_buf where; /* " WHERE ..." */
	json_t *params;      /* values bound to $1..$n, in order */
	char order[160];
	enum search_mode mode; /* of the search, when there is one */
	int searched;          /* a q condition is in where */
	int filtered;          /* filter conditions are in where */
	int sort_indexed;      /* the sort field has an index of its own */
	char ids[256];         /* SEARCH_IDS, SEARCH_WALK: the index's query of the matching ids */
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

/* The LIKE pattern of a substring search (q is at most Q_MAX characters). */
static json_t *
like_pattern(const char *q)
{
	char out[Q_MAX * 4 * 2 + 3];

	mm_like_contains(q, out, sizeof(out));
	return json_string(out);
}

/* " WHERE" before the first condition, " AND" before the others. */
static const char *
cond(const struct built *b)
{
	return b->where.b_len == 0 ? " WHERE" : " AND";
}

static size_t
search_count(const struct reg_def *d)
{
	size_t n = 0;

	while (d->search[n])
		n++;
	return n;
}

/*
 * The conditions, parameters and order of a query; a search as mode asks when the index can, from
 * matches (a JSON array of every matching id) when given.
 */
static int
build(struct reg_ctx *x, const struct reg_query *q, enum search_mode mode, const char *matches,
    struct built *b, struct mm_err *err)
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
	b->filtered = b->where.b_len > 0;
	if (q->q && *q->q && d->search[0]) {
		char value[Q_MAX * 4 * 2 + 16], param[16];

		if (strlen(q->q) > Q_MAX * 4)
			return mm_err_input(err, "q", "max_length", "検索語が長すぎます", "the search is too long");
		b->searched = 1;
		snprintf(param, sizeof(param), "$%zu", json_array_size(b->params) + 1);
		if (mode != SEARCH_LIKE && matches) {
			/* every matching id, read from the index once already (reg_list_write), as a JSON
			   array that the store gives back as a set */
			char set[80];
			b->mode = mode;
			json_array_append_new(b->params, json_string(matches));
			store_id_set(x->st, param, set, sizeof(set));
			mm_buf_printf(&b->where, "%s %st.id IN (%s)", cond(b), mode == SEARCH_WALK ? "+" : "", set);
		} else if (mode != SEARCH_LIKE && store_text_index_ids(x->st, d->table, d->search, search_count(d),
		    q->q, param, b->ids, sizeof(b->ids), value, sizeof(value)) == 1) {
			/* the unary + keeps SQLite from reading the rows by this set: it walks the sort
			   order */
			b->mode = mode;
			json_array_append_new(b->params, json_string(value));
			mm_buf_printf(&b->where, "%s %st.id IN (%s)", cond(b), mode == SEARCH_WALK ? "+" : "",
			    b->ids);
		} else {
			b->mode = SEARCH_LIKE;
			json_array_append_new(b->params, like_pattern(q->q));
			mm_buf_printf(&b->where, "%s (", cond(b));
			for (size_t i = 0; d->search[i]; i++)
				mm_buf_printf(&b->where, "%st.%s LIKE %s ESCAPE '\\'", i ? " OR " : "",
				    d->search[i], param);
			mm_buf_puts(&b->where, ")");
		}
	}
	if (strcmp(sname, "id") == 0)
		b->sort_indexed = 1;
	else if (strcmp(sname, "updated_at") != 0 && strcmp(sname, "created_at") != 0 &&
	    reg_field_find(d, sname) == NULL)
		return mm_err_input(err, "sort", "sort", "この項目では並べ替えられません", "cannot sort by %s", sname);
	else if (reg_field_find(d, sname))
		b->sort_indexed = reg_field_find(d, sname)->indexed;
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

/* What run() does with each row of its statement; nonzero stops it (negative: an error). */
typedef int (*row_fn)(void *arg, const struct reg_def *d, struct store_stmt *s);

/*
 * The rows of a query through fn. A page (per_page > 0) first selects its ids, sorted and cut to
 * the page, and then reads those rows only: the sort handles (key, id) pairs instead of whole
 * rows, and the labels of ref and person fields are looked up for the shown rows only.
 */
static int
run(struct reg_ctx *x, const struct reg_query *q, const struct built *b, row_fn fn, void *arg,
    struct mm_err *err)
{
	struct mm_buf sql;
	struct store_stmt *s;
	int rc;

	mm_buf_init(&sql, REG_SQL_MAX * 2);
	reg_select_sql(x->def, &sql);
	if (q->per_page > 0 && (b->where.b_len > 0 || !b->sort_indexed || q->page > 1)) {
		/* bound, not written into the text: every page is the same statement for the statement
		   cache. (The first page of a whole ledger in an indexed order reads its 50 rows straight
		   from the index: no sort to spare.) */
		mm_buf_printf(&sql, " WHERE t.id IN (SELECT t.id FROM %s t%s%s LIMIT $%zu OFFSET $%zu)",
		    x->def->table, b->where.b_data, b->order, json_array_size(b->params) + 1,
		    json_array_size(b->params) + 2);
		mm_buf_puts(&sql, b->order);
	} else {
		mm_buf_puts(&sql, b->where.b_data);
		mm_buf_puts(&sql, b->order);
		if (q->per_page > 0)
			mm_buf_printf(&sql, " LIMIT $%zu OFFSET $%zu", json_array_size(b->params) + 1,
			    json_array_size(b->params) + 2);
	}
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
		int stop = fn(arg, x->def, s);
		if (stop) {
			rc = stop;
			break;
		}
	}
	store_finalize(s);
	return rc < 0 || rc > 1 ? rc : 0;
}

/* The page's rows, written as the items of its JSON text. */
struct page_out {
	struct mm_json_out po_out;
	size_t po_rows;
};

static int
write_item(void *arg, const struct reg_def *d, struct store_stmt *s)
{
	struct page_out *p = arg;

	if (p->po_rows++ > 0)
		mm_json_raw(&p->po_out, ",", 1);
	reg_row_write(d, s, &p->po_out);
	return p->po_out.jo_rc;
}

/*
 * How the page of a search that the index answers finds its rows, given the matches (total, at
 * most COUNT_CAP + 1). From the index's ids, it reads and sorts every match: work in proportion to
 * the matches. Walking the sort field's index instead, it checks each entry against the set of
 * matching ids until the page is full: about (offset + per_page) * rows / matches entries, cheap
 * ones (no row is read). The walk wins when the matches are many; it needs an index on the sort
 * field. A walked entry costs about a quarter of a matching row read (docs/performance.md); WALK_COST
 * counts it as a half, because matches bunched at the far end of the sort order make walks longer.
 */
#define WALK_COST 0.5

static enum search_mode
page_mode(struct reg_ctx *x, const struct reg_query *q, const struct built *b, int64_t total)
{
	char sql[128];
	int64_t rows = 0;
	double walked;

	if (!b->sort_indexed || total < q->per_page)
		return SEARCH_IDS;
	/* ids are never reused: the highest is an upper bound of the rows, read from the end of the table */
	snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) FROM %s", x->def->table);
	if (store_query_int(x->st, sql, &rows, NULL) != 0)
		return SEARCH_IDS;
	walked = (double)(q->page * q->per_page) * (double)rows / (double)(total > 0 ? total : 1);
	return walked * WALK_COST < (double)total ? SEARCH_WALK : SEARCH_IDS;
}

int
reg_list_write(struct reg_ctx *x, const struct reg_query *q, struct mm_buf *out, struct mm_err *err)
{
	struct built b = {0}, w = {0};
	struct reg_query qq = *q;
	struct page_out p = {.po_rows = 0};
	struct store_stmt *s;
	struct mm_buf matches = {0};
	char sql[REG_SQL_MAX / 4];
	int64_t total = 0;
	int rc;

	if (qq.per_page == 0)
		qq.per_page = 50;
	if (qq.page == 0)
		qq.page = 1;
	if (qq.per_page < 1 || qq.per_page > 200)
		return mm_err_input(err, "per_page", "range", "1ページの件数は1〜200にしてください",
		    "per_page must be 1 to 200");
	if (qq.page < 1 || qq.page > 1000000)
		return mm_err_input(err, "page", "range", "ページ番号が正しくありません", "page must be 1 or more");
	if ((rc = build(x, &qq, SEARCH_IDS, NULL, &b, err)) != 0)
		goto done;
	/* an unfiltered count is SQLite's fast count; the others stop at COUNT_CAP, and a search
	   alone reads the index's ids without reading a row, once: when they are all there, they are
	   also the page's set, and the index is not asked again */
	mm_buf_init(&matches, (COUNT_CAP + 1) * 21 + 2);
	if (b.where.b_len == 0)
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s t", x->def->table);
	else if (b.mode == SEARCH_IDS && !b.filtered)
		snprintf(sql, sizeof(sql), "%s LIMIT %d", b.ids, COUNT_CAP + 1);
	else
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT 1 FROM %s t%s LIMIT %d) c", x->def->table,
		    b.where.b_data, COUNT_CAP + 1);
	if ((rc = prepare(x, sql, &b, &s, err)) != 0)
		goto done;
	if (b.where.b_len && b.mode == SEARCH_IDS && !b.filtered) {
		struct mm_json_out ids;

		mm_json_out_init(&ids, &matches);
		mm_json_raw(&ids, "[", 1);
		while ((rc = store_step(s, err)) == STORE_ROW) {
			if (total++ > 0)
				mm_json_raw(&ids, ",", 1);
			mm_json_int(&ids, store_col_int(s, 0));
		}
		mm_json_raw(&ids, "]", 1);
		if (mm_json_out_finish(&ids) != 0 || total > COUNT_CAP)
			mm_buf_free(&matches); /* not every id: the page asks the index */
	} else if ((rc = store_step(s, err)) == STORE_ROW) {
		total = store_col_int(s, 0);
	}
	store_finalize(s);
	if (rc < 0)
		goto done;
	/* the members in the order the API has always given them (json_pack's of before) */
	mm_json_out_init(&p.po_out, out);
	mm_json_raw(&p.po_out, "{\"items\":[", 10);
	if (b.mode == SEARCH_IDS && b.searched) {
		enum search_mode mode = page_mode(x, &qq, &b, total);

		/* the ids of the matches, when they are all in matches, or else the index's query */
		if (matches.b_data == NULL && mode == SEARCH_IDS)
			rc = run(x, &qq, &b, write_item, &p, err);
		else if ((rc = build(x, &qq, mode, matches.b_data, &w, err)) == 0)
			rc = run(x, &qq, &w, write_item, &p, err);
	} else {
		rc = run(x, &qq, &b, write_item, &p, err);
	}
	if (rc != 0)
		goto done;
	mm_json_raw(&p.po_out, "],\"total\":", 10);
	mm_json_int(&p.po_out, b.where.b_len && total > COUNT_CAP ? COUNT_CAP : total);
	mm_json_raws(&p.po_out, b.where.b_len && total > COUNT_CAP ? ",\"total_capped\":true" : ",\"total_capped\":false");
	mm_json_raw(&p.po_out, ",\"page\":", 8);
	mm_json_int(&p.po_out, qq.page);
	mm_json_raw(&p.po_out, ",\"per_page\":", 12);
	mm_json_int(&p.po_out, qq.per_page);
	mm_json_raw(&p.po_out, "}", 1);
done:
	if (rc == 0)
		rc = mm_json_out_finish(&p.po_out);
	if (rc != 0 && rc == p.po_out.jo_rc)
		rc = mm_err_set(err, rc, "", "cannot write the page (at most %zu bytes)", out->b_max);
	mm_buf_free(&matches);
	built_free(&b);
	built_free(&w);
	return rc;
}

int
reg_list(struct reg_ctx *x, const struct reg_query *q, json_t **out, struct mm_err *err)
{
	struct mm_buf text;
	json_error_t jerr;
	int rc;

	*out = NULL;
	mm_buf_init(&text, REG_PAGE_MAX);
	if ((rc = reg_list_write(x, q, &text, err)) == 0 &&
	    (*out = json_loadb(text.b_data, text.b_len, 0, &jerr)) == NULL)
		rc = mm_err_set(err, MM_ENOMEM, "", "cannot read the list page back: %s", jerr.text);
	mm_buf_free(&text);
	return rc;
}

/* reg_each's caller and its argument: each row as a jansson record. */
struct each_call {
	reg_row_fn ec_fn;
	void *ec_arg;
};

static int
each_record(void *arg, const struct reg_def *d, struct store_stmt *s)
{
	struct each_call *c = arg;
	json_t *rec = reg_row_json(d, s);
	int stop = c->ec_fn(c->ec_arg, rec);

	json_decref(rec);
	return stop;
}

int
reg_each(struct reg_ctx *x, const struct reg_query *q, reg_row_fn fn, void *arg, struct mm_err *err)
{
	struct built b = {0};
	struct reg_query all = *q;
	int rc;

	all.per_page = 0;
	if ((rc = build(x, &all, SEARCH_IDS, NULL, &b, err)) == 0)
		rc = run(x, &all, &b, each_record, &(struct each_call){fn, arg}, err);
	built_free(&b);
	return rc;
}

int
reg_search_sync(struct store *st, const struct reg_def *d, struct mm_err *err)
{
	if (d->search == NULL || d->search[0] == NULL)
		return 0;
	return store_text_index_ensure(st, d->table, d->search, search_count(d), err);
}

/* The search fields' values of a record as the database gives them as text (NULL for null). */
static void
search_values(const struct reg_def *d, const json_t *rec, const char **v, char (*num)[24])
{
	for (size_t i = 0; d->search[i]; i++) {
		const json_t *j = json_object_get(rec, d->search[i]);
		v[i] = json_string_value(j);
		if (json_is_integer(j) || json_is_boolean(j)) {
			snprintf(num[i], sizeof(num[i]), "%lld",
			    json_is_boolean(j) ? (long long)json_is_true(j) : (long long)json_integer_value(j));
			v[i] = num[i];
		}
	}
}

int
reg_search_write(struct reg_ctx *x, int64_t id, const json_t *old, const json_t *rec, struct mm_err *err)
{
	const struct reg_def *d = x->def;
	const char **ov, **nv;
	char (*num)[24];
	size_t n = d->search ? search_count(d) : 0;
	int rc;

	if (n == 0)
		return 0;
	ov = calloc(n, sizeof(*ov));
	nv = calloc(n, sizeof(*nv));
	num = calloc(2 * n, sizeof(*num));
	if (ov == NULL || nv == NULL || num == NULL) {
		rc = mm_err_set(err, MM_ENOMEM, "", "out of memory");
		goto done;
	}
	if (old)
		search_values(d, old, ov, num);
	if (rec)
		search_values(d, rec, nv, num + n);
	rc = store_text_index_write(x->st, d->table, d->search, n, id, old ? ov : NULL, rec ? nv : NULL, err);
done:
	free(ov);
	free(nv);
	free(num);
	return rc;
}
