/* zairyu-tools tests: the residence card profiles of the software card. */
/* SPDX-License-Identifier: MIT */
#ifndef ZR_RCARD_SIM_H
#define ZR_RCARD_SIM_H

#include "cardsim.h"

/* The card number of the residence card profiles (the invented person of
 * examples/sample/case.facts). */
#define RCARD_SIM_NUMBER "AB12345678CD"

/*
 * The residence card profiles, by name:
 *   rcard1          1st generation residence card (type '1')
 *   rcard1-spr      1st generation special permanent resident cert. ('2')
 *   rcard1-tampered rcard1 with one byte of the face changed after signing
 *   rcard2          2nd generation residence card ('05')
 *   rcard2-spr      2nd generation special permanent resident cert. ('06')
 *   rcard2-tampered rcard2 with one byte of the face changed after signing
 *   rcard2-short    rcard2 behind a reader without extended-length APDUs
 *   rcard-unknown   a card type file saying '09'
 * Test keys and test CAs only (RSA-2048 from pki for generation 1, a
 * fresh P-384 CA for generation 2); never the agency's.
 */
int rcard_sim_build(struct sim_card *c, struct sim_pki *pki,
    const struct sim_opts *o);

/*
 * The same with the card number given and the profile name as variant
 * (for the unit tests).  Returns 0 or -1.
 */
int rcard_sim_build_number(struct sim_card *c, struct sim_pki *pki,
    const char *variant, const char *number);

/* Fix RND.ICC and K.ICC (the official vectors' values) instead of random. */
void rcard_sim_fix_randoms(struct sim_card *c, const unsigned char rnd_icc[8],
    const unsigned char k_icc[16]);

/* Append the residence test CA certificates (PEM) to path, when c is a
 * residence card.  Returns 0 or -1. */
int rcard_sim_append_ca(const struct sim_card *c, const char *path);

/* Change one byte of the face image (as stored, signature unchanged). */
int rcard_sim_tamper(struct sim_card *c);

#endif
