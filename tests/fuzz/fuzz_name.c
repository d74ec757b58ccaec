/* zairyu-tools: fuzz the name normaliser, comparison and number checks. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/name.h"
#include "fuzz.h"

/* Two names and a newline (seeds under 64 bytes). */
#define FUZZ_MAX_LEN 1024

/*
 * Input: "card name\ngiven name" (no newline: the given name against a
 * fixed card name).  Every function taking outside text gets both.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct zr_date dates[2] = { { 2025, 6, 1 },
		{ 2026, 1, 5 } };
	struct zr_name_report rep;
	struct zr_error e;
	const uint8_t *nl;
	char *card, *given, out[ZR_NAME_MAX + 1], num[13];
	size_t clen, i;

	if (size > FUZZ_MAX_LEN)
		return 0;
	nl = memchr(data, '\n', size);
	if (nl != NULL) {
		clen = (size_t)(nl - data);
		card = malloc(clen + 1);
		given = malloc(size - clen);
		if (card == NULL || given == NULL)
			goto out;
		memcpy(card, data, clen);
		card[clen] = '\0';
		memcpy(given, nl + 1, size - clen - 1);
		given[size - clen - 1] = '\0';
	} else {
		card = strdup("CHOWDHURY ISHMAM ABIR");
		given = malloc(size + 1);
		if (card == NULL || given == NULL)
			goto out;
		memcpy(given, data, size);
		given[size] = '\0';
	}
	/* The raw bytes (with any NULs) go through validation first. */
	zr_name_validate((const char *)data, size, "fuzz", &e);
	for (i = 0; i < 2; i++) {
		zr_name_compare(card, given, dates[i], &rep, &e);
		zr_name_compare(given, card, dates[i], &rep, &e);
		zr_name_form(given, dates[i], out, sizeof(out), &rep, &e);
	}
	zr_name_form(given, dates[1], out, 16, &rep, &e);
	zr_name_card_spelling(given, out, sizeof(out), &e);
	zr_name_card_spelling(card, out, 8, &e);
	zr_card_number_check(given, num, &rep, &e);
	zr_my_number_check(given, &rep, &e);
	if (strlen(given) >= 11)
		zr_my_number_check_digit(given);
out:
	free(card);
	free(given);
	return 0;
}
