/* libzairyu: zairyu-facts(5), "key = value" lines about one person. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/date.h"
#include "zairyu/facts.h"
#include "zairyu/io.h"
#include "zairyu/text.h"

/* The documented keys (zairyu-facts(5)); scripts rely on these names. */
static const struct zr_fact_key keys[] = {
	{ "name", ZR_FACT_NAME, "name exactly as on the residence card "
	  "(family name first, Latin capitals)" },
	{ "name_kanji", ZR_FACT_TEXT, "name in kanji, if the card carries it" },
	{ "birth_date", ZR_FACT_DATE, "date of birth" },
	{ "sex", ZR_FACT_ENUM, "M, F or X" },
	{ "nationality", ZR_FACT_TEXT, "nationality or region as on the card" },
	{ "status", ZR_FACT_TEXT, "status of residence (在留資格)" },
	{ "card_number", ZR_FACT_TEXT, "residence card number, AB12345678CD" },
	{ "card_expiry", ZR_FACT_DATE, "residence card's own expiry date" },
	{ "stay_expiry", ZR_FACT_DATE, "period of stay expires (在留期間満了日)" },
	{ "stay_period", ZR_FACT_TEXT, "period of stay: 3y, 1y6m, 6m, 90d, "
	  "3 years, 1年6月" },
	{ "passport_number", ZR_FACT_TEXT, "passport number" },
	{ "passport_expiry", ZR_FACT_DATE, "passport expiry date" },
	{ "postcode", ZR_FACT_TEXT, "postcode in Japan, 123-4567" },
	{ "address", ZR_FACT_TEXT, "address in Japan" },
	{ "phone", ZR_FACT_TEXT, "telephone number" },
	{ "email", ZR_FACT_TEXT, "e-mail address" },
	{ "occupation", ZR_FACT_TEXT, "occupation or employer" },
	{ "application", ZR_FACT_ENUM, "extension (在留期間更新) or change "
	  "(在留資格変更)" },
	{ "receipt_number", ZR_FACT_TEXT, "online application receipt number "
	  "(申請受付番号), e.g. 福オンＥＮ25001878" },
	{ "receipt_date", ZR_FACT_DATE, "date the application was accepted" },
	{ "completion_date", ZR_FACT_DATE, "date of the examination-completion "
	  "e-mail" },
	{ "jpki_expiry", ZR_FACT_DATE, "the My Number card's signature "
	    "certificate ends (zr-cardtest shows it)" },
	{ "myna_expiry", ZR_FACT_DATE, "the My Number card's own expiry" },
	{ "add_name_kanji", ZR_FACT_TEXT, "yes: the new card is to add the "
	    "name in kanji (counter pick-up)" },
	{ "also_filed", ZR_FACT_TEXT, "reentry or activity: applied for a "
	    "re-entry permit or other-activity permission with the extension" },
	{ "jpki_issued", ZR_FACT_DATE, "date the My Number card's JPKI "
	  "certificates were issued" },
	{ "agent_name", ZR_FACT_TEXT, "the filing agent's name (取次者)" },
	{ "agent_occupation", ZR_FACT_TEXT, "the filing agent's occupation or "
	  "office" },
	{ "agent_phone", ZR_FACT_TEXT, "the filing agent's telephone number" },
	{ "agent_postcode", ZR_FACT_TEXT, "the filing agent's office postcode "
	  "(the return envelope goes there)" },
	{ "agent_address", ZR_FACT_TEXT, "the filing agent's office address" },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

struct fact {
	char *value;  /* NULL when absent */
	int line;
};

struct zr_facts {
	char *name;
	struct fact f[NKEYS];
};

const struct zr_fact_key *
zr_facts_keys(size_t *n)
{
	*n = NKEYS;
	return keys;
}

static int
key_index(const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

struct zr_facts *
zr_facts_new(const char *name)
{
	struct zr_facts *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->name = strdup(name != NULL ? name : "facts");
	if (f->name == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

void
zr_facts_free(struct zr_facts *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < NKEYS; i++)
		free(f->f[i].value);
	free(f->name);
	free(f);
}

const char *
zr_facts_get(const struct zr_facts *f, const char *key)
{
	int i = key_index(key);

	return i < 0 ? NULL : f->f[i].value;
}

int
zr_facts_line(const struct zr_facts *f, const char *key)
{
	int i = key_index(key);

	return i < 0 ? 0 : f->f[i].line;
}

const char *
zr_facts_name(const struct zr_facts *f)
{
	return f->name;
}

/* Check and normalise one value; returns a new string or NULL (+ err). */
static char *
check_value(const struct zr_fact_key *k, const char *v, const char *subject,
    struct zr_error *err)
{
	struct zr_date d;
	char buf[ZR_DATE_BUFSZ];
	const unsigned char *p;
	char *r;

	if (!zr_utf8_valid(v, strlen(v), NULL)) {
		zr_error_set(err, ZR_E_UTF8, subject, "%s: invalid UTF-8",
		    k->key);
		return NULL;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
			zr_error_set(err, ZR_E_SYNTAX, subject,
			    "%s: control character in value", k->key);
			return NULL;
		}
	switch (k->type) {
	case ZR_FACT_DATE:
		if (zr_date_parse(v, &d, err) < 0) {
			char msg[200];
			if (err != NULL) {
				snprintf(msg, sizeof(msg), "%.190s", err->msg);
				zr_error_set(err, ZR_E_DATE, subject, "%s: %s",
				    k->key, msg);
			}
			return NULL;
		}
		r = strdup(zr_date_format(d, buf));
		break;
	case ZR_FACT_ENUM:
		if (strcmp(k->key, "sex") == 0) {
			if (strcmp(v, "M") && strcmp(v, "F") && strcmp(v, "X") &&
			    strcmp(v, "m") && strcmp(v, "f") && strcmp(v, "x")) {
				zr_error_set(err, ZR_E_RANGE, subject,
				    "sex: \"%.40s\" is not M, F or X", v);
				return NULL;
			}
			r = strdup(v);
			if (r != NULL)
				r[0] = (char)(r[0] & ~0x20);
			break;
		}
		if (strcmp(v, "extension") && strcmp(v, "change")) {
			zr_error_set(err, ZR_E_RANGE, subject,
			    "%s: \"%.40s\" is not extension or change", k->key,
			    v);
			return NULL;
		}
		r = strdup(v);
		break;
	default:
		r = strdup(v);
	}
	if (r == NULL)
		zr_error_set(err, ZR_E_NOMEM, subject, NULL);
	return r;
}

int
zr_facts_set(struct zr_facts *f, const char *key, const char *value,
    struct zr_error *err)
{
	int i = key_index(key);
	char *v;

	if (i < 0)
		return zr_error_set(err, ZR_E_UNKNOWN_KEY, f->name,
		    "unknown key \"%.60s\"", key);
	if ((v = check_value(&keys[i], value, f->name, err)) == NULL)
		return -1;
	free(f->f[i].value);
	f->f[i].value = v;
	f->f[i].line = 0;
	return 0;
}

/* The closest known key, for "did you mean". */
static const char *
suggest(const char *key)
{
	size_t i, d, best = 3;
	const char *r = NULL;

	for (i = 0; i < NKEYS; i++) {
		d = zr_edit_distance(key, keys[i].key);
		if (d < best) {
			best = d;
			r = keys[i].key;
		}
	}
	return r;
}

/*
 * Parse one value: either "quoted" (with \" and \\) or the rest of the
 * line, trimmed.  Writes into out (at least strlen(s)+1 bytes).
 */
static int
parse_value(const char *s, char *out, const char **why)
{
	const char *p = s;
	char *o = out;
	size_t n;

	if (*p != '"') {
		n = strlen(p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	}
	for (p++; *p != '"'; p++) {
		if (*p == '\0') {
			*why = "unterminated quoted value";
			return -1;
		}
		if (*p == '\\') {
			p++;
			if (*p != '"' && *p != '\\') {
				*why = "only \\\" and \\\\ are allowed in "
				    "quotes";
				return -1;
			}
		}
		*o++ = *p;
	}
	*o = '\0';
	for (p++; *p == ' ' || *p == '\t'; p++)
		;
	if (*p != '\0' && *p != '#') {
		*why = "text after the closing quote";
		return -1;
	}
	return 0;
}

int
zr_facts_parse(const char *buf, size_t len, const char *name,
    struct zr_facts **out, struct zr_error *err)
{
	struct zr_facts *f;
	const char *p = buf, *end = buf + len, *l, *why = NULL;
	char *line = NULL, *key, *eq, *val, *v;
	size_t bad, n;
	int lineno = 0, i;

	*out = NULL;
	if ((f = zr_facts_new(name)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	if (!zr_utf8_valid(buf, len, &bad)) {
		for (i = 1, p = buf; p < buf + bad; p++)
			i += *p == '\n';
		zr_error_set(err, ZR_E_UTF8, name, "invalid UTF-8 (byte %zu)",
		    bad + 1);
		zr_error_line(err, i);
		goto fail;
	}
	p = zr_text_lines_start(buf, len);
	while ((l = zr_text_line(&p, end, &n)) != NULL) {
		lineno++;
		if (n > 4096) {
			zr_error_set(err, ZR_E_SYNTAX, name,
			    "line too long (over 4096 bytes)");
			goto fail_line;
		}
		free(line);
		if ((line = malloc(n + 1)) == NULL) {
			zr_error_set(err, ZR_E_NOMEM, name, NULL);
			goto fail;
		}
		memcpy(line, l, n);
		line[n] = '\0';
		if (memchr(line, '\0', n) != NULL) {
			zr_error_set(err, ZR_E_SYNTAX, name, "NUL byte in line");
			goto fail_line;
		}
		for (key = line; *key == ' ' || *key == '\t'; key++)
			;
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			zr_error_set(err, ZR_E_SYNTAX, name,
			    "expected \"key = value\"");
			goto fail_line;
		}
		for (val = eq + 1; *val == ' ' || *val == '\t'; val++)
			;
		while (eq > key && (eq[-1] == ' ' || eq[-1] == '\t'))
			eq--;
		*eq = '\0';
		if (*key == '\0' || strspn(key,
		    "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(key)) {
			zr_error_set(err, ZR_E_SYNTAX, name,
			    "bad key \"%.60s\" (lowercase letters, digits, _)",
			    key);
			goto fail_line;
		}
		if ((i = key_index(key)) < 0) {
			const char *s = suggest(key);
			if (s != NULL)
				zr_error_set(err, ZR_E_UNKNOWN_KEY, name,
				    "unknown key \"%s\" (did you mean \"%s\"?)",
				    key, s);
			else
				zr_error_set(err, ZR_E_UNKNOWN_KEY, name,
				    "unknown key \"%s\"", key);
			goto fail_line;
		}
		if (f->f[i].line != 0) {
			zr_error_set(err, ZR_E_DUP_KEY, name,
			    "duplicate key \"%s\" (first on line %d)", key,
			    f->f[i].line);
			goto fail_line;
		}
		/* parse_value never lengthens: write in place. */
		if (parse_value(val, val, &why) < 0) {
			zr_error_set(err, ZR_E_SYNTAX, name, "%s: %s", key, why);
			goto fail_line;
		}
		f->f[i].line = lineno;
		if (*val == '\0')
			continue; /* empty = absent, so templates parse */
		if ((v = check_value(&keys[i], val, name, err)) == NULL)
			goto fail_line;
		f->f[i].value = v;
	}
	free(line);
	*out = f;
	return 0;
fail_line:
	zr_error_line(err, lineno);
fail:
	free(line);
	zr_facts_free(f);
	return -1;
}

int
zr_facts_load(const char *path, struct zr_facts **out, struct zr_error *err)
{
	unsigned char *buf;
	size_t len;
	int rc;

	/* A facts file is a few hundred bytes; 1 MiB is generous. */
	if (zr_read_file(path, 1u << 20, &buf, &len, err) < 0)
		return -1;
	rc = zr_facts_parse((const char *)buf, len, zr_display_name(path),
	    out, err);
	free(buf);
	return rc;
}

int
zr_facts_format(const struct zr_facts *f, char **text, size_t *len,
    struct zr_error *err)
{
	char *buf = NULL;
	size_t size = 0, i;
	FILE *fp;
	const char *v, *p;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, f->name, NULL);
	fputs("# zairyu-facts(5)\n", fp);
	for (i = 0; i < NKEYS; i++) {
		if ((v = f->f[i].value) == NULL)
			continue;
		fprintf(fp, "%s = ", keys[i].key);
		if (v[0] == ' ' || v[0] == '\t' || v[0] == '"' ||
		    (v[0] != '\0' && (v[strlen(v) - 1] == ' ' ||
		    v[strlen(v) - 1] == '\t'))) {
			fputc('"', fp);
			for (p = v; *p != '\0'; p++) {
				if (*p == '"' || *p == '\\')
					fputc('\\', fp);
				fputc(*p, fp);
			}
			fputc('"', fp);
		} else {
			fputs(v, fp);
		}
		fputc('\n', fp);
	}
	if (fclose(fp) != 0) {
		free(buf);
		return zr_error_set(err, ZR_E_NOMEM, f->name, NULL);
	}
	*text = buf;
	*len = size;
	return 0;
}

/* ---- comparing values (zr-namecheck --agree, zr-cardtest --facts) ---- */

static const char *const number_keys[] = {
	"card_number", "passport_number", "postcode", "phone", "agent_phone",
	"receipt_number"
};

enum norm { NORM_EXACT, NORM_NAME, NORM_NUMBER, NORM_TEXT };

static enum norm
key_norm(const struct zr_fact_key *k)
{
	size_t i;

	if (k->type == ZR_FACT_NAME)
		return NORM_NAME;
	if (k->type == ZR_FACT_DATE || k->type == ZR_FACT_ENUM)
		return NORM_EXACT;
	for (i = 0; i < sizeof(number_keys) / sizeof(number_keys[0]); i++)
		if (strcmp(k->key, number_keys[i]) == 0)
			return NORM_NUMBER;
	return NORM_TEXT;
}

/* A normalised copy of v (caller frees), or NULL when out of memory. */
static char *
normalise(enum norm how, const char *v)
{
	size_t len = strlen(v);
	const char *p = v, *end = v + len;
	char *out, *o, enc[4];
	int32_t cp;
	int blank = 0;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	o = out;
	while (p < end) {
		cp = zr_utf8_next(&p, end);
		if (cp < 0)
			continue;
		if (how != NORM_NAME && how != NORM_EXACT) {
			cp = zr_cp_halfwidth(cp);
			if (cp >= 'a' && cp <= 'z')
				cp -= 'a' - 'A';
		}
		if (how == NORM_NUMBER && (cp == ' ' || cp == '-'))
			continue;
		if ((how == NORM_NAME && (cp == ' ' || cp == ',')) ||
		    (how == NORM_TEXT && (cp == ' ' || cp == '\t'))) {
			blank = 1;
			continue;
		}
		if (blank && o > out)
			*o++ = ' ';
		blank = 0;
		if (cp < 0x80) {
			*o++ = (char)cp;
		} else {
			size_t n = zr_utf8_put(cp, enc);
			memcpy(o, enc, n);
			o += n;
		}
	}
	*o = '\0';
	return out;
}

int
zr_facts_same(const char *key, const char *a, const char *b)
{
	static const struct zr_fact_key text = { "", ZR_FACT_TEXT, "" };
	const struct zr_fact_key *k = &text;
	const struct zr_fact_key *all;
	size_t nkeys;
	char *na, *nb;
	int same;

	all = zr_facts_keys(&nkeys);
	for (size_t i = 0; i < nkeys; i++)
		if (strcmp(all[i].key, key) == 0)
			k = &all[i];
	na = normalise(key_norm(k), a);
	nb = normalise(key_norm(k), b);
	same = na != NULL && nb != NULL ? strcmp(na, nb) == 0 : -1;
	free(na);
	free(nb);
	return same;
}
