/* libzairyu: reading the examination-completion mail (rules-facts §7):
 * receipt numbers and date, fee, where and how to pick the card up.  The
 * MIME decoding it reads through is in mime.c. */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/date.h"
#include "zairyu/mail.h"
#include "zairyu/text.h"

/* The examination-completion mail (rules-facts §7). */

const char *
zr_pickup_name(enum zr_pickup p)
{
	switch (p) {
	case ZR_PICKUP_POST:
		return "post";
	case ZR_PICKUP_COUNTER:
		return "counter";
	case ZR_PICKUP_UNKNOWN:
	default:
		return "unknown";
	}
}

static int
is_blankc(char c)
{
	return c == ' ' || c == '\t';
}

/* The separator after a label: colons, brackets, white space (one line
 * end at most).  Returns NULL when the label runs straight into text
 * ("申請受付番号をお控えください" is no value). */
static const char *
label_value(const char *p)
{
	static const char *const closers[] = { "】", "」", "』", "〕", "）",
	    NULL };
	const char *start = p;
	int nl = 0, i, moved;

	do {
		moved = 0;
		if (*p == ':' || *p == ']' || *p == ')' || *p == '=' ||
		    is_blankc(*p)) {
			p++;
			moved = 1;
		} else if (*p == '\n' && !nl) {
			nl = 1;
			p++;
			moved = 1;
		}
		for (i = 0; closers[i] != NULL; i++)
			if (strncmp(p, closers[i], strlen(closers[i])) == 0) {
				p += strlen(closers[i]);
				moved = 1;
			}
	} while (moved);
	return p == start ? NULL : p;
}

/* The token at p: up to white space or one of the stop strings. */
static size_t
token_len(const char *p)
{
	static const char *const stops[] = { "(", ",", "、", "。", "」",
	    "】", "（", NULL };
	size_t n = 0;
	int i;

	while (p[n] != '\0' && p[n] != ' ' && p[n] != '\t' && p[n] != '\n') {
		for (i = 0; stops[i] != NULL; i++)
			if (strncmp(p + n, stops[i], strlen(stops[i])) == 0)
				return n;
		n++;
	}
	return n;
}

static int
has_digit(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] >= '0' && p[i] <= '9')
			return 1;
	return 0;
}

static int
add_receipt(struct zr_completion *c, const struct zr_receipt *r)
{
	size_t i;

	for (i = 0; i < c->nreceipts; i++)
		if (zr_receipt_equal(&c->receipts[i], r))
			return 0;
	if (c->nreceipts < sizeof(c->receipts) / sizeof(c->receipts[0]))
		c->receipts[c->nreceipts++] = *r;
	return 0;
}

static int
find_receipts(const char *t, struct zr_completion *c, const char *name,
    struct zr_error *err)
{
	static const char label[] = "申請受付番号";
	const char *p, *v;
	struct zr_receipt r;
	char tok[96];
	size_t n, pos = 0, end, len = strlen(t);
	int labelled = 0;

	for (p = strstr(t, label); p != NULL; p = strstr(p + 1, label)) {
		if ((v = label_value(p + strlen(label))) == NULL)
			continue;
		n = token_len(v);
		if (n == 0)
			continue;
		if (n >= sizeof(tok))
			n = sizeof(tok) - 1;
		memcpy(tok, v, n);
		tok[n] = '\0';
		/* The value may run into text ("…25001878です"). */
		pos = 0;
		if (zr_receipt_find(tok, n, &pos, &end, &r) && pos == 0) {
			if (labelled && !zr_receipt_equal(&r, &c->receipt)) {
				char a[ZR_RECEIPT_BUFSZ], b[ZR_RECEIPT_BUFSZ];

				return zr_error_set(err, ZR_E_CONFLICT, name,
				    "the mail gives two receipt numbers after "
				    "申請受付番号: %s and %s",
				    zr_receipt_format(&c->receipt, a),
				    zr_receipt_format(&r, b));
			}
			c->receipt = r;
			labelled = 1;
			add_receipt(c, &r);
		} else if (has_digit(tok, n)) {
			zr_receipt_parse(tok, &r, err);
			if (err != NULL)
				snprintf(err->subject, sizeof(err->subject),
				    "%s", name);
			return -1;
		}
	}
	pos = 0;
	while (zr_receipt_find(t, len, &pos, &end, &r)) {
		add_receipt(c, &r);
		pos = end;
	}
	if (labelled) {
		c->has_receipt = 1;
	} else if (c->nreceipts == 1) {
		c->receipt = c->receipts[0];
		c->has_receipt = 1;
	}
	return 0;
}

