/* zairyu-tools: fuzz what zr-pdfmerge --check runs on finished upload
 * files (zr_pdf_check: libqpdf's parse, encryption, JavaScript,
 * attachments, forms, page sizes, image resolution, GPS and personal
 * data in EXIF, XMP and IPTC), and the content-stream scanner and the
 * XMP and IPTC scanners it uses, alone.  The merge is fuzz_pdf's. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "../../lib/pdf/pdfint.h"
#include "fuzz.h"
#include "fuzzutil.h"

/* The seeds (fuzz_pdf's, named in fuzz_pdfcheck.dirs, and this target's
 * own) are small PDFs, the largest 2,026 bytes (make fuzz passes
 * -max_len).  xmp.pdf was written by a Python script of h-meta's (in
 * the manner of tests/cli/zr-pdfmerge-xmp.sh's writer): XMP with GPS and
 * personal data in the catalog's, the page's and the image's /Metadata,
 * the image fuzz_image/gray.jpg with an APP1 XMP segment put in, and an
 * Info /Author and /Creator. */
#define FUZZ_MAX_LEN 2048

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
	struct zr_pdf_check_opts co;
	struct zr_pdf_check_result cr;
	struct zr_error e;
	struct zr_privacy x1, x2;
	const char *paths[2];
	size_t i, n;
	int k = 0;

	if (size > FUZZ_MAX_LEN || size < 1)
		return 0;
	/* The scanner alone, on the bytes as a content stream. */
	zri_content_scan(data, size, &id, on_do, &k, 0);
	/* The XMP and IPTC scanners alone: the same bytes, the same
	 * findings, a bounded list of names. */
	memset(&x1, 0, sizeof(x1));
	memset(&x2, 0, sizeof(x2));
	if (zr_xmp_scan(data, size, &x1) != zr_xmp_scan(data, size, &x2) ||
	    memcmp(&x1, &x2, sizeof(x1)) != 0 ||
	    memchr(x1.names, '\0', sizeof(x1.names)) == NULL ||
	    x1.gps_position > 3 || (x1.gps_position && !x1.gps))
		abort();
	(void)zr_iptc_scan(data, size, &x1);
	if (memchr(x1.names, '\0', sizeof(x1.names)) == NULL)
		abort();
	/* Named as the user names them (.pdf; a .jpg is the photo) or with
	 * no extension: the check reads the name as well as the bytes. */
	k = data[size - 1] >> 4 & 3;
	if ((paths[0] = fuzz_file_named(k, k == 2 ? ".jpg" : k ? ".pdf" : "",
	    data, size)) == NULL)
		return 0;
	/* One file, or (1 in 4) the same file twice: the count and the
	 * total are checked across the set. */
	paths[1] = paths[0];
	n = (data[size - 1] & 3) == 3 ? 2 : 1;
	memset(&co, 0, sizeof(co));
	if (zr_pdf_limits_at((struct zr_date){ 2026, 1, 5 }, &co.limits,
	    &e) < 0)
		abort();
	/* The tool's default reserve (-1: the limit itself), or a reserve
	 * for the photo that leaves less than the file's size. */
	co.reserve = data[size - 1] & 4 ? co.limits.max_total_bytes -
	    (long long)size / 2 : -1;
	memset(&cr, 0, sizeof(cr));
	if (zr_pdf_check(paths, n, &co, &cr, &e) == 0) {
		int pdfs = 1;

		if (cr.nfiles != n)
			abort();
		for (i = 0; i < cr.nfiles; i++) {
			if (cr.files[i].bytes != (long long)size)
				abort();
			pdfs &= cr.files[i].is_pdf;
		}
		/* Never "ok" about a set over the total: with that reserve
		 * for the photo, documents alone are over it. */
		if (pdfs && co.reserve >= 0 && co.limits.total_includes_photo &&
		    cr.violations == 0)
			abort();
	}
	zr_pdf_check_free(&cr);
	return 0;
}
