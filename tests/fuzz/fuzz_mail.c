/* Fuzz target: what zr-letter runs: the mail decoder, the completion-mail
 * reader, and the kit built from it, rendered as text and as PDF. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/facts.h"
#include "zairyu/letter.h"
#include "zairyu/mail.h"
#include "zairyu/text.h"
#include "fuzz.h"
#include "fuzzutil.h"

/* The seeds are mails and pasted texts, the largest (completion-counter)
 * 5 KB. */
#define FUZZ_MAX_LEN 8192

static const char person[] =
    "name = FUZZ TARO\npostcode = 100-0001\naddress = 東京都千代田区1\n"
    "application = extension\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_mail *m;
	struct zr_completion c;
	struct zr_receipt r;
	struct zr_error e;
	struct zr_facts *f;
	struct zr_kit_input in;
	struct zr_kit kit;
	char buf[ZR_RECEIPT_BUFSZ], small[257], *s;
	unsigned char *pdf;
	size_t n;

	if (size > FUZZ_MAX_LEN)
		return 0;
	/* A header value and a receipt number made of the same bytes. */
	n = size < 256 ? size : 256;
	memcpy(small, data, n);
	small[n] = '\0';
	if (zr_mime_header_decode((const char *)data, n, &s, &e) == 0) {
		if (!zr_utf8_valid(s, strlen(s), NULL))
			__builtin_trap();
		free(s);
	}
	if (zr_receipt_parse(small, &r, &e) == 0 &&
	    zr_receipt_parse(zr_receipt_format(&r, buf), &r, &e) != 0)
		__builtin_trap();  /* the canonical form must parse back */

	if (zr_mail_parse(data, size, "fuzz", &m, &e) < 0)
		return 0;
	if (!zr_utf8_valid(zr_mail_text(m), strlen(zr_mail_text(m)), NULL))
		__builtin_trap();  /* decoded text is always UTF-8 */
	if ((s = zr_text_fold(zr_mail_text(m))) != NULL)
		free(s);
	if (zr_mail_completion(m, &c, &e) == 0) {
		if (c.has_receipt && zr_receipt_parse(zr_receipt_format(
		    &c.receipt, buf), &r, &e) != 0)
			__builtin_trap();
		if (zr_facts_parse(person, sizeof(person) - 1, "fuzz", &f,
		    &e) == 0) {
			memset(&in, 0, sizeof(in));
			in.facts = f;
			in.mail = &c;
			in.mail_name = "fuzz";
			in.fee = -1;
			if (zr_kit_build(&in, &kit, &e) == 0) {
				if (zr_kit_text(&kit, &s, &n, &e) == 0) {
					if (!zr_utf8_valid(s, n, NULL))
						__builtin_trap();
					free(s);
				}
				/* The PDF layout costs libharu about 3 ms even
				 * with the tiny font: one input in 16 (by size)
				 * renders it, so the target stays fast. */
				if (size % 16 == 0 && zr_kit_pdf(&kit,
				    fuzz_tiny_font(), &pdf, &n, &e) == 0)
					free(pdf);
			}
			zr_facts_free(f);
		}
	}
	zr_mail_free(m);
	return 0;
}
