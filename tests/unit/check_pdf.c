/* zairyu-tools: unit tests for the PDF merge, image recompression and check. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <zlib.h>

#include "zr_test.h"
#include "../../lib/pdf/pdfint.h"

/* A scan-like page: paper with noise, dark "text" strokes, optionally a
 * red seal. */
static void
make_page(struct zr_image *im, int w, int h, int channels, int seal)
{
	int x, y, c;
	unsigned v;

	im->width = w;
	im->height = h;
	im->channels = channels;
	im->pixels = malloc((size_t)w * (size_t)h * (size_t)channels);
	ck_assert_ptr_nonnull(im->pixels);
	v = 12345;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			unsigned char *p = im->pixels + ((size_t)y * (size_t)w +
			    (size_t)x) * (size_t)channels;
			int ink = (y / 6) % 4 == 1 && (x / 5) % 7 != 3;
			int base;

			v = v * 1103515245u + 12345u;
			base = ink ? 30 : 235;
			base += (int)((v >> 16) % 9) - 4;
			for (c = 0; c < channels; c++)
				p[c] = (unsigned char)base;
			if (seal && channels == 3 && (x - w * 3 / 4) *
			    (x - w * 3 / 4) + (y - h / 4) * (y - h / 4) <
			    (w / 10) * (w / 10)) {
				p[0] = 200;
				p[1] = 30;
				p[2] = 40;
			}
		}
}

static void
write_jpeg(const char *path, const struct zr_image *im, int quality, int dpi)
{
	struct zr_jpeg_opts o;
	unsigned char *buf;
	size_t len;
	FILE *fp;

	memset(&o, 0, sizeof(o));
	o.quality = quality;
	o.density_dpi = dpi;
	ck_assert_int_eq(zr_jpeg_encode(im, &o, &buf, &len, NULL), 0);
	fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(buf, 1, len, fp), len);
	fclose(fp);
	free(buf);
}

