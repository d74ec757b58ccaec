/* zr-cardtest: check reader, My Number card and JPKI certificates without
 * spending a PIN try by accident. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "zr_cli.h"

#define SECRET_MAX 64           /* longest line we read; the card takes 16 */
#define WARN_DAYS 90            /* warn when a certificate ends this soon */

struct opts {
	const char *ca_file;
	const char *card_number;        /* --residence-card */
	const char *facts;
	const char *save_images;
	const char *write_facts;
	int residence;
	const char *output;
	const char *reader;
	const char *today;
	int auth_pin;
	int force;
	int json;
	int list;
	int password_fd;        /* -1: the terminal */
	int quiet;
	int sign_password;
	int verbose;
	int wait;
	long wait_ms;           /* < 0: for ever */
};

enum { ST_OK, ST_WARN, ST_FAIL };

struct run {
	const struct opts *o;
	FILE *fp;
	struct zr_json j;
	int exit;               /* 0, 1 or 3 */
	struct zr_date today;
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
};

/* The secret lives here so that every exit path can wipe it. */
static char secret[SECRET_MAX + 1];
static size_t secret_len;

static void
wipe_secret(void)
{
	OPENSSL_cleanse(secret, sizeof(secret));
	secret_len = 0;
}

static void
usage(FILE *fp)
{
	fputs("usage: zr-cardtest [-qv] [--json] [-o FILE] [-r READER] "
	    "[--wait[=SECONDS]]\n"
	    "                   [--today DATE] [--ca-file FILE]\n"
	    "                   [--sign-password | --auth-pin] "
	    "[--password-fd N] [--force]\n"
	    "       zr-cardtest --residence-card [--card-number N | --facts "
	    "FILE] [--ca FILE]\n"
	    "                   [--save-images DIR] [--write-facts FILE] "
	    "[-qv] [--json]\n"
	    "                   [-o FILE] [-r READER] [--wait[=SECONDS]]\n"
	    "       zr-cardtest --list-readers [--json]\n"
	    "       zr-cardtest -h | -V\n", fp);
}

/* ---- the report --------------------------------------------------- */

static void step(struct run *, const char *, int, const char *, const char *,
    ...) __attribute__((format(printf, 5, 6)));
