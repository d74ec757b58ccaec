/* libzairyu: HEIC and AVIF decoding through libheif (Debian 12: 1.15.1,
 * HEVC by libde265, AV1 by dav1d / libaom). */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libheif/heif.h>

#include "zairyu/image.h"
#include "image_int.h"

/*
 * What libheif is told about the file: no side of the primary image (or
 * of a grid tile) over this, so a forged 'ispe' is refused while the
 * file is parsed, before anything is allocated for it.  The pixel cap of
 * zr_image_decode() applies on top, from the same header.
 */
#define HEIF_MAX_SIDE 65535

/* The one-line message for a libheif error; truncation is named as such. */
static int
heif_fail(struct zr_error *err, const char *name, enum zr_image_format f,
    struct heif_error he)
{
	const char *what = f == ZR_IMG_AVIF ? "AVIF" : "HEIC";

	if (he.code == heif_error_Memory_allocation_error &&
	    he.subcode != heif_suberror_Security_limit_exceeded)
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	if (he.code == heif_error_Memory_allocation_error)
		return zr_error_set(err, ZR_E_PIXELS, name,
		    "%s over libheif's limits: %s", what, he.message);
	if (he.subcode == heif_suberror_End_of_data)
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt %s: file is truncated", what);
	if (he.code == heif_error_Unsupported_feature ||
	    he.code == heif_error_Unsupported_filetype)
		return zr_error_set(err, ZR_E_UNSUPPORTED, name,
		    "unsupported %s: %s", what, he.message);
	return zr_error_set(err, ZR_E_IMAGE, name, "corrupt %s: %s", what,
	    he.message);
}

static unsigned long long
be(const unsigned char *p, int n)
{
	unsigned long long v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return v;
}

/* A box at p (n bytes left): its type and the extent of its payload
 * (after the header); 0 when it does not fit. */
static int
box_at(const unsigned char *p, size_t n, const unsigned char **type,
    size_t *hdr, size_t *size)
{
	unsigned long long sz;

	if (n < 8)
		return 0;
	sz = be(p, 4);
	*hdr = 8;
	if (sz == 1) {          /* a 64-bit size follows the type */
		if (n < 16)
			return 0;
		sz = be(p + 8, 8);
		*hdr = 16;
	} else if (sz == 0) {
		sz = n;         /* to the end of the file */
	}
	if (sz < *hdr || sz > n)
		return 0;
	*type = p + 4;
	*size = (size_t)sz;
	return 1;
}

/*
 * Whether a derived image ('dimg' reference of the 'iref' box, ISO/IEC
 * 23008-12 §6.6: a grid, an overlay) takes another derived image as an
 * input.  libheif 1.15 decodes the inputs of a derived image by
 * recursion without a guard: a grid listed among its own tiles (found by
 * fuzz_phoneimg) recursed until the stack or the threads ran out.
 * Cameras and phones write one level (a grid of coded tiles); more is
 * refused rather than followed.
 */
static int
heif_nested_derivation(const unsigned char *buf, size_t len)
{
	const unsigned char *t, *m, *r;
	size_t pos = 0, hdr, sz, mpos, msz, rpos, rsz;
	unsigned long long from[256];
	int nfrom = 0;

	while (box_at(buf + pos, len - pos, &t, &hdr, &sz)) {
		if (memcmp(t, "meta", 4) != 0) {
			pos += sz;
			continue;
		}
		/* meta is a full box: version and flags, then boxes. */
		if (sz - hdr < 4)
			return 0;
		m = buf + pos + hdr + 4;
		msz = sz - hdr - 4;
		for (mpos = 0; box_at(m + mpos, msz - mpos, &t, &hdr, &sz);
		    mpos += sz) {
			int idlen;

			if (memcmp(t, "iref", 4) != 0 || sz - hdr < 4)
				continue;
			r = m + mpos + hdr;
			idlen = r[0] == 0 ? 2 : 4;   /* version 0: 16-bit */
			rsz = sz - hdr;
			/* Two passes over the references: the derived
			 * images, then their inputs. */
			for (int pass = 0; pass < 2; pass++) {
				const unsigned char *e, *q;
				size_t eh, es;

				for (rpos = 4; box_at(r + rpos, rsz - rpos, &e,
				    &eh, &es); rpos += es) {
					size_t cnt;

					q = r + rpos + eh;
					if (memcmp(e, "dimg", 4) != 0 ||
					    es - eh < (size_t)idlen + 2)
						continue;
					if (pass == 0) {
						if (nfrom < 256)
							from[nfrom++] =
							    be(q, idlen);
						else
							return 1;
						continue;
					}
					cnt = (size_t)be(q + idlen, 2);
					if ((size_t)idlen + 2 + cnt * (size_t)idlen >
					    es - eh)
						cnt = (es - eh - (size_t)idlen -
						    2) / (size_t)idlen;
					for (size_t k = 0; k < cnt; k++)
						for (int j = 0; j < nfrom; j++)
							if (be(q + idlen + 2 +
							    k * (size_t)idlen,
							    idlen) == from[j])
								return 1;
				}
			}
		}
		return 0;
	}
	return 0;
}

