/*
 * PC・サーバ台帳 (002 第5条): flags a device whose screen lock waits longer than the profile allows
 * (ipa-sme 004 ch7 §3.2: 5 minutes; iso-regulations: PC 15, smart devices 1). Unset: no flag.
 */
#include "registers/hooks/hooks.h"

#include <string.h>

static int
smart(const char *kind)
{
	return kind && (strcmp(kind, "smartphone") == 0 || strcmp(kind, "tablet") == 0);
}

static int
before_save(struct reg_ctx *x, json_t *rec, const json_t *old, json_t *errors, struct mm_err *err)
{
	enum policy_key k = smart(hook_str(rec, "kind")) ? POLICY_DEVICE_SCREEN_LOCK_SMART : POLICY_DEVICE_SCREEN_LOCK_PC;
	int64_t minutes = hook_int(rec, "screen_lock_minutes", -1);

	(void)old;
	(void)errors;
	(void)err;
	if (minutes < 0 || policy_is_unset(x->m->md_policy, k))
		json_object_set_new(rec, "screen_lock_over_limit", json_null());
	else
		json_object_set_new(rec, "screen_lock_over_limit",
		    json_boolean(minutes * 60000 > policy_ms(x->m->md_policy, k)));
	return 0;
}

const struct reg_hooks reg_hooks_devices = {.name = "devices", .before_save = before_save};
