/* libzairyu: ISO 7816-4 APDUs, status words, READ BINARY, BER-TLV. */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "zairyu/card.h"
#include "card_int.h"

int
zr_apdu_encode(const struct zr_apdu *a, unsigned char *buf, size_t cap,
    size_t *len, struct zr_error *err)
{
	size_t n = 0, need;
	int ext;

	if (a->lc > ZR_APDU_DATA_MAX || (a->lc > 0 && a->data == NULL))
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "APDU data of %zu bytes", a->lc);
	if (a->le != ZR_LE_NONE && (a->le < 1 || a->le > 65536))
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "APDU Le %ld out of range", a->le);
	/* ISO 7816-4 §5.1: extended when Lc > 255 or Le > 256. */
	ext = a->extended || a->lc > 255 || a->le > 256;
	need = 4 + (a->lc > 0 ? (ext ? 3 : 1) + a->lc : 0) +
	    (a->le != ZR_LE_NONE ? (ext ? (a->lc > 0 ? 2 : 3) : 1) : 0);
	if (need > cap)
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "APDU of %zu bytes does not fit", need);
	buf[n++] = a->cla;
	buf[n++] = a->ins;
	buf[n++] = a->p1;
	buf[n++] = a->p2;
	if (a->lc > 0) {
		if (ext) {
			buf[n++] = 0;
			buf[n++] = (unsigned char)(a->lc >> 8);
		}
		buf[n++] = (unsigned char)(a->lc & 0xFF);
		memcpy(buf + n, a->data, a->lc);
		n += a->lc;
	}
	if (a->le != ZR_LE_NONE) {
		/* Le 256 (short) and 65536 (extended) are coded as zeros. */
		unsigned long le = (unsigned long)a->le;

		if (ext) {
			if (a->lc == 0)
				buf[n++] = 0;
			buf[n++] = (unsigned char)((le >> 8) & 0xFF);
		}
		buf[n++] = (unsigned char)(le & 0xFF);
	}
	*len = n;
	return 0;
}

int
zr_apdu_decode(const unsigned char *buf, size_t len, struct zr_apdu *a,
    struct zr_error *err)
{
	size_t body;

	memset(a, 0, sizeof(*a));
	a->le = ZR_LE_NONE;
	if (len < 4)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "APDU of %zu bytes is shorter than a header", len);
	a->cla = buf[0];
	a->ins = buf[1];
	a->p1 = buf[2];
	a->p2 = buf[3];
	body = len - 4;
	buf += 4;
	if (body == 0)                          /* case 1 */
		return 0;
	if (body == 1) {                        /* case 2 short */
		a->le = buf[0] == 0 ? 256 : buf[0];
		return 0;
	}
	if (buf[0] != 0) {                      /* short, cases 3 and 4 */
		a->lc = buf[0];
		if (body == 1 + a->lc) {
			a->data = buf + 1;
			return 0;
		}
		if (body == 2 + a->lc) {
			a->data = buf + 1;
			a->le = buf[1 + a->lc] == 0 ? 256 : buf[1 + a->lc];
			return 0;
		}
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "APDU Lc %zu does not match its %zu body bytes", a->lc,
		    body);
	}
	/* Extended: a zero byte, then two bytes of Lc or Le. */
	a->extended = 1;
	if (body == 3) {                        /* case 2 extended */
		a->le = (long)buf[1] << 8 | buf[2];
		if (a->le == 0)
			a->le = 65536;
		return 0;
	}
	if (body < 3)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "APDU body of %zu bytes is malformed", body);
	a->lc = (size_t)buf[1] << 8 | buf[2];
	if (a->lc == 0 || a->lc > ZR_APDU_DATA_MAX)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "APDU extended Lc %zu out of range", a->lc);
	a->data = buf + 3;
	if (body == 3 + a->lc)
		return 0;
	if (body == 5 + a->lc) {
		a->le = (long)buf[3 + a->lc] << 8 | buf[4 + a->lc];
		if (a->le == 0)
			a->le = 65536;
		return 0;
	}
	return zr_error_set(err, ZR_E_SYNTAX, NULL,
	    "APDU extended Lc %zu does not match its %zu body bytes", a->lc,
	    body);
}

int
zr_rapdu_parse(const unsigned char *buf, size_t len, struct zr_rapdu *r,
    struct zr_error *err)
{
	if (len < 2)
		return zr_error_set(err, ZR_E_CARD, NULL,
		    "card answer of %zu bytes has no status word", len);
	if (len - 2 > sizeof(r->data))
		return zr_error_set(err, ZR_E_TOO_BIG, NULL,
		    "card answer of %zu bytes is too long", len);
	r->len = len - 2;
	memcpy(r->data, buf, r->len);
	r->sw = (unsigned)buf[len - 2] << 8 | buf[len - 1];
	return 0;
}

