/* zr-deadline: what is due when for a period of stay, for one or many people. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/deadline.h"
#include "zairyu/roster.h"
#include "zr_cli.h"

enum fmt { FMT_TEXT, FMT_JSON, FMT_TSV, FMT_ICS, FMT_GET };

struct opts {
	struct zr_cli cli;
	enum fmt fmt;
	int quiet, verbose;
	const char *output, *facts, *roster, *name;
	const char *get;
	struct zr_deadline_in in;  /* dates given on the command line */
	int have_period;
};

static void
usage(FILE *fp)
{
	fputs("usage: zr-deadline [-qv] [--json | --tsv | --ics] [-o file] "
	    "[--facts file]\n"
	    "                   [--expiry date] [--period len] [--today date] "
	    "[--warn days]\n"
	    "                   [--applied date] [--completion-mail date] "
	    "[--lost date [--reentered date]]\n"
	    "                   [--jpki-issued date --birth date] "
	    "[--jpki-expiry date]\n"
	    "                   [--myna] [--myna-expiry date] [--name name] "
	    "[--rules-date date]\n"
	    "                   [--get key[,key...]]\n"
	    "       zr-deadline [-q] [--json | --tsv | --ics] [-o file] "
	    "--roster file.csv\n"
	    "                   [--today date] [--warn days] "
	    "[--rules-date date]\n"
	    "       zr-deadline holidays [--json] [-o file] year [year2]\n"
	    "       zr-deadline -h | -V\n", fp);
}

static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri",
	"Sat" };

static int
parse_warn(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 3660) {
		zr_cli_fail(ZR_E_USAGE, NULL, "--warn: \"%s\" is not a number "
		    "of days (0 to 3660)", s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* Fill in from the facts what the command line did not give. */
static int
apply_facts(struct opts *o, struct zr_deadline_in *in, const char **name)
{
	struct zr_facts *f;
	struct zr_error e;
	struct {
		const char *key;
		struct zr_date *d;
	} map[] = {
		{ "stay_expiry", &in->stay_expiry },
		{ "receipt_date", &in->applied },
		{ "completion_date", &in->completion },
		{ "jpki_issued", &in->jpki_issued },
		{ "jpki_expiry", &in->jpki_expiry },
		{ "myna_expiry", &in->myna_expiry },
		{ "birth_date", &in->birth },
	};
	size_t i;
	const char *v;

	if (zr_facts_load(o->facts, &f, &e) < 0)
		return zr_cli_report(&e);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].d->y == 0 && (v = zr_facts_get(f, map[i].key)))
			zr_date_parse(v, map[i].d, NULL); /* already checked */
	if (!o->have_period && (v = zr_facts_get(f, "stay_period")) != NULL &&
	    zr_period_parse(v, &in->period, &e) < 0) {
		e.line = zr_facts_line(f, "stay_period");
		snprintf(e.subject, sizeof(e.subject), "%s", zr_facts_name(f));
		zr_facts_free(f);
		return zr_cli_report(&e);
	}
	if (*name == NULL && (v = zr_facts_get(f, "name")) != NULL)
		*name = strdup(v);
	zr_facts_free(f);
	return 0;
}

static void
yen(char *buf, size_t n, long v)
{
	if (v >= 1000)
		snprintf(buf, n, "%ld,%03ld", v / 1000, v % 1000);
	else
		snprintf(buf, n, "%ld", v);
}

