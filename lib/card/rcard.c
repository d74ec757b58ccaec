/* libzairyu: residence card chip: detection, authentication, reading, parsing. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "zairyu/date.h"
#include "zairyu/rcard.h"
#include "zairyu/text.h"
#include "card_int.h"

/* card-facts §4.2: DF names, identical in both generations. */
const unsigned char zr_rcard_aid_df1[16] = { 0xD3, 0x92, 0xF0, 0x00, 0x4F,
	0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
const unsigned char zr_rcard_aid_df2[16] = { 0xD3, 0x92, 0xF0, 0x00, 0x4F,
	0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
const unsigned char zr_rcard_aid_df3[16] = { 0xD3, 0x92, 0xF0, 0x00, 0x4F,
	0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

/* The largest file we accept (gen 2 DF1/EF03 holds 5508 bytes). */
#define FILE_MAX 8192

int
zr_rcard_generation(const char *type)
{
	/* card-facts §4.1: MF/EF02 tag C1. */
	if (strcmp(type, "1") == 0 || strcmp(type, "2") == 0)
		return ZR_RCARD_GEN1;
	if (strcmp(type, "05") == 0 || strcmp(type, "06") == 0)
		return ZR_RCARD_GEN2;
	return ZR_RCARD_GEN_UNKNOWN;
}

int
zr_rcard_check_number(char *num, int *changed, struct zr_error *err)
{
	size_t len = strlen(num);

	*changed = 0;
	/* card-facts §4.3 step 2: 2 letters, 8 digits, 2 letters. */
	if (len != ZR_RCARD_NUMBER_LEN)
		return zr_error_set(err, ZR_E_NUMBER, NULL,
		    "card number has %zu characters, not 12 (two letters, "
		    "eight digits, two letters: AB12345678CD)", len);
	for (size_t i = 0; i < len; i++) {
		int letter = i < 2 || i >= 10;
		char c = num[i];

		if (letter && c >= 'a' && c <= 'z') {
			num[i] = (char)(c - 'a' + 'A');
			*changed = 1;
		} else if (letter && !(c >= 'A' && c <= 'Z')) {
			return zr_error_set(err, ZR_E_NUMBER, NULL,
			    "card number: character %zu must be a letter "
			    "(AB12345678CD)", i + 1);
		} else if (!letter && !(c >= '0' && c <= '9')) {
			return zr_error_set(err, ZR_E_NUMBER, NULL,
			    "card number: character %zu must be a digit "
			    "(AB12345678CD)", i + 1);
		}
	}
	return 0;
}

void
zr_rcard_init(struct zr_rcard *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->renewal = -1;
}

static void
blob_free(struct zr_rcard_blob *b)
{
	/* The face is personal data: leave no copy in freed memory. */
	if (b->data != NULL)
		OPENSSL_clear_free(b->data, b->len);
	b->data = NULL;
	b->len = 0;
}

void
zr_rcard_free(struct zr_rcard *rc)
{
	blob_free(&rc->front);
	blob_free(&rc->face);
	blob_free(&rc->name_img);
	blob_free(&rc->addr_img);
	blob_free(&rc->sig);
	blob_free(&rc->cert);
	OPENSSL_cleanse(rc, sizeof(*rc));
	zr_rcard_init(rc);
}

/* ---- parsing ---------------------------------------------------------- */

static int
blob_set(struct zr_rcard_blob *b, const struct zr_tlv *t,
    struct zr_error *err)
{
	blob_free(b);
	if ((b->data = malloc(t->len > 0 ? t->len : 1)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	memcpy(b->data, t->val, t->len);
	b->len = t->len;
	return 0;
}

/*
 * A code or date field: characters of the JIS X 0201 range, here
 * printable ASCII (card-facts §4.2), NUL padding at the end dropped.
 */
static int
text_set(char *dst, size_t cap, const struct zr_tlv *t, struct zr_error *err)
{
	size_t n = t->len;

	while (n > 0 && (t->val[n - 1] == 0x00 || t->val[n - 1] == ' '))
		n--;
	if (n >= cap)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "tag %X: %zu characters, at most %zu expected", t->tag, n,
		    cap - 1);
	for (size_t i = 0; i < n; i++)
		if (t->val[i] < 0x20 || t->val[i] > 0x7E)
			return zr_error_set(err, ZR_E_SYNTAX, NULL,
			    "tag %X: byte %02X is not a printable character",
			    t->tag, t->val[i]);
	memcpy(dst, t->val, n);
	dst[n] = '\0';
	return 0;
}

/* A YYYYMMDD field that must be a real date (or empty). */
static int
date_set(char *dst, size_t cap, const struct zr_tlv *t, struct zr_error *err)
{
	char v[9];
	int y, m, d;

	/* Checked in v, so that dst never holds a bad date. */
	if (cap < sizeof(v) || text_set(v, sizeof(v), t, err) < 0)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "tag %X: not a date YYYYMMDD", t->tag);
	if (v[0] != '\0') {
		if (strlen(v) != 8 || strspn(v, "0123456789") != 8)
			return zr_error_set(err, ZR_E_SYNTAX, NULL,
			    "tag %X: '%s' is not a date YYYYMMDD", t->tag, v);
		y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 +
		    (v[2] - '0') * 10 + (v[3] - '0');
		m = (v[4] - '0') * 10 + (v[5] - '0');
		d = (v[6] - '0') * 10 + (v[7] - '0');
		if (y < 1900 || !zr_date_valid(y, m, d))
			return zr_error_set(err, ZR_E_SYNTAX, NULL,
			    "tag %X: %s is not a valid date", t->tag, v);
	}
	memcpy(dst, v, sizeof(v));
	return 0;
}

/* UTF-8 of s (converted from code) into dst, cut at a character
 * boundary; bad bytes become U+FFFD so that one odd character does not
 * hide the rest. */
static void
convert_text(const char *code, const unsigned char *s, size_t n, char *dst,
    size_t cap)
{
	char *u;
	size_t len, k;

	dst[0] = '\0';
	if (zr_text_convert(code, s, n, 1, &u, &len, NULL, NULL) < 0)
		return;
	k = len < cap - 1 ? len : cap - 1;
	while (k > 0 && k < len && ((unsigned char)u[k] & 0xC0) == 0x80)
		k--;
	memcpy(dst, u, k);
	dst[k] = '\0';
	free(u);
	/* One line of text: control characters become '?'. */
	for (char *p = dst; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = '?';
}

/*
 * Generation 1 text (address, permissions): JIS X 0213 characters
 * (card-facts §4.2, encoding [U]): Shift_JIS-2004, NUL padded.
 */
static void
jis_set(char *dst, size_t cap, const struct zr_tlv *t)
{
	size_t n = t->len;

	while (n > 0 && t->val[n - 1] == 0x00)
		n--;
	convert_text("SHIFT_JISX0213", t->val, n, dst, cap);
}

/*
 * Generation 1 permission text (D5, D6): a card without a permission
 * fills the slot with ASCII '0' (120 of them, seen on a card; issue 12):
 * that is no permission, kept as "" and shown as "none".
 */
static void
perm_set(char *dst, size_t cap, const struct zr_tlv *t)
{
	jis_set(dst, cap, t);
	if (dst[strspn(dst, "0 ")] == '\0')
		dst[0] = '\0';
}

/* Generation 2 free text (DE): UTF-8 without BOM (card-facts §4.2). */
static int
utf8_set(char *dst, size_t cap, const struct zr_tlv *t, struct zr_error *err)
{
	size_t n = t->len;

	while (n > 0 && t->val[n - 1] == 0x00)
		n--;
	if (n >= cap)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "tag %X: %zu bytes of text is too long", t->tag, n);
	convert_text("UTF-8", t->val, n, dst, cap);
	return 0;
}

/* A one-character flag such as D7 '0' / '1'. */
static int
flag_value(const struct zr_tlv *t, struct zr_error *err)
{
	if (t->len < 1 || t->val[0] < '0' || t->val[0] > '9')
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "tag %X: not a one-digit flag", t->tag);
	return t->val[0] - '0';
}

static int
parse_entries(struct zr_rcard *rc, const struct zr_tlv *t,
    struct zr_error *err)
{
	char *dst = NULL;
	size_t cap = 0;
	int date = 0;

	/* card-facts §4.2, gen 2 DF1/EF02. */
	switch (t->tag) {
	case 0xC5: dst = rc->card_expiry; cap = sizeof(rc->card_expiry);
		date = 1; break;
	case 0xC6: dst = rc->birth; cap = sizeof(rc->birth); date = 1; break;
	case 0xC7: dst = rc->sex; cap = sizeof(rc->sex); break;
	case 0xC8: dst = rc->nationality; cap = sizeof(rc->nationality);
		break;
	case 0xC9: dst = rc->status; cap = sizeof(rc->status); break;
	case 0xCA: dst = rc->perm_type; cap = sizeof(rc->perm_type); break;
	case 0xCB: dst = rc->perm_date; cap = sizeof(rc->perm_date);
		date = 1; break;
	case 0xCC: dst = rc->work; cap = sizeof(rc->work); break;
	case 0xCD: dst = rc->stay_expiry; cap = sizeof(rc->stay_expiry);
		date = 1; break;
	case 0xCE: dst = rc->period; cap = sizeof(rc->period); break;
	default: break;
	}
	/* card-facts §4.5: the signature covers the values in file order,
	 * 53 bytes (34 NUL-padded to 53 on type 06). */
	if (t->len > sizeof(rc->entries) - rc->entries_len)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "printed entries longer than %zu bytes",
		    sizeof(rc->entries));
	memcpy(rc->entries + rc->entries_len, t->val, t->len);
	rc->entries_len += t->len;
	if (dst == NULL)
		return 0;
	return date ? date_set(dst, cap, t, err) : text_set(dst, cap, t, err);
}

static int
parse_one(struct zr_rcard *rc, int file, const struct zr_tlv *t,
    struct zr_error *err)
{
	int v;

	switch (file) {
	case ZR_RCARD_MF_COMMON:
		if (t->tag == 0xC0)
			return text_set(rc->spec_version,
			    sizeof(rc->spec_version), t, err);
		break;
	case ZR_RCARD_MF_TYPE:
		if (t->tag == 0xC1)
			return text_set(rc->type, sizeof(rc->type), t, err);
		break;
	case ZR_RCARD_G1_FRONT:
		if (t->tag == 0xD0)
			return blob_set(&rc->front, t, err);
		break;
	case ZR_RCARD_G1_FACE:
	case ZR_RCARD_G2_IMAGES:
		if (t->tag == 0xD1)
			return blob_set(&rc->face, t, err);
		if (t->tag == 0xD0 && file == ZR_RCARD_G2_IMAGES)
			return blob_set(&rc->name_img, t, err);
		break;
	case ZR_RCARD_G1_ADDRESS:
		if (t->tag == 0xD2)
			return date_set(rc->addr_date, sizeof(rc->addr_date),
			    t, err);
		if (t->tag == 0xD3)
			return text_set(rc->municipality,
			    sizeof(rc->municipality), t, err);
		if (t->tag == 0xD4)
			jis_set(rc->address, sizeof(rc->address), t);
		break;
	case ZR_RCARD_G1_PERM:
		if (t->tag == 0xD5)
			perm_set(rc->perm_text, sizeof(rc->perm_text), t);
		break;
	case ZR_RCARD_G1_PERM_INDIV:
		if (t->tag == 0xD6)
			perm_set(rc->perm_indiv_text,
			    sizeof(rc->perm_indiv_text), t);
		break;
	case ZR_RCARD_G1_RENEWAL:
	case ZR_RCARD_G2_RENEWAL:
		if (t->tag == (file == ZR_RCARD_G1_RENEWAL ? 0xD7u : 0xD8u)) {
			if ((v = flag_value(t, err)) < 0)
				return -1;
			rc->renewal = v;
		}
		break;
	case ZR_RCARD_G1_SIG:
		if (t->tag == 0xDA)
			return blob_set(&rc->sig, t, err);
		if (t->tag == 0xDB)
			return blob_set(&rc->cert, t, err);
		break;
	case ZR_RCARD_G2_NUMBER:
		if (t->tag == 0xC2)
			return text_set(rc->number, sizeof(rc->number), t, err);
		break;
	case ZR_RCARD_G2_ENTRIES:
		return parse_entries(rc, t, err);
	case ZR_RCARD_G2_ADDRESS:
		if (t->tag == 0xDFD1)
			return blob_set(&rc->addr_img, t, err);
		break;
	case ZR_RCARD_G2_PERM:
		if (t->tag == 0xD5)
			return text_set(rc->perm, sizeof(rc->perm), t, err);
		if (t->tag == 0xD6)
			return date_set(rc->perm_expiry,
			    sizeof(rc->perm_expiry), t, err);
		if (t->tag == 0xD7)
			return text_set(rc->perm_indiv,
			    sizeof(rc->perm_indiv), t, err);
		break;
	case ZR_RCARD_G2_OTHER:
		if (t->tag == 0xD9)
			return text_set(rc->note_flag, sizeof(rc->note_flag),
			    t, err);
		if (t->tag == 0xDE)
			return utf8_set(rc->note, sizeof(rc->note), t, err);
		break;
	case ZR_RCARD_G2_SIG:
		if (t->tag == 0xDC)
			return blob_set(&rc->sig, t, err);
		if (t->tag == 0xDD)
			return blob_set(&rc->cert, t, err);
		break;
	default:
		break;
	}
	return 0;
}

/* The tag each file must hold. */
static unsigned
required_tag(int file)
{
	static const unsigned req[ZR_RCARD_FILE_COUNT_] = {
		[ZR_RCARD_MF_COMMON] = 0xC0, [ZR_RCARD_MF_TYPE] = 0xC1,
		[ZR_RCARD_G1_FRONT] = 0xD0, [ZR_RCARD_G1_FACE] = 0xD1,
		[ZR_RCARD_G1_ADDRESS] = 0xD4, [ZR_RCARD_G1_PERM] = 0xD5,
		[ZR_RCARD_G1_PERM_INDIV] = 0xD6, [ZR_RCARD_G1_RENEWAL] = 0xD7,
		[ZR_RCARD_G1_SIG] = 0xDA, [ZR_RCARD_G2_NUMBER] = 0xC2,
		[ZR_RCARD_G2_ENTRIES] = 0xC5, [ZR_RCARD_G2_IMAGES] = 0xD1,
		[ZR_RCARD_G2_ADDRESS] = 0xDFD1, [ZR_RCARD_G2_PERM] = 0xD5,
		[ZR_RCARD_G2_RENEWAL] = 0xD8, [ZR_RCARD_G2_OTHER] = 0xD9,
		[ZR_RCARD_G2_SIG] = 0xDC,
	};

	return req[file];
}

int
zr_rcard_parse_file(struct zr_rcard *rc, int file, const unsigned char *buf,
    size_t len, struct zr_error *err)
{
	struct zr_tlv t;
	size_t off = 0;
	unsigned need;
	int seen = 0;

	if (file < 0 || file >= ZR_RCARD_FILE_COUNT_)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "unknown residence card file %d", file);
	need = required_tag(file);
	if (file == ZR_RCARD_G2_ENTRIES) {
		memset(rc->entries, 0, sizeof(rc->entries));
		rc->entries_len = 0;
	}
	/* card-facts §4.2: BER-TLV objects, then 00 padding. */
	while (off < len) {
		if (zr_tlv_next(buf, len, &off, &t, err) < 0)
			return -1;
		if (t.tag == 0)
			break;
		if (t.tag == need)
			seen = 1;
		if (parse_one(rc, file, &t, err) < 0)
			return -1;
	}
	if (!seen)
		return zr_error_set(err, ZR_E_MISSING, NULL,
		    "tag %X missing", need);
	return 0;
}

