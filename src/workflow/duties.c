/*
 * The periodic duties of the regulations (定期的な義務), their calendar and their completion records.
 * Each duty's cycle is a profile key; `unset` means the company's regulation sets none and the duty
 * is not tracked.
 */
#include "workflow/internal.h"
#include "base/str.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct duty_def defs[] = {
    {"log_review", "アクセスログ・ファイアウォールログの点検（前月分）",
        "Review of last month's access and firewall logs", ROLE_SYSADMIN, POLICY_CYCLE_LOG_REVIEW,
        "000 【５】(ウ), 【６】(イ); 001 システム管理規程 §4.8.1(2), §4.2.4(5)"},
    {"security_audit", "情報セキュリティ監査", "Information security audit", ROLE_AUDITOR,
        POLICY_CYCLE_SECURITY_AUDIT, "002 第36条; 001 監査規程 §4.1"},
    {"mynumber_inspection", "特定個人情報の取扱状況・安全管理措置の点検",
        "Inspection of the handling of My Numbers", ROLE_MYNUMBER_MANAGER,
        POLICY_CYCLE_MYNUMBER_INSPECTION, "003 §4.1.1 3) e); 004 4章5.1.5"},
    {"handler_training", "事務取扱担当者の教育", "Training of My Number handlers", ROLE_MYNUMBER_MANAGER,
        POLICY_CYCLE_HANDLER_TRAINING, "003 §5.1; §4.1.1 3) c)"},
    {"education_plan", "情報セキュリティ教育計画の策定", "Information security education plan",
        ROLE_EDUCATION_LEAD, POLICY_CYCLE_EDUCATION_PLAN, "004 2章4; 001 人的管理規程 §4.3.1"},
    {"account_review", "アカウント・アクセス権の棚卸し", "Review of accounts and access rights",
        ROLE_SYSADMIN, POLICY_CYCLE_ACCOUNT_REVIEW, "001 システム管理規程 §4.1.2(2), §4.1.3"},
    {"regulation_review", "規程の見直し", "Review of each regulation", ROLE_SECURITY_OFFICER,
        POLICY_CYCLE_REGULATION_REVIEW, "001 各規程 §9 (改訂)"},
    {"server_inspection", "サーバの第三者点検", "Third-party server inspection", ROLE_SYSADMIN,
        POLICY_CYCLE_SERVER_INSPECTION, "001 システム管理規程 §4.2.4(7)"},
    {"lan_department_check", "部門ごとのLAN接続状態の確認", "Check of each department's LAN connections",
        ROLE_SYSADMIN, POLICY_CYCLE_LAN_DEPARTMENT_CHECK, "001 システム管理規程 §4.4.3(1)"},
    {"vulnerability_report", "脆弱性情報の定例報告（危険度 中・低）",
        "Regular report of medium and low vulnerabilities", ROLE_SYSADMIN,
        POLICY_CYCLE_VULNERABILITY_REPORT, "001 システム管理規程 §4.7.2(1)"},
    {"security_briefing", "情報セキュリティ一般説明会", "General information security briefing",
        ROLE_EDUCATION_LEAD, POLICY_CYCLE_SECURITY_BRIEFING, "001 人的管理規程 §4.3.1(1)"},
    {"pc_use_training", "PC利用に伴う教育", "Training in the use of PCs", ROLE_EDUCATION_LEAD,
        POLICY_CYCLE_PC_USE_TRAINING, "001 システム利用規程 §4.1.7(4)"},
    {"malware_training", "マルウェアやサイバー攻撃に関する教育", "Training on malware and cyber attacks",
        ROLE_EDUCATION_LEAD, POLICY_CYCLE_MALWARE_TRAINING, "001 システム利用規程 §4.3.1(2)"},
    {"sns_training", "SNS利用に関する教育", "Training in the use of social media", ROLE_EDUCATION_LEAD,
        POLICY_CYCLE_SNS_TRAINING, "001 SNS利用規程 §5"},
    {"sns_questionnaire", "SNS利用の問題に関するアンケート", "Questionnaire on social-media problems",
        ROLE_SECURITY_OFFICER, POLICY_CYCLE_SNS_QUESTIONNAIRE, "001 SNS利用規程 §5"},
    {"risk_cycle_check", "リスク管理サイクルの確認", "Check that the risk-management cycle works",
        ROLE_SECURITY_OFFICER, POLICY_CYCLE_RISK_CYCLE_CHECK, "001 リスク管理規程 §5(2)"},
    {"risk_questionnaire", "リスク管理に関するアンケート", "Questionnaire on risk management",
        ROLE_SECURITY_OFFICER, POLICY_CYCLE_RISK_QUESTIONNAIRE, "001 リスク管理規程 §5(3)"},
    {"qualification_plan", "人材育成（資格取得）計画の策定", "Plan of security qualifications",
        ROLE_EDUCATION_LEAD, POLICY_CYCLE_QUALIFICATION_PLAN, "004 2章5"},
};

