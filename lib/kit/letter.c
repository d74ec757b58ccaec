/* libzairyu: the mail-in kit: content, text and PDF (libharu). */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "zairyu/io.h"
#include "zairyu/letter.h"
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

/* rules-facts §7.3 (BDHUB, POLARIS): the one address for every mail-in
 * receipt; the mail's own address always wins. */
static const char default_postcode[] = "135-0064";
static const char default_send_to[] =
    "東京都江東区青海2-7-11 東京港湾合同庁舎9階\n"
    "東京出入国在留管理局 オンライン審査部門\n"
    "オンライン申請手続班(おだいば分室内)";

/* rules-facts §4, §7.2 (OFUSA; BDHUB "typically within 14 days"). */
#define PICKUP_DAYS 14

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
	if (kit->has_completion)
		kit->deadline = zr_date_add_days(kit->completion_date,
		    PICKUP_DAYS);
	return 0;
}

static int
rule(const char *key, struct zr_date on, long *v, struct zr_error *err)
{
	if ((*v = zr_rule_value(key, on, err)) < 0)
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

	/* rules-facts §3.1 (FEE25): the fee of the day the application was
	 * accepted; the kit is for online applications. */
	snprintf(kit->fee_key, sizeof(kit->fee_key), "fee.%s.online",
	    kit->application);
	if (rule(kit->fee_key, kit->rules_date, &kit->rules_fee, err) < 0)
		return -1;
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
		    "mail says the fee is %s yen but the rules table has %s "
		    "yen (%s on %s, rules-facts §3.1); if the mail is right, "
		    "pass --fee %ld", a, b, kit->fee_key,
		    zr_date_format(kit->rules_date, d), kit->mail_fee);
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
	/* The return envelope carries the applicant's address, unless an
	 * agent filed (then the agent's office, ISA online Q&A A56). */
	if (post && !kit->agent) {
		if (kit->postcode == NULL)
			return need(in, "postcode", NULL, err);
		if (kit->address == NULL)
			return need(in, "address", NULL, err);
	}
	if (build_receipt(in, kit, err) < 0 || build_dates(in, kit, err) < 0)
		return -1;

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

	kit->rules_date = in->has_rules_date ? in->rules_date :
	    kit->receipt_date;
	if (build_fee(in, kit, err) < 0)
		return -1;
	/* rules-facts §3.2 (POST). */
	if (rule("postage.letter25", kit->rules_date, &kit->postage_letter,
	    err) < 0 || rule("postage.simple_registered", kit->rules_date,
	    &kit->postage_registered, err) < 0 ||
	    rule("postage.letterpack_plus", kit->rules_date,
	    &kit->postage_letterpack, err) < 0)
		return -1;

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
		snprintf(kit->send_to_postcode, sizeof(kit->send_to_postcode),
		    "%s", default_postcode);
		snprintf(kit->send_to, sizeof(kit->send_to), "%s",
		    default_send_to);
	}
	if (m != NULL)
		snprintf(kit->office, sizeof(kit->office), "%s", m->office);
	return 0;
}

/*
 * The content, once, for both renderers: a list of items.  The text
 * renderer prints them in order; the PDF renderer lays them out (labels
 * and the card panel at their real sizes).
 */
enum kind {
	K_TITLE,    /* ja, en */
	K_META,     /* ja / en: val */
	K_SECTION,  /* val = number; ja, en */
	K_CHECK,    /* a box to tick: ja, en */
	K_NEVER,    /* something not to do: ja, en */
	K_NOTE,     /* a paragraph: ja, en */
	K_FIELD,    /* a form row: ja / en, val */
	K_LABEL,    /* an address label: ja / en title, val lines */
	K_STRIP,    /* a one-line label */
	K_CARD,     /* the card-sized panel: val lines (ja), en */
	K_PAGE      /* a new page (PDF only) */
};

struct item {
	enum kind k;
	char *ja, *en, *val;
};