static void
print_text(FILE *fp, const char *name, const struct zr_deadline_in *in,
    const struct zr_deadline *dl, int verbose)
{
	char b[ZR_DATE_BUFSZ], pb[32], y1[32], y2[32];
	const struct zr_event *e;
	int i;

	fprintf(fp, "%s%speriod of stay%s%s ends %s (%s)\n",
	    name != NULL ? name : "", name != NULL ? ": " : "",
	    in->period.years + in->period.months + in->period.days ? " " : "",
	    zr_period_format(in->period, pb, sizeof(pb)),
	    zr_date_format(in->stay_expiry, b),
	    wd[zr_date_weekday(in->stay_expiry)]);
	for (i = 0; i < dl->nev; i++) {
		e = &dl->ev[i];
		fprintf(fp, "  %s %s  %s%s", zr_date_format(e->date, b),
		    wd[zr_date_weekday(e->date)], e->title,
		    i == dl->next ? "  <- next" : "");
		if (e->note[0] != '\0' && (verbose || e->kind ==
		    ZR_EV_COUNTER_LAST || e->kind == ZR_EV_WINDOW_MIDPOINT ||
		    e->kind == ZR_EV_JPKI_END || e->kind == ZR_EV_LOST_REISSUE_BY ||
		    /* unconfirmed for periods under 6 months: say so */
		    (e->kind == ZR_EV_WINDOW_OPEN && zr_period_days(in->period) >
		    0 && zr_period_days(in->period) < 180)))
			fprintf(fp, "  [%s]", e->note);
		fputc('\n', fp);
	}
	fprintf(fp, "today %s: %s\n", zr_date_format(in->today, b),
	    dl->summary);
	for (i = 0; i < dl->nwarning; i++)
		fprintf(fp, "warning: %s\n", dl->warning[i]);
	for (i = 0; i < dl->nadvice; i++)
		fprintf(fp, "note: %s\n", dl->advice[i]);
	/* The fee is paid when the card is issued, at the amount in force
	 * on the day the application was accepted (rules-facts §3.1). */
	yen(y1, sizeof(y1), dl->fee_online);
	yen(y2, sizeof(y2), dl->fee_counter);
	fprintf(fp, "fee if granted: %s yen online, %s yen at a counter "
	    "(%s %s)\n", y1, y2, in->rules_date.y == 0 && in->applied.y != 0 &&
	    zr_date_cmp(in->applied, dl->fee_day) == 0 ? "fee of applications "
	    "accepted on" : "rules of", zr_date_format(dl->fee_day, b));
}

/* Why dl->problem is set, one finding each (the reasons of
 * zr_deadline_compute(), lib/core/deadline.c). */
static void
json_problems(struct zr_json *j, const struct zr_deadline_in *in,
    const struct zr_deadline *dl)
{
	char msg[512], b[ZR_DATE_BUFSZ];
	const struct zr_event *e;
	int i;

	if (dl->stage == ZR_STAGE_EXPIRED)
		zr_json_finding(j, ZR_E_EXPIRED, dl->summary, NULL, 0);
	else if (dl->stage == ZR_STAGE_COUNTER_ONLY ||
	    dl->stage == ZR_STAGE_SPECIAL_OVER)
		zr_json_finding(j, ZR_E_DEADLINE, dl->summary, NULL, 0);
	if (dl->next >= 0 && dl->days_left <= in->warn_days) {
		e = &dl->ev[dl->next];
		snprintf(msg, sizeof(msg), "%s: %s, in %ld day%s (within "
		    "--warn %d)", zr_date_format(e->date, b), e->title,
		    dl->days_left, dl->days_left == 1 ? "" : "s",
		    in->warn_days);
		zr_json_finding(j, ZR_E_DEADLINE, msg, NULL, 0);
	}
	for (i = 0; i < dl->nev; i++) {
		e = &dl->ev[i];
		if (zr_date_cmp(e->date, in->today) < 0 &&
		    (e->kind == ZR_EV_CARD_MAIL_BY ||
		    e->kind == ZR_EV_LOST_REISSUE_BY)) {
			snprintf(msg, sizeof(msg), "%s: %s: passed",
			    zr_date_format(e->date, b), e->title);
			zr_json_finding(j, ZR_E_DEADLINE, msg, NULL, 0);
		}
	}
	for (i = 0; i < dl->nwarning; i++)
		zr_json_finding(j, ZR_E_DEADLINE, dl->warning[i], NULL, 0);
}

