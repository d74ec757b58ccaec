/* libzairyu: an RFC 4180 CSV reader over a buffer. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/csv.h"
#include "zairyu/text.h"

struct zr_csv {
	const char *p, *end;
	char *name;
	int line;          /* line of the next character */
	char *buf;         /* field text of the current record */
	size_t cap;
	char **fields;
	size_t nfields_cap;
	int one_line;      /* no line ends inside quotes */
};

/* Limits keep a hostile file from asking for much memory. */
#define CSV_MAX_FIELDS 256
#define CSV_MAX_RECORD (64 * 1024)

int
zr_csv_open(struct zr_csv **cp, const char *buf, size_t len, const char *name,
    struct zr_error *err)
{
	struct zr_csv *c;
	size_t bad;
	int line;
	const char *q;

	*cp = NULL;
	if (!zr_utf8_valid(buf, len, &bad)) {
		for (line = 1, q = buf; q < buf + bad; q++)
			line += *q == '\n';
		zr_error_set(err, ZR_E_UTF8, name, "invalid UTF-8 (byte %zu)",
		    bad + 1);
		return zr_error_line(err, line);
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->name = strdup(name != NULL ? name : "<csv>")) == NULL) {
		free(c);
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	}
	c->p = buf;
	c->end = buf + len;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c->p += 3;
	c->line = 1;
	*cp = c;
	return 0;
}

void
zr_csv_one_line_records(struct zr_csv *c)
{
	c->one_line = 1;
}

void
zr_csv_close(struct zr_csv *c)
{
	if (c == NULL)
		return;
	free(c->buf);
	free(c->fields);
	free(c->name);
	free(c);
}

/* Skip to just after the next line end (error recovery). */
static void
skip_line(struct zr_csv *c)
{
	while (c->p < c->end && *c->p != '\n')
		c->p++;
	if (c->p < c->end) {
		c->p++;
		c->line++;
	}
}

/* Append one byte to the record's text, growing up to CSV_MAX_RECORD. */
static int
put(struct zr_csv *c, size_t *len, char ch, struct zr_error *err)
{
	char *nb;

	if (*len + 1 > c->cap) {
		if (c->cap >= CSV_MAX_RECORD)
			return zr_error_set(err, ZR_E_CSV, c->name,
			    "record longer than %d bytes", CSV_MAX_RECORD);
		if ((nb = realloc(c->buf, c->cap * 2)) == NULL)
			return zr_error_set(err, ZR_E_NOMEM, c->name, NULL);
		c->buf = nb;
		c->cap *= 2;
	}
	c->buf[(*len)++] = ch;
	return 0;
}

int
zr_csv_next(struct zr_csv *c, char ***fields, size_t *n, int *line,
    struct zr_error *err)
{
	size_t len = 0, nf = 0, i;
	size_t starts[CSV_MAX_FIELDS];
	int quoted, start_line;
	char ch;

