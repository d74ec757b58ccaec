/* zairyu-tools tests: the software card's file system and ISO 7816-4
 * commands. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "cardsim.h"

void
sim_card_init(struct sim_card *c)
{
	memset(c, 0, sizeof(*c));
	/* app[0] is the MF. */
	snprintf(c->app[0].name, sizeof(c->app[0].name), "MF");
	c->napp = 1;
	c->cur = &c->app[0];
}

void
sim_card_free(struct sim_card *c)
{
	for (size_t i = 0; i < c->napp; i++) {
		struct sim_app *a = &c->app[i];

		for (size_t j = 0; j < a->nef; j++)
			free(a->ef[j].data);
		for (size_t j = 0; j < a->nkey; j++)
			EVP_PKEY_free(a->key[j].pkey);
		if (a->priv_free != NULL)
			a->priv_free(a->priv);
	}
	memset(c, 0, sizeof(*c));
}

void
sim_card_reset(struct sim_card *c)
{
	for (size_t i = 0; i < c->napp; i++)
		for (size_t j = 0; j < c->app[i].npin; j++)
			c->app[i].pin[j].verified = 0;
	c->cur = &c->app[0];
	c->cur_ef = NULL;
	c->cur_pin = NULL;
	c->cur_key = NULL;
	c->npending = 0;
}

