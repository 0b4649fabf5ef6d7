/*
 * Unit tests of src/auth/password_rules.c and src/auth/totp.c: every password rule broken and met
 * under the three shipped profiles' settings, the personal-information variants, cracklib's
 * verdicts as we use them, the rule texts; TOTP against RFC 6238 and oathtool, drift, replay,
 * enrolment URI and QR code.
 */
#include "unit.h"

#include "auth/password_rules.h"
#include "auth/totp.h"
#include "base/err.h"
#include "policy/policy.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <qrencode.h>

/* ---- the shipped profiles' settings (profiles/NAME.ini, [password.general]) ---- */

/* ipa-sme: 004 ch5 §9.3, upper, lower, digit and symbol, all four. */
static const struct pw_rules ipa_sme = {10, POLICY_UPPER | POLICY_LOWER | POLICY_DIGIT |
    POLICY_SYMBOL, 4, 1, 1};
/* iso-regulations: 001 §4.1.5, upper, lower and symbol, all three. */
static const struct pw_rules iso_regulations = {8, POLICY_UPPER | POLICY_LOWER | POLICY_SYMBOL, 3,
    1, 1};
/* standard-2016: 002 第12条, two of letters, digits and symbols. */
static const struct pw_rules standard_2016 = {8, POLICY_LETTER | POLICY_DIGIT | POLICY_SYMBOL, 2,
    1, 1};

/* A password that breaks no rule of any profile. */
#define STRONG "Kq7!mZp2#Rt9"

/* A person with every field filled in. */
static const struct pw_subject tanaka = {
	.login = "tanaka",
	.employee_no = "E1042",
	.name = "田中 一郎",
	.name_kana = "タナカ イチロウ",
	.phone = "090-1234-5678",
	.birthday = "1990-04-01",
	.email = "ichiro.tanaka@example.co.jp",
};

/* Checks pw and returns whether rule r is met (asserting the count matches the result). */
static int
met(const struct pw_rules *rules, const struct pw_subject *who, const char *pw, enum pw_rule r)
{
	struct pw_result res;
	int broken = password_rules_check(rules, who, pw, &res), count = 0;

	for (int i = 0; i < PW_RULE_COUNT; i++)
		count += !res.met[i];
	assert_int_equal(broken, count);
	return res.met[r];
}

/* Only the one rule asked for. */
static struct pw_rules
only(enum pw_rule r)
{
	struct pw_rules rules = {0};

	switch (r) {
	case PW_MIN_LENGTH:
		rules.min_length = 10;
		break;
	case PW_CLASSES:
		rules = ipa_sme;
		rules.min_length = 0;
		rules.forbid_personal = rules.forbid_dictionary = 0;
		break;
	case PW_PERSONAL:
		rules.forbid_personal = 1;
		break;
	default:
		rules.forbid_dictionary = 1;
		break;
	}
	return rules;
}

static int
personal_ok(const char *pw)
{
	struct pw_rules r = only(PW_PERSONAL);

	return met(&r, &tanaka, pw, PW_PERSONAL);
}

static int
dictionary_ok(const char *pw)
{
	struct pw_rules r = only(PW_DICTIONARY);

	return met(&r, NULL, pw, PW_DICTIONARY);
}

/* ---- length ---- */

static void
test_length_counts_characters_not_bytes(void **state)
{
	struct pw_rules r = only(PW_MIN_LENGTH);

	(void)state;
	assert_false(met(&r, NULL, "Ab1!Ab1!x", PW_MIN_LENGTH));          /* 9 */
	assert_true(met(&r, NULL, "Ab1!Ab1!xy", PW_MIN_LENGTH));          /* 10 */
	assert_false(met(&r, NULL, "やまかわさくら1!", PW_MIN_LENGTH)); /* 9 characters, 23 bytes */
	assert_true(met(&r, NULL, "やまかわさくら1!x", PW_MIN_LENGTH));
	assert_true(met(&r, NULL, "😀😀😀😀😀😀😀😀😀😀", PW_MIN_LENGTH)); /* 4-byte characters */
	assert_false(met(&r, NULL, "", PW_MIN_LENGTH));
}

