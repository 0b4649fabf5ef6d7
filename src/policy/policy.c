/* Parsing and validating policy profiles (inih does the INI syntax; this file does the meaning). */
#include "policy/policy.h"
#include "base/buf.h"
#include "base/embed.h"
#include "base/fs.h"
#include "base/str.h"
#include "base/time.h"

#include <ctype.h>
#include <stdarg.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLICY_FILE_MAX (64 * 1024)

enum value_type { T_INT, T_BOOL, T_DURATION, T_CLASSES, T_ROLES, T_LOGINS, T_TEXT, T_SMTPURL,
	T_ADDRESS, T_CLOCK, T_WORD };

struct key_def {
	const char *section, *name, *meaning;
	enum value_type type;
	int64_t min, max;
};

static const struct key_def keys[POLICY_KEY_COUNT] = {
#define X(id, sec, nm, type, lo, hi, meaning) [POLICY_##id] = {sec, nm, meaning, T_##type, lo, hi},
    POLICY_KEYS(X)
#undef X
};

/* The roles of design.md; lists in a profile may name only these. */
static const char *const roles[] = {"ceo", "security_officer", "sysadmin", "mynumber_manager",
    "mynumber_handler", "dept_head", "incident_lead", "education_lead", "auditor", "employee"};

struct value {
	int v_seen;
	int v_unset;
	char *v_text;   /* as written */
	char *v_source; /* the regulation, as written */
	int64_t v_int;  /* INT, BOOL, CLASSES bits */
	struct policy_duration v_dur;
};

struct policy {
	struct value p_values[POLICY_KEY_COUNT];
};

struct parse_ctx {
	struct policy *pc_policy;
	char pc_msg[400];
};

int
policy_parse_duration(const char *s, struct policy_duration *d)
{
	static const struct {
		const char *suffix;
		enum policy_unit unit;
	} units[] = {{"s", POLICY_SECONDS}, {"min", POLICY_MINUTES}, {"h", POLICY_HOURS},
	    {"d", POLICY_DAYS}, {"w", POLICY_WEEKS}, {"mo", POLICY_MONTHS}, {"y", POLICY_YEARS}};
	int64_t n = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return MM_EINVAL;
	while (isdigit((unsigned char)*p)) {
		n = n * 10 + (*p++ - '0');
		if (n > 100000)
			return MM_EINVAL;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].suffix) == 0) {
			d->n = n;
			d->unit = units[i].unit;
			return 0;
		}
	}
	return MM_EINVAL;
}

static int
is_role(const char *r, size_t len)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strlen(roles[i]) == len && memcmp(roles[i], r, len) == 0)
			return 1;
	return 0;
}

/* Walks a comma-separated list; calls check on each trimmed item. */
static int
each_item(const char *list, int (*check)(const char *, size_t, void *), void *arg)
{
	const char *p = list;

	while (*p) {
		const char *start, *end;
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ',')
			p++;
		end = p;
		while (end > start && end[-1] == ' ')
			end--;
		if (check(start, (size_t)(end - start), arg) != 0)
			return -1;
	}
	return 0;
}

static int
class_bit(const char *s, size_t len, void *arg)
{
	int *bits = arg;
	static const char *names[] = {"upper", "lower", "digit", "symbol", "letter"};

	for (int i = 0; i < 5; i++) {
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) {
			*bits |= 1 << i;
			return 0;
		}
	}
	return -1;
}

static int
role_ok(const char *s, size_t len, void *arg)
{
	(void)arg;
	return is_role(s, len) ? 0 : -1;
}

static int
login_ok(const char *s, size_t len, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < len; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return -1;
	return len ? 0 : -1;
}

