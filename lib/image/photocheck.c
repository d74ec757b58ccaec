/* libzairyu: photo checks: recency, the pixels (background, exposure,
 * signature), the file against its profile (zr-photo --check). */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/photo.h"
#include "image_int.h"

/* Luma value at the given fraction (0..1) of the sorted values. */
int
zri_photo_percentile(const unsigned long hist[256], unsigned long n,
    double frac)
{
	unsigned long want = (unsigned long)((double)n * frac), acc = 0;

	for (int v = 0; v < 256; v++) {
		acc += hist[v];
		if (acc > want)
			return v;
	}
	return 255;
}

void
zri_photo_add(struct zr_photo_findings *f, const char *code, const char *fmt,
    ...)
{
	va_list ap;

	if (f->n >= ZR_PHOTO_MAX_FINDINGS)
		return;
	f->f[f->n].code = code;
	f->f[f->n].note = 0;
	va_start(ap, fmt);
	vsnprintf(f->f[f->n].msg, sizeof(f->f[f->n].msg), fmt, ap);
	va_end(ap);
	f->n++;
}

void
zr_photo_check_recency(const struct zr_image_info *info,
    const struct zr_photo_profile *p, struct zr_date today,
    struct zr_photo_findings *f)
{
	char a[ZR_DATE_BUFSZ], b[ZR_DATE_BUFSZ];
	struct zr_date limit;

	if (info->taken.y == 0 || today.y == 0)
		return;
	if (zr_date_cmp(info->taken, today) > 0) {
		zri_photo_add(f, "future", "EXIF date taken %s is after today %s "
		    "(camera clock wrong?)", zr_date_format(info->taken, a),
		    zr_date_format(today, b));
		return;
	}
	if (p->recency_months <= 0)
		return;
	/* rules-facts §1.1/§8: taken at most N months before applying. */
	limit = zr_date_add_months(today, -p->recency_months);
	if (zr_date_cmp(info->taken, limit) < 0) {
		zri_photo_add(f, "recency", "taken %s, more than %d months before %s "
		    "(the photo must be recent)", zr_date_format(info->taken,
		    a), p->recency_months, zr_date_format(today, b));
		return;
	}
	if (p->recency_warn_months <= 0)
		return;
	limit = zr_date_add_months(today, -p->recency_warn_months);
	if (zr_date_cmp(info->taken, limit) < 0 && f->n < ZR_PHOTO_MAX_FINDINGS) {
		zri_photo_add(f, "recency_old", "taken %s, more than %d months before "
		    "%s: accepted now, but the older rule asked for %d months; "
		    "a newer photo is safer", zr_date_format(info->taken, a),
		    p->recency_warn_months, zr_date_format(today, b),
		    p->recency_warn_months);
		f->f[f->n - 1].note = 1;
	}
}

/* A luma plane (1 byte per pixel) of img; NULL when out of memory. */
static unsigned char *
luma_plane(const struct zr_image *img)
{
	struct zr_image g;

	if (img->channels == 1) {
		size_t n = (size_t)img->width * (size_t)img->height;
		unsigned char *p = malloc(n);

		if (p != NULL)
			memcpy(p, img->pixels, n);
		return p;
	}
	if (zr_image_to_gray(img, &g, NULL) != 0)
		return NULL;
	return g.pixels;
}

/*
 * Plain background (rules-facts §1.1: no background, no shadows): in the
 * band along the top and along both sides of the upper half (below, the
 * shoulders reach the edge), the luma spread and the share of edge
 * pixels.  A plain wall, even lit unevenly, has a small spread and
 * almost no edges.
 */
#define BG_BAND        0.07
#define BG_MAX_SD      16.0
#define BG_MAX_EDGES   0.06
#define BG_EDGE_STEP   24
#define DARK_MEAN      60
#define BRIGHT_MEAN    215
#define CLIP_SHARE     0.15

static void
check_background(const unsigned char *g, int w, int h,
    struct zr_photo_findings *f)
{
	int bx = (int)(w * BG_BAND + 1), by = (int)(h * BG_BAND + 1);
	int side_h = h / 2;
	double sum = 0, sum2 = 0, n = 0, edges = 0, sd;