size_t
duty_defs_count(void)
{
	return sizeof(defs) / sizeof(defs[0]);
}

const struct duty_def *
duty_def_at(size_t i)
{
	return i < duty_defs_count() ? &defs[i] : NULL;
}

const struct duty_def *
duty_def_find(const char *code)
{
	for (size_t i = 0; code != NULL && i < duty_defs_count(); i++)
		if (strcmp(defs[i].code, code) == 0)
			return &defs[i];
	return NULL;
}

/* The local date the data directory was made: the first cycle counts from it. */
static int
created_on(struct store *st, char out[WF_DATE_LEN], struct mm_err *err)
{
	struct store_stmt *s;
	int64_t ms;
	int rc;

	if ((rc = store_prepare(st, "SELECT value FROM setting WHERE key = 'created_at'", &s, err)) != 0)
		return rc;
	rc = store_step(s, err);
	if (rc == STORE_ROW && mm_time_parse(store_col_text(s, 0), &ms) == 0)
		wf__today(ms, out);
	else
		wf__today(mm_now_ms(), out);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/*
 * The newest completion of a duty made by now as {completed_at, completed_by, due_on, evidence,
 * findings}, or NULL: the calendar at a past moment (the monthly report's month end) does not
 * count a completion made after it.
 */
static int
last_completion(struct store *st, const char *code, int64_t now, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	char at[MM_TIME_STRLEN];
	int rc;

	*out = NULL;
	mm_time_format(now, at);
	if ((rc = store_prepare(st,
	    "SELECT completed_at, completed_by, due_on, evidence, findings FROM duty_completion"
	    " WHERE duty = $1 AND completed_at <= $2 ORDER BY id DESC LIMIT 1", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", code);
	store_bind_text(s, "$2", at);
	if ((rc = store_step(s, err)) == STORE_ROW)
		*out = json_pack("{s:s, s:s, s:s, s:s, s:s}", "completed_at", store_col_text(s, 0),
		    "completed_by", store_col_text(s, 1), "due_on", store_col_text(s, 2), "evidence",
		    store_col_text(s, 3), "findings", store_col_text(s, 4));
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/*
 * The calendar item of one tracked periodic duty: its due date is the last completion's date
 * (or the creation date) plus the cycle. *out NULL when the cycle is unset.
 */
static int
periodic_item(struct mamori *m, struct store *st, const struct duty_def *d, const char *created,
    int64_t now, json_t **out, struct mm_err *err)
{
	const struct policy *p = m->md_policy;
	char base[WF_DATE_LEN], due[WF_DATE_LEN];
	json_t *last, *item;
	int64_t ms;
	int rc;

	*out = NULL;
	if (policy_is_unset(p, d->cycle))
		return 0;
	if ((rc = last_completion(st, d->code, now, &last, err)) != 0)
		return rc;
	snprintf(base, sizeof(base), "%s", created);
	if (last && mm_time_parse(json_string_value(json_object_get(last, "completed_at")), &ms) == 0)
		wf__today(ms, base);
	wf__date_add(base, policy_duration(p, d->cycle), 1, due);
	item = wf__duty_item(d->code, "periodic", d->title_ja, d->title_en, d->owner, due,
	    wf__state(p, due, NULL, now, last != NULL), d->source);
	json_object_set_new(item, "cycle", json_string(policy_value_text(p, d->cycle)));
	json_object_set_new(item, "cycle_source", json_string(policy_source(p, d->cycle)));
	json_object_set_new(item, "last_completion", last ? last : json_null());
	*out = item;
	return 0;
}

static int
by_due(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "due")), json_string_value(json_object_get(y, "due")));

	return c != 0 ? c : strcmp(json_string_value(json_object_get(x, "code")),
	    json_string_value(json_object_get(y, "code")));
}

/* Sorts a JSON array of items by due date, then code. */
static void
sort_by_due(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = n ? malloc(n * sizeof(*v)) : NULL;

	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(*v), by_due);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

int
duty_calendar(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    json_t **out, int64_t *hidden, struct mm_err *err)
{
	char created[WF_DATE_LEN];
	int64_t hid = 0;
	json_t *items;
	int rc;

	*out = NULL;
	if ((rc = created_on(st, created, err)) != 0)
		return rc;
	if ((items = json_array()) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	for (size_t i = 0; i < duty_defs_count(); i++) {
		json_t *item;
		if ((rc = periodic_item(m, st, &defs[i], created, now, &item, err)) != 0)
			goto fail;
		if (item)
			json_array_append_new(items, item);
	}
	if ((rc = wf__deadlines(m, st, pr, now, items, &hid, err)) != 0)
		goto fail;
	sort_by_due(items);
	if (hidden)
		*hidden = hid;
	*out = items;
	return 0;
fail:
	json_decref(items);
	return rc;
}

/* Checks evidence (required) or findings (optional): UTF-8, at most DUTY_TEXT_MAX characters. */
static int
text_check(const char *field, const char *label_ja, const char *v, int required, struct mm_err *err)
{
	long chars;

	if (v == NULL || strspn(v, " \t\r\n") == strlen(v)) {
		if (!required)
			return 0;
		return mm_err_input(err, field, "required", "実施の証跡（何を確認したか・記録の所在）を入力してください",
		    "%s is required", field);
	}
	if ((chars = mm_utf8_check(v, strlen(v), 1)) < 0)
		return mm_err_input(err, field, "text", "制御文字を含めることはできません",
		    "%s must be UTF-8 without control characters", field);
	if (chars > DUTY_TEXT_MAX) {
		mm_err_input(err, field, "max", "", "%s must be at most %d characters (it has %ld)", field,
		    DUTY_TEXT_MAX, chars);
		snprintf(err->msg_ja, sizeof(err->msg_ja), "%sは%d文字以内で入力してください", label_ja, DUTY_TEXT_MAX);
		return MM_EINVAL;
	}
	return 0;
}

int
duty_complete(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, const char *code, const char *evidence, const char *findings,
    json_t **out, struct mm_err *err)
{
	const struct duty_def *d = duty_def_find(code);
	char created[WF_DATE_LEN], when[MM_TIME_STRLEN], details[160];
	struct store_stmt *s = NULL;
	struct mm_err scratch;
	json_t *before = NULL;
	int64_t now = mm_now_ms();
	int rc;

	if (out)
		*out = NULL;
	if (err == NULL)
		err = &scratch;
	if (d == NULL)
		return mm_err_set(err, MM_ENOTFOUND, "code", "no such periodic duty");
	if (policy_is_unset(m->md_policy, d->cycle))
		return mm_err_input(err, "code", "untracked", "この義務の周期はポリシーで定められていません（未設定）",
		    "the profile sets no cycle for this duty ([%s] %s = unset)", policy_key_section(d->cycle),
		    policy_key_name(d->cycle));
	if (!pr->pr_local_operator && !(pr->pr_roles & ((1u << d->owner) | (1u << ROLE_SECURITY_OFFICER)))) {
		mm_err_input(err, "code", "owner", "この義務の担当者（または情報セキュリティ責任者）のみが実施を記録できます",
		    "only the duty's owner (%s) or the security officer may record its completion", role_key(d->owner));
		return err->code = MM_EPERM;
	}
	if ((rc = text_check("evidence", "証跡", evidence, 1, err)) != 0 ||
	    (rc = text_check("findings", "指摘事項", findings, 0, err)) != 0)
		return rc;
	if ((rc = created_on(st, created, err)) != 0)
		return rc;
	mm_time_format(now, when);
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	/* the due date this completion answers, read inside the transaction */
	if ((rc = periodic_item(m, st, d, created, now, &before, err)) != 0)
		goto fail;
	if ((rc = store_prepare(st,
	    "INSERT INTO duty_completion (duty, due_on, completed_at, completed_by, evidence, findings)"
	    " VALUES ($1, $2, $3, $4, $5, $6)", &s, err)) != 0)
		goto fail;
	store_bind_text(s, "$1", d->code);
	store_bind_text(s, "$2", json_string_value(json_object_get(before, "due")));
	store_bind_text(s, "$3", when);
	store_bind_text(s, "$4", who->login);
	store_bind_text(s, "$5", evidence);
	store_bind_text(s, "$6", findings ? findings : "");
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	/* the evidence and findings stay out of the trail; the event names the duty and its due date */
	snprintf(details, sizeof(details), "{\"due\":\"%s\",\"state\":\"%s\",\"completion\":%lld}",
	    json_string_value(json_object_get(before, "due")), json_string_value(json_object_get(before, "state")),
	    (long long)store_last_id(st));
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "duty.complete",
	    .target_type = "duty", .target_id = d->code, .access = AUDIT_CREATE, .outcome = "success",
	    .details = details}, NULL, err)) != 0)
		goto fail;
	if ((rc = store_commit(st, err)) != 0)
		goto fail_done;
	json_decref(before);
	if (out && (rc = periodic_item(m, st, d, created, now, out, err)) != 0)
		return rc;
	return 0;
fail:
	store_rollback(st);
fail_done:
	json_decref(before);
	return rc;
}
