/* libzairyu: private declarations shared by the lib/pdf*.c files. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_PDFINT_H
#define ZAIRYU_PDFINT_H

#include <stddef.h>
#include <stdio.h>

#include <qpdf/qpdf-c.h>

#include "../core/core_int.h"
#include "zairyu/error.h"
#include "zairyu/image.h"

/* Hard caps that keep work bounded whatever the input says. */
#define ZRI_PDF_MAX_PIXELS   ((long long)100 * 1000 * 1000)
#define ZRI_PDF_MAX_CONTENT  ((size_t)64 * 1024 * 1024)  /* one page */
#define ZRI_PDF_MAX_FORM_DEPTH 8

/* A fresh qpdf_data that never prints (errors and warnings are ours). */
qpdf_data zri_pdf_new(void);

/*
 * qpdf_cleanup(q) after dropping any error still pending: libqpdf 11
 * prints "WARNING: application did not handle error" to stderr through
 * its default logger (not q's) when one is left, and the library never
 * prints.  Every qpdf_data is freed with this.
 */
void zri_pdf_free(qpdf_data *q);

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

/* The sum of fn(q, kid, depth + 1) over the form field d's /Kids (the
 * first 10,000): the one walk of a field tree for the check and the
 * assembly. */
int zri_field_kids(qpdf_data q, qpdf_oh d, int depth,
    int (*fn)(qpdf_data, qpdf_oh, int));

/* Page geometry in points (MediaBox, with /UserUnit applied). */
int zri_page_size(qpdf_data q, qpdf_oh page, double *w, double *h);

/* ---- the merge (pdfmerge.c and the files it is split into) ---------- */

#include "zairyu/pdf.h"

/* One input: a PDF as libqpdf read it, or a scan made into a page. */

struct zri_src {
	const char *path;
	char title[512];
	enum zr_pdf_kind kind;
	qpdf_data q;
	unsigned char *mem;       /* stdin or an image page's bytes */
	int npages;
	long long bytes;
	double version;
	int nwarn;                /* libqpdf's warnings about it */
	char warn[256];
	long long junk;           /* bytes before its %PDF- header */
	/* A JPEG scan whose bytes stay in its file until they are needed
	 * (a budget that binds: they are decoded once and re-encoded):
	 * its page's image is empty in q, and extlen bytes (metadata
	 * stripped) come from the file, which must not change. */
	int ext;
	long long extlen;
	size_t ext_head;          /* ... of which mem holds the first bytes */
	unsigned long long ext_dev, ext_ino;
	long long ext_size, ext_mtime_s, ext_mtime_ns;
};

struct zri_img {
	qpdf_oh oh;               /* in the output */
	int obj;
	int input;
	int page;                 /* first page drawing it, in its input */
	int width, height, comps, bpc;
	enum zri_filter filter;
	int predictor;
	int eligible;
	int vcheck;               /* JPEG to be validated by decoding */
	int vfail;                /* ... which failed, saying vmsg */
	char vmsg[256];
	int jwarn;                /* damage libjpeg recovers from, saying */
	char jmsg[200];
	int jtrunc;               /* ... a premature end */
	int recoded;              /* re-encoded by the budget search */
	int icc_gray_ok;          /* colour space may become /DeviceGray */
	long long raw;            /* stream bytes as stored */
	double dpi;               /* lowest effective dpi, 0 = unknown */
	int gray;
	long long *est;           /* estimated bytes per level, then (from
	                           * nlv) its encodes' bytes where known */
	unsigned char *data;      /* final JPEG, or NULL to keep */
	size_t len;
	int nw, nh;
	int seq;                  /* order in the budget search, -1 */
	int rung;                 /* level chosen for it */
	int full;                 /* estimated at every level */
	unsigned long long known; /* levels it was encoded at (est real) */
	long long enc;            /* bytes of its last encode, kept or not */
	int upkept;               /* as stored: a step above the top level */
	int done, redo, decoded, pending, pfail;
	int ext;                  /* its bytes are still in its file */
};

#define ZRI_MAX_LEVELS 64

struct zri_level {
	int dpi, q;
};

/* A page of an input stored as a picture of itself (pdfraster.c). */
struct zri_render {
	int input;
	int page;                 /* 0-based in its input */
};

struct zri_merge {
	const struct zr_pdf_opts *o;
	struct zr_pdf_result *res;
	struct zri_src *src;
	size_t nsrc;
	qpdf_data out;
	double version;
	struct zri_img *img;
	size_t nimg, capimg;
	int *img_of_obj;          /* object id -> index + 1 */
	size_t nobjmap;
	int cur_input, cur_page;
	struct zri_level lv[ZRI_MAX_LEVELS];
	int nlv;
	int floor_try;            /* every image at the floor, the estimate
	                           * over the budget: the write decides */
	int ext_ok;               /* JPEG scans may stay in their files */
	/* Pages whose content is damaged beyond copying, rendered; the
	 * list lives across the merge's rounds (zr_pdf_merge). */
	struct zri_render *render;
	size_t nrender;
	int render_added;         /* new ones the self-check found */
};