static void
test_rule_not_asked_is_met(void **state)
{
	struct pw_rules none = {0};
	struct pw_result res;

	(void)state;
	assert_int_equal(password_rules_check(&none, NULL, "a", &res), 0);
	for (int i = 0; i < PW_RULE_COUNT; i++) {
		assert_int_equal(res.asked[i], 0);
		assert_int_equal(res.met[i], 1);
	}
}

static void
test_not_text_breaks_every_asked_rule(void **state)
{
	struct pw_result res;
	char huge[2000];

	(void)state;
	assert_int_equal(password_rules_check(&ipa_sme, &tanaka, STRONG "\xff", &res), 4);
	assert_int_equal(password_rules_check(&ipa_sme, &tanaka, "Kq7!mZp2\n#Rt9", &res), 4);
	assert_int_equal(password_rules_check(&ipa_sme, &tanaka, NULL, &res), 4);
	memset(huge, 'x', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	assert_int_equal(password_rules_check(&ipa_sme, &tanaka, huge, &res), 4);
	assert_int_equal(res.met[PW_MIN_LENGTH], 0);
}

/* ---- kinds of characters ---- */

static void
test_classes_ipa_sme(void **state)
{
	const struct pw_rules *r = &ipa_sme;

	(void)state;
	assert_true(met(r, NULL, STRONG, PW_CLASSES));
	assert_false(met(r, NULL, "kq7!mzp2#rt9", PW_CLASSES)); /* no upper */
	assert_false(met(r, NULL, "KQ7!MZP2#RT9", PW_CLASSES)); /* no lower */
	assert_false(met(r, NULL, "Kq!!mZp##Rtx", PW_CLASSES)); /* no digit */
	assert_false(met(r, NULL, "Kq7xmZp2yRt9", PW_CLASSES)); /* no symbol */
	assert_true(met(r, NULL, "Kq7 mZp2 Rt9", PW_CLASSES));  /* a space is a symbol */
	assert_true(met(r, NULL, "Kq7・mZp2Rt9", PW_CLASSES));  /* so is anything not ASCII */
	assert_true(met(r, NULL, "Kq7漢mZp2Rt9", PW_CLASSES));
}

static void
test_classes_iso_regulations(void **state)
{
	const struct pw_rules *r = &iso_regulations;

	(void)state;
	assert_true(met(r, NULL, "Kq!mZp#Rt", PW_CLASSES));
	assert_true(met(r, NULL, STRONG, PW_CLASSES));
	assert_false(met(r, NULL, "Kq7mZp2Rt9", PW_CLASSES)); /* a digit is not one of the three */
	assert_false(met(r, NULL, "kq!mzp#rt", PW_CLASSES));
	assert_false(met(r, NULL, "KQ!MZP#RT", PW_CLASSES));
}

static void
test_classes_standard_2016(void **state)
{
	const struct pw_rules *r = &standard_2016;

	(void)state;
	assert_true(met(r, NULL, "kqmzprtx79", PW_CLASSES));  /* letters and digits */
	assert_true(met(r, NULL, "KQMZPRTX!#", PW_CLASSES));  /* letters and symbols */
	assert_true(met(r, NULL, "4729183!#%", PW_CLASSES));  /* digits and symbols */
	assert_false(met(r, NULL, "kqmzprtxwv", PW_CLASSES));
	assert_false(met(r, NULL, "KqMzPrTxWv", PW_CLASSES)); /* both cases are one: letters */
	assert_false(met(r, NULL, "4729183056", PW_CLASSES));
	assert_false(met(r, NULL, "!#%&!#%&!#", PW_CLASSES));
}

/* ---- personal information ---- */

static void
test_personal_login_and_employee_number(void **state)
{
	struct pw_subject short_no = tanaka;

	(void)state;
	assert_true(personal_ok(STRONG));
	assert_false(personal_ok("xtanaka#77Q"));
	assert_false(personal_ok("Tanaka#7715"));
	assert_false(personal_ok("TANAKA!7z7z")); /* case does not matter */
	assert_false(personal_ok("Qz#E1042abc"));
	assert_false(personal_ok("Qz#e1042abc"));
	short_no.employee_no = "42"; /* too short to count */
	{
		struct pw_rules r = only(PW_PERSONAL);

		assert_true(met(&r, &short_no, "Qz#x42abcW", PW_PERSONAL));
	}
}

static void
test_personal_email_and_name(void **state)
{
	struct pw_subject romaji = tanaka;
	struct pw_rules r = only(PW_PERSONAL);

	(void)state;
	assert_false(personal_ok("ichiro.tanaka!9Q")); /* the whole local part */
	assert_false(personal_ok("Qz9!Ichiro#"));      /* one of its words */
	assert_false(personal_ok("田中#Qz9!kw"));      /* 氏名: the family name */
	assert_false(personal_ok("Qz9!一郎kw"));
	assert_false(personal_ok("タナカqz9!W#"));     /* フリガナ */
	assert_true(personal_ok("Qz9!中一w#K"));       /* one kanji of each is not the name */

	romaji.login = "it001";
	romaji.email = NULL;
	romaji.name = "Ichiro Tanaka";
	assert_false(met(&r, &romaji, "Qz9!ichiro#W", PW_PERSONAL));
	assert_false(met(&r, &romaji, "Qz9!TANAKA#W", PW_PERSONAL));
	romaji.name = "Al Ng";
	assert_true(met(&r, &romaji, "Qz9!AlNg#Wk", PW_PERSONAL)); /* parts under 3 letters */
}

static void
test_personal_phone(void **state)
{
	struct pw_subject intl = tanaka;
	struct pw_rules r = only(PW_PERSONAL);

	(void)state;
	assert_false(personal_ok("Qz!090-1234-56#78")); /* all its digits, wherever they stand */
	assert_false(personal_ok("Qz!090-1234-5678"));  /* as written */
	assert_false(personal_ok("090.1234.5678Qz!"));
	assert_false(personal_ok("Qz!5678#Wkpx"));      /* last four */
	assert_true(personal_ok("Q5z6!7x8#Wkpy"));      /* the last four, but scattered */
	intl.phone = "+81 90-1234-5678";
	assert_false(met(&r, &intl, "Qz!090-1234-56#78", PW_PERSONAL)); /* national form of +81 */
	assert_false(met(&r, &intl, "Qz!81-90-1234-56#78", PW_PERSONAL));
	assert_true(met(&r, &intl, "Qz!90-1234-56#78", PW_PERSONAL));
	intl.phone = "110"; /* under 4 digits: ignored */
	assert_true(met(&r, &intl, "Qz!110#Wkpx", PW_PERSONAL));
}

static void
test_personal_birthday(void **state)
{
	(void)state;
	assert_false(personal_ok("Qz!19900401#"));   /* YYYYMMDD */
	assert_false(personal_ok("Qz!1990-04-01#")); /* with separators */
	assert_false(personal_ok("Qz!1990/04/01#"));
	assert_false(personal_ok("Qz!1990/4/1#w"));  /* without zeros */
	assert_false(personal_ok("Qz!900401#wk"));   /* YYMMDD */
	assert_false(personal_ok("Qz!90.04.01#w"));
	assert_false(personal_ok("Qz!0401#wkpx"));   /* MMDD together */
	assert_false(personal_ok("Qz!04-01#wkpx"));
	assert_false(personal_ok("Qz!04/01#wkpx"));
	assert_true(personal_ok("Q0z!4w0k#1px"));   /* MMDD digits scattered: not the birthday */
	assert_true(personal_ok("Qz!1989#0402w"));  /* another date */
}

static void
test_personal_reversed_login_caught_by_cracklib(void **state)
{
	struct pw_rules r = {0, 0, 0, 1, 1};
	struct pw_subject yamada = {.login = "yamada"};

	(void)state;
	/* "adamay" is yamada backwards: cracklib's username check, reported as personal ... */
	assert_false(met(&r, &yamada, "adamay99", PW_PERSONAL));
	/* ... and not as a dictionary word ("tanaka" would be: cracklib's list has it). */
	assert_true(met(&r, &yamada, "adamay99", PW_DICTIONARY));
	/* when the profile does not forbid personal data, nothing is broken */
	r.forbid_personal = 0;
	assert_true(met(&r, &yamada, "adamay99", PW_PERSONAL));
	assert_true(met(&r, &yamada, "adamay99", PW_DICTIONARY));
}

static void
test_personal_without_subject(void **state)
{
	struct pw_rules r = only(PW_PERSONAL);
	struct pw_subject empty = {0};

	(void)state;
	assert_true(met(&r, NULL, "tanaka19900401", PW_PERSONAL));
	assert_true(met(&r, &empty, "tanaka19900401", PW_PERSONAL));
}

/* ---- dictionary (cracklib) ---- */

static void
test_dictionary_words_refused(void **state)
{
	(void)state;
	/* cracklib itself: dictionary words with its rewritings */
	assert_false(dictionary_ok("password"));
	assert_false(dictionary_ok("Password1"));
	assert_false(dictionary_ok("Sunflower"));
	assert_false(dictionary_ok("iloveyou!"));
	assert_false(dictionary_ok("Dragon#77"));
	assert_false(dictionary_ok("qwerty123"));
	assert_false(dictionary_ok("welcome1"));
	/* cracklib accepts these; the whole-word check on their letters does not */
	assert_false(dictionary_ok("Sunflower#2024"));
	assert_false(dictionary_ok("2024Sunflower!"));
	assert_false(dictionary_ok("Monkey!2024"));
	assert_false(dictionary_ok("Welcome#2024"));
	assert_false(dictionary_ok("Love#2024!"));
	assert_false(dictionary_ok("P@ssw0rd!2024"));
	assert_false(dictionary_ok("Sunfl0wer!"));
	assert_false(dictionary_ok("Evol#2024!")); /* "love" reversed counts too, as in cracklib */
}

static void
test_dictionary_simple_strings_refused(void **state)
{
	(void)state;
	assert_false(dictionary_ok("abcdefgh"));     /* too simplistic/systematic */
	assert_false(dictionary_ok("12345678"));
	assert_false(dictionary_ok("Abcd1234!"));
	assert_false(dictionary_ok("asdfghjkl"));
	assert_false(dictionary_ok("aaaaaaaaaaaa")); /* not enough different characters */
	assert_false(dictionary_ok("Ab1!Ab1!Ab1!"));
}

static void
test_dictionary_strong_accepted(void **state)
{
	(void)state;
	assert_true(dictionary_ok(STRONG));
	assert_true(dictionary_ok("Xk9#mQ2$vL7!"));
	assert_true(dictionary_ok("Blue#Sky2024"));  /* two words: neither cracklib nor us */
	assert_true(dictionary_ok("Ab1!"));          /* too short is the length rule's business */
	assert_true(dictionary_ok("パスワード1234")); /* cracklib's dictionary is English */
}

static void
test_strong_password_meets_every_profile(void **state)
{
	const struct pw_rules *profiles[] = {&ipa_sme, &iso_regulations, &standard_2016};
	struct pw_result res;
	char generated[17];

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(password_rules_check(profiles[i], &tanaka, STRONG, &res), 0);
		for (int k = 0; k < PW_RULE_COUNT; k++) {
			assert_int_equal(res.asked[k], 1);
			assert_int_equal(res.met[k], 1);
		}
	}
	/* the passwords mamori generates itself */
	for (int k = 0; k < 20; k++) {
		mm_password_generate(generated, 16);
		assert_int_equal(password_rules_check(&ipa_sme, NULL, generated, &res), 0);
	}
}

