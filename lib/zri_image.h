/* libzairyu: private declarations shared by the image modules. */
/* SPDX-License-Identifier: MIT */
#ifndef ZRI_IMAGE_H
#define ZRI_IMAGE_H

#include <stddef.h>

#include "zairyu/image.h"

/* Decoders; info has been filled by zr_image_probe(). */
int zri_jpeg_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, const struct zr_image_info *info,
    struct zr_image *out, struct zr_error *err);
int zri_png_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, struct zr_image *out,
    struct zr_error *err);

/* w * h * ch as size_t, or 0 if not positive or too large. */
size_t zri_image_size(int w, int h, int ch);

#endif
