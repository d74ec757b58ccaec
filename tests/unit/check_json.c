/* zairyu-tools: the JSON writer and the codes of zairyu-json(5). */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/name.h"
#include "zr_cli.h"
#include "zr_test.h"

/* What zr_json_escape() writes for s, in a buffer the caller frees. */
static char *
escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	zr_json_escape(fp, s);
	fclose(fp);
	return buf;
}

#define ck_escape(in, want) do { \
	char *got_ = escaped(in); \
	ck_assert_str_eq(got_, want); \
	free(got_); \
} while (0)

START_TEST(escape_utf8)
{
	ck_escape("plain", "\"plain\"");
	ck_escape("a\"b\\c", "\"a\\\"b\\\\c\"");
	ck_escape("two\nlines\t\r", "\"two\\nlines\\t\\r\"");
	ck_escape("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	/* UTF-8 is written as it is. */
	ck_escape("S\xc3\xa4mple \xe7\xa6\x8f \xf0\x9f\x93\xb7",
	    "\"S\xc3\xa4mple \xe7\xa6\x8f \xf0\x9f\x93\xb7\"");
	/* Anything else is U+FFFD per byte: Latin-1, a lone continuation
	 * byte, an overlong form, a surrogate, beyond U+10FFFF, cut short. */
	ck_escape("caf\xe9.jpg", "\"caf\xef\xbf\xbd.jpg\"");
	ck_escape("\x80x", "\"\xef\xbf\xbdx\"");
	ck_escape("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	ck_escape("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	ck_escape("\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	ck_escape("\xe7\xa6", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	ck_escape("\xf0\x9f\x93", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
}
END_TEST

START_TEST(finding_objects)
{
	struct zr_json j;
	struct zr_error e;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	zr_cli_init("zr-test");
	zr_json_begin(&j, fp);
	zr_json_status(&j, ZR_JSON_PROBLEM);
	zr_json_arr(&j, "problems");
	zr_json_finding(&j, ZR_E_NO_FIT, NULL, NULL, 0);
	zr_error_set(&e, ZR_E_NOT_JPEG, "scan\xff.jpg", NULL);
	zr_error_line(&e, 3);
	zr_json_error(&j, &e);
	zr_json_finding_id(&j, "aspect", "4:3", "p.jpg", 0);
	zr_json_close_arr(&j);
	zr_json_empty_arr(&j, "notes");
	zr_json_end(&j);
	fclose(fp);
	ck_assert_str_eq(buf, "{\"tool\":\"zr-test\",\"version\":\"" ZR_VERSION
	    "\",\"status\":\"problem\",\"problems\":["
	    "{\"code\":\"no_fit\",\"message\":\"cannot fit the size limit\"},"
	    "{\"code\":\"not_jpeg\",\"message\":\"not a JPEG file\","
	    "\"file\":\"scan\xef\xbf\xbd.jpg\",\"line\":3},"
	    "{\"code\":\"aspect\",\"message\":\"4:3\",\"file\":\"p.jpg\"}],"
	    "\"notes\":[]}\n");
	free(buf);
}
END_TEST

/* One table: every id is lowercase, unique and maps back; the codes the
 * library reports by string are all in it. */
START_TEST(code_ids)
{
	int c, k, d;

	for (c = 0; c < ZR_E_COUNT_; c++) {
		const char *id = zr_code_id(c);
		ck_assert(id[0] != '\0');
		ck_assert_uint_eq(strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_"),
		    strlen(id));
		ck_assert_int_eq(zr_code_from_id(id), c);
		for (d = 0; d < c; d++)
			ck_assert_str_ne(zr_code_id(d), id);
	}
	ck_assert_str_eq(zr_code_id(ZR_E_NO_FIT), "no_fit");
	ck_assert_str_eq(zr_code_id(ZR_E_PDF_PASSWORD), "pdf_password");
	ck_assert_str_eq(zr_code_id(-1), "internal");
	ck_assert_int_eq(zr_code_from_id("ZR_E_NO_FIT"), -1);
	ck_assert_int_eq(zr_code_from_id(NULL), -1);
	for (k = 0; k < ZR_NK_COUNT_; k++)
		ck_assert_msg(zr_code_from_id(zr_name_kind_str(
		    (enum zr_name_kind)k)) >= 0, "name kind %s not in the table",
		    zr_name_kind_str((enum zr_name_kind)k));
}
END_TEST

Suite *
zr_json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, escape_utf8);
	tcase_add_test(tc, finding_objects);
	tcase_add_test(tc, code_ids);
	suite_add_tcase(s, tc);
	return s;
}
