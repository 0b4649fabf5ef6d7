/* The hook sets of the ledgers with special behaviour, by the name their definitions give. */
#include "registers/hooks/hooks.h"

#include <string.h>

static const struct reg_hooks *const all[] = {
    &reg_hooks_assets,
    &reg_hooks_devices,
    &reg_hooks_user_ids,
    &reg_hooks_takeouts,
};

const struct reg_hooks *
reg_hooks_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}
