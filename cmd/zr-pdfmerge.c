/* zr-pdfmerge: scans and PDFs into one upload that fits the portal, and checks. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zairyu/pdf.h"
#include "zairyu/photo.h"
#include "zairyu/preview.h"
#include "zr_cli.h"

struct opts {
	struct zr_cli cli;
	int check, json, quiet, verbose, keep_metadata;
	const char *output, *list, *rules_s, *page, *preview, *get;
	long long max_size, reserve;
	int have_max, floor_dpi, floor_q, password_fd;
	const char **titles;
	size_t ntitles;
	char **files;
	size_t nfiles;
};

enum {
	OPT_MAX = 256, OPT_RESERVE, OPT_FLOOR, OPT_PAGE, OPT_PWFD,
	OPT_TITLE, OPT_LIST, OPT_PREVIEW, OPT_KEEPMETA, OPT_GET
};

/* The keys of --preview --get: the per-page values of the --json object
 * (zr-pdfmerge(1), --get). */
static const char *const get_keys[] = { "file", "page", "pages", "width",
	"height", "width_mm", "height_mm", "source", NULL };

static void
usage(FILE *fp)
{
	fputs("usage: zr-pdfmerge [-qv] [--json] -o file [--max-size size] "
	    "[--reserve bytes]\n"
	    "                   [--floor dpi[,quality]] [--page auto|a4|image] "
	    "[--title title ...]\n"
	    "                   [--password-fd fd] [--rules-date date] "
	    "[--keep-metadata]\n"
	    "                   [--list file] [file ...]\n"
	    "       zr-pdfmerge -c [-qv] [--json] [-o file] [--reserve bytes] "
	    "[--password-fd fd]\n"
	    "                   [--today date] [--rules-date date] file ...\n"
	    "       zr-pdfmerge --preview dir [-q] [--json | --get key[,key...]] "
	    "[-o file]\n"
	    "                   [--password-fd fd] file\n"
	    "       zr-pdfmerge -h | -V\n", fp);
}

static int
parse_int(const char *opt, const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
		return zr_cli_usage_error(usage, "%s: \"%s\" is not a number "
		    "from %d to %d", opt, s, lo, hi) ? -1 : -1;
	*out = (int)v;
	return 0;
}

static int
parse_floor(const char *s, struct opts *o)
{
	char buf[64], *comma;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((comma = strchr(buf, ',')) != NULL)
		*comma++ = '\0';
	if (parse_int("--floor", buf, 50, 1200, &o->floor_dpi) < 0)
		return -1;
	if (comma != NULL && parse_int("--floor", comma, 10, 100,
	    &o->floor_q) < 0)
		return -1;
	return 0;
}

static int
add_file(struct opts *o, const char *path)
{
	char **nf = realloc(o->files, (o->nfiles + 1) * sizeof(*nf));

	if (nf == NULL || (nf[o->nfiles] = strdup(path)) == NULL)
		return zr_cli_fail(ZR_E_NOMEM, NULL, NULL) ? -1 : -1;
	o->files = nf;
	o->nfiles++;
	return 0;
}

