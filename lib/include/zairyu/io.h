/* libzairyu: bounded input and atomic output. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_IO_H
#define ZAIRYU_IO_H

#include <stddef.h>
#include <stdio.h>

#include "zairyu/error.h"

/* Default cap on a read: no input of ours is larger (a scan set is split). */
#define ZR_READ_MAX ((size_t)256 * 1024 * 1024)

/* "-" is shown as "<stdin>" (or "<stdout>" for output) in messages. */
const char *zr_display_name(const char *path);

/*
 * Read all of path ("-" = standard input) into a new buffer, at most max
 * bytes (0 = ZR_READ_MAX).  The buffer gets one extra NUL byte after the
 * data, so text parsers may treat it as a string.  Directories and other
 * non-regular files (except stdin and FIFOs) are refused.  The caller
 * frees *buf.  Errors: ZR_E_OPEN, ZR_E_NOT_FILE, ZR_E_TOO_BIG, ZR_E_IO,
 * ZR_E_NOMEM.  An empty file is not an error here.
 */
int zr_read_file(const char *path, size_t max, unsigned char **buf,
    size_t *len, struct zr_error *err);

/*
 * The inputs of this process.  Every file the library reads (through
 * zr_read_file() and the PDF, image and font readers) is registered by
 * device and inode; an atomic output (zr_out_open(), zr_out_commit())
 * refuses any registered file with ZR_E_SAME_FILE, so no tool can write
 * over one of its inputs, whatever option named it.  A program that opens
 * a file by other means (a CA file OpenSSL reads, a secret's descriptor)
 * registers it with zr_input_note() or zr_input_note_fd().  Standard
 * input read by zr_read_file() is registered as "<stdin>" when it is a
 * regular file ("- < x.jpg"); non-regular files are not.  Thread-safe.
 *
 * zr_input_guard_stdout(1) (every zr-* tool) also guards standard output:
 * from then on registering a file that is the regular file on standard
 * output ("zr-photo --check x.jpg >> x.jpg") fails with ZR_E_SAME_FILE,
 * "standard output is this input file", so the read fails before
 * anything could be printed into the input.  The file is registered all
 * the same.  The note functions return 0, or -1 with err set (it may be
 * NULL): ZR_E_SAME_FILE, ZR_E_OPEN or ZR_E_IO when the file cannot be
 * looked at, ZR_E_NOMEM.
 */
void zr_input_guard_stdout(int on);
int zr_input_note(const char *path, struct zr_error *err);
int zr_input_note_fd(int fd, const char *path, struct zr_error *err);
/* Standard output is a regular file registered as an input. */
int zr_input_is_stdout(void);
/* The path under which a registered input with the inode of st was
 * read, or NULL. */
struct stat;
const char *zr_input_find(const struct stat *st);
/* Forget every registered input (tests). */
void zr_input_reset(void);

/*
 * Atomic output.  zr_out_open() creates a temporary file beside path
 * (mode 0600, then the umask's mode on commit), or uses standard output
 * when path is "-" or NULL.  binary != 0 refuses a terminal on stdout.
 * inputs[0..ninputs-1] are paths to be read later: an output that is the
 * same file as one of them, or as any registered input (above), is
 * refused (ZR_E_SAME_FILE), so an input is never overwritten; commit
 * checks the registry again before it renames.  zr_out_commit() flushes, fsyncs and renames into
 * place; zr_out_abort() removes the temporary file.  Both free the handle.
 * A handle not committed leaves nothing behind after zr_out_abort().
 */
struct zr_out;

int zr_out_open(struct zr_out **out, const char *path, int binary,
    const char *const *inputs, size_t ninputs, struct zr_error *err);
FILE *zr_out_file(struct zr_out *out);
int zr_out_commit(struct zr_out *out, struct zr_error *err);
void zr_out_abort(struct zr_out *out);
/* len bytes of data written to out, then committed (aborted if the
 * write fails). */
int zr_out_write_commit(struct zr_out *out, const void *data, size_t len,
    struct zr_error *err);

/*
 * Remove every temporary file of handles still open.  Async-signal-safe
 * (only unlink(2)), for a tool's SIGINT/SIGTERM handler.
 */
void zr_out_abort_all_signal(void);

/*
 * A scratch file for bytes too large for memory: made with mkstemp(3) in
 * $TMPDIR (else /tmp), unlinked at once (nothing is left behind, even on a
 * crash), opened read-write.  tmpfile(3) ignores TMPDIR, and /tmp is often
 * a tmpfs, where the bytes count as memory (issue 14).  NULL and err set
 * ("DIR: cannot make a temporary file: ...") when it cannot be made.
 */
FILE *zr_scratch_file(struct zr_error *err);

/* Write len bytes to path atomically (open, write, commit). */
int zr_write_file(const char *path, const void *data, size_t len, int binary,
    const char *const *inputs, size_t ninputs, struct zr_error *err);

#endif
