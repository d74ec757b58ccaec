/* libzairyu: image identification, decoding dispatch and pixel helpers. */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zairyu/image.h"
#include "image_int.h"

void
zr_image_free(struct zr_image *img)
{
	if (img == NULL)
		return;
	free(img->pixels);
	img->pixels = NULL;
	img->width = img->height = img->channels = 0;
}

int
zr_image_alloc(struct zr_image *img, int w, int h, int channels,
    struct zr_error *err)
{
	size_t n = zri_image_size(w, h, channels);

	img->pixels = NULL;
	img->width = img->height = img->channels = 0;
	if (n == 0)
		return zr_error_set(err, ZR_E_PIXELS, NULL,
		    "bad image size %dx%d", w, h);
	if ((img->pixels = calloc(n, 1)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	img->width = w;
	img->height = h;
	img->channels = channels;
	return 0;
}

/* ---- identification ---- */

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

void
zri_image_take_exif(const unsigned char *p, size_t n,
    struct zr_image_info *info)
{
	struct zr_exif ex;

	info->has_exif = 1;
	if (zr_exif_parse(p, n, &ex, NULL) != 0)
		return;
	info->orientation = ex.orientation;
	info->has_gps = ex.has_gps;
	info->has_gps_position = ex.has_gps_position;
	info->taken = ex.taken;
	info->taken_hour = ex.taken_hour;
	info->taken_min = ex.taken_min;
}

static const char xmp_id[] = "http://ns.adobe.com/xap/1.0/";
static const char xmp_ext[] = "http://ns.adobe.com/xmp/extension/";

/*
 * JPEG (ITU-T T.81 Annex B): walk the marker segments up to the first SOS.
 * Metadata: APP0 JFIF density, APP1 Exif / XMP, APP2 ICC_PROFILE,
 * APP13 Photoshop (IPTC), COM.
 */
static int
probe_jpeg(const unsigned char *b, size_t len, const char *name,
    struct zr_image_info *info, struct zr_error *err)
{
	size_t pos = 2;
	int sof = 0;

	for (;;) {
		unsigned m;
		size_t seglen;
		const unsigned char *s;

		if (pos >= len)
			break;
		if (b[pos] != 0xFF) {
			/* Extraneous bytes before a marker: libjpeg skips
			 * them with a warning (T.81 B.1.1.2 allows only 0xFF
			 * fill bytes), which a decode then reports. */
			while (pos < len && b[pos] != 0xFF)
				pos++;
			continue;
		}
		while (pos < len && b[pos] == 0xFF)
			pos++;
		if (pos >= len)
			break;
		m = b[pos++];
		if (m == 0xD9)
			break;
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue;
		if (len - pos < 2)
			break;
		seglen = be16(b + pos);
		if (seglen < 2 || seglen > len - pos)
			break;
		s = b + pos + 2;
		seglen -= 2;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 &&
		    m != 0xCC) {
			if (seglen < 6)
				return zr_error_set(err, ZR_E_IMAGE, name,
				    "corrupt JPEG: short frame header");
			if (sof)
				return zr_error_set(err, ZR_E_IMAGE, name,
				    "corrupt JPEG: two frame headers");
			sof = 1;
			info->bits = s[0];
			info->height = (int)be16(s + 1);
			info->width = (int)be16(s + 3);
			info->components = s[5];
			info->progressive = (m == 0xC2 || m == 0xC6 ||
			    m == 0xCA || m == 0xCE);
			info->arithmetic = m >= 0xC9;
			if (m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF)
				return zr_error_set(err, ZR_E_UNSUPPORTED,
				    name, "lossless JPEG is not supported");
			if (m >= 0xC5 && m != 0xC9 && m != 0xCA)
				return zr_error_set(err, ZR_E_UNSUPPORTED,
				    name, "hierarchical JPEG is not supported");
		} else if (m == 0xE0 && seglen >= 12 &&
		    memcmp(s, "JFIF\0", 5) == 0) {
			unsigned unit = s[7], xd = be16(s + 8),
			    yd = be16(s + 10);

			if (unit == 1) {
				info->xdpi = xd;
				info->ydpi = yd;
			} else if (unit == 2) {
				info->xdpi = xd * 2.54;
				info->ydpi = yd * 2.54;
			}
		} else if (m == 0xE1 && seglen >= 6 &&
		    memcmp(s, "Exif\0", 5) == 0) {
			if (!info->has_exif)
				zri_image_take_exif(s + 6, seglen - 6, info);
		} else if (m == 0xE1 && seglen >= sizeof(xmp_id) &&
		    memcmp(s, xmp_id, sizeof(xmp_id)) == 0) {
			info->has_xmp = 1;
			(void)zr_xmp_scan(s + sizeof(xmp_id), seglen -
			    sizeof(xmp_id), &info->priv);
		} else if (m == 0xE1 && seglen >= 4 &&
		    memcmp(s, "http", 4) == 0) {
			info->has_xmp = 1;   /* extended XMP */
			/* XMP Part 3 §1.1.3.1: signature, GUID, full length
			 * and offset, then a piece of the packet (each piece
			 * scanned alone). */
			if (seglen >= sizeof(xmp_ext) + 40 &&
			    memcmp(s, xmp_ext, sizeof(xmp_ext)) == 0)
				(void)zr_xmp_scan(s + sizeof(xmp_ext) + 40,
				    seglen - sizeof(xmp_ext) - 40,
				    &info->priv);
		} else if (m == 0xE2 && seglen >= 12 &&
		    memcmp(s, "ICC_PROFILE\0", 12) == 0) {
			info->has_icc = 1;
		} else if (m == 0xED) {
			info->has_iptc = 1;
			(void)zr_iptc_scan(s, seglen, &info->priv);
		} else if (m == 0xFE) {
			info->has_comment = 1;
		}
		pos += 2 + seglen;
		if (m == 0xDA)
			break;
	}
	if (!sof)
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt JPEG: no frame header");
	if (info->bits != 8)
		return zr_error_set(err, ZR_E_UNSUPPORTED, name,
		    "%d-bit JPEG is not supported (only 8-bit)", info->bits);
	if (info->width == 0 || info->height == 0)
		return zr_error_set(err, ZR_E_UNSUPPORTED, name,
		    "JPEG without a height in its header is not supported");
	if (info->components != 1 && info->components != 3 &&
	    info->components != 4)
		return zr_error_set(err, ZR_E_UNSUPPORTED, name,
		    "JPEG with %d colour components is not supported",
		    info->components);
	return 0;
}

/* PNG (ISO/IEC 15948): IHDR, then the chunks that carry metadata. */
static int
probe_png(const unsigned char *b, size_t len, const char *name,
    struct zr_image_info *info, struct zr_error *err)
{
	size_t pos = 8;
	int first = 1;

