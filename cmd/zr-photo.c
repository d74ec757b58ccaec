/* zr-photo: the application photo or signature image, best quality under the cap. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/photo.h"
#include "zr_cli.h"

/* No input of ours is near this: a 24 MP phone JPEG is about 10 MB. */
#define READ_CAP ((size_t)128 * 1024 * 1024)

struct opts {
	struct zr_cli cli;
	int check, json, quiet, verbose;
	const char *profile, *output, *input, *preview, *get;
	long long max_bytes;
	int size_w, size_h, aspect_w, aspect_h;
	int crop_x, crop_y, crop_w, crop_h, have_crop;
};

static void
usage(FILE *fp)
{
	fputs("usage: zr-photo [-qv] [--json] [--profile name] "
	    "[--max-bytes n] [--size WxH]\n"
	    "                [--aspect W:H] [--crop X,Y,W,H] "
	    "[--preview file.png]\n"
	    "                [--rules-date date] [--today date] [-o file] "
	    "file\n"
	    "       zr-photo --check [-qv] [--json | --get key[,key...]] "
	    "[--profile name]\n"
	    "                [--max-bytes n] [--size WxH] [--aspect W:H] "
	    "[--rules-date date]\n"
	    "                [--today date] [-o file] file\n"
	    "       zr-photo -h | -V\n", fp);
}

/* "600x730" (sep 'x') or "3:4" (sep ':'): two positive numbers. */
static int
parse_pair(const char *opt, const char *s, int sep, int *a, int *b)
{
	char *end;
	long x, y;

	x = strtol(s, &end, 10);
	if (end == s || *end != sep || s[0] < '0' || s[0] > '9')
		goto bad;
	s = end + 1;
	y = strtol(s, &end, 10);
	if (end == s || *end != '\0' || s[0] < '0' || s[0] > '9')
		goto bad;
	if (x < 1 || y < 1 || x > 20000 || y > 20000)
		goto bad;
	*a = (int)x;
	*b = (int)y;
	return 0;
bad:
	zr_cli_usage_error(usage, "%s: \"%s\" is not two numbers 1..20000 "
	    "like %s", opt, s, sep == 'x' ? "600x730" : "3:4");
	return -1;
}

static int
parse_crop(const char *s, struct opts *o)
{
	long v[4];
	const char *p = s;
	char *end;

	for (int i = 0; i < 4; i++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v[i] = strtol(p, &end, 10);
		if (v[i] < 0 || v[i] > 1000000 || *end != (i < 3 ? ',' : '\0'))
			goto bad;
		p = end + 1;
	}
	if (v[2] < 1 || v[3] < 1)
		goto bad;
	o->crop_x = (int)v[0];
	o->crop_y = (int)v[1];
	o->crop_w = (int)v[2];
	o->crop_h = (int)v[3];
	o->have_crop = 1;
	return 0;
bad:
	zr_cli_usage_error(usage, "--crop: \"%s\" is not X,Y,W,H in pixels "
	    "(like 100,50,900,1200)", s);
	return -1;
}

enum {
	OPT_CHECK = 256, OPT_PROFILE, OPT_MAXB, OPT_SIZE, OPT_ASPECT, OPT_CROP,
	OPT_PREVIEW, OPT_GET
};

/* The keys of --check --get: values of the --json object (zr-photo(1)).
 * Only status needs the whole check; the others come from the file's
 * headers and the profile. */
static const char *const get_keys[] = { "file", "profile", "status",
	"format", "width", "height", "bytes", "max_bytes", "taken", "gps",
	NULL };

