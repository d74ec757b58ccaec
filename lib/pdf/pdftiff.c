/* libzairyu: scanner and fax TIFFs (single- and multi-page) as pages. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/*
 * What happens to a page (the directory of a TIFF, TIFF 6.0):
 *  - bilevel (1 bit, 1 sample, WhiteIsZero or BlackIsZero), CCITT
 *    Group 4 in one strip: the strip goes into the PDF as it is, as
 *    /CCITTFaxDecode with /K -1 (ISO 32000-1 §7.4.6, table 11), bits
 *    reversed first when FillOrder is 2 (PDF reads them first bit
 *    most significant);
 *  - other bilevel pages, Group 4 in several strips among them: each
 *    strip is its own coding (its first row refers to a white line), so
 *    strips cannot be joined; the decoded bitmap is coded again, as one
 *    Group 4 strip, by libtiff: lossless, the same pixels;
 *  - everything else (RGB, gray, palette, CMYK, YCbCr, 16 bits, JPEG,
 *    LZW, Deflate, PackBits, tiles) is decoded by libtiff's RGBA reader,
 *    8 bits gray or RGB over white, and stored as JPEG at quality 92
 *    when the page was JPEG already, else as Flate with PNG predictors
 *    (lossless); the budget search then treats it as any image.
 * Reduced-resolution copies (NewSubfileType bit 0: thumbnails) are not
 * pages.  The Orientation tag turns the page in its drawing, as a
 * JPEG's EXIF orientation does.
 */

#define TIFF_ALLOC_CAP ((tmsize_t)256 * 1024 * 1024)
#define BAND_BYTES ((size_t)4 * 1024 * 1024)

/* A TIFF in memory: read from the input, or written (the G4 coding). */
struct tmem {
	unsigned char *b;
	size_t len, cap, pos;
	int writable;
	int nerr;
	char msg[200];
};

static tmsize_t
t_read(thandle_t h, void *buf, tmsize_t n)
{
	struct tmem *t = (struct tmem *)h;
	size_t k;

	if (n <= 0 || t->pos >= t->len)
		return 0;
	k = t->len - t->pos;
	if ((size_t)n < k)
		k = (size_t)n;
	memcpy(buf, t->b + t->pos, k);
	t->pos += k;
	return (tmsize_t)k;
}

static tmsize_t
t_write(thandle_t h, void *buf, tmsize_t n)
{
	struct tmem *t = (struct tmem *)h;
	size_t need;

	if (!t->writable || n < 0)
		return -1;
	need = t->pos + (size_t)n;
	if (need > (size_t)TIFF_ALLOC_CAP)
		return -1;
	if (need > t->cap) {
		size_t nc = t->cap ? t->cap : 65536;
		unsigned char *nb;

		while (nc < need)
			nc *= 2;
		if ((nb = realloc(t->b, nc)) == NULL)
			return -1;
		t->b = nb;
		t->cap = nc;
	}
	if (t->pos > t->len)
		memset(t->b + t->len, 0, t->pos - t->len);
	memcpy(t->b + t->pos, buf, (size_t)n);
	t->pos = need;
	if (need > t->len)
		t->len = need;
	return n;
}

static toff_t
t_seek(thandle_t h, toff_t off, int whence)
{
	struct tmem *t = (struct tmem *)h;
	uint64_t base = whence == SEEK_CUR ? t->pos : whence == SEEK_END ?
	    t->len : 0;

	if (off > UINT64_MAX - base || base + off > (uint64_t)SIZE_MAX / 2)
		return (toff_t)-1;
	t->pos = (size_t)(base + off);
	return (toff_t)t->pos;
}

static int
t_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t
t_size(thandle_t h)
{
	return (toff_t)((struct tmem *)h)->len;
}

static int
t_map(thandle_t h, void **base, toff_t *size)
{
	(void)h;
	(void)base;
	(void)size;
	return 0;
}

static void
t_unmap(thandle_t h, void *base, toff_t size)
{
	(void)h;
	(void)base;
	(void)size;
}

/* libtiff's errors are kept (the first says what), never printed. */
static int
t_error(TIFF *tif, void *ud, const char *module, const char *fmt, va_list ap)
{
	struct tmem *t = ud;

	(void)tif;
	(void)module;
	if (t->nerr++ == 0) {
		vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
		/* Some messages start with the name we gave the file. */
		if (strncmp(t->msg, "tiff: ", 6) == 0)
			memmove(t->msg, t->msg + 6, strlen(t->msg + 6) + 1);
	}
	return 1;
}

