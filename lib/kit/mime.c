/* libzairyu: MIME mail decoding (RFC 2045-2047, 5322) into UTF-8 text. */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/io.h"
#include "zairyu/mail.h"
#include "zairyu/text.h"

/* Nesting of multipart and message/rfc822 parts we follow. */
#define MAX_DEPTH 12
/* Parts we look at in one mail (a mail with thousands is an attack). */
#define MAX_PARTS 256
/* A saved mail is never larger; the completion mail is a few KB. */
#define MAIL_MAX ((size_t)16 * 1024 * 1024)

/* A growable byte buffer; oom sticks once set. */
struct buf {
	char *p;
	size_t n, cap;
	int oom;
};

static int
buf_grow(struct buf *b, size_t more)
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

static int
buf_add(struct buf *b, const void *s, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n > 0)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

static int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

static int
buf_addcp(struct buf *b, int32_t cp)
{
	char u[4];

	return buf_add(b, u, zr_utf8_put(cp, u));
}

/* Hand the bytes over (never NULL unless out of memory). */
static char *
buf_take(struct buf *b)
{
	char *p;

	if (b->oom) {
		free(b->p);
		b->p = NULL;
		return NULL;
	}
	if (b->p == NULL && buf_grow(b, 0) < 0)
		return NULL;
	b->p[b->n] = '\0';
	p = b->p;
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

static int
oom(struct zr_error *err)
{
	return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
}

static int
lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive ASCII comparison of s[0..n-1] with the word w. */
static int
ieq(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || lc((unsigned char)s[i]) != lc((unsigned char)w[i]))
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
		return oom(err);
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
		return oom(err);
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
    struct buf *b, size_t *bad)
{
	struct zr_error e;
	char *u;
	size_t n;

