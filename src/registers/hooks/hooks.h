/* Special behaviour of single ledgers (docs/internals/registers.md, "hooks"). */
#ifndef MM_REGISTERS_HOOKS_H
#define MM_REGISTERS_HOOKS_H

#include "registers/registers.h"

extern const struct reg_hooks reg_hooks_assets;   /* importance, risk value, no My Number */
extern const struct reg_hooks reg_hooks_devices;  /* the screen-lock flag */
extern const struct reg_hooks reg_hooks_user_ids; /* an abolished id is never issued again */
extern const struct reg_hooks reg_hooks_takeouts; /* approval before the take-out, by class */

/* Helpers the hooks share. */
int64_t hook_int(const json_t *rec, const char *field, int64_t dflt);
const char *hook_str(const json_t *rec, const char *field);
void hook_error(json_t *errors, const struct reg_def *d, const char *field, const char *rule, const char *ja,
    const char *en);

#endif
