/*
 * Deletion (004 ch4 §2.11; 003 §6.5): the handler names the target twice (its id and the last four
 * digits) and the request goes to the approval engine (src/workflow/effects.c); when the manager approves
 * it there, the number is shredded: its row (ciphertext and wrapped data key)
 * is erased with secure_delete, and when no number of its retention epoch is left the epoch's key files
 * are destroyed, so that no backup can yield it. The 取扱記録簿 and the asset ledger record who, when,
 * what and how.
 */
#include "vault/vault.h"
#include "base/time.h"
#include "registers/registers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
one_text(struct store *st, const char *sql, int64_t id, char *out, size_t n, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	out[0] = '\0';
	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	if ((rc = store_step(s, err)) == STORE_ROW && store_col_text(s, 0))
		snprintf(out, n, "%s", store_col_text(s, 0));
	store_finalize(s);
	return rc < 0 ? rc : rc == STORE_ROW;
}

static int
exec_id(struct store *st, const char *sql, int64_t id, const char *text, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	if (text)
		store_bind_text(s, "$2", text);
	rc = store_step(s, err);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int
vault_deletion_request(struct vault_ctx *x, int64_t id, json_t *in, int64_t *req_id, json_t **errors,
    struct mm_err *err)
{
	json_t *errs = json_array();
	const char *reason = json_string_value(json_object_get(in, "reason"));
	const char *last4 = json_string_value(json_object_get(in, "confirm_last4"));
	int64_t confirm = json_integer_value(json_object_get(in, "confirm_id"));
	char state[24], tail[8], when[MM_TIME_STRLEN];
	struct store_stmt *s;
	int rc, found;

	*errors = NULL;
	if ((found = one_text(x->st, "SELECT state FROM mn_subject WHERE id = $1", id, state, sizeof(state), err)) <= 0) {
		rc = found < 0 ? found : mm_err_set(err, MM_ENOTFOUND, "id", "no subject %lld", (long long)id);
		goto fail;
	}
	if (strcmp(state, "active") != 0) {
		rc = mm_err_input(err, "id", "state", "すでに削除済みか、削除を申請中です", "already deleted or being deleted");
		goto fail;
	}
	if ((rc = one_text(x->st, "SELECT tail FROM mn_number WHERE subject_id = $1", id, tail, sizeof(tail), err)) < 0)
		goto fail;
	/* the second confirmation of the target (003 §6.5: 再度対象のもので間違いないか確認) */
	if (confirm != id)
		mm_errors_add(errs, "confirm_id", "confirm", "確認のため対象者の番号（ID）をもう一度入力してください",
		    "type the subject's id again");
	if (tail[0] && (last4 == NULL || strcmp(last4, tail) != 0))
		mm_errors_add(errs, "confirm_last4", "confirm", "確認のため個人番号の下4桁をもう一度入力してください",
		    "type the last four digits of the number again");
	if (reason == NULL || *reason == '\0' || strlen(reason) > 600)
		mm_errors_add(errs, "reason", "required", "削除の理由を入力してください（200文字以内）",
		    "give the reason (at most 200 characters)");
	mm_wipe(tail, sizeof(tail));
	if (json_array_size(errs) > 0) {
		rc = mm_err_from_entry(err, json_array_get(errs, 0));
		*errors = errs;
		return rc;
	}
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_prepare(x->st, "INSERT INTO mn_deletion (subject_id, reason, requested_by, requested_at)"
	    " VALUES ($1, $2, $3, $4)", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", reason);
	store_bind_text(s, "$3", x->who->login);
	store_bind_text(s, "$4", when);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	*req_id = store_last_id(x->st);
	if ((rc = exec_id(x->st, "UPDATE mn_subject SET state = 'deletion_requested' WHERE id = $1", id, NULL, err)) != 0 ||
	    (rc = vault_audit(x, "mynumber.deletion_request", id, AUDIT_UPDATE, NULL, NULL, err)) != 0)
		goto fail;
	json_decref(errs);
	return 0;
fail:
	json_decref(errs);
	return rc;
}

int
vault_deletion_link(struct vault_ctx *x, int64_t req_id, int64_t approval_id, struct mm_err *err)
{
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)approval_id);
	return exec_id(x->st, "UPDATE mn_deletion SET approval_id = CAST($2 AS INTEGER) WHERE id = $1", req_id, text, err);
}

