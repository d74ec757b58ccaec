/* Fuzz target: residence card file parsers, secure-messaging answers and
 * the signature check over what they produce. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/rcard.h"
#include "fuzz.h"

/*
 * Input: byte 0 picks the generation; then records of
 * [file number] [length hi] [length lo] [bytes], each parsed into one
 * struct zr_rcard as a card's files would be.  The whole input is also
 * given to the secure-messaging unwrapper with a fixed key.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char ks[ZR_RCARD_KEY_LEN] = { 0xC1, 0x9C, 0xF1,
		0x3D, 0x3D, 0x7F, 0xBE, 0xE9, 0xEA, 0x29, 0x3D, 0x83, 0x4C,
		0x88, 0x95, 0x2F };
	unsigned char out[8192], *signed_;
	struct zr_rcard rc;
	struct zr_rcard_sigcheck sc;
	struct zr_facts *f;
	struct zr_rcard_diff d[4];
	struct zr_error e;
	size_t off = 1, n, checked, slen;

	if (size < 1 || size > 1 << 15)
		return 0;
	zr_rcard_sm_unwrap(ZR_RCARD_GEN1, ks, data, size, out, sizeof(out),
	    &n, &e);
	zr_rcard_sm_unwrap(ZR_RCARD_GEN2, ks, data, size, out, sizeof(out),
	    &n, &e);
	zr_rcard_init(&rc);
	rc.gen = (data[0] & 1) ? ZR_RCARD_GEN2 : ZR_RCARD_GEN1;
	while (off + 3 <= size) {
		int file = data[off] % ZR_RCARD_FILE_COUNT_;
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];

		off += 3;
		if (len > size - off)
			len = size - off;
		zr_rcard_parse_file(&rc, file, data + off, len, &e);
		off += len;
	}
	if (zr_rcard_signed_data(&rc, &signed_, &slen, &e) == 0)
		free(signed_);
	if (zr_rcard_verify(&rc, NULL, &sc, &e) == 0 &&
	    sc.verdict == ZR_RCARD_GENUINE)
		abort();               /* never genuine without a CA */
	/* What the chip says always goes into a facts file. */
	f = zr_facts_new("fuzz");
	if (f != NULL) {
		if (zr_rcard_to_facts(&rc, "AB12345678CD", f, &e) < 0)
			abort();
		zr_rcard_compare_facts(&rc, f, d, 4, &n, &checked);
		if (n != 0)
			abort();        /* the chip agrees with itself */
		zr_facts_free(f);
	}
	zr_rcard_free(&rc);
	return 0;
}
