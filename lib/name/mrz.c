/* libzairyu: passport machine readable zone, ICAO 9303 TD3. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/name.h"
#include "zairyu/rules.h"
#include "zairyu/text.h"
#include "name_int.h"

int
zr_mrz_check_digit(const char *s, size_t n)
{
	/* rules-facts §6.2 (ICAO 9303 Part 3, 4.9): weights 7, 3, 1. */
	static const int w[3] = { 7, 3, 1 };
	size_t i;
	int sum = 0, v;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'A' && c <= 'Z')
			v = c - 'A' + 10;
		else if (c == '<')
			v = 0;
		else
			return -1;
		sum += v * w[i % 3];
	}
	return sum % 10;
}

static int
mrz_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
}

/* Copy s[0..n-1] into out, '<' -> ' ', fillers at the ends removed and
 * runs of fillers made one space. */
static void
unfill(const char *s, size_t n, char *out)
{
	size_t i, o = 0;
	int gap = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '<') {
			gap = 1;
			continue;
		}
		if (gap && o > 0)
			out[o++] = ' ';
		gap = 0;
		out[o++] = s[i];
	}
	out[o] = '\0';
}

/* The syntax of each position of line 2 (TD3, 1-based in messages). */
static int
check_line2(const char *l, const char *subject, int lineno,
    struct zr_error *err)
{
	static const char *const what[] = {
		"document number", "check digit", "nationality",
		"birth date", "sex", "expiry date", "optional data"
	};
	int i, k;
	char c;

	for (i = 0; i < ZR_MRZ_LEN; i++) {
		c = l[i];
		if (i < 9)
			continue;                       /* number: any */
		if (i == 9 || i == 19 || i == 27 || i == 43) {
			k = 1;
			if (c >= '0' && c <= '9')
				continue;
		} else if (i == 42) {
			k = 1;                          /* optional check */
			if ((c >= '0' && c <= '9') || c == '<')
				continue;
		} else if (i >= 10 && i <= 12) {
			k = 2;
			if ((c >= 'A' && c <= 'Z') || c == '<')
				continue;
		} else if ((i >= 13 && i <= 18) || (i >= 21 && i <= 26)) {
			k = i <= 18 ? 3 : 5;
			if ((c >= '0' && c <= '9') || c == '<')
				continue;
		} else if (i == 20) {
			k = 4;
			if (c == 'M' || c == 'F' || c == 'X' || c == '<')
				continue;
		} else {
			continue;                       /* optional data */
		}
		zr_error_set(err, ZR_E_MRZ, subject,
		    "column %d: '%c' cannot be in the %s", i + 1, c, what[k]);
		return zr_error_line(err, lineno);
	}
	return 0;
}

int
zr_mrz_parse(const char *text, size_t len, const char *subject,
    struct zr_mrz *m, struct zr_error *err)
{
	const char *p = text, *end = text + len, *l;
	const char *lines[2];
	size_t lens[2], n, i;
	int lineno = 0, nlines = 0, nums[2];
	const char *l1, *l2, *field, *dbl;
	char buf[64];

