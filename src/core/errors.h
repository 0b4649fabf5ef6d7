/*
 * Lists of field errors, as every form-like input answers them: [{field, rule, message, message_ja}]
 * (the `errors` of a 422 problem). One shape for the people, ledgers, vault and workflow modules.
 */
#ifndef MM_CORE_ERRORS_H
#define MM_CORE_ERRORS_H

#include "base/err.h"

#include <jansson.h>

/* Appends {field, rule, message: en, message_ja: ja} to errors. */
void mm_errors_add(json_t *errors, const char *field, const char *rule, const char *ja, const char *en);

/* Fills err from one entry of such a list (field, rule and both messages); returns MM_EINVAL. */
int mm_err_from_entry(struct mm_err *err, const json_t *entry);

#endif
