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

#endif
