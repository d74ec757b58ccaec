/* zairyu-tools: unit tests of APDUs, status words, READ BINARY, BER-TLV. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zr_test.h"
#include "../cardsim/cardsim.h"

static size_t
enc(const struct zr_apdu *a, unsigned char *buf)
{
	struct zr_error e;
	size_t n = 0;

	ck_assert_int_eq(zr_apdu_encode(a, buf, ZR_APDU_CMD_MAX, &n, &e), 0);
	return n;
}

START_TEST(encode_cases)
{
	unsigned char b[ZR_APDU_CMD_MAX], d[300];
	struct zr_apdu a = { 0x00, 0x20, 0x00, 0x80, NULL, 0, ZR_LE_NONE, 0 };
	static const unsigned char case1[] = { 0x00, 0x20, 0x00, 0x80 };
	static const unsigned char case2[] = { 0x00, 0xB0, 0x01, 0x00, 0x00 };
	static const unsigned char case3[] = { 0x00, 0xA4, 0x02, 0x0C, 0x02,
		0x00, 0x18 };
	static const unsigned char case4e[] = { 0x80, 0x2A, 0x00, 0x80, 0x00,
		0x01, 0x2C };

	ck_assert_uint_eq(enc(&a, b), 4);
	ck_assert_mem_eq(b, case1, 4);
	a = (struct zr_apdu){ 0x00, 0xB0, 0x01, 0x00, NULL, 0, 256, 0 };
	ck_assert_uint_eq(enc(&a, b), 5);
	ck_assert_mem_eq(b, case2, 5);
	a = (struct zr_apdu){ 0x00, 0xA4, 0x02, 0x0C, case3 + 5, 2,
	    ZR_LE_NONE, 0 };
	ck_assert_uint_eq(enc(&a, b), 7);
	ck_assert_mem_eq(b, case3, 7);
	/* Lc > 255: extended, Le 65536 coded as 00 00. */
	memset(d, 0x5A, sizeof(d));
	a = (struct zr_apdu){ 0x80, 0x2A, 0x00, 0x80, d, 300, 65536, 0 };
	ck_assert_uint_eq(enc(&a, b), 4 + 3 + 300 + 2);
	ck_assert_mem_eq(b, case4e, 7);
	ck_assert_int_eq(b[307], 0);
	ck_assert_int_eq(b[308], 0);
	/* Extended case 2: 00 Le1 Le2. */
	a = (struct zr_apdu){ 0x00, 0xB0, 0x82, 0x00, NULL, 0, 1000, 0 };
	ck_assert_uint_eq(enc(&a, b), 7);
	ck_assert_int_eq(b[4], 0);
	ck_assert_int_eq(b[5], 0x03);
	ck_assert_int_eq(b[6], 0xE8);
}
END_TEST

