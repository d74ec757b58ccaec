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

START_TEST(convert_charsets)
{
	/* 東京 in Shift_JIS, a bad byte, then A. */
	static const unsigned char sj[] = { 0x93, 0x8C, 0x8B, 0x9E, 0x80,
		'A' };
	/* A kana at the very end: Shift_JISX0213 holds it back. */
	static const unsigned char kana[] = { 0x82, 0xA9 };
	struct zr_error e;
	char *u;
	size_t n, bad = 0;

	ck_assert_int_eq(zr_text_convert("SHIFT_JISX0213", sj, 4, 0, &u, &n,
	    &bad, &e), 0);
	ck_assert_str_eq(u, "東京");
	ck_assert_uint_eq(n, 6);
	free(u);
	ck_assert_int_eq(zr_text_convert("CP932", sj, sizeof(sj), 0, &u, &n,
	    &bad, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SYNTAX);
	ck_assert_uint_eq(bad, 4);
	ck_assert_ptr_null(u);
	ck_assert_int_eq(zr_text_convert("CP932", sj, sizeof(sj), 1, &u, &n,
	    NULL, &e), 0);
	ck_assert_str_eq(u, "東京\xEF\xBF\xBD" "A");
	free(u);
	ck_assert_int_eq(zr_text_convert("SHIFT_JISX0213", kana,
	    sizeof(kana), 1, &u, &n, NULL, &e), 0);
	ck_assert_str_eq(u, "か");
	free(u);
	ck_assert_int_eq(zr_text_convert("NO-SUCH-SET", sj, 1, 0, &u, &n,
	    NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_CHARSET);
	ck_assert_int_eq(zr_text_convert("UTF-8", sj, 0, 0, &u, &n, NULL,
	    &e), 0);
	ck_assert_str_eq(u, "");
	free(u);
}
END_TEST

Suite *
zr_text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, cp_halfwidth);
	tcase_add_test(tc, fold_strings);
	tcase_add_test(tc, convert_charsets);
	suite_add_tcase(s, tc);
	return s;
}
