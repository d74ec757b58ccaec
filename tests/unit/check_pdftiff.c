/* Check tests for pdftiff.c through zr_pdf_merge(): a one-strip CCITT G4
 * page is embedded byte for byte, a multi-strip one coded again into one
 * strip with the same pixels, a damaged TIFF refused with its code
 * (issue 14).  The TIFFs are made here with libtiff. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qpdf/qpdf-c.h>
#include <tiffio.h>
#include <zlib.h>

#include "zr_test.h"

#define W 613                /* not a multiple of 8: padded rows */
#define H 401
#define RB ((W + 7) / 8)

static char dir[64];

/* A page of "text": bars and blocks, 1 = black (MinIsWhite). */
static void
make_bits(unsigned char *bits)
{
	memset(bits, 0, (size_t)RB * H);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			if ((y / 9 % 3 == 1 && (x / 5 + y / 27) % 4 != 0) ||
			    (x > 500 && y > 300 && (x ^ y) % 7 == 0))
				bits[(size_t)y * RB + (size_t)x / 8] |=
				    (unsigned char)(0x80u >> (x % 8));
}

static void
set_tags(TIFF *t, int rps)
{
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)W);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)H);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(t, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)rps);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, 200.0);
	TIFFSetField(t, TIFFTAG_YRESOLUTION, 200.0);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
}

/* A G4 TIFF of bits, rps rows to a strip. */
static void
write_g4(const char *path, const unsigned char *bits, int rps)
{
	TIFF *t = TIFFOpen(path, "w");
	int y, strip;

	ck_assert_ptr_nonnull(t);
	set_tags(t, rps);
	for (y = 0, strip = 0; y < H; y += rps, strip++) {
		int rows = y + rps > H ? H - y : rps;

		ck_assert_int_ge(TIFFWriteEncodedStrip(t, (uint32_t)strip,
		    (void *)(uintptr_t)(bits + (size_t)y * RB),
		    (tmsize_t)rows * RB), 0);
	}
	TIFFClose(t);
}

