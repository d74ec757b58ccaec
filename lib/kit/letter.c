/* libzairyu: the mail-in kit: its facts, its content and the text form. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/letter.h"
#include "zri_kit.h"
#include "zairyu/rules.h"
#include "zairyu/text.h"

/*
 * Sources for what goes in the kit: rules-facts §3 (fees by acceptance
 * date, postage), §6.5 (receipt number), §7 (mails, kit, send-to
 * address); seed 000 step 8 (BDHUB); seed 002, ISA online Q&A A55
 * (mail-in), A56 (return address when an agent filed), A58 (the
 * applicant signs the fee form), A61 (the copy of the card), A62 (no
 * special re-entry without the card).
 */


static const char *
fact(const struct zr_facts *f, const char *key)
{
	const char *v;

	if (f == NULL || (v = zr_facts_get(f, key)) == NULL || *v == '\0')
		return NULL;
	return v;
}

static const char *
facts_name(const struct zr_kit_input *in)
{
	return in->facts != NULL ? zr_facts_name(in->facts) : "<command line>";
}

static int
facts_line(const struct zr_kit_input *in, const char *key)
{
	return in->facts != NULL ? zr_facts_line(in->facts, key) : 0;
}

static const char *
key_desc(const char *key)
{
	const struct zr_fact_key *k;
	size_t n, i;

	k = zr_facts_keys(&n);
	for (i = 0; i < n; i++)
		if (strcmp(k[i].key, key) == 0)
			return k[i].desc;
	return key;
}

/* Contradiction between the facts (file or command line) and the mail. */
static int
conflict(const struct zr_kit_input *in, const char *key, const char *ours,
    const char *theirs, struct zr_error *err)
{
	zr_error_set(err, ZR_E_CONFLICT, facts_name(in), "%s is %s here but "
	    "%s in %s", key, ours, theirs, in->mail_name != NULL ?
	    in->mail_name : "the mail");
	return zr_error_line(err, facts_line(in, key));
}

static int
need(const struct zr_kit_input *in, const char *key, const char *also,
    struct zr_error *err)
{
	zr_error_set(err, ZR_E_MISSING, facts_name(in), "required key \"%s\" "
	    "is missing (%s)%s", key, key_desc(key), also != NULL ? also : "");
	return -1;
}

static int
parse_date(const struct zr_kit_input *in, const char *key, const char *v,
    struct zr_date *d, struct zr_error *err)
{
	struct zr_error e;

	if (zr_date_parse(v, d, &e) == 0)
		return 0;
	zr_error_set(err, ZR_E_DATE, facts_name(in), "%s: %.200s", key, e.msg);
	return zr_error_line(err, facts_line(in, key));
}

/* Lower-case ASCII copy without spaces, hyphens and slashes. */
static void
squash(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < cap; s++) {
		if (*s == ' ' || *s == '-' || *s == '/' || *s == '_')
			continue;
		out[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
	}
	out[n] = '\0';
}

int
zr_status_is_official(const char *status)
{
	/* seed 002, ISA online Q&A A70: 在留資格「公用」 ("Official"). */
	char *f, sq[256];
	int r;

	if ((f = zr_text_fold(status)) == NULL)
		return 0;
	squash(f, sq, sizeof(sq));
	r = strstr(f, "公用") != NULL || strcmp(sq, "official") == 0;
	free(f);
	return r;
}

int
zr_status_has_designation(const char *status)
{
	/* Seed 000 step 8 and rules-facts §7.3: 高度専門職, 特定技能 and
	 * 特定活動 come with a 指定書. */
	static const char *const ja[] = { "高度専門職", "特定技能", "特定活動",
	    NULL };
	static const char *const en[] = { "highlyskilled", "specifiedskilled",
	    "designatedactivities", NULL };
	char *f, sq[256];
	int i, r = 0;

	if ((f = zr_text_fold(status)) == NULL)
		return 0;
	for (i = 0; ja[i] != NULL && !r; i++)
		r = strstr(f, ja[i]) != NULL;
	squash(f, sq, sizeof(sq));
	for (i = 0; en[i] != NULL && !r; i++)
		r = strstr(sq, en[i]) != NULL;
	free(f);
	return r;
}

static int
build_receipt(const struct zr_kit_input *in, struct zr_kit *kit,
    struct zr_error *err)
{
	const struct zr_completion *m = in->mail;
	const char *v = fact(in->facts, "receipt_number");
	struct zr_receipt r;
	char a[ZR_RECEIPT_BUFSZ], b[ZR_RECEIPT_BUFSZ], list[200];
	struct zr_error e;
	size_t i, n;
	int found;