/* ISO 7816-4 §5.1.3 and the JPKI readings of card-facts §1.4. */
const char *
zr_sw_text(unsigned sw)
{
	static const struct {
		unsigned sw;
		const char *text;
	} tab[] = {
		{ 0x9000, "success" },
		{ 0x6282, "end of file reached" },
		{ 0x6300, "verification failed" },
		{ 0x63C0, "blocked: no tries left" },
		{ 0x6581, "memory failure" },
		{ 0x6700, "wrong length" },
		{ 0x6882, "secure messaging not supported" },
		{ 0x6982, "security status not satisfied" },
		{ 0x6983, "authentication method blocked" },
		{ 0x6984, "reference data not usable (blocked)" },
		{ 0x6985, "conditions of use not satisfied" },
		{ 0x6986, "command not allowed" },
		{ 0x6988, "incorrect secure messaging data" },
		{ 0x6A80, "incorrect data" },
		{ 0x6A81, "function not supported" },
		{ 0x6A82, "file or application not found" },
		{ 0x6A86, "incorrect P1 or P2" },
		{ 0x6A88, "referenced data not found" },
		{ 0x6B00, "offset outside the file" },
		{ 0x6D00, "instruction not supported" },
		{ 0x6E00, "class not supported" },
		{ 0x6F00, "no precise diagnosis" },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].sw == sw)
			return tab[i].text;
	if ((sw & 0xFFF0) == 0x63C0)
		return "verification failed, tries left in the last digit";
	if ((sw & 0xFF00) == 0x6100)
		return "more data available";
	if ((sw & 0xFF00) == 0x6C00)
		return "wrong Le, exact length in SW2";
	return "unknown status";
}

int
zr_sw_blocked(unsigned sw)
{
	/* card-facts §1.4: implement "blocked" as 63C0, 6983 or 6984. */
	return sw == 0x63C0 || sw == 0x6983 || sw == 0x6984;
}

static int
xfer(struct zr_transport *t, const struct zr_apdu *cmd, struct zr_rapdu *rsp,
    struct zr_error *err)
{
	unsigned char c[ZR_APDU_CMD_MAX], r[ZR_RAPDU_DATA_MAX + 2];
	size_t clen, rlen = sizeof(r);
	int rc;

	if (zr_apdu_encode(cmd, c, sizeof(c), &clen, err) < 0)
		return -1;
	rc = t->xfer(t->ctx, c, clen, r, &rlen, err);
	/* A VERIFY carries a secret: leave no copy on the stack. */
	OPENSSL_cleanse(c, clen);
	if (rc < 0)
		return -1;
	if (rlen > sizeof(r))
		return zr_error_set(err, ZR_E_INTERNAL, t->name,
		    "transport overran its buffer");
	return zr_rapdu_parse(r, rlen, rsp, err);
}

int
zr_card_transmit(struct zr_transport *t, const struct zr_apdu *cmd,
    struct zr_rapdu *rsp, struct zr_error *err)
{
	struct zr_apdu again, getresp;
	struct zr_rapdu *more;
	size_t total;
	int rounds;

