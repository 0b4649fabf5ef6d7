/*
 * Changing a password: the rules of the account's class (password_rules.c), no reuse within the
 * profile's history window or count (004 ch5 §9.3: 1 year; 001 §4.1.5③: last 10), and never the
 * current one.
 */
#include "auth/account.h"
#include "auth/login.h"
#include "base/str.h"
#include "base/time.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define HISTORY_MAX 24 /* each check is one Argon2id verification */

static const enum policy_key history_key[2][2] = {
    {POLICY_PASSWORD_GENERAL_HISTORY, POLICY_PASSWORD_GENERAL_HISTORY_COUNT},
    {POLICY_PASSWORD_PRIVILEGED_HISTORY, POLICY_PASSWORD_PRIVILEGED_HISTORY_COUNT},
};

/* 1 when password equals the current one or one in the history the profile covers. */
static int
reused(struct mamori *m, struct store *st, const struct account *a, const char *password,
    struct mm_err *err)
{
	int priv = account_privileged(m, a);
	const struct policy *p = m->md_policy;
	char since[MM_TIME_STRLEN];
	struct store_stmt *s;
	int64_t window_start = INT64_MAX, count = policy_int(p, history_key[priv][1]);
	int found = 0, rc, n = 0;

	if (mm_password_verify(a->ac_password_hash, password) == 0)
		return 1;
	if (!policy_is_unset(p, history_key[priv][0])) {
		struct policy_duration d = policy_duration(p, history_key[priv][0]);
		d.n = -d.n;
		window_start = policy_add(mm_now_ms(), d);
	}
	if (window_start == INT64_MAX && count == 0)
		return 0;
	mm_time_format(window_start == INT64_MAX ? 0 : window_start, since);
	/* newest first: the last `count` ones, and every one set within the window */
	if ((rc = store_prepare(st, "SELECT password_hash, set_at >= $2 AND $3 FROM password_history"
	    " WHERE account_id = $1 ORDER BY set_at DESC LIMIT $4", &s, err)) != 0)
		return rc;
	store_bind_int(s, "$1", a->ac_id);
	store_bind_text(s, "$2", since);
	store_bind_int(s, "$3", window_start != INT64_MAX);
	store_bind_int(s, "$4", HISTORY_MAX);
	while (!found && (rc = store_step(s, err)) == STORE_ROW) {
		int in_scope = n < count || store_col_int(s, 1);
		n++;
		if (in_scope && mm_password_verify(store_col_text(s, 0), password) == 0)
			found = 1;
	}
	store_finalize(s);
	if (rc < 0)
		return rc;
	return found;
}

/* The text of the history rule for this class. */
void
account_history_text(struct mamori *m, int priv, int ja, char *out, size_t n)
{
	const struct policy *p = m->md_policy;
	char window[48];
	int64_t count = policy_int(p, history_key[priv][1]);

	if (!policy_is_unset(p, history_key[priv][0])) {
		policy_duration_text(policy_duration(p, history_key[priv][0]), ja, window, sizeof(window));
		snprintf(out, n, ja ? "過去%sに使ったパスワードを使わない" : "Not used within the last %s", window);
	}
	else if (count > 0)
		snprintf(out, n, ja ? "過去%" PRId64 "回分のパスワードを使わない" : "Not one of the last %" PRId64,
		    count);
	else
		snprintf(out, n, ja ? "現在のパスワードと異なる" : "Differs from the current password");
}

int
account_password_check(struct mamori *m, struct store *st, const struct account *a,
    const char *password, json_t **rules, struct mm_err *err)
{
	int priv = account_privileged(m, a), broken, r;
	struct pw_rules pr;
	struct pw_result res;
	char ja[160], en[160];

	account_rules(m, priv, &pr);
	broken = password_rules_check(&pr, &a->ac_subject, password, &res);
	r = reused(m, st, a, password, err);
	if (r < 0)
		return r;
	broken += r;
	if (rules) {
		*rules = json_array();
		for (int i = 0; i < PW_RULE_COUNT; i++) {
			if (!res.asked[i])
				continue;
			password_rule_text((enum pw_rule)i, &pr, 1, ja, sizeof(ja));
			password_rule_text((enum pw_rule)i, &pr, 0, en, sizeof(en));
			json_array_append_new(*rules, json_pack("{s:s, s:b, s:s, s:s}", "rule",
			    password_rule_id((enum pw_rule)i), "met", res.met[i], "text", ja, "text_en", en));
		}
		account_history_text(m, priv, 1, ja, sizeof(ja));
		account_history_text(m, priv, 0, en, sizeof(en));
		json_array_append_new(*rules, json_pack("{s:s, s:b, s:s, s:s}", "rule", "history", "met",
		    !r, "text", ja, "text_en", en));
	}
	return broken;
}

