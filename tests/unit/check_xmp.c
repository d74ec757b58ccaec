/* zairyu-tools: unit tests for the XMP and IPTC scan and --check's use of it. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <qpdf/qpdf-c.h>

#include "zr_test.h"
#include "../../lib/pdf/pdfint.h"

#define RDF "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
#define HEAD "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>" \
	"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF " RDF ">"
#define TAIL "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
#define EXIF "http://ns.adobe.com/exif/1.0/"
#define DC "http://purl.org/dc/elements/1.1/"

/* A packet in the forms the writers use: GPS as an attribute (exiftool,
 * phones) and as an element, dc:creator as a sequence. */
static const char gps_xmp[] = HEAD
	"<rdf:Description rdf:about=\"\" xmlns:e=\"" EXIF "\" xmlns:d=\"" DC
	"\" e:GPSLatitude=\"35,40.5N\"><e:GPSLongitude>139,45.0E"
	"</e:GPSLongitude><d:creator><rdf:Seq><rdf:li>Taro Sample</rdf:li>"
	"</rdf:Seq></d:creator></rdf:Description>" TAIL;
static const char creator_xmp[] = HEAD
	"<rdf:Description rdf:about=\"\" xmlns:dc=\"" DC "\" xmlns:xmp=\""
	"http://ns.adobe.com/xap/1.0/\" xmp:CreatorTool=\"Scanner 2.1\">"
	"<dc:creator><rdf:Seq><rdf:li>Taro Sample</rdf:li></rdf:Seq>"
	"</dc:creator></rdf:Description>" TAIL;

static int
scan(const char *s, struct zr_privacy *p)
{
	memset(p, 0, sizeof(*p));
	return zr_xmp_scan((const unsigned char *)s, strlen(s), p);
}

START_TEST(xmp_forms)
{
	struct zr_privacy p;

	/* Element and attribute forms, under prefixes of the packet's own. */
	ck_assert_int_eq(scan(gps_xmp, &p), 3);
	ck_assert_int_eq(p.gps, 1);
	ck_assert_int_eq(p.gps_position, 3);
	ck_assert_int_eq(p.personal, 1);
	ck_assert_str_eq(p.names, "exif:GPSLatitude, exif:GPSLongitude, "
	    "dc:creator");
	ck_assert_int_eq(scan(creator_xmp, &p), 2);
	ck_assert_int_eq(p.gps, 0);
	ck_assert_str_eq(p.names, "xmp:CreatorTool, dc:creator");
	/* The usual prefix bound to another namespace is not EXIF. */
	ck_assert_int_eq(scan(HEAD "<rdf:Description xmlns:exif=\"http://"
	    "example.com/x/\" exif:GPSLatitude=\"1\"><exif:GPSLongitude>2"
	    "</exif:GPSLongitude></rdf:Description>" TAIL, &p), 0);
	ck_assert_int_eq(p.gps, 0);
	/* Not declared at all (a sloppy writer): read as the usual one. */
	ck_assert_int_eq(scan("<rdf:Description exif:GPSLatitude=\"1\"/>",
	    &p), 1);
	ck_assert_int_eq(p.gps_position, 1);
	/* The default namespace for elements, not for attributes. */
	ck_assert_int_eq(scan("<a xmlns=\"" EXIF "\"><GPSAltitude>3"
	    "</GPSAltitude></a>", &p), 1);
	ck_assert_int_eq(p.gps, 1);
	ck_assert_int_eq(p.gps_position, 0);
	ck_assert_int_eq(scan("<a xmlns=\"" EXIF "\" GPSLatitude=\"3\"/>",
	    &p), 0);
	/* A binding ends with its element. */
	ck_assert_int_eq(scan("<a><b xmlns:q=\"" EXIF "\"/><q:GPSLatitude>1"
	    "</q:GPSLatitude></a>", &p), 0);
	/* A struct in attribute form, a resource, a value in CDATA. */
	ck_assert_int_eq(scan("<rdf:Description xmlns:I=\"http://iptc.org/"
	    "std/Iptc4xmpCore/1.0/xmlns/\"><I:CreatorContactInfo "
	    "rdf:parseType=\"Resource\" I:CiEmailWork=\"taro@example.com\"/>"
	    "</rdf:Description>", &p), 2);
	ck_assert_str_eq(p.names, "Iptc4xmpCore:CiEmailWork, "
	    "Iptc4xmpCore:CreatorContactInfo");
	ck_assert_int_eq(scan("<dc:rights rdf:resource=\"http://example.com/"
	    "taro\"/>", &p), 1);
	ck_assert_int_eq(scan("<dc:creator><![CDATA[Taro]]></dc:creator>",
	    &p), 1);
	/* Empty values are no values. */
	ck_assert_int_eq(scan(HEAD "<rdf:Description rdf:about=\"\" "
	    "xmlns:exif=\"" EXIF "\" xmlns:dc=\"" DC "\" exif:GPSLatitude=\"\" "
	    "exif:GPSLongitude=\"  \"><exif:GPSAltitude></exif:GPSAltitude>"
	    "<exif:GPSVersionID/><dc:creator><rdf:Seq><rdf:li/><rdf:li> "
	    "</rdf:li></rdf:Seq></dc:creator><dc:rights xml:lang=\"en\" "
	    "rdf:parseType=\"Literal\"></dc:rights></rdf:Description>" TAIL,
	    &p), 0);
	ck_assert_int_eq(p.gps + p.personal, 0);
	ck_assert_str_eq(p.names, "");
	/* Not our properties: the title, GPS-like names elsewhere. */
	ck_assert_int_eq(scan("<dc:title>Lease</dc:title><tiff:GPSLatitude>"
	    "1</tiff:GPSLatitude><exif:ExposureTime>1/60</exif:ExposureTime>",
	    &p), 0);
	/* Inside comments and processing instructions: nothing. */
	ck_assert_int_eq(scan("<!-- <dc:creator>Taro</dc:creator> --><?pi "
	    "exif:GPSLatitude=\"1\"?>", &p), 0);
}
END_TEST

