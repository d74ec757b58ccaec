/* libzairyu: small helpers over libqpdf's C API and zlib for the PDF code. */
/* SPDX-License-Identifier: MIT */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <zlib.h>

#include "zairyu/io.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

qpdf_data
zri_pdf_new(void)
{
	qpdf_data q = qpdf_init();
	qpdflogger_handle l;

	if (q == NULL)
		return NULL;
	/* The library never prints: errors and warnings are collected
	 * with qpdf_get_error()/qpdf_next_warning() instead. */
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	l = qpdflogger_create();
	qpdflogger_set_info(l, qpdf_log_dest_discard, NULL, NULL);
	qpdflogger_set_warn(l, qpdf_log_dest_discard, NULL, NULL);
	qpdflogger_set_error(l, qpdf_log_dest_discard, NULL, NULL);
	qpdf_set_logger(q, l);
	qpdflogger_cleanup(&l);
	return q;
}

void
zri_pdf_free(qpdf_data *q)
{
	if (q == NULL || *q == NULL)
		return;
	zri_pdf_clear_error(*q);
	qpdf_cleanup(q);
}

int
zri_pdf_qerr(qpdf_data q, struct zr_error *err, int code, const char *subject,
    const char *what)
{
	const char *d = NULL;
	qpdf_error e;

	if (qpdf_has_error(q) && (e = qpdf_get_error(q)) != NULL) {
		d = qpdf_get_error_message_detail(q, e);
		if (code == ZR_E_PDF &&
		    qpdf_get_error_code(q, e) == qpdf_e_password)
			code = ZR_E_PDF_PASSWORD;
	}
	if (d != NULL && *d != '\0')
		return zr_error_set(err, code, subject, "%s: %s", what, d);
	return zr_error_set(err, code, subject, "%s", what);
}

int
zri_pdf_clear_error(qpdf_data q)
{
	if (!qpdf_has_error(q))
		return 0;
	qpdf_get_error(q);  /* taken: libqpdf would complain on cleanup */
	return 1;
}

int
zri_pdf_warnings(qpdf_data q, char *buf, size_t bufsz)
{
	int n = 0;
	qpdf_error e;
	const char *d;

	if (buf != NULL && bufsz > 0)
		buf[0] = '\0';
	while (qpdf_more_warnings(q)) {
		e = qpdf_next_warning(q);
		if (n++ == 0 && buf != NULL && bufsz > 0 && e != NULL) {
			d = qpdf_get_error_message_detail(q, e);
			snprintf(buf, bufsz, "%s", d != NULL ? d : "warning");
		}
	}
	return n;
}

int
zri_oh_is_name(qpdf_data q, qpdf_oh dict, const char *key, const char *name)
{
	qpdf_oh v;
	int r;

	if (!qpdf_oh_is_dictionary(q, dict))
		return 0;
	v = qpdf_oh_get_key(q, dict, key);
	r = qpdf_oh_is_name_and_equals(q, v, name);
	qpdf_oh_release(q, v);
	return r;
}

int
zri_oh_get_num(qpdf_data q, qpdf_oh dict, const char *key, double *out)
{
	qpdf_oh v;
	int r = -1;

	if (!qpdf_oh_is_dictionary(q, dict))
		return -1;
	v = qpdf_oh_get_key(q, dict, key);
	if (qpdf_oh_is_number(q, v)) {
		*out = qpdf_oh_get_numeric_value(q, v);
		r = 0;
	}
	qpdf_oh_release(q, v);
	return r;
}

int
zri_oh_get_int(qpdf_data q, qpdf_oh dict, const char *key, long long *out)
{
	qpdf_oh v;
	int r = -1;

	if (!qpdf_oh_is_dictionary(q, dict))
		return -1;
	v = qpdf_oh_get_key(q, dict, key);
	if (qpdf_oh_is_integer(q, v)) {
		*out = qpdf_oh_get_int_value(q, v);
		r = 0;
	}
	qpdf_oh_release(q, v);
	return r;
}

