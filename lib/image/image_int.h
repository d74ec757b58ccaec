/* libzairyu: the image group's private header (not installed): what the
 * image modules share, the one C++ file (face_dlib.cc) included.  The
 * decoders depend on nothing in image.c; image.c calls them (one
 * direction). */
/* SPDX-License-Identifier: MIT */
#ifndef ZRI_IMAGE_INT_H
#define ZRI_IMAGE_INT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jpeglib.h>

#include "zairyu/image.h"
#include "../core/core_int.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decoders; info has been filled by zr_image_probe(). */
int zri_jpeg_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, struct zr_image_info *info,
    struct zr_image *out, struct zr_error *err);
int zri_png_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, struct zr_image *out,
    struct zr_error *err);
/* HEIC / AVIF through libheif (heif.c), WebP through libwebp (webp.c):
 * probe fills info past what zr_image_probe() set (format, bytes). */
int zri_heif_probe(const unsigned char *buf, size_t len, const char *name,
    struct zr_image_info *info, struct zr_error *err);
int zri_heif_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, const struct zr_image_info *info,
    struct zr_image *out, struct zr_error *err);
int zri_webp_probe(const unsigned char *buf, size_t len, const char *name,
    struct zr_image_info *info, struct zr_error *err);
int zri_webp_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, const struct zr_image_info *info,
    struct zr_image *out, struct zr_error *err);

/* An EXIF block (TIFF header, "Exif\0\0" prefix allowed) into info:
 * has_exif, orientation, GPS, date taken (image.c). */
void zri_image_take_exif(const unsigned char *p, size_t n,
    struct zr_image_info *info);

/*
 * h rows of w pixels of inch 8-bit channels (1 gray, 2 gray+alpha, 3 RGB,
 * 4 RGBA), stride bytes apart, to packed rows of outch (1 or 3) channels
 * at dst, alpha flattened on white as PNG's is (premul: the colour is
 * premultiplied by alpha).  dst may be src when stride == w * inch and
 * outch <= inch (image.c).
 */
void zri_image_flatten(unsigned char *dst, const unsigned char *src,
    size_t stride, int w, int h, int inch, int premul, int outch);

/* w * h * ch as size_t, or 0 if not positive or too large. */
static inline size_t
zri_image_size(int w, int h, int ch)
{
	size_t n;

	if (w <= 0 || h <= 0 || ch <= 0)
		return 0;
	n = (size_t)w * (size_t)h;
	if (n / (size_t)w != (size_t)h || n > SIZE_MAX / (size_t)ch)
		return 0;
	return n * (size_t)ch;
}

/*
 * libjpeg's default error_exit calls exit(): this one longjmps to jb with
 * the message in msg, and treats every warning as an error (a truncated
 * file must never become a half-grey photo).  Call setjmp(e.jb) before
 * any libjpeg call that may fail.  (jpeg.c; used by jpegdct.c too.)
 */
struct zri_jerr {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	char msg[JMSG_LENGTH_MAX];
	/* tolerant (set after init): warnings are counted in nwarn, the
	 * first kept in wmsg, and decoding goes on. */
	int tolerant, nwarn, eof;
	char wmsg[JMSG_LENGTH_MAX];
};

void zri_jerr_init(struct zri_jerr *e);
void zri_jpeg_compress_begin(struct jpeg_compress_struct *ci,
    unsigned char **outp, unsigned long *memlen, int width, int height,
    int ncomp, J_COLOR_SPACE cs);

/*
 * SSIM against one reference image, many times: planes 1 (luma) or 3
 * (Y, Cb, Cr).  ref must outlive the context.  NULL when out of memory.
 * compare returns the 6:1:1 YCbCr SSIM (luma only for 1 plane) and the
 * luma SSIM in *luma; 0 if b does not match, below -1 if out of memory.
 */
struct zri_ssim_ref;
struct zri_ssim_ref *zri_ssim_ref_new(const struct zr_image *ref, int planes);
double zri_ssim_ref_compare(const struct zri_ssim_ref *r,
    const struct zr_image *b, double *luma);
