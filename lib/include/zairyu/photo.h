/* libzairyu: application photo and signature image (zr-photo). */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_PHOTO_H
#define ZAIRYU_PHOTO_H

#include <stddef.h>

#include "zairyu/date.h"
#include "zairyu/error.h"
#include "zairyu/image.h"

/*
 * A profile: what the upload form wants.  rules-facts §1:
 *   isa        3:4 portrait (30x40 mm paper standard, §1.1), JPEG of at
 *              most photo.max_bytes (rules table; 50,000 bytes, the
 *              conservative reading of "50 KB", §1.2), 450x600 pixels,
 *              never below 240x320; recency photo.recency_months.
 *   passport   Myna Portal passport photo: 600x730, at most 600 KB
 *              (600,000 bytes), taken within 6 months (§1.3).
 *   signature  Myna Portal signature image: 788x284, at most 200 KB,
 *              white background, dark ink, gray JPEG (§1.3, MOFA-SIG).
 */
/*
 * Where the head goes, in millimetres of the paper photo (rules table:
 * photo.isa.*, photo.passport.*).  A band's 0,0 means no rule.
 */
struct zr_photo_geometry {
	int frame_w_mm, frame_h_mm;   /* the paper photo */
	int head_min_mm, head_max_mm; /* crown (with hair) to chin */
	int top_min_mm, top_max_mm;   /* crown to the top edge */
	int chin_min_mm, chin_max_mm; /* chin to the bottom edge */
	int side_min_mm, side_max_mm; /* face centre to a side edge */
};

struct zr_photo_profile {
	char name[16];
	int aspect_w, aspect_h;   /* crop aspect */
	int width, height;        /* pixel size aimed at */
	int min_width, min_height;/* smallest size allowed */
	int fixed_size;           /* the form wants exactly width x height */
	long long max_bytes;
	int gray;                 /* grayscale output */
	int signature;            /* signature checks, white padding */
	int recency_months;       /* 0: no rule */
	int recency_warn_months;  /* older than this: a note (the older
				     3-month rule); 0: none */
	int dpi;                  /* JFIF density written */
	int face;                 /* framed from the face (geom is set) */
	struct zr_photo_geometry geom;
};

/*
 * Fill *p for profile name ("isa", "passport", "signature") with the
 * rules in force on rules_date.  Errors: ZR_E_USAGE (unknown profile),
 * ZR_E_NO_RULE / ZR_E_UNKNOWN_KEY from the rules table.
 */
int zr_photo_profile(const char *name, struct zr_date rules_date,
    struct zr_photo_profile *p, struct zr_error *err);

/* Lowest JPEG quality tried before a smaller pixel size is. */
#define ZR_PHOTO_Q_LOW 50
/* Lowest quality at all (at the profile's minimum size). */
#define ZR_PHOTO_Q_FLOOR 20

/* One encoding the size search settled on. */
struct zr_photo_fit {
	unsigned char *jpeg;      /* malloc'd, caller frees (or result_free) */
	size_t len;
	int width, height;
	int quality;              /* libjpeg quality of the same mean step */
	int scale_percent;        /* libjpeg table scale of that mean step */
	int chroma_percent;       /* chroma table scale relative to luma */
	int subsample444;
	double ssim;              /* luma SSIM against the image encoded */
	double ssim_ycc;          /* 6:1:1 YCbCr SSIM (the choice criterion) */
	int encodes;              /* how many encodings were tried */
};

/*
 * The size search on an image already at its final pixel size: for each
 * chroma layout (4:2:0, 4:4:4) and chroma table weight, search the
 * quantisation scale for a file just under max_bytes (own DCT, flattened
 * luma table, AC dead zone, optimised-Huffman baseline JFIF), with a DC
 * step no coarser than libjpeg's at quality q_low; of those that fit,
 * keep the one with the best zr_image_ssim_ycc() against img.
 * Errors: ZR_E_NO_FIT when nothing at or above q_low fits.
 */
int zr_photo_fit(const struct zr_image *img, long long max_bytes, int q_low,
    int dpi, struct zr_photo_fit *fit, struct zr_error *err);

/* Findings of a check: each one line, with a stable code for --json. */
#define ZR_PHOTO_MAX_FINDINGS 24

struct zr_photo_finding {
	const char *code;         /* "bytes", "pixels", "gps", "recency", ... */
	int note;                 /* 1: advice, not a problem ("recency_old") */
	char msg[200];
};

struct zr_photo_findings {
	int n;
	struct zr_photo_finding f[ZR_PHOTO_MAX_FINDINGS];
};

/* ---- framing from the face (lib/image/photoframe.c) ---- */

#include "zairyu/face.h"

/* The head as the framing sees it, in the pixels of the image used. */
struct zr_photo_head {
	double crown_y;           /* top of the head with the hair */
	double crown_est_y;       /* the estimate from the landmarks */
	int crown_refined;        /* crown_y found where hair meets wall */
	int crown_at_edge;        /* no wall between the hair and the top */
	double chin_y, eyes_y;
	double centre_x;          /* between the eyes */
	double roll_deg, yaw;
	int bg_known;             /* plain background beside the head */
	double bg[3];             /* its median colour */
};

