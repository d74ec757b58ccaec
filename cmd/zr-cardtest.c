/* zr-cardtest: check reader, My Number card and JPKI certificates without
 * spending a PIN try by accident; read and verify a residence card.
 * This file: options, the first steps (service, readers, card) and the
 * dispatch; cmd/cardtest/ has the report, the JPKI steps and the
 * residence card mode. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cardtest/cardtest.h"

static void
usage(FILE *fp)
{
	fputs("usage: zr-cardtest [-qv] [--json] [-o file] [-r reader] "
	    "[--wait[=seconds]]\n"
	    "                   [--today date] [--rules-date date] "
	    "[--ca-file file]\n"
	    "                   [--sign-password | --auth-pin] "
	    "[--password-fd n] [--force]\n"
	    "       zr-cardtest --residence-card [--card-number number | "
	    "--facts file]\n"
	    "                   [--ca file] [--save-images dir] "
	    "[--write-facts file] [-qv]\n"
	    "                   [--json] [-o file] [-r reader] "
	    "[--wait[=seconds]]\n"
	    "       zr-cardtest --list-readers [--json] [-o file]\n"
	    "       zr-cardtest -h | -V\n", fp);
}

/* ---- the steps ---------------------------------------------------- */

/* Which reader: -r, or the first with a card; --wait waits for one. */
static int
find_card(struct run *R, struct zr_pcsc *p, struct zr_reader *rd)
{
	struct zr_error e;

	if (R->o->wait) {
		if (!R->o->cli.quiet && !R->o->cli.json)
			fprintf(stderr, "zr-cardtest: waiting for a card...\n");
		if (zr_pcsc_wait(p, R->o->reader, R->o->wait_ms, rd, &e) < 0)
			return device_fail(R, "card", &e);
	} else if (zr_pcsc_pick(p, R->o->reader, rd, &e) < 0) {
		if (e.code == ZR_E_USAGE) {
			zr_cli_report(&e);
			R->exit = ZR_EXIT_INPUT;
			return -1;
		}
		return device_fail(R, "card", &e);
	}
	snprintf(R->reader, sizeof(R->reader), "%s", rd->name);
	if (!rd->card) {
		zr_error_set(&e, ZR_E_NO_CARD, rd->name,
		    "no card in the reader");
		return device_fail(R, "card", &e);
	}
	return 0;
}

static int
list_readers(struct run *R)
{
	struct zr_reader r[16];
	struct zr_pcsc *p = NULL;
	struct zr_error e;
	size_t n;
	char atr[3 * ZR_ATR_MAX + 1];

	if (zr_pcsc_open(&p, &e) < 0 || zr_pcsc_list(p, r, 16, &n, &e) < 0) {
		zr_pcsc_close(p);
		if (R->o->cli.json) {
			zr_json_begin(&R->j, R->fp);
			zr_json_status(&R->j, ZR_JSON_ERROR);
			zr_json_str(&R->j, "message", e.msg);
			zr_json_int(&R->j, "exit", ZR_EXIT_DEVICE);
			zr_json_arr(&R->j, "problems");
			zr_json_error(&R->j, &e);
			zr_json_close_arr(&R->j);
			zr_json_empty_arr(&R->j, "notes");
			zr_json_end(&R->j);
		}
		zr_cli_report(&e);
		return ZR_EXIT_DEVICE;
	}
	zr_pcsc_close(p);
	if (R->o->cli.json) {
		zr_json_begin(&R->j, R->fp);
		zr_json_status(&R->j, ZR_JSON_OK);
		zr_json_arr(&R->j, "readers");
		for (size_t i = 0; i < n; i++) {
			zr_json_obj(&R->j, NULL);
			zr_json_int(&R->j, "index", (long long)i);
			zr_json_str(&R->j, "name", r[i].name);
			zr_json_bool(&R->j, "card", r[i].card);
			if (r[i].card)
				zr_json_str(&R->j, "atr", zr_hex_format(
				    r[i].atr, r[i].atrlen, atr, sizeof(atr)));
			zr_json_close_obj(&R->j);
		}
		zr_json_close_arr(&R->j);
		zr_json_empty_arr(&R->j, "problems");
		zr_json_empty_arr(&R->j, "notes");
		zr_json_end(&R->j);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (r[i].card)
			fprintf(R->fp, "%zu: %s: card (ATR %s)\n", i,
			    r[i].name, zr_hex_format(r[i].atr, r[i].atrlen,
			    atr, sizeof(atr)));
		else
			fprintf(R->fp, "%zu: %s: no card\n", i, r[i].name);
	}
	return 0;
}

static void
append(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(buf), m = strlen(s);

	if (n + 1 >= cap)
		return;
	if (m > cap - n - 1)
		m = cap - n - 1;
	memcpy(buf + n, s, m);
	buf[n + m] = '\0';
}

