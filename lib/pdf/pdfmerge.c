/* libzairyu: merge PDFs and scans into one PDF that fits the upload budget. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <qpdf/qpdfjob-c.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/* ---- limits from the rules table ------------------------------------ */

int
zr_pdf_limits_at(struct zr_date on, struct zr_pdf_limits *l,
    struct zr_error *err)
{
	long v[6];
	static const char *const keys[6] = { "system.generation",
		"upload.max_files", "upload.max_file_bytes",
		"upload.max_total_bytes", "upload.total_includes_photo",
		"photo.max_bytes" };
	int i;

	for (i = 0; i < 6; i++)
		if ((v[i] = zr_rule_value(keys[i], on, err)) < 0)
			return -1;
	l->generation = (int)v[0];
	l->max_files = v[1];
	l->max_file_bytes = v[2];
	l->max_total_bytes = v[3];
	l->total_includes_photo = (int)v[4];
	l->photo_bytes = v[5];
	return 0;
}

long long
zr_pdf_default_budget(const struct zr_pdf_limits *l, long long reserve)
{
	long long b = l->max_file_bytes;

	if (reserve < 0)
		reserve = l->photo_bytes;
	/* New system: 25 MB for everything, the face photo included
	 * (rules-facts §2, RASENS) — keep room for the photo. */
	if (l->total_includes_photo && l->max_total_bytes - reserve < b)
		b = l->max_total_bytes - reserve;
	return b > 0 ? b : 0;
}

/* ---- state ----------------------------------------------------------- */

struct src {
	const char *path;
	char title[512];
	enum zr_pdf_kind kind;
	qpdf_data q;
	unsigned char *mem;       /* stdin or an image page's bytes */
	int npages;
	long long bytes;
	double version;
	int nwarn;                /* libqpdf's warnings about it */
	char warn[256];
};

struct img {
	qpdf_oh oh;               /* in the output */
	int obj;
	int input;
	int page;                 /* first page drawing it, in its input */
	int width, height, comps, bpc;
	enum zri_filter filter;
	int predictor;
	int eligible;
	int vcheck;               /* JPEG to be validated by decoding */
	int vfail;                /* ... which failed, saying vmsg */
	char vmsg[256];
	int icc_gray_ok;          /* colour space may become /DeviceGray */
	long long raw;            /* stream bytes as stored */
	double dpi;               /* lowest effective dpi, 0 = unknown */
	int gray;
	long long *est;           /* estimated bytes per level */
	unsigned char *data;      /* final JPEG, or NULL to keep */
	size_t len;
	int nw, nh;
};

struct level {
	int dpi, q;
};

struct m {
	const struct zr_pdf_opts *o;
	struct zr_pdf_result *res;
	struct src *src;
	size_t nsrc;
	qpdf_data out;
	double version;
	struct img *img;
	size_t nimg, capimg;
	int *img_of_obj;          /* object id -> index + 1 */
	size_t nobjmap;
	int cur_input, cur_page;
	struct level lv[32];
	int nlv;
};

