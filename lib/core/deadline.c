/* libzairyu: the deadlines of a period of stay and where today stands. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <openssl/sha.h>

#include "zairyu/deadline.h"

static const char *const wd_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	"Fri", "Sat" };

static const struct {
	const char *id, *title, *title_ja;
	int action;
} kinds[ZR_EV_COUNT_] = {
	[ZR_EV_WINDOW_OPEN] = { "window_open", "first day to apply",
	    "申請受付開始（満了日の3か月前）", 0 },
	[ZR_EV_WINDOW_MIDPOINT] = { "window_midpoint",
	    "about half the period has passed: apply from about now",
	    "在留期間の概ね2分の1経過", 0 },
	[ZR_EV_ONLINE_LAST] = { "online_last", "last day to apply online",
	    "オンライン申請の最終日（満了日の前日）", 1 },
	[ZR_EV_COUNTER_LAST] = { "counter_last",
	    "last day to apply at a counter", "窓口申請の最終日", 1 },
	[ZR_EV_STAY_EXPIRY] = { "stay_expiry", "period of stay expires",
	    "在留期間満了日", 0 },
	[ZR_EV_SPECIAL_END] = { "special_end",
	    "special period ends if applied in time (2 months after expiry)",
	    "特例期間の終了（満了日から2か月）", 0 },
	[ZR_EV_CARD_MAIL_BY] = { "card_mail_by",
	    "mail the card kit (or collect at the counter) within 14 days of "
	    "the completion e-mail", "審査完了メールから14日以内", 1 },
	[ZR_EV_LOST_REISSUE_BY] = { "lost_reissue_by",
	    "apply for a new card (lost or stolen) within 14 days",
	    "在留カード再交付申請（紛失から14日以内）", 1 },
	[ZR_EV_JPKI_END] = { "jpki_end",
	    "My Number card's JPKI certificates expire",
	    "電子証明書の有効期限", 0 },
	[ZR_EV_MYNA_UPDATE_BY] = { "myna_update_by",
	    "visit the city office to extend the My Number card (it ends "
	    "with the period of stay)", "マイナンバーカードの有効期間変更", 1 },
};

const char *
zr_stage_name(enum zr_stage s)
{
	switch (s) {
	case ZR_STAGE_TOO_EARLY:
		return "too_early";
	case ZR_STAGE_OPEN:
		return "open";
	case ZR_STAGE_COUNTER_ONLY:
		return "counter_only";
	case ZR_STAGE_EXPIRED:
		return "expired";
	case ZR_STAGE_APPLIED:
		return "applied";
	}
	return "unknown";
}

static int
known(struct zr_date d)
{
	return d.y != 0;
}

static struct zr_event *
add(struct zr_deadline *o, enum zr_event_kind k, struct zr_date d)
{
	struct zr_event *e = &o->ev[o->nev++];

	memset(e, 0, sizeof(*e));
	e->kind = k;
	e->date = d;
	e->id = kinds[k].id;
	e->title = kinds[k].title;
	e->title_ja = kinds[k].title_ja;
	e->action = kinds[k].action;
	return e;
}

/* The day before the n-th birthday after `after` (exclusive). */
static struct zr_date
nth_birthday_after(struct zr_date birth, struct zr_date after, int n)
{
	struct zr_date b;
	int y = after.y;

	/* Someone born on 29 February has the birthday on 28 February in
	 * common years [U: no source for the JPKI rule's leap-day case]. */
	for (;;) {
		b.y = y, b.m = birth.m;
		b.d = birth.d > zr_days_in_month(y, birth.m) ?
		    zr_days_in_month(y, birth.m) : birth.d;
		if (zr_date_cmp(b, after) > 0 && --n == 0)
			return b;
		y++;
	}
}

static void
sort_events(struct zr_deadline *o)
{
	int i, j;
	struct zr_event t;

	for (i = 1; i < o->nev; i++)
		for (j = i; j > 0; j--) {
			int c = zr_date_cmp(o->ev[j - 1].date, o->ev[j].date);
			if (c < 0 || (c == 0 &&
			    o->ev[j - 1].kind <= o->ev[j].kind))
				break;
			t = o->ev[j], o->ev[j] = o->ev[j - 1], o->ev[j - 1] = t;
		}
}

int
zr_deadline_compute(const struct zr_deadline_in *in, struct zr_deadline *o,
    struct zr_error *err)
{
	struct zr_date exp = in->stay_expiry, t = in->today, open, online,
	    counter, special, d;
	struct zr_event *e;
	char b1[ZR_DATE_BUFSZ], b2[ZR_DATE_BUFSZ];
	const char *hol;
	long pdays = zr_period_days(in->period);
	int i, short_stay = pdays > 0 && pdays < 180;

