/* Unit tests of src/policy: the shipped profiles, every refusal with its line, durations, dates. */
#include "unit.h"

#include "base/time.h"
#include "crypto/crypto.h"
#include "policy/policy.h"

#define NAME "test.ini" /* the file name policy_parse puts in its messages */

/* Lines of the default profile (ipa-sme.ini) that tests change. */
#define MIN_LENGTH_10 "min_length        = 10 "
#define THRESHOLD_5 "threshold = 5 "

/* The shipped default profile, a valid base for the broken variants below. */
static const char *
base_profile(size_t *len)
{
	const char *text = policy_builtin("ipa-sme", len);

	assert_non_null(text);
	return text;
}

/* A copy of text with the first `find` replaced by `repl` (free it). */
static char *
replaced(const char *text, const char *find, const char *repl)
{
	const char *at = strstr(text, find);
	char *out;

	if (at == NULL)
		fail_msg("\"%s\" is not in the profile", find);
	out = malloc(strlen(text) - strlen(find) + strlen(repl) + 1);
	assert_non_null(out);
	sprintf(out, "%.*s%s%s", (int)(at - text), text, repl, at + strlen(find));
	return out;
}

/* A copy of the default profile with the first `find` replaced by `repl` (free it). */
static char *
profile_with(const char *find, const char *repl)
{
	size_t len;

	return replaced(base_profile(&len), find, repl);
}

/* The line number (from 1) on which `what` first appears in text. */
static int
line_of(const char *text, const char *what)
{
	const char *at = strstr(text, what);
	int line = 1;

	assert_non_null(at);
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

static struct policy *
parse_ok(const char *text)
{
	struct policy *p = NULL;
	struct mm_err err = {0};

	if (policy_parse(text, strlen(text), NAME, &p, &err) != 0)
		fail_msg("refused: %s", err.msg);
	return p;
}

/* Asserts that text is refused with "NAME:LINE: ..." where LINE holds `marker`, and `why`. */
static void
assert_refused_at(const char *text, const char *marker, const char *why)
{
	struct policy *p = (struct policy *)1;
	struct mm_err err = {0};
	char where[64];

	assert_int_equal(policy_parse(text, strlen(text), NAME, &p, &err), MM_EINVAL);
	assert_null(p);
	snprintf(where, sizeof(where), NAME ":%d: ", line_of(text, marker));
	assert_starts_with(err.msg, where);
	assert_contains(err.msg, why);
}

/* Replaces find by repl in the default profile and expects a refusal on repl's line. */
static void
assert_change_refused(const char *find, const char *repl, const char *why)
{
	char *text = profile_with(find, repl);

	assert_refused_at(text, repl, why);
	free(text);
}

/*
 * Inserts `lines` before the first `before` in the default profile and expects a refusal on the
 * last line inserted.
 */
static void
assert_insert_refused(const char *before, const char *lines, const char *why)
{
	char *repl = malloc(strlen(lines) + strlen(before) + 1), *text;
	const char *last = lines + strlen(lines) - 1;

	assert_non_null(repl);
	sprintf(repl, "%s%s", lines, before);
	text = profile_with(before, repl);
	while (last > lines && last[-1] != '\n')
		last--;
	assert_refused_at(text, last, why);
	free(repl);
	free(text);
}

/* ---- the shipped profiles ---- */

static void
test_builtin_profiles_parse(void **state)
{
	static const char *names[] = {"ipa-sme", "standard-2016", "iso-regulations"};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct policy *p = NULL;
		struct mm_err err = {0};
		size_t len = 0;
		const char *text = policy_builtin(names[i], &len);

		assert_non_null(text);
		assert_int_equal(strlen(text), len);
		if (policy_parse(text, len, names[i], &p, &err) != 0)
			fail_msg("%s", err.msg);
		assert_string_equal(policy_text(p, POLICY_PROFILE_NAME), names[i]);
		assert_contains(policy_builtin_names(), names[i]);
		policy_free(p);
	}
}