static enum zri_filter
filter_of(const char *n)
{
	if (strcmp(n, "/FlateDecode") == 0 || strcmp(n, "/Fl") == 0)
		return ZRI_F_FLATE;
	if (strcmp(n, "/DCTDecode") == 0 || strcmp(n, "/DCT") == 0)
		return ZRI_F_DCT;
	if (strcmp(n, "/CCITTFaxDecode") == 0 || strcmp(n, "/CCF") == 0 ||
	    strcmp(n, "/JBIG2Decode") == 0)
		return ZRI_F_BILEVEL;
	if (strcmp(n, "/JPXDecode") == 0)
		return ZRI_F_JPX;
	return ZRI_F_OTHER;
}

enum zri_filter
zri_stream_filter(qpdf_data q, qpdf_oh stream, int *has_parms)
{
	qpdf_oh d, f, p, it;
	enum zri_filter r = ZRI_F_OTHER;
	int n;

	d = qpdf_oh_get_dict(q, stream);
	f = qpdf_oh_get_key(q, d, "/Filter");
	p = qpdf_oh_get_key(q, d, "/DecodeParms");
	if (has_parms != NULL)
		*has_parms = !qpdf_oh_is_null(q, p) &&
		    !(qpdf_oh_is_array(q, p) &&
		    qpdf_oh_get_array_n_items(q, p) == 1 &&
		    (it = qpdf_oh_get_array_item(q, p, 0),
		    n = qpdf_oh_is_null(q, it), qpdf_oh_release(q, it), n));
	if (qpdf_oh_is_null(q, f))
		r = ZRI_F_NONE;
	else if (qpdf_oh_is_name(q, f))
		r = filter_of(qpdf_oh_get_name(q, f));
	else if (qpdf_oh_is_array(q, f)) {
		n = qpdf_oh_get_array_n_items(q, f);
		if (n == 0)
			r = ZRI_F_NONE;
		else if (n == 1) {
			it = qpdf_oh_get_array_item(q, f, 0);
			if (qpdf_oh_is_name(q, it))
				r = filter_of(qpdf_oh_get_name(q, it));
			qpdf_oh_release(q, it);
		} else if (n == 2) {
			qpdf_oh i0 = qpdf_oh_get_array_item(q, f, 0);

			it = qpdf_oh_get_array_item(q, f, 1);
			if (qpdf_oh_is_name(q, i0) && qpdf_oh_is_name(q, it) &&
			    filter_of(qpdf_oh_get_name(q, i0)) == ZRI_F_FLATE &&
			    filter_of(qpdf_oh_get_name(q, it)) == ZRI_F_DCT)
				r = ZRI_F_FLATEDCT;
			else if (qpdf_oh_is_name(q, it) && filter_of(
			    qpdf_oh_get_name(q, it)) == ZRI_F_BILEVEL)
				r = ZRI_F_BILEVEL;
			qpdf_oh_release(q, it);
			qpdf_oh_release(q, i0);
		} else {
			/* A chain ending in a bilevel codec is still bilevel
			 * (kept as is); other chains are left alone too. */
			it = qpdf_oh_get_array_item(q, f, n - 1);
			if (qpdf_oh_is_name(q, it) &&
			    filter_of(qpdf_oh_get_name(q, it)) == ZRI_F_BILEVEL)
				r = ZRI_F_BILEVEL;
			qpdf_oh_release(q, it);
		}
	}
	qpdf_oh_release(q, p);
	qpdf_oh_release(q, f);
	qpdf_oh_release(q, d);
	return r;
}