/* pdfmerge.c: a note for the result (out of memory: dropped, -1). */
int zri_note(struct zr_pdf_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* pdfinput.c: open one input into s (a PDF read by libqpdf, a scan made
 * into a one-page PDF); zri_src_warn() keeps libqpdf's warnings. */
int zri_open_input(struct zri_merge *m, struct zri_src *s,
    const struct zr_pdf_input *in, struct zr_error *err);
void zri_src_warn(struct zri_src *s);
/* pdfinput.c: the bytes of an image that is still in its file (im->ext),
 * read again, checked unchanged and stripped as when it was opened; any
 * thread may call it.  zri_ext_fill(): every such image into m->out. */
int zri_ext_read(const struct zri_merge *m, const struct zri_img *im,
    unsigned char **raw, size_t *len, struct zr_error *err);
int zri_ext_fill(struct zri_merge *m, struct zr_error *err);

/* One scanned picture, already in a PDF filter's form. */
struct zri_pic {
	const unsigned char *data;
	size_t len;
	int width, height, comps, bpc;
	const char *filter;       /* "/DCTDecode", "/FlateDecode", ... */
	const char *parms;        /* its /DecodeParms as PDF text, or NULL */
	int orientation;          /* EXIF/TIFF 1-8, 0 = 1 */
	double xdpi, ydpi;        /* 0 when unknown */
};
/* pdfinput.c: p as a new last page of q (placed by m's page mode). */
int zri_image_page(struct zri_merge *m, qpdf_data q, const struct zri_pic *p,
    const char *path, struct zr_error *err);
/* Rows as PNG predictor rows (for Flate with /Predictor 15). */
unsigned char *zri_png_predict(const struct zr_image *im, size_t *outlen);

/* pdfrepair.c: damage other readers read through, made valid (LZW
 * with a bad code, bytes before the header), each with a warning note;
 * where the header starts in the first ZRI_PDF_JUNK_MAX bytes (-1
 * nowhere), and how many bytes precede it in a file (or mem). */
#define ZRI_PDF_JUNK_MAX ((size_t)64 * 1024)
int zri_repair_input(struct zri_merge *m, struct zri_src *s,
    struct zr_error *err);
long long zri_pdf_header_at(const unsigned char *b, size_t len);
long long zri_pdf_junk(const char *path, const unsigned char *mem,
    size_t len);
/* pdfrepair.c's decoders, for what decodes of a damaged stream: LZW as
 * PDF has it (early: /EarlyChange) and zlib, up to a bad code or corrupt
 * data (then 1; 0 at the end; -1 out of memory or over cap bytes).
 * zri_flate_decode() with out NULL only counts. */
int zri_lzw_decode(const unsigned char *in, size_t len, int early,
    size_t cap, unsigned char **out, size_t *outlen);
int zri_flate_decode(const unsigned char *in, size_t len, size_t cap,
    unsigned char **out, size_t *outlen);

/* pdfraster.c: pages of a PDF input that "qpdf --check" finds damaged
 * however they are copied, replaced in s->q by one JPEG of poppler's
 * rendering (what viewers show) at ZRI_RENDER_DPI (zr_pdf_opts.render_dpi)
 * with a warning note; zri_render_out_page() puts a page of the output
 * on the list (1 new, 0 not a PDF input's or already there, -1 out of
 * memory; with ask set, whether it would be new, the list unchanged); at
 * most ZRI_RENDER_ROUNDS merges in all. */
#define ZRI_RENDER_DPI 300
#define ZRI_RENDER_ROUNDS 3
int zri_render_wanted(const struct zri_merge *m, int input);
int zri_render_add(struct zri_merge *m, int input, int page);
int zri_render_pages(struct zri_merge *m, struct zri_src *s, const char *pw,
    struct zr_error *err);
int zri_render_out_page(struct zri_merge *m, int out, int ask);

/* pdftiff.c: every page of a TIFF (s->mem) as a page of a new s->q:
 * CCITT G4 as it is, other bilevel pages losslessly as G4, the rest
 * decoded and stored as JPEG (JPEG-compressed pages) or Flate. */
#define ZRI_TIFF_MAX_PAGES 1000
int zri_open_tiff(struct zri_merge *m, struct zri_src *s,
    struct zr_error *err);

/* pdfassemble.c: the pages of every input into m->out, without scripts
 * or attached files, with one outline entry per input; writing m->out
 * into memory (*buf, if not NULL, gets a copy). */
qpdf_oh zri_name(qpdf_data q, const char *n);
void zri_set_key(qpdf_data q, qpdf_oh d, const char *k, qpdf_oh v);
int zri_assemble(struct zri_merge *m, struct zr_error *err);
int zri_write_pdf(struct zri_merge *m, unsigned char **buf, size_t *len,
    struct zr_error *err);
/* A write as the output is written, left in an unlinked temporary file
 * (*keep, open; *warned: libqpdf warned), and reading such a file into
 * *buf (closes t). */
int zri_write_pdf_kept(struct zri_merge *m, FILE **keep, size_t *len,
    int *warned, struct zr_error *err);
int zri_read_kept(FILE *t, size_t len, unsigned char **buf,
    struct zr_error *err);
/* The same with a fixed /ID (no digest of the bytes): for a write that
 * is only checked, never handed out. */
int zri_write_pdf_scratch(struct zri_merge *m, FILE **t,
    struct zr_error *err);
/* The output written into dest (a regular file, from its start,
 * replacing what it held), and such a kept file copied into it (closes
 * t): the caller's output, so that the bytes are not read back. */
int zri_write_pdf_to(struct zri_merge *m, FILE *dest, size_t *len,
    struct zr_error *err);
int zri_copy_kept(FILE *t, size_t len, FILE *dest, struct zr_error *err);

/* pdflossless.c: every Flate stream of the output again at level 9. */
int zri_lossless_pass(struct zri_merge *m, struct zr_error *err);

/* pdfinventory.c: every image of the output, described, JPEGs validated
 * (a damaged one refuses its input); the stored samples of one image. */
int zri_inventory(struct zri_merge *m, struct zr_error *err);
/* ... and the JPEGs the budget search did not decode, decoded at 1/8
 * scale with libjpeg's warnings as errors. */
int zri_validate(struct zri_merge *m, struct zr_error *err);
int zri_img_raw(struct zri_merge *m, struct zri_img *im, unsigned char **raw,
    size_t *len, struct zr_error *err);
/* A JPEG libjpeg read with warnings (msg: the first; truncated: one of
 * them a premature end, which libqpdf cannot read): said in a note. */
void zri_jpeg_warned(struct zri_img *im, const char *msg, int truncated);

/*
 * pdfpool.c: run fn on every image for which want() is true, in two
 * worker threads (inline when threads cannot be had).  The main thread
 * fetches the stored bytes (libqpdf is not thread-safe) and at most a
 * few images are in flight.  fn returns -1 only when out of memory.  An
 * image whose bytes cannot be read is made ineligible (and, with
 * validating, marked failed).
 */
typedef int (*zri_img_fn)(const struct zri_merge *m, struct zri_img *im,
    const unsigned char *raw, size_t rawlen, void *arg);
int zri_pool_run(struct zri_merge *m, int (*want)(const struct zri_img *),
    zri_img_fn fn, void *arg, int validating, struct zr_error *err);

/* pdfimage.c: an RGB image made gray (BT.601 luma, the same values as
 * zr_pdf_image_recode() with gray) in its own buffer. */
void zri_image_gray_inplace(struct zr_image *img);
/* BT.601 luma of n RGB pixels into d (d may be s). */
void zri_luma(unsigned char *d, const unsigned char *s, size_t n);

/* pdffit.c: re-encode images until the output of size bytes fits
 * m->res->budget (ZR_E_NO_FIT naming the heaviest inputs if not). */
/* The floor does not fit: a ZR_E_NO_FIT naming the inputs that weigh the
 * most, need the bytes it takes. */
int zri_no_fit(struct zri_merge *m, long long need, struct zr_error *err);
int zri_fit(struct zri_merge *m, long long size, struct zr_error *err);

/*
 * pdfmeta.c: a JPEG without its metadata segments (EXIF, XMP, IPTC,
 * comments; the colour ones stay), byte for byte otherwise.  Returns how
 * many segments went (then *out is new, else NULL), -1 out of memory.
 */
int zri_jpeg_strip(const unsigned char *b, size_t len, unsigned char **out,
    size_t *outlen);
/* The length zri_jpeg_strip() gives for a file of size bytes whose first
 * len are b; -1 when those do not reach the first scan. */
long long zri_jpeg_strip_len(const unsigned char *b, size_t len,
    long long size);
/*
 * What a JPEG's metadata segments give away: 2 a GPS position or GPS data
 * (EXIF, or XMP's as for EXIF, issue 14), 1 other metadata, 0 none; m
 * says which ("an EXIF GPS position", "an XMP GPS position", "personal
 * data in their metadata", "XMP metadata", ...) and, for XMP and IPTC,
 * names the properties.
 */
struct zri_jpeg_meta {
	char what[48];
	char names[96];
};
int zri_jpeg_private(const unsigned char *b, size_t len,
    struct zri_jpeg_meta *m);

/* pdfselfcheck.c: the output with every JPEG swapped for a 1x1 one (our
 * decoder already read them; returns how many, -1 on error), then "qpdf
 * --check" on the bytes, or on the output's own file (flushed) when no
 * JPEG was swapped (the same bytes: no second write). */
int zri_placeholder_images(struct zri_merge *m, struct zr_error *err);
int zri_self_check(struct zri_merge *m, const unsigned char *pdf,
    size_t pdflen, struct zr_error *err);
int zri_self_check_file(struct zri_merge *m, FILE *f, struct zr_error *err);

#endif
