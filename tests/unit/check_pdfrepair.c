/* Check tests for pdfrepair.c's decoders: what decodes of an LZW or Flate
 * stream is kept, a bad code or corrupt data stops them (issue 14); and
 * the level-9 deflate (pdfq.c) they are stored with again. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "zr_test.h"
#include "../../lib/pdf/pdfint.h"

/* ---- an LZW writer, the decoder's mirror (ISO 32000-1 §7.4.4) -------- */

struct bits {
	unsigned char buf[16384];
	size_t nbits;
};

static void
put(struct bits *b, unsigned code, int width)
{
	for (int k = width - 1; k >= 0; k--, b->nbits++) {
		ck_assert_uint_lt(b->nbits / 8, sizeof(b->buf));
		if (code >> k & 1u)
			b->buf[b->nbits / 8] |= (unsigned char)(0x80u >>
			    (b->nbits % 8));
	}
}

/*
 * Each byte of data as a literal code, so that the table the decoder
 * builds is never used but still grows and widens the codes from 9 to 12
 * bits as PDF says (early: one code early); then the end code (257),
 * with bad 1 a code the table does not have yet, with bad 2 nothing.
 */
static size_t
lzw_literals(const unsigned char *data, size_t n, int early, int bad,
    struct bits *b)
{
	int width = 9, next = 258, old = -1;

	memset(b, 0, sizeof(*b));
	put(b, 256, width);
	for (size_t i = 0; i < n; i++) {
		put(b, data[i], width);
		if (old >= 0 && next < 4096)
			next++;
		if (next + early >= (1 << width) && width < 12)
			width++;
		old = data[i];
	}
	if (bad != 2)
		put(b, bad ? (unsigned)next + 1 : 257u, width);
	return (b->nbits + 7) / 8;
}

static void
pattern(unsigned char *d, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		d[i] = (unsigned char)(seed >> 16);
	}
}

/* The example of ISO 32000-1 §7.4.4.2: 45 45 45 45 45 65 45 45 45 66 is
 * coded 256 45 258 258 65 259 66 257, in bytes 80 0B 60 50 22 0C 0C 85 01
 * (a code used as soon as it is made: the KwKwK case). */
START_TEST(test_lzw_spec_example)
{
	static const unsigned char enc[] = { 0x80, 0x0b, 0x60, 0x50, 0x22,
		0x0c, 0x0c, 0x85, 0x01 };
	static const unsigned char want[] = { 45, 45, 45, 45, 45, 65, 45, 45,
		45, 66 };
	unsigned char *out = NULL;
	size_t n = 0;

	ck_assert_int_eq(zri_lzw_decode(enc, sizeof(enc), 1, 1 << 20, &out,
	    &n), 0);
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(out, want, n);
	free(out);
}
END_TEST

/* 4000 bytes: every code width, with and without /EarlyChange. */
START_TEST(test_lzw_widths)
{
	static struct bits b;
	unsigned char data[4000], *out = NULL;
	size_t len, n = 0;

	pattern(data, sizeof(data), 5);
	for (int early = 0; early <= 1; early++) {
		len = lzw_literals(data, sizeof(data), early, 0, &b);
		ck_assert_int_eq(zri_lzw_decode(b.buf, len, early, 1 << 20,
		    &out, &n), 0);
		ck_assert_uint_eq(n, sizeof(data));
		ck_assert_mem_eq(out, data, n);
		free(out);
		out = NULL;
		/* Read with the other EarlyChange the widths go wrong:
		 * not the same bytes. */
		if (zri_lzw_decode(b.buf, len, !early, 1 << 20, &out, &n) >= 0)
			ck_assert(n != sizeof(data) ||
			    memcmp(out, data, n) != 0);
		free(out);
		out = NULL;
	}
}
END_TEST

/* A bad code at the end (issue 14: a corpus PDF had one): everything
 * before it is kept, and the decoder says so. */
START_TEST(test_lzw_bad_code_at_end)
{
	static struct bits b;
	unsigned char data[700], *out = NULL;
	size_t len, n = 0;

	pattern(data, sizeof(data), 9);
	len = lzw_literals(data, sizeof(data), 1, 1, &b);
	ck_assert_int_eq(zri_lzw_decode(b.buf, len, 1, 1 << 20, &out, &n), 1);
	ck_assert_uint_eq(n, sizeof(data));
	ck_assert_mem_eq(out, data, n);
	free(out);
	/* No end code at all: the end of the data ends it. */
	len = lzw_literals(data, sizeof(data), 1, 2, &b);
	ck_assert_int_eq(zri_lzw_decode(b.buf, len, 1, 1 << 20, &out, &n), 0);
	ck_assert_uint_eq(n, sizeof(data));
	ck_assert_mem_eq(out, data, n);
	free(out);
	/* Cut inside a code: the codes before it. */
	ck_assert_int_eq(zri_lzw_decode(b.buf, len / 2, 1, 1 << 20, &out,
	    &n), 0);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_lt(n, sizeof(data));
	ck_assert_mem_eq(out, data, n);
	free(out);
}
END_TEST

