/* libzairyu: structural similarity (SSIM) of two images, on luma. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/image.h"

/*
 * Wang, Bovik, Sheikh, Simoncelli, "Image quality assessment: from error
 * visibility to structural similarity", IEEE TIP 13(4), 2004: 11x11
 * Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, L = 255, mean over
 * the windows that lie fully inside the image.  Images smaller than the
 * window get one window covering everything.
 */

#define WIN 11
#define C1 ((0.01 * 255) * (0.01 * 255))
#define C2 ((0.03 * 255) * (0.03 * 255))

static double
luma(const struct zr_image *m, size_t i)
{
	const unsigned char *p;

	if (m->channels == 1)
		return m->pixels[i];
	p = m->pixels + i * 3;
	return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

static double
ssim_of(double mx, double my, double xx, double yy, double xy)
{
	double vx = xx - mx * mx, vy = yy - my * my, cxy = xy - mx * my;

	return ((2 * mx * my + C1) * (2 * cxy + C2)) /
	    ((mx * mx + my * my + C1) * (vx + vy + C2));
}

static double
global_ssim(const struct zr_image *a, const struct zr_image *b, size_t n)
{
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, dn = (double)n;

	for (size_t i = 0; i < n; i++) {
		double x = luma(a, i), y = luma(b, i);

		sx += x;
		sy += y;
		sxx += x * x;
		syy += y * y;
		sxy += x * y;
	}
	return ssim_of(sx / dn, sy / dn, sxx / dn, syy / dn, sxy / dn);
}

double
zr_image_ssim(const struct zr_image *a, const struct zr_image *b)
{
	int w = a->width, h = a->height, vw, vh;
	double g[WIN], gs = 0, total = 0;
	double *pl = NULL, *hz = NULL;
	size_t n;

	if (a->pixels == NULL || b->pixels == NULL || w != b->width ||
	    h != b->height || a->channels != b->channels || w <= 0 || h <= 0)
		return 0.0;
	n = (size_t)w * (size_t)h;
	if (w < WIN || h < WIN)
		return global_ssim(a, b, n);
	for (int i = 0; i < WIN; i++) {
		double d = i - (WIN - 1) / 2.0;

		g[i] = exp(-d * d / (2 * 1.5 * 1.5));
		gs += g[i];
	}
	for (int i = 0; i < WIN; i++)
		g[i] /= gs;
	vw = w - WIN + 1;
	vh = h - WIN + 1;
	/* Planes x, y, then horizontally filtered x, y, xx, yy, xy. */
	pl = malloc(sizeof(double) * 2 * n);
	hz = malloc(sizeof(double) * 5 * (size_t)vw * (size_t)h);
	if (pl == NULL || hz == NULL) {
		free(pl);
		free(hz);
		return global_ssim(a, b, n);
	}
	for (size_t i = 0; i < n; i++) {
		pl[i] = luma(a, i);
		pl[n + i] = luma(b, i);
	}
	for (int y = 0; y < h; y++) {
		const double *px = pl + (size_t)y * (size_t)w;
		const double *py = pl + n + (size_t)y * (size_t)w;

		for (int x = 0; x < vw; x++) {
			double s[5] = { 0, 0, 0, 0, 0 };
			double *d = hz + 5 * ((size_t)y * (size_t)vw +
			    (size_t)x);

			for (int k = 0; k < WIN; k++) {
				double u = px[x + k], v = py[x + k];

				s[0] += g[k] * u;
				s[1] += g[k] * v;
				s[2] += g[k] * u * u;
				s[3] += g[k] * v * v;
				s[4] += g[k] * u * v;
			}
			memcpy(d, s, sizeof(s));
		}
	}
	for (int y = 0; y < vh; y++) {
		for (int x = 0; x < vw; x++) {
			double s[5] = { 0, 0, 0, 0, 0 };

			for (int k = 0; k < WIN; k++) {
				const double *d = hz + 5 * ((size_t)(y + k) *
				    (size_t)vw + (size_t)x);

				for (int c = 0; c < 5; c++)
					s[c] += g[k] * d[c];
			}
			total += ssim_of(s[0], s[1], s[2], s[3], s[4]);
		}
	}
	free(pl);
	free(hz);
	return total / ((double)vw * vh);
}
