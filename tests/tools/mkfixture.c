/* mkfixture: write the small synthetic files the tests use instead of a
 * corpus of real-world files (tests/fixtures.sh calls it; nothing here is
 * a real person or a real document).  Every output is a pure function of
 * the arguments: the same command, the same bytes.
 *
 *   mkfixture jpeg OUT W H [rgb|gray|cmyk|rgbt] [QUALITY] [ORIENT]
 *       a synthetic scene (gradients, discs, a little seeded grain) as a
 *       baseline JPEG; rgbt is RGB without the YCbCr transform (Adobe
 *       marker); ORIENT 2..8 stores the pixels so that the EXIF
 *       orientation tag ORIENT (written in an APP1) shows the scene upright
 *   mkfixture jpeg-giant OUT W H
 *       a tiny gray JPEG whose frame header claims W x H (a pixel bomb)
 *   mkfixture png OUT W H [rgb|rgba|gray]
 *   mkfixture pdf-text OUT PAGES        Letter pages with a line of text
 *   mkfixture pdf-scan OUT W H DPI      one page: a gray JPEG scan at DPI
 *   mkfixture pdf-form OUT              one page with a text field "Text2"
 *   mkfixture pdf-badxref OUT           pdf-text 1 with a wrong xref entry
 *   mkfixture pdf-badjpeg OUT           a DCTDecode image that is no JPEG
 */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

static void
die(const char *msg)
{
	fprintf(stderr, "mkfixture: %s\n", msg);
	exit(2);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

/* ---- the scene ---- */

static unsigned long grain_seed;

static unsigned
grain(void)
{
	grain_seed = grain_seed * 1103515245UL + 12345UL;
	return (unsigned)(grain_seed >> 16) & 15U;
}

/* Colour of the upright scene at (x, y) of a w x h picture. */
static void
scene(long x, long y, long w, long h, unsigned char rgb[3])
{
	long cx = w / 3, cy = h / 3, r = (w < h ? w : h) / 4;
	long dx = x - cx, dy = y - cy;
	long ex = x - 2 * w / 3, ey = y - 3 * h / 4, er = r / 2 + 1;
	unsigned g = grain();
	int c0 = (int)(40 + 160 * x / (w ? w : 1));
	int c1 = (int)(60 + 150 * y / (h ? h : 1));
	int c2 = (int)(200 - 120 * (x + y) / (w + h ? w + h : 1));

	if (dx * dx + dy * dy < r * r) {
		c0 = 230, c1 = 180, c2 = 40;          /* a yellow disc */
	} else if (ex * ex + ey * ey < er * er) {
		c0 = 30, c1 = 90, c2 = 200;           /* a blue disc */
	} else if (y > h * 7 / 8 && (x * 40 / (w ? w : 1)) % 3 == 0) {
		c0 = c1 = c2 = 20;                    /* a barcode-like strip */
	} else if (x < w / 2 && y < h / 2 && (y * 24 / (h ? h : 1)) % 2 == 0 &&
	    (x * 16 / (w ? w : 1)) % 5 != 4) {
		c0 = c1 = c2 = 35;                    /* lines of "text" */
	} else if (x > w * 3 / 5 && y < h / 3 &&
	    ((x + 2 * y) * 20 / (w ? w : 1)) % 2 == 0) {
		c0 = 180, c1 = 40, c2 = 60;           /* red diagonal stripes */
	}
	rgb[0] = (unsigned char)(c0 + (int)g > 255 ? 255 : c0 + (int)g);
	rgb[1] = (unsigned char)(c1 + (int)g > 255 ? 255 : c1 + (int)g);
	rgb[2] = (unsigned char)(c2 + (int)g > 255 ? 255 : c2 + (int)g);
}

/* Stored pixel (sx, sy) of a picture shown upright with EXIF orientation
 * o; dw x dh is the size shown.  Fills the upright coordinates. */
static void
unorient(int o, long sx, long sy, long dw, long dh, long *x, long *y)
{
	switch (o) {
	case 2: *x = dw - 1 - sx; *y = sy; break;
	case 3: *x = dw - 1 - sx; *y = dh - 1 - sy; break;
	case 4: *x = sx; *y = dh - 1 - sy; break;
	case 5: *x = sy; *y = sx; break;
	case 6: *x = dw - 1 - sy; *y = sx; break;
	case 7: *x = dw - 1 - sy; *y = dh - 1 - sx; break;
	case 8: *x = sy; *y = dh - 1 - sx; break;
	default: *x = sx; *y = sy; break;
	}
}

/* ---- JPEG ---- */

static void
exif_orientation(j_compress_ptr c, int o)
{
	/* "Exif\0\0", a big-endian TIFF header, IFD0 with one entry:
	 * 0x0112 Orientation, SHORT, count 1. */
	unsigned char b[] = { 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42,
		0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
		0, (unsigned char)o, 0, 0, 0, 0, 0, 0 };

	jpeg_write_marker(c, JPEG_APP0 + 1, b, sizeof(b));
}

static unsigned char *
jpeg_make(long dw, long dh, const char *kind, int quality, int orient,
    int dpi, unsigned long *len)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr err;
	unsigned char *mem = NULL;
	unsigned long n = 0;
	int swap = orient >= 5 && orient <= 8;
	long sw = swap ? dh : dw, sh = swap ? dw : dh;
	int comps = 3;
	JSAMPROW row;

	c.err = jpeg_std_error(&err);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &n);
	c.image_width = (JDIMENSION)sw;
	c.image_height = (JDIMENSION)sh;
	if (strcmp(kind, "gray") == 0) {
		c.input_components = comps = 1;
		c.in_color_space = JCS_GRAYSCALE;
	} else if (strcmp(kind, "cmyk") == 0) {
		c.input_components = comps = 4;
		c.in_color_space = JCS_CMYK;
	} else {
		c.input_components = 3;
		c.in_color_space = JCS_RGB;
	}
	jpeg_set_defaults(&c);
	if (strcmp(kind, "rgbt") == 0)
		jpeg_set_colorspace(&c, JCS_RGB);
	jpeg_set_quality(&c, quality, TRUE);
	if (dpi > 0) {
		c.density_unit = 1;
		c.X_density = c.Y_density = (UINT16)dpi;
	}
	jpeg_start_compress(&c, TRUE);
	if (orient >= 2 && orient <= 8)
		exif_orientation(&c, orient);
	row = xmalloc((size_t)sw * (size_t)comps);
	grain_seed = 1;
	for (long sy = 0; sy < sh; sy++) {
		for (long sx = 0; sx < sw; sx++) {
			long x, y;
			unsigned char rgb[3], *p = row + sx * comps;

			unorient(orient, sx, sy, dw, dh, &x, &y);
			scene(x, y, dw, dh, rgb);
			if (comps == 1) {
				p[0] = (unsigned char)((rgb[0] * 3 + rgb[1] * 6 +
				    rgb[2]) / 10);
			} else if (comps == 4) {
				/* Adobe CMYK JPEGs store inverted inks: 255 -
				 * cyan is the red level, no black ink is 255. */
				memcpy(p, rgb, 3);
				p[3] = 255;
			} else {
				memcpy(p, rgb, 3);
			}
		}
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	*len = n;
	return mem;
}

