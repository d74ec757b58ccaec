/* libzairyu: MIME decoders (base64, quoted-printable), character sets to
 * UTF-8, and encoded words (RFC 2045-2047); mime.c has the message
 * structure. */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/io.h"
#include "zairyu/mail.h"
#include "zairyu/text.h"
#include "zri_kit.h"

int
zri_buf_grow(struct zri_buf *b, size_t more)
{
	size_t cap;
	char *np;

	if (b->oom)
		return -1;
	if (b->n + more + 1 <= b->cap)
		return 0;
	cap = b->cap != 0 ? b->cap : 256;
	while (cap < b->n + more + 1) {
		if (cap > SIZE_MAX / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	if ((np = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = np;
	b->cap = cap;
	return 0;
}

int
zri_buf_add(struct zri_buf *b, const void *s, size_t n)
{
	if (zri_buf_grow(b, n) < 0)
		return -1;
	if (n > 0)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

int
zri_buf_addc(struct zri_buf *b, char c)
{
	return zri_buf_add(b, &c, 1);
}

int
zri_buf_addcp(struct zri_buf *b, int32_t cp)
{
	char u[4];

	return zri_buf_add(b, u, zr_utf8_put(cp, u));
}

/* Hand the bytes over (never NULL unless out of memory). */
char *
zri_buf_take(struct zri_buf *b)
{
	char *p;

	if (b->oom) {
		free(b->p);
		b->p = NULL;
		return NULL;
	}
	if (b->p == NULL && zri_buf_grow(b, 0) < 0)
		return NULL;
	b->p[b->n] = '\0';
	p = b->p;
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

int
zri_oom(struct zr_error *err)
{
	return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
}

int
zri_lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive ASCII comparison of s[0..n-1] with the word w. */
int
zri_ieq(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || zri_lc((unsigned char)s[i]) != zri_lc((unsigned char)w[i]))
			return 0;
	return w[n] == '\0';
}

/* Transfer encodings. */

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
zr_base64_decode(const char *in, size_t len, unsigned char **out,
    size_t *outlen, struct zr_error *err)
{
	unsigned char *o;
	size_t i, n = 0;
	unsigned long acc = 0;
	int bits = 0, v, pad = 0;

	if ((o = malloc(len / 4 * 3 + 4)) == NULL)
		return zri_oom(err);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			/* Padding ends the data (RFC 2045 §6.8). */
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64_value(c)) < 0) {
			free(o);
			return zr_error_set(err, ZR_E_MAIL, NULL, "base64: "
			    "unexpected character 0x%02x at byte %zu", c, i);
		}
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[n++] = (unsigned char)(acc >> bits);
			acc &= (1UL << bits) - 1;
		}
	}
	if (bits >= 6) {
		free(o);
		return zr_error_set(err, ZR_E_MAIL, NULL,
		    "base64: the data ends in the middle of a byte");
	}
	o[n] = '\0';
	*out = o;
	*outlen = n;
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
zr_qp_decode(const char *in, size_t len, int header, unsigned char **out,
    size_t *outlen, struct zr_error *err)
{
	unsigned char *o;
	size_t i, n = 0, j;
	int h1, h2;

	if ((o = malloc(len + 1)) == NULL)
		return zri_oom(err);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '_' && header) {
			o[n++] = ' ';
			continue;
		}
		if (c != '=') {
			o[n++] = c;
			continue;
		}
		/* Soft line break: "=", optional white space, line end. */
		j = i + 1;
		while (j < len && (in[j] == ' ' || in[j] == '\t'))
			j++;
		if (j < len && (in[j] == '\n' || in[j] == '\r')) {
			if (in[j] == '\r' && j + 1 < len && in[j + 1] == '\n')
				j++;
			i = j;
			continue;
		}
		if (j == len && !header) {
			i = j;
			continue;
		}
		if (i + 2 < len && (h1 = hexval((unsigned char)in[i + 1])) >= 0 &&
		    (h2 = hexval((unsigned char)in[i + 2])) >= 0) {
			o[n++] = (unsigned char)(h1 << 4 | h2);
			i += 2;
			continue;
		}
		/* Not a valid escape: keep it (RFC 2045 §6.7, note 1). */
		o[n++] = c;
	}
	o[n] = '\0';
	*out = o;
	*outlen = n;
	(void)err;
	return 0;
}

