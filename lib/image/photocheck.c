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
check_background(const unsigned char *g, int w, int h, const char *where,
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
		    "edges %.0f%% in the border band%s; want a plain wall "
		    "without shadows)", sd, 100.0 * edges / n, where);
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
		check_background(g, img->width, img->height, "", f);
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
	/* The portrait's landmarks want the face large enough for the
	 * detector (zr_face_find() searches at most 800 pixels long). */
	dopt.min_width = dopt.min_height = p->face ? 600 : 256;
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
	/* GPS in XMP is GPS as much as in EXIF (issue 14). */
	if (info->has_gps || info->priv.gps)
		zri_photo_add(f, "gps", "%s GPS data present%s: the photo can "
		    "tell where it was taken", !info->priv.gps ? "EXIF" :
		    info->has_gps ? "EXIF and XMP" : "XMP",
		    info->has_gps_position || info->priv.gps_position == 3 ?
		    " (a position)" : "");
	zr_photo_check_recency(info, p, today, f);
	if (zr_photo_check_face(&img, p, f, NULL, err) != 0) {
		zr_image_free(&img);
		return -1;
	}
	zr_image_free(&img);
	return 0;
}

/* ---- the landmark checks of a portrait ---- */

void
zr_photo_measure_head(const struct zr_photo_head *h,
    const struct zr_photo_geometry *g, int W, int H,
    struct zr_photo_measure *m)
{
	double sy = H > 0 ? (double)g->frame_h_mm / H : 0;
	double sx = W > 0 ? (double)g->frame_w_mm / W : 0;

	m->crown_found = h->crown_refined;
	m->crown_at_edge = h->crown_at_edge || h->crown_y <= 0;
	m->head_mm = (h->chin_y - h->crown_y) * sy;
	m->top_mm = h->crown_y * sy;
	m->chin_mm = (H - h->chin_y) * sy;
	m->left_mm = h->centre_x * sx;
	m->right_mm = (W - h->centre_x) * sx;
	m->roll_deg = h->roll_deg;
	m->yaw = h->yaw;
}

/* Outside lo..hi, compared in the tenths of a millimetre printed. */
static int
out_of_band(double v, int lo, int hi)
{
	long t = lround(v * 10);

	return t < lo * 10L || t > hi * 10L;
}