START_TEST(test_limits)
{
	struct zr_pdf_limits l;
	struct zr_error e;

	/* rules-facts §2: old system one PDF of 10 MB. */
	ck_assert_int_eq(zr_pdf_limits_at(ZR_D(2025, 12, 1), &l, &e), 0);
	ck_assert_int_eq(l.generation, 1);
	ck_assert_int_eq(l.max_files, 1);
	ck_assert_int_eq(l.max_file_bytes, 10000000);
	ck_assert_int_eq(zr_pdf_default_budget(&l, -1), 10000000);
	/* New system from 2026-01-05: 20 files, 25 MB with the photo. */
	ck_assert_int_eq(zr_pdf_limits_at(ZR_D(2026, 1, 5), &l, &e), 0);
	ck_assert_int_eq(l.max_files, 20);
	ck_assert_int_eq(l.max_total_bytes, 25000000);
	ck_assert_int_eq(zr_pdf_default_budget(&l, -1), 25000000 -
	    l.photo_bytes);
	ck_assert_int_eq(zr_pdf_default_budget(&l, 5000000), 20000000);
	ck_assert_int_eq(zr_pdf_default_budget(&l, 30000000), 0);
	ck_assert_int_eq(zr_pdf_limits_at(ZR_D(2000, 1, 1), &l, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NO_RULE);
}
END_TEST

/* PNG's five filter types, one per row in turn (ISO 32000-1 7.4.4.4,
 * PNG 1.2 section 6), each undone to the pixels; a sixth type is bad
 * data, not a guess. */
static int
paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

START_TEST(test_decode_flate_png_filters)
{
	enum { W = 7, H = 10, C = 3, R = W * C };
	struct zr_pdf_imgfmt f = { .width = W, .height = H, .components = C,
	    .bpc = 8, .filter = ZR_PDF_FLATE, .predictor = 15 };
	unsigned char px[H * R], pred[H * (R + 1)], z[1024];
	uLongf zl = sizeof(z);
	struct zr_image out;
	struct zr_error e;
	int x, y;

	/* Values from a small set (ties between Paeth's three distances)
	 * and wide ones (sums past 255) in turn. */
	for (x = 0; x < H * R; x++)
		px[x] = (unsigned char)(x / R % 3 == 2 ? (x * 37 + x / R * 11) ^
		    (x * x >> 3) : x * 7 % 4 * 10);
	/* Row 4 is Paeth's: where two distances tie, the order decides
	 * (left, then up, then up-left).  Left 0, up 30, up-left 10: up
	 * and up-left tie, up is taken; left 0, up 15, up-left 10: left
	 * and up-left tie, left is taken. */
	px[4 * R] = 0;
	px[3 * R + C] = 30;
	px[3 * R] = 10;
	px[4 * R + 1] = 0;
	px[3 * R + C + 1] = 15;
	px[3 * R + 1] = 10;
	for (y = 0; y < H; y++) {
		int t = y % 5;

		pred[y * (R + 1)] = (unsigned char)t;
		for (x = 0; x < R; x++) {
			int a = x >= C ? px[y * R + x - C] : 0;
			int b = y > 0 ? px[(y - 1) * R + x] : 0;
			int c = x >= C && y > 0 ? px[(y - 1) * R + x - C] : 0;
			int p = t == 0 ? 0 : t == 1 ? a : t == 2 ? b :
			    t == 3 ? (a + b) / 2 : paeth(a, b, c);

			pred[y * (R + 1) + 1 + x] = (unsigned char)(px[y * R +
			    x] - p);
		}
	}
	ck_assert_int_eq(compress2(z, &zl, pred, sizeof(pred), 9), Z_OK);
	ck_assert_int_eq(zr_pdf_image_decode(&f, z, zl, 0, 0, &out, &e), 0);
	ck_assert_int_eq(out.width, W);
	ck_assert_int_eq(out.height, H);
	ck_assert_mem_eq(out.pixels, px, sizeof(px));
	zr_image_free(&out);
	pred[3 * (R + 1)] = 5;
	zl = sizeof(z);
	ck_assert_int_eq(compress2(z, &zl, pred, sizeof(pred), 9), Z_OK);
	ck_assert_int_eq(zr_pdf_image_decode(&f, z, zl, 0, 0, &out, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
}
END_TEST

/* Flate samples with a PNG "Up" predictor decode to the pixels. */
START_TEST(test_decode_flate_predictor)
{
	struct zr_pdf_imgfmt f = { .width = 5, .height = 3, .components = 3,
	    .bpc = 8, .filter = ZR_PDF_FLATE, .predictor = 12 };
	unsigned char px[45], pred[48], z[200];
	uLongf zl = sizeof(z);
	struct zr_image out;
	struct zr_error e;
	int i, y;

	for (i = 0; i < 45; i++)
		px[i] = (unsigned char)(i * 5 + 3);
	for (y = 0; y < 3; y++) {
		pred[y * 16] = 2;
		for (i = 0; i < 15; i++)
			pred[y * 16 + 1 + i] = (unsigned char)(px[y * 15 + i] -
			    (y > 0 ? px[(y - 1) * 15 + i] : 0));
	}
	ck_assert_int_eq(compress2(z, &zl, pred, sizeof(pred), 9), Z_OK);
	ck_assert_int_eq(zr_pdf_image_decode(&f, z, zl, 0, 0, &out, &e), 0);
	ck_assert_int_eq(out.width, 5);
	ck_assert_int_eq(out.channels, 3);
	ck_assert_mem_eq(out.pixels, px, 45);
	zr_image_free(&out);
	/* Short data is an error, not a half image. */
	f.height = 4;
	ck_assert_int_eq(zr_pdf_image_decode(&f, z, zl, 0, 0, &out, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
	/* A bomb's header is refused before any work. */
	f.width = f.height = 35000;
	ck_assert_int_eq(zr_pdf_image_decode(&f, z, zl, 0, 0, &out, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIXELS);
	/* Bilevel samples are not ours to recompress. */
	f.width = f.height = 8;
	f.bpc = 1;
	ck_assert_int_eq(zr_pdf_image_decode(&f, z, zl, 0, 0, &out, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UNSUPPORTED);
}
END_TEST

START_TEST(test_near_gray)
{
	struct zr_image a, b;

	make_page(&a, 400, 300, 3, 0);
	make_page(&b, 400, 300, 3, 1);
	ck_assert_int_eq(zr_pdf_image_near_gray(&a), 1);
	/* A red seal keeps the scan in colour. */
	ck_assert_int_eq(zr_pdf_image_near_gray(&b), 0);
	zr_image_free(&a);
	zr_image_free(&b);
}
END_TEST

/* The gray test as first written (one pixel at a time, with branches):
 * the vectorised one must decide the same for every image. */
static int
near_gray_ref(const struct zr_image *img)
{
	size_t n, x, y, strong = 0, mild = 0;
	const unsigned char *p;

	n = (((size_t)img->width + 1) / 2) * (((size_t)img->height + 1) / 2);
	for (y = 0; y < (size_t)img->height; y += 2) {
		p = img->pixels + y * (size_t)img->width * 3;
		for (x = 0; x < (size_t)img->width; x += 2, p += 6) {
			int mx = p[0], mn = p[0];

			mx = p[1] > mx ? p[1] : mx;
			mn = p[1] < mn ? p[1] : mn;
			mx = p[2] > mx ? p[2] : mx;
			mn = p[2] < mn ? p[2] : mn;
			if (mx - mn > 48)
				strong++;
			else if (mx - mn > 24)
				mild++;
		}
		if (strong * 5000 > n || (strong + mild) * 50 > n)
			return 0;
	}
	return 1;
}

START_TEST(test_near_gray_same)
{
	unsigned v = 777;
	int it, yes = 0, no = 0;

	/* Odd and even sizes, a spread of colour around each decision
	 * threshold (24 and 48 apart, 2 % and 0.02 % of the pixels). */
	for (it = 0; it < 400; it++) {
		struct zr_image im;
		size_t i, np;
		int spread, rare;

		v = v * 1103515245u + 12345u;
		im.width = 1 + (int)((v >> 8) % 157);
		v = v * 1103515245u + 12345u;
		im.height = 1 + (int)((v >> 8) % 131);
		im.channels = 3;
		np = (size_t)im.width * (size_t)im.height;
		im.pixels = malloc(np * 3);
		ck_assert_ptr_nonnull(im.pixels);
		spread = 20 + it % 8;
		rare = 20 + it % 60;
		for (i = 0; i < np; i++) {
			int g, c, d;

			v = v * 1103515245u + 12345u;
			g = (int)((v >> 8) % 256);
			d = (int)((v >> 20) % (unsigned)spread);
			if ((v >> 4) % (unsigned)rare == 0)
				d += 30;
			for (c = 0; c < 3; c++) {
				int t = g + (c == (int)(i % 3) ? d : 0);

				im.pixels[3 * i + (size_t)c] =
				    (unsigned char)(t > 255 ? 255 : t);
			}
		}
		if (near_gray_ref(&im))
			yes++;
		else
			no++;
		ck_assert_int_eq(zr_pdf_image_near_gray(&im),
		    near_gray_ref(&im));
		zr_image_free(&im);
	}
	/* Both answers were tried. */
	ck_assert_int_gt(yes, 20);
	ck_assert_int_gt(no, 20);
}
END_TEST

/* zri_luma against the formula, for every RGB triple, and in place. */
START_TEST(test_luma_exact)
{
	enum { N = 65536 };
	unsigned char *rgb = malloc(3 * N), *d = malloc(N), *ip = malloc(3 * N);
	int r, i;

	ck_assert(rgb != NULL && d != NULL && ip != NULL);
	for (r = 0; r < 256; r++) {
		for (i = 0; i < N; i++) {
			rgb[3 * i] = (unsigned char)r;
			rgb[3 * i + 1] = (unsigned char)(i >> 8);
			rgb[3 * i + 2] = (unsigned char)(i & 255);
		}
		memcpy(ip, rgb, 3 * N);
		zri_luma(d, rgb, N);
		/* An odd count in place: blocks overlap their source. */
		zri_luma(ip, ip, N - 5);
		for (i = 0; i < N; i++) {
			int want = (299 * r + 587 * (i >> 8) + 114 *
			    (i & 255) + 500) / 1000;

			if (d[i] != want || (i < N - 5 && ip[i] != want))
				ck_abort_msg("luma of %d,%d,%d: %d / %d, not %d",
				    r, i >> 8, i & 255, d[i], ip[i], want);
		}
	}
	free(rgb);
	free(d);
	free(ip);
}
END_TEST

START_TEST(test_recode_and_estimate)
{
	struct zr_image page, back;
	unsigned char *jpg;
	size_t len;
	long long est[2];
	int q[2] = { 85, 60 };
	struct zr_error e;
	double r;

	make_page(&page, 1240, 1754, 3, 1);
	/* Downsample to 2/3 and store as gray. */
	ck_assert_int_eq(zr_pdf_image_recode(&page, 827, 1169, 1, 85, &jpg,
	    &len, &e), 0);
	ck_assert_int_eq(zr_image_decode(jpg, len, "t", NULL, &back, NULL,
	    &e), 0);
	ck_assert_int_eq(back.width, 827);
	ck_assert_int_eq(back.height, 1169);
	ck_assert_int_eq(back.channels, 1);
	zr_image_free(&back);
	/* The band estimate is close to the real size. */
	ck_assert_int_eq(zr_pdf_image_estimate(&page, 827, 1169, 1, q, 2, est,
	    &e), 0);
	r = (double)est[0] / (double)len;
	ck_assert_msg(r > 0.8 && r < 1.25, "estimate %lld vs real %zu",
	    est[0], len);
	ck_assert_int_lt(est[1], est[0]);
	free(jpg);
	ck_assert_int_eq(zr_pdf_image_recode(&page, 0, 10, 0, 85, &jpg, &len,
	    &e), -1);
	zr_image_free(&page);
}
END_TEST

/* The band estimate (one DCT, sizes counted at every quality) against
 * the real encode, whole pages and downsampled, colour and gray, on a
 * page alike from top to bottom (smooth colour under sensor-like noise:
 * make_page's stripes alias with the bands, whatever counts them). */
START_TEST(test_estimate_tracks_encode)
{
	struct zr_image page;
	int q[3] = { 90, 75, 60 }, dims[2][2] = { { 1240, 1754 },
	    { 827, 1169 } };
	long long est[3];
	struct zr_error e;
	unsigned v = 777;

	ck_assert_int_eq(zr_image_alloc(&page, 1240, 1754, 3, &e), 0);
	for (int y = 0; y < 1754; y++)
		for (int x = 0; x < 1240; x++)
			for (int c = 0; c < 3; c++) {
				v = v * 1103515245u + 12345u;
				page.pixels[((size_t)y * 1240 + (size_t)x) * 3 +
				    (size_t)c] = (unsigned char)(60 + (x * (c +
				    1) + y * (3 - c)) % 120 / 2 + (int)((v >>
				    16) % 25));
			}
	for (int d = 0; d < 2; d++)
		for (int gray = 0; gray <= 1; gray++) {
			ck_assert_int_eq(zr_pdf_image_estimate(&page,
			    dims[d][0], dims[d][1], gray, q, 3, est, &e), 0);
			for (int i = 0; i < 3; i++) {
				unsigned char *jpg;
				size_t len;
				double r;

				ck_assert_int_eq(zr_pdf_image_recode(&page,
				    dims[d][0], dims[d][1], gray, q[i], &jpg,
				    &len, &e), 0);
				r = (double)est[i] / (double)len;
				ck_assert_msg(r > 0.95 && r < 1.05, "%dx%d gray "
				    "%d q%d: estimate %lld, real %zu",
				    dims[d][0], dims[d][1], gray, q[i], est[i],
				    len);
				if (i > 0)
					ck_assert_int_lt(est[i], est[i - 1]);
				free(jpg);
			}
		}
	zr_image_free(&page);
}
END_TEST

struct placed {
	int n;
	char name[8][16];
	struct zri_ctm m[8];
};

static void
on_do(void *ctx, const char *name, const struct zri_ctm *m, int depth)
{
	struct placed *p = ctx;

	(void)depth;
	if (p->n < 8) {
		snprintf(p->name[p->n], sizeof(p->name[0]), "%s", name);
		p->m[p->n++] = *m;
	}
}

START_TEST(test_content_scan)
{
	static const char c[] =
	    "% comment with /Fake Do\n"
	    "q 612 0 0 792 0 0 cm /Im0 Do Q\n"
	    "BT (a string with /Im9 Do and \\) paren) Tj ET\n"
	    "q 0.5 0 0 0.5 10 20 cm q 0 -100 200 0 0 100 cm /Im1 Do Q "
	    "BI /W 2 /H 2 /CS /G /BPC 8 ID \x01Do\x02\x03 EI /Im2 Do Q\n";
	struct zri_ctm id = { 1, 0, 0, 1, 0, 0 };
	struct placed p;

	memset(&p, 0, sizeof(p));
	zri_content_scan((const unsigned char *)c, sizeof(c) - 1, &id, on_do,
	    &p, 0);
	ck_assert_int_eq(p.n, 3);
	ck_assert_str_eq(p.name[0], "/Im0");
	ck_assert(p.m[0].a == 612 && p.m[0].d == 792);
	/* Rotated and scaled: the image's x axis is 100 units long. */
	ck_assert_str_eq(p.name[1], "/Im1");
	ck_assert(p.m[1].a == 0 && p.m[1].b == -50 && p.m[1].c == 100);
	ck_assert(p.m[1].e == 10 && p.m[1].f == 70);
	/* After the inline image, the outer q state is back. */
	ck_assert_str_eq(p.name[2], "/Im2");
	ck_assert(p.m[2].a == 0.5 && p.m[2].e == 10);
}
END_TEST

/* A smooth picture (no detail finer than a few pixels), for comparing
 * two ways of making it smaller. */
static void
make_smooth(struct zr_image *im, int w, int h)
{
	int x, y;

	im->width = w;
	im->height = h;
	im->channels = 3;
	im->pixels = malloc((size_t)w * (size_t)h * 3);
	ck_assert_ptr_nonnull(im->pixels);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			unsigned char *p = im->pixels + ((size_t)y *
			    (size_t)w + (size_t)x) * 3;

			p[0] = (unsigned char)(128 + 90 * sin(x / 41.0) *
			    cos(y / 53.0));
			p[1] = (unsigned char)(40 + (150 * x) / w);
			p[2] = (unsigned char)(200 - (150 * y) / h);
		}
}

/* libjpeg's M/8 scaling, as the budget search uses it: the size asked
 * for gives the smallest M/8 at or above it, and the pixels are close to
 * a full decode resampled to that size. */
START_TEST(test_scaled_decode)
{
	static const int want[][3] = {
		/* min width, min height -> M */
		{ 480, 360, 4 }, { 600, 450, 5 }, { 500, 300, 5 },
		{ 720, 540, 6 }, { 840, 10, 7 }, { 841, 10, 8 },
		{ 1, 1, 1 }, { 121, 1, 2 },
	};
	struct zr_image src, full, sc, rs;
	struct zr_pdf_imgfmt f;
	struct zr_jpeg_opts jo;
	unsigned char *jpg;
	size_t len, i, n;
	double sum;
	long worst;
	int w = 960, h = 720, tw, th;

	make_smooth(&src, w, h);
	memset(&jo, 0, sizeof(jo));
	jo.quality = 95;
	jo.subsample444 = 1;
	ck_assert_int_eq(zr_jpeg_encode(&src, &jo, &jpg, &len, NULL), 0);
	memset(&f, 0, sizeof(f));
	f.width = w;
	f.height = h;
	f.components = 3;
	f.bpc = 8;
	f.filter = ZR_PDF_DCT;
	ck_assert_int_eq(zr_pdf_image_decode(&f, jpg, len, 0, 0, &full, NULL),
	    0);
	ck_assert_int_eq(full.width, w);
	ck_assert_int_eq(full.height, h);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		tw = (w * want[i][2] + 7) / 8;
		th = (h * want[i][2] + 7) / 8;
		ck_assert_int_eq(zr_pdf_image_decode(&f, jpg, len, want[i][0],
		    want[i][1], &sc, NULL), 0);
		ck_assert_msg(sc.width == tw && sc.height == th,
		    "min %dx%d: %dx%d, not %d/8 (%dx%d)", want[i][0],
		    want[i][1], sc.width, sc.height, want[i][2], tw, th);
		ck_assert_int_eq(sc.channels, 3);
		if (want[i][2] >= 4) {
			/* Against the full decode made as small. */
			ck_assert_int_eq(zr_image_resize(&full, tw, th, &rs,
			    NULL), 0);
			n = (size_t)tw * (size_t)th * 3;
			sum = 0;
			worst = 0;
			for (size_t k = 0; k < n; k++) {
				long d = labs((long)sc.pixels[k] -
				    (long)rs.pixels[k]);

				sum += (double)d;
				if (d > worst)
					worst = d;
			}
			ck_assert_msg(sum / (double)n < 1.5 && worst <= 24,
			    "%d/8: mean difference %.2f, worst %ld",
			    want[i][2], sum / (double)n, worst);
			zr_image_free(&rs);
		}
		zr_image_free(&sc);
	}
	/* Gray: the luma alone, at the same scale. */
	f.gray = 1;
	ck_assert_int_eq(zr_pdf_image_decode(&f, jpg, len, 600, 450, &sc,
	    NULL), 0);
	ck_assert_int_eq(sc.channels, 1);
	ck_assert_int_eq(sc.width, 600);
	zr_image_free(&sc);
	zr_image_free(&full);
	zr_image_free(&src);
	free(jpg);
}
END_TEST

static char dir[64];

/* The budget search: three 150 dpi A4 scans, a budget only a lower
 * resolution meets, the same bytes twice, and a budget nothing meets. */
START_TEST(test_merge_budget)
{
	struct zr_image page;
	struct zr_pdf_input in[3];
	struct zr_pdf_opts o;
	struct zr_pdf_result r1, r2, r3;
	struct zr_pdf_check_opts co;
	struct zr_pdf_check_result cr;
	struct zr_error e;
	char path[3][96], out[96];
	const char *paths[1];
	int i;

	zr_test_tmpdir(dir, sizeof(dir));
	for (i = 0; i < 3; i++) {
		make_page(&page, 1240, 1754, 3, i == 2);
		snprintf(path[i], sizeof(path[i]), "%s/scan%d.jpg", dir, i);
		write_jpeg(path[i], &page, 95, 150);
		zr_image_free(&page);
		in[i].path = path[i];
		in[i].title = i == 0 ? "Form" : NULL;
	}
	memset(&o, 0, sizeof(o));
	o.floor_dpi = 75;
	o.floor_quality = 50;
	o.source_date_epoch = -1;
	o.self_check = 1;
	/* No budget: the JPEGs go in as they are. */
	ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &r1, &e), 0);
	ck_assert_int_eq(r1.pages, 3);
	ck_assert_int_eq(r1.level_dpi, 0);
	ck_assert_int_eq(r1.inputs[2].first_page, 3);
	ck_assert_int_eq(r1.inputs[0].min_dpi, 150);
	/* A budget that holds them: the measuring write is the output, the
	 * same bytes as with no budget at all. */
	o.max_bytes = r1.bytes_out + 1;
	ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &r2, &e), 0);
	ck_assert_int_eq(r2.level_dpi, 0);
	ck_assert_uint_eq(r1.pdf_len, r2.pdf_len);
	ck_assert_mem_eq(r1.pdf, r2.pdf, r1.pdf_len);
	zr_pdf_result_free(&r2);
	o.max_bytes = r1.bytes_out / 4;
	zr_pdf_result_free(&r1);
	ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &r1, &e), 0);
	ck_assert_int_le(r1.bytes_out, o.max_bytes);
	ck_assert_int_gt(r1.level_dpi, 0);
	ck_assert_int_ge(r1.level_dpi, 75);
	ck_assert_int_ge(r1.level_quality, 50);
	ck_assert_int_eq(r1.inputs[0].images_recoded, 1);
	/* The gray pages became gray, the one with a seal did not. */
	ck_assert_int_eq(r1.inputs[0].images_gray, 1);
	ck_assert_int_eq(r1.inputs[2].images_gray, 0);
	ck_assert_int_le(r1.inputs[0].min_dpi, r1.level_dpi);
	/* Determinism. */
	ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &r2, &e), 0);
	ck_assert_uint_eq(r1.pdf_len, r2.pdf_len);
	ck_assert_mem_eq(r1.pdf, r2.pdf, r1.pdf_len);
	zr_pdf_result_free(&r2);
	/* Into the caller's file (replacing what it held): the same bytes,
	 * none in memory; with a budget that holds the images (the kept
	 * measuring write copied in) and with one that binds. */
	{
		long long budgets[2] = { o.max_bytes, 0 };
		struct zr_pdf_result rn;
		FILE *f;

		ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &r2, &e), 0);
		o.max_bytes = 0;
		ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &rn, &e), 0);
		budgets[1] = rn.bytes_out + 1;
		for (int b = 0; b < 2; b++) {
			struct zr_pdf_result rf;
			unsigned char *got;
			size_t glen;

			ck_assert_ptr_nonnull(f = tmpfile());
			ck_assert_int_eq(fputs("old content, longer than "
			    "nothing", f) >= 0, 1);
			o.max_bytes = budgets[b];
			o.out = f;
			ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &rf, &e), 0);
			o.out = NULL;
			ck_assert_ptr_null(rf.pdf);
			ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
			glen = (size_t)ftell(f);
			rewind(f);
			ck_assert_ptr_nonnull(got = malloc(glen));
			ck_assert_uint_eq(fread(got, 1, glen, f), glen);
			ck_assert_uint_eq(glen, rf.pdf_len);
			if (b == 0) {
				ck_assert_uint_eq(glen, r2.pdf_len);
				ck_assert_mem_eq(got, r2.pdf, glen);
			} else {
				ck_assert_uint_eq(glen, rn.pdf_len);
				ck_assert_mem_eq(got, rn.pdf, glen);
			}
			free(got);
			fclose(f);
			zr_pdf_result_free(&rf);
		}
		o.max_bytes = budgets[0];
		zr_pdf_result_free(&rn);
		/* Not a regular file: refused before anything is read. */
		{
			int fds[2];

			ck_assert_int_eq(pipe(fds), 0);
			ck_assert_ptr_nonnull(f = fdopen(fds[1], "w"));
			o.out = f;
			ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &rn, &e), -1);
			ck_assert_int_eq(e.code, ZR_E_USAGE);
			o.out = NULL;
			fclose(f);
			close(fds[0]);
		}
	}
	/* The result passes the portal check. */
	snprintf(out, sizeof(out), "%s/out.pdf", dir);
	ck_assert_int_eq(zr_write_file(out, r1.pdf, r1.pdf_len, 1, NULL, 0,
	    &e), 0);
	memset(&co, 0, sizeof(co));
	ck_assert_int_eq(zr_pdf_limits_at(ZR_D(2026, 2, 1), &co.limits, &e),
	    0);
	co.reserve = -1;
	paths[0] = out;
	ck_assert_int_eq(zr_pdf_check(paths, 1, &co, &cr, &e), 0);
	ck_assert_int_eq(cr.violations, 0);
	ck_assert_int_eq(cr.files[0].pages, 3);
	ck_assert_int_le(cr.files[0].min_dpi, r1.level_dpi);
	ck_assert_int_gt(cr.files[0].min_dpi, 0);
	zr_pdf_check_free(&cr);
	zr_pdf_result_free(&r1);
	zr_pdf_result_free(&r2);
	/* Nothing fits 5 kB: the inputs are named, largest first. */
	o.max_bytes = 5000;
	ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &r3, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NO_FIT);
	ck_assert_ptr_nonnull(strstr(e.msg, "largest inputs: "));
	ck_assert_ptr_nonnull(strstr(e.msg, "scan"));
	ck_assert_ptr_null(r3.pdf);
	zr_pdf_result_free(&r3);
	(void)zr_test_rmdir(dir);
}
END_TEST

