/* zairyu-tools: fuzz APDU/response/TLV parsing, certificate parsing, and
 * the JPKI card dialogue against the software card, scripted to fail. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zairyu/zairyu.h"
#include "../cardsim/cardsim.h"
#include "fuzz.h"
#include "fuzzutil.h"

/* The seeds: commands, TLV, a certificate, and dialogue scripts with
 * the software card's certificate (about 1 KB). */
#define FUZZ_MAX_LEN 4096

/*
 * The card dialogue zr-cardtest runs (identify, select the JPKI AP, read
 * and verify the certificates, PIN status, VERIFY, sign and check the
 * signature), against the software card of the tests (tests/cardsim, a
 * My Number card with test keys), with the input deciding what goes
 * wrong:
 *   byte 0   flags: 1 the authentication certificate file holds the
 *            input's tail; 2 sign; 4 answer T=0 style (61xx); 8 6Cxx for
 *            a wrong Le; 16 a wrong PIN; 32 a card that needs a reset
 *   byte 1   n = byte % 8 edits, then n x [answer number, offset, xor]:
 *            the card's answer number k gets one byte changed
 *   the rest the certificate file (flag 1)
 */
struct edit {
	unsigned k, off, x;
};

struct script {
	struct zr_transport inner;
	const struct edit *ed;
	size_t ned;
	unsigned n;
};

static struct sim_card card;
static struct sim_pki pki;
static struct sim_ef *auth_ef;
static int tries[SIM_MAX_APPS][SIM_MAX_PINS];
static const char *ca_path;
static time_t when;
static int ready;

static int
script_xfer(void *ctx, const unsigned char *cmd, size_t cmdlen,
    unsigned char *rsp, size_t *rsplen, struct zr_error *err)
{
	struct script *s = ctx;
	size_t i;

	if (s->inner.xfer(s->inner.ctx, cmd, cmdlen, rsp, rsplen, err) < 0)
		return -1;
	for (i = 0; i < s->ned; i++)
		if (s->ed[i].k == s->n && *rsplen > 0)
			rsp[s->ed[i].off % *rsplen] ^= (unsigned char)s->ed[i].x;
	s->n++;
	return 0;
}

static int
script_reset(void *ctx, struct zr_error *err)
{
	struct script *s = ctx;

	return s->inner.reset(s->inner.ctx, err);
}

static int
setup(void)
{
	struct sim_opts o;
	char msg[200];
	size_t a, i;

	/* RSA-1024 test keys: the dialogue and the parsers read any size,
	 * and a 2048-bit signature under ASan was most of each input. */
	sim_rsa_bits = 1024;
	if (sim_pki_init(&pki, NULL, msg, sizeof(msg)) < 0)
		return -1;
	sim_card_init(&card);
	sim_opts_default(&o);
	if (sim_profile_build(&card, &pki, &o, msg, sizeof(msg)) < 0)
		return -1;
	for (a = 1; a < card.napp; a++)
		for (i = 0; i < card.app[a].nef; i++)
			if (card.app[a].ef[i].fid == ZR_JPKI_EF_AUTH_CERT &&
			    auth_ef == NULL)
				auth_ef = &card.app[a].ef[i];
	for (a = 0; a < card.napp; a++)
		for (i = 0; i < card.app[a].npin; i++)
			tries[a][i] = card.app[a].pin[i].tries;
	if ((ca_path = fuzz_file(2, "", 0)) == NULL ||
	    sim_pki_write_ca(&pki, ca_path) < 0)
		return -1;
	when = time(NULL);
	return auth_ef != NULL ? 0 : -1;
}

