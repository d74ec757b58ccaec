/* libzairyu: still WebP decoding through libwebp (Debian 12: 1.2.4). */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>

#include "zairyu/image.h"
#include "image_int.h"

static unsigned long
le32(const unsigned char *p)
{
	return (unsigned long)p[0] | (unsigned long)p[1] << 8 |
	    (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

static int
webp_status(struct zr_error *err, const char *name, VP8StatusCode st)
{
	switch (st) {
	case VP8_STATUS_OUT_OF_MEMORY:
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	case VP8_STATUS_NOT_ENOUGH_DATA:
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt WebP: file is truncated");
	case VP8_STATUS_UNSUPPORTED_FEATURE:
		return zr_error_set(err, ZR_E_UNSUPPORTED, name,
		    "WebP with a feature libwebp does not support");
	default:
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt WebP: bad bitstream");
	}
}

/*
 * The WebP container (RFC 9649 §2): "RIFF", the size of what follows,
 * "WEBP", then chunks (FourCC, 32-bit little-endian size, the payload
 * padded to an even length).  The extended format (VP8X) adds ICCP,
 * ANIM/ANMF, ALPH, EXIF and "XMP " chunks.
 */
int
zri_webp_probe(const unsigned char *buf, size_t len, const char *name,
    struct zr_image_info *info, struct zr_error *err)
{
	WebPBitstreamFeatures ft;
	VP8StatusCode st;
	unsigned long riff = le32(buf + 4);
	size_t pos = 12, end;

	/* A RIFF size past the end of the file: truncated (libwebp would
	 * only find out, or not, in the middle of the bitstream). */
	if (riff < 4 || riff > len - 8)
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt WebP: file is truncated");
	end = 8 + (size_t)riff;
	if ((st = WebPGetFeatures(buf, len, &ft)) != VP8_STATUS_OK)
		return webp_status(err, name, st);
	/*
	 * An animation is refused, not read as its first frame: which
	 * frame is the photo is not for zr-photo to guess, and a frame may
	 * cover only part of the canvas (RFC 9649 §2.7.1.1).
	 */
	if (ft.has_animation)
		return zr_error_set(err, ZR_E_UNSUPPORTED, name,
		    "animated WebP is not supported (save one frame as a "
		    "still picture)");
	info->width = ft.width;
	info->height = ft.height;
	info->bits = 8;
	info->components = 3;
	info->has_alpha = ft.has_alpha != 0;
	/* A chunk's pad byte may take pos one past end (found by
	 * fuzz_phoneimg: end - pos then wrapped, and the loop read on past
	 * the buffer). */
	while (pos <= end && end - pos >= 8) {
		const unsigned char *c = buf + pos;
		unsigned long n = le32(c + 4);

		if (n > end - pos - 8)
			break;
		if (memcmp(c, "EXIF", 4) == 0) {
			/* Orientation applies as in a JPEG; some writers put
			 * JPEG's "Exif\0\0" first (zr_exif_parse skips it). */
			if (!info->has_exif)
				zri_image_take_exif(c + 8, (size_t)n, info);
		} else if (memcmp(c, "XMP ", 4) == 0) {
			info->has_xmp = 1;
		} else if (memcmp(c, "ICCP", 4) == 0) {
			info->has_icc = 1;
		}
		pos += 8 + (size_t)n + (n & 1);
	}
	return 0;
}

int
zri_webp_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, const struct zr_image_info *info,
    struct zr_image *out, struct zr_error *err)
{
	WebPDecoderConfig cfg;
	VP8StatusCode st;
	int w = info->width, h = info->height, inch, outch;
	size_t n;
	unsigned char *px;

	memset(out, 0, sizeof(*out));
	if (!WebPInitDecoderConfig(&cfg))
		return zr_error_set(err, ZR_E_INTERNAL, name,
		    "libwebp version mismatch");
	inch = info->has_alpha ? 4 : 3;
	outch = o->gray ? 1 : 3;
	/* zr_image_decode() has held w x h to the pixel cap already. */
	if ((n = zri_image_size(w, h, inch)) == 0)
		return zr_error_set(err, ZR_E_PIXELS, name,
		    "bad image size %dx%d", w, h);
	if ((px = malloc(n)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	/* Straight into our buffer: libwebp allocates no picture. */
	cfg.output.colorspace = info->has_alpha ? MODE_RGBA : MODE_RGB;
	cfg.output.is_external_memory = 1;
	cfg.output.u.RGBA.rgba = px;
	cfg.output.u.RGBA.stride = w * inch;
	cfg.output.u.RGBA.size = n;
	if ((st = WebPDecode(buf, len, &cfg)) != VP8_STATUS_OK) {
		WebPFreeDecBuffer(&cfg.output);
		free(px);
		return webp_status(err, name, st);
	}
	WebPFreeDecBuffer(&cfg.output);
	if (cfg.output.width != w || cfg.output.height != h) {
		free(px);
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt WebP: %dx%d in the header, %dx%d decoded", w, h,
		    cfg.output.width, cfg.output.height);
	}
	/* In place: alpha flattened on white, as PNG's. */
	zri_image_flatten(px, px, (size_t)w * (size_t)inch, w, h, inch, 0,
	    outch);
	if (outch < inch) {
		unsigned char *p = realloc(px, zri_image_size(w, h, outch));

		if (p != NULL)
			px = p;
	}
	out->width = w;
	out->height = h;
	out->channels = outch;
	out->pixels = px;
	return 0;
}