/*
 * The budget search at the library level (issue 14): over a sweep of
 * budgets, every one from the first that can be met upwards is met, a
 * binding one is used to at least 90 %, and a larger budget never gives
 * a smaller file or a lower level.
 */
START_TEST(test_budget_sweep)
{
	static const int pct[] = { 10, 14, 16, 18, 20, 22, 24, 27, 30, 34 };
	struct zr_image page;
	struct zr_pdf_input in[4];
	struct zr_pdf_opts o;
	struct zr_pdf_result r;
	struct zr_error e;
	char path[4][96];
	long long full, prev = 0;
	int i, pd = 0, pq = 0, fits = 0;

	zr_test_tmpdir(dir, sizeof(dir));
	for (i = 0; i < 4; i++) {
		/* Gray and colour pages, 300 and 200 dpi, noisy as scans. */
		make_page(&page, i == 3 ? 600 : 900, i == 3 ? 800 : 1200, 3,
		    i == 1);
		snprintf(path[i], sizeof(path[i]), "%s/p%d.jpg", dir, i);
		write_jpeg(path[i], &page, 95, i == 3 ? 200 : 300);
		zr_image_free(&page);
		in[i].path = path[i];
		in[i].title = NULL;
	}
	memset(&o, 0, sizeof(o));
	o.source_date_epoch = -1;
	ck_assert_int_eq(zr_pdf_merge(in, 4, &o, &r, &e), 0);
	full = r.bytes_out;
	zr_pdf_result_free(&r);
	for (i = 0; i < (int)(sizeof(pct) / sizeof(pct[0])); i++) {
		o.max_bytes = full * pct[i] / 100;
		if (zr_pdf_merge(in, 4, &o, &r, &e) < 0) {
			/* Only below the floor, and never above a budget
			 * that was met. */
			ck_assert_int_eq(e.code, ZR_E_NO_FIT);
			ck_assert_msg(fits == 0, "budget %lld not met after "
			    "a smaller one was", o.max_bytes);
			zr_pdf_result_free(&r);
			continue;
		}
		fits++;
		ck_assert_msg(r.bytes_out <= o.max_bytes, "budget %lld: %lld "
		    "bytes", o.max_bytes, r.bytes_out);
		ck_assert_msg(r.bytes_out * 10 >= o.max_bytes * 9, "budget "
		    "%lld: only %lld bytes used", o.max_bytes, r.bytes_out);
		ck_assert_msg(r.bytes_out >= prev, "budget %lld: %lld bytes, "
		    "less than %lld for a smaller budget", o.max_bytes,
		    r.bytes_out, prev);
		ck_assert_msg(r.level_dpi > pd || (r.level_dpi == pd &&
		    r.level_quality >= pq), "budget %lld: %d dpi q%d, below "
		    "%d dpi q%d", o.max_bytes, r.level_dpi, r.level_quality,
		    pd, pq);
		prev = r.bytes_out;
		pd = r.level_dpi;
		pq = r.level_quality;
		zr_pdf_result_free(&r);
	}
	/* The sweep reached the search: several budgets were met. */
	ck_assert_int_ge(fits, 4);
	(void)zr_test_rmdir(dir);
}
END_TEST

