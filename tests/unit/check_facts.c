/* Unit tests: zairyu-facts(5) parser, rules table, text helpers, CSV. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zr_test.h"

static struct zr_facts *
parse_ok(const char *text)
{
	struct zr_facts *f = NULL;
	struct zr_error e;

	ck_assert_msg(zr_facts_parse(text, strlen(text), "t.facts", &f, &e) == 0,
	    "%s", e.msg);
	return f;
}

static void
parse_bad(const char *text, size_t len, int code, int line, const char *want)
{
	struct zr_facts *f = NULL;
	struct zr_error e;

	ck_assert_msg(zr_facts_parse(text, len, "t.facts", &f, &e) < 0,
	    "parsed: %s", text);
	ck_assert_ptr_null(f);
	ck_assert_int_eq(e.code, code);
	ck_assert_int_eq(e.line, line);
	ck_assert_str_eq(e.subject, "t.facts");
	ck_assert_msg(strstr(e.msg, want) != NULL, "\"%s\" lacks \"%s\"",
	    e.msg, want);
}
#define BAD(t, c, l, w) parse_bad((t), strlen(t), (c), (l), (w))

START_TEST(facts_ok)
{
	struct zr_facts *f = parse_ok(
	    "\xef\xbb\xbf# a comment\n"
	    "name = CHOWDHURY ISHMAM ABIR\n"
	    "\n"
	    "   birth_date=令和2年1月5日\r\n"
	    "sex = f\n"
	    "address = \"  1-2-3 #405 \\\"Heights\\\"\"   # trailing\n"
	    "phone = 03-0000-0000 # not a comment\n"
	    "email =\n");

	ck_assert_str_eq(zr_facts_get(f, "name"), "CHOWDHURY ISHMAM ABIR");
	ck_assert_int_eq(zr_facts_line(f, "name"), 2);
	ck_assert_str_eq(zr_facts_get(f, "birth_date"), "2020-01-05");
	ck_assert_int_eq(zr_facts_line(f, "birth_date"), 4);
	ck_assert_str_eq(zr_facts_get(f, "sex"), "F");
	ck_assert_str_eq(zr_facts_get(f, "address"),
	    "  1-2-3 #405 \"Heights\"");
	ck_assert_str_eq(zr_facts_get(f, "phone"), "03-0000-0000 # not a comment");
	ck_assert_ptr_null(zr_facts_get(f, "email"));
	ck_assert_ptr_null(zr_facts_get(f, "card_number"));
	ck_assert_ptr_null(zr_facts_get(f, "no_such_key"));
	zr_facts_free(f);
}
END_TEST

START_TEST(facts_errors)
{
	BAD("name = A\nnmae = B\n", ZR_E_UNKNOWN_KEY, 2,
	    "unknown key \"nmae\" (did you mean \"name\"?)");
	BAD("zzzzzzzz = 1\n", ZR_E_UNKNOWN_KEY, 1, "unknown key \"zzzzzzzz\"");
	BAD("name = A\n\nname = B\n", ZR_E_DUP_KEY, 3, "first on line 1");
	BAD("name A\n", ZR_E_SYNTAX, 1, "expected \"key = value\"");
	BAD("Name = A\n", ZR_E_SYNTAX, 1, "bad key");
	BAD("= A\n", ZR_E_SYNTAX, 1, "bad key");
	BAD("birth_date = 2026-02-30\n", ZR_E_DATE, 1,
	    "birth_date: \"2026-02-30\": February 2026 has 28 days");
	BAD("sex = Q\n", ZR_E_RANGE, 1, "not M, F or X");
	BAD("application = renew\n", ZR_E_RANGE, 1, "extension or change");
	BAD("address = \"open\n", ZR_E_SYNTAX, 1, "unterminated");
	BAD("address = \"a\" b\n", ZR_E_SYNTAX, 1, "after the closing quote");
	BAD("address = \"a\\nb\"\n", ZR_E_SYNTAX, 1, "allowed in quotes");
	BAD("name = A\x01\n", ZR_E_SYNTAX, 1, "control character");
	BAD("# ok\nname = \xe6\x97\n", ZR_E_UTF8, 2, "invalid UTF-8");
	parse_bad("name = A\0B\n", 11, ZR_E_SYNTAX, 1, "NUL");
}
END_TEST

START_TEST(facts_empty_and_long)
{
	struct zr_facts *f = parse_ok("");
	char *big;
	size_t n = 5000;

	zr_facts_free(f);
	f = parse_ok("# only comments\n\n   \n");
	zr_facts_free(f);
	big = malloc(n + 16);
	memcpy(big, "address = ", 10);
	memset(big + 10, 'x', n);
	big[n + 10] = '\0';
	parse_bad(big, strlen(big), ZR_E_SYNTAX, 1, "line too long");
	free(big);
}
END_TEST

START_TEST(facts_roundtrip)
{
	struct zr_facts *f = parse_ok("sex = M\nname = A B\n"
	    "address = \" lead\"\nbirth_date = R2.1.5\n"), *g;
	struct zr_error e;
	char *text;
	size_t len, nk, i;
	const struct zr_fact_key *k = zr_facts_keys(&nk);

	ck_assert_int_eq(zr_facts_set(f, "card_number", "AB12345678CD", &e), 0);
	ck_assert_int_eq(zr_facts_set(f, "nope", "x", &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UNKNOWN_KEY);
	ck_assert_int_eq(zr_facts_set(f, "stay_expiry", "2026-02-30", &e), -1);
	ck_assert_int_eq(zr_facts_format(f, &text, &len, &e), 0);
	ck_assert_str_eq(text, "# zairyu-facts(5)\nname = A B\n"
	    "birth_date = 2020-01-05\nsex = M\ncard_number = AB12345678CD\n"
	    "address = \" lead\"\n");
	ck_assert_int_eq(zr_facts_parse(text, len, "x", &g, &e), 0);
	for (i = 0; i < nk; i++) {
		const char *a = zr_facts_get(f, k[i].key);
		const char *b = zr_facts_get(g, k[i].key);
		ck_assert((a == NULL) == (b == NULL));
		if (a != NULL)
			ck_assert_str_eq(a, b);
	}
	/* The documented key names scripts rely on (issue #2). */
	for (i = 0; i < 21; i++) {
		static const char *const must[] = { "name", "name_kanji",
			"birth_date", "sex", "nationality", "status",
			"card_number", "card_expiry", "stay_expiry",
			"stay_period", "passport_number", "passport_expiry",
			"postcode", "address", "phone", "email",
			"receipt_number", "receipt_date", "agent_name",
			"agent_occupation", "agent_phone" };
		ck_assert_int_eq(zr_facts_set(g, must[i], strcmp(must[i], "sex")
		    == 0 ? "M" : "2026-01-01", &e), 0);
	}
	free(text);
	zr_facts_free(f);
	zr_facts_free(g);
}
END_TEST

