/* zr-cardtest: the report (step lines, fixes, --json summary). */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>

#include "cardtest.h"

struct zr_secret ct_secret;

void
ct_wipe_secret(void)
{
	zr_secret_wipe(&ct_secret);
}

void
step(struct run *R, const char *id, int status, const char *fix,
    const char *fmt, ...)
{
	static const char *const sym[] = { "\u2713", "\u26A0", "\u2717" };
	struct ct_step *st;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (status == ST_FAIL && R->exit == 0)
		R->exit = ZR_EXIT_PROBLEM;
	if (R->o->cli.json) {
		/* Kept for report_end(): the status goes first. */
		if (R->nsteps >= (int)(sizeof(R->steps) / sizeof(R->steps[0])))
			return;
		st = &R->steps[R->nsteps++];
		st->status = status;
		snprintf(st->id, sizeof(st->id), "%s", id);
		snprintf(st->msg, sizeof(st->msg), "%.511s", msg);
		st->fix = status != ST_OK ? fix : NULL;
		return;
	}
	if (R->o->cli.quiet && status == ST_OK)
		return;
	fprintf(R->fp, "%s %s\n", sym[status], msg);
	if (fix != NULL && status != ST_OK)
		fprintf(R->fp, "  fix: %s\n", fix);
}

void
detail(struct run *R, const char *fmt, ...)
{
	va_list ap;

	if (R->o->cli.json || R->o->cli.quiet)
		return;
	fputs("    ", R->fp);
	va_start(ap, fmt);
	vfprintf(R->fp, fmt, ap);
	va_end(ap);
	fputc('\n', R->fp);
}

static const char FIX_DAEMON[] =
    "install and start the PC/SC service: 'sudo apt install pcscd' and "
    "'sudo systemctl start pcscd.socket'";
static const char FIX_READER[] =
    "plug in a smart card reader (contact, or NFC with ISO 14443 Type B); "
    "see 'lsusb' and 'zr-cardtest --list-readers'";
static const char FIX_CARD[] =
    "put the My Number card in or on the reader and keep it still, or "
    "run with --wait";
static const char FIX_REMOVED[] =
    "keep the card in the reader (on an NFC reader, do not move it) and "
    "run again";
static const char FIX_PCSC[] =
    "close other programs that use the card, put the card back in or on "
    "the reader, and run again";

/* card-facts §4.3: the residence card needs extended-length APDUs. */
static const char FIX_EXTENDED[] =
    "use a reader that passes extended-length APDUs (ISO 7816-4) and "
    "reads ISO 14443 type B cards; most current PC/SC NFC readers do";


static const char *
device_fix(int code)
{
	switch (code) {
	case ZR_E_NO_EXTENDED:
		return FIX_EXTENDED;
	case ZR_E_NO_SERVICE:
		return FIX_DAEMON;
	case ZR_E_NO_READER:
	case ZR_E_READER_GONE:
		return FIX_READER;
	case ZR_E_NO_CARD:
		return FIX_CARD;
	case ZR_E_CARD_REMOVED:
		return FIX_REMOVED;
	default:
		return FIX_PCSC;
	}
}

int
device_fail(struct run *R, const char *id, const struct zr_error *e)
{
	step(R, id, ST_FAIL, device_fix(e->code), "%s", e->msg);
	zr_cli_report(e);
	R->exit = zr_code_exit(e->code) == ZR_EXIT_DEVICE ? ZR_EXIT_DEVICE :
	    ZR_EXIT_INPUT;
	return -1;
}

int
card_fail(struct run *R, const char *id, const struct zr_error *e,
    const char *fix)
{
	if (zr_code_exit(e->code) == ZR_EXIT_DEVICE)
		return device_fail(R, id, e);
	step(R, id, ST_FAIL, fix, "%s", e->msg);
	return -1;
}