void
zr_photo_judge(const struct zr_photo_measure *m,
    const struct zr_photo_profile *p, struct zr_photo_findings *f)
{
	const struct zr_photo_geometry *g = &p->geom;

	if (m->faces == 0) {
		zri_photo_add(f, "no_face", "no face found: the photo must "
		    "show the applicant's face from the front");
		return;
	}
	if (m->faces > 1) {
		zri_photo_add(f, "faces", "%d faces: the photo must show the "
		    "applicant alone", m->faces);
		return;
	}
	/* The bands of the rules table (photo.isa.*, photo.passport.*;
	 * rules-facts §1.1, §1.3). */
	if (m->crown_at_edge) {
		zri_photo_add(f, "head_cut", "the head reaches the top edge "
		    "(no background above the hair): the head size and the "
		    "space above it cannot be measured");
	} else {
		if (g->head_max_mm > 0 && out_of_band(m->head_mm,
		    g->head_min_mm, g->head_max_mm))
			zri_photo_add(f, "head_size", "head %.1f mm from crown "
			    "to chin in the %d mm photo; the %s rule is %d-%d "
			    "mm (the face is too %s in the frame)", m->head_mm,
			    g->frame_h_mm, p->name, g->head_min_mm,
			    g->head_max_mm, m->head_mm < g->head_min_mm ?
			    "small" : "large");
		if (g->top_max_mm > 0 && out_of_band(m->top_mm,
		    g->top_min_mm, g->top_max_mm))
			zri_photo_add(f, "top_margin", "%.1f mm between the "
			    "top edge and the crown; the %s rule is %d-%d mm",
			    m->top_mm, p->name, g->top_min_mm, g->top_max_mm);
	}
	if (g->chin_max_mm > 0 && out_of_band(m->chin_mm, g->chin_min_mm,
	    g->chin_max_mm))
		zri_photo_add(f, "chin_margin", "%.1f mm between the chin and "
		    "the bottom edge; the %s rule is %d-%d mm", m->chin_mm,
		    p->name, g->chin_min_mm, g->chin_max_mm);
	if (g->side_max_mm > 0) {
		if (out_of_band(m->left_mm, g->side_min_mm, g->side_max_mm) ||
		    out_of_band(m->right_mm, g->side_min_mm, g->side_max_mm))
			zri_photo_add(f, "centre", "face centre %.1f mm from "
			    "the left edge and %.1f mm from the right; the %s "
			    "rule is %d-%d mm from each side", m->left_mm,
			    m->right_mm, p->name, g->side_min_mm,
			    g->side_max_mm);
	} else if (g->frame_w_mm > 0) {
		double off = (m->left_mm - m->right_mm) / 2;

		if (fabs(off) > ZR_PHOTO_CENTRE_TOL * g->frame_w_mm + 1e-9)
			zri_photo_add(f, "centre", "the face is %.1f mm %s of "
			    "the middle of the %d mm width (at most %.1f mm): "
			    "centre the face", fabs(off), off < 0 ? "left" :
			    "right", g->frame_w_mm, ZR_PHOTO_CENTRE_TOL *
			    g->frame_w_mm);
	}
	if (fabs(m->roll_deg) > ZR_PHOTO_WARN_ROLL)
		zri_photo_add(f, "roll", "the eyes are not level: the head is "
		    "tilted %.0f degrees (at most %.0f)", fabs(m->roll_deg),
		    ZR_PHOTO_WARN_ROLL);
	if (fabs(m->yaw) > ZR_PHOTO_WARN_YAW)
		zri_photo_add(f, "yaw", "the face is turned to one side (nose "
		    "%.0f%% of the face width off its middle, at most %.0f%%):"
		    " look straight at the camera", 100.0 * fabs(m->yaw),
		    100.0 * ZR_PHOTO_WARN_YAW);
	if (!m->crown_at_edge && !m->crown_found &&
	    f->n < ZR_PHOTO_MAX_FINDINGS) {
		zri_photo_add(f, "crown_estimated", "the top of the head was "
		    "estimated from the face (no plain wall seen above the "
		    "hair): head size and top margin are approximate");
		f->f[f->n - 1].note = 1;
	}
}

/*
 * The head and shoulders, masked out of the background test.  Our
 * shapes, generous on purpose (hair, ears, a collar): the head an
 * ellipse from the crown to just under the chin, HEAD_HALF_W face widths
 * (jaw, points 0-16) either side of the face centre (a full hairstyle);
 * below it the neck and shoulders, a trapezoid widening from HEAD_HALF_W
 * face widths at the mouth to SHOULDER_HALF_W at the chin (a collar, a
 * raised shoulder), then straight down.
 */
#define HEAD_HALF_W      0.95
#define HEAD_PAD         0.06   /* of the head height, above and below */
#define SHOULDER_HALF_W  2.0
/* Less background than this share of the picture: not judged. */
#define BG_MIN_SHARE     0.04

static int
in_person(double x, double y, const struct zr_photo_head *h,
    const struct zr_face_geom *g)
{
	double hh = h->chin_y - h->crown_y, pad = HEAD_PAD * hh;
	double cy = (h->crown_y + h->chin_y) / 2, b = hh / 2 + pad;
	double a = HEAD_HALF_W * g->face_w, dx = x - h->centre_x;
	double y0 = g->mouth.y, y1 = h->chin_y;
	double half;

	if (a > 0 && b > 0 && (dx / a) * (dx / a) + ((y - cy) / b) *
	    ((y - cy) / b) <= 1.0)
		return 1;
	if (y < y0)
		return 0;
	if (y >= y1 || y1 <= y0)
		half = SHOULDER_HALF_W * g->face_w;
	else
		half = (HEAD_HALF_W + (SHOULDER_HALF_W - HEAD_HALF_W) *
		    (y - y0) / (y1 - y0)) * g->face_w;
	return fabs(dx) <= half;
}

