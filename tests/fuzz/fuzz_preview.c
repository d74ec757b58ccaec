/* zairyu-tools: fuzz what zr-pdfmerge --preview runs: every page rendered
 * with poppler-glib on cairo, PNG thumbnails and the contact sheet. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <poppler.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"

/* The seeds are small PDFs (under 2 KB); 16 KiB leaves room for growth
 * and keeps every input fast (make fuzz passes -max_len). */
#define FUZZ_MAX_LEN 16384

/*
 * poppler builds its process-wide tables (GlobalParams: the encoding
 * folders and name-to-Unicode maps) when the first document opens and
 * tears them down when the last one is freed.  zr-pdfmerge --preview
 * previews once per process, so it pays that once; a fuzzer that frees
 * every document paid it for every input (about 3/4 of its time).  One
 * small document kept open for the whole run keeps the tables alive; the
 * code each input goes through (zr_pdf_preview) is the same.
 */
static void
keep_poppler_tables(void)
{
	static PopplerDocument *keep;
	static char pdf[512];
	long off[4];
	size_t n;
	int i;
	GBytes *b;

	if (keep != NULL)
		return;
	n = (size_t)snprintf(pdf, sizeof(pdf), "%%PDF-1.4\n");
	off[1] = (long)n;
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
	    "1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n");
	off[2] = (long)n;
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
	    "2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n");
	off[3] = (long)n;
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
	    "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 10 10]>> "
	    "endobj\n");
	off[0] = (long)n;
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
	    "xref\n0 4\n0000000000 65535 f \n");
	for (i = 1; i < 4; i++)
		n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
		    "%010ld 00000 n \n", off[i]);
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n, "trailer <</Size 4 "
	    "/Root 1 0 R>>\nstartxref\n%ld\n%%%%EOF\n", off[0]);
	b = g_bytes_new_static(pdf, n);
	keep = poppler_document_new_from_bytes(b, NULL, NULL);
	g_bytes_unref(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_preview_opts o = { 64, 90, 2, NULL };
	struct zr_preview pv;
	struct zr_error e;

	/* Small boxes: the work per page stays low; page count is capped
	 * by the library. */
	if (size > FUZZ_MAX_LEN)
		return 0;
	keep_poppler_tables();
	if (zr_pdf_preview(data, size, "fuzz", &o, &pv, &e) == 0 &&
	    (pv.npages <= 0 || pv.sheet == NULL))
		__builtin_trap();
	zr_pdf_preview_free(&pv);
	return 0;
}
