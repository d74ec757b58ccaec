/* libzairyu: decoded images, JPEG/PNG/HEIC/AVIF/WebP input, JPEG output,
 * resampling, SSIM. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_IMAGE_H
#define ZAIRYU_IMAGE_H

#include <stddef.h>

#include "zairyu/date.h"
#include "zairyu/error.h"

/* 8-bit pixels, rows packed (stride = width * channels), 1 = gray, 3 = RGB. */
struct zr_image {
	int width, height, channels;
	unsigned char *pixels;
};

/* Free the pixels of img (not img itself); safe on a zeroed struct. */
void zr_image_free(struct zr_image *img);

/* HEIC and AVIF are the two HEIF codings (ISO/IEC 23008-12) phones and
 * browsers save; WebP is the RIFF still-image format. */
enum zr_image_format { ZR_IMG_UNKNOWN = 0, ZR_IMG_JPEG, ZR_IMG_PNG,
	ZR_IMG_HEIC, ZR_IMG_AVIF, ZR_IMG_WEBP };

/*
 * What metadata says about who made a file, with what, when and where
 * (issue 14: nothing private leaves in the upload): GPS properties of an
 * XMP packet, and the properties naming people, places, the creator tool
 * and dates in XMP and IPTC.  Properties with an empty value count as
 * absent.
 */
struct zr_privacy {
	int gps;                  /* an XMP GPS property (exif:GPS..., an
				     Iptc4xmpExt GPS position) */
	int gps_position;         /* ... bit 1 a latitude, bit 2 a longitude
				     (3: a position) */
	int personal;             /* personal properties found */
	char names[96];           /* the first of them, by their usual names
				     ("dc:creator, xmp:CreatorTool", "IPTC
				     By-line"), ", ..." when more; GPS ones
				     included */
};

/*
 * Scan an XMP packet (XML, UTF-8, UTF-16 or UTF-32) for them, adding to
 * *p (zeroed by the caller).  Properties are matched by namespace URI
 * and local name, as elements (with text, a resource or fields of their
 * own) and as attributes; an undeclared prefix is read as its usual
 * namespace.  Not a validating XML parser: a bounded sniffer that never
 * fails on malformed input.  Returns how many properties were found, -1
 * out of memory (a UTF-16 or UTF-32 packet is folded into a copy).
 */
int zr_xmp_scan(const unsigned char *b, size_t len, struct zr_privacy *p);

/*
 * The same for the data of a JPEG APP13 segment ("Photoshop 3.0", its
 * 8BIM resources; IPTC-NAA IIM record 2 in resource 0x0404): by-line,
 * credit, copyright, contact, writer, city, state, country, date.
 * Returns how many were found.
 */
int zr_iptc_scan(const unsigned char *b, size_t len, struct zr_privacy *p);

/* What the file says about itself, read without decoding the pixels. */
struct zr_image_info {
	enum zr_image_format format;
	int width, height;        /* as stored, before EXIF orientation
				     (HEIC/AVIF: after its transforms) */
	int components;           /* 1, 3 or 4 (CMYK/YCCK) */
	int bits;                 /* 8 (12-bit JPEG is refused) */
	int progressive;          /* JPEG only */
	int orientation;          /* EXIF 1..8, 1 when absent; always 1 for
				     HEIC/AVIF, whose own irot/imir
				     transforms are applied by the decoder
				     (the EXIF copy is not applied again) */
	int has_exif, has_gps, has_xmp, has_icc, has_comment;
	struct zr_date taken;     /* EXIF DateTimeOriginal; y == 0 if none */
	double xdpi, ydpi;        /* 0 when unknown */
	size_t bytes;             /* file size */
	/* Extensions (zr-photo). */
	int has_iptc;             /* Photoshop APP13 (IPTC) block */
	int has_gps_position;     /* GPS latitude and longitude tags */
	int taken_hour, taken_min;/* time of DateTimeOriginal, -1 if none */
	int arithmetic;           /* JPEG arithmetic coding */
	int interlaced;           /* PNG Adam7 */
	int has_alpha;            /* PNG alpha channel or tRNS; HEIF or
				     WebP alpha */
	/* Decoding with zr_decode_opts.tolerant: how many warnings libjpeg
	 * recovered from (corrupt data, extraneous bytes, a premature end),
	 * the first one said. */
	int warnings;
	char warning[200];
	int truncated;            /* ... one of them a premature end (the
				     rest of the picture is grey) */
	/* JPEG: what its XMP (APP1, extended XMP too) and IPTC (APP13)
	 * segments say (EXIF GPS is has_gps). */
	struct zr_privacy priv;
};

