/* zairyu-tools: unit tests of the image library (decode, encode, resize, SSIM). */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>

#include "zr_test.h"
#include "../../lib/image/image_int.h"


static void
fill_gradient(struct zr_image *m, int w, int h, int ch)
{
	ck_assert_int_eq(zr_image_alloc(m, w, h, ch, NULL), 0);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < ch; c++)
				m->pixels[((size_t)y * (size_t)w +
				    (size_t)x) * (size_t)ch + (size_t)c] =
				    (unsigned char)((x * 255 / (w - 1) +
				    c * 40 + (y * 3 % 50)) % 256);
}

/* A gradient at half strength under noise of up to 127 (seeded). */
static void
fill_noisy(struct zr_image *m, int w, int h, int ch, unsigned seed)
{
	fill_gradient(m, w, h, ch);
	srand(seed);
	for (size_t k = 0; k < (size_t)w * (size_t)h * (size_t)ch; k++)
		m->pixels[k] = (unsigned char)(m->pixels[k] / 2 + rand() % 128);
}

/* b = a plus uniform noise in [-amp, amp] from rand(), clamped. */
static void
add_noise(const struct zr_image *a, struct zr_image *b, int amp)
{
	size_t n = (size_t)a->width * (size_t)a->height * (size_t)a->channels;

	for (size_t i = 0; i < n; i++) {
		int v = a->pixels[i] + rand() % (2 * amp + 1) - amp;

		b->pixels[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
}

/* Marker codes of a JPEG, up to SOS, in *codes; returns how many. */
static int
markers(const unsigned char *b, size_t len, unsigned *codes, int max)
{
	size_t pos = 2;
	int n = 0;

	while (pos + 4 <= len && n < max) {
		unsigned m;

		ck_assert_int_eq(b[pos], 0xFF);
		m = b[pos + 1];
		codes[n++] = m;
		if (m == 0xDA)
			break;
		pos += 2 + ((size_t)b[pos + 2] << 8 | b[pos + 3]);
	}
	return n;
}

/* ---- SSIM ---- */

START_TEST(ssim_identical_is_one)
{
	struct zr_image a;

	fill_gradient(&a, 64, 48, 3);
	ck_assert(zr_image_ssim(&a, &a) == 1.0);
	zr_image_free(&a);
}
END_TEST

START_TEST(ssim_known_offset)
{
	struct zr_image a, b;
	double c1 = (0.01 * 255) * (0.01 * 255), want;

	/* Two flat images 100 and 110: only the luminance term is left,
	 * (2 * 100 * 110 + C1) / (100^2 + 110^2 + C1) (Wang et al. 2004). */
	ck_assert_int_eq(zr_image_alloc(&a, 32, 32, 1, NULL), 0);
	ck_assert_int_eq(zr_image_alloc(&b, 32, 32, 1, NULL), 0);
	memset(a.pixels, 100, 32 * 32);
	memset(b.pixels, 110, 32 * 32);
	want = (2.0 * 100 * 110 + c1) / (100.0 * 100 + 110.0 * 110 + c1);
	ck_assert_double_eq_tol(zr_image_ssim(&a, &b), want, 1e-5);
	ck_assert(want < 0.996);
	/* Tiny images use one window: the same formula. */
	zr_image_free(&a);
	zr_image_free(&b);
	ck_assert_int_eq(zr_image_alloc(&a, 4, 4, 1, NULL), 0);
	ck_assert_int_eq(zr_image_alloc(&b, 4, 4, 1, NULL), 0);
	memset(a.pixels, 100, 16);
	memset(b.pixels, 110, 16);
	ck_assert_double_eq_tol(zr_image_ssim(&a, &b), want, 1e-5);
	zr_image_free(&a);
	zr_image_free(&b);
}
END_TEST

START_TEST(ssim_inverted_and_noise)
{
	struct zr_image a, b;
	double s1, s2;

	fill_gradient(&a, 80, 60, 1);
	ck_assert_int_eq(zr_image_alloc(&b, 80, 60, 1, NULL), 0);
	srand(7);
	add_noise(&a, &b, 10);
	s1 = zr_image_ssim(&a, &b);
	add_noise(&a, &b, 40);
	s2 = zr_image_ssim(&a, &b);
	ck_assert(s1 < 1.0 && s2 < s1 && s2 > 0.0);
	/* Structure reversed: negative correlation gives SSIM below 0. */
	for (size_t i = 0; i < 80 * 60; i++)
		b.pixels[i] = (unsigned char)(255 - a.pixels[i]);
	ck_assert(zr_image_ssim(&a, &b) < 0.0);
	/* Different sizes: 0. */
	b.width = 79;
	ck_assert(zr_image_ssim(&a, &b) == 0.0);
	b.width = 80;
	zr_image_free(&a);
	zr_image_free(&b);
}
END_TEST

/* SSIM the slow way (Wang et al. 2004): every 11x11 window inside the
 * image, its Gaussian-weighted (sigma 1.5) means, variances and
 * covariance summed directly in double, luma only. */
static double
ssim_direct(const struct zr_image *a, const struct zr_image *b)
{
	double g[11], gs = 0, total = 0;
	double c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255);
	int w = a->width, h = a->height;

	for (int i = 0; i < 11; i++) {
		g[i] = exp(-(i - 5) * (i - 5) / (2 * 1.5 * 1.5));
		gs += g[i];
	}
	for (int y = 0; y + 11 <= h; y++)
		for (int x = 0; x + 11 <= w; x++) {
			double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;

			for (int j = 0; j < 11; j++)
				for (int i = 0; i < 11; i++) {
					size_t o = (size_t)(y + j) * (size_t)w +
					    (size_t)(x + i);
					double wt = g[i] * g[j] / (gs * gs);
					double u = a->pixels[o], v = b->pixels[o];

					mx += wt * u;
					my += wt * v;
					xx += wt * u * u;
					yy += wt * v * v;
					xy += wt * u * v;
				}
			total += ((2 * mx * my + c1) * (2 * (xy - mx * my) + c2)) /
			    ((mx * mx + my * my + c1) *
			    (xx - mx * mx + yy - my * my + c2));
		}
	return total / ((double)(w - 10) * (double)(h - 10));
}

START_TEST(ssim_matches_direct_windows)
{
	struct zr_image a, b;

	/* Odd sizes, so that no row or column length is a vector width. */
	fill_gradient(&a, 53, 37, 1);
	ck_assert_int_eq(zr_image_alloc(&b, 53, 37, 1, NULL), 0);
	srand(11);
	add_noise(&a, &b, 30);
	ck_assert_double_eq_tol(zr_image_ssim(&a, &b), ssim_direct(&a, &b),
	    1e-5);
	ck_assert(ssim_direct(&a, &b) < 0.95);
	zr_image_free(&a);
	zr_image_free(&b);
}
END_TEST

/* ---- the size search's own Huffman tables ---- */

/* A JPEG rewritten by libjpeg from its own coefficients with
 * optimize_coding: its statistics pass and its tables. */
static void
libjpeg_optimised(const unsigned char *in, size_t n, unsigned char **out,
    unsigned long *outlen)
{
	struct jpeg_decompress_struct di;
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr e1, e2;
	jvirt_barray_ptr *coef;

	di.err = jpeg_std_error(&e1);
	jpeg_create_decompress(&di);
	jpeg_mem_src(&di, in, (unsigned long)n);
	ck_assert_int_eq(jpeg_read_header(&di, TRUE), JPEG_HEADER_OK);
	coef = jpeg_read_coefficients(&di);
	ci.err = jpeg_std_error(&e2);
	jpeg_create_compress(&ci);
	*out = NULL;
	*outlen = 0;
	jpeg_mem_dest(&ci, out, outlen);
	jpeg_copy_critical_parameters(&di, &ci);
	ci.optimize_coding = TRUE;
	jpeg_write_coefficients(&ci, coef);
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	jpeg_finish_decompress(&di);
	jpeg_destroy_decompress(&di);
}

START_TEST(dct_encode_tables_are_libjpegs)
{
	/* Sizes with and without partial MCUs (4:2:0 dummy blocks at the
	 * right and bottom), gray, 4:2:0 and 4:4:4, fine and coarse steps. */
	static const int sizes[][2] = { { 2, 1 }, { 7, 5 }, { 8, 8 },
	    { 15, 17 }, { 16, 16 }, { 24, 40 }, { 33, 47 }, { 90, 121 } };
	static const int steps[] = { 1, 4, 16, 60 };
	int tested = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (int ch = 1; ch <= 3; ch += 2)
			for (int sub = 0; sub <= 1; sub++) {
				struct zr_image a;
				struct zri_dct *d;

				if (ch == 1 && sub == 1)
					continue;
				fill_noisy(&a, sizes[i][0], sizes[i][1], ch,
				    (unsigned)(i * 7 + (size_t)ch));
				ck_assert_ptr_nonnull(d = zri_dct_new(&a, sub));
				for (size_t q = 0; q < sizeof(steps) /
				    sizeof(steps[0]); q++) {
					unsigned short l[64], c[64];
					unsigned char *j, *o;
					unsigned long olen;
					size_t n;

					for (int k = 0; k < 64; k++) {
						l[k] = (unsigned short)(
						    steps[q] + k / 4);
						c[k] = (unsigned short)(
						    2 * steps[q] + k / 3);
					}
					ck_assert_int_eq(zri_dct_encode(d, l, c,
					    0.1, 0, &j, &n, NULL), 0);
					libjpeg_optimised(j, n, &o, &olen);
					ck_assert_uint_eq(n, olen);
					ck_assert_mem_eq(j, o, n);
					free(j);
					free(o);
					tested++;
				}
				zri_dct_free(d);
				zr_image_free(&a);
			}
	ck_assert_int_eq(tested, 8 * 3 * 4);
}
END_TEST

/* zri_dct_sizes counts what zri_dct_encode writes (with no dead zone):
 * the markers and tables exactly, the coded blocks but for the 0x00 after
 * each 0xFF byte; a margin only ever adds. */
START_TEST(dct_sizes_count_the_encode)
{
	static const int sizes[][2] = { { 2, 1 }, { 15, 17 }, { 33, 47 },
	    { 90, 121 }, { 400, 300 } };
	static const int steps[] = { 1, 4, 16, 60 };
	int tested = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (int ch = 1; ch <= 3; ch += 2)
			for (int sub = 0; sub <= 1; sub++) {
				unsigned short l[4][64], c[4][64];
				long long head[4], data[4], mhead[4], mdata[4];
				struct zr_image a;
				struct zri_dct *d;

				if (ch == 1 && sub == 1)
					continue;
				fill_noisy(&a, sizes[i][0], sizes[i][1], ch,
				    (unsigned)(i * 5 + (size_t)ch));
				ck_assert_ptr_nonnull(d = zri_dct_new(&a, sub));
				for (int q = 0; q < 4; q++)
					for (int k = 0; k < 64; k++) {
						l[q][k] = (unsigned short)(
						    steps[q] + k / 4);
						c[q][k] = (unsigned short)(
						    2 * steps[q] + k / 3);
					}
				ck_assert_int_eq(zri_dct_sizes(d,
				    (const unsigned short (*)[64])l,
				    (const unsigned short (*)[64])c, 4, 0, head,
				    data, NULL), 0);
				ck_assert_int_eq(zri_dct_sizes(d,
				    (const unsigned short (*)[64])l,
				    (const unsigned short (*)[64])c, 4, 0.07,
				    mhead, mdata, NULL), 0);
				for (int q = 0; q < 4; q++) {
					unsigned char *j;
					size_t n, stuffed = 0, p;

					ck_assert_int_eq(zri_dct_encode(d, l[q],
					    c[q], 0, 0, &j, &n, NULL), 0);
					/* The coded data: after SOS's segment. */
					for (p = 2; p + 3 < n && !(j[p] == 0xFF &&
					    j[p + 1] == 0xDA); p += 2 + (size_t)(
					    j[p + 2] << 8 | j[p + 3]))
						;
					ck_assert_uint_lt(p + 3, n);
					ck_assert_int_eq(head[q], (long long)p +
					    (j[p + 2] << 8 | j[p + 3]) + 2 + 2);
					for (p += 4; p + 1 < n - 2; p++)
						stuffed += j[p] == 0xFF &&
						    j[p + 1] == 0x00;
					ck_assert_msg(llabs(data[q] - (long long)(
					    n - (size_t)head[q])) <= 1 +
					    (long long)stuffed + data[q] / 256,
					    "%dx%d ch %d step %d: counted %lld, "
					    "written %zu (%zu stuffed)",
					    sizes[i][0], sizes[i][1], ch, steps[q],
					    head[q] + data[q], n, stuffed);
					ck_assert_int_ge(mdata[q], data[q]);
					free(j);
					tested++;
				}
				zri_dct_free(d);
				zr_image_free(&a);
			}
	ck_assert_int_eq(tested, 5 * 3 * 4);
}
END_TEST

/* The public count (zr_jpeg_sizes) against libjpeg's own optimised
 * encode of the same pixels: close, and growing with the quality. */
START_TEST(jpeg_sizes_near_libjpeg)
{
	static const int q[] = { 40, 60, 75, 90 };
	long long head[4], data[4], prev = 0;

	ck_assert_int_eq(zr_jpeg_sizes(NULL, q, 0, 0.07, head, data, NULL), 0);
	for (int ch = 1; ch <= 3; ch += 2) {
		struct zr_image a;

		fill_noisy(&a, 320, 240, ch, (unsigned)ch + 40);
		ck_assert_int_eq(zr_jpeg_sizes(&a, q, 4, 0.07, head, data,
		    NULL), 0);
		prev = 0;
		for (int k = 0; k < 4; k++) {
			struct zr_jpeg_opts o;
			unsigned char *j;
			size_t n;
			double dev;

			memset(&o, 0, sizeof(o));
			o.quality = q[k];
			o.optimize = 1;
			ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j, &n, NULL), 0);
			dev = (double)(head[k] + data[k]) / (double)n - 1;
			ck_assert_msg(dev > -0.04 && dev < 0.04, "ch %d q %d: "
			    "counted %lld, written %zu", ch, q[k],
			    head[k] + data[k], n);
			ck_assert_int_gt(head[k] + data[k], prev);
			prev = head[k] + data[k];
			free(j);
		}
		zr_image_free(&a);
	}
}
END_TEST

