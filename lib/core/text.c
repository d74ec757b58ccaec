/* libzairyu: UTF-8 validation, decoding and width folding. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/error.h"
#include "zairyu/text.h"

int32_t
zr_utf8_next(const char **pp, const char *end)
{
	const unsigned char *p = (const unsigned char *)*pp;
	const unsigned char *e = (const unsigned char *)end;
	int32_t cp, min;
	int n, i;

	if (p >= e)
		return -1;
	if (p[0] < 0x80) {
		*pp += 1;
		return p[0];
	} else if ((p[0] & 0xe0) == 0xc0) {
		n = 1, cp = p[0] & 0x1f, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 2, cp = p[0] & 0x0f, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 3, cp = p[0] & 0x07, min = 0x10000;
	} else {
		*pp += 1;
		return -1;
	}
	if (e - p <= n) {
		*pp += 1;
		return -1;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*pp += 1;
			return -1;
		}
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		*pp += 1;
		return -1;
	}
	*pp += n + 1;
	return cp;
}

int
zr_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *at = p;
		if (zr_utf8_next(&p, end) < 0) {
			if (bad != NULL)
				*bad = (size_t)(at - s);
			return 0;
		}
	}
	return 1;
}

size_t
zr_utf8_put(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0)
		return 0;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			return 0;
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp <= 0x10ffff) {
		o[0] = (unsigned char)(0xf0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (unsigned char)(0x80 | (cp & 0x3f));
		return 4;
	}
	return 0;
}

const char *
zr_text_lines_start(const char *text, size_t len)
{
	return len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? text + 3 :
	    text;
}

const char *
zr_text_line(const char **p, const char *end, size_t *n)
{
	const char *l = *p, *eol;

	if (l >= end)
		return NULL;
	eol = memchr(l, '\n', (size_t)(end - l));
	if (eol == NULL)
		eol = end;
	*n = (size_t)(eol - l);
	if (*n > 0 && l[*n - 1] == '\r')
		(*n)--;
	*p = eol < end ? eol + 1 : end;
	return l;
}

size_t
zr_utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int32_t
zr_cp_halfwidth(int32_t cp)
{
	/* Unicode Halfwidth and Fullwidth Forms: U+FF01..U+FF5E are
	 * U+0021..U+007E; U+3000 is the ideographic space. */
	if (cp >= 0xff01 && cp <= 0xff5e)
		return cp - 0xfee0;
	if (cp == 0x3000)
		return ' ';
	return cp;
}


/* Half-width katakana U+FF61..U+FF9F to their full-width forms. */
static const uint16_t hw_kana[] = {
	0x3002, 0x300c, 0x300d, 0x3001, 0x30fb, 0x30f2, 0x30a1, 0x30a3,
	0x30a5, 0x30a7, 0x30a9, 0x30e3, 0x30e5, 0x30e7, 0x30c3, 0x30fc,
	0x30a2, 0x30a4, 0x30a6, 0x30a8, 0x30aa, 0x30ab, 0x30ad, 0x30af,
	0x30b1, 0x30b3, 0x30b5, 0x30b7, 0x30b9, 0x30bb, 0x30bd, 0x30bf,
	0x30c1, 0x30c4, 0x30c6, 0x30c8, 0x30ca, 0x30cb, 0x30cc, 0x30cd,
	0x30ce, 0x30cf, 0x30d2, 0x30d5, 0x30d8, 0x30db, 0x30de, 0x30df,
	0x30e0, 0x30e1, 0x30e2, 0x30e4, 0x30e6, 0x30e8, 0x30e9, 0x30ea,
	0x30eb, 0x30ec, 0x30ed, 0x30ef, 0x30f3, 0x309b, 0x309c,
};

static int
is_dash(int32_t c)
{
	return c == 0x30fc || c == 0xff70 || c == 0x2212 || c == 0x2010 ||
	    c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2014 ||
	    c == 0x2015 || c == 0xfe63;
}

static int
fold_digit(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xff10 && c <= 0xff19);
}

