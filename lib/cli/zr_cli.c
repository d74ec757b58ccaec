/* zairyu-tools: messages, exit status, common option values, JSON output. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zr_cli.h"

static const char *progname = "zr";

static void
on_signal(int sig)
{
	/* Never leave a half-written output behind (zairyu(7)). */
	zr_out_abort_all_signal();
	signal(sig, SIG_DFL);
	raise(sig);
}

void
zr_cli_init(const char *prog)
{
	const char *slash;

	if (prog != NULL) {
		slash = strrchr(prog, '/');
		progname = slash != NULL ? slash + 1 : prog;
	}
	/* Reading a file that is standard output fails (zairyu(7)): what
	 * the tool prints would go into its input. */
	zr_input_guard_stdout(1);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, on_signal);
}

const char *
zr_cli_prog(void)
{
	return progname;
}

static int json_errors;     /* --json: errors also as an object */
static int stdout_reported; /* a write error on stdout was reported */

void
zr_cli_json_errors(int on)
{
	json_errors = on;
}

static int
about_stdout(const struct zr_error *e)
{
	return strcmp(e->subject, "<stdout>") == 0;
}

/* The command line, for stdout_named(). */
static int cli_argc;
static char **cli_argv;
/* Standard output was one of the inputs: it now goes to /dev/null. */
static int stdout_dropped;

/* Standard output is the regular file one of the arguments names (or
 * an --option=FILE), read yet or not (a usage error comes first), other
 * than the -o output. */
static int
stdout_named(void)
{
	struct stat so, st;
	const char *a, *eq;
	int i;

	if (fstat(STDOUT_FILENO, &so) != 0 || !S_ISREG(so.st_mode))
		return 0;
	for (i = 1; i < cli_argc; i++) {
		a = cli_argv[i];
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			i++;
			continue;
		}
		if (strncmp(a, "--output=", 9) == 0)
			continue;
		if (a[0] == '-' && a[1] == '-' && (eq = strchr(a, '=')) != NULL)
			a = eq + 1;
		if (stat(a, &st) == 0 && st.st_dev == so.st_dev &&
		    st.st_ino == so.st_ino)
			return 1;
	}
	return 0;
}

/*
 * Standard output is a file the tool reads ("zr-photo --check x.jpg >>
 * x.jpg"): nothing more may reach it, not even what is buffered, so it
 * is pointed at /dev/null (the input keeps its bytes) and the tool exits
 * 2 (zr_cli_finish()).  Returns 1 when standard output is dropped.
 */
static int
stdout_guard(void)
{
	int fd;

	if (stdout_dropped)
		return 1;
	if (!zr_input_is_stdout())
		return 0;
	stdout_dropped = 1;
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	} else {
		close(STDOUT_FILENO);
	}
	return 1;
}

int
zr_cli_report(const struct zr_error *e)
{
	struct zr_json j;

	if (stdout_guard()) {
		/* Never an object into an input through standard output:
		 * the line on stderr only. */
	} else if (about_stdout(e) && (e->code == ZR_E_IO || stdout_reported)) {
		/* A write error on standard output is said once: the
		 * commit and zr_cli_finish() both see it. */
		if (stdout_reported)
			return zr_code_exit(e->code);
		stdout_reported = 1;
	} else if (json_errors && zr_code_exit(e->code) != ZR_EXIT_OK &&
	    !stdout_named()) {
		/* What stops the tool as an object (zairyu-json(5)):
		 * status "problem" for what exits 1 (a size that cannot be
		 * met, facts that contradict each other), "error" for an
		 * input, usage or device error; never on a broken stdout. */
		zr_json_begin(&j, stdout);
		zr_json_status(&j, zr_code_exit(e->code) == ZR_EXIT_PROBLEM ?
		    ZR_JSON_PROBLEM : ZR_JSON_ERROR);
		zr_json_arr(&j, "problems");
		zr_json_error(&j, e);
		zr_json_close_arr(&j);
		zr_json_empty_arr(&j, "notes");
		zr_json_end(&j);
	}
	fprintf(stderr, "%s: ", progname);
	if (e->subject[0] != '\0') {
		if (e->line > 0)
			fprintf(stderr, "%s:%d: ", e->subject, e->line);
		else
			fprintf(stderr, "%s: ", e->subject);
	}
	fprintf(stderr, "%s\n", e->msg[0] != '\0' ? e->msg :
	    zr_strerror(e->code));
	return zr_code_exit(e->code);
}

int
zr_cli_fail(int code, const char *subject, const char *fmt, ...)
{
	struct zr_error e;
	va_list ap;

	zr_error_set(&e, code, subject, NULL);
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
		va_end(ap);
	}
	return zr_cli_report(&e);
}

