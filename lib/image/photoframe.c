/* libzairyu: framing a photo from the face: crown, crop to the rule, background. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/photo.h"

/*
 * The crown (top of the head with the hair) is not a landmark.  Estimate:
 * on adult faces the eye line sits about half way between chin and crown
 * (anthropometric tables put pupil to chin and pupil to vertex within a
 * few per cent of each other; measured on the corpus portraits, the
 * crown read off the picture where it was not found: obama 0.86, biden
 * 1.03, astronaut 1.16 with a full hairstyle; mean 1.02): crown =
 * eyes - CROWN_K x (eyes to chin).  Refined by scanning up from the
 * brows, in the band between the eye centres, to the first rows that
 * are background; kept only within CROWN_MIN_K..CROWN_MAX_K.
 */
#define CROWN_K      1.00
#define CROWN_MIN_K  0.75
#define CROWN_MAX_K  1.60

static const unsigned char *
px(const struct zr_image *img, int x, int y)
{
	return img->pixels + ((size_t)y * (size_t)img->width + (size_t)x) *
	    (size_t)img->channels;
}

static int
cmp_uc(const void *a, const void *b)
{
	return (int)*(const unsigned char *)a - (int)*(const unsigned char *)b;
}

/*
 * Median colour and spread (mean absolute deviation of luma) of the
 * rectangle x0..x1, y0..y1 (clipped).  Returns the pixel count.
 */
static long
region_stats(const struct zr_image *img, int x0, int y0, int x1, int y1,
    double med[3], double *spread)
{
	long n = 0, i = 0;
	unsigned char *v[3];
	double m = 0, d = 0;
	int ch = img->channels;

	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > img->width)
		x1 = img->width;
	if (y1 > img->height)
		y1 = img->height;
	if (x1 <= x0 || y1 <= y0)
		return 0;
	n = (long)(x1 - x0) * (y1 - y0);
	for (int c = 0; c < 3; c++)
		v[c] = malloc((size_t)n);
	if (v[0] == NULL || v[1] == NULL || v[2] == NULL) {
		n = 0;
		goto out;
	}
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++, i++) {
			const unsigned char *p = px(img, x, y);

			for (int c = 0; c < 3; c++)
				v[c][i] = p[ch == 1 ? 0 : c];
		}
	for (int c = 0; c < 3; c++) {
		double s = 0;

		for (i = 0; i < n; i++)
			s += v[c][i];
		s /= (double)n;
		for (i = 0; i < n; i++)
			d += fabs(v[c][i] - s) / 3.0;
		m += s;
		qsort(v[c], (size_t)n, 1, cmp_uc);
		med[c] = v[c][n / 2];
	}
	(void)m;
	*spread = d / (double)n;
out:
	for (int c = 0; c < 3; c++)
		free(v[c]);
	return n;
}

static double
colour_dist(const unsigned char *p, int ch, const double bg[3])
{
	double d = 0;

	for (int c = 0; c < 3; c++) {
		double e = p[ch == 1 ? 0 : c] - bg[c];

		d += e * e;
	}
	return sqrt(d);
}

/* Plain: the mean absolute deviation of a plain wall, even unevenly lit,
 * stays under this (8-bit levels). */
#define PLAIN_SPREAD 10.0

void
zr_photo_head(const struct zr_image *img, const struct zr_face_geom *g,
    struct zr_photo_head *h)
{
	double ec = g->eye_chin, est, med[3], spread, tol;
	int bx0, bx1, ytop, ybot, run = 0;
	long n;

