/* zairyu-tools: unit tests of the passport MRZ (ICAO 9303 TD3). */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "zr_test.h"

/* The ICAO 9303 specimen (rules-facts §6.2). */
#define SPEC1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define SPEC2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
/* The invented sample person of examples/sample (digits computed). */
#define SAMP1 "P<UTOSAMPLE<<TARO<JOHN<<<<<<<<<<<<<<<<<<<<<<"
#define SAMP2 "XZ12345674UTO9004012M3106305<<<<<<<<<<<<<<<6"

static size_t
count(const struct zr_name_report *r, enum zr_name_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->f[i].kind == k;
	return n;
}

static void
parse_ok(const char *text, struct zr_mrz *m)
{
	struct zr_error e;

	ck_assert_msg(zr_mrz_parse(text, strlen(text), "t", m, &e) == 0,
	    "%s", e.msg);
}

static void
parse_bad(const char *text, int code, int line, const char *msg)
{
	struct zr_mrz m;
	struct zr_error e;

	ck_assert_int_eq(zr_mrz_parse(text, strlen(text), "t", &m, &e), -1);
	ck_assert_int_eq(e.code, code);
	ck_assert_int_eq(e.line, line);
	ck_assert_str_eq(e.subject, "t");
	if (msg != NULL)
		ck_assert_str_eq(e.msg, msg);
}

START_TEST(check_digits)
{
	/* ICAO specimen: 6, 2, 9, 1 and composite 0 (rules-facts §6.2). */
	ck_assert_int_eq(zr_mrz_check_digit("L898902C3", 9), 6);
	ck_assert_int_eq(zr_mrz_check_digit("740812", 6), 2);
	ck_assert_int_eq(zr_mrz_check_digit("120415", 6), 9);
	ck_assert_int_eq(zr_mrz_check_digit("ZE184226B<<<<<", 14), 1);
	ck_assert_int_eq(zr_mrz_check_digit(
	    "L898902C36" "7408122" "1204159ZE184226B<<<<<1", 39), 0);
	/* Invented numbers, computed by hand with weights 7, 3, 1. */
	ck_assert_int_eq(zr_mrz_check_digit("XZ1234567", 9), 4);
	ck_assert_int_eq(zr_mrz_check_digit("900401", 6), 2);
	ck_assert_int_eq(zr_mrz_check_digit("310630", 6), 5);
	ck_assert_int_eq(zr_mrz_check_digit("<<<<<<<<<<<<<<", 14), 0);
	ck_assert_int_eq(zr_mrz_check_digit("", 0), 0);
	ck_assert_int_eq(zr_mrz_check_digit("AB", 2), (10 * 7 + 11 * 3) % 10);
	ck_assert_int_eq(zr_mrz_check_digit("a", 1), -1);
	ck_assert_int_eq(zr_mrz_check_digit(" ", 1), -1);
}
END_TEST

START_TEST(parse_specimen)
{
	struct zr_mrz m;
	int i;

	parse_ok(SPEC1 "\n" SPEC2 "\n", &m);
	ck_assert_str_eq(m.type, "P");
	ck_assert_str_eq(m.issuer, "UTO");
	ck_assert_str_eq(m.primary, "ERIKSSON");
	ck_assert_str_eq(m.secondary, "ANNA MARIA");
	ck_assert_int_eq(m.truncated, 0);
	ck_assert_str_eq(m.number, "L898902C3");
	ck_assert_str_eq(m.nationality, "UTO");
	ck_assert_str_eq(m.birth, "740812");
	ck_assert_int_eq(m.sex, 'F');
	ck_assert_str_eq(m.expiry, "120415");
	ck_assert_str_eq(m.optional, "ZE184226B");
	ck_assert_int_eq(m.lineno1, 1);
	ck_assert_int_eq(m.lineno2, 2);
	for (i = 0; i < ZR_MRZ_NFIELDS_; i++)
		ck_assert_msg(m.check[i].ok, "check %d", i);
	ck_assert_int_eq(m.check[ZR_MRZ_NUMBER].computed, 6);
	ck_assert_int_eq(m.check[ZR_MRZ_BIRTH].computed, 2);
	ck_assert_int_eq(m.check[ZR_MRZ_EXPIRY].computed, 9);
	ck_assert_int_eq(m.check[ZR_MRZ_OPTIONAL].computed, 1);
	ck_assert_int_eq(m.check[ZR_MRZ_COMPOSITE].computed, 0);
}
END_TEST