static int
on_opt(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;
	const char **nt;

	switch (c) {
	case 'c':
		o->check = 1;
		break;
	case OPT_FLOOR:
		if (parse_floor(arg, o) < 0)
			return ZR_EXIT_INPUT;
		break;
	case OPT_GET:
		if (zr_cli_keys_ok(arg, get_keys) < 0)
			return zr_cli_usage_error(usage, "--get: not keys of "
			    "a --preview page: \"%s\"", arg);
		o->get = arg;
		break;
	case OPT_KEEPMETA:
		o->keep_metadata = 1;
		break;
	case OPT_LIST:
		o->list = arg;
		break;
	case OPT_MAX:
		if (zr_cli_size_arg("--max-size", arg, &o->max_size) < 0)
			return ZR_EXIT_INPUT;
		o->have_max = 1;
		break;
	case OPT_PAGE:
		if (strcmp(arg, "auto") != 0 && strcmp(arg, "a4") != 0 &&
		    strcmp(arg, "image") != 0)
			return zr_cli_usage_error(usage, "--page: \"%s\": use "
			    "auto, a4 or image", arg);
		o->page = arg;
		break;
	case OPT_PREVIEW:
		o->preview = arg;
		break;
	case OPT_PWFD:
		if (parse_int("--password-fd", arg, 0, 1 << 20,
		    &o->password_fd) < 0)
			return ZR_EXIT_INPUT;
		break;
	case OPT_RESERVE:
		if (zr_cli_size_arg("--reserve", arg, &o->reserve) < 0)
			return ZR_EXIT_INPUT;
		break;
	case OPT_TITLE:
		nt = realloc(o->titles, (o->ntitles + 1) * sizeof(*nt));
		if (nt == NULL)
			return zr_cli_fail(ZR_E_NOMEM, NULL, NULL);
		o->titles = nt;
		o->titles[o->ntitles++] = arg;
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
		{ "check", no_argument, NULL, 'c' },
		{ "floor", required_argument, NULL, OPT_FLOOR },
		{ "get", required_argument, NULL, OPT_GET },
		{ "keep-metadata", no_argument, NULL, OPT_KEEPMETA },
		{ "list", required_argument, NULL, OPT_LIST },
		{ "max-size", required_argument, NULL, OPT_MAX },
		{ "page", required_argument, NULL, OPT_PAGE },
		{ "password-fd", required_argument, NULL, OPT_PWFD },
		{ "preview", required_argument, NULL, OPT_PREVIEW },
		{ "reserve", required_argument, NULL, OPT_RESERVE },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ NULL, 0, NULL, 0 }
	};
	static const struct zr_cli_spec spec = { "c", lo, on_opt, usage };
	int rc;

	memset(o, 0, sizeof(*o));
	o->reserve = -1;
	o->password_fd = -1;
	if ((rc = zr_cli_parse(&o->cli, &spec, o, argc, argv, &optind)) >= 0)
		return rc == 0 ? -1 : rc;
	o->json = o->cli.json;
	o->quiet = o->cli.quiet;
	o->verbose = o->cli.verbose;
	o->output = o->cli.output;
	o->rules_s = o->cli.rules_arg;
	for (; optind < argc; optind++)
		if (add_file(o, argv[optind]) < 0)
			return ZR_EXIT_INPUT;
	if (o->preview != NULL) {
		/* The common options all apply (zairyu(7)): -o names
		 * where the page lines go; --rules-date, --today and -v
		 * change nothing here. */
		if (o->check || o->list != NULL ||
		    o->have_max || o->ntitles > 0 || o->page != NULL ||
		    o->floor_dpi > 0 || o->reserve >= 0)
			return zr_cli_usage_error(usage, "--preview renders one "
			    "PDF; merge and check options do not apply");
		if (o->nfiles != 1)
			return zr_cli_usage_error(usage, "--preview takes one "
			    "PDF file");
		if (o->get != NULL && o->json)
			return zr_cli_usage_error(usage, "--json and --get: "
			    "give one");
		return 0;
	}
	if (o->get != NULL)
		return zr_cli_usage_error(usage, "--get goes with --preview");
	if (o->check) {
		/* -o names where the report goes. */
		if (o->list != NULL || o->have_max ||
		    o->ntitles > 0 || o->page != NULL || o->floor_dpi > 0)
			return zr_cli_usage_error(usage, "-c checks files; "
			    "merge options do not apply");
		if (o->nfiles == 0)
			return zr_cli_usage_error(usage, "no files to check");
		return 0;
	}
	if (o->output == NULL)
		return zr_cli_usage_error(usage, "-o file is required (-o - for "
		    "standard output)");
	if (o->nfiles == 0 && o->list == NULL)
		return zr_cli_usage_error(usage, "no input files");
	return 0;
}

