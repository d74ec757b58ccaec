/* zairyu-tools tests: residence card profiles (both generations) for the
 * software card: files, authentication, secure messaging, test PKI. */
/* SPDX-License-Identifier: MIT */
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "zairyu/rcard.h"

#include "rcard_sim.h"

/* Authentication state lives in two pseudo-PINs of the MF, so that the
 * card's reset (sim_card_reset) drops it like a real card does. */
#define PIN_AUTH 0xFF01u        /* MUTUAL AUTHENTICATE done */
#define PIN_NUMBER 0xFF02u      /* card number verified */

struct rstate {
	int gen;
	char number[ZR_RCARD_NUMBER_LEN + 1];
	unsigned char k[ZR_RCARD_KEY_LEN];      /* base key */
	unsigned char rnd_icc[8];
	unsigned long chal_at;                  /* napdu of GET CHALLENGE */
	int have_chal;
	unsigned char ks[ZR_RCARD_KEY_LEN];
	int fixed;
	unsigned char fixed_rnd_icc[8], fixed_k_icc[16];
	int short_only;                         /* no extended APDUs */
	int df2_ef03;           /* type 06: its one DF2 file as EF03 */
	int df2_absent;         /* type 06: no DF2 file at all (6A82) */
	int perm_zeros;         /* gen 1: D5 and D6 hold only '0's */
	X509 *ca;                               /* the test CA */
};

static void
rstate_free(void *p)
{
	struct rstate *s = p;

	if (s == NULL)
		return;
	X509_free(s->ca);
	OPENSSL_clear_free(s, sizeof(*s));
}

/* ---- building blocks of the files ---------------------------------- */

struct buf {
	unsigned char *b;
	size_t len, cap;
	int bad;
};

static void
put(struct buf *w, const void *p, size_t n)
{
	if (w->bad)
		return;
	if (w->len + n > w->cap) {
		size_t cap = (w->len + n) * 2 + 64;
		unsigned char *nb = realloc(w->b, cap);

		if (nb == NULL) {
			w->bad = 1;
			return;
		}
		w->b = nb;
		w->cap = cap;
	}
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void
put1(struct buf *w, unsigned v)
{
	unsigned char c = (unsigned char)v;

	put(w, &c, 1);
}

/* BER-TLV with a one- or two-byte tag and 1-3 length bytes. */
static void
tlv(struct buf *w, unsigned tag, const void *v, size_t n)
{
	if (tag > 0xFF)
		put1(w, tag >> 8);
	put1(w, tag & 0xFF);
	if (n < 0x80) {
		put1(w, (unsigned)n);
	} else if (n < 0x100) {
		put1(w, 0x81);
		put1(w, (unsigned)n);
	} else {
		put1(w, 0x82);
		put1(w, (unsigned)(n >> 8));
		put1(w, (unsigned)(n & 0xFF));
	}
	put(w, v, n);
}

static void
tlv_str(struct buf *w, unsigned tag, const char *s)
{
	tlv(w, tag, s, strlen(s));
}

/* Shift_JIS-2004 bytes of UTF-8 s, the generation 1 text encoding. */
static void
tlv_sjis(struct buf *w, unsigned tag, const char *s, size_t slot)
{
	char out[512], *in = (char *)(uintptr_t)s, *o = out;
	size_t inleft = strlen(s), outleft = sizeof(out);
	iconv_t cd = iconv_open("SHIFT_JISX0213", "UTF-8");
	unsigned char *v;

	/* The last call flushes a character held back for combining. */
	if (cd == (iconv_t)-1 ||
	    iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &o, &outleft) == (size_t)-1) {
		w->bad = 1;
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		return;
	}
	iconv_close(cd);
	/* NUL padded to the field's size (card-facts §4.2). */
	if ((v = calloc(1, slot)) == NULL || (size_t)(o - out) > slot) {
		free(v);
		w->bad = 1;
		return;
	}
	memcpy(v, out, (size_t)(o - out));
	tlv(w, tag, v, slot);
	free(v);
}

/* Zero padding up to the EF's capacity (card-facts §4.2). */
static void
pad_to(struct buf *w, size_t cap)
{
	while (!w->bad && w->len < cap)
		put1(w, 0);
}

static void
le16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xFF);
	p[1] = (unsigned char)(v >> 8);
}

