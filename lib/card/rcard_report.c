/* libzairyu: residence card report lines and saved images. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "zairyu/io.h"
#include "zairyu/rcard.h"
#include "card_int.h"

struct fields {
	struct zr_rcard_field *f;
	size_t n, max;
};

static void
add(struct fields *F, const char *key, const char *label, const char *fmt,
    ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void
add(struct fields *F, const char *key, const char *label, const char *fmt,
    ...)
{
	va_list ap;

	if (F->n >= F->max)
		return;
	F->f[F->n].key = key;
	F->f[F->n].label = label;
	va_start(ap, fmt);
	vsnprintf(F->f[F->n].value, sizeof(F->f[F->n].value), fmt, ap);
	va_end(ap);
	F->n++;
}

/* YYYYMMDD as YYYY-MM-DD; nothing when absent. */
static void
add_date(struct fields *F, const char *key, const char *label,
    const char *ymd)
{
	if (strlen(ymd) == 8)
		add(F, key, label, "%.4s-%.2s-%.2s", ymd, ymd + 4, ymd + 6);
}

static void
add_image(struct fields *F, const char *key, const char *label,
    const struct zr_rcard_blob *b)
{
	if (b->data != NULL)
		add(F, key, label, "%s, %zu bytes", zr_rcard_image_kind(b, NULL),
		    b->len);
}

/* card-facts §4.2 CE: YYMM, or "0000" for no limit (permanent). */
static void
add_period(struct fields *F, const char *p)
{
	int y, m;

	if (p[0] == '\0')
		return;
	if (strlen(p) != 4 || strspn(p, "0123456789") != 4) {
		add(F, "period", "period of stay", "%s", p);
		return;
	}
	if (strcmp(p, "0000") == 0) {
		add(F, "period", "period of stay", "0000 (no limit)");
		return;
	}
	y = (p[0] - '0') * 10 + (p[1] - '0');
	m = (p[2] - '0') * 10 + (p[3] - '0');
	if (m == 0)
		add(F, "period", "period of stay", "%s (%d year%s)", p, y,
		    y == 1 ? "" : "s");
	else if (y == 0)
		add(F, "period", "period of stay", "%s (%d month%s)", p, m,
		    m == 1 ? "" : "s");
	else
		add(F, "period", "period of stay", "%s (%d year%s %d month%s)",
		    p, y, y == 1 ? "" : "s", m, m == 1 ? "" : "s");
}

static const char *
type_name(const struct zr_rcard *rc)
{
	const char *n = zri_rcard_type_name(rc->type);

	return n != NULL ? n : "unknown";
}

size_t
zr_rcard_fields(const struct zr_rcard *rc, struct zr_rcard_field *f,
    size_t max)
{
	struct fields F = { f, 0, max };

	add(&F, "card_type", "card type", "%s, type '%s'", type_name(rc),
	    rc->type);
	if (rc->spec_version[0] != '\0')
		add(&F, "spec_version", "specification version", "%s",
		    rc->spec_version);
	if (rc->gen == ZR_RCARD_GEN2) {
		if (rc->number[0] != '\0')
			add(&F, "card_number", "card number", "%s",
			    rc->number);
		add_date(&F, "card_expiry", "card expiry", rc->card_expiry);
		add_date(&F, "stay_expiry", "period of stay ends",
		    rc->stay_expiry);
		add_period(&F, rc->period);
		add_date(&F, "birth_date", "birth date", rc->birth);
		if (rc->sex[0] != '\0')
			add(&F, "sex", "sex", "%s", zr_rcard_sex_name(rc->sex));
		if (rc->nationality[0] != '\0')
			add(&F, "nationality", "nationality code", "%s",
			    rc->nationality);
		if (rc->status[0] != '\0')
			add(&F, "status", "status of residence code", "%s",
			    rc->status);
		if (rc->perm_type[0] != '\0')
			add(&F, "permission_type", "permission type code",
			    "%s", rc->perm_type);
		add_date(&F, "permission_date", "permission date",
		    rc->perm_date);
		if (rc->work[0] != '\0')
			add(&F, "work", "work restriction", "%s (%s)",
			    rc->work, zr_rcard_work_name(rc->work));
		add_image(&F, "address_image", "address", &rc->addr_img);
		if (rc->perm[0] != '\0')
			add(&F, "permission", "permission for other "
			    "activities", "%s (%s)", rc->perm,
			    zr_rcard_perm_name(rc->perm));
		add_date(&F, "permission_expiry", "that permission ends",
		    rc->perm_expiry);
		if (rc->perm_indiv[0] != '\0')
			add(&F, "permission_individual", "individual "
			    "permission", "%s", strcmp(rc->perm_indiv, "1") ==
			    0 ? "yes" : "no");
		if (rc->note_flag[0] != '\0')
			add(&F, "note", "note recorded", "%s%s%s",
			    strcmp(rc->note_flag, "1") == 0 ? "yes" : "no",
			    rc->note[0] != '\0' ? ": " : "", rc->note);
		add_image(&F, "name_image", "name", &rc->name_img);
	} else {
		if (rc->address[0] != '\0')
			add(&F, "address", "address", "%s", rc->address);
		add_date(&F, "address_date", "address recorded",
		    rc->addr_date);
		if (rc->municipality[0] != '\0')
			add(&F, "municipality", "municipality code", "%s",
			    rc->municipality);
		if (rc->residence)
			add(&F, "permission", "permission for other "
			    "activities", "%s", rc->perm_text[0] != '\0' ?
			    rc->perm_text : "none");
		if (rc->perm_indiv_text[0] != '\0')
			add(&F, "permission_individual", "individual "
			    "permission", "%s", rc->perm_indiv_text);
		add_image(&F, "front_image", "front side", &rc->front);
	}
	if (rc->renewal >= 0)
		add(&F, "renewal", "renewal application", "%s",
		    rc->renewal == 1 ? "applied for (申請中)" : "none");
	add_image(&F, "face_image", "face", &rc->face);
	return F.n;
}

int
zr_rcard_save_images(const struct zr_rcard *rc, const char *dir,
    char *saved, size_t cap, struct zr_error *err)
{
	const struct {
		const char *base;
		const struct zr_rcard_blob *b;
	} img[] = {
		{ "front", &rc->front }, { "name", &rc->name_img },
		{ "face", &rc->face }, { "address", &rc->addr_img },
	};
	struct stat st;
	char path[4096];
	size_t o = 0;

	if (cap > 0)
		saved[0] = '\0';
	if (stat(dir, &st) < 0)
		return zr_error_sys(err, ZR_E_OPEN, errno, dir, NULL);
	if (!S_ISDIR(st.st_mode))
		return zr_error_set(err, ZR_E_OPEN, dir, "not a directory");
	for (size_t i = 0; i < sizeof(img) / sizeof(img[0]); i++) {
		const char *ext;

		if (img[i].b->data == NULL)
			continue;
		zr_rcard_image_kind(img[i].b, &ext);
		snprintf(path, sizeof(path), "%s/%s.%s", dir, img[i].base,
		    ext);
		if (zr_write_file(path, img[i].b->data, img[i].b->len, 1, NULL,
		    0, err) < 0)
			return -1;
		if (o + strlen(img[i].base) + strlen(ext) + 4 < cap)
			o += (size_t)snprintf(saved + o, cap - o, "%s%s.%s",
			    o > 0 ? ", " : "", img[i].base, ext);
	}
	return 0;
}
