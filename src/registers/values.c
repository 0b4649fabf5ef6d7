/*
 * Field values: from JSON (the API and the CLI), from spreadsheet text (CSV import), and back to
 * spreadsheet text (export). One checker serves all of them: text input is first turned into the
 * JSON a form would send, then checked like any other input.
 */
#include "registers/registers.h"
#include "base/str.h"
#include "core/errors.h"
#include "base/time.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
reg_error(json_t *errors, const char *field, const char *rule, const char *ja, const char *en)
{
	mm_errors_add(errors, field, rule, ja, en);
}

int
reg_field_error(json_t *errors, const struct reg_field *f, const char *rule, const char *ja, const char *en)
{
	char ja2[512], en2[512];

	snprintf(ja2, sizeof(ja2), "%s：%s", f->label_ja, ja);
	snprintf(en2, sizeof(en2), "%s: %s", f->label_en, en);
	reg_error(errors, f->name, rule, ja2, en2);
	return MM_EINVAL;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 1 when y-m-d is a real calendar date between 1900 and 9999. */
static int
real_date(int y, int m, int d)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && leap(y));
}

static int
date_ok(const char *s)
{
	int y, m, d, n = 0;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return 0;
	return real_date(y, m, d);
}

static int
mac_normalise(const char *s, char out[18])
{
	int k = 0;

	for (size_t i = 0; s[i]; i++) {
		if (isxdigit((unsigned char)s[i])) {
			if (k >= 17 || (k % 3 == 2))
				return -1;
			out[k++] = (char)toupper((unsigned char)s[i]);
		} else if ((s[i] == ':' || s[i] == '-') && k % 3 == 2 && k < 17) {
			out[k++] = ':';
		} else {
			return -1;
		}
	}
	out[k] = '\0';
	return k == 17 ? 0 : -1;
}

static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || strchr(at + 1, '@') || strchr(at, '.') == NULL || at[strlen(at) - 1] == '.')
		return 0;
	for (; *s; s++)
		if (*s == ' ' || *s == ',' || *s == ';' || *s == '<' || *s == '>')
			return 0;
	return 1;
}

static int
text_value(const struct reg_field *f, json_t *in, json_t **out, json_t *errors)
{
	const char *s = json_string_value(in);
	size_t len = json_string_length(in);
	long chars;
	char mac[18];

	if (!json_is_string(in))
		return reg_field_error(errors, f, "type", "文字で入力してください", "must be text");
	if ((chars = mm_utf8_check(s, len, f->type == REG_TEXTAREA)) < 0)
		return reg_field_error(errors, f, "characters", "使えない文字（制御文字）が含まれています",
		    "contains control characters");
	if ((size_t)chars > f->maxlen) {
		char ja[96], en[96];
		snprintf(ja, sizeof(ja), "%zu文字以内で入力してください", f->maxlen);
		snprintf(en, sizeof(en), "must be at most %zu characters", f->maxlen);
		return reg_field_error(errors, f, "max_length", ja, en);
	}
	if (f->format == NULL) {
		*out = json_incref(in);
		return 0;
	}
	if (strcmp(f->format, "mac") == 0) {
		if (mac_normalise(s, mac) != 0)
			return reg_field_error(errors, f, "format", "MACアドレスの形式（例 00:1A:2B:3C:4D:5E）で入力してください",
			    "must be a MAC address like 00:1A:2B:3C:4D:5E");
		*out = json_string(mac);
		return 0;
	}
	if (strcmp(f->format, "ipv4") == 0) {
		struct in_addr a;
		if (inet_pton(AF_INET, s, &a) != 1)
			return reg_field_error(errors, f, "format", "IPアドレスの形式（例 192.168.1.10）で入力してください",
			    "must be an IPv4 address like 192.168.1.10");
	} else if (strcmp(f->format, "email") == 0 && !email_ok(s)) {
		return reg_field_error(errors, f, "format", "メールアドレスの形式で入力してください", "must be an e-mail address");
	} else if (strcmp(f->format, "url") == 0 && strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) {
		return reg_field_error(errors, f, "format", "http:// か https:// で始まるURLを入力してください",
		    "must be a URL starting with http:// or https://");
	}
	*out = json_incref(in);
	return 0;
}