static void
write_all(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(p, 1, n, fp) != n || fclose(fp) != 0)
		die("cannot write the output");
}

/* ---- PNG ---- */

static void
png_make(const char *path, long w, long h, const char *kind)
{
	png_image im;
	int comps = strcmp(kind, "gray") == 0 ? 1 :
	    strcmp(kind, "rgba") == 0 ? 4 : 3;
	unsigned char *px = xmalloc((size_t)w * (size_t)h * (size_t)comps);

	grain_seed = 1;
	for (long y = 0; y < h; y++)
		for (long x = 0; x < w; x++) {
			unsigned char rgb[3], *p = px + (y * w + x) * comps;

			scene(x, y, w, h, rgb);
			if (comps == 1) {
				p[0] = rgb[1];
			} else {
				memcpy(p, rgb, 3);
				if (comps == 4) /* transparent margin */
					p[3] = (x < w / 10 || y < h / 10) ? 0 : 255;
			}
		}
	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	im.width = (png_uint_32)w;
	im.height = (png_uint_32)h;
	im.format = comps == 1 ? PNG_FORMAT_GRAY :
	    comps == 4 ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
	if (!png_image_write_to_file(&im, path, 0, px, 0, NULL))
		die(im.message);
	free(px);
}

/* ---- PDF: a tiny writer with an exact cross-reference table ---- */

struct pdf {
	unsigned char *b;
	size_t n, cap;
	size_t off[64];
	int nobj;
};

