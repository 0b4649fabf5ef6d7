/* The backend operations behind store.h. SQLite implements them now; PostgreSQL adds another. */
#ifndef MM_STORE_BACKEND_H
#define MM_STORE_BACKEND_H

#include "store/store.h"

struct store_ops {
	const char *name;
	int (*open)(struct store *st, const char *location, int flags, struct mm_err *err);
	void (*close)(struct store *st);
	int (*exec)(struct store *st, const char *sql, struct mm_err *err);
	int (*begin)(struct store *st, struct mm_err *err);
	int (*prepare)(struct store *st, const char *sql, struct store_stmt **out, struct mm_err *err);
	int (*bind_text)(struct store_stmt *s, const char *name, const char *value);
	int (*bind_int)(struct store_stmt *s, const char *name, int64_t value);
	int (*bind_null)(struct store_stmt *s, const char *name);
	int (*step)(struct store_stmt *s, struct mm_err *err);
	const char *(*col_text)(struct store_stmt *s, int col);
	size_t (*col_bytes)(struct store_stmt *s, int col);
	int64_t (*col_int)(struct store_stmt *s, int col);
	int (*col_is_null)(struct store_stmt *s, int col);
	void (*reset)(struct store_stmt *s);
	void (*finalize)(struct store_stmt *s);
	int64_t (*last_id)(struct store *st);
	int64_t (*changes)(struct store *st);
	/* DDL that differs between databases, for tables made at run time (store_ensure_table) */
	const char *serial_pk;   /* an id column that never reuses a value */
	const char *columns_sql; /* one row per column name of table $1 */
	/* statement that moves the write-ahead log into the database and empties it (NULL: none) */
	const char *flush_log_sql;
	/* a query giving back the integers of a JSON array bound as parameter %s, as a set (SQLite:
	   json_each; PostgreSQL would be json_array_elements_text) */
	const char *id_set_sql;
	/* the text index of store_text_index_* (NULL: none; searches then read every row) */
	int (*text_index_ensure)(struct store *st, const char *table, const char *const *cols, size_t n,
	    struct mm_err *err);
	int (*text_index_write)(struct store *st, const char *table, const char *const *cols, size_t n,
	    int64_t id, const char *const *old, const char *const *values, struct mm_err *err);
	int (*text_index_ids)(struct store *st, const char *table, const char *const *cols, size_t n,
	    const char *term, const char *param, char *sql, size_t sql_len, char *value, size_t value_len);
};

struct store {
	const struct store_ops *st_ops;
	void *st_backend; /* the backend's connection */
	int st_in_tx;
	int st_flags;
};

struct store_stmt {
	struct store *ss_store;
	void *ss_backend;
	void *ss_cache; /* the backend's cache slot of the statement, or NULL */
};

extern const struct store_ops store_sqlite_ops;

#endif
