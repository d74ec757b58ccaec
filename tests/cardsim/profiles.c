/* zairyu-tools tests: card profiles (My Number card, Juki card, phone
 * token, residence card) and the test PKI behind them. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "zairyu/jpki.h"

#include "cardsim.h"
#include "rcard_sim.h"

/* ---- test PKI ---------------------------------------------------- */

int sim_rsa_bits = 2048;

static EVP_PKEY *
load_or_make_key(const char *dir, const char *name)
{
	char path[4096];
	EVP_PKEY *k = NULL;
	FILE *fp;

	if (dir != NULL) {
		snprintf(path, sizeof(path), "%s/%s.pem", dir, name);
		if ((fp = fopen(path, "r")) != NULL) {
			k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
			fclose(fp);
			if (k != NULL)
				return k;
		}
	}
	/* RSA-2048 like the card's keys (card-facts §1.3), unless the
	 * caller asked for less (sim_rsa_bits). */
	if ((k = EVP_RSA_gen((unsigned)sim_rsa_bits)) == NULL)
		return NULL;
	if (dir != NULL && (fp = fopen(path, "w")) != NULL) {
		chmod(path, 0600);
		PEM_write_PrivateKey(fp, k, NULL, NULL, 0, NULL, NULL);
		fclose(fp);
	}
	return k;
}

static int
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ex;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return -1;
	X509_add_ext(x, ex, -1);
	X509_EXTENSION_free(ex);
	return 0;
}

static void
name_add(X509_NAME *n, const char *field, const char *value)
{
	X509_NAME_add_entry_by_txt(n, field, MBSTRING_UTF8,
	    (const unsigned char *)value, -1, -1, 0);
}

static X509 *
make_ca(EVP_PKEY *key, const char *cn, long serial)
{
	X509 *x = X509_new();
	X509_NAME *n;

	if (x == NULL)
		return NULL;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -3650L * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400);
	n = X509_get_subject_name(x);
	name_add(n, "C", "JP");
	name_add(n, "O", "zairyu-tools TEST");
	name_add(n, "OU", cn);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, key);
	if (add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") < 0 ||
	    add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") < 0 ||
	    add_ext(x, x, NID_subject_key_identifier, "hash") < 0 ||
	    X509_sign(x, key, EVP_sha256()) == 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

int
sim_pki_init(struct sim_pki *pki, const char *keydir, char *msg, size_t n)
{
	memset(pki, 0, sizeof(*pki));
	if ((pki->ca_key = load_or_make_key(keydir, "ca")) == NULL ||
	    (pki->rogue_key = load_or_make_key(keydir, "rogue")) == NULL ||
	    (pki->auth_key = load_or_make_key(keydir, "auth")) == NULL ||
	    (pki->sign_key = load_or_make_key(keydir, "sign")) == NULL) {
		snprintf(msg, n, "cannot make RSA keys");
		sim_pki_free(pki);
		return -1;
	}
	pki->ca = make_ca(pki->ca_key, "JPKI TEST CA (not J-LIS)", 1);
	pki->rogue = make_ca(pki->rogue_key, "ROGUE TEST CA", 2);
	if (pki->ca == NULL || pki->rogue == NULL) {
		snprintf(msg, n, "cannot make the test CA certificates");
		sim_pki_free(pki);
		return -1;
	}
	return 0;
}

void
sim_pki_free(struct sim_pki *pki)
{
	EVP_PKEY_free(pki->ca_key);
	EVP_PKEY_free(pki->rogue_key);
	EVP_PKEY_free(pki->auth_key);
	EVP_PKEY_free(pki->sign_key);
	X509_free(pki->ca);
	X509_free(pki->rogue);
	memset(pki, 0, sizeof(*pki));
}

int
sim_pki_write_ca(const struct sim_pki *pki, const char *path)
{
	FILE *fp = fopen(path, "w");
	int ok;

	if (fp == NULL)
		return -1;
	ok = PEM_write_X509(fp, pki->ca);
	return fclose(fp) == 0 && ok ? 0 : -1;
}

/* otherName { oid, [0] UTF8String } for the signature certificate's SAN. */
static int
san_add(GENERAL_NAMES *gens, const char *oid, const char *value)
{
	GENERAL_NAME *g = GENERAL_NAME_new();
	ASN1_TYPE *t = ASN1_TYPE_new();
	ASN1_UTF8STRING *s = ASN1_UTF8STRING_new();
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);

	if (g == NULL || t == NULL || s == NULL || o == NULL ||
	    ASN1_STRING_set(s, value, -1) != 1) {
		GENERAL_NAME_free(g);
		ASN1_TYPE_free(t);
		ASN1_UTF8STRING_free(s);
		ASN1_OBJECT_free(o);
		return -1;
	}
	ASN1_TYPE_set(t, V_ASN1_UTF8STRING, s);
	GENERAL_NAME_set0_othername(g, o, t);
	sk_GENERAL_NAME_push(gens, g);
	return 0;
}

