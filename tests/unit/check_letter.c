/* Unit tests: the mail-in kit (facts + mail -> content, text, PDF). */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zr_test.h"

/* An invented person. */
static const char base_facts[] =
    "name = TEST HANAKO\n"
    "postcode = 135-0064\n"
    "address = 東京都江東区青海9-9-9 テスト荘1\n"
    "phone = 03-0000-0001\n"
    "occupation = Teacher\n"
    "status = Engineer/Specialist in Humanities/International Services\n"
    "application = extension\n"
    "receipt_number = 福オンEN25001878\n"
    "receipt_date = 2025-10-07\n"
    "completion_date = 2025-10-20\n";

static struct zr_facts *
facts_of(const char *text)
{
	struct zr_facts *f;
	struct zr_error e;

	ck_assert_msg(zr_facts_parse(text, strlen(text), "t.facts", &f, &e) ==
	    0, "facts: %s", e.msg);
	return f;
}

/* base_facts without the line that starts with drop, plus extra. */
static struct zr_facts *
facts_edit(const char *drop, const char *extra)
{
	char buf[8192], *line, *save = NULL, copy[8192];
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", base_facts);
	buf[0] = '\0';
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (drop != NULL && strncmp(line, drop, strlen(drop)) == 0)
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s\n", line);
	}
	if (extra != NULL)
		snprintf(buf + n, sizeof(buf) - n, "%s", extra);
	return facts_of(buf);
}

static int
has(const unsigned char *p, size_t n, const char *s)
{
	size_t k = strlen(s), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(p + i, s, k) == 0)
			return 1;
	return 0;
}

static void
input(struct zr_kit_input *in, const struct zr_facts *f,
    const struct zr_completion *c)
{
	memset(in, 0, sizeof(*in));
	in->facts = f;
	in->mail = c;
	in->mail_name = c != NULL ? "t.eml" : NULL;
	in->fee = -1;
}

static void
build_ok(const struct zr_kit_input *in, struct zr_kit *k)
{
	struct zr_error e;

	ck_assert_msg(zr_kit_build(in, k, &e) == 0, "build: %s: %s",
	    e.subject, e.msg);
}

static void
build_bad(const struct zr_kit_input *in, int code, const char *subject,
    const char *what)
{
	struct zr_kit k;
	struct zr_error e;

	ck_assert_int_eq(zr_kit_build(in, &k, &e), -1);
	ck_assert_msg(e.code == code, "code %s, want %s: %s",
	    zr_code_name(e.code), zr_code_name(code), e.msg);
	ck_assert_str_eq(e.subject, subject);
	ck_assert_msg(strstr(e.msg, what) != NULL, "message: %s", e.msg);
}

/* A completion mail as zr_mail_completion leaves it. */
static void
mail_of(struct zr_completion *c, const char *receipt, struct zr_date rd,
    long fee)
{
	memset(c, 0, sizeof(*c));
	c->pickup = ZR_PICKUP_POST;
	if (receipt != NULL) {
		ck_assert_int_eq(zr_receipt_parse(receipt, &c->receipt, NULL), 0);
		c->has_receipt = 1;
		c->receipts[0] = c->receipt;
		c->nreceipts = 1;
	}
	if (rd.y != 0) {
		c->receipt_date = rd;
		c->has_receipt_date = 1;
	}
	c->fee = fee;
	c->application = "extension";
	snprintf(c->send_to_postcode, sizeof(c->send_to_postcode), "%s",
	    "135-0064");
	snprintf(c->send_to, sizeof(c->send_to), "%s",
	    "東京都江東区青海2-7-11\nテスト送付先");
}

