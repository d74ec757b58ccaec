/* mkportrait: derived portraits for the zr-photo tests, made at test time
 * from the project's own sample (examples/sample/photo.jpg, see
 * examples/sample/SOURCES): two faces side by side, the head cut by the
 * top edge, a tiny face, a small one, a tilted head, a plain wall, a
 * busy wall around the head, the same photo stored turned as a phone stores it (rot6: HEIC
 * irot + EXIF orientation 6); PNG, or HEIC / WebP with libheif / libwebp. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libheif/heif.h>
#include <webp/encode.h>

#include "zairyu/zairyu.h"
#include "zairyu/image.h"
#include "zairyu/io.h"

static int
die(const char *msg)
{
	fprintf(stderr, "mkportrait: %s\n", msg);
	return 2;
}

static unsigned char *
at(struct zr_image *img, int x, int y)
{
	return img->pixels + ((size_t)y * (size_t)img->width + (size_t)x) * 3;
}

/* The wall colour: the top-left corner of the sample. */
static void
fill(struct zr_image *img, const unsigned char c[3])
{
	for (int y = 0; y < img->height; y++)
		for (int x = 0; x < img->width; x++)
			memcpy(at(img, x, y), c, 3);
}

static void
paste(struct zr_image *dst, const struct zr_image *src, int ox, int oy)
{
	for (int y = 0; y < src->height; y++)
		for (int x = 0; x < src->width; x++)
			if (x + ox >= 0 && y + oy >= 0 && x + ox < dst->width &&
			    y + oy < dst->height)
				memcpy(at(dst, x + ox, y + oy),
				    src->pixels + ((size_t)y *
				    (size_t)src->width + (size_t)x) * 3, 3);
}