	if (v != NULL) {
		if (zr_receipt_parse(v, &r, &e) < 0) {
			zr_error_set(err, ZR_E_NUMBER, facts_name(in),
			    "receipt_number: %.200s", e.msg);
			return zr_error_line(err, facts_line(in,
			    "receipt_number"));
		}
		if (m != NULL && m->has_receipt &&
		    !zr_receipt_equal(&r, &m->receipt))
			return conflict(in, "receipt_number",
			    zr_receipt_format(&r, a),
			    zr_receipt_format(&m->receipt, b), err);
		if (m != NULL && !m->has_receipt && m->nreceipts > 1) {
			for (i = 0, found = 0; i < m->nreceipts; i++)
				found |= zr_receipt_equal(&r, &m->receipts[i]);
			if (!found)
				return conflict(in, "receipt_number",
				    zr_receipt_format(&r, a), "not among the "
				    "numbers", err);
		}
		zr_receipt_format(&r, kit->receipt);
		return 0;
	}
	if (m != NULL && m->has_receipt) {
		zr_receipt_format(&m->receipt, kit->receipt);
		return 0;
	}
	if (m != NULL && m->nreceipts > 1) {
		list[0] = '\0';
		for (i = 0; i < m->nreceipts; i++) {
			n = strlen(list);
			snprintf(list + n, sizeof(list) - n, "%s%s",
			    i > 0 ? ", " : "", zr_receipt_format(
			    &m->receipts[i], a));
		}
		zr_error_set(err, ZR_E_MISSING, facts_name(in), "required key "
		    "\"receipt_number\" is missing and %s names %zu numbers "
		    "(%s): set the one of this person", in->mail_name,
		    m->nreceipts, list);
		return -1;
	}
	return need(in, "receipt_number", in->mail_name != NULL ?
	    " and the mail has none" : "; or give the completion mail with "
	    "--mail", err);
}

static int
build_dates(const struct zr_kit_input *in, struct zr_kit *kit,
    struct zr_error *err)
{
	const struct zr_completion *m = in->mail;
	const char *v;
	char a[ZR_DATE_BUFSZ], b[ZR_DATE_BUFSZ];
	struct zr_date d;

	if ((v = fact(in->facts, "receipt_date")) != NULL) {
		if (parse_date(in, "receipt_date", v, &d, err) < 0)
			return -1;
		if (m != NULL && m->has_receipt_date &&
		    zr_date_cmp(d, m->receipt_date) != 0)
			return conflict(in, "receipt_date", zr_date_format(d, a),
			    zr_date_format(m->receipt_date, b), err);
		kit->receipt_date = d;
	} else if (m != NULL && m->has_receipt_date) {
		kit->receipt_date = m->receipt_date;
	} else {
		return need(in, "receipt_date", in->mail_name != NULL ?
		    " and the mail has no 申請受付日" : "; or give the "
		    "completion mail with --mail", err);
	}
	if ((v = fact(in->facts, "completion_date")) != NULL) {
		if (parse_date(in, "completion_date", v, &d, err) < 0)
			return -1;
		if (m != NULL && m->has_date && zr_date_cmp(d, m->date) != 0)
			return conflict(in, "completion_date",
			    zr_date_format(d, a), zr_date_format(m->date, b),
			    err);
		kit->completion_date = d;
		kit->has_completion = 1;
	} else if (m != NULL && m->has_date) {
		kit->completion_date = m->date;
		kit->has_completion = 1;
	}
	if (kit->has_completion && zr_date_cmp(kit->completion_date,
	    kit->receipt_date) < 0) {
		zr_error_set(err, ZR_E_CONFLICT, facts_name(in), "the "
		    "completion mail (%s) is dated before the receipt date "
		    "(%s)", zr_date_format(kit->completion_date, a),
		    zr_date_format(kit->receipt_date, b));
		return -1;
	}
	/* rules-facts §4, §7.2 (OFUSA): within 14 days of the mail (dated
	 * rule deadline.pickup_days, of the mail's day, else of the
	 * receipt's). */
	kit->pickup_days = zr_rule(ZR_R_DL_PICKUP_DAYS, kit->has_completion ?
	    kit->completion_date : kit->receipt_date, err);
	if (kit->pickup_days < 0)
		return -1;
	if (kit->has_completion)
		kit->deadline = zr_date_add_days(kit->completion_date,
		    kit->pickup_days);
	return 0;
}

/* 1 if v says yes (yes, y, true, 1, はい). */
static int
is_yes(const char *v)
{
	return v != NULL && (strcmp(v, "yes") == 0 || strcmp(v, "y") == 0 ||
	    strcmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
	    strcmp(v, "はい") == 0);
}

/*
 * The cases where the card cannot come by post (seed 002, ISA online
 * Q&A A53, A57, A70).
 */
static int
counter_cases(const struct zr_kit_input *in, struct zr_kit *kit,
    struct zr_error *err)
{
	const char *v;
	struct zr_period per;
	struct zr_date birth, issue, b16;
	struct zr_error e;
	long months;