int
zri_inflate(const unsigned char *in, size_t len, size_t cap,
    unsigned char **out, size_t *outlen, struct zr_error *err)
{
	z_stream z;
	unsigned char *buf = NULL, *nb;
	size_t size = 0, used = 0;
	int rc;

	*out = NULL;
	*outlen = 0;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	z.next_in = (unsigned char *)(size_t)in;
	for (;;) {
		if (used == size) {
			size_t ns = size == 0 ? (len * 4 < 65536 ? 65536 :
			    len * 4) : size * 2;
			if (size >= cap + 1) {
				inflateEnd(&z);
				free(buf);
				return zr_error_set(err, ZR_E_PIXELS, NULL,
				    "stream expands beyond %zu bytes", cap);
			}
			if (ns > cap + 1)
				ns = cap + 1;
			if ((nb = realloc(buf, ns)) == NULL) {
				inflateEnd(&z);
				free(buf);
				return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
			}
			buf = nb;
			size = ns;
		}
		/* zlib counts in uInt: feed at most 1 GiB per call. */
		if (z.avail_in == 0) {
			size_t left = len - (size_t)(z.next_in - in);
			z.avail_in = (uInt)(left > (1u << 30) ? (1u << 30) :
			    left);
		}
		z.next_out = buf + used;
		z.avail_out = (uInt)(size - used > (1u << 30) ? (1u << 30) :
		    size - used);
		rc = inflate(&z, Z_NO_FLUSH);
		used = (size_t)(z.next_out - buf);
		if (rc == Z_STREAM_END)
			break;
		if (rc == Z_BUF_ERROR && z.avail_in == 0 &&
		    (size_t)(z.next_in - in) == len)
			break;  /* truncated data: take what came out */
		if (rc != Z_OK) {
			inflateEnd(&z);
			free(buf);
			return zr_error_set(err, ZR_E_IMAGE, NULL,
			    "corrupt Flate data");
		}
	}
	inflateEnd(&z);
	if (used > cap) {
		free(buf);
		return zr_error_set(err, ZR_E_PIXELS, NULL,
		    "stream expands beyond %zu bytes", cap);
	}
	*out = buf;
	*outlen = used;
	return 0;
}

/*
 * Level 9 over two threads for a large stream (pigz's way, RFC 1950/1951):
 * the data cut into pieces of DEFLATE_PIECE bytes, each deflated raw with
 * the 32 KiB before it as its dictionary and ended by a sync flush (byte
 * aligned, not final), the last one finished; the pieces in order between
 * the zlib header and the Adler-32 of the whole are one zlib stream.  A
 * 12 MB embedded font (a Japanese Unifont) took 10 s at level 9 in one
 * piece: such a form merged with scans was ten times slower than the scans
 * alone.  The pieces depend on the length only, never on the threads
 * there were, so the bytes are the same on any machine; under
 * DEFLATE_PAR_MIN, one zlib call as before.
 */
#define DEFLATE_PAR_MIN ((size_t)4 << 20)
#define DEFLATE_PIECE ((size_t)1 << 20)
#define DEFLATE_WINDOW ((size_t)32768)

struct dpiece {
	size_t off, len;
	unsigned char *out;
	size_t outlen;
	int rc;
};

struct dwork {
	const unsigned char *in;
	struct dpiece *p;
	size_t n, next;           /* the next piece, under mu */
	pthread_mutex_t mu;
};

static int
deflate_piece(const unsigned char *in, struct dpiece *p, int last)
{
	z_stream z;
	size_t d, cap;
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	d = p->off < DEFLATE_WINDOW ? p->off : DEFLATE_WINDOW;
	if (d > 0 && deflateSetDictionary(&z, in + p->off - d, (uInt)d) !=
	    Z_OK) {
		deflateEnd(&z);
		return -1;
	}
	/* A sync flush adds an empty stored block (5 bytes). */
	cap = deflateBound(&z, (uLong)p->len) + 64;
	if ((p->out = malloc(cap)) == NULL) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)(size_t)(in + p->off);
	z.avail_in = (uInt)p->len;
	z.next_out = p->out;
	z.avail_out = (uInt)cap;
	rc = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
	p->outlen = cap - z.avail_out;
	deflateEnd(&z);
	return (last ? rc == Z_STREAM_END : rc == Z_OK && z.avail_in == 0 &&
	    z.avail_out > 0) ? 0 : -1;
}

static void *
deflate_run(void *arg)
{
	struct dwork *w = arg;
	size_t k;

	for (;;) {
		pthread_mutex_lock(&w->mu);
		k = w->next < w->n ? w->next++ : w->n;
		pthread_mutex_unlock(&w->mu);
		if (k == w->n)
			return NULL;
		w->p[k].rc = deflate_piece(w->in, &w->p[k], k + 1 == w->n);
	}
}

