/* libzairyu: the one table of rules that change over time. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_RULES_H
#define ZAIRYU_RULES_H

#include <stddef.h>

#include "zairyu/date.h"
#include "zairyu/error.h"

/*
 * The keys of the table, checked by the compiler: ZR_RULE_KEYS(X) expands
 * X(enum name, printed name) once per key.  Code looks rules up by the
 * enum (zr_rule(), zr_rule_row()); the printed name is for people (man
 * pages, -v output, JSON "fee_rule") and is never built at run time.
 */
#define ZR_RULE_KEYS(X) \
	X(ZR_R_CARD_WARN_DAYS,        "card.warn_days") \
	X(ZR_R_DL_DELIVERY_DAYS,      "deadline.delivery_days") \
	X(ZR_R_DL_LOST_DAYS,          "deadline.lost_days") \
	X(ZR_R_DL_PICKUP_DAYS,        "deadline.pickup_days") \
	X(ZR_R_DL_REPORT_DAYS,        "deadline.report_days") \
	X(ZR_R_DL_SHORT_STAY_MONTHS,  "deadline.short_stay_months") \
	X(ZR_R_DL_SPECIAL_MIN_DAYS,   "deadline.special_min_days") \
	X(ZR_R_DL_SPECIAL_MONTHS,     "deadline.special_months") \
	X(ZR_R_DL_UNDER16_MONTHS,     "deadline.under16_months") \
	X(ZR_R_DL_WINDOW_MONTHS,      "deadline.window_months") \
	X(ZR_R_FEE_CHANGE_COUNTER,    "fee.change.counter") \
	X(ZR_R_FEE_CHANGE_ONLINE,     "fee.change.online") \
	X(ZR_R_FEE_EXTENSION_COUNTER, "fee.extension.counter") \
	X(ZR_R_FEE_EXTENSION_ONLINE,  "fee.extension.online") \
	X(ZR_R_FEE_PERMANENT_COUNTER, "fee.permanent.counter") \
	X(ZR_R_FEE_REENTRY_MULTIPLE_ONLINE, "fee.reentry.multiple.online") \
	X(ZR_R_FEE_REENTRY_SINGLE_ONLINE, "fee.reentry.single.online") \
	X(ZR_R_FEE_REISSUE_LOST,      "fee.reissue.lost") \
	X(ZR_R_FEE_REISSUE_WISH,      "fee.reissue.wish") \
	X(ZR_R_KIT_SEND_TO,           "kit.send_to") \
	X(ZR_R_LOST_POLICE_NUMBER,    "lost.police_number_ok") \
	X(ZR_R_NAME_MAX_CHARS,        "name.max_chars") \
	X(ZR_R_NAME_SEPARATOR,        "name.separator") \
	X(ZR_R_PHOTO_ISA_HEAD_MAX_MM, "photo.isa.head_max_mm") \
	X(ZR_R_PHOTO_ISA_HEAD_MIN_MM, "photo.isa.head_min_mm") \
	X(ZR_R_PHOTO_ISA_HEIGHT_MM,   "photo.isa.height_mm") \
	X(ZR_R_PHOTO_ISA_TOP_MAX_MM,  "photo.isa.top_max_mm") \
	X(ZR_R_PHOTO_ISA_TOP_MIN_MM,  "photo.isa.top_min_mm") \
	X(ZR_R_PHOTO_ISA_WIDTH_MM,    "photo.isa.width_mm") \
	X(ZR_R_PHOTO_MAX_BYTES,       "photo.max_bytes") \
	X(ZR_R_PHOTO_PASSPORT_CHIN_MAX_MM, "photo.passport.chin_max_mm") \
	X(ZR_R_PHOTO_PASSPORT_CHIN_MIN_MM, "photo.passport.chin_min_mm") \
	X(ZR_R_PHOTO_PASSPORT_HEAD_MAX_MM, "photo.passport.head_max_mm") \
	X(ZR_R_PHOTO_PASSPORT_HEAD_MIN_MM, "photo.passport.head_min_mm") \
	X(ZR_R_PHOTO_PASSPORT_HEIGHT_MM, "photo.passport.height_mm") \
	X(ZR_R_PHOTO_PASSPORT_HEIGHT_PX, "photo.passport.height_px") \
	X(ZR_R_PHOTO_PASSPORT_MAX_BYTES, "photo.passport.max_bytes") \
	X(ZR_R_PHOTO_PASSPORT_RECENCY_MONTHS, "photo.passport.recency_months") \
	X(ZR_R_PHOTO_PASSPORT_SIDE_MAX_MM, "photo.passport.side_max_mm") \
	X(ZR_R_PHOTO_PASSPORT_SIDE_MIN_MM, "photo.passport.side_min_mm") \
	X(ZR_R_PHOTO_PASSPORT_TOP_MAX_MM, "photo.passport.top_max_mm") \
	X(ZR_R_PHOTO_PASSPORT_TOP_MIN_MM, "photo.passport.top_min_mm") \
	X(ZR_R_PHOTO_PASSPORT_WIDTH_MM, "photo.passport.width_mm") \
	X(ZR_R_PHOTO_PASSPORT_WIDTH_PX, "photo.passport.width_px") \
	X(ZR_R_PHOTO_RECENCY_MONTHS,  "photo.recency_months") \
	X(ZR_R_PHOTO_RECENCY_WARN_MONTHS, "photo.recency_warn_months") \
	X(ZR_R_PHOTO_SIGNATURE_HEIGHT_PX, "photo.signature.height_px") \
	X(ZR_R_PHOTO_SIGNATURE_MAX_BYTES, "photo.signature.max_bytes") \
	X(ZR_R_PHOTO_SIGNATURE_WIDTH_PX, "photo.signature.width_px") \
	X(ZR_R_POSTAGE_LETTER25,      "postage.letter25") \
	X(ZR_R_POSTAGE_LETTERPACK_LIGHT, "postage.letterpack_light") \
	X(ZR_R_POSTAGE_LETTERPACK_PLUS, "postage.letterpack_plus") \
	X(ZR_R_POSTAGE_SIMPLE_REGISTERED, "postage.simple_registered") \
	X(ZR_R_SYSTEM_GENERATION,     "system.generation") \
	X(ZR_R_UPLOAD_MAX_FILE_BYTES, "upload.max_file_bytes") \
	X(ZR_R_UPLOAD_MAX_FILES,      "upload.max_files") \
	X(ZR_R_UPLOAD_MAX_TOTAL_BYTES, "upload.max_total_bytes") \
	X(ZR_R_UPLOAD_TOTAL_INCLUDES_PHOTO, "upload.total_includes_photo")

