/* libzairyu: who, with what, when and where, as XMP and IPTC metadata say. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/image.h"

/*
 * XMP (ISO 16684-1:2019, Adobe XMP Specification Part 1-3) is RDF/XML:
 * a property is an element or an attribute whose name is a namespace URI
 * (bound to any prefix by xmlns:p="URI") and a local name.  The packet is
 * walked tag by tag, with the namespace declarations in scope kept on a
 * bounded stack; the properties below count when they carry a value:
 * text, an rdf:resource, or fields of their own (rdf:Seq/Bag/Alt items,
 * structs in element or attribute form).
 */
enum kind { K_PERSONAL, K_GPS, K_LAT, K_LON };

struct prop {
	const char *uri, *prefix, *local;
	enum kind kind;
	int any;                  /* every local name starting with local */
};

#define NS_DC    "http://purl.org/dc/elements/1.1/"
#define NS_XMP   "http://ns.adobe.com/xap/1.0/"
#define NS_PDF   "http://ns.adobe.com/pdf/1.3/"
#define NS_PS    "http://ns.adobe.com/photoshop/1.0/"
#define NS_EXIF  "http://ns.adobe.com/exif/1.0/"
#define NS_EXEX  "http://cipa.jp/exif/1.0/"
#define NS_AUX   "http://ns.adobe.com/exif/1.0/aux/"
#define NS_TIFF  "http://ns.adobe.com/tiff/1.0/"
#define NS_RIGHT "http://ns.adobe.com/xap/1.0/rights/"
#define NS_IPTC  "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
#define NS_IPTX  "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
#define NS_RDF   "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

static const struct prop props[] = {
	/* GPS (Exif 2.3 for XMP, CIPA DC-010-2012 §6; IPTC Photo Metadata
	 * 2019.1 "GPS-Latitude" in LocationCreated/LocationShown). */
	{ NS_EXIF, "exif", "GPSLatitude", K_LAT, 0 },
	{ NS_EXIF, "exif", "GPSLongitude", K_LON, 0 },
	{ NS_EXIF, "exif", "GPS", K_GPS, 1 },
	{ NS_IPTX, "Iptc4xmpExt", "GPSLatitude", K_LAT, 0 },
	{ NS_IPTX, "Iptc4xmpExt", "GPSLongitude", K_LON, 0 },
	/* People, their places and tools, dates (Dublin Core, XMP basic,
	 * Adobe PDF, Photoshop, IPTC Core and Extension, Exif, TIFF). */
	{ NS_DC, "dc", "creator", K_PERSONAL, 0 },
	{ NS_DC, "dc", "contributor", K_PERSONAL, 0 },
	{ NS_DC, "dc", "publisher", K_PERSONAL, 0 },
	{ NS_DC, "dc", "rights", K_PERSONAL, 0 },
	{ NS_PDF, "pdf", "Author", K_PERSONAL, 0 },
	{ NS_XMP, "xmp", "CreatorTool", K_PERSONAL, 0 },
	{ NS_XMP, "xmp", "Author", K_PERSONAL, 0 },
	{ NS_XMP, "xmp", "CreateDate", K_PERSONAL, 0 },
	{ NS_XMP, "xmp", "ModifyDate", K_PERSONAL, 0 },
	{ NS_XMP, "xmp", "MetadataDate", K_PERSONAL, 0 },
	{ NS_PS, "photoshop", "AuthorsPosition", K_PERSONAL, 0 },
	{ NS_PS, "photoshop", "CaptionWriter", K_PERSONAL, 0 },
	{ NS_PS, "photoshop", "Credit", K_PERSONAL, 0 },
	{ NS_PS, "photoshop", "City", K_PERSONAL, 0 },
	{ NS_PS, "photoshop", "State", K_PERSONAL, 0 },
	{ NS_PS, "photoshop", "Country", K_PERSONAL, 0 },
	{ NS_PS, "photoshop", "DateCreated", K_PERSONAL, 0 },
	{ NS_IPTC, "Iptc4xmpCore", "", K_PERSONAL, 1 },
	{ NS_IPTX, "Iptc4xmpExt", "PersonInImage", K_PERSONAL, 1 },
	{ NS_IPTX, "Iptc4xmpExt", "Location", K_PERSONAL, 1 },
	{ NS_RIGHT, "xmpRights", "Owner", K_PERSONAL, 0 },
	{ NS_EXIF, "exif", "DateTimeOriginal", K_PERSONAL, 0 },
	{ NS_EXIF, "exif", "DateTimeDigitized", K_PERSONAL, 0 },
	{ NS_EXEX, "exifEX", "CameraOwnerName", K_PERSONAL, 0 },
	{ NS_EXEX, "exifEX", "BodySerialNumber", K_PERSONAL, 0 },
	{ NS_AUX, "aux", "OwnerName", K_PERSONAL, 0 },
	{ NS_AUX, "aux", "SerialNumber", K_PERSONAL, 0 },
	{ NS_TIFF, "tiff", "Artist", K_PERSONAL, 0 },
	{ NS_TIFF, "tiff", "Copyright", K_PERSONAL, 0 },
};
#define NPROPS (sizeof(props) / sizeof(props[0]))

