/* zairyu-tools: fuzz what zr-photo runs: the conversion (probe, decode,
 * EXIF, crop or pad, resize, size search, checks on the result) and
 * --check, for each profile; plus the JPEG encoder and SSIM. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"

/* The seeds are small JPEG and PNG files (under 1 KB). */
#define FUZZ_MAX_LEN 4096

/*
 * Work is bounded through the library's own limits: the decode cap
 * (zr_photo_opts.max_pixels) and a profile scaled down by 8 in every
 * pixel dimension (the rules' aspect and minimum kept in proportion,
 * the byte limit by 64), so one input costs a 56 x 75 search, not
 * 450 x 600.  The cap is 512 x 512 pixels: the face detector's time
 * grows with the picture (about 0.4 CPU-seconds an input at 1024 x 1024
 * under the sanitizers, with its second pass at twice the size).
 */
#define MAX_PIXELS (1LL << 18)
#define SCALE 8

static void
small_profile(struct zr_photo_profile *p)
{
	p->width = (p->width + SCALE - 1) / SCALE;
	p->height = (p->height + SCALE - 1) / SCALE;
	p->min_width = (p->min_width + SCALE - 1) / SCALE;
	p->min_height = (p->min_height + SCALE - 1) / SCALE;
	p->max_bytes /= SCALE * SCALE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "isa", "passport", "signature" };
	static const struct zr_date today = { 2026, 11, 23 };
	struct zr_photo_profile p;
	struct zr_photo_opts o;
	struct zr_photo_result r;
	struct zr_photo_findings f;
	struct zr_image_info info;
	struct zr_image img, back;
	struct zr_jpeg_opts jo;
	struct zr_error e;
	unsigned char *j;
	size_t n;
	int k, sel;

	if (size > FUZZ_MAX_LEN || size < 1)
		return 0;
	/* The last byte picks the profile and a crop: JPEG and PNG readers
	 * ignore bytes after the end of the image, so the seeds carry one. */
	sel = data[size - 1];
	k = sel % 3;
	if (zr_photo_profile(names[k], today, &p, &e) != 0)
		abort();
	/* --check: on the input as it is, with the real profile (when the
	 * picture is within the conversion's pixel cap too). */
	if (zr_image_probe(data, size, "fuzz", &info, &e) == 0 &&
	    (long long)info.width * info.height <= MAX_PIXELS &&
	    zr_photo_check(data, size, "fuzz", &p, today, &f, &info,
	    &e) == 0 && f.n > ZR_PHOTO_MAX_FINDINGS)
		abort();
	/* The conversion, with the crop given or not (--crop). */
	small_profile(&p);
	memset(&o, 0, sizeof(o));
	o.prof = p;
	o.max_pixels = MAX_PIXELS;
	o.today = today;
	if (sel & 0x80) {
		o.have_crop = 1;
		o.crop_x = (sel >> 2 & 3) * 2;
		o.crop_y = (sel >> 4 & 1) * 2;
		o.crop_w = sel & 0x40 ? 9 : 4;
		o.crop_h = sel & 0x40 ? 7 : 5;
	}
	if (zr_photo_convert(data, size, "fuzz", &o, &r, &e) == 0) {
		/* What it returns fits and is a JPEG it can read back. */
		if (r.fit.jpeg == NULL || (long long)r.fit.len > p.max_bytes)
			abort();
		if (zr_image_decode(r.fit.jpeg, r.fit.len, "out", NULL, &img,
		    &info, &e) != 0 || info.format != ZR_IMG_JPEG)
			abort();
		/* The encoder with other settings, and SSIM, on the result. */
		memset(&jo, 0, sizeof(jo));
		jo.quality = 70;
		jo.optimize = 1;
		jo.subsample444 = (int)(size % 3 == 0);
		if (zr_jpeg_encode(&img, &jo, &j, &n, NULL) == 0) {
			if (zr_image_decode(j, n, "re", NULL, &back, NULL,
			    NULL) == 0) {
				(void)zr_image_ssim_ycc(&img, &back);
				zr_image_free(&back);
			}
			free(j);
		}
		zr_image_free(&img);
		zr_photo_result_free(&r);
	}
	return 0;
}