START_TEST(xmp_encodings_and_junk)
{
	struct zr_privacy p, q;
	unsigned char *u;
	size_t n = strlen(gps_xmp), i, k;
	unsigned v = 7;

	/* UTF-16 both ways, with and without a BOM, and UTF-32 BE. */
	u = malloc(4 * n + 4);
	ck_assert_ptr_nonnull(u);
	for (k = 0; k < 4; k++) {
		size_t w = k == 3 ? 4 : 2, o = 0;

		if (k == 1) {
			u[o++] = 0xFF;
			u[o++] = 0xFE;
		}
		for (i = 0; i < n; i++) {
			memset(u + o, 0, w);
			u[o + (k == 2 || k == 3 ? w - 1 : 0)] =
			    (unsigned char)gps_xmp[i];
			o += w;
		}
		memset(&p, 0, sizeof(p));
		ck_assert_int_eq(zr_xmp_scan(u, o, &p), 3);
		ck_assert_int_eq(p.gps_position, 3);
		ck_assert_int_eq(p.personal, 1);
	}
	/* Every cut of the packet and bytes of noise: no crash, and never
	 * more than the whole packet holds. */
	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof(p));
		ck_assert_int_le(zr_xmp_scan((const unsigned char *)gps_xmp, i,
		    &p), 3);
	}
	for (i = 0; i < 4 * n; i++) {
		v = v * 1103515245u + 12345u;
		u[i] = (unsigned char)"<>/=\"' :xa\0"[(v >> 16) % 11];
	}
	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	ck_assert_int_eq(zr_xmp_scan(u, 4 * n, &p), zr_xmp_scan(u, 4 * n,
	    &q));
	ck_assert_int_eq(memcmp(&p, &q, sizeof(p)), 0);
	free(u);
	/* The list of names stays within its buffer. */
	memset(&p, 0, sizeof(p));
	for (i = 0; i < 20; i++) {
		char one[80];

		snprintf(one, sizeof(one), "<Iptc4xmpCore:Field%zu>x"
		    "</Iptc4xmpCore:Field%zu>", i, i);
		(void)zr_xmp_scan((const unsigned char *)one, strlen(one), &p);
	}
	ck_assert_int_eq(p.personal, 20);
	ck_assert_uint_lt(strlen(p.names), sizeof(p.names));
	ck_assert_str_eq(p.names + strlen(p.names) - 5, ", ...");
}
END_TEST

/* An APP13 "Photoshop 3.0" block with IIM record 2: an object name, a
 * by-line and an empty city. */
