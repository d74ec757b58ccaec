/* libzairyu: the merged document: pages, forms without scripts, outline. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

qpdf_oh
zri_name(qpdf_data q, const char *n)
{
	return qpdf_oh_new_name(q, n);
}

void
zri_set_key(qpdf_data q, qpdf_oh d, const char *k, qpdf_oh v)
{
	qpdf_oh_replace_key(q, d, k, v);
	qpdf_oh_release(q, v);
}

/* ---- assembling the output ------------------------------------------- */

/* Drop /AA and code-running /A from an annotation or field (and the
 * field's kids).  Returns how many were removed. */
static int
strip_actions(qpdf_data q, qpdf_oh d, int depth)
{
	qpdf_oh a;
	int n = 0;

	if (depth > 16 || !qpdf_oh_is_dictionary(q, d))
		return 0;
	if (qpdf_oh_has_key(q, d, "/AA")) {
		qpdf_oh_remove_key(q, d, "/AA");
		n++;
	}
	a = qpdf_oh_get_key(q, d, "/A");
	if (zri_bad_action(q, a, 0)) {
		qpdf_oh_remove_key(q, d, "/A");
		n++;
	}
	qpdf_oh_release(q, a);
	return n + zri_field_kids(q, d, depth, strip_actions);
}

/* No JavaScript and no attached files in the upload (the portal's
 * error-file rules, rules-facts §2): page actions, annotation actions,
 * file attachment annotations. */
static void
clean_page(struct zri_merge *m, qpdf_oh page, int *js, int *files)
{
	qpdf_data q = m->out;
	qpdf_oh annots, keep, it;
	int i, n;

	/* The page's own XMP and private application data (issue 14). */
	if (!m->o->keep_metadata) {
		qpdf_oh_remove_key(q, page, "/Metadata");
		qpdf_oh_remove_key(q, page, "/PieceInfo");
	}
	if (qpdf_oh_has_key(q, page, "/AA")) {
		qpdf_oh_remove_key(q, page, "/AA");
		(*js)++;
	}
	annots = qpdf_oh_get_key(q, page, "/Annots");
	if (!qpdf_oh_is_array(q, annots)) {
		qpdf_oh_release(q, annots);
		return;
	}
	keep = qpdf_oh_new_array(q);
	n = qpdf_oh_get_array_n_items(q, annots);
	for (i = 0; i < n; i++) {
		it = qpdf_oh_get_array_item(q, annots, i);
		if (zri_oh_is_name(q, it, "/Subtype", "/FileAttachment"))
			(*files)++;
		else {
			*js += strip_actions(q, it, 0);
			qpdf_oh_append_item(q, keep, it);
		}
		qpdf_oh_release(q, it);
	}
	qpdf_oh_replace_key(q, page, "/Annots", keep);
	qpdf_oh_release(q, keep);
	qpdf_oh_release(q, annots);
}

/* Copy a foreign object; libqpdf copies indirect objects only, so a
 * direct one is first made indirect in its own file. */
static qpdf_oh
copy_foreign(qpdf_data q, qpdf_data sq, qpdf_oh v)
{
	qpdf_oh ind, c;

	if (qpdf_oh_is_indirect(sq, v))
		return qpdf_oh_copy_foreign_object(q, sq, v);
	ind = qpdf_make_indirect_object(sq, v);
	c = qpdf_oh_copy_foreign_object(q, sq, ind);
	qpdf_oh_release(sq, ind);
	return c;
}

/* Interactive forms: the inputs' fields go into the output's AcroForm,
 * so filled-in forms keep working (without scripts or XFA). */
