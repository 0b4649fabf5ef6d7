/*
 * Schema migrations: numbered SQL files (migrations/NNNN_name.sql, compiled into the binary),
 * each applied in its own transaction together with its row in schema_version. A database newer
 * than this program, or a migration that fails, stops with a message and changes nothing.
 */
#include "base/embed.h"
#include "base/time.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>

extern const struct mm_embedded mm_migrations[];
extern const size_t mm_migrations_count;

/* Migrations can be replaced by a test (to prove that a failing one changes nothing). */
const struct mm_embedded *store_migrations = NULL;
size_t store_migrations_count = 0;

static const struct mm_embedded *
migrations(size_t *n)
{
	if (store_migrations != NULL) {
		*n = store_migrations_count;
		return store_migrations;
	}
	*n = mm_migrations_count;
	return mm_migrations;
}

int
store_schema_latest(void)
{
	size_t n;

	migrations(&n);
	return (int)n;
}

static int
ensure_version_table(struct store *st, struct mm_err *err)
{
	return store_exec(st,
	    "CREATE TABLE IF NOT EXISTS schema_version ("
	    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
	    err);
}

int
store_schema_version(struct store *st, int *version, struct mm_err *err)
{
	int64_t v = 0;
	int rc;

	rc = store_query_int(st,
	    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", &v,
	    err);
	if (rc != 0)
		return rc;
	if (v == 0) {
		*version = 0;
		return 0;
	}
	if ((rc = store_query_int(st, "SELECT coalesce(max(version), 0) FROM schema_version", &v,
	    err)) != 0)
		return rc;
	*version = (int)v;
	return 0;
}

static int
apply_one(struct store *st, int version, const struct mm_embedded *m, struct mm_err *err)
{
	struct store_stmt *s = NULL;
	char when[MM_TIME_STRLEN];
	struct mm_err e2 = {0};
	int rc;

	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = ensure_version_table(st, err)) != 0)
		goto fail;
	if ((rc = store_exec(st, (const char *)m->data, &e2)) != 0) {
		rc = mm_err_set(err, MM_ESCHEMA, "", "migration %s failed: %s; the database was not changed",
		    m->path, e2.msg);
		goto fail;
	}
	if ((rc = store_prepare(st,
	    "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)", &s, err)) != 0)
		goto fail;
	mm_time_format(mm_now_ms(), when);
	store_bind_int(s, "$1", version);
	store_bind_text(s, "$2", m->path);
	store_bind_text(s, "$3", when);
	if ((rc = store_step(s, err)) < 0)
		goto fail;
	store_finalize(s);
	s = NULL;
	return store_commit(st, err);
fail:
	store_finalize(s);
	store_rollback(st);
	return rc;
}

int
store_migrate(struct store *st, struct mm_err *err)
{
	const struct mm_embedded *list;
	size_t n;
	int current, rc;

	list = migrations(&n);
	if ((rc = store_schema_version(st, &current, err)) != 0)
		return rc;
	if (current > (int)n)
		return mm_err_set(err, MM_ESCHEMA, "",
		    "the database has schema version %d but this mamori knows only up to %zu; "
		    "use a newer mamori (nothing was changed)", current, n);
	for (size_t i = (size_t)current; i < n; i++) {
		/* files are sorted by name; their numbers must run 1, 2, 3 ... */
		if (atoi(list[i].path) != (int)i + 1)
			return mm_err_set(err, MM_ESCHEMA, "", "migration %s is out of sequence (expected %04zu)",
			    list[i].path, i + 1);
		if ((rc = apply_one(st, (int)i + 1, &list[i], err)) != 0)
			return rc;
	}
	return 0;
}
