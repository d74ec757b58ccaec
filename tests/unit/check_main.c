/* zairyu-tools: the one Check runner; suites come from tests/unit/check_*.c. */
/* SPDX-License-Identifier: MIT */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "zr_test.h"
#include "zairyu/io.h"

const char *
zr_fixture(const char *name)
{
	static char path[1024];
	const char *dir = getenv("ZR_FIXTURES");

	snprintf(path, sizeof(path), "%s/%s",
	    dir != NULL && *dir != '\0' ? dir : "build/fixtures", name);
	return path;
}

void
zr_fixture_read(const char *name, unsigned char **buf, size_t *len)
{
	const char *path = zr_fixture(name);
	struct zr_error e;

	ck_assert_msg(zr_read_file(path, 0, buf, len, &e) == 0,
	    "fixture %s: %s (make the fixtures with tests/fixtures.sh, or "
	    "run make check-unit)", path, e.msg);
}

void
zr_test_tmpdir(char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/zr-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

int
zr_test_rmdir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

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