void
zr_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: warning: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
zr_cli_usage_error(void (*usage)(FILE *), const char *fmt, ...)
{
	struct zr_error e;
	va_list ap;

	zr_error_set(&e, ZR_E_USAGE, NULL, NULL);
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	zr_cli_report(&e);
	if (usage != NULL)
		usage(stderr);
	return ZR_EXIT_INPUT;
}

int
zr_cli_version(void)
{
	printf("%s (zairyu-tools) %s\n", progname, ZR_VERSION);
	return ZR_EXIT_OK;
}

int
zr_cli_finish(int rc)
{
	struct zr_error e;
	struct stat so;

	/* Standard output turned out to be an input only now (the tool
	 * read it by other means, or printed before the read): what is
	 * still buffered is dropped, and it is an input error. */
	if (!stdout_dropped && zr_input_is_stdout() &&
	    fstat(STDOUT_FILENO, &so) == 0) {
		zr_error_set(&e, ZR_E_SAME_FILE, zr_input_find(&so),
		    "standard output is this input file");
		zr_cli_report(&e);
	}
	if (stdout_dropped) {
		fflush(stdout);
		return ZR_EXIT_INPUT;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (!stdout_reported)
			fprintf(stderr, "%s: <stdout>: write error: %s\n",
			    progname, strerror(errno != 0 ? errno : EIO));
		stdout_reported = 1;
		return ZR_EXIT_INPUT;
	}
	return rc;
}

int
zr_cli_date_arg(const char *opt, const char *s, struct zr_date *out)
{
	struct zr_error e;

	if (zr_date_parse(s, out, &e) < 0) {
		zr_cli_fail(ZR_E_USAGE, NULL, "%s: %s", opt, e.msg);
		return -1;
	}
	return 0;
}

int
zr_cli_today(const char *today_arg, struct zr_date *today)
{
	struct zr_error e;

	if (today_arg != NULL)
		return zr_cli_date_arg("--today", today_arg, today);
	if (zr_date_today_jst(today, &e) < 0) {
		zr_cli_report(&e);
		return -1;
	}
	return 0;
}

int
zr_cli_size_arg(const char *opt, const char *s, long long *out)
{
	char *end;
	long long v, mul = 1;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		goto bad;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0)
		goto bad;
	if (*end == '\0' || strcmp(end, "B") == 0)
		mul = 1;
	else if (strcmp(end, "k") == 0 || strcmp(end, "K") == 0 ||
	    strcmp(end, "kB") == 0 || strcmp(end, "KB") == 0)
		mul = 1000;
	else if (strcmp(end, "M") == 0 || strcmp(end, "MB") == 0)
		mul = 1000 * 1000;
	else if (strcmp(end, "KiB") == 0)
		mul = 1024;
	else if (strcmp(end, "MiB") == 0)
		mul = 1024 * 1024;
	else
		goto bad;
	if (v > (1LL << 40) / mul)
		goto bad;
	*out = v * mul;
	return 0;
bad:
	zr_cli_fail(ZR_E_USAGE, NULL, "%s: not a size: \"%s\" (bytes, or "
	    "with k, M, KiB, MiB)", opt, s);
	return -1;
}

const char *
zr_cli_key_next(const char **list, size_t *n)
{
	const char *k = *list, *q;

	if (k == NULL)
		return NULL;
	q = strchr(k, ',');
	*n = q != NULL ? (size_t)(q - k) : strlen(k);
	*list = q != NULL ? q + 1 : NULL;
	return k;
}

int
zr_cli_key_is(const char *k, size_t n, const char *name)
{
	return strlen(name) == n && strncmp(k, name, n) == 0;
}

int
zr_cli_keys_ok(const char *list, const char *const keys[])
{
	const char *k;
	size_t n;
	int i, found;

	while ((k = zr_cli_key_next(&list, &n)) != NULL) {
		for (i = 0, found = 0; keys[i] != NULL && !found; i++)
			found = zr_cli_key_is(k, n, keys[i]);
		if (!found)
			return -1;
	}
	return 0;
}

/* JSON Lines writer. */

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when the bytes
 * there are not one (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF). */