static size_t
iptc_block(unsigned char *b)
{
	static const unsigned char iim[] = {
		0x1C, 2, 5, 0, 5, 'L', 'e', 'a', 's', 'e',
		0x1C, 2, 80, 0, 4, 'T', 'a', 'r', 'o',
		0x1C, 2, 90, 0, 0,
	};
	size_t n = 0;

	memcpy(b, "Photoshop 3.0", 14);
	n = 14;
	memcpy(b + n, "8BIM\x04\x04\0\0\0\0\0", 11);
	n += 11;
	b[n++] = sizeof(iim);
	memcpy(b + n, iim, sizeof(iim));
	n += sizeof(iim);
	if (n & 1)
		b[n++] = 0;
	return n;
}

START_TEST(iptc_byline)
{
	struct zr_privacy p;
	unsigned char b[128];
	size_t n = iptc_block(b), i;

	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(zr_iptc_scan(b, n, &p), 1);
	ck_assert_int_eq(p.personal, 1);
	ck_assert_str_eq(p.names, "IPTC By-line");
	/* Cut anywhere: never more, never a crash. */
	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof(p));
		ck_assert_int_le(zr_iptc_scan(b, i, &p), 1);
	}
}
END_TEST

/* A 16x16 gray JPEG written by libjpeg with an APP1 XMP packet (and an
 * APP13 block) as its only metadata. */
