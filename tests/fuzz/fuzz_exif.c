/* zairyu-tools: fuzz the EXIF (TIFF) reader. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "zairyu/image.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_exif ex;

	if (size > (1u << 20))
		return 0;
	if (zr_exif_parse(data, size, &ex, NULL) == 0 &&
	    (ex.orientation < 1 || ex.orientation > 8))
		abort();
	return 0;
}
