/* libzairyu: the My Number card's JPKI application, card identification,
 * and the X.509 checks of its certificates. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_JPKI_H
#define ZAIRYU_JPKI_H

#include <stddef.h>
#include <time.h>

#include "zairyu/card.h"
#include "zairyu/date.h"
#include "zairyu/error.h"

/* card-facts §1.1: 公的個人認証AP. */
extern const unsigned char zr_jpki_aid[10];

/* card-facts §1.2: elementary files of the JPKI AP. */
#define ZR_JPKI_EF_SIGN_CERT    0x0001u /* needs the signature password */
#define ZR_JPKI_EF_SIGN_CA      0x0002u
#define ZR_JPKI_EF_TOKEN        0x0006u
#define ZR_JPKI_EF_AUTH_CERT    0x000Au
#define ZR_JPKI_EF_AUTH_CA      0x000Bu
#define ZR_JPKI_EF_AUTH_KEY     0x0017u
#define ZR_JPKI_EF_AUTH_PIN     0x0018u
#define ZR_JPKI_EF_SIGN_KEY     0x001Au
#define ZR_JPKI_EF_SIGN_PIN     0x001Bu

/* The two credentials (card-facts §1.5). */
enum zr_jpki_cred {
	ZR_JPKI_AUTH = 0,       /* 利用者証明用: 4 digits, 3 tries */
	ZR_JPKI_SIGN = 1        /* 署名用: 6-16 of A-Z 0-9, 5 tries */
};
#define ZR_JPKI_AUTH_MAX_TRIES 3
#define ZR_JPKI_SIGN_MAX_TRIES 5

/* What kind of card answered (found by probing, never by ATR). */
enum zr_card_kind {
	ZR_CARD_UNKNOWN = 0,
	ZR_CARD_MYNUMBER,       /* JPKIAPICCTOKEN2 */
	ZR_CARD_JUKI,           /* JPKIAPICCTOKEN: old 住基カード */
	ZR_CARD_PHONE_ANDROID,  /* JPKIAPGPSETOKEN */
	ZR_CARD_PHONE_IOS,      /* JPKIAPIOSTOKEN */
	ZR_CARD_JPKI_OTHER,     /* JPKI AP with another label */
	ZR_CARD_RESIDENCE       /* 在留カード: type file MF/EF02 */
};

struct zr_card_id {
	int kind;               /* enum zr_card_kind */
	char label[33];         /* JPKI token label without padding */
	char residence_type[3]; /* "1", "2", "05" .. "08" (card-facts §4.1) */
};

/* "My Number card", "residence card (1st generation)", ... Never NULL. */
const char *zr_card_kind_name(const struct zr_card_id *id);

/*
 * Find out what the card is: SELECT the JPKI AP and read the token label
 * of EF 0006; when there is no JPKI AP, read the residence card's type
 * file (MF/EF02, tag C1) (card-facts §1.8, §5).  Spends nothing.
 * Leaves the JPKI AP selected when there is one.  Errors: transport
 * errors; an unknown card is not an error (kind ZR_CARD_UNKNOWN).
 */
int zr_card_identify(struct zr_transport *t, struct zr_card_id *id,
    struct zr_error *err);

/* SELECT the JPKI AP.  Errors: ZR_E_WRONG_CARD when absent, ZR_E_CARD. */
int zr_jpki_select(struct zr_transport *t, struct zr_error *err);

/*
 * Read a certificate EF of the JPKI AP (one of ZR_JPKI_EF_*_CERT or
 * _CA) into *der (malloc'd, caller frees).  Selects the AP first.
 * Errors: ZR_E_CARD with err->sw 6982 when the file needs a credential
 * first (the signature certificate, card-facts §1.2), ZR_E_SYNTAX, ...
 */
int zr_jpki_read_cert(struct zr_transport *t, unsigned fid,
    unsigned char **der, size_t *len, struct zr_error *err);

/* A credential's retry counter as the card reports it. */
struct zr_pin_status {
	int tries;              /* tries left, -1 when not reported */
	int blocked;            /* 63C0, 6983, 6984 */
	int verified;           /* the card answered 9000 to VERIFY */
	unsigned sw;            /* the status word behind it */
};

/*
 * Tries left without spending one: SELECT AP, SELECT the PIN EF, VERIFY
 * with no data (case 1) → 63Cx (card-facts §1.3, "myna pin status").
 * 9000 means already verified in this session (tries unknown).  Errors:
 * transport errors, ZR_E_CARD for any other answer.
 */
int zr_jpki_pin_status(struct zr_transport *t, int cred,
    struct zr_pin_status *st, struct zr_error *err);