static void
le32(unsigned char *p, unsigned long v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)((v >> (8 * i)) & 0xFF);
}

/*
 * An all-white bilevel TIFF with CCITT T.6 (MMR) data, the format of
 * the chip's front, name and address images.  In T.6 a white row under
 * a white reference row is one vertical-0 code, the bit 1; the end of
 * the data is EOFB (two EOL codes, 000000000001 twice).
 */
static void
white_tiff(struct buf *w, unsigned width, unsigned height)
{
	static const unsigned short tags[9] = { 256, 257, 258, 259, 262, 273,
		277, 278, 279 };
	unsigned char hdr[8] = { 'I', 'I', 42, 0, 8, 0, 0, 0 };
	unsigned char ifd[2 + 9 * 12 + 4];
	unsigned long vals[9];
	size_t data_off = sizeof(hdr) + sizeof(ifd);
	size_t nbytes = (height + 7) / 8 + 3;
	unsigned char *data = calloc(1, nbytes);

	if (data == NULL) {
		w->bad = 1;
		return;
	}
	memset(data, 0xFF, height / 8);
	/* Left-over rows and EOFB, bit-packed from the high bit. */
	{
		unsigned long bits = 0;
		unsigned nb = 0;
		size_t o = height / 8;

		for (unsigned i = 0; i < height % 8; i++) {
			bits = bits << 1 | 1;
			nb++;
		}
		bits = bits << 24 | 0x001001;
		nb += 24;
		while (nb >= 8) {
			data[o++] = (unsigned char)((bits >> (nb - 8)) & 0xFF);
			nb -= 8;
		}
		if (nb > 0)
			data[o++] = (unsigned char)((bits << (8 - nb)) & 0xFF);
		nbytes = o;
	}
	vals[0] = width;
	vals[1] = height;
	vals[2] = 1;            /* bits per sample */
	vals[3] = 4;            /* compression: T.6 */
	vals[4] = 0;            /* WhiteIsZero */
	vals[5] = data_off;     /* strip offset */
	vals[6] = 1;
	vals[7] = height;
	vals[8] = nbytes;
	le16(ifd, 9);
	for (int i = 0; i < 9; i++) {
		unsigned char *e = ifd + 2 + 12 * i;
		int shorts = tags[i] == 258 || tags[i] == 259 ||
		    tags[i] == 262 || tags[i] == 277;

		le16(e, tags[i]);
		le16(e + 2, shorts ? 3 : 4);
		le32(e + 4, 1);
		le32(e + 8, vals[i]);
	}
	le32(ifd + 2 + 9 * 12, 0);
	put(w, hdr, sizeof(hdr));
	put(w, ifd, sizeof(ifd));
	put(w, data, nbytes);
	free(data);
}

/*
 * A face "image" shaped like JPEG 2000 (JP2 signature and file type
 * boxes, a codestream box from SOC to EOC) around seeded bytes: enough
 * for the tool, which stores it without decoding.  Not a picture.
 */
static void
jp2_face(struct buf *w, size_t len, unsigned seed)
{
	static const unsigned char sig[12] = { 0, 0, 0, 12, 'j', 'P', ' ', ' ',
		0x0D, 0x0A, 0x87, 0x0A };
	static const unsigned char ftyp[20] = { 0, 0, 0, 20, 'f', 't', 'y',
		'p', 'j', 'p', '2', ' ', 0, 0, 0, 0, 'j', 'p', '2', ' ' };
	size_t body = len - sizeof(sig) - sizeof(ftyp);
	unsigned char box[8];
	unsigned long x = seed;

	put(w, sig, sizeof(sig));
	put(w, ftyp, sizeof(ftyp));
	box[0] = (unsigned char)(body >> 24);
	box[1] = (unsigned char)(body >> 16);
	box[2] = (unsigned char)(body >> 8);
	box[3] = (unsigned char)body;
	memcpy(box + 4, "jp2c", 4);
	put(w, box, 8);
	put1(w, 0xFF);
	put1(w, 0x4F);
	for (size_t i = 0; i < body - 12; i++) {
		x = x * 1103515245UL + 12345UL;
		put1(w, (unsigned)((x >> 16) & 0xFF));
	}
	put1(w, 0xFF);
	put1(w, 0xD9);
}

