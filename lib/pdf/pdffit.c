/* libzairyu: the budget search of a merge: levels, estimates, real encodes. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
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

/* Levels from best to worst: the top dpi at qualities 100, 98, 97 ..
 * 91, 90, 87 .. 75, each dpi step below it at 90..75, then the floor dpi
 * down to the floor quality (legibility first: resolution matters more
 * than JPEG quality for text).  Steps of 3 in quality and 1/8 of 300 dpi
 * (libjpeg decodes a 300-dpi scan straight to each of them) keep
 * neighbouring levels within about 10 % of each other, so a budget can
 * be used well (issue 14: at least 90 %); above 90, where the bytes grow
 * fastest (a 12-megapixel photo: 2.4 MB at 93, 3.5 at 96), steps of 1,
 * for budgets above what quality 90 takes (photos and drawings at or
 * under 300 dpi). */
static void
make_levels(struct zri_merge *m)
{
	static const int dpis[] = { 300, 263, 225, 188, 150 };
	int fd = m->o->floor_dpi > 0 ? m->o->floor_dpi : 150;
	int fq = m->o->floor_quality > 0 ? m->o->floor_quality : 60;
	int d[8], nd = 0, i, q;

	for (i = 0; i < 5; i++)
		if (dpis[i] > fd)
			d[nd++] = dpis[i];
	d[nd++] = fd;
	m->nlv = 0;
	for (i = 0; i < nd; i++)
		for (q = i == 0 ? 100 : 90; m->nlv < ZRI_MAX_LEVELS - 1;
		    q -= q > 98 ? 2 : q > 90 ? 1 : 3) {
			if (q < fq || (i < nd - 1 && q < 75))
				break;
			m->lv[m->nlv].dpi = d[i];
			m->lv[m->nlv].q = q;
			m->nlv++;
		}
	/* The floor quality itself when it is not on the list. */
	if (m->lv[m->nlv - 1].q > fq) {
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
	int k, sw, sh;

	*w = im->width;
	*h = im->height;
	if (im->dpi <= 0 || im->dpi <= dpi * 1.05)
		return;
	s = dpi / im->dpi;
	*w = (int)(im->width * s + 0.5);
	*h = (int)(im->height * s + 0.5);
	/* A JPEG comes out of libjpeg at M/8 of its size in the DCT
	 * domain: within 3 % of such a size, that size exactly (no
	 * resample at all). */
	if (im->filter == ZRI_F_DCT || im->filter == ZRI_F_FLATEDCT)
		for (k = 1; k <= 8; k++) {
			sw = (im->width * k + 7) / 8;
			sh = (im->height * k + 7) / 8;
			if (abs(sw - *w) * 100 <= *w * 3 &&
			    abs(sh - *h) * 100 <= *h * 3) {
				*w = sw;
				*h = sh;
				break;
			}
		}
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
	f.tolerant = 1;   /* damage libjpeg recovers from: pdfinventory.c */
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

/*
 * The search, in one pass over the images (issue 14): each image is
 * decoded once, straight to the scale its rung needs (libjpeg M/8
 * scaling, then a short resample), and encoded there before the next
 * one is decoded.  The rung comes from a prediction of the whole output
 * at each rung: the images already done (their real sizes) plus the
 * stored bytes of those still to come at the ratio the done ones show.
 * The prediction for image k uses images 0..k-2 only (k-1 may still be
 * in the other worker), so the result does not depend on timing.  The
 * first image, with nothing to predict from, is estimated at every rung
 * from a full decode; its ladder is the profile that gives every other
 * image's sizes at the rungs it was not encoded at (the second image
 * waits for it).  When the exact sum is over the budget at the end, or
 * well under it, the images off the rung that fits are done again (a
 * second decode for those only).
 */
struct fitst {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct zri_img **order;   /* eligible images, by sequence */
	size_t nel;
	size_t prefix;            /* order[0..prefix-1] are all done */
	long long raw_total;      /* stored bytes of the eligible images */
	long long target;         /* bytes the eligible images may take */
	int redo;                 /* second pass: encode at im->rung */
	long long *prof;          /* the profile's estimates after the pass */
};

static int
want_fit(const struct zri_img *im)
{
	return im->eligible && im->seq >= 0;
}

static int
want_redo(const struct zri_img *im)
{
	return im->eligible && im->redo;
}

/* The predicted bytes of the eligible images if the rest went to rung
 * r: the first n (done) as they came out, cur (if not NULL) and the
 * images still to come at the ratio of estimate to stored bytes the
 * done ones show at r. */
static double
predict(const struct fitst *st, size_t n, const struct zri_img *cur, int r)
{
	double done = 0, est = 0, draw = 0, rest = (double)st->raw_total;
	size_t j;

	for (j = 0; j < n; j++) {
		const struct zri_img *im = st->order[j];

		rest -= (double)im->raw;
		if (!im->eligible || im->est == NULL)
			done += (double)im->raw;
		else {
			done += (double)(im->pending ? im->est[im->rung] + 96 :
			    im->data != NULL ? (long long)im->len + 96 :
			    im->raw);
			est += (double)im->est[r];
			draw += (double)im->raw;
		}
	}
	if (cur != NULL && cur->est != NULL) {
		rest -= (double)cur->raw;
		done += (double)cur->est[r];
		est += (double)cur->est[r];
		draw += (double)cur->raw;
	}
	if (rest > 0)
		done += draw > 0 ? rest * est / draw : rest;
	return done;
}

/* The best rung whose prediction fits (the floor if none does). */
static int
best_rung(const struct fitst *st, size_t n, const struct zri_img *cur,
    int lo, int hi)
{
	int r;

	for (r = lo; r <= hi; r++)
		if (predict(st, n, cur, r) <= (double)st->target)
			return r;
	return hi;
}

/* Fill the rungs an image was not estimated at from the profile's
 * ladder (ratios to the nearest rung it was estimated at). */
static void
extrapolate(const struct zri_merge *m, struct zri_img *im,
    const long long *prof, int lo, int hi)
{
	int r, n;
	double v;

	for (r = 0; r < m->nlv; r++) {
		if (r >= lo && r <= hi)
			continue;
		n = r < lo ? lo : hi;
		v = prof != NULL && prof[n] > 0 ? (double)im->est[n] *
		    (double)prof[r] / (double)prof[n] : (double)im->est[n];
		im->est[r] = choose(im, m->lv[r].dpi, (long long)v);
	}
}

/* Whether rung l has the target size of rung l0 (neighbouring rungs
 * of one size are estimated together). */
static int
same_size(const struct zri_img *im, const struct zri_level *lv, int l,
    int l0)
{
	int w, h, w0, h0;

	if (lv[l].dpi == lv[l0].dpi)
		return 1;
	target(im, lv[l].dpi, &w, &h);
	target(im, lv[l0].dpi, &w0, &h0);
	return w == w0 && h == h0;
}

/* Estimate rungs lo..hi of an image from its decoded pixels: one
 * estimate per size and quality, whatever the dpi (an image under a
 * rung's dpi is not downsampled there, so a small or low-resolution one
 * has the same size, and the same estimate at a quality, on several
 * rungs: each was encoded again before). */
static int
estimate_rungs(const struct zri_merge *m, struct zri_img *im,
    const struct zr_image *dec, int lo, int hi, struct zr_error *e)
{
	int qs[ZRI_MAX_LEVELS], at[ZRI_MAX_LEVELS], l, l0, k, nq, w, h;
	long long b[ZRI_MAX_LEVELS];

	for (l0 = lo; l0 <= hi; l0 = l) {
		nq = 0;
		for (l = l0; l <= hi && same_size(im, m->lv, l, l0); l++) {
			for (k = 0; k < nq && qs[k] != m->lv[l].q; k++)
				;
			if (k == nq)
				qs[nq++] = m->lv[l].q;
			at[l - l0] = k;
		}
		target(im, m->lv[l0].dpi, &w, &h);
		if (zr_pdf_image_estimate(dec, w, h, im->gray, qs, nq, b,
		    e) < 0)
			return -1;
		for (k = l0; k < l; k++)
			im->est[k] = choose(im, m->lv[k].dpi, b[at[k - l0]]);
	}
	return 0;
}

/*
 * The profile's estimates over two threads (issue 14: the other worker
 * waits for the profile, so its core would idle): one piece per target
 * size (its band resample and DCT done once for all its qualities), the
 * heaviest first, and each thread takes the next piece when it is done
 * with one.  What a piece costs is not known beforehand (the resample
 * from the decoded size, then the qualities): a split fixed in advance by
 * pixels times qualities gave one thread the decoded size alone and the
 * other all the rest, 26 against 49 ms on an A4 page at 300 dpi; taking
 * pieces as they come ends the profile in 36 to 44.  Each piece writes only
 * its own im->est[] entries, so the result is the same whichever thread
 * takes it.
 */
struct est_piece {
	int lo, hi;               /* rungs lo..hi, one target size */
	double weight;            /* pixels times qualities: an order only */
};

struct est_work {
	const struct zri_merge *m;
	struct zri_img *im;
	const struct zr_image *dec;
	struct est_piece p[ZRI_MAX_LEVELS];
	int n;
	int next;                 /* the next piece, under mu */
	pthread_mutex_t mu;
};

struct est_thread {
	struct est_work *w;
	int rc;
	struct zr_error e;
};

static void *
est_run(void *arg)
{
	struct est_thread *t = arg;
	struct est_work *w = t->w;
	int k;

	t->rc = 0;
	for (;;) {
		pthread_mutex_lock(&w->mu);
		k = w->next < w->n ? w->next++ : -1;
		pthread_mutex_unlock(&w->mu);
		if (k < 0)
			break;
		if ((t->rc = estimate_rungs(w->m, w->im, w->dec, w->p[k].lo,
		    w->p[k].hi, &t->e)) < 0) {
			pthread_mutex_lock(&w->mu);
			w->next = w->n;   /* the other stops too */
			pthread_mutex_unlock(&w->mu);
			break;
		}
	}
	return NULL;
}

static int
estimate_profile(const struct zri_merge *m, struct zri_img *im,
    const struct zr_image *dec, int lo, int hi, struct zr_error *e)
{
	struct est_work w;
	struct est_thread t[2];
	struct est_piece x;
	pthread_t th;
	int l, l0, k, j, nq, w0, h0;

	if (m->o->threads == 1)
		return estimate_rungs(m, im, dec, lo, hi, e);
	memset(&w, 0, sizeof(w));
	w.m = m;
	w.im = im;
	w.dec = dec;
	/* The pieces: runs of rungs of one target size, weighed by pixels
	 * times the qualities each encoded once. */
	for (l0 = lo; l0 <= hi; l0 = l) {
		target(im, m->lv[l0].dpi, &w0, &h0);
		for (l = l0, nq = 0; l <= hi && same_size(im, m->lv, l, l0);
		    l++) {
			for (j = l0; j < l && m->lv[j].q != m->lv[l].q; j++)
				;
			nq += j == l;
		}
		w.p[w.n].lo = l0;
		w.p[w.n].hi = l - 1;
		w.p[w.n++].weight = (double)w0 * h0 * nq;
	}
	/* Heaviest first (insertion sort, ties in ladder order). */
	for (k = 1; k < w.n; k++)
		for (j = k; j > 0 && w.p[j - 1].weight < w.p[j].weight; j--) {
			x = w.p[j];
			w.p[j] = w.p[j - 1];
			w.p[j - 1] = x;
		}
	if (w.n < 2 || pthread_mutex_init(&w.mu, NULL) != 0)
		return estimate_rungs(m, im, dec, lo, hi, e);
	memset(t, 0, sizeof(t));
	t[0].w = t[1].w = &w;
	if (pthread_create(&th, NULL, est_run, &t[1]) != 0) {
		/* No thread to be had: all here. */
		pthread_mutex_destroy(&w.mu);
		return estimate_rungs(m, im, dec, lo, hi, e);
	}
	est_run(&t[0]);
	pthread_join(th, NULL);
	pthread_mutex_destroy(&w.mu);
	for (k = 0; k < 2; k++)
		if (t[k].rc < 0) {
			*e = t[k].e;
			return -1;
		}
	return 0;
}

/* The new JPEG of im (w x h) replaces its data when the choice at dpi
 * takes it and it differs from the stored stream; else it is dropped. */
static void
keep_if_chosen(struct zri_img *im, int dpi, unsigned char *jpg, size_t len,
    int w, int h)
{
	im->enc = (long long)len;
	if (choose(im, dpi, (long long)len) == (long long)len &&
	    (long long)len != im->raw) {
		im->data = jpg;
		im->len = len;
		im->nw = w;
		im->nh = h;
	} else
		free(jpg);
}

/* The JPEG of an image at rung l from its decoded pixels, in im->data
 * when it is worth replacing the stored one. */
static int
encode_rung(const struct zri_merge *m, struct zri_img *im,
    const struct zr_image *dec, int l, struct zr_error *e)
{
	unsigned char *jpg;
	size_t len;
	int w, h;

	free(im->data);
	im->data = NULL;
	im->len = 0;
	im->rung = l;
	target(im, m->lv[l].dpi, &w, &h);
	if (zr_pdf_image_recode(dec, w, h, im->gray, m->lv[l].q, &jpg, &len,
	    e) < 0)
		return -1;
	keep_if_chosen(im, m->lv[l].dpi, jpg, len, w, h);
	return 0;
}

/* The JPEG of a pending image at its rung, decoded again at the rung's
 * scale; only data, len, nw, nh and pfail change (the other threads read
 * its estimate while it is pending).  -1 only when out of memory. */
static int
encode_pending(const struct zri_merge *m, struct zri_img *im,
    const unsigned char *raw, size_t rawlen)
{
	struct zr_image dec;
	struct zr_error e;
	unsigned char *jpg;
	size_t len;
	int w, h, rc;

	target(im, m->lv[im->rung].dpi, &w, &h);
	if ((rc = decode_img(im, raw, rawlen, w, h, 0, &dec, &e)) < 0) {
		im->pfail = 1;
		return e.code == ZR_E_NOMEM ? -1 : 0;
	}
	if (im->gray)
		zri_image_gray_inplace(&dec);
	if (zr_pdf_image_recode(&dec, w, h, im->gray, m->lv[im->rung].q, &jpg,
	    &len, &e) < 0) {
		zr_image_free(&dec);
		im->pfail = 1;
		return e.code == ZR_E_NOMEM ? -1 : 0;
	}
	zr_image_free(&dec);
	keep_if_chosen(im, m->lv[im->rung].dpi, jpg, len, w, h);
	return 0;
}

static void
mark_done(struct fitst *st, struct zri_img *im)
{
	pthread_mutex_lock(&st->mu);
	im->done = 1;
	while (st->prefix < st->nel && st->order[st->prefix]->done)
		st->prefix++;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

/* One image of the pass.  -1 only when out of memory; an image that
 * cannot be decoded or measured is kept as it is. */
static int
fit_one(const struct zri_merge *m, struct zri_img *im,
    const unsigned char *raw, size_t rawlen, void *arg)
{
	struct fitst *st = arg;
	struct zr_image dec, spec;
	struct zr_error e, se;
	const long long *prof = NULL;
	size_t n = 0, j, pre;
	int lo = 0, hi = m->nlv - 1, r, w, h, rc = 0, sw = 0, sh = 0, src = 0;

	memset(&dec, 0, sizeof(dec));
	memset(&spec, 0, sizeof(spec));
	if (st->redo)
		lo = hi = im->rung;
	else {
		/* Wait for images 0..seq-2; the second image waits for
		 * the first, whose ladder is then its profile (one image
		 * estimated at every rung, not two). */
		pthread_mutex_lock(&st->mu);
		n = im->seq >= 2 ? (size_t)im->seq - 1 : (size_t)im->seq;
		pre = st->prefix;
		pthread_mutex_unlock(&st->mu);
		/* Rather than idle while the other worker finishes image
		 * seq-2, decode at the rung the images done so far point
		 * to: when the real prediction below wants the same size
		 * (the usual case: the rung moves slowly), that is the
		 * decode it would make, so the bytes do not change. */
		if (pre < n) {
			for (j = 0; j < pre && prof == NULL; j++)
				if (st->order[j]->eligible &&
				    st->order[j]->full)
					prof = st->order[j]->est;
			/* No profile yet (the second image, while the
			 * first is profiled): the floor when the budget is
			 * under an eighth of the stored bytes, where the
			 * first rungs then usually are. */
			r = prof != NULL ? best_rung(st, pre, NULL, 0,
			    m->nlv - 1) : im->seq == 1 && st->target * 8 <
			    st->raw_total ? m->nlv - 1 : -1;
			if (r >= 0) {
				target(im, m->lv[r].dpi, &sw, &sh);
				src = decode_img(im, raw, rawlen, sw, sh, 0,
				    &spec, &se);
				if (src < 0)
					sw = sh = 0;
			}
			prof = NULL;
		}
		pthread_mutex_lock(&st->mu);
		while (st->prefix < n)
			pthread_cond_wait(&st->cv, &st->mu);
		pthread_mutex_unlock(&st->mu);
		for (j = 0; j < n && prof == NULL; j++)
			if (st->order[j]->eligible && st->order[j]->full)
				prof = st->order[j]->est;
		/* With a profile, straight to the predicted rung: one
		 * decode at its scale, one encode, and the real size is
		 * the estimate there (the other rungs follow the
		 * profile); later predictions see it. */
		if (prof != NULL)
			lo = hi = best_rung(st, n, NULL, 0, m->nlv - 1);
	}
	if (im->est == NULL && (im->est = calloc((size_t)m->nlv * 2,
	    sizeof(*im->est))) == NULL) {
		rc = -1;
		goto out;
	}
	/* One decode, at the size the best rung of the window needs. */
	target(im, m->lv[lo].dpi, &w, &h);
	if (sw > 0 && w == sw && h == sh) {
		dec = spec;
		e = se;
		rc = src;
		memset(&spec, 0, sizeof(spec));
	} else {
		zr_image_free(&spec);
		rc = decode_img(im, raw, rawlen, w, h, 0, &dec, &e);
	}
	if (rc < 0) {
		im->eligible = 0;
		rc = e.code == ZR_E_NOMEM ? -1 : 0;
		goto out;
	}
	if (rc > 0)
		zri_jpeg_warned(im, e.msg, rc == 2);
	rc = 0;
	im->decoded = 1;
	if (!st->redo)
		im->gray = im->icc_gray_ok && zr_pdf_image_near_gray(&dec);
	/* A gray page's colour goes at once (memory, and every encode
	 * after this one would convert it again). */
	if (im->gray)
		zri_image_gray_inplace(&dec);
	r = lo;
	if (!st->redo && prof == NULL) {
		/* The profile: every rung estimated. */
		if (estimate_profile(m, im, &dec, lo, hi, &e) < 0)
			goto fail;
		im->full = 1;
		r = best_rung(st, n, im, lo, hi);
		if (m->lv[r].dpi != m->lv[lo].dpi) {
			/* Encoded from a decode at the rung's own scale, as
			 * every image is: the bytes at a rung never depend
			 * on the path that led to it.  The others go on
			 * meanwhile, seeing its estimate there (pending). */
			im->rung = r;
			im->pending = 1;
			zr_image_free(&dec);
			mark_done(st, im);
			return encode_pending(m, im, raw, rawlen);
		}
	}
	if (encode_rung(m, im, &dec, r, &e) < 0)
		goto fail;
	if (!st->redo && prof != NULL) {
		im->est[r] = im->data != NULL ? (long long)im->len : im->raw;
		extrapolate(m, im, prof, r, r);
	}
	goto out;
fail:
	im->eligible = 0;
	rc = e.code == ZR_E_NOMEM ? -1 : 0;
out:
	zr_image_free(&dec);
	if (!st->redo)
		mark_done(st, im);
	return rc;
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
		im->ext = 0;
		im->raw = (long long)im->len;
		im->filter = ZRI_F_DCT;
		im->dpi = im->dpi * im->nw / im->width;
		im->width = im->nw;
		im->height = im->nh;
		m->res->inputs[im->input].images_recoded++;
		im->recoded = 1;
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
int
zri_no_fit(struct zri_merge *m, long long need, struct zr_error *err)
{
	long long (*w)[2], *stored, *floor;
	size_t i;
	char list[200], b1[32], b2[32], one[96];
	int fl = m->nlv - 1;

	w = calloc(m->nsrc, sizeof(*w));
	stored = calloc(m->nsrc * 2, sizeof(*stored));
	if (w == NULL || stored == NULL) {
		free(w);
		free(stored);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	floor = stored + m->nsrc;
	for (i = 0; i < m->nimg; i++) {
		struct zri_img *im = &m->img[i];

		stored[im->input] += im->raw;
		floor[im->input] += im->eligible && im->est != NULL ?
		    im->est[fl] : im->raw;
	}
	/* Each input at the floor: what is not its images, and its images
	 * at the floor instead of as stored.  A page rendered here (damaged
	 * content) brings images its file never held, so what is not its
	 * images is never counted below zero. */
	for (i = 0; i < m->nsrc; i++) {
		w[i][0] = (m->src[i].bytes > stored[i] ? m->src[i].bytes -
		    stored[i] : 0) + floor[i];
		w[i][1] = (long long)i;
	}
	free(stored);
	qsort(w, m->nsrc, sizeof(*w), cmp_ll_desc);
	list[0] = '\0';
	for (i = 0; i < m->nsrc && i < 3; i++) {
		snprintf(one, sizeof(one), "%s%s (%s)", i ? ", " : "",
		    zr_display_name(m->src[w[i][1]].path),
		    mb(b1, sizeof(b1), w[i][0]));
		if (strlen(list) + strlen(one) < sizeof(list))
			strcat(list, one);
	}
	free(w);
	return zr_error_set(err, ZR_E_NO_FIT, NULL, "cannot fit %s even at "
	    "%d dpi, quality %d (about %s); largest inputs: %s",
	    mb(b2, sizeof(b2), m->res->budget), m->lv[fl].dpi, m->lv[fl].q,
	    mb(b1, sizeof(b1), need), list);
}

/* Bytes of an image now: its new JPEG, or as stored. */
static long long
now_bytes(const struct zri_img *im)
{
	return im->data != NULL ? (long long)im->len + 96 : im->raw;
}


/* The output's size now; *fixed: the part that is not images in the
 * search. */
static long long
total_now(const struct zri_merge *m, long long size, long long *fixed)
{
	long long tot = 0;
	size_t i;

	*fixed = size;
	for (i = 0; i < m->nimg; i++)
		if (m->img[i].seq >= 0) {
			*fixed -= m->img[i].raw;
			tot += now_bytes(&m->img[i]);
		}
	return *fixed + tot;
}

/* The bytes im would take at rung r: as it is at its own rung, else its
 * estimate there, calibrated by how far off the estimate was at its
 * rung (1 once learn() has run), with its dictionary. */
static double
cost_at(const struct zri_img *im, int own, int r)
{
	double c;

	if (r == own)
		return (double)now_bytes(im);
	if (r < 0)
		return (double)im->raw;   /* as stored */
	c = own >= 0 && im->est[own] > 0 ? (double)now_bytes(im) /
	    (double)im->est[own] : 1.0;
	c = c < 0.5 ? 0.5 : c > 2.0 ? 2.0 : c;
	return c * (double)im->est[r] + 96;
}

/* The output's size if the images below rung r (up) or above it (not
 * up) went to r, each estimate calibrated by how far off it was at the
 * image's rung; *cnt: how many would change. */
static double
sum_at(const struct fitst *st, long long fixed, int r, int up, size_t *cnt)
{
	double s = (double)fixed;
	size_t k;

	*cnt = 0;
	for (k = 0; k < st->nel; k++) {
		const struct zri_img *im = st->order[k];

		if (!im->eligible || im->est == NULL) {
			s += (double)im->raw;
			continue;
		}
		if (up ? im->rung <= r : im->rung >= r) {
			s += (double)now_bytes(im);
			continue;
		}
		s += cost_at(im, im->rung, r);
		(*cnt)++;
	}
	return s;
}

/*
 * What an encode of im at its rung showed: its real bytes there, and
 * at the rungs it was never encoded at, the nearest real one scaled by
 * the profile's shape (the shape of another picture, so the nearer the
 * better: a noisy scan grows far faster with quality than a photo).
 * The profile image keeps its own estimates.  Run between the pool's
 * passes, in sequence, so the result does not depend on timing.
 */
static void
learn(const struct zri_merge *m, const struct fitst *st, struct zri_img *im)
{
	int r, k, best, dk, db;
	double v;

	if (!im->eligible || im->est == NULL)
		return;
	im->est[im->rung] = im->data != NULL ? (long long)im->len : im->raw;
	/* What the encode took even when the stored stream was kept (the
	 * other rungs scale from that, not from the stored bytes). */
	im->est[m->nlv + im->rung] = im->enc > 0 ? im->enc :
	    im->est[im->rung];
	im->known |= 1ULL << im->rung;
	if (im->full || st->prof == NULL)
		return;
	for (r = 0; r < m->nlv; r++) {
		if (im->known >> r & 1)
			continue;
		best = -1;
		for (k = 0; k < m->nlv; k++) {
			if (!(im->known >> k & 1))
				continue;
			dk = k > r ? k - r : r - k;
			db = best > r ? best - r : r - best;
			if (best < 0 || dk < db)
				best = k;
		}
		v = (double)im->est[m->nlv + best];
		if (st->prof[best] > 0)
			v = v * (double)st->prof[r] / (double)st->prof[best];
		im->est[r] = choose(im, m->lv[r].dpi, (long long)v);
	}
}

/* The pool's second pass over the images marked im->redo (at
 * im->rung), then what their encodes showed. */
static int
run_redo(struct zri_merge *m, struct fitst *st, struct zr_error *err)
{
	size_t k;
	int rc;

	rc = zri_pool_run(m, want_redo, fit_one, st, 0, err);
	for (k = 0; k < st->nel; k++) {
		if (rc == 0 && st->order[k]->redo)
			learn(m, st, st->order[k]);
		st->order[k]->redo = 0;
	}
	return rc;
}

/* Encode again, at rung r, the images below it (up) or above it. */
static int
redo_at(struct zri_merge *m, struct fitst *st, int r, int up,
    struct zr_error *err)
{
	size_t k;

	for (k = 0; k < st->nel; k++) {
		struct zri_img *im = st->order[k];

		im->redo = im->eligible && (up ? im->rung > r : im->rung < r);
		if (im->redo) {
			im->rung = r;
			im->upkept = 0;
		}
	}
	return run_redo(m, st, err);
}

/* An image's rung in the steps below, -1 for "as stored" (a step
 * above the top level: a budget between what the top level takes and
 * the stored bytes is used too). */
static int
vrung(const struct zri_img *im)
{
	return im->upkept ? -1 : im->rung;
}

static void
set_vrung(struct zri_img *im, int v)
{
	im->upkept = v < 0;
	im->rung = v < 0 ? 0 : v;
}

/* Mark the images whose planned rung (im->rung) differs from the one
 * they were encoded at (own[k]) in a way that changes their bytes. */
static size_t
mark_moved(const struct zri_merge *m, struct fitst *st, const int *own)
{
	size_t k, cnt = 0;

	for (k = 0; k < st->nel; k++) {
		struct zri_img *im = st->order[k];

		im->redo = 0;
		if (!im->eligible || im->est == NULL || vrung(im) == own[k])
			continue;
		if (im->upkept) {
			/* Up to its stored stream: no encode to make. */
			free(im->data);
			im->data = NULL;
			im->len = 0;
			continue;
		}
		if (own[k] >= 0 && same_size(im, m->lv, im->rung, own[k]) &&
		    m->lv[im->rung].q == m->lv[own[k]].q) {
			/* The same size and quality: the same encode. */
			continue;
		}
		im->redo = 1;
		cnt++;
	}
	return cnt;
}

/*
 * Still room after the passes above: the images go up one rung at a
 * time, the one at the worst rung first (the cheapest step among
 * equals, then by sequence), while the room left holds the step.  Small
 * steps keep the estimates near a real encode and the levels even (the
 * worst page is what a budget buys).  Returns how many were marked to
 * be done again (im->redo, im->rung set).
 */
static size_t
fill_up(struct zri_merge *m, struct fitst *st, double room, int *own)
{
	struct zri_img *pick;
	size_t k;
	double d, pd = 0;

	for (k = 0; k < st->nel; k++)
		own[k] = vrung(st->order[k]);
	for (;;) {
		pick = NULL;
		for (k = 0; k < st->nel; k++) {
			struct zri_img *im = st->order[k];
			int v = vrung(im);

			if (!im->eligible || im->est == NULL || v < 0)
				continue;
			d = cost_at(im, own[k], v - 1) - cost_at(im, own[k], v);
			if (d > room)
				continue;
			if (pick == NULL || v > vrung(pick) ||
			    (v == vrung(pick) && d < pd)) {
				pick = im;
				pd = d;
			}
		}
		if (pick == NULL)
			break;
		room -= pd;
		set_vrung(pick, vrung(pick) - 1);
	}
	return mark_moved(m, st, own);
}

/*
 * Over the budget: the images come down one rung at a time, the one at
 * the best rung first (the largest saving among equals, then by
 * sequence), until the estimates shed `over` bytes: the fewest images
 * lose the least, where a step of every image at once (redo_at) would
 * leave much of the budget unused.  Returns how many were marked.
 */
static size_t
step_down(struct zri_merge *m, struct fitst *st, double over, int *own)
{
	struct zri_img *pick;
	size_t k;
	double d, pd = 0;

	for (k = 0; k < st->nel; k++)
		own[k] = vrung(st->order[k]);
	while (over > 0) {
		pick = NULL;
		for (k = 0; k < st->nel; k++) {
			struct zri_img *im = st->order[k];
			int v = vrung(im);

			if (!im->eligible || im->est == NULL ||
			    v >= m->nlv - 1)
				continue;
			d = cost_at(im, own[k], v) - cost_at(im, own[k], v + 1);
			if (pick == NULL || v < vrung(pick) ||
			    (v == vrung(pick) && d > pd)) {
				pick = im;
				pd = d;
			}
		}
		if (pick == NULL)
			break;
		over -= pd;
		set_vrung(pick, vrung(pick) + 1);
	}
	return mark_moved(m, st, own);
}

int
zri_fit(struct zri_merge *m, long long size, struct zr_error *err)
{
	long long budget = m->res->budget, fixed = size, tot;
	struct fitst st;
	size_t i, k, cnt;
	int r, worst, pass, down, rc = -1, *own = NULL;
	double s;

	make_levels(m);
	memset(&st, 0, sizeof(st));
	for (i = 0; i < m->nimg; i++) {
		m->img[i].seq = -1;
		if (m->img[i].eligible) {
			fixed -= m->img[i].raw;
			st.nel++;
		}
	}
	if (st.nel == 0)
		return zri_no_fit(m, size, err);
	st.order = calloc(st.nel, sizeof(*st.order));
	if (st.order == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	for (i = 0, k = 0; i < m->nimg; i++)
		if (m->img[i].eligible) {
			m->img[i].seq = (int)k;
			st.order[k++] = &m->img[i];
			st.raw_total += m->img[i].raw;
		}
	/* Room for the images: 1 kB for the rest of the file to change,
	 * 96 bytes of dictionary per image, 2 % for the estimates. */
	st.target = (budget - fixed - 1024 - 96 * (long long)st.nel) * 98 / 100;
	if (pthread_mutex_init(&st.mu, NULL) != 0) {
		free(st.order);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	if (pthread_cond_init(&st.cv, NULL) != 0) {
		pthread_mutex_destroy(&st.mu);
		free(st.order);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	if (zri_pool_run(m, want_fit, fit_one, &st, 0, err) < 0)
		goto out;
	st.redo = 1;
	/* The images estimated at every rung were encoded at theirs in the
	 * pass; one that could not be is kept as it is.  From here on each
	 * image's estimates start from its real sizes (learn()), and the
	 * profile's shape is the one the pass saw. */
	own = calloc(st.nel, sizeof(*own));
	st.prof = calloc((size_t)m->nlv, sizeof(*st.prof));
	if (own == NULL || st.prof == NULL) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		goto out;
	}
	for (k = 0; k < st.nel && !st.order[k]->full; k++)
		;
	if (k < st.nel && st.order[k]->est != NULL)
		memcpy(st.prof, st.order[k]->est, sizeof(*st.prof) *
		    (size_t)m->nlv);
	else {
		free(st.prof);
		st.prof = NULL;
	}
	for (k = 0; k < st.nel; k++) {
		if (st.order[k]->pfail)
			st.order[k]->eligible = 0;
		st.order[k]->pending = st.order[k]->pfail = 0;
		learn(m, &st, st.order[k]);
	}
	/* Room left (the first images, with nothing to predict from, are
	 * cautious): the images below the best rung that fits go up to it,
	 * if they are few. */
	for (k = 0; k < 3; k++) {
		tot = total_now(m, size, &fixed);
		if (tot + 1024 >= budget / 100 * 93)
			break;
		for (r = 0; r < m->nlv; r++) {
			s = sum_at(&st, fixed, r, 1, &cnt);
			if (s + 1024 <= (double)(budget / 1000 * 985) &&
			    cnt <= (st.nel / 4 > 2 ? st.nel / 4 : 2))
				break;
		}
		if (r == m->nlv || cnt == 0)
			break;
		if (redo_at(m, &st, r, 1, err) < 0)
			goto out;
	}
	/* Then image by image, a rung at a time (a budget that binds is
	 * used to at least 90 %, issue 14): up while there is room, down
	 * while over, a few rounds; the last resort when the estimates keep
	 * missing is a step of every image at once, which always ends. */
	for (pass = 0; pass < 5; pass++) {
		tot = total_now(m, size, &fixed);
		if (tot + 1024 < budget / 100 * 93) {
			if (fill_up(m, &st, (double)(budget / 1000 * 985) -
			    (double)tot - 1024, own) == 0)
				break;
			if (run_redo(m, &st, err) < 0)
				goto out;
		}
		for (down = 0;; down++) {
			tot = total_now(m, size, &fixed);
			if (tot + 1024 <= budget)
				break;
			/* Progress: at least one image must step down. */
			worst = m->nlv;
			for (k = 0; k < st.nel; k++)
				if (st.order[k]->eligible &&
				    st.order[k]->rung < worst)
					worst = st.order[k]->rung;
			if (worst >= m->nlv - 1) {
				/* Every image at the floor, and over by the
				 * estimate of the rest of the file: the
				 * writes measure it (pdfmerge.c), as a budget
				 * at the floor's real size must fit (issue
				 * 14).  Clearly over is said here. */
				if (tot - 1024 <= budget) {
					m->floor_try = 1;
					break;
				}
				free_final(m);
				zri_no_fit(m, tot, err);
				goto out;
			}
			if (down < 4 && step_down(m, &st, (double)(tot + 1024 -
			    budget) + (double)budget * 0.005, own) > 0) {
				if (run_redo(m, &st, err) < 0)
					goto out;
				continue;
			}
			/* Over: the best rung at which the calibrated
			 * estimates fit, below the best rung now in use. */
			for (r = 0; r < m->nlv; r++)
				if (sum_at(&st, fixed, r, 0, &cnt) + 1024 <=
				    (double)budget)
					break;
			if (r <= worst)
				r = worst + 1;
			if (r >= m->nlv)
				r = m->nlv - 1;
			if (redo_at(m, &st, r, 0, err) < 0)
				goto out;
		}
	}
	worst = -1;
	for (k = 0; k < st.nel; k++)
		if (st.order[k]->data != NULL && st.order[k]->rung > worst)
			worst = st.order[k]->rung;
	if (worst >= 0) {
		m->res->level_dpi = m->lv[worst].dpi;
		m->res->level_quality = m->lv[worst].q;
	}
	replace_images(m);
	rc = 0;
out:
	if (rc < 0)
		free_final(m);
	pthread_cond_destroy(&st.cv);
	pthread_mutex_destroy(&st.mu);
	free(st.order);
	free(st.prof);
	free(own);
	return rc;
}
