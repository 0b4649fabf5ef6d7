/*
 * The one database interface. Callers write portable SQL with named parameters $1, $2, ... and
 * bind them by name; the backend (SQLite now, PostgreSQL later) is chosen when the store is opened.
 * No caller ever sees a backend type or calls a backend library.
 */
#ifndef MM_STORE_H
#define MM_STORE_H

#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_stmt;

enum store_open_flags {
	STORE_CREATE = 1,   /* create the database when missing */
	STORE_READONLY = 2, /* never write (audit verify of a copy) */
};

/* A result of store_step(). */
enum { STORE_DONE = 0, STORE_ROW = 1 };

/*
 * Opens the database at location (a file path for SQLite). Sets WAL, foreign keys and a busy
 * timeout. Returns 0 and *out, or a negative code with err filled.
 */
int store_open(struct store **out, const char *location, int flags, struct mm_err *err);
void store_close(struct store *st);

/*
 * Transactions. store_begin() starts a write transaction that holds the write lock from the start
 * (so that reading the audit chain head and appending to it cannot interleave between processes).
 * Nesting is not supported: a second begin fails with MM_EBUSY.
 */
int store_begin(struct store *st, struct mm_err *err);
int store_commit(struct store *st, struct mm_err *err);
void store_rollback(struct store *st);
int store_in_transaction(const struct store *st);

/* Runs SQL text without parameters (may hold several statements; used by migrations). */
int store_exec(struct store *st, const char *sql, struct mm_err *err);

/* Prepares one statement. Free it with store_finalize(). */
int store_prepare(struct store *st, const char *sql, struct store_stmt **out, struct mm_err *err);

/* Bind by name ("$1"). Text and blobs are copied. A name not in the statement is MM_EINVAL. */
int store_bind_text(struct store_stmt *s, const char *name, const char *value);
int store_bind_int(struct store_stmt *s, const char *name, int64_t value);
int store_bind_null(struct store_stmt *s, const char *name);

/* STORE_ROW when a row is ready, STORE_DONE when finished, or a negative code. */
int store_step(struct store_stmt *s, struct mm_err *err);

/* Columns of the current row, from 0. Text is NULL for SQL NULL and valid until the next step. */
const char *store_col_text(struct store_stmt *s, int col);
/*
 * The SQL of a set of integers bound as one JSON array at param ("$3"), for `x IN (...)`: written
 * into out (n bytes). 0, or MM_ETOOBIG.
 */
int store_id_set(const struct store *st, const char *param, char *out, size_t n);

/* The bytes of a text column as stored (more than strlen when the stored text holds a NUL). */
size_t store_col_bytes(struct store_stmt *s, int col);
int64_t store_col_int(struct store_stmt *s, int col);
int store_col_is_null(struct store_stmt *s, int col);

/* Resets a statement so it can run again with new bindings. */
void store_reset(struct store_stmt *s);
void store_finalize(struct store_stmt *s);

/* Rows changed by the last INSERT, UPDATE or DELETE on this connection. */
int64_t store_changes(struct store *st);

/* Row id of the last insert on this connection. */
int64_t store_last_id(struct store *st);

/* Applies pending migrations (see migrate.c); each in its own transaction. */
int store_migrate(struct store *st, struct mm_err *err);

/* The schema version of the database (0 when empty) and the newest this program knows. */
int store_schema_version(struct store *st, int *version, struct mm_err *err);
int store_schema_latest(void);

/* A column of a table made at run time. name is [a-z][a-z0-9_]* (the caller checks). */
enum store_type { STORE_TEXT, STORE_INTEGER };
struct store_column {
	const char *name;
	enum store_type type;
	int indexed;
};

/*
 * Makes table (id + cols) when it is missing, adds the columns it lacks and the indexes of the
 * indexed ones. Existing columns are never dropped or changed. Runs inside the caller's
 * transaction when there is one.
 */
int store_ensure_table(struct store *st, const char *table, const struct store_column *cols, size_t n,
    struct mm_err *err);

/*
 * Empties the write-ahead log into the database (outside a transaction), so that the bytes of rows
 * just erased do not stay behind in the log file. Best effort: readers may hold it back.
 */
void store_flush_log(struct store *st);

/* Runs a single-value query like "SELECT count(*) FROM t" and returns the integer. */
int store_query_int(struct store *st, const char *sql, int64_t *out, struct mm_err *err);

/*
 * A text index: substring search over some text columns (cols, n) of a table made by
 * store_ensure_table, so that a search reads the matching rows only. A row matches a term when
 * one of the columns contains it, ASCII letters compared without case and every other character
 * exactly: what "col LIKE '%term%'" means. The backend keeps a record of the columns indexed.
 *
 * store_text_index_ensure makes the index, or makes it again from the table's rows when its
 * record names other columns; at open, inside the caller's transaction.
 */
int store_text_index_ensure(struct store *st, const char *table, const char *const *cols, size_t n,
    struct mm_err *err);
/*
 * Keeps the index in step with one row written in the caller's transaction: old holds the
 * columns' values as they were (NULL for a new row), values as they are now (NULL for a deleted
 * row), NULL entries for SQL NULL. Does nothing when the table has no index of these columns.
 */
int store_text_index_write(struct store *st, const char *table, const char *const *cols, size_t n,
    int64_t id, const char *const *old, const char *const *values, struct mm_err *err);
/*
 * A query of the ids of the rows matching term: writes a SELECT of one column into sql that reads
 * the parameter named param (e.g. "$3"), and the text to bind to it into value. Returns 1, or 0
 * when the index cannot answer (none, other columns, a term it cannot take): the caller then
 * compares the columns itself (LIKE).
 */
int store_text_index_ids(struct store *st, const char *table, const char *const *cols, size_t n,
    const char *term, const char *param, char *sql, size_t sql_len, char *value, size_t value_len);

#endif
