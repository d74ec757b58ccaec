/* zr-letter: the mail-in kit after the examination-completion mail. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/letter.h"
#include "zairyu/mail.h"
#include "zr_cli.h"

enum fmt { FMT_PDF, FMT_TEXT, FMT_JSON };

#define MAX_SETS 64

struct opts {
	struct zr_cli cli;
	enum fmt fmt;
	int quiet, verbose;
	const char *output, *facts, *mail, *font, *rules_s;
	const char *sets[MAX_SETS];
	int nsets;
	enum zr_pickup pickup;
	long fee;
};

static void
usage(FILE *fp)
{
	fputs("usage: zr-letter [-qv] [--facts file] [--mail file] "
	    "[--set key=value ...]\n"
	    "                 [--pickup post | counter] [--fee yen] "
	    "[--today date]\n"
	    "                 [--rules-date date]"
	    " [--font file] [--text | --json] [-o file]\n"
	    "       zr-letter -h | -V\n", fp);
}

static int
parse_fee(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s < '0' || *s > '9' || *end != '\0' || v < 0 || v > 10000000) {
		zr_cli_fail(ZR_E_USAGE, NULL, "--fee: \"%s\" is not an amount "
		    "in yen (0 to 10000000)", s);
		return -1;
	}
	*out = v;
	return 0;
}

enum { O_FACTS = 256, O_MAIL, O_SET, O_PICKUP, O_FEE, O_FONT, O_TEXT };

static int
on_opt(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;

	switch (c) {
	case O_FACTS:
		o->facts = arg;
		break;
	case O_MAIL:
		o->mail = arg;
		break;
	case O_SET:
		if (o->nsets >= MAX_SETS)
			return zr_cli_usage_error(usage, "--set: more than %d",
			    MAX_SETS);
		if (strchr(arg, '=') == NULL)
			return zr_cli_usage_error(usage, "--set: \"%s\" is not "
			    "key=value", arg);
		o->sets[o->nsets++] = arg;
		break;
	case O_PICKUP:
		if (strcmp(arg, "post") == 0)
			o->pickup = ZR_PICKUP_POST;
		else if (strcmp(arg, "counter") == 0)
			o->pickup = ZR_PICKUP_COUNTER;
		else
			return zr_cli_usage_error(usage, "--pickup: \"%s\" is "
			    "not post or counter", arg);
		break;
	case O_FEE:
		if (parse_fee(arg, &o->fee) < 0)
			return ZR_EXIT_INPUT;
		break;
	case O_FONT:
		o->font = arg;
		break;
	case O_TEXT:
		o->fmt = FMT_TEXT;
		break;
	default:
		usage(stderr);
		return ZR_EXIT_INPUT;
	}
	return 0;
}

/* Parse and validate: 0 to go on, -1 after -h or -V, else the exit status. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "facts", required_argument, NULL, O_FACTS },
		{ "mail", required_argument, NULL, O_MAIL },
		{ "set", required_argument, NULL, O_SET },
		{ "pickup", required_argument, NULL, O_PICKUP },
		{ "fee", required_argument, NULL, O_FEE },
		{ "font", required_argument, NULL, O_FONT },
		{ "text", no_argument, NULL, O_TEXT },
		{ NULL, 0, NULL, 0 }
	};
	static const struct zr_cli_spec spec = { "", lo, on_opt, usage };
	int rc, nfmt;

	memset(o, 0, sizeof(*o));
	o->fee = -1;
	if ((rc = zr_cli_parse(&o->cli, &spec, o, argc, argv, &optind)) >= 0)
		return rc == 0 ? -1 : rc;
	o->quiet = o->cli.quiet;
	o->verbose = o->cli.verbose;
	o->output = o->cli.output != NULL ? o->cli.output : "-";
	o->rules_s = o->cli.rules_arg;
	nfmt = (o->fmt == FMT_TEXT) + o->cli.json;
	if (o->cli.json)
		o->fmt = FMT_JSON;
	if (optind < argc)
		return zr_cli_usage_error(usage, "unexpected argument \"%s\"",
		    argv[optind]);
	if (nfmt > 1)
		return zr_cli_usage_error(usage, "--text and --json exclude "
		    "each other");
	if (o->facts == NULL && o->mail == NULL && o->nsets == 0)
		return zr_cli_usage_error(usage, "give --facts, --mail or --set");
	if (o->facts != NULL && o->mail != NULL &&
	    strcmp(o->facts, "-") == 0 && strcmp(o->mail, "-") == 0)
		return zr_cli_usage_error(usage, "--facts and --mail cannot both "
		    "read standard input");
	return 0;
}

/* The facts file (or none) with the --set values on top. */
static int
load_facts(const struct opts *o, struct zr_facts **out)
{
	struct zr_facts *f;
	struct zr_error e;
	char key[64];
	const char *eq;
	size_t n;
	int i;

	*out = NULL;
	if (o->facts != NULL) {
		if (zr_facts_load(o->facts, &f, &e) < 0)
			return zr_cli_report(&e);
	} else if (o->nsets > 0) {
		if ((f = zr_facts_new("<command line>")) == NULL)
			return zr_cli_fail(ZR_E_NOMEM, NULL, NULL);
	} else {
		return 0;
	}
	for (i = 0; i < o->nsets; i++) {
		eq = strchr(o->sets[i], '=');
		n = (size_t)(eq - o->sets[i]);
		if (n >= sizeof(key))
			n = sizeof(key) - 1;
		memcpy(key, o->sets[i], n);
		key[n] = '\0';
		if (zr_facts_set(f, key, eq + 1, &e) < 0) {
			snprintf(e.subject, sizeof(e.subject), "--set");
			zr_facts_free(f);
			return zr_cli_report(&e);
		}
	}
	*out = f;
	return 0;
}

