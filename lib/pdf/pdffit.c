/* libzairyu: the budget search of a merge: levels, estimates, real encodes. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/* ---- the budget search ------------------------------------------------- */

/* Levels from best to worst: each dpi step at qualities 90..75, then at
 * the floor dpi down to the floor quality (legibility first: resolution
 * matters more than JPEG quality for text). */
static void
make_levels(struct zri_merge *m)
{
	static const int dpis[] = { 300, 250, 200, 150 };
	static const int qs[] = { 90, 85, 80, 75, 70, 65, 60, 55, 50, 45, 40 };
	int fd = m->o->floor_dpi > 0 ? m->o->floor_dpi : 150;
	int fq = m->o->floor_quality > 0 ? m->o->floor_quality : 60;
	int d[8], nd = 0, i, j;

	for (i = 0; i < 4; i++)
		if (dpis[i] > fd)
			d[nd++] = dpis[i];
	d[nd++] = fd;
	m->nlv = 0;
	for (i = 0; i < nd; i++)
		for (j = 0; j < 11 && m->nlv < 31; j++) {
			if (qs[j] < fq || (i < nd - 1 && qs[j] < 75))
				break;
			m->lv[m->nlv].dpi = d[i];
			m->lv[m->nlv].q = qs[j];
			m->nlv++;
		}
	/* The floor quality itself when it is not on the list. */
	if (m->nlv < 32 && m->lv[m->nlv - 1].q != fq &&
	    m->lv[m->nlv - 1].q > fq) {
		m->lv[m->nlv].dpi = fd;
		m->lv[m->nlv].q = fq;
		m->nlv++;
	}
}

/* Target size of an image at dpi: downsampled only when above it. */
static void
target(const struct zri_img *im, int dpi, int *w, int *h)
{
	double s;

	*w = im->width;
	*h = im->height;
	if (im->dpi <= 0 || im->dpi <= dpi * 1.05)
		return;
	s = dpi / im->dpi;
	*w = (int)(im->width * s + 0.5);
	*h = (int)(im->height * s + 0.5);
	if (*w < 1)
		*w = 1;
	if (*h < 1)
		*h = 1;
}

/* Decode the stored samples of an image (fetched beforehand: libqpdf is
 * used by the main thread only); gray: the luma alone of a colour JPEG. */
static int
decode_img(const struct zri_img *im, const unsigned char *raw, size_t rawlen,
    int mw, int mh, int gray, struct zr_image *out, struct zr_error *err)
{
	struct zr_pdf_imgfmt f;

	memset(&f, 0, sizeof(f));
	f.width = im->width;
	f.height = im->height;
	f.components = im->comps;
	f.bpc = 8;
	f.filter = im->filter == ZRI_F_DCT || im->filter == ZRI_F_FLATEDCT ?
	    ZR_PDF_DCT : im->filter ==
	    ZRI_F_FLATE ? ZR_PDF_FLATE : ZR_PDF_RAW;
	f.predictor = im->predictor;
	f.gray = gray && f.filter == ZR_PDF_DCT;
	return zr_pdf_image_decode(&f, raw, rawlen, mw, mh, out, err);
}

/* Bytes an image takes at a level, given its estimate or real size:
 * a JPEG that is not downsampled is re-encoded only for a real gain. */
static long long
choose(const struct zri_img *im, int dpi, long long newlen)
{
	int w, h;

	target(im, dpi, &w, &h);
	if (w == im->width && h == im->height && (im->filter == ZRI_F_DCT ||
	    im->filter == ZRI_F_FLATEDCT))
		return newlen * 10 < im->raw * 9 ? newlen : im->raw;
	return newlen < im->raw ? newlen : im->raw;
}

static int
eligible(const struct zri_img *im)
{
	return im->eligible;
}

/*
 * The estimate of one image: one decode (at the largest size any level
 * needs, gray or colour decided on it), then the bytes at every level.
 * -1 only when out of memory; an image that cannot be decoded or
 * measured is kept as it is.
 */
