/* zairyu-tools: unit tests of the JPKI module against the in-process
 * software card. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "zr_test.h"
#include "../cardsim/cardsim.h"

/* Made once in the runner before the tests fork (RSA keys take time). */
static struct sim_pki pki;
static char ca_path[64];

static void
pki_setup(void)
{
	char msg[128];
	FILE *fp;
	int fd;

	if (sim_pki_init(&pki, NULL, msg, sizeof(msg)) < 0)
		ck_abort_msg("%s", msg);
	snprintf(ca_path, sizeof(ca_path), "/tmp/zr-check-jpki-XXXXXX");
	fd = mkstemp(ca_path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(sim_pki_write_ca(&pki, ca_path), 0);
	fp = fopen(ca_path, "r");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
}

static void
pki_teardown(void)
{
	unlink(ca_path);
	sim_pki_free(&pki);
}

/* Build a card from a profile, with options changed by the caller. */
static void
card(struct sim_card *c, struct zr_transport *t, const struct sim_opts *o)
{
	char msg[128];

	sim_card_init(c);
	if (sim_profile_build(c, &pki, o, msg, sizeof(msg)) < 0)
		ck_abort_msg("%s", msg);
	*t = sim_transport(c);
}

static void
mynumber(struct sim_card *c, struct zr_transport *t)
{
	struct sim_opts o;

	sim_opts_default(&o);
	card(c, t, &o);
}

START_TEST(identify_cards)
{
	static const struct {
		const char *profile;
		int kind;
		const char *label;
		const char *name;
	} tab[] = {
		{ "mynumber", ZR_CARD_MYNUMBER, "JPKIAPICCTOKEN2",
		    "My Number card" },
		{ "mynumber-nfc", ZR_CARD_MYNUMBER, "JPKIAPICCTOKEN2",
		    "My Number card" },
		{ "juki", ZR_CARD_JUKI, "JPKIAPICCTOKEN",
		    "Basic Resident Register card (住基カード)" },
		{ "android", ZR_CARD_PHONE_ANDROID, "JPKIAPGPSETOKEN",
		    "smartphone JPKI (Android)" },
		{ "residence", ZR_CARD_RESIDENCE, "",
		    "residence card (1st generation)" },
		{ "blank", ZR_CARD_UNKNOWN, "", "unknown card" },
	};
	struct sim_card c;
	struct zr_transport t;
	struct zr_card_id id;
	struct zr_error e;
	struct sim_opts o;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		sim_opts_default(&o);
		o.profile = tab[i].profile;
		card(&c, &t, &o);
		ck_assert_int_eq(zr_card_identify(&t, &id, &e), 0);
		ck_assert_int_eq(id.kind, tab[i].kind);
		ck_assert_str_eq(id.label, tab[i].label);
		ck_assert_str_eq(zr_card_kind_name(&id), tab[i].name);
		/* Identifying spends nothing. */
		ck_assert_uint_eq(c.nverify_data, 0);
		if (tab[i].kind == ZR_CARD_RESIDENCE)
			ck_assert_str_eq(id.residence_type, "1");
		sim_card_free(&c);
	}
	/* Not by ATR: a Juki label behind a My Number ATR is a Juki card. */
	sim_opts_default(&o);
	o.profile = "juki";
	card(&c, &t, &o);
	memcpy(c.atr, "\x3B\xDA\x13", 3);
	ck_assert_int_eq(zr_card_identify(&t, &id, &e), 0);
	ck_assert_int_eq(id.kind, ZR_CARD_JUKI);
	sim_card_free(&c);
}
END_TEST

START_TEST(kind_names)
{
	struct zr_card_id id;
	const char *types[] = { "2", "05", "06", "07", "09" };
	const char *names[] = {
		"special permanent resident certificate (1st generation)",
		"residence card (2nd generation)",
		"special permanent resident certificate (2nd generation)",
		"specified residence card (My Number integrated)",
		"residence card (unknown type)" };

	memset(&id, 0, sizeof(id));
	id.kind = ZR_CARD_RESIDENCE;
	for (size_t i = 0; i < 5; i++) {
		snprintf(id.residence_type, sizeof(id.residence_type), "%s",
		    types[i]);
		ck_assert_str_eq(zr_card_kind_name(&id), names[i]);
	}
	id.kind = ZR_CARD_PHONE_IOS;
	ck_assert_str_eq(zr_card_kind_name(&id), "smartphone JPKI (iPhone)");
}
END_TEST

