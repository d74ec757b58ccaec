/* zairyu-tools: fuzz the PDF image-stream path (decode, gray test, estimate, re-encode). */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"

/* A 6-byte header and a small stream (seeds under 400 bytes). */
#define FUZZ_MAX_LEN 4096

/*
 * Input: 6 header bytes (width, height: 1..256 each from one byte plus a
 * high bit; components; filter; predictor), then the raw stream data.
 * A JPEG file as input (FF D8) is taken whole as a DCTDecode stream.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int preds[] = { 1, 2, 10, 11, 12, 13, 14, 15, 3 };
	struct zr_pdf_imgfmt f;
	struct zr_image img;
	struct zr_image_info info;
	unsigned char *jpg;
	size_t len;
	long long est[2];
	int q[2] = { 80, 40 };

	if (size > FUZZ_MAX_LEN || size < 6)
		return 0;
	memset(&f, 0, sizeof(f));
	f.bpc = 8;
	if (data[0] == 0xff && data[1] == 0xd8) {
		if (zr_image_probe(data, size, "fuzz", &info, NULL) < 0 ||
		    (long long)info.width * info.height > 4000000)
			return 0;
		f.width = info.width;
		f.height = info.height;
		f.components = info.components == 1 ? 1 : 3;
		f.filter = ZR_PDF_DCT;
	} else {
		f.width = 1 + data[0] + (data[4] & 0x80 ? 256 : 0);
		f.height = 1 + data[1] + (data[4] & 0x40 ? 256 : 0);
		f.components = data[2] & 1 ? 3 : 1;
		f.filter = (enum zr_pdf_img_filter)(data[3] % 2 ?
		    ZR_PDF_FLATE : ZR_PDF_RAW);
		f.predictor = preds[data[5] % 9];
		data += 6;
		size -= 6;
	}
	if (zr_pdf_image_decode(&f, data, size, f.width / 3, f.height / 3,
	    &img, NULL) < 0)
		return 0;
	zr_pdf_image_near_gray(&img);
	if (zr_pdf_image_estimate(&img, img.width / 2 + 1, img.height / 2 + 1,
	    img.channels == 3 && size % 2, q, 2, est, NULL) == 0 &&
	    zr_pdf_image_recode(&img, img.width / 2 + 1, img.height / 2 + 1,
	    img.channels == 3 && size % 2, 70, &jpg, &len, NULL) == 0)
		free(jpg);
	zr_image_free(&img);
	return 0;
}