/* Character sets. */

enum conv { CONV_OK, CONV_BAD, CONV_UNKNOWN, CONV_NOMEM };

/* in[0..len-1] from `from` to UTF-8 appended to b; *bad gets the offset. */
static enum conv
iconv_utf8(const char *from, const unsigned char *in, size_t len,
    struct zri_buf *b, size_t *bad)
{
	struct zr_error e;
	char *u;
	size_t n;

	if (zr_text_convert(from, in, len, 0, &u, &n, bad, &e) < 0)
		return e.code == ZR_E_CHARSET ? CONV_UNKNOWN :
		    e.code == ZR_E_NOMEM ? CONV_NOMEM : CONV_BAD;
	if (zri_buf_add(b, u, n) < 0) {
		free(u);
		return CONV_NOMEM;
	}
	free(u);
	if (b->p != NULL)
		b->p[b->n] = '\0';
	return CONV_OK;
}

/*
 * ISO-2022-JP as mail programs write it (the CP50221 practice): escape
 * sequences switch between ASCII, JIS X 0208 and half-width katakana, and
 * the JIS X 0208 rows 13 and 89-92 hold NEC and IBM extensions (①, ㈱)
 * that plain ISO-2022-JP decoders refuse.  Re-coded as Shift_JIS, CP932
 * reads them all.
 */
static enum conv
jis_via_cp932(const unsigned char *in, size_t len, struct zri_buf *b, size_t *bad)
{
	struct zri_buf s = { 0 };
	enum conv rc;
	size_t i;
	int mode = 0; /* 0 ASCII, 1 JIS X 0208, 2 half-width katakana */
	unsigned j1, j2, s1, s2;

	for (i = 0; i < len; i++) {
		unsigned char c = in[i];

		if (c == 0x1b) {
			if (i + 2 < len && in[i + 1] == '(' &&
			    (in[i + 2] == 'B' || in[i + 2] == 'J'))
				mode = 0;
			else if (i + 2 < len && in[i + 1] == '$' &&
			    (in[i + 2] == 'B' || in[i + 2] == '@'))
				mode = 1;
			else if (i + 2 < len && in[i + 1] == '(' &&
			    in[i + 2] == 'I')
				mode = 2;
			else if (i + 5 < len && in[i + 1] == '&' &&
			    in[i + 2] == '@' && in[i + 3] == 0x1b &&
			    in[i + 4] == '$' && in[i + 5] == 'B') {
				mode = 1;
				i += 3;
			} else {
				*bad = i;
				free(s.p);
				return CONV_BAD;
			}
			i += 2;
			continue;
		}
		if (c == 0x0e || c == 0x0f) {
			/* SO/SI: katakana shift (JIS X 0201 7-bit). */
			mode = c == 0x0e ? 2 : 0;
			continue;
		}
		if (c >= 0x80) {
			*bad = i;
			free(s.p);
			return CONV_BAD;
		}
		if (c == '\n' || c == '\r' || c == ' ' || c == '\t' ||
		    mode == 0) {
			zri_buf_addc(&s, (char)c);
			continue;
		}
		if (mode == 2) {
			if (c < 0x21 || c > 0x5f) {
				*bad = i;
				free(s.p);
				return CONV_BAD;
			}
			zri_buf_addc(&s, (char)(c + 0x80));
			continue;
		}
		if (i + 1 >= len || c < 0x21 || c > 0x7e || in[i + 1] < 0x21 ||
		    in[i + 1] > 0x7e) {
			*bad = i;
			free(s.p);
			return CONV_BAD;
		}
		j1 = c;
		j2 = in[++i];
		s1 = ((j1 - 0x21) >> 1) + 0x81;
		if (s1 > 0x9f)
			s1 += 0x40;
		if (j1 & 1)
			s2 = j2 + (j2 >= 0x60 ? 0x20 : 0x1f);
		else
			s2 = j2 + 0x7e;
		zri_buf_addc(&s, (char)s1);
		zri_buf_addc(&s, (char)s2);
	}
	if (s.oom) {
		free(s.p);
		return CONV_NOMEM;
	}
	rc = iconv_utf8("CP932", (const unsigned char *)s.p, s.n, b, bad);
	free(s.p);
	if (rc == CONV_BAD)
		*bad = 0; /* an offset into our re-coding means little */
	return rc;
}

