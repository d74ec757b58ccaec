/* Unit tests: mail decoding, receipt numbers, the completion mail. */
/* SPDX-License-Identifier: MIT */
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zr_test.h"

/* The body of an invented completion mail (rules-facts §7.2 wording). */
static const char body_post[] =
    "TEST HANAKO 様\n\n"
    "次の申請の審査が完了しました。\n"
    "申請受付番号：福オンＥＮ２５００１８７８\n"
    "申請受付日：２０２５年１０月７日\n"
    "在留期間更新許可申請\n"
    "郵送による在留カード・在留資格認定証明書・就労資格証明書・"
    "資格外活動許可書の受領を希望されているため、次のものを送ってください。\n"
    "手数料納付書（手数料額 ５，５００円）\n\n"
    "【送付先】\n"
    "〒１３５-００６４\n"
    "東京都江東区青海２-７-１１　東京港湾合同庁舎９階\n"
    "東京出入国在留管理局\n\n"
    "※架空のテスト用メールです。\n";

/* Convert UTF-8 text to another charset with iconv, as a mailer would. */
static char *
encode(const char *to, const char *s, size_t *n)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	size_t il = strlen(s), cap = il * 4 + 16, ol = cap, r;
	char *out, *ip = (char *)(uintptr_t)s, *op;

	ck_assert_msg(cd != (iconv_t)-1, "iconv cannot make %s", to);
	out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	op = out;
	r = iconv(cd, &ip, &il, &op, &ol);
	ck_assert_msg(r != (size_t)-1, "iconv to %s failed", to);
	iconv(cd, NULL, NULL, &op, &ol);
	iconv_close(cd);
	*n = (size_t)(op - out);
	out[*n] = '\0';
	return out;
}

/* Base64, in 76-column lines when wrap (a body), else one line. */
static char *
b64w(const unsigned char *s, size_t n, int wrap)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = malloc(n * 2 + 8), *p = o;
	size_t i;
	unsigned long v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		*p++ = a[v >> 18 & 63];
		*p++ = a[v >> 12 & 63];
		*p++ = i + 1 < n ? a[v >> 6 & 63] : '=';
		*p++ = i + 2 < n ? a[v & 63] : '=';
		if (wrap && (i / 3) % 19 == 18)
			*p++ = '\n';
	}
	*p = '\0';
	return o;
}

static char *
b64(const unsigned char *s, size_t n)
{
	return b64w(s, n, 0);
}

static char *
qp(const char *s)
{
	char *o = malloc(strlen(s) * 4 + 8), *p = o;
	int col = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			*p++ = '\n';
			col = 0;
			continue;
		}
		if (col > 70) {
			p += sprintf(p, "=\n");
			col = 0;
		}
		if ((unsigned char)*s >= 0x80 || *s == '=') {
			p += sprintf(p, "=%02X", (unsigned char)*s);
			col += 3;
		} else {
			*p++ = *s;
			col++;
		}
	}
	*p = '\0';
	return o;
}

