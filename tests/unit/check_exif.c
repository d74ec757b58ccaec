/* zairyu-tools: unit tests of the EXIF reader and of orientation handling. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zr_test.h"


/* ---- building EXIF blocks (TIFF 6.0 layout, Exif 2.32 tags) ---- */

struct tb {
	unsigned char b[512];
	int be;
};

static void
w16(struct tb *t, size_t off, unsigned v)
{
	if (t->be) {
		t->b[off] = (unsigned char)(v >> 8);
		t->b[off + 1] = (unsigned char)v;
	} else {
		t->b[off] = (unsigned char)v;
		t->b[off + 1] = (unsigned char)(v >> 8);
	}
}

static void
w32(struct tb *t, size_t off, unsigned long v)
{
	for (int i = 0; i < 4; i++)
		t->b[off + (size_t)(t->be ? 3 - i : i)] =
		    (unsigned char)(v >> (8 * i));
}

static void
entry(struct tb *t, size_t off, unsigned tag, unsigned type,
    unsigned long count, unsigned long val)
{
	w16(t, off, tag);
	w16(t, off + 2, type);
	w32(t, off + 4, count);
	if (type == 3 && count == 1) {
		w32(t, off + 8, 0);
		w16(t, off + 8, (unsigned)val);
	} else {
		w32(t, off + 8, val);
	}
}

/*
 * IFD0 at 8: Orientation, ExifIFD -> 100, GPSIFD -> 200 (if gps).
 * ExifIFD at 100: DateTimeOriginal -> string at 150.
 * GPS IFD at 200: version, latitude, longitude (rationals at 300, 324).
 */
static size_t
make_exif(struct tb *t, int be, int orient, const char *dto, int gps)
{
	int n = 2 + (gps != 0);

	memset(t->b, 0, sizeof(t->b));
	t->be = be;
	memcpy(t->b, be ? "MM\0*" : "II*\0", 4);
	w32(t, 4, 8);
	w16(t, 8, (unsigned)n);
	entry(t, 10, 0x0112, 3, 1, (unsigned long)orient);
	entry(t, 22, 0x8769, 4, 1, 100);
	if (gps)
		entry(t, 34, 0x8825, 4, 1, 200);
	w32(t, 10 + 12 * (size_t)n, 0);
	w16(t, 100, 1);
	entry(t, 102, 0x9003, 2, 20, 150);
	memcpy(t->b + 150, dto, strlen(dto) + 1);
	if (gps) {
		w16(t, 200, 3);
		entry(t, 202, 0x0000, 1, 4, 0);
		t->b[210] = 2;
		t->b[211] = 3;
		entry(t, 214, 0x0002, 5, 3, 300);
		entry(t, 226, 0x0004, 5, 3, 324);
		for (int i = 0; i < 12; i++)
			w32(t, 300 + 4 * (size_t)i, i % 2 ? 1 : 35);
	}
	return 360;
}

START_TEST(exif_parse_both_byte_orders)
{
	struct tb t;
	struct zr_exif ex;

	for (int be = 0; be < 2; be++) {
		size_t n = make_exif(&t, be, 6, "2026:05:17 09:41:03", 1);

		ck_assert_int_eq(zr_exif_parse(t.b, n, &ex, NULL), 0);
		ck_assert_int_eq(ex.orientation, 6);
		ck_assert_date_eq(ex.taken, ZR_D(2026, 5, 17));
		ck_assert_int_eq(ex.taken_hour, 9);
		ck_assert_int_eq(ex.taken_min, 41);
		ck_assert_int_eq(ex.has_gps, 1);
		ck_assert_int_eq(ex.has_gps_position, 1);
		n = make_exif(&t, be, 3, "2025:02:30 00:00:00", 0);
		ck_assert_int_eq(zr_exif_parse(t.b, n, &ex, NULL), 0);
		ck_assert_int_eq(ex.orientation, 3);
		ck_assert_int_eq(ex.taken.y, 0);     /* Feb 30: not a date */
		ck_assert_int_eq(ex.has_gps, 0);
	}
}
END_TEST

