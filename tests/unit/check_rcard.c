/* zairyu-tools: unit tests for the residence card chip (lib/rcard*.c). */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zr_test.h"
#include "../cardsim/rcard_sim.h"

/* card-facts §4.4: the official vectors of the 2nd generation spec,
 * Appendix 2 (card number AA12345678BB). */
#define V_NUMBER "AA12345678BB"
#define V_SHA1 "6522B4E171195BB218223A976C040111BDC4AA25"
#define V_K "6522B4E171195BB218223A976C040111"
#define V_RND_IFD "1122334455667788"
#define V_K_IFD "404142434445464748494A4B4C4D4E4F"
#define V_RND_ICC "921CE277323DA057"
#define V_E_IFD "4AD3C7B6BB484A52771977DED618B41DF841FA0476A05FBE041DEAD6109E773B"
#define V_M_IFD "AC854617634F5397"
#define V_E_ICC "289A96B1DA6AE3DA87770419BFD14F0BDAD15F36432B5A946C188C7221759A62"
#define V_M_ICC "FA942EC51E62FF5F"
#define V_K_ICC "2CC6AF9B8B607C662FDCAD27B401D08B"
#define V_KS "C19CF13D3D7FBEE9EA293D834C88952F"
#define V_VERIFY "08200086138611" "01EE0B31EF877F68D071C56D58C72E6748"
#define V_MUTUAL "0082000028" V_E_IFD V_M_IFD "00"

/* card-facts §4.4: generation 1 with the same inputs (recomputed in the
 * facts, not official). */
#define G1_E_IFD "937745C20883A1BA9177E9C2567B13544CA99D9C5E60880BE93A36E58B43B0B5"
#define G1_M_IFD "9F1FC140E78FE2E5"
#define G1_E_ICC "EF303A943DBC6EDD9DB47A31EF1B721190388B958AEE74CB987719AC99BB5DD2"
#define G1_M_ICC "CEB690C94F6065C7"
#define G1_VERIFY "0E862D464F58087002FE1D2CC67EBE6F"

static size_t
unhex(const char *s, unsigned char *out)
{
	size_t n = 0;

	for (; s[0] != '\0' && s[1] != '\0'; s += 2) {
		unsigned v;

		sscanf(s, "%2x", &v);
		out[n++] = (unsigned char)v;
	}
	return n;
}

static void
ck_hex(const unsigned char *b, size_t n, const char *want)
{
	char got[1024];

	for (size_t i = 0; i < n && 2 * i + 2 < sizeof(got); i++)
		snprintf(got + 2 * i, 3, "%02X", b[i]);
	got[2 * n < sizeof(got) ? 2 * n : sizeof(got) - 1] = '\0';
	ck_assert_str_eq(got, want);
}

/* ---- the official vectors -------------------------------------------- */

START_TEST(test_vector_keys)
{
	unsigned char k[16], md[20];
	unsigned int n = 0;

	EVP_Digest(V_NUMBER, 12, md, &n, EVP_sha1(), NULL);
	ck_hex(md, n, V_SHA1);
	zr_rcard_base_key(V_NUMBER, k);
	ck_hex(k, 16, V_K);
}
END_TEST

START_TEST(test_vector_gen2)
{
	unsigned char k[16], rnd_ifd[8], rnd_icc[8], k_ifd[16], req[40];
	unsigned char rsp[40], k_icc[16], ks[16], v[16];
	struct zr_error err;

	unhex(V_K, k);
	unhex(V_RND_IFD, rnd_ifd);
	unhex(V_RND_ICC, rnd_icc);
	unhex(V_K_IFD, k_ifd);
	ck_assert_int_eq(zr_rcard_auth_request(ZR_RCARD_GEN2, k, rnd_ifd,
	    rnd_icc, k_ifd, req, &err), 0);
	ck_hex(req, 32, V_E_IFD);
	ck_hex(req + 32, 8, V_M_IFD);
	unhex(V_E_ICC V_M_ICC, rsp);
	ck_assert_int_eq(zr_rcard_auth_response(ZR_RCARD_GEN2, k, rnd_ifd,
	    rnd_icc, rsp, 40, k_icc, &err), 0);
	ck_hex(k_icc, 16, V_K_ICC);
	zr_rcard_session_key(k_ifd, k_icc, ks);
	ck_hex(ks, 16, V_KS);
	ck_assert_int_eq(zr_rcard_verify_data(ZR_RCARD_GEN2, ks, V_NUMBER, v,
	    &err), 0);
	ck_hex(v, 16, V_VERIFY + 16);
	/* A changed MAC byte, or another RND.IFD: refused. */
	rsp[39] ^= 1;
	ck_assert_int_eq(zr_rcard_auth_response(ZR_RCARD_GEN2, k, rnd_ifd,
	    rnd_icc, rsp, 40, k_icc, &err), -1);
	ck_assert_int_eq(err.code, ZR_E_CARD);
	ck_assert_ptr_nonnull(strstr(err.msg, "MAC mismatch"));
	rsp[39] ^= 1;
	rnd_ifd[0] ^= 1;
	ck_assert_int_eq(zr_rcard_auth_response(ZR_RCARD_GEN2, k, rnd_ifd,
	    rnd_icc, rsp, 40, k_icc, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "challenge"));
	ck_assert_int_eq(zr_rcard_auth_response(ZR_RCARD_GEN2, k, rnd_ifd,
	    rnd_icc, rsp, 39, k_icc, &err), -1);
}
END_TEST