static void
test_weak_password_breaks_several(void **state)
{
	struct pw_result res;

	(void)state;
	assert_int_equal(password_rules_check(&ipa_sme, &tanaka, "tanaka", &res), 4);
	assert_int_equal(password_rules_check(&ipa_sme, &tanaka, "Tanaka#19900401", &res), 2);
	assert_int_equal(res.met[PW_CLASSES], 1);
	assert_int_equal(res.met[PW_PERSONAL], 0);
	assert_int_equal(res.met[PW_MIN_LENGTH], 1);
}

struct thread_arg {
	int failures;
};

static void *
check_in_thread(void *p)
{
	struct thread_arg *a = p;

	for (int i = 0; i < 15; i++) {
		if (dictionary_ok("Sunflower#2024") || !dictionary_ok(STRONG) ||
		    dictionary_ok("password"))
			a->failures++;
	}
	return NULL;
}

static void
test_dictionary_from_many_threads(void **state)
{
	pthread_t t[4];
	struct thread_arg a[4] = {{0}};

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, check_in_thread, &a[i]), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(a[i].failures, 0);
	}
}

/* ---- rule texts ---- */

/* The rule texts the UI shows for the shipped profiles, word for word. */
static void
test_rule_texts(void **state)
{
	static const struct {
		enum pw_rule r;
		const struct pw_rules *rules;
		int ja;
		const char *text;
	} want[] = {
		{PW_MIN_LENGTH, &ipa_sme, 1, "10文字以上"},
		{PW_CLASSES, &ipa_sme, 1, "大文字・小文字・数字・記号をすべて含む"},
		{PW_CLASSES, &iso_regulations, 1, "大文字・小文字・記号をすべて含む"},
		{PW_CLASSES, &standard_2016, 1, "英字・数字・記号のうち2種類以上"},
		{PW_PERSONAL, &ipa_sme, 1, "名前・社員番号・電話番号・誕生日などを含まない"},
		{PW_DICTIONARY, &ipa_sme, 1, "辞書にある単純な語を使わない"},
		{PW_MIN_LENGTH, &ipa_sme, 0, "At least 10 characters"},
		{PW_CLASSES, &ipa_sme, 0,
		    "Contains upper-case letters, lower-case letters, digits and symbols"},
		{PW_CLASSES, &iso_regulations, 0,
		    "Contains upper-case letters, lower-case letters and symbols"},
		{PW_CLASSES, &standard_2016, 0, "At least 2 of letters, digits or symbols"},
		{PW_PERSONAL, &ipa_sme, 0,
		    "No name, login, employee number, phone number, birthday or the like"},
		{PW_DICTIONARY, &ipa_sme, 0, "Not a simple dictionary word"},
	};
	char t[160];

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		password_rule_text(want[i].r, want[i].rules, want[i].ja, t, sizeof(t));
		assert_string_equal(t, want[i].text);
	}
}

