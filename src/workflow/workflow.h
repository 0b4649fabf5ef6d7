/*
 * The duties calendar and the violation checks (docs/internals/duties.md).
 *
 * Periodic duties (the monthly log review, the yearly audit, ...) are one table in duties.c; the
 * profile's [cycle] key of each says how often it falls due, `unset` meaning it is not tracked. Its
 * due date is the last completion (or the data directory's creation) plus the cycle; completing it
 * moves the date on. Deadline duties (a licence that expires, a key to return, a retention end) come
 * from the ledgers' dates at the moment they are asked for and are never stored. Violations are
 * computed from the ledgers, mamori's own accounts and the vault in the same way.
 *
 * States: upcoming → due (from [cycle] due_soon before the due date) → overdue (the day after the
 * due date, or past the due time) → done (a periodic duty completed, until it is due again).
 */
#ifndef MM_WORKFLOW_H
#define MM_WORKFLOW_H

#include "auth/authz.h"
#include "core/mamori.h"

#include <jansson.h>

#define DUTY_TEXT_MAX 4000 /* characters of evidence and of findings */

/* One periodic duty of the regulations. */
struct duty_def {
	const char *code;
	const char *title_ja, *title_en;
	enum role owner;
	enum policy_key cycle; /* the profile key of its cycle */
	const char *source;    /* the regulation */
};

size_t duty_defs_count(void);
const struct duty_def *duty_def_at(size_t i);
/* The periodic duty of a code, or NULL. */
const struct duty_def *duty_def_find(const char *code);

/*
 * The calendar at now: every tracked periodic duty and every deadline duty of the ledgers, sorted
 * by due date. Items: {code, kind (periodic|deadline), title, title_en, owner, owner_label, due,
 * state, source, cycle?, last_completion?, target?}. A deadline duty on a ledger the principal may
 * not read is left out and counted in *hidden (may be NULL). *out is a new array.
 */
int duty_calendar(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    json_t **out, int64_t *hidden, struct mm_err *err);

/*
 * Records the completion of a periodic duty by who: evidence (1..DUTY_TEXT_MAX characters, required)
 * and findings (optional). The principal must hold the duty's owner role or security_officer
 * (MM_EPERM otherwise); an unknown code is MM_ENOTFOUND, a duty whose cycle is unset MM_EINVAL.
 * Audited in the same transaction. *out (may be NULL) is the duty as the calendar shows it after.
 */
int duty_complete(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, const char *code, const char *evidence, const char *findings,
    json_t **out, struct mm_err *err);

/*
 * The violations at now: [{code, title, title_en, message, message_en, source, target}], each naming
 * the record it is about. Items on a ledger the principal may not read are counted in *hidden.
 */
int check_violations(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    json_t **out, int64_t *hidden, struct mm_err *err);

/*
 * What `mamori check` and GET /api/check report: {checked_at, today, duties (the overdue ones),
 * violations, hidden, findings}. findings counts both lists; *findings (may be NULL) too.
 */
int check_run(struct mamori *m, struct store *st, const struct principal *pr, int64_t now, json_t **out,
    int64_t *findings, struct mm_err *err);

/*
 * E-mail reminders (docs/internals/reminders.md). The day's run (a Japan calendar day): every due or
 * overdue duty goes to the accounts holding its owner role, every violation to the roles of [mail]
 * violations_to; one message per account whose person has an e-mail address, listing its items with
 * the regulation of each. An account already reminded that day is skipped, so a second run the same
 * day sends nothing new. Each message sent (or refused) is a row of `reminder` and an audit event
 * reminder.send (details: the count of items only).
 */
struct reminder_result {
	int sent, failed;
	int already;    /* accounts already reminded today */
	int no_address; /* accounts holding a role with items whose person has no usable address */
};

/*
 * Runs the day's reminders at now as who. dry_run: builds the messages and sends nothing. *plan
 * (may be NULL) receives [{login, to, items, subject, body, outcome}] (outcome: would_send, sent,
 * failed, already). MM_EINVAL naming the key when [mail] smtp_url or from is unset (not for a dry
 * run); an SMTP failure of one message is counted in res, not returned.
 */
int reminders_run(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t now,
    int dry_run, json_t **plan, struct reminder_result *res, struct mm_err *err);

/* 1 when [mail] smtp_url and from are set, so that reminders can go out. */
int reminders_configured(const struct policy *p);

#endif
