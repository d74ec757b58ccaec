/* libzairyu: a merge's inputs: PDFs read by libqpdf, scans as one-page PDFs. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

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
make_title(struct zri_src *s, const char *title)
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

static void ext_ident(struct zri_src *s, const struct stat *sb);
static int read_head(const struct zri_merge *m, struct zri_src *s);

/* ---- opening inputs --------------------------------------------------- */

/* Keep count of what libqpdf says about an input as it reads it. */
void
zri_src_warn(struct zri_src *s)
{
	char first[256];
	int nw = zri_pdf_warnings(s->q, first, sizeof(first));

	if (nw > 0 && s->nwarn == 0)
		snprintf(s->warn, sizeof(s->warn), "%s", first);
	s->nwarn += nw;
}

static int
open_pdf(struct zri_merge *m, struct zri_src *s, struct zr_error *err)
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
				zri_pdf_free(&s->q);
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
	/* An empty document is not a damaged one: say which it is (libqpdf
	 * warns when its page tree is missing or broken). */
	if (s->npages <= 0) {
		zri_src_warn(s);
		return s->nwarn > 0 ? zr_error_set(err, ZR_E_PDF, s->path,
		    "no pages: damaged PDF (libqpdf: %s)", s->warn) :
		    zr_error_set(err, ZR_E_PDF, s->path, "the PDF has no "
		    "pages");
	}
	/* Inherited /Resources, /MediaBox, /Rotate go onto each page before
	 * the pages are copied on their own. */
	if (qpdf_push_inherited_attributes_to_page(s->q) & QPDF_ERRORS)
		return zri_pdf_qerr(s->q, err, ZR_E_PDF, s->path,
		    "cannot read the page tree");
	zri_src_warn(s);
	if (qpdf_is_encrypted(s->q)) {
		restricted = !qpdf_allow_print_high_res(s->q) ||
		    !qpdf_allow_extract_all(s->q) ||
		    !qpdf_allow_modify_all(s->q);
		/* The portal treats secured PDFs as error files
		 * (rules-facts §2, KUSU): the output is never encrypted. */
		if (pw != NULL)
			zri_note(m->res, "%s: opened with the password; "
			    "written without encryption", zr_display_name(
			    s->path));
		else if (restricted)
			zri_note(m->res, "%s: restricted by an owner password; "
			    "written without encryption or restrictions",
			    zr_display_name(s->path));
		else
			zri_note(m->res, "%s: encrypted; written without "
			    "encryption", zr_display_name(s->path));
	}
	ver = (char *)qpdf_get_pdf_version(s->q);
	s->version = ver != NULL ? strtod(ver, NULL) : 1.3;
	if (!(s->version >= 1.0 && s->version <= 2.0))
		s->version = 1.3;
	s->junk = zri_pdf_junk(s->path, s->mem, (size_t)s->bytes);
	if (zri_repair_input(m, s, err) < 0)
		return -1;
	return zri_render_pages(m, s, pw, err);
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
unsigned char *
zri_png_predict(const struct zr_image *im, size_t *outlen)
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

/*
 * A scan's page goes into an unlinked temporary file that libqpdf reads
 * back: its image then stays on disk until the output is written, and
 * memory does not grow with the page count (issue 14).  The streams are
 * written as they are (no filter changes), so the page is the same.
 */
static int
spill(struct zri_src *s, struct zr_error *err)
{
	char path[64];
	FILE *t;
	int rc;

	if ((t = zr_scratch_file(err)) == NULL)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(t));
	rc = qpdf_init_write(s->q, path);
	if (!(rc & QPDF_ERRORS)) {
		qpdf_set_decode_level(s->q, qpdf_dl_none);
		qpdf_set_compress_streams(s->q, QPDF_FALSE);
		qpdf_set_static_ID(s->q, QPDF_TRUE);
		rc = qpdf_write(s->q);
	}
	if (rc & QPDF_ERRORS) {
		fclose(t);
		return zri_pdf_qerr(s->q, err, ZR_E_PDF_WRITE, s->path,
		    "cannot write a temporary file");
	}
	zri_pdf_free(&s->q);
	if ((s->q = zri_pdf_new()) == NULL) {
		fclose(t);
		return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
	}
	/* libqpdf opens the file again and keeps it open; ours can go. */
	rc = qpdf_read(s->q, path, NULL);
	fclose(t);
	if (rc & QPDF_ERRORS)
		return zri_pdf_qerr(s->q, err, ZR_E_PDF, s->path,
		    "cannot read a temporary file");
	zri_pdf_warnings(s->q, NULL, 0);
	return 0;
}

