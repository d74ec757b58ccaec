/* libzairyu: the deadlines of a period of stay and where today stands. */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/sha.h>

#include "zairyu/deadline.h"
#include "zairyu/rules.h"

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
	[ZR_EV_CARD_DELIVERY] = { "card_delivery",
	    "by post, the new card (and the new status) arrives about now if "
	    "the kit is mailed today", "郵送の場合の新しいカードの到着（目安）",
	    0 },
	[ZR_EV_LOST_REISSUE_BY] = { "lost_reissue_by",
	    "apply for a new card (lost or stolen) within 14 days",
	    "在留カード再交付申請（紛失から14日以内）", 1 },
	[ZR_EV_JPKI_END] = { "jpki_end",
	    "My Number card's JPKI certificates expire",
	    "電子証明書の有効期限", 0 },
	[ZR_EV_MYNA_END] = { "myna_end", "My Number card expires",
	    "マイナンバーカードの有効期限", 0 },
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
	case ZR_STAGE_SPECIAL_OVER:
		return "special_over";
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

static void note_to(char (*list)[320], int *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Append one line to a list of warnings or advice (dropped when full). */
static void
note_to(char (*list)[320], int *n, const char *fmt, ...)
{
	va_list ap;

	if (*n >= ZR_DEADLINE_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(list[*n], sizeof(list[0]), fmt, ap);
	va_end(ap);
	(*n)++;
}

#define WARN(o, ...) (note_to((o)->warning, &(o)->nwarning, __VA_ARGS__), \
	(o)->problem = 1)
#define ADVISE(o, ...) note_to((o)->advice, &(o)->nadvice, __VA_ARGS__)

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

/*
 * The last day of a period of n months that starts on `start` (民法 140条:
 * the first day is not counted, so `start` is the day after the event).
 * 民法 143条2項: the period ends on the day before the day of the last
 * month that corresponds to the start day; when the last month has no
 * such day, on that month's last day.  Expiry 2026-07-30 (start 07-31)
 * + 2 months: September has no 31st, so 2026-09-30.
 */
static struct zr_date
months_period_end(struct zr_date start, int n)
{
	long mi = (long)start.y * 12 + (start.m - 1) + n;
	struct zr_date last;

	last.y = (int)(mi / 12);
	last.m = (int)(mi % 12) + 1;
	if (start.d > zr_days_in_month(last.y, last.m)) {
		last.d = zr_days_in_month(last.y, last.m);
		return last;
	}
	last.d = start.d;
	return zr_date_add_days(last, -1);
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

/* Refuse a date outside the calendar (the holidays' range). */
static int
in_calendar(struct zr_date d, const char *what, struct zr_error *err)
{
	static const struct zr_date first = ZR_DEADLINE_FIRST,
	    last = ZR_DEADLINE_LAST;
	char b[ZR_DATE_BUFSZ];

	if (!known(d) || (zr_date_cmp(d, first) >= 0 &&
	    zr_date_cmp(d, last) <= 0))
		return 0;
	return zr_error_set(err, ZR_E_RANGE, NULL, "%s %s is outside the "
	    "calendar this tool knows (1948-07-20 to 2099-12-31)", what,
	    zr_date_format(d, b));
}

/* Look a rule up, or fail the computation. */
#define RULE(var, key) do { \
	if (((var) = zr_rule((key), rules, err)) < 0) \
		return -1; \
} while (0)

/*
 * A stay of at most `months` months: the stay began on the day after
 * expiry minus the period (所定の在留期間).
 */
static int
period_at_most(struct zr_period p, long months)
{
	long m = (long)p.years * 12 + p.months;

	if (m < months)
		return 1;
	if (m == months)
		return p.days == 0;
	return 0;
}

int
zr_deadline_compute(const struct zr_deadline_in *in, struct zr_deadline *o,
    struct zr_error *err)
{
	struct zr_date exp = in->stay_expiry, t = in->today, open, online,
	    counter, special = { 0, 0, 0 }, applied = in->applied, d, rules,
	    cert = { 0, 0, 0 }, mail_by = { 0, 0, 0 }, latest;
	static const struct zr_date cal_last = ZR_DEADLINE_LAST;
	struct zr_event *e;
	char b1[ZR_DATE_BUFSZ], b2[ZR_DATE_BUFSZ], b3[ZR_DATE_BUFSZ];
	const char *hol;
	long pdays = zr_period_days(in->period), win_m, short_m, special_m,
	    special_min, pickup, delivery, lost_days;
	int i, has_period = pdays > 0, short_stay, has_special, is_applied;

	memset(o, 0, sizeof(*o));
	o->next = -1;
	if (!known(exp))
		return zr_error_set(err, ZR_E_MISSING, NULL,
		    "no period-of-stay expiry (--expiry or stay_expiry in "
		    "the facts)");
	if (!known(t))
		return zr_error_set(err, ZR_E_MISSING, NULL, "no today");
	if (in_calendar(exp, "the expiry", err) < 0 ||
	    in_calendar(t, "today", err) < 0 ||
	    in_calendar(applied, "the application date", err) < 0 ||
	    in_calendar(in->completion, "the completion mail", err) < 0 ||
	    in_calendar(in->lost, "the loss", err) < 0 ||
	    in_calendar(in->reentered, "the re-entry", err) < 0 ||
	    in_calendar(in->jpki_issued, "the JPKI issue date", err) < 0 ||
	    in_calendar(in->jpki_expiry, "the JPKI end date", err) < 0 ||
	    in_calendar(in->myna_expiry, "the My Number card's end", err) < 0 ||
	    in_calendar(in->rules_date, "the rules date", err) < 0)
		return -1;
	/* 2 months after the expiry must still be inside the calendar. */
	if (zr_date_cmp(zr_date_add_months(exp, 3), cal_last) > 0)
		return zr_error_set(err, ZR_E_RANGE, NULL, "the expiry %s is "
		    "too late: its deadlines run past 2099-12-31, the end of "
		    "the calendar this tool knows", zr_date_format(exp, b1));
	if (known(in->birth) && zr_date_cmp(in->birth, exp) >= 0)
		return zr_error_set(err, ZR_E_DATE, NULL,
		    "birth date %s is not before the expiry %s",
		    zr_date_format(in->birth, b1), zr_date_format(exp, b2));

	/* The rules of the day asked for, else of today. */
	rules = known(in->rules_date) ? in->rules_date : t;
	RULE(win_m, ZR_R_DL_WINDOW_MONTHS);
	RULE(short_m, ZR_R_DL_SHORT_STAY_MONTHS);
	RULE(special_m, ZR_R_DL_SPECIAL_MONTHS);
	RULE(special_min, ZR_R_DL_SPECIAL_MIN_DAYS);
	RULE(pickup, ZR_R_DL_PICKUP_DAYS);
	RULE(delivery, ZR_R_DL_DELIVERY_DAYS);
	RULE(lost_days, ZR_R_DL_LOST_DAYS);
	short_stay = has_period && period_at_most(in->period, short_m);

	/* Window: from 3 months before the expiry (seed 002, ISA online Q&A
	 * A27; rules-facts §4). */
	if (!short_stay) {
		open = zr_date_add_months(exp, -(int)win_m);
		e = add(o, ZR_EV_WINDOW_OPEN, open);
		if (has_period && pdays < 180)
			snprintf(e->note, sizeof(e->note), "%ld months before "
			    "the expiry; not confirmed for periods of stay "
			    "under 6 months: ask the immigration office", win_m);
		else if (open.d != exp.d)
			snprintf(e->note, sizeof(e->note), "%ld months before "
			    "the expiry, clamped to the month's end", win_m);
		else
			snprintf(e->note, sizeof(e->note),
			    "%ld months before the expiry", win_m);
	} else {
		/* 3 months or less: "approximately halfway through the
		 * period of stay" (A27).  The stay began on the day after
		 * expiry minus the period. */
		struct zr_date start = zr_date_add_days(zr_date_add_months(
		    zr_date_add_days(exp, 1), -(in->period.years * 12 +
		    in->period.months)), -in->period.days);
		long half = zr_date_diff(start, exp) / 2;
		open = zr_date_add_days(start, half);
		e = add(o, ZR_EV_WINDOW_MIDPOINT, open);
		snprintf(e->note, sizeof(e->note), "periods of %ld months or "
		    "less: from about halfway (midpoint of %s to %s)", short_m,
		    zr_date_format(start, b1), zr_date_format(exp, b2));
	}

	/* Online: the day before expiry; no online application on the
	 * expiry day itself (seed 002, A26; ONAMAE; BRIDGE). */
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
	 * the day after expiry, whichever is earlier (入管法 20条6項; 民法
	 * 140条, 143条2項: 2026-07-30 -> 2026-09-30).  Not for stays of 30
	 * days or less (20条6項; BRIDGE [1S]). */
	has_special = !has_period || pdays >= special_min;
	if (has_special) {
		special = months_period_end(zr_date_add_days(exp, 1),
		    (int)special_m);
		add(o, ZR_EV_SPECIAL_END, special);
	}

	/* The completion mail means the application was accepted. */
	is_applied = known(applied) || known(in->completion);

	/* An application date that cannot be right is set aside, with
	 * advice (A27: from 3 months before; A26: to the day before
	 * online, the expiry or the next open day at a counter). */
	if (known(applied)) {
		const char *why = NULL;
		if (zr_date_cmp(applied, t) > 0)
			why = "is after today";
		else if (zr_date_cmp(applied, open) < 0)
			why = "is before the window opened";
		else if (zr_date_cmp(applied, counter) > 0)
			why = "is after the last day to apply";
		if (why != NULL) {
			WARN(o, "the application date %s %s (%s to %s): check "
			    "the acceptance date (申請受付日) in the receipt "
			    "mail and give it again; until then this is worked "
			    "out as if you had not applied",
			    zr_date_format(applied, b1), why,
			    zr_date_format(open, b2),
			    zr_date_format(counter, b3));
			applied.y = 0;
			is_applied = known(in->completion);
		}
	}

	/* Mail the kit or collect the card within 14 days of the completion
	 * e-mail (rules-facts §7.2, OFUSA; seed 000 "typically" [U]). */
	if (known(in->completion)) {
		mail_by = zr_date_add_days(in->completion, pickup);
		add(o, ZR_EV_CARD_MAIL_BY, mail_by);
		/* By post the new permission takes effect when the card is
		 * delivered (seed 002, A71), "within a week or two" of
		 * mailing (seed 000 step 9) [U]. */
		d = zr_date_cmp(t, in->completion) > 0 ? t : in->completion;
		d = zr_date_add_days(d, delivery);
		e = add(o, ZR_EV_CARD_DELIVERY, d);
		snprintf(e->note, sizeof(e->note), "about %ld days after "
		    "mailing [unconfirmed]; by post the new status starts on "
		    "delivery", delivery);
		if (has_special && zr_date_cmp(t, special) <= 0 &&
		    (zr_date_cmp(mail_by, special) > 0 ||
		    zr_date_cmp(d, special) > 0))
			WARN(o, "by post the new status starts only when the "
			    "card is delivered, and %s %s is after the special "
			    "period ends on %s: collect the card at the "
			    "immigration counter instead, by %s",
			    zr_date_cmp(mail_by, special) > 0 ?
			    "the mail-by date" : "a delivery around",
			    zr_date_format(zr_date_cmp(mail_by, special) > 0 ?
			    mail_by : d, b1), zr_date_format(special, b2),
			    zr_date_format(zr_date_cmp(mail_by, special) < 0 ?
			    mail_by : special, b3));
	}

	/* A lost card: apply for a new one within 14 days of learning of
	 * the loss, or of re-entering Japan when it was learned abroad
	 * (入管法 19条の12; seed 003; rules-facts §4). */
	if (known(in->lost)) {
		long police, wish, rmonths, wmonths;
		d = known(in->reentered) ? in->reentered : in->lost;
		e = add(o, ZR_EV_LOST_REISSUE_BY, zr_date_add_days(d,
		    lost_days));
		if (known(in->reentered))
			snprintf(e->note, sizeof(e->note), "learned abroad: "
			    "%ld days from the re-entry on %s", lost_days,
			    zr_date_format(in->reentered, b1));
		RULE(police, ZR_R_LOST_POLICE_NUMBER);
		RULE(wish, ZR_R_FEE_REISSUE_WISH);
		RULE(rmonths, ZR_R_PHOTO_RECENCY_MONTHS);
		RULE(wmonths, ZR_R_PHOTO_RECENCY_WARN_MONTHS);
		ADVISE(o, "lost card: report it to the police first; %s",
		    police ? "the acceptance number (受理番号) of the police "
		    "report, written on the statement (陳述書), can replace "
		    "the police certificate" : "bring the police certificate "
		    "of the loss or theft report (遺失届出証明書 or "
		    "盗難届出証明書)");
		ADVISE(o, "lost card: a new card after loss or theft costs "
		    "nothing (one by your own wish costs %ld,%03ld yen); bring "
		    "your passport and one photo 4 cm x 3 cm taken within %ld "
		    "months (the older rule said %ld: a recent one is safer)",
		    wish / 1000, wish % 1000, rmonths, wmonths);
	}

	/* JPKI certificates: valid until the 5th birthday after issuance,
	 * capped by the card's own expiry, which for most residents with a
	 * period of stay is the period-of-stay expiry (rules-facts §4 MUNI);
	 * a date read from the card wins. */
	if (known(in->jpki_expiry)) {
		cert = in->jpki_expiry;
		e = add(o, ZR_EV_JPKI_END, cert);
		snprintf(e->note, sizeof(e->note), "as given");
	} else if (known(in->jpki_issued) && known(in->birth)) {
		d = nth_birthday_after(in->birth, in->jpki_issued, 5);
		cert = zr_date_cmp(d, exp) < 0 ? d : exp;
		e = add(o, ZR_EV_JPKI_END, cert);
		snprintf(e->note, sizeof(e->note), zr_date_cmp(d, exp) < 0 ?
		    "5th birthday after issuance" : "the 5th birthday after "
		    "issuance (%s) is later: the card ends with the period "
		    "of stay", zr_date_format(d, b1));
	}
	if (known(in->myna_expiry))
		add(o, ZR_EV_MYNA_END, in->myna_expiry);

	/* My Number card: ends with the period of stay for residents with
	 * one; extend it at the city office before that day, with the new
	 * card or, while pending, the online acceptance mail (rules-facts §4
	 * MUNI). */
	if (in->myna || known(in->jpki_issued) || known(in->myna_expiry) ||
	    known(in->jpki_expiry)) {
		e = add(o, ZR_EV_MYNA_UPDATE_BY, exp);
		snprintf(e->note, sizeof(e->note), "while the application is "
		    "pending, a one-time 2-month extension is possible");
	}

	sort_events(o);

	/* The online route needs a valid My Number card and signature
	 * certificate (rules-facts §4: MUNI; go-journey.net 2025: a new card
	 * is a new identity, the old login fails).  Before applying: up to
	 * the last online day; while waiting: up to the latest result. */
	latest = is_applied ? (has_special ? special : exp) : online;
	for (i = 0; i < 2; i++) {
		struct zr_date end = i == 0 ? in->myna_expiry : cert;
		const char *what = i == 0 ? "My Number card" : "My Number "
		    "card's signature certificate";
		if (!known(end) || zr_date_cmp(end, latest) >= 0 ||
		    (is_applied && known(in->completion)))
			continue;
		if (!is_applied)
			WARN(o, "your %s ends on %s, before the last day to "
			    "apply online (%s): renew it at your city office "
			    "before applying, or apply at a counter; a new card "
			    "is a new identity for the online account, so "
			    "register again in the online system",
			    what, zr_date_format(end, b1),
			    zr_date_format(online, b2));
		else
			WARN(o, "your %s ends on %s, before the result may "
			    "come (at the latest %s): the online system needs "
			    "it for the result and for documents asked for "
			    "later; renew it at your city office (a new card "
			    "means registering again in the online system)",
			    what, zr_date_format(end, b1),
			    zr_date_format(latest, b2));
	}

	/* Where today stands. */
	if (is_applied) {
		o->stage = ZR_STAGE_APPLIED;
		if (zr_date_cmp(t, exp) > 0 && (!has_special ||
		    zr_date_cmp(t, special) > 0))
			o->stage = ZR_STAGE_SPECIAL_OVER;
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
		if ((o->stage == ZR_STAGE_APPLIED ||
		    o->stage == ZR_STAGE_SPECIAL_OVER) &&
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
		if (known(applied))
			snprintf(b3, sizeof(b3), "%s", zr_date_format(applied,
			    b1));
		if (zr_date_cmp(t, exp) > 0)
			snprintf(o->summary, sizeof(o->summary), "applied%s%s: "
			    "in the special period, you may stay until the "
			    "decision, at the latest %s", known(applied) ?
			    " on " : "", known(applied) ? b3 : "",
			    zr_date_format(special, b2));
		else
			snprintf(o->summary, sizeof(o->summary), "applied%s%s: "
			    "you may stay until the decision%s%s",
			    known(applied) ? " on " : "", known(applied) ? b3 :
			    "", has_special ? ", at the latest " : "",
			    has_special ? zr_date_format(special, b2) : "");
		break;
	case ZR_STAGE_SPECIAL_OVER:
		if (has_special)
			snprintf(o->summary, sizeof(o->summary), "the special "
			    "period is over: it ended on %s, 2 months after "
			    "the expiry; unless the new card reached you by "
			    "then, you no longer have permission to stay: go "
			    "to the immigration office now",
			    zr_date_format(special, b1));
		else
			snprintf(o->summary, sizeof(o->summary), "the period "
			    "of stay ended on %s and a stay of 30 days or less "
			    "has no special period: unless the new card reached "
			    "you, go to the immigration office now",
			    zr_date_format(exp, b1));
		break;
	}

	/* A problem (exit 1): too late, or an action deadline within warn. */
	if (o->stage == ZR_STAGE_COUNTER_ONLY ||
	    o->stage == ZR_STAGE_EXPIRED || o->stage == ZR_STAGE_SPECIAL_OVER)
		o->problem = 1;
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

	/* The fee if granted: the amount of the day the application was
	 * accepted (rules-facts §3.1), through the function zr-letter uses. */
	o->fee_day = zr_fee_day(known(in->rules_date) ? &in->rules_date :
	    NULL, applied, t);
	if ((o->fee_online = zr_fee(ZR_FEE_EXTENSION, ZR_FEE_ONLINE,
	    o->fee_day, NULL, err)) < 0 || (o->fee_counter = zr_fee(
	    ZR_FEE_EXTENSION, ZR_FEE_COUNTER, o->fee_day, NULL, err)) < 0)
		return -1;
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