START_TEST(test_vector_gen1)
{
	unsigned char k[16], rnd_ifd[8], rnd_icc[8], k_ifd[16], req[40];
	unsigned char rsp[40], k_icc[16], ks[16], v[16];
	struct zr_error err;

	unhex(V_K, k);
	unhex(V_RND_IFD, rnd_ifd);
	unhex(V_RND_ICC, rnd_icc);
	unhex(V_K_IFD, k_ifd);
	ck_assert_int_eq(zr_rcard_auth_request(ZR_RCARD_GEN1, k, rnd_ifd,
	    rnd_icc, k_ifd, req, &err), 0);
	ck_hex(req, 32, G1_E_IFD);
	ck_hex(req + 32, 8, G1_M_IFD);
	unhex(G1_E_ICC G1_M_ICC, rsp);
	ck_assert_int_eq(zr_rcard_auth_response(ZR_RCARD_GEN1, k, rnd_ifd,
	    rnd_icc, rsp, 40, k_icc, &err), 0);
	ck_hex(k_icc, 16, V_K_ICC);
	zr_rcard_session_key(k_ifd, k_icc, ks);
	ck_hex(ks, 16, V_KS);
	ck_assert_int_eq(zr_rcard_verify_data(ZR_RCARD_GEN1, ks, V_NUMBER, v,
	    &err), 0);
	ck_hex(v, 16, G1_VERIFY);
}
END_TEST

/* ICAO 9303 part 11 appendix D.3 (BAC): the retail MAC on its own. */
START_TEST(test_retail_mac_icao)
{
	unsigned char kmac[16], e[32], mac[8];

	unhex("7962D9ECE03D1ACD4C76089DCE131543", kmac);
	unhex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2",
	    e);
	ck_assert_int_eq(zr_rcard_mac(ZR_RCARD_GEN1, kmac, e, 32, mac, NULL),
	    0);
	ck_hex(mac, 8, "5F1448EEA8AD90A7");
}
END_TEST

/* NIST SP 800-38B D.1 example 2: AES-128 CMAC of 16 bytes. */
START_TEST(test_cmac_nist)
{
	unsigned char k[16], m[16], mac[8];

	unhex("2B7E151628AED2A6ABF7158809CF4F3C", k);
	unhex("6BC1BEE22E409F96E93D7E117393172A", m);
	ck_assert_int_eq(zr_rcard_mac(ZR_RCARD_GEN2, k, m, 16, mac, NULL), 0);
	ck_hex(mac, 8, "070A16B46B4D4144");
}
END_TEST

START_TEST(test_cbc_errors)
{
	unsigned char k[16] = { 0 }, b[24] = { 0 };
	struct zr_error err;

	ck_assert_int_eq(zr_rcard_cbc(ZR_RCARD_GEN2, k, 1, b, 24, b, &err),
	    -1);
	ck_assert_int_eq(err.code, ZR_E_RANGE);
	ck_assert_int_eq(zr_rcard_cbc(ZR_RCARD_GEN1, k, 1, b, 24, b, &err), 0);
	ck_assert_int_eq(zr_rcard_cbc(7, k, 1, b, 16, b, &err), -1);
	ck_assert_int_eq(zr_rcard_mac(0, k, b, 16, b, &err), -1);
}
END_TEST

/* ---- parsers ----------------------------------------------------------- */

START_TEST(test_number_form)
{
	char a[] = "ab12345678cd", b[] = "AB1234567XCD", c[] = "AB123",
	    d[] = "1B12345678CD", e[] = "AB12345678CD";
	struct zr_error err;
	int changed;

	ck_assert_int_eq(zr_rcard_check_number(a, &changed, &err), 0);
	ck_assert_str_eq(a, "AB12345678CD");
	ck_assert_int_eq(changed, 1);
	ck_assert_int_eq(zr_rcard_check_number(e, &changed, &err), 0);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(zr_rcard_check_number(b, &changed, &err), -1);
	ck_assert_int_eq(err.code, ZR_E_NUMBER);
	ck_assert_ptr_nonnull(strstr(err.msg, "character 10 must be a digit"));
	ck_assert_int_eq(zr_rcard_check_number(c, &changed, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "5 characters"));
	ck_assert_int_eq(zr_rcard_check_number(d, &changed, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "character 1 must be a letter"));
}
END_TEST

START_TEST(test_generation)
{
	ck_assert_int_eq(zr_rcard_generation("1"), ZR_RCARD_GEN1);
	ck_assert_int_eq(zr_rcard_generation("2"), ZR_RCARD_GEN1);
	ck_assert_int_eq(zr_rcard_generation("05"), ZR_RCARD_GEN2);
	ck_assert_int_eq(zr_rcard_generation("06"), ZR_RCARD_GEN2);
	ck_assert_int_eq(zr_rcard_generation("07"), ZR_RCARD_GEN_UNKNOWN);
	ck_assert_int_eq(zr_rcard_generation("3"), ZR_RCARD_GEN_UNKNOWN);
	ck_assert_int_eq(zr_rcard_generation(""), ZR_RCARD_GEN_UNKNOWN);
}
END_TEST

