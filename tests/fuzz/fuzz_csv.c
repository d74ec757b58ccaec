/* Fuzz target: the RFC 4180 CSV reader (zr-deadline --roster). */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "zairyu/csv.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zr_csv *c;
	struct zr_error e;
	char **f;
	size_t n, i, total = 0;
	int line, r, guard = 0;

	if (size > 1 << 18)
		return 0;
	if (zr_csv_open(&c, (const char *)data, size, "fuzz", &e) < 0)
		return 0;
	while ((r = zr_csv_next(c, &f, &n, &line, &e)) != 0) {
		if (++guard > 1 << 20)
			__builtin_trap();  /* the reader must make progress */
		if (r < 0)
			continue;
		for (i = 0; i < n; i++)
			total += strlen(f[i]);
	}
	zr_csv_close(c);
	return total == (size_t)-1;
}