	for (int y = 0; y < side_h; y++)
		for (int x = 0; x < w; x++) {
			int v, d;

			if (y >= by && x >= bx && x < w - bx)
				continue;
			v = g[(size_t)y * (size_t)w + (size_t)x];
			sum += v;
			sum2 += (double)v * v;
			n++;
			if (x + 1 < w && y + 1 < h) {
				d = abs(v - g[(size_t)y * (size_t)w +
				    (size_t)x + 1]) + abs(v -
				    g[(size_t)(y + 1) * (size_t)w +
				    (size_t)x]);
				if (d > BG_EDGE_STEP)
					edges++;
			}
		}
	if (n < 16)
		return;
	sd = sum2 / n - (sum / n) * (sum / n);
	sd = sd > 0 ? sqrt(sd) : 0;
	if (sd > BG_MAX_SD || edges / n > BG_MAX_EDGES)
		zri_photo_add(f, "background", "background is not plain (spread %.0f, "
		    "edges %.0f%% in the border band; want a plain wall "
		    "without shadows)", sd, 100.0 * edges / n);
}

static void
check_exposure(const unsigned char *g, int w, int h,
    struct zr_photo_findings *f)
{
	int x0 = w / 4, x1 = w - w / 4, y0 = h / 4, y1 = h - h / 4;
	double sum = 0, n = 0, lo = 0, hi = 0, mean;

	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			int v = g[(size_t)y * (size_t)w + (size_t)x];

			sum += v;
			n++;
			if (v <= 3)
				lo++;
			if (v >= 252)
				hi++;
		}
	if (n == 0)
		return;
	mean = sum / n;
	if (mean < DARK_MEAN)
		zri_photo_add(f, "dark", "too dark (mean brightness %.0f of 255 in the "
		    "middle)", mean);
	else if (mean > BRIGHT_MEAN)
		zri_photo_add(f, "bright", "too bright (mean brightness %.0f of 255 in "
		    "the middle)", mean);
	if (hi / n > CLIP_SHARE)
		zri_photo_add(f, "clipped", "highlights clipped (%.0f%% of the middle "
		    "is pure white)", 100.0 * hi / n);
	if (lo / n > CLIP_SHARE)
		zri_photo_add(f, "clipped", "shadows clipped (%.0f%% of the middle is "
		    "pure black)", 100.0 * lo / n);
}

/* MOFA-SIG (rules-facts §1.3): white clean paper, black or dark ink, the
 * whole signature inside the frame. */
#define PAPER_MIN      220
#define INK_MAX        110
#define INK_STEP       60

static void
check_signature(const unsigned char *g, int w, int h,
    struct zr_photo_findings *f)
{
	unsigned long hist[256] = { 0 }, n = (unsigned long)w *
	    (unsigned long)h, ink = 0, edge = 0;
	int paper, dark, cut;
	int band = w / 200 + 2;

	for (unsigned long i = 0; i < n; i++)
		hist[g[i]]++;
	paper = zri_photo_percentile(hist, n, 0.75);
	dark = zri_photo_percentile(hist, n, 0.002);
	if (paper < PAPER_MIN)
		zri_photo_add(f, "paper", "background is not white (paper brightness "
		    "%d of 255, want at least %d)", paper, PAPER_MIN);
	if (paper - dark < INK_STEP) {
		zri_photo_add(f, "ink", "no signature found (ink too light or missing)");
		return;
	}
	if (dark > INK_MAX)
		zri_photo_add(f, "ink", "ink too light (darkest strokes %d of 255; use "
		    "black or dark-blue ink)", dark);
	cut = (paper + dark) / 2;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			if (g[(size_t)y * (size_t)w + (size_t)x] >= cut)
				continue;
			ink++;
			if (x < band || y < band || x >= w - band ||
			    y >= h - band)
				edge++;
		}
	if (edge > 3 && edge * 200 > ink / 10)
		zri_photo_add(f, "edge", "the signature touches the edge of the image "
		    "(it may be cut off)");
}

