/* libzairyu: decode PDF image streams, detect gray scans, re-encode, estimate. */
/* SPDX-License-Identifier: MIT */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/pdf.h"
#include "pdfint.h"

/* One row of PNG predictor output (PNG 1.2 section 6; t, the row's
 * filter type, 1 to 4) in place: in, the row's bytes after its type
 * byte, lies after out in the same buffer, so a forward pass reads each
 * input byte before anything is written over it; prev is the previous
 * output row (NULL for the first).  An arithmetic kernel, not
 * instrumented for coverage (tests/fuzz/coverage-ignore.txt): its
 * comparisons are of pixel values, one per byte. */
static void
unpredict_row(unsigned char *out, const unsigned char *in,
    const unsigned char *prev, size_t n, size_t b, int t)
{
	size_t x;

	for (x = 0; x < n; x++) {
		int a = x >= b ? out[x - b] : 0;
		int up = prev != NULL ? prev[x] : 0;
		int ul = prev != NULL && x >= b ? prev[x - b] : 0;
		int v = in[x], p, pa, pb, pc;

		if (t == 1)
			v += a;
		else if (t == 2)
			v += up;
		else if (t == 3)
			v += (a + up) / 2;
		else {
			p = a + up - ul;
			pa = abs(p - a);
			pb = abs(p - up);
			pc = abs(p - ul);
			v += pa <= pb && pa <= pc ? a : pb <= pc ? up : ul;
		}
		out[x] = (unsigned char)v;
	}
}

/* Undo a PNG predictor (ISO 32000-1 §7.4.4.4, PNG filter types 0-4) in
 * place: rows of 1 + rowbytes bytes (the type, then the row) become rows
 * of rowbytes; -1 for a type that is not one of PNG's. */
static int
unpredict_png(unsigned char *d, size_t rows, size_t rowbytes, int bpp)
{
	unsigned char *prev = NULL, *out;
	size_t y;

	for (y = 0; y < rows; y++) {
		unsigned char t = d[y * (rowbytes + 1)];
		const unsigned char *row = d + y * (rowbytes + 1) + 1;

		out = d + y * rowbytes;
		if (t > 4)
			return -1;
		if (t == 0)
			memmove(out, row, rowbytes);
		else
			unpredict_row(out, row, prev, rowbytes, (size_t)bpp, t);
		prev = out;
	}
	return 0;
}

int
zr_pdf_image_decode(const struct zr_pdf_imgfmt *f, const unsigned char *raw,
    size_t len, int min_w, int min_h, struct zr_image *out,
    struct zr_error *err)
{
	struct zr_decode_opts o;
	struct zr_image_info info;
	unsigned char *data = NULL;
	size_t rowbytes, need, got, x, y;
	int rc;

