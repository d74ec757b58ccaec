/* libzairyu kit: what its files share (the kit's content and its PDF
 * layout; the MIME decoders and the message structure). */
/* SPDX-License-Identifier: MIT */
#ifndef ZRI_KIT_H
#define ZRI_KIT_H

#include <stddef.h>
#include <stdint.h>

#include "zairyu/error.h"
#include "zairyu/letter.h"

/*
 * The content, once, for both renderers: a list of items.  The text
 * renderer prints them in order; the PDF renderer lays them out (labels
 * and the card panel at their real sizes).
 */
enum kind {
	K_TITLE,    /* ja, en */
	K_META,     /* ja / en: val */
	K_SECTION,  /* val = number; ja, en */
	K_CHECK,    /* a box to tick: ja, en */
	K_NEVER,    /* something not to do: ja, en */
	K_NOTE,     /* a paragraph: ja, en */
	K_FIELD,    /* a form row: ja / en, val */
	K_LABEL,    /* an address label: ja / en title, val lines */
	K_STRIP,    /* a one-line label */
	K_CARD,     /* the card-sized panel: val lines (ja), en */
	K_PAGE      /* a new page (PDF only) */
};

struct item {
	enum kind k;
	char *ja, *en, *val;
};

struct doc {
	struct item *it;
	size_t n, cap;
	int oom;
};

/*
 * The kit's content as items (letter.c); the caller frees it with
 * zri_doc_free().  Errors: ZR_E_NOMEM.
 */
int zri_kit_content(const struct zr_kit *k, struct doc *d,
    struct zr_error *err);
void zri_doc_free(struct doc *d);

/* ---- MIME: what charset.c (decoders, character sets, encoded words)
 * and mime.c (the message structure) share ---- */

/* A growable byte buffer; oom sticks once set. */
struct zri_buf {
	char *p;
	size_t n, cap;
	int oom;
};

int zri_buf_grow(struct zri_buf *b, size_t more);
int zri_buf_add(struct zri_buf *b, const void *s, size_t n);
int zri_buf_addc(struct zri_buf *b, char c);
int zri_buf_addcp(struct zri_buf *b, int32_t cp);
/* Hand the bytes over (never NULL unless out of memory). */
char *zri_buf_take(struct zri_buf *b);
/* ZR_E_NOMEM into err; returns -1. */
int zri_oom(struct zr_error *err);
/* ASCII lowercase of c. */
int zri_lc(int c);
/* Case-insensitive ASCII comparison of s[0..n-1] with the word w. */
int zri_ieq(const char *s, size_t n, const char *w);
/* Text in charset (NULL or "": guessed) to UTF-8, appended to b; a
 * NUL or an unknown escape sequence is refused.  Errors: ZR_E_CHARSET,
 * ZR_E_MAIL, ZR_E_NOMEM. */
int zri_to_utf8(const char *charset, const unsigned char *in, size_t len,
    struct zri_buf *b, struct zr_error *err);

#endif
