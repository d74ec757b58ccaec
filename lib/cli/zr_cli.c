/* zairyu-tools: messages, exit status, common option values, JSON output. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

int
zr_cli_report(const struct zr_error *e)
{
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
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: <stdout>: write error: %s\n", progname,
		    strerror(errno != 0 ? errno : EIO));
		return ZR_EXIT_INPUT;
	}
	return rc;
}

int
zr_cli_date_arg(const char *opt, const char *s, struct zr_date *out)
{
	struct zr_error e;

	if (zr_date_parse(s, out, &e) < 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, opt, e.msg);
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
	fprintf(stderr, "%s: %s: not a size: \"%s\" (bytes, or with k, M, "
	    "KiB, MiB)\n", progname, opt, s);
	return -1;
}

/* JSON Lines writer. */

void
zr_json_escape(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', fp);
	for (; *p != '\0'; p++) {
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
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
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
	j->fp = fp;
	fputc('{', fp);
	j->first[0] = 1;
	zr_json_str(j, "tool", progname);
	zr_json_str(j, "version", ZR_VERSION);
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
	fputs("}\n", j->fp);
	j->depth = 0;
}