static void
test_rule_texts_edge_cases(void **state)
{
	struct pw_rules none = {0}, one = {0, POLICY_DIGIT, 1, 0, 0};
	char t[160], tiny[8];

	(void)state;
	password_rule_text(PW_CLASSES, &one, 1, t, sizeof(t));
	assert_string_equal(t, "数字を含む");
	password_rule_text(PW_MIN_LENGTH, &none, 1, t, sizeof(t));
	assert_string_equal(t, "文字数の下限なし");
	password_rule_text(PW_CLASSES, &none, 1, t, sizeof(t));
	assert_string_equal(t, "文字の種類の指定なし");
	password_rule_text(PW_DICTIONARY, &none, 0, t, sizeof(t));
	assert_string_equal(t, "Dictionary words not checked");
	password_rule_text(PW_CLASSES, &ipa_sme, 0, tiny, sizeof(tiny)); /* cut, but terminated */
	assert_string_equal(tiny, "Contain");
	password_rule_text(PW_MIN_LENGTH, &ipa_sme, 1, tiny, sizeof(tiny)); /* not inside 字 */
	assert_string_equal(tiny, "10文");
	password_rule_text(PW_RULE_COUNT, &ipa_sme, 0, t, sizeof(t));
	assert_string_equal(t, "");
	assert_string_equal(password_rule_id(PW_MIN_LENGTH), "min_length");
	assert_string_equal(password_rule_id(PW_CLASSES), "classes");
	assert_string_equal(password_rule_id(PW_PERSONAL), "personal");
	assert_string_equal(password_rule_id(PW_DICTIONARY), "dictionary");
}

