/* zr-namecheck: the name and numbers exactly as on the residence card. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zr_cli.h"

struct opts {
	struct zr_cli cli;
	int json, quiet, verbose, form, agree;
	const char *output, *card, *facts, *birth_s, *get;
	const char *card_number, *my_number, *mrz;
	char **args;
	int nargs;
};

/* What the checks compare with, from --card, --facts, --birth-date. */
struct ref {
	const char *name;
	struct zr_date birth;
	int have_birth;
	char sex;
	const char *passport;
	struct zr_facts *facts;
};

struct run {
	struct opts *o;
	struct ref ref;
	struct zr_date today, rules;
	FILE *fp;
	int rc;
};

static void
usage(FILE *fp)
{
	fputs("usage: zr-namecheck [-qv] [--json] [-o file] [--rules-date date] "
	    "--card name | --facts file\n"
	    "                    [name ...]\n"
	    "       zr-namecheck [-qv] [--json] [-o file] [--rules-date date] "
	    "--form\n"
	    "                    [--card name | --facts file] [name ...]\n"
	    "       zr-namecheck [-qv] [--json] [-o file] [--today date] "
	    "[--card name]\n"
	    "                    [--facts file] [--birth-date date] "
	    "--mrz file\n"
	    "       zr-namecheck [-qv] [--json] [-o file] --card-number number\n"
	    "       zr-namecheck [-qv] [--json] [-o file] --my-number number\n"
	    "       zr-namecheck [-qv] [--json] [-o file] --agree file file "
	    "...\n"
	    "       zr-namecheck [-q] [--json] [-o file] --facts file --get key\n"
	    "       zr-namecheck -h | -V\n", fp);
}

enum {
	OPT_CARD = 256, OPT_FACTS, OPT_BIRTH, OPT_FORM, OPT_CARD_NUMBER,
	OPT_MY_NUMBER, OPT_MRZ, OPT_AGREE, OPT_GET
};

static int
on_opt(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;

	switch (c) {
	case OPT_AGREE:
		o->agree = 1;
		break;
	case OPT_BIRTH:
		o->birth_s = arg;
		break;
	case OPT_CARD:
		o->card = arg;
		break;
	case OPT_CARD_NUMBER:
		o->card_number = arg;
		break;
	case OPT_FACTS:
		o->facts = arg;
		break;
	case OPT_FORM:
		o->form = 1;
		break;
	case OPT_GET:
		o->get = arg;
		break;
	case OPT_MRZ:
		o->mrz = arg;
		break;
	case OPT_MY_NUMBER:
		o->my_number = arg;
		break;
	default:
		usage(stderr);
		return ZR_EXIT_INPUT;
	}
	return 0;
}

