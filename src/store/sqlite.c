/* The SQLite backend of store.h. All SQLite-specific behaviour lives in this file. */
#include "store/backend.h"
#include "base/buf.h"
#include "base/str.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
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

/*
 * Once per process, before SQLite starts: no memory statistics. They take a global mutex on every
 * allocation, which the server's threads contend for (docs/performance.md, ledgers, change 8);
 * mamori never reads them.
 */
static void
sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int
sq_open(struct store *st, const char *location, int flags, struct mm_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	sqlite3 *db = NULL;
	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
	int rc;

	pthread_once(&once, sq_configure);

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
	 * up to 32 MiB keeps a bulk import's transaction from spilling to the log (used only as it fills);
	 * temporary tables, sorts and statement journals stay in memory (temp_store), because in files they
	 * would hold rows of personal data outside the data directory (in TMPDIR).
	 */
	rc = sq_exec(st,
	    (flags & STORE_READONLY) ? "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF; PRAGMA temp_store=MEMORY;"
	                             : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
	                               " PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;"
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

static size_t
sq_col_bytes(struct store_stmt *s, int col)
{
	return (size_t)sqlite3_column_bytes(STMT(s), col);
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

/*
 * The text index (store_text_index_*): two contentless (content='') FTS5 tables per indexed table,
 * written by the engine in the transaction of each row (no triggers: with trusted_schema=OFF,
 * SQLite refuses a virtual table in a trigger). The record store_text_index(tbl, spec) names the
 * columns each index holds. fts_TABLE(t) uses the trigram tokenizer (SQLite >= 3.34) for terms of 3
 * characters or more; gram_TABLE(g) answers the shorter ones.
 *
 * LIKE folds ASCII letters only, the trigram tokenizer's case folding folds far more (Ä/ä, Ａ/ａ,
 * the Kelvin sign and k). So the tokenizer keeps case (case_sensitive 1), and both the indexed text
 * and the term have their ASCII letters lowered here: a phrase of trigrams then matches exactly the
 * rows LIKE '%term%' matches, with no recheck. Column t holds the lowered values joined by U+0001,
 * which no stored value holds (the engine refuses control characters) and no term uses. Terms of 1
 * and 2 characters have no trigram (Japanese words such as 人事 are often two): column g holds
 * every distinct character and every distinct pair of neighbours within one value of the row, each
 * as one token of the hex digits of its lowered UTF-8 (UTF-8 needs no separator: "e4baba" is 人,
 * "e4babae4ba8b" is 人事), indexed without positions (detail=none).
 */
#define TI_SEP '\x01'
#define TI_SPEC "fts5 trigram 2:" /* the record's prefix; a new text format changes it (rebuild) */
#define TI_TERM_MAX 4096

static int
ti_ident(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 60)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* "fts5 trigram 1:a,b,c", or -1 when a name is not a plain identifier or it does not fit. */
static int
ti_spec(char *out, size_t len, const char *table, const char *const *cols, size_t n)
{
	size_t used = (size_t)snprintf(out, len, "%s", TI_SPEC);

	if (!ti_ident(table) || n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!ti_ident(cols[i]))
			return -1;
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s%s", i ? "," : "", cols[i]);
	}
	return used < len ? 0 : -1;
}

/* 1 when the record says table's index holds exactly spec. */
static int
ti_current(struct store *st, const char *table, const char *spec)
{
	struct store_stmt *s;
	const char *have;
	int yes = 0;

	/* every search and every write asks: the statement cache keeps this cheap */
	if (sq_prepare(st, "SELECT spec FROM store_text_index WHERE tbl = $1", &s, NULL) != 0)
		return 0; /* no record table: no index yet */
	sq_bind_text(s, "$1", table);
	if (sq_step(s, NULL) == STORE_ROW && (have = sq_col_text(s, 0)) != NULL)
		yes = strcmp(have, spec) == 0;
	sq_finalize(s);
	return yes;
}

/* The length in bytes of the character at p (a broken sequence counts byte by byte). */
static size_t
ti_char_len(const unsigned char *p, const unsigned char *end)
{
	size_t n = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;

	if ((size_t)(end - p) < n)
		return 1;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

static uint32_t
ti_pack(const unsigned char *p, size_t n)
{
	uint32_t k = 0;

	for (size_t i = 0; i < n; i++)
		k = k << 8 | p[i];
	return k;
}

static int
ti_put_lower(struct mm_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		if (mm_buf_append(b, &c, 1) != 0)
			return -1;
	}
	return 0;
}

/* Adds key to the set (open addressing, cap a power of two); 1 when it was new. */
static int
ti_set_add(uint64_t *set, size_t cap, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);

	while (set[i] != 0) {
		if (set[i] == key)
			return 0;
		i = (i + 1) & (cap - 1);
	}
	set[i] = key;
	return 1;
}

static int
ti_put_hex(struct mm_buf *b, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		char h[2] = {digits[(unsigned char)s[i] >> 4], digits[(unsigned char)s[i] & 15]};
		if (mm_buf_append(b, h, 2) != 0)
			return -1;
	}
	return 0;
}

