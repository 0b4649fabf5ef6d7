/* libFuzzer target: ISO 8601 times (MAMORI_NOW, --since, checkpoint times). */
#include "base/time.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64], out[MM_TIME_STRLEN];
	int64_t ms, again;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (mm_time_parse(s, &ms) == 0) {
		/* formatting and parsing again is the identity */
		mm_time_format(ms, out);
		if (mm_time_parse(out, &again) != 0 || again != ms)
			__builtin_trap();
	}
	return 0;
}
