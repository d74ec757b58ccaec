/* zr-cardtest: what its parts share (cmd/zr-cardtest.c: options and the
 * first steps; report.c: the step lines and --json; jpki.c: the My
 * Number card's JPKI steps; rcard.c: the residence card mode). */
/* SPDX-License-Identifier: MIT */
#ifndef ZR_CARDTEST_H
#define ZR_CARDTEST_H

#include <stdio.h>
#include <time.h>

#include "zr_cli.h"


struct opts {
	struct zr_cli cli;      /* the common options (zr_cli_parse()) */
	const char *ca_file;
	const char *card_number;        /* --residence-card */
	const char *facts;
	const char *save_images;
	const char *write_facts;
	int residence;
	const char *reader;
	int auth_pin;
	int force;
	int list;
	int password_fd;        /* -1: the terminal */
	int sign_password;
	int wait;
	long wait_ms;           /* < 0: for ever */
};

enum { ST_OK, ST_WARN, ST_FAIL };

struct run {
	const struct opts *o;
	FILE *fp;
	struct zr_json j;
	int exit;               /* 0, 1 or 3 */
	struct zr_date today;   /* --today, else today in Japan */
	struct zr_date rules;   /* --rules-date, else today */
	time_t now;
	/* Summary for --json. */
	char reader[ZR_READER_NAME_MAX];
	char atr[3 * ZR_ATR_MAX + 1];
	const char *card;
	int have_auth, have_sign;
	struct zr_cert_info auth, sign;
	long auth_days, sign_days;
	struct zr_pin_status pin[2];
	int have_pin[2];
	int uppercased;
	int signature_ok;
	/* With --json the steps are kept and written after the status
	 * (tool, version, status first: zairyu-json(5)); the ones not ok
	 * are also its problems and notes. */
	struct ct_step {
		int status;
		char id[24];
		char msg[512];
		const char *fix;        /* a static string, or NULL */
	} steps[64];
	int nsteps;
};

/* The secret (PIN, password, or the card number typed in) lives here so
 * that every exit path can wipe it (report.c, which every part uses:
 * the parts depend on report.c only, and zr-cardtest.c on them all). */
extern struct zr_secret ct_secret;
void ct_wipe_secret(void);

/* ---- report.c ---- */

/* One step of the report: a line (✓ ⚠ ✗ and the message, then the fix)
 * or a --json object; ST_FAIL makes the exit 1. */
void step(struct run *R, const char *id, int status, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* An indented detail line under a step (human output only). */
void detail(struct run *R, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A device error ends the run with exit 3: one line on stderr, and the
 * failed step in the report. */
int device_fail(struct run *R, const char *id, const struct zr_error *e);
/* Any error from the card: device errors end with 3, others are
 * problems (fix: what to do, or NULL). */
int card_fail(struct run *R, const char *id, const struct zr_error *e,
    const char *fix);
/* The --json summary after the steps; more (or NULL) adds a mode's
 * own objects before the status. */
void report_end(struct run *R, void (*more)(struct run *));

/* ---- jpki.c ---- */

/* Read the PIN or password (--password-fd or the terminal) and check its
 * form, before any APDU; *interactive is 1 for the terminal. */
int jpki_get_secret(struct run *R, int *interactive);
/* Steps 4 to 10 on an identified card: the JPKI application, the
 * certificates, the tries left, and the credential asked for. */
void jpki_run(struct run *R, struct zr_transport *t,
    const struct zr_card_id *id, int interactive);

/* ---- rcard.c ---- */

/* The card number (--card-number, --facts, or the terminal); 0 or an
 * exit code after one line on stderr. */
int rcard_number(const struct opts *o);
/* The --residence-card steps on an identified card. */
void rcard_run(struct run *R, struct zr_transport *t,
    const struct zr_card_id *id);
void rcard_json(struct run *R);
void rcard_free(void);

#endif