static int
add_note(struct zr_pdf_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
add_note(struct zr_pdf_result *r, const char *fmt, ...)
{
	char buf[512], **nn;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	nn = realloc(r->notes, (r->nnotes + 1) * sizeof(*nn));
	if (nn == NULL)
		return -1;
	r->notes = nn;
	if ((nn[r->nnotes] = strdup(buf)) == NULL)
		return -1;
	r->nnotes++;
	return 0;
}

/* Decimal with up to 4 places, independent of the C locale. */
static char *
fmtnum(char *b, size_t n, double v)
{
	long long x = llround(v * 10000.0);
	long long ip = llabs(x) / 10000, fp = llabs(x) % 10000;

	if (fp == 0)
		snprintf(b, n, "%s%lld", x < 0 ? "-" : "", ip);
	else
		snprintf(b, n, "%s%lld.%04lld", x < 0 ? "-" : "", ip, fp);
	return b;
}

/* The outline title: --title, else the file name without its folder
 * and extension; bytes that are not UTF-8 become '?'. */
static void
make_title(struct src *s, const char *title)
{
	const char *b, *dot;
	size_t n, bad;

	if (title != NULL)
		snprintf(s->title, sizeof(s->title), "%s", title);
	else if (strcmp(s->path, "-") == 0)
		snprintf(s->title, sizeof(s->title), "stdin");
	else {
		b = strrchr(s->path, '/');
		b = b != NULL ? b + 1 : s->path;
		dot = strrchr(b, '.');
		n = dot != NULL && dot != b ? (size_t)(dot - b) : strlen(b);
		if (n >= sizeof(s->title))
			n = sizeof(s->title) - 1;
		memcpy(s->title, b, n);
		s->title[n] = '\0';
	}
	while (!zr_utf8_valid(s->title, strlen(s->title), &bad))
		s->title[bad] = '?';
}

/* ---- opening inputs --------------------------------------------------- */

/* Keep count of what libqpdf says about an input as it reads it. */
static void
src_warn(struct src *s)
{
	char first[256];
	int nw = zri_pdf_warnings(s->q, first, sizeof(first));

	if (nw > 0 && s->nwarn == 0)
		snprintf(s->warn, sizeof(s->warn), "%s", first);
	s->nwarn += nw;
}

static int
open_pdf(struct m *m, struct src *s, struct zr_error *err)
{
	char *ver;
	const char *pw = NULL;
	int rc, restricted;

	s->q = zri_pdf_new();
	if (s->q == NULL)
		return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
	for (;;) {
		if (s->mem != NULL)
			rc = qpdf_read_memory(s->q, zr_display_name(s->path),
			    (const char *)s->mem, (unsigned long long)s->bytes,
			    pw);
		else
			rc = qpdf_read(s->q, s->path, pw);
		if (!(rc & QPDF_ERRORS))
			break;
		if (qpdf_get_error_code(s->q, qpdf_get_error(s->q)) ==
		    qpdf_e_password) {
			if (pw == NULL && m->o->password != NULL) {
				/* Try again with the password given. */
				qpdf_cleanup(&s->q);
				s->q = zri_pdf_new();
				if (s->q == NULL)
					return zr_error_set(err, ZR_E_NOMEM,
					    s->path, NULL);
				pw = m->o->password;
				continue;
			}
			return zr_error_set(err, ZR_E_PDF_PASSWORD, s->path,
			    pw == NULL ? "needs a password to open (give it "
			    "with --password-fd)" : "wrong password");
		}
		return zri_pdf_qerr(s->q, err, ZR_E_PDF, s->path,
		    "cannot read PDF");
	}
	s->npages = qpdf_get_num_pages(s->q);
	if (qpdf_has_error(s->q))
		return zri_pdf_qerr(s->q, err, ZR_E_PDF, s->path,
		    "cannot read the pages");
	if (s->npages <= 0)
		return zr_error_set(err, ZR_E_PDF, s->path,
		    "no pages (damaged PDF)");
	/* Inherited /Resources, /MediaBox, /Rotate go onto each page before
	 * the pages are copied on their own. */
	if (qpdf_push_inherited_attributes_to_page(s->q) & QPDF_ERRORS)
		return zri_pdf_qerr(s->q, err, ZR_E_PDF, s->path,
		    "cannot read the page tree");
	src_warn(s);
	if (qpdf_is_encrypted(s->q)) {
		restricted = !qpdf_allow_print_high_res(s->q) ||
		    !qpdf_allow_extract_all(s->q) ||
		    !qpdf_allow_modify_all(s->q);
		/* The portal treats secured PDFs as error files
		 * (rules-facts §2, KUSU): the output is never encrypted. */
		if (pw != NULL)
			add_note(m->res, "%s: opened with the password; "
			    "written without encryption", zr_display_name(
			    s->path));
		else if (restricted)
			add_note(m->res, "%s: restricted by an owner password; "
			    "written without encryption or restrictions",
			    zr_display_name(s->path));
		else
			add_note(m->res, "%s: encrypted; written without "
			    "encryption", zr_display_name(s->path));
	}
	ver = (char *)qpdf_get_pdf_version(s->q);
	s->version = ver != NULL ? strtod(ver, NULL) : 1.3;
	if (!(s->version >= 1.0 && s->version <= 2.0))
		s->version = 1.3;
	return 0;
}

/* One byte of a PNG-filtered row: filter type t (0-4) at column x. */
static unsigned char
png_filter(int t, const unsigned char *cur, const unsigned char *up,
    size_t x, size_t bpp)
{
	int a = x >= bpp ? cur[x - bpp] : 0;
	int b = up != NULL ? up[x] : 0;
	int c = up != NULL && x >= bpp ? up[x - bpp] : 0;
	int p, pa, pb, pc, v = cur[x];

	switch (t) {
	case 1: v -= a; break;
	case 2: v -= b; break;
	case 3: v -= (a + b) / 2; break;
	case 4:
		p = a + b - c;
		pa = abs(p - a);
		pb = abs(p - b);
		pc = abs(p - c);
		v -= pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
		break;
	default: break;
	}
	return (unsigned char)v;
}

/* Colour rows as PNG predictor rows (type chosen per row by the sum of
 * absolute differences, the usual heuristic), for Flate. */
static unsigned char *
png_predict(const struct zr_image *im, size_t *outlen)
{
	size_t rb = (size_t)im->width * (size_t)im->channels, y, x;
	size_t bpp = (size_t)im->channels;
	unsigned char *o = malloc(((rb + 1) * (size_t)im->height) + 1);
	unsigned char *row;
	int t, best;
	long sum, bestsum;

	if (o == NULL)
		return NULL;
	for (y = 0; y < (size_t)im->height; y++) {
		const unsigned char *cur = im->pixels + y * rb;
		const unsigned char *up = y > 0 ? cur - rb : NULL;

		row = o + y * (rb + 1);
		best = 0;
		bestsum = -1;
		for (t = 0; t <= 4; t++) {
			sum = 0;
			for (x = 0; x < rb; x++) {
				signed char v = (signed char)png_filter(t, cur,
				    up, x, bpp);
				sum += v < 0 ? -v : v;
			}
			if (bestsum < 0 || sum < bestsum) {
				bestsum = sum;
				best = t;
			}
		}
		row[0] = (unsigned char)best;
		for (x = 0; x < rb; x++)
			row[1 + x] = png_filter(best, cur, up, x, bpp);
	}
	*outlen = (rb + 1) * (size_t)im->height;
	return o;
}

static qpdf_oh
name(qpdf_data q, const char *n)
{
	return qpdf_oh_new_name(q, n);
}

static void
set_key(qpdf_data q, qpdf_oh d, const char *k, qpdf_oh v)
{
	qpdf_oh_replace_key(q, d, k, v);
	qpdf_oh_release(q, v);
}

/*
 * A scan becomes a one-page PDF of its own: a JPEG is embedded as it is
 * (DCTDecode; EXIF orientation applied by the drawing matrix, so nothing
 * is re-encoded), a PNG as Flate with PNG predictors.
 */
static int
open_image(struct m *m, struct src *s, struct zr_error *err)
{
	static const double tr[9][6] = {
		{ 1, 0, 0, 1, 0, 0 },           /* unused */
		{ 1, 0, 0, 1, 0, 0 },           /* 1 */
		{ -1, 0, 0, 1, 1, 0 },          /* 2 mirror */
		{ -1, 0, 0, -1, 1, 1 },         /* 3 rotate 180 */
		{ 1, 0, 0, -1, 0, 1 },          /* 4 flip */
		{ 0, -1, -1, 0, 1, 1 },         /* 5 transpose */
		{ 0, -1, 1, 0, 0, 1 },          /* 6 rotate 90 cw */
		{ 0, 1, 1, 0, 0, 0 },           /* 7 transverse */
		{ 0, 1, -1, 0, 1, 0 },          /* 8 rotate 90 ccw */
	};
	struct zr_image_info info;
	struct zr_decode_opts dopt;
	struct zr_image im;
	struct zr_jpeg_opts jo;
	unsigned char *data = NULL, *pred = NULL;
	size_t len = 0, plen;
	qpdf_data q;
	qpdf_oh img, dict, cs, parms, res, xo, page, contents, box;
	double dw, dh, xd, yd, pw, ph, sc, x0, y0;
	const double a4w = 595.2756, a4h = 841.8898, a3 = 1190.5512;
	char buf[512], n[6][32], n2[6][32];
	int o, i, flate = 0, own;
	enum zr_pdf_page_mode mode = m->o->page_mode;

	memset(&im, 0, sizeof(im));
	if (zr_image_probe(s->mem, (size_t)s->bytes, s->path, &info, err) < 0)
		return -1;
	o = info.orientation >= 1 && info.orientation <= 8 ?
	    info.orientation : 1;
	if (s->kind == ZR_PDF_IN_JPEG && (info.components == 1 ||
	    info.components == 3) && info.bits == 8) {
		data = s->mem;
		len = (size_t)s->bytes;
	} else {
		memset(&dopt, 0, sizeof(dopt));
		dopt.max_pixels = ZRI_PDF_MAX_PIXELS;
		dopt.apply_orientation = 0;
		if (zr_image_decode(s->mem, (size_t)s->bytes, s->path, &dopt,
		    &im, &info, err) < 0)
			return -1;
		if (s->kind == ZR_PDF_IN_JPEG) {
			/* CMYK/YCCK: stored as an RGB JPEG of high quality. */
			memset(&jo, 0, sizeof(jo));
			jo.quality = 92;
			jo.optimize = 1;
			if (zr_jpeg_encode(&im, &jo, &data, &len, err) < 0) {
				zr_image_free(&im);
				return -1;
			}
		} else {
			pred = png_predict(&im, &plen);
			if (pred == NULL || zri_deflate9(pred, plen, &data, &len,
			    err) < 0) {
				free(pred);
				zr_image_free(&im);
				return zr_error_set(err, ZR_E_NOMEM, s->path,
				    NULL);
			}
			free(pred);
			flate = 1;
		}
		info.components = im.channels;
	}
	/* Shown size in pixels (orientations 5-8 swap the axes) and dpi. */
	dw = o >= 5 ? info.height : info.width;
	dh = o >= 5 ? info.width : info.height;
	xd = o >= 5 ? info.ydpi : info.xdpi;
	yd = o >= 5 ? info.xdpi : info.ydpi;
	if (mode == ZR_PDF_PAGE_AUTO) {
		/* Own size only when the recorded resolution is a scanner's
		 * and the page is no larger than A3. */
		mode = ZR_PDF_PAGE_A4;
		if (xd >= 100 && yd >= 100 && xd <= 2400 && yd <= 2400) {
			pw = dw * 72 / xd;
			ph = dh * 72 / yd;
			if (pw >= 144 && ph >= 144 && pw <= a3 * 1.02 &&
			    ph <= a3 * 1.02 && (pw <= a4w * 1.42 ||
			    ph <= a4w * 1.42))
				mode = ZR_PDF_PAGE_IMAGE;
		}
	}
	if (mode == ZR_PDF_PAGE_IMAGE) {
		pw = dw * 72 / (xd > 0 ? xd : 72);
		ph = dh * 72 / (yd > 0 ? yd : 72);
		sc = 14400 / (pw > ph ? pw : ph);  /* PDF's largest page */
		if (sc < 1) {
			pw *= sc;
			ph *= sc;
		}
		x0 = y0 = 0;
	} else {
		pw = dw > dh ? a4h : a4w;
		ph = dw > dh ? a4w : a4h;
		sc = pw / dw < ph / dh ? pw / dw : ph / dh;
		x0 = (pw - dw * sc) / 2;
		y0 = (ph - dh * sc) / 2;
		dw *= sc;
		dh *= sc;
	}
	if (mode == ZR_PDF_PAGE_IMAGE) {
		dw = pw;
		dh = ph;
	}
	own = data != s->mem;
	s->q = q = zri_pdf_new();
	if (q == NULL || (qpdf_empty_pdf(q) & QPDF_ERRORS)) {
		if (own)
			free(data);
		zr_image_free(&im);
		return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
	}
	img = qpdf_oh_new_stream(q);
	dict = qpdf_oh_get_dict(q, img);
	set_key(q, dict, "/Type", name(q, "/XObject"));
	set_key(q, dict, "/Subtype", name(q, "/Image"));
	set_key(q, dict, "/Width", qpdf_oh_new_integer(q, info.width));
	set_key(q, dict, "/Height", qpdf_oh_new_integer(q, info.height));
	set_key(q, dict, "/BitsPerComponent", qpdf_oh_new_integer(q, 8));
	cs = name(q, info.components == 1 ? "/DeviceGray" : "/DeviceRGB");
	set_key(q, dict, "/ColorSpace", cs);
	if (flate) {
		snprintf(buf, sizeof(buf), "<< /Predictor 15 /Colors %d "
		    "/BitsPerComponent 8 /Columns %d >>", info.components,
		    info.width);
		parms = qpdf_oh_parse(q, buf);
		cs = name(q, "/FlateDecode");
	} else {
		parms = qpdf_oh_new_null(q);
		cs = name(q, "/DCTDecode");
	}
	qpdf_oh_replace_stream_data(q, img, data, len, cs, parms);
	qpdf_oh_release(q, cs);
	qpdf_oh_release(q, parms);
	qpdf_oh_release(q, dict);
	if (own)
		free(data);
	zr_image_free(&im);
	/* Once in a stream the file's bytes are no longer needed. */
	free(s->mem);
	s->mem = NULL;
	xo = qpdf_make_indirect_object(q, img);
	qpdf_oh_release(q, img);
	/* Drawing: scale and place the box, then turn the image in it
	 * (the last cm applies first to image space). */
	for (i = 0; i < 6; i++)
		fmtnum(n2[i], sizeof(n2[i]), tr[o][i]);
	fmtnum(n[0], sizeof(n[0]), dw);
	fmtnum(n[1], sizeof(n[1]), dh);
	fmtnum(n[2], sizeof(n[2]), x0);
	fmtnum(n[3], sizeof(n[3]), y0);
	snprintf(buf, sizeof(buf), "q %s 0 0 %s %s %s cm %s %s %s %s %s %s cm "
	    "/Im0 Do Q\n", n[0], n[1], n[2], n[3], n2[0], n2[1], n2[2], n2[3],
	    n2[4], n2[5]);
	contents = qpdf_oh_new_stream(q);
	cs = qpdf_oh_new_null(q);
	qpdf_oh_replace_stream_data(q, contents, (unsigned char *)buf,
	    strlen(buf), cs, cs);
	qpdf_oh_release(q, cs);
	page = qpdf_oh_new_dictionary(q);
	set_key(q, page, "/Type", name(q, "/Page"));
	fmtnum(n[0], sizeof(n[0]), pw);
	fmtnum(n[1], sizeof(n[1]), ph);
	snprintf(buf, sizeof(buf), "[0 0 %s %s]", n[0], n[1]);
	box = qpdf_oh_parse(q, buf);
	set_key(q, page, "/MediaBox", box);
	res = qpdf_oh_new_dictionary(q);
	cs = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, cs, "/Im0", xo);
	set_key(q, res, "/XObject", cs);
	set_key(q, page, "/Resources", res);
	set_key(q, page, "/Contents", qpdf_make_indirect_object(q, contents));
	qpdf_oh_release(q, contents);
	qpdf_oh_release(q, xo);
	xo = qpdf_make_indirect_object(q, page);
	qpdf_oh_release(q, page);
	if (qpdf_add_page(q, q, xo, QPDF_FALSE) & QPDF_ERRORS) {
		qpdf_oh_release(q, xo);
		return zri_pdf_qerr(q, err, ZR_E_PDF_WRITE, s->path,
		    "cannot make a page");
	}
	qpdf_oh_release(q, xo);
	s->npages = 1;
	s->version = 1.3;
	zri_pdf_warnings(q, NULL, 0);
	return 0;
}

