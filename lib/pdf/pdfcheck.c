/* libzairyu: check finished upload files against the portal's rules. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zairyu/pdf.h"
#include "zairyu/io.h"
#include "zairyu/photo.h"
#include "pdfint.h"

static void
problem(struct zr_pdf_problem **list, size_t *n, int *viol, int *warn,
    enum zr_pdf_severity sev, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void
problem(struct zr_pdf_problem **list, size_t *n, int *viol, int *warn,
    enum zr_pdf_severity sev, const char *code, const char *fmt, ...)
{
	struct zr_pdf_problem *nl;
	va_list ap;

	nl = realloc(*list, (*n + 1) * sizeof(*nl));
	if (nl == NULL)
		return;
	*list = nl;
	nl[*n].severity = sev;
	snprintf(nl[*n].code, sizeof(nl[*n].code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(nl[*n].msg, sizeof(nl[*n].msg), fmt, ap);
	va_end(ap);
	(*n)++;
	if (sev == ZR_PDF_VIOLATION)
		(*viol)++;
	else
		(*warn)++;
}

#define FP(f, r, sev, code, ...) problem(&(f)->problems, &(f)->nproblems, \
	&(r)->violations, &(r)->warnings, (sev), (code), __VA_ARGS__)

/* Where one kind of private metadata was first found, and how often. */
struct metaseen {
	int n, page;
	char what[48], names[96];
};

struct pagescan {
	double min;
	int n;
	struct metaseen gps, other;   /* images with a GPS position, other */
	int page;
};

/* The n-th finding at page: the first one is kept, or a later one that
 * names personal properties where the first named none. */
static void
seen(struct metaseen *s, int page, const char *what, const char *names)
{
	if (s->n++ == 0 || (s->names[0] == '\0' && names[0] != '\0')) {
		s->page = page;
		snprintf(s->what, sizeof(s->what), "%s", what);
		snprintf(s->names, sizeof(s->names), "%s", names);
	}
}

static void
seen_add(struct metaseen *to, const struct metaseen *from)
{
	int n = to->n;

	if (from->n == 0)
		return;
	seen(to, from->page, from->what, from->names);
	to->n = n + from->n;
}

/*
 * The XMP metadata stream of a dictionary (a stream's dictionary, a page,
 * the catalog; ISO 32000-1 §14.3.2), scanned into *x: 1 if it has a GPS
 * property or personal data.  One that cannot be decoded counts as
 * personal data (nobody can tell it has none).
 */
#define XMP_CAP ((size_t)16 * 1024 * 1024)

static int
xmp_of(qpdf_data q, qpdf_oh dict, struct zr_privacy *x)
{
	struct zr_error e;
	unsigned char *buf = NULL;
	size_t len = 0;
	qpdf_oh md;

	memset(x, 0, sizeof(*x));
	md = qpdf_oh_get_key_if_dict(q, dict, "/Metadata");
	if (qpdf_oh_is_stream(q, md)) {
		if (zri_stream_decoded(q, md, XMP_CAP, &buf, &len, &e) < 0 ||
		    zr_xmp_scan(buf, len, x) < 0) {
			memset(x, 0, sizeof(*x));
			x->personal = 1;
			snprintf(x->names, sizeof(x->names), "an XMP stream "
			    "that cannot be read");
		}
		free(buf);
	}
	qpdf_oh_release(q, md);
	zri_pdf_clear_error(q);
	return x->gps || x->personal > 0;
}

/* Private metadata in an image drawn on the page (issue 14): its XMP
 * stream and, in a JPEG, its EXIF, XMP and IPTC segments. */