static void
test_builtin_unknown_names(void **state)
{
	size_t len = 0;

	(void)state;
	assert_null(policy_builtin("nope", &len));
	assert_null(policy_builtin("../profiles/ipa-sme", &len));
	assert_null(policy_builtin("ipa-sme.ini", &len));
	assert_null(policy_builtin("", &len));
}

static void
test_values_are_typed(void **state)
{
	size_t len;
	struct policy *p = parse_ok(base_profile(&len));
	struct policy_duration d;

	(void)state;
	assert_int_equal(policy_int(p, POLICY_PASSWORD_GENERAL_MIN_LENGTH), 10);
	assert_int_equal(policy_int(p, POLICY_PASSWORD_PRIVILEGED_MIN_LENGTH), 12);
	assert_int_equal(policy_int(p, POLICY_PASSWORD_GENERAL_REQUIRED_CLASSES),
	    POLICY_UPPER | POLICY_LOWER | POLICY_DIGIT | POLICY_SYMBOL);
	assert_int_equal(policy_int(p, POLICY_PASSWORD_GENERAL_FORBID_PERSONAL), 1);
	assert_int_equal(policy_int(p, POLICY_LOCKOUT_PRIVILEGED_THRESHOLD), 3);
	d = policy_duration(p, POLICY_LOCKOUT_PRIVILEGED_DURATION);
	assert_int_equal(d.n, 6);
	assert_int_equal(d.unit, POLICY_HOURS);
	assert_int_equal(policy_ms(p, POLICY_SESSION_IDLE_TIMEOUT), 5 * 60 * 1000);
	assert_int_equal(policy_ms(p, POLICY_RETENTION_FIREWALL_LOG), 6 * 30 * 86400000LL);
	assert_int_equal(policy_ms(p, POLICY_RETENTION_GATEWAY_LOG), 3 * 365 * 86400000LL);
	assert_true(policy_list_has(p, POLICY_ACCOUNT_ISSUANCE_APPROVERS, "ceo"));
	assert_false(policy_list_has(p, POLICY_ACCOUNT_ISSUANCE_APPROVERS, "employee"));
	assert_false(policy_list_has(p, POLICY_ACCOUNT_ISSUANCE_APPROVERS, "ce")); /* whole items */
	assert_true(policy_list_has(p, POLICY_ACCOUNT_FORBIDDEN_LOGINS, "root"));
	assert_string_equal(policy_value_text(p, POLICY_PASSWORD_GENERAL_MIN_LENGTH), "10");
	assert_string_equal(policy_source(p, POLICY_PASSWORD_GENERAL_MIN_LENGTH),
	    "004 ch5 §9.3 (10文字以上)");
	policy_free(p);
}

static void
test_key_metadata(void **state)
{
	(void)state;
	assert_string_equal(
	    policy_key_section(POLICY_LOCKOUT_GENERAL_THRESHOLD), "lockout.general");
	assert_string_equal(policy_key_name(POLICY_LOCKOUT_GENERAL_THRESHOLD), "threshold");
	assert_string_equal(policy_key_meaning(POLICY_LOCKOUT_GENERAL_THRESHOLD),
	    "failed logins that lock the account");
}

static void
test_unset_values(void **state)
{
	char *text = profile_with("history_count     = 0 ", "history_count     = unset ");
	struct policy *p = parse_ok(text);

	(void)state;
	/* max_age = unset in the shipped profile */
	assert_true(policy_is_unset(p, POLICY_PASSWORD_GENERAL_MAX_AGE));
	assert_int_equal(policy_ms(p, POLICY_PASSWORD_GENERAL_MAX_AGE), 0);
	assert_int_equal(policy_duration(p, POLICY_PASSWORD_GENERAL_MAX_AGE).n, 0);
	assert_string_equal(policy_value_text(p, POLICY_PASSWORD_GENERAL_MAX_AGE), "unset");
	assert_true(policy_is_unset(p, POLICY_PASSWORD_GENERAL_HISTORY_COUNT));
	assert_int_equal(policy_int(p, POLICY_PASSWORD_GENERAL_HISTORY_COUNT), 0);
	assert_false(policy_is_unset(p, POLICY_PASSWORD_GENERAL_MIN_LENGTH));
	policy_free(p);
	free(text);
}

