/* libzairyu: UTF-8 validation, decoding and width folding. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

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

size_t
zr_utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
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
		if (cp >= 0xff01 && cp <= 0xff5e)
			*o++ = (char)(cp - 0xff01 + 0x21);
		else if (cp == 0x3000)
			*o++ = ' ';
		else {
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
