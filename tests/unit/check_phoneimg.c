/* zairyu-tools: unit tests of the HEIC / AVIF (libheif) and WebP (libwebp)
 * readers: upright results, alpha on white, truncation, limits, names. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libheif/heif.h>
#include <webp/encode.h>

#include "zr_test.h"

/*
 * The upright test picture, 48 x 64 (portrait): top-left quarter red,
 * top-right green, the bottom half blue.  Any turn or mirror moves a
 * colour to another quarter.
 */
#define UW 48
#define UH 64

static void
upright(struct zr_image *u)
{
	ck_assert_int_eq(zr_image_alloc(u, UW, UH, 3, NULL), 0);
	for (int y = 0; y < UH; y++)
		for (int x = 0; x < UW; x++) {
			unsigned char *p = u->pixels + ((size_t)y * UW +
			    (size_t)x) * 3;

			p[0] = y < UH / 2 && x < UW / 2 ? 230 : 20;
			p[1] = y < UH / 2 && x >= UW / 2 ? 230 : 20;
			p[2] = y >= UH / 2 ? 230 : 20;
		}
}

/* Mean colour of the w x h box at x,y. */
static void
mean(const struct zr_image *m, int x0, int y0, int w, int h, double c[3])
{
	c[0] = c[1] = c[2] = 0;
	for (int y = y0; y < y0 + h; y++)
		for (int x = x0; x < x0 + w; x++)
			for (int k = 0; k < 3; k++)
				c[k] += m->pixels[((size_t)y * (size_t)m->width +
				    (size_t)x) * 3 + (size_t)k];
	for (int k = 0; k < 3; k++)
		c[k] /= (double)w * h;
}

/* The quarters of a decoded picture are the upright picture's. */
static void
assert_upright(const struct zr_image *d, const char *what)
{
	double c[3];

	ck_assert_msg(d->width == UW && d->height == UH && d->channels == 3,
	    "%s: %dx%dx%d", what, d->width, d->height, d->channels);
	/* Inside each quarter, clear of the coding's blur at the edges. */
	mean(d, 4, 4, UW / 2 - 8, UH / 2 - 8, c);
	ck_assert_msg(c[0] > 180 && c[1] < 70 && c[2] < 70,
	    "%s: top left %.0f %.0f %.0f, want red", what, c[0], c[1], c[2]);
	mean(d, UW / 2 + 4, 4, UW / 2 - 8, UH / 2 - 8, c);
	ck_assert_msg(c[1] > 180 && c[0] < 70 && c[2] < 70,
	    "%s: top right %.0f %.0f %.0f, want green", what, c[0], c[1],
	    c[2]);
	mean(d, 4, UH / 2 + 4, UW - 8, UH / 2 - 8, c);
	ck_assert_msg(c[2] > 180 && c[0] < 70 && c[1] < 70,
	    "%s: bottom %.0f %.0f %.0f, want blue", what, c[0], c[1], c[2]);
}

struct membuf {
	unsigned char *p;
	size_t n;
};

static struct heif_error
mem_write(struct heif_context *ctx, const void *data, size_t size,
    void *user)
{
	struct membuf *m = user;
	struct heif_error ok = { heif_error_Ok, heif_suberror_Unspecified,
		"ok" };

	(void)ctx;
	m->p = malloc(size);
	ck_assert_ptr_nonnull(m->p);
	memcpy(m->p, data, size);
	m->n = size;
	return ok;
}

/* A TIFF block (little-endian) with only the Orientation tag. */
static const unsigned char *
exif_orientation(int o, size_t *n)
{
	static unsigned char b[26] = { 'I', 'I', 42, 0, 8, 0, 0, 0,
		1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0 };

	b[18] = (unsigned char)o;
	*n = sizeof(b);
	return b;
}

/*
 * img (RGB, or RGBA when alpha) as HEIC (or AVIF), its pixels stored as
 * they are, with an irot/imir transform for EXIF orientation o (1 none),
 * and an EXIF block that says o too, as phones write them.
 */