static void
merge_forms(struct zri_merge *m, qpdf_oh acro, struct zri_src *s, int *js)
{
	qpdf_data q = m->out, sq = s->q;
	qpdf_oh root, sa, fields, of, it, c, v;
	int i, n;

	root = qpdf_get_root(sq);
	sa = qpdf_oh_get_key(sq, root, "/AcroForm");
	fields = qpdf_oh_get_key_if_dict(sq, sa, "/Fields");
	if (qpdf_oh_is_array(sq, fields)) {
		of = qpdf_oh_get_key(q, acro, "/Fields");
		n = qpdf_oh_get_array_n_items(sq, fields);
		for (i = 0; i < n; i++) {
			it = qpdf_oh_get_array_item(sq, fields, i);
			if (qpdf_oh_is_dictionary(sq, it)) {
				c = copy_foreign(q, sq, it);
				if (!zri_pdf_clear_error(q)) {
					*js += strip_actions(q, c, 0);
					qpdf_oh_append_item(q, of, c);
				}
				qpdf_oh_release(q, c);
			}
			qpdf_oh_release(sq, it);
		}
		qpdf_oh_release(q, of);
		if (!qpdf_oh_has_key(q, acro, "/DR")) {
			v = qpdf_oh_get_key(sq, sa, "/DR");
			if (qpdf_oh_is_dictionary(sq, v)) {
				c = copy_foreign(q, sq, v);
				qpdf_oh_replace_key(q, acro, "/DR", c);
				qpdf_oh_release(q, c);
			}
			qpdf_oh_release(sq, v);
		}
		if (!qpdf_oh_has_key(q, acro, "/DA")) {
			v = qpdf_oh_get_key(sq, sa, "/DA");
			if (qpdf_oh_is_string(sq, v)) {
				c = qpdf_oh_new_binary_string(q,
				    qpdf_oh_get_string_value(sq, v),
				    qpdf_get_last_string_length(sq));
				qpdf_oh_replace_key(q, acro, "/DA", c);
				qpdf_oh_release(q, c);
			}
			qpdf_oh_release(sq, v);
		}
		v = qpdf_oh_get_key(sq, sa, "/NeedAppearances");
		if (qpdf_oh_is_bool(sq, v) && qpdf_oh_get_bool_value(sq, v))
			zri_set_key(q, acro, "/NeedAppearances",
			    qpdf_oh_new_bool(q, QPDF_TRUE));
		qpdf_oh_release(sq, v);
	}
	qpdf_oh_release(sq, fields);
	qpdf_oh_release(sq, sa);
	qpdf_oh_release(sq, root);
	zri_src_warn(s);
}