	memset(m, 0, sizeof(*m));
	p = zr_text_lines_start(text, len);
	while ((l = zr_text_line(&p, end, &n)) != NULL) {
		lineno++;
		while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == ' ' ||
		    l[n - 1] == '\t'))
			n--;
		if (n > 0) {
			if (nlines == 2) {
				zr_error_set(err, ZR_E_MRZ, subject,
				    "more than two lines: a passport MRZ "
				    "(TD3) has two lines of 44 characters");
				return zr_error_line(err, lineno);
			}
			lines[nlines] = l;
			lens[nlines] = n;
			nums[nlines] = lineno;
			nlines++;
		}
	}
	if (nlines == 0)
		return zr_error_set(err, ZR_E_EMPTY, subject,
		    "no MRZ: expected two lines of 44 characters");
	for (i = 0; i < (size_t)nlines; i++) {
		size_t j;
		for (j = 0; j < lens[i]; j++) {
			unsigned char c = (unsigned char)lines[i][j];
			if (mrz_char((char)c))
				continue;
			if (c >= 0x80 || c < 0x20 || c == 0x7f)
				snprintf(buf, sizeof(buf), "byte 0x%02X", c);
			else
				snprintf(buf, sizeof(buf), "'%c'", c);
			zr_error_set(err, ZR_E_MRZ, subject,
			    "column %zu: illegal character %s (an MRZ has "
			    "only A-Z, 0-9 and <)", j + 1, buf);
			return zr_error_line(err, nums[i]);
		}
		if (lens[i] != ZR_MRZ_LEN) {
			zr_error_set(err, ZR_E_MRZ, subject,
			    "%zu characters: a passport MRZ (TD3) line has 44",
			    lens[i]);
			return zr_error_line(err, nums[i]);
		}
	}
	if (nlines != 2) {
		zr_error_set(err, ZR_E_MRZ, subject,
		    "one line: a passport MRZ (TD3) has two lines of 44 "
		    "characters");
		return zr_error_line(err, nums[0]);
	}
	memcpy(m->line1, lines[0], ZR_MRZ_LEN);
	memcpy(m->line2, lines[1], ZR_MRZ_LEN);
	m->lineno1 = nums[0];
	m->lineno2 = nums[1];
	l1 = m->line1;
	l2 = m->line2;

	/* Line 1: P, type, issuing state, name (ICAO 9303 Part 4, 4.2.2). */
	if (l1[0] != 'P') {
		zr_error_set(err, ZR_E_MRZ, subject,
		    "column 1: '%c': a passport MRZ starts with P", l1[0]);
		return zr_error_line(err, nums[0]);
	}
	for (i = 1; i < 5; i++)
		if (l1[i] >= '0' && l1[i] <= '9') {
			zr_error_set(err, ZR_E_MRZ, subject,
			    "column %zu: digit in the %s", i + 1,
			    i == 1 ? "document type" : "issuing state");
			return zr_error_line(err, nums[0]);
		}
	for (i = 5; i < ZR_MRZ_LEN; i++)
		if (l1[i] >= '0' && l1[i] <= '9') {
			zr_error_set(err, ZR_E_MRZ, subject,
			    "column %zu: digit in the name", i + 1);
			return zr_error_line(err, nums[0]);
		}
	if (check_line2(l2, subject, nums[1], err) < 0)
		return -1;

	unfill(l1, 2, m->type);
	unfill(l1 + 2, 3, m->issuer);
	field = l1 + 5;
	/* Primary identifier, "<<", secondary identifiers (Part 4, 4.6). */
	dbl = NULL;
	for (i = 0; i + 1 < 39; i++)
		if (field[i] == '<' && field[i + 1] == '<') {
			dbl = field + i;
			break;
		}
	if (dbl == NULL) {
		unfill(field, 39, m->primary);
	} else {
		unfill(field, (size_t)(dbl - field), m->primary);
		unfill(dbl + 2, (size_t)(field + 39 - dbl - 2), m->secondary);
	}
	/* A name that fills the field may have been cut (Part 4, 4.6.5). */
	m->truncated = field[38] != '<';

	unfill(l2, 9, m->number);
	unfill(l2 + 10, 3, m->nationality);
	memcpy(m->birth, l2 + 13, 6);
	m->sex = l2[20];
	memcpy(m->expiry, l2 + 21, 6);
	unfill(l2 + 28, 14, m->optional);

	/* Check digits (rules-facts §6.2). */
	{
		static const struct { int from, len, at; } f[] = {
			{ 0, 9, 9 }, { 13, 6, 19 }, { 21, 6, 27 },
			{ 28, 14, 42 }
		};
		char comp[39];
		for (i = 0; i < 4; i++) {
			struct zr_mrz_digit *d = &m->check[i];
			d->given = l2[f[i].at];
			d->computed = zr_mrz_check_digit(l2 + f[i].from,
			    (size_t)f[i].len);
			d->ok = d->given - '0' == d->computed;
		}
		/* All-filler optional data: '<' stands for 0 [U which]. */
		if (m->optional[0] == '\0' && l2[42] == '<')
			m->check[ZR_MRZ_OPTIONAL].ok = 1;
		memcpy(comp, l2, 10);
		memcpy(comp + 10, l2 + 13, 7);
		memcpy(comp + 17, l2 + 21, 22);
		m->check[ZR_MRZ_COMPOSITE].given = l2[43];
		m->check[ZR_MRZ_COMPOSITE].computed =
		    zr_mrz_check_digit(comp, sizeof(comp));
		m->check[ZR_MRZ_COMPOSITE].ok = l2[43] - '0' ==
		    m->check[ZR_MRZ_COMPOSITE].computed;
	}
	return 0;
}