/*
 * The head from the landmark geometry g of a face in img: the crown
 * estimated from the eye-to-chin distance and refined by scanning up
 * from the brows to where the hair meets a plain background.
 */
void zr_photo_head(const struct zr_image *img, const struct zr_face_geom *g,
    struct zr_photo_head *h);

/* A crop to the profile's geometry, in source pixels (may extend past
 * the picture: pad_* pixels on that side). */
struct zr_photo_frame {
	double x, y, w, h;
	double head_mm, top_mm, chin_mm, side_mm;   /* as framed */
	int pad_top, pad_left, pad_bottom, pad_right;
};

/*
 * The crop of a W x H picture that puts the head of h at the middle of
 * the bands of g, for a frame of aspect aspect_w:aspect_h (width from
 * height); when that leaves the picture, the sizes inside the bands
 * that leave it least.  Returns 0 (inside), 1 (pad_* pixels outside),
 * -1 (no frame of that aspect meets the bands: side band, or no head).
 */
int zr_photo_frame(const struct zr_photo_geometry *g, int aspect_w,
    int aspect_h, const struct zr_photo_head *h, int W, int H,
    struct zr_photo_frame *f);

/*
 * Whether the picture's edge strip on side (0 top, 1 left, 2 bottom,
 * 3 right; the sides' upper three fifths) is plain enough to pad from;
 * colour gets its median.
 */
int zr_photo_edge_plain(const struct zr_image *img, int side,
    double colour[3]);

struct zr_photo_opts {
	struct zr_photo_profile prof;
	int crop_x, crop_y, crop_w, crop_h;  /* upright input pixels */
	int have_crop;
	long long max_pixels;     /* decode cap (0 = ZR_IMAGE_MAX_PIXELS) */
	struct zr_date today;     /* for the recency warning (y 0: none) */
	int preview;              /* draw r->preview (also on refusal) */
};

/* Limits of the framing (zr-photo(1), REFUSALS). */
#define ZR_PHOTO_MAX_ROLL     8.0   /* degrees of eye-line tilt (refused) */
#define ZR_PHOTO_WARN_ROLL    4.0   /* --check: eyes not level */
#define ZR_PHOTO_MAX_YAW      0.15  /* nose off the face's middle, share of
				       its width (refused) */
#define ZR_PHOTO_WARN_YAW     0.08  /* --check: not frontal */
#define ZR_PHOTO_MAX_ENLARGE  2.0   /* the head enlarged at most this much */
#define ZR_PHOTO_DETECT_SIDE  1000  /* long side of the picture searched */

/*
 * What the landmark checks measured on a photo: millimetres of the
 * profile's paper photo (g->frame_w_mm x g->frame_h_mm spread over the
 * picture's W x H pixels).
 */
struct zr_photo_measure {
	int faces;                /* faces found */
	int crown_found;          /* where the hair meets the wall, else the
				     estimate from the landmarks */
	int crown_at_edge;        /* hair up to the top edge: head cut */
	double head_mm;           /* crown to chin */
	double top_mm;            /* top edge to crown */
	double chin_mm;           /* chin to bottom edge */
	double left_mm, right_mm; /* face centre (between the eyes) to the
				     left / right edge */
	double roll_deg, yaw;
	int bg_masked;            /* background judged outside the head and
				     shoulders (0: the border band, no single
				     face found) */
	long bg_pixels;           /* pixels it was judged on */
};

struct zr_photo_result {
	struct zr_photo_fit fit;
	struct zr_image_info info;   /* of the input */
	int src_width, src_height;   /* upright input size */
	int crop_x, crop_y, crop_w, crop_h;  /* crop used, upright input px */
	int cropped;                 /* the crop cut something off */
	int padded;                  /* white added to reach the aspect */
	int upscaled;                /* input smaller than the output */
	int levelled;                /* signature paper brightened to white */
	int shrunk;                  /* pixel size below the profile's */
	struct zr_photo_findings warnings;  /* checks on input and output */
	/* Framing from the face (profile face, no --crop). */
	int framed;                  /* the crop came from the face */
	int faces;                   /* faces found */
	struct zr_faces found;       /* in the pixels of the view searched */
	double view_scale;           /* source px per view px */
	struct zr_photo_head head;   /* source px */
	struct zr_photo_frame frame; /* source px */
	int bg_padded;               /* plain background added (pad_*) */
	double pad_colour[3];
	struct zr_photo_measure measure; /* the checks on the output (framed) */
	const char *refusal;         /* code of the refusal, NULL if none */
	struct zr_image preview;     /* o->preview: the drawing (RGB) */
};

