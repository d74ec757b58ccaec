/* Fuzz target: date, era and period parsing, and the date arithmetic. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/date.h"
#include "zairyu/deadline.h"
#include "fuzz.h"

/* Dates and periods as people type them (seeds under 32 bytes). */
#define FUZZ_MAX_LEN 256

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	struct zr_date d, back;
	struct zr_period p;
	struct zr_error e;
	struct zr_deadline_in in;
	struct zr_deadline dl;
	char buf[ZR_DATE_BUFSZ];

	if (size > FUZZ_MAX_LEN)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (zr_date_parse(s, &d, &e) == 0) {
		/* A parsed date is valid and survives a round trip. */
		if (!zr_date_valid(d.y, d.m, d.d))
			abort();
		if (zr_date_parse(zr_date_format(d, buf), &back, &e) != 0 ||
		    zr_date_cmp(d, back) != 0)
			abort();
		memset(&in, 0, sizeof(in));
		in.stay_expiry = d;
		in.today = zr_date_add_days(d, -30);
		in.birth = zr_date_add_days(d, -9000);
		in.jpki_issued = zr_date_add_days(d, -400);
		if (zr_period_parse(s + (size > 4 ? 4 : 0), &in.period, &e) < 0)
			memset(&in.period, 0, sizeof(in.period));
		if (d.y > 100 && d.y < 9990)
			(void)zr_deadline_compute(&in, &dl, &e);
		(void)zr_holiday_name(d);
	}
	(void)zr_period_parse(s, &p, &e);
	free(s);
	return 0;
}