	if (zr_text_convert(from, in, len, 0, &u, &n, bad, &e) < 0)
		return e.code == ZR_E_CHARSET ? CONV_UNKNOWN :
		    e.code == ZR_E_NOMEM ? CONV_NOMEM : CONV_BAD;
	if (buf_add(b, u, n) < 0) {
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
jis_via_cp932(const unsigned char *in, size_t len, struct buf *b, size_t *bad)
{
	struct buf s = { 0 };
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
			buf_addc(&s, (char)c);
			continue;
		}
		if (mode == 2) {
			if (c < 0x21 || c > 0x5f) {
				*bad = i;
				free(s.p);
				return CONV_BAD;
			}
			buf_addc(&s, (char)(c + 0x80));
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
		buf_addc(&s, (char)s1);
		buf_addc(&s, (char)s2);
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
	if (ieq(name, n, "utf-8") || ieq(name, n, "utf8"))
		return CS_UTF8;
	if (ieq(name, n, "us-ascii") || ieq(name, n, "ascii") ||
	    ieq(name, n, "ansi_x3.4-1968"))
		return CS_ASCII;
	for (i = 0; sjis[i] != NULL; i++)
		if (ieq(name, n, sjis[i]))
			return CS_SJIS;
	for (i = 0; jis[i] != NULL; i++)
		if (ieq(name, n, jis[i]))
			return CS_JIS;
	for (i = 0; euc[i] != NULL; i++)
		if (ieq(name, n, euc[i]))
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
    struct buf *b, size_t *bad)
{
	enum conv rc;

	switch (kind) {
	case CS_UTF8:
		if (!zr_utf8_valid((const char *)in, len, bad))
			return CONV_BAD;
		return buf_add(b, in, len) < 0 ? CONV_NOMEM : CONV_OK;
	case CS_ASCII:
		/* 8-bit text labelled US-ASCII is common: guess instead. */
		if (has_byte(in, len, 0x80))
			return conv_kind(CS_GUESS, NULL, in, len, b, bad);
		return buf_add(b, in, len) < 0 ? CONV_NOMEM : CONV_OK;
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
		return buf_add(b, in, len) < 0 ? CONV_NOMEM : CONV_OK;
	}
	if (zr_utf8_valid((const char *)in, len, NULL))
		return buf_add(b, in, len) < 0 ? CONV_NOMEM : CONV_OK;
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
static int
to_utf8(const char *charset, const unsigned char *in, size_t len,
    struct buf *b, struct zr_error *err)
{
	enum cs kind = charset_kind(charset);
	size_t bad = 0, start = b->n;
	enum conv rc;

	rc = conv_kind(kind, charset, in, len, b, &bad);
	switch (rc) {
	case CONV_OK:
		break;
	case CONV_NOMEM:
		return oom(err);
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
	struct buf b = { 0 };

	if (to_utf8(charset, in, len, &b, err) < 0) {
		free(b.p);
		return -1;
	}
	*outlen = b.n;
	if ((*out = buf_take(&b)) == NULL)
		return oom(err);
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
flush_words(struct buf *pend, char *cs, struct buf *out, struct zr_error *err)
{
	int rc = 0;

	if (pend->oom)
		return oom(err);
	if (pend->n > 0 || cs[0] != '\0')
		rc = to_utf8(cs, (const unsigned char *)pend->p, pend->n, out,
		    err);
	pend->n = 0;
	cs[0] = '\0';
	return rc;
}

int
zr_mime_header_decode(const char *raw, size_t len, char **out,
    struct zr_error *err)
{
	struct buf o = { 0 }, pend = { 0 }, lit = { 0 };
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
				buf_add(&pend, bytes, nbytes);
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
		buf_add(&lit, p, (size_t)(q - p));
		if (lit.oom)
			goto nomem;
		if (to_utf8(NULL, (const unsigned char *)lit.p, lit.n, &o,
		    err) < 0)
			goto fail;
		p = q;
	}
	if (flush_words(&pend, cs, &o, err) < 0)
		goto fail;
	/* Unfold: line ends become nothing, tabs spaces. */
	{
		struct buf u = { 0 };
		size_t i;

		for (i = 0; o.p != NULL && i < o.n; i++) {
			if (o.p[i] == '\r' || o.p[i] == '\n')
				continue;
			buf_addc(&u, o.p[i] == '\t' ? ' ' : o.p[i]);
		}
		free(o.p);
		o = u;
	}
	free(pend.p);
	free(lit.p);
	if ((*out = buf_take(&o)) == NULL)
		return oom(err);
	return 0;
nomem:
	oom(err);
fail:
	free(o.p);
	free(pend.p);
	free(lit.p);
	return -1;
}

/* Message structure. */

struct field {
	char *name;   /* as written */
	char *value;  /* decoded, UTF-8 */
};

struct msg {
	struct field *f;
	size_t n;
};

struct zr_mail {
	char *name;
	struct msg *msgs;
	size_t nmsgs;
	char *text;
	char charset[48];
	int have_charset;
};

/* A header line: field name (printable, no colon), colon. */
static size_t
field_name_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q > ' ' && *q < 0x7f && *q != ':')
		q++;
	if (q == p || q >= end || *q != ':')
		return 0;
	return (size_t)(q - p);
}

static const char *
line_end(const char *p, const char *end)
{
	const char *q = memchr(p, '\n', (size_t)(end - p));

	return q != NULL ? q + 1 : end;
}

static int
blank_line(const char *p, const char *end)
{
	return p < end && (*p == '\n' || (*p == '\r' && (p + 1 == end ||
	    p[1] == '\n')));
}

/*
 * The header block of an entity at p: returns where the body starts and
 * sets *hend (end of the headers).  A part whose first line is no header
 * has none.  strict: every line must be a header or a continuation.
 */
static const char *
split_headers(const char *p, const char *end, const char **hend, int strict,
    int *ok)
{
	const char *l = p, *n;

	*ok = 1;
	if (blank_line(p, end)) {
		*hend = p;
		return line_end(p, end);
	}
	if (field_name_len(p, end) == 0) {
		*ok = 0;
		*hend = p;
		return p;
	}
	while (l < end) {
		if (blank_line(l, end)) {
			*hend = l;
			return line_end(l, end);
		}
		if (*l != ' ' && *l != '\t' && field_name_len(l, end) == 0 &&
		    strict) {
			*ok = 0;
			*hend = p;
			return p;
		}
		n = line_end(l, end);
		l = n;
	}
	*hend = end;
	return end;
}

/* Iterate fields: name and raw value (unfolding left to the decoder). */
struct fiter {
	const char *p, *end;
};

static int
next_field(struct fiter *it, const char **name, size_t *nlen,
    const char **val, size_t *vlen)
{
	const char *l, *n;
	size_t k;

	while (it->p < it->end) {
		l = it->p;
		n = line_end(l, it->end);
		k = field_name_len(l, it->end);
		it->p = n;
		if (k == 0 || (size_t)(n - l) <= k)
			continue;
		/* Continuation lines start with white space. */
		while (it->p < it->end && (*it->p == ' ' || *it->p == '\t'))
			it->p = line_end(it->p, it->end);
		*name = l;
		*nlen = k;
		*val = l + k + 1;
		*vlen = (size_t)(it->p - *val);
		while (*vlen > 0 && ((*val)[0] == ' ' || (*val)[0] == '\t')) {
			(*val)++;
			(*vlen)--;
		}
		while (*vlen > 0 && ((*val)[*vlen - 1] == '\n' ||
		    (*val)[*vlen - 1] == '\r' || (*val)[*vlen - 1] == ' ' ||
		    (*val)[*vlen - 1] == '\t'))
			(*vlen)--;
		return 1;
	}
	return 0;
}

/* The raw value of the first field called name in [p, end). */
static int
find_field(const char *p, const char *end, const char *name,
    const char **val, size_t *vlen)
{
	struct fiter it = { p, end };
	const char *n;
	size_t nl;

	while (next_field(&it, &n, &nl, val, vlen))
		if (ieq(n, nl, name))
			return 1;
	return 0;
}

/* Content-Type and friends: "type/sub; a=b; c="d"". */
struct ctype {
	char type[32], sub[64];
	char charset[48];
	char boundary[128];
	int has_boundary;
};

static void
copy_token(char *dst, size_t cap, const char *s, size_t n, int lower)
{
	size_t i;

	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++)
		dst[i] = (char)(lower ? lc((unsigned char)s[i]) : s[i]);
	dst[n] = '\0';
}

static const char *
skip_cfws(const char *p, const char *end)
{
	int depth;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (p >= end || *p != '(')
			return p;
		/* A comment, possibly nested. */
		for (depth = 0; p < end; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0) {
				p++;
				break;
			}
		}
	}
}