/*
 * One image as a page of q: placed by the page mode (its own size when
 * its resolution is a scanner's, else fitted on A4) and turned by its
 * EXIF/TIFF orientation in the drawing matrix, so nothing is re-encoded.
 * Pixels that are not square (a fax's 204x98 dpi) keep their shape.
 */
int
zri_image_page(struct zri_merge *m, qpdf_data q, const struct zri_pic *p,
    const char *path, struct zr_error *err)
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
	qpdf_oh img, dict, cs, parms, res, xo, page, contents, box;
	double dw, dh, xd, yd, pw, ph, sc, x0, y0;
	const double a4w = 595.2756, a4h = 841.8898, a3 = 1190.5512;
	char buf[512], n[6][32], n2[6][32];
	int o, i;
	enum zr_pdf_page_mode mode = m->o->page_mode;

	o = p->orientation >= 1 && p->orientation <= 8 ? p->orientation : 1;
	/* Shown size in pixels (orientations 5-8 swap the axes) and dpi. */
	dw = o >= 5 ? p->height : p->width;
	dh = o >= 5 ? p->width : p->height;
	xd = o >= 5 ? p->ydpi : p->xdpi;
	yd = o >= 5 ? p->xdpi : p->ydpi;
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
		dw = pw;
		dh = ph;
	} else {
		if (xd > 0 && yd > 0 && xd != yd)
			dh *= xd / yd;  /* its shape, in units of x pixels */
		pw = dw > dh ? a4h : a4w;
		ph = dw > dh ? a4w : a4h;
		sc = pw / dw < ph / dh ? pw / dw : ph / dh;
		x0 = (pw - dw * sc) / 2;
		y0 = (ph - dh * sc) / 2;
		dw *= sc;
		dh *= sc;
	}
	img = qpdf_oh_new_stream(q);
	dict = qpdf_oh_get_dict(q, img);
	zri_set_key(q, dict, "/Type", zri_name(q, "/XObject"));
	zri_set_key(q, dict, "/Subtype", zri_name(q, "/Image"));
	zri_set_key(q, dict, "/Width", qpdf_oh_new_integer(q, p->width));
	zri_set_key(q, dict, "/Height", qpdf_oh_new_integer(q, p->height));
	zri_set_key(q, dict, "/BitsPerComponent", qpdf_oh_new_integer(q,
	    p->bpc));
	cs = zri_name(q, p->comps == 1 ? "/DeviceGray" : "/DeviceRGB");
	zri_set_key(q, dict, "/ColorSpace", cs);
	parms = p->parms != NULL ? qpdf_oh_parse(q, p->parms) :
	    qpdf_oh_new_null(q);
	cs = zri_name(q, p->filter);
	qpdf_oh_replace_stream_data(q, img, p->data, p->len, cs, parms);
	qpdf_oh_release(q, cs);
	qpdf_oh_release(q, parms);
	qpdf_oh_release(q, dict);
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
	zri_set_key(q, page, "/Type", zri_name(q, "/Page"));
	fmtnum(n[0], sizeof(n[0]), pw);
	fmtnum(n[1], sizeof(n[1]), ph);
	snprintf(buf, sizeof(buf), "[0 0 %s %s]", n[0], n[1]);
	box = qpdf_oh_parse(q, buf);
	zri_set_key(q, page, "/MediaBox", box);
	res = qpdf_oh_new_dictionary(q);
	cs = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, cs, "/Im0", xo);
	zri_set_key(q, res, "/XObject", cs);
	zri_set_key(q, page, "/Resources", res);
	zri_set_key(q, page, "/Contents",
	    qpdf_make_indirect_object(q, contents));
	qpdf_oh_release(q, contents);
	qpdf_oh_release(q, xo);
	xo = qpdf_make_indirect_object(q, page);
	qpdf_oh_release(q, page);
	if (qpdf_add_page(q, q, xo, QPDF_FALSE) & QPDF_ERRORS) {
		qpdf_oh_release(q, xo);
		return zri_pdf_qerr(q, err, ZR_E_PDF_WRITE, path,
		    "cannot make a page");
	}
	qpdf_oh_release(q, xo);
	return 0;
}

/*
 * A scan becomes a one-page PDF of its own: a JPEG is embedded as it is
 * (DCTDecode; EXIF orientation applied by the drawing matrix, so nothing
 * is re-encoded), a PNG as Flate with PNG predictors.
 */