START_TEST(test_parse_entries)
{
	/* card-facts §4.2 DF1/EF02 of a residence card, then 00 padding. */
	static const char f[] = "\xC5\x08" "20270131" "\xC6\x08" "19900401"
	    "\xC7\x01" "2" "\xC8\x03" "UTO" "\xC9\x0A" "0000000012"
	    "\xCE\x04" "0300" "\xCA\x02" "01" "\xCB\x08" "20240201"
	    "\xCC\x01" "9" "\xCD\x08" "20270131" "\0\0\0";
	struct zr_rcard rc;
	struct zr_error err;

	zr_rcard_init(&rc);
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G2_ENTRIES,
	    (const unsigned char *)f, sizeof(f) - 1, &err), 0);
	ck_assert_str_eq(rc.card_expiry, "20270131");
	ck_assert_str_eq(rc.birth, "19900401");
	ck_assert_str_eq(rc.sex, "2");
	ck_assert_str_eq(rc.nationality, "UTO");
	ck_assert_str_eq(rc.status, "0000000012");
	ck_assert_str_eq(rc.period, "0300");
	ck_assert_str_eq(rc.work, "9");
	ck_assert_str_eq(zr_rcard_work_name(rc.work), "work not permitted");
	ck_assert_str_eq(rc.stay_expiry, "20270131");
	ck_assert_uint_eq(rc.entries_len, 53);
	ck_assert_int_eq(memcmp(rc.entries, "2027013119900401", 16), 0);
	/* A second parse starts the signed values over. */
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G2_ENTRIES,
	    (const unsigned char *)f, sizeof(f) - 1, &err), 0);
	ck_assert_uint_eq(rc.entries_len, 53);
	zr_rcard_free(&rc);
}
END_TEST

START_TEST(test_parse_errors)
{
	static const unsigned char baddate[] = { 0xC5, 0x08, '2', '0', '2',
		'7', '0', '2', '3', '0' };
	static const unsigned char ctrl[] = { 0xC7, 0x01, 0x07 };
	static const unsigned char trunc[] = { 0xC6, 0x08, '1', '9' };
	static const unsigned char none[] = { 0x00, 0x00 };
	static const unsigned char longlen[] = { 0xDF, 0xD1, 0x82, 0x01, 0x00 };
	unsigned char big[60];
	struct zr_rcard rc;
	struct zr_error err;

	zr_rcard_init(&rc);
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G2_ENTRIES,
	    baddate, sizeof(baddate), &err), -1);
	ck_assert_int_eq(err.code, ZR_E_SYNTAX);
	ck_assert_ptr_nonnull(strstr(err.msg, "20270230 is not a valid date"));
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G2_ENTRIES, ctrl,
	    sizeof(ctrl), &err), -1);
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G2_ENTRIES, trunc,
	    sizeof(trunc), &err), -1);
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G2_SIG, none,
	    sizeof(none), &err), -1);
	ck_assert_int_eq(err.code, ZR_E_MISSING);
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G2_ADDRESS,
	    longlen, sizeof(longlen), &err), -1);
	ck_assert_int_eq(zr_rcard_parse_file(&rc, 99, none, 2, &err), -1);
	/* More than 53 bytes of printed entries. */
	memset(big, 'A', sizeof(big));
	big[0] = 0xC9;
	big[1] = 58;
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G2_ENTRIES, big,
	    sizeof(big), &err), -1);
	zr_rcard_free(&rc);
}
END_TEST

START_TEST(test_parse_gen1_text)
{
	/* D4 in Shift_JIS-2004: 東京 93 8C 8B 9E, then a bad byte 0x80
	 * (replaced by U+FFFD), NUL padding. */
	static const unsigned char f[] = { 0xD2, 0x08, '2', '0', '2', '4',
		'0', '2', '0', '1', 0xD3, 0x06, '1', '3', '1', '0', '8', '3',
		0xD4, 0x08, 0x93, 0x8C, 0x8B, 0x9E, 0x80, 'A', 0x00, 0x00 };
	static const unsigned char perm[] = { 0xD5, 0x06, 0x8F, 0x9C, 0x82,
		0xAD, 0x00, 0x00 };
	static const unsigned char img[] = { 0xDF, 0xD1, 0x82, 0x00, 0x04,
		'I', 'I', '*', 0x00, 0x00 };
	struct zr_rcard rc;
	struct zr_error err;
	const char *ext;

	zr_rcard_init(&rc);
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G1_ADDRESS, f,
	    sizeof(f), &err), 0);
	ck_assert_str_eq(rc.address, "東京\xEF\xBF\xBD" "A");
	ck_assert_str_eq(rc.municipality, "131083");
	ck_assert_str_eq(rc.addr_date, "20240201");
	/* A kana at the very end is not lost in the converter. */
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G1_PERM, perm,
	    sizeof(perm), &err), 0);
	ck_assert_str_eq(rc.perm_text, "除く");
	ck_assert_int_eq(zr_rcard_parse_file(&rc, ZR_RCARD_G2_ADDRESS, img,
	    sizeof(img), &err), 0);
	ck_assert_uint_eq(rc.addr_img.len, 4);
	ck_assert_str_eq(zr_rcard_image_kind(&rc.addr_img, &ext), "TIFF");
	ck_assert_str_eq(ext, "tif");
	ck_assert_str_eq(zr_rcard_image_kind(&rc.face, &ext), "unknown");
	zr_rcard_free(&rc);
}
END_TEST

