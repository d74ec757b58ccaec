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

void zr_csv_close(struct zr_csv *c);

#endif
