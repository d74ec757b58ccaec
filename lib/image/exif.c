/* libzairyu: the few EXIF tags zr-photo needs (orientation, date, GPS). */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "zairyu/image.h"

/*
 * Exif 2.32 (CIPA DC-008-2019) over TIFF 6.0: an 8-byte header ("II*\0" or
 * "MM\0*" and the offset of IFD0), then IFDs of 12-byte entries.  Every
 * offset is checked against len; loops are bounded.
 */
struct tiff {
	const unsigned char *p;
	size_t len;
	int be;
};

#define TAG_ORIENTATION   0x0112
#define TAG_EXIF_IFD      0x8769
#define TAG_GPS_IFD       0x8825
#define TAG_DT_ORIGINAL   0x9003
#define TAG_DT_DIGITIZED  0x9004
#define TAG_GPS_LAT       0x0002
#define TAG_GPS_LON       0x0004
#define MAX_ENTRIES       512

static unsigned
rd16(const struct tiff *t, size_t off)
{
	const unsigned char *q = t->p + off;

	if (t->be)
		return (unsigned)q[0] << 8 | q[1];
	return (unsigned)q[1] << 8 | q[0];
}

static unsigned long
rd32(const struct tiff *t, size_t off)
{
	const unsigned char *q = t->p + off;

	if (t->be)
		return (unsigned long)q[0] << 24 | (unsigned long)q[1] << 16 |
		    (unsigned long)q[2] << 8 | q[3];
	return (unsigned long)q[3] << 24 | (unsigned long)q[2] << 16 |
	    (unsigned long)q[1] << 8 | q[0];
}

/* Number of entries of the IFD at off, or -1 if it does not fit. */
static int
ifd_count(const struct tiff *t, unsigned long off)
{
	unsigned n;

	if (off < 8 || off > t->len || t->len - off < 2)
		return -1;
	n = rd16(t, (size_t)off);
	if (n > MAX_ENTRIES || (t->len - off - 2) / 12 < n)
		return -1;
	return (int)n;
}

/* Bytes of one value of a TIFF type, 0 for unknown types. */
static size_t
type_size(unsigned type)
{
	switch (type) {
	case 1: case 2: case 6: case 7:
		return 1;
	case 3: case 8:
		return 2;
	case 4: case 9: case 11:
		return 4;
	case 5: case 10: case 12:
		return 8;
	default:
		return 0;
	}
}

/* Where the value of the entry at e lives, or 0 if it does not fit. */
static size_t
value_off(const struct tiff *t, size_t e, size_t *bytes)
{
	unsigned type = rd16(t, e + 2);
	unsigned long count = rd32(t, e + 4);
	size_t sz = type_size(type), n;
	unsigned long off;

	if (sz == 0 || count > t->len / sz)
		return 0;
	n = sz * (size_t)count;
	*bytes = n;
	if (n <= 4)
		return e + 8;
	off = rd32(t, e + 8);
	if (off > t->len || t->len - off < n)
		return 0;
	return (size_t)off;
}

/* "YYYY:MM:DD HH:MM:SS" (Exif 2.32 §4.6.5); 0 if it is not a real date. */
static int
parse_datetime(const unsigned char *s, size_t n, struct zr_date *d, int *hh,
    int *mm)
{
	int v[5], pos[5] = { 0, 5, 8, 11, 14 }, wid[5] = { 4, 2, 2, 2, 2 };

	if (n < 16)
		return 0;
	for (int i = 0; i < 5; i++) {
		v[i] = 0;
		for (int k = 0; k < wid[i]; k++) {
			unsigned char c = s[pos[i] + k];

			if (c < '0' || c > '9')
				return 0;
			v[i] = v[i] * 10 + (c - '0');
		}
	}
	if (!zr_date_valid(v[0], v[1], v[2]) || v[3] > 23 || v[4] > 59)
		return 0;
	d->y = v[0];
	d->m = v[1];
	d->d = v[2];
	*hh = v[3];
	*mm = v[4];
	return 1;
}

