/* libzairyu: PC/SC readers and cards through pcsc-lite. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include "zairyu/card.h"

#define MAX_READERS 16

struct zr_pcsc {
	SCARDCONTEXT ctx;
	SCARDHANDLE card;
	int connected, in_tx;
	DWORD proto;
	char reader[ZR_READER_NAME_MAX];
	struct zr_transport tr;
};

/*
 * Turn a PC/SC result into our error, saying what the user can do.
 * removed: the card was there before (mid-run), so "no card" means it
 * was taken out.
 */
static int
pcsc_fail(struct zr_error *err, LONG rv, const char *subject,
    const char *what, int removed)
{
	switch (rv) {
	case SCARD_E_NO_SERVICE:
	case SCARD_E_SERVICE_STOPPED:
		(void)what;
		return zr_error_set(err, ZR_E_NO_SERVICE, NULL,
		    "smart card service (pcscd) not running");
	case SCARD_E_NO_READERS_AVAILABLE:
		return zr_error_set(err, ZR_E_NO_READER, subject,
		    "%s: no smart card reader", what);
	case SCARD_E_NO_SMARTCARD:
	case SCARD_W_REMOVED_CARD:
		if (removed)
			return zr_error_set(err, ZR_E_CARD_REMOVED, subject,
			    "%s: card removed", what);
		return zr_error_set(err, ZR_E_NO_CARD, subject,
		    "%s: no card in the reader", what);
	case SCARD_E_UNKNOWN_READER:
	case SCARD_E_READER_UNAVAILABLE:
		return zr_error_set(err, ZR_E_READER_GONE, subject,
		    "%s: reader removed or unavailable", what);
	case SCARD_W_UNRESPONSIVE_CARD:
	case SCARD_W_UNPOWERED_CARD:
		return zr_error_set(err, ZR_E_PCSC, subject,
		    "%s: card does not respond (upside down, or a "
		    "contact-only reader for a contactless card?)", what);
	case SCARD_E_SHARING_VIOLATION:
		return zr_error_set(err, ZR_E_PCSC, subject,
		    "%s: card in use by another program", what);
	case SCARD_W_RESET_CARD:
		return zr_error_set(err, ZR_E_PCSC, subject,
		    "%s: card was reset by another program", what);
	case SCARD_E_NOT_TRANSACTED:
		return zr_error_set(err, ZR_E_PCSC, subject,
		    "%s: communication with the card failed (card moved?)",
		    what);
	default:
		return zr_error_set(err, ZR_E_PCSC, subject, "%s: %s (0x%08lX)",
		    what, pcsc_stringify_error(rv), (unsigned long)rv);
	}
}

/*
 * After a failed transmit: was the card taken out?  A reader may report
 * the failure (SCARD_E_NOT_TRANSACTED) before it notices the card is
 * gone, so give it a second to tell.
 */
static int
card_gone(struct zr_pcsc *p)
{
	SCARD_READERSTATE st;
	LONG rv;

	memset(&st, 0, sizeof(st));
	st.szReader = p->reader;
	st.dwCurrentState = SCARD_STATE_UNAWARE;
	rv = SCardGetStatusChange(p->ctx, 0, &st, 1);
	if (rv != SCARD_S_SUCCESS)
		return 0;
	if (st.dwEventState & SCARD_STATE_EMPTY)
		return 1;
	st.dwCurrentState = st.dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
	rv = SCardGetStatusChange(p->ctx, 1000, &st, 1);
	return rv == SCARD_S_SUCCESS &&
	    (st.dwEventState & SCARD_STATE_EMPTY) != 0;
}

static int
pcsc_xfer(void *ctx, const unsigned char *cmd, size_t cmdlen,
    unsigned char *rsp, size_t *rsplen, struct zr_error *err)
{
	struct zr_pcsc *p = ctx;
	const SCARD_IO_REQUEST *pci;
	DWORD rlen = (DWORD)*rsplen;
	LONG rv;

	if (!p->connected)
		return zr_error_set(err, ZR_E_INTERNAL, NULL, "not connected");
	pci = p->proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
	rv = SCardTransmit(p->card, pci, cmd, (DWORD)cmdlen, NULL, rsp, &rlen);
	if (rv != SCARD_S_SUCCESS) {
		if (rv != SCARD_W_REMOVED_CARD && card_gone(p))
			rv = SCARD_W_REMOVED_CARD;
		return pcsc_fail(err, rv, p->reader, "transmit", 1);
	}
	/* Some drivers answer nothing at all when the card went away. */
	if (rlen < 2 && card_gone(p))
		return pcsc_fail(err, SCARD_W_REMOVED_CARD, p->reader,
		    "transmit", 1);
	*rsplen = rlen;
	return 0;
}

