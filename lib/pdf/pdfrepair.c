/* libzairyu: what other readers read in a damaged PDF, made valid. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/*
 * Damage that viewers and libqpdf read through, with the rule kept here
 * (issue 14: refuse only what cannot be made into a valid PDF):
 *  - bytes before the %PDF- header: readers find the header within the
 *    first KiB (ISO 32000-1 §7.5.2 puts it first), libqpdf searches and
 *    warns; the output starts with its own header, a warning says so;
 *  - an LZW stream with a bad code (ISO 32000-1 §7.4.4), a Flate
 *    stream with corrupt data (RFC 1950/1951: a distance too far back):
 *    viewers show what came before the damage, but libqpdf cannot decode
 *    the stream, so the output would fail "qpdf --check": what decodes
 *    is kept and stored with Flate (same /DecodeParms predictor), with a
 *    warning;
 *  - JPEG data libjpeg recovers from: pdfinventory.c;
 *  - damaged object streams and cross-reference tables: libqpdf's own
 *    recovery (pdfinput.c notes its warnings).
 */

#define LZW_MAX_OBJECTS 2000000

/*
 * LZW as PDF has it: 9 to 12 bits, most significant first, 256 clears,
 * 257 ends; early (the /EarlyChange 1 default) widens one code early.
 * Decodes up to a bad code or the end.  Returns 1 at a bad code, 0 at
 * the end (with or without 257), -1 out of memory or over cap.
 */
int
zri_lzw_decode(const unsigned char *in, size_t len, int early, size_t cap,
    unsigned char **out, size_t *outlen)
{
	unsigned short *pre = NULL;
	unsigned char *suf = NULL, *fst = NULL, *o = NULL, *stack = NULL;
	size_t on = 0, ocap = 0, bitpos = 0, nbits = len * 8;
	int width = 9, next = 258, old = -1, rc = 0;

	pre = malloc(4096 * sizeof(*pre));
	suf = malloc(4096);
	fst = malloc(4096);
	stack = malloc(4096);
	if (pre == NULL || suf == NULL || fst == NULL || stack == NULL) {
		rc = -1;
		goto done;
	}
	for (int i = 0; i < 256; i++) {
		pre[i] = 0;
		suf[i] = (unsigned char)i;
		fst[i] = (unsigned char)i;
	}
	while (bitpos + (size_t)width <= nbits) {
		unsigned code = 0;
		int sp = 0, c;

		for (int k = 0; k < width; k++, bitpos++)
			code = code << 1 | ((unsigned)in[bitpos / 8] >>
			    (7 - bitpos % 8) & 1u);
		if (code == 256) {
			width = 9;
			next = 258;
			old = -1;
			continue;
		}
		if (code == 257)
			break;
		if (old < 0) {
			if (code > 255) {
				rc = 1;
				break;
			}
			c = (int)code;
			stack[sp++] = (unsigned char)c;
		} else if ((int)code < next) {
			c = (int)code;
			while (c > 255) {
				stack[sp++] = suf[c];
				c = pre[c];
			}
			stack[sp++] = (unsigned char)c;
		} else if ((int)code == next && next < 4096) {
			/* KwKwK: the previous string and its first byte. */
			stack[sp++] = fst[old];
			c = old;
			while (c > 255) {
				stack[sp++] = suf[c];
				c = pre[c];
			}
			stack[sp++] = (unsigned char)c;
		} else {
			rc = 1;   /* a code not (yet) in the table */
			break;
		}
		if (on + (size_t)sp > cap) {
			rc = -1;
			break;
		}
		if (on + (size_t)sp > ocap) {
			size_t nc = ocap ? ocap * 2 : 65536;
			unsigned char *no;

			while (nc < on + (size_t)sp)
				nc *= 2;
			if ((no = realloc(o, nc)) == NULL) {
				rc = -1;
				break;
			}
			o = no;
			ocap = nc;
		}
		{
			unsigned char head = stack[sp - 1];

			while (sp > 0)
				o[on++] = stack[--sp];
			if (old >= 0 && next < 4096) {
				pre[next] = (unsigned short)old;
				suf[next] = head;
				fst[next] = fst[old];
				next++;
			}
		}
		if (next + early >= (1 << width) && width < 12)
			width++;
		old = (int)code;
	}
done:
	free(pre);
	free(suf);
	free(fst);
	free(stack);
	if (rc < 0) {
		free(o);
		return -1;
	}
	*out = o;
	*outlen = on;
	return rc;
}

