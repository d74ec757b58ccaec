/* libzairyu: e-mail decoding and the ISA examination-completion mail. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_MAIL_H
#define ZAIRYU_MAIL_H

#include <stddef.h>

#include "zairyu/date.h"
#include "zairyu/error.h"
#include "zairyu/text.h"

/*
 * Online application receipt numbers (申請受付番号, rules-facts §6.5):
 * one kanji for the office, オン, two letters and eight digits, as in
 * 福オンＥＮ25001878.  Parsing is width-insensitive (full- or half-width
 * letters and digits, ｵﾝ) and folds letters to capitals.
 */
struct zr_receipt {
	char office[5];    /* the office kanji, UTF-8 */
	char letters[3];   /* two ASCII capitals */
	char digits[9];    /* eight ASCII digits: 2-digit year, 6-digit serial */
};

/* The canonical form plus NUL: kanji, オン, full-width letters, digits. */
#define ZR_RECEIPT_BUFSZ 32

/*
 * Parse s (surrounding white space allowed) as one receipt number.
 * Errors: ZR_E_NUMBER saying which part has the wrong shape.
 */
int zr_receipt_parse(const char *s, struct zr_receipt *r,
    struct zr_error *err);

/*
 * Find the first receipt number in text[0..len-1] at or after *pos.
 * Returns 1 and sets *r, *pos (start) and *end (one past it), or 0.
 * Text must be valid UTF-8.
 */
int zr_receipt_find(const char *text, size_t len, size_t *pos, size_t *end,
    struct zr_receipt *r);

/* The canonical form ("福オンＥＮ25001878") into buf; returns buf. */
char *zr_receipt_format(const struct zr_receipt *r, char *buf);

/* 1 if a and b are the same number. */
int zr_receipt_equal(const struct zr_receipt *a, const struct zr_receipt *b);

/*
 * Transfer encodings (RFC 2045 §6.7, §6.8).  The output gets one extra NUL
 * byte after the data; the caller frees *out.  Base64 skips white space
 * and refuses other characters outside its alphabet (ZR_E_MAIL).
 * Quoted-printable keeps malformed "=" sequences as they are (RFC 2045
 * §6.7 note 1); header != 0 also turns "_" into a space (RFC 2047 §4.2).
 */
int zr_base64_decode(const char *in, size_t len, unsigned char **out,
    size_t *outlen, struct zr_error *err);
int zr_qp_decode(const char *in, size_t len, int header, unsigned char **out,
    size_t *outlen, struct zr_error *err);

/*
 * Convert in[0..len-1] from charset (a MIME name: ISO-2022-JP, Shift_JIS,
 * CP932, EUC-JP, UTF-8, US-ASCII, ISO-8859-1, ...) to UTF-8 with iconv(3).
 * A NULL or empty charset means: guess among ASCII, ISO-2022-JP, UTF-8,
 * Shift_JIS and EUC-JP.  The result is NUL-terminated, valid UTF-8; the
 * caller frees *out.  Errors: ZR_E_CHARSET (a name iconv does not know,
 * or bytes that fit no Japanese encoding), ZR_E_MAIL (bytes that are not
 * valid in the charset, with the offset).
 */
int zr_charset_to_utf8(const char *charset, const unsigned char *in,
    size_t len, char **out, size_t *outlen, struct zr_error *err);

/*
 * Decode a header field value: unfold, decode RFC 2047 encoded-words
 * (B and Q, any charset iconv knows; adjacent words joined first, so a
 * character split across words survives) and convert to UTF-8.  Raw
 * 8-bit text is taken as UTF-8 or guessed.  The caller frees *out.
 */
int zr_mime_header_decode(const char *raw, size_t len, char **out,
    struct zr_error *err);

/* zr_text_fold (width folding for matching) is in zairyu/text.h. */

/* A decoded message: its headers and the text of its readable parts. */
struct zr_mail;

/*
 * Decode buf[0..len-1]: a saved message (.eml, RFC 5322 + MIME: multipart,
 * message/rfc822, quoted-printable, base64, charsets above; text/html is
 * reduced to text) or text pasted from a mail program (no headers; the
 * charset is guessed).  name is used in messages.  Errors: ZR_E_MAIL
 * (broken structure, unknown transfer encoding, garbled text: U+FFFD,
 * UTF-8 read as Latin-1 or as Shift_JIS), ZR_E_CHARSET, ZR_E_EMPTY,
 * ZR_E_NOMEM.
 */
int zr_mail_parse(const void *buf, size_t len, const char *name,
    struct zr_mail **out, struct zr_error *err);

/* Read and decode path ("-" = stdin; at most 16 MiB). */
int zr_mail_load(const char *path, struct zr_mail **out,
    struct zr_error *err);

/*
 * The decoded value (UTF-8) of the first field called field in message
 * i (0 = the outer message, then each message/rfc822 part in order), or
 * NULL.  zr_mail_header(m, f) is zr_mail_msg_header(m, 0, f).
 */
size_t zr_mail_nmsgs(const struct zr_mail *m);
const char *zr_mail_msg_header(const struct zr_mail *m, size_t i,
    const char *field);
const char *zr_mail_header(const struct zr_mail *m, const char *field);

/* The readable text, UTF-8 with LF line ends; never NULL. */
const char *zr_mail_text(const struct zr_mail *m);

/* The charset of the first text part as declared ("" when guessed). */
const char *zr_mail_charset(const struct zr_mail *m);

/* The name given to zr_mail_parse(). */
const char *zr_mail_name(const struct zr_mail *m);

void zr_mail_free(struct zr_mail *m);

/*
 * RFC 5322 §3.3 date-time ("Tue, 14 Oct 2025 10:03:21 +0900") to the
 * calendar date in Japan (UTC+9).  Errors: ZR_E_DATE.
 */
int zr_mail_date_jst(const char *s, struct zr_date *out,
    struct zr_error *err);

/* How the applicant chose to receive the card (rules-facts §7.2). */
enum zr_pickup {
	ZR_PICKUP_UNKNOWN = 0,
	ZR_PICKUP_POST,       /* 郵送: the mail-in kit */
	ZR_PICKUP_COUNTER     /* 窓口: pick up within 14 days */
};

/* "post", "counter" or "unknown". */
const char *zr_pickup_name(enum zr_pickup p);

/* What the examination-completion mail says; absent fields are empty. */
struct zr_completion {
	enum zr_pickup pickup;
	int has_receipt;              /* one number, or the labelled one */
	struct zr_receipt receipt;
	struct zr_receipt receipts[8];  /* every distinct number seen */
	size_t nreceipts;
	int has_receipt_date;
	struct zr_date receipt_date;
	int has_date;                 /* the Date: header, in Japan */
	struct zr_date date;
	long fee;                     /* yen, or -1 */
	const char *application;      /* "extension", "change" or NULL */
	char send_to_postcode[16];    /* "135-0064" or "" */
	char send_to[512];            /* address lines joined by "\n" */
	char office[512];             /* counter case: the office, lines */
};

/*
 * Read the facts out of a completion mail (rules-facts §7.2, §7.3; seed
 * 000 step 8).  Labels and digits are matched width-insensitively.
 * When the mail has both the mail-in and the counter wording (or
 * neither), pickup is ZR_PICKUP_UNKNOWN.  Errors: ZR_E_NUMBER (a
 * 申請受付番号 label followed by a value that is not a receipt number),
 * ZR_E_CONFLICT (two different numbers after 申請受付番号), ZR_E_DATE (a
 * receipt date label with a bad date).
 */
int zr_mail_completion(const struct zr_mail *m, struct zr_completion *c,
    struct zr_error *err);

#endif