	memset(out, 0, sizeof(*out));
	if (f->width <= 0 || f->height <= 0 || f->bpc != 8 ||
	    (f->components != 1 && f->components != 3))
		return zr_error_set(err, ZR_E_UNSUPPORTED, NULL,
		    "image format not supported for recompression");
	if ((long long)f->width * f->height > ZRI_PDF_MAX_PIXELS)
		return zr_error_set(err, ZR_E_PIXELS, NULL,
		    "image of %dx%d pixels is above the %lld-pixel cap",
		    f->width, f->height, (long long)ZRI_PDF_MAX_PIXELS);
	if (f->filter == ZR_PDF_DCT) {
		memset(&o, 0, sizeof(o));
		o.max_pixels = ZRI_PDF_MAX_PIXELS;
		o.min_width = min_w;
		o.min_height = min_h;
		o.apply_orientation = 0;  /* PDF ignores EXIF */
		o.gray = f->components == 1 || f->gray;
		o.tolerant = f->tolerant;
		if (zr_image_decode(raw, len, "image", &o, out, &info, err) < 0)
			return -1;
		if (info.width != f->width || info.height != f->height ||
		    (info.components != f->components)) {
			zr_image_free(out);
			return zr_error_set(err, ZR_E_IMAGE, NULL,
			    "JPEG data (%dx%d, %d components) does not match "
			    "the image dictionary", info.width, info.height,
			    info.components);
		}
		if (info.warnings > 0) {
			zr_error_set(err, ZR_E_IMAGE, NULL, "%s", info.warning);
			return info.truncated ? 2 : 1;
		}
		return 0;
	}
	rowbytes = (size_t)f->width * (size_t)f->components;
	need = rowbytes * (size_t)f->height;
	if (f->predictor >= 10)
		need += (size_t)f->height;
	if (f->filter == ZR_PDF_FLATE) {
		/* Samples past the image's last row are ignored, as readers
		 * do (a repaired LZW stream keeps what decoded: pdfrepair.c);
		 * a few rows' worth is allowed, not a bomb. */
		if (zri_inflate(raw, len, need + need / 16 + 256, &data, &got,
		    err) < 0)
			return -1;
	} else {
		got = len < need ? len : need;
		if ((data = malloc(need > 0 ? need : 1)) == NULL)
			return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		memcpy(data, raw, got);
	}
	if (got < need) {
		free(data);
		return zr_error_set(err, ZR_E_IMAGE, NULL,
		    "image data is %zu bytes, %zu expected", got, need);
	}
	rc = 0;
	if (f->predictor >= 10)
		rc = unpredict_png(data, (size_t)f->height, rowbytes,
		    f->components);
	else if (f->predictor == 2)
		for (y = 0; y < (size_t)f->height; y++)
			for (x = (size_t)f->components; x < rowbytes; x++)
				data[y * rowbytes + x] = (unsigned char)(
				    data[y * rowbytes + x] + data[y * rowbytes +
				    x - (size_t)f->components]);
	else if (f->predictor != 1 && f->predictor != 0)
		rc = -1;
	if (rc < 0) {
		free(data);
		return zr_error_set(err, ZR_E_IMAGE, NULL,
		    "bad predictor data");
	}
	out->width = f->width;
	out->height = f->height;
	out->channels = f->components;
	out->pixels = data;
	return 0;
}

/* One row's share of zr_pdf_image_near_gray: of np pixels 6 bytes apart,
 * how many have channels more than 48 apart (*strong) and more than 24
 * (*over24, the strong included).  Branch-free, so that it vectorises. */
ZRI_VECTOR
static void
near_gray_row(const unsigned char *restrict p, size_t np, size_t *strong,
    size_t *over24)
{
	uint32_t s = 0, m = 0;

	for (size_t i = 0; i < np; i++) {
		unsigned a = p[6 * i], b = p[6 * i + 1], c = p[6 * i + 2];
		unsigned mx = a > b ? a : b, mn = a < b ? a : b;

		mx = mx > c ? mx : c;
		mn = mn < c ? mn : c;
		s += mx - mn > 48;
		m += mx - mn > 24;
	}
	*strong = s;
	*over24 = m;
}

int
zr_pdf_image_near_gray(const struct zr_image *img)
{
	size_t n, y, strong = 0, mild = 0, s, m;

	if (img->channels == 1)
		return 1;
	if (img->channels != 3 || img->pixels == NULL)
		return 0;
	/* Every other pixel of every other row: a seal is hundreds of
	 * pixels across, and this is four times cheaper. */
	n = (((size_t)img->width + 1) / 2) * (((size_t)img->height + 1) / 2);
	for (y = 0; y < (size_t)img->height; y += 2) {
		near_gray_row(img->pixels + y * (size_t)img->width * 3,
		    ((size_t)img->width + 1) / 2, &s, &m);
		strong += s;
		mild += m - s;
		/* Decided as soon as either count is over its share. */
		if (strong * 5000 > n || (strong + mild) * 50 > n)
			return 0;
	}
	/*
	 * Scanner noise and colour fringes stay under these; a seal (hanko)
	 * of 15 mm on A4 is ~0.3 % of the page and keeps the page in
	 * colour, and so does a tinted form.
	 */
	return strong * 5000 <= n && (strong + mild) * 50 <= n;
}

/* ITU-R BT.601 luma, as JPEG's own YCbCr uses, of n RGB pixels into t
 * (not overlapping s): (299 R + 587 G + 114 B + 500) / 1000, the division
 * as ((x >> 3) * 33555) >> 22, which equals it for every x up to 255,500
 * (check_pdf tests all of them) and vectorises. */