/* Printable ASCII without spaces (a user name for SMTP AUTH). */
static int
word_ok(const char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

/*
 * smtp://HOST[:PORT][/] or smtps://..., HOST a name, an IPv4 address or [IPv6]. No user or
 * password: a secret must never be in policy.ini.
 */
static int
smtp_url_ok(const char *s, size_t max)
{
	const char *host;

	if (strlen(s) > max)
		return 0;
	if (strncmp(s, "smtp://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "smtps://", 8) == 0)
		host = s + 8;
	else
		return 0;
	if (*host == '\0' || *host == ':' || *host == '/')
		return 0;
	for (const char *p = host; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr(".-_:[]", *p) || (*p == '/' && p[1] == '\0')))
			return 0;
	return 1;
}

/* HH:MM; *minutes receives the minutes after midnight. */
static int
clock_ok(const char *s, int64_t *minutes)
{
	if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return 0;
	*minutes = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
	return (s[0] - '0') * 10 + (s[1] - '0') < 24 && (s[3] - '0') < 6;
}

static int
fail(struct parse_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct parse_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->pc_msg, sizeof(c->pc_msg), fmt, ap);
	va_end(ap);
	return 0; /* makes inih stop and report this line */
}

/* Checks and stores a value for key k. */
static int
set_value(struct parse_ctx *c, enum policy_key k, const char *text)
{
	const struct key_def *d = &keys[k];
	struct value *v = &c->pc_policy->p_values[k];
	char *stop;
	int bits = 0;

	if (strcmp(text, "unset") == 0) {
		if (d->type == T_TEXT)
			return fail(c, "%s may not be unset", d->name);
		v->v_unset = 1;
		return 1;
	}
	switch (d->type) {
	case T_INT:
		v->v_int = strtoll(text, &stop, 10);
		if (!isdigit((unsigned char)text[0]) || *stop != '\0')
			return fail(c, "%s: '%s' is not a whole number", d->name, text);
		if (v->v_int < d->min || v->v_int > d->max)
			return fail(c, "%s: %s is outside %lld to %lld", d->name, text, (long long)d->min,
			    (long long)d->max);
		break;
	case T_BOOL:
		if (strcmp(text, "yes") == 0)
			v->v_int = 1;
		else if (strcmp(text, "no") == 0)
			v->v_int = 0;
		else
			return fail(c, "%s: '%s' must be yes or no", d->name, text);
		break;
	case T_DURATION:
		if (policy_parse_duration(text, &v->v_dur) != 0)
			return fail(c, "%s: '%s' is not a duration (write e.g. 5min, 6h, 1d, 2w, 3mo, 1y)",
			    d->name, text);
		break;
	case T_CLASSES:
		if (each_item(text, class_bit, &bits) != 0 || bits == 0)
			return fail(c, "%s: '%s' must list some of upper, lower, letter, digit, symbol", d->name, text);
		v->v_int = bits;
		break;
	case T_ROLES:
		if (each_item(text, role_ok, NULL) != 0)
			return fail(c, "%s: '%s' names an unknown role (known: ceo, security_officer, sysadmin,"
			    " mynumber_manager, mynumber_handler, dept_head, incident_lead, education_lead,"
			    " auditor, employee)", d->name, text);
		break;
	case T_LOGINS:
		if (each_item(text, login_ok, NULL) != 0)
			return fail(c, "%s: '%s' must be lower-case login names separated by commas", d->name,
			    text);
		break;
	case T_TEXT:
	case T_WORD:
		if ((int64_t)strlen(text) < d->min || (int64_t)strlen(text) > d->max)
			return fail(c, "%s: must be %lld to %lld bytes", d->name, (long long)d->min,
			    (long long)d->max);
		if (d->type == T_WORD && !word_ok(text))
			return fail(c, "%s: '%s' must be printable ASCII without spaces", d->name, text);
		break;
	case T_SMTPURL:
		if (!smtp_url_ok(text, (size_t)d->max))
			/* the value is not repeated: it may hold a password someone meant to configure */
			return fail(c, "%s: must be smtp://HOST[:PORT] or smtps://HOST[:PORT], without a user or"
			    " password (the password goes in keys/smtp.password)", d->name);
		break;
	case T_ADDRESS:
		if (!mm_email_ok(text))
			return fail(c, "%s: '%s' is not an e-mail address", d->name, text);
		break;
	case T_CLOCK:
		if (!clock_ok(text, &v->v_int))
			return fail(c, "%s: '%s' is not a time of day HH:MM (00:00 to 23:59)", d->name, text);
		break;
	}
	return 1;
}

static char *
trimmed(const char *s, size_t len)
{
	char *out;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *c = user;
	const char *bar;
	struct value *v;
	int k;

	for (k = 0; k < POLICY_KEY_COUNT; k++)
		if (strcmp(keys[k].section, section) == 0 && strcmp(keys[k].name, name) == 0)
			break;
	if (k == POLICY_KEY_COUNT) {
		for (int j = 0; j < POLICY_KEY_COUNT; j++)
			if (strcmp(keys[j].section, section) == 0)
				return fail(c, "unknown key '%s' in [%s]", name, section);
		return fail(c, "unknown section [%s]", section);
	}
	v = &c->pc_policy->p_values[k];
	if (v->v_seen)
		return fail(c, "key '%s' in [%s] is set twice", name, section);
	if (mm_utf8_check(value, strlen(value), 0) < 0)
		return fail(c, "%s: the value is not valid UTF-8 text", name);
	v->v_seen = 1;
	bar = strchr(value, '|');
	v->v_text = trimmed(value, bar ? (size_t)(bar - value) : strlen(value));
	v->v_source = trimmed(bar ? bar + 1 : "", bar ? strlen(bar + 1) : 0);
	if (v->v_text == NULL || v->v_source == NULL)
		return fail(c, "out of memory");
	if (v->v_text[0] == '\0')
		return fail(c, "%s has no value (write a value, or unset)", name);
	return set_value(c, (enum policy_key)k, v->v_text);
}

/*
 * A policy.ini written by an older mamori lacks the keys added since. When it names a built-in
 * profile, those keys take that profile's value, their source saying so (`mamori policy show`
 * prints it); a custom profile must still set every key.
 */
static int
fill_from_builtin(struct policy *p)
{
	const struct value *nv = &p->p_values[POLICY_PROFILE_NAME];
	struct policy *base = NULL;
	const char *text;
	size_t len;
	int missing = 0;

	/* a built-in profile is complete: never fill it from itself (a key missing there is an error) */
	static _Thread_local int filling;
	int rc;

	for (int k = 0; k < POLICY_KEY_COUNT; k++)
		missing |= !p->p_values[k].v_seen;
	if (filling || !missing || !nv->v_seen || nv->v_unset || (text = policy_builtin(nv->v_text, &len)) == NULL)
		return 0;
	filling = 1;
	rc = policy_parse(text, len, nv->v_text, &base, NULL);
	filling = 0;
	if (rc != 0)
		return 0;
	for (int k = 0; k < POLICY_KEY_COUNT; k++) {
		struct value *v = &p->p_values[k];
		char src[512];
		if (v->v_seen)
			continue;
		*v = base->p_values[k];
		snprintf(src, sizeof(src), "%s (built-in %s, not in this file)", base->p_values[k].v_source, nv->v_text);
		v->v_text = strdup(base->p_values[k].v_text);
		v->v_source = strdup(src);
		if (v->v_text == NULL || v->v_source == NULL) {
			policy_free(base);
			return -1;
		}
	}
	policy_free(base);
	return 0;
}

/* Rules that involve more than one key. */
static int
check_whole(struct policy *p, const char *name, struct mm_err *err)
{
	static const enum policy_key pairs[][2] = {
	    {POLICY_PASSWORD_GENERAL_MIN_CLASSES, POLICY_PASSWORD_GENERAL_REQUIRED_CLASSES},
	    {POLICY_PASSWORD_PRIVILEGED_MIN_CLASSES, POLICY_PASSWORD_PRIVILEGED_REQUIRED_CLASSES},
	};

	if (fill_from_builtin(p) != 0)
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	for (int k = 0; k < POLICY_KEY_COUNT; k++)
		if (!p->p_values[k].v_seen)
			return mm_err_set(err, MM_EINVAL, keys[k].name, "%s: missing key '%s' in [%s] (%s)",
			    name, keys[k].name, keys[k].section, keys[k].meaning);
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		int64_t need = policy_int(p, pairs[i][0]);
		int listed = __builtin_popcount((unsigned)policy_int(p, pairs[i][1]));
		if (need > listed)
			return mm_err_set(err, MM_EINVAL, keys[pairs[i][0]].name,
			    "%s: [%s] min_classes is %lld but required_classes lists only %d", name,
			    keys[pairs[i][0]].section, (long long)need, listed);
	}
	return 0;
}

