/* mktiff: synthetic scanner and fax TIFFs for the zr-pdfmerge tests, with
 * the pixels each page should show (nothing real; the same arguments
 * give the same bytes).
 *
 *   mktiff OUT KIND W H DPI PAGES
 *       KIND: g4 (CCITT Group 4, one strip, WhiteIsZero), g4mb (the same
 *       BlackIsZero), g4strips (G4 in strips of 64 rows), g4lsb
 *       (FillOrder 2), g4rot (Orientation 6), packbits (bilevel
 *       PackBits), lzw (RGB, LZW), jpeg (RGB, JPEG), gray16 (16-bit gray,
 *       Deflate), palette (8-bit palette, PackBits), cmyk (8-bit CMYK,
 *       LZW), thumb (G4 pages, each after a reduced-resolution copy);
 *       DPI 0 writes no resolution.
 *   Beside OUT, OUT.N.pnm (N = 1..PAGES) holds page N's pixels as
 *   stored (PBM for bilevel, PGM for gray, PPM for the rest; CMYK as the
 *   naive RGB, 255 - C - K etc.).
 */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

static void
die(const char *msg)
{
	fprintf(stderr, "mktiff: %s\n", msg);
	exit(2);
}

/* Page p's bilevel pattern: 1 = black ("ink"). */
static int
ink(uint32_t x, uint32_t y, uint32_t w, uint32_t h, int p)
{
	uint32_t m = w / 10 + 1;

	if (x < m || y < m || x >= w - m || y >= h - m)
		return 0;
	/* "Lines of text": bars whose lengths depend on the row and page. */
	if ((y / 6) % 3 == 0 && x < m + ((y * 7 + (uint32_t)p * 131) %
	    (w - 2 * m)))
		return ((x / 5) % 4) != 3;
	/* A box in the corner, a different one per page. */
	return x > w / 2 && y > h / 2 && x < w / 2 + (uint32_t)(p + 1) * m &&
	    y < h / 2 + m;
}

static void
color(uint32_t x, uint32_t y, uint32_t w, uint32_t h, int p,
    unsigned char rgb[3])
{
	rgb[0] = (unsigned char)(x * 255 / (w > 1 ? w - 1 : 1));
	rgb[1] = (unsigned char)(y * 255 / (h > 1 ? h - 1 : 1));
	rgb[2] = (unsigned char)(((x / 16 + y / 16 + (uint32_t)p) % 2) ? 200 :
	    40);
	if (ink(x, y, w, h, p))
		rgb[0] = rgb[1] = rgb[2] = 0;
}

