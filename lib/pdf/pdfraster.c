/* libzairyu: pages whose content no reader can copy, stored as a picture
 * of what the viewers show (poppler-glib on cairo). */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <poppler.h>
#include <qpdf/qpdf-c.h>

#include "zairyu/zairyu.h"
#include "zairyu/image.h"
#include "zairyu/io.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/*
 * Issue 14 ("Read what other readers read"): refuse only what cannot be
 * made into a valid PDF.  A page whose content stream is damaged (syntax
 * errors, a stream that does not inflate to the end) fails "qpdf
 * --check" however it is copied; viewers draw what they can of it.  Such
 * a page keeps its page object (outline entries and links still point
 * at it) and gets, for content, one JPEG of poppler's rendering at
 * ZRI_RENDER_DPI, which the budget search may scale down like any scan.
 */

/* Pixels of one rendered page at most (A4 at 300 dpi is 8.7 MP). */
#define RENDER_MAX_PIXELS (40.0 * 1000 * 1000)
#define RENDER_MAX_SIDE 20000.0

int
zri_render_wanted(const struct zri_merge *m, int input)
{
	size_t i;

	for (i = 0; i < m->nrender; i++)
		if (m->render[i].input == input)
			return 1;
	return 0;
}

/* Whether page (0-based) of input is on the render list already. */
static int
listed(const struct zri_merge *m, int input, int page)
{
	size_t i;

	for (i = 0; i < m->nrender; i++)
		if (m->render[i].input == input && m->render[i].page == page)
			return 1;
	return 0;
}

/* Add (input, page) to the list once; -1 out of memory. */
int
zri_render_add(struct zri_merge *m, int input, int page)
{
	struct zri_render *r;

	if (listed(m, input, page))
		return 0;
	r = realloc(m->render, (m->nrender + 1) * sizeof(*r));
	if (r == NULL)
		return -1;
	m->render = r;
	m->render[m->nrender].input = input;
	m->render[m->nrender].page = page;
	m->nrender++;
	return 1;
}

/* The RGB pixels of a cairo RGB24 surface (native-endian 0x00RRGGBB). */
static void
surface_rgb(cairo_surface_t *sf, struct zr_image *im)
{
	const unsigned char *row = cairo_image_surface_get_data(sf);
	int stride = cairo_image_surface_get_stride(sf), x, y;
	unsigned char *o = im->pixels;

	for (y = 0; y < im->height; y++, row += stride) {
		const uint32_t *p = (const uint32_t *)(const void *)row;

		for (x = 0; x < im->width; x++) {
			*o++ = (unsigned char)(p[x] >> 16);
			*o++ = (unsigned char)(p[x] >> 8);
			*o++ = (unsigned char)p[x];
		}
	}
}

/* Page pg rendered at dpi into a JPEG (*jpg, malloc'd). */
static int
render_jpeg(PopplerPage *pg, double wpt, double hpt, double dpi,
    const char *subject, unsigned char **jpg, size_t *len, int *pw, int *ph,
    struct zr_error *err)
{
	cairo_surface_t *sf;
	cairo_t *cr;
	struct zr_image im;
	struct zr_jpeg_opts jo;
	int rc;

	*pw = (int)ceil(wpt * dpi / 72.0 - 1e-6);
	*ph = (int)ceil(hpt * dpi / 72.0 - 1e-6);
	if (*pw < 1)
		*pw = 1;
	if (*ph < 1)
		*ph = 1;
	sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *pw, *ph);
	cr = cairo_create(sf);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(cr);
		cairo_surface_destroy(sf);
		return zr_error_set(err, ZR_E_NOMEM, subject, NULL);
	}
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, (double)*pw / wpt, (double)*ph / hpt);
	poppler_page_render(pg, cr);
	cairo_destroy(cr);
	cairo_surface_flush(sf);
	im.width = *pw;
	im.height = *ph;
	im.channels = 3;
	im.pixels = malloc((size_t)*pw * (size_t)*ph * 3);
	if (im.pixels == NULL) {
		cairo_surface_destroy(sf);
		return zr_error_set(err, ZR_E_NOMEM, subject, NULL);
	}
	surface_rgb(sf, &im);
	cairo_surface_destroy(sf);
	memset(&jo, 0, sizeof(jo));
	jo.quality = 92;
	jo.optimize = 1;
	rc = zr_jpeg_encode(&im, &jo, jpg, len, err);
	free(im.pixels);
	return rc;
}