START_TEST(select_wrong_card)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_error e;
	struct sim_opts o;

	sim_opts_default(&o);
	o.profile = "residence";
	card(&c, &t, &o);
	ck_assert_int_eq(zr_jpki_select(&t, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_WRONG_CARD);
	sim_card_free(&c);
}
END_TEST

START_TEST(status_spends_nothing)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_pin_status st;
	struct zr_error e;

	mynumber(&c, &t);
	ck_assert_int_eq(zr_jpki_select(&t, &e), 0);
	for (int round = 0; round < 3; round++) {
		ck_assert_int_eq(zr_jpki_pin_status(&t, ZR_JPKI_AUTH, &st, &e),
		    0);
		ck_assert_int_eq(st.tries, 3);
		ck_assert_int_eq(st.blocked, 0);
		ck_assert_uint_eq(st.sw, 0x63C3);
		ck_assert_int_eq(zr_jpki_pin_status(&t, ZR_JPKI_SIGN, &st, &e),
		    0);
		ck_assert_int_eq(st.tries, 5);
	}
	ck_assert_uint_eq(c.nverify_data, 0);
	ck_assert_int_eq(sim_find_pin(&c.app[1], ZR_JPKI_EF_AUTH_PIN)->tries,
	    3);
	sim_card_free(&c);
}
END_TEST

START_TEST(verify_wrong_right_blocked)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_pin_status st;
	struct zr_error e;
	unsigned long n;

	mynumber(&c, &t);
	ck_assert_int_eq(zr_jpki_select(&t, &e), 0);
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_SIGN, "WRONG9", 6, 0, &st,
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIN_WRONG);
	ck_assert_uint_eq(e.sw, 0x63C4);
	ck_assert_int_eq(st.tries, 4);
	ck_assert_str_eq(e.msg, "wrong signature password: 4 tries left");
	ck_assert_int_eq(zr_jpki_pin_status(&t, ZR_JPKI_SIGN, &st, &e), 0);
	ck_assert_int_eq(st.tries, 4);
	/* Right: counter back to 5, then the status says "verified". */
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_SIGN, "ABC123", 6, 0, &st,
	    &e), 0);
	ck_assert_int_eq(st.verified, 1);
	ck_assert_int_eq(sim_find_pin(&c.app[1], ZR_JPKI_EF_SIGN_PIN)->tries,
	    5);
	ck_assert_int_eq(zr_jpki_pin_status(&t, ZR_JPKI_SIGN, &st, &e), 0);
	ck_assert_int_eq(st.verified, 1);
	ck_assert_int_eq(st.tries, -1);
	/* Three wrong auth PINs block it: 63C2, 63C1, then 63C0. */
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_AUTH, "0000", 4, 0, &st,
	    &e), -1);
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_AUTH, "0000", 4, 0, &st,
	    &e), -1);
	ck_assert_str_eq(e.msg, "wrong authentication PIN: 1 try left");
	/* The last try is spent only with an explicit override: without it
	 * no secret reaches the card. */
	n = c.nverify_data;
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_AUTH, "0000", 4, 0, &st,
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIN_LAST);
	ck_assert_int_eq(st.tries, 1);
	ck_assert_uint_eq(c.nverify_data, n);
	ck_assert_str_eq(e.msg, "authentication PIN: only 1 try left, and a "
	    "wrong entry blocks it; not tried");
	ck_assert_int_eq(sim_find_pin(&c.app[1], ZR_JPKI_EF_AUTH_PIN)->tries,
	    1);
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_AUTH, "0000", 4,
	    ZR_JPKI_LAST_TRY, &st, &e), -1);
	ck_assert_uint_eq(c.nverify_data, n + 1);
	ck_assert_int_eq(e.code, ZR_E_PIN_LOCKED);
	ck_assert_int_eq(st.blocked, 1);
	ck_assert_int_eq(zr_jpki_pin_status(&t, ZR_JPKI_AUTH, &st, &e), 0);
	ck_assert_int_eq(st.blocked, 1);
	ck_assert_int_eq(st.tries, 0);
	/* Even the right PIN is refused, and never sent: the status
	 * query (63C0) says it is blocked. */
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_AUTH, "1234", 4,
	    ZR_JPKI_LAST_TRY, &st, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIN_LOCKED);
	ck_assert_uint_eq(e.sw, 0x63C0);
	ck_assert_uint_eq(c.nverify_data, n + 1);
	ck_assert_int_eq(zr_code_exit(e.code), ZR_EXIT_PROBLEM);
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_AUTH, "", 0, 0, &st, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_PIN_FORMAT);
	sim_card_free(&c);
}
END_TEST

