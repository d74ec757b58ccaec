/* zairyu-tools: the libFuzzer entry point every fuzz target defines. */
/* SPDX-License-Identifier: MIT */
#ifndef ZR_FUZZ_H
#define ZR_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