	memset(o, 0, sizeof(*o));
	o->next = -1;
	if (!known(exp))
		return zr_error_set(err, ZR_E_MISSING, NULL,
		    "no period-of-stay expiry (--expiry or stay_expiry in "
		    "the facts)");
	if (!known(t))
		return zr_error_set(err, ZR_E_MISSING, NULL, "no today");
	if (known(in->birth) && zr_date_cmp(in->birth, exp) >= 0)
		return zr_error_set(err, ZR_E_DATE, NULL,
		    "birth date %s is not before the expiry %s",
		    zr_date_format(in->birth, b1), zr_date_format(exp, b2));

	/* Window: from about 3 months before expiry for periods of stay of
	 * 6 months or more (ISA 在留期間更新許可申請 page; rules-facts §4). */
	if (!short_stay) {
		open = zr_date_add_months(exp, -3);
		e = add(o, ZR_EV_WINDOW_OPEN, open);
		if (open.d != exp.d)
			snprintf(e->note, sizeof(e->note), "3 months before "
			    "the expiry, clamped to the month's end");
		else
			snprintf(e->note, sizeof(e->note),
			    "3 months before the expiry");
	} else {
		/* Under 6 months: "after about half the period" [U: no
		 * official source, rules-facts §4]; the stay began on the day
		 * after expiry minus the period. */
		struct zr_date start = zr_date_add_days(zr_date_add_months(
		    zr_date_add_days(exp, 1), -(in->period.years * 12 +
		    in->period.months)), -in->period.days);
		long half = zr_date_diff(start, exp) / 2;
		open = zr_date_add_days(start, half);
		e = add(o, ZR_EV_WINDOW_MIDPOINT, open);
		snprintf(e->note, sizeof(e->note), "periods under 6 months: "
		    "the window is about half the period (midpoint of %s to %s)",
		    zr_date_format(start, b1), zr_date_format(exp, b2));
	}

	/* Online: the day before expiry; no online application on the
	 * expiry day itself (ISA notice quoted by ONAMAE; BRIDGE). */
	online = zr_date_add_days(exp, -1);
	add(o, ZR_EV_ONLINE_LAST, online);

	add(o, ZR_EV_STAY_EXPIRY, exp);

	/* Counter: the expiry day, moved to the next open day when it is a
	 * 行政機関の休日 (行政機関の休日に関する法律 2条; rules-facts §4). */
	counter = zr_next_open_day(exp);
	e = add(o, ZR_EV_COUNTER_LAST, counter);
	if (zr_date_cmp(counter, exp) != 0) {
		hol = zr_holiday_name(exp);
		if (hol != NULL)
			snprintf(e->note, sizeof(e->note), "the expiry %s is "
			    "%s, a holiday: next open day", zr_date_format(exp,
			    b1), hol);
		else if ((exp.m == 12 && exp.d >= 29) ||
		    (exp.m == 1 && exp.d <= 3))
			snprintf(e->note, sizeof(e->note), "the expiry %s is "
			    "in the year-end closure (12/29-1/3): next open day",
			    zr_date_format(exp, b1));
		else
			snprintf(e->note, sizeof(e->note), "the expiry %s is "
			    "a %s: next open day", zr_date_format(exp, b1),
			    zr_date_weekday(exp) == 0 ? "Sunday" : "Saturday");
	}

	/* 特例期間: until the decision or the end of 2 months counted from
	 * the day after expiry (入管法 20条6項; civil-code day counting),
	 * e.g. 2026-02-28 -> 2026-04-30.  Not for stays of 30 days or less
	 * (BRIDGE [1S]). */
	if (pdays == 0 || pdays > 30) {
		special = zr_date_add_days(zr_date_add_months(
		    zr_date_add_days(exp, 1), 2), -1);
		add(o, ZR_EV_SPECIAL_END, special);
	}

	/* Mail the kit or collect the card within 14 days of the completion
	 * e-mail (OFUSA mail text for the counter case [1S]; "typically"
	 * for the mail-in case, seed 000 [U]). */
	if (known(in->completion))
		add(o, ZR_EV_CARD_MAIL_BY, zr_date_add_days(in->completion, 14));

	/* A lost card: apply for a new one within 14 days (入管法 19条の12). */
	if (known(in->lost))
		add(o, ZR_EV_LOST_REISSUE_BY, zr_date_add_days(in->lost, 14));

