/* Unit tests: dates, Japanese date forms, periods, national holidays. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zr_test.h"

static struct zr_date
P(const char *s)
{
	struct zr_date d = { 0, 0, 0 };
	struct zr_error e;

	ck_assert_msg(zr_date_parse(s, &d, &e) == 0, "%s: %s", s, e.msg);
	return d;
}

static void
bad(const char *s, const char *want)
{
	struct zr_date d;
	struct zr_error e;

	ck_assert_msg(zr_date_parse(s, &d, &e) < 0, "%s parsed", s);
	ck_assert_int_eq(e.code, ZR_E_DATE);
	if (want != NULL)
		ck_assert_msg(strstr(e.msg, want) != NULL, "%s: \"%s\" lacks "
		    "\"%s\"", s, e.msg, want);
}

START_TEST(parse_western)
{
	ck_assert_date_eq(P("2026-05-31"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("2026/5/31"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("2026.05.31"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("20260531"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("  2026-05-31 \n"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("2026年5月31日"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("２０２６年５月３１日"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("２０２６／０５／３１"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("2024-02-29"), ZR_D(2024, 2, 29));
}
END_TEST

START_TEST(parse_era)
{
	ck_assert_date_eq(P("令和8年5月31日"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("令和元年5月1日"), ZR_D(2019, 5, 1));
	ck_assert_date_eq(P("R8.5.31"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("r08/05/31"), ZR_D(2026, 5, 31));
	ck_assert_date_eq(P("H31.4.30"), ZR_D(2019, 4, 30));
	ck_assert_date_eq(P("平成元年1月8日"), ZR_D(1989, 1, 8));
	ck_assert_date_eq(P("昭和64年1月7日"), ZR_D(1989, 1, 7));
	ck_assert_date_eq(P("S55.10.1"), ZR_D(1980, 10, 1));
	ck_assert_date_eq(P("大正15年12月24日"), ZR_D(1926, 12, 24));
	ck_assert_date_eq(P("明治45年7月29日"), ZR_D(1912, 7, 29));
	ck_assert_date_eq(P("令和８年５月３１日"), ZR_D(2026, 5, 31));
}
END_TEST

START_TEST(parse_bad)
{
	bad("2026-02-30", "February 2026 has 28 days");
	bad("2025-02-29", "28 days");
	bad("2026-13-01", "no month 13");
	bad("2026-00-10", "no month 0");
	bad("2026-04-31", "April 2026 has 30 days");
	bad("", "empty");
	bad("   ", "empty");
	bad("tomorrow", "not a date");
	bad("2026-5/31", NULL);
	bad("2026-05-31x", NULL);
	bad("31/05/2026", NULL);
	bad("平成31年5月1日", "after the end of 平成");
	bad("平成32年1月1日", "after the end of 平成");
	bad("令和元年4月30日", "before the start");
	bad("R0.5.1", NULL);
	bad("2026年5月", NULL);
	bad("\xff\xfe", "UTF-8");
	bad("2026-05-31\x01", NULL);
	bad("99999-01-01", NULL);
}
END_TEST

START_TEST(days_roundtrip)
{
	struct zr_date d = ZR_D(1900, 1, 1), r;
	long n = zr_date_to_days(d), i;

	ck_assert_int_eq(zr_date_to_days(ZR_D(1970, 1, 1)), 0);
	ck_assert_int_eq(zr_date_to_days(ZR_D(2000, 3, 1)), 11017);
	for (i = 0; i < 200 * 366; i++) {
		r = zr_date_from_days(n + i);
		ck_assert(zr_date_valid(r.y, r.m, r.d));
		ck_assert_int_eq(zr_date_to_days(r), n + i);
	}
	ck_assert_int_eq(zr_date_weekday(ZR_D(2026, 11, 23)), 1);
	ck_assert_int_eq(zr_date_weekday(ZR_D(1970, 1, 1)), 4);
	ck_assert_int_eq(zr_date_weekday(ZR_D(1969, 12, 28)), 0);
	ck_assert_int_eq(zr_date_diff(ZR_D(2026, 1, 1), ZR_D(2027, 1, 1)), 365);
}
END_TEST

START_TEST(month_clamp)
{
	ck_assert_date_eq(zr_date_add_months(ZR_D(2026, 5, 31), -3),
	    ZR_D(2026, 2, 28));
	ck_assert_date_eq(zr_date_add_months(ZR_D(2028, 5, 31), -3),
	    ZR_D(2028, 2, 29));
	ck_assert_date_eq(zr_date_add_months(ZR_D(2026, 1, 31), 1),
	    ZR_D(2026, 2, 28));
	ck_assert_date_eq(zr_date_add_months(ZR_D(2026, 3, 31), -1),
	    ZR_D(2026, 2, 28));
	ck_assert_date_eq(zr_date_add_months(ZR_D(2026, 12, 15), 1),
	    ZR_D(2027, 1, 15));
	ck_assert_date_eq(zr_date_add_months(ZR_D(2026, 1, 15), -1),
	    ZR_D(2025, 12, 15));
	ck_assert_date_eq(zr_date_add_months(ZR_D(2026, 8, 31), -30),
	    ZR_D(2024, 2, 29));
}
END_TEST

START_TEST(era_format)
{
	char b[64];

	ck_assert_str_eq(zr_date_format_era(ZR_D(2026, 5, 31), b, sizeof(b)),
	    "令和8年5月31日");
	ck_assert_str_eq(zr_date_format_era(ZR_D(2019, 5, 1), b, sizeof(b)),
	    "令和元年5月1日");
	ck_assert_str_eq(zr_date_format_era(ZR_D(2019, 4, 30), b, sizeof(b)),
	    "平成31年4月30日");
	ck_assert_str_eq(zr_date_format(ZR_D(7, 1, 2), b), "0007-01-02");
}
END_TEST

START_TEST(periods)
{
	struct zr_period p;
	struct zr_error e;
	char b[32];
	static const struct {
		const char *s;
		int y, m, d;
	} ok[] = {
		{ "3y", 3, 0, 0 }, { "1y6m", 1, 6, 0 }, { "6m", 0, 6, 0 },
		{ "90d", 0, 0, 90 }, { "3 years", 3, 0, 0 },
		{ "1 year 6 months", 1, 6, 0 }, { "5年", 5, 0, 0 },
		{ "1年6月", 1, 6, 0 }, { "6ヶ月", 0, 6, 0 }, { "6か月", 0, 6, 0 },
		{ "90日", 0, 0, 90 }, { "３年", 3, 0, 0 },
	};
	static const char *const no[] = { "", "y", "3", "3x", "0y", "6m1y",
		"1y1y", "99y", "-3y", "3 yrs" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_msg(zr_period_parse(ok[i].s, &p, &e) == 0, "%s: %s",
		    ok[i].s, e.msg);
		ck_assert_int_eq(p.years, ok[i].y);
		ck_assert_int_eq(p.months, ok[i].m);
		ck_assert_int_eq(p.days, ok[i].d);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		ck_assert_msg(zr_period_parse(no[i], &p, &e) < 0, "%s", no[i]);
		ck_assert_int_eq(e.code, ZR_E_RANGE);
	}
	zr_period_parse("1年6月", &p, &e);
	ck_assert_str_eq(zr_period_format(p, b, sizeof(b)), "1y6m");
}
END_TEST

/* The Cabinet Office list (syukujitsu.csv, 1955-2027) day for day. */
START_TEST(holidays_cabinet_office)
{
	char path[512], line[256];
	FILE *fp;
	int y, m, d, n = 0, days = 0;
	struct zr_date dt;
	const char *name;
	char *comma, *nl;

	/* Committed with its source: tests/data/MANIFEST.tsv. */
	snprintf(path, sizeof(path), "%s", ZR_DATA_DIR
	    "holidays-cao-1955-2027.csv");
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s (run from the top of the "
	    "clone)", path);
	ck_assert(fgets(line, sizeof(line), fp) != NULL); /* header */
	dt = ZR_D(1955, 1, 1);
	while (fgets(line, sizeof(line), fp) != NULL) {
		ck_assert_int_eq(sscanf(line, "%d/%d/%d", &y, &m, &d), 3);
		comma = strchr(line, ',');
		ck_assert(comma != NULL);
		if ((nl = strchr(comma, '\n')) != NULL)
			*nl = '\0';
		/* Every day up to this one that is not listed is not a holiday. */
		for (; zr_date_cmp(dt, ZR_D(y, m, d)) < 0;
		    dt = zr_date_add_days(dt, 1), days++)
			ck_assert_msg(zr_holiday_name(dt) == NULL,
			    "%d-%d-%d is not a holiday", dt.y, dt.m, dt.d);
		name = zr_holiday_name(ZR_D(y, m, d));
		ck_assert_msg(name != NULL, "%d-%d-%d missing", y, m, d);
		/* The list annotates 2019-10-14 "体育の日（スポーツの日）"; the
		 * law's name that year was 体育の日. */
		if (!(y == 2019 && m == 10 && d == 14))
			ck_assert_msg(strcmp(name, comma + 1) == 0,
			    "%d-%d-%d: %s != %s", y, m, d, name, comma + 1);
		dt = zr_date_add_days(dt, 1);
		n++;
	}
	fclose(fp);
	ck_assert_int_eq(n, 1067);
	ck_assert_int_gt(days, 25000);
}
END_TEST

