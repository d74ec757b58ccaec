/* zairyu-tools: shared helpers for the Check unit tests. */
/* SPDX-License-Identifier: MIT */
#ifndef ZR_TEST_H
#define ZR_TEST_H

#include <check.h>
#include <stddef.h>

#include "zairyu/zairyu.h"

/* Synthetic inputs made by tests/fixtures.sh before the tests run
 * (ZR_FIXTURES, set by tests/run-all.sh; build/fixtures by default), and
 * small committed files with their sources in tests/data/MANIFEST.tsv. */
#define ZR_DATA_DIR "tests/data/"

/* The path of fixture NAME (a static buffer: use it before the next call). */
const char *zr_fixture(const char *name);

/* Read fixture NAME whole; fails the test when it is missing. */
void zr_fixture_read(const char *name, unsigned char **buf, size_t *len);

/* A fresh folder under /tmp into dir (n bytes), and rm -rf of one
 * (system()'s status). */
void zr_test_tmpdir(char *dir, size_t n);
int zr_test_rmdir(const char *dir);

/* A date literal. */
#define ZR_D(y, m, d) ((struct zr_date){ (y), (m), (d) })

#define ck_assert_date_eq(a, b) do { \
	struct zr_date a_ = (a), b_ = (b); \
	ck_assert_msg(zr_date_cmp(a_, b_) == 0, \
	    "dates differ: %04d-%02d-%02d != %04d-%02d-%02d", \
	    a_.y, a_.m, a_.d, b_.y, b_.m, b_.d); \
} while (0)

#endif
