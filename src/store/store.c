/* Dispatch from the portable store interface to the backend chosen at open. */
#include "store/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
store_open(struct store **out, const char *location, int flags, struct mm_err *err)
{
	struct store *st;
	int rc;

	*out = NULL;
	if (strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0)
		return mm_err_set(err, MM_EINVAL, "data", "PostgreSQL is not built into this mamori yet");
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	st->st_ops = &store_sqlite_ops;
	st->st_flags = flags;
	if ((rc = st->st_ops->open(st, location, flags, err)) != 0) {
		free(st);
		return rc;
	}
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->st_in_tx)
		store_rollback(st);
	st->st_ops->close(st);
	free(st);
}

int
store_begin(struct store *st, struct mm_err *err)
{
	int rc;

	if (st->st_in_tx)
		return mm_err_set(err, MM_EBUSY, "", "a transaction is already open");
	if ((rc = st->st_ops->begin(st, err)) == 0)
		st->st_in_tx = 1;
	return rc;
}

int
store_commit(struct store *st, struct mm_err *err)
{
	int rc;

	if (!st->st_in_tx)
		return mm_err_set(err, MM_ESTORE, "", "commit without a transaction");
	rc = st->st_ops->exec(st, "COMMIT", err);
	if (rc != 0) {
		store_rollback(st);
		return rc;
	}
	st->st_in_tx = 0;
	return 0;
}

void
store_rollback(struct store *st)
{
	if (!st->st_in_tx)
		return;
	st->st_ops->exec(st, "ROLLBACK", NULL);
	st->st_in_tx = 0;
}

int
store_in_transaction(const struct store *st)
{
	return st->st_in_tx;
}

int
store_exec(struct store *st, const char *sql, struct mm_err *err)
{
	return st->st_ops->exec(st, sql, err);
}

int
store_prepare(struct store *st, const char *sql, struct store_stmt **out, struct mm_err *err)
{
	return st->st_ops->prepare(st, sql, out, err);
}

int
store_bind_text(struct store_stmt *s, const char *name, const char *value)
{
	if (value == NULL)
		return s->ss_store->st_ops->bind_null(s, name);
	return s->ss_store->st_ops->bind_text(s, name, value);
}

int
store_bind_int(struct store_stmt *s, const char *name, int64_t value)
{
	return s->ss_store->st_ops->bind_int(s, name, value);
}

int
store_bind_null(struct store_stmt *s, const char *name)
{
	return s->ss_store->st_ops->bind_null(s, name);
}

int
store_step(struct store_stmt *s, struct mm_err *err)
{
	return s->ss_store->st_ops->step(s, err);
}

const char *
store_col_text(struct store_stmt *s, int col)
{
	return s->ss_store->st_ops->col_text(s, col);
}

size_t
store_col_bytes(struct store_stmt *s, int col)
{
	return s->ss_store->st_ops->col_bytes(s, col);
}

int
store_id_set(const struct store *st, const char *param, char *out, size_t n)
{
	int w = snprintf(out, n, st->st_ops->id_set_sql, param);

	return w < 0 || (size_t)w >= n ? MM_ETOOBIG : 0;
}

int64_t
store_col_int(struct store_stmt *s, int col)
{
	return s->ss_store->st_ops->col_int(s, col);
}

int
store_col_is_null(struct store_stmt *s, int col)
{
	return s->ss_store->st_ops->col_is_null(s, col);
}

void
store_reset(struct store_stmt *s)
{
	s->ss_store->st_ops->reset(s);
}

void
store_finalize(struct store_stmt *s)
{
	if (s != NULL)
		s->ss_store->st_ops->finalize(s);
}

int64_t
store_last_id(struct store *st)
{
	return st->st_ops->last_id(st);
}

int64_t
store_changes(struct store *st)
{
	return st->st_ops->changes(st);
}

int
store_query_int(struct store *st, const char *sql, int64_t *out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	rc = store_step(s, err);
	if (rc == STORE_ROW) {
		*out = store_col_int(s, 0);
		rc = 0;
	} else if (rc == STORE_DONE) {
		rc = mm_err_set(err, MM_ENOTFOUND, "", "query returned no row");
	}
	store_finalize(s);
	return rc;
}

/* The column names of table as one string ",a,b,c," (empty when the table is new). */
static int
columns_of(struct store *st, const char *table, char *out, size_t n, struct mm_err *err)
{
	struct store_stmt *s;
	size_t used = 1;
	int rc;

	snprintf(out, n, ",");
	if ((rc = store_prepare(st, st->st_ops->columns_sql, &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", table);
	while ((rc = store_step(s, err)) == STORE_ROW) {
		int w = snprintf(out + used, n - used, "%s,", store_col_text(s, 0));
		if (w < 0 || (size_t)w >= n - used) {
			store_finalize(s);
			return mm_err_set(err, MM_ETOOBIG, "", "table %s has too many columns", table);
		}
		used += (size_t)w;
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int
store_ensure_table(struct store *st, const char *table, const struct store_column *cols, size_t n,
    struct mm_err *err)
{
	char sql[512], have[8192], key[80];
	int rc;

	snprintf(sql, sizeof(sql), "CREATE TABLE IF NOT EXISTS %s (%s)", table, st->st_ops->serial_pk);
	if ((rc = store_exec(st, sql, err)) != 0 || (rc = columns_of(st, table, have, sizeof(have), err)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), ",%s,", cols[i].name);
		if (strstr(have, key) == NULL) {
			snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s %s", table, cols[i].name,
			    cols[i].type == STORE_INTEGER ? "INTEGER" : "TEXT");
			if ((rc = store_exec(st, sql, err)) != 0)
				return rc;
		}
		if (cols[i].indexed) {
			snprintf(sql, sizeof(sql), "CREATE INDEX IF NOT EXISTS %s_%s ON %s (%s)", table,
			    cols[i].name, table, cols[i].name);
			if ((rc = store_exec(st, sql, err)) != 0)
				return rc;
		}
	}
	return 0;
}

void
store_flush_log(struct store *st)
{
	struct store_stmt *s;

	if (st->st_ops->flush_log_sql == NULL || st->st_in_tx)
		return;
	if (store_prepare(st, st->st_ops->flush_log_sql, &s, NULL) == 0) {
		while (store_step(s, NULL) == STORE_ROW)
			;
		store_finalize(s);
	}
}