static int
deflate_pieces(const unsigned char *in, size_t len, unsigned char **out,
    size_t *outlen)
{
	struct dwork w;
	pthread_t th;
	unsigned char *buf = NULL;
	unsigned long a;
	size_t k, tot = 6;
	int rc = 0, threaded;

	memset(&w, 0, sizeof(w));
	w.in = in;
	w.n = (len + DEFLATE_PIECE - 1) / DEFLATE_PIECE;
	if ((w.p = calloc(w.n, sizeof(*w.p))) == NULL)
		return -1;
	for (k = 0; k < w.n; k++) {
		w.p[k].off = k * DEFLATE_PIECE;
		w.p[k].len = k + 1 < w.n ? DEFLATE_PIECE : len - w.p[k].off;
	}
	if (pthread_mutex_init(&w.mu, NULL) != 0) {
		free(w.p);
		return -1;
	}
	threaded = pthread_create(&th, NULL, deflate_run, &w) == 0;
	deflate_run(&w);
	if (threaded)
		pthread_join(th, NULL);
	pthread_mutex_destroy(&w.mu);
	for (k = 0; k < w.n; k++) {
		rc |= w.p[k].rc;
		tot += w.p[k].outlen;
	}
	if (rc == 0 && (buf = malloc(tot)) != NULL) {
		/* CMF 0x78 (deflate, 32 KiB window), FLG 0xda (level 9). */
		buf[0] = 0x78;
		buf[1] = 0xda;
		tot = 2;
		for (k = 0; k < w.n; k++) {
			memcpy(buf + tot, w.p[k].out, w.p[k].outlen);
			tot += w.p[k].outlen;
		}
		a = adler32_z(adler32(0L, Z_NULL, 0), in, len);
		buf[tot++] = (unsigned char)(a >> 24);
		buf[tot++] = (unsigned char)(a >> 16);
		buf[tot++] = (unsigned char)(a >> 8);
		buf[tot++] = (unsigned char)a;
		*out = buf;
		*outlen = tot;
	} else
		rc = -1;
	for (k = 0; k < w.n; k++)
		free(w.p[k].out);
	free(w.p);
	return rc;
}

int
zri_deflate9(const unsigned char *in, size_t len, unsigned char **out,
    size_t *outlen, struct zr_error *err)
{
	uLongf n;
	unsigned char *buf;

	*out = NULL;
	*outlen = 0;
	if (len >= DEFLATE_PAR_MIN)
		return deflate_pieces(in, len, out, outlen) == 0 ? 0 :
		    zr_error_set(err, ZR_E_NOMEM, NULL, "zlib failed");
	n = compressBound((uLong)len);
	if ((buf = malloc(n > 0 ? n : 1)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	if (compress2(buf, &n, in, (uLong)len, Z_BEST_COMPRESSION) != Z_OK) {
		free(buf);
		return zr_error_set(err, ZR_E_NOMEM, NULL, "zlib failed");
	}
	*out = buf;
	*outlen = n;
	return 0;
}

int
zri_stream_decoded(qpdf_data q, qpdf_oh stream, size_t cap,
    unsigned char **buf, size_t *len, struct zr_error *err)
{
	enum zri_filter f;
	int parms, filtered = 0;
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	int rc;

	*buf = NULL;
	*len = 0;
	f = zri_stream_filter(q, stream, &parms);
	if ((f == ZRI_F_NONE || f == ZRI_F_FLATE) && !parms) {
		if (qpdf_oh_get_stream_data(q, stream, qpdf_dl_none, NULL,
		    &raw, &rawlen) & QPDF_ERRORS)
			return zri_pdf_qerr(q, err, ZR_E_PDF, NULL,
			    "cannot read stream");
		if (f == ZRI_F_NONE) {
			if (rawlen > cap) {
				free(raw);
				return zr_error_set(err, ZR_E_PIXELS, NULL,
				    "stream larger than %zu bytes", cap);
			}
			*buf = raw;
			*len = rawlen;
			return 0;
		}
		rc = zri_inflate(raw, rawlen, cap, buf, len, err);
		free(raw);
		return rc;
	}
	/* Other general filters (LZW, ASCII85, predictors): libqpdf. */
	if (qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered,
	    &raw, &rawlen) & QPDF_ERRORS)
		return zri_pdf_qerr(q, err, ZR_E_PDF, NULL,
		    "cannot decode stream");
	if (!filtered || rawlen > cap) {
		free(raw);
		return zr_error_set(err, ZR_E_UNSUPPORTED, NULL,
		    "stream filter not supported");
	}
	*buf = raw;
	*len = rawlen;
	return 0;
}

int
zri_page_size(qpdf_data q, qpdf_oh page, double *w, double *h)
{
	qpdf_oh box, it;
	double v[4], uu = 1;
	int i, ok = 1;

	*w = 612;
	*h = 792;
	box = qpdf_oh_get_key(q, page, "/MediaBox");
	if (!qpdf_oh_is_array(q, box) || qpdf_oh_get_array_n_items(q, box) != 4)
		ok = 0;
	for (i = 0; ok && i < 4; i++) {
		it = qpdf_oh_get_array_item(q, box, i);
		if (qpdf_oh_is_number(q, it))
			v[i] = qpdf_oh_get_numeric_value(q, it);
		else
			ok = 0;
		qpdf_oh_release(q, it);
	}
	qpdf_oh_release(q, box);
	if (zri_oh_get_num(q, page, "/UserUnit", &uu) < 0 || uu <= 0 ||
	    uu > 75000)
		uu = 1;
	if (!ok)
		return -1;
	*w = (v[2] > v[0] ? v[2] - v[0] : v[0] - v[2]) * uu;
	*h = (v[3] > v[1] ? v[3] - v[1] : v[1] - v[3]) * uu;
	return 0;
}

const char *
zri_ext_of(const char *path)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');

	if (dot == NULL || (slash != NULL && dot < slash))
		return "";
	return dot + 1;
}