void
zr_photo_check_pixels(const struct zr_image *img,
    const struct zr_photo_profile *p, struct zr_photo_findings *f)
{
	unsigned char *g;

	if (img->width < 8 || img->height < 8)
		return;
	if ((g = luma_plane(img)) == NULL)
		return;
	if (p->signature) {
		check_signature(g, img->width, img->height, f);
	} else {
		check_background(g, img->width, img->height, f);
		check_exposure(g, img->width, img->height, f);
	}
	free(g);
}

int
zr_photo_check(const unsigned char *buf, size_t len, const char *name,
    const struct zr_photo_profile *p, struct zr_date today,
    struct zr_photo_findings *f, struct zr_image_info *info,
    struct zr_error *err)
{
	struct zr_decode_opts dopt;
	struct zr_image img;
	char meta[64] = "";

	f->n = 0;
	memset(&dopt, 0, sizeof(dopt));
	dopt.min_width = dopt.min_height = 256;
	dopt.apply_orientation = 1;
	dopt.gray = p->gray;
	if (zr_image_decode(buf, len, name, &dopt, &img, info, err) != 0)
		return -1;
	if (info->format != ZR_IMG_JPEG)
		zri_photo_add(f, "format", "a%s %s file; the upload wants "
		    "JPEG", info->format == ZR_IMG_AVIF ? "n" : "",
		    zr_image_format_name(info->format));
	else if (info->progressive)
		zri_photo_add(f, "progressive", "progressive JPEG; upload forms "
		    "expect baseline");
	/* The upload is a JPEG named .jpg or .jpeg (rules-facts §1.2). */
	if (zr_image_name_mismatch(name, info->format, meta, sizeof(meta)))
		zri_photo_add(f, "extension", "%s; the upload wants a JPEG "
		    "named .jpg or .jpeg", meta);
	meta[0] = '\0';
	if (info->format == ZR_IMG_JPEG && info->components == 4)
		zri_photo_add(f, "colour", "CMYK JPEG; the upload wants sRGB");
	if ((long long)info->bytes > p->max_bytes)
		zri_photo_add(f, "bytes", "%zu bytes, over the limit of %lld bytes",
		    info->bytes, p->max_bytes);
	if (p->fixed_size) {
		if (info->width != p->width || info->height != p->height)
			zri_photo_add(f, "pixels", "%dx%d pixels; the form wants %dx%d",
			    info->width, info->height, p->width, p->height);
	} else {
		long long a = (long long)info->width * p->aspect_h,
		    b = (long long)info->height * p->aspect_w;

		/* Within 1 % of the aspect (rounding of small sizes). */
		if (llabs(a - b) * 100 > b)
			zri_photo_add(f, "aspect", "%dx%d pixels is not %d:%d (width:"
			    "height)", info->width, info->height,
			    p->aspect_w, p->aspect_h);
		if (info->width < p->min_width ||
		    info->height < p->min_height)
			zri_photo_add(f, "pixels", "%dx%d pixels is below the minimum "
			    "%dx%d", info->width, info->height,
			    p->min_width, p->min_height);
	}
	if (info->orientation != 1)
		zri_photo_add(f, "orientation", "EXIF orientation %d: shown upright "
		    "only by viewers that honour it", info->orientation);
	if (info->has_exif)
		strcat(meta, ", EXIF");
	if (info->has_xmp)
		strcat(meta, ", XMP");
	if (info->has_iptc)
		strcat(meta, ", IPTC");
	if (info->has_comment)
		strcat(meta, ", comment");
	if (meta[0] != '\0')
		zri_photo_add(f, "metadata", "metadata present: %s", meta + 2);
	if (info->has_gps)
		zri_photo_add(f, "gps", "EXIF GPS data present%s: the photo can tell "
		    "where it was taken", info->has_gps_position ?
		    " (a position)" : "");
	zr_photo_check_recency(info, p, today, f);
	zr_photo_check_pixels(&img, p, f);
	zr_image_free(&img);
	return 0;
}