/* ---- talking to the card ---------------------------------------------- */

/* Put what was being done in front of err's message. */
static int
context(struct zr_error *err, const char *what)
{
	size_t w, m, cap;

	if (err == NULL)
		return -1;
	/* Shift the message right and put "what: " in front, cutting the
	 * end when it does not fit. */
	cap = sizeof(err->msg) - 1;
	w = strlen(what) + 2;
	if (w > cap)
		w = cap;
	m = strnlen(err->msg, cap);
	if (m > cap - w)
		m = cap - w;
	memmove(err->msg + w, err->msg, m);
	memcpy(err->msg, what, w - 2);
	memcpy(err->msg + w - 2, ": ", 2);
	err->msg[w + m] = '\0';
	return -1;
}

/* A short READ BINARY by SFI at offset 0 (card-facts §4.2 P1 = 80|SFI). */
static int
read_sfi_short(struct zr_transport *t, unsigned p1, struct zr_rapdu *r,
    struct zr_error *err)
{
	struct zr_apdu c = { 0x00, 0xB0, (unsigned char)p1, 0x00, NULL, 0, 256,
	    0 };

	return zr_card_transmit(t, &c, r, err);
}

int
zr_rcard_probe(struct zr_transport *t, struct zr_rcard *rc,
    struct zr_error *err)
{
	static const unsigned char mf[2] = { 0x3F, 0x00 };
	struct zr_apdu sel = { 0x00, 0xA4, 0x00, 0x00, mf, 2, ZR_LE_NONE, 0 };
	struct zr_rapdu *r;
	int rc_ = -1;

