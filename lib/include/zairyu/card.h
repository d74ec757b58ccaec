/* libzairyu: smart card transport, ISO 7816-4 APDUs, BER-TLV, PC/SC readers. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_CARD_H
#define ZAIRYU_CARD_H

#include <stddef.h>

#include "zairyu/error.h"

/*
 * Command APDUs (ISO/IEC 7816-4 §5.1).  Short and extended forms are
 * both supported: the JPKI application needs only short APDUs
 * (card-facts §1.3), the residence card's secure-messaging READ BINARY
 * needs extended ones (card-facts §4.3).
 */
#define ZR_APDU_DATA_MAX 4096           /* largest Lc we build or accept */
#define ZR_APDU_CMD_MAX (4 + 3 + ZR_APDU_DATA_MAX + 3)
#define ZR_RAPDU_DATA_MAX 8192          /* largest response body kept */
#define ZR_LE_NONE (-1)

struct zr_apdu {
	unsigned char cla, ins, p1, p2;
	const unsigned char *data;      /* lc bytes, or NULL when lc == 0 */
	size_t lc;                      /* 0 .. ZR_APDU_DATA_MAX */
	long le;                        /* ZR_LE_NONE, or 1 .. 65536 */
	int extended;                   /* force the extended form */
};

struct zr_rapdu {
	size_t len;                     /* bytes in data */
	unsigned sw;                    /* SW1 << 8 | SW2 */
	unsigned char data[ZR_RAPDU_DATA_MAX];
};

/*
 * Encode a into buf (cap bytes), choosing the short form when lc <= 255
 * and le <= 256 unless a->extended.  Le 256 is sent as 00 (short) and
 * 65536 as 0000 (extended).  Errors: ZR_E_RANGE.
 */
int zr_apdu_encode(const struct zr_apdu *a, unsigned char *buf, size_t cap,
    size_t *len, struct zr_error *err);

/*
 * Decode a command APDU (cases 1-4, short or extended).  a->data points
 * into buf.  Errors: ZR_E_SYNTAX with what is wrong.
 */
int zr_apdu_decode(const unsigned char *buf, size_t len, struct zr_apdu *a,
    struct zr_error *err);

/* Split a response APDU (data + SW1 SW2).  Errors: ZR_E_CARD, ZR_E_TOO_BIG. */
int zr_rapdu_parse(const unsigned char *buf, size_t len, struct zr_rapdu *r,
    struct zr_error *err);

/* A short English reading of a status word ("file not found"). Never NULL. */
const char *zr_sw_text(unsigned sw);

/* 1 if sw says a PIN is blocked: 63C0, 6983, 6984 (card-facts §1.4). */
int zr_sw_blocked(unsigned sw);

/*
 * The transport: anything that moves one command APDU to a card and its
 * answer back.  pcsc-lite (zr_pcsc_transport) and the software card of
 * the tests both provide one, so the code above it is the same for both.
 * xfer: cmd is an encoded APDU; on entry *rsplen is the capacity of rsp,
 * on return the response length (data + SW).  reset (may be NULL): warm
 * reset of the card, which drops every security state.
 */
struct zr_transport {
	const char *name;               /* reader name, for messages */
	void *ctx;
	int (*xfer)(void *ctx, const unsigned char *cmd, size_t cmdlen,
	    unsigned char *rsp, size_t *rsplen, struct zr_error *err);
	int (*reset)(void *ctx, struct zr_error *err);
};

/*
 * Send cmd and collect the whole answer: 61xx is followed by GET RESPONSE
 * (00 C0 00 00 xx) until the card has nothing more, and 6Cxx resends the
 * command once with Le = xx (ISO 7816-3 T=0 rules, which pcsc-lite does
 * not apply for us).  Status words other than those are returned in
 * rsp->sw, not as errors.  Errors: the transport's (ZR_E_CARD_REMOVED,
 * ZR_E_PCSC, ...), ZR_E_CARD when the answer is malformed, ZR_E_TOO_BIG.
 */
int zr_card_transmit(struct zr_transport *t, const struct zr_apdu *cmd,
    struct zr_rapdu *rsp, struct zr_error *err);

/*
 * 0 if rsp->sw is 9000, else -1 with ZR_E_CARD, err->sw set and the
 * message "WHAT: card answered 6A82 (file not found)".
 */
int zr_card_expect_ok(const struct zr_rapdu *rsp, const char *what,
    struct zr_error *err);

/* SELECT by DF name (00 A4 04 0C) and by file ID (00 A4 02 0C), no FCI. */
int zr_card_select_aid(struct zr_transport *t, const unsigned char *aid,
    size_t aidlen, unsigned *sw, struct zr_error *err);
int zr_card_select_ef(struct zr_transport *t, unsigned fid, unsigned *sw,
    struct zr_error *err);

/*
 * READ BINARY of the current EF from offset, up to n bytes in chunks of at
 * most 256 (short APDUs, 15-bit offsets).  Stops early at the end of the
 * file (a short chunk, 6B00 or 6282); *got is what was read.  Errors:
 * ZR_E_CARD (with err->sw) for any other status word, ZR_E_RANGE when
 * offset + n passes 7FFF.
 */
int zr_card_read_binary(struct zr_transport *t, size_t offset, size_t n,
    unsigned char *buf, size_t *got, struct zr_error *err);