/* ---- TOTP ---- */

/* RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
static const unsigned char rfc_secret[TOTP_SECRET_BYTES] = "12345678901234567890";
#define RFC_BASE32 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static void
test_totp_rfc6238_vectors(void **state)
{
	/* 8-digit values of the RFC; the 6-digit code is their last six digits (oathtool -d 8). */
	static const struct {
		int64_t t;
		const char *code8;
	} v[] = {
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	};
	char code[7];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_code(rfc_secret, v[i].t * 1000, code), 0);
		assert_string_equal(code, v[i].code8 + 2);
	}
	/* milliseconds within the step do not matter */
	assert_int_equal(totp_code(rfc_secret, 59999, code), 0);
	assert_string_equal(code, "287082");
	assert_int_equal(totp_code(rfc_secret, -1, code), MM_EINVAL);
}

static void
test_totp_base32(void **state)
{
	unsigned char counting[TOTP_SECRET_BYTES];
	char b32[TOTP_BASE32_LEN], *theirs = NULL;
	size_t len;

	(void)state;
	totp_base32(rfc_secret, b32);
	assert_string_equal(b32, RFC_BASE32);
	for (int i = 0; i < TOTP_SECRET_BYTES; i++)
		counting[i] = (unsigned char)i;
	totp_base32(counting, b32); /* python3: base64.b32encode(bytes(range(20))) */
	assert_string_equal(b32, "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT");
	/* and as liboath encodes a random secret */
	totp_secret_new(counting);
	totp_base32(counting, b32);
	assert_int_equal(
	    oath_base32_encode((const char *)counting, sizeof(counting), &theirs, &len), OATH_OK);
	assert_int_equal(len, 32);
	assert_memory_equal(b32, theirs, 32);
	free(theirs);
}