static int
t_warning(TIFF *tif, void *ud, const char *module, const char *fmt,
    va_list ap)
{
	(void)tif;
	(void)ud;
	(void)module;
	(void)fmt;
	(void)ap;
	return 1;   /* unknown tags and the like: not our concern */
}

static TIFF *
t_open(struct tmem *t, const char *mode)
{
	TIFFOpenOptions *op = TIFFOpenOptionsAlloc();
	TIFF *tif;

	if (op == NULL)
		return NULL;
	TIFFOpenOptionsSetMaxSingleMemAlloc(op, TIFF_ALLOC_CAP);
	TIFFOpenOptionsSetErrorHandlerExtR(op, t_error, t);
	TIFFOpenOptionsSetWarningHandlerExtR(op, t_warning, t);
	tif = TIFFClientOpenExt("tiff", mode, (thandle_t)t, t_read, t_write,
	    t_seek, t_close, t_size, t_map, t_unmap, op);
	TIFFOpenOptionsFree(op);
	return tif;
}

/* One page being made. */
struct tpage {
	uint32_t w, h;
	uint16_t bps, spp, photo, comp, fill, orient, unit, planar;
	double xdpi, ydpi;
};

static int
damaged(struct tmem *t, const char *path, int page, struct zr_error *err)
{
	return zr_error_set(err, ZR_E_IMAGE, path, "page %d: damaged TIFF: %s",
	    page, t->msg[0] != '\0' ? t->msg : "cannot be decoded");
}

/* The bitmap coded again as one G4 strip by libtiff (*out: its bytes). */
static int
g4_encode(const unsigned char *bits, uint32_t w, uint32_t h,
    unsigned char **out, size_t *outlen)
{
	struct tmem wt;
	TIFF *tif;
	uint64_t *off = NULL, *cnt = NULL;
	tmsize_t rb = (tmsize_t)((w + 7) / 8);
	int ok = 0;

	memset(&wt, 0, sizeof(wt));
	wt.writable = 1;
	if ((tif = t_open(&wt, "wm")) == NULL) {
		free(wt.b);
		return -1;
	}
	TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, w);
	TIFFSetField(tif, TIFFTAG_IMAGELENGTH, h);
	TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
	TIFFSetField(tif, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
	TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, h);
	/* The strip's place is known once it is written (libtiff keeps
	 * the offsets of a directory being written in memory). */
	if (TIFFWriteEncodedStrip(tif, 0, (void *)(uintptr_t)bits, rb *
	    (tmsize_t)h) >= 0 && wt.nerr == 0 &&
	    TIFFGetField(tif, TIFFTAG_STRIPOFFSETS, &off) == 1 &&
	    TIFFGetField(tif, TIFFTAG_STRIPBYTECOUNTS, &cnt) == 1 &&
	    off != NULL && cnt != NULL && off[0] <= wt.len &&
	    cnt[0] <= wt.len - off[0] && cnt[0] > 0 &&
	    (*out = malloc((size_t)cnt[0])) != NULL) {
		memcpy(*out, wt.b + off[0], (size_t)cnt[0]);
		*outlen = (size_t)cnt[0];
		ok = 1;
	}
	TIFFClose(tif);
	free(wt.b);
	return ok ? 0 : -1;
}

/* The page of one TIFF image: pic's filter and parms set, data (taken
 * over and freed) its stream; the size and resolution from p. */
static int
emit_page(struct zri_merge *m, struct zri_src *s, const struct tpage *p,
    struct zri_pic *pic, unsigned char *data, size_t len, int comps, int bpc,
    int orient, struct zr_error *err)
{
	int rc;

	pic->data = data;
	pic->len = len;
	pic->width = (int)p->w;
	pic->height = (int)p->h;
	pic->comps = comps;
	pic->bpc = bpc;
	pic->orientation = orient;
	pic->xdpi = p->xdpi;
	pic->ydpi = p->ydpi;
	rc = zri_image_page(m, s->q, pic, s->path, err);
	free(data);
	return rc;
}

/* A bilevel page: Group 4, as it is when it can be. */
static int
bilevel_page(struct zri_merge *m, struct zri_src *s, TIFF *tif,
    struct tmem *t, const struct tpage *p, int pageno, struct zr_error *err)
{
	size_t rb = ((size_t)p->w + 7) / 8, total = rb * p->h, at;
	uint32_t rps = 0, strip, nstrips = TIFFNumberOfStrips(tif);
	uint32_t t6 = 0;
	unsigned char *bits, *g4 = NULL;
	uint64_t *cnt = NULL;
	size_t g4len = 0;
	tmsize_t got;
	struct zri_pic pic;
	char parms[160];

