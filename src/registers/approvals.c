/*
 * The small approval record of the ledgers (take-out, software addition, connection): one table,
 * register_approval. The approvals issue generalises it into the approval engine.
 */
#include "registers/rows.h"
#include "base/str.h"
#include "base/time.h"

#include <stdio.h>
#include <string.h>

/* The first of the principal's roles that is among the approver roles, or NULL. */
static const char *
approving_role(const struct principal *pr, unsigned roles)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if ((roles & (1u << r)) && (pr->pr_local_operator || (pr->pr_roles & (1u << r))))
			return role_key((enum role)r);
	return NULL;
}

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

int
reg_decide(struct reg_ctx *x, int64_t id, const char *decision, const char *comment, json_t **errors,
    struct mm_err *err)
{
	json_t *rec = NULL, *errs = json_array(), *none = json_object();
	struct store_stmt *s;
	const char *role;
	char when[MM_TIME_STRLEN], by[64], idtext[24], details[256];
	unsigned roles;
	int64_t out;
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
	if ((role = approving_role(x->pr, roles)) == NULL) {
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
	if ((rc = store_prepare(x->st, "INSERT INTO register_approval (register, record_id, kind, requested_by,"
	    " requested_at, approver_role, decided_by, decided_at, decision, comment)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", &s, err)) != 0)
		goto fail;
	store_bind_text(s, "$1", x->def->name);
	store_bind_int(s, "$2", id);
	store_bind_text(s, "$3", x->def->name);
	store_bind_text(s, "$4", by);
	store_bind_text(s, "$5", json_string_value(json_object_get(rec, "created_at")));
	store_bind_text(s, "$6", role);
	store_bind_text(s, "$7", x->who->login);
	store_bind_text(s, "$8", when);
	store_bind_text(s, "$9", decision);
	store_bind_text(s, "$10", comment ? comment : "");
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	snprintf(details, sizeof(details), "{\"register\":\"%s\",\"decision\":\"%s\",\"role\":\"%s\"}",
	    x->def->name, decision, role);
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
	json_decref(rec);
	json_decref(errs);
	json_decref(none);
	return rc;
}

int
reg_approvals(struct reg_ctx *x, int64_t id, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*out = NULL;
	if ((rc = store_prepare(x->st, "SELECT decided_by, decided_at, approver_role, decision, comment"
	    " FROM register_approval WHERE register = $1 AND record_id = $2 ORDER BY id", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", x->def->name);
	store_bind_int(s, "$2", id);
	*out = json_array();
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(*out, json_pack("{s:s, s:s, s:s, s:s, s:s}", "decided_by", store_col_text(s, 0),
		    "decided_at", store_col_text(s, 1), "approver_role", store_col_text(s, 2), "decision",
		    store_col_text(s, 3), "comment", store_col_text(s, 4)));
	store_finalize(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int
reg_approved(struct reg_ctx *x, int64_t id, unsigned roles, int64_t *at_ms, char *by, size_t by_len,
    struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*at_ms = 0;
	by[0] = '\0';
	if ((rc = store_prepare(x->st, "SELECT decided_at, decided_by, decision, approver_role FROM register_approval"
	    " WHERE register = $1 AND record_id = $2 ORDER BY id DESC", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", x->def->name);
	store_bind_int(s, "$2", id);
	/* the newest decision by a role that may decide the record as it is now (its class may have
	   changed since, or the profile) */
	while ((rc = store_step(s, err)) == STORE_ROW) {
		int r = role_from_key(store_col_text(s, 3));
		if (r < 0 || !(roles & (1u << r)))
			continue;
		if (strcmp(store_col_text(s, 2), "approved") == 0) {
			mm_time_parse(store_col_text(s, 0), at_ms);
			mm_strlcpy(by, store_col_text(s, 1), by_len);
		}
		break;
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}