	if ((r = zri_rapdu_new(err)) == NULL)
		return -1;
	/* card-facts §4.2: the MF is current after a reset; select it
	 * anyway in case a DF was selected before (IOSRC does). */
	if (zr_card_transmit(t, &sel, r, err) < 0)
		goto out;
	if (read_sfi_short(t, 0x8A, r, err) < 0)
		goto out;
	if (r->sw != 0x9000 && r->sw != 0x6282) {
		zr_error_set(err, ZR_E_WRONG_CARD, t->name, "not a residence "
		    "card: the card type file answers %04X (%s)", r->sw,
		    zr_sw_text(r->sw));
		if (err != NULL)
			err->sw = r->sw;
		goto out;
	}
	if (zr_rcard_parse_file(rc, ZR_RCARD_MF_TYPE, r->data, r->len,
	    err) < 0) {
		zr_error_set(err, ZR_E_WRONG_CARD, t->name, "not a residence "
		    "card: the card type file does not parse");
		goto out;
	}
	rc->gen = zr_rcard_generation(rc->type);
	if (rc->gen == ZR_RCARD_GEN_UNKNOWN) {
		/* card-facts §4.1: '07'/'08' use SET SESSION KEY instead. */
		if (strcmp(rc->type, "07") == 0 || strcmp(rc->type, "08") == 0)
			zr_error_set(err, ZR_E_WRONG_CARD, t->name,
			    "card type '%s' is a specified residence card "
			    "(My Number integrated): its protocol is not "
			    "supported", rc->type);
		else
			zr_error_set(err, ZR_E_WRONG_CARD, t->name,
			    "unknown residence card generation: card type "
			    "'%s' (known: 1, 2, 05, 06)", rc->type);
		goto out;
	}
	rc->residence = strcmp(rc->type, "1") == 0 ||
	    strcmp(rc->type, "05") == 0;
	/* MF/EF01: the specification version (free). */
	if (read_sfi_short(t, 0x8B, r, err) < 0)
		goto out;
	if (r->sw == 0x9000 || r->sw == 0x6282) {
		if (zr_rcard_parse_file(rc, ZR_RCARD_MF_COMMON, r->data,
		    r->len, err) < 0) {
			context(err, "common data file (MF/EF01)");
			goto out;
		}
	}
	rc_ = 0;
out:
	zri_rapdu_free(r);
	return rc_;
}

