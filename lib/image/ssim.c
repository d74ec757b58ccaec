/* libzairyu: structural similarity (SSIM) of two images. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/image.h"
#include "image_int.h"

/*
 * Wang, Bovik, Sheikh, Simoncelli, "Image quality assessment: from error
 * visibility to structural similarity", IEEE TIP 13(4), 2004: 11x11
 * Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, L = 255, mean over
 * the windows that lie fully inside the image.  Images smaller than the
 * window get one window covering everything.  Planes are JFIF Y, Cb, Cr.
 *
 * The reference image's planes and window means are kept in a context,
 * so that the size search compares many candidates against one image at
 * the cost of three filterings per plane instead of five.
 */

#define WIN 11
#define C1 ((0.01 * 255) * (0.01 * 255))
#define C2 ((0.03 * 255) * (0.03 * 255))

struct plane_ref {
	float *x;        /* centred values (v - 128), w x h */
	float *mx, *xx;  /* window means of x and x*x, vw x vh */
};

static void gauss_valid(const float *, int, int, const float *, float *,
    float *);

struct zri_ssim_ref {
	int w, h, channels, vw, vh, small;
	float g[WIN];
	const struct zr_image *img;
	struct plane_ref p[3];
};

/* Plane `plane` of img as floats centred on 128 (float keeps variances
 * exact enough that way). */
static void
plane_of(const struct zr_image *m, int plane, float *out)
{
	size_t n = (size_t)m->width * (size_t)m->height;
	const unsigned char *p = m->pixels;

	if (m->channels == 1) {
		for (size_t i = 0; i < n; i++)
			out[i] = (float)p[i] - 128.0f;
		return;
	}
	for (size_t i = 0; i < n; i++, p += 3) {
		float r = p[0], g = p[1], b = p[2];

		switch (plane) {
		case 1:
			out[i] = -0.168736f * r - 0.331264f * g + 0.5f * b;
			break;
		case 2:
			out[i] = 0.5f * r - 0.418688f * g - 0.081312f * b;
			break;
		default:
			out[i] = 0.299f * r + 0.587f * g + 0.114f * b -
			    128.0f;
			break;
		}
	}
}

/*
 * Filter the rows of src (w x h) with the window into tmp (vw x h), then
 * the columns into dst (vw x vh).  The loops run along rows so that they
 * vectorise; together they are nearly the whole cost of SSIM.
 */
ZRI_VECTOR
static void
multiply(const float *restrict a, const float *restrict b,
    float *restrict out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = a[i] * b[i];
}

static double
ssim_of(double mx, double my, double vx, double vy, double cxy)
{
	return ((2 * mx * my + C1) * (2 * cxy + C2)) /
	    ((mx * mx + my * my + C1) * (vx + vy + C2));
}

/* One window over everything, for images smaller than the window. */
static double
global_ssim(const float *x, const float *y, size_t n)
{
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, dn = (double)n;

	for (size_t i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
		sxx += (double)x[i] * x[i];
		syy += (double)y[i] * y[i];
		sxy += (double)x[i] * y[i];
	}
	sx /= dn;
	sy /= dn;
	return ssim_of(sx + 128.0, sy + 128.0, sxx / dn - sx * sx,
	    syy / dn - sy * sy, sxy / dn - sx * sy);
}

void
zri_ssim_ref_free(struct zri_ssim_ref *r)
{
	if (r == NULL)
		return;
	for (int i = 0; i < 3; i++) {
		free(r->p[i].x);
		free(r->p[i].mx);
		free(r->p[i].xx);
	}
	free(r);
}

