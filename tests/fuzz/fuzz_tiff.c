/* zairyu-tools: fuzz zr-pdfmerge's TIFF input (lib/pdf/pdftiff.c) through
 * the merge the tool runs, with a budget now and then and the
 * self-check, and the merged output read back by the upload check. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"
#include "fuzzutil.h"

/* The seeds are 40x40 to 64x64 TIFFs of every kind mktiff makes (under
 * 3 KB); 8 KiB leaves room for growth (make fuzz passes -max_len). */
#define FUZZ_MAX_LEN 8192

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
	if ((path = fuzz_file(0, data, size)) == NULL)
		return 0;
	in.path = path;
	in.title = NULL;
	memset(&o, 0, sizeof(o));
	o.max_bytes = data[size - 1] & 1 ? (long long)size / 2 + 256 : 0;
	o.page_mode = (enum zr_pdf_page_mode)((data[size - 1] >> 1) % 3);
	o.source_date_epoch = -1;
	o.self_check = 1;
	memset(&res, 0, sizeof(res));
	if (zr_pdf_merge(&in, 1, &o, &res, &e) == 0) {
		if (res.pdf == NULL || res.ninputs != 1 ||
		    res.inputs[0].pages < 1 || (o.max_bytes > 0 &&
		    (long long)res.pdf_len > o.max_bytes))
			abort();   /* "ok" means pages, and a fit */
		if ((out = fuzz_file(1, res.pdf, res.pdf_len)) != NULL) {
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