static int
send_expect(struct zr_transport *t, const struct zr_apdu *c,
    struct zr_rapdu *r, const char *what, struct zr_error *err)
{
	if (zr_card_transmit(t, c, r, err) < 0)
		return context(err, what);
	return 0;
}

int
zr_rcard_authenticate(struct zr_transport *t, int gen,
    const char number[ZR_RCARD_NUMBER_LEN], const unsigned char *fixed,
    struct zr_rcard_session *s, struct zr_error *err)
{
	unsigned char k[ZR_RCARD_KEY_LEN], rnd[24], rnd_icc[8], k_icc[16];
	unsigned char req[40], vdata[19];
	struct zr_apdu c;
	struct zr_rapdu *r;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (gen != ZR_RCARD_GEN1 && gen != ZR_RCARD_GEN2)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "unknown card generation %d", gen);
	if ((r = zri_rapdu_new(err)) == NULL)
		return -1;
	zr_rcard_base_key(number, k);
	/* RND.IFD (8) || K.IFD (16): random, or the test vector's. */
	if (fixed != NULL) {
		memcpy(rnd, fixed, sizeof(rnd));
	} else if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
		zr_error_set(err, ZR_E_CRYPTO, NULL, "no random numbers");
		goto out;
	}
	/* card-facts §4.3 step 3: GET CHALLENGE right before MUTUAL AUTH. */
	memset(&c, 0, sizeof(c));
	c.ins = 0x84;
	c.le = 8;
	if (send_expect(t, &c, r, "GET CHALLENGE", err) < 0)
		goto out;
	if (zr_card_expect_ok(r, "GET CHALLENGE", err) < 0)
		goto out;
	if (r->len != 8) {
		zr_error_set(err, ZR_E_CARD, t->name, "GET CHALLENGE: %zu "
		    "bytes instead of 8", r->len);
		goto out;
	}
	memcpy(rnd_icc, r->data, 8);
	if (zr_rcard_auth_request(gen, k, rnd, rnd_icc, rnd + 8, req, err) < 0)
		goto out;
	/* Step 6: 00 82 00 00 28 E.IFD M.IFD 00. */
	memset(&c, 0, sizeof(c));
	c.ins = 0x82;
	c.data = req;
	c.lc = sizeof(req);
	c.le = 256;
	if (send_expect(t, &c, r, "MUTUAL AUTHENTICATE", err) < 0)
		goto out;
	if (r->sw == 0x6300) {
		/* card-facts §4.4: 6300 = the keys disagree.  Never retried:
		 * the lockout rule is not documented. */
		zr_error_set(err, ZR_E_CARD_NUMBER, t->name, "card number "
		    "%.12s does not match this card (it refused "
		    "authentication: 6300); not retried", number);
		if (err != NULL)
			err->sw = r->sw;
		goto out;
	}
	if (zr_card_expect_ok(r, "MUTUAL AUTHENTICATE", err) < 0)
		goto out;
	if (zr_rcard_auth_response(gen, k, rnd, rnd_icc, r->data, r->len,
	    k_icc, err) < 0)
		goto out;
	zr_rcard_session_key(rnd + 8, k_icc, s->ks);
	/* Step 9: VERIFY 08 20 00 86 13 86 11 01 <enc(number || 80..)>. */
	vdata[0] = 0x86;
	vdata[1] = 0x11;
	vdata[2] = 0x01;
	if (zr_rcard_verify_data(gen, s->ks, number, vdata + 3, err) < 0)
		goto out;
	memset(&c, 0, sizeof(c));
	c.cla = 0x08;
	c.ins = 0x20;
	c.p2 = 0x86;
	c.data = vdata;
	c.lc = sizeof(vdata);
	c.le = ZR_LE_NONE;
	if (send_expect(t, &c, r, "VERIFY", err) < 0)
		goto out;
	if (r->sw == 0x6300) {
		zr_error_set(err, ZR_E_CARD_NUMBER, t->name, "card number "
		    "%.12s does not match this card (VERIFY answered 6300); "
		    "not retried", number);
		if (err != NULL)
			err->sw = r->sw;
		goto out;
	}
	if (zr_card_expect_ok(r, "VERIFY", err) < 0)
		goto out;
	s->t = t;
	s->gen = gen;
	rc = 0;