int
zr_mrz_date(const char *s, int is_birth, struct zr_date today,
    struct zr_date *out)
{
	int i, yy, mm, dd, y;

	for (i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	yy = (s[0] - '0') * 10 + (s[1] - '0');
	mm = (s[2] - '0') * 10 + (s[3] - '0');
	dd = (s[4] - '0') * 10 + (s[5] - '0');
	y = 2000 + yy;
	if (is_birth) {
		struct zr_date t = { y, mm, dd };
		/* Born on or before today: else the previous century. */
		if (y > today.y || (zr_date_valid(y, mm, dd) &&
		    zr_date_cmp(t, today) > 0))
			y -= 100;
	}
	if (!zr_date_valid(y, mm, dd))
		return -1;
	out->y = y;
	out->m = mm;
	out->d = dd;
	return 0;
}

int
zr_mrz_name_field(const char *card, size_t nprimary, char out[40])
{
	size_t o = 0, part = 0, i;
	int cut = 0, in_part = 0;

	/* ICAO 9303 Part 4, 4.6: parts joined by '<', "<<" after the
	 * primary identifier, filled with '<' to 39, truncated at 39. */
	for (i = 0; card[i] != '\0'; i++) {
		char c = card[i];
		if (c == ' ') {
			in_part = 0;
			continue;
		}
		if (!in_part) {
			if (part > 0) {
				int k = part == nprimary ? 2 : 1;
				while (k-- > 0) {
					if (o == 39) {
						cut = 1;
						break;
					}
					out[o++] = '<';
				}
			}
			part++;
			in_part = 1;
		}
		if (o == 39) {
			cut = 1;
			break;
		}
		out[o++] = c;
	}
	while (o < 39)
		out[o++] = '<';
	out[39] = '\0';
	return cut;
}

/* Fold the MRZ transliterations back (AE->A, OE->O, UE->U, AA->A) so
 * that MUELLER and MULLER compare equal (rules-facts §6.2). */
static void
fold_translit(const char *s, char *out)
{
	size_t o = 0;

	while (*s != '\0') {
		if ((s[0] == 'A' && (s[1] == 'E' || s[1] == 'A')) ||
		    ((s[0] == 'O' || s[0] == 'U') && s[1] == 'E')) {
			out[o++] = s[0];
			s += 2;
			continue;
		}
		out[o++] = *s++;
	}
	out[o] = '\0';
}

/* Split a space-separated name into at most max words (in place). */
static size_t
split_words(char *s, char **w, size_t max)
{
	size_t n = 0;
	char *p = s;

	while (*p != '\0' && n < max) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		w[n++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if (*p == ' ')
			*p++ = '\0';
	}
	return n;
}

/* The first day the rules table separates name parts with a space
 * (name.separator, rules-facts §1); the table, not a date written here. */
static struct zr_date
space_separator_day(void)
{
	const struct zr_rule *t;
	struct zr_date d = { 0, 0, 0 };
	size_t n, i;

	t = zr_rules_table(&n);
	for (i = 0; i < n; i++)
		if (t[i].id == ZR_R_NAME_SEPARATOR && t[i].value == ' ') {
			d = t[i].from;
			break;
		}
	return d;
}

static int
verify_name(const struct zr_mrz *m, const char *card,
    struct zr_name_report *rep, struct zr_error *err)
{
	const struct zr_date space_rules = space_separator_day();
	char spelled[ZR_NAME_MAX + 1], cw_buf[ZR_NAME_MAX + 1];
	char mrzname[82], mw_buf[82], enc[40], a[ZR_NAME_MAX + 1], b[82];
	char *cw[ZR_NAME_MAX_PARTS], *mw[40];
	size_t nc, nm, np, i;
	int cut, agree = 1, translit = 0, ln = m->lineno1;
	struct zr_name_report sub;
	char pw_buf[40], *pw[40];

