/*
 * Ledger definitions: parsed from the JSON files compiled in from src/registers/defs/, checked
 * once at start so that a mistake in a definition stops the program with its name and field,
 * never a request later.
 */
#include "registers/rows.h"
#include "base/embed.h"
#include "workflow/approvals.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

extern const struct mm_embedded mm_register_defs[];
extern const size_t mm_register_defs_count;

#define MAX_REGISTERS 64

static struct reg_def defs[MAX_REGISTERS];
static size_t ndefs;
static int load_rc;
static struct mm_err load_err;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static const struct {
	const char *name;
	enum reg_type type;
} types[] = {
    {"text", REG_TEXT}, {"textarea", REG_TEXTAREA}, {"integer", REG_INTEGER},
    {"boolean", REG_BOOLEAN}, {"date", REG_DATE}, {"datetime", REG_DATETIME},
    {"enum", REG_ENUM}, {"ref", REG_REF}, {"person", REG_PERSON},
};

/* Names a field may not have: SQL words (SQLite or PostgreSQL) and the list's query parameters. */
static const char *const reserved[] = {"all", "and", "as", "asc", "between", "by", "case", "check", "column",
    "create", "cross", "current_date", "current_time", "current_user", "default", "delete", "desc", "distinct",
    "do", "drop", "else", "end", "except", "exists", "foreign", "from", "full", "group", "having", "in",
    "index", "inner", "insert", "intersect", "into", "is", "join", "key", "left", "like", "limit", "natural",
    "not", "null", "offset", "on", "or", "order", "outer", "primary", "references", "right", "select", "set",
    "table", "then", "to", "union", "unique", "update", "user", "using", "values", "when", "where", "with",
    /* and the list's query parameters */
    "q", "sort", "page", "per_page", "format", "encoding"};

