/*
 * 情報資産管理台帳 (004 ch3 §1; IPA 付録7 リスク分析シート): importance is the highest of C, I and A
 * (004: 0 公開, 1 社外秘, 2 極秘); the damage likelihood comes from IPA's conversion table of threat
 * (脅威の起こりやすさ 1–3) and vulnerability (脆弱性のつけ込みやすさ 1–3); risk = importance × likelihood.
 * The ledger never holds a 個人番号 (004 ch4 §5.1.2): a value with a valid My Number is refused.
 */
#include "registers/hooks/hooks.h"
#include "base/mynumber.h"

/*
 * The conversion table IPA's guideline gives as its example (quoted by the Tokyo SME programme,
 * shanaitaisei.metro.tokyo.lg.jp r5 seminar06 11-2-3): rows threat 1–3, columns vulnerability 1–3
 * → 被害発生可能性 1–3, i.e. max(1, threat + vulnerability − 3).
 */
static const int likelihood[3][3] = {
    {1, 1, 1},
    {1, 1, 2},
    {1, 2, 3},
};

static void
set_or_null(json_t *rec, const char *field, int ok, int64_t v)
{
	json_object_set_new(rec, field, ok ? json_integer(v) : json_null());
}

/* Refuses any text value holding a valid My Number; shared with every ledger that must not hold one. */
static void
no_mynumber(struct reg_ctx *x, const json_t *rec, json_t *errors)
{
	for (size_t i = 0; i < x->def->nfields; i++) {
		const char *s = hook_str(rec, x->def->fields[i].name);
		if (s && mm_text_has_mynumber(s))
			hook_error(errors, x->def, x->def->fields[i].name, "mynumber",
			    "個人番号（マイナンバー）は台帳に記載できません",
			    "a My Number (個人番号) must never be written in the ledger");
	}
}

static int
before_save(struct reg_ctx *x, json_t *rec, const json_t *old, json_t *errors, struct mm_err *err)
{
	int64_t c = hook_int(rec, "confidentiality", -1), i = hook_int(rec, "integrity", -1);
	int64_t a = hook_int(rec, "availability", -1), t = hook_int(rec, "threat", 0);
	int64_t v = hook_int(rec, "vulnerability", 0), imp = c;

	(void)old;
	(void)err;
	no_mynumber(x, rec, errors);
	if (i > imp)
		imp = i;
	if (a > imp)
		imp = a;
	set_or_null(rec, "importance", imp >= 0, imp);
	if (t >= 1 && t <= 3 && v >= 1 && v <= 3) {
		int l = likelihood[t - 1][v - 1];
		set_or_null(rec, "damage_likelihood", 1, l);
		set_or_null(rec, "risk_value", imp >= 0, imp * l);
	} else {
		set_or_null(rec, "damage_likelihood", 0, 0);
		set_or_null(rec, "risk_value", 0, 0);
	}
	return 0;
}

const struct reg_hooks reg_hooks_assets = {.name = "assets", .before_save = before_save};