	if (zr_name_card_spelling(card, spelled, sizeof(spelled), err) < 0) {
		if (err != NULL)
			snprintf(err->subject, sizeof(err->subject),
			    "card name");
		return -1;
	}
	snprintf(pw_buf, sizeof(pw_buf), "%s", m->primary);
	np = split_words(pw_buf, pw, 40);
	if (np == 0)
		np = 1;
	cut = zr_mrz_name_field(spelled, np, enc);
	if (memcmp(enc, m->line1 + 5, 39) == 0) {
		if (cut)
			zri_name_add(rep, ZR_NK_TRUNCATED, 1, ln,
			    "the MRZ name field is full: it carries the card's "
			    "name %s cut at 39 characters", spelled);
		return 0;
	}
	/* Word by word, allowing the MRZ transliterations and a cut. */
	snprintf(mrzname, sizeof(mrzname), "%s%s%s", m->primary,
	    m->secondary[0] != '\0' ? " " : "", m->secondary);
	snprintf(cw_buf, sizeof(cw_buf), "%s", spelled);
	snprintf(mw_buf, sizeof(mw_buf), "%s", mrzname);
	nc = split_words(cw_buf, cw, ZR_NAME_MAX_PARTS);
	nm = split_words(mw_buf, mw, 40);
	if (nm == 0 || nm > nc || (nm < nc && !m->truncated))
		agree = 0;
	for (i = 0; agree && i < nm; i++) {
		fold_translit(cw[i], a);
		fold_translit(mw[i], b);
		if (strcmp(a, b) == 0) {
			if (strcmp(cw[i], mw[i]) != 0)
				translit = 1;
			continue;
		}
		/* The last word of a full field may be cut short. */
		if (i == nm - 1 && m->truncated &&
		    strncmp(a, b, strlen(b)) == 0) {
			if (strncmp(cw[i], mw[i], strlen(mw[i])) != 0)
				translit = 1;
			continue;
		}
		agree = 0;
	}
	if (agree) {
		if (translit)
			zri_name_add(rep, ZR_NK_TRANSLITERATED, 1, ln,
			    "the MRZ writes %s, the card %s: ICAO "
			    "transliteration (Ä->AE, Ö->OE, Ü->UE, Å->AA)",
			    mrzname, spelled);
		if (m->truncated)
			zri_name_add(rep, ZR_NK_TRUNCATED, 1, ln,
			    "the MRZ name field is full: the name may be cut "
			    "at 39 characters");
		return 0;
	}
	zri_name_add(rep, ZR_NK_NAME, 0, ln,
	    "MRZ name %s does not agree with the card's %s", mrzname,
	    spelled);
	/* Say how, with the name comparison (the MRZ as the given name).
	 * The MRZ name is space-separated, which every rules date takes
	 * (separator findings are dropped below), so the date the space
	 * separator came in is used rather than one the table may lack. */
	if (zr_name_compare(spelled, mrzname, space_rules, &sub, NULL) == 0) {
		for (i = 0; i < sub.n; i++)
			if (sub.f[i].kind != ZR_NK_SEPARATOR &&
			    sub.f[i].kind != ZR_NK_SPACING)
				zri_name_add(rep, sub.f[i].kind, 0, ln,
				    "MRZ name: %s", sub.f[i].msg);
	}
	return 0;
}

int
zr_mrz_verify(const struct zr_mrz *m, const struct zr_mrz_expect *x,
    struct zr_name_report *rep, struct zr_error *err)
{
	static const char *const names[ZR_MRZ_NFIELDS_] = {
		"document number", "birth date", "expiry date",
		"optional data", "composite"
	};
	static const int cols[ZR_MRZ_NFIELDS_] = { 10, 20, 28, 43, 44 };
	struct zr_date birth, expiry, today = x->today;
	char d1[ZR_DATE_BUFSZ], d2[ZR_DATE_BUFSZ];
	int i, l2 = m->lineno2, have_birth, have_expiry;