static void
image_meta(struct pagescan *ps, qpdf_data q, qpdf_oh image)
{
	struct zri_jpeg_meta m, jm;
	struct zr_privacy x;
	unsigned char *raw = NULL;
	size_t len = 0;
	qpdf_oh d;
	int k = 0, jk;

	memset(&m, 0, sizeof(m));
	d = qpdf_oh_get_dict(q, image);
	if (xmp_of(q, d, &x)) {
		k = x.gps ? 2 : 1;
		snprintf(m.what, sizeof(m.what), "%s", x.gps ? "an XMP GPS "
		    "position" : "personal data in their metadata");
		snprintf(m.names, sizeof(m.names), "%s", x.names);
	}
	qpdf_oh_release(q, d);
	if (k < 2 && zri_stream_filter(q, image, NULL) == ZRI_F_DCT) {
		if (qpdf_oh_get_stream_data(q, image, qpdf_dl_none, NULL, &raw,
		    &len) & QPDF_ERRORS)
			zri_pdf_clear_error(q);
		else if ((jk = zri_jpeg_private(raw, len, &jm)) > k) {
			m = jm;
			k = jk;
		}
		free(raw);
	}
	if (k == 2)
		seen(&ps->gps, ps->page, m.what, m.names);
	else if (k == 1)
		seen(&ps->other, ps->page, m.what, m.names);
}

/* 1 if s is empty or white space only (an empty value is no value). */
static int
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

static void
on_place(void *ctx, qpdf_data q, qpdf_oh image, double dx, double dy)
{
	struct pagescan *ps = ctx;
	double d = dx < dy ? dx : dy;

	image_meta(ps, q, image);
	if (!(d > 0) || !isfinite(d))
		return;
	if (ps->n++ == 0 || d < ps->min)
		ps->min = d;
}

/* JavaScript anywhere a viewer would run it (ISO 32000-1 §12.6.4.16):
 * the document's name tree and open action, page and annotation
 * actions, form field actions. */
static int
count_fields_js(qpdf_data q, qpdf_oh f, int depth)
{
	qpdf_oh a;
	int n = 0;

	if (depth > 16 || !qpdf_oh_is_dictionary(q, f))
		return 0;
	if (qpdf_oh_has_key(q, f, "/AA"))
		n++;
	a = qpdf_oh_get_key(q, f, "/A");
	n += zri_bad_action(q, a, 0);
	qpdf_oh_release(q, a);
	return n + zri_field_kids(q, f, depth, count_fields_js);
}

static void
doc_level(qpdf_data q, struct zr_pdf_check_file *f)
{
	qpdf_oh root, names, x, acro, fields, it;
	int i, n;

	root = qpdf_get_root(q);
	names = qpdf_oh_get_key(q, root, "/Names");
	x = qpdf_oh_get_key_if_dict(q, names, "/JavaScript");
	if (!qpdf_oh_is_null(q, x))
		f->javascript++;
	qpdf_oh_release(q, x);
	x = qpdf_oh_get_key_if_dict(q, names, "/EmbeddedFiles");
	if (!qpdf_oh_is_null(q, x))
		f->embedded_files++;
	qpdf_oh_release(q, x);
	qpdf_oh_release(q, names);
	x = qpdf_oh_get_key(q, root, "/OpenAction");
	f->javascript += zri_bad_action(q, x, 0);
	qpdf_oh_release(q, x);
	if (qpdf_oh_has_key(q, root, "/AA"))
		f->javascript++;
	acro = qpdf_oh_get_key(q, root, "/AcroForm");
	fields = qpdf_oh_get_key_if_dict(q, acro, "/Fields");
	if (qpdf_oh_is_array(q, fields)) {
		n = qpdf_oh_get_array_n_items(q, fields);
		for (i = 0; i < n && i < 10000; i++) {
			it = qpdf_oh_get_array_item(q, fields, i);
			f->javascript += count_fields_js(q, it, 0);
			qpdf_oh_release(q, it);
		}
	}
	qpdf_oh_release(q, fields);
	qpdf_oh_release(q, acro);
	qpdf_oh_release(q, root);
}