int
zri_assemble(struct zri_merge *m, struct zr_error *err)
{
	qpdf_data q = m->out;
	qpdf_oh page, root, outl, item, prev = 0, first = 0, acro, dest, t;
	struct zr_pdf_input_report *r;
	size_t i;
	int p, base = 0, js, files, nf;
	char w[256];

	if (qpdf_empty_pdf(q) & QPDF_ERRORS)
		return zri_pdf_qerr(q, err, ZR_E_PDF_WRITE, NULL,
		    "cannot start the output");
	root = qpdf_get_root(q);
	acro = qpdf_oh_parse(q, "<< /Fields [] >>");
	outl = qpdf_oh_parse(q, "<< /Type /Outlines >>");
	t = qpdf_make_indirect_object(q, outl);
	qpdf_oh_release(q, outl);
	outl = t;
	for (i = 0; i < m->nsrc; i++) {
		struct zri_src *s = &m->src[i];

		r = &m->res->inputs[i];
		r->kind = s->kind;
		r->pages = s->npages;
		r->first_page = base + 1;
		r->bytes_in = s->bytes;
		m->res->bytes_in += s->bytes;
		for (p = 0; p < s->npages; p++) {
			page = qpdf_get_page_n(s->q, (size_t)p);
			if (qpdf_add_page(q, s->q, page, QPDF_FALSE) &
			    QPDF_ERRORS) {
				qpdf_oh_release(s->q, page);
				return zri_pdf_qerr(q, err, ZR_E_PDF, s->path,
				    "cannot copy a page");
			}
			qpdf_oh_release(s->q, page);
		}
		js = files = 0;
		for (p = 0; p < s->npages; p++) {
			page = qpdf_get_page_n(q, (size_t)(base + p));
			clean_page(m, page, &js, &files);
			qpdf_oh_release(q, page);
		}
		if (s->kind == ZR_PDF_IN_PDF)
			merge_forms(m, acro, s, &js);
		if (js > 0 || files > 0)
			zri_note(m->res, "%s: removed %d script or launch "
			    "action%s and %d attached file%s", zr_display_name(
			    s->path), js, js == 1 ? "" : "s", files,
			    files == 1 ? "" : "s");
		if (s->version > m->version)
			m->version = s->version;
		/* One outline entry per input, at its first page. */
		item = qpdf_oh_new_dictionary(q);
		zri_set_key(q, item, "/Title", qpdf_oh_new_unicode_string(q,
		    s->title));
		qpdf_oh_replace_key(q, item, "/Parent", outl);
		page = qpdf_get_page_n(q, (size_t)base);
		dest = qpdf_oh_new_array(q);
		qpdf_oh_append_item(q, dest, page);
		t = zri_name(q, "/Fit");
		qpdf_oh_append_item(q, dest, t);
		qpdf_oh_release(q, t);
		zri_set_key(q, item, "/Dest", dest);
		qpdf_oh_release(q, page);
		t = qpdf_make_indirect_object(q, item);
		qpdf_oh_release(q, item);
		item = t;
		if (prev != 0) {
			qpdf_oh_replace_key(q, item, "/Prev", prev);
			qpdf_oh_replace_key(q, prev, "/Next", item);
			if (prev != first)
				qpdf_oh_release(q, prev);
		} else
			first = item;
		prev = item;
		base += s->npages;
		if (qpdf_has_error(q))
			return zri_pdf_qerr(q, err, ZR_E_PDF, s->path,
			    "cannot copy the pages");
		nf = zri_pdf_warnings(q, w, sizeof(w));
		if (nf > 0)
			zri_note(m->res, "%s: libqpdf warning while copying: "
			    "%s", zr_display_name(s->path), w);
	}
	m->res->pages = base;
	qpdf_oh_replace_key(q, outl, "/First", first);
	qpdf_oh_replace_key(q, outl, "/Last", prev);
	zri_set_key(q, outl, "/Count", qpdf_oh_new_integer(q,
	    (long long)m->nsrc));
	qpdf_oh_replace_key(q, root, "/Outlines", outl);
	zri_set_key(q, root, "/PageMode", zri_name(q, "/UseOutlines"));
	t = qpdf_oh_get_key(q, acro, "/Fields");
	if (qpdf_oh_get_array_n_items(q, t) > 0) {
		qpdf_oh f = qpdf_make_indirect_object(q, acro);

		qpdf_oh_replace_key(q, root, "/AcroForm", f);
		qpdf_oh_release(q, f);
	}
	qpdf_oh_release(q, t);
	qpdf_oh_release(q, acro);
	qpdf_oh_release(q, outl);
	qpdf_oh_release(q, root);
	if (qpdf_has_error(q))
		return zri_pdf_qerr(q, err, ZR_E_PDF_WRITE, NULL,
		    "cannot build the outline");
	return 0;
}

/*
 * Write the output into memory; *buf (if not NULL) gets a copy.  With
 * buf NULL only the size is wanted: the bytes go to an unlinked
 * temporary file (memory stays bounded whatever the inputs weigh) with a
 * fixed /ID of the same length instead of the digest of everything.
 */
/* m->out written into dest (a regular file, from its start), or if
 * dest is NULL into an unlinked temporary file, left open in *tp (*len
 * bytes; *warned: libqpdf warned while writing); final: with the /ID a
 * digest of the content, as the output has it. */