static void
json_person(FILE *fp, const char *name, const struct zr_deadline_in *in,
    const struct zr_deadline *dl, int line)
{
	struct zr_json j;
	char pb[32];
	int i;

	zr_json_begin(&j, fp);
	if (line > 0)
		zr_json_int(&j, "line", line);
	zr_json_str(&j, "name", name);
	zr_json_date(&j, "stay_expiry", in->stay_expiry);
	zr_json_str(&j, "period", in->period.years + in->period.months +
	    in->period.days ? zr_period_format(in->period, pb, sizeof(pb)) :
	    NULL);
	zr_json_date(&j, "today", in->today);
	zr_json_status(&j, dl->problem ? ZR_JSON_PROBLEM : ZR_JSON_OK);
	zr_json_str(&j, "stage", zr_stage_name(dl->stage));
	zr_json_str(&j, "summary", dl->summary);
	if (dl->next >= 0) {
		zr_json_str(&j, "next", dl->ev[dl->next].id);
		zr_json_date(&j, "next_date", dl->ev[dl->next].date);
		zr_json_int(&j, "days_left", dl->days_left);
	} else {
		zr_json_null(&j, "next");
		zr_json_null(&j, "next_date");
		zr_json_null(&j, "days_left");
	}
	zr_json_arr(&j, "events");
	for (i = 0; i < dl->nev; i++) {
		zr_json_obj(&j, NULL);
		zr_json_str(&j, "id", dl->ev[i].id);
		zr_json_date(&j, "date", dl->ev[i].date);
		zr_json_bool(&j, "action", dl->ev[i].action);
		zr_json_str(&j, "title", dl->ev[i].title);
		zr_json_str(&j, "title_ja", dl->ev[i].title_ja);
		zr_json_str(&j, "note", dl->ev[i].note);
		zr_json_close_obj(&j);
	}
	zr_json_close_arr(&j);
	zr_json_obj(&j, "fee");
	zr_json_date(&j, "day", dl->fee_day);
	zr_json_int(&j, "online", dl->fee_online);
	zr_json_int(&j, "counter", dl->fee_counter);
	zr_json_close_obj(&j);
	/* The library's warnings make it exit 1: problems; its advice is
	 * notes (zairyu-json(5)). */
	zr_json_arr(&j, "problems");
	json_problems(&j, in, dl);
	zr_json_close_arr(&j);
	zr_json_arr(&j, "notes");
	for (i = 0; i < dl->nadvice; i++)
		zr_json_finding(&j, ZR_E_NOTE, dl->advice[i], NULL, 0);
	zr_json_close_arr(&j);
	zr_json_end(&j);
}

static void
tsv_field(FILE *fp, const char *s)
{
	/* TSV cannot quote: tabs and newlines become spaces. */
	for (; s != NULL && *s != '\0'; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
}

static void
tsv_events(FILE *fp, const char *name, const struct zr_deadline *dl)
{
	char b[ZR_DATE_BUFSZ];
	int i;

	for (i = 0; i < dl->nev; i++) {
		tsv_field(fp, name);
		fprintf(fp, "\t%s\t%s\t%s\t", dl->ev[i].id,
		    zr_date_format(dl->ev[i].date, b),
		    i == dl->next ? "next" : "");
		tsv_field(fp, dl->ev[i].title);
		fputc('\n', fp);
	}
}

/*
 * The index of the subcommand "holidays" when it is the first operand,
 * after common options only (zr-deadline -q holidays 2026), else 0.
 */
static int
holidays_at(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "holidays") == 0)
			return i;
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
		    strcmp(a, "--today") == 0 || strcmp(a, "--rules-date") == 0)
			i++;
		else if (strcmp(a, "--json") != 0 &&
		    strcmp(a, "--quiet") != 0 && strcmp(a, "--verbose") != 0 &&
		    strncmp(a, "--output=", 9) != 0 &&
		    strncmp(a, "--today=", 8) != 0 &&
		    strncmp(a, "--rules-date=", 13) != 0 &&
		    !(a[0] == '-' && a[1] != '-' && a[1] != '\0' &&
		    a[strspn(a + 1, "qv") + 1] == '\0') &&
		    !(a[0] == '-' && a[1] == 'o'))
			return 0;
	}
	return 0;
}