	zr_name_report_clear(rep);
	for (i = 0; i < ZR_MRZ_NFIELDS_; i++) {
		const struct zr_mrz_digit *d = &m->check[i];
		if (!d->ok)
			zri_name_add(rep, ZR_NK_CHECK_DIGIT, 0, l2,
			    "%s check digit (column %d) is %c, computed %d",
			    names[i], cols[i], d->given, d->computed);
	}
	have_birth = zr_mrz_date(m->birth, 1, today, &birth) == 0;
	if (!have_birth && strchr(m->birth, '<') == NULL)
		zri_name_add(rep, ZR_NK_DATE, 0, l2,
		    "birth date %s (columns 14-19) is not a date", m->birth);
	have_expiry = zr_mrz_date(m->expiry, 0, today, &expiry) == 0;
	if (!have_expiry)
		zri_name_add(rep, ZR_NK_DATE, 0, l2,
		    "expiry date %s (columns 22-27) is not a date", m->expiry);
	else if (zr_date_cmp(expiry, today) < 0)
		zri_name_add(rep, ZR_NK_EXPIRED, 0, l2,
		    "passport expired on %s", zr_date_format(expiry, d1));
	if (x->birth != NULL && have_birth &&
	    (x->birth->y % 100 != birth.y % 100 || x->birth->m != birth.m ||
	    x->birth->d != birth.d)) {
		struct zr_date shown = birth;
		/* Show the MRZ date in the card's century when it matches. */
		shown.y = x->birth->y - x->birth->y % 100 + birth.y % 100;
		if (!zr_date_valid(shown.y, shown.m, shown.d))
			shown = birth;
		zri_name_add(rep, ZR_NK_BIRTH_DATE, 0, l2,
		    "birth date %s differs from the card's %s",
		    zr_date_format(shown, d1), zr_date_format(*x->birth, d2));
	}
	if (x->sex != 0 && m->sex != x->sex &&
	    !(m->sex == '<' && x->sex == 'X') &&
	    !(m->sex == 'X' && x->sex == 'X'))
		zri_name_add(rep, ZR_NK_SEX, 0, l2,
		    "sex %c (column 21) differs from the card's %c", m->sex,
		    x->sex);
	if (x->passport_number != NULL) {
		char num[ZR_NAME_MAX + 1];
		size_t o = 0;
		const char *p = x->passport_number, *end = p + strlen(p);
		while (p < end && o + 1 < sizeof(num)) {
			/* The facts may give the number in full width. */
			int32_t cp = zr_cp_halfwidth(zr_utf8_next(&p, end));
			if (cp >= 'a' && cp <= 'z')
				cp -= 'a' - 'A';
			if (cp == ' ' || cp == '-' || cp < 0)
				continue;
			num[o++] = cp < 0x80 ? (char)cp : '?';
		}
		num[o] = '\0';
		if (strcmp(num, m->number) != 0)
			zri_name_add(rep, ZR_NK_NUMBER, 0, l2,
			    "passport number %s differs from the facts' %s",
			    m->number, num);
	}
	if (x->card_name != NULL &&
	    verify_name(m, x->card_name, rep, err) < 0)
		return -1;
	return 0;
}
