/* zairyu-tools: unit tests for the roster rows (lib/core/roster.c). */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zr_test.h"

static const struct zr_deadline_in *
base(void)
{
	static struct zr_deadline_in b;

	memset(&b, 0, sizeof(b));
	b.today = ZR_D(2026, 11, 23);
	b.warn_days = 30;
	return &b;
}

START_TEST(rows_and_errors)
{
	static const char csv[] =
	    " Name,Stay_Expiry,period\n"
	    "LATE,2027-03-31,3y\n"
	    "SOON,2026-12-20,1y\n"
	    "BAD DATE,2026-13-01,1y\n"
	    "SHORT,2027-01-01\n"
	    "NO EXPIRY,,1y\n"
	    "BAD PERIOD,2027-01-01,forever\n";
	struct zr_roster *r;
	struct zr_roster_row rows[8];
	struct zr_error e;
	int codes[8], lines[8], rc;
	size_t n = 0, nbad = 0;

	ck_assert_int_eq(zr_roster_open(&r, csv, sizeof(csv) - 1, "r.csv",
	    &e), 0);
	while ((rc = zr_roster_next(r, base(), &rows[n], &e)) != 0) {
		if (rc > 0) {
			n++;
			continue;
		}
		codes[nbad] = e.code;
		lines[nbad++] = atoi(e.msg);
		ck_assert_str_eq(e.subject, "r.csv");
	}
	zr_roster_close(r);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(nbad, 4);
	ck_assert_int_eq(codes[0], ZR_E_DATE);
	ck_assert_int_eq(lines[0], 4);
	ck_assert_int_eq(codes[1], ZR_E_CSV);
	ck_assert_int_eq(lines[1], 5);
	ck_assert_int_eq(codes[2], ZR_E_MISSING);
	ck_assert_int_eq(lines[2], 6);
	ck_assert_int_eq(codes[3], ZR_E_RANGE);
	ck_assert_int_eq(lines[3], 7);
	/* Sorted by the next action: the sooner expiry first. */
	qsort(rows, n, sizeof(rows[0]), zr_roster_row_cmp);
	ck_assert_str_eq(rows[0].name, "SOON");
	ck_assert_int_eq(rows[0].line, 3);
	ck_assert_date_eq(rows[0].in.stay_expiry, ZR_D(2026, 12, 20));
	ck_assert_str_eq(rows[1].name, "LATE");
	ck_assert_int_eq(rows[1].in.period.years, 3);
	zr_roster_row_free(&rows[0]);
	zr_roster_row_free(&rows[1]);
}
END_TEST

START_TEST(header_errors)
{
	struct zr_roster *r;
	struct zr_error e;

	ck_assert_int_eq(zr_roster_open(&r, "", 0, "r.csv", &e), -1);
	ck_assert_int_eq(e.code, ZR_E_EMPTY);
	ck_assert_int_eq(zr_roster_open(&r, "\n\n", 2, "r.csv", &e), -1);
	ck_assert_int_eq(e.code, ZR_E_EMPTY);
	ck_assert_int_eq(zr_roster_open(&r, "name,period\nA,1y\n", 17,
	    "r.csv", &e), -1);
	ck_assert_int_eq(e.code, ZR_E_MISSING);
	ck_assert_ptr_null(r);
}
END_TEST

Suite *
zr_roster_suite(void)
{
	Suite *s = suite_create("roster");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, rows_and_errors);
	tcase_add_test(tc, header_errors);
	suite_add_tcase(s, tc);
	return s;
}