/* ---- resampling ---- */

START_TEST(resize_flat_stays_flat)
{
	struct zr_image a, b;
	int sizes[][2] = { { 40, 30 }, { 7, 5 }, { 300, 200 }, { 1, 1 } };

	ck_assert_int_eq(zr_image_alloc(&a, 120, 90, 3, NULL), 0);
	memset(a.pixels, 77, 120 * 90 * 3);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ck_assert_int_eq(zr_image_resize(&a, sizes[i][0], sizes[i][1],
		    &b, NULL), 0);
		ck_assert_int_eq(b.width, sizes[i][0]);
		ck_assert_int_eq(b.height, sizes[i][1]);
		ck_assert_int_eq(b.channels, 3);
		for (size_t k = 0; k < (size_t)b.width * (size_t)b.height * 3; k++)
			ck_assert_int_eq(b.pixels[k], 77);
		zr_image_free(&b);
	}
	zr_image_free(&a);
}
END_TEST

START_TEST(resize_linear_light)
{
	struct zr_image a, b;

	/* A one-pixel black/white checkerboard averages to half the light,
	 * which is sRGB 188, not 128 (IEC 61966-2-1). */
	ck_assert_int_eq(zr_image_alloc(&a, 64, 64, 1, NULL), 0);
	for (int y = 0; y < 64; y++)
		for (int x = 0; x < 64; x++)
			a.pixels[y * 64 + x] = ((x + y) & 1) ? 255 : 0;
	ck_assert_int_eq(zr_image_resize(&a, 8, 8, &b, NULL), 0);  /* area */
	for (int i = 0; i < 64; i++)
		ck_assert_int_le(abs(b.pixels[i] - 188), 1);
	zr_image_free(&b);
	ck_assert_int_eq(zr_image_resize(&a, 32, 32, &b, NULL), 0);
	/* Lanczos at 2x: inside the image (away from the border). */
	for (int y = 4; y < 28; y++)
		for (int x = 4; x < 28; x++)
			ck_assert_int_le(abs(b.pixels[y * 32 + x] - 188), 4);
	zr_image_free(&b);
	zr_image_free(&a);
}
END_TEST

