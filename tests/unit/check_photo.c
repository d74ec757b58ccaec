/* zairyu-tools: unit tests of zr-photo's library part (profiles, size search, checks). */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zr_test.h"
#include "../../lib/image/image_int.h"


static unsigned long rng = 12345;

static int
noise(int amp)
{
	rng = rng * 1103515245UL + 12345UL;
	return (int)((rng >> 16) % (unsigned long)(2 * amp + 1)) - amp;
}

static unsigned char
clamp(int v)
{
	return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/*
 * An invented portrait, w x h: a plain wall (busy = a pattern of boxes
 * instead), a face-coloured ellipse, dark shoulders at the bottom.
 */
static void
portrait(struct zr_image *m, int w, int h, int busy, int bright)
{
	ck_assert_int_eq(zr_image_alloc(m, w, h, 3, NULL), 0);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned char *p = m->pixels + ((size_t)y * (size_t)w +
			    (size_t)x) * 3;
			double fx = (x - w / 2.0) / (w * 0.28);
			double fy = (y - h * 0.42) / (h * 0.25);
			int r, g, b;

			if (fx * fx + fy * fy < 1.0) {
				r = 205; g = 160; b = 130;
				if ((x / 3 + y / 5) % 7 == 0)
					r -= 40, g -= 40, b -= 40;
			} else if (y > h * 0.72 && abs(x - w / 2) < w * 0.45) {
				r = 40; g = 45; b = 70;
			} else if (busy && ((x / (w / 9)) + (y / (h / 11))) % 2) {
				r = 30; g = 120; b = 60;
			} else {
				/* A wall lit a little unevenly. */
				r = g = b = 190 + 20 * y / h;
			}
			p[0] = clamp(r + bright + noise(3));
			p[1] = clamp(g + bright + noise(3));
			p[2] = clamp(b + bright + noise(3));
		}
}

static void
noisy(struct zr_image *m, int w, int h)
{
	ck_assert_int_eq(zr_image_alloc(m, w, h, 3, NULL), 0);
	for (size_t i = 0; i < (size_t)w * (size_t)h * 3; i++)
		m->pixels[i] = clamp(128 + noise(120));
}

/* A JPEG of img with an EXIF block: orientation, date taken, GPS. */
static unsigned char *
jpeg_exif(const struct zr_image *img, int orient, const char *date, int gps,
    size_t *len)
{
	struct zr_jpeg_opts o = { .quality = 92, .subsample444 = 1,
	    .optimize = 1, .density_dpi = 0 };
	unsigned char t[200], *j, *r;
	size_t n, a0, seg, tn = 200;

	/* Little-endian TIFF: IFD0 at 8 with 3 entries; Exif IFD at 50;
	 * date string at 70; GPS IFD at 100 with latitude and longitude. */
	memset(t, 0, sizeof(t));
	memcpy(t, "II*\0\x08\0\0\0", 8);
	t[8] = 3;
	t[10] = 0x12; t[11] = 0x01; t[12] = 3; t[14] = 1; t[18] = (unsigned char)orient;
	t[22] = 0x69; t[23] = 0x87; t[24] = 4; t[26] = 1; t[30] = 50;
	t[34] = 0x25; t[35] = 0x88; t[36] = 4; t[38] = 1; t[42] = gps ? 100 : 0;
	t[50] = 1;
	t[52] = 0x03; t[53] = 0x90; t[54] = 2; t[56] = 20; t[60] = 70;
	memcpy(t + 70, date, strlen(date) + 1);
	if (gps) {
		t[100] = 2;
		t[102] = 0x02; t[104] = 5; t[106] = 3; t[110] = 150;
		t[114] = 0x04; t[116] = 5; t[118] = 3; t[122] = 150;
		t[150] = 35; t[154] = 1;
	}
	ck_assert_int_eq(zr_jpeg_encode(img, &o, &j, &n, NULL), 0);
	a0 = 4 + ((size_t)j[4] << 8 | j[5]);
	seg = 2 + 6 + tn;
	r = malloc(n + 2 + seg);
	memcpy(r, j, a0);
	r[a0] = 0xFF;
	r[a0 + 1] = 0xE1;
	r[a0 + 2] = (unsigned char)(seg >> 8);
	r[a0 + 3] = (unsigned char)seg;
	memcpy(r + a0 + 4, "Exif\0\0", 6);
	memcpy(r + a0 + 10, t, tn);
	memcpy(r + a0 + 2 + seg, j + a0, n - a0);
	*len = n + 2 + seg;
	free(j);
	return r;
}

/* 1 if the JPEG has any APPn but APP0, or a COM segment. */
static int
has_metadata_markers(const unsigned char *b, size_t len)
{
	size_t pos = 2;

	while (pos + 4 <= len) {
		unsigned m = b[pos + 1];

		if (b[pos] != 0xFF)
			return 1;
		if ((m >= 0xE1 && m <= 0xEF) || m == 0xFE)
			return 1;
		if (m == 0xDA)
			return 0;
		pos += 2 + ((size_t)b[pos + 2] << 8 | b[pos + 3]);
	}
	return 1;
}

static int
has(const struct zr_photo_findings *f, const char *code)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->f[i].code, code) == 0)
			return 1;
	return 0;
}

static struct zr_photo_profile
prof(const char *name)
{
	struct zr_photo_profile p;

	ck_assert_int_eq(zr_photo_profile(name, ZR_D(2026, 11, 22), &p,
	    NULL), 0);
	return p;
}

/* The profile with the centred crop instead of the face: the invented
 * portraits here are ellipses no face detector finds. */