/* ---- test PKI -------------------------------------------------------- */

static int
ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return -1;
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return 0;
}

static void
dn(X509_NAME *n, const char *cn)
{
	/* Shaped like the agency's DN (card-facts §4.5), marked TEST. */
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_UTF8,
	    (const unsigned char *)"JP", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
	    (const unsigned char *)"zairyu-tools TEST", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0);
}

/* A certificate for key, issued by ca (NULL: self-signed with cakey). */
static X509 *
make_cert(EVP_PKEY *key, const char *cn, X509 *ca, EVP_PKEY *cakey,
    long serial)
{
	X509 *x = X509_new();

	if (x == NULL)
		return NULL;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -3650L * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400);
	dn(X509_get_subject_name(x), cn);
	X509_set_issuer_name(x, ca != NULL ? X509_get_subject_name(ca) :
	    X509_get_subject_name(x));
	X509_set_pubkey(x, key);
	if (ca == NULL && (ext(x, x, NID_basic_constraints,
	    "critical,CA:TRUE,pathlen:0") < 0 ||
	    ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") < 0))
		goto fail;
	if (ca != NULL && ext(x, ca, NID_key_usage,
	    "critical,digitalSignature") < 0)
		goto fail;
	if (X509_sign(x, cakey, EVP_sha256()) == 0)
		goto fail;
	return x;
fail:
	X509_free(x);
	return NULL;
}

static int
der_of(X509 *x, struct buf *w, unsigned tag)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);

	if (n <= 0)
		return -1;
	tlv(w, tag, der, (size_t)n);
	OPENSSL_free(der);
	return 0;
}

/* ---- the card's side of the protocol ---------------------------------- */

static struct rstate *
state(struct sim_card *c)
{
	return c->app[0].priv;
}

static int
authed(struct sim_card *c, unsigned pin)
{
	return sim_pin_verified(&c->app[0], pin);
}

static void
set_pin(struct sim_card *c, unsigned pin, int v)
{
	struct sim_pin *p = sim_find_pin(&c->app[0], pin);

	if (p != NULL)
		p->verified = v;
}

static void
get_challenge(struct sim_card *c, struct rstate *s, const struct zr_apdu *a,
    unsigned char *rsp, size_t *rlen)
{
	if (a->le != 8) {
		sim_sw(rsp, rlen, 0x6700);
		return;
	}
	if (s->fixed)
		memcpy(s->rnd_icc, s->fixed_rnd_icc, 8);
	else if (RAND_bytes(s->rnd_icc, 8) != 1) {
		sim_sw(rsp, rlen, 0x6F00);
		return;
	}
	s->have_chal = 1;
	s->chal_at = c->napdu;
	sim_data(c, rsp, rlen, s->rnd_icc, 8, 0x9000);
}

/* card-facts §4.3 steps 6-8, played by the card. */
static void
mutual_auth(struct sim_card *c, struct rstate *s, const struct zr_apdu *a,
    unsigned char *rsp, size_t *rlen)
{
	unsigned char mac[8], p[32], k_icc[16], out[40];
	int fresh = s->have_chal && s->chal_at + 1 == c->napdu;

	s->have_chal = 0;
	set_pin(c, PIN_AUTH, 0);
	set_pin(c, PIN_NUMBER, 0);
	if (a->lc != 40 || a->p1 != 0 || a->p2 != 0) {
		sim_sw(rsp, rlen, a->lc != 40 ? 0x6700 : 0x6A86);
		return;
	}
	/* GET CHALLENGE must come right before (card-facts §4.3 step 3). */
	if (!fresh) {
		sim_sw(rsp, rlen, 0x6985);
		return;
	}
	if (zr_rcard_mac(s->gen, s->k, a->data, 32, mac, NULL) < 0 ||
	    CRYPTO_memcmp(mac, a->data + 32, 8) != 0 ||
	    zr_rcard_cbc(s->gen, s->k, 0, a->data, 32, p, NULL) < 0 ||
	    memcmp(p + 8, s->rnd_icc, 8) != 0) {
		sim_sw(rsp, rlen, 0x6300);
		return;
	}
	if (s->fixed)
		memcpy(k_icc, s->fixed_k_icc, 16);
	else if (RAND_bytes(k_icc, 16) != 1) {
		sim_sw(rsp, rlen, 0x6F00);
		return;
	}
	/* E.ICC = enc(RND.ICC || RND.IFD || K.ICC), M.ICC over it. */
	{
		unsigned char q[32];

		memcpy(q, s->rnd_icc, 8);
		memcpy(q + 8, p, 8);
		memcpy(q + 16, k_icc, 16);
		if (zr_rcard_cbc(s->gen, s->k, 1, q, 32, out, NULL) < 0 ||
		    zr_rcard_mac(s->gen, s->k, out, 32, out + 32, NULL) < 0) {
			sim_sw(rsp, rlen, 0x6F00);
			return;
		}
	}
	zr_rcard_session_key(p + 16, k_icc, s->ks);
	set_pin(c, PIN_AUTH, 1);
	sim_data(c, rsp, rlen, out, sizeof(out), 0x9000);
}