START_TEST(parse_lenient_layout)
{
	struct zr_mrz m;

	/* BOM, CRLF, blank lines and trailing blanks are ignored. */
	parse_ok("\xef\xbb\xbf\r\n" SPEC1 "  \r\n\n" SPEC2 "\t", &m);
	ck_assert_int_eq(m.lineno1, 2);
	ck_assert_int_eq(m.lineno2, 4);
	ck_assert_str_eq(m.secondary, "ANNA MARIA");
	parse_ok(SAMP1 "\n" SAMP2, &m);
	ck_assert_str_eq(m.primary, "SAMPLE");
	ck_assert_str_eq(m.secondary, "TARO JOHN");
	ck_assert_str_eq(m.optional, "");
	ck_assert_int_eq(m.check[ZR_MRZ_OPTIONAL].ok, 1);
	ck_assert_int_eq(m.check[ZR_MRZ_COMPOSITE].ok, 1);
}
END_TEST

START_TEST(parse_errors)
{
	parse_bad("", ZR_E_EMPTY, 0, NULL);
	parse_bad("\n\n  \n", ZR_E_EMPTY, 0, NULL);
	parse_bad(SPEC1 "\n", ZR_E_MRZ, 1, "one line: a passport MRZ (TD3) "
	    "has two lines of 44 characters");
	parse_bad(SPEC1 "\n" SPEC2 "\n" SPEC2 "\n", ZR_E_MRZ, 3, NULL);
	parse_bad(SPEC1 "\n" "L898902C36UTO7408122F1204159ZE184226B<<<<<1\n",
	    ZR_E_MRZ, 2, "43 characters: a passport MRZ (TD3) line has 44");
	parse_bad(SPEC1 "<\n" SPEC2, ZR_E_MRZ, 1, "45 characters: a passport "
	    "MRZ (TD3) line has 44");
	parse_bad("P<UTOEriksson<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" SPEC2,
	    ZR_E_MRZ, 1, "column 7: illegal character 'r' (an MRZ has only "
	    "A-Z, 0-9 and <)");
	parse_bad(SPEC1 "\nL898902C36UTO7408122F120415 ZE184226B<<<<<10",
	    ZR_E_MRZ, 2, "column 28: illegal character ' ' (an MRZ has only "
	    "A-Z, 0-9 and <)");
	parse_bad(SPEC1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<<1\xc3\x9c",
	    ZR_E_MRZ, 2, "column 44: illegal character byte 0xC3 (an MRZ has "
	    "only A-Z, 0-9 and <)");
	parse_bad("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" SPEC2,
	    ZR_E_MRZ, 1, "column 1: 'I': a passport MRZ starts with P");
	parse_bad("P<UTOERIKSSON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<\n" SPEC2,
	    ZR_E_MRZ, 1, "column 24: digit in the name");
	parse_bad(SPEC1 "\nL898902C36UTO74O8122F1204159ZE184226B<<<<<10",
	    ZR_E_MRZ, 2, "column 16: 'O' cannot be in the birth date");
	parse_bad(SPEC1 "\nL898902C36UTO7408122Q1204159ZE184226B<<<<<10",
	    ZR_E_MRZ, 2, "column 21: 'Q' cannot be in the sex");
	parse_bad(SPEC1 "\nL898902C3AUTO7408122F1204159ZE184226B<<<<<10",
	    ZR_E_MRZ, 2, "column 10: 'A' cannot be in the check digit");
	parse_bad(SPEC1 "\nL898902C36U1O7408122F1204159ZE184226B<<<<<10",
	    ZR_E_MRZ, 2, "column 12: '1' cannot be in the nationality");
}
END_TEST

