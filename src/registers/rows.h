/* Inside the register engine: the shared SELECT of ledger rows and their decoding. */
#ifndef MM_REGISTERS_ROWS_H
#define MM_REGISTERS_ROWS_H

#include "base/json_out.h"
#include "registers/registers.h"

/* Every SELECT fits: a definition has at most 120 fields of short names. */
#define REG_SQL_MAX (64 * 1024)

/*
 * "SELECT t.id, <fields>, t.created_at, t.updated_at, <display text of ref and person fields>
 * FROM reg_NAME t" — the caller appends WHERE, ORDER BY and LIMIT.
 */
int reg_select_sql(const struct reg_def *d, struct mm_buf *sql);
/* The record of the current row of a statement made from reg_select_sql. New reference. */
json_t *reg_row_json(const struct reg_def *d, struct store_stmt *s);
/*
 * The same record written as JSON text into o: the bytes json_dumps(reg_row_json(d, s),
 * JSON_COMPACT) gives, without building the tree (the list page writes 50 to 200 of them).
 */
void reg_row_write(const struct reg_def *d, struct store_stmt *s, struct mm_json_out *o);
/* One record by id, or MM_ENOTFOUND. */
int reg_load(struct reg_ctx *x, int64_t id, json_t **out, struct mm_err *err);

/*
 * The search index of a ledger (list.c): the store's text index over the definition's search
 * fields. reg_search_sync makes it at open, or makes it again when the search fields changed.
 * reg_search_write keeps it in step with one record written inside the caller's transaction: old
 * as it was (NULL: new), rec as it is now (NULL: deleted).
 */
int reg_search_sync(struct store *st, const struct reg_def *d, struct mm_err *err);
int reg_search_write(struct reg_ctx *x, int64_t id, const json_t *old, const json_t *rec, struct mm_err *err);

#endif