/* card-facts §4.3 step 9: VERIFY with the number under SM. */
static void
sm_verify(struct sim_card *c, struct rstate *s, const struct zr_apdu *a,
    unsigned char *rsp, size_t *rlen)
{
	unsigned char p[16];

	if (!authed(c, PIN_AUTH)) {
		sim_sw(rsp, rlen, 0x6982);
		return;
	}
	if (a->p1 != 0x00 || a->p2 != 0x86) {
		sim_sw(rsp, rlen, 0x6A86);
		return;
	}
	if (a->lc != 19 || a->data[0] != 0x86 || a->data[1] != 0x11 ||
	    a->data[2] != 0x01) {
		sim_sw(rsp, rlen, 0x6988);
		return;
	}
	if (zr_rcard_cbc(s->gen, s->ks, 0, a->data + 3, 16, p, NULL) < 0 ||
	    memcmp(p, s->number, ZR_RCARD_NUMBER_LEN) != 0 ||
	    p[12] != 0x80 || p[13] != 0 || p[14] != 0 || p[15] != 0) {
		sim_sw(rsp, rlen, 0x6300);
		return;
	}
	set_pin(c, PIN_NUMBER, 1);
	sim_sw(rsp, rlen, 0x9000);
}

static struct sim_ef *
ef_by_sfi(struct sim_app *app, unsigned p1)
{
	for (size_t i = 0; i < app->nef; i++)
		if (app->ef[i].sfi == (p1 & 0x1Fu) && app->ef[i].sfi != 0)
			return &app->ef[i];
	return NULL;
}

/* card-facts §4.3: SM READ BINARY, answer 86 L 01 enc(data || 80 00..). */
static void
sm_read(struct sim_card *c, struct rstate *s, const struct zr_apdu *a,
    unsigned char *rsp, size_t *rlen)
{
	struct sim_ef *ef;
	unsigned char *p, *o;
	size_t bs = s->gen == ZR_RCARD_GEN1 ? 8 : 16, n, plen, want;
	struct buf w = { 0 };

	if (!authed(c, PIN_NUMBER)) {
		sim_sw(rsp, rlen, 0x6982);
		return;
	}
	if (a->lc != 4 || a->data[0] != 0x96 || a->data[1] != 0x02) {
		sim_sw(rsp, rlen, 0x6988);
		return;
	}
	if ((a->p1 & 0x80) == 0 || (ef = ef_by_sfi(c->cur, a->p1)) == NULL) {
		sim_sw(rsp, rlen, 0x6A82);
		return;
	}
	if (a->p2 >= ef->len) {
		sim_sw(rsp, rlen, 0x6B00);
		return;
	}
	want = (size_t)a->data[2] << 8 | a->data[3];
	n = ef->len - a->p2;
	if (want != 0 && want < n)
		n = want;
	plen = (n / bs + 1) * bs;
	if ((p = calloc(1, plen)) == NULL || (o = malloc(plen)) == NULL) {
		free(p);
		sim_sw(rsp, rlen, 0x6F00);
		return;
	}
	memcpy(p, ef->data + a->p2, n);
	p[n] = 0x80;
	if (zr_rcard_cbc(s->gen, s->ks, 1, p, plen, o, NULL) < 0) {
		free(p);
		free(o);
		sim_sw(rsp, rlen, 0x6F00);
		return;
	}
	{
		unsigned char *v = malloc(plen + 1);

		if (v != NULL) {
			v[0] = 0x01;
			memcpy(v + 1, o, plen);
			tlv(&w, 0x86, v, plen + 1);
			free(v);
		} else {
			w.bad = 1;
		}
	}
	free(p);
	free(o);
	if (w.bad || w.len > SIM_RSP_MAX - 2)
		sim_sw(rsp, rlen, 0x6F00);
	else
		sim_data(c, rsp, rlen, w.b, w.len, 0x9000);
	free(w.b);
}