START_TEST(resize_keeps_edges_and_order)
{
	struct zr_image a, b;

	/* A horizontal ramp stays a non-decreasing ramp with its ends. */
	ck_assert_int_eq(zr_image_alloc(&a, 256, 4, 1, NULL), 0);
	for (int y = 0; y < 4; y++)
		for (int x = 0; x < 256; x++)
			a.pixels[y * 256 + x] = (unsigned char)x;
	ck_assert_int_eq(zr_image_resize(&a, 100, 4, &b, NULL), 0);
	for (int x = 1; x < 100; x++)
		ck_assert_int_ge(b.pixels[x] + 1, b.pixels[x - 1]);
	ck_assert_int_le(b.pixels[0], 3);
	ck_assert_int_ge(b.pixels[99], 252);
	zr_image_free(&b);
	/* Enlarging keeps it too, and a bad size is refused. */
	ck_assert_int_eq(zr_image_resize(&a, 600, 8, &b, NULL), 0);
	ck_assert_int_le(b.pixels[0], 3);
	ck_assert_int_ge(b.pixels[599], 252);
	zr_image_free(&b);
	{
		struct zr_error e;

		ck_assert_int_eq(zr_image_resize(&a, 0, 10, &b, &e), -1);
		ck_assert_int_eq(e.code, ZR_E_PIXELS);
	}
	zr_image_free(&a);
}
END_TEST

