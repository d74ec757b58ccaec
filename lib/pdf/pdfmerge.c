/* libzairyu: merge PDFs and scans into one PDF that fits the upload budget. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/* ---- limits from the rules table (lib/core/rules.c) ----------------- */

int
zr_pdf_limits_at(struct zr_date on, struct zr_pdf_limits *l,
    struct zr_error *err)
{
	return zr_rules_upload_limits(on, l, err);
}

long long
zr_pdf_default_budget(const struct zr_pdf_limits *l, long long reserve)
{
	long long b = l->max_file_bytes;

	if (reserve < 0)
		reserve = l->photo_bytes;
	/* New system: 25 MB for everything, the face photo included
	 * (rules-facts §2, RASENS) — keep room for the photo. */
	if (l->total_includes_photo && l->max_total_bytes - reserve < b)
		b = l->max_total_bytes - reserve;
	return b > 0 ? b : 0;
}

int
zri_note(struct zr_pdf_result *r, const char *fmt, ...)
{
	char buf[512], **nn;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	nn = realloc(r->notes, (r->nnotes + 1) * sizeof(*nn));
	if (nn == NULL)
		return -1;
	r->notes = nn;
	if ((nn[r->nnotes] = strdup(buf)) == NULL)
		return -1;
	r->nnotes++;
	return 0;
}

static void
set_info(struct zri_merge *m)
{
	char d[40];
	struct tm tm;
	time_t t;

	qpdf_set_info_key(m->out, "/Producer", "zairyu-tools " ZR_VERSION
	    " (libqpdf)");
	/* No clock unless SOURCE_DATE_EPOCH (reproducible builds). */
	if (m->o->source_date_epoch >= 0) {
		t = (time_t)m->o->source_date_epoch;
		if (gmtime_r(&t, &tm) != NULL) {
			snprintf(d, sizeof(d), "D:%04d%02d%02d%02d%02d%02dZ",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
			qpdf_set_info_key(m->out, "/CreationDate", d);
			qpdf_set_info_key(m->out, "/ModDate", d);
		}
	}
}

static void
report_images(struct zri_merge *m)
{
	size_t i;

	for (i = 0; i < m->nimg; i++) {
		struct zri_img *im = &m->img[i];
		struct zr_pdf_input_report *r = &m->res->inputs[im->input];
		int d = (int)(im->dpi + 0.5);

		r->images++;
		r->image_bytes_out += im->raw;
		if (d > 0 && (r->min_dpi == 0 || d < r->min_dpi))
			r->min_dpi = d;
	}
}

/* One merge, with the pages of *render stored as pictures of themselves;
 * *added: how many more its self-check found to render. */
static int
merge_once(const struct zr_pdf_input *in, size_t n,
    const struct zr_pdf_opts *o, struct zr_pdf_result *res,
    struct zri_render **render, size_t *nrender, int *added,
    struct zr_error *err)
{
	struct zri_merge m;
	FILE *kept = NULL;
	size_t i, len;
	long long imgbytes = 0, extbytes = 0, extmargin = 0, size;
	int rc = -1, over, warned = 0, recoded = 0;

	memset(res, 0, sizeof(*res));
	memset(&m, 0, sizeof(m));
	m.o = o;
	m.res = res;
	m.version = 1.3;
	m.render = *render;
	m.nrender = *nrender;
	if (n == 0)
		return zr_error_set(err, ZR_E_USAGE, NULL, "no input files");
	res->budget = o->max_bytes;
	res->inputs = calloc(n, sizeof(*res->inputs));
	m.src = calloc(n, sizeof(*m.src));
	if (res->inputs == NULL || m.src == NULL) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		goto out;
	}
	res->ninputs = n;
	m.nsrc = n;
	/* Inputs over the budget: it binds, so most scans will be decoded
	 * and re-encoded, and the bytes of a JPEG scan can stay in its
	 * file until then, instead of in a temporary copy of it (issue 14:
	 * no copy, no measuring write of them); those kept as they are
	 * come in before the output is written (at most the budget). */
	if (o->max_bytes > 0) {
		struct stat sb;
		long long tot = 0;

		for (i = 0; i < n; i++)
			if (strcmp(in[i].path, "-") != 0 &&
			    stat(in[i].path, &sb) == 0)
				tot += (long long)sb.st_size;
		m.ext_ok = tot > o->max_bytes;
	}
	for (i = 0; i < n; i++)
		if (zri_open_input(&m, &m.src[i], &in[i], err) < 0)
			goto out;
	if ((m.out = zri_pdf_new()) == NULL) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		goto out;
	}
	if (zri_assemble(&m, err) < 0 || zri_inventory(&m, err) < 0)
		goto out;
	for (i = 0; i < m.nimg; i++) {
		res->inputs[m.img[i].input].image_bytes_in += m.img[i].raw;
		imgbytes += m.img[i].raw;
		if (m.img[i].ext) {
			/* Its bytes, and a margin for its /Length and the
			 * offsets they move. */
			extbytes += m.img[i].raw + 16;
			extmargin = 1024;
		}
	}
	set_info(&m);
	/* Whether the budget binds: the images alone over it say so
	 * without writing the whole file to measure it. */
	over = o->max_bytes > 0 && imgbytes > o->max_bytes;
	if (o->max_bytes > 0 && !over) {
		/* Written as the output is: when it fits and nothing changes
		 * before the output would be written (no image comes in from
		 * its file or is re-encoded below, libqpdf did not warn),
		 * these are the output's bytes, and it is not written again. */
		if (zri_write_pdf_kept(&m, &kept, &len, &warned, err) < 0)
			goto out;
		over = (long long)len + extbytes + extmargin > o->max_bytes;
		if (over || warned || extbytes > 0) {
			fclose(kept);
			kept = NULL;
		}
	}
	if (over) {
		/* Lossless first: every Flate stream at level 9. */
		if (zri_lossless_pass(&m, err) < 0 ||
		    zri_write_pdf(&m, NULL, &len, err) < 0)
			goto out;
		size = (long long)len + extbytes;
		if (size + extmargin > o->max_bytes && zri_fit(&m, size,
		    err) < 0) {
			report_images(&m);
			goto out;
		}
	}
	for (i = 0; i < m.nimg; i++)
		recoded -= m.img[i].recoded;
	if (zri_validate(&m, err) < 0 || zri_ext_fill(&m, err) < 0)
		goto out;
	for (i = 0; i < m.nimg; i++)
		recoded += m.img[i].recoded;
	report_images(&m);
	/* Into the caller's file when there is one: the bytes are then
	 * neither read back into memory nor written a second time. */
	if (kept != NULL && recoded == 0) {
		FILE *t = kept;

		kept = NULL;
		res->pdf_len = len;
		if ((o->out != NULL ? zri_copy_kept(t, len, o->out, err) :
		    zri_read_kept(t, len, &res->pdf, err)) < 0)
			goto out;
	} else if ((o->out != NULL ? zri_write_pdf_to(&m, o->out,
	    &res->pdf_len, err) : zri_write_pdf(&m, &res->pdf, &res->pdf_len,
	    err)) < 0)
		goto out;
	res->bytes_out = (long long)res->pdf_len;
	if (o->max_bytes > 0 && res->bytes_out > o->max_bytes) {
		if (m.floor_try)
			zri_no_fit(&m, res->bytes_out, err);
		else
			zr_error_set(err, ZR_E_NO_FIT, NULL, "the output is "
			    "%lld bytes, over the budget of %lld",
			    res->bytes_out, o->max_bytes);
		goto out;
	}
	/* Damage libqpdf found while reading (some only shows when the
	 * objects are copied or written). */
	for (i = 0; i < n; i++) {
		if (m.src[i].kind != ZR_PDF_IN_PDF)
			continue;
		zri_src_warn(&m.src[i]);
		if (m.src[i].nwarn > 0)
			zri_note(res, "%s: warning: damaged; recovered by "
			    "libqpdf (%d warning%s, first: %s)",
			    zr_display_name(m.src[i].path), m.src[i].nwarn,
			    m.src[i].nwarn == 1 ? "" : "s", m.src[i].warn);
	}
	if (o->self_check) {
		FILE *chk;
		int swapped, c;

		if ((swapped = zri_placeholder_images(&m, err)) < 0)
			goto out;
		/* Nothing swapped: a second write would give the output's
		 * own bytes, so they are checked where they already are;
		 * else the placeholders' write is checked in its file. */
		if (swapped == 0)
			c = o->out != NULL ? zri_self_check_file(&m, o->out,
			    err) : zri_self_check(&m, res->pdf, res->pdf_len,
			    err);
		else if (zri_write_pdf_scratch(&m, &chk, err) < 0)
			goto out;
		else {
			c = zri_self_check_file(&m, chk, err);
			fclose(chk);
		}
		if (c < 0)
			goto out;
	}
	rc = 0;
