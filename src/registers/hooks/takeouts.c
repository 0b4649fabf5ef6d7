/*
 * 持出簿 (003 §6.4; 004 ch3 §2): a take-out needs an approval recorded before the take-out time,
 * from the role the profile names for the item's class (ipa-sme: 社外秘 → dept_head, 極秘 → ceo,
 * 特定個人情報 → mynumber_manager). Saving a new take-out asks for that approval on the engine (a
 * takeout request of the item's class, due on the planned date); the approver decides it there or
 * with reg_decide.
 */
#include "registers/hooks/hooks.h"
#include "base/str.h"
#include "base/time.h"
#include "workflow/approvals.h"

#include <stdio.h>

#include <string.h>

static enum policy_key
key_of(const char *cls)
{
	if (cls && strcmp(cls, "secret") == 0)
		return POLICY_TAKEOUT_APPROVER_SECRET;
	if (cls && strcmp(cls, "mynumber") == 0)
		return POLICY_TAKEOUT_APPROVER_MYNUMBER;
	return POLICY_TAKEOUT_APPROVER_CONFIDENTIAL;
}

static unsigned
approver_roles(struct reg_ctx *x, const json_t *rec)
{
	unsigned roles = 0;
	enum policy_key k = key_of(hook_str(rec, "item_class"));

	for (int r = 0; r < ROLE_COUNT; r++)
		if (policy_list_has(x->m->md_policy, k, role_key((enum role)r)))
			roles |= 1u << r;
	return roles;
}

static int
before_save(struct reg_ctx *x, json_t *rec, const json_t *old, json_t *errors, struct mm_err *err)
{
	int64_t id = old ? json_integer_value(json_object_get(old, "id")) : 0, at = 0, out_ms;
	const char *out = hook_str(rec, "takeout_time"), *back = hook_str(rec, "returned_time");
	char by[64] = "", when[MM_TIME_STRLEN];
	int rc;

	if (id && (rc = reg_approved(x, id, approver_roles(x, rec), &at, by, sizeof(by), err)) != 0)
		return rc;
	if (at) {
		mm_time_format(at - at % 1000, when);
		strcpy(when + 19, "Z");
		json_object_set_new(rec, "approval_time", json_string(when));
		json_object_set_new(rec, "approver", json_string(by));
	} else {
		json_object_set_new(rec, "approval_time", json_null());
		json_object_set_new(rec, "approver", json_null());
	}
	if (out && mm_time_parse(out, &out_ms) == 0) {
		if (at == 0)
			hook_error(errors, x->def, "takeout_time", "approval",
			    "持ち出す前に承認を受けてください（承認の記録がありません）",
			    "an approval must be recorded before the take-out");
		else if (at > out_ms)
			hook_error(errors, x->def, "takeout_time", "approval_after",
			    "承認より前の日時は持出日時にできません", "the take-out cannot be earlier than its approval");
	}
	if (back && !out)
		hook_error(errors, x->def, "returned_time", "not_taken_out", "持ち出していない物は返却できません",
		    "nothing was taken out");
	else if (back && out && strcmp(back, out) < 0)
		hook_error(errors, x->def, "returned_time", "before_takeout", "返却日時は持出日時より後にしてください",
		    "the return must be after the take-out");
	return 0;
}

/* A new take-out asks its approver at once: the engine's request of the record. */
static int
after_create(struct reg_ctx *x, const json_t *rec, struct mm_err *err)
{
	const char *no = hook_str(rec, "takeout_no"), *item = hook_str(rec, "item");
	char subject[64], title[1024];

	if (approver_roles(x, rec) == 0)
		return 0;
	snprintf(subject, sizeof(subject), "register:takeouts:%lld", (long long)hook_int(rec, "id", 0));
	snprintf(title, sizeof(title), "持出 %s%s%s%s", no ? no : "", item && *item ? "（" : "", item && *item ? item : "",
	    item && *item ? "）" : "");
	mm_utf8_cut(title, APPROVAL_TITLE_MAX);
	struct approval_new n = {.type = "takeout", .cls = hook_str(rec, "item_class"), .subject = subject,
	    .title = title, .due_on = hook_str(rec, "planned_takeout")};
	return approval_request_tx(x->m, x->st, x->pr, x->who, x->now_ms, &n, NULL, err);
}

const struct reg_hooks reg_hooks_takeouts = {.name = "takeouts", .before_save = before_save,
    .approver_roles = approver_roles, .after_create = after_create};
