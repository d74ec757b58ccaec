/* libzairyu: a roster (CSV, one person a row) for zr-deadline --roster. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_ROSTER_H
#define ZAIRYU_ROSTER_H

#include <stddef.h>

#include "zairyu/csv.h"
#include "zairyu/deadline.h"
#include "zairyu/error.h"

struct zr_roster;

/* One person of the roster, with the deadlines computed. */
struct zr_roster_row {
	int line;                 /* where the row starts */
	char *name;               /* the name column ("" when none), malloc'd */
	struct zr_deadline_in in;
	struct zr_deadline dl;
};

/*
 * Read the header of a roster in buf[0..len-1] (kept alive by the
 * caller): column names in any case, leading spaces ignored; name,
 * expiry (or stay_expiry, required), period (stay_period), applied
 * (receipt_date), completion_mail (completion_date), lost, jpki_issued,
 * birth (birth_date), jpki_expiry, myna_expiry.  The text may be UTF-8
 * (with or without BOM) or CP932 (zr_csv_decode(); zr_roster_encoding()
 * tells which); each row is one line.  Errors: ZR_E_EMPTY (nothing, or no
 * header), ZR_E_MISSING (no expiry column), ZR_E_UTF8 (neither UTF-8 nor
 * CP932), ZR_E_CSV, ZR_E_NOMEM.
 */
int zr_roster_open(struct zr_roster **r, const char *buf, size_t len,
    const char *name, struct zr_error *err);

/*
 * The next person: base gives today, rules_date and warn_days.  Returns 1 with *row
 * filled (free it with zr_roster_row_free()), 0 at the end, -1 for a bad
 * row (err: ZR_E_CSV, ZR_E_DATE, ZR_E_MISSING, ZR_E_RANGE or the
 * deadline's code, the message starting with the line); after -1 the
 * caller may go on with the next row, unless err is ZR_E_NOMEM.
 */
int zr_roster_next(struct zr_roster *r, const struct zr_deadline_in *base,
    struct zr_roster_row *row, struct zr_error *err);

void zr_roster_row_free(struct zr_roster_row *row);

/* qsort order of rows: by the next action date, people with none last
 * by expiry, then by line. */
int zr_roster_row_cmp(const void *a, const void *b);

/* What the roster was written in. */
enum zr_csv_encoding zr_roster_encoding(const struct zr_roster *r);

void zr_roster_close(struct zr_roster *r);

#endif
