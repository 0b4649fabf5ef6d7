/*
 * The approval engine (docs/internals/approvals.md): one mechanism for every request the
 * regulations route to an approver. Each request type is a row of one table (approvals.c) naming
 * the profile keys of its route, one key per step; the route in force when a request is made is
 * kept with it. Rules: the requester never decides their own request, the decider holds the role of
 * the current step and has not decided an earlier step of it, steps are decided in order, a
 * rejection ends the request, the requester may withdraw it while it is pending. Every change is
 * audited in the same transaction, and every decision keeps the object as it was at that moment.
 */
#ifndef MM_WORKFLOW_APPROVALS_H
#define MM_WORKFLOW_APPROVALS_H

#include "auth/authz.h"
#include "core/mamori.h"

#include <jansson.h>

#define APPROVAL_STEPS_MAX 2
#define APPROVAL_CLASSES_MAX 3
#define APPROVAL_TITLE_MAX 200 /* characters */
#define APPROVAL_TEXT_MAX 4000 /* characters of a detail or a comment */
#define APPROVAL_NO_STEP POLICY_KEY_COUNT

/* One route: the class it is for (NULL: the type has no classes) and the profile key of each step.
 */
struct approval_route {
	const char *cls;
	enum policy_key step[APPROVAL_STEPS_MAX]; /* APPROVAL_NO_STEP after the last */
};

struct approval_type {
	const char *code;
	const char *title_ja, *title_en;
	const char *source; /* the regulation */
	struct approval_route routes[APPROVAL_CLASSES_MAX];
};

size_t approval_types_count(void);
const struct approval_type *approval_type_at(size_t i);
/* The type of a code, or NULL. */
const struct approval_type *approval_type_find(const char *code);

/*
 * The roles of each step of a type's route under the profile (bit 1 << role): a step whose key is
 * unset is skipped. cls must be one of the type's classes when it has some, else NULL or "".
 * MM_EINVAL naming "class" for a bad class, "type" (rule no_route) when no step is set.
 */
int approval_route_roles(const struct policy *p, const struct approval_type *t, const char *cls,
    unsigned roles[APPROVAL_STEPS_MAX], size_t *nsteps, struct mm_err *err);

/* The first of the principal's roles among roles (the local operator: the first of roles), or NULL.
 */
const char *approval_role_held(const struct principal *pr, unsigned roles);

/* Every type with its classes and the route of each under the profile. New reference. */
json_t *approval_types_json(const struct policy *p);

/* A new request. subject "register:NAME:ID" names a ledger record (snapshot: the record). */
struct approval_new {
	const char *type, *cls, *subject, *title, *detail;
	const char *due_on; /* YYYY-MM-DD (Japan) or NULL */
	json_t *payload;    /* what the decision acts on (effects.h), or NULL */
	int from_module;    /* made by the module of a module-only type (the vault's deletion) */
};

/* Makes a request by who, audited as approval.request. *id (may be NULL) is the new request's. */
int approval_request(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, const struct approval_new *req, int64_t *id,
    struct mm_err *err);
/* The same inside the caller's transaction. */
int approval_request_tx(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, const struct approval_new *req, int64_t *id,
    struct mm_err *err);

/*
 * The vault's deletion request of subject_id (in: confirm_id, confirm_last4, reason) and its engine
 * request to the manager, in one transaction; the approval shreds the number (effects.c).
 * *errors: every field error of in.
 */
int approval_mynumber_deletion(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, int64_t subject_id, json_t *in, int64_t *deletion_id,
    int64_t *request_id, json_t **errors, struct mm_err *err);

/*
 * Decides the current step of request id: "approved" or "rejected" with a comment. MM_EINVAL rule
 * self_approval (the requester), closed (not pending), same_decider (decided an earlier step);
 * MM_EPERM without the step's role; MM_ENOTFOUND. Audited as approval.decide. When the decision
 * closes the request, its effect acts in the same transaction (effects.h) and *result (may be
 * NULL; NULL when the type has no effect) tells what it did: {account: {id, login, password}},
 * {grant: {...}} or {deletion: {...}}.
 */
int approval_decide(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, int64_t id, const char *decision, const char *comment,
    json_t **result, struct mm_err *err);

/* Withdraws a pending request: only its requester (MM_EPERM). Audited as approval.withdraw. */
int approval_withdraw(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, int64_t id, struct mm_err *err);

/*
 * Lists requests, newest first. inbox: pending requests whose current step the principal may
 * decide (never their own); mine: those they made; all: every one (PERM_APPROVALS_ALL, else
 * MM_EPERM). Each item says overdue (pending and past due_at).
 */
enum approval_box { APPROVAL_INBOX, APPROVAL_MINE, APPROVAL_ALL };
int approval_box_parse(const char *name, enum approval_box *box, struct mm_err *err);
int approval_list(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    enum approval_box box, json_t **out, struct mm_err *err);

/*
 * One request with its route, decisions and snapshots. Visible to its requester, to those who
 * decided it or hold a role of its route, and to PERM_APPROVALS_ALL; MM_EPERM otherwise.
 */
int approval_get(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    int64_t id, json_t **out, struct mm_err *err);

/*
 * For the ledgers (src/registers/approvals.c), inside the caller's transaction and with its checks
 * and audit done: the pending request of subject (made for requester with a one-step route of
 * roles when there is none), then the decision by decider as role with the snapshot (JSON text).
 */
int approval_ledger_decide(struct store *st, const char *type, const char *cls, const char *subject,
    const char *title, const char *requester, const char *requested_at, unsigned roles,
    const char *decider, const char *role, int64_t now, const char *decision, const char *comment,
    const char *snapshot, int64_t *request_id, struct mm_err *err);
/* The decisions on subject, oldest first: [{decided_by, decided_at, approver_role, decision,
 * comment}]. */
int approval_ledger_decisions(
    struct store *st, const char *subject, json_t **out, struct mm_err *err);
/*
 * The approval in force on subject: the newest final decision (a rejection, or the approval of a
 * request's last step) by one of roles; *at_ms 0 when none or a rejection.
 */
int approval_ledger_approved(struct store *st, const char *subject, unsigned roles, int64_t *at_ms,
    char *by, size_t by_len, struct mm_err *err);

#endif
