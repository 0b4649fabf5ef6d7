/*
 * The approval engine (approvals.h, docs/internals/approvals.md): the table of request types, the
 * routes from the profile, and the requests and decisions of tables approval_request and
 * approval_decision (schema 7).
 */
#include "workflow/approvals.h"
#include "workflow/effects.h"
#include "base/str.h"
#include "base/time.h"
#include "registers/rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N APPROVAL_NO_STEP
/* clang-format off */
#define ONE(key) {{NULL, {POLICY_##key, N}}}
/* clang-format on */

/* Every request the regulations route to an approver, with the profile key of each step. */
static const struct approval_type types[] = {
    {"account_issuance", "アカウント発行", "Account issuance", "004 ch5 §3; 002 第9条",
        ONE(ACCOUNT_ISSUANCE_APPROVERS)},
    {"software_install", "ソフトウェアの導入", "Software installation", "002 第7条4; 004 ch7 §1.1",
        ONE(APPROVAL_SOFTWARE_INSTALL)},
    {"device_connection", "機器の接続", "Device connection", "002 第6条5; 004 ch7 §1.4.3",
        ONE(APPROVAL_DEVICE_CONNECTION)},
    {"pc_modification", "PCの改造・設定変更", "PC modification",
        "004 ch7 §1.1; 001 システム管理規程 §4.3", ONE(APPROVAL_PC_MODIFICATION)},
    {"media_copy", "媒体の複製", "Media copy", "004 ch3 §2", ONE(APPROVAL_MEDIA_COPY)},
    {"takeout", "持出し", "Take-out", "004 ch3 §2; 002 第21条(4); 003 §6.4",
        {{"internal", {POLICY_TAKEOUT_APPROVER_CONFIDENTIAL, N}},
            {"secret", {POLICY_TAKEOUT_APPROVER_SECRET, N}},
            {"mynumber", {POLICY_TAKEOUT_APPROVER_MYNUMBER, N}}}},
    {"remote_access", "リモートアクセス", "Remote access",
        "004 ch7 §2 (部門長、次に情報システム部門)",
        {{NULL, {POLICY_APPROVAL_REMOTE_ACCESS_STEP1, POLICY_APPROVAL_REMOTE_ACCESS_STEP2}}}},
    {"mynumber_it_access", "IT担当者の特定個人情報へのアクセス", "IT-staff access to My Numbers",
        "003 §7.1", ONE(APPROVAL_MYNUMBER_IT_ACCESS)},
    {"mynumber_deletion", "特定個人情報の削除", "Deletion of My Numbers", "004 ch4 §2.11; 003 §6.5",
        ONE(APPROVAL_MYNUMBER_DELETION)},
    {"vendor_selection", "委託先の選定", "Vendor selection", "004 ch9 §1.2",
        ONE(APPROVAL_VENDOR_SELECTION)},
    {"subcontracting", "再委託", "Subcontracting", "004 ch9 §1.3", ONE(APPROVAL_SUBCONTRACTING)},
    {"regulation_exception", "規程の例外", "Exception to a regulation", "001 各規程 §6",
        ONE(APPROVAL_REGULATION_EXCEPTION)},
    {"lan_connection", "社内LANへの接続", "LAN connection", "002 第6条5; 001 システム管理規程 §4.4",
        ONE(APPROVAL_LAN_CONNECTION)},
    {"disposal", "廃棄", "Disposal", "004 ch3 §3; 001 物理的管理規程", ONE(APPROVAL_DISPOSAL)},
};

#undef ONE
#undef N

size_t
approval_types_count(void)
{
	return sizeof(types) / sizeof(types[0]);
}

const struct approval_type *
approval_type_at(size_t i)
{
	return i < approval_types_count() ? &types[i] : NULL;
}

const struct approval_type *
approval_type_find(const char *code)
{
	for (size_t i = 0; code && i < approval_types_count(); i++)
		if (strcmp(types[i].code, code) == 0)
			return &types[i];
	return NULL;
}

static unsigned
roles_of_key(const struct policy *p, enum policy_key k)
{
	unsigned roles = 0;

	if (k == APPROVAL_NO_STEP || policy_is_unset(p, k))
		return 0;
	for (int r = 0; r < ROLE_COUNT; r++)
		if (policy_list_has(p, k, role_key((enum role)r)))
			roles |= 1u << r;
	return roles;
}

static const struct approval_route *
route_of(const struct approval_type *t, const char *cls)
{
	if (t->routes[0].cls == NULL)
		return cls == NULL || *cls == '\0' ? &t->routes[0] : NULL;
	for (size_t i = 0; cls && i < APPROVAL_CLASSES_MAX && t->routes[i].cls; i++)
		if (strcmp(t->routes[i].cls, cls) == 0)
			return &t->routes[i];
	return NULL;
}

