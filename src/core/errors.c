/* Lists of field errors (errors.h). */
#include "core/errors.h"

static const char *
get(const json_t *e, const char *key)
{
	return json_string_value(json_object_get(e, key));
}

void
mm_errors_add(json_t *errors, const char *field, const char *rule, const char *ja, const char *en)
{
	json_array_append_new(errors, json_pack("{s:s, s:s, s:s, s:s}", "field", field, "rule", rule, "message", en,
	    "message_ja", ja));
}

int
mm_err_from_entry(struct mm_err *err, const json_t *entry)
{
	return mm_err_input(err, get(entry, "field"), get(entry, "rule"), get(entry, "message_ja"), "%s",
	    get(entry, "message") ? get(entry, "message") : "");
}