START_TEST(test_sm_unwrap)
{
	unsigned char ks[16], plain[32], ct[32], rsp[64], out[64];
	struct zr_error err;
	size_t n;

	unhex(V_KS, ks);
	memset(plain, 0, sizeof(plain));
	memcpy(plain, "\xC7\x01" "1", 3);
	plain[3] = 0x80;
	ck_assert_int_eq(zr_rcard_cbc(ZR_RCARD_GEN2, ks, 1, plain, 16, ct,
	    &err), 0);
	rsp[0] = 0x86;
	rsp[1] = 17;
	rsp[2] = 0x01;
	memcpy(rsp + 3, ct, 16);
	ck_assert_int_eq(zr_rcard_sm_unwrap(ZR_RCARD_GEN2, ks, rsp, 19, out,
	    sizeof(out), &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(memcmp(out, "\xC7\x01" "1", 3), 0);
	/* Wrong key: the padding is garbage. */
	ks[0] ^= 1;
	ck_assert_int_eq(zr_rcard_sm_unwrap(ZR_RCARD_GEN2, ks, rsp, 19, out,
	    sizeof(out), &n, &err), -1);
	ck_assert_int_eq(err.code, ZR_E_SYNTAX);
	ks[0] ^= 1;
	/* No padding indicator, wrong tag, not whole blocks, too small. */
	rsp[2] = 0x02;
	ck_assert_int_eq(zr_rcard_sm_unwrap(ZR_RCARD_GEN2, ks, rsp, 19, out,
	    sizeof(out), &n, &err), -1);
	rsp[2] = 0x01;
	rsp[0] = 0x87;
	ck_assert_int_eq(zr_rcard_sm_unwrap(ZR_RCARD_GEN2, ks, rsp, 19, out,
	    sizeof(out), &n, &err), -1);
	rsp[0] = 0x86;
	rsp[1] = 9;
	ck_assert_int_eq(zr_rcard_sm_unwrap(ZR_RCARD_GEN2, ks, rsp, 11, out,
	    sizeof(out), &n, &err), -1);
	rsp[1] = 17;
	ck_assert_int_eq(zr_rcard_sm_unwrap(ZR_RCARD_GEN2, ks, rsp, 19, out,
	    8, &n, &err), -1);
	ck_assert_int_eq(err.code, ZR_E_TOO_BIG);
	/* All-zero plain text has no 80 marker. */
	memset(plain, 0, 16);
	zr_rcard_cbc(ZR_RCARD_GEN2, ks, 1, plain, 16, rsp + 3, &err);
	ck_assert_int_eq(zr_rcard_sm_unwrap(ZR_RCARD_GEN2, ks, rsp, 19, out,
	    sizeof(out), &n, &err), -1);
}
END_TEST

/* ---- against the software card -------------------------------------- */

static struct sim_pki pki;
static int pki_ok;

static void
pki_setup(void)
{
	char msg[256];

	pki_ok = sim_pki_init(&pki, NULL, msg, sizeof(msg)) == 0;
}

static void
pki_teardown(void)
{
	if (pki_ok)
		sim_pki_free(&pki);
}

/*
 * A transport in front of the card's: it keeps the APDUs sent and can
 * play a card taken out after a number of commands.
 */
struct spy {
	struct zr_transport inner;
	unsigned long n, pull_after;    /* 0 = never */
	unsigned long nmutual, nverify;
	unsigned char last_mutual[64], last_verify[64];
	size_t mutual_len, verify_len;
};

static int
spy_xfer(void *ctx, const unsigned char *cmd, size_t cmdlen,
    unsigned char *rsp, size_t *rsplen, struct zr_error *err)
{
	struct spy *s = ctx;

	if (s->pull_after > 0 && s->n >= s->pull_after)
		return zr_error_set(err, ZR_E_CARD_REMOVED, "spy",
		    "transmit: card removed");
	s->n++;
	if (cmdlen >= 2 && cmd[1] == 0x82 && cmdlen <= sizeof(s->last_mutual)) {
		s->nmutual++;
		memcpy(s->last_mutual, cmd, cmdlen);
		s->mutual_len = cmdlen;
	}
	if (cmdlen >= 2 && cmd[0] == 0x08 && cmd[1] == 0x20 &&
	    cmdlen <= sizeof(s->last_verify)) {
		s->nverify++;
		memcpy(s->last_verify, cmd, cmdlen);
		s->verify_len = cmdlen;
	}
	return s->inner.xfer(s->inner.ctx, cmd, cmdlen, rsp, rsplen, err);
}

static struct zr_transport
spy_transport(struct spy *s, struct sim_card *c)
{
	struct zr_transport t = { "spy", s, spy_xfer, NULL };

	memset(s, 0, sizeof(*s));
	s->inner = sim_transport(c);
	return t;
}

static void
card_make(struct sim_card *c, const char *variant, const char *number)
{
	ck_assert_msg(pki_ok, "test PKI not made");
	sim_card_init(c);
	ck_assert_int_eq(rcard_sim_build_number(c, &pki, variant, number), 0);
	sim_card_reset(c);
}

/* The whole authentication with the vectors' randoms on both sides
 * gives the official MUTUAL AUTHENTICATE and VERIFY commands. */
START_TEST(test_vector_session)
{
	unsigned char fixed[24], rnd_icc[8], k_icc[16], want[64];
	struct sim_card c;
	struct spy spy;
	struct zr_transport t;
	struct zr_rcard_session s;
	struct zr_error err;
	size_t n;

	card_make(&c, "rcard2", V_NUMBER);
	unhex(V_RND_ICC, rnd_icc);
	unhex(V_K_ICC, k_icc);
	rcard_sim_fix_randoms(&c, rnd_icc, k_icc);
	unhex(V_RND_IFD V_K_IFD, fixed);
	t = spy_transport(&spy, &c);
	ck_assert_msg(zr_rcard_authenticate(&t, ZR_RCARD_GEN2, V_NUMBER,
	    fixed, &s, &err) == 0, "%s", err.msg);
	n = unhex(V_MUTUAL, want);
	ck_assert_uint_eq(spy.mutual_len, n);
	ck_assert_int_eq(memcmp(spy.last_mutual, want, n), 0);
	n = unhex(V_VERIFY, want);
	ck_assert_uint_eq(spy.verify_len, n);
	ck_assert_int_eq(memcmp(spy.last_verify, want, n), 0);
	ck_hex(s.ks, 16, V_KS);
	zr_rcard_session_end(&s);
	sim_card_free(&c);
}
END_TEST

static char *
ca_file(struct sim_card *c)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/zr-rcard-ca-XXXXXX");
	ck_assert_int_ge(fd = mkstemp(path), 0);
	close(fd);
	ck_assert_int_eq(rcard_sim_append_ca(c, path), 0);
	return path;
}

static const char *
field(const struct zr_rcard_field *f, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].key, key) == 0)
			return f[i].value;
	return NULL;
}