static struct membuf
make_heif(const struct zr_image *img, int alpha, int o, int avif)
{
	struct heif_context *ctx = heif_context_alloc();
	struct heif_encoder *enc = NULL;
	struct heif_image *h = NULL;
	struct heif_image_handle *hd = NULL;
	struct heif_encoding_options *eo = heif_encoding_options_alloc();
	struct heif_writer wr = { 1, mem_write };
	struct membuf m = { NULL, 0 };
	const unsigned char *ex;
	size_t exn;
	uint8_t *p;
	int stride, ch = alpha ? 4 : 3;

	ck_assert_int_eq(heif_context_get_encoder_for_format(ctx, avif ?
	    heif_compression_AV1 : heif_compression_HEVC, &enc).code,
	    heif_error_Ok);
	ck_assert_int_eq(heif_image_create(img->width, img->height,
	    heif_colorspace_RGB, alpha ? heif_chroma_interleaved_RGBA :
	    heif_chroma_interleaved_RGB, &h).code, heif_error_Ok);
	ck_assert_int_eq(heif_image_add_plane(h, heif_channel_interleaved,
	    img->width, img->height, 8).code, heif_error_Ok);
	p = heif_image_get_plane(h, heif_channel_interleaved, &stride);
	for (int y = 0; y < img->height; y++)
		memcpy(p + (size_t)y * (size_t)stride, img->pixels + (size_t)y *
		    (size_t)img->width * (size_t)ch, (size_t)img->width *
		    (size_t)ch);
	heif_encoder_set_lossy_quality(enc, 90);
	eo->image_orientation = (enum heif_orientation)o;
	ck_assert_int_eq(heif_context_encode_image(ctx, h, enc, eo,
	    &hd).code, heif_error_Ok);
	if (o > 1) {
		ex = exif_orientation(o, &exn);
		ck_assert_int_eq(heif_context_add_exif_metadata(ctx, hd, ex,
		    (int)exn).code, heif_error_Ok);
	}
	ck_assert_int_eq(heif_context_write(ctx, &wr, &m).code,
	    heif_error_Ok);
	heif_encoding_options_free(eo);
	heif_image_handle_release(hd);
	heif_image_release(h);
	heif_encoder_release(enc);
	heif_context_free(ctx);
	return m;
}

/* The orientation that undoes o (6 and 8 undo each other). */
static int
inverse(int o)
{
	return o == 6 ? 8 : o == 8 ? 6 : o;
}

START_TEST(heic_transforms_give_upright)
{
	struct zr_image u, s, d;
	struct zr_decode_opts opt;
	struct zr_image_info info;
	struct zr_error e;
	char what[32];

	upright(&u);
	memset(&opt, 0, sizeof(opt));
	opt.apply_orientation = 1;
	/* Every EXIF orientation as a HEIF transform: stored turned the
	 * other way, shown upright; the EXIF copy is not applied again. */
	for (int o = 1; o <= 8; o++) {
		struct membuf m;

		if (o == 1)
			ck_assert_int_eq(zr_image_crop(&u, 0, 0, UW, UH, &s,
			    NULL), 0);
		else
			ck_assert_int_eq(zr_image_orient(&u, inverse(o), &s,
			    NULL), 0);
		m = make_heif(&s, 0, o, 0);
		snprintf(what, sizeof(what), "HEIC orientation %d", o);
		ck_assert_int_eq(zr_image_probe(m.p, m.n, "r.heic", &info,
		    &e), 0);
		ck_assert_int_eq(info.format, ZR_IMG_HEIC);
		ck_assert_int_eq(info.orientation, 1);
		ck_assert_int_eq(info.width, UW);
		ck_assert_int_eq(info.height, UH);
		ck_assert_int_eq(info.has_exif, o > 1);
		ck_assert_int_eq(zr_image_decode(m.p, m.n, "r.heic", &opt, &d,
		    &info, &e), 0);
		assert_upright(&d, what);
		zr_image_free(&d);
		zr_image_free(&s);
		free(m.p);
	}
	zr_image_free(&u);
}
END_TEST

