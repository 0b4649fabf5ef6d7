/*
 * Policy profiles: INI files (profiles/NAME.ini) holding every number the regulations set, each with
 * the regulation it comes from:   key = value | source
 * A profile with an unknown or missing key, or a bad value, is refused naming file, line and rule.
 */
#ifndef MM_POLICY_H
#define MM_POLICY_H

#include "base/err.h"
#include "policy/keys.h"

#include <stddef.h>
#include <stdint.h>

enum policy_unit { POLICY_SECONDS, POLICY_MINUTES, POLICY_HOURS, POLICY_DAYS, POLICY_WEEKS,
	POLICY_MONTHS, POLICY_YEARS };

struct policy_duration {
	int64_t n;
	enum policy_unit unit;
};

/* Character classes for passwords, as bits. */
/* letter: a letter of either case (002 第12条 counts 英字 as one class) */
enum { POLICY_UPPER = 1, POLICY_LOWER = 2, POLICY_DIGIT = 4, POLICY_SYMBOL = 8, POLICY_LETTER = 16 };

struct policy;

/* Parses a profile from text; name is used in messages (a file name). */
int policy_parse(const char *text, size_t len, const char *name, struct policy **out,
    struct mm_err *err);
/* Reads and parses a profile file (at most 64 KiB). */
int policy_load(const char *path, struct policy **out, struct mm_err *err);
void policy_free(struct policy *p);

/* The text of a profile shipped inside the binary ("ipa-sme"), or NULL. */
const char *policy_builtin(const char *name, size_t *len);
/* Names of the shipped profiles, comma-separated. */
const char *policy_builtin_names(void);

/* 1 when the key is `unset` in this profile (the regulation leaves it blank). */
int policy_is_unset(const struct policy *p, enum policy_key k);
/* Typed values (a CLOCK as minutes after midnight); an unset key gives 0 / an empty list. */
int64_t policy_int(const struct policy *p, enum policy_key k);
struct policy_duration policy_duration(const struct policy *p, enum policy_key k);
/* The duration in milliseconds (months as 30 days and years as 365 days; for timeouts). */
int64_t policy_ms(const struct policy *p, enum policy_key k);
const char *policy_text(const struct policy *p, enum policy_key k);
/* The regulation a value comes from, as written in the profile. */
const char *policy_source(const struct policy *p, enum policy_key k);
/* 1 when role (or login, for LOGINS) appears in a list value. */
int policy_list_has(const struct policy *p, enum policy_key k, const char *item);

/* Adds a duration to a time, calendar-aware: 1mo after 01-31 is the end of February. */
int64_t policy_add(int64_t ms, struct policy_duration d);

/* Key metadata, for policy show. */
const char *policy_key_section(enum policy_key k);
const char *policy_key_name(enum policy_key k);
const char *policy_key_meaning(enum policy_key k);
/* The value as written in the profile ("12", "6h", "unset"). */
const char *policy_value_text(const struct policy *p, enum policy_key k);

/* Parses a duration like 5min, 6h, 1d, 2w, 3mo, 1y. 0 or MM_EINVAL. */
int policy_parse_duration(const char *s, struct policy_duration *d);
/* A duration as a person reads it: "1年間" / "1 year", "6時間" / "6 hours". */
void policy_duration_text(struct policy_duration d, int ja, char *out, size_t n);

#endif