out:
	if (rc < 0)
		OPENSSL_cleanse(s->ks, sizeof(s->ks));
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(rnd, sizeof(rnd));
	OPENSSL_cleanse(k_icc, sizeof(k_icc));
	OPENSSL_cleanse(req, sizeof(req));
	OPENSSL_cleanse(vdata, sizeof(vdata));
	zri_rapdu_free(r);
	return rc;
}

void
zr_rcard_session_end(struct zr_rcard_session *s)
{
	OPENSSL_cleanse(s, sizeof(*s));
}

static int
select_df(struct zr_transport *t, const unsigned char *aid, const char *name,
    struct zr_error *err)
{
	unsigned sw;

	if (zr_card_select_aid(t, aid, 16, &sw, err) < 0)
		return context(err, name);
	if (sw != 0x9000)
		return zri_card_answered(err, t->name, sw, "SELECT %s", name);
	return 0;
}

/*
 * An extended-length APDU that did not arrive: the transport refused it
 * or the card saw a wrong length.  Card-facts §4.3: the residence card
 * cannot be read without them.
 */
static int
no_extended(struct zr_transport *t, const char *what, const char *why,
    struct zr_error *err)
{
	return zr_error_set(err, ZR_E_NO_EXTENDED, t->name, "%s: %s: the "
	    "reader does not seem to support extended-length APDUs, which "
	    "the residence card's secure-messaging reads need", what, why);
}