static void
dialogue(const uint8_t *data, size_t size)
{
	struct edit ed[8];
	struct script s;
	struct zr_transport t;
	struct zr_card_id id;
	struct zr_pin_status st;
	struct zr_error e;
	struct zr_cert_info ci;
	unsigned char *der = NULL, *orig = NULL, di[ZR_DIGESTINFO_SHA256_LEN];
	unsigned char sig[512], hash[32] = { 1, 2, 3 };
	size_t len, siglen, ned = 0, i, a, origlen = 0, off;
	char anchor[256];
	int flags;

	if (!ready)
		ready = setup() == 0 ? 1 : -1;
	if (ready < 0 || size < 2)
		return;
	flags = data[0];
	ned = data[1] % 8;
	if (size < 2 + 3 * ned)
		return;
	for (i = 0; i < ned; i++) {
		ed[i].k = data[2 + 3 * i];
		ed[i].off = data[3 + 3 * i];
		ed[i].x = data[4 + 3 * i];
	}
	off = 2 + 3 * ned;
	/* A fresh card: tries as built, nothing verified. */
	for (a = 0; a < card.napp; a++)
		for (i = 0; i < card.app[a].npin; i++)
			card.app[a].pin[i].tries = tries[a][i];
	sim_card_reset(&card);
	card.t0_chunk = flags & 4 ? 0x40 : 0;
	card.exact_le = flags & 8 ? 1 : 0;
	if (flags & 1) {
		orig = auth_ef->data;
		origlen = auth_ef->len;
		auth_ef->data = (unsigned char *)(uintptr_t)(data + off);
		auth_ef->len = size - off;
	}
	s.inner = sim_transport(&card);
	s.ed = ed;
	s.ned = ned;
	s.n = 0;
	t.name = "fuzz";
	t.ctx = &s;
	t.xfer = script_xfer;
	t.reset = flags & 32 ? script_reset : NULL;

	if (zr_card_identify(&t, &id, &e) < 0)
		goto out;
	(void)zr_card_kind_name(&id);
	if (zr_jpki_select(&t, &e) < 0)
		goto out;
	if (zr_jpki_read_cert(&t, ZR_JPKI_EF_AUTH_CERT, &der, &len, &e) < 0)
		goto out;
	if (zr_cert_parse(der, len, &ci, &e) == 0)
		(void)zr_jpki_verify_chain(der, len, ca_path, when, anchor,
		    sizeof(anchor), &e);
	if (zr_jpki_pin_status(&t, ZR_JPKI_AUTH, &st, &e) < 0)
		goto out;
	if (zr_jpki_verify(&t, ZR_JPKI_AUTH, flags & 16 ? "0000" : "1234", 4,
	    flags & 64 ? ZR_JPKI_LAST_TRY : 0, &st, &e) < 0 || !(flags & 2))
		goto out;
	zr_digestinfo_sha256(hash, di);
	if (zr_jpki_sign(&t, ZR_JPKI_AUTH, di, sizeof(di), sig, sizeof(sig),
	    &siglen, &e) == 0)
		(void)zr_cert_verify_rsa_sha256(der, len, hash, sizeof(hash),
		    sig, siglen, &e);
out:
	free(der);
	if (orig != NULL) {
		auth_ef->data = orig;
		auth_ef->len = origlen;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_apdu a, b;
	struct zr_rapdu *r;
	struct zr_tlv t;
	struct zr_error e;
	struct zr_cert_info ci;
	unsigned char enc[ZR_APDU_CMD_MAX];
	size_t off = 0, n;

	if (size > FUZZ_MAX_LEN)
		return 0;
	/* A command APDU: what decodes must encode back to the same bytes
	 * (the sim parses what the tools build). */
	if (zr_apdu_decode(data, size, &a, &e) == 0) {
		b = a;
		if (zr_apdu_encode(&b, enc, sizeof(enc), &n, &e) == 0 &&
		    (n != size || memcmp(enc, data, n) != 0))
			abort();
	}
	/* A response APDU. */
	if ((r = malloc(sizeof(*r))) != NULL) {
		(void)zr_rapdu_parse(data, size, r, &e);
		free(r);
	}
	/* BER-TLV objects one after another. */
	while (off < size && zr_tlv_next(data, size, &off, &t, &e) == 0)
		if (t.constructed && t.val != NULL) {
			size_t inner = 0;
			struct zr_tlv u;

			while (inner < t.len && zr_tlv_next(t.val, t.len,
			    &inner, &u, &e) == 0)
				;
		}
	(void)zr_tlv_find(data, size, 0xC1, &t, &e);
	/* A certificate (sign certificate SAN and all). */
	if (zr_cert_parse(data, size, &ci, &e) == 0)
		(void)zr_jpki_verify_chain(data, size, NULL, time(NULL), NULL,
		    0, &e);
	/* And the card dialogue. */
	dialogue(data, size);
	return 0;
}
