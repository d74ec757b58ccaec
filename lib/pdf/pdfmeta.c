/* libzairyu: metadata out of merged uploads (EXIF, XMP, IPTC, comments). */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "zairyu/zairyu.h"
#include "zairyu/pdf.h"
#include "pdfint.h"

/*
 * Whether a segment before the scan says nothing about colour and can go:
 * APP1 (EXIF with GPS position and camera serial, XMP), APP13 (IPTC),
 * COM, and the other application segments.  Kept: APP0 JFIF, APP2
 * ICC_PROFILE (the colours) and APP14 Adobe (the colour transform of
 * CMYK and RGB JPEGs), ITU T.81 Annex B / JFIF 1.02 / ICC.1 B.4.
 */
static int
droppable(const unsigned char *seg, size_t len)
{
	unsigned char m = seg[1];
	const unsigned char *d = seg + 4;
	size_t n = len - 4;

	if (m == 0xFE)
		return 1;
	if (m < 0xE0 || m > 0xEF)
		return 0;
	if (m == 0xE0)
		return !(n >= 5 && memcmp(d, "JFIF\0", 5) == 0);
	if (m == 0xE2)
		return !(n >= 12 && memcmp(d, "ICC_PROFILE\0", 12) == 0);
	if (m == 0xEE)
		return !(n >= 5 && memcmp(d, "Adobe", 5) == 0);
	return 1;
}

/*
 * Segment by segment up to the first scan, copying into w (if not NULL)
 * what stays.  Extraneous bytes before a marker and fill bytes are kept
 * as they are (libjpeg skips them, with a warning for the first); a
 * length past the end ends the walk and the rest is copied as it is.
 * Returns where the walk stopped; *at_marker: at a scan, an end or a
 * restart marker (not for want of bytes).
 */
static size_t
walk(const unsigned char *b, size_t len, unsigned char *w, size_t *o,
    int *dropped, int *at_marker)
{
	size_t pos = 2, seglen;

	*at_marker = 0;
	while (pos + 4 <= len) {
		unsigned char m = b[pos + 1];

		if (b[pos] != 0xFF || m == 0xFF) {
			if (w != NULL)
				w[*o] = b[pos];
			++*o;
			pos++;
			continue;
		}

		if (m == 0xDA || m == 0xD9 || m == 0x01 ||
		    (m >= 0xD0 && m <= 0xD8)) {
			*at_marker = 1;
			break;
		}
		seglen = 2 + ((size_t)b[pos + 2] << 8 | b[pos + 3]);
		if (seglen < 4 || pos + seglen > len)
			break;
		if (droppable(b + pos, seglen))
			++*dropped;
		else {
			if (w != NULL)
				memcpy(w + *o, b + pos, seglen);
			*o += seglen;
		}
		pos += seglen;
	}
	return pos;
}

int
zri_jpeg_strip(const unsigned char *b, size_t len, unsigned char **out,
    size_t *outlen)
{
	size_t pos, o = 2;
	unsigned char *w;
	int dropped = 0, at;

	*out = NULL;
	*outlen = 0;
	if (len < 4 || b[0] != 0xFF || b[1] != 0xD8)
		return 0;
	if ((w = malloc(len)) == NULL)
		return -1;
	memcpy(w, b, 2);
	pos = walk(b, len, w, &o, &dropped, &at);
	if (dropped == 0) {
		free(w);
		return 0;
	}
	memcpy(w + o, b + pos, len - pos);
	*out = w;
	*outlen = o + len - pos;
	return dropped;
}

long long
zri_jpeg_strip_len(const unsigned char *b, size_t len, long long size)
{
	size_t pos, o = 2;
	int dropped = 0, at;

	if (len < 4 || b[0] != 0xFF || b[1] != 0xD8)
		return (long long)len == size ? size : -1;
	pos = walk(b, len, NULL, &o, &dropped, &at);
	if (!at && (long long)len != size)
		return -1;
	return dropped == 0 ? size : (long long)o + size - (long long)pos;
}

int
zri_jpeg_private(const unsigned char *b, size_t len, struct zri_jpeg_meta *m)
{
	struct zr_image_info info;

	memset(m, 0, sizeof(*m));
	if (zr_image_probe(b, len, "image", &info, NULL) < 0)
		return 0;
	if (info.priv.names[0] != '\0')
		snprintf(m->names, sizeof(m->names), "%s", info.priv.names);
	if (info.has_gps || info.priv.gps) {
		snprintf(m->what, sizeof(m->what), "%s", info.has_gps ?
		    "an EXIF GPS position" : "an XMP GPS position");
		return 2;
	}
	if (info.priv.personal > 0)
		snprintf(m->what, sizeof(m->what), "personal data in their "
		    "metadata");
	else if (info.has_xmp)
		snprintf(m->what, sizeof(m->what), "XMP metadata");
	else if (info.has_iptc)
		snprintf(m->what, sizeof(m->what), "IPTC metadata");
	else if (info.has_exif)
		snprintf(m->what, sizeof(m->what), "EXIF metadata");
	else if (info.has_comment)
		snprintf(m->what, sizeof(m->what), "a JPEG comment");
	return m->what[0] != '\0';
}
