#include "auth/people.h"
#include "base/str.h"
#include "base/time.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *key, *ja;
} employment[] = {
    {"officer", "役員"}, {"regular", "正社員"}, {"contract", "契約社員"},
    {"dispatch", "派遣"}, {"part_time", "パート・アルバイト"}, {"external", "社外"},
};

enum kind { K_TEXT, K_KANA, K_CODE, K_EMPLOYMENT, K_DATE, K_PHONE, K_EMAIL };

/* The fields of a person, in column order. */
static const struct field {
	const char *name, *ja;
	enum kind kind;
	int required;
	int max; /* characters */
} fields[] = {
    {"employee_no", "社員番号", K_CODE, 1, 20},
    {"name", "氏名", K_TEXT, 1, 60},
    {"name_kana", "フリガナ", K_KANA, 1, 60},
    {"department", "部署", K_TEXT, 0, 60},
    {"employment_type", "雇用形態", K_EMPLOYMENT, 1, 16},
    {"joined_on", "入社日", K_DATE, 0, 10},
    {"left_on", "退職日", K_DATE, 0, 10},
    {"nda_on", "秘密保持契約日", K_DATE, 0, 10},
    {"phone", "電話番号", K_PHONE, 0, 20},
    {"birthday", "生年月日", K_DATE, 0, 10},
    {"email", "メールアドレス", K_EMAIL, 0, 254},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

const char *
people_employment_label_ja(const char *key)
{
	for (size_t i = 0; i < sizeof(employment) / sizeof(employment[0]); i++)
		if (strcmp(employment[i].key, key) == 0)
			return employment[i].ja;
	return NULL;
}

/* Adds one error to the list and to err (the first one only). */
static void
bad(json_t *errs, struct mm_err *err, const struct field *f, const char *rule, const char *ja,
    const char *en)
{
	char jafull[256];

	snprintf(jafull, sizeof(jafull), "%s: %s", f->ja, ja);
	json_array_append_new(errs, json_pack("{s:s, s:s, s:s, s:s}", "field", f->name, "rule", rule,
	    "message", en, "message_ja", jafull));
	if (err && err->code == 0)
		mm_err_input(err, f->name, rule, jafull, "%s: %s", f->name, en);
}

/* Is s hiragana/katakana (with spaces and the long-vowel mark)? */
static int
is_kana(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned cp;
		if (*p == ' ') {
			p++;
			continue;
		}
		if ((p[0] & 0xf0) != 0xe0 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		cp = ((unsigned)(p[0] & 0x0f) << 12) | ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
		if (!((cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30a1 && cp <= 0x30fa) || cp == 0x30fc ||
		    cp == 0x30fb || cp == 0x3000))
			return 0;
		p += 3;
	}
	return 1;
}

static int
is_date(const char *s)
{
	int64_t ms;

	return strlen(s) == 10 && mm_time_parse(s, &ms) == 0;
}

/* Checks one value; adds errors. */
static void
check_value(const struct field *f, const char *v, json_t *errs, struct mm_err *err)
{
	long chars = mm_utf8_check(v, strlen(v), 0);
	char en[160], ja[160];

	if (chars < 0) {
		bad(errs, err, f, "text", "使えない文字が含まれています", "must be text without control characters");
		return;
	}
	if (chars > f->max) {
		snprintf(en, sizeof(en), "must be at most %d characters", f->max);
		snprintf(ja, sizeof(ja), "%d文字以内で入力してください", f->max);
		bad(errs, err, f, "max_length", ja, en);
		return;
	}
	switch (f->kind) {
	case K_TEXT:
		break;
	case K_KANA:
		if (!is_kana(v))
			bad(errs, err, f, "kana", "カタカナまたはひらがなで入力してください", "must be kana");
		break;
	case K_CODE:
		for (const char *p = v; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
				bad(errs, err, f, "code", "半角英数字とハイフンで入力してください",
				    "may hold only A-Z, a-z, 0-9, '-' and '_'");
				break;
			}
		break;
	case K_EMPLOYMENT:
		if (people_employment_label_ja(v) == NULL)
			bad(errs, err, f, "choice", "役員・正社員・契約社員・派遣・パート・アルバイト・社外から選んでください",
			    "must be one of officer, regular, contract, dispatch, part_time, external");
		break;
	case K_DATE:
		if (!is_date(v))
			bad(errs, err, f, "date", "日付を YYYY-MM-DD で入力してください", "must be a date YYYY-MM-DD");
		break;
	case K_PHONE:
		for (const char *p = v; *p; p++)
			if (!isdigit((unsigned char)*p) && !strchr("+-() ", *p)) {
				bad(errs, err, f, "phone", "数字とハイフンで入力してください",
				    "may hold only digits, spaces and + - ( )");
				break;
			}
		break;
	case K_EMAIL: {
		const char *at = strchr(v, '@');
		if (at == NULL || at == v || strchr(at + 1, '.') == NULL || strchr(v, ' ') != NULL)
			bad(errs, err, f, "email", "メールアドレスの形式ではありません", "must be an e-mail address");
		break;
	}
	}
}

/*
 * Validates the fields present in in (all required ones when creating). The resulting values are
 * the strings in `vals` (NULL for absent, "" cleared).
 */
static void
validate(json_t *in, int creating, const char *vals[NFIELDS], int present[NFIELDS], json_t *errs,
    struct mm_err *err)
{
	const char *key;
	json_t *v;

	json_object_foreach(in, key, v) {
		size_t i;
		for (i = 0; i < NFIELDS; i++)
			if (strcmp(fields[i].name, key) == 0)
				break;
		if (i == NFIELDS) {
			struct field unknown = {key, key, K_TEXT, 0, 0};
			bad(errs, err, &unknown, "unknown", "この項目はありません", "is not a field of a person");
		}
	}
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		v = json_object_get(in, f->name);
		vals[i] = NULL;
		present[i] = v != NULL;
		if (v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
			if (f->required && (creating || v != NULL))
				bad(errs, err, f, "required", "必須です", "is required");
			if (v != NULL)
				vals[i] = "";
			continue;
		}
		if (!json_is_string(v)) {
			bad(errs, err, f, "type", "文字列で入力してください", "must be a string");
			continue;
		}
		vals[i] = json_string_value(v);
		check_value(f, vals[i], errs, err);
	}
}