START_TEST(sign_needs_verify)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_pin_status st;
	struct zr_error e;
	unsigned char chal[32], hash[32], di[ZR_DIGESTINFO_SHA256_LEN];
	unsigned char sig[512], *der;
	size_t siglen, len;

	mynumber(&c, &t);
	ck_assert_int_eq(zr_jpki_select(&t, &e), 0);
	ck_assert_int_eq(RAND_bytes(chal, sizeof(chal)), 1);
	ck_assert_int_eq(EVP_Digest(chal, sizeof(chal), hash, NULL,
	    EVP_sha256(), NULL), 1);
	zr_digestinfo_sha256(hash, di);
	ck_assert_int_eq(di[0], 0x30);
	ck_assert_int_eq(di[1], 0x31);
	ck_assert_mem_eq(di + 19, hash, 32);
	ck_assert_int_eq(zr_jpki_sign(&t, ZR_JPKI_AUTH, di, sizeof(di), sig,
	    sizeof(sig), &siglen, &e), -1);
	ck_assert_uint_eq(e.sw, 0x6982);
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_AUTH, "1234", 4, 0, &st,
	    &e), 0);
	ck_assert_int_eq(zr_jpki_sign(&t, ZR_JPKI_AUTH, di, sizeof(di), sig,
	    sizeof(sig), &siglen, &e), 0);
	ck_assert_uint_eq(siglen, 256);
	ck_assert_int_eq(zr_jpki_read_cert(&t, ZR_JPKI_EF_AUTH_CERT, &der,
	    &len, &e), 0);
	ck_assert_int_eq(zr_cert_verify_rsa_sha256(der, len, chal,
	    sizeof(chal), sig, siglen, &e), 0);
	chal[0] ^= 1;
	ck_assert_int_eq(zr_cert_verify_rsa_sha256(der, len, chal,
	    sizeof(chal), sig, siglen, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CERT);
	/* The sign key is still locked: its password was not given. */
	ck_assert_int_eq(zr_jpki_sign(&t, ZR_JPKI_SIGN, di, sizeof(di), sig,
	    sizeof(sig), &siglen, &e), -1);
	ck_assert_uint_eq(e.sw, 0x6982);
	/* A reset drops the verified state. */
	ck_assert_int_eq(t.reset(t.ctx, &e), 0);
	ck_assert_int_eq(zr_jpki_select(&t, &e), 0);
	ck_assert_int_eq(zr_jpki_sign(&t, ZR_JPKI_AUTH, di, sizeof(di), sig,
	    sizeof(sig), &siglen, &e), -1);
	ck_assert_uint_eq(e.sw, 0x6982);
	ck_assert_int_eq(zr_jpki_sign(&t, ZR_JPKI_AUTH, di, 0, sig,
	    sizeof(sig), &siglen, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	free(der);
	sim_card_free(&c);
}
END_TEST

START_TEST(sign_cert_contents)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_pin_status st;
	struct zr_cert_info ci;
	struct zr_error e;
	unsigned char *der;
	size_t len;

	mynumber(&c, &t);
	ck_assert_int_eq(zr_jpki_select(&t, &e), 0);
	/* card-facts §1.2: the signature certificate needs the password. */
	ck_assert_int_eq(zr_jpki_read_cert(&t, ZR_JPKI_EF_SIGN_CERT, &der,
	    &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CARD);
	ck_assert_uint_eq(e.sw, 0x6982);
	ck_assert_ptr_null(der);
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_SIGN, "ABC123", 6, 0, &st,
	    &e), 0);
	ck_assert_int_eq(zr_jpki_read_cert(&t, ZR_JPKI_EF_SIGN_CERT, &der,
	    &len, &e), 0);
	ck_assert_int_eq(zr_cert_parse(der, len, &ci, &e), 0);
	ck_assert_str_eq(ci.name, "SAMPLE TARO JOHN");
	ck_assert_str_eq(ci.birth, "1990-04-01");
	ck_assert_str_eq(ci.sex, "male");
	ck_assert_str_eq(ci.address,
	    "東京都江東区青海1-2-3 サンプルハイツ101");
	ck_assert_int_eq(ci.key_bits, 2048);
	ck_assert_str_eq(ci.issuer,
	    "OU=JPKI TEST CA (not J-LIS),O=zairyu-tools TEST,C=JP");
	ck_assert_int_eq(zr_jpki_verify_chain(der, len, ca_path, time(NULL),
	    NULL, 0, &e), 0);
	free(der);
	sim_card_free(&c);
}
END_TEST