int
approval_route_roles(const struct policy *p, const struct approval_type *t, const char *cls,
    unsigned roles[APPROVAL_STEPS_MAX], size_t *nsteps, struct mm_err *err)
{
	const struct approval_route *r = route_of(t, cls);

	*nsteps = 0;
	if (r == NULL)
		return t->routes[0].cls
		           ? mm_err_input(err, "class", "choice", "区分を選んでください",
		                 "choose one of the classes of this type")
		           : mm_err_input(err, "class", "none", "この申請に区分はありません",
		                 "this type has no classes");
	for (size_t s = 0; s < APPROVAL_STEPS_MAX; s++) {
		unsigned m = roles_of_key(p, r->step[s]);
		if (m)
			roles[(*nsteps)++] = m;
	}
	if (*nsteps == 0)
		return mm_err_input(err, "type", "no_route",
		    "プロファイルにこの申請の承認者がありません",
		    "the profile names no approver for this type");
	return 0;
}

static json_t *
roles_json(unsigned m)
{
	json_t *a = json_array();

	for (int r = 0; r < ROLE_COUNT; r++)
		if (m & (1u << r))
			json_array_append_new(a, json_string(role_key((enum role)r)));
	return a;
}

static unsigned
roles_from_json(const json_t *a)
{
	unsigned m = 0;
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
	{
		int r = role_from_key(json_string_value(v) ? json_string_value(v) : "");
		if (r >= 0)
			m |= 1u << r;
	}
	return m;
}

json_t *
approval_types_json(const struct policy *p)
{
	json_t *out = json_array();

	for (size_t i = 0; i < approval_types_count(); i++) {
		const struct approval_type *t = &types[i];
		json_t *routes = json_array(), *classes = json_array();
		for (size_t c = 0; c < APPROVAL_CLASSES_MAX && (c == 0 || t->routes[c].cls); c++) {
			unsigned roles[APPROVAL_STEPS_MAX];
			json_t *steps = json_array(), *keys = json_array();
			size_t n = 0;
			approval_route_roles(p, t, t->routes[c].cls, roles, &n, NULL);
			for (size_t s = 0; s < n; s++)
				json_array_append_new(steps, roles_json(roles[s]));
			for (size_t s = 0;
			     s < APPROVAL_STEPS_MAX && t->routes[c].step[s] != APPROVAL_NO_STEP;
			     s++) {
				char k[96];
				snprintf(k, sizeof(k), "%s.%s",
				    policy_key_section(t->routes[c].step[s]),
				    policy_key_name(t->routes[c].step[s]));
				json_array_append_new(keys, json_string(k));
			}
			if (t->routes[c].cls)
				json_array_append_new(classes, json_string(t->routes[c].cls));
			json_array_append_new(routes,
			    json_pack("{s:o, s:o, s:o}", "class",
			        t->routes[c].cls ? json_string(t->routes[c].cls) : json_null(),
			        "keys", keys, "steps", steps));
		}
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", t->code, "title",
		             t->title_ja, "title_en", t->title_en, "source", t->source, "classes",
		             classes, "routes", routes));
	}
	return out;
}

/* ---- the object of a request ---------------------------------------------------------------- */

/* The ledger and record id of a subject "register:NAME:ID"; NULL when it is free text. */
static const struct reg_def *
subject_record(const char *subject, int64_t *id)
{
	char name[64];
	const char *colon;
	char *end;
	long long n;

	if (subject == NULL || strncmp(subject, "register:", 9) != 0 ||
	    (colon = strchr(subject + 9, ':')) == NULL ||
	    (size_t)(colon - subject - 9) >= sizeof(name))
		return NULL;
	memcpy(name, subject + 9, (size_t)(colon - subject - 9));
	name[colon - subject - 9] = '\0';
	n = strtoll(colon + 1, &end, 10);
	if (*end != '\0' || n <= 0)
		return NULL;
	*id = n;
	return registers_find(name);
}

/*
 * The object as it is now, as JSON text (*out malloc'ed): the ledger record of a register subject,
 * else the request's own words. MM_ENOTFOUND when the record is gone.
 */
static int
snapshot(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t now,
    const char *subject, const char *title, const char *detail, char **out, struct mm_err *err)
{
	struct principal op = {.pr_local_operator = 1};
	int64_t id = 0;
	const struct reg_def *d = subject_record(subject, &id);
	json_t *j = NULL;
	int rc;

	*out = NULL;
	if (d) {
		struct reg_ctx x = {
		    .m = m, .st = st, .who = who, .pr = &op, .def = d, .now_ms = now};
		if ((rc = reg_load(&x, id, &j, err)) != 0)
			return rc;
		j = json_pack(
		    "{s:s, s:s, s:o}", "kind", "record", "register", d->name, "record", j);
	} else {
		j = json_pack("{s:s, s:s, s:s, s:s}", "kind", "text", "subject", subject, "title",
		    title, "detail", detail ? detail : "");
	}
	*out = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	return *out ? 0 : mm_err_set(err, MM_ENOMEM, "", "out of memory");
}

