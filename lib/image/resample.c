/* libzairyu: resampling in linear light (Lanczos-3, area averaging). */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/image.h"
#include "image_int.h"

/*
 * The one resampler of the library (issue 12: photos and PDF pages used
 * two).  Pixel values are sRGB-encoded (IEC 61966-2-1); averaging them as
 * they are darkens fine detail, so for photos filtering happens on
 * linear light and the result is encoded again.  Reductions up to 4x use
 * a separable Lanczos-3 kernel stretched by the reduction factor; larger
 * ones average the covered area exactly (a box of the output pixel's
 * footprint), which is alias-free and costs ceil(factor)+1 taps instead
 * of 6 x factor.
 *
 * Document pages (zr_image_resize_encoded) go through the same passes
 * with a Lanczos-2 kernel on the stored values: that keeps thin dark
 * strokes dark, which is what a PDF viewer does when it shows the page,
 * and the shorter kernel is cheaper.
 */

enum rs_mode { RS_LINEAR, RS_ENCODED };

#define LIN_STEPS 4096
#define AREA_FROM 4.0

struct taps {
	int *start, *count;
	float *w;
	int maxtaps;
};

static double
sinc(double x)
{
	if (fabs(x) < 1e-9)
		return 1.0;
	x *= M_PI;
	return sin(x) / x;
}

static double
lanczos3(double x)
{
	if (x <= -3.0 || x >= 3.0)
		return 0.0;
	return sinc(x) * sinc(x / 3.0);
}

static double
lanczos2(double x)
{
	if (x <= -2.0 || x >= 2.0)
		return 0.0;
	return sinc(x) * sinc(x / 2.0);
}

static void
taps_free(struct taps *t)
{
	free(t->start);
	free(t->count);
	free(t->w);
	t->start = t->count = NULL;
	t->w = NULL;
}

/*
 * Weights for n_out samples from the span [x0, x0 + span) of an axis of
 * n_in pixels (a crop with sub-pixel edges costs nothing extra).
 */
static int
taps_make(struct taps *t, int n_in, double x0, double span, int n_out,
    enum rs_mode mode)
{
	double s = span / n_out, fs = s > 1.0 ? s : 1.0;
	double lobes = mode == RS_LINEAR ? 3.0 : 2.0;
	int area = mode == RS_LINEAR && s >= AREA_FROM;

	t->maxtaps = area ? (int)ceil(s) + 2 : (int)ceil(2 * lobes * fs) + 2;
	t->start = malloc(sizeof(int) * (size_t)n_out);
	t->count = malloc(sizeof(int) * (size_t)n_out);
	t->w = malloc(sizeof(float) * (size_t)n_out * (size_t)t->maxtaps);
	if (t->start == NULL || t->count == NULL || t->w == NULL) {
		taps_free(t);
		return -1;
	}
	for (int i = 0; i < n_out; i++) {
		float *w = t->w + (size_t)i * (size_t)t->maxtaps;
		double sum = 0.0;
		int lo, hi, k = 0;

		if (area) {
			double a = x0 + i * s, b = x0 + (i + 1) * s;

			lo = (int)floor(a);
			hi = (int)ceil(b) - 1;
			if (lo < 0)
				lo = 0;
			if (hi > n_in - 1)
				hi = n_in - 1;
			for (int j = lo; j <= hi && k < t->maxtaps; j++) {
				double l = j > a ? j : a, r = j + 1 < b ?
				    j + 1 : b;

				w[k] = (float)(r > l ? r - l : 0.0);
				sum += w[k++];
			}
		} else {
			double c = x0 + (i + 0.5) * s - 0.5, r = lobes * fs;

			lo = (int)floor(c - r) + 1;
			hi = (int)ceil(c + r) - 1;
			if (lo < 0)
				lo = 0;
			if (hi > n_in - 1)
				hi = n_in - 1;
			for (int j = lo; j <= hi && k < t->maxtaps; j++) {
				w[k] = (float)(mode == RS_LINEAR ?
				    lanczos3((j - c) / fs) : lanczos2((j - c) /
				    fs));
				sum += w[k++];
			}
		}
		/* Taps cut off at the border are dropped: renormalise. */
		if (sum == 0.0) {
			w[0] = 1.0f;
			k = 1;
			sum = 1.0;
			if (lo > n_in - 1)
				lo = n_in - 1;
			if (lo < 0)
				lo = 0;
		}
		for (int j = 0; j < k; j++)
			w[j] = (float)(w[j] / sum);
		t->start[i] = lo;
		t->count[i] = k;
	}
	return 0;
}