static unsigned char *
jpeg_with(const char *xmp, int iptc, size_t *len)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	unsigned char *out = NULL, row[16], seg[2048], ib[128];
	unsigned long n = 0;
	size_t xl = strlen(xmp), id = sizeof("http://ns.adobe.com/xap/1.0/");
	JSAMPROW rp = row;
	int y;

	ck_assert_uint_lt(xl + id, sizeof(seg));
	memcpy(seg, "http://ns.adobe.com/xap/1.0/", id);
	memcpy(seg + id, xmp, xl);
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &n);
	c.image_width = c.image_height = 16;
	c.input_components = 1;
	c.in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	c.write_JFIF_header = FALSE;
	jpeg_start_compress(&c, TRUE);
	if (xl > 0)
		jpeg_write_marker(&c, JPEG_APP0 + 1, seg, (unsigned)(xl + id));
	if (iptc)
		jpeg_write_marker(&c, JPEG_APP0 + 13, ib,
		    (unsigned)iptc_block(ib));
	for (y = 0; y < 16; y++) {
		memset(row, y * 16, sizeof(row));
		jpeg_write_scanlines(&c, &rp, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	*len = n;
	return out;
}

START_TEST(jpeg_xmp)
{
	struct zr_image_info info;
	struct zri_jpeg_meta m;
	unsigned char *j;
	size_t n;

	j = jpeg_with(gps_xmp, 0, &n);
	ck_assert_int_eq(zr_image_probe(j, n, "x", &info, NULL), 0);
	ck_assert_int_eq(info.has_xmp, 1);
	ck_assert_int_eq(info.has_gps, 0);
	ck_assert_int_eq(info.priv.gps, 1);
	ck_assert_int_eq(info.priv.gps_position, 3);
	/* GPS in XMP as GPS in EXIF. */
	ck_assert_int_eq(zri_jpeg_private(j, n, &m), 2);
	ck_assert_str_eq(m.what, "an XMP GPS position");
	ck_assert_ptr_nonnull(strstr(m.names, "dc:creator"));
	free(j);
	j = jpeg_with(creator_xmp, 1, &n);
	ck_assert_int_eq(zri_jpeg_private(j, n, &m), 1);
	ck_assert_str_eq(m.what, "personal data in their metadata");
	ck_assert_str_eq(m.names, "xmp:CreatorTool, dc:creator, IPTC "
	    "By-line");
	free(j);
	j = jpeg_with("<x:xmpmeta/>", 0, &n);
	ck_assert_int_eq(zri_jpeg_private(j, n, &m), 1);
	ck_assert_str_eq(m.what, "XMP metadata");
	ck_assert_str_eq(m.names, "");
	free(j);
}
END_TEST

/* ---- zr_pdf_check on PDFs written by libqpdf ---- */

static qpdf_oh
xmp_stream(qpdf_data q, const char *xmp)
{
	qpdf_oh s = qpdf_oh_new_stream(q), d = qpdf_oh_get_dict(q, s), v;

	v = qpdf_oh_new_name(q, "/Metadata");
	qpdf_oh_replace_key(q, d, "/Type", v);
	qpdf_oh_release(q, v);
	v = qpdf_oh_new_name(q, "/XML");
	qpdf_oh_replace_key(q, d, "/Subtype", v);
	qpdf_oh_release(q, v);
	qpdf_oh_release(q, d);
	v = qpdf_oh_new_null(q);
	qpdf_oh_replace_stream_data(q, s, (const unsigned char *)xmp,
	    strlen(xmp), v, v);
	qpdf_oh_release(q, v);
	return s;
}

/* A one-page PDF drawing jpeg (16x16 gray) at 230 dpi, with XMP in
 * the catalog, the page and the image where given, and an Info entry. */
static void
write_pdf(const char *path, const char *cat, const char *page_xmp,
    const char *img_xmp, const unsigned char *jpeg, size_t jlen,
    const char *info_key, const char *info_val)
{
	qpdf_data q = qpdf_init();
	qpdf_oh root, page, res, im, d, v, cs;
	static const char draw[] = "q 5 0 0 5 0 0 cm /Im0 Do Q";

	qpdf_silence_errors(q);
	ck_assert_int_eq(qpdf_empty_pdf(q) & QPDF_ERRORS, 0);
	page = qpdf_oh_parse(q, "<< /Type /Page /MediaBox [0 0 200 200] "
	    ">>");
	im = qpdf_oh_new_stream(q);
	d = qpdf_oh_get_dict(q, im);
	v = qpdf_oh_parse(q, "<< /Type /XObject /Subtype /Image /Width 16 "
	    "/Height 16 /ColorSpace /DeviceGray /BitsPerComponent 8 >>");
	qpdf_oh_release(q, d);
	d = qpdf_oh_get_dict(q, im);
	{
		static const char *const keys[] = { "/Type", "/Subtype",
		    "/Width", "/Height", "/ColorSpace", "/BitsPerComponent" };
		size_t i;

		for (i = 0; i < 6; i++) {
			qpdf_oh x = qpdf_oh_get_key(q, v, keys[i]);

			qpdf_oh_replace_key(q, d, keys[i], x);
			qpdf_oh_release(q, x);
		}
	}
	qpdf_oh_release(q, v);
	if (img_xmp != NULL) {
		v = xmp_stream(q, img_xmp);
		qpdf_oh_replace_key(q, d, "/Metadata", v);
		qpdf_oh_release(q, v);
	}
	qpdf_oh_release(q, d);
	cs = qpdf_oh_new_name(q, "/DCTDecode");
	v = qpdf_oh_new_null(q);
	qpdf_oh_replace_stream_data(q, im, jpeg, jlen, cs, v);
	qpdf_oh_release(q, cs);
	qpdf_oh_release(q, v);
	res = qpdf_oh_parse(q, "<< /XObject << >> >>");
	v = qpdf_oh_get_key(q, res, "/XObject");
	qpdf_oh_replace_key(q, v, "/Im0", im);
	qpdf_oh_release(q, v);
	qpdf_oh_replace_key(q, page, "/Resources", res);
	v = qpdf_oh_new_stream(q);
	cs = qpdf_oh_new_null(q);
	qpdf_oh_replace_stream_data(q, v, (const unsigned char *)draw,
	    strlen(draw), cs, cs);
	qpdf_oh_release(q, cs);
	qpdf_oh_replace_key(q, page, "/Contents", v);
	qpdf_oh_release(q, v);
	if (page_xmp != NULL) {
		v = xmp_stream(q, page_xmp);
		qpdf_oh_replace_key(q, page, "/Metadata", v);
		qpdf_oh_release(q, v);
	}
	v = qpdf_make_indirect_object(q, page);
	ck_assert_int_eq(qpdf_add_page(q, q, v, 0) & QPDF_ERRORS, 0);
	qpdf_oh_release(q, v);
	if (cat != NULL) {
		root = qpdf_get_root(q);
		v = xmp_stream(q, cat);
		qpdf_oh_replace_key(q, root, "/Metadata", v);
		qpdf_oh_release(q, v);
		qpdf_oh_release(q, root);
	}
	if (info_key != NULL)
		qpdf_set_info_key(q, info_key, info_val);
	ck_assert_int_eq(qpdf_init_write(q, path) & QPDF_ERRORS, 0);
	ck_assert_int_eq(qpdf_write(q) & QPDF_ERRORS, 0);
	qpdf_oh_release(q, res);
	qpdf_oh_release(q, im);
	qpdf_oh_release(q, page);
	qpdf_cleanup(&q);
}

/* The problems of file 0 with code, as "V:msg" or "W:msg" lines. */
static void
problems(const struct zr_pdf_check_result *r, const char *code, char *buf,
    size_t n)
{
	size_t i, l;

	buf[0] = '\0';
	for (i = 0; i < r->files[0].nproblems; i++) {
		const struct zr_pdf_problem *p = &r->files[0].problems[i];

		if (strcmp(p->code, code) != 0)
			continue;
		l = strlen(buf);
		snprintf(buf + l, n - l, "%c:%s\n", p->severity ==
		    ZR_PDF_VIOLATION ? 'V' : 'W', p->msg);
	}
}

static void
check_one(const char *path, struct zr_pdf_check_result *r)
{
	struct zr_pdf_check_opts co;
	struct zr_error e;
	const char *paths[1] = { path };

	memset(&co, 0, sizeof(co));
	ck_assert_int_eq(zr_pdf_limits_at(ZR_D(2026, 2, 1), &co.limits, &e),
	    0);
	co.reserve = -1;
	ck_assert_msg(zr_pdf_check(paths, 1, &co, r, &e) == 0, "%s", e.msg);
}

START_TEST(check_finds_xmp)
{
	struct zr_pdf_check_result r;
	char dir[64], path[8][96], gps[1024], meta[1024], dmg[600];
	unsigned char *plain, *jgps, *jcre;
	size_t np, ng, nc;
	int i;

	zr_test_tmpdir(dir, sizeof(dir));
	for (i = 0; i < 8; i++)
		snprintf(path[i], sizeof(path[i]), "%s/f%d.pdf", dir, i);
	plain = jpeg_with("", 0, &np);
	jgps = jpeg_with(gps_xmp, 0, &ng);
	jcre = jpeg_with(creator_xmp, 1, &nc);
	/* Nothing private: ok. */
	write_pdf(path[0], NULL, NULL, NULL, plain, np, NULL, NULL);
	/* The catalog's XMP with a GPS position and a creator. */
	write_pdf(path[1], gps_xmp, NULL, NULL, plain, np, NULL, NULL);
	/* A page's XMP naming its creator; the Info's creator tool. */
	write_pdf(path[2], NULL, creator_xmp, NULL, plain, np, "/Creator",
	    "Scanner 2.1");
	/* The image's XMP stream with GPS. */
	write_pdf(path[3], NULL, NULL, gps_xmp, plain, np, NULL, NULL);
	/* A JPEG whose only metadata is XMP with GPS. */
	write_pdf(path[4], NULL, NULL, NULL, jgps, ng, NULL, NULL);
	/* A JPEG with XMP and IPTC naming people, not places. */
	write_pdf(path[5], NULL, NULL, NULL, jcre, nc, "/Author", " ");

	check_one(path[0], &r);
	ck_assert_int_eq(r.violations + r.warnings, 0);
	zr_pdf_check_free(&r);

	check_one(path[1], &r);
	problems(&r, "damaged", dmg, sizeof(dmg));
	ck_assert_str_eq(dmg, "");
	problems(&r, "gps", gps, sizeof(gps));
	problems(&r, "metadata", meta, sizeof(meta));
	ck_assert_str_eq(gps, "V:the document's XMP metadata has a GPS "
	    "position (exif:GPSLatitude, exif:GPSLongitude, dc:creator); "
	    "zr-pdfmerge leaves it out\n");
	ck_assert_str_eq(meta, "");
	ck_assert_int_eq(r.violations, 1);
	zr_pdf_check_free(&r);

	check_one(path[2], &r);
	problems(&r, "gps", gps, sizeof(gps));
	problems(&r, "metadata", meta, sizeof(meta));
	ck_assert_str_eq(gps, "");
	ck_assert_str_eq(meta, "W:the XMP metadata of 1 page has personal "
	    "data (first page 1: xmp:CreatorTool, dc:creator); zr-pdfmerge "
	    "removes it\nW:the document information has personal data "
	    "(/Creator); zr-pdfmerge leaves it out\n");
	ck_assert_int_eq(r.violations, 0);
	zr_pdf_check_free(&r);

	check_one(path[3], &r);
	problems(&r, "gps", gps, sizeof(gps));
	ck_assert_str_eq(gps, "V:1 image with an XMP GPS position (first on "
	    "page 1: exif:GPSLatitude, exif:GPSLongitude, dc:creator); "
	    "zr-pdfmerge removes it\n");
	zr_pdf_check_free(&r);

	/* The same severity and code as a GPS position in EXIF. */
	check_one(path[4], &r);
	problems(&r, "gps", gps, sizeof(gps));
	problems(&r, "metadata", meta, sizeof(meta));
	ck_assert_str_eq(gps, "V:1 image with an XMP GPS position (first on "
	    "page 1: exif:GPSLatitude, exif:GPSLongitude, dc:creator); "
	    "zr-pdfmerge removes it\n");
	ck_assert_str_eq(meta, "");
	ck_assert_int_eq(r.violations, 1);
	zr_pdf_check_free(&r);

	/* A blank /Author is none. */
	check_one(path[5], &r);
	problems(&r, "gps", gps, sizeof(gps));
	problems(&r, "metadata", meta, sizeof(meta));
	ck_assert_str_eq(gps, "");
	ck_assert_str_eq(meta, "W:images with personal data in their "
	    "metadata (first on page 1: xmp:CreatorTool, dc:creator, IPTC "
	    "By-line); zr-pdfmerge removes it\n");
	ck_assert_int_eq(r.violations, 0);
	zr_pdf_check_free(&r);

	/* Merged, none of it is left: the check passes; with
	 * --keep-metadata the images' part is still found. */
	{
		struct zr_pdf_input in[5];
		struct zr_pdf_opts o;
		struct zr_pdf_result mr;
		struct zr_error e;
		int keep;

		for (i = 0; i < 5; i++) {
			in[i].path = path[i + 1];
			in[i].title = NULL;
		}
		for (keep = 0; keep < 2; keep++) {
			memset(&o, 0, sizeof(o));
			o.source_date_epoch = -1;
			o.keep_metadata = keep;
			ck_assert_msg(zr_pdf_merge(in, 5, &o, &mr, &e) == 0,
			    "%s", e.msg);
			ck_assert_int_eq(zr_write_file(path[6 + keep], mr.pdf,
			    mr.pdf_len, 1, NULL, 0, &e), 0);
			zr_pdf_result_free(&mr);
			check_one(path[6 + keep], &r);
			problems(&r, "gps", gps, sizeof(gps));
			problems(&r, "metadata", meta, sizeof(meta));
			if (!keep) {
				ck_assert_str_eq(gps, "");
				ck_assert_str_eq(meta, "");
				ck_assert_int_eq(r.violations, 0);
			} else {
				ck_assert_ptr_nonnull(strstr(gps, "V:2 images "
				    "with an XMP GPS position (first on page "
				    "3: "));
			}
			zr_pdf_check_free(&r);
		}
	}
	free(plain);
	free(jgps);
	free(jcre);
	(void)zr_test_rmdir(dir);
}
END_TEST

/* The photo (without zr-photo's checks): GPS in its XMP is a violation. */
START_TEST(check_photo_xmp_gps)
{
	struct zr_pdf_check_result r;
	struct zr_error e;
	char dir[64], path[96], gps[600];
	unsigned char *j;
	size_t n;

	zr_test_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/photo.jpg", dir);
	j = jpeg_with(gps_xmp, 0, &n);
	ck_assert_int_eq(zr_write_file(path, j, n, 1, NULL, 0, &e), 0);
	free(j);
	check_one(path, &r);
	problems(&r, "gps", gps, sizeof(gps));
	ck_assert_str_eq(gps, "V:the photo has an XMP GPS position "
	    "(exif:GPSLatitude, exif:GPSLongitude, dc:creator) (zr-photo "
	    "writes it without)\n");
	zr_pdf_check_free(&r);
	(void)zr_test_rmdir(dir);
}
END_TEST

Suite *
zr_xmp_suite(void)
{
	Suite *s = suite_create("xmp");
	TCase *t = tcase_create("xmp");

	tcase_add_test(t, xmp_forms);
	tcase_add_test(t, xmp_encodings_and_junk);
	tcase_add_test(t, iptc_byline);
	tcase_add_test(t, jpeg_xmp);
	tcase_add_test(t, check_finds_xmp);
	tcase_add_test(t, check_photo_xmp_gps);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	return s;
}