/* ---- JPEG encoding ---- */

START_TEST(encode_jfif_only)
{
	struct zr_image a, d;
	struct zr_jpeg_opts o = { .quality = 90, .subsample444 = 0,
	    .optimize = 1, .density_dpi = 300 };
	unsigned char *j = NULL;
	size_t n = 0;
	unsigned codes[32];
	int k;
	struct zr_image_info info;

	fill_gradient(&a, 96, 64, 3);
	ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j, &n, NULL), 0);
	k = markers(j, n, codes, 32);
	ck_assert_int_ge(k, 4);
	ck_assert_int_eq(codes[0], 0xE0);
	for (int i = 1; i < k; i++) {
		/* No APPn but the JFIF APP0, no COM; baseline SOF0. */
		ck_assert(codes[i] < 0xE0 || codes[i] > 0xEF);
		ck_assert(codes[i] != 0xFE);
		ck_assert(codes[i] != 0xC1 && codes[i] != 0xC2);
	}
	ck_assert_int_eq(zr_image_probe(j, n, "x", &info, NULL), 0);
	ck_assert_int_eq(info.format, ZR_IMG_JPEG);
	ck_assert_int_eq(info.width, 96);
	ck_assert_int_eq(info.height, 64);
	ck_assert_int_eq(info.progressive, 0);
	ck_assert_int_eq(info.has_exif, 0);
	ck_assert_double_eq_tol(info.xdpi, 300.0, 1e-9);
	ck_assert_int_eq(zr_image_decode(j, n, "x", NULL, &d, NULL, NULL), 0);
	ck_assert_int_eq(d.channels, 3);
	ck_assert(zr_image_ssim(&a, &d) > 0.95);
	zr_image_free(&d);
	free(j);
	zr_image_free(&a);
}
END_TEST