/*
 * Decode buf (JPEG or PNG), turn it upright, crop (o->have_crop, else a
 * centred crop to the profile's aspect; the signature profile pads with
 * white instead), resize, and run the size search, shrinking the pixel
 * size towards the minimum only when quality q_low does not fit.  The
 * output is a baseline JFIF JPEG with no other marker: no EXIF, GPS,
 * XMP, ICC or comment.  r->fit.jpeg is malloc'd.  Errors: those of
 * zr_image_decode(), ZR_E_RANGE (crop outside the image), ZR_E_NO_FIT
 * ("cannot fit 50000 bytes above 240x320").
 */
int zr_photo_convert(const unsigned char *buf, size_t len, const char *name,
    const struct zr_photo_opts *o, struct zr_photo_result *r,
    struct zr_error *err);

void zr_photo_result_free(struct zr_photo_result *r);

/*
 * The --preview picture: view (the copy the faces were searched on, its
 * pixels times r->view_scale are source pixels), at most 480 pixels
 * long, with grey where the crop leaves the picture; the crop box
 * green, face boxes blue, landmarks cyan, the eye line yellow, crown
 * and chin lines red (the crown orange when only estimated).
 */
int zr_photo_draw_preview(const struct zr_image *view,
    const struct zr_photo_result *r, struct zr_image *out);

/*
 * The picture zr_photo_convert() would encode first (upright, cropped or
 * padded, resized to the profile's size, signature paper levelled), not
 * encoded: for comparing encoders on the same pixels.  r gets the
 * geometry (r->fit stays empty).  out is new pixels.
 */
int zr_photo_prepare(const unsigned char *buf, size_t len, const char *name,
    const struct zr_photo_opts *o, struct zr_image *out,
    struct zr_photo_result *r, struct zr_error *err);

/*
 * The centred crop of a w x h image to aspect aw:ah (as large as fits).
 */
void zr_photo_center_crop(int w, int h, int aw, int ah, int *x, int *y,
    int *cw, int *ch);

/* The measures of head h (pixels of a W x H photo) in the mm of g. */
void zr_photo_measure_head(const struct zr_photo_head *h,
    const struct zr_photo_geometry *g, int W, int H,
    struct zr_photo_measure *m);

/*
 * The findings of measures m against profile p: one face (no_face,
 * faces), head cut (head_cut), head size, top and chin margins against
 * the bands of the rules table (head_size, top_margin, chin_margin),
 * face centred (centre: the side band where the profile has one, else
 * ZR_PHOTO_CENTRE_TOL of the width), eyes level (roll, over
 * ZR_PHOTO_WARN_ROLL), frontal (yaw, over ZR_PHOTO_WARN_YAW); a note
 * (crown_estimated) when the crown could not be seen against a plain
 * wall.  Appended to *f.
 */
void zr_photo_judge(const struct zr_photo_measure *m,
    const struct zr_photo_profile *p, struct zr_photo_findings *f);

/*
 * The checks of a portrait profile (p->face) on the picture img as it
 * would be uploaded: the faces found (zr_face_find), their measures and
 * zr_photo_judge(), the background judged on the region outside the head
 * and shoulders (the border band when there is not exactly one face,
 * said in the message), exposure.  Other profiles: as
 * zr_photo_check_pixels().  m (may be NULL) gets the measures.  Returns
 * -1 only on the errors of zr_face_find() (ZR_E_NO_MODEL, ...).
 */
int zr_photo_check_face(const struct zr_image *img,
    const struct zr_photo_profile *p, struct zr_photo_findings *f,
    struct zr_photo_measure *m, struct zr_error *err);

/* The face centre off the middle by more than this share of the width
 * (our limit, as in the full-frontal geometry of ISO/IEC 19794-5: the
 * face's horizontal centre within 45-55 % of the width; ISA gives no
 * number, rules-facts §1.1). */
#define ZR_PHOTO_CENTRE_TOL   0.05

/*
 * Content checks on the picture itself (what an examiner would see):
 * background not plain (variance and edges in the border band), too
 * dark, too bright, clipped; for the signature: ink too light,
 * background not white, signature touching the edge.  Findings are
 * appended to *f.
 */
void zr_photo_check_pixels(const struct zr_image *img,
    const struct zr_photo_profile *p, struct zr_photo_findings *f);

/*
 * Recency: EXIF DateTimeOriginal more than p->recency_months before
 * today, or after today.  No finding when the date is unknown.
 */
void zr_photo_check_recency(const struct zr_image_info *info,
    const struct zr_photo_profile *p, struct zr_date today,
    struct zr_photo_findings *f);

/*
 * Check an existing file against profile p without changing it: format
 * (JPEG), baseline (progressive is flagged), byte size, pixel size and
 * aspect, metadata (EXIF, GPS, XMP, IPTC, comment), recency, and the
 * content checks.  *info receives the file's header facts.  Returns -1
 * only when the file cannot be read as an image (errors of
 * zr_image_decode()); problems found are in *f.
 */
int zr_photo_check(const unsigned char *buf, size_t len, const char *name,
    const struct zr_photo_profile *p, struct zr_date today,
    struct zr_photo_findings *f, struct zr_image_info *info,
    struct zr_error *err);

#endif