START_TEST(test_fee_by_date)
{
	static const struct {
		const char *date, *app;
		long fee, letter, reg, lp;
	} t[] = {
		/* rules-facts §3.1: the fee of the acceptance date. */
		{ "2025-03-31", "extension", 4000, 110, 350, 600 },
		{ "2025-04-01", "extension", 5500, 110, 350, 600 },
		{ "2025-04-01", "change", 5500, 110, 350, 600 },
		/* §3.2: 簡易書留 350 from 2023-10-01; 110 and 600 from
		 * 2024-10-01. */
		{ "2023-09-30", "change", 4000, 84, 320, 520 },
		{ "2024-09-30", "extension", 4000, 84, 350, 520 },
		{ "2024-10-01", "extension", 4000, 110, 350, 600 },
	};
	struct zr_kit_input in;
	struct zr_kit k;
	struct zr_facts *f;
	char extra[128];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(extra, sizeof(extra), "receipt_date = %s\n"
		    "application = %s\n", t[i].date, t[i].app);
		f = facts_edit("receipt_date", NULL);
		zr_facts_set(f, "receipt_date", t[i].date, NULL);
		zr_facts_set(f, "application", t[i].app, NULL);
		zr_facts_set(f, "completion_date", t[i].date, NULL);
		input(&in, f, NULL);
		build_ok(&in, &k);
		ck_assert_msg(k.fee == t[i].fee, "%s %s: fee %ld", t[i].date,
		    t[i].app, k.fee);
		ck_assert_int_eq(k.postage_letter, t[i].letter);
		ck_assert_int_eq(k.postage_registered, t[i].reg);
		ck_assert_int_eq(k.postage_letterpack, t[i].lp);
		ck_assert_str_eq(k.fee_key, strcmp(t[i].app, "change") == 0 ?
		    "fee.change.online" : "fee.extension.online");
		zr_facts_free(f);
	}
	/* --rules-date overrides the receipt date. */
	f = facts_of(base_facts);
	input(&in, f, NULL);
	in.has_rules_date = 1;
	in.rules_date = ZR_D(2025, 3, 1);
	build_ok(&in, &k);
	ck_assert_int_eq(k.fee, 4000);
	ck_assert_date_eq(k.rules_date, ZR_D(2025, 3, 1));
	/* Before the table knows any fee. */
	in.rules_date = ZR_D(2010, 1, 1);
	build_bad(&in, ZR_E_NO_RULE, "", "");
	zr_facts_free(f);
}
END_TEST

START_TEST(test_build_basic)
{
	struct zr_kit_input in;
	struct zr_kit k;
	struct zr_facts *f = facts_of(base_facts);

	input(&in, f, NULL);
	build_ok(&in, &k);
	ck_assert_int_eq(k.pickup, ZR_PICKUP_POST);
	ck_assert_str_eq(k.receipt, "福オンＥＮ25001878");
	ck_assert_date_eq(k.receipt_date, ZR_D(2025, 10, 7));
	ck_assert_date_eq(k.deadline, ZR_D(2025, 11, 3));
	ck_assert_int_eq(k.fee, 5500);
	ck_assert_int_eq(k.designation, 0);
	ck_assert_int_eq(k.agent, 0);
	ck_assert_int_eq(k.send_to_from_mail, 0);
	ck_assert_str_eq(k.send_to_postcode, "135-0064");
	ck_assert_ptr_nonnull(strstr(k.send_to, "おだいば分室"));
	zr_facts_free(f);
}
END_TEST

START_TEST(test_missing)
{
	static const char *const keys[] = { "name", "postcode", "address",
	    "receipt_number", "receipt_date", "application" };
	struct zr_kit_input in;
	struct zr_facts *f;
	size_t i;
	char want[64];

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		f = facts_edit(keys[i], NULL);
		input(&in, f, NULL);
		snprintf(want, sizeof(want), "\"%s\" is missing", keys[i]);
		build_bad(&in, ZR_E_MISSING, "t.facts", want);
		zr_facts_free(f);
	}
	/* An agent filed: the applicant's address is not needed (A56). */
	f = facts_edit("postcode", "agent_name = AGENT TARO\n");
	input(&in, f, NULL);
	{
		struct zr_kit k;

		build_ok(&in, &k);
		ck_assert_int_eq(k.agent, 1);
	}
	zr_facts_free(f);
	/* The counter case needs no address either. */
	f = facts_edit("address", NULL);
	input(&in, f, NULL);
	in.pickup = ZR_PICKUP_COUNTER;
	{
		struct zr_kit k;

		build_ok(&in, &k);
		ck_assert_int_eq(k.pickup, ZR_PICKUP_COUNTER);
	}
	zr_facts_free(f);
}
END_TEST

