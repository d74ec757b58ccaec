/* zairyu-tools: the one Check runner; suites come from tests/unit/check_*.c. */
/* SPDX-License-Identifier: MIT */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "zr_test.h"

#define ZR_SUITE(name) Suite *zr_##name##_suite(void);
#include "suites.h"
#undef ZR_SUITE

int
main(int argc, char **argv)
{
	SRunner *sr;
	int nrun, nfailed;
	FILE *fp;

	sr = srunner_create(NULL);
#define ZR_SUITE(name) srunner_add_suite(sr, zr_##name##_suite());
#include "suites.h"
#undef ZR_SUITE
	srunner_run_all(sr, CK_ENV);
	nrun = srunner_ntests_run(sr);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	/* tests/run-all.sh adds these to the grand total. */
	if (argc > 1 && (fp = fopen(argv[1], "w")) != NULL) {
		fprintf(fp, "%d %d\n", nrun - nfailed, nfailed);
		fclose(fp);
	}
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