START_TEST(auth_cert_dates)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_cert_info ci;
	struct zr_error e;
	struct sim_opts o;
	struct zr_date today;
	unsigned char *der;
	size_t len;

	sim_opts_default(&o);
	o.valid_from = -10;
	o.valid_to = 50;
	card(&c, &t, &o);
	ck_assert_int_eq(zr_jpki_select(&t, &e), 0);
	ck_assert_int_eq(zr_jpki_read_cert(&t, ZR_JPKI_EF_AUTH_CERT, &der,
	    &len, &e), 0);
	ck_assert_int_eq(zr_cert_parse(der, len, &ci, &e), 0);
	ck_assert_str_eq(ci.subject, "CN=TEST0000000000000001,C=JP");
	ck_assert_str_eq(ci.name, "");          /* no personal data */
	ck_assert_int_eq(zr_date_today_jst(&today, &e), 0);
	ck_assert_int_ge(zr_date_diff(today, ci.na_jst), 49);
	ck_assert_int_le(zr_date_diff(today, ci.na_jst), 51);
	ck_assert(ci.not_after - ci.not_before == 60L * 86400);
	/* The chain, inside and outside the validity period. */
	ck_assert_int_eq(zr_jpki_verify_chain(der, len, ca_path, time(NULL),
	    NULL, 0, &e), 0);
	ck_assert_int_eq(zr_jpki_verify_chain(der, len, ca_path,
	    ci.not_after + 10, NULL, 0, &e), -1);
	ck_assert_str_eq(e.msg, "certificate has expired");
	ck_assert_int_eq(zr_jpki_verify_chain(der, len, ca_path,
	    ci.not_before - 10, NULL, 0, &e), -1);
	ck_assert_str_eq(e.msg, "certificate is not yet valid");
	/* Bundled J-LIS roots do not trust the test CA. */
	ck_assert_int_eq(zr_jpki_verify_chain(der, len, NULL, time(NULL),
	    NULL, 0, &e), -1);
	ck_assert_str_eq(e.msg, "unable to get local issuer certificate");
	ck_assert_int_eq(zr_jpki_verify_chain(der, len, "/nonexistent/ca.pem",
	    time(NULL), NULL, 0, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_OPEN);
	free(der);
	sim_card_free(&c);
}
END_TEST

START_TEST(untrusted_chain)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_error e;
	struct sim_opts o;
	unsigned char *der;
	size_t len;

	sim_opts_default(&o);
	o.untrusted = 1;
	card(&c, &t, &o);
	ck_assert_int_eq(zr_jpki_select(&t, &e), 0);
	ck_assert_int_eq(zr_jpki_read_cert(&t, ZR_JPKI_EF_AUTH_CERT, &der,
	    &len, &e), 0);
	ck_assert_int_eq(zr_jpki_verify_chain(der, len, ca_path, time(NULL),
	    NULL, 0, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CERT);
	free(der);
	sim_card_free(&c);
}
END_TEST

