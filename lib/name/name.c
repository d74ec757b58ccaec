/* libzairyu: names as on the residence card; the online form's spelling. */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/name.h"
#include "zairyu/rules.h"
#include "zairyu/text.h"
#include "name_int.h"

static const char *const kind_names[ZR_NK_COUNT_] = {
	"order", "case", "width", "spacing", "separator", "missing_part",
	"extra_part", "diacritic", "rejected_char", "near_miss", "length",
	"position", "check_digit", "expired", "date", "birth_date", "sex",
	"passport_number", "name", "transliterated", "truncated"
};

const char *
zr_name_kind_str(enum zr_name_kind kind)
{
	if ((int)kind < 0 || kind >= ZR_NK_COUNT_)
		return "unknown";
	return kind_names[kind];
}

void
zr_name_report_clear(struct zr_name_report *rep)
{
	rep->n = 0;
	rep->problems = 0;
}

void
zri_name_add(struct zr_name_report *rep, enum zr_name_kind kind, int note,
    int line, const char *fmt, ...)
{
	struct zr_name_finding *f;
	va_list ap;

	if (rep == NULL || rep->n >= ZR_NAME_MAX_FINDINGS)
		return;
	f = &rep->f[rep->n++];
	f->kind = kind;
	f->note = note;
	f->line = line;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	if (!note)
		rep->problems++;
}

/* A code point as text for messages: the character itself, or U+XXXX
 * for the invisible ones. */
