/* zairyu-tools: unit tests of names as on the card and document agreement. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zr_test.h"

#define OLD ZR_D(2025, 11, 1)   /* old online system: commas */
#define NEW ZR_D(2026, 11, 1)   /* new system: spaces */
#define CARD "CHOWDHURY ISHMAM ABIR"

static size_t
count(const struct zr_name_report *r, enum zr_name_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->f[i].kind == k;
	return n;
}

static const char *
msg_of(const struct zr_name_report *r, enum zr_name_kind k)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->f[i].kind == k)
			return r->f[i].msg;
	return "";
}

/* Compare with CARD on date d; returns the report. */
static struct zr_name_report
cmp(const char *card, const char *given, struct zr_date d)
{
	struct zr_name_report r;
	struct zr_error e;

	ck_assert_msg(zr_name_compare(card, given, d, &r, &e) == 0,
	    "compare \"%s\": %s", given, e.msg);
	return r;
}

START_TEST(validate_bad)
{
	struct zr_error e;
	char big[ZR_NAME_MAX + 2];

	ck_assert_int_eq(zr_name_validate("", 0, NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NAME);
	ck_assert_str_eq(e.msg, "empty name");
	ck_assert_int_eq(zr_name_validate("   ", 3, NULL, &e), -1);
	ck_assert_str_eq(e.msg, "empty name");
	ck_assert_int_eq(zr_name_validate("\xe3\x80\x80", 3, NULL, &e), -1);
	ck_assert_int_eq(zr_name_validate("AB\xff", 3, "x", &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UTF8);
	ck_assert_str_eq(e.subject, "x");
	ck_assert_int_eq(zr_name_validate("A\tB", 3, NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NAME);
	ck_assert_str_eq(e.msg, "control character U+0009 at byte 2");
	ck_assert_int_eq(zr_name_validate("A\0B", 3, NULL, &e), -1);
	ck_assert_int_eq(zr_name_validate("A\xc2\x85", 3, NULL, &e), -1);
	ck_assert_int_eq(zr_name_validate("A\xe2\x80\xa8", 4, NULL, &e), -1);
	ck_assert_int_eq(zr_name_validate("A\x7f", 2, NULL, &e), -1);
	memset(big, 'A', sizeof(big));
	ck_assert_int_eq(zr_name_validate(big, ZR_NAME_MAX + 1, NULL, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NAME);
	ck_assert_int_eq(zr_name_validate(big, ZR_NAME_MAX, NULL, &e), 0);
	ck_assert_int_eq(zr_name_validate("Ünal", 5, NULL, &e), 0);
}
END_TEST

static void
spell_is(const char *in, const char *want)
{
	char out[ZR_NAME_MAX + 1];
	struct zr_error e;

	ck_assert_msg(zr_name_card_spelling(in, out, sizeof(out), &e) == 0,
	    "%s: %s", in, e.msg);
	ck_assert_str_eq(out, want);
}

START_TEST(card_spelling)
{
	char out[8];
	struct zr_error e;

	spell_is("Chowdhury Ishmam Abir", CARD);
	spell_is("\xef\xbc\xa3\xef\xbc\xa8\xef\xbc\xaf\xe3\x80\x80\xef\xbd\x81",
	    "CHO A");                          /* ＣＨＯ　ａ */
	spell_is("  José   Ünal  ", "JOSE UNAL");
	spell_is("Straße", "STRASSE");
	spell_is("ẞ", "SS");
	spell_is("Ærø Œuvre Ĳssel Þór", "AERO OEUVRE IJSSEL THOR");
	spell_is("Nguyễn Văn Ước Ș", "NGUYEN VAN UOC S");
	spell_is("Łukasz Żółć", "LUKASZ ZOLC");
	spell_is("Jean-Pierre O'Brien", "JEAN PIERRE OBRIEN");
	spell_is("e\xcc\x81mile", "EMILE");   /* combining acute dropped */
	spell_is("ÿ Ñ Ç Å", "Y N C A");
	ck_assert_int_eq(zr_name_card_spelling("山田 太郎", out, sizeof(out),
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NAME);
	ck_assert_str_eq(e.msg, "character \"山\" has no Latin spelling");
	ck_assert_int_eq(zr_name_card_spelling("A2", out, sizeof(out), &e),
	    -1);
	ck_assert_int_eq(zr_name_card_spelling("'.-", out, sizeof(out), &e),
	    -1);
	ck_assert_str_eq(e.msg, "no letters in the name");
	ck_assert_int_eq(zr_name_card_spelling("ABCDEFGHIJ", out, sizeof(out),
	    &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
	ck_assert_int_eq(zr_name_card_spelling("", out, sizeof(out), &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NAME);
}
END_TEST

START_TEST(form_by_date)
{
	char out[ZR_NAME_MAX + 1];
	struct zr_name_report r;
	struct zr_error e;

	/* rules-facts §6.1, §8: commas until 2026-01-04, spaces after. */
	ck_assert_int_eq(zr_name_form("Chowdhury Ishmam Abir",
	    ZR_D(2026, 1, 4), out, sizeof(out), &r, &e), 0);
	ck_assert_str_eq(out, "CHOWDHURY,ISHMAM,ABIR");
	ck_assert_uint_eq(r.problems, 0);
	ck_assert_int_eq(zr_name_form("Chowdhury, Ishmam Abir",
	    ZR_D(2026, 1, 5), out, sizeof(out), &r, &e), 0);
	ck_assert_str_eq(out, CARD);
	ck_assert_int_eq(zr_name_form("ＳＡＭＰＬＥ　ｔａｒｏ", OLD, out,
	    sizeof(out), &r, &e), 0);
	ck_assert_str_eq(out, "SAMPLE,TARO");
	ck_assert_uint_eq(r.n, 0);
	/* Diacritics convert, with a note of what the card may carry. */
	ck_assert_int_eq(zr_name_form("Müller Hans", NEW, out, sizeof(out),
	    &r, &e), 0);
	ck_assert_str_eq(out, "MULLER HANS");
	ck_assert_uint_eq(r.problems, 0);
	ck_assert_uint_eq(count(&r, ZR_NK_DIACRITIC), 1);
	ck_assert_int_eq(r.f[0].note, 1);
	ck_assert_ptr_nonnull(strstr(r.f[0].msg, "UE"));
	/* Nothing Latin: a problem, not an error. */
	ck_assert_int_eq(zr_name_form("山田", NEW, out, sizeof(out), &r, &e),
	    0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(count(&r, ZR_NK_REJECTED_CHAR), 3);
	ck_assert_uint_eq(r.problems, 3);
	/* Before the rules table: an input error. */
	ck_assert_int_eq(zr_name_form("A", ZR_D(2010, 1, 1), out, sizeof(out),
	    &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NO_RULE);
	ck_assert_int_eq(zr_name_form("A", NEW, out, 1, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_RANGE);
}
END_TEST

START_TEST(form_length)
{
	char name[200], out[ZR_NAME_MAX + 1];
	struct zr_name_report r;
	struct zr_error e;

	/* RASENS form: 104 characters (rules-facts §6.1). */
	memset(name, 'A', 104);
	name[104] = '\0';
	ck_assert_int_eq(zr_name_form(name, NEW, out, sizeof(out), &r, &e), 0);
	ck_assert_uint_eq(r.problems, 0);
	memcpy(name + 50, " ", 1);
	name[105] = '\0';
	name[104] = 'B';
	ck_assert_int_eq(zr_name_form(name, NEW, out, sizeof(out), &r, &e), 0);
	ck_assert_uint_eq(count(&r, ZR_NK_LENGTH), 1);
	ck_assert_str_eq(r.f[0].msg, "105 characters: the online form on "
	    "2026-11-01 takes at most 104");
}
END_TEST

START_TEST(compare_same)
{
	struct zr_name_report r;

	r = cmp(CARD, CARD, NEW);
	ck_assert_uint_eq(r.n, 0);
	/* The form's own spelling passes on its date. */
	r = cmp(CARD, "CHOWDHURY,ISHMAM,ABIR", OLD);
	ck_assert_uint_eq(r.n, 0);
	r = cmp(CARD, CARD, OLD);
	ck_assert_uint_eq(r.n, 0);
	/* The card's name itself is read leniently. */
	r = cmp("Chowdhury Ishmam Abir", CARD, NEW);
	ck_assert_uint_eq(r.n, 0);
}
END_TEST

START_TEST(compare_order)
{
	struct zr_name_report r;

	r = cmp(CARD, "ISHMAM ABIR CHOWDHURY", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_ORDER), 1);
	ck_assert_str_eq(msg_of(&r, ZR_NK_ORDER), "family name CHOWDHURY "
	    "comes last: the card puts it first (CHOWDHURY ISHMAM ABIR)");
	r = cmp(CARD, "CHOWDHURY ABIR ISHMAM", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_str_eq(msg_of(&r, ZR_NK_ORDER), "parts in a different "
	    "order: the card has CHOWDHURY ISHMAM ABIR");
	/* The example: order and case, one message each. */
	r = cmp(CARD, "Ishmam Abir Chowdhury", NEW);
	ck_assert_uint_eq(r.problems, 2);
	ck_assert_uint_eq(count(&r, ZR_NK_ORDER), 1);
	ck_assert_uint_eq(count(&r, ZR_NK_CASE), 1);
}
END_TEST

START_TEST(compare_case_width)
{
	struct zr_name_report r;

	r = cmp(CARD, "Chowdhury Ishmam Abir", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_str_eq(msg_of(&r, ZR_NK_CASE), "lowercase letters (\"h\", "
	    "\"o\", \"w\", ...): the card and the form use capitals");
	/* ＣＨＯＷＤＨＵＲＹ ISHMAM ABIR */
	r = cmp(CARD, "\xef\xbc\xa3\xef\xbc\xa8\xef\xbc\xaf\xef\xbc\xb7"
	    "\xef\xbc\xa4\xef\xbc\xa8\xef\xbc\xb5\xef\xbc\xb2\xef\xbc\xb9"
	    " ISHMAM ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_WIDTH), 1);
	/* Full-width space between the parts. */
	r = cmp(CARD, "CHOWDHURY\xe3\x80\x80ISHMAM ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_WIDTH), 1);
	ck_assert_ptr_nonnull(strstr(msg_of(&r, ZR_NK_WIDTH), "U+3000"));
}
END_TEST

START_TEST(compare_spacing)
{
	struct zr_name_report r;

	r = cmp(CARD, "CHOWDHURY  ISHMAM ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_SPACING), 1);
	r = cmp(CARD, " CHOWDHURY ISHMAM ABIR ", NEW);
	ck_assert_uint_eq(r.problems, 2);
	ck_assert_uint_eq(count(&r, ZR_NK_SPACING), 2);
	r = cmp(CARD, "CHOWDHURY ISHMAMABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_str_eq(msg_of(&r, ZR_NK_SPACING), "ISHMAMABIR: the card "
	    "writes it as 2 parts, ISHMAM ABIR");
	r = cmp(CARD, "CHOW DHURY ISHMAM ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_str_eq(msg_of(&r, ZR_NK_SPACING), "CHOW DHURY: one part on "
	    "the card, CHOWDHURY");
	r = cmp(CARD, "CHOWDHURY\xc2\xa0ISHMAM ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_ptr_nonnull(strstr(msg_of(&r, ZR_NK_SPACING), "U+00A0"));
}
END_TEST

START_TEST(compare_separator)
{
	struct zr_name_report r;

	/* Commas after the switch to spaces (rules-facts §8). */
	r = cmp(CARD, "CHOWDHURY,ISHMAM,ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_SEPARATOR), 1);
	ck_assert_str_eq(r.f[0].msg, "commas between parts: the card and the "
	    "online form on 2026-11-01 use spaces");
	r = cmp(CARD, "CHOWDHURY, ISHMAM, ABIR", OLD);
	ck_assert_uint_eq(count(&r, ZR_NK_SEPARATOR), 1);
	r = cmp(CARD, "CHOWDHURY,ISHMAM ABIR", OLD);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_SEPARATOR), 1);
	/* Full-width comma: width and, after the switch, separator. */
	r = cmp(CARD, "CHOWDHURY\xe3\x80\x81ISHMAM\xe3\x80\x81" "ABIR", OLD);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_WIDTH), 1);
}
END_TEST

START_TEST(compare_parts)
{
	struct zr_name_report r;

	r = cmp(CARD, "CHOWDHURY ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_str_eq(msg_of(&r, ZR_NK_MISSING_PART), "ISHMAM is missing "
	    "(the card has CHOWDHURY ISHMAM ABIR)");
	r = cmp(CARD, "CHOWDHURY ISHMAM ABIR MD", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_str_eq(msg_of(&r, ZR_NK_EXTRA_PART), "MD is not on the "
	    "card (CHOWDHURY ISHMAM ABIR)");
	r = cmp(CARD, "SMITH JOHN", NEW);
	ck_assert_uint_eq(count(&r, ZR_NK_MISSING_PART), 3);
	ck_assert_uint_eq(count(&r, ZR_NK_EXTRA_PART), 2);
	ck_assert_uint_eq(count(&r, ZR_NK_ORDER), 0);
}
END_TEST

START_TEST(compare_near_miss)
{
	struct zr_name_report r;

	r = cmp(CARD, "CHOWDHURY ISHMAN ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_str_eq(msg_of(&r, ZR_NK_NEAR_MISS), "ISHMAN: letter 6 is N, "
	    "the card has M (ISHMAM)");
	r = cmp(CARD, "CHOWDHURY ISHMAAM ABIR", NEW);
	ck_assert_str_eq(msg_of(&r, ZR_NK_NEAR_MISS), "ISHMAAM: extra A at "
	    "letter 6, the card has ISHMAM");
	r = cmp(CARD, "CHOWDURY ISHMAM ABIR", NEW);
	ck_assert_str_eq(msg_of(&r, ZR_NK_NEAR_MISS), "CHOWDURY: H missing "
	    "at letter 6, the card has CHOWDHURY");
	r = cmp(CARD, "CHOWDHURY ISHMAM ABRI", NEW);
	ck_assert_str_eq(msg_of(&r, ZR_NK_NEAR_MISS), "ABRI: letters 3 and 4 "
	    "are swapped, the card has ABIR");
	r = cmp(CARD, "CHOWDHRUY ISHMAM ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_NEAR_MISS), 1);
	/* Short parts: two letters off is a different part. */
	r = cmp(CARD, "CHOWDHURY ISHMAM ABXY", NEW);
	ck_assert_uint_eq(count(&r, ZR_NK_NEAR_MISS), 0);
	ck_assert_uint_eq(count(&r, ZR_NK_MISSING_PART), 1);
	/* A near miss in the wrong place is also an order problem. */
	r = cmp(CARD, "ISHMAM ABIR CHOWDHURI", NEW);
	ck_assert_uint_eq(count(&r, ZR_NK_NEAR_MISS), 1);
	ck_assert_uint_eq(count(&r, ZR_NK_ORDER), 1);
}
END_TEST

START_TEST(compare_diacritics)
{
	struct zr_name_report r;

	r = cmp("JOSE GARCIA", "JOSÉ GARCÍA", NEW);
	ck_assert_uint_eq(r.problems, 2);
	ck_assert_uint_eq(count(&r, ZR_NK_DIACRITIC), 2);
	ck_assert_str_eq(r.f[0].msg, "\"É\" is not on the card: the card "
	    "carries E");
	r = cmp("MULLER HANS", "MÜLLER HANS", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_ptr_nonnull(strstr(r.f[0].msg, "carries U (a passport MRZ "
	    "writes UE"));
	/* A card that copied the MRZ spelling. */
	r = cmp("MUELLER HANS", "MÜLLER HANS", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_str_eq(r.f[0].msg, "\"Ü\" is not on the card: this card "
	    "carries UE (as the passport MRZ does)");
	r = cmp("EMILE ZOLA", "E\xcc\x81MILE ZOLA", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_ptr_nonnull(strstr(r.f[0].msg, "U+0301"));
	/* Letters the form rejects. */
	r = cmp("OBRIEN SEAN", "O'BRIEN SEAN", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_REJECTED_CHAR), 1);
	r = cmp("JEAN PIERRE DUPONT", "JEAN-PIERRE DUPONT", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_uint_eq(count(&r, ZR_NK_REJECTED_CHAR), 1);
	r = cmp(CARD, "CHOWDHURY ISHMAM ABIR 2", NEW);
	ck_assert_uint_eq(count(&r, ZR_NK_REJECTED_CHAR), 1);
	r = cmp(CARD, "CHOWDHURY ISHMAM\xe2\x80\x8b ABIR", NEW);
	ck_assert_uint_eq(r.problems, 1);
	ck_assert_ptr_nonnull(strstr(r.f[0].msg, "U+200B"));
}
END_TEST

START_TEST(compare_errors)
{
	struct zr_name_report r;
	struct zr_error e;
	char many[400];
	size_t i;

	ck_assert_int_eq(zr_name_compare("山田", "YAMADA", NEW, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NAME);
	ck_assert_str_eq(e.subject, "card name");
	ck_assert_int_eq(zr_name_compare("", "YAMADA", NEW, &r, &e), -1);
	ck_assert_str_eq(e.subject, "card name");
	ck_assert_int_eq(zr_name_compare("'", "YAMADA", NEW, &r, &e), -1);
	ck_assert_int_eq(zr_name_compare(CARD, "\xc3", NEW, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_UTF8);
	ck_assert_int_eq(zr_name_compare(CARD, "A", ZR_D(2000, 1, 1), &r, &e),
	    -1);
	ck_assert_int_eq(e.code, ZR_E_NO_RULE);
	for (i = 0; i < 65 * 2; i += 2) {
		many[i] = 'A';
		many[i + 1] = ' ';
	}
	many[i - 1] = '\0';
	ck_assert_int_eq(zr_name_compare(CARD, many, NEW, &r, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NAME);
	ck_assert_str_eq(e.msg, "more than 64 name parts");
	/* Many problems: the report is capped, not overrun. */
	many[127] = '\0';
	ck_assert_int_eq(zr_name_compare(CARD, many, NEW, &r, &e), 0);
	ck_assert_uint_eq(r.n, ZR_NAME_MAX_FINDINGS);
}
END_TEST

START_TEST(kind_names)
{
	int k;

	for (k = 0; k < ZR_NK_COUNT_; k++)
		ck_assert_str_ne(zr_name_kind_str((enum zr_name_kind)k),
		    "unknown");
	ck_assert_str_eq(zr_name_kind_str(ZR_NK_NEAR_MISS), "near_miss");
	ck_assert_str_eq(zr_name_kind_str(ZR_NK_COUNT_), "unknown");
}
END_TEST

static struct zr_facts *
facts(const char *name, const char *text)
{
	struct zr_facts *f;
	struct zr_error e;

	ck_assert_msg(zr_facts_parse(text, strlen(text), name, &f, &e) == 0,
	    "%s: %s", name, e.msg);
	return f;
}

START_TEST(agree_docs)
{
	struct zr_facts *f[3];
	struct zr_agree_diff *d;
	struct zr_error e;
	size_t ref, nd;

	f[0] = facts("dir/application.facts", "# form\n\n"
	    "name = CHOWDHURY ABIR\nbirth_date = 1995-04-03\n"
	    "card_number = ab12345678cd\npassport_number = BX1234568\n"
	    "nationality = bangladesh\n");
	f[1] = facts("passport.facts", "name = CHOWDHURY,ISHMAM,ABIR\n"
	    "birth_date = 1995/3/4\npassport_number = BX 1234567\n"
	    "nationality = BANGLADESH\n");
	f[2] = facts("card.facts", "name = CHOWDHURY ISHMAM ABIR\n"
	    "birth_date = 1995-03-04\ncard_number = AB12345678CD\n"
	    "sex = M\n");
	ck_assert_int_eq(zr_agree_facts(f, 3, &ref, &d, &nd, &e), 0);
	ck_assert_uint_eq(ref, 2);
	ck_assert_uint_eq(nd, 3);
	ck_assert_str_eq(d[0].key, "name");
	ck_assert_uint_eq(d[0].file, 0);
	ck_assert_int_eq(d[0].line, 3);
	ck_assert_str_eq(d[0].value, "CHOWDHURY ABIR");
	ck_assert_uint_eq(d[0].ref_file, 2);
	ck_assert_int_eq(d[0].ref_line, 1);
	ck_assert_str_eq(d[0].ref_value, CARD);
	ck_assert_str_eq(d[1].key, "birth_date");
	ck_assert_int_eq(d[1].line, 4);
	/* The passport is the authority for its own number. */
	ck_assert_str_eq(d[2].key, "passport_number");
	ck_assert_uint_eq(d[2].file, 0);
	ck_assert_uint_eq(d[2].ref_file, 1);
	ck_assert_int_eq(d[2].line, 6);
	free(d);
	zr_facts_free(f[0]);
	zr_facts_free(f[1]);
	zr_facts_free(f[2]);
}
END_TEST

START_TEST(agree_first_ref)
{
	struct zr_facts *f[2];
	struct zr_agree_diff *d;
	struct zr_error e;
	size_t ref, nd;

	f[0] = facts("a.facts", "name = SAMPLE TARO\nsex = m\n"
	    "address = 東京都 江東区\n");
	f[1] = facts("b.facts", "name = SAMPLE,TARO\nsex = M\n"
	    "address = 東京都　江東区\n");
	ck_assert_int_eq(zr_agree_facts(f, 2, &ref, &d, &nd, &e), 0);
	ck_assert_uint_eq(ref, 0);
	ck_assert_uint_eq(nd, 0);
	ck_assert_ptr_null(d);
	zr_facts_free(f[1]);
	f[1] = facts("b.facts", "name = Sample Taro\n");
	ck_assert_int_eq(zr_agree_facts(f, 2, &ref, &d, &nd, &e), 0);
	ck_assert_uint_eq(nd, 1);
	free(d);
	ck_assert_int_eq(zr_agree_facts(f, 1, &ref, &d, &nd, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_USAGE);
	zr_facts_free(f[0]);
	zr_facts_free(f[1]);
}
END_TEST

Suite *
zr_name_suite(void)
{
	Suite *s = suite_create("name");
	TCase *tc = tcase_create("name");

	tcase_add_test(tc, validate_bad);
	tcase_add_test(tc, card_spelling);
	tcase_add_test(tc, form_by_date);
	tcase_add_test(tc, form_length);
	tcase_add_test(tc, compare_same);
	tcase_add_test(tc, compare_order);
	tcase_add_test(tc, compare_case_width);
	tcase_add_test(tc, compare_spacing);
	tcase_add_test(tc, compare_separator);
	tcase_add_test(tc, compare_parts);
	tcase_add_test(tc, compare_near_miss);
	tcase_add_test(tc, compare_diacritics);
	tcase_add_test(tc, compare_errors);
	tcase_add_test(tc, kind_names);
	tcase_add_test(tc, agree_docs);
	tcase_add_test(tc, agree_first_ref);
	suite_add_tcase(s, tc);
	return s;
}