int
zri_sniff_buf(const char *path, const unsigned char *b, size_t len,
    int *kind, struct zr_error *err)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n' };
	const char *ext = zri_ext_of(path), *what;
	size_t i, n = len < 1024 ? len : 1024;
	int k = 0;

	if (len == 0)
		return zr_error_set(err, ZR_E_EMPTY, path, NULL);
	/* A PDF may have junk before its header (ISO 32000-1 §7.5.2 says
	 * the header is first; readers accept it within 1 KiB). */
	for (i = 0; i + 5 <= n && k == 0; i++)
		if (memcmp(b + i, "%PDF-", 5) == 0)
			k = ZR_PDF_IN_PDF;
	if (k == 0 && len >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		k = ZR_PDF_IN_JPEG;
	if (k == 0 && len >= 8 && memcmp(b, png, 8) == 0)
		k = ZR_PDF_IN_PNG;
	/* Farther in, only for a file named .pdf (a mail or web download
	 * with its headers still on); libqpdf searches as well. */
	if (k == 0 && strcasecmp(ext, "pdf") == 0 && len > 1024 &&
	    zri_pdf_header_at(b, len) > 0)
		k = ZR_PDF_IN_PDF;
	/* TIFF 6.0 §2 (and BigTIFF): byte order, then 42 (or 43). */
	if (k == 0 && len >= 4 && ((b[0] == 'I' && b[1] == 'I' &&
	    (b[2] == 42 || b[2] == 43) && b[3] == 0) || (b[0] == 'M' &&
	    b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43))))
		k = ZR_PDF_IN_TIFF;
	what = k == ZR_PDF_IN_PDF ? "a PDF file" : k == ZR_PDF_IN_JPEG ?
	    "a JPEG image" : k == ZR_PDF_IN_PNG ? "a PNG image" :
	    k == ZR_PDF_IN_TIFF ? "a TIFF image" :
	    "neither PDF, JPEG, PNG nor TIFF";
	if (strcasecmp(ext, "pdf") == 0 && k != ZR_PDF_IN_PDF)
		return zr_error_set(err, ZR_E_NOT_PDF, path,
		    "not a PDF file (it is %s)", what);
	if ((strcasecmp(ext, "jpg") == 0 || strcasecmp(ext, "jpeg") == 0) &&
	    k != ZR_PDF_IN_JPEG)
		return zr_error_set(err, ZR_E_NOT_JPEG, path,
		    "not a JPEG file (it is %s)", what);
	if (strcasecmp(ext, "png") == 0 && k != ZR_PDF_IN_PNG)
		return zr_error_set(err, ZR_E_NOT_PNG, path,
		    "not a PNG file (it is %s)", what);
	if ((strcasecmp(ext, "tif") == 0 || strcasecmp(ext, "tiff") == 0) &&
	    k != ZR_PDF_IN_TIFF)
		return zr_error_set(err, ZR_E_IMAGE, path,
		    "not a TIFF file (it is %s)", what);
	if (k == 0)
		return zr_error_set(err, ZR_E_NOT_PDF, path,
		    "not a PDF, JPEG, PNG or TIFF file");
	*kind = k;
	return 0;
}