/* zr_jpki_verify flags. */
#define ZR_JPKI_LAST_TRY 0x1    /* the caller may spend the last try */

/*
 * VERIFY: spends a try when wrong.  The caller has already checked the
 * form (zr_jpki_check_secret).  The guard lives here, so that no program
 * can burn the last try by calling this (issue 7, issue 12): first the
 * tries left are read without spending one (zr_jpki_pin_status); a
 * blocked credential is never sent a secret, and with one try left the
 * secret is sent only when flags has ZR_JPKI_LAST_TRY (an explicit
 * override such as --force).  Returns 0 when accepted.  Errors:
 * ZR_E_PIN_LAST (one try left, not tried; st->tries is 1),
 * ZR_E_PIN_WRONG (st->tries left), ZR_E_PIN_LOCKED (blocked now or
 * before), ZR_E_CARD, transport errors.
 */
int zr_jpki_verify(struct zr_transport *t, int cred, const char *secret,
    size_t len, unsigned flags, struct zr_pin_status *st,
    struct zr_error *err);

/*
 * COMPUTE DIGITAL SIGNATURE (80 2A 00 80) with the credential's key over
 * a DER DigestInfo; the card adds PKCS#1 v1.5 type 1 padding
 * (card-facts §1.3).  Needs a VERIFY in the same session.  sig gets at
 * most cap bytes.  Errors: ZR_E_CARD (6982 when not verified), ...
 */
int zr_jpki_sign(struct zr_transport *t, int cred,
    const unsigned char *digestinfo, size_t dilen, unsigned char *sig,
    size_t cap, size_t *siglen, struct zr_error *err);

/* SHA-256 DigestInfo prefix (PKCS#1, RFC 8017 §9.2 note 1) + hash. */
#define ZR_DIGESTINFO_SHA256_LEN 51
void zr_digestinfo_sha256(const unsigned char hash[32],
    unsigned char out[ZR_DIGESTINFO_SHA256_LEN]);

/*
 * Check a secret's form before it goes near the card.  The signature
 * password is uppercased in place (*changed = 1 when a letter changed):
 * the card admits only A-Z and 0-9, 6 to 16 characters; the
 * authentication PIN is 4 digits (card-facts §1.3, §1.5).  Errors:
 * ZR_E_PIN_FORMAT with what is wrong (never the secret itself).
 */
int zr_jpki_check_secret(int cred, char *secret, size_t len, int *changed,
    struct zr_error *err);

/* What a JPKI certificate says, for people. */
struct zr_cert_info {
	char subject[256];
	char issuer[256];
	time_t not_before, not_after;   /* UTC */
	struct zr_date nb_jst, na_jst;  /* the same as dates in Japan */
	int key_bits;
	/* Signature certificate subjectAltName (card-facts §2.3); empty
	 * when absent. */
	char name[256];
	char name_alt[256];
	char birth[16];                 /* YYYY-MM-DD */
	char sex[16];                   /* "male", "female", or the code */
	char address[512];
	char address_alt[512];
};

/*
 * Parse a DER certificate.  Errors: ZR_E_CERT ("not an X.509
 * certificate"), ZR_E_NOMEM.
 */
int zr_cert_parse(const unsigned char *der, size_t len,
    struct zr_cert_info *ci, struct zr_error *err);

/*
 * Verify the certificate's chain at time when against the bundled JPKI
 * roots (card-facts §2.1: J-LIS sign and auth CAs of 2015 and 2023), or,
 * when ca_file is not NULL, against the PEM certificates in that file
 * only (for tests with a test CA).  anchor gets the trust anchor's
 * subject.  Errors: ZR_E_CERT with OpenSSL's reason ("certificate has
 * expired", "unable to get local issuer certificate"), ZR_E_OPEN.
 */
int zr_jpki_verify_chain(const unsigned char *der, size_t len,
    const char *ca_file, time_t when, char *anchor, size_t cap,
    struct zr_error *err);

/*
 * Verify an RSA PKCS#1 v1.5 SHA-256 signature over data with the
 * certificate's public key.  Errors: ZR_E_CERT (bad signature),
 * ZR_E_CRYPTO.
 */
int zr_cert_verify_rsa_sha256(const unsigned char *der, size_t len,
    const unsigned char *data, size_t dlen, const unsigned char *sig,
    size_t siglen, struct zr_error *err);

/* Number of bundled roots, and the PEM text of root i (for tests). */
size_t zr_jpki_root_count(void);
const char *zr_jpki_root_pem(size_t i);

#endif
