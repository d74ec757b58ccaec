/* libzairyu: the one error type and the one table of error codes. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_ERROR_H
#define ZAIRYU_ERROR_H

#include <stdarg.h>

/*
 * Exit classes shared by every tool (zairyu(7), EXIT STATUS):
 * 0 ok, 1 a check found a problem, 2 usage or input error,
 * 3 no card service, reader or card (zr-cardtest only).
 */
enum zr_exit {
	ZR_EXIT_OK = 0,
	ZR_EXIT_PROBLEM = 1,
	ZR_EXIT_INPUT = 2,
	ZR_EXIT_DEVICE = 3
};

/*
 * The table: ZR_ERR(name, exit class, default message).  It is expanded
 * once into enum zr_code and once into the strings of zr_strerror().
 * Keep the codes grouped by module; add new ones at the end of a group.
 */
#define ZR_ERROR_TABLE(ZR_ERR) \
	/* general */ \
	ZR_ERR(ZR_E_OK,           ZR_EXIT_OK,      "success") \
	ZR_ERR(ZR_E_USAGE,        ZR_EXIT_INPUT,   "invalid argument") \
	ZR_ERR(ZR_E_NOMEM,        ZR_EXIT_INPUT,   "out of memory") \
	ZR_ERR(ZR_E_INTERNAL,     ZR_EXIT_INPUT,   "internal error") \
	/* files and I/O */ \
	ZR_ERR(ZR_E_IO,           ZR_EXIT_INPUT,   "input/output error") \
	ZR_ERR(ZR_E_OPEN,         ZR_EXIT_INPUT,   "cannot open file") \
	ZR_ERR(ZR_E_NOT_FILE,     ZR_EXIT_INPUT,   "not a regular file") \
	ZR_ERR(ZR_E_TOO_BIG,      ZR_EXIT_INPUT,   "file too large") \
	ZR_ERR(ZR_E_EMPTY,        ZR_EXIT_INPUT,   "empty file") \
	ZR_ERR(ZR_E_SAME_FILE,    ZR_EXIT_INPUT,   "output would overwrite an input") \
	ZR_ERR(ZR_E_TTY,          ZR_EXIT_INPUT,   "refusing to write binary data to a terminal") \
	/* text and formats */ \
	ZR_ERR(ZR_E_UTF8,         ZR_EXIT_INPUT,   "invalid UTF-8") \
	ZR_ERR(ZR_E_SYNTAX,       ZR_EXIT_INPUT,   "syntax error") \
	ZR_ERR(ZR_E_DATE,         ZR_EXIT_INPUT,   "invalid date") \
	ZR_ERR(ZR_E_RANGE,        ZR_EXIT_INPUT,   "value out of range") \
	ZR_ERR(ZR_E_UNKNOWN_KEY,  ZR_EXIT_INPUT,   "unknown key") \
	ZR_ERR(ZR_E_DUP_KEY,      ZR_EXIT_INPUT,   "duplicate key") \
	ZR_ERR(ZR_E_MISSING,      ZR_EXIT_INPUT,   "required value missing") \
	ZR_ERR(ZR_E_CSV,          ZR_EXIT_INPUT,   "malformed CSV") \
	ZR_ERR(ZR_E_NO_RULE,      ZR_EXIT_INPUT,   "no rule for that date") \
	/* names and numbers (zr-namecheck) */ \
	ZR_ERR(ZR_E_NAME,         ZR_EXIT_INPUT,   "invalid name") \
	ZR_ERR(ZR_E_MRZ,          ZR_EXIT_INPUT,   "invalid MRZ") \
	ZR_ERR(ZR_E_NUMBER,       ZR_EXIT_INPUT,   "invalid number") \
	/* images (zr-photo) */ \
	ZR_ERR(ZR_E_NOT_JPEG,     ZR_EXIT_INPUT,   "not a JPEG file") \
	ZR_ERR(ZR_E_NOT_PNG,      ZR_EXIT_INPUT,   "not a PNG file") \
	ZR_ERR(ZR_E_NOT_IMAGE,    ZR_EXIT_INPUT,   "not a JPEG, PNG, HEIC or WebP file") \
	ZR_ERR(ZR_E_IMAGE,        ZR_EXIT_INPUT,   "corrupt image") \
	ZR_ERR(ZR_E_UNSUPPORTED,  ZR_EXIT_INPUT,   "unsupported image") \
	ZR_ERR(ZR_E_PIXELS,       ZR_EXIT_INPUT,   "image too large") \
	ZR_ERR(ZR_E_NO_FIT,       ZR_EXIT_PROBLEM, "cannot fit the size limit") \
	ZR_ERR(ZR_E_NO_MODEL,     ZR_EXIT_INPUT,   "face landmark model not found") \
	ZR_ERR(ZR_E_REFUSED,      ZR_EXIT_PROBLEM, "photo cannot be framed to the rule") \
	/* PDF (zr-pdfmerge, zr-letter) */ \
	ZR_ERR(ZR_E_NOT_PDF,      ZR_EXIT_INPUT,   "not a PDF file") \
	ZR_ERR(ZR_E_PDF,          ZR_EXIT_INPUT,   "damaged PDF") \
	ZR_ERR(ZR_E_PDF_PASSWORD, ZR_EXIT_INPUT,   "PDF needs a password") \
	ZR_ERR(ZR_E_PDF_WRITE,    ZR_EXIT_INPUT,   "cannot write PDF") \
	ZR_ERR(ZR_E_FONT,         ZR_EXIT_INPUT,   "font not found") \
	/* mail (zr-letter) */ \
	ZR_ERR(ZR_E_MAIL,         ZR_EXIT_INPUT,   "cannot decode mail") \
	ZR_ERR(ZR_E_CHARSET,      ZR_EXIT_INPUT,   "unknown character set") \
	ZR_ERR(ZR_E_CONFLICT,     ZR_EXIT_PROBLEM, "facts contradict each other") \
	/* card and reader (zr-cardtest) */ \
	ZR_ERR(ZR_E_NO_SERVICE,   ZR_EXIT_DEVICE,  "smart card service (pcscd) not running") \
	ZR_ERR(ZR_E_NO_READER,    ZR_EXIT_DEVICE,  "no smart card reader") \
	ZR_ERR(ZR_E_NO_CARD,      ZR_EXIT_DEVICE,  "no card in the reader") \
	ZR_ERR(ZR_E_CARD_REMOVED, ZR_EXIT_DEVICE,  "card removed") \
	ZR_ERR(ZR_E_READER_GONE,  ZR_EXIT_DEVICE,  "reader removed") \
	ZR_ERR(ZR_E_PCSC,         ZR_EXIT_DEVICE,  "smart card error") \
	ZR_ERR(ZR_E_CARD,         ZR_EXIT_INPUT,   "card returned an error") \
	ZR_ERR(ZR_E_WRONG_CARD,   ZR_EXIT_INPUT,   "unexpected card") \
	ZR_ERR(ZR_E_PIN_WRONG,    ZR_EXIT_PROBLEM, "wrong PIN") \
	ZR_ERR(ZR_E_PIN_LOCKED,   ZR_EXIT_PROBLEM, "PIN is blocked") \
	ZR_ERR(ZR_E_PIN_LAST,     ZR_EXIT_PROBLEM, "only one PIN try left") \
	ZR_ERR(ZR_E_PIN_FORMAT,   ZR_EXIT_INPUT,   "PIN has the wrong form") \
	ZR_ERR(ZR_E_CERT,         ZR_EXIT_PROBLEM, "certificate problem") \
	ZR_ERR(ZR_E_CRYPTO,       ZR_EXIT_INPUT,   "cryptographic error") \
	ZR_ERR(ZR_E_CARD_NUMBER,  ZR_EXIT_PROBLEM, "card number does not match the card") \
	ZR_ERR(ZR_E_NO_EXTENDED,  ZR_EXIT_DEVICE,  "reader does not support extended-length APDUs") \
	/* findings of the checks: the codes of "problems" and "notes" in \
	 * the JSON output (zairyu-json(5)) that are not errors above.  A \
	 * finding named like an error above (date, name, pixels, not_pdf, \
	 * too_big, ...) uses that entry. */ \
	ZR_ERR(ZR_E_NOTE,         ZR_EXIT_OK,      "note") \
	ZR_ERR(ZR_E_DEFAULTED,    ZR_EXIT_OK,      "the usual value, not read from the input") \
	ZR_ERR(ZR_E_DEADLINE,     ZR_EXIT_PROBLEM, "a deadline passed or is near") \
	ZR_ERR(ZR_E_DIFFERS,      ZR_EXIT_PROBLEM, "documents disagree") \
	ZR_ERR(ZR_E_ORDER,        ZR_EXIT_PROBLEM, "name parts in another order") \
	ZR_ERR(ZR_E_CASE,         ZR_EXIT_PROBLEM, "letter case differs") \
	ZR_ERR(ZR_E_WIDTH,        ZR_EXIT_PROBLEM, "full-width characters") \
	ZR_ERR(ZR_E_SPACING,      ZR_EXIT_PROBLEM, "spacing differs") \
	ZR_ERR(ZR_E_SEPARATOR,    ZR_EXIT_PROBLEM, "separator differs") \
	ZR_ERR(ZR_E_MISSING_PART, ZR_EXIT_PROBLEM, "a name part is missing") \
	ZR_ERR(ZR_E_EXTRA_PART,   ZR_EXIT_PROBLEM, "an extra name part") \
	ZR_ERR(ZR_E_DIACRITIC,    ZR_EXIT_PROBLEM, "diacritic") \
	ZR_ERR(ZR_E_REJECTED_CHAR, ZR_EXIT_PROBLEM, "character the form rejects") \
	ZR_ERR(ZR_E_NEAR_MISS,    ZR_EXIT_PROBLEM, "almost the same name") \
	ZR_ERR(ZR_E_LENGTH,       ZR_EXIT_PROBLEM, "wrong length") \
	ZR_ERR(ZR_E_POSITION,     ZR_EXIT_PROBLEM, "wrong character at a position") \
	ZR_ERR(ZR_E_CHECK_DIGIT,  ZR_EXIT_PROBLEM, "check digit wrong") \
	ZR_ERR(ZR_E_EXPIRED,      ZR_EXIT_PROBLEM, "expired") \
	ZR_ERR(ZR_E_BIRTH_DATE,   ZR_EXIT_PROBLEM, "date of birth differs") \
	ZR_ERR(ZR_E_SEX,          ZR_EXIT_PROBLEM, "sex differs") \
	ZR_ERR(ZR_E_PASSPORT_NUMBER, ZR_EXIT_PROBLEM, "passport number differs") \
	ZR_ERR(ZR_E_TRANSLITERATED, ZR_EXIT_OK,    "transliterated") \
	ZR_ERR(ZR_E_TRUNCATED,    ZR_EXIT_OK,      "truncated") \
	ZR_ERR(ZR_E_ASPECT,       ZR_EXIT_PROBLEM, "wrong aspect ratio") \
	ZR_ERR(ZR_E_BACKGROUND,   ZR_EXIT_PROBLEM, "background not plain") \
	ZR_ERR(ZR_E_BRIGHT,       ZR_EXIT_PROBLEM, "too bright") \
	ZR_ERR(ZR_E_BYTES,        ZR_EXIT_PROBLEM, "too many bytes") \
	ZR_ERR(ZR_E_CLIPPED,      ZR_EXIT_PROBLEM, "clipped highlights or shadows") \
	ZR_ERR(ZR_E_COLOUR,       ZR_EXIT_PROBLEM, "colour problem") \
	ZR_ERR(ZR_E_DARK,         ZR_EXIT_PROBLEM, "too dark") \
	ZR_ERR(ZR_E_EDGE,         ZR_EXIT_PROBLEM, "subject touches the edge") \
	ZR_ERR(ZR_E_FORMAT,       ZR_EXIT_PROBLEM, "wrong file format") \
	ZR_ERR(ZR_E_FUTURE,       ZR_EXIT_PROBLEM, "dated in the future") \
	ZR_ERR(ZR_E_GPS,          ZR_EXIT_PROBLEM, "carries a location") \
	ZR_ERR(ZR_E_INK,          ZR_EXIT_PROBLEM, "ink problem") \
	ZR_ERR(ZR_E_METADATA,     ZR_EXIT_PROBLEM, "carries metadata") \
	ZR_ERR(ZR_E_ORIENTATION,  ZR_EXIT_PROBLEM, "rotated by metadata") \
	ZR_ERR(ZR_E_PAPER,        ZR_EXIT_PROBLEM, "paper not plain") \
	ZR_ERR(ZR_E_PROGRESSIVE,  ZR_EXIT_PROBLEM, "progressive JPEG") \
	ZR_ERR(ZR_E_RECENCY,      ZR_EXIT_PROBLEM, "photo too old") \
	ZR_ERR(ZR_E_DAMAGED,      ZR_EXIT_PROBLEM, "damaged file") \
	ZR_ERR(ZR_E_EMBEDDED_FILES, ZR_EXIT_PROBLEM, "embedded files") \
	ZR_ERR(ZR_E_ENCRYPTED,    ZR_EXIT_PROBLEM, "encrypted") \
	ZR_ERR(ZR_E_EXTENSION,    ZR_EXIT_PROBLEM, "file name extension not allowed") \
	ZR_ERR(ZR_E_JAVASCRIPT,   ZR_EXIT_PROBLEM, "JavaScript") \
	ZR_ERR(ZR_E_LOW_DPI,      ZR_EXIT_PROBLEM, "resolution too low") \
	ZR_ERR(ZR_E_PAGE_SIZE,    ZR_EXIT_PROBLEM, "page size not allowed") \
	ZR_ERR(ZR_E_TOTAL,        ZR_EXIT_PROBLEM, "too much in total") \
	ZR_ERR(ZR_E_CARD_STEP,    ZR_EXIT_PROBLEM, "a card check failed") \
	ZR_ERR(ZR_E_RENEW_STEP,   ZR_EXIT_PROBLEM, "a renewal step found a problem") \
	/* the landmark checks of a portrait (zr-photo --check) */ \
	ZR_ERR(ZR_E_NO_FACE,      ZR_EXIT_PROBLEM, "no face found") \
	ZR_ERR(ZR_E_FACES,        ZR_EXIT_PROBLEM, "more than one face") \
	ZR_ERR(ZR_E_HEAD_CUT,     ZR_EXIT_PROBLEM, "head cut by the top edge") \
	ZR_ERR(ZR_E_HEAD_SIZE,    ZR_EXIT_PROBLEM, "head size outside the band") \
	ZR_ERR(ZR_E_TOP_MARGIN,   ZR_EXIT_PROBLEM, "space above the head outside the band") \
	ZR_ERR(ZR_E_CHIN_MARGIN,  ZR_EXIT_PROBLEM, "space below the chin outside the band") \
	ZR_ERR(ZR_E_CENTRE,       ZR_EXIT_PROBLEM, "face not centred") \
	ZR_ERR(ZR_E_ROLL,         ZR_EXIT_PROBLEM, "eyes not level") \
	ZR_ERR(ZR_E_YAW,          ZR_EXIT_PROBLEM, "face turned to one side") \
	ZR_ERR(ZR_E_CROWN_ESTIMATED, ZR_EXIT_OK,   "crown estimated, not seen")