START_TEST(dates)
{
	struct zr_date d;

	ck_assert_int_eq(zr_mrz_date("740812", 1, ZR_D(2026, 1, 1), &d), 0);
	ck_assert_date_eq(d, ZR_D(1974, 8, 12));
	ck_assert_int_eq(zr_mrz_date("100101", 1, ZR_D(2026, 1, 1), &d), 0);
	ck_assert_date_eq(d, ZR_D(2010, 1, 1));
	/* Later this year than today: the previous century. */
	ck_assert_int_eq(zr_mrz_date("260601", 1, ZR_D(2026, 1, 1), &d), 0);
	ck_assert_date_eq(d, ZR_D(1926, 6, 1));
	ck_assert_int_eq(zr_mrz_date("120415", 0, ZR_D(2026, 1, 1), &d), 0);
	ck_assert_date_eq(d, ZR_D(2012, 4, 15));
	ck_assert_int_eq(zr_mrz_date("991231", 0, ZR_D(2026, 1, 1), &d), 0);
	ck_assert_date_eq(d, ZR_D(2099, 12, 31));
	ck_assert_int_eq(zr_mrz_date("741322", 1, ZR_D(2026, 1, 1), &d), -1);
	ck_assert_int_eq(zr_mrz_date("250229", 0, ZR_D(2026, 1, 1), &d), -1);
	ck_assert_int_eq(zr_mrz_date("74<<<<", 1, ZR_D(2026, 1, 1), &d), -1);
}
END_TEST

START_TEST(name_field)
{
	char f[40];

	ck_assert_int_eq(zr_mrz_name_field("ERIKSSON ANNA MARIA", 1, f), 0);
	ck_assert_str_eq(f, "ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
	ck_assert_int_eq(zr_mrz_name_field("DE LA CRUZ JUAN", 3, f), 0);
	ck_assert_str_eq(f, "DE<LA<CRUZ<<JUAN<<<<<<<<<<<<<<<<<<<<<<<");
	ck_assert_int_eq(zr_mrz_name_field("MONONYM", 1, f), 0);
	ck_assert_str_eq(f, "MONONYM<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<");
	/* ICAO 9303 Part 4: cut at 39 characters. */
	ck_assert_int_eq(zr_mrz_name_field("WOLFESCHLEGELSTEINHAUSENBERGERDORFF "
	    "HUBERT BLAINE", 1, f), 1);
	ck_assert_str_eq(f, "WOLFESCHLEGELSTEINHAUSENBERGERDORFF<<HU");
	ck_assert_int_eq(zr_mrz_name_field("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKL "
	    "X", 1, f), 1);
	ck_assert_str_eq(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKL<");
}
END_TEST

static struct zr_name_report
verify(const char *l1, const char *l2, const struct zr_mrz_expect *x)
{
	char text[100];
	struct zr_mrz m;
	struct zr_name_report r;
	struct zr_error e;

	snprintf(text, sizeof(text), "%s\n%s\n", l1, l2);
	parse_ok(text, &m);
	ck_assert_msg(zr_mrz_verify(&m, x, &r, &e) == 0, "%s", e.msg);
	return r;
}

START_TEST(verify_specimen)
{
	struct zr_mrz_expect x;
	struct zr_name_report r;
	struct zr_date born = ZR_D(1974, 8, 12);

	memset(&x, 0, sizeof(x));
	x.today = ZR_D(2010, 6, 1);
	x.card_name = "ERIKSSON ANNA MARIA";
	x.birth = &born;
	x.sex = 'F';
	x.passport_number = "L898902C3";
	r = verify(SPEC1, SPEC2, &x);
	ck_assert_uint_eq(r.n, 0);
	/* The facts in full width, with an ideographic space: the same
	 * number (zr_cp_halfwidth()). */
	x.passport_number = "Ｌ８９８\u3000９０２ｃ３";
	r = verify(SPEC1, SPEC2, &x);
	ck_assert_uint_eq(r.n, 0);
	x.passport_number = "L898902C3";
	/* Valid through its expiry day, expired the day after. */
	x.today = ZR_D(2012, 4, 15);
	r = verify(SPEC1, SPEC2, &x);
	ck_assert_uint_eq(r.problems, 0);
	x.today = ZR_D(2012, 4, 16);
	r = verify(SPEC1, SPEC2, &x);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_EXPIRED), 1);
	ck_assert_str_eq(r.f[0].msg, "passport expired on 2012-04-15");
	ck_assert_int_eq(r.f[0].line, 2);
}
END_TEST