START_TEST(bundled_roots)
{
	/* Each root verifies as its own anchor while valid (card-facts
	 * §2.1): 2015 roots until 2025-10-19, 2023 roots until 2033. */
	struct tm tm = { .tm_year = 2024 - 1900, .tm_mon = 0, .tm_mday = 1 };
	time_t when = timegm(&tm);
	/* sign 2015 19..55, sign 2023 D2..5F, auth 2015 4D..7D,
	 * auth 2023 64..B5 */
	static const unsigned char fp0[] = { 0x19, 0xD2, 0x4D, 0x64 };
	static const unsigned char fp31[] = { 0x55, 0x5F, 0x7D, 0xB5 };
	unsigned char md[32];
	struct zr_error e;
	char anchor[256];

	ck_assert_uint_eq(zr_jpki_root_count(), 4);
	ck_assert_ptr_null(zr_jpki_root_pem(4));
	for (size_t i = 0; i < zr_jpki_root_count(); i++) {
		const char *pem = zr_jpki_root_pem(i);
		BIO *b = BIO_new_mem_buf(pem, -1);
		X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
		unsigned char *der = NULL;
		int len = i2d_X509(x, &der);
		struct zr_cert_info ci;

		ck_assert_int_gt(len, 0);
		ck_assert_int_eq(zr_cert_parse(der, (size_t)len, &ci, &e), 0);
		ck_assert_int_eq(ci.key_bits, 2048);
		ck_assert_ptr_nonnull(strstr(ci.subject, "O=JPKI,C=JP"));
		ck_assert_msg(zr_jpki_verify_chain(der, (size_t)len, NULL,
		    when, anchor, sizeof(anchor), &e) == 0, "root %zu: %s", i,
		    e.msg);
		ck_assert_str_eq(anchor, ci.subject);
		/* The SHA-256 fingerprints of card-facts §2.1, in order. */
		ck_assert_int_eq(EVP_Digest(der, (size_t)len, md, NULL,
		    EVP_sha256(), NULL), 1);
		ck_assert_int_eq(md[0], fp0[i]);
		ck_assert_int_eq(md[31], fp31[i]);
		OPENSSL_free(der);
		X509_free(x);
		BIO_free(b);
	}
}
END_TEST

/* A certificate named dn, for key, signed by ikey under issuer name idn. */
static X509 *
plain_cert(const char *dn, EVP_PKEY *key, const char *idn, EVP_PKEY *ikey,
    int ca)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new(), *in = X509_NAME_new();
	BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();

	ck_assert_ptr_nonnull(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), ca ? 7 : 8);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_ASC,
	    (const unsigned char *)dn, -1, -1, 0);
	X509_NAME_add_entry_by_txt(in, "OU", MBSTRING_ASC,
	    (const unsigned char *)idn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, in);
	X509_set_pubkey(x, key);
	if (ca) {
		bc->ca = 1;
		X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, 0);
	}
	ck_assert_int_gt(X509_sign(x, ikey, EVP_sha256()), 0);
	BASIC_CONSTRAINTS_free(bc);
	X509_NAME_free(n);
	X509_NAME_free(in);
	return x;
}

START_TEST(same_name_roots)
{
	/* Two anchors with one name (as the J-LIS 2015 and 2023 roots), a
	 * certificate without authority key identifier from the second. */
	X509 *r1 = plain_cert("Same Root", pki.rogue_key, "Same Root",
	    pki.rogue_key, 1);
	X509 *r2 = plain_cert("Same Root", pki.ca_key, "Same Root",
	    pki.ca_key, 1);
	X509 *leaf = plain_cert("Leaf", pki.auth_key, "Same Root",
	    pki.ca_key, 0);
	char path[] = "/tmp/zr-check-roots-XXXXXX";
	unsigned char *der = NULL;
	struct zr_error e;
	FILE *fp;
	int fd = mkstemp(path), len;

	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	PEM_write_X509(fp, r1);
	PEM_write_X509(fp, r2);
	fclose(fp);
	len = i2d_X509(leaf, &der);
	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(zr_jpki_verify_chain(der, (size_t)len, path,
	    time(NULL), NULL, 0, &e), 0);
	/* Only the wrong one: the signature does not match. */
	fp = fopen(path, "w");
	PEM_write_X509(fp, r1);
	fclose(fp);
	ck_assert_int_eq(zr_jpki_verify_chain(der, (size_t)len, path,
	    time(NULL), NULL, 0, &e), -1);
	ck_assert_str_eq(e.msg, "certificate signature failure");
	unlink(path);
	OPENSSL_free(der);
	X509_free(r1);
	X509_free(r2);
	X509_free(leaf);
}
END_TEST