static void
check_fields_and_images(const struct zr_rcard *rc)
{
	struct zr_rcard_field f[ZR_RCARD_FIELDS_MAX];
	struct zr_error err;
	char dir[] = "/tmp/zr-rcard-img-XXXXXX", saved[128], path[128];
	size_t n = zr_rcard_fields(rc, f, ZR_RCARD_FIELDS_MAX);
	FILE *fp;
	long size;

	ck_assert_str_eq(field(f, n, "card_type"),
	    "residence card (2nd generation), type '05'");
	ck_assert_str_eq(field(f, n, "stay_expiry"), "2027-01-31");
	ck_assert_str_eq(field(f, n, "birth_date"), "1990-04-01");
	ck_assert_str_eq(field(f, n, "period"), "0300 (3 years)");
	ck_assert_str_eq(field(f, n, "sex"), "male");
	ck_assert_str_eq(field(f, n, "renewal"), "applied for (申請中)");
	ck_assert_ptr_nonnull(strstr(field(f, n, "face_image"), "JPEG 2000"));
	ck_assert_ptr_null(field(f, n, "front_image"));
	/* Fewer slots than lines: cut, never overrun. */
	ck_assert_uint_eq(zr_rcard_fields(rc, f, 3), 3);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(zr_rcard_save_images(rc, dir, saved, sizeof(saved),
	    &err), 0);
	ck_assert_str_eq(saved, "name.tif, face.jp2, address.tif");
	snprintf(path, sizeof(path), "%s/face.jp2", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "rb"));
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fclose(fp);
	ck_assert_int_eq(size, (long)rc->face.len);
	unlink(path);
	snprintf(path, sizeof(path), "%s/name.tif", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/address.tif", dir);
	unlink(path);
	rmdir(dir);
	ck_assert_int_eq(zr_rcard_save_images(rc, dir, saved, sizeof(saved),
	    &err), -1);
	ck_assert_int_eq(err.code, ZR_E_OPEN);
}

START_TEST(test_read_gen1)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_rcard rc;
	struct zr_rcard_sigcheck sc;
	struct zr_error err;
	const char *ca;

	card_make(&c, "rcard1", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	zr_rcard_init(&rc);
	ck_assert_msg(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err) == 0,
	    "%s", err.msg);
	ck_assert_int_eq(rc.gen, ZR_RCARD_GEN1);
	ck_assert_str_eq(rc.type, "1");
	ck_assert_str_eq(rc.spec_version, "0001");
	ck_assert_int_eq(rc.residence, 1);
	ck_assert_str_eq(rc.address, "東京都江東区青海1-2-3 サンプルハイツ101");
	ck_assert_str_eq(rc.municipality, "131083");
	ck_assert_ptr_nonnull(strstr(rc.perm_text, "28時間"));
	ck_assert_str_eq(rc.perm_indiv_text, "");
	ck_assert_int_eq(rc.renewal, 0);
	ck_assert_str_eq(zr_rcard_image_kind(&rc.front, NULL), "TIFF");
	ck_assert_str_eq(zr_rcard_image_kind(&rc.face, NULL), "JPEG 2000");
	ck_assert_uint_eq(rc.sig.len, 256);
	{
		struct zr_rcard_field f[ZR_RCARD_FIELDS_MAX];
		size_t n = zr_rcard_fields(&rc, f, ZR_RCARD_FIELDS_MAX);

		ck_assert_str_eq(field(f, n, "address"),
		    "東京都江東区青海1-2-3 サンプルハイツ101");
		ck_assert_str_eq(field(f, n, "address_date"), "2024-02-01");
		ck_assert_str_eq(field(f, n, "renewal"), "none");
		ck_assert_str_eq(field(f, n, "permission"), "許可：原則週28"
		    "時間以内・風俗営業等の従事を除く");
		ck_assert_ptr_nonnull(strstr(field(f, n, "front_image"),
		    "TIFF"));
		ck_assert_ptr_null(field(f, n, "birth_date"));
	}
	/* No CA: cannot verify, but the signature itself was checked. */
	ck_assert_int_eq(zr_rcard_verify(&rc, NULL, &sc, &err), 0);
	ck_assert_int_eq(sc.verdict, ZR_RCARD_UNVERIFIED);
	ck_assert_ptr_nonnull(strstr(sc.reason, "no CA certificate"));
	ca = ca_file(&c);
	ck_assert_int_eq(zr_rcard_verify(&rc, ca, &sc, &err), 0);
	ck_assert_msg(sc.verdict == ZR_RCARD_GENUINE, "%s", sc.reason);
	ck_assert_int_eq(sc.anchor, ZR_RCARD_ANCHOR_OTHER);
	ck_assert_ptr_nonnull(strstr(sc.anchor_name, "ZairyuCard TEST CA"));
	ck_assert_uint_eq(strlen(sc.anchor_sha256), 95);
	/* One changed byte of the front image: not genuine. */
	rc.front.data[rc.front.len / 2] ^= 0x40;
	ck_assert_int_eq(zr_rcard_verify(&rc, ca, &sc, &err), 0);
	ck_assert_int_eq(sc.verdict, ZR_RCARD_NOT_GENUINE);
	ck_assert_ptr_nonnull(strstr(sc.reason, "does not match"));
	unlink(ca);
	zr_rcard_free(&rc);
	sim_card_free(&c);
}
END_TEST