/* --list: one path per line, optionally TAB and an outline title. */
static int
read_list(struct opts *o, char ***titles)
{
	unsigned char *buf;
	char *line, *next, *tab;
	size_t len, n = 0, i;
	struct zr_error e;
	char **t = NULL, **nt;

	if (zr_read_file(o->list, 4 * 1024 * 1024, &buf, &len, &e) < 0)
		return zr_cli_report(&e) ? -1 : -1;
	for (line = (char *)buf; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		i = strlen(line);
		if (i > 0 && line[i - 1] == '\r')
			line[--i] = '\0';
		if (i == 0)
			continue;
		tab = strchr(line, '\t');
		if (tab != NULL)
			*tab++ = '\0';
		if (add_file(o, line) < 0)
			break;
		nt = realloc(t, (o->nfiles) * sizeof(*nt));
		if (nt == NULL)
			break;
		t = nt;
		for (; n < o->nfiles - 1; n++)
			t[n] = NULL;
		t[n++] = tab != NULL && *tab != '\0' ? strdup(tab) : NULL;
	}
	free(buf);
	*titles = t;
	return (int)n;
}

/* The --password-fd secret: static, so that no copy is left on the stack,
 * and wiped on every way out (main, and atexit for any other exit). */
static struct zr_secret password;

static void
wipe_pw(void)
{
	zr_secret_wipe(&password);
}

/* The password for protected inputs, read from a descriptor so that it
 * never shows in the process list: the library's reader (one line, byte
 * by byte, wiped on error, longer than ZR_SECRET_MAX refused, never
 * cut).  The descriptor is an input like any file (zairyu(7)). */
static int
read_password(int fd, struct zr_secret *pw)
{
	struct zr_error e;
	char name[32];

	snprintf(name, sizeof(name), "--password-fd %d", fd);
	if (zr_input_note_fd(fd, name, &e) < 0 ||
	    zr_secret_read_fd(fd, pw, &e) < 0) {
		zr_secret_wipe(pw);
		snprintf(e.subject, sizeof(e.subject), "%s", name);
		return zr_cli_report(&e);
	}
	return 0;
}

static const char *
kind_name(enum zr_pdf_kind k)
{
	return k == ZR_PDF_IN_JPEG ? "jpeg" : k == ZR_PDF_IN_PNG ? "png" :
	    k == ZR_PDF_IN_TIFF ? "tiff" : "pdf";
}

static void
print_summary(FILE *fp, const struct opts *o, const struct zr_pdf_input *in,
    const struct zr_pdf_result *r)
{
	size_t i;

	fprintf(fp, "%s: %d page%s, %lld -> %lld bytes", zr_display_name(
	    strcmp(o->output, "-") == 0 ? "-" : o->output), r->pages,
	    r->pages == 1 ? "" : "s", r->bytes_in, r->bytes_out);
	if (r->budget > 0)
		fprintf(fp, " (budget %lld)", r->budget);
	if (r->level_dpi > 0)
		fprintf(fp, "; images at most %d dpi, JPEG quality %d",
		    r->level_dpi, r->level_quality);
	else
		fprintf(fp, "; images kept");
	fputc('\n', fp);
	for (i = 0; i < r->ninputs; i++) {
		const struct zr_pdf_input_report *p = &r->inputs[i];

		fprintf(fp, "  %s: %s, page%s %d", zr_display_name(in[i].path),
		    kind_name(p->kind), p->pages > 1 ? "s" : "",
		    p->first_page);
		if (p->pages > 1)
			fprintf(fp, "-%d", p->first_page + p->pages - 1);
		fprintf(fp, ", %lld bytes, images %lld -> %lld bytes",
		    p->bytes_in, p->image_bytes_in, p->image_bytes_out);
		if (p->images_recoded > 0)
			fprintf(fp, ", %d of %d re-encoded (%d gray)",
			    p->images_recoded, p->images, p->images_gray);
		if (p->min_dpi > 0)
			fprintf(fp, ", lowest %d dpi", p->min_dpi);
		fputc('\n', fp);
	}
}