static int
run(struct run *R)
{
	const struct opts *o = R->o;
	struct zr_pcsc *p = NULL;
	struct zr_transport *t;
	struct zr_reader rd[16], card;
	struct zr_card_id id;
	struct zr_error e;
	unsigned char atr[ZR_ATR_MAX];
	size_t n, atrlen;
	int proto, interactive = 0;
	char names[16 * (ZR_READER_NAME_MAX + 2)];

	/* 1. the daemon */
	if (zr_pcsc_open(&p, &e) < 0) {
		device_fail(R, "pcscd", &e);
		return -1;
	}
	step(R, "pcscd", ST_OK, NULL, "smart card service (pcscd) reachable");
	/* 2. readers */
	if (zr_pcsc_list(p, rd, 16, &n, &e) < 0) {
		device_fail(R, "readers", &e);
		goto out;
	}
	names[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			append(names, sizeof(names), ", ");
		append(names, sizeof(names), rd[i].name);
	}
	step(R, "readers", ST_OK, NULL, "%zu reader%s: %s", n,
	    n == 1 ? "" : "s", names);
	/* 3. a card, connected */
	if (find_card(R, p, &card) < 0)
		goto out;
	if (zr_pcsc_connect(p, card.name, &e) < 0 ||
	    zr_pcsc_status(p, atr, &atrlen, &proto, &e) < 0) {
		device_fail(R, "card", &e);
		goto out;
	}
	zr_hex_format(atr, atrlen, R->atr, sizeof(R->atr));
	step(R, "card", ST_OK, NULL, "card present in %s (ATR %s, T=%d)",
	    card.name, R->atr, proto);
	t = zr_pcsc_transport(p);
	/* The secret, checked before the first APDU. */
	if ((o->sign_password || o->auth_pin) && jpki_get_secret(R,
	    &interactive) < 0)
		goto out;
	/* 4. what card (by probing, not by ATR) */
	if (zr_card_identify(t, &id, &e) < 0) {
		card_fail(R, "identify", &e, NULL);
		goto out;
	}
	if (o->residence)
		rcard_run(R, t, &id);
	else
		jpki_run(R, t, &id, interactive);
out:
	ct_wipe_secret();
	zr_pcsc_close(p);
	return R->exit == 0 ? 0 : -1;
}

static long
fd_arg(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v > INT_MAX)
		return -1;
	return v;
}

enum { O_CA = 256, O_FORCE, O_FD, O_SIGN, O_AUTH, O_RCARD, O_NUMBER,
    O_FACTS, O_IMAGES, O_WFACTS };

/* The tool's own options (zr_cli_parse() has the common ones). */
static int
on_opt(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;
	long v;

	switch (c) {
	case O_AUTH:
		o->auth_pin = 1;
		break;
	case O_CA:
		o->ca_file = arg;
		break;
	case O_FD:
		if ((v = fd_arg(arg)) < 0)
			return zr_cli_usage_error(usage,
			    "--password-fd: not a file descriptor: %s", arg);
		o->password_fd = (int)v;
		break;
	case O_FACTS:
		o->facts = arg;
		break;
	case O_FORCE:
		o->force = 1;
		break;
	case O_IMAGES:
		o->save_images = arg;
		break;
	case O_NUMBER:
		o->card_number = arg;
		break;
	case O_RCARD:
		o->residence = 1;
		break;
	case O_WFACTS:
		o->write_facts = arg;
		break;
	case O_SIGN:
		o->sign_password = 1;
		break;
	case 'l':
		o->list = 1;
		break;
	case 'r':
		o->reader = arg;
		break;
	case 'w':
		o->wait = 1;
		if (arg != NULL) {
			if ((v = fd_arg(arg)) < 0 || v > 86400)
				return zr_cli_usage_error(usage, "--wait: not "
				    "a number of seconds: %s", arg);
			o->wait_ms = v * 1000;
		}
		break;
	default:
		usage(stderr);
		return ZR_EXIT_INPUT;
	}
	return 0;
}

