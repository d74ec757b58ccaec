/* libzairyu: faces and their 68 landmarks (dlib), for framing photos. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_FACE_H
#define ZAIRYU_FACE_H

#include "zairyu/error.h"
#include "zairyu/image.h"

/*
 * The detector is dlib's HOG frontal face detector; the landmarks come
 * from dlib's 68-point shape predictor (iBUG 300-W points: 0-16 jaw,
 * 8 chin, 17-26 brows, 27-35 nose with 30 the tip, 36-41 and 42-47 the
 * eyes, 48-67 the mouth), read from the file zr_face_model() names.
 */
#define ZR_FACE_POINTS 68
#define ZR_FACE_MAX 8

/* Environment variable that overrides the model path built in. */
#define ZR_FACE_MODEL_ENV "ZR_FACE_MODEL"

struct zr_point {
	double x, y;
};

struct zr_face {
	double x, y, w, h;                 /* detector box */
	double score;                      /* detector confidence (> 0) */
	struct zr_point pt[ZR_FACE_POINTS];
};

struct zr_faces {
	int n;                    /* faces found (may exceed ZR_FACE_MAX) */
	struct zr_face f[ZR_FACE_MAX];  /* strongest first, in the pixels
					   of the image given */
	int det_width, det_height;/* the downscaled copy searched */
	int upsampled;            /* searched again at twice that size */
	double load_ms;           /* model load (0 when already loaded) */
	double detect_ms;         /* detection and landmarks */
};

/* The model file: $ZR_FACE_MODEL, else the path found at build time. */
const char *zr_face_model(void);

/*
 * Find the faces of an upright image: on a gray copy downscaled so its
 * long side is at most max_side (0: 800), again at twice that size when
 * none is found; boxes and landmarks are mapped back to img's pixels.
 * The model is loaded on the first call.  Errors: ZR_E_NO_MODEL (file
 * missing or unreadable), ZR_E_NOMEM, ZR_E_INTERNAL.
 */
int zr_face_find(const struct zr_image *img, int max_side,
    struct zr_faces *out, struct zr_error *err);

/* Landmark summaries. */
struct zr_face_geom {
	struct zr_point eye_l, eye_r;     /* eye centres (image left, right) */
	struct zr_point eyes;             /* midpoint of the eye centres */
	struct zr_point chin;             /* point 8 */
	struct zr_point mouth;            /* centre of the outer lip points */
	struct zr_point nose;             /* point 30 */
	double brow_y;                    /* mean height of the brows */
	double roll_deg;                  /* eye line angle, + clockwise */
	double yaw;                       /* nose tip across the face outline,
					     -0.5..0.5, 0 frontal */
	double eye_chin;                  /* eye line to chin, pixels */
	double face_w;                    /* jaw width (points 0 to 16) */
};

void zr_face_geometry(const struct zr_face *f, struct zr_face_geom *g);

#endif