START_TEST(secret_forms)
{
	char pw[32];
	struct zr_error e;
	int changed;

	snprintf(pw, sizeof(pw), "abc123");
	ck_assert_int_eq(zr_jpki_check_secret(ZR_JPKI_SIGN, pw, 6, &changed,
	    &e), 0);
	ck_assert_str_eq(pw, "ABC123");
	ck_assert_int_eq(changed, 1);
	snprintf(pw, sizeof(pw), "ABCDEFGHIJKLMNOP");
	ck_assert_int_eq(zr_jpki_check_secret(ZR_JPKI_SIGN, pw, 16, &changed,
	    &e), 0);
	ck_assert_int_eq(changed, 0);
	snprintf(pw, sizeof(pw), "ABC12");
	ck_assert_int_eq(zr_jpki_check_secret(ZR_JPKI_SIGN, pw, 5, &changed,
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIN_FORMAT);
	ck_assert_str_eq(e.msg,
	    "the signature password has 6 to 16 characters, not 5");
	snprintf(pw, sizeof(pw), "ABCDEFGHIJKLMNOPQ");
	ck_assert_int_eq(zr_jpki_check_secret(ZR_JPKI_SIGN, pw, 17, &changed,
	    &e), -1);
	snprintf(pw, sizeof(pw), "ABC-12");
	ck_assert_int_eq(zr_jpki_check_secret(ZR_JPKI_SIGN, pw, 6, &changed,
	    &e), -1);
	ck_assert_str_eq(e.msg, "the signature password has only A-Z and 0-9 "
	    "(character 4 is not one of them)");
	/* The message never repeats the secret. */
	ck_assert_ptr_null(strstr(e.msg, "ABC"));
	snprintf(pw, sizeof(pw), "1234");
	ck_assert_int_eq(zr_jpki_check_secret(ZR_JPKI_AUTH, pw, 4, &changed,
	    &e), 0);
	snprintf(pw, sizeof(pw), "12a4");
	ck_assert_int_eq(zr_jpki_check_secret(ZR_JPKI_AUTH, pw, 4, &changed,
	    &e), -1);
	ck_assert_int_eq(zr_jpki_check_secret(ZR_JPKI_AUTH, pw, 3, &changed,
	    &e), -1);
	ck_assert_int_eq(zr_code_exit(e.code), ZR_EXIT_INPUT);
}
END_TEST

START_TEST(garbage_certs)
{
	static const unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	struct zr_cert_info ci;
	struct zr_error e;
	unsigned char *der, *longer;
	struct sim_card c;
	struct zr_transport t;
	size_t len;

	ck_assert_int_eq(zr_cert_parse(junk, sizeof(junk), &ci, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CERT);
	ck_assert_int_eq(zr_cert_parse(junk, 0, &ci, &e), -1);
	/* A real certificate with trailing bytes is refused. */
	mynumber(&c, &t);
	ck_assert_int_eq(zr_jpki_select(&t, &e), 0);
	ck_assert_int_eq(zr_jpki_read_cert(&t, ZR_JPKI_EF_AUTH_CA, &der, &len,
	    &e), 0);
	ck_assert_int_eq(zr_cert_parse(der, len, &ci, &e), 0);
	longer = malloc(len + 1);
	ck_assert_ptr_nonnull(longer);
	memcpy(longer, der, len);
	longer[len] = 0;
	ck_assert_int_eq(zr_cert_parse(longer, len + 1, &ci, &e), -1);
	ck_assert_int_eq(zr_cert_verify_rsa_sha256(junk, sizeof(junk),
	    junk, 1, junk, 1, &e), -1);
	free(longer);
	free(der);
	sim_card_free(&c);
}
END_TEST

/*
 * The same bytes parsed again give the same answers, and bytes changed in
 * the same buffer are read anew (der_cert keeps the last certificate it
 * parsed, by its bytes, not by where they are).
 */
START_TEST(parsed_again)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_pin_status st;
	struct zr_cert_info a1, a2, s1;
	struct zr_error e;
	unsigned char *auth, *sign;
	size_t alen, slen;
	time_t now = time(NULL);

	mynumber(&c, &t);
	ck_assert_int_eq(zr_jpki_select(&t, &e), 0);
	ck_assert_int_eq(zr_jpki_read_cert(&t, ZR_JPKI_EF_AUTH_CERT, &auth,
	    &alen, &e), 0);
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_SIGN, "ABC123", 6, 0, &st,
	    &e), 0);
	ck_assert_int_eq(zr_jpki_read_cert(&t, ZR_JPKI_EF_SIGN_CERT, &sign,
	    &slen, &e), 0);
	ck_assert_int_eq(zr_cert_parse(auth, alen, &a1, &e), 0);
	ck_assert_int_eq(zr_cert_parse(sign, slen, &s1, &e), 0);
	ck_assert_int_eq(zr_cert_parse(auth, alen, &a2, &e), 0);
	ck_assert_int_eq(memcmp(&a1, &a2, sizeof(a1)), 0);
	ck_assert_str_eq(s1.name, "SAMPLE TARO JOHN");
	ck_assert_str_eq(a1.name, "");
	ck_assert_int_eq(zr_jpki_verify_chain(auth, alen, ca_path, now, NULL,
	    0, &e), 0);
	ck_assert_int_eq(zr_jpki_verify_chain(auth, alen, ca_path, now, NULL,
	    0, &e), 0);
	/* One bit of the signature changed where it lies: the chain fails,
	 * as a fresh parse of those bytes says; changed back, it holds. */
	auth[alen - 5] ^= 1;
	ck_assert_int_eq(zr_jpki_verify_chain(auth, alen, ca_path, now, NULL,
	    0, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CERT);
	auth[alen - 5] ^= 1;
	ck_assert_int_eq(zr_jpki_verify_chain(auth, alen, ca_path, now, NULL,
	    0, &e), 0);
	ck_assert_int_eq(zr_jpki_verify_chain(sign, slen, ca_path, now, NULL,
	    0, &e), 0);
	free(auth);
	free(sign);
	sim_card_free(&c);
}
END_TEST