/* The parsed file and its primary image (the picture a viewer shows). */
static int
heif_open(const unsigned char *buf, size_t len, const char *name,
    enum zr_image_format f, struct heif_context **ctxp,
    struct heif_image_handle **hp, struct zr_error *err)
{
	struct heif_context *ctx;
	struct heif_error he;

	*ctxp = NULL;
	*hp = NULL;
	/* Which codings this libheif can decode is known at run time (its
	 * plugins): say so plainly rather than "unsupported feature". */
	if (f == ZR_IMG_AVIF &&
	    !heif_have_decoder_for_format(heif_compression_AV1))
		return zr_error_set(err, ZR_E_UNSUPPORTED, name,
		    "AVIF is not supported (libheif has no AV1 decoder)");
	if (f == ZR_IMG_HEIC &&
	    !heif_have_decoder_for_format(heif_compression_HEVC))
		return zr_error_set(err, ZR_E_UNSUPPORTED, name,
		    "HEIC is not supported (libheif has no HEVC decoder)");
	if (heif_nested_derivation(buf, len))
		return zr_error_set(err, ZR_E_UNSUPPORTED, name, "%s whose "
		    "grid or overlay is made of other grids or overlays is "
		    "not supported", zr_image_format_name(f));
	if ((ctx = heif_context_alloc()) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	heif_context_set_maximum_image_size_limit(ctx, HEIF_MAX_SIDE);
	he = heif_context_read_from_memory_without_copy(ctx, buf, len, NULL);
	if (he.code == heif_error_Ok)
		he = heif_context_get_primary_image_handle(ctx, hp);
	if (he.code != heif_error_Ok) {
		/* he.message belongs to ctx: use it before freeing. */
		heif_fail(err, name, f, he);
		heif_context_free(ctx);
		*hp = NULL;
		return -1;
	}
	*ctxp = ctx;
	return 0;
}

static void
heif_close(struct heif_context *ctx, struct heif_image_handle *h)
{
	if (h != NULL)
		heif_image_handle_release(h);
	if (ctx != NULL)
		heif_context_free(ctx);
}

/*
 * The metadata a HEIF file carries as items: Exif (ISO/IEC 23008-12
 * Annex A.2: a 32-bit offset to the TIFF header, then the block), XMP
 * (a 'mime' item of type application/rdf+xml), an ICC profile ('colr'
 * of type prof or rICC; nclx is only a colour-space code).
 */
static void
heif_metadata(const struct heif_image_handle *h, struct zr_image_info *info)
{
	heif_item_id ids[16];
	int n = heif_image_handle_get_list_of_metadata_block_IDs(h, NULL, ids,
	    (int)(sizeof(ids) / sizeof(ids[0])));
	enum heif_color_profile_type cp;

	for (int i = 0; i < n; i++) {
		const char *type = heif_image_handle_get_metadata_type(h,
		    ids[i]);
		const char *ct = heif_image_handle_get_metadata_content_type(h,
		    ids[i]);
		size_t sz = heif_image_handle_get_metadata_size(h, ids[i]);
		unsigned char *d;

		if (type != NULL && strcmp(type, "mime") == 0 && ct != NULL &&
		    strcmp(ct, "application/rdf+xml") == 0) {
			info->has_xmp = 1;
			continue;
		}
		if (type == NULL || strcmp(type, "Exif") != 0)
			continue;
		info->has_exif = 1;
		/* Only the first block is read, and only a sane one. */
		if (info->taken.y != 0 || sz < 8 || sz > 1024 * 1024 ||
		    (d = malloc(sz)) == NULL)
			continue;
		if (heif_image_handle_get_metadata(h, ids[i], d).code ==
		    heif_error_Ok) {
			unsigned long off = (unsigned long)d[0] << 24 |
			    (unsigned long)d[1] << 16 |
			    (unsigned long)d[2] << 8 | d[3];

			if (off <= sz - 4)
				zri_image_take_exif(d + 4 + off,
				    sz - 4 - off, info);
		}
		free(d);
	}
	cp = heif_image_handle_get_color_profile_type(h);
	if (cp == heif_color_profile_type_prof ||
	    cp == heif_color_profile_type_rICC)
		info->has_icc = 1;
	/*
	 * HEIF's own transforms (irot, imir, clap: ISO/IEC 23008-12 §6.5)
	 * are what orient the picture, and libheif applies them when it
	 * decodes.  Phones also copy the orientation into the EXIF block;
	 * applying that too would turn the photo a second time (HEIF
	 * §6.5.1 note: readers use the transformative properties).
	 */
	info->orientation = 1;
}

int
zri_heif_probe(const unsigned char *buf, size_t len, const char *name,
    struct zr_image_info *info, struct zr_error *err)
{
	struct heif_context *ctx;
	struct heif_image_handle *h;
	int bits;