static int
open_input(struct m *m, struct src *s, const struct zr_pdf_input *in,
    struct zr_error *err)
{
	int kind;
	size_t len;

	s->path = in->path;
	make_title(s, in->title);
	if (strcmp(in->path, "-") == 0) {
		if (zr_read_file("-", 0, &s->mem, &len, err) < 0)
			return -1;
		s->bytes = (long long)len;
		if (zri_sniff_buf("-", s->mem, len, &kind, err) < 0) {
			snprintf(err->subject, sizeof(err->subject), "%s",
			    zr_display_name("-"));
			return -1;
		}
	} else if (zri_sniff(in->path, &kind, &s->bytes, err) < 0)
		return -1;
	s->kind = (enum zr_pdf_kind)kind;
	if (s->kind == ZR_PDF_IN_PDF)
		return open_pdf(m, s, err);
	if (s->mem == NULL) {
		if (zr_read_file(in->path, 0, &s->mem, &len, err) < 0)
			return -1;
		s->bytes = (long long)len;
	}
	return open_image(m, s, err);
}

/* ---- assembling the output ------------------------------------------- */

/* Drop /AA and code-running /A from an annotation or field (and the
 * field's kids).  Returns how many were removed. */
static int
strip_actions(qpdf_data q, qpdf_oh d, int depth)
{
	qpdf_oh a, kids, it;
	int n = 0, k, nk;

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
	kids = qpdf_oh_get_key(q, d, "/Kids");
	if (qpdf_oh_is_array(q, kids)) {
		nk = qpdf_oh_get_array_n_items(q, kids);
		for (k = 0; k < nk && k < 10000; k++) {
			it = qpdf_oh_get_array_item(q, kids, k);
			n += strip_actions(q, it, depth + 1);
			qpdf_oh_release(q, it);
		}
	}
	qpdf_oh_release(q, kids);
	return n;
}

/* No JavaScript and no attached files in the upload (the portal's
 * error-file rules, rules-facts §2): page actions, annotation actions,
 * file attachment annotations. */
static void
clean_page(struct m *m, qpdf_oh page, int *js, int *files)
{
	qpdf_data q = m->out;
	qpdf_oh annots, keep, it;
	int i, n;

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
merge_forms(struct m *m, qpdf_oh acro, struct src *s, int *js)
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
			set_key(q, acro, "/NeedAppearances",
			    qpdf_oh_new_bool(q, QPDF_TRUE));
		qpdf_oh_release(sq, v);
	}
	qpdf_oh_release(sq, fields);
	qpdf_oh_release(sq, sa);
	qpdf_oh_release(sq, root);
	src_warn(s);
}

static int
assemble(struct m *m, struct zr_error *err)
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
		struct src *s = &m->src[i];

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
			add_note(m->res, "%s: removed %d script or launch "
			    "action%s and %d attached file%s", zr_display_name(
			    s->path), js, js == 1 ? "" : "s", files,
			    files == 1 ? "" : "s");
		if (s->version > m->version)
			m->version = s->version;
		/* One outline entry per input, at its first page. */
		item = qpdf_oh_new_dictionary(q);
		set_key(q, item, "/Title", qpdf_oh_new_unicode_string(q,
		    s->title));
		qpdf_oh_replace_key(q, item, "/Parent", outl);
		page = qpdf_get_page_n(q, (size_t)base);
		dest = qpdf_oh_new_array(q);
		qpdf_oh_append_item(q, dest, page);
		t = name(q, "/Fit");
		qpdf_oh_append_item(q, dest, t);
		qpdf_oh_release(q, t);
		set_key(q, item, "/Dest", dest);
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
			add_note(m->res, "%s: libqpdf warning while copying: "
			    "%s", zr_display_name(s->path), w);
	}
	m->res->pages = base;
	qpdf_oh_replace_key(q, outl, "/First", first);
	qpdf_oh_replace_key(q, outl, "/Last", prev);
	set_key(q, outl, "/Count", qpdf_oh_new_integer(q,
	    (long long)m->nsrc));
	qpdf_oh_replace_key(q, root, "/Outlines", outl);
	set_key(q, root, "/PageMode", name(q, "/UseOutlines"));
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

/* Write the output into memory; *buf (if not NULL) gets a copy. */
static int
write_pdf(struct m *m, unsigned char **buf, size_t *len, struct zr_error *err)
{
	qpdf_data q = m->out;
	char ver[16], w[256];
	size_t n;

	if (buf != NULL)
		*buf = NULL;
	if (qpdf_init_write_memory(q) & QPDF_ERRORS)
		return zri_pdf_qerr(q, err, ZR_E_PDF_WRITE, NULL,
		    "cannot write PDF");
	/* Object streams make the output smaller; the /ID is a digest of
	 * the content, so the same inputs give the same bytes. */
	qpdf_set_object_stream_mode(q, qpdf_o_generate);
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	qpdf_set_preserve_encryption(q, QPDF_FALSE);
	snprintf(ver, sizeof(ver), "%.1f", m->version < 1.3 ? 1.3 :
	    m->version);
	ver[1] = '.';  /* whatever the locale's decimal point */
	qpdf_set_minimum_pdf_version(q, ver);
	if (qpdf_write(q) & QPDF_ERRORS)
		return zri_pdf_qerr(q, err, ZR_E_PDF_WRITE, NULL,
		    "cannot write PDF");
	if (zri_pdf_warnings(q, w, sizeof(w)) > 0)
		add_note(m->res, "output: libqpdf warning while writing: %s",
		    w);
	n = qpdf_get_buffer_length(q);
	*len = n;
	if (buf != NULL) {
		if ((*buf = malloc(n > 0 ? n : 1)) == NULL)
			return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		memcpy(*buf, qpdf_get_buffer(q), n);
	}
	return 0;
}

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
reflate(struct m *m, qpdf_oh s)
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
		f = name(q, "/FlateDecode");
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
static int
lossless_pass(struct m *m, struct zr_error *err)
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