int
vault_deletion_approval(struct vault_ctx *x, int64_t req_id, int64_t *approval_id, struct mm_err *err)
{
	char text[24];
	int rc;

	*approval_id = 0;
	if ((rc = one_text(x->st, "SELECT CAST(approval_id AS TEXT) FROM mn_deletion WHERE id = $1", req_id, text,
	    sizeof(text), err)) < 0)
		return rc;
	if (rc == 0 || text[0] == '\0')
		return mm_err_set(err, MM_ENOTFOUND, "id", "no deletion request %lld", (long long)req_id);
	*approval_id = strtoll(text, NULL, 10);
	return 0;
}

/* Writes the deletion into the notes of every asset ledger record that says it holds 特定個人情報. */
static int
asset_ledger(struct vault_ctx *x, const char *line, struct mm_err *err)
{
	struct principal pr = {.pr_local_operator = 1};
	struct reg_ctx rx = {.m = x->m, .st = x->st, .who = x->who, .pr = &pr, .def = registers_find("assets"),
	    .now_ms = mm_now_ms()};
	struct reg_query q = {.filter_names = {"mynumber"}, .filter_values = {"true"}, .nfilters = 1, .per_page = 50};
	json_t *list = NULL, *rec, *errors;
	size_t i;
	int rc;

	if (rx.def == NULL || reg_field_find(rx.def, "mynumber") == NULL || reg_field_find(rx.def, "notes") == NULL)
		return 0;
	if ((rc = reg_list(&rx, &q, &list, err)) != 0)
		return rc;
	errors = json_array();
	json_array_foreach(json_object_get(list, "items"), i, rec) {
		const char *notes = json_string_value(json_object_get(rec, "notes"));
		char text[4000];
		json_t *patch;
		int64_t out;
		snprintf(text, sizeof(text), "%s%s%s", notes ? notes : "", notes && *notes ? "\n" : "", line);
		patch = json_pack("{s:s}", "notes", text);
		rc = reg_save(&rx, json_integer_value(json_object_get(rec, "id")), patch, &out, errors, err);
		json_decref(patch);
		if (rc != 0)
			break;
	}
	json_decref(errors);
	json_decref(list);
	return rc;
}

int
vault_deletion_close(struct vault_ctx *x, int64_t req_id, const char *outcome, const char *comment, char epoch[8],
    struct mm_err *err)
{
	struct store_stmt *s;
	char requester[64] = "", state[16] = "", tail[8] = "", when[MM_TIME_STRLEN], line[400], day[11];
	int64_t subject = 0;
	int approved = strcmp(outcome, "approved") == 0, rc;