static char *
cat(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = malloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static struct zr_mail *
parse_ok(const char *buf, size_t len)
{
	struct zr_mail *m = NULL;
	struct zr_error e;

	ck_assert_msg(zr_mail_parse(buf, len, "t.eml", &m, &e) == 0,
	    "parse failed: %s", e.msg);
	return m;
}

static void
check_completion(const struct zr_mail *m)
{
	struct zr_completion c;
	struct zr_error e;
	char r[ZR_RECEIPT_BUFSZ];

	ck_assert_msg(zr_mail_completion(m, &c, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(c.has_receipt, 1);
	ck_assert_str_eq(zr_receipt_format(&c.receipt, r),
	    "福オンＥＮ25001878");
	ck_assert_int_eq(c.has_receipt_date, 1);
	ck_assert_date_eq(c.receipt_date, ZR_D(2025, 10, 7));
	ck_assert_int_eq(c.fee, 5500);
	ck_assert_int_eq(c.pickup, ZR_PICKUP_POST);
	ck_assert_str_eq(c.application, "extension");
	ck_assert_str_eq(c.send_to_postcode, "135-0064");
	ck_assert_msg(strstr(c.send_to, "東京都江東区青海2-7-11") != NULL,
	    "send_to: %s", c.send_to);
	ck_assert_msg(strstr(c.send_to, "東京出入国在留管理局") != NULL,
	    "send_to: %s", c.send_to);
	ck_assert_msg(strstr(c.send_to, "架空") == NULL, "send_to: %s",
	    c.send_to);
}

START_TEST(test_base64)
{
	unsigned char *o;
	size_t n;
	struct zr_error e;

	ck_assert_int_eq(zr_base64_decode("TWFu", 4, &o, &n, &e), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_mem_eq(o, "Man", 3);
	free(o);
	ck_assert_int_eq(zr_base64_decode("TW\r\nE=", 6, &o, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_mem_eq(o, "Ma", 2);
	free(o);
	ck_assert_int_eq(zr_base64_decode("TQ==", 4, &o, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	free(o);
	ck_assert_int_eq(zr_base64_decode("TW*u", 4, &o, &n, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_MAIL);
	ck_assert_int_eq(zr_base64_decode("TWFuT", 5, &o, &n, &e), -1);
	ck_assert_int_eq(zr_base64_decode("TQ==TQ==", 8, &o, &n, &e), -1);
}
END_TEST

START_TEST(test_qp)
{
	unsigned char *o;
	size_t n;
	struct zr_error e;
	const char *s = "=E3=81=82a=\r\nb=ZZ c_d=3d";

	ck_assert_int_eq(zr_qp_decode(s, strlen(s), 0, &o, &n, &e), 0);
	ck_assert_str_eq((char *)o, "あab=ZZ c_d=");
	free(o);
	s = "=E3=81=82_a=ZZ";
	ck_assert_int_eq(zr_qp_decode(s, strlen(s), 1, &o, &n, &e), 0);
	ck_assert_str_eq((char *)o, "あ a=ZZ");
	free(o);
	/* A soft break with trailing white space before the line end. */
	ck_assert_int_eq(zr_qp_decode("ab= \t\ncd", 8, 0, &o, &n, &e), 0);
	ck_assert_str_eq((char *)o, "abcd");
	free(o);
}
END_TEST

START_TEST(test_charsets)
{
	static const char *const cs[] = { "ISO-2022-JP", "SHIFT_JIS", "CP932",
	    "EUC-JP", "UTF-8" };
	const char *text = "申請受付番号：福オンＥＮ25001878 ５，５００円";
	char *enc, *out;
	size_t n, on, i;
	struct zr_error e;

	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		enc = encode(cs[i], text, &n);
		/* Declared. */
		ck_assert_msg(zr_charset_to_utf8(cs[i], (unsigned char *)enc,
		    n, &out, &on, &e) == 0, "%s: %s", cs[i], e.msg);
		ck_assert_str_eq(out, text);
		free(out);
		/* Guessed. */
		ck_assert_msg(zr_charset_to_utf8(NULL, (unsigned char *)enc,
		    n, &out, &on, &e) == 0, "guess %s: %s", cs[i], e.msg);
		ck_assert_str_eq(out, text);
		free(out);
		free(enc);
	}
	/* MIME names of the same thing. */
	enc = encode("CP932", text, &n);
	ck_assert_int_eq(zr_charset_to_utf8("windows-31j", (unsigned char *)enc,
	    n, &out, &on, &e), 0);
	ck_assert_str_eq(out, text);
	free(out);
	/* Shift_JIS bytes declared as UTF-8 are refused, with the offset. */
	ck_assert_int_eq(zr_charset_to_utf8("utf-8", (unsigned char *)enc, n,
	    &out, &on, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_MAIL);
	ck_assert_ptr_nonnull(strstr(e.msg, "byte 0"));
	free(enc);
	ck_assert_int_eq(zr_charset_to_utf8("x-klingon", (unsigned char *)"a",
	    1, &out, &on, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CHARSET);
	ck_assert_ptr_nonnull(strstr(e.msg, "x-klingon"));
	ck_assert_int_eq(zr_charset_to_utf8("bad name;", (unsigned char *)"a",
	    1, &out, &on, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CHARSET);
	/* Bytes no Japanese encoding reads. */
	ck_assert_int_eq(zr_charset_to_utf8(NULL, (unsigned char *)"\x80\xff"
	    "\x80\xff", 4, &out, &on, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CHARSET);
}
END_TEST

START_TEST(test_iso2022jp_nec)
{
	/* ① (NEC row 13, JIS 0x2D21) and ㈱ (0x2D6A) as Windows mailers
	 * write them in ISO-2022-JP; plain ISO-2022-JP decoders refuse. */
	const char jis[] = "\x1b$B\x2d\x21\x2d\x6a\x1b(B ok";
	char *out;
	size_t on;
	struct zr_error e;

	ck_assert_int_eq(zr_charset_to_utf8("ISO-2022-JP", (unsigned char *)jis,
	    sizeof(jis) - 1, &out, &on, &e), 0);
	ck_assert_str_eq(out, "①㈱ ok");
	free(out);
	/* Half-width katakana by ESC ( I. */
	ck_assert_int_eq(zr_charset_to_utf8("ISO-2022-JP", (unsigned char *)
	    "\x1b(I\x35\x5d\x1b(B", 8, &out, &on, &e), 0);
	ck_assert_str_eq(out, "ｵﾝ");
	free(out);
	ck_assert_int_eq(zr_charset_to_utf8("ISO-2022-JP", (unsigned char *)
	    "\x1b$Z!!", 5, &out, &on, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_MAIL);
}
END_TEST

START_TEST(test_header)
{
	char *out, *e1, *e2, *b1, *b2, *raw;
	size_t n1, n2;
	struct zr_error e;
	const char *h;

	/* Two ISO-2022-JP words folded: the white space between goes. */
	e1 = encode("ISO-2022-JP", "【在留申請オンラインシステム】", &n1);
	e2 = encode("ISO-2022-JP", "審査完了に関するお知らせ", &n2);
	b1 = b64((unsigned char *)e1, n1);
	b2 = b64((unsigned char *)e2, n2);
	raw = cat("=?ISO-2022-JP?B?%s?=\r\n =?iso-2022-jp?b?%s?=", b1, b2);
	ck_assert_int_eq(zr_mime_header_decode(raw, strlen(raw), &out, &e), 0);
	ck_assert_str_eq(out, "【在留申請オンラインシステム】"
	    "審査完了に関するお知らせ");
	free(out);
	free(raw);
	free(e1);
	free(e2);
	free(b1);
	free(b2);
	/* Q with "_", literal text around, and a language tag. */
	h = "Re: =?UTF-8*ja?Q?=E7=94=B3=E8=AB=8B_OK?= (fwd)";
	ck_assert_int_eq(zr_mime_header_decode(h, strlen(h), &out, &e), 0);
	ck_assert_str_eq(out, "Re: 申請 OK (fwd)");
	free(out);
	/* A UTF-8 character split across two words survives. */
	h = "=?UTF-8?B?55Sz6A==?= =?UTF-8?B?q4s=?=";
	ck_assert_int_eq(zr_mime_header_decode(h, strlen(h), &out, &e), 0);
	ck_assert_str_eq(out, "申請");
	free(out);
	/* Not an encoded-word: kept as it is. */
	h = "=?UTF-8?X?abc?= and =?broken";
	ck_assert_int_eq(zr_mime_header_decode(h, strlen(h), &out, &e), 0);
	ck_assert_str_eq(out, h);
	free(out);
	h = "=?x-klingon?Q?abc?=";
	ck_assert_int_eq(zr_mime_header_decode(h, strlen(h), &out, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CHARSET);
}
END_TEST

START_TEST(test_fold)
{
	char *f;

	f = zr_text_fold("ＡＢＣ１２３　ｘ");
	ck_assert_str_eq(f, "ABC123 x");
	free(f);
	f = zr_text_fold("ｵﾝｶﾞﾊﾟｳﾞｯﾄ｡");
	ck_assert_str_eq(f, "オンガパヴット。");
	free(f);
	f = zr_text_fold("青海２ー７−１１、ラーメン、1-2");
	ck_assert_str_eq(f, "青海2-7-11、ラーメン、1-2");
	free(f);
}
END_TEST

START_TEST(test_receipt_parse)
{
	static const char *const good[] = { "福オンＥＮ25001878",
	    "福オンEN25001878", "福ｵﾝｅｎ２５００１８７８",
	    "　福オンＥＮ25001878 \n", "福オンen25001878" };
	static const struct {
		const char *s, *why;
	} bad[] = {
		{ "オンＥＮ25001878", "office kanji" },
		{ "福オＥＮ25001878", "no オン" },
		{ "福オンＥ25001878", "2 letters" },
		{ "福オンＥＮ2500187", "8 digits" },
		{ "福オンＥＮ250018789", "8 digits" },
		{ "福オンＥＮ25001878X", "after the 8 digits" },
		{ "阪永C 24999", "no オン" },
		{ "", "empty" },
		{ "  ", "empty" },
	};
	struct zr_receipt r, r2;
	struct zr_error e;
	char buf[ZR_RECEIPT_BUFSZ];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(zr_receipt_parse(good[i], &r, &e) == 0, "%s: %s",
		    good[i], e.msg);
		ck_assert_str_eq(zr_receipt_format(&r, buf),
		    "福オンＥＮ25001878");
		ck_assert_str_eq(r.digits, "25001878");
		ck_assert_str_eq(r.letters, "EN");
	}
	ck_assert_int_eq(zr_receipt_parse("神オンＣＶ25001161", &r2, &e), 0);
	ck_assert_int_eq(zr_receipt_equal(&r, &r2), 0);
	ck_assert_int_eq(zr_receipt_parse("福オンEN25001878", &r2, &e), 0);
	ck_assert_int_eq(zr_receipt_equal(&r, &r2), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(zr_receipt_parse(bad[i].s, &r, &e) == -1, "%s",
		    bad[i].s);
		ck_assert_int_eq(e.code, ZR_E_NUMBER);
		ck_assert_msg(strstr(e.msg, bad[i].why) != NULL, "%s: %s",
		    bad[i].s, e.msg);
	}
}
END_TEST

START_TEST(test_receipt_find)
{
	const char *t = "番号は阪オンＥＮ25006057と神オンEV25003433、"
	    "福オンＥＮ250018789 は違う";
	size_t pos = 0, end;
	struct zr_receipt r;
	char buf[ZR_RECEIPT_BUFSZ];

	ck_assert_int_eq(zr_receipt_find(t, strlen(t), &pos, &end, &r), 1);
	ck_assert_str_eq(zr_receipt_format(&r, buf), "阪オンＥＮ25006057");
	pos = end;
	ck_assert_int_eq(zr_receipt_find(t, strlen(t), &pos, &end, &r), 1);
	ck_assert_str_eq(zr_receipt_format(&r, buf), "神オンＥＶ25003433");
	pos = end;
	ck_assert_int_eq(zr_receipt_find(t, strlen(t), &pos, &end, &r), 0);
}
END_TEST

START_TEST(test_mail_iso2022jp)
{
	char *b, *s1, *bs, *m;
	size_t n, n1;
	struct zr_mail *mail;

	b = encode("ISO-2022-JP", body_post, &n);
	s1 = encode("ISO-2022-JP", "審査完了に関するお知らせ", &n1);
	bs = b64((unsigned char *)s1, n1);
	m = cat("From: test@example.invalid\r\nSubject: =?ISO-2022-JP?B?%s?=\r\n"
	    "Date: Tue, 14 Oct 2025 10:03:21 +0900\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain;\r\n charset=\"ISO-2022-JP\"\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n\r\n%s", bs, b);
	mail = parse_ok(m, strlen(m));
	ck_assert_str_eq(zr_mail_header(mail, "SUBJECT"),
	    "審査完了に関するお知らせ");
	ck_assert_str_eq(zr_mail_charset(mail), "ISO-2022-JP");
	ck_assert_ptr_nonnull(strstr(zr_mail_text(mail), "福オンＥＮ"));
	ck_assert_ptr_null(strchr(zr_mail_text(mail), '\r'));
	check_completion(mail);
	{
		struct zr_completion c;

		zr_mail_completion(mail, &c, NULL);
		ck_assert_int_eq(c.has_date, 1);
		ck_assert_date_eq(c.date, ZR_D(2025, 10, 14));
	}
	zr_mail_free(mail);
	free(m);
	free(b);
	free(s1);
	free(bs);
}
END_TEST

START_TEST(test_mail_sjis_base64)
{
	char *b, *bb, *m;
	size_t n;
	struct zr_mail *mail;

	b = encode("CP932", body_post, &n);
	bb = b64w((unsigned char *)b, n, 1);
	m = cat("From: a@example.invalid\nSubject: test\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=Shift_JIS\n"
	    "Content-Transfer-Encoding: BASE64\n\n%s\n", bb);
	mail = parse_ok(m, strlen(m));
	check_completion(mail);
	zr_mail_free(mail);
	free(m);
	free(b);
	free(bb);
}
END_TEST

START_TEST(test_mail_utf8_qp_multipart)
{
	char *q, *h, *hb, *m;
	struct zr_mail *mail;

	q = qp(body_post);
	h = cat("<html><head><style>p{x:1}</style></head><body><p>%s</p>"
	    "&amp;&#x3042;</body></html>", "HTML only");
	hb = b64w((unsigned char *)h, strlen(h), 1);
	m = cat("From: a@example.invalid\nSubject: x\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
	    "preamble\n--b1\nContent-Type: text/html; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n%s\n"
	    "--b1\nContent-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n%s\n--b1--\n"
	    "epilogue\n", hb, q);
	mail = parse_ok(m, strlen(m));
	/* The plain part is preferred; the HTML is not added. */
	ck_assert_ptr_null(strstr(zr_mail_text(mail), "HTML only"));
	check_completion(mail);
	zr_mail_free(mail);
	free(m);
	/* HTML alone is reduced to text. */
	m = cat("Subject: x\nContent-Type: multipart/alternative; "
	    "boundary=b1\n\n--b1\nContent-Type: text/html; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n%s\n--b1--\n", hb);
	mail = parse_ok(m, strlen(m));
	ck_assert_str_eq(zr_mail_text(mail), "\nHTML only\n&あ");
	zr_mail_free(mail);
	free(m);
	free(q);
	free(h);
	free(hb);
}
END_TEST

START_TEST(test_mail_forwarded)
{
	char *b, *m, *s1, *bs;
	size_t n, n1;
	struct zr_mail *mail;
	struct zr_completion c;
	struct zr_error e;

	/* Forwarded as an attachment: the inner mail's Date counts. */
	b = encode("ISO-2022-JP", body_post, &n);
	s1 = encode("ISO-2022-JP", "【在留申請オンラインシステム】審査完了に関するお知らせ",
	    &n1);
	bs = b64((unsigned char *)s1, n1);
	m = cat("From: me@example.invalid\nSubject: Fwd: see this\n"
	    "Date: Mon, 20 Oct 2025 08:00:00 +0900\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
	    "--outer\nContent-Type: text/plain; charset=us-ascii\n\n"
	    "FYI\n--outer\nContent-Type: image/png\n"
	    "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
	    "--outer\nContent-Type: message/rfc822\n\n"
	    "From: x@example.invalid\nSubject: =?ISO-2022-JP?B?%s?=\n"
	    "Date: 15 Oct 2025 23:30:00 -0000\n"
	    "Content-Type: text/plain; charset=iso-2022-jp\n\n%s\n"
	    "--outer--\n", bs, b);
	mail = parse_ok(m, strlen(m));
	ck_assert_uint_eq(zr_mail_nmsgs(mail), 2);
	ck_assert_str_eq(zr_mail_header(mail, "subject"), "Fwd: see this");
	ck_assert_ptr_nonnull(strstr(zr_mail_msg_header(mail, 1, "subject"),
	    "審査完了"));
	check_completion(mail);
	ck_assert_int_eq(zr_mail_completion(mail, &c, &e), 0);
	/* 23:30 UTC is 08:30 the next day in Japan. */
	ck_assert_date_eq(c.date, ZR_D(2025, 10, 16));
	zr_mail_free(mail);
	free(m);
	free(b);
	free(s1);
	free(bs);
}
END_TEST

START_TEST(test_mail_pasted)
{
	static const char *const cs[] = { "CP932", "EUC-JP", "UTF-8" };
	char *b;
	size_t n, i;
	struct zr_mail *mail;

	/* Pasted text: no headers, charset guessed. */
	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		b = encode(cs[i], body_post, &n);
		mail = parse_ok(b, n);
		ck_assert_uint_eq(zr_mail_nmsgs(mail), 0);
		ck_assert_ptr_null(zr_mail_header(mail, "subject"));
		check_completion(mail);
		zr_mail_free(mail);
		free(b);
	}
	/* A first line that looks like a header is still text. */
	mail = parse_ok("Note: hello\nworld\n", 18);
	ck_assert_str_eq(zr_mail_text(mail), "Note: hello\nworld\n");
	zr_mail_free(mail);
}
END_TEST

static void
parse_bad(const char *m, size_t len, int code, const char *what)
{
	struct zr_mail *mail = (struct zr_mail *)1;
	struct zr_error e;

	ck_assert_int_eq(zr_mail_parse(m, len, "bad.eml", &mail, &e), -1);
	ck_assert_ptr_null(mail);
	ck_assert_int_eq(e.code, code);
	ck_assert_str_eq(e.subject, "bad.eml");
	ck_assert_msg(strstr(e.msg, what) != NULL, "message: %s", e.msg);
}

START_TEST(test_mail_bad)
{
	char *b, *lat, *m;
	size_t n;
	iconv_t cd;
	char *ip, *op, out[4096];
	size_t il, ol;

	parse_bad("", 0, ZR_E_EMPTY, "empty");
	m = "Subject: x\nContent-Transfer-Encoding: x-uuencode\n\nabc\n";
	parse_bad(m, strlen(m), ZR_E_MAIL, "x-uuencode");
	m = "Subject: x\nContent-Type: text/plain; charset=x-klingon\n\nabc\n";
	parse_bad(m, strlen(m), ZR_E_CHARSET, "x-klingon");
	m = "Subject: x\nContent-Type: multipart/mixed\n\nabc\n";
	parse_bad(m, strlen(m), ZR_E_MAIL, "boundary");
	m = "Subject: x\nContent-Type: multipart/mixed; boundary=q\n\nabc\n";
	parse_bad(m, strlen(m), ZR_E_MAIL, "never occurs");
	m = "Subject: x\nContent-Type: image/png\n\nabc\n";
	parse_bad(m, strlen(m), ZR_E_MAIL, "no readable text");
	m = "Subject: x\nContent-Type: text/plain; charset=utf-8\n\n\xe7\x94\n";
	parse_bad(m, strlen(m), ZR_E_MAIL, "not valid utf-8");
	m = "Subject: x\n\n\xef\xbf\xbd\xef\xbf\xbd\n";
	parse_bad(m, strlen(m), ZR_E_MAIL, "U+FFFD");

	/* UTF-8 read as Latin-1 and saved again as UTF-8. */
	b = encode("UTF-8", body_post, &n);
	cd = iconv_open("UTF-8", "ISO-8859-1");
	ip = b;
	il = n;
	op = out;
	ol = sizeof(out) - 1;
	iconv(cd, &ip, &il, &op, &ol);
	iconv_close(cd);
	*op = '\0';
	parse_bad(out, strlen(out), ZR_E_MAIL, "Latin-1");
	/* UTF-8 read as Shift_JIS (what a Japanese Windows tool does). */
	cd = iconv_open("UTF-8//IGNORE", "CP932");
	ip = b;
	il = n;
	op = out;
	ol = sizeof(out) - 1;
	iconv(cd, &ip, &il, &op, &ol);
	iconv_close(cd);
	*op = '\0';
	parse_bad(out, strlen(out), ZR_E_MAIL, "Shift_JIS");
	/* Declared Latin-1 but it is UTF-8: garbled once decoded. */
	lat = cat("Subject: x\nContent-Type: text/plain; charset=iso-8859-1\n\n"
	    "%s", b);
	parse_bad(lat, strlen(lat), ZR_E_MAIL, "garbled");
	free(lat);
	free(b);
	/* MIME nested too deep. */
	{
		char *deep = cat("%s", ""), *t;
		int i;

		for (i = 0; i < 20; i++) {
			t = cat("Content-Type: message/rfc822\n\n%s", deep);
			free(deep);
			deep = t;
		}
		t = cat("Subject: x\n%s", deep);
		parse_bad(t, strlen(t), ZR_E_MAIL, "nested");
		free(t);
		free(deep);
	}
}
END_TEST

START_TEST(test_mail_date)
{
	struct zr_date d;
	struct zr_error e;

	ck_assert_int_eq(zr_mail_date_jst("Tue, 14 Oct 2025 10:03:21 +0900",
	    &d, &e), 0);
	ck_assert_date_eq(d, ZR_D(2025, 10, 14));
	ck_assert_int_eq(zr_mail_date_jst("14 Oct 2025 20:00:00 -0500", &d,
	    &e), 0);
	ck_assert_date_eq(d, ZR_D(2025, 10, 15));
	ck_assert_int_eq(zr_mail_date_jst("Wed, 31 Dec 2025 15:00 GMT", &d,
	    &e), 0);
	ck_assert_date_eq(d, ZR_D(2026, 1, 1));
	ck_assert_int_eq(zr_mail_date_jst("Wed, 31 Dec 2025 14:59:59 +0000 "
	    "(UTC)", &d, &e), 0);
	ck_assert_date_eq(d, ZR_D(2025, 12, 31));
	ck_assert_int_eq(zr_mail_date_jst("1 Jan 99 00:00 +0000", &d, &e), 0);
	ck_assert_date_eq(d, ZR_D(1999, 1, 1));
	ck_assert_int_eq(zr_mail_date_jst("31 Feb 2025 00:00 +0900", &d, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_DATE);
	ck_assert_int_eq(zr_mail_date_jst("yesterday", &d, &e), -1);
	ck_assert_int_eq(zr_mail_date_jst("1 Foo 2025 00:00", &d, &e), -1);
}
END_TEST

static int
completion_of(const char *text, struct zr_completion *c, struct zr_error *e)
{
	struct zr_mail *m = parse_ok(text, strlen(text));
	int rc = zr_mail_completion(m, c, e);

	zr_mail_free(m);
	return rc;
}

START_TEST(test_completion_edges)
{
	struct zr_completion c;
	struct zr_error e;

	/* A label running into text is no value; the number elsewhere is. */
	ck_assert_int_eq(completion_of("申請受付番号をお控えください。\n"
	    "番号 福オンEN25001878\n手数料\n¥6,000\n", &c, &e), 0);
	ck_assert_int_eq(c.has_receipt, 1);
	ck_assert_int_eq(c.fee, 6000);
	ck_assert_int_eq(c.pickup, ZR_PICKUP_UNKNOWN);
	ck_assert_int_eq(c.has_receipt_date, 0);
	ck_assert_ptr_null(c.application);
	/* A labelled value running into text. */
	ck_assert_int_eq(completion_of("申請受付番号：福オンEN25001878です\n",
	    &c, &e), 0);
	ck_assert_int_eq(c.has_receipt, 1);
	/* A labelled value of the wrong shape. */
	ck_assert_int_eq(completion_of("申請受付番号：福オンEN2500\n", &c, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_NUMBER);
	ck_assert_str_eq(e.subject, "t.eml");
	/* Two different labelled numbers. */
	ck_assert_int_eq(completion_of("申請受付番号：福オンEN25001878\n"
	    "申請受付番号：福オンEN25001879\n", &c, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CONFLICT);
	/* Two unlabelled numbers: neither is chosen. */
	ck_assert_int_eq(completion_of("福オンEN25001878\n福オンEN25001879\n",
	    &c, &e), 0);
	ck_assert_int_eq(c.has_receipt, 0);
	ck_assert_uint_eq(c.nreceipts, 2);
	/* A bad receipt date. */
	ck_assert_int_eq(completion_of("申請受付日：2025年2月30日\n", &c, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_DATE);
	/* Era date, date-time label, value on the next line. */
	ck_assert_int_eq(completion_of("申請受付日時：\n令和7年10月7日10時\n"
	    "在留資格変更\n", &c, &e), 0);
	ck_assert_date_eq(c.receipt_date, ZR_D(2025, 10, 7));
	ck_assert_str_eq(c.application, "change");
	/* The counter case and its office. */
	ck_assert_int_eq(completion_of("本メール受信後１４日以内（注）に\n"
	    "受領希望先として選択された以下の地方出入国在留管理官署に"
	    "お越しください。\n\n見本出入国在留管理局\n〒100-0000 見本町1\n\n"
	    "（注）以上\n", &c, &e), 0);
	ck_assert_int_eq(c.pickup, ZR_PICKUP_COUNTER);
	ck_assert_str_eq(c.office, "見本出入国在留管理局\n〒100-0000 見本町1");
	/* Both wordings: undecided. */
	ck_assert_int_eq(completion_of("郵送による在留カードの受領を希望されて"
	    "いる\n本メール受信後14日以内\n", &c, &e), 0);
	ck_assert_int_eq(c.pickup, ZR_PICKUP_UNKNOWN);
}
END_TEST

Suite *
zr_mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *tc = tcase_create("mail");

	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_qp);
	tcase_add_test(tc, test_charsets);
	tcase_add_test(tc, test_iso2022jp_nec);
	tcase_add_test(tc, test_header);
	tcase_add_test(tc, test_fold);
	tcase_add_test(tc, test_receipt_parse);
	tcase_add_test(tc, test_receipt_find);
	tcase_add_test(tc, test_mail_iso2022jp);
	tcase_add_test(tc, test_mail_sjis_base64);
	tcase_add_test(tc, test_mail_utf8_qp_multipart);
	tcase_add_test(tc, test_mail_forwarded);
	tcase_add_test(tc, test_mail_pasted);
	tcase_add_test(tc, test_mail_bad);
	tcase_add_test(tc, test_mail_date);
	tcase_add_test(tc, test_completion_edges);
	suite_add_tcase(s, tc);
	return s;
}