static int
holidays_main(int argc, char **argv)
{
	static const struct zr_cli_spec spec = { "", NULL, NULL, usage };
	struct zr_cli cli;
	struct zr_out *out;
	struct zr_error e;
	long y1, y2, y;
	char *end, b[ZR_DATE_BUFSZ];
	struct zr_date d;
	const char *n;
	int i, rc;
	struct zr_json j;
	FILE *fp;

	/* parse, validate: the common options only */
	if ((rc = zr_cli_parse(&cli, &spec, NULL, argc, argv, &i)) >= 0)
		return zr_cli_finish(rc);
	if (argc - i < 1 || argc - i > 2)
		return zr_cli_usage_error(usage, "holidays: expected YEAR "
		    "[YEAR2]");
	y1 = strtol(argv[i], &end, 10);
	if (*argv[i] == '\0' || *end != '\0')
		return zr_cli_usage_error(usage, "holidays: \"%s\" is not a "
		    "year", argv[i]);
	y2 = y1;
	if (argc - i == 2) {
		y2 = strtol(argv[i + 1], &end, 10);
		if (*argv[i + 1] == '\0' || *end != '\0')
			return zr_cli_usage_error(usage, "holidays: \"%s\" is "
			    "not a year", argv[i + 1]);
	}
	if (y1 < 1948 || y2 > 2099 || y1 > y2)
		return zr_cli_fail(ZR_E_RANGE, NULL, "holidays: years must be "
		    "within 1948-2099, in order");
	/* do, report */
	if (zr_out_open(&out, cli.output, 0, NULL, 0, &e) < 0)
		return zr_cli_report(&e);
	fp = zr_out_file(out);
	for (y = y1; y <= y2; y++)
		for (d = (struct zr_date){ (int)y, 1, 1 }; d.y == y;
		    d = zr_date_add_days(d, 1)) {
			if ((n = zr_holiday_name(d)) == NULL)
				continue;
			if (cli.json) {
				zr_json_begin(&j, fp);
				zr_json_status(&j, ZR_JSON_OK);
				zr_json_date(&j, "date", d);
				zr_json_str(&j, "name", n);
				zr_json_empty_arr(&j, "problems");
				zr_json_empty_arr(&j, "notes");
				zr_json_end(&j);
			} else {
				fprintf(fp, "%s\t%s\n", zr_date_format(d, b), n);
			}
		}
	if (zr_out_commit(out, &e) < 0)
		return zr_cli_report(&e);
	return zr_cli_finish(ZR_EXIT_OK);
}

