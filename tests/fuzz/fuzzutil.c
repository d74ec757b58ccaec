/* zairyu-tools: helpers the fuzz targets share (see fuzzutil.h). */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <poppler.h>

#include "fuzzutil.h"

#define NSLOTS 8

static struct {
	char path[4096];
	int fd;
} slots[NSLOTS];
static char font_path[4096];
static int registered;

static void
cleanup(void)
{
	int i;

	for (i = 0; i < NSLOTS; i++)
		if (slots[i].path[0] != '\0') {
			close(slots[i].fd);
			unlink(slots[i].path);
		}
	if (font_path[0] != '\0')
		unlink(font_path);
}

static int
make_temp(char *path, size_t n, const char *what, const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(path, n, "%s/zr-fuzz-%s-XXXXXX%s", dir, what, suffix);
	if ((fd = mkstemps(path, (int)strlen(suffix))) < 0) {
		path[0] = '\0';
		return -1;
	}
	if (!registered) {
		atexit(cleanup);
		registered = 1;
	}
	return fd;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	off_t off = 0;
	ssize_t w;

	if (ftruncate(fd, 0) < 0)
		return -1;
	while (len > 0) {
		if ((w = pwrite(fd, p, len, off)) <= 0)
			return -1;
		p += w;
		off += w;
		len -= (size_t)w;
	}
	return 0;
}

const char *
fuzz_file_named(int slot, const char *suffix, const void *data, size_t len)
{
	if (slot < 0 || slot >= NSLOTS)
		return NULL;
	if (slots[slot].path[0] == '\0' && (slots[slot].fd = make_temp(
	    slots[slot].path, sizeof(slots[slot].path), "in", suffix)) < 0)
		return NULL;
	if (write_all(slots[slot].fd, data, len) < 0)
		return NULL;
	return slots[slot].path;
}

const char *
fuzz_file(int slot, const void *data, size_t len)
{
	return fuzz_file_named(slot, "", data, len);
}

/* ---- the tiny TrueType font ---- */

struct buf {
	unsigned char b[4096];
	size_t n;
};

static void
u8(struct buf *b, unsigned v)
{
	if (b->n < sizeof(b->b))
		b->b[b->n++] = (unsigned char)v;
}

static void
u16(struct buf *b, unsigned v)
{
	u8(b, v >> 8 & 0xff);
	u8(b, v & 0xff);
}

static void
u32(struct buf *b, unsigned long v)
{
	u16(b, (unsigned)(v >> 16 & 0xffff));
	u16(b, (unsigned)(v & 0xffff));
}

static void
text(struct buf *b, const char *s, int utf16)
{
	for (; *s != '\0'; s++) {
		if (utf16)
			u8(b, 0);
		u8(b, (unsigned char)*s);
	}
}

static unsigned long
checksum(const unsigned char *p, size_t n)
{
	unsigned long s = 0;
	size_t i;

	for (i = 0; i < n; i += 4)
		s += (unsigned long)p[i] << 24 |
		    (unsigned long)(i + 1 < n ? p[i + 1] : 0) << 16 |
		    (unsigned long)(i + 2 < n ? p[i + 2] : 0) << 8 |
		    (unsigned long)(i + 3 < n ? p[i + 3] : 0);
	return s & 0xffffffffUL;
}

#define NGLYPHS 96      /* .notdef and U+0020..U+007E */
#define NTABLES 13