START_TEST(exif_parse_bad_blocks)
{
	struct tb t;
	struct zr_exif ex;
	struct zr_error e;
	size_t n = make_exif(&t, 0, 9, "2026:05:17 09:41:03", 1);

	/* Orientation 9 is not a value: treated as absent. */
	ck_assert_int_eq(zr_exif_parse(t.b, n, &ex, NULL), 0);
	ck_assert_int_eq(ex.orientation, 1);
	ck_assert_int_eq(zr_exif_parse(t.b, 7, &ex, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
	ck_assert_int_eq(zr_exif_parse((const unsigned char *)"XX*\0\0\0\0\0",
	    8, &ex, &e), -1);
	/* IFD0 beyond the end. */
	w32(&t, 4, 100000);
	ck_assert_int_eq(zr_exif_parse(t.b, n, &ex, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "IFD0"));
	/* Sub-IFD pointers out of range or looping back: skipped, no crash. */
	n = make_exif(&t, 1, 8, "2026:01:01 00:00:00", 1);
	entry(&t, 22, 0x8769, 4, 1, 8);
	entry(&t, 34, 0x8825, 4, 1, 0xFFFFFFF0UL);
	ck_assert_int_eq(zr_exif_parse(t.b, n, &ex, NULL), 0);
	ck_assert_int_eq(ex.orientation, 8);
	ck_assert_int_eq(ex.has_gps, 0);
	ck_assert_int_eq(ex.taken.y, 0);
	/* A string whose offset points past the end. */
	n = make_exif(&t, 0, 1, "2026:01:01 00:00:00", 0);
	entry(&t, 102, 0x9003, 2, 20, 350);
	ck_assert_int_eq(zr_exif_parse(t.b, n, &ex, NULL), 0);
	ck_assert_int_eq(ex.taken.y, 0);
	/* With the "Exif\0\0" prefix. */
	{
		unsigned char p[400];

		n = make_exif(&t, 0, 5, "2024:12:31 23:59:59", 0);
		memcpy(p, "Exif\0\0", 6);
		memcpy(p + 6, t.b, n);
		ck_assert_int_eq(zr_exif_parse(p, n + 6, &ex, NULL), 0);
		ck_assert_int_eq(ex.orientation, 5);
		ck_assert_date_eq(ex.taken, ZR_D(2024, 12, 31));
	}
}
END_TEST

/* ---- orientation, all eight, through a real JPEG ---- */

/* Upright test picture 40x24: red, green / blue, white quadrants. */
static const unsigned char quad[4][3] = {
	{ 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 255, 255, 255 }
};

static const unsigned char *
upright_at(int x, int y, int w, int h)
{
	return quad[(y >= h / 2) * 2 + (x >= w / 2)];
}

/*
 * The stored picture for orientation o, straight from the Exif 2.32 table
 * of tag 0x0112: which visual side the 0th row and the 0th column show.
 *   1 top/left  2 top/right  3 bottom/right  4 bottom/left
 *   5 left/top  6 right/top  7 right/bottom  8 left/bottom
 */
static void
stored_for(int o, int uw, int uh, struct zr_image *s)
{
	static const char row0[9] = "?TTBBLRRL", col0[9] = "?LRRLTTBB";
	int sw = o >= 5 ? uh : uw, sh = o >= 5 ? uw : uh;

	ck_assert_int_eq(zr_image_alloc(s, sw, sh, 3, NULL), 0);
	for (int sy = 0; sy < sh; sy++)
		for (int sx = 0; sx < sw; sx++) {
			int vx, vy;

			if (o < 5) {
				vy = row0[o] == 'T' ? sy : uh - 1 - sy;
				vx = col0[o] == 'L' ? sx : uw - 1 - sx;
			} else {
				vx = row0[o] == 'L' ? sy : uw - 1 - sy;
				vy = col0[o] == 'T' ? sx : uh - 1 - sx;
			}
			memcpy(s->pixels + ((size_t)sy * (size_t)sw +
			    (size_t)sx) * 3, upright_at(vx, vy, uw, uh), 3);
		}
}

/* JPEG of img with an APP1 Exif segment spliced in after APP0. */
static unsigned char *
jpeg_with_exif(const struct zr_image *img, const unsigned char *tiff,
    size_t tn, size_t *len)
{
	struct zr_jpeg_opts o = { .quality = 95, .subsample444 = 1,
	    .optimize = 1, .density_dpi = 0 };
	unsigned char *j, *r;
	size_t n, a0, seg = 2 + 6 + tn;

	ck_assert_int_eq(zr_jpeg_encode(img, &o, &j, &n, NULL), 0);
	a0 = 4 + ((size_t)j[4] << 8 | j[5]);
	r = malloc(n + 2 + seg);
	memcpy(r, j, a0);
	r[a0] = 0xFF;
	r[a0 + 1] = 0xE1;
	r[a0 + 2] = (unsigned char)(seg >> 8);
	r[a0 + 3] = (unsigned char)seg;
	memcpy(r + a0 + 4, "Exif\0\0", 6);
	memcpy(r + a0 + 10, tiff, tn);
	memcpy(r + a0 + 2 + seg, j + a0, n - a0);
	*len = n + 2 + seg;
	free(j);
	return r;
}

START_TEST(orientation_all_eight)
{
	int uw = 40, uh = 24;

	for (int o = 1; o <= 8; o++) {
		struct zr_image s, d;
		struct zr_image_info info;
		struct zr_decode_opts opt = { .apply_orientation = 1 };
		struct tb t;
		size_t tn = make_exif(&t, o % 2, o, "2026:03:01 12:00:00", 0);
		size_t n;
		unsigned char *j;

		stored_for(o, uw, uh, &s);
		j = jpeg_with_exif(&s, t.b, tn, &n);
		ck_assert_int_eq(zr_image_decode(j, n, "o.jpg", &opt, &d,
		    &info, NULL), 0);
		ck_assert_int_eq(info.orientation, o);
		ck_assert_int_eq(info.has_exif, 1);
		ck_assert_int_eq(info.width, s.width);
		ck_assert_int_eq(d.width, uw);
		ck_assert_int_eq(d.height, uh);
		/* The middle of each quadrant has its colour. */
		for (int q = 0; q < 4; q++) {
			int x = (q % 2) ? 3 * uw / 4 : uw / 4;
			int y = (q / 2) ? 3 * uh / 4 : uh / 4;
			const unsigned char *p = d.pixels +
			    ((size_t)y * (size_t)uw + (size_t)x) * 3;

			for (int c = 0; c < 3; c++)
				ck_assert_msg(abs(p[c] - quad[q][c]) < 40,
				    "orientation %d quadrant %d channel %d: "
				    "%d", o, q, c, p[c]);
		}
		zr_image_free(&d);
		/* Without apply_orientation the stored layout comes back. */
		opt.apply_orientation = 0;
		ck_assert_int_eq(zr_image_decode(j, n, "o.jpg", &opt, &d,
		    NULL, NULL), 0);
		ck_assert_int_eq(d.width, s.width);
		zr_image_free(&d);
		/* Scaled decode asks for the upright size. */
		opt.apply_orientation = 1;
		opt.min_width = 20;
		opt.min_height = 12;
		ck_assert_int_eq(zr_image_decode(j, n, "o.jpg", &opt, &d,
		    NULL, NULL), 0);
		ck_assert_int_eq(d.width, 20);
		ck_assert_int_eq(d.height, 12);
		zr_image_free(&d);
		free(j);
		zr_image_free(&s);
	}
}
END_TEST

/* A phone photo stored upright and the same stored turned with EXIF 6
 * (tests/fixtures.sh). */
START_TEST(orientation_phone_photo)
{
	unsigned char *b1, *b6;
	size_t n1, n6;
	struct zr_image a, b, c;
	struct zr_image_info info;
	struct zr_decode_opts o = { .min_width = 150, .min_height = 225,
	    .apply_orientation = 1, .gray = 1 };

	zr_fixture_read("upright.jpg", &b1, &n1);
	zr_fixture_read("rot6.jpg", &b6, &n6);
	ck_assert_int_eq(zr_image_decode(b1, n1, "1", &o, &a, NULL, NULL), 0);
	ck_assert_int_eq(zr_image_decode(b6, n6, "6", &o, &b, &info, NULL), 0);
	ck_assert_int_eq(info.orientation, 6);
	ck_assert_int_eq(a.width, b.width);
	ck_assert_int_eq(a.height, b.height);
	/* The same picture once upright; the unrotated-then-flipped is not. */
	ck_assert(zr_image_ssim(&a, &b) > 0.8);
	ck_assert_int_eq(zr_image_orient(&b, 3, &c, NULL), 0);
	ck_assert(zr_image_ssim(&a, &c) < 0.5);
	zr_image_free(&a);
	zr_image_free(&b);
	zr_image_free(&c);
	free(b1);
	free(b6);
}
END_TEST

Suite *
zr_exif_suite(void)
{
	Suite *s = suite_create("exif");
	TCase *t = tcase_create("exif");

	tcase_add_test(t, exif_parse_both_byte_orders);
	tcase_add_test(t, exif_parse_bad_blocks);
	tcase_add_test(t, orientation_all_eight);
	tcase_add_test(t, orientation_phone_photo);
	suite_add_tcase(s, t);
	return s;
}
