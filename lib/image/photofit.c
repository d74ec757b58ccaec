/* libzairyu: the size search: the best-looking JPEG of an image within a
 * byte limit (zr_photo_fit). */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/photo.h"
#include "image_int.h"

/* libjpeg's quality to table scale (jcparam.c, jpeg_quality_scaling). */
static int
scale_of_quality(int q)
{
	return q < 50 ? 5000 / q : 200 - 2 * q;
}

static int
quality_of_scale(int s)
{
	int q;

	if (s <= 100)
		q = (200 - s + 1) / 2;
	else
		q = (5000 + s / 2) / s;
	return q < 1 ? 1 : q > 100 ? 100 : q;
}

/* ITU-T T.81 Annex K.1, Tables K.1 (luminance) and K.2 (chrominance),
 * natural order: the tables libjpeg scales for its quality setting. */
static const unsigned char annex_k[2][64] = {
	{ 16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
	  14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
	  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
	  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103,
	  99 },
	{ 17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
	  24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
	  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
	  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99 },
};

/*
 * The luma table the search scales: Annex K's shape flattened to its
 * square root about the DC step (16 sqrt(K / 16)), so that at a given
 * file size the fine detail is quantised less and the smooth parts a
 * little more.  At the tight caps of the upload forms this keeps more
 * structure per byte (measured by SSIM: tests/bench/photo.sh) than the
 * steep Annex K shape, which was tuned for visibility at high quality.
 * Chroma keeps the Annex K shape.  flat_gain() is the geometric mean of
 * Annex K over that of the flattened table, so that a scale can be
 * reported as the libjpeg quality of the same mean step.
 */
static double
flat_step(int i)
{
	return 16.0 * sqrt(annex_k[0][i] / 16.0);
}

static double
flat_gain(void)
{
	double l = 0;

	for (int i = 0; i < 64; i++)
		l += log(annex_k[0][i]) - log(flat_step(i));
	return exp(l / 64.0);
}

static unsigned short
step(double v)
{
	long q = lround(v);

	return (unsigned short)(q < 1 ? 1 : q > 255 ? 255 : q);
}

/* Tables for a scale in permille of the flattened luma table and a
 * chroma weight in percent of it. */
static void
make_tables(int permille, int chroma, unsigned short luma[64],
    unsigned short chr[64])
{
	for (int i = 0; i < 64; i++) {
		luma[i] = step(flat_step(i) * permille / 1000.0);
		chr[i] = step(annex_k[1][i] * (double)permille * chroma /
		    100000.0);
	}
}

/* The libjpeg table scale (percent) of the same geometric mean step. */
static int
equivalent_percent(int permille)
{
	int p = (int)lround(permille / 10.0 / flat_gain());

	return p < 1 ? 1 : p;
}

/* AC dead zone: round down unless 0.6 of a step above (jpegdct.c). */
#define DEAD_ZONE 0.1

struct trial {
	unsigned char *jpeg;
	size_t len;
	int scale;
};

static int
encode_at(const struct zri_dct *d, int chroma, int scale, int dpi,
    struct trial *t, struct zr_error *err)
{
	unsigned short luma[64], chr[64];

	make_tables(scale, chroma, luma, chr);
	t->scale = scale;
	return zri_dct_encode(d, luma, chr, DEAD_ZONE, dpi, &t->jpeg,
	    &t->len, err);
}

/*
 * Whether two scales give the same tables: the steps are whole numbers,
 * so neighbouring scales often do, and then the same file.
 */
static int
same_tables(int s1, int s2, int chroma)
{
	unsigned short l1[64], c1[64], l2[64], c2[64];

	make_tables(s1, chroma, l1, c1);
	make_tables(s2, chroma, l2, c2);
	return memcmp(l1, l2, sizeof(l1)) == 0 &&
	    memcmp(c1, c2, sizeof(c1)) == 0;
}

/*
 * A table scale in [1, hi] whose JPEG fits max_bytes with little to
 * spare (the file shrinks as the scale grows).  The size is close to a
 * power of the scale, so the next scale tried is where the line through
 * the last two sizes (log-log) meets the cap; it stays strictly inside
 * the bracket of known results, falling back to bisection.  Done when a
 * fitting file is within 0.5 % of the cap or the bracket is within half a
 * per cent.  A scale whose tables are those of an end of the bracket is
 * not encoded again: its file is that end's.  Returns 0 with *best set, 1 if even hi does not fit, -1 on
 * error.
 */
#define SLOPE_GUESS (-0.8)

static int
search_scale(const struct zri_dct *d, int chroma, int guess, int hi,
    long long max_bytes, int dpi, struct trial *best, int *encodes,
    struct zr_error *err)
{
	int lo = 0, s, ps = 0;   /* lo: largest scale known not to fit */
	size_t lo_len = 0, plen = 0;
	double target = (double)max_bytes * 0.995;

