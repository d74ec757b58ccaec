/* libzairyu: a roster (CSV, one person a row) for zr-deadline --roster. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/csv.h"
#include "zairyu/roster.h"

enum { C_NAME, C_EXP, C_PER, C_APP, C_COMP, C_LOST, C_JPKI, C_BIRTH,
	C_JEXP, C_MEXP, C_N };

struct zr_roster {
	struct zr_csv *csv;
	char *text;                 /* the roster as UTF-8 */
	enum zr_csv_encoding enc;
	const char *name;
	size_t nhdr;
	int col[C_N];
};

static int
col_of(char **hdr, size_t n, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(hdr[i], a) == 0 || (b != NULL &&
		    strcmp(hdr[i], b) == 0))
			return (int)i;
	return -1;
}

int
zr_roster_open(struct zr_roster **rp, const char *buf, size_t len,
    const char *name, struct zr_error *err)
{
	static const char *const cols[C_N][2] = { { "name", NULL },
		{ "expiry", "stay_expiry" }, { "period", "stay_period" },
		{ "applied", "receipt_date" },
		{ "completion_mail", "completion_date" }, { "lost", NULL },
		{ "jpki_issued", NULL }, { "birth", "birth_date" },
		{ "jpki_expiry", NULL }, { "myna_expiry", NULL } };
	struct zr_roster *r;
	char **f, **hdr = NULL;
	size_t n = 0, i, tlen;
	int line, rc, k;

	*rp = NULL;
	if (len == 0)
		return zr_error_set(err, ZR_E_EMPTY, name, "empty roster "
		    "(expected a header: name,expiry,period,...)");
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	r->name = name;
	/* HR offices keep rosters in Excel: its "CSV" in Japan is CP932,
	 * its "CSV UTF-8" has a BOM; both are read (issue 15). */
	if (zr_csv_decode(buf, len, name, &r->text, &tlen, &r->enc, err) < 0 ||
	    zr_csv_open(&r->csv, r->text, tlen, name, err) < 0) {
		free(r->text);
		free(r);
		return -1;
	}
	/* One row a line: a stray quote must not swallow the next person. */
	zr_csv_one_line_records(r->csv);
	if ((rc = zr_csv_next(r->csv, &f, &n, &line, err)) <= 0) {
		if (rc == 0)
			zr_error_set(err, ZR_E_EMPTY, name, "no header");
		goto fail;
	}
	r->nhdr = n;
	if ((hdr = calloc(n, sizeof(*hdr))) == NULL) {
		zr_error_set(err, ZR_E_NOMEM, name, NULL);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		char *s = f[i];

		while (*s == ' ')
			s++;
		if ((hdr[i] = strdup(s)) == NULL) {
			zr_error_set(err, ZR_E_NOMEM, name, NULL);
			goto fail;
		}
		for (s = hdr[i]; *s != '\0'; s++)
			if (*s >= 'A' && *s <= 'Z')
				*s = (char)(*s + 32);
	}
	for (k = 0; k < C_N; k++)
		r->col[k] = col_of(hdr, n, cols[k][0], cols[k][1]);
	if (r->col[C_EXP] < 0) {
		zr_error_set(err, ZR_E_MISSING, name, "the header has no "
		    "\"expiry\" column");
		goto fail;
	}
	for (i = 0; i < n; i++)
		free(hdr[i]);
	free(hdr);
	*rp = r;
	return 0;
fail:
	for (i = 0; hdr != NULL && i < n; i++)
		free(hdr[i]);
	free(hdr);
	zr_roster_close(r);
	return -1;
}

int
zr_roster_next(struct zr_roster *r, const struct zr_deadline_in *base,
    struct zr_roster_row *row, struct zr_error *err)
{
	static const struct {
		int col;
		const char *what;
	} dates[] = { { C_EXP, "expiry" }, { C_APP, "applied" },
		{ C_COMP, "completion_mail" }, { C_LOST, "lost" },
		{ C_JPKI, "jpki_issued" }, { C_BIRTH, "birth" },
		{ C_JEXP, "jpki_expiry" }, { C_MEXP, "myna_expiry" } };
	struct zr_date *dst[8];
	struct zr_error e;
	char **f;
	size_t n, k;
	int line, rc, c;

	memset(row, 0, sizeof(*row));
	if ((rc = zr_csv_next(r->csv, &f, &n, &line, err)) <= 0)
		return rc;
	row->line = line;
	row->in.today = base->today;
	row->in.rules_date = base->rules_date;
	row->in.warn_days = base->warn_days;
	if (n != r->nhdr)
		return zr_error_set(err, ZR_E_CSV, r->name, "%d: %zu fields, "
		    "the header has %zu", line, n, r->nhdr);
	dst[0] = &row->in.stay_expiry;
	dst[1] = &row->in.applied;
	dst[2] = &row->in.completion;
	dst[3] = &row->in.lost;
	dst[4] = &row->in.jpki_issued;
	dst[5] = &row->in.birth;
	dst[6] = &row->in.jpki_expiry;
	dst[7] = &row->in.myna_expiry;
	for (k = 0; k < sizeof(dates) / sizeof(dates[0]); k++) {
		if ((c = r->col[dates[k].col]) < 0 || f[c][0] == '\0')
			continue;
		if (zr_date_parse(f[c], dst[k], &e) < 0)
			return zr_error_set(err, ZR_E_DATE, r->name,
			    "%d: %s: %s", line, dates[k].what, e.msg);
	}
	if (row->in.stay_expiry.y == 0)
		return zr_error_set(err, ZR_E_MISSING, r->name,
		    "%d: no expiry", line);
	if ((c = r->col[C_PER]) >= 0 && f[c][0] != '\0' &&
	    zr_period_parse(f[c], &row->in.period, &e) < 0)
		return zr_error_set(err, ZR_E_RANGE, r->name, "%d: %s", line,
		    e.msg);
	if (zr_deadline_compute(&row->in, &row->dl, &e) < 0)
		return zr_error_set(err, e.code, r->name, "%d: %s", line,
		    e.msg);
	c = r->col[C_NAME];
	if ((row->name = strdup(c >= 0 ? f[c] : "")) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, r->name, NULL);
	return 1;
}

void
zr_roster_row_free(struct zr_roster_row *row)
{
	free(row->name);
	row->name = NULL;
}

int
zr_roster_row_cmp(const void *a, const void *b)
{
	const struct zr_roster_row *p = a, *q = b;
	struct zr_date dp, dq;
	int c;

	if ((p->dl.next >= 0) != (q->dl.next >= 0))
		return p->dl.next >= 0 ? -1 : 1;
	dp = p->dl.next >= 0 ? p->dl.ev[p->dl.next].date : p->in.stay_expiry;
	dq = q->dl.next >= 0 ? q->dl.ev[q->dl.next].date : q->in.stay_expiry;
	if ((c = zr_date_cmp(dp, dq)) != 0)
		return c;
	return p->line - q->line;
}

void
zr_roster_close(struct zr_roster *r)
{
	if (r == NULL)
		return;
	zr_csv_close(r->csv);
	free(r->text);
	free(r);
}

enum zr_csv_encoding
zr_roster_encoding(const struct zr_roster *r)
{
	return r->enc;
}