START_TEST(t0_card_flow)
{
	struct sim_card c;
	struct zr_transport t;
	struct zr_card_id id;
	struct zr_pin_status st;
	struct zr_error e;
	struct sim_opts o;
	unsigned char di[ZR_DIGESTINFO_SHA256_LEN] = { 0 }, sig[512], *der;
	size_t siglen, len;

	sim_opts_default(&o);
	o.t0_chunk = 100;
	o.exact_le = 1;
	card(&c, &t, &o);
	ck_assert_int_eq(zr_card_identify(&t, &id, &e), 0);
	ck_assert_int_eq(id.kind, ZR_CARD_MYNUMBER);
	ck_assert_int_eq(zr_jpki_read_cert(&t, ZR_JPKI_EF_AUTH_CERT, &der,
	    &len, &e), 0);
	ck_assert_int_eq(zr_jpki_verify(&t, ZR_JPKI_AUTH, "1234", 4, 0, &st,
	    &e), 0);
	ck_assert_int_eq(zr_jpki_sign(&t, ZR_JPKI_AUTH, di, sizeof(di), sig,
	    sizeof(sig), &siglen, &e), 0);
	ck_assert_uint_eq(siglen, 256);
	ck_assert_uint_eq(c.nsign, 1);
	free(der);
	sim_card_free(&c);
	/* 6Cxx on the residence card's type file. */
	o.profile = "residence";
	card(&c, &t, &o);
	ck_assert_int_eq(zr_card_identify(&t, &id, &e), 0);
	ck_assert_int_eq(id.kind, ZR_CARD_RESIDENCE);
	sim_card_free(&c);
}
END_TEST

Suite *
zr_jpki_suite(void)
{
	Suite *s = suite_create("jpki");
	TCase *tc = tcase_create("card");

	/* Unchecked: the keys are made once, before the tests fork. */
	tcase_add_unchecked_fixture(tc, pki_setup, pki_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, identify_cards);
	tcase_add_test(tc, kind_names);
	tcase_add_test(tc, select_wrong_card);
	tcase_add_test(tc, status_spends_nothing);
	tcase_add_test(tc, verify_wrong_right_blocked);
	tcase_add_test(tc, sign_needs_verify);
	tcase_add_test(tc, sign_cert_contents);
	tcase_add_test(tc, auth_cert_dates);
	tcase_add_test(tc, untrusted_chain);
	tcase_add_test(tc, bundled_roots);
	tcase_add_test(tc, same_name_roots);
	tcase_add_test(tc, secret_forms);
	tcase_add_test(tc, garbage_certs);
	tcase_add_test(tc, parsed_again);
	tcase_add_test(tc, t0_card_flow);
	suite_add_tcase(s, tc);
	return s;
}