static void
put(struct pdf *d, const void *p, size_t n)
{
	if (d->n + n > d->cap) {
		d->cap = (d->n + n) * 2 + 1024;
		if ((d->b = realloc(d->b, d->cap)) == NULL)
			die("out of memory");
	}
	memcpy(d->b + d->n, p, n);
	d->n += n;
}

static void
putf(struct pdf *d, const char *fmt, ...)
{
	char s[4096];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(s))
		die("PDF object too long");
	put(d, s, (size_t)k);
}

/* Start object number n (1, 2, ... in order). */
static void
obj(struct pdf *d, int n)
{
	if (n != d->nobj + 1 || n >= 64)
		die("objects out of order");
	d->nobj = n;
	d->off[n] = d->n;
	putf(d, "%d 0 obj\n", n);
}

static void
stream(struct pdf *d, int n, const char *dict, const void *p, size_t len)
{
	obj(d, n);
	putf(d, "<< %s /Length %zu >>\nstream\n", dict, len);
	put(d, p, len);
	putf(d, "\nendstream\nendobj\n");
}

/* Object 1 is the catalog, 2 the page tree; badobj > 0 gets a wrong
 * offset in the xref table. */
static void
pdf_finish(struct pdf *d, const char *path, int badobj)
{
	size_t x = d->n;

	putf(d, "xref\n0 %d\n0000000000 65535 f \n", d->nobj + 1);
	for (int i = 1; i <= d->nobj; i++)
		putf(d, "%010zu 00000 n \n",
		    i == badobj ? d->off[i] + 7 : d->off[i]);
	putf(d, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	    d->nobj + 1, x);
	write_all(path, d->b, d->n);
	free(d->b);
}

static void
pdf_start(struct pdf *d)
{
	memset(d, 0, sizeof(*d));
	putf(d, "%%PDF-1.7\n%%\342\343\317\323\n");
}

/* Pages with a line of text each: objects 1 catalog, 2 pages, 3 font,
 * then page and content per page. */
