/* libzairyu: merge scans and PDFs into an upload that fits, and check uploads. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_PDF_H
#define ZAIRYU_PDF_H

#include <stddef.h>
#include <stdio.h>

#include "zairyu/date.h"
#include "zairyu/error.h"
#include "zairyu/image.h"
#include "zairyu/rules.h"

struct zr_photo_profile;

/*
 * Upload limits on a date (struct zr_pdf_limits, from the rules table:
 * zr_rules_upload_limits() in zairyu/rules.h); this name is kept for
 * the PDF code.  Errors: ZR_E_NO_RULE (date before the online system).
 */
int zr_pdf_limits_at(struct zr_date on, struct zr_pdf_limits *l,
    struct zr_error *err);

/*
 * The default --max-size of one merged file: the per-file limit, and on
 * a system whose total includes the photo, at most the total minus
 * reserve (reserve < 0: the photo limit).  Never below 0.
 */
long long zr_pdf_default_budget(const struct zr_pdf_limits *l,
    long long reserve);

/* ---- Merge ---------------------------------------------------------- */

enum zr_pdf_kind { ZR_PDF_IN_PDF = 1, ZR_PDF_IN_JPEG, ZR_PDF_IN_PNG,
	ZR_PDF_IN_TIFF };

enum zr_pdf_page_mode {
	ZR_PDF_PAGE_AUTO = 0,   /* the image's own size when its resolution
				   is plausible, else A4 */
	ZR_PDF_PAGE_A4,         /* fit on A4 (portrait or landscape) */
	ZR_PDF_PAGE_IMAGE       /* own size (72 dpi when none recorded) */
};

struct zr_pdf_input {
	const char *path;         /* "-" = standard input */
	const char *title;        /* outline entry; NULL: the file's name */
};

struct zr_pdf_opts {
	long long max_bytes;      /* size budget; 0 = none */
	int floor_dpi;            /* legibility floor: 0 = 150 */
	int floor_quality;        /* 0 = 60 */
	enum zr_pdf_page_mode page_mode;
	const char *password;     /* for inputs that need one, or NULL */
	long long source_date_epoch; /* < 0: no dates in the output */
	int self_check;           /* re-read the output with libqpdf's check */
	int keep_metadata;        /* keep EXIF/XMP/IPTC in JPEGs and the
				     pages' and images' XMP streams */
	int threads;              /* worker threads for the images: 0 = 2,
				     1 = none; the bytes are the same */
	int render_dpi;           /* a page whose content is damaged beyond
				     copying is stored as a picture of it at
				     this many dpi: 0 = 300; < 0 = refused */
	FILE *out;                /* a regular file to write the output into
				     (from its start, replacing what it
				     holds; res->pdf stays NULL), or NULL
				     for res->pdf */
};

/* What happened to one input. */
struct zr_pdf_input_report {
	enum zr_pdf_kind kind;
	int pages;
	int first_page;           /* 1-based page of the output */
	long long bytes_in;       /* the input file */
	long long image_bytes_in; /* its image XObjects before and after */
	long long image_bytes_out;
	int images;               /* image XObjects first used here */
	int images_recoded;       /* re-encoded as JPEG */
	int images_gray;          /* of those, stored as grayscale */
	int images_stripped;      /* JPEGs without their EXIF, XMP, IPTC */
	int min_dpi;              /* lowest effective dpi of its images
				     after the merge, 0 if none */
};

struct zr_pdf_result {
	size_t ninputs;
	struct zr_pdf_input_report *inputs;
	int pages;
	long long bytes_in;       /* sum of the input files */
	long long bytes_out;      /* the output */
	long long budget;         /* the budget used (0 = none) */
	int level_dpi;            /* dpi and JPEG quality chosen; 0 when */
	int level_quality;        /* nothing had to be re-encoded */
	int flate_recompressed;   /* streams re-deflated at level 9 */
	char **notes;             /* one line each ("FILE: ..."), for stderr */
	size_t nnotes;
	unsigned char *pdf;       /* the output PDF (NULL with opts.out) */
	size_t pdf_len;
};

/*
 * Merge in[0..n-1] in order into one PDF (res->pdf, or opts.out), one outline entry
 * per input.  PDFs are read with libqpdf (damaged files it recovers give
 * a note); JPEG, PNG and TIFF files become pages (pdftiff.c: CCITT G4
 * kept as it is).  JavaScript and attached
 * files are dropped, encryption removed.  With a budget, images are
 * recompressed as little as the budget needs, never below the floor.
 * The bytes depend only on the inputs and options.
 * Errors: ZR_E_OPEN, ZR_E_NOT_FILE, ZR_E_EMPTY, ZR_E_NOT_PDF,
 * ZR_E_NOT_IMAGE, ZR_E_PDF, ZR_E_PDF_PASSWORD, ZR_E_IMAGE, ZR_E_PIXELS,
 * ZR_E_NO_FIT (the message names the largest inputs), ZR_E_PDF_WRITE,
 * ZR_E_NOMEM.  res is filled as far as known even on ZR_E_NO_FIT
 * (without pdf); free it with zr_pdf_result_free() in every case.
 */
int zr_pdf_merge(const struct zr_pdf_input *in, size_t n,
    const struct zr_pdf_opts *o, struct zr_pdf_result *res,
    struct zr_error *err);
void zr_pdf_result_free(struct zr_pdf_result *res);