static void
read_date(const struct tiff *t, size_t e, struct zr_date *d, int *hh, int *mm)
{
	size_t n = 0, off;

	if (rd16(t, e + 2) != 2)
		return;
	if ((off = value_off(t, e, &n)) == 0)
		return;
	parse_datetime(t->p + off, n, d, hh, mm);
}

static void
parse_exif_ifd(const struct tiff *t, unsigned long off, struct zr_exif *ex,
    struct zr_date *digitized, int *dh, int *dm)
{
	int n = ifd_count(t, off);

	for (int i = 0; i < n; i++) {
		size_t e = (size_t)off + 2 + 12 * (size_t)i;
		unsigned tag = rd16(t, e);

		ex->entries++;
		if (tag == TAG_DT_ORIGINAL)
			read_date(t, e, &ex->taken, &ex->taken_hour,
			    &ex->taken_min);
		else if (tag == TAG_DT_DIGITIZED)
			read_date(t, e, digitized, dh, dm);
	}
}

static void
parse_gps_ifd(const struct tiff *t, unsigned long off, struct zr_exif *ex)
{
	int n = ifd_count(t, off), lat = 0, lon = 0;

	if (n > 0)
		ex->has_gps = 1;
	for (int i = 0; i < n; i++) {
		size_t e = (size_t)off + 2 + 12 * (size_t)i;
		unsigned tag = rd16(t, e);

		ex->entries++;
		if (tag == TAG_GPS_LAT)
			lat = 1;
		else if (tag == TAG_GPS_LON)
			lon = 1;
	}
	ex->has_gps_position = lat && lon;
}

int
zr_exif_parse(const unsigned char *buf, size_t len, struct zr_exif *ex,
    struct zr_error *err)
{
	struct tiff t;
	struct zr_date digitized = { 0, 0, 0 };
	int dh = -1, dm = -1, n;
	unsigned long ifd0, exif_off = 0, gps_off = 0;

	memset(ex, 0, sizeof(*ex));
	ex->orientation = 1;
	ex->taken_hour = ex->taken_min = -1;
	if (len >= 6 && memcmp(buf, "Exif\0\0", 6) == 0) {
		buf += 6;
		len -= 6;
	}
	if (len < 8)
		return zr_error_set(err, ZR_E_IMAGE, NULL,
		    "bad EXIF block: too short");
	t.p = buf;
	t.len = len;
	if (memcmp(buf, "II*\0", 4) == 0)
		t.be = 0;
	else if (memcmp(buf, "MM\0*", 4) == 0)
		t.be = 1;
	else
		return zr_error_set(err, ZR_E_IMAGE, NULL,
		    "bad EXIF block: no TIFF header");
	ifd0 = rd32(&t, 4);
	if ((n = ifd_count(&t, ifd0)) < 0)
		return zr_error_set(err, ZR_E_IMAGE, NULL,
		    "bad EXIF block: IFD0 outside the block");
	for (int i = 0; i < n; i++) {
		size_t e = (size_t)ifd0 + 2 + 12 * (size_t)i;
		unsigned tag = rd16(&t, e), type = rd16(&t, e + 2);

		ex->entries++;
		switch (tag) {
		case TAG_ORIENTATION:
			if (type == 3 && rd32(&t, e + 4) >= 1) {
				unsigned v = rd16(&t, e + 8);

				if (v >= 1 && v <= 8)
					ex->orientation = (int)v;
			}
			break;
		case TAG_EXIF_IFD:
			if (type == 4 || type == 13)
				exif_off = rd32(&t, e + 8);
			break;
		case TAG_GPS_IFD:
			if (type == 4 || type == 13)
				gps_off = rd32(&t, e + 8);
			break;
		default:
			break;
		}
	}
	/* Sub-IFDs must not point back at IFD0 (a loop in a crafted file). */
	if (exif_off != 0 && exif_off != ifd0)
		parse_exif_ifd(&t, exif_off, ex, &digitized, &dh, &dm);
	if (gps_off != 0 && gps_off != ifd0 && gps_off != exif_off)
		parse_gps_ifd(&t, gps_off, ex);
	if (ex->taken.y == 0 && digitized.y != 0) {
		ex->taken = digitized;
		ex->taken_hour = dh;
		ex->taken_min = dm;
	}
	return 0;
}
