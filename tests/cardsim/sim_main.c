/* zr-cardsim: the software card, played to pcscd through the vpcd driver. */
/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cardsim.h"
#include "rcard_sim.h"

/*
 * vsmartcard vpcd protocol (toolchain-notes): the driver listens on TCP
 * (35963 by default); we connect and become the card.  Each message is a
 * 2-byte big-endian length and a payload.  A 1-byte payload is a control:
 * 0 power off, 1 power on, 2 reset, 4 send the ATR back.  Anything longer
 * is a command APDU, answered with the response APDU.
 */
#define VPCD_OFF 0
#define VPCD_ON 1
#define VPCD_RESET 2
#define VPCD_ATR 4

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: zr-cardsim [--profile NAME] [--port N] [--keys DIR]\n"
	    "                  [--ca-out FILE] [--log FILE] [--auth-pin PIN]\n"
	    "                  [--sign-password PW] [--auth-tries N]\n"
	    "                  [--sign-tries N] [--valid-from DAYS]\n"
	    "                  [--valid-to DAYS] [--untrusted] [--t0 N]\n"
	    "                  [--exact-le] [--remove-after N] [--ready FILE]\n"
	    "       zr-cardsim --list-profiles\n"
	    "A software card for tests only: it plays a JPKI card (test keys,\n"
	    "test CA) to pcscd's vpcd driver.  Never a real card's data.\n");
}

static int
read_full(int fd, unsigned char *b, size_t n)
{
	size_t got = 0;
	ssize_t r;
	int one = 1;

	while (got < n) {
		/*
		 * The driver writes length and payload separately; without
		 * quick ACKs, Nagle on its side waits for our delayed ACK
		 * (40 ms per message).
		 */
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
		r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int
send_msg(int fd, const unsigned char *b, size_t n)
{
	unsigned char m[2 + SIM_RSP_MAX];
	size_t off = 0;
	ssize_t w;

	/* One write: length and payload in the same segment. */
	if (n > SIM_RSP_MAX)
		return -1;
	m[0] = (unsigned char)(n >> 8);
	m[1] = (unsigned char)(n & 0xFF);
	memcpy(m + 2, b, n);
	n += 2;
	while (off < n) {
		w = write(fd, m + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

static int
connect_vpcd(int port)
{
	struct sockaddr_in sa;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int fd, one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* pcscd may still be loading the driver: try for 20 s. */
	for (int i = 0; i < 200; i++) {
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
			    sizeof(one));
			return fd;
		}
		close(fd);
		nanosleep(&ts, NULL);
	}
	return -1;
}

static long
num_arg(const char *opt, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0') {
		fprintf(stderr, "zr-cardsim: %s: not a number: %s\n", opt, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "auth-pin", required_argument, NULL, 'A' },
		{ "auth-tries", required_argument, NULL, 'a' },
		{ "ca-out", required_argument, NULL, 'c' },
		{ "exact-le", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "keys", required_argument, NULL, 'k' },
		{ "list-profiles", no_argument, NULL, 'L' },
		{ "log", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'P' },
		{ "ready", required_argument, NULL, 'r' },
		{ "remove-after", required_argument, NULL, 'R' },
		{ "sign-password", required_argument, NULL, 'S' },
		{ "sign-tries", required_argument, NULL, 's' },
		{ "t0", required_argument, NULL, 't' },
		{ "untrusted", no_argument, NULL, 'u' },
		{ "valid-from", required_argument, NULL, 'f' },
		{ "valid-to", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	struct sim_opts o;
	struct sim_pki pki;
	struct sim_card card;
	const char *keys = NULL, *ca_out = NULL, *log = NULL, *ready = NULL;
	long port = 35963, remove_after = -1;
	unsigned char in[ZR_APDU_CMD_MAX], out[SIM_RSP_MAX];
	char msg[256];
	size_t rlen;
	int ch, fd;
	FILE *fp;

	sim_opts_default(&o);
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'A':
			o.auth_pin = optarg;
			break;
		case 'a':
			o.auth_tries = (int)num_arg("--auth-tries", optarg);
			break;
		case 'c':
			ca_out = optarg;
			break;
		case 'e':
			o.exact_le = 1;
			break;
		case 'f':
			o.valid_from = num_arg("--valid-from", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'k':
			keys = optarg;
			break;
		case 'L':
			for (const char *const *p = sim_profile_names();
			    *p != NULL; p++)
				printf("%s\n", *p);
			return 0;
		case 'l':
			log = optarg;
			break;
		case 'P':
			o.profile = optarg;
			break;
		case 'p':
			port = num_arg("--port", optarg);
			break;
		case 'R':
			remove_after = num_arg("--remove-after", optarg);
			break;
		case 'r':
			ready = optarg;
			break;
		case 'S':
			o.sign_pw = optarg;
			break;
		case 's':
			o.sign_tries = (int)num_arg("--sign-tries", optarg);
			break;
		case 'T':
			o.valid_to = num_arg("--valid-to", optarg);
			break;
		case 't':
			o.t0_chunk = (size_t)num_arg("--t0", optarg);
			break;
		case 'u':
			o.untrusted = 1;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || port <= 0 || port > 65535) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (sim_pki_init(&pki, keys, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "zr-cardsim: %s\n", msg);
		return 2;
	}
	sim_card_init(&card);
	if (sim_profile_build(&card, &pki, &o, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "zr-cardsim: %s\n", msg);
		return 2;
	}
	if (ca_out != NULL && (sim_pki_write_ca(&pki, ca_out) < 0 ||
	    rcard_sim_append_ca(&card, ca_out) < 0)) {
		fprintf(stderr, "zr-cardsim: %s: cannot write\n", ca_out);
		return 2;
	}
	if (log != NULL && (card.log = fopen(log, "a")) == NULL) {
		fprintf(stderr, "zr-cardsim: %s: %s\n", log, strerror(errno));
		return 2;
	}
	if ((fd = connect_vpcd((int)port)) < 0) {
		fprintf(stderr, "zr-cardsim: cannot connect to vpcd on "
		    "127.0.0.1:%ld\n", port);
		return 2;
	}
	if (ready != NULL && (fp = fopen(ready, "w")) != NULL)
		fclose(fp);
	for (;;) {
		unsigned char hdr[2];
		size_t n;

		if (read_full(fd, hdr, 2) < 0)
			break;                  /* pcscd went away */
		n = (size_t)hdr[0] << 8 | hdr[1];
		if (n == 0 || n > sizeof(in) || read_full(fd, in, n) < 0)
			break;
		if (n == 1) {
			switch (in[0]) {
			case VPCD_OFF:
			case VPCD_ON:
			case VPCD_RESET:
				sim_card_reset(&card);
				break;
			case VPCD_ATR:
				if (send_msg(fd, card.atr, card.atrlen) < 0)
					goto done;
				break;
			default:
				break;
			}
			continue;
		}
		/* Taken out of the reader in the middle of a command. */
		if (remove_after >= 0 &&
		    card.napdu >= (unsigned long)remove_after) {
			if (card.log != NULL)
				fprintf(card.log, "# removed\n");
			break;
		}
		sim_card_apdu(&card, in, n, out, &rlen);
		if (send_msg(fd, out, rlen) < 0)
			break;
	}
done:
	close(fd);
	if (card.log != NULL)
		fclose(card.log);
	sim_card_free(&card);
	sim_pki_free(&pki);
	return 0;
}
