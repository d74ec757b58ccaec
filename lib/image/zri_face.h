/* libzairyu internal: the C side of the dlib wrapper (face_dlib.cc). */
/* SPDX-License-Identifier: MIT */
#ifndef ZRI_FACE_H
#define ZRI_FACE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

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