/* Parse and validate: 0 to go on, else the exit status. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "agree", no_argument, NULL, OPT_AGREE },
		{ "birth-date", required_argument, NULL, OPT_BIRTH },
		{ "card", required_argument, NULL, OPT_CARD },
		{ "card-number", required_argument, NULL, OPT_CARD_NUMBER },
		{ "facts", required_argument, NULL, OPT_FACTS },
		{ "form", no_argument, NULL, OPT_FORM },
		{ "get", required_argument, NULL, OPT_GET },
		{ "mrz", required_argument, NULL, OPT_MRZ },
		{ "my-number", required_argument, NULL, OPT_MY_NUMBER },
		{ NULL, 0, NULL, 0 }
	};
	static const struct zr_cli_spec spec = { "", lo, on_opt, usage };
	int stdin_users, rc, first;

	memset(o, 0, sizeof(*o));
	if ((rc = zr_cli_parse(&o->cli, &spec, o, argc, argv, &first)) >= 0)
		return rc == 0 ? -1 : rc;
	o->json = o->cli.json;
	o->quiet = o->cli.quiet;
	o->verbose = o->cli.verbose;
	o->output = o->cli.output;
	optind = first;
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->get != NULL) {
		if (o->facts == NULL || o->agree || o->card || o->form ||
		    o->mrz || o->card_number || o->my_number || o->birth_s ||
		    o->nargs > 0)
			return zr_cli_usage_error(usage, "--get reads one "
			    "value of --facts file; give no check with it");
		return 0;
	}
	if (o->agree) {
		if (o->card || o->facts || o->form || o->mrz ||
		    o->card_number || o->my_number || o->birth_s)
			return zr_cli_usage_error(usage, "--agree compares "
			    "facts files only; give no other check with it");
		if (o->nargs < 2)
			return zr_cli_usage_error(usage, "--agree needs two "
			    "or more facts files");
		return 0;
	}
	if (!o->card && !o->facts && !o->form && !o->mrz &&
	    !o->card_number && !o->my_number)
		return zr_cli_usage_error(usage, "nothing to check: give "
		    "--card, --facts, --form, --mrz, --card-number, "
		    "--my-number or --agree");
	if (o->nargs > 0 && !o->form && !o->card && !o->facts)
		return zr_cli_usage_error(usage, "names need the card's name "
		    "to compare with: give --card name or --facts file");
	stdin_users = (o->mrz != NULL && strcmp(o->mrz, "-") == 0) +
	    (o->my_number != NULL && strcmp(o->my_number, "-") == 0) +
	    (o->facts != NULL && strcmp(o->facts, "-") == 0);
	if (stdin_users > 1)
		return zr_cli_usage_error(usage, "only one of --mrz, "
		    "--my-number and --facts can read standard input");
	return 0;
}

static void
json_findings(struct zr_json *j, const char *key,
    const struct zr_name_report *rep, int notes)
{
	size_t i;

	zr_json_arr(j, key);
	for (i = 0; i < rep->n; i++)
		if (!rep->f[i].note == !notes)
			zr_json_finding_id(j, zr_name_kind_str(rep->f[i].kind),
			    rep->f[i].msg, NULL, rep->f[i].line);
	zr_json_close_arr(j);
}

static void
json_report(struct zr_json *j, const struct zr_name_report *rep)
{
	zr_json_status(j, rep->problems > 0 ? ZR_JSON_PROBLEM : ZR_JSON_OK);
	json_findings(j, "problems", rep, 0);
	json_findings(j, "notes", rep, 1);
}

/* Print findings as "prefix: message" lines (notes only with -v). */
static void
text_report(struct run *r, const char *prefix,
    const struct zr_name_report *rep)
{
	size_t i;

	if (r->o->quiet)
		return;
	for (i = 0; i < rep->n; i++) {
		if (rep->f[i].note && !r->o->verbose)
			continue;
		fprintf(r->fp, "%s: %s%s\n", prefix, rep->f[i].note ? "note: " :
		    "", rep->f[i].msg);
	}
	if (rep->problems == 0 && r->o->verbose)
		fprintf(r->fp, "%s: ok\n", prefix);
}

static void
note_result(struct run *r, const struct zr_name_report *rep)
{
	if (rep->problems > 0 && r->rc == 0)
		r->rc = ZR_EXIT_PROBLEM;
}

/* Where a name came from, for messages: argument N or <stdin>:LINE. */
static void
name_subject(char *buf, size_t n, int argno, int line)
{
	if (line > 0)
		snprintf(buf, n, "<stdin>");
	else
		snprintf(buf, n, "argument %d", argno);
}