	/* Zeroed: a codec that stops early without an error (libtiff's
	 * Deflate on some damaged strips) leaves rows unwritten, which
	 * must not become whatever the memory held (same file, same page). */
	if ((bits = calloc(1, total > 0 ? total : 1)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
	/* Decoded in full, also when passed through: a damaged strip
	 * refuses the file rather than reaching the upload. */
	TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
	if (rps == 0 || rps > p->h)
		rps = p->h;
	for (strip = 0, at = 0; strip < nstrips && at < total; strip++) {
		size_t want = (size_t)rps * rb;

		if (want > total - at)
			want = total - at;
		/* A strip that decodes to fewer bytes than its rows hold
		 * is damaged too (libtiff may say nothing): the rest would
		 * be whatever the memory held, a different page each run. */
		got = TIFFReadEncodedStrip(tif, strip, bits + at,
		    (tmsize_t)want);
		if (got != (tmsize_t)want || t->nerr > 0)
			break;
		at += want;
	}
	if (at < total || t->nerr > 0) {
		free(bits);
		return damaged(t, s->path, pageno, err);
	}
	if (p->comp == COMPRESSION_CCITTFAX4)
		TIFFGetField(tif, TIFFTAG_T6OPTIONS, &t6);
	if (p->comp == COMPRESSION_CCITTFAX4 && nstrips == 1 &&
	    !(t6 & GROUP4OPT_UNCOMPRESSED) && TIFFGetField(tif,
	    TIFFTAG_STRIPBYTECOUNTS, &cnt) == 1 && cnt != NULL &&
	    cnt[0] > 0 && cnt[0] <= (uint64_t)s->bytes) {
		g4len = (size_t)cnt[0];
		if ((g4 = malloc(g4len)) == NULL) {
			free(bits);
			return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
		}
		got = TIFFReadRawStrip(tif, 0, g4, (tmsize_t)g4len);
		if (got < 0 || (size_t)got != g4len || t->nerr > 0) {
			free(g4);
			free(bits);
			return damaged(t, s->path, pageno, err);
		}
		if (p->fill == FILLORDER_LSB2MSB)
			TIFFReverseBits(g4, (tmsize_t)g4len);
	} else if (g4_encode(bits, p->w, p->h, &g4, &g4len) < 0) {
		free(bits);
		return zr_error_set(err, ZR_E_NOMEM, s->path, "page %d: cannot "
		    "code the bitmap as CCITT Group 4", pageno);
	}
	free(bits);
	/* The coding's white runs are the 0 bits libtiff decodes; with
	 * BlackIsZero those are black, which /BlackIs1 says to PDF. */
	snprintf(parms, sizeof(parms), "<< /K -1 /Columns %u /Rows %u%s >>",
	    (unsigned)p->w, (unsigned)p->h, p->photo == PHOTOMETRIC_MINISBLACK
	    ? " /BlackIs1 true" : "");
	memset(&pic, 0, sizeof(pic));
	pic.filter = "/CCITTFaxDecode";
	pic.parms = parms;
	return emit_page(m, s, p, &pic, g4, g4len, 1, 1, p->orient, err);
}

/* n RGBA pixels of libtiff's reader into o, over white, as gray or RGB;
 * returns o past them.  Its own function, kept out of line, so that the
 * fuzz build leaves it out of coverage (tests/fuzz/coverage-ignore.txt:
 * the tracing of its comparisons, every pixel, was a tenth of fuzz_tiff). */
__attribute__((noinline)) static unsigned char *
over_white(const uint32_t *band, size_t n, int gray, unsigned char *o)
{
	size_t x;

	/* Premultiplied by alpha: over white is v + (255 - a). */
	for (x = 0; x < n; x++) {
		uint32_t px = band[x];
		unsigned a = 255 - TIFFGetA(px), r = TIFFGetR(px) + a;

		if (gray)
			*o++ = (unsigned char)(r > 255 ? 255 : r);
		else {
			unsigned g = TIFFGetG(px) + a;
			unsigned b = TIFFGetB(px) + a;

			*o++ = (unsigned char)(r > 255 ? 255 : r);
			*o++ = (unsigned char)(g > 255 ? 255 : g);
			*o++ = (unsigned char)(b > 255 ? 255 : b);
		}
	}
	return o;
}

/* Any other page, through libtiff's RGBA reader, a band at a time. */
static int
decoded_page(struct zri_merge *m, struct zri_src *s, TIFF *tif,
    struct tmem *t, const struct tpage *p, int pageno, struct zr_error *err)
{
	TIFFRGBAImage ri;
	char emsg[1024];
	struct zr_image im;
	struct zr_jpeg_opts jo;
	struct zri_pic pic;
	uint32_t *band, y, n, rows;
	unsigned char *data = NULL, *pred, *o;
	size_t len = 0, plen;
	char parms[160];
	int gray, rc, orient;

	emsg[0] = '\0';
	if (!TIFFRGBAImageOK(tif, emsg))
		return zr_error_set(err, ZR_E_UNSUPPORTED, s->path, "page %d: "
		    "TIFF page not supported: %s", pageno, emsg);
	if (!TIFFRGBAImageBegin(&ri, tif, 0, emsg)) {
		/* libtiff says "Sorry, can not handle ..." for what it
		 * does not read (16-bit CMYK, for one). */
		if (strncmp(emsg, "Sorry", 5) == 0)
			return zr_error_set(err, ZR_E_UNSUPPORTED, s->path,
			    "page %d: TIFF page not supported: %s", pageno,
			    emsg);
		return zr_error_set(err, ZR_E_IMAGE, s->path, "page %d: "
		    "damaged TIFF: %s", pageno, emsg[0] != '\0' ? emsg :
		    t->msg);
	}
	/* Rows as stored; the orientation goes into the drawing. */
	orient = ri.orientation;
	ri.req_orientation = ri.orientation;
	gray = ri.photometric == PHOTOMETRIC_MINISBLACK ||
	    ri.photometric == PHOTOMETRIC_MINISWHITE;
	memset(&im, 0, sizeof(im));
	im.width = (int)p->w;
	im.height = (int)p->h;
	im.channels = gray ? 1 : 3;
	rows = (uint32_t)(BAND_BYTES / ((size_t)p->w * 4));
	if (rows == 0)
		rows = 1;
	if (rows > p->h)
		rows = p->h;
	im.pixels = malloc((size_t)p->w * p->h * (size_t)im.channels);
	band = calloc((size_t)p->w * rows, 4);   /* as bits above */
	if (im.pixels == NULL || band == NULL) {
		free(im.pixels);
		free(band);
		TIFFRGBAImageEnd(&ri);
		return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
	}
	o = im.pixels;
	for (y = 0; y < p->h; y += n) {
		n = p->h - y < rows ? p->h - y : rows;
		ri.row_offset = (int)y;
		ri.col_offset = 0;
		if (!TIFFRGBAImageGet(&ri, band, p->w, n) || t->nerr > 0)
			break;
		o = over_white(band, (size_t)p->w * n, gray, o);
	}
	free(band);
	TIFFRGBAImageEnd(&ri);
	if (y < p->h || t->nerr > 0) {
		free(im.pixels);
		return damaged(t, s->path, pageno, err);
	}
	memset(&pic, 0, sizeof(pic));
	if (p->comp == COMPRESSION_JPEG || p->comp == COMPRESSION_OJPEG) {
		/* Lossy already: a JPEG again, as for CMYK JPEG scans. */
		memset(&jo, 0, sizeof(jo));
		jo.quality = 92;
		jo.optimize = 1;
		rc = zr_jpeg_encode(&im, &jo, &data, &len, err);
		pic.filter = "/DCTDecode";
	} else {
		pred = zri_png_predict(&im, &plen);
		rc = pred == NULL ? -1 : zri_deflate9(pred, plen, &data, &len,
		    err);
		free(pred);
		if (rc < 0)
			zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
		snprintf(parms, sizeof(parms), "<< /Predictor 15 /Colors %d "
		    "/BitsPerComponent 8 /Columns %u >>", im.channels,
		    (unsigned)p->w);
		pic.filter = "/FlateDecode";
		pic.parms = parms;
	}
	free(im.pixels);
	if (rc < 0) {
		snprintf(err->subject, sizeof(err->subject), "%s",
		    zr_display_name(s->path));
		return -1;
	}
	return emit_page(m, s, p, &pic, data, len, gray ? 1 : 3, 8, orient,
	    err);
}

/* XResolution/YResolution in ResolutionUnit (TIFF 6.0 §8): dots per
 * inch, 0 when there is no unit or no plausible value. */
static double
res_dpi(TIFF *tif, ttag_t tag, uint16_t unit)
{
	float v = 0;

	if (TIFFGetField(tif, tag, &v) != 1 || !(v > 0) || !isfinite(v) ||
	    unit == RESUNIT_NONE)
		return 0;
	return unit == RESUNIT_CENTIMETER ? (double)v * 2.54 : (double)v;
}

int
zri_open_tiff(struct zri_merge *m, struct zri_src *s, struct zr_error *err)
{
	struct tmem t;
	struct tpage p;
	TIFF *tif;
	tdir_t ndir, d;
	uint32_t sub;
	int pages = 0, rc = 0;

	memset(&t, 0, sizeof(t));
	t.b = s->mem;
	t.len = (size_t)s->bytes;
	if ((tif = t_open(&t, "rm")) == NULL)
		return zr_error_set(err, ZR_E_IMAGE, s->path, "damaged TIFF: "
		    "%s", t.msg[0] != '\0' ? t.msg : "cannot be read");
	/* Bounded before anything is allocated for the pages. */
	ndir = TIFFNumberOfDirectories(tif);
	if (ndir > ZRI_TIFF_MAX_PAGES) {
		TIFFClose(tif);
		return zr_error_set(err, ZR_E_RANGE, s->path, "%u pages in a "
		    "TIFF, more than the %d taken", (unsigned)ndir,
		    ZRI_TIFF_MAX_PAGES);
	}
	s->q = zri_pdf_new();
	if (s->q == NULL || (qpdf_empty_pdf(s->q) & QPDF_ERRORS)) {
		TIFFClose(tif);
		return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
	}
	for (d = 0; d < ndir && rc == 0; d++) {
		if (!TIFFSetDirectory(tif, d) || t.nerr > 0) {
			rc = damaged(&t, s->path, pages + 1, err);
			break;
		}
		sub = 0;
		TIFFGetField(tif, TIFFTAG_SUBFILETYPE, &sub);
		if (sub & FILETYPE_REDUCEDIMAGE)
			continue;   /* a thumbnail of another page */
		pages++;
		memset(&p, 0, sizeof(p));
		if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &p.w) != 1 ||
		    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &p.h) != 1 ||
		    p.w == 0 || p.h == 0) {
			rc = zr_error_set(err, ZR_E_IMAGE, s->path, "page %d: "
			    "damaged TIFF: no image size", pages);
			break;
		}
		if ((long long)p.w * p.h > ZRI_PDF_MAX_PIXELS) {
			rc = zr_error_set(err, ZR_E_PIXELS, s->path, "page %d: "
			    "%ux%u pixels is above the cap of %lld", pages,
			    (unsigned)p.w, (unsigned)p.h,
			    (long long)ZRI_PDF_MAX_PIXELS);
			break;
		}
		TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &p.bps);
		TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &p.spp);
		TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &p.comp);
		TIFFGetFieldDefaulted(tif, TIFFTAG_FILLORDER, &p.fill);
		TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &p.orient);
		TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &p.unit);
		TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &p.planar);
		/* A missing PhotometricInterpretation: as libtiff's RGBA
		 * reader guesses it (one sample: BlackIsZero). */
		if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &p.photo) != 1)
			p.photo = p.spp == 1 ? PHOTOMETRIC_MINISBLACK :
			    PHOTOMETRIC_RGB;
		p.xdpi = res_dpi(tif, TIFFTAG_XRESOLUTION, p.unit);
		p.ydpi = res_dpi(tif, TIFFTAG_YRESOLUTION, p.unit);
		if (p.xdpi == 0 || p.ydpi == 0)
			p.xdpi = p.ydpi = 0;
		if (p.bps == 1 && p.spp == 1 && !TIFFIsTiled(tif) &&
		    (p.photo == PHOTOMETRIC_MINISWHITE ||
		    p.photo == PHOTOMETRIC_MINISBLACK))
			rc = bilevel_page(m, s, tif, &t, &p, pages, err);
		else
			rc = decoded_page(m, s, tif, &t, &p, pages, err);
	}
	TIFFClose(tif);
	if (rc == 0 && pages == 0)
		rc = zr_error_set(err, ZR_E_IMAGE, s->path, "damaged TIFF: no "
		    "pages");
	/* Once in streams the file's bytes are no longer needed. */
	free(s->mem);
	s->mem = NULL;
	if (rc < 0)
		return -1;
	s->npages = pages;
	s->version = 1.3;
	zri_pdf_warnings(s->q, NULL, 0);
	return 0;
}