/* ---- images ------------------------------------------------------------ */

static struct img *
img_for(struct m *m, qpdf_oh image)
{
	qpdf_data q = m->out;
	int id = qpdf_oh_get_object_id(q, image);
	struct img *im, *ni;
	size_t k;

	if (id <= 0)
		return NULL;
	if ((size_t)id >= m->nobjmap) {
		size_t nn = ((size_t)id + 1) * 2;
		int *nm = realloc(m->img_of_obj, nn * sizeof(*nm));

		if (nm == NULL)
			return NULL;
		memset(nm + m->nobjmap, 0, (nn - m->nobjmap) * sizeof(*nm));
		m->img_of_obj = nm;
		m->nobjmap = nn;
	}
	if ((k = (size_t)m->img_of_obj[id]) != 0)
		return &m->img[k - 1];
	if (m->nimg == m->capimg) {
		size_t nc = m->capimg ? m->capimg * 2 : 64;

		if ((ni = realloc(m->img, nc * sizeof(*ni))) == NULL)
			return NULL;
		m->img = ni;
		m->capimg = nc;
	}
	im = &m->img[m->nimg++];
	memset(im, 0, sizeof(*im));
	im->oh = qpdf_oh_new_object(q, image);
	im->obj = id;
	im->input = m->cur_input;
	im->page = m->cur_page;
	m->img_of_obj[id] = (int)m->nimg;
	return im;
}

static void
on_place(void *ctx, qpdf_data q, qpdf_oh image, double dx, double dy)
{
	struct m *m = ctx;
	struct img *im = img_for(m, image);
	double d = dx < dy ? dx : dy;

	(void)q;
	if (im == NULL || !(d > 0) || !isfinite(d))
		return;
	if (im->dpi == 0 || d < im->dpi)
		im->dpi = d;
}

/* Colour space of an image: components, and whether it may become
 * /DeviceGray; 0 when not one we re-encode. */
static int
color_comps(qpdf_data q, qpdf_oh cs, int *gray_ok)
{
	qpdf_oh a0, a1;
	long long n = 0;
	int r = 0;

	*gray_ok = 1;
	if (qpdf_oh_is_name(q, cs)) {
		const char *s = qpdf_oh_get_name(q, cs);

		if (strcmp(s, "/DeviceGray") == 0 || strcmp(s, "/G") == 0)
			return 1;
		if (strcmp(s, "/DeviceRGB") == 0 || strcmp(s, "/RGB") == 0)
			return 3;
		return 0;
	}
	if (!qpdf_oh_is_array(q, cs) || qpdf_oh_get_array_n_items(q, cs) != 2)
		return 0;
	a0 = qpdf_oh_get_array_item(q, cs, 0);
	a1 = qpdf_oh_get_array_item(q, cs, 1);
	if (qpdf_oh_is_name_and_equals(q, a0, "/ICCBased") &&
	    qpdf_oh_is_stream(q, a1)) {
		qpdf_oh d = qpdf_oh_get_dict(q, a1);

		if (zri_oh_get_int(q, d, "/N", &n) == 0 && (n == 1 || n == 3))
			r = (int)n;
		qpdf_oh_release(q, d);
	} else if (qpdf_oh_is_name_and_equals(q, a0, "/CalRGB"))
		r = 3;
	else if (qpdf_oh_is_name_and_equals(q, a0, "/CalGray"))
		r = 1;
	qpdf_oh_release(q, a0);
	qpdf_oh_release(q, a1);
	return r;
}

/* The stored samples of an image; a deflated JPEG comes out inflated
 * (a JPEG is never larger than this cap here). */
static int
img_raw(struct m *m, struct img *im, unsigned char **raw, size_t *len,
    struct zr_error *err)
{
	unsigned char *z;
	size_t zl;
	int rc;

	if (qpdf_oh_get_stream_data(m->out, im->oh, qpdf_dl_none, NULL, raw,
	    len) & QPDF_ERRORS)
		return zri_pdf_qerr(m->out, err, ZR_E_PDF, NULL,
		    "cannot read an image");
	if (im->filter != ZRI_F_FLATEDCT)
		return 0;
	rc = zri_inflate(*raw, *len, ZRI_PDF_MAX_CONTENT, &z, &zl, err);
	free(*raw);
	*raw = rc == 0 ? z : NULL;
	*len = rc == 0 ? zl : 0;
	return rc;
}

/* Read the image dictionary; decide whether it may be re-encoded. */
static int
describe(struct m *m, struct img *im, struct zr_error *err)
{
	qpdf_data q = m->out;
	qpdf_oh d, v, p;
	long long w = 0, h = 0, bpc = 0, pr = 1, x;
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	struct zr_error e;
	int parms, ok = 1, gray_ok;

	d = qpdf_oh_get_dict(q, im->oh);
	zri_oh_get_int(q, d, "/Width", &w);
	zri_oh_get_int(q, d, "/Height", &h);
	zri_oh_get_int(q, d, "/BitsPerComponent", &bpc);
	im->width = (int)(w > 0 && w < INT32_MAX ? w : 0);
	im->height = (int)(h > 0 && h < INT32_MAX ? h : 0);
	im->bpc = (int)(bpc > 0 && bpc <= 16 ? bpc : 0);
	im->filter = zri_stream_filter(q, im->oh, &parms);
	v = qpdf_oh_get_key(q, d, "/ColorSpace");
	im->comps = color_comps(q, v, &gray_ok);
	im->icc_gray_ok = gray_ok;
	qpdf_oh_release(q, v);
	/* Bilevel scans, masks, JPEG 2000, colour-keyed or re-mapped
	 * samples stay as they are. */
	v = qpdf_oh_get_key(q, d, "/ImageMask");
	if (qpdf_oh_is_bool(q, v) && qpdf_oh_get_bool_value(q, v))
		ok = 0;
	qpdf_oh_release(q, v);
	v = qpdf_oh_get_key(q, d, "/Mask");
	if (qpdf_oh_is_array(q, v))
		ok = 0;
	qpdf_oh_release(q, v);
	if (qpdf_oh_has_key(q, d, "/Decode"))
		ok = 0;
	if (im->bpc != 8 || im->comps == 0 || im->width == 0 ||
	    im->height == 0)
		ok = 0;
	if ((long long)im->width * im->height > ZRI_PDF_MAX_PIXELS)
		ok = 0;
	if (im->filter != ZRI_F_NONE && im->filter != ZRI_F_FLATE &&
	    im->filter != ZRI_F_DCT && im->filter != ZRI_F_FLATEDCT)
		ok = 0;
	if (parms && im->filter == ZRI_F_FLATE) {
		/* PNG or TIFF predictors matching the samples only. */
		p = qpdf_oh_get_key(q, d, "/DecodeParms");
		if (qpdf_oh_is_array(q, p)) {
			v = qpdf_oh_get_array_item(q, p, 0);
			qpdf_oh_release(q, p);
			p = v;
		}
		if (zri_oh_get_int(q, p, "/Predictor", &pr) < 0)
			pr = 1;
		if (zri_oh_get_int(q, p, "/Colors", &x) == 0 && x != im->comps)
			ok = 0;
		if (zri_oh_get_int(q, p, "/BitsPerComponent", &x) == 0 &&
		    x != 8)
			ok = 0;
		if (zri_oh_get_int(q, p, "/Columns", &x) == 0 &&
		    x != im->width)
			ok = 0;
		if (pr != 1 && pr != 2 && (pr < 10 || pr > 15))
			ok = 0;
		qpdf_oh_release(q, p);
	} else if (parms)
		ok = 0;
	im->predictor = (int)pr;
	qpdf_oh_release(q, d);
	if (qpdf_oh_get_stream_data(q, im->oh, qpdf_dl_none, NULL, &raw,
	    &rawlen) & QPDF_ERRORS)
		return zri_pdf_qerr(q, err, ZR_E_PDF,
		    m->src[im->input].path, "cannot read an image");
	im->raw = (long long)rawlen;
	if (im->filter == ZRI_F_FLATEDCT) {
		free(raw);
		if (img_raw(m, im, &raw, &rawlen, &e) < 0)
			return zr_error_set(err, ZR_E_PDF,
			    m->src[im->input].path, "page %d: damaged JPEG "
			    "image: %s", im->page, e.msg);
	}
	/*
	 * A JPEG that libjpeg complains about would fail (or litter) the
	 * check of the output: validate_one() decodes it at 1/8 scale,
	 * where warnings are errors, and the input is refused with the
	 * reason.  The pixel cap bounds the work a decompression bomb
	 * could ask for.
	 */
	if (im->filter == ZRI_F_DCT || im->filter == ZRI_F_FLATEDCT) {
		if ((long long)im->width * im->height > ZRI_PDF_MAX_PIXELS) {
			free(raw);
			return zr_error_set(err, ZR_E_PIXELS,
			    m->src[im->input].path, "page %d: JPEG image of "
			    "%dx%d pixels is above the cap of %lld",
			    im->page, im->width, im->height,
			    (long long)ZRI_PDF_MAX_PIXELS);
		}
		im->vcheck = 1;
	}
	free(raw);
	im->eligible = ok;
	return 0;
}

