/* libzairyu kit: what the kit's content and its PDF layout share. */
/* SPDX-License-Identifier: MIT */
#ifndef ZRI_KIT_H
#define ZRI_KIT_H

#include <stddef.h>

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

#endif
