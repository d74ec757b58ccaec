/* libzairyu: JPKI application of the My Number card, card identification,
 * certificate checks. */
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "zairyu/io.h"
#include "zairyu/jpki.h"
#include "card_int.h"

/* card-facts §1.1: 公的個人認証AP, D3 92 F0 00 26 01 00 00 00 01. */
const unsigned char zr_jpki_aid[10] = {
	0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01
};

/* The largest certificate we accept from a card (they are ~1.5 KB). */
#define CERT_MAX 8192

static const char *
cred_name(int cred)
{
	return cred == ZR_JPKI_SIGN ? "signature password" :
	    "authentication PIN";
}

const char *
zri_rcard_type_name(const char *type)
{
	/* card-facts §4.1: '1'/'2' first generation, 05-08 second. */
	if (strcmp(type, "1") == 0)
		return "residence card (1st generation)";
	if (strcmp(type, "2") == 0)
		return "special permanent resident certificate "
		    "(1st generation)";
	if (strcmp(type, "05") == 0)
		return "residence card (2nd generation)";
	if (strcmp(type, "06") == 0)
		return "special permanent resident certificate "
		    "(2nd generation)";
	if (strcmp(type, "07") == 0 || strcmp(type, "08") == 0)
		return "specified residence card (My Number integrated)";
	return NULL;
}

const char *
zr_card_kind_name(const struct zr_card_id *id)
{
	switch (id->kind) {
	case ZR_CARD_MYNUMBER:
		return "My Number card";
	case ZR_CARD_JUKI:
		return "Basic Resident Register card (住基カード)";
	case ZR_CARD_PHONE_ANDROID:
		return "smartphone JPKI (Android)";
	case ZR_CARD_PHONE_IOS:
		return "smartphone JPKI (iPhone)";
	case ZR_CARD_JPKI_OTHER:
		return "card with a JPKI application";
	case ZR_CARD_RESIDENCE:
		return zri_rcard_type_name(id->residence_type) != NULL ?
		    zri_rcard_type_name(id->residence_type) :
		    "residence card (unknown type)";
	default:
		return "unknown card";
	}
}

/* card-facts §1.2: the token label is 32 bytes of space-padded ASCII. */
static void
read_label(struct zr_transport *t, struct zr_card_id *id)
{
	unsigned char b[32];
	size_t got, i, n = 0;
	unsigned sw;
	struct zr_error e;

	if (zr_card_select_ef(t, ZR_JPKI_EF_TOKEN, &sw, &e) < 0 ||
	    sw != 0x9000)
		return;
	if (zr_card_read_binary(t, 0, sizeof(b), b, &got, &e) < 0)
		return;
	for (i = 0; i < got && b[i] >= 0x21 && b[i] <= 0x7E; i++)
		id->label[n++] = (char)b[i];
	id->label[n] = '\0';
}

int
zr_card_identify(struct zr_transport *t, struct zr_card_id *id,
    struct zr_error *err)
{
	struct zr_apdu c = { 0x00, 0xB0, 0x8A, 0x00, NULL, 0, 256, 0 };
	struct zr_rapdu *r;
	struct zr_tlv tlv;
	struct zr_error e;
	unsigned sw;

	memset(id, 0, sizeof(*id));
	if (zr_card_select_aid(t, zr_jpki_aid, sizeof(zr_jpki_aid), &sw,
	    err) < 0)
		return -1;
	if (sw == 0x9000) {
		read_label(t, id);
		/* card-facts §1.2 token labels. */
		if (strcmp(id->label, "JPKIAPICCTOKEN2") == 0)
			id->kind = ZR_CARD_MYNUMBER;
		else if (strcmp(id->label, "JPKIAPICCTOKEN") == 0)
			id->kind = ZR_CARD_JUKI;
		else if (strcmp(id->label, "JPKIAPGPSETOKEN") == 0)
			id->kind = ZR_CARD_PHONE_ANDROID;
		else if (strcmp(id->label, "JPKIAPIOSTOKEN") == 0)
			id->kind = ZR_CARD_PHONE_IOS;
		else
			id->kind = ZR_CARD_JPKI_OTHER;
		/* Leave the AP selected for what follows. */
		if (zr_card_select_aid(t, zr_jpki_aid, sizeof(zr_jpki_aid),
		    &sw, err) < 0)
			return -1;
		return 0;
	}
	/* card-facts §5: residence card type file, MF/EF02 (SFI 0A), C1. */
	if ((r = zri_rapdu_new(err)) == NULL)
		return -1;
	if (zr_card_transmit(t, &c, r, err) < 0) {
		zri_rapdu_free(r);
		return -1;
	}
	if ((r->sw == 0x9000 || r->sw == 0x6282) &&
	    zr_tlv_find(r->data, r->len, 0xC1, &tlv, &e) == 0 &&
	    tlv.len >= 1 && tlv.len <= 2 && tlv.val[0] >= '0' &&
	    tlv.val[0] <= '9' && (tlv.len == 1 || (tlv.val[1] >= '0' &&
	    tlv.val[1] <= '9'))) {
		id->kind = ZR_CARD_RESIDENCE;
		memcpy(id->residence_type, tlv.val, tlv.len);
	}
	zri_rapdu_free(r);
	return 0;
}