static void
test_unset_list_has_nothing(void **state)
{
	char *text = profile_with("forbidden_logins   = admin,administrator,root,guest",
	    "forbidden_logins   = unset");
	struct policy *p = parse_ok(text);

	(void)state;
	assert_false(policy_list_has(p, POLICY_ACCOUNT_FORBIDDEN_LOGINS, "admin"));
	assert_false(policy_list_has(p, POLICY_ACCOUNT_FORBIDDEN_LOGINS, "unset"));
	policy_free(p);
	free(text);
}

static void
test_text_may_not_be_unset(void **state)
{
	(void)state;
	assert_change_refused("name  = ipa-sme ", "name  = unset ", "name may not be unset");
}

/* ---- refusals, each naming its line ---- */

static void
test_long_line_refused_by_number(void **state)
{
	char line[400];

	(void)state;
	/* a source comment a person lengthened: refused by its line, never read in pieces */
	snprintf(line, sizeof(line), "screen_lock_pc = 5min | 004 ch7 §3.2 %0300d\n", 0);
	assert_change_refused("screen_lock_pc    = 5min                        | 004 ch7 §3.2 (5分以内)\n", line,
	    "the line is longer than");
}

static void
test_unknown_key_refused(void **state)
{
	(void)state;
	assert_insert_refused("idle_timeout", "colour = blue | mamori default\n",
	    "unknown key 'colour' in [session]");
}

static void
test_unknown_section_refused(void **state)
{
	char *text = profile_with("[session]", "[sessions]");

	(void)state;
	/* reported on the first key of the section, the line inih hands over */
	assert_refused_at(text, "idle_timeout", "unknown section [sessions]");
	free(text);
}

static void
test_key_outside_any_section_refused(void **state)
{
	(void)state;
	assert_insert_refused("; mamori policy profile", "stray = 1\n", "unknown section []");
}

static void
test_duplicate_key_refused(void **state)
{
	(void)state;
	assert_insert_refused("duration  = 1h", "threshold = 6 | again\n",
	    "key 'threshold' in [lockout.general] is set twice");
}

static void
test_duplicate_section_key_refused(void **state)
{
	(void)state;
	/* the same key in a second [session] block further down is still a duplicate */
	assert_insert_refused("[audit]\n", "[session]\nlifetime = 1h | again\n",
	    "key 'lifetime' in [session] is set twice");
}

static void
test_bad_int_refused(void **state)
{
	static const char *bad[] = {"ten", "10.5", "-1", "+10", "1e3", "0x10", "10 10", "１０"};
	char repl[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(repl, sizeof(repl), "min_length        = %s ", bad[i]);
		assert_change_refused(MIN_LENGTH_10, repl, "min_length");
	}
	assert_change_refused(MIN_LENGTH_10, "min_length        = ten ", "is not a whole number");
}

static void
test_out_of_range_int_refused(void **state)
{
	(void)state;
	assert_change_refused(MIN_LENGTH_10, "min_length        = 3 ", "outside 4 to 128");
	assert_change_refused(MIN_LENGTH_10, "min_length        = 129 ", "outside 4 to 128");
	assert_change_refused(THRESHOLD_5, "threshold = 0 ", "threshold: 0 is outside 1 to 100");
	assert_change_refused("opslimit     = 3 ", "opslimit     = 21 ", "opslimit");
	assert_change_refused("memlimit_mib = 64 ", "memlimit_mib = 4 ", "memlimit_mib");
	assert_change_refused("min_classes       = 4 ", "min_classes       = 5 ", "outside 0 to 4");
	/* larger than any int64: must not wrap round into range */
	assert_change_refused(MIN_LENGTH_10, "min_length        = 18446744073709551626 ",
	    "min_length");
}