#define MAX_NS    256             /* declarations in scope */
#define MAX_OPEN  32              /* property elements open at once */
#define MAX_ATTRS 4096            /* attributes in one tag */

struct span {
	const char *p;
	size_t n;
};

struct binding {
	struct span prefix, uri;
	int depth;
};

struct open {
	int prop, depth, value;
	char name[64];
};

struct scan {
	const char *b;
	size_t len;
	struct binding ns[MAX_NS];
	int nns;
	struct open op[MAX_OPEN];
	int nop;
	int depth;
	int found;
	struct zr_privacy *p;
};

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_ws(s[i]))
			return 0;
	return 1;
}

static int
span_is(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

/* Add name to the list (once; ", ..." when it no longer fits). */
static void
add_name(struct zr_privacy *p, const char *name)
{
	size_t l = strlen(p->names), n = strlen(name);
	const char *at = p->names;

	while ((at = strstr(at, name)) != NULL) {
		if ((at == p->names || at[-1] == ' ') &&
		    (at[n] == '\0' || at[n] == ','))
			return;
		at += n;
	}
	if (l >= 5 && strcmp(p->names + l - 5, ", ...") == 0)
		return;
	if (l + (l ? 2 : 0) + n + 5 < sizeof(p->names))
		snprintf(p->names + l, sizeof(p->names) - l, "%s%s",
		    l ? ", " : "", name);
	else if (l + 5 < sizeof(p->names))
		snprintf(p->names + l, sizeof(p->names) - l, ", ...");
}

static void
hit(struct scan *s, int k, const char *name)
{
	struct zr_privacy *p = s->p;

	s->found++;
	switch (props[k].kind) {
	case K_LAT:
	case K_LON:
		p->gps = 1;
		p->gps_position |= props[k].kind == K_LAT ? 1 : 2;
		break;
	case K_GPS:
		p->gps = 1;
		break;
	case K_PERSONAL:
		p->personal++;
		break;
	}
	add_name(p, name);
}

/* The namespace bound to prefix (empty: the default one) in scope. */
static int
lookup(const struct scan *s, struct span prefix, struct span *uri)
{
	int i;

	for (i = s->nns - 1; i >= 0; i--)
		if (s->ns[i].prefix.n == prefix.n && memcmp(s->ns[i].prefix.p,
		    prefix.p, prefix.n) == 0) {
			*uri = s->ns[i].uri;
			return 1;
		}
	return 0;
}

/*
 * The property a qualified name is, or -1; name gets its usual form.
 * Unprefixed attributes have no namespace (Namespaces in XML 1.0 §6.2).
 */
static int
match(const struct scan *s, struct span q, int attr, char *name, size_t nsz)
{
	struct span prefix = { q.p, 0 }, local = q, uri;
	const char *c = memchr(q.p, ':', q.n);
	size_t k, ln;
	int bound;

	if (c != NULL) {
		prefix.n = (size_t)(c - q.p);
		local.p = c + 1;
		local.n = q.n - prefix.n - 1;
	} else if (attr)
		return -1;
	bound = lookup(s, prefix, &uri);
	for (k = 0; k < NPROPS; k++) {
		ln = strlen(props[k].local);
		if (props[k].any ? local.n < ln : local.n != ln)
			continue;
		if (memcmp(local.p, props[k].local, ln) != 0)
			continue;
		/* Bound: by its URI.  Not bound (a sloppy writer): as the
		 * prefix everyone uses for it. */
		if (bound ? !span_is(uri, props[k].uri) :
		    !span_is(prefix, props[k].prefix))
			continue;
		snprintf(name, nsz, "%s:%.*s", props[k].prefix,
		    local.n > 40 ? 40 : (int)local.n, local.p);
		return (int)k;
	}
	return -1;
}

/* Every open property element now has a value. */
static void
mark_value(struct scan *s)
{
	int i;

	for (i = 0; i < s->nop; i++)
		s->op[i].value = 1;
}

/* Leaving depth d: its open properties end, its declarations go. */
static void
close_depth(struct scan *s, int d)
{
	while (s->nop > 0 && s->op[s->nop - 1].depth >= d) {
		struct open *o = &s->op[--s->nop];

		if (o->value)
			hit(s, o->prop, o->name);
	}
	while (s->nns > 0 && s->ns[s->nns - 1].depth >= d)
		s->nns--;
}

/* The next attribute of the tag in [*i, end): 0 when there is none. */
static int
next_attr(const char *b, size_t *i, size_t end, struct span *name,
    struct span *val)
{
	size_t j = *i;
	char qc;

	while (j < end && (is_ws(b[j]) || b[j] == '/'))
		j++;
	if (j >= end)
		return 0;
	name->p = b + j;
	while (j < end && !is_ws(b[j]) && b[j] != '=' && b[j] != '/')
		j++;
	name->n = (size_t)(b + j - name->p);
	while (j < end && is_ws(b[j]))
		j++;
	val->p = b + j;
	val->n = 0;
	if (j < end && b[j] == '=') {
		j++;
		while (j < end && is_ws(b[j]))
			j++;
		if (j < end && (b[j] == '"' || b[j] == '\'')) {
			qc = b[j++];
			val->p = b + j;
			while (j < end && b[j] != qc)
				j++;
			val->n = (size_t)(b + j - val->p);
			if (j < end)
				j++;
		}
	}
	if (name->n == 0 && j == *i)
		j++;
	*i = j;
	return 1;
}

/* A start tag in [i, end) (after '<', before '>' or "/>"). */
static void
start_tag(struct scan *s, size_t i, size_t end, int empty)
{
	const char *b = s->b;
	struct span q, an, av, uri;
	size_t j, nattr = 0;
	char name[64];
	int d = s->depth + 1, k;

	q.p = b + i;
	while (i < end && !is_ws(b[i]) && b[i] != '/')
		i++;
	q.n = (size_t)(b + i - q.p);
	/* First the declarations (they may follow what they bind). */
	for (j = i; nattr++ < MAX_ATTRS && next_attr(b, &j, end, &an, &av);) {
		if (an.n >= 5 && memcmp(an.p, "xmlns", 5) == 0 &&
		    (an.n == 5 || an.p[5] == ':') && s->nns < MAX_NS) {
			struct binding *nb = &s->ns[s->nns++];

			nb->prefix.p = an.p + (an.n > 5 ? 6 : 5);
			nb->prefix.n = an.n > 5 ? an.n - 6 : 0;
			nb->uri = av;
			nb->depth = d;
		}
	}
	s->depth = d;
	k = match(s, q, 0, name, sizeof(name));
	if (k >= 0 && s->nop < MAX_OPEN) {
		struct open *o = &s->op[s->nop++];

		o->prop = k;
		o->depth = d;
		o->value = 0;
		memcpy(o->name, name, sizeof(name));
	}
	for (j = i, nattr = 0; nattr++ < MAX_ATTRS &&
	    next_attr(b, &j, end, &an, &av);) {
		struct span pre = { an.p, 0 };
		const char *c;

		if (an.n >= 5 && memcmp(an.p, "xmlns", 5) == 0 &&
		    (an.n == 5 || an.p[5] == ':'))
			continue;
		if (blank(av.p, av.n))
			continue;
		if ((k = match(s, an, 1, name, sizeof(name))) >= 0)
			hit(s, k, name);
		/* A field of the open properties, or a resource; not the
		 * RDF syntax nor xml:lang. */
		c = memchr(an.p, ':', an.n);
		if (c != NULL)
			pre.n = (size_t)(c - an.p);
		if (c != NULL && span_is(pre, "xml"))
			continue;
		if (c != NULL) {
			struct span loc = { c + 1, an.n - pre.n - 1 };
			int rdf = lookup(s, pre, &uri) ? span_is(uri, NS_RDF) :
			    span_is(pre, "rdf");

			if (rdf && !span_is(loc, "resource"))
				continue;
		}
		mark_value(s);
	}
	if (empty) {
		close_depth(s, d);
		s->depth = d - 1;
	}
}

/* From b[i] == '<': the end of what starts there (after its '>'). */
static size_t
markup(struct scan *s, size_t i)
{
	const char *b = s->b, *e;
	size_t len = s->len, j, end;
	char qc = 0;

#define REST(n) (len - i >= (n))
	if (REST(4) && memcmp(b + i, "<!--", 4) == 0) {
		for (j = i + 4; j + 3 <= len; j++)
			if (memcmp(b + j, "-->", 3) == 0)
				return j + 3;
		return len;
	}
	if (REST(9) && memcmp(b + i, "<![CDATA[", 9) == 0) {
		for (j = i + 9; j + 3 <= len; j++)
			if (memcmp(b + j, "]]>", 3) == 0)
				break;
		if (j + 3 > len)
			j = len;
		if (s->nop > 0 && !blank(b + i + 9, j - i - 9))
			mark_value(s);
		return j + 3 > len ? len : j + 3;
	}
	if (REST(2) && (b[i + 1] == '?' || b[i + 1] == '!')) {
		e = memchr(b + i, '>', len - i);
		return e != NULL ? (size_t)(e - b) + 1 : len;
	}
	/* A tag: up to its '>' outside quoted values. */
	for (end = i + 1; end < len; end++) {
		if (qc != 0) {
			if (b[end] == qc)
				qc = 0;
		} else if (b[end] == '"' || b[end] == '\'')
			qc = b[end];
		else if (b[end] == '>')
			break;
	}
	if (REST(2) && b[i + 1] == '/') {
		if (s->depth > 0) {
			close_depth(s, s->depth);
			s->depth--;
		}
	} else if (end > i + 1)
		start_tag(s, i + 1, b[end - 1] == '/' ? end - 1 : end,
		    b[end - 1] == '/');
	return end < len ? end + 1 : len;
#undef REST
}

/* UTF-16 or UTF-32 (XMP Part 1 §7.2): the markup is ASCII, so each unit
 * becomes its byte, or 'x' past ASCII (a character of a value). */
static int
fold(const unsigned char *b, size_t len, char **out, size_t *outlen)
{
	size_t w = 0, be = 0, i, o = 0;
	char *c;

	*out = NULL;

	if (len >= 4 && ((b[0] == 0 && b[1] == 0 && b[2] == 0xFE &&
	    b[3] == 0xFF) || (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3])))
		w = 4, be = 1;
	else if (len >= 4 && ((b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 &&
	    b[3] == 0) || (b[0] && b[1] == 0 && b[2] == 0 && b[3] == 0)))
		w = 4;
	else if (len >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) ||
	    (b[0] == 0 && b[1])))
		w = 2, be = 1;
	else if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) ||
	    (b[0] && b[1] == 0)))
		w = 2;
	if (w == 0)
		return 0;
	if ((c = malloc(len / w + 1)) == NULL)
		return -1;
	for (i = 0; i + w <= len; i += w) {
		unsigned long v = 0;
		size_t k;

		for (k = 0; k < w; k++)
			v |= (unsigned long)b[i + (be ? w - 1 - k : k)] << (8 * k);
		if (v == 0xFEFF)
			continue;
		c[o++] = v < 0x80 ? (char)v : 'x';
	}
	*out = c;
	*outlen = o;
	return 1;
}

