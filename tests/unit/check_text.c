/* Unit tests: the one width folding (lib/core/text.c). */
/* SPDX-License-Identifier: MIT */
#include <check.h>
#include <stdlib.h>

#include "zairyu/zairyu.h"

START_TEST(cp_halfwidth)
{
	ck_assert_int_eq(zr_cp_halfwidth(0xff01), '!');
	ck_assert_int_eq(zr_cp_halfwidth(0xff21), 'A');
	ck_assert_int_eq(zr_cp_halfwidth(0xff41), 'a');
	ck_assert_int_eq(zr_cp_halfwidth(0xff10), '0');
	ck_assert_int_eq(zr_cp_halfwidth(0xff5e), '~');
	ck_assert_int_eq(zr_cp_halfwidth(0x3000), ' ');
	/* Neighbours and the rest are kept. */
	ck_assert_int_eq(zr_cp_halfwidth(0xff00), 0xff00);
	ck_assert_int_eq(zr_cp_halfwidth(0xff5f), 0xff5f);
	ck_assert_int_eq(zr_cp_halfwidth(0xff71), 0xff71);
	ck_assert_int_eq(zr_cp_halfwidth('a'), 'a');
	ck_assert_int_eq(zr_cp_halfwidth(-1), -1);
}
END_TEST

START_TEST(fold_strings)
{
	char *s;

	s = zr_text_halfwidth("ＡＢ１２　ｃ漢");
	ck_assert_str_eq(s, "AB12 c漢");
	free(s);
	/* zr_text_fold also joins half-width kana and their marks and
	 * folds dashes between digits. */
	s = zr_text_fold("ＡＢ１２　ｶﾞｲ ２０２６ー０１");
	ck_assert_str_eq(s, "AB12 ガイ 2026-01");
	free(s);
	s = zr_text_fold("");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

Suite *
zr_text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, cp_halfwidth);
	tcase_add_test(tc, fold_strings);
	suite_add_tcase(s, tc);
	return s;
}