/*
 * A user certificate: the authentication one has an opaque CN and no
 * personal data, the signature one carries name, birth date, sex and
 * address in subjectAltName (card-facts §2.2, §2.3).
 */
static X509 *
make_user(const struct sim_pki *pki, const struct sim_opts *o, int sign,
    long serial)
{
	EVP_PKEY *ikey = o->untrusted ? pki->rogue_key : pki->ca_key;
	X509 *issuer = o->untrusted ? pki->rogue : pki->ca;
	X509 *x = X509_new();
	X509_NAME *n;
	GENERAL_NAMES *gens;

	if (x == NULL)
		return NULL;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), o->valid_from * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), o->valid_to * 86400);
	n = X509_get_subject_name(x);
	name_add(n, "C", "JP");
	if (sign) {
		name_add(n, "L", "Tokyo-to");
		name_add(n, "L", "Koto-ku");
		name_add(n, "CN", "TEST0000000000000002");
	} else {
		name_add(n, "CN", "TEST0000000000000001");
	}
	X509_set_issuer_name(x, X509_get_subject_name(issuer));
	X509_set_pubkey(x, sign ? pki->sign_key : pki->auth_key);
	if (add_ext(x, issuer, NID_key_usage, sign ?
	    "critical,digitalSignature,nonRepudiation" :
	    "critical,digitalSignature") < 0 ||
	    add_ext(x, issuer, NID_authority_key_identifier, "keyid") < 0)
		goto fail;
	if (sign) {
		/* The invented person of examples/sample/case.facts. */
		if ((gens = sk_GENERAL_NAME_new_null()) == NULL)
			goto fail;
		if (san_add(gens, "1.2.392.200149.8.5.5.1",
		    "SAMPLE TARO JOHN") < 0 ||
		    san_add(gens, "1.2.392.200149.8.5.5.3", "1") < 0 ||
		    san_add(gens, "1.2.392.200149.8.5.5.4", "419900401") < 0 ||
		    san_add(gens, "1.2.392.200149.8.5.5.5",
		    "東京都江東区青海1-2-3 サンプルハイツ101") < 0 ||
		    X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0,
		    X509V3_ADD_DEFAULT) != 1) {
			GENERAL_NAMES_free(gens);
			goto fail;
		}
		GENERAL_NAMES_free(gens);
	}
	if (X509_sign(x, ikey, EVP_sha256()) == 0)
		goto fail;
	return x;
fail:
	X509_free(x);
	return NULL;
}

static int
add_cert_ef(struct sim_app *a, unsigned fid, X509 *x, unsigned read_pin)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);
	struct sim_ef *ef;

	if (len <= 0)
		return -1;
	ef = sim_add_ef(a, fid, 0, der, (size_t)len, read_pin);
	OPENSSL_free(der);
	return ef != NULL ? 0 : -1;
}

/* ---- the JPKI application ---------------------------------------- */

/* COMPUTE DIGITAL SIGNATURE 80 2A 00 80 (card-facts §1.3). */
static int
jpki_handler(struct sim_card *c, struct sim_app *app,
    const struct zr_apdu *cmd, unsigned char *rsp, size_t *rlen)
{
	struct sim_key *k = c->cur_key;
	EVP_PKEY_CTX *ctx;
	unsigned char sig[512];
	size_t siglen = sizeof(sig);

	if (cmd->cla != 0x80 || cmd->ins != 0x2A)
		return 0;
	if (cmd->p1 != 0x00 || (cmd->p2 != 0x80 && (cmd->p2 & 0xE0) != 0x80)) {
		sim_sw(rsp, rlen, 0x6A86);
		return 1;
	}
	if (cmd->p2 != 0x80) {                  /* 80 | SFI of the key */
		k = NULL;
		for (size_t i = 0; i < app->nkey; i++)
			if (app->key[i].fid == (cmd->p2 & 0x1Fu))
				k = &app->key[i];
	}
	if (k == NULL) {
		sim_sw(rsp, rlen, 0x6A88);
		return 1;
	}
	/* Signing before VERIFY: security status not satisfied. */
	if (!sim_pin_verified(app, k->pin)) {
		sim_sw(rsp, rlen, 0x6982);
		return 1;
	}
	if (cmd->lc == 0 || cmd->lc > 245) {
		sim_sw(rsp, rlen, 0x6700);
		return 1;
	}
	/* PKCS#1 v1.5 type 1 padding over the DigestInfo as given. */
	if ((ctx = EVP_PKEY_CTX_new(k->pkey, NULL)) == NULL ||
	    EVP_PKEY_sign_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_sign(ctx, sig, &siglen, cmd->data, cmd->lc) != 1) {
		EVP_PKEY_CTX_free(ctx);
		ERR_clear_error();
		sim_sw(rsp, rlen, 0x6F00);
		return 1;
	}
	EVP_PKEY_CTX_free(ctx);
	c->nsign++;
	sim_data(c, rsp, rlen, sig, siglen, 0x9000);
	return 1;
}