int
zri_sniff(const char *path, int *kind, long long *size, struct zr_error *err)
{
	unsigned char *b;
	struct stat st;
	ssize_t r;
	size_t got = 0, cap = ZRI_PDF_JUNK_MAX;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return zr_error_sys(err, ZR_E_OPEN, errno, path, "cannot open");
	if (fstat(fd, &st) < 0) {
		close(fd);
		return zr_error_sys(err, ZR_E_IO, errno, path, "cannot stat");
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return zr_error_set(err, ZR_E_NOT_FILE, path, "is a directory");
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return zr_error_set(err, ZR_E_NOT_FILE, path, NULL);
	}
	/* Never an output, nor standard output (zairyu(7)). */
	if (zr_input_note_fd(fd, path, err) < 0) {
		close(fd);
		return -1;
	}
	/* The first KiB says what a file is; a .pdf's header may come
	 * later (zri_sniff_buf). */
	if (strcasecmp(zri_ext_of(path), "pdf") != 0)
		cap = 1024;
	if ((b = malloc(cap)) == NULL) {
		close(fd);
		return zr_error_set(err, ZR_E_NOMEM, path, NULL);
	}
	while (got < cap) {
		r = read(fd, b + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			free(b);
			return zr_error_sys(err, ZR_E_IO, errno, path,
			    "cannot read");
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*size = (long long)st.st_size;
	rc = zri_sniff_buf(path, b, got, kind, err);
	free(b);
	return rc;
}

int
zri_field_kids(qpdf_data q, qpdf_oh d, int depth,
    int (*fn)(qpdf_data, qpdf_oh, int))
{
	qpdf_oh kids, it;
	int n = 0, i, nk;

	kids = qpdf_oh_get_key(q, d, "/Kids");
	if (qpdf_oh_is_array(q, kids)) {
		nk = qpdf_oh_get_array_n_items(q, kids);
		for (i = 0; i < nk && i < 10000; i++) {
			it = qpdf_oh_get_array_item(q, kids, i);
			n += fn(q, it, depth + 1);
			qpdf_oh_release(q, it);
		}
	}
	qpdf_oh_release(q, kids);
	return n;
}

/* 1 if an action (or one chained after it) runs code or a program. */
int
zri_bad_action(qpdf_data q, qpdf_oh a, int depth)
{
	static const char *const bad[] = { "/JavaScript", "/Launch",
		"/ImportData", "/RichMediaExecute", "/Rendition" };
	qpdf_oh nx, it;
	size_t i;
	int r = 0, n, k;

	if (depth > 8 || !qpdf_oh_is_dictionary(q, a))
		return 0;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]) && !r; i++)
		r = zri_oh_is_name(q, a, "/S", bad[i]);
	if (r)
		return 1;
	nx = qpdf_oh_get_key(q, a, "/Next");
	if (qpdf_oh_is_dictionary(q, nx))
		r = zri_bad_action(q, nx, depth + 1);
	else if (qpdf_oh_is_array(q, nx)) {
		n = qpdf_oh_get_array_n_items(q, nx);
		for (k = 0; k < n && k < 64 && !r; k++) {
			it = qpdf_oh_get_array_item(q, nx, k);
			r = zri_bad_action(q, it, depth + 1);
			qpdf_oh_release(q, it);
		}
	}
	qpdf_oh_release(q, nx);
	return r;
}