static const struct reg_choice *
choice_of(const struct reg_field *f, const char *s)
{
	for (size_t i = 0; s && i < f->nchoices; i++)
		if (strcmp(f->choices[i].value, s) == 0)
			return &f->choices[i];
	return NULL;
}

static int
integer_value(const struct reg_field *f, json_t *in, json_t **out, json_t *errors)
{
	json_int_t v;
	char ja[96], en[96], num[24];

	if (json_is_integer(in)) {
		v = json_integer_value(in);
	} else if (json_is_string(in) && *json_string_value(in)) {
		const char *s = json_string_value(in);
		char *end;
		long long ll = strtoll(s, &end, 10);
		if (*end != '\0' || strlen(s) > 18)
			return reg_field_error(errors, f, "type", "整数で入力してください", "must be a whole number");
		v = ll;
	} else {
		return reg_field_error(errors, f, "type", "整数で入力してください", "must be a whole number");
	}
	if (f->nchoices) {
		snprintf(num, sizeof(num), "%lld", (long long)v);
		if (choice_of(f, num) == NULL)
			return reg_field_error(errors, f, "choice", "選択肢の中から選んでください", "must be one of the choices");
	}
	if ((f->has_min && v < f->min) || (f->has_max && v > f->max)) {
		snprintf(ja, sizeof(ja), "%lld〜%lldの範囲で入力してください", (long long)(f->has_min ? f->min : 0),
		    (long long)(f->has_max ? f->max : 0));
		snprintf(en, sizeof(en), "must be between %lld and %lld", (long long)(f->has_min ? f->min : 0),
		    (long long)(f->has_max ? f->max : 0));
		if (!f->has_max) {
			snprintf(ja, sizeof(ja), "%lld以上で入力してください", (long long)f->min);
			snprintf(en, sizeof(en), "must be at least %lld", (long long)f->min);
		}
		return reg_field_error(errors, f, "range", ja, en);
	}
	*out = json_integer(v);
	return 0;
}

int
reg_value_from_json(const struct reg_field *f, json_t *in, json_t **out, json_t *errors)
{
	*out = NULL;
	if (in == NULL || json_is_null(in) || (json_is_string(in) && json_string_length(in) == 0)) {
		*out = json_null();
		return 0;
	}
	switch (f->type) {
	case REG_TEXT:
	case REG_TEXTAREA:
		return text_value(f, in, out, errors);
	case REG_INTEGER:
		return integer_value(f, in, out, errors);
	case REG_BOOLEAN:
		if (!json_is_boolean(in))
			return reg_field_error(errors, f, "type", "はい・いいえで指定してください", "must be true or false");
		*out = json_incref(in);
		return 0;
	case REG_DATE:
		if (!json_is_string(in) || !date_ok(json_string_value(in)))
			return reg_field_error(errors, f, "date", "日付（例 2026-04-01）で入力してください",
			    "must be a date like 2026-04-01");
		*out = json_incref(in);
		return 0;
	case REG_DATETIME: {
		int64_t ms;
		char t[MM_TIME_STRLEN];
		if (!json_is_string(in) || strlen(json_string_value(in)) < 16 ||
		    mm_time_parse(json_string_value(in), &ms) != 0)
			return reg_field_error(errors, f, "datetime", "日時（例 2026-04-01T09:00:00+09:00）で入力してください",
			    "must be a date and time like 2026-04-01T09:00:00+09:00");
		mm_time_format(ms - ms % 1000, t);
		strcpy(t + 19, "Z"); /* seconds are enough for a ledger */
		*out = json_string(t);
		return 0;
	}
	case REG_ENUM:
		if (!json_is_string(in) || choice_of(f, json_string_value(in)) == NULL)
			return reg_field_error(errors, f, "choice", "選択肢の中から選んでください", "must be one of the choices");
		*out = json_incref(in);
		return 0;
	case REG_REF:
	case REG_PERSON:
		if (!json_is_integer(in) || json_integer_value(in) <= 0)
			return reg_field_error(errors, f, "type", "一覧から選んでください", "must be the id of a record");
		*out = json_incref(in);
		return 0;
	}
	return MM_EINVAL;
}

