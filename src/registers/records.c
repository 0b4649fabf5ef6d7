/*
 * Writing ledger records: check every field, let the ledger's hook compute and judge, then write
 * the row, its change history (異動: each field old → new) and the audit event in one transaction.
 * Nothing is written when any field is bad.
 */
#include "registers/rows.h"
#include "base/time.h"
#include "core/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
is_int(enum reg_type t)
{
	return t == REG_INTEGER || t == REG_BOOLEAN || t == REG_REF || t == REG_PERSON;
}

static void
bind_value(struct store_stmt *s, const char *name, const struct reg_field *f, const json_t *v)
{
	if (v == NULL || json_is_null(v))
		store_bind_null(s, name);
	else if (f->type == REG_BOOLEAN)
		store_bind_int(s, name, json_is_true(v));
	else if (is_int(f->type))
		store_bind_int(s, name, json_integer_value(v));
	else
		store_bind_text(s, name, json_string_value(v));
}

/* 1 when a row matches: "SELECT 1 FROM <table> WHERE <cond>" with $1 = value, $2 = except id. */
static int
exists(struct store *st, const char *sql, const struct reg_field *f, const json_t *v, int64_t except,
    int *yes, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	bind_value(s, "$1", f, v);
	store_bind_int(s, "$2", except);
	rc = store_step(s, err);
	store_finalize(s);
	*yes = rc == STORE_ROW;
	return rc < 0 ? rc : 0;
}

/* References that point nowhere, and values that must be unique. */
static int
check_links(struct reg_ctx *x, const json_t *rec, int64_t id, json_t *errors, struct mm_err *err)
{
	const struct reg_def *d = x->def;
	char sql[512];
	int rc, yes;

	for (size_t i = 0; i < d->nfields; i++) {
		const struct reg_field *f = &d->fields[i];
		const json_t *v = json_object_get(rec, f->name);

		if (json_is_null(v))
			continue;
		if (f->type == REG_REF || f->type == REG_PERSON) {
			snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE id = $1 AND id <> $2",
			    f->type == REG_REF ? registers_find(f->ref)->table : "person");
			if ((rc = exists(x->st, sql, f, v, 0, &yes, err)) != 0)
				return rc;
			if (!yes)
				reg_field_error(errors, f, "not_found", "選んだ記録がありません", "no such record");
		}
		if (f->unique) {
			snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE %s = $1 AND id <> $2", d->table, f->name);
			if ((rc = exists(x->st, sql, f, v, id, &yes, err)) != 0)
				return rc;
			if (yes)
				reg_field_error(errors, f, "unique", "同じ値がすでに登録されています", "is already in use");
		}
	}
	return 0;
}

/* unique_together: [[a, b], ...] — the combination must not be used by another record. */
static int
check_together(struct reg_ctx *x, const json_t *rec, int64_t id, json_t *errors, struct mm_err *err)
{
	const struct reg_def *d = x->def;
	size_t i, k;
	const json_t *set, *name;
	int rc;

	json_array_foreach(d->unique_together, i, set) {
		char sql[1024];
		size_t used = (size_t)snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE id <> $%zu", d->table,
		    json_array_size(set) + 1);
		struct store_stmt *s;
		int any_null = 0;

		json_array_foreach(set, k, name) {
			used += (size_t)snprintf(sql + used, sizeof(sql) - used, " AND %s = $%zu", json_string_value(name),
			    k + 1);
			any_null |= json_is_null(json_object_get(rec, json_string_value(name)));
		}
		if (any_null || used >= sizeof(sql))
			continue;
		if ((rc = store_prepare(x->st, sql, &s, err)) != 0)
			return rc;
		json_array_foreach(set, k, name) {
			char p[8];
			snprintf(p, sizeof(p), "$%zu", k + 1);
			bind_value(s, p, reg_field_find(d, json_string_value(name)),
			    json_object_get(rec, json_string_value(name)));
		}
		{
			char p[8];
			snprintf(p, sizeof(p), "$%zu", json_array_size(set) + 1);
			store_bind_int(s, p, id);
		}
		rc = store_step(s, err);
		store_finalize(s);
		if (rc < 0)
			return rc;
		if (rc == STORE_ROW) {
			const struct reg_field *last = reg_field_find(d, json_string_value(json_array_get(set,
			    json_array_size(set) - 1)));
			reg_field_error(errors, last, "unique", "同じ組み合わせがすでに登録されています",
			    "this combination is already in use");
		}
	}
	return 0;
}

