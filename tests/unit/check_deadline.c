/* Unit tests: the rules of issue 15 (special period, fees by acceptance date, windows). */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/csv.h"
#include "zairyu/deadline.h"
#include "zairyu/rules.h"
#include "zr_test.h"

static struct zr_deadline_in
in_for(struct zr_date exp, struct zr_date today)
{
	struct zr_deadline_in in;

	memset(&in, 0, sizeof(in));
	in.stay_expiry = exp;
	in.today = today;
	in.warn_days = 14;
	return in;
}

static const struct zr_event *
ev(const struct zr_deadline *d, enum zr_event_kind k)
{
	int i;

	for (i = 0; i < d->nev; i++)
		if (d->ev[i].kind == k)
			return &d->ev[i];
	return NULL;
}

static int
has_warning(const struct zr_deadline *d, const char *s)
{
	int i;

	for (i = 0; i < d->nwarning; i++)
		if (strstr(d->warning[i], s) != NULL)
			return 1;
	return 0;
}

static struct zr_deadline
run(const struct zr_deadline_in *in)
{
	struct zr_deadline d;
	struct zr_error e;

	ck_assert_msg(zr_deadline_compute(in, &d, &e) == 0, "%s", e.msg);
	return d;
}

/* Wrong today 1: past the special period's end, say so (入管法 20条6項). */
START_TEST(special_period_over)
{
	struct zr_deadline_in in = in_for(ZR_D(2026, 5, 31), ZR_D(2026, 8, 5));
	struct zr_deadline d;

	in.applied = ZR_D(2026, 5, 20);
	d = run(&in);
	ck_assert_int_eq(d.stage, ZR_STAGE_SPECIAL_OVER);
	ck_assert_int_eq(d.problem, 1);
	ck_assert_ptr_nonnull(strstr(d.summary, "special period is over"));
	ck_assert_ptr_nonnull(strstr(d.summary, "2026-07-31"));
	ck_assert_ptr_null(strstr(d.summary, "you may stay"));
	/* Inside it, still fine, and the end is named. */
	in.today = ZR_D(2026, 7, 31);
	d = run(&in);
	ck_assert_int_eq(d.stage, ZR_STAGE_APPLIED);
	ck_assert_int_eq(d.problem, 0);
	ck_assert_ptr_nonnull(strstr(d.summary, "at the latest 2026-07-31"));
}
END_TEST

/* Wrong today 2: the fee follows the acceptance date (rules-facts §3.1). */
START_TEST(fee_by_acceptance)
{
	struct zr_deadline_in in = in_for(ZR_D(2025, 5, 31), ZR_D(2025, 8, 5));
	struct zr_deadline d;

	in.applied = ZR_D(2025, 3, 31);
	d = run(&in);
	ck_assert_date_eq(d.fee_day, ZR_D(2025, 3, 31));
	ck_assert_int_eq(d.fee_online, 4000);
	ck_assert_int_eq(d.fee_counter, 4000);
	in.applied = ZR_D(2025, 4, 1);
	d = run(&in);
	ck_assert_int_eq(d.fee_online, 5500);
	ck_assert_int_eq(d.fee_counter, 6000);
	/* Not applied: today's rules; --rules-date wins over both. */
	in.applied = ZR_D(0, 0, 0);
	in.today = ZR_D(2025, 3, 1);
	d = run(&in);
	ck_assert_int_eq(d.fee_online, 4000);
	in.rules_date = ZR_D(2025, 4, 1);
	d = run(&in);
	ck_assert_int_eq(d.fee_online, 5500);
}
END_TEST

/* Wrong today 3: 民法 143条2項, the month's last day when no twin. */
START_TEST(special_end_month_end)
{
	static const struct {
		struct zr_date exp, end;
	} t[] = {
		{ { 2026, 7, 30 }, { 2026, 9, 30 } },
		{ { 2025, 12, 29 }, { 2026, 2, 28 } },
		{ { 2027, 12, 30 }, { 2028, 2, 29 } },
		{ { 2026, 5, 31 }, { 2026, 7, 31 } },
		{ { 2027, 2, 28 }, { 2027, 4, 30 } },
		{ { 2026, 6, 15 }, { 2026, 8, 15 } },
		{ { 2026, 12, 31 }, { 2027, 2, 28 } },
	};
	struct zr_deadline_in in;
	struct zr_deadline d;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		in = in_for(t[i].exp, ZR_D(2025, 1, 1));
		d = run(&in);
		ck_assert_date_eq(ev(&d, ZR_EV_SPECIAL_END)->date, t[i].end);
	}
}
END_TEST

/* Wrong today 4: the halfway rule for stays of 3 months or less only
 * (seed 002, A27); an application date that cannot be right is advice. */
