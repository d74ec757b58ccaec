/* libzairyu: civil dates, Japanese date forms, Japan's national holidays. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_DATE_H
#define ZAIRYU_DATE_H

#include <stddef.h>

#include "zairyu/error.h"

/* A proleptic Gregorian calendar date.  Valid years: 1 to 9999. */
struct zr_date {
	int y, m, d;
};

/* "YYYY-MM-DD" plus NUL. */
#define ZR_DATE_BUFSZ 11

/* 1 if y-m-d is a real date (no Feb 30), else 0. */
int zr_date_valid(int y, int m, int d);
int zr_days_in_month(int y, int m);

/*
 * Parse a date written as a person or an official form writes it:
 *   2026-05-31, 2026/5/31, 2026.5.31, 20260531,
 *   2026年5月31日 (digits half- or full-width),
 *   era forms: 令和8年5月31日, 令和元年5月1日, R8.5.31, R8/5/31, H31.4.30,
 *   平成, 昭和 (S), 大正 (T), 明治 (M).
 * Leading and trailing white space is allowed; anything else is an error
 * (ZR_E_DATE, with what is wrong: "2026-02-30: February 2026 has 28 days").
 * An era year beyond the era's end (平成32年) is refused.
 */
int zr_date_parse(const char *s, struct zr_date *out, struct zr_error *err);

/* Format as YYYY-MM-DD into buf (ZR_DATE_BUFSZ bytes); returns buf. */
char *zr_date_format(struct zr_date d, char *buf);

/*
 * Japanese era form of d: "令和8年5月31日" (元年 for year 1) into buf of
 * size n.  Dates before 1868-10-23 get the Western form.  Returns buf.
 */
char *zr_date_format_era(struct zr_date d, char *buf, size_t n);

/* Days since 1970-01-01 (negative before) and back. */
long zr_date_to_days(struct zr_date d);
struct zr_date zr_date_from_days(long days);

/* Compare: <0, 0, >0. */
int zr_date_cmp(struct zr_date a, struct zr_date b);

/* b - a in days. */
long zr_date_diff(struct zr_date a, struct zr_date b);

struct zr_date zr_date_add_days(struct zr_date d, long n);

/*
 * Add n months (n may be negative), clamping to the month's last day:
 * 2026-05-31 minus 3 months is 2026-02-28.
 */
struct zr_date zr_date_add_months(struct zr_date d, int n);

/* Day of the week, 0 = Sunday ... 6 = Saturday. */
int zr_date_weekday(struct zr_date d);

/*
 * Today in Japan (Asia/Tokyo, UTC+9, no DST since 1951) from the system
 * clock, whatever TZ says.  Errors: ZR_E_INTERNAL if the clock fails.
 */
int zr_date_today_jst(struct zr_date *out, struct zr_error *err);

/*
 * The national holiday on d (祝日法, 昭和23年法律第178号 as amended, and
 * the one-off days by their own laws), including 振替休日 and 国民の休日,
 * as its Japanese name, or NULL.  Computed from the law's rules for
 * 1948-07-20 to 2099-12-31 (rules-facts.md §5.2, §5.3); NULL outside.
 * The equinox days follow the astronomical approximation that the
 * Cabinet Office list matches for 1955-2027; beyond the current year the
 * official date is announced each February (官報), so they are forecasts.
 */
const char *zr_holiday_name(struct zr_date d);

/*
 * 1 if d is a 行政機関の休日 (行政機関の休日に関する法律 1条): Saturday,
 * Sunday, a national holiday, or 12-29 to 01-03.
 */
int zr_is_admin_holiday(struct zr_date d);

/* The first day on or after d that is not a 行政機関の休日. */
struct zr_date zr_next_open_day(struct zr_date d);

/* A length of time as written on a card or a form: 3 years, 1y6m, 90 days. */
struct zr_period {
	int years, months, days;
};

/*
 * Parse a period: "3y", "1y6m", "6m", "90d", "3 years", "1 year 6 months",
 * "5年", "1年6月", "6ヶ月", "6か月", "90日" (digits half- or full-width).
 * Errors: ZR_E_RANGE ("period: ..."), with what is wrong.
 */
int zr_period_parse(const char *s, struct zr_period *out, struct zr_error *err);

/* "3y", "1y6m", "90d" into buf of size n (the canonical short form). */
char *zr_period_format(struct zr_period p, char *buf, size_t n);

/* Rough length in days (a month = 30 days, a year = 365), for comparisons. */
long zr_period_days(struct zr_period p);

#endif
