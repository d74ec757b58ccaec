/* zairyu-tools: fuzz the EXIF (TIFF) reader. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "zairyu/image.h"
#include "fuzz.h"

/* EXIF blocks (seeds under 256 bytes; a phone's is a few KB). */
#define FUZZ_MAX_LEN 4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_exif ex;

	if (size > FUZZ_MAX_LEN)
		return 0;
	if (zr_exif_parse(data, size, &ex, NULL) == 0 &&
	    (ex.orientation < 1 || ex.orientation > 8))
		abort();
	return 0;
}