static int
on_opt(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;

	switch (c) {
	case OPT_ASPECT:
		if (parse_pair("--aspect", arg, ':', &o->aspect_w,
		    &o->aspect_h) != 0)
			return ZR_EXIT_INPUT;
		break;
	case OPT_CHECK:
		o->check = 1;
		break;
	case OPT_GET:
		if (zr_cli_keys_ok(arg, get_keys) < 0)
			return zr_cli_usage_error(usage, "--get: not keys of "
			    "the check: %s", arg);
		o->get = arg;
		break;
	case OPT_CROP:
		if (parse_crop(arg, o) != 0)
			return ZR_EXIT_INPUT;
		break;
	case OPT_MAXB:
		if (zr_cli_size_arg("--max-bytes", arg, &o->max_bytes) != 0)
			return ZR_EXIT_INPUT;
		if (o->max_bytes < 1000)
			return zr_cli_usage_error(usage, "--max-bytes: %lld is "
			    "too small (at least 1000)", o->max_bytes);
		break;
	case OPT_PREVIEW:
		o->preview = arg;
		break;
	case OPT_PROFILE:
		o->profile = arg;
		break;
	case OPT_SIZE:
		if (parse_pair("--size", arg, 'x', &o->size_w, &o->size_h) != 0)
			return ZR_EXIT_INPUT;
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
		{ "aspect", required_argument, NULL, OPT_ASPECT },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "crop", required_argument, NULL, OPT_CROP },
		{ "get", required_argument, NULL, OPT_GET },
		{ "max-bytes", required_argument, NULL, OPT_MAXB },
		{ "preview", required_argument, NULL, OPT_PREVIEW },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ NULL, 0, NULL, 0 }
	};
	static const struct zr_cli_spec spec = { "", lo, on_opt, usage };
	int rc;

	memset(o, 0, sizeof(*o));
	o->profile = "isa";
	o->max_bytes = -1;
	if ((rc = zr_cli_parse(&o->cli, &spec, o, argc, argv, &optind)) >= 0)
		return rc == 0 ? -1 : rc;
	o->json = o->cli.json;
	o->quiet = o->cli.quiet;
	o->verbose = o->cli.verbose;
	o->output = o->cli.output;
	if (optind != argc - 1)
		return zr_cli_usage_error(usage, optind >= argc ?
		    "no input file" : "one input file only");
	o->input = argv[optind];
	/* With --check, -o names where the report goes (zairyu(7)). */
	if (o->check && (o->have_crop || o->preview != NULL))
		return zr_cli_usage_error(usage, "--check reads only: no "
		    "--crop, no --preview");
	if (o->get != NULL && (!o->check || o->json))
		return zr_cli_usage_error(usage, "--get is for --check, "
		    "without --json");
	if (o->preview != NULL && strcmp(o->preview, "-") == 0)
		return zr_cli_usage_error(usage, "--preview: give a file name "
		    "(standard output is for the JPEG)");
	if (o->size_w > 0 && o->aspect_w > 0)
		return zr_cli_usage_error(usage, "--size and --aspect: give "
		    "one (--size sets the aspect)");
	if (o->json && !o->check && (o->output == NULL ||
	    strcmp(o->output, "-") == 0))
		return zr_cli_usage_error(usage, "--json writes to standard "
		    "output: give -o file for the JPEG");
	return 0;
}

/* The profile with the command line's changes. */
static int
make_profile(const struct opts *o, struct zr_date rules_date,
    struct zr_photo_profile *p)
{
	struct zr_error e;

	if (zr_photo_profile(o->profile, rules_date, p, &e) != 0) {
		if (e.code == ZR_E_USAGE)
			return zr_cli_usage_error(usage, "--profile: %s", e.msg);
		return zr_cli_report(&e);
	}
	if (o->max_bytes > 0)
		p->max_bytes = o->max_bytes;
	if (o->size_w > 0) {
		p->width = p->min_width = o->size_w;
		p->height = p->min_height = o->size_h;
		p->aspect_w = o->size_w;
		p->aspect_h = o->size_h;
		p->fixed_size = 1;
	} else if (o->aspect_w > 0) {
		/* Keep the profile's long side and smallest long side. */
		int lng = p->width > p->height ? p->width : p->height;
		int mlng = p->min_width > p->min_height ? p->min_width :
		    p->min_height;

		p->aspect_w = o->aspect_w;
		p->aspect_h = o->aspect_h;
		if (o->aspect_w >= o->aspect_h) {
			p->width = lng;
			p->height = lng * o->aspect_h / o->aspect_w;
			p->min_width = mlng;
			p->min_height = mlng * o->aspect_h / o->aspect_w;
		} else {
			p->height = lng;
			p->width = lng * o->aspect_w / o->aspect_h;
			p->min_height = mlng;
			p->min_width = mlng * o->aspect_w / o->aspect_h;
		}
		if (p->width < 1)
			p->width = 1;
		if (p->height < 1)
			p->height = 1;
		if (p->min_width < 1)
			p->min_width = 1;
		if (p->min_height < 1)
			p->min_height = 1;
		p->fixed_size = 0;
	}
	return 0;
}