static int
has_byte(const unsigned char *in, size_t len, unsigned char lo)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (in[i] >= lo)
			return 1;
	return 0;
}

static int
has_jis_escape(const unsigned char *in, size_t len)
{
	size_t i;

	for (i = 0; i + 2 < len; i++)
		if (in[i] == 0x1b && (in[i + 1] == '$' || (in[i + 1] == '(' &&
		    in[i + 2] == 'I')))
			return 1;
	return 0;
}

enum cs { CS_ASCII, CS_UTF8, CS_JIS, CS_SJIS, CS_EUC, CS_OTHER, CS_GUESS };

static enum cs
charset_kind(const char *name)
{
	static const char *const sjis[] = { "shift_jis", "shift-jis", "sjis",
	    "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932",
	    "ms932", "x-ms-cp932", "csWindows31J", NULL };
	static const char *const jis[] = { "iso-2022-jp", "csiso2022jp",
	    "iso-2022-jp-2", "iso-2022-jp-3", "iso-2022-jp-ms", "jis",
	    "x-jis", NULL };
	static const char *const euc[] = { "euc-jp", "x-euc-jp", "eucjp",
	    "cseucpkdfmtjapanese", "euc-jp-ms", NULL };
	size_t i, n;

	if (name == NULL || *name == '\0')
		return CS_GUESS;
	n = strlen(name);
	if (zri_ieq(name, n, "utf-8") || zri_ieq(name, n, "utf8"))
		return CS_UTF8;
	if (zri_ieq(name, n, "us-ascii") || zri_ieq(name, n, "ascii") ||
	    zri_ieq(name, n, "ansi_x3.4-1968"))
		return CS_ASCII;
	for (i = 0; sjis[i] != NULL; i++)
		if (zri_ieq(name, n, sjis[i]))
			return CS_SJIS;
	for (i = 0; jis[i] != NULL; i++)
		if (zri_ieq(name, n, jis[i]))
			return CS_JIS;
	for (i = 0; euc[i] != NULL; i++)
		if (zri_ieq(name, n, euc[i]))
			return CS_EUC;
	return CS_OTHER;
}

/* A charset name we pass to iconv: a MIME token of sane length. */
static int
charset_name_ok(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n > 40)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) &&
		    strchr("-_.:+()", name[i]) == NULL)
			return 0;
	return 1;
}

static enum conv
conv_kind(enum cs kind, const char *name, const unsigned char *in, size_t len,
    struct zri_buf *b, size_t *bad)
{
	enum conv rc;

	switch (kind) {
	case CS_UTF8:
		if (!zr_utf8_valid((const char *)in, len, bad))
			return CONV_BAD;
		return zri_buf_add(b, in, len) < 0 ? CONV_NOMEM : CONV_OK;
	case CS_ASCII:
		/* 8-bit text labelled US-ASCII is common: guess instead. */
		if (has_byte(in, len, 0x80))
			return conv_kind(CS_GUESS, NULL, in, len, b, bad);
		return zri_buf_add(b, in, len) < 0 ? CONV_NOMEM : CONV_OK;
	case CS_JIS:
		/* Our own reading first (strict about escapes, NEC and IBM
		 * extensions); iconv for the ISO-2022-JP-2 extras. */
		rc = jis_via_cp932(in, len, b, bad);
		if (rc == CONV_BAD)
			rc = iconv_utf8("ISO-2022-JP-2", in, len, b, bad);
		return rc;
	case CS_SJIS:
		/* Mail programs mean CP932 when they say Shift_JIS. */
		return iconv_utf8("CP932", in, len, b, bad);
	case CS_EUC:
		rc = iconv_utf8("EUC-JP-MS", in, len, b, bad);
		if (rc == CONV_BAD || rc == CONV_UNKNOWN)
			rc = iconv_utf8("EUC-JP", in, len, b, bad);
		return rc;
	case CS_OTHER:
		if (!charset_name_ok(name))
			return CONV_UNKNOWN;
		return iconv_utf8(name, in, len, b, bad);
	case CS_GUESS:
	default:
		break;
	}
	/* Guess: the encodings Japanese mail and terminals use. */
	if (!has_byte(in, len, 0x80)) {
		if (has_jis_escape(in, len))
			return conv_kind(CS_JIS, NULL, in, len, b, bad);
		return zri_buf_add(b, in, len) < 0 ? CONV_NOMEM : CONV_OK;
	}
	if (zr_utf8_valid((const char *)in, len, NULL))
		return zri_buf_add(b, in, len) < 0 ? CONV_NOMEM : CONV_OK;
	/* EUC-JP first: Shift_JIS kana (lead bytes 0x82, 0x83) fail there. */
	if ((rc = iconv_utf8("EUC-JP-MS", in, len, b, bad)) != CONV_BAD &&
	    rc != CONV_UNKNOWN)
		return rc;
	if ((rc = iconv_utf8("CP932", in, len, b, bad)) != CONV_BAD &&
	    rc != CONV_UNKNOWN)
		return rc;
	return CONV_UNKNOWN;
}