static void
page_level(qpdf_data q, qpdf_oh page, struct zr_pdf_check_file *f)
{
	qpdf_oh annots, it, a;
	int i, n;

	if (qpdf_oh_has_key(q, page, "/AA"))
		f->javascript++;
	annots = qpdf_oh_get_key(q, page, "/Annots");
	if (qpdf_oh_is_array(q, annots)) {
		n = qpdf_oh_get_array_n_items(q, annots);
		for (i = 0; i < n && i < 100000; i++) {
			it = qpdf_oh_get_array_item(q, annots, i);
			if (zri_oh_is_name(q, it, "/Subtype",
			    "/FileAttachment"))
				f->embedded_files++;
			if (qpdf_oh_is_dictionary(q, it)) {
				if (qpdf_oh_has_key(q, it, "/AA"))
					f->javascript++;
				a = qpdf_oh_get_key(q, it, "/A");
				f->javascript += zri_bad_action(q, a, 0);
				qpdf_oh_release(q, a);
			}
			qpdf_oh_release(q, it);
		}
	}
	qpdf_oh_release(q, annots);
}

static int
check_pdf(const struct zr_pdf_check_opts *o, struct zr_pdf_check_file *f,
    struct zr_pdf_check_result *r, struct zr_error *err)
{
	qpdf_data q = zri_pdf_new();
	char w[256], lowlist[64];
	struct pagescan ps;
	struct metaseen img_gps, img_other, page_gps, page_other;
	struct zr_privacy x, doc;
	char info[96];
	const char *v;
	qpdf_oh root;
	qpdf_oh page;
	int rc, nw, p, big = 0, bigpage = 0, low = 0, npages, tree_bad;
	int warn_dpi = o->warn_dpi > 0 ? o->warn_dpi : 150;
	double pw, ph, lo, hi;

