/*
 * Subjects (本人: employees, their dependants, business partners, shareholders), their purposes of use
 * (004 ch1 §2-2) and their numbers: collected with 本人確認, checked, refused without a purpose or as a
 * duplicate (blind index), sealed by keys.c, listed masked. Every access is audited.
 */
#include "vault/vault.h"
#include "base/str.h"
#include "base/time.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns a name search looks in, and the store's text index of them. */
static const char *const NAME_COLS[] = {"name", "name_kana"};

enum { K_EMPLOYEE = 1, K_DEPENDANT = 2, K_PARTNER = 4, K_SHAREHOLDER = 8 };

static const struct {
	const char *code, *ja, *en;
	unsigned kinds;
} catalogue[] = {
    {"withholding", "源泉徴収票作成事務", "Withholding slips", K_EMPLOYEE},
    {"dependant_declaration", "扶養控除等（異動）申告書、保険料控除申告書兼給与所得者の配偶者特別控除申告書作成事務",
        "Dependant and insurance deduction declarations", K_EMPLOYEE | K_DEPENDANT},
    {"social_insurance", "健康保険・厚生年金保険届出、申請・請求事務", "Health insurance and pension notifications",
        K_EMPLOYEE | K_DEPENDANT},
    {"employment_insurance", "雇用保険・労災保険届出、申請・請求、証明書作成事務",
        "Employment and accident insurance notifications", K_EMPLOYEE},
    {"partner_payment", "報酬、料金、契約金及び賞金に関する支払調書作成事務", "Payment records for partners",
        K_PARTNER},
    {"shareholder_dividend", "配当及び剰余金の分配に関する支払調書作成事務", "Payment records for dividends",
        K_SHAREHOLDER},
};

static const struct {
	const char *key;
	unsigned bit;
} kinds[] = {{"employee", K_EMPLOYEE}, {"dependant", K_DEPENDANT}, {"partner", K_PARTNER},
    {"shareholder", K_SHAREHOLDER}};

static unsigned
kind_bit(const char *k)
{
	for (size_t i = 0; k && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].key, k) == 0)
			return kinds[i].bit;
	return 0;
}

json_t *
vault_purposes(struct mamori *m)
{
	json_t *out = json_array();

	for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++) {
		json_t *ks = json_array();
		if (!policy_list_has(m->md_policy, POLICY_MYNUMBER_PURPOSES, catalogue[i].code))
			continue;
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (catalogue[i].kinds & kinds[k].bit)
				json_array_append_new(ks, json_string(kinds[k].key));
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o}", "code", catalogue[i].code, "label",
		    catalogue[i].ja, "label_en", catalogue[i].en, "kinds", ks));
	}
	return out;
}

