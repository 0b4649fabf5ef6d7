/* Database helpers shared by the unit tests of modules that sit on src/store. */
#ifndef MM_TEST_UNIT_STORE_H
#define MM_TEST_UNIT_STORE_H

#include "unit.h"

#include "store/store.h"

/* Runs SQL that must work (setting up, or tampering as an attacker with the file would). */
static inline void
unit_exec(struct store *st, const char *sql)
{
	struct mm_err err = {0};

	if (store_exec(st, sql, &err) != 0)
		fail_msg("%s: %s", sql, err.msg);
}

/* The integer a one-value query returns ("SELECT count(*) FROM t"). */
static inline int64_t
unit_query_int(struct store *st, const char *sql)
{
	struct mm_err err = {0};
	int64_t v = -1;

	if (store_query_int(st, sql, &v, &err) != 0)
		fail_msg("%s: %s", sql, err.msg);
	return v;
}

#endif