/* Sampling factor byte of component c in the SOF0 of j. */
static int
sof_sampling(const unsigned char *j, size_t n, int c)
{
	for (size_t i = 2; i + 4 < n; i++)
		if (j[i] == 0xFF && j[i + 1] == 0xC0)
			return j[i + 2 + 2 + 6 + 3 * (size_t)c + 1];
	return -1;
}

/* Same input, same bytes. */
static void
same_bytes_twice(const struct zr_image *a, const struct zr_jpeg_opts *o)
{
	unsigned char *j1, *j2;
	size_t n1, n2;

	ck_assert_int_eq(zr_jpeg_encode(a, o, &j1, &n1, NULL), 0);
	ck_assert_int_eq(zr_jpeg_encode(a, o, &j2, &n2, NULL), 0);
	ck_assert(n1 == n2 && memcmp(j1, j2, n1) == 0);
	free(j1);
	free(j2);
}

START_TEST(encode_options)
{
	struct zr_image a, g;
	struct zr_jpeg_opts o = { .quality = 75, .subsample444 = 0,
	    .optimize = 0, .density_dpi = 0 };
	unsigned char *j1, *j2, *j3;
	size_t n1, n2, n3;
	struct zr_error e;

	fill_gradient(&a, 128, 96, 3);
	ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j1, &n1, NULL), 0);
	o.optimize = 1;
	ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j2, &n2, NULL), 0);
	ck_assert(n2 < n1);     /* optimised Huffman tables are smaller */
	ck_assert_int_eq(sof_sampling(j2, n2, 0), 0x22);
	o.subsample444 = 1;
	ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j3, &n3, NULL), 0);
	ck_assert_int_eq(sof_sampling(j3, n3, 0), 0x11);
	ck_assert(n3 > n2);
	free(j1);
	free(j2);
	free(j3);
	same_bytes_twice(&a, &o);
	/* Gray stays one component. */
	ck_assert_int_eq(zr_image_to_gray(&a, &g, NULL), 0);
	ck_assert_int_eq(zr_jpeg_encode(&g, &o, &j1, &n1, NULL), 0);
	{
		struct zr_image_info info;

		ck_assert_int_eq(zr_image_probe(j1, n1, "g", &info, NULL), 0);
		ck_assert_int_eq(info.components, 1);
	}
	free(j1);
	o.quality = 0;
	ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j1, &n1, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	zr_image_free(&g);
	zr_image_free(&a);
}
END_TEST

/* The decoded pixels of two JPEGs are the same. */
static void
same_pixels(const unsigned char *j1, size_t n1, const unsigned char *j2,
    size_t n2)
{
	struct zr_image d1, d2;

	ck_assert_int_eq(zr_image_decode(j1, n1, "1", NULL, &d1, NULL, NULL),
	    0);
	ck_assert_int_eq(zr_image_decode(j2, n2, "2", NULL, &d2, NULL, NULL),
	    0);
	ck_assert_int_eq(d1.width, d2.width);
	ck_assert_int_eq(d1.height, d2.height);
	ck_assert_int_eq(d1.channels, d2.channels);
	ck_assert(memcmp(d1.pixels, d2.pixels, (size_t)d1.width *
	    (size_t)d1.height * (size_t)d1.channels) == 0);
	zr_image_free(&d1);
	zr_image_free(&d2);
}