struct zri_ssim_ref *
zri_ssim_ref_new(const struct zr_image *img, int planes)
{
	struct zri_ssim_ref *r;
	size_t n, nv;
	float *tmp = NULL, *prod = NULL;
	double gs = 0, gd[WIN];

	if (img->pixels == NULL || img->width <= 0 || img->height <= 0 ||
	    (img->channels != 1 && img->channels != 3))
		return NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->w = img->width;
	r->h = img->height;
	r->channels = img->channels;
	r->img = img;
	r->small = r->w < WIN || r->h < WIN;
	r->vw = r->small ? 1 : r->w - WIN + 1;
	r->vh = r->small ? 1 : r->h - WIN + 1;
	for (int i = 0; i < WIN; i++) {
		double d = i - (WIN - 1) / 2.0;

		gd[i] = exp(-d * d / (2 * 1.5 * 1.5));
		gs += gd[i];
	}
	for (int i = 0; i < WIN; i++)
		r->g[i] = (float)(gd[i] / gs);
	n = (size_t)r->w * (size_t)r->h;
	nv = (size_t)r->vw * (size_t)r->vh;
	if (img->channels == 1 || planes < 1)
		planes = 1;
	if (!r->small) {
		tmp = malloc(sizeof(float) * (size_t)r->vw * (size_t)r->h);
		prod = malloc(sizeof(float) * n);
		if (tmp == NULL || prod == NULL)
			goto fail;
	}
	for (int p = 0; p < planes; p++) {
		struct plane_ref *pr = &r->p[p];

		if ((pr->x = malloc(sizeof(float) * n)) == NULL)
			goto fail;
		plane_of(img, p, pr->x);
		if (r->small)
			continue;
		pr->mx = malloc(sizeof(float) * nv);
		pr->xx = malloc(sizeof(float) * nv);
		if (pr->mx == NULL || pr->xx == NULL)
			goto fail;
		gauss_valid(pr->x, r->w, r->h, r->g, tmp, pr->mx);
		multiply(pr->x, pr->x, prod, n);
		gauss_valid(prod, r->w, r->h, r->g, tmp, pr->xx);
	}
	free(tmp);
	free(prod);
	return r;
fail:
	free(tmp);
	free(prod);
	zri_ssim_ref_free(r);
	return NULL;
}

/* Row y of plane `plane` of img, as plane_of() computes it (one loop
 * per plane, so that each vectorises). */
ZRI_VECTOR
static void
row_of(const struct zr_image *m, int plane, int y, float *restrict out)
{
	int w = m->width;
	const unsigned char *restrict p = m->pixels + (size_t)y * (size_t)w *
	    (size_t)m->channels;

	if (m->channels == 1) {
		for (int i = 0; i < w; i++)
			out[i] = (float)p[i] - 128.0f;
		return;
	}
	switch (plane) {
	case 1:
		for (int i = 0; i < w; i++)
			out[i] = -0.168736f * (float)p[3 * i] - 0.331264f *
			    (float)p[3 * i + 1] + 0.5f * (float)p[3 * i + 2];
		break;
	case 2:
		for (int i = 0; i < w; i++)
			out[i] = 0.5f * (float)p[3 * i] - 0.418688f *
			    (float)p[3 * i + 1] - 0.081312f * (float)p[3 * i + 2];
		break;
	default:
		for (int i = 0; i < w; i++)
			out[i] = 0.299f * (float)p[3 * i] + 0.587f *
			    (float)p[3 * i + 1] + 0.114f * (float)p[3 * i + 2] -
			    128.0f;
		break;
	}
}

/* The row half of gauss_valid() for one row (same order of sums). */
ZRI_VECTOR
static void
filter_row(const float *restrict s, int vw, const float *g,
    float *restrict d)
{
	for (int x = 0; x < vw; x++)
		d[x] = g[0] * s[x];
	for (int k = 1; k < WIN; k++) {
		const float *restrict sk = s + k;
		float gk = g[k];

		for (int x = 0; x < vw; x++)
			d[x] += gk * sk[x];
	}
}

/* The column half: output row oy from the WIN rows below it in a block
 * of rows whose row for input row oy + k is at (oy + k) % period (a
 * ring of WIN rows, or whole planes with a period past their height). */
ZRI_VECTOR
static void
filter_col(const float *rows, int oy, int period, int vw, const float *g,
    float *restrict d)
{
	const float *restrict s0 = rows + (size_t)(oy % period) * (size_t)vw;

	for (int x = 0; x < vw; x++)
		d[x] = g[0] * s0[x];
	for (int k = 1; k < WIN; k++) {
		const float *restrict sk = rows + (size_t)((oy + k) % period) *
		    (size_t)vw;
		float gk = g[k];

		for (int x = 0; x < vw; x++)
			d[x] += gk * sk[x];
	}
}

/* The window means of a whole w x h plane into dst (vw x vh), through
 * tmp (vw x h): the row half, then the column half. */
static void
gauss_valid(const float *src, int w, int h, const float *g, float *tmp,
    float *dst)
{
	int vw = w - WIN + 1, vh = h - WIN + 1;

	for (int y = 0; y < h; y++)
		filter_row(src + (size_t)y * (size_t)w, vw, g,
		    tmp + (size_t)y * (size_t)vw);
	for (int y = 0; y < vh; y++)
		filter_col(tmp, y, h, vw, g, dst + (size_t)y * (size_t)vw);
}

/* The SSIM of each window of one output row (summed by the caller, in
 * order, so that the total does not depend on the vector width). */