static int
build_font(struct buf *out)
{
	/* In tag order, as the table directory wants them. */
	static const char tags[NTABLES][5] = { "OS/2", "cmap", "cvt ",
		"fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp",
		"name", "post", "prep" };
	static struct buf t[NTABLES];
	size_t off, i, head_off = 0;
	unsigned g;

	memset(t, 0, sizeof(t));
	/* OS/2, version 1 (86 bytes): installable embedding (fsType 0). */
	u16(&t[0], 1); u16(&t[0], 500); u16(&t[0], 400); u16(&t[0], 5);
	u16(&t[0], 0);
	u16(&t[0], 650); u16(&t[0], 600); u16(&t[0], 0); u16(&t[0], 75);
	u16(&t[0], 650); u16(&t[0], 600); u16(&t[0], 0); u16(&t[0], 350);
	u16(&t[0], 50); u16(&t[0], 250); u16(&t[0], 0);
	for (i = 0; i < 10; i++)
		u8(&t[0], 0);                   /* PANOSE */
	u32(&t[0], 1); u32(&t[0], 0); u32(&t[0], 0); u32(&t[0], 0);
	text(&t[0], "ZRFZ", 0);
	u16(&t[0], 0x40); u16(&t[0], 0x20); u16(&t[0], 0x7e);
	u16(&t[0], 800); u16(&t[0], 0x10000 - 200); u16(&t[0], 0);
	u16(&t[0], 800); u16(&t[0], 200);
	u32(&t[0], 1); u32(&t[0], 0);
	/* cmap: (3,1) format 4, U+0020..U+007E to glyphs 1..95. */
	u16(&t[1], 0); u16(&t[1], 1); u16(&t[1], 3); u16(&t[1], 1);
	u32(&t[1], 12);
	u16(&t[1], 4); u16(&t[1], 32); u16(&t[1], 0);
	u16(&t[1], 4); u16(&t[1], 4); u16(&t[1], 1); u16(&t[1], 0);
	u16(&t[1], 0x7e); u16(&t[1], 0xffff); u16(&t[1], 0);
	u16(&t[1], 0x20); u16(&t[1], 0xffff);
	u16(&t[1], (1 - 0x20) & 0xffff); u16(&t[1], 1);
	u16(&t[1], 0); u16(&t[1], 0);
	/* cvt, fpgm, prep: a little of each (SVTCA instructions). */
	u32(&t[2], 0);
	u32(&t[3], 0);
	u32(&t[12], 0);
	/* glyf: every glyph an outline header without contours. */
	for (g = 0; g < NGLYPHS; g++) {
		u16(&t[4], 0); u16(&t[4], 0); u16(&t[4], 0);
		u16(&t[4], 500); u16(&t[4], 700); u16(&t[4], 0);
	}
	/* head */
	u32(&t[5], 0x00010000UL); u32(&t[5], 0x00010000UL); u32(&t[5], 0);
	u32(&t[5], 0x5F0F3CF5UL); u16(&t[5], 0x000B); u16(&t[5], 1000);
	u32(&t[5], 0); u32(&t[5], 0); u32(&t[5], 0); u32(&t[5], 0);
	u16(&t[5], 0); u16(&t[5], 0x10000 - 200); u16(&t[5], 500);
	u16(&t[5], 800); u16(&t[5], 0); u16(&t[5], 8); u16(&t[5], 2);
	u16(&t[5], 0); u16(&t[5], 0);
	/* hhea */
	u32(&t[6], 0x00010000UL); u16(&t[6], 800); u16(&t[6], 0x10000 - 200);
	u16(&t[6], 0); u16(&t[6], 500); u16(&t[6], 0); u16(&t[6], 0);
	u16(&t[6], 500); u16(&t[6], 1); u16(&t[6], 0); u16(&t[6], 0);
	u32(&t[6], 0); u32(&t[6], 0); u16(&t[6], 0); u16(&t[6], NGLYPHS);
	/* hmtx, loca (short offsets, in words) */
	for (g = 0; g < NGLYPHS; g++) {
		u16(&t[7], 500);
		u16(&t[7], 0);
	}
	for (g = 0; g <= NGLYPHS; g++)
		u16(&t[8], g * 6);
	/* maxp 1.0 */
	u32(&t[9], 0x00010000UL); u16(&t[9], NGLYPHS); u16(&t[9], 4);
	u16(&t[9], 1);
	for (i = 0; i < 3; i++)
		u16(&t[9], i == 2 ? 2 : 0);
	for (i = 0; i < 8; i++)
		u16(&t[9], 0);
	/* name: the PostScript and subfamily names, Macintosh and Windows
	 * (libharu wants IDs 6 and 2). */
	u16(&t[10], 0); u16(&t[10], 4); u16(&t[10], 6 + 4 * 12);
	u16(&t[10], 1); u16(&t[10], 0); u16(&t[10], 0); u16(&t[10], 2);
	u16(&t[10], 7); u16(&t[10], 6);
	u16(&t[10], 1); u16(&t[10], 0); u16(&t[10], 0); u16(&t[10], 6);
	u16(&t[10], 6); u16(&t[10], 0);
	u16(&t[10], 3); u16(&t[10], 1); u16(&t[10], 0x409); u16(&t[10], 2);
	u16(&t[10], 14); u16(&t[10], 25);
	u16(&t[10], 3); u16(&t[10], 1); u16(&t[10], 0x409); u16(&t[10], 6);
	u16(&t[10], 12); u16(&t[10], 13);
	text(&t[10], "ZrFuzz", 0);
	text(&t[10], "Regular", 0);
	text(&t[10], "ZrFuzz", 1);
	text(&t[10], "Regular", 1);
	/* post 3.0 */
	u32(&t[11], 0x00030000UL); u32(&t[11], 0); u16(&t[11], 0x10000 - 100);
	u16(&t[11], 50);
	for (i = 0; i < 5; i++)
		u32(&t[11], 0);

	out->n = 0;
	u32(out, 0x00010000UL);
	u16(out, NTABLES); u16(out, 128); u16(out, 3); u16(out, NTABLES * 16 - 128);
	off = 12 + 16 * NTABLES;
	for (i = 0; i < NTABLES; i++) {
		text(out, tags[i], 0);
		u32(out, checksum(t[i].b, t[i].n));
		u32(out, off);
		u32(out, t[i].n);
		if (i == 5)
			head_off = off;
		off += (t[i].n + 3) & ~(size_t)3;
	}
	for (i = 0; i < NTABLES; i++) {
		memcpy(out->b + out->n, t[i].b, t[i].n);
		out->n += t[i].n;
		while (out->n % 4 != 0)
			u8(out, 0);
	}
	if (out->n != off || out->n >= sizeof(out->b))
		return -1;
	{
		/* head.checkSumAdjustment over the whole file. */
		unsigned long a = (0xB1B0AFBAUL - checksum(out->b, out->n)) &
		    0xffffffffUL;
		unsigned char *p = out->b + head_off + 8;

		p[0] = (unsigned char)(a >> 24);
		p[1] = (unsigned char)(a >> 16);
		p[2] = (unsigned char)(a >> 8);
		p[3] = (unsigned char)a;
	}
	return 0;
}