/* The passes over images that decode them (see run_pass()). */
enum pass { PASS_VALIDATE, PASS_ESTIMATE, PASS_ENCODE };

static int run_pass(struct m *m, enum pass pass, int level,
    struct zr_error *err);

static int
inventory(struct m *m, struct zr_error *err)
{
	qpdf_data q = m->out;
	qpdf_oh page, res, xo, x, d;
	struct img *im;
	size_t i, k;
	int p = 0, pi, scanned;
	double pw, ph, dd;
	const char *key;
	char **keys;
	size_t nk;

	for (i = 0; i < m->nsrc; i++) {
		m->cur_input = (int)i;
		for (pi = 0; pi < m->src[i].npages; pi++, p++) {
			m->cur_page = pi + 1;
			page = qpdf_get_page_n(q, (size_t)p);
			scanned = zri_pdf_scan_page(q, page, on_place, m,
			    NULL) == 0;
			/* Images the content did not reveal: assume they fill
			 * the page (the lowest plausible resolution). */
			zri_page_size(q, page, &pw, &ph);
			res = qpdf_oh_get_key(q, page, "/Resources");
			xo = qpdf_oh_get_key_if_dict(q, res, "/XObject");
			keys = NULL;
			nk = 0;
			if (qpdf_oh_is_dictionary(q, xo)) {
				qpdf_oh_begin_dict_key_iter(q, xo);
				while (qpdf_oh_dict_more_keys(q)) {
					char **nkk = realloc(keys, (nk + 1) *
					    sizeof(*keys));

					key = qpdf_oh_dict_next_key(q);
					if (nkk == NULL)
						break;
					keys = nkk;
					keys[nk++] = strdup(key);
				}
			}
			for (k = 0; k < nk; k++) {
				if (keys[k] == NULL)
					continue;
				x = qpdf_oh_get_key(q, xo, keys[k]);
				free(keys[k]);
				d = qpdf_oh_is_stream(q, x) ?
				    qpdf_oh_get_dict(q, x) : 0;
				if (d != 0 && zri_oh_is_name(q, d, "/Subtype",
				    "/Image") && qpdf_oh_is_indirect(q, x)) {
					int known = qpdf_oh_get_object_id(q, x)
					    < (int)m->nobjmap &&
					    m->img_of_obj[qpdf_oh_get_object_id(
					    q, x)] != 0;
					long long w = 0, h = 0;

					if (!known || !scanned) {
						im = img_for(m, x);
						zri_oh_get_int(q, d, "/Width",
						    &w);
						zri_oh_get_int(q, d, "/Height",
						    &h);
						dd = (double)w * 72 / pw <
						    (double)h * 72 / ph ?
						    (double)w * 72 / pw :
						    (double)h * 72 / ph;
						if (im != NULL && dd > 0 &&
						    (im->dpi == 0 ||
						    dd < im->dpi))
							im->dpi = dd;
					}
				}
				if (d != 0)
					qpdf_oh_release(q, d);
				qpdf_oh_release(q, x);
			}
			free(keys);
			qpdf_oh_release(q, xo);
			qpdf_oh_release(q, res);
			qpdf_oh_release(q, page);
		}
	}
	if (m->nimg > 0 && m->img == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	for (i = 0; i < m->nimg; i++)
		if (describe(m, &m->img[i], err) < 0)
			return -1;
	if (run_pass(m, PASS_VALIDATE, 0, err) < 0)
		return -1;
	for (i = 0; i < m->nimg; i++)
		if (m->img[i].vfail)
			return zr_error_set(err, ZR_E_PDF,
			    m->src[m->img[i].input].path, "page %d: damaged "
			    "JPEG image: %s", m->img[i].page, m->img[i].vmsg);
	zri_pdf_warnings(q, NULL, 0);
	return 0;
}

/* ---- the budget search ------------------------------------------------- */

/* Levels from best to worst: each dpi step at qualities 90..75, then at
 * the floor dpi down to the floor quality (legibility first: resolution
 * matters more than JPEG quality for text). */
static void
make_levels(struct m *m)
{
	static const int dpis[] = { 300, 250, 200, 150 };
	static const int qs[] = { 90, 85, 80, 75, 70, 65, 60, 55, 50, 45, 40 };
	int fd = m->o->floor_dpi > 0 ? m->o->floor_dpi : 150;
	int fq = m->o->floor_quality > 0 ? m->o->floor_quality : 60;
	int d[8], nd = 0, i, j;

	for (i = 0; i < 4; i++)
		if (dpis[i] > fd)
			d[nd++] = dpis[i];
	d[nd++] = fd;
	m->nlv = 0;
	for (i = 0; i < nd; i++)
		for (j = 0; j < 11 && m->nlv < 31; j++) {
			if (qs[j] < fq || (i < nd - 1 && qs[j] < 75))
				break;
			m->lv[m->nlv].dpi = d[i];
			m->lv[m->nlv].q = qs[j];
			m->nlv++;
		}
	/* The floor quality itself when it is not on the list. */
	if (m->nlv < 32 && m->lv[m->nlv - 1].q != fq &&
	    m->lv[m->nlv - 1].q > fq) {
		m->lv[m->nlv].dpi = fd;
		m->lv[m->nlv].q = fq;
		m->nlv++;
	}
}

/* Target size of an image at dpi: downsampled only when above it. */
static void
target(const struct img *im, int dpi, int *w, int *h)
{
	double s;

	*w = im->width;
	*h = im->height;
	if (im->dpi <= 0 || im->dpi <= dpi * 1.05)
		return;
	s = dpi / im->dpi;
	*w = (int)(im->width * s + 0.5);
	*h = (int)(im->height * s + 0.5);
	if (*w < 1)
		*w = 1;
	if (*h < 1)
		*h = 1;
}

/* Decode the stored samples of an image (fetched beforehand: libqpdf is
 * used by the main thread only); gray: the luma alone of a colour JPEG. */
static int
decode_img(const struct img *im, const unsigned char *raw, size_t rawlen,
    int mw, int mh, int gray, struct zr_image *out, struct zr_error *err)
{
	struct zr_pdf_imgfmt f;

	memset(&f, 0, sizeof(f));
	f.width = im->width;
	f.height = im->height;
	f.components = im->comps;
	f.bpc = 8;
	f.filter = im->filter == ZRI_F_DCT || im->filter == ZRI_F_FLATEDCT ?
	    ZR_PDF_DCT : im->filter ==
	    ZRI_F_FLATE ? ZR_PDF_FLATE : ZR_PDF_RAW;
	f.predictor = im->predictor;
	f.gray = gray && f.filter == ZR_PDF_DCT;
	return zr_pdf_image_decode(&f, raw, rawlen, mw, mh, out, err);
}

/* Bytes an image takes at a level, given its estimate or real size:
 * a JPEG that is not downsampled is re-encoded only for a real gain. */
static long long
choose(const struct img *im, int dpi, long long newlen)
{
	int w, h;

	target(im, dpi, &w, &h);
	if (w == im->width && h == im->height && (im->filter == ZRI_F_DCT ||
	    im->filter == ZRI_F_FLATEDCT))
		return newlen * 10 < im->raw * 9 ? newlen : im->raw;
	return newlen < im->raw ? newlen : im->raw;
}

/*
 * The passes over the images: validate (each JPEG of the inventory
 * decoded at 1/8 scale), estimate (one decode per image: gray or
 * colour, and the bytes at every level) and encode (one decode and one
 * JPEG per image at the chosen level).  Each image's result depends
 * on that image alone and goes into its own struct img, so the two
 * worker threads give the same bytes whatever the order they run in.
 * At most two images are decoded at once and two more wait as stored
 * bytes: memory stays bounded however many pages there are.
 */
#define NWORKERS 2
#define QDEPTH 2

struct job {
	struct img *im;
	unsigned char *raw;
	size_t rawlen;
};

struct pool {
	const struct m *m;
	enum pass pass;
	int level;
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct job q[QDEPTH];
	size_t head, count;
	int closed, nomem;
};

/* The estimate of one image.  -1 only when out of memory; an image that
 * cannot be decoded or measured is kept as it is. */
static int
estimate_one(const struct m *m, struct img *im, const unsigned char *raw,
    size_t rawlen)
{
	struct zr_image dec;
	int qs[32], l, l0, nq, w, h;
	long long b[32];
	struct zr_error e;

	im->est = calloc((size_t)m->nlv, sizeof(*im->est));
	if (im->est == NULL)
		return -1;
	/* At the largest size any level needs; then bands at every dpi
	 * step. */
	target(im, m->lv[0].dpi, &w, &h);
	if (decode_img(im, raw, rawlen, w, h, 0, &dec, &e) < 0) {
		im->eligible = 0;
		return e.code == ZR_E_NOMEM ? -1 : 0;
	}
	im->gray = im->icc_gray_ok && zr_pdf_image_near_gray(&dec);
	for (l0 = 0; l0 < m->nlv; l0 = l) {
		nq = 0;
		for (l = l0; l < m->nlv && m->lv[l].dpi == m->lv[l0].dpi; l++)
			qs[nq++] = m->lv[l].q;
		target(im, m->lv[l0].dpi, &w, &h);
		if (zr_pdf_image_estimate(&dec, w, h, im->gray, qs, nq, b,
		    &e) < 0) {
			zr_image_free(&dec);
			im->eligible = 0;
			return e.code == ZR_E_NOMEM ? -1 : 0;
		}
		for (l = l0; l < l0 + nq; l++)
			im->est[l] = choose(im, m->lv[l].dpi, b[l - l0]);
	}
	zr_image_free(&dec);
	return 0;
}

/* The JPEG of one image at level l, in im->data when it is worth
 * replacing the stored one. */
static int
encode_one(const struct m *m, int l, struct img *im, const unsigned char *raw,
    size_t rawlen)
{
	struct zr_image dec;
	unsigned char *jpg;
	size_t len;
	int w, h;
	struct zr_error e;

	target(im, m->lv[l].dpi, &w, &h);
	if (decode_img(im, raw, rawlen, w, h, im->gray, &dec, &e) < 0)
		return e.code == ZR_E_NOMEM ? -1 : 0;
	if (zr_pdf_image_recode(&dec, w, h, im->gray, m->lv[l].q, &jpg, &len,
	    &e) < 0) {
		zr_image_free(&dec);
		return e.code == ZR_E_NOMEM ? -1 : 0;
	}
	zr_image_free(&dec);
	if (choose(im, m->lv[l].dpi, (long long)len) == (long long)len &&
	    (long long)len != im->raw) {
		im->data = jpg;
		im->len = len;
		im->nw = w;
		im->nh = h;
	} else
		free(jpg);
	return 0;
}

/* Decode a JPEG of the inventory at 1/8 scale (warnings are errors):
 * one that fails refuses its input; one that is not what its dictionary
 * says, or that libjpeg does not support, is kept as it is. */
static void
validate_one(struct img *im, const unsigned char *raw, size_t rawlen)
{
	struct zr_decode_opts dopt;
	struct zr_image_info info;
	struct zr_image tmp;
	struct zr_error e;

	memset(&dopt, 0, sizeof(dopt));
	dopt.max_pixels = ZRI_PDF_MAX_PIXELS;
	dopt.min_width = dopt.min_height = 1;
	if (zr_image_decode(raw, rawlen, "image", &dopt, &tmp, &info,
	    &e) < 0) {
		if (e.code != ZR_E_UNSUPPORTED) {
			im->vfail = 1;
			snprintf(im->vmsg, sizeof(im->vmsg), "%s", e.msg);
		}
		im->eligible = 0;
		return;
	}
	zr_image_free(&tmp);
	if (info.components != im->comps || info.width != im->width ||
	    info.height != im->height)
		im->eligible = 0;
}

static int
run_job(struct pool *p, struct job *j)
{
	int rc = 0;

	if (p->pass == PASS_VALIDATE)
		validate_one(j->im, j->raw, j->rawlen);
	else if (p->pass == PASS_ESTIMATE)
		rc = estimate_one(p->m, j->im, j->raw, j->rawlen);
	else
		rc = encode_one(p->m, p->level, j->im, j->raw, j->rawlen);
	free(j->raw);
	j->raw = NULL;
	return rc;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct job j;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->count == 0 && !p->closed)
			pthread_cond_wait(&p->more, &p->mu);
		if (p->count == 0) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		j = p->q[p->head];
		p->head = (p->head + 1) % QDEPTH;
		p->count--;
		pthread_cond_signal(&p->room);
		pthread_mutex_unlock(&p->mu);
		if (run_job(p, &j) < 0) {
			pthread_mutex_lock(&p->mu);
			p->nomem = 1;
			pthread_mutex_unlock(&p->mu);
		}
	}
}

