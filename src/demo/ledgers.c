/*
 * The demo company's people, accounts and ledgers, from the JSON files in src/demo/data/ (values
 * written as a person types them into a spreadsheet, read by the same code as a CSV import).
 * Take-outs are requested, approved by the role the profile names, then taken out, as in real use.
 */
#include "auth/account.h"
#include "auth/people.h"
#include "base/embed.h"
#include "base/time.h"
#include "demo/demo.h"
#include "registers/registers.h"

#include <stdio.h>
#include <string.h>

extern const struct mm_embedded mm_demo_data[];
extern const size_t mm_demo_data_count;

/* In the order their references need. */
static const char *const ledgers[] = {"assets", "devices", "software", "changes", "connections", "backups",
    "media", "takeouts", "user_ids", "keys", "room_entries", "vendors"};

/* Accounts of the people who hold a role (their one-time passwords are not shown). */
static const struct {
	const char *employee_no, *login;
	unsigned roles;
} accounts[] = {
    {"E0001", "yamamoto", 1u << ROLE_CEO},
    {"E0002", "sato", 1u << ROLE_MYNUMBER_MANAGER},
    {"E0004", "tanaka", (1u << ROLE_SECURITY_OFFICER) | (1u << ROLE_DEPT_HEAD)},
    {"E0006", "watanabe", 1u << ROLE_SYSADMIN},
    {"E0008", "kobayashi", 1u << ROLE_DEPT_HEAD},
    {"E0009", "kato", 1u << ROLE_DEPT_HEAD},
    {"E0012", "sasaki", 1u << ROLE_MYNUMBER_HANDLER},
    {"E0013", "yamaguchi", 1u << ROLE_AUDITOR},
};

static json_t *
load(const char *path, struct mm_err *err)
{
	const struct mm_embedded *e = mm_embedded_find(mm_demo_data, mm_demo_data_count, path);
	json_error_t je;
	json_t *j;

	if (e == NULL) {
		mm_err_set(err, MM_ENOTFOUND, "", "demo data %s is missing", path);
		return NULL;
	}
	if ((j = json_loadb((const char *)e->data, e->len, 0, &je)) == NULL || !json_is_array(j)) {
		json_decref(j);
		mm_err_set(err, MM_EINVAL, "", "demo data %s: line %d: %s", path, je.line, je.text);
		return NULL;
	}
	return j;
}

static int
people(struct mamori *m, const struct mm_actor *who, struct mm_err *err)
{
	json_t *all = load("people.json", err), *p, *errors = NULL;
	size_t i;
	int rc = 0;

	if (all == NULL)
		return err->code;
	json_array_foreach(all, i, p) {
		if ((rc = people_create(m, m->md_store, who, p, NULL, &errors, err)) != 0)
			break;
	}
	json_decref(errors);
	json_decref(all);
	return rc;
}

static int
person_id(struct store *st, const char *no, int64_t *id, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, "SELECT id FROM person WHERE employee_no = $1", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", no);
	rc = store_step(s, err);
	*id = rc == STORE_ROW ? store_col_int(s, 0) : 0;
	store_finalize(s);
	return rc < 0 ? rc : (*id ? 0 : mm_err_set(err, MM_ENOTFOUND, "", "demo person %s is missing", no));
}

static int
role_accounts(struct mamori *m, const struct mm_actor *who, struct mm_err *err)
{
	char password[64];
	int rc;

	for (size_t i = 0; i < sizeof(accounts) / sizeof(accounts[0]); i++) {
		struct store_stmt *s;
		int64_t pid, aid;

		if ((rc = person_id(m->md_store, accounts[i].employee_no, &pid, err)) != 0 ||
		    (rc = store_begin(m->md_store, err)) != 0)
			return rc;
		if ((rc = account_bootstrap(m, m->md_store, who, accounts[i].login, accounts[i].roles, password, &aid,
		    err)) == 0 &&
		    (rc = store_prepare(m->md_store, "UPDATE account SET person_id = $1 WHERE id = $2", &s, err)) == 0) {
			store_bind_int(s, "$1", pid);
			store_bind_int(s, "$2", aid);
			rc = store_step(s, err);
			store_finalize(s);
		}
		memset(password, 0, sizeof(password));
		if (rc < 0) {
			store_rollback(m->md_store);
			return rc;
		}
		if ((rc = store_commit(m->md_store, err)) != 0)
			return rc;
	}
	return 0;
}

