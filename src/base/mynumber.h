/*
 * My Number (個人番号) check digits, as the 総務省令 defines them and tax software applies them.
 * Nothing here stores or logs a number; the vault does the rest.
 */
#ifndef MM_MYNUMBER_H
#define MM_MYNUMBER_H

#include <stddef.h>

/* 1 when d holds exactly 12 ASCII digits whose last is the right check digit. */
int mm_mynumber_valid(const char *d);

/* 1 when d holds exactly 13 ASCII digits, a 法人番号 whose first digit is the right check digit. */
int mm_corporate_number_valid(const char *d);

/*
 * The length in bytes of a separator people put between the digit groups of a number at s (space,
 * hyphens and dashes, their full-width forms, the long-vowel mark), or 0.
 */
size_t mm_number_separator(const char *s);

/*
 * 1 when text holds a 12-digit number with a valid check digit: digits (ASCII or full-width)
 * possibly grouped by separators (mm_number_separator, several in a row), e.g. "1234 - 5678 - 9018",
 * not part of a longer digit run.
 */
int mm_text_has_mynumber(const char *text);

#endif