START_TEST(rules_by_date)
{
	struct zr_error e;
	const struct zr_rule *r, *t;
	size_t n, i;

	ck_assert_int_eq(zr_rule(ZR_R_UPLOAD_MAX_FILES, ZR_D(2026, 1, 4),
	    &e), 1);
	ck_assert_int_eq(zr_rule(ZR_R_UPLOAD_MAX_FILES, ZR_D(2026, 1, 5),
	    &e), 20);
	ck_assert_int_eq(zr_rule(ZR_R_UPLOAD_MAX_TOTAL_BYTES,
	    ZR_D(2026, 1, 4), &e), 10000000);
	ck_assert_int_eq(zr_rule(ZR_R_UPLOAD_MAX_TOTAL_BYTES,
	    ZR_D(2026, 11, 23), &e), 25000000);
	ck_assert_int_eq(zr_rule(ZR_R_NAME_SEPARATOR, ZR_D(2025, 12, 31),
	    &e), ',');
	ck_assert_int_eq(zr_rule(ZR_R_NAME_SEPARATOR, ZR_D(2026, 1, 5),
	    &e), ' ');
	ck_assert_int_eq(zr_rule(ZR_R_FEE_EXTENSION_ONLINE,
	    ZR_D(2025, 3, 31), &e), 4000);
	ck_assert_int_eq(zr_rule(ZR_R_FEE_EXTENSION_ONLINE,
	    ZR_D(2025, 4, 1), &e), 5500);
	ck_assert_int_eq(zr_rule(ZR_R_POSTAGE_LETTER25, ZR_D(2024, 9, 30),
	    &e), 84);
	ck_assert_int_eq(zr_rule(ZR_R_POSTAGE_LETTER25, ZR_D(2024, 10, 1),
	    &e), 110);
	ck_assert_int_eq(zr_rule(ZR_R_COUNT_, ZR_D(2026, 1, 1), &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UNKNOWN_KEY);
	ck_assert_int_eq(zr_rule(ZR_R_UPLOAD_MAX_FILES, ZR_D(2000, 1, 1),
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NO_RULE);
	ck_assert_int_eq(zr_rule_row(ZR_R_PHOTO_MAX_BYTES, ZR_D(2026, 6, 1), &r,
	    &e), 0);
	ck_assert_ptr_nonnull(strstr(r->source, "rules-facts"));
	/* Sorted by key then date, every row cited. */
	t = zr_rules_table(&n);
	for (i = 1; i < n; i++) {
		int c = strcmp(zr_rule_name(t[i - 1].id), zr_rule_name(t[i].id));
		ck_assert_msg(c < 0 || (c == 0 && zr_date_cmp(t[i - 1].from,
		    t[i].from) < 0), "row %zu out of order", i);
	}
	for (i = 0; i < n; i++)
		ck_assert(t[i].source != NULL && t[i].source[0] != '\0');
	/* Every key has a row, and a name that sorts like the enum. */
	for (i = 0; i < ZR_R_COUNT_; i++) {
		ck_assert_int_eq(zr_rule_row((enum zr_rule_key)i,
		    ZR_D(2026, 12, 1), &r, &e), 0);
		if (i > 0)
			ck_assert_int_lt(strcmp(zr_rule_name(
			    (enum zr_rule_key)(i - 1)), zr_rule_name(
			    (enum zr_rule_key)i)), 0);
	}
	/* The fee follows the acceptance date (rules-facts §3.1). */
	ck_assert_date_eq(zr_fee_day(NULL, ZR_D(2025, 3, 31),
	    ZR_D(2026, 8, 5)), ZR_D(2025, 3, 31));
	ck_assert_date_eq(zr_fee_day(NULL, ZR_D(0, 0, 0), ZR_D(2026, 8, 5)),
	    ZR_D(2026, 8, 5));
	ck_assert_int_eq(zr_fee(ZR_FEE_EXTENSION, ZR_FEE_ONLINE,
	    ZR_D(2025, 3, 31), NULL, &e), 4000);
	ck_assert_int_eq(zr_fee(ZR_FEE_CHANGE, ZR_FEE_COUNTER,
	    ZR_D(2025, 4, 1), NULL, &e), 6000);
}
END_TEST

/* The upload limits come from the table, day by day (rules-facts §2). */
START_TEST(rules_upload_limits)
{
	struct zr_pdf_limits l, p;
	struct zr_error e;

	memset(&l, 0, sizeof(l));
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(zr_rules_upload_limits(ZR_D(2026, 1, 4), &l, &e), 0);
	ck_assert_int_eq(l.generation, zr_rule(ZR_R_SYSTEM_GENERATION,
	    ZR_D(2026, 1, 4), &e));
	ck_assert_int_eq(l.max_files, 1);
	ck_assert_int_eq(l.total_includes_photo, 0);
	ck_assert_int_eq(zr_rules_upload_limits(ZR_D(2026, 1, 5), &l, &e), 0);
	ck_assert_int_eq(l.max_files, 20);
	ck_assert_int_eq(l.max_total_bytes, 25000000);
	ck_assert_int_eq(l.total_includes_photo, 1);
	ck_assert_int_eq(l.photo_bytes, zr_rule(ZR_R_PHOTO_MAX_BYTES,
	    ZR_D(2026, 1, 5), &e));
	/* The PDF code's accessor is the same lookup. */
	ck_assert_int_eq(zr_pdf_limits_at(ZR_D(2026, 1, 5), &p, &e), 0);
	ck_assert_mem_eq(&l, &p, sizeof(l));
	ck_assert_int_eq(zr_rules_upload_limits(ZR_D(2000, 1, 1), &l, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NO_RULE);
}
END_TEST

START_TEST(text_utf8)
{
	size_t bad;
	char *h, b[4];

	ck_assert(zr_utf8_valid("日本語 abc", strlen("日本語 abc"), NULL));
	ck_assert(!zr_utf8_valid("\xc0\xaf", 2, &bad));           /* overlong */
	ck_assert_uint_eq(bad, 0);
	ck_assert(!zr_utf8_valid("ab\xed\xa0\x80", 5, &bad));     /* surrogate */
	ck_assert_uint_eq(bad, 2);
	ck_assert(!zr_utf8_valid("\xf4\x90\x80\x80", 4, NULL));   /* > 10FFFF */
	ck_assert(!zr_utf8_valid("\xe6\x97", 2, NULL));           /* truncated */
	h = zr_text_halfwidth("ＣＨＯＷ　１２３ａ日");
	ck_assert_str_eq(h, "CHOW 123a日");
	free(h);
	ck_assert_uint_eq(zr_utf8_count("日本a"), 3);
	ck_assert_uint_eq(zr_utf8_put(0x65e5, b), 3);
	ck_assert_uint_eq(zr_utf8_put(0xd800, b), 0);
	ck_assert_uint_eq(zr_edit_distance("nmae", "name"), 2);
	ck_assert_uint_eq(zr_edit_distance("name", "name"), 0);
	ck_assert_uint_eq(zr_edit_distance("", "abc"), 3);
}
END_TEST

static int
csv_all(const char *text, char out[][8][32], int *lines, int max, int *errs)
{
	struct zr_csv *c;
	struct zr_error e;
	char **f;
	size_t n, i;
	int line, r, rows = 0;

	*errs = 0;
	ck_assert_int_eq(zr_csv_open(&c, text, strlen(text), "t.csv", &e), 0);
	while ((r = zr_csv_next(c, &f, &n, &line, &e)) != 0) {
		if (r < 0) {
			(*errs)++;
			ck_assert_int_eq(e.code, ZR_E_CSV);
			ck_assert_int_gt(e.line, 0);
			continue;
		}
		ck_assert_int_lt(rows, max);
		for (i = 0; i < 8; i++)
			snprintf(out[rows][i], 32, "%s", i < n ? f[i] : "-");
		lines[rows++] = line;
	}
	zr_csv_close(c);
	return rows;
}

START_TEST(csv_reader)
{
	char rows[8][8][32];
	int lines[8], errs, n;
	struct zr_csv *c;
	struct zr_error e;

	n = csv_all("\xef\xbb\xbfname,expiry\r\n\"SMITH, JOHN\",2026-01-01\r\n"
	    "\n\"A \"\"Q\"\"\",\"multi\nline\"\nlast,\n", rows, lines, 8, &errs);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(errs, 0);
	ck_assert_str_eq(rows[0][0], "name");
	ck_assert_str_eq(rows[1][0], "SMITH, JOHN");
	ck_assert_int_eq(lines[1], 2);
	ck_assert_str_eq(rows[2][0], "A \"Q\"");
	ck_assert_str_eq(rows[2][1], "multi\nline");
	ck_assert_int_eq(lines[2], 4);
	ck_assert_int_eq(lines[3], 6);
	ck_assert_str_eq(rows[3][1], "");
	ck_assert_str_eq(rows[3][2], "-");
	/* A broken row is reported with its line; the next rows still come. */
	n = csv_all("a,b\nx\"y,1\n\"c\"d,2\nok,3\n", rows, lines, 8, &errs);
	ck_assert_int_eq(errs, 2);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(rows[1][0], "ok");
	ck_assert_int_eq(lines[1], 4);
	n = csv_all("a\n\"never closed\n", rows, lines, 8, &errs);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(errs, 1);
	ck_assert_int_eq(zr_csv_open(&c, "a\xff", 2, "t.csv", &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UTF8);
}
END_TEST

/* One comparison of facts values for every tool (zr_facts_same). */
START_TEST(facts_same)
{
	/* Numbers: spaces, hyphens, width and case do not matter. */
	ck_assert_int_eq(zr_facts_same("card_number", "ab12345678cd",
	    "AB 12345678 CD"), 1);
	ck_assert_int_eq(zr_facts_same("card_number", "ＡＢ１２３４５６７８ＣＤ",
	    "AB12345678CD"), 1);
	ck_assert_int_eq(zr_facts_same("card_number", "AB12345678CD",
	    "AB12345678CE"), 0);
	/* Dates and enums are canonical after loading: exact. */
	ck_assert_int_eq(zr_facts_same("birth_date", "1990-04-01",
	    "1990-04-01"), 1);
	ck_assert_int_eq(zr_facts_same("birth_date", "1990-04-01",
	    "1990-04-02"), 0);
	ck_assert_int_eq(zr_facts_same("sex", "M", "F"), 0);
	/* Names: blanks and commas folded, case kept. */
	ck_assert_int_eq(zr_facts_same("name", "SAMPLE, TARO", "SAMPLE TARO"),
	    1);
	ck_assert_int_eq(zr_facts_same("name", "SAMPLE TARO", "Sample Taro"),
	    0);
	/* Other text, and unknown keys: width, case and blank runs. */
	ck_assert_int_eq(zr_facts_same("address", "Tokyo  Koto",
	    "ＴＯＫＹＯ　koto"), 1);
	ck_assert_int_eq(zr_facts_same("no_such_key", "a b", "A  B"), 1);
}
END_TEST

Suite *
zr_facts_suite(void)
{
	Suite *s = suite_create("facts");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, facts_ok);
	tcase_add_test(tc, facts_errors);
	tcase_add_test(tc, facts_empty_and_long);
	tcase_add_test(tc, facts_roundtrip);
	tcase_add_test(tc, rules_by_date);
	tcase_add_test(tc, rules_upload_limits);
	tcase_add_test(tc, text_utf8);
	tcase_add_test(tc, csv_reader);
	tcase_add_test(tc, facts_same);
	suite_add_tcase(s, tc);
	return s;
}
