/* libzairyu: error codes, messages and exit classes. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "zairyu/error.h"

#define MSG_ENTRY_(name, cls, msg) msg,
#define EXIT_ENTRY_(name, cls, msg) cls,
#define NAME_ENTRY_(name, cls, msg) #name,
static const char *const messages[] = { ZR_ERROR_TABLE(MSG_ENTRY_) };
static const int exits[] = { ZR_ERROR_TABLE(EXIT_ENTRY_) };
static const char *const names[] = { ZR_ERROR_TABLE(NAME_ENTRY_) };

const char *
zr_strerror(int code)
{
	if (code < 0 || code >= ZR_E_COUNT_)
		return "unknown error";
	return messages[code];
}

int
zr_code_exit(int code)
{
	if (code < 0 || code >= ZR_E_COUNT_)
		return ZR_EXIT_INPUT;
	return exits[code];
}

const char *
zr_code_name(int code)
{
	if (code < 0 || code >= ZR_E_COUNT_)
		return "ZR_E_UNKNOWN";
	return names[code];
}

/* The ids, made once from the names: "ZR_E_NO_FIT" -> "no_fit". */
static char ids[ZR_E_COUNT_][32];
static pthread_once_t ids_once = PTHREAD_ONCE_INIT;

static void
fill_ids(void)
{
	int c;
	size_t i;

	for (c = 0; c < ZR_E_COUNT_; c++) {
		const char *n = names[c] + 5; /* after "ZR_E_" */
		for (i = 0; n[i] != '\0' && i + 1 < sizeof(ids[c]); i++)
			ids[c][i] = (char)(n[i] >= 'A' && n[i] <= 'Z' ?
			    n[i] - 'A' + 'a' : n[i]);
		ids[c][i] = '\0';
	}
}

static void
make_ids(void)
{
	pthread_once(&ids_once, fill_ids);
}

const char *
zr_code_id(int code)
{
	make_ids();
	if (code < 0 || code >= ZR_E_COUNT_)
		return ids[ZR_E_INTERNAL];
	return ids[code];
}

int
zr_code_from_id(const char *id)
{
	int c;

	make_ids();
	for (c = 0; id != NULL && c < ZR_E_COUNT_; c++)
		if (strcmp(ids[c], id) == 0)
			return c;
	return -1;
}

static void fill(struct zr_error *, int, const char *, const char *,
    va_list) __attribute__((format(printf, 4, 0)));

static void
fill(struct zr_error *err, int code, const char *subject, const char *fmt,
    va_list ap)
{
	err->code = code;
	err->sys_errno = 0;
	err->sw = 0;
	err->line = 0;
	err->subject[0] = '\0';
	if (subject != NULL)
		snprintf(err->subject, sizeof(err->subject), "%s", subject);
	if (fmt == NULL)
		snprintf(err->msg, sizeof(err->msg), "%s", zr_strerror(code));
	else
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	/* One line only: a message never carries a newline to the terminal. */
	for (char *p = err->msg; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

int
zr_error_set(struct zr_error *err, int code, const char *subject,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	fill(err, code, subject, fmt, ap);
	va_end(ap);
	return -1;
}

int
zr_error_sys(struct zr_error *err, int code, int errnum, const char *subject,
    const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	fill(err, code, subject, fmt, ap);
	va_end(ap);
	err->sys_errno = errnum;
	n = strlen(err->msg);
	if (n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s",
		    strerror(errnum));
	return -1;
}

int
zr_error_line(struct zr_error *err, int line)
{
	if (err != NULL)
		err->line = line;
	return -1;
}

void
zr_error_clear(struct zr_error *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->code = ZR_E_OK;
}
