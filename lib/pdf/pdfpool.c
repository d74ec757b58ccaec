/* libzairyu: the worker threads that decode and encode a merge's images. */
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/*
 * The passes over the images (validate, estimate, encode) share this
 * pool.  Each image's result depends on that image alone and goes into
 * its own struct zri_img, so the two worker threads give the same bytes
 * whatever the order they run in.  At most two images are decoded at
 * once and two more wait as stored bytes: memory stays bounded however
 * many pages there are.
 */
#define NWORKERS 2
#define QDEPTH 2

struct job {
	struct zri_img *im;
	unsigned char *raw;
	size_t rawlen;
};

struct pool {
	const struct zri_merge *m;
	zri_img_fn fn;
	void *arg;
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct job q[QDEPTH];
	size_t head, count;
	int closed, nomem, validating, idle;
};

/* An image whose bytes cannot be read (again): kept as it is, or
 * refused when validating. */
static void
unreadable(struct zri_img *im, int validating, const struct zr_error *e)
{
	im->eligible = 0;
	if (validating) {
		im->vfail = 1;
		snprintf(im->vmsg, sizeof(im->vmsg), "%s", e->msg);
	}
}

static int
run_job(struct pool *p, struct job *j)
{
	struct zr_error e;
	int rc;

	/* An image still in its file is read here, in the worker (no
	 * libqpdf involved): reading overlaps the other's decode. */
	if (j->raw == NULL && j->im->ext && zri_ext_read(p->m, j->im, &j->raw,
	    &j->rawlen, &e) < 0) {
		unreadable(j->im, p->validating, &e);
		return e.code == ZR_E_NOMEM ? -1 : 0;
	}
	rc = p->fn(p->m, j->im, j->raw, j->rawlen, p->arg);

	free(j->raw);
	j->raw = NULL;
	return rc;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct job j;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->count == 0 && !p->closed)
			pthread_cond_wait(&p->more, &p->mu);
		if (p->count == 0) {
			int first = p->idle++ == 0;

			pthread_mutex_unlock(&p->mu);
#ifdef __GLIBC__
			/* The first worker out of work, while the other ends
			 * its last image: the decoded pages' freed memory goes
			 * back to the system here rather than at exit, in the
			 * main thread's time (glibc keeps it in its arenas). */
			if (first)
				malloc_trim(0);
#else
			(void)first;
#endif
			return NULL;
		}
		j = p->q[p->head];
		p->head = (p->head + 1) % QDEPTH;
		p->count--;
		pthread_cond_signal(&p->room);
		pthread_mutex_unlock(&p->mu);
		if (run_job(p, &j) < 0) {
			pthread_mutex_lock(&p->mu);
			p->nomem = 1;
			pthread_mutex_unlock(&p->mu);
		}
	}
}

int
zri_pool_run(struct zri_merge *m, int (*want)(const struct zri_img *),
    zri_img_fn fn, void *arg, int validating, struct zr_error *err)
{
	struct pool p;
	pthread_t th[NWORKERS];
	struct job j;
	struct zr_error e;
	size_t i, nel = 0;
	int nth = 0, k, nw, rc = 0;

	memset(&p, 0, sizeof(p));
	p.m = m;
	p.fn = fn;
	p.arg = arg;
	p.validating = validating;
	for (i = 0; i < m->nimg; i++)
		nel += want(&m->img[i]) != 0;
	nw = m->o->threads > 0 && m->o->threads < NWORKERS ? m->o->threads :
	    NWORKERS;
	/* One thread: the images in the caller's thread, one at a time. */
	if (nel > 1 && nw > 1 && pthread_mutex_init(&p.mu, NULL) == 0) {
		if (pthread_cond_init(&p.more, NULL) == 0) {
			if (pthread_cond_init(&p.room, NULL) == 0) {
				for (k = 0; k < nw; k++)
					if (pthread_create(&th[nth], NULL,
					    worker, &p) == 0)
						nth++;
				if (nth == 0)
					pthread_cond_destroy(&p.room);
			}
			if (nth == 0)
				pthread_cond_destroy(&p.more);
		}
		if (nth == 0)
			pthread_mutex_destroy(&p.mu);
	}
	for (i = 0; i < m->nimg && rc == 0; i++) {
		if (!want(&m->img[i]))
			continue;
		j.im = &m->img[i];
		j.raw = NULL;
		j.rawlen = 0;
		if (!j.im->ext && zri_img_raw(m, j.im, &j.raw, &j.rawlen,
		    &e) < 0) {
			/* Read before, so not expected: keep it as it is
			 * (or refuse it when validating). */
			zri_pdf_clear_error(m->out);
			unreadable(j.im, validating, &e);
			continue;
		}
		if (nth == 0) {
			if (run_job(&p, &j) < 0)
				p.nomem = 1;
			if (p.nomem)
				rc = -1;
			continue;
		}
		pthread_mutex_lock(&p.mu);
		while (p.count == QDEPTH)
			pthread_cond_wait(&p.room, &p.mu);
		p.q[(p.head + p.count) % QDEPTH] = j;
		p.count++;
		pthread_cond_signal(&p.more);
		if (p.nomem)
			rc = -1;
		pthread_mutex_unlock(&p.mu);
	}
	if (nth > 0) {
		pthread_mutex_lock(&p.mu);
		p.closed = 1;
		pthread_cond_broadcast(&p.more);
		pthread_mutex_unlock(&p.mu);
		for (k = 0; k < nth; k++)
			pthread_join(th[k], NULL);
		pthread_cond_destroy(&p.room);
		pthread_cond_destroy(&p.more);
		pthread_mutex_destroy(&p.mu);
	}
	if (rc < 0 || p.nomem)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	return 0;
}
