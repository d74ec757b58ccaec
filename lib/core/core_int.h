/* libzairyu: the core group's private header (not installed).  Core is
 * beneath every other group, so this is the one private header another
 * group's may include: what the whole library shares that is not API
 * (a build attribute). */
/* SPDX-License-Identifier: MIT */
#ifndef ZRI_CORE_INT_H
#define ZRI_CORE_INT_H

/*
 * For the few loops that are most of the size search's time (SSIM
 * filters, quantiser): vectorised at -O2, and on x86-64 built twice,
 * for AVX2 and for the baseline, the one to run chosen at load time.
 * Both do the same operations on each element in the same order (no
 * FMA contraction), so the results are the same bits on any machine.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__)
#define ZRI_VECTOR __attribute__((optimize("tree-vectorize"), \
    target_clones("avx2", "default")))
#elif defined(__GNUC__) && !defined(__clang__)
#define ZRI_VECTOR __attribute__((optimize("tree-vectorize")))
#else
#define ZRI_VECTOR
#endif

#endif