int
account_change_password(struct mamori *m, struct store *st, const struct mm_actor *who,
    int64_t id, const char *current, const char *password, json_t **errors, struct mm_err *err)
{
	struct account a;
	struct store_stmt *s;
	json_t *rules = NULL, *errs;
	char hash[MM_PWHASH_STRLEN], when[MM_TIME_STRLEN], idtext[24], ja[300];
	size_t i;
	json_t *r;
	int rc, broken;

	if (errors)
		*errors = NULL;
	if (current == NULL || password == NULL)
		return mm_err_input(err, current ? "new_password" : "current_password", "required",
		    "必須です", "is required");
	if (mm_utf8_check(password, strlen(password), 0) < 0 || strlen(password) > 256)
		return mm_err_input(err, "new_password", "text", "256バイト以内の文字で入力してください",
		    "must be text of at most 256 bytes");
	if ((rc = account_load(m, st, NULL, id, &a, err)) != 0)
		return rc;
	if (mm_password_verify(a.ac_password_hash, current) != 0) {
		/* a wrong current password counts like a failed login (lockout) */
		login_register_failure(m, st, &a, who, "password.change", err);
		account_clear(&a);
		return mm_err_input(err, "current_password", "mismatch", "現在のパスワードが違います",
		    "the current password is wrong");
	}
	if ((broken = account_password_check(m, st, &a, password, &rules, err)) < 0) {
		account_clear(&a);
		return broken;
	}
	if (broken > 0) {
		errs = json_array();
		json_array_foreach(rules, i, r) {
			if (json_is_true(json_object_get(r, "met")))
				continue;
			json_array_append_new(errs, json_pack("{s:s, s:O, s:O, s:O}", "field", "new_password",
			    "rule", json_object_get(r, "rule"), "message", json_object_get(r, "text_en"),
			    "message_ja", json_object_get(r, "text")));
		}
		snprintf(ja, sizeof(ja), "新しいパスワードが規則を満たしていません（%s）",
		    json_string_value(json_object_get(json_array_get(errs, 0), "message_ja")));
		mm_err_input(err, "new_password", json_string_value(json_object_get(json_array_get(errs, 0), "rule")),
		    ja,
		    "the new password breaks %d rule%s: %s", broken, broken == 1 ? "" : "s",
		    json_string_value(json_object_get(json_array_get(errs, 0), "message")));
		json_decref(rules);
		account_clear(&a);
		if (errors)
			*errors = errs;
		else
			json_decref(errs);
		return MM_EINVAL;
	}
	json_decref(rules);
	rc = mm_password_hash(hash, password, (uint64_t)policy_int(m->md_policy, POLICY_ARGON2_OPSLIMIT),
	    (size_t)policy_int(m->md_policy, POLICY_ARGON2_MEMLIMIT_MIB) * 1024 * 1024);
	if (rc != 0) {
		account_clear(&a);
		return mm_err_set(err, rc, "argon2", "cannot hash the password");
	}
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_begin(st, err)) != 0)
		goto out;
	if ((rc = store_prepare(st, "UPDATE account SET password_hash = $2, must_change_password = 0,"
	    " password_changed_at = $3 WHERE id = $1", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", hash);
	store_bind_text(s, "$3", when);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if ((rc = store_prepare(st, "INSERT INTO password_history (account_id, password_hash, set_at)"
	    " VALUES ($1, $2, $3)", &s, err)) != 0)
		goto fail;
	store_bind_int(s, "$1", id);
	store_bind_text(s, "$2", hash);
	store_bind_text(s, "$3", when);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "password.change",
	    .target_type = "account", .target_id = idtext, .access = AUDIT_UPDATE, .outcome = "success"},
	    NULL, err)) != 0)
		goto fail;
	rc = store_commit(st, err);
	goto out;
fail:
	store_rollback(st);
out:
	mm_wipe(hash, sizeof(hash));
	account_clear(&a);
	return rc;
}