static int
write_heic(const struct zr_image *img, int irot, const char *path)
{
	struct heif_context *ctx = heif_context_alloc();
	struct heif_encoder *enc = NULL;
	struct heif_image *h = NULL;
	struct heif_image_handle *hd = NULL;
	struct heif_encoding_options *eo;
	struct heif_error he;
	uint8_t *p;
	int stride;

	he = heif_context_get_encoder_for_format(ctx,
	    heif_compression_HEVC, &enc);
	if (he.code != heif_error_Ok)
		return die(he.message);
	he = heif_image_create(img->width, img->height, heif_colorspace_RGB,
	    heif_chroma_interleaved_RGB, &h);
	if (he.code != heif_error_Ok)
		return die(he.message);
	heif_image_add_plane(h, heif_channel_interleaved, img->width,
	    img->height, 8);
	p = heif_image_get_plane(h, heif_channel_interleaved, &stride);
	for (int y = 0; y < img->height; y++)
		memcpy(p + (size_t)y * (size_t)stride, img->pixels +
		    (size_t)y * (size_t)img->width * 3, (size_t)img->width * 3);
	heif_encoder_set_lossy_quality(enc, 80);
	/* As a phone writes it: the pixels as the sensor saw them, an
	 * irot/imir transform, and the same orientation in EXIF. */
	eo = heif_encoding_options_alloc();
	eo->image_orientation = (enum heif_orientation)(irot > 1 ? irot : 1);
	he = heif_context_encode_image(ctx, h, enc, eo, &hd);
	heif_encoding_options_free(eo);
	if (he.code != heif_error_Ok)
		return die(he.message);
	if (irot > 1) {
		unsigned char ex[26] = { 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0,
			0x12, 0x01, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

		ex[18] = (unsigned char)irot;
		he = heif_context_add_exif_metadata(ctx, hd, ex, sizeof(ex));
		if (he.code != heif_error_Ok)
			return die(he.message);
	}
	he = heif_context_write_to_file(ctx, path);
	if (he.code != heif_error_Ok)
		return die(he.message);
	heif_image_handle_release(hd);
	heif_image_release(h);
	heif_encoder_release(enc);
	heif_context_free(ctx);
	return 0;
}

int
main(int argc, char **argv)
{
	struct zr_image src, out = { 0, 0, 0, NULL }, tmp = { 0, 0, 0, NULL };
	struct zr_decode_opts o;
	struct zr_error e;
	unsigned char *buf, wall[3];
	size_t len;
	const char *kind, *fmt;
	int W, H, irot = 0;

	if (argc != 4)
		return die("usage: mkportrait two|cut|tiny|small|tilt|wall|busy|"
		    "same|rot6 in.jpg out.{png,heic,webp}");
	kind = argv[1];
	if (zr_read_file(argv[2], 0, &buf, &len, &e) != 0)
		return die(e.msg);
	memset(&o, 0, sizeof(o));
	o.apply_orientation = 1;
	if (zr_image_decode(buf, len, argv[2], &o, &src, NULL, &e) != 0)
		return die(e.msg);
	free(buf);
	if (src.channels != 3)
		return die("want an RGB picture");
	W = src.width;
	H = src.height;
	memcpy(wall, src.pixels, 3);
	if (strcmp(kind, "two") == 0) {
		zr_image_alloc(&out, 2 * W, H, 3, NULL);
		paste(&out, &src, 0, 0);
		paste(&out, &src, W, 0);
	} else if (strcmp(kind, "cut") == 0) {
		/* The top fifth gone: the eyes are in, the crown is not. */
		zr_image_crop(&src, 0, H / 5, W, H - H / 5, &out, NULL);
	} else if (strcmp(kind, "tiny") == 0) {
		/* The person a sixth of the size, on the same wall: even
		 * the profile's smallest output would enlarge the head more
		 * than twice. */
		zr_image_resize(&src, W / 6, H / 6, &tmp, NULL);
		zr_image_alloc(&out, W, H, 3, NULL);
		fill(&out, wall);
		paste(&out, &tmp, W * 5 / 12, H - H / 6);
	} else if (strcmp(kind, "small") == 0) {
		/* The person half the size, centred at the top of the same
		 * wall: framed, fine; as it is, the head is too small for
		 * the 3:4 frame. */
		zr_image_resize(&src, W / 2, H / 2, &tmp, NULL);
		zr_image_alloc(&out, W, H, 3, NULL);
		fill(&out, wall);
		paste(&out, &tmp, W / 4, H / 8);
	} else if (strcmp(kind, "tilt") == 0) {
		/* Turned 20 degrees about the middle (nearest pixel). */
		double a = 20.0 * M_PI / 180.0, c = cos(a), s = sin(a);

		zr_image_alloc(&out, W, H, 3, NULL);
		fill(&out, wall);
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W; x++) {
				double dx = x - W / 2.0, dy = y - H / 2.0;
				int sx = (int)lround(c * dx + s * dy + W / 2.0);
				int sy = (int)lround(-s * dx + c * dy + H / 2.0);

				if (sx >= 0 && sy >= 0 && sx < W && sy < H)
					memcpy(at(&out, x, y), at(&src, sx, sy),
					    3);
			}
	} else if (strcmp(kind, "wall") == 0) {
		zr_image_alloc(&out, W, H, 3, NULL);
		fill(&out, wall);
	} else if (strcmp(kind, "busy") == 0) {
		/* Framing needs more room above than there is, and the wall
		 * there is striped: cannot be padded. */
		zr_image_crop(&src, 0, H / 24, W, H - H / 24, &out, NULL);
		for (int y = 0; y < out.height / 60; y++)
			for (int x = 0; x < out.width; x++) {
				unsigned char v = (x / 6) % 2 ? 20 : 235;
				unsigned char *p = at(&out, x, y);

				p[0] = p[1] = p[2] = v;
			}
	} else if (strcmp(kind, "rot6") == 0) {
		/* Stored a quarter turn back: HEIC only, with orientation 6
		 * (turn 90 degrees clockwise to view) in irot and EXIF. */
		irot = 6;
		zr_image_orient(&src, 8, &out, NULL);
	} else if (strcmp(kind, "same") == 0) {
		out = src;
		src.pixels = NULL;
	} else {
		return die("unknown kind");
	}
	if (out.pixels == NULL)
		return die("out of memory");
	fmt = strrchr(argv[3], '.');
	if (fmt != NULL && strcmp(fmt, ".heic") == 0) {
		if (write_heic(&out, irot, argv[3]) != 0)
			return 2;
	} else if (irot != 0) {
		return die("rot6 is for a .heic output");
	} else if (fmt != NULL && strcmp(fmt, ".webp") == 0) {
		uint8_t *w;
		size_t n = WebPEncodeRGB(out.pixels, out.width, out.height,
		    out.width * 3, 85, &w);

		if (n == 0)
			return die("WebP encoding failed");
		if (zr_write_file(argv[3], w, n, 1, NULL, 0, &e) != 0)
			return die(e.msg);
		WebPFree(w);
	} else {
		unsigned char *png;
		size_t n;

		if (zr_png_encode(&out, &png, &n, &e) != 0 ||
		    zr_write_file(argv[3], png, n, 1, NULL, 0, &e) != 0)
			return die(e.msg);
		free(png);
	}
	zr_image_free(&src);
	zr_image_free(&out);
	zr_image_free(&tmp);
	return 0;
}