static void
json_merge(const struct opts *o, const struct zr_pdf_input *in,
    const struct zr_pdf_result *r, const struct zr_error *e)
{
	struct zr_json j;
	size_t i;

	zr_json_begin(&j, stdout);
	zr_json_str(&j, "output", o->output);
	zr_json_status(&j, e != NULL ? ZR_JSON_PROBLEM : ZR_JSON_OK);
	zr_json_arr(&j, "problems");
	if (e != NULL)
		zr_json_error(&j, e);
	zr_json_close_arr(&j);
	zr_json_int(&j, "pages", r->pages);
	zr_json_int(&j, "bytes_in", r->bytes_in);
	zr_json_int(&j, "bytes_out", r->bytes_out);
	zr_json_int(&j, "budget", r->budget);
	zr_json_int(&j, "dpi", r->level_dpi);
	zr_json_int(&j, "quality", r->level_quality);
	zr_json_int(&j, "flate_recompressed", r->flate_recompressed);
	/* The library's notes carry no code of their own yet: "note". */
	zr_json_arr(&j, "notes");
	for (i = 0; i < r->nnotes; i++)
		zr_json_finding(&j, ZR_E_NOTE, r->notes[i], NULL, 0);
	zr_json_close_arr(&j);
	zr_json_arr(&j, "inputs");
	for (i = 0; i < r->ninputs; i++) {
		const struct zr_pdf_input_report *p = &r->inputs[i];

		zr_json_obj(&j, NULL);
		zr_json_str(&j, "file", in[i].path);
		zr_json_str(&j, "kind", kind_name(p->kind));
		zr_json_int(&j, "pages", p->pages);
		zr_json_int(&j, "first_page", p->first_page);
		zr_json_int(&j, "bytes_in", p->bytes_in);
		zr_json_int(&j, "image_bytes_in", p->image_bytes_in);
		zr_json_int(&j, "image_bytes_out", p->image_bytes_out);
		zr_json_int(&j, "images", p->images);
		zr_json_int(&j, "images_recoded", p->images_recoded);
		zr_json_int(&j, "images_gray", p->images_gray);
		zr_json_int(&j, "min_dpi", p->min_dpi);
		zr_json_close_obj(&j);
	}
	zr_json_close_arr(&j);
	zr_json_end(&j);
}

static long long
source_date_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < 0 || v > 253402300799LL) {
		zr_cli_warn("SOURCE_DATE_EPOCH=\"%s\" ignored: not a number of "
		    "seconds", s);
		return -1;
	}
	return v;
}

static int
do_merge(struct opts *o, const struct zr_pdf_limits *lim, const char *pw)
{
	struct zr_pdf_input *in;
	struct zr_pdf_opts po;
	struct zr_pdf_result r;
	struct zr_error e;
	struct zr_out *out;
	struct stat st;
	char **ltitles = NULL;
	const char **paths;
	int nlt = 0, rc;
	size_t i, nargs = o->nfiles;
	FILE *sum = strcmp(o->output, "-") == 0 ? stderr : stdout;

	if (o->list != NULL && (nlt = read_list(o, &ltitles)) < 0)
		return ZR_EXIT_INPUT;
	if (o->nfiles == 0)
		return zr_cli_usage_error(usage, "no input files");
	if (o->json && strcmp(o->output, "-") == 0)
		return zr_cli_usage_error(usage, "--json writes to standard "
		    "output: give -o a file");
	in = calloc(o->nfiles, sizeof(*in));
	paths = calloc(o->nfiles, sizeof(*paths));
	if (in == NULL || paths == NULL)
		return zr_cli_fail(ZR_E_NOMEM, NULL, NULL);
	/* --title values go to the inputs in order; --list lines may carry
	 * their own after a TAB. */
	for (i = 0; i < o->nfiles; i++) {
		in[i].path = paths[i] = o->files[i];
		if (i < o->ntitles)
			in[i].title = o->titles[i];
		if (i >= nargs && (int)(i - nargs) < nlt &&
		    ltitles[i - nargs] != NULL && i >= o->ntitles)
			in[i].title = ltitles[i - nargs];
	}
	memset(&po, 0, sizeof(po));
	po.max_bytes = o->have_max ? o->max_size :
	    zr_pdf_default_budget(lim, o->reserve);
	po.floor_dpi = o->floor_dpi;
	po.floor_quality = o->floor_q;
	po.page_mode = o->page == NULL || strcmp(o->page, "auto") == 0 ?
	    ZR_PDF_PAGE_AUTO : strcmp(o->page, "a4") == 0 ? ZR_PDF_PAGE_A4 :
	    ZR_PDF_PAGE_IMAGE;
	po.password = pw;
	po.source_date_epoch = source_date_epoch();
	po.self_check = 1;
	po.keep_metadata = o->keep_metadata;
	/* The output opened first: a file named by -o gets the PDF from the
	 * library straight into its temporary file (not read back, not
	 * written twice), renamed into place only when all went well;
	 * standard output gets the bytes after the merge. */
	if (zr_out_open(&out, o->output, 1, paths, o->nfiles, &e) < 0) {
		rc = zr_cli_report(&e);
		goto done;
	}
	if (strcmp(o->output, "-") != 0 &&
	    fstat(fileno(zr_out_file(out)), &st) == 0 && S_ISREG(st.st_mode))
		po.out = zr_out_file(out);
	rc = zr_pdf_merge(in, o->nfiles, &po, &r, &e);
	/* Warnings about damaged input are said even with -q. */
	for (i = 0; i < r.nnotes; i++)
		if (!o->quiet || strstr(r.notes[i], ": warning: ") != NULL)
			fprintf(stderr, "%s: %s\n", zr_cli_prog(), r.notes[i]);
	if (rc < 0) {
		zr_out_abort(out);
		if (o->json && e.code == ZR_E_NO_FIT) {
			/* The full object says it: not a second one. */
			json_merge(o, in, &r, &e);
			zr_cli_json_errors(0);
		}
		rc = zr_cli_report(&e);
	} else if ((po.out != NULL ? zr_out_commit(out, &e) :
	    zr_out_write_commit(out, r.pdf, r.pdf_len, &e)) < 0)
		rc = zr_cli_report(&e);
	else {
		rc = 0;
		if (o->json)
			json_merge(o, in, &r, NULL);
		else if (!o->quiet)
			print_summary(sum, o, in, &r);
	}
	zr_pdf_result_free(&r);
done:
	for (i = 0; i < (size_t)nlt; i++)
		free(ltitles[i]);
	free(ltitles);
	free(in);
	free(paths);
	return rc;
}