static int
build_jpki(struct sim_card *c, struct sim_pki *pki, const struct sim_opts *o,
    const char *label, int auth_needs_pin)
{
	unsigned char token[160];
	static const unsigned char avail[3] = { 0x8F, 0x8F, 0x00 };
	struct sim_app *a;
	X509 *auth = NULL, *sign = NULL;
	X509 *ca = o->untrusted ? pki->rogue : pki->ca;
	size_t l = strlen(label);
	int rc = -1;

	a = sim_add_app(c, "JPKI", zr_jpki_aid, sizeof(zr_jpki_aid));
	if (a == NULL)
		return -1;
	a->handler = jpki_handler;
	/* card-facts §1.2: EF 0006 = CK_TOKEN_INFO, label space padded. */
	memset(token, ' ', 112);
	memset(token + 112, 0, sizeof(token) - 112);
	memcpy(token, label, l < 32 ? l : 32);
	memcpy(token + 32, "zairyu-tools test card", 22);
	if ((auth = make_user(pki, o, 0, 1001)) == NULL ||
	    (sign = make_user(pki, o, 1, 1002)) == NULL)
		goto out;
	if (sim_add_ef(a, ZR_JPKI_EF_TOKEN, 0, token, sizeof(token), 0) ==
	    NULL ||
	    sim_add_ef(a, 0x0008, 0, avail, sizeof(avail), 0) == NULL ||
	    add_cert_ef(a, ZR_JPKI_EF_SIGN_CERT, sign,
	    ZR_JPKI_EF_SIGN_PIN) < 0 ||
	    add_cert_ef(a, ZR_JPKI_EF_SIGN_CA, ca, 0) < 0 ||
	    add_cert_ef(a, ZR_JPKI_EF_AUTH_CERT, auth,
	    auth_needs_pin ? ZR_JPKI_EF_AUTH_PIN : 0) < 0 ||
	    add_cert_ef(a, ZR_JPKI_EF_AUTH_CA, ca, 0) < 0)
		goto out;
	if (sim_add_pin(a, ZR_JPKI_EF_AUTH_PIN, o->auth_pin,
	    ZR_JPKI_AUTH_MAX_TRIES, o->auth_tries) == NULL ||
	    sim_add_pin(a, ZR_JPKI_EF_SIGN_PIN, o->sign_pw,
	    ZR_JPKI_SIGN_MAX_TRIES, o->sign_tries) == NULL ||
	    sim_add_key(a, ZR_JPKI_EF_AUTH_KEY, pki->auth_key,
	    ZR_JPKI_EF_AUTH_PIN) == NULL ||
	    sim_add_key(a, ZR_JPKI_EF_SIGN_KEY, pki->sign_key,
	    ZR_JPKI_EF_SIGN_PIN) == NULL)
		goto out;
	rc = 0;
out:
	X509_free(auth);
	X509_free(sign);
	return rc;
}

/* ---- the profiles ------------------------------------------------ */

/* card-facts §5: a My Number card contact ATR (T=1). */
static const unsigned char atr_mynumber[] = {
	0x3B, 0xDA, 0x13, 0xFF, 0x81, 0x31, 0xFB, 0x46, 0x80, 0x12, 0x39,
	0x2F, 0x31, 0xC1, 0x73, 0xC6, 0x01, 0xC0, 0x3B
};
/* card-facts §5: PC/SC part 3 contactless ATR (My Number, Type B). */
static const unsigned char atr_contactless[] = {
	0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x05, 0xE0, 0xB3, 0x81, 0xA1,
	0x00, 0x7F
};
/* card-facts §5: 住基カード contact ATR. */
static const unsigned char atr_juki[] = {
	0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14
};

