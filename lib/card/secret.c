/* libzairyu: secrets from a terminal (echo off) or a file descriptor. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "zairyu/secret.h"

void
zr_secret_wipe(struct zr_secret *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s->buf, sizeof(s->buf));
	s->len = 0;
}

int
zr_secret_read_fd(int fd, struct zr_secret *s, struct zr_error *err)
{
	unsigned char ch;
	ssize_t r;
	int over = 0;

	zr_secret_wipe(s);
	for (;;) {
		r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			zr_secret_wipe(s);
			return zr_error_sys(err, ZR_E_IO, errno, NULL,
			    "cannot read the secret");
		}
		if (r == 0 || ch == '\n')
			break;
		if (s->len < ZR_SECRET_MAX)
			s->buf[s->len++] = (char)ch;
		else
			over = 1;
	}
	ch = 0;
	if (s->len > 0 && s->buf[s->len - 1] == '\r')
		s->buf[--s->len] = '\0';
	s->buf[s->len] = '\0';
	if (over) {
		zr_secret_wipe(s);
		return zr_error_set(err, ZR_E_PIN_FORMAT, NULL,
		    "the secret is longer than %d characters", ZR_SECRET_MAX);
	}
	if (s->len == 0)
		return zr_error_set(err, ZR_E_PIN_FORMAT, NULL,
		    "no secret given (empty line)");
	return 0;
}

/* ---- the terminal --------------------------------------------------- */

static int tty_fd = -1;
static struct termios tty_saved, tty_noecho;
static volatile sig_atomic_t tty_echo_off, tty_reading;

/* The signals during which the echo must come back, and the handlers
 * the program had before. */
static const int tty_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
#define NSIGS (sizeof(tty_sigs) / sizeof(tty_sigs[0]))
static struct sigaction tty_old[NSIGS], tty_old_cont;

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
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < NSIGS; i++)
		sigaction(tty_sigs[i], &sa, &tty_old[i]);
}

static void
on_cont(int sig)
{
	/* Back from Ctrl-Z while still asking: echo off again. */
	(void)sig;
	if (tty_reading && tcsetattr(tty_fd, TCSAFLUSH, &tty_noecho) == 0)
		tty_echo_off = 1;
	catch_signals();
}

static void
on_signal(int sig)
{
	/* Give the terminal its echo back, then do what the program (or
	 * the default) does with the signal: stop or end. */
	tty_restore();
	for (size_t i = 0; i < NSIGS; i++) {
		if (tty_sigs[i] != sig)
			continue;
		if (tty_old[i].sa_handler == on_signal ||
		    tty_old[i].sa_handler == SIG_IGN)
			signal(sig, SIG_DFL);
		else
			sigaction(sig, &tty_old[i], NULL);
	}
	raise(sig);
}

static void
release_signals(void)
{
	for (size_t i = 0; i < NSIGS; i++)
		sigaction(tty_sigs[i], &tty_old[i], NULL);
	sigaction(SIGCONT, &tty_old_cont, NULL);
}

static int
open_tty(struct zr_error *err)
{
	if (tty_fd >= 0)
		return 0;
	tty_fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tty_fd < 0)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "no terminal to ask on");
	return 0;
}

int
zr_secret_read_tty(const char *prompt, int echo, struct zr_secret *s,
    struct zr_error *err)
{
	struct sigaction sa;
	struct termios t;
	int rc;

	zr_secret_wipe(s);
	if (open_tty(err) < 0)
		return -1;
	if (echo) {
		if (write(tty_fd, prompt, strlen(prompt)) < 0)
			return zr_error_sys(err, ZR_E_IO, errno, "/dev/tty",
			    "cannot write the prompt");
		return zr_secret_read_fd(tty_fd, s, err);
	}
	if (tcgetattr(tty_fd, &tty_saved) != 0)
		return zr_error_sys(err, ZR_E_IO, errno, "/dev/tty",
		    "cannot set up the terminal");
	t = tty_saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	tty_noecho = t;
	catch_signals();
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, &tty_old_cont);
	if (tcsetattr(tty_fd, TCSAFLUSH, &t) != 0) {
		release_signals();
		return zr_error_sys(err, ZR_E_IO, errno, "/dev/tty",
		    "cannot turn echo off");
	}
	tty_echo_off = 1;
	tty_reading = 1;
	if (write(tty_fd, prompt, strlen(prompt)) < 0) {
		tty_reading = 0;
		tty_restore();
		release_signals();
		return zr_error_sys(err, ZR_E_IO, errno, "/dev/tty",
		    "cannot write the prompt");
	}
	rc = zr_secret_read_fd(tty_fd, s, err);
	tty_reading = 0;
	tty_restore();
	release_signals();
	/* The user's Enter was not echoed: end the prompt's line. */
	if (write(tty_fd, "\n", 1) < 0 && rc == 0) {
		zr_secret_wipe(s);
		rc = zr_error_sys(err, ZR_E_IO, errno, "/dev/tty",
		    "cannot write to the terminal");
	}
	return rc;
}

int
zr_tty_confirm(const char *question)
{
	char b[16];
	size_t n = 0;
	unsigned char ch;

	if (open_tty(NULL) < 0 ||
	    write(tty_fd, question, strlen(question)) < 0)
		return 0;
	while (read(tty_fd, &ch, 1) == 1 && ch != '\n')
		if (n + 1 < sizeof(b))
			b[n++] = (char)ch;
	b[n] = '\0';
	return strcmp(b, "yes") == 0 || strcmp(b, "YES") == 0;
}