START_TEST(test_read_gen2)
{
	struct sim_card c, other;
	struct zr_transport t;
	struct zr_rcard rc;
	struct zr_rcard_sigcheck sc;
	struct zr_error err;
	struct zr_facts *f;
	struct zr_rcard_diff d[8];
	size_t n, checked;
	char *text = NULL, *ca, *ca2;
	size_t tlen;

	card_make(&c, "rcard2", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	zr_rcard_init(&rc);
	ck_assert_msg(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err) == 0,
	    "%s", err.msg);
	ck_assert_int_eq(rc.gen, ZR_RCARD_GEN2);
	ck_assert_str_eq(rc.type, "05");
	ck_assert_str_eq(rc.number, RCARD_SIM_NUMBER);
	ck_assert_str_eq(rc.birth, "19900401");
	ck_assert_str_eq(rc.stay_expiry, "20270131");
	ck_assert_str_eq(rc.perm, "1");
	ck_assert_str_eq(rc.perm_expiry, "20270131");
	ck_assert_str_eq(rc.note_flag, "0");
	ck_assert_int_eq(rc.renewal, 1);
	ck_assert_str_eq(zr_rcard_image_kind(&rc.name_img, NULL), "TIFF");
	ck_assert_str_eq(zr_rcard_image_kind(&rc.addr_img, NULL), "TIFF");
	ck_assert_uint_eq(rc.sig.len, 96);
	ca = strdup(ca_file(&c));
	ck_assert_int_eq(zr_rcard_verify(&rc, ca, &sc, &err), 0);
	ck_assert_msg(sc.verdict == ZR_RCARD_GENUINE, "%s", sc.reason);
	ck_assert_ptr_nonnull(strstr(sc.anchor_name, "ZairyuCard TEST CA2"));
	/* Another card's CA: the issuer is not there → cannot verify. */
	card_make(&other, "rcard1", RCARD_SIM_NUMBER);
	ca2 = ca_file(&other);
	ck_assert_int_eq(zr_rcard_verify(&rc, ca2, &sc, &err), 0);
	ck_assert_int_eq(sc.verdict, ZR_RCARD_UNVERIFIED);
	ck_assert_ptr_nonnull(strstr(sc.reason, "not among"));
	unlink(ca2);
	sim_card_free(&other);
	/* A changed printed entry breaks the signature. */
	rc.entries[0] ^= 1;
	ck_assert_int_eq(zr_rcard_verify(&rc, ca, &sc, &err), 0);
	ck_assert_int_eq(sc.verdict, ZR_RCARD_NOT_GENUINE);
	rc.entries[0] ^= 1;
	/* A CA file without certificates is an error. */
	ck_assert_int_eq(zr_rcard_verify(&rc, "/dev/null", &sc, &err), -1);
	/* Facts: the same dates agree; a different birth date does not. */
	ck_assert_int_eq(zr_facts_load("examples/sample/case.facts", &f, &err),
	    0);
	zr_rcard_compare_facts(&rc, f, d, 8, &n, &checked);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(checked, 5);
	zr_facts_set(f, "birth_date", "1990-04-02", &err);
	zr_facts_set(f, "sex", "f", &err);
	zr_rcard_compare_facts(&rc, f, d, 8, &n, &checked);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(d[0].key, "birth_date");
	ck_assert_str_eq(d[0].chip, "1990-04-01");
	ck_assert_str_eq(d[0].facts, "1990-04-02");
	ck_assert_str_eq(d[1].key, "sex");
	zr_facts_free(f);
	/* Facts from the chip. */
	f = zr_facts_new("chip");
	ck_assert_int_eq(zr_rcard_to_facts(&rc, NULL, f, &err), 0);
	ck_assert_int_eq(zr_facts_format(f, &text, &tlen, &err), 0);
	ck_assert_ptr_nonnull(strstr(text, "birth_date = 1990-04-01"));
	ck_assert_ptr_nonnull(strstr(text, "card_number = AB12345678CD"));
	ck_assert_ptr_nonnull(strstr(text, "stay_expiry = 2027-01-31"));
	ck_assert_ptr_nonnull(strstr(text, "sex = M"));
	free(text);
	zr_facts_free(f);
	unlink(ca);
	free(ca);
	check_fields_and_images(&rc);
	zr_rcard_free(&rc);
	sim_card_free(&c);
}
END_TEST