/* The notes, said on stderr and written in the JSON's "notes". */
#define NOTE_SEND_TO "the send-to address is the usual one, not read " \
	"from a mail: check it against your completion mail"
#define NOTE_NO_DATE_POST "the date of the completion mail is unknown: " \
	"set completion_date for the mail-by date"
#define NOTE_NO_DATE_COUNTER "the date of the completion mail is " \
	"unknown: set completion_date for the pick-up date"

/* --today after the mail-by or pick-up date (rules-facts §4, §7.2). */
static const char *
late_note(const struct zr_kit *k, struct zr_date today, char *buf,
    size_t cap)
{
	char d1[ZR_DATE_BUFSZ], d2[ZR_DATE_BUFSZ];

	snprintf(buf, cap, "the %s date %s (%ld days after the completion "
	    "mail) is past on %s: ask the immigration office what to do",
	    k->pickup == ZR_PICKUP_POST ? "mail-by" : "pick-up",
	    zr_date_format(k->deadline, d1), k->pickup_days,
	    zr_date_format(today, d2));
	return buf;
}

static void
json_kit(FILE *fp, const struct zr_kit *k, struct zr_date today)
{
	struct zr_json j;
	char late[256];

	zr_json_begin(&j, fp);
	zr_json_status(&j, ZR_JSON_OK);
	zr_json_str(&j, "pickup", zr_pickup_name(k->pickup));
	zr_json_bool(&j, "pickup_from_mail", k->pickup_from_mail);
	zr_json_str(&j, "name", k->name);
	zr_json_str(&j, "receipt_number", k->receipt);
	zr_json_date(&j, "receipt_date", k->receipt_date);
	if (k->has_completion) {
		zr_json_date(&j, "completion_date", k->completion_date);
		zr_json_date(&j, "deadline", k->deadline);
	} else {
		zr_json_null(&j, "completion_date");
		zr_json_null(&j, "deadline");
	}
	zr_json_str(&j, "application", k->application);
	zr_json_date(&j, "rules_date", k->rules_date);
	zr_json_str(&j, "fee_rule", k->fee_key);
	zr_json_int(&j, "fee", k->fee);
	zr_json_int(&j, "rules_fee", k->rules_fee);
	if (k->mail_fee >= 0)
		zr_json_int(&j, "mail_fee", k->mail_fee);
	else
		zr_json_null(&j, "mail_fee");
	zr_json_obj(&j, "postage");
	zr_json_int(&j, "letter", k->postage_letter);
	zr_json_int(&j, "simple_registered", k->postage_registered);
	zr_json_int(&j, "return_envelope", k->postage_letter +
	    k->postage_registered);
	zr_json_int(&j, "letterpack_plus", k->postage_letterpack);
	zr_json_close_obj(&j);
	zr_json_date(&j, "postage_date", k->postage_date);
	if (k->designation < 0)
		zr_json_null(&j, "designation");
	else
		zr_json_bool(&j, "designation", k->designation);
	zr_json_bool(&j, "agent", k->agent);
	if (k->pickup == ZR_PICKUP_POST) {
		zr_json_obj(&j, "send_to");
		zr_json_str(&j, "postcode", k->send_to_postcode);
		zr_json_str(&j, "address", k->send_to);
		zr_json_bool(&j, "from_mail", k->send_to_from_mail);
		zr_json_close_obj(&j);
	} else {
		zr_json_null(&j, "send_to");
	}
	zr_json_str(&j, "office", k->office[0] != '\0' ? k->office : NULL);
	/* seed 002, A53, A57, A70: why the card cannot come by post. */
	zr_json_arr(&j, "counter_reasons");
	if (k->counter_cases & ZR_KIT_COUNTER_OFFICIAL)
		zr_json_str(&j, NULL, "official");
	if (k->counter_cases & ZR_KIT_COUNTER_STAMP)
		zr_json_str(&j, NULL, "passport_stamp");
	if (k->counter_cases & ZR_KIT_COUNTER_KANJI)
		zr_json_str(&j, NULL, "kanji_name");
	if (k->counter_cases & ZR_KIT_COUNTER_UNDER16)
		zr_json_str(&j, NULL, "under_16");
	zr_json_close_arr(&j);
	zr_json_empty_arr(&j, "problems");
	zr_json_arr(&j, "notes");
	if (k->pickup == ZR_PICKUP_POST && !k->send_to_from_mail)
		zr_json_finding(&j, ZR_E_DEFAULTED, NOTE_SEND_TO, NULL, 0);
	if (k->switched_to_counter)
		zr_json_finding(&j, ZR_E_NOTE, "this card cannot come by "
		    "post: the kit is the counter pick-up checklist", NULL, 0);
	if (!k->has_completion)
		zr_json_finding(&j, ZR_E_MISSING, k->pickup == ZR_PICKUP_POST ?
		    NOTE_NO_DATE_POST : NOTE_NO_DATE_COUNTER, NULL, 0);
	if (k->late)
		zr_json_finding(&j, ZR_E_DEADLINE, late_note(k, today, late,
		    sizeof(late)), NULL, 0);
	zr_json_close_arr(&j);
	zr_json_end(&j);
}