	if (q == NULL)
		return zr_error_set(err, ZR_E_NOMEM, f->path, NULL);
	rc = qpdf_read(q, f->path, o->password);
	if (rc & QPDF_ERRORS) {
		if (qpdf_get_error_code(q, qpdf_get_error(q)) ==
		    qpdf_e_password) {
			f->encrypted = 1;
			FP(f, r, ZR_PDF_VIOLATION, "encrypted", "needs a "
			    "password to open; the portal rejects protected "
			    "PDFs");
			zri_pdf_free(&q);
			return 0;
		}
		/* Unreadable: an input error, not a finding. */
		zri_pdf_qerr(q, err, ZR_E_PDF, f->path, "cannot read PDF");
		zri_pdf_free(&q);
		return -1;
	}
	/* The page tree before the check: libqpdf's first walk of it is the
	 * one that refuses a loop in /Kids; a later walk returns what the
	 * first had gathered, and pushing the inherited attributes down the
	 * loop (below) recursed without end (a stack overflow, found by
	 * fuzz_pdfcheck: /Kids [3 0 R 2 0 R] in object 2). */
	npages = qpdf_get_num_pages(q);
	tree_bad = zri_pdf_clear_error(q);
	/* Everything libqpdf reads, decodes and complains about (the
	 * portal wants ISO 32000-1 files, rules-facts §2, KUSU). */
	rc = qpdf_check_pdf(q);
	nw = zri_pdf_warnings(q, w, sizeof(w));
	if (rc & QPDF_ERRORS) {
		zri_pdf_qerr(q, err, ZR_E_PDF, NULL, "libqpdf's check fails");
		FP(f, r, ZR_PDF_VIOLATION, "damaged", "%s", err->msg);
		zr_error_clear(err);
	} else if (nw > 0)
		FP(f, r, ZR_PDF_VIOLATION, "damaged", "libqpdf's check gives "
		    "%d warning%s, first: %s", nw, nw == 1 ? "" : "s", w);
	if (qpdf_is_encrypted(q)) {
		f->encrypted = 1;
		f->restricted = !qpdf_allow_print_high_res(q) ||
		    !qpdf_allow_extract_all(q) || !qpdf_allow_modify_all(q);
		/* Password, print- or copy-prohibited PDFs become error files
		 * without a message (rules-facts §2, KUSU quoting ISA). */
		FP(f, r, ZR_PDF_VIOLATION, "encrypted", "encrypted%s; the "
		    "portal rejects protected PDFs (zr-pdfmerge removes it)",
		    f->restricted ? " with restrictions" : "");
	}
	f->pages = npages;
	if (tree_bad || f->pages <= 0) {
		FP(f, r, ZR_PDF_VIOLATION, "damaged", "no readable pages");
		f->pages = 0;
		zri_pdf_free(&q);
		return 0;
	}
	qpdf_push_inherited_attributes_to_page(q);
	zri_pdf_clear_error(q);
	f->page = calloc((size_t)f->pages, sizeof(*f->page));
	if (f->page == NULL) {
		zri_pdf_free(&q);
		return zr_error_set(err, ZR_E_NOMEM, f->path, NULL);
	}
	doc_level(q, f);
	/* The document's own XMP (the catalog's /Metadata). */
	root = qpdf_get_root(q);
	(void)xmp_of(q, root, &doc);
	qpdf_oh_release(q, root);
	lowlist[0] = '\0';
	memset(&img_gps, 0, sizeof(img_gps));
	memset(&img_other, 0, sizeof(img_other));
	memset(&page_gps, 0, sizeof(page_gps));
	memset(&page_other, 0, sizeof(page_other));
	for (p = 0; p < f->pages; p++) {
		page = qpdf_get_page_n(q, (size_t)p);
		page_level(q, page, f);
		zri_page_size(q, page, &pw, &ph);
		f->page[p].width_pt = pw;
		f->page[p].height_pt = ph;
		memset(&ps, 0, sizeof(ps));
		ps.page = p + 1;
		zri_pdf_scan_page(q, page, on_place, &ps, NULL);
		seen_add(&img_gps, &ps.gps);
		seen_add(&img_other, &ps.other);
		/* The page's own XMP. */
		if (xmp_of(q, page, &x))
			seen(x.gps ? &page_gps : &page_other, p + 1, "",
			    x.names);
		f->page[p].images = ps.n;
		f->page[p].min_dpi = ps.n > 0 ? (int)(ps.min + 0.5) : 0;
		if (ps.n > 0 && f->page[p].min_dpi < 1)
			f->page[p].min_dpi = 1;
		if (f->page[p].min_dpi > 0 && (f->min_dpi == 0 ||
		    f->page[p].min_dpi < f->min_dpi)) {
			f->min_dpi = f->page[p].min_dpi;
			f->min_dpi_page = p + 1;
		}
		if (f->page[p].min_dpi > 0 && f->page[p].min_dpi < warn_dpi) {
			if (low++ < 5) {
				size_t l = strlen(lowlist);

				snprintf(lowlist + l, sizeof(lowlist) - l,
				    "%s%d", l ? "," : "", p + 1);
			}
		}
		/* No page size rule is published (rules-facts §2 [U]):
		 * larger than A3 is only a warning. */
		lo = pw < ph ? pw : ph;
		hi = pw < ph ? ph : pw;
		if ((lo > 842 * 1.02 || hi > 1191 * 1.02) && big++ == 0)
			bigpage = p + 1;
		qpdf_oh_release(q, page);
		zri_pdf_warnings(q, NULL, 0);
	}
	if (f->javascript > 0)
		FP(f, r, ZR_PDF_VIOLATION, "javascript", "%d JavaScript or "
		    "launch action%s", f->javascript, f->javascript == 1 ? "" :
		    "s");
	/* Where a photo was taken, and who made a file, with what and when,
	 * are nobody's business at the portal (zr-pdfmerge strips both):
	 * a position is a violation wherever it is, EXIF or XMP, other
	 * personal data a warning. */
	if (img_gps.n > 0)
		FP(f, r, ZR_PDF_VIOLATION, "gps", "%d image%s with %s (first on "
		    "page %d%s%s); zr-pdfmerge removes it", img_gps.n,
		    img_gps.n == 1 ? "" : "s", img_gps.what, img_gps.page,
		    img_gps.names[0] ? ": " : "", img_gps.names);
	if (page_gps.n > 0)
		FP(f, r, ZR_PDF_VIOLATION, "gps", "the XMP metadata of %d "
		    "page%s has a GPS position (first page %d: %s); "
		    "zr-pdfmerge removes it", page_gps.n, page_gps.n == 1 ?
		    "" : "s", page_gps.page, page_gps.names);
	if (doc.gps)
		FP(f, r, ZR_PDF_VIOLATION, "gps", "the document's XMP metadata "
		    "has a GPS position (%s); zr-pdfmerge leaves it out",
		    doc.names);
	if (img_other.n > 0)
		FP(f, r, ZR_PDF_WARN, "metadata", "images with %s (first on "
		    "page %d%s%s); zr-pdfmerge removes it", img_other.what,
		    img_other.page, img_other.names[0] ? ": " : "",
		    img_other.names);
	if (page_other.n > 0)
		FP(f, r, ZR_PDF_WARN, "metadata", "the XMP metadata of %d "
		    "page%s has personal data (first page %d: %s); "
		    "zr-pdfmerge removes it", page_other.n, page_other.n == 1 ?
		    "" : "s", page_other.page, page_other.names);
	if (!doc.gps && doc.personal > 0)
		FP(f, r, ZR_PDF_WARN, "metadata", "the document's XMP metadata "
		    "has personal data (%s); zr-pdfmerge leaves it out",
		    doc.names);
	/* The document information's author and creator tool (its dates
	 * are not looked at: zr-pdfmerge writes them itself under
	 * SOURCE_DATE_EPOCH, and its own /Producer). */
	info[0] = '\0';
	v = qpdf_get_info_key(q, "/Author");
	if (v != NULL && !blank(v))
		snprintf(info, sizeof(info), "/Author");
	v = qpdf_get_info_key(q, "/Creator");
	if (v != NULL && !blank(v))
		snprintf(info + strlen(info), sizeof(info) - strlen(info),
		    "%s/Creator", info[0] ? ", " : "");
	if (info[0] != '\0')
		FP(f, r, ZR_PDF_WARN, "metadata", "the document information "
		    "has personal data (%s); zr-pdfmerge leaves it out", info);
	if (f->embedded_files > 0)
		FP(f, r, ZR_PDF_VIOLATION, "embedded_files", "attached files "
		    "(%d)", f->embedded_files);
	if (big > 0)
		FP(f, r, ZR_PDF_WARN, "page_size", "%d page%s larger than A3 "
		    "(first: page %d, %.0fx%.0f mm)", big, big == 1 ? "" : "s",
		    bigpage, f->page[bigpage - 1].width_pt * 25.4 / 72,
		    f->page[bigpage - 1].height_pt * 25.4 / 72);
	if (low > 0)
		FP(f, r, ZR_PDF_WARN, "low_dpi", "%d page%s with images under "
		    "%d dpi (pages %s%s; lowest %d dpi on page %d)", low,
		    low == 1 ? "" : "s", warn_dpi, lowlist, low > 5 ? ",..." :
		    "", f->min_dpi, f->min_dpi_page);
	zri_pdf_free(&q);
	return 0;
}