START_TEST(test_read_spr)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_rcard rc;
	struct zr_rcard_sigcheck sc;
	struct zr_error err;
	char *ca;

	card_make(&c, "rcard2-spr", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	zr_rcard_init(&rc);
	ck_assert_msg(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err) == 0,
	    "%s", err.msg);
	ck_assert_int_eq(rc.residence, 0);
	ck_assert_str_eq(rc.stay_expiry, "");
	ck_assert_int_eq(rc.renewal, -1);
	ck_assert_uint_eq(rc.entries_len, 34);
	ca = ca_file(&c);
	ck_assert_int_eq(zr_rcard_verify(&rc, ca, &sc, &err), 0);
	ck_assert_msg(sc.verdict == ZR_RCARD_GENUINE, "%s", sc.reason);
	unlink(ca);
	zr_rcard_free(&rc);
	sim_card_free(&c);
	card_make(&c, "rcard1-spr", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	ck_assert_msg(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(rc.type, "2");
	ck_assert_int_eq(rc.renewal, -1);
	zr_rcard_free(&rc);
	sim_card_free(&c);
}
END_TEST

/* Card types differ (issue 12): a file the card lacks (6A82) is listed
 * as absent and the rest is read; the signature does not cover it. */
START_TEST(test_read_absent)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_rcard rc;
	struct zr_rcard_sigcheck sc;
	struct zr_error err;
	char *ca;

	card_make(&c, "rcard2-spr-absent", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	zr_rcard_init(&rc);
	ck_assert_msg(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(rc.nabsent, 1);
	ck_assert_str_eq(rc.absent[0], "other entries (DF2/EF03)");
	ck_assert_str_eq(rc.note_flag, "");
	ck_assert_str_eq(rc.birth, "19900401");
	ca = ca_file(&c);
	ck_assert_int_eq(zr_rcard_verify(&rc, ca, &sc, &err), 0);
	ck_assert_msg(sc.verdict == ZR_RCARD_GENUINE, "%s", sc.reason);
	unlink(ca);
	zr_rcard_free(&rc);
	sim_card_free(&c);
	/* The same file as EF03: found at the second place. */
	card_make(&c, "rcard2-spr-ef03", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	zr_rcard_init(&rc);
	ck_assert_msg(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(rc.nabsent, 0);
	ck_assert_str_eq(rc.note_flag, "0");
	zr_rcard_free(&rc);
	sim_card_free(&c);
	/* Where it is found first, nothing is absent either. */
	card_make(&c, "rcard2-spr", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	zr_rcard_init(&rc);
	ck_assert_int_eq(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err), 0);
	ck_assert_uint_eq(rc.nabsent, 0);
	ck_assert_str_eq(rc.note_flag, "0");
	zr_rcard_free(&rc);
	sim_card_free(&c);
	/* A first generation card without a permission: 120 '0's are
	 * none. */
	card_make(&c, "rcard1-noperm", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	zr_rcard_init(&rc);
	ck_assert_int_eq(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err), 0);
	ck_assert_str_eq(rc.perm_text, "");
	ck_assert_str_eq(rc.perm_indiv_text, "");
	zr_rcard_free(&rc);
	sim_card_free(&c);
}
END_TEST

START_TEST(test_tampered)
{
	static const char *const v[2] = { "rcard1-tampered", "rcard2-tampered" };

	for (int i = 0; i < 2; i++) {
		struct sim_card c;
		struct zr_transport t;
		struct zr_rcard rc;
		struct zr_rcard_sigcheck sc;
		struct zr_error err;
		char *ca;

		card_make(&c, v[i], RCARD_SIM_NUMBER);
		t = sim_transport(&c);
		zr_rcard_init(&rc);
		ck_assert_int_eq(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err),
		    0);
		ca = ca_file(&c);
		ck_assert_int_eq(zr_rcard_verify(&rc, ca, &sc, &err), 0);
		ck_assert_int_eq(sc.verdict, ZR_RCARD_NOT_GENUINE);
		unlink(ca);
		zr_rcard_free(&rc);
		sim_card_free(&c);
	}
}
END_TEST

START_TEST(test_wrong_number)
{
	static const char *const v[2] = { "rcard1", "rcard2" };

	for (int i = 0; i < 2; i++) {
		struct sim_card c;
		struct spy spy;
		struct zr_transport t;
		struct zr_rcard rc;
		struct zr_error err;

		card_make(&c, v[i], RCARD_SIM_NUMBER);
		t = spy_transport(&spy, &c);
		zr_rcard_init(&rc);
		ck_assert_int_eq(zr_rcard_read(&t, "AB12345678CE", &rc, &err),
		    -1);
		ck_assert_int_eq(err.code, ZR_E_CARD_NUMBER);
		ck_assert_uint_eq(err.sw, 0x6300);
		ck_assert_ptr_nonnull(strstr(err.msg, "AB12345678CE does not "
		    "match this card"));
		/* Tried once, never again. */
		ck_assert_uint_eq(spy.nmutual, 1);
		ck_assert_uint_eq(spy.nverify, 0);
		ck_assert_ptr_null(rc.face.data);
		zr_rcard_free(&rc);
		sim_card_free(&c);
	}
}
END_TEST

START_TEST(test_unknown_and_other_cards)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_rcard rc;
	struct zr_error err;
	struct sim_opts o;

	card_make(&c, "rcard-unknown", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	zr_rcard_init(&rc);
	ck_assert_int_eq(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err), -1);
	ck_assert_int_eq(err.code, ZR_E_WRONG_CARD);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown residence card "
	    "generation: card type '09'"));
	zr_rcard_free(&rc);
	sim_card_free(&c);
	/* A My Number card has no residence card type file. */
	sim_opts_default(&o);
	sim_card_init(&c);
	ck_assert_int_eq(sim_profile_build(&c, &pki, &o, NULL, 0), 0);
	t = sim_transport(&c);
	ck_assert_int_eq(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err), -1);
	ck_assert_int_eq(err.code, ZR_E_WRONG_CARD);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a residence card"));
	zr_rcard_free(&rc);
	sim_card_free(&c);
}
END_TEST

