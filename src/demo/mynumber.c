/*
 * The demo company's My Number vault: its employees, some dependants, a former employee past the
 * retention end (so the deletion queue has work), partners (one a company with a 法人番号) and a
 * shareholder. The numbers are made up with valid check digits; the handler (sasaki) gets every purpose
 * as scope. Everything goes through the vault, as a handler's collection would.
 */
#include "base/embed.h"
#include "base/time.h"
#include "demo/demo.h"
#include "vault/vault.h"

#include <stdio.h>
#include <string.h>

extern const struct mm_embedded mm_demo_data[];
extern const size_t mm_demo_data_count;

static int64_t
id_of(struct store *st, const char *sql, const char *key)
{
	struct store_stmt *s;
	int64_t id = 0;

	if (store_prepare(st, sql, &s, NULL) != 0)
		return 0;
	store_bind_text(s, "$1", key);
	if (store_step(s, NULL) == STORE_ROW)
		id = store_col_int(s, 0);
	store_finalize(s);
	return id;
}

int
demo_mynumber(struct mamori *m, const struct mm_actor *who, struct mm_err *err)
{
	const struct mm_embedded *e = mm_embedded_find(mm_demo_data, mm_demo_data_count, "mynumber.json");
	struct principal pr = {.pr_local_operator = 1};
	struct vault_ctx x = {.m = m, .st = m->md_store, .who = who, .pr = &pr, .started_ms = mm_now_ms()};
	json_t *all, *row, *by_employee = json_object(), *errors = NULL;
	size_t i;
	int rc = 0;

	if (e == NULL || (all = json_loadb((const char *)e->data, e->len, 0, NULL)) == NULL) {
		json_decref(by_employee);
		return mm_err_set(err, MM_EINVAL, "", "demo data mynumber.json is missing or broken");
	}
	json_array_foreach(all, i, row) {
		char person[16] = "", parent[16] = "";
		int64_t id;

		snprintf(person, sizeof(person), "%s", json_string_value(json_object_get(row, "person")) ?
		    json_string_value(json_object_get(row, "person")) : "");
		snprintf(parent, sizeof(parent), "%s", json_string_value(json_object_get(row, "parent")) ?
		    json_string_value(json_object_get(row, "parent")) : "");
		if (*person)
			json_object_set_new(row, "person_id", json_integer(id_of(m->md_store,
			    "SELECT id FROM person WHERE employee_no = $1", person)));
		if (*parent)
			json_object_set(row, "parent_id", json_object_get(by_employee, parent));
		json_object_del(row, "person");
		json_object_del(row, "parent");
		if ((rc = vault_subject_create(&x, row, &id, &errors, err)) != 0)
			break;
		if (*person)
			json_object_set_new(by_employee, person, json_integer(id));
	}
	json_decref(errors);
	json_decref(all);
	json_decref(by_employee);
	if (rc == 0) {
		/* the handler's scope: every purpose of the profile */
		json_t *purposes = vault_purposes(m), *codes = json_array(), *p;
		int64_t handler = id_of(m->md_store, "SELECT id FROM account WHERE login = $1", "sasaki");
		json_array_foreach(purposes, i, p)
			json_array_append(codes, json_object_get(p, "code"));
		if (handler)
			rc = vault_scope_set(&x, handler, codes, &errors, err);
		json_decref(errors);
		json_decref(purposes);
		json_decref(codes);
	}
	return rc;
}