static int
estimate_one(const struct zri_merge *m, struct zri_img *im,
    const unsigned char *raw, size_t rawlen, void *arg)
{
	struct zr_image dec;
	int qs[32], l, l0, nq, w, h;
	long long b[32];
	struct zr_error e;

	(void)arg;
	im->est = calloc((size_t)m->nlv, sizeof(*im->est));
	if (im->est == NULL)
		return -1;
	/* At the largest size any level needs; then bands at every dpi
	 * step. */
	target(im, m->lv[0].dpi, &w, &h);
	if (decode_img(im, raw, rawlen, w, h, 0, &dec, &e) < 0) {
		im->eligible = 0;
		return e.code == ZR_E_NOMEM ? -1 : 0;
	}
	im->gray = im->icc_gray_ok && zr_pdf_image_near_gray(&dec);
	for (l0 = 0; l0 < m->nlv; l0 = l) {
		nq = 0;
		for (l = l0; l < m->nlv && m->lv[l].dpi == m->lv[l0].dpi; l++)
			qs[nq++] = m->lv[l].q;
		target(im, m->lv[l0].dpi, &w, &h);
		if (zr_pdf_image_estimate(&dec, w, h, im->gray, qs, nq, b,
		    &e) < 0) {
			zr_image_free(&dec);
			im->eligible = 0;
			return e.code == ZR_E_NOMEM ? -1 : 0;
		}
		for (l = l0; l < l0 + nq; l++)
			im->est[l] = choose(im, m->lv[l].dpi, b[l - l0]);
	}
	zr_image_free(&dec);
	return 0;
}

/* The JPEG of one image at level l, in im->data when it is worth
 * replacing the stored one. */
static int
encode_one(const struct zri_merge *m, struct zri_img *im,
    const unsigned char *raw, size_t rawlen, void *arg)
{
	int l = *(const int *)arg;
	struct zr_image dec;
	unsigned char *jpg;
	size_t len;
	int w, h;
	struct zr_error e;

	target(im, m->lv[l].dpi, &w, &h);
	if (decode_img(im, raw, rawlen, w, h, im->gray, &dec, &e) < 0)
		return e.code == ZR_E_NOMEM ? -1 : 0;
	if (zr_pdf_image_recode(&dec, w, h, im->gray, m->lv[l].q, &jpg, &len,
	    &e) < 0) {
		zr_image_free(&dec);
		return e.code == ZR_E_NOMEM ? -1 : 0;
	}
	zr_image_free(&dec);
	if (choose(im, m->lv[l].dpi, (long long)len) == (long long)len &&
	    (long long)len != im->raw) {
		im->data = jpg;
		im->len = len;
		im->nw = w;
		im->nh = h;
	} else
		free(jpg);
	return 0;
}

static int
estimate_all(struct zri_merge *m, struct zr_error *err)
{
	return zri_pool_run(m, eligible, estimate_one, NULL, 0, err);
}

static void
free_final(struct zri_merge *m)
{
	size_t i;

	for (i = 0; i < m->nimg; i++) {
		free(m->img[i].data);
		m->img[i].data = NULL;
		m->img[i].len = 0;
	}
}

/* Re-encode every eligible image at level l; returns the exact change
 * in bytes (negative: saved) plus a bound on dictionary growth. */
static int
encode_level(struct zri_merge *m, int l, long long *delta, struct zr_error *err)
{
	size_t i;

	*delta = 0;
	free_final(m);
	if (zri_pool_run(m, eligible, encode_one, &l, 0, err) < 0)
		return -1;
	for (i = 0; i < m->nimg; i++)
		/* /Filter, /ColorSpace, /Width, /Height, /Length may each
		 * grow by a few bytes. */
		if (m->img[i].data != NULL)
			*delta += (long long)m->img[i].len - m->img[i].raw + 96;
	return 0;
}

static void
replace_images(struct zri_merge *m)
{
	qpdf_data q = m->out;
	qpdf_oh f, p, d;
	size_t i;

	for (i = 0; i < m->nimg; i++) {
		struct zri_img *im = &m->img[i];

		if (im->data == NULL)
			continue;
		f = zri_name(q, "/DCTDecode");
		p = qpdf_oh_new_null(q);
		qpdf_oh_replace_stream_data(q, im->oh, im->data, im->len, f, p);
		qpdf_oh_release(q, f);
		qpdf_oh_release(q, p);
		d = qpdf_oh_get_dict(q, im->oh);
		zri_set_key(q, d, "/Width", qpdf_oh_new_integer(q, im->nw));
		zri_set_key(q, d, "/Height", qpdf_oh_new_integer(q, im->nh));
		zri_set_key(q, d, "/BitsPerComponent",
		    qpdf_oh_new_integer(q, 8));
		if (im->gray && im->comps == 3)
			zri_set_key(q, d, "/ColorSpace",
			    zri_name(q, "/DeviceGray"));
		qpdf_oh_release(q, d);
		free(im->data);
		im->data = NULL;
		im->raw = (long long)im->len;
		im->filter = ZRI_F_DCT;
		im->dpi = im->dpi * im->nw / im->width;
		im->width = im->nw;
		im->height = im->nh;
		m->res->inputs[im->input].images_recoded++;
		if (im->gray && im->comps == 3)
			m->res->inputs[im->input].images_gray++;
	}
}

