/* zairyu-tools: helpers the fuzz targets share (linked into every target). */
/* SPDX-License-Identifier: MIT */
#ifndef ZR_FUZZUTIL_H
#define ZR_FUZZUTIL_H

#include <stddef.h>

/*
 * The bytes data[0..len-1] as a file: one file per slot (0..7) and
 * process, made once in $TMPDIR (or /tmp), rewritten on each call and
 * removed at exit.  The tools read paths, so the targets go through the
 * same entry points.  NULL when the file cannot be written.
 */
const char *fuzz_file(int slot, const void *data, size_t len);

/*
 * The same, with the file's name ending in suffix (".pdf"; "" for none),
 * fixed when the slot's file is made: use one slot per suffix.
 */
const char *fuzz_file_named(int slot, const char *suffix, const void *data,
    size_t len);

/*
 * A TrueType font of 96 empty glyphs (.notdef and ASCII), with every
 * table libharu asks for, made once per process: the kit PDF with it
 * takes a fraction of a millisecond where the 6 MB IPAex font takes
 * about 100 ms.  NULL when it cannot be written.
 */
const char *fuzz_tiny_font(void);

/*
 * poppler builds its process-wide tables (GlobalParams: the encoding
 * folders and name-to-Unicode maps) when the first document opens and
 * tears them down when the last one is freed.  A tool opens its few
 * documents in one run (zr-pdfmerge --preview once, a merge that renders
 * damaged pages once per round, at most 3); a fuzzer that frees every
 * document paid it for every input (3/4 of fuzz_preview's time, 1/10 of
 * fuzz_pdf's).  This opens one small document, kept for the whole run,
 * so the tables live on; the code each input goes through is the same.
 */
void fuzz_keep_poppler_tables(void);

#endif