START_TEST(halfway_and_applied)
{
	struct zr_deadline_in in = in_for(ZR_D(2026, 5, 31), ZR_D(2026, 4, 1));
	struct zr_deadline d;

	in.period.months = 3;
	d = run(&in);
	ck_assert_ptr_nonnull(ev(&d, ZR_EV_WINDOW_MIDPOINT));
	ck_assert_ptr_null(ev(&d, ZR_EV_WINDOW_OPEN));
	in.period.days = 90, in.period.months = 0;
	d = run(&in);
	ck_assert_ptr_nonnull(ev(&d, ZR_EV_WINDOW_MIDPOINT));
	/* 4 months: 3 months before, marked unconfirmed. */
	in.period.days = 0, in.period.months = 4;
	d = run(&in);
	ck_assert_ptr_null(ev(&d, ZR_EV_WINDOW_MIDPOINT));
	ck_assert_date_eq(ev(&d, ZR_EV_WINDOW_OPEN)->date, ZR_D(2026, 2, 28));
	ck_assert_ptr_nonnull(strstr(ev(&d, ZR_EV_WINDOW_OPEN)->note,
	    "not confirmed"));
	/* Applied before the window opened, after today: not an error. */
	in = in_for(ZR_D(2026, 5, 31), ZR_D(2026, 3, 10));
	in.applied = ZR_D(2026, 1, 10);
	d = run(&in);
	ck_assert_int_eq(d.stage, ZR_STAGE_OPEN);
	ck_assert_int_eq(d.problem, 1);
	ck_assert(has_warning(&d, "before the window opened"));
	in.applied = ZR_D(2026, 3, 11);
	d = run(&in);
	ck_assert_int_eq(d.stage, ZR_STAGE_OPEN);
	ck_assert(has_warning(&d, "is after today"));
	in.applied = ZR_D(2026, 3, 1);
	d = run(&in);
	ck_assert_int_eq(d.stage, ZR_STAGE_APPLIED);
	ck_assert_int_eq(d.nwarning, 0);
}
END_TEST

/* Wrong today 6: dates outside the calendar are refused, saying so. */
START_TEST(calendar_range)
{
	struct zr_deadline_in in = in_for(ZR_D(2100, 1, 1), ZR_D(2026, 1, 1));
	struct zr_deadline d;
	struct zr_error e;

	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "1948-07-20 to 2099-12-31"));
	in.stay_expiry = ZR_D(9999, 12, 31);
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	in.stay_expiry = ZR_D(2099, 11, 30);
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	in.stay_expiry = ZR_D(2099, 9, 30);
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), 0);
	in.stay_expiry = ZR_D(2026, 5, 31);
	in.today = ZR_D(1900, 1, 1);
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
}
END_TEST

/* Missing 1: by post the status starts on delivery (A71). */
START_TEST(mail_by_after_special)
{
	struct zr_deadline_in in = in_for(ZR_D(2026, 5, 31), ZR_D(2026, 7, 25));
	struct zr_deadline d;

	in.applied = ZR_D(2026, 5, 20);
	in.completion = ZR_D(2026, 7, 25);
	d = run(&in);
	ck_assert_date_eq(ev(&d, ZR_EV_CARD_MAIL_BY)->date, ZR_D(2026, 8, 8));
	ck_assert_int_eq(d.problem, 1);
	ck_assert(has_warning(&d, "after the special period ends on "
	    "2026-07-31"));
	ck_assert(has_warning(&d, "counter"));
	/* Early enough: mail by and delivery before the end. */
	in.completion = ZR_D(2026, 6, 1);
	in.today = ZR_D(2026, 6, 1);
	in.warn_days = 7;
	d = run(&in);
	ck_assert_int_eq(d.nwarning, 0);
	ck_assert_int_eq(d.problem, 0);
}
END_TEST

/* Missing 2: My Number card and signature certificate end dates. */
START_TEST(myna_jpki_end)
{
	struct zr_deadline_in in = in_for(ZR_D(2026, 5, 31), ZR_D(2026, 3, 1));
	struct zr_deadline d;

	in.myna_expiry = ZR_D(2026, 4, 30);
	d = run(&in);
	ck_assert_int_eq(d.problem, 1);
	ck_assert(has_warning(&d, "My Number card ends on 2026-04-30, "
	    "before the last day to apply online (2026-05-30)"));
	ck_assert(has_warning(&d, "new identity"));
	in.myna_expiry = ZR_D(2030, 1, 1);
	in.jpki_expiry = ZR_D(2026, 5, 1);
	d = run(&in);
	ck_assert(has_warning(&d, "signature certificate ends on 2026-05-01"));
	ck_assert_date_eq(ev(&d, ZR_EV_JPKI_END)->date, ZR_D(2026, 5, 1));
	/* While waiting: before the latest result (the special end). */
	in.applied = ZR_D(2026, 3, 1);
	in.jpki_expiry = ZR_D(2026, 7, 1);
	d = run(&in);
	ck_assert(has_warning(&d, "before the result may come (at the "
	    "latest 2026-07-31)"));
	in.jpki_expiry = ZR_D(2026, 8, 1);
	d = run(&in);
	ck_assert_int_eq(d.nwarning, 0);
}
END_TEST