int
zr_jpki_select(struct zr_transport *t, struct zr_error *err)
{
	unsigned sw;

	if (zr_card_select_aid(t, zr_jpki_aid, sizeof(zr_jpki_aid), &sw,
	    err) < 0)
		return -1;
	if (sw == 0x6A82)
		return zr_error_set(err, ZR_E_WRONG_CARD, t->name,
		    "card has no JPKI application (not a My Number card?)");
	if (sw != 0x9000)
		return zri_card_answered(err, t->name, sw, "SELECT JPKI");
	return 0;
}

static int
select_ef(struct zr_transport *t, unsigned fid, struct zr_error *err)
{
	unsigned sw;

	if (zr_card_select_ef(t, fid, &sw, err) < 0)
		return -1;
	if (sw != 0x9000)
		return zri_card_answered(err, t->name, sw, "SELECT EF %04X",
		    fid);
	return 0;
}

int
zr_jpki_read_cert(struct zr_transport *t, unsigned fid, unsigned char **der,
    size_t *len, struct zr_error *err)
{
	*der = NULL;
	*len = 0;
	if (select_ef(t, fid, err) < 0)
		return -1;
	if (zr_card_read_der(t, CERT_MAX, der, len, err) < 0) {
		if (err != NULL && err->subject[0] == '\0')
			snprintf(err->subject, sizeof(err->subject), "%s",
			    t->name != NULL ? t->name : "");
		return -1;
	}
	return 0;
}

static unsigned
pin_ef(int cred)
{
	return cred == ZR_JPKI_SIGN ? ZR_JPKI_EF_SIGN_PIN :
	    ZR_JPKI_EF_AUTH_PIN;
}

static void
status_from_sw(unsigned sw, struct zr_pin_status *st)
{
	memset(st, 0, sizeof(*st));
	st->sw = sw;
	st->tries = -1;
	if (zr_sw_blocked(sw)) {
		st->blocked = 1;
		st->tries = 0;
	} else if ((sw & 0xFFF0) == 0x63C0) {
		st->tries = (int)(sw & 0x0F);
	} else if (sw == 0x9000) {
		st->verified = 1;
	}
}

int
zr_jpki_pin_status(struct zr_transport *t, int cred,
    struct zr_pin_status *st, struct zr_error *err)
{
	/* Case 1 VERIFY: no Lc, no data, no Le -- spends nothing. */
	struct zr_apdu c = { 0x00, 0x20, 0x00, 0x80, NULL, 0, ZR_LE_NONE,
	    0 };
	unsigned sw;

	memset(st, 0, sizeof(*st));
	st->tries = -1;
	if (select_ef(t, pin_ef(cred), err) < 0 ||
	    zri_card_send_sw(t, &c, &sw, err) < 0)
		return -1;
	status_from_sw(sw, st);
	if (sw == 0x9000 || sw == 0x6300 || (sw & 0xFFF0) == 0x63C0 ||
	    zr_sw_blocked(sw))
		return 0;
	return zri_card_answered(err, t->name, sw, "%s status",
	    cred_name(cred));
}

int
zr_jpki_verify(struct zr_transport *t, int cred, const char *secret,
    size_t len, unsigned flags, struct zr_pin_status *st,
    struct zr_error *err)
{
	struct zr_apdu c = { 0x00, 0x20, 0x00, 0x80,
	    (const unsigned char *)secret, len, ZR_LE_NONE, 0 };
	unsigned sw;

