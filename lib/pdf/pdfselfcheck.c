/* libzairyu: the check of a merge's output: "qpdf --check" through libqpdf. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdfjob-c.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/* Enough of the log for every damaged page of a long document (each
 * line names one); the message is its first line. */
#define LOG_MAX ((size_t)64 * 1024)

struct logbuf {
	char text[LOG_MAX];
	size_t len;
};

static int
log_keep(char const *data, size_t len, void *udata)
{
	struct logbuf *b = udata;
	size_t n = sizeof(b->text) - 1 - b->len;

	if (len < n)
		n = len;
	memcpy(b->text + b->len, data, n);
	b->len += n;
	b->text[b->len] = '\0';
	return 0;
}

/* The input a page number of the output (as in "page 101: ...")
 * belongs to, for the message. */
static const char *
page_owner(struct zri_merge *m, const char *msg)
{
	const char *p = strstr(msg, "page ");
	long pg;
	size_t i;

	if (p == NULL || (pg = strtol(p + 5, NULL, 10)) <= 0)
		return NULL;
	for (i = 0; i < m->nsrc; i++)
		if (pg >= m->res->inputs[i].first_page && pg <
		    m->res->inputs[i].first_page + m->res->inputs[i].pages)
			return zr_display_name(m->src[i].path);
	return NULL;
}

/*
 * "qpdf --check" decodes every JPEG and deflates the pixels it gets,
 * which costs more than the whole merge.  Our own decoder has already
 * read every JPEG of the inventory with warnings as errors (a stricter
 * test than libqpdf's), so for the structural check they are swapped for
 * a 1x1 JPEG in a second rendering of the same document.  Returns how
 * many were swapped: with none, the output itself is what is checked.
 */
int
zri_placeholder_images(struct zri_merge *m, struct zr_error *err)
{
	static const unsigned char gray = 128;
	struct zr_image one = { 1, 1, 1, (unsigned char *)(size_t)&gray };
	struct zr_jpeg_opts jo;
	unsigned char *jpg;
	size_t len, i;
	qpdf_data q = m->out;
	qpdf_oh f, p, d;
	int n = 0;

	memset(&jo, 0, sizeof(jo));
	jo.quality = 50;
	if (zr_jpeg_encode(&one, &jo, &jpg, &len, err) < 0)
		return -1;
	for (i = 0; i < m->nimg; i++) {
		struct zri_img *im = &m->img[i];

		if (im->filter != ZRI_F_DCT && im->filter != ZRI_F_FLATEDCT)
			continue;
		f = zri_name(q, "/DCTDecode");
		p = qpdf_oh_new_null(q);
		qpdf_oh_replace_stream_data(q, im->oh, jpg, len, f, p);
		qpdf_oh_release(q, f);
		qpdf_oh_release(q, p);
		d = qpdf_oh_get_dict(q, im->oh);
		zri_set_key(q, d, "/Width", qpdf_oh_new_integer(q, 1));
		zri_set_key(q, d, "/Height", qpdf_oh_new_integer(q, 1));
		zri_set_key(q, d, "/ColorSpace", zri_name(q, "/DeviceGray"));
		qpdf_oh_release(q, d);
		n++;
	}
	free(jpg);
	return n;
}

/*
 * Run a qpdf job through libqpdf's job API, its messages kept in lb (when
 * not NULL), never printed: 0 it passed.  The job is given as qpdf's job
 * JSON (qpdf --job-json-help), which sets the same options the command
 * line would ("check": "" is --check), through less set-up: about 0.35
 * ms a job under ASan against 0.55 for the argv parser, which also
 * builds every option's table and looks at COMP_LINE (shell completion)
 * in the environment.  The paths put in it are /proc/self/fd/N.
 */
static int
run_job(const char *json, struct logbuf *lb)
{
	qpdfjob_handle j = qpdfjob_init();
	qpdflogger_handle l = qpdflogger_create();
	int rc;

	qpdflogger_set_info(l, qpdf_log_dest_discard, NULL, NULL);
	if (lb != NULL) {
		qpdflogger_set_warn(l, qpdf_log_dest_custom, log_keep, lb);
		qpdflogger_set_error(l, qpdf_log_dest_custom, log_keep, lb);
	} else {
		qpdflogger_set_warn(l, qpdf_log_dest_discard, NULL, NULL);
		qpdflogger_set_error(l, qpdf_log_dest_discard, NULL, NULL);
	}
	qpdfjob_set_logger(j, l);
	rc = qpdfjob_initialize_from_json(j, json);
	if (rc == 0)
		rc = qpdfjob_run(j);
	qpdfjob_cleanup(&j);
	qpdflogger_cleanup(&l);
	return rc;
}

