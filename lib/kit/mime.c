/* libzairyu: MIME mail decoding (RFC 2045-2047, 5322) into UTF-8 text:
 * the message structure (headers, parts, bodies, dates); charset.c has
 * the decoders, character sets and encoded words. */
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

/* Nesting of multipart and message/rfc822 parts we follow. */
#define MAX_DEPTH 12
/* Parts we look at in one mail (a mail with thousands is an attack). */
#define MAX_PARTS 256
/* A saved mail is never larger; the completion mail is a few KB. */
#define MAIL_MAX ((size_t)16 * 1024 * 1024)

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
		if (zri_ieq(n, nl, name))
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
		dst[i] = (char)(lower ? zri_lc((unsigned char)s[i]) : s[i]);
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
	struct zri_buf text;
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
		return zri_oom(err);
	c->m->msgs = nm;
	mm = &nm[c->m->nmsgs++];
	memset(mm, 0, sizeof(*mm));
	while (next_field(&it, &n, &nl, &v, &vl)) {
		if (mm->n >= 512)
			break;
		nf = realloc(mm->f, (mm->n + 1) * sizeof(*nf));
		if (nf == NULL)
			return zri_oom(err);
		mm->f = nf;
		nf = &mm->f[mm->n];
		nf->value = NULL;
		if ((nf->name = malloc(nl + 1)) == NULL)
			return zri_oom(err);
		memcpy(nf->name, n, nl);
		nf->name[nl] = '\0';
		mm->n++;
		if (zr_mime_header_decode(v, vl, &nf->value, err) < 0) {
			/* A header we cannot read is kept raw-ish, unless it
			 * is one we rely on; keep the error for those. */
			if (err != NULL && err->code == ZR_E_NOMEM)
				return -1;
			if (zri_ieq(n, nl, "subject") || zri_ieq(n, nl, "date"))
				return -1;
			if ((nf->value = strdup("")) == NULL)
				return zri_oom(err);
		}
	}
	return 0;
}

/* Reduce HTML to text: tags out, block ends to line ends, entities in. */
static int
html_to_text(const char *s, size_t len, struct zri_buf *out)
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
				tag[n++] = (char)zri_lc((unsigned char)*t);
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
					zri_buf_addc(out, '\n');
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
			zri_buf_addc(out, ' ');
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
				zri_buf_addcp(out, cp);
				continue;
			}
		}
		zri_buf_addc(out, *p++);
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
			return zri_oom(err);
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
	struct zri_buf u = { 0 };
	int rc;

	if (!c->m->have_charset) {
		snprintf(c->m->charset, sizeof(c->m->charset), "%s", ct->charset);
		c->m->have_charset = 1;
	}
	if (zri_to_utf8(ct->charset, data, len, &u, err) < 0) {
		free(u.p);
		return -1;
	}
	if (c->text.n > 0 && c->text.p[c->text.n - 1] != '\n')
		zri_buf_addc(&c->text, '\n');
	if (strcmp(ct->sub, "html") == 0)
		rc = html_to_text(u.p != NULL ? u.p : "", u.n, &c->text);
	else
		rc = zri_buf_add(&c->text, u.p, u.n);
	free(u.p);
	return rc < 0 || c->text.oom ? zri_oom(err) : 0;
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
		if ((size_t)(v + vl - s) >= 10 && zri_ieq(s, 10, "attachment") &&
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
			if (zri_ieq(n, nl, known[i]))
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
		return zri_oom(err);
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
		rc = zri_oom(err);
	if (rc < 0) {
		if (err != NULL && err->subject[0] == '\0')
			snprintf(err->subject, sizeof(err->subject), "%s", name);
		free(c.text.p);
		zr_mail_free(m);
		return -1;
	}
	if ((m->text = zri_buf_take(&c.text)) == NULL) {
		zr_mail_free(m);
		return zri_oom(err);
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
		if (zri_ieq(m->msgs[i].f[j].name, strlen(m->msgs[i].f[j].name),
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
		w[n] = (char)zri_lc((unsigned char)p[n]);
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
				w[n] = (char)zri_lc((unsigned char)p[n]);
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