/* Replace page's content by the JPEG, drawn over a w x h pt page. */
static void
replace_page(qpdf_data q, qpdf_oh page, const unsigned char *jpg,
    size_t len, int pw, int ph, double wpt, double hpt)
{
	static const char *const drop[] = { "/CropBox", "/BleedBox",
	    "/TrimBox", "/ArtBox", "/Annots", "/Group", "/UserUnit",
	    "/PieceInfo", "/SeparationInfo", "/Thumb", "/B", "/VP" };
	char text[160];
	qpdf_oh img, d, f, nul, cs, res, xo, box;
	size_t i;
	int n;

	img = qpdf_oh_new_stream(q);
	f = zri_name(q, "/DCTDecode");
	nul = qpdf_oh_new_null(q);
	qpdf_oh_replace_stream_data(q, img, jpg, len, f, nul);
	qpdf_oh_release(q, f);
	qpdf_oh_release(q, nul);
	d = qpdf_oh_get_dict(q, img);
	zri_set_key(q, d, "/Type", zri_name(q, "/XObject"));
	zri_set_key(q, d, "/Subtype", zri_name(q, "/Image"));
	zri_set_key(q, d, "/Width", qpdf_oh_new_integer(q, pw));
	zri_set_key(q, d, "/Height", qpdf_oh_new_integer(q, ph));
	zri_set_key(q, d, "/BitsPerComponent", qpdf_oh_new_integer(q, 8));
	cs = zri_name(q, "/DeviceRGB");
	zri_set_key(q, d, "/ColorSpace", cs);
	qpdf_oh_release(q, d);

	n = snprintf(text, sizeof(text), "q %.4f 0 0 %.4f 0 0 cm /ZrPage Do "
	    "Q\n", wpt, hpt);
	d = qpdf_oh_new_stream(q);
	nul = qpdf_oh_new_null(q);
	f = qpdf_oh_new_null(q);
	qpdf_oh_replace_stream_data(q, d, (const unsigned char *)text,
	    (size_t)n, f, nul);
	qpdf_oh_release(q, f);
	qpdf_oh_release(q, nul);
	zri_set_key(q, page, "/Contents", d);

	xo = qpdf_oh_new_dictionary(q);
	zri_set_key(q, xo, "/ZrPage", img);
	res = qpdf_oh_new_dictionary(q);
	zri_set_key(q, res, "/XObject", xo);
	zri_set_key(q, page, "/Resources", res);
	snprintf(text, sizeof(text), "[0 0 %.4f %.4f]", wpt, hpt);
	box = qpdf_oh_parse(q, text);
	zri_set_key(q, page, "/MediaBox", box);
	zri_set_key(q, page, "/Rotate", qpdf_oh_new_integer(q, 0));
	for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		qpdf_oh_remove_key(q, page, drop[i]);
}

int
zri_render_pages(struct zri_merge *m, struct zri_src *s, const char *pw,
    struct zr_error *err)
{
	int input = (int)(s - m->src), rc = -1;
	unsigned char *data = NULL, *jpg;
	const unsigned char *bytes;
	size_t len, jlen, i;
	GBytes *gb = NULL;
	GError *ge = NULL;
	PopplerDocument *doc = NULL;
	const char *name = zr_display_name(s->path);
	char list[160] = "";
	int nd = 0;
	double shown = 0;