static int
ident_ok(const char *s)
{
	for (size_t i = 0; s && i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(s, reserved[i]) == 0)
			return 0;
	if (s == NULL || *s < 'a' || *s > 'z' || strlen(s) > 40)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
label(const json_t *o, const char **ja, const char **en)
{
	const json_t *l = json_object_get(o, "label");

	*ja = str(l, "ja");
	*en = str(l, "en");
	return *ja && *en && **ja && **en;
}

static int
roles_of(const json_t *a, unsigned *out)
{
	size_t i;
	const json_t *v;

	*out = 0;
	if (!json_is_array(a))
		return -1;
	json_array_foreach(a, i, v) {
		int r = role_from_key(json_string_value(v));
		if (r < 0)
			return -1;
		*out |= 1u << r;
	}
	return 0;
}

static int
parse_choices(const json_t *a, struct reg_field *f)
{
	size_t i;
	const json_t *c;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return -1;
	if ((f->choices = calloc(json_array_size(a), sizeof(*f->choices))) == NULL)
		return -1;
	f->nchoices = json_array_size(a);
	json_array_foreach(a, i, c) {
		const json_t *v = json_object_get(c, "value");
		struct reg_choice *ch = &f->choices[i];

		ch->ja = str(c, "ja");
		ch->en = str(c, "en");
		if (json_is_string(v) && f->type == REG_ENUM) {
			ch->value = json_string_value(v);
		} else if (json_is_integer(v) && f->type == REG_INTEGER) {
			snprintf(ch->num, sizeof(ch->num), "%lld", (long long)json_integer_value(v));
			ch->value = ch->num;
		} else {
			return -1;
		}
		if (ch->ja == NULL || ch->en == NULL)
			return -1;
	}
	return 0;
}

static int
parse_field(const json_t *o, struct reg_field *f, struct mm_err *err)
{
	const char *type = str(o, "type");
	const json_t *v;
	size_t n;

	f->name = str(o, "name");
	n = f->name ? strlen(f->name) : 0;
	if (!ident_ok(f->name) || strcmp(f->name, "id") == 0 ||
	    (n >= 3 && (strcmp(f->name + n - 3, "_at") == 0 || strcmp(f->name + n - 3, "_by") == 0)))
		return mm_err_set(err, MM_EINVAL, "name", "bad field name '%s'", f->name ? f->name : "");
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (type && strcmp(type, types[i].name) == 0)
			goto typed;
	return mm_err_set(err, MM_EINVAL, f->name, "field %s: unknown type '%s'", f->name, type ? type : "");
typed:
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i].name) == 0)
			f->type = types[i].type;
	if (!label(o, &f->label_ja, &f->label_en))
		return mm_err_set(err, MM_EINVAL, f->name, "field %s: label needs ja and en", f->name);
	f->required = json_is_true(json_object_get(o, "required"));
	f->unique = json_is_true(json_object_get(o, "unique"));
	f->computed = json_is_true(json_object_get(o, "computed"));
	f->format = str(o, "format");
	f->ref = str(o, "ref");
	if ((v = json_object_get(o, "min")) && json_is_integer(v)) {
		f->has_min = 1;
		f->min = json_integer_value(v);
	}
	if ((v = json_object_get(o, "max")) && json_is_integer(v)) {
		f->has_max = 1;
		f->max = json_integer_value(v);
	}
	f->maxlen = f->type == REG_TEXTAREA ? 4000 : 200;
	if ((f->type == REG_TEXT || f->type == REG_TEXTAREA) && f->has_max && f->max > 0)
		f->maxlen = (size_t)f->max;
	if (f->format && strcmp(f->format, "mac") && strcmp(f->format, "ipv4") && strcmp(f->format, "email") &&
	    strcmp(f->format, "url"))
		return mm_err_set(err, MM_EINVAL, f->name, "field %s: unknown format '%s'", f->name, f->format);
	if (f->type == REG_REF && !ident_ok(f->ref))
		return mm_err_set(err, MM_EINVAL, f->name, "field %s: ref names no ledger", f->name);
	if ((v = json_object_get(o, "choices")) != NULL &&
	    parse_choices(v, f) != 0)
		return mm_err_set(err, MM_EINVAL, f->name, "field %s: choices need value, ja and en", f->name);
	if (f->type == REG_ENUM && f->nchoices == 0)
		return mm_err_set(err, MM_EINVAL, f->name, "field %s: an enum needs choices", f->name);
	return 0;
}

