/* libzairyu: the mail-in kit's PDF layout (A4, libharu, embedded font). */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "zairyu/io.h"
#include "zairyu/letter.h"
#include "zairyu/text.h"
#include "zri_kit.h"

/* PDF rendering with libharu. */

#define MM(x) ((float)((x) * 72.0 / 25.4))
#define PAGE_W 595.276f
#define PAGE_H 841.89f
#define MARGIN MM(15)
#define TEXT_W (PAGE_W - 2 * MARGIN)

struct pdfw {
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font font;
	float y;           /* the cursor, from the bottom */
	int fresh;         /* nothing drawn on this page yet */
	int failed;
	unsigned long code, detail;
	float row_x;       /* next label's x in the current row */
	float row_top, row_h;
	int in_table;      /* the previous item was a form row */
};

static void
on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	struct pdfw *w = user;

	/* libharu reports here and returns an error code; nothing escapes. */
	if (!w->failed) {
		w->failed = 1;
		w->code = (unsigned long)code;
		w->detail = (unsigned long)detail;
	}
}

static void
new_page(struct pdfw *w)
{
	w->page = HPDF_AddPage(w->pdf);
	HPDF_Page_SetSize(w->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	w->y = PAGE_H - MARGIN;
	w->fresh = 1;
	w->row_x = 0;
	w->row_h = 0;
	w->in_table = 0;
}

static void
room(struct pdfw *w, float h)
{
	if (w->y - h < MARGIN && !w->fresh)
		new_page(w);
	w->fresh = 0;
}

static float
width_of(struct pdfw *w, const char *s, size_t n, float size)
{
	char tmp[1024];

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	HPDF_Page_SetFontAndSize(w->page, w->font, size);
	return HPDF_Page_TextWidth(w->page, tmp);
}

/* Characters a line must not end with. */
static int
no_break_after(int32_t c)
{
	return c == 0xff08 || c == 0x300c || c == 0x300e || c == 0x3010 ||
	    c == '(' || c == 0x3012;
}

/* Characters a line must not start with (kinsoku, simplified). */
static int
no_break_before(int32_t c)
{
	return c == 0x3001 || c == 0x3002 || c == 0xff09 || c == 0x300d ||
	    c == 0x300f || c == 0x3011 || c == 0xff0c || c == 0xff0e ||
	    c == 0x30fc || c == ')' || c == ',' || c == '.' || c == ':' ||
	    c == 0xff1a || c == 0x3063 || c == 0x30c3 || c == 0x30fb;
}

struct lines {
	char line[48][512];
	size_t n;
};

/* Wrap s at maxw (line ends honoured); 0, or -1 when it is too long. */
static int
wrap(struct pdfw *w, const char *s, float size, float maxw, struct lines *L)
{
	const char *p = s, *end = s + strlen(s), *start, *q, *brk;
	int32_t c, prev;
	size_t n;

	L->n = 0;
	while (p <= end) {
		start = p;
		brk = NULL;
		prev = 0;
		for (;;) {
			if (p >= end || *p == '\n')
				break;
			q = p;
			c = zr_utf8_next(&q, end);
			/* A break before c? After a space or around CJK. */
			if (p > start && !no_break_before(c) &&
			    !no_break_after(prev) && (prev == ' ' ||
			    (c >= 0x2e80 && !(prev >= '0' && prev <= '9')) ||
			    prev >= 0x2e80))
				brk = p;
			if (width_of(w, start, (size_t)(q - start), size) > maxw &&
			    p > start) {
				if (brk == NULL || brk == start)
					brk = p;
				break;
			}
			prev = c;
			p = q;
		}
		if (p >= end || *p == '\n')
			brk = p;
		n = (size_t)(brk - start);
		while (n > 0 && start[n - 1] == ' ')
			n--;
		if (L->n >= sizeof(L->line) / sizeof(L->line[0]) ||
		    n >= sizeof(L->line[0]))
			return -1;
		memcpy(L->line[L->n], start, n);
		L->line[L->n][n] = '\0';
		L->n++;
		p = brk;
		if (p >= end)
			break;
		if (*p == '\n')
			p++;
		while (p < end && *p == ' ')
			p++;
	}
	return 0;
}

static void
gray(struct pdfw *w, float g)
{
	HPDF_Page_SetRGBFill(w->page, g, g, g);
}

static void
out(struct pdfw *w, float x, float y, float size, const char *s)
{
	HPDF_Page_BeginText(w->page);
	HPDF_Page_SetFontAndSize(w->page, w->font, size);
	HPDF_Page_TextOut(w->page, x, y, s);
	HPDF_Page_EndText(w->page);
}

/* A wrapped paragraph at x, width maxw; moves the cursor down. */
static int
para(struct pdfw *w, float x, float maxw, float size, float g, const char *s)
{
	struct lines L;
	size_t i;
	float lh = size * 1.35f;

	if (wrap(w, s, size, maxw, &L) < 0)
		return -1;
	room(w, lh * (float)L.n);
	gray(w, g);
	for (i = 0; i < L.n; i++) {
		w->y -= lh;
		out(w, x, w->y + size * 0.25f, size, L.line[i]);
	}
	gray(w, 0);
	return 0;
}

static void
crop_marks(struct pdfw *w, float x, float y, float wd, float ht)
{
	float g = MM(1.5), l = MM(5);

	HPDF_Page_SetGrayStroke(w->page, 0);
	HPDF_Page_SetLineWidth(w->page, 0.4f);
	/* Corners: bottom-left, bottom-right, top-left, top-right. */
	HPDF_Page_MoveTo(w->page, x - g - l, y);
	HPDF_Page_LineTo(w->page, x - g, y);
	HPDF_Page_MoveTo(w->page, x, y - g - l);
	HPDF_Page_LineTo(w->page, x, y - g);
	HPDF_Page_MoveTo(w->page, x + wd + g, y);
	HPDF_Page_LineTo(w->page, x + wd + g + l, y);
	HPDF_Page_MoveTo(w->page, x + wd, y - g - l);
	HPDF_Page_LineTo(w->page, x + wd, y - g);
	HPDF_Page_MoveTo(w->page, x - g - l, y + ht);
	HPDF_Page_LineTo(w->page, x - g, y + ht);
	HPDF_Page_MoveTo(w->page, x, y + ht + g);
	HPDF_Page_LineTo(w->page, x, y + ht + g + l);
	HPDF_Page_MoveTo(w->page, x + wd + g, y + ht);
	HPDF_Page_LineTo(w->page, x + wd + g + l, y + ht);
	HPDF_Page_MoveTo(w->page, x + wd, y + ht + g);
	HPDF_Page_LineTo(w->page, x + wd, y + ht + g + l);
	HPDF_Page_Stroke(w->page);
	/* A faint outline to cut along. */
	HPDF_Page_SetGrayStroke(w->page, 0.6f);
	HPDF_Page_SetLineWidth(w->page, 0.3f);
	HPDF_Page_Rectangle(w->page, x, y, wd, ht);
	HPDF_Page_Stroke(w->page);
	HPDF_Page_SetGrayStroke(w->page, 0);
}

/*
 * A box of wd x ht at (x, top - ht) with cut marks: a small grey title,
 * then the lines at the largest size from big down that fits.
 */
static int
boxed(struct pdfw *w, float x, float top, float wd, float ht,
    const char *title, const char *body, float big, const char *foot)
{
	struct lines L, F;
	float pad = MM(3), size, lh, y, fs = 0;
	size_t i;

	crop_marks(w, x, top - ht, wd, ht);
	y = top - pad;
	if (title != NULL) {
		gray(w, 0.4f);
		out(w, x + pad, y - 7, 7, title);
		gray(w, 0);
		y -= 11;
	}
	for (size = big; size >= 5; size -= 0.5f) {
		lh = size * 1.3f;
		if (wrap(w, body, size, wd - 2 * pad, &L) < 0)
			return -1;
		fs = size * 0.85f;
		F.n = 0;
		if (foot != NULL && wrap(w, foot, fs, wd - 2 * pad, &F) < 0)
			return -1;
		if (lh * (float)L.n + fs * 1.3f * (float)F.n + 2 <= y -
		    (top - ht) - pad)
			break;
	}
	if (size < 5)
		return -1;
	lh = size * 1.3f;
	for (i = 0; i < L.n; i++) {
		y -= lh;
		out(w, x + pad, y + size * 0.25f, size, L.line[i]);
	}
	y -= 2;
	gray(w, 0.35f);
	for (i = 0; i < F.n; i++) {
		y -= fs * 1.3f;
		out(w, x + pad, y + fs * 0.25f, fs, F.line[i]);
	}
	gray(w, 0);
	return 0;
}

/* Labels flow in rows: two 87 mm labels side by side on A4. */
static int
label(struct pdfw *w, const struct item *it, float wd, float ht)
{
	char title[400];
	float gap = MM(6), x;

	if (w->row_h > 0 && w->row_x + wd <= TEXT_W + 0.5f) {
		x = MARGIN + w->row_x;
	} else {
		if (w->row_h > 0)
			w->y = w->row_top - w->row_h - MM(8);
		room(w, ht + MM(8));
		w->y -= MM(6);
		w->row_top = w->y;
		w->row_h = 0;
		w->row_x = 0;
		x = MARGIN;
	}
	snprintf(title, sizeof(title), "%s / %s", it->ja, it->en);
	if (boxed(w, x, w->row_top, wd, ht, title, it->val, 11, NULL) < 0)
		return -1;
	w->row_x += wd + gap;
	if (ht > w->row_h)
		w->row_h = ht;
	w->y = w->row_top - w->row_h;
	return 0;
}

static void
end_row(struct pdfw *w)
{
	if (w->row_h > 0) {
		w->y = w->row_top - w->row_h - MM(2);
		w->row_h = 0;
		w->row_x = 0;
	}
}

static int
field(struct pdfw *w, const struct item *it)
{
	float h = MM(11), lw = MM(58), x = MARGIN, vw = TEXT_W - lw - MM(4);
	float size = 12, lh, y;
	struct lines L;
	size_t i;

	/* One line at up to 12 pt; longer values wrap at 10 pt. */
	while (size > 10 && strchr(it->val, '\n') == NULL &&
	    width_of(w, it->val, strlen(it->val), size) > vw)
		size -= 0.5f;
	if (strchr(it->val, '\n') != NULL ||
	    width_of(w, it->val, strlen(it->val), size) > vw)
		size = 10;
	if (wrap(w, it->val, size, vw, &L) < 0)
		return -1;
	lh = size * 1.3f;
	if (lh * (float)L.n + MM(4) > h)
		h = lh * (float)L.n + MM(4);
	if (!w->in_table)
		w->y -= MM(2);
	room(w, h);
	w->y -= h;
	HPDF_Page_SetLineWidth(w->page, 0.5f);
	HPDF_Page_Rectangle(w->page, x, w->y, lw, h);
	HPDF_Page_Rectangle(w->page, x + lw, w->y, TEXT_W - lw, h);
	HPDF_Page_Stroke(w->page);
	out(w, x + MM(2), w->y + h - MM(4.5), 9, it->ja);
	gray(w, 0.4f);
	out(w, x + MM(2), w->y + h - MM(8.5), 7, it->en);
	gray(w, 0);
	y = w->y + (h + lh * (float)L.n) / 2;
	for (i = 0; i < L.n; i++) {
		y -= lh;
		out(w, x + lw + MM(2), y + size * 0.3f, size, L.line[i]);
	}
	return 0;
}

static int
render(struct pdfw *w, const struct doc *d)
{
	size_t i;
	const struct item *it;
	float box = MM(3.6), tx = MARGIN + MM(7), y0;
	char buf[600];

	new_page(w);
	for (i = 0; i < d->n && !w->failed; i++) {
		it = &d->it[i];
		if (it->k != K_LABEL && it->k != K_STRIP)
			end_row(w);
		if (it->k != K_FIELD)
			w->in_table = 0;
		switch (it->k) {
		case K_TITLE:
			if (para(w, MARGIN, TEXT_W, 17, 0, it->ja) < 0 ||
			    para(w, MARGIN, TEXT_W, 11, 0.35f, it->en) < 0)
				return -1;
			w->y -= MM(3);
			break;
		case K_META: {
			struct lines L;
			size_t j;

			if (wrap(w, it->val, 11, TEXT_W - MM(50), &L) < 0)
				return -1;
			room(w, 15 * (float)L.n);
			gray(w, 0.4f);
			snprintf(buf, sizeof(buf), "%s / %s", it->ja, it->en);
			out(w, MARGIN, w->y - 15, 8, buf);
			gray(w, 0);
			for (j = 0; j < L.n; j++) {
				w->y -= 15;
				out(w, MARGIN + MM(50), w->y, 11, L.line[j]);
			}
			break;
		}
		case K_SECTION:
			room(w, 48);
			w->y -= MM(5);
			snprintf(buf, sizeof(buf), "%s. %s", it->val, it->ja);
			if (para(w, MARGIN, TEXT_W, 13, 0, buf) < 0 ||
			    para(w, MARGIN + MM(5), TEXT_W - MM(5), 9, 0.35f,
			    it->en) < 0)
				return -1;
			HPDF_Page_SetLineWidth(w->page, 0.6f);
			HPDF_Page_MoveTo(w->page, MARGIN, w->y - 2);
			HPDF_Page_LineTo(w->page, PAGE_W - MARGIN, w->y - 2);
			HPDF_Page_Stroke(w->page);
			w->y -= MM(1);
			break;
		case K_CHECK:
		case K_NEVER:
			room(w, 40);
			w->y -= MM(2);
			y0 = w->y;
			if (it->k == K_NEVER)
				HPDF_Page_SetRGBFill(w->page, 0.75f, 0, 0);
			if (para(w, tx, TEXT_W - MM(7), 10.5f, 0, it->ja) < 0)
				return -1;
			if (it->k == K_NEVER) {
				HPDF_Page_SetRGBStroke(w->page, 0.75f, 0, 0);
				HPDF_Page_SetLineWidth(w->page, 1.2f);
				HPDF_Page_MoveTo(w->page, MARGIN, y0 - box - 2);
				HPDF_Page_LineTo(w->page, MARGIN + box, y0 - 2);
				HPDF_Page_MoveTo(w->page, MARGIN, y0 - 2);
				HPDF_Page_LineTo(w->page, MARGIN + box,
				    y0 - box - 2);
				HPDF_Page_Stroke(w->page);
				HPDF_Page_SetRGBStroke(w->page, 0, 0, 0);
			} else {
				HPDF_Page_SetLineWidth(w->page, 0.8f);
				HPDF_Page_Rectangle(w->page, MARGIN,
				    y0 - box - 2, box, box);
				HPDF_Page_Stroke(w->page);
			}
			if (para(w, tx, TEXT_W - MM(7), 8.5f, 0.35f, it->en) < 0)
				return -1;
			break;
		case K_NOTE:
			w->y -= MM(1.5);
			if (para(w, MARGIN, TEXT_W, 10, 0, it->ja) < 0 ||
			    para(w, MARGIN, TEXT_W, 8.5f, 0.35f, it->en) < 0)
				return -1;
			break;
		case K_FIELD:
			if (field(w, it) < 0)
				return -1;
			w->in_table = 1;
			break;
		case K_LABEL:
			/* Fits a 長形3号 envelope's address area or a Letter
			 * Pack label; 87 mm so two sit side by side. */
			if (label(w, it, MM(87), MM(45)) < 0)
				return -1;
			break;
		case K_STRIP:
			if (label(w, it, MM(87), MM(18)) < 0)
				return -1;
			break;
		case K_CARD:
			/* ISO/IEC 7810 ID-1, the residence card's size. */
			room(w, MM(54) + MM(12));
			w->y -= MM(8);
			if (boxed(w, MARGIN + MM(5), w->y, MM(85.6), MM(54), NULL,
			    it->ja, 8, it->en) < 0)
				return -1;
			w->y -= MM(54) + MM(4);
			break;
		case K_PAGE:
			if (!w->fresh)
				new_page(w);
			break;
		}
	}
	return 0;
}

static int
font_ok(const char *font, struct zr_error *err)
{
	FILE *fp = fopen(font, "rb");
	unsigned char h[4];
	size_t n;

	if (fp == NULL)
		return zr_error_sys(err, ZR_E_FONT, errno, font,
		    "cannot open the font (install fonts-ipaexfont)");
	/* Never an output, nor standard output. */
	if (zr_input_note_fd(fileno(fp), font, err) < 0) {
		fclose(fp);
		return -1;
	}
	n = fread(h, 1, sizeof(h), fp);
	fclose(fp);
	/* TrueType: 0x00010000 or "true". */
	if (n != 4 || !((h[0] == 0 && h[1] == 1 && h[2] == 0 && h[3] == 0) ||
	    memcmp(h, "true", 4) == 0))
		return zr_error_set(err, ZR_E_FONT, font,
		    "not a TrueType font");
	return 0;
}

int
zr_kit_pdf(const struct zr_kit *kit, const char *font, unsigned char **outp,
    size_t *len, struct zr_error *err)
{
	struct pdfw w;
	struct doc d;
	const char *fname;
	unsigned char *buf = NULL;
	HPDF_UINT32 size, got, total = 0;
	HPDF_STATUS st;
	int rc = -1;

	if (font == NULL)
		font = ZR_LETTER_FONT;
	if (font_ok(font, err) < 0)
		return -1;
	if (zri_kit_content(kit, &d, err) < 0)
		return -1;
	memset(&w, 0, sizeof(w));
	if ((w.pdf = HPDF_New(on_hpdf_error, &w)) == NULL) {
		zri_doc_free(&d);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(w.pdf);
	HPDF_SetCurrentEncoder(w.pdf, "UTF-8");
	/* No dates in the info dictionary: the bytes must not depend on the
	 * clock. */
	HPDF_SetInfoAttr(w.pdf, HPDF_INFO_CREATOR, "zr-letter (zairyu-tools)");
	HPDF_SetInfoAttr(w.pdf, HPDF_INFO_TITLE, "Residence card mail-in kit");
	fname = HPDF_LoadTTFontFromFile(w.pdf, font, HPDF_TRUE);
	if (fname == NULL || w.failed) {
		zr_error_set(err, ZR_E_FONT, font, "libharu cannot load the "
		    "font (error 0x%04lx)", w.code);
		goto done;
	}
	w.font = HPDF_GetFont(w.pdf, fname, "UTF-8");
	if (w.font == NULL || w.failed) {
		zr_error_set(err, ZR_E_FONT, font, "libharu cannot use the "
		    "font with UTF-8 (error 0x%04lx)", w.code);
		goto done;
	}
	if (render(&w, &d) < 0) {
		zr_error_set(err, ZR_E_PDF_WRITE, NULL, "the kit does not fit "
		    "its boxes (a value is too long)");
		goto done;
	}
	if (w.failed || (st = HPDF_SaveToStream(w.pdf)) != HPDF_OK ||
	    w.failed) {
		zr_error_set(err, ZR_E_PDF_WRITE, NULL, "libharu error 0x%04lx "
		    "(detail %lu)", w.code, w.detail);
		goto done;
	}
	size = HPDF_GetStreamSize(w.pdf);
	if (size == 0 || (buf = malloc(size)) == NULL) {
		zr_error_set(err, size == 0 ? ZR_E_PDF_WRITE : ZR_E_NOMEM, NULL,
		    NULL);
		goto done;
	}
	while (total < size) {
		got = size - total;
		st = HPDF_ReadFromStream(w.pdf, buf + total, &got);
		total += got;
		if (st == HPDF_STREAM_EOF || got == 0)
			break;
		if (st != HPDF_OK) {
			zr_error_set(err, ZR_E_PDF_WRITE, NULL, "libharu error "
			    "0x%04lx reading the PDF back", (unsigned long)st);
			goto done;
		}
	}
	if (total != size) {
		zr_error_set(err, ZR_E_PDF_WRITE, NULL, "short PDF stream");
		goto done;
	}
	*outp = buf;
	*len = size;
	buf = NULL;
	rc = 0;
done:
	free(buf);
	HPDF_Free(w.pdf);
	zri_doc_free(&d);
	return rc;
}
