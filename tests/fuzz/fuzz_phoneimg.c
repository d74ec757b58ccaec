/* zairyu-tools: fuzz the HEIC / AVIF (libheif) and WebP (libwebp) readers
 * through what zr-photo calls: zr_image_probe(), zr_image_decode() upright
 * (as the conversion does, RGB and gray) and zr_photo_check(). */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"

/* The seeds (tests/fuzz/corpus/fuzz_phoneimg) are tiny HEIC, AVIF and
 * WebP files, 150 to 2,500 bytes. */
#define FUZZ_MAX_LEN 4096

/* Work per input is bounded by the decode cap, as zr-photo's is by its
 * own (a forged header must be refused before anything is allocated). */
#define MAX_PIXELS (1LL << 18)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct zr_date today = { 2026, 11, 23 };
	struct zr_decode_opts o;
	struct zr_image_info info;
	struct zr_image img;
	struct zr_photo_profile p;
	struct zr_photo_findings f;
	struct zr_error e;

	if (size > FUZZ_MAX_LEN)
		return 0;
	if (zr_image_probe(data, size, "fuzz.heic", &info, &e) != 0)
		return 0;
	/* HEIF orients itself: EXIF's copy is never left to apply. */
	if ((info.format == ZR_IMG_HEIC || info.format == ZR_IMG_AVIF) &&
	    info.orientation != 1)
		abort();
	if ((long long)info.width * info.height > MAX_PIXELS)
		return 0;
	memset(&o, 0, sizeof(o));
	o.max_pixels = MAX_PIXELS;
	o.apply_orientation = 1;
	for (int gray = 0; gray <= 1; gray++) {
		o.gray = gray;
		if (zr_image_decode(data, size, "fuzz.heic", &o, &img, &info,
		    &e) != 0)
			continue;
		/* What comes back is what the header promised, upright. */
		if (img.pixels == NULL || (img.channels != 1 &&
		    img.channels != 3) || (gray && img.channels != 1) ||
		    (long long)img.width * img.height > MAX_PIXELS)
			abort();
		if (info.orientation < 5 ? (img.width != info.width ||
		    img.height != info.height) : (img.width != info.height ||
		    img.height != info.width))
			abort();
		zr_image_free(&img);
	}
	/* --check with the signature profile (no face detector: the model
	 * load would dominate), under a name that does not match. */
	if (zr_photo_profile("signature", today, &p, &e) != 0)
		abort();
	if (zr_photo_check(data, size, "fuzz.jpg", &p, today, &f, &info,
	    &e) == 0 && f.n > ZR_PHOTO_MAX_FINDINGS)
		abort();
	return 0;
}
