/* libzairyu: a merge's images: where they are drawn, what they are. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/* ---- images ------------------------------------------------------------ */

static struct zri_img *
img_for(struct zri_merge *m, qpdf_oh image)
{
	qpdf_data q = m->out;
	int id = qpdf_oh_get_object_id(q, image);
	struct zri_img *im, *ni;
	size_t k;

	if (id <= 0)
		return NULL;
	if ((size_t)id >= m->nobjmap) {
		size_t nn = ((size_t)id + 1) * 2;
		int *nm = realloc(m->img_of_obj, nn * sizeof(*nm));

		if (nm == NULL)
			return NULL;
		memset(nm + m->nobjmap, 0, (nn - m->nobjmap) * sizeof(*nm));
		m->img_of_obj = nm;
		m->nobjmap = nn;
	}
	if ((k = (size_t)m->img_of_obj[id]) != 0)
		return &m->img[k - 1];
	if (m->nimg == m->capimg) {
		size_t nc = m->capimg ? m->capimg * 2 : 64;

		if ((ni = realloc(m->img, nc * sizeof(*ni))) == NULL)
			return NULL;
		m->img = ni;
		m->capimg = nc;
	}
	im = &m->img[m->nimg++];
	memset(im, 0, sizeof(*im));
	im->oh = qpdf_oh_new_object(q, image);
	im->obj = id;
	im->input = m->cur_input;
	im->page = m->cur_page;
	m->img_of_obj[id] = (int)m->nimg;
	return im;
}

static void
on_place(void *ctx, qpdf_data q, qpdf_oh image, double dx, double dy)
{
	struct zri_merge *m = ctx;
	struct zri_img *im = img_for(m, image);
	double d = dx < dy ? dx : dy;

	(void)q;
	if (im == NULL || !(d > 0) || !isfinite(d))
		return;
	if (im->dpi == 0 || d < im->dpi)
		im->dpi = d;
}

/* Colour space of an image: components, and whether it may become
 * /DeviceGray; 0 when not one we re-encode. */
static int
color_comps(qpdf_data q, qpdf_oh cs, int *gray_ok)
{
	qpdf_oh a0, a1;
	long long n = 0;
	int r = 0;

	*gray_ok = 1;
	if (qpdf_oh_is_name(q, cs)) {
		const char *s = qpdf_oh_get_name(q, cs);

		if (strcmp(s, "/DeviceGray") == 0 || strcmp(s, "/G") == 0)
			return 1;
		if (strcmp(s, "/DeviceRGB") == 0 || strcmp(s, "/RGB") == 0)
			return 3;
		return 0;
	}
	if (!qpdf_oh_is_array(q, cs) || qpdf_oh_get_array_n_items(q, cs) != 2)
		return 0;
	a0 = qpdf_oh_get_array_item(q, cs, 0);
	a1 = qpdf_oh_get_array_item(q, cs, 1);
	if (qpdf_oh_is_name_and_equals(q, a0, "/ICCBased") &&
	    qpdf_oh_is_stream(q, a1)) {
		qpdf_oh d = qpdf_oh_get_dict(q, a1);

		if (zri_oh_get_int(q, d, "/N", &n) == 0 && (n == 1 || n == 3))
			r = (int)n;
		qpdf_oh_release(q, d);
	} else if (qpdf_oh_is_name_and_equals(q, a0, "/CalRGB"))
		r = 3;
	else if (qpdf_oh_is_name_and_equals(q, a0, "/CalGray"))
		r = 1;
	qpdf_oh_release(q, a0);
	qpdf_oh_release(q, a1);
	return r;
}

/* The stored samples of an image; a deflated JPEG comes out inflated
 * (a JPEG is never larger than this cap here). */
int
zri_img_raw(struct zri_merge *m, struct zri_img *im, unsigned char **raw,
    size_t *len, struct zr_error *err)
{
	unsigned char *z;
	size_t zl;
	int rc;

	if (im->ext)
		return zri_ext_read(m, im, raw, len, err);
	if (qpdf_oh_get_stream_data(m->out, im->oh, qpdf_dl_none, NULL, raw,
	    len) & QPDF_ERRORS)
		return zri_pdf_qerr(m->out, err, ZR_E_PDF, NULL,
		    "cannot read an image");
	if (im->filter != ZRI_F_FLATEDCT)
		return 0;
	rc = zri_inflate(*raw, *len, ZRI_PDF_MAX_CONTENT, &z, &zl, err);
	free(*raw);
	*raw = rc == 0 ? z : NULL;
	*len = rc == 0 ? zl : 0;
	return rc;
}

