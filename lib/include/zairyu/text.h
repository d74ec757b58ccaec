/* libzairyu: UTF-8 helpers shared by the text parsers. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_TEXT_H
#define ZAIRYU_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * 1 if s[0..len-1] is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF); else 0 and *bad (if not NULL) is the byte
 * offset of the first bad sequence.
 */
int zr_utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Decode one code point at *p (before end) and advance *p.  Returns the
 * code point, or -1 for a malformed sequence (then *p advances one byte).
 */
int32_t zr_utf8_next(const char **p, const char *end);

/* Encode cp into out (4 bytes at least); returns the byte count (0 if bad). */
size_t zr_utf8_put(int32_t cp, char *out);

/* Number of code points in a valid UTF-8 string. */
size_t zr_utf8_count(const char *s);

/*
 * The lines of a text of len bytes at text, for line-based readers (facts
 * files, MRZ text): zr_text_lines_start() skips a UTF-8 byte-order mark;
 * each zr_text_line() returns the next line and its length in *n, without
 * the '\n' and one '\r' before it, and moves *p past it; NULL at the end.
 * A last line without '\n' is a line; an empty text has none.
 */
const char *zr_text_lines_start(const char *text, size_t len);
const char *zr_text_line(const char **p, const char *end, size_t *n);

/*
 * Full-width ASCII forms (U+FF01..U+FF5E) to ASCII and the ideographic
 * space U+3000 to a space; everything else kept.  Returns a new string
 * (caller frees) or NULL when out of memory.  Input must be valid UTF-8.
 */
char *zr_text_halfwidth(const char *s);

/*
 * The one full-width folding of a code point: U+FF01..U+FF5E to ASCII,
 * the ideographic space U+3000 to a space; anything else unchanged.
 * Every parser that reads either width folds through this.
 */
int32_t zr_cp_halfwidth(int32_t cp);

/*
 * Width folding for matching (a new string, caller frees; NULL when out of
 * memory): full-width ASCII to ASCII, U+3000 to a space, half-width
 * katakana to full-width (with their voiced marks), and dash look-alikes
 * (ー, −, ‐, ‒, –, —, ―) between digits to "-".  Input must be valid UTF-8.
 */
char *zr_text_fold(const char *s);

/*
 * in[0..len-1] from the iconv character set `from` to UTF-8: *out is a
 * new NUL-terminated string (caller frees) of *outlen bytes.  A bad or
 * cut sequence fails (ZR_E_SYNTAX, *bad = its offset when bad is not
 * NULL), or with replace becomes U+FFFD, one a byte, so that one odd
 * character does not hide the rest.  A stateful encoding's shift state
 * and a held-back character (Shift_JISX0213) are flushed.  Errors:
 * ZR_E_CHARSET (iconv does not know `from`), ZR_E_SYNTAX, ZR_E_NOMEM.
 */
struct zr_error;
int zr_text_convert(const char *from, const unsigned char *in, size_t len,
    int replace, char **out, size_t *outlen, size_t *bad,
    struct zr_error *err);

/* Levenshtein distance of two byte strings (for "did you mean"). */
size_t zr_edit_distance(const char *a, const char *b);

#endif