static struct zr_photo_profile
centred(const char *name)
{
	struct zr_photo_profile p = prof(name);

	p.face = 0;
	return p;
}

START_TEST(profiles_follow_rules)
{
	struct zr_photo_profile p;
	struct zr_error e;

	p = prof("isa");
	ck_assert_int_eq(p.max_bytes, 50000);
	ck_assert_int_eq(p.recency_months, 6);
	ck_assert_int_eq(p.aspect_w * p.height, p.aspect_h * p.width);
	ck_assert_int_eq(zr_photo_profile("isa", ZR_D(2020, 1, 1), &p, NULL),
	    0);
	ck_assert_int_eq(p.recency_months, 3);   /* the older Q&A */
	p = prof("passport");
	ck_assert_int_eq(p.width, 600);
	ck_assert_int_eq(p.height, 730);
	ck_assert_int_eq(p.max_bytes, 600000);
	p = prof("signature");
	ck_assert_int_eq(p.width, 788);
	ck_assert_int_eq(p.height, 284);
	ck_assert_int_eq(p.max_bytes, 200000);
	ck_assert_int_eq(p.gray, 1);
	ck_assert_int_eq(zr_photo_profile("visa", ZR_D(2026, 11, 22), &p, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_USAGE);
}
END_TEST

START_TEST(center_crop)
{
	int x, y, w, h;

	zr_photo_center_crop(1200, 1800, 3, 4, &x, &y, &w, &h);
	ck_assert(x == 0 && y == 100 && w == 1200 && h == 1600);
	zr_photo_center_crop(1920, 1080, 3, 4, &x, &y, &w, &h);
	ck_assert(x == 555 && y == 0 && w == 810 && h == 1080);
	zr_photo_center_crop(300, 400, 3, 4, &x, &y, &w, &h);
	ck_assert(x == 0 && y == 0 && w == 300 && h == 400);
}
END_TEST

START_TEST(fit_always_under_cap)
{
	struct zr_image a;
	struct zr_photo_fit f;
	long long caps[] = { 12000, 20000, 35000, 50000 };
	double prev = 0;

	portrait(&a, 450, 600, 1, 0);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		ck_assert_int_eq(zr_photo_fit(&a, caps[i], 20, 300, &f, NULL),
		    0);
		ck_assert_int_le((long long)f.len, caps[i]);
		ck_assert_int_eq(has_metadata_markers(f.jpeg, f.len), 0);
		ck_assert(f.ssim > 0.5 && f.ssim <= 1.0);
		/* More bytes, better picture. */
		ck_assert(f.ssim_ycc >= prev - 0.002);
		prev = f.ssim_ycc;
		free(f.jpeg);
	}
	zr_image_free(&a);
}
END_TEST

START_TEST(fit_baseline_and_honest_ssim)
{
	struct zr_image a, d, g;
	struct zr_photo_fit f;
	struct zr_image_info info;
	struct zr_jpeg_opts jo = { .quality = 75, .subsample444 = 0,
	    .optimize = 1, .density_dpi = 0 };
	unsigned char *j;
	size_t n;

	/* Our own DCT path: a baseline file that decodes to what the
	 * search measured, and beats libjpeg's own encoder at its size. */
	portrait(&a, 450, 600, 1, 0);
	ck_assert_int_eq(zr_jpeg_encode(&a, &jo, &j, &n, NULL), 0);
	ck_assert_int_eq(zr_photo_fit(&a, (long long)n, 20, 300, &f, NULL),
	    0);
	ck_assert_int_le((long long)f.len, (long long)n);
	ck_assert_int_eq(zr_image_probe(f.jpeg, f.len, "f", &info, NULL), 0);
	ck_assert_int_eq(info.progressive, 0);
	ck_assert_int_eq(info.components, 3);
	ck_assert_int_eq(zr_image_decode(f.jpeg, f.len, "f", NULL, &d, NULL,
	    NULL), 0);
	ck_assert(fabs(zr_image_ssim(&a, &d) - f.ssim) < 1e-9);
	zr_image_free(&d);
	ck_assert_int_eq(zr_image_decode(j, n, "j", NULL, &d, NULL, NULL),
	    0);
	ck_assert(f.ssim > zr_image_ssim(&a, &d));
	zr_image_free(&d);
	free(j);
	free(f.jpeg);
	/* Gray in, one-component JPEG out. */
	ck_assert_int_eq(zr_image_to_gray(&a, &g, NULL), 0);
	ck_assert_int_eq(zr_photo_fit(&g, 30000, 20, 0, &f, NULL), 0);
	ck_assert_int_le((long long)f.len, 30000);
	ck_assert_int_eq(zr_image_probe(f.jpeg, f.len, "g", &info, NULL), 0);
	ck_assert_int_eq(info.components, 1);
	ck_assert_int_eq(zr_image_decode(f.jpeg, f.len, "g", NULL, &d, NULL,
	    NULL), 0);
	ck_assert(fabs(zr_image_ssim(&g, &d) - f.ssim) < 1e-9);
	zr_image_free(&d);
	free(f.jpeg);
	zr_image_free(&g);
	zr_image_free(&a);
}
END_TEST