	if (!zri_render_wanted(m, input))
		return 0;
	if (s->mem != NULL) {
		bytes = s->mem;
		len = (size_t)s->bytes;
	} else {
		if (zr_read_file(s->path, 0, &data, &len, err) < 0)
			return -1;
		bytes = data;
	}
	gb = g_bytes_new_static(bytes, len);
	doc = poppler_document_new_from_bytes(gb, pw, &ge);
	if (doc == NULL) {
		zr_error_set(err, ZR_E_PDF, name, "damaged beyond what can be "
		    "copied, and poppler cannot render it: %.160s",
		    ge != NULL && ge->message != NULL ? ge->message :
		    "cannot read");
		goto out;
	}
	if (poppler_document_get_n_pages(doc) != s->npages) {
		zr_error_set(err, ZR_E_PDF, name, "damaged beyond what can be "
		    "copied, and poppler reads %d pages where libqpdf reads "
		    "%d", poppler_document_get_n_pages(doc), s->npages);
		goto out;
	}
	for (i = 0; i < m->nrender; i++) {
		PopplerPage *pg;
		double wpt, hpt, dpi, px;
		int pwid, phei, r;
		qpdf_oh page;

		if (m->render[i].input != input)
			continue;
		dpi = m->o->render_dpi > 0 ? m->o->render_dpi : ZRI_RENDER_DPI;
		if (m->render[i].page < 0 || m->render[i].page >= s->npages)
			continue;
		pg = poppler_document_get_page(doc, m->render[i].page);
		if (pg == NULL) {
			zr_error_set(err, ZR_E_PDF, name, "page %d: poppler "
			    "cannot render it", m->render[i].page + 1);
			goto out;
		}
		poppler_page_get_size(pg, &wpt, &hpt);
		if (!(wpt >= 1 && hpt >= 1 && wpt <= 14400 && hpt <= 14400)) {
			g_object_unref(pg);
			zr_error_set(err, ZR_E_PDF, name, "page %d: a page of "
			    "%.0f x %.0f pt cannot be rendered",
			    m->render[i].page + 1, wpt, hpt);
			goto out;
		}
		/* Big pages at fewer dpi: the pixels stay bounded. */
		px = wpt * hpt * (dpi / 72.0) * (dpi / 72.0);
		if (px > RENDER_MAX_PIXELS)
			dpi *= sqrt(RENDER_MAX_PIXELS / px);
		if (fmax(wpt, hpt) * dpi / 72.0 > RENDER_MAX_SIDE)
			dpi = RENDER_MAX_SIDE * 72.0 / fmax(wpt, hpt);
		r = render_jpeg(pg, wpt, hpt, dpi, name, &jpg, &jlen, &pwid,
		    &phei, err);
		g_object_unref(pg);
		if (r < 0)
			goto out;
		page = qpdf_get_page_n(s->q, (size_t)m->render[i].page);
		replace_page(s->q, page, jpg, jlen, pwid, phei, wpt, hpt);
		qpdf_oh_release(s->q, page);
		free(jpg);
		nd++;
		if (strlen(list) + 16 < sizeof(list))
			snprintf(list + strlen(list), sizeof(list) -
			    strlen(list), "%s%d", nd > 1 ? ", " : "",
			    m->render[i].page + 1);
		else if (strstr(list, "...") == NULL)
			snprintf(list + strlen(list), sizeof(list) -
			    strlen(list), ", ...");
		shown = dpi;
	}
	if (nd > 0)
		zri_note(m->res, "%s: warning: the content of %s %s is damaged "
		    "beyond what can be copied; stored as %s of %s at %.0f "
		    "dpi, as viewers show %s (text there can no longer be "
		    "selected)", name, nd == 1 ? "page" : "pages", list,
		    nd == 1 ? "a picture" : "pictures", nd == 1 ? "it" :
		    "them", shown, nd == 1 ? "it" : "them");
	if (qpdf_has_error(s->q)) {
		zri_pdf_qerr(s->q, err, ZR_E_PDF, name, "cannot replace a "
		    "damaged page");
		goto out;
	}
	rc = 0;
out:
	if (ge != NULL)
		g_error_free(ge);
	if (doc != NULL)
		g_object_unref(doc);
	if (gb != NULL)
		g_bytes_unref(gb);
	free(data);
	return rc;
}

/* Output page out (0-based) onto the render list when it is a page of a
 * PDF input: 1 added, 0 not (a scan's page, or already there); with ask
 * set, only whether it would be added (the list stays as it is). */
int
zri_render_out_page(struct zri_merge *m, int out, int ask)
{
	size_t k;

	for (k = 0; k < m->nsrc; k++) {
		const struct zr_pdf_input_report *ir = &m->res->inputs[k];

		if (out + 1 < ir->first_page || out + 1 >= ir->first_page +
		    ir->pages)
			continue;
		if (m->src[k].kind != ZR_PDF_IN_PDF)
			return 0;
		if (ask)
			return !listed(m, (int)k, out + 1 - ir->first_page);
		return zri_render_add(m, (int)k, out + 1 - ir->first_page);
	}
	return 0;
}