START_TEST(test_short_reader)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_rcard rc;
	struct zr_error err;

	card_make(&c, "rcard2-short", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	zr_rcard_init(&rc);
	ck_assert_int_eq(zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err), -1);
	ck_assert_int_eq(err.code, ZR_E_NO_EXTENDED);
	ck_assert_int_eq(zr_code_exit(err.code), ZR_EXIT_DEVICE);
	ck_assert_ptr_nonnull(strstr(err.msg, "extended-length APDUs"));
	zr_rcard_free(&rc);
	sim_card_free(&c);
}
END_TEST

START_TEST(test_pulled_out)
{
	int pulled = 0;

	/* Taken out at every step from the first command to the last. */
	for (unsigned long after = 1; after < 40; after += 3) {
		struct sim_card c;
		struct spy spy;
		struct zr_transport t;
		struct zr_rcard rc;
		struct zr_error err;
		int rc_;

		card_make(&c, after % 2 ? "rcard2" : "rcard1",
		    RCARD_SIM_NUMBER);
		t = spy_transport(&spy, &c);
		spy.pull_after = after;
		zr_rcard_init(&rc);
		rc_ = zr_rcard_read(&t, RCARD_SIM_NUMBER, &rc, &err);
		if (rc_ < 0) {
			ck_assert_int_eq(err.code, ZR_E_CARD_REMOVED);
			ck_assert_ptr_nonnull(strstr(err.msg, "card removed"));
			ck_assert_uint_eq(spy.n, after);
			pulled++;
		} else {
			/* The whole read took no more than after commands. */
			ck_assert_uint_le(spy.n, after);
		}
		zr_rcard_free(&rc);
		sim_card_free(&c);
	}
	ck_assert_int_ge(pulled, 5);
}
END_TEST

/* A reset drops the session: reads are refused afterwards. */
START_TEST(test_reset_drops_session)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_rcard_session s;
	struct zr_error err;
	unsigned sw;
	struct zr_rapdu r;
	struct zr_apdu a = { 0x00, 0xB0, 0x82, 0x00, NULL, 0, 256, 0 };

	card_make(&c, "rcard1", RCARD_SIM_NUMBER);
	t = sim_transport(&c);
	ck_assert_int_eq(zr_rcard_authenticate(&t, ZR_RCARD_GEN1,
	    RCARD_SIM_NUMBER, NULL, &s, &err), 0);
	ck_assert_int_eq(zr_card_select_aid(&t, zr_rcard_aid_df3, 16, &sw,
	    &err), 0);
	ck_assert_int_eq(zr_card_transmit(&t, &a, &r, &err), 0);
	ck_assert_uint_eq(r.sw, 0x9000);
	sim_card_reset(&c);
	ck_assert_int_eq(zr_card_select_aid(&t, zr_rcard_aid_df3, 16, &sw,
	    &err), 0);
	ck_assert_int_eq(zr_card_transmit(&t, &a, &r, &err), 0);
	ck_assert_uint_eq(r.sw, 0x6982);
	zr_rcard_session_end(&s);
	sim_card_free(&c);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(zr_rcard_sex_name("1"), "male");
	ck_assert_str_eq(zr_rcard_sex_name("3"), "not specified");
	ck_assert_str_eq(zr_rcard_sex_name("x"), "unknown code");
	ck_assert_str_eq(zr_rcard_perm_name("0"), "none");
	ck_assert_str_eq(zr_rcard_work_name("1"), "no work restriction");
}
END_TEST

Suite *
zr_rcard_suite(void)
{
	Suite *s = suite_create("rcard");
	TCase *tc = tcase_create("crypto");
	TCase *tp = tcase_create("parse");
	TCase *tk = tcase_create("card");

	tcase_add_test(tc, test_vector_keys);
	tcase_add_test(tc, test_vector_gen2);
	tcase_add_test(tc, test_vector_gen1);
	tcase_add_test(tc, test_retail_mac_icao);
	tcase_add_test(tc, test_cmac_nist);
	tcase_add_test(tc, test_cbc_errors);
	suite_add_tcase(s, tc);
	tcase_add_test(tp, test_number_form);
	tcase_add_test(tp, test_generation);
	tcase_add_test(tp, test_parse_entries);
	tcase_add_test(tp, test_parse_errors);
	tcase_add_test(tp, test_parse_gen1_text);
	tcase_add_test(tp, test_sm_unwrap);
	tcase_add_test(tp, test_names);
	suite_add_tcase(s, tp);
	tcase_add_unchecked_fixture(tk, pki_setup, pki_teardown);
	tcase_set_timeout(tk, 60);
	tcase_add_test(tk, test_vector_session);
	tcase_add_test(tk, test_read_gen1);
	tcase_add_test(tk, test_read_gen2);
	tcase_add_test(tk, test_read_spr);
	tcase_add_test(tk, test_tampered);
	tcase_add_test(tk, test_wrong_number);
	tcase_add_test(tk, test_unknown_and_other_cards);
	tcase_add_test(tk, test_read_absent);
	tcase_add_test(tk, test_short_reader);
	tcase_add_test(tk, test_pulled_out);
	tcase_add_test(tk, test_reset_drops_session);
	suite_add_tcase(s, tk);
	return s;
}