static void
json_check(FILE *fp, const struct zr_pdf_check_result *r,
    const struct zr_pdf_limits *lim)
{
	struct zr_json j;
	size_t i, k;
	int p;

	for (i = 0; i < r->nfiles; i++) {
		const struct zr_pdf_check_file *f = &r->files[i];
		int viol = 0;

		for (k = 0; k < f->nproblems; k++)
			viol += f->problems[k].severity == ZR_PDF_VIOLATION;
		zr_json_begin(&j, fp);
		zr_json_str(&j, "file", f->path);
		zr_json_status(&j, viol ? ZR_JSON_PROBLEM : ZR_JSON_OK);
		/* Violations are problems; warnings are notes. */
		for (int pass = 0; pass < 2; pass++) {
			zr_json_arr(&j, pass == 0 ? "problems" : "notes");
			for (k = 0; k < f->nproblems; k++)
				if ((f->problems[k].severity ==
				    ZR_PDF_VIOLATION) == (pass == 0))
					zr_json_finding_id(&j,
					    f->problems[k].code,
					    f->problems[k].msg, f->path, 0);
			zr_json_close_arr(&j);
		}
		zr_json_bool(&j, "pdf", f->is_pdf);
		zr_json_int(&j, "bytes", f->bytes);
		zr_json_int(&j, "pages", f->pages);
		zr_json_bool(&j, "encrypted", f->encrypted);
		zr_json_bool(&j, "restricted", f->restricted);
		zr_json_int(&j, "javascript", f->javascript);
		zr_json_int(&j, "embedded_files", f->embedded_files);
		zr_json_int(&j, "min_dpi", f->min_dpi);
		zr_json_int(&j, "min_dpi_page", f->min_dpi_page);
		zr_json_arr(&j, "page_sizes");
		for (p = 0; p < f->pages && f->page != NULL; p++) {
			zr_json_obj(&j, NULL);
			zr_json_int(&j, "width_mm", (long long)(
			    f->page[p].width_pt * 25.4 / 72 + 0.5));
			zr_json_int(&j, "height_mm", (long long)(
			    f->page[p].height_pt * 25.4 / 72 + 0.5));
			zr_json_int(&j, "min_dpi", f->page[p].min_dpi);
			zr_json_close_obj(&j);
		}
		zr_json_close_arr(&j);
		zr_json_end(&j);
	}
	zr_json_begin(&j, fp);
	zr_json_str(&j, "file", NULL);
	zr_json_status(&j, r->violations ? ZR_JSON_PROBLEM : ZR_JSON_OK);
	zr_json_arr(&j, "problems");
	for (k = 0; k < r->nproblems; k++)
		zr_json_finding_id(&j, r->problems[k].code,
		    r->problems[k].msg, NULL, 0);
	zr_json_close_arr(&j);
	zr_json_empty_arr(&j, "notes");
	zr_json_int(&j, "files", (long long)r->nfiles);
	zr_json_int(&j, "total_bytes", r->total_bytes);
	zr_json_int(&j, "max_files", lim->max_files);
	zr_json_int(&j, "max_file_bytes", lim->max_file_bytes);
	zr_json_int(&j, "max_total_bytes", lim->max_total_bytes);
	zr_json_int(&j, "violations", r->violations);
	zr_json_int(&j, "warnings", r->warnings);
	zr_json_end(&j);
}