	/* A70: "Official" needs a seal in the passport. */
	if (kit->status != NULL && zr_status_is_official(kit->status))
		kit->counter_cases |= ZR_KIT_COUNTER_OFFICIAL;
	/* A53: re-entry permission or permission for another activity filed
	 * with the extension and given as a seal in the passport, as for a
	 * period of stay of 3 months or less. */
	if ((v = fact(in->facts, "also_filed")) != NULL &&
	    strcmp(v, "none") != 0 && strcmp(v, "no") != 0 &&
	    (kit->counter_cases & ZR_KIT_COUNTER_OFFICIAL) == 0 &&
	    (v = fact(in->facts, "stay_period")) != NULL &&
	    zr_period_parse(v, &per, &e) == 0) {
		months = zr_rule(ZR_R_DL_SHORT_STAY_MONTHS, kit->receipt_date,
		    err);
		if (months < 0)
			return -1;
		if (per.years == 0 && (per.months < months ||
		    (per.months == months && per.days == 0) ||
		    (per.months == 0 && per.days <= months * 31)))
			kit->counter_cases |= ZR_KIT_COUNTER_STAMP;
	}
	/* A57: a kanji name added to a card that has only the Roman one. */
	if (is_yes(fact(in->facts, "add_name_kanji")) &&
	    fact(in->facts, "name_kanji") == NULL)
		kit->counter_cases |= ZR_KIT_COUNTER_KANJI;
	/* A53: a new card for someone under 16 with less than 6 months to
	 * the 16th birthday when the card is issued (the completion mail's
	 * day, else today). */
	if ((v = fact(in->facts, "birth_date")) != NULL &&
	    zr_date_parse(v, &birth, NULL) == 0) {
		issue = kit->has_completion ? kit->completion_date : in->today;
		if (issue.y == 0)
			issue = kit->receipt_date;
		b16 = zr_date_add_months(birth, 16 * 12);
		months = zr_rule(ZR_R_DL_UNDER16_MONTHS, kit->receipt_date, err);
		if (months < 0)
			return -1;
		if (zr_date_cmp(issue, b16) < 0 && zr_date_cmp(
		    zr_date_add_months(issue, (int)months), b16) > 0)
			kit->counter_cases |= ZR_KIT_COUNTER_UNDER16;
	}
	return 0;
}

static int
rule(enum zr_rule_key key, struct zr_date on, long *v, struct zr_error *err)
{
	if ((*v = zr_rule(key, on, err)) < 0)
		return -1;
	return 0;
}

static void
yen(long v, char *buf, size_t cap)
{
	if (v >= 1000000)
		snprintf(buf, cap, "%ld,%03ld,%03ld", v / 1000000,
		    v / 1000 % 1000, v % 1000);
	else if (v >= 1000)
		snprintf(buf, cap, "%ld,%03ld", v / 1000, v % 1000);
	else
		snprintf(buf, cap, "%ld", v);
}

static int
build_fee(const struct zr_kit_input *in, struct zr_kit *kit,
    struct zr_error *err)
{
	const struct zr_completion *m = in->mail;
	char a[24], b[24], d[ZR_DATE_BUFSZ];
	enum zr_fee_app app;
	enum zr_rule_key key;

	/* rules-facts §3.1 (FEE25): the fee of the day the application was
	 * accepted (zr_fee_day(), shared with zr-deadline); the kit is for
	 * online applications. */
	if (zr_fee_app_parse(kit->application, &app) < 0)
		return zr_error_set(err, ZR_E_RANGE, facts_name(in),
		    "application: \"%.40s\" is not extension or change",
		    kit->application);
	if ((kit->rules_fee = zr_fee(app, ZR_FEE_ONLINE, kit->rules_date,
	    &key, err)) < 0)
		return -1;
	kit->fee_key = zr_rule_name(key);
	kit->mail_fee = m != NULL ? m->fee : -1;
	if (in->fee >= 0) {
		if (kit->mail_fee >= 0 && kit->mail_fee != in->fee) {
			yen(in->fee, a, sizeof(a));
			yen(kit->mail_fee, b, sizeof(b));
			return zr_error_set(err, ZR_E_CONFLICT, in->mail_name,
			    "the mail says the fee is %s yen but --fee says "
			    "%s yen", b, a);
		}
		kit->fee = in->fee;
		kit->fee_from_option = 1;
		return 0;
	}
	if (kit->mail_fee >= 0 && kit->mail_fee != kit->rules_fee) {
		yen(kit->mail_fee, a, sizeof(a));
		yen(kit->rules_fee, b, sizeof(b));
		return zr_error_set(err, ZR_E_CONFLICT, in->mail_name, "the "
		    "mail says the fee is %s yen but applications accepted on "
		    "%s pay %s yen online; if the mail is right, pass --fee %ld",
		    a, zr_date_format(kit->rules_date, d), b, kit->mail_fee);
	}
	kit->fee = kit->rules_fee;
	return 0;
}

int
zr_kit_build(const struct zr_kit_input *in, struct zr_kit *kit,
    struct zr_error *err)
{
	const struct zr_completion *m = in->mail;
	const char *v;
	int post;

	memset(kit, 0, sizeof(*kit));
	kit->mail_fee = -1;
	if ((kit->name = fact(in->facts, "name")) == NULL)
		return need(in, "name", NULL, err);

	/* How the card is received: the command line, then the mail; the
	 * mail-in kit when nobody says. */
	kit->pickup = in->pickup;
	if (m != NULL && m->pickup != ZR_PICKUP_UNKNOWN) {
		if (in->pickup != ZR_PICKUP_UNKNOWN && in->pickup != m->pickup) {
			zr_error_set(err, ZR_E_CONFLICT, in->mail_name,
			    "--pickup %s, but the mail is about %s",
			    zr_pickup_name(in->pickup), m->pickup ==
			    ZR_PICKUP_POST ? "receipt by post (郵送)" :
			    "pick-up at the counter (窓口)");
			return -1;
		}
		kit->pickup = m->pickup;
		kit->pickup_from_mail = 1;
	}
	if (kit->pickup == ZR_PICKUP_UNKNOWN)
		kit->pickup = ZR_PICKUP_POST;
	post = kit->pickup == ZR_PICKUP_POST;