	memset(h, 0, sizeof(*h));
	h->eyes_y = g->eyes.y;
	h->chin_y = g->chin.y;
	h->centre_x = g->eyes.x;
	h->roll_deg = g->roll_deg;
	h->yaw = g->yaw;
	est = g->eyes.y - CROWN_K * ec;
	h->crown_y = est;
	h->crown_est_y = est;
	/* The background beside the head, above the eye line: two patches
	 * half a face width out from the jaw outline. */
	{
		double fw = g->face_w;
		int y0 = (int)(g->eyes.y - 1.3 * ec), y1 = (int)(g->eyes.y -
		    0.3 * ec);
		double m1[3], m2[3], s1, s2;
		long n1 = region_stats(img, (int)(g->eyes.x - 1.25 * fw), y0,
		    (int)(g->eyes.x - 0.85 * fw), y1, m1, &s1);
		long n2 = region_stats(img, (int)(g->eyes.x + 0.85 * fw), y0,
		    (int)(g->eyes.x + 1.25 * fw), y1, m2, &s2);

		if (n1 < 50 && n2 < 50)
			return;
		if (n1 >= 50 && (n2 < 50 || s1 <= s2)) {
			memcpy(med, m1, sizeof(med));
			spread = s1;
			n = n1;
		} else {
			memcpy(med, m2, sizeof(med));
			spread = s2;
			n = n2;
		}
		(void)n;
	}
	if (spread > PLAIN_SPREAD)
		return;
	memcpy(h->bg, med, sizeof(h->bg));
	h->bg_known = 1;
	/* Scan up from the brows for rows that are mostly background. */
	tol = 28.0 + 3.0 * spread;
	bx0 = (int)(g->eye_l.x);
	bx1 = (int)(g->eye_r.x);
	if (bx0 < 0)
		bx0 = 0;
	if (bx1 > img->width)
		bx1 = img->width;
	if (bx1 - bx0 < 4)
		return;
	ybot = (int)(g->eyes.y - CROWN_MIN_K * ec);
	ytop = (int)(g->eyes.y - CROWN_MAX_K * ec);
	if (ybot >= img->height)
		ybot = img->height - 1;
	for (int y = ybot; y >= 0; y--) {
		int bg = 0;

		for (int x = bx0; x < bx1; x++)
			if (colour_dist(px(img, x, y), img->channels, med) <
			    tol)
				bg++;
		if (bg * 10 >= (bx1 - bx0) * 9) {
			/* Three background rows in a row: the crown is just
			 * below them. */
			if (++run == 3) {
				/* Wall far above the brows (a raised hand, a
				 * hat?): keep the estimate. */
				if (y + 3 >= ytop) {
					h->crown_y = y + 3;
					h->crown_refined = 1;
				}
				return;
			}
		} else {
			run = 0;
		}
	}
	/* Hair (not wall) up to the top row: the head reaches the edge. */
	h->crown_at_edge = 1;
}

/* Overflow of the crop outside a W x H picture, in pixels per side. */
static double
overflow(const struct zr_photo_frame *f, int W, int H)
{
	double t = f->y < 0 ? -f->y : 0, l = f->x < 0 ? -f->x : 0;
	double b = f->y + f->h > H ? f->y + f->h - H : 0;
	double r = f->x + f->w > W ? f->x + f->w - W : 0;

	return t + l + b + r;
}

static void
place(const struct zr_photo_geometry *g, double aspect,
    const struct zr_photo_head *h, double head_mm, double top_mm,
    struct zr_photo_frame *f)
{
	double head_px = h->chin_y - h->crown_y, s = head_px / head_mm;

	f->h = g->frame_h_mm * s;
	f->w = f->h * aspect;
	f->y = h->crown_y - top_mm * s;
	f->x = h->centre_x - f->w / 2;
	f->head_mm = head_mm;
	f->top_mm = top_mm;
	f->chin_mm = g->frame_h_mm - top_mm - head_mm;
	f->side_mm = f->w / 2 / s;
}