/* Why the card must be collected at a counter, in a few words. */
static const char *
counter_why(unsigned cases)
{
	if (cases & ZR_KIT_COUNTER_OFFICIAL)
		return "status Official";
	if (cases & ZR_KIT_COUNTER_STAMP)
		return "a permission stamped in the passport";
	if (cases & ZR_KIT_COUNTER_KANJI)
		return "the kanji name is added";
	return "the 16th birthday is less than 6 months away";
}

/* Write the bytes atomically; never a partial file. */
static int
write_out(const struct opts *o, const void *data, size_t len, int binary)
{
	const char *inputs[3];
	size_t n = 0;
	struct zr_out *out;
	struct zr_error e;

	if (o->facts != NULL)
		inputs[n++] = o->facts;
	if (o->mail != NULL)
		inputs[n++] = o->mail;
	if (o->font != NULL)
		inputs[n++] = o->font;
	/* A write error is reported once, naming the output ("<stdout>"):
	 * zr_cli_finish() does not repeat it. */
	if (zr_out_open(&out, o->output, binary, inputs, n, &e) < 0 ||
	    zr_out_write_commit(out, data, len, &e) < 0)
		return zr_cli_report(&e);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct zr_facts *facts = NULL;
	struct zr_mail *mail = NULL;
	struct zr_completion comp;
	struct zr_kit_input in;
	struct zr_kit kit;
	struct zr_error e;
	unsigned char *pdf = NULL;
	char *text = NULL, d1[ZR_DATE_BUFSZ], late[256];
	size_t len = 0;
	FILE *mem;
	int rc;

	/* parse, validate */
	zr_cli_init(argv[0]);
	if ((rc = parse_args(argc, argv, &o)) != 0)
		return zr_cli_finish(rc < 0 ? ZR_EXIT_OK : rc);
	memset(&in, 0, sizeof(in));
	/* --today (else today in Japan): the day the kit is made and
	 * posted (zr-letter(1)). */
	in.today = o.cli.today;
	in.fee = o.fee;
	in.pickup = o.pickup;
	/* Without --rules-date the kit takes the rules of its receipt date
	 * (zr-letter(1)), not today's. */
	if (o.rules_s != NULL) {
		in.rules_date = o.cli.rules;
		in.has_rules_date = 1;
	}
	if ((rc = load_facts(&o, &facts)) != 0)
		return rc;
	in.facts = facts;
	if (o.mail != NULL) {
		if (zr_mail_load(o.mail, &mail, &e) < 0 ||
		    zr_mail_completion(mail, &comp, &e) < 0) {
			rc = zr_cli_report(&e);
			goto done;
		}
		in.mail = &comp;
		in.mail_name = zr_mail_name(mail);
	}
	if (zr_kit_build(&in, &kit, &e) < 0) {
		rc = zr_cli_report(&e);
		goto done;
	}
	if (!o.quiet && kit.pickup == ZR_PICKUP_POST &&
	    !kit.send_to_from_mail)
		zr_cli_warn("%s", NOTE_SEND_TO);
	if (!o.quiet && kit.switched_to_counter)
		zr_cli_warn("this card cannot come by post (%s): the kit is the "
		    "counter pick-up checklist; choose counter pick-up in the "
		    "online system", counter_why(kit.counter_cases));
	if (!o.quiet && !kit.has_completion)
		zr_cli_warn("%s", kit.pickup == ZR_PICKUP_POST ?
		    NOTE_NO_DATE_POST : NOTE_NO_DATE_COUNTER);
	if (!o.quiet && kit.late)
		zr_cli_warn("%s", late_note(&kit, in.today, late,
		    sizeof(late)));
	switch (o.fmt) {
	case FMT_PDF:
		if (zr_kit_pdf(&kit, o.font, &pdf, &len, &e) < 0) {
			rc = zr_cli_report(&e);
			goto done;
		}
		rc = write_out(&o, pdf, len, 1);
		break;
	case FMT_TEXT:
		if (zr_kit_text(&kit, &text, &len, &e) < 0) {
			rc = zr_cli_report(&e);
			goto done;
		}
		rc = write_out(&o, text, len, 0);
		break;
	case FMT_JSON:
	default:
		if ((mem = open_memstream(&text, &len)) == NULL) {
			rc = zr_cli_fail(ZR_E_NOMEM, NULL, NULL);
			goto done;
		}
		json_kit(mem, &kit, in.today);
		if (fclose(mem) != 0) {
			rc = zr_cli_fail(ZR_E_NOMEM, NULL, NULL);
			goto done;
		}
		rc = write_out(&o, text, len, 0);
		break;
	}
	if (rc == 0 && o.verbose)
		fprintf(stderr, "%s: %s: %s, %s, receipt %s, fee %ld yen "
		    "(online, accepted on %s), %zu bytes\n", zr_cli_prog(),
		    zr_display_name(o.output), zr_pickup_name(kit.pickup),
		    kit.name, kit.receipt, kit.fee,
		    zr_date_format(kit.rules_date, d1), len);
done:
	free(pdf);
	free(text);
	zr_mail_free(mail);
	zr_facts_free(facts);
	return zr_cli_finish(rc);
}