static int
tspecial(char c)
{
	return strchr("()<>@,;:\\\"/[]?=", c) != NULL || c <= ' ' || c >= 0x7f;
}

static void
parse_ctype(const char *v, size_t vlen, struct ctype *ct)
{
	const char *p = v, *end = v + vlen, *s;
	char pname[32], pval[128];
	size_t n;

	memset(ct, 0, sizeof(*ct));
	p = skip_cfws(p, end);
	for (s = p; p < end && !tspecial(*p); p++)
		;
	copy_token(ct->type, sizeof(ct->type), s, (size_t)(p - s), 1);
	p = skip_cfws(p, end);
	if (p < end && *p == '/') {
		p = skip_cfws(p + 1, end);
		for (s = p; p < end && !tspecial(*p); p++)
			;
		copy_token(ct->sub, sizeof(ct->sub), s, (size_t)(p - s), 1);
	}
	while (p < end) {
		p = skip_cfws(p, end);
		if (p >= end || *p != ';') {
			p++;
			continue;
		}
		p = skip_cfws(p + 1, end);
		for (s = p; p < end && !tspecial(*p); p++)
			;
		copy_token(pname, sizeof(pname), s, (size_t)(p - s), 1);
		p = skip_cfws(p, end);
		if (p >= end || *p != '=')
			continue;
		p = skip_cfws(p + 1, end);
		n = 0;
		if (p < end && *p == '"') {
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end)
					p++;
				if (n + 1 < sizeof(pval))
					pval[n++] = *p;
			}
			if (p < end)
				p++;
		} else {
			for (s = p; p < end && !tspecial(*p); p++)
				if (n + 1 < sizeof(pval))
					pval[n++] = *p;
		}
		pval[n] = '\0';
		if (strcmp(pname, "charset") == 0)
			copy_token(ct->charset, sizeof(ct->charset), pval, n, 0);
		else if (strcmp(pname, "boundary") == 0 && n > 0 && n <= 70) {
			copy_token(ct->boundary, sizeof(ct->boundary), pval, n,
			    0);
			ct->has_boundary = 1;
		}
	}
}

struct ctx {
	struct zr_mail *m;
	struct buf text;
	int parts;
	const char *name;
};

static int
add_msg_headers(struct ctx *c, const char *h, const char *hend,
    struct zr_error *err)
{
	struct msg *nm, *mm;
	struct fiter it = { h, hend };
	const char *n, *v;
	size_t nl, vl;
	struct field *nf;

	nm = realloc(c->m->msgs, (c->m->nmsgs + 1) * sizeof(*nm));
	if (nm == NULL)
		return oom(err);
	c->m->msgs = nm;
	mm = &nm[c->m->nmsgs++];
	memset(mm, 0, sizeof(*mm));
	while (next_field(&it, &n, &nl, &v, &vl)) {
		if (mm->n >= 512)
			break;
		nf = realloc(mm->f, (mm->n + 1) * sizeof(*nf));
		if (nf == NULL)
			return oom(err);
		mm->f = nf;
		nf = &mm->f[mm->n];
		nf->value = NULL;
		if ((nf->name = malloc(nl + 1)) == NULL)
			return oom(err);
		memcpy(nf->name, n, nl);
		nf->name[nl] = '\0';
		mm->n++;
		if (zr_mime_header_decode(v, vl, &nf->value, err) < 0) {
			/* A header we cannot read is kept raw-ish, unless it
			 * is one we rely on; keep the error for those. */
			if (err != NULL && err->code == ZR_E_NOMEM)
				return -1;
			if (ieq(n, nl, "subject") || ieq(n, nl, "date"))
				return -1;
			if ((nf->value = strdup("")) == NULL)
				return oom(err);
		}
	}
	return 0;
}

