/* libzairyu: application photo profiles, conversion. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/photo.h"
#include "zairyu/rules.h"
#include "image_int.h"

/* ---- profiles ---- */

/* One value of the rules table. */
static int
rule(enum zr_rule_key key, struct zr_date on, int *v, struct zr_error *err)
{
	long x = zr_rule(key, on, err);

	if (x < 0)
		return -1;
	*v = (int)x;
	return 0;
}

int
zr_photo_profile(const char *name, struct zr_date rules_date,
    struct zr_photo_profile *p, struct zr_error *err)
{
	struct zr_photo_geometry *g = &p->geom;
	int v;

	memset(p, 0, sizeof(*p));
	if (strcmp(name, "isa") == 0) {
		/* rules-facts §1.1: 30 x 40 mm, so 3:4 (w:h).  §1.2: JPEG up
		 * to 50 KB (old system's Q&A; kept for the new one, [U]). A
		 * third-party ISA tool caps the long side at 600 px (§1.2). */
		p->aspect_w = 3;
		p->aspect_h = 4;
		p->width = 450;
		p->height = 600;
		p->min_width = 240;
		p->min_height = 320;
		p->dpi = 300;
		p->face = 1;
		if (rule(ZR_R_PHOTO_MAX_BYTES, rules_date, &v, err) != 0 ||
		    rule(ZR_R_PHOTO_RECENCY_MONTHS, rules_date,
		    &p->recency_months, err) != 0 ||
		    rule(ZR_R_PHOTO_ISA_WIDTH_MM, rules_date,
		    &g->frame_w_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_ISA_HEIGHT_MM, rules_date,
		    &g->frame_h_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_ISA_HEAD_MIN_MM, rules_date,
		    &g->head_min_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_ISA_HEAD_MAX_MM, rules_date,
		    &g->head_max_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_ISA_TOP_MIN_MM, rules_date,
		    &g->top_min_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_ISA_TOP_MAX_MM, rules_date,
		    &g->top_max_mm, err) != 0)
			return -1;
		p->max_bytes = v;
		/* Issue 15: the older Q&A (seed 002 A23, seed 003) said 3
		 * months, ISA's photo page now 6: a note from 3, a problem
		 * past 6. */
		if (rule(ZR_R_PHOTO_RECENCY_WARN_MONTHS, rules_date, &v,
		    err) != 0)
			return -1;
		p->recency_warn_months = v < p->recency_months ? v : 0;
	} else if (strcmp(name, "passport") == 0) {
		/* rules-facts §1.3: Myna Portal passport photo, jpg 600 x 730
		 * px, at most 600 KB; taken within 6 months; the head placed
		 * as on the 45 x 35 mm paper photo. */
		p->fixed_size = 1;
		p->dpi = 300;
		p->face = 1;
		if (rule(ZR_R_PHOTO_PASSPORT_WIDTH_PX, rules_date,
		    &p->width, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_HEIGHT_PX, rules_date,
		    &p->height, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_MAX_BYTES, rules_date, &v,
		    err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_RECENCY_MONTHS, rules_date,
		    &p->recency_months, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_WIDTH_MM, rules_date,
		    &g->frame_w_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_HEIGHT_MM, rules_date,
		    &g->frame_h_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_HEAD_MIN_MM, rules_date,
		    &g->head_min_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_HEAD_MAX_MM, rules_date,
		    &g->head_max_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_TOP_MIN_MM, rules_date,
		    &g->top_min_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_TOP_MAX_MM, rules_date,
		    &g->top_max_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_CHIN_MIN_MM, rules_date,
		    &g->chin_min_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_CHIN_MAX_MM, rules_date,
		    &g->chin_max_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_SIDE_MIN_MM, rules_date,
		    &g->side_min_mm, err) != 0 ||
		    rule(ZR_R_PHOTO_PASSPORT_SIDE_MAX_MM, rules_date,
		    &g->side_max_mm, err) != 0)
			return -1;
		p->max_bytes = v;
		p->aspect_w = p->width;
		p->aspect_h = p->height;
		p->min_width = p->width;
		p->min_height = p->height;
	} else if (strcmp(name, "signature") == 0) {
		/* rules-facts §1.3 (MOFA-SIG): jpg 788 x 284 px, at most
		 * 200 KB, white clean background, black or dark-blue ink,
		 * not cut off.  Never looks for a face. */
		if (rule(ZR_R_PHOTO_SIGNATURE_WIDTH_PX, rules_date,
		    &p->width, err) != 0 ||
		    rule(ZR_R_PHOTO_SIGNATURE_HEIGHT_PX, rules_date,
		    &p->height, err) != 0 ||
		    rule(ZR_R_PHOTO_SIGNATURE_MAX_BYTES, rules_date, &v,
		    err) != 0)
			return -1;
		p->max_bytes = v;
		p->aspect_w = p->min_width = p->width;
		p->aspect_h = p->min_height = p->height;
		p->fixed_size = 1;
		p->gray = 1;
		p->signature = 1;
		p->dpi = 300;
	} else {
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "unknown profile '%s' (isa, passport, signature)", name);
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	return 0;
}