/* Run a pass over every eligible image, in worker threads when there
 * is more than one image (inline if threads cannot be had). */
static int
run_pass(struct m *m, enum pass pass, int level, struct zr_error *err)
{
	struct pool p;
	pthread_t th[NWORKERS];
	struct job j;
	struct zr_error e;
	size_t i, nel = 0;
	int nth = 0, k, rc = 0;

	memset(&p, 0, sizeof(p));
	p.m = m;
	p.pass = pass;
	p.level = level;
	for (i = 0; i < m->nimg; i++)
		nel += (pass == PASS_VALIDATE ? m->img[i].vcheck :
		    m->img[i].eligible) != 0;
	if (nel > 1 && pthread_mutex_init(&p.mu, NULL) == 0) {
		if (pthread_cond_init(&p.more, NULL) == 0) {
			if (pthread_cond_init(&p.room, NULL) == 0) {
				for (k = 0; k < NWORKERS; k++)
					if (pthread_create(&th[nth], NULL,
					    worker, &p) == 0)
						nth++;
				if (nth == 0)
					pthread_cond_destroy(&p.room);
			}
			if (nth == 0)
				pthread_cond_destroy(&p.more);
		}
		if (nth == 0)
			pthread_mutex_destroy(&p.mu);
	}
	for (i = 0; i < m->nimg && rc == 0; i++) {
		if (!(pass == PASS_VALIDATE ? m->img[i].vcheck :
		    m->img[i].eligible))
			continue;
		j.im = &m->img[i];
		if (img_raw(m, j.im, &j.raw, &j.rawlen, &e) < 0) {
			/* Read before, so not expected: keep it as it is
			 * (or refuse it when validating). */
			zri_pdf_clear_error(m->out);
			j.im->eligible = 0;
			if (pass == PASS_VALIDATE) {
				j.im->vfail = 1;
				snprintf(j.im->vmsg, sizeof(j.im->vmsg), "%s",
				    e.msg);
			}
			continue;
		}
		if (nth == 0) {
			if (run_job(&p, &j) < 0)
				p.nomem = 1;
			if (p.nomem)
				rc = -1;
			continue;
		}
		pthread_mutex_lock(&p.mu);
		while (p.count == QDEPTH)
			pthread_cond_wait(&p.room, &p.mu);
		p.q[(p.head + p.count) % QDEPTH] = j;
		p.count++;
		pthread_cond_signal(&p.more);
		if (p.nomem)
			rc = -1;
		pthread_mutex_unlock(&p.mu);
	}
	if (nth > 0) {
		pthread_mutex_lock(&p.mu);
		p.closed = 1;
		pthread_cond_broadcast(&p.more);
		pthread_mutex_unlock(&p.mu);
		for (k = 0; k < nth; k++)
			pthread_join(th[k], NULL);
		pthread_cond_destroy(&p.room);
		pthread_cond_destroy(&p.more);
		pthread_mutex_destroy(&p.mu);
	}
	if (rc < 0 || p.nomem)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	return 0;
}