/* The roster: a CSV with a header; one person per row (lib/core/roster.c). */
static int
roster_main(struct opts *o, struct zr_date today, struct zr_date rules_date)
{
	unsigned char *buf;
	size_t len, i, np = 0, cap = 0;
	struct zr_roster *ro = NULL;
	struct zr_deadline_in base;
	struct zr_error e;
	char b[ZR_DATE_BUFSZ];
	int r, bad = 0, problems = 0, rc, nrows = 0;
	struct zr_roster_row *ps = NULL, *p;
	struct zr_out *out = NULL;
	const char *rn = zr_display_name(o->roster);
	FILE *fp;

	/* 300 people a batch is a few tens of KB; 16 MiB is generous. */
	if (zr_read_file(o->roster, 16u << 20, &buf, &len, &e) < 0)
		return zr_cli_report(&e);
	if (zr_roster_open(&ro, (const char *)buf, len, rn, &e) < 0) {
		rc = zr_cli_report(&e);
		goto done;
	}
	/* Excel's "CSV" (CP932) or "CSV UTF-8" (BOM): said, not refused. */
	if (zr_roster_encoding(ro) != ZR_CSV_UTF8 && !o->quiet)
		fprintf(stderr, "zr-deadline: %s: note: read as %s\n", rn,
		    zr_csv_encoding_name(zr_roster_encoding(ro)));
	memset(&base, 0, sizeof(base));
	base.today = today;
	base.rules_date = rules_date;
	base.warn_days = o->in.warn_days;
	for (;;) {
		if (np == cap) {
			struct zr_roster_row *nps;
			cap = cap ? cap * 2 : 64;
			if ((nps = realloc(ps, cap * sizeof(*ps))) == NULL) {
				rc = zr_cli_fail(ZR_E_NOMEM, rn, NULL);
				goto done;
			}
			ps = nps;
		}
		p = &ps[np];
		r = zr_roster_next(ro, &base, p, &e);
		if (r == 0)
			break;
		/* Every row ends in the output or in an error line. */
		nrows++;
		if (r < 0) {
			zr_cli_report(&e);
			bad++;
			if (e.code == ZR_E_NOMEM)
				break;
			continue;
		}
		problems += p->dl.problem;
		np++;
	}
	qsort(ps, np, sizeof(*ps), zr_roster_row_cmp);

	if (zr_out_open(&out, o->output, 0, (const char *const *)&o->roster,
	    1, &e) < 0) {
		rc = zr_cli_report(&e);
		goto done;
	}
	fp = zr_out_file(out);
	if (o->fmt == FMT_ICS)
		zr_ics_begin(fp);
	if (o->fmt == FMT_TSV)
		fputs("name\tstage\tnext\tnext_date\tdays_left\tstay_expiry\t"
		    "online_last\tline\n", fp);
	/* -q silences the text, TSV and calendar, never --json: the
	 * object is the job when asked (zairyu(7)). */
	for (i = 0; i < np && (!o->quiet || o->fmt == FMT_JSON); i++) {
		const struct zr_event *nx;
		p = &ps[i];
		nx = p->dl.next >= 0 ? &p->dl.ev[p->dl.next] : NULL;
		switch (o->fmt) {
		case FMT_JSON:
			json_person(fp, p->name, &p->in, &p->dl, p->line);
			break;
		case FMT_ICS:
			zr_ics_events(fp, p->name, &p->dl, today);
			break;
		case FMT_TSV:
			tsv_field(fp, p->name);
			fprintf(fp, "\t%s\t%s\t", zr_stage_name(p->dl.stage),
			    nx != NULL ? nx->id : "");
			fprintf(fp, "%s\t", nx != NULL ?
			    zr_date_format(nx->date, b) : "");
			if (nx != NULL)
				fprintf(fp, "%ld", p->dl.days_left);
			fprintf(fp, "\t%s\t", zr_date_format(p->in.stay_expiry,
			    b));
			fprintf(fp, "%s\t%d\n", zr_date_format(
			    zr_date_add_days(p->in.stay_expiry, -1), b),
			    p->line);
			break;
		case FMT_TEXT:
			fprintf(fp, "%s %s  %-12s  ", nx != NULL ?
			    zr_date_format(nx->date, b) : "----------",
			    p->dl.problem ? "!" : " ",
			    zr_stage_name(p->dl.stage));
			fputs(p->name, fp);
			fprintf(fp, "  %s\n", p->dl.summary);
			break;
		case FMT_GET: /* refused with --roster */
			break;
		}
	}
	if (o->fmt == FMT_ICS)
		zr_ics_end(fp);
	if (zr_out_commit(out, &e) < 0) {
		rc = zr_cli_report(&e);
		goto done;
	}
	rc = bad > 0 || problems > 0 ? ZR_EXIT_PROBLEM : ZR_EXIT_OK;
	if (bad > 0 && !o->quiet)
		fprintf(stderr, "zr-deadline: %s: %d row%s: %d bad row%s "
		    "skipped, %zu processed\n", rn, nrows, nrows == 1 ? "" :
		    "s", bad, bad == 1 ? "" : "s", np);
done:
	for (i = 0; i < np; i++)
		zr_roster_row_free(&ps[i]);
	free(ps);
	zr_roster_close(ro);
	free(buf);
	return zr_cli_finish(rc);
}

