/* libzairyu: residence card chip signature (RSA-2048 gen 1, ECDSA P-384 gen 2). */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "zairyu/io.h"
#include "zairyu/rcard.h"
#include "card_int.h"

/* card-facts §4.5: generation 1 pads the images to fixed slots. */
#define G1_FRONT_SLOT 7000
#define G1_FACE_SLOT 3000

/*
 * card-facts §4.5: SHA-256 fingerprints of the agency's CA certificates
 * as published by the Ministry of Justice (ZairyuCard CA, four
 * generations, RSA-2048; ZairyuCard CA2, P-384), and its test CA2 for
 * sample cards.
 */
static const struct {
	const char *sha256;
	int anchor;
	const char *label;
} pins[] = {
	{ "97F37C5967AF5F3CD84E6ED694B09539ABB7F8E7E76B6F7496A0600089"
	  "82983D", ZR_RCARD_ANCHOR_AGENCY, "ZairyuCard CA 2015" },
	{ "FF02323CEA7B8C3DFC0DC2DE79D46E78514AF5873685230"
	  "86B188E9690AEC861", ZR_RCARD_ANCHOR_AGENCY, "ZairyuCard CA 2018" },
	{ "6F50161AA80F7FF7C630505FAF472906F7B101D5083E327A6182C82CD798"
	  "5E67", ZR_RCARD_ANCHOR_AGENCY, "ZairyuCard CA 2021" },
	{ "BF854466ED9ABF61F559C39BF8790546F8ACDAB99B51FD2330563669CE4A"
	  "71B2", ZR_RCARD_ANCHOR_AGENCY, "ZairyuCard CA 2024" },
	{ "11E6AD8B8E64F0CDB1D8BA9E3689926C80E8479A2F098616F674A23582BE"
	  "C13B", ZR_RCARD_ANCHOR_AGENCY, "ZairyuCard CA2" },
	{ "1846B815D31F04FE93D57450A6D8A8C351EAC3D8C444A2375D95734DF7DD"
	  "1057", ZR_RCARD_ANCHOR_AGENCY_TEST, "ZairyuCard test CA2" },
};

int
zr_rcard_signed_data(const struct zr_rcard *rc, unsigned char **buf,
    size_t *len, struct zr_error *err)
{
	unsigned char *b;
	size_t n;

	*buf = NULL;
	*len = 0;
	if (rc->gen == ZR_RCARD_GEN1) {
		/* card-facts §4.5: D0 padded to 7000 || D1 padded to 3000. */
		if (rc->front.data == NULL || rc->face.data == NULL)
			return zr_error_set(err, ZR_E_MISSING, NULL,
			    "front or face image not read");
		if (rc->front.len > G1_FRONT_SLOT || rc->face.len > G1_FACE_SLOT)
			return zr_error_set(err, ZR_E_RANGE, NULL,
			    "image larger than its signed slot (front %zu of "
			    "7000, face %zu of 3000 bytes)", rc->front.len,
			    rc->face.len);
		n = G1_FRONT_SLOT + G1_FACE_SLOT;
		if ((b = calloc(1, n)) == NULL)
			return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		memcpy(b, rc->front.data, rc->front.len);
		memcpy(b + G1_FRONT_SLOT, rc->face.data, rc->face.len);
	} else if (rc->gen == ZR_RCARD_GEN2) {
		/* card-facts §4.5: entries (53) || face || name image. */
		if (rc->entries_len == 0 || rc->face.data == NULL ||
		    rc->name_img.data == NULL)
			return zr_error_set(err, ZR_E_MISSING, NULL,
			    "printed entries, face or name image not read");
		n = sizeof(rc->entries) + rc->face.len + rc->name_img.len;
		if ((b = malloc(n)) == NULL)
			return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		memcpy(b, rc->entries, sizeof(rc->entries));
		memcpy(b + sizeof(rc->entries), rc->face.data, rc->face.len);
		memcpy(b + sizeof(rc->entries) + rc->face.len,
		    rc->name_img.data, rc->name_img.len);
	} else {
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "unknown card generation");
	}
	*buf = b;
	*len = n;
	return 0;
}