/* The findings that are (note 0) or are not (note 1) problems; -1: all. */
static void
json_findings(struct zr_json *j, const char *key,
    const struct zr_photo_findings *f, int note)
{
	zr_json_arr(j, key);
	for (int i = 0; i < f->n; i++)
		if (note < 0 || f->f[i].note == note)
			zr_json_finding_id(j, f->f[i].code, f->f[i].msg, NULL,
			    0);
	zr_json_close_arr(j);
}

static const char *
format_name(const struct zr_image_info *info)
{
	switch (info->format) {
	case ZR_IMG_PNG: return "png";
	case ZR_IMG_HEIC: return "heic";
	case ZR_IMG_AVIF: return "avif";
	case ZR_IMG_WEBP: return "webp";
	default: break;
	}
	return info->progressive ? "jpeg-progressive" : "jpeg-baseline";
}

/* The face and framing, in tenths of a millimetre / degree. */
static void
json_face(struct zr_json *j, const struct zr_photo_result *r)
{
	zr_json_obj(j, "face");
	zr_json_int(j, "found", r->faces);
	zr_json_bool(j, "framed", r->framed);
	if (r->faces == 1) {
		zr_json_int(j, "roll_deg_x10", (long long)lround(
		    r->head.roll_deg * 10));
		zr_json_int(j, "yaw_percent", (long long)lround(r->head.yaw *
		    100));
		zr_json_bool(j, "crown_found", r->head.crown_refined);
	}
	if (r->framed) {
		zr_json_int(j, "head_mm_x10", (long long)lround(
		    r->frame.head_mm * 10));
		zr_json_int(j, "top_mm_x10", (long long)lround(r->frame.top_mm *
		    10));
		zr_json_int(j, "chin_mm_x10", (long long)lround(
		    r->frame.chin_mm * 10));
	}
	zr_json_close_obj(j);
}

/* --preview: the picture of what was found, also on a refusal. */
static int
write_preview(const struct opts *o, const struct zr_photo_result *r)
{
	const char *inputs[1] = { o->input };
	unsigned char *png;
	size_t n;
	struct zr_error e;

	if (r->preview.pixels == NULL)
		return 0;
	if (zr_png_encode(&r->preview, &png, &n, &e) != 0)
		return zr_cli_report(&e);
	if (zr_write_file(o->preview, png, n, 1, inputs, 1, &e) != 0) {
		free(png);
		return zr_cli_report(&e);
	}
	free(png);
	return 0;
}

/* A value on one line: a control character (a newline in a file name)
 * printed as a space. */
static void
put_line_value(FILE *fp, const char *v)
{
	for (; *v != '\0'; v++)
		fputc((unsigned char)*v < 0x20 || *v == 0x7f ? ' ' : *v, fp);
}

/* Whether the --get list names key. */
static int
get_has(const char *list, const char *key)
{
	const char *k;
	size_t n;

	while ((k = zr_cli_key_next(&list, &n)) != NULL)
		if (zr_cli_key_is(k, n, key))
			return 1;
	return 0;
}

/* The photo checked: its findings, facts and number of problems (not
 * notes); 0, or the exit status after the error is reported. */
static int
check_file(const struct zr_photo_profile *p, struct zr_date today,
    const unsigned char *buf, size_t len, const char *name,
    struct zr_photo_findings *f, struct zr_image_info *info, int *nprob)
{
	struct zr_error e;

	*nprob = 0;
	if (zr_photo_check(buf, len, name, p, today, f, info, &e) != 0)
		return zr_cli_report(&e);
	for (int i = 0; i < f->n; i++)
		*nprob += !f->f[i].note;
	return 0;
}

/*
 * --check --get KEY[,KEY...]: each value on a line of its own, as in the
 * --json object (gps true or false, an empty line for no taken date),
 * and nothing else.  Without status only the headers are read (no
 * decode, no face search) and the exit is 0: nothing was judged.
 */