	while (len - pos >= 12) {
		unsigned long n = be32(b + pos);
		const unsigned char *type = b + pos + 4, *d = b + pos + 8;

		/* A length past the end: truncated or forged (libpng would
		 * allocate what it says before finding out). */
		if (n > len - pos - 12)
			return zr_error_set(err, ZR_E_IMAGE, name,
			    "corrupt PNG: chunk %.4s runs past the end of the "
			    "file", isalpha(type[0]) && isalpha(type[1]) &&
			    isalpha(type[2]) && isalpha(type[3]) ?
			    (const char *)type : "????");
		if (first) {
			unsigned ct;

			if (memcmp(type, "IHDR", 4) != 0 || n < 13)
				return zr_error_set(err, ZR_E_IMAGE, name,
				    "corrupt PNG: no IHDR chunk");
			info->width = be32(d) > 0x7fffffffUL ? 0 :
			    (int)be32(d);
			info->height = be32(d + 4) > 0x7fffffffUL ? 0 :
			    (int)be32(d + 4);
			info->bits = d[8];
			ct = d[9];
			info->interlaced = d[12] != 0;
			info->components = (ct & 2) ? 3 : 1;
			info->has_alpha = (ct & 4) != 0;
			if (info->width == 0 || info->height == 0)
				return zr_error_set(err, ZR_E_IMAGE, name,
				    "corrupt PNG: bad size in IHDR");
			first = 0;
		} else if (memcmp(type, "tRNS", 4) == 0) {
			info->has_alpha = 1;
		} else if (memcmp(type, "eXIf", 4) == 0) {
			if (!info->has_exif)
				zri_image_take_exif(d, (size_t)n, info);
		} else if (memcmp(type, "iTXt", 4) == 0 && n >= 17 &&
		    memcmp(d, "XML:com.adobe.xmp", 17) == 0) {
			info->has_xmp = 1;
		} else if (memcmp(type, "iCCP", 4) == 0) {
			info->has_icc = 1;
		} else if (memcmp(type, "tEXt", 4) == 0 ||
		    memcmp(type, "zTXt", 4) == 0 ||
		    memcmp(type, "iTXt", 4) == 0) {
			info->has_comment = 1;
		} else if (memcmp(type, "pHYs", 4) == 0 && n >= 9 &&
		    d[8] == 1) {
			/* pixels per metre */
			info->xdpi = (double)be32(d) * 0.0254;
			info->ydpi = (double)be32(d + 4) * 0.0254;
		} else if (memcmp(type, "IEND", 4) == 0) {
			break;
		}
		pos += 12 + (size_t)n;
	}
	if (first)
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt PNG: no IHDR chunk");
	return 0;
}

/*
 * An ISO base media file (ISO/IEC 14496-12 §4.3): its 'ftyp' box lists a
 * major brand and compatible brands.  HEIF (ISO/IEC 23008-12 Annex B)
 * images carry mif1 (msf1 for sequences) and, for HEVC, heic/heix (heim,
 * heis for multi-layer); AVIF (AV1 Image File Format §9) carries avif
 * (avis).  The major brand decides, then any AV1 brand, then any HEVC or
 * generic HEIF brand.  0 when not an ftyp box, -1 when one without an
 * image brand (a video), with the major brand in major[5].
 */
static int
heif_brand(const unsigned char *b, size_t len, char major[5])
{
	static const char hevc[][5] = { "heic", "heix", "heim", "heis",
	    "hevc", "hevx", "mif1", "msf1" };
	size_t n, i, k;
	int av1 = 0, hev = 0;

	if (len < 16 || memcmp(b + 4, "ftyp", 4) != 0)
		return 0;
	n = be32(b);
	if (n < 16 || n > len)
		n = len;
	memcpy(major, b + 8, 4);
	major[4] = '\0';
	for (i = 8; i + 4 <= n; i += i == 8 ? 8 : 4) {
		const unsigned char *br = b + i;

		if (memcmp(br, "avif", 4) == 0 || memcmp(br, "avis", 4) == 0) {
			if (i == 8)
				return ZR_IMG_AVIF;
			av1 = 1;
		}
		for (k = 0; k < sizeof(hevc) / sizeof(hevc[0]); k++)
			if (memcmp(br, hevc[k], 4) == 0) {
				if (i == 8 && k < 6)
					return ZR_IMG_HEIC;
				hev = 1;
			}
	}
	if (av1)
		return ZR_IMG_AVIF;
	return hev ? ZR_IMG_HEIC : -1;
}

int
zr_image_probe(const unsigned char *buf, size_t len, const char *name,
    struct zr_image_info *info, struct zr_error *err)
{
	memset(info, 0, sizeof(*info));
	info->orientation = 1;
	info->taken_hour = info->taken_min = -1;
	info->bytes = len;
	if (len == 0)
		return zr_error_set(err, ZR_E_EMPTY, name, NULL);
	if (len >= 3 && buf[0] == 0xFF && buf[1] == 0xD8 && buf[2] == 0xFF) {
		info->format = ZR_IMG_JPEG;
		return probe_jpeg(buf, len, name, info, err);
	}
	if (len >= 8 && memcmp(buf, "\x89PNG\r\n\x1a\n", 8) == 0) {
		info->format = ZR_IMG_PNG;
		return probe_png(buf, len, name, info, err);
	}
	{
		char major[5];
		int k = heif_brand(buf, len, major);

		if (k > 0) {
			info->format = (enum zr_image_format)k;
			return zri_heif_probe(buf, len, name, info, err);
		}
		if (k < 0)
			return zr_error_set(err, ZR_E_NOT_IMAGE, name,
			    "not a picture: an ISO media file of brand '%s' "
			    "(a video?)", isprint((unsigned char)major[0]) &&
			    isprint((unsigned char)major[1]) &&
			    isprint((unsigned char)major[2]) &&
			    isprint((unsigned char)major[3]) ? major : "????");
	}
	/* RIFF container (the WebP container specification, RFC 9649 §2). */
	if (len >= 12 && memcmp(buf, "RIFF", 4) == 0 &&
	    memcmp(buf + 8, "WEBP", 4) == 0) {
		info->format = ZR_IMG_WEBP;
		return zri_webp_probe(buf, len, name, info, err);
	}
	if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0)
		return zr_error_set(err, ZR_E_NOT_IMAGE, name,
		    "not a JPEG, PNG, HEIC or WebP file (a PDF passed by "
		    "mistake?)");
	if (len >= 2 && buf[0] == 0xFF && buf[1] == 0xD8)
		return zr_error_set(err, ZR_E_IMAGE, name,
		    "corrupt JPEG: no marker after SOI");
	return zr_error_set(err, ZR_E_NOT_IMAGE, name, NULL);
}

