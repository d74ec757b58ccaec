/* zairyu-tools: fuzz the image input path (probe, JPEG/PNG decode, EXIF, resize, encode, checks). */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_image_info info;
	struct zr_decode_opts o;
	struct zr_image img, small, back, odd;
	struct zr_photo_fit fit;
	struct zr_photo_profile p;
	struct zr_photo_findings f;
	struct zr_jpeg_opts jo;
	unsigned char *j;
	size_t n;

	if (size > (8u << 20))
		return 0;
	zr_image_probe(data, size, "fuzz", &info, NULL);
	memset(&o, 0, sizeof(o));
	/* Small caps keep each input fast; scaled decoding is exercised. */
	o.max_pixels = 16LL * 1000 * 1000;
	o.min_width = 64;
	o.min_height = 64;
	o.apply_orientation = 1;
	o.gray = size % 2 == 0;
	if (zr_image_decode(data, size, "fuzz", &o, &img, &info, NULL) != 0)
		return 0;
	if (zr_image_resize(&img, 24, 32, &small, NULL) == 0) {
		memset(&jo, 0, sizeof(jo));
		jo.quality = 70;
		jo.optimize = 1;
		jo.subsample444 = (int)(size % 3 == 0);
		if (zr_jpeg_encode(&small, &jo, &j, &n, NULL) == 0) {
			if (zr_image_decode(j, n, "re", NULL, &back, NULL,
			    NULL) == 0) {
				(void)zr_image_ssim_ycc(&small, &back);
				zr_image_free(&back);
			}
			free(j);
		}
		/* The size search with its own DCT and quantisation, on an
		 * odd size so partial blocks and chroma edges are covered. */
		if (zr_image_resize(&img, 17 + (int)(size % 9),
		    23 + (int)(size % 7), &odd, NULL) == 0) {
			if (zr_photo_fit(&odd, 900 + (long long)(size % 4000),
			    20, 0, &fit, NULL) == 0) {
				if (fit.len > (size_t)(900 + size % 4000))
					abort();
				free(fit.jpeg);
			}
			zr_image_free(&odd);
		}
		zr_image_free(&small);
	}
	if (zr_photo_profile(size % 5 == 0 ? "signature" : "isa",
	    (struct zr_date){ 2026, 11, 23 }, &p, NULL) == 0) {
		f.n = 0;
		zr_photo_check_pixels(&img, &p, &f);
		zr_photo_check_recency(&info, &p, (struct zr_date){ 2026, 11,
		    23 }, &f);
	}
	zr_image_free(&img);
	return 0;
}