START_TEST(verify_check_digits)
{
	struct zr_mrz_expect x;
	struct zr_name_report r;

	memset(&x, 0, sizeof(x));
	x.today = ZR_D(2010, 6, 1);
	/* Document number check wrong: that field and the composite. */
	r = verify(SPEC1, "L898902C37UTO7408122F1204159ZE184226B<<<<<10", &x);
	ck_assert_uint_eq(count(&r, ZR_NK_CHECK_DIGIT), 2);
	ck_assert_str_eq(r.f[0].msg, "document number check digit (column "
	    "10) is 7, computed 6");
	ck_assert_str_eq(r.f[1].msg, "composite check digit (column 44) is "
	    "0, computed 7");
	/* A mistyped birth date is caught by its check digit. */
	r = verify(SPEC1, "L898902C36UTO7408132F1204159ZE184226B<<<<<10", &x);
	ck_assert_uint_eq(count(&r, ZR_NK_CHECK_DIGIT), 2);
	ck_assert_ptr_nonnull(strstr(r.f[0].msg, "birth date"));
	r = verify(SPEC1, "L898902C36UTO7408122F1204158ZE184226B<<<<<10", &x);
	ck_assert_ptr_nonnull(strstr(r.f[0].msg, "expiry date"));
	r = verify(SPEC1, "L898902C36UTO7408122F1204159ZE184226B<<<<<20", &x);
	ck_assert_uint_eq(count(&r, ZR_NK_CHECK_DIGIT), 2);
	ck_assert_ptr_nonnull(strstr(r.f[0].msg, "optional data"));
	r = verify(SPEC1, "L898902C36UTO7408122F1204159ZE184226B<<<<<11", &x);
	ck_assert_uint_eq(count(&r, ZR_NK_CHECK_DIGIT), 1);
	ck_assert_ptr_nonnull(strstr(r.f[0].msg, "composite"));
	/* Impossible date: month 13 (check digit made to match). */
	r = verify(SPEC1, "L898902C36UTO7413128F1204159ZE184226B<<<<<10",
	    &x);
	ck_assert_uint_eq(count(&r, ZR_NK_DATE), 1);
}
END_TEST

START_TEST(verify_card)
{
	struct zr_mrz_expect x;
	struct zr_name_report r;
	struct zr_date born = ZR_D(1974, 8, 13);

	memset(&x, 0, sizeof(x));
	x.today = ZR_D(2010, 6, 1);
	x.birth = &born;
	x.sex = 'M';
	x.passport_number = "ｌ898902Ｃ4";
	x.card_name = "ERIKSSON ANA MARIA";
	r = verify(SPEC1, SPEC2, &x);
	ck_assert_uint_eq(count(&r, ZR_NK_BIRTH_DATE), 1);
	ck_assert_uint_eq(count(&r, ZR_NK_SEX), 1);
	ck_assert_uint_eq(count(&r, ZR_NK_NUMBER), 1);
	ck_assert_uint_eq(count(&r, ZR_NK_NAME), 1);
	ck_assert_uint_eq(count(&r, ZR_NK_NEAR_MISS), 1);
	ck_assert_str_eq(r.f[0].msg, "birth date 1974-08-12 differs from the "
	    "card's 1974-08-13");
	ck_assert_str_eq(r.f[2].msg, "passport number L898902C3 differs from "
	    "the facts' L898902C4");
	ck_assert_str_eq(r.f[3].msg, "MRZ name ERIKSSON ANNA MARIA does not "
	    "agree with the card's ERIKSSON ANA MARIA");
	ck_assert_int_eq(r.f[3].line, 1);
	/* Given names first on the card: an order problem. */
	x.birth = NULL;
	x.sex = 0;
	x.passport_number = NULL;
	x.card_name = "ANNA MARIA ERIKSSON";
	r = verify(SPEC1, SPEC2, &x);
	ck_assert_uint_eq(count(&r, ZR_NK_NAME), 1);
	ck_assert_uint_eq(count(&r, ZR_NK_ORDER), 1);
	/* Bad card name: an error. */
	x.card_name = "山田";
	{
		char text[100];
		struct zr_mrz m;
		struct zr_error e;
		snprintf(text, sizeof(text), "%s\n%s\n", SPEC1, SPEC2);
		parse_ok(text, &m);
		ck_assert_int_eq(zr_mrz_verify(&m, &x, &r, &e), -1);
		ck_assert_int_eq(e.code, ZR_E_NAME);
		ck_assert_str_eq(e.subject, "card name");
	}
}
END_TEST

