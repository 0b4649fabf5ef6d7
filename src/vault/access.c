/*
 * Who sees what (003 §7.1; 004 ch4 §5.4): masked lists for the handlers, the manager, the auditor and
 * IT staff with a grant in force; a number in clear only for a handler, only for a purpose that is both
 * the subject's and in the handler's scope, and only after naming that purpose.
 */
#include "vault/vault.h"
#include "base/str.h"
#include "base/time.h"

#include <string.h>

int
vault_may_list(struct vault_ctx *x)
{
	const unsigned listers = (1u << ROLE_MYNUMBER_HANDLER) | (1u << ROLE_MYNUMBER_MANAGER) | (1u << ROLE_AUDITOR);

	if (x->pr->pr_local_operator)
		return 1;
	if (x->pr->pr_restricted)
		return 0;
	if (x->pr->pr_roles & listers)
		return 1;
	return (x->pr->pr_roles & (1u << ROLE_SYSADMIN)) && vault_grant_active(x, x->who->login);
}

/* 1 when the row exists: "SELECT 1 ... $1 $2". */
static int
holds(struct store *st, const char *sql, int64_t a, const char *b, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", a);
	store_bind_text(s, "$2", b);
	rc = store_step(s, err);
	store_finalize(s);
	return rc < 0 ? rc : rc == STORE_ROW;
}

/* Audits a refused reveal in its own transaction (the refusal itself is an access attempt). */
static int
refuse(struct vault_ctx *x, int64_t id, const char *purpose, int code, const char *rule, const char *ja,
    const char *en, struct mm_err *err)
{
	struct mm_err e2 = {0};

	if (store_begin(x->st, &e2) == 0) {
		if (vault_audit(x, "mynumber.reveal", id, AUDIT_READ, purpose, "denied", &e2) == 0)
			store_commit(x->st, &e2);
		else
			store_rollback(x->st);
	}
	if (code == MM_EPERM) {
		mm_err_set(err, MM_EPERM, "purpose", "%s", en);
		mm_strlcpy(err->rule, rule, sizeof(err->rule));
		mm_strlcpy(err->msg_ja, ja, sizeof(err->msg_ja));
		return MM_EPERM;
	}
	return mm_err_input(err, "purpose", rule, ja, "%s", en);
}

int
vault_reveal(struct vault_ctx *x, int64_t id, const char *purpose, char out[VAULT_NUMBER_MAX + 1], struct mm_err *err)
{
	int rc;

	out[0] = '\0';
	if (!x->pr->pr_local_operator && !(x->pr->pr_roles & (1u << ROLE_MYNUMBER_HANDLER)))
		return refuse(x, id, purpose, MM_EPERM, "handler_only", "番号を表示できるのは事務取扱担当者だけです",
		    "only a My Number handler may see a number", err);
	if (purpose == NULL || *purpose == '\0')
		return refuse(x, id, purpose, MM_EINVAL, "required", "今回の利用目的を選んでください",
		    "choose the purpose of this access", err);
	if ((rc = holds(x->st, "SELECT 1 FROM mn_subject_purpose WHERE subject_id = $1 AND purpose = $2", id, purpose,
	    err)) <= 0)
		return rc < 0 ? rc : refuse(x, id, purpose, MM_EINVAL, "not_subject_purpose",
		    "この対象者の利用目的ではありません", "not a purpose of this subject", err);
	if (!x->pr->pr_local_operator &&
	    (rc = holds(x->st, "SELECT 1 FROM mn_handler_scope WHERE account_id = $1 AND purpose = $2",
	    x->pr->pr_account_id, purpose, err)) <= 0)
		return rc < 0 ? rc : refuse(x, id, purpose, MM_EPERM, "out_of_scope",
		    "この利用目的は担当範囲に含まれていません（事務取扱責任者に設定を依頼してください）",
		    "this purpose is outside your scope as a handler", err);
	if ((rc = store_begin(x->st, err)) != 0)
		return rc;
	if ((rc = vault_open_number(x, id, out, err)) != 0 ||
	    (rc = vault_record(x, "use", id, purpose, "番号を表示", err)) != 0 ||
	    (rc = vault_audit(x, "mynumber.reveal", id, AUDIT_READ, purpose, NULL, err)) != 0 ||
	    (rc = store_commit(x->st, err)) != 0) {
		mm_wipe(out, VAULT_NUMBER_MAX + 1);
		store_rollback(x->st);
	}
	return rc;
}
