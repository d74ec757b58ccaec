/* zairyu-tools bench helper: mean SSIM of page renders (PNG) against references. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "zairyu/zairyu.h"

/* Usage: pdfssim REF.png OUT.png ...  (pairs); prints one SSIM per pair
 * (luma, zr_image_ssim), the test page resampled to the reference size
 * when they differ by rounding. */
static int
load(const char *path, struct zr_image *im)
{
	unsigned char *buf;
	size_t len;
	struct zr_error e;
	struct zr_decode_opts o = { .gray = 1 };
	int rc;

	if (zr_read_file(path, 0, &buf, &len, &e) < 0) {
		fprintf(stderr, "pdfssim: %s: %s\n", path, e.msg);
		return -1;
	}
	rc = zr_image_decode(buf, len, path, &o, im, NULL, &e);
	free(buf);
	if (rc < 0)
		fprintf(stderr, "pdfssim: %s: %s\n", path, e.msg);
	return rc;
}

int
main(int argc, char **argv)
{
	struct zr_image a, b, c;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (load(argv[i], &a) < 0 || load(argv[i + 1], &b) < 0)
			return 2;
		if (a.width != b.width || a.height != b.height) {
			if (zr_image_resize(&b, a.width, a.height, &c, NULL) < 0)
				return 2;
			zr_image_free(&b);
			b = c;
		}
		printf("%.4f\n", zr_image_ssim(&a, &b));
		zr_image_free(&a);
		zr_image_free(&b);
	}
	return 0;
}