/* A NULL-terminated array of field names from a JSON array; each must name a field. */
static int
names_of(const struct reg_def *d, const json_t *a, const char ***out, const char *what, struct mm_err *err)
{
	size_t i;
	const json_t *v;

	*out = calloc(json_array_size(a) + 1, sizeof(**out));
	if (*out == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	json_array_foreach(a, i, v) {
		const char *name = json_string_value(v);
		if (reg_field_find(d, name) == NULL)
			return mm_err_set(err, MM_EINVAL, what, "%s: '%s' is not a field", what, name ? name : "");
		(*out)[i] = name;
	}
	return 0;
}

/* "approvals": [{type: an engine request type, by: a person field, on: a date field or absent}]. */
static int
approvals_of(struct reg_def *d, const json_t *a, struct mm_err *err)
{
	const json_t *e;
	size_t i;

	if (a == NULL)
		return 0;
	if (!json_is_array(a))
		return mm_err_set(err, MM_EINVAL, "approvals", "ledger %s: approvals is a list", d->name);
	json_array_foreach(a, i, e) {
		const struct reg_field *by = reg_field_find(d, str(e, "by") ? str(e, "by") : ""),
		    *on = str(e, "on") ? reg_field_find(d, str(e, "on")) : NULL;
		if (str(e, "type") == NULL || approval_type_find(str(e, "type")) == NULL)
			return mm_err_set(err, MM_EINVAL, "approvals", "ledger %s: approvals[%zu].type is no request type",
			    d->name, i);
		if (by == NULL || by->type != REG_PERSON || (str(e, "on") && (on == NULL || on->type != REG_DATE)))
			return mm_err_set(err, MM_EINVAL, "approvals",
			    "ledger %s: approvals[%zu] needs by (a person field) and on (a date field, optional)", d->name, i);
	}
	d->approvals = a;
	return 0;
}

int
reg_def_parse(json_t *j, struct reg_def *d, struct mm_err *err)
{
	const json_t *fields = json_object_get(j, "fields"), *perms = json_object_get(j, "permissions"), *v;
	size_t i;
	int rc;

	memset(d, 0, sizeof(*d));
	d->json = j;
	d->name = str(j, "name");
	if (!ident_ok(d->name))
		return mm_err_set(err, MM_EINVAL, "name", "a ledger needs a name of a-z, 0-9 and _");
	snprintf(d->table, sizeof(d->table), "reg_%s", d->name);
	if (!label(j, &d->label_ja, &d->label_en))
		return mm_err_set(err, MM_EINVAL, "label", "ledger %s: label needs ja and en", d->name);
	d->source = str(j, "source");
	if (roles_of(json_object_get(perms, "read"), &d->read_roles) != 0 ||
	    roles_of(json_object_get(perms, "write"), &d->write_roles) != 0)
		return mm_err_set(err, MM_EINVAL, "permissions", "ledger %s: permissions.read and .write must list roles",
		    d->name);
	d->read_roles |= d->write_roles;
	if (!json_is_array(fields) || json_array_size(fields) == 0 || json_array_size(fields) > 120)
		return mm_err_set(err, MM_EINVAL, "fields", "ledger %s: 1 to 120 fields", d->name);
	if ((d->fields = calloc(json_array_size(fields), sizeof(*d->fields))) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	d->nfields = json_array_size(fields);
	json_array_foreach(fields, i, v) {
		rc = parse_field(v, &d->fields[i], err);
		if (rc != 0) {
			struct mm_err inner = *err;
			return mm_err_set(err, rc, inner.field, "ledger %s: %s", d->name, inner.msg);
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(d->fields[k].name, d->fields[i].name) == 0)
				return mm_err_set(err, MM_EINVAL, "fields", "ledger %s: field %s twice", d->name,
				    d->fields[i].name);
	}
	d->title = str(j, "title");
	if (d->title == NULL || reg_field_find(d, d->title) == NULL)
		return mm_err_set(err, MM_EINVAL, "title", "ledger %s: title must name a field", d->name);
	d->sort = str(j, "sort");
	if (d->sort == NULL)
		d->sort = d->title;
	if (reg_field_find(d, d->sort[0] == '-' ? d->sort + 1 : d->sort) == NULL)
		return mm_err_set(err, MM_EINVAL, "sort", "ledger %s: sort must name a field", d->name);
	if ((rc = names_of(d, json_object_get(j, "search"), &d->search, "search", err)) != 0 ||
	    (rc = names_of(d, json_object_get(j, "filters"), &d->filters, "filters", err)) != 0 ||
	    (rc = names_of(d, json_object_get(j, "list"), &d->list, "list", err)) != 0)
		return rc;
	for (i = 0; d->filters[i]; i++)
		((struct reg_field *)reg_field_find(d, d->filters[i]))->indexed = 1;
	((struct reg_field *)reg_field_find(d, d->sort[0] == '-' ? d->sort + 1 : d->sort))->indexed = 1;
	for (i = 0; i < d->nfields; i++)
		if (d->fields[i].unique || d->fields[i].type == REG_REF || d->fields[i].type == REG_PERSON)
			d->fields[i].indexed = 1;
	d->unique_together = json_object_get(j, "unique_together");
	if ((rc = approvals_of(d, json_object_get(j, "approvals"), err)) != 0)
		return rc;
	if (str(j, "hooks") && (d->hooks = reg_hooks_find(str(j, "hooks"))) == NULL)
		return mm_err_set(err, MM_EINVAL, "hooks", "ledger %s: no hooks named %s", d->name, str(j, "hooks"));
	return 0;
}

void
reg_def_free(struct reg_def *d)
{
	for (size_t i = 0; d->fields && i < d->nfields; i++)
		free(d->fields[i].choices);
	free(d->fields);
	free(d->search);
	free(d->filters);
	free(d->list);
	json_decref(d->json);
	memset(d, 0, sizeof(*d));
}

const struct reg_field *
reg_field_find(const struct reg_def *d, const char *name)
{
	for (size_t i = 0; name && i < d->nfields; i++)
		if (strcmp(d->fields[i].name, name) == 0)
			return &d->fields[i];
	return NULL;
}

static void
load_all(void)
{
	for (size_t i = 0; i < mm_register_defs_count && ndefs < MAX_REGISTERS; i++) {
		json_error_t je;
		json_t *j = json_loadb((const char *)mm_register_defs[i].data, mm_register_defs[i].len,
		    JSON_REJECT_DUPLICATES, &je);
		if (j == NULL) {
			load_rc = mm_err_set(&load_err, MM_EINVAL, "", "ledger definition %s: line %d: %s",
			    mm_register_defs[i].path, je.line, je.text);
			return;
		}
		if ((load_rc = reg_def_parse(j, &defs[ndefs], &load_err)) != 0) {
			reg_def_free(&defs[ndefs]);
			return;
		}
		ndefs++;
	}
	/* refs must name a ledger that exists */
	for (size_t i = 0; i < ndefs; i++)
		for (size_t k = 0; k < defs[i].nfields; k++)
			if (defs[i].fields[k].type == REG_REF && registers_find(defs[i].fields[k].ref) == NULL) {
				load_rc = mm_err_set(&load_err, MM_EINVAL, "", "ledger %s: field %s refers to no ledger %s",
				    defs[i].name, defs[i].fields[k].name, defs[i].fields[k].ref);
				return;
			}
}

int
registers_load(struct mm_err *err)
{
	pthread_once(&load_once, load_all);
	if (load_rc != 0 && err)
		*err = load_err;
	return load_rc;
}

size_t
registers_count(void)
{
	return ndefs;
}

const struct reg_def *
registers_at(size_t i)
{
	return i < ndefs ? &defs[i] : NULL;
}

const struct reg_def *
registers_find(const char *name)
{
	for (size_t i = 0; name && i < ndefs; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

int
reg_allowed(const struct reg_def *d, const struct principal *pr, int write)
{
	if (pr->pr_local_operator)
		return 1;
	if (pr->pr_restricted)
		return 0;
	return (pr->pr_roles & (write ? d->write_roles : d->read_roles)) != 0;
}

json_t *
reg_schema_json(const struct reg_def *d, const struct principal *pr)
{
	json_t *o = json_deep_copy(d->json);

	json_object_set_new(o, "can_write", json_boolean(reg_allowed(d, pr, 1)));
	return o;
}

int
registers_sync(struct store *st, struct mm_err *err)
{
	struct store_column cols[128];
	int rc;

	if ((rc = registers_load(err)) != 0)
		return rc;
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	for (size_t i = 0; i < ndefs; i++) {
		const struct reg_def *d = &defs[i];
		size_t n = 0;

		for (size_t k = 0; k < d->nfields; k++)
			cols[n++] = (struct store_column){d->fields[k].name,
			    d->fields[k].type == REG_INTEGER || d->fields[k].type == REG_BOOLEAN ||
			    d->fields[k].type == REG_REF || d->fields[k].type == REG_PERSON ? STORE_INTEGER : STORE_TEXT,
			    d->fields[k].indexed};
		cols[n++] = (struct store_column){"created_at", STORE_TEXT, 0};
		cols[n++] = (struct store_column){"created_by", STORE_TEXT, 0};
		cols[n++] = (struct store_column){"updated_at", STORE_TEXT, 0};
		cols[n++] = (struct store_column){"updated_by", STORE_TEXT, 0};
		if ((rc = store_ensure_table(st, d->table, cols, n, err)) != 0 ||
		    (rc = reg_search_sync(st, d, err)) != 0) {
			store_rollback(st);
			return rc;
		}
	}
	return store_commit(st, err);
}
