/*
 * E-mail reminders of due and overdue duties, of violations and of the requests waiting for the
 * account's decision (docs/internals/reminders.md): one message per account, in Japanese, each item
 * with the regulation it comes from.
 */
#include "workflow/internal.h"
#include "workflow/approvals.h"
#include "base/buf.h"
#include "base/fs.h"
#include "base/log.h"
#include "base/str.h"
#include "base/time.h"
#include "mail/mail.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RECIPIENTS_MAX 10000
#define PASSWORD_FILE "keys/smtp.password"
#define PASSWORD_MAX 1024
#define INBOX_LISTED 30 /* requests listed by name in one message; the rest are counted */

struct recipient {
	int64_t id;
	char login[80];
	char email[256];
	char name[200];
	unsigned roles; /* bits of enum role */
};

/* An item of the day with the roles it goes to. */
struct item {
	const json_t *it;
	int violation;
	unsigned roles;
};

int
reminders_configured(const struct policy *p)
{
	return !policy_is_unset(p, POLICY_MAIL_SMTP_URL) && !policy_is_unset(p, POLICY_MAIL_FROM);
}

static unsigned
role_bit(const char *key)
{
	int r = key ? role_from_key(key) : -1;
	return r < 0 ? 0 : 1u << r;
}

/* The accounts that may receive reminders: enabled, with a person who has not left, with roles. */
static int
load_recipients(struct store *st, const char *today, struct recipient **out, size_t *n,
    struct mm_err *err)
{
	struct store_stmt *s = NULL;
	struct recipient *list = NULL;
	size_t cnt = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(st,
	         "SELECT a.id, a.login, p.email, p.name, r.role FROM account a"
	         " JOIN person p ON p.id = a.person_id JOIN account_role r ON r.account_id = a.id"
	         " WHERE a.disabled_at IS NULL AND (p.left_on IS NULL OR p.left_on > $1)"
	         " ORDER BY a.id, r.role", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", today);
	if ((list = calloc(RECIPIENTS_MAX, sizeof(*list))) == NULL) {
		rc = mm_err_set(err, MM_ENOMEM, "", "out of memory");
		goto out;
	}
	while ((rc = store_step(s, err)) == STORE_ROW) {
		int64_t id = store_col_int(s, 0);
		const char *email = store_col_text(s, 2);
		struct recipient *r = cnt && list[cnt - 1].id == id ? &list[cnt - 1] : NULL;
		/* the same address for two accounts: one message, with the roles of both */
		for (size_t i = 0; r == NULL && i < cnt && email[0]; i++)
			if (strcasecmp(list[i].email, email) == 0)
				r = &list[i];
		if (r == NULL) {
			if (cnt == RECIPIENTS_MAX)
				break;
			r = &list[cnt++];
			r->id = id;
			mm_strlcpy(r->login, store_col_text(s, 1), sizeof(r->login));
			mm_strlcpy(r->email, email, sizeof(r->email));
			mm_strlcpy(r->name, store_col_text(s, 3), sizeof(r->name));
			/* an address that cannot stand in an SMTP command or a header is not used */
			if (!mm_email_ok(r->email))
				r->email[0] = '\0';
		}
		r->roles |= role_bit(store_col_text(s, 4));
	}
	if (rc < 0)
		goto out;
	rc = 0;
	*out = list;
	*n = cnt;
	list = NULL;
out:
	free(list);
	store_finalize(s);
	return rc;
}

/* The items of the day: due and overdue duties (an overdue return is reported as a violation, once)
 * and the violations. */
static int
load_items(struct mamori *m, struct store *st, int64_t now, json_t **calendar, json_t **violations,
    struct item **items, size_t *n, struct mm_err *err)
{
	const struct principal everything = {.pr_local_operator = 1};
	unsigned vio_roles = 0;
	const json_t *e;
	size_t i, k = 0;
	int rc;