static int
set_reason(struct zr_rcard_sigcheck *res, int verdict, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int
set_reason(struct zr_rcard_sigcheck *res, int verdict, const char *fmt, ...)
{
	va_list ap;

	res->verdict = verdict;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
	return 0;
}

/*
 * Generation 1: raw RSA with PKCS#1 type 1 padding; the payload is a
 * SHA-256 DigestInfo (ZR) or the bare hash (IOSRC): card-facts §4.5
 * accepts both [U].
 */
static int
check_rsa(EVP_PKEY *pk, const unsigned char *sig, size_t siglen,
    const unsigned char hash[32])
{
	static const unsigned char di[19] = { 0x30, 0x31, 0x30, 0x0D, 0x06,
		0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
		0x05, 0x00, 0x04, 0x20 };
	EVP_PKEY_CTX *ctx;
	unsigned char out[512];
	size_t outlen = sizeof(out);
	int ok = 0;

	if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
		return 0;
	if ((ctx = EVP_PKEY_CTX_new(pk, NULL)) == NULL)
		return 0;
	if (EVP_PKEY_verify_recover_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_verify_recover(ctx, out, &outlen, sig, siglen) == 1) {
		if (outlen == sizeof(di) + 32 &&
		    memcmp(out, di, sizeof(di)) == 0 &&
		    CRYPTO_memcmp(out + sizeof(di), hash, 32) == 0)
			ok = 1;
		else if (outlen == 32 && CRYPTO_memcmp(out, hash, 32) == 0)
			ok = 1;
	}
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

/*
 * Generation 2: SHA256withECDSA on P-384.  DC holds 96 bytes "in ASN.1
 * format" (card-facts §4.5 [U]): a DER ECDSA-Sig-Value is taken as is,
 * anything else of 96 bytes as r || s.
 */
static int
check_ecdsa(EVP_PKEY *pk, const unsigned char *sig, size_t siglen,
    const unsigned char *data, size_t len)
{
	const unsigned char *p = sig;
	ECDSA_SIG *es = NULL;
	unsigned char *der = NULL;
	EVP_MD_CTX *md = NULL;
	int derlen = 0, ok = 0;

	if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_EC)
		return 0;
	es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
	if (es != NULL && p != sig + siglen) {
		ECDSA_SIG_free(es);
		es = NULL;
	}
	if (es == NULL && siglen == 96) {
		BIGNUM *r = BN_bin2bn(sig, 48, NULL);
		BIGNUM *s = BN_bin2bn(sig + 48, 48, NULL);

		if (r == NULL || s == NULL || (es = ECDSA_SIG_new()) == NULL ||
		    ECDSA_SIG_set0(es, r, s) != 1) {
			BN_free(r);
			BN_free(s);
			ECDSA_SIG_free(es);
			es = NULL;
		}
	}
	if (es == NULL)
		goto out;
	if ((derlen = i2d_ECDSA_SIG(es, &der)) <= 0)
		goto out;
	if ((md = EVP_MD_CTX_new()) == NULL)
		goto out;
	if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pk) == 1 &&
	    EVP_DigestVerify(md, der, (size_t)derlen, data, len) == 1)
		ok = 1;
out:
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	ERR_clear_error();
	return ok;
}

/* PEM certificates (any number) or one DER certificate. */
static int
load_cas(const char *path, X509_STORE *store, struct zr_error *err)
{
	STACK_OF(X509) *sk;
	int n = 0;

	if ((sk = sk_X509_new_null()) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	if (zri_x509_load_file(path, 1, sk, err) < 0) {
		sk_X509_free(sk);
		return -1;
	}
	for (int i = 0; i < sk_X509_num(sk); i++)
		if (X509_STORE_add_cert(store, sk_X509_value(sk, i)) == 1)
			n++;
	sk_X509_pop_free(sk, X509_free);
	ERR_clear_error();
	if (n == 0)
		return zr_error_set(err, ZR_E_CERT, path,
		    "no certificate in the file could be used");
	return 0;
}

static void
fingerprint(X509 *x, char *out, size_t cap, char *hex, size_t hexcap)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	size_t o = 0, h = 0;

	out[0] = '\0';
	hex[0] = '\0';
	if (X509_digest(x, EVP_sha256(), md, &n) != 1)
		return;
	for (unsigned i = 0; i < n; i++) {
		if (o + 4 <= cap)
			o += (size_t)snprintf(out + o, cap - o, i ? ":%02X" :
			    "%02X", md[i]);
		if (h + 3 <= hexcap)
			h += (size_t)snprintf(hex + h, hexcap - h, "%02X",
			    md[i]);
	}
}

static void
name_of(X509_NAME *nm, char *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n;

	out[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, nm, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB)
	    >= 0 && (n = BIO_get_mem_data(b, &p)) > 0)
		snprintf(out, cap, "%.*s", (int)n, p);
	BIO_free(b);
}

/* Chain the card's certificate to a CA from ca_file. */
static int
check_chain(X509 *cert, const char *ca_file, struct zr_rcard_sigcheck *res,
    struct zr_error *err)
{
	X509_STORE *store;
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *chain;
	X509 *anchor;
	char hex[80];
	int rc = -1, e;

