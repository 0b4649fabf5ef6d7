/*
 * Password rules of the profile in force (seed 004 ch5 §9.3, 002 第12条, 001 システム管理規程
 * §4.1.5): length, character classes, nothing taken from the person, no dictionary word. Reuse
 * (history) needs the store and is checked by the account module.
 */
#ifndef MM_PASSWORD_RULES_H
#define MM_PASSWORD_RULES_H

#include <stddef.h>

/* The rules as the profile sets them for one account class. */
struct pw_rules {
	int min_length;        /* characters (not bytes) */
	int classes;           /* POLICY_UPPER | POLICY_LOWER | POLICY_LETTER | POLICY_DIGIT | POLICY_SYMBOL */
	int min_classes;       /* how many of those must appear */
	int forbid_personal;   /* 004: 名前、電話番号、誕生日等 */
	int forbid_dictionary; /* 004: 辞書に含まれる単純な語; 002: 単純な文字列 */
};

/* What is known about the person, for the personal-information rule. Any field may be NULL. */
struct pw_subject {
	const char *login;
	const char *employee_no;
	const char *name;      /* 氏名 (kanji) */
	const char *name_kana; /* フリガナ */
	const char *phone;
	const char *birthday;  /* YYYY-MM-DD */
	const char *email;
};

enum pw_rule { PW_MIN_LENGTH, PW_CLASSES, PW_PERSONAL, PW_DICTIONARY, PW_RULE_COUNT };

struct pw_result {
	int met[PW_RULE_COUNT];   /* 1 met, 0 broken; a rule the profile does not ask for is met */
	int asked[PW_RULE_COUNT]; /* 1 when the profile asks for the rule */
};

/*
 * Checks password against the rules. Returns the number of rules broken (0: acceptable).
 * who may be NULL (nothing known about the person). A password that is not UTF-8 text without
 * control characters, or is longer than 1024 bytes, breaks every rule asked. The dictionary rule
 * uses cracklib; when its dictionary cannot be read, the rule is broken (and the log says why).
 * Never logs or keeps the password. Thread-safe.
 */
int password_rules_check(const struct pw_rules *rules, const struct pw_subject *who,
    const char *password, struct pw_result *res);

/* "min_length", "classes", "personal", "dictionary" (the `rule` of API errors). */
const char *password_rule_id(enum pw_rule r);

/*
 * The rule as a person reads it, in Japanese (ja=1) or English: "10文字以上",
 * "大文字・小文字・数字・記号をすべて含む", "英字・数字・記号のうち2種類以上",
 * "名前・社員番号・電話番号・誕生日などを含まない", "辞書にある単純な語を使わない". A rule the
 * profile does not ask for says so ("辞書の語の確認なし"). out (size n) is always terminated, and
 * cut only between characters.
 */
void password_rule_text(enum pw_rule r, const struct pw_rules *rules, int ja, char *out, size_t n);

#endif