static int
finish_errors(json_t *errs, json_t **errors, struct mm_err *err)
{
	int n = (int)json_array_size(errs);

	if (errors && n > 0)
		*errors = errs;
	else
		json_decref(errs);
	if (n > 0 && err && err->code == 0)
		err->code = MM_EINVAL;
	return n > 0 ? MM_EINVAL : 0;
}

static int
unique_employee_no(struct store *st, const char *no, int64_t except, json_t *errs, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, "SELECT id FROM person WHERE employee_no = $1 AND id <> $2", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", no);
	store_bind_int(s, "$2", except);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc == STORE_ROW)
		bad(errs, err, &fields[0], "unique", "この社員番号はすでに登録されています",
		    "is already used by another person");
	return rc < 0 ? rc : 0;
}

/* The names of the fields set, for the audit trail (values stay out of it). */
static void
changed_names(const int present[NFIELDS], char *out, size_t n)
{
	json_t *a = json_array(), *o;
	char *d;

	for (size_t i = 0; i < NFIELDS; i++)
		if (present[i])
			json_array_append_new(a, json_string(fields[i].name));
	o = json_pack("{s:o}", "fields", a);
	d = json_dumps(o, JSON_COMPACT);
	snprintf(out, n, "%s", d ? d : "{}");
	free(d);
	json_decref(o);
}

int
people_create(struct mamori *m, struct store *st, const struct mm_actor *who, json_t *in,
    int64_t *id, json_t **errors, struct mm_err *err)
{
	const char *vals[NFIELDS];
	int present[NFIELDS];
	json_t *errs = json_array();
	struct store_stmt *s = NULL;
	char when[MM_TIME_STRLEN], idtext[24], details[512];
	int rc;

	if (errors)
		*errors = NULL;
	if (!json_is_object(in)) {
		json_decref(errs);
		return mm_err_input(err, "", "type", "入力が正しくありません", "a person must be a JSON object");
	}
	validate(in, 1, vals, present, errs, err);
	if ((rc = store_begin(st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	if (vals[0] && (rc = unique_employee_no(st, vals[0], 0, errs, err)) != 0)
		goto fail;
	if (vals[5] && vals[6] && *vals[5] && *vals[6] && strcmp(vals[6], vals[5]) < 0)
		bad(errs, err, &fields[6], "after", "入社日より後の日付にしてください", "must not be before joined_on");
	if ((rc = finish_errors(errs, errors, err)) != 0) {
		errs = NULL;
		goto fail;
	}
	errs = NULL;
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_prepare(st,
	    "INSERT INTO person (employee_no, name, name_kana, department, employment_type, joined_on,"
	    " left_on, nda_on, phone, birthday, email, created_at, updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)", &s, err)) != 0)
		goto fail;
	for (size_t i = 0; i < NFIELDS; i++) {
		char name[8];
		snprintf(name, sizeof(name), "$%zu", i + 1);
		if (fields[i].kind == K_DATE)
			store_bind_text(s, name, vals[i] && *vals[i] ? vals[i] : NULL);
		else
			store_bind_text(s, name, vals[i] ? vals[i] : "");
	}
	store_bind_text(s, "$12", when);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if (id)
		*id = store_last_id(st);
	snprintf(idtext, sizeof(idtext), "%lld", (long long)store_last_id(st));
	changed_names(present, details, sizeof(details));
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "person.create",
	    .target_type = "person", .target_id = idtext, .access = AUDIT_CREATE, .outcome = "success",
	    .details = details}, NULL, err)) != 0)
		goto fail;
	return store_commit(st, err);