static void detail(struct run *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
step(struct run *R, const char *id, int status, const char *fix,
    const char *fmt, ...)
{
	static const char *const sym[] = { "\u2713", "\u26A0", "\u2717" };
	static const char *const word[] = { "ok", "warning", "problem" };
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (status == ST_FAIL && R->exit == 0)
		R->exit = ZR_EXIT_PROBLEM;
	if (R->o->json) {
		zr_json_obj(&R->j, NULL);
		zr_json_str(&R->j, "step", id);
		zr_json_str(&R->j, "status", word[status]);
		zr_json_str(&R->j, "message", msg);
		if (fix != NULL && status != ST_OK)
			zr_json_str(&R->j, "fix", fix);
		zr_json_close_obj(&R->j);
		return;
	}
	if (R->o->quiet && status == ST_OK)
		return;
	fprintf(R->fp, "%s %s\n", sym[status], msg);
	if (fix != NULL && status != ST_OK)
		fprintf(R->fp, "  fix: %s\n", fix);
}

/* An indented detail line under a step (human output only). */
static void
detail(struct run *R, const char *fmt, ...)
{
	va_list ap;

	if (R->o->json || R->o->quiet)
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
static const char FIX_CITY_AUTH[] =
    "only the city office (市区町村の窓口) can unblock it: bring the "
    "card and your residence card";
static const char FIX_CITY_SIGN[] =
    "the city office (市区町村の窓口) can reset it; if you know the "
    "4-digit authentication PIN you can also reset it at a "
    "convenience-store kiosk (Seven-Eleven, Lawson, FamilyMart)";
static const char FIX_EXPIRED[] =
    "ask the city office to renew the electronic certificates (for "
    "foreign residents they end with the period of stay: after a "
    "renewal of status they must be renewed too)";
static const char FIX_CHAIN[] =
    "the certificate does not chain to a J-LIS root: it is not a genuine "
    "JPKI certificate, or it is signed by a root newer than this tool";

/* card-facts §4.3: the residence card needs extended-length APDUs. */
static const char FIX_EXTENDED[] =
    "use a reader that passes extended-length APDUs (ISO 7816-4) and "
    "reads ISO 14443 type B cards; most current PC/SC NFC readers do";

/* What to do about a device error. */
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

/*
 * A device error ends the run with exit 3: one line on stderr, and the
 * failed step in the report.
 */
static int
device_fail(struct run *R, const char *id, const struct zr_error *e)
{
	step(R, id, ST_FAIL, device_fix(e->code), "%s", e->msg);
	zr_cli_report(e);
	R->exit = zr_code_exit(e->code) == ZR_EXIT_DEVICE ? ZR_EXIT_DEVICE :
	    ZR_EXIT_INPUT;
	return -1;
}

/* Any error from the card: device errors end with 3, others are problems. */
static int
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

static void json_rcard(struct run *);

static void
report_end(struct run *R)
{
	if (!R->o->json)
		return;
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
	if (R->o->residence)
		json_rcard(R);
	zr_json_str(&R->j, "status", R->exit == 0 ? "ok" : "problem");
	zr_json_int(&R->j, "exit", R->exit);
	zr_json_end(&R->j);
}

/* ---- secrets ------------------------------------------------------ */

static int tty_fd = -1;
static struct termios tty_saved, tty_noecho;
static volatile sig_atomic_t tty_echo_off, tty_reading;

static void
tty_restore(void)
{
	if (tty_echo_off) {
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
		tty_echo_off = 0;
	}
}

static void on_signal(int sig);

static void
on_cont(int sig)
{
	/* Back from Ctrl-Z while still asking: echo off again. */
	(void)sig;
	if (tty_reading && tcsetattr(tty_fd, TCSAFLUSH, &tty_noecho) == 0)
		tty_echo_off = 1;
	signal(SIGTSTP, on_signal);
}

static void
on_signal(int sig)
{
	/* Give the terminal its echo back before stopping or dying. */
	tty_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read one line into secret (no stdio: no copies in buffers). */
static int
read_line(int fd, struct zr_error *err)
{
	unsigned char ch;
	ssize_t r;
	int over = 0;

	secret_len = 0;
	for (;;) {
		r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return zr_error_sys(err, ZR_E_IO, errno, NULL,
			    "cannot read the secret");
		if (r == 0 || ch == '\n')
			break;
		if (secret_len < SECRET_MAX)
			secret[secret_len++] = (char)ch;
		else
			over = 1;
	}
	ch = 0;
	if (secret_len > 0 && secret[secret_len - 1] == '\r')
		secret[--secret_len] = '\0';
	secret[secret_len] = '\0';
	if (over)
		return zr_error_set(err, ZR_E_PIN_FORMAT, NULL,
		    "the secret is longer than %d characters", SECRET_MAX);
	if (secret_len == 0)
		return zr_error_set(err, ZR_E_PIN_FORMAT, NULL,
		    "no secret given (empty line)");
	return 0;
}

static int
open_tty(struct zr_error *err)
{
	if (tty_fd >= 0)
		return 0;
	tty_fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tty_fd < 0)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "no terminal to ask on; use --password-fd N");
	return 0;
}

/* Ask on the terminal with echo off. */
static int
read_secret_tty(const char *prompt, struct zr_error *err)
{
	struct termios t;
	int rc;

	if (open_tty(err) < 0)
		return -1;
	if (tcgetattr(tty_fd, &tty_saved) != 0)
		return zr_error_sys(err, ZR_E_IO, errno, "/dev/tty",
		    "cannot set up the terminal");
	t = tty_saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	tty_noecho = t;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGQUIT, on_signal);
	signal(SIGTSTP, on_signal);
	signal(SIGCONT, on_cont);
	if (tcsetattr(tty_fd, TCSAFLUSH, &t) != 0)
		return zr_error_sys(err, ZR_E_IO, errno, "/dev/tty",
		    "cannot turn echo off");
	tty_echo_off = 1;
	tty_reading = 1;
	if (write(tty_fd, prompt, strlen(prompt)) < 0) {
		tty_restore();
		return zr_error_sys(err, ZR_E_IO, errno, "/dev/tty",
		    "cannot write the prompt");
	}
	rc = read_line(tty_fd, err);
	tty_reading = 0;
	tty_restore();
	signal(SIGCONT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	zr_cli_init(NULL);      /* back to the usual handlers */
	if (write(tty_fd, "\n", 1) < 0)
		rc = -1;
	return rc;
}

/* Ask a yes/no question on the terminal (echo on). */
static int
confirm(const char *question)
{
	char b[16];
	size_t n = 0;
	unsigned char ch;
	ssize_t r;

	if (tty_fd < 0 || write(tty_fd, question, strlen(question)) < 0)
		return 0;
	while ((r = read(tty_fd, &ch, 1)) == 1 && ch != '\n')
		if (n + 1 < sizeof(b))
			b[n++] = (char)ch;
	b[n] = '\0';
	return strcmp(b, "yes") == 0 || strcmp(b, "YES") == 0;
}

/* ---- the steps ---------------------------------------------------- */

/* Which reader: -r, or the first with a card; --wait waits for one. */
static int
find_card(struct run *R, struct zr_pcsc *p, struct zr_reader *rd)
{
	struct zr_error e;

	if (R->o->wait) {
		if (!R->o->quiet && !R->o->json)
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
		if (R->o->json) {
			zr_json_str(&R->j, "status", "problem");
			zr_json_str(&R->j, "message", e.msg);
			zr_json_int(&R->j, "exit", ZR_EXIT_DEVICE);
			zr_json_end(&R->j);
		}
		zr_cli_report(&e);
		return ZR_EXIT_DEVICE;
	}
	zr_pcsc_close(p);
	if (R->o->json) {
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

/* Read, parse and judge a certificate's dates. */
static int
check_cert(struct run *R, const char *id, const char *what,
    const unsigned char *der, size_t len, struct zr_cert_info *ci,
    long *days)
{
	struct zr_error e;
	char nb[ZR_DATE_BUFSZ], na[ZR_DATE_BUFSZ];

	if (zr_cert_parse(der, len, ci, &e) < 0) {
		step(R, id, ST_FAIL, "the card's certificate is damaged; "
		    "ask the city office", "%s: %s", what, e.msg);
		return -1;
	}
	*days = zr_date_diff(R->today, ci->na_jst);
	zr_date_format(ci->nb_jst, nb);
	zr_date_format(ci->na_jst, na);
	if (R->now > ci->not_after) {
		step(R, id, ST_FAIL, FIX_EXPIRED,
		    "%s expired on %s (issuer %s)", what, na, ci->issuer);
		return -1;
	}
	if (R->now < ci->not_before) {
		step(R, id, ST_FAIL, "check the computer's clock, or wait "
		    "until the certificate starts",
		    "%s is not valid before %s (issuer %s)", what, nb,
		    ci->issuer);
		return -1;
	}
	/* card-facts §2.4: ends with the period of stay for most. */
	if (*days < WARN_DAYS) {
		step(R, id, ST_WARN, FIX_EXPIRED,
		    "%s valid %s to %s: only %ld days left (for most foreign "
		    "residents it ends with the period of stay)", what, nb,
		    na, *days);
	} else {
		step(R, id, ST_OK, NULL,
		    "%s valid %s to %s, %ld days left (for most foreign "
		    "residents it ends with the period of stay)", what, nb,
		    na, *days);
	}
	if (R->o->verbose)
		detail(R, "issuer: %s", ci->issuer);
	return 0;
}

static int
check_chain(struct run *R, const char *id, const unsigned char *der,
    size_t len, const struct zr_cert_info *ci)
{
	struct zr_error e;
	char anchor[256];
	time_t when = R->now;

	/* Judge trust inside the validity period: dates are another step. */
	if (when > ci->not_after)
		when = ci->not_after - 1;
	if (when < ci->not_before)
		when = ci->not_before + 1;
	if (zr_jpki_verify_chain(der, len, R->o->ca_file, when, anchor,
	    sizeof(anchor), &e) < 0) {
		if (e.code == ZR_E_OPEN) {
			zr_cli_report(&e);
			R->exit = ZR_EXIT_INPUT;
			return -1;
		}
		step(R, id, ST_FAIL, FIX_CHAIN, "certificate chain not "
		    "trusted: %s", e.msg);
		return -1;
	}
	if (R->o->ca_file != NULL)
		step(R, id, ST_OK, NULL, "chain verified against the TEST CA "
		    "file %s (%s)", R->o->ca_file, anchor);
	else
		step(R, id, ST_OK, NULL, "chain verified against the bundled "
		    "J-LIS root (%s)", anchor);
	return 0;
}

static int
tries_step(struct run *R, struct zr_transport *t, int cred)
{
	const char *id = cred == ZR_JPKI_SIGN ? "sign_password" : "auth_pin";
	const char *what = cred == ZR_JPKI_SIGN ? "signature password" :
	    "authentication PIN";
	int max = cred == ZR_JPKI_SIGN ? ZR_JPKI_SIGN_MAX_TRIES :
	    ZR_JPKI_AUTH_MAX_TRIES;
	struct zr_pin_status *st = &R->pin[cred];
	struct zr_error e;

	if (zr_jpki_pin_status(t, cred, st, &e) < 0)
		return card_fail(R, id, &e, NULL);
	R->have_pin[cred] = 1;
	if (st->blocked) {
		step(R, id, ST_FAIL, cred == ZR_JPKI_SIGN ? FIX_CITY_SIGN :
		    FIX_CITY_AUTH, "%s is BLOCKED (no tries left)", what);
		return 0;
	}
	if (st->tries < 0) {
		step(R, id, ST_OK, NULL, "%s: tries left not reported "
		    "(already verified in this session)", what);
		return 0;
	}
	if (st->tries < max)
		step(R, id, ST_WARN, "a correct entry resets the counter; "
		    "do not guess: each wrong try counts, also in other apps",
		    "%s: %d of %d tries left (wrong entries were made before)",
		    what, st->tries, max);
	else
		step(R, id, ST_OK, NULL, "%s: %d of %d tries left", what,
		    st->tries, max);
	return 0;
}

/*
 * The guards before a VERIFY (issue 7): blocked → never; last try →
 * only with --force; two left → ask, or --force when not interactive.
 */
static int
guard(struct run *R, int cred, int interactive)
{
	const char *id = cred == ZR_JPKI_SIGN ? "sign_verify" : "auth_verify";
	const char *what = cred == ZR_JPKI_SIGN ? "signature password" :
	    "authentication PIN";
	const struct zr_pin_status *st = &R->pin[cred];
	char q[256];

	if (st->blocked) {
		step(R, id, ST_FAIL, cred == ZR_JPKI_SIGN ? FIX_CITY_SIGN :
		    FIX_CITY_AUTH, "not trying the %s: it is blocked", what);
		return -1;
	}
	if (st->tries < 0 || st->tries > 2 || R->o->force)
		return 0;
	if (st->tries == 1) {
		step(R, id, ST_FAIL, "if you are sure of it, run again with "
		    "--force; otherwise ask the city office",
		    "not trying the %s: only 1 try left, and a wrong entry "
		    "blocks it", what);
		return -1;
	}
	if (!interactive) {
		step(R, id, ST_FAIL, "run again with --force if you are sure",
		    "not trying the %s: only %d tries left", what, st->tries);
		return -1;
	}
	snprintf(q, sizeof(q), "Only %d tries left for the %s. A wrong entry "
	    "spends one. Type 'yes' to try: ", st->tries, what);
	if (!confirm(q)) {
		step(R, id, ST_FAIL, NULL, "not trying the %s: not confirmed",
		    what);
		return -1;
	}
	return 0;
}

static int
verify_step(struct run *R, struct zr_transport *t, int cred)
{
	const char *id = cred == ZR_JPKI_SIGN ? "sign_verify" : "auth_verify";
	const char *what = cred == ZR_JPKI_SIGN ? "signature password" :
	    "authentication PIN";
	struct zr_pin_status st;
	struct zr_error e;
	int rc;

	rc = zr_jpki_verify(t, cred, secret, secret_len, &st, &e);
	wipe_secret();
	if (rc == 0) {
		R->pin[cred].tries = cred == ZR_JPKI_SIGN ?
		    ZR_JPKI_SIGN_MAX_TRIES : ZR_JPKI_AUTH_MAX_TRIES;
		step(R, id, ST_OK, NULL, "%s accepted", what);
		return 0;
	}
	R->pin[cred] = st;
	R->have_pin[cred] = 1;
	if (e.code == ZR_E_PIN_LOCKED)
		step(R, id, ST_FAIL, cred == ZR_JPKI_SIGN ? FIX_CITY_SIGN :
		    FIX_CITY_AUTH, "wrong %s: it is now BLOCKED", what);
	else if (e.code == ZR_E_PIN_WRONG)
		step(R, id, ST_FAIL, cred == ZR_JPKI_SIGN ?
		    "it is the 6-16 character password (A-Z, 0-9) chosen when "
		    "the card was issued; do not guess" :
		    "it is the 4-digit PIN chosen when the card was issued; "
		    "do not guess",
		    "wrong %s: %d %s left", what, st.tries,
		    st.tries == 1 ? "try" : "tries");
	else
		card_fail(R, id, &e, NULL);
	return -1;
}

static int
sign_cert_step(struct run *R, struct zr_transport *t)
{
	unsigned char *der;
	size_t len;
	struct zr_error e;
	int rc;

	if (zr_jpki_read_cert(t, ZR_JPKI_EF_SIGN_CERT, &der, &len, &e) < 0)
		return card_fail(R, "sign_cert", &e, NULL);
	rc = check_cert(R, "sign_cert", "signature certificate", der, len,
	    &R->sign, &R->sign_days);
	if (R->sign.subject[0] != '\0')
		R->have_sign = 1;
	if (R->have_sign) {
		detail(R, "name: %s", R->sign.name[0] ? R->sign.name : "-");
		detail(R, "birth date: %s", R->sign.birth[0] ?
		    R->sign.birth : "-");
		detail(R, "sex: %s", R->sign.sex[0] ? R->sign.sex : "-");
		detail(R, "address: %s", R->sign.address[0] ?
		    R->sign.address : "-");
	}
	if (R->have_sign && check_chain(R, "sign_chain", der, len,
	    &R->sign) < 0 && R->exit == ZR_EXIT_INPUT)
		rc = -1;
	free(der);
	return rc;
}

/* Sign a random challenge with the auth key, verify it with the cert. */
static int
signature_step(struct run *R, struct zr_transport *t,
    const unsigned char *der, size_t len)
{
	unsigned char chal[32], hash[32], di[ZR_DIGESTINFO_SHA256_LEN];
	unsigned char sig[512];
	size_t siglen;
	struct zr_error e;

	if (RAND_bytes(chal, sizeof(chal)) != 1 ||
	    EVP_Digest(chal, sizeof(chal), hash, NULL, EVP_sha256(),
	    NULL) != 1) {
		zr_error_set(&e, ZR_E_CRYPTO, NULL, "no random challenge");
		return card_fail(R, "signature", &e, NULL);
	}
	zr_digestinfo_sha256(hash, di);
	if (zr_jpki_sign(t, ZR_JPKI_AUTH, di, sizeof(di), sig, sizeof(sig),
	    &siglen, &e) < 0)
		return card_fail(R, "signature", &e, NULL);
	if (der == NULL) {
		step(R, "signature", ST_FAIL, NULL,
		    "cannot check the signature: no certificate");
		return -1;
	}
	if (zr_cert_verify_rsa_sha256(der, len, chal, sizeof(chal), sig,
	    siglen, &e) < 0) {
		step(R, "signature", ST_FAIL, "the card's key and "
		    "certificate do not belong together; ask the city office",
		    "signature test failed: %s", e.msg);
		return -1;
	}
	R->signature_ok = 1;
	step(R, "signature", ST_OK, NULL, "signature test: the card signed a "
	    "random challenge and it verifies with the certificate's public "
	    "key (%zu-bit RSA)", siglen * 8);
	return 0;
}

static int
get_secret(struct run *R, int *interactive)
{
	const struct opts *o = R->o;
	int cred = o->sign_password ? ZR_JPKI_SIGN : ZR_JPKI_AUTH;
	struct zr_error e;
	int changed;

	*interactive = o->password_fd < 0;
	if (o->password_fd >= 0) {
		if (read_line(o->password_fd, &e) < 0)
			goto bad;
	} else if (read_secret_tty(cred == ZR_JPKI_SIGN ?
	    "Signature password (6-16 characters, A-Z 0-9): " :
	    "Authentication PIN (4 digits): ", &e) < 0) {
		goto bad;
	}
	/* Checked here, before any APDU goes to the card. */
	if (zr_jpki_check_secret(cred, secret, secret_len, &changed, &e) < 0)
		goto bad;
	if (changed) {
		R->uppercased = 1;
		if (!o->json)
			fprintf(R->fp, "note: the signature password was "
			    "converted to uppercase (the card admits only "
			    "A-Z and 0-9)\n");
	}
	return 0;
bad:
	wipe_secret();
	zr_cli_report(&e);
	R->exit = ZR_EXIT_INPUT;
	return -1;
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

/* ---- the residence card (--residence-card) ------------------------ */

static const char FIX_NUMBER[] =
    "give the 12 characters printed at the top right of the card's front "
    "(two letters, eight digits, two letters); zr-cardtest tries once and "
    "never again by itself, since the card's lockout rule is not published";
static const char FIX_CA[] =
    "download the agency's ZairyuCard CA certificates (Immigration "
    "Services Agency, https://www.moj.go.jp/isa/applications/disclosure/"
    "120424_01.html) and give them with --ca FILE";
static const char FIX_RCARD[] =
    "put the residence card on an NFC reader (ISO 14443 type B) and keep "
    "it still";

static struct {
	char number[ZR_RCARD_NUMBER_LEN + 1];
	int uppercased;
	struct zr_facts *facts;
	struct zr_rcard rc;
	int read;
	struct zr_rcard_sigcheck sig;
	int have_sig;
	struct zr_rcard_diff diff[8];
	size_t ndiff, nchecked;
} rcs;

/* The card number: --card-number, the facts file, or the terminal. */
static int
rcard_number(const struct opts *o)
{
	const char *v = o->card_number;
	struct zr_error e;

	if (o->facts != NULL &&
	    zr_facts_load(o->facts, &rcs.facts, &e) < 0)
		return zr_cli_report(&e);
	if (v == NULL && rcs.facts != NULL)
		v = zr_facts_get(rcs.facts, "card_number");
	if (v == NULL) {
		static const char prompt[] = "Residence card number (top "
		    "right of the card's front, AB12345678CD): ";

		/* Not a secret: echo stays on. */
		if (open_tty(&e) < 0 ||
		    write(tty_fd, prompt, sizeof(prompt) - 1) < 0 ||
		    read_line(tty_fd, &e) < 0) {
			wipe_secret();
			zr_error_set(&e, ZR_E_USAGE, NULL, "no card number: "
			    "give --card-number N or --facts FILE");
			return zr_cli_report(&e);
		}
		v = secret;
	}
	snprintf(rcs.number, sizeof(rcs.number), "%.*s",
	    (int)sizeof(rcs.number) - 1, v);
	if (strlen(v) != ZR_RCARD_NUMBER_LEN) {
		zr_error_set(&e, ZR_E_NUMBER, NULL, "card number has %zu "
		    "characters, not 12 (AB12345678CD)", strlen(v));
		wipe_secret();
		return zr_cli_report(&e);
	}
	wipe_secret();
	if (zr_rcard_check_number(rcs.number, &rcs.uppercased, &e) < 0)
		return zr_cli_report(&e);
	return 0;
}

static void
rcard_facts(struct run *R)
{
	const char *name = R->o->facts;

	zr_rcard_compare_facts(&rcs.rc, rcs.facts, rcs.diff, 8, &rcs.ndiff,
	    &rcs.nchecked);
	if (rcs.nchecked == 0) {
		step(R, "facts", ST_WARN, NULL, "nothing to compare with %s%s",
		    name, rcs.rc.gen == ZR_RCARD_GEN1 ? " (a 1st generation "
		    "chip keeps dates only in its front image)" : "");
		return;
	}
	for (size_t i = 0; i < rcs.ndiff && i < 8; i++)
		step(R, "facts", ST_FAIL, "check the facts file against the "
		    "card; the chip is what the immigration agency recorded",
		    "chip and %s disagree on %s: chip %s, file %s", name,
		    rcs.diff[i].key, rcs.diff[i].chip, rcs.diff[i].facts);
	if (rcs.ndiff > 0)
		return;
	step(R, "facts", ST_OK, NULL, "chip agrees with %s (%zu entries "
	    "compared)", name, rcs.nchecked);
}

static void
rcard_signature(struct run *R)
{
	struct zr_rcard_sigcheck *s = &rcs.sig;
	struct zr_error e;

	if (zr_rcard_verify(&rcs.rc, R->o->ca_file, s, &e) < 0) {
		zr_cli_report(&e);
		R->exit = ZR_EXIT_INPUT;
		return;
	}
	rcs.have_sig = 1;
	if (s->verdict == ZR_RCARD_NOT_GENUINE) {
		step(R, "signature", ST_FAIL, "the chip's data was changed or "
		    "the card was not issued by the agency: ask the regional "
		    "immigration services bureau", "signature NOT genuine: %s",
		    s->reason);
		return;
	}
	if (s->verdict == ZR_RCARD_UNVERIFIED) {
		step(R, "signature", ST_WARN, FIX_CA, "signature cannot be "
		    "verified: %s", s->reason);
		return;
	}
	step(R, "signature", ST_OK, NULL, "signature genuine (%s), signed by "
	    "%s under %s", s->algorithm, s->signer, s->anchor_name);
	if (s->anchor == ZR_RCARD_ANCHOR_AGENCY)
		detail(R, "CA fingerprint matches the agency's publication: %s",
		    s->anchor_sha256);
	else if (s->anchor == ZR_RCARD_ANCHOR_AGENCY_TEST)
		step(R, "ca", ST_WARN, NULL, "signed under the agency's TEST "
		    "CA: a sample card, not one issued to a person");
	else
		step(R, "ca", ST_WARN, FIX_CA, "the CA given with --ca is not "
		    "one of the agency's published certificates (SHA-256 %s): "
		    "trusted only because you gave it", s->anchor_sha256);
}

static void
rcard_run(struct run *R, struct zr_transport *t, const struct zr_card_id *id)
{
	const struct opts *o = R->o;
	struct zr_rcard_field f[ZR_RCARD_FIELDS_MAX];
	struct zr_error e;
	struct zr_facts *nf;
	char saved[128], *text;
	size_t n, len;

	if (id->kind != ZR_CARD_RESIDENCE) {
		step(R, "identify", ST_FAIL, FIX_RCARD, "not a residence "
		    "card: %s", zr_card_kind_name(id));
		return;
	}
	zr_rcard_init(&rcs.rc);
	if (zr_rcard_probe(t, &rcs.rc, &e) < 0) {
		card_fail(R, "identify", &e, FIX_RCARD);
		return;
	}
	R->card = zr_card_kind_name(id);
	step(R, "identify", ST_OK, NULL, "card identified: %s, type '%s', "
	    "specification %s", R->card, rcs.rc.type,
	    rcs.rc.spec_version[0] != '\0' ? rcs.rc.spec_version :
	    "not given");
	if (rcs.uppercased && !o->json)
		fprintf(R->fp, "note: the card number was converted to "
		    "uppercase\n");
	/* Authentication and every file; tried once (card-facts §4.4). */
	if (zr_rcard_read(t, rcs.number, &rcs.rc, &e) < 0) {
		if (e.code == ZR_E_CARD_NUMBER)
			step(R, "authenticate", ST_FAIL, FIX_NUMBER, "%s",
			    e.msg);
		else
			card_fail(R, "read", &e, FIX_REMOVED);
		return;
	}
	rcs.read = 1;
	step(R, "authenticate", ST_OK, NULL, "authenticated with card number "
	    "%s", rcs.number);
	n = zr_rcard_fields(&rcs.rc, f, ZR_RCARD_FIELDS_MAX);
	step(R, "read", ST_OK, NULL, "chip read: %zu entries", n - 1);
	for (size_t i = 1; i < n; i++)
		detail(R, "%s: %s", f[i].label, f[i].value);
	rcard_signature(R);
	if (R->exit == ZR_EXIT_INPUT)
		return;
	if (rcs.facts != NULL)
		rcard_facts(R);
	if (o->save_images != NULL) {
		if (zr_rcard_save_images(&rcs.rc, o->save_images, saved,
		    sizeof(saved), &e) < 0)
			goto input;
		step(R, "images", ST_OK, NULL, "images saved in %s: %s",
		    o->save_images, saved[0] != '\0' ? saved : "none");
	}
	if (o->write_facts != NULL) {
		const char *inputs[2] = { o->facts, o->ca_file };

		if ((nf = zr_facts_new(o->write_facts)) == NULL) {
			zr_error_set(&e, ZR_E_NOMEM, NULL, NULL);
			goto input;
		}
		if (zr_rcard_to_facts(&rcs.rc, rcs.number, nf, &e) < 0 ||
		    zr_facts_format(nf, &text, &len, &e) < 0) {
			zr_facts_free(nf);
			goto input;
		}
		zr_facts_free(nf);
		if (zr_write_file(o->write_facts, text, len, 0, inputs,
		    o->facts != NULL ? 2 : 0, &e) < 0) {
			free(text);
			goto input;
		}
		free(text);
		step(R, "write_facts", ST_OK, NULL, "facts from the chip "
		    "written to %s", o->write_facts);
	}
	return;
input:
	zr_cli_report(&e);
	R->exit = ZR_EXIT_INPUT;
}

static void
json_rcard(struct run *R)
{
	struct zr_rcard_field f[ZR_RCARD_FIELDS_MAX];
	static const char *const verdict[] = { "cannot_verify", "genuine",
	    "not_genuine" };
	static const char *const anchor[] = { "none", "other", "agency",
	    "agency_test" };
	size_t n;

	if (!rcs.read)
		return;
	n = zr_rcard_fields(&rcs.rc, f, ZR_RCARD_FIELDS_MAX);
	zr_json_obj(&R->j, "residence_card");
	zr_json_int(&R->j, "generation", rcs.rc.gen);
	for (size_t i = 0; i < n; i++)
		zr_json_str(&R->j, f[i].key, f[i].value);
	zr_json_close_obj(&R->j);
	if (rcs.have_sig) {
		zr_json_obj(&R->j, "signature");
		zr_json_str(&R->j, "verdict", verdict[rcs.sig.verdict]);
		zr_json_str(&R->j, "algorithm", rcs.sig.algorithm);
		zr_json_str(&R->j, "anchor", anchor[rcs.sig.anchor]);
		if (rcs.sig.anchor_name[0] != '\0')
			zr_json_str(&R->j, "ca", rcs.sig.anchor_name);
		if (rcs.sig.anchor_sha256[0] != '\0')
			zr_json_str(&R->j, "ca_sha256", rcs.sig.anchor_sha256);
		if (rcs.sig.reason[0] != '\0')
			zr_json_str(&R->j, "reason", rcs.sig.reason);
		zr_json_close_obj(&R->j);
	}
	if (rcs.facts != NULL) {
		zr_json_obj(&R->j, "facts_check");
		zr_json_int(&R->j, "checked", (long long)rcs.nchecked);
		zr_json_arr(&R->j, "disagree");
		for (size_t i = 0; i < rcs.ndiff && i < 8; i++) {
			zr_json_obj(&R->j, NULL);
			zr_json_str(&R->j, "key", rcs.diff[i].key);
			zr_json_str(&R->j, "chip", rcs.diff[i].chip);
			zr_json_str(&R->j, "facts", rcs.diff[i].facts);
			zr_json_close_obj(&R->j);
		}
		zr_json_close_arr(&R->j);
		zr_json_close_obj(&R->j);
	}
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
	unsigned char atr[ZR_ATR_MAX], *auth_der = NULL;
	size_t n, atrlen, auth_len = 0;
	int proto, interactive = 0, cred;
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
	if ((o->sign_password || o->auth_pin) && get_secret(R, &interactive)
	    < 0)
		goto out;
	/* 4. what card (by probing, not by ATR) */
	if (zr_card_identify(t, &id, &e) < 0) {
		card_fail(R, "identify", &e, NULL);
		goto out;
	}
	if (o->residence) {
		rcard_run(R, t, &id);
		goto out;
	}
	R->card = zr_card_kind_name(&id);
	switch (id.kind) {
	case ZR_CARD_MYNUMBER:
		step(R, "identify", ST_OK, NULL, "card identified: %s (%s)",
		    R->card, id.label);
		break;
	case ZR_CARD_JUKI:
		step(R, "identify", ST_WARN, "use the My Number card: Juki "
		    "card certificates are no longer issued",
		    "card identified: %s (%s)", R->card, id.label);
		break;
	case ZR_CARD_RESIDENCE:
		step(R, "identify", ST_FAIL, "put the My Number card on the "
		    "reader: the residence card has no JPKI certificates "
		    "(read it with --residence-card)",
		    "card identified: %s", R->card);
		goto out;
	case ZR_CARD_UNKNOWN:
		step(R, "identify", ST_FAIL, "put the My Number card on the "
		    "reader", "unknown card: no JPKI application");
		goto out;
	default:
		step(R, "identify", ST_OK, NULL, "card identified: %s (%s)",
		    R->card, id.label[0] != '\0' ? id.label : "no label");
		break;
	}
	/* 5. the JPKI AP */
	if (zr_jpki_select(t, &e) < 0) {
		card_fail(R, "jpki", &e,
		    "put the My Number card on the reader");
		goto out;
	}
	step(R, "jpki", ST_OK, NULL, "JPKI application selectable");
	/* 6, 7. the authentication certificate and its chain */
	if (zr_jpki_read_cert(t, ZR_JPKI_EF_AUTH_CERT, &auth_der, &auth_len,
	    &e) < 0) {
		if (e.code == ZR_E_CARD && e.sw == 0x6982) {
			step(R, "auth_cert", ST_WARN, "run with --auth-pin to "
			    "read it", "authentication certificate needs the "
			    "PIN on this token (smartphone JPKI)");
		} else if (card_fail(R, "auth_cert", &e, "the certificate "
		    "on the card cannot be read: ask the city office") < 0 &&
		    R->exit != ZR_EXIT_PROBLEM) {
			goto out;
		}
	} else {
		int rc = check_cert(R, "auth_cert", "authentication "
		    "certificate", auth_der, auth_len, &R->auth,
		    &R->auth_days);

		if (R->auth.subject[0] != '\0')
			R->have_auth = 1;
		if (rc == 0 || R->have_auth) {
			check_chain(R, "chain", auth_der, auth_len, &R->auth);
			if (R->exit == ZR_EXIT_INPUT)
				goto out;
		}
	}
	/* 8, 9. tries left, spending none */
	if (tries_step(R, t, ZR_JPKI_AUTH) < 0 ||
	    tries_step(R, t, ZR_JPKI_SIGN) < 0)
		goto out;
	if (!o->sign_password && !o->auth_pin)
		goto out;
	/* 10. the credential the user asked to test */
	cred = o->sign_password ? ZR_JPKI_SIGN : ZR_JPKI_AUTH;
	if (guard(R, cred, interactive) < 0)
		goto out;
	if (verify_step(R, t, cred) < 0)
		goto out;
	if (cred == ZR_JPKI_SIGN) {
		sign_cert_step(R, t);
		goto out;
	}
	if (auth_der == NULL) {
		if (zr_jpki_read_cert(t, ZR_JPKI_EF_AUTH_CERT, &auth_der,
		    &auth_len, &e) < 0) {
			card_fail(R, "auth_cert", &e, NULL);
			goto out;
		}
		if (check_cert(R, "auth_cert", "authentication certificate",
		    auth_der, auth_len, &R->auth, &R->auth_days) == 0 ||
		    R->auth.subject[0] != '\0') {
			R->have_auth = 1;
			check_chain(R, "chain", auth_der, auth_len, &R->auth);
		}
	}
	signature_step(R, t, auth_der, auth_len);
out:
	wipe_secret();
	free(auth_der);
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

static int
parse_args(int argc, char **argv, struct opts *o)
{
	enum { O_CA = 256, O_FORCE, O_JSON, O_FD, O_SIGN, O_AUTH, O_TODAY,
	    O_RCARD, O_NUMBER, O_FACTS, O_IMAGES, O_WFACTS };
	static const struct option longopts[] = {
		{ "auth-pin", no_argument, NULL, O_AUTH },
		{ "ca", required_argument, NULL, O_CA },
		{ "ca-file", required_argument, NULL, O_CA },
		{ "card-number", required_argument, NULL, O_NUMBER },
		{ "facts", required_argument, NULL, O_FACTS },
		{ "force", no_argument, NULL, O_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, O_JSON },
		{ "list-readers", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "password-fd", required_argument, NULL, O_FD },
		{ "quiet", no_argument, NULL, 'q' },
		{ "reader", required_argument, NULL, 'r' },
		{ "residence-card", no_argument, NULL, O_RCARD },
		{ "save-images", required_argument, NULL, O_IMAGES },
		{ "sign-password", no_argument, NULL, O_SIGN },
		{ "today", required_argument, NULL, O_TODAY },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "wait", optional_argument, NULL, 'w' },
		{ "write-facts", required_argument, NULL, O_WFACTS },
		{ NULL, 0, NULL, 0 }
	};
	int ch;
	long v;

	memset(o, 0, sizeof(*o));
	o->password_fd = -1;
	o->wait_ms = -1;
	while ((ch = getopt_long(argc, argv, "hlo:qr:vVw::", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case O_AUTH:
			o->auth_pin = 1;
			break;
		case O_CA:
			o->ca_file = optarg;
			break;
		case O_FD:
			if ((v = fd_arg(optarg)) < 0)
				return zr_cli_usage_error(usage,
				    "--password-fd: not a file descriptor: %s",
				    optarg);
			o->password_fd = (int)v;
			break;
		case O_FACTS:
			o->facts = optarg;
			break;
		case O_FORCE:
			o->force = 1;
			break;
		case O_IMAGES:
			o->save_images = optarg;
			break;
		case O_NUMBER:
			o->card_number = optarg;
			break;
		case O_RCARD:
			o->residence = 1;
			break;
		case O_WFACTS:
			o->write_facts = optarg;
			break;
		case O_JSON:
			o->json = 1;
			break;
		case O_SIGN:
			o->sign_password = 1;
			break;
		case O_TODAY:
			o->today = optarg;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case 'l':
			o->list = 1;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'r':
			o->reader = optarg;
			break;
		case 'V':
			zr_cli_version();
			return -1;
		case 'v':
			o->verbose = 1;
			break;
		case 'w':
			o->wait = 1;
			if (optarg != NULL) {
				if ((v = fd_arg(optarg)) < 0 || v > 86400)
					return zr_cli_usage_error(usage,
					    "--wait: not a number of seconds: "
					    "%s", optarg);
				o->wait_ms = v * 1000;
			}
			break;
		default:
			usage(stderr);
			return ZR_EXIT_INPUT;
		}
	}
	if (optind != argc)
		return zr_cli_usage_error(usage, "unexpected argument: %s",
		    argv[optind]);
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

	zr_cli_init(argv[0]);
	atexit(wipe_secret);
	if ((rc = parse_args(argc, argv, &o)) != 0)
		return zr_cli_finish(rc < 0 ? ZR_EXIT_OK : rc);
	memset(&R, 0, sizeof(R));
	R.o = &o;
	if (zr_cli_today(o.today, &R.today) < 0)
		return ZR_EXIT_INPUT;
	/* --today: judge dates at noon in Japan that day (03:00 UTC). */
	R.now = o.today != NULL ?
	    (time_t)zr_date_to_days(R.today) * 86400 + 3 * 3600 : time(NULL);
	if (o.ca_file != NULL && access(o.ca_file, R_OK) != 0)
		return zr_cli_fail(ZR_E_OPEN, o.ca_file, "cannot read: %s",
		    strerror(errno));
	if (o.residence && (rc = rcard_number(&o)) != 0)
		return zr_cli_finish(rc);
	if (zr_out_open(&out, o.output, 0, NULL, 0, &e) < 0)
		return zr_cli_report(&e);
	R.fp = zr_out_file(out);
	if (o.json)
		zr_json_begin(&R.j, R.fp);
	if (o.list) {
		rc = list_readers(&R);
	} else {
		if (o.json)
			zr_json_arr(&R.j, "steps");
		run(&R);
		report_end(&R);
		rc = R.exit;
	}
	wipe_secret();
	zr_rcard_free(&rcs.rc);
	zr_facts_free(rcs.facts);
	if (rc == ZR_EXIT_INPUT && o.output != NULL) {
		zr_out_abort(out);
		return zr_cli_finish(rc);
	}
	if (zr_out_commit(out, &e) < 0)
		return zr_cli_report(&e);
	return zr_cli_finish(rc);
}
