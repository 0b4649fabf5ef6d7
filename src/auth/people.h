/*
 * People (従業員等): who works for the company, with what employment type, since and until when,
 * and the personal details the password rules need. Sources: 004 ch5 §4, §6; 002 第10条.
 * Values travel as JSON objects, the same for the API and the CLI.
 */
#ifndef MM_PEOPLE_H
#define MM_PEOPLE_H

#include "core/mamori.h"

#include <jansson.h>

/*
 * Creates a person from a JSON object with employee_no, name, name_kana, employment_type and
 * optionally department, joined_on, left_on, nda_on, phone, birthday, email. Every bad field is
 * reported (the first in err; all in *errors when not NULL, as [{field, rule, message, message_ja}]).
 */
int people_create(struct mamori *m, struct store *st, const struct mm_actor *who, json_t *in,
    int64_t *id, json_t **errors, struct mm_err *err);

/* Changes the fields present in patch (null clears an optional one). Audited with field names. */
int people_update(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    json_t *patch, json_t **errors, struct mm_err *err);

/* One person as JSON (with "account_login" when an account exists), or MM_ENOTFOUND. */
int people_get(struct store *st, int64_t id, json_t **out, struct mm_err *err);

/* Everyone, by employee number. */
int people_list(struct store *st, json_t **out, struct mm_err *err);

/* The Japanese and English names of an employment type key, or NULL. */
const char *people_employment_label_ja(const char *key);

#endif