static int
estimate_all(struct m *m, struct zr_error *err)
{
	return run_pass(m, PASS_ESTIMATE, 0, err);
}

static void
free_final(struct m *m)
{
	size_t i;

	for (i = 0; i < m->nimg; i++) {
		free(m->img[i].data);
		m->img[i].data = NULL;
		m->img[i].len = 0;
	}
}

/* Re-encode every eligible image at level l; returns the exact change
 * in bytes (negative: saved) plus a bound on dictionary growth. */
static int
encode_level(struct m *m, int l, long long *delta, struct zr_error *err)
{
	size_t i;

	*delta = 0;
	free_final(m);
	if (run_pass(m, PASS_ENCODE, l, err) < 0)
		return -1;
	for (i = 0; i < m->nimg; i++)
		/* /Filter, /ColorSpace, /Width, /Height, /Length may each
		 * grow by a few bytes. */
		if (m->img[i].data != NULL)
			*delta += (long long)m->img[i].len - m->img[i].raw + 96;
	return 0;
}

static void
replace_images(struct m *m)
{
	qpdf_data q = m->out;
	qpdf_oh f, p, d;
	size_t i;

	for (i = 0; i < m->nimg; i++) {
		struct img *im = &m->img[i];

		if (im->data == NULL)
			continue;
		f = name(q, "/DCTDecode");
		p = qpdf_oh_new_null(q);
		qpdf_oh_replace_stream_data(q, im->oh, im->data, im->len, f, p);
		qpdf_oh_release(q, f);
		qpdf_oh_release(q, p);
		d = qpdf_oh_get_dict(q, im->oh);
		set_key(q, d, "/Width", qpdf_oh_new_integer(q, im->nw));
		set_key(q, d, "/Height", qpdf_oh_new_integer(q, im->nh));
		set_key(q, d, "/BitsPerComponent", qpdf_oh_new_integer(q, 8));
		if (im->gray && im->comps == 3)
			set_key(q, d, "/ColorSpace", name(q, "/DeviceGray"));
		qpdf_oh_release(q, d);
		free(im->data);
		im->data = NULL;
		im->raw = (long long)im->len;
		im->filter = ZRI_F_DCT;
		im->dpi = im->dpi * im->nw / im->width;
		im->width = im->nw;
		im->height = im->nh;
		m->res->inputs[im->input].images_recoded++;
		if (im->gray && im->comps == 3)
			m->res->inputs[im->input].images_gray++;
	}
}

static int
cmp_ll_desc(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	return x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : (x[1] > y[1]) -
	    (x[1] < y[1]);
}

/* A size for a message: "9.8 MB", or "420 kB" / "900 bytes" when small. */
static char *
mb(char *b, size_t n, long long v)
{
	if (v >= 1000000)
		snprintf(b, n, "%lld.%01lld MB", v / 1000000,
		    (v % 1000000) / 100000);
	else if (v >= 10000)
		snprintf(b, n, "%lld kB", (v + 500) / 1000);
	else
		snprintf(b, n, "%lld bytes", v);
	return b;
}

