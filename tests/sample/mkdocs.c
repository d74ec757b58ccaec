/* Makes the invented documents of examples/sample (no real person, no real
 * form): an application form and a passport data page, as PDF.  Run by
 * tests/sample/mkdocs.sh; the outputs are checked in. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <hpdf.h>

static jmp_buf fail;

static void
on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	(void)data;
	fprintf(stderr, "mkdocs: libharu error %04lx/%lu\n",
	    (unsigned long)code, (unsigned long)detail);
	longjmp(fail, 1);
}

static void
text(HPDF_Page p, HPDF_Font f, float size, float x, float y, const char *s)
{
	HPDF_Page_BeginText(p);
	HPDF_Page_SetFontAndSize(p, f, size);
	HPDF_Page_TextOut(p, x, y, s);
	HPDF_Page_EndText(p);
}

static void
field(HPDF_Page p, HPDF_Font f, float y, const char *label, const char *value)
{
	text(p, f, 9, 60, y + 14, label);
	HPDF_Page_Rectangle(p, 60, y, 475, 12);
	HPDF_Page_Stroke(p);
	text(p, f, 10, 64, y + 2, value);
}

static HPDF_Doc
new_doc(const char *font_path, HPDF_Font *font)
{
	HPDF_Doc pdf = HPDF_New(on_error, NULL);
	const char *name;

	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	name = HPDF_LoadTTFontFromFile(pdf, font_path, HPDF_TRUE);
	*font = HPDF_GetFont(pdf, name, "UTF-8");
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	return pdf;
}

int
main(int argc, char **argv)
{
	HPDF_Doc pdf;
	HPDF_Page p;
	HPDF_Font f;
	const char *font;

	if (argc != 5) {
		fprintf(stderr, "usage: mkdocs font.ttf application.pdf "
		    "passport.pdf certificate.pdf\n");
		return 2;
	}
	font = argv[1];
	if (setjmp(fail))
		return 1;

	/* An application form of the same shape as the real one's first
	 * page: invented fields for the invented person of case.facts. */
	pdf = new_doc(font, &f);
	p = HPDF_AddPage(pdf);
	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	text(p, f, 14, 60, 780, "在留期間更新許可申請書（見本・架空）");
	text(p, f, 11, 60, 762, "APPLICATION FOR EXTENSION OF PERIOD OF STAY "
	    "- SAMPLE, INVENTED PERSON");
	field(p, f, 700, "1 国籍・地域 Nationality/Region", "UTOPIA");
	field(p, f, 660, "2 生年月日 Date of birth", "1990-04-01");
	field(p, f, 620, "3 氏名 Name", "SAMPLE TARO JOHN");
	field(p, f, 580, "4 性別 Sex", "M");
	field(p, f, 540, "5 住居地 Address in Japan",
	    "東京都江東区青海1-2-3 サンプルハイツ101");
	field(p, f, 500, "6 旅券番号 Passport number", "XZ1234567");
	field(p, f, 460, "7 在留カード番号 Residence card number",
	    "AB12345678CD");
	field(p, f, 420, "8 現に有する在留資格 Status of residence",
	    "Engineer/Specialist in Humanities/International Services");
	field(p, f, 380, "9 在留期間の満了日 Date of expiration", "2027-01-31");
	field(p, f, 340, "10 希望する在留期間 Desired length of extension",
	    "3 years");
	text(p, f, 9, 60, 120, "申請人の署名 Signature of the applicant");
	HPDF_Page_Rectangle(p, 60, 80, 250, 36);
	HPDF_Page_Stroke(p);
	text(p, f, 16, 70, 92, "Taro Sample");
	HPDF_SaveToFile(pdf, argv[2]);
	HPDF_Free(pdf);

	/* A passport data page, rendered to a JPEG "scan" by mkdocs.sh. */
	pdf = new_doc(font, &f);
	p = HPDF_AddPage(pdf);
	HPDF_Page_SetWidth(p, 355);   /* 125 x 88 mm */
	HPDF_Page_SetHeight(p, 250);
	HPDF_Page_SetRGBFill(p, 0.92f, 0.94f, 0.98f);
	HPDF_Page_Rectangle(p, 0, 0, 355, 250);
	HPDF_Page_Fill(p);
	HPDF_Page_SetRGBFill(p, 0.6f, 0.6f, 0.65f);
	HPDF_Page_Rectangle(p, 16, 90, 80, 110);
	HPDF_Page_Fill(p);
	HPDF_Page_SetRGBFill(p, 0, 0, 0);
	text(p, f, 10, 16, 225, "PASSPORT - UTOPIA (SPECIMEN, INVENTED)");
	text(p, f, 8, 110, 190, "Surname: SAMPLE");
	text(p, f, 8, 110, 175, "Given names: TARO JOHN");
	text(p, f, 8, 110, 160, "Passport No.: XZ1234567");
	text(p, f, 8, 110, 145, "Date of birth: 01 APR 1990   Sex: M");
	text(p, f, 8, 110, 130, "Date of expiry: 30 JUN 2031");
	text(p, f, 8, 16, 50, "P<UTOSAMPLE<<TARO<JOHN<<<<<<<<<<<<<<<<<<<<<<");
	text(p, f, 8, 16, 36, "XZ12345674UTO9004012M3106305<<<<<<<<<<<<<<<6");
	HPDF_SaveToFile(pdf, argv[3]);
	HPDF_Free(pdf);

	/* A certificate of employment in English with a standard font, so
	 * the file stays small (no embedded font). */
	pdf = HPDF_New(on_error, NULL);
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	f = HPDF_GetFont(pdf, "Helvetica", NULL);
	p = HPDF_AddPage(pdf);
	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	text(p, f, 16, 60, 770, "CERTIFICATE OF EMPLOYMENT (SAMPLE, INVENTED)");
	text(p, f, 11, 60, 720, "This is to certify that SAMPLE TARO JOHN, "
	    "born 1 April 1990,");
	text(p, f, 11, 60, 704, "has been employed by Example Systems K.K. "
	    "(an invented company)");
	text(p, f, 11, 60, 688, "as a software engineer since 1 April 2021, "
	    "full time.");
	text(p, f, 11, 60, 640, "Tokyo, 1 November 2026");
	text(p, f, 11, 60, 600, "Example Systems K.K., Human Resources");
	HPDF_SaveToFile(pdf, argv[4]);
	HPDF_Free(pdf);
	return 0;
}
