/* libzairyu: where images sit on a page, from the content stream's CTM. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdfint.h"

/*
 * This is not a PDF parser: libqpdf reads the file and its objects.  The
 * content stream is a flat sequence of operands and operators (ISO
 * 32000-1 §7.8.2); to know how large an image is drawn we only follow
 * q, Q, cm and Do (§8.4.4, §8.8) and skip everything else, including
 * strings and inline image data.
 */

#define CTM_STACK 64
#define MAX_OPERANDS 8

static int
is_white(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	    c == ' ';
}

static int
is_delim(unsigned char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	    c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

static void
ctm_mul(const struct zri_ctm *m, const struct zri_ctm *c, struct zri_ctm *r)
{
	struct zri_ctm t;

	t.a = m->a * c->a + m->b * c->c;
	t.b = m->a * c->b + m->b * c->d;
	t.c = m->c * c->a + m->d * c->c;
	t.d = m->c * c->b + m->d * c->d;
	t.e = m->e * c->a + m->f * c->c + c->e;
	t.f = m->e * c->b + m->f * c->d + c->f;
	*r = t;
}

/* Skip inline image data after "ID": up to whitespace "EI" whitespace. */
static size_t
skip_inline(const unsigned char *b, size_t len, size_t i)
{
	i++;  /* the single whitespace after ID */
	for (; i + 1 < len; i++)
		if (b[i] == 'E' && b[i + 1] == 'I' && i > 0 &&
		    is_white(b[i - 1]) && (i + 2 == len || is_white(b[i + 2]) ||
		    is_delim(b[i + 2])))
			return i + 2;
	return len;
}

/* Push an operand (a number, or isnum 0 for anything else); a full
 * stack drops its oldest, as only the last few matter (cm takes 6). */
static void
push_operand(double *num, int *isnum, int *nops, double v, int is)
{
	if (*nops == MAX_OPERANDS) {
		memmove(num, num + 1, sizeof(num[0]) * (MAX_OPERANDS - 1));
		memmove(isnum, isnum + 1, sizeof(isnum[0]) *
		    (MAX_OPERANDS - 1));
		(*nops)--;
	}
	num[*nops] = v;
	isnum[(*nops)++] = is;
}

int
zri_content_scan(const unsigned char *b, size_t len,
    const struct zri_ctm *start, zri_do_fn fn, void *ctx, int depth)
{
	struct zri_ctm stack[CTM_STACK], ctm = *start;
	int sp = 0, over = 0, nops = 0, isnum[MAX_OPERANDS];
	double num[MAX_OPERANDS];
	char name[128], tok[64];
	int have_name = 0;
	size_t i = 0, j, k;
	int nest;

	while (i < len) {
		unsigned char c = b[i];

		if (is_white(c)) {
			i++;
			continue;
		}
		if (c == '%') {
			while (i < len && b[i] != '\n' && b[i] != '\r')
				i++;
			continue;
		}
		if (c == '/') {
			for (j = i + 1, k = 0; j < len && !is_white(b[j]) &&
			    !is_delim(b[j]); j++)
				if (k < sizeof(name) - 2)
					name[1 + k++] = (char)b[j];
			name[0] = '/';
			name[1 + k] = '\0';
			have_name = 1;
			i = j;
			goto operand_other;
		}
		if (c == '(') {
			for (nest = 0, j = i; j < len; j++) {
				if (b[j] == '\\') {
					j++;
					continue;
				}
				if (b[j] == '(')
					nest++;
				else if (b[j] == ')' && --nest == 0)
					break;
			}
			i = j + 1;
			goto operand_other;
		}
		if (c == '<') {
			if (i + 1 < len && b[i + 1] == '<') {
				i += 2;
				continue;
			}
			while (i < len && b[i] != '>')
				i++;
			i++;
			goto operand_other;
		}
		if (c == '>' || c == '[' || c == ']' || c == '{' || c == '}' ||
		    c == ')') {
			i++;
			continue;
		}
		/* A number or an operator: a run of regular characters. */
		for (j = i, k = 0; j < len && !is_white(b[j]) && !is_delim(b[j]);
		    j++)
			if (k < sizeof(tok) - 1)
				tok[k++] = (char)b[j];
		tok[k] = '\0';
		i = j;
		if ((tok[0] >= '0' && tok[0] <= '9') || tok[0] == '-' ||
		    tok[0] == '+' || tok[0] == '.') {
			char *end;
			double v = strtod(tok, &end);

			push_operand(num, isnum, &nops, v,
			    *end == '\0' && isfinite(v));
			continue;
		}
		/* An operator. */
		if (strcmp(tok, "q") == 0) {
			if (sp < CTM_STACK)
				stack[sp++] = ctm;
			else
				over++;
		} else if (strcmp(tok, "Q") == 0) {
			if (over > 0)
				over--;
			else if (sp > 0)
				ctm = stack[--sp];
		} else if (strcmp(tok, "cm") == 0) {
			if (nops >= 6 && isnum[nops - 6] && isnum[nops - 5] &&
			    isnum[nops - 4] && isnum[nops - 3] &&
			    isnum[nops - 2] && isnum[nops - 1]) {
				struct zri_ctm m = { num[nops - 6],
					num[nops - 5], num[nops - 4],
					num[nops - 3], num[nops - 2],
					num[nops - 1] };
				ctm_mul(&m, &ctm, &ctm);
			}
		} else if (strcmp(tok, "Do") == 0) {
			if (have_name && fn != NULL)
				fn(ctx, name, &ctm, depth);
		} else if (strcmp(tok, "ID") == 0) {
			i = skip_inline(b, len, i);
		}
		nops = 0;
		have_name = 0;
		continue;
operand_other:
		/* A non-number operand: a name stays usable for Do. */
		if (c != '/')
			have_name = 0;
		push_operand(num, isnum, &nops, 0, 0);
	}
	return 0;
}

/* One level of the page walk: the resources in force and shared state. */
struct walk {
	qpdf_data q;
	qpdf_oh resources;
	zri_place_fn fn;
	void *ctx;
	size_t *budget;     /* content bytes left to scan for this page */
	int forms[ZRI_PDF_MAX_FORM_DEPTH + 1];  /* object ids on the path */
};

static void scan_stream(struct walk *w, const unsigned char *b, size_t len,
    const struct zri_ctm *m, int depth);

static void
on_do(void *ctx, const char *name, const struct zri_ctm *m, int depth)
{
	struct walk *w = ctx, sub;
	struct zri_ctm fm = { 1, 0, 0, 1, 0, 0 }, cm;
	qpdf_data q = w->q;
	qpdf_oh xo, x, mat, it;
	double wd, ht, lx, ly, v[6];
	long long iw, ih;
	int i, id, ok;
	unsigned char *buf;
	size_t len;

	if (!qpdf_oh_is_dictionary(q, w->resources))
		return;
	xo = qpdf_oh_get_key(q, w->resources, "/XObject");
	x = qpdf_oh_get_key_if_dict(q, xo, name);
	if (!qpdf_oh_is_stream(q, x))
		goto out;
	it = qpdf_oh_get_dict(q, x);
	if (zri_oh_is_name(q, it, "/Subtype", "/Image")) {
		lx = hypot(m->a, m->b);
		ly = hypot(m->c, m->d);
		if (zri_oh_get_int(q, it, "/Width", &iw) == 0 &&
		    zri_oh_get_int(q, it, "/Height", &ih) == 0 && iw > 0 &&
		    ih > 0 && lx > 1e-3 && ly > 1e-3 && w->fn != NULL) {
			wd = (double)iw * 72.0 / lx;
			ht = (double)ih * 72.0 / ly;
			w->fn(w->ctx, q, x, wd, ht);
		}
		qpdf_oh_release(q, it);
		goto out;
	}
	ok = zri_oh_is_name(q, it, "/Subtype", "/Form");
	qpdf_oh_release(q, it);
	if (!ok || depth >= ZRI_PDF_MAX_FORM_DEPTH)
		goto out;
	/* A Form XObject: its own matrix and resources, no cycles. */
	id = qpdf_oh_get_object_id(q, x);
	for (i = 0; i <= depth && i <= ZRI_PDF_MAX_FORM_DEPTH; i++)
		if (id != 0 && w->forms[i] == id)
			goto out;
	sub = *w;
	sub.forms[depth + 1] = id;
	it = qpdf_oh_get_dict(q, x);
	mat = qpdf_oh_get_key(q, it, "/Matrix");
	if (qpdf_oh_is_array(q, mat) && qpdf_oh_get_array_n_items(q, mat) == 6) {
		ok = 1;
		for (i = 0; i < 6; i++) {
			qpdf_oh e = qpdf_oh_get_array_item(q, mat, i);
			if (qpdf_oh_is_number(q, e))
				v[i] = qpdf_oh_get_numeric_value(q, e);
			else
				ok = 0;
			qpdf_oh_release(q, e);
		}
		if (ok) {
			fm.a = v[0], fm.b = v[1], fm.c = v[2];
			fm.d = v[3], fm.e = v[4], fm.f = v[5];
		}
	}
	qpdf_oh_release(q, mat);
	sub.resources = qpdf_oh_get_key(q, it, "/Resources");
	if (!qpdf_oh_is_dictionary(q, sub.resources)) {
		qpdf_oh_release(q, sub.resources);
		sub.resources = qpdf_oh_new_object(q, w->resources);
	}
	qpdf_oh_release(q, it);
	ctm_mul(&fm, m, &cm);
	if (zri_stream_decoded(q, x, *w->budget, &buf, &len, NULL) == 0) {
		*w->budget -= len;
		scan_stream(&sub, buf, len, &cm, depth + 1);
		free(buf);
	}
	qpdf_oh_release(q, sub.resources);
out:
	qpdf_oh_release(q, x);
	qpdf_oh_release(q, xo);
}

static void
scan_stream(struct walk *w, const unsigned char *b, size_t len,
    const struct zri_ctm *m, int depth)
{
	zri_content_scan(b, len, m, on_do, w, depth);
}

int
zri_pdf_scan_page(qpdf_data q, qpdf_oh page, zri_place_fn fn, void *ctx,
    struct zr_error *err)
{
	struct walk w;
	struct zri_ctm m = { 1, 0, 0, 1, 0, 0 };
	qpdf_oh contents, s;
	unsigned char *all = NULL, *buf, *nb;
	size_t alllen = 0, len, budget = 4 * ZRI_PDF_MAX_CONTENT;
	double uu = 1;
	int i, n, rc = 0;

	memset(&w, 0, sizeof(w));
	w.q = q;
	w.fn = fn;
	w.ctx = ctx;
	w.budget = &budget;
	w.resources = qpdf_oh_get_key(q, page, "/Resources");
	contents = qpdf_oh_get_key(q, page, "/Contents");
	n = qpdf_oh_is_array(q, contents) ?
	    qpdf_oh_get_array_n_items(q, contents) :
	    qpdf_oh_is_stream(q, contents) ? 1 : 0;
	/* The page's content is the concatenation of its streams. */
	for (i = 0; i < n && rc == 0; i++) {
		s = qpdf_oh_is_array(q, contents) ?
		    qpdf_oh_get_array_item(q, contents, i) :
		    qpdf_oh_new_object(q, contents);
		if (qpdf_oh_is_stream(q, s)) {
			rc = zri_stream_decoded(q, s, ZRI_PDF_MAX_CONTENT -
			    alllen, &buf, &len, err);
			if (rc == 0) {
				nb = realloc(all, alllen + len + 1);
				if (nb == NULL) {
					free(buf);
					rc = zr_error_set(err, ZR_E_NOMEM,
					    NULL, NULL);
				} else {
					all = nb;
					/* An empty stream may come back as
					 * NULL: no bytes to copy. */
					if (len > 0)
						memcpy(all + alllen, buf, len);
					alllen += len;
					all[alllen++] = '\n';
					free(buf);
				}
			}
		}
		qpdf_oh_release(q, s);
	}
	qpdf_oh_release(q, contents);
	if (rc == 0) {
		if (zri_oh_get_num(q, page, "/UserUnit", &uu) < 0 || uu <= 0 ||
		    uu > 75000)
			uu = 1;
		m.a = m.d = uu;
		budget = budget > alllen ? budget - alllen : 0;
		scan_stream(&w, all, alllen, &m, 0);
	}
	free(all);
	qpdf_oh_release(q, w.resources);
	return rc;
}