/* Pages scanned one by one after a failed check, at most. */
#define SCAN_MAX_PAGES 500

/*
 * Which pages of the checked file fail "qpdf --check" on their own: a
 * page whose content stream is damaged does, wherever the check as a
 * whole stopped.  Each page is copied alone into an empty document by
 * qpdf --pages and that document checked, in one job ("qpdf --empty
 * --check --pages FILE K --": the check of what a write of the page
 * alone would hold, without writing it to a file and reading it back
 * in a second job).  Each that fails is added to m's render list (pages
 * of PDF inputs only); returns how many were new, -1 on error.  A page
 * that could not be added (a scan's, or one rendered in an earlier
 * round) is not checked: whatever its job said, the list would not
 * change (in a later round that was every page again).
 */
static int
scan_pages(struct zri_merge *m, const char *path, int npages)
{
	char job[160];
	int k, r, added = 0;

	if (npages > SCAN_MAX_PAGES)
		return 0;
	for (k = 1; k <= npages; k++) {
		if (!zri_render_out_page(m, k - 1, 1))
			continue;
		snprintf(job, sizeof(job), "{\"empty\": \"\", \"check\": \"\", "
		    "\"pages\": [{\"file\": \"%s\", \"range\": \"%d\"}]}", path,
		    k);
		if (run_job(job, NULL) == 0)
			continue;
		if ((r = zri_render_out_page(m, k - 1, 0)) < 0)
			return -1;
		added += r;
	}
	return added;
}

/*
 * The promise is that the output passes "qpdf --check": run exactly
 * that, through libqpdf's job API, on the bytes about to be written
 * (an unlinked temporary file, or the output's own), with its messages
 * kept, not printed.  When it fails, the pages that fail alone are found
 * for the next round (m->render_added; pdfraster.c).
 */
int
zri_self_check_file(struct zri_merge *m, FILE *t, struct zr_error *err)
{
	struct logbuf *lbp;
	char path[64], job[128], *nl, *msg;
	const char *owner;
	int rc;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(t));
	if ((lbp = calloc(1, sizeof(*lbp))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	snprintf(job, sizeof(job), "{\"inputFile\": \"%s\", \"check\": \"\"}",
	    path);
	rc = run_job(job, lbp);
	if (rc == 0) {
		free(lbp);
		return 0;
	}
	m->render_added = 0;
	if (m->o->render_dpi >= 0 && (m->render_added = scan_pages(m, path,
	    qpdf_get_num_pages(m->out))) < 0) {
		free(lbp);
		return zr_error_set(err, ZR_E_IO, NULL, "cannot check the "
		    "pages one by one");
	}
	/* The first line that says what is wrong. */
	msg = lbp->text;
	while ((nl = strchr(msg, '\n')) != NULL && strncmp(msg, "WARNING",
	    7) != 0 && strncmp(msg, "ERROR", 5) != 0)
		msg = nl + 1;
	if ((nl = strchr(msg, '\n')) != NULL)
		*nl = '\0';
	if (strncmp(msg, "WARNING: ", 9) == 0)
		msg += 9;
	else if (strncmp(msg, "ERROR: ", 7) == 0)
		msg += 7;
	if (strncmp(msg, path, strlen(path)) == 0)
		msg += strlen(path) + (msg[strlen(path)] == ' ');
	owner = page_owner(m, msg);
	if (owner == NULL && m->nsrc == 1)
		owner = zr_display_name(m->src[0].path);
	zr_error_set(err, ZR_E_PDF, owner, "damaged beyond what can be "
	    "copied; the merged PDF fails \"qpdf --check\": %s",
	    *msg != '\0' ? msg : "no message");
	free(lbp);
	return -1;
}

int
zri_self_check(struct zri_merge *m, const unsigned char *pdf, size_t pdflen,
    struct zr_error *err)
{
	FILE *t = zr_scratch_file(err);
	int rc;

	if (t == NULL)
		return -1;
	if (fwrite(pdf, 1, pdflen, t) != pdflen ||
	    fflush(t) != 0) {
		fclose(t);
		return zr_error_sys(err, ZR_E_IO, errno, NULL,
		    "cannot write a temporary file");
	}
	rc = zri_self_check_file(m, t, err);
	fclose(t);
	return rc;
}
