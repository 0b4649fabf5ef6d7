/*
 * Violation checks (違反の検出): rules of the regulations that the ledgers, mamori's own accounts and
 * the vault show broken right now. Nothing is stored: a violation clears when the data is put right.
 */
#include "workflow/internal.h"
#include "workflow/approvals.h"
#include "base/str.h"
#include "base/time.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* What every check is given. */
struct vctx {
	struct mamori *m;
	struct store *st;
	const struct principal *pr;
	int64_t now;
	char today[WF_DATE_LEN];
	json_t *out;
	int64_t *hidden;
	int visible; /* the current check's ledger may be read by the principal */
};

/*
 * One kind of violation, and the profile key naming the role that must put it right (for an
 * overdue take-out, POLICY_KEY_COUNT: the approver of the take-out's class, [takeout]).
 */
struct vdef {
	const char *code, *title_ja, *title_en, *source;
	enum policy_key owner;
};

static const struct vdef V_LEAVER_ACCOUNT = {"leaver_account", "退職者のアカウントが有効なまま",
    "A leaver's account is still active", "004 5章4; 002 第10条4; 001 システム管理規程 §4.1.3",
    POLICY_VIOLATION_LEAVER_ACCOUNT};
static const struct vdef V_LEAVER_USER_ID = {"leaver_user_id", "退職者のユーザIDが停止・廃止されていない",
    "A leaver's user id is neither disabled nor abolished", "004 5章4; 002 第10条4",
    POLICY_VIOLATION_LEAVER_USER_ID};
static const struct vdef V_PRIVILEGED_SHARED = {"privileged_id_shared", "特権IDの共用",
    "A privileged id is shared", "002 第11条; 004 5章9.3", POLICY_VIOLATION_PRIVILEGED_ID_SHARED};
static const struct vdef V_PRIVILEGED_NAME = {"privileged_id_name", "推測されやすい特権ID名",
    "A privileged id has a forbidden name", "004 5章9.3", POLICY_VIOLATION_PRIVILEGED_ID_NAME};
static const struct vdef V_SCREEN_LOCK = {"screen_lock", "画面ロックの時間が上限を超えている",
    "Screen lock waits longer than allowed", "004 7章3.2; 001 システム管理規程 §4.3.1(7)",
    POLICY_VIOLATION_SCREEN_LOCK};
static const struct vdef V_TAKEOUT = {"takeout_overdue", "持出物が返却予定日を過ぎても未返却",
    "A take-out is past its return date", "003 §6.4; 004 3章2; 002 第21条1(4)", POLICY_KEY_COUNT};
static const struct vdef V_KEY = {"key_overdue", "鍵・カードが返却予定日時を過ぎても未返却",
    "A key or card is past its return time", "003 §6.3.4, §6.1.1", POLICY_VIOLATION_KEY_OVERDUE};
static const struct vdef V_SOFTWARE = {"software_unpermitted", "許可のないソフトウェアの導入",
    "Software installed without permission", "004 7章1.1, 1.2; 002 第7条4, 5; 000 【４】(オ)",
    POLICY_VIOLATION_SOFTWARE_UNPERMITTED};
static const struct vdef V_VENDOR = {"vendor_unevaluated", "委託先の評価が完了していない",
    "A vendor's evaluation is incomplete or out of date", "004 9章1.1, 1.4",
    POLICY_VIOLATION_VENDOR_UNEVALUATED};
static const struct vdef V_MYNUMBER = {"mynumber_retention", "保存期間を経過した個人番号が残っている",
    "A My Number is kept past its retention", "003 §6.5; 004 4章2.11",
    POLICY_VIOLATION_MYNUMBER_RETENTION};

/*
 * Adds a violation whose owner is the role(s) of the profile key owner (or counts it when the
 * principal may not see the ledger).
 */
