/* libzairyu: the one table of rules that change over time. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_RULES_H
#define ZAIRYU_RULES_H

#include <stddef.h>

#include "zairyu/date.h"
#include "zairyu/error.h"

/*
 * One dated rule: from `from` on (inclusive) until the next row with the
 * same key, `key` has `value`.  Sources are short citations into
 * ../shared/facts/rules-facts.md and the documents it names.
 */
struct zr_rule {
	const char *key;
	struct zr_date from;
	long value;
	const char *unit;    /* "bytes", "yen", "files", "months", "char", ... */
	const char *note;    /* what the value means, one line */
	const char *source;  /* document and date */
};

/* The whole table, sorted by key then date.  *n receives its length. */
const struct zr_rule *zr_rules_table(size_t *n);

/*
 * The row of key in force on date `on`.  Errors: ZR_E_UNKNOWN_KEY,
 * ZR_E_NO_RULE (date before the first row).
 */
int zr_rule_at(const char *key, struct zr_date on, const struct zr_rule **row,
    struct zr_error *err);

/* As zr_rule_at, returning the value; -1 (and *err) if none. */
long zr_rule_value(const char *key, struct zr_date on, struct zr_error *err);

/*
 * Keys (values):
 *   system.generation        1 = 在留申請オンラインシステム (ras-immi),
 *                            2 = new system (rasens-immi) from 2026-01-05
 *   upload.max_files         attachments per application
 *   upload.max_file_bytes    one attachment
 *   upload.max_total_bytes   all attachments (and the photo, see next)
 *   upload.total_includes_photo  1 if the photo counts in the total
 *   photo.max_bytes          face photo JPEG, bytes
 *   photo.recency_months     photo taken at most this many months before
 *   name.separator           character between name parts on the form
 *   name.max_chars           name field length
 *   fee.extension.online / fee.extension.counter  (在留期間更新, yen)
 *   fee.change.online / fee.change.counter        (在留資格変更, yen)
 *   fee.permanent.counter, fee.reentry.single.online, ...
 *   postage.letter25         定形郵便 up to 25 g
 *   postage.simple_registered  簡易書留 add-on
 *   postage.letterpack_plus, postage.letterpack_light
 */

#endif
