/* libzairyu: names and numbers as on the residence card, passport MRZ. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_NAME_H
#define ZAIRYU_NAME_H

#include <stddef.h>

#include "zairyu/date.h"
#include "zairyu/error.h"
#include "zairyu/facts.h"

/* Longest name (and input line) accepted, in bytes. */
#define ZR_NAME_MAX 1024
/* Most name parts (words) in one name. */
#define ZR_NAME_MAX_PARTS 64
/* Most findings kept in one report; later ones are dropped. */
#define ZR_NAME_MAX_FINDINGS 16

/*
 * What a check found.  Problems make a tool exit 1; notes only explain
 * (a transliteration the MRZ is allowed to make, a truncated MRZ name).
 */
enum zr_name_kind {
	ZR_NK_ORDER,          /* same parts, different order */
	ZR_NK_CASE,           /* lowercase letters */
	ZR_NK_WIDTH,          /* full-width letters, space or comma */
	ZR_NK_SPACING,        /* extra, missing or odd spaces */
	ZR_NK_SEPARATOR,      /* comma/space not what the form wants */
	ZR_NK_MISSING_PART,   /* a part of the card's name is missing */
	ZR_NK_EXTRA_PART,     /* a part that is not on the card */
	ZR_NK_DIACRITIC,      /* é, ü...: not on the card */
	ZR_NK_REJECTED_CHAR,  /* the online form does not take it */
	ZR_NK_NEAR_MISS,      /* a part one or two letters off */
	ZR_NK_LENGTH,         /* too long (form field, number) */
	ZR_NK_POSITION,       /* wrong kind of character at a position */
	ZR_NK_CHECK_DIGIT,    /* a check digit does not match */
	ZR_NK_EXPIRED,        /* passport expired */
	ZR_NK_DATE,           /* impossible date in the MRZ */
	ZR_NK_BIRTH_DATE,     /* MRZ birth date is not the card's */
	ZR_NK_SEX,            /* MRZ sex is not the card's */
	ZR_NK_NUMBER,         /* MRZ passport number is not the facts' */
	ZR_NK_NAME,           /* MRZ name does not agree with the card */
	ZR_NK_TRANSLITERATED, /* note: MRZ spelling (UE for Ü) */
	ZR_NK_TRUNCATED,      /* note: MRZ name field is full */
	ZR_NK_COUNT_
};

struct zr_name_finding {
	enum zr_name_kind kind;
	int note;             /* 1: a note, not a problem */
	int line;             /* MRZ line (1 or 2) or 0 */
	char msg[256];        /* one line, no newline */
};

struct zr_name_report {
	size_t n;             /* findings kept */
	size_t problems;      /* findings that are problems (not notes) */
	struct zr_name_finding f[ZR_NAME_MAX_FINDINGS];
};

/*
 * The short name of kind for messages and JSON ("order", "near_miss",
 * "check_digit" ...).  Never NULL.
 */
const char *zr_name_kind_str(enum zr_name_kind kind);

/* Empty *rep. */
void zr_name_report_clear(struct zr_name_report *rep);

/*
 * Check that s[0..len-1] can be a name at all: not empty or blank, at
 * most ZR_NAME_MAX bytes, valid UTF-8, no control characters (C0, DEL,
 * C1, U+2028/U+2029) and no NUL.  Errors: ZR_E_NAME ("empty name",
 * "name longer than 1024 bytes", "control character U+0009 at byte 5"),
 * ZR_E_UTF8.  subject goes into err->subject.
 */
int zr_name_validate(const char *s, size_t len, const char *subject,
    struct zr_error *err);

/*
 * The spelling a residence card carries for name s: half-width capitals
 * A-Z, parts separated by one space, in the order written.  Full-width
 * letters are folded, lowercase raised, Latin letters with diacritics
 * reduced to their base letter (é -> E, ü -> U, ß -> SS, Æ -> AE,
 * Vietnamese ễ -> E), hyphens become a space, apostrophes and dots are
 * dropped (rules-facts §6.1: the card and the form use only the 26 basic
 * Latin letters; ICAO 9303 Part 3 for hyphens and apostrophes).
 * Writes a NUL-terminated string of at most outsz bytes into out.
 * Errors: those of zr_name_validate(); ZR_E_NAME when a character has no
 * Latin spelling (kanji, Cyrillic: "character U+5C71 has no Latin
 * spelling") or no letters are left; ZR_E_RANGE when out is too small.
 */
int zr_name_card_spelling(const char *s, char *out, size_t outsz,
    struct zr_error *err);