	kit->agent_name = fact(in->facts, "agent_name");
	kit->agent_occupation = fact(in->facts, "agent_occupation");
	kit->agent_phone = fact(in->facts, "agent_phone");
	kit->agent_postcode = fact(in->facts, "agent_postcode");
	kit->agent_address = fact(in->facts, "agent_address");
	kit->agent = kit->agent_name != NULL;
	kit->postcode = fact(in->facts, "postcode");
	kit->address = fact(in->facts, "address");
	kit->phone = fact(in->facts, "phone");
	kit->occupation = fact(in->facts, "occupation");
	kit->status = fact(in->facts, "status");
	if (build_receipt(in, kit, err) < 0 || build_dates(in, kit, err) < 0 ||
	    counter_cases(in, kit, err) < 0)
		return -1;
	if (post && kit->counter_cases != 0) {
		kit->pickup = ZR_PICKUP_COUNTER;
		kit->switched_to_counter = 1;
		post = 0;
	}
	/* The return envelope carries the applicant's address, unless an
	 * agent filed (then the agent's office, ISA online Q&A A56). */
	if (post && !kit->agent) {
		if (kit->postcode == NULL)
			return need(in, "postcode", NULL, err);
		if (kit->address == NULL)
			return need(in, "address", NULL, err);
	}

	if ((v = fact(in->facts, "application")) != NULL) {
		if (m != NULL && m->application != NULL &&
		    strcmp(v, m->application) != 0)
			return conflict(in, "application", v, m->application,
			    err);
		kit->application = v;
	} else if (m != NULL && m->application != NULL) {
		kit->application = m->application;
	} else {
		return need(in, "application", in->mail_name != NULL ?
		    " and the mail does not say" : NULL, err);
	}

	kit->rules_date = zr_fee_day(in->has_rules_date ? &in->rules_date :
	    NULL, kit->receipt_date, kit->receipt_date);
	if (build_fee(in, kit, err) < 0)
		return -1;
	/* rules-facts §3.2 (POST): postage is paid on the day of posting,
	 * the day the kit is made (--today), unless --rules-date says. */
	kit->postage_date = !in->has_rules_date && in->today.y != 0 ?
	    in->today : kit->rules_date;
	if (rule(ZR_R_POSTAGE_LETTER25, kit->postage_date,
	    &kit->postage_letter, err) < 0 ||
	    rule(ZR_R_POSTAGE_SIMPLE_REGISTERED, kit->postage_date,
	    &kit->postage_registered, err) < 0 ||
	    rule(ZR_R_POSTAGE_LETTERPACK_PLUS, kit->postage_date,
	    &kit->postage_letterpack, err) < 0)
		return -1;
	/* rules-facts §4, §7.2: the 14 days from the mail are over. */
	kit->late = kit->has_completion && in->today.y != 0 &&
	    zr_date_cmp(in->today, kit->deadline) > 0;

	kit->designation = kit->status == NULL ? -1 :
	    zr_status_has_designation(kit->status);

	if (!post) {
		/* The counter case sends nothing; the mail's address is the
		 * office's. */
	} else if (m != NULL && m->send_to_postcode[0] != '\0') {
		snprintf(kit->send_to_postcode, sizeof(kit->send_to_postcode),
		    "%s", m->send_to_postcode);
		snprintf(kit->send_to, sizeof(kit->send_to), "%s", m->send_to);
		kit->send_to_from_mail = 1;
	} else {
		/* rules-facts §7.3: the usual address, from the dated rules
		 * table (kit.send_to: the postcode line, then the address). */
		const struct zr_rule *row;
		const char *nl;
		if (zr_rule_row(ZR_R_KIT_SEND_TO, kit->rules_date, &row,
		    err) < 0)
			return -1;
		nl = strchr(row->text, '\n');
		snprintf(kit->send_to_postcode, sizeof(kit->send_to_postcode),
		    "%.*s", (int)(nl - row->text), row->text);
		snprintf(kit->send_to, sizeof(kit->send_to), "%s", nl + 1);
	}
	if (m != NULL)
		snprintf(kit->office, sizeof(kit->office), "%s", m->office);
	return 0;
}

static char *
xprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static char *
xprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Add an item; takes ownership of the strings (NULL allowed). */
static void
add(struct doc *d, enum kind k, char *ja, char *en, char *val)
{
	struct item *ni;

	if (!d->oom && d->n == d->cap) {
		d->cap = d->cap != 0 ? d->cap * 2 : 32;
		ni = realloc(d->it, d->cap * sizeof(*ni));
		if (ni == NULL)
			d->oom = 1;
		else
			d->it = ni;
	}
	if (d->oom) {
		free(ja);
		free(en);
		free(val);
		return;
	}
	d->it[d->n].k = k;
	d->it[d->n].ja = ja;
	d->it[d->n].en = en;
	d->it[d->n].val = val;
	d->n++;
}

void
zri_doc_free(struct doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->it[i].ja);
		free(d->it[i].en);
		free(d->it[i].val);
	}
	free(d->it);
}

