/* libzairyu: zairyu-facts(5), a person's facts carried between tools. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_FACTS_H
#define ZAIRYU_FACTS_H

#include <stddef.h>

#include "zairyu/error.h"

enum zr_fact_type {
	ZR_FACT_TEXT,   /* any UTF-8 text on one line */
	ZR_FACT_DATE,   /* a date in any form zr_date_parse() takes */
	ZR_FACT_NAME,   /* a name as on the residence card */
	ZR_FACT_ENUM    /* one of a few words (sex: M, F, X) */
};

struct zr_fact_key {
	const char *key;
	enum zr_fact_type type;
	const char *desc;   /* one line, for the man page and --help */
};

/* The known keys, in their documented order. */
const struct zr_fact_key *zr_facts_keys(size_t *n);

struct zr_facts;

/*
 * 1 when a and b are the same value of key, 0 when not, -1 when out of
 * memory.  Each kind of key is compared its own way: names with blanks
 * and commas folded; dates and enums (canonical after loading) exactly;
 * numbers (card, passport, postcode, phone, receipt) without spaces and
 * hyphens, either width and case; other text in either width and case
 * with runs of blanks as one.
 */
int zr_facts_same(const char *key, const char *a, const char *b);

/*
 * Parse a facts file held in buf[0..len-1].  name is used in messages.
 * Errors carry the line number (err->line) and say what is wrong:
 * ZR_E_UTF8, ZR_E_SYNTAX, ZR_E_UNKNOWN_KEY (with "did you mean"),
 * ZR_E_DUP_KEY, ZR_E_DATE (a date key with a bad date), ZR_E_RANGE.
 */
int zr_facts_parse(const char *buf, size_t len, const char *name,
    struct zr_facts **out, struct zr_error *err);

/* Read and parse path ("-" = stdin). */
int zr_facts_load(const char *path, struct zr_facts **out,
    struct zr_error *err);

/* A new empty set, for tools that build facts (zr-cardtest --write-facts). */
struct zr_facts *zr_facts_new(const char *name);

/* The value of key, or NULL when absent.  Owned by facts. */
const char *zr_facts_get(const struct zr_facts *f, const char *key);

/* The line key was on, or 0 when absent or set by zr_facts_set(). */
int zr_facts_line(const struct zr_facts *f, const char *key);

/* The name given to zr_facts_parse()/zr_facts_load(). */
const char *zr_facts_name(const struct zr_facts *f);

/*
 * Set key to value (validated as when parsing).  Errors: ZR_E_UNKNOWN_KEY,
 * ZR_E_UTF8, ZR_E_DATE, ZR_E_NOMEM.
 */
int zr_facts_set(struct zr_facts *f, const char *key, const char *value,
    struct zr_error *err);

/*
 * The facts as zairyu-facts(5) text, keys in documented order, values
 * quoted when needed.  The caller frees *text.
 */
int zr_facts_format(const struct zr_facts *f, char **text, size_t *len,
    struct zr_error *err);

void zr_facts_free(struct zr_facts *f);

#endif