START_TEST(verify_translit_truncated)
{
	struct zr_mrz_expect x;
	struct zr_name_report r;

	memset(&x, 0, sizeof(x));
	x.today = ZR_D(2010, 6, 1);
	/* Ü -> UE in the MRZ, U on the card: a note, not a problem. */
	x.card_name = "MULLER HANS";
	r = verify("P<D<<MUELLER<<HANS<<<<<<<<<<<<<<<<<<<<<<<<<<", SPEC2, &x);
	ck_assert_uint_eq(r.problems, 0);
	ck_assert_uint_eq(count(&r, ZR_NK_TRANSLITERATED), 1);
	ck_assert_int_eq(r.f[0].note, 1);
	x.card_name = "MULLER HANZ";
	r = verify("P<D<<MUELLER<<HANS<<<<<<<<<<<<<<<<<<<<<<<<<<", SPEC2, &x);
	ck_assert_uint_eq(count(&r, ZR_NK_NAME), 1);
	/* Cut at 39: the full card name agrees with the cut MRZ one. */
	x.card_name = "WOLFESCHLEGELSTEINHAUSENBERGERDORFF HUBERT BLAINE";
	r = verify("P<UTOWOLFESCHLEGELSTEINHAUSENBERGERDORFF<<HU", SPEC2, &x);
	ck_assert_uint_eq(r.problems, 0);
	ck_assert_uint_eq(count(&r, ZR_NK_TRUNCATED), 1);
	/* Cut and transliterated. */
	x.card_name = "SCHMIDTHAUSENBERGERDORFFMULLER JURGEN ANTON";
	r = verify("P<D<<SCHMIDTHAUSENBERGERDORFFMUELLER<<JUERGE", SPEC2, &x);
	ck_assert_uint_eq(r.problems, 0);
	ck_assert_uint_eq(count(&r, ZR_NK_TRANSLITERATED), 1);
	ck_assert_uint_eq(count(&r, ZR_NK_TRUNCATED), 1);
	/* A name that stops short without a full field: missing part. */
	x.card_name = "ERIKSSON ANNA MARIA LOUISE";
	r = verify(SPEC1, SPEC2, &x);
	ck_assert_uint_eq(count(&r, ZR_NK_NAME), 1);
	ck_assert_uint_eq(count(&r, ZR_NK_MISSING_PART), 1);
}
END_TEST

Suite *
zr_mrz_suite(void)
{
	Suite *s = suite_create("mrz");
	TCase *tc = tcase_create("mrz");

	tcase_add_test(tc, check_digits);
	tcase_add_test(tc, parse_specimen);
	tcase_add_test(tc, parse_lenient_layout);
	tcase_add_test(tc, parse_errors);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, name_field);
	tcase_add_test(tc, verify_specimen);
	tcase_add_test(tc, verify_check_digits);
	tcase_add_test(tc, verify_card);
	tcase_add_test(tc, verify_translit_truncated);
	suite_add_tcase(s, tc);
	return s;
}