int
zr_photo_frame(const struct zr_photo_geometry *g, int aspect_w, int aspect_h,
    const struct zr_photo_head *h, int W, int H, struct zr_photo_frame *out)
{
	double aspect = (double)aspect_w / aspect_h, best = -1;
	double hm0 = (g->head_min_mm + g->head_max_mm) / 2.0;
	double tm0 = (g->top_min_mm + g->top_max_mm) / 2.0;
	struct zr_photo_frame f;
	int steps = 16;

	memset(out, 0, sizeof(*out));
	if (h->chin_y - h->crown_y <= 0 || g->frame_h_mm <= 0 || aspect <= 0)
		return -1;
	/* The side band does not depend on the head size: the frame's
	 * width is fixed by its height and the aspect. */
	if (g->side_max_mm > 0) {
		double side = g->frame_h_mm * aspect / 2;

		if (side < g->side_min_mm - 1e-9 || side > g->side_max_mm +
		    1e-9)
			return -1;
	}
	/* Aim at the middle of each band; when the crop leaves the picture,
	 * the size and place inside the bands that leave it least, nearest
	 * the middle.  The chin band (passport) is kept too. */
	for (int i = 0; i <= steps; i++)
		for (int j = 0; j <= steps; j++) {
			double hm = g->head_min_mm + (g->head_max_mm -
			    g->head_min_mm) * (double)i / steps;
			double tm = g->top_min_mm + (g->top_max_mm -
			    g->top_min_mm) * (double)j / steps;
			double score, chin = g->frame_h_mm - hm - tm;

			if (g->chin_max_mm > 0 && (chin < g->chin_min_mm -
			    1e-9 || chin > g->chin_max_mm + 1e-9))
				continue;
			place(g, aspect, h, hm, tm, &f);
			/* Pixels outside dominate; then distance from the
			 * middle of the bands. */
			score = overflow(&f, W, H) * 1000.0 + fabs(hm - hm0) +
			    fabs(tm - tm0);
			if (best < 0 || score < best) {
				best = score;
				*out = f;
			}
		}
	if (best < 0)
		return -1;
	out->pad_top = out->y < 0 ? (int)ceil(-out->y) : 0;
	out->pad_left = out->x < 0 ? (int)ceil(-out->x) : 0;
	out->pad_bottom = out->y + out->h > H ? (int)ceil(out->y + out->h -
	    H) : 0;
	out->pad_right = out->x + out->w > W ? (int)ceil(out->x + out->w -
	    W) : 0;
	return out->pad_top + out->pad_left + out->pad_bottom +
	    out->pad_right > 0 ? 1 : 0;
}

int
zr_photo_edge_plain(const struct zr_image *img, int side, double colour[3])
{
	int w = img->width, h = img->height;
	int bw = w / 25 + 1, bh = h / 25 + 1;
	double spread;
	long n = 0;

	switch (side) {
	case 0:	/* top */
		n = region_stats(img, 0, 0, w, bh, colour, &spread);
		break;
	case 1:	/* left: the upper part (shoulders reach the sides below) */
		n = region_stats(img, 0, 0, bw, h * 3 / 5, colour, &spread);
		break;
	case 2:	/* bottom */
		n = region_stats(img, 0, h - bh, w, h, colour, &spread);
		break;
	default:	/* right */
		n = region_stats(img, w - bw, 0, w, h * 3 / 5, colour,
		    &spread);
		break;
	}
	return n > 0 && spread <= PLAIN_SPREAD;
}

/* ---- the preview ---- */

#define PREVIEW_SIDE 480

struct canvas {
	struct zr_image *img;
	double ox, oy, s;        /* canvas = (view + o) * s */
};

static void
dot(struct canvas *c, int x, int y, const unsigned char rgb[3])
{
	if (x < 0 || y < 0 || x >= c->img->width || y >= c->img->height)
		return;
	memcpy(c->img->pixels + ((size_t)y * (size_t)c->img->width +
	    (size_t)x) * 3, rgb, 3);
}

/* A line between two points in view pixels, two pixels wide. */
static void
line(struct canvas *c, double x0, double y0, double x1, double y1,
    const unsigned char rgb[3])
{
	double ax = (x0 + c->ox) * c->s, ay = (y0 + c->oy) * c->s;
	double bx = (x1 + c->ox) * c->s, by = (y1 + c->oy) * c->s;
	int n = (int)(fmax(fabs(bx - ax), fabs(by - ay))) + 1;

	for (int i = 0; i <= n; i++) {
		double t = (double)i / n;
		int x = (int)lround(ax + (bx - ax) * t);
		int y = (int)lround(ay + (by - ay) * t);

		dot(c, x, y, rgb);
		dot(c, x + 1, y, rgb);
		dot(c, x, y + 1, rgb);
	}
}

static void
box(struct canvas *c, double x, double y, double w, double h,
    const unsigned char rgb[3])
{
	line(c, x, y, x + w, y, rgb);
	line(c, x + w, y, x + w, y + h, rgb);
	line(c, x + w, y + h, x, y + h, rgb);
	line(c, x, y + h, x, y, rgb);
}

