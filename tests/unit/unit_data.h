/* A fresh data directory, made and opened, for the unit tests of modules above src/core. */
#ifndef MM_TEST_UNIT_DATA_H
#define MM_TEST_UNIT_DATA_H

#include "unit.h"

#include "core/mamori.h"
#include "crypto/crypto.h"

/*
 * Makes DATA (tmp/data) with the ipa-sme profile and the first administrator "alice" as `who`, and
 * opens it into *m. tmp and data hold UNIT_PATH_MAX bytes.
 */
static inline void
unit_data_open(char *tmp, char *data, const struct mm_actor *who, struct mamori **m)
{
	struct mamori_init_result res;
	struct mm_err err = {0};

	unit_tmpdir(tmp);
	unit_path(data, tmp, "data");
	if (mamori_init(data, "ipa-sme", "alice", who, &res, &err) != 0)
		fail_msg("mamori_init: %s", err.msg);
	mm_wipe(&res, sizeof(res));
	if (mamori_open(data, m, &err) != 0)
		fail_msg("mamori_open: %s", err.msg);
}

/* Closes the data directory and removes tmp. */
static inline void
unit_data_close(char *tmp, struct mamori *m)
{
	mamori_close(m);
	unit_rmtree(tmp);
}

#endif