struct sim_app *
sim_add_app(struct sim_card *c, const char *name, const unsigned char *aid,
    size_t aidlen)
{
	struct sim_app *a;

	if (c->napp >= SIM_MAX_APPS || aidlen > sizeof(a->aid))
		return NULL;
	a = &c->app[c->napp++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	memcpy(a->aid, aid, aidlen);
	a->aidlen = aidlen;
	return a;
}

struct sim_ef *
sim_add_ef(struct sim_app *a, unsigned fid, unsigned sfi,
    const unsigned char *data, size_t len, unsigned read_pin)
{
	struct sim_ef *e;

	if (a->nef >= SIM_MAX_EFS)
		return NULL;
	e = &a->ef[a->nef];
	if ((e->data = malloc(len > 0 ? len : 1)) == NULL)
		return NULL;
	memcpy(e->data, data, len);
	e->len = len;
	e->fid = fid;
	e->sfi = sfi;
	e->read_pin = read_pin;
	a->nef++;
	return e;
}

struct sim_pin *
sim_add_pin(struct sim_app *a, unsigned fid, const char *value, int max,
    int tries)
{
	struct sim_pin *p;

	if (a->npin >= SIM_MAX_PINS || strlen(value) >= sizeof(p->value))
		return NULL;
	p = &a->pin[a->npin++];
	memset(p, 0, sizeof(*p));
	p->fid = fid;
	snprintf(p->value, sizeof(p->value), "%s", value);
	p->len = strlen(value);
	p->max = max;
	p->tries = tries;
	return p;
}

struct sim_key *
sim_add_key(struct sim_app *a, unsigned fid, EVP_PKEY *pkey, unsigned pin)
{
	struct sim_key *k;

	if (a->nkey >= SIM_MAX_KEYS || EVP_PKEY_up_ref(pkey) != 1)
		return NULL;
	k = &a->key[a->nkey++];
	k->fid = fid;
	k->pkey = pkey;
	k->pin = pin;
	return k;
}

struct sim_app *
sim_find_app(struct sim_card *c, const char *name)
{
	for (size_t i = 0; i < c->napp; i++)
		if (strcmp(c->app[i].name, name) == 0)
			return &c->app[i];
	return NULL;
}

struct sim_pin *
sim_find_pin(struct sim_app *a, unsigned fid)
{
	for (size_t i = 0; i < a->npin; i++)
		if (a->pin[i].fid == fid)
			return &a->pin[i];
	return NULL;
}

int
sim_pin_verified(struct sim_app *a, unsigned fid)
{
	struct sim_pin *p = sim_find_pin(a, fid);

	return p != NULL && p->verified;
}

void
sim_sw(unsigned char *rsp, size_t *rlen, unsigned sw)
{
	rsp[0] = (unsigned char)(sw >> 8);
	rsp[1] = (unsigned char)(sw & 0xFF);
	*rlen = 2;
}

void
sim_data(struct sim_card *c, unsigned char *rsp, size_t *rlen,
    const unsigned char *data, size_t len, unsigned sw)
{
	if (len > SIM_RSP_MAX - 2)
		len = SIM_RSP_MAX - 2;
	/* T=0 style: keep the data for GET RESPONSE, say 61xx. */
	if (c->t0_chunk > 0 && len > 0 && sw == 0x9000) {
		size_t first = len < c->t0_chunk ? len : c->t0_chunk;

		memcpy(c->pending, data, len);
		c->npending = len;
		sim_sw(rsp, rlen, 0x6100 | (first >= 256 ? 0 :
		    (unsigned)first));
		return;
	}
	memcpy(rsp, data, len);
	rsp[len] = (unsigned char)(sw >> 8);
	rsp[len + 1] = (unsigned char)(sw & 0xFF);
	*rlen = len + 2;
}

static void
do_select(struct sim_card *c, const struct zr_apdu *a, unsigned char *rsp,
    size_t *rlen)
{
	struct sim_app *app = c->cur;
	unsigned fid;

	if (a->p1 == 0x04) {                    /* by DF name */
		for (size_t i = 1; i < c->napp; i++) {
			if (c->app[i].aidlen == a->lc && a->lc > 0 &&
			    memcmp(c->app[i].aid, a->data, a->lc) == 0) {
				c->cur = &c->app[i];
				c->cur_ef = NULL;
				c->cur_pin = NULL;
				c->cur_key = NULL;
				sim_sw(rsp, rlen, 0x9000);
				return;
			}
		}
		sim_sw(rsp, rlen, 0x6A82);
		return;
	}
	if (a->lc != 2) {
		sim_sw(rsp, rlen, a->p1 == 0x00 && a->lc == 0 ? 0x6A86 :
		    0x6700);
		return;
	}
	fid = (unsigned)a->data[0] << 8 | a->data[1];
	if (a->p1 == 0x00 && fid == 0x3F00) {   /* the MF by its FID */
		c->cur = &c->app[0];
		c->cur_ef = NULL;
		c->cur_pin = NULL;
		c->cur_key = NULL;
		sim_sw(rsp, rlen, 0x9000);
		return;
	}
	if (a->p1 != 0x02 && a->p1 != 0x00) {
		sim_sw(rsp, rlen, 0x6A86);
		return;
	}
	for (size_t i = 0; i < app->nef; i++)
		if (app->ef[i].fid == fid) {
			c->cur_ef = &app->ef[i];
			sim_sw(rsp, rlen, 0x9000);
			return;
		}
	for (size_t i = 0; i < app->npin; i++)
		if (app->pin[i].fid == fid) {
			c->cur_pin = &app->pin[i];
			sim_sw(rsp, rlen, 0x9000);
			return;
		}
	for (size_t i = 0; i < app->nkey; i++)
		if (app->key[i].fid == fid) {
			c->cur_key = &app->key[i];
			sim_sw(rsp, rlen, 0x9000);
			return;
		}
	sim_sw(rsp, rlen, 0x6A82);
}

static void
do_read_binary(struct sim_card *c, const struct zr_apdu *a,
    unsigned char *rsp, size_t *rlen)
{
	struct sim_ef *ef = c->cur_ef;
	size_t off, n, want;

	if (a->p1 & 0x80) {                     /* SFI form, 8-bit offset */
		unsigned sfi = a->p1 & 0x1F;

		ef = NULL;
		for (size_t i = 0; i < c->cur->nef; i++)
			if (c->cur->ef[i].sfi == sfi && sfi != 0)
				ef = &c->cur->ef[i];
		if (ef == NULL) {
			sim_sw(rsp, rlen, 0x6A82);
			return;
		}
		c->cur_ef = ef;
		off = a->p2;
	} else {
		off = (size_t)a->p1 << 8 | a->p2;
	}
	if (ef == NULL) {
		sim_sw(rsp, rlen, 0x6986);      /* no current EF */
		return;
	}
	if (ef->read_pin != 0 && !sim_pin_verified(c->cur, ef->read_pin)) {
		sim_sw(rsp, rlen, 0x6982);
		return;
	}
	if (a->le == ZR_LE_NONE) {
		sim_sw(rsp, rlen, 0x6700);
		return;
	}
	/* card-facts §1.3: past the end is 6B00. */
	if (off >= ef->len) {
		sim_sw(rsp, rlen, 0x6B00);
		return;
	}
	want = (size_t)a->le;
	n = ef->len - off < want ? ef->len - off : want;
	/* T=0 style: a too-long Le gets 6Cxx with the exact length. */
	if (c->exact_le && n < want && n < 256) {
		sim_sw(rsp, rlen, 0x6C00 | (unsigned)n);
		return;
	}
	sim_data(c, rsp, rlen, ef->data + off, n, 0x9000);
}

static struct sim_pin *
verify_target(struct sim_card *c, const struct zr_apdu *a)
{
	if (a->p2 == 0x80)
		return c->cur_pin;
	/* P2 = 80 | SFI: the PIN EF with that short ID (card-facts §1.3). */
	if ((a->p2 & 0xE0) == 0x80)
		return sim_find_pin(c->cur, a->p2 & 0x1Fu);
	return NULL;
}

static void
do_verify(struct sim_card *c, const struct zr_apdu *a, unsigned char *rsp,
    size_t *rlen)
{
	struct sim_pin *p;

	if (a->p1 != 0x00) {
		sim_sw(rsp, rlen, 0x6A86);
		return;
	}
	if ((p = verify_target(c, a)) == NULL) {
		sim_sw(rsp, rlen, 0x6A88);
		return;
	}
	if (a->lc == 0) {
		/* Retry counter query: spends nothing (card-facts §1.3). */
		if (p->tries == 0)
			sim_sw(rsp, rlen, 0x63C0);
		else if (p->verified)
			sim_sw(rsp, rlen, 0x9000);
		else
			sim_sw(rsp, rlen, 0x63C0 | (unsigned)p->tries);
		return;
	}
	c->nverify_data++;
	if (p->tries == 0) {
		sim_sw(rsp, rlen, 0x6983);
		return;
	}
	if (a->lc == p->len && memcmp(a->data, p->value, p->len) == 0) {
		p->tries = p->max;
		p->verified = 1;
		sim_sw(rsp, rlen, 0x9000);
		return;
	}
	p->tries--;
	p->verified = 0;
	sim_sw(rsp, rlen, 0x63C0 | (unsigned)p->tries);
}

static void
do_get_response(struct sim_card *c, const struct zr_apdu *a,
    unsigned char *rsp, size_t *rlen)
{
	size_t n, left;
	unsigned char tmp[SIM_RSP_MAX];

	if (c->npending == 0) {
		sim_sw(rsp, rlen, 0x6985);
		return;
	}
	n = a->le == ZR_LE_NONE ? 256 : (size_t)a->le;
	if (n > c->npending)
		n = c->npending;
	memcpy(rsp, c->pending, n);
	left = c->npending - n;
	memcpy(tmp, c->pending + n, left);
	memcpy(c->pending, tmp, left);
	c->npending = left;
	if (left > 0) {
		size_t next = left < c->t0_chunk ? left : c->t0_chunk;

		rsp[n] = 0x61;
		rsp[n + 1] = (unsigned char)(next >= 256 ? 0 : next);
	} else {
		rsp[n] = 0x90;
		rsp[n + 1] = 0x00;
	}
	*rlen = n + 2;
}

static void
log_hex(FILE *fp, char dir, const unsigned char *b, size_t n)
{
	if (fp == NULL)
		return;
	fputc(dir, fp);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, " %02X", b[i]);
	fputc('\n', fp);
	fflush(fp);
}

