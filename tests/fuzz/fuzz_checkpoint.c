/* libFuzzer target: the audit checkpoint text a person brings back from paper or another machine. */
#include "audit/audit.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_checkpoint cp;
	struct mm_err err;
	char out[512];

	if (audit_checkpoint_parse((const char *)data, size, &cp, &err) == 0) {
		(void)audit_checkpoint_check_signature(&cp);
		if (audit_checkpoint_format(&cp, out, sizeof(out)) != 0)
			__builtin_trap(); /* anything parsed must print again */
	}
	return 0;
}