void
zr_photo_center_crop(int w, int h, int aw, int ah, int *x, int *y, int *cw,
    int *ch)
{
	long long tw = w, th = h;

	if (aw > 0 && ah > 0) {
		/* As large as fits: full width or full height. */
		if ((long long)w * ah > (long long)h * aw)
			tw = ((long long)h * aw + ah / 2) / ah;
		else
			th = ((long long)w * ah + aw / 2) / aw;
		if (tw < 1)
			tw = 1;
		if (th < 1)
			th = 1;
		if (tw > w)
			tw = w;
		if (th > h)
			th = h;
	}
	*cw = (int)tw;
	*ch = (int)th;
	*x = (int)((w - tw) / 2);
	*y = (int)((h - th) / 2);
}

/* ---- conversion ---- */


static long long
ceil_div(long long a, long long b)
{
	return (a + b - 1) / b;
}

/* Paste img centred on a white canvas of w x h. */
static int
pad_white(const struct zr_image *img, int w, int h, struct zr_image *out,
    struct zr_error *err)
{
	int ox = (w - img->width) / 2, oy = (h - img->height) / 2;
	size_t row = (size_t)img->width * (size_t)img->channels;

	if (zr_image_alloc(out, w, h, img->channels, err) != 0)
		return -1;
	memset(out->pixels, 255, (size_t)w * (size_t)h *
	    (size_t)img->channels);
	for (int y = 0; y < img->height; y++)
		memcpy(out->pixels + ((size_t)(y + oy) * (size_t)w +
		    (size_t)ox) * (size_t)img->channels,
		    img->pixels + (size_t)y * row, row);
	return 0;
}

/* img with l, t, r, b pixels of colour c added on its sides. */
static int
pad_colour(const struct zr_image *img, int l, int t, int r, int b,
    const double c[3], struct zr_image *out, struct zr_error *err)
{
	int w = img->width + l + r, h = img->height + t + b, ch = img->channels;
	size_t row = (size_t)img->width * (size_t)ch;
	unsigned char v[3];

	if (zr_image_alloc(out, w, h, ch, err) != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		v[i] = (unsigned char)lround(c[i]);
	if (ch == 1)
		v[0] = (unsigned char)lround(0.299 * c[0] + 0.587 * c[1] +
		    0.114 * c[2]);
	for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
		memcpy(out->pixels + i * (size_t)ch, v, (size_t)ch);
	for (int y = 0; y < img->height; y++)
		memcpy(out->pixels + ((size_t)(y + t) * (size_t)w +
		    (size_t)l) * (size_t)ch, img->pixels + (size_t)y * row,
		    row);
	return 0;
}

/*
 * Signature on grey paper: stretch so that the paper becomes white and
 * black stays black (MOFA-SIG wants a white clean background).
 */
static int
level_paper(struct zr_image *img)
{
	unsigned long hist[256] = { 0 };
	size_t n = (size_t)img->width * (size_t)img->height *
	    (size_t)img->channels;
	int paper;

	for (size_t i = 0; i < n; i++)
		hist[img->pixels[i]]++;
	paper = zri_photo_percentile(hist, (unsigned long)n, 0.75);
	if (paper >= 248 || paper < 128)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int v = img->pixels[i] * 255 / paper;

		img->pixels[i] = (unsigned char)(v > 255 ? 255 : v);
	}
	return 1;
}

