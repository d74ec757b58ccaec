/* Fuzz target: the RFC 4180 CSV reader and what zr-deadline --roster runs
 * over it: the roster rows, the deadlines of each person, the sort, and
 * the calendar (iCalendar) output. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/csv.h"
#include "zairyu/roster.h"
#include "fuzz.h"

/* The seeds are rosters under 2 KB. */
#define FUZZ_MAX_LEN 4096

static void
roster(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct zr_roster *r;
	struct zr_roster_row rows[64];
	struct zr_deadline_in base;
	struct zr_error e;
	size_t n = 0, i;
	int rc, guard = 0;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return;
	if (zr_roster_open(&r, (const char *)data, size, "fuzz", &e) < 0)
		return;
	memset(&base, 0, sizeof(base));
	base.today = (struct zr_date){ 2026, 11, 23 };
	base.warn_days = 30;
	while (n < 64 && (rc = zr_roster_next(r, &base, &rows[n], &e)) != 0) {
		if (++guard > 1 << 20)
			__builtin_trap();  /* the reader must make progress */
		if (rc > 0) {
			if (rows[n].name == NULL || rows[n].line < 1)
				__builtin_trap();
			n++;
		} else if (e.code == ZR_E_NOMEM)
			break;
	}
	qsort(rows, n, sizeof(rows[0]), zr_roster_row_cmp);
	for (i = 0; i + 1 < n; i++)
		if (zr_roster_row_cmp(&rows[i], &rows[i + 1]) > 0)
			__builtin_trap();
	zr_ics_begin(null);
	for (i = 0; i < n; i++) {
		zr_ics_events(null, rows[i].name, &rows[i].dl, base.today);
		zr_roster_row_free(&rows[i]);
	}
	zr_ics_end(null);
	zr_roster_close(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_csv *c;
	struct zr_error e;
	char **f;
	size_t n, i, total = 0;
	int line, r, guard = 0;

	if (size > FUZZ_MAX_LEN)
		return 0;
	if (zr_csv_open(&c, (const char *)data, size, "fuzz", &e) < 0)
		return 0;
	while ((r = zr_csv_next(c, &f, &n, &line, &e)) != 0) {
		if (++guard > 1 << 20)
			__builtin_trap();  /* the reader must make progress */
		if (r < 0)
			continue;
		for (i = 0; i < n; i++)
			total += strlen(f[i]);
	}
	zr_csv_close(c);
	roster(data, size);
	return total == (size_t)-1;
}