/* Copies s without surrounding spaces (ASCII and the full-width 　). */
static void
trim(const char *s, char *out, size_t n)
{
	size_t len;

	while (*s == ' ' || *s == '\t' || strncmp(s, "　", 3) == 0)
		s += *s == ' ' || *s == '\t' ? 1 : 3;
	mm_strlcpy(out, s, n);
	len = strlen(out);
	for (;;) {
		if (len && (out[len - 1] == ' ' || out[len - 1] == '\t'))
			out[--len] = '\0';
		else if (len >= 3 && strcmp(out + len - 3, "　") == 0)
			out[len -= 3] = '\0';
		else
			break;
	}
}

static int
text_date(const char *s, char out[11])
{
	int y, m, d, n = 0;

	if ((sscanf(s, "%d/%d/%d%n", &y, &m, &d, &n) == 3 || sscanf(s, "%d-%d-%d%n", &y, &m, &d, &n) == 3) &&
	    s[n] == '\0' && real_date(y, m, d)) {
		snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
		return 0;
	}
	return -1;
}

static int
lookup_id(struct store *st, const char *sql, const char *value, int64_t *id, int *count, struct mm_err *err)
{
	struct store_stmt *s;
	int rc;

	*count = 0;
	if ((rc = store_prepare(st, sql, &s, err)) != 0)
		return rc;
	store_bind_text(s, "$1", value);
	while ((rc = store_step(s, err)) == STORE_ROW) {
		*id = store_col_int(s, 0);
		(*count)++;
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int
reg_value_from_text(struct reg_ctx *x, const struct reg_field *f, const char *in, json_t **out, json_t *errors)
{
	char s[65536 + 1], date[11], sql[256];
	json_t *j = NULL;
	int rc;

	*out = NULL;
	if (f->type == REG_TEXTAREA || f->type == REG_TEXT)
		mm_strlcpy(s, in, sizeof(s));
	else
		trim(in, s, sizeof(s));
	if (*s == '\0') {
		*out = json_null();
		return 0;
	}
	switch (f->type) {
	case REG_TEXT:
	case REG_TEXTAREA:
		j = json_string(s);
		break;
	case REG_INTEGER:
		for (size_t i = 0; i < f->nchoices && j == NULL; i++)
			if (strcmp(s, f->choices[i].ja) == 0 || strcmp(s, f->choices[i].en) == 0)
				j = json_string(f->choices[i].value);
		if (j == NULL)
			j = json_string(s);
		break;
	case REG_BOOLEAN: {
		static const char *yes[] = {"はい", "yes", "Yes", "YES", "true", "TRUE", "1", "○", "有", "あり"};
		static const char *no[] = {"いいえ", "no", "No", "NO", "false", "FALSE", "0", "×", "無", "なし"};
		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]) && j == NULL; i++)
			if (strcmp(s, yes[i]) == 0)
				j = json_true();
			else if (strcmp(s, no[i]) == 0)
				j = json_false();
		if (j == NULL)
			return reg_field_error(errors, f, "type", "「はい」か「いいえ」で入力してください", "must be yes or no");
		break;
	}
	case REG_DATE:
		j = json_string(text_date(s, date) == 0 ? date : s);
		break;
	case REG_DATETIME: {
		int y, mo, d, h, mi, sec = 0, n = 0;
		char iso[40];
		if ((sscanf(s, "%d/%d/%d %d:%d:%d%n", &y, &mo, &d, &h, &mi, &sec, &n) == 6 ||
		    (sec = 0, sscanf(s, "%d/%d/%d %d:%d%n", &y, &mo, &d, &h, &mi, &n) == 5)) && s[n] == '\0' &&
		    real_date(y, mo, d) && h < 24 && mi < 60 && sec < 60) {
			/* a spreadsheet time is the office's local time */
			snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02d+09:00", y, mo, d, h, mi, sec);
			j = json_string(iso);
		} else {
			j = json_string(s);
		}
		break;
	}
	case REG_ENUM:
		for (size_t i = 0; i < f->nchoices && j == NULL; i++)
			if (strcmp(s, f->choices[i].value) == 0 || strcmp(s, f->choices[i].ja) == 0 ||
			    strcmp(s, f->choices[i].en) == 0)
				j = json_string(f->choices[i].value);
		if (j == NULL)
			return reg_field_error(errors, f, "choice", "選択肢の中から選んでください", "must be one of the choices");
		break;
	case REG_REF:
	case REG_PERSON: {
		int64_t id = 0;
		int count = 0;
		char key[256];
		if (f->type == REG_REF && strspn(s, "0123456789") == strlen(s) && strlen(s) < 16) {
			j = json_integer(strtoll(s, NULL, 10));
			break;
		}
		if (f->type == REG_REF) {
			const struct reg_def *r = registers_find(f->ref);
			snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE %s = $1", r->table, r->title);
			mm_strlcpy(key, s, sizeof(key));
		} else {
			/* "E0001 山田 太郎" as exported, or the employee number alone */
			size_t k = strcspn(s, " 　");
			snprintf(key, sizeof(key), "%.*s", (int)(k < sizeof(key) - 1 ? k : sizeof(key) - 1), s);
			snprintf(sql, sizeof(sql), "SELECT id FROM person WHERE employee_no = $1");
		}
		if ((rc = lookup_id(x->st, sql, key, &id, &count, NULL)) != 0)
			return rc;
		if (count != 1)
			return reg_field_error(errors, f, count ? "ambiguous" : "not_found",
			    count ? "同じ名前が複数あります。IDで指定してください" : (f->type == REG_PERSON ?
			    "その社員番号の従業員がいません" : "該当する記録がありません"),
			    count ? "more than one record has this name; give the id" : (f->type == REG_PERSON ?
			    "no person has this employee number" : "no such record"));
		j = json_integer(id);
		break;
	}
	}
	rc = reg_value_from_json(f, j, out, errors);
	json_decref(j);
	return rc;
}

