/* Small helpers every hook uses. */
#include "registers/hooks/hooks.h"


int64_t
hook_int(const json_t *rec, const char *field, int64_t dflt)
{
	const json_t *v = json_object_get(rec, field);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

const char *
hook_str(const json_t *rec, const char *field)
{
	return json_string_value(json_object_get(rec, field));
}

void
hook_error(json_t *errors, const struct reg_def *d, const char *field, const char *rule, const char *ja,
    const char *en)
{
	const struct reg_field *f = reg_field_find(d, field);

	if (f)
		reg_field_error(errors, f, rule, ja, en);
	else
		reg_error(errors, field, rule, ja, en);
}