void
zr_photo_result_free(struct zr_photo_result *r)
{
	free(r->fit.jpeg);
	r->fit.jpeg = NULL;
	r->fit.len = 0;
	zr_image_free(&r->preview);
}

static int refuse(struct zr_photo_result *r, struct zr_error *err,
    const char *name, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A refusal: exit 1, one line that says why and what to do. */
static int
refuse(struct zr_photo_result *r, struct zr_error *err, const char *name,
    const char *code, const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	r->refusal = code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return zr_error_set(err, ZR_E_REFUSED, name, "%s", msg);
}

static const char *const side_name[4] = { "top", "left", "bottom", "right" };

/*
 * The crop from the face (profile p->face, no --crop): find the faces on
 * a copy about ZR_PHOTO_DETECT_SIDE pixels long, refuse what cannot be
 * framed to the rule, else set r's crop (source pixels, may extend past
 * the picture where r->bg_padded says so).  The preview is drawn on the
 * same copy, refused or not.
 */
static int
frame_from_face(const unsigned char *buf, size_t len, const char *name,
    const struct zr_photo_opts *o, int W, int H, struct zr_photo_result *r,
    struct zr_error *err)
{
	const struct zr_photo_profile *p = &o->prof;
	struct zr_decode_opts dopt;
	struct zr_image view = { 0, 0, 0, NULL };
	struct zr_face_geom g;
	struct zr_photo_head hv;
	double k, enlarge, head_px, out_h;
	int L = W > H ? W : H, rc = -1, fr;

	memset(&dopt, 0, sizeof(dopt));
	dopt.max_pixels = o->max_pixels;
	dopt.apply_orientation = 1;
	if (L > ZR_PHOTO_DETECT_SIDE) {
		dopt.min_width = (int)((long long)W * ZR_PHOTO_DETECT_SIDE / L);
		dopt.min_height = (int)((long long)H * ZR_PHOTO_DETECT_SIDE /
		    L);
	}
	if (zr_image_decode(buf, len, name, &dopt, &view, NULL, err) != 0)
		return -1;
	if (zr_face_find(&view, 800, &r->found, err) != 0)
		goto out;
	r->faces = r->found.n;
	k = (double)W / view.width;
	r->view_scale = k;
	if (r->faces == 0) {
		refuse(r, err, name, "no_face", "no face found: take the photo "
		    "from the front, face and eyes clearly visible, evenly "
		    "lit");
		goto out;
	}
	if (r->faces > 1) {
		refuse(r, err, name, "faces", "%d faces: the photo must show "
		    "the applicant alone", r->faces);
		goto out;
	}
	zr_face_geometry(&r->found.f[0], &g);
	zr_photo_head(&view, &g, &hv);
	r->head = hv;
	r->head.crown_y = hv.crown_y * k;
	r->head.crown_est_y = hv.crown_est_y * k;
	r->head.chin_y = hv.chin_y * k;
	r->head.eyes_y = hv.eyes_y * k;
	r->head.centre_x = hv.centre_x * k;
	/* ISO/IEC 19794-5 (ICAO 9303 photo guidance) allows about 8
	 * degrees of roll; the yaw limit is ours (zr-photo(1)). */
	if (fabs(g.roll_deg) > ZR_PHOTO_MAX_ROLL) {
		refuse(r, err, name, "roll", "the head is tilted %.0f degrees "
		    "(at most %.0f): hold the head straight and the phone "
		    "level", fabs(g.roll_deg), ZR_PHOTO_MAX_ROLL);
		goto out;
	}
	if (fabs(g.yaw) > ZR_PHOTO_MAX_YAW) {
		refuse(r, err, name, "yaw", "the face is turned to one side "
		    "(nose %.0f%% of the face width off its middle, at most "
		    "%.0f%%): look straight at the camera",
		    100.0 * fabs(g.yaw), 100.0 * ZR_PHOTO_MAX_YAW);
		goto out;
	}
	/* The head inside the picture: crown, chin and the jaw outline. */
	if (r->head.crown_y < 0 || r->head.crown_at_edge) {
		refuse(r, err, name, "cut", "the head is cut by the top edge "
		    "of the picture: take the photo with space above the "
		    "head");
		goto out;
	}
	for (int i = 0; i <= 16; i++) {
		const struct zr_point *q = &r->found.f[0].pt[i];

		if (q->x < 0 || q->y < 0 || q->x >= view.width ||
		    q->y >= view.height) {
			refuse(r, err, name, "cut", "the face is cut by the "
			    "%s edge of the picture: take the photo with the "
			    "whole head and shoulders in it", q->y >=
			    view.height ? "bottom" : q->x < 0 ? "left" :
			    q->x >= view.width ? "right" : "top");
			goto out;
		}
	}
	fr = zr_photo_frame(&p->geom, p->aspect_w, p->aspect_h, &r->head, W,
	    H, &r->frame);
	if (fr < 0) {
		refuse(r, err, name, "geometry", "the %s geometry cannot be "
		    "met at %d:%d (face centre %d-%d mm from the sides)",
		    p->name, p->aspect_w, p->aspect_h, p->geom.side_min_mm,
		    p->geom.side_max_mm);
		goto out;
	}
	r->framed = 1;
	r->crop_x = (int)floor(r->frame.x + 0.5);
	r->crop_y = (int)floor(r->frame.y + 0.5);
	r->crop_w = (int)floor(r->frame.w + 0.5);
	r->crop_h = (int)floor(r->frame.h + 0.5);
	if (fr > 0) {
		int pads[4] = { r->frame.pad_top, r->frame.pad_left,
		    r->frame.pad_bottom, r->frame.pad_right }, used = 0;

		for (int sd = 0; sd < 4; sd++) {
			double c[3];

			if (pads[sd] <= 0)
				continue;
			if (!zr_photo_edge_plain(&view, sd, c)) {
				refuse(r, err, name, "geometry", "the head is "
				    "too close to the %s edge for the %s "
				    "framing (%d pixels missing) and the "
				    "background there is not plain to extend: "
				    "take the photo with more space around "
				    "the head", side_name[sd], p->name,
				    pads[sd]);
				goto out;
			}
			for (int c3 = 0; c3 < 3; c3++)
				r->pad_colour[c3] = (r->pad_colour[c3] * used +
				    c[c3]) / (used + 1);
			used++;
		}
		r->bg_padded = 1;
	}
	/* Enough pixels for the output head: the enlargement the
	 * conversion will make (a profile of no fixed size keeps a smaller
	 * crop's own size, not below its minimum; convert()). */
	head_px = r->head.chin_y - r->head.crown_y;
	out_h = p->fixed_size ? p->height : fmin(p->height, fmax(
	    p->min_height, head_px * p->geom.frame_h_mm / r->frame.head_mm));
	enlarge = out_h * r->frame.head_mm / p->geom.frame_h_mm / head_px;
	if (enlarge > ZR_PHOTO_MAX_ENLARGE) {
		refuse(r, err, name, "small", "the face is too small: it would "
		    "have to be enlarged %.1f times (at most %.0f): take the "
		    "photo closer or at a higher resolution", enlarge,
		    ZR_PHOTO_MAX_ENLARGE);
		goto out;
	}
	rc = 0;
out:
	if (o->preview)
		zr_photo_draw_preview(&view, r, &r->preview);
	zr_image_free(&view);
	return rc;
}

static int
convert(const unsigned char *buf, size_t len, const char *name,
    const struct zr_photo_opts *o, struct zr_photo_result *r,
    struct zr_image *prepared, struct zr_error *err)
{
	const struct zr_photo_profile *p = &o->prof;
	struct zr_image_info info;
	struct zr_decode_opts dopt;
	struct zr_image dec = { 0, 0, 0, NULL }, src = { 0, 0, 0, NULL };
	struct zr_image out = { 0, 0, 0, NULL };
	int W, H, bw, bh, tw, th, tw0, th0, rc = -1, q_low;
	long long need_w, need_h;
	double shrink = 1.0, rx, ry, rw, rh;

	memset(r, 0, sizeof(*r));
	if (zr_image_probe(buf, len, name, &info, err) != 0)
		return -1;
	r->info = info;
	/* Read by its content whatever its name; the name is still wrong. */
	{
		char m[64];

		if (zr_image_name_mismatch(name, info.format, m, sizeof(m)))
			zri_photo_add(&r->warnings, "extension", "%s", m);
	}
	W = info.orientation >= 5 ? info.height : info.width;
	H = info.orientation >= 5 ? info.width : info.height;
	r->src_width = W;
	r->src_height = H;
	if ((long long)W * H > (o->max_pixels > 0 ? o->max_pixels :
	    ZR_IMAGE_MAX_PIXELS))
		return zr_error_set(err, ZR_E_PIXELS, name,
		    "image too large: %dx%d is over %lld pixels", W, H,
		    o->max_pixels > 0 ? o->max_pixels : ZR_IMAGE_MAX_PIXELS);
	/* The crop box, in upright input pixels. */
	if (o->have_crop) {
		if (o->crop_x < 0 || o->crop_y < 0 || o->crop_w <= 0 ||
		    o->crop_h <= 0 || o->crop_x > W - o->crop_w ||
		    o->crop_y > H - o->crop_h)
			return zr_error_set(err, ZR_E_RANGE, name,
			    "crop %d,%d,%d,%d is outside the %dx%d image",
			    o->crop_x, o->crop_y, o->crop_w, o->crop_h, W, H);
		r->crop_x = o->crop_x;
		r->crop_y = o->crop_y;
		r->crop_w = o->crop_w;
		r->crop_h = o->crop_h;
	} else if (p->signature) {
		r->crop_w = W;
		r->crop_h = H;
	} else if (p->face) {
		if (frame_from_face(buf, len, name, o, W, H, r, err) != 0)
			goto out;
	} else {
		zr_photo_center_crop(W, H, p->aspect_w, p->aspect_h,
		    &r->crop_x, &r->crop_y, &r->crop_w, &r->crop_h);
	}
	r->cropped = r->crop_x != 0 || r->crop_y != 0 || r->crop_w != W ||
	    r->crop_h != H;
	/* The box to the aspect: padded with white (signature) or as is. */
	bw = r->crop_w;
	bh = r->crop_h;
	if (p->signature && p->aspect_w > 0) {
		if ((long long)bw * p->aspect_h > (long long)bh * p->aspect_w)
			bh = (int)ceil_div((long long)bw * p->aspect_h,
			    p->aspect_w);
		else
			bw = (int)ceil_div((long long)bh * p->aspect_w,
			    p->aspect_h);
		r->padded = bw != r->crop_w || bh != r->crop_h;
	}
	/* Output size: the profile's, or the box's if smaller, not below
	 * the minimum; a user's --crop keeps its own aspect. */
	if (p->fixed_size) {
		tw = p->width;
		th = p->height;
	} else {
		double k = (double)p->width / bw;

		if ((double)p->height / bh < k)
			k = (double)p->height / bh;
		if (k > 1.0)
			k = 1.0;
		tw = (int)(bw * k + 0.5);
		th = (int)(bh * k + 0.5);
		if (tw < p->min_width || th < p->min_height) {
			double u = (double)p->min_width / bw;

			if ((double)p->min_height / bh > u)
				u = (double)p->min_height / bh;
			tw = (int)(bw * u + 0.5);
			th = (int)(bh * u + 0.5);
			if (tw < p->min_width)
				tw = p->min_width;
			if (th < p->min_height)
				th = p->min_height;
		}
	}
	if (tw < 1)
		tw = 1;
	if (th < 1)
		th = 1;
	r->upscaled = tw > bw || th > bh;
	/* Decode at the smallest M/8 scale that keeps the box at least the
	 * output size: a 24 MP phone photo never exists at full size. */
	need_w = ceil_div((long long)tw * W, bw);
	need_h = ceil_div((long long)th * H, bh);
	memset(&dopt, 0, sizeof(dopt));
	dopt.max_pixels = o->max_pixels;
	dopt.min_width = need_w > W ? W : (int)need_w;
	dopt.min_height = need_h > H ? H : (int)need_h;
	dopt.apply_orientation = 1;
	dopt.gray = p->gray;
	if (zr_image_decode(buf, len, name, &dopt, &dec, NULL, err) != 0)
		return -1;
	/* The crop in decoded pixels, kept fractional: the resampler reads
	 * it exactly, so a crop made on a scaled decode does not shift. */
	rx = (double)r->crop_x * dec.width / W;
	ry = (double)r->crop_y * dec.height / H;
	rw = (double)r->crop_w * dec.width / W;
	rh = (double)r->crop_h * dec.height / H;
	if (!r->bg_padded && rx + rw > dec.width)
		rw = dec.width - rx;
	if (!r->bg_padded && ry + rh > dec.height)
		rh = dec.height - ry;
	src = dec;
	dec.pixels = NULL;
	if (r->bg_padded) {
		/* Plain background added where the frame leaves the picture
		 * (only where the edge is plain: frame_from_face). */
		double sx = (double)src.width / W, sy = (double)src.height / H;
		int pl = (int)ceil(r->frame.pad_left * sx) + 1;
		int pt = (int)ceil(r->frame.pad_top * sy) + 1;
		int pr = (int)ceil(r->frame.pad_right * sx) + 1;
		int pb = (int)ceil(r->frame.pad_bottom * sy) + 1;

		if (pad_colour(&src, pl, pt, pr, pb, r->pad_colour, &dec,
		    err) != 0)
			goto out;
		zr_image_free(&src);
		src = dec;
		dec.pixels = NULL;
		rx += pl;
		ry += pt;
	}
	if (r->padded) {
		/* White around the picture: pad a whole-pixel crop. */
		int x = (int)(rx + 0.5), y = (int)(ry + 0.5);
		int w = (int)(rw + 0.5), h = (int)(rh + 0.5), pw, ph;

		if (w < 1)
			w = 1;
		if (h < 1)
			h = 1;
		if (x + w > src.width)
			x = src.width - w;
		if (y + h > src.height)
			y = src.height - h;
		if (zr_image_crop(&src, x, y, w, h, &dec, err) != 0)
			goto out;
		zr_image_free(&src);
		pw = (int)ceil_div((long long)bw * w, r->crop_w);
		ph = (int)ceil_div((long long)bh * h, r->crop_h);
		if (pw < w)
			pw = w;
		if (ph < h)
			ph = h;
		if (pad_white(&dec, pw, ph, &src, err) != 0)
			goto out;
		zr_image_free(&dec);
		rx = ry = 0.0;
		rw = src.width;
		rh = src.height;
	}
	q_low = ZR_PHOTO_Q_LOW;
	tw0 = tw;
	th0 = th;
	for (;;) {
		int at_min = tw <= p->min_width || th <= p->min_height ||
		    p->fixed_size;

		zr_image_free(&out);
		if (rx == 0.0 && ry == 0.0 && rw == tw && rh == th &&
		    src.width == tw && src.height == th) {
			if (zr_image_crop(&src, 0, 0, tw, th, &out, err) != 0)
				goto out;
		} else if (zr_image_resize_region(&src, rx, ry, rw, rh, tw, th,
		    &out, err) != 0) {
			goto out;
		}
		if (p->signature)
			r->levelled = level_paper(&out);
		if (prepared != NULL) {
			*prepared = out;
			out.pixels = NULL;
			rc = 0;
			goto out;
		}
		if (at_min && q_low == ZR_PHOTO_Q_LOW)
			q_low = ZR_PHOTO_Q_FLOOR;
		if (zr_photo_fit(&out, p->max_bytes, q_low, p->dpi, &r->fit,
		    err) == 0)
			break;
		if (err != NULL && err->code != ZR_E_NO_FIT)
			goto out;
		if (at_min) {
			zr_error_set(err, ZR_E_NO_FIT, name,
			    "cannot fit %lld bytes above %dx%d", p->max_bytes,
			    tw, th);
			goto out;
		}
		/* Ten per cent fewer pixels each way, not below the minimum;
		 * from the first size, so that the aspect does not drift. */
		{
			double fmin = (double)p->min_width / tw0;

			if ((double)p->min_height / th0 > fmin)
				fmin = (double)p->min_height / th0;
			shrink *= 0.9;
			if (shrink < fmin)
				shrink = fmin;
			tw = (int)(tw0 * shrink + 0.5);
			th = (int)(th0 * shrink + 0.5);
			if (tw < p->min_width)
				tw = p->min_width;
			if (th < p->min_height)
				th = p->min_height;
			r->shrunk = 1;
		}
	}
	/* The same checks as --check, as warnings about what is uploaded. */
	if (llabs((long long)bw * p->aspect_h - (long long)bh * p->aspect_w) *
	    100 > (long long)bh * p->aspect_w)
		zri_photo_add(&r->warnings, "aspect",
		    "the crop %dx%d is not %d:%d%s",
		    bw, bh, p->aspect_w, p->aspect_h, p->fixed_size ?
		    " (stretched to fit)" : "");
	if (o->today.y != 0)
		zr_photo_check_recency(&info, p, o->today, &r->warnings);
	/* Framed from the face: the landmark checks on what is uploaded
	 * (the detector runs again, on the output); a --crop of the user's
	 * is not looked at (the border band judges its background). */
	if (r->framed) {
		if (zr_photo_check_face(&out, p, &r->warnings, &r->measure,
		    err) != 0)
			goto out;
	} else {
		zr_photo_check_pixels(&out, p, &r->warnings);
	}
	rc = 0;
out:
	zr_image_free(&dec);
	zr_image_free(&src);
	zr_image_free(&out);
	if (rc != 0) {
		/* The preview stays: it shows why. */
		free(r->fit.jpeg);
		r->fit.jpeg = NULL;
		r->fit.len = 0;
		if (err != NULL && err->subject[0] == '\0')
			snprintf(err->subject, sizeof(err->subject), "%s",
			    name);
	}
	return rc;
}

int
zr_photo_convert(const unsigned char *buf, size_t len, const char *name,
    const struct zr_photo_opts *o, struct zr_photo_result *r,
    struct zr_error *err)
{
	return convert(buf, len, name, o, r, NULL, err);
}

int
zr_photo_prepare(const unsigned char *buf, size_t len, const char *name,
    const struct zr_photo_opts *o, struct zr_image *out,
    struct zr_photo_result *r, struct zr_error *err)
{
	memset(out, 0, sizeof(*out));
	return convert(buf, len, name, o, r, out, err);
}