/*
 * Under a budget that binds, a JPEG scan's bytes stay in its file until
 * they are needed (issue 14): the output is the same bytes with one
 * thread or two, and a scan kept as it is comes in byte for byte.
 */
START_TEST(test_merge_ext_threads)
{
	struct zr_image page;
	struct zr_pdf_input in[3];
	struct zr_pdf_opts o;
	struct zr_pdf_result r1, r2;
	struct zr_jpeg_opts jo;
	struct zr_error e;
	char path[3][96];
	unsigned char *small;
	size_t small_len, k;
	int i, found = 0;

	zr_test_tmpdir(dir, sizeof(dir));
	for (i = 0; i < 3; i++) {
		/* Two 300-dpi scans and a small one already coarse (100
		 * dpi, quality 40, optimised): no rung gains on it. */
		make_page(&page, i == 2 ? 300 : 900, i == 2 ? 400 : 1200, 3,
		    i == 1);
		snprintf(path[i], sizeof(path[i]), "%s/x%d.jpg", dir, i);
		if (i < 2)
			write_jpeg(path[i], &page, 95, 300);
		zr_image_free(&page);
		in[i].path = path[i];
		in[i].title = NULL;
	}
	memset(&jo, 0, sizeof(jo));
	jo.quality = 40;
	jo.optimize = 1;
	jo.density_dpi = 100;
	make_page(&page, 300, 400, 3, 0);
	ck_assert_int_eq(zr_jpeg_encode(&page, &jo, &small, &small_len, NULL),
	    0);
	zr_image_free(&page);
	ck_assert_int_eq(zr_write_file(path[2], small, small_len, 1, NULL, 0,
	    &e), 0);
	memset(&o, 0, sizeof(o));
	o.source_date_epoch = -1;
	o.self_check = 1;
	ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &r1, &e), 0);
	o.max_bytes = r1.bytes_out * 30 / 100;
	zr_pdf_result_free(&r1);
	ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &r1, &e), 0);
	ck_assert_int_le(r1.bytes_out, o.max_bytes);
	ck_assert_int_eq(r1.inputs[0].images_recoded, 1);
	ck_assert_int_eq(r1.inputs[2].images_recoded, 0);
	for (k = 0; k + small_len <= r1.pdf_len && !found; k++)
		found = memcmp(r1.pdf + k, small, small_len) == 0;
	ck_assert_msg(found, "the scan kept as it is is not in the output");
	o.threads = 1;
	ck_assert_int_eq(zr_pdf_merge(in, 3, &o, &r2, &e), 0);
	ck_assert_uint_eq(r1.pdf_len, r2.pdf_len);
	ck_assert_mem_eq(r1.pdf, r2.pdf, r1.pdf_len);
	zr_pdf_result_free(&r1);
	zr_pdf_result_free(&r2);
	free(small);
	(void)zr_test_rmdir(dir);
}
END_TEST