/* optimize 2 (jpeg.c): tables from every 8th MCU row, completed. */
START_TEST(encode_sampled_tables)
{
	struct zr_image a, g;
	struct zr_jpeg_opts o = { .quality = 80, .subsample444 = 0,
	    .optimize = 1, .density_dpi = 0 };
	unsigned char *j0, *j1, *j2;
	size_t n0, n1, n2;
	int ch;

	srand(14);
	for (ch = 1; ch <= 3; ch += 2) {
		/* A noisy page, 64 MCU rows: the sample is 8 of them. */
		fill_gradient(&a, 400, 1024, ch);
		add_noise(&a, &a, 24);
		o.optimize = 0;
		ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j0, &n0, NULL), 0);
		o.optimize = 1;
		ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j1, &n1, NULL), 0);
		o.optimize = 2;
		ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j2, &n2, NULL), 0);
		/* Another code for the same coefficients: the same
		 * pixels, near the optimum, well under the standard
		 * tables, and not the full statistics' file. */
		same_pixels(j1, n1, j2, n2);
		ck_assert(n2 >= n1);
		ck_assert(n2 * 1000 <= n1 * 1010);
		ck_assert(n2 < n0);
		ck_assert(n2 != n1 || memcmp(j1, j2, n1) != 0);
		free(j0);
		free(j1);
		free(j2);
		same_bytes_twice(&a, &o);
		/* The sampled rows flat, the others noise: symbols the
		 * sample never saw are coded all the same. */
		for (int y = 0; y < a.height; y++) {
			int m = y / (ch == 3 ? 16 : 8);

			if (m % 8 == 4)
				memset(a.pixels + (size_t)y * (size_t)a.width *
				    (size_t)ch, 128, (size_t)a.width *
				    (size_t)ch);
		}
		o.optimize = 1;
		ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j1, &n1, NULL), 0);
		o.optimize = 2;
		ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j2, &n2, NULL), 0);
		same_pixels(j1, n1, j2, n2);
		free(j1);
		free(j2);
		zr_image_free(&a);
	}
	/* Too short for a sample (under 32 MCU rows): the full
	 * statistics, byte for byte. */
	fill_gradient(&g, 300, 496, 3);
	add_noise(&g, &g, 10);
	o.optimize = 1;
	ck_assert_int_eq(zr_jpeg_encode(&g, &o, &j1, &n1, NULL), 0);
	o.optimize = 2;
	ck_assert_int_eq(zr_jpeg_encode(&g, &o, &j2, &n2, NULL), 0);
	ck_assert(n1 == n2 && memcmp(j1, j2, n1) == 0);
	free(j1);
	free(j2);
	zr_image_free(&g);
}
END_TEST

/* ---- decoding ---- */