void
sim_card_apdu(struct sim_card *c, const unsigned char *cmd, size_t len,
    unsigned char *rsp, size_t *rlen)
{
	struct zr_apdu a;
	struct zr_error e;

	c->napdu++;
	log_hex(c->log, '>', cmd, len);
	if (zr_apdu_decode(cmd, len, &a, &e) < 0) {
		sim_sw(rsp, rlen, 0x6700);
		goto out;
	}
	/* GET RESPONSE may only follow a 61xx. */
	if (a.ins != 0xC0)
		c->npending = 0;
	if (c->cur->handler != NULL &&
	    c->cur->handler(c, c->cur, &a, rsp, rlen))
		goto out;
	if (a.cla != 0x00) {
		sim_sw(rsp, rlen, a.cla == 0x80 ? 0x6D00 : 0x6E00);
		goto out;
	}
	switch (a.ins) {
	case 0xA4:
		do_select(c, &a, rsp, rlen);
		break;
	case 0xB0:
		do_read_binary(c, &a, rsp, rlen);
		break;
	case 0x20:
		do_verify(c, &a, rsp, rlen);
		break;
	case 0xC0:
		do_get_response(c, &a, rsp, rlen);
		break;
	default:
		sim_sw(rsp, rlen, 0x6D00);
		break;
	}
out:
	log_hex(c->log, '<', rsp, *rlen);
}

static int
sim_xfer(void *ctx, const unsigned char *cmd, size_t cmdlen,
    unsigned char *rsp, size_t *rsplen, struct zr_error *err)
{
	unsigned char r[SIM_RSP_MAX];
	size_t n;

	sim_card_apdu(ctx, cmd, cmdlen, r, &n);
	if (n > *rsplen)
		return zr_error_set(err, ZR_E_PCSC, "sim",
		    "response buffer too small");
	memcpy(rsp, r, n);
	*rsplen = n;
	return 0;
}

static int
sim_reset(void *ctx, struct zr_error *err)
{
	(void)err;
	sim_card_reset(ctx);
	return 0;
}

struct zr_transport
sim_transport(struct sim_card *c)
{
	struct zr_transport t = { "Software Card 00", c, sim_xfer,
	    sim_reset };

	return t;
}