ZRI_VECTOR
static void
luma_block(unsigned char *restrict t, const unsigned char *restrict s,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t x = 299u * s[3 * i] + 587u * s[3 * i + 1] +
		    114u * s[3 * i + 2] + 500u;

		t[i] = (unsigned char)(((x >> 3) * 33555u) >> 22);
	}
}

/* The luma of n RGB pixels (d may be s: each block of lumas lands at or
 * before the pixels it comes from, which have all been read). */
void
zri_luma(unsigned char *d, const unsigned char *s, size_t n)
{
	unsigned char t[256];
	size_t i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < sizeof(t) ? n - i : sizeof(t);
		luma_block(t, s + 3 * i, k);
		memcpy(d + i, t, k);
	}
}

static int
to_gray(const struct zr_image *in, struct zr_image *out, struct zr_error *err)
{
	size_t n = (size_t)in->width * (size_t)in->height;

	out->pixels = malloc(n > 0 ? n : 1);
	if (out->pixels == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	out->width = in->width;
	out->height = in->height;
	out->channels = 1;
	zri_luma(out->pixels, in->pixels, n);
	return 0;
}

void
zri_image_gray_inplace(struct zr_image *img)
{
	size_t n = (size_t)img->width * (size_t)img->height;
	unsigned char *p;

	if (img->channels != 3 || img->pixels == NULL)
		return;
	zri_luma(img->pixels, img->pixels, n);
	img->channels = 1;
	/* Give back the colour's two thirds (kept if realloc says no). */
	if (n > 0 && (p = realloc(img->pixels, n)) != NULL)
		img->pixels = p;
}

/* The image at w x h in the wanted colour: *out is either in itself
 * (*owned = 0) or new pixels. */
static int
prepare(const struct zr_image *in, int w, int h, int gray,
    struct zr_image *out, int *owned, struct zr_error *err)
{
	struct zr_image g, r;
	const struct zr_image *src = in;
	int gowned = 0;

	memset(&g, 0, sizeof(g));
	memset(&r, 0, sizeof(r));
	*owned = 0;
	if (gray && in->channels == 3) {
		if (to_gray(in, &g, err) < 0)
			return -1;
		src = &g;
		gowned = 1;
	}
	if (w != src->width || h != src->height) {
		/* The library's resampler on the stored values (Lanczos-2;
		 * the source was already reduced in the DCT domain by
		 * libjpeg where it could be, so what is left is short). */
		if (zr_image_resize_encoded(src, w, h, &r, err) < 0) {
			if (gowned)
				zr_image_free(&g);
			return -1;
		}
		if (gowned)
			zr_image_free(&g);
		*out = r;
		*owned = 1;
		return 0;
	}
	*out = *src;
	*owned = gowned;
	return 0;
}

static int
encode(const struct zr_image *img, int quality, unsigned char **buf,
    size_t *len, struct zr_error *err)
{
	struct zr_jpeg_opts o;

	memset(&o, 0, sizeof(o));
	o.quality = quality;
	o.subsample444 = 0;
	/* Tables from a sample of the page (jpeg.c): half the encode time
	 * for 0.3 % more bytes (issue 14); a band estimate is too short for
	 * a sample and gets the full statistics, as before. */
	o.optimize = 2;
	o.density_dpi = 0;
	return zr_jpeg_encode(img, &o, buf, len, err);
}

int
zr_pdf_image_recode(const struct zr_image *img, int w, int h, int gray,
    int quality, unsigned char **jpeg, size_t *len, struct zr_error *err)
{
	struct zr_image p;
	int owned, rc;

	*jpeg = NULL;
	*len = 0;
	if (w <= 0 || h <= 0 || quality < 1 || quality > 100)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "bad recompression parameters");
	if (prepare(img, w, h, gray, &p, &owned, err) < 0)
		return -1;
	rc = encode(&p, quality, jpeg, len, err);
	if (owned)
		zr_image_free(&p);
	return rc;
}

/*
 * The estimates are of libjpeg's encodes (jpeg.c, with its integer DCT,
 * islow), counted from jpegdct.c's exact DCT: islow's fixed-point rounding
 * turns a coefficient just under a half step into the level above more
 * often than the exact transform does, so such a coefficient within
 * ISLOW_MARGIN (coefficient units, T.81 A.3.3 scale) of the half step is
 * counted one level up.  Measured on six of make bench's A4 scans at
 * 620 x 877, gray and colour, against libjpeg's Huffman-optimised
 * encodes: 0 leaves quality 90 2-3 % under them, 0.07 brings qualities 60
 * to 90 within 0.5 %; the band estimates of the 30 scans then differ from
 * band encodes by 0.14 % on average (at most 1.5 %), of nine corpus
 * photos by 0.03 % (at most 1.2 %).
 */