void
zri_cp_text(int32_t cp, char buf[16])
{
	size_t n;

	if (cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad ||
	    (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
	    (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000 || cp == 0xfeff ||
	    (cp >= 0x300 && cp <= 0x36f)) {
		snprintf(buf, 16, "U+%04X", (unsigned)cp);
		return;
	}
	buf[0] = '"';
	n = zr_utf8_put(cp, buf + 1);
	buf[1 + n] = '"';
	buf[2 + n] = '\0';
}

static int
is_control(int32_t cp)
{
	/* C0, DEL, C1 and the Unicode line/paragraph separators. */
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
	    cp == 0x2029;
}

int
zr_name_validate(const char *s, size_t len, const char *subject,
    struct zr_error *err)
{
	const char *p = s, *end = s + len;
	size_t bad;
	int32_t cp;
	int blank = 1;

	if (len > ZR_NAME_MAX)
		return zr_error_set(err, ZR_E_NAME, subject,
		    "name longer than %d bytes", ZR_NAME_MAX);
	if (!zr_utf8_valid(s, len, &bad))
		return zr_error_set(err, ZR_E_UTF8, subject,
		    "invalid UTF-8 at byte %zu", bad + 1);
	while (p < end) {
		const char *at = p;
		cp = zr_utf8_next(&p, end);
		if (is_control(cp))
			return zr_error_set(err, ZR_E_NAME, subject,
			    "control character U+%04X at byte %zu", (unsigned)cp,
			    (size_t)(at - s) + 1);
		if (cp != ' ' && cp != 0x3000 && cp != 0xa0)
			blank = 0;
	}
	if (blank)
		return zr_error_set(err, ZR_E_NAME, subject, "empty name");
	return 0;
}

/*
 * Letters with diacritics: Latin-1 Supplement and Latin Extended-A,
 * U+00C0..U+017F, as their base letter ('*' = not a letter, '1'/'2' =
 * two-letter spellings below).  rules-facts §6.1: card and form use only
 * the 26 basic Latin letters.
 */
static const char latin_base[] =
	"AAAAAA2CEEEEIIII" "DNOOOOO*OUUUUY33"   /* U+00C0 */
	"AAAAAA2CEEEEIIII" "DNOOOOO*OUUUUY3Y"   /* U+00E0 */
	"AAAAAACCCCCCCCDD" "DDEEEEEEEEEEGGGG"   /* U+0100 */
	"GGGGHHHHIIIIIIII" "II11JJKKKLLLLLLL"   /* U+0120 */
	"LLLNNNNNNNNNOOOO" "OO22RRRRRRSSSSSS"   /* U+0140 */
	"SSTTTTTTUUUUUUUU" "UUUUWWYYYZZZZZZS";  /* U+0160 */

/*
 * Classify one code point.  For letters, card[] gets the spelling a
 * residence card carries and icao[] the ICAO 9303 Part 3 transliteration
 * used in the MRZ (Ä -> AE, Å -> AA, Ö/Ø -> OE, Ü -> UE; rules-facts §6.2).
 */
void
zri_classify(int32_t cp, struct zri_char *c)
{
	memset(c, 0, sizeof(*c));
	c->cls = ZRI_OTHER;
	if (zr_cp_halfwidth(cp) != cp) {
		/* Full-width ASCII or U+3000: fold, remember it was wide. */
		c->wide = 1;
		cp = zr_cp_halfwidth(cp);
	}
	if (cp >= 'a' && cp <= 'z') {
		c->lower = 1;
		cp -= 'a' - 'A';
	}
	if (cp >= 'A' && cp <= 'Z') {
		c->cls = ZRI_LETTER;
		c->card[0] = c->icao[0] = (char)cp;
		return;
	}
	switch (cp) {
	case ' ':
		c->cls = ZRI_SPACE;
		return;
	case ',':
		c->cls = ZRI_COMMA;
		return;
	case 0x3001:
		c->cls = ZRI_COMMA;
		c->wide = 1;
		return;
	case '-': case 0x2010: case 0x2011: case 0x2012: case 0x2013:
	case 0x2014: case 0x2015: case 0x2212:
		c->cls = ZRI_HYPHEN;
		return;
	case '\'': case '.': case '`': case 0x2018: case 0x2019: case 0x02bc:
		c->cls = ZRI_DROP;
		return;
	case 0xa0: case 0x202f: case 0x205f:
		c->cls = ZRI_SPACE;
		c->odd = 1;
		return;
	case 0xad: case 0x200b: case 0x200c: case 0x200d: case 0x2060:
	case 0xfeff:
		c->cls = ZRI_INVISIBLE;
		return;
	case 0x1e9e:                     /* capital sharp s */
		c->cls = ZRI_LETTER;
		c->diacritic = 1;
		memcpy(c->card, "SS", 3);
		memcpy(c->icao, "SS", 3);
		return;
	default:
		break;
	}
	if (cp >= 0x2000 && cp <= 0x200a) {
		c->cls = ZRI_SPACE;
		c->odd = 1;
		return;
	}
	if (cp >= 0x300 && cp <= 0x36f) {
		c->cls = ZRI_COMBINING;
		return;
	}
	if (cp >= 0xc0 && cp <= 0x17f) {
		char b = latin_base[cp - 0xc0];
		if (b == '*')
			return;
		c->cls = ZRI_LETTER;
		c->diacritic = 1;
		switch (b) {
		case '1':
			memcpy(c->card, "IJ", 3);
			break;
		case '2':
			memcpy(c->card, "AE", 3);
			if (cp == 0x152 || cp == 0x153)
				memcpy(c->card, "OE", 3);
			break;
		case '3':
			memcpy(c->card, cp == 0xde || cp == 0xfe ? "TH" : "SS",
			    3);
			break;
		default:
			c->card[0] = b;
		}
		memcpy(c->icao, c->card, sizeof(c->card));
		/* ICAO 9303 Part 3 spellings that differ from the base letter. */
		switch (cp) {
		case 0xc4: case 0xe4:
			memcpy(c->icao, "AE", 3);
			break;
		case 0xc5: case 0xe5:
			memcpy(c->icao, "AA", 3);
			break;
		case 0xd6: case 0xf6: case 0xd8: case 0xf8:
			memcpy(c->icao, "OE", 3);
			break;
		case 0xdc: case 0xfc:
			memcpy(c->icao, "UE", 3);
			break;
		default:
			break;
		}
		return;
	}
	/* Vietnamese (Latin Extended-B and Latin Extended Additional). */
	if (cp == 0x1a0 || cp == 0x1a1 || cp == 0x1af || cp == 0x1b0 ||
	    (cp >= 0x218 && cp <= 0x21b) || (cp >= 0x1ea0 && cp <= 0x1ef9)) {
		char b;
		if (cp == 0x1a0 || cp == 0x1a1)
			b = 'O';
		else if (cp == 0x1af || cp == 0x1b0)
			b = 'U';
		else if (cp == 0x218 || cp == 0x219)
			b = 'S';
		else if (cp == 0x21a || cp == 0x21b)
			b = 'T';
		else if (cp <= 0x1eb7)
			b = 'A';
		else if (cp <= 0x1ec7)
			b = 'E';
		else if (cp <= 0x1ecb)
			b = 'I';
		else if (cp <= 0x1ee3)
			b = 'O';
		else if (cp <= 0x1ef1)
			b = 'U';
		else
			b = 'Y';
		c->cls = ZRI_LETTER;
		c->diacritic = 1;
		c->card[0] = c->icao[0] = b;
		return;
	}
}

static void
add_cp(int32_t *list, size_t *n, size_t max, int32_t cp)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (list[i] == cp)
			return;
	if (*n < max)
		list[(*n)++] = cp;
}

static int
buf_put(char *buf, size_t *len, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > cap)
		return -1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

/*
 * Split a validated name into parts in card and ICAO spelling and note
 * everything a card or the form would not take.
 */
int
zri_scan(const char *s, struct zri_scan *sc, const char *subject,
    struct zr_error *err)
{
	const char *p = s, *end = s + strlen(s);
	struct zri_char c;
	size_t cl = 0, il = 0;
	int in_part = 0, spaces = 0, commas = 0, seps = 0;
	int32_t cp;

	memset(sc, 0, sizeof(*sc));
	sc->cbuf[0] = sc->ibuf[0] = '\0';
	while (p < end) {
		cp = zr_utf8_next(&p, end);
		zri_classify(cp, &c);
		if (c.wide)
			add_cp(sc->wide, &sc->nwide, ZRI_EX, cp);
		if (c.lower)
			add_cp(sc->lower, &sc->nlower, ZRI_EX, cp);
		switch (c.cls) {
		case ZRI_LETTER:
			if (!in_part) {
				if (sc->nparts == ZR_NAME_MAX_PARTS)
					return zr_error_set(err, ZR_E_NAME,
					    subject, "more than %d name parts",
					    ZR_NAME_MAX_PARTS);
				/* The separator run before this part. */
				if (sc->nparts == 0 && seps > 0)
					sc->leading = 1;
				if (sc->nparts > 0) {
					if (spaces > 1 || commas > 1)
						sc->doubled = 1;
					if (spaces > 0 && commas > 0)
						sc->mixed = 1;
					else if (commas > 0)
						sc->commas = 1;
					else if (spaces > 0)
						sc->spaces = 1;
				}
				/* Step over the NUL buf_put() left after the
				 * previous part: parts stay NUL-separated. */
				if (sc->nparts > 0) {
					cl++;
					il++;
				}
				sc->coff[sc->nparts] = cl;
				sc->ioff[sc->nparts] = il;
				sc->nparts++;
				in_part = 1;
				spaces = commas = seps = 0;
			}
			if (buf_put(sc->cbuf, &cl, sizeof(sc->cbuf), c.card) < 0 ||
			    buf_put(sc->ibuf, &il, sizeof(sc->ibuf), c.icao) < 0)
				return zr_error_set(err, ZR_E_NAME, subject,
				    "name too long");
			if (c.diacritic)
				add_cp(sc->dia, &sc->ndia, ZRI_EX, cp);
			if (strcmp(c.card, c.icao) != 0)
				sc->alt[sc->nparts - 1] = 1;
			break;
		case ZRI_SPACE:
		case ZRI_COMMA:
		case ZRI_HYPHEN:
			if (c.cls == ZRI_SPACE)
				spaces++;
			else if (c.cls == ZRI_COMMA)
				commas++;
			else
				add_cp(sc->hyphen, &sc->nhyphen, ZRI_EX, cp);
			if (c.odd)
				add_cp(sc->odd, &sc->nodd, ZRI_EX, cp);
			seps++;
			in_part = 0;
			break;
		case ZRI_COMBINING:
			add_cp(sc->combining, &sc->ncombining, ZRI_EX, cp);
			break;
		case ZRI_DROP:
			add_cp(sc->dropped, &sc->ndropped, ZRI_EX, cp);
			break;
		case ZRI_INVISIBLE:
		case ZRI_OTHER:
			add_cp(sc->rejected, &sc->nrejected, ZRI_EX, cp);
			break;
		}
	}
	if (seps > 0 && sc->nparts > 0)
		sc->trailing = 1;
	return 0;
}

void
zri_join(const struct zri_scan *sc, int sep, char *out, size_t outsz)
{
	size_t i, n = 0, k;
	const char *part;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < sc->nparts; i++) {
		part = sc->cbuf + sc->coff[i];
		k = strlen(part);
		if (n + k + (i > 0) + 1 > outsz)
			break;
		if (i > 0)
			out[n++] = (char)sep;
		memcpy(out + n, part, k);
		n += k;
		out[n] = '\0';
	}
}