int
main(int argc, char **argv)
{
	const char *out, *kind;
	uint32_t w, h, x, y;
	int dpi, pages, p, bilevel, g4, spp = 3, bps = 8;
	uint16_t photo = PHOTOMETRIC_RGB, comp = COMPRESSION_LZW;
	uint16_t pal[3][256];
	TIFF *t;
	FILE *f;
	char name[4096];
	unsigned char *row;

	if (argc != 7)
		die("usage: mktiff OUT KIND W H DPI PAGES");
	out = argv[1];
	kind = argv[2];
	w = (uint32_t)strtoul(argv[3], NULL, 10);
	h = (uint32_t)strtoul(argv[4], NULL, 10);
	dpi = atoi(argv[5]);
	pages = atoi(argv[6]);
	if (w < 16 || h < 16 || w > 20000 || h > 20000 || pages < 1)
		die("bad size or page count");
	bilevel = strncmp(kind, "g4", 2) == 0 || strcmp(kind, "packbits") ==
	    0 || strcmp(kind, "thumb") == 0;
	g4 = bilevel && strcmp(kind, "packbits") != 0;
	if ((t = TIFFOpen(out, "w")) == NULL)
		die("cannot write the TIFF");
	row = malloc((size_t)w * 8);
	if (row == NULL)
		die("out of memory");
	for (p = 0; p < pages; p++) {
		int thumb = strcmp(kind, "thumb") == 0;
		int sub;

		for (sub = thumb; sub >= 0; sub--) {
			/* sub 1: a quarter-size copy before the page. */
			uint32_t ww = sub ? w / 4 : w, hh = sub ? h / 4 : h;

			TIFFSetField(t, TIFFTAG_IMAGEWIDTH, ww);
			TIFFSetField(t, TIFFTAG_IMAGELENGTH, hh);
			TIFFSetField(t, TIFFTAG_PLANARCONFIG,
			    PLANARCONFIG_CONTIG);
			if (sub)
				TIFFSetField(t, TIFFTAG_SUBFILETYPE,
				    FILETYPE_REDUCEDIMAGE);
			else if (pages > 1)
				TIFFSetField(t, TIFFTAG_SUBFILETYPE,
				    FILETYPE_PAGE);
			if (pages > 1)
				TIFFSetField(t, TIFFTAG_PAGENUMBER, p, pages);
			if (dpi > 0) {
				TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)dpi);
				TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)dpi);
				TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT,
				    RESUNIT_INCH);
			}
			if (bilevel) {
				spp = 1;
				bps = 1;
				photo = strcmp(kind, "g4mb") == 0 ?
				    PHOTOMETRIC_MINISBLACK :
				    PHOTOMETRIC_MINISWHITE;
				comp = g4 ? COMPRESSION_CCITTFAX4 :
				    COMPRESSION_PACKBITS;
				if (strcmp(kind, "g4lsb") == 0)
					TIFFSetField(t, TIFFTAG_FILLORDER,
					    FILLORDER_LSB2MSB);
				if (strcmp(kind, "g4rot") == 0)
					TIFFSetField(t, TIFFTAG_ORIENTATION,
					    ORIENTATION_RIGHTTOP);
			} else if (strcmp(kind, "lzw") == 0) {
				comp = COMPRESSION_LZW;
			} else if (strcmp(kind, "jpeg") == 0) {
				comp = COMPRESSION_JPEG;
			} else if (strcmp(kind, "gray16") == 0) {
				spp = 1;
				bps = 16;
				photo = PHOTOMETRIC_MINISBLACK;
				comp = COMPRESSION_ADOBE_DEFLATE;
			} else if (strcmp(kind, "palette") == 0) {
				int i;

				spp = 1;
				photo = PHOTOMETRIC_PALETTE;
				comp = COMPRESSION_PACKBITS;
				for (i = 0; i < 256; i++) {
					pal[0][i] = (uint16_t)(i * 257);
					pal[1][i] = (uint16_t)((255 - i) * 257);
					pal[2][i] = (uint16_t)((i * 3 % 256) *
					    257);
				}
				/* The map's size comes from BitsPerSample. */
				TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
				TIFFSetField(t, TIFFTAG_COLORMAP, pal[0],
				    pal[1], pal[2]);
			} else if (strcmp(kind, "cmyk") == 0) {
				spp = 4;
				photo = PHOTOMETRIC_SEPARATED;
				comp = COMPRESSION_LZW;
				TIFFSetField(t, TIFFTAG_INKSET, INKSET_CMYK);
			} else if (strcmp(kind, "lzw") != 0)
				die("unknown kind");
			TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bps);
			TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, spp);
			TIFFSetField(t, TIFFTAG_PHOTOMETRIC, photo);
			TIFFSetField(t, TIFFTAG_COMPRESSION, comp);
			if (comp == COMPRESSION_JPEG)
				TIFFSetField(t, TIFFTAG_JPEGQUALITY, 90);
			TIFFSetField(t, TIFFTAG_ROWSPERSTRIP,
			    strcmp(kind, "g4strips") == 0 ? 64 :
			    comp == COMPRESSION_JPEG ? 16 : hh);
			f = NULL;
			if (!sub) {
				snprintf(name, sizeof(name), "%s.%d.pnm", out,
				    p + 1);
				if ((f = fopen(name, "wb")) == NULL)
					die("cannot write the pixels");
				fprintf(f, "P%d\n%u %u\n%s", bilevel ? 4 :
				    spp == 1 && photo != PHOTOMETRIC_PALETTE ?
				    5 : 6, (unsigned)ww, (unsigned)hh,
				    bilevel ? "" : "255\n");
			}
			for (y = 0; y < hh; y++) {
				size_t rb = bilevel ? (ww + 7) / 8 :
				    (size_t)ww * (size_t)spp * (size_t)(bps / 8);
				unsigned char rgb[3];

				memset(row, 0, rb);
				for (x = 0; x < ww; x++) {
					color(x, y, ww, hh, p, rgb);
					if (bilevel) {
						int b = ink(x, y, ww, hh, p);

						/* BlackIsZero stores ink as 0. */
						if (photo ==
						    PHOTOMETRIC_MINISBLACK)
							b = !b;
						if (b)
							row[x / 8] |= (unsigned
							    char)(0x80 >> (x % 8));
					} else if (bps == 16) {
						row[2 * x] = rgb[0];
						row[2 * x + 1] = rgb[0];
					} else if (photo ==
					    PHOTOMETRIC_PALETTE)
						row[x] = rgb[0];
					else if (spp == 4) {
						row[4 * x] = (unsigned char)
						    (255 - rgb[0]);
						row[4 * x + 1] = (unsigned char)
						    (255 - rgb[1]);
						row[4 * x + 2] = (unsigned char)
						    (255 - rgb[2]);
						row[4 * x + 3] = 0;
					} else
						memcpy(row + 3 * x, rgb, 3);
				}
				if (bps == 16) {
					/* Native byte order, as libtiff wants. */
					uint16_t *r16 = (uint16_t *)(void *)row;

					for (x = 0; x < ww; x++)
						r16[x] = (uint16_t)(row[2 * x] *
						    257);
				}
				if (TIFFWriteScanline(t, row, y, 0) < 0)
					die("cannot write a row");
				if (f == NULL)
					continue;
				if (bilevel) {
					/* PBM: 1 is black, whatever the TIFF. */
					unsigned char pb[2500];
					size_t k;

					memset(pb, 0, rb);
					for (x = 0; x < ww; x++)
						if (ink(x, y, ww, hh, p))
							pb[x / 8] |= (unsigned
							    char)(0x80 >> (x % 8));
					k = fwrite(pb, 1, rb, f);
					(void)k;
				} else {
					for (x = 0; x < ww; x++) {
						color(x, y, ww, hh, p, rgb);
						if (photo ==
						    PHOTOMETRIC_PALETTE) {
							unsigned char c[3];

							c[0] = (unsigned char)(pal
							    [0][rgb[0]] >> 8);
							c[1] = (unsigned char)(pal
							    [1][rgb[0]] >> 8);
							c[2] = (unsigned char)(pal
							    [2][rgb[0]] >> 8);
							fwrite(c, 1, 3, f);
						} else if (spp == 1)
							fputc(rgb[0], f);
						else
							fwrite(rgb, 1, 3, f);
					}
				}
			}
			if (f != NULL && fclose(f) != 0)
				die("cannot write the pixels");
			if (!TIFFWriteDirectory(t))
				die("cannot write a directory");
		}
	}
	TIFFClose(t);
	free(row);
	return 0;
}