static void
test_totp_secret_is_random(void **state)
{
	unsigned char a[TOTP_SECRET_BYTES], b[TOTP_SECRET_BYTES];

	(void)state;
	totp_secret_new(a);
	totp_secret_new(b);
	assert_memory_not_equal(a, b, sizeof(a));
}

/* Codes of rfc_secret around T = 1111111109 (step 37037036), from oathtool --totp -N @T. */
#define T0 1111111109LL
#define STEP0 37037036LL
#define CODE_M2 "150727" /* step 37037034 */
#define CODE_M1 "731029" /* step 37037035 */
#define CODE_0 "081804"
#define CODE_P1 "050471" /* step 37037037 */
#define CODE_P2 "266759" /* step 37037038 */

static void
test_totp_window_one_step(void **state)
{
	int64_t step = 0;

	(void)state;
	assert_int_equal(totp_verify(rfc_secret, CODE_0, T0 * 1000, 0, &step), 0);
	assert_int_equal(step, STEP0);
	assert_int_equal(totp_verify(rfc_secret, CODE_M1, T0 * 1000, 0, &step), 0);
	assert_int_equal(step, STEP0 - 1);
	assert_int_equal(totp_verify(rfc_secret, CODE_P1, T0 * 1000, 0, &step), 0);
	assert_int_equal(step, STEP0 + 1);
	step = 0;
	assert_int_equal(totp_verify(rfc_secret, CODE_M2, T0 * 1000, 0, &step), MM_EPERM);
	assert_int_equal(totp_verify(rfc_secret, CODE_P2, T0 * 1000, 0, &step), MM_EPERM);
	assert_int_equal(totp_verify(rfc_secret, "000000", T0 * 1000, 0, &step), MM_EPERM);
	assert_int_equal(step, 0); /* untouched on refusal */
	/* the time is the caller's, to the millisecond: 1111111110.000 is the next step */
	assert_int_equal(totp_verify(rfc_secret, CODE_P2, 1111111110000LL, 0, &step), 0);
	assert_int_equal(step, STEP0 + 2);
	assert_int_equal(totp_verify(rfc_secret, CODE_M1, 1111111110000LL, 0, &step), MM_EPERM);
}