static int
rcard_handler(struct sim_card *c, struct sim_app *app,
    const struct zr_apdu *a, unsigned char *rsp, size_t *rlen)
{
	struct rstate *s = state(c);
	int df1 = app != &c->app[0] && app->aidlen == 16 && app->aid[5] == 0x02;

	/* A reader without extended APDUs: the command never arrives
	 * whole; played here as the card seeing a wrong length. */
	if (s->short_only && a->extended) {
		sim_sw(rsp, rlen, 0x6700);
		return 1;
	}
	if (a->cla == 0x08) {
		if (a->ins == 0x20)
			sm_verify(c, s, a, rsp, rlen);
		else if (a->ins == 0xB0 && df1)
			sm_read(c, s, a, rsp, rlen);
		else
			sim_sw(rsp, rlen, 0x6882);
		return 1;
	}
	if (a->cla != 0x00)
		return 0;
	switch (a->ins) {
	case 0x84:
		get_challenge(c, s, a, rsp, rlen);
		return 1;
	case 0x82:
		mutual_auth(c, s, a, rsp, rlen);
		return 1;
	case 0x20:
		/* Only the SM form exists on this card. */
		sim_sw(rsp, rlen, 0x6982);
		return 1;
	case 0xB0:
		/* MF: free.  DF1: SM only.  DF2, DF3: after VERIFY. */
		if (app == &c->app[0])
			return 0;
		if (df1 || !authed(c, PIN_NUMBER)) {
			sim_sw(rsp, rlen, 0x6982);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* ---- the card --------------------------------------------------------- */

/* The invented person of examples/sample/case.facts. */
#define P_ADDRESS "東京都江東区青海1-2-3 サンプルハイツ101"
#define P_PERM "許可：原則週28時間以内・風俗営業等の従事を除く"

static struct sim_app *
df(struct sim_card *c, const char *name, const unsigned char *aid)
{
	struct sim_app *a = sim_add_app(c, name, aid, 16);

	if (a != NULL)
		a->handler = rcard_handler;
	return a;
}

static int
add(struct sim_app *a, unsigned fid, unsigned sfi, struct buf *w)
{
	int ok = !w->bad && sim_add_ef(a, fid, sfi, w->b, w->len, 0) != NULL;

	free(w->b);
	memset(w, 0, sizeof(*w));
	return ok ? 0 : -1;
}

static int
sign_rsa(EVP_PKEY *key, const unsigned char *d, size_t n, unsigned char *sig,
    size_t *siglen)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok = m != NULL &&
	    EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, key) == 1 &&
	    EVP_DigestSign(m, sig, siglen, d, n) == 1;

	EVP_MD_CTX_free(m);
	return ok ? 0 : -1;
}

/* ECDSA P-384 over SHA-256, as r || s of 48 bytes each (card-facts §4.5:
 * DC holds 96 bytes). */
static int
sign_ecdsa(EVP_PKEY *key, const unsigned char *d, size_t n,
    unsigned char out[96])
{
	unsigned char der[160];
	const unsigned char *p = der;
	size_t dlen = sizeof(der);
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	ECDSA_SIG *es = NULL;
	const BIGNUM *r, *s;
	int ok = m != NULL &&
	    EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, key) == 1 &&
	    EVP_DigestSign(m, der, &dlen, d, n) == 1 &&
	    (es = d2i_ECDSA_SIG(NULL, &p, (long)dlen)) != NULL;

	EVP_MD_CTX_free(m);
	if (!ok)
		return -1;
	ECDSA_SIG_get0(es, &r, &s);
	ok = BN_bn2binpad(r, out, 48) == 48 && BN_bn2binpad(s, out + 48, 48) ==
	    48;
	ECDSA_SIG_free(es);
	return ok ? 0 : -1;
}