const char *
fuzz_tiny_font(void)
{
	static struct buf f;
	int fd;

	if (font_path[0] != '\0')
		return font_path;
	if (build_font(&f) < 0)
		return NULL;
	if ((fd = make_temp(font_path, sizeof(font_path), "font", "")) < 0)
		return NULL;
	if (write_all(fd, f.b, f.n) < 0) {
		close(fd);
		unlink(font_path);
		font_path[0] = '\0';
		return NULL;
	}
	close(fd);
	return font_path;
}

/* See fuzzutil.h. */
void
fuzz_keep_poppler_tables(void)
{
	static PopplerDocument *keep;
	static char pdf[512];
	long off[4];
	size_t n;
	int i;
	GBytes *b;

	if (keep != NULL)
		return;
	n = (size_t)snprintf(pdf, sizeof(pdf), "%%PDF-1.4\n");
	off[1] = (long)n;
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
	    "1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n");
	off[2] = (long)n;
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
	    "2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n");
	off[3] = (long)n;
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
	    "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 10 10]>> "
	    "endobj\n");
	off[0] = (long)n;
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
	    "xref\n0 4\n0000000000 65535 f \n");
	for (i = 1; i < 4; i++)
		n += (size_t)snprintf(pdf + n, sizeof(pdf) - n,
		    "%010ld 00000 n \n", off[i]);
	n += (size_t)snprintf(pdf + n, sizeof(pdf) - n, "trailer <</Size 4 "
	    "/Root 1 0 R>>\nstartxref\n%ld\n%%%%EOF\n", off[0]);
	b = g_bytes_new_static(pdf, n);
	keep = poppler_document_new_from_bytes(b, NULL, NULL);
	g_bytes_unref(b);
}