static void
test_bad_duration_refused(void **state)
{
	static const char *bad[] = {"5 min", "5mins", "h", "-1d", "1.5h", "1H", "5m", "100001d",
	    "d1", "1d1h", "unsetx"};
	char repl[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(repl, sizeof(repl), "idle_timeout = %s ", bad[i]);
		assert_change_refused("idle_timeout = 5min ", repl, "idle_timeout");
	}
	assert_change_refused("idle_timeout = 5min ", "idle_timeout = 5 ", "is not a duration");
}

static void
test_bad_bool_refused(void **state)
{
	static const char *bad[] = {"true", "Yes", "1", "y", "on"};
	char repl[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(repl, sizeof(repl), "mfa_privileged     = %s ", bad[i]);
		assert_change_refused("mfa_privileged     = yes ", repl, "must be yes or no");
	}
}

static void
test_unknown_role_refused(void **state)
{
	(void)state;
	assert_change_refused("issuance_approvers = ceo,security_officer ",
	    "issuance_approvers = ceo,president ",
	    "issuance_approvers: 'ceo,president' names an unknown role");
	assert_change_refused("issuance_approvers = ceo,security_officer ",
	    "issuance_approvers = CEO ", "unknown role");
}

static void
test_bad_classes_and_logins_refused(void **state)
{
	(void)state;
	assert_change_refused("required_classes  = upper,lower,digit,symbol ",
	    "required_classes  = upper,LOWER ", "required_classes");
	assert_change_refused("required_classes  = upper,lower,digit,symbol ",
	    "required_classes  = , ", "required_classes");
	assert_change_refused("forbidden_logins   = admin,", "forbidden_logins   = Admin,",
	    "forbidden_logins");
}

static void
test_empty_value_refused(void **state)
{
	(void)state;
	assert_change_refused(MIN_LENGTH_10, "min_length        = ", "has no value");
}

static void
test_missing_key_refused(void **state)
{
	/* a custom profile (not a built-in name) must set every key */
	char *named = profile_with("name  = ipa-sme ", "name  = our-company ");
	char *text = NULL;
	struct policy *p = (struct policy *)1;
	struct mm_err err = {0};
	const char *at = strstr(named, MIN_LENGTH_10);

	(void)state;
	assert_non_null(at);
	text = strdup(named);
	memcpy(text + (at - named), "; min_length removed", strlen("; min_length removed"));
	assert_int_equal(policy_parse(text, strlen(text), NAME, &p, &err), MM_EINVAL);
	assert_null(p);
	assert_string_equal(err.field, "min_length");
	assert_contains(err.msg, NAME);
	assert_contains(err.msg, "missing key 'min_length' in [password.general]");
	free(text);
	free(named);
}

static void
test_missing_key_of_a_builtin_profile_taken_from_it(void **state)
{
	/* a policy.ini written by an older mamori lacks the keys added since: they come from the built-in */
	char *text = profile_with(MIN_LENGTH_10, "; min_length removed ");
	struct policy *p = NULL;
	struct mm_err err = {0};

	(void)state;
	assert_int_equal(policy_parse(text, strlen(text), NAME, &p, &err), 0);
	assert_int_equal(policy_int(p, POLICY_PASSWORD_GENERAL_MIN_LENGTH), 10);
	assert_contains(policy_source(p, POLICY_PASSWORD_GENERAL_MIN_LENGTH), "built-in ipa-sme, not in this file");
	policy_free(p);
	free(text);
}

static void
assert_classes_refused(const char *text)
{
	struct policy *p = (struct policy *)1;
	struct mm_err err = {0};

	assert_int_equal(policy_parse(text, strlen(text), NAME, &p, &err), MM_EINVAL);
	assert_null(p);
	assert_string_equal(err.field, "min_classes");
	assert_contains(err.msg, "min_classes is 4 but required_classes lists only");
}

