/* zairyu-tools: fuzz what zr-pdfmerge --preview runs: every page rendered
 * with poppler-glib on cairo, PNG thumbnails and the contact sheet. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"
#include "fuzzutil.h"

/* The seeds are small PDFs (under 2 KB); 16 KiB leaves room for growth
 * and keeps every input fast (make fuzz passes -max_len). */
#define FUZZ_MAX_LEN 16384

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
	/* poppler's tables built once per run, as in the tool (fuzzutil.h). */
	fuzz_keep_poppler_tables();
	if (zr_pdf_preview(data, size, "fuzz", &o, &pv, &e) == 0 &&
	    (pv.npages <= 0 || pv.sheet == NULL))
		__builtin_trap();
	zr_pdf_preview_free(&pv);
	return 0;
}