static double
srgb_to_linear(double v)
{
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double
linear_to_srgb(double v)
{
	return v <= 0.0031308 ? v * 12.92 : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}

static unsigned char
encode(const float *lut, float v)
{
	float f, x;
	int i;

	if (!(v > 0.0f))
		return 0;
	if (v >= 1.0f)
		return 255;
	f = v * LIN_STEPS;
	i = (int)f;
	x = lut[i] + (lut[i + 1] - lut[i]) * (f - (float)i);
	return (unsigned char)(x * 255.0f + 0.5f);
}

static unsigned char
clamp255(float v)
{
	v = v * 255.0f + 0.5f;
	return (unsigned char)(v <= 0.0f ? 0 : v >= 255.0f ? 255 : (int)v);
}

static int resample(const struct zr_image *in, double rx, double ry,
    double rw, double rh, int w, int h, enum rs_mode mode,
    struct zr_image *out, struct zr_error *err);

int
zr_image_resize(const struct zr_image *in, int w, int h,
    struct zr_image *out, struct zr_error *err)
{
	return resample(in, 0.0, 0.0, in->width, in->height, w, h, RS_LINEAR,
	    out, err);
}

int
zr_image_resize_region(const struct zr_image *in, double rx, double ry,
    double rw, double rh, int w, int h, struct zr_image *out,
    struct zr_error *err)
{
	return resample(in, rx, ry, rw, rh, w, h, RS_LINEAR, out, err);
}

int
zr_image_resize_encoded(const struct zr_image *in, int w, int h,
    struct zr_image *out, struct zr_error *err)
{
	return resample(in, 0.0, 0.0, in->width, in->height, w, h, RS_ENCODED,
	    out, err);
}

ZRI_VECTOR
static int
resample(const struct zr_image *in, double rx, double ry, double rw,
    double rh, int w, int h, enum rs_mode mode, struct zr_image *out,
    struct zr_error *err)
{
	struct taps tx = { 0 }, ty = { 0 };
	float tolin[256], tosrgb[LIN_STEPS + 1];
	float *tmp = NULL, *row = NULL, *acc = NULL;
	int ch = in->channels, y_lo, y_hi;
	size_t orow, irow;

	memset(out, 0, sizeof(*out));
	if (in->pixels == NULL || in->width <= 0 || in->height <= 0 ||
	    (ch != 1 && ch != 3))
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "resize: no image");
	if (zri_image_size(w, h, ch) == 0 ||
	    zri_image_size(w, in->height, ch) == 0)
		return zr_error_set(err, ZR_E_PIXELS, NULL,
		    "resize: bad target size %dx%d", w, h);
	if (!(rx >= 0.0 && ry >= 0.0 && rw > 0.0 && rh > 0.0 &&
	    rx + rw <= in->width + 1e-6 && ry + rh <= in->height + 1e-6))
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "resize: region outside the %dx%d image", in->width,
		    in->height);
	for (int i = 0; i < 256; i++)
		tolin[i] = mode == RS_LINEAR ? (float)srgb_to_linear(i /
		    255.0) : (float)(i / 255.0);
	if (mode == RS_LINEAR)
		for (int i = 0; i <= LIN_STEPS; i++)
			tosrgb[i] = (float)linear_to_srgb((double)i /
			    LIN_STEPS);
	orow = (size_t)w * (size_t)ch;
	irow = (size_t)in->width * (size_t)ch;
	if (taps_make(&tx, in->width, rx, rw, w, mode) != 0)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	if (taps_make(&ty, in->height, ry, rh, h, mode) != 0) {
		taps_free(&tx);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	y_lo = ty.start[0];
	y_hi = 0;
	for (int y = 0; y < h; y++) {
		if (ty.start[y] < y_lo)
			y_lo = ty.start[y];
		if (ty.start[y] + ty.count[y] - 1 > y_hi)
			y_hi = ty.start[y] + ty.count[y] - 1;
	}
	/* The rows the vertical taps use only (a band of a tall image). */
	if ((tmp = malloc(sizeof(float) * orow * (size_t)(y_hi - y_lo + 1))) ==
	    NULL || (row = malloc(sizeof(float) * irow)) == NULL ||
	    (acc = malloc(sizeof(float) * orow)) == NULL ||
	    zr_image_alloc(out, w, h, ch, err) != 0) {
		taps_free(&tx);
		taps_free(&ty);
		free(tmp);
		free(row);
		free(acc);
		if (out->pixels == NULL)
			return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		zr_image_free(out);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	/* Horizontal pass: the input rows the vertical taps use, in linear
	 * light (or as stored). */
	for (int y = y_lo; y <= y_hi; y++) {
		const unsigned char *s = in->pixels + (size_t)y * irow;
		float *d = tmp + (size_t)(y - y_lo) * orow;

		for (size_t i = 0; i < irow; i++)
			row[i] = tolin[s[i]];
		for (int x = 0; x < w; x++) {
			const float *wt = tx.w + (size_t)x * (size_t)tx.maxtaps;
			const float *p = row + (size_t)tx.start[x] * (size_t)ch;
			int n = tx.count[x];

			if (ch == 3) {
				float r = 0, g = 0, b = 0;

				for (int k = 0; k < n; k++, p += 3) {
					r += wt[k] * p[0];
					g += wt[k] * p[1];
					b += wt[k] * p[2];
				}
				d[0] = r;
				d[1] = g;
				d[2] = b;
				d += 3;
			} else {
				float v = 0;

				for (int k = 0; k < n; k++)
					v += wt[k] * p[k];
				*d++ = v;
			}
		}
	}
	/* Vertical pass, then back to sRGB. */
	for (int y = 0; y < h; y++) {
		const float *wt = ty.w + (size_t)y * (size_t)ty.maxtaps;
		unsigned char *d = out->pixels + (size_t)y * orow;

		memset(acc, 0, sizeof(float) * orow);
		for (int k = 0; k < ty.count[y]; k++) {
			const float *s = tmp + (size_t)(ty.start[y] + k -
			    y_lo) * orow;
			float c = wt[k];

			for (size_t i = 0; i < orow; i++)
				acc[i] += c * s[i];
		}
		if (mode == RS_LINEAR)
			for (size_t i = 0; i < orow; i++)
				d[i] = encode(tosrgb, acc[i]);
		else
			for (size_t i = 0; i < orow; i++)
				d[i] = clamp255(acc[i]);
	}
	taps_free(&tx);
	taps_free(&ty);
	free(tmp);
	free(row);
	free(acc);
	return 0;
}