/*
 * zlib data up to its end or its first corrupt byte.  With out NULL the
 * output is only counted.  Returns 1 at corrupt data, 0 otherwise (a
 * truncated stream is what libqpdf reads too), -1 out of memory or over
 * cap.
 */
int
zri_flate_decode(const unsigned char *in, size_t len, size_t cap,
    unsigned char **out, size_t *outlen)
{
	z_stream z;
	unsigned char scratch[65536], *o = NULL, *no;
	size_t ocap = 0, on = 0;
	int rc, r = 0;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)(len > (1u << 30) ? (1u << 30) : len);
	for (;;) {
		if (out == NULL) {
			z.next_out = scratch;
			z.avail_out = sizeof(scratch);
		} else {
			if (on == ocap) {
				size_t nc = ocap ? ocap * 2 : 65536;

				if (ocap > cap || (no = realloc(o, nc)) ==
				    NULL) {
					r = -1;
					break;
				}
				o = no;
				ocap = nc;
			}
			z.next_out = o + on;
			z.avail_out = (uInt)(ocap - on);
		}
		rc = inflate(&z, Z_NO_FLUSH);
		if (out != NULL)
			on = (size_t)(z.next_out - o);
		if (rc == Z_STREAM_END || (rc == Z_BUF_ERROR &&
		    z.avail_in == 0))
			break;
		/* A wrong Adler-32 after all the data: what libqpdf and
		 * viewers read without a word, so not damage here. */
		if (rc == Z_DATA_ERROR && z.msg != NULL &&
		    strcmp(z.msg, "incorrect data check") == 0)
			break;
		if (rc == Z_DATA_ERROR) {
			r = 1;
			break;
		}
		if (rc != Z_OK) {
			r = -1;
			break;
		}
	}
	if (out == NULL)
		on = (size_t)z.total_out;
	inflateEnd(&z);
	if (r < 0 || on > cap) {
		free(o);
		return -1;
	}
	if (out != NULL)
		*out = o;
	*outlen = on;
	return r;
}

/* The first filter of a stream: 1 LZW, 2 Flate, 0 another or none; *n
 * the chain's length. */
static int
first_filter(qpdf_data q, qpdf_oh f, size_t *n)
{
	qpdf_oh x;
	const char *s;
	int r = 0;

	*n = 1;
	if (qpdf_oh_is_array(q, f)) {
		if (qpdf_oh_get_array_n_items(q, f) < 1)
			return 0;
		*n = (size_t)qpdf_oh_get_array_n_items(q, f);
		x = qpdf_oh_get_array_item(q, f, 0);
	} else
		x = qpdf_oh_new_object(q, f);
	if (qpdf_oh_is_name(q, x)) {
		s = qpdf_oh_get_name(q, x);
		r = strcmp(s, "/LZWDecode") == 0 || strcmp(s, "/LZW") == 0 ?
		    1 : strcmp(s, "/FlateDecode") == 0 || strcmp(s, "/Fl") ==
		    0 ? 2 : 0;
	}
	qpdf_oh_release(q, x);
	return r;
}

/* One LZW or Flate stream libqpdf cannot decode: its good part, with
 * Flate; 1 when repaired (said in what), 0 when fine, -1 error. */