	if (xfer(t, cmd, rsp, err) < 0)
		return -1;
	/* 6Cxx: wrong Le, resend once with the exact length. */
	if ((rsp->sw & 0xFF00) == 0x6C00 && cmd->le != ZR_LE_NONE) {
		again = *cmd;
		again.le = (rsp->sw & 0xFF) == 0 ? 256 : (long)(rsp->sw & 0xFF);
		if (xfer(t, &again, rsp, err) < 0)
			return -1;
	}
	if ((rsp->sw & 0xFF00) != 0x6100)
		return 0;
	/* 61xx: collect the rest with GET RESPONSE. */
	more = malloc(sizeof(*more));
	if (more == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	total = rsp->len;
	memset(&getresp, 0, sizeof(getresp));
	getresp.ins = 0xC0;
	for (rounds = 0; (rsp->sw & 0xFF00) == 0x6100; rounds++) {
		if (rounds >= 64) {
			free(more);
			return zr_error_set(err, ZR_E_CARD, t->name,
			    "card keeps answering 61xx");
		}
		getresp.cla = cmd->cla & 0x03; /* keep the logical channel */
		getresp.le = (rsp->sw & 0xFF) == 0 ? 256 :
		    (long)(rsp->sw & 0xFF);
		if (xfer(t, &getresp, more, err) < 0) {
			free(more);
			return -1;
		}
		if (total + more->len > sizeof(rsp->data)) {
			free(more);
			return zr_error_set(err, ZR_E_TOO_BIG, t->name,
			    "card answer longer than %zu bytes",
			    sizeof(rsp->data));
		}
		memcpy(rsp->data + total, more->data, more->len);
		total += more->len;
		rsp->sw = more->sw;
	}
	rsp->len = total;
	free(more);
	return 0;
}

struct zr_rapdu *
zri_rapdu_new(struct zr_error *err)
{
	struct zr_rapdu *r = malloc(sizeof(*r));

	if (r == NULL)
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	return r;
}

void
zri_rapdu_free(struct zr_rapdu *r)
{
	if (r != NULL)
		OPENSSL_clear_free(r, sizeof(*r));
}

int
zri_card_answered(struct zr_error *err, const char *subject, unsigned sw,
    const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	zr_error_set(err, ZR_E_CARD, subject, "%s: card answered %04X (%s)",
	    what, sw, zr_sw_text(sw));
	if (err != NULL)
		err->sw = sw;
	return -1;
}

int
zri_card_send_sw(struct zr_transport *t, const struct zr_apdu *c,
    unsigned *sw, struct zr_error *err)
{
	struct zr_rapdu *r;
	int rc;

	if ((r = zri_rapdu_new(err)) == NULL)
		return -1;
	rc = zr_card_transmit(t, c, r, err);
	if (rc == 0)
		*sw = r->sw;
	zri_rapdu_free(r);
	return rc;
}

int
zr_card_expect_ok(const struct zr_rapdu *rsp, const char *what,
    struct zr_error *err)
{
	if (rsp->sw == 0x9000)
		return 0;
	return zri_card_answered(err, NULL, rsp->sw, "%s", what);
}

int
zr_card_select_aid(struct zr_transport *t, const unsigned char *aid,
    size_t aidlen, unsigned *sw, struct zr_error *err)
{
	struct zr_apdu c = { 0x00, 0xA4, 0x04, 0x0C, aid, aidlen, ZR_LE_NONE,
	    0 };

	/* card-facts §1.1: SELECT by DF name, P2 0C (no FCI). */
	return zri_card_send_sw(t, &c, sw, err);
}

int
zr_card_select_ef(struct zr_transport *t, unsigned fid, unsigned *sw,
    struct zr_error *err)
{
	unsigned char f[2] = { (unsigned char)(fid >> 8),
	    (unsigned char)(fid & 0xFF) };
	struct zr_apdu c = { 0x00, 0xA4, 0x02, 0x0C, f, 2, ZR_LE_NONE, 0 };

	return zri_card_send_sw(t, &c, sw, err);
}

int
zr_card_read_binary(struct zr_transport *t, size_t offset, size_t n,
    unsigned char *buf, size_t *got, struct zr_error *err)
{
	struct zr_apdu c;
	struct zr_rapdu *r;
	size_t done = 0, want;

	*got = 0;
	/* card-facts §1.3: P1 bit 8 clear, P1P2 = 15-bit offset. */
	if (offset > 0x7FFF || n > 0x8000 - offset)
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "READ BINARY past offset 7FFF");
	if ((r = zri_rapdu_new(err)) == NULL)
		return -1;
	while (done < n) {
		size_t off = offset + done;

		want = n - done > 256 ? 256 : n - done;
		memset(&c, 0, sizeof(c));
		c.ins = 0xB0;
		c.p1 = (unsigned char)(off >> 8);
		c.p2 = (unsigned char)(off & 0xFF);
		c.le = (long)want;
		if (zr_card_transmit(t, &c, r, err) < 0)
			goto fail;
		/* End of file: 6B00 past it, 6282 at it (card-facts §1.3). */
		if (r->sw == 0x6B00)
			break;
		if (r->sw != 0x9000 && r->sw != 0x6282) {
			zr_card_expect_ok(r, "READ BINARY", err);
			goto fail;
		}
		if (r->len > want) {
			zr_error_set(err, ZR_E_CARD, t->name,
			    "READ BINARY: card sent %zu bytes for %zu", r->len,
			    want);
			goto fail;
		}
		memcpy(buf + done, r->data, r->len);
		done += r->len;
		if (r->len < want || r->sw == 0x6282)
			break;
	}
	zri_rapdu_free(r);
	*got = done;
	return 0;
fail:
	zri_rapdu_free(r);
	*got = done;
	return -1;
}