fail:
	json_decref(errs);
	store_rollback(st);
	return rc;
}

int
people_update(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t id,
    json_t *patch, json_t **errors, struct mm_err *err)
{
	const char *vals[NFIELDS];
	int present[NFIELDS], any = 0;
	json_t *errs = json_array(), *cur = NULL;
	char when[MM_TIME_STRLEN], idtext[24], details[512], sql[1024];
	struct store_stmt *s = NULL;
	size_t used;
	int rc;

	if (errors)
		*errors = NULL;
	if (!json_is_object(patch)) {
		json_decref(errs);
		return mm_err_input(err, "", "type", "入力が正しくありません", "a change must be a JSON object");
	}
	validate(patch, 0, vals, present, errs, err);
	if ((rc = store_begin(st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	if ((rc = people_get(st, id, &cur, err)) != 0)
		goto fail;
	if (vals[0] && *vals[0] && (rc = unique_employee_no(st, vals[0], id, errs, err)) != 0)
		goto fail;
	{
		const char *joined = vals[5] ? vals[5] : json_string_value(json_object_get(cur, "joined_on"));
		const char *left = vals[6] ? vals[6] : json_string_value(json_object_get(cur, "left_on"));
		if (joined && left && *joined && *left && strcmp(left, joined) < 0)
			bad(errs, err, &fields[6], "after", "入社日より後の日付にしてください", "must not be before joined_on");
	}
	if ((rc = finish_errors(errs, errors, err)) != 0) {
		errs = NULL;
		goto fail;
	}
	errs = NULL;
	used = (size_t)snprintf(sql, sizeof(sql), "UPDATE person SET updated_at = $20");
	for (size_t i = 0; i < NFIELDS; i++) {
		if (!present[i])
			continue;
		any = 1;
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, ", %s = $%zu", fields[i].name, i + 1);
	}
	snprintf(sql + used, sizeof(sql) - used, " WHERE id = $21");
	if (!any) {
		store_rollback(st);
		json_decref(cur);
		return 0;
	}
	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		goto fail;
	for (size_t i = 0; i < NFIELDS; i++) {
		char name[8];
		if (!present[i])
			continue;
		snprintf(name, sizeof(name), "$%zu", i + 1);
		if (fields[i].kind == K_DATE)
			store_bind_text(s, name, *vals[i] ? vals[i] : NULL);
		else
			store_bind_text(s, name, vals[i]);
	}
	mm_time_format(mm_now_ms(), when);
	store_bind_text(s, "$20", when);
	store_bind_int(s, "$21", id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	changed_names(present, details, sizeof(details));
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "person.update",
	    .target_type = "person", .target_id = idtext, .access = AUDIT_UPDATE, .outcome = "success",
	    .details = details}, NULL, err)) != 0)
		goto fail;
	json_decref(cur);
	return store_commit(st, err);
fail:
	json_decref(errs);
	json_decref(cur);
	store_rollback(st);
	return rc;
}

static json_t *
row_json(struct store_stmt *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(store_col_int(s, 0)));
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *v = store_col_text(s, (int)i + 1);
		json_object_set_new(o, fields[i].name, v ? json_string(v) : json_null());
	}
	json_object_set_new(o, "account_login",
	    store_col_text(s, NFIELDS + 1) ? json_string(store_col_text(s, NFIELDS + 1)) : json_null());
	return o;
}

#define SELECT_PERSON \
	"SELECT p.id, p.employee_no, p.name, p.name_kana, p.department, p.employment_type," \
	" p.joined_on, p.left_on, p.nda_on, p.phone, p.birthday, p.email, a.login"         \
	" FROM person p LEFT JOIN account a ON a.person_id = p.id"

int
people_get(struct store *st, int64_t id, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*out = NULL;
	if ((rc = store_prepare(st, SELECT_PERSON " WHERE p.id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	if (rc == STORE_ROW) {
		*out = row_json(s);
		rc = 0;
	} else if (rc == STORE_DONE) {
		rc = mm_err_set(err, MM_ENOTFOUND, "id", "no person %lld", (long long)id);
	}
	store_finalize(s);
	return rc;
}

int
people_list(struct store *st, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	json_t *arr;
	int rc;

	*out = NULL;
	if ((rc = store_prepare(st, SELECT_PERSON " ORDER BY p.employee_no", &s, err)) != 0)
		return rc;
	arr = json_array();
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(arr, row_json(s));
	store_finalize(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}