/* Missing 5: a lost card (入管法 19条の12; seed 003). */
START_TEST(lost_card)
{
	struct zr_deadline_in in = in_for(ZR_D(2028, 5, 31), ZR_D(2026, 3, 1));
	struct zr_deadline d;
	int i, police = 0, fee = 0;

	in.lost = ZR_D(2026, 2, 10);
	in.reentered = ZR_D(2026, 2, 25);
	d = run(&in);
	ck_assert_date_eq(ev(&d, ZR_EV_LOST_REISSUE_BY)->date,
	    ZR_D(2026, 3, 11));
	for (i = 0; i < d.nadvice; i++) {
		police |= strstr(d.advice[i], "acceptance number") != NULL;
		fee |= strstr(d.advice[i], "costs nothing") != NULL &&
		    strstr(d.advice[i], "1,600 yen") != NULL;
	}
	ck_assert(police && fee);
	/* Before 2025-03-03 the police certificate. */
	in = in_for(ZR_D(2026, 5, 31), ZR_D(2025, 3, 2));
	in.lost = ZR_D(2025, 3, 1);
	d = run(&in);
	ck_assert_date_eq(ev(&d, ZR_EV_LOST_REISSUE_BY)->date,
	    ZR_D(2025, 3, 15));
	ck_assert_ptr_nonnull(strstr(d.advice[0], "police certificate"));
	ck_assert_ptr_null(strstr(d.advice[0], "acceptance number"));
}
END_TEST

/* HR rosters: UTF-8 with or without BOM and CP932; one row a line. */
START_TEST(roster_csv)
{
	/* "名前,期限\n田中,1\n" in CP932. */
	static const char sj[] = "\x96\xbc\x91\x4f,\x8a\xfa\x8c\xc0\n"
	    "\x93\x63\x92\x86,1\n";
	static const char bom[] = "\xef\xbb\xbf" "a,b\n";
	static const char rows[] = "a,b\n\"x,1\ny,2\n\"z\n\",3\n";
	enum zr_csv_encoding enc;
	struct zr_csv *c;
	struct zr_error e;
	char *out, **f;
	size_t len, n;
	int line;

	ck_assert_int_eq(zr_csv_decode(sj, sizeof(sj) - 1, "r", &out, &len,
	    &enc, &e), 0);
	ck_assert_int_eq(enc, ZR_CSV_CP932);
	ck_assert_str_eq(out, "名前,期限\n田中,1\n");
	free(out);
	ck_assert_int_eq(zr_csv_decode(bom, sizeof(bom) - 1, "r", &out, &len,
	    &enc, &e), 0);
	ck_assert_int_eq(enc, ZR_CSV_UTF8_BOM);
	ck_assert_str_eq(out, "a,b\n");
	free(out);
	ck_assert_int_eq(zr_csv_decode("a,\x80\n", 4, "r", &out, &len, &enc,
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UTF8);
	/* One line a record: the broken quote on line 2 is reported and
	 * line 3 still read; a quoted line end is refused the same way. */
	ck_assert_int_eq(zr_csv_open(&c, rows, sizeof(rows) - 1, "r", &e), 0);
	zr_csv_one_line_records(c);
	ck_assert_int_eq(zr_csv_next(c, &f, &n, &line, &e), 1);
	ck_assert_int_eq(zr_csv_next(c, &f, &n, &line, &e), -1);
	ck_assert_int_eq(e.line, 2);
	ck_assert_int_eq(zr_csv_next(c, &f, &n, &line, &e), 1);
	ck_assert_int_eq(line, 3);
	ck_assert_str_eq(f[0], "y");
	ck_assert_int_eq(zr_csv_next(c, &f, &n, &line, &e), -1);
	ck_assert_int_eq(e.line, 4);
	ck_assert_int_eq(zr_csv_next(c, &f, &n, &line, &e), -1);
	ck_assert_int_eq(e.line, 5);
	ck_assert_int_eq(zr_csv_next(c, &f, &n, &line, &e), 0);
	zr_csv_close(c);
}
END_TEST

Suite *
zr_deadline_suite(void)
{
	Suite *s = suite_create("deadline");
	TCase *tc = tcase_create("deadline");

	tcase_add_test(tc, special_period_over);
	tcase_add_test(tc, fee_by_acceptance);
	tcase_add_test(tc, special_end_month_end);
	tcase_add_test(tc, halfway_and_applied);
	tcase_add_test(tc, calendar_range);
	tcase_add_test(tc, mail_by_after_special);
	tcase_add_test(tc, myna_jpki_end);
	tcase_add_test(tc, lost_card);
	tcase_add_test(tc, roster_csv);
	suite_add_tcase(s, tc);
	return s;
}
