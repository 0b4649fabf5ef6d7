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
#include "base/buf.h"
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
 * The violations at now: [{code, title, title_en, message, message_en, source, target, owner,
 * owner_label, owners, owner_key, owner_source}], each naming the record it is about and the role
 * that must put it right (the profile's [violation] key of its kind; for an overdue take-out the
 * approver of its class, [takeout]). Items on a ledger the principal may not read are counted in
 * *hidden.
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
 * overdue duty goes to the accounts holding its owner role, every violation to its owner roles and
 * to the roles of [mail] violations_to; one message per account whose person has an e-mail
 * address, listing its items with the regulation of each. An account already reminded that day is
 * skipped, so a second run the same day sends nothing new. Each message sent (or refused) is a row
 * of `reminder` and an audit event reminder.send (details: the count of items only).
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

/*
 * The monthly compliance report for the information-security committee (docs/internals/duties.md):
 * for a month YYYY-MM (Japan dates) the periodic duties completed in it, the duties overdue at its
 * end (or at now, for the month under way) and the violations at now.
 */
enum report_format { REPORT_JSON, REPORT_HTML, REPORT_XLSX };

#define REPORT_MAX ((size_t)64 * 1024 * 1024) /* bytes of a report file, any format */

/* The format of a name: json (also NULL), html or xlsx; MM_EINVAL naming "format" otherwise. */
int report_format_parse(const char *name, enum report_format *fmt, struct mm_err *err);

/*
 * The first millisecond of month YYYY-MM in Japan and of the month after. MM_EINVAL naming "month"
 * (rule format) for anything else, and for years outside 2000-9998.
 */
int report_month_bounds(const char *month, int64_t *start, int64_t *end, struct mm_err *err);

/*
 * The report as {month, from, to, generated_at, as_of, as_of_date, counts {completed, overdue,
 * violations, hidden}, completed [{id, code, title, owner, owner_label, due_on, completed_at,
 * completed_at_local, completed_by, evidence, findings, source}], overdue [calendar items],
 * violations [as check_violations], hidden}. A month not yet begun is MM_EINVAL (rule future).
 * Deadline duties come from the ledgers as they are now; the periodic duties' state at as_of
 * counts only completions made by then. *out is new.
 */
int compliance_report(struct mamori *m, struct store *st, const struct principal *pr, const char *month,
    int64_t now, json_t **out, struct mm_err *err);

/*
 * Appends the report r as a printable HTML page in Japanese (every value escaped, no script, one
 * style element whose hash compliance_report_csp gives). MM_ETOOBIG past out's maximum.
 */
int compliance_report_html(const json_t *r, struct mm_buf *out, struct mm_err *err);

/* The Content-Security-Policy to serve the HTML report with: its style element by hash, nothing else. */
int compliance_report_csp(char *out, size_t n);

/*
 * Appends the report r as an XLSX workbook, one sheet per part (概要, 実施済みの義務, 期限超過の義務,
 * 違反) under Japanese headers; libxlsxwriter writes through the private directory tmpdir.
 */
int compliance_report_xlsx(const json_t *r, const char *tmpdir, struct mm_buf *out, struct mm_err *err);

/*
 * Builds the report of month for pr and appends it to out in fmt (JSON indented), then records the
 * audit event report.compliance (出力; details: the format and the counts, never the texts) as who.
 */
int compliance_report_file(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, const char *month, enum report_format fmt, int64_t now, struct mm_buf *out,
    struct mm_err *err);

#endif
