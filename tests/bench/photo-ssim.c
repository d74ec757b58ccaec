/* zairyu-tools: bench helper for tests/bench/photo.sh (built by it, not by make). */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"

/*
 *   photo-ssim ref IN OUT.ppm [X,Y,W,H]
 *                                  the pixels zr-photo encodes (isa
 *                                  profile, with that --crop), as PPM;
 *                                  prints WxH
 *   photo-ssim ssim REF.ppm FILE   luma SSIM and 6:1:1 YCbCr SSIM of FILE
 */

static int
load(const char *path, struct zr_image *img, int orient)
{
	unsigned char *b;
	size_t n;
	struct zr_error e;
	struct zr_decode_opts o;

	memset(&o, 0, sizeof(o));
	o.apply_orientation = orient;
	if (zr_read_file(path, 0, &b, &n, &e) != 0 ||
	    zr_image_decode(b, n, path, &o, img, NULL, &e) != 0) {
		fprintf(stderr, "photo-ssim: %s: %s\n", path, e.msg);
		return -1;
	}
	free(b);
	return 0;
}

/* Binary PPM (P6) reader for our own files. */
static int
load_ppm(const char *path, struct zr_image *img)
{
	FILE *fp = fopen(path, "rb");
	int w, h, max;

	if (fp == NULL || fscanf(fp, "P6 %d %d %d", &w, &h, &max) != 3 ||
	    fgetc(fp) == EOF || zr_image_alloc(img, w, h, 3, NULL) != 0 ||
	    fread(img->pixels, 3, (size_t)w * (size_t)h, fp) !=
	    (size_t)w * (size_t)h) {
		fprintf(stderr, "photo-ssim: %s: bad PPM\n", path);
		return -1;
	}
	fclose(fp);
	return 0;
}

int
main(int argc, char **argv)
{
	struct zr_image a, c, r;

	if ((argc == 4 || argc == 5) && strcmp(argv[1], "ref") == 0) {
		struct zr_photo_opts o;
		struct zr_photo_result res;
		struct zr_error e;
		unsigned char *b;
		size_t n;
		FILE *fp;

		/* Exactly the pixels zr-photo (isa profile) encodes. */
		memset(&o, 0, sizeof(o));
		if (argc == 5) {
			if (sscanf(argv[4], "%d,%d,%d,%d", &o.crop_x, &o.crop_y,
			    &o.crop_w, &o.crop_h) != 4) {
				fprintf(stderr, "photo-ssim: bad crop %s\n",
				    argv[4]);
				return 2;
			}
			o.have_crop = 1;
		}
		if (zr_photo_profile("isa", (struct zr_date){ 2026, 11, 23 },
		    &o.prof, &e) != 0 ||
		    zr_read_file(argv[2], 0, &b, &n, &e) != 0 ||
		    zr_photo_prepare(b, n, argv[2], &o, &r, &res, &e) != 0) {
			fprintf(stderr, "photo-ssim: %s: %s\n", argv[2], e.msg);
			return 2;
		}
		if ((fp = fopen(argv[3], "wb")) == NULL)
			return 2;
		fprintf(fp, "P6\n%d %d\n255\n", r.width, r.height);
		if (r.channels == 3)
			fwrite(r.pixels, 3, (size_t)r.width * (size_t)r.height,
			    fp);
		else
			for (size_t i = 0; i < (size_t)r.width * (size_t)r.height;
			    i++)
				for (int k = 0; k < 3; k++)
					fputc(r.pixels[i], fp);
		printf("%dx%d\n", r.width, r.height);
		return fclose(fp) == 0 ? 0 : 2;
	}
	if (argc == 4 && strcmp(argv[1], "ssim") == 0) {
		if (load_ppm(argv[2], &a) != 0 || load(argv[3], &c, 0) != 0)
			return 2;
		printf("%.4f %.4f\n", zr_image_ssim(&a, &c),
		    zr_image_ssim_ycc(&a, &c));
		return 0;
	}
	fprintf(stderr, "usage: photo-ssim ref IN OUT.ppm | "
	    "ssim REF.ppm FILE\n");
	return 2;
}