static int
pcsc_reset(void *ctx, struct zr_error *err)
{
	struct zr_pcsc *p = ctx;
	DWORD proto;
	LONG rv;

	if (p->in_tx) {
		SCardEndTransaction(p->card, SCARD_LEAVE_CARD);
		p->in_tx = 0;
	}
	rv = SCardReconnect(p->card, SCARD_SHARE_SHARED,
	    SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_RESET_CARD, &proto);
	if (rv != SCARD_S_SUCCESS)
		return pcsc_fail(err, rv, p->reader, "reset", 1);
	p->proto = proto;
	rv = SCardBeginTransaction(p->card);
	if (rv != SCARD_S_SUCCESS)
		return pcsc_fail(err, rv, p->reader, "transaction", 1);
	p->in_tx = 1;
	return 0;
}

int
zr_pcsc_open(struct zr_pcsc **out, struct zr_error *err)
{
	struct zr_pcsc *p;
	LONG rv;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &p->ctx);
	if (rv != SCARD_S_SUCCESS) {
		free(p);
		return pcsc_fail(err, rv, NULL, "pcscd", 0);
	}
	p->tr.ctx = p;
	p->tr.xfer = pcsc_xfer;
	p->tr.reset = pcsc_reset;
	p->tr.name = p->reader;
	*out = p;
	return 0;
}

/* The reader names, as a multi-string in *buf (caller frees). */
static int
reader_names(struct zr_pcsc *p, char **buf, struct zr_error *err)
{
	DWORD len = 0;
	LONG rv;
	char *b;

	*buf = NULL;
	rv = SCardListReaders(p->ctx, NULL, NULL, &len);
	if (rv != SCARD_S_SUCCESS)
		return pcsc_fail(err, rv, NULL, "list readers", 0);
	if ((b = calloc(1, (size_t)len + 2)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	rv = SCardListReaders(p->ctx, NULL, b, &len);
	if (rv != SCARD_S_SUCCESS) {
		free(b);
		return pcsc_fail(err, rv, NULL, "list readers", 0);
	}
	if (b[0] == '\0') {
		free(b);
		return pcsc_fail(err, SCARD_E_NO_READERS_AVAILABLE, NULL,
		    "list readers", 0);
	}
	*buf = b;
	return 0;
}

static void
fill_reader(struct zr_reader *r, const SCARD_READERSTATE *st)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", st->szReader);
	r->card = (st->dwEventState & SCARD_STATE_PRESENT) != 0 &&
	    (st->dwEventState & SCARD_STATE_MUTE) == 0;
	r->exclusive = (st->dwEventState & SCARD_STATE_EXCLUSIVE) != 0;
	if (r->card && st->cbAtr <= ZR_ATR_MAX) {
		memcpy(r->atr, st->rgbAtr, st->cbAtr);
		r->atrlen = st->cbAtr;
	}
}

/* States of all readers; timeout 0 polls, else waits for a change. */
static int
states(struct zr_pcsc *p, SCARD_READERSTATE *st, size_t *n, char **names,
    struct zr_error *err)
{
	LONG rv;
	size_t k = 0;

	if (reader_names(p, names, err) < 0)
		return -1;
	for (const char *s = *names; *s != '\0' && k < MAX_READERS;
	    s += strlen(s) + 1, k++) {
		memset(&st[k], 0, sizeof(st[k]));
		st[k].szReader = s;
		st[k].dwCurrentState = SCARD_STATE_UNAWARE;
	}
	rv = SCardGetStatusChange(p->ctx, 0, st, (DWORD)k);
	if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
		free(*names);
		*names = NULL;
		return pcsc_fail(err, rv, NULL, "reader status", 0);
	}
	*n = k;
	return 0;
}

int
zr_pcsc_list(struct zr_pcsc *p, struct zr_reader *r, size_t max, size_t *n,
    struct zr_error *err)
{
	SCARD_READERSTATE st[MAX_READERS];
	char *names;
	size_t k;

	*n = 0;
	if (states(p, st, &k, &names, err) < 0)
		return -1;
	for (size_t i = 0; i < k && i < max; i++)
		fill_reader(&r[i], &st[i]);
	*n = k < max ? k : max;
	free(names);
	return 0;
}

int
zr_pcsc_pick(struct zr_pcsc *p, const char *spec, struct zr_reader *out,
    struct zr_error *err)
{
	struct zr_reader r[MAX_READERS];
	size_t n, i, hits = 0, hit = 0;
	char *end;
	unsigned long idx;

