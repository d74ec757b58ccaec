/* zairyu-tools: unit tests of the residence card number and My Number. */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "zr_test.h"

static size_t
count(const struct zr_name_report *r, enum zr_name_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->f[i].kind == k;
	return n;
}

static struct zr_name_report
card(const char *s, const char *want_norm)
{
	struct zr_name_report r;
	struct zr_error e;
	char out[13];

	ck_assert_msg(zr_card_number_check(s, out, &r, &e) == 0, "%s: %s", s,
	    e.msg);
	if (want_norm != NULL)
		ck_assert_str_eq(out, want_norm);
	return r;
}

START_TEST(card_number_ok)
{
	struct zr_name_report r;

	/* rules-facts §6.3: 2 letters, 8 digits, 2 letters. */
	r = card("AB12345678CD", "AB12345678CD");
	ck_assert_uint_eq(r.n, 0);
	/* Full-width, lowercase and blanks around are normalised. */
	r = card("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\x91\xef\xbc\x92"
	    "345678ｃｄ", "AB12345678CD");
	ck_assert_uint_eq(r.n, 0);
	r = card("  ab12345678cd\xe3\x80\x80", "AB12345678CD");
	ck_assert_uint_eq(r.n, 0);
}
END_TEST

START_TEST(card_number_wrong)
{
	struct zr_name_report r;

	r = card("AB1234567CD", "AB1234567CD");
	ck_assert_uint_eq(count(&r, ZR_NK_LENGTH), 1);
	ck_assert_str_eq(r.f[0].msg, "11 characters (2 letters, 7 digits, 2 "
	    "letters): a residence card number has 12 (2 letters, 8 digits, "
	    "2 letters)");
	r = card("AB12345678CDE", "AB12345678CD");
	ck_assert_uint_eq(count(&r, ZR_NK_LENGTH), 1);
	ck_assert_ptr_nonnull(strstr(r.f[0].msg, "13 characters (2 letters, "
	    "8 digits, 3 letters)"));
	r = card("AB-1234", NULL);
	ck_assert_str_eq(r.f[0].msg, "7 characters: a residence card number "
	    "has 12 (2 letters, 8 digits, 2 letters, like AB12345678CD)");
	r = card("AB12345O78CD", NULL);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_str_eq(r.f[0].msg, "position 8: \"O\" should be a digit "
	    "(letter O for zero?)");
	r = card("A012345678C1", NULL);
	ck_assert_uint_eq(count(&r, ZR_NK_POSITION), 2);
	ck_assert_str_eq(r.f[0].msg, "position 2: \"0\" should be a letter "
	    "A-Z (zero for letter O?)");
	ck_assert_str_eq(r.f[1].msg, "position 12: \"1\" should be a letter "
	    "A-Z (one for letter I?)");
	r = card("AB1234-678CD", NULL);
	ck_assert_str_eq(r.f[0].msg, "position 7: \"-\" should be a digit");
	r = card("ÄB12345678CD", NULL);
	ck_assert_uint_eq(count(&r, ZR_NK_POSITION), 1);
}
END_TEST

START_TEST(card_number_bad_input)
{
	struct zr_name_report r;
	struct zr_error e;
	char out[13], big[80];

	ck_assert_int_eq(zr_card_number_check("", out, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NUMBER);
	ck_assert_str_eq(e.msg, "empty card number");
	ck_assert_int_eq(zr_card_number_check("   ", out, &r, &e), -1);
	ck_assert_int_eq(zr_card_number_check("AB\n12", out, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NUMBER);
	ck_assert_int_eq(zr_card_number_check("AB\xff", out, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UTF8);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(zr_card_number_check(big, out, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NUMBER);
}
END_TEST

START_TEST(my_number_digit)
{
	/* rules-facts §6.4 example, and invented numbers computed with the
	 * official P_n/Q_n form (independent of the weights used here). */
	ck_assert_int_eq(zr_my_number_check_digit("12345678901"), 8);
	ck_assert_int_eq(zr_my_number_check_digit("00000000000"), 0);
	ck_assert_int_eq(zr_my_number_check_digit("98765432109"), 3);
	ck_assert_int_eq(zr_my_number_check_digit("11111111111"), 8);
	ck_assert_int_eq(zr_my_number_check_digit("20240401123"), 7);
	ck_assert_int_eq(zr_my_number_check_digit("55555555555"), 7);
	ck_assert_int_eq(zr_my_number_check_digit("1234567890"), -1);
	ck_assert_int_eq(zr_my_number_check_digit("123456789012"), -1);
	ck_assert_int_eq(zr_my_number_check_digit("1234567890A"), -1);
}
END_TEST

START_TEST(my_number_check)
{
	struct zr_name_report r;
	struct zr_error e;
	size_t i;

	ck_assert_int_eq(zr_my_number_check("123456789018", &r, &e), 0);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_int_eq(zr_my_number_check("1234 5678 9018", &r, &e), 0);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_int_eq(zr_my_number_check("1234-5678-9018", &r, &e), 0);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_int_eq(zr_my_number_check("１２３４５６７８９０１８", &r, &e),
	    0);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_int_eq(zr_my_number_check("123456789017", &r, &e), 0);
	ck_assert_uint_eq(count(&r, ZR_NK_CHECK_DIGIT), 1);
	ck_assert_str_eq(r.f[0].msg, "My Number: check digit (the 12th) is "
	    "7, the other 11 digits give 8: a digit is mistyped");
	ck_assert_int_eq(zr_my_number_check("12345678901", &r, &e), 0);
	ck_assert_uint_eq(count(&r, ZR_NK_LENGTH), 1);
	ck_assert_str_eq(r.f[0].msg, "My Number: 11 digits, it has 12");
	ck_assert_int_eq(zr_my_number_check("1234567890I8", &r, &e), 0);
	ck_assert_uint_eq(count(&r, ZR_NK_POSITION), 1);
	ck_assert_str_eq(r.f[0].msg, "My Number: digit 11 is \"I\", not a "
	    "digit");
	/* Messages never carry the number itself. */
	ck_assert_int_eq(zr_my_number_check("987654321090", &r, &e), 0);
	for (i = 0; i < r.n; i++)
		ck_assert_ptr_null(strstr(r.f[i].msg, "98765"));
	ck_assert_int_eq(zr_my_number_check("", &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NUMBER);
	ck_assert_int_eq(zr_my_number_check("1\t2", &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NUMBER);
	ck_assert_int_eq(zr_my_number_check("\xe0\x80\x80", &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UTF8);
}
END_TEST

Suite *
zr_idnum_suite(void)
{
	Suite *s = suite_create("idnum");
	TCase *tc = tcase_create("idnum");

	tcase_add_test(tc, card_number_ok);
	tcase_add_test(tc, card_number_wrong);
	tcase_add_test(tc, card_number_bad_input);
	tcase_add_test(tc, my_number_digit);
	tcase_add_test(tc, my_number_check);
	suite_add_tcase(s, tc);
	return s;
}