static int
do_check(struct opts *o, const struct zr_pdf_limits *lim, const char *pw)
{
	struct zr_pdf_check_opts co;
	struct zr_pdf_check_result r;
	struct zr_photo_profile prof;
	struct zr_error e;
	struct zr_out *out;
	FILE *fp;
	size_t i, k, nphoto;
	int apart;
	int viol;

	memset(&co, 0, sizeof(co));
	co.limits = *lim;
	co.reserve = o->reserve;
	co.password = pw;
	/* The photo with zr-photo's checks: its "isa" profile for the
	 * rules date (rules-facts §1.2). */
	if (zr_photo_profile("isa", o->cli.rules, &prof, &e) != 0)
		return zr_cli_report(&e);
	co.photo = &prof;
	co.today = o->cli.today;
	/* The report to -o FILE (atomic, never one of the files checked),
	 * else to standard output. */
	if (zr_out_open(&out, o->output, 0, (const char *const *)o->files,
	    o->nfiles, &e) < 0)
		return zr_cli_report(&e);
	fp = zr_out_file(out);
	if (zr_pdf_check((const char *const *)o->files, o->nfiles, &co, &r,
	    &e) < 0) {
		zr_pdf_check_free(&r);
		zr_out_abort(out);
		return zr_cli_report(&e);
	}
	if (o->json)
		json_check(fp, &r, lim);
	else {
		for (i = 0; i < r.nfiles; i++) {
			const struct zr_pdf_check_file *f = &r.files[i];

			for (k = 0, viol = 0; k < f->nproblems; k++)
				viol += f->problems[k].severity ==
				    ZR_PDF_VIOLATION;
			if (!o->quiet || f->nproblems > 0) {
				fprintf(fp, "%s: %s, %lld bytes", f->path,
				    viol ? "problem" : "ok", f->bytes);
				if (f->is_pdf)
					fprintf(fp, ", %d page%s", f->pages,
					    f->pages == 1 ? "" : "s");
				else if (f->is_photo)
					fprintf(fp, ", the photo");
				else
					fprintf(fp, ", %s", f->kind ==
					    ZR_PDF_IN_PNG ? "a PNG image" :
					    f->kind == ZR_PDF_IN_TIFF ?
					    "a TIFF image" : "a JPEG image");
				if (f->min_dpi > 0)
					fprintf(fp, ", lowest image %d dpi (page "
					    "%d)", f->min_dpi, f->min_dpi_page);
				fputc('\n', fp);
			}
			for (k = 0; k < f->nproblems; k++)
				fprintf(fp, "  %s: %s\n", f->problems[k].severity ==
				    ZR_PDF_VIOLATION ? "violation" : "warning",
				    f->problems[k].msg);
		}
		/* On the old system the photo is an upload of its own: name
		 * it apart from the attachments the limits count. */
		for (i = 0, nphoto = 0; i < r.nfiles; i++)
			nphoto += r.files[i].is_photo ? 1u : 0u;
		apart = !lim->total_includes_photo && nphoto == 1;
		if (!o->quiet || r.nproblems > 0)
			fprintf(fp, "total: %zu file%s%s, %lld bytes (limits: %ld "
			    "file%s, %lld bytes each, %lld in total%s): %s\n",
			    r.nfiles - (size_t)apart, r.nfiles - (size_t)apart
			    == 1 ? "" : "s", apart ? " and the photo" : "",
			    r.total_bytes,
			    lim->max_files, lim->max_files == 1 ? "" : "s",
			    lim->max_file_bytes, lim->max_total_bytes,
			    lim->total_includes_photo ? " with the photo" : "",
			    r.violations ? "problem" : "ok");
		for (k = 0; k < r.nproblems; k++)
			fprintf(fp, "  violation: %s\n", r.problems[k].msg);
	}
	viol = r.violations;
	zr_pdf_check_free(&r);
	if (zr_out_commit(out, &e) < 0)
		return zr_cli_report(&e);
	return viol ? ZR_EXIT_PROBLEM : ZR_EXIT_OK;
}