static int
do_get(const struct opts *o, const struct zr_photo_profile *p,
    struct zr_date today, const unsigned char *buf, size_t len,
    const char *name, FILE *fp)
{
	struct zr_photo_findings f;
	struct zr_image_info info;
	struct zr_error e;
	char b[ZR_DATE_BUFSZ];
	const char *list = o->get, *k;
	int nprob = 0, rc;
	size_t n;

	if (get_has(o->get, "status")) {
		if ((rc = check_file(p, today, buf, len, name, &f, &info,
		    &nprob)) != 0)
			return rc;
	} else if (zr_image_probe(buf, len, name, &info, &e) != 0)
		return zr_cli_report(&e);
	while ((k = zr_cli_key_next(&list, &n)) != NULL) {
		if (zr_cli_key_is(k, n, "file"))
			put_line_value(fp, name);
		else if (zr_cli_key_is(k, n, "profile"))
			fputs(p->name, fp);
		else if (zr_cli_key_is(k, n, "status"))
			fputs(nprob > 0 ? "problem" : "ok", fp);
		else if (zr_cli_key_is(k, n, "format"))
			fputs(format_name(&info), fp);
		else if (zr_cli_key_is(k, n, "width"))
			fprintf(fp, "%d", info.width);
		else if (zr_cli_key_is(k, n, "height"))
			fprintf(fp, "%d", info.height);
		else if (zr_cli_key_is(k, n, "bytes"))
			fprintf(fp, "%zu", info.bytes);
		else if (zr_cli_key_is(k, n, "max_bytes"))
			fprintf(fp, "%lld", p->max_bytes);
		else if (zr_cli_key_is(k, n, "taken") && info.taken.y != 0)
			fputs(zr_date_format(info.taken, b), fp);
		else if (zr_cli_key_is(k, n, "gps"))
			fputs(info.has_gps || info.priv.gps ? "true" : "false",
			    fp);
		fputc('\n', fp);
	}
	return nprob > 0 ? ZR_EXIT_PROBLEM : ZR_EXIT_OK;
}

static int
do_check(const struct opts *o, const struct zr_photo_profile *p,
    struct zr_date today, const unsigned char *buf, size_t len,
    const char *name, FILE *fp)
{
	struct zr_photo_findings f;
	struct zr_image_info info;
	int nprob, rc;

	if ((rc = check_file(p, today, buf, len, name, &f, &info, &nprob)) != 0)
		return rc;
	if (o->json) {
		struct zr_json j;

		zr_json_begin(&j, fp);
		zr_json_str(&j, "file", name);
		zr_json_str(&j, "profile", p->name);
		zr_json_status(&j, nprob > 0 ? ZR_JSON_PROBLEM : ZR_JSON_OK);
		zr_json_str(&j, "format", format_name(&info));
		zr_json_int(&j, "width", info.width);
		zr_json_int(&j, "height", info.height);
		zr_json_int(&j, "bytes", (long long)info.bytes);
		zr_json_int(&j, "max_bytes", p->max_bytes);
		if (info.taken.y != 0)
			zr_json_date(&j, "taken", info.taken);
		else
			zr_json_null(&j, "taken");
		/* GPS in EXIF or XMP: the check's "gps" finding too. */
		zr_json_bool(&j, "gps", info.has_gps || info.priv.gps);
		json_findings(&j, "problems", &f, 0);
		json_findings(&j, "notes", &f, 1);
		zr_json_end(&j);
	} else if (!o->quiet) {
		for (int i = 0; i < f.n; i++)
			fprintf(fp, "%s: %s%s\n", name, f.f[i].note ? "note: " : "",
			    f.f[i].msg);
		if (nprob == 0)
			fprintf(fp, "%s: ok (%s, %dx%d, %zu bytes, profile %s)\n",
			    name, format_name(&info), info.width, info.height,
			    info.bytes, p->name);
	}
	return nprob > 0 ? ZR_EXIT_PROBLEM : ZR_EXIT_OK;
}

/* The head every conversion object starts with: the input, the output
 * asked for, the profile and the status. */
static void
json_head(struct zr_json *j, const struct zr_photo_profile *p,
    const char *name, const char *oname, const char *status)
{
	zr_json_begin(j, stdout);
	zr_json_str(j, "file", name);
	zr_json_str(j, "output", oname);
	zr_json_str(j, "profile", p->name);
	zr_json_status(j, status);
}

/* The object of a conversion refused (no face, ...) or that cannot fit:
 * the input as --check describes it, the upright size and the face. */
static void
json_refusal(const struct zr_photo_profile *p,
    const struct zr_photo_result *r, const struct zr_error *e,
    const char *name, const char *oname)
{
	struct zr_json j;

	json_head(&j, p, name, oname, ZR_JSON_PROBLEM);
	zr_json_str(&j, "format", format_name(&r->info));
	zr_json_int(&j, "width", r->info.width);
	zr_json_int(&j, "height", r->info.height);
	zr_json_int(&j, "bytes", (long long)r->info.bytes);
	zr_json_int(&j, "max_bytes", p->max_bytes);
	zr_json_obj(&j, "source");
	zr_json_int(&j, "width", r->src_width);
	zr_json_int(&j, "height", r->src_height);
	zr_json_int(&j, "orientation", r->info.orientation);
	zr_json_close_obj(&j);
	json_face(&j, r);
	zr_json_arr(&j, "problems");
	zr_json_error(&j, e);
	zr_json_close_arr(&j);
	json_findings(&j, "notes", &r->warnings, -1);
	zr_json_end(&j);
}

