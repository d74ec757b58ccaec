/* Fuzz target: residence card file parsers, secure-messaging answers, the
 * signature check over what they produce, and the dialogue zr-cardtest
 * --residence-card runs against the software card holding the input's
 * files. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/rcard.h"
#include "../cardsim/rcard_sim.h"
#include "fuzz.h"
#include "fuzzutil.h"

/* The seeds are the files of both card generations (about 1 KB). */
#define FUZZ_MAX_LEN 4096

/*
 * Input: byte 0 picks the generation; then records of
 * [file number] [length hi] [length lo] [bytes], each parsed into one
 * struct zr_rcard as a card's files would be.  The whole input is also
 * given to the secure-messaging unwrapper with a fixed key.
 */
/*
 * The dialogue: byte 0 bit 0 picks the generation (as below), bit 1 one
 * edit of the card's answers (bytes 1-3: answer number, offset, xor;
 * the records start at byte 4), bit 2 a wrong card number.  Each record
 * replaces the plain content of one of the card's files (the file byte
 * modulo their number); the card wraps it in secure messaging itself.
 */
struct edit {
	struct zr_transport inner;
	unsigned k, off, x, n;
	int on;
};

static struct sim_card cards[2];
static struct sim_pki pki;
static char ca_path[4096];
static int tries[2][SIM_MAX_APPS][SIM_MAX_PINS];
static int ready;

static int
edit_xfer(void *ctx, const unsigned char *cmd, size_t cmdlen,
    unsigned char *rsp, size_t *rsplen, struct zr_error *err)
{
	struct edit *s = ctx;

	if (s->inner.xfer(s->inner.ctx, cmd, cmdlen, rsp, rsplen, err) < 0)
		return -1;
	if (s->on && s->n == s->k && *rsplen > 0)
		rsp[s->off % *rsplen] ^= (unsigned char)s->x;
	s->n++;
	return 0;
}

static int
edit_reset(void *ctx, struct zr_error *err)
{
	struct edit *s = ctx;

	return s->inner.reset(s->inner.ctx, err);
}

static int
setup(void)
{
	static const char *const variant[2] = { "rcard1", "rcard2" };
	char msg[200];
	const char *p;
	int g;

	if (sim_pki_init(&pki, NULL, msg, sizeof(msg)) < 0 ||
	    (p = fuzz_file(3, "", 0)) == NULL)
		return -1;
	snprintf(ca_path, sizeof(ca_path), "%s", p);
	for (g = 0; g < 2; g++) {
		sim_card_init(&cards[g]);
		if (rcard_sim_build_number(&cards[g], &pki, variant[g],
		    RCARD_SIM_NUMBER) < 0 ||
		    rcard_sim_append_ca(&cards[g], ca_path) < 0)
			return -1;
		sim_card_reset(&cards[g]);
		for (size_t a = 0; a < cards[g].napp; a++)
			for (size_t i = 0; i < cards[g].app[a].npin; i++)
				tries[g][a][i] = cards[g].app[a].pin[i].tries;
	}
	return 0;
}