static int
find_receipt_date(const char *t, struct zr_completion *c, const char *name,
    struct zr_error *err)
{
	static const char *const labels[] = { "申請受付日", "受付日", NULL };
	const char *p, *v, *day;
	char tok[64];
	size_t n;
	int i;

	for (i = 0; labels[i] != NULL; i++) {
		for (p = strstr(t, labels[i]); p != NULL;
		    p = strstr(p + 1, labels[i])) {
			v = p + strlen(labels[i]);
			if (strncmp(v, "時", strlen("時")) == 0)
				v += strlen("時");
			if ((v = label_value(v)) == NULL)
				continue;
			n = token_len(v);
			if (n == 0 || !has_digit(v, n))
				continue;
			if (n >= sizeof(tok))
				n = sizeof(tok) - 1;
			memcpy(tok, v, n);
			tok[n] = '\0';
			/* "2025年10月7日10時" : the day is enough. */
			if ((day = strstr(tok, "日")) != NULL)
				tok[day - tok + (long)strlen("日")] = '\0';
			if (zr_date_parse(tok, &c->receipt_date, err) < 0) {
				if (err != NULL)
					snprintf(err->subject,
					    sizeof(err->subject), "%s", name);
				return -1;
			}
			c->has_receipt_date = 1;
			return 0;
		}
	}
	return 0;
}

/* The first amount of money in [p, e): "5,500円", "¥5,500", "5500 円". */
static long
amount_in(const char *p, const char *e)
{
	const char *s, *q;
	long v;
	int yen_before, digits;

	for (s = p; s < e; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (s > p && ((s[-1] >= '0' && s[-1] <= '9') || s[-1] == ','))
			continue;
		yen_before = (s - p >= 2 && memcmp(s - 2, "\xc2\xa5", 2) == 0) ||
		    (s - p >= 3 && memcmp(s - 3, "￥", 3) == 0);
		v = 0;
		digits = 0;
		for (q = s; q < e && ((*q >= '0' && *q <= '9') || (*q == ',' &&
		    q + 1 < e && q[1] >= '0' && q[1] <= '9')); q++) {
			if (*q == ',')
				continue;
			if (++digits > 8)
				break;
			v = v * 10 + (*q - '0');
		}
		if (digits > 8)
			continue;
		while (q < e && is_blankc(*q))
			q++;
		if (yen_before || ((size_t)(e - q) >= strlen("円") &&
		    strncmp(q, "円", strlen("円")) == 0))
			return v;
	}
	return -1;
}

static const char *
eol(const char *p)
{
	const char *q = strchr(p, '\n');

	return q != NULL ? q : p + strlen(p);
}

static void
find_fee(const char *t, struct zr_completion *c)
{
	static const char *const labels[] = { "手数料", "収入印紙", NULL };
	const char *p, *e, *best = NULL;
	long v;
	int i;

	/* The earliest labelled amount, on the label's line or the next. */
	for (i = 0; labels[i] != NULL; i++) {
		for (p = strstr(t, labels[i]); p != NULL;
		    p = strstr(p + 1, labels[i])) {
			e = eol(p);
			v = amount_in(p, e);
			if (v < 0 && *e == '\n')
				v = amount_in(e + 1, eol(e + 1));
			if (v >= 0 && (best == NULL || p < best)) {
				best = p;
				c->fee = v;
			}
			if (v >= 0)
				break;
		}
	}
}

/* Copy a line trimmed of white space, appending to dst with "\n". */
static void
append_line(char *dst, size_t cap, const char *s, const char *e)
{
	size_t n = strlen(dst), k;

	while (s < e && is_blankc(*s))
		s++;
	while (e > s && is_blankc(e[-1]))
		e--;
	if (s == e)
		return;
	k = (size_t)(e - s);
	if (n > 0 && n + 1 < cap)
		dst[n++] = '\n';
	if (n + k + 1 > cap)
		return; /* an over-long address is left out, not cut */
	memcpy(dst + n, s, k);
	dst[n + k] = '\0';
}

/* Lines of an address block: until a blank line or a marker, at most 4. */
static void
block_lines(const char *p, char *dst, size_t cap, int max)
{
	static const char *const stops[] = { "※", "■", "●", "◆", "◎", "【",
	    "---", "===", "＊", "*", NULL };
	const char *e, *s;
	int n, i;

	for (n = 0; n < max && *p != '\0'; n++) {
		e = eol(p);
		for (s = p; s < e && is_blankc(*s); s++)
			;
		if (s == e)
			break;
		for (i = 0; stops[i] != NULL; i++)
			if (strncmp(s, stops[i], strlen(stops[i])) == 0)
				return;
		append_line(dst, cap, p, e);
		p = *e == '\n' ? e + 1 : e;
	}
}