static const char *
or_blank(const char *s)
{
	return s != NULL ? s : "＿＿＿＿＿＿";
}

static void
content_head(struct doc *d, const struct zr_kit *k)
{
	char iso[ZR_DATE_BUFSZ], era[64];
	int ext = strcmp(k->application, "extension") == 0;

	add(d, K_META, xprintf("申請受付番号"), xprintf("Receipt number"),
	    xprintf("%s", k->receipt));
	add(d, K_META, xprintf("氏名"), xprintf("Name"), xprintf("%s",
	    k->name));
	zr_date_format_era(k->receipt_date, era, sizeof(era));
	add(d, K_META, xprintf("申請受付日"), xprintf("Receipt date"),
	    xprintf("%s (%s)", zr_date_format(k->receipt_date, iso), era));
	if (k->has_completion)
		add(d, K_META, xprintf("審査完了メール"),
		    xprintf("Completion mail"), xprintf("%s",
		    zr_date_format(k->completion_date, iso)));
	add(d, K_META, xprintf("申請"), xprintf("Application"),
	    xprintf("%s / %s", ext ? "在留期間更新許可" : "在留資格変更許可",
	    ext ? "extension of the period of stay" :
	    "change of status of residence"));
}

static void
content_fee_form(struct doc *d, const struct zr_kit *k, const char *num)
{
	char fee[24], iso[ZR_DATE_BUFSZ];

	yen(k->fee, fee, sizeof(fee));
	add(d, K_SECTION, xprintf("手数料納付書の書き方"),
	    xprintf("Fee payment form (手数料納付書)"), xprintf("%s", num));
	add(d, K_FIELD, xprintf("申請受付番号"), xprintf("Receipt number"),
	    xprintf("%s", k->receipt));
	add(d, K_FIELD, xprintf("氏名"), xprintf("Name"), xprintf("%s",
	    k->name));
	add(d, K_FIELD, xprintf("手数料額（収入印紙）"),
	    xprintf("Fee (revenue stamps)"), xprintf("%s円", fee));
	/* ISA online Q&A A58: the applicant signs. */
	add(d, K_FIELD, xprintf("署名"), xprintf("Signature"),
	    xprintf("申請人本人 / the applicant"));
	if (k->fee_from_option)
		add(d, K_NOTE, xprintf("手数料は --fee で指定された額です。"),
		    xprintf("The fee is the amount given with --fee (the "
		    "rules table has %ld yen).", k->rules_fee), NULL);
	else
		add(d, K_NOTE, xprintf("手数料は申請受付日の額です"
		    "（様式: www.moj.go.jp/isa/content/930002833.pdf）。"),
		    xprintf("The fee of applications accepted on %s%s.",
		    zr_date_format(k->rules_date, iso), k->mail_fee >= 0 ?
		    "; the mail says the same" : ""), NULL);
}

/* The duties to report within 14 days (入管法 19条の7, 19条の9,
 * 19条の10, 19条の16), as a short reminder. */
static void
content_duties(struct doc *d, const struct zr_kit *k)
{
	long n = zr_rule(ZR_R_DL_REPORT_DAYS, k->rules_date, NULL);

	if (n <= 0)
		n = 14;
	add(d, K_NOTE, xprintf("変更があれば%ld日以内に届け出る：住所は市区町村"
	    "の窓口、氏名・国籍・生年月日・性別は地方出入国在留管理官署、勤務"
	    "先や学校の変更は出入国在留管理庁（所属機関等に関する届出）。", n),
	    xprintf("Report changes within %ld days: a new address at your "
	    "city office; a new name, nationality, date of birth or sex at an "
	    "immigration office; a change of employer or school to the "
	    "Immigration Services Agency (notification of the organisation "
	    "of affiliation).", n), NULL);
}

/* Why the card must be collected at a counter (seed 002, A53, A57, A70). */
static void
content_why_counter(struct doc *d, const struct zr_kit *k)
{
	add(d, K_NEVER, xprintf("この申請では在留カードを郵送で受け取れない。"
	    "郵送キットではなく、窓口受領の持ち物リストです。"),
	    xprintf("This card cannot come by post, so this is the counter "
	    "pick-up checklist, not a mail-in kit. Change the receipt method "
	    "to the counter in the online system if it still says post."),
	    NULL);
	if (k->counter_cases & ZR_KIT_COUNTER_OFFICIAL)
		add(d, K_NOTE, xprintf("在留資格「公用」は旅券に証印が必要なため、"
		    "窓口での受領になる。"), xprintf("With the status "
		    "\"Official\" the passport needs a seal of verification, "
		    "which is given at the counter."), NULL);
	if (k->counter_cases & ZR_KIT_COUNTER_STAMP)
		add(d, K_NOTE, xprintf("在留期間が3か月以下で、再入国許可または資格"
		    "外活動許可を同時に申請したため、旅券への証印が必要になる。"),
		    xprintf("Your period of stay is 3 months or less and you "
		    "applied for a re-entry permit or for permission to work "
		    "outside your status at the same time: that permission is a "
		    "seal in your passport, given at the counter."), NULL);
	if (k->counter_cases & ZR_KIT_COUNTER_KANJI)
		add(d, K_NOTE, xprintf("漢字氏名の併記を申し出るため、窓口で新しい"
		    "カードを受け取る。受領のときに漢字氏名併記の申出書を出す。"),
		    xprintf("You asked to add your name in kanji: the card with "
		    "it is issued at the counter, where you hand in the "
		    "petition for the kanji name."), NULL);
	if (k->counter_cases & ZR_KIT_COUNTER_UNDER16)
		add(d, K_NOTE, xprintf("16歳の誕生日まで6か月未満のため、カードの"
		    "更新を伴い、窓口での受領になる。"), xprintf("You turn 16 "
		    "within 6 months of the card being issued, so the card is "
		    "renewed as well and must be collected at the counter."),
		    NULL);
}