/* Reduce HTML to text: tags out, block ends to line ends, entities in. */
static int
html_to_text(const char *s, size_t len, struct buf *out)
{
	static const char *const blocks[] = { "br", "p", "/p", "div", "/div",
	    "tr", "/tr", "li", "/li", "h1", "h2", "h3", "h4", "/h1", "/h2",
	    "/h3", "/h4", "table", "/table", "hr", "blockquote",
	    "/blockquote", "pre", "/pre", NULL };
	const char *p = s, *end = s + len, *q, *t;
	char tag[16];
	size_t n, i;
	int space = 0, skip = 0;

	while (p < end) {
		if (*p == '<') {
			q = memchr(p, '>', (size_t)(end - p));
			if (q == NULL)
				break;
			t = p + 1;
			n = 0;
			if (t < q && *t == '/')
				tag[n++] = *t++;
			for (; t < q && n + 1 < sizeof(tag) &&
			    isalnum((unsigned char)*t); t++)
				tag[n++] = (char)lc((unsigned char)*t);
			tag[n] = '\0';
			if (strcmp(tag, "style") == 0 || strcmp(tag, "script") == 0 ||
			    strcmp(tag, "head") == 0)
				skip = 1;
			else if (strcmp(tag, "/style") == 0 ||
			    strcmp(tag, "/script") == 0 ||
			    strcmp(tag, "/head") == 0)
				skip = 0;
			for (i = 0; blocks[i] != NULL; i++)
				if (strcmp(tag, blocks[i]) == 0) {
					buf_addc(out, '\n');
					space = 0;
					break;
				}
			if (strcmp(tag, "td") == 0 || strcmp(tag, "th") == 0)
				space = 1;
			p = q + 1;
			continue;
		}
		if (skip) {
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			space = 1;
			p++;
			continue;
		}
		if (space && out->n > 0 && out->p[out->n - 1] != '\n')
			buf_addc(out, ' ');
		space = 0;
		if (*p == '&') {
			static const struct { const char *n; int32_t cp; } ent[] = {
				{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
				{ "quot;", '"' }, { "apos;", '\'' },
				{ "nbsp;", ' ' }, { "yen;", 0xa5 },
				{ "copy;", 0xa9 },
			};
			int32_t cp = -1;
			unsigned long v;
			char *e;

			for (i = 0; i < sizeof(ent) / sizeof(ent[0]); i++) {
				n = strlen(ent[i].n);
				if ((size_t)(end - p - 1) >= n &&
				    memcmp(p + 1, ent[i].n, n) == 0) {
					cp = ent[i].cp;
					p += n + 1;
					break;
				}
			}
			if (cp < 0 && end - p > 3 && p[1] == '#') {
				char num[12];

				n = 0;
				for (q = p + 2; q < end && n + 1 < sizeof(num) &&
				    *q != ';'; q++)
					num[n++] = *q;
				num[n] = '\0';
				if (q < end && *q == ';' && n > 0) {
					errno = 0;
					if (num[0] == 'x' || num[0] == 'X')
						v = strtoul(num + 1, &e, 16);
					else
						v = strtoul(num, &e, 10);
					if (errno == 0 && *e == '\0' && v > 0 &&
					    v <= 0x10ffff && !(v >= 0xd800 &&
					    v <= 0xdfff)) {
						cp = (int32_t)v;
						p = q + 1;
					}
				}
			}
			if (cp >= 0) {
				buf_addcp(out, cp);
				continue;
			}
		}
		buf_addc(out, *p++);
	}
	return out->oom ? -1 : 0;
}

static int entity(struct ctx *c, const char *p, const char *end, int depth,
    int is_msg, struct zr_error *err);

/* The decoded body of an entity by its Content-Transfer-Encoding. */
static int
decode_body(const char *h, const char *hend, const char *b, const char *end,
    unsigned char **out, size_t *outlen, struct zr_error *err)
{
	const char *v;
	size_t vl;
	char cte[32];
	const char *s;

	cte[0] = '\0';
	if (find_field(h, hend, "content-transfer-encoding", &v, &vl)) {
		s = skip_cfws(v, v + vl);
		vl = (size_t)(v + vl - s);
		while (vl > 0 && (s[vl - 1] == ' ' || s[vl - 1] == '\t'))
			vl--;
		copy_token(cte, sizeof(cte), s, vl, 1);
	}
	if (cte[0] == '\0' || strcmp(cte, "7bit") == 0 ||
	    strcmp(cte, "8bit") == 0 || strcmp(cte, "binary") == 0) {
		if ((*out = malloc((size_t)(end - b) + 1)) == NULL)
			return oom(err);
		memcpy(*out, b, (size_t)(end - b));
		(*out)[end - b] = '\0';
		*outlen = (size_t)(end - b);
		return 0;
	}
	if (strcmp(cte, "base64") == 0)
		return zr_base64_decode(b, (size_t)(end - b), out, outlen, err);
	if (strcmp(cte, "quoted-printable") == 0)
		return zr_qp_decode(b, (size_t)(end - b), 0, out, outlen, err);
	return zr_error_set(err, ZR_E_MAIL, NULL, "unknown "
	    "Content-Transfer-Encoding \"%.30s\"", cte);
}

/* Append a text part, converted to UTF-8 (HTML reduced to text). */
static int
add_text(struct ctx *c, const struct ctype *ct, const unsigned char *data,
    size_t len, struct zr_error *err)
{
	struct buf u = { 0 };
	int rc;

	if (!c->m->have_charset) {
		snprintf(c->m->charset, sizeof(c->m->charset), "%s", ct->charset);
		c->m->have_charset = 1;
	}
	if (to_utf8(ct->charset, data, len, &u, err) < 0) {
		free(u.p);
		return -1;
	}
	if (c->text.n > 0 && c->text.p[c->text.n - 1] != '\n')
		buf_addc(&c->text, '\n');
	if (strcmp(ct->sub, "html") == 0)
		rc = html_to_text(u.p != NULL ? u.p : "", u.n, &c->text);
	else
		rc = buf_add(&c->text, u.p, u.n);
	free(u.p);
	return rc < 0 || c->text.oom ? oom(err) : 0;
}

/*
 * Is [l, n) a delimiter line "--boundary" or close delimiter
 * "--boundary--", with only white space after (RFC 2046 §5.1.1)?  A
 * longer boundary that starts with ours is not ours.
 */
static int
delimiter(const char *l, const char *n, const char *bd, size_t bl,
    int *closed)
{
	const char *p = l + 2 + bl;
	int close = 0;

	if ((size_t)(n - l) < bl + 2 || l[0] != '-' || l[1] != '-' ||
	    memcmp(l + 2, bd, bl) != 0)
		return 0;
	if (n - p >= 2 && p[0] == '-' && p[1] == '-') {
		close = 1;
		p += 2;
	}
	while (p < n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p != n)
		return 0;
	*closed = close;
	return 1;
}

/* The parts of a multipart body, by its boundary (RFC 2046 §5.1.1). */
static int
multipart(struct ctx *c, const struct ctype *ct, const char *b,
    const char *end, int depth, struct zr_error *err)
{
	const char *l, *n, *start = NULL, *stop, *best = NULL, *bestend = NULL;
	size_t bl = strlen(ct->boundary);
	int found = 0, closed = 0, alt = strcmp(ct->sub, "alternative") == 0;
	int best_rank = 0, rank;
	struct ctype pct;
	const char *ph, *phend, *pb, *v;
	size_t vl;
	int ok;

	if (!ct->has_boundary)
		return zr_error_set(err, ZR_E_MAIL, NULL,
		    "multipart/%s without a boundary", ct->sub);
	for (l = b; l < end && !closed; l = n) {
		n = line_end(l, end);
		if (!delimiter(l, n, ct->boundary, bl, &closed))
			continue;
		/* The line end before a delimiter belongs to it. */
		stop = l;
		if (stop > b && stop[-1] == '\n')
			stop--;
		if (stop > b && stop[-1] == '\r')
			stop--;
		if (start != NULL) {
			if (++c->parts > MAX_PARTS)
				return zr_error_set(err, ZR_E_MAIL, NULL,
				    "more than %d MIME parts", MAX_PARTS);
			if (!alt) {
				if (entity(c, start, stop < start ? start : stop,
				    depth + 1, 0, err) < 0)
					return -1;
			} else {
				/* Prefer text/plain, then HTML, then nested. */
				pb = split_headers(start, stop < start ? start :
				    stop, &phend, 0, &ok);
				ph = start;
				memset(&pct, 0, sizeof(pct));
				strcpy(pct.type, "text");
				strcpy(pct.sub, "plain");
				if (find_field(ph, phend, "content-type", &v, &vl))
					parse_ctype(v, vl, &pct);
				rank = strcmp(pct.type, "text") == 0 ?
				    (strcmp(pct.sub, "plain") == 0 ? 3 :
				    strcmp(pct.sub, "html") == 0 ? 2 : 0) :
				    strcmp(pct.type, "multipart") == 0 ? 1 : 0;
				(void)pb;
				if (rank > best_rank) {
					best_rank = rank;
					best = start;
					bestend = stop < start ? start : stop;
				}
			}
		}
		found = 1;
		start = n;
	}
	if (!found)
		return zr_error_set(err, ZR_E_MAIL, NULL, "multipart/%s: the "
		    "boundary \"%.40s\" never occurs", ct->sub, ct->boundary);
	if (!closed && start != NULL && start < end) {
		/* A truncated mail: take the last part as it is. */
		if (!alt) {
			if (entity(c, start, end, depth + 1, 0, err) < 0)
				return -1;
		} else if (best == NULL) {
			best = start;
			bestend = end;
		}
	}
	if (alt && best != NULL)
		return entity(c, best, bestend, depth + 1, 0, err);
	return 0;
}

static int
entity(struct ctx *c, const char *p, const char *end, int depth, int is_msg,
    struct zr_error *err)
{
	const char *hend, *b, *v, *s;
	size_t vl, dlen;
	struct ctype ct;
	unsigned char *data;
	int ok, rc;

	if (depth > MAX_DEPTH)
		return zr_error_set(err, ZR_E_MAIL, NULL,
		    "MIME parts nested more than %d deep", MAX_DEPTH);
	b = split_headers(p, end, &hend, 0, &ok);
	if (is_msg && add_msg_headers(c, p, hend, err) < 0)
		return -1;
	memset(&ct, 0, sizeof(ct));
	strcpy(ct.type, "text");
	strcpy(ct.sub, "plain");
	if (find_field(p, hend, "content-type", &v, &vl)) {
		parse_ctype(v, vl, &ct);
		if (ct.type[0] == '\0') {
			strcpy(ct.type, "text");
			strcpy(ct.sub, "plain");
		}
	}
	if (strcmp(ct.type, "multipart") == 0)
		return multipart(c, &ct, b, end, depth, err);
	if (strcmp(ct.type, "message") == 0 && (strcmp(ct.sub, "rfc822") == 0 ||
	    strcmp(ct.sub, "global") == 0)) {
		if (decode_body(p, hend, b, end, &data, &dlen, err) < 0)
			return -1;
		rc = entity(c, (const char *)data, (const char *)data + dlen,
		    depth + 1, 1, err);
		free(data);
		return rc;
	}
	if (strcmp(ct.type, "text") != 0)
		return 0; /* images, PDFs and the like carry no text for us */
	/* A non-plain text attachment is not the message. */
	if (strcmp(ct.sub, "plain") != 0 && strcmp(ct.sub, "html") != 0)
		return 0;
	if (find_field(p, hend, "content-disposition", &v, &vl)) {
		s = skip_cfws(v, v + vl);
		if ((size_t)(v + vl - s) >= 10 && ieq(s, 10, "attachment") &&
		    strcmp(ct.sub, "html") == 0)
			return 0;
	}
	if (decode_body(p, hend, b, end, &data, &dlen, err) < 0)
		return -1;
	rc = add_text(c, &ct, data, dlen, err);
	free(data);
	return rc;
}

/* Does the input start like a saved message (vs pasted text)? */
static int
looks_like_mail(const char *p, const char *end)
{
	static const char *const known[] = { "from", "to", "subject", "date",
	    "mime-version", "content-type", "received", "message-id",
	    "return-path", "delivered-to", "reply-to", "x-mailer", NULL };
	const char *hend, *n, *v;
	struct fiter it;
	size_t nl, vl, i;
	int ok;

	split_headers(p, end, &hend, 1, &ok);
	if (!ok || hend == p)
		return 0;
	it.p = p;
	it.end = hend;
	while (next_field(&it, &n, &nl, &v, &vl))
		for (i = 0; known[i] != NULL; i++)
			if (ieq(n, nl, known[i]))
				return 1;
	return 0;
}

/*
 * Text garbled before we got it.  Japanese in UTF-8 has lead bytes E3-E9;
 * read as Latin-1 or Windows-1252 they turn into "ã" ... followed by
 * characters from 0x80-0xBF; read as Shift_JIS the hiragana/katakana
 * leads E3 81 / E3 82 / E3 83 turn into 縺, 繧, 繝.  Bytes read as
 * Latin-1 also leave C1 controls.
 */
static const char *
garbled(const char *s)
{
	static const int32_t cp1252[] = { 0x20ac, 0x201a, 0x0192, 0x201e,
	    0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
	    0x017d, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178 };
	const char *p = s, *end = s + strlen(s);
	int32_t c, prev = 0;
	int latin = 0, sjis = 0, c1 = 0;
	size_t i;

	while (p < end) {
		c = zr_utf8_next(&p, end);
		if (c == 0xfffd)
			return "it contains U+FFFD replacement characters "
			    "(the text was damaged before it was saved)";
		if (c >= 0x80 && c <= 0x9f)
			c1++;
		if (c == 0x7e3a || c == 0x7e67 || c == 0x7e5d)
			sjis++;
		if (prev >= 0xc2 && prev <= 0xf4) {
			int cont = c >= 0x80 && c <= 0xbf;

			for (i = 0; !cont && i < sizeof(cp1252) /
			    sizeof(cp1252[0]); i++)
				cont = c == cp1252[i];
			if (cont)
				latin++;
		}
		prev = c;
	}
	if (latin >= 3)
		return "it looks like UTF-8 read as Latin-1 (mojibake such "
		    "as \"ç”³è«‹\"); save the mail again as .eml";
	if (sjis >= 3)
		return "it looks like UTF-8 read as Shift_JIS (mojibake such "
		    "as \"縺ゅ\"); save the mail again as .eml";
	if (c1 >= 3)
		return "it contains control characters 0x80-0x9F (8-bit "
		    "text read with the wrong character set)";
	return NULL;
}

/* CRLF and lone CR to LF. */
static void
lf_only(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (*s == '\r') {
			*o++ = '\n';
			if (s[1] == '\n')
				s++;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

void
zr_mail_free(struct zr_mail *m)
{
	size_t i, j;

	if (m == NULL)
		return;
	for (i = 0; i < m->nmsgs; i++) {
		for (j = 0; j < m->msgs[i].n; j++) {
			free(m->msgs[i].f[j].name);
			free(m->msgs[i].f[j].value);
		}
		free(m->msgs[i].f);
	}
	free(m->msgs);
	free(m->text);
	free(m->name);
	free(m);
}

int
zr_mail_parse(const void *buf, size_t len, const char *name,
    struct zr_mail **out, struct zr_error *err)
{
	const char *p = buf, *end = p + len, *why;
	struct ctx c;
	struct zr_mail *m;
	struct ctype ct;
	int rc;

	*out = NULL;
	if (name == NULL)
		name = "mail";
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->name = strdup(name)) == NULL) {
		free(m);
		return oom(err);
	}
	memset(&c, 0, sizeof(c));
	c.m = m;
	c.name = name;
	/* An mbox "From " line before the headers. */
	if (len > 5 && memcmp(p, "From ", 5) == 0)
		p = line_end(p, end);
	if (looks_like_mail(p, end)) {
		rc = entity(&c, p, end, 0, 1, err);
	} else {
		memset(&ct, 0, sizeof(ct));
		strcpy(ct.type, "text");
		strcpy(ct.sub, "plain");
		rc = add_text(&c, &ct, (const unsigned char *)p,
		    (size_t)(end - p), err);
		m->have_charset = 0;
		m->charset[0] = '\0';
	}
	if (rc == 0 && c.text.oom)
		rc = oom(err);
	if (rc < 0) {
		if (err != NULL && err->subject[0] == '\0')
			snprintf(err->subject, sizeof(err->subject), "%s", name);
		free(c.text.p);
		zr_mail_free(m);
		return -1;
	}
	if ((m->text = buf_take(&c.text)) == NULL) {
		zr_mail_free(m);
		return oom(err);
	}
	lf_only(m->text);
	if ((why = garbled(m->text)) != NULL) {
		zr_mail_free(m);
		return zr_error_set(err, ZR_E_MAIL, name,
		    "the text is garbled: %s", why);
	}
	{
		const char *t;

		for (t = m->text; *t != '\0' && isspace((unsigned char)*t); t++)
			;
		if (*t == '\0') {
			zr_mail_free(m);
			return zr_error_set(err, len == 0 ? ZR_E_EMPTY :
			    ZR_E_MAIL, name, len == 0 ? NULL :
			    "no readable text in the mail");
		}
	}
	*out = m;
	return 0;
}

int
zr_mail_load(const char *path, struct zr_mail **out, struct zr_error *err)
{
	unsigned char *buf;
	size_t len;
	int rc;

	if (zr_read_file(path, MAIL_MAX, &buf, &len, err) < 0)
		return -1;
	rc = zr_mail_parse(buf, len, zr_display_name(path), out, err);
	free(buf);
	return rc;
}

size_t
zr_mail_nmsgs(const struct zr_mail *m)
{
	return m->nmsgs;
}

const char *
zr_mail_msg_header(const struct zr_mail *m, size_t i, const char *field)
{
	size_t j;

	if (i >= m->nmsgs)
		return NULL;
	for (j = 0; j < m->msgs[i].n; j++)
		if (ieq(m->msgs[i].f[j].name, strlen(m->msgs[i].f[j].name),
		    field))
			return m->msgs[i].f[j].value;
	return NULL;
}

const char *
zr_mail_header(const struct zr_mail *m, const char *field)
{
	return zr_mail_msg_header(m, 0, field);
}

const char *
zr_mail_text(const struct zr_mail *m)
{
	return m->text;
}

const char *
zr_mail_charset(const struct zr_mail *m)
{
	return m->charset;
}

const char *
zr_mail_name(const struct zr_mail *m)
{
	return m->name;
}

/* RFC 5322 §3.3 dates. */

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

static int
read_num(const char **pp, int maxdig, long *v)
{
	const char *p = *pp;
	int n = 0;

	*v = 0;
	while (n < maxdig && *p >= '0' && *p <= '9') {
		*v = *v * 10 + (*p - '0');
		p++;
		n++;
	}
	*pp = p;
	return n;
}

int
zr_mail_date_jst(const char *s, struct zr_date *out, struct zr_error *err)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	static const struct { const char *n; int off; } zones[] = {
		{ "ut", 0 }, { "gmt", 0 }, { "z", 0 }, { "utc", 0 },
		{ "est", -300 }, { "edt", -240 }, { "cst", -360 },
		{ "cdt", -300 }, { "mst", -420 }, { "mdt", -360 },
		{ "pst", -480 }, { "pdt", -420 }, { "jst", 540 },
	};
	const char *p = skip_ws(s), *q;
	long day, year, hh = 0, mm = 0, ss = 0, zone = 0, v, mins;
	int mon = -1, i, nd;
	struct zr_date d;
	char w[8];
	size_t n;

	/* Optional day of the week. */
	q = p;
	while (isalpha((unsigned char)*q))
		q++;
	if (q > p && *skip_ws(q) == ',')
		p = skip_ws(skip_ws(q) + 1);
	if (read_num(&p, 2, &day) == 0)
		goto bad;
	p = skip_ws(p);
	for (n = 0; n < 3 && isalpha((unsigned char)p[n]); n++)
		w[n] = (char)lc((unsigned char)p[n]);
	w[n] = '\0';
	for (i = 0; n == 3 && i < 12; i++)
		if (memcmp(months + 3 * i, w, 3) == 0)
			mon = i + 1;
	if (mon < 0)
		goto bad;
	p += 3;
	while (isalpha((unsigned char)*p))
		p++;
	p = skip_ws(p);
	nd = read_num(&p, 4, &year);
	if (nd == 2)
		year += year < 50 ? 2000 : 1900;
	else if (nd == 3)
		year += 1900;
	else if (nd != 4)
		goto bad;
	p = skip_ws(p);
	if (read_num(&p, 2, &hh) > 0) {
		if (*p != ':')
			goto bad;
		p++;
		if (read_num(&p, 2, &mm) == 0)
			goto bad;
		if (*p == ':') {
			p++;
			if (read_num(&p, 2, &ss) == 0)
				goto bad;
		}
		p = skip_ws(p);
		if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1;

			p++;
			if (read_num(&p, 4, &v) != 4)
				goto bad;
			zone = sign * (v / 100 * 60 + v % 100);
		} else {
			for (n = 0; n < sizeof(w) - 1 &&
			    isalpha((unsigned char)p[n]); n++)
				w[n] = (char)lc((unsigned char)p[n]);
			w[n] = '\0';
			/* Other letters: -0000, "unknown" (RFC 5322 §4.3). */
			for (i = 0; i < (int)(sizeof(zones) / sizeof(zones[0]));
			    i++)
				if (strcmp(w, zones[i].n) == 0)
					zone = zones[i].off;
		}
	}
	if (hh > 23 || mm > 59 || ss > 60 || year < 1900 || year > 9999 ||
	    !zr_date_valid((int)year, mon, (int)day))
		goto bad;
	d.y = (int)year;
	d.m = mon;
	d.d = (int)day;
	/* Minutes since the epoch in UTC, then Japan's UTC+9. */
	mins = zr_date_to_days(d) * 1440 + hh * 60 + mm - zone + 540;
	v = mins >= 0 ? mins / 1440 : -((-mins + 1439) / 1440);
	*out = zr_date_from_days(v);
	return 0;
bad:
	return zr_error_set(err, ZR_E_DATE, NULL, "not an RFC 5322 date: "
	    "\"%.60s\"", s);
}