static int
fix_stream(struct zri_src *s, qpdf_oh st, int id, int kind, char *what,
    size_t whatsz, struct zr_error *err)
{
	qpdf_data q = s->q;
	qpdf_oh d, f, p, p0, nf, np, x;
	unsigned char *raw = NULL, *dec = NULL, *z = NULL, *chk = NULL;
	size_t rawlen = 0, declen = 0, zlen = 0, chklen = 0, n, i;
	long long early = 1;
	int filtered = 0, rc;

	/* What libqpdf decodes (LZW) or zlib inflates (Flate, faster
	 * than through libqpdf) is fine as it is. */
	if (kind == 1) {
		if (!(qpdf_oh_get_stream_data(q, st, qpdf_dl_generalized,
		    &filtered, &chk, &chklen) & QPDF_ERRORS) &&
		    !zri_pdf_clear_error(q) && filtered) {
			free(chk);
			zri_pdf_warnings(q, NULL, 0);
			return 0;
		}
		free(chk);
		zri_pdf_clear_error(q);
		zri_pdf_warnings(q, NULL, 0);
	}
	if (qpdf_oh_get_stream_data(q, st, qpdf_dl_none, NULL, &raw,
	    &rawlen) & QPDF_ERRORS) {
		zri_pdf_clear_error(q);
		return 0;  /* unreadable: the self-check says why */
	}
	if (kind == 2 && zri_flate_decode(raw, rawlen, (size_t)-1 / 2, NULL,
	    &chklen) != 1) {
		free(raw);
		return 0;
	}
	d = qpdf_oh_get_dict(q, st);
	f = qpdf_oh_get_key(q, d, "/Filter");
	p = qpdf_oh_get_key(q, d, "/DecodeParms");
	first_filter(q, f, &n);
	p0 = qpdf_oh_is_array(q, p) ? qpdf_oh_get_array_item(q, p, 0) :
	    qpdf_oh_new_object(q, p);
	if (qpdf_oh_is_dictionary(q, p0) && zri_oh_get_int(q, p0,
	    "/EarlyChange", &early) == 0 && early != 0)
		early = 1;
	rc = kind == 1 ? zri_lzw_decode(raw, rawlen, (int)early,
	    ZRI_PDF_MAX_CONTENT * 4, &dec, &declen) :
	    zri_flate_decode(raw, rawlen, ZRI_PDF_MAX_CONTENT * 4, &dec,
	    &declen);
	free(raw);
	if (rc < 0 || zri_deflate9(dec != NULL ? dec : (unsigned char *)"",
	    declen, &z, &zlen, err) < 0) {
		free(dec);
		qpdf_oh_release(q, p0);
		qpdf_oh_release(q, p);
		qpdf_oh_release(q, f);
		qpdf_oh_release(q, d);
		if (rc < 0)
			return zr_error_set(err, ZR_E_PDF, s->path, "object %d: "
			    "damaged %s stream larger than %zu bytes", id,
			    kind == 1 ? "LZW" : "Flate",
			    ZRI_PDF_MAX_CONTENT * 4);
		return -1;
	}
	free(dec);
	/* The chain with Flate first; the predictor stays (Flate and LZW
	 * share /DecodeParms, ISO 32000-1 tables 8 and 9), /EarlyChange
	 * goes. */
	if (qpdf_oh_is_dictionary(q, p0))
		qpdf_oh_remove_key(q, p0, "/EarlyChange");
	if (n <= 1) {
		nf = zri_name(q, "/FlateDecode");
		np = qpdf_oh_new_object(q, p0);
	} else {
		nf = qpdf_oh_new_array(q);
		np = qpdf_oh_new_array(q);
		for (i = 0; i < n; i++) {
			x = i == 0 ? zri_name(q, "/FlateDecode") :
			    qpdf_oh_get_array_item(q, f, (int)i);
			qpdf_oh_append_item(q, nf, x);
			qpdf_oh_release(q, x);
			x = i == 0 ? qpdf_oh_new_object(q, p0) :
			    qpdf_oh_is_array(q, p) ? qpdf_oh_get_array_item(q,
			    p, (int)i) : qpdf_oh_new_null(q);
			qpdf_oh_append_item(q, np, x);
			qpdf_oh_release(q, x);
		}
	}
	qpdf_oh_replace_stream_data(q, st, z, zlen, nf, np);
	free(z);
	qpdf_oh_release(q, nf);
	qpdf_oh_release(q, np);
	qpdf_oh_release(q, p0);
	qpdf_oh_release(q, p);
	qpdf_oh_release(q, f);
	qpdf_oh_release(q, d);
	snprintf(what, whatsz, "object %d: %s after %zu bytes", id,
	    kind == 2 ? "Flate stream with corrupt data" : rc == 1 ?
	    "LZW stream with a bad code" : "LZW stream libqpdf cannot decode",
	    declen);
	return 1;
}

