/* libzairyu: Japan's national holidays, computed from the law's rules. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stddef.h>

#include "zairyu/date.h"

/*
 * Sources: 国民の祝日に関する法律 (昭和23年法律第178号, in force
 * 1948-07-20) and its amendments; the rules by year and the equinox
 * formula are in ../shared/facts/rules-facts.md §5.2-§5.3, checked there
 * against the Cabinet Office list (syukujitsu.csv) for 1955-2027.
 */

/* The n-th Monday of month m of year y (Happy Monday, 平成10年法律第141号
 * and 平成13年法律第59号). */
static int
nth_monday(int y, int m, int n)
{
	struct zr_date first = { y, m, 1 };
	int wd = zr_date_weekday(first);

	return 1 + (8 - wd) % 7 + 7 * (n - 1);
}

/*
 * Day of the vernal (autumn = 0) or autumnal equinox in March/September.
 * The official day is set by the 官報 notice of the previous February;
 * this approximation reproduces every notified day for 1955-2027.
 * Floor with (Y-1980)/4 for both ranges: mixing trunc with (Y-1980) or
 * floor with (Y-1983) gives wrong days before 1980 (rules-facts §5.3).
 */
static int
equinox_day(int y, int autumn)
{
	double c;

	if (y < 1980)
		c = autumn ? 23.2588 : 20.8357;
	else
		c = autumn ? 23.2488 : 20.8431;
	return (int)floor(c + 0.242194 * (y - 1980) -
	    floor((y - 1980) / 4.0));
}

/* The holidays of the law itself, without 振替休日 and 国民の休日. */
static const char *
base_holiday(struct zr_date dt)
{
	int y = dt.y, m = dt.m, d = dt.d;

	/* In force from 1948-07-20. */
	if (y < 1948 || (y == 1948 && (m < 7 || (m == 7 && d < 20))))
		return NULL;

	/* One-off days, each by its own law. */
	if (y == 1959 && m == 4 && d == 10)
		return "結婚の儀";          /* 皇太子明仁親王の結婚の儀 */
	if (y == 1989 && m == 2 && d == 24)
		return "大喪の礼";          /* 昭和天皇の大喪の礼 */
	if (y == 1990 && m == 11 && d == 12)
		return "即位礼正殿の儀";
	if (y == 1993 && m == 6 && d == 9)
		return "結婚の儀";          /* 皇太子徳仁親王の結婚の儀 */
	/* 天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律
	 * (平成30年法律第99号): holidays treated as national holidays. */
	if (y == 2019 && ((m == 5 && d == 1) || (m == 10 && d == 22)))
		return "休日（祝日扱い）";

	switch (m) {
	case 1:
		if (d == 1)
			return "元日";
		if (y <= 1999 ? d == 15 : d == nth_monday(y, 1, 2))
			return "成人の日";
		break;
	case 2:
		if (d == 11 && y >= 1967)
			return "建国記念の日";
		if (d == 23 && y >= 2020)
			return "天皇誕生日";
		break;
	case 3:
		if (d == equinox_day(y, 0))
			return "春分の日";
		break;
	case 4:
		if (d == 29) {
			if (y <= 1988)
				return "天皇誕生日";
			if (y <= 2006)
				return "みどりの日";
			return "昭和の日";
		}
		break;
	case 5:
		if (d == 3)
			return "憲法記念日";
		if (d == 4 && y >= 2007)
			return "みどりの日";
		if (d == 5)
			return "こどもの日";
		break;
	case 7:
		/* 2020 and 2021: moved for the Olympic Games (平成30年法律第55号,
		 * 令和2年法律第68号). */
		if (y == 2020)
			return d == 23 ? "海の日" : d == 24 ? "スポーツの日" : NULL;
		if (y == 2021)
			return d == 22 ? "海の日" : d == 23 ? "スポーツの日" : NULL;
		if (y >= 1996 && y <= 2002 && d == 20)
			return "海の日";
		if (y >= 2003 && d == nth_monday(y, 7, 3))
			return "海の日";
		break;
	case 8:
		if (y == 2020)
			return d == 10 ? "山の日" : NULL;
		if (y == 2021)
			return d == 8 ? "山の日" : NULL;
		if (y >= 2016 && d == 11)
			return "山の日";
		break;
	case 9:
		if (y >= 1966 && y <= 2002 && d == 15)
			return "敬老の日";
		if (y >= 2003 && d == nth_monday(y, 9, 3))
			return "敬老の日";
		if (d == equinox_day(y, 1))
			return "秋分の日";
		break;
	case 10:
		if (y >= 1966 && y <= 1999 && d == 10)
			return "体育の日";
		if (y >= 2000 && y <= 2019 && d == nth_monday(y, 10, 2))
			return "体育の日";
		if (y >= 2022 && d == nth_monday(y, 10, 2))
			return "スポーツの日";
		break;
	case 11:
		if (d == 3)
			return "文化の日";
		if (d == 23)
			return "勤労感謝の日";
		break;
	case 12:
		if (d == 23 && y >= 1989 && y <= 2018)
			return "天皇誕生日";
		break;
	}
	return NULL;
}

static int
is_base(struct zr_date d)
{
	return base_holiday(d) != NULL;
}

/* 振替休日 (昭和48年法律第10号, from 1973-04-12; 平成17年法律第43号
 * from 2007). */
static int
is_substitute(struct zr_date d)
{
	struct zr_date prev = zr_date_add_days(d, -1);
	static const struct zr_date start = { 1973, 4, 12 };

	if (d.y <= 2006) {
		/* The day after a holiday that falls on a Sunday. */
		return zr_date_cmp(prev, start) >= 0 &&
		    zr_date_weekday(prev) == 0 && is_base(prev);
	}
	/* The first day after a Sunday holiday that is not a holiday. */
	while (is_base(prev)) {
		if (zr_date_weekday(prev) == 0)
			return 1;
		prev = zr_date_add_days(prev, -1);
	}
	return 0;
}

/* 国民の休日 (昭和60年法律第103号, in force 1985-12-27; from 2007 also
 * on Sundays, 平成17年法律第43号). */
static int
is_citizens(struct zr_date d)
{
	static const struct zr_date start = { 1985, 12, 27 };

	if (zr_date_cmp(d, start) < 0)
		return 0;
	if (d.y <= 2006 && zr_date_weekday(d) == 0)
		return 0;
	return is_base(zr_date_add_days(d, -1)) &&
	    is_base(zr_date_add_days(d, 1));
}

const char *
zr_holiday_name(struct zr_date d)
{
	const char *name;

	if (d.y > 2099 || !zr_date_valid(d.y, d.m, d.d))
		return NULL;
	if ((name = base_holiday(d)) != NULL)
		return name;
	/* The Cabinet Office list names both kinds "休日". */
	if (is_substitute(d) || is_citizens(d))
		return "休日";
	return NULL;
}

int
zr_is_admin_holiday(struct zr_date d)
{
	int wd = zr_date_weekday(d);

	/* 行政機関の休日に関する法律 1条1項. */
	if (wd == 0 || wd == 6)
		return 1;
	if ((d.m == 12 && d.d >= 29) || (d.m == 1 && d.d <= 3))
		return 1;
	return zr_holiday_name(d) != NULL;
}

struct zr_date
zr_next_open_day(struct zr_date d)
{
	while (zr_is_admin_holiday(d))
		d = zr_date_add_days(d, 1);
	return d;
}