/* The law's rules outside the list: 1948-1954 and 2028-2099. */
START_TEST(holidays_rules)
{
	struct zr_date d;
	int count, y;

	ck_assert_ptr_null(zr_holiday_name(ZR_D(1948, 5, 3)));  /* before law */
	ck_assert_str_eq(zr_holiday_name(ZR_D(1948, 9, 23)), "秋分の日");
	ck_assert_str_eq(zr_holiday_name(ZR_D(1948, 11, 3)), "文化の日");
	ck_assert_str_eq(zr_holiday_name(ZR_D(1949, 1, 15)), "成人の日");
	ck_assert_ptr_null(zr_holiday_name(ZR_D(1950, 9, 15)));  /* 敬老 1966 */
	/* 2030: vernal equinox 3/20, autumnal 9/23 (官報 forecast). */
	ck_assert_str_eq(zr_holiday_name(ZR_D(2030, 3, 20)), "春分の日");
	ck_assert_str_eq(zr_holiday_name(ZR_D(2030, 9, 23)), "秋分の日");
	/* 2032: 9/20 敬老の日 (Mon), 9/21 citizens' holiday, 9/22 秋分の日. */
	ck_assert_str_eq(zr_holiday_name(ZR_D(2032, 9, 20)), "敬老の日");
	ck_assert_str_eq(zr_holiday_name(ZR_D(2032, 9, 21)), "休日");
	ck_assert_str_eq(zr_holiday_name(ZR_D(2032, 9, 22)), "秋分の日");
	/* 2033-05-03 is a Tuesday... 2037-05-03 Sunday: 5/6 substitute. */
	ck_assert_int_eq(zr_date_weekday(ZR_D(2037, 5, 3)), 0);
	ck_assert_str_eq(zr_holiday_name(ZR_D(2037, 5, 6)), "休日");
	ck_assert_ptr_null(zr_holiday_name(ZR_D(2100, 1, 1)));
	/* Every year has 9 (before 1966) or 11 to 22 holidays with 休日. */
	for (y = 1956; y <= 2099; y++) {
		count = 0;
		for (d = ZR_D(y, 1, 1); d.y == y; d = zr_date_add_days(d, 1))
			count += zr_holiday_name(d) != NULL;
		ck_assert_msg(count >= (y < 1966 ? 9 : 11) && count <= 22,
		    "%d: %d", y, count);
	}
}
END_TEST