static size_t
joined_len(const struct zri_scan *sc)
{
	size_t i, n = 0;

	for (i = 0; i < sc->nparts; i++)
		n += strlen(sc->cbuf + sc->coff[i]) + (i > 0);
	return n;
}

int
zr_name_card_spelling(const char *s, char *out, size_t outsz,
    struct zr_error *err)
{
	struct zri_scan *sc;
	char t[16];
	int rc = -1;

	if (zr_name_validate(s, strlen(s), NULL, err) < 0)
		return -1;
	if ((sc = malloc(sizeof(*sc))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	if (zri_scan(s, sc, NULL, err) < 0)
		goto out;
	if (sc->nrejected > 0) {
		zri_cp_text(sc->rejected[0], t);
		zr_error_set(err, ZR_E_NAME, NULL,
		    "character %s has no Latin spelling", t);
		goto out;
	}
	if (sc->nparts == 0) {
		zr_error_set(err, ZR_E_NAME, NULL, "no letters in the name");
		goto out;
	}
	if (joined_len(sc) + 1 > outsz) {
		zr_error_set(err, ZR_E_RANGE, NULL, "output buffer too small");
		goto out;
	}
	zri_join(sc, ' ', out, outsz);
	rc = 0;
out:
	free(sc);
	return rc;
}

/* What the card carries for a letter with a diacritic, as a message. */
static void
say_diacritic(struct zr_name_report *rep, int32_t cp, int this_card_icao)
{
	struct zri_char c;
	char t[16];

	zri_classify(cp, &c);
	zri_cp_text(cp, t);
	if (strcmp(c.card, c.icao) == 0)
		zri_name_add(rep, ZR_NK_DIACRITIC, 0, 0,
		    "%s is not on the card: the card carries %s", t, c.card);
	else if (this_card_icao)
		zri_name_add(rep, ZR_NK_DIACRITIC, 0, 0,
		    "%s is not on the card: this card carries %s (as the "
		    "passport MRZ does)", t, c.icao);
	else
		zri_name_add(rep, ZR_NK_DIACRITIC, 0, 0,
		    "%s is not on the card: the card carries %s (a passport "
		    "MRZ writes %s; check your card)", t, c.card, c.icao);
}

static int
rules_sep(struct zr_date rules, int *sep, long *maxc, struct zr_error *err)
{
	long v;

	/* rules-facts §6.1, §8: comma until 2026-01-04, space from then. */
	if ((v = zr_rule(ZR_R_NAME_SEPARATOR, rules, err)) < 0)
		return -1;
	*sep = (int)v;
	if (maxc != NULL &&
	    (*maxc = zr_rule(ZR_R_NAME_MAX_CHARS, rules, err)) < 0)
		return -1;
	return 0;
}

int
zr_name_form(const char *s, struct zr_date rules, char *out, size_t outsz,
    struct zr_name_report *rep, struct zr_error *err)
{
	struct zri_scan *sc;
	char t[16], d[ZR_DATE_BUFSZ];
	size_t i, n;
	long maxc;
	int sep, rc = -1;

	zr_name_report_clear(rep);
	if (outsz > 0)
		out[0] = '\0';
	if (zr_name_validate(s, strlen(s), NULL, err) < 0)
		return -1;
	if (rules_sep(rules, &sep, &maxc, err) < 0)
		return -1;
	if ((sc = malloc(sizeof(*sc))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	if (zri_scan(s, sc, NULL, err) < 0)
		goto out;
	for (i = 0; i < sc->nrejected; i++) {
		zri_cp_text(sc->rejected[i], t);
		zri_name_add(rep, ZR_NK_REJECTED_CHAR, 0, 0,
		    "character %s cannot be written on the online form "
		    "(only A-Z)", t);
	}
	if (sc->nparts == 0) {
		zri_name_add(rep, ZR_NK_REJECTED_CHAR, 0, 0,
		    "no Latin letters to write: the form takes the name as "
		    "on the residence card");
		rc = 0;
		goto out;
	}
	/* Notes: what the conversion did that the card may spell otherwise. */
	for (i = 0; i < sc->ndia; i++) {
		struct zri_char c;
		zri_classify(sc->dia[i], &c);
		zri_cp_text(sc->dia[i], t);
		if (strcmp(c.card, c.icao) == 0)
			zri_name_add(rep, ZR_NK_DIACRITIC, 1, 0,
			    "%s written as %s, as the card carries it", t,
			    c.card);
		else
			zri_name_add(rep, ZR_NK_DIACRITIC, 1, 0,
			    "%s written as %s; if the card carries %s (as a "
			    "passport MRZ), use that", t, c.card, c.icao);
	}
	for (i = 0; i < sc->nhyphen; i++) {
		zri_cp_text(sc->hyphen[i], t);
		zri_name_add(rep, ZR_NK_REJECTED_CHAR, 1, 0,
		    "hyphen %s written as a separator (as in the passport MRZ)",
		    t);
	}
	for (i = 0; i < sc->ndropped; i++) {
		zri_cp_text(sc->dropped[i], t);
		zri_name_add(rep, ZR_NK_REJECTED_CHAR, 1, 0,
		    "%s left out (the card and the MRZ omit it)", t);
	}
	n = joined_len(sc);
	if (n + 1 > outsz) {
		zr_error_set(err, ZR_E_RANGE, NULL, "output buffer too small");
		goto out;
	}
	zri_join(sc, sep, out, outsz);
	/* rules-facts §6.1 (RASENS form): at most name.max_chars. */
	if ((long)n > maxc)
		zri_name_add(rep, ZR_NK_LENGTH, 0, 0,
		    "%zu characters: the online form on %s takes at most %ld",
		    n, zr_date_format(rules, d), maxc);
	rc = 0;
out:
	free(sc);
	return rc;
}

/* Where two spellings of a part differ, as a message. */
void
zri_describe_miss(const char *g, const char *c, char *buf, size_t bufsz)
{
	size_t lg = strlen(g), lc = strlen(c), pre = 0, suf = 0, min;

	min = lg < lc ? lg : lc;
	while (pre < min && g[pre] == c[pre])
		pre++;
	while (suf < min - pre && g[lg - 1 - suf] == c[lc - 1 - suf])
		suf++;
	if (lg == lc && lg - pre - suf == 1)
		snprintf(buf, bufsz, "%s: letter %zu is %c, the card has %c "
		    "(%s)", g, pre + 1, g[pre], c[pre], c);
	else if (lg == lc && lg - pre - suf == 2 && g[pre] == c[pre + 1] &&
	    g[pre + 1] == c[pre])
		snprintf(buf, bufsz, "%s: letters %zu and %zu are swapped, the "
		    "card has %s", g, pre + 1, pre + 2, c);
	else if (lg == lc + 1 && lg - pre - suf == 1)
		snprintf(buf, bufsz, "%s: extra %c at letter %zu, the card has "
		    "%s", g, g[pre], pre + 1, c);
	else if (lc == lg + 1 && lc - pre - suf == 1)
		snprintf(buf, bufsz, "%s: %c missing at letter %zu, the card "
		    "has %s", g, c[pre], pre + 1, c);
	else
		snprintf(buf, bufsz, "%s: differs from the card's %s from "
		    "letter %zu", g, c, pre + 1);
}

/*
 * Edit distance counting a swap of two neighbours as one edit (optimal
 * string alignment), the usual typing slip.  Parts longer than 64
 * letters are not compared (returns a large number).
 */
static size_t
typo_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, v, t;
	size_t d[65][65];

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if ((t = d[i - 1][j] + 1) < v)
				v = t;
			if ((t = d[i][j - 1] + 1) < v)
				v = t;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && (t = d[i - 2][j - 2] + 1) < v)
				v = t;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* Does given part gi (either spelling) equal card part ci? 1 card, 2 icao. */
static int
part_match(const struct zri_scan *g, size_t gi, const struct zri_scan *c,
    size_t ci)
{
	const char *cp = c->cbuf + c->coff[ci];

	if (strcmp(g->cbuf + g->coff[gi], cp) == 0)
		return 1;
	if (g->alt[gi] && strcmp(g->ibuf + g->ioff[gi], cp) == 0)
		return 2;
	return 0;
}

/* Concatenation of parts [from, from+k) of a scan's card spelling. */
static int
concat_parts(const struct zri_scan *sc, size_t from, size_t k, char *out,
    size_t outsz)
{
	size_t i, n = 0, l;

	for (i = from; i < from + k; i++) {
		l = strlen(sc->cbuf + sc->coff[i]);
		if (n + l + 1 > outsz)
			return -1;
		memcpy(out + n, sc->cbuf + sc->coff[i], l);
		n += l;
	}
	out[n] = '\0';
	return 0;
}

/* The token-level comparison: parts, order, spacing, near misses. */
static void
compare_parts(const struct zri_scan *c, const struct zri_scan *g,
    struct zr_name_report *rep, int *used_icao)
{
	int gm[ZR_NAME_MAX_PARTS], cm[ZR_NAME_MAX_PARTS];
	char cardname[ZR_NAME_MAX + 1], buf[ZR_NAME_MAX + 1], msg[256];
	size_t i, j, k, nc = c->nparts, ng = g->nparts;
	int m, ordered, last;

	zri_join(c, ' ', cardname, sizeof(cardname));
	for (i = 0; i < ng; i++)
		gm[i] = -1;
	for (j = 0; j < nc; j++)
		cm[j] = -1;
	/* Exact matches, preferring the same position. */
	for (i = 0; i < ng; i++) {
		if (i < nc && (m = part_match(g, i, c, i)) != 0) {
			gm[i] = (int)i;
			cm[i] = (int)i;
			if (m == 2)
				*used_icao = 1;
		}
	}
	for (i = 0; i < ng; i++) {
		if (gm[i] >= 0)
			continue;
		for (j = 0; j < nc; j++) {
			if (cm[j] < 0 && (m = part_match(g, i, c, j)) != 0) {
				gm[i] = (int)j;
				cm[j] = (int)i;
				if (m == 2)
					*used_icao = 1;
				break;
			}
		}
	}
	/* A given part that is several card parts run together. */
	for (i = 0; i < ng; i++) {
		if (gm[i] >= 0)
			continue;
		for (j = 0; j < nc; j++) {
			for (k = 2; j + k <= nc; k++) {
				size_t t;
				int free_run = 1;
				for (t = j; t < j + k; t++)
					if (cm[t] >= 0)
						free_run = 0;
				if (!free_run)
					break;
				if (concat_parts(c, j, k, buf, sizeof(buf)) < 0)
					break;
				if (strcmp(buf, g->cbuf + g->coff[i]) == 0) {
					zri_join_range(c, j, k, ' ', buf,
					    sizeof(buf));
					zri_name_add(rep, ZR_NK_SPACING, 0, 0,
					    "%s: the card writes it as %zu "
					    "parts, %s", g->cbuf + g->coff[i],
					    k, buf);
					gm[i] = (int)j;
					for (t = j; t < j + k; t++)
						cm[t] = (int)i;
					goto next_g;
				}
			}
		}
next_g:
		;
	}
	/* Several given parts that are one card part split up. */
	for (i = 0; i < ng; i++) {
		if (gm[i] >= 0)
			continue;
		for (k = 2; i + k <= ng; k++) {
			size_t t;
			int free_run = 1;
			for (t = i; t < i + k; t++)
				if (gm[t] >= 0)
					free_run = 0;
			if (!free_run)
				break;
			if (concat_parts(g, i, k, buf, sizeof(buf)) < 0)
				break;
			for (j = 0; j < nc; j++) {
				if (cm[j] >= 0 ||
				    strcmp(buf, c->cbuf + c->coff[j]) != 0)
					continue;
				zri_join_range(g, i, k, ' ', buf, sizeof(buf));
				zri_name_add(rep, ZR_NK_SPACING, 0, 0,
				    "%s: one part on the card, %s", buf,
				    c->cbuf + c->coff[j]);
				for (t = i; t < i + k; t++)
					gm[t] = (int)j;
				cm[j] = (int)i;
				goto next_split;
			}
		}
next_split:
		;
	}
	/* Near misses: one letter off or two swapped (two edits for parts
	 * of five letters or more). */
	for (i = 0; i < ng; i++) {
		size_t best = (size_t)-1, bj = 0, d, lg, lc;
		const char *gp = g->cbuf + g->coff[i];
		if (gm[i] >= 0)
			continue;
		for (j = 0; j < nc; j++) {
			if (cm[j] >= 0)
				continue;
			d = typo_distance(gp, c->cbuf + c->coff[j]);
			if (d < best) {
				best = d;
				bj = j;
			}
		}
		if (best == (size_t)-1)
			continue;
		lg = strlen(gp);
		lc = strlen(c->cbuf + c->coff[bj]);
		if (best == 1 || (best == 2 && lg >= 5 && lc >= 5)) {
			zri_describe_miss(gp, c->cbuf + c->coff[bj], msg,
			    sizeof(msg));
			zri_name_add(rep, ZR_NK_NEAR_MISS, 0, 0, "%s", msg);
			gm[i] = (int)bj;
			cm[bj] = (int)i;
		}
	}
	for (j = 0; j < nc; j++)
		if (cm[j] < 0)
			zri_name_add(rep, ZR_NK_MISSING_PART, 0, 0,
			    "%s is missing (the card has %s)",
			    c->cbuf + c->coff[j], cardname);
	for (i = 0; i < ng; i++)
		if (gm[i] < 0)
			zri_name_add(rep, ZR_NK_EXTRA_PART, 0, 0,
			    "%s is not on the card (%s)", g->cbuf + g->coff[i],
			    cardname);
	/* Order of the parts that matched. */
	ordered = 1;
	last = -1;
	for (i = 0; i < ng; i++) {
		if (gm[i] < 0)
			continue;
		if (gm[i] < last)
			ordered = 0;
		last = gm[i];
	}
	if (!ordered) {
		/* The usual mistake: given names first, family name last. */
		if (nc >= 2 && ng >= 2 && gm[ng - 1] == 0)
			zri_name_add(rep, ZR_NK_ORDER, 0, 0,
			    "family name %s comes last: the card puts it "
			    "first (%s)", c->cbuf, cardname);
		else
			zri_name_add(rep, ZR_NK_ORDER, 0, 0,
			    "parts in a different order: the card has %s",
			    cardname);
	}
}

void
zri_join_range(const struct zri_scan *sc, size_t from, size_t k, int sep,
    char *out, size_t outsz)
{
	size_t i, n = 0, l;

	out[0] = '\0';
	for (i = from; i < from + k && i < sc->nparts; i++) {
		l = strlen(sc->cbuf + sc->coff[i]);
		if (n + l + 2 > outsz)
			return;
		if (i > from)
			out[n++] = (char)sep;
		memcpy(out + n, sc->cbuf + sc->coff[i], l);
		n += l;
		out[n] = '\0';
	}
}

static void
list_cps(const int32_t *cps, size_t n, char *buf, size_t bufsz)
{
	size_t i, len = 0;
	char t[16];

	buf[0] = '\0';
	for (i = 0; i < n && i < 3; i++) {
		zri_cp_text(cps[i], t);
		len = strlen(buf);
		snprintf(buf + len, bufsz - len, "%s%s", i > 0 ? ", " : "", t);
	}
	if (n > 3) {
		len = strlen(buf);
		snprintf(buf + len, bufsz - len, ", ...");
	}
}

int
zr_name_compare(const char *card, const char *given, struct zr_date rules,
    struct zr_name_report *rep, struct zr_error *err)
{
	struct zri_scan *c = NULL, *g = NULL;
	char list[128], t[16], d[ZR_DATE_BUFSZ];
	size_t i;
	int sep, used_icao = 0, rc = -1;

	zr_name_report_clear(rep);
	if (zr_name_validate(card, strlen(card), "card name", err) < 0 ||
	    zr_name_validate(given, strlen(given), NULL, err) < 0)
		return -1;
	if (rules_sep(rules, &sep, NULL, err) < 0)
		return -1;
	c = malloc(sizeof(*c));
	g = malloc(sizeof(*g));
	if (c == NULL || g == NULL) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		goto out;
	}
	if (zri_scan(card, c, "card name", err) < 0 ||
	    zri_scan(given, g, NULL, err) < 0)
		goto out;
	if (c->nrejected > 0) {
		zri_cp_text(c->rejected[0], t);
		zr_error_set(err, ZR_E_NAME, "card name",
		    "character %s has no Latin spelling", t);
		goto out;
	}
	if (c->nparts == 0) {
		zr_error_set(err, ZR_E_NAME, "card name", "no letters");
		goto out;
	}

	/* Characters: rules-facts §6.1, half-width capitals A-Z only. */
	if (g->nwide > 0) {
		list_cps(g->wide, g->nwide, list, sizeof(list));
		zri_name_add(rep, ZR_NK_WIDTH, 0, 0,
		    "full-width characters (%s): the card and the form use "
		    "half-width letters", list);
	}
	if (g->nlower > 0) {
		list_cps(g->lower, g->nlower, list, sizeof(list));
		zri_name_add(rep, ZR_NK_CASE, 0, 0,
		    "lowercase letters (%s): the card and the form use "
		    "capitals", list);
	}
	for (i = 0; i < g->nrejected; i++) {
		zri_cp_text(g->rejected[i], t);
		zri_name_add(rep, ZR_NK_REJECTED_CHAR, 0, 0,
		    "character %s is not accepted by the online form "
		    "(only A-Z)", t);
	}
	for (i = 0; i < g->nhyphen; i++) {
		zri_cp_text(g->hyphen[i], t);
		zri_name_add(rep, ZR_NK_REJECTED_CHAR, 0, 0,
		    "hyphen %s is not accepted by the online form: separate "
		    "the parts as the card does", t);
	}
	for (i = 0; i < g->ndropped; i++) {
		zri_cp_text(g->dropped[i], t);
		zri_name_add(rep, ZR_NK_REJECTED_CHAR, 0, 0,
		    "character %s is not accepted by the online form "
		    "(the card omits it)", t);
	}
	/* Separators: the card uses one space; the form its separator. */
	if (g->leading)
		zri_name_add(rep, ZR_NK_SPACING, 0, 0,
		    "space or separator before the name");
	if (g->trailing)
		zri_name_add(rep, ZR_NK_SPACING, 0, 0,
		    "space or separator after the name");
	if (g->doubled)
		zri_name_add(rep, ZR_NK_SPACING, 0, 0,
		    "more than one separator between two parts");
	if (g->nodd > 0) {
		list_cps(g->odd, g->nodd, list, sizeof(list));
		zri_name_add(rep, ZR_NK_SPACING, 0, 0,
		    "unusual space (%s): use a plain half-width space", list);
	}
	if (g->mixed)
		zri_name_add(rep, ZR_NK_SEPARATOR, 0, 0,
		    "comma and space together between parts: use one "
		    "separator");
	else if (g->commas && g->spaces && sep == ',')
		zri_name_add(rep, ZR_NK_SEPARATOR, 0, 0,
		    "commas and spaces mixed: the online form on %s wants "
		    "commas between all parts", zr_date_format(rules, d));
	else if (g->commas && sep != ',')
		/* rules-facts §6.1, §8: spaces on the form from 2026-01-05. */
		zri_name_add(rep, ZR_NK_SEPARATOR, 0, 0,
		    "commas between parts: the card and the online form on "
		    "%s use spaces", zr_date_format(rules, d));

	compare_parts(c, g, rep, &used_icao);

	for (i = 0; i < g->ndia; i++)
		say_diacritic(rep, g->dia[i], used_icao);
	for (i = 0; i < g->ncombining; i++) {
		zri_cp_text(g->combining[i], t);
		zri_name_add(rep, ZR_NK_DIACRITIC, 0, 0,
		    "combining accent %s is not on the card: write the plain "
		    "letter", t);
	}
	rc = 0;
out:
	free(c);
	free(g);
	return rc;
}

/* Agreement of several documents' facts. */

static int
base_starts(const char *path, const char *prefix)
{
	const char *b = strrchr(path, '/');

	b = b != NULL ? b + 1 : path;
	return strncmp(b, prefix, strlen(prefix)) == 0;
}

static int
diff_cmp(const void *a, const void *b)
{
	const struct zr_agree_diff *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

int
zr_agree_facts(struct zr_facts *const *f, size_t n, size_t *ref,
    struct zr_agree_diff **diffs, size_t *ndiffs, struct zr_error *err)
{
	const struct zr_fact_key *keys;
	struct zr_agree_diff *d = NULL;
	size_t nkeys, i, k, r, nd = 0, pass;

	*diffs = NULL;
	*ndiffs = 0;
	if (n < 2)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "two or more documents are needed to compare");
	/* rules-facts §6.1: the residence card is what others must match. */
	*ref = 0;
	pass = n;
	for (i = n; i-- > 0;) {
		if (base_starts(zr_facts_name(f[i]), "card"))
			*ref = i;
		if (base_starts(zr_facts_name(f[i]), "passport"))
			pass = i;
	}
	keys = zr_facts_keys(&nkeys);
	if ((d = calloc(n * nkeys, sizeof(*d))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	for (k = 0; k < nkeys; k++) {
		const char *key = keys[k].key;
		r = *ref;
		/* Without the card's value, the passport is the authority for
		 * what it carries, then the first document with the key. */
		if (zr_facts_get(f[r], key) == NULL && pass < n &&
		    zr_facts_get(f[pass], key) != NULL)
			r = pass;
		if (zr_facts_get(f[r], key) == NULL) {
			for (r = 0; r < n; r++)
				if (zr_facts_get(f[r], key) != NULL)
					break;
			if (r == n)
				continue;
		}
		for (i = 0; i < n; i++) {
			const char *v = zr_facts_get(f[i], key);
			int same;

			if (i == r || v == NULL)
				continue;
			if ((same = zr_facts_same(key, zr_facts_get(f[r], key),
			    v)) < 0)
				goto nomem;
			if (!same) {
				d[nd].key = key;
				d[nd].file = i;
				d[nd].line = zr_facts_line(f[i], key);
				d[nd].value = v;
				d[nd].ref_file = r;
				d[nd].ref_line = zr_facts_line(f[r], key);
				d[nd].ref_value = zr_facts_get(f[r], key);
				nd++;
			}
		}
	}
	qsort(d, nd, sizeof(*d), diff_cmp);
	if (nd == 0) {
		free(d);
		d = NULL;
	}
	*diffs = d;
	*ndiffs = nd;
	return 0;
nomem:
	free(d);
	return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
}
