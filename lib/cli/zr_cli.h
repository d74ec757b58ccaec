/* zairyu-tools: helpers shared by the zr-* programs (not part of libzairyu). */
/* SPDX-License-Identifier: MIT */
#ifndef ZR_CLI_H
#define ZR_CLI_H

#include <stdio.h>

#include "zairyu/zairyu.h"

/*
 * Unlike libzairyu, this code prints: it is the one place where an error
 * becomes "zr-NAME: FILE: message" and an exit status (zairyu(7)).
 */

/* Record the program name and install signal handlers that remove
 * half-written output files. */
void zr_cli_init(const char *prog);
const char *zr_cli_prog(void);

/* Print "prog: subject:line: msg" (parts omitted when empty) to stderr and
 * return the code's exit class. */
int zr_cli_report(const struct zr_error *e);

/* Make and report an error in one go; returns the exit class. */
int zr_cli_fail(int code, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "prog: warning: ..." to stderr. */
void zr_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "prog: reason" and the usage to stderr; returns 2. */
int zr_cli_usage_error(void (*usage)(FILE *), const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "zr-NAME (zairyu-tools) X.Y.Z" to stdout; returns 0. */
int zr_cli_version(void);

/* Flush standard output and check it (a full disk, /dev/full): on error
 * print it and return 2, else return rc. */
int zr_cli_finish(int rc);

/* Parse a date option (--today 2026-05-31); on error print
 * "prog: --today: ..." and return -1. */
int zr_cli_date_arg(const char *opt, const char *s, struct zr_date *out);

/* --today if given, else today in Japan; --rules-date if given, else today.
 * On error print and return -1. */
int zr_cli_today(const char *today_arg, struct zr_date *today);

/* Parse a non-negative integer with an optional k/K/M suffix (1000-based:
 * 50k = 50000, 10M = 10000000; KiB/MiB 1024-based).  -1 on error. */
int zr_cli_size_arg(const char *opt, const char *s, long long *out);

/*
 * A minimal JSON Lines writer: one object per line, keys in the order
 * written, strings escaped (UTF-8 kept, control characters as \u00XX).
 * Inside an array pass key NULL.
 */
struct zr_json {
	FILE *fp;
	int depth;
	int first[32];
};

/* '{' then "tool" and "version". */
void zr_json_begin(struct zr_json *j, FILE *fp);
void zr_json_str(struct zr_json *j, const char *key, const char *val);
void zr_json_int(struct zr_json *j, const char *key, long long val);
void zr_json_bool(struct zr_json *j, const char *key, int val);
void zr_json_null(struct zr_json *j, const char *key);
void zr_json_date(struct zr_json *j, const char *key, struct zr_date d);
void zr_json_obj(struct zr_json *j, const char *key);   /* open '{' */
void zr_json_arr(struct zr_json *j, const char *key);   /* open '[' */
void zr_json_close_obj(struct zr_json *j);
void zr_json_close_arr(struct zr_json *j);
/* Close the top object and end the line. */
void zr_json_end(struct zr_json *j);
/* Write s as a JSON string literal. */
void zr_json_escape(FILE *fp, const char *s);

#endif