/* The photo with zr-photo's checks (issue 14): its problems are
 * violations, its notes warnings.  A JPEG that does not decode is an
 * input error. */
static int
photo_check(const struct zr_pdf_check_opts *o, struct zr_pdf_check_file *f,
    struct zr_pdf_check_result *r, struct zr_error *err)
{
	struct zr_photo_findings pf;
	struct zr_image_info info;
	unsigned char *b;
	size_t len;
	int i;

	if (zr_read_file(f->path, 0, &b, &len, err) < 0)
		return -1;
	if (zr_photo_check(b, len, f->path, o->photo, o->today, &pf, &info,
	    err) != 0) {
		free(b);
		return -1;
	}
	free(b);
	for (i = 0; i < pf.n; i++)
		FP(f, r, pf.f[i].note ? ZR_PDF_WARN : ZR_PDF_VIOLATION,
		    pf.f[i].code, "the photo (zr-photo --check): %s",
		    pf.f[i].msg);
	return 0;
}

/* The content of a file whose name says otherwise: ZR_PDF_IN_*, 0 for
 * none of them. */
static int
content_kind(const char *path)
{
	unsigned char *b;
	size_t len;
	struct zr_error e;
	int kind = 0;

	if (zr_read_file(path, 0, &b, &len, NULL) < 0)
		return 0;
	if (zri_sniff_buf("content", b, len, &kind, &e) < 0)
		kind = 0;
	free(b);
	return kind;
}