/* A progressive JPEG made with libjpeg directly. */
static unsigned char *
make_progressive(const struct zr_image *a, unsigned long *n)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr je;
	unsigned char *out = NULL;

	ci.err = jpeg_std_error(&je);
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &out, n);
	ci.image_width = (JDIMENSION)a->width;
	ci.image_height = (JDIMENSION)a->height;
	ci.input_components = 3;
	ci.in_color_space = JCS_RGB;
	jpeg_set_defaults(&ci);
	jpeg_simple_progression(&ci);
	jpeg_start_compress(&ci, TRUE);
	while (ci.next_scanline < ci.image_height) {
		JSAMPROW r = a->pixels + (size_t)ci.next_scanline *
		    (size_t)a->width * 3;

		jpeg_write_scanlines(&ci, &r, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	return out;
}

START_TEST(decode_progressive_and_scaled)
{
	struct zr_image a, d;
	struct zr_image_info info;
	struct zr_decode_opts o = { 0 };
	unsigned long n = 0;
	unsigned char *j;

	fill_gradient(&a, 200, 120, 3);
	j = make_progressive(&a, &n);
	ck_assert_int_eq(zr_image_decode(j, n, "p", NULL, &d, &info, NULL), 0);
	ck_assert_int_eq(info.progressive, 1);
	ck_assert_int_eq(d.width, 200);
	ck_assert(zr_image_ssim(&a, &d) > 0.9);
	zr_image_free(&d);
	/* At least 60x40: 3/8 scale gives 75x45. */
	o.min_width = 60;
	o.min_height = 40;
	ck_assert_int_eq(zr_image_decode(j, n, "p", &o, &d, NULL, NULL), 0);
	ck_assert_int_eq(d.width, 75);
	ck_assert_int_eq(d.height, 45);
	zr_image_free(&d);
	o.gray = 1;
	ck_assert_int_eq(zr_image_decode(j, n, "p", &o, &d, NULL, NULL), 0);
	ck_assert_int_eq(d.channels, 1);
	zr_image_free(&d);
	free(j);
	zr_image_free(&a);
}
END_TEST

START_TEST(decode_refusals)
{
	static const unsigned char pdf[] = "%PDF-1.7\n1 0 obj\n";
	static const unsigned char txt[] = "hello, world\n";
	/* SOI + SOF0 of 60000x60000, 3 components, and nothing else. */
	static const unsigned char bomb[] = {
		0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA,
		0x60, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11,
		0x01, 0xFF, 0xD9 };
	unsigned char twelve[sizeof(bomb)];
	struct zr_image d;
	struct zr_error e;

	ck_assert_int_eq(zr_image_decode(pdf, sizeof(pdf) - 1, "a.pdf", NULL,
	    &d, NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NOT_IMAGE);
	ck_assert_str_eq(e.subject, "a.pdf");
	ck_assert_ptr_nonnull(strstr(e.msg, "PDF passed by mistake"));
	ck_assert_int_eq(zr_image_decode(txt, sizeof(txt) - 1, "t", NULL, &d,
	    NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NOT_IMAGE);
	ck_assert_int_eq(zr_image_decode(txt, 0, "z", NULL, &d, NULL, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_EMPTY);
	ck_assert_int_eq(zr_image_decode(bomb, sizeof(bomb), "b", NULL, &d,
	    NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIXELS);
	ck_assert_ptr_null(d.pixels);
	memcpy(twelve, bomb, sizeof(bomb));
	twelve[6] = 12;
	twelve[7] = 0x01;   /* 256 x 60000: small, but 12-bit */
	twelve[8] = 0x00;
	ck_assert_int_eq(zr_image_decode(twelve, sizeof(twelve), "12", NULL,
	    &d, NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(e.msg, "12-bit"));
	/* SOI then nothing useful. */
	ck_assert_int_eq(zr_image_decode(bomb, 3, "s", NULL, &d, NULL, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
}
END_TEST

START_TEST(decode_truncated_is_error)
{
	struct zr_image a, d;
	struct zr_jpeg_opts o = { .quality = 90, .subsample444 = 1,
	    .optimize = 1, .density_dpi = 0 };
	unsigned char *j;
	size_t n;
	struct zr_error e;

	fill_gradient(&a, 160, 160, 3);
	ck_assert_int_eq(zr_jpeg_encode(&a, &o, &j, &n, NULL), 0);
	/* "Premature end of JPEG file" is a warning in libjpeg: an error here. */
	ck_assert_int_eq(zr_image_decode(j, n / 2, "half.jpg", NULL, &d, NULL,
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
	ck_assert_str_eq(e.subject, "half.jpg");
	ck_assert_ptr_null(d.pixels);
	/* Corrupt entropy data in the middle. */
	for (size_t i = n / 2; i < n / 2 + 64; i++)
		j[i] = 0xFF;
	ck_assert_int_eq(zr_image_decode(j, n, "bad.jpg", NULL, &d, NULL, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
	free(j);
	zr_image_free(&a);
}
END_TEST

/* Synthetic files from tests/fixtures.sh: a JPEG cut in its scan data,
 * a frame header over the pixel limit, Adobe CMYK, RGB without YCbCr. */
START_TEST(decode_fixture_files)
{
	unsigned char *b;
	size_t n;
	struct zr_image d;
	struct zr_image_info info;
	struct zr_error e;
	struct zr_decode_opts o = { .min_width = 300, .min_height = 400,
	    .apply_orientation = 1 };

	zr_fixture_read("truncated.jpg", &b, &n);
	ck_assert_int_eq(zr_image_decode(b, n, "t", NULL, &d, NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
	free(b);
	zr_fixture_read("giant.jpg", &b, &n);
	ck_assert_int_eq(zr_image_decode(b, n, "g", NULL, &d, NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIXELS);
	free(b);
	zr_fixture_read("cmyk.jpg", &b, &n);
	{
		ck_assert_int_eq(zr_image_decode(b, n, "c", NULL, &d, &info,
		    NULL), 0);
		ck_assert_int_eq(info.components, 4);
		ck_assert_int_eq(d.channels, 3);
		ck_assert_int_eq(d.width, 500);
		ck_assert_int_eq(d.height, 333);
		zr_image_free(&d);
		free(b);
	}
	zr_fixture_read("rgbt.jpg", &b, &n);
	{
		o.apply_orientation = 0;
		ck_assert_int_eq(zr_image_decode(b, n, "f", &o, &d, NULL,
		    NULL), 0);
		ck_assert_int_eq(d.width, 851);   /* 3/8: 1512 * 2/8 < 400 */
		ck_assert_int_eq(d.height, 567);
		zr_image_free(&d);
		free(b);
	}
}
END_TEST

/* ---- PNG ---- */

struct membuf {
	unsigned char *p;
	size_t n;
};

static void
mem_write(png_structp png, png_bytep d, size_t n)
{
	struct membuf *m = png_get_io_ptr(png);

	m->p = realloc(m->p, m->n + n);
	memcpy(m->p + m->n, d, n);
	m->n += n;
}

static void
mem_flush(png_structp png)
{
	(void)png;
}

/* An RGBA PNG: left half opaque red, right half transparent. */
static struct membuf
make_png(int w, int h, int interlace)
{
	struct membuf m = { NULL, 0 };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
	    NULL, NULL);
	png_infop pi = png_create_info_struct(png);
	unsigned char *row = malloc((size_t)w * 4);

	png_set_write_fn(png, &m, mem_write, mem_flush);
	png_set_IHDR(png, pi, (png_uint_32)w, (png_uint_32)h, 8,
	    PNG_COLOR_TYPE_RGBA, interlace ? PNG_INTERLACE_ADAM7 :
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, pi);
	for (int x = 0; x < w; x++) {
		unsigned char *p = row + 4 * x;

		p[0] = 255;
		p[1] = p[2] = 0;
		p[3] = x < w / 2 ? 255 : 0;
	}
	{
		int passes = png_set_interlace_handling(png);

		for (int pass = 0; pass < passes; pass++)
			for (int y = 0; y < h; y++)
				png_write_row(png, row);
	}
	png_write_end(png, pi);
	png_destroy_write_struct(&png, &pi);
	free(row);
	return m;
}

START_TEST(decode_png_alpha_on_white)
{
	struct membuf m;
	struct zr_image d;
	struct zr_image_info info;
	struct zr_error e;

	for (int il = 0; il < 2; il++) {
		m = make_png(20, 10, il);
		ck_assert_int_eq(zr_image_decode(m.p, m.n, "a.png", NULL, &d,
		    &info, NULL), 0);
		ck_assert_int_eq(info.format, ZR_IMG_PNG);
		ck_assert_int_eq(info.has_alpha, 1);
		ck_assert_int_eq(info.interlaced, il);
		ck_assert_int_eq(d.channels, 3);
		ck_assert_int_eq(d.width, 20);
		/* Opaque red stays red; transparent becomes white. */
		ck_assert_int_eq(d.pixels[0], 255);
		ck_assert_int_eq(d.pixels[1], 0);
		ck_assert_int_eq(d.pixels[(19) * 3 + 1], 255);
		ck_assert_int_eq(d.pixels[(19) * 3 + 2], 255);
		zr_image_free(&d);
		/* Cut short: an error, not a partial image. */
		ck_assert_int_eq(zr_image_decode(m.p, m.n - 20, "a.png", NULL,
		    &d, NULL, &e), -1);
		ck_assert_int_eq(e.code, ZR_E_IMAGE);
		/* A bad CRC in IDAT. */
		m.p[m.n - 20] ^= 0x55;
		ck_assert_int_eq(zr_image_decode(m.p, m.n, "a.png", NULL, &d,
		    NULL, &e), -1);
		ck_assert_int_eq(e.code, ZR_E_IMAGE);
		free(m.p);
	}
}
END_TEST

START_TEST(png_bomb_header)
{
	struct membuf m = make_png(4, 4, 0);
	struct zr_image d;
	struct zr_error e;

	/* IHDR width and height 60000 (CRC left wrong: refused before). */
	m.p[16] = 0; m.p[17] = 0; m.p[18] = 0xEA; m.p[19] = 0x60;
	m.p[20] = 0; m.p[21] = 0; m.p[22] = 0xEA; m.p[23] = 0x60;
	ck_assert_int_eq(zr_image_decode(m.p, m.n, "b.png", NULL, &d, NULL,
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIXELS);
	free(m.p);
}
END_TEST

START_TEST(crop_and_orient_helpers)
{
	struct zr_image a, c;
	struct zr_error e;

	fill_gradient(&a, 10, 6, 1);
	ck_assert_int_eq(zr_image_crop(&a, 2, 1, 5, 4, &c, NULL), 0);
	ck_assert_int_eq(c.pixels[0], a.pixels[1 * 10 + 2]);
	ck_assert_int_eq(c.pixels[3 * 5 + 4], a.pixels[4 * 10 + 6]);
	zr_image_free(&c);
	ck_assert_int_eq(zr_image_crop(&a, 6, 0, 5, 4, &c, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	ck_assert_int_eq(zr_image_orient(&a, 9, &c, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	/* 6 then 8 is the identity. */
	{
		struct zr_image r;

		ck_assert_int_eq(zr_image_orient(&a, 6, &c, NULL), 0);
		ck_assert_int_eq(c.width, 6);
		ck_assert_int_eq(zr_image_orient(&c, 8, &r, NULL), 0);
		ck_assert_int_eq(memcmp(r.pixels, a.pixels, 60), 0);
		zr_image_free(&r);
		zr_image_free(&c);
	}
	zr_image_free(&a);
}
END_TEST

Suite *
zr_image_suite(void)
{
	Suite *s = suite_create("image");
	TCase *t = tcase_create("image");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, ssim_identical_is_one);
	tcase_add_test(t, ssim_known_offset);
	tcase_add_test(t, ssim_inverted_and_noise);
	tcase_add_test(t, ssim_matches_direct_windows);
	tcase_add_test(t, dct_encode_tables_are_libjpegs);
	tcase_add_test(t, dct_sizes_count_the_encode);
	tcase_add_test(t, jpeg_sizes_near_libjpeg);
	tcase_add_test(t, resize_flat_stays_flat);
	tcase_add_test(t, resize_linear_light);
	tcase_add_test(t, resize_keeps_edges_and_order);
	tcase_add_test(t, encode_jfif_only);
	tcase_add_test(t, encode_options);
	tcase_add_test(t, encode_sampled_tables);
	tcase_add_test(t, decode_progressive_and_scaled);
	tcase_add_test(t, decode_refusals);
	tcase_add_test(t, decode_truncated_is_error);
	tcase_add_test(t, decode_fixture_files);
	tcase_add_test(t, decode_png_alpha_on_white);
	tcase_add_test(t, png_bomb_header);
	tcase_add_test(t, crop_and_orient_helpers);
	suite_add_tcase(s, t);
	return s;
}