static void
content_post(struct doc *d, const struct zr_kit *k)
{
	char fee[24], iso[ZR_DATE_BUFSZ], iso2[ZR_DATE_BUFSZ], era[64];
	long env = k->postage_letter + k->postage_registered;
	const char *user, *occ, *tel;

	yen(k->fee, fee, sizeof(fee));
	add(d, K_TITLE, xprintf("在留カードの郵送受領キット"),
	    xprintf("Mail-in kit for your new residence card"), NULL);
	content_head(d, k);

	add(d, K_SECTION, xprintf("封筒に入れるもの"),
	    xprintf("What goes in the envelope"), xprintf("1"));
	add(d, K_CHECK, xprintf("在留カード（原本）。送る前に両面をカラーコピー"
	    "する（5を参照）。"), xprintf("Your residence card, the original. "
	    "Make a colour copy of both sides first (see 5)."), NULL);
	add(d, K_CHECK, xprintf("手数料納付書：%s円の収入印紙を貼り、申請受付"
	    "番号と氏名を書いて、申請人本人が署名する（4を参照）。", fee),
	    xprintf("Fee payment form with a %s yen revenue stamp (収入印紙); "
	    "receipt number and name filled in, signed by the applicant "
	    "(see 4).", fee), NULL);
	if (k->agent)
		add(d, K_CHECK, xprintf("返信用封筒：定形封筒に%ld円分の切手（定形"
		    "%ld円＋簡易書留%ld円）、またはレターパックプラス（%ld円）。"
		    "宛先は取次者の事務所（利用申出の所在地）。裏に申請受付番号。",
		    env, k->postage_letter, k->postage_registered,
		    k->postage_letterpack), xprintf("Return envelope: a "
		    "standard envelope with %ld yen in stamps (%ld + simple "
		    "registered %ld), or a red Letter Pack Plus (%ld yen), "
		    "addressed to the agent's office registered with the "
		    "online system; receipt number on its back.", env,
		    k->postage_letter, k->postage_registered,
		    k->postage_letterpack), NULL);
	else
		add(d, K_CHECK, xprintf("返信用封筒：定形封筒に%ld円分の切手（定形"
		    "%ld円＋簡易書留%ld円）、またはレターパックプラス（%ld円）。"
		    "宛先は自分。裏に申請受付番号（3を参照）。", env,
		    k->postage_letter, k->postage_registered,
		    k->postage_letterpack), xprintf("Return envelope: a "
		    "standard envelope with %ld yen in stamps (%ld + simple "
		    "registered %ld), or a red Letter Pack Plus (%ld yen), "
		    "addressed to you; receipt number on its back (see 3).",
		    env, k->postage_letter, k->postage_registered,
		    k->postage_letterpack), NULL);
	if (k->designation == 1)
		add(d, K_CHECK, xprintf("指定書（在留資格「%s」）。", k->status),
		    xprintf("Your designation paper (指定書), which your status "
		    "%s comes with.", k->status), NULL);
	else if (k->designation < 0)
		add(d, K_CHECK, xprintf("指定書：高度専門職・特定技能・特定活動の"
		    "人だけ。"), xprintf("Designation paper (指定書): only for "
		    "Highly Skilled Professional, Specified Skilled Worker or "
		    "Designated Activities."), NULL);
	add(d, K_NEVER, xprintf("パスポート（旅券）は入れない。"),
	    xprintf("Do NOT enclose your passport."), NULL);
	add(d, K_NOTE, xprintf("送り方：簡易書留（定形%ld円＋%ld円＝%ld円、25 g"
	    "まで）またはレターパックプラス（%ld円）。どちらも追跡できる。",
	    k->postage_letter, k->postage_registered, env,
	    k->postage_letterpack), xprintf("Send it tracked: simple "
	    "registered mail (%ld + %ld = %ld yen up to 25 g) or Letter Pack "
	    "Plus (%ld yen).", k->postage_letter, k->postage_registered, env,
	    k->postage_letterpack), NULL);

	add(d, K_SECTION, xprintf("日付"), xprintf("Dates"), xprintf("2"));
	if (k->has_completion)
		add(d, K_FIELD, xprintf("郵送の期限（目安）"),
		    xprintf("Mail by (about)"), xprintf("%s（審査完了メール%s"
		    "から%ld日 / %ld days after the completion mail）",
		    zr_date_format(k->deadline, iso),
		    zr_date_format(k->completion_date, iso2), k->pickup_days,
		    k->pickup_days));
	else
		add(d, K_FIELD, xprintf("郵送の期限（目安）"),
		    xprintf("Mail by (about)"), xprintf("審査完了メールから%ld日"
		    "以内 / within %ld days of the completion mail",
		    k->pickup_days, k->pickup_days));
	add(d, K_NOTE, xprintf("新しいカードが届くまで、パスポートと、裏に5の"
	    "内容を書いた在留カードのカラーコピーをいつも持ち歩く。"),
	    xprintf("Until the new card arrives, always carry your passport "
	    "and the colour copy of your card with the text of 5 on its back."),
	    NULL);
	/* Seed 002, ISA online Q&A A62; seed 000 "Important Warnings". */
	add(d, K_NEVER, xprintf("カードが手元にない間は、みなし再入国許可で出国"
	    "できない。出国の予定があれば、カードを送る前に地方出入国在留管理"
	    "官署の窓口で再入国許可を受けるか、窓口での受領を選ぶ。"),
	    xprintf("While the card is in the mail you cannot leave Japan on "
	    "special re-entry permission. If you must travel, get an "
	    "ordinary re-entry permit at an immigration counter before you "
	    "mail the card, or collect the new card at a counter instead."),
	    NULL);
	add(d, K_NOTE, xprintf("古いカードは穴を開けて返送される。"),
	    xprintf("The old card comes back with a hole punched in it."),
	    NULL);
	content_duties(d, k);

	add(d, K_PAGE, NULL, NULL, NULL);
	add(d, K_SECTION, xprintf("宛名（切り取って貼るか、書き写す）"),
	    xprintf("Addresses: cut out and paste, or copy by hand"),
	    xprintf("3"));
	add(d, K_LABEL, xprintf("送り先（出す封筒の表）"),
	    xprintf("Send to: front of your envelope"),
	    xprintf("〒%s\n%s%s", k->send_to_postcode, k->send_to,
	    k->send_to_from_mail ? "" : "\n※審査完了メールの宛先と照合"));
	if (k->agent)
		add(d, K_LABEL, xprintf("返信用封筒の宛先（取次者）"),
		    xprintf("Return envelope: the agent's office"),
		    k->agent_address != NULL ? xprintf("〒%s\n%s\n%s 様",
		    k->agent_postcode != NULL ? k->agent_postcode :
		    "＿＿＿-＿＿＿＿", k->agent_address, k->agent_name) :
		    xprintf("〒＿＿＿-＿＿＿＿\n（利用申出に書いた事務所の所在地）\n"
		    "%s 様", k->agent_name));
	else
		add(d, K_LABEL, xprintf("返信用封筒の宛先（あなた）"),
		    xprintf("Return envelope: to you"), xprintf("〒%s\n%s\n"
		    "%s 様", k->postcode, k->address, k->name));
	add(d, K_STRIP, xprintf("返信用封筒の裏"),
	    xprintf("Back of the return envelope"),
	    xprintf("申請受付番号 %s", k->receipt));

	content_fee_form(d, k, "4");

	add(d, K_SECTION, xprintf("在留カードのコピーの裏に書くこと"),
	    xprintf("Back of the card copy: cut out, or copy by hand"),
	    xprintf("5"));
	if (k->agent) {
		user = k->agent_name;
		occ = k->agent_occupation;
		tel = k->agent_phone;
	} else {
		user = k->name;
		occ = k->occupation;
		tel = k->phone;
	}
	zr_date_format_era(k->receipt_date, era, sizeof(era));
	zr_date_format(k->receipt_date, iso);
	/* ISA online Q&A A61 (seed 002): the statement, the online user's
	 * name, occupation and contact, the receipt date and number. */
	add(d, K_CARD, xprintf("表面記載の外国人は、オンラインで在留申請の手続"
	    "中です。\nオンライン申請の利用者%s：%s（職業：%s）\n利用者の"
	    "連絡先：%s\n申請受付日：%s（%s）\n申請受付番号：%s",
	    k->agent ? "（取次者）" : "", user, or_blank(occ), or_blank(tel),
	    era, iso, k->receipt),
	    xprintf("The foreign national on the front is in the process of "
	    "an online application. Online user: %s. Receipt %s, No. %s.",
	    user, iso, k->receipt), NULL);
}