/* Parse and validate the options: -1 to go on, else the exit status
 * (0 after -h or -V, already reported otherwise). */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "auth-pin", no_argument, NULL, O_AUTH },
		{ "ca", required_argument, NULL, O_CA },
		{ "ca-file", required_argument, NULL, O_CA },
		{ "card-number", required_argument, NULL, O_NUMBER },
		{ "facts", required_argument, NULL, O_FACTS },
		{ "force", no_argument, NULL, O_FORCE },
		{ "list-readers", no_argument, NULL, 'l' },
		{ "password-fd", required_argument, NULL, O_FD },
		{ "reader", required_argument, NULL, 'r' },
		{ "residence-card", no_argument, NULL, O_RCARD },
		{ "save-images", required_argument, NULL, O_IMAGES },
		{ "sign-password", no_argument, NULL, O_SIGN },
		{ "wait", optional_argument, NULL, 'w' },
		{ "write-facts", required_argument, NULL, O_WFACTS },
		{ NULL, 0, NULL, 0 }
	};
	static const struct zr_cli_spec spec = { "lr:w::", longopts, on_opt,
		usage };
	int rc, first;

	memset(o, 0, sizeof(*o));
	o->password_fd = -1;
	o->wait_ms = -1;
	if ((rc = zr_cli_parse(&o->cli, &spec, o, argc, argv, &first)) >= 0)
		return rc;
	if (first != argc)
		return zr_cli_usage_error(usage, "unexpected argument: %s",
		    argv[first]);
	if (o->sign_password && o->auth_pin)
		return zr_cli_usage_error(usage, "--sign-password and "
		    "--auth-pin: test one credential at a time");
	if (!o->residence && (o->card_number != NULL || o->facts != NULL ||
	    o->save_images != NULL || o->write_facts != NULL))
		return zr_cli_usage_error(usage, "%s goes with "
		    "--residence-card", o->card_number != NULL ?
		    "--card-number" : o->facts != NULL ? "--facts" :
		    o->save_images != NULL ? "--save-images" : "--write-facts");
	if (o->residence && (o->sign_password || o->auth_pin || o->list))
		return zr_cli_usage_error(usage, "--residence-card reads the "
		    "residence card; it goes with no PIN and no "
		    "--list-readers");
	if (o->list && (o->sign_password || o->auth_pin))
		return zr_cli_usage_error(usage, "--list-readers tests no "
		    "credential");
	if (o->password_fd >= 0 && !o->sign_password && !o->auth_pin)
		return zr_cli_usage_error(usage, "--password-fd goes with "
		    "--sign-password or --auth-pin");
	if (o->force && !o->sign_password && !o->auth_pin)
		return zr_cli_usage_error(usage, "--force goes with "
		    "--sign-password or --auth-pin");
	if (o->password_fd >= 0 && fcntl(o->password_fd, F_GETFD) < 0)
		return zr_cli_usage_error(usage, "--password-fd: %d is not "
		    "open", o->password_fd);
	return -1;
}

/* The inputs, before the card is touched: 0, or the exit status after
 * one line. */
static int
validate(struct opts *o)
{
	struct zr_error e;
	char fdname[32];
	int rc;

	/* Every file the tool reads is registered now, before any output
	 * is opened (issue 12): the CA file is read only when a card's
	 * certificate is verified, the secret's descriptor may be a file. */
	if (o->ca_file != NULL && access(o->ca_file, R_OK) != 0)
		return zr_cli_fail(ZR_E_OPEN, o->ca_file, "cannot read: %s",
		    strerror(errno));
	snprintf(fdname, sizeof(fdname), "--password-fd %d", o->password_fd);
	if ((o->ca_file != NULL && zr_input_note(o->ca_file, &e) < 0) ||
	    (o->password_fd >= 0 && zr_input_note_fd(o->password_fd, fdname,
	    &e) < 0))
		return zr_cli_report(&e);
	if (o->residence && (rc = rcard_number(o)) != 0)
		return rc;
	/* --write-facts over an input (the --facts file) is refused now,
	 * before the card is touched, not after it was read. */
	if (o->write_facts != NULL) {
		struct stat st;
		const char *in;

		if (stat(o->write_facts, &st) == 0 &&
		    (in = zr_input_find(&st)) != NULL)
			return zr_cli_fail(ZR_E_SAME_FILE, o->write_facts,
			    "output would overwrite the input %s", in);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct run R;
	struct zr_out *out = NULL;
	struct zr_error e;
	int rc;

	/* parse */
	zr_cli_init(argv[0]);
	atexit(ct_wipe_secret);
	if ((rc = parse_args(argc, argv, &o)) >= 0)
		return zr_cli_finish(rc);
	/* validate */
	if ((rc = validate(&o)) != 0)
		return zr_cli_finish(rc);
	memset(&R, 0, sizeof(R));
	R.o = &o;
	R.today = o.cli.today;
	R.rules = o.cli.rules;
	/* --today: judge dates at noon in Japan that day (03:00 UTC). */
	R.now = o.cli.today_arg != NULL ?
	    (time_t)zr_date_to_days(R.today) * 86400 + 3 * 3600 : time(NULL);
	if (zr_out_open(&out, o.cli.output, 0, NULL, 0, &e) < 0)
		return zr_cli_finish(zr_cli_report(&e));
	R.fp = zr_out_file(out);
	/* From here the report is the one --json object, whatever the
	 * outcome: errors are lines on stderr only. */
	zr_cli_json_errors(0);
	/* do, report */
	if (o.list) {
		rc = list_readers(&R);
	} else {
		run(&R);
		report_end(&R, o.residence ? rcard_json : NULL);
		rc = R.exit;
	}
	ct_wipe_secret();
	rcard_free();
	if (rc == ZR_EXIT_INPUT && o.cli.output != NULL) {
		zr_out_abort(out);
		return zr_cli_finish(rc);
	}
	if (zr_out_commit(out, &e) < 0)
		return zr_cli_finish(zr_cli_report(&e));
	return zr_cli_finish(rc);
}
