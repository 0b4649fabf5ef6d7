/* /api/accounts: mamori's own accounts, and /api/roles. */
#include "api/api.h"
#include "auth/mfa.h"

void
api_accounts_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out;

	if (api_begin(ctx, req, res, PERM_ACCOUNTS_READ, &c) != 0)
		return;
	if (account_list(ctx->hc_m, ctx->hc_store, &out, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, json_pack("{s:o}", "items", out));
	api_end(&c);
}

void
api_accounts_get(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out;
	int64_t id;

	if (api_id_param(req, 0, res, &id) != 0 || api_begin(ctx, req, res, PERM_ACCOUNTS_READ, &c) != 0)
		return;
	if (account_get(ctx->hc_m, ctx->hc_store, id, &out, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, out);
	api_end(&c);
}

void
api_accounts_create(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out, *errors = NULL;

	/* PERM_SELF here; account_issue itself checks the profile's issuance approvers */
	if (api_begin(ctx, req, res, PERM_ACCOUNTS_ISSUE, &c) != 0)
		return;
	if (account_issue(ctx->hc_m, ctx->hc_store, &c.ac_pr, &c.ac_who, c.ac_body, &out, &errors, &err) != 0)
		api_fail(res, &err, errors);
	else
		http_json(res, 201, out);
	api_end(&c);
}

/* The actions on one account: reset-password, disable, unlock, mfa-reset. */
static void
account_action(struct http_ctx *ctx, struct http_request *req, struct http_response *res,
    const char *what)
{
	struct api_call c;
	struct mm_err err = {0};
	char pw[ACCOUNT_ONE_TIME_PASSWORD_LEN + 1];
	int64_t id;
	int rc;

	if (api_id_param(req, 0, res, &id) != 0 || api_begin(ctx, req, res, PERM_ACCOUNTS_MANAGE, &c) != 0)
		return;
	if (id == c.ac_si.si_account_id) {
		mm_err_set(&err, MM_EPERM, "id", "use your own session to manage your own account");
		http_problem_err(res, &err);
		api_end(&c);
		return;
	}
	if (what[0] == 'r') {
		rc = account_reset_password(ctx->hc_m, ctx->hc_store, &c.ac_who, id, pw, &err);
		if (rc == 0)
			http_json(res, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "password", pw));
		mm_wipe(pw, sizeof(pw));
	} else if (what[0] == 'd') {
		rc = account_disable(ctx->hc_m, ctx->hc_store, &c.ac_who, id,
		    json_string_value(json_object_get(c.ac_body, "reason")), &err);
	} else if (what[0] == 'u') {
		rc = account_unlock(ctx->hc_m, ctx->hc_store, &c.ac_who, id, &err);
	} else {
		rc = mfa_reset(ctx->hc_m, ctx->hc_store, &c.ac_who, id, &err);
	}
	if (rc != 0) {
		http_problem_err(res, &err);
	} else if (what[0] != 'r') {
		json_t *out;
		if (account_get(ctx->hc_m, ctx->hc_store, id, &out, &err) != 0)
			http_problem_err(res, &err);
		else
			http_json(res, 200, out);
	}
	api_end(&c);
}

void
api_accounts_reset_password(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	account_action(ctx, req, res, "reset");
}

void
api_accounts_disable(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	account_action(ctx, req, res, "disable");
}

void
api_accounts_unlock(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	account_action(ctx, req, res, "unlock");
}

void
api_accounts_mfa_reset(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	account_action(ctx, req, res, "mfa");
}

void
api_accounts_roles(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	struct mm_err err = {0};
	json_t *out;
	int64_t id;

	if (api_id_param(req, 0, res, &id) != 0 || api_begin(ctx, req, res, PERM_ROLES_ASSIGN, &c) != 0)
		return;
	if (account_set_roles(ctx->hc_m, ctx->hc_store, &c.ac_pr, &c.ac_who, id,
	    json_object_get(c.ac_body, "roles"), &err) != 0 ||
	    account_get(ctx->hc_m, ctx->hc_store, id, &out, &err) != 0)
		http_problem_err(res, &err);
	else
		http_json(res, 200, out);
	api_end(&c);
}

void
api_roles_list(struct http_ctx *ctx, struct http_request *req, struct http_response *res)
{
	struct api_call c;
	json_t *items = json_array();

	if (api_begin(ctx, req, res, PERM_SELF, &c) != 0) {
		json_decref(items);
		return;
	}
	for (int r = 0; r < ROLE_COUNT; r++) {
		json_t *perms = json_array();
		for (int p = 1; p < PERM_COUNT; p++)
			if (authz_role_has((enum role)r, (enum perm)p, ctx->hc_m->md_policy))
				json_array_append_new(perms, json_string(perm_key((enum perm)p)));
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b, s:o}", "key",
		    role_key((enum role)r), "label", role_label_ja((enum role)r), "label_en",
		    role_label_en((enum role)r), "privileged",
		    roles_privileged(ctx->hc_m->md_policy, 1u << r), "permissions", perms));
	}
	http_json(res, 200, json_pack("{s:o}", "items", items));
	api_end(&c);
}