static void
json_cert(struct run *R, const char *key, const struct zr_cert_info *ci,
    long days)
{
	zr_json_obj(&R->j, key);
	zr_json_str(&R->j, "subject", ci->subject);
	zr_json_str(&R->j, "issuer", ci->issuer);
	zr_json_date(&R->j, "not_before", ci->nb_jst);
	zr_json_date(&R->j, "not_after", ci->na_jst);
	zr_json_int(&R->j, "days_left", days);
	if (ci->name[0] != '\0') {
		zr_json_str(&R->j, "name", ci->name);
		zr_json_str(&R->j, "birth_date", ci->birth);
		zr_json_str(&R->j, "sex", ci->sex);
		zr_json_str(&R->j, "address", ci->address);
	}
	zr_json_close_obj(&R->j);
}

static void
json_pin(struct run *R, const char *key, int cred)
{
	const struct zr_pin_status *st = &R->pin[cred];

	zr_json_obj(&R->j, key);
	if (st->tries >= 0)
		zr_json_int(&R->j, "tries_left", st->tries);
	else
		zr_json_null(&R->j, "tries_left");
	zr_json_int(&R->j, "max_tries", cred == ZR_JPKI_SIGN ?
	    ZR_JPKI_SIGN_MAX_TRIES : ZR_JPKI_AUTH_MAX_TRIES);
	zr_json_bool(&R->j, "blocked", st->blocked);
	zr_json_close_obj(&R->j);
}

void
report_end(struct run *R, void (*more)(struct run *))
{
	static const char *const word[] = { "ok", "warning", "problem" };
	const struct ct_step *st;

	if (!R->o->cli.json)
		return;
	zr_json_begin(&R->j, R->fp);
	zr_json_status(&R->j, R->exit == ZR_EXIT_OK ? ZR_JSON_OK :
	    R->exit == ZR_EXIT_PROBLEM ? ZR_JSON_PROBLEM : ZR_JSON_ERROR);
	zr_json_int(&R->j, "exit", R->exit);
	zr_json_arr(&R->j, "steps");
	for (st = R->steps; st < R->steps + R->nsteps; st++) {
		zr_json_obj(&R->j, NULL);
		zr_json_str(&R->j, "step", st->id);
		zr_json_str(&R->j, "status", word[st->status]);
		zr_json_str(&R->j, "message", st->msg);
		if (st->fix != NULL)
			zr_json_str(&R->j, "fix", st->fix);
		zr_json_close_obj(&R->j);
	}
	zr_json_close_arr(&R->j);
	if (R->reader[0] != '\0')
		zr_json_str(&R->j, "reader", R->reader);
	if (R->atr[0] != '\0')
		zr_json_str(&R->j, "atr", R->atr);
	if (R->card != NULL)
		zr_json_str(&R->j, "card", R->card);
	if (R->have_auth)
		json_cert(R, "auth_cert", &R->auth, R->auth_days);
	if (R->have_pin[ZR_JPKI_AUTH])
		json_pin(R, "auth_pin", ZR_JPKI_AUTH);
	if (R->have_pin[ZR_JPKI_SIGN])
		json_pin(R, "sign_password", ZR_JPKI_SIGN);
	if (R->uppercased)
		zr_json_bool(&R->j, "uppercased", 1);
	if (R->have_sign)
		json_cert(R, "sign_cert", &R->sign, R->sign_days);
	if (R->o->auth_pin)
		zr_json_bool(&R->j, "signature_verified", R->signature_ok);
	if (more != NULL)
		more(R);
	/* The steps that failed are problems, the warnings notes: code
	 * "card_step" and the step's id (zairyu-json(5)). */
	for (int pass = 0; pass < 2; pass++) {
		zr_json_arr(&R->j, pass == 0 ? "problems" : "notes");
		for (st = R->steps; st < R->steps + R->nsteps; st++) {
			if (st->status == ST_OK ||
			    (st->status == ST_FAIL) != (pass == 0))
				continue;
			zr_json_finding_open(&R->j, ZR_E_CARD_STEP, st->msg,
			    NULL, 0);
			zr_json_str(&R->j, "step", st->id);
			zr_json_close_obj(&R->j);
		}
		zr_json_close_arr(&R->j);
	}
	zr_json_end(&R->j);
}