/* Even the floor does not fit: name the inputs that weigh the most. */
static int
no_fit(struct m *m, long long need, struct zr_error *err)
{
	long long (*w)[2];
	size_t i;
	char list[200], b1[32], b2[32], one[96];
	int fl = m->nlv - 1;

	w = calloc(m->nsrc, sizeof(*w));
	if (w == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	for (i = 0; i < m->nsrc; i++) {
		w[i][0] = m->src[i].bytes;
		w[i][1] = (long long)i;
	}
	for (i = 0; i < m->nimg; i++) {
		struct img *im = &m->img[i];
		long long *x = w[im->input];

		/* Its images at the floor instead of as stored. */
		x[0] -= im->raw;
		x[0] += im->eligible && im->est != NULL ? im->est[fl] : im->raw;
	}
	qsort(w, m->nsrc, sizeof(*w), cmp_ll_desc);
	list[0] = '\0';
	for (i = 0; i < m->nsrc && i < 3; i++) {
		snprintf(one, sizeof(one), "%s%s (%s)", i ? ", " : "",
		    zr_display_name(m->src[w[i][1]].path),
		    mb(b1, sizeof(b1), w[i][0] > 0 ? w[i][0] : 0));
		if (strlen(list) + strlen(one) < sizeof(list))
			strcat(list, one);
	}
	free(w);
	return zr_error_set(err, ZR_E_NO_FIT, NULL, "cannot fit %s even at "
	    "%d dpi, quality %d (about %s); largest inputs: %s",
	    mb(b2, sizeof(b2), m->res->budget), m->lv[fl].dpi, m->lv[fl].q,
	    mb(b1, sizeof(b1), need), list);
}

static int
fit(struct m *m, long long size, struct zr_error *err)
{
	long long budget = m->res->budget, fixed, tot, delta;
	size_t i;
	int l, nel = 0;

	make_levels(m);
	if (estimate_all(m, err) < 0)
		return -1;
	fixed = size;
	for (i = 0; i < m->nimg; i++)
		if (m->img[i].eligible) {
			fixed -= m->img[i].raw;
			nel++;
		}
	/* The first level whose estimate fits (3 % for estimate error). */
	for (l = 0; l < m->nlv; l++) {
		tot = fixed;
		for (i = 0; i < m->nimg; i++)
			if (m->img[i].eligible)
				tot += m->img[i].est[l] +
				    (m->img[i].est[l] != m->img[i].raw ?
				    m->img[i].est[l] / 33 + 96 : 0);
		if (tot <= budget)
			break;
	}
	if (nel == 0 || l == m->nlv) {
		tot = fixed;
		for (i = 0; i < m->nimg; i++)
			if (m->img[i].eligible)
				tot += m->img[i].est[m->nlv - 1];
		/* Too close to call: the real encodes decide below. */
		if (nel == 0 || tot > budget)
			return no_fit(m, tot > size ? size : tot, err);
		l = m->nlv - 1;
	}
	/* Real encodes; step down while the exact sum is over. */
	for (; l < m->nlv; l++) {
		if (encode_level(m, l, &delta, err) < 0)
			return -1;
		if (size + delta + 1024 <= budget)
			break;
	}
	if (l == m->nlv) {
		free_final(m);
		return no_fit(m, size + delta, err);
	}
	m->res->level_dpi = m->lv[l].dpi;
	m->res->level_quality = m->lv[l].q;
	replace_images(m);
	return 0;
}

/* ---- the whole merge ---------------------------------------------------- */

struct logbuf {
	char text[512];
	size_t len;
};

static int
log_keep(char const *data, size_t len, void *udata)
{
	struct logbuf *b = udata;
	size_t n = sizeof(b->text) - 1 - b->len;

	if (len < n)
		n = len;
	memcpy(b->text + b->len, data, n);
	b->len += n;
	b->text[b->len] = '\0';
	return 0;
}

/* The input a page number of the output (as in "page 101: ...")
 * belongs to, for the message. */
static const char *
page_owner(struct m *m, const char *msg)
{
	const char *p = strstr(msg, "page ");
	long pg;
	size_t i;

	if (p == NULL || (pg = strtol(p + 5, NULL, 10)) <= 0)
		return NULL;
	for (i = 0; i < m->nsrc; i++)
		if (pg >= m->res->inputs[i].first_page && pg <
		    m->res->inputs[i].first_page + m->res->inputs[i].pages)
			return zr_display_name(m->src[i].path);
	return NULL;
}

/*
 * "qpdf --check" decodes every JPEG and deflates the pixels it gets,
 * which costs more than the whole merge.  Our own decoder has already
 * read every JPEG of the inventory with warnings as errors (a stricter
 * test than libqpdf's), so for the structural check they are swapped for
 * a 1x1 JPEG in a second rendering of the same document.
 */
static int
placeholder_images(struct m *m, struct zr_error *err)
{
	static const unsigned char gray = 128;
	struct zr_image one = { 1, 1, 1, (unsigned char *)(size_t)&gray };
	struct zr_jpeg_opts jo;
	unsigned char *jpg;
	size_t len, i;
	qpdf_data q = m->out;
	qpdf_oh f, p, d;

	memset(&jo, 0, sizeof(jo));
	jo.quality = 50;
	if (zr_jpeg_encode(&one, &jo, &jpg, &len, err) < 0)
		return -1;
	for (i = 0; i < m->nimg; i++) {
		struct img *im = &m->img[i];

		if (im->filter != ZRI_F_DCT && im->filter != ZRI_F_FLATEDCT)
			continue;
		f = name(q, "/DCTDecode");
		p = qpdf_oh_new_null(q);
		qpdf_oh_replace_stream_data(q, im->oh, jpg, len, f, p);
		qpdf_oh_release(q, f);
		qpdf_oh_release(q, p);
		d = qpdf_oh_get_dict(q, im->oh);
		set_key(q, d, "/Width", qpdf_oh_new_integer(q, 1));
		set_key(q, d, "/Height", qpdf_oh_new_integer(q, 1));
		set_key(q, d, "/ColorSpace", name(q, "/DeviceGray"));
		qpdf_oh_release(q, d);
	}
	free(jpg);
	return 0;
}

/*
 * The promise is that the output passes "qpdf --check": run exactly
 * that, through libqpdf's job API, on the bytes about to be written
 * (an unlinked temporary file), with its messages kept, not printed.
 */
static int
self_check(struct m *m, const unsigned char *pdf, size_t pdflen,
    struct zr_error *err)
{
	FILE *t = tmpfile();
	qpdfjob_handle j;
	qpdflogger_handle l;
	struct logbuf lb;
	char path[64], *nl, *msg;
	const char *argv[4], *owner;
	int rc;

	if (t == NULL)
		return zr_error_sys(err, ZR_E_IO, errno, NULL,
		    "cannot make a temporary file");
	if (fwrite(pdf, 1, pdflen, t) != pdflen ||
	    fflush(t) != 0) {
		fclose(t);
		return zr_error_sys(err, ZR_E_IO, errno, NULL,
		    "cannot write a temporary file");
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(t));
	memset(&lb, 0, sizeof(lb));
	j = qpdfjob_init();
	l = qpdflogger_create();
	qpdflogger_set_info(l, qpdf_log_dest_discard, NULL, NULL);
	qpdflogger_set_warn(l, qpdf_log_dest_custom, log_keep, &lb);
	qpdflogger_set_error(l, qpdf_log_dest_custom, log_keep, &lb);
	qpdfjob_set_logger(j, l);
	argv[0] = "qpdf";
	argv[1] = "--check";
	argv[2] = path;
	argv[3] = NULL;
	rc = qpdfjob_initialize_from_argv(j, argv);
	if (rc == 0)
		rc = qpdfjob_run(j);
	qpdfjob_cleanup(&j);
	qpdflogger_cleanup(&l);
	fclose(t);
	if (rc == 0)
		return 0;
	/* The first line that says what is wrong. */
	msg = lb.text;
	while ((nl = strchr(msg, '\n')) != NULL && strncmp(msg, "WARNING",
	    7) != 0 && strncmp(msg, "ERROR", 5) != 0)
		msg = nl + 1;
	if ((nl = strchr(msg, '\n')) != NULL)
		*nl = '\0';
	if (strncmp(msg, "WARNING: ", 9) == 0)
		msg += 9;
	else if (strncmp(msg, "ERROR: ", 7) == 0)
		msg += 7;
	if (strncmp(msg, path, strlen(path)) == 0)
		msg += strlen(path) + (msg[strlen(path)] == ' ');
	owner = page_owner(m, msg);
	if (owner == NULL && m->nsrc == 1)
		owner = zr_display_name(m->src[0].path);
	return zr_error_set(err, ZR_E_PDF, owner, "damaged beyond what can be "
	    "copied; the merged PDF fails \"qpdf --check\": %s",
	    *msg != '\0' ? msg : "no message");
}

static void
set_info(struct m *m)
{
	char d[40];
	struct tm tm;
	time_t t;

	qpdf_set_info_key(m->out, "/Producer", "zairyu-tools " ZR_VERSION
	    " (libqpdf)");
	/* No clock unless SOURCE_DATE_EPOCH (reproducible builds). */
	if (m->o->source_date_epoch >= 0) {
		t = (time_t)m->o->source_date_epoch;
		if (gmtime_r(&t, &tm) != NULL) {
			snprintf(d, sizeof(d), "D:%04d%02d%02d%02d%02d%02dZ",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
			qpdf_set_info_key(m->out, "/CreationDate", d);
			qpdf_set_info_key(m->out, "/ModDate", d);
		}
	}
}

static void
report_images(struct m *m)
{
	size_t i;

	for (i = 0; i < m->nimg; i++) {
		struct img *im = &m->img[i];
		struct zr_pdf_input_report *r = &m->res->inputs[im->input];
		int d = (int)(im->dpi + 0.5);

		r->images++;
		r->image_bytes_out += im->raw;
		if (d > 0 && (r->min_dpi == 0 || d < r->min_dpi))
			r->min_dpi = d;
	}
}

int
zr_pdf_merge(const struct zr_pdf_input *in, size_t n,
    const struct zr_pdf_opts *o, struct zr_pdf_result *res,
    struct zr_error *err)
{
	struct m m;
	size_t i, len;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&m, 0, sizeof(m));
	m.o = o;
	m.res = res;
	m.version = 1.3;
	if (n == 0)
		return zr_error_set(err, ZR_E_USAGE, NULL, "no input files");
	res->budget = o->max_bytes;
	res->inputs = calloc(n, sizeof(*res->inputs));
	m.src = calloc(n, sizeof(*m.src));
	if (res->inputs == NULL || m.src == NULL) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		goto out;
	}
	res->ninputs = n;
	m.nsrc = n;
	for (i = 0; i < n; i++)
		if (open_input(&m, &m.src[i], &in[i], err) < 0)
			goto out;
	if ((m.out = zri_pdf_new()) == NULL) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		goto out;
	}
	if (assemble(&m, err) < 0 || inventory(&m, err) < 0)
		goto out;
	for (i = 0; i < m.nimg; i++)
		res->inputs[m.img[i].input].image_bytes_in += m.img[i].raw;
	set_info(&m);
	if (write_pdf(&m, NULL, &len, err) < 0)
		goto out;
	if (o->max_bytes > 0 && (long long)len > o->max_bytes) {
		/* Lossless first: every Flate stream at level 9. */
		if (lossless_pass(&m, err) < 0 || write_pdf(&m, NULL, &len,
		    err) < 0)
			goto out;
		if ((long long)len > o->max_bytes && fit(&m, (long long)len,
		    err) < 0) {
			report_images(&m);
			goto out;
		}
	}
	report_images(&m);
	if (write_pdf(&m, &res->pdf, &res->pdf_len, err) < 0)
		goto out;
	res->bytes_out = (long long)res->pdf_len;
	if (o->max_bytes > 0 && res->bytes_out > o->max_bytes) {
		zr_error_set(err, ZR_E_NO_FIT, NULL, "the output is %lld bytes, "
		    "over the budget of %lld", res->bytes_out, o->max_bytes);
		goto out;
	}
	/* Damage libqpdf found while reading (some only shows when the
	 * objects are copied or written). */
	for (i = 0; i < n; i++) {
		if (m.src[i].kind != ZR_PDF_IN_PDF)
			continue;
		src_warn(&m.src[i]);
		if (m.src[i].nwarn > 0)
			add_note(res, "%s: damaged; recovered by libqpdf (%d "
			    "warning%s, first: %s)", zr_display_name(
			    m.src[i].path), m.src[i].nwarn, m.src[i].nwarn ==
			    1 ? "" : "s", m.src[i].warn);
	}
	if (o->self_check) {
		unsigned char *chk;
		size_t chklen;

		if (placeholder_images(&m, err) < 0 || write_pdf(&m, &chk, &chklen,
		    err) < 0)
			goto out;
		if (self_check(&m, chk, chklen, err) < 0) {
			free(chk);
			goto out;
		}
		free(chk);
	}
	rc = 0;
out:
	if (rc < 0) {
		free(res->pdf);
		res->pdf = NULL;
		res->pdf_len = 0;
	}
	for (i = 0; i < m.nimg; i++) {
		free(m.img[i].est);
		free(m.img[i].data);
	}
	free(m.img);
	free(m.img_of_obj);
	if (m.out != NULL)
		qpdf_cleanup(&m.out);
	for (i = 0; i < m.nsrc; i++) {
		if (m.src[i].q != NULL)
			qpdf_cleanup(&m.src[i].q);
		free(m.src[i].mem);
	}
	free(m.src);
	return rc;
}

void
zr_pdf_result_free(struct zr_pdf_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nnotes; i++)
		free(res->notes[i]);
	free(res->notes);
	free(res->inputs);
	free(res->pdf);
	memset(res, 0, sizeof(*res));
}