char *
zr_text_fold(const char *s)
{
	size_t len = strlen(s);
	const char *p = s, *end = s + len, *q;
	char *out, *o;
	int32_t c, f, next, prev = 0;

	/* Folding never makes a character longer (3 bytes to 1 or 3, a
	 * kana and its mark 6 to 3); bad bytes are dropped. */
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	o = out;
	while (p < end) {
		c = zr_utf8_next(&p, end);
		if (c < 0)
			continue;
		if ((f = zr_cp_halfwidth(c)) != c)
			c = f;
		else if (is_dash(c) && prev >= '0' && prev <= '9' && p < end) {
			q = p;
			next = zr_utf8_next(&q, end);
			if (fold_digit(next))
				c = '-';
		}
		if (c >= 0xff61 && c <= 0xff9f) {
			c = hw_kana[c - 0xff61];
			q = p;
			next = p < end ? zr_utf8_next(&q, end) : 0;
			/* Voiced and semi-voiced marks join their kana. */
			if (next == 0xff9e && ((c >= 0x30ab && c <= 0x30c8 &&
			    c != 0x30c3) || (c >= 0x30cf && c <= 0x30db &&
			    (c - 0x30cf) % 3 == 0))) {
				c += 1;
				p = q;
			} else if (next == 0xff9e && c == 0x30a6) {
				c = 0x30f4;
				p = q;
			} else if (next == 0xff9f && c >= 0x30cf &&
			    c <= 0x30db && (c - 0x30cf) % 3 == 0) {
				c += 2;
				p = q;
			}
		}
		o += zr_utf8_put(c, o);
		prev = c;
	}
	*o = '\0';
	return out;
}

char *
zr_text_halfwidth(const char *s)
{
	size_t len = strlen(s);
	const char *p = s, *end = s + len;
	char *out, *o;
	int32_t cp;

	/* Folding never makes a character longer. */
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	o = out;
	while (p < end) {
		const char *at = p;
		cp = zr_utf8_next(&p, end);
		if (zr_cp_halfwidth(cp) != cp) {
			*o++ = (char)zr_cp_halfwidth(cp);
		} else {
			memcpy(o, at, (size_t)(p - at));
			o += p - at;
		}
	}
	*o = '\0';
	return out;
}

size_t
zr_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, prev, tmp, best;

	if (la > 64 || lb > 64)
		return la > lb ? la : lb; /* only used on short keys */
	row = malloc((lb + 1) * sizeof(*row));
	if (row == NULL)
		return la > lb ? la : lb;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

/* ---- character sets ---- */

int
zr_text_convert(const char *from, const unsigned char *in, size_t len,
    int replace, char **out, size_t *outlen, size_t *bad,
    struct zr_error *err)
{
	iconv_t cd;
	char *ip = (char *)(uintptr_t)in, *op, *buf = NULL, *nb;
	size_t il = len, ol, r, n = 0, cap = 0;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return zr_error_set(err, ZR_E_CHARSET, NULL,
		    "unknown character set %s", from);
	for (;;) {
		/* Room for the rest at 3 bytes a byte (4 for a 2-byte
		 * form is less), a replacement, and the NUL. */
		if (cap - n < il * 3 + 64) {
			cap = n + il * 3 + 64;
			if ((nb = realloc(buf, cap)) == NULL) {
				zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
				goto out;
			}
			buf = nb;
		}
		op = buf + n;
		ol = cap - n - 1;
		r = il > 0 ? iconv(cd, &ip, &il, &op, &ol) :
		    iconv(cd, NULL, NULL, &op, &ol);
		n = (size_t)(op - buf);
		if (r != (size_t)-1) {
			if (il == 0 && ip != NULL) {
				/* Flush a stateful encoding's shift state (and
				 * Shift_JISX0213's held-back character). */
				ip = NULL;
				continue;
			}
			break;
		}
		if (errno == E2BIG)
			continue;
		if (!replace || il == 0) {
			if (bad != NULL)
				*bad = len - il;
			zr_error_set(err, ZR_E_SYNTAX, NULL, "not %s at byte "
			    "%zu", from, len - il + 1);
			goto out;
		}
		/* EILSEQ or EINVAL: U+FFFD for one byte, and go on. */
		memcpy(buf + n, "\xEF\xBF\xBD", 3);
		n += 3;
		ip++;
		il--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	iconv_close(cd);
	return rc;
}
