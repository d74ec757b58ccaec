/* zairyu-tools: fuzz APDU/response/TLV parsing, the JPKI card dialogue
 * against a card that answers with fuzz data, and certificate parsing. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zairyu/zairyu.h"
#include "fuzz.h"

/*
 * The input is also a script of card answers: each answer is a 2-byte
 * big-endian length L and L bytes (data + SW); when it runs out the card
 * is "removed".
 */
struct script {
	const uint8_t *p;
	size_t n;
};

static int
script_xfer(void *ctx, const unsigned char *cmd, size_t cmdlen,
    unsigned char *rsp, size_t *rsplen, struct zr_error *err)
{
	struct script *s = ctx;
	size_t l;

	(void)cmd;
	(void)cmdlen;
	if (s->n < 2)
		return zr_error_set(err, ZR_E_CARD_REMOVED, "fuzz", NULL);
	l = (size_t)s->p[0] << 8 | s->p[1];
	if (l > s->n - 2)
		l = s->n - 2;
	if (l > *rsplen)
		l = *rsplen;
	memcpy(rsp, s->p + 2, l);
	*rsplen = l;
	s->p += 2 + l;
	s->n -= 2 + l;
	return 0;
}

static void
dialogue(const uint8_t *data, size_t size)
{
	struct script s = { data, size };
	struct zr_transport t = { "fuzz", &s, script_xfer, NULL };
	struct zr_card_id id;
	struct zr_pin_status st;
	struct zr_error e;
	struct zr_cert_info ci;
	unsigned char *der, di[ZR_DIGESTINFO_SHA256_LEN] = { 0 }, sig[512];
	size_t len, siglen;

	if (zr_card_identify(&t, &id, &e) < 0)
		return;
	(void)zr_card_kind_name(&id);
	if (zr_jpki_read_cert(&t, ZR_JPKI_EF_AUTH_CERT, &der, &len, &e) == 0) {
		if (zr_cert_parse(der, len, &ci, &e) == 0)
			(void)zr_jpki_verify_chain(der, len, NULL, time(NULL),
			    NULL, 0, &e);
		free(der);
	}
	(void)zr_jpki_pin_status(&t, ZR_JPKI_AUTH, &st, &e);
	(void)zr_jpki_verify(&t, ZR_JPKI_AUTH, "1234", 4, ZR_JPKI_LAST_TRY,
	    &st, &e);
	(void)zr_jpki_sign(&t, ZR_JPKI_AUTH, di, sizeof(di), sig, sizeof(sig),
	    &siglen, &e);
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

	if (size > 65536)
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
