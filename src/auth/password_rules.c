/*
 * Password rules of the profile in force (seed 004 ch5 §9.3, 002 第12条, 001 システム管理規程
 * §4.1.5): length in characters, kinds of characters, nothing taken from the person, no simple
 * dictionary word. The dictionary is cracklib's (Debian: cracklib-runtime builds it from
 * /usr/share/dict into /var/cache/cracklib/cracklib_dict.*).
 *
 * The password passes through two scratch buffers here (its digits, its letters); both are wiped
 * before password_rules_check returns. Nothing is logged about a password.
 */
#include "auth/password_rules.h"
#include "base/log.h"
#include "base/str.h"
#include "crypto/crypto.h"
#include "policy/policy.h"

#include <stddef.h> /* before crack.h, which uses size_t without including it */

#include <crack.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define ALL_CLASSES (POLICY_UPPER | POLICY_LOWER | POLICY_LETTER | POLICY_DIGIT | POLICY_SYMBOL)

/* Longer passwords are not checked at all (callers already refuse more than 256 bytes). */
#define PW_MAX_BYTES 1024

/* Shortest ASCII piece of personal data that counts: shorter ones refuse too many passwords. */
#define PERSONAL_MIN_ASCII 3
/* Shortest name part in kanji or kana (characters): 山田, 太郎 are two. */
#define PERSONAL_MIN_WIDE 2
/* Letters looked up as one whole word: at least this many, and no more than the longest word. */
#define WORD_MIN_LETTERS 4
#define WORD_MAX_LETTERS 60

/*
 * Appended to the letters of a password before cracklib sees them. cracklib refuses to look up
 * anything shorter than 6 characters and tries the input with up to three characters cut from
 * either end; three digits that none of its rewriting rules turn into letters (it rewrites 0-5 as
 * o, i/l, a, e, a/h, s) make "cut three from the end" give back exactly our letters, and every
 * other cut keep a digit, so no dictionary entry can match it. The effect: the letters are looked
 * up as one whole word (or that word reversed), never a fragment of it.
 */
#define WORD_PAD "968"

/*
 * Given to cracklib as the user name when it must not compare with one: a control character, which
 * neither a checked password (refused before) nor any of cracklib's rewritings can contain.
 */
#define NO_USER "\x01"

/*
 * cracklib keeps its state in static buffers and is not thread-safe: every call goes through this
 * lock (the HTTP server checks passwords from several threads).
 */
static pthread_mutex_t crack_lock = PTHREAD_MUTEX_INITIALIZER;

/* What cracklib said about a candidate. */
enum crack_verdict {
	CRACK_OK,
	CRACK_SHORT,    /* "too short": the length rule's business, not the dictionary's */
	CRACK_REPEAT,   /* "not enough DIFFERENT characters", "all whitespace" */
	CRACK_SIMPLE,   /* "too simplistic/systematic": abcdefgh, 12345678, asdfghjkl */
	CRACK_PERSONAL, /* "based on your username", "... your password entry" (the name) */
	CRACK_WORD,     /* "based on a (reversed) dictionary word" */
	CRACK_OTHER,    /* anything else cracklib may add (a UK insurance number pattern today) */
	CRACK_ERROR,    /* the dictionary could not be read */
};

static enum crack_verdict
crack_classify(const char *msg)
{
	if (msg == NULL)
		return CRACK_OK;
	if (strstr(msg, "dictionary word"))
		return CRACK_WORD;
	if (strstr(msg, "simplistic"))
		return CRACK_SIMPLE;
	if (strstr(msg, "DIFFERENT") || strstr(msg, "whitespace"))
		return CRACK_REPEAT;
	if (strstr(msg, "username") || strstr(msg, "password entry"))
		return CRACK_PERSONAL;
	if (strstr(msg, "short"))
		return CRACK_SHORT;
	if (strstr(msg, "error") || strstr(msg, "registered"))
		return CRACK_ERROR;
	return CRACK_OTHER;
}

/*
 * Asks cracklib about pw, comparing with user and gecos (the name) as cracklib does with the
 * passwd entry. We pass them ourselves: FascistCheck would compare with the account the server
 * runs as, and fail outright when that uid has no passwd entry (as in containers).
 *
 * cracklib's messages go through gettext; they are classified by their English text, so the call
 * runs in the C locale whatever the process locale is.
 */
