/* libzairyu: reading a secret (PIN, password) from a terminal or a file
 * descriptor, with echo off, and wiping it. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_SECRET_H
#define ZAIRYU_SECRET_H

#include <stddef.h>

#include "zairyu/error.h"

/* Longest line taken: a PDF password counts up to 127 bytes of UTF-8
 * (ISO 32000-2:2020, 7.6.4.3.3: longer ones are cut there, so a longer
 * line is refused rather than cut here); the JPKI card takes 16
 * characters (zr_jpki_check_secret() checks that). */
#define ZR_SECRET_MAX 127

/*
 * A secret in one fixed buffer, so that every exit path can wipe it (the
 * brief: secrets never from argv or the environment, never echoed,
 * wiped).  Keep it in static storage or wipe it before it leaves scope.
 */
struct zr_secret {
	char buf[ZR_SECRET_MAX + 1];    /* NUL-terminated */
	size_t len;
};

/*
 * Read one line from fd into s, byte by byte (no stdio buffer keeps a
 * copy); a final CR is dropped.  Errors: ZR_E_IO, ZR_E_PIN_FORMAT (empty
 * line, or longer than ZR_SECRET_MAX; the secret itself is never in the
 * message).  s is wiped on error.
 */
int zr_secret_read_fd(int fd, struct zr_secret *s, struct zr_error *err);

/*
 * Ask on the controlling terminal (/dev/tty): write prompt, read one line.
 * With echo 0 the terminal's echo is off while reading and given back
 * before returning, also when a signal (INT, TERM, HUP, QUIT, TSTP)
 * stops or ends the program (then the previous handler runs); Ctrl-Z
 * and fg turn it off again.  Errors: ZR_E_USAGE when there is no
 * terminal, ZR_E_IO, and those of zr_secret_read_fd.
 */
int zr_secret_read_tty(const char *prompt, int echo, struct zr_secret *s,
    struct zr_error *err);

/*
 * Ask a yes/no question on the terminal (echo on): 1 only for "yes" or
 * "YES", 0 for anything else or when there is no terminal.
 */
int zr_tty_confirm(const char *question);

/* Wipe s (OPENSSL_cleanse: not optimised away). */
void zr_secret_wipe(struct zr_secret *s);

#endif