	memset(st, 0, sizeof(*st));
	st->tries = -1;
	if (len == 0 || len > 16)
		return zr_error_set(err, ZR_E_PIN_FORMAT, NULL,
		    "%s of %zu characters", cred_name(cred), len);
	/* The guard (issue 7): look before spending.  The status query
	 * selects the PIN EF, which the VERIFY below needs too. */
	if (zr_jpki_pin_status(t, cred, st, err) < 0)
		return -1;
	if (st->blocked) {
		zr_error_set(err, ZR_E_PIN_LOCKED, t->name,
		    "%s is blocked; not tried", cred_name(cred));
		if (err != NULL)
			err->sw = st->sw;
		return -1;
	}
	if (st->tries == 1 && !(flags & ZR_JPKI_LAST_TRY)) {
		zr_error_set(err, ZR_E_PIN_LAST, t->name,
		    "%s: only 1 try left, and a wrong entry blocks it; not "
		    "tried", cred_name(cred));
		if (err != NULL)
			err->sw = st->sw;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->tries = -1;
	if (zri_card_send_sw(t, &c, &sw, err) < 0)
		return -1;
	status_from_sw(sw, st);
	st->verified = sw == 0x9000;
	if (sw == 0x9000)
		return 0;
	if (st->blocked) {
		zr_error_set(err, ZR_E_PIN_LOCKED, t->name,
		    "%s is blocked", cred_name(cred));
	} else if ((sw & 0xFFF0) == 0x63C0 || sw == 0x6300) {
		if (st->tries >= 0)
			zr_error_set(err, ZR_E_PIN_WRONG, t->name,
			    "wrong %s: %d %s left", cred_name(cred),
			    st->tries, st->tries == 1 ? "try" : "tries");
		else
			zr_error_set(err, ZR_E_PIN_WRONG, t->name,
			    "wrong %s", cred_name(cred));
	} else {
		return zri_card_answered(err, t->name, sw, "VERIFY");
	}
	if (err != NULL)
		err->sw = sw;
	return -1;
}

int
zr_jpki_sign(struct zr_transport *t, int cred,
    const unsigned char *digestinfo, size_t dilen, unsigned char *sig,
    size_t cap, size_t *siglen, struct zr_error *err)
{
	/* card-facts §1.3: 80 2A 00 80 Lc DigestInfo 00. */
	struct zr_apdu c = { 0x80, 0x2A, 0x00, 0x80, digestinfo, dilen, 256,
	    0 };
	struct zr_rapdu *r;

	*siglen = 0;
	if (dilen == 0 || dilen > 245)
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "DigestInfo of %zu bytes", dilen);
	if (select_ef(t, cred == ZR_JPKI_SIGN ? ZR_JPKI_EF_SIGN_KEY :
	    ZR_JPKI_EF_AUTH_KEY, err) < 0)
		return -1;
	if ((r = zri_rapdu_new(err)) == NULL)
		return -1;
	if (zr_card_transmit(t, &c, r, err) < 0) {
		zri_rapdu_free(r);
		return -1;
	}
	if (zr_card_expect_ok(r, "COMPUTE DIGITAL SIGNATURE", err) < 0) {
		zri_rapdu_free(r);
		return -1;
	}
	if (r->len == 0 || r->len > cap) {
		zr_error_set(err, ZR_E_CARD, t->name,
		    "signature of %zu bytes", r->len);
		zri_rapdu_free(r);
		return -1;
	}
	memcpy(sig, r->data, r->len);
	*siglen = r->len;
	zri_rapdu_free(r);
	return 0;
}

void
zr_digestinfo_sha256(const unsigned char hash[32],
    unsigned char out[ZR_DIGESTINFO_SHA256_LEN])
{
	/* RFC 8017 §9.2 note 1: DER of DigestInfo { sha256, NULL }. */
	static const unsigned char prefix[19] = {
		0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
		0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20
	};

	memcpy(out, prefix, sizeof(prefix));
	memcpy(out + sizeof(prefix), hash, 32);
}

int
zr_jpki_check_secret(int cred, char *secret, size_t len, int *changed,
    struct zr_error *err)
{
	size_t i;