START_TEST(test_from_mail)
{
	struct zr_kit_input in;
	struct zr_kit k;
	struct zr_completion c;
	struct zr_facts *f;

	/* The mail gives what the facts lack. */
	f = facts_edit("receipt_", NULL);
	mail_of(&c, "福オンＥＮ25001878", ZR_D(2025, 10, 7), 5500);
	c.has_date = 1;
	c.date = ZR_D(2025, 10, 20);
	input(&in, f, &c);
	build_ok(&in, &k);
	ck_assert_str_eq(k.receipt, "福オンＥＮ25001878");
	ck_assert_date_eq(k.receipt_date, ZR_D(2025, 10, 7));
	ck_assert_int_eq(k.send_to_from_mail, 1);
	ck_assert_ptr_nonnull(strstr(k.send_to, "テスト送付先"));
	ck_assert_int_eq(k.mail_fee, 5500);
	/* Several numbers in the mail and none in the facts. */
	c.has_receipt = 0;
	zr_receipt_parse("福オンEN25001879", &c.receipts[1], NULL);
	c.nreceipts = 2;
	build_bad(&in, ZR_E_MISSING, "t.facts", "names 2 numbers");
	zr_facts_free(f);
	/* ...but the facts pick one of them. */
	f = facts_of(base_facts);
	input(&in, f, &c);
	build_ok(&in, &k);
	zr_facts_free(f);
	f = facts_edit("receipt_number", "receipt_number = 福オンEN25009999\n");
	input(&in, f, &c);
	build_bad(&in, ZR_E_CONFLICT, "t.facts", "not among");
	zr_facts_free(f);
}
END_TEST