static void
pdf_text(const char *path, int pages, int badxref)
{
	struct pdf d;
	char kids[1024] = "";

	if (pages < 1 || pages > 25)
		die("1 to 25 pages");
	pdf_start(&d);
	obj(&d, 1);
	putf(&d, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	for (int i = 0; i < pages; i++) {
		size_t k = strlen(kids);
		snprintf(kids + k, sizeof(kids) - k, "%d 0 R ", 4 + 2 * i);
	}
	obj(&d, 2);
	putf(&d, "<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n", kids,
	    pages);
	obj(&d, 3);
	putf(&d, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\n"
	    "endobj\n");
	for (int i = 0; i < pages; i++) {
		char c[256];
		int k = snprintf(c, sizeof(c), "BT /F1 18 Tf 72 700 Td "
		    "(Invented test page %d of %d) Tj ET\n", i + 1, pages);

		obj(&d, 4 + 2 * i);
		putf(&d, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
		    "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>\n"
		    "endobj\n", 5 + 2 * i);
		stream(&d, 5 + 2 * i, "", c, (size_t)k);
	}
	pdf_finish(&d, path, badxref ? 3 : 0);
}

/* One page showing an image (DCTDecode data, gray or RGB) at dpi. */
static void
pdf_image(const char *path, const unsigned char *jpg, size_t len, long w,
    long h, int gray, int dpi)
{
	struct pdf d;
	char dict[256], c[256];
	double pw = (double)w * 72.0 / dpi, ph = (double)h * 72.0 / dpi;
	int k;

	pdf_start(&d);
	obj(&d, 1);
	putf(&d, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	obj(&d, 2);
	putf(&d, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	obj(&d, 3);
	putf(&d, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
	    "/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>\n"
	    "endobj\n", pw, ph);
	snprintf(dict, sizeof(dict), "/Type /XObject /Subtype /Image "
	    "/Width %ld /Height %ld /ColorSpace /%s /BitsPerComponent 8 "
	    "/Filter /DCTDecode", w, h, gray ? "DeviceGray" : "DeviceRGB");
	stream(&d, 4, dict, jpg, len);
	k = snprintf(c, sizeof(c), "q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q\n", pw,
	    ph);
	stream(&d, 5, "", c, (size_t)k);
	pdf_finish(&d, path, 0);
}

/* A page with an AcroForm text field named Text2. */
static void
pdf_form(const char *path)
{
	struct pdf d;
	static const char c[] = "BT /F1 14 Tf 72 720 Td (Invented form) Tj ET\n";
	static const char ap[] = "/Tx BMC BT /F1 12 Tf 2 6 Td (sample) Tj ET EMC\n";

	pdf_start(&d);
	obj(&d, 1);
	putf(&d, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] "
	    "/DA (/F1 12 Tf 0 g) /DR << /Font << /F1 4 0 R >> >> >> >>\n"
	    "endobj\n");
	obj(&d, 2);
	putf(&d, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	obj(&d, 3);
	putf(&d, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
	    "/Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R "
	    "/Annots [5 0 R] >>\nendobj\n");
	obj(&d, 4);
	putf(&d, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\n"
	    "endobj\n");
	obj(&d, 5);
	putf(&d, "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Text2) "
	    "/V (sample) /Rect [72 600 300 624] /P 3 0 R /F 4 "
	    "/DA (/F1 12 Tf 0 g) /AP << /N 7 0 R >> >>\nendobj\n");
	stream(&d, 6, "", c, sizeof(c) - 1);
	stream(&d, 7, "/Type /XObject /Subtype /Form /BBox [0 0 228 24] "
	    "/Resources << /Font << /F1 4 0 R >> >>", ap, sizeof(ap) - 1);
	pdf_finish(&d, path, 0);
}

static long
num(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		die("bad number");
	return v;
}

int
main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "", *out = argc > 2 ? argv[2] : "";
	unsigned char *j;
	unsigned long n;

	if (strcmp(cmd, "jpeg") == 0 && argc >= 5 && argc <= 8) {
		long w = num(argv[3], 1, 30000), h = num(argv[4], 1, 30000);
		const char *kind = argc > 5 ? argv[5] : "rgb";
		int q = argc > 6 ? (int)num(argv[6], 1, 100) : 90;
		int o = argc > 7 ? (int)num(argv[7], 1, 8) : 1;

		j = jpeg_make(w, h, kind, q, o, 0, &n);
		write_all(out, j, n);
		free(j);
	} else if (strcmp(cmd, "jpeg-giant") == 0 && argc == 5) {
		long w = num(argv[3], 1, 65535), h = num(argv[4], 1, 65535);

		j = jpeg_make(8, 8, "gray", 50, 1, 0, &n);
		/* Patch the SOF0 frame header: FFC0, length, precision, H, W. */
		for (unsigned long i = 2; i + 9 < n; i++)
			if (j[i] == 0xFF && j[i + 1] == 0xC0) {
				j[i + 5] = (unsigned char)(h >> 8);
				j[i + 6] = (unsigned char)h;
				j[i + 7] = (unsigned char)(w >> 8);
				j[i + 8] = (unsigned char)w;
				break;
			}
		write_all(out, j, n);
		free(j);
	} else if (strcmp(cmd, "png") == 0 && (argc == 5 || argc == 6)) {
		png_make(out, num(argv[3], 1, 30000), num(argv[4], 1, 30000),
		    argc > 5 ? argv[5] : "rgb");
	} else if (strcmp(cmd, "pdf-text") == 0 && argc == 4) {
		pdf_text(out, (int)num(argv[3], 1, 25), 0);
	} else if (strcmp(cmd, "pdf-badxref") == 0 && argc == 3) {
		pdf_text(out, 1, 1);
	} else if (strcmp(cmd, "pdf-scan") == 0 && argc == 6) {
		long w = num(argv[3], 1, 10000), h = num(argv[4], 1, 10000);
		int dpi = (int)num(argv[5], 10, 1200);

		j = jpeg_make(w, h, "gray", 75, 1, dpi, &n);
		pdf_image(out, j, n, w, h, 1, dpi);
		free(j);
	} else if (strcmp(cmd, "pdf-badjpeg") == 0 && argc == 3) {
		static const unsigned char junk[] = "this is not JPEG data at all";

		pdf_image(out, junk, sizeof(junk) - 1, 400, 480, 0, 150);
	} else if (strcmp(cmd, "pdf-form") == 0 && argc == 3) {
		pdf_form(out);
	} else {
		fprintf(stderr, "usage: mkfixture jpeg|png|pdf-text|pdf-scan|"
		    "pdf-form|pdf-badxref|pdf-badjpeg OUT ...\n");
		return 2;
	}
	return 0;
}
