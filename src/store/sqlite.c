/* The SQLite backend of store.h. All SQLite-specific behaviour lives in this file. */
#include "store/backend.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/*
 * A connection and its cache of prepared statements: the same SQL text runs again without being
 * compiled again (a bulk import runs the same few statements 100,000 times).
 */
#define CACHE_SIZE 96

struct sq_cached {
	char *sql;
	sqlite3_stmt *stmt;
	int busy;
};

struct sq_conn {
	sqlite3 *db;
	struct sq_cached cache[CACHE_SIZE];
	size_t next; /* the slot to reuse when the cache is full */
};

#define CONN(st) ((struct sq_conn *)(st)->st_backend)
#define DB(st) (CONN(st)->db)
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
	if ((st->st_backend = calloc(1, sizeof(struct sq_conn))) == NULL) {
		sqlite3_close(db);
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	}
	CONN(st)->db = db;
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 10000);
	/*
	 * WAL so readers never block the writer; synchronous=FULL so a committed audit event
	 * survives power loss, not just a killed process; the schema is never trusted to run
	 * functions with side effects; deleted rows are overwritten in the file (secure_delete), so that
	 * erased personal data and shredded My Number rows do not linger in free pages; a page cache of
	 * up to 32 MiB keeps a bulk import's transaction from spilling to the log (used only as it fills).
	 */
	rc = sq_exec(st,
	    (flags & STORE_READONLY) ? "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
	                             : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
	                               " PRAGMA cache_size=-32768;"
	                               " PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;",
	    err);
	if (rc != 0) {
		sqlite3_close(db);
		free(st->st_backend);
		st->st_backend = NULL;
	}
	return rc;
}

static void
sq_close(struct store *st)
{
	struct sq_conn *c = CONN(st);

	if (c == NULL)
		return;
	for (size_t i = 0; i < CACHE_SIZE; i++) {
		sqlite3_finalize(c->cache[i].stmt);
		free(c->cache[i].sql);
	}
	sqlite3_close_v2(c->db);
	free(c);
	st->st_backend = NULL;
}

static int
sq_begin(struct store *st, struct mm_err *err)
{
	/* IMMEDIATE takes the write lock now, so the chain head we read cannot change under us. */
	return sq_exec(st, "BEGIN IMMEDIATE", err);
}

/* A free cached statement of this text, or a slot to cache a new one in (NULL: do not cache). */
static struct sq_cached *
cache_find(struct sq_conn *c, const char *sql, int *hit)
{
	struct sq_cached *empty = NULL;

	*hit = 0;
	for (size_t i = 0; i < CACHE_SIZE; i++) {
		struct sq_cached *e = &c->cache[i];
		if (e->sql == NULL) {
			if (empty == NULL)
				empty = e;
		} else if (!e->busy && strcmp(e->sql, sql) == 0) {
			*hit = 1;
			return e;
		}
	}
	if (empty)
		return empty;
	/* full: replace an idle one, round robin */
	for (size_t k = 0; k < CACHE_SIZE; k++) {
		struct sq_cached *e = &c->cache[(c->next + k) % CACHE_SIZE];
		if (!e->busy) {
			c->next = (c->next + k + 1) % CACHE_SIZE;
			sqlite3_finalize(e->stmt);
			free(e->sql);
			e->stmt = NULL;
			e->sql = NULL;
			return e;
		}
	}
	return NULL;
}

static int
sq_prepare(struct store *st, const char *sql, struct store_stmt **out, struct mm_err *err)
{
	struct store_stmt *s;
	struct sq_cached *slot;
	sqlite3_stmt *stmt = NULL;
	int rc, hit;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	slot = cache_find(CONN(st), sql, &hit);
	if (hit) {
		stmt = slot->stmt;
	} else {
		rc = sqlite3_prepare_v3(DB(st), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
		if (rc != SQLITE_OK) {
			free(s);
			return sq_error(st, rc, err, "prepare");
		}
		if (slot && (slot->sql = strdup(sql)) != NULL)
			slot->stmt = stmt;
		else
			slot = NULL;
	}
	if (slot)
		slot->busy = 1;
	s->ss_store = st;
	s->ss_backend = stmt;
	s->ss_cache = slot;
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
	struct sq_cached *slot = s->ss_cache;

	if (slot) {
		/* back to the cache, ready for its next use */
		sqlite3_reset(STMT(s));
		sqlite3_clear_bindings(STMT(s));
		slot->busy = 0;
	} else {
		sqlite3_finalize(STMT(s));
	}
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