int
zr_photo_draw_preview(const struct zr_image *view,
    const struct zr_photo_result *r, struct zr_image *out)
{
	static const unsigned char green[3] = { 0, 220, 0 };
	static const unsigned char blue[3] = { 40, 120, 255 };
	static const unsigned char yellow[3] = { 255, 230, 0 };
	static const unsigned char red[3] = { 255, 40, 40 };
	static const unsigned char orange[3] = { 255, 150, 0 };
	static const unsigned char cyan[3] = { 0, 255, 255 };
	double k = r->view_scale > 0 ? r->view_scale : 1.0;
	double x0 = 0, y0 = 0, x1 = view->width, y1 = view->height, s;
	struct zr_image small = { 0, 0, 0, NULL }, rgb = { 0, 0, 0, NULL };
	struct canvas c;
	int w, h, sw, sh, ox, oy;

	memset(out, 0, sizeof(*out));
	if (view->pixels == NULL)
		return -1;
	if (r->framed) {
		x0 = fmin(x0, r->frame.x / k);
		y0 = fmin(y0, r->frame.y / k);
		x1 = fmax(x1, (r->frame.x + r->frame.w) / k);
		y1 = fmax(y1, (r->frame.y + r->frame.h) / k);
	}
	s = PREVIEW_SIDE / fmax(x1 - x0, y1 - y0);
	if (s > 1.0)
		s = 1.0;
	w = (int)lround((x1 - x0) * s) + 2;
	h = (int)lround((y1 - y0) * s) + 2;
	sw = (int)lround(view->width * s);
	sh = (int)lround(view->height * s);
	if (sw < 1)
		sw = 1;
	if (sh < 1)
		sh = 1;
	if (zr_image_alloc(out, w, h, 3, NULL) != 0)
		return -1;
	memset(out->pixels, 96, (size_t)w * (size_t)h * 3);
	if (zr_image_resize(view, sw, sh, &small, NULL) != 0)
		goto fail;
	if (small.channels == 1) {
		if (zr_image_alloc(&rgb, sw, sh, 3, NULL) != 0)
			goto fail;
		for (size_t i = 0; i < (size_t)sw * (size_t)sh; i++)
			memset(rgb.pixels + i * 3, small.pixels[i], 3);
	} else {
		rgb = small;
		small.pixels = NULL;
	}
	ox = (int)lround(-x0 * s);
	oy = (int)lround(-y0 * s);
	for (int y = 0; y < sh && y + oy < h; y++)
		memcpy(out->pixels + ((size_t)(y + oy) * (size_t)w +
		    (size_t)ox) * 3, rgb.pixels + (size_t)y * (size_t)sw * 3,
		    (size_t)(sw + ox <= w ? sw : w - ox) * 3);
	c.img = out;
	c.ox = -x0;
	c.oy = -y0;
	c.s = s;
	for (int i = 0; i < r->found.n && i < ZR_FACE_MAX; i++) {
		const struct zr_face *f = &r->found.f[i];

		box(&c, f->x, f->y, f->w, f->h, blue);
		for (int p = 0; p < ZR_FACE_POINTS; p++)
			dot(&c, (int)lround((f->pt[p].x - x0) * s),
			    (int)lround((f->pt[p].y - y0) * s), cyan);
	}
	if (r->found.n == 1) {
		struct zr_face_geom g;
		double fx0 = r->found.f[0].x - r->found.f[0].w * 0.3;
		double fx1 = r->found.f[0].x + r->found.f[0].w * 1.3;

		zr_face_geometry(&r->found.f[0], &g);
		line(&c, g.eye_l.x, g.eye_l.y, g.eye_r.x, g.eye_r.y, yellow);
		if (r->head.chin_y > 0 || r->head.crown_y != 0) {
			line(&c, fx0, r->head.crown_y / k, fx1,
			    r->head.crown_y / k, r->head.crown_refined ? red :
			    orange);
			line(&c, fx0, r->head.chin_y / k, fx1,
			    r->head.chin_y / k, red);
		}
	}
	if (r->framed)
		box(&c, r->frame.x / k, r->frame.y / k, r->frame.w / k,
		    r->frame.h / k, green);
	zr_image_free(&small);
	zr_image_free(&rgb);
	return 0;
fail:
	zr_image_free(&small);
	zr_image_free(&rgb);
	zr_image_free(out);
	return -1;
}