#define ZR_ENUM_ENTRY_(name, cls, msg) name,
enum zr_code { ZR_ERROR_TABLE(ZR_ENUM_ENTRY_) ZR_E_COUNT_ };
#undef ZR_ENUM_ENTRY_

/*
 * What a fallible function reports.  Every fallible public function
 * returns 0 on success or -1 and fills *err (err may be NULL).
 * msg is one line without a trailing newline; subject is the file or
 * reader the message is about, or empty.
 */
struct zr_error {
	int code;           /* enum zr_code */
	int sys_errno;      /* errno when the cause was a system call, else 0 */
	unsigned sw;        /* ISO 7816 status word when a card said no, else 0 */
	int line;           /* line number in subject, or 0 */
	char subject[256];
	char msg[256];
};

/* The default message of code. Never NULL. */
const char *zr_strerror(int code);

/* The exit class (enum zr_exit) of code. */
int zr_code_exit(int code);

/* The name of code as in the table ("ZR_E_NOT_JPEG"), for C programmers. */
const char *zr_code_name(int code);

/*
 * The code's id for JSON and scripts: its name in lowercase without the
 * ZR_E_ prefix ("not_jpeg", "no_fit", "aspect").  Never NULL; an unknown
 * code is "internal".  zr_code_from_id() is the reverse, or -1.
 */
const char *zr_code_id(int code);
int zr_code_from_id(const char *id);

/*
 * Fill *err (if not NULL): code, subject (may be NULL), and a message from
 * fmt (NULL fmt: the code's default message).  Returns -1 so that callers
 * can write "return zr_error_set(...)".
 */
int zr_error_set(struct zr_error *err, int code, const char *subject,
    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* As zr_error_set, also recording errno and appending ": strerror". */
int zr_error_sys(struct zr_error *err, int code, int errnum,
    const char *subject, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Set the line number (for parsers); returns -1. */
int zr_error_line(struct zr_error *err, int line);

/* Reset *err to ZR_E_OK. */
void zr_error_clear(struct zr_error *err);

#endif