	/* Blank lines are not records. */
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->line++;
		c->p++;
	}
	if (c->p >= c->end)
		return 0;
	if (c->buf == NULL) {
		c->cap = 1024;
		if ((c->buf = malloc(c->cap)) == NULL)
			return zr_error_set(err, ZR_E_NOMEM, c->name, NULL);
	}
	start_line = *line = c->line;
	for (;;) {
		if (nf == CSV_MAX_FIELDS) {
			zr_error_set(err, ZR_E_CSV, c->name,
			    "more than %d fields", CSV_MAX_FIELDS);
			skip_line(c);
			return zr_error_line(err, start_line);
		}
		starts[nf++] = len;
		quoted = c->p < c->end && *c->p == '"';
		if (quoted)
			c->p++;
		for (;;) {
			if (c->p >= c->end) {
				if (quoted) {
					zr_error_set(err, ZR_E_CSV, c->name,
					    "unterminated quoted field");
					return zr_error_line(err, start_line);
				}
				break;
			}
			ch = *c->p;
			if (quoted && c->one_line && (ch == '\n' ||
			    ch == '\r')) {
				/* A roster row is one line: report it and
				 * go on with the next line. */
				zr_error_set(err, ZR_E_CSV, c->name,
				    "unterminated quoted field");
				skip_line(c);
				return zr_error_line(err, start_line);
			}
			if (quoted && ch == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					c->p++;
				} else {
					c->p++;
					quoted = 0;
					/* Only a separator or a line end may
					 * follow a closing quote. */
					if (c->p < c->end && *c->p != ',' &&
					    *c->p != '\n' && *c->p != '\r') {
						zr_error_set(err, ZR_E_CSV,
						    c->name, "text after a "
						    "closing quote");
						skip_line(c);
						return zr_error_line(err,
						    start_line);
					}
					continue;
				}
			} else if (!quoted && (ch == ',' || ch == '\n' ||
			    ch == '\r')) {
				break;
			} else if (!quoted && ch == '"') {
				zr_error_set(err, ZR_E_CSV, c->name,
				    "quote inside an unquoted field");
				skip_line(c);
				return zr_error_line(err, start_line);
			}
			if (ch == '\n')
				c->line++;
			if (put(c, &len, ch, err) < 0) {
				skip_line(c);
				return zr_error_line(err, start_line);
			}
			c->p++;
		}
		if (put(c, &len, '\0', err) < 0) {
			skip_line(c);
			return zr_error_line(err, start_line);
		}
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		/* End of record: CRLF or LF or end of input. */
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->line++;
		}
		break;
	}
	if (nf > c->nfields_cap) {
		char **nfp = realloc(c->fields, nf * sizeof(*nfp));
		if (nfp == NULL)
			return zr_error_set(err, ZR_E_NOMEM, c->name, NULL);
		c->fields = nfp;
		c->nfields_cap = nf;
	}
	for (i = 0; i < nf; i++)
		c->fields[i] = c->buf + starts[i];
	*fields = c->fields;
	*n = nf;
	return 1;
}

const char *
zr_csv_encoding_name(enum zr_csv_encoding enc)
{
	switch (enc) {
	case ZR_CSV_UTF8:
		return "UTF-8";
	case ZR_CSV_UTF8_BOM:
		return "UTF-8 with BOM";
	case ZR_CSV_CP932:
		return "Shift_JIS (CP932)";
	}
	return "unknown";
}

int
zr_csv_decode(const char *buf, size_t len, const char *name, char **out,
    size_t *outlen, enum zr_csv_encoding *enc, struct zr_error *err)
{
	size_t bad, bad2 = 0, skip = 0;
	const char *q;
	int line;

	*out = NULL;
	*outlen = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	if (zr_utf8_valid(buf + skip, len - skip, &bad)) {
		*enc = skip ? ZR_CSV_UTF8_BOM : ZR_CSV_UTF8;
		if ((*out = malloc(len - skip + 1)) == NULL)
			return zr_error_set(err, ZR_E_NOMEM, name, NULL);
		memcpy(*out, buf + skip, len - skip);
		(*out)[len - skip] = '\0';
		*outlen = len - skip;
		return 0;
	}
	bad += skip;
	if (skip == 0) {
		struct zr_error e;
		memset(&e, 0, sizeof(e));
		/* The one iconv wrapper (text.c), strict. */
		if (zr_text_convert("CP932", (const unsigned char *)buf, len,
		    /*replace*/0, out, outlen, &bad2, &e) == 0) {
			*enc = ZR_CSV_CP932;
			return 0;
		}
		if (e.code != ZR_E_SYNTAX) {
			if (err != NULL)
				*err = e;
			return -1;
		}
		if (bad2 > bad)
			bad = bad2;
	}
	for (line = 1, q = buf; q < buf + bad; q++)
		line += *q == '\n';
	zr_error_set(err, ZR_E_UTF8, name, "neither UTF-8 nor Shift_JIS "
	    "(CP932) (byte %zu)", bad + 1);
	return zr_error_line(err, line);
}
