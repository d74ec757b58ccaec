/* libzairyu: residence card number and My Number (個人番号) checks. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "zairyu/name.h"
#include "zairyu/text.h"
#include "name_int.h"

/* Longest number input taken, in bytes (12 full-width digits are 36). */
#define NUM_MAX 64

/*
 * Validate and fold one number: trim blanks, full-width to ASCII,
 * lowercase to capitals.  cps[] receives the code points (at most
 * NUM_MAX).  Returns the count, or -1 (+ err).
 */
static int
fold_number(const char *s, const char *what, int32_t *cps,
    struct zr_error *err)
{
	size_t len = strlen(s), bad;
	const char *p = s, *end = s + len;
	int32_t cp;
	int n = 0;

	if (len > NUM_MAX)
		return zr_error_set(err, ZR_E_NUMBER, NULL,
		    "%s longer than %d bytes", what, NUM_MAX);
	if (!zr_utf8_valid(s, len, &bad))
		return zr_error_set(err, ZR_E_UTF8, NULL,
		    "%s: invalid UTF-8 at byte %zu", what, bad + 1);
	while (p < end) {
		cp = zr_utf8_next(&p, end);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
		    cp == 0x2029)
			return zr_error_set(err, ZR_E_NUMBER, NULL,
			    "%s: control character U+%04X", what,
			    (unsigned)cp);
		cp = zr_cp_halfwidth(cp);
		if (cp >= 'a' && cp <= 'z')
			cp -= 'a' - 'A';
		cps[n++] = cp;
	}
	/* Trim blanks around the number. */
	while (n > 0 && cps[n - 1] == ' ')
		n--;
	{
		int i = 0, j;
		while (i < n && cps[i] == ' ')
			i++;
		for (j = 0; j + i < n; j++)
			cps[j] = cps[j + i];
		n -= i;
	}
	if (n == 0)
		return zr_error_set(err, ZR_E_NUMBER, NULL, "empty %s", what);
	return n;
}

static int
is_upper(int32_t c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_digit(int32_t c)
{
	return c >= '0' && c <= '9';
}

/* A hint for letters and digits that look alike. */
static const char *
lookalike(int32_t c, int want_digit)
{
	if (want_digit && c == 'O')
		return " (letter O for zero?)";
	if (want_digit && (c == 'I' || c == 'L'))
		return " (letter for one?)";
	if (!want_digit && c == '0')
		return " (zero for letter O?)";
	if (!want_digit && c == '1')
		return " (one for letter I?)";
	return "";
}

int
zr_card_number_check(const char *s, char out[13], struct zr_name_report *rep,
    struct zr_error *err)
{
	int32_t cps[NUM_MAX];
	char t[16];
	int n, i, a, b, c2;

	zr_name_report_clear(rep);
	out[0] = '\0';
	if ((n = fold_number(s, "card number", cps, err)) < 0)
		return -1;
	for (i = 0; i < n && i < 12; i++) {
		size_t k = zr_utf8_put(cps[i], t);
		if (k != 1)
			t[0] = '?';
		out[i] = t[0];
	}
	out[i] = '\0';
	/* rules-facts §6.3: 2 letters + 8 digits + 2 letters, 12 chars. */
	if (n != 12) {
		for (a = 0; a < n && is_upper(cps[a]); a++)
			;
		for (b = a; b < n && is_digit(cps[b]); b++)
			;
		for (c2 = b; c2 < n && is_upper(cps[c2]); c2++)
			;
		if (c2 == n && a > 0 && b > a && c2 > b)
			zri_name_add(rep, ZR_NK_LENGTH, 0, 0,
			    "%d characters (%d letters, %d digits, %d "
			    "letters): a residence card number has 12 "
			    "(2 letters, 8 digits, 2 letters)", n, a, b - a,
			    c2 - b);
		else
			zri_name_add(rep, ZR_NK_LENGTH, 0, 0,
			    "%d characters: a residence card number has 12 "
			    "(2 letters, 8 digits, 2 letters, like "
			    "AB12345678CD)", n);
		return 0;
	}
	for (i = 0; i < 12; i++) {
		int want_digit = i >= 2 && i < 10;
		if (want_digit ? is_digit(cps[i]) : is_upper(cps[i]))
			continue;
		zri_cp_text(cps[i], t);
		zri_name_add(rep, ZR_NK_POSITION, 0, 0,
		    "position %d: %s should be a %s%s", i + 1, t,
		    want_digit ? "digit" : "letter A-Z",
		    lookalike(cps[i], want_digit));
	}
	return 0;
}

int
zr_my_number_check_digit(const char *d)
{
	/* rules-facts §6.4 (個人番号の指定に関する省令 5条): weights
	 * Q_n for P_n, n-th digit from the right = left weights below. */
	static const int w[11] = { 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };
	int i, sum = 0, r;

	for (i = 0; i < 11; i++) {
		if (!is_digit(d[i]))
			return -1;
		sum += (d[i] - '0') * w[i];
	}
	if (d[11] != '\0')
		return -1;
	r = sum % 11;
	return r <= 1 ? 0 : 11 - r;
}

int
zr_my_number_check(const char *s, struct zr_name_report *rep,
    struct zr_error *err)
{
	int32_t cps[NUM_MAX];
	char digits[NUM_MAX + 1], first[12], t[16];
	int n, i, nd = 0, bad = 0, want;

	zr_name_report_clear(rep);
	if ((n = fold_number(s, "My Number", cps, err)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		/* Group separators people write: 1234 5678 9012, 1234-... */
		if (cps[i] == ' ' || cps[i] == '-')
			continue;
		if (!is_digit(cps[i])) {
			zri_cp_text(cps[i], t);
			if (!bad)
				zri_name_add(rep, ZR_NK_POSITION, 0, 0,
				    "My Number: digit %d is %s, not a digit",
				    nd + 1, t);
			bad = 1;
		}
		digits[nd++] = (char)(is_digit(cps[i]) ? cps[i] : '?');
	}
	digits[nd] = '\0';
	if (nd != 12) {
		zri_name_add(rep, ZR_NK_LENGTH, 0, 0,
		    "My Number: %d digits, it has 12", nd);
		return 0;
	}
	if (bad)
		return 0;
	memcpy(first, digits, 11);
	first[11] = '\0';
	want = zr_my_number_check_digit(first);
	if (want != digits[11] - '0')
		zri_name_add(rep, ZR_NK_CHECK_DIGIT, 0, 0,
		    "My Number: check digit (the 12th) is %c, the other "
		    "11 digits give %d: a digit is mistyped", digits[11],
		    want);
	return 0;
}