	if (zr_pcsc_list(p, r, MAX_READERS, &n, err) < 0)
		return -1;
	if (spec == NULL) {
		for (i = 0; i < n; i++)
			if (r[i].card) {
				*out = r[i];
				return 0;
			}
		*out = r[0];
		return 0;
	}
	idx = strtoul(spec, &end, 10);
	if (*spec >= '0' && *spec <= '9' && *end == '\0') {
		if (idx >= n)
			return zr_error_set(err, ZR_E_NO_READER, spec,
			    "no reader number %lu (there %s %zu)", idx,
			    n == 1 ? "is" : "are", n);
		*out = r[idx];
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(r[i].name, spec) == 0) {
			*out = r[i];
			return 0;
		}
		if (strstr(r[i].name, spec) != NULL) {
			hits++;
			hit = i;
		}
	}
	if (hits == 0)
		return zr_error_set(err, ZR_E_NO_READER, spec,
		    "no such reader (see --list-readers)");
	if (hits > 1)
		return zr_error_set(err, ZR_E_USAGE, spec,
		    "matches %zu readers; give more of the name", hits);
	*out = r[hit];
	return 0;
}

int
zr_pcsc_wait(struct zr_pcsc *p, const char *reader, long timeout_ms,
    struct zr_reader *out, struct zr_error *err)
{
	SCARD_READERSTATE st[MAX_READERS];
	struct zr_reader pick = { .card = 0 };
	char *names;
	size_t k, i;
	struct timespec t0, t1;
	long waited;
	LONG rv;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		/* Re-list each round: a reader may be plugged in meanwhile. */
		if (states(p, st, &k, &names, err) < 0) {
			if (err == NULL || err->code != ZR_E_NO_READER)
				return -1;
			k = 0;
			names = NULL;
		}
		if (reader != NULL && k > 0) {
			if (zr_pcsc_pick(p, reader, &pick, err) < 0) {
				free(names);
				return -1;
			}
		}
		for (i = 0; i < k; i++) {
			if (reader != NULL && strcmp(st[i].szReader,
			    pick.name) != 0)
				continue;
			fill_reader(out, &st[i]);
			if (out->card) {
				free(names);
				return 0;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		waited = (long)(t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (timeout_ms >= 0 && waited >= timeout_ms) {
			free(names);
			return zr_error_set(err, ZR_E_NO_CARD, reader,
			    "no card inserted within %ld s",
			    timeout_ms / 1000);
		}
		/* Wait for a change, a second at a time. */
		for (i = 0; i < k; i++)
			st[i].dwCurrentState = st[i].dwEventState;
		if (k > 0) {
			rv = SCardGetStatusChange(p->ctx, 1000, st, (DWORD)k);
			if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT &&
			    rv != SCARD_E_UNKNOWN_READER) {
				free(names);
				return pcsc_fail(err, rv, NULL, "wait", 0);
			}
		} else {
			struct timespec ts = { 1, 0 };

			nanosleep(&ts, NULL);
		}
		free(names);
	}
}

int
zr_pcsc_connect(struct zr_pcsc *p, const char *reader, struct zr_error *err)
{
	LONG rv;

	snprintf(p->reader, sizeof(p->reader), "%s", reader);
	rv = SCardConnect(p->ctx, reader, SCARD_SHARE_SHARED,
	    SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &p->card, &p->proto);
	if (rv != SCARD_S_SUCCESS)
		return pcsc_fail(err, rv, reader, "connect", 0);
	p->connected = 1;
	rv = SCardBeginTransaction(p->card);
	if (rv != SCARD_S_SUCCESS)
		return pcsc_fail(err, rv, reader, "transaction", 1);
	p->in_tx = 1;
	return 0;
}

int
zr_pcsc_status(struct zr_pcsc *p, unsigned char *atr, size_t *atrlen,
    int *protocol, struct zr_error *err)
{
	unsigned char a[MAX_ATR_SIZE];
	DWORD alen = sizeof(a), state = 0, proto = 0, nlen = 0;
	LONG rv;

	rv = SCardStatus(p->card, NULL, &nlen, &state, &proto, a, &alen);
	if (rv != SCARD_S_SUCCESS)
		return pcsc_fail(err, rv, p->reader, "card status", 1);
	if (alen > ZR_ATR_MAX)
		alen = ZR_ATR_MAX;
	memcpy(atr, a, alen);
	*atrlen = alen;
	*protocol = proto == SCARD_PROTOCOL_T0 ? 0 : 1;
	return 0;
}

struct zr_transport *
zr_pcsc_transport(struct zr_pcsc *p)
{
	return &p->tr;
}

void
zr_pcsc_close(struct zr_pcsc *p)
{
	if (p == NULL)
		return;
	if (p->in_tx)
		SCardEndTransaction(p->card, SCARD_LEAVE_CARD);
	/* Reset: no verified PIN state outlives us for other programs. */
	if (p->connected)
		SCardDisconnect(p->card, SCARD_RESET_CARD);
	SCardReleaseContext(p->ctx);
	free(p);
}