out:
	if (kept != NULL)
		fclose(kept);
	if (rc < 0) {
		free(res->pdf);
		res->pdf = NULL;
		res->pdf_len = 0;
	}
	for (i = 0; i < m.nimg; i++) {
		free(m.img[i].est);
		free(m.img[i].data);
	}
	free(m.img);
	free(m.img_of_obj);
	if (m.out != NULL)
		zri_pdf_free(&m.out);
	for (i = 0; i < m.nsrc; i++) {
		if (m.src[i].q != NULL)
			zri_pdf_free(&m.src[i].q);
		free(m.src[i].mem);
	}
	free(m.src);
	*render = m.render;
	*nrender = m.nrender;
	*added = rc < 0 ? m.render_added : 0;
	return rc;
}

/*
 * A page whose content stream is damaged (issue 14, "Read what other
 * readers read") shows only when the output fails its self-check: the
 * pages the check names are then rendered and the merge made again, at
 * most ZRI_RENDER_ROUNDS times; a check that still fails is the refusal.
 */
int
zr_pdf_merge(const struct zr_pdf_input *in, size_t n,
    const struct zr_pdf_opts *o, struct zr_pdf_result *res,
    struct zr_error *err)
{
	struct zri_render *render = NULL;
	size_t nrender = 0;
	int round, rc, added;
	struct stat st;

	if (o->out != NULL && (fstat(fileno(o->out), &st) != 0 ||
	    !S_ISREG(st.st_mode))) {
		memset(res, 0, sizeof(*res));
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "the output is not a regular file");
	}

	for (round = 1;; round++) {
		rc = merge_once(in, n, o, res, &render, &nrender, &added, err);
		if (rc == 0 || added <= 0 || round >= ZRI_RENDER_ROUNDS)
			break;
		zr_pdf_result_free(res);
	}
	free(render);
	return rc;
}

void
zr_pdf_result_free(struct zr_pdf_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nnotes; i++)
		free(res->notes[i]);
	free(res->notes);
	free(res->inputs);
	free(res->pdf);
	memset(res, 0, sizeof(*res));
}