int
policy_parse(const char *text, size_t len, const char *name, struct policy **out, struct mm_err *err)
{
	struct parse_ctx c = {0};
	char *copy;
	int line, rc;

	*out = NULL;
	if (len > POLICY_FILE_MAX)
		return mm_err_set(err, MM_ETOOBIG, "profile", "%s is larger than %d bytes", name,
		    POLICY_FILE_MAX);
	if (memchr(text, '\0', len) != NULL)
		return mm_err_set(err, MM_EINVAL, "profile", "%s contains a NUL byte", name);
	/* inih reads a line in pieces of INI_MAX_LINE bytes; a longer line would be misread, so refuse it */
	for (size_t i = 0, start = 0, lineno = 1; i <= len; i++) {
		if (i == len || text[i] == '\n') {
			if (i - start >= INI_MAX_LINE - 1)
				return mm_err_set(err, MM_EINVAL, "profile", "%s:%zu: the line is longer than %d bytes",
				    name, lineno, INI_MAX_LINE - 2);
			start = i + 1;
			lineno++;
		}
	}
	if ((c.pc_policy = calloc(1, sizeof(*c.pc_policy))) == NULL || (copy = malloc(len + 1)) == NULL) {
		free(c.pc_policy);
		return mm_err_set(err, MM_ENOMEM, "", "out of memory");
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	/* a value never continues on an indented next line: that would hide mistakes */
	ini_allow_multiline = 0;
	/* report the first mistake: parsing on would let a later line's message overwrite it */
	ini_stop_on_first_error = 1;
	line = ini_parse_string(copy, on_entry, &c);
	free(copy);
	if (line != 0) {
		if (line < 0)
			rc = mm_err_set(err, MM_ENOMEM, "profile", "%s: out of memory", name);
		else
			rc = mm_err_set(err, MM_EINVAL, "profile", "%s:%d: %s", name, line,
			    c.pc_msg[0] ? c.pc_msg : "not a valid INI line (expected [section] or key = value | source)");
		policy_free(c.pc_policy);
		return rc;
	}
	if ((rc = check_whole(c.pc_policy, name, err)) != 0) {
		policy_free(c.pc_policy);
		return rc;
	}
	*out = c.pc_policy;
	return 0;
}

int
policy_load(const char *path, struct policy **out, struct mm_err *err)
{
	struct mm_buf b;
	int rc;

	*out = NULL; /* as policy_parse: never leave the caller's old pointer on failure */
	mm_buf_init(&b, POLICY_FILE_MAX);
	if ((rc = mm_fs_read(path, &b, err)) == 0)
		rc = policy_parse(b.b_data ? b.b_data : "", b.b_len, path, out, err);
	mm_buf_free(&b);
	return rc;
}

void
policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	for (int k = 0; k < POLICY_KEY_COUNT; k++) {
		free(p->p_values[k].v_text);
		free(p->p_values[k].v_source);
	}
	free(p);
}