/* One name: compare with the card, or print the form's spelling. */
static int
one_name(struct run *r, const char *s, size_t len, int argno, int line)
{
	struct zr_name_report rep;
	struct zr_error e;
	struct zr_json j;
	char subj[32], prefix[ZR_NAME_MAX + 64];
	char form[ZR_NAME_MAX * 2 + 2], d[ZR_DATE_BUFSZ];
	size_t i;

	name_subject(subj, sizeof(subj), argno, line);
	if (zr_name_validate(s, len, subj, &e) < 0) {
		zr_error_line(&e, line);
		return zr_cli_report(&e);
	}
	if (line > 0)
		snprintf(prefix, sizeof(prefix), "<stdin>:%d: \"%s\"", line, s);
	else
		snprintf(prefix, sizeof(prefix), "\"%s\"", s);
	if (r->o->form) {
		if (zr_name_form(s, r->rules, form, sizeof(form), &rep, &e) < 0) {
			if (e.subject[0] == '\0')
				snprintf(e.subject, sizeof(e.subject), "%s",
				    subj);
			zr_error_line(&e, line);
			return zr_cli_report(&e);
		}
		note_result(r, &rep);
		if (r->o->json) {
			zr_json_begin(&j, r->fp);
			zr_json_str(&j, "check", "form");
			if (line > 0)
				zr_json_int(&j, "line", line);
			zr_json_str(&j, "input", s);
			zr_json_str(&j, "rules_date",
			    zr_date_format(r->rules, d));
			zr_json_str(&j, "form", form);
			json_report(&j, &rep);
			zr_json_end(&j);
			return 0;
		}
		/* The spelling on stdout; what stands in its way on stderr. */
		if (rep.problems == 0)
			fprintf(r->fp, "%s\n", form);
		for (i = 0; i < rep.n; i++) {
			if (rep.f[i].note && r->o->quiet)
				continue;
			fprintf(stderr, "%s: %s: %s%s\n", zr_cli_prog(),
			    prefix, rep.f[i].note ? "note: " : "",
			    rep.f[i].msg);
		}
		return 0;
	}
	if (zr_name_compare(r->ref.name, s, r->rules, &rep, &e) < 0) {
		if (e.subject[0] == '\0')
			snprintf(e.subject, sizeof(e.subject), "%s", subj);
		if (strcmp(e.subject, subj) == 0)
			zr_error_line(&e, line);
		return zr_cli_report(&e);
	}
	note_result(r, &rep);
	if (r->o->json) {
		char card[ZR_NAME_MAX + 1];
		zr_json_begin(&j, r->fp);
		zr_json_str(&j, "check", "name");
		if (line > 0)
			zr_json_int(&j, "line", line);
		zr_json_str(&j, "input", s);
		if (zr_name_card_spelling(r->ref.name, card, sizeof(card),
		    NULL) == 0)
			zr_json_str(&j, "card", card);
		zr_json_str(&j, "rules_date", zr_date_format(r->rules, d));
		json_report(&j, &rep);
		zr_json_end(&j);
		return 0;
	}
	text_report(r, prefix, &rep);
	return 0;
}

/*
 * Names from standard input, one per line (a filter).  Lines longer
 * than ZR_NAME_MAX bytes are refused rather than cut.
 */
static int
names_from_stdin(struct run *r)
{
	char buf[ZR_NAME_MAX + 2];
	size_t n;
	int c, line = 0, rc;

	for (;;) {
		n = 0;
		while ((c = getchar()) != EOF && c != '\n') {
			if (n > ZR_NAME_MAX) {
				while ((c = getchar()) != EOF && c != '\n')
					;
				return zr_cli_fail(ZR_E_NAME, "<stdin>",
				    "line %d: longer than %d bytes", line + 1,
				    ZR_NAME_MAX);
			}
			buf[n++] = (char)c;
		}
		if (c == EOF && n == 0)
			break;
		line++;
		if (n > 0 && buf[n - 1] == '\r')
			n--;
		if (n > ZR_NAME_MAX)
			return zr_cli_fail(ZR_E_NAME, "<stdin>",
			    "line %d: longer than %d bytes", line,
			    ZR_NAME_MAX);
		buf[n] = '\0';
		if ((rc = one_name(r, buf, n, 0, line)) != 0)
			return rc;
		if (c == EOF)
			break;
	}
	if (ferror(stdin))
		return zr_cli_fail(ZR_E_IO, "<stdin>", "read error");
	if (line == 0)
		return zr_cli_fail(ZR_E_NAME, "<stdin>", "no names to check");
	return 0;
}

static int
do_card_number(struct run *r)
{
	struct zr_name_report rep;
	struct zr_error e;
	struct zr_json j;
	char num[13], prefix[64];

	if (zr_card_number_check(r->o->card_number, num, &rep, &e) < 0) {
		snprintf(e.subject, sizeof(e.subject), "--card-number");
		return zr_cli_report(&e);
	}
	note_result(r, &rep);
	if (r->o->json) {
		zr_json_begin(&j, r->fp);
		zr_json_str(&j, "check", "card_number");
		zr_json_str(&j, "input", r->o->card_number);
		zr_json_str(&j, "normalised", num);
		json_report(&j, &rep);
		zr_json_end(&j);
		return 0;
	}
	snprintf(prefix, sizeof(prefix), "card number %s", num);
	text_report(r, prefix, &rep);
	return 0;
}