static int
write_file(struct zri_merge *m, FILE *dest, FILE **tp, size_t *len,
    int final, int *warned, struct zr_error *err)
{
	qpdf_data q = m->out;
	char ver[16], w[256], path[64];
	struct stat sb;
	FILE *t = dest;
	int rc;

	/* Always into a file, read back when the bytes are wanted:
	 * libqpdf's buffer of the whole output, and the copy of it, never
	 * sit in memory beside the images (issue 14). */
	if (t == NULL && (t = zr_scratch_file(err)) == NULL)
		return -1;
	/* What the caller's stream still buffers would land on the PDF
	 * later: out first (libqpdf writes through a stream of its own). */
	if (t == dest && fflush(t) != 0)
		return zr_error_sys(err, ZR_E_IO, errno, NULL,
		    "cannot write the output");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(t));
	if (qpdf_init_write(q, path) & QPDF_ERRORS) {
		if (t != dest)
			fclose(t);
		return zri_pdf_qerr(q, err, ZR_E_PDF_WRITE, NULL,
		    "cannot write PDF");
	}
	/* Object streams make the output smaller; the /ID is a digest of
	 * the content, so the same inputs give the same bytes (a write
	 * that only measures the size needs no digest). */
	qpdf_set_object_stream_mode(q, qpdf_o_generate);
	if (!final)
		qpdf_set_static_ID(q, QPDF_TRUE);
	else
		qpdf_set_deterministic_ID(q, QPDF_TRUE);
	qpdf_set_preserve_encryption(q, QPDF_FALSE);
	snprintf(ver, sizeof(ver), "%.1f", m->version < 1.3 ? 1.3 :
	    m->version);
	ver[1] = '.';  /* whatever the locale's decimal point */
	qpdf_set_minimum_pdf_version(q, ver);
	if (qpdf_write(q) & QPDF_ERRORS) {
		if (t != dest)
			fclose(t);
		return zri_pdf_qerr(q, err, ZR_E_PDF_WRITE, NULL,
		    "cannot write PDF");
	}
	rc = zri_pdf_warnings(q, w, sizeof(w));
	if (warned != NULL)
		*warned = rc > 0;
	if (rc > 0)
		zri_note(m->res, "output: libqpdf warning while writing: %s",
		    w);
	if (fstat(fileno(t), &sb) != 0 || sb.st_size < 0) {
		rc = errno;
		if (t != dest)
			fclose(t);
		return zr_error_sys(err, ZR_E_IO, rc, NULL,
		    dest != NULL ? "cannot write the output" :
		    "cannot write a temporary file");
	}
	*len = (size_t)sb.st_size;
	*tp = t;
	/* The caller's stream at the end of what was written. */
	if (t == dest)
		fseek(t, 0, SEEK_END);
	return 0;
}

int
zri_read_kept(FILE *t, size_t len, unsigned char **buf,
    struct zr_error *err)
{
	size_t n;
	int rc;

	if ((*buf = malloc(len > 0 ? len : 1)) == NULL) {
		fclose(t);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	rewind(t);
	n = fread(*buf, 1, len, t);
	rc = ferror(t) ? errno : EIO;
	fclose(t);
	if (n != len) {
		free(*buf);
		*buf = NULL;
		return zr_error_sys(err, ZR_E_IO, rc, NULL,
		    "cannot read a temporary file");
	}
	return 0;
}

int
zri_write_pdf_kept(struct zri_merge *m, FILE **keep, size_t *len,
    int *warned, struct zr_error *err)
{
	*keep = NULL;
	return write_file(m, NULL, keep, len, 1, warned, err);
}

int
zri_write_pdf_scratch(struct zri_merge *m, FILE **t, struct zr_error *err)
{
	size_t len;

	*t = NULL;
	return write_file(m, NULL, t, &len, 0, NULL, err);
}

int
zri_write_pdf(struct zri_merge *m, unsigned char **buf, size_t *len,
    struct zr_error *err)
{
	FILE *t;

	if (buf != NULL)
		*buf = NULL;
	if (write_file(m, NULL, &t, len, buf != NULL, NULL, err) < 0)
		return -1;
	if (buf == NULL) {
		fclose(t);
		return 0;
	}
	return zri_read_kept(t, *len, buf, err);
}

int
zri_write_pdf_to(struct zri_merge *m, FILE *dest, size_t *len,
    struct zr_error *err)
{
	FILE *t;

	return write_file(m, dest, &t, len, 1, NULL, err);
}

int
zri_copy_kept(FILE *t, size_t len, FILE *dest, struct zr_error *err)
{
	unsigned char b[65536];
	size_t n, left = len;
	int rc = 0;

	rewind(t);
	rewind(dest);
	if (ftruncate(fileno(dest), 0) != 0)
		rc = errno;
	while (rc == 0 && left > 0) {
		n = fread(b, 1, left < sizeof(b) ? left : sizeof(b), t);
		if (n == 0) {
			rc = ferror(t) ? errno : EIO;
			break;
		}
		if (fwrite(b, 1, n, dest) != n)
			rc = errno;
		left -= n;
	}
	if (rc == 0 && fflush(dest) != 0)
		rc = errno;
	fclose(t);
	if (rc != 0)
		return zr_error_sys(err, ZR_E_IO, rc, NULL,
		    "cannot write the output");
	return 0;
}