static int
extended_failed(struct zr_transport *t, const char *what,
    struct zr_error *err)
{
	char why[120];

	if (err == NULL || err->code != ZR_E_PCSC)
		return context(err, what);
	memcpy(why, err->msg, sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	return no_extended(t, what, why, err);
}

/*
 * READ BINARY of a whole file.  sm: the secure-messaging form
 * 08 B0 P1 00 00 00 04 96 02 00 00 00 00 (card-facts §4.3); else the
 * plain one, extended with Le 0000 for generation 2, short chunks with
 * 15-bit offsets for generation 1.  *out is malloc'd.
 */
static int
read_file(struct zr_rcard_session *s, unsigned p1, int sm, const char *what,
    unsigned char **out, size_t *outlen, struct zr_error *err)
{
	static const unsigned char le_do[4] = { 0x96, 0x02, 0x00, 0x00 };
	struct zr_transport *t = s->t;
	struct zr_apdu c;
	struct zr_rapdu *r;
	unsigned char *buf;
	size_t len = 0;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	if ((buf = malloc(FILE_MAX)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	if ((r = zri_rapdu_new(err)) == NULL) {
		free(buf);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.ins = 0xB0;
	c.p1 = (unsigned char)p1;
	if (sm) {
		c.cla = 0x08;
		c.data = le_do;
		c.lc = sizeof(le_do);
		c.le = 65536;
		c.extended = 1;
	} else if (s->gen == ZR_RCARD_GEN2) {
		c.le = 65536;
		c.extended = 1;
	} else {
		c.le = 256;
	}
	if (zr_card_transmit(t, &c, r, err) < 0) {
		if (c.extended)
			extended_failed(t, what, err);
		else
			context(err, what);
		goto out;
	}
	if (c.extended && r->sw == 0x6700) {
		no_extended(t, what, "the card answered 6700 (wrong length)",
		    err);
		goto out;
	}
	if (r->sw != 0x9000 && r->sw != 0x6282) {
		zri_card_answered(err, t->name, r->sw, "%s", what);
		goto out;
	}
	if (sm) {
		if (zr_rcard_sm_unwrap(s->gen, s->ks, r->data, r->len, buf,
		    FILE_MAX, &len, err) < 0) {
			context(err, what);
			goto out;
		}
	} else {
		memcpy(buf, r->data, r->len);
		len = r->len;
		/* Generation 1 plain reads: the rest in short chunks. */
		if (!c.extended && r->len == 256 && r->sw == 0x9000) {
			size_t more = 0;

			if (zr_card_read_binary(t, len, FILE_MAX - len,
			    buf + len, &more, err) < 0) {
				context(err, what);
				goto out;
			}
			len += more;
		}
	}
	*out = buf;
	*outlen = len;
	buf = NULL;
	rc = 0;
out:
	if (buf != NULL)
		OPENSSL_clear_free(buf, FILE_MAX);
	zri_rapdu_free(r);
	return rc;
}

/* One file of the map: where it is and how it is read. */
struct rfile {
	int file;               /* enum zr_rcard_file */
	int df;                 /* 1, 2, 3 */
	unsigned p1;            /* 80 | SFI */
	int sm;                 /* secure messaging */
	int residence_only;     /* absent on the special permanent
				 * resident certificate */
	const char *what;
	unsigned p1_alt;        /* tried when p1 answers 6A82, or 0 */
	const char *what_alt;
};

/* ISO 7816-4: file or application not found. */
#define SW_NO_FILE 0x6A82

static int
no_file(const struct zr_error *e)
{
	return e != NULL && e->code == ZR_E_CARD && e->sw == SW_NO_FILE;
}

static void
mark_absent(struct zr_rcard *rc, const char *what)
{
	if (rc->nabsent < ZR_RCARD_ABSENT_MAX)
		rc->absent[rc->nabsent++] = what;
}

/* card-facts §4.2, first generation file map. */
static const struct rfile gen1_files[] = {
	{ ZR_RCARD_G1_FRONT, 1, 0x85, 1, 0, "front image (DF1/EF01)", 0,
	    NULL },
	{ ZR_RCARD_G1_FACE, 1, 0x86, 1, 0, "face image (DF1/EF02)", 0,
	    NULL },
	{ ZR_RCARD_G1_ADDRESS, 2, 0x81, 0, 0, "address (DF2/EF01)", 0,
	    NULL },
	{ ZR_RCARD_G1_PERM, 2, 0x82, 0, 1,
	    "comprehensive permission (DF2/EF02)", 0, NULL },
	{ ZR_RCARD_G1_PERM_INDIV, 2, 0x83, 0, 1,
	    "individual permission (DF2/EF03)", 0, NULL },
	{ ZR_RCARD_G1_RENEWAL, 2, 0x84, 0, 1,
	    "renewal application (DF2/EF04)", 0, NULL },
	{ ZR_RCARD_G1_SIG, 3, 0x82, 0, 0, "signature (DF3/EF01)", 0,
	    NULL },
};

/* card-facts §4.2, second generation file map. */
static const struct rfile gen2_files[] = {
	{ ZR_RCARD_G2_NUMBER, 1, 0x81, 1, 0, "card number (DF1/EF01)", 0,
	    NULL },
	{ ZR_RCARD_G2_ENTRIES, 1, 0x83, 1, 0,
	    "printed entries (DF1/EF02)", 0, NULL },
	{ ZR_RCARD_G2_IMAGES, 1, 0x84, 1, 0,
	    "name and face images (DF1/EF03)", 0, NULL },
	{ ZR_RCARD_G2_ADDRESS, 1, 0x86, 1, 0, "address image (DF1/EF04)", 0,
	    NULL },
	{ ZR_RCARD_G2_PERM, 2, 0x81, 0, 1, "permissions (DF2/EF01)", 0,
	    NULL },
	{ ZR_RCARD_G2_RENEWAL, 2, 0x82, 0, 1,
	    "renewal application (DF2/EF02)", 0, NULL },
	/* Type 06 has only this DF2 file, as EF01; its P1 is not given in
	 * the sources (card-facts §4.2 [U]): 81 by the EF number, then 83
	 * where the residence card keeps it. */
	{ ZR_RCARD_G2_OTHER, 2, 0x83, 0, 1, "other entries (DF2/EF03)", 0,
	    NULL },
	{ ZR_RCARD_G2_OTHER, 2, 0x81, 0, -1, "other entries (DF2/EF01)", 0x83,
	    "other entries (DF2/EF03)" },
	{ ZR_RCARD_G2_SIG, 3, 0x82, 0, 0, "signature (DF3/EF01)", 0,
	    NULL },
};

int
zr_rcard_read(struct zr_transport *t, const char *number,
    struct zr_rcard *rc, struct zr_error *err)
{
	static const unsigned char *const aids[4] = { NULL, zr_rcard_aid_df1,
		zr_rcard_aid_df2, zr_rcard_aid_df3 };
	static const char *const dfname[4] = { "", "DF1", "DF2", "DF3" };
	struct zr_rcard_session s;
	const struct rfile *map;
	size_t nmap;
	unsigned char *buf = NULL;
	size_t len = 0;
	const char *what;
	int cur = 0, absent_df = 0, rc_ = -1;

	/* A caller that probed already has rc->gen set. */
	if (rc->gen == ZR_RCARD_GEN_UNKNOWN && zr_rcard_probe(t, rc, err) < 0)
		return -1;
	if (zr_rcard_authenticate(t, rc->gen, number, NULL, &s, err) < 0)
		return -1;
	if (rc->gen == ZR_RCARD_GEN1) {
		map = gen1_files;
		nmap = sizeof(gen1_files) / sizeof(gen1_files[0]);
	} else {
		map = gen2_files;
		nmap = sizeof(gen2_files) / sizeof(gen2_files[0]);
	}
	for (size_t i = 0; i < nmap; i++) {
		const struct rfile *f = &map[i];

		if ((f->residence_only == 1 && !rc->residence) ||
		    (f->residence_only == -1 && rc->residence))
			continue;
		if (f->df != cur) {
			cur = f->df;
			absent_df = 0;
			if (select_df(t, aids[f->df], dfname[f->df], err) < 0) {
				if (!no_file(err))
					goto out;
				absent_df = 1;
			}
		}
		if (absent_df) {
			mark_absent(rc, f->what);
			continue;
		}
		what = f->what;
		if (read_file(&s, f->p1, f->sm, what, &buf, &len, err) < 0 &&
		    no_file(err) && f->p1_alt != 0) {
			what = f->what_alt;
			read_file(&s, f->p1_alt, f->sm, what, &buf, &len, err);
		}
		if (buf == NULL) {
			if (!no_file(err))
				goto out;
			mark_absent(rc, what);
			continue;
		}
		if (zr_rcard_parse_file(rc, f->file, buf, len, err) < 0) {
			context(err, what);
			goto out;
		}
		OPENSSL_clear_free(buf, FILE_MAX);
		buf = NULL;
	}
	rc_ = 0;
out:
	if (buf != NULL)
		OPENSSL_clear_free(buf, FILE_MAX);
	zr_rcard_session_end(&s);
	return rc_;
}

/* ---- facts ------------------------------------------------------------ */

/* YYYYMMDD → YYYY-MM-DD (dst of ZR_DATE_BUFSZ), or "" */
static void
iso_date(const char *ymd, char *dst)
{
	if (strlen(ymd) != 8) {
		dst[0] = '\0';
		return;
	}
	snprintf(dst, ZR_DATE_BUFSZ, "%.4s-%.2s-%.2s", ymd, ymd + 4, ymd + 6);
}

/* card-facts §4.2 C7: 1 male, 2 female, 3 other → zairyu-facts(5) M F X. */
static const char *
sex_letter(const char *code)
{
	if (strcmp(code, "1") == 0)
		return "M";
	if (strcmp(code, "2") == 0)
		return "F";
	if (strcmp(code, "3") == 0)
		return "X";
	return NULL;
}

/* One chip value against the facts file's (zr_facts_same). */
static void
diff(const struct zr_facts *f, const char *key, const char *chip,
    struct zr_rcard_diff *d, size_t max, size_t *n, size_t *checked)
{
	const char *v = zr_facts_get(f, key);

	if (v == NULL || chip == NULL || chip[0] == '\0')
		return;
	(*checked)++;
	if (zr_facts_same(key, chip, v) == 1)
		return;
	if (*n < max) {
		d[*n].key = key;
		snprintf(d[*n].chip, sizeof(d[*n].chip), "%s", chip);
		snprintf(d[*n].facts, sizeof(d[*n].facts), "%s", v);
	}
	(*n)++;
}

void
zr_rcard_compare_facts(const struct zr_rcard *rc, const struct zr_facts *f,
    struct zr_rcard_diff *d, size_t max, size_t *n, size_t *checked)
{
	char iso[3][ZR_DATE_BUFSZ];

	*n = 0;
	*checked = 0;
	iso_date(rc->birth, iso[0]);
	iso_date(rc->card_expiry, iso[1]);
	iso_date(rc->stay_expiry, iso[2]);
	diff(f, "birth_date", iso[0], d, max, n, checked);
	diff(f, "card_expiry", iso[1], d, max, n, checked);
	diff(f, "stay_expiry", iso[2], d, max, n, checked);
	diff(f, "sex", sex_letter(rc->sex), d, max, n, checked);
	diff(f, "card_number", rc->number, d, max, n, checked);
}

int
zr_rcard_to_facts(const struct zr_rcard *rc, const char *number,
    struct zr_facts *f, struct zr_error *err)
{
	char iso[ZR_DATE_BUFSZ], num[ZR_RCARD_NUMBER_LEN + 1];
	const char *sex = sex_letter(rc->sex);
	int changed;

	if (rc->number[0] != '\0')
		number = rc->number;
	/* Only a number of the right form (the chip's C2 is not trusted). */
	if (number != NULL) {
		snprintf(num, sizeof(num), "%s", number);
		if (strlen(number) == ZR_RCARD_NUMBER_LEN &&
		    zr_rcard_check_number(num, &changed, NULL) == 0 &&
		    zr_facts_set(f, "card_number", num, err) < 0)
			return -1;
	}
	iso_date(rc->birth, iso);
	if (iso[0] != '\0' && zr_facts_set(f, "birth_date", iso, err) < 0)
		return -1;
	if (sex != NULL && zr_facts_set(f, "sex", sex, err) < 0)
		return -1;
	iso_date(rc->card_expiry, iso);
	if (iso[0] != '\0' && zr_facts_set(f, "card_expiry", iso, err) < 0)
		return -1;
	iso_date(rc->stay_expiry, iso);
	if (iso[0] != '\0' && zr_facts_set(f, "stay_expiry", iso, err) < 0)
		return -1;
	if (rc->address[0] != '\0' &&
	    zr_facts_set(f, "address", rc->address, err) < 0)
		return -1;
	return 0;
}

/* ---- names ------------------------------------------------------------ */

const char *
zr_rcard_image_kind(const struct zr_rcard_blob *b, const char **ext)
{
	static const unsigned char jp2[12] = { 0x00, 0x00, 0x00, 0x0C, 'j',
		'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A };
	const char *e = "bin", *k = "unknown";

	if (b->data != NULL && b->len >= 4 &&
	    (memcmp(b->data, "II*\0", 4) == 0 ||
	    memcmp(b->data, "MM\0*", 4) == 0)) {
		k = "TIFF";
		e = "tif";
	} else if (b->data != NULL && b->len >= 12 &&
	    memcmp(b->data, jp2, 12) == 0) {
		k = "JPEG 2000";
		e = "jp2";
	} else if (b->data != NULL && b->len >= 4 && b->data[0] == 0xFF &&
	    b->data[1] == 0x4F && b->data[2] == 0xFF && b->data[3] == 0x51) {
		k = "JPEG 2000 codestream";
		e = "j2k";
	}
	if (ext != NULL)
		*ext = e;
	return k;
}

const char *
zr_rcard_sex_name(const char *code)
{
	if (strcmp(code, "1") == 0)
		return "male";
	if (strcmp(code, "2") == 0)
		return "female";
	if (strcmp(code, "3") == 0)
		return "not specified";
	return "unknown code";
}

/* card-facts §4.2 CC (ZR tlv_tag_reference). */
const char *
zr_rcard_work_name(const char *code)
{
	if (strcmp(code, "1") == 0)
		return "no work restriction";
	if (strcmp(code, "2") == 0)
		return "work only as the status of residence allows";
	if (strcmp(code, "4") == 0)
		return "work only as designated";
	if (strcmp(code, "9") == 0)
		return "work not permitted";
	return "unknown code";
}

/* card-facts §4.2 D5 (generation 2). */
const char *
zr_rcard_perm_name(const char *code)
{
	if (strcmp(code, "0") == 0)
		return "none";
	if (strcmp(code, "1") == 0)
		return "up to 28 hours a week, not in adult entertainment";
	if (strcmp(code, "2") == 0)
		return "up to 28 hours a week (education and similar)";
	return "unknown code";
}
