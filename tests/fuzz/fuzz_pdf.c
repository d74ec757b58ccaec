/* zairyu-tools: fuzz PDF reading through libqpdf and the content-stream scanner. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "../../lib/pdf/pdfint.h"
#include "fuzz.h"

static void
on_place(void *ctx, qpdf_data q, qpdf_oh image, double dx, double dy)
{
	int *n = ctx;

	(void)q;
	(void)image;
	if (dx > 0 && dy > 0)
		(*n)++;
}

static void
on_do(void *ctx, const char *name, const struct zri_ctm *m, int depth)
{
	int *n = ctx;

	(void)name;
	(void)m;
	(void)depth;
	(*n)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zri_ctm id = { 1, 0, 0, 1, 0, 0 };
	qpdf_data q;
	qpdf_oh page;
	int n = 0, np, i, kind;
	double w, h;

	if (size > (4u << 20))
		return 0;
	/* The scanner alone, on the bytes as a content stream. */
	zri_content_scan(data, size, &id, on_do, &n, 0);
	if (zri_sniff_buf("fuzz.pdf", data, size, &kind, NULL) < 0)
		return 0;
	if ((q = zri_pdf_new()) == NULL)
		return 0;
	if (qpdf_read_memory(q, "fuzz", (const char *)data, size, NULL) &
	    QPDF_ERRORS)
		zri_pdf_clear_error(q);
	else {
		np = qpdf_get_num_pages(q);
		if (!zri_pdf_clear_error(q) && np > 0) {
			qpdf_push_inherited_attributes_to_page(q);
			zri_pdf_clear_error(q);
			for (i = 0; i < np && i < 64; i++) {
				page = qpdf_get_page_n(q, (size_t)i);
				zri_page_size(q, page, &w, &h);
				zri_pdf_scan_page(q, page, on_place, &n, NULL);
				qpdf_oh_release(q, page);
				zri_pdf_clear_error(q);
			}
		}
	}
	zri_pdf_warnings(q, NULL, 0);
	qpdf_cleanup(&q);
	return 0;
}
