/* libzairyu: private declarations shared by the lib/pdf*.c files. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_PDFINT_H
#define ZAIRYU_PDFINT_H

#include <stddef.h>

#include <qpdf/qpdf-c.h>

#include "zairyu/error.h"
#include "zairyu/image.h"

/* Hard caps that keep work bounded whatever the input says. */
#define ZRI_PDF_MAX_PIXELS   ((long long)100 * 1000 * 1000)
#define ZRI_PDF_MAX_CONTENT  ((size_t)64 * 1024 * 1024)  /* one page */
#define ZRI_PDF_MAX_FORM_DEPTH 8

/* A fresh qpdf_data that never prints (errors and warnings are ours). */
qpdf_data zri_pdf_new(void);

/*
 * Turn the pending qpdf error of q into *err (code, subject, "what:
 * detail").  Returns -1.
 */
int zri_pdf_qerr(qpdf_data q, struct zr_error *err, int code,
    const char *subject, const char *what);

/* 1 if q has a pending error, which is then taken (and dropped). */
int zri_pdf_clear_error(qpdf_data q);

/* Drain the warnings of q: count them, keep the first in buf. */
int zri_pdf_warnings(qpdf_data q, char *buf, size_t bufsz);

/* Small typed accessors; all release their temporary handles. */
int zri_oh_is_name(qpdf_data q, qpdf_oh dict, const char *key,
    const char *name);
int zri_oh_get_num(qpdf_data q, qpdf_oh dict, const char *key, double *v);
int zri_oh_get_int(qpdf_data q, qpdf_oh dict, const char *key, long long *v);

/* The stream's filter chain, simplified. */
enum zri_filter {
	ZRI_F_NONE,    /* no filter */
	ZRI_F_FLATE,   /* /FlateDecode alone */
	ZRI_F_DCT,     /* /DCTDecode alone */
	ZRI_F_FLATEDCT,/* [/FlateDecode /DCTDecode]: a deflated JPEG */
	ZRI_F_BILEVEL, /* /CCITTFaxDecode or /JBIG2Decode */
	ZRI_F_JPX,     /* /JPXDecode */
	ZRI_F_OTHER    /* anything else or a chain */
};
enum zri_filter zri_stream_filter(qpdf_data q, qpdf_oh stream,
    int *has_parms);

/* zlib with a cap on the output (a bomb stops at cap, error). */
int zri_inflate(const unsigned char *in, size_t len, size_t cap,
    unsigned char **out, size_t *outlen, struct zr_error *err);
int zri_deflate9(const unsigned char *in, size_t len, unsigned char **out,
    size_t *outlen, struct zr_error *err);

/*
 * The decoded data of a content stream (or of a Form XObject): Flate and
 * unfiltered streams are inflated here under cap, other general filters
 * through libqpdf.  The caller frees *buf.
 */
int zri_stream_decoded(qpdf_data q, qpdf_oh stream, size_t cap,
    unsigned char **buf, size_t *len, struct zr_error *err);

/*
 * Image placements on a page.  The callback gets every image XObject
 * drawn by the page's content (and nested Form XObjects) with its
 * effective resolution along the image's own x and y axes, from the
 * current transformation matrix at the Do operator.  image is a handle
 * in q valid during the call only.
 */
typedef void (*zri_place_fn)(void *ctx, qpdf_data q, qpdf_oh image,
    double dpi_x, double dpi_y);
int zri_pdf_scan_page(qpdf_data q, qpdf_oh page, zri_place_fn fn, void *ctx,
    struct zr_error *err);

/* Content of a buffer (the scanner core, exposed for tests and fuzzing):
 * calls fn for each "Do" with the CTM; resources lookups are done by the
 * caller through lookup (NULL: every name is an image of size 1x1). */
struct zri_ctm {
	double a, b, c, d, e, f;
};
typedef void (*zri_do_fn)(void *ctx, const char *name, const struct zri_ctm *m,
    int depth);
int zri_content_scan(const unsigned char *buf, size_t len,
    const struct zri_ctm *start, zri_do_fn fn, void *ctx, int depth);

/*
 * What a file is, from its first bytes, checked against its extension (a
 * JPEG named .pdf is an error).  Regular files only; "-" is not sniffed
 * here (see zri_sniff_buf).  *kind is an enum zr_pdf_kind.
 * Errors: ZR_E_OPEN, ZR_E_NOT_FILE, ZR_E_EMPTY, ZR_E_NOT_PDF,
 * ZR_E_NOT_JPEG, ZR_E_NOT_PNG.
 */
int zri_sniff(const char *path, int *kind, long long *size,
    struct zr_error *err);
int zri_sniff_buf(const char *path, const unsigned char *b, size_t len,
    int *kind, struct zr_error *err);

/* The extension of path's last component without the dot, or "". */
const char *zri_ext_of(const char *path);

/* 1 if an action dictionary (or one chained after it) runs JavaScript or
 * launches a program. */
int zri_bad_action(qpdf_data q, qpdf_oh action, int depth);

/* Page geometry in points (MediaBox, with /UserUnit applied). */
int zri_page_size(qpdf_data q, qpdf_oh page, double *w, double *h);

#endif