/*
 * The name as the online application form wants it on date `rules`:
 * card spelling with the parts joined by the form's separator (the rules
 * table's name.separator: half-width comma until 2026-01-04, space from
 * 2026-01-05; rules-facts §6.1, §8) and within name.max_chars (104,
 * RASENS form).  out receives the spelling even when rep has problems;
 * problems: ZR_NK_REJECTED_CHAR (nothing Latin to write), ZR_NK_LENGTH;
 * notes: ZR_NK_DIACRITIC (what the card would carry), ZR_NK_WIDTH,
 * ZR_NK_CASE are not reported here (converting them is the job).
 * Errors: as zr_name_card_spelling() minus the "no Latin spelling" case
 * (a problem here), ZR_E_NO_RULE for a date before the rules table.
 */
int zr_name_form(const char *s, struct zr_date rules, char *out,
    size_t outsz, struct zr_name_report *rep, struct zr_error *err);

/*
 * Compare `given` with `card` (the name exactly as on the residence
 * card; rules-facts §6.1: same order, family name first, same spelling,
 * capitals).  The card name is read leniently (its card spelling is
 * used).  given passes when it is the card name written as on the card
 * (parts separated by one space) or as the online form wants it on date
 * `rules` (name.separator).  Otherwise rep gets one finding per problem:
 * order, case, full width, spacing, separator, missing or extra parts,
 * diacritics (with what the card carries), characters the form rejects,
 * near misses (which letter is off).  Returns 0 (rep->problems == 0
 * means the names agree) or -1 for bad input (zr_name_validate() errors
 * for either name, ZR_E_NAME for more than ZR_NAME_MAX_PARTS parts or a
 * card name without letters, ZR_E_NO_RULE).
 */
int zr_name_compare(const char *card, const char *given, struct zr_date rules,
    struct zr_name_report *rep, struct zr_error *err);

/*
 * Residence card number (rules-facts §6.3): 2 letters, 8 digits,
 * 2 letters, "AB12345678CD".  Surrounding blanks are trimmed, full-width
 * and lowercase input is normalised into out (13 bytes).  rep gets
 * ZR_NK_LENGTH or ZR_NK_POSITION (one per wrong position, 1-based,
 * saying what belongs there).  No check digit is published for this
 * number, so none is tested.  Errors: ZR_E_NUMBER (empty, longer than 64
 * bytes, control character), ZR_E_UTF8.
 */
int zr_card_number_check(const char *s, char out[13],
    struct zr_name_report *rep, struct zr_error *err);

/*
 * My Number (個人番号) check digit of the first 11 digits d (ASCII
 * '0'-'9'): weights 6,5,4,3,2,7,6,5,4,3,2 from the left, r = sum mod 11,
 * check = 0 if r <= 1 else 11 - r (個人番号の指定に関する省令 5条;
 * rules-facts §6.4).  Returns 0-9, or -1 if d is not 11 digits.
 */
int zr_my_number_check_digit(const char *d);

/*
 * Check a My Number: 12 digits (full-width folded; spaces and hyphens
 * between groups allowed), the 12th being the check digit.  rep gets
 * ZR_NK_LENGTH, ZR_NK_POSITION or ZR_NK_CHECK_DIGIT.  Messages never
 * repeat the number (it is personal data).  Errors: ZR_E_NUMBER (empty,
 * longer than 64 bytes, control character), ZR_E_UTF8.
 */
int zr_my_number_check(const char *s, struct zr_name_report *rep,
    struct zr_error *err);

/* Passport machine readable zone, ICAO 9303 Part 4 (TD3). */
#define ZR_MRZ_LEN 44

enum zr_mrz_field {
	ZR_MRZ_NUMBER,        /* line 2, 1-9, check 10 */
	ZR_MRZ_BIRTH,         /* line 2, 14-19, check 20 */
	ZR_MRZ_EXPIRY,        /* line 2, 22-27, check 28 */
	ZR_MRZ_OPTIONAL,      /* line 2, 29-42, check 43 */
	ZR_MRZ_COMPOSITE,     /* 1-10, 14-20, 22-43, check 44 */
	ZR_MRZ_NFIELDS_
};

struct zr_mrz_digit {
	char given;           /* the character in the MRZ */
	int computed;         /* 0-9 */
	int ok;
};

struct zr_mrz {
	char line1[ZR_MRZ_LEN + 1], line2[ZR_MRZ_LEN + 1];
	int lineno1, lineno2;      /* line numbers in the input text */
	char type[3];              /* "P" plus the type letter, if any */
	char issuer[4];            /* fillers removed */
	char primary[40];          /* family name(s), '<' -> ' ' */
	char secondary[40];        /* given names, '<' -> ' ' */
	int truncated;             /* the name field has no filler left */
	char number[10];           /* fillers removed */
	char nationality[4];
	char birth[7];             /* YYMMDD as written ('<' if unknown) */
	char sex;                  /* 'M', 'F', 'X' or '<' */
	char expiry[7];            /* YYMMDD */
	char optional[15];         /* fillers removed */
	struct zr_mrz_digit check[ZR_MRZ_NFIELDS_];
};