/* The keys of --get: the JSON object's values, and the events' dates by
 * their ids (zr-deadline(1), JSON OUTPUT). */
static const char *const get_keys[] = { "status", "stage", "summary", "next",
	"next_date", "days_left", "stay_expiry", "window_open",
	"window_midpoint", "online_last", "counter_last", "special_end",
	"card_mail_by", "card_delivery", "lost_reissue_by", "jpki_end",
	"myna_end", "myna_update_by", NULL };

/* --get KEY[,KEY...]: each value on a line of its own; an empty line
 * where the JSON has null (no next date) or the case has no such event. */
static void
print_get(FILE *fp, const char *list, const struct zr_deadline_in *in,
    const struct zr_deadline *dl)
{
	char b[ZR_DATE_BUFSZ], key[32];
	const char *p;
	int has_next = dl->next >= 0, i;
	size_t n;

	while ((p = zr_cli_key_next(&list, &n)) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		if (strcmp(key, "status") == 0)
			fputs(dl->problem ? "problem" : "ok", fp);
		else if (strcmp(key, "stage") == 0)
			fputs(zr_stage_name(dl->stage), fp);
		else if (strcmp(key, "summary") == 0)
			fputs(dl->summary, fp);
		else if (strcmp(key, "next") == 0 && has_next)
			fputs(dl->ev[dl->next].id, fp);
		else if (strcmp(key, "next_date") == 0 && has_next)
			fputs(zr_date_format(dl->ev[dl->next].date, b), fp);
		else if (strcmp(key, "days_left") == 0 && has_next)
			fprintf(fp, "%ld", dl->days_left);
		else if (strcmp(key, "stay_expiry") == 0)
			fputs(zr_date_format(in->stay_expiry, b), fp);
		else
			for (i = 0; i < dl->nev; i++)
				if (strcmp(dl->ev[i].id, key) == 0) {
					fputs(zr_date_format(dl->ev[i].date,
					    b), fp);
					break;
				}
		fputc('\n', fp);
	}
}

/* One person: compute and write in the chosen format. */
static int
run_one(struct opts *op, const char *name, struct zr_date today)
{
	const struct opts o = *op;
	struct zr_deadline dl;
	struct zr_error e;
	struct zr_out *out;

	if (zr_deadline_compute(&o.in, &dl, &e) < 0)
		return zr_cli_report(&e);
	if (zr_out_open(&out, o.output, 0, &o.facts, o.facts ? 1 : 0,
	    &e) < 0)
		return zr_cli_report(&e);
	/* -q: nothing but --json, which is the job when asked. */
	if (!o.quiet || o.fmt == FMT_JSON) {
		FILE *fp = zr_out_file(out);
		switch (o.fmt) {
		case FMT_TEXT:
			print_text(fp, name, &o.in, &dl, o.verbose);
			break;
		case FMT_JSON:
			json_person(fp, name, &o.in, &dl, 0);
			break;
		case FMT_TSV:
			fputs("name\tevent\tdate\tnext\ttitle\n", fp);
			tsv_events(fp, name, &dl);
			break;
		case FMT_ICS:
			zr_ics_begin(fp);
			zr_ics_events(fp, name, &dl, today);
			zr_ics_end(fp);
			break;
		case FMT_GET:
			print_get(fp, o.get, &o.in, &dl);
			break;
		}
	} else if (o.fmt == FMT_GET) {
		/* -q --get: the value is the job, as for zr-namecheck. */
		print_get(zr_out_file(out), o.get, &o.in, &dl);
	}
	if (zr_out_commit(out, &e) < 0)
		return zr_cli_report(&e);
	return zr_cli_finish(dl.problem ? ZR_EXIT_PROBLEM : ZR_EXIT_OK);
}