	best->jpeg = NULL;
	s = guess < 1 ? 1 : guess > hi ? hi : guess;
	for (;;) {
		struct trial t;
		double slope = SLOPE_GUESS, ns;
		size_t len;
		int a, b, next;

		if (best->jpeg != NULL && same_tables(s, best->scale, chroma)) {
			/* The file of best again, byte for byte. */
			best->scale = s;
			len = best->len;
		} else if (lo > 0 && same_tables(s, lo, chroma)) {
			lo = s;
			len = lo_len;
		} else if (encode_at(d, chroma, s, dpi, &t, err) != 0) {
			free(best->jpeg);
			best->jpeg = NULL;
			return -1;
		} else {
			++*encodes;
			len = t.len;
			if ((long long)t.len <= max_bytes) {
				free(best->jpeg);
				*best = t;
			} else {
				free(t.jpeg);
				lo = s;
				lo_len = len;
			}
		}
		if (best->jpeg == NULL) {
			if (s >= hi)
				return 1;
		} else if (best->scale <= 1 || (double)best->len >= target ||
		    (lo > 0 && best->scale - lo <= 1 + best->scale / 200)) {
			return 0;
		}
		if (lo > 0 && best->jpeg != NULL && lo_len > best->len)
			slope = log((double)best->len / (double)lo_len) /
			    log((double)best->scale / lo);
		else if (ps > 0 && ps != s && fabs(log((double)len /
		    (double)plen)) > 0.01)
			slope = log((double)len / (double)plen) /
			    log((double)s / ps);
		if (slope > -0.3 || slope < -3.0)
			slope = SLOPE_GUESS;
		/* Aim a little below the cap, at most half as far again. */
		ns = s * exp(log(target * 0.998 / (double)len) / slope);
		if (ns > 1.5 * s)
			ns = 1.5 * s;
		if (ns < s / 1.5)
			ns = s / 1.5;
		next = (int)lround(ns);
		a = lo;
		b = best->jpeg != NULL ? best->scale : hi + 1;
		/* Strictly inside the bracket, by a small step at least. */
		if (next >= b)
			next = b - 1 - b / 200;
		if (next <= a)
			next = a + 1 + a / 200;
		if (next >= b)
			next = a + (b - a) / 2;
		if (next > hi)
			next = hi;
		if (next < 1)
			next = 1;
		if (next == s)
			return best->jpeg != NULL ? 0 : 1;
		ps = s;
		plen = len;
		s = next;
	}
}

/*
 * The candidates' scores.  Each mode's search needs only the previous
 * mode's scale, not its score, so a second thread decodes and scores
 * candidate m (SSIM, the larger half of the work) while the searches go
 * on with mode m + 1.  Every score is computed from its candidate alone
 * and the choice is made at the end in mode order, so the result does
 * not depend on the timing, nor on whether the thread could be started
 * (then the scores are computed in line, one after the other).
 */
#define NMODES 5

struct cand {
	struct trial t;          /* t.jpeg NULL: this mode does not fit */
	int posted;
	int failed;              /* scoring failed: err holds why */
	double s, sl;            /* 6:1:1 YCbCr SSIM and luma SSIM */
	struct zr_error err;
};

struct scorer {
	const struct zr_image *img;
	struct zri_ssim_ref *ref;
	int ref_failed;
	int nposted, closed;
	struct cand c[NMODES];
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void
score(struct scorer *sc, struct cand *c)
{
	struct zr_image dec;

	if (c->t.jpeg == NULL)
		return;
	if (sc->ref == NULL) {
		c->failed = 1;
		zr_error_set(&c->err, ZR_E_NOMEM, NULL, NULL);
		return;
	}
	if (zr_image_decode(c->t.jpeg, c->t.len, "candidate", NULL, &dec,
	    NULL, &c->err) != 0) {
		c->failed = 1;
		return;
	}
	c->s = zri_ssim_ref_compare(sc->ref, &dec, &c->sl);
	zr_image_free(&dec);
	if (c->s < -1.0) {
		c->failed = 1;
		zr_error_set(&c->err, ZR_E_NOMEM, NULL, NULL);
	}
}

static void *
score_thread(void *arg)
{
	struct scorer *sc = arg;

	sc->ref = zri_ssim_ref_new(sc->img, 3);
	for (int m = 0; m < NMODES; m++) {
		pthread_mutex_lock(&sc->mu);
		while (sc->nposted <= m && !sc->closed)
			pthread_cond_wait(&sc->cv, &sc->mu);
		if (sc->nposted <= m) {
			pthread_mutex_unlock(&sc->mu);
			break;
		}
		pthread_mutex_unlock(&sc->mu);
		score(sc, &sc->c[m]);
	}
	return NULL;
}

/* Hand candidate m to the scorer (threaded: wake it; else score now). */
static void
post(struct scorer *sc, int threaded, int m, const struct trial *t)
{
	sc->c[m].t = *t;
	sc->c[m].posted = 1;
	if (!threaded) {
		score(sc, &sc->c[m]);
		return;
	}
	pthread_mutex_lock(&sc->mu);
	sc->nposted = m + 1;
	pthread_cond_signal(&sc->cv);
	pthread_mutex_unlock(&sc->mu);
}

int
zri_photo_fit_threads(const struct zr_image *img, long long max_bytes,
    int q_low, int dpi, int threads, struct zr_photo_fit *fit,
    struct zr_error *err)
{
	/* Chroma layouts and chroma table weights tried: subsampling halves
	 * the chroma data, coarser chroma tables spend the bytes on luma,
	 * to which the eye (and a face matcher) is most sensitive. */
	static const int modes[NMODES][2] = {
		{ 0, 100 }, { 0, 150 }, { 0, 225 },
		{ 1, 100 }, { 1, 225 },
	};
	int nmodes = img->channels == 1 ? 1 : NMODES, hi, encodes = 0;
	int guess = 350, threaded = 0, rc = -1, searched = 0;
	double best_score = -2.0;
	struct zri_dct *dct = NULL;
	struct scorer *sc;
	pthread_t th;