	/* JPKI certificates: valid until the 5th birthday after issuance,
	 * capped by the card's own expiry, which for most residents with a
	 * period of stay is the period-of-stay expiry (rules-facts §4 MUNI). */
	if (known(in->jpki_issued) && known(in->birth)) {
		d = nth_birthday_after(in->birth, in->jpki_issued, 5);
		e = add(o, ZR_EV_JPKI_END, zr_date_cmp(d, exp) < 0 ? d : exp);
		snprintf(e->note, sizeof(e->note), zr_date_cmp(d, exp) < 0 ?
		    "5th birthday after issuance" : "the 5th birthday after "
		    "issuance (%s) is later: the card ends with the period "
		    "of stay", zr_date_format(d, b1));
	}

	/* My Number card: ends with the period of stay for residents with
	 * one; extend it at the city office before that day, with the new
	 * card or, while pending, the online acceptance mail (rules-facts §4
	 * MUNI). */
	if (in->myna || known(in->jpki_issued)) {
		e = add(o, ZR_EV_MYNA_UPDATE_BY, exp);
		snprintf(e->note, sizeof(e->note), "while the application is "
		    "pending, a one-time 2-month extension is possible");
	}

	sort_events(o);

	/* Where today stands. */
	if (known(in->applied)) {
		if (zr_date_cmp(in->applied, counter) > 0)
			return zr_error_set(err, ZR_E_DATE, NULL,
			    "applied on %s, after the last day %s",
			    zr_date_format(in->applied, b1),
			    zr_date_format(counter, b2));
		o->stage = ZR_STAGE_APPLIED;
	} else if (zr_date_cmp(t, open) < 0) {
		o->stage = ZR_STAGE_TOO_EARLY;
	} else if (zr_date_cmp(t, online) <= 0) {
		o->stage = ZR_STAGE_OPEN;
	} else if (zr_date_cmp(t, counter) <= 0) {
		o->stage = ZR_STAGE_COUNTER_ONLY;
	} else {
		o->stage = ZR_STAGE_EXPIRED;
	}

	/* The next action: the first action deadline on or after today that
	 * still applies at this stage. */
	for (i = 0; i < o->nev; i++) {
		e = &o->ev[i];
		if (!e->action || zr_date_cmp(e->date, t) < 0)
			continue;
		if (o->stage == ZR_STAGE_APPLIED &&
		    (e->kind == ZR_EV_ONLINE_LAST ||
		    e->kind == ZR_EV_COUNTER_LAST))
			continue;
		if (o->stage == ZR_STAGE_COUNTER_ONLY &&
		    e->kind == ZR_EV_ONLINE_LAST)
			continue;
		o->next = i;
		break;
	}
	if (o->next >= 0)
		o->days_left = zr_date_diff(t, o->ev[o->next].date);

	switch (o->stage) {
	case ZR_STAGE_TOO_EARLY:
		snprintf(o->summary, sizeof(o->summary), "too early: the "
		    "window opens %s (in %ld days)", zr_date_format(open, b1),
		    zr_date_diff(t, open));
		break;
	case ZR_STAGE_OPEN:
		if (zr_date_cmp(t, online) == 0)
			snprintf(o->summary, sizeof(o->summary), "open: today "
			    "is the last day to apply online");
		else
			snprintf(o->summary, sizeof(o->summary), "open: %ld "
			    "days left to apply online (last day %s)",
			    zr_date_diff(t, online), zr_date_format(online, b1));
		break;
	case ZR_STAGE_COUNTER_ONLY:
		snprintf(o->summary, sizeof(o->summary), "online closed: apply "
		    "at a counter by %s (%s)", zr_date_format(counter, b1),
		    wd_names[zr_date_weekday(counter)]);
		break;
	case ZR_STAGE_EXPIRED:
		snprintf(o->summary, sizeof(o->summary), "expired: the period "
		    "of stay ended %s and the last day to apply was %s",
		    zr_date_format(exp, b1), zr_date_format(counter, b2));
		break;
	case ZR_STAGE_APPLIED:
		snprintf(o->summary, sizeof(o->summary), "applied on %s: you "
		    "may stay until the decision%s", zr_date_format(in->applied,
		    b1), zr_date_cmp(t, exp) > 0 ? ", within the special "
		    "period" : "");
		break;
	}

