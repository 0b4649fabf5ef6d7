/*
 * Deadline duties (期限のある義務): computed from the ledgers' dates and the vault each time they are
 * asked for, never stored. A duty is done when the ledger says so (returned, checked, renewed,
 * erased, ended), and then it leaves the calendar.
 */
#include "workflow/internal.h"
#include "base/time.h"

#include <stdio.h>
#include <string.h>

/* One kind of deadline duty: a query whose rows are (id, title, due[, due_from]). */
struct deadline {
	const char *code, *title_ja, *title_en;
	enum role owner;
	const char *reg; /* the ledger read, or NULL for the vault */
	const char *source;
	const char *sql; /* $1 (when used): today */
	/* how the due date follows from the row's date: the profile key added (or 0) */
	enum policy_key offset;
	int sign;        /* +1 after the date, -1 before it */
	int from_notice; /* 1: due from (date - offset) until the date itself (a notice duty) */
};

/* Each query keeps only the rows still open: not returned, not disposed, not erased, not ended. */
static const struct deadline deadlines[] = {
    {"lan_check", "LAN接続の確認（申請内容との一致）", "Check of a LAN connection against its application",
        ROLE_SYSADMIN, "connections", "001 システム管理規程 §4.4.3(1)",
        "SELECT id, connection_no, approved_on FROM reg_connections WHERE approved_on IS NOT NULL"
        " AND checked_on IS NULL AND ended_on IS NULL",
        POLICY_CYCLE_LAN_CHECK_AFTER, 1, 0},
    {"lan_expiry_notice", "LAN接続期間終了の通知・終了処理", "Notice and end of a LAN connection period",
        ROLE_SYSADMIN, "connections", "001 システム管理規程 §4.4.3(2), §4.4.5",
        "SELECT id, connection_no, period_end FROM reg_connections WHERE period_end IS NOT NULL"
        " AND ended_on IS NULL",
        POLICY_CYCLE_LAN_EXPIRY_NOTICE, -1, 1},
    {"vendor_evaluation", "委託先の再評価", "Re-evaluation of a vendor", ROLE_SECURITY_OFFICER, "vendors",
        "004 9章1.4; 001 外部委託先管理規程",
        "SELECT id, name, next_evaluation, evaluated_on FROM reg_vendors"
        " WHERE contract_end IS NULL OR contract_end >= $1",
        POLICY_KEY_COUNT, 0, 0},
    {"software_expiry", "ソフトウェアのライセンス有効期限", "Software licence expiry", ROLE_SYSADMIN, "software",
        "002 第7条(7), 第7条6",
        "SELECT id, coalesce(software_no, name), expires_on FROM reg_software WHERE expires_on IS NOT NULL"
        "",
        POLICY_CYCLE_EXPIRY_NOTICE, -1, 1},
    {"lease_end", "賃貸借契約期間の満了（返却）", "End of a device lease (return)", ROLE_SYSADMIN, "devices",
        "002 第5条(9)",
        "SELECT id, asset_no, lease_end FROM reg_devices WHERE lease_end IS NOT NULL"
        " AND (status IS NULL OR status <> 'disposed')",
        POLICY_CYCLE_EXPIRY_NOTICE, -1, 1},
    {"warranty_end", "保証の有効期限", "End of a device warranty", ROLE_SYSADMIN, "devices",
        "002 第5条(12)",
        /* nothing is left to do once a warranty has ended: it leaves the calendar then */
        "SELECT id, asset_no, warranty_end FROM reg_devices WHERE warranty_end IS NOT NULL"
        " AND warranty_end >= $1 AND (status IS NULL OR status <> 'disposed')",
        POLICY_CYCLE_EXPIRY_NOTICE, -1, 1},
    {"takeout_return", "持出物の返却", "Return of a take-out", ROLE_EMPLOYEE, "takeouts",
        "003 §6.4; 004 3章2; 002 第21条1(4)",
        "SELECT id, takeout_no, return_due FROM reg_takeouts WHERE takeout_time IS NOT NULL"
        " AND returned_time IS NULL AND return_due IS NOT NULL",
        POLICY_KEY_COUNT, 0, 0},
    {"key_return", "鍵・カードの返却", "Return of a key or card", ROLE_SECURITY_OFFICER, "keys",
        "003 §6.3.4, §6.1.1",
        "SELECT id, key_no, due_time FROM reg_keys WHERE lent_time IS NOT NULL AND returned_time IS NULL"
        " AND due_time IS NOT NULL",
        POLICY_KEY_COUNT, 0, 0},
    {"media_retention", "保存期限の到来した電子媒体の消去・廃棄", "Erasure of media past retention",
        ROLE_SYSADMIN, "media", "002 第21条1(6), 第21条2(3), 第25条2",
        "SELECT id, media_no, retention_end FROM reg_media WHERE retention_end IS NOT NULL"
        " AND (status IS NULL OR status IN ('stored', 'taken_out'))",
        POLICY_KEY_COUNT, 0, 0},
    {"mynumber_retention", "保存期間を経過した個人番号の削除", "Deletion of My Numbers past retention",
        ROLE_MYNUMBER_MANAGER, NULL, "003 §6.5; 004 4章2.11",
        /* the subject's id only: a name would tell a reader of the calendar who is in the vault */
        "SELECT id, '#' || id, retention_end FROM mn_subject WHERE state = 'active'"
        " AND retention_end IS NOT NULL",
        POLICY_KEY_COUNT, 0, 0},
};