/*
 * Identify and read the headers (and EXIF) of buf.  name is for messages.
 * The format comes from the content, never from name: JPEG (FF D8 FF),
 * PNG (its signature), HEIC / AVIF (an ISO BMFF 'ftyp' box whose brands
 * include heic, heix, heim, heis, hevc, hevx, mif1, msf1 / avif, avis),
 * WebP (RIFF....WEBP).  Errors: ZR_E_NOT_IMAGE (with "PDF passed by
 * mistake?" for %PDF), ZR_E_IMAGE, ZR_E_UNSUPPORTED (also animated WebP,
 * and a HEIF whose coding has no decoder), ZR_E_PIXELS.
 */
int zr_image_probe(const unsigned char *buf, size_t len, const char *name,
    struct zr_image_info *info, struct zr_error *err);

struct zr_decode_opts {
	long long max_pixels;     /* refuse larger (0 = 100 megapixels) */
	int min_width, min_height;/* JPEG: decode at the smallest M/8 scale
				     that still gives at least this size
				     (0 = full size) */
	int apply_orientation;    /* rotate/flip per EXIF so the result is
				     upright */
	int gray;                 /* output 1 channel instead of 3 (a
				     grayscale source gives 1 channel
				     in any case) */
	int tolerant;             /* JPEG: libjpeg's warnings are not
				     errors but counted in info (what it
				     recovers is used; zr-pdfmerge only:
				     a photo is never half grey) */
};

/*
 * Decode a JPEG (baseline, progressive, gray, RGB, CMYK/YCCK), PNG (any
 * bit depth), HEIC or AVIF (libheif: the primary image, its transforms
 * applied, 10/12-bit reduced to 8) or still WebP (libwebp) to 8-bit gray
 * or RGB; alpha is flattened on white.  Warnings from libjpeg (a
 * truncated file) are errors, unless opts->tolerant (JPEG only), and so
 * is a truncated HEIF or WebP.
 */
int zr_image_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *opts, struct zr_image *out,
    struct zr_image_info *info, struct zr_error *err);

struct zr_jpeg_opts {
	int quality;              /* 1..100 */
	int subsample444;         /* 1 = 4:4:4, 0 = 4:2:0 (ignored for gray) */
	int optimize;             /* 1: optimised Huffman tables (libjpeg's
				     statistics over every block); 2: the
				     optimal tables of every 8th MCU row,
				     completed (same pixels, about 0.3 %
				     more bytes, twice as fast) */
	int density_dpi;          /* JFIF density, 0 = none (aspect 1:1) */
	/* Extensions (zr-photo); 0 keeps the plain quality setting. */
	int scale_percent;        /* > 0: libjpeg linear quality scale of
				     the Annex K tables instead of quality
				     (q 50 = 100, q 90 = 20; finer steps) */
	int chroma_percent;       /* > 0: chroma tables scaled this much
				     relative to luma (100 = same) */
};

/*
 * Encode img as a baseline JFIF JPEG without any other marker (no EXIF,
 * no comment).  *buf is malloc'd; the caller frees it.
 */
int zr_jpeg_encode(const struct zr_image *img, const struct zr_jpeg_opts *o,
    unsigned char **buf, size_t *len, struct zr_error *err);

/*
 * The bytes zr_jpeg_encode() with optimize set would write of img (gray
 * or 4:2:0 colour) at each of the n qualities, counted from one forward
 * DCT without writing them: head[i] the markers and tables, data[i] the
 * coded blocks (exact but for the 0x00 stuffed after a 0xFF byte,
 * estimated at one in 256).  An AC coefficient within margin
 * (coefficient units) under a half step is counted one level up, for
 * libjpeg's integer DCT rounding a little differently (0: as an exact
 * DCT rounds).
 */
int zr_jpeg_sizes(const struct zr_image *img, const int *quality, int n,
    double margin, long long *head, long long *data, struct zr_error *err);

