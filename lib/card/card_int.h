/* libzairyu: the card group's private header (not installed): what
 * apdu.c, jpki.c and the residence card files share. */
/* SPDX-License-Identifier: MIT */
#ifndef ZRI_CARD_INT_H
#define ZRI_CARD_INT_H

#include <stddef.h>

#include <openssl/x509.h>

#include "zairyu/card.h"

/* A response buffer on the heap (it is 64 kB): NULL and ZR_E_NOMEM. */
struct zr_rapdu *zri_rapdu_new(struct zr_error *err);
/* Wiped before it is freed: a response can carry card data. */
void zri_rapdu_free(struct zr_rapdu *r);

/*
 * Send one command (zr_card_transmit: 61xx and 6Cxx handled) and keep
 * only the status word: the idiom of SELECT and VERIFY.
 */
int zri_card_send_sw(struct zr_transport *t, const struct zr_apdu *c,
    unsigned *sw, struct zr_error *err);

/*
 * ZR_E_CARD "<what>: card answered XXXX (meaning)" about subject, with
 * err->sw = sw; returns -1.  what is a printf format.
 */
int zri_card_answered(struct zr_error *err, const char *subject,
    unsigned sw, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The largest CA file read (a PEM bundle of a few certificates). */
#define ZRI_CA_FILE_MAX (1024 * 1024)

/*
 * Every PEM certificate in buf[0..len-1] pushed onto sk, or, when there
 * is none and der is set, the one DER certificate it holds (x509.c).
 * Returns how many, 0 for none, -1 when out of memory.
 */
int zri_x509_load(const void *buf, size_t len, int der, STACK_OF(X509) *sk);

/*
 * The same from a file (at most ZRI_CA_FILE_MAX bytes): how many (1 or
 * more), or -1: the errors of zr_read_file, ZR_E_CERT when it holds none,
 * ZR_E_NOMEM.
 */
int zri_x509_load_file(const char *path, int der, STACK_OF(X509) *sk,
    struct zr_error *err);

/*
 * The residence card type's name (card-facts §4.1): "1" and "2" first
 * generation, 05 to 08 second; NULL for another (jpki.c).
 */
const char *zri_rcard_type_name(const char *type);

#endif