START_TEST(avif_is_read)
{
	struct zr_image u, d;
	struct zr_image_info info;
	struct zr_decode_opts opt;
	struct membuf m;

	if (!heif_have_decoder_for_format(heif_compression_AV1)) {
		/* This libheif cannot: the refusal says so plainly. */
		struct zr_error e;
		static const unsigned char ftyp[] = { 0, 0, 0, 20, 'f', 't',
			'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0, 'm', 'i',
			'f', '1' };

		ck_assert_int_eq(zr_image_probe(ftyp, sizeof(ftyp), "a.avif",
		    &info, &e), -1);
		ck_assert_int_eq(e.code, ZR_E_UNSUPPORTED);
		ck_assert_str_eq(e.msg, "AVIF is not supported (libheif has "
		    "no AV1 decoder)");
		return;
	}
	upright(&u);
	m = make_heif(&u, 0, 1, 1);
	memset(&opt, 0, sizeof(opt));
	ck_assert_int_eq(zr_image_decode(m.p, m.n, "a.avif", &opt, &d, &info,
	    NULL), 0);
	ck_assert_int_eq(info.format, ZR_IMG_AVIF);
	assert_upright(&d, "AVIF");
	zr_image_free(&d);
	/* Gray output, one channel. */
	opt.gray = 1;
	ck_assert_int_eq(zr_image_decode(m.p, m.n, "a.avif", &opt, &d, &info,
	    NULL), 0);
	ck_assert_int_eq(d.channels, 1);
	zr_image_free(&d);
	free(m.p);
	zr_image_free(&u);
}
END_TEST

/* A one-line message that names the file, and no pixels. */
static void
assert_error(const unsigned char *b, size_t n, const char *name, int code,
    const char *has)
{
	struct zr_image d;
	struct zr_error e;

	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(zr_image_decode(b, n, name, NULL, &d, NULL, &e), -1);
	ck_assert_msg(e.code == code, "%s (%zu bytes): code %d (%s), want %d",
	    name, n, e.code, e.msg, code);
	ck_assert_ptr_null(d.pixels);
	ck_assert_ptr_null(strchr(e.msg, '\n'));
	if (has != NULL)
		ck_assert_msg(strstr(e.msg, has) != NULL, "%s: \"%s\" lacks "
		    "\"%s\"", name, e.msg, has);
}