struct doc {
	struct item *it;
	size_t n, cap;
	int oom;
};

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

static void
doc_free(struct doc *d)
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
		    xprintf("Fee for applications accepted on %s (%s, "
		    "rules-facts §3.1)%s.", zr_date_format(k->rules_date, iso),
		    k->fee_key, k->mail_fee >= 0 ? "; the mail says the same" :
		    ""), NULL);
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
		    "online system (A56); receipt number on its back.", env,
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
		    "から14日 / 14 days after the completion mail）",
		    zr_date_format(k->deadline, iso),
		    zr_date_format(k->completion_date, iso2)));
	else
		add(d, K_FIELD, xprintf("郵送の期限（目安）"),
		    xprintf("Mail by (about)"), xprintf("審査完了メールから14日"
		    "以内 / within 14 days of the completion mail"));
	add(d, K_NOTE, xprintf("新しいカードが届くまで、パスポートと、裏に5の"
	    "内容を書いた在留カードのカラーコピーをいつも持ち歩く。"),
	    xprintf("Until the new card arrives, always carry your passport "
	    "and the colour copy of your card with the text of 5 on its back "
	    "(ISA online Q&A A61)."), NULL);
	add(d, K_NOTE, xprintf("カードが手元にない間は、みなし再入国許可で出国"
	    "できない。"), xprintf("Without the card in hand you cannot leave "
	    "Japan on special re-entry permission (A62)."), NULL);
	add(d, K_NOTE, xprintf("古いカードは穴を開けて返送される。"),
	    xprintf("The old card comes back with a hole punched in it (A59)."),
	    NULL);

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
	add(d, K_NOTE, xprintf("%sは窓口での受領です。郵送キットは要りません。",
	    k->pickup_from_mail ? "審査完了メールによると、この申請" :
	    "この申請"), xprintf("%s chose pick-up at the counter: no "
	    "mail-in kit is needed.", k->pickup_from_mail ? "Your mail says "
	    "you" : "You"), NULL);
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
		    xprintf("%s（審査完了メール%sから14日 / 14 days after the "
		    "completion mail）", zr_date_format(k->deadline, iso),
		    zr_date_format(k->completion_date, iso2)));
	else
		add(d, K_FIELD, xprintf("受領の期限"), xprintf("Pick up by"),
		    xprintf("本メール受信後14日以内 / within 14 days of the "
		    "completion mail"));
	add(d, K_NOTE, xprintf("オンライン申請の利用者（取次者）が代わりに受け"
	    "取ることもできる。"), xprintf("The online user (an agent) may "
	    "pick it up for you (A54)."), NULL);

	content_fee_form(d, k, "3");
}

static int
content(const struct zr_kit *k, struct doc *d, struct zr_error *err)
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
		doc_free(d);
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

	if (content(kit, &d, err) < 0)
		return -1;
	if ((fp = open_memstream(&buf, &n)) == NULL) {
		doc_free(&d);
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
	doc_free(&d);
	if (fclose(fp) != 0 || buf == NULL) {
		free(buf);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	*out = buf;
	*len = n;
	return 0;
}

/* PDF rendering with libharu. */

#define MM(x) ((float)((x) * 72.0 / 25.4))
#define PAGE_W 595.276f
#define PAGE_H 841.89f
#define MARGIN MM(15)
#define TEXT_W (PAGE_W - 2 * MARGIN)

struct pdfw {
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font font;
	float y;           /* the cursor, from the bottom */
	int fresh;         /* nothing drawn on this page yet */
	int failed;
	unsigned long code, detail;
	float row_x;       /* next label's x in the current row */
	float row_top, row_h;
	int in_table;      /* the previous item was a form row */
};

static void
on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	struct pdfw *w = user;

	/* libharu reports here and returns an error code; nothing escapes. */
	if (!w->failed) {
		w->failed = 1;
		w->code = (unsigned long)code;
		w->detail = (unsigned long)detail;
	}
}