int
policy_is_unset(const struct policy *p, enum policy_key k)
{
	return p->p_values[k].v_unset;
}

int64_t
policy_int(const struct policy *p, enum policy_key k)
{
	return p->p_values[k].v_unset ? 0 : p->p_values[k].v_int;
}

struct policy_duration
policy_duration(const struct policy *p, enum policy_key k)
{
	struct policy_duration none = {0, POLICY_SECONDS};

	return p->p_values[k].v_unset ? none : p->p_values[k].v_dur;
}

int64_t
policy_ms(const struct policy *p, enum policy_key k)
{
	static const int64_t unit_ms[] = {1000, 60000, 3600000, 86400000, 7 * 86400000LL,
	    30 * 86400000LL, 365 * 86400000LL};
	struct policy_duration d = policy_duration(p, k);

	return d.n * unit_ms[d.unit];
}

const char *
policy_text(const struct policy *p, enum policy_key k)
{
	return p->p_values[k].v_unset ? "" : p->p_values[k].v_text;
}

const char *
policy_value_text(const struct policy *p, enum policy_key k)
{
	return p->p_values[k].v_text;
}

const char *
policy_source(const struct policy *p, enum policy_key k)
{
	return p->p_values[k].v_source;
}

struct list_find {
	const char *item;
	int found;
};

