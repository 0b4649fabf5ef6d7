/*
 * ユーザID台帳 (002 第10条; 001 アカウント管理台帳): an id is never issued twice on a system
 * (002 第10条4). The pair (system, login) is unique, an id is abolished by its date rather than
 * deleted, and an abolished id stays abolished: it cannot be renamed, reopened or removed.
 */
#include "registers/hooks/hooks.h"

#include <string.h>

static int
same(const json_t *a, const json_t *b, const char *field)
{
	return json_equal(json_object_get(a, field), json_object_get(b, field));
}

static int
before_save(struct reg_ctx *x, json_t *rec, const json_t *old, json_t *errors, struct mm_err *err)
{
	(void)err;
	if (old == NULL || !json_is_string(json_object_get(old, "abolished_on")))
		return 0;
	if (!same(old, rec, "system") || !same(old, rec, "login"))
		hook_error(errors, x->def, "login", "abolished", "廃止したIDは変更できません（再発行はできません）",
		    "an abolished id cannot be changed or issued again");
	if (!json_is_string(json_object_get(rec, "abolished_on")))
		hook_error(errors, x->def, "abolished_on", "abolished", "廃止したIDを元に戻すことはできません",
		    "an abolished id cannot be brought back");
	return 0;
}

static int
before_delete(struct reg_ctx *x, const json_t *old, json_t *errors, struct mm_err *err)
{
	(void)old;
	(void)err;
	hook_error(errors, x->def, "abolished_on", "keep", "ユーザIDは削除せず、廃止日を記入してください",
	    "user ids are never deleted (that would allow reissue); enter the abolition date instead");
	return 0;
}

const struct reg_hooks reg_hooks_user_ids = {.name = "user_ids", .before_save = before_save,
    .before_delete = before_delete};