/* The items of one kind of deadline duty. */
static int
one_kind(struct mamori *m, struct store *st, const struct deadline *k, const char *today, int64_t now,
    json_t *items, struct mm_err *err)
{
	const struct policy *p = m->md_policy;
	struct store_stmt *s;
	int rc;

	if (k->offset != POLICY_KEY_COUNT && policy_is_unset(p, k->offset))
		return 0; /* the profile does not track it */
	if ((rc = store_prepare(st, k->sql, &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", today);
	while ((rc = store_step(s, err)) == STORE_ROW) {
		const char *date = store_col_text(s, 2), *title = store_col_text(s, 1);
		char due[MM_TIME_STRLEN], shifted[WF_DATE_LEN];
		const char *from = NULL;
		json_t *item;

		snprintf(due, sizeof(due), "%s", date ? date : "");
		if (strcmp(k->code, "vendor_evaluation") == 0)
			wf__vendor_next(p, store_col_text(s, 2), store_col_text(s, 3), due);
		else if (k->offset != POLICY_KEY_COUNT &&
		    wf__date_add(date, policy_duration(p, k->offset), k->sign, shifted) == 0) {
			if (k->from_notice)
				from = shifted; /* due from the notice date until the date itself */
			else
				snprintf(due, sizeof(due), "%s", shifted);
		}
		if (due[0] == '\0')
			continue;
		item = wf__duty_item(k->code, "deadline", k->title_ja, k->title_en, k->owner, due,
		    wf__state(p, due, from, now, 0), k->source);
		if (k->reg)
			json_object_set_new(item, "target", wf__target(k->reg, store_col_int(s, 0), title));
		else
			json_object_set_new(item, "target", json_pack("{s:s, s:I, s:s}", "type", "mynumber_subject",
			    "id", (json_int_t)store_col_int(s, 0), "title", title ? title : ""));
		json_array_append_new(items, item);
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int
wf__deadlines(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    json_t *items, int64_t *hidden, struct mm_err *err)
{
	char today[WF_DATE_LEN];
	int rc;

	wf__today(now, today);
	for (size_t i = 0; i < sizeof(deadlines) / sizeof(deadlines[0]); i++) {
		const struct deadline *k = &deadlines[i];
		if (k->reg && !wf__can_read(pr, k->reg)) {
			json_t *tmp = json_array();
			/* counted, not shown: the caller may not read this ledger */
			if ((rc = one_kind(m, st, k, today, now, tmp, err)) != 0) {
				json_decref(tmp);
				return rc;
			}
			*hidden += (int64_t)json_array_size(tmp);
			json_decref(tmp);
			continue;
		}
		if ((rc = one_kind(m, st, k, today, now, items, err)) != 0)
			return rc;
	}
	return 0;
}