ZRI_VECTOR
static void
ssim_row(const float *restrict mxr, const float *restrict xxr,
    const float *restrict my, const float *restrict yy,
    const float *restrict xy, size_t n, double *restrict val)
{
	for (size_t i = 0; i < n; i++) {
		double mx = mxr[i], m = my[i];

		/* Variances do not move with the centring; the means do. */
		val[i] = ssim_of(mx + 128.0, m + 128.0, xxr[i] - mx * mx,
		    yy[i] - m * m, xy[i] - mx * m);
	}
}

/*
 * SSIM of plane p of b against the reference; -2 when out of memory.
 * One pass down the rows: each row of b is converted, squared and
 * multiplied by the reference's, filtered along the row into a ring of
 * the last WIN rows, and each output row is filtered down the ring and
 * summed at once.  The sums are those of gauss_valid() over whole
 * planes, in the same order, without the planes.
 */
static double
compare_plane(const struct zri_ssim_ref *r, const struct zr_image *b, int p)
{
	const struct plane_ref *pr = &r->p[p];
	size_t w = (size_t)r->w, vw = (size_t)r->vw;
	float *buf, *y, *yy, *xy, *ring[3], *out[3];
	double total = 0, *val;

	if (pr->x == NULL)
		return -2.0;
	if (r->small) {
		size_t n = w * (size_t)r->h;

		if ((buf = malloc(sizeof(float) * n)) == NULL)
			return -2.0;
		plane_of(b, p, buf);
		total = global_ssim(pr->x, buf, n);
		free(buf);
		return total;
	}
	buf = malloc(sizeof(float) * (3 * w + (3 * WIN + 3) * vw));
	val = malloc(sizeof(double) * vw);
	if (buf == NULL || val == NULL) {
		free(buf);
		free(val);
		return -2.0;
	}
	y = buf;
	yy = y + w;
	xy = yy + w;
	for (int q = 0; q < 3; q++) {
		ring[q] = xy + w + (size_t)q * WIN * vw;
		out[q] = xy + w + 3 * WIN * vw + (size_t)q * vw;
	}
	for (int row = 0; row < r->h; row++) {
		size_t slot = (size_t)(row % WIN) * vw;
		int oy = row - (WIN - 1);

		row_of(b, p, row, y);
		multiply(y, y, yy, w);
		multiply(pr->x + (size_t)row * w, y, xy, w);
		filter_row(y, r->vw, r->g, ring[0] + slot);
		filter_row(yy, r->vw, r->g, ring[1] + slot);
		filter_row(xy, r->vw, r->g, ring[2] + slot);
		if (oy < 0)
			continue;
		for (int q = 0; q < 3; q++)
			filter_col(ring[q], oy, WIN, r->vw, r->g, out[q]);
		ssim_row(pr->mx + (size_t)oy * vw, pr->xx + (size_t)oy * vw,
		    out[0], out[1], out[2], vw, val);
		for (size_t i = 0; i < vw; i++)
			total += val[i];
	}
	free(buf);
	free(val);
	return total / (double)(vw * (size_t)r->vh);
}

static int
comparable(const struct zr_image *a, const struct zr_image *b)
{
	return a->pixels != NULL && b->pixels != NULL &&
	    a->width == b->width && a->height == b->height &&
	    a->channels == b->channels && a->width > 0 && a->height > 0 &&
	    (a->channels == 1 || a->channels == 3);
}

double
zri_ssim_ref_compare(const struct zri_ssim_ref *r, const struct zr_image *b,
    double *luma)
{
	double s[3];

	if (!comparable(r->img, b))
		return 0.0;
	s[0] = compare_plane(r, b, 0);
	if (luma != NULL)
		*luma = s[0];
	if (r->channels == 1 || r->p[1].x == NULL || s[0] < -1.0)
		return s[0];
	s[1] = compare_plane(r, b, 1);
	s[2] = compare_plane(r, b, 2);
	if (s[1] < -1.0 || s[2] < -1.0)
		return -2.0;
	/* 6:1:1: luma counts most, as it does for the eye. */
	return (6.0 * s[0] + s[1] + s[2]) / 8.0;
}

static double
ssim_planes(const struct zr_image *a, const struct zr_image *b, int planes,
    double *luma)
{
	struct zri_ssim_ref *r;
	double s;

	if (!comparable(a, b))
		return 0.0;
	if ((r = zri_ssim_ref_new(a, planes)) == NULL)
		return 0.0;
	s = zri_ssim_ref_compare(r, b, luma);
	zri_ssim_ref_free(r);
	return s < -1.0 ? 0.0 : s;
}

double
zr_image_ssim(const struct zr_image *a, const struct zr_image *b)
{
	return ssim_planes(a, b, 1, NULL);
}

double
zr_image_ssim_ycc(const struct zr_image *a, const struct zr_image *b)
{
	return ssim_planes(a, b, 3, NULL);
}