int
zr_xmp_scan(const unsigned char *buf, size_t len, struct zr_privacy *p)
{
	struct scan *s;
	char *folded = NULL;
	size_t i = 0, j;
	int found;

	if (len == 0)
		return 0;
	/* A NUL or a BOM of UTF-16 in the first two bytes: not UTF-8. */
	if (len >= 2 && (buf[0] == 0 || buf[1] == 0 || (buf[0] == 0xFE &&
	    buf[1] == 0xFF) || (buf[0] == 0xFF && buf[1] == 0xFE))) {
		size_t n = 0;
		int rc = fold(buf, len, &folded, &n);

		if (rc < 0)
			return -1;
		if (rc > 0) {
			buf = (const unsigned char *)folded;
			len = n;
		}
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		free(folded);
		return -1;
	}
	s->b = (const char *)buf;
	s->len = len;
	s->p = p;
	while (i < len) {
		const char *lt = memchr(s->b + i, '<', len - i);

		j = lt != NULL ? (size_t)(lt - s->b) : len;
		if (s->nop > 0 && !blank(s->b + i, j - i))
			mark_value(s);
		if (j >= len)
			break;
		i = markup(s, j);
	}
	close_depth(s, 0);
	found = s->found;
	free(s);
	free(folded);
	return found;
}