#define ZR_RULE_ENUM_(id, name) id,
enum zr_rule_key { ZR_RULE_KEYS(ZR_RULE_ENUM_) ZR_R_COUNT_ };
#undef ZR_RULE_ENUM_

/*
 * One dated rule: from `from` on (inclusive) until the next row with the
 * same key, the key has `value` (and, for a few, the text `text`).
 * Sources name the document and its date.
 */
struct zr_rule {
	enum zr_rule_key id; /* zr_rule_name(id) prints it */
	struct zr_date from;
	long value;
	const char *text;    /* a text value (an address), or NULL */
	const char *unit;    /* "bytes", "yen", "files", "months", "char", ... */
	const char *note;    /* what the value means, one line */
	const char *source;  /* document and date */
};

/* The whole table, sorted by key then date.  *n receives its length. */
const struct zr_rule *zr_rules_table(size_t *n);

/* The printed name of a key ("fee.extension.online"). */
const char *zr_rule_name(enum zr_rule_key k);

/*
 * The row of key k in force on date `on`.  Errors: ZR_E_NO_RULE (date
 * before the first row), ZR_E_UNKNOWN_KEY (k out of range).
 */
int zr_rule_row(enum zr_rule_key k, struct zr_date on,
    const struct zr_rule **row, struct zr_error *err);

/* As zr_rule_row, returning the value; -1 (and *err) if none. */
long zr_rule(enum zr_rule_key k, struct zr_date on, struct zr_error *err);

/*
 * Upload limits of the online system in force on a date, from the table
 * (rules-facts §2, §8): the old system (until 2026-01-04) takes one PDF
 * up to 10 MB; the new one (from 2026-01-05) up to 20 files and 25 MB in
 * total, the face photo included.  zr_pdf_limits_at() (zairyu/pdf.h) is
 * the same for the PDF code.  Errors: ZR_E_NO_RULE (date before the
 * online system).
 */
struct zr_pdf_limits {
	int generation;             /* system.generation */
	long max_files;             /* upload.max_files */
	long long max_file_bytes;   /* upload.max_file_bytes */
	long long max_total_bytes;  /* upload.max_total_bytes */
	int total_includes_photo;   /* upload.total_includes_photo */
	long long photo_bytes;      /* photo.max_bytes: default reserve */
};

int zr_rules_upload_limits(struct zr_date on, struct zr_pdf_limits *l,
    struct zr_error *err);

/*
 * Fees (rules-facts.md §3.1, FEE25): the fee of an application follows
 * the day it was accepted, not the day it is granted or paid.
 *
 * zr_fee_day() is the one choice of that day for every tool: the
 * --rules-date a user gave (rules_date non-NULL), else the acceptance
 * date when known (accepted.y != 0), else today.
 */
enum zr_fee_app { ZR_FEE_EXTENSION, ZR_FEE_CHANGE };
enum zr_fee_route { ZR_FEE_ONLINE, ZR_FEE_COUNTER };

struct zr_date zr_fee_day(const struct zr_date *rules_date,
    struct zr_date accepted, struct zr_date today);

/*
 * The fee in yen for app by route on day (from zr_fee_day()).  *key, if
 * not NULL, receives the rule's key.  Errors: ZR_E_NO_RULE.
 */
long zr_fee(enum zr_fee_app app, enum zr_fee_route route, struct zr_date day,
    enum zr_rule_key *key, struct zr_error *err);

/* "extension" / "change" to the enum; -1 if neither. */
int zr_fee_app_parse(const char *s, enum zr_fee_app *app);

#endif