START_TEST(encode_errors)
{
	unsigned char b[8], d[ZR_APDU_DATA_MAX + 1];
	struct zr_apdu a = { 0x00, 0xB0, 0, 0, NULL, 0, 0, 0 };
	struct zr_error e;
	size_t n;

	ck_assert_int_eq(zr_apdu_encode(&a, b, sizeof(b), &n, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	a.le = 65537;
	ck_assert_int_eq(zr_apdu_encode(&a, b, sizeof(b), &n, &e), -1);
	memset(d, 0, sizeof(d));
	a = (struct zr_apdu){ 0x00, 0xD6, 0, 0, d, sizeof(d), ZR_LE_NONE, 0 };
	ck_assert_int_eq(zr_apdu_encode(&a, b, sizeof(b), &n, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	/* Does not fit the caller's buffer. */
	a = (struct zr_apdu){ 0x00, 0xD6, 0, 0, d, 10, ZR_LE_NONE, 0 };
	ck_assert_int_eq(zr_apdu_encode(&a, b, sizeof(b), &n, &e), -1);
	/* Data promised but absent. */
	a = (struct zr_apdu){ 0x00, 0xD6, 0, 0, NULL, 3, ZR_LE_NONE, 0 };
	ck_assert_int_eq(zr_apdu_encode(&a, b, sizeof(b), &n, &e), -1);
}
END_TEST

START_TEST(decode_roundtrip)
{
	unsigned char b[ZR_APDU_CMD_MAX], d[600];
	const long les[] = { ZR_LE_NONE, 1, 255, 256, 257, 65536 };
	const size_t lcs[] = { 0, 1, 255, 256, 600 };
	struct zr_apdu a, back;
	struct zr_error e;
	size_t n;

	for (size_t i = 0; i < sizeof(d); i++)
		d[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(lcs) / sizeof(lcs[0]); i++) {
		for (size_t k = 0; k < sizeof(les) / sizeof(les[0]); k++) {
			a = (struct zr_apdu){ 0x0C, 0xB0, 0x12, 0x34,
			    lcs[i] ? d : NULL, lcs[i], les[k], 0 };
			n = enc(&a, b);
			ck_assert_int_eq(zr_apdu_decode(b, n, &back, &e), 0);
			ck_assert_int_eq(back.cla, 0x0C);
			ck_assert_int_eq(back.p2, 0x34);
			ck_assert_uint_eq(back.lc, lcs[i]);
			ck_assert_int_eq(back.le, les[k]);
			if (lcs[i] > 0)
				ck_assert_mem_eq(back.data, d, lcs[i]);
		}
	}
}
END_TEST

START_TEST(decode_errors)
{
	static const unsigned char shortlc[] = { 0, 0xA4, 4, 0x0C, 5, 1, 2 };
	static const unsigned char extzero[] = { 0, 0xB0, 0, 0, 0, 0, 0, 1 };
	static const unsigned char twobyte[] = { 0, 0xB0, 0, 0, 0, 5 };
	struct zr_apdu a;
	struct zr_error e;

	ck_assert_int_eq(zr_apdu_decode(shortlc, 3, &a, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SYNTAX);
	ck_assert_int_eq(zr_apdu_decode(shortlc, sizeof(shortlc), &a, &e), -1);
	ck_assert_int_eq(zr_apdu_decode(extzero, sizeof(extzero), &a, &e), -1);
	ck_assert_int_eq(zr_apdu_decode(twobyte, sizeof(twobyte), &a, &e), -1);
}
END_TEST

START_TEST(rapdu_and_sw)
{
	static const unsigned char ok[] = { 0xAA, 0xBB, 0x90, 0x00 };
	struct zr_rapdu *r = malloc(sizeof(*r));
	struct zr_error e;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(zr_rapdu_parse(ok, sizeof(ok), r, &e), 0);
	ck_assert_uint_eq(r->len, 2);
	ck_assert_uint_eq(r->sw, 0x9000);
	ck_assert_int_eq(zr_rapdu_parse(ok, 1, r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CARD);
	ck_assert_int_eq(zr_card_expect_ok(r, "X", &e), 0);
	r->sw = 0x6A82;
	ck_assert_int_eq(zr_card_expect_ok(r, "SELECT", &e), -1);
	ck_assert_uint_eq(e.sw, 0x6A82);
	ck_assert_str_eq(e.msg,
	    "SELECT: card answered 6A82 (file or application not found)");
	free(r);
	/* card-facts §1.4: blocked is 63C0, 6983 or 6984. */
	ck_assert_int_eq(zr_sw_blocked(0x63C0), 1);
	ck_assert_int_eq(zr_sw_blocked(0x6983), 1);
	ck_assert_int_eq(zr_sw_blocked(0x6984), 1);
	ck_assert_int_eq(zr_sw_blocked(0x63C1), 0);
	ck_assert_int_eq(zr_sw_blocked(0x9000), 0);
	ck_assert_str_eq(zr_sw_text(0x6B00), "offset outside the file");
	ck_assert_str_eq(zr_sw_text(0x63C3),
	    "verification failed, tries left in the last digit");
	ck_assert_str_eq(zr_sw_text(0x1234), "unknown status");
}
END_TEST

START_TEST(tlv_headers)
{
	static const unsigned char t1[] = { 0x30, 0x82, 0x04, 0xD2 };
	static const unsigned char t2[] = { 0xDF, 0x21, 0x81, 0x80 };
	static const unsigned char t3[] = { 0x7F, 0x21, 0x03 };
	static const unsigned char t4[] = { 0xDF, 0xD1, 0x82, 0x01, 0x00 };
	static const unsigned char t5[] = { 0x5F, 0xFF, 0x85, 0, 0, 0, 0, 1 };
	static const unsigned char indef[] = { 0x30, 0x80 };
	static const unsigned char trunc[] = { 0x30, 0x82, 0x04 };
	struct zr_tlv t;
	struct zr_error e;

	ck_assert_int_eq(zr_tlv_header(t1, sizeof(t1), &t, &e), 0);
	ck_assert_uint_eq(t.tag, 0x30);
	ck_assert_int_eq(t.constructed, 1);
	ck_assert_uint_eq(t.hdrlen, 4);
	ck_assert_uint_eq(t.len, 1234);
	ck_assert_int_eq(zr_tlv_header(t2, sizeof(t2), &t, &e), 0);
	ck_assert_uint_eq(t.tag, 0xDF21);
	ck_assert_uint_eq(t.len, 128);
	ck_assert_int_eq(zr_tlv_header(t3, sizeof(t3), &t, &e), 0);
	ck_assert_uint_eq(t.tag, 0x7F21);
	ck_assert_int_eq(t.constructed, 1);
	/* card-facts §4.2: the residence card's DFD1 is a two-byte tag,
	 * although its second byte has bit 8 set. */
	ck_assert_int_eq(zr_tlv_header(t4, sizeof(t4), &t, &e), 0);
	ck_assert_uint_eq(t.tag, 0xDFD1);
	ck_assert_uint_eq(t.hdrlen, 5);
	ck_assert_uint_eq(t.len, 256);
	ck_assert_int_eq(zr_tlv_header(t5, sizeof(t5), &t, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SYNTAX);
	ck_assert_int_eq(zr_tlv_header(indef, sizeof(indef), &t, &e), -1);
	ck_assert_int_eq(zr_tlv_header(trunc, sizeof(trunc), &t, &e), -1);
	ck_assert_int_eq(zr_tlv_header(t1, 1, &t, &e), -1);
}
END_TEST

START_TEST(tlv_walk)
{
	/* Residence-card style: TLVs, 00/FF padding between and after. */
	static const unsigned char b[] = { 0xC0, 0x04, '0', '0', '0', '1',
		0x00, 0xFF, 0xDF, 0xD1, 0x02, 0xAB, 0xCD, 0x00, 0x00 };
	static const unsigned char over[] = { 0xC1, 0x05, '1' };
	struct zr_tlv t;
	struct zr_error e;
	size_t off = 0;

	ck_assert_int_eq(zr_tlv_next(b, sizeof(b), &off, &t, &e), 0);
	ck_assert_uint_eq(t.tag, 0xC0);
	ck_assert_mem_eq(t.val, "0001", 4);
	ck_assert_int_eq(zr_tlv_next(b, sizeof(b), &off, &t, &e), 0);
	ck_assert_uint_eq(t.tag, 0xDFD1);
	ck_assert_uint_eq(t.len, 2);
	ck_assert_int_eq(zr_tlv_next(b, sizeof(b), &off, &t, &e), 0);
	ck_assert_uint_eq(t.tag, 0);
	ck_assert_uint_eq(off, sizeof(b));
	ck_assert_int_eq(zr_tlv_find(b, sizeof(b), 0xDFD1, &t, &e), 0);
	ck_assert_int_eq(t.val[1], 0xCD);
	ck_assert_int_eq(zr_tlv_find(b, sizeof(b), 0xC2, &t, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_MISSING);
	off = 0;
	ck_assert_int_eq(zr_tlv_next(over, sizeof(over), &off, &t, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SYNTAX);
}
END_TEST

START_TEST(hex)
{
	static const unsigned char b[] = { 0x3B, 0xDA, 0x13 };
	char out[16];

	ck_assert_str_eq(zr_hex_format(b, 3, out, sizeof(out)), "3B DA 13");
	ck_assert_str_eq(zr_hex_format(b, 3, out, 6), "3B DA");
	ck_assert_str_eq(zr_hex_format(b, 3, out, 5), "3B");
	ck_assert_str_eq(zr_hex_format(b, 0, out, sizeof(out)), "");
}
END_TEST

/* A card with one transparent EF of n bytes in a test application. */
static const unsigned char test_aid[] = { 0xF0, 0x01, 0x02, 0x03, 0x04 };

static void
file_card(struct sim_card *c, const unsigned char *data, size_t n)
{
	struct sim_app *a;
	unsigned sw;
	struct zr_transport t;
	struct zr_error e;

	sim_card_init(c);
	a = sim_add_app(c, "TEST", test_aid, sizeof(test_aid));
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(sim_add_ef(a, 0x0101, 0x01, data, n, 0));
	t = sim_transport(c);
	ck_assert_int_eq(zr_card_select_aid(&t, test_aid, sizeof(test_aid),
	    &sw, &e), 0);
	ck_assert_uint_eq(sw, 0x9000);
	ck_assert_int_eq(zr_card_select_ef(&t, 0x0101, &sw, &e), 0);
	ck_assert_uint_eq(sw, 0x9000);
}

static unsigned char *
pattern(size_t n)
{
	unsigned char *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + 3);
	return p;
}

START_TEST(read_binary_chunks)
{
	/* Sizes around the 256-byte chunk edges. */
	const size_t sizes[] = { 1, 255, 256, 257, 512, 700 };
	struct sim_card c;
	struct zr_transport t;
	struct zr_error e;
	unsigned char buf[1024];
	size_t got;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = pattern(sizes[i]);

		file_card(&c, p, sizes[i]);
		t = sim_transport(&c);
		ck_assert_int_eq(zr_card_read_binary(&t, 0, sizeof(buf), buf,
		    &got, &e), 0);
		ck_assert_uint_eq(got, sizes[i]);
		ck_assert_mem_eq(buf, p, sizes[i]);
		/* From an offset, and past the end (6B00): nothing. */
		ck_assert_int_eq(zr_card_read_binary(&t, sizes[i] - 1, 10,
		    buf, &got, &e), 0);
		ck_assert_uint_eq(got, 1);
		ck_assert_int_eq(zr_card_read_binary(&t, sizes[i] + 5, 10,
		    buf, &got, &e), 0);
		ck_assert_uint_eq(got, 0);
		sim_card_free(&c);
		free(p);
	}
	file_card(&c, buf, 10);
	t = sim_transport(&c);
	ck_assert_int_eq(zr_card_read_binary(&t, 0x7FFF, 2, buf, &got, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	sim_card_free(&c);
}
END_TEST

START_TEST(read_t0_style)
{
	/* 61xx + GET RESPONSE and 6Cxx, as a T=0 card answers. */
	struct sim_card c;
	struct zr_transport t;
	struct zr_error e;
	unsigned char *p = pattern(600), buf[700];
	size_t got;

	file_card(&c, p, 600);
	c.t0_chunk = 50;
	c.exact_le = 1;
	t = sim_transport(&c);
	ck_assert_int_eq(zr_card_read_binary(&t, 0, sizeof(buf), buf, &got,
	    &e), 0);
	ck_assert_uint_eq(got, 600);
	ck_assert_mem_eq(buf, p, 600);
	sim_card_free(&c);
	free(p);
}
END_TEST

START_TEST(read_der_object)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_error e;
	unsigned char *p = pattern(1300), *der;
	size_t len;

	/* 30 82 05 10: a 1296-byte body, 1300 in all. */
	p[0] = 0x30;
	p[1] = 0x82;
	p[2] = 0x05;
	p[3] = 0x10;
	file_card(&c, p, 1300);
	t = sim_transport(&c);
	ck_assert_int_eq(zr_card_read_der(&t, 8192, &der, &len, &e), 0);
	ck_assert_uint_eq(len, 1300);
	ck_assert_mem_eq(der, p, 1300);
	free(der);
	ck_assert_int_eq(zr_card_read_der(&t, 1000, &der, &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_TOO_BIG);
	ck_assert_ptr_null(der);
	sim_card_free(&c);
	/* The header promises more than the file holds. */
	file_card(&c, p, 700);
	t = sim_transport(&c);
	ck_assert_int_eq(zr_card_read_der(&t, 8192, &der, &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CARD);
	sim_card_free(&c);
	/* Not DER at all. */
	p[1] = 0x85;
	file_card(&c, p, 700);
	t = sim_transport(&c);
	ck_assert_int_eq(zr_card_read_der(&t, 8192, &der, &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SYNTAX);
	sim_card_free(&c);
	free(p);
}
END_TEST

START_TEST(read_errors)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_error e;
	unsigned char buf[16] = { 0 };
	size_t got;
	unsigned sw;

	file_card(&c, buf, 10);
	c.app[1].ef[0].read_pin = 0x0018;       /* needs a PIN it lacks */
	t = sim_transport(&c);
	ck_assert_int_eq(zr_card_read_binary(&t, 0, 4, buf, &got, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CARD);
	ck_assert_uint_eq(e.sw, 0x6982);
	ck_assert_int_eq(zr_card_select_ef(&t, 0x0999, &sw, &e), 0);
	ck_assert_uint_eq(sw, 0x6A82);
	sim_card_free(&c);
}
END_TEST

/* A transport whose card was pulled out. */
static int
gone_xfer(void *ctx, const unsigned char *cmd, size_t cmdlen,
    unsigned char *rsp, size_t *rsplen, struct zr_error *err)
{
	(void)ctx;
	(void)cmd;
	(void)cmdlen;
	(void)rsp;
	(void)rsplen;
	return zr_error_set(err, ZR_E_CARD_REMOVED, "Reader 0",
	    "transmit: card removed");
}

/* A transport that answers 61xx for ever. */
static int
loop_xfer(void *ctx, const unsigned char *cmd, size_t cmdlen,
    unsigned char *rsp, size_t *rsplen, struct zr_error *err)
{
	(void)ctx;
	(void)cmd;
	(void)cmdlen;
	(void)err;
	rsp[0] = 0x01;
	rsp[1] = 0x61;
	rsp[2] = 0x01;
	*rsplen = 3;
	return 0;
}

START_TEST(transport_errors)
{
	struct zr_transport gone = { "Reader 0", NULL, gone_xfer, NULL };
	struct zr_transport loop = { "Reader 0", NULL, loop_xfer, NULL };
	struct zr_apdu a = { 0x00, 0xB0, 0, 0, NULL, 0, 256, 0 };
	struct zr_rapdu *r = malloc(sizeof(*r));
	struct zr_error e;
	unsigned sw;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(zr_card_select_aid(&gone, test_aid,
	    sizeof(test_aid), &sw, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CARD_REMOVED);
	ck_assert_int_eq(zr_code_exit(e.code), ZR_EXIT_DEVICE);
	ck_assert_int_eq(zr_card_transmit(&loop, &a, r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CARD);
	free(r);
}
END_TEST

Suite *
zr_apdu_suite(void)
{
	Suite *s = suite_create("apdu");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, encode_cases);
	tcase_add_test(tc, encode_errors);
	tcase_add_test(tc, decode_roundtrip);
	tcase_add_test(tc, decode_errors);
	tcase_add_test(tc, rapdu_and_sw);
	tcase_add_test(tc, tlv_headers);
	tcase_add_test(tc, tlv_walk);
	tcase_add_test(tc, hex);
	tcase_add_test(tc, read_binary_chunks);
	tcase_add_test(tc, read_t0_style);
	tcase_add_test(tc, read_der_object);
	tcase_add_test(tc, read_errors);
	tcase_add_test(tc, transport_errors);
	suite_add_tcase(s, tc);
	return s;
}