static void
add_owned(struct vctx *v, const struct vdef *d, enum policy_key owner, json_t *target,
    const char *msg_ja, const char *msg_en)
{
	const struct policy *p = v->m->md_policy;
	json_t *item;

	if (!v->visible) {
		(*v->hidden)++;
		json_decref(target);
		return;
	}
	item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "code", d->code, "title",
	    d->title_ja, "title_en", d->title_en, "message", msg_ja, "message_en", msg_en, "source",
	    d->source, "target", target);
	wf__set_owner(item, wf__roles(p, owner), owner, policy_source(p, owner));
	json_array_append_new(v->out, item);
}

/* Adds a violation owned as its kind says. */
static void
add(struct vctx *v, const struct vdef *d, json_t *target, const char *msg_ja, const char *msg_en)
{
	add_owned(v, d, d->owner, target, msg_ja, msg_en);
}

/* Runs sql ($1: today, when the query uses it) and calls fn for each row. */
static int
each_row(struct vctx *v, const char *sql, int (*fn)(struct vctx *, struct store_stmt *), struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(v->st, sql, &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", v->today);
	while ((rc = store_step(s, err)) == STORE_ROW)
		if ((rc = fn(v, s)) != 0)
			break;
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The date by which a leaver's access must be gone: left_on + [account] revoke_deadline. */
static int
revoke_by(struct vctx *v, const char *left_on, char out[WF_DATE_LEN])
{
	if (policy_is_unset(v->m->md_policy, POLICY_ACCOUNT_REVOKE_DEADLINE))
		return -1;
	return wf__date_add(left_on, policy_duration(v->m->md_policy, POLICY_ACCOUNT_REVOKE_DEADLINE), 1, out);
}

/* mamori's own accounts: an account whose access has ended is no violation once it is disabled. */
static int
leaver_account(struct vctx *v, struct store_stmt *s)
{
	const char *login = store_col_text(s, 1), *name = store_col_text(s, 2), *left = store_col_text(s, 3);
	char by[WF_DATE_LEN], ja[512], en[512];

	if (revoke_by(v, left, by) != 0 || strcmp(v->today, by) <= 0)
		return 0;
	snprintf(ja, sizeof(ja), "%s（%s 退職）のアカウント %s が無効化されていません（期限 %s）", name, left, login, by);
	snprintf(en, sizeof(en), "the account %s of %s (left %s) is not disabled (deadline %s)", login, name, left, by);
	add(v, &V_LEAVER_ACCOUNT, json_pack("{s:s, s:I, s:s}", "type", "account", "id",
	    (json_int_t)store_col_int(s, 0), "title", login), ja, en);
	return 0;
}

static int
leaver_user_id(struct vctx *v, struct store_stmt *s)
{
	const char *sys = store_col_text(s, 1), *login = store_col_text(s, 2), *name = store_col_text(s, 3),
		   *left = store_col_text(s, 4);
	char by[WF_DATE_LEN], ja[512], en[512];

	if (revoke_by(v, left, by) != 0 || strcmp(v->today, by) <= 0)
		return 0;
	snprintf(ja, sizeof(ja), "%s（%s 退職）のユーザID %s（%s）が停止・廃止されていません（期限 %s）", name, left,
	    login, sys ? sys : "", by);
	snprintf(en, sizeof(en), "the user id %s (%s) of %s (left %s) is neither disabled nor abolished (deadline %s)",
	    login, sys ? sys : "", name, left, by);
	add(v, &V_LEAVER_USER_ID, wf__target("user_ids", store_col_int(s, 0), login), ja, en);
	return 0;
}

static int
privileged_shared(struct vctx *v, struct store_stmt *s)
{
	const char *sys = store_col_text(s, 1), *login = store_col_text(s, 2);
	char ja[512], en[512];

	if (store_col_is_null(s, 3)) {
		snprintf(ja, sizeof(ja), "特権ID %s（%s）の利用者が特定されていません（共用）", login, sys ? sys : "");
		snprintf(en, sizeof(en), "the privileged id %s (%s) names no single user (shared)", login, sys ? sys : "");
	} else {
		snprintf(ja, sizeof(ja), "特権ID %s が複数の利用者に割り当てられています", login);
		snprintf(en, sizeof(en), "the privileged id %s is held by several people", login);
	}
	add(v, &V_PRIVILEGED_SHARED, wf__target("user_ids", store_col_int(s, 0), login), ja, en);
	return 0;
}

static int
privileged_name(struct vctx *v, struct store_stmt *s)
{
	const char *login = store_col_text(s, 2);
	char lower[200], ja[512], en[512];
	size_t i;

	for (i = 0; login[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)login[i]);
	lower[i] = '\0';
	if (!policy_list_has(v->m->md_policy, POLICY_ACCOUNT_FORBIDDEN_LOGINS, lower))
		return 0;
	snprintf(ja, sizeof(ja), "特権ID %s は推測されやすい名前です（使用禁止: %s）", login,
	    policy_text(v->m->md_policy, POLICY_ACCOUNT_FORBIDDEN_LOGINS));
	snprintf(en, sizeof(en), "the privileged id %s has a forbidden name (%s)", login,
	    policy_text(v->m->md_policy, POLICY_ACCOUNT_FORBIDDEN_LOGINS));
	add(v, &V_PRIVILEGED_NAME, wf__target("user_ids", store_col_int(s, 0), login), ja, en);
	return 0;
}

static int
screen_lock(struct vctx *v, struct store_stmt *s)
{
	const char *asset = store_col_text(s, 1);
	char ja[512], en[512];

	snprintf(ja, sizeof(ja), "%s の画面ロックが %lld 分で、上限を超えています", asset,
	    (long long)store_col_int(s, 2));
	snprintf(en, sizeof(en), "%s locks its screen after %lld minutes, over the limit", asset,
	    (long long)store_col_int(s, 2));
	add(v, &V_SCREEN_LOCK, wf__target("devices", store_col_int(s, 0), asset), ja, en);
	return 0;
}

/*
 * The profile key of the approver of a take-out's class, from the approval engine's route of
 * `takeout`: the one who let it go acts when it is not back.
 */
static enum policy_key
takeout_approver_key(const char *cls)
{
	const struct approval_type *t = approval_type_find("takeout");

	for (size_t i = 0; t && cls && i < APPROVAL_CLASSES_MAX && t->routes[i].cls; i++)
		if (strcmp(t->routes[i].cls, cls) == 0)
			return t->routes[i].step[0];
	return POLICY_TAKEOUT_APPROVER_CONFIDENTIAL;
}

static int
takeout(struct vctx *v, struct store_stmt *s)
{
	const char *no = store_col_text(s, 1), *item = store_col_text(s, 2), *due = store_col_text(s, 3);
	enum policy_key k = takeout_approver_key(store_col_text(s, 4));
	char ja[512], en[512];
	json_t *last;

	snprintf(ja, sizeof(ja), "持出 %s（%s）が返却予定日 %s を過ぎても返却されていません", no ? no : "", item ? item : "", due);
	snprintf(en, sizeof(en), "take-out %s (%s) is not back; it was due on %s", no ? no : "", item ? item : "", due);
	add_owned(v, &V_TAKEOUT, k, wf__target("takeouts", store_col_int(s, 0), no), ja, en);
	last = json_array_get(v->out, json_array_size(v->out) - 1);
	/* a class without an approver in the profile: the department head (004 ch3 §2, 社外秘) */
	if (v->visible && last && json_is_null(json_object_get(last, "owner")))
		wf__set_owner(last, 1u << ROLE_DEPT_HEAD, k,
		    "mamori default (no approver for this class in the profile)");
	return 0;
}

static int
key(struct vctx *v, struct store_stmt *s)
{
	const char *no = store_col_text(s, 1), *due = store_col_text(s, 2);
	char ja[512], en[512];
	int64_t due_ms;

	if (mm_time_parse(due, &due_ms) != 0 || v->now <= due_ms)
		return 0;
	snprintf(ja, sizeof(ja), "鍵・カード %s が返却予定日時 %s を過ぎても返却されていません", no, due);
	snprintf(en, sizeof(en), "key or card %s is not back; it was due at %s", no, due);
	add(v, &V_KEY, wf__target("keys", store_col_int(s, 0), no), ja, en);
	return 0;
}

static int
software(struct vctx *v, struct store_stmt *s)
{
	const char *no = store_col_text(s, 1), *name = store_col_text(s, 2), *cat = store_col_text(s, 3);
	char ja[512], en[512];
	int freeware = strcmp(cat, "freeware") == 0;

	snprintf(ja, sizeof(ja), "%s（%s）は%sですが、許可年月日がありません", name ? name : "", no ? no : "",
	    freeware ? "フリーウェア（例外許可）" : "追加ソフトウェア（許可制）");
	snprintf(en, sizeof(en), "%s (%s) is %s but has no date of permission", name ? name : "", no ? no : "",
	    freeware ? "freeware (by exception)" : "additional software (by permission)");
	add(v, &V_SOFTWARE, wf__target("software", store_col_int(s, 0), no ? no : name), ja, en);
	return 0;
}

#define VENDOR_CRITERIA 15

static int
vendor(struct vctx *v, struct store_stmt *s)
{
	const char *name = store_col_text(s, 1);
	char next[WF_DATE_LEN], ja[512], en[512];
	int unrated = 0;

	for (int i = 0; i < VENDOR_CRITERIA; i++) {
		const char *c = store_col_text(s, 4 + i);
		if (c == NULL || strcmp(c, "unrated") == 0)
			unrated++;
	}
	wf__vendor_next(v->m->md_policy, store_col_text(s, 2), store_col_text(s, 3), next);
	if (unrated) {
		snprintf(ja, sizeof(ja), "委託先 %s の評価基準に未評価の項目が %d 件あります", name, unrated);
		snprintf(en, sizeof(en), "vendor %s has %d criteria not yet assessed", name, unrated);
		add(v, &V_VENDOR, wf__target("vendors", store_col_int(s, 0), name), ja, en);
	} else if (next[0] && strcmp(next, v->today) < 0) {
		snprintf(ja, sizeof(ja), "委託先 %s の次回評価日 %s を過ぎています", name, next);
		snprintf(en, sizeof(en), "vendor %s was due for re-evaluation on %s", name, next);
		add(v, &V_VENDOR, wf__target("vendors", store_col_int(s, 0), name), ja, en);
	}
	return 0;
}

static int
mynumber(struct vctx *v, struct store_stmt *s)
{
	char ja[512], en[512];
	long long id = (long long)store_col_int(s, 0);

	/* the subject's id only: its name would tell the reader who is in the vault */
	snprintf(ja, sizeof(ja), "対象者 #%lld の個人番号が保存期限 %s を過ぎても削除されていません", id, store_col_text(s, 1));
	snprintf(en, sizeof(en), "the My Number of subject #%lld is kept past its retention end %s", id,
	    store_col_text(s, 1));
	add(v, &V_MYNUMBER, json_pack("{s:s, s:I, s:s}", "type", "mynumber_subject", "id", (json_int_t)id, "title",
	    ""), ja, en);
	return 0;
}

/* An id is active until the day it is disabled or abolished. */
#define UID_ACTIVE(t) \
	" (" t ".disabled_on IS NULL OR " t ".disabled_on > $1) AND (" t ".abolished_on IS NULL OR " t \
	".abolished_on > $1)"

int
check_violations(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    json_t **out, int64_t *hidden, struct mm_err *err)
{
	static const char vendor_sql[] =
	    "SELECT id, name, next_evaluation, evaluated_on, criterion_01, criterion_02, criterion_03,"
	    " criterion_04, criterion_05, criterion_06, criterion_07, criterion_08, criterion_09, criterion_10,"
	    " criterion_11, criterion_12, criterion_13, criterion_14, criterion_15 FROM reg_vendors"
	    " WHERE contract_end IS NULL OR contract_end >= $1 ORDER BY id";
	int64_t hid = 0;
	struct vctx v = {.m = m, .st = st, .pr = pr, .now = now, .hidden = &hid};
	int rc;

	*out = NULL;
	wf__today(now, v.today);
	if ((v.out = json_array()) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	v.visible = authz_check(pr, PERM_ACCOUNTS_READ, m->md_policy);
	if ((rc = each_row(&v,
	    "SELECT a.id, a.login, p.name, p.left_on FROM account a JOIN person p ON p.id = a.person_id"
	    " WHERE p.left_on IS NOT NULL AND a.disabled_at IS NULL ORDER BY a.id", leaver_account, err)) != 0)
		goto fail;
	v.visible = wf__can_read(pr, "user_ids");
	if ((rc = each_row(&v,
	    "SELECT u.id, u.system, u.login, p.name, p.left_on FROM reg_user_ids u JOIN person p ON p.id = u.person"
	    " WHERE p.left_on IS NOT NULL AND" UID_ACTIVE("u") " ORDER BY u.id", leaver_user_id, err)) != 0)
		goto fail;
	if ((rc = each_row(&v,
	    "SELECT u.id, u.system, u.login, u.person FROM reg_user_ids u WHERE u.privileged = 1 AND" UID_ACTIVE("u")
	    " AND (u.person IS NULL OR (SELECT count(DISTINCT w.person) FROM reg_user_ids w WHERE w.privileged = 1"
	    " AND lower(w.login) = lower(u.login) AND" UID_ACTIVE("w") ") > 1) ORDER BY u.id", privileged_shared,
	    err)) != 0)
		goto fail;
	if ((rc = each_row(&v, "SELECT u.id, u.system, u.login FROM reg_user_ids u WHERE u.privileged = 1 AND"
	    UID_ACTIVE("u") " ORDER BY u.id", privileged_name, err)) != 0)
		goto fail;
	v.visible = wf__can_read(pr, "devices");
	if ((rc = each_row(&v, "SELECT id, asset_no, screen_lock_minutes FROM reg_devices"
	    " WHERE screen_lock_over_limit = 1 AND (status IS NULL OR status <> 'disposed') ORDER BY id",
	    screen_lock, err)) != 0)
		goto fail;
	v.visible = wf__can_read(pr, "takeouts");
	if ((rc = each_row(&v,
	    "SELECT id, takeout_no, item, return_due, item_class FROM reg_takeouts"
	    " WHERE takeout_time IS NOT NULL AND returned_time IS NULL AND return_due < $1 ORDER BY id", takeout,
	    err)) != 0)
		goto fail;
	v.visible = wf__can_read(pr, "keys");
	if ((rc = each_row(&v, "SELECT id, key_no, due_time FROM reg_keys WHERE lent_time IS NOT NULL"
	    " AND returned_time IS NULL AND due_time IS NOT NULL ORDER BY id", key, err)) != 0)
		goto fail;
	v.visible = wf__can_read(pr, "software");
	if ((rc = each_row(&v, "SELECT id, software_no, name, category FROM reg_software"
	    " WHERE category IN ('additional', 'freeware') AND permitted_on IS NULL ORDER BY id",
	    software, err)) != 0)
		goto fail;
	v.visible = wf__can_read(pr, "vendors");
	if ((rc = each_row(&v, vendor_sql, vendor, err)) != 0)
		goto fail;
	/* the subject's id and date only, which every reader of the check may see */
	v.visible = 1;
	if ((rc = each_row(&v, "SELECT id, retention_end FROM mn_subject WHERE state = 'active'"
	    " AND retention_end IS NOT NULL AND retention_end < $1 ORDER BY id", mynumber, err)) != 0)
		goto fail;
	if (hidden)
		*hidden = hid;
	*out = v.out;
	return 0;
fail:
	json_decref(v.out);
	return rc;
}