	*changed = 0;
	if (cred == ZR_JPKI_AUTH) {
		/* card-facts §1.5: 4 digits. */
		if (len != 4)
			return zr_error_set(err, ZR_E_PIN_FORMAT, NULL,
			    "the authentication PIN has 4 digits, not %zu",
			    len);
		for (i = 0; i < len; i++)
			if (secret[i] < '0' || secret[i] > '9')
				return zr_error_set(err, ZR_E_PIN_FORMAT, NULL,
				    "the authentication PIN has only digits "
				    "(character %zu is not one)", i + 1);
		return 0;
	}
	/* card-facts §1.3, §1.5: 6-16 characters, A-Z and 0-9 only. */
	if (len < 6 || len > 16)
		return zr_error_set(err, ZR_E_PIN_FORMAT, NULL,
		    "the signature password has 6 to 16 characters, not %zu",
		    len);
	for (i = 0; i < len; i++) {
		if (secret[i] >= 'a' && secret[i] <= 'z') {
			secret[i] = (char)(secret[i] - 'a' + 'A');
			*changed = 1;
		}
		if (!((secret[i] >= 'A' && secret[i] <= 'Z') ||
		    (secret[i] >= '0' && secret[i] <= '9')))
			return zr_error_set(err, ZR_E_PIN_FORMAT, NULL,
			    "the signature password has only A-Z and 0-9 "
			    "(character %zu is not one of them)", i + 1);
	}
	return 0;
}

/* Copy s into out, replacing control characters (untrusted input). */
static void
clean_copy(char *out, size_t n, const unsigned char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < n; i++)
		out[o++] = s[i] < 0x20 || s[i] == 0x7F ? '?' : (char)s[i];
	out[o] = '\0';
	/* Do not cut a UTF-8 sequence in half. */
	if (o + 1 == n) {
		while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
			out[--o] = '\0';
		if (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
			out[--o] = '\0';
	}
}

static void
name_string(X509_NAME *nm, char *out, size_t n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long len;

	out[0] = '\0';
	if (b == NULL)
		return;
	X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	len = BIO_get_mem_data(b, &p);
	if (len > 0)
		clean_copy(out, n, (const unsigned char *)p, (size_t)len);
	BIO_free(b);
}

static int
asn1_time(const ASN1_TIME *a, time_t *t, struct zr_date *jst)
{
	struct tm tm;
	time_t j;

	memset(&tm, 0, sizeof(tm));
	if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
		return -1;
	*t = timegm(&tm);
	/* JST = UTC+9 all year (card-facts §2.1: 14:59:59Z = 23:59:59 JST). */
	j = *t + 9 * 3600;
	if (gmtime_r(&j, &tm) == NULL)
		return -1;
	jst->y = tm.tm_year + 1900;
	jst->m = tm.tm_mon + 1;
	jst->d = tm.tm_mday;
	return 0;
}

/* card-facts §2.3: 生年月日 "EYYYYMMDD" (era digit + date) or YYYYMMDD. */
static void
birth_string(char *out, size_t n, const char *v)
{
	size_t len = strlen(v), i;
	const char *d = v;

	for (i = 0; i < len; i++)
		if (v[i] < '0' || v[i] > '9')
			break;
	if (i == len && (len == 8 || len == 9)) {
		d = v + len - 8;
		snprintf(out, n, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
		return;
	}
	/* Unknown form: show it as it is, cut to the field. */
	snprintf(out, n, "%.15s", v);
}

static void
san_value(const OTHERNAME *on, char *out, size_t n)
{
	unsigned char *u = NULL;
	int len;

	out[0] = '\0';
	if (on->value == NULL)
		return;
	switch (on->value->type) {
	case V_ASN1_UTF8STRING:
	case V_ASN1_PRINTABLESTRING:
	case V_ASN1_IA5STRING:
	case V_ASN1_VISIBLESTRING:
	case V_ASN1_BMPSTRING:
	case V_ASN1_T61STRING:
		len = ASN1_STRING_to_UTF8(&u, on->value->value.asn1_string);
		if (len > 0)
			clean_copy(out, n, u, (size_t)len);
		OPENSSL_free(u);
		break;
	default:
		break;
	}
}

static void
parse_san(X509 *x, struct zr_cert_info *ci)
{
	GENERAL_NAMES *gens;
	char oid[64], v[64];

	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (gens == NULL)
		return;
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const OTHERNAME *on;

		if (g->type != GEN_OTHERNAME)
			continue;
		on = g->d.otherName;
		if (OBJ_obj2txt(oid, sizeof(oid), on->type_id, 1) <= 0)
			continue;
		/* card-facts §2.3: 1.2.392.200149.8.5.5.{1..6}. */
		if (strcmp(oid, "1.2.392.200149.8.5.5.1") == 0) {
			san_value(on, ci->name, sizeof(ci->name));
		} else if (strcmp(oid, "1.2.392.200149.8.5.5.2") == 0) {
			san_value(on, ci->name_alt, sizeof(ci->name_alt));
		} else if (strcmp(oid, "1.2.392.200149.8.5.5.3") == 0) {
			san_value(on, v, sizeof(v));
			if (strcmp(v, "1") == 0)
				snprintf(ci->sex, sizeof(ci->sex), "male");
			else if (strcmp(v, "2") == 0)
				snprintf(ci->sex, sizeof(ci->sex), "female");
			else
				snprintf(ci->sex, sizeof(ci->sex), "%.15s", v);
		} else if (strcmp(oid, "1.2.392.200149.8.5.5.4") == 0) {
			san_value(on, v, sizeof(v));
			birth_string(ci->birth, sizeof(ci->birth), v);
		} else if (strcmp(oid, "1.2.392.200149.8.5.5.5") == 0) {
			san_value(on, ci->address, sizeof(ci->address));
		} else if (strcmp(oid, "1.2.392.200149.8.5.5.6") == 0) {
			san_value(on, ci->address_alt,
			    sizeof(ci->address_alt));
		}
	}
	GENERAL_NAMES_free(gens);
}