static void
dialogue(const uint8_t *data, size_t size)
{
	struct sim_card *c;
	struct sim_ef *efs[SIM_MAX_APPS * SIM_MAX_EFS], *ef;
	struct {
		struct sim_ef *ef;
		unsigned char *data;
		size_t len;
	} saved[16];
	struct edit ed;
	struct zr_transport t;
	struct zr_rcard rc;
	struct zr_rcard_sigcheck sc;
	struct zr_rcard_field fl[ZR_RCARD_FIELDS_MAX];
	struct zr_facts *f;
	struct zr_rcard_diff d[4];
	struct zr_error e;
	size_t nef = 0, nsaved = 0, off, a, i, n, checked;

	if (!ready)
		ready = setup() == 0 ? 1 : -1;
	if (ready < 0)
		return;
	c = &cards[data[0] & 1];
	/* A fresh card: a wrong number must not lock it for the next input. */
	for (a = 0; a < c->napp; a++)
		for (i = 0; i < c->app[a].npin; i++)
			c->app[a].pin[i].tries = tries[data[0] & 1][a][i];
	for (a = 0; a < c->napp; a++)
		for (i = 0; i < c->app[a].nef; i++)
			efs[nef++] = &c->app[a].ef[i];
	memset(&ed, 0, sizeof(ed));
	off = 1;
	if (data[0] & 2) {
		if (size < 4)
			return;
		ed.on = 1;
		ed.k = data[1];
		ed.off = data[2];
		ed.x = data[3];
		off = 4;
	}
	while (off + 3 <= size && nsaved < 16 && nef > 0) {
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];

		ef = efs[data[off] % nef];
		off += 3;
		if (len > size - off)
			len = size - off;
		for (i = 0; i < nsaved && saved[i].ef != ef; i++)
			;
		if (i == nsaved) {
			saved[nsaved].ef = ef;
			saved[nsaved].data = ef->data;
			saved[nsaved++].len = ef->len;
		}
		ef->data = (unsigned char *)(uintptr_t)(data + off);
		ef->len = len;
		off += len;
	}
	sim_card_reset(c);
	ed.inner = sim_transport(c);
	t.name = "fuzz";
	t.ctx = &ed;
	t.xfer = edit_xfer;
	t.reset = edit_reset;
	zr_rcard_init(&rc);
	if (zr_rcard_read(&t, data[0] & 4 ? "AB12345678CE" : RCARD_SIM_NUMBER,
	    &rc, &e) == 0) {
		n = zr_rcard_fields(&rc, fl, ZR_RCARD_FIELDS_MAX);
		if (n > ZR_RCARD_FIELDS_MAX)
			abort();
		(void)zr_rcard_verify(&rc, ca_path, &sc, &e);
		if ((f = zr_facts_new("fuzz")) != NULL) {
			if (zr_rcard_to_facts(&rc, RCARD_SIM_NUMBER, f,
			    &e) < 0)
				abort();
			zr_rcard_compare_facts(&rc, f, d, 4, &n, &checked);
			if (n != 0)
				abort();  /* the chip agrees with itself */
			zr_facts_free(f);
		}
	}
	zr_rcard_free(&rc);
	for (i = nsaved; i-- > 0;) {
		saved[i].ef->data = saved[i].data;
		saved[i].ef->len = saved[i].len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char ks[ZR_RCARD_KEY_LEN] = { 0xC1, 0x9C, 0xF1,
		0x3D, 0x3D, 0x7F, 0xBE, 0xE9, 0xEA, 0x29, 0x3D, 0x83, 0x4C,
		0x88, 0x95, 0x2F };
	unsigned char out[8192], *signed_;
	struct zr_rcard rc;
	struct zr_rcard_sigcheck sc;
	struct zr_facts *f;
	struct zr_rcard_diff d[4];
	struct zr_error e;
	size_t off = 1, n, checked, slen;

	if (size < 1 || size > FUZZ_MAX_LEN)
		return 0;
	zr_rcard_sm_unwrap(ZR_RCARD_GEN1, ks, data, size, out, sizeof(out),
	    &n, &e);
	zr_rcard_sm_unwrap(ZR_RCARD_GEN2, ks, data, size, out, sizeof(out),
	    &n, &e);
	zr_rcard_init(&rc);
	rc.gen = (data[0] & 1) ? ZR_RCARD_GEN2 : ZR_RCARD_GEN1;
	while (off + 3 <= size) {
		int file = data[off] % ZR_RCARD_FILE_COUNT_;
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];

		off += 3;
		if (len > size - off)
			len = size - off;
		zr_rcard_parse_file(&rc, file, data + off, len, &e);
		off += len;
	}
	if (zr_rcard_signed_data(&rc, &signed_, &slen, &e) == 0)
		free(signed_);
	if (zr_rcard_verify(&rc, NULL, &sc, &e) == 0 &&
	    sc.verdict == ZR_RCARD_GENUINE)
		abort();               /* never genuine without a CA */
	/* What the chip says always goes into a facts file. */
	f = zr_facts_new("fuzz");
	if (f != NULL) {
		if (zr_rcard_to_facts(&rc, "AB12345678CD", f, &e) < 0)
			abort();
		zr_rcard_compare_facts(&rc, f, d, 4, &n, &checked);
		if (n != 0)
			abort();        /* the chip agrees with itself */
		zr_facts_free(f);
	}
	zr_rcard_free(&rc);
	dialogue(data, size);
	return 0;
}
