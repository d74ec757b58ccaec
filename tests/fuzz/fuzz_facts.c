/* Fuzz target: the zairyu-facts(5) parser and its formatter. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/facts.h"
#include "fuzz.h"

/* Facts files (the sample case is 540 bytes). */
#define FUZZ_MAX_LEN 4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_facts *f, *g;
	struct zr_error e;
	char *text;
	size_t len;

	if (size > FUZZ_MAX_LEN)
		return 0;
	if (zr_facts_parse((const char *)data, size, "fuzz", &f, &e) < 0)
		return 0;
	/* What the formatter writes must parse back. */
	if (zr_facts_format(f, &text, &len, &e) == 0) {
		if (zr_facts_parse(text, len, "again", &g, &e) != 0)
			abort();
		zr_facts_free(g);
		free(text);
	}
	zr_facts_free(f);
	return 0;
}