/* A JPEG image without its metadata segments, in the output and in
 * *raw (which it replaces). */
static int
strip_jpeg(struct zri_merge *m, struct zri_img *im, unsigned char **raw,
    size_t *rawlen)
{
	qpdf_data q = m->out;
	qpdf_oh d, f, p;
	unsigned char *st;
	size_t stlen;
	int n = zri_jpeg_strip(*raw, *rawlen, &st, &stlen);

	if (n <= 0)
		return n;
	d = qpdf_oh_get_dict(q, im->oh);
	f = qpdf_oh_get_key(q, d, "/Filter");
	p = qpdf_oh_get_key(q, d, "/DecodeParms");
	qpdf_oh_replace_stream_data(q, im->oh, st, stlen, f, p);
	qpdf_oh_release(q, p);
	qpdf_oh_release(q, f);
	qpdf_oh_release(q, d);
	free(*raw);
	*raw = st;
	*rawlen = stlen;
	im->raw = (long long)stlen;
	m->res->inputs[im->input].images_stripped++;
	return 0;
}

/*
 * An image under general filters libqpdf decodes (LZW, ASCII85,
 * ASCIIHex, RunLength, their predictors) as its samples deflated
 * instead, when that is smaller (Flate almost always beats LZW): a
 * lossless change, made only with a budget, after which the image can be
 * re-encoded like any other (a 200x200 LZW image was left as it was, 34
 * kB, where its pixels as JPEG fit in 13).  0 when replaced.
 */
static int
to_flate(struct zri_merge *m, struct zri_img *im)
{
	qpdf_data q = m->out;
	qpdf_oh f, p;
	unsigned char *dec = NULL, *z = NULL, *raw = NULL;
	size_t declen, zlen, rawlen, need;
	int rc = -1;

	need = (size_t)im->width * (size_t)im->height * (size_t)im->comps;
	if (zri_stream_decoded(q, im->oh, need, &dec, &declen, NULL) < 0 ||
	    declen != need)
		goto out;
	if (qpdf_oh_get_stream_data(q, im->oh, qpdf_dl_none, NULL, &raw,
	    &rawlen) & QPDF_ERRORS)
		goto out;
	if (zri_deflate9(dec, declen, &z, &zlen, NULL) < 0 || zlen >= rawlen)
		goto out;
	f = zri_name(q, "/FlateDecode");
	p = qpdf_oh_new_null(q);
	qpdf_oh_replace_stream_data(q, im->oh, z, zlen, f, p);
	qpdf_oh_release(q, f);
	qpdf_oh_release(q, p);
	m->res->flate_recompressed++;
	rc = 0;
out:
	zri_pdf_clear_error(q);
	free(dec);
	free(raw);
	free(z);
	return rc;
}

