/*
 * What a decision of the approval engine does (docs/internals/approvals.md, "effects"). Most
 * requests only record a decision that a ledger or a person acts on; these act themselves:
 * account_issuance issues the account (the approver receives its one-time password to hand over),
 * mynumber_it_access gives the IT-staff grant, mynumber_deletion shreds the number. Each checks the
 * request's payload when it is made and again when it is approved, inside the engine's transaction.
 */
#ifndef MM_WORKFLOW_EFFECTS_H
#define MM_WORKFLOW_EFFECTS_H

#include "auth/authz.h"
#include "core/mamori.h"

#include <jansson.h>

struct effect_ctx {
	struct mamori *m;
	struct store *st;
	const struct principal *pr; /* the requester (check) or the decider (close) */
	const struct mm_actor *who;
	int64_t now, request_id;
	const char *requested_by, *comment;
};

/* 1 when requests of type are made only by their module's own route (the vault's deletion). */
int effect_module_only(const char *type);
/*
 * Checks (and completes) the payload of a new request of type in the caller's transaction; a type
 * without an effect takes none (*payload stays as given). MM_EINVAL naming the payload's field.
 */
int effect_check(struct effect_ctx *c, const char *type, json_t *payload, struct mm_err *err);
/*
 * A request of type was closed: outcome "approved" (its last step), "rejected" or "withdrawn". Acts
 * in the caller's transaction; *result (may stay NULL) is what the decider is told.
 */
int effect_close(struct effect_ctx *c, const char *type, const char *outcome, json_t *payload,
    json_t **result, struct mm_err *err);
/* After the commit of effect_close: work that must follow it (destroying an epoch's key). */
int effect_after(struct effect_ctx *c, const char *type, json_t *result, struct mm_err *err);

#endif
