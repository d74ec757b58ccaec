/* libzairyu: face finding (C side of the dlib wrapper) and landmark geometry. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zairyu/face.h"
#include "zairyu/io.h"
#include "image_int.h"

/* The path of libdlib-data's model, found by the Makefile. */
#ifndef ZR_FACE_MODEL_PATH
#define ZR_FACE_MODEL_PATH \
	"/usr/share/dlib/shape_predictor_68_face_landmarks.dat"
#endif

const char *
zr_face_model(void)
{
	const char *e = getenv(ZR_FACE_MODEL_ENV);

	return e != NULL && e[0] != '\0' ? e : ZR_FACE_MODEL_PATH;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int model_loaded;

static int
load_model(struct zr_faces *out, struct zr_error *err)
{
	const char *path = zr_face_model();
	char msg[200] = "";
	double t0;
	FILE *fp;

	if (model_loaded)
		return 0;
	/* Say plainly which file is missing and where it comes from. */
	if ((fp = fopen(path, "rb")) == NULL)
		return zr_error_set(err, ZR_E_NO_MODEL, path,
		    "face landmark model not found (install Debian's "
		    "libdlib-data, or set %s)", ZR_FACE_MODEL_ENV);
	/* An input like any other: never an output (zairyu(7)). */
	if (zr_input_note_fd(fileno(fp), path, err) < 0) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	t0 = now_ms();
	if (zri_face_load(path, msg, sizeof(msg)) != 0)
		return zr_error_set(err, ZR_E_NO_MODEL, path,
		    "cannot read the face landmark model: %s", msg);
	out->load_ms = now_ms() - t0;
	model_loaded = 1;
	return 0;
}

int
zr_face_find(const struct zr_image *img, int max_side, struct zr_faces *out,
    struct zr_error *err)
{
	struct zri_face_hit *hits;
	struct zr_image gray = { 0, 0, 0, NULL }, small = { 0, 0, 0, NULL };
	const struct zr_image *use;
	char msg[200] = "";
	double k, t0;
	int found = 0, rc = -1, lng;

	memset(out, 0, sizeof(*out));
	if (max_side <= 0)
		max_side = 800;
	if (load_model(out, err) != 0)
		return -1;
	t0 = now_ms();
	if (img->channels == 1) {
		use = img;
	} else {
		if (zr_image_to_gray(img, &gray, err) != 0)
			return -1;
		use = &gray;
	}
	lng = img->width > img->height ? img->width : img->height;
	k = 1.0;
	if (lng > max_side) {
		int w, h;

		k = (double)max_side / lng;
		w = (int)lround(img->width * k);
		h = (int)lround(img->height * k);
		if (w < 1)
			w = 1;
		if (h < 1)
			h = 1;
		if (zr_image_resize(use, w, h, &small, err) != 0)
			goto out;
		use = &small;
		k = (double)w / img->width;
	}
	out->det_width = use->width;
	out->det_height = use->height;
	if ((hits = calloc(ZR_FACE_MAX, sizeof(*hits))) == NULL) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		goto out;
	}
	if (zri_face_run(use->pixels, use->width, use->height, 0, hits,
	    ZR_FACE_MAX, &found, msg, sizeof(msg)) != 0)
		goto fail;
	/* The detector's smallest face is about 80 pixels: look again at
	 * twice the size before saying there is none. */
	if (found == 0) {
		out->upsampled = 1;
		if (zri_face_run(use->pixels, use->width, use->height, 1,
		    hits, ZR_FACE_MAX, &found, msg, sizeof(msg)) != 0)
			goto fail;
	}
	out->n = found;
	for (int i = 0; i < found && i < ZR_FACE_MAX; i++) {
		struct zr_face *f = &out->f[i];

		f->x = hits[i].left / k;
		f->y = hits[i].top / k;
		f->w = hits[i].width / k;
		f->h = hits[i].height / k;
		f->score = hits[i].score;
		for (int p = 0; p < ZR_FACE_POINTS; p++) {
			f->pt[p].x = (hits[i].pt[p][0] + 0.5) / k - 0.5;
			f->pt[p].y = (hits[i].pt[p][1] + 0.5) / k - 0.5;
		}
	}
	out->detect_ms = now_ms() - t0;
	rc = 0;
	free(hits);
	goto out;
fail:
	free(hits);
	zr_error_set(err, ZR_E_INTERNAL, NULL, "face detection failed: %s",
	    msg);
out:
	zr_image_free(&gray);
	zr_image_free(&small);
	return rc;
}

static struct zr_point
mean_of(const struct zr_face *f, int from, int to)
{
	struct zr_point m = { 0, 0 };

	for (int i = from; i <= to; i++) {
		m.x += f->pt[i].x;
		m.y += f->pt[i].y;
	}
	m.x /= (to - from + 1);
	m.y /= (to - from + 1);
	return m;
}

void
zr_face_geometry(const struct zr_face *f, struct zr_face_geom *g)
{
	double dx, dy, l, r;

	memset(g, 0, sizeof(*g));
	/* Points 36-41 are the eye on the image's left (the subject's
	 * right), 42-47 the other. */
	g->eye_l = mean_of(f, 36, 41);
	g->eye_r = mean_of(f, 42, 47);
	g->eyes.x = (g->eye_l.x + g->eye_r.x) / 2;
	g->eyes.y = (g->eye_l.y + g->eye_r.y) / 2;
	g->chin = f->pt[8];
	g->mouth = mean_of(f, 48, 59);
	g->nose = f->pt[30];
	g->brow_y = mean_of(f, 17, 26).y;
	dx = g->eye_r.x - g->eye_l.x;
	dy = g->eye_r.y - g->eye_l.y;
	g->roll_deg = atan2(dy, dx) * 180.0 / M_PI;
	/* Distance from the eye line to the chin, square to the eye line. */
	l = hypot(dx, dy);
	if (l > 0)
		g->eye_chin = fabs((g->chin.x - g->eyes.x) * -dy / l +
		    (g->chin.y - g->eyes.y) * dx / l);
	g->face_w = hypot(f->pt[16].x - f->pt[0].x, f->pt[16].y -
	    f->pt[0].y);
	/* Yaw: where the nose tip sits between the two sides of the face
	 * outline at its height (points 2 and 14), along the eye line. */
	if (l > 0) {
		double a = ((f->pt[2].x - g->nose.x) * dx + (f->pt[2].y -
		    g->nose.y) * dy) / l;
		double b = ((f->pt[14].x - g->nose.x) * dx + (f->pt[14].y -
		    g->nose.y) * dy) / l;

		r = b - a;
		g->yaw = r > 0 ? -a / r - 0.5 : 0;
	}
}