static void
test_totp_replay_refused(void **state)
{
	int64_t step = 0;

	(void)state;
	assert_int_equal(totp_verify(rfc_secret, CODE_0, T0 * 1000, 0, &step), 0);
	/* the same code again, seconds later */
	assert_int_equal(totp_verify(rfc_secret, CODE_0, T0 * 1000 + 500, step, &step), MM_EPERM);
	/* an older code still in the window */
	assert_int_equal(totp_verify(rfc_secret, CODE_M1, T0 * 1000, STEP0, &step), MM_EPERM);
	/* the next step is fine */
	assert_int_equal(totp_verify(rfc_secret, CODE_P1, T0 * 1000, STEP0, &step), 0);
	assert_int_equal(step, STEP0 + 1);
	/* and after a code from the future was used, the present one is refused */
	assert_int_equal(totp_verify(rfc_secret, CODE_0, T0 * 1000, STEP0 + 1, &step), MM_EPERM);
}

static void
test_totp_code_format_refused(void **state)
{
	static const char *bad[] = {"", "08180", "0818045", "08180a", " 81804", "081 804", "+81804",
	    "-81804", "０８１８０４", "081804\n"};
	int64_t step = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(totp_verify(rfc_secret, bad[i], T0 * 1000, 0, &step), MM_EINVAL);
	assert_int_equal(totp_verify(rfc_secret, NULL, T0 * 1000, 0, &step), MM_EINVAL);
	assert_int_equal(totp_verify(rfc_secret, CODE_0, -1, 0, &step), MM_EINVAL);
}

/* Runs oathtool for secret at t; 0 and the code in out, or -1 when oathtool is not there. */
static int
oathtool_code(const char *b32, int64_t t, char out[16])
{
	char cmd[160];
	FILE *f;
	int ok;

	snprintf(cmd, sizeof(cmd), "oathtool --totp -b %s -N @%lld 2>/dev/null", b32, (long long)t);
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	ok = fgets(out, 16, f) != NULL;
	if (pclose(f) != 0 || !ok)
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

static void
test_totp_agrees_with_oathtool(void **state)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	char b32[TOTP_BASE32_LEN], theirs[16], ours[7];
	int64_t step;

	(void)state;
	totp_secret_new(secret);
	totp_base32(secret, b32);
	if (oathtool_code(b32, 0, theirs) != 0)
		skip(); /* Debian: apt install oathtool */
	for (int64_t t = 1700000000; t < 1700000000 + 5 * 30; t += 29) {
		assert_int_equal(oathtool_code(b32, t, theirs), 0);
		assert_int_equal(totp_code(secret, t * 1000 + 999, ours), 0);
		assert_string_equal(ours, theirs);
		assert_int_equal(totp_verify(secret, theirs, t * 1000, 0, &step), 0);
		assert_int_equal(step, t / 30);
	}
}

static void
test_totp_uri(void **state)
{
	char uri[256], small[40];

	(void)state;
	assert_int_equal(totp_uri("tanaka", rfc_secret, uri, sizeof(uri)), 0);
	assert_string_equal(uri, "otpauth://totp/mamori:tanaka?secret=" RFC_BASE32
	    "&issuer=mamori&algorithm=SHA1&digits=6&period=30");
	/* everything but unreserved characters is percent-encoded, UTF-8 byte by byte */
	assert_int_equal(totp_uri("a.b_c-d~e f:g@h/i?j&k#l%田", rfc_secret, uri, sizeof(uri)), 0);
	assert_starts_with(uri, "otpauth://totp/mamori:"
	    "a.b_c-d~e%20f%3Ag%40h%2Fi%3Fj%26k%23l%25%E7%94%B0?secret=");
	assert_int_equal(totp_uri("tanaka", rfc_secret, small, sizeof(small)), MM_ETOOBIG);
	assert_int_equal(totp_uri(NULL, rfc_secret, uri, sizeof(uri)), MM_EINVAL);
}