START_TEST(test_conflicts)
{
	struct zr_kit_input in;
	struct zr_kit k;
	struct zr_completion c;
	struct zr_facts *f = facts_of(base_facts);
	struct zr_error e;

	mail_of(&c, "福オンＥＮ25001879", ZR_D(2025, 10, 7), 5500);
	input(&in, f, &c);
	ck_assert_int_eq(zr_kit_build(&in, &k, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CONFLICT);
	ck_assert_int_eq(zr_code_exit(e.code), ZR_EXIT_PROBLEM);
	ck_assert_int_eq(e.line, 8);
	ck_assert_ptr_nonnull(strstr(e.msg, "福オンＥＮ25001878 here but "
	    "福オンＥＮ25001879 in t.eml"));

	mail_of(&c, "福オンＥＮ25001878", ZR_D(2025, 10, 8), 5500);
	build_bad(&in, ZR_E_CONFLICT, "t.facts", "receipt_date");

	mail_of(&c, "福オンＥＮ25001878", ZR_D(2025, 10, 7), 5500);
	c.application = "change";
	build_bad(&in, ZR_E_CONFLICT, "t.facts", "application");

	mail_of(&c, "福オンＥＮ25001878", ZR_D(2025, 10, 7), 5500);
	c.has_date = 1;
	c.date = ZR_D(2025, 10, 21);
	build_bad(&in, ZR_E_CONFLICT, "t.facts", "completion_date");

	/* The pick-up way: command line against the mail. */
	mail_of(&c, "福オンＥＮ25001878", ZR_D(2025, 10, 7), 5500);
	in.pickup = ZR_PICKUP_COUNTER;
	build_bad(&in, ZR_E_CONFLICT, "t.eml", "--pickup counter");
	in.pickup = ZR_PICKUP_UNKNOWN;

	/* A fee in the mail that disagrees with the rules table. */
	mail_of(&c, "福オンＥＮ25001878", ZR_D(2025, 10, 7), 6000);
	build_bad(&in, ZR_E_CONFLICT, "t.eml", "pass --fee 6000");
	in.fee = 6000;
	build_ok(&in, &k);
	ck_assert_int_eq(k.fee, 6000);
	ck_assert_int_eq(k.fee_from_option, 1);
	in.fee = 7000;
	build_bad(&in, ZR_E_CONFLICT, "t.eml", "--fee says 7,000 yen");
	/* --fee without a mail is taken as it is. */
	input(&in, f, NULL);
	in.fee = 7000;
	build_ok(&in, &k);
	ck_assert_int_eq(k.fee, 7000);
	ck_assert_int_eq(k.rules_fee, 5500);
	zr_facts_free(f);

	/* A completion date before the receipt date. */
	f = facts_edit("completion_date", "completion_date = 2025-10-01\n");
	input(&in, f, NULL);
	build_bad(&in, ZR_E_CONFLICT, "t.facts", "before the receipt date");
	zr_facts_free(f);
}
END_TEST

START_TEST(test_bad_receipt)
{
	struct zr_kit_input in;
	struct zr_facts *f;
	struct zr_kit k;
	struct zr_error e;

	f = facts_edit("receipt_number", "receipt_number = 福オンEN2500187\n");
	input(&in, f, NULL);
	ck_assert_int_eq(zr_kit_build(&in, &k, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NUMBER);
	ck_assert_int_eq(zr_code_exit(e.code), ZR_EXIT_INPUT);
	ck_assert_str_eq(e.subject, "t.facts");
	ck_assert_int_eq(e.line, 10);
	ck_assert_ptr_nonnull(strstr(e.msg, "receipt_number"));
	zr_facts_free(f);
}
END_TEST

START_TEST(test_designation)
{
	ck_assert_int_eq(zr_status_has_designation("特定活動"), 1);
	ck_assert_int_eq(zr_status_has_designation("高度専門職1号ロ"), 1);
	ck_assert_int_eq(zr_status_has_designation("特定技能１号"), 1);
	ck_assert_int_eq(zr_status_has_designation("Designated Activities"),
	    1);
	ck_assert_int_eq(zr_status_has_designation("Highly-Skilled "
	    "Professional (i)(b)"), 1);
	ck_assert_int_eq(zr_status_has_designation("Specified Skilled Worker "
	    "(i)"), 1);
	ck_assert_int_eq(zr_status_has_designation("技術・人文知識・国際業務"),
	    0);
	ck_assert_int_eq(zr_status_has_designation("Student"), 0);
}
END_TEST

START_TEST(test_text)
{
	struct zr_kit_input in;
	struct zr_kit k;
	struct zr_facts *f;
	char *t;
	size_t n;
	struct zr_error e;

	f = facts_edit("status", "status = 特定活動\n");
	input(&in, f, NULL);
	build_ok(&in, &k);
	ck_assert_int_eq(zr_kit_text(&k, &t, &n, &e), 0);
	ck_assert_uint_eq(strlen(t), n);
	ck_assert_ptr_nonnull(strstr(t, "福オンＥＮ25001878"));
	ck_assert_ptr_nonnull(strstr(t, "TEST HANAKO"));
	ck_assert_ptr_nonnull(strstr(t, "5,500円"));
	ck_assert_ptr_nonnull(strstr(t, "460円分の切手"));
	ck_assert_ptr_nonnull(strstr(t, "600円"));
	ck_assert_ptr_nonnull(strstr(t, "指定書（在留資格「特定活動」）"));
	ck_assert_ptr_nonnull(strstr(t, "Do NOT enclose your passport"));
	ck_assert_ptr_nonnull(strstr(t, "2025-11-03"));
	ck_assert_ptr_nonnull(strstr(t, "〒135-0064\n"));
	ck_assert_ptr_nonnull(strstr(t, "TEST HANAKO 様"));
	ck_assert_ptr_nonnull(strstr(t, "申請受付日：令和7年10月7日"));
	ck_assert_ptr_nonnull(strstr(t, "Teacher"));
	free(t);
	zr_facts_free(f);

	/* An agent: the card copy names the agent; no designation line
	 * when the status has none. */
	f = facts_edit("status", "status = Student\nagent_name = AGENT JIRO\n"
	    "agent_occupation = 行政書士\nagent_phone = 03-9999-0000\n");
	input(&in, f, NULL);
	build_ok(&in, &k);
	ck_assert_int_eq(zr_kit_text(&k, &t, &n, &e), 0);
	ck_assert_ptr_nonnull(strstr(t, "利用者（取次者）：AGENT JIRO（職業："
	    "行政書士）"));
	ck_assert_ptr_nonnull(strstr(t, "03-9999-0000"));
	ck_assert_ptr_null(strstr(t, "指定書"));
	free(t);
	zr_facts_free(f);

	/* The counter case. */
	f = facts_of(base_facts);
	input(&in, f, NULL);
	in.pickup = ZR_PICKUP_COUNTER;
	build_ok(&in, &k);
	ck_assert_int_eq(zr_kit_text(&k, &t, &n, &e), 0);
	ck_assert_ptr_nonnull(strstr(t, "窓口"));
	ck_assert_ptr_nonnull(strstr(t, "Pick up by: 2025-11-03"));
	ck_assert_ptr_null(strstr(t, "返信用封筒"));
	free(t);
	zr_facts_free(f);
}
END_TEST

START_TEST(test_pdf)
{
	struct zr_kit_input in;
	struct zr_kit k;
	struct zr_facts *f = facts_of(base_facts);
	unsigned char *p1, *p2;
	size_t n1, n2;
	struct zr_error e;
	FILE *fp;
	char tmp[] = "/tmp/zr-letter-fontXXXXXX";
	int fd;

	input(&in, f, NULL);
	build_ok(&in, &k);
	if (access(ZR_LETTER_FONT, R_OK) != 0) {
		/* Without fonts-ipaexfont: a clear error, no PDF. */
		ck_assert_int_eq(zr_kit_pdf(&k, NULL, &p1, &n1, &e), -1);
		ck_assert_int_eq(e.code, ZR_E_FONT);
		zr_facts_free(f);
		return;
	}
	ck_assert_msg(zr_kit_pdf(&k, NULL, &p1, &n1, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(zr_kit_pdf(&k, NULL, &p2, &n2, &e), 0);
	ck_assert_uint_gt(n1, 1000);
	ck_assert_mem_eq(p1, "%PDF-", 5);
	ck_assert_int_eq(has(p1 + n1 - 16, 16, "%%EOF"), 1);
	/* The font is embedded, and no date is written. */
	ck_assert_int_eq(has(p1, n1, "/FontFile2"), 1);
	ck_assert_int_eq(has(p1, n1, "/CreationDate"), 0);
	/* Deterministic bytes. */
	ck_assert_uint_eq(n1, n2);
	ck_assert_mem_eq(p1, p2, n1);
	free(p1);
	free(p2);
	/* Font errors. */
	ck_assert_int_eq(zr_kit_pdf(&k, "/nonexistent/font.ttf", &p1, &n1, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_FONT);
	ck_assert_str_eq(e.subject, "/nonexistent/font.ttf");
	fd = mkstemp(tmp);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs("not a font", fp);
	fclose(fp);
	ck_assert_int_eq(zr_kit_pdf(&k, tmp, &p1, &n1, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_FONT);
	ck_assert_ptr_nonnull(strstr(e.msg, "TrueType"));
	unlink(tmp);
	zr_facts_free(f);
}
END_TEST

START_TEST(test_pdf_too_long)
{
	struct zr_kit_input in;
	struct zr_kit k;
	struct zr_facts *f;
	unsigned char *p;
	size_t n;
	struct zr_error e;
	char extra[4096];
	size_t i, m;

	if (access(ZR_LETTER_FONT, R_OK) != 0)
		return;
	/* An address far too long for the label: refused, not cut. */
	m = (size_t)snprintf(extra, sizeof(extra), "address = ");
	for (i = 0; i < 1000; i++)
		m += (size_t)snprintf(extra + m, sizeof(extra) - m, "長");
	snprintf(extra + m, sizeof(extra) - m, "\n");
	f = facts_edit("address", extra);
	input(&in, f, NULL);
	build_ok(&in, &k);
	ck_assert_int_eq(zr_kit_pdf(&k, NULL, &p, &n, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PDF_WRITE);
	zr_facts_free(f);
}
END_TEST

Suite *
zr_letter_suite(void)
{
	Suite *s = suite_create("letter");
	TCase *tc = tcase_create("letter");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fee_by_date);
	tcase_add_test(tc, test_build_basic);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_from_mail);
	tcase_add_test(tc, test_conflicts);
	tcase_add_test(tc, test_bad_receipt);
	tcase_add_test(tc, test_designation);
	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_pdf);
	tcase_add_test(tc, test_pdf_too_long);
	suite_add_tcase(s, tc);
	return s;
}
