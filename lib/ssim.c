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

/* JFIF (ITU-T T.871) Y, Cb, Cr of pixel i; plane 0 of gray is the value. */
static double
plane_value(const struct zr_image *m, size_t i, int plane)
{
	const unsigned char *p;

	if (m->channels == 1)
		return m->pixels[i];
	p = m->pixels + i * 3;
	switch (plane) {
	case 1:
		return -0.168736 * p[0] - 0.331264 * p[1] + 0.5 * p[2] + 128;
	case 2:
		return 0.5 * p[0] - 0.418688 * p[1] - 0.081312 * p[2] + 128;
	default:
		return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
	}
}

static double
ssim_of(double mx, double my, double xx, double yy, double xy)
{
	double vx = xx - mx * mx, vy = yy - my * my, cxy = xy - mx * my;

	return ((2 * mx * my + C1) * (2 * cxy + C2)) /
	    ((mx * mx + my * my + C1) * (vx + vy + C2));
}

static double
global_ssim(const struct zr_image *a, const struct zr_image *b, size_t n,
    int plane)
{
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, dn = (double)n;

	for (size_t i = 0; i < n; i++) {
		double x = plane_value(a, i, plane), y = plane_value(b, i, plane);

		sx += x;
		sy += y;
		sxx += x * x;
		syy += y * y;
		sxy += x * y;
	}
	return ssim_of(sx / dn, sy / dn, sxx / dn, syy / dn, sxy / dn);
}

static double
ssim_plane(const struct zr_image *a, const struct zr_image *b, int plane)
{
	int w = a->width, h = a->height, vw, vh;
	double g[WIN], gs = 0, total = 0;
	double *pl = NULL, *hz = NULL;
	size_t n;

	n = (size_t)w * (size_t)h;
	if (w < WIN || h < WIN)
		return global_ssim(a, b, n, plane);
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
		return global_ssim(a, b, n, plane);
	}
	for (size_t i = 0; i < n; i++) {
		pl[i] = plane_value(a, i, plane);
		pl[n + i] = plane_value(b, i, plane);
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

static int
comparable(const struct zr_image *a, const struct zr_image *b)
{
	return a->pixels != NULL && b->pixels != NULL &&
	    a->width == b->width && a->height == b->height &&
	    a->channels == b->channels && a->width > 0 && a->height > 0 &&
	    (a->channels == 1 || a->channels == 3);
}

double
zr_image_ssim(const struct zr_image *a, const struct zr_image *b)
{
	if (!comparable(a, b))
		return 0.0;
	return ssim_plane(a, b, 0);
}

double
zr_image_ssim_ycc(const struct zr_image *a, const struct zr_image *b)
{
	if (!comparable(a, b))
		return 0.0;
	if (a->channels == 1)
		return ssim_plane(a, b, 0);
	return (6.0 * ssim_plane(a, b, 0) + ssim_plane(a, b, 1) +
	    ssim_plane(a, b, 2)) / 8.0;
}