/*
 * ICAO 9303 Part 3 check digit of s[0..n-1]: '0'-'9' = 0-9, 'A'-'Z' =
 * 10-35, '<' = 0, weights 7, 3, 1 repeating, sum mod 10 (rules-facts
 * §6.2).  Returns 0-9, or -1 for a character outside A-Z 0-9 <.
 */
int zr_mrz_check_digit(const char *s, size_t n);

/*
 * Parse a TD3 MRZ from text[0..len-1]: two lines of 44 characters from
 * A-Z 0-9 < (blank lines, a UTF-8 BOM, CR and trailing blanks are
 * ignored).  Fills *m including every check digit's result (a wrong check
 * digit is not an error here: see zr_mrz_verify()).  Errors (ZR_E_MRZ,
 * err->line = input line): wrong number of lines, wrong length ("43
 * characters, a TD3 line has 44"), illegal character with its column,
 * line 1 not starting with P, letters where line 2 needs digits; also
 * ZR_E_UTF8 via the illegal-character case, ZR_E_EMPTY for no lines.
 */
int zr_mrz_parse(const char *text, size_t len, const char *subject,
    struct zr_mrz *m, struct zr_error *err);

/*
 * The date of an MRZ YYMMDD field.  A birth date takes the century that
 * puts it on or before `today`; an expiry date is in 2000-2099.  Returns
 * -1 for '<' (unknown) or an impossible date.
 */
int zr_mrz_date(const char *yymmdd, int is_birth, struct zr_date today,
    struct zr_date *out);

/*
 * Encode a card-spelled name (parts separated by spaces) as the 39-char
 * TD3 name field, the first nprimary parts being the primary identifier:
 * "ERIKSSON<<ANNA<MARIA<<<..." (ICAO 9303 Part 4).  Truncates at 39;
 * returns 1 if it had to, else 0.  out holds 40 bytes.
 */
int zr_mrz_name_field(const char *card_spelled, size_t nprimary,
    char out[40]);

/* What zr_mrz_verify() compares the MRZ with; NULL/0 members are skipped. */
struct zr_mrz_expect {
	const char *card_name;         /* name on the residence card */
	const struct zr_date *birth;   /* birth date on the card */
	const char *passport_number;   /* from the facts */
	char sex;                      /* 'M', 'F', 'X' or 0 */
	struct zr_date today;          /* for expiry and the birth century */
};

/*
 * Verify m: every check digit (ZR_NK_CHECK_DIGIT, saying which field),
 * impossible dates (ZR_NK_DATE), expiry before x->today (ZR_NK_EXPIRED),
 * and agreement with the card: name (ZR_NK_NAME, knowing that the MRZ
 * truncates at 39 characters and transliterates Ä->AE, Ö->OE, Ü->UE,
 * Å->AA: such differences are notes), birth date, sex, passport number.
 * Findings carry the MRZ line (1 or 2).  Errors: those of
 * zr_name_compare() for a bad card name.
 */
int zr_mrz_verify(const struct zr_mrz *m, const struct zr_mrz_expect *x,
    struct zr_name_report *rep, struct zr_error *err);

/*
 * Do several documents agree?  For every zairyu-facts(5) key that two
 * or more of f[0..n-1] carry, each file's value is compared with the
 * reference: the first file whose base name starts with "card" (the
 * residence card's facts, rules-facts §6.1); for a key the reference
 * lacks, the first file whose base name starts with "passport" if it has
 * the key, else the first file carrying it.  Values compare normalised:
 * dates are already ISO (facts parser); names ignore comma/space
 * separators but not case or spelling; numbers (card_number,
 * passport_number, postcode, phone) fold width and case and ignore
 * blanks and hyphens; other text folds width, case and repeated blanks.
 * *diffs (caller frees with free()) lists the disagreements, by file and
 * then line; strings point into the facts.  *ref receives the reference
 * index.  Errors: ZR_E_USAGE (n < 2), ZR_E_NOMEM.
 */
struct zr_agree_diff {
	const char *key;
	size_t file;           /* index into f */
	int line;
	const char *value;
	size_t ref_file;
	int ref_line;
	const char *ref_value;
};

int zr_agree_facts(struct zr_facts *const *f, size_t n, size_t *ref,
    struct zr_agree_diff **diffs, size_t *ndiffs, struct zr_error *err);

#endif