void
reg_value_text(const struct reg_field *f, const json_t *v, const char *label, struct mm_buf *out)
{
	const struct reg_choice *c;

	if (v == NULL || json_is_null(v))
		return;
	switch (f->type) {
	case REG_TEXT:
	case REG_TEXTAREA:
		mm_buf_puts(out, json_string_value(v));
		break;
	case REG_INTEGER:
		mm_buf_printf(out, "%lld", (long long)json_integer_value(v));
		break;
	case REG_BOOLEAN:
		mm_buf_puts(out, json_is_true(v) ? "はい" : "いいえ");
		break;
	case REG_DATE: {
		const char *s = json_string_value(v);
		mm_buf_printf(out, "%.4s/%.2s/%.2s", s, s + 5, s + 8);
		break;
	}
	case REG_DATETIME: {
		int64_t ms;
		char t[MM_TIME_STRLEN];
		if (mm_time_parse(json_string_value(v), &ms) == 0) {
			mm_time_format(ms + MM_LOCAL_OFFSET_MS, t);
			mm_buf_printf(out, "%.4s/%.2s/%.2s %.5s", t, t + 5, t + 8, t + 11);
		}
		break;
	}
	case REG_ENUM:
		c = choice_of(f, json_string_value(v));
		mm_buf_puts(out, c ? c->ja : json_string_value(v));
		break;
	case REG_REF:
	case REG_PERSON:
		if (label && *label)
			mm_buf_puts(out, label);
		else
			mm_buf_printf(out, "%lld", (long long)json_integer_value(v));
		break;
	}
}
