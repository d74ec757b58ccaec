/* libzairyu: civil dates and the date forms used on Japanese documents. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zairyu/date.h"
#include "zairyu/text.h"

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
zr_days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int
zr_date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= zr_days_in_month(y, m);
}

/* Days from civil (H. Hinnant's algorithm), 1970-01-01 = 0. */
long
zr_date_to_days(struct zr_date dt)
{
	long y = dt.y - (dt.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (dt.m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + dt.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

struct zr_date
zr_date_from_days(long z)
{
	struct zr_date r;
	long era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(y + (r.m <= 2));
	return r;
}

int
zr_date_cmp(struct zr_date a, struct zr_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

long
zr_date_diff(struct zr_date a, struct zr_date b)
{
	return zr_date_to_days(b) - zr_date_to_days(a);
}

struct zr_date
zr_date_add_days(struct zr_date d, long n)
{
	return zr_date_from_days(zr_date_to_days(d) + n);
}

struct zr_date
zr_date_add_months(struct zr_date d, int n)
{
	long months = (long)d.y * 12 + (d.m - 1) + n;
	struct zr_date r;
	int dim;

	r.y = (int)(months / 12);
	r.m = (int)(months % 12) + 1;
	dim = zr_days_in_month(r.y, r.m);
	r.d = d.d > dim ? dim : d.d;
	return r;
}

int
zr_date_weekday(struct zr_date d)
{
	long z = zr_date_to_days(d);

	/* 1970-01-01 was a Thursday (4). */
	return (int)(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

int
zr_date_today_jst(struct zr_date *out, struct zr_error *err)
{
	time_t t = time(NULL);
	long long s;

	if (t == (time_t)-1)
		return zr_error_set(err, ZR_E_INTERNAL, NULL,
		    "cannot read the clock");
	/* Japan Standard Time is UTC+9 all year; TZ is deliberately ignored. */
	s = (long long)t + 9 * 3600;
	*out = zr_date_from_days((long)(s >= 0 ? s / 86400 :
	    -((-s + 86399) / 86400)));
	return 0;
}

char *
zr_date_format(struct zr_date d, char *buf)
{
	snprintf(buf, ZR_DATE_BUFSZ, "%04d-%02d-%02d",
	    d.y < 0 ? 0 : d.y % 10000, d.m % 100 < 0 ? 0 : d.m % 100,
	    d.d % 100 < 0 ? 0 : d.d % 100);
	return buf;
}

/*
 * The Japanese eras since the Gregorian calendar (明治6年, 1873) and the
 * day each began; an era ends the day before the next begins.
 * 令和: 2019-05-01 (元号を改める政令, 平成31年政令第143号).
 */
static const struct era {
	const char *kanji;
	char letter;
	struct zr_date start;
} eras[] = {
	{ "令和", 'R', { 2019, 5, 1 } },
	{ "平成", 'H', { 1989, 1, 8 } },
	{ "昭和", 'S', { 1926, 12, 25 } },
	{ "大正", 'T', { 1912, 7, 30 } },
	{ "明治", 'M', { 1868, 10, 23 } },
};
#define NERAS (sizeof(eras) / sizeof(eras[0]))

char *
zr_date_format_era(struct zr_date d, char *buf, size_t n)
{
	size_t i;
	int ey;

	for (i = 0; i < NERAS; i++)
		if (zr_date_cmp(d, eras[i].start) >= 0)
			break;
	if (i == NERAS) {
		snprintf(buf, n, "%d年%d月%d日", d.y, d.m, d.d);
		return buf;
	}
	ey = d.y - eras[i].start.y + 1;
	if (ey == 1)
		snprintf(buf, n, "%s元年%d月%d日", eras[i].kanji, d.m, d.d);
	else
		snprintf(buf, n, "%s%d年%d月%d日", eras[i].kanji, ey, d.m, d.d);
	return buf;
}

static const char *const month_names[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

/* Read 1 to maxd ASCII digits; -1 if none or too many. */
static int
digits(const char **pp, int maxd, int *ndig)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (*p >= '0' && *p <= '9') {
		if (++n > maxd)
			return -1;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (n == 0)
		return -1;
	*pp = p;
	if (ndig != NULL)
		*ndig = n;
	return v;
}

static int
eat(const char **pp, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*pp, lit, n) != 0)
		return 0;
	*pp += n;
	return 1;
}

static int
date_error(struct zr_error *err, const char *s, const char *why)
{
	return zr_error_set(err, ZR_E_DATE, NULL, "\"%.80s\": %s", s, why);
}

static int
check_ymd(struct zr_error *err, const char *s, int y, int m, int d)
{
	char why[96];

	if (y < 1 || y > 9999)
		return date_error(err, s, "year out of range");
	if (m < 1 || m > 12) {
		snprintf(why, sizeof(why), "there is no month %d", m);
		return date_error(err, s, why);
	}
	if (d < 1 || d > zr_days_in_month(y, m)) {
		snprintf(why, sizeof(why), "%s %d has %d days",
		    month_names[m - 1], y, zr_days_in_month(y, m));
		return date_error(err, s, why);
	}
	return 0;
}

/* After the year: "-5-31", "/5/31", ".5.31", "年5月31日" and the end. */
static int
parse_md(const char **pp, int *m, int *d)
{
	const char *p = *pp;
	char sep;

	if (eat(&p, "年")) {
		if ((*m = digits(&p, 2, NULL)) < 0 || !eat(&p, "月"))
			return -1;
		if ((*d = digits(&p, 2, NULL)) < 0)
			return -1;
		eat(&p, "日");
	} else if (*p == '-' || *p == '/' || *p == '.') {
		sep = *p++;
		if ((*m = digits(&p, 2, NULL)) < 0 || *p++ != sep)
			return -1;
		if ((*d = digits(&p, 2, NULL)) < 0)
			return -1;
	} else {
		return -1;
	}
	*pp = p;
	return 0;
}

int
zr_date_parse(const char *s, struct zr_date *out, struct zr_error *err)
{
	const char *p, *end;
	char *norm;
	int y, m, d, n, ey;
	size_t i;
	int rc = -1;

	if (s == NULL)
		return date_error(err, "", "no date");
	if (!zr_utf8_valid(s, strlen(s), NULL))
		return zr_error_set(err, ZR_E_DATE, NULL,
		    "date is not valid UTF-8");
	/* Full-width digits and punctuation (２０２６／５／３１) count too. */
	if ((norm = zr_text_halfwidth(s)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	p = norm;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	norm[end - norm] = '\0';
	if (*p == '\0') {
		date_error(err, s, "empty date");
		goto out;
	}

	/* Era forms: 令和8年5月31日, 令和元年5月1日, R8.5.31, h31/4/30. */
	for (i = 0; i < NERAS; i++) {
		const struct era *e = &eras[i];
		if (!eat(&p, e->kanji)) {
			if (*p != e->letter && *p != e->letter + 32)
				continue;
			if (p[1] < '0' || p[1] > '9')
				continue;
			p++;
		}
		if (eat(&p, "元"))
			ey = 1;
		else if ((ey = digits(&p, 2, NULL)) < 1) {
			date_error(err, s, "bad era year");
			goto out;
		}
		if (parse_md(&p, &m, &d) < 0 || *p != '\0') {
			date_error(err, s, "not a date (use YYYY-MM-DD or "
			    "令和8年5月31日)");
			goto out;
		}
		y = e->start.y + ey - 1;
		if (check_ymd(err, s, y, m, d) < 0)
			goto out;
		out->y = y, out->m = m, out->d = d;
		if (zr_date_cmp(*out, e->start) < 0) {
			date_error(err, s, "before the start of the era");
			goto out;
		}
		if (i > 0 && zr_date_cmp(*out, eras[i - 1].start) >= 0) {
			char why[96];
			snprintf(why, sizeof(why), "after the end of %s "
			    "(%s began %04d-%02d-%02d)", e->kanji,
			    eras[i - 1].kanji, eras[i - 1].start.y,
			    eras[i - 1].start.m, eras[i - 1].start.d);
			date_error(err, s, why);
			goto out;
		}
		rc = 0;
		goto out;
	}

	/* Western forms: 2026-05-31, 2026/5/31, 2026.5.31, 2026年5月31日,
	 * 20260531. */
	if ((y = digits(&p, 8, &n)) < 0) {
		date_error(err, s, "not a date (use YYYY-MM-DD)");
		goto out;
	}
	if (n == 8 && *p == '\0') {
		d = y % 100, m = y / 100 % 100, y /= 10000;
	} else if (n != 4 || parse_md(&p, &m, &d) < 0 || *p != '\0') {
		date_error(err, s, "not a date (use YYYY-MM-DD)");
		goto out;
	}
	if (check_ymd(err, s, y, m, d) < 0)
		goto out;
	out->y = y, out->m = m, out->d = d;
	rc = 0;
out:
	free(norm);
	return rc;
}

/* Periods of stay: "3y", "1 year 6 months", "1年6月", "90日". */
int
zr_period_parse(const char *s, struct zr_period *out, struct zr_error *err)
{
	char *norm;
	const char *p;
	int v, n, any = 0, seen_y = 0, seen_m = 0, seen_d = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	if (s == NULL || !zr_utf8_valid(s, strlen(s), NULL))
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "period: not valid UTF-8");
	if ((norm = zr_text_halfwidth(s)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	p = norm;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if ((v = digits(&p, 4, &n)) < 0)
			goto bad;
		while (*p == ' ')
			p++;
		if ((eat(&p, "years") || eat(&p, "year") || eat(&p, "y") ||
		    eat(&p, "年")) && !seen_y && !seen_m && !seen_d) {
			seen_y = 1;
			out->years = v;
		} else if ((eat(&p, "months") || eat(&p, "month") ||
		    eat(&p, "m") || eat(&p, "ヶ月") || eat(&p, "か月") ||
		    eat(&p, "カ月") || eat(&p, "箇月") || eat(&p, "月")) &&
		    !seen_m && !seen_d) {
			seen_m = 1;
			out->months = v;
		} else if ((eat(&p, "days") || eat(&p, "day") ||
		    eat(&p, "d") || eat(&p, "日")) && !seen_d) {
			seen_d = 1;
			out->days = v;
		} else {
			goto bad;
		}
		any = 1;
	}
	if (!any)
		goto bad;
	if (zr_period_days(*out) <= 0 || out->years > 10 || out->months > 120 ||
	    out->days > 3660) {
		zr_error_set(err, ZR_E_RANGE, NULL, "period: \"%.40s\" is not "
		    "a period of stay (1 day to 10 years)", s);
		goto out;
	}
	rc = 0;
	goto out;
bad:
	zr_error_set(err, ZR_E_RANGE, NULL, "period: \"%.40s\" is not a "
	    "period (use 3y, 1y6m, 6m, 90d)", s);
out:
	free(norm);
	return rc;
}

char *
zr_period_format(struct zr_period p, char *buf, size_t n)
{
	int len = 0;

	buf[0] = '\0';
	if (p.years > 0 && (size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, "%dy", p.years);
	if (p.months > 0 && (size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, "%dm", p.months);
	if (p.days > 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, "%dd", p.days);
	return buf;
}

long
zr_period_days(struct zr_period p)
{
	return (long)p.years * 365 + (long)p.months * 30 + p.days;
}