static int
list_match(const char *s, size_t len, void *arg)
{
	struct list_find *f = arg;

	if (strlen(f->item) == len && memcmp(f->item, s, len) == 0)
		f->found = 1;
	return 0;
}

int
policy_list_has(const struct policy *p, enum policy_key k, const char *item)
{
	struct list_find f = {item, 0};

	if (p->p_values[k].v_unset)
		return 0;
	each_item(p->p_values[k].v_text, list_match, &f);
	return f.found;
}

const char *
policy_key_section(enum policy_key k)
{
	return keys[k].section;
}

const char *
policy_key_name(enum policy_key k)
{
	return keys[k].name;
}

const char *
policy_key_meaning(enum policy_key k)
{
	return keys[k].meaning;
}

int64_t
policy_add(int64_t ms, struct policy_duration d)
{
	static const int64_t unit_ms[] = {1000, 60000, 3600000, 86400000, 7 * 86400000LL};
	char iso[MM_TIME_STRLEN];
	int y, m, day;
	int64_t tod, months;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (d.unit <= POLICY_WEEKS)
		return ms + d.n * unit_ms[d.unit];
	/* calendar units: move the month, clamp the day to the month's length */
	mm_time_format(ms, iso);
	sscanf(iso, "%d-%d-%d", &y, &m, &day);
	tod = ms - mm_days_from_civil(y, (unsigned)m, (unsigned)day) * 86400000LL;
	months = (int64_t)y * 12 + (m - 1) + (d.unit == POLICY_MONTHS ? d.n : d.n * 12);
	y = (int)(months / 12);
	m = (int)(months % 12) + 1;
	{
		int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
		if (day > last)
			day = last;
	}
	return mm_days_from_civil(y, (unsigned)m, (unsigned)day) * 86400000LL + tod;
}

extern const struct mm_embedded mm_profiles[];
extern const size_t mm_profiles_count;

const char *
policy_builtin(const char *name, size_t *len)
{
	char file[80];
	const struct mm_embedded *e;

	if (strlen(name) > 60 || strchr(name, '/') != NULL)
		return NULL;
	snprintf(file, sizeof(file), "%s.ini", name);
	if ((e = mm_embedded_find(mm_profiles, mm_profiles_count, file)) == NULL)
		return NULL;
	*len = e->len;
	return (const char *)e->data;
}

const char *
policy_builtin_names(void)
{
	return "ipa-sme, standard-2016, iso-regulations";
}

void
policy_duration_text(struct policy_duration d, int ja, char *out, size_t n)
{
	static const char *const units_ja[] = {"秒", "分", "時間", "日", "週間", "か月", "年間"};
	static const char *const units_en[] = {"second", "minute", "hour", "day", "week", "month", "year"};

	if (ja)
		snprintf(out, n, "%lld%s", (long long)d.n, units_ja[d.unit]);
	else
		snprintf(out, n, "%lld %s%s", (long long)d.n, units_en[d.unit], d.n == 1 ? "" : "s");
}