/* ---- decoding ---- */

int
zr_image_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *opts, struct zr_image *out,
    struct zr_image_info *info, struct zr_error *err)
{
	struct zr_image_info tmp;
	struct zr_decode_opts o;
	long long cap;

	memset(out, 0, sizeof(*out));
	if (info == NULL)
		info = &tmp;
	if (opts != NULL)
		o = *opts;
	else
		memset(&o, 0, sizeof(o));
	if (zr_image_probe(buf, len, name, info, err) != 0)
		return -1;
	info->warnings = 0;
	info->warning[0] = '\0';
	info->truncated = 0;
	cap = o.max_pixels > 0 ? o.max_pixels : ZR_IMAGE_MAX_PIXELS;
	/* Refuse decompression bombs from the header, before any work. */
	if ((long long)info->width * info->height > cap)
		return zr_error_set(err, ZR_E_PIXELS, name,
		    "image too large: %dx%d is over %lld pixels",
		    info->width, info->height, cap);
	if (o.apply_orientation && info->orientation >= 5) {
		int t = o.min_width;

		o.min_width = o.min_height;
		o.min_height = t;
	}
	switch (info->format) {
	case ZR_IMG_JPEG:
		if (zri_jpeg_decode(buf, len, name, &o, info, out, err) != 0)
			return -1;
		break;
	case ZR_IMG_HEIC:
	case ZR_IMG_AVIF:
		if (zri_heif_decode(buf, len, name, &o, info, out, err) != 0)
			return -1;
		break;
	case ZR_IMG_WEBP:
		if (zri_webp_decode(buf, len, name, &o, info, out, err) != 0)
			return -1;
		break;
	default:
		if (zri_png_decode(buf, len, name, &o, out, err) != 0)
			return -1;
		break;
	}
	if (o.apply_orientation && info->orientation > 1) {
		struct zr_image up;

		if (zr_image_orient(out, info->orientation, &up, err) != 0) {
			zr_image_free(out);
			return -1;
		}
		zr_image_free(out);
		*out = up;
	}
	return 0;
}