	*items = NULL;
	*n = 0;
	if ((rc = duty_calendar(m, st, &everything, now, calendar, NULL, err)) != 0)
		return rc;
	if ((rc = check_violations(m, st, &everything, now, violations, NULL, err)) != 0)
		return rc;
	if ((*items = calloc(json_array_size(*calendar) + json_array_size(*violations) + 1, sizeof(**items))) == NULL)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	json_array_foreach(*calendar, i, e) {
		const char *state = json_string_value(json_object_get(e, "state"));
		const char *code = json_string_value(json_object_get(e, "code"));
		if (strcmp(state, "due") == 0 || (strcmp(state, "overdue") == 0 && !wf__reported_as_violation(code)))
			(*items)[k++] = (struct item){e, 0, role_bit(json_string_value(json_object_get(e, "owner")))};
	}
	/* a violation goes to its owner roles, and a copy of each to [mail] violations_to */
	vio_roles = wf__roles(m->md_policy, POLICY_MAIL_VIOLATIONS_TO);
	json_array_foreach(*violations, i, e) {
		const json_t *o;
		size_t j;
		unsigned roles = vio_roles;
		json_array_foreach(json_object_get(e, "owners"), j, o)
			roles |= role_bit(json_string_value(o));
		(*items)[k++] = (struct item){e, 1, roles};
	}
	*n = k;
	return 0;
}

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* One section of the body: the items of a kind that go to these roles. Returns how many. */
static int
put_section(struct mm_buf *b, const char *heading, const struct item *items, size_t n, unsigned roles,
    int violation, const char *state)
{
	int count = 0;

	for (size_t i = 0; i < n; i++) {
		const json_t *e = items[i].it, *t;
		if (!(items[i].roles & roles) || items[i].violation != violation ||
		    (state && strcmp(str(e, "state"), state) != 0))
			continue;
		if (count++ == 0)
			mm_buf_printf(b, "\n■ %s\n", heading);
		if (violation) {
			const char *owner = str(e, "owner_label")[0] ? str(e, "owner_label") : "（未設定）";
			mm_buf_printf(b, "・%s：%s\n  担当: %s\n  根拠: %s\n", str(e, "title"),
			    str(e, "message"), owner, str(e, "source"));
			continue;
		}
		mm_buf_printf(b, "・%s", str(e, "title"));
		if ((t = json_object_get(e, "target")) != NULL)
			mm_buf_printf(b, "：%s", str(t, "title"));
		mm_buf_printf(b, "\n  期限: %s  担当: %s\n  根拠: %s\n", str(e, "due"), str(e, "owner_label"),
		    str(e, "source"));
	}
	return count;
}

/* The requests waiting for the account's decision (its approval inbox). Returns how many. */
static int
put_inbox(struct mm_buf *b, const json_t *inbox)
{
	const json_t *a;
	size_t i;

	json_array_foreach(inbox, i, a) {
		if (i == 0)
			mm_buf_printf(b, "\n■ 承認待ちの申請\n");
		if (i == INBOX_LISTED) {
			mm_buf_printf(b, "・ほか %zu 件\n", json_array_size(inbox) - i);
			break;
		}
		mm_buf_printf(b, "・申請 #%lld %s：%s\n  申請者: %s  期限: %s%s\n",
		    (long long)json_integer_value(json_object_get(a, "id")), str(a, "type_title"), str(a, "title"),
		    str(a, "requested_by"), str(a, "due_on")[0] ? str(a, "due_on") : "なし",
		    json_is_true(json_object_get(a, "overdue")) ? "（期限超過）" : "");
	}
	return (int)json_array_size(inbox);
}

/* The subject and body of one account's message; *count receives the number of items (0: none). */
static int
compose(const struct recipient *r, const struct item *items, size_t n, const json_t *inbox,
    const char *today, char *subject, size_t subject_n, struct mm_buf *body, int *count)
{
	int overdue, due, vio, wait;
	char more[48] = "";

	mm_buf_printf(body, "%s 様\n\nmamori（情報セキュリティ管理）からのお知らせです（%s 時点）。\n"
	    "あなたの役割が担当する、期限を過ぎた・期限が近い義務と、是正が必要な違反は次のとおりです。\n",
	    r->name[0] ? r->name : r->login, today);
	overdue = put_section(body, "期限超過の義務", items, n, r->roles, 0, "overdue");
	due = put_section(body, "期限間近の義務", items, n, r->roles, 0, "due");
	vio = put_section(body, "違反", items, n, r->roles, 1, NULL);
	wait = put_inbox(body, inbox);
	if (mm_buf_printf(body, "\n実施したら mamori に記録してください（画面の「点検」、または mamori check"
	        " complete）。%s\nこのメールは mamori が自動で送信しています（1日1回）。\n",
	        wait ? "\n申請は画面の「申請・承認」の承認待ちで判断できます。" : "") != 0)
		return MM_ETOOBIG;
	*count = overdue + due + vio + wait;
	if (wait)
		snprintf(more, sizeof(more), "・承認待ち %d 件", wait);
	snprintf(subject, subject_n, "[mamori] 期限超過 %d 件・期限間近 %d 件・違反 %d 件%s（%s）", overdue, due, vio,
	    more, today);
	return 0;
}

static int
already_sent(struct store *st, int64_t account, const char *today, int *yes, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, "SELECT count(*) FROM reminder WHERE account_id = $1 AND sent_on = $2"
	         " AND outcome = 'sent'", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", account);
	store_bind_text(s, "$2", today);
	if ((rc = store_step(s, err)) == STORE_ROW) {
		*yes = store_col_int(s, 0) > 0;
		rc = 0;
	}
	store_finalize(s);
	return rc;
}

/* The row of reminder and the audit event reminder.send, in one transaction. */
static int
record(struct mamori *m, struct store *st, const struct mm_actor *who, const struct recipient *r,
    const char *today, int64_t now, int items, const char *error, struct mm_err *err)
{
	char at[MM_TIME_STRLEN], details[64];
	struct store_stmt *s = NULL;
	int rc;

	mm_time_format(now, at);
	snprintf(details, sizeof(details), "{\"items\":%d}", items);
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = store_prepare(st, "INSERT INTO reminder (account_id, login, sent_on, sent_at, items, outcome,"
	         " error, sent_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &s, err)) == 0) {
		store_bind_int(s, "$1", r->id);
		store_bind_text(s, "$2", r->login);
		store_bind_text(s, "$3", today);
		store_bind_text(s, "$4", at);
		store_bind_int(s, "$5", items);
		store_bind_text(s, "$6", error ? "failed" : "sent");
		store_bind_text(s, "$7", error ? error : "");
		store_bind_text(s, "$8", who->login);
		rc = store_step(s, err) < 0 ? MM_ESTORE : 0;
		store_finalize(s);
	}
	if (rc == 0)
		rc = mamori_audit(m, st, who, &(struct audit_event){.action = "reminder.send",
		    .target_type = "account", .target_id = r->login, .access = AUDIT_OUTPUT,
		    .outcome = error ? "failure" : "success", .details = details}, NULL, err);
	rc = rc == 0 ? store_commit(st, err) : (store_rollback(st), rc);
	return rc;
}

/* keys/smtp.password when present (0600, like the other key files); "" when absent. */
static int
load_password(const struct mamori *m, struct mm_buf *pw, struct mm_err *err)
{
	char path[4096];
	int rc;

	mm_path_join(path, sizeof(path), m->md_dir, PASSWORD_FILE);
	if ((rc = mm_fs_check_private(path, err)) == MM_ENOTFOUND)
		return 0;
	if (rc != 0 || (rc = mm_fs_read(path, pw, err)) != 0)
		return rc;
	while (pw->b_len > 0 && (pw->b_data[pw->b_len - 1] == '\n' || pw->b_data[pw->b_len - 1] == '\r'))
		pw->b_data[--pw->b_len] = '\0';
	return 0;
}

int
reminders_run(struct mamori *m, struct store *st, const struct mm_actor *who, int64_t now,
    int dry_run, json_t **plan, struct reminder_result *res, struct mm_err *err)
{
	const struct policy *p = m ? m->md_policy : NULL;
	json_t *calendar = NULL, *violations = NULL, *out = NULL;
	struct recipient *rcpt = NULL;
	struct item *items = NULL;
	struct mm_buf pw, body, msg;
	struct mail_server srv = {0};
	char today[WF_DATE_LEN], subject[MAIL_SUBJECT_MAX];
	size_t nrcpt = 0, nitems = 0;
	int rc;

	if (plan)
		*plan = NULL;
	*res = (struct reminder_result){0};
	if (m == NULL || st == NULL || who == NULL)
		return mm_err_set(err, MM_EINVAL, "", "reminders_run: missing arguments");
	if (!dry_run && policy_is_unset(p, POLICY_MAIL_SMTP_URL))
		return mm_err_set(err, MM_EINVAL, "smtp_url",
		    "[mail] smtp_url is unset in policy.ini: no reminders sent (set smtp_url and from)");
	if (!dry_run && policy_is_unset(p, POLICY_MAIL_FROM))
		return mm_err_set(err, MM_EINVAL, "from", "[mail] from is unset in policy.ini: no reminders sent");
	mm_buf_init(&pw, PASSWORD_MAX);
	mm_buf_init(&body, MAIL_BODY_MAX);
	mm_buf_init(&msg, MAIL_MESSAGE_MAX);
	wf__today(now, today);
	if ((out = json_array()) == NULL) {
		rc = mm_err_set(err, MM_ENOMEM, "", "out of memory");
		goto out;
	}
	if ((!dry_run && (rc = load_password(m, &pw, err)) != 0) ||
	    (rc = load_items(m, st, now, &calendar, &violations, &items, &nitems, err)) != 0 ||
	    (rc = load_recipients(st, today, &rcpt, &nrcpt, err)) != 0)
		goto out;
	srv = (struct mail_server){.url = policy_text(p, POLICY_MAIL_SMTP_URL), .timeout_s = 60};
	if (pw.b_len > 0) {
		srv.password = pw.b_data;
		srv.user = policy_is_unset(p, POLICY_MAIL_SMTP_USER) ? policy_text(p, POLICY_MAIL_FROM)
		                                                     : policy_text(p, POLICY_MAIL_SMTP_USER);
	}
	for (size_t i = 0; i < nrcpt; i++) {
		const struct recipient *r = &rcpt[i];
		const char *outcome = "would_send", *error = NULL;
		struct mm_err send_err = {0};
		struct principal pr = {.pr_account_id = r->id, .pr_roles = r->roles};
		json_t *inbox = NULL;
		int count = 0, sent = 0;

		mm_strlcpy(pr.pr_login, r->login, sizeof(pr.pr_login));
		if ((rc = approval_list(m, st, &pr, now, APPROVAL_INBOX, &inbox, err)) != 0)
			goto out;
		mm_buf_reset(&body);
		rc = compose(r, items, nitems, inbox, today, subject, sizeof(subject), &body, &count);
		json_decref(inbox);
		if (rc != 0) {
			mm_err_set(err, rc, "", "a reminder is larger than %d bytes", MAIL_BODY_MAX);
			goto out;
		}
		if (count == 0)
			continue;
		if (r->email[0] == '\0') {
			res->no_address++;
			continue;
		}
		if ((rc = already_sent(st, r->id, today, &sent, err)) != 0)
			goto out;
		if (sent) {
			outcome = "already";
			res->already++;
		} else if (!dry_run) {
			mm_buf_reset(&msg);
			if (mail_build(&(struct mail_message){.from = policy_text(p, POLICY_MAIL_FROM), .to = r->email,
			        .subject = subject, .body = body.b_data, .date_ms = now}, &msg, &send_err) != 0 ||
			    mail_send(&srv, policy_text(p, POLICY_MAIL_FROM), r->email, msg.b_data, msg.b_len,
			        &send_err) != 0)
				error = send_err.msg;
			outcome = error ? "failed" : "sent";
			error ? res->failed++ : res->sent++;
			if (error)
				mm_log_warn("reminder to account %s not sent: %s", r->login, error);
			if ((rc = record(m, st, who, r, today, now, count, error, err)) != 0)
				goto out;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "login", r->login, "to",
		    r->email, "items", count, "subject", subject, "body", body.b_data, "outcome", outcome));
	}
	rc = 0;
	if (plan) {
		*plan = out;
		out = NULL;
	}
out:
	sodium_memzero(&srv, sizeof(srv));
	mm_buf_free(&pw); /* wipes the password */
	mm_buf_free(&body);
	mm_buf_free(&msg);
	json_decref(out);
	json_decref(calendar);
	json_decref(violations);
	free(items);
	free(rcpt);
	return rc;
}
