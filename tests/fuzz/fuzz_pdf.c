/* zairyu-tools: fuzz what zr-pdfmerge runs: the merge with the budget
 * search and its self-check ("qpdf --check" on the output), and for some
 * inputs the upload check on the merged output.  The upload check of the
 * input itself (zr-pdfmerge --check) and the content-stream scanner
 * alone are fuzz_pdfcheck's: split, each target runs its path at about
 * twice the rate. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"
#include "fuzzutil.h"

/* The seeds are small PDFs and images (the largest 1,877 bytes): 2 KiB
 * matches them and keeps every input fast (make fuzz passes -max_len). */
#define FUZZ_MAX_LEN 2048

/* zr-pdfmerge --check on the merge's output, as the tool calls it. */
static void
check_output(const char *path)
{
	struct zr_pdf_check_opts co;
	struct zr_pdf_check_result cr;
	struct zr_error e;
	size_t i;

	memset(&co, 0, sizeof(co));
	if (zr_pdf_limits_at((struct zr_date){ 2026, 1, 5 }, &co.limits,
	    &e) < 0)
		abort();
	co.reserve = -1;
	memset(&cr, 0, sizeof(cr));
	if (zr_pdf_check(&path, 1, &co, &cr, &e) == 0) {
		/* The merge drops scripts, attachments and encryption: its
		 * output must never be reported with them. */
		for (i = 0; i < cr.nfiles; i++)
			if (cr.files[i].javascript ||
			    cr.files[i].embedded_files ||
			    cr.files[i].encrypted)
				abort();
	} else
		abort();   /* the merge's own output always opens */
	zr_pdf_check_free(&cr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_pdf_input in[2];
	struct zr_pdf_opts o;
	struct zr_pdf_result res;
	struct zr_error e;
	const char *path, *out;
	int merged;

	if (size > FUZZ_MAX_LEN || size < 1)
		return 0;
	/* Pages rendered by poppler (below) without its tables built anew
	 * for every input (fuzzutil.h). */
	fuzz_keep_poppler_tables();
	/* Named .pdf (the tool looks farther for the header then) or
	 * with no extension, one slot each. */
	if ((path = data[size - 1] & 64 ? fuzz_file_named(2, ".pdf", data,
	    size) : fuzz_file(0, data, size)) == NULL)
		return 0;
	/* The input once, or twice (shared images are counted once). */
	in[0].path = in[1].path = path;
	in[0].title = "fuzz";
	in[1].title = NULL;
	memset(&o, 0, sizeof(o));
	/* A budget under the input's size makes the search recompress. */
	o.max_bytes = data[size - 1] & 1 ? (long long)size * 3 / 4 + 64 : 0;
	o.page_mode = (enum zr_pdf_page_mode)(data[size - 1] >> 1) % 3;
	o.source_date_epoch = -1;
	o.self_check = 1;
	/* A page whose content is damaged beyond copying goes through the
	 * same path (each page checked alone, poppler's rendering), at a
	 * dpi that keeps a run cheap. */
	o.render_dpi = 9;
	memset(&res, 0, sizeof(res));
	if ((merged = zr_pdf_merge(in, data[size - 1] & 8 ? 2 : 1, &o, &res,
	    &e) == 0)) {
		if (res.pdf == NULL || (o.max_bytes > 0 &&
		    (long long)res.pdf_len > o.max_bytes))
			abort();   /* "ok" means it fits */
		/* zr-pdfmerge does not check its output again (the merge's
		 * self-check did): a quarter of the inputs do, for the
		 * invariant. */
		if ((data[size - 1] & 0x30) == 0x30 &&
		    (out = fuzz_file_named(1, ".pdf", res.pdf, res.pdf_len)) !=
		    NULL)
			check_output(out);
	}
	zr_pdf_result_free(&res);
	return 0;
}