const char *
zr_image_format_name(enum zr_image_format f)
{
	switch (f) {
	case ZR_IMG_JPEG: return "JPEG";
	case ZR_IMG_PNG: return "PNG";
	case ZR_IMG_HEIC: return "HEIC";
	case ZR_IMG_AVIF: return "AVIF";
	case ZR_IMG_WEBP: return "WebP";
	default: return "image";
	}
}

int
zr_image_name_mismatch(const char *name, enum zr_image_format f, char *msg,
    size_t msgsize)
{
	static const struct {
		const char *ext;
		enum zr_image_format f;
	} ext[] = {
		{ "jpg", ZR_IMG_JPEG }, { "jpeg", ZR_IMG_JPEG },
		{ "png", ZR_IMG_PNG }, { "heic", ZR_IMG_HEIC },
		{ "heif", ZR_IMG_HEIC }, { "avif", ZR_IMG_AVIF },
		{ "webp", ZR_IMG_WEBP },
	};
	const char *dot = name != NULL ? strrchr(name, '.') : NULL;

	if (dot == NULL || strchr(dot, '/') != NULL || f == ZR_IMG_UNKNOWN)
		return 0;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t k = 0;

		while (ext[i].ext[k] != '\0' && tolower((unsigned char)
		    dot[1 + k]) == ext[i].ext[k])
			k++;
		if (ext[i].ext[k] != '\0' || dot[1 + k] != '\0')
			continue;
		/* A .heif may hold either HEIF coding. */
		if (ext[i].f == f || (ext[i].f == ZR_IMG_HEIC &&
		    f == ZR_IMG_AVIF && strcmp(ext[i].ext, "heif") == 0))
			return 0;
		if (msg != NULL && msgsize > 0)
			snprintf(msg, msgsize, "not a%s %s file (it is a%s %s "
			    "image)", ext[i].f == ZR_IMG_AVIF ? "n" : "",
			    zr_image_format_name(ext[i].f),
			    f == ZR_IMG_AVIF ? "n" : "",
			    zr_image_format_name(f));
		return 1;
	}
	return 0;
}