/* Encode a 1- or 3-channel image as an 8-bit PNG; *buf is malloc'd. */
int zr_png_encode(const struct zr_image *img, unsigned char **buf,
    size_t *len, struct zr_error *err);

/* Resample in to w x h (high-quality filter); out gets new pixels. */
int zr_image_resize(const struct zr_image *in, int w, int h,
    struct zr_image *out, struct zr_error *err);

/*
 * The same on the stored (sRGB-encoded) values with a Lanczos-2 kernel,
 * for document pages: thin dark strokes stay dark, as a PDF viewer shows
 * them.
 */
int zr_image_resize_encoded(const struct zr_image *in, int w, int h,
    struct zr_image *out, struct zr_error *err);

/* Mean SSIM of two images of the same size and channels (luma), 0..1. */
double zr_image_ssim(const struct zr_image *a, const struct zr_image *b);

/* ---- Extensions (zr-photo engineer) ---- */

/*
 * SSIM over the JFIF YCbCr planes, weighted 6:1:1 (luma counts most, as
 * the eye does); the same as zr_image_ssim() for gray images.
 */
double zr_image_ssim_ycc(const struct zr_image *a, const struct zr_image *b);

/* "JPEG", "PNG", "HEIC", "AVIF", "WebP" ("image" when unknown). */
const char *zr_image_format_name(enum zr_image_format f);

/*
 * 1 when name ends in an extension of another image format than f (.jpg,
 * .jpeg, .png, .heic, .heif, .avif, .webp, any case), with msg set to
 * the one wording the tools use: "not a JPEG file (it is a HEIC image)";
 * else 0.  A name without one of these extensions is not judged.
 */
int zr_image_name_mismatch(const char *name, enum zr_image_format f,
    char *msg, size_t msgsize);

/* Default pixel cap of zr_image_decode (decompression bombs). */
#define ZR_IMAGE_MAX_PIXELS 100000000LL

/*
 * Allocate w x h x channels pixels (zeroed).  Errors: ZR_E_PIXELS when
 * the size is not positive or overflows, ZR_E_NOMEM.
 */
int zr_image_alloc(struct zr_image *img, int w, int h, int channels,
    struct zr_error *err);

/*
 * A new image upright from one stored with EXIF orientation 1..8 (TIFF
 * 6.0 / Exif 2.32 tag 0x0112: 6 = turn 90 degrees clockwise to view).
 */
int zr_image_orient(const struct zr_image *in, int orientation,
    struct zr_image *out, struct zr_error *err);

/*
 * Resample the rectangle rx,ry,rw,rh of in (pixel units, fractions
 * allowed: a crop made on a scaled decode keeps its exact place) to
 * w x h.  ZR_E_RANGE when the rectangle is not inside in.
 */
int zr_image_resize_region(const struct zr_image *in, double rx, double ry,
    double rw, double rh, int w, int h, struct zr_image *out,
    struct zr_error *err);

/* Copy the rectangle x,y,w,h of in (must lie inside). ZR_E_RANGE if not. */
int zr_image_crop(const struct zr_image *in, int x, int y, int w, int h,
    struct zr_image *out, struct zr_error *err);

/* A 1-channel copy (Rec. 601 luma) of a 1- or 3-channel image. */
int zr_image_to_gray(const struct zr_image *in, struct zr_image *out,
    struct zr_error *err);

/*
 * What zr-photo reads from an EXIF block (the TIFF structure after
 * "Exif\0\0"; the prefix may be included).  Fields not found keep their
 * defaults: orientation 1, taken.y 0, hour/min -1.
 */
struct zr_exif {
	int orientation;          /* 1..8 */
	int has_gps;              /* a GPS IFD with at least one entry */
	int has_gps_position;     /* GPSLatitude and GPSLongitude present */
	struct zr_date taken;     /* DateTimeOriginal (else DateTimeDigitized) */
	int taken_hour, taken_min;
	int entries;              /* tags seen (for diagnostics) */
};

/*
 * Parse an EXIF block.  Errors: ZR_E_IMAGE ("bad EXIF block: ...") when
 * the TIFF header or IFD0 is unreadable; broken sub-IFDs are skipped.
 */
int zr_exif_parse(const unsigned char *buf, size_t len, struct zr_exif *ex,
    struct zr_error *err);

#endif
