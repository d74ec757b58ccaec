/* libzairyu: page thumbnails and a contact sheet of a PDF, rendered with poppler-glib on cairo. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <poppler.h>

#include "zairyu/preview.h"

/* The contact sheet shows at most this many pages (cairo surfaces are
 * limited to 32767 pixels a side; 25 rows of cells stay far below). */
#define SHEET_PAGES 100
#define SHEET_PAD 8
#define SHEET_LABEL 18

struct membuf {
	unsigned char *p;
	size_t len, cap;
	int oom;
};

static cairo_status_t
membuf_write(void *closure, const unsigned char *data, unsigned int n)
{
	struct membuf *b = closure;
	unsigned char *np;
	size_t cap;

	if (b->len + n > b->cap) {
		cap = b->cap ? b->cap : 65536;
		while (cap < b->len + n)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return CAIRO_STATUS_NO_MEMORY;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return CAIRO_STATUS_SUCCESS;
}

/* Encode a surface as PNG into *png (malloc'd). */
static int
surface_png(cairo_surface_t *sf, const char *subject, unsigned char **png,
    size_t *len, struct zr_error *err)
{
	struct membuf b = { NULL, 0, 0, 0 };

	if (cairo_surface_write_to_png_stream(sf, membuf_write, &b) !=
	    CAIRO_STATUS_SUCCESS) {
		free(b.p);
		return zr_error_set(err, b.oom ? ZR_E_NOMEM : ZR_E_INTERNAL,
		    subject, b.oom ? NULL : "cairo cannot write a PNG");
	}
	*png = b.p;
	*len = b.len;
	return 0;
}

struct mark {
	int page;                 /* 0-based */
	char *title;
};

static int
mark_cmp(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	return (x->page > y->page) - (x->page < y->page);
}

/* The 0-based page an outline action points to, or -1. */
static int
action_page(PopplerDocument *doc, PopplerAction *a)
{
	PopplerDest *d, *named = NULL;
	int page = -1;

	if (a == NULL || a->type != POPPLER_ACTION_GOTO_DEST ||
	    (d = a->goto_dest.dest) == NULL)
		return -1;
	if (d->type == POPPLER_DEST_NAMED && d->named_dest != NULL) {
		named = poppler_document_find_dest(doc, d->named_dest);
		d = named;
	}
	if (d != NULL && d->page_num >= 1)
		page = d->page_num - 1;
	if (named != NULL)
		poppler_dest_free(named);
	return page;
}

/*
 * Each page's source: the title of the last top-level outline entry that
 * starts at or before it (zr_pdf_merge() writes one entry per input, at
 * its first page).  Pages before the first entry have none.
 */
static int
outline_sources(PopplerDocument *doc, struct zr_preview *pv,
    struct zr_error *err)
{
	PopplerIndexIter *it;
	struct mark *m = NULL, *nm;
	size_t n = 0, cap = 0, k;
	int p, rc = 0;

	if ((it = poppler_index_iter_new(doc)) == NULL)
		return 0;
	do {
		PopplerAction *a = poppler_index_iter_get_action(it);
		int page = action_page(doc, a);

		if (page >= 0 && page < pv->npages && a->any.title != NULL) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				if ((nm = realloc(m, cap * sizeof(*m))) ==
				    NULL) {
					poppler_action_free(a);
					rc = zr_error_set(err, ZR_E_NOMEM,
					    NULL, NULL);
					break;
				}
				m = nm;
			}
			m[n].page = page;
			m[n].title = a->any.title;
			a->any.title = NULL;  /* now ours (g_free) */
			n++;
		}
		if (a != NULL)
			poppler_action_free(a);
	} while (poppler_index_iter_next(it));
	poppler_index_iter_free(it);
	if (rc == 0 && n > 0) {
		/* Stable for equal pages: the later entry wins, as a reader
		 * sees the last title before the page. */
		qsort(m, n, sizeof(*m), mark_cmp);
		for (p = 0, k = 0; p < pv->npages && rc == 0; p++) {
			const char *t = NULL;

			while (k < n && m[k].page <= p)
				k++;
			if (k > 0)
				t = m[k - 1].title;
			if (t != NULL && *t != '\0' &&
			    (pv->pages[p].source = strdup(t)) == NULL)
				rc = zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		}
	}
	for (k = 0; k < n; k++)
		g_free(m[k].title);
	free(m);
	return rc;
}