static void
content_counter(struct doc *d, const struct zr_kit *k)
{
	char fee[24], iso[ZR_DATE_BUFSZ], iso2[ZR_DATE_BUFSZ];

	yen(k->fee, fee, sizeof(fee));
	add(d, K_TITLE, xprintf("在留カードの窓口受領"),
	    xprintf("Picking up your new residence card at the counter"),
	    NULL);
	if (k->switched_to_counter)
		content_why_counter(d, k);
	else
		add(d, K_NOTE, xprintf("%sは窓口での受領です。郵送キットは要りま"
		    "せん。", k->pickup_from_mail ? "審査完了メールによると、この"
		    "申請" : "この申請"), xprintf("%s chose pick-up at the "
		    "counter: no mail-in kit is needed.", k->pickup_from_mail ?
		    "Your mail says you" : "You"), NULL);
	content_head(d, k);

	/* ISA online Q&A A54 (seed 002). */
	add(d, K_SECTION, xprintf("持っていくもの"), xprintf("Take with you"),
	    xprintf("1"));
	add(d, K_CHECK, xprintf("パスポート（旅券）"), xprintf("Your passport"),
	    NULL);
	add(d, K_CHECK, xprintf("在留カード"), xprintf("Your residence card"),
	    NULL);
	add(d, K_CHECK, xprintf("手数料納付書：%s円の収入印紙を貼り、申請受付"
	    "番号と氏名を書いて、申請人本人が署名する（3を参照）。", fee),
	    xprintf("Fee payment form with a %s yen revenue stamp; receipt "
	    "number and name filled in, signed by the applicant (see 3).",
	    fee), NULL);
	add(d, K_CHECK, xprintf("審査完了メールの写し（またはスマートフォンで"
	    "表示）"), xprintf("A copy of the completion mail (or show it on "
	    "your phone)."), NULL);

	add(d, K_SECTION, xprintf("行き先と期限"), xprintf("Where and by when"),
	    xprintf("2"));
	add(d, K_FIELD, xprintf("窓口"), xprintf("Office"), xprintf("%s",
	    k->office[0] != '\0' ? k->office : "申請時に選んだ地方出入国在留"
	    "管理官署 / the office you chose when applying"));
	if (k->has_completion)
		add(d, K_FIELD, xprintf("受領の期限"), xprintf("Pick up by"),
		    xprintf("%s（審査完了メール%sから%ld日 / %ld days after "
		    "the completion mail）", zr_date_format(k->deadline, iso),
		    zr_date_format(k->completion_date, iso2), k->pickup_days,
		    k->pickup_days));
	else
		add(d, K_FIELD, xprintf("受領の期限"), xprintf("Pick up by"),
		    xprintf("本メール受信後%ld日以内 / within %ld days of the "
		    "completion mail", k->pickup_days, k->pickup_days));
	add(d, K_NOTE, xprintf("オンライン申請の利用者（取次者）が代わりに受け"
	    "取ることもできる。"), xprintf("The online user (an agent) may "
	    "pick it up for you."), NULL);
	content_duties(d, k);

	content_fee_form(d, k, "3");
}

