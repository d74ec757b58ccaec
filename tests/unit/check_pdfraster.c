/* zairyu-tools: unit tests for pages whose content is damaged beyond
 * copying, stored as pictures of themselves (lib/pdf/pdfraster.c). */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qpdf/qpdf-c.h>

#include "zr_test.h"
#include "zairyu/pdf.h"
#include "../../lib/pdf/pdfint.h"

/* A one-page A4 PDF with the given content stream, its cross-reference
 * table right, written to a temporary file whose path is returned. */
static char *
write_pdf(const char *content)
{
	static char path[64];
	char buf[4096];
	long off[6];
	size_t n = 0;
	int fd, i;

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%%PDF-1.4\n");
	off[1] = (long)n;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
	    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = (long)n;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "2 0 obj\n<< /Type "
	    "/Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	off[3] = (long)n;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "3 0 obj\n<< /Type "
	    "/Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
	    "<< /F1 5 0 R >> >> /Contents 4 0 R >>\nendobj\n");
	off[4] = (long)n;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "4 0 obj\n<< /Length "
	    "%zu >>\nstream\n%s\nendstream\nendobj\n", strlen(content),
	    content);
	off[5] = (long)n;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "5 0 obj\n<< /Type "
	    "/Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
	off[0] = (long)n;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
	    "xref\n0 6\n0000000000 65535 f \n");
	for (i = 1; i < 6; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "%010ld 00000 n \n", off[i]);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "trailer\n<< /Size 6 "
	    "/Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", off[0]);
	ck_assert_uint_lt(n, sizeof(buf));
	snprintf(path, sizeof(path), "/tmp/zr-raster-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq((int)write(fd, buf, n), (int)n);
	close(fd);
	return path;
}

static const char *const damaged = "BT /F1 36 Tf 72 700 Td (Damaged) Tj ET\n"
    ") ] )\n1 0 0 RG 8 w 72 500 m 520 500 l S";

/* The integer value of key k of the first page's image /ZrPage. */
static long long
page_image_key(const unsigned char *pdf, size_t len, const char *k)
{
	qpdf_data q = qpdf_init();
	qpdf_oh pg, res, xo, im, d, v;
	long long r;

	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, 1);
	ck_assert_int_eq(qpdf_read_memory(q, "out", (const char *)pdf,
	    (unsigned long long)len, NULL) & QPDF_ERRORS, 0);
	ck_assert_int_eq(qpdf_get_num_pages(q), 1);
	pg = qpdf_get_page_n(q, 0);
	res = qpdf_oh_get_key(q, pg, "/Resources");
	xo = qpdf_oh_get_key(q, res, "/XObject");
	im = qpdf_oh_get_key(q, xo, "/ZrPage");
	ck_assert(qpdf_oh_is_stream(q, im));
	d = qpdf_oh_get_dict(q, im);
	v = qpdf_oh_get_key(q, d, k);
	r = qpdf_oh_get_int_value(q, v);
	qpdf_cleanup(&q);
	return r;
}