/* "--expiry" for messages about an option's value. */
static const char *
opt_name(const struct option *lo, int val)
{
	static char buf[40];

	for (; lo->name != NULL; lo++)
		if (lo->val == val) {
			snprintf(buf, sizeof(buf), "--%s", lo->name);
			return buf;
		}
	return "option";
}

enum {
	OPT_TSV = 256, OPT_ICS, OPT_FACTS, OPT_EXPIRY, OPT_PERIOD, OPT_WARN,
	OPT_GET, OPT_APPLIED, OPT_COMPLETION, OPT_LOST, OPT_JPKI, OPT_BIRTH,
	OPT_NAME, OPT_ROSTER, OPT_MYNA, OPT_REENTERED, OPT_JPKI_EXPIRY,
	OPT_MYNA_EXPIRY
};

static const struct option longopts[] = {
	{ "applied", required_argument, NULL, OPT_APPLIED },
	{ "birth", required_argument, NULL, OPT_BIRTH },
	{ "completion-mail", required_argument, NULL, OPT_COMPLETION },
	{ "expiry", required_argument, NULL, OPT_EXPIRY },
	{ "facts", required_argument, NULL, OPT_FACTS },
	{ "get", required_argument, NULL, OPT_GET },
	{ "ics", no_argument, NULL, OPT_ICS },
	{ "jpki-expiry", required_argument, NULL, OPT_JPKI_EXPIRY },
	{ "jpki-issued", required_argument, NULL, OPT_JPKI },
	{ "lost", required_argument, NULL, OPT_LOST },
	{ "myna", no_argument, NULL, OPT_MYNA },
	{ "myna-expiry", required_argument, NULL, OPT_MYNA_EXPIRY },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "reentered", required_argument, NULL, OPT_REENTERED },
	{ "roster", required_argument, NULL, OPT_ROSTER },
	{ "tsv", no_argument, NULL, OPT_TSV },
	{ "warn", required_argument, NULL, OPT_WARN },
	{ NULL, 0, NULL, 0 },
};