static int
build_gen1(struct sim_card *c, struct sim_pki *pki, struct rstate *s,
    const char *type, int tampered)
{
	struct sim_app *d1, *d2, *d3;
	struct buf front = { 0 }, face = { 0 }, w = { 0 };
	unsigned char *signed_ = NULL, sig[512];
	size_t siglen = sizeof(sig);
	X509 *cert = NULL;
	int residence = strcmp(type, "1") == 0, rc = -1;

	if ((d1 = df(c, "DF1", zr_rcard_aid_df1)) == NULL ||
	    (d2 = df(c, "DF2", zr_rcard_aid_df2)) == NULL ||
	    (d3 = df(c, "DF3", zr_rcard_aid_df3)) == NULL)
		return -1;
	/* DF1: front image (TIFF, <= 7000) and face (JPEG 2000, <= 3000). */
	white_tiff(&front, 1728, 1104);
	jp2_face(&face, 2400, 1);
	if (front.bad || face.bad)
		goto out;
	tlv(&w, 0xD0, front.b, front.len);
	if (add(d1, 0x0001, 5, &w) < 0)
		goto out;
	tlv(&w, 0xD1, face.b, face.len);
	if (add(d1, 0x0002, 6, &w) < 0)
		goto out;
	/* DF2: address (342 B), permissions (122 B each), renewal (3 B). */
	tlv_str(&w, 0xD2, "20240201");
	tlv_str(&w, 0xD3, "131083");
	tlv_sjis(&w, 0xD4, P_ADDRESS, 320);
	pad_to(&w, 342);
	if (add(d2, 0x0001, 1, &w) < 0)
		goto out;
	if (residence) {
		/* A card with no permission: 120 ASCII '0' (as seen on a
		 * real card, issue 12). */
		static const char zeros[121] = "000000000000000000000000000000"
		    "000000000000000000000000000000000000000000000000000000000"
		    "000000000000000000000000000000000";

		if (s->perm_zeros)
			tlv(&w, 0xD5, zeros, 120);
		else
			tlv_sjis(&w, 0xD5, P_PERM, 120);
		if (add(d2, 0x0002, 2, &w) < 0)
			goto out;
		if (s->perm_zeros)
			tlv(&w, 0xD6, zeros, 120);
		else
			tlv(&w, 0xD6, "\0\0\0\0", 4);
		pad_to(&w, 122);
		if (add(d2, 0x0003, 3, &w) < 0)
			goto out;
		tlv_str(&w, 0xD7, "0");
		if (add(d2, 0x0004, 4, &w) < 0)
			goto out;
	}
	/* DF3: RSA-2048 over front || face padded to 7000 / 3000
	 * (card-facts §4.5), and the certificate of the key. */
	if ((signed_ = calloc(1, 10000)) == NULL)
		goto out;
	memcpy(signed_, front.b, front.len);
	memcpy(signed_ + 7000, face.b, face.len);
	if (sign_rsa(pki->sign_key, signed_, 10000, sig, &siglen) < 0)
		goto out;
	if ((s->ca = make_cert(pki->ca_key, "ZairyuCard TEST CA", NULL,
	    pki->ca_key, 21)) == NULL ||
	    (cert = make_cert(pki->sign_key, "ZairyuCard TEST card signer",
	    s->ca, pki->ca_key, 22)) == NULL)
		goto out;
	tlv(&w, 0xDA, sig, siglen);
	if (der_of(cert, &w, 0xDB) < 0)
		goto out;
	pad_to(&w, 1464);
	if (add(d3, 0x0001, 2, &w) < 0)
		goto out;
	rc = 0;
	if (tampered)
		rc = rcard_sim_tamper(c);
out:
	free(front.b);
	free(face.b);
	free(w.b);
	free(signed_);
	X509_free(cert);
	return rc;
}