/* --get KEY[,KEY...] for one page: each value on a line of its own, an
 * empty line for a page under no bookmark; a control character of a
 * bookmark title is printed as a space, so one value is one line. */
static void
print_get(FILE *fp, const char *list, const char *path, const struct zr_preview_page *p,
    int npages)
{
	const char *k, *s;
	size_t n;

	while ((k = zr_cli_key_next(&list, &n)) != NULL) {
		if (zr_cli_key_is(k, n, "file"))
			fputs(path, fp);
		else if (zr_cli_key_is(k, n, "page"))
			fprintf(fp, "%d", p->page);
		else if (zr_cli_key_is(k, n, "pages"))
			fprintf(fp, "%d", npages);
		else if (zr_cli_key_is(k, n, "width"))
			fprintf(fp, "%d", p->width);
		else if (zr_cli_key_is(k, n, "height"))
			fprintf(fp, "%d", p->height);
		else if (zr_cli_key_is(k, n, "width_mm"))
			fprintf(fp, "%lld", (long long)(p->width_pt * 25.4 / 72 +
			    0.5));
		else if (zr_cli_key_is(k, n, "height_mm"))
			fprintf(fp, "%lld", (long long)(p->height_pt * 25.4 / 72 +
			    0.5));
		else if (zr_cli_key_is(k, n, "source"))
			for (s = p->source; s != NULL && *s != '\0'; s++)
				fputc((unsigned char)*s < 0x20 ||
				    *s == 0x7f ? ' ' : *s, fp);
		fputc('\n', fp);
	}
}

/* --preview DIR: DIR/page-001.png ... and DIR/contact.png, each written
 * whole or not at all; pages left from a longer earlier preview go. */