START_TEST(admin_holidays)
{
	ck_assert(zr_is_admin_holiday(ZR_D(2026, 12, 29)));
	ck_assert(zr_is_admin_holiday(ZR_D(2027, 1, 3)));
	ck_assert(!zr_is_admin_holiday(ZR_D(2027, 1, 4)));
	ck_assert(zr_is_admin_holiday(ZR_D(2026, 11, 23)));   /* 勤労感謝 */
	ck_assert(zr_is_admin_holiday(ZR_D(2026, 11, 22)));   /* Sunday */
	ck_assert(!zr_is_admin_holiday(ZR_D(2026, 11, 24)));
	ck_assert_date_eq(zr_next_open_day(ZR_D(2026, 12, 29)),
	    ZR_D(2027, 1, 4));
	/* Golden Week 2026: 5/2 Sat ... 5/6 休日 -> 5/7. */
	ck_assert_date_eq(zr_next_open_day(ZR_D(2026, 5, 2)), ZR_D(2026, 5, 7));
}
END_TEST

START_TEST(today_ignores_tz)
{
	struct zr_date a, b;
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

	setenv("TZ", "America/Los_Angeles", 1);
	ck_assert_int_eq(zr_date_today_jst(&a, NULL), 0);
	setenv("TZ", "Asia/Tokyo", 1);
	ck_assert_int_eq(zr_date_today_jst(&b, NULL), 0);
	ck_assert_date_eq(a, b);
	ck_assert(a.y >= 2024);
	if (old != NULL) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
}
END_TEST

Suite *
zr_date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_western);
	tcase_add_test(tc, parse_era);
	tcase_add_test(tc, parse_bad);
	tcase_add_test(tc, days_roundtrip);
	tcase_add_test(tc, month_clamp);
	tcase_add_test(tc, era_format);
	tcase_add_test(tc, periods);
	tcase_add_test(tc, holidays_cabinet_office);
	tcase_add_test(tc, holidays_rules);
	tcase_add_test(tc, admin_holidays);
	tcase_add_test(tc, today_ignores_tz);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
