#include "journal/journal.h"
#include "base/str.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *label_ja;
} categories[] = {
    {"login", "ログイン・ログオフ"},        /* §4.11(2)① */
    {"config", "設定変更"},                /* ② */
    {"log_storage", "ログの保存"},          /* ③ */
    {"backup", "バックアップ"},             /* ④ */
    {"error", "システムエラー・是正処置"},  /* ⑤ */
    {"other", "その他"},
};

int
journal_category_valid(const char *name)
{
	return journal_category_label_ja(name) != NULL;
}

const char *
journal_category_names(void)
{
	return "login, config, log_storage, backup, error, other";
}

const char *
journal_category_label_ja(const char *name)
{
	for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (strcmp(categories[i].name, name) == 0)
			return categories[i].label_ja;
	return NULL;
}

int
journal_add(struct mamori *m, struct store *st, const struct mm_actor *who,
    const char *category, const char *text, int64_t *id, struct mm_err *err)
{
	struct store_stmt *s = NULL;
	char when[MM_TIME_STRLEN], idtext[24], details[128];
	long chars;
	int rc;

	if (category == NULL || !journal_category_valid(category))
		return mm_err_set(err, MM_EINVAL, "category", "category must be one of: %s",
		    journal_category_names());
	if (text == NULL || (chars = mm_utf8_check(text, strlen(text), 1)) < 0)
		return mm_err_set(err, MM_EINVAL, "text", "text must be UTF-8 without control characters");
	if (chars == 0 || strspn(text, " \t\r\n") == strlen(text))
		return mm_err_set(err, MM_EINVAL, "text", "text is required");
	if (chars > JOURNAL_TEXT_MAX)
		return mm_err_set(err, MM_EINVAL, "text", "text must be at most %d characters (it has %ld)",
		    JOURNAL_TEXT_MAX, chars);
	mm_time_format(mm_now_ms(), when);
	if ((rc = store_begin(st, err)) != 0)
		return rc;
	if ((rc = store_prepare(st,
	    "INSERT INTO journal_entry (recorded_at, author, category, body) VALUES ($1, $2, $3, $4)", &s,
	    err)) != 0)
		goto fail;
	store_bind_text(s, "$1", when);
	store_bind_text(s, "$2", who->login);
	store_bind_text(s, "$3", category);
	store_bind_text(s, "$4", text);
	rc = store_step(s, err);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)store_last_id(st));
	/* the text itself stays out of the trail: the entry's hash-chained event names it by id */
	snprintf(details, sizeof(details), "{\"category\":\"%s\",\"chars\":%ld}", category, chars);
	if ((rc = mamori_audit(m, st, who, &(struct audit_event){.action = "journal.add",
	    .target_type = "journal_entry", .target_id = idtext, .access = AUDIT_CREATE,
	    .outcome = "success", .details = details}, NULL, err)) != 0)
		goto fail;
	if ((rc = store_commit(st, err)) != 0)
		return rc;
	if (id)
		*id = strtoll(idtext, NULL, 10);
	return 0;
fail:
	store_rollback(st);
	return rc;
}

int
journal_list(struct store *st, int64_t since_ms, int limit, json_t **out, struct mm_err *err)
{
	struct store_stmt *s;
	char since[MM_TIME_STRLEN];
	json_t *arr;
	int rc;

	*out = NULL;
	if (limit < 1 || limit > 1000)
		return mm_err_set(err, MM_EINVAL, "limit", "limit must be 1 to 1000");
	mm_time_format(since_ms, since);
	if ((rc = store_prepare(st,
	    "SELECT id, recorded_at, author, category, body FROM journal_entry"
	    " WHERE recorded_at >= $1 ORDER BY id DESC LIMIT $2", &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", since);
	store_bind_int(s, "$2", limit);
	if ((arr = json_array()) == NULL) {
		store_finalize(s);
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	}
	while ((rc = store_step(s, err)) == STORE_ROW) {
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)store_col_int(s, 0), "recorded_at", store_col_text(s, 1),
		    "author", store_col_text(s, 2), "category", store_col_text(s, 3),
		    "text", store_col_text(s, 4)));
	}
	store_finalize(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}
