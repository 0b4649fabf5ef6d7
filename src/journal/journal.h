/*
 * The operation journal (運用日誌, seed 001 システム管理規程 §4.11(2)): what the system administrator
 * did and saw — logins and logoffs, configuration changes, log storage, backups, system errors and
 * their corrective action. Entries are append-only; a correction is a new entry.
 */
#ifndef MM_JOURNAL_H
#define MM_JOURNAL_H

#include "core/mamori.h"

#include <jansson.h>

#define JOURNAL_TEXT_MAX 4000 /* characters */

/* The categories of §4.11(2) ①–⑤, plus "other". Returns 1 when name is one of them. */
int journal_category_valid(const char *name);
/* Comma-separated category names, for messages and --help. */
const char *journal_category_names(void);
/* The Japanese label of a category. */
const char *journal_category_label_ja(const char *name);

/*
 * Appends an entry by who, audited in the same transaction. text must be 1 to JOURNAL_TEXT_MAX
 * characters of UTF-8 (newlines allowed). On success *id is the entry's number.
 */
int journal_add(struct mamori *m, struct store *st, const struct mm_actor *who,
    const char *category, const char *text, int64_t *id, struct mm_err *err);

/*
 * Lists entries, newest first, at most limit (1..1000), optionally only those recorded at or
 * after since_ms (0: all). Returns a new JSON array of {id, recorded_at, author, category, text}.
 */
int journal_list(struct store *st, int64_t since_ms, int limit, json_t **out, struct mm_err *err);

#endif