static int
cmp_ll_desc(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	return x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : (x[1] > y[1]) -
	    (x[1] < y[1]);
}

/* A size for a message: "9.8 MB", or "420 kB" / "900 bytes" when small. */
static char *
mb(char *b, size_t n, long long v)
{
	if (v >= 1000000)
		snprintf(b, n, "%lld.%01lld MB", v / 1000000,
		    (v % 1000000) / 100000);
	else if (v >= 10000)
		snprintf(b, n, "%lld kB", (v + 500) / 1000);
	else
		snprintf(b, n, "%lld bytes", v);
	return b;
}

/* Even the floor does not fit: name the inputs that weigh the most. */
static int
no_fit(struct zri_merge *m, long long need, struct zr_error *err)
{
	long long (*w)[2];
	size_t i;
	char list[200], b1[32], b2[32], one[96];
	int fl = m->nlv - 1;

	w = calloc(m->nsrc, sizeof(*w));
	if (w == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	for (i = 0; i < m->nsrc; i++) {
		w[i][0] = m->src[i].bytes;
		w[i][1] = (long long)i;
	}
	for (i = 0; i < m->nimg; i++) {
		struct zri_img *im = &m->img[i];
		long long *x = w[im->input];

		/* Its images at the floor instead of as stored. */
		x[0] -= im->raw;
		x[0] += im->eligible && im->est != NULL ? im->est[fl] : im->raw;
	}
	qsort(w, m->nsrc, sizeof(*w), cmp_ll_desc);
	list[0] = '\0';
	for (i = 0; i < m->nsrc && i < 3; i++) {
		snprintf(one, sizeof(one), "%s%s (%s)", i ? ", " : "",
		    zr_display_name(m->src[w[i][1]].path),
		    mb(b1, sizeof(b1), w[i][0] > 0 ? w[i][0] : 0));
		if (strlen(list) + strlen(one) < sizeof(list))
			strcat(list, one);
	}
	free(w);
	return zr_error_set(err, ZR_E_NO_FIT, NULL, "cannot fit %s even at "
	    "%d dpi, quality %d (about %s); largest inputs: %s",
	    mb(b2, sizeof(b2), m->res->budget), m->lv[fl].dpi, m->lv[fl].q,
	    mb(b1, sizeof(b1), need), list);
}

int
zri_fit(struct zri_merge *m, long long size, struct zr_error *err)
{
	long long budget = m->res->budget, fixed, tot, delta;
	size_t i;
	int l, nel = 0;

	make_levels(m);
	if (estimate_all(m, err) < 0)
		return -1;
	fixed = size;
	for (i = 0; i < m->nimg; i++)
		if (m->img[i].eligible) {
			fixed -= m->img[i].raw;
			nel++;
		}
	/* The first level whose estimate fits (3 % for estimate error). */
	for (l = 0; l < m->nlv; l++) {
		tot = fixed;
		for (i = 0; i < m->nimg; i++)
			if (m->img[i].eligible)
				tot += m->img[i].est[l] +
				    (m->img[i].est[l] != m->img[i].raw ?
				    m->img[i].est[l] / 33 + 96 : 0);
		if (tot <= budget)
			break;
	}
	if (nel == 0 || l == m->nlv) {
		tot = fixed;
		for (i = 0; i < m->nimg; i++)
			if (m->img[i].eligible)
				tot += m->img[i].est[m->nlv - 1];
		/* Too close to call: the real encodes decide below. */
		if (nel == 0 || tot > budget)
			return no_fit(m, tot > size ? size : tot, err);
		l = m->nlv - 1;
	}
	/* Real encodes; step down while the exact sum is over. */
	for (; l < m->nlv; l++) {
		if (encode_level(m, l, &delta, err) < 0)
			return -1;
		if (size + delta + 1024 <= budget)
			break;
	}
	if (l == m->nlv) {
		free_final(m);
		return no_fit(m, size + delta, err);
	}
	m->res->level_dpi = m->lv[l].dpi;
	m->res->level_quality = m->lv[l].q;
	replace_images(m);
	return 0;
}