START_TEST(fit_no_fit)
{
	struct zr_image a;
	struct zr_photo_fit f;
	struct zr_error e;

	noisy(&a, 300, 400);
	ck_assert_int_eq(zr_photo_fit(&a, 4000, 50, 0, &f, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NO_FIT);
	ck_assert_ptr_null(f.jpeg);
	zr_image_free(&a);
}
END_TEST

/* The candidates scored on a second thread or in line: the same file,
 * the same scores, the same choice (issue 13: same inputs, same bytes). */
static void
fit_both_ways(const struct zr_image *a, long long cap, int q_low)
{
	struct zr_photo_fit f1, f2;
	struct zr_error e1, e2;
	int r1, r2;

	r1 = zri_photo_fit_threads(a, cap, q_low, 300, 1, &f1, &e1);
	for (int threads = 2; threads <= 3; threads++) {
		r2 = zri_photo_fit_threads(a, cap, q_low, 300, threads, &f2,
		    &e2);
		ck_assert_int_eq(r1, r2);
		if (r1 != 0) {
			ck_assert_int_eq(e1.code, e2.code);
			ck_assert_ptr_null(f2.jpeg);
			continue;
		}
		ck_assert_uint_eq(f1.len, f2.len);
		ck_assert_mem_eq(f1.jpeg, f2.jpeg, f1.len);
		ck_assert(f1.ssim == f2.ssim && f1.ssim_ycc == f2.ssim_ycc);
		ck_assert_int_eq(f1.encodes, f2.encodes);
		ck_assert_int_eq(f1.subsample444, f2.subsample444);
		ck_assert_int_eq(f1.chroma_percent, f2.chroma_percent);
		free(f2.jpeg);
	}
	if (r1 == 0) {
		/* And the public call gives that file too. */
		ck_assert_int_eq(zr_photo_fit(a, cap, q_low, 300, &f2, NULL),
		    0);
		ck_assert_mem_eq(f1.jpeg, f2.jpeg, f1.len);
		free(f2.jpeg);
	}
	free(f1.jpeg);
}

START_TEST(fit_same_bytes_any_threads)
{
	struct zr_image a, g;

	/* Small pictures: this runs a dozen searches (also under ASan). */
	portrait(&a, 150, 200, 1, 0);
	fit_both_ways(&a, 9000, 20);
	ck_assert_int_eq(zr_image_to_gray(&a, &g, NULL), 0);
	fit_both_ways(&g, 5000, 20);
	zr_image_free(&g);
	zr_image_free(&a);
	noisy(&a, 120, 160);
	fit_both_ways(&a, 600, 50);        /* nothing fits: the same error */
	fit_both_ways(&a, 20000, 50);
	zr_image_free(&a);
}
END_TEST

START_TEST(convert_strips_and_orients)
{
	struct zr_image a, up;
	struct zr_photo_opts o;
	struct zr_photo_result r;
	struct zr_image_info info;
	size_t n;
	unsigned char *j;

	/* Stored sideways (orientation 6) with GPS, as a phone does. */
	portrait(&up, 750, 1000, 0, 0);
	ck_assert_int_eq(zr_image_orient(&up, 8, &a, NULL), 0);
	zr_image_free(&up);
	j = jpeg_exif(&a, 6, "2026:09:01 10:00:00", 1, &n);
	memset(&o, 0, sizeof(o));
	o.prof = centred("isa");
	o.today = ZR_D(2026, 11, 22);
	ck_assert_int_eq(zr_photo_convert(j, n, "in.jpg", &o, &r, NULL), 0);
	ck_assert_int_eq(r.info.orientation, 6);
	ck_assert_int_eq(r.info.has_gps, 1);
	ck_assert_int_eq(r.src_width, 750);
	ck_assert_int_eq(r.src_height, 1000);
	ck_assert_int_eq(r.fit.width, 450);
	ck_assert_int_eq(r.fit.height, 600);
	ck_assert_int_le((long long)r.fit.len, 50000);
	ck_assert_int_eq(has_metadata_markers(r.fit.jpeg, r.fit.len), 0);
	ck_assert_int_eq(zr_image_probe(r.fit.jpeg, r.fit.len, "out", &info,
	    NULL), 0);
	ck_assert_int_eq(info.has_exif + info.has_gps + info.has_xmp +
	    info.has_comment + info.has_icc, 0);
	ck_assert_int_eq(info.progressive, 0);
	ck_assert_int_eq(info.components, 3);
	/* A plain wall, recent: no warnings. */
	ck_assert_msg(r.warnings.n == 0, "warning: %s",
	    r.warnings.n ? r.warnings.f[0].msg : "");
	zr_photo_result_free(&r);
	/* An explicit crop is used as given; outside the image is refused. */
	o.have_crop = 1;
	o.crop_x = 100;
	o.crop_y = 50;
	o.crop_w = 300;
	o.crop_h = 400;
	ck_assert_int_eq(zr_photo_convert(j, n, "in.jpg", &o, &r, NULL), 0);
	ck_assert_int_eq(r.crop_x, 100);
	ck_assert_int_eq(r.fit.width, 300);
	ck_assert_int_eq(r.fit.height, 400);
	zr_photo_result_free(&r);
	{
		struct zr_error e;

		o.crop_x = 500;
		ck_assert_int_eq(zr_photo_convert(j, n, "in.jpg", &o, &r, &e),
		    -1);
		ck_assert_int_eq(e.code, ZR_E_RANGE);
		ck_assert_str_eq(e.subject, "in.jpg");
	}
	free(j);
	zr_image_free(&a);
}
END_TEST

START_TEST(convert_shrinks_then_fails)
{
	struct zr_image a;
	struct zr_photo_opts o;
	struct zr_photo_result r;
	struct zr_error e;
	struct zr_jpeg_opts jo = { .quality = 95, .subsample444 = 1,
	    .optimize = 1, .density_dpi = 0 };
	unsigned char *j;
	size_t n;

	noisy(&a, 600, 800);
	ck_assert_int_eq(zr_jpeg_encode(&a, &jo, &j, &n, NULL), 0);
	memset(&o, 0, sizeof(o));
	o.prof = centred("isa");
	/* Noise at 450x600 needs far more than 60000 bytes at q50. */
	o.prof.max_bytes = 60000;
	ck_assert_int_eq(zr_photo_convert(j, n, "noise.jpg", &o, &r, &e), 0);
	ck_assert_int_eq(r.shrunk, 1);
	ck_assert_int_lt(r.fit.width, 450);
	ck_assert_int_ge(r.fit.width, 240);
	ck_assert_int_ge(r.fit.height, 320);
	ck_assert_int_le((long long)r.fit.len, 60000);
	zr_photo_result_free(&r);
	o.prof.max_bytes = 2000;
	ck_assert_int_eq(zr_photo_convert(j, n, "noise.jpg", &o, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NO_FIT);
	ck_assert_str_eq(e.subject, "noise.jpg");
	ck_assert_str_eq(e.msg, "cannot fit 2000 bytes above 240x320");
	ck_assert_ptr_null(r.fit.jpeg);
	free(j);
	zr_image_free(&a);
}
END_TEST

START_TEST(convert_small_input_and_fixed_sizes)
{
	struct zr_image a;
	struct zr_photo_opts o;
	struct zr_photo_result r;
	struct zr_image_info info;
	struct zr_jpeg_opts jo = { .quality = 90, .subsample444 = 0,
	    .optimize = 1, .density_dpi = 0 };
	unsigned char *j;
	size_t n;

	portrait(&a, 150, 200, 0, 0);
	ck_assert_int_eq(zr_jpeg_encode(&a, &jo, &j, &n, NULL), 0);
	memset(&o, 0, sizeof(o));
	o.prof = centred("isa");
	ck_assert_int_eq(zr_photo_convert(j, n, "s.jpg", &o, &r, NULL), 0);
	ck_assert_int_eq(r.upscaled, 1);
	ck_assert_int_eq(r.fit.width, 240);
	ck_assert_int_eq(r.fit.height, 320);
	zr_photo_result_free(&r);
	o.prof = centred("passport");
	ck_assert_int_eq(zr_photo_convert(j, n, "s.jpg", &o, &r, NULL), 0);
	ck_assert_int_eq(r.fit.width, 600);
	ck_assert_int_eq(r.fit.height, 730);
	ck_assert_int_le((long long)r.fit.len, 600000);
	zr_photo_result_free(&r);
	/* The signature: gray, padded to 788x284 rather than cut. */
	o.prof = prof("signature");
	ck_assert_int_eq(zr_photo_convert(j, n, "s.jpg", &o, &r, NULL), 0);
	ck_assert_int_eq(r.padded, 1);
	ck_assert_int_eq(r.cropped, 0);
	ck_assert_int_eq(zr_image_probe(r.fit.jpeg, r.fit.len, "o", &info,
	    NULL), 0);
	ck_assert_int_eq(info.width, 788);
	ck_assert_int_eq(info.height, 284);
	ck_assert_int_eq(info.components, 1);
	zr_photo_result_free(&r);
	free(j);
	zr_image_free(&a);
}
END_TEST

START_TEST(check_file_findings)
{
	struct zr_image a;
	struct zr_photo_profile p = prof("isa");
	struct zr_photo_findings f;
	struct zr_image_info info;
	unsigned char *j;
	size_t n;

	portrait(&a, 450, 600, 0, 0);
	j = jpeg_exif(&a, 1, "2025:01:15 08:00:00", 1, &n);
	ck_assert_int_eq(zr_photo_check(j, n, "c.jpg", &p, ZR_D(2026, 11, 22),
	    &f, &info, NULL), 0);
	ck_assert(has(&f, "gps"));
	ck_assert(has(&f, "metadata"));
	ck_assert(has(&f, "recency"));
	ck_assert(!has(&f, "background"));
	ck_assert(!has(&f, "aspect"));
	ck_assert(!has(&f, "pixels"));
	ck_assert(!has(&f, "dark") && !has(&f, "bright"));
	/* The same photo checked in 2025-03 is recent; the size cap bites. */
	p.max_bytes = 1000;
	ck_assert_int_eq(zr_photo_check(j, n, "c.jpg", &p, ZR_D(2025, 3, 1),
	    &f, &info, NULL), 0);
	ck_assert(!has(&f, "recency"));
	ck_assert(has(&f, "bytes"));
	/* A date after today. */
	ck_assert_int_eq(zr_photo_check(j, n, "c.jpg", &p, ZR_D(2024, 3, 1),
	    &f, &info, NULL), 0);
	ck_assert(has(&f, "future"));
	free(j);
	/* Passport profile: wrong pixel size. */
	p = prof("passport");
	j = jpeg_exif(&a, 1, "2026:11:01 08:00:00", 0, &n);
	ck_assert_int_eq(zr_photo_check(j, n, "c.jpg", &p, ZR_D(2026, 11, 22),
	    &f, &info, NULL), 0);
	ck_assert(has(&f, "pixels"));
	ck_assert(!has(&f, "gps"));
	free(j);
	zr_image_free(&a);
}
END_TEST

START_TEST(check_pixels_content)
{
	struct zr_image a;
	struct zr_photo_profile p = prof("isa");
	struct zr_photo_findings f;

	portrait(&a, 300, 400, 1, 0);
	f.n = 0;
	zr_photo_check_pixels(&a, &p, &f);
	ck_assert(has(&f, "background"));
	zr_image_free(&a);
	portrait(&a, 300, 400, 0, -150);
	f.n = 0;
	zr_photo_check_pixels(&a, &p, &f);
	ck_assert(has(&f, "dark"));
	zr_image_free(&a);
	portrait(&a, 300, 400, 0, 120);
	f.n = 0;
	zr_photo_check_pixels(&a, &p, &f);
	ck_assert(has(&f, "bright"));
	ck_assert(has(&f, "clipped"));
	zr_image_free(&a);
}
END_TEST

/* A signature: strokes of value ink on paper, inset or touching. */
static void
signature(struct zr_image *m, int paper, int ink, int touch)
{
	ck_assert_int_eq(zr_image_alloc(m, 394, 142, 1, NULL), 0);
	memset(m->pixels, paper, 394 * 142);
	for (int x = 40; x < (touch ? 394 : 350); x++) {
		int y = 71 + (int)(30 * ((x % 60) < 30 ? (x % 30) :
		    30 - (x % 30)) / 30) - 15;

		for (int d = -2; d <= 2; d++)
			m->pixels[(y + d) * 394 + x] = (unsigned char)ink;
	}
}

START_TEST(check_signature)
{
	struct zr_image a;
	struct zr_photo_profile p = prof("signature");
	struct zr_photo_findings f;

	signature(&a, 250, 20, 0);
	f.n = 0;
	zr_photo_check_pixels(&a, &p, &f);
	ck_assert_msg(f.n == 0, "%s", f.n ? f.f[0].msg : "");
	zr_image_free(&a);
	signature(&a, 180, 20, 0);
	f.n = 0;
	zr_photo_check_pixels(&a, &p, &f);
	ck_assert(has(&f, "paper"));
	zr_image_free(&a);
	signature(&a, 250, 150, 0);
	f.n = 0;
	zr_photo_check_pixels(&a, &p, &f);
	ck_assert(has(&f, "ink"));
	zr_image_free(&a);
	signature(&a, 250, 20, 1);
	f.n = 0;
	zr_photo_check_pixels(&a, &p, &f);
	ck_assert(has(&f, "edge"));
	zr_image_free(&a);
}
END_TEST

/* Synthetic photos (tests/fixtures.sh): EXIF 6, PNG, CMYK, gray, 12 MP. */
START_TEST(convert_fixture_photos)
{
	static const char *files[] = { "rot6.jpg", "photo.png", "cmyk.jpg",
		"gray.jpg", "big.jpg" };
	struct zr_photo_opts o;

	memset(&o, 0, sizeof(o));
	o.prof = centred("isa");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		unsigned char *b;
		size_t n;
		struct zr_photo_result r;

		zr_fixture_read(files[i], &b, &n);
		ck_assert_int_eq(zr_photo_convert(b, n, files[i], &o, &r,
		    NULL), 0);
		ck_assert_int_le((long long)r.fit.len, 50000);
		ck_assert_int_eq(has_metadata_markers(r.fit.jpeg, r.fit.len),
		    0);
		ck_assert(r.fit.ssim > 0.9);
		zr_photo_result_free(&r);
		free(b);
	}
}
END_TEST

/* ---- framing from the face ---- */

/* The geometry of the profiles comes from the rules table (enum keys);
 * every photo key has rows. */
START_TEST(geometry_from_rules)
{
	struct zr_photo_profile p;
	struct zr_error e;
	int n = 0;

	for (int k = 0; k < ZR_R_COUNT_; k++) {
		if (strncmp(zr_rule_name((enum zr_rule_key)k), "photo.", 6))
			continue;
		n++;
		ck_assert_msg(zr_rule((enum zr_rule_key)k, ZR_D(2026, 11, 22),
		    &e) > 0, "%s: %s", zr_rule_name((enum zr_rule_key)k),
		    e.msg);
	}
	ck_assert_int_ge(n, 26);
	p = prof("isa");
	ck_assert_int_eq(p.face, 1);
	ck_assert(p.geom.frame_w_mm == 30 && p.geom.frame_h_mm == 40);
	ck_assert(p.geom.head_min_mm == 22 && p.geom.head_max_mm == 28);
	ck_assert(p.geom.top_min_mm == 2 && p.geom.top_max_mm == 8);
	ck_assert_int_eq(p.geom.chin_max_mm, 0);
	p = prof("passport");
	ck_assert(p.geom.frame_w_mm == 35 && p.geom.frame_h_mm == 45);
	ck_assert(p.geom.head_min_mm == 32 && p.geom.head_max_mm == 36);
	ck_assert(p.geom.chin_min_mm == 5 && p.geom.chin_max_mm == 9);
	ck_assert(p.geom.side_min_mm == 15 && p.geom.side_max_mm == 19);
	p = prof("signature");
	ck_assert_int_eq(p.face, 0);
}
END_TEST

static struct zr_photo_head
head_at(double crown, double chin, double cx)
{
	struct zr_photo_head h;

	memset(&h, 0, sizeof(h));
	h.crown_y = crown;
	h.chin_y = chin;
	h.centre_x = cx;
	return h;
}

/* Known head -> known crop. */
START_TEST(frame_arithmetic)
{
	struct zr_photo_profile p = prof("isa");
	struct zr_photo_head h = head_at(100, 400, 500);
	struct zr_photo_frame f;

	/* Room all round: the middle of the bands, head 25 mm, 5 mm above:
	 * 300 px / 25 mm = 12 px/mm, so 40 mm = 480 px, 3:4 = 360 px. */
	ck_assert_int_eq(zr_photo_frame(&p.geom, 3, 4, &h, 1000, 1500, &f),
	    0);
	ck_assert(fabs(f.head_mm - 25) < 1e-9 && fabs(f.top_mm - 5) < 1e-9);
	ck_assert(fabs(f.h - 480) < 1e-6 && fabs(f.w - 360) < 1e-6);
	ck_assert(fabs(f.y - 40) < 1e-6 && fabs(f.x - 320) < 1e-6);
	ck_assert(fabs(f.chin_mm - 10) < 1e-9);
	ck_assert_int_eq(f.pad_top + f.pad_left + f.pad_bottom + f.pad_right,
	    0);
	/* Crown 30 px from the top: 5 mm does not fit; inside the bands the
	 * head is made larger and the margin smaller until it does (2 mm at
	 * 28 mm = 21.4 px, at 12 px/mm 24 px: both fit; the nearest to the
	 * middle wins). */
	h = head_at(30, 330, 500);
	ck_assert_int_eq(zr_photo_frame(&p.geom, 3, 4, &h, 1000, 1500, &f),
	    0);
	ck_assert(f.y >= -1e-9);
	ck_assert(f.top_mm >= 2 && f.top_mm < 5);
	ck_assert(f.head_mm >= 22 && f.head_mm <= 28);
	/* Crown 10 px from the top: cannot fit inside; the least padding
	 * (head 28 mm, 2 mm: 21.4 px above, so 12 px missing) is reported. */
	h = head_at(10, 310, 500);
	ck_assert_int_eq(zr_photo_frame(&p.geom, 3, 4, &h, 1000, 1500, &f),
	    1);
	ck_assert(fabs(f.head_mm - 28) < 1e-9 && fabs(f.top_mm - 2) < 1e-9);
	ck_assert_int_eq(f.pad_top, 12);
	ck_assert_int_eq(f.pad_bottom + f.pad_left + f.pad_right, 0);
	/* Face near the right edge: padding on the right. */
	h = head_at(100, 400, 900);
	ck_assert_int_eq(zr_photo_frame(&p.geom, 3, 4, &h, 1000, 1500, &f),
	    1);
	ck_assert_int_gt(f.pad_right, 0);
	ck_assert_int_eq(f.pad_left, 0);
	/* No head. */
	h = head_at(400, 100, 500);
	ck_assert_int_eq(zr_photo_frame(&p.geom, 3, 4, &h, 1000, 1500, &f),
	    -1);
}
END_TEST

START_TEST(frame_passport)
{
	struct zr_photo_profile p = prof("passport");
	struct zr_photo_head h = head_at(200, 880, 600);
	struct zr_photo_frame f;

	ck_assert_int_eq(zr_photo_frame(&p.geom, p.aspect_w, p.aspect_h, &h,
	    1200, 1800, &f), 0);
	/* Middle of the bands: head 34, top 4, so chin 7 (in 5-9). */
	ck_assert(fabs(f.head_mm - 34) < 1e-9 && fabs(f.top_mm - 4) < 1e-9);
	ck_assert(fabs(f.chin_mm - 7) < 1e-9);
	/* 600:730 at 45 mm high is 37 mm wide: 18.5 mm centre to side. */
	ck_assert(f.side_mm >= 15 && f.side_mm <= 19);
	ck_assert(fabs(f.w / f.h - 600.0 / 730.0) < 1e-9);
	/* A square frame puts the side 22.5 mm away: out of the band. */
	ck_assert_int_eq(zr_photo_frame(&p.geom, 1, 1, &h, 1200, 1800, &f),
	    -1);
}
END_TEST

/* Known head -> known millimetres and findings (zr_photo_judge). */
START_TEST(measure_and_judge)
{
	struct zr_photo_profile p = prof("isa");
	struct zr_photo_head h = head_at(60, 435, 225);
	struct zr_photo_measure m;
	struct zr_photo_findings f;

	/* 450 x 600 for 30 x 40 mm: 15 px/mm each way.  Crown 60 px = 4 mm
	 * down, head 375 px = 25 mm, chin 165 px = 11 mm from the bottom,
	 * face centre in the middle. */
	memset(&m, 0, sizeof(m));
	zr_photo_measure_head(&h, &p.geom, 450, 600, &m);
	ck_assert(fabs(m.top_mm - 4) < 1e-9 && fabs(m.head_mm - 25) < 1e-9);
	ck_assert(fabs(m.chin_mm - 11) < 1e-9);
	ck_assert(fabs(m.left_mm - 15) < 1e-9 && fabs(m.right_mm - 15) < 1e-9);
	m.faces = 1;
	h.crown_refined = 1;
	zr_photo_measure_head(&h, &p.geom, 450, 600, &m);
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert_msg(f.n == 0, "%s", f.n ? f.f[0].msg : "");
	/* Head 20 mm (300 px): too small; 1 mm above: under the band. */
	h = head_at(15, 315, 225);
	h.crown_refined = 1;
	zr_photo_measure_head(&h, &p.geom, 450, 600, &m);
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert(has(&f, "head_size") && has(&f, "top_margin"));
	ck_assert_ptr_nonnull(strstr(f.f[0].msg, "head 20.0 mm"));
	ck_assert_ptr_nonnull(strstr(f.f[0].msg, "too small"));
	ck_assert(!has(&f, "centre") && !has(&f, "crown_estimated"));
	/* The band's ends are in it: 22.0 and 8.0 mm. */
	h = head_at(120, 450, 225);
	h.crown_refined = 1;
	zr_photo_measure_head(&h, &p.geom, 450, 600, &m);
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert_msg(f.n == 0, "%s", f.n ? f.f[0].msg : "");
	/* Centre 1.5 mm off (22.5 px) is allowed, 2 mm (30 px) is not. */
	h = head_at(60, 435, 247.5);
	h.crown_refined = 1;
	zr_photo_measure_head(&h, &p.geom, 450, 600, &m);
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert(!has(&f, "centre"));
	h.centre_x = 195;
	zr_photo_measure_head(&h, &p.geom, 450, 600, &m);
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert(has(&f, "centre"));
	ck_assert_ptr_nonnull(strstr(f.f[0].msg, "2.0 mm left"));
	/* Tilted, turned, crown only estimated (a note), head cut. */
	h = head_at(60, 435, 225);
	h.roll_deg = -6;
	h.yaw = 0.1;
	zr_photo_measure_head(&h, &p.geom, 450, 600, &m);
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert(has(&f, "roll") && has(&f, "yaw"));
	ck_assert(has(&f, "crown_estimated") && f.f[f.n - 1].note == 1);
	h.crown_at_edge = 1;
	zr_photo_measure_head(&h, &p.geom, 450, 600, &m);
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert(has(&f, "head_cut") && !has(&f, "head_size"));
	/* No face, two faces: only that. */
	m.faces = 0;
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert(f.n == 1 && has(&f, "no_face"));
	m.faces = 2;
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert(f.n == 1 && has(&f, "faces"));
}
END_TEST

/* The passport's chin and side bands (600 x 730 for 35 x 45 mm). */
START_TEST(judge_passport)
{
	struct zr_photo_profile p = prof("passport");
	double sy = 730.0 / 45, sx = 600.0 / 35;
	struct zr_photo_head h = head_at(4 * sy, 38 * sy, 17.5 * sx);
	struct zr_photo_measure m;
	struct zr_photo_findings f;

	memset(&m, 0, sizeof(m));
	m.faces = 1;
	h.crown_refined = 1;
	zr_photo_measure_head(&h, &p.geom, 600, 730, &m);
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert_msg(f.n == 0, "%s", f.n ? f.f[0].msg : "");
	/* Chin 4 mm from the bottom, face centre 14 mm from the left. */
	h = head_at(5 * sy, 41 * sy, 14 * sx);
	h.crown_refined = 1;
	zr_photo_measure_head(&h, &p.geom, 600, 730, &m);
	f.n = 0;
	zr_photo_judge(&m, &p, &f);
	ck_assert(has(&f, "chin_margin") && has(&f, "centre"));
	ck_assert(!has(&f, "head_size") && !has(&f, "top_margin"));
}
END_TEST

/* The checks on zr-photo's own framing of the sample pass; a busy
 * corner outside the head is the background's, and without a face the
 * border band judges it, said so. */
START_TEST(check_face_round_trip)
{
	struct zr_photo_opts o;
	struct zr_photo_result r;
	struct zr_photo_findings f;
	struct zr_photo_measure m;
	struct zr_decode_opts d = { .apply_orientation = 1 };
	struct zr_image img;
	struct zr_error e;
	unsigned char *b;
	size_t n;

	ck_assert_int_eq(zr_read_file("examples/sample/photo.jpg", 0, &b, &n,
	    &e), 0);
	memset(&o, 0, sizeof(o));
	o.prof = prof("isa");
	ck_assert_int_eq(zr_photo_convert(b, n, "photo.jpg", &o, &r, &e), 0);
	free(b);
	ck_assert(r.framed);
	ck_assert_int_eq(r.measure.faces, 1);
	ck_assert(r.measure.bg_masked && r.measure.bg_pixels > 10000);
	ck_assert_msg(r.warnings.n == 0, "%s", r.warnings.n ?
	    r.warnings.f[0].msg : "");
	ck_assert_int_eq(zr_image_decode(r.fit.jpeg, r.fit.len, "out.jpg", &d,
	    &img, NULL, &e), 0);
	f.n = 0;
	ck_assert_int_eq(zr_photo_check_face(&img, &o.prof, &f, &m, &e), 0);
	ck_assert_msg(f.n == 0, "%s", f.n ? f.f[0].msg : "");
	ck_assert(m.head_mm >= 22 && m.head_mm <= 28);
	ck_assert(m.top_mm >= 2 && m.top_mm <= 8);
	ck_assert(m.crown_found);
	/* Stripes in the top corners, away from the hair. */
	for (int y = 0; y < img.height / 10; y++)
		for (int x = 0; x < img.width; x++)
			if (x < img.width / 5 || x >= img.width * 4 / 5)
				memset(img.pixels + ((size_t)y * (size_t)
				    img.width + (size_t)x) * 3, (x / 3) % 2 ?
				    20 : 235, 3);
	f.n = 0;
	ck_assert_int_eq(zr_photo_check_face(&img, &o.prof, &f, &m, &e), 0);
	ck_assert(has(&f, "background"));
	ck_assert_ptr_nonnull(strstr(f.f[f.n - 1].msg, "outside the head"));
	zr_image_free(&img);
	zr_photo_result_free(&r);
	/* A striped wall: no face, the border band. */
	ck_assert_int_eq(zr_image_alloc(&img, 300, 400, 3, NULL), 0);
	for (int i = 0; i < 300 * 400; i++)
		memset(img.pixels + i * 3, (i % 300 / 4) % 2 ? 40 : 220, 3);
	f.n = 0;
	ck_assert_int_eq(zr_photo_check_face(&img, &o.prof, &f, &m, &e), 0);
	ck_assert(has(&f, "no_face") && has(&f, "background"));
	ck_assert_ptr_nonnull(strstr(f.f[1].msg, "no face found to mask"));
	ck_assert_int_eq(m.bg_masked, 0);
	zr_image_free(&img);
}
END_TEST

START_TEST(face_geometry_points)
{
	struct zr_face f;
	struct zr_face_geom g;

	memset(&f, 0, sizeof(f));
	/* Eyes level at y 100 (x 80 and 120), jaw 40..160, nose on the
	 * middle, chin at y 180. */
	for (int i = 36; i <= 41; i++)
		f.pt[i] = (struct zr_point){ 80, 100 };
	for (int i = 42; i <= 47; i++)
		f.pt[i] = (struct zr_point){ 120, 100 };
	f.pt[0] = (struct zr_point){ 40, 100 };
	f.pt[16] = (struct zr_point){ 160, 100 };
	f.pt[2] = (struct zr_point){ 45, 140 };
	f.pt[14] = (struct zr_point){ 155, 140 };
	f.pt[30] = (struct zr_point){ 100, 135 };
	f.pt[8] = (struct zr_point){ 100, 180 };
	zr_face_geometry(&f, &g);
	ck_assert(fabs(g.roll_deg) < 1e-9);
	ck_assert(fabs(g.yaw) < 1e-9);
	ck_assert(fabs(g.eye_chin - 80) < 1e-9);
	ck_assert(fabs(g.face_w - 120) < 1e-9);
	/* Right eye 10 px lower over 40 px: atan(1/4) = 14.04 degrees;
	 * nose 22 px right of the middle of 110 px: yaw 0.2. */
	for (int i = 42; i <= 47; i++)
		f.pt[i] = (struct zr_point){ 120, 110 };
	f.pt[30].x = 122;
	zr_face_geometry(&f, &g);
	ck_assert(fabs(g.roll_deg - 14.036) < 0.01);
	ck_assert(g.yaw > 0.15);
}
END_TEST

/* The detector on the project's sample portrait and on a plain wall. */
START_TEST(face_find_sample)
{
	struct zr_decode_opts d = { .apply_orientation = 1 };
	struct zr_image img, wall;
	struct zr_faces fs;
	struct zr_face_geom g;
	struct zr_error e;
	unsigned char *b;
	size_t n;

	ck_assert_int_eq(zr_read_file("examples/sample/photo.jpg", 0, &b, &n,
	    &e), 0);
	ck_assert_int_eq(zr_image_decode(b, n, "photo.jpg", &d, &img, NULL,
	    &e), 0);
	free(b);
	ck_assert_int_eq(zr_face_find(&img, 400, &fs, &e), 0);
	ck_assert_int_eq(fs.n, 1);
	ck_assert_int_le(fs.det_width, 400);
	ck_assert_int_le(fs.det_height, 400);
	ck_assert_double_gt(fs.load_ms, 0);
	zr_face_geometry(&fs.f[0], &g);
	/* In the upright picture's pixels: eyes inside the box, level. */
	ck_assert(g.eyes.x > fs.f[0].x && g.eyes.x < fs.f[0].x + fs.f[0].w);
	ck_assert(g.eyes.y > fs.f[0].y && g.chin.y > g.eyes.y);
	ck_assert(fabs(g.roll_deg) < 8 && fabs(g.yaw) < 0.1);
	ck_assert(g.eyes.x > img.width * 0.3 && g.eyes.x < img.width * 0.7);
	/* Loaded once: the second call does not load again. */
	ck_assert_int_eq(zr_image_alloc(&wall, 300, 400, 3, NULL), 0);
	memset(wall.pixels, 200, 300 * 400 * 3);
	ck_assert_int_eq(zr_face_find(&wall, 0, &fs, &e), 0);
	ck_assert_int_eq(fs.n, 0);
	ck_assert_int_eq(fs.upsampled, 1);
	ck_assert(fs.load_ms == 0);
	zr_image_free(&wall);
	zr_image_free(&img);
}
END_TEST

START_TEST(face_model_missing)
{
	struct zr_image img;
	struct zr_faces fs;
	struct zr_error e;

	setenv(ZR_FACE_MODEL_ENV, "/nonexistent/model.dat", 1);
	ck_assert_str_eq(zr_face_model(), "/nonexistent/model.dat");
	ck_assert_int_eq(zr_image_alloc(&img, 64, 64, 3, NULL), 0);
	ck_assert_int_eq(zr_face_find(&img, 0, &fs, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NO_MODEL);
	ck_assert_ptr_nonnull(strstr(e.msg, "libdlib-data"));
	unsetenv(ZR_FACE_MODEL_ENV);
	zr_image_free(&img);
}
END_TEST

Suite *
zr_photo_suite(void)
{
	Suite *s = suite_create("photo");
	TCase *t = tcase_create("photo");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, profiles_follow_rules);
	tcase_add_test(t, center_crop);
	tcase_add_test(t, fit_always_under_cap);
	tcase_add_test(t, fit_no_fit);
	tcase_add_test(t, fit_same_bytes_any_threads);
	tcase_add_test(t, fit_baseline_and_honest_ssim);
	tcase_add_test(t, convert_strips_and_orients);
	tcase_add_test(t, convert_shrinks_then_fails);
	tcase_add_test(t, convert_small_input_and_fixed_sizes);
	tcase_add_test(t, check_file_findings);
	tcase_add_test(t, check_pixels_content);
	tcase_add_test(t, check_signature);
	tcase_add_test(t, convert_fixture_photos);
	tcase_add_test(t, geometry_from_rules);
	tcase_add_test(t, frame_arithmetic);
	tcase_add_test(t, frame_passport);
	tcase_add_test(t, face_geometry_points);
	tcase_add_test(t, face_find_sample);
	tcase_add_test(t, face_model_missing);
	tcase_add_test(t, measure_and_judge);
	tcase_add_test(t, judge_passport);
	tcase_add_test(t, check_face_round_trip);
	suite_add_tcase(s, t);
	return s;
}