static enum crack_verdict
crack_ask(const char *pw, const char *user, const char *gecos)
{
	enum crack_verdict v;
	locale_t c, old;

	if ((c = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		return CRACK_ERROR;
	pthread_mutex_lock(&crack_lock);
	old = uselocale(c);
	v = crack_classify(FascistCheckUser(pw, GetDefaultCracklibDict(), user, gecos));
	uselocale(old);
	pthread_mutex_unlock(&crack_lock);
	freelocale(c);
	if (v == CRACK_ERROR)
		mm_log_error("password rules: cannot read the cracklib dictionary %s; every "
		    "password breaks the dictionary rule until it is there (apt install "
		    "cracklib-runtime)", GetDefaultCracklibDict());
	return v;
}

/* The verdicts that break the dictionary rule (002: 単純な文字列; 004: 辞書に含まれる単純な語). */
static int
crack_breaks_dictionary(enum crack_verdict v)
{
	/*
	 * A repetition counts: cracklib says "not enough DIFFERENT characters" only for passwords
	 * of 6 or more bytes built from fewer than 5 distinct characters (aaaaaaaaaaaa,
	 * Ab1!Ab1!Ab1!), which is a simple string whatever its length. "Too short" does not: the
	 * length rule says it better. A dictionary we cannot read fails closed: the rule is then
	 * never met, and the log says why.
	 */
	return v == CRACK_WORD || v == CRACK_SIMPLE || v == CRACK_REPEAT || v == CRACK_ERROR;
}

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_letter(int c)
{
	c = fold(c);
	return c >= 'a' && c <= 'z';
}

/* 1 when hay contains the first len bytes of needle, ignoring ASCII case. */
static int
contains_fold(const char *hay, const char *needle, size_t len)
{
	size_t hlen = strlen(hay);

	if (len == 0 || len > hlen)
		return 0;
	for (size_t i = 0; i + len <= hlen; i++) {
		size_t j = 0;

		while (j < len && fold((unsigned char)hay[i + j]) == fold((unsigned char)needle[j]))
			j++;
		if (j == len)
			return 1;
	}
	return 0;
}

/* 1 when the piece (len bytes) is long enough to count and the password contains it. */
static int
contains_piece(const char *pw, const char *piece, size_t len)
{
	size_t chars = 0;
	int ascii = 1;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)piece[i];

		if (c >= 0x80)
			ascii = 0;
		if ((c & 0xc0) != 0x80)
			chars++;
	}
	if (chars < (ascii ? PERSONAL_MIN_ASCII : PERSONAL_MIN_WIDE))
		return 0;
	return contains_fold(pw, piece, len);
}

/* Length of the separator between words of a name that starts at s, or 0. */
static size_t
name_separator(const char *s)
{
	static const char *const wide[] = {"\xe3\x80\x80" /* U+3000 全角空白 */,
	    "\xe3\x83\xbb" /* U+30FB ・ */, "\xef\xbc\x8e" /* U+FF0E ． */};

	if (*s != '\0' && strchr(" \t.,-_+'", *s))
		return 1;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (strncmp(s, wide[i], 3) == 0)
			return 3;
	return 0;
}

/*
 * 1 when the password contains the whole of text or one of its words (split at spaces, dots and
 * the like, in ASCII or full width). Serves names, kana and e-mail local parts alike.
 */
static int
contains_words(const char *pw, const char *text, size_t len)
{
	size_t start = 0, i = 0, sep;

	if (contains_piece(pw, text, len))
		return 1;
	while (i <= len) {
		sep = i < len ? name_separator(text + i) : 1;
		if (sep == 0) {
			i++;
			continue;
		}
		if (i > start && contains_piece(pw, text + start, i - start))
			return 1;
		i += sep;
		start = i;
	}
	return 0;
}

/* Writes the ASCII digits of s into out (size n), in order; returns how many. */
static size_t
digits_of(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; *s && k + 1 < n; s++)
		if (is_digit((unsigned char)*s))
			out[k++] = *s;
	out[k] = '\0';
	return k;
}

/*
 * Phone number: all its digits (as written, and with +81 turned into the national 0), found in
 * the password's digits once separators are dropped (090-1234-5678 written with or without
 * hyphens); and its last four digits, which must stand together in the password itself: four
 * digits gathered from all over a long password would match by chance too often.
 */
