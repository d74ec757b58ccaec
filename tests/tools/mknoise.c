/* mknoise: write a JPEG of seeded random noise, the worst case for a size
 * budget (a scan that cannot be compressed).  For tests and benchmarks. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "zairyu/image.h"

int
main(int argc, char **argv)
{
	struct zr_image img = { 0, 0, 3, NULL };
	struct zr_jpeg_opts jo;
	struct zr_error e;
	unsigned char *buf;
	size_t len, i, n;
	unsigned long seed;

	if (argc != 6) {
		fprintf(stderr, "usage: mknoise width height dpi seed out.jpg\n");
		return 2;
	}
	img.width = atoi(argv[1]);
	img.height = atoi(argv[2]);
	seed = strtoul(argv[4], NULL, 10);
	if (img.width < 1 || img.height < 1 || img.width > 10000 ||
	    img.height > 10000)
		return 2;
	n = (size_t)img.width * (size_t)img.height * 3;
	if ((img.pixels = malloc(n)) == NULL)
		return 2;
	/* A fixed linear congruential generator: the same seed, the same file. */
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245UL + 12345UL;
		img.pixels[i] = (unsigned char)(seed >> 16);
	}
	memset(&jo, 0, sizeof(jo));
	jo.quality = 95;
	jo.subsample444 = 1;
	jo.optimize = 0;
	jo.density_dpi = atoi(argv[3]);
	if (zr_jpeg_encode(&img, &jo, &buf, &len, &e) < 0 ||
	    zr_write_file(argv[5], buf, len, 1, NULL, 0, &e) < 0) {
		fprintf(stderr, "mknoise: %s\n", e.msg);
		return 2;
	}
	free(buf);
	free(img.pixels);
	return 0;
}