void zri_ssim_ref_free(struct zri_ssim_ref *r);

/*
 * An image's forward DCT in JFIF YCbCr (4:2:0 unless sub444, or gray),
 * computed once; encode writes a baseline JFIF file, Huffman-optimised,
 * from it with the given quantisation tables (natural order, entries
 * 1..255) and an AC dead zone (0 = round to nearest, 0.1 = round down
 * below 0.6 of a step).  new returns NULL when out of memory.
 */
struct zri_dct;
struct zri_dct *zri_dct_new(const struct zr_image *img, int sub444);
int zri_dct_encode(const struct zri_dct *d, const unsigned short luma[64],
    const unsigned short chroma[64], double deadzone, int dpi,
    unsigned char **buf, size_t *len, struct zr_error *err);
void zri_dct_free(struct zri_dct *d);

/*
 * The bytes encode would write of d with each of n pairs of tables
 * (chroma unused for gray) and a dead zone of 0, without writing them:
 * head[i] the markers and tables, data[i] the coded blocks (exact but for
 * the 0x00 stuffed after a 0xFF byte, estimated at one in 256).  An AC
 * coefficient within margin (coefficient units) under a half step is
 * counted one level up (0: as encode rounds).
 */
int zri_dct_sizes(const struct zri_dct *d, const unsigned short (*luma)[64],
    const unsigned short (*chroma)[64], int n, double margin,
    long long *head, long long *data, struct zr_error *err);

/* The quantisation tables (natural order) libjpeg's jpeg_set_quality
 * makes for quality, baseline (jpeg.c). */
int zri_jpeg_quality_tables(int quality, unsigned short luma[64],
    unsigned short chroma[64], struct zr_error *err);

/*
 * Optimal Huffman code of the counts freq[0..255] (freq[256] is used and
 * freq clobbered): lengths by Huffman's procedure with T.81 K.2's ties,
 * limited to 16 bits, as bits[] and huffval[] of a DHT segment
 * (jpegdct.c).
 */
void zri_huff_optimal(long freq[257], UINT8 bits[17], UINT8 huffval[256]);

/* Photo findings and statistics, shared by photo.c and photocheck.c. */
struct zr_photo_findings;
/* Append a finding (dropped when f is full). */
void zri_photo_add(struct zr_photo_findings *f, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Luma value at the given fraction (0..1) of the sorted values. */
int zri_photo_percentile(const unsigned long hist[256], unsigned long n,
    double frac);

/*
 * zr_photo_fit() with the candidates scored on a second thread (threads
 * > 1) or in line (1): the same bytes either way.  (photofit.c)
 */
struct zr_photo_fit;
int zri_photo_fit_threads(const struct zr_image *img, long long max_bytes,
    int q_low, int dpi, int threads, struct zr_photo_fit *fit,
    struct zr_error *err);

/* The C side of the dlib wrapper (face_dlib.cc, the one C++ file). */
#define ZRI_FACE_POINTS 68

/* One detection in the pixels given to zri_face_run(). */
struct zri_face_hit {
	double left, top, width, height;
	double score;                     /* dlib detection confidence */
	double pt[ZRI_FACE_POINTS][2];    /* x, y of the 68 landmarks */
};

/*
 * Load dlib's frontal face detector and the shape predictor at path,
 * once per process (again only for another path).  -1 with a message
 * in msg when the file cannot be read.
 */
int zri_face_load(const char *path, char *msg, size_t msglen);

/*
 * Find faces in a gray image (rows packed), after upsample doublings
 * (0 or 1), strongest first; landmarks for the first max_hits.  *found
 * is the number of faces (may exceed max_hits).  -1 with msg on error.
 */
int zri_face_run(const unsigned char *gray, int w, int h, int upsample,
    struct zri_face_hit *hits, int max_hits, int *found, char *msg,
    size_t msglen);

#ifdef __cplusplus
}
#endif

#endif