static int
do_convert(const struct opts *o, const struct zr_photo_profile *p,
    struct zr_date today, const unsigned char *buf, size_t len,
    const char *name, struct zr_out *out)
{
	struct zr_photo_opts po;
	struct zr_photo_result r;
	struct zr_error e;
	int rc;
	const char *oname = o->output == NULL || strcmp(o->output, "-") ==
	    0 ? "<stdout>" : o->output;

	memset(&po, 0, sizeof(po));
	po.prof = *p;
	po.today = today;
	if (o->have_crop) {
		po.have_crop = 1;
		po.crop_x = o->crop_x;
		po.crop_y = o->crop_y;
		po.crop_w = o->crop_w;
		po.crop_h = o->crop_h;
	}
	po.preview = o->preview != NULL;
	rc = zr_photo_convert(buf, len, name, &po, &r, &e);
	if (o->preview != NULL && write_preview(o, &r) != 0) {
		zr_out_abort(out);
		zr_photo_result_free(&r);
		return ZR_EXIT_INPUT;
	}
	if (rc != 0) {
		/* One line, no file.  With --json a photo refused or that
		 * cannot fit (exit 1) is an object of what was measured
		 * (zairyu-json(5)); any other error is the error object. */
		zr_out_abort(out);
		if (o->json && (e.code == ZR_E_REFUSED ||
		    e.code == ZR_E_NO_FIT)) {
			json_refusal(p, &r, &e, name, oname);
			zr_cli_json_errors(0);
		}
		zr_photo_result_free(&r);
		return zr_cli_report(&e);
	}
	/* A short write shows as an error of the stream: commit reports it. */
	fwrite(r.fit.jpeg, 1, r.fit.len, zr_out_file(out));
	if (zr_out_commit(out, &e) != 0) {
		zr_photo_result_free(&r);
		return zr_cli_report(&e);
	}
	if (o->json) {
		struct zr_json j;

		json_head(&j, p, name, oname, ZR_JSON_OK);
		zr_json_int(&j, "width", r.fit.width);
		zr_json_int(&j, "height", r.fit.height);
		zr_json_int(&j, "bytes", (long long)r.fit.len);
		zr_json_int(&j, "max_bytes", p->max_bytes);
		zr_json_int(&j, "quality", r.fit.quality);
		zr_json_str(&j, "subsampling", r.fit.subsample444 ? "4:4:4" :
		    p->gray ? "gray" : "4:2:0");
		zr_json_int(&j, "chroma_percent", r.fit.chroma_percent);
		zr_json_int(&j, "ssim_x10000", (long long)(r.fit.ssim *
		    10000.0 + 0.5));
		zr_json_obj(&j, "source");
		zr_json_int(&j, "width", r.src_width);
		zr_json_int(&j, "height", r.src_height);
		zr_json_int(&j, "orientation", r.info.orientation);
		zr_json_close_obj(&j);
		zr_json_obj(&j, "crop");
		zr_json_int(&j, "x", r.crop_x);
		zr_json_int(&j, "y", r.crop_y);
		zr_json_int(&j, "w", r.crop_w);
		zr_json_int(&j, "h", r.crop_h);
		zr_json_close_obj(&j);
		json_face(&j, &r);
		zr_json_bool(&j, "padded", r.padded || r.bg_padded);
		zr_json_bool(&j, "upscaled", r.upscaled);
		zr_json_bool(&j, "shrunk", r.shrunk);
		zr_json_bool(&j, "levelled", r.levelled);
		/* What the conversion could not fix is a note; a photo
		 * that cannot be made is a problem (json_refusal()). */
		zr_json_empty_arr(&j, "problems");
		json_findings(&j, "notes", &r.warnings, -1);
		zr_json_end(&j);
	} else if (!o->quiet) {
		if (r.bg_padded)
			zr_cli_warn("%s: plain background added (%d px top, "
			    "%d left, %d bottom, %d right) to reach the %s "
			    "framing", name, r.frame.pad_top, r.frame.pad_left,
			    r.frame.pad_bottom, r.frame.pad_right, p->name);
		if (r.framed && o->verbose)
			fprintf(stderr, "%s: %s: framed from the face: crop "
			    "%d,%d,%d,%d of %dx%d; head %.1f mm, %.1f mm above "
			    "the crown (%s), %.1f mm below the chin\n",
			    zr_cli_prog(), name, r.crop_x, r.crop_y, r.crop_w,
			    r.crop_h, r.src_width, r.src_height,
			    r.frame.head_mm, r.frame.top_mm,
			    r.head.crown_refined ? "found" : "estimated",
			    r.frame.chin_mm);
		/* The crop box, so that a user can move it with --crop. */
		if (r.cropped && !o->have_crop && !r.framed)
			fprintf(stderr, "%s: %s: centred crop %d,%d,%d,%d of "
			    "%dx%d (move it with --crop X,Y,W,H)\n",
			    zr_cli_prog(), name, r.crop_x, r.crop_y, r.crop_w,
			    r.crop_h, r.src_width, r.src_height);
		if (r.upscaled)
			zr_cli_warn("%s: only %dx%d pixels: enlarged to %dx%d",
			    name, r.crop_w, r.crop_h, r.fit.width,
			    r.fit.height);
		if (r.shrunk)
			zr_cli_warn("%s: reduced to %dx%d pixels to fit %lld "
			    "bytes", name, r.fit.width, r.fit.height,
			    p->max_bytes);
		for (int i = 0; i < r.warnings.n; i++)
			zr_cli_warn("%s: %s%s", name, r.warnings.f[i].note ?
			    "note: " : "", r.warnings.f[i].msg);
		if (o->verbose && r.framed)
			fprintf(stderr, "%s: %s: face found on %dx%d in %.0f "
			    "ms (model loaded in %.0f ms)\n", zr_cli_prog(),
			    name, r.found.det_width, r.found.det_height,
			    r.found.detect_ms, r.found.load_ms);
		if (o->verbose)
			fprintf(stderr, "%s: %s: %dx%d, %zu bytes (limit %lld),"
			    " quality %d, %s, chroma %d%%, SSIM %.4f, %d "
			    "encodings\n", zr_cli_prog(), oname, r.fit.width,
			    r.fit.height, r.fit.len, p->max_bytes,
			    r.fit.quality, r.fit.subsample444 ? "4:4:4" :
			    p->gray ? "gray" : "4:2:0", r.fit.chroma_percent,
			    r.fit.ssim, r.fit.encodes);
	}
	zr_photo_result_free(&r);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct zr_photo_profile p;
	struct zr_date today, rules_date;
	struct zr_error e;
	struct zr_out *out = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	const char *name;
	int rc;

	/* parse, validate */
	zr_cli_init(argv[0]);
	if ((rc = parse_args(argc, argv, &o)) != 0)
		return zr_cli_finish(rc < 0 ? ZR_EXIT_OK : rc);
	today = o.cli.today;
	rules_date = o.cli.rules;
	if ((rc = make_profile(&o, rules_date, &p)) != 0)
		return zr_cli_finish(rc);
	name = zr_display_name(o.input);
	/* Open everything first: the input, then the output's temp file. */
	if (zr_read_file(o.input, READ_CAP, &buf, &len, &e) != 0)
		return zr_cli_report(&e);
	if (!o.check) {
		const char *inputs[1] = { o.input };

		if (zr_out_open(&out, o.output, /*binary*/1, inputs, 1,
		    &e) != 0) {
			free(buf);
			return zr_cli_report(&e);
		}
		rc = do_convert(&o, &p, today, buf, len, name, out);
		free(buf);
		/* An error has been reported once already (also one of
		 * standard output, when the JPEG went there). */
		return rc == 0 ? zr_cli_finish(0) : rc;
	} else {
		/* The report to -o FILE (atomic, never the photo), else to
		 * standard output. */
		const char *inputs[1] = { o.input };

		if (zr_out_open(&out, o.output, 0, inputs, 1, &e) != 0) {
			free(buf);
			return zr_cli_report(&e);
		}
		rc = o.get != NULL ? do_get(&o, &p, today, buf, len, name,
		    zr_out_file(out)) : do_check(&o, &p, today, buf, len,
		    name, zr_out_file(out));
		if (rc != ZR_EXIT_OK && rc != ZR_EXIT_PROBLEM)
			zr_out_abort(out);
		else if (zr_out_commit(out, &e) != 0)
			rc = zr_cli_report(&e);
	}
	free(buf);
	return zr_cli_finish(rc);
}