/* Saves a ledger record again so that its hook takes a decision in (the take-out's approver). */
static int
ledger_refresh(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t now,
    const char *subject, struct mm_err *err)
{
	struct principal op = {.pr_local_operator = 1};
	int64_t id = 0, out;
	const struct reg_def *d = subject_record(subject, &id);
	json_t *none, *errs;
	int rc;

	if (d == NULL || d->hooks == NULL || d->hooks->approver_roles == NULL)
		return 0;
	struct reg_ctx x = {.m = m, .st = st, .who = who, .pr = &op, .def = d, .now_ms = now};
	none = json_object();
	errs = json_array();
	rc = reg_save(&x, id, none, &out, errs, err);
	if (rc == MM_EINVAL && json_array_size(errs) > 0)
		mm_err_set(err, MM_EINVAL, "subject", "%s",
		    json_string_value(json_object_get(json_array_get(errs, 0), "message")));
	json_decref(none);
	json_decref(errs);
	return rc;
}

/*
 * The last step of a request on a ledger record was approved: the ledger's "approvals" entry of the
 * type takes the approver (their person) and the day in (the software's 許可者, a device's disposal).
 */
static int
ledger_fill(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t now,
    const char *subject, const char *type, struct mm_err *err)
{
	struct principal op = {.pr_local_operator = 1};
	struct store_stmt *s;
	int64_t id = 0, person = 0;
	const struct reg_def *d = subject_record(subject, &id);
	char day[MM_TIME_STRLEN];
	int rc;

	if (d == NULL || d->approvals == NULL)
		return 0;
	if ((rc = store_prepare(st, "SELECT person_id FROM account WHERE login = $1", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", who->login);
	if ((rc = store_step(s, err)) == STORE_ROW && !store_col_is_null(s, 0))
		person = store_col_int(s, 0);
	store_finalize(s);
	if (rc < 0)
		return rc;
	mm_time_format(now + MM_LOCAL_OFFSET_MS, day);
	day[10] = '\0';
	struct reg_ctx x = {.m = m, .st = st, .who = who, .pr = &op, .def = d, .now_ms = now};
	return reg_approval_fill(&x, id, type, person, day, err);
}

/* ---- checks ------------------------------------------------------------------------------------
 */

static int
text_check(const char *field, const char *v, size_t max, int required, struct mm_err *err)
{
	long n;

	if (v == NULL || *v == '\0')
		return required
		           ? mm_err_input(err, field, "required", "入力してください", "is required")
		           : 0;
	n = mm_utf8_check(v, strlen(v), max > APPROVAL_TITLE_MAX);
	if (n < 0)
		return mm_err_input(err, field, "encoding", "使えない文字が含まれています",
		    "contains invalid characters");
	if ((size_t)n > max)
		return mm_err_input(err, field, "max_length", "長すぎます", "is too long");
	return 0;
}

static int
audit(struct mamori *m, struct store *st, const struct mm_actor *who, const char *action,
    int64_t id, enum audit_access access, const char *outcome, json_t *details, struct mm_err *err)
{
	char idtext[24], *d = json_dumps(details, JSON_COMPACT);
	int rc;

	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	rc = mamori_audit(m, st, who,
	    &(struct audit_event){.action = action,
	        .target_type = "approval",
	        .target_id = idtext,
	        .access = access,
	        .outcome = outcome,
	        .details = d},
	    NULL, err);
	free(d);
	json_decref(details);
	return rc;
}

/* The first instant after the Japan date due_on, or MM_EINVAL naming due_on. */
static int
due_instant(const char *due_on, int64_t *at, struct mm_err *err)
{
	char iso[40];
	int y, mo, d;
	char tail;

	if (strlen(due_on) != 10 || sscanf(due_on, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31)
		return mm_err_input(err, "due_on", "format", "期限は YYYY-MM-DD で入力してください",
		    "due_on is a date YYYY-MM-DD");
	snprintf(iso, sizeof(iso), "%sT00:00:00+09:00", due_on);
	if (mm_time_parse(iso, at) != 0)
		return mm_err_input(err, "due_on", "format", "期限は YYYY-MM-DD で入力してください",
		    "due_on is a date YYYY-MM-DD");
	*at += 24 * 3600 * 1000;
	return 0;
}

/* ---- requests ----------------------------------------------------------------------------------
 */

static int
insert_request(struct store *st, const char *type, const char *cls, const char *subject,
    const char *title, const char *detail, json_t *route, size_t nsteps, const char *by,
    const char *at, const char *due_on, const char *due_at, const char *snap, const json_t *payload,
    int64_t *id, struct mm_err *err)
{
	struct store_stmt *s;
	char *rj = json_dumps(route, JSON_COMPACT),
	     *pj = payload ? json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc;

	if ((rc = store_prepare(st,
	         "INSERT INTO approval_request (type, class, subject, title, detail, route_json,"
	         " steps, current_step, requested_by, requested_at, due_on, due_at, state, "
	         "snapshot_json, payload_json)"
	         " VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $11, 'pending', $12, $13)",
	         &s, err)) != 0) {
		free(rj);
		free(pj);
		return rc;
	}
	store_bind_text(s, "$1", type);
	store_bind_text(s, "$2", cls ? cls : "");
	store_bind_text(s, "$3", subject);
	store_bind_text(s, "$4", title);
	store_bind_text(s, "$5", detail ? detail : "");
	store_bind_text(s, "$6", rj);
	store_bind_int(s, "$7", (int64_t)nsteps);
	store_bind_text(s, "$8", by);
	store_bind_text(s, "$9", at);
	if (due_on) {
		store_bind_text(s, "$10", due_on);
		store_bind_text(s, "$11", due_at);
	} else {
		store_bind_null(s, "$10");
		store_bind_null(s, "$11");
	}
	store_bind_text(s, "$12", snap ? snap : "{}");
	store_bind_text(s, "$13", pj ? pj : "{}");
	rc = store_step(s, err);
	store_finalize(s);
	free(rj);
	free(pj);
	if (rc < 0)
		return rc;
	*id = store_last_id(st);
	return 0;
}

/* The pending request of type on subject (*id 0 when none). */
static int
pending_of(struct store *st, const char *type, const char *subject, int64_t *id, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*id = 0;
	if ((rc = store_prepare(st,
	         "SELECT id FROM approval_request WHERE subject = $1 AND type = $2"
	         " AND state = 'pending' ORDER BY id DESC LIMIT 1",
	         &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", subject);
	store_bind_text(s, "$2", type);
	if ((rc = store_step(s, err)) == STORE_ROW)
		*id = store_col_int(s, 0);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int
approval_request_tx(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, const struct approval_new *req, int64_t *out_id,
    struct mm_err *err)
{
	const struct approval_type *t = approval_type_find(req->type);
	unsigned roles[APPROVAL_STEPS_MAX];
	size_t nsteps = 0;
	char when[MM_TIME_STRLEN], due_at[MM_TIME_STRLEN], *snap = NULL;
	const struct reg_def *d;
	json_t *route = NULL, *payload = NULL;
	struct effect_ctx ec;
	int64_t id = 0, due = 0, rid = 0, pending = 0;
	int rc;

	if (t == NULL)
		return mm_err_input(
		    err, "type", "choice", "申請の種類を選んでください", "unknown request type");
	if (effect_module_only(t->code) && !req->from_module)
		return mm_err_input(err, "type", "module_only",
		    "この申請は専用の画面から行ってください（マイナンバーの削除は対象者の画面から）",
		    "this request is made through its own route (a My Number deletion: the subject's)");
	if ((rc = approval_route_roles(m->md_policy, t, req->cls, roles, &nsteps, err)) != 0 ||
	    (rc = text_check("subject", req->subject, APPROVAL_TITLE_MAX, 1, err)) != 0 ||
	    (rc = text_check("title", req->title, APPROVAL_TITLE_MAX, 1, err)) != 0 ||
	    (rc = text_check("detail", req->detail, APPROVAL_TEXT_MAX, 0, err)) != 0)
		return rc;
	if (req->due_on && *req->due_on && (rc = due_instant(req->due_on, &due, err)) != 0)
		return rc;
	if ((d = subject_record(req->subject, &rid)) != NULL && !reg_allowed(d, pr, 0))
		return mm_err_set(err, MM_EPERM, "subject", "your roles cannot read this ledger");
	if (d == NULL && strncmp(req->subject, "register:", 9) == 0)
		return mm_err_input(err, "subject", "format",
		    "台帳の記録は register:台帳名:番号 で指定してください",
		    "a ledger record is register:NAME:ID");
	/* one pending request per ledger record and type: a second would split the decision */
	if (d && (rc = pending_of(st, t->code, req->subject, &pending, err)) != 0)
		return rc;
	if (d && pending)
		return mm_err_input(err, "subject", "pending",
		    "この記録にはすでに承認待ちの申請があります",
		    "this record has a pending request of this type already");
	payload = req->payload ? json_deep_copy(req->payload) : json_object();
	ec = (struct effect_ctx){
	    .m = m, .st = st, .pr = pr, .who = who, .now = now, .requested_by = who->login};
	if ((rc = effect_check(&ec, t->code, payload, err)) != 0)
		goto done;
	mm_time_format(now, when);
	mm_time_format(due, due_at);
	route = json_array();
	for (size_t s = 0; s < nsteps; s++)
		json_array_append_new(route, roles_json(roles[s]));
	if ((rc = snapshot(m, st, who, now, req->subject, req->title, req->detail, &snap, err)) !=
	    0) {
		if (rc == MM_ENOTFOUND)
			rc = mm_err_input(
			    err, "subject", "not_found", "その記録はありません", "no such record");
		goto done;
	}
	if ((rc = insert_request(st, t->code, req->cls, req->subject, req->title, req->detail,
	         route, nsteps, who->login, when, due ? req->due_on : NULL, due_at, snap, payload,
	         &id, err)) != 0)
		goto done;
	if ((rc = audit(m, st, who, "approval.request", id, AUDIT_CREATE, "pending",
	         json_pack("{s:s, s:s, s:I}", "type", t->code, "class", req->cls ? req->cls : "",
	             "steps", (json_int_t)nsteps),
	         err)) != 0)
		goto done;
	if (out_id)
		*out_id = id;
done:
	free(snap);
	json_decref(route);
	json_decref(payload);
	return rc;
}

int
approval_request(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, const struct approval_new *req, int64_t *out_id,
    struct mm_err *err)
{
	int rc;

	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = approval_request_tx(m, st, pr, who, now, req, out_id, err)) != 0 ||
	    (rc = store_commit(st, err)) != 0)
		store_rollback(st);
	return rc;
}

/* A request row as loaded for a decision. */
struct req_row {
	int64_t id, step, steps;
	char state[16], requested_by[64], subject[256], type[32];
	json_t *route;
	json_t *title, *detail, *payload;
};

static void
req_row_free(struct req_row *r)
{
	json_decref(r->route);
	json_decref(r->title);
	json_decref(r->detail);
	json_decref(r->payload);
}

static int
req_load(struct store *st, int64_t id, struct req_row *r, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = store_prepare(st,
	         "SELECT id, current_step, steps, state, requested_by, subject, type, route_json,"
	         " title, detail, payload_json FROM approval_request WHERE id = $1",
	         &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	if ((rc = store_step(s, err)) == STORE_ROW) {
		r->id = store_col_int(s, 0);
		r->step = store_col_int(s, 1);
		r->steps = store_col_int(s, 2);
		mm_strlcpy(r->state, store_col_text(s, 3), sizeof(r->state));
		mm_strlcpy(r->requested_by, store_col_text(s, 4), sizeof(r->requested_by));
		mm_strlcpy(r->subject, store_col_text(s, 5), sizeof(r->subject));
		mm_strlcpy(r->type, store_col_text(s, 6), sizeof(r->type));
		r->route = json_loads(store_col_text(s, 7), 0, NULL);
		r->title = json_string(store_col_text(s, 8));
		r->detail = json_string(store_col_text(s, 9));
		r->payload = json_loads(store_col_text(s, 10), 0, NULL);
		rc = 0;
	} else if (rc >= 0) {
		rc = mm_err_set(err, MM_ENOTFOUND, "", "no such request");
	}
	store_finalize(s);
	return rc;
}

/* The roles of step (1-based) of a route. */
static unsigned
step_roles(const json_t *route, int64_t step)
{
	return step >= 1 ? roles_from_json(json_array_get(route, (size_t)(step - 1))) : 0;
}

const char *
approval_role_held(const struct principal *pr, unsigned roles)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if ((roles & (1u << r)) && (pr->pr_local_operator || (pr->pr_roles & (1u << r))))
			return role_key((enum role)r);
	return NULL;
}

/* Adds a decision on the current step and moves the request on (or closes it). */
static int
record_decision(struct store *st, const struct req_row *r, const char *role, const char *by,
    const char *when, const char *decision, const char *comment, const char *snap,
    struct mm_err *err)
{
	struct store_stmt *s;
	int last = r->step >= r->steps, approved = strcmp(decision, "approved") == 0;
	int rc;

	if ((rc = store_prepare(st,
	         "INSERT INTO approval_decision (request_id, step, role, decided_by, decided_at,"
	         " decision, comment, snapshot_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	         &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", r->id);
	store_bind_int(s, "$2", r->step);
	store_bind_text(s, "$3", role);
	store_bind_text(s, "$4", by);
	store_bind_text(s, "$5", when);
	store_bind_text(s, "$6", decision);
	store_bind_text(s, "$7", comment ? comment : "");
	store_bind_text(s, "$8", snap ? snap : "{}");
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		return rc;
	if (approved && !last)
		rc = store_prepare(st,
		    "UPDATE approval_request SET current_step = current_step + 1 WHERE id = $1", &s,
		    err);
	else
		rc = store_prepare(st,
		    "UPDATE approval_request SET state = $2, closed_at = $3, closed_by = $4"
		    " WHERE id = $1",
		    &s, err);
	if (rc != 0)
		return rc;
	store_bind_int(s, "$1", r->id);
	if (!approved || last) {
		store_bind_text(s, "$2", decision);
		store_bind_text(s, "$3", when);
		store_bind_text(s, "$4", by);
	}
	rc = store_step(s, err);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

static int
decided_earlier(struct store *st, int64_t id, const char *login, int *yes, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*yes = 0;
	if ((rc = store_prepare(st,
	         "SELECT 1 FROM approval_decision WHERE request_id = $1 AND decided_by = $2", &s,
	         err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", login);
	rc = store_step(s, err);
	*yes = rc == STORE_ROW;
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

static int
decision_check(const char *decision, const char *comment, struct mm_err *err)
{
	if (decision == NULL ||
	    (strcmp(decision, "approved") != 0 && strcmp(decision, "rejected") != 0))
		return mm_err_input(err, "decision", "choice", "承認か却下を選んでください",
		    "decision is approved or rejected");
	return text_check("comment", comment, APPROVAL_TEXT_MAX, 0, err);
}

int
approval_decide(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, int64_t id, const char *decision, const char *comment,
    json_t **result, struct mm_err *err)
{
	struct req_row r;
	const char *role;
	char when[MM_TIME_STRLEN], *snap = NULL;
	json_t *done = NULL;
	struct effect_ctx ec = {.m = m, .st = st, .pr = pr, .who = who, .now = now, .request_id = id,
	    .comment = comment};
	int earlier, closes, rc;

	if (result)
		*result = NULL;
	memset(&r, 0, sizeof(r));
	if ((rc = decision_check(decision, comment, err)) != 0)
		return rc;
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = req_load(st, id, &r, err)) != 0)
		goto fail;
	if (strcmp(r.state, "pending") != 0) {
		rc = mm_err_input(err, "decision", "closed", "この申請は終了しています",
		    "the request is no longer pending");
		goto fail;
	}
	if (strcmp(r.requested_by, who->login) == 0) {
		rc = mm_err_input(err, "decision", "self_approval", "自分の申請は承認できません",
		    "nobody approves their own request");
		goto fail;
	}
	if ((role = approval_role_held(pr, step_roles(r.route, r.step))) == NULL) {
		rc = mm_err_set(err, MM_EPERM, "decision", "your roles cannot decide this step");
		goto fail;
	}
	if ((rc = decided_earlier(st, id, who->login, &earlier, err)) != 0)
		goto fail;
	if (earlier) {
		rc = mm_err_input(err, "decision", "same_decider",
		    "前の段階を判断した人は次の段階を判断できません",
		    "the decider of an earlier step cannot decide the next");
		goto fail;
	}
	mm_time_format(now, when);
	if ((rc = snapshot(m, st, who, now, r.subject, json_string_value(r.title),
	         json_string_value(r.detail), &snap, err)) != 0 &&
	    rc != MM_ENOTFOUND)
		goto fail;
	closes = strcmp(decision, "approved") != 0 || r.step >= r.steps;
	if ((rc = record_decision(st, &r, role, who->login, when, decision, comment, snap, err)) !=
	    0)
		goto fail;
	if ((rc = audit(m, st, who, "approval.decide", id, AUDIT_UPDATE, decision,
	         json_pack(
	             "{s:s, s:I, s:s}", "type", r.type, "step", (json_int_t)r.step, "role", role),
	         err)) != 0)
		goto fail;
	ec.requested_by = r.requested_by;
	if (closes && (rc = effect_close(&ec, r.type, decision, r.payload, &done, err)) != 0)
		goto fail;
	if ((rc = ledger_refresh(m, st, who, now, r.subject, err)) != 0 ||
	    (closes && strcmp(decision, "approved") == 0 &&
	        (rc = ledger_fill(m, st, who, now, r.subject, r.type, err)) != 0))
		goto fail;
	rc = store_commit(st, err);
	if (rc != 0)
		goto fail;
	rc = effect_after(&ec, r.type, done, err);
	if (result)
		*result = done;
	else
		json_decref(done);
	done = NULL;
	goto out;
fail:
	store_rollback(st);
out:
	json_decref(done);
	free(snap);
	req_row_free(&r);
	return rc;
}

int
approval_withdraw(struct mamori *m, struct store *st, const struct principal *pr,
    const struct mm_actor *who, int64_t now, int64_t id, struct mm_err *err)
{
	struct store_stmt *s;
	struct req_row r;
	char when[MM_TIME_STRLEN];
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = req_load(st, id, &r, err)) != 0)
		goto fail;
	if (strcmp(r.requested_by, who->login) != 0) {
		rc = mm_err_set(err, MM_EPERM, "", "only the requester withdraws a request");
		goto fail;
	}
	if (strcmp(r.state, "pending") != 0) {
		rc = mm_err_input(err, "state", "closed", "この申請は終了しています",
		    "the request is no longer pending");
		goto fail;
	}
	mm_time_format(now, when);
	if ((rc = store_prepare(st,
	         "UPDATE approval_request SET state = 'withdrawn', closed_at = $2, closed_by = $3"
	         " WHERE id = $1",
	         &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", when);
	store_bind_text(s, "$3", who->login);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if ((rc = audit(m, st, who, "approval.withdraw", id, AUDIT_UPDATE, "withdrawn",
	         json_pack("{s:s}", "type", r.type), err)) != 0)
		goto fail;
	struct effect_ctx ec = {.m = m, .st = st, .pr = pr, .who = who, .now = now, .request_id = id,
	    .requested_by = r.requested_by};
	json_t *done = NULL;
	rc = effect_close(&ec, r.type, "withdrawn", r.payload, &done, err);
	json_decref(done);
	if (rc != 0 || (rc = store_commit(st, err)) != 0)
		goto fail;
	goto done;
fail:
	store_rollback(st);
done:
	req_row_free(&r);
	return rc;
}

/* ---- reading -----------------------------------------------------------------------------------
 */

#define REQ_COLS                                                                                   \
	"SELECT id, type, class, subject, title, detail, route_json, steps, current_step, "        \
	"requested_by,"                                                                            \
	" requested_at, due_on, due_at, state, closed_at, closed_by, snapshot_json, payload_json " \
	"FROM approval_request"

static json_t *
type_title(const char *code, int en)
{
	const struct approval_type *t = approval_type_find(code);

	return json_string(t ? (en ? t->title_en : t->title_ja) : code);
}

static json_t *
opt_text(struct store_stmt *s, int col)
{
	return store_col_is_null(s, col) ? json_null() : json_string(store_col_text(s, col));
}

/* The request of the current row of a REQ_COLS statement. New reference. */
static json_t *
req_json(struct store_stmt *s, int64_t now)
{
	json_t *route = json_loads(store_col_text(s, 6), 0, NULL),
	       *snap = json_loads(store_col_text(s, 16), 0, NULL),
	       *payload = json_loads(store_col_text(s, 17), 0, NULL);
	const char *state = store_col_text(s, 13);
	int64_t due = 0, step = store_col_int(s, 8);
	int overdue;

	if (!store_col_is_null(s, 12))
		mm_time_parse(store_col_text(s, 12), &due);
	overdue = strcmp(state, "pending") == 0 && due > 0 && now >= due;
	return json_pack(
	    "{s:I, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:I, s:I, s:o, s:s, s:s, s:o, s:o, s:s, s:b,"
	    " s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)store_col_int(s, 0), "type", store_col_text(s, 1), "type_title",
	    type_title(store_col_text(s, 1), 0), "type_title_en",
	    type_title(store_col_text(s, 1), 1), "class", store_col_text(s, 2), "subject",
	    store_col_text(s, 3), "title", store_col_text(s, 4), "detail",
	    json_string(store_col_text(s, 5)), "steps", (json_int_t)store_col_int(s, 7),
	    "current_step", (json_int_t)step, "step_roles",
	    strcmp(state, "pending") == 0 ? json_incref(json_array_get(route, (size_t)(step - 1)))
	                                  : json_array(),
	    "requested_by", store_col_text(s, 9), "requested_at", store_col_text(s, 10), "due_on",
	    opt_text(s, 11), "due_at", opt_text(s, 12), "state", state, "overdue", overdue,
	    "closed_at", opt_text(s, 14), "closed_by", opt_text(s, 15), "route",
	    route ? route : json_array(), "_snapshot", snap ? snap : json_object(), "payload",
	    payload ? payload : json_object());
}

static int
can_see_all(const struct principal *pr, const struct policy *p)
{
	return authz_check(pr, PERM_APPROVALS_ALL, p);
}

int
approval_box_parse(const char *name, enum approval_box *box, struct mm_err *err)
{
	if (name == NULL || *name == '\0' || strcmp(name, "inbox") == 0)
		*box = APPROVAL_INBOX;
	else if (strcmp(name, "mine") == 0)
		*box = APPROVAL_MINE;
	else if (strcmp(name, "all") == 0)
		*box = APPROVAL_ALL;
	else
		return mm_err_input(err, "box", "choice", "inbox、mine、all のどれかです",
		    "box is inbox, mine or all");
	return 0;
}

int
approval_list(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    enum approval_box box, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	const char *sql =
	    box == APPROVAL_INBOX  ? REQ_COLS " WHERE state = 'pending' ORDER BY id DESC"
	    : box == APPROVAL_MINE ? REQ_COLS " WHERE requested_by = $1 ORDER BY id DESC"
	                           : REQ_COLS " ORDER BY id DESC";
	int rc;

	*out = NULL;
	if (box == APPROVAL_ALL && !can_see_all(pr, m->md_policy))
		return mm_err_set(err, MM_EPERM, "box", "your roles cannot see every request");
	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	if (box == APPROVAL_MINE)
		store_bind_text(s, "$1", pr->pr_login);
	*out = json_array();
	while ((rc = store_step(s, err)) == STORE_ROW) {
		json_t *r;
		if (box == APPROVAL_INBOX) {
			json_t *route = json_loads(store_col_text(s, 6), 0, NULL);
			unsigned roles = step_roles(route, store_col_int(s, 8));
			json_decref(route);
			if (strcmp(store_col_text(s, 9), pr->pr_login) == 0 ||
			    approval_role_held(pr, roles) == NULL)
				continue;
		}
		r = req_json(s, now);
		json_object_del(r, "_snapshot");
		json_array_append_new(*out, r);
	}
	store_finalize(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

static int
decisions_of(struct store *st, int64_t id, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st,
	         "SELECT step, role, decided_by, decided_at, decision, comment, snapshot_json"
	         " FROM approval_decision WHERE request_id = $1 ORDER BY id",
	         &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	*out = json_array();
	while ((rc = store_step(s, err)) == STORE_ROW) {
		json_t *snap = json_loads(store_col_text(s, 6), 0, NULL);
		json_array_append_new(
		    *out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "step",
		              (json_int_t)store_col_int(s, 0), "role", store_col_text(s, 1),
		              "decided_by", store_col_text(s, 2), "decided_at",
		              store_col_text(s, 3), "decision", store_col_text(s, 4), "comment",
		              store_col_text(s, 5), "snapshot", snap ? snap : json_object()));
	}
	store_finalize(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int
approval_get(struct mamori *m, struct store *st, const struct principal *pr, int64_t now,
    int64_t id, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	json_t *r = NULL, *decisions = NULL, *v;
	unsigned route_roles = 0;
	int visible, rc;
	size_t i;

	*out = NULL;
	if ((rc = store_prepare(st, REQ_COLS " WHERE id = $1", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", id);
	rc = store_step(s, err);
	if (rc == STORE_ROW)
		r = req_json(s, now);
	store_finalize(s);
	if (rc < 0)
		return rc;
	if (r == NULL)
		return mm_err_set(err, MM_ENOTFOUND, "", "no such request");
	if ((rc = decisions_of(st, id, &decisions, err)) != 0) {
		json_decref(r);
		return rc;
	}
	json_array_foreach(json_object_get(r, "route"), i, v) route_roles |= roles_from_json(v);
	visible =
	    can_see_all(pr, m->md_policy) ||
	    strcmp(json_string_value(json_object_get(r, "requested_by")), pr->pr_login) == 0 ||
	    approval_role_held(pr, route_roles) != NULL;
	json_array_foreach(decisions, i, v) visible |=
	    strcmp(json_string_value(json_object_get(v, "decided_by")), pr->pr_login) == 0;
	if (!visible) {
		json_decref(r);
		json_decref(decisions);
		return mm_err_set(
		    err, MM_EPERM, "", "this request is neither yours nor on your route");
	}
	json_object_set(r, "snapshot", json_object_get(r, "_snapshot"));
	json_object_del(r, "_snapshot");
	json_object_set_new(r, "decisions", decisions);
	*out = r;
	return 0;
}

/* ---- the ledgers -------------------------------------------------------------------------------
 */

int
approval_ledger_decide(struct store *st, const char *type, const char *cls, const char *subject,
    const char *title, const char *requester, const char *requested_at, unsigned roles,
    const char *decider, const char *role, int64_t now, const char *decision, const char *comment,
    const char *snapshot_text, int64_t *request_id, struct mm_err *err)
{
	struct req_row r;
	char when[MM_TIME_STRLEN];
	int64_t id = 0;
	int rc;

	if ((rc = pending_of(st, type, subject, &id, err)) != 0)
		return rc;
	if (id == 0) {
		json_t *route = json_pack("[o]", roles_json(roles));
		rc = insert_request(st, type, cls, subject, title, "", route, 1, requester,
		    requested_at, NULL, NULL, snapshot_text, NULL, &id, err);
		json_decref(route);
		if (rc != 0)
			return rc;
	}
	if ((rc = req_load(st, id, &r, err)) != 0)
		return rc;
	if (strcmp(r.requested_by, decider) == 0) {
		req_row_free(&r);
		return mm_err_input(err, "decision", "self_approval", "自分の申請は承認できません",
		    "nobody approves their own request");
	}
	mm_time_format(now, when);
	rc = record_decision(st, &r, role, decider, when, decision, comment, snapshot_text, err);
	req_row_free(&r);
	if (rc == 0 && request_id)
		*request_id = id;
	return rc;
}

int
approval_ledger_decisions(struct store *st, const char *subject, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*out = NULL;
	if ((rc = store_prepare(st,
	         "SELECT d.decided_by, d.decided_at, d.role, d.decision, d.comment"
	         " FROM approval_decision d JOIN approval_request r ON r.id = d.request_id WHERE "
	         "r.subject = $1"
	         " ORDER BY d.id",
	         &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", subject);
	*out = json_array();
	while ((rc = store_step(s, err)) == STORE_ROW)
		json_array_append_new(*out,
		    json_pack("{s:s, s:s, s:s, s:s, s:s}", "decided_by", store_col_text(s, 0),
		        "decided_at", store_col_text(s, 1), "approver_role", store_col_text(s, 2),
		        "decision", store_col_text(s, 3), "comment", store_col_text(s, 4)));
	store_finalize(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int
approval_ledger_approved(struct store *st, const char *subject, unsigned roles, int64_t *at_ms,
    char *by, size_t by_len, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*at_ms = 0;
	by[0] = '\0';
	/* final decisions only: a rejection, or the approval of a request's last step */
	if ((rc = store_prepare(st,
	         "SELECT d.decided_at, d.decided_by, d.decision, d.role FROM approval_decision d"
	         " JOIN approval_request r ON r.id = d.request_id WHERE r.subject = $1"
	         " AND (d.decision = 'rejected' OR d.step = r.steps) ORDER BY d.id DESC",
	         &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", subject);
	/* the newest decision by a role that may decide the object as it is now (its class may have
	   changed since, or the profile) */
	while ((rc = store_step(s, err)) == STORE_ROW) {
		int r = role_from_key(store_col_text(s, 3));
		if (r < 0 || !(roles & (1u << r)))
			continue;
		if (strcmp(store_col_text(s, 2), "approved") == 0) {
			mm_time_parse(store_col_text(s, 0), at_ms);
			mm_strlcpy(by, store_col_text(s, 1), by_len);
		}
		break;
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}