/* 1 when code is a purpose of the profile that fits the kind. */
static int
purpose_ok(struct mamori *m, const char *code, unsigned kind)
{
	for (size_t i = 0; code && i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		if (strcmp(catalogue[i].code, code) == 0)
			return (catalogue[i].kinds & kind) && policy_list_has(m->md_policy, POLICY_MYNUMBER_PURPOSES, code);
	return 0;
}

/* A text field: optional unless required, at most max characters, no control characters. */
static const char *
text(json_t *in, const char *field, size_t max, int required, json_t *errors)
{
	json_t *v = json_object_get(in, field);
	const char *s = json_string_value(v);
	long n;

	if (v == NULL || json_is_null(v) || (s && *s == '\0')) {
		if (required)
			mm_errors_add(errors, field, "required", "入力してください", "is required");
		return NULL;
	}
	if (s == NULL || (n = mm_utf8_check(s, strlen(s), 0)) < 0) {
		mm_errors_add(errors, field, "type", "文字で入力してください（制御文字は使えません）", "must be text without control characters");
		return NULL;
	}
	if ((size_t)n > max) {
		char ja[80], en[80];
		snprintf(ja, sizeof(ja), "%zu文字以内で入力してください", max);
		snprintf(en, sizeof(en), "must be at most %zu characters", max);
		mm_errors_add(errors, field, "max_length", ja, en);
		return NULL;
	}
	return s;
}

static const char *
date_field(json_t *in, const char *field, json_t *errors)
{
	const char *s = json_string_value(json_object_get(in, field));
	int64_t ms;

	if (s == NULL || *s == '\0')
		return NULL;
	if (strlen(s) != 10 || mm_local_date_start(s, &ms) != 0) {
		mm_errors_add(errors, field, "date", "日付（例 2026-04-01）で入力してください", "must be a date like 2026-04-01");
		return NULL;
	}
	return s;
}

/* The retention end of a subject whose use ended on date: the end of that year plus the profile's period. */
static void
retention_end(struct mamori *m, const char *ended, char out[11])
{
	char dec31[11], t[MM_TIME_STRLEN];
	int64_t ms;

	out[0] = '\0';
	if (ended == NULL || policy_is_unset(m->md_policy, POLICY_MYNUMBER_RETENTION_AFTER_USE))
		return;
	snprintf(dec31, sizeof(dec31), "%.4s-12-31", ended);
	if (mm_local_date_start(dec31, &ms) != 0)
		return;
	ms = policy_add(ms + MM_LOCAL_OFFSET_MS, policy_duration(m->md_policy, POLICY_MYNUMBER_RETENTION_AFTER_USE));
	mm_time_format(ms, t);
	snprintf(out, 11, "%.10s", t);
}

static int
exists(struct store *st, const char *sql, int64_t id, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	store_finalize(s);
	return rc < 0 ? rc : rc == STORE_ROW;
}

static int
set_purposes(struct vault_ctx *x, int64_t id, json_t *purposes, struct mm_err *err)
{
	struct store_stmt *s;
	size_t i;
	json_t *p;
	int rc;

	if ((rc = store_prepare(x->st, "DELETE FROM mn_subject_purpose WHERE subject_id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	json_array_foreach(purposes, i, p) {
		if ((rc = store_prepare(x->st, "INSERT INTO mn_subject_purpose (subject_id, purpose) VALUES ($1, $2)"
		    " ON CONFLICT DO NOTHING", &s, err)) != 0)
			return rc;
		store_bind_int(s, "$1", id);
		store_bind_text(s, "$2", json_string_value(p));
		rc = store_step(s, err);
		store_finalize(s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void
check_purposes(struct mamori *m, json_t *purposes, unsigned kind, json_t *errors)
{
	size_t i;
	json_t *p;

	if (!json_is_array(purposes) || json_array_size(purposes) == 0) {
		mm_errors_add(errors, "purposes", "required", "利用目的を1つ以上選んでください（目的のない番号は預かれません）",
		    "at least one purpose of use is required");
		return;
	}
	json_array_foreach(purposes, i, p)
		if (!purpose_ok(m, json_string_value(p), kind)) {
			mm_errors_add(errors, "purposes", "choice", "この対象者に使えない利用目的です", "a purpose that does not fit this subject");
			return;
		}
}

/* A 個人番号, or for a partner also a 13-digit 法人番号 (a company). */
static int
normalise(const char *number, int partner, char digits[VAULT_NUMBER_MAX + 1], int *corporate, struct mm_err *err)
{
	struct mm_err e2 = {0};

	*corporate = 0;
	if (vault_number_normalise(number, 0, digits, err) == 0)
		return 0;
	if (partner && strcmp(err->rule, "length") == 0 && vault_number_normalise(number, 1, digits, &e2) == 0) {
		*corporate = 1;
		mm_err_clear(err);
		return 0;
	}
	if (partner && strcmp(err->rule, "length") == 0)
		*err = e2;
	return MM_EINVAL;
}

/* Writes the sealed number of subject id (new or replacing), after the duplicate check. */
static int
store_number(struct vault_ctx *x, int64_t id, const char *digits, const char *kind, const char *epoch,
    json_t *errors, struct mm_err *err)
{
	struct vault_sealed sealed;
	struct store_stmt *s;
	char index[65], when[MM_TIME_STRLEN];
	int rc;

	vault_blind_index(x->m, kind, digits, index);
	if ((rc = store_prepare(x->st, "SELECT subject_id FROM mn_number WHERE blind_index = $1 AND subject_id <> $2",
	    &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", index);
	store_bind_int(s, "$2", id);
	if ((rc = store_step(s, err)) == STORE_ROW) {
		char ja[120], en[120];
		snprintf(ja, sizeof(ja), "この番号はすでに対象者 %lld に登録されています", (long long)store_col_int(s, 0));
		snprintf(en, sizeof(en), "this number is already held for subject %lld", (long long)store_col_int(s, 0));
		mm_errors_add(errors, "number", "duplicate", ja, en);
		store_finalize(s);
		return mm_err_input(err, "number", "duplicate", ja, "%s", en);
	}
	store_finalize(s);
	if (rc < 0)
		return rc;
	if ((rc = vault_seal(x, id, kind, epoch, digits, &sealed, err)) != 0)
		return rc;
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_prepare(x->st, "INSERT INTO mn_number (subject_id, kind, epoch, key_gen, wrapped_key, ciphertext,"
	    " blind_index, tail, collected_at, collected_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
	    " ON CONFLICT (subject_id) DO UPDATE SET kind = $2, epoch = $3, key_gen = $4, wrapped_key = $5,"
	    " ciphertext = $6, blind_index = $7, tail = $8, collected_at = $9, collected_by = $10", &s, err)) == 0) {
		store_bind_int(s, "$1", id);
		store_bind_text(s, "$2", kind);
		store_bind_text(s, "$3", sealed.epoch);
		store_bind_int(s, "$4", sealed.gen);
		store_bind_text(s, "$5", sealed.wrapped);
		store_bind_text(s, "$6", sealed.cipher);
		store_bind_text(s, "$7", index);
		store_bind_text(s, "$8", digits + strlen(digits) - 4);
		store_bind_text(s, "$9", when);
		store_bind_text(s, "$10", x->who->login);
		rc = store_step(s, err);
		store_finalize(s);
		rc = rc < 0 ? rc : 0;
	}
	vault_sealed_free(&sealed);
	return rc;
}

static int
add_identity_check(struct vault_ctx *x, int64_t id, json_t *in, json_t *errors, struct mm_err *err)
{
	const char *nd = text(in, "number_document", 60, 1, errors), *idd = text(in, "identity_document", 60, 1, errors);
	struct store_stmt *s;
	char when[MM_TIME_STRLEN];
	int rc;

	if (nd == NULL || idd == NULL)
		return 0;
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_prepare(x->st, "INSERT INTO mn_identity_check (subject_id, number_document, identity_document,"
	    " checked_by, checked_at) VALUES ($1, $2, $3, $4, $5)", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", nd);
	store_bind_text(s, "$3", idd);
	store_bind_text(s, "$4", x->who->login);
	store_bind_text(s, "$5", when);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	/* the check confirms the images kept for it: they go in the same transaction (004 ch4 §5) */
	int64_t purged = 0;
	return vault_documents_confirmed_in(x, id, &purged, err);
}

/* Wipes the number a request carried (the JSON string's own memory). */
static void
wipe_number(json_t *in)
{
	json_t *v = json_object_get(in, "number");

	if (json_is_string(v))
		mm_wipe((char *)json_string_value(v), json_string_length(v));
}


/* The subject, its purposes, number and identity check, inside the caller's transaction. */
static int
create_body(struct vault_ctx *x, json_t *in, int64_t *id, json_t *errs, struct mm_err *err)
{
	const char *kind = json_string_value(json_object_get(in, "kind")), *name, *kana, *relation, *ended, *number;
	char digits[VAULT_NUMBER_MAX + 1] = "", when[MM_TIME_STRLEN], ret[11], epoch[8];
	int64_t person = json_integer_value(json_object_get(in, "person_id"));
	int64_t parent = json_integer_value(json_object_get(in, "parent_id"));
	unsigned kb = kind_bit(kind);
	struct store_stmt *s;
	struct mm_err nerr = {0};
	int corporate = 0, found = 1, rc = 0;

	*id = 0;
	if (!json_is_object(in))
		return mm_err_input(err, "", "type", "入力が正しくありません", "a subject must be a JSON object");
	if (kb == 0)
		mm_errors_add(errs, "kind", "choice", "種別を選んでください（従業員・扶養親族・取引先・株主）",
		    "kind is employee, dependant, partner or shareholder");
	name = text(in, "name", 100, 1, errs);
	kana = text(in, "name_kana", 100, 0, errs);
	relation = text(in, "relation", 40, kb == K_DEPENDANT, errs);
	ended = date_field(in, "use_ended_on", errs);
	check_purposes(x->m, json_object_get(in, "purposes"), kb, errs);
	number = json_string_value(json_object_get(in, "number"));
	if (number && *number) {
		if (normalise(number, kb == K_PARTNER, digits, &corporate, &nerr) != 0)
			mm_errors_add(errs, "number", nerr.rule, nerr.msg_ja, nerr.msg);
		if (json_object_get(in, "identity_check") == NULL && !corporate)
			mm_errors_add(errs, "identity_check", "required", "本人確認（番号確認と身元確認）の書類を選んでください",
			    "the identity check (number and identity documents) is required");
	}
	wipe_number(in);
	if (kb == K_EMPLOYEE && (person <= 0 || (found = exists(x->st, "SELECT 1 FROM person WHERE id = $1", person,
	    err)) == 0))
		mm_errors_add(errs, "person_id", "required", "従業員を選んでください", "choose the employee (person)");
	if (kb == K_DEPENDANT && (parent <= 0 || (found = exists(x->st, "SELECT 1 FROM mn_subject WHERE id = $1 AND"
	    " kind = 'employee'", parent, err)) == 0))
		mm_errors_add(errs, "parent_id", "required", "扶養している従業員（対象者）を選んでください",
		    "choose the employee this dependant belongs to");
	if (found < 0) {
		rc = found;
		goto done;
	}
	if (json_array_size(errs) > 0)
		goto done;
	mm_time_format(mm_now_ms(), when);
	retention_end(x->m, ended, ret);
	if ((rc = store_prepare(x->st, "INSERT INTO mn_subject (kind, person_id, parent_id, name, name_kana, relation,"
	    " use_ended_on, retention_end, created_at, created_by, updated_at, updated_by)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10)", &s, err)) != 0)
		goto done;
	store_bind_text(s, "$1", kind);
	if (person > 0)
		store_bind_int(s, "$2", person);
	else
		store_bind_null(s, "$2");
	if (parent > 0)
		store_bind_int(s, "$3", parent);
	else
		store_bind_null(s, "$3");
	store_bind_text(s, "$4", name);
	store_bind_text(s, "$5", kana);
	store_bind_text(s, "$6", relation);
	store_bind_text(s, "$7", ended);
	store_bind_text(s, "$8", ret[0] ? ret : NULL);
	store_bind_text(s, "$9", when);
	store_bind_text(s, "$10", x->who->login);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto done;
	*id = store_last_id(x->st);
	if ((rc = store_text_index_write(x->st, "mn_subject", NAME_COLS, 2, *id, NULL,
	    (const char *const[]){name, kana}, err)) != 0)
		goto done;
	/* the kept count of the masked list (schema 8; its triggers follow changes of state) */
	if ((rc = store_prepare(x->st, "INSERT INTO mn_subject_count (kind, state, n) VALUES ($1, 'active', 1)"
	    " ON CONFLICT (kind, state) DO UPDATE SET n = n + 1", &s, err)) != 0)
		goto done;
	store_bind_text(s, "$1", kind);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto done;
	if ((rc = set_purposes(x, *id, json_object_get(in, "purposes"), err)) != 0)
		goto done;
	if (digits[0]) {
		vault_epoch_of(ret[0] ? ret : NULL, epoch);
		if ((rc = store_number(x, *id, digits, corporate ? "corporate" : "individual", epoch, errs, err)) != 0)
			goto done;
		if (json_object_get(in, "identity_check") &&
		    (rc = add_identity_check(x, *id, json_object_get(in, "identity_check"), errs, err)) != 0)
			goto done;
		if ((rc = vault_record(x, "collect", *id, NULL, corporate ? "法人番号" : "個人番号を取得", err)) != 0)
			goto done;
	}
	rc = vault_audit(x, "mynumber.create", *id, AUDIT_CREATE, NULL, NULL, err);
done:
	mm_wipe(digits, sizeof(digits));
	if (rc == 0 && json_array_size(errs) > 0)
		rc = mm_err_from_entry(err, json_array_get(errs, 0));
	return rc;
}

int
vault_subject_create_in(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	int rc = create_body(x, in, id, errs, err);

	if (rc != 0 && json_array_size(errs) > 0)
		*errors = errs;
	else
		json_decref(errs);
	return rc;
}

int
vault_subject_create(struct vault_ctx *x, json_t *in, int64_t *id, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	int rc;

	*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0) {
		wipe_number(in);
		json_decref(errs);
		return rc;
	}
	rc = create_body(x, in, id, errs, err);
	if (rc == MM_EINVAL && json_array_size(errs) > 0)
		rc = 0; /* finish reports the list */
	return vault_finish(x, rc, errs, errors, err);
}

int
vault_subject_update(struct vault_ctx *x, int64_t id, json_t *in, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array(), *cur = NULL;
	const char *name, *kana, *relation, *ended;
	char when[MM_TIME_STRLEN], ret[11], epoch[8], old_epoch[8];
	struct store_stmt *s;
	unsigned kb;
	int rc;

	*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	{
		struct vault_ctx quiet = *x;
		if ((rc = vault_subject_get(&quiet, -id, &cur, err)) != 0)
			goto done;
	}
	if (strcmp(json_string_value(json_object_get(cur, "state")), "deleted") == 0) {
		rc = mm_err_input(err, "state", "deleted", "削除済みの対象者は変更できません", "the subject was deleted");
		goto done;
	}
	kb = kind_bit(json_string_value(json_object_get(cur, "kind")));
	name = json_object_get(in, "name") ? text(in, "name", 100, 1, errs)
	                                   : json_string_value(json_object_get(cur, "name"));
	kana = json_object_get(in, "name_kana") ? text(in, "name_kana", 100, 0, errs)
	                                        : json_string_value(json_object_get(cur, "name_kana"));
	relation = json_object_get(in, "relation") ? text(in, "relation", 40, kb == K_DEPENDANT, errs)
	                                           : json_string_value(json_object_get(cur, "relation"));
	ended = json_object_get(in, "use_ended_on") ? date_field(in, "use_ended_on", errs)
	                                            : json_string_value(json_object_get(cur, "use_ended_on"));
	if (json_object_get(in, "purposes"))
		check_purposes(x->m, json_object_get(in, "purposes"), kb, errs);
	if (json_array_size(errs) > 0)
		goto done;
	mm_time_format(mm_now_ms(), when);
	retention_end(x->m, ended, ret);
	if ((rc = store_prepare(x->st, "UPDATE mn_subject SET name = $1, name_kana = $2, relation = $3, use_ended_on = $4,"
	    " retention_end = $5, updated_at = $6, updated_by = $7 WHERE id = $8", &s, err)) != 0)
		goto done;
	store_bind_text(s, "$1", name);
	store_bind_text(s, "$2", kana);
	store_bind_text(s, "$3", relation);
	store_bind_text(s, "$4", ended);
	store_bind_text(s, "$5", ret[0] ? ret : NULL);
	store_bind_text(s, "$6", when);
	store_bind_text(s, "$7", x->who->login);
	store_bind_int(s, "$8", id);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto done;
	if ((rc = store_text_index_write(x->st, "mn_subject", NAME_COLS, 2, id,
	    (const char *const[]){json_string_value(json_object_get(cur, "name")),
	    json_string_value(json_object_get(cur, "name_kana"))}, (const char *const[]){name, kana}, err)) != 0)
		goto done;
	if (json_object_get(in, "purposes") && (rc = set_purposes(x, id, json_object_get(in, "purposes"), err)) != 0)
		goto done;
	/* a new retention end moves the number's data key to that epoch's key */
	vault_epoch_of(ret[0] ? ret : NULL, epoch);
	vault_epoch_of(json_string_value(json_object_get(cur, "retention_end")), old_epoch);
	if (json_is_string(json_object_get(cur, "masked")) && strcmp(epoch, old_epoch) != 0 &&
	    (rc = vault_rewrap(x, id, epoch, err)) != 0)
		goto done;
	rc = vault_audit(x, "mynumber.update", id, AUDIT_UPDATE, NULL, NULL, err);
done:
	json_decref(cur);
	return vault_finish(x, rc, errs, errors, err);
}

int
vault_number_set(struct vault_ctx *x, int64_t id, const char *number, const char *reason, json_t **errors,
    struct mm_err *err)
{
	json_t *errs = json_array(), *cur = NULL;
	char digits[VAULT_NUMBER_MAX + 1] = "", epoch[8];
	struct mm_err nerr = {0};
	const char *kind;
	int corporate = 0, had, rc;

	*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	{
		struct vault_ctx quiet = *x;
		if ((rc = vault_subject_get(&quiet, -id, &cur, err)) != 0)
			goto done;
	}
	kind = json_string_value(json_object_get(cur, "kind"));
	if (strcmp(json_string_value(json_object_get(cur, "state")), "active") != 0)
		mm_errors_add(errs, "number", "state", "削除済み・削除申請中の対象者の番号は登録できません",
		    "the subject is deleted or being deleted");
	else if (normalise(number, strcmp(kind, "partner") == 0, digits, &corporate, &nerr) != 0)
		mm_errors_add(errs, "number", nerr.rule, nerr.msg_ja, nerr.msg);
	if (reason == NULL || *reason == '\0')
		mm_errors_add(errs, "reason", "required", "登録・訂正の理由を入力してください", "give the reason");
	if (json_array_size(errs) > 0)
		goto done;
	had = json_is_string(json_object_get(cur, "masked"));
	vault_epoch_of(json_string_value(json_object_get(cur, "retention_end")), epoch);
	if ((rc = store_number(x, id, digits, corporate ? "corporate" : "individual", epoch, errs, err)) != 0 ||
	    (rc = vault_record(x, had ? "correction" : "collect", id, NULL, reason, err)) != 0)
		goto done;
	rc = vault_audit(x, had ? "mynumber.correct" : "mynumber.collect", id, AUDIT_UPDATE, NULL, NULL, err);
done:
	mm_wipe(digits, sizeof(digits));
	json_decref(cur);
	if (rc == MM_EINVAL && json_array_size(errs) > 0)
		rc = 0;
	return vault_finish(x, rc, errs, errors, err);
}

int
vault_identity_check(struct vault_ctx *x, int64_t id, json_t *in, json_t **errors, struct mm_err *err)
{
	json_t *errs = json_array();
	int rc;

	*errors = NULL;
	if ((rc = store_begin(x->st, err)) != 0) {
		json_decref(errs);
		return rc;
	}
	if ((rc = exists(x->st, "SELECT 1 FROM mn_subject WHERE id = $1", id, err)) <= 0) {
		rc = rc < 0 ? rc : mm_err_set(err, MM_ENOTFOUND, "id", "no subject %lld", (long long)id);
		return vault_finish(x, rc, errs, errors, err);
	}
	if ((rc = add_identity_check(x, id, in, errs, err)) == 0 && json_array_size(errs) == 0)
		rc = vault_audit(x, "mynumber.identity_check", id, AUDIT_UPDATE, NULL, NULL, err);
	return vault_finish(x, rc, errs, errors, err);
}

#define COUNT_CAP 10000 /* totals above this show as "10,000 or more" */
#define SEARCH_MAX 100  /* bytes of a search */

/* The subject's purposes come with its row, as codes separated by spaces: one statement per page, not one per subject. */
static const char SUBJECT_COLS[] = "s.id, s.kind, s.person_id, s.parent_id, s.name, s.name_kana, s.relation,"
    " s.use_ended_on, s.retention_end, s.state, s.stub, s.created_at, s.updated_at, n.kind, n.tail,"
    " (SELECT group_concat(p.purpose, ' ') FROM mn_subject_purpose p WHERE p.subject_id = s.id)";

/* Appends the purpose codes of a subject row (column 15), in order, to the array purposes. */
static void
row_purposes(struct store_stmt *s, json_t *purposes)
{
	const char *list = store_col_text(s, 15);
	char code[64];

	while (list && *list) {
		size_t n = strcspn(list, " ");
		size_t at = 0;
		if (n > 0 && n < sizeof(code)) {
			memcpy(code, list, n);
			code[n] = '\0';
			/* codes are few (at most the catalogue's six): keep them sorted by insertion */
			while (at < json_array_size(purposes) && strcmp(json_string_value(json_array_get(purposes, at)), code) < 0)
				at++;
			json_array_insert_new(purposes, at, json_string(code));
		}
		list += n + (list[n] == ' ');
	}
}

static json_t *
subject_row(struct store_stmt *s)
{
	static const char *const names[] = {"id", "kind", "person_id", "parent_id", "name", "name_kana", "relation",
	    "use_ended_on", "retention_end", "state", NULL, "created_at", "updated_at"};
	json_t *o = json_object();
	const char *nkind = store_col_text(s, 13), *tail = store_col_text(s, 14), *stub = store_col_text(s, 10);
	char masked[24];

	for (int i = 0; i < 13; i++) {
		if (names[i] == NULL)
			continue;
		if (store_col_is_null(s, i))
			json_object_set_new(o, names[i], json_null());
		else if (i == 0 || i == 2 || i == 3)
			json_object_set_new(o, names[i], json_integer(store_col_int(s, i)));
		else
			json_object_set_new(o, names[i], json_string(store_col_text(s, i)));
	}
	json_object_set_new(o, "number_kind", nkind ? json_string(nkind) : json_null());
	if (tail || stub) {
		snprintf(masked, sizeof(masked), "%s%s", nkind && strcmp(nkind, "corporate") == 0 ? "*********" : "********",
		    tail ? tail : stub);
		json_object_set_new(o, "masked", json_string(masked));
	} else {
		json_object_set_new(o, "masked", json_null());
	}
	json_object_set_new(o, "purposes", json_array());
	row_purposes(s, json_object_get(o, "purposes"));
	return o;
}

/* The identity checks (本人確認) of subject o, as its identity_checks. */
static int
fill_checks(struct store *st, json_t *o, struct mm_err *err)
{
	struct store_stmt *c;
	json_t *checks = json_array();
	int rc;

	json_object_set_new(o, "identity_checks", checks);
	if ((rc = store_prepare(st, "SELECT number_document, identity_document, checked_by, checked_at"
	    " FROM mn_identity_check WHERE subject_id = $1 ORDER BY id", &c, err)) != 0)
		return rc;
	store_bind_int(c, "$1", json_integer_value(json_object_get(o, "id")));
	while ((rc = store_step(c, err)) == STORE_ROW)
		json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:s}", "number_document", store_col_text(c, 0),
		    "identity_document", store_col_text(c, 1), "checked_by", store_col_text(c, 2), "checked_at",
		    store_col_text(c, 3)));
	store_finalize(c);
	return rc < 0 ? rc : 0;
}

/*
 * The server's threads take turns to commit the audit event of a read: each thread has its own
 * connection, and one that finds the write lock taken sleeps in SQLite's busy handler for a
 * millisecond or more, while the commit it waits for takes a fraction of that. With 64 connections
 * on the masked list those sleeps made the slowest answers several times slower
 * (docs/performance.md, "My Number vault").
 */
static pthread_mutex_t read_audit_lock = PTHREAD_MUTEX_INITIALIZER;

/* The audit event of a read (a list, a subject seen), committed before the answer is given. */
static int
audit_read(struct vault_ctx *x, const char *action, int64_t id, struct mm_err *err)
{
	int rc;

	pthread_mutex_lock(&read_audit_lock);
	if ((rc = store_begin(x->st, err)) == 0) {
		if ((rc = vault_audit(x, action, id, AUDIT_READ, NULL, NULL, err)) == 0)
			rc = store_commit(x->st, err);
		else
			store_rollback(x->st);
	}
	pthread_mutex_unlock(&read_audit_lock);
	return rc;
}

/*
 * One subject. A negative id reads without auditing, for the vault's own use inside a transaction
 * that audits its own action.
 */
int
vault_subject_get(struct vault_ctx *x, int64_t id, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	char sql[640];
	int quiet = id < 0, rc;

	*out = NULL;
	id = quiet ? -id : id;
	snprintf(sql, sizeof(sql), "SELECT %s FROM mn_subject s LEFT JOIN mn_number n ON n.subject_id = s.id"
	    " WHERE s.id = $1", SUBJECT_COLS);
	if ((rc = store_prepare(x->st, sql, &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	if (rc == STORE_ROW)
		*out = subject_row(s);
	store_finalize(s);
	if (rc == STORE_DONE)
		return mm_err_set(err, MM_ENOTFOUND, "id", "no subject %lld", (long long)id);
	if (rc < 0)
		return rc;
	rc = fill_checks(x->st, *out, err);
	if (rc == 0 && !quiet)
		rc = audit_read(x, "mynumber.view", id, err);
	if (rc != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int
vault_sync(struct store *st, struct mm_err *err)
{
	int rc;

	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = store_text_index_ensure(st, "mn_subject", NAME_COLS, 2, err)) != 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, err);
}

/*
 * The conditions of a list, only those that are set: a condition such as ($1 = '' OR s.kind = $1)
 * keeps SQLite from using an index for it (the kind index, the fast count of an unfiltered list). The
 * values are bound, never written into the SQL: $1 kind, $2 state, $3 the name search (the ids of
 * the store's text index, idsql, or else a LIKE pattern).
 */
static void
list_where(const char *kind, const char *state, const char *q, const char *idsql, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s%s%s%s%s", kind ? " WHERE s.kind = $1" : "",
	    state ? (kind ? " AND" : " WHERE") : "", state ? " s.state = $2" : "",
	    q ? (kind || state ? " AND" : " WHERE") : "", q && idsql ? " s.id IN (" : "", q && idsql ? idsql : "",
	    !q ? "" : idsql ? ")" : " (s.name LIKE $3 ESCAPE '\\' OR s.name_kana LIKE $3 ESCAPE '\\')");
}

static void
list_bind(struct store_stmt *s, const char *kind, const char *state, const char *like)
{
	if (kind)
		store_bind_text(s, "$1", kind);
	if (state)
		store_bind_text(s, "$2", state);
	if (like)
		store_bind_text(s, "$3", like);
}

int
vault_subject_list(struct vault_ctx *x, const char *q, const char *kind, const char *state, int64_t page,
    int64_t per_page, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	char sql[2048], where[800], like[SEARCH_MAX * 4 + 16], idsql[512];
	int indexed = 0;
	json_t *items = json_array();
	int64_t total = 0;
	int rc;

	*out = NULL;
	if (page <= 0)
		page = 1;
	if (per_page <= 0)
		per_page = 50;
	if (per_page > 200 || page > 1000000) {
		json_decref(items);
		return mm_err_input(err, "per_page", "range", "1ページの件数は1〜200にしてください", "per_page must be 1 to 200");
	}
	if (kind && *kind && kind_bit(kind) == 0) {
		json_decref(items);
		return mm_err_input(err, "kind", "choice", "種別が正しくありません", "unknown kind");
	}
	if (q && strlen(q) > SEARCH_MAX) {
		json_decref(items);
		return mm_err_input(err, "q", "max_length", "検索語が長すぎます", "the search is too long");
	}
	kind = kind && *kind ? kind : NULL;
	state = state && *state ? state : NULL;
	q = q && *q ? q : NULL;
	/* a name search reads the store's text index when it can answer (3 characters or more, or its
	   short-term table), else compares with LIKE: the same matches either way */
	if (q)
		indexed = store_text_index_ids(x->st, "mn_subject", NAME_COLS, 2, q, "$3", idsql, sizeof(idsql), like,
		    sizeof(like)) == 1;
	if (q && !indexed)
		mm_like_contains(q, like, sizeof(like));
	list_where(kind, state, q, indexed ? idsql : NULL, where, sizeof(where));
	/*
	 * Without a search the total is read from the kept counts (mn_subject_count, schema 8). A search
	 * counts its matches, and since counting a million rows costs more than the page itself, the count
	 * stops at COUNT_CAP.
	 */
	if (q)
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT 1 FROM mn_subject s%s LIMIT %d) c", where,
		    COUNT_CAP + 1);
	else
		snprintf(sql, sizeof(sql), "SELECT coalesce(sum(s.n), 0) FROM mn_subject_count s%s", where);
	if ((rc = store_prepare(x->st, sql, &s, err)) != 0)
		goto fail;
	list_bind(s, kind, state, q ? like : NULL);
	if ((rc = store_step(s, err)) == STORE_ROW)
		total = store_col_int(s, 0);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	/* LIMIT and OFFSET bound too: every page of a search is one cached statement */
	snprintf(sql, sizeof(sql), "SELECT %s FROM mn_subject s LEFT JOIN mn_number n ON n.subject_id = s.id%s"
	    " ORDER BY s.id DESC LIMIT $4 OFFSET $5", SUBJECT_COLS, where);
	if ((rc = store_prepare(x->st, sql, &s, err)) != 0)
		goto fail;
	list_bind(s, kind, state, q ? like : NULL);
	store_bind_int(s, "$4", per_page);
	store_bind_int(s, "$5", (page - 1) * per_page);
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(items, subject_row(s));
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if ((rc = audit_read(x, "mynumber.list", 0, err)) != 0)
		goto fail;
	*out = json_pack("{s:o, s:I, s:b, s:I, s:I}", "items", items, "total", (json_int_t)(total > COUNT_CAP ? COUNT_CAP
	    : total), "total_capped", total > COUNT_CAP, "page", (json_int_t)page, "per_page", (json_int_t)per_page);
	return 0;
fail:
	json_decref(items);
	return rc;
}