START_TEST(heic_truncated_and_limits)
{
	struct zr_image u, d;
	struct zr_decode_opts opt;
	struct zr_error e;
	struct membuf m;

	upright(&u);
	m = make_heif(&u, 0, 1, 0);
	/* Cut anywhere: an error, never a half picture. */
	for (size_t cut = 16; cut < m.n; cut += m.n / 9 + 1)
		assert_error(m.p, cut, "t.heic", ZR_E_IMAGE, "corrupt HEIC");
	assert_error(m.p, m.n - 1, "t.heic", ZR_E_IMAGE, "corrupt HEIC");
	/* The decode cap holds, from the header. */
	memset(&opt, 0, sizeof(opt));
	opt.max_pixels = UW * UH - 1;
	ck_assert_int_eq(zr_image_decode(m.p, m.n, "t.heic", &opt, &d, NULL,
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIXELS);
	/* A damaged middle: an error or a picture, never a crash. */
	m.p[m.n / 2] ^= 0x55;
	m.p[m.n / 2 + 1] ^= 0xAA;
	if (zr_image_decode(m.p, m.n, "t.heic", NULL, &d, NULL, &e) == 0)
		zr_image_free(&d);
	free(m.p);
	zr_image_free(&u);
}
END_TEST

START_TEST(iso_media_that_is_not_a_picture)
{
	static const unsigned char mp4[] = { 0, 0, 0, 24, 'f', 't', 'y', 'p',
		'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p',
		'4', '1', 0, 0, 0, 8, 'f', 'r', 'e', 'e' };
	static const unsigned char bare[] = { 0, 0, 0, 24, 'f', 't', 'y', 'p',
		'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e',
		'i', 'c' };

	assert_error(mp4, sizeof(mp4), "v.mp4", ZR_E_NOT_IMAGE, "(a video?)");
	/* The brand is right but nothing follows. */
	assert_error(bare, sizeof(bare), "b.heic", ZR_E_IMAGE,
	    "corrupt HEIC");
}
END_TEST

START_TEST(webp_alpha_on_white)
{
	/* 32 x 24: left half opaque red, right half transparent, one
	 * column half-transparent black. */
	unsigned char rgba[32 * 24 * 4], *w;
	struct zr_image d;
	struct zr_image_info info;
	struct zr_decode_opts opt;
	size_t n;

	for (int i = 0; i < 32 * 24; i++) {
		unsigned char *p = rgba + 4 * i;
		int x = i % 32;

		p[0] = x < 16 ? 200 : 0;
		p[1] = p[2] = 0;
		p[3] = x < 16 ? 255 : x == 20 ? 128 : 0;
	}
	n = WebPEncodeLosslessRGBA(rgba, 32, 24, 32 * 4, &w);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(zr_image_decode(w, n, "a.webp", NULL, &d, &info,
	    NULL), 0);
	ck_assert_int_eq(info.format, ZR_IMG_WEBP);
	ck_assert_int_eq(info.has_alpha, 1);
	ck_assert_int_eq(d.channels, 3);
	ck_assert_int_eq(d.width, 32);
	ck_assert_int_eq(d.height, 24);
	for (int y = 0; y < 24; y++) {
		const unsigned char *r = d.pixels + (size_t)y * 32 * 3;

		ck_assert_int_eq(r[3 * 3], 200);
		ck_assert_int_eq(r[3 * 3 + 1], 0);
		ck_assert_int_eq(r[25 * 3], 255);
		ck_assert_int_eq(r[25 * 3 + 2], 255);
		/* 0 * 128/255 + 255 * 127/255, rounded: as PNG's. */
		ck_assert_int_eq(r[20 * 3], 127);
	}
	zr_image_free(&d);
	/* Gray: the same flattening, then Rec. 601 luma. */
	memset(&opt, 0, sizeof(opt));
	opt.gray = 1;
	ck_assert_int_eq(zr_image_decode(w, n, "a.webp", &opt, &d, NULL,
	    NULL), 0);
	ck_assert_int_eq(d.channels, 1);
	ck_assert_int_eq(d.pixels[25], 255);
	ck_assert_int_eq(d.pixels[3], (299 * 200 + 500) / 1000);
	zr_image_free(&d);
	WebPFree(w);
}
END_TEST

START_TEST(webp_truncated_animated_and_huge)
{
	struct zr_image u, d;
	struct zr_decode_opts opt;
	struct zr_error e;
	unsigned char *w;
	size_t n;
	/* RIFF/WEBP with a VP8X header whose animation flag is set. */
	static const unsigned char anim[] = { 'R', 'I', 'F', 'F', 36, 0, 0, 0,
		'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0, 0x02, 0,
		0, 0, 31, 0, 0, 23, 0, 0, 'A', 'N', 'I', 'M', 6, 0, 0, 0, 0, 0,
		0, 0, 0, 0 };
	/* A lossless header that says 16384 x 16384 (268 megapixels). */
	static const unsigned char huge[] = { 'R', 'I', 'F', 'F', 18, 0, 0, 0,
		'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 5, 0, 0, 0, 0x2f,
		0xff, 0xff, 0xff, 0x0f, 0 };

	upright(&u);
	n = WebPEncodeRGB(u.pixels, UW, UH, UW * 3, 80, &w);
	ck_assert_uint_gt(n, 0);
	for (size_t cut = 12; cut < n; cut += n / 9 + 1)
		assert_error(w, cut, "t.webp", ZR_E_IMAGE, "corrupt WebP");
	assert_error(w, n - 1, "t.webp", ZR_E_IMAGE, "corrupt WebP");
	memset(&opt, 0, sizeof(opt));
	opt.max_pixels = UW * UH - 1;
	ck_assert_int_eq(zr_image_decode(w, n, "t.webp", &opt, &d, NULL, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_PIXELS);
	ck_assert_int_eq(zr_image_decode(w, n, "t.webp", NULL, &d, NULL, &e),
	    0);
	ck_assert_int_eq(d.width, UW);
	zr_image_free(&d);
	WebPFree(w);
	assert_error(anim, sizeof(anim), "a.webp", ZR_E_UNSUPPORTED,
	    "animated WebP is not supported");
	assert_error(huge, sizeof(huge), "h.webp", ZR_E_PIXELS,
	    "16384x16384");
	zr_image_free(&u);
}
END_TEST

START_TEST(name_mismatch_wording)
{
	char m[64];

	ck_assert_int_eq(zr_image_name_mismatch("photo.jpg", ZR_IMG_HEIC, m,
	    sizeof(m)), 1);
	ck_assert_str_eq(m, "not a JPEG file (it is a HEIC image)");
	ck_assert_int_eq(zr_image_name_mismatch("dir.x/IMG_1.HEIC",
	    ZR_IMG_JPEG, m, sizeof(m)), 1);
	ck_assert_str_eq(m, "not a HEIC file (it is a JPEG image)");
	ck_assert_int_eq(zr_image_name_mismatch("a.webp", ZR_IMG_AVIF, m,
	    sizeof(m)), 1);
	ck_assert_str_eq(m, "not a WebP file (it is an AVIF image)");
	ck_assert_int_eq(zr_image_name_mismatch("a.avif", ZR_IMG_PNG, m,
	    sizeof(m)), 1);
	ck_assert_str_eq(m, "not an AVIF file (it is a PNG image)");
	/* Matching, unjudged or HEIF's two codings under .heif. */
	ck_assert_int_eq(zr_image_name_mismatch("a.JPeG", ZR_IMG_JPEG, m,
	    sizeof(m)), 0);
	ck_assert_int_eq(zr_image_name_mismatch("a.heif", ZR_IMG_AVIF, m,
	    sizeof(m)), 0);
	ck_assert_int_eq(zr_image_name_mismatch("a.heif", ZR_IMG_HEIC, m,
	    sizeof(m)), 0);
	ck_assert_int_eq(zr_image_name_mismatch("-", ZR_IMG_WEBP, m,
	    sizeof(m)), 0);
	ck_assert_int_eq(zr_image_name_mismatch("x.jpg/photo", ZR_IMG_WEBP, m,
	    sizeof(m)), 0);
	ck_assert_int_eq(zr_image_name_mismatch("photo.jpgx", ZR_IMG_WEBP, m,
	    sizeof(m)), 0);
	ck_assert_int_eq(zr_image_name_mismatch("photo.jp", ZR_IMG_WEBP, m,
	    sizeof(m)), 0);
}
END_TEST

Suite *
zr_phoneimg_suite(void)
{
	Suite *s = suite_create("phoneimg");
	TCase *t = tcase_create("phoneimg");

	tcase_set_timeout(t, 120);
	tcase_add_test(t, heic_transforms_give_upright);
	tcase_add_test(t, avif_is_read);
	tcase_add_test(t, heic_truncated_and_limits);
	tcase_add_test(t, iso_media_that_is_not_a_picture);
	tcase_add_test(t, webp_alpha_on_white);
	tcase_add_test(t, webp_truncated_animated_and_huge);
	tcase_add_test(t, name_mismatch_wording);
	suite_add_tcase(s, t);
	return s;
}