#define ISLOW_MARGIN 0.07

#define BANDS 12
#define BAND_ROWS 16

int
zr_pdf_image_estimate(const struct zr_image *img, int w, int h, int gray,
    const int *quality, int nq, long long *bytes, struct zr_error *err)
{
	struct zr_image comp, crop, rs, p;
	long long *head, *data;
	unsigned char *buf;
	size_t len, stride, cstride;
	double s;
	int i, k, y0, sy0, sy1, ch, t0, m, owned;

	if (w <= 0 || h <= 0 || img->width <= 0 || img->height <= 0)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "bad estimate parameters");
	if (nq <= 0)
		return 0;
	/* Small images: encode them for real. */
	if (h <= 4 * BANDS * BAND_ROWS || (long long)w * h <= 400000) {
		if (prepare(img, w, h, gray, &p, &owned, err) < 0)
			return -1;
		for (i = 0; i < nq; i++) {
			if (encode(&p, quality[i], &buf, &len, err) < 0) {
				if (owned)
					zr_image_free(&p);
				return -1;
			}
			bytes[i] = (long long)len;
			free(buf);
		}
		if (owned)
			zr_image_free(&p);
		return 0;
	}
	/* Evenly spaced bands of 16 output rows, each resampled from the
	 * source rows around it (with a margin for the filter). */
	memset(&comp, 0, sizeof(comp));
	comp.width = w;
	comp.height = BANDS * BAND_ROWS;
	comp.channels = gray ? 1 : img->channels;
	cstride = (size_t)w * (size_t)comp.channels;
	comp.pixels = malloc(cstride * (size_t)comp.height);
	if (comp.pixels == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	s = (double)img->height / h;
	m = (int)(3 * (s > 1 ? s : 1)) + 2;
	stride = (size_t)img->width * (size_t)img->channels;
	for (k = 0; k < BANDS; k++) {
		y0 = (int)(((double)k + 0.5) * h / BANDS) - BAND_ROWS / 2;
		y0 -= y0 % BAND_ROWS;
		if (y0 < 0)
			y0 = 0;
		if (y0 > h - BAND_ROWS)
			y0 = h - BAND_ROWS;
		sy0 = (int)(y0 * s) - m;
		sy1 = (int)((y0 + BAND_ROWS) * s) + 1 + m;
		if (sy0 < 0)
			sy0 = 0;
		if (sy1 > img->height)
			sy1 = img->height;
		crop = *img;
		crop.pixels = img->pixels + (size_t)sy0 * stride;
		crop.height = sy1 - sy0;
		ch = (int)((double)crop.height / s + 0.5);
		if (ch < BAND_ROWS)
			ch = BAND_ROWS;
		if (prepare(&crop, w, ch, gray, &rs, &owned, err) < 0) {
			free(comp.pixels);
			return -1;
		}
		t0 = (int)(y0 - sy0 / s + 0.5);
		if (t0 < 0)
			t0 = 0;
		if (t0 > ch - BAND_ROWS)
			t0 = ch - BAND_ROWS;
		memcpy(comp.pixels + (size_t)k * BAND_ROWS * cstride,
		    rs.pixels + (size_t)t0 * cstride, BAND_ROWS * cstride);
		if (owned)
			zr_image_free(&rs);
	}
	/* Every quality from one forward DCT of the bands: their coded
	 * bytes scale with the height, the markers and tables do not. */
	head = calloc((size_t)nq, sizeof(*head));
	data = calloc((size_t)nq, sizeof(*data));
	if (head == NULL || data == NULL)
		i = zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	else
		i = zr_jpeg_sizes(&comp, quality, nq, ISLOW_MARGIN, head, data,
		    err);
	for (k = 0; k < nq && i == 0; k++)
		bytes[k] = head[k] + (long long)((double)data[k] * h /
		    comp.height);
	free(head);
	free(data);
	free(comp.pixels);
	return i < 0 ? -1 : 0;
}