/* The input, checked field by field, over the saved record (or an empty one). */
static json_t *
merge_input(struct reg_ctx *x, const json_t *old, json_t *input, json_t *errors)
{
	const struct reg_def *d = x->def;
	json_t *rec = json_object(), *v, *out, *refused = json_object();
	const char *key;

	for (size_t i = 0; i < d->nfields; i++)
		json_object_set(rec, d->fields[i].name,
		    old ? json_object_get(old, d->fields[i].name) : json_null());
	json_object_foreach(input, key, v) {
		const struct reg_field *f = reg_field_find(d, key);

		if (strcmp(key, "id") == 0 || strcmp(key, "created_at") == 0 || strcmp(key, "updated_at") == 0 ||
		    strcmp(key, "_labels") == 0)
			continue; /* a record read back from the API may be sent again */
		if (f == NULL) {
			char ja[160], en[160];
			snprintf(ja, sizeof(ja), "%.100s：この台帳にない項目です", key);
			snprintf(en, sizeof(en), "%.100s: not a field of this ledger", key);
			reg_error(errors, key, "unknown", ja, en);
			continue;
		}
		if (f->computed)
			continue;
		if (reg_value_from_json(f, v, &out, errors) == 0)
			json_object_set_new(rec, f->name, out);
		else
			json_object_set_new(refused, f->name, json_true()); /* one error per field is enough */
	}
	for (size_t i = 0; i < d->nfields; i++) {
		const struct reg_field *f = &d->fields[i];
		if (f->required && !f->computed && json_is_null(json_object_get(rec, f->name)) &&
		    (old == NULL || json_object_get(input, f->name)) && !json_object_get(refused, f->name))
			reg_field_error(errors, f, "required", "入力してください", "is required");
	}
	json_decref(refused);
	return rec;
}

/* [{field, old, new}] for the fields that differ. */
static json_t *
diff(const struct reg_def *d, const json_t *old, const json_t *rec)
{
	json_t *changes = json_array();

	for (size_t i = 0; i < d->nfields; i++) {
		const char *n = d->fields[i].name;
		json_t *a = old ? json_object_get(old, n) : json_null(), *b = json_object_get(rec, n);
		if (!json_equal(a, b) && !(old == NULL && json_is_null(b)))
			json_array_append_new(changes, json_pack("{s:s, s:O, s:O}", "field", n, "old", a, "new", b));
	}
	return changes;
}

static int
write_row(struct reg_ctx *x, int64_t id, const json_t *rec, const json_t *changes, const char *when,
    int64_t *out_id, struct mm_err *err)
{
	const struct reg_def *d = x->def;
	char sql[REG_SQL_MAX / 4], p[8], pt[8], pu[8], pid[8];
	size_t used, n = d->nfields;
	struct store_stmt *s;
	int rc;

	/* parameters: $1..$n the fields, then the time, the actor and the id */
	snprintf(pt, sizeof(pt), "$%zu", n + 1);
	snprintf(pu, sizeof(pu), "$%zu", n + 2);
	snprintf(pid, sizeof(pid), "$%zu", n + 3);
	if (id == 0) {
		used = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s (created_at, created_by, updated_at, updated_by",
		    d->table);
		for (size_t i = 0; i < d->nfields; i++)
			used += (size_t)snprintf(sql + used, sizeof(sql) - used, ", %s", d->fields[i].name);
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, ") VALUES (%s, %s, %s, %s", pt, pu, pt, pu);
		for (size_t i = 0; i < d->nfields; i++)
			used += (size_t)snprintf(sql + used, sizeof(sql) - used, ", $%zu", i + 1);
		snprintf(sql + used, sizeof(sql) - used, ")");
	} else {
		size_t k;
		const json_t *c;
		used = (size_t)snprintf(sql, sizeof(sql), "UPDATE %s SET updated_at = %s, updated_by = %s", d->table, pt,
		    pu);
		json_array_foreach(changes, k, c) {
			const char *n = json_string_value(json_object_get(c, "field"));
			for (size_t i = 0; i < d->nfields; i++)
				if (strcmp(d->fields[i].name, n) == 0)
					used += (size_t)snprintf(sql + used, sizeof(sql) - used, ", %s = $%zu", n, i + 1);
		}
		snprintf(sql + used, sizeof(sql) - used, " WHERE id = %s", pid);
	}
	if ((rc = store_prepare(x->st, sql, &s, err)) != 0)
		return rc;
	store_bind_text(s, pt, when);
	store_bind_text(s, pu, x->who->login);
	if (id)
		store_bind_int(s, pid, id);
	for (size_t i = 0; i < d->nfields; i++) {
		snprintf(p, sizeof(p), "$%zu", i + 1);
		bind_value(s, p, &d->fields[i], json_object_get(rec, d->fields[i].name));
	}
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	*out_id = id ? id : store_last_id(x->st);
	return 0;
}