/* ---- pixel helpers ---- */

void
zri_image_flatten(unsigned char *dst, const unsigned char *src,
    size_t stride, int w, int h, int inch, int premul, int outch)
{
	int alpha = inch == 2 || inch == 4, nc = alpha ? inch - 1 : inch;

	for (int y = 0; y < h; y++) {
		const unsigned char *s = src + (size_t)y * stride;

		for (int x = 0; x < w; x++) {
			unsigned v[3], a = alpha ? s[nc] : 255;

			for (int k = 0; k < 3; k++) {
				v[k] = s[nc == 1 ? 0 : k];
				/* On white: c*a + 255*(1-a), in 0..255. */
				if (premul)
					v[k] = v[k] + 255 - a > 255 ? 255 :
					    v[k] + 255 - a;
				else if (alpha)
					v[k] = (v[k] * a + 255 * (255 - a) +
					    127) / 255;
			}
			s += inch;
			if (outch == 1) {
				*dst++ = (unsigned char)(nc == 1 ? v[0] :
				    (299 * v[0] + 587 * v[1] + 114 * v[2] +
				    500) / 1000);
			} else {
				*dst++ = (unsigned char)v[0];
				*dst++ = (unsigned char)v[1];
				*dst++ = (unsigned char)v[2];
			}
		}
	}
}

int
zr_image_orient(const struct zr_image *in, int o, struct zr_image *out,
    struct zr_error *err)
{
	int W = in->width, H = in->height, ch = in->channels, ow, oh;

	if (o < 1 || o > 8)
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "EXIF orientation %d is not 1..8", o);
	ow = o >= 5 ? H : W;
	oh = o >= 5 ? W : H;
	if (zr_image_alloc(out, ow, oh, ch, err) != 0)
		return -1;
	/* For each output pixel, the stored pixel that shows there. */
	for (int y = 0; y < oh; y++) {
		unsigned char *d = out->pixels + (size_t)y * (size_t)ow *
		    (size_t)ch;

		for (int x = 0; x < ow; x++) {
			int sx, sy;
			const unsigned char *s;

			switch (o) {
			case 2: sx = W - 1 - x; sy = y; break;
			case 3: sx = W - 1 - x; sy = H - 1 - y; break;
			case 4: sx = x; sy = H - 1 - y; break;
			case 5: sx = y; sy = x; break;
			case 6: sx = y; sy = H - 1 - x; break;
			case 7: sx = W - 1 - y; sy = H - 1 - x; break;
			case 8: sx = W - 1 - y; sy = x; break;
			default: sx = x; sy = y; break;
			}
			s = in->pixels + ((size_t)sy * (size_t)W +
			    (size_t)sx) * (size_t)ch;
			memcpy(d, s, (size_t)ch);
			d += ch;
		}
	}
	return 0;
}

int
zr_image_crop(const struct zr_image *in, int x, int y, int w, int h,
    struct zr_image *out, struct zr_error *err)
{
	size_t row;

	memset(out, 0, sizeof(*out));
	if (x < 0 || y < 0 || w <= 0 || h <= 0 || x > in->width - w ||
	    y > in->height - h)
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "crop %d,%d,%d,%d is outside the %dx%d image",
		    x, y, w, h, in->width, in->height);
	if (zr_image_alloc(out, w, h, in->channels, err) != 0)
		return -1;
	row = (size_t)w * (size_t)in->channels;
	for (int r = 0; r < h; r++)
		memcpy(out->pixels + (size_t)r * row, in->pixels +
		    ((size_t)(y + r) * (size_t)in->width + (size_t)x) *
		    (size_t)in->channels, row);
	return 0;
}

int
zr_image_to_gray(const struct zr_image *in, struct zr_image *out,
    struct zr_error *err)
{
	size_t n;

	if (zr_image_alloc(out, in->width, in->height, 1, err) != 0)
		return -1;
	n = (size_t)in->width * (size_t)in->height;
	if (in->channels == 1) {
		memcpy(out->pixels, in->pixels, n);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = in->pixels + 3 * i;

		/* ITU-R BT.601 luma, as JFIF's Y. */
		out->pixels[i] = (unsigned char)((299 * p[0] + 587 * p[1] +
		    114 * p[2] + 500) / 1000);
	}
	return 0;
}
