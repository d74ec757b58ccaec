/* zairyu-tools tests: a software smart card (the model behind zr-cardsim
 * and the unit tests). */
/* SPDX-License-Identifier: MIT */
#ifndef ZR_CARDSIM_H
#define ZR_CARDSIM_H

#include <stddef.h>
#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "zairyu/card.h"

/*
 * The card is a list of applications (DFs).  app[0] is the MF.  Each
 * application has transparent EFs, PINs (reference data with a retry
 * counter) and private keys, all addressed by file ID, and an optional
 * handler for the commands that are its own (the JPKI AP's COMPUTE
 * DIGITAL SIGNATURE; the residence card's authentication in issue 8).
 * The ISO 7816-4 commands common to all (SELECT, READ BINARY, VERIFY,
 * GET RESPONSE) are played by the card itself.
 */
#define SIM_MAX_APPS 8
#define SIM_MAX_EFS 24
#define SIM_MAX_PINS 4
#define SIM_MAX_KEYS 4
#define SIM_RSP_MAX (ZR_RAPDU_DATA_MAX + 2)

struct sim_ef {
	unsigned fid;
	unsigned sfi;                   /* short file identifier, 0 = none */
	unsigned char *data;            /* owned */
	size_t len;
	unsigned read_pin;              /* PIN fid to verify first, 0 = free */
};

struct sim_pin {
	unsigned fid;
	char value[17];
	size_t len;
	int tries, max;
	int verified;
};

struct sim_key {
	unsigned fid;
	EVP_PKEY *pkey;                 /* owned reference */
	unsigned pin;                   /* PIN fid that unlocks the key */
};

struct sim_card;
struct sim_app;

/*
 * An application's own commands.  Returns 1 when it answered (rsp/rlen
 * filled: data + SW), 0 to let the card's ISO commands handle it.
 */
typedef int (*sim_handler)(struct sim_card *c, struct sim_app *app,
    const struct zr_apdu *cmd, unsigned char *rsp, size_t *rlen);

struct sim_app {
	char name[32];
	unsigned char aid[16];
	size_t aidlen;                  /* 0 for the MF */
	struct sim_ef ef[SIM_MAX_EFS];
	size_t nef;
	struct sim_pin pin[SIM_MAX_PINS];
	size_t npin;
	struct sim_key key[SIM_MAX_KEYS];
	size_t nkey;
	sim_handler handler;
	void *priv;                     /* handler state (priv_free frees) */
	void (*priv_free)(void *);
};

struct sim_card {
	unsigned char atr[ZR_ATR_MAX];
	size_t atrlen;
	struct sim_app app[SIM_MAX_APPS];
	size_t napp;
	/* Current state, cleared by a reset. */
	struct sim_app *cur;
	struct sim_ef *cur_ef;
	struct sim_pin *cur_pin;
	struct sim_key *cur_key;
	unsigned char pending[SIM_RSP_MAX];   /* for GET RESPONSE */
	size_t npending;
	/* Behaviour switches of the profile. */
	size_t t0_chunk;        /* > 0: answer data with 61xx, T=0 style */
	int exact_le;           /* 6Cxx when Le exceeds what is there */
	/* The log, so that tests see what was sent. */
	FILE *log;              /* "> cmd" / "< rsp" hex lines, or NULL */
	unsigned long napdu;
	unsigned long nverify_data;     /* VERIFY commands with data */
	unsigned long nsign;
};

void sim_card_init(struct sim_card *c);
void sim_card_free(struct sim_card *c);

/* Warm or cold reset: MF current, every PIN back to unverified. */
void sim_card_reset(struct sim_card *c);

/* Building a card.  NULL / -1 when a table is full. */
struct sim_app *sim_add_app(struct sim_card *c, const char *name,
    const unsigned char *aid, size_t aidlen);
struct sim_ef *sim_add_ef(struct sim_app *a, unsigned fid, unsigned sfi,
    const unsigned char *data, size_t len, unsigned read_pin);
struct sim_pin *sim_add_pin(struct sim_app *a, unsigned fid,
    const char *value, int max, int tries);
struct sim_key *sim_add_key(struct sim_app *a, unsigned fid, EVP_PKEY *pkey,
    unsigned pin);
struct sim_app *sim_find_app(struct sim_card *c, const char *name);
struct sim_pin *sim_find_pin(struct sim_app *a, unsigned fid);
int sim_pin_verified(struct sim_app *a, unsigned fid);

/*
 * Play one command APDU; rsp (SIM_RSP_MAX bytes) gets data + SW.
 * Always answers (malformed commands get 6700 and friends).
 */
void sim_card_apdu(struct sim_card *c, const unsigned char *cmd, size_t len,
    unsigned char *rsp, size_t *rlen);

/* A transport over the card, in-process (for the unit tests). */
struct zr_transport sim_transport(struct sim_card *c);

/* Helpers for handlers: answer SW only, or data + SW. */
void sim_sw(unsigned char *rsp, size_t *rlen, unsigned sw);
void sim_data(struct sim_card *c, unsigned char *rsp, size_t *rlen,
    const unsigned char *data, size_t len, unsigned sw);

/*
 * Test PKI: RSA-2048 keys (made with OpenSSL, or loaded from a cache
 * folder) and a test CA.  The certificates are made per card, from
 * sim_opts.  Nothing here is a real J-LIS key.
 */
struct sim_pki {
	EVP_PKEY *ca_key, *rogue_key, *auth_key, *sign_key;
	X509 *ca, *rogue;               /* self-signed CA certificates */
};

/*
 * Make (or, when keydir has them, load) the four keys and the two CA
 * certificates.  keydir may be NULL (nothing cached).  Returns 0 or -1
 * with a message in msg.
 */
/* The size of the RSA keys sim_pki_init() makes: 2048 like the card's
 * (card-facts §1.3); the fuzz targets take 1024, a quarter of the work
 * per signature, as the code under test reads any size. */
extern int sim_rsa_bits;
int sim_pki_init(struct sim_pki *pki, const char *keydir, char *msg,
    size_t n);
void sim_pki_free(struct sim_pki *pki);

/* Write the trusted test CA certificate as PEM. */
int sim_pki_write_ca(const struct sim_pki *pki, const char *path);

/* What the card to build looks like. */
struct sim_opts {
	const char *profile;    /* see sim_profile_names() */
	const char *auth_pin;   /* the right authentication PIN */
	const char *sign_pw;    /* the right signature password */
	int auth_tries;         /* tries left now */
	int sign_tries;
	long valid_from;        /* user certificates: days from now */
	long valid_to;
	int untrusted;          /* user certificates from the rogue CA */
	size_t t0_chunk;
	int exact_le;
};

void sim_opts_default(struct sim_opts *o);

/* The profile names, NULL-terminated. */
const char *const *sim_profile_names(void);

/*
 * Build card c (initialised) from the profile table.  Returns 0, or -1
 * with a message in msg.
 */
int sim_profile_build(struct sim_card *c, struct sim_pki *pki,
    const struct sim_opts *o, char *msg, size_t n);

#endif