/* Parses the SVG's path back into modules and compares them with the QR symbol for text. */
static void
check_svg_matches_qr(const char *svg, const char *text)
{
	QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	int size = 0, size2 = 0, x, y, run, len, dark = 0, drawn = 0;
	unsigned char *seen;
	const char *p;

	assert_non_null(qr);
	assert_starts_with(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	assert_int_equal(sscanf(strstr(svg, "viewBox=") + 9, "0 0 %d %d", &size, &size2), 2);
	assert_int_equal(size, qr->width + 8); /* a quiet zone of 4 each side */
	assert_int_equal(size2, size);
	assert_contains(svg, "shape-rendering=\"crispEdges\"");
	assert_contains(svg, "fill=\"#fff\"");
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "href"));
	assert_null(strstr(svg, "url("));
	assert_non_null(strstr(svg, "</svg>"));

	assert_non_null(seen = calloc((size_t)(qr->width * qr->width), 1));
	assert_non_null(p = strstr(svg, " d=\""));
	p += 4;
	while (*p == 'M') {
		assert_int_equal(sscanf(p, "M%d %dh%dv1h-%*dz%n", &x, &y, &run, &len), 3);
		p += len;
		x -= 4;
		y -= 4;
		assert_true(x >= 0 && y >= 0 && y < qr->width && run > 0 && x + run <= qr->width);
		for (int i = 0; i < run; i++) {
			assert_int_equal(seen[y * qr->width + x + i], 0);
			seen[y * qr->width + x + i] = 1;
			drawn++;
		}
	}
	assert_int_equal(*p, '"');
	for (int i = 0; i < qr->width * qr->width; i++) {
		assert_int_equal(seen[i], qr->data[i] & 1);
		dark += qr->data[i] & 1;
	}
	assert_int_equal(drawn, dark);
	free(seen);
	QRcode_free(qr);
}

static void
test_totp_qr_svg(void **state)
{
	char uri[256], *svg = NULL, big[8000];

	(void)state;
	assert_int_equal(totp_uri("tanaka", rfc_secret, uri, sizeof(uri)), 0);
	assert_int_equal(totp_qr_svg(uri, &svg), 0);
	check_svg_matches_qr(svg, uri);
	free(svg);

	assert_int_equal(totp_qr_svg("", &svg), MM_EINVAL);
	assert_null(svg);
	assert_int_equal(totp_qr_svg(NULL, &svg), MM_EINVAL);
	memset(big, 'x', sizeof(big) - 1); /* more than a version-40 symbol holds */
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(totp_qr_svg(big, &svg), MM_ETOOBIG);
	assert_null(svg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_length_counts_characters_not_bytes),
	    cmocka_unit_test(test_rule_not_asked_is_met),
	    cmocka_unit_test(test_not_text_breaks_every_asked_rule),
	    cmocka_unit_test(test_classes_ipa_sme),
	    cmocka_unit_test(test_classes_iso_regulations),
	    cmocka_unit_test(test_classes_standard_2016),
	    cmocka_unit_test(test_personal_login_and_employee_number),
	    cmocka_unit_test(test_personal_email_and_name),
	    cmocka_unit_test(test_personal_phone),
	    cmocka_unit_test(test_personal_birthday),
	    cmocka_unit_test(test_personal_reversed_login_caught_by_cracklib),
	    cmocka_unit_test(test_personal_without_subject),
	    cmocka_unit_test(test_dictionary_words_refused),
	    cmocka_unit_test(test_dictionary_simple_strings_refused),
	    cmocka_unit_test(test_dictionary_strong_accepted),
	    cmocka_unit_test(test_strong_password_meets_every_profile),
	    cmocka_unit_test(test_weak_password_breaks_several),
	    cmocka_unit_test(test_dictionary_from_many_threads),
	    cmocka_unit_test(test_rule_texts),
	    cmocka_unit_test(test_rule_texts_edge_cases),
	    cmocka_unit_test(test_totp_rfc6238_vectors),
	    cmocka_unit_test(test_totp_base32),
	    cmocka_unit_test(test_totp_secret_is_random),
	    cmocka_unit_test(test_totp_window_one_step),
	    cmocka_unit_test(test_totp_replay_refused),
	    cmocka_unit_test(test_totp_code_format_refused),
	    cmocka_unit_test(test_totp_agrees_with_oathtool),
	    cmocka_unit_test(test_totp_uri),
	    cmocka_unit_test(test_totp_qr_svg),
	};

	if (unit_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