int
zri_kit_content(const struct zr_kit *k, struct doc *d, struct zr_error *err)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	if (k->pickup == ZR_PICKUP_COUNTER)
		content_counter(d, k);
	else
		content_post(d, k);
	/* Every string of every item must have been made. */
	for (i = 0; !d->oom && i < d->n; i++)
		if ((d->it[i].k != K_PAGE && (d->it[i].ja == NULL ||
		    d->it[i].en == NULL)) || ((d->it[i].k == K_META ||
		    d->it[i].k == K_FIELD || d->it[i].k == K_LABEL ||
		    d->it[i].k == K_STRIP || d->it[i].k == K_SECTION) &&
		    d->it[i].val == NULL))
			d->oom = 1;
	if (d->oom) {
		zri_doc_free(d);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	return 0;
}

/* Text rendering. */

static void
text_lines(FILE *fp, const char *indent, const char *s)
{
	const char *p = s, *e;

	while (*p != '\0') {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		fprintf(fp, "%s%.*s\n", indent, (int)(e - p), p);
		p = *e == '\n' ? e + 1 : e;
	}
}

int
zr_kit_text(const struct zr_kit *kit, char **out, size_t *len,
    struct zr_error *err)
{
	struct doc d;
	FILE *fp;
	char *buf = NULL;
	size_t n = 0, i;
	struct item *it;

	if (zri_kit_content(kit, &d, err) < 0)
		return -1;
	if ((fp = open_memstream(&buf, &n)) == NULL) {
		zri_doc_free(&d);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	for (i = 0; i < d.n; i++) {
		it = &d.it[i];
		switch (it->k) {
		case K_TITLE:
			fprintf(fp, "%s\n%s\n\n", it->ja, it->en);
			break;
		case K_META:
		case K_FIELD:
			if (strchr(it->val, '\n') != NULL) {
				fprintf(fp, "%s%s / %s:\n", it->k == K_FIELD ?
				    "    " : "", it->ja, it->en);
				text_lines(fp, "        ", it->val);
				break;
			}
			fprintf(fp, "%s%s / %s: %s\n", it->k == K_FIELD ?
			    "    " : "", it->ja, it->en, it->val);
			break;
		case K_SECTION:
			fprintf(fp, "\n%s. %s / %s\n", it->val, it->ja, it->en);
			break;
		case K_CHECK:
		case K_NEVER:
			fprintf(fp, "%s %s\n", it->k == K_CHECK ? "[ ]" : "[!]",
			    it->ja);
			fprintf(fp, "    %s\n", it->en);
			break;
		case K_NOTE:
			fprintf(fp, "    %s\n    %s\n", it->ja, it->en);
			break;
		case K_LABEL:
		case K_STRIP:
			fprintf(fp, "    %s / %s:\n", it->ja, it->en);
			text_lines(fp, "        ", it->val);
			break;
		case K_CARD:
			text_lines(fp, "    | ", it->ja);
			text_lines(fp, "    | ", it->en);
			break;
		case K_PAGE:
		default:
			break;
		}
	}
	zri_doc_free(&d);
	if (fclose(fp) != 0 || buf == NULL) {
		free(buf);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	*out = buf;
	*len = n;
	return 0;
}