/* The columns t and g of a row (see above). Both buffers start empty. */
static int
ti_row_text(const char *const *v, size_t n, struct mm_buf *t, struct mm_buf *g)
{
	size_t total = 0, cap = 16;
	uint64_t *set;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		total += v[i] ? strlen(v[i]) : 0;
	while (cap < 4 * total + 4)
		cap <<= 1;
	if ((set = calloc(cap, sizeof(*set))) == NULL)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const unsigned char *p, *end;
		uint32_t prev = 0;
		size_t prev_len = 0;
		char lower[8], prev_lower[8];

		if (i > 0 && mm_buf_append(t, (char[]){TI_SEP}, 1) != 0)
			rc = -1;
		if (v[i] == NULL || rc != 0)
			continue;
		p = (const unsigned char *)v[i];
		end = p + strlen(v[i]);
		if (ti_put_lower(t, v[i], (size_t)(end - p)) != 0)
			rc = -1;
		for (size_t len; p < end && rc == 0; p += len) {
			uint32_t k;

			len = ti_char_len(p, end);

			for (size_t j = 0; j < len; j++)
				lower[j] = (char)(p[j] >= 'A' && p[j] <= 'Z' ? p[j] - 'A' + 'a' : p[j]);
			lower[len] = '\0';
			k = ti_pack((const unsigned char *)lower, len);
			if (ti_set_add(set, cap, (uint64_t)k << 32) &&
			    (ti_put_hex(g, lower, len) != 0 || mm_buf_append(g, " ", 1) != 0))
				rc = -1;
			if (prev_len && ti_set_add(set, cap, (uint64_t)prev << 32 | k) &&
			    (ti_put_hex(g, prev_lower, prev_len) != 0 || ti_put_hex(g, lower, len) != 0 ||
			    mm_buf_append(g, " ", 1) != 0))
				rc = -1;
			prev = k;
			prev_len = len;
			memcpy(prev_lower, lower, len + 1);
		}
	}
	free(set);
	return rc;
}

/* Writes one row into fts_TABLE and gram_TABLE: ins 1 adds it, ins 0 takes it out (the same values). */
static int
ti_put(struct store *st, const char *table, int64_t id, const char *const *v, size_t n, int ins,
    struct mm_err *err)
{
	struct mm_buf t, g;
	char sql[256];
	struct store_stmt *s;
	int rc = 0;