static int
build_gen2(struct sim_card *c, struct rstate *s, const char *type,
    int tampered)
{
	struct sim_app *d1, *d2, *d3;
	struct buf name = { 0 }, face = { 0 }, addr = { 0 }, w = { 0 };
	struct buf target = { 0 };
	unsigned char sig[96];
	EVP_PKEY *cakey = NULL, *key = NULL;
	X509 *cert = NULL;
	int residence = strcmp(type, "05") == 0, rc = -1;
	/* card-facts §4.2: DF1/EF02 printed entries, in file order. */
	struct {
		unsigned tag;
		const char *v;
		int res_only;
	} entries[] = {
		{ 0xC5, "20270131", 0 }, { 0xC6, "19900401", 0 },
		{ 0xC7, "1", 0 }, { 0xC8, "UTO", 0 },
		{ 0xC9, "0000000012", 0 }, { 0xCE, "0300", 0 },
		{ 0xCA, "01", 1 }, { 0xCB, "20240201", 1 },
		{ 0xCC, "2", 1 }, { 0xCD, "20270131", 1 },
	};

	if ((d1 = df(c, "DF1", zr_rcard_aid_df1)) == NULL ||
	    (d2 = df(c, "DF2", zr_rcard_aid_df2)) == NULL ||
	    (d3 = df(c, "DF3", zr_rcard_aid_df3)) == NULL)
		return -1;
	white_tiff(&name, 800, 96);
	jp2_face(&face, 2900, 2);
	white_tiff(&addr, 1200, 160);
	if (name.bad || face.bad || addr.bad)
		goto out;
	/* DF1/EF01: the number (14 B). */
	tlv(&w, 0xC2, s->number, ZR_RCARD_NUMBER_LEN);
	if (add(d1, 0x0001, 1, &w) < 0)
		goto out;
	/* DF1/EF02 (73 B; 46 on type 06) and the signed values (53 B). */
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		if (entries[i].res_only && !residence)
			continue;
		tlv_str(&w, entries[i].tag, entries[i].v);
		put(&target, entries[i].v, strlen(entries[i].v));
	}
	pad_to(&target, 53);
	if (add(d1, 0x0002, 3, &w) < 0)
		goto out;
	/* DF1/EF03: name (D0) and face (D1), 5508 B; EF04 address. */
	tlv(&w, 0xD0, name.b, name.len);
	tlv(&w, 0xD1, face.b, face.len);
	pad_to(&w, 5508);
	if (add(d1, 0x0003, 4, &w) < 0)
		goto out;
	tlv(&w, 0xDFD1, addr.b, addr.len);
	pad_to(&w, 2505);
	if (add(d1, 0x0004, 6, &w) < 0)
		goto out;
	/* DF2. */
	if (residence) {
		tlv_str(&w, 0xD5, "1");
		tlv_str(&w, 0xD6, "20270131");
		tlv_str(&w, 0xD7, "0");
		pad_to(&w, 22);
		if (add(d2, 0x0001, 1, &w) < 0)
			goto out;
		tlv_str(&w, 0xD8, "1");
		if (add(d2, 0x0002, 2, &w) < 0)
			goto out;
	}
	tlv_str(&w, 0xD9, "0");
	tlv(&w, 0xDE, "", 0);
	pad_to(&w, 207);
	/* Type 06: one DF2 file, as EF01 (or EF03, or none at all in the
	 * -ef03 and -absent variants: card-facts §4.2 does not know). */
	if (!residence && s->df2_absent) {
		free(w.b);
		memset(&w, 0, sizeof(w));
	} else if (add(d2, residence || s->df2_ef03 ? 0x0003 : 0x0001,
	    residence || s->df2_ef03 ? 3 : 1, &w) < 0)
		goto out;
	/* DF3: ECDSA P-384 over entries || face || name (card-facts §4.5)
	 * under a fresh P-384 test CA. */
	put(&target, face.b, face.len);
	put(&target, name.b, name.len);
	if (target.bad ||
	    (cakey = EVP_EC_gen("P-384")) == NULL ||
	    (key = EVP_EC_gen("P-384")) == NULL ||
	    (s->ca = make_cert(cakey, "ZairyuCard TEST CA2", NULL, cakey,
	    31)) == NULL ||
	    (cert = make_cert(key, "ZairyuCard TEST signer2", s->ca, cakey,
	    32)) == NULL ||
	    sign_ecdsa(key, target.b, target.len, sig) < 0)
		goto out;
	tlv(&w, 0xDC, sig, sizeof(sig));
	if (der_of(cert, &w, 0xDD) < 0)
		goto out;
	pad_to(&w, 704);
	if (add(d3, 0x0001, 2, &w) < 0)
		goto out;
	rc = 0;
	if (tampered)
		rc = rcard_sim_tamper(c);
