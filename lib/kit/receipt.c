/* libzairyu: online application receipt numbers (申請受付番号). */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "zairyu/mail.h"
#include "zairyu/text.h"

/*
 * rules-facts §6.5 (BDHUB, RCPTNO): 1 kanji (office) + オン + 2 letters +
 * 8 digits, seen as 福オンＥＮ25001878 with full-width letters and
 * half-width digits.  Mails and people write either width, so every part
 * is read width-insensitively and written back in the seen form.
 */

static int
is_kanji(int32_t c)
{
	return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0xf900 && c <= 0xfaff);
}

/* A letter of either width folded to an ASCII capital, or 0. */
static char
letter_of(int32_t c)
{
	c = zr_cp_halfwidth(c);
	if (c >= 'A' && c <= 'Z')
		return (char)c;
	if (c >= 'a' && c <= 'z')
		return (char)(c - 'a' + 'A');
	return 0;
}

/* A digit of either width, or 0. */
static char
digit_of(int32_t c)
{
	c = zr_cp_halfwidth(c);
	if (c >= '0' && c <= '9')
		return (char)c;
	return 0;
}

/* オ (or half-width ｵ) then ン (ﾝ). */
static int
is_o(int32_t c)
{
	return c == 0x30aa || c == 0xff75;
}

static int
is_n(int32_t c)
{
	return c == 0x30f3 || c == 0xff9d;
}

enum part { P_OK, P_OFFICE, P_ON, P_LETTERS, P_DIGITS, P_TRAILING };

/*
 * Match a receipt number at s (before end).  Returns P_OK and fills *r and
 * *after, or the part that failed.  Digits must not continue past eight
 * (a ninth digit is P_DIGITS).
 */
static enum part
match_at(const char *s, const char *end, struct zr_receipt *r,
    const char **after)
{
	const char *p = s, *q;
	int32_t c;
	int i;
	char ch;

	q = p;
	c = zr_utf8_next(&p, end);
	if (!is_kanji(c))
		return P_OFFICE;
	if ((size_t)(p - q) >= sizeof(r->office))
		return P_OFFICE;
	memcpy(r->office, q, (size_t)(p - q));
	r->office[p - q] = '\0';
	if (p >= end || !is_o(zr_utf8_next(&p, end)))
		return P_ON;
	if (p >= end || !is_n(zr_utf8_next(&p, end)))
		return P_ON;
	for (i = 0; i < 2; i++) {
		if (p >= end || (ch = letter_of(zr_utf8_next(&p, end))) == 0)
			return P_LETTERS;
		r->letters[i] = ch;
	}
	r->letters[2] = '\0';
	for (i = 0; i < 8; i++) {
		if (p >= end || (ch = digit_of(zr_utf8_next(&p, end))) == 0)
			return P_DIGITS;
		r->digits[i] = ch;
	}
	r->digits[8] = '\0';
	q = p;
	if (q < end && digit_of(zr_utf8_next(&q, end)) != 0)
		return P_DIGITS;
	*after = p;
	return P_OK;
}

static int
is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
}

int
zr_receipt_parse(const char *s, struct zr_receipt *r, struct zr_error *err)
{
	const char *end = s + strlen(s), *p, *q, *t, *after = NULL;
	static const char shape[] = "expected an office kanji, オン, 2 letters "
	    "and 8 digits, as in 福オンＥＮ25001878";
	const char *what;
	struct zr_receipt tmp;

	if (!zr_utf8_valid(s, (size_t)(end - s), NULL))
		return zr_error_set(err, ZR_E_UTF8, NULL,
		    "receipt number is not valid UTF-8");
	/* Trim white space of either width. */
	for (p = s; p < end; p = q) {
		q = p;
		if (!is_space(zr_utf8_next(&q, end)))
			break;
	}
	while (end > p) {
		q = end - 1;
		while (q > p && ((unsigned char)*q & 0xc0) == 0x80)
			q--;
		t = q;
		if (!is_space(zr_utf8_next(&t, end)))
			break;
		end = q;
	}
	if (p == end)
		return zr_error_set(err, ZR_E_NUMBER, NULL,
		    "receipt number is empty; %s", shape);
	switch (match_at(p, end, &tmp, &after)) {
	case P_OK:
		if (after != end) {
			what = "something after the 8 digits";
			break;
		}
		*r = tmp;
		return 0;
	case P_OFFICE:
		what = "it does not start with the office kanji";
		break;
	case P_ON:
		what = "no オン after the office kanji";
		break;
	case P_LETTERS:
		what = "no 2 letters after オン";
		break;
	case P_DIGITS:
	default:
		what = "not exactly 8 digits after the letters";
		break;
	}
	return zr_error_set(err, ZR_E_NUMBER, NULL,
	    "receipt number \"%.60s\": %s; %s", p, what, shape);
}

int
zr_receipt_find(const char *text, size_t len, size_t *pos, size_t *end,
    struct zr_receipt *r)
{
	const char *e = text + len, *p = text + *pos, *q, *after;
	struct zr_receipt tmp;

	while (p < e) {
		q = p;
		if (is_kanji(zr_utf8_next(&q, e)) &&
		    match_at(p, e, &tmp, &after) == P_OK) {
			*r = tmp;
			*pos = (size_t)(p - text);
			*end = (size_t)(after - text);
			return 1;
		}
		p = q;
	}
	return 0;
}

char *
zr_receipt_format(const struct zr_receipt *r, char *buf)
{
	size_t n = strlen(r->office);
	int i;

	memcpy(buf, r->office, n);
	memcpy(buf + n, "オン", 6);
	n += 6;
	for (i = 0; i < 2; i++)
		n += zr_utf8_put(0xff21 + (r->letters[i] - 'A'), buf + n);
	memcpy(buf + n, r->digits, 8);
	buf[n + 8] = '\0';
	return buf;
}

int
zr_receipt_equal(const struct zr_receipt *a, const struct zr_receipt *b)
{
	return strcmp(a->office, b->office) == 0 &&
	    strcmp(a->letters, b->letters) == 0 &&
	    strcmp(a->digits, b->digits) == 0;
}
