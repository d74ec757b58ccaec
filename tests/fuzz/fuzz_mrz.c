/* zairyu-tools: fuzz the passport MRZ parser and its checks. */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "zairyu/name.h"
#include "fuzz.h"

/* Two lines of 44 plus slack, as zr-namecheck reads at most. */
#define FUZZ_MAX_LEN 4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cards[] = {
		"ERIKSSON ANNA MARIA", "SAMPLE TARO JOHN",
		"WOLFESCHLEGELSTEINHAUSENBERGERDORFF HUBERT BLAINE"
	};
	struct zr_date born = { 1974, 8, 12 };
	struct zr_mrz m;
	struct zr_mrz_expect x;
	struct zr_name_report rep;
	struct zr_error e;
	struct zr_date d;
	char field[40], name[82];
	size_t i;

	if (size > FUZZ_MAX_LEN)
		return 0;
	zr_mrz_check_digit((const char *)data, size);
	if (zr_mrz_parse((const char *)data, size, "fuzz", &m, &e) < 0)
		return 0;
	memset(&x, 0, sizeof(x));
	x.today.y = 2026;
	x.today.m = 11;
	x.today.d = 23;
	x.birth = &born;
	x.sex = 'F';
	x.passport_number = "L898902C3";
	for (i = 0; i < sizeof(cards) / sizeof(cards[0]); i++) {
		x.card_name = cards[i];
		zr_mrz_verify(&m, &x, &rep, &e);
	}
	/* The MRZ's own name as the card's: must agree with itself. */
	memcpy(name, m.primary, strlen(m.primary) + 1);
	if (m.secondary[0] != '\0') {
		strcat(name, " ");
		strcat(name, m.secondary);
	}
	if (name[0] != '\0') {
		x.card_name = name;
		zr_mrz_verify(&m, &x, &rep, &e);
		zr_mrz_name_field(name, 1, field);
	}
	zr_mrz_date(m.birth, 1, x.today, &d);
	zr_mrz_date(m.expiry, 0, x.today, &d);
	return 0;
}