/* Read the image dictionary; decide whether it may be re-encoded. */
static int
describe(struct zri_merge *m, struct zri_img *im, struct zr_error *err)
{
	qpdf_data q = m->out;
	qpdf_oh d, v, p;
	long long w = 0, h = 0, bpc = 0, pr = 1, x;
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	struct zr_error e;
	int parms, ok = 1, gray_ok;

	d = qpdf_oh_get_dict(q, im->oh);
	zri_oh_get_int(q, d, "/Width", &w);
	zri_oh_get_int(q, d, "/Height", &h);
	zri_oh_get_int(q, d, "/BitsPerComponent", &bpc);
	im->width = (int)(w > 0 && w < INT32_MAX ? w : 0);
	im->height = (int)(h > 0 && h < INT32_MAX ? h : 0);
	im->bpc = (int)(bpc > 0 && bpc <= 16 ? bpc : 0);
	im->filter = zri_stream_filter(q, im->oh, &parms);
	v = qpdf_oh_get_key(q, d, "/ColorSpace");
	im->comps = color_comps(q, v, &gray_ok);
	im->icc_gray_ok = gray_ok;
	qpdf_oh_release(q, v);
	/* Bilevel scans, masks, JPEG 2000, colour-keyed or re-mapped
	 * samples stay as they are. */
	v = qpdf_oh_get_key(q, d, "/ImageMask");
	if (qpdf_oh_is_bool(q, v) && qpdf_oh_get_bool_value(q, v))
		ok = 0;
	qpdf_oh_release(q, v);
	v = qpdf_oh_get_key(q, d, "/Mask");
	if (qpdf_oh_is_array(q, v))
		ok = 0;
	qpdf_oh_release(q, v);
	if (qpdf_oh_has_key(q, d, "/Decode"))
		ok = 0;
	if (im->bpc != 8 || im->comps == 0 || im->width == 0 ||
	    im->height == 0)
		ok = 0;
	if ((long long)im->width * im->height > ZRI_PDF_MAX_PIXELS)
		ok = 0;
	if (ok && im->filter == ZRI_F_OTHER && m->o->max_bytes > 0 &&
	    to_flate(m, im) == 0) {
		im->filter = ZRI_F_FLATE;
		parms = 0;
	}
	if (im->filter != ZRI_F_NONE && im->filter != ZRI_F_FLATE &&
	    im->filter != ZRI_F_DCT && im->filter != ZRI_F_FLATEDCT)
		ok = 0;
	if (parms && im->filter == ZRI_F_FLATE) {
		/* PNG or TIFF predictors matching the samples only. */
		p = qpdf_oh_get_key(q, d, "/DecodeParms");
		if (qpdf_oh_is_array(q, p)) {
			v = qpdf_oh_get_array_item(q, p, 0);
			qpdf_oh_release(q, p);
			p = v;
		}
		if (zri_oh_get_int(q, p, "/Predictor", &pr) < 0)
			pr = 1;
		if (zri_oh_get_int(q, p, "/Colors", &x) == 0 && x != im->comps)
			ok = 0;
		if (zri_oh_get_int(q, p, "/BitsPerComponent", &x) == 0 &&
		    x != 8)
			ok = 0;
		if (zri_oh_get_int(q, p, "/Columns", &x) == 0 &&
		    x != im->width)
			ok = 0;
		if (pr != 1 && pr != 2 && (pr < 10 || pr > 15))
			ok = 0;
		qpdf_oh_release(q, p);
	} else if (parms)
		ok = 0;
	im->predictor = (int)pr;
	/* A scan's image was made here (and stripped) from a file we read:
	 * its /Length is its size, and its bytes can stay on disk. */
	if (m->src[im->input].ext && im->filter == ZRI_F_DCT) {
		/* ... or it is still in the file (see struct zri_src). */
		im->ext = 1;
		im->raw = m->src[im->input].extlen;
	} else if (m->src[im->input].kind != ZR_PDF_IN_PDF && (im->filter ==
	    ZRI_F_DCT || im->filter == ZRI_F_FLATE) && zri_oh_get_int(q, d,
	    "/Length", &x) == 0 && x > 0)
		im->raw = x;
	qpdf_oh_release(q, d);
	if (im->raw > 0)
		;
	else if (qpdf_oh_get_stream_data(q, im->oh, qpdf_dl_none, NULL, &raw,
	    &rawlen) & QPDF_ERRORS)
		return zri_pdf_qerr(q, err, ZR_E_PDF,
		    m->src[im->input].path, "cannot read an image");
	else
		im->raw = (long long)rawlen;
	if (!m->o->keep_metadata && raw != NULL) {
		/* The images' XMP and the EXIF, XMP and IPTC segments of
		 * their JPEGs stay out of the upload (issue 14). */
		d = qpdf_oh_get_dict(q, im->oh);
		qpdf_oh_remove_key(q, d, "/Metadata");
		qpdf_oh_release(q, d);
		if (im->filter == ZRI_F_DCT && strip_jpeg(m, im, &raw,
		    &rawlen) < 0)
			return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	if (im->filter == ZRI_F_FLATEDCT) {
		free(raw);
		if (zri_img_raw(m, im, &raw, &rawlen, &e) < 0)
			return zr_error_set(err, ZR_E_PDF,
			    m->src[im->input].path, "page %d: damaged JPEG "
			    "image: %s", im->page, e.msg);
	}
	/*
	 * Every JPEG is read by libjpeg once (validate_one() at 1/8 scale,
	 * or the budget search): what libjpeg cannot decode refuses the
	 * input with the reason; damage it recovers from (its warnings:
	 * corrupt data, extraneous bytes before a marker, a premature end)
	 * is what viewers show too, so such a JPEG is passed through, or
	 * re-encoded from what libjpeg recovers, with a warning (issue 14).
	 * The pixel cap bounds the work a decompression bomb could ask for.
	 */
	if (im->filter == ZRI_F_DCT || im->filter == ZRI_F_FLATEDCT) {
		if ((long long)im->width * im->height > ZRI_PDF_MAX_PIXELS) {
			free(raw);
			return zr_error_set(err, ZR_E_PIXELS,
			    m->src[im->input].path, "page %d: JPEG image of "
			    "%dx%d pixels is above the cap of %lld",
			    im->page, im->width, im->height,
			    (long long)ZRI_PDF_MAX_PIXELS);
		}
		im->vcheck = 1;
	}
	free(raw);
	im->eligible = ok;
	return 0;
}

void
zri_jpeg_warned(struct zri_img *im, const char *msg, int truncated)
{
	if (im->jwarn++ == 0)
		snprintf(im->jmsg, sizeof(im->jmsg), "%s", msg);
	if (truncated)
		im->jtrunc = 1;
}

/*
 * A JPEG that ends before its end: libjpeg shows the rest grey, but
 * libqpdf's reader stops with an error, so the output would fail "qpdf
 * --check".  Re-encoded from what libjpeg recovers, at quality 90.
 */
static int
recode_truncated(struct zri_merge *m, struct zri_img *im,
    struct zr_error *err)
{
	struct zr_decode_opts dopt;
	struct zr_image_info info;
	struct zr_image dec;
	struct zr_jpeg_opts jo;
	struct zr_error e;
	unsigned char *raw = NULL, *jpg = NULL;
	size_t rawlen = 0, len = 0;
	qpdf_oh f, p;

	if (zri_img_raw(m, im, &raw, &rawlen, err) < 0)
		return -1;
	memset(&dopt, 0, sizeof(dopt));
	dopt.max_pixels = ZRI_PDF_MAX_PIXELS;
	dopt.tolerant = 1;
	dopt.gray = im->comps == 1;
	if (zr_image_decode(raw, rawlen, "image", &dopt, &dec, &info,
	    &e) < 0) {
		free(raw);
		return zr_error_set(err, ZR_E_PDF, m->src[im->input].path,
		    "page %d: damaged JPEG image: %s", im->page, e.msg);
	}
	free(raw);
	memset(&jo, 0, sizeof(jo));
	jo.quality = 90;
	jo.optimize = 1;
	if (zr_jpeg_encode(&dec, &jo, &jpg, &len, err) < 0) {
		zr_image_free(&dec);
		return -1;
	}
	zr_image_free(&dec);
	f = zri_name(m->out, "/DCTDecode");
	p = qpdf_oh_new_null(m->out);
	qpdf_oh_replace_stream_data(m->out, im->oh, jpg, len, f, p);
	qpdf_oh_release(m->out, f);
	qpdf_oh_release(m->out, p);
	free(jpg);
	im->ext = 0;
	im->filter = ZRI_F_DCT;
	im->raw = (long long)len;
	im->recoded = 1;
	m->res->inputs[im->input].images_recoded++;
	return 0;
}

static int
to_validate(const struct zri_img *im)
{
	return im->vcheck && !im->decoded;
}

/* Decode a JPEG of the inventory at 1/8 scale: one that fails refuses
 * its input, one with damage libjpeg recovers from is noted; one that is
 * not what its dictionary says, or that libjpeg does not support, is
 * kept as it is. */
static int
validate_one(const struct zri_merge *m, struct zri_img *im,
    const unsigned char *raw, size_t rawlen, void *arg)
{
	struct zr_decode_opts dopt;
	struct zr_image_info info;
	struct zr_image tmp;
	struct zr_error e;

	(void)m;
	(void)arg;
	memset(&dopt, 0, sizeof(dopt));
	dopt.max_pixels = ZRI_PDF_MAX_PIXELS;
	dopt.min_width = dopt.min_height = 1;
	dopt.tolerant = 1;   /* what viewers show: see describe() */
	/* A DCTDecode stream is a JPEG from its first byte (ITU-T T.81
	 * B.2.1: SOI first); libjpeg, and so libqpdf and most viewers, read
	 * nothing else.  Said as such, not as "not an image file". */
	if (rawlen < 2 || raw[0] != 0xff || raw[1] != 0xd8) {
		im->vfail = 1;
		snprintf(im->vmsg, sizeof(im->vmsg), "its data does not "
		    "begin with a JPEG start marker, so no reader can show "
		    "it");
		im->eligible = 0;
		return 0;
	}
	if (zr_image_decode(raw, rawlen, "image", &dopt, &tmp, &info,
	    &e) < 0) {
		if (e.code != ZR_E_UNSUPPORTED) {
			im->vfail = 1;
			snprintf(im->vmsg, sizeof(im->vmsg), "%s", e.msg);
		}
		im->eligible = 0;
		return 0;
	}
	zr_image_free(&tmp);
	if (info.warnings > 0)
		zri_jpeg_warned(im, info.warning, info.truncated);
	if (info.components != im->comps || info.width != im->width ||
	    info.height != im->height)
		im->eligible = 0;
	return 0;
}

int
zri_inventory(struct zri_merge *m, struct zr_error *err)
{
	qpdf_data q = m->out;
	qpdf_oh page, res, xo, x, d;
	struct zri_img *im;
	size_t i, k;
	int p = 0, pi, scanned;
	double pw, ph, dd;
	const char *key;
	char **keys;
	size_t nk;

	for (i = 0; i < m->nsrc; i++) {
		m->cur_input = (int)i;
		for (pi = 0; pi < m->src[i].npages; pi++, p++) {
			m->cur_page = pi + 1;
			page = qpdf_get_page_n(q, (size_t)p);
			scanned = zri_pdf_scan_page(q, page, on_place, m,
			    NULL) == 0;
			/* Images the content did not reveal: assume they fill
			 * the page (the lowest plausible resolution). */
			zri_page_size(q, page, &pw, &ph);
			res = qpdf_oh_get_key(q, page, "/Resources");
			xo = qpdf_oh_get_key_if_dict(q, res, "/XObject");
			keys = NULL;
			nk = 0;
			if (qpdf_oh_is_dictionary(q, xo)) {
				qpdf_oh_begin_dict_key_iter(q, xo);
				while (qpdf_oh_dict_more_keys(q)) {
					char **nkk = realloc(keys, (nk + 1) *
					    sizeof(*keys));

					key = qpdf_oh_dict_next_key(q);
					if (nkk == NULL)
						break;
					keys = nkk;
					keys[nk++] = strdup(key);
				}
			}
			for (k = 0; k < nk; k++) {
				if (keys[k] == NULL)
					continue;
				x = qpdf_oh_get_key(q, xo, keys[k]);
				free(keys[k]);
				d = qpdf_oh_is_stream(q, x) ?
				    qpdf_oh_get_dict(q, x) : 0;
				if (d != 0 && zri_oh_is_name(q, d, "/Subtype",
				    "/Image") && qpdf_oh_is_indirect(q, x)) {
					int known = qpdf_oh_get_object_id(q, x)
					    < (int)m->nobjmap &&
					    m->img_of_obj[qpdf_oh_get_object_id(
					    q, x)] != 0;
					long long w = 0, h = 0;

					if (!known || !scanned) {
						im = img_for(m, x);
						zri_oh_get_int(q, d, "/Width",
						    &w);
						zri_oh_get_int(q, d, "/Height",
						    &h);
						dd = (double)w * 72 / pw <
						    (double)h * 72 / ph ?
						    (double)w * 72 / pw :
						    (double)h * 72 / ph;
						if (im != NULL && dd > 0 &&
						    (im->dpi == 0 ||
						    dd < im->dpi))
							im->dpi = dd;
					}
				}
				if (d != 0)
					qpdf_oh_release(q, d);
				qpdf_oh_release(q, x);
			}
			free(keys);
			qpdf_oh_release(q, xo);
			qpdf_oh_release(q, res);
			qpdf_oh_release(q, page);
		}
	}
	if (m->nimg > 0 && m->img == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	for (i = 0; i < m->nimg; i++)
		if (describe(m, &m->img[i], err) < 0)
			return -1;
	zri_pdf_warnings(q, NULL, 0);
	return 0;
}

int
zri_validate(struct zri_merge *m, struct zr_error *err)
{
	size_t i;

	if (zri_pool_run(m, to_validate, validate_one, NULL, 1, err) < 0)
		return -1;
	for (i = 0; i < m->nimg; i++)
		if (m->img[i].vfail)
			return zr_error_set(err, ZR_E_PDF,
			    m->src[m->img[i].input].path, "page %d: damaged "
			    "JPEG image: %s", m->img[i].page, m->img[i].vmsg);
	for (i = 0; i < m->nimg; i++) {
		struct zri_img *im = &m->img[i];

		if (im->jtrunc && !im->recoded && recode_truncated(m, im,
		    err) < 0)
			return -1;
		if (im->jwarn)
			zri_note(m->res, "%s: warning: page %d: damaged JPEG "
			    "image (libjpeg: %s); %s", zr_display_name(
			    m->src[im->input].path), im->page, im->jmsg,
			    im->recoded ? "re-encoded from what libjpeg "
			    "recovers" : "passed through as it is");
	}
	zri_pdf_warnings(m->out, NULL, 0);
	return 0;
}