static size_t
utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (p[0] == 0xe0 && p[1] < 0xa0)
			return 0;
		if (p[0] == 0xed && p[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (p[0] == 0xf0 && p[1] < 0x90)
			return 0;
		if (p[0] == 0xf4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

void
zr_json_escape(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', fp);
	while (*p != '\0') {
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(fp, "\\u%04x", *p);
				break;
			}
			/* A string ends at its NUL, so p[1..3] are
			 * readable whenever p[0..] is a lead byte: the
			 * checks stop at the first byte that is not a
			 * continuation byte, and NUL is not one. */
			n = utf8_len(p);
			if (n == 0) {
				/* Not UTF-8 (a file name in Latin-1):
				 * U+FFFD REPLACEMENT CHARACTER, written
				 * as UTF-8, so the line stays UTF-8
				 * (zairyu-json(5)). */
				fputs("\xef\xbf\xbd", fp);
				n = 1;
			} else {
				fwrite(p, 1, n, fp);
			}
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', fp);
}

static void
json_key(struct zr_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->fp);
	j->first[j->depth] = 0;
	if (key != NULL) {
		zr_json_escape(j->fp, key);
		fputc(':', j->fp);
	}
}

void
zr_json_begin(struct zr_json *j, FILE *fp)
{
	memset(j, 0, sizeof(*j));
	j->out = fp;
	/* Without memory for the line, the keys go out as written. */
	if ((j->fp = open_memstream(&j->buf, &j->len)) == NULL)
		j->fp = fp;
	fputc('{', j->fp);
	j->first[0] = 1;
	zr_json_str(j, "tool", progname);
	zr_json_str(j, "version", ZR_VERSION);
	j->mark = ftell(j->fp);
}

void
zr_json_str(struct zr_json *j, const char *key, const char *val)
{
	json_key(j, key);
	if (val == NULL)
		fputs("null", j->fp);
	else
		zr_json_escape(j->fp, val);
}

void
zr_json_int(struct zr_json *j, const char *key, long long val)
{
	json_key(j, key);
	fprintf(j->fp, "%lld", val);
}

void
zr_json_bool(struct zr_json *j, const char *key, int val)
{
	json_key(j, key);
	fputs(val ? "true" : "false", j->fp);
}

void
zr_json_null(struct zr_json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->fp);
}

void
zr_json_date(struct zr_json *j, const char *key, struct zr_date d)
{
	char buf[ZR_DATE_BUFSZ];

	zr_json_str(j, key, zr_date_format(d, buf));
}

static void
json_open(struct zr_json *j, const char *key, int c)
{
	json_key(j, key);
	fputc(c, j->fp);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = 1;
}

void
zr_json_obj(struct zr_json *j, const char *key)
{
	json_open(j, key, '{');
}

void
zr_json_arr(struct zr_json *j, const char *key)
{
	json_open(j, key, '[');
}

void
zr_json_close_obj(struct zr_json *j)
{
	fputc('}', j->fp);
	if (j->depth > 0)
		j->depth--;
}

void
zr_json_close_arr(struct zr_json *j)
{
	fputc(']', j->fp);
	if (j->depth > 0)
		j->depth--;
}

void
zr_json_end(struct zr_json *j)
{
	size_t mark;

	fputs("}\n", j->fp);
	j->depth = 0;
	if (j->fp == j->out)
		return;
	/* Not into an input through standard output (stdout_guard()). */
	if (j->out == stdout && stdout_guard()) {
		fclose(j->fp);
		free(j->buf);
		j->buf = NULL;
		j->fp = j->out;
		return;
	}
	if (fclose(j->fp) != 0 || j->buf == NULL || j->mark < 0 ||
	    (size_t)j->mark > j->len) {
		/* Out of memory for the line (open_memstream): it is
		 * lost, never written half. */
		free(j->buf);
		j->buf = NULL;
		j->fp = j->out;
		return;
	}
	mark = (size_t)j->mark;
	fwrite(j->buf, 1, mark, j->out);
	if (j->status[0] != '\0') {
		fputs(",\"status\":", j->out);
		zr_json_escape(j->out, j->status);
	}
	fwrite(j->buf + mark, 1, j->len - mark, j->out);
	free(j->buf);
	j->buf = NULL;
	j->fp = j->out;
}

void
zr_json_status(struct zr_json *j, const char *status)
{
	if (j->depth == 0 && j->fp != j->out) {
		snprintf(j->status, sizeof(j->status), "%s", status);
		return;
	}
	zr_json_str(j, "status", status);
}

void
zr_json_finding_open(struct zr_json *j, int code, const char *message,
    const char *file, int line)
{
	zr_json_obj(j, NULL);
	zr_json_str(j, "code", zr_code_id(code));
	zr_json_str(j, "message", message != NULL ? message :
	    zr_strerror(code));
	if (file != NULL && file[0] != '\0')
		zr_json_str(j, "file", file);
	if (line > 0)
		zr_json_int(j, "line", line);
}

void
zr_json_finding(struct zr_json *j, int code, const char *message,
    const char *file, int line)
{
	zr_json_finding_open(j, code, message, file, line);
	zr_json_close_obj(j);
}

void
zr_json_finding_id(struct zr_json *j, const char *id, const char *message,
    const char *file, int line)
{
	zr_json_obj(j, NULL);
	zr_json_str(j, "code", id);
	zr_json_str(j, "message", message);
	if (file != NULL && file[0] != '\0')
		zr_json_str(j, "file", file);
	if (line > 0)
		zr_json_int(j, "line", line);
	zr_json_close_obj(j);
}

void
zr_json_error(struct zr_json *j, const struct zr_error *e)
{
	zr_json_finding(j, e->code, e->msg[0] != '\0' ? e->msg : NULL,
	    e->subject, e->line);
}

void
zr_json_empty_arr(struct zr_json *j, const char *key)
{
	zr_json_arr(j, key);
	zr_json_close_arr(j);
}

/* ---- the common options ------------------------------------------- */

enum {
	COMMON_JSON = 0x7f00,
	COMMON_TODAY,
	COMMON_RULES
};

static const struct option common_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, COMMON_JSON },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rules-date", required_argument, NULL, COMMON_RULES },
	{ "today", required_argument, NULL, COMMON_TODAY },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
};
#define NCOMMON (sizeof(common_longopts) / sizeof(common_longopts[0]))