/* Convert and report; on success the UTF-8 is appended to b. */
int
zri_to_utf8(const char *charset, const unsigned char *in, size_t len,
    struct zri_buf *b, struct zr_error *err)
{
	enum cs kind = charset_kind(charset);
	size_t bad = 0, start = b->n;
	enum conv rc;

	rc = conv_kind(kind, charset, in, len, b, &bad);
	switch (rc) {
	case CONV_OK:
		break;
	case CONV_NOMEM:
		return zri_oom(err);
	case CONV_UNKNOWN:
		if (kind == CS_GUESS)
			return zr_error_set(err, ZR_E_CHARSET, NULL, "the text is "
			    "in an unknown encoding (not UTF-8, ISO-2022-JP, "
			    "Shift_JIS or EUC-JP)");
		return zr_error_set(err, ZR_E_CHARSET, NULL, "unknown character "
		    "set \"%.40s\"", charset);
	case CONV_BAD:
	default:
		return zr_error_set(err, ZR_E_MAIL, NULL, "the text is not valid "
		    "%.40s (byte %zu); the mail may be damaged or mislabelled",
		    charset != NULL && *charset != '\0' ? charset : "text", bad);
	}
	if (memchr(b->p + start, '\0', b->n - start) != NULL) {
		b->n = start;
		return zr_error_set(err, ZR_E_MAIL, NULL,
		    "the text contains a NUL character");
	}
	/* iconv passes escape sequences it does not know through; no mail
	 * text carries ESC. */
	if (memchr(b->p + start, 0x1b, b->n - start) != NULL) {
		b->n = start;
		return zr_error_set(err, ZR_E_MAIL, NULL, "the text is not "
		    "valid %.40s (an unknown escape sequence)",
		    charset != NULL && *charset != '\0' ? charset : "text");
	}
	return 0;
}

int
zr_charset_to_utf8(const char *charset, const unsigned char *in, size_t len,
    char **out, size_t *outlen, struct zr_error *err)
{
	struct zri_buf b = { 0 };

	if (zri_to_utf8(charset, in, len, &b, err) < 0) {
		free(b.p);
		return -1;
	}
	*outlen = b.n;
	if ((*out = zri_buf_take(&b)) == NULL)
		return zri_oom(err);
	return 0;
}

/* RFC 2047 encoded-words. */

struct eword {
	const char *charset;  /* points into the header; cs_len bytes */
	size_t cs_len;
	char enc;             /* 'B' or 'Q' */
	const char *text;
	size_t text_len;
	size_t total;         /* bytes from "=?" to "?=" inclusive */
};

static int
parse_eword(const char *p, const char *end, struct eword *w)
{
	const char *q = p + 2, *cs = q, *t;

	if (end - p < 8 || p[0] != '=' || p[1] != '?')
		return 0;
	while (q < end && *q != '?' && *q > ' ' && *q < 0x7f)
		q++;
	if (q + 3 > end || *q != '?' || q == cs)
		return 0;
	w->charset = cs;
	w->cs_len = (size_t)(q - cs);
	/* RFC 2231 §5: charset*language. */
	if (memchr(cs, '*', w->cs_len) != NULL)
		w->cs_len = (size_t)((const char *)memchr(cs, '*', w->cs_len) - cs);
	q++;
	if (*q != 'B' && *q != 'b' && *q != 'Q' && *q != 'q')
		return 0;
	w->enc = (char)(*q == 'b' || *q == 'B' ? 'B' : 'Q');
	if (q[1] != '?')
		return 0;
	t = q + 2;
	for (q = t; q + 1 < end; q++) {
		if (*q == '\n' || *q == '\r')
			return 0;
		if (q[0] == '?' && q[1] == '=')
			break;
	}
	if (q + 1 >= end)
		return 0;
	w->text = t;
	w->text_len = (size_t)(q - t);
	w->total = (size_t)(q + 2 - p);
	return 1;
}