	if ((store = X509_STORE_new()) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	if (load_cas(ca_file, store, err) < 0)
		goto out;
	/* The CA's validity is not checked (the chip's signature lasts
	 * as long as the card); the CAs given are trusted as anchors. */
	X509_STORE_set_flags(store, X509_V_FLAG_NO_CHECK_TIME |
	    X509_V_FLAG_PARTIAL_CHAIN);
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, cert, NULL) != 1) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		goto out;
	}
	rc = 0;
	if (X509_verify_cert(ctx) != 1) {
		e = X509_STORE_CTX_get_error(ctx);
		if (e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
		    e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
		    e == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE) {
			char issuer[200];

			name_of(X509_get_issuer_name(cert), issuer,
			    sizeof(issuer));
			set_reason(res, ZR_RCARD_UNVERIFIED, "the card "
			    "certificate's issuer (%s) is not among the CA "
			    "certificates given", issuer);
		} else {
			set_reason(res, ZR_RCARD_NOT_GENUINE, "the card "
			    "certificate does not chain to the CA: %s",
			    X509_verify_cert_error_string(e));
		}
		goto out;
	}
	chain = X509_STORE_CTX_get0_chain(ctx);
	anchor = sk_X509_value(chain, sk_X509_num(chain) - 1);
	name_of(X509_get_subject_name(anchor), res->anchor_name,
	    sizeof(res->anchor_name));
	fingerprint(anchor, res->anchor_sha256, sizeof(res->anchor_sha256),
	    hex, sizeof(hex));
	res->anchor = ZR_RCARD_ANCHOR_OTHER;
	for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++)
		if (strcmp(hex, pins[i].sha256) == 0)
			res->anchor = pins[i].anchor;
	res->verdict = ZR_RCARD_GENUINE;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return rc;
}

int
zr_rcard_verify(const struct zr_rcard *rc, const char *ca_file,
    struct zr_rcard_sigcheck *res, struct zr_error *err)
{
	unsigned char *data = NULL, hash[32];
	const unsigned char *p;
	size_t len = 0;
	X509 *cert = NULL;
	EVP_PKEY *pk;
	struct zr_error e;
	int ok, rc_ = 0;

	memset(res, 0, sizeof(*res));
	res->algorithm = rc->gen == ZR_RCARD_GEN1 ?
	    "RSA-2048 PKCS#1 v1.5, SHA-256" : "ECDSA P-384, SHA-256";
	if (rc->gen != ZR_RCARD_GEN1 && rc->gen != ZR_RCARD_GEN2) {
		set_reason(res, ZR_RCARD_UNVERIFIED, "unknown generation");
		return 0;
	}
	if (rc->sig.data == NULL || rc->cert.data == NULL) {
		set_reason(res, ZR_RCARD_UNVERIFIED,
		    "signature file not read");
		return 0;
	}
	if (zr_rcard_signed_data(rc, &data, &len, &e) < 0) {
		if (e.code == ZR_E_NOMEM)
			return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		/* An image too big for its slot cannot have been signed. */
		set_reason(res, e.code == ZR_E_RANGE ? ZR_RCARD_NOT_GENUINE :
		    ZR_RCARD_UNVERIFIED, "%s", e.msg);
		return 0;
	}
	p = rc->cert.data;
	if ((cert = d2i_X509(NULL, &p, (long)rc->cert.len)) == NULL) {
		set_reason(res, ZR_RCARD_NOT_GENUINE,
		    "the certificate on the chip does not parse");
		goto out;
	}
	name_of(X509_get_subject_name(cert), res->signer,
	    sizeof(res->signer));
	if ((pk = X509_get0_pubkey(cert)) == NULL) {
		set_reason(res, ZR_RCARD_NOT_GENUINE,
		    "the certificate on the chip has no usable key");
		goto out;
	}
	if (rc->gen == ZR_RCARD_GEN1) {
		unsigned int n = 0;

		ok = EVP_Digest(data, len, hash, &n, EVP_sha256(), NULL) == 1 &&
		    check_rsa(pk, rc->sig.data, rc->sig.len, hash);
	} else {
		ok = check_ecdsa(pk, rc->sig.data, rc->sig.len, data, len);
	}
	if (!ok) {
		set_reason(res, ZR_RCARD_NOT_GENUINE, "the signature does not "
		    "match the chip's data (%s)", rc->gen == ZR_RCARD_GEN1 ?
		    "front or face image altered, or a foreign key" :
		    "printed entries, face or name image altered, or a "
		    "foreign key");
		goto out;
	}
	if (ca_file == NULL) {
		set_reason(res, ZR_RCARD_UNVERIFIED, "the signature matches "
		    "the chip's certificate, but no CA certificate was given "
		    "to check that certificate");
		goto out;
	}
	rc_ = check_chain(cert, ca_file, res, err);
out:
	X509_free(cert);
	OPENSSL_clear_free(data, len);
	OPENSSL_cleanse(hash, sizeof(hash));
	ERR_clear_error();
	return rc_;
}
