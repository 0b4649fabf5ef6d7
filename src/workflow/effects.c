/*
 * The effects of decisions (effects.h): one row per request type that acts when it is decided.
 */
#include "workflow/effects.h"
#include "workflow/approvals.h"
#include "auth/account.h"
#include "base/time.h"
#include "core/errors.h"
#include "vault/vault.h"

#include <stdio.h>
#include <string.h>

struct effect {
	const char *type;
	int module_only;
	int (*check)(struct effect_ctx *c, json_t *payload, struct mm_err *err);
	int (*close)(struct effect_ctx *c, const char *outcome, json_t *payload, json_t **result,
	    struct mm_err *err);
	int (*after)(struct effect_ctx *c, json_t *result, struct mm_err *err);
};

static struct vault_ctx
vault_of(struct effect_ctx *c)
{
	return (struct vault_ctx){
	    .m = c->m, .st = c->st, .who = c->who, .pr = c->pr, .started_ms = c->now};
}

/* The payload's field errors as one MM_EINVAL naming the first ("payload.FIELD"). */
static int
first_error(json_t *errs, struct mm_err *err)
{
	int rc = json_array_size(errs) ? mm_err_from_entry(err, json_array_get(errs, 0)) : 0;

	json_decref(errs);
	return rc;
}

/* ---- account_issuance: {person_id, login, roles} (004 ch5 §3) ---- */

static int
account_check(struct effect_ctx *c, json_t *payload, struct mm_err *err)
{
	return account_issue_check(c->m, c->st, payload, err);
}

static int
account_close(struct effect_ctx *c, const char *outcome, json_t *payload, json_t **result,
    struct mm_err *err)
{
	json_t *acc = NULL;
	int rc;

	if (strcmp(outcome, "approved") != 0)
		return 0;
	if ((rc = account_issue_approved(c->m, c->st, c->pr, c->who, payload, &acc, err)) != 0)
		return rc;
	*result = json_pack("{s:o}", "account", acc);
	return 0;
}

/* ---- mynumber_it_access: {login, reason, ends_at} (003 §7.1) ---- */

static int
grant_check(struct effect_ctx *c, json_t *payload, struct mm_err *err)
{
	struct vault_ctx x = vault_of(c);
	json_t *errs = json_array();
	int rc;

	/* IT staff usually ask for themselves */
	if (json_object_get(payload, "login") == NULL)
		json_object_set_new(payload, "login", json_string(c->who->login));
	if ((rc = vault_grant_check(&x, payload, errs, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	return first_error(errs, err);
}

static int
grant_close(struct effect_ctx *c, const char *outcome, json_t *payload, json_t **result,
    struct mm_err *err)
{
	struct vault_ctx x = vault_of(c);
	int64_t id;
	int rc;

	if (strcmp(outcome, "approved") != 0)
		return 0;
	/* checked again: the end may have passed, or the account changed, while it waited */
	if ((rc = grant_check(c, payload, err)) != 0 ||
	    (rc = vault_grant_insert(&x, payload, c->request_id, &id, err)) != 0)
		return rc;
	*result = json_pack("{s:{s:I, s:O, s:O}}", "grant", "id", (json_int_t)id, "login",
	    json_object_get(payload, "login"), "ends_at", json_object_get(payload, "ends_at"));
	return 0;
}

/* ---- mynumber_deletion: {deletion_id, subject_id} (004 ch4 §2.11; 003 §6.5) ---- */

static int
deletion_close(struct effect_ctx *c, const char *outcome, json_t *payload, json_t **result,
    struct mm_err *err)
{
	struct vault_ctx x = vault_of(c);
	char epoch[8];
	int rc;

	if ((rc = vault_deletion_close(&x, json_integer_value(json_object_get(payload, "deletion_id")),
	         outcome, c->comment, epoch, err)) != 0)
		return rc;
	*result = json_pack("{s:{s:O, s:O, s:s}, s:s}", "deletion", "id",
	    json_object_get(payload, "deletion_id"), "subject_id", json_object_get(payload, "subject_id"),
	    "state", strcmp(outcome, "approved") == 0 ? "done" : "rejected", "_epoch", epoch);
	return 0;
}

static int
deletion_after(struct effect_ctx *c, json_t *result, struct mm_err *err)
{
	struct vault_ctx x = vault_of(c);
	int rc = vault_deletion_after(&x, json_string_value(json_object_get(result, "_epoch")), err);

	json_object_del(result, "_epoch");
	return rc;
}

static const struct effect effects[] = {
    {"account_issuance", 0, account_check, account_close, NULL},
    {"mynumber_it_access", 0, grant_check, grant_close, NULL},
    {"mynumber_deletion", 1, NULL, deletion_close, deletion_after},
};

static const struct effect *
effect_of(const char *type)
{
	for (size_t i = 0; i < sizeof(effects) / sizeof(effects[0]); i++)
		if (strcmp(effects[i].type, type) == 0)
			return &effects[i];
	return NULL;
}

int
effect_module_only(const char *type)
{
	const struct effect *e = effect_of(type);

	return e && e->module_only;
}

int
effect_check(struct effect_ctx *c, const char *type, json_t *payload, struct mm_err *err)
{
	const struct effect *e = effect_of(type);

	if (e == NULL || e->check == NULL)
		return 0;
	if (!json_is_object(payload) || json_object_size(payload) == 0)
		return mm_err_input(err, "payload", "required", "申請の内容（payload）を入力してください",
		    "this request type needs its payload");
	return e->check(c, payload, err);
}

int
effect_close(struct effect_ctx *c, const char *type, const char *outcome, json_t *payload,
    json_t **result, struct mm_err *err)
{
	const struct effect *e = effect_of(type);

	*result = NULL;
	return e && e->close ? e->close(c, outcome, payload, result, err) : 0;
}

int
effect_after(struct effect_ctx *c, const char *type, json_t *result, struct mm_err *err)
{
	const struct effect *e = effect_of(type);

	return e && e->after && result ? e->after(c, result, err) : 0;
}

int
approval_mynumber_deletion(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, int64_t subject_id, json_t *in, int64_t *deletion_id,
    int64_t *request_id, json_t **errors, struct mm_err *err)
{
	struct vault_ctx x = {.m = m, .st = st, .who = who, .pr = pr, .started_ms = now};
	char subject[48], title[120];
	json_t *payload = NULL;
	int rc;

	*errors = NULL;
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = vault_deletion_request(&x, subject_id, in, deletion_id, errors, err)) != 0)
		goto fail;
	snprintf(subject, sizeof(subject), "mynumber:deletion:%lld", (long long)*deletion_id);
	snprintf(title, sizeof(title), "特定個人情報の削除（対象者 %lld）", (long long)subject_id);
	payload = json_pack("{s:I, s:I}", "deletion_id", (json_int_t)*deletion_id, "subject_id",
	    (json_int_t)subject_id);
	struct approval_new n = {.type = "mynumber_deletion", .subject = subject, .title = title,
	    .detail = json_string_value(json_object_get(in, "reason")), .payload = payload,
	    .from_module = 1};
	if ((rc = approval_request_tx(m, st, pr, who, now, &n, request_id, err)) != 0 ||
	    (rc = vault_deletion_link(&x, *deletion_id, *request_id, err)) != 0 ||
	    (rc = store_commit(st, err)) != 0)
		goto fail;
	json_decref(payload);
	return 0;
fail:
	store_rollback(st);
	json_decref(payload);
	return rc;
}
