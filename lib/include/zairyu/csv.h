/* libzairyu: an RFC 4180 CSV reader over a buffer. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_CSV_H
#define ZAIRYU_CSV_H

#include <stddef.h>

#include "zairyu/error.h"

struct zr_csv;

/*
 * Read CSV from buf[0..len-1] (not copied: keep it alive).  A UTF-8 BOM
 * is skipped; CRLF and LF both end a record; fields may be quoted with
 * "" for a quote inside.  Invalid UTF-8 is an error.
 */
int zr_csv_open(struct zr_csv **c, const char *buf, size_t len,
    const char *name, struct zr_error *err);

/*
 * The next record: *fields[0..*n-1] are NUL-terminated strings owned by c,
 * valid until the next call; *line is the line the record starts on.
 * Returns 1 for a record, 0 at the end, -1 for a malformed record (err
 * has the line); after -1 the reader has skipped to the next line, so a
 * caller may report the row and go on.  Blank lines are skipped.
 */
int zr_csv_next(struct zr_csv *c, char ***fields, size_t *n, int *line,
    struct zr_error *err);

/*
 * Records are one line each: a quoted field may not run onto the next
 * line.  For rosters, where a stray quote must not swallow the rows after
 * it: the record is reported (ZR_E_CSV, "unterminated quoted field") and
 * reading goes on with the next line.
 */
void zr_csv_one_line_records(struct zr_csv *c);

void zr_csv_close(struct zr_csv *c);

/* What a spreadsheet's "CSV" was written in. */
enum zr_csv_encoding {
	ZR_CSV_UTF8,       /* UTF-8 */
	ZR_CSV_UTF8_BOM,   /* UTF-8 with a byte-order mark (Excel's "CSV UTF-8") */
	ZR_CSV_CP932       /* Shift_JIS as Windows writes it (Excel's "CSV" in
			      Japan) */
};

/*
 * Make a UTF-8 copy of buf[0..len-1] for zr_csv_open(): UTF-8 as is (a
 * BOM dropped), else CP932 converted (iconv).  *out (NUL-terminated, the
 * caller frees it) and *outlen; *enc says which it was.  Errors: ZR_E_UTF8
 * ("neither UTF-8 nor Shift_JIS (CP932)", with the byte and line),
 * ZR_E_NOMEM.
 */
int zr_csv_decode(const char *buf, size_t len, const char *name, char **out,
    size_t *outlen, enum zr_csv_encoding *enc, struct zr_error *err);

/* "UTF-8", "UTF-8 with BOM", "Shift_JIS (CP932)". */
const char *zr_csv_encoding_name(enum zr_csv_encoding enc);

#endif
