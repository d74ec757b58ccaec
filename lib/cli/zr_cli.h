/* zairyu-tools: helpers shared by the zr-* programs (not part of libzairyu). */
/* SPDX-License-Identifier: MIT */
#ifndef ZR_CLI_H
#define ZR_CLI_H

#include <getopt.h>
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

/* --get KEY[,KEY...] (the plain single-value output of zr-deadline and
 * zr-pdfmerge --preview): 0 when every key of the comma-separated list
 * is one of keys (NULL-terminated), else -1. */
int zr_cli_keys_ok(const char *list, const char *const keys[]);
/* The next key of such a list: its start and length in *n; *list moves
 * past it.  NULL when the list is done. */
const char *zr_cli_key_next(const char **list, size_t *n);
/* The key [k, k+n) is name. */
int zr_cli_key_is(const char *k, size_t n, const char *name);

/*
 * The skeleton of every tool (zairyu(7)):
 *
 *	int main(int argc, char **argv) {
 *		parse:    zr_cli_parse()    the common options here, the
 *		                            tool's own through spec.opt
 *		validate: the tool's operands and option combinations
 *		do:       the library calls
 *		report:   text or --json, then return zr_cli_finish(rc)
 *	}
 *
 * The common options, accepted by every tool with one meaning (README,
 * "Conventions"): -h/--help, -V/--version, -q/--quiet, -v/--verbose,
 * -o/--output FILE, --json, --today DATE, --rules-date DATE.
 */
struct zr_cli {
	int quiet;
	int verbose;
	int json;
	const char *output;     /* -o FILE, or NULL */
	const char *today_arg;  /* as given, or NULL */
	const char *rules_arg;
	struct zr_date today;   /* --today, else today in Japan */
	struct zr_date rules;   /* --rules-date, else today */
};

struct zr_cli_spec {
	const char *shortopts;         /* the tool's own ("c", "lr:w::") */
	const struct option *longopts; /* the tool's own, {NULL} ended; not
					  the common ones */
	/* One of the tool's own options; return 0, or an exit status to
	 * stop with (after reporting). */
	int (*opt)(void *ctx, int c, const char *arg);
	void (*usage)(FILE *);
};

/*
 * Parse argv.  Returns -1 to go on with the operands argv[*first..argc-1],
 * or the exit status main() returns (0 after -h or -V, 2 after a usage
 * error, already reported).  Dates are resolved here: an invalid --today
 * or --rules-date is a usage error.
 */
int zr_cli_parse(struct zr_cli *cli, const struct zr_cli_spec *spec,
    void *ctx, int argc, char **argv, int *first);

/* With --json, an error reported through zr_cli_report() also writes one
 * object to standard output, of status "problem" for a code of exit
 * class 1 and "error" for 2 or 3 (zairyu-json(5)); zr_cli_parse() turns
 * it on.  A tool that has written its own object for the error turns it
 * off first.  A tool that writes its
 * own object whatever happens (zr-cardtest) turns it off. */
void zr_cli_json_errors(int on);

/*
 * A minimal JSON Lines writer: one object per line, keys in the order
 * written, strings escaped (UTF-8 kept, control characters as \u00XX).
 * Inside an array pass key NULL.  Every object starts "tool", "version",
 * "status" (zairyu-json(5)): the line is kept in memory until
 * zr_json_end(), which puts the top-level status third wherever the tool
 * gave it, so a tool can decide it after its findings.
 */
struct zr_json {
	FILE *fp;               /* where the keys go: the line in memory */
	FILE *out;              /* where the line goes at the end */
	char *buf;
	size_t len;
	long mark;              /* the end of "tool" and "version" */
	char status[16];        /* the top-level status, or "" */
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
/* Write s as a JSON string literal.  Bytes that are not UTF-8 are
 * written as U+FFFD (in UTF-8), one per byte, so the output is always
 * UTF-8. */
void zr_json_escape(FILE *fp, const char *s);

/*
 * The common keys (zairyu-json(5)).  status is one of ZR_JSON_OK,
 * ZR_JSON_PROBLEM, ZR_JSON_ERROR.  A finding is an object of "code" (an
 * id of the error table, zr_code_id()), "message", and "file" and "line"
 * when not NULL / 0; zr_json_finding_open() leaves it open for more keys.
 */
#define ZR_JSON_OK      "ok"
#define ZR_JSON_PROBLEM "problem"
#define ZR_JSON_ERROR   "error"
/* At the top level: the status, written third by zr_json_end(). */
void zr_json_status(struct zr_json *j, const char *status);
void zr_json_finding_open(struct zr_json *j, int code, const char *message,
    const char *file, int line);
void zr_json_finding(struct zr_json *j, int code, const char *message,
    const char *file, int line);
/* The same with the code given by its id ("aspect", from a library
 * report).  The id is written as given: the JSON test validates every id
 * against the table (tests/cli/json.sh). */
void zr_json_finding_id(struct zr_json *j, const char *id,
    const char *message, const char *file, int line);
/* An error as a finding: its code, message, subject and line. */
void zr_json_error(struct zr_json *j, const struct zr_error *e);
/* An empty array under key ("notes": []). */
void zr_json_empty_arr(struct zr_json *j, const char *key);

#endif
