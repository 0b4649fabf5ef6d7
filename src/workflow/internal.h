/* Helpers shared by the files of src/workflow/ (not a public interface). */
#ifndef MM_WORKFLOW_INTERNAL_H
#define MM_WORKFLOW_INTERNAL_H

#include "workflow/workflow.h"

#define WF_DATE_LEN 11 /* "YYYY-MM-DD" */

/* The local (Japan) calendar date of ms. */
void wf__today(int64_t ms, char out[WF_DATE_LEN]);
/* date + d (sign -1: minus), calendar-aware. 0, or MM_EINVAL for a bad date. */
int wf__date_add(const char *date, struct policy_duration d, int sign, char out[WF_DATE_LEN]);

/*
 * The state of a duty at now. due is a local date (overdue from the next day) or an ISO time
 * (overdue after it). It is due from due_from (a local date) when given, else from [cycle]
 * due_soon before due. done: a completion answers the current period. Returns the state's name.
 */
const char *wf__state(const struct policy *p, const char *due, const char *due_from, int64_t now, int done);

/* 1 when the principal may read the ledger (the local operator may read every one). */
int wf__can_read(const struct principal *pr, const char *reg);

/* {register, id, title} of a ledger record. New reference. */
json_t *wf__target(const char *reg, int64_t id, const char *title);

/*
 * A calendar item: {code, kind, title, title_en, owner, owner_label, due, state, source}; the
 * caller adds the rest. New reference.
 */
json_t *wf__duty_item(const char *code, const char *kind, const char *title_ja, const char *title_en,
    enum role owner, const char *due, const char *state, const char *source);

/* The deadline duties of the ledgers and the vault at now, appended to items. */
int wf__deadlines(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    json_t *items, int64_t *hidden, struct mm_err *err);

/* A vendor's next evaluation: next_evaluation, else evaluated_on + [cycle] vendor_review. "" when neither. */
void wf__vendor_next(const struct policy *p, const char *next, const char *evaluated, char out[WF_DATE_LEN]);

/* The roles a ROLES key of the profile lists, as bits of enum role (0 when unset). */
unsigned wf__roles(const struct policy *p, enum policy_key k);

/*
 * Sets who must act on a violation: owner (the first role, or null), owner_label (the Japanese
 * labels of all, joined), owners (every role key), owner_key ("[section] key" of the profile) and
 * owner_source (the regulation the profile gives for it).
 */
void wf__set_owner(json_t *item, unsigned roles, enum policy_key key, const char *source);

/* Codes of deadline duties that, once overdue, are reported as violations instead. */
int wf__reported_as_violation(const char *code);

#endif