static int
build_mynumber(struct sim_card *c, struct sim_pki *pki,
    const struct sim_opts *o)
{
	return build_jpki(c, pki, o, "JPKIAPICCTOKEN2", 0);
}

static int
build_juki(struct sim_card *c, struct sim_pki *pki, const struct sim_opts *o)
{
	return build_jpki(c, pki, o, "JPKIAPICCTOKEN", 0);
}

/* Smartphone JPKI: the auth certificate needs the PIN (card-facts §1.2). */
static int
build_android(struct sim_card *c, struct sim_pki *pki,
    const struct sim_opts *o)
{
	return build_jpki(c, pki, o, "JPKIAPGPSETOKEN", 1);
}

/*
 * Residence card, first generation: the MF files that tell the card
 * apart (card-facts §4.2: EF01 C0 version, EF02 C1 type, SFI 0B/0A).
 * Issue 8 adds DF1-DF3 and authentication here.
 */
static int
build_residence(struct sim_card *c, struct sim_pki *pki,
    const struct sim_opts *o)
{
	static const unsigned char ef01[] = { 0xC0, 0x04, '0', '0', '0', '1' };
	static const unsigned char ef02[] = { 0xC1, 0x01, '1' };
	struct sim_app *mf = &c->app[0];

	(void)pki;
	(void)o;
	if (sim_add_ef(mf, 0x0001, 0x0B, ef01, sizeof(ef01), 0) == NULL ||
	    sim_add_ef(mf, 0x0002, 0x0A, ef02, sizeof(ef02), 0) == NULL)
		return -1;
	return 0;
}

static int
build_blank(struct sim_card *c, struct sim_pki *pki, const struct sim_opts *o)
{
	(void)c;
	(void)pki;
	(void)o;
	return 0;
}

static const struct profile {
	const char *name;
	const unsigned char *atr;
	size_t atrlen;
	int (*build)(struct sim_card *, struct sim_pki *,
	    const struct sim_opts *);
} profiles[] = {
	{ "mynumber", atr_mynumber, sizeof(atr_mynumber), build_mynumber },
	{ "mynumber-nfc", atr_contactless, sizeof(atr_contactless),
	    build_mynumber },
	{ "juki", atr_juki, sizeof(atr_juki), build_juki },
	{ "android", atr_contactless, sizeof(atr_contactless),
	    build_android },
	{ "residence", atr_contactless, sizeof(atr_contactless),
	    build_residence },
	{ "blank", atr_mynumber, sizeof(atr_mynumber), build_blank },
	/* Residence cards, both generations (tests/cardsim/rcard_sim.c). */
	{ "rcard1", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard1-spr", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard1-noperm", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard1-tampered", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard2", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard2-spr", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard2-spr-ef03", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard2-spr-absent", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard2-tampered", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard2-short", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
	{ "rcard-unknown", atr_contactless, sizeof(atr_contactless),
	    rcard_sim_build },
};

const char *const *
sim_profile_names(void)
{
	static const char *names[sizeof(profiles) / sizeof(profiles[0]) + 1];

	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		names[i] = profiles[i].name;
	return names;
}

void
sim_opts_default(struct sim_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->profile = "mynumber";
	o->auth_pin = "1234";
	o->sign_pw = "ABC123";
	o->auth_tries = ZR_JPKI_AUTH_MAX_TRIES;
	o->sign_tries = ZR_JPKI_SIGN_MAX_TRIES;
	o->valid_from = -100;
	o->valid_to = 1000;
}

int
sim_profile_build(struct sim_card *c, struct sim_pki *pki,
    const struct sim_opts *o, char *msg, size_t n)
{
	const struct profile *p = NULL;

	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profiles[i].name, o->profile) == 0)
			p = &profiles[i];
	if (p == NULL) {
		snprintf(msg, n, "unknown profile '%s'", o->profile);
		return -1;
	}
	memcpy(c->atr, p->atr, p->atrlen);
	c->atrlen = p->atrlen;
	c->t0_chunk = o->t0_chunk;
	c->exact_le = o->exact_le;
	if (p->build(c, pki, o) < 0) {
		snprintf(msg, n, "cannot build profile '%s'", o->profile);
		ERR_clear_error();
		return -1;
	}
	sim_card_reset(c);
	return 0;
}