	mm_buf_init(&t, 64 * 1024 * 1024);
	mm_buf_init(&g, 256 * 1024 * 1024);
	if (ti_row_text(v, n, &t, &g) != 0) {
		rc = mm_err_set(err, MM_ENOMEM, "", "text index of %s: out of memory", table);
		goto done;
	}
	for (int k = 0; k < 2 && rc == 0; k++) {
		const char *kind = k ? "gram" : "fts", *col = k ? "g" : "t";
		const struct mm_buf *b = k ? &g : &t;
		if (ins)
			snprintf(sql, sizeof(sql), "INSERT INTO %s_%s (rowid, %s) VALUES ($1, $2)", kind, table, col);
		else
			snprintf(sql, sizeof(sql), "INSERT INTO %s_%s (%s_%s, rowid, %s) VALUES ('delete', $1, $2)", kind,
			    table, kind, table, col);
		if ((rc = sq_prepare(st, sql, &s, err)) != 0)
			break;
		sq_bind_int(s, "$1", id);
		sq_bind_text(s, "$2", b->b_data ? b->b_data : "");
		rc = sq_step(s, err);
		sq_finalize(s);
		rc = rc < 0 ? rc : 0;
	}
done:
	mm_buf_free(&t);
	mm_buf_free(&g);
	return rc;
}

static int
sq_text_index_ensure(struct store *st, const char *table, const char *const *cols, size_t n,
    struct mm_err *err)
{
	char spec[4096], sql[4096 + 256];
	const char *v[128];
	sqlite3_stmt *s = NULL;
	size_t used;
	int rc;

