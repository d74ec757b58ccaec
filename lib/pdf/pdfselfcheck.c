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

struct logbuf {
	char text[512];
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
 * a 1x1 JPEG in a second rendering of the same document.
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
	}
	free(jpg);
	return 0;
}

/*
 * The promise is that the output passes "qpdf --check": run exactly
 * that, through libqpdf's job API, on the bytes about to be written
 * (an unlinked temporary file), with its messages kept, not printed.
 */
int
zri_self_check(struct zri_merge *m, const unsigned char *pdf, size_t pdflen,
    struct zr_error *err)
{
	FILE *t = tmpfile();
	qpdfjob_handle j;
	qpdflogger_handle l;
	struct logbuf lb;
	char path[64], *nl, *msg;
	const char *argv[4], *owner;
	int rc;

	if (t == NULL)
		return zr_error_sys(err, ZR_E_IO, errno, NULL,
		    "cannot make a temporary file");
	if (fwrite(pdf, 1, pdflen, t) != pdflen ||
	    fflush(t) != 0) {
		fclose(t);
		return zr_error_sys(err, ZR_E_IO, errno, NULL,
		    "cannot write a temporary file");
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(t));
	memset(&lb, 0, sizeof(lb));
	j = qpdfjob_init();
	l = qpdflogger_create();
	qpdflogger_set_info(l, qpdf_log_dest_discard, NULL, NULL);
	qpdflogger_set_warn(l, qpdf_log_dest_custom, log_keep, &lb);
	qpdflogger_set_error(l, qpdf_log_dest_custom, log_keep, &lb);
	qpdfjob_set_logger(j, l);
	argv[0] = "qpdf";
	argv[1] = "--check";
	argv[2] = path;
	argv[3] = NULL;
	rc = qpdfjob_initialize_from_argv(j, argv);
	if (rc == 0)
		rc = qpdfjob_run(j);
	qpdfjob_cleanup(&j);
	qpdflogger_cleanup(&l);
	fclose(t);
	if (rc == 0)
		return 0;
	/* The first line that says what is wrong. */
	msg = lb.text;
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
	return zr_error_set(err, ZR_E_PDF, owner, "damaged beyond what can be "
	    "copied; the merged PDF fails \"qpdf --check\": %s",
	    *msg != '\0' ? msg : "no message");
}