/*
 * The last certificate parsed, kept for the next call with the same
 * bytes: zr-cardtest reads one certificate and then parses it, verifies
 * its chain and checks a signature with it, each from the DER (three
 * parses of the same bytes, most of the JPKI step's time under ASan).
 * The same bytes give the same certificate, so the copy kept is handed
 * out again (another reference to it); any other bytes are parsed as
 * before and replace it.  One entry for the process, under a lock.
 */
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char memo_der[CERT_MAX];
static size_t memo_len;
static X509 *memo_x;

static X509 *
der_cert(const unsigned char *der, size_t len, struct zr_error *err)
{
	const unsigned char *p = der;
	X509 *x = NULL, *old;

	if (len == 0 || len > CERT_MAX) {
		zr_error_set(err, ZR_E_CERT, NULL,
		    "certificate of %zu bytes", len);
		return NULL;
	}
	pthread_mutex_lock(&memo_lock);
	if (memo_x != NULL && memo_len == len && memcmp(memo_der, der,
	    len) == 0 && X509_up_ref(memo_x) == 1)
		x = memo_x;
	pthread_mutex_unlock(&memo_lock);
	if (x != NULL)
		return x;
	x = d2i_X509(NULL, &p, (long)len);
	ERR_clear_error();
	if (x == NULL || p != der + len) {
		X509_free(x);
		zr_error_set(err, ZR_E_CERT, NULL,
		    "not an X.509 certificate");
		return NULL;
	}
	if (X509_up_ref(x) != 1)
		return x;
	pthread_mutex_lock(&memo_lock);
	old = memo_x;
	memcpy(memo_der, der, len);
	memo_len = len;
	memo_x = x;
	pthread_mutex_unlock(&memo_lock);
	X509_free(old);
	return x;
}

int
zr_cert_parse(const unsigned char *der, size_t len, struct zr_cert_info *ci,
    struct zr_error *err)
{
	X509 *x;
	EVP_PKEY *pk;

	memset(ci, 0, sizeof(*ci));
	if ((x = der_cert(der, len, err)) == NULL)
		return -1;
	name_string(X509_get_subject_name(x), ci->subject,
	    sizeof(ci->subject));
	name_string(X509_get_issuer_name(x), ci->issuer, sizeof(ci->issuer));
	if (asn1_time(X509_get0_notBefore(x), &ci->not_before,
	    &ci->nb_jst) < 0 || asn1_time(X509_get0_notAfter(x),
	    &ci->not_after, &ci->na_jst) < 0) {
		X509_free(x);
		ERR_clear_error();
		return zr_error_set(err, ZR_E_CERT, NULL,
		    "certificate has an unreadable validity period");
	}
	if ((pk = X509_get0_pubkey(x)) != NULL)
		ci->key_bits = EVP_PKEY_get_bits(pk);
	parse_san(x, ci);
	X509_free(x);
	ERR_clear_error();
	return 0;
}