	/* A problem (exit 1): too late, or an action deadline within warn. */
	o->problem = o->stage == ZR_STAGE_COUNTER_ONLY ||
	    o->stage == ZR_STAGE_EXPIRED;
	if (o->next >= 0 && o->days_left <= in->warn_days)
		o->problem = 1;
	/* Deadlines that passed without being met (a kit not yet mailed). */
	for (i = 0; i < o->nev; i++) {
		e = &o->ev[i];
		if (zr_date_cmp(e->date, t) < 0 &&
		    (e->kind == ZR_EV_CARD_MAIL_BY ||
		    e->kind == ZR_EV_LOST_REISSUE_BY))
			o->problem = 1;
	}
	return 0;
}

/* iCalendar (RFC 5545). */

/* Write one content line, folded at 75 octets without splitting a UTF-8
 * sequence (RFC 5545 3.1), ending in CRLF. */
static void
ics_line(FILE *fp, const char *s)
{
	size_t n = 0, len;
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		len = 1;
		if (*p >= 0xf0)
			len = 4;
		else if (*p >= 0xe0)
			len = 3;
		else if (*p >= 0xc0)
			len = 2;
		if (n + len > 75) {
			fputs("\r\n ", fp);
			n = 1;
		}
		fwrite(p, 1, len, fp);
		n += len;
		p += len;
	}
	fputs("\r\n", fp);
}

/* Escape TEXT values (RFC 5545 3.3.11). */
static void
ics_text(char *out, size_t n, const char *prefix, const char *s)
{
	size_t o = 0;

	o = (size_t)snprintf(out, n, "%s", prefix);
	for (; *s != '\0' && o + 3 < n; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			out[o++] = '\\';
		if (*s == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
			continue;
		}
		out[o++] = *s;
	}
	out[o] = '\0';
}

void
zr_ics_begin(FILE *fp)
{
	ics_line(fp, "BEGIN:VCALENDAR");
	ics_line(fp, "VERSION:2.0");
	ics_line(fp, "PRODID:-//zairyu-tools//zr-deadline//EN");
	ics_line(fp, "CALSCALE:GREGORIAN");
}

void
zr_ics_end(FILE *fp)
{
	ics_line(fp, "END:VCALENDAR");
}

void
zr_ics_events(FILE *fp, const char *name, const struct zr_deadline *dl,
    struct zr_date today)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char line[1024], text[900], hex[17];
	const struct zr_event *e;
	struct zr_date next;
	int i, k;

	/* UIDs hash the person's name so they stay stable across runs but do
	 * not spell the name out in the calendar's identifiers. */
	SHA256((const unsigned char *)(name != NULL ? name : ""),
	    strlen(name != NULL ? name : ""), md);
	for (k = 0; k < 8; k++)
		snprintf(hex + 2 * k, 3, "%02x", md[k]);
	for (i = 0; i < dl->nev; i++) {
		e = &dl->ev[i];
		next = zr_date_add_days(e->date, 1);
		ics_line(fp, "BEGIN:VEVENT");
		snprintf(line, sizeof(line), "UID:%s-%04d%02d%02d-%s@zairyu-tools",
		    e->id, e->date.y, e->date.m, e->date.d, hex);
		ics_line(fp, line);
		snprintf(line, sizeof(line), "DTSTAMP:%04d%02d%02dT000000Z",
		    today.y, today.m, today.d);
		ics_line(fp, line);
		snprintf(line, sizeof(line), "DTSTART;VALUE=DATE:%04d%02d%02d",
		    e->date.y, e->date.m, e->date.d);
		ics_line(fp, line);
		snprintf(line, sizeof(line), "DTEND;VALUE=DATE:%04d%02d%02d",
		    next.y, next.m, next.d);
		ics_line(fp, line);
		snprintf(text, sizeof(text), "%s%s%s", name != NULL && *name ?
		    name : "", name != NULL && *name ? ": " : "", e->title);
		ics_text(line, sizeof(line), "SUMMARY:", text);
		ics_line(fp, line);
		snprintf(text, sizeof(text), "%s%s%s", e->title_ja,
		    e->note[0] != '\0' ? "\n" : "", e->note);
		ics_text(line, sizeof(line), "DESCRIPTION:", text);
		ics_line(fp, line);
		ics_line(fp, "TRANSP:TRANSPARENT");
		if (e->action) {
			static const char *const trig[] = { "-P7D", "-P1D" };
			for (k = 0; k < 2; k++) {
				ics_line(fp, "BEGIN:VALARM");
				ics_line(fp, "ACTION:DISPLAY");
				snprintf(line, sizeof(line), "TRIGGER:%s",
				    trig[k]);
				ics_line(fp, line);
				ics_text(line, sizeof(line), "DESCRIPTION:",
				    e->title);
				ics_line(fp, line);
				ics_line(fp, "END:VALARM");
			}
		}
		ics_line(fp, "END:VEVENT");
	}
}