static void
test_min_classes_above_listed_refused(void **state)
{
	char *text = profile_with("required_classes  = upper,lower,digit,symbol ",
	    "required_classes  = upper,lower ");

	(void)state;
	assert_classes_refused(text);
	free(text);
	text = profile_with("required_classes  = upper,lower,digit,symbol ",
	    "required_classes  = unset ");
	assert_classes_refused(text);
	free(text);
}

static void
test_not_an_ini_line_refused(void **state)
{
	(void)state;
	assert_insert_refused("idle_warning", "just some words\n", "not a valid INI line");
}

static void
test_indented_continuation_refused(void **state)
{
	(void)state;
	/* a value never runs on to an indented line: the second line is an error, not "10 12" */
	assert_insert_refused("min_classes       = 4", "\t12\n", "not a valid INI line");
}

static void
test_first_error_is_the_one_reported(void **state)
{
	char *one = profile_with(THRESHOLD_5, "threshold = 0 ");
	char *two = replaced(one, "[session]\n", "[session]\ncolour = blue\n");

	(void)state;
	/* a second, later mistake must not replace the message of the line that is reported */
	assert_refused_at(two, "threshold = 0", "threshold: 0 is outside 1 to 100");
	free(one);
	free(two);
}

static void
test_invalid_utf8_value_refused(void **state)
{
	(void)state;
	assert_change_refused("title = ", "title = \xff\xfe", "not valid UTF-8");
}

static void
test_nul_byte_refused(void **state)
{
	size_t len;
	const char *base = base_profile(&len);
	char *text = malloc(len);
	struct policy *p;
	struct mm_err err = {0};

	(void)state;
	assert_non_null(text);
	memcpy(text, base, len);
	text[len / 2] = '\0';
	assert_int_equal(policy_parse(text, len, NAME, &p, &err), MM_EINVAL);
	assert_contains(err.msg, "NUL");
	free(text);
}

static void
test_oversize_profile_refused(void **state)
{
	size_t len = 64 * 1024 + 1;
	char *text = malloc(len);
	struct policy *p;
	struct mm_err err = {0};

	(void)state;
	assert_non_null(text);
	memset(text, ';', len); /* one huge comment */
	assert_int_equal(policy_parse(text, len, NAME, &p, &err), MM_ETOOBIG);
	assert_contains(err.msg, NAME);
	free(text);
}

static void
test_text_too_long_refused(void **state)
{
	(void)state;
	assert_change_refused("name  = ipa-sme ",
	    "name  = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ",
	    "name: must be 1 to 64 bytes");
}

static void
test_load_from_file(void **state)
{
	char path[UNIT_PATH_MAX];
	size_t len;
	const char *text = base_profile(&len);
	struct policy *p = NULL;
	struct mm_err err = {0};

	unit_path(path, *state, "policy.ini");
	unit_write_file(path, text, len, 0600);
	assert_int_equal(policy_load(path, &p, &err), 0);
	assert_int_equal(policy_int(p, POLICY_LOCKOUT_GENERAL_THRESHOLD), 5);
	policy_free(p);
	unit_path(path, *state, "absent.ini");
	assert_int_equal(policy_load(path, &p, &err), MM_ENOTFOUND);
	assert_null(p);
}

static void
test_load_names_the_file(void **state)
{
	char path[UNIT_PATH_MAX], want[UNIT_PATH_MAX + 8];
	char *text = profile_with(THRESHOLD_5, "threshold = 500 ");
	struct policy *p = NULL;
	struct mm_err err = {0};

	unit_path(path, *state, "policy.ini");
	unit_write_file(path, text, strlen(text), 0600);
	assert_int_equal(policy_load(path, &p, &err), MM_EINVAL);
	snprintf(want, sizeof(want), "%s:%d: ", path, line_of(text, "threshold = 500"));
	assert_contains(err.msg, want);
	free(text);
}

/* ---- durations and calendar arithmetic ---- */