/* The change history row and the audit event of one change. */
static int
record_change(struct reg_ctx *x, int64_t id, const char *action, const json_t *changes, const char *when,
    struct mm_err *err)
{
	struct store_stmt *s;
	char *text = json_dumps(changes, JSON_COMPACT), idtext[24], act[64], details[1024];
	json_t *names = json_array(), *det;
	const json_t *c;
	size_t i;
	int rc;

	if (text == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	if ((rc = store_prepare(x->st, "INSERT INTO register_change (register, record_id, at, actor, action, changes)"
	    " VALUES ($1, $2, $3, $4, $5, $6)", &s, err)) != 0) {
		free(text);
		json_decref(names);
		return rc;
	}
	store_bind_text(s, "$1", x->def->name);
	store_bind_int(s, "$2", id);
	store_bind_text(s, "$3", when);
	store_bind_text(s, "$4", x->who->login);
	store_bind_text(s, "$5", action);
	store_bind_text(s, "$6", text);
	rc = store_step(s, err);
	store_finalize(s);
	free(text);
	if (rc < 0) {
		json_decref(names);
		return rc;
	}
	/* the audit event names the fields, never their values (a ledger may hold personal data) */
	json_array_foreach(changes, i, c)
		json_array_append(names, json_object_get(c, "field"));
	det = json_pack("{s:s, s:o}", "register", x->def->name, "fields", names);
	text = json_dumps(det, JSON_COMPACT);
	json_decref(det);
	snprintf(details, sizeof(details), "%s", text ? text : "{}");
	free(text);
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	snprintf(act, sizeof(act), "register.%s", action);
	return mamori_audit(x->m, x->st, x->who, &(struct audit_event){.action = act, .target_type = x->def->name,
	    .target_id = idtext, .access = strcmp(action, "create") == 0 ? AUDIT_CREATE
	    : strcmp(action, "delete") == 0 ? AUDIT_DELETE : AUDIT_UPDATE, .outcome = "success",
	    .details = details}, NULL, err);
}

int
reg_save(struct reg_ctx *x, int64_t id, json_t *input, int64_t *out_id, json_t *errors, struct mm_err *err)
{
	json_t *old = NULL, *rec = NULL, *changes = NULL;
	size_t before = json_array_size(errors);
	char when[MM_TIME_STRLEN];
	int rc;

	if (!json_is_object(input)) {
		reg_error(errors, "", "type", "入力が正しくありません", "a record must be a JSON object");
		return mm_err_input(err, "", "type", "入力が正しくありません", "a record must be a JSON object");
	}
	if (id && (rc = reg_load(x, id, &old, err)) != 0)
		return rc;
	rec = merge_input(x, old, input, errors);
	if ((rc = check_links(x, rec, id, errors, err)) != 0 || (rc = check_together(x, rec, id, errors, err)) != 0)
		goto done;
	if (x->def->hooks && x->def->hooks->before_save &&
	    (rc = x->def->hooks->before_save(x, rec, old, errors, err)) != 0 && rc != MM_EINVAL)
		goto done;
	if (json_array_size(errors) > before) {
		rc = mm_err_from_entry(err, json_array_get(errors, before));
		goto done;
	}
	changes = diff(x->def, old, rec);
	if (id && json_array_size(changes) == 0) {
		*out_id = id;
		rc = 0;
		goto done;
	}
	mm_time_format(x->now_ms, when);
	if ((rc = write_row(x, id, rec, changes, when, out_id, err)) != 0 ||
	    (rc = reg_search_write(x, *out_id, old, rec, err)) != 0)
		goto done;
	if ((rc = record_change(x, *out_id, id ? "update" : "create", changes, when, err)) != 0)
		goto done;
	if (!id && x->def->hooks && x->def->hooks->after_create) {
		json_object_set_new(rec, "id", json_integer(*out_id));
		rc = x->def->hooks->after_create(x, rec, err);
	}
done:
	json_decref(old);
	json_decref(rec);
	json_decref(changes);
	return rc;
}

static int
finish(struct reg_ctx *x, int rc, json_t *errors, json_t **out_errors, struct mm_err *err)
{
	if (rc == 0)
		rc = store_commit(x->st, err);
	else
		store_rollback(x->st);
	if (out_errors && rc != 0 && json_array_size(errors) > 0)
		*out_errors = errors;
	else
		json_decref(errors);
	return rc;
}

int
reg_create(struct reg_ctx *x, json_t *input, int64_t *id, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	int rc;

	if (errors)
		*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	rc = reg_save(x, 0, input, id, errs, err);
	return finish(x, rc, errs, errors, err);
}

int
reg_update(struct reg_ctx *x, int64_t id, json_t *input, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	int64_t out;
	int rc;

	if (errors)
		*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	rc = reg_save(x, id, input, &out, errs, err);
	return finish(x, rc, errs, errors, err);
}

int
reg_delete(struct reg_ctx *x, int64_t id, struct mm_err *err)
{
	json_t *old = NULL, *changes = NULL, *none = json_object();
	struct store_stmt *s;
	char sql[128], when[MM_TIME_STRLEN];
	int rc;

	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(none);
		return rc;
	}
	if ((rc = reg_load(x, id, &old, err)) != 0)
		goto done;
	if (x->def->hooks && x->def->hooks->before_delete) {
		json_t *errs = json_array();
		rc = x->def->hooks->before_delete(x, old, errs, err);
		if (rc == 0 && json_array_size(errs) > 0)
			rc = mm_err_from_entry(err, json_array_get(errs, 0));
		json_decref(errs);
		if (rc != 0)
			goto done;
	}
	for (size_t i = 0; i < x->def->nfields; i++)
		json_object_set_new(none, x->def->fields[i].name, json_null());
	changes = diff(x->def, old, none);
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = $1", x->def->table);
	if ((rc = store_prepare(x->st, sql, &s, err)) != 0)
		goto done;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0 || (rc = reg_search_write(x, id, old, NULL, err)) != 0)
		goto done;
	mm_time_format(x->now_ms, when);
	rc = record_change(x, id, "delete", changes, when, err);