/* A scan read again from its file: the same bytes, or an error when the
 * file is not the one that was read (size or time changed). */
START_TEST(test_ext_read)
{
	struct zr_image page;
	struct zr_pdf_opts o;
	struct zri_merge m;
	struct zri_src s;
	struct zri_img im;
	struct zr_error e;
	struct stat sb;
	struct timespec ts[2];
	unsigned char *raw, *file;
	size_t len, flen;
	char path[96];
	FILE *fp;

	zr_test_tmpdir(dir, sizeof(dir));
	make_page(&page, 64, 48, 3, 0);
	snprintf(path, sizeof(path), "%s/r.jpg", dir);
	write_jpeg(path, &page, 90, 300);
	zr_image_free(&page);
	ck_assert_int_eq(zr_read_file(path, 0, &file, &flen, &e), 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	memset(&o, 0, sizeof(o));
	memset(&m, 0, sizeof(m));
	memset(&s, 0, sizeof(s));
	memset(&im, 0, sizeof(im));
	m.o = &o;
	m.src = &s;
	m.nsrc = 1;
	s.path = path;
	s.ext = 1;
	s.extlen = (long long)flen;
	s.ext_dev = (unsigned long long)sb.st_dev;
	s.ext_ino = (unsigned long long)sb.st_ino;
	s.ext_size = (long long)sb.st_size;
	s.ext_mtime_s = (long long)sb.st_mtim.tv_sec;
	s.ext_mtime_ns = (long long)sb.st_mtim.tv_nsec;
	im.ext = 1;
	ck_assert_int_eq(zri_ext_read(&m, &im, &raw, &len, &e), 0);
	ck_assert_uint_eq(len, flen);
	ck_assert_mem_eq(raw, file, flen);
	free(raw);
	/* The same size, another time: another file. */
	ts[0] = sb.st_atim;
	ts[1] = sb.st_mtim;
	ts[1].tv_sec -= 10;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	ck_assert_int_eq(zri_ext_read(&m, &im, &raw, &len, &e), -1);
	ck_assert_ptr_null(raw);
	ck_assert_ptr_nonnull(strstr(e.msg, "changed"));
	/* Back to its time, but a byte longer. */
	ts[1] = sb.st_mtim;
	fp = fopen(path, "ab");
	ck_assert_ptr_nonnull(fp);
	fputc(0, fp);
	fclose(fp);
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	ck_assert_int_eq(zri_ext_read(&m, &im, &raw, &len, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "changed"));
	/* Gone. */
	unlink(path);
	ck_assert_int_eq(zri_ext_read(&m, &im, &raw, &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_OPEN);
	free(file);
	(void)zr_test_rmdir(dir);
}
END_TEST

/* A JPEG with comment segments of n bytes each inserted after its SOI. */
static unsigned char *
with_comments(const unsigned char *j, size_t len, int count, size_t n,
    size_t *outlen)
{
	unsigned char *b = malloc(len + (size_t)count * (n + 4));
	size_t o = 2, k;
	int i;

	ck_assert_ptr_nonnull(b);
	memcpy(b, j, 2);
	for (i = 0; i < count; i++) {
		b[o++] = 0xFF;
		b[o++] = 0xFE;
		b[o++] = (unsigned char)((n + 2) >> 8);
		b[o++] = (unsigned char)((n + 2) & 0xFF);
		for (k = 0; k < n; k++)
			b[o++] = (unsigned char)('a' + k % 26);
	}
	memcpy(b + o, j + 2, len - 2);
	*outlen = o + len - 2;
	return b;
}

/* The stripped length from the head of a file alone is the length of
 * the stripped file; a head that stops before the scan says so. */
START_TEST(test_strip_len)
{
	struct zr_image page;
	struct zr_jpeg_opts jo;
	unsigned char *j, *b, *st;
	size_t len, blen, stlen, sos;

	make_page(&page, 64, 48, 3, 0);
	memset(&jo, 0, sizeof(jo));
	jo.quality = 80;
	ck_assert_int_eq(zr_jpeg_encode(&page, &jo, &j, &len, NULL), 0);
	zr_image_free(&page);
	/* Nothing to strip: the file's own size. */
	ck_assert_int_eq(zri_jpeg_strip_len(j, len, (long long)len),
	    (long long)len);
	ck_assert_int_eq(zri_jpeg_strip_len(j, 40, (long long)len),
	    -1);
	b = with_comments(j, len, 3, 1000, &blen);
	ck_assert_int_eq(zri_jpeg_strip(b, blen, &st, &stlen), 3);
	ck_assert_uint_eq(stlen, len);
	ck_assert_mem_eq(st, j, len);
	ck_assert_int_eq(zri_jpeg_strip_len(b, blen, (long long)blen),
	    (long long)stlen);
	for (sos = 2; sos + 1 < blen; sos++)
		if (b[sos] == 0xFF && b[sos + 1] == 0xDA)
			break;
	ck_assert_uint_lt(sos + 1, blen);
	/* The head up to the scan marker is enough ... */
	ck_assert_int_eq(zri_jpeg_strip_len(b, sos + 4, (long long)blen),
	    (long long)stlen);
	/* ... one that ends in a comment is not. */
	ck_assert_int_eq(zri_jpeg_strip_len(b, 1500, (long long)blen), -1);
	free(st);
	free(b);
	free(j);
}
END_TEST

/* A scan whose segments before the first scan are longer than the head
 * that is read (over 256 KiB of comments) is read whole, and merged
 * without them under a budget that binds. */
START_TEST(test_merge_long_head)
{
	struct zr_image page;
	struct zr_jpeg_opts jo;
	struct zr_pdf_input in[2];
	struct zr_pdf_opts o;
	struct zr_pdf_result r;
	struct zr_error e;
	unsigned char *j, *b;
	size_t len, blen, k;
	char path[2][96];
	int i;

	zr_test_tmpdir(dir, sizeof(dir));
	memset(&jo, 0, sizeof(jo));
	jo.quality = 95;
	jo.density_dpi = 300;
	for (i = 0; i < 2; i++) {
		make_page(&page, 900, 1200, 3, i);
		ck_assert_int_eq(zr_jpeg_encode(&page, &jo, &j, &len, NULL), 0);
		zr_image_free(&page);
		b = with_comments(j, len, i == 0 ? 5 : 1, 60000, &blen);
		snprintf(path[i], sizeof(path[i]), "%s/h%d.jpg", dir, i);
		ck_assert_int_eq(zr_write_file(path[i], b, blen, 1, NULL, 0,
		    &e), 0);
		free(b);
		free(j);
		in[i].path = path[i];
		in[i].title = NULL;
	}
	memset(&o, 0, sizeof(o));
	o.source_date_epoch = -1;
	o.self_check = 1;
	o.max_bytes = (long long)blen;
	ck_assert_int_eq(zr_pdf_merge(in, 2, &o, &r, &e), 0);
	ck_assert_int_le(r.bytes_out, o.max_bytes);
	ck_assert_int_eq(r.inputs[0].images_recoded, 1);
	ck_assert_int_eq(r.inputs[1].images_recoded, 1);
	/* No comment made it into the output. */
	for (k = 0; k + 26 <= r.pdf_len; k++)
		ck_assert(memcmp(r.pdf + k, "abcdefghijklmnopqrstuvwxyz", 26) !=
		    0);
	zr_pdf_result_free(&r);
	(void)zr_test_rmdir(dir);
}
END_TEST

START_TEST(test_merge_errors)
{
	struct zr_pdf_input in[2];
	struct zr_pdf_opts o;
	struct zr_pdf_result r;
	struct zr_error e;
	char scan[1024], enc[1024], photo[1024], bad[1024];
	unsigned char *b;
	size_t photo_len;

	memset(&o, 0, sizeof(o));
	o.source_date_epoch = -1;

	/* Synthetic files from tests/fixtures.sh. */
	snprintf(scan, sizeof(scan), "%s", zr_fixture("scan.pdf"));
	snprintf(enc, sizeof(enc), "%s", zr_fixture("enc-user.pdf"));
	snprintf(photo, sizeof(photo), "%s", zr_fixture("upright.jpg"));
	snprintf(bad, sizeof(bad), "%s", zr_fixture("invalid.pdf"));
	zr_fixture_read("upright.jpg", &b, &photo_len);
	free(b);
	in[0].path = scan;
	in[0].title = NULL;
	in[1].path = enc;
	in[1].title = NULL;
	ck_assert_int_eq(zr_pdf_merge(in, 2, &o, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PDF_PASSWORD);
	zr_pdf_result_free(&r);
	o.password = "user";
	ck_assert_int_eq(zr_pdf_merge(in, 2, &o, &r, &e), 0);
	ck_assert_int_eq(r.pages, 21);
	ck_assert_uint_ge(r.nnotes, 1);
	zr_pdf_result_free(&r);
	in[1].path = photo;
	ck_assert_int_eq(zr_pdf_merge(in, 2, &o, &r, &e), 0);
	ck_assert_int_eq(r.inputs[1].kind, ZR_PDF_IN_JPEG);
	/* Embedded as it is: the same bytes. */
	ck_assert_int_eq(r.inputs[1].image_bytes_out, (long long)photo_len);
	zr_pdf_result_free(&r);
	in[1].path = bad;
	ck_assert_int_eq(zr_pdf_merge(in, 2, &o, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PDF);
	zr_pdf_result_free(&r);
	in[1].path = "/nonexistent/x.pdf";
	ck_assert_int_eq(zr_pdf_merge(in, 2, &o, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_OPEN);
	zr_pdf_result_free(&r);
	ck_assert_int_eq(zr_pdf_merge(in, 0, &o, &r, &e), -1);
	zr_pdf_result_free(&r);
}
END_TEST

Suite *
zr_pdf_suite(void)
{
	Suite *s = suite_create("pdf");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 120);
	tcase_add_test(t, test_limits);
	tcase_add_test(t, test_decode_flate_predictor);
	tcase_add_test(t, test_decode_flate_png_filters);
	tcase_add_test(t, test_near_gray);
	tcase_add_test(t, test_near_gray_same);
	tcase_add_test(t, test_luma_exact);
	tcase_add_test(t, test_recode_and_estimate);
	tcase_add_test(t, test_estimate_tracks_encode);
	tcase_add_test(t, test_content_scan);
	tcase_add_test(t, test_merge_budget);
	tcase_add_test(t, test_scaled_decode);
	tcase_add_test(t, test_budget_sweep);
	tcase_add_test(t, test_merge_ext_threads);
	tcase_add_test(t, test_ext_read);
	tcase_add_test(t, test_strip_len);
	tcase_add_test(t, test_merge_long_head);
	tcase_add_test(t, test_merge_errors);
	suite_add_tcase(s, t);
	return s;
}