	if (heif_open(buf, len, name, info->format, &ctx, &h, err) != 0)
		return -1;
	/* The size after the transforms: the upright picture's. */
	info->width = heif_image_handle_get_width(h);
	info->height = heif_image_handle_get_height(h);
	bits = heif_image_handle_get_luma_bits_per_pixel(h);
	info->bits = bits > 0 ? bits : 8;
	info->components = 3;
	info->has_alpha = heif_image_handle_has_alpha_channel(h) != 0;
	heif_metadata(h, info);
	heif_close(ctx, h);
	if (info->width <= 0 || info->height <= 0)
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt %s: no image size", zr_image_format_name(
		    info->format));
	return 0;
}

int
zri_heif_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, const struct zr_image_info *info,
    struct zr_image *out, struct zr_error *err)
{
	struct heif_context *ctx;
	struct heif_image_handle *h;
	struct heif_decoding_options *dopt;
	struct heif_image *img = NULL;
	struct heif_error he;
	const uint8_t *plane;
	int alpha, stride = 0, w, hh, outch, iw, ih;
	long long cap = o->max_pixels > 0 ? o->max_pixels :
	    ZR_IMAGE_MAX_PIXELS;

	memset(out, 0, sizeof(*out));
	if (heif_open(buf, len, name, info->format, &ctx, &h, err) != 0)
		return -1;
	/* A grid or overlay image is allocated at the canvas size its own
	 * item data declares, which libheif holds only to the side limit:
	 * a forged 'grid' under a 16x6144 'ispe' made 27759x19561 (3.2 GB,
	 * 14 s) before the size check below.  No side of the canvas may
	 * exceed the larger side of the header's 'ispe' (the size before
	 * any transformation) now: libheif refuses a side at or above the
	 * limit, before allocating. */
	iw = heif_image_handle_get_ispe_width(h);
	ih = heif_image_handle_get_ispe_height(h);
	heif_context_set_maximum_image_size_limit(ctx, (iw > ih ? iw : ih) +
	    1);
	alpha = heif_image_handle_has_alpha_channel(h) != 0;
	if ((dopt = heif_decoding_options_alloc()) == NULL) {
		heif_close(ctx, h);
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	}
	dopt->ignore_transformations = 0;   /* upright, as it is shown */
	dopt->convert_hdr_to_8bit = 1;      /* 10/12-bit to 8 */
	dopt->strict_decoding = 1;          /* a damaged tile is an error */
	he = heif_decode_image(h, &img, heif_colorspace_RGB, alpha ?
	    heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, dopt);
	heif_decoding_options_free(dopt);
	if (he.code != heif_error_Ok &&
	    he.subcode == heif_suberror_Security_limit_exceeded) {
		heif_close(ctx, h);
		return zr_error_set(err, ZR_E_IMAGE, name, "corrupt %s: its "
		    "picture is larger than the %dx%d its header says",
		    zr_image_format_name(info->format), iw, ih);
	}
	if (he.code != heif_error_Ok) {
		heif_fail(err, name, info->format, he);
		heif_close(ctx, h);
		return -1;
	}
	w = heif_image_get_width(img, heif_channel_interleaved);
	hh = heif_image_get_height(img, heif_channel_interleaved);
	plane = heif_image_get_plane_readonly(img, heif_channel_interleaved,
	    &stride);
	if (plane == NULL || w <= 0 || hh <= 0 || stride < w * (alpha ? 4 : 3)
	    || heif_image_get_bits_per_pixel_range(img,
	    heif_channel_interleaved) != 8) {
		heif_image_release(img);
		heif_close(ctx, h);
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt %s: no 8-bit RGB picture decoded",
		    zr_image_format_name(info->format));
	}
	/* libheif does not hold the coded picture to the 'ispe' size the
	 * probe reported (a forged one decodes to another size): what the
	 * caller planned from the header must be what it gets. */
	if (w != info->width || hh != info->height) {
		heif_image_release(img);
		heif_close(ctx, h);
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt %s: %dx%d in the header, %dx%d decoded",
		    zr_image_format_name(info->format), info->width,
		    info->height, w, hh);
	}
	if ((long long)w * hh > cap) {
		heif_image_release(img);
		heif_close(ctx, h);
		return zr_error_set(err, ZR_E_PIXELS, name,
		    "image too large: %dx%d is over %lld pixels", w, hh, cap);
	}
	outch = o->gray ? 1 : 3;
	if (zr_image_alloc(out, w, hh, outch, err) != 0) {
		heif_image_release(img);
		heif_close(ctx, h);
		return -1;
	}
	zri_image_flatten(out->pixels, plane, (size_t)stride, w, hh,
	    alpha ? 4 : 3, heif_image_handle_is_premultiplied_alpha(h) != 0,
	    outch);
	heif_image_release(img);
	heif_close(ctx, h);
	return 0;
}
