/*
 * The approvals of the ledgers' records (a take-out) on the approval engine (src/workflow/approvals.c):
 * a decision through the ledger's route makes (or reuses) the engine's request of the record, whose
 * subject is "register:NAME:ID", its requester the one who made the record, and records the
 * decision there; the approval in force is read back from the engine.
 */
#include "registers/rows.h"
#include "base/str.h"
#include "base/time.h"
#include "workflow/approvals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
creator(struct reg_ctx *x, int64_t id, char *out, size_t n, struct mm_err *err)
{
	struct store_stmt *s;
	char sql[160];
	int rc;

	snprintf(sql, sizeof(sql), "SELECT created_by FROM %s WHERE id = $1", x->def->table);
	if ((rc = store_prepare(x->st, sql, &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	mm_strlcpy(out, rc == STORE_ROW && store_col_text(s, 0) ? store_col_text(s, 0) : "", n);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The engine's subject of a record: "register:NAME:ID". */
static void
subject_of(struct reg_ctx *x, int64_t id, char *out, size_t n)
{
	snprintf(out, n, "register:%s:%lld", x->def->name, (long long)id);
}

/* The engine's request type of a ledger's approvals (the take-outs: takeout). */
static const char *
type_of(const struct reg_def *d)
{
	return strcmp(d->name, "takeouts") == 0 ? "takeout" : d->name;
}

int
reg_decide(struct reg_ctx *x, int64_t id, const char *decision, const char *comment, json_t **errors,
    struct mm_err *err)
{
	json_t *rec = NULL, *errs = json_array(), *none = json_object();
	const char *role;
	char when[MM_TIME_STRLEN], by[64], idtext[24], details[256], subject[128], title[160], *snap = NULL;
	unsigned roles;
	int64_t out, request = 0;
	int rc;

	*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0)
		goto done;
	if ((rc = reg_load(x, id, &rec, err)) != 0)
		goto fail;
	roles = x->def->hooks && x->def->hooks->approver_roles ? x->def->hooks->approver_roles(x, rec) : 0;
	if (roles == 0) {
		rc = mm_err_input(err, "decision", "no_approval", "この記録には承認が要りません",
		    "this record needs no approval");
		goto fail;
	}
	if (decision == NULL || (strcmp(decision, "approved") != 0 && strcmp(decision, "rejected") != 0)) {
		rc = mm_err_input(err, "decision", "choice", "承認か却下を選んでください",
		    "decision is approved or rejected");
		goto fail;
	}
	if (comment && mm_utf8_check(comment, strlen(comment), 1) > 1000) {
		rc = mm_err_input(err, "comment", "max_length", "コメントは1000文字以内にしてください",
		    "the comment is longer than 1000 characters");
		goto fail;
	}
	if ((role = approval_role_held(x->pr, roles)) == NULL) {
		rc = mm_err_set(err, MM_EPERM, "decision", "your roles cannot approve this record");
		goto fail;
	}
	if ((rc = creator(x, id, by, sizeof(by), err)) != 0)
		goto fail;
	if (strcmp(by, x->who->login) == 0) {
		rc = mm_err_input(err, "decision", "self_approval", "自分の申請は承認できません",
		    "nobody approves their own request");
		goto fail;
	}
	mm_time_format(x->now_ms, when);
	subject_of(x, id, subject, sizeof(subject));
	snprintf(title, sizeof(title), "%s #%lld", x->def->label_ja, (long long)id);
	if ((snap = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		rc = mm_err_set(err, MM_ENOMEM, "", "out of memory");
		goto fail;
	}
	if ((rc = approval_ledger_decide(x->st, type_of(x->def), json_string_value(json_object_get(rec, "item_class")),
	    subject, title, by, json_string_value(json_object_get(rec, "created_at")), roles, x->who->login, role,
	    x->now_ms, decision, comment, snap, &request, err)) != 0)
		goto fail;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	snprintf(details, sizeof(details),
	    "{\"register\":\"%s\",\"decision\":\"%s\",\"role\":\"%s\",\"request\":%lld}", x->def->name, decision,
	    role, (long long)request);
	if ((rc = mamori_audit(x->m, x->st, x->who, &(struct audit_event){.action = "register.decide",
	    .target_type = x->def->name, .target_id = idtext, .access = AUDIT_UPDATE, .outcome = decision,
	    .details = details}, NULL, err)) != 0)
		goto fail;
	/* saved again: the hook takes the decision into the record's computed fields */
	if ((rc = reg_save(x, id, none, &out, errs, err)) != 0)
		goto fail;
	rc = store_commit(x->st, err);
	goto done;
fail:
	store_rollback(x->st);
	if (json_array_size(errs) > 0) {
		*errors = errs;
		errs = NULL;
	}
done:
	free(snap);
	json_decref(rec);
	json_decref(errs);
	json_decref(none);
	return rc;
}

int
reg_approvals(struct reg_ctx *x, int64_t id, json_t **out, struct mm_err *err)
{
	char subject[128];

	subject_of(x, id, subject, sizeof(subject));
	return approval_ledger_decisions(x->st, subject, out, err);
}

int
reg_approved(struct reg_ctx *x, int64_t id, unsigned roles, int64_t *at_ms, char *by, size_t by_len,
    struct mm_err *err)
{
	char subject[128];

	subject_of(x, id, subject, sizeof(subject));
	return approval_ledger_approved(x->st, subject, roles, at_ms, by, by_len, err);
}

int
reg_approval_fill(struct reg_ctx *x, int64_t id, const char *type, int64_t person, const char *day,
    struct mm_err *err)
{
	const json_t *e;
	json_t *patch, *errs;
	int64_t out;
	size_t i;
	int rc = 0;

	json_array_foreach(x->def->approvals, i, e) {
		const char *by = json_string_value(json_object_get(e, "by")),
			   *on = json_string_value(json_object_get(e, "on"));
		if (strcmp(json_string_value(json_object_get(e, "type")), type) != 0)
			continue;
		patch = json_object();
		if (person > 0)
			json_object_set_new(patch, by, json_integer(person));
		if (on)
			json_object_set_new(patch, on, json_string(day));
		errs = json_array();
		rc = reg_save(x, id, patch, &out, errs, err);
		json_decref(errs);
		json_decref(patch);
		break;
	}
	return rc;
}
