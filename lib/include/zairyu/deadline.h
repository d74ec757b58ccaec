/* libzairyu: what is due when, for a period of stay that is about to end. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_DEADLINE_H
#define ZAIRYU_DEADLINE_H

#include <stdio.h>

#include "zairyu/date.h"
#include "zairyu/error.h"

/* What is known about one person; a zero date (y == 0) means unknown. */
struct zr_deadline_in {
	struct zr_date stay_expiry;   /* required */
	struct zr_period period;      /* all zero when unknown */
	struct zr_date today;
	struct zr_date applied;       /* application accepted (receipt_date) */
	struct zr_date completion;    /* examination-completion e-mail */
	struct zr_date lost;          /* residence card lost or stolen */
	struct zr_date reentered;     /* loss learned abroad: back in Japan */
	struct zr_date jpki_issued;   /* JPKI certificates issued */
	struct zr_date jpki_expiry;   /* signature certificate ends (read
					 by zr-cardtest, or from the facts) */
	struct zr_date myna_expiry;   /* My Number card ends */
	struct zr_date birth;         /* date of birth */
	struct zr_date rules_date;    /* rules of this day (y 0: the fee of
					 the acceptance day, else today) */
	int myna;                     /* has a My Number card */
	int warn_days;                /* a deadline this close is a problem */
};

/*
 * The calendar this module knows: the holidays are computed for
 * 1948-07-20 (祝日法) to 2099-12-31; dates outside are refused
 * (ZR_E_RANGE), as is an expiry whose deadlines run past the end.
 */
#define ZR_DEADLINE_FIRST { 1948, 7, 20 }
#define ZR_DEADLINE_LAST { 2099, 12, 31 }

enum zr_stage {
	ZR_STAGE_TOO_EARLY,      /* the window has not opened */
	ZR_STAGE_OPEN,           /* apply online or at a counter */
	ZR_STAGE_COUNTER_ONLY,   /* online closed: the expiry day (or the next
				    open day when it falls on a holiday) */
	ZR_STAGE_EXPIRED,        /* too late to apply for an extension */
	ZR_STAGE_APPLIED,        /* applied in time: waiting for the result */
	ZR_STAGE_SPECIAL_OVER    /* applied, but the special period is over */
};

enum zr_event_kind {
	ZR_EV_WINDOW_OPEN,
	ZR_EV_WINDOW_MIDPOINT,   /* short stays: about half the period */
	ZR_EV_ONLINE_LAST,
	ZR_EV_COUNTER_LAST,
	ZR_EV_STAY_EXPIRY,
	ZR_EV_SPECIAL_END,
	ZR_EV_CARD_MAIL_BY,
	ZR_EV_CARD_DELIVERY,     /* by post: likely delivery if mailed today */
	ZR_EV_LOST_REISSUE_BY,
	ZR_EV_JPKI_END,
	ZR_EV_MYNA_END,
	ZR_EV_MYNA_UPDATE_BY,
	ZR_EV_COUNT_
};

struct zr_event {
	enum zr_event_kind kind;
	struct zr_date date;
	int action;              /* 1 if missing it has consequences */
	const char *id;          /* stable: "window_open", "online_last", ... */
	const char *title;       /* English, one line */
	const char *title_ja;    /* Japanese, one line */
	char note[160];          /* why this date (holiday moved, clamped) */
};

#define ZR_DEADLINE_MAX_NOTES 8

struct zr_deadline {
	struct zr_event ev[ZR_EV_COUNT_];
	int nev;                 /* sorted by date, then kind */
	enum zr_stage stage;
	long days_left;          /* to the next action deadline, from today */
	int next;                /* index in ev of the next action, or -1 */
	int problem;             /* 1: a deadline passed or is within warn,
				    or a warning below */
	char summary[320];       /* where today stands, one line */
	/* Warnings (each makes a problem) and advice, one line each, in
	 * words for the person (no rule keys). */
	char warning[ZR_DEADLINE_MAX_NOTES][320];
	int nwarning;
	char advice[ZR_DEADLINE_MAX_NOTES][320];
	int nadvice;
	/* The fee if granted, by the day it follows (rules-facts §3.1). */
	struct zr_date fee_day;
	long fee_online, fee_counter;
};

/*
 * Compute the deadlines (rules-facts.md §4; sources beside each rule in
 * deadline.c and the dated rules in rules.c).  An application date that
 * cannot be right (before the window opened, after today or after the
 * last day) is not an error: it is set aside with advice and a problem.
 * Errors: ZR_E_MISSING (no stay_expiry or today), ZR_E_DATE (a birth
 * date after the expiry), ZR_E_RANGE (outside the calendar), ZR_E_NO_RULE.
 */
int zr_deadline_compute(const struct zr_deadline_in *in,
    struct zr_deadline *out, struct zr_error *err);

/* "too_early", "open", "counter_only", "expired", "applied",
 * "special_over". */
const char *zr_stage_name(enum zr_stage s);

/*
 * Write the events of one person as an iCalendar (RFC 5545) VCALENDAR:
 * all-day VEVENTs with stable UIDs (from the name, the event and its
 * date) and a VALARM a week and a day before each action.  DTSTAMP is
 * today at 00:00 UTC, so the output depends only on the inputs.
 * When several people go in one calendar, call with begin/end flags.
 */
void zr_ics_begin(FILE *fp);
void zr_ics_events(FILE *fp, const char *name, const struct zr_deadline *dl,
    struct zr_date today);
void zr_ics_end(FILE *fp);

#endif