/* Empty input, a first code that is not a byte, garbage, and the cap. */
START_TEST(test_lzw_empty_garbage_cap)
{
	static struct bits b;
	unsigned char data[300], junk[2048], *out = NULL;
	size_t len, n = 99;
	int rc;

	ck_assert_int_eq(zri_lzw_decode((const unsigned char *)"", 0, 1,
	    1 << 20, &out, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(out);
	out = NULL;
	memset(&b, 0, sizeof(b));
	put(&b, 256, 9);
	put(&b, 300, 9);
	ck_assert_int_eq(zri_lzw_decode(b.buf, (b.nbits + 7) / 8, 1, 1 << 20,
	    &out, &n), 1);
	ck_assert_uint_eq(n, 0);
	free(out);
	out = NULL;
	for (unsigned seed = 1; seed <= 50; seed++) {
		pattern(junk, sizeof(junk), seed);
		rc = zri_lzw_decode(junk, sizeof(junk), 1, 1 << 20, &out, &n);
		ck_assert(rc == 0 || rc == 1);
		ck_assert_uint_le(n, 1 << 20);
		free(out);
		out = NULL;
	}
	pattern(data, sizeof(data), 3);
	len = lzw_literals(data, sizeof(data), 1, 0, &b);
	ck_assert_int_eq(zri_lzw_decode(b.buf, len, 1, 100, &out, &n), -1);
}
END_TEST

/* ---- Flate --------------------------------------------------------- */

/* Compressible data: runs of a few bytes. */
static void
text_like(unsigned char *d, size_t n)
{
	static const unsigned char line[] = "BT /F1 12 Tf (zairyu) Tj ET\n";

	for (size_t i = 0; i < n; i++)
		d[i] = (unsigned char)(line[i % 28] + (i / 4096) % 3);
}

START_TEST(test_flate_whole_truncated_counted)
{
	static unsigned char data[100000], z[120000];
	unsigned char *out = NULL;
	uLongf zlen = sizeof(z);
	size_t n = 0, counted = 0;

	text_like(data, sizeof(data));
	ck_assert_int_eq(compress2(z, &zlen, data, sizeof(data), 9), Z_OK);
	ck_assert_int_eq(zri_flate_decode(z, zlen, 1 << 24, &out, &n), 0);
	ck_assert_uint_eq(n, sizeof(data));
	ck_assert_mem_eq(out, data, n);
	free(out);
	ck_assert_int_eq(zri_flate_decode(z, zlen, 1 << 24, NULL, &counted),
	    0);
	ck_assert_uint_eq(counted, sizeof(data));
	/* Cut in half: what libqpdf reads too, a prefix, no damage. */
	ck_assert_int_eq(zri_flate_decode(z, zlen / 2, 1 << 24, &out, &n), 0);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_lt(n, sizeof(data));
	ck_assert_mem_eq(out, data, n);
	free(out);
	/* A wrong Adler-32 after all the data: read without a word. */
	z[zlen - 1] ^= 0x5a;
	ck_assert_int_eq(zri_flate_decode(z, zlen, 1 << 24, &out, &n), 0);
	ck_assert_uint_eq(n, sizeof(data));
	ck_assert_mem_eq(out, data, n);
	free(out);
	/* Over the cap. */
	ck_assert_int_eq(zri_flate_decode(z, zlen, 1000, &out, &n), -1);
}
END_TEST

/* Corrupt data after a flush point: everything before it is kept, and
 * the decoder says the stream is damaged. */
START_TEST(test_flate_corrupt_keeps_what_decodes)
{
	static unsigned char data[50000], z[70000];
	unsigned char *out = NULL;
	z_stream s;
	size_t zlen, n = 0;

	text_like(data, sizeof(data));
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(deflateInit(&s, 6), Z_OK);
	s.next_in = data;
	s.avail_in = sizeof(data);
	s.next_out = z;
	s.avail_out = sizeof(z) - 2;
	ck_assert_int_eq(deflate(&s, Z_FULL_FLUSH), Z_OK);
	ck_assert_uint_eq(s.avail_in, 0);
	zlen = sizeof(z) - 2 - s.avail_out;
	deflateEnd(&s);
	/* A last block of the reserved type 3: "invalid block type". */
	z[zlen++] = 0xff;
	z[zlen++] = 0xff;
	ck_assert_int_eq(zri_flate_decode(z, zlen, 1 << 24, &out, &n), 1);
	ck_assert_uint_eq(n, sizeof(data));
	ck_assert_mem_eq(out, data, n);
	free(out);
}
END_TEST

START_TEST(test_flate_empty_garbage)
{
	unsigned char junk[4096], *out = NULL;
	size_t n = 99;
	int rc;

	ck_assert_int_eq(zri_flate_decode((const unsigned char *)"", 0,
	    1 << 20, &out, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(out);
	out = NULL;
	/* Not zlib at all: damaged from the first byte, nothing kept. */
	memcpy(junk, "not a zlib stream", 17);
	ck_assert_int_eq(zri_flate_decode(junk, 17, 1 << 20, &out, &n), 1);
	ck_assert_uint_eq(n, 0);
	free(out);
	out = NULL;
	for (unsigned seed = 1; seed <= 50; seed++) {
		pattern(junk, sizeof(junk), seed);
		rc = zri_flate_decode(junk, sizeof(junk), 1 << 20, &out, &n);
		ck_assert(rc == 0 || rc == 1);
		free(out);
		out = NULL;
	}
}
END_TEST

/* ---- zri_deflate9: level 9, in pieces over two threads when large ----- */

/* Blocks of 64 bytes, half noise, half copies of a block up to 25 kB
 * back (some across the 1 MiB pieces, which each piece's 32 KiB
 * dictionary keeps); cheap at level 9 (short match chains). */
static unsigned char *
repetitive(size_t n, unsigned seed)
{
	unsigned char *d = malloc(n);
	size_t i, k, back;

	ck_assert_ptr_nonnull(d);
	for (i = 0; i < n; i += 64) {
		seed = seed * 1103515245u + 12345u;
		back = 64 * (1 + (seed >> 16) % 400);
		for (k = i; k < i + 64 && k < n; k++) {
			if (seed >> 31 && i >= back)
				d[k] = d[k - back];
			else {
				seed = seed * 1103515245u + 12345u;
				d[k] = (unsigned char)(seed >> 16);
			}
		}
	}
	return d;
}

static void
deflate_round_trip(size_t n, int exact)
{
	unsigned char *in = repetitive(n, (unsigned)n), *z1, *z2, *back, *ref;
	size_t l1, l2, lb;
	uLongf lr = compressBound((uLong)n);

	ck_assert_int_eq(zri_deflate9(in, n, &z1, &l1, NULL), 0);
	ck_assert_int_eq(zri_deflate9(in, n, &z2, &l2, NULL), 0);
	/* Same input, same bytes (the pieces do not depend on threads). */
	ck_assert_uint_eq(l1, l2);
	ck_assert_mem_eq(z1, z2, l1);
	/* One zlib stream that any reader inflates to the input. */
	ck_assert_int_eq(zri_inflate(z1, l1, n + 1, &back, &lb, NULL), 0);
	ck_assert_uint_eq(lb, n);
	ck_assert_mem_eq(back, in, n);
	ck_assert_uint_eq(z1[0], 0x78);
	ck_assert_uint_eq((unsigned)(z1[0] << 8 | z1[1]) % 31, 0);
	/* Against one zlib call: the same below the threshold, within
	 * 0.5 % above it. */
	ref = malloc(lr);
	ck_assert_ptr_nonnull(ref);
	ck_assert_int_eq(compress2(ref, &lr, in, (uLong)n, 9), Z_OK);
	if (exact) {
		ck_assert_uint_eq(l1, lr);
		ck_assert_mem_eq(z1, ref, l1);
	} else
		ck_assert_uint_le(l1, lr + lr / 200);
	free(ref);
	free(back);
	free(z1);
	free(z2);
	free(in);
}

START_TEST(test_deflate9_pieces)
{
	deflate_round_trip((size_t)256 << 10, 1);      /* one call */
	deflate_round_trip((size_t)4 << 20, 0);        /* 4 whole pieces */
	deflate_round_trip(((size_t)4 << 20) + 4097, 0); /* a short last one */
}
END_TEST

Suite *
zr_pdfrepair_suite(void)
{
	Suite *s = suite_create("pdfrepair");
	TCase *tc = tcase_create("decoders");

	tcase_add_test(tc, test_lzw_spec_example);
	tcase_add_test(tc, test_lzw_widths);
	tcase_add_test(tc, test_lzw_bad_code_at_end);
	tcase_add_test(tc, test_lzw_empty_garbage_cap);
	tcase_add_test(tc, test_flate_whole_truncated_counted);
	tcase_add_test(tc, test_flate_corrupt_keeps_what_decodes);
	tcase_add_test(tc, test_flate_empty_garbage);
	tcase_add_test(tc, test_deflate9_pieces);
	suite_add_tcase(s, tc);
	return s;
}