out:
	free(name.b);
	free(face.b);
	free(addr.b);
	free(w.b);
	free(target.b);
	EVP_PKEY_free(cakey);
	EVP_PKEY_free(key);
	X509_free(cert);
	return rc;
}

int
rcard_sim_build_number(struct sim_card *c, struct sim_pki *pki,
    const char *variant, const char *number)
{
	struct sim_app *mf = &c->app[0];
	struct buf w = { 0 };
	struct rstate *s;
	const char *type;
	int tampered = strstr(variant, "-tampered") != NULL;

	if (strncmp(variant, "rcard1", 6) == 0)
		type = strstr(variant, "-spr") != NULL ? "2" : "1";
	else if (strncmp(variant, "rcard2", 6) == 0)
		type = strstr(variant, "-spr") != NULL ? "06" : "05";
	else if (strcmp(variant, "rcard-unknown") == 0)
		type = "09";
	else
		return -1;
	if (strlen(number) != ZR_RCARD_NUMBER_LEN ||
	    (s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	memcpy(s->number, number, ZR_RCARD_NUMBER_LEN);
	zr_rcard_base_key(s->number, s->k);
	s->gen = zr_rcard_generation(type);
	s->short_only = strstr(variant, "-short") != NULL;
	s->df2_ef03 = strstr(variant, "-ef03") != NULL;
	s->df2_absent = strstr(variant, "-absent") != NULL;
	s->perm_zeros = strstr(variant, "-noperm") != NULL;
	mf->handler = rcard_handler;
	mf->priv = s;
	mf->priv_free = rstate_free;
	if (sim_add_pin(mf, PIN_AUTH, "-", 1, 1) == NULL ||
	    sim_add_pin(mf, PIN_NUMBER, "-", 1, 1) == NULL)
		return -1;
	/* MF/EF01 spec version (6 B), EF02 card type (card-facts §4.2). */
	tlv_str(&w, 0xC0, "0001");
	if (add(mf, 0x0001, 0x0B, &w) < 0)
		return -1;
	tlv_str(&w, 0xC1, type);
	if (add(mf, 0x0002, 0x0A, &w) < 0)
		return -1;
	if (s->gen == ZR_RCARD_GEN1)
		return build_gen1(c, pki, s, type, tampered);
	if (s->gen == ZR_RCARD_GEN2)
		return build_gen2(c, s, type, tampered);
	/* Unknown type: the MF only, and a card that authenticates
	 * nothing (it does not know the protocol either). */
	s->gen = ZR_RCARD_GEN2;
	return 0;
}

int
rcard_sim_build(struct sim_card *c, struct sim_pki *pki,
    const struct sim_opts *o)
{
	return rcard_sim_build_number(c, pki, o->profile, RCARD_SIM_NUMBER);
}

void
rcard_sim_fix_randoms(struct sim_card *c, const unsigned char rnd_icc[8],
    const unsigned char k_icc[16])
{
	struct rstate *s = state(c);

	s->fixed = 1;
	memcpy(s->fixed_rnd_icc, rnd_icc, 8);
	memcpy(s->fixed_k_icc, k_icc, 16);
}

int
rcard_sim_append_ca(const struct sim_card *c, const char *path)
{
	const struct rstate *s = c->app[0].priv;
	FILE *fp;
	int ok;

	if (c->app[0].handler != rcard_handler || s == NULL || s->ca == NULL)
		return 0;
	if ((fp = fopen(path, "a")) == NULL)
		return -1;
	ok = PEM_write_X509(fp, s->ca);
	return fclose(fp) == 0 && ok ? 0 : -1;
}

int
rcard_sim_tamper(struct sim_card *c)
{
	struct sim_app *d1 = sim_find_app(c, "DF1");
	struct sim_ef *ef;

	/* The face is the last TLV with tag D1 of its EF; change a byte in
	 * its middle, past every header. */
	if (d1 == NULL)
		return -1;
	for (size_t i = 0; i < d1->nef; i++) {
		ef = &d1->ef[i];
		if ((ef->sfi == 6 && state(c)->gen == ZR_RCARD_GEN1) ||
		    (ef->sfi == 4 && state(c)->gen == ZR_RCARD_GEN2)) {
			ef->data[ef->len / 3] ^= 0x01;
			return 0;
		}
	}
	return -1;
}