/* The raw bytes of strip 0 of a TIFF (caller frees). */
static unsigned char *
raw_strip(const char *path, size_t *len)
{
	TIFF *t = TIFFOpen(path, "r");
	uint64_t *cnt = NULL;
	unsigned char *buf;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(TIFFGetField(t, TIFFTAG_STRIPBYTECOUNTS, &cnt), 1);
	*len = (size_t)cnt[0];
	buf = malloc(*len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(TIFFReadRawStrip(t, 0, buf, (tmsize_t)*len),
	    (tmsize_t)*len);
	TIFFClose(t);
	return buf;
}

static int
contains(const unsigned char *hay, size_t n, const unsigned char *needle,
    size_t m)
{
	for (size_t i = 0; m <= n && i <= n - m; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

static int
merge_one(const char *path, struct zr_pdf_result *r, struct zr_error *e)
{
	struct zr_pdf_input in[1];
	struct zr_pdf_opts o;

	memset(in, 0, sizeof(in));
	in[0].path = path;
	memset(&o, 0, sizeof(o));
	o.source_date_epoch = -1;
	o.self_check = 1;
	return zr_pdf_merge(in, 1, &o, r, e);
}

/* The raw data and filter of the one image of page 1 (caller frees). */
static unsigned char *
page_image(const struct zr_pdf_result *r, char *filter, size_t fcap,
    size_t *len)
{
	qpdf_data q = qpdf_init();
	qpdf_oh page, xo, img, f;
	unsigned char *copy, *data = NULL;

	ck_assert_int_eq(qpdf_read_memory(q, "out", (const char *)r->pdf,
	    (unsigned long long)r->pdf_len, NULL) & QPDF_ERRORS, 0);
	page = qpdf_get_page_n(q, 0);
	xo = qpdf_oh_get_key(q, qpdf_oh_get_key(q, page, "/Resources"),
	    "/XObject");
	ck_assert(qpdf_oh_is_dictionary(q, xo));
	qpdf_oh_begin_dict_key_iter(q, xo);
	ck_assert(qpdf_oh_dict_more_keys(q));
	img = qpdf_oh_get_key(q, xo, qpdf_oh_dict_next_key(q));
	ck_assert(qpdf_oh_is_stream(q, img));
	f = qpdf_oh_get_key(q, qpdf_oh_get_dict(q, img), "/Filter");
	snprintf(filter, fcap, "%s", qpdf_oh_is_name(q, f) ?
	    qpdf_oh_get_name(q, f) : "");
	ck_assert_int_eq(qpdf_oh_get_stream_data(q, img, qpdf_dl_none, NULL,
	    &data, len) & QPDF_ERRORS, 0);
	copy = malloc(*len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, data, *len);
	free(data);
	qpdf_cleanup(&q);
	return copy;
}

/* One strip of G4: the PDF's /CCITTFaxDecode stream is that strip. */
START_TEST(test_g4_one_strip_passthrough)
{
	static unsigned char bits[RB * H];
	struct zr_pdf_result r;
	struct zr_error e;
	char path[96], filter[32];
	unsigned char *strip, *img;
	size_t slen, ilen;

	zr_test_tmpdir(dir, sizeof(dir));
	make_bits(bits);
	snprintf(path, sizeof(path), "%s/one.tif", dir);
	write_g4(path, bits, H);
	strip = raw_strip(path, &slen);
	ck_assert_int_eq(merge_one(path, &r, &e), 0);
	ck_assert_int_eq(r.pages, 1);
	img = page_image(&r, filter, sizeof(filter), &ilen);
	ck_assert_str_eq(filter, "/CCITTFaxDecode");
	ck_assert_uint_eq(ilen, slen);
	ck_assert_mem_eq(img, strip, slen);
	ck_assert(contains(r.pdf, r.pdf_len, strip, slen));
	free(img);
	free(strip);
	zr_pdf_result_free(&r);
	(void)zr_test_rmdir(dir);
}
END_TEST

/* Several strips: coded again into one, and that strip decodes (with
 * libtiff) to the same pixels. */
START_TEST(test_g4_multi_strip_same_pixels)
{
	static unsigned char bits[RB * H], back[RB * H];
	struct zr_pdf_result r;
	struct zr_error e;
	char path[96], path2[96], filter[32];
	unsigned char *img, *strip0;
	size_t ilen, slen;
	TIFF *t;

	zr_test_tmpdir(dir, sizeof(dir));
	make_bits(bits);
	snprintf(path, sizeof(path), "%s/multi.tif", dir);
	write_g4(path, bits, 64);
	strip0 = raw_strip(path, &slen);
	ck_assert_int_eq(merge_one(path, &r, &e), 0);
	img = page_image(&r, filter, sizeof(filter), &ilen);
	ck_assert_str_eq(filter, "/CCITTFaxDecode");
	ck_assert(!contains(img, ilen, strip0, slen) || ilen == slen);
	/* The stream as the one strip of a TIFF of the same size. */
	snprintf(path2, sizeof(path2), "%s/back.tif", dir);
	t = TIFFOpen(path2, "w");
	ck_assert_ptr_nonnull(t);
	set_tags(t, H);
	ck_assert_int_eq(TIFFWriteRawStrip(t, 0, img, (tmsize_t)ilen),
	    (tmsize_t)ilen);
	TIFFClose(t);
	t = TIFFOpen(path2, "r");
	ck_assert_ptr_nonnull(t);
	memset(back, 0x55, sizeof(back));
	ck_assert_int_eq(TIFFReadEncodedStrip(t, 0, back, (tmsize_t)sizeof(
	    back)), (tmsize_t)sizeof(back));
	TIFFClose(t);
	/* Every pixel (libtiff leaves a row's padding bits as they were:
	 * 0x55 here, so a pixel not written would show). */
	for (int y = 0; y < H; y++) {
		const unsigned char *a = back + (size_t)y * RB;
		const unsigned char *b = bits + (size_t)y * RB;
		unsigned mask = W % 8 ? 0xffu << (8 - W % 8) & 0xffu : 0xffu;

		ck_assert_mem_eq(a, b, RB - 1);
		ck_assert_uint_eq(a[RB - 1] & mask, b[RB - 1] & mask);
	}
	free(img);
	free(strip0);
	zr_pdf_result_free(&r);
	(void)zr_test_rmdir(dir);
}
END_TEST

static void
write_bytes(const char *path, const unsigned char *b, size_t n)
{
	FILE *fp = fopen(path, "wb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(b, 1, n, fp), n);
	ck_assert_int_eq(fclose(fp), 0);
}

static unsigned char *
read_bytes(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *b = malloc(1 << 20);

	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(b);
	*n = fread(b, 1, 1 << 20, fp);
	fclose(fp);
	return b;
}

/* Damaged TIFFs: refused with ZR_E_IMAGE, a "damaged TIFF" reason, and
 * no PDF. */
START_TEST(test_damaged_refused)
{
	static unsigned char bits[RB * H];
	struct zr_pdf_result r;
	struct zr_error e;
	char path[96], bad[96];
	unsigned char *b, *strip;
	size_t n, slen, at;

	zr_test_tmpdir(dir, sizeof(dir));
	make_bits(bits);
	snprintf(path, sizeof(path), "%s/good.tif", dir);
	snprintf(bad, sizeof(bad), "%s/bad.tif", dir);
	write_g4(path, bits, H);
	b = read_bytes(path, &n);
	strip = raw_strip(path, &slen);
	/* Cut short: libtiff writes the directory after the data, so no
	 * directory is left. */
	write_bytes(bad, b, n / 2);
	ck_assert_int_eq(merge_one(bad, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "damaged TIFF"));
	ck_assert_ptr_null(r.pdf);
	zr_pdf_result_free(&r);
	/* The strip overwritten with bytes that are not G4. */
	for (at = 0; at + slen <= n; at++)
		if (memcmp(b + at, strip, slen) == 0)
			break;
	ck_assert_uint_le(at + slen, n);
	memset(b + at, 0x00, slen);
	write_bytes(bad, b, n);
	ck_assert_int_eq(merge_one(bad, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "page 1: damaged TIFF"));
	ck_assert_ptr_null(r.pdf);
	zr_pdf_result_free(&r);
	/* A TIFF header and nothing else. */
	write_bytes(bad, (const unsigned char *)"II*\0\x08\0\0\0", 8);
	ck_assert_int_eq(merge_one(bad, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IMAGE);
	ck_assert_ptr_null(r.pdf);
	zr_pdf_result_free(&r);
	free(strip);
	free(b);
	(void)zr_test_rmdir(dir);
}
END_TEST

/*
 * A bilevel Deflate strip whose data inflate to more than the strip
 * holds: libtiff (with libdeflate) returns the strip's size without an
 * error but leaves the rows after the first long match unwritten.  They
 * were whatever the heap held, so the same TIFF gave a different PDF
 * each time (found by comparing fuzz_tiff merges across runs); now they
 * are zero, and two merges give the same bytes, whatever the heap held.
 */
START_TEST(test_overlong_strip_same_bytes)
{
	static unsigned char raw[3840], z[8192];
	uLongf zn = sizeof(z);
	struct zr_pdf_result r1, r2;
	struct zr_error e;
	char path[96];
	TIFF *t;
	size_t i;

	zr_test_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/long.tif", dir);
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = i < 200 ? 0x11 : 0x22;   /* matches past 240 bytes */
	ck_assert_int_eq(compress2(z, &zn, raw, sizeof(raw), 9), Z_OK);
	ck_assert_ptr_nonnull(t = TIFFOpen(path, "w"));
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)48);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)40);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)40);
	ck_assert_int_eq(TIFFWriteRawStrip(t, 0, z, (tmsize_t)zn),
	    (tmsize_t)zn);
	TIFFClose(t);
	ck_assert_int_eq(merge_one(path, &r1, &e), 0);
	/* Heap blocks of the bitmap's size, freed full of other bytes. */
	for (i = 0; i < 64; i++) {
		unsigned char *p = malloc(240);

		ck_assert_ptr_nonnull(p);
		memset(p, (int)(0x5a + i), 240);
		free(p);
	}
	ck_assert_int_eq(merge_one(path, &r2, &e), 0);
	ck_assert_uint_eq(r1.pdf_len, r2.pdf_len);
	ck_assert_mem_eq(r1.pdf, r2.pdf, r1.pdf_len);
	zr_pdf_result_free(&r1);
	zr_pdf_result_free(&r2);
	(void)zr_test_rmdir(dir);
}
END_TEST

Suite *
zr_pdftiff_suite(void)
{
	Suite *s = suite_create("pdftiff");
	TCase *tc = tcase_create("tiff");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_g4_one_strip_passthrough);
	tcase_add_test(tc, test_g4_multi_strip_same_pixels);
	tcase_add_test(tc, test_damaged_refused);
	tcase_add_test(tc, test_overlong_strip_same_bytes);
	suite_add_tcase(s, tc);
	return s;
}