/*
 * Read the current EF holding one DER object (a certificate): the first
 * bytes give the length, then the rest is read in chunks.  *buf is
 * malloc'd (caller frees), at most max bytes.  Errors: as
 * zr_card_read_binary, ZR_E_SYNTAX when the header is not DER,
 * ZR_E_TOO_BIG, ZR_E_NOMEM.
 */
int zr_card_read_der(struct zr_transport *t, size_t max, unsigned char **buf,
    size_t *len, struct zr_error *err);

/*
 * BER-TLV (ISO/IEC 7816-4 §5.2, X.690 §8.1): one- or two-byte tags (a
 * two-byte tag may set bit 8 of its second byte, as the residence card's
 * DFD1 does), definite lengths of up to 4 bytes.
 */
struct zr_tlv {
	unsigned tag;                   /* 0x30, 0xDF21, 0x7F21 ... */
	int constructed;
	size_t hdrlen;                  /* tag + length bytes */
	size_t len;                     /* value length */
	const unsigned char *val;
};

/*
 * Parse only the header at buf (the value may be absent: used to learn a
 * certificate's size from its first bytes).  Errors: ZR_E_SYNTAX.
 */
int zr_tlv_header(const unsigned char *buf, size_t len, struct zr_tlv *t,
    struct zr_error *err);

/*
 * The TLV at *off in buf[0..len), whose value must fit; *off moves past
 * it.  Padding bytes 00 and FF before a tag are skipped (files are padded,
 * card-facts §4.2); *off == len afterwards with t->tag == 0 means only
 * padding was left.  Errors: ZR_E_SYNTAX.
 */
int zr_tlv_next(const unsigned char *buf, size_t len, size_t *off,
    struct zr_tlv *t, struct zr_error *err);

/*
 * Find the first TLV with tag among the top-level objects of buf.  Returns
 * 0 when found, -1 with ZR_E_MISSING when absent or ZR_E_SYNTAX.
 */
int zr_tlv_find(const unsigned char *buf, size_t len, unsigned tag,
    struct zr_tlv *t, struct zr_error *err);

/*
 * PC/SC through pcsc-lite.  Messages say what to do: pcscd not running
 * (ZR_E_NO_SERVICE), no reader (ZR_E_NO_READER), no card (ZR_E_NO_CARD),
 * card or reader removed (ZR_E_CARD_REMOVED, ZR_E_READER_GONE), anything
 * else ZR_E_PCSC with pcsc-lite's text.  All are exit class 3.
 */
#define ZR_ATR_MAX 33
#define ZR_READER_NAME_MAX 128

struct zr_reader {
	char name[ZR_READER_NAME_MAX];
	int card;                       /* a card is present */
	int exclusive;                  /* another program holds it */
	unsigned char atr[ZR_ATR_MAX];
	size_t atrlen;
};

struct zr_pcsc;

/* Connect to pcscd.  *out is freed by zr_pcsc_close(). */
int zr_pcsc_open(struct zr_pcsc **out, struct zr_error *err);

/*
 * The readers, at most max, with card presence and ATR.  No reader is an
 * error (ZR_E_NO_READER).
 */
int zr_pcsc_list(struct zr_pcsc *p, struct zr_reader *r, size_t max,
    size_t *n, struct zr_error *err);

/*
 * Choose a reader: spec NULL = the first reader with a card (or the first
 * reader when none has one); a number = that index in zr_pcsc_list()
 * order, from 0; otherwise the reader whose name is spec or contains it
 * (it must be unique).  Errors: ZR_E_NO_READER, ZR_E_USAGE (ambiguous).
 */
int zr_pcsc_pick(struct zr_pcsc *p, const char *spec, struct zr_reader *out,
    struct zr_error *err);

/*
 * Wait until a card is present in reader (NULL: any reader), at most
 * timeout_ms milliseconds (< 0: for ever); readers plugged in meanwhile
 * are watched too.  out gets the reader.  Errors: ZR_E_NO_CARD on timeout,
 * and the usual PC/SC ones.
 */
int zr_pcsc_wait(struct zr_pcsc *p, const char *reader, long timeout_ms,
    struct zr_reader *out, struct zr_error *err);

/*
 * Connect to the card in reader (T=0 or T=1, shared) and begin a
 * transaction, so that no other program talks to the card between our
 * VERIFY and what it unlocks.  Errors: ZR_E_NO_CARD, ZR_E_PCSC, ...
 */
int zr_pcsc_connect(struct zr_pcsc *p, const char *reader,
    struct zr_error *err);

/* The connected card's ATR and protocol (1 = T=1, 0 = T=0). */
int zr_pcsc_status(struct zr_pcsc *p, unsigned char *atr, size_t *atrlen,
    int *protocol, struct zr_error *err);

/* The transport of the connected card (valid until zr_pcsc_close). */
struct zr_transport *zr_pcsc_transport(struct zr_pcsc *p);

/* End the transaction, disconnect (resetting the card, so that no
 * verified PIN state outlives us), release the context. */
void zr_pcsc_close(struct zr_pcsc *p);

/* Hex with spaces ("3B DA 13") into out of size n; returns out. */
char *zr_hex_format(const unsigned char *b, size_t len, char *out, size_t n);

#endif