/* ---- Check ---------------------------------------------------------- */

enum zr_pdf_severity { ZR_PDF_WARN = 0, ZR_PDF_VIOLATION = 1 };

struct zr_pdf_problem {
	enum zr_pdf_severity severity;
	char code[24];            /* "too_big", "encrypted", "low_dpi", ... */
	char msg[200];
};

struct zr_pdf_page_info {
	double width_pt, height_pt;
	int min_dpi;              /* lowest effective image dpi, 0 = none */
	int images;
};

struct zr_pdf_check_file {
	const char *path;
	long long bytes;
	int is_pdf;               /* 0: an image (counted as the photo) */
	int kind;                 /* enum zr_pdf_kind of the content */
	int is_photo;             /* the photo: a JPEG named .jpg, .jpeg */
	int pages;
	int encrypted, restricted;
	int javascript, embedded_files;
	int min_dpi;              /* over all pages, 0 = no images */
	int min_dpi_page;         /* 1-based */
	struct zr_pdf_page_info *page;
	struct zr_pdf_problem *problems;
	size_t nproblems;
};

struct zr_pdf_check_opts {
	struct zr_pdf_limits limits;
	long long reserve;        /* bytes kept for the photo; < 0 = limit */
	int warn_dpi;             /* 0 = 150 */
	const char *password;
	/* zr-photo's checks (zr_photo_check()) for the photo, a JPEG named
	 * .jpg or .jpeg, with today for its recency; NULL: format, name
	 * and GPS only. */
	const struct zr_photo_profile *photo;
	struct zr_date today;
};

struct zr_pdf_check_result {
	struct zr_pdf_check_file *files;
	size_t nfiles;
	long long total_bytes;
	struct zr_pdf_problem *problems;  /* about the set (count, total) */
	size_t nproblems;
	int violations, warnings;
};

/*
 * Check finished upload files against the limits (rules-facts §2):
 * count, size, total, libqpdf parses them without a warning, no
 * encryption or restriction, no JavaScript or attached files, page
 * sizes, the lowest effective image resolution per page, GPS (code
 * "gps", a violation) and personal data ("metadata", a warning) in EXIF,
 * XMP and IPTC of images, pages, the document and its information
 * (issue 14); the photo (rules-facts §1.2) with zr-photo's checks.
 * Files that cannot be read
 * at all, empty, neither PDF, JPEG, PNG nor TIFF, a PDF libqpdf cannot
 * open or a JPEG that does not decode are errors (ZR_E_OPEN, ZR_E_NOT_FILE,
 * ZR_E_EMPTY, ZR_E_NOT_PDF, ZR_E_PDF, ...); all else lands in the
 * problems lists.
 */
int zr_pdf_check(const char *const *paths, size_t n,
    const struct zr_pdf_check_opts *o, struct zr_pdf_check_result *r,
    struct zr_error *err);
void zr_pdf_check_free(struct zr_pdf_check_result *r);

/* ---- Image streams (the recompression path) ------------------------- */

enum zr_pdf_img_filter { ZR_PDF_RAW = 0, ZR_PDF_FLATE, ZR_PDF_DCT };

/* How an image XObject stores its samples. */
struct zr_pdf_imgfmt {
	int width, height;
	int components;           /* 1 (gray) or 3 (RGB) */
	int bpc;                  /* 8 */
	enum zr_pdf_img_filter filter;
	int predictor;            /* Flate /Predictor: 1, 2 (TIFF), 10-15 */
	int gray;                 /* DCT colour: decode the luma alone (what
				     zr_pdf_image_recode() keeps of a
				     near-gray scan), 1 channel out */
	int tolerant;             /* DCT: use what libjpeg recovers from
				     damage (then 1 is returned, 2 for a
				     premature end; err says libjpeg's
				     first warning) */
};

/*
 * Decode the raw stream data of an image XObject to 8-bit pixels.  DCT
 * data is decoded at the smallest 1/8 step still at least min_w x min_h
 * (0 = full size), without EXIF rotation (PDF ignores it).  Work is
 * bounded: ZR_E_PIXELS above 100 megapixels; ZR_E_IMAGE when the data
 * does not match the dictionary.
 */
int zr_pdf_image_decode(const struct zr_pdf_imgfmt *f,
    const unsigned char *raw, size_t len, int min_w, int min_h,
    struct zr_image *out, struct zr_error *err);

/* 1 when an RGB image is gray apart from scanner noise (a red seal or
 * coloured ink keeps it in colour); 1 for gray images. */
int zr_pdf_image_near_gray(const struct zr_image *img);

/* Resize img to w x h (no-op when equal), drop colour if gray, and
 * encode as a baseline JPEG at quality.  *jpeg is malloc'd. */
int zr_pdf_image_recode(const struct zr_image *img, int w, int h, int gray,
    int quality, unsigned char **jpeg, size_t *len, struct zr_error *err);

/*
 * Estimate the bytes of zr_pdf_image_recode() at each of nq qualities
 * without resizing the whole image: evenly spaced bands are resampled,
 * their DCT taken once and their coded bytes counted at each quality
 * (not encoded), and the result scaled (small images: encoded, exact).
 */
int zr_pdf_image_estimate(const struct zr_image *img, int w, int h, int gray,
    const int *quality, int nq, long long *bytes, struct zr_error *err);

#endif