/* ---- IPTC IIM (IPTC-NAA Information Interchange Model 4.2) ---- */

static const struct {
	unsigned ds;
	const char *name;
} iim[] = {
	{ 55, "IPTC Date Created" }, { 80, "IPTC By-line" },
	{ 85, "IPTC By-line Title" }, { 90, "IPTC City" },
	{ 92, "IPTC Sub-location" }, { 95, "IPTC Province-State" },
	{ 101, "IPTC Country" }, { 110, "IPTC Credit" },
	{ 116, "IPTC Copyright Notice" }, { 118, "IPTC Contact" },
	{ 122, "IPTC Writer-Editor" },
};

/* Record 2 datasets: 0x1C, record, dataset, a 2-byte length (the long
 * form, high bit set, skipped as a whole) and the value. */
static int
iim_scan(const unsigned char *d, size_t n, struct zr_privacy *p)
{
	size_t i = 0, vl, k;
	int found = 0;

	while (i + 5 <= n && d[i] == 0x1C) {
		unsigned rec = d[i + 1], ds = d[i + 2];

		vl = (size_t)d[i + 3] << 8 | d[i + 4];
		i += 5;
		if (vl & 0x8000) {
			size_t nl = vl & 0x7FFF, v = 0;

			if (nl > 4 || n - i < nl)
				break;
			for (k = 0; k < nl; k++)
				v = v << 8 | d[i + k];
			i += nl;
			vl = v;
		}
		if (vl > n - i)
			break;
		if (rec == 2 && !blank((const char *)d + i, vl))
			for (k = 0; k < sizeof(iim) / sizeof(iim[0]); k++)
				if (iim[k].ds == ds) {
					p->personal++;
					add_name(p, iim[k].name);
					found++;
				}
		i += vl;
	}
	return found;
}

int
zr_iptc_scan(const unsigned char *b, size_t len, struct zr_privacy *p)
{
	static const char sig[] = "Photoshop 3.0";
	size_t i = sizeof(sig), nl, sz;
	int found = 0, guard = 0;

	if (len < sizeof(sig) || memcmp(b, sig, sizeof(sig)) != 0)
		return 0;
	/* 8BIM resources (Photoshop File Formats, Image Resource Blocks):
	 * signature, id, an even-padded Pascal name, size, even-padded
	 * data. */
	while (len - i >= 12 && guard++ < 10000 && memcmp(b + i, "8BIM",
	    4) == 0) {
		unsigned id = (unsigned)b[i + 4] << 8 | b[i + 5];

		nl = (size_t)b[i + 6] + 1;
		nl += nl & 1;
		if (len - i - 6 < nl + 4)
			break;
		i += 6 + nl;
		sz = (size_t)b[i] << 24 | (size_t)b[i + 1] << 16 |
		    (size_t)b[i + 2] << 8 | b[i + 3];
		i += 4;
		if (sz > len - i)
			break;
		if (id == 0x0404)
			found += iim_scan(b + i, sz, p);
		i += sz + (sz & 1);
		if (i > len)
			break;
	}
	return found;
}