static int
do_my_number(struct run *r)
{
	struct zr_name_report rep;
	struct zr_error e;
	struct zr_json j;
	char buf[80];
	const char *s = r->o->my_number;
	size_t n;

	if (strcmp(s, "-") == 0) {
		/* Read from stdin, so the number stays out of ps(1). */
		if (fgets(buf, sizeof(buf), stdin) == NULL)
			return zr_cli_fail(ZR_E_NUMBER, "<stdin>",
			    "no My Number to check");
		n = strlen(buf);
		if (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		else if (!feof(stdin))
			return zr_cli_fail(ZR_E_NUMBER, "<stdin>",
			    "line longer than 64 bytes");
		if (n > 0 && buf[n - 1] == '\r')
			buf[--n] = '\0';
		s = buf;
	}
	if (zr_my_number_check(s, &rep, &e) < 0) {
		snprintf(e.subject, sizeof(e.subject), "--my-number");
		return zr_cli_report(&e);
	}
	note_result(r, &rep);
	if (r->o->json) {
		/* The number itself is never written out (personal data). */
		zr_json_begin(&j, r->fp);
		zr_json_str(&j, "check", "my_number");
		json_report(&j, &rep);
		zr_json_end(&j);
		return 0;
	}
	if (r->o->quiet)
		return 0;
	{
		size_t i;
		for (i = 0; i < rep.n; i++)
			fprintf(r->fp, "%s\n", rep.f[i].msg);
		if (rep.problems == 0 && r->o->verbose)
			fprintf(r->fp, "My Number: ok\n");
	}
	return 0;
}

static int
do_mrz(struct run *r)
{
	struct zr_mrz m;
	struct zr_mrz_expect x;
	struct zr_name_report rep;
	struct zr_error e;
	struct zr_json j;
	struct zr_date bd, ed;
	unsigned char *buf;
	const char *subj = zr_display_name(r->o->mrz);
	char d[ZR_DATE_BUFSZ], sx[2] = { 0, 0 };
	size_t len, i;
	int rc;

	/* Two lines of 44 and some slack: anything bigger is not an MRZ. */
	if (zr_read_file(r->o->mrz, 4096, &buf, &len, &e) < 0) {
		if (e.code == ZR_E_TOO_BIG)
			return zr_cli_fail(ZR_E_MRZ, subj, "larger than 4096 "
			    "bytes: not a passport MRZ");
		return zr_cli_report(&e);
	}
	rc = zr_mrz_parse((const char *)buf, len, subj, &m, &e);
	free(buf);
	if (rc < 0)
		return zr_cli_report(&e);
	memset(&x, 0, sizeof(x));
	x.card_name = r->ref.name;
	x.birth = r->ref.have_birth ? &r->ref.birth : NULL;
	x.passport_number = r->ref.passport;
	x.sex = r->ref.sex;
	x.today = r->today;
	if (zr_mrz_verify(&m, &x, &rep, &e) < 0)
		return zr_cli_report(&e);
	note_result(r, &rep);
	if (r->o->json) {
		zr_json_begin(&j, r->fp);
		zr_json_str(&j, "check", "mrz");
		zr_json_str(&j, "file", subj);
		zr_json_str(&j, "type", m.type);
		zr_json_str(&j, "issuer", m.issuer);
		zr_json_str(&j, "primary", m.primary);
		zr_json_str(&j, "secondary", m.secondary);
		zr_json_bool(&j, "name_field_full", m.truncated);
		zr_json_str(&j, "number", m.number);
		zr_json_str(&j, "nationality", m.nationality);
		if (zr_mrz_date(m.birth, 1, r->today, &bd) == 0)
			zr_json_str(&j, "birth_date", zr_date_format(bd, d));
		else
			zr_json_null(&j, "birth_date");
		sx[0] = m.sex;
		zr_json_str(&j, "sex", sx);
		if (zr_mrz_date(m.expiry, 0, r->today, &ed) == 0)
			zr_json_str(&j, "expiry_date", zr_date_format(ed, d));
		else
			zr_json_null(&j, "expiry_date");
		zr_json_str(&j, "optional", m.optional);
		zr_json_obj(&j, "check_digits");
		{
			static const char *const k[ZR_MRZ_NFIELDS_] = {
				"number", "birth_date", "expiry_date",
				"optional", "composite"
			};
			for (i = 0; i < ZR_MRZ_NFIELDS_; i++)
				zr_json_bool(&j, k[i], m.check[i].ok);
		}
		zr_json_close_obj(&j);
		zr_json_str(&j, "today", zr_date_format(r->today, d));
		json_report(&j, &rep);
		zr_json_end(&j);
		return 0;
	}
	if (r->o->verbose && !r->o->quiet) {
		char b1[ZR_DATE_BUFSZ], b2[ZR_DATE_BUFSZ];
		fprintf(r->fp, "%s: %s %s, primary %s, secondary %s, number %s, "
		    "nationality %s, born %s, sex %c, expires %s%s\n", subj,
		    m.type, m.issuer, m.primary, m.secondary, m.number,
		    m.nationality,
		    zr_mrz_date(m.birth, 1, r->today, &bd) == 0 ?
		    zr_date_format(bd, b1) : m.birth, m.sex,
		    zr_mrz_date(m.expiry, 0, r->today, &ed) == 0 ?
		    zr_date_format(ed, b2) : m.expiry,
		    m.truncated ? ", name field full" : "");
	}
	if (!r->o->quiet) {
		for (i = 0; i < rep.n; i++) {
			if (rep.f[i].note && !r->o->verbose)
				continue;
			fprintf(r->fp, "%s:%d: %s%s\n", subj, rep.f[i].line,
			    rep.f[i].note ? "note: " : "", rep.f[i].msg);
		}
		if (rep.problems == 0 && r->o->verbose)
			fprintf(r->fp, "%s: ok\n", subj);
	}
	return 0;
}

static int
do_agree(struct run *r)
{
	struct zr_facts **f;
	struct zr_agree_diff *dv = NULL;
	struct zr_error e;
	struct zr_json j;
	size_t i, k, nd = 0, ref = 0;
	int n = r->o->nargs, rc = 0;

	if ((f = calloc((size_t)n, sizeof(*f))) == NULL)
		return zr_cli_fail(ZR_E_NOMEM, NULL, NULL);
	for (i = 0; i < (size_t)n; i++)
		if (zr_facts_load(r->o->args[i], &f[i], &e) < 0) {
			rc = zr_cli_report(&e);
			goto out;
		}
	if (zr_agree_facts(f, (size_t)n, &ref, &dv, &nd, &e) < 0) {
		rc = zr_cli_report(&e);
		goto out;
	}
	if (nd > 0)
		r->rc = ZR_EXIT_PROBLEM;
	if (r->o->json) {
		/* One object per document compared with the reference. */
		for (i = 0; i < (size_t)n; i++) {
			size_t cnt = 0;
			if (i == ref)
				continue;
			zr_json_begin(&j, r->fp);
			zr_json_str(&j, "check", "agree");
			zr_json_str(&j, "file", zr_facts_name(f[i]));
			zr_json_str(&j, "reference", zr_facts_name(f[ref]));
			for (k = 0; k < nd; k++)
				cnt += dv[k].file == i;
			zr_json_status(&j, cnt > 0 ? ZR_JSON_PROBLEM :
			    ZR_JSON_OK);
			zr_json_arr(&j, "problems");
			for (k = 0; k < nd; k++) {
				char msg[512];
				if (dv[k].file != i)
					continue;
				snprintf(msg, sizeof(msg), "%s \"%s\" differs "
				    "from %s:%d \"%s\"", dv[k].key,
				    dv[k].value,
				    zr_facts_name(f[dv[k].ref_file]),
				    dv[k].ref_line, dv[k].ref_value);
				zr_json_finding_open(&j, ZR_E_DIFFERS, msg,
				    zr_facts_name(f[i]), dv[k].line);
				zr_json_str(&j, "key", dv[k].key);
				zr_json_str(&j, "value", dv[k].value);
				zr_json_str(&j, "reference_file",
				    zr_facts_name(f[dv[k].ref_file]));
				zr_json_int(&j, "reference_line",
				    dv[k].ref_line);
				zr_json_str(&j, "reference_value",
				    dv[k].ref_value);
				zr_json_close_obj(&j);
			}
			zr_json_close_arr(&j);
			zr_json_empty_arr(&j, "notes");
			zr_json_end(&j);
		}
		goto out;
	}
	if (!r->o->quiet) {
		for (k = 0; k < nd; k++)
			fprintf(r->fp, "%s:%d: %s \"%s\" differs from %s:%d "
			    "\"%s\"\n", zr_facts_name(f[dv[k].file]),
			    dv[k].line, dv[k].key, dv[k].value,
			    zr_facts_name(f[dv[k].ref_file]), dv[k].ref_line,
			    dv[k].ref_value);
		if (nd == 0 && r->o->verbose)
			fprintf(r->fp, "%d documents agree with %s\n", n,
			    zr_facts_name(f[ref]));
	}
out:
	for (i = 0; i < (size_t)n; i++)
		zr_facts_free(f[i]);
	free(f);
	free(dv);
	return rc;
}

/*
 * --get KEY: one value of a facts file, as it is, on one line (for
 * scripts such as zr-renew, which never parse a facts file themselves).
 * A key the file does not have exits 1 and prints nothing.
 */
static int
do_get(struct run *r)
{
	struct zr_facts *f;
	struct zr_out *out;
	struct zr_error e;
	struct zr_json j;
	const char *v;
	int rc;

	if (zr_facts_load(r->o->facts, &f, &e) < 0)
		return zr_cli_report(&e);
	v = zr_facts_get(f, r->o->get);
	if (zr_out_open(&out, r->o->output, 0, NULL, 0, &e) < 0) {
		zr_facts_free(f);
		return zr_cli_report(&e);
	}
	r->fp = zr_out_file(out);
	if (r->o->json) {
		zr_json_begin(&j, r->fp);
		zr_json_str(&j, "check", "get");
		zr_json_str(&j, "file", zr_facts_name(f));
		zr_json_str(&j, "key", r->o->get);
		zr_json_str(&j, "value", v);
		zr_json_status(&j, v != NULL ? ZR_JSON_OK : ZR_JSON_PROBLEM);
		zr_json_arr(&j, "problems");
		if (v == NULL)
			zr_json_finding(&j, ZR_E_MISSING, "no such key",
			    zr_facts_name(f), 0);
		zr_json_close_arr(&j);
		zr_json_empty_arr(&j, "notes");
		zr_json_end(&j);
	} else if (v != NULL) {
		fprintf(r->fp, "%s\n", v);
	} else if (!r->o->quiet) {
		fprintf(stderr, "%s: %s: no %s\n", zr_cli_prog(),
		    zr_facts_name(f), r->o->get);
	}
	rc = v != NULL ? ZR_EXIT_OK : ZR_EXIT_PROBLEM;
	zr_facts_free(f);
	if (zr_out_commit(out, &e) < 0)
		return zr_cli_report(&e);
	return rc;
}

/* The card's name, birth date, sex and passport number to compare with. */
static int
load_ref(struct run *r)
{
	struct zr_error e;
	const char *v;

	if (r->o->facts != NULL) {
		if (zr_facts_load(r->o->facts, &r->ref.facts, &e) < 0)
			return zr_cli_report(&e);
		r->ref.name = zr_facts_get(r->ref.facts, "name");
		if ((v = zr_facts_get(r->ref.facts, "birth_date")) != NULL &&
		    zr_date_parse(v, &r->ref.birth, NULL) == 0)
			r->ref.have_birth = 1;
		if ((v = zr_facts_get(r->ref.facts, "sex")) != NULL)
			r->ref.sex = v[0];
		r->ref.passport = zr_facts_get(r->ref.facts,
		    "passport_number");
		if (r->ref.name == NULL && r->o->card == NULL &&
		    (r->o->nargs > 0 || (!r->o->mrz && !r->o->card_number &&
		    !r->o->my_number && !r->o->form)))
			return zr_cli_fail(ZR_E_MISSING,
			    zr_facts_name(r->ref.facts),
			    "no name: add \"name = ...\" as on the card");
	}
	if (r->o->card != NULL) {
		if (zr_name_validate(r->o->card, strlen(r->o->card), "--card",
		    &e) < 0)
			return zr_cli_report(&e);
		r->ref.name = r->o->card;
	}
	if (r->o->birth_s != NULL) {
		if (zr_cli_date_arg("--birth-date", r->o->birth_s,
		    &r->ref.birth) < 0)
			return ZR_EXIT_INPUT;
		r->ref.have_birth = 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct run r;
	struct zr_out *out = NULL;
	struct zr_error e;
	const char *inputs[3];
	size_t ninputs = 0;
	int rc = 0, i;

	/* parse, validate */
	zr_cli_init(argv[0]);
	if ((rc = parse_args(argc, argv, &o)) != 0)
		return zr_cli_finish(rc < 0 ? ZR_EXIT_OK : rc);
	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.today = o.cli.today;
	r.rules = o.cli.rules;
	if (o.get != NULL)
		return zr_cli_finish(do_get(&r));
	/* Name rules must exist for the date before any output is made. */
	if ((o.form || o.nargs > 0 || (!o.agree && !o.mrz && !o.card_number &&
	    !o.my_number)) &&
	    zr_rule(ZR_R_NAME_SEPARATOR, r.rules, &e) < 0) {
		snprintf(e.subject, sizeof(e.subject), "--rules-date");
		return zr_cli_report(&e);
	}
	if (!o.agree && (rc = load_ref(&r)) != 0)
		goto done_noout;
	/* Names given as operands are checked before anything is written. */
	for (i = 0; i < o.nargs && !o.agree; i++) {
		char subj[32];
		snprintf(subj, sizeof(subj), "argument %d", i + 1);
		if (zr_name_validate(o.args[i], strlen(o.args[i]), subj,
		    &e) < 0) {
			rc = zr_cli_report(&e);
			goto done_noout;
		}
	}
	if (o.facts != NULL)
		inputs[ninputs++] = o.facts;
	if (o.mrz != NULL)
		inputs[ninputs++] = o.mrz;
	if (o.agree) {
		/* Inputs for the overwrite guard: all facts files. */
		if (zr_out_open(&out, o.output, 0, (const char *const *)o.args,
		    (size_t)o.nargs, &e) < 0) {
			rc = zr_cli_report(&e);
			goto done_noout;
		}
	} else if (zr_out_open(&out, o.output, 0, inputs, ninputs, &e) < 0) {
		rc = zr_cli_report(&e);
		goto done_noout;
	}
	r.fp = zr_out_file(out);

	if (o.agree) {
		rc = do_agree(&r);
		goto done;
	}
	if (o.card_number != NULL && (rc = do_card_number(&r)) != 0)
		goto done;
	if (o.my_number != NULL && (rc = do_my_number(&r)) != 0)
		goto done;
	if (o.mrz != NULL && (rc = do_mrz(&r)) != 0)
		goto done;
	if (o.nargs > 0) {
		for (i = 0; i < o.nargs; i++)
			if ((rc = one_name(&r, o.args[i], strlen(o.args[i]),
			    i + 1, 0)) != 0)
				goto done;
	} else if (o.form && r.ref.name != NULL) {
		/* --form with the card's name: its spelling for the form. */
		rc = one_name(&r, r.ref.name, strlen(r.ref.name), 0, 0);
	} else if (!o.mrz && !o.card_number && !o.my_number) {
		rc = names_from_stdin(&r);
	}
done:
	if (rc != 0) {
		zr_out_abort(out);
	} else if (zr_out_commit(out, &e) < 0) {
		rc = zr_cli_report(&e);
	}
	rc = rc != 0 ? rc : r.rc;
done_noout:
	zr_facts_free(r.ref.facts);
	return zr_cli_finish(rc);
}