	epoch[0] = '\0';
	if ((rc = store_prepare(x->st, "SELECT subject_id, requested_by, state FROM mn_deletion WHERE id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", req_id);
	if ((rc = store_step(s, err)) == STORE_ROW) {
		subject = store_col_int(s, 0);
		snprintf(requester, sizeof(requester), "%s", store_col_text(s, 1));
		snprintf(state, sizeof(state), "%s", store_col_text(s, 2));
	}
	store_finalize(s);
	if (rc < 0)
		return rc;
	if (rc == STORE_DONE)
		return mm_err_set(err, MM_ENOTFOUND, "id", "no deletion request %lld", (long long)req_id);
	if (strcmp(state, "pending") != 0)
		return mm_err_input(err, "decision", "state", "この申請はすでに決裁済みです", "this request was decided already");
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_prepare(x->st, "UPDATE mn_deletion SET state = $2, decided_by = $3, decided_at = $4, comment = $5,"
	    " method = $6 WHERE id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", req_id);
	store_bind_text(s, "$2", approved ? "done" : "rejected");
	store_bind_text(s, "$3", x->who->login);
	store_bind_text(s, "$4", when);
	store_bind_text(s, "$5", comment ? comment : strcmp(outcome, "withdrawn") == 0 ? "申請者が取り下げ" : "");
	store_bind_text(s, "$6", approved ? "crypto-shredding" : NULL);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	if (!approved) {
		if ((rc = exec_id(x->st, "UPDATE mn_subject SET state = 'active' WHERE id = $1", subject, NULL, err)) != 0)
			return rc;
		return vault_audit(x, strcmp(outcome, "withdrawn") == 0 ? "mynumber.deletion_withdraw" :
		    "mynumber.deletion_reject", subject, AUDIT_UPDATE, NULL, NULL, err);
	}
	if ((rc = one_text(x->st, "SELECT epoch FROM mn_number WHERE subject_id = $1", subject, epoch, 8, err)) < 0 ||
	    (rc = one_text(x->st, "SELECT tail FROM mn_number WHERE subject_id = $1", subject, tail, sizeof(tail), err)) < 0)
		return rc;
	/* the shredding: the row goes (the store overwrites deleted bytes in the file: secure_delete) */
	if ((rc = exec_id(x->st, "DELETE FROM mn_number WHERE subject_id = $1", subject, NULL, err)) != 0 ||
	    (rc = exec_id(x->st, "UPDATE mn_subject SET state = 'deleted', stub = $2 WHERE id = $1", subject,
	    policy_int(x->m->md_policy, POLICY_MYNUMBER_KEEP_MASKED_STUB) && tail[0] ? tail : NULL, err)) != 0)
		return rc;
	mm_wipe(tail, sizeof(tail));
	snprintf(day, sizeof(day), "%.10s", when);
	snprintf(line, sizeof(line), "%s 特定個人情報（対象者 %lld）の個人番号を削除（方法: データ鍵の消去%s、申請: %s、承認: %s）",
	    day, (long long)subject, epoch[0] && strcmp(epoch, "open") ? "・保管期の鍵の破棄" : "", requester,
	    x->who->login);
	if ((rc = vault_record(x, "deletion", subject, NULL, line, err)) != 0 || (rc = asset_ledger(x, line, err)) != 0)
		return rc;
	return vault_audit(x, "mynumber.delete", subject, AUDIT_DELETE, NULL, NULL, err);
}

int
vault_deletion_after(struct vault_ctx *x, const char *epoch, struct mm_err *err)
{
	struct store_stmt *s;
	int64_t left = 1;
	int rc;

	/* the last number of a closed epoch: its key goes, and with it every copy in every backup */
	if (epoch == NULL || epoch[0] == '\0' || strcmp(epoch, "open") == 0)
		return 0;
	store_flush_log(x->st);
	if ((rc = store_prepare(x->st, "SELECT count(*) FROM mn_number WHERE epoch = $1", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", epoch);
	if (store_step(s, err) == STORE_ROW)
		left = store_col_int(s, 0);
	store_finalize(s);
	return left == 0 ? vault_epoch_destroy(x->m, epoch, err) : 0;
}

int
vault_deletion_queue(struct vault_ctx *x, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	char today[MM_TIME_STRLEN];
	json_t *due = json_array(), *reqs = json_array();
	int rc;

	*out = NULL;
	mm_time_format(mm_now_ms() + MM_LOCAL_OFFSET_MS, today);
	today[10] = '\0';
	if ((rc = store_prepare(x->st, "SELECT id, kind, name, retention_end FROM mn_subject WHERE state = 'active'"
	    " AND retention_end IS NOT NULL AND retention_end < $1 ORDER BY retention_end, id", &s, err)) != 0)
		goto fail;
	store_bind_text(s, "$1", today);
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(due, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)store_col_int(s, 0), "kind",
		    store_col_text(s, 1), "name", store_col_text(s, 2), "retention_end", store_col_text(s, 3)));
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if ((rc = store_prepare(x->st, "SELECT d.id, d.subject_id, s.name, d.reason, d.requested_by, d.requested_at,"
	    " d.approval_id FROM mn_deletion d JOIN mn_subject s ON s.id = d.subject_id WHERE d.state = 'pending' ORDER BY d.id", &s,
	    err)) != 0)
		goto fail;
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(reqs, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I}", "id",
		    (json_int_t)store_col_int(s, 0), "subject_id", (json_int_t)store_col_int(s, 1), "name",
		    store_col_text(s, 2), "reason", store_col_text(s, 3), "requested_by", store_col_text(s, 4),
		    "requested_at", store_col_text(s, 5), "approval_id", (json_int_t)store_col_int(s, 6)));
	store_finalize(s);
	if (rc < 0)
		goto fail;
	*out = json_pack("{s:o, s:o}", "due", due, "requests", reqs);
	return 0;
fail:
	json_decref(due);
	json_decref(reqs);
	return rc;
}