done:
	json_decref(old);
	json_decref(none);
	json_decref(changes);
	return finish(x, rc, json_array(), NULL, err);
}

int
reg_get(struct reg_ctx *x, int64_t id, json_t **out, struct mm_err *err)
{
	return reg_load(x, id, out, err);
}

int
reg_history(struct reg_ctx *x, int64_t id, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*out = NULL;
	if ((rc = store_prepare(x->st, "SELECT at, actor, action, changes FROM register_change"
	    " WHERE register = $1 AND record_id = $2 ORDER BY id", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", x->def->name);
	store_bind_int(s, "$2", id);
	*out = json_array();
	while ((rc = store_step(s, err)) == STORE_ROW) {
		json_t *c = json_loads(store_col_text(s, 3), 0, NULL);
		json_array_append_new(*out, json_pack("{s:s, s:s, s:s, s:o}", "at", store_col_text(s, 0), "actor",
		    store_col_text(s, 1), "action", store_col_text(s, 2), "changes", c ? c : json_array()));
	}
	store_finalize(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	if (json_array_size(*out) == 0) {
		json_t *rec;
		if ((rc = reg_load(x, id, &rec, err)) != 0) {
			json_decref(*out);
			*out = NULL;
			return rc;
		}
		json_decref(rec);
	}
	return 0;
}