/* Draw page i's thumbnail into its cell of the contact sheet. */
static void
sheet_cell(cairo_t *cr, cairo_surface_t *thumb, const struct zr_preview_page
    *pg, int idx, int cols, int cw, int ch, int tw, int th)
{
	double s, x, y, w, h;
	char label[96];
	int cx = (idx % cols) * cw, cy = (idx / cols) * ch;

	s = fmin((double)tw / pg->width, (double)th / pg->height);
	w = pg->width * s;
	h = pg->height * s;
	x = cx + SHEET_PAD + (tw - w) / 2;
	y = cy + SHEET_PAD + (th - h);
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, s, s);
	cairo_set_source_surface(cr, thumb, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_restore(cr);
	cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, floor(x) - 0.5, floor(y) - 0.5, ceil(w) + 1,
	    ceil(h) + 1);
	cairo_stroke(cr);
	/* The label: page number, then the source, clipped to the cell. */
	snprintf(label, sizeof(label), "%d  %.80s", pg->page,
	    pg->source != NULL ? pg->source : "");
	cairo_save(cr);
	cairo_rectangle(cr, cx + SHEET_PAD, cy + SHEET_PAD + th, tw,
	    SHEET_LABEL);
	cairo_clip(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 12);
	cairo_move_to(cr, cx + SHEET_PAD, cy + SHEET_PAD + th + 14);
	cairo_show_text(cr, label);
	cairo_restore(cr);
}

static int
open_doc(const unsigned char *data, size_t len, const char *subject,
    const char *password, PopplerDocument **doc, struct zr_error *err)
{
	GBytes *bytes;
	GError *ge = NULL;
	size_t i, head = len < 1024 ? len : 1024;
	int found = 0;

	if (len == 0)
		return zr_error_set(err, ZR_E_EMPTY, subject, NULL);
	if (len > (size_t)ZR_PREVIEW_MAX_BYTES)
		return zr_error_set(err, ZR_E_TOO_BIG, subject, "over %ld MB: "
		    "not previewed", ZR_PREVIEW_MAX_BYTES / (1024 * 1024));
	/* ISO 32000-1 §7.5.2 puts the header first; readers accept it
	 * within the first 1024 bytes. */
	for (i = 0; i + 5 <= head && !found; i++)
		found = memcmp(data + i, "%PDF-", 5) == 0;
	if (!found)
		return zr_error_set(err, ZR_E_NOT_PDF, subject, NULL);
	bytes = g_bytes_new_static(data, len);
	*doc = poppler_document_new_from_bytes(bytes, password, &ge);
	g_bytes_unref(bytes);
	if (*doc != NULL)
		return 0;
	if (ge != NULL && ge->domain == POPPLER_ERROR &&
	    ge->code == POPPLER_ERROR_ENCRYPTED) {
		g_error_free(ge);
		return zr_error_set(err, ZR_E_PDF_PASSWORD, subject, NULL);
	}
	zr_error_set(err, ZR_E_PDF, subject, "damaged PDF (poppler: %.160s)",
	    ge != NULL && ge->message != NULL ? ge->message : "cannot read");
	if (ge != NULL)
		g_error_free(ge);
	return -1;
}

int
zr_pdf_preview(const unsigned char *data, size_t len, const char *subject,
    const struct zr_preview_opts *o, struct zr_preview *pv,
    struct zr_error *err)
{
	PopplerDocument *doc = NULL;
	cairo_surface_t *sheet = NULL;
	cairo_t *scr = NULL;
	int box_w = 424, box_h = 600, cols = 4, n, i, shown, rows;
	int tw, th, cw, ch, rc = -1;

	memset(pv, 0, sizeof(*pv));
	if (o != NULL && o->box_w > 0 && o->box_h > 0) {
		box_w = o->box_w < 4000 ? o->box_w : 4000;
		box_h = o->box_h < 4000 ? o->box_h : 4000;
	}
	if (o != NULL && o->columns > 0)
		cols = o->columns < 16 ? o->columns : 16;
	if (open_doc(data, len, subject, o != NULL ? o->password : NULL, &doc,
	    err) < 0)
		return -1;
	n = poppler_document_get_n_pages(doc);
	if (n <= 0) {
		zr_error_set(err, ZR_E_PDF, subject, "the PDF has no pages");
		goto out;
	}
	if (n > ZR_PREVIEW_MAX_PAGES) {
		zr_error_set(err, ZR_E_TOO_BIG, subject, "%d pages: at most %d "
		    "are previewed", n, ZR_PREVIEW_MAX_PAGES);
		goto out;
	}
	if ((pv->pages = calloc((size_t)n, sizeof(*pv->pages))) == NULL) {
		zr_error_set(err, ZR_E_NOMEM, subject, NULL);
		goto out;
	}
	pv->npages = n;
	if (outline_sources(doc, pv, err) < 0)
		goto out;