static int
on_opt(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;
	struct zr_date *dp = NULL;
	struct zr_error e;

	switch (c) {
	case OPT_APPLIED:
		dp = &o->in.applied;
		break;
	case OPT_BIRTH:
		dp = &o->in.birth;
		break;
	case OPT_COMPLETION:
		dp = &o->in.completion;
		break;
	case OPT_EXPIRY:
		dp = &o->in.stay_expiry;
		break;
	case OPT_FACTS:
		o->facts = arg;
		break;
	case OPT_GET:
		if (zr_cli_keys_ok(arg, get_keys) < 0)
			return zr_cli_usage_error(usage, "--get: not keys of "
			    "the JSON object or event ids: \"%s\"", arg);
		o->get = arg;
		o->fmt = FMT_GET;
		break;
	case OPT_ICS:
		o->fmt = FMT_ICS;
		break;
	case OPT_JPKI:
		dp = &o->in.jpki_issued;
		break;
	case OPT_JPKI_EXPIRY:
		dp = &o->in.jpki_expiry;
		break;
	case OPT_LOST:
		dp = &o->in.lost;
		break;
	case OPT_MYNA:
		o->in.myna = 1;
		break;
	case OPT_MYNA_EXPIRY:
		dp = &o->in.myna_expiry;
		break;
	case OPT_NAME:
		o->name = arg;
		break;
	case OPT_PERIOD:
		if (zr_period_parse(arg, &o->in.period, &e) < 0)
			return zr_cli_fail(ZR_E_USAGE, NULL, "--period: %s",
			    e.msg);
		o->have_period = 1;
		break;
	case OPT_REENTERED:
		dp = &o->in.reentered;
		break;
	case OPT_ROSTER:
		o->roster = arg;
		break;
	case OPT_TSV:
		o->fmt = FMT_TSV;
		break;
	case OPT_WARN:
		if (parse_warn(arg, &o->in.warn_days) < 0)
			return ZR_EXIT_INPUT;
		break;
	default:
		usage(stderr);
		return ZR_EXIT_INPUT;
	}
	if (dp != NULL && zr_cli_date_arg(opt_name(longopts, c), arg, dp) < 0)
		return ZR_EXIT_INPUT;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct zr_cli_spec spec = { "", longopts, on_opt, usage };
	struct opts o;
	struct zr_date today, rules_date;
	const char *name = NULL;
	int rc, i;

	/* parse, validate */
	zr_cli_init(argv[0]);
	/* "holidays" with any common options before it or after it. */
	if ((i = holidays_at(argc, argv)) > 0) {
		char *sub = argv[i];

		for (; i > 1; i--)
			argv[i] = argv[i - 1];
		argv[1] = sub;
		return holidays_main(argc - 1, argv + 1);
	}
	memset(&o, 0, sizeof(o));
	o.in.warn_days = 14;
	if ((rc = zr_cli_parse(&o.cli, &spec, &o, argc, argv, &optind)) >= 0)
		return zr_cli_finish(rc);
	o.quiet = o.cli.quiet;
	o.verbose = o.cli.verbose;
	o.output = o.cli.output;
	if (o.cli.json && o.fmt != FMT_TEXT)
		return zr_cli_usage_error(usage, "--json, --tsv, --ics and "
		    "--get: give one");
	if (o.cli.json)
		o.fmt = FMT_JSON;
	if (optind != argc)
		return zr_cli_usage_error(usage, "unexpected argument \"%s\"",
		    argv[optind]);
	today = o.cli.today;
	/* Without --rules-date the fee follows the acceptance date, else
	 * today (zr_fee_day(), rules-facts §3.1). */
	memset(&rules_date, 0, sizeof(rules_date));
	if (o.cli.rules_arg != NULL)
		rules_date = o.cli.rules;
	o.in.rules_date = rules_date;
	if (o.in.reentered.y != 0 && o.in.lost.y == 0)
		return zr_cli_usage_error(usage, "--reentered goes with --lost "
		    "(the day you came back to Japan after a loss abroad)");
	if (o.roster != NULL) {
		if (o.fmt == FMT_GET)
			return zr_cli_usage_error(usage, "--get is for one "
			    "person, not --roster");
		if (o.facts != NULL || o.in.stay_expiry.y != 0)
			return zr_cli_usage_error(usage, "--roster does not "
			    "go with --facts or --expiry");
		return roster_main(&o, today, rules_date);
	}
	o.in.today = today;
	name = o.name;
	if (o.facts != NULL && (rc = apply_facts(&o, &o.in, &name)) != 0)
		return rc;
	if (o.in.stay_expiry.y == 0 && o.facts != NULL)
		return zr_cli_fail(ZR_E_MISSING, zr_display_name(o.facts),
		    "no stay_expiry (add it, or give --expiry DATE)");
	if (o.in.stay_expiry.y == 0)
		return zr_cli_usage_error(usage, "no expiry: give --expiry "
		    "DATE or --facts FILE with stay_expiry");
	if ((o.in.jpki_issued.y != 0) != (o.in.birth.y != 0) &&
	    o.in.jpki_issued.y != 0)
		return zr_cli_usage_error(usage, "--jpki-issued needs --birth "
		    "(the certificates end on a birthday)");
	rc = run_one(&o, name, today);
	if (name != o.name)
		free((char *)name);
	return rc;
}