/* A photo that says where it was taken (issue 14). */
static void
photo_meta(struct zr_pdf_check_file *f, struct zr_pdf_check_result *r)
{
	unsigned char *b;
	size_t len;
	struct zri_jpeg_meta m;

	if (zr_read_file(f->path, 0, &b, &len, NULL) < 0)
		return;
	if (zri_jpeg_private(b, len, &m) == 2)
		FP(f, r, ZR_PDF_VIOLATION, "gps", "the photo has %s%s%s%s "
		    "(zr-photo writes it without)", m.what, m.names[0] ? " (" :
		    "", m.names, m.names[0] ? ")" : "");
	free(b);
}

int
zr_pdf_check(const char *const *paths, size_t n,
    const struct zr_pdf_check_opts *o, struct zr_pdf_check_result *r,
    struct zr_error *err)
{
	const struct zr_pdf_limits *l = &o->limits;
	struct zr_pdf_check_file *f;
	struct zr_error e;
	long long reserve = o->reserve < 0 ? l->photo_bytes : o->reserve;
	size_t i, npdf = 0, nimg = 0;
	int kind;

	memset(r, 0, sizeof(*r));
	if (n == 0)
		return zr_error_set(err, ZR_E_USAGE, NULL, "no files to check");
	if ((r->files = calloc(n, sizeof(*r->files))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	r->nfiles = n;
	for (i = 0; i < n; i++) {
		f = &r->files[i];
		f->path = paths[i];
		if (zri_sniff(paths[i], &kind, &f->bytes, &e) < 0) {
			/* Unreadable, empty, or neither PDF, JPEG, PNG nor TIFF
			 * whatever its name: an input error.  A PDF, JPEG or
			 * PNG under a name for another kind is a problem. */
			if (e.code == ZR_E_OPEN || e.code == ZR_E_NOT_FILE ||
			    e.code == ZR_E_IO || e.code == ZR_E_EMPTY ||
			    e.code == ZR_E_SAME_FILE ||
			    (kind = content_kind(paths[i])) == 0) {
				*err = e;
				return -1;
			}
			f->kind = kind;
			f->is_pdf = kind == ZR_PDF_IN_PDF;
			r->total_bytes += f->bytes;
			if (f->is_pdf) {
				FP(f, r, ZR_PDF_VIOLATION, "extension", "%s; "
				    "documents must be named .pdf", e.msg);
				npdf++;
				continue;
			}
			if (kind == ZR_PDF_IN_TIFF) {
				FP(f, r, ZR_PDF_VIOLATION, "not_pdf", "%s; "
				    "documents must be PDF", e.msg);
				npdf++;
				continue;
			}
			FP(f, r, ZR_PDF_VIOLATION, "extension", "%s; the "
			    "photo must be a JPEG named .jpg or .jpeg", e.msg);
		} else {
			r->total_bytes += f->bytes;
			f->kind = kind;
			f->is_pdf = kind == ZR_PDF_IN_PDF;
		}
		if (!f->is_pdf) {
			const char *ext = zri_ext_of(paths[i]);
			int named = strcasecmp(ext, "jpg") == 0 ||
			    strcasecmp(ext, "jpeg") == 0;

			/* The face photo is an upload of its own: within the
			 * 20 files and 25 MB total on the new system, apart
			 * from the attachment on the old one (rules-facts §2,
			 * §1.2); a JPEG on both (§1.2).  A second image can
			 * only be a misplaced document. */
			if (kind == ZR_PDF_IN_TIFF && f->nproblems == 0) {
				/* Attachments are PDF (rules-facts §2, KUSU),
				 * the photo a JPEG (§1.2): a TIFF is neither;
				 * not the photo, so not counted as one. */
				FP(f, r, ZR_PDF_VIOLATION, "not_pdf", "a TIFF "
				    "image: not an upload format (documents "
				    "must be PDF; zr-pdfmerge makes one of "
				    "it)");
				npdf++;
				continue;
			}
			if (++nimg > 1) {
				FP(f, r, ZR_PDF_VIOLATION, "not_pdf", "not a "
				    "PDF: documents must be PDF (one image, "
				    "the photo, is allowed)");
			} else if (f->nproblems == 0 &&
			    kind == ZR_PDF_IN_PNG) {
				FP(f, r, ZR_PDF_VIOLATION, "not_jpeg", "a PNG "
				    "image; the photo must be a JPEG named .jpg "
				    "or .jpeg (zr-photo makes one)");
			} else if (f->nproblems == 0 && !named) {
				FP(f, r, ZR_PDF_VIOLATION, "extension", "a "
				    "JPEG image; the photo must be named .jpg "
				    "or .jpeg");
			} else if (f->nproblems == 0 && o->photo != NULL) {
				f->is_photo = 1;
				if (photo_check(o, f, r, err) < 0)
					return -1;
			} else if (f->nproblems == 0) {
				f->is_photo = 1;
				if (l->photo_bytes > 0 &&
				    f->bytes > l->photo_bytes)
					FP(f, r, ZR_PDF_VIOLATION,
					    "photo_too_big", "%lld bytes, over "
					    "the photo limit of %lld",
					    f->bytes, l->photo_bytes);
				photo_meta(f, r);
			}
			if (!l->total_includes_photo && nimg == 1)
				r->total_bytes -= f->bytes;
			continue;
		}
		npdf++;
		/* Attachments must be named .pdf (rules-facts §2, KUSU). */
		if (strcasecmp(zri_ext_of(paths[i]), "pdf") != 0)
			FP(f, r, ZR_PDF_VIOLATION, "extension", "the file name "
			    "must end in .pdf");
		if (f->bytes > l->max_file_bytes)
			FP(f, r, ZR_PDF_VIOLATION, "too_big", "%lld bytes, over "
			    "the limit of %lld for one file", f->bytes,
			    l->max_file_bytes);
		if (check_pdf(o, f, r, err) < 0)
			return -1;
	}
	/* New system: the photo is one of the 20 files; without it among
	 * the files, keep a place for it (rules-facts §1.2). */
	if (l->total_includes_photo) {
		size_t nall = npdf + (nimg > 0 ? nimg : 1);

		if ((long)nall > l->max_files)
			problem(&r->problems, &r->nproblems, &r->violations,
			    &r->warnings, ZR_PDF_VIOLATION, "too_many_files",
			    "%zu files %s the photo, the online system takes "
			    "%ld", nimg > 0 ? nall : npdf, nimg > 0 ? "with" :
			    "plus", l->max_files);
	} else if ((long)npdf > l->max_files)
		problem(&r->problems, &r->nproblems, &r->violations,
		    &r->warnings, ZR_PDF_VIOLATION, "too_many_files",
		    "%zu files, the online system takes %ld", npdf,
		    l->max_files);
	/* Without the photo among the files, keep room for it. */
	if (l->total_includes_photo && nimg == 0) {
		if (r->total_bytes + reserve > l->max_total_bytes)
			problem(&r->problems, &r->nproblems, &r->violations,
			    &r->warnings, ZR_PDF_VIOLATION, "total", "%lld "
			    "bytes in total plus %lld for the photo, over the "
			    "limit of %lld", r->total_bytes, reserve,
			    l->max_total_bytes);
	} else if (r->total_bytes > l->max_total_bytes)
		problem(&r->problems, &r->nproblems, &r->violations,
		    &r->warnings, ZR_PDF_VIOLATION, "total", "%lld bytes in "
		    "total, over the limit of %lld", r->total_bytes,
		    l->max_total_bytes);
	return 0;
}

void
zr_pdf_check_free(struct zr_pdf_check_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nfiles; i++) {
		free(r->files[i].page);
		free(r->files[i].problems);
	}
	free(r->files);
	free(r->problems);
	memset(r, 0, sizeof(*r));
}