int
zr_card_read_der(struct zr_transport *t, size_t max, unsigned char **buf,
    size_t *len, struct zr_error *err)
{
	unsigned char hdr[8];
	struct zr_tlv tlv;
	size_t got, total;
	unsigned char *b;

	*buf = NULL;
	*len = 0;
	/* card-facts §1.3: read the header, the length gives the size. */
	if (zr_card_read_binary(t, 0, sizeof(hdr), hdr, &got, err) < 0)
		return -1;
	if (got == 0)
		return zr_error_set(err, ZR_E_EMPTY, NULL, "file is empty");
	if (zr_tlv_header(hdr, got, &tlv, err) < 0)
		return -1;
	if (tlv.hdrlen + tlv.len < tlv.len || tlv.hdrlen + tlv.len > max)
		return zr_error_set(err, ZR_E_TOO_BIG, NULL,
		    "object of %zu bytes is larger than %zu", tlv.len, max);
	total = tlv.hdrlen + tlv.len;
	if ((b = malloc(total)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	memcpy(b, hdr, got < total ? got : total);
	if (got < total) {
		size_t more;

		if (zr_card_read_binary(t, got, total - got, b + got, &more,
		    err) < 0) {
			free(b);
			return -1;
		}
		if (more != total - got) {
			free(b);
			return zr_error_set(err, ZR_E_CARD, NULL,
			    "file ends after %zu of %zu bytes", got + more,
			    total);
		}
	}
	*buf = b;
	*len = total;
	return 0;
}

int
zr_tlv_header(const unsigned char *buf, size_t len, struct zr_tlv *t,
    struct zr_error *err)
{
	size_t i = 0, n, l;

	memset(t, 0, sizeof(*t));
	if (len < 2)
		return zr_error_set(err, ZR_E_SYNTAX, NULL, "TLV truncated");
	t->tag = buf[i];
	t->constructed = (buf[i] & 0x20) != 0;
	/*
	 * ISO 7816-4 §5.2.2.1: low tag bits all set = a second tag byte.
	 * Cards use two-byte tags only, and the residence card's DFD1
	 * (card-facts §4.2) sets bit 8 of the second byte, which X.690 would
	 * read as "a third byte follows": so a tag has at most two bytes.
	 */
	if ((buf[i++] & 0x1F) == 0x1F) {
		if (i >= len)
			return zr_error_set(err, ZR_E_SYNTAX, NULL,
			    "TLV truncated");
		t->tag = t->tag << 8 | buf[i++];
	}
	if (i >= len)
		return zr_error_set(err, ZR_E_SYNTAX, NULL, "TLV truncated");
	if (buf[i] < 0x80) {
		l = buf[i++];
	} else {
		n = buf[i++] & 0x7F;
		if (n == 0 || n > 4)
			return zr_error_set(err, ZR_E_SYNTAX, NULL,
			    "TLV length form %02X not supported",
			    buf[i - 1]);
		if (i + n > len)
			return zr_error_set(err, ZR_E_SYNTAX, NULL,
			    "TLV truncated");
		for (l = 0; n > 0; n--)
			l = l << 8 | buf[i++];
	}
	t->hdrlen = i;
	t->len = l;
	return 0;
}

int
zr_tlv_next(const unsigned char *buf, size_t len, size_t *off,
    struct zr_tlv *t, struct zr_error *err)
{
	size_t o = *off;

	while (o < len && (buf[o] == 0x00 || buf[o] == 0xFF))
		o++;
	if (o >= len) {
		memset(t, 0, sizeof(*t));
		*off = len;
		return 0;
	}
	if (zr_tlv_header(buf + o, len - o, t, err) < 0)
		return -1;
	if (t->len > len - o - t->hdrlen)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "TLV %X of %zu bytes passes the end", t->tag, t->len);
	t->val = buf + o + t->hdrlen;
	*off = o + t->hdrlen + t->len;
	return 0;
}

int
zr_tlv_find(const unsigned char *buf, size_t len, unsigned tag,
    struct zr_tlv *t, struct zr_error *err)
{
	size_t off = 0;

	while (off < len) {
		if (zr_tlv_next(buf, len, &off, t, err) < 0)
			return -1;
		if (t->tag == tag && t->val != NULL)
			return 0;
	}
	return zr_error_set(err, ZR_E_MISSING, NULL, "tag %X not found",
	    tag);
}

char *
zr_hex_format(const unsigned char *b, size_t len, char *out, size_t n)
{
	size_t o = 0;

	if (n == 0)
		return out;
	out[0] = '\0';
	for (size_t i = 0; i < len && o + 3 < n; i++)
		o += (size_t)snprintf(out + o, n - o, i == 0 ? "%02X" : " %02X",
		    b[i]);
	return out;
}
