/* The demo company サンプル商事株式会社: realistic data for a first look and for demos. */
#ifndef MM_DEMO_H
#define MM_DEMO_H

#include "core/mamori.h"

/* Fills a freshly initialised data directory with the demo company's records, all audited. */
int demo_populate(struct mamori *m, const struct mm_actor *who, struct mm_err *err);

/* The people, the role holders' accounts and every ledger of the demo company (ledgers.c). */
int demo_ledgers(struct mamori *m, const struct mm_actor *who, struct mm_err *err);

/* The vault of the demo company (mynumber.c): subjects with made-up numbers, the handler's scope. */
int demo_mynumber(struct mamori *m, const struct mm_actor *who, struct mm_err *err);

#endif
