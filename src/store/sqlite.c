/* The SQLite backend of store.h. All SQLite-specific behaviour lives in this file. */
#include "store/backend.h"

#include <sqlite3.h>
#include <stdlib.h>

#define DB(st) ((sqlite3 *)(st)->st_backend)
#define STMT(s) ((sqlite3_stmt *)(s)->ss_backend)

static int
sq_error(struct store *st, int rc, struct mm_err *err, const char *what)
{
	int code = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? MM_EBUSY : MM_ESTORE;

	return mm_err_set(err, code, "", "%s: %s", what, st ? sqlite3_errmsg(DB(st)) :
	    sqlite3_errstr(rc));
}

static int
sq_exec(struct store *st, const char *sql, struct mm_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(DB(st), sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		mm_err_set(err, rc == SQLITE_BUSY ? MM_EBUSY : MM_ESTORE, "", "%s",
		    msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return rc == SQLITE_BUSY ? MM_EBUSY : MM_ESTORE;
	}
	return 0;
}

static int
sq_open(struct store *st, const char *location, int flags, struct mm_err *err)
{
	sqlite3 *db = NULL;
	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
	int rc;

	if (flags & STORE_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(location, &db, oflags, NULL);
	if (rc != SQLITE_OK) {
		mm_err_set(err, MM_ESTORE, "", "cannot open database %s: %s", location,
		    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return MM_ESTORE;
	}
	st->st_backend = db;
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 10000);
	/*
	 * WAL so readers never block the writer; synchronous=FULL so a committed audit event
	 * survives power loss, not just a killed process; the schema is never trusted to run
	 * functions with side effects; deleted rows are overwritten in the file (secure_delete), so that
	 * erased personal data and shredded My Number rows do not linger in free pages.
	 */
	rc = sq_exec(st,
	    (flags & STORE_READONLY) ? "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
	                             : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
	                               " PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;",
	    err);
	if (rc != 0) {
		sqlite3_close(db);
		st->st_backend = NULL;
	}
	return rc;
}

static void
sq_close(struct store *st)
{
	sqlite3_close_v2(DB(st));
}

static int
sq_begin(struct store *st, struct mm_err *err)
{
	/* IMMEDIATE takes the write lock now, so the chain head we read cannot change under us. */
	return sq_exec(st, "BEGIN IMMEDIATE", err);
}

static int
sq_prepare(struct store *st, const char *sql, struct store_stmt **out, struct mm_err *err)
{
	struct store_stmt *s;
	sqlite3_stmt *stmt = NULL;
	int rc;

	*out = NULL;
	rc = sqlite3_prepare_v3(DB(st), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	if (rc != SQLITE_OK)
		return sq_error(st, rc, err, "prepare");
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		sqlite3_finalize(stmt);
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	}
	s->ss_store = st;
	s->ss_backend = stmt;
	*out = s;
	return 0;
}

static int
sq_index(struct store_stmt *s, const char *name)
{
	return sqlite3_bind_parameter_index(STMT(s), name);
}

static int
sq_bind_text(struct store_stmt *s, const char *name, const char *value)
{
	int i = sq_index(s, name);

	if (i == 0)
		return MM_EINVAL;
	return sqlite3_bind_text(STMT(s), i, value, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : MM_ESTORE;
}

static int
sq_bind_int(struct store_stmt *s, const char *name, int64_t value)
{
	int i = sq_index(s, name);

	if (i == 0)
		return MM_EINVAL;
	return sqlite3_bind_int64(STMT(s), i, value) == SQLITE_OK ? 0 : MM_ESTORE;
}

static int
sq_bind_null(struct store_stmt *s, const char *name)
{
	int i = sq_index(s, name);

	if (i == 0)
		return MM_EINVAL;
	return sqlite3_bind_null(STMT(s), i) == SQLITE_OK ? 0 : MM_ESTORE;
}

static int
sq_step(struct store_stmt *s, struct mm_err *err)
{
	int rc = sqlite3_step(STMT(s));

	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	return sq_error(s->ss_store, rc, err, "step");
}

static const char *
sq_col_text(struct store_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(STMT(s), col);
}

static int64_t
sq_col_int(struct store_stmt *s, int col)
{
	return sqlite3_column_int64(STMT(s), col);
}

static int
sq_col_is_null(struct store_stmt *s, int col)
{
	return sqlite3_column_type(STMT(s), col) == SQLITE_NULL;
}

static void
sq_reset(struct store_stmt *s)
{
	sqlite3_reset(STMT(s));
	sqlite3_clear_bindings(STMT(s));
}

static void
sq_finalize(struct store_stmt *s)
{
	sqlite3_finalize(STMT(s));
	free(s);
}

static int64_t
sq_last_id(struct store *st)
{
	return sqlite3_last_insert_rowid(DB(st));
}

static int64_t
sq_changes(struct store *st)
{
	return sqlite3_changes64(DB(st));
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .prepare = sq_prepare,
    .bind_text = sq_bind_text,
    .bind_int = sq_bind_int,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_is_null = sq_col_is_null,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .last_id = sq_last_id,
    .changes = sq_changes,
    .serial_pk = "id INTEGER PRIMARY KEY AUTOINCREMENT",
    .columns_sql = "SELECT name FROM pragma_table_info($1)",
    .flush_log_sql = "PRAGMA wal_checkpoint(TRUNCATE)",
};