START_TEST(test_render_damaged_page)
{
	struct zr_pdf_input in = { NULL, NULL };
	struct zr_pdf_opts o;
	struct zr_pdf_result r;
	struct zr_error e;
	size_t i;
	int found = 0;

	in.path = write_pdf(damaged);
	memset(&o, 0, sizeof(o));
	o.self_check = 1;
	o.source_date_epoch = -1;
	o.render_dpi = 40;
	memset(&e, 0, sizeof(e));
	ck_assert_msg(zr_pdf_merge(&in, 1, &o, &r, &e) == 0, "%s", e.msg);
	for (i = 0; i < r.nnotes; i++)
		found |= strstr(r.notes[i], "the content of page 1 is damaged "
		    "beyond what can be copied; stored as a picture of it at 40 "
		    "dpi") != NULL;
	ck_assert(found);
	/* A4 at 40 dpi: 595 x 842 pt -> 331 x 468 pixels. */
	ck_assert_int_eq(page_image_key(r.pdf, r.pdf_len, "/Width"), 331);
	ck_assert_int_eq(page_image_key(r.pdf, r.pdf_len, "/Height"), 468);
	zr_pdf_result_free(&r);

	/* Rendering off: the refusal, with the check's reason. */
	o.render_dpi = -1;
	ck_assert_int_eq(zr_pdf_merge(&in, 1, &o, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PDF);
	ck_assert_ptr_nonnull(strstr(e.msg, "damaged beyond what can be "
	    "copied; the merged PDF fails"));
	ck_assert_ptr_null(r.pdf);
	zr_pdf_result_free(&r);
	unlink(in.path);
}
END_TEST

START_TEST(test_render_clean_untouched)
{
	struct zr_pdf_input in = { NULL, NULL };
	struct zr_pdf_opts o;
	struct zr_pdf_result r;
	struct zr_error e;
	size_t i;

	in.path = write_pdf("BT /F1 36 Tf 72 700 Td (Clean) Tj ET");
	memset(&o, 0, sizeof(o));
	o.self_check = 1;
	o.source_date_epoch = -1;
	memset(&e, 0, sizeof(e));
	ck_assert_msg(zr_pdf_merge(&in, 1, &o, &r, &e) == 0, "%s", e.msg);
	for (i = 0; i < r.nnotes; i++)
		ck_assert_ptr_null(strstr(r.notes[i], "damaged"));
	for (i = 0; i + 7 <= r.pdf_len; i++)
		ck_assert(memcmp(r.pdf + i, "/ZrPage", 7) != 0);
	zr_pdf_result_free(&r);
	unlink(in.path);
}
END_TEST

START_TEST(test_render_list)
{
	struct zri_merge m;
	struct zr_pdf_result res;
	struct zr_pdf_input_report ir[2];
	struct zri_src src[2];

	memset(&m, 0, sizeof(m));
	memset(&res, 0, sizeof(res));
	memset(ir, 0, sizeof(ir));
	memset(src, 0, sizeof(src));
	/* Input 0: a scan on output page 1; input 1: a 3-page PDF. */
	ir[0].first_page = 1;
	ir[0].pages = 1;
	ir[1].first_page = 2;
	ir[1].pages = 3;
	src[0].kind = ZR_PDF_IN_JPEG;
	src[1].kind = ZR_PDF_IN_PDF;
	res.inputs = ir;
	res.ninputs = 2;
	m.res = &res;
	m.src = src;
	m.nsrc = 2;
	/* Asked first: what would be added, and the list stays empty. */
	ck_assert_int_eq(zri_render_out_page(&m, 0, 1), 0);   /* a scan */
	ck_assert_int_eq(zri_render_out_page(&m, 2, 1), 1);
	ck_assert_int_eq(zri_render_out_page(&m, 9, 1), 0);
	ck_assert_uint_eq(m.nrender, 0);
	ck_assert_int_eq(zri_render_out_page(&m, 0, 0), 0);   /* a scan */
	ck_assert_int_eq(zri_render_out_page(&m, 2, 0), 1);   /* input 1, p. 2 */
	ck_assert_int_eq(zri_render_out_page(&m, 2, 1), 0);   /* listed now */
	ck_assert_int_eq(zri_render_out_page(&m, 3, 1), 1);   /* p. 3 is not */
	ck_assert_int_eq(zri_render_out_page(&m, 2, 0), 0);   /* once */
	ck_assert_int_eq(zri_render_out_page(&m, 9, 0), 0);   /* no such page */
	ck_assert_uint_eq(m.nrender, 1);
	ck_assert_int_eq(m.render[0].input, 1);
	ck_assert_int_eq(m.render[0].page, 1);
	ck_assert(zri_render_wanted(&m, 1));
	ck_assert(!zri_render_wanted(&m, 0));
	free(m.render);
}
END_TEST

Suite *
zr_pdfraster_suite(void)
{
	Suite *s = suite_create("pdfraster");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, test_render_damaged_page);
	tcase_add_test(t, test_render_clean_untouched);
	tcase_add_test(t, test_render_list);
	suite_add_tcase(s, t);
	return s;
}