int
zri_repair_input(struct zri_merge *m, struct zri_src *s, struct zr_error *err)
{
	qpdf_data q = s->q;
	qpdf_oh tr, o, d, f;
	long long size = 0, id;
	size_t n;
	char what[160], first[160];
	int nfixed = 0, r;

	if (s->junk > 0)
		zri_note(m->res, "%s: warning: %lld bytes before the %%PDF- "
		    "header, left out", zr_display_name(s->path), s->junk);
	tr = qpdf_get_trailer(q);
	zri_oh_get_int(q, tr, "/Size", &size);
	qpdf_oh_release(q, tr);
	if (size > LZW_MAX_OBJECTS)
		size = LZW_MAX_OBJECTS;
	for (id = 1; id < size; id++) {
		o = qpdf_get_object_by_id(q, (int)id, 0);
		if (qpdf_oh_is_stream(q, o)) {
			d = qpdf_oh_get_dict(q, o);
			f = qpdf_oh_get_key(q, d, "/Filter");
			int k = first_filter(q, f, &n);

			r = k != 0 ? fix_stream(s, o, (int)id, k, what,
			    sizeof(what), err) : 0;
			if (r < 0) {
				qpdf_oh_release(q, f);
				qpdf_oh_release(q, d);
				qpdf_oh_release(q, o);
				return -1;
			}
			if (r > 0 && nfixed++ == 0)
				snprintf(first, sizeof(first), "%s", what);
			qpdf_oh_release(q, f);
			qpdf_oh_release(q, d);
		}
		qpdf_oh_release(q, o);
		if (zri_pdf_clear_error(q))
			continue;
	}
	/* One line for the file, however many streams. */
	if (nfixed == 1)
		zri_note(m->res, "%s: warning: %s; those kept, stored with "
		    "Flate", zr_display_name(s->path), first);
	else if (nfixed > 1)
		zri_note(m->res, "%s: warning: %d damaged LZW or Flate streams "
		    "(first: %s); what decodes kept, stored with Flate",
		    zr_display_name(s->path), nfixed, first);
	return 0;
}

long long
zri_pdf_header_at(const unsigned char *b, size_t len)
{
	size_t i, n = len < ZRI_PDF_JUNK_MAX ? len : ZRI_PDF_JUNK_MAX;

	for (i = 0; i + 5 <= n; i++)
		if (b[i] == '%' && memcmp(b + i, "%PDF-", 5) == 0)
			return (long long)i;
	return -1;
}

long long
zri_pdf_junk(const char *path, const unsigned char *mem, size_t len)
{
	unsigned char *b;
	size_t got;
	long long at;
	FILE *fp;

	if (mem != NULL)
		return (at = zri_pdf_header_at(mem, len)) > 0 ? at : 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return 0;
	if ((b = malloc(ZRI_PDF_JUNK_MAX)) == NULL) {
		fclose(fp);
		return 0;
	}
	got = fread(b, 1, ZRI_PDF_JUNK_MAX, fp);
	fclose(fp);
	at = zri_pdf_header_at(b, got);
	free(b);
	return at > 0 ? at : 0;
}