static int
do_preview(const struct opts *o, const char *pw)
{
	struct zr_preview_opts po;
	struct zr_preview pv;
	struct zr_error e;
	struct zr_json j;
	struct zr_out *out = NULL;
	FILE *fp;
	unsigned char *buf = NULL;
	const char *in[1];
	char path[PATH_MAX];
	size_t len;
	int i, rc = 2;

	in[0] = o->files[0];
	/* The page lines, objects or values to -o FILE (atomic, never the
	 * PDF), else to standard output. */
	if (zr_out_open(&out, o->output, 0, in, 1, &e) < 0)
		return zr_cli_report(&e);
	fp = zr_out_file(out);
	memset(&pv, 0, sizeof(pv));
	if (zr_read_file(o->files[0], (size_t)ZR_PREVIEW_MAX_BYTES + 1, &buf,
	    &len, &e) < 0) {
		rc = zr_cli_report(&e);
		goto out;
	}
	memset(&po, 0, sizeof(po));
	po.password = pw;
	if (zr_pdf_preview(buf, len, zr_display_name(o->files[0]), &po, &pv,
	    &e) < 0) {
		rc = zr_cli_report(&e);
		goto out;
	}
	/* The folder only once the pages are there: nothing on error. */
	if (mkdir(o->preview, 0777) < 0 && errno != EEXIST) {
		rc = zr_cli_fail(ZR_E_IO, o->preview, "cannot create the "
		    "folder: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i <= pv.npages; i++) {
		const unsigned char *png = i < pv.npages ? pv.pages[i].png :
		    pv.sheet;
		size_t plen = i < pv.npages ? pv.pages[i].png_len :
		    pv.sheet_len;

		if (i < pv.npages)
			snprintf(path, sizeof(path), "%s/page-%03d.png",
			    o->preview, i + 1);
		else
			snprintf(path, sizeof(path), "%s/contact.png",
			    o->preview);
		if (zr_write_file(path, png, plen, 1, in, 1, &e) < 0) {
			rc = zr_cli_report(&e);
			goto out;
		}
	}
	for (i = pv.npages + 1; i <= ZR_PREVIEW_MAX_PAGES; i++) {
		snprintf(path, sizeof(path), "%s/page-%03d.png", o->preview, i);
		if (unlink(path) < 0)
			break;
	}
	/* -q: no page lines, but the --json objects or the --get values (the
	 * job when asked). */
	for (i = 0; i < pv.npages && (!o->quiet || o->json ||
	    o->get != NULL); i++) {
		const struct zr_preview_page *p = &pv.pages[i];

		snprintf(path, sizeof(path), "%s/page-%03d.png", o->preview,
		    p->page);
		if (o->get != NULL) {
			print_get(fp, o->get, path, p, pv.npages);
		} else if (o->json) {
			zr_json_begin(&j, fp);
			zr_json_str(&j, "file", path);
			zr_json_status(&j, ZR_JSON_OK);
			zr_json_empty_arr(&j, "problems");
			zr_json_empty_arr(&j, "notes");
			zr_json_int(&j, "page", p->page);
			zr_json_int(&j, "pages", pv.npages);
			zr_json_int(&j, "width", p->width);
			zr_json_int(&j, "height", p->height);
			zr_json_int(&j, "width_mm", (long long)(p->width_pt *
			    25.4 / 72 + 0.5));
			zr_json_int(&j, "height_mm", (long long)(p->height_pt *
			    25.4 / 72 + 0.5));
			zr_json_str(&j, "source", p->source);
			zr_json_end(&j);
		} else
			fprintf(fp, "%s: page %d of %d, %dx%d, from %s\n", path,
			    p->page, pv.npages, p->width, p->height,
			    p->source != NULL ? p->source : "(no outline)");
	}
	if (!o->quiet && !o->json && o->get == NULL)
		fprintf(fp, "%s/contact.png: %d page%s, %dx%d\n", o->preview,
		    pv.npages, pv.npages == 1 ? "" : "s", pv.sheet_w,
		    pv.sheet_h);
	if (zr_out_commit(out, &e) < 0)
		rc = zr_cli_report(&e);
	else
		rc = ZR_EXIT_OK;
	out = NULL;
out:
	if (out != NULL)
		zr_out_abort(out);
	zr_pdf_preview_free(&pv);
	free(buf);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct zr_pdf_limits lim;
	struct zr_date rules;
	struct zr_error e;
	const char *pwp = NULL;
	size_t i;
	int rc;

	/* parse, validate */
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
	/* The merge's two worker threads take turns with large image
	 * buffers: with one malloc arena each reuses what the other freed,
	 * instead of two heaps that each grow to the largest (issue 14:
	 * peak memory). */
	mallopt(M_ARENA_MAX, 1);
#endif
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	/* ... and the page-sized buffers (a decoded page is 6-26 MB) come
	 * from that heap and go back to it, instead of being mapped and
	 * unmapped each time, each of their pages faulted in and cleared
	 * again (about a third of the system time; the peak is the same). */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
#endif
	zr_cli_init(argv[0]);
	if ((rc = parse_args(argc, argv, &o)) != 0)
		return zr_cli_finish(rc < 0 ? ZR_EXIT_OK : rc);
	rules = o.cli.rules;
	if (zr_pdf_limits_at(rules, &lim, &e) < 0)
		return zr_cli_report(&e);
	if (o.password_fd >= 0) {
		atexit(wipe_pw);
		if ((rc = read_password(o.password_fd, &password)) != 0)
			return zr_cli_finish(rc);
		pwp = password.buf;
	}
	rc = o.preview != NULL ? do_preview(&o, pwp) : o.check ?
	    do_check(&o, &lim, pwp) : do_merge(&o, &lim, pwp);
	zr_secret_wipe(&password);
	for (i = 0; i < o.nfiles; i++)
		free(o.files[i]);
	free(o.files);
	free(o.titles);
	return zr_cli_finish(rc);
}
