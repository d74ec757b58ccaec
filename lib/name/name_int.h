/* libzairyu: internals shared by name.c, mrz.c and idnum.c (not installed). */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_NAME_INT_H
#define ZAIRYU_NAME_INT_H

#include <stddef.h>
#include <stdint.h>

#include "zairyu/name.h"

enum zri_class {
	ZRI_LETTER,     /* A-Z after folding, or a letter with a diacritic */
	ZRI_SPACE,      /* space, ideographic space, no-break spaces */
	ZRI_COMMA,      /* , and 、 */
	ZRI_HYPHEN,     /* - and the Unicode dashes */
	ZRI_DROP,       /* apostrophes and dots: omitted (ICAO 9303 Part 3) */
	ZRI_COMBINING,  /* combining accents U+0300..U+036F */
	ZRI_INVISIBLE,  /* zero-width characters, soft hyphen */
	ZRI_OTHER       /* no Latin spelling: digits, kanji, symbols */
};

struct zri_char {
	enum zri_class cls;
	int wide;       /* full-width form */
	int lower;      /* lowercase */
	int odd;        /* a space that is not U+0020 or U+3000 */
	int diacritic;  /* a letter with a diacritic */
	char card[3];   /* spelling on the card (letters only) */
	char icao[3];   /* spelling in the MRZ */
};

void zri_classify(int32_t cp, struct zri_char *c);

/* Examples kept per kind of finding. */
#define ZRI_EX 8

struct zri_scan {
	size_t nparts;
	size_t coff[ZR_NAME_MAX_PARTS], ioff[ZR_NAME_MAX_PARTS];
	int alt[ZR_NAME_MAX_PARTS];          /* ICAO spelling differs */
	char cbuf[2 * ZR_NAME_MAX + 2];      /* card spelling, NUL-separated */
	char ibuf[2 * ZR_NAME_MAX + 2];      /* ICAO spelling */
	int leading, trailing, doubled, mixed, commas, spaces;
	int32_t wide[ZRI_EX], lower[ZRI_EX], dia[ZRI_EX], odd[ZRI_EX];
	int32_t hyphen[ZRI_EX], dropped[ZRI_EX], rejected[ZRI_EX];
	int32_t combining[ZRI_EX];
	size_t nwide, nlower, ndia, nodd, nhyphen, ndropped, nrejected;
	size_t ncombining;
};

int zri_scan(const char *s, struct zri_scan *sc, const char *subject,
    struct zr_error *err);
void zri_join(const struct zri_scan *sc, int sep, char *out, size_t outsz);
void zri_join_range(const struct zri_scan *sc, size_t from, size_t k,
    int sep, char *out, size_t outsz);
void zri_describe_miss(const char *g, const char *c, char *buf,
    size_t bufsz);
void zri_cp_text(int32_t cp, char buf[16]);
void zri_name_add(struct zr_name_report *rep, enum zr_name_kind kind,
    int note, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

#endif