/* Flush the raw bytes of adjacent encoded-words in one charset. */
static int
flush_words(struct zri_buf *pend, char *cs, struct zri_buf *out, struct zr_error *err)
{
	int rc = 0;

	if (pend->oom)
		return zri_oom(err);
	if (pend->n > 0 || cs[0] != '\0')
		rc = zri_to_utf8(cs, (const unsigned char *)pend->p, pend->n, out,
		    err);
	pend->n = 0;
	cs[0] = '\0';
	return rc;
}

int
zr_mime_header_decode(const char *raw, size_t len, char **out,
    struct zr_error *err)
{
	struct zri_buf o = { 0 }, pend = { 0 }, lit = { 0 };
	const char *p = raw, *end = raw + len, *q;
	char cs[48] = "";
	struct eword w;
	unsigned char *bytes;
	size_t nbytes;
	int rc = -1, after_word = 0;

	while (p < end) {
		if (parse_eword(p, end, &w)) {
			struct zr_error e2;
			char wcs[48];

			if (w.enc == 'B')
				rc = zr_base64_decode(w.text, w.text_len, &bytes,
				    &nbytes, &e2);
			else
				rc = zr_qp_decode(w.text, w.text_len, 1, &bytes,
				    &nbytes, &e2);
			if (rc < 0 && e2.code == ZR_E_NOMEM)
				goto fail;
			if (rc == 0 && w.cs_len < sizeof(wcs)) {
				memcpy(wcs, w.charset, w.cs_len);
				wcs[w.cs_len] = '\0';
				/* White space between two words is dropped. */
				lit.n = 0;
				if (strcmp(cs, wcs) != 0 &&
				    flush_words(&pend, cs, &o, err) < 0) {
					free(bytes);
					goto fail;
				}
				memcpy(cs, wcs, w.cs_len + 1);
				zri_buf_add(&pend, bytes, nbytes);
				free(bytes);
				p += w.total;
				after_word = 1;
				continue;
			}
			if (rc == 0)
				free(bytes);
			/* Not decodable: keep the text as it is. */
		}
		/* Literal text up to the next "=?". */
		q = p + 1;
		while (q < end && !(q[0] == '=' && q + 1 < end && q[1] == '?'))
			q++;
		if (after_word) {
			size_t k = 0;

			while (p + k < q && (p[k] == ' ' || p[k] == '\t' ||
			    p[k] == '\r' || p[k] == '\n'))
				k++;
			if (p + k == q && q < end && parse_eword(q, end, &w)) {
				/* Only white space before the next word. */
				p = q;
				continue;
			}
		}
		if (flush_words(&pend, cs, &o, err) < 0)
			goto fail;
		after_word = 0;
		lit.n = 0;
		zri_buf_add(&lit, p, (size_t)(q - p));
		if (lit.oom)
			goto nomem;
		if (zri_to_utf8(NULL, (const unsigned char *)lit.p, lit.n, &o,
		    err) < 0)
			goto fail;
		p = q;
	}
	if (flush_words(&pend, cs, &o, err) < 0)
		goto fail;
	/* Unfold: line ends become nothing, tabs spaces. */
	{
		struct zri_buf u = { 0 };
		size_t i;

		for (i = 0; o.p != NULL && i < o.n; i++) {
			if (o.p[i] == '\r' || o.p[i] == '\n')
				continue;
			zri_buf_addc(&u, o.p[i] == '\t' ? ' ' : o.p[i]);
		}
		free(o.p);
		o = u;
	}
	free(pend.p);
	free(lit.p);
	if ((*out = zri_buf_take(&o)) == NULL)
		return zri_oom(err);
	return 0;
nomem:
	zri_oom(err);
fail:
	free(o.p);
	free(pend.p);
	free(lit.p);
	return -1;
}