/* Append the PEM certificates in b to sk. */
static int
load_anchors(STACK_OF(X509) *sk, const char *ca_file, struct zr_error *err)
{
	int n;

	if (ca_file != NULL)
		return zri_x509_load_file(ca_file, 0, sk, err) < 0 ? -1 : 0;
	for (size_t i = 0; i < zr_jpki_root_count(); i++) {
		const char *pem = zr_jpki_root_pem(i);

		if ((n = zri_x509_load(pem, strlen(pem), 0, sk)) < 0)
			return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		if (n == 0)
			return zr_error_set(err, ZR_E_CERT, "bundled JPKI root",
			    "no PEM certificate found");
	}
	return 0;
}

/* Verify x at when against the one trust anchor root; X509_V_* result. */
static int
verify_one(X509 *x, X509 *root, time_t when, char *anchor, size_t cap)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *chain;
	int vr = X509_V_ERR_OUT_OF_MEM;

	if (st == NULL || ctx == NULL || X509_STORE_add_cert(st, root) != 1 ||
	    X509_STORE_CTX_init(ctx, st, x, NULL) != 1)
		goto out;
	X509_STORE_CTX_set_time(ctx, 0, when);
	if (X509_verify_cert(ctx) == 1) {
		vr = X509_V_OK;
		chain = X509_STORE_CTX_get0_chain(ctx);
		if (anchor != NULL && chain != NULL && sk_X509_num(chain) > 0)
			name_string(X509_get_subject_name(sk_X509_value(chain,
			    sk_X509_num(chain) - 1)), anchor, cap);
	} else {
		vr = X509_STORE_CTX_get_error(ctx);
	}
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	ERR_clear_error();
	return vr;
}

int
zr_jpki_verify_chain(const unsigned char *der, size_t len,
    const char *ca_file, time_t when, char *anchor, size_t cap,
    struct zr_error *err)
{
	STACK_OF(X509) *roots;
	X509 *x;
	int rc = -1, vr, best = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;

	if (anchor != NULL && cap > 0)
		anchor[0] = '\0';
	if ((x = der_cert(der, len, err)) == NULL)
		return -1;
	if ((roots = sk_X509_new_null()) == NULL) {
		X509_free(x);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	if (load_anchors(roots, ca_file, err) < 0)
		goto out;
	/*
	 * One anchor at a time: the J-LIS roots of 2015 and 2023 have the
	 * same subject (card-facts §2.1), and OpenSSL may try only one of
	 * two same-named anchors when the certificate has no authority key
	 * identifier.
	 */
	for (int i = 0; i < sk_X509_num(roots); i++) {
		vr = verify_one(x, sk_X509_value(roots, i), when, anchor, cap);
		if (vr == X509_V_OK) {
			rc = 0;
			goto out;
		}
		/* Keep the most telling reason: one that found an issuer. */
		if (vr != X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY &&
		    vr != X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
			best = vr;
	}
	zr_error_set(err, ZR_E_CERT, NULL, "%s",
	    X509_verify_cert_error_string(best));
out:
	sk_X509_pop_free(roots, X509_free);
	X509_free(x);
	ERR_clear_error();
	return rc;
}

int
zr_cert_verify_rsa_sha256(const unsigned char *der, size_t len,
    const unsigned char *data, size_t dlen, const unsigned char *sig,
    size_t siglen, struct zr_error *err)
{
	EVP_MD_CTX *md;
	EVP_PKEY *pk;
	X509 *x;
	int rc = -1, vr;

	if ((x = der_cert(der, len, err)) == NULL)
		return -1;
	if ((pk = X509_get0_pubkey(x)) == NULL ||
	    EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
		X509_free(x);
		ERR_clear_error();
		return zr_error_set(err, ZR_E_CERT, NULL,
		    "certificate has no RSA public key");
	}
	if ((md = EVP_MD_CTX_new()) == NULL) {
		X509_free(x);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	/* RSASSA-PKCS1-v1_5 with SHA-256: the scheme the card uses. */
	if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pk) != 1) {
		zr_error_set(err, ZR_E_CRYPTO, NULL,
		    "cannot set up signature verification");
		goto out;
	}
	vr = EVP_DigestVerify(md, sig, siglen, data, dlen);
	if (vr != 1) {
		zr_error_set(err, ZR_E_CERT, NULL,
		    "signature does not match the certificate's public key");
		goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	X509_free(x);
	return rc;
}
