/* libFuzzer target: the policy profile parser (INI syntax and every value type). */
#include "policy/policy.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy *p = NULL;
	struct mm_err err;

	if (policy_parse((const char *)data, size, "fuzz.ini", &p, &err) == 0) {
		/* a profile that parses must answer every accessor */
		for (int k = 0; k < POLICY_KEY_COUNT; k++) {
			(void)policy_value_text(p, k);
			(void)policy_ms(p, k);
			(void)policy_add(0, policy_duration(p, k));
		}
		(void)policy_list_has(p, POLICY_ACCOUNT_PRIVILEGED_ROLES, "ceo");
		policy_free(p);
	}
	return 0;
}