	/* The contact sheet: cells of half-size thumbnails and a label. */
	shown = n < SHEET_PAGES ? n : SHEET_PAGES;
	if (cols > shown)
		cols = shown;
	rows = (shown + cols - 1) / cols;
	tw = box_w / 2 > 16 ? box_w / 2 : 16;
	th = box_h / 2 > 16 ? box_h / 2 : 16;
	cw = tw + 2 * SHEET_PAD;
	ch = th + 2 * SHEET_PAD + SHEET_LABEL;
	pv->sheet_w = cols * cw;
	pv->sheet_h = rows * ch;
	sheet = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pv->sheet_w,
	    pv->sheet_h);
	scr = cairo_create(sheet);
	if (cairo_status(scr) != CAIRO_STATUS_SUCCESS) {
		zr_error_set(err, ZR_E_NOMEM, subject, "no memory for the "
		    "contact sheet");
		goto out;
	}
	cairo_set_source_rgb(scr, 1, 1, 1);
	cairo_paint(scr);

	for (i = 0; i < n; i++) {
		struct zr_preview_page *pg = &pv->pages[i];
		PopplerPage *page = poppler_document_get_page(doc, i);
		cairo_surface_t *sf;
		cairo_t *cr;
		double w = 0, h = 0, s;
		int bad;

		if (page == NULL) {
			zr_error_set(err, ZR_E_PDF, subject, "page %d cannot "
			    "be read", i + 1);
			goto out;
		}
		poppler_page_get_size(page, &w, &h);
		if (!isfinite(w) || !isfinite(h) || w < 1 || h < 1 ||
		    w > 1e6 || h > 1e6) {
			g_object_unref(page);
			zr_error_set(err, ZR_E_PDF, subject, "page %d has no "
			    "usable size", i + 1);
			goto out;
		}
		pg->page = i + 1;
		pg->width_pt = w;
		pg->height_pt = h;
		s = fmin(box_w / w, box_h / h);
		pg->width = (int)fmax(1, floor(w * s + 0.5));
		pg->height = (int)fmax(1, floor(h * s + 0.5));
		sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pg->width,
		    pg->height);
		cr = cairo_create(sf);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_scale(cr, pg->width / w, pg->height / h);
		poppler_page_render(page, cr);
		bad = cairo_status(cr) != CAIRO_STATUS_SUCCESS;
		cairo_destroy(cr);
		g_object_unref(page);
		cairo_surface_flush(sf);
		if (bad || surface_png(sf, subject, &pg->png, &pg->png_len,
		    err) < 0) {
			if (bad)
				zr_error_set(err, ZR_E_INTERNAL, subject,
				    "page %d: cairo cannot draw it", i + 1);
			cairo_surface_destroy(sf);
			goto out;
		}
		if (i < shown)
			sheet_cell(scr, sf, pg, i, cols, cw, ch, tw, th);
		cairo_surface_destroy(sf);
	}
	cairo_surface_flush(sheet);
	if (cairo_status(scr) != CAIRO_STATUS_SUCCESS) {
		zr_error_set(err, ZR_E_INTERNAL, subject, "cairo cannot draw the "
		    "contact sheet");
		goto out;
	}
	if (surface_png(sheet, subject, &pv->sheet, &pv->sheet_len, err) < 0)
		goto out;
	rc = 0;
out:
	if (scr != NULL)
		cairo_destroy(scr);
	if (sheet != NULL)
		cairo_surface_destroy(sheet);
	if (doc != NULL)
		g_object_unref(doc);
	return rc;
}

void
zr_pdf_preview_free(struct zr_preview *pv)
{
	int i;

	if (pv == NULL)
		return;
	for (i = 0; i < pv->npages && pv->pages != NULL; i++) {
		free(pv->pages[i].source);
		free(pv->pages[i].png);
	}
	free(pv->pages);
	free(pv->sheet);
	memset(pv, 0, sizeof(*pv));
}