static void
new_page(struct pdfw *w)
{
	w->page = HPDF_AddPage(w->pdf);
	HPDF_Page_SetSize(w->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	w->y = PAGE_H - MARGIN;
	w->fresh = 1;
	w->row_x = 0;
	w->row_h = 0;
	w->in_table = 0;
}

static void
room(struct pdfw *w, float h)
{
	if (w->y - h < MARGIN && !w->fresh)
		new_page(w);
	w->fresh = 0;
}

static float
width_of(struct pdfw *w, const char *s, size_t n, float size)
{
	char tmp[1024];

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	HPDF_Page_SetFontAndSize(w->page, w->font, size);
	return HPDF_Page_TextWidth(w->page, tmp);
}

/* Characters a line must not end with. */
static int
no_break_after(int32_t c)
{
	return c == 0xff08 || c == 0x300c || c == 0x300e || c == 0x3010 ||
	    c == '(' || c == 0x3012;
}

/* Characters a line must not start with (kinsoku, simplified). */
static int
no_break_before(int32_t c)
{
	return c == 0x3001 || c == 0x3002 || c == 0xff09 || c == 0x300d ||
	    c == 0x300f || c == 0x3011 || c == 0xff0c || c == 0xff0e ||
	    c == 0x30fc || c == ')' || c == ',' || c == '.' || c == ':' ||
	    c == 0xff1a || c == 0x3063 || c == 0x30c3 || c == 0x30fb;
}

struct lines {
	char line[48][512];
	size_t n;
};

/* Wrap s at maxw (line ends honoured); 0, or -1 when it is too long. */
static int
wrap(struct pdfw *w, const char *s, float size, float maxw, struct lines *L)
{
	const char *p = s, *end = s + strlen(s), *start, *q, *brk;
	int32_t c, prev;
	size_t n;

	L->n = 0;
	while (p <= end) {
		start = p;
		brk = NULL;
		prev = 0;
		for (;;) {
			if (p >= end || *p == '\n')
				break;
			q = p;
			c = zr_utf8_next(&q, end);
			/* A break before c? After a space or around CJK. */
			if (p > start && !no_break_before(c) &&
			    !no_break_after(prev) && (prev == ' ' ||
			    (c >= 0x2e80 && !(prev >= '0' && prev <= '9')) ||
			    prev >= 0x2e80))
				brk = p;
			if (width_of(w, start, (size_t)(q - start), size) > maxw &&
			    p > start) {
				if (brk == NULL || brk == start)
					brk = p;
				break;
			}
			prev = c;
			p = q;
		}
		if (p >= end || *p == '\n')
			brk = p;
		n = (size_t)(brk - start);
		while (n > 0 && start[n - 1] == ' ')
			n--;
		if (L->n >= sizeof(L->line) / sizeof(L->line[0]) ||
		    n >= sizeof(L->line[0]))
			return -1;
		memcpy(L->line[L->n], start, n);
		L->line[L->n][n] = '\0';
		L->n++;
		p = brk;
		if (p >= end)
			break;
		if (*p == '\n')
			p++;
		while (p < end && *p == ' ')
			p++;
	}
	return 0;
}

static void
gray(struct pdfw *w, float g)
{
	HPDF_Page_SetRGBFill(w->page, g, g, g);
}

static void
out(struct pdfw *w, float x, float y, float size, const char *s)
{
	HPDF_Page_BeginText(w->page);
	HPDF_Page_SetFontAndSize(w->page, w->font, size);
	HPDF_Page_TextOut(w->page, x, y, s);
	HPDF_Page_EndText(w->page);
}

/* A wrapped paragraph at x, width maxw; moves the cursor down. */
static int
para(struct pdfw *w, float x, float maxw, float size, float g, const char *s)
{
	struct lines L;
	size_t i;
	float lh = size * 1.35f;

	if (wrap(w, s, size, maxw, &L) < 0)
		return -1;
	room(w, lh * (float)L.n);
	gray(w, g);
	for (i = 0; i < L.n; i++) {
		w->y -= lh;
		out(w, x, w->y + size * 0.25f, size, L.line[i]);
	}
	gray(w, 0);
	return 0;
}

static void
crop_marks(struct pdfw *w, float x, float y, float wd, float ht)
{
	float g = MM(1.5), l = MM(5);

	HPDF_Page_SetGrayStroke(w->page, 0);
	HPDF_Page_SetLineWidth(w->page, 0.4f);
	/* Corners: bottom-left, bottom-right, top-left, top-right. */
	HPDF_Page_MoveTo(w->page, x - g - l, y);
	HPDF_Page_LineTo(w->page, x - g, y);
	HPDF_Page_MoveTo(w->page, x, y - g - l);
	HPDF_Page_LineTo(w->page, x, y - g);
	HPDF_Page_MoveTo(w->page, x + wd + g, y);
	HPDF_Page_LineTo(w->page, x + wd + g + l, y);
	HPDF_Page_MoveTo(w->page, x + wd, y - g - l);
	HPDF_Page_LineTo(w->page, x + wd, y - g);
	HPDF_Page_MoveTo(w->page, x - g - l, y + ht);
	HPDF_Page_LineTo(w->page, x - g, y + ht);
	HPDF_Page_MoveTo(w->page, x, y + ht + g);
	HPDF_Page_LineTo(w->page, x, y + ht + g + l);
	HPDF_Page_MoveTo(w->page, x + wd + g, y + ht);
	HPDF_Page_LineTo(w->page, x + wd + g + l, y + ht);
	HPDF_Page_MoveTo(w->page, x + wd, y + ht + g);
	HPDF_Page_LineTo(w->page, x + wd, y + ht + g + l);
	HPDF_Page_Stroke(w->page);
	/* A faint outline to cut along. */
	HPDF_Page_SetGrayStroke(w->page, 0.6f);
	HPDF_Page_SetLineWidth(w->page, 0.3f);
	HPDF_Page_Rectangle(w->page, x, y, wd, ht);
	HPDF_Page_Stroke(w->page);
	HPDF_Page_SetGrayStroke(w->page, 0);
}

/*
 * A box of wd x ht at (x, top - ht) with cut marks: a small grey title,
 * then the lines at the largest size from big down that fits.
 */
static int
boxed(struct pdfw *w, float x, float top, float wd, float ht,
    const char *title, const char *body, float big, const char *foot)
{
	struct lines L, F;
	float pad = MM(3), size, lh, y, fs = 0;
	size_t i;

	crop_marks(w, x, top - ht, wd, ht);
	y = top - pad;
	if (title != NULL) {
		gray(w, 0.4f);
		out(w, x + pad, y - 7, 7, title);
		gray(w, 0);
		y -= 11;
	}
	for (size = big; size >= 5; size -= 0.5f) {
		lh = size * 1.3f;
		if (wrap(w, body, size, wd - 2 * pad, &L) < 0)
			return -1;
		fs = size * 0.85f;
		F.n = 0;
		if (foot != NULL && wrap(w, foot, fs, wd - 2 * pad, &F) < 0)
			return -1;
		if (lh * (float)L.n + fs * 1.3f * (float)F.n + 2 <= y -
		    (top - ht) - pad)
			break;
	}
	if (size < 5)
		return -1;
	lh = size * 1.3f;
	for (i = 0; i < L.n; i++) {
		y -= lh;
		out(w, x + pad, y + size * 0.25f, size, L.line[i]);
	}
	y -= 2;
	gray(w, 0.35f);
	for (i = 0; i < F.n; i++) {
		y -= fs * 1.3f;
		out(w, x + pad, y + fs * 0.25f, fs, F.line[i]);
	}
	gray(w, 0);
	return 0;
}

/* Labels flow in rows: two 87 mm labels side by side on A4. */
static int
label(struct pdfw *w, const struct item *it, float wd, float ht)
{
	char title[400];
	float gap = MM(6), x;

	if (w->row_h > 0 && w->row_x + wd <= TEXT_W + 0.5f) {
		x = MARGIN + w->row_x;
	} else {
		if (w->row_h > 0)
			w->y = w->row_top - w->row_h - MM(8);
		room(w, ht + MM(8));
		w->y -= MM(6);
		w->row_top = w->y;
		w->row_h = 0;
		w->row_x = 0;
		x = MARGIN;
	}
	snprintf(title, sizeof(title), "%s / %s", it->ja, it->en);
	if (boxed(w, x, w->row_top, wd, ht, title, it->val, 11, NULL) < 0)
		return -1;
	w->row_x += wd + gap;
	if (ht > w->row_h)
		w->row_h = ht;
	w->y = w->row_top - w->row_h;
	return 0;
}

static void
end_row(struct pdfw *w)
{
	if (w->row_h > 0) {
		w->y = w->row_top - w->row_h - MM(2);
		w->row_h = 0;
		w->row_x = 0;
	}
}

static int
field(struct pdfw *w, const struct item *it)
{
	float h = MM(11), lw = MM(58), x = MARGIN, vw = TEXT_W - lw - MM(4);
	float size = 12, lh, y;
	struct lines L;
	size_t i;

	/* One line at up to 12 pt; longer values wrap at 10 pt. */
	while (size > 10 && strchr(it->val, '\n') == NULL &&
	    width_of(w, it->val, strlen(it->val), size) > vw)
		size -= 0.5f;
	if (strchr(it->val, '\n') != NULL ||
	    width_of(w, it->val, strlen(it->val), size) > vw)
		size = 10;
	if (wrap(w, it->val, size, vw, &L) < 0)
		return -1;
	lh = size * 1.3f;
	if (lh * (float)L.n + MM(4) > h)
		h = lh * (float)L.n + MM(4);
	if (!w->in_table)
		w->y -= MM(2);
	room(w, h);
	w->y -= h;
	HPDF_Page_SetLineWidth(w->page, 0.5f);
	HPDF_Page_Rectangle(w->page, x, w->y, lw, h);
	HPDF_Page_Rectangle(w->page, x + lw, w->y, TEXT_W - lw, h);
	HPDF_Page_Stroke(w->page);
	out(w, x + MM(2), w->y + h - MM(4.5), 9, it->ja);
	gray(w, 0.4f);
	out(w, x + MM(2), w->y + h - MM(8.5), 7, it->en);
	gray(w, 0);
	y = w->y + (h + lh * (float)L.n) / 2;
	for (i = 0; i < L.n; i++) {
		y -= lh;
		out(w, x + lw + MM(2), y + size * 0.3f, size, L.line[i]);
	}
	return 0;
}

static int
render(struct pdfw *w, const struct doc *d)
{
	size_t i;
	const struct item *it;
	float box = MM(3.6), tx = MARGIN + MM(7), y0;
	char buf[600];

	new_page(w);
	for (i = 0; i < d->n && !w->failed; i++) {
		it = &d->it[i];
		if (it->k != K_LABEL && it->k != K_STRIP)
			end_row(w);
		if (it->k != K_FIELD)
			w->in_table = 0;
		switch (it->k) {
		case K_TITLE:
			if (para(w, MARGIN, TEXT_W, 17, 0, it->ja) < 0 ||
			    para(w, MARGIN, TEXT_W, 11, 0.35f, it->en) < 0)
				return -1;
			w->y -= MM(3);
			break;
		case K_META: {
			struct lines L;
			size_t j;

			if (wrap(w, it->val, 11, TEXT_W - MM(50), &L) < 0)
				return -1;
			room(w, 15 * (float)L.n);
			gray(w, 0.4f);
			snprintf(buf, sizeof(buf), "%s / %s", it->ja, it->en);
			out(w, MARGIN, w->y - 15, 8, buf);
			gray(w, 0);
			for (j = 0; j < L.n; j++) {
				w->y -= 15;
				out(w, MARGIN + MM(50), w->y, 11, L.line[j]);
			}
			break;
		}
		case K_SECTION:
			room(w, 48);
			w->y -= MM(5);
			snprintf(buf, sizeof(buf), "%s. %s", it->val, it->ja);
			if (para(w, MARGIN, TEXT_W, 13, 0, buf) < 0 ||
			    para(w, MARGIN + MM(5), TEXT_W - MM(5), 9, 0.35f,
			    it->en) < 0)
				return -1;
			HPDF_Page_SetLineWidth(w->page, 0.6f);
			HPDF_Page_MoveTo(w->page, MARGIN, w->y - 2);
			HPDF_Page_LineTo(w->page, PAGE_W - MARGIN, w->y - 2);
			HPDF_Page_Stroke(w->page);
			w->y -= MM(1);
			break;
		case K_CHECK:
		case K_NEVER:
			room(w, 40);
			w->y -= MM(2);
			y0 = w->y;
			if (it->k == K_NEVER)
				HPDF_Page_SetRGBFill(w->page, 0.75f, 0, 0);
			if (para(w, tx, TEXT_W - MM(7), 10.5f, 0, it->ja) < 0)
				return -1;
			if (it->k == K_NEVER) {
				HPDF_Page_SetRGBStroke(w->page, 0.75f, 0, 0);
				HPDF_Page_SetLineWidth(w->page, 1.2f);
				HPDF_Page_MoveTo(w->page, MARGIN, y0 - box - 2);
				HPDF_Page_LineTo(w->page, MARGIN + box, y0 - 2);
				HPDF_Page_MoveTo(w->page, MARGIN, y0 - 2);
				HPDF_Page_LineTo(w->page, MARGIN + box,
				    y0 - box - 2);
				HPDF_Page_Stroke(w->page);
				HPDF_Page_SetRGBStroke(w->page, 0, 0, 0);
			} else {
				HPDF_Page_SetLineWidth(w->page, 0.8f);
				HPDF_Page_Rectangle(w->page, MARGIN,
				    y0 - box - 2, box, box);
				HPDF_Page_Stroke(w->page);
			}
			if (para(w, tx, TEXT_W - MM(7), 8.5f, 0.35f, it->en) < 0)
				return -1;
			break;
		case K_NOTE:
			w->y -= MM(1.5);
			if (para(w, MARGIN, TEXT_W, 10, 0, it->ja) < 0 ||
			    para(w, MARGIN, TEXT_W, 8.5f, 0.35f, it->en) < 0)
				return -1;
			break;
		case K_FIELD:
			if (field(w, it) < 0)
				return -1;
			w->in_table = 1;
			break;
		case K_LABEL:
			/* Fits a 長形3号 envelope's address area or a Letter
			 * Pack label; 87 mm so two sit side by side. */
			if (label(w, it, MM(87), MM(45)) < 0)
				return -1;
			break;
		case K_STRIP:
			if (label(w, it, MM(87), MM(18)) < 0)
				return -1;
			break;
		case K_CARD:
			/* ISO/IEC 7810 ID-1, the residence card's size. */
			room(w, MM(54) + MM(12));
			w->y -= MM(8);
			if (boxed(w, MARGIN + MM(5), w->y, MM(85.6), MM(54), NULL,
			    it->ja, 8, it->en) < 0)
				return -1;
			w->y -= MM(54) + MM(4);
			break;
		case K_PAGE:
			if (!w->fresh)
				new_page(w);
			break;
		}
	}
	return 0;
}

static int
font_ok(const char *font, struct zr_error *err)
{
	FILE *fp = fopen(font, "rb");
	unsigned char h[4];
	size_t n;

	if (fp == NULL)
		return zr_error_sys(err, ZR_E_FONT, errno, font,
		    "cannot open the font (install fonts-ipaexfont)");
	zr_input_note_fd(fileno(fp), font); /* never an output */
	n = fread(h, 1, sizeof(h), fp);
	fclose(fp);
	/* TrueType: 0x00010000 or "true". */
	if (n != 4 || !((h[0] == 0 && h[1] == 1 && h[2] == 0 && h[3] == 0) ||
	    memcmp(h, "true", 4) == 0))
		return zr_error_set(err, ZR_E_FONT, font,
		    "not a TrueType font");
	return 0;
}

int
zr_kit_pdf(const struct zr_kit *kit, const char *font, unsigned char **outp,
    size_t *len, struct zr_error *err)
{
	struct pdfw w;
	struct doc d;
	const char *fname;
	unsigned char *buf = NULL;
	HPDF_UINT32 size, got, total = 0;
	HPDF_STATUS st;
	int rc = -1;

	if (font == NULL)
		font = ZR_LETTER_FONT;
	if (font_ok(font, err) < 0)
		return -1;
	if (content(kit, &d, err) < 0)
		return -1;
	memset(&w, 0, sizeof(w));
	if ((w.pdf = HPDF_New(on_hpdf_error, &w)) == NULL) {
		doc_free(&d);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(w.pdf);
	HPDF_SetCurrentEncoder(w.pdf, "UTF-8");
	/* No dates in the info dictionary: the bytes must not depend on the
	 * clock. */
	HPDF_SetInfoAttr(w.pdf, HPDF_INFO_CREATOR, "zr-letter (zairyu-tools)");
	HPDF_SetInfoAttr(w.pdf, HPDF_INFO_TITLE, "Residence card mail-in kit");
	fname = HPDF_LoadTTFontFromFile(w.pdf, font, HPDF_TRUE);
	if (fname == NULL || w.failed) {
		zr_error_set(err, ZR_E_FONT, font, "libharu cannot load the "
		    "font (error 0x%04lx)", w.code);
		goto done;
	}
	w.font = HPDF_GetFont(w.pdf, fname, "UTF-8");
	if (w.font == NULL || w.failed) {
		zr_error_set(err, ZR_E_FONT, font, "libharu cannot use the "
		    "font with UTF-8 (error 0x%04lx)", w.code);
		goto done;
	}
	if (render(&w, &d) < 0) {
		zr_error_set(err, ZR_E_PDF_WRITE, NULL, "the kit does not fit "
		    "its boxes (a value is too long)");
		goto done;
	}
	if (w.failed || (st = HPDF_SaveToStream(w.pdf)) != HPDF_OK ||
	    w.failed) {
		zr_error_set(err, ZR_E_PDF_WRITE, NULL, "libharu error 0x%04lx "
		    "(detail %lu)", w.code, w.detail);
		goto done;
	}
	size = HPDF_GetStreamSize(w.pdf);
	if (size == 0 || (buf = malloc(size)) == NULL) {
		zr_error_set(err, size == 0 ? ZR_E_PDF_WRITE : ZR_E_NOMEM, NULL,
		    NULL);
		goto done;
	}
	while (total < size) {
		got = size - total;
		st = HPDF_ReadFromStream(w.pdf, buf + total, &got);
		total += got;
		if (st == HPDF_STREAM_EOF || got == 0)
			break;
		if (st != HPDF_OK) {
			zr_error_set(err, ZR_E_PDF_WRITE, NULL, "libharu error "
			    "0x%04lx reading the PDF back", (unsigned long)st);
			goto done;
		}
	}
	if (total != size) {
		zr_error_set(err, ZR_E_PDF_WRITE, NULL, "short PDF stream");
		goto done;
	}
	*outp = buf;
	*len = size;
	buf = NULL;
	rc = 0;
done:
	free(buf);
	HPDF_Free(w.pdf);
	doc_free(&d);
	return rc;
}