	if (n > 128 || ti_spec(spec, sizeof(spec), table, cols, n) != 0)
		return mm_err_set(err, MM_EINVAL, "", "text index of %s: bad names", table);
	if ((rc = sq_exec(st, "CREATE TABLE IF NOT EXISTS store_text_index (tbl TEXT PRIMARY KEY, spec TEXT NOT NULL)",
	    err)) != 0)
		return rc;
	if (ti_current(st, table, spec)) {
		/* the record and its table go together; a table dropped by hand is made again */
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_master WHERE name IN ('fts_%s', 'gram_%s')", table,
		    table);
		if (sqlite3_prepare_v2(DB(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
		    sqlite3_column_int(s, 0) == 2) {
			sqlite3_finalize(s);
			return 0;
		}
		sqlite3_finalize(s);
		s = NULL;
	}
	snprintf(sql, sizeof(sql),
	    "DROP TABLE IF EXISTS fts_%s; DROP TABLE IF EXISTS gram_%s;"
	    " CREATE VIRTUAL TABLE fts_%s USING fts5(t, content='', tokenize='trigram case_sensitive 1', columnsize=0);"
	    " CREATE VIRTUAL TABLE gram_%s USING fts5(g, content='', tokenize='ascii', detail=none, columnsize=0);",
	    table, table, table, table);
	if ((rc = sq_exec(st, sql, err)) != 0)
		return rc;
	used = (size_t)snprintf(sql, sizeof(sql), "SELECT id");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, ", %s", cols[i]);
	snprintf(sql + used, sizeof(sql) - used, " FROM %s", table);
	if (sqlite3_prepare_v2(DB(st), sql, -1, &s, NULL) != SQLITE_OK)
		return sq_error(st, SQLITE_ERROR, err, "text index");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (size_t i = 0; i < n; i++)
			v[i] = (const char *)sqlite3_column_text(s, (int)i + 1);
		if ((rc = ti_put(st, table, sqlite3_column_int64(s, 0), v, n, 1, err)) != 0) {
			sqlite3_finalize(s);
			return rc;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sq_error(st, rc, err, "text index");
	if (sqlite3_prepare_v2(DB(st), "INSERT OR REPLACE INTO store_text_index (tbl, spec) VALUES (?1, ?2)", -1, &s,
	    NULL) != SQLITE_OK)
		return sq_error(st, SQLITE_ERROR, err, "text index");
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, spec, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : sq_error(st, rc, err, "text index");
}

static int
sq_text_index_write(struct store *st, const char *table, const char *const *cols, size_t n, int64_t id,
    const char *const *old, const char *const *values, struct mm_err *err)
{
	char spec[4096];
	int rc;

	if (ti_spec(spec, sizeof(spec), table, cols, n) != 0 || !ti_current(st, table, spec))
		return 0; /* no index of these columns: made from the table at the next open */
	if (old && values) {
		size_t i;
		for (i = 0; i < n; i++)
			if ((old[i] == NULL) != (values[i] == NULL) || (old[i] && strcmp(old[i], values[i]) != 0))
				break;
		if (i == n)
			return 0; /* no indexed column changed */
	}
	if (old && (rc = ti_put(st, table, id, old, n, 0, err)) != 0)
		return rc;
	return values ? ti_put(st, table, id, values, n, 1, err) : 0;
}

static int
sq_text_index_ids(struct store *st, const char *table, const char *const *cols, size_t n, const char *term,
    const char *param, char *sql, size_t sql_len, char *value, size_t value_len)
{
	char spec[4096];
	size_t len = strlen(term), k = 0;
	long chars = mm_utf8_check(term, len, 0);

	/* a term with a control character (never stored) or too long for value: the caller's LIKE */
	if (chars < 1 || len > TI_TERM_MAX || value_len < 2 * len + 8 || !ti_ident(param + (*param == '$')) ||
	    ti_spec(spec, sizeof(spec), table, cols, n) != 0 || !ti_current(st, table, spec))
		return 0;
	/* one FTS5 string: the term's ASCII letters lowered, its double quotes doubled; or the hex token */
	value[k++] = '"';
	for (const char *p = term; *p && chars >= 3; p++) {
		if (*p == '"')
			value[k++] = '"';
		value[k++] = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
	}
	for (const char *p = term; *p && chars < 3; p++) {
		unsigned char c = (unsigned char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
		value[k++] = "0123456789abcdef"[c >> 4];
		value[k++] = "0123456789abcdef"[c & 15];
	}
	value[k++] = '"';
	value[k] = '\0';
	return snprintf(sql, sql_len, "SELECT rowid FROM %s_%s WHERE %s_%s MATCH %s", chars < 3 ? "gram" : "fts",
	    table, chars < 3 ? "gram" : "fts", table, param) < (int)sql_len;
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
    .col_bytes = sq_col_bytes,
    .col_int = sq_col_int,
    .col_is_null = sq_col_is_null,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .last_id = sq_last_id,
    .changes = sq_changes,
    .serial_pk = "id INTEGER PRIMARY KEY AUTOINCREMENT",
    .columns_sql = "SELECT name FROM pragma_table_info($1)",
    .flush_log_sql = "PRAGMA wal_checkpoint(TRUNCATE)",
    .id_set_sql = "SELECT value FROM json_each(%s)",
    .text_index_ensure = sq_text_index_ensure,
    .text_index_write = sq_text_index_write,
    .text_index_ids = sq_text_index_ids,
};

/*
 * The portable entry points of the text index (store.h). They dispatch like store.c does: a
 * backend without a text index indexes nothing, and every search compares the columns itself.
 */
int
store_text_index_ensure(struct store *st, const char *table, const char *const *cols, size_t n,
    struct mm_err *err)
{
	if (st->st_ops->text_index_ensure == NULL || (st->st_flags & STORE_READONLY))
		return 0;
	return st->st_ops->text_index_ensure(st, table, cols, n, err);
}

int
store_text_index_write(struct store *st, const char *table, const char *const *cols, size_t n, int64_t id,
    const char *const *old, const char *const *values, struct mm_err *err)
{
	if (st->st_ops->text_index_write == NULL)
		return 0;
	return st->st_ops->text_index_write(st, table, cols, n, id, old, values, err);
}

int
store_text_index_ids(struct store *st, const char *table, const char *const *cols, size_t n, const char *term,
    const char *param, char *sql, size_t sql_len, char *value, size_t value_len)
{
	if (st->st_ops->text_index_ids == NULL || term == NULL)
		return 0;
	return st->st_ops->text_index_ids(st, table, cols, n, term, param, sql, sql_len, value, value_len);
}