	memset(fit, 0, sizeof(*fit));
	if (q_low < 1 || q_low > 100)
		q_low = ZR_PHOTO_Q_LOW;
	/* The DC step (the flattened table's pivot) no coarser than
	 * libjpeg's at q_low: below that, a smaller picture looks better. */
	hi = scale_of_quality(q_low) * 10;
	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	sc->img = img;
	if (threads > 1 && pthread_mutex_init(&sc->mu, NULL) == 0) {
		if (pthread_cond_init(&sc->cv, NULL) == 0) {
			threaded = pthread_create(&th, NULL, score_thread,
			    sc) == 0;
			if (!threaded)
				pthread_cond_destroy(&sc->cv);
		}
		if (!threaded)
			pthread_mutex_destroy(&sc->mu);
	}
	if (!threaded)
		sc->ref = zri_ssim_ref_new(img, 3);
	for (int m = 0; m < nmodes; m++) {
		struct trial t = { NULL, 0, 0 };
		int src;

		if (m == 0 || modes[m][0] != modes[m - 1][0]) {
			zri_dct_free(dct);
			if ((dct = zri_dct_new(img, modes[m][0])) == NULL) {
				zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
				break;
			}
		}
		src = search_scale(dct, modes[m][1], guess, hi, max_bytes, dpi,
		    &t, &encodes, err);
		if (src < 0)
			break;
		searched = m + 1;
		post(sc, threaded, m, &t);
		if (src > 0)
			continue;
		/* The next mode's start: 4:4:4 needs a coarser scale. */
		guess = m + 1 < nmodes && modes[m + 1][0] != modes[m][0] ?
		    t.scale * 3 / 2 : t.scale;
	}
	zri_dct_free(dct);
	if (threaded) {
		pthread_mutex_lock(&sc->mu);
		sc->closed = 1;
		pthread_cond_signal(&sc->cv);
		pthread_mutex_unlock(&sc->mu);
		pthread_join(th, NULL);
		pthread_cond_destroy(&sc->cv);
		pthread_mutex_destroy(&sc->mu);
	}
	/* In mode order, as if each were scored right after its search:
	 * the first failure stops, and a later search error counts only
	 * after every earlier score. */
	rc = 0;
	for (int m = 0; m < searched; m++) {
		struct cand *c = &sc->c[m];

		if (c->failed) {
			if (err != NULL)
				*err = c->err;
			rc = -1;
			break;
		}
		if (c->t.jpeg == NULL || c->s <= best_score)
			continue;
		best_score = c->s;
		fit->len = c->t.len;
		fit->scale_percent = equivalent_percent(c->t.scale);
		fit->quality = quality_of_scale(fit->scale_percent);
		fit->chroma_percent = img->channels == 1 ? 100 : modes[m][1];
		fit->subsample444 = img->channels == 1 ? 0 : modes[m][0];
		fit->ssim = c->sl;
		fit->ssim_ycc = c->s;
		fit->jpeg = c->t.jpeg;
	}
	if (rc == 0 && searched < nmodes)
		rc = -1;       /* err was set by the search or zri_dct_new */
	for (int m = 0; m < searched; m++)
		if (rc != 0 || sc->c[m].t.jpeg != fit->jpeg)
			free(sc->c[m].t.jpeg);
	zri_ssim_ref_free(sc->ref);
	free(sc);
	if (rc != 0) {
		memset(fit, 0, sizeof(*fit));
		return -1;
	}
	fit->encodes = encodes;
	fit->width = img->width;
	fit->height = img->height;
	if (fit->jpeg == NULL)
		return zr_error_set(err, ZR_E_NO_FIT, NULL,
		    "cannot fit %lld bytes at %dx%d", max_bytes, img->width,
		    img->height);
	return 0;
}

int
zr_photo_fit(const struct zr_image *img, long long max_bytes, int q_low,
    int dpi, struct zr_photo_fit *fit, struct zr_error *err)
{
	return zri_photo_fit_threads(img, max_bytes, q_low, dpi, 2, fit, err);
}
