/* libzairyu: PNG decoding through libpng, alpha flattened on white. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "zairyu/image.h"
#include "image_int.h"

/*
 * libpng reports through callbacks: errors longjmp back to us (libpng's
 * own jmp_buf, png_jmpbuf), warnings are dropped (they concern ancillary
 * chunks such as a damaged colour profile), nothing is printed.
 */
struct pngctx {
	const unsigned char *buf;
	size_t len, pos;
	char msg[200];
};

static void
png_err(png_structp png, png_const_charp msg)
{
	struct pngctx *c = png_get_error_ptr(png);

	if (c != NULL)
		snprintf(c->msg, sizeof(c->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void
png_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void
png_readfn(png_structp png, png_bytep data, size_t n)
{
	struct pngctx *c = png_get_io_ptr(png);

	if (n > c->len - c->pos) {
		snprintf(c->msg, sizeof(c->msg), "file is truncated");
		png_longjmp(png, 1);
	}
	memcpy(data, c->buf + c->pos, n);
	c->pos += n;
}

int
zri_png_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, struct zr_image *out,
    struct zr_error *err)
{
	struct pngctx c;
	png_structp png;
	png_infop pi = NULL;
	unsigned char *volatile px = NULL;
	png_bytep *volatile rows = NULL;
	png_uint_32 w, h;
	int ct, depth, inch, outch, alpha;
	size_t stride, n;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.buf = buf;
	c.len = len;
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &c, png_err,
	    png_warn);
	if (png == NULL)
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	pi = png_create_info_struct(png);
	if (pi == NULL) {
		png_destroy_read_struct(&png, NULL, NULL);
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &pi, NULL);
		free(px);
		free(rows);
		memset(out, 0, sizeof(*out));
		return zr_error_set(err, ZR_E_IMAGE, name, "corrupt PNG: %s",
		    c.msg[0] != '\0' ? c.msg : "unreadable");
	}
	png_set_read_fn(png, &c, png_readfn);
	png_set_user_limits(png, 65535, 65535);
	png_set_chunk_malloc_max(png, 16L * 1024 * 1024);
	png_read_info(png, pi);
	w = png_get_image_width(png, pi);
	h = png_get_image_height(png, pi);
	if ((long long)w * h > (o->max_pixels > 0 ? o->max_pixels :
	    ZR_IMAGE_MAX_PIXELS)) {
		png_destroy_read_struct(&png, &pi, NULL);
		return zr_error_set(err, ZR_E_PIXELS, name,
		    "image too large: %lux%lu", (unsigned long)w,
		    (unsigned long)h);
	}
	ct = png_get_color_type(png, pi);
	depth = png_get_bit_depth(png, pi);
	/* Everything to 8-bit gray, gray+alpha, RGB or RGBA. */
	if (ct == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png);
	if (ct == PNG_COLOR_TYPE_GRAY && depth < 8)
		png_set_expand_gray_1_2_4_to_8(png);
	if (png_get_valid(png, pi, PNG_INFO_tRNS))
		png_set_tRNS_to_alpha(png);
	if (depth == 16)
		png_set_strip_16(png);
	png_set_interlace_handling(png);
	png_read_update_info(png, pi);
	inch = png_get_channels(png, pi);
	alpha = inch == 2 || inch == 4;
	outch = (o->gray || inch <= 2) ? 1 : 3;
	stride = zri_image_size((int)w, 1, inch);
	n = zri_image_size((int)w, (int)h, inch);
	if (n == 0 || png_get_rowbytes(png, pi) != stride) {
		png_destroy_read_struct(&png, &pi, NULL);
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt PNG: unexpected row size");
	}
	px = malloc(n);
	rows = malloc(sizeof(*rows) * h);
	if (px == NULL || rows == NULL) {
		png_destroy_read_struct(&png, &pi, NULL);
		free(px);
		free(rows);
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	}
	for (png_uint_32 y = 0; y < h; y++)
		rows[y] = px + stride * y;
	png_read_image(png, rows);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &pi, NULL);
	free(rows);
	rows = NULL;
	/* Compact in place: flatten alpha on white, drop to the output. */
	{
		unsigned char *d = px;
		const unsigned char *s = px;
		size_t np = (size_t)w * h;

		for (size_t i = 0; i < np; i++) {
			unsigned v[3], a = 255;
			int nc = alpha ? inch - 1 : inch;

			for (int k = 0; k < 3; k++)
				v[k] = s[nc == 1 ? 0 : k];
			if (alpha)
				a = s[nc];
			s += inch;
			for (int k = 0; k < 3; k++)
				v[k] = (v[k] * a + 255 * (255 - a) + 127) /
				    255;
			if (outch == 1) {
				*d++ = (unsigned char)(nc == 1 ? v[0] :
				    (299 * v[0] + 587 * v[1] + 114 * v[2] +
				    500) / 1000);
			} else {
				*d++ = (unsigned char)v[0];
				*d++ = (unsigned char)v[1];
				*d++ = (unsigned char)v[2];
			}
		}
	}
	if (outch < inch) {
		unsigned char *p = realloc(px, (size_t)w * h * (size_t)outch);

		if (p != NULL)
			px = p;
	}
	out->width = (int)w;
	out->height = (int)h;
	out->channels = outch;
	out->pixels = px;
	return 0;
}

/* ---- encoding (zr-photo --preview) ---- */

struct pngout {
	unsigned char *buf;
	size_t len, cap;
	int nomem;
};

static void
png_writefn(png_structp png, png_bytep data, size_t n)
{
	struct pngout *o = png_get_io_ptr(png);

	if (o->nomem)
		return;
	if (n > o->cap - o->len) {
		size_t cap = o->cap * 2 + n + 4096;
		unsigned char *b = realloc(o->buf, cap);

		if (b == NULL) {
			o->nomem = 1;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, data, n);
	o->len += n;
}

static void
png_flushfn(png_structp png)
{
	(void)png;
}

int
zr_png_encode(const struct zr_image *img, unsigned char **buf, size_t *len,
    struct zr_error *err)
{
	struct pngctx c;
	struct pngout o = { NULL, 0, 0, 0 };
	png_structp png;
	png_infop info = NULL;
	size_t row = (size_t)img->width * (size_t)img->channels;

	*buf = NULL;
	*len = 0;
	if (img->channels != 1 && img->channels != 3)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "PNG output of %d channels", img->channels);
	memset(&c, 0, sizeof(c));
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &c, png_err,
	    png_warn);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
		png_destroy_write_struct(&png, NULL);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(o.buf);
		return zr_error_set(err, ZR_E_INTERNAL, NULL,
		    "PNG encoding: %s", c.msg);
	}
	png_set_write_fn(png, &o, png_writefn, png_flushfn);
	png_set_IHDR(png, info, (png_uint_32)img->width,
	    (png_uint_32)img->height, 8, img->channels == 3 ?
	    PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < img->height; y++)
		png_write_row(png, img->pixels + (size_t)y * row);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	if (o.nomem) {
		free(o.buf);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	*buf = o.buf;
	*len = o.len;
	return 0;
}