/*
 * Plain background on the pixels outside the person (rules-facts §1.1):
 * the same spread and edge limits as the border band.  Returns the
 * pixels judged.
 */
static long
check_background_masked(const unsigned char *gl, int w, int h,
    const struct zr_photo_head *hd, const struct zr_face_geom *fg,
    struct zr_photo_findings *f)
{
	unsigned char *mask = malloc((size_t)w * (size_t)h);
	double sum = 0, sum2 = 0, n = 0, edges = 0, sd;

	if (mask == NULL)
		return 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			mask[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)
			    !in_person(x + 0.5, y + 0.5, hd, fg);
	for (int y = 0; y + 1 < h; y++)
		for (int x = 0; x + 1 < w; x++) {
			size_t i = (size_t)y * (size_t)w + (size_t)x;
			int v = gl[i], d;

			/* Only steps between two background pixels. */
			if (!mask[i] || !mask[i + 1] || !mask[i + (size_t)w])
				continue;
			sum += v;
			sum2 += (double)v * v;
			n++;
			d = abs(v - gl[i + 1]) + abs(v - gl[i + (size_t)w]);
			if (d > BG_EDGE_STEP)
				edges++;
		}
	free(mask);
	if (n < BG_MIN_SHARE * w * h) {
		if (f->n < ZR_PHOTO_MAX_FINDINGS) {
			zri_photo_add(f, "background", "too little background "
			    "around the head and shoulders to judge it (%.0f%% "
			    "of the picture)", 100.0 * n / ((double)w * h));
			f->f[f->n - 1].note = 1;
		}
		return (long)n;
	}
	sd = sum2 / n - (sum / n) * (sum / n);
	sd = sd > 0 ? sqrt(sd) : 0;
	if (sd > BG_MAX_SD || edges / n > BG_MAX_EDGES)
		zri_photo_add(f, "background", "background is not plain "
		    "(spread %.0f, edges %.0f%% outside the head and "
		    "shoulders; want a plain wall without shadows)", sd,
		    100.0 * edges / n);
	return (long)n;
}

int
zr_photo_check_face(const struct zr_image *img,
    const struct zr_photo_profile *p, struct zr_photo_findings *f,
    struct zr_photo_measure *m, struct zr_error *err)
{
	struct zr_photo_measure local;
	struct zr_faces *faces = NULL;
	unsigned char *g = NULL;
	int rc = -1;

	if (m == NULL)
		m = &local;
	memset(m, 0, sizeof(*m));
	if (!p->face || p->signature) {
		zr_photo_check_pixels(img, p, f);
		return 0;
	}
	if (img->width < 8 || img->height < 8)
		return 0;
	if ((faces = calloc(1, sizeof(*faces))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	if (zr_face_find(img, 0, faces, err) != 0)
		goto out;
	if ((g = luma_plane(img)) == NULL) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		goto out;
	}
	m->faces = faces->n;
	if (faces->n == 1) {
		struct zr_face_geom fg;
		struct zr_photo_head hd;

		zr_face_geometry(&faces->f[0], &fg);
		zr_photo_head(img, &fg, &hd);
		zr_photo_measure_head(&hd, &p->geom, img->width, img->height,
		    m);
		m->faces = 1;
		zr_photo_judge(m, p, f);
		m->bg_masked = 1;
		m->bg_pixels = check_background_masked(g, img->width,
		    img->height, &hd, &fg, f);
	} else {
		zr_photo_judge(m, p, f);
		/* No single person to mask out: the border band, said so. */
		check_background(g, img->width, img->height, faces->n == 0 ?
		    ", no face found to mask out" : ", several faces", f);
	}
	check_exposure(g, img->width, img->height, f);
	rc = 0;
out:
	free(g);
	free(faces);
	return rc;
}