static int
phone_found(const char *pw, const char *pw_digits, const char *phone)
{
	char d[32], national[32];
	size_t n = digits_of(phone, d, sizeof(d));
	const char *p = phone;

	if (n < 4)
		return 0;
	if (strstr(pw_digits, d) || strstr(pw, d + n - 4))
		return 1;
	while (*p == ' ')
		p++;
	if (p[0] == '+' && strncmp(d, "81", 2) == 0 && n > 2) {
		snprintf(national, sizeof(national), "0%s", d + 2);
		if (strstr(pw_digits, national))
			return 1;
	}
	return 0;
}

/*
 * Birthday (stored as YYYY-MM-DD): YYYYMMDD and YYMMDD (also 1990/4/1 without zeros) found in the
 * password's digits once separators are dropped, so 1990-04-01 and 90.04.01 count too; MMDD only
 * where it stands together (0401, or 04-01, 04/01, 04.01), since four digits gathered from a
 * long password would match by chance.
 */
static int
birthday_found(const char *pw, const char *pw_digits, const char *birthday)
{
	char ymd[16], yymmdd[8], loose[16], mmdd[8], sep[8];
	int y, m, d;

	if (strlen(birthday) != 10 || sscanf(birthday, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    y < 1000 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	snprintf(ymd, sizeof(ymd), "%04d%02d%02d", y, m, d);
	snprintf(yymmdd, sizeof(yymmdd), "%02d%02d%02d", y % 100, m, d);
	snprintf(loose, sizeof(loose), "%04d%d%d", y, m, d);
	snprintf(mmdd, sizeof(mmdd), "%02d%02d", m, d);
	if (strstr(pw_digits, ymd) || strstr(pw_digits, yymmdd) || strstr(pw_digits, loose) ||
	    strstr(pw, mmdd))
		return 1;
	for (const char *s = "-/."; *s; s++) {
		snprintf(sep, sizeof(sep), "%02d%c%02d", m, *s, d);
		if (strstr(pw, sep))
			return 1;
	}
	return 0;
}

/* 1 when the password holds something taken from the person (004: 名前、電話番号、誕生日等). */
static int
personal_found(const struct pw_subject *who, const char *pw, const char *pw_digits)
{
	if (who->login && contains_piece(pw, who->login, strlen(who->login)))
		return 1;
	if (who->employee_no && contains_piece(pw, who->employee_no, strlen(who->employee_no)))
		return 1;
	if (who->email) {
		const char *at = strchr(who->email, '@');
		size_t local = at ? (size_t)(at - who->email) : strlen(who->email);

		if (contains_words(pw, who->email, local))
			return 1;
	}
	if (who->name && contains_words(pw, who->name, strlen(who->name)))
		return 1;
	if (who->name_kana && contains_words(pw, who->name_kana, strlen(who->name_kana)))
		return 1;
	if (who->phone && phone_found(pw, pw_digits, who->phone))
		return 1;
	if (who->birthday && birthday_found(pw, pw_digits, who->birthday))
		return 1;
	return 0;
}

/*
 * Writes into out (size n, >= strlen(pw) + sizeof(WORD_PAD)) the letters of the password between
 * its first and last letter, lower-cased, with the usual look-alikes read as letters (P@ssw0rd is
 * password) and other digits and symbols dropped: Sunflower#2024 gives sunflower. Returns the
 * number of letters.
 */
static size_t
letters_of(const char *pw, char *out, size_t n)
{
	static const char leet_from[] = "@$013457", leet_to[] = "asoieast";
	const char *first = NULL, *last = NULL, *p;
	size_t k = 0;

	for (p = pw; *p; p++) {
		if (is_letter((unsigned char)*p) || *p == '@' || *p == '$') {
			if (first == NULL)
				first = p;
			last = p;
		}
	}
	for (p = first; p && p <= last && k + 1 < n; p++) {
		const char *l = strchr(leet_from, *p);

		if (is_letter((unsigned char)*p))
			out[k++] = (char)fold((unsigned char)*p);
		else if (l != NULL)
			out[k++] = leet_to[l - leet_from];
	}
	out[k] = '\0';
	return k;
}

/*
 * The dictionary rule. First cracklib on the password as typed (dictionary words with their
 * usual rewritings, keyboard runs, repetitions); then, because cracklib only cuts up to three
 * characters from the ends and so accepts Sunflower#2024, on the password's letters as a whole
 * word. cracklib's complaint that the password is derived from the login or name is reported
 * through *personal (the personal rule), and the dictionary is then asked again without them.
 */
static int
dictionary_broken(const struct pw_subject *who, const char *pw, char *scratch, size_t n,
    int *personal)
{
	enum crack_verdict v;
	const char *user = who->login && *who->login ? who->login : NO_USER;
	size_t letters;

	*personal = 0;
	v = crack_ask(pw, user, who->name);
	if (v == CRACK_PERSONAL) {
		*personal = 1;
		v = crack_ask(pw, NO_USER, NULL);
	}
	if (crack_breaks_dictionary(v))
		return 1;
	letters = letters_of(pw, scratch, n - sizeof(WORD_PAD));
	if (letters < WORD_MIN_LETTERS || letters > WORD_MAX_LETTERS)
		return 0;
	strcat(scratch, WORD_PAD);
	v = crack_ask(scratch, NO_USER, NULL);
	return v == CRACK_WORD || v == CRACK_ERROR;
}

/* The kinds of characters pw contains, as POLICY_* bits. */
static int
classes_of(const char *pw)
{
	int have = 0;

	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			have |= POLICY_UPPER | POLICY_LETTER;
		else if (*p >= 'a' && *p <= 'z')
			have |= POLICY_LOWER | POLICY_LETTER;
		else if (is_digit(*p))
			have |= POLICY_DIGIT;
		else if (*p >= 0x20)
			have |= POLICY_SYMBOL; /* ASCII punctuation or space, and all non-ASCII */
	}
	return have;
}

static int
bits(int v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* Whether the profile asks for rule r at all (a rule it does not ask for is met). */
static int
rule_asked(const struct pw_rules *rules, enum pw_rule r)
{
	switch (r) {
	case PW_MIN_LENGTH:
		return rules->min_length > 0;
	case PW_CLASSES:
		return rules->min_classes > 0 && (rules->classes & ALL_CLASSES) != 0;
	case PW_PERSONAL:
		return rules->forbid_personal != 0;
	case PW_DICTIONARY:
		return rules->forbid_dictionary != 0;
	default:
		return 0;
	}
}

/*
 * Fills res and returns the number of rules broken. A password that is not UTF-8 text (or holds
 * control characters, or is longer than PW_MAX_BYTES) is not checked: every asked rule counts as
 * broken, so it can never be accepted. Without rules or res there is nothing to report, and the
 * answer is "all broken" rather than "acceptable".
 */
int
password_rules_check(const struct pw_rules *rules, const struct pw_subject *who,
    const char *password, struct pw_result *res)
{
	static const struct pw_subject nobody;
	char digits[PW_MAX_BYTES + 1], scratch[PW_MAX_BYTES + sizeof(WORD_PAD)];
	size_t len;
	long chars;
	int broken = 0, from_crack = 0;

	if (rules == NULL || res == NULL)
		return PW_RULE_COUNT;
	if (who == NULL)
		who = &nobody;
	for (int i = 0; i < PW_RULE_COUNT; i++) {
		res->asked[i] = rule_asked(rules, (enum pw_rule)i);
		res->met[i] = 1;
	}

	len = password ? strlen(password) : 0;
	if (password == NULL || len > PW_MAX_BYTES ||
	    (chars = mm_utf8_check(password, len, 0)) < 0) {
		for (int i = 0; i < PW_RULE_COUNT; i++)
			if (res->asked[i]) {
				res->met[i] = 0;
				broken++;
			}
		return broken;
	}

	if (res->asked[PW_MIN_LENGTH])
		res->met[PW_MIN_LENGTH] = chars >= rules->min_length;
	if (res->asked[PW_CLASSES])
		res->met[PW_CLASSES] =
		    bits(classes_of(password) & rules->classes) >= rules->min_classes;
	if (res->asked[PW_DICTIONARY])
		res->met[PW_DICTIONARY] =
		    !dictionary_broken(who, password, scratch, sizeof(scratch), &from_crack);
	if (res->asked[PW_PERSONAL]) {
		digits_of(password, digits, sizeof(digits));
		res->met[PW_PERSONAL] = !from_crack && !personal_found(who, password, digits);
	}
	for (int i = 0; i < PW_RULE_COUNT; i++)
		broken += !res->met[i];
	mm_wipe(digits, sizeof(digits));
	mm_wipe(scratch, sizeof(scratch));
	return broken;
}

/* The id is part of the API (the `rule` of a problem detail); never rename one. */
const char *
password_rule_id(enum pw_rule r)
{
	switch (r) {
	case PW_MIN_LENGTH:
		return "min_length";
	case PW_CLASSES:
		return "classes";
	case PW_PERSONAL:
		return "personal";
	case PW_DICTIONARY:
		return "dictionary";
	default:
		return "unknown";
	}
}

/* The kinds of characters in profile order, as the rule text names them. */
static const struct {
	int bit;
	const char *ja, *en;
} class_names[] = {
	{POLICY_UPPER, "大文字", "upper-case letters"},
	{POLICY_LOWER, "小文字", "lower-case letters"},
	{POLICY_LETTER, "英字", "letters"},
	{POLICY_DIGIT, "数字", "digits"},
	{POLICY_SYMBOL, "記号", "symbols"},
};

/* "大文字・小文字・数字" or "upper-case letters, lower-case letters and digits". */
static void
class_list(int classes, int ja, int conj, char *out, size_t n)
{
	int total = bits(classes & ALL_CLASSES), k = 0;
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++) {
		const char *sep = "";

		if (!(classes & class_names[i].bit))
			continue;
		if (k > 0)
			sep = ja ? "・" : (k == total - 1 ? (conj ? " and " : " or ") : ", ");
		k++;
		if (used < n)
			used += (size_t)snprintf(out + used, n - used, "%s%s", sep,
			    ja ? class_names[i].ja : class_names[i].en);
	}
}

/* Drops a character that snprintf cut in the middle, so that a short buffer still holds UTF-8. */
static void
utf8_trim_cut(char *s)
{
	size_t len = strlen(s), lead = len, need;
	unsigned char c;

	while (lead > 0 && ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return;
	c = (unsigned char)s[--lead];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (len - lead < need)
		s[lead] = '\0';
}

/* The text of a rule that needs no numbers: [rule][asked][ja]; NULL where it is composed. */
static const char *const fixed_texts[PW_RULE_COUNT][2][2] = {
	[PW_MIN_LENGTH] = {{"No minimum length", "文字数の下限なし"}, {NULL, NULL}},
	[PW_CLASSES] = {{"Any kinds of characters", "文字の種類の指定なし"}, {NULL, NULL}},
	[PW_PERSONAL] = {{"Personal details not checked", "個人情報の確認なし"},
	    {"No name, login, employee number, phone number, birthday or the like",
	    "名前・社員番号・電話番号・誕生日などを含まない"}},
	[PW_DICTIONARY] = {{"Dictionary words not checked", "辞書の語の確認なし"},
	    {"Not a simple dictionary word", "辞書にある単純な語を使わない"}},
};

/* "大文字・小文字・数字・記号をすべて含む", "英字・数字・記号のうち2種類以上" and the English. */
static void
classes_text(const struct pw_rules *rules, int ja, char *out, size_t n)
{
	char list[160];
	int listed = bits(rules->classes & ALL_CLASSES);

	if (rules->min_classes >= listed) {
		class_list(rules->classes, ja, 1, list, sizeof(list));
		if (ja)
			snprintf(out, n, listed == 1 ? "%sを含む" : "%sをすべて含む", list);
		else
			snprintf(out, n, "Contains %s", list);
	} else {
		class_list(rules->classes, ja, 0, list, sizeof(list));
		if (ja)
			snprintf(out, n, "%sのうち%d種類以上", list, rules->min_classes);
		else
			snprintf(out, n, "At least %d of %s", rules->min_classes, list);
	}
}

/*
 * Writes the rule as the person choosing a password reads it. A rule the profile does not ask
 * for says so, since some callers list every rule.
 */
void
password_rule_text(enum pw_rule r, const struct pw_rules *rules, int ja, char *out, size_t n)
{
	int asked;

	if (out == NULL || n == 0)
		return;
	out[0] = '\0';
	if (rules == NULL || (unsigned)r >= PW_RULE_COUNT)
		return;
	asked = rule_asked(rules, r);
	ja = ja != 0;
	if (fixed_texts[r][asked][ja] != NULL)
		snprintf(out, n, "%s", fixed_texts[r][asked][ja]);
	else if (r == PW_MIN_LENGTH)
		snprintf(out, n, ja ? "%d文字以上" : "At least %d characters", rules->min_length);
	else
		classes_text(rules, ja, out, n);
	utf8_trim_cut(out);
}
