/* libzairyu: page thumbnails and a contact sheet of a PDF (poppler + cairo). */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_PREVIEW_H
#define ZAIRYU_PREVIEW_H

#include <stddef.h>

#include "zairyu/error.h"

/* Limits of what is rendered: work stays bounded on any input. */
#define ZR_PREVIEW_MAX_PAGES 999
#define ZR_PREVIEW_MAX_BYTES (64L * 1024 * 1024)

struct zr_preview_opts {
	int box_w, box_h;         /* a thumbnail fits this box; 0: 424 x 600
				     (A4 at about 51 dpi) */
	int columns;              /* of the contact sheet; 0: 4 */
	const char *password;     /* for a protected PDF, or NULL */
};

struct zr_preview_page {
	int page;                 /* 1-based */
	int width, height;        /* of the PNG, in pixels */
	double width_pt, height_pt; /* of the page (after /Rotate) */
	char *source;             /* title of the outline entry this page
				     falls under (zr_pdf_merge() writes one
				     per input, the input's name), or NULL */
	unsigned char *png;       /* the thumbnail, a PNG file */
	size_t png_len;
};

struct zr_preview {
	int npages;
	struct zr_preview_page *pages;
	unsigned char *sheet;     /* the contact sheet: every page, each
				     labelled with its number and source */
	size_t sheet_len;
	int sheet_w, sheet_h;
};

/*
 * Render every page of the PDF in data[0..len-1] with poppler (cairo
 * backend) to a PNG thumbnail on white, and one contact sheet.  Nothing
 * is printed.  The bytes depend only on the input, the options and the
 * installed poppler, cairo and fonts.
 * Errors: ZR_E_EMPTY, ZR_E_TOO_BIG (over ZR_PREVIEW_MAX_BYTES or
 * ZR_PREVIEW_MAX_PAGES pages), ZR_E_NOT_PDF, ZR_E_PDF (poppler cannot
 * read it), ZR_E_PDF_PASSWORD, ZR_E_NOMEM, ZR_E_INTERNAL (cairo failed).
 * subject is the caller's name for the file.  pv is always filled far
 * enough for zr_pdf_preview_free().
 */
int zr_pdf_preview(const unsigned char *data, size_t len, const char *subject,
    const struct zr_preview_opts *o, struct zr_preview *pv,
    struct zr_error *err);
void zr_pdf_preview_free(struct zr_preview *pv);

#endif
