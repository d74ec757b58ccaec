/* zairyu-tools: shared helpers for the Check unit tests. */
/* SPDX-License-Identifier: MIT */
#ifndef ZR_TEST_H
#define ZR_TEST_H

#include <check.h>

#include "zairyu/zairyu.h"

/* Where the shared corpus and facts live (../shared beside the clone). */
#ifndef ZR_SHARED_DIR
#define ZR_SHARED_DIR "../shared"
#endif

/* A date literal. */
#define ZR_D(y, m, d) ((struct zr_date){ (y), (m), (d) })

#define ck_assert_date_eq(a, b) do { \
	struct zr_date a_ = (a), b_ = (b); \
	ck_assert_msg(zr_date_cmp(a_, b_) == 0, \
	    "dates differ: %04d-%02d-%02d != %04d-%02d-%02d", \
	    a_.y, a_.m, a_.d, b_.y, b_.m, b_.d); \
} while (0)

#endif