int
zr_cli_parse(struct zr_cli *cli, const struct zr_cli_spec *spec, void *ctx,
    int argc, char **argv, int *first)
{
	struct option *lo;
	char shortopts[64];
	size_t n = 0, i;
	int c, rc = -1;

	memset(cli, 0, sizeof(*cli));
	cli_argc = argc;
	cli_argv = argv;
	/* --json before anything else, so that even a usage error is
	 * reported as an object (zairyu-json(5)). */
	for (i = 1; i < (size_t)argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--json") == 0)
			zr_cli_json_errors(1);
	if (spec->longopts != NULL)
		while (spec->longopts[n].name != NULL)
			n++;
	if ((lo = calloc(n + NCOMMON + 1, sizeof(*lo))) == NULL)
		return zr_cli_fail(ZR_E_NOMEM, NULL, NULL);
	memcpy(lo, common_longopts, sizeof(common_longopts));
	if (n > 0)
		memcpy(lo + NCOMMON, spec->longopts, n * sizeof(*lo));
	snprintf(shortopts, sizeof(shortopts), "hVqvo:%s",
	    spec->shortopts != NULL ? spec->shortopts : "");
	optind = 1;
	opterr = 0;
	while (rc < 0 && (c = getopt_long(argc, argv, shortopts, lo,
	    NULL)) != -1) {
		switch (c) {
		case 'h':
			spec->usage(stdout);
			rc = ZR_EXIT_OK;
			break;
		case 'V':
			rc = zr_cli_version();
			break;
		case 'q':
			cli->quiet = 1;
			break;
		case 'v':
			cli->verbose = 1;
			break;
		case 'o':
			cli->output = optarg;
			break;
		case COMMON_JSON:
			cli->json = 1;
			break;
		case COMMON_TODAY:
			cli->today_arg = optarg;
			break;
		case COMMON_RULES:
			cli->rules_arg = optarg;
			break;
		case '?':
		case ':':
			/* Said here, not by getopt, so that --json gets
			 * its object. */
			if (optopt != 0 && optopt < 0x100 &&
			    strchr(shortopts, optopt) != NULL)
				rc = zr_cli_usage_error(spec->usage,
				    "option -%c needs a value", optopt);
			else if (optopt != 0 && optopt < 0x100)
				rc = zr_cli_usage_error(spec->usage,
				    "unknown option -%c", optopt);
			else if (optopt != 0 && strchr(argv[optind - 1],
			    '=') != NULL)
				/* Never echo what follows the '=': it may
				 * be a secret given where none belongs. */
				rc = zr_cli_usage_error(spec->usage,
				    "option %.*s takes no value", (int)strcspn(
				    argv[optind - 1], "="), argv[optind - 1]);
			else if (optopt != 0)
				rc = zr_cli_usage_error(spec->usage,
				    "option %s needs a value",
				    argv[optind - 1]);
			else
				rc = zr_cli_usage_error(spec->usage,
				    "unknown option %.*s", (int)strcspn(
				    argv[optind - 1], "="), argv[optind - 1]);
			break;
		default:
			if (spec->opt == NULL) {
				spec->usage(stderr);
				rc = ZR_EXIT_INPUT;
			} else if ((c = spec->opt(ctx, c, optarg)) != 0) {
				rc = c;
			}
			break;
		}
	}
	free(lo);
	if (rc >= 0)
		return rc;
	if (zr_cli_today(cli->today_arg, &cli->today) < 0)
		return ZR_EXIT_INPUT;
	cli->rules = cli->today;
	if (cli->rules_arg != NULL &&
	    zr_cli_date_arg("--rules-date", cli->rules_arg, &cli->rules) < 0)
		return ZR_EXIT_INPUT;
	*first = optind;
	return -1;
}