/* The record's values as typed values, as an import would read them. */
static int
typed(struct reg_ctx *x, json_t *row, json_t **out, struct mm_err *err)
{
	json_t *errors = json_array(), *v;
	const char *key;
	int rc = 0;

	*out = json_object();
	json_object_foreach(row, key, v) {
		const struct reg_field *f = reg_field_find(x->def, key);
		char text[64];
		json_t *t;

		if (f == NULL) {
			rc = mm_err_set(err, MM_EINVAL, key, "demo %s: no field %s", x->def->name, key);
			break;
		}
		if (json_is_string(v))
			snprintf(text, sizeof(text), "%s", "");
		else if (json_is_boolean(v))
			snprintf(text, sizeof(text), "%s", json_is_true(v) ? "true" : "false");
		else if (json_is_integer(v))
			snprintf(text, sizeof(text), "%lld", (long long)json_integer_value(v));
		if ((rc = reg_value_from_text(x, f, json_is_string(v) ? json_string_value(v) : text, &t, errors)) != 0) {
			rc = mm_err_set(err, MM_EINVAL, key, "demo %s: %s", x->def->name,
			    json_string_value(json_object_get(json_array_get(errors, 0), "message")));
			break;
		}
		json_object_set_new(*out, key, t);
	}
	json_decref(errors);
	return rc;
}

/* A take-out as it happens: the request, the approval before the take-out, then the take-out. */
static int
takeout(struct reg_ctx *x, json_t *rec, json_t **errors, struct mm_err *err)
{
	const char *cls = json_string_value(json_object_get(rec, "item_class"));
	json_t *later = json_object();
	struct principal pr = {0};
	struct mm_actor approver = {.client = "local"};
	struct reg_ctx ax = *x;
	int64_t id, out_ms;
	int rc;

	json_object_set(later, "takeout_time", json_object_get(rec, "takeout_time"));
	json_object_set(later, "returned_time", json_object_get(rec, "returned_time"));
	json_object_del(rec, "takeout_time");
	json_object_del(rec, "returned_time");
	if ((rc = reg_create(x, rec, &id, errors, err)) != 0 || !json_is_string(json_object_get(later, "takeout_time")))
		goto done;
	approver.login = cls && strcmp(cls, "secret") == 0 ? "yamamoto" : cls && strcmp(cls, "mynumber") == 0 ? "sato"
	    : "tanaka";
	pr.pr_roles = cls && strcmp(cls, "secret") == 0 ? 1u << ROLE_CEO
	    : cls && strcmp(cls, "mynumber") == 0 ? 1u << ROLE_MYNUMBER_MANAGER : 1u << ROLE_DEPT_HEAD;
	mm_time_parse(json_string_value(json_object_get(later, "takeout_time")), &out_ms);
	ax.who = &approver;
	ax.pr = &pr;
	ax.now_ms = out_ms - 2 * 3600 * 1000; /* approved two hours before */
	if ((rc = reg_decide(&ax, id, "approved", "デモ：業務上必要と認めます", errors, err)) != 0)
		goto done;
	rc = reg_update(x, id, later, errors, err);
done:
	json_decref(later);
	return rc;
}

static int
ledger(struct mamori *m, const struct mm_actor *who, const char *name, struct mm_err *err)
{
	struct principal pr = {.pr_local_operator = 1};
	struct reg_ctx x = {.m = m, .st = m->md_store, .who = who, .pr = &pr, .def = registers_find(name),
	    .now_ms = mm_now_ms()};
	char path[64];
	json_t *all, *row, *errors = NULL;
	size_t i;
	int rc = 0;

	if (x.def == NULL)
		return mm_err_set(err, MM_ENOTFOUND, "", "no ledger %s", name);
	snprintf(path, sizeof(path), "registers/%s.json", name);
	if ((all = load(path, err)) == NULL)
		return err->code;
	json_array_foreach(all, i, row) {
		json_t *rec;
		int64_t id;

		if ((rc = typed(&x, row, &rec, err)) != 0)
			break;
		if (x.def->hooks && x.def->hooks->approver_roles)
			rc = takeout(&x, rec, &errors, err);
		else
			rc = reg_create(&x, rec, &id, &errors, err);
		json_decref(rec);
		if (rc != 0) {
			const json_t *e = json_array_get(errors, 0);
			if (e)
				mm_err_set(err, rc, "", "demo %s record %zu: %s", name, i + 1,
				    json_string_value(json_object_get(e, "message")));
			break;
		}
	}
	json_decref(errors);
	json_decref(all);
	return rc;
}

int
demo_ledgers(struct mamori *m, const struct mm_actor *who, struct mm_err *err)
{
	int rc;

	if ((rc = people(m, who, err)) != 0 || (rc = role_accounts(m, who, err)) != 0)
		return rc;
	for (size_t i = 0; i < sizeof(ledgers) / sizeof(ledgers[0]); i++)
		if ((rc = ledger(m, who, ledgers[i], err)) != 0)
			return rc;
	return 0;
}