static int
open_image(struct zri_merge *m, struct zri_src *s, struct zr_error *err)
{
	struct zr_image_info info;
	struct zr_decode_opts dopt;
	struct zr_image im;
	struct zr_jpeg_opts jo;
	struct zri_pic pic;
	unsigned char *data = NULL, *pred = NULL;
	size_t len = 0, plen;
	char parms[160];
	int flate = 0, own, rc, ext = 0;

	memset(&im, 0, sizeof(im));
	if (zr_image_probe(s->mem, s->ext ? s->ext_head : (size_t)s->bytes,
	    s->path, &info, err) < 0)
		return -1;
	if (s->ext) {
		/* Its head only was read (see read_head()). */
		ext = 1;
		len = (size_t)s->extlen;
	} else if (s->kind == ZR_PDF_IN_JPEG && (info.components == 1 ||
	    info.components == 3) && info.bits == 8) {
		data = s->mem;
		len = (size_t)s->bytes;
		/* A phone photo's EXIF has where it was taken: the upload
		 * carries the picture alone (issue 14), losslessly; the
		 * orientation was read above and goes into the drawing. */
		if (!m->o->keep_metadata) {
			unsigned char *st;
			size_t stlen;

			if (zri_jpeg_strip(s->mem, len, &st, &stlen) < 0)
				return zr_error_set(err, ZR_E_NOMEM, s->path,
				    NULL);
			if (st != NULL) {
				data = st;
				len = stlen;
			}
		}
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
			pred = zri_png_predict(&im, &plen);
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
	own = data != s->mem;
	s->q = zri_pdf_new();
	if (s->q == NULL || (qpdf_empty_pdf(s->q) & QPDF_ERRORS)) {
		if (own)
			free(data);
		zr_image_free(&im);
		return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
	}
	memset(&pic, 0, sizeof(pic));
	pic.data = ext ? (const unsigned char *)"" : data;
	pic.len = ext ? 0 : len;
	pic.width = info.width;
	pic.height = info.height;
	pic.comps = info.components;
	pic.bpc = 8;
	pic.orientation = info.orientation;
	pic.xdpi = info.xdpi;
	pic.ydpi = info.ydpi;
	if (flate) {
		snprintf(parms, sizeof(parms), "<< /Predictor 15 /Colors %d "
		    "/BitsPerComponent 8 /Columns %d >>", info.components,
		    info.width);
		pic.parms = parms;
		pic.filter = "/FlateDecode";
	} else
		pic.filter = "/DCTDecode";
	rc = zri_image_page(m, s->q, &pic, s->path, err);
	if (own)
		free(data);
	zr_image_free(&im);
	/* Once in a stream the file's bytes are no longer needed. */
	free(s->mem);
	s->mem = NULL;
	if (rc < 0)
		return -1;
	s->npages = 1;
	s->version = 1.3;
	zri_pdf_warnings(s->q, NULL, 0);
	/* Its bytes stay in the file: nothing to spill. */
	return ext ? 0 : spill(s, err);
}

/* The file's identity when it was read, to see that it has not changed
 * when it is read again. */
static void
ext_ident(struct zri_src *s, const struct stat *sb)
{
	s->ext_dev = (unsigned long long)sb->st_dev;
	s->ext_ino = (unsigned long long)sb->st_ino;
	s->ext_size = (long long)sb->st_size;
	s->ext_mtime_s = (long long)sb->st_mtim.tv_sec;
	s->ext_mtime_ns = (long long)sb->st_mtim.tv_nsec;
}

/*
 * The head of a JPEG scan that may stay in its file (struct zri_src):
 * the bytes up to its first scan, which say what it is and how long it
 * is without its metadata.  Returns 0 (s->ext set), or 1 when it must be
 * read whole (not a plain 8-bit JPEG, a head past the first 256 KiB, not
 * readable here: the whole read says why).
 */
static int
read_head(const struct zri_merge *m, struct zri_src *s)
{
	struct zr_image_info info;
	struct stat sb;
	unsigned char *b;
	size_t cap = 256 * 1024, got = 0;
	ssize_t r;
	long long n;
	int fd;

	if ((fd = open(s->path, O_RDONLY | O_CLOEXEC)) < 0)
		return 1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    (unsigned long long)sb.st_size > ZR_READ_MAX) {
		close(fd);
		return 1;
	}
	if ((size_t)sb.st_size < cap)
		cap = (size_t)sb.st_size;
	if ((b = malloc(cap + 1)) == NULL) {
		close(fd);
		return 1;
	}
	while (got < cap) {
		r = read(fd, b + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	n = got < cap ? -1 : m->o->keep_metadata ? (long long)sb.st_size :
	    zri_jpeg_strip_len(b, got, (long long)sb.st_size);
	if (n <= 0 || zr_image_probe(b, got, s->path, &info, NULL) < 0 ||
	    info.bits != 8 || (info.components != 1 &&
	    info.components != 3)) {
		free(b);
		return 1;
	}
	ext_ident(s, &sb);
	s->ext = 1;
	s->extlen = n;
	s->ext_head = got;
	s->mem = b;
	s->bytes = (long long)sb.st_size;
	return 0;
}

int
zri_ext_read(const struct zri_merge *m, const struct zri_img *im,
    unsigned char **raw, size_t *len, struct zr_error *err)
{
	const struct zri_src *s = &m->src[im->input];
	struct zri_src now;
	struct stat sb;
	unsigned char *b, *st;
	size_t got = 0, stlen;
	ssize_t r;
	int fd, e;

	*raw = NULL;
	*len = 0;
	if ((fd = open(s->path, O_RDONLY | O_CLOEXEC)) < 0)
		return zr_error_sys(err, ZR_E_OPEN, errno, s->path,
		    "cannot open again");
	memset(&now, 0, sizeof(now));
	if (fstat(fd, &sb) == 0)
		ext_ident(&now, &sb);
	if (now.ext_dev != s->ext_dev || now.ext_ino != s->ext_ino ||
	    now.ext_size != s->ext_size || now.ext_mtime_s !=
	    s->ext_mtime_s || now.ext_mtime_ns != s->ext_mtime_ns) {
		close(fd);
		return zr_error_set(err, ZR_E_IO, s->path,
		    "changed while it was being merged");
	}
	if ((b = malloc(s->ext_size > 0 ? (size_t)s->ext_size : 1)) ==
	    NULL) {
		close(fd);
		return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
	}
	while (got < (size_t)s->ext_size) {
		r = pread(fd, b + got, (size_t)s->ext_size - got,
		    (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			e = r < 0 ? errno : EIO;
			free(b);
			close(fd);
			return zr_error_sys(err, ZR_E_IO, e, s->path,
			    "cannot read again");
		}
		got += (size_t)r;
	}
	close(fd);
	stlen = got;
	if (!m->o->keep_metadata) {
		if (zri_jpeg_strip(b, got, &st, &stlen) < 0) {
			free(b);
			return zr_error_set(err, ZR_E_NOMEM, s->path, NULL);
		}
		if (st != NULL) {
			free(b);
			b = st;
		} else
			stlen = got;
	}
	if ((long long)stlen != s->extlen) {
		free(b);
		return zr_error_set(err, ZR_E_IO, s->path,
		    "changed while it was being merged");
	}
	*raw = b;
	*len = stlen;
	return 0;
}

int
zri_ext_fill(struct zri_merge *m, struct zr_error *err)
{
	qpdf_data q = m->out;
	qpdf_oh f, p;
	unsigned char *raw;
	size_t i, len;

	for (i = 0; i < m->nimg; i++) {
		struct zri_img *im = &m->img[i];

		if (!im->ext)
			continue;
		if (zri_ext_read(m, im, &raw, &len, err) < 0)
			return -1;
		f = zri_name(q, "/DCTDecode");
		p = qpdf_oh_new_null(q);
		qpdf_oh_replace_stream_data(q, im->oh, raw, len, f, p);
		qpdf_oh_release(q, f);
		qpdf_oh_release(q, p);
		free(raw);
		im->ext = 0;
	}
	return 0;
}

int
zri_open_input(struct zri_merge *m, struct zri_src *s,
    const struct zr_pdf_input *in, struct zr_error *err)
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
	if (s->mem == NULL && !(m->ext_ok && s->kind == ZR_PDF_IN_JPEG &&
	    read_head(m, s) == 0)) {
		if (zr_read_file(in->path, 0, &s->mem, &len, err) < 0)
			return -1;
		s->bytes = (long long)len;
	}
	if (s->kind == ZR_PDF_IN_TIFF)
		return zri_open_tiff(m, s, err) < 0 ? -1 : spill(s, err);
	return open_image(m, s, err);
}