static void
assert_duration(const char *s, int64_t n, enum policy_unit unit)
{
	struct policy_duration d = {-1, POLICY_SECONDS};

	if (policy_parse_duration(s, &d) != 0)
		fail_msg("refused \"%s\"", s);
	assert_int_equal(d.n, n);
	assert_int_equal(d.unit, unit);
}

static void
test_durations_parse(void **state)
{
	(void)state;
	assert_duration("30s", 30, POLICY_SECONDS);
	assert_duration("5min", 5, POLICY_MINUTES);
	assert_duration("6h", 6, POLICY_HOURS);
	assert_duration("1d", 1, POLICY_DAYS);
	assert_duration("2w", 2, POLICY_WEEKS);
	assert_duration("3mo", 3, POLICY_MONTHS);
	assert_duration("1y", 1, POLICY_YEARS);
	assert_duration("0d", 0, POLICY_DAYS);
	assert_duration("100000d", 100000, POLICY_DAYS);
}

static void
test_durations_refused(void **state)
{
	static const char *bad[] = {"", "d", "5", "5 h", "5H", "5m", "5mon", "1.5h", "-1d", "+1d",
	    " 1d", "1d ", "100001d", "99999999999999999999y", "1d2h"};
	struct policy_duration d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (policy_parse_duration(bad[i], &d) != MM_EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
}

static int64_t
at(const char *iso)
{
	int64_t ms;

	assert_int_equal(mm_time_parse(iso, &ms), 0);
	return ms;
}

static void
assert_add(const char *from, int64_t n, enum policy_unit unit, const char *want)
{
	char got[MM_TIME_STRLEN];

	mm_time_format(policy_add(at(from), (struct policy_duration){n, unit}), got);
	if (strcmp(got, want) != 0)
		fail_msg("%s + %lld (unit %d) = %s, expected %s", from, (long long)n, (int)unit,
		    got, want);
}

static void
test_add_fixed_units(void **state)
{
	(void)state;
	assert_add("2027-04-01T00:00:00.000Z", 30, POLICY_SECONDS, "2027-04-01T00:00:30.000Z");
	assert_add("2027-04-01T23:55:00.000Z", 10, POLICY_MINUTES, "2027-04-02T00:05:00.000Z");
	assert_add("2027-04-01T00:00:00.000Z", 6, POLICY_HOURS, "2027-04-01T06:00:00.000Z");
	assert_add("2024-02-28T12:00:00.000Z", 1, POLICY_DAYS, "2024-02-29T12:00:00.000Z");
	assert_add("2027-12-25T00:00:00.000Z", 2, POLICY_WEEKS, "2028-01-08T00:00:00.000Z");
}

static void
test_add_months_clamps_to_month_end(void **state)
{
	(void)state;
	assert_add("2025-01-31T00:00:00.000Z", 1, POLICY_MONTHS, "2025-02-28T00:00:00.000Z");
	assert_add("2025-03-31T00:00:00.000Z", 1, POLICY_MONTHS, "2025-04-30T00:00:00.000Z");
	assert_add("2025-08-31T00:00:00.000Z", 6, POLICY_MONTHS, "2026-02-28T00:00:00.000Z");
	assert_add("2025-12-31T00:00:00.000Z", 2, POLICY_MONTHS, "2026-02-28T00:00:00.000Z");
	assert_add("2025-01-15T00:00:00.000Z", 1, POLICY_MONTHS, "2025-02-15T00:00:00.000Z");
	assert_add("2025-11-30T00:00:00.000Z", 3, POLICY_MONTHS, "2026-02-28T00:00:00.000Z");
	assert_add("2025-01-31T00:00:00.000Z", 0, POLICY_MONTHS, "2025-01-31T00:00:00.000Z");
	/* the time of day is kept */
	assert_add("2025-01-31T15:30:00.250Z", 1, POLICY_MONTHS, "2025-02-28T15:30:00.250Z");
	assert_add("1969-12-31T12:00:00.000Z", 1, POLICY_MONTHS, "1970-01-31T12:00:00.000Z");
}

static void
test_add_months_in_leap_years(void **state)
{
	(void)state;
	assert_add("2024-01-31T00:00:00.000Z", 1, POLICY_MONTHS, "2024-02-29T00:00:00.000Z");
	assert_add("2000-01-31T00:00:00.000Z", 1, POLICY_MONTHS, "2000-02-29T00:00:00.000Z");
	assert_add("2100-01-31T00:00:00.000Z", 1, POLICY_MONTHS, "2100-02-28T00:00:00.000Z");
	assert_add("2023-12-31T00:00:00.000Z", 2, POLICY_MONTHS, "2024-02-29T00:00:00.000Z");
}

static void
test_add_years(void **state)
{
	(void)state;
	assert_add("2024-02-29T09:00:00.000Z", 1, POLICY_YEARS, "2025-02-28T09:00:00.000Z");
	assert_add("2024-02-29T09:00:00.000Z", 4, POLICY_YEARS, "2028-02-29T09:00:00.000Z");
	assert_add("2096-02-29T00:00:00.000Z", 4, POLICY_YEARS, "2100-02-28T00:00:00.000Z");
	assert_add("2026-04-01T00:00:00.000Z", 5, POLICY_YEARS, "2031-04-01T00:00:00.000Z");
	assert_int_equal(policy_add(at("2025-03-31"), (struct policy_duration){12, POLICY_MONTHS}),
	    policy_add(at("2025-03-31"), (struct policy_duration){1, POLICY_YEARS}));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_builtin_profiles_parse),
	    cmocka_unit_test(test_builtin_unknown_names),
	    cmocka_unit_test(test_values_are_typed),
	    cmocka_unit_test(test_key_metadata),
	    cmocka_unit_test(test_unset_values),
	    cmocka_unit_test(test_unset_list_has_nothing),
	    cmocka_unit_test(test_text_may_not_be_unset),
	    cmocka_unit_test(test_unknown_key_refused),
	    cmocka_unit_test(test_long_line_refused_by_number),
	    cmocka_unit_test(test_unknown_section_refused),
	    cmocka_unit_test(test_key_outside_any_section_refused),
	    cmocka_unit_test(test_duplicate_key_refused),
	    cmocka_unit_test(test_duplicate_section_key_refused),
	    cmocka_unit_test(test_bad_int_refused),
	    cmocka_unit_test(test_out_of_range_int_refused),
	    cmocka_unit_test(test_bad_duration_refused),
	    cmocka_unit_test(test_bad_bool_refused),
	    cmocka_unit_test(test_unknown_role_refused),
	    cmocka_unit_test(test_bad_classes_and_logins_refused),
	    cmocka_unit_test(test_empty_value_refused),
	    cmocka_unit_test(test_missing_key_refused),
	    cmocka_unit_test(test_missing_key_of_a_builtin_profile_taken_from_it),
	    cmocka_unit_test(test_min_classes_above_listed_refused),
	    cmocka_unit_test(test_not_an_ini_line_refused),
	    cmocka_unit_test(test_indented_continuation_refused),
	    cmocka_unit_test(test_first_error_is_the_one_reported),
	    cmocka_unit_test(test_invalid_utf8_value_refused),
	    cmocka_unit_test(test_nul_byte_refused),
	    cmocka_unit_test(test_oversize_profile_refused),
	    cmocka_unit_test(test_text_too_long_refused),
	    unit_dir_test(test_load_from_file),
	    unit_dir_test(test_load_names_the_file),
	    cmocka_unit_test(test_durations_parse),
	    cmocka_unit_test(test_durations_refused),
	    cmocka_unit_test(test_add_fixed_units),
	    cmocka_unit_test(test_add_months_clamps_to_month_end),
	    cmocka_unit_test(test_add_months_in_leap_years),
	    cmocka_unit_test(test_add_years),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
