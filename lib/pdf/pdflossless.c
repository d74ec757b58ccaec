/* libzairyu: the lossless pass of a merge: Flate streams again at level 9. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/* ---- lossless pass: Flate at level 9 ---------------------------------- */

static int
mark(unsigned char **seen, size_t *nseen, int id)
{
	size_t i = (size_t)id / 8;
	unsigned char *ns;

	if (id <= 0)
		return 0;
	if (i >= *nseen) {
		size_t n = (i + 1) * 2;

		if ((ns = realloc(*seen, n)) == NULL)
			return -1;
		memset(ns + *nseen, 0, n - *nseen);
		*seen = ns;
		*nseen = n;
	}
	if ((*seen)[i] & (1u << (id % 8)))
		return 1;
	(*seen)[i] = (unsigned char)((*seen)[i] | (1u << (id % 8)));
	return 0;
}

static void
reflate(struct zri_merge *m, qpdf_oh s)
{
	qpdf_data q = m->out;
	qpdf_oh d, f, p;
	unsigned char *raw = NULL, *dec = NULL, *z = NULL;
	size_t rawlen, declen, zlen;
	enum zri_filter fl;
	int parms;

	fl = zri_stream_filter(q, s, &parms);
	if ((fl != ZRI_F_FLATE && fl != ZRI_F_NONE) || parms)
		return;
	d = qpdf_oh_get_dict(q, s);
	/* XMP metadata stays readable (ISO 32000-1 §14.3.2). */
	if (zri_oh_is_name(q, d, "/Type", "/Metadata") ||
	    zri_oh_is_name(q, d, "/Type", "/XRef") ||
	    zri_oh_is_name(q, d, "/Type", "/ObjStm")) {
		qpdf_oh_release(q, d);
		return;
	}
	qpdf_oh_release(q, d);
	if (qpdf_oh_get_stream_data(q, s, qpdf_dl_none, NULL, &raw, &rawlen) &
	    QPDF_ERRORS || rawlen < 256)
		goto out;
	if (fl == ZRI_F_FLATE) {
		if (zri_inflate(raw, rawlen, ZRI_PDF_MAX_CONTENT, &dec, &declen,
		    NULL) < 0)
			goto out;
	} else {
		dec = raw;
		declen = rawlen;
		raw = NULL;
	}
	if (zri_deflate9(dec, declen, &z, &zlen, NULL) < 0)
		goto out;
	/* Keep the old data unless level 9 wins (an unfiltered stream is
	 * compared with what qpdf would write at its default level). */
	if (fl == ZRI_F_FLATE ? zlen + 16 < rawlen : zlen < declen) {
		f = zri_name(q, "/FlateDecode");
		p = qpdf_oh_new_null(q);
		qpdf_oh_replace_stream_data(q, s, z, zlen, f, p);
		qpdf_oh_release(q, f);
		qpdf_oh_release(q, p);
		m->res->flate_recompressed++;
	}
out:
	zri_pdf_clear_error(q);
	zri_pdf_warnings(q, NULL, 0);
	free(raw);
	free(dec);
	free(z);
}

/* Visit every object reachable from the root (iteratively: outline
 * chains can be long) and re-deflate its streams. */
int
zri_lossless_pass(struct zri_merge *m, struct zr_error *err)
{
	qpdf_data q = m->out;
	qpdf_oh *st = NULL, *ns, h, c, root;
	size_t n = 0, cap = 0, nseen = 0;
	unsigned char *seen = NULL;
	const char *k;
	char **keys = NULL;
	size_t nk, i, kc;
	int id, j, na, rc = 0;

	root = qpdf_get_root(q);
	cap = 1024;
	if ((st = malloc(cap * sizeof(*st))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	st[n++] = root;
	while (n > 0 && rc == 0) {
		h = st[--n];
		id = qpdf_oh_is_indirect(q, h) ? qpdf_oh_get_object_id(q, h) : 0;
		j = mark(&seen, &nseen, id);
		if (j != 0) {
			qpdf_oh_release(q, h);
			if (j < 0)
				rc = zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
			continue;
		}
		if (qpdf_oh_is_stream(q, h)) {
			reflate(m, h);
			c = qpdf_oh_get_dict(q, h);
			qpdf_oh_release(q, h);
			h = c;
		}
		/* Children: collect first (the key iterator is global). */
		nk = 0;
		if (qpdf_oh_is_dictionary(q, h)) {
			kc = 0;
			qpdf_oh_begin_dict_key_iter(q, h);
			while (qpdf_oh_dict_more_keys(q)) {
				k = qpdf_oh_dict_next_key(q);
				if (nk == kc) {
					char **nkeys;

					kc = kc ? kc * 2 : 16;
					nkeys = realloc(keys, kc * sizeof(*keys));
					if (nkeys == NULL)
						break;
					keys = nkeys;
				}
				keys[nk++] = strdup(k);
			}
			for (i = 0; i < nk; i++) {
				if (keys[i] != NULL && strcmp(keys[i],
				    "/Parent") != 0) {
					if (n == cap) {
						cap *= 2;
						if ((ns = realloc(st, cap *
						    sizeof(*st))) == NULL) {
							rc = zr_error_set(err,
							    ZR_E_NOMEM, NULL,
							    NULL);
							break;
						}
						st = ns;
					}
					st[n++] = qpdf_oh_get_key(q, h,
					    keys[i]);
				}
			}
			for (i = 0; i < nk; i++)
				free(keys[i]);
		} else if (qpdf_oh_is_array(q, h)) {
			na = qpdf_oh_get_array_n_items(q, h);
			for (j = 0; j < na && rc == 0; j++) {
				if (n == cap) {
					cap *= 2;
					if ((ns = realloc(st, cap *
					    sizeof(*st))) == NULL) {
						rc = zr_error_set(err,
						    ZR_E_NOMEM, NULL, NULL);
						break;
					}
					st = ns;
				}
				st[n++] = qpdf_oh_get_array_item(q, h, j);
			}
		}
		qpdf_oh_release(q, h);
	}
	while (n > 0)
		qpdf_oh_release(q, st[--n]);
	free(keys);
	free(st);
	free(seen);
	return rc;
}

