/* zairyu-tools: fuzz zr-pdfmerge's TIFF input (lib/pdf/pdftiff.c) through
 * the merge the tool runs, with a budget now and then and the
 * self-check, and for some inputs the merged output read back by the
 * upload check. */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"
#include "fuzzutil.h"

/* The seeds are 16x16 TIFFs of every kind tests/tools/mktiff makes, under
 * 2 KB (the palette's colour map is 1.5 KB): "mktiff K.tif K 16 16 100 2"
 * for g4, g4lsb, g4mb, g4rot, gray16, packbits and thumb, the same at
 * 16x80 for g4strips (two strips of 64 rows), "... 16 16 100 1" for cmyk,
 * jpeg, lzw and palette, lzw2.tif and jpeg2.tif are lzw and jpeg with 2
 * pages (two images for the budget search: its thread pool), and
 * nores.tif is "mktiff nores.tif lzw 16 16 0 1".  2 KiB matches them
 * (make fuzz passes -max_len); small pages keep every stage of a run
 * cheap. */
#define FUZZ_MAX_LEN 2048

/* Work per input is bounded, as fuzz_phoneimg's is by its decode cap: a
 * 2 KB file can declare a page of a million pixels whose strips are not
 * there (libtiff reads what it can, the rest is blank), and a corpus that
 * kept such pages ran at 50 inputs a second instead of 800.  The pages'
 * pixels, summed over the directories, are read with libtiff itself
 * before the merge; the page geometry (a 16x1024 page at 1 dpi is over
 * the PDF's 200 inches) stays within reach under the cap. */
#define MAX_PIXELS (1LL << 14)

static int
quiet_ext(TIFF *t, void *ud, const char *mod, const char *fmt, va_list ap)
{
	(void)t;
	(void)ud;
	(void)mod;
	(void)fmt;
	(void)ap;
	return 1;
}

/* Whether the TIFF at path declares more than MAX_PIXELS in all (or
 * more than 64 pages); one libtiff cannot open is left to the merge. */
static int
too_big(const char *path)
{
	TIFFOpenOptions *op = TIFFOpenOptionsAlloc();
	TIFF *t;
	long long px = 0;
	uint32_t w, h;
	int n = 0;

	if (op == NULL)
		return 1;
	TIFFOpenOptionsSetErrorHandlerExtR(op, quiet_ext, NULL);
	TIFFOpenOptionsSetWarningHandlerExtR(op, quiet_ext, NULL);
	t = TIFFOpenExt(path, "r", op);
	TIFFOpenOptionsFree(op);
	if (t == NULL)
		return 0;
	do {
		if (TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w) == 1 &&
		    TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h) == 1)
			px += (long long)w * h;
	} while (px <= MAX_PIXELS && ++n <= 64 && TIFFReadDirectory(t));
	TIFFClose(t);
	return px > MAX_PIXELS || n > 64;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_pdf_input in;
	struct zr_pdf_opts o;
	struct zr_pdf_result res;
	struct zr_pdf_check_opts co;
	struct zr_pdf_check_result cr;
	struct zr_error e;
	const char *path, *out;

	/* TIFFs only (the PDF and image paths have targets of their own). */
	if (size > FUZZ_MAX_LEN || size < 8 || !((data[0] == 'I' &&
	    data[1] == 'I') || (data[0] == 'M' && data[1] == 'M')))
		return 0;
	if ((path = fuzz_file(0, data, size)) == NULL || too_big(path))
		return 0;
	in.path = path;
	in.title = NULL;
	memset(&o, 0, sizeof(o));
	/* A budget around what such a page takes as a PDF (about 1.1 to
	 * 1.6 KB): some fit as they are, some after the search, some never. */
	o.max_bytes = data[size - 1] & 1 ? (long long)size / 2 + 768 : 0;
	o.page_mode = (enum zr_pdf_page_mode)((data[size - 1] >> 1) % 3);
	o.source_date_epoch = -1;
	o.self_check = 1;
	memset(&res, 0, sizeof(res));
	if (zr_pdf_merge(&in, 1, &o, &res, &e) == 0) {
		if (res.pdf == NULL || res.ninputs != 1 ||
		    res.inputs[0].pages < 1 || (o.max_bytes > 0 &&
		    (long long)res.pdf_len > o.max_bytes))
			abort();   /* "ok" means pages, and a fit */
		/* zr-pdfmerge does not check its output again (the
		 * merge's self-check did): a quarter of the inputs do, for
		 * the invariant, as in fuzz_pdf (it was 8 % of the time). */
		if ((data[size - 1] & 0x30) == 0x30 &&
		    (out = fuzz_file(1, res.pdf, res.pdf_len)) != NULL) {
			memset(&co, 0, sizeof(co));
			if (zr_pdf_limits_at((struct zr_date){ 2026, 1, 5 },
			    &co.limits, &e) < 0)
				abort();
			co.reserve = -1;
			if (zr_pdf_check(&out, 1, &co, &cr, &e) < 0 ||
			    cr.files[0].pages != res.inputs[0].pages)
				abort();   /* the output always opens */
			zr_pdf_check_free(&cr);
		}
	}
	zr_pdf_result_free(&res);
	return 0;
}