/* "〒135-0064" or "〒1350064" at p (after the mark). */
static int
postcode_at(const char *p, char *out, const char **after)
{
	int i;

	while (is_blankc(*p))
		p++;
	for (i = 0; i < 3; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	memcpy(out, p, 3);
	out[3] = '-';
	p += 3;
	if (*p == '-')
		p++;
	for (i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	if (p[4] >= '0' && p[4] <= '9')
		return 0;
	memcpy(out + 4, p, 4);
	out[8] = '\0';
	*after = p + 4;
	return 1;
}

static void
find_send_to(const char *t, struct zr_completion *c)
{
	static const char *const labels[] = { "送付先", "郵送先", "送り先",
	    "宛先", "あて先", NULL };
	static const char mark[] = "〒";
	const char *from = NULL, *p, *l, *after;
	int i;

	for (i = 0; labels[i] != NULL; i++)
		if ((p = strstr(t, labels[i])) != NULL && (from == NULL ||
		    p < from))
			from = p;
	for (i = 0; i < 2; i++) {
		for (p = strstr(i == 0 && from != NULL ? from : t, mark);
		    p != NULL; p = strstr(p + 1, mark)) {
			if (!postcode_at(p + strlen(mark), c->send_to_postcode,
			    &after))
				continue;
			l = eol(after);
			c->send_to[0] = '\0';
			append_line(c->send_to, sizeof(c->send_to), after, l);
			if (*l == '\n')
				block_lines(l + 1, c->send_to,
				    sizeof(c->send_to),
				    c->send_to[0] != '\0' ? 3 : 4);
			return;
		}
		if (from == NULL)
			break;
	}
}

static void
find_office(const char *t, struct zr_completion *c)
{
	static const char marker[] = "お越しください";
	const char *p = strstr(t, marker), *l;

	if (p == NULL)
		return;
	l = eol(p);
	/* The office follows, possibly after one blank line. */
	while (*l == '\n' && l[1] == '\n')
		l++;
	if (*l == '\n')
		block_lines(l + 1, c->office, sizeof(c->office), 4);
}

static void
find_pickup(const char *t, struct zr_completion *c)
{
	/* rules-facts §7.2 (OFUSA): the wording of each case. */
	int post = strstr(t, "郵送による在留カード") != NULL ||
	    (strstr(t, "郵送") != NULL && strstr(t, "受領を希望されている") !=
	    NULL);
	int counter = strstr(t, "本メール受信後14日以内") != NULL ||
	    (strstr(t, "地方出入国在留管理官署") != NULL &&
	    strstr(t, "お越しください") != NULL);

	if (post && !counter)
		c->pickup = ZR_PICKUP_POST;
	else if (counter && !post)
		c->pickup = ZR_PICKUP_COUNTER;
	else
		c->pickup = ZR_PICKUP_UNKNOWN;
}

static void
find_date(const struct zr_mail *m, struct zr_completion *c)
{
	size_t i, pick = 0;
	const char *s, *d;
	char *f;
	struct zr_error e;

	/* Forwarded: the inner message that is the completion mail. */
	for (i = 0; i < zr_mail_nmsgs(m); i++) {
		if ((s = zr_mail_msg_header(m, i, "subject")) == NULL)
			continue;
		if ((f = zr_text_fold(s)) == NULL)
			continue;
		if (strstr(f, "審査完了") != NULL && pick == 0)
			pick = i + 1;
		free(f);
	}
	pick = pick > 0 ? pick - 1 : 0;
	d = zr_mail_msg_header(m, pick, "date");
	if (d != NULL && zr_mail_date_jst(d, &c->date, &e) == 0)
		c->has_date = 1;
}

int
zr_mail_completion(const struct zr_mail *m, struct zr_completion *c,
    struct zr_error *err)
{
	char *t;
	int ext, chg, rc;

	memset(c, 0, sizeof(*c));
	c->fee = -1;
	if ((t = zr_text_fold(zr_mail_text(m))) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	rc = find_receipts(t, c, zr_mail_name(m), err);
	if (rc == 0)
		rc = find_receipt_date(t, c, zr_mail_name(m), err);
	if (rc == 0) {
		find_fee(t, c);
		find_pickup(t, c);
		find_send_to(t, c);
		if (c->pickup == ZR_PICKUP_COUNTER)
			find_office(t, c);
		ext = strstr(t, "在留期間更新") != NULL;
		chg = strstr(t, "在留資格変更") != NULL;
		if (ext != chg)
			c->application = ext ? "extension" : "change";
		find_date(m, c);
	}
	free(t);
	return rc;
}
