/* libzairyu: JPEG encoding from our own DCT, for the size search. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <jpeglib.h>

#include "zairyu/image.h"
#include "image_int.h"

/*
 * The size search encodes one picture many times with different
 * quantisation tables.  Here the colour conversion, the chroma
 * subsampling and the forward DCT happen once, in floating point; each
 * trial only quantises the kept coefficients and hands them to libjpeg's
 * transcoder (jpeg_write_coefficients), which writes the Huffman-
 * optimised baseline file.  Quantising ourselves also lets a trial round
 * small AC coefficients towards zero (a dead zone), which saves more
 * bytes than it costs in detail (ITU-T T.81 leaves the quantiser's
 * rounding to the encoder; only the division by Q is normative).
 */

struct zri_dct {
	int w, h, ncomp, sub444;
	int bw[3], bh[3];        /* blocks per component (MCU-padded) */
	float *coef[3];          /* bw * bh blocks of 64, natural order */
};

/* JPEG's 8-point DCT-II basis, T.81 A.3.3: C(u)/2 cos((2x+1)u pi/16). */
static void
dct_basis(float b[8][8])
{
	for (int u = 0; u < 8; u++)
		for (int x = 0; x < 8; x++)
			b[u][x] = (float)((u == 0 ? sqrt(0.5) : 1.0) / 2.0 *
			    cos((2 * x + 1) * u * M_PI / 16.0));
}

/*
 * Forward DCT of one 8x8 block of level-shifted samples.  bt is the
 * basis transposed (bt[x * 8 + u] = b[u][x]).  Each sum runs over x (then y)
 * in order from 0, eight sums side by side, so that the loops vectorise
 * without reordering any sum.
 */
ZRI_VECTOR
static void
fdct8(const float *restrict in, const float *restrict bt,
    float *restrict out)
{
	float t[64];

	for (int y = 0; y < 8; y++) {
		float *restrict ty = t + y * 8;

		for (int u = 0; u < 8; u++)
			ty[u] = 0;
		for (int x = 0; x < 8; x++) {
			float v = in[y * 8 + x];

			for (int u = 0; u < 8; u++)
				ty[u] += bt[x * 8 + u] * v;
		}
	}
	for (int v = 0; v < 8; v++) {
		float *restrict ov = out + v * 8;

		for (int u = 0; u < 8; u++)
			ov[u] = 0;
		for (int y = 0; y < 8; y++) {
			float bv = bt[y * 8 + v];

			for (int u = 0; u < 8; u++)
				ov[u] += bv * t[y * 8 + u];
		}
	}
}

void
zri_dct_free(struct zri_dct *d)
{
	if (d == NULL)
		return;
	for (int c = 0; c < 3; c++)
		free(d->coef[c]);
	free(d);
}

/*
 * Component c of img as floats: JFIF Y, Cb, Cr (T.871 §7).  One loop
 * per component, so that each vectorises.
 */
ZRI_VECTOR
static void
component(const struct zr_image *img, int c, float *restrict out)
{
	size_t n = (size_t)img->width * (size_t)img->height;
	const unsigned char *restrict p = img->pixels;

	if (img->channels == 1) {
		for (size_t i = 0; i < n; i++)
			out[i] = p[i];
		return;
	}
	switch (c) {
	case 1:
		for (size_t i = 0; i < n; i++)
			out[i] = -0.168736f * (float)p[3 * i] - 0.331264f *
			    (float)p[3 * i + 1] + 0.5f * (float)p[3 * i + 2] +
			    128.0f;
		break;
	case 2:
		for (size_t i = 0; i < n; i++)
			out[i] = 0.5f * (float)p[3 * i] - 0.418688f *
			    (float)p[3 * i + 1] - 0.081312f *
			    (float)p[3 * i + 2] + 128.0f;
		break;
	default:
		for (size_t i = 0; i < n; i++)
			out[i] = 0.299f * (float)p[3 * i] + 0.587f *
			    (float)p[3 * i + 1] + 0.114f * (float)p[3 * i + 2];
		break;
	}
}

/* Sample (x, y) of a w x h component, the picture's edge repeated
 * beyond it as libjpeg does. */
static float
sample(const float *pl, int w, int h, int x, int y)
{
	if (x >= w)
		x = w - 1;
	if (y >= h)
		y = h - 1;
	return pl[(size_t)y * (size_t)w + (size_t)x];
}

struct zri_dct *
zri_dct_new(const struct zr_image *img, int sub444)
{
	struct zri_dct *d;
	float basis[8][8], bt[64], *pl;
	int mcu, w = img->width, h = img->height;

	if (img->pixels == NULL || img->width <= 0 || img->height <= 0 ||
	    img->width > 65500 || img->height > 65500 ||
	    (img->channels != 1 && img->channels != 3))
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((pl = malloc(sizeof(float) * (size_t)w * (size_t)h)) == NULL) {
		free(d);
		return NULL;
	}
	d->w = img->width;
	d->h = img->height;
	d->ncomp = img->channels;
	d->sub444 = img->channels == 1 ? 1 : sub444;
	mcu = d->sub444 ? 8 : 16;
	dct_basis(basis);
	for (int u = 0; u < 8; u++)
		for (int x = 0; x < 8; x++)
			bt[x * 8 + u] = basis[u][x];
	for (int c = 0; c < d->ncomp; c++) {
		/* Luma of 4:2:0 fills 2x2 blocks per MCU; chroma one block
		 * per 16x16 pixels, each sample the mean of four. */
		int f = (c > 0 && !d->sub444) ? 2 : 1;
		int mw = (d->w + mcu - 1) / mcu, mh = (d->h + mcu - 1) / mcu;

		d->bw[c] = mw * mcu / 8 / f;
		d->bh[c] = mh * mcu / 8 / f;
		d->coef[c] = malloc(sizeof(float) * 64 * (size_t)d->bw[c] *
		    (size_t)d->bh[c]);
		if (d->coef[c] == NULL) {
			free(pl);
			zri_dct_free(d);
			return NULL;
		}
		component(img, c, pl);
		for (int by = 0; by < d->bh[c]; by++)
			for (int bx = 0; bx < d->bw[c]; bx++) {
				float in[64];

				for (int y = 0; y < 8; y++)
					for (int x = 0; x < 8; x++) {
						int sx = (bx * 8 + x) * f;
						int sy = (by * 8 + y) * f;
						float v = sample(pl, w, h,
						    sx, sy);

						if (f == 2)
							v = (v + sample(pl, w,
							    h, sx + 1, sy) +
							    sample(pl, w, h,
							    sx, sy + 1) +
							    sample(pl, w, h,
							    sx + 1, sy + 1)) /
							    4.0f;
						in[y * 8 + x] = v - 128.0f;
					}
				fdct8(in, bt, d->coef[c] + 64 *
				    ((size_t)by * (size_t)d->bw[c] +
				    (size_t)bx));
			}
	}
	free(pl);
	return d;
}

/*
 * Quantise one block: the nearest level, except that an AC coefficient
 * is rounded down unless it lies at least 0.5 + dz of a step above the
 * lower level, so that the many coefficients just above a half step cost
 * no bits.
 */
ZRI_VECTOR
static void
quantise(const float *restrict s, const float *restrict inv,
    const float *restrict bias, JCOEF *restrict out)
{
	/* Branch-free, so that it vectorises; a >= 0, so the conversion
	 * truncates to the level below as (long) did. */
	for (int i = 0; i < 64; i++) {
		float a = fabsf(s[i]) * inv[i] + bias[i];
		int n = (int)(a < 1023.0f ? a : 1023.0f);

		out[i] = (JCOEF)(s[i] < 0 ? -n : n);
	}
}

/*
 * Optimal Huffman tables computed here rather than by libjpeg's
 * statistics pass (optimize_coding), which would run over every block
 * once more per trial: the same counts, by the same method, so the same
 * tables and the same file (tests/unit/check_image.c compares the two).
 * Counts per table (0: luma, 1: chroma) of the symbols T.81 F.1.2 codes:
 * DC size categories of the differences from the previous block of the
 * component in coding order, AC run/size pairs, ZRL (0xF0) and EOB (0x00).
 */
struct huff_counts {
	long dc[2][257], ac[2][257];
};

/* Zigzag index to natural (row-major) index, T.81 Figure A.6. */
static const unsigned char zigzag[64] = {
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
};

/* Bits of |v| (T.81 F.1.2.1.1 SSSS), 0 for 0. */
static int
size_of(int v)
{
	unsigned u = (unsigned)(v < 0 ? -v : v);

	return u == 0 ? 0 : 32 - __builtin_clz(u);
}

/*
 * The AC symbols of one block.  The coefficients are copied into zigzag
 * order and scanned four at a time, so that the long runs of zeros of a
 * coarsely quantised block cost little.
 */
static void
count_ac(const JCOEF *b, long ac[257])
{
	JCOEF q[64];
	int last = 0;

	for (int k = 0; k < 64; k++)
		q[k] = b[zigzag[k]];
	for (int w = 0; w < 64; w += 4) {
		uint64_t word;

		memcpy(&word, q + w, sizeof(word));
		if (word == 0)
			continue;
		for (int k = w == 0 ? 1 : w; k < w + 4; k++) {
			int r;

			if (q[k] == 0)
				continue;
			for (r = k - last - 1; r > 15; r -= 16)
				ac[0xF0]++;
			ac[(r << 4) + size_of(q[k])]++;
			last = k;
		}
	}
	if (last < 63)
		ac[0x00]++;
}

/*
 * Code lengths by Huffman's procedure with the K.2 ties (the larger
 * symbol merged first), pseudo-symbol 256 of count 1 so that no code is
 * all ones, lengths limited to 16 as K.3 says; bits[] and huffval[] as
 * in a DHT segment (T.81 B.2.4.2).  freq is clobbered.
 */
void
zri_huff_optimal(long freq[257], UINT8 bits[17], UINT8 huffval[256])
{
	int codesize[257], others[257], nbits[33];
	int sym[257], nsym = 0, i;

	memset(codesize, 0, sizeof(codesize));
	memset(nbits, 0, sizeof(nbits));
	freq[256] = 1;
	for (i = 0; i < 257; i++) {
		others[i] = -1;
		if (freq[i] != 0)
			sym[nsym++] = i;
	}
	for (;;) {
		int c1 = -1, c2 = -1;
		long v1 = 0, v2 = 0;

		/* The two smallest counts, the larger symbol on ties. */
		for (int j = 0; j < nsym; j++) {
			long f = freq[sym[j]];

			if (f == 0)
				continue;
			if (c1 < 0 || f <= v1) {
				c2 = c1;
				v2 = v1;
				c1 = sym[j];
				v1 = f;
			} else if (c2 < 0 || f <= v2) {
				c2 = sym[j];
				v2 = f;
			}
		}
		if (c2 < 0)
			break;
		freq[c1] += freq[c2];
		freq[c2] = 0;
		codesize[c1]++;
		while (others[c1] >= 0) {
			c1 = others[c1];
			codesize[c1]++;
		}
		others[c1] = c2;
		codesize[c2]++;
		while (others[c2] >= 0) {
			c2 = others[c2];
			codesize[c2]++;
		}
	}
	for (i = 0; i < 257; i++)
		if (codesize[i] > 0)
			nbits[codesize[i] > 32 ? 32 : codesize[i]]++;
	for (i = 32; i > 16; i--)
		while (nbits[i] > 0) {
			int j = i - 2;

			while (nbits[j] == 0)
				j--;
			nbits[i] -= 2;
			nbits[i - 1]++;
			nbits[j + 1] += 2;
			nbits[j]--;
		}
	while (nbits[i] == 0)
		i--;
	nbits[i]--;           /* the pseudo-symbol's place */
	for (i = 0; i <= 16; i++)
		bits[i] = (UINT8)nbits[i];
	/* Symbols by code length (before the limit), then by value. */
	{
		int p = 0;

		for (int len = 1; len <= 32; len++)
			for (int j = 0; j < 256; j++)
				if (codesize[j] == len)
					huffval[p++] = (UINT8)j;
	}
}

/*
 * The DC counts, in libjpeg's coding order (jctrans.c): MCU by MCU; in
 * 4:2:0 the 2x2 luma blocks of an MCU row by row, and where the luma
 * blocks of the last MCU column or row lie outside the picture's
 * ceil(w / 8) x ceil(h / 8), a dummy block (the previous block's DC,
 * AC all zero: difference 0 and an EOB).  dc[c] holds each block's
 * quantised DC.  The AC counts of real blocks are made by the caller.
 */
static void
count_dc(const struct zri_dct *d, int *const dc[3], struct huff_counts *hc)
{
	for (int c = 0; c < d->ncomp; c++) {
		int t = c == 0 ? 0 : 1;
		int f = c == 0 && d->ncomp == 3 && !d->sub444 ? 2 : 1;
		int sub = d->ncomp == 3 && !d->sub444 && c > 0 ? 16 : 8;
		int wib = (d->w + sub - 1) / sub, hib = (d->h + sub - 1) / sub;
		int last = 0;

		for (int my = 0; my < d->bh[c] / f; my++)
			for (int mx = 0; mx < d->bw[c] / f; mx++)
				for (int yy = 0; yy < f; yy++)
					for (int xx = 0; xx < f; xx++) {
						int bx = mx * f + xx;
						int by = my * f + yy;

						if (bx >= wib || by >= hib) {
							hc->dc[t][0]++;
							hc->ac[t][0x00]++;
							continue;
						}
						hc->dc[t][size_of(dc[c][
						    (size_t)by * (size_t)
						    d->bw[c] + (size_t)bx] -
						    last)]++;
						last = dc[c][(size_t)by *
						    (size_t)d->bw[c] +
						    (size_t)bx];
					}
	}
}

static void
free_counts(struct huff_counts *hc, int *dc[3])
{
	for (int c = 0; c < 3; c++)
		free(dc[c]);
	free(hc);
}

/* Zeroed counts, and dc[c] for each component's quantised DCs; NULL
 * when out of memory. */
static struct huff_counts *
new_counts(const struct zri_dct *d, int *dc[3])
{
	struct huff_counts *hc;

	if ((hc = calloc(1, sizeof(*hc))) == NULL)
		return NULL;
	for (int c = 0; c < d->ncomp; c++)
		if ((dc[c] = malloc(sizeof(int) * (size_t)d->bw[c] *
		    (size_t)d->bh[c])) == NULL) {
			free_counts(hc, dc);
			return NULL;
		}
	return hc;
}

/* The reciprocals of the tables' steps (chroma NULL for gray) and each
 * table's rounding bias: the AC dead zone (in steps), and a margin (in
 * coefficient units, see zri_dct_sizes) under the half step within which
 * a coefficient still rounds up. */
struct divisors {
	float inv[2][64], bias[2][64];
};

static void
divisors(const UINT16 *luma, const UINT16 *chroma, double deadzone,
    double margin, struct divisors *dv)
{
	for (int t = 0; t < 2; t++)
		for (int i = 0; i < 64; i++) {
			float q = (float)(t == 0 ? luma[i] : chroma != NULL ?
			    chroma[i] : 1);

			dv->inv[t][i] = 1.0f / q;
			dv->bias[t][i] = i == 0 ? 0.5f : 0.5f - (float)deadzone +
			    (float)margin / q;
		}
}

/* Row by of component c quantised into out (d->bw[c] blocks): each
 * block's DC kept in dc, the AC symbols of the coded blocks counted
 * (those outside ceil(w / 8) x ceil(h / 8) of the component's samples
 * are libjpeg's dummies, not coded). */
static void
quantise_row(const struct zri_dct *d, int c, int by,
    const struct divisors *dv, JBLOCKROW out, int *dc, struct huff_counts *hc)
{
	int sub = d->ncomp == 3 && !d->sub444 && c > 0 ? 16 : 8;
	int wib = (d->w + sub - 1) / sub, hib = (d->h + sub - 1) / sub;
	long *ac = hc->ac[c == 0 ? 0 : 1];

	for (int bx = 0; bx < d->bw[c]; bx++) {
		size_t k = (size_t)by * (size_t)d->bw[c] + (size_t)bx;

		quantise(d->coef[c] + 64 * k, dv->inv[c == 0 ? 0 : 1],
		    dv->bias[c == 0 ? 0 : 1], out[bx]);
		dc[k] = out[bx][0];
		if (bx < wib && by < hib)
			count_ac(out[bx], ac);
	}
}

int
zri_dct_encode(const struct zri_dct *d, const unsigned short luma[64],
    const unsigned short chroma[64], double deadzone, int dpi,
    unsigned char **buf, size_t *len, struct zr_error *err)
{
	struct jpeg_compress_struct ci;
	struct zri_jerr je;
	jvirt_barray_ptr arr[3];
	unsigned char *outp = NULL;
	unsigned long memlen = 0;
	struct divisors dv;
	struct huff_counts *hc;
	int *dc[3] = { NULL, NULL, NULL };

	*buf = NULL;
	*len = 0;
	if ((hc = new_counts(d, dc)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	memset(&ci, 0, sizeof(ci));
	zri_jerr_init(&je);
	ci.err = &je.pub;
	if (setjmp(je.jb)) {
		jpeg_destroy_compress(&ci);
		free(outp);
		free_counts(hc, dc);
		return zr_error_set(err, ZR_E_INTERNAL, NULL,
		    "JPEG encoder: %s", je.msg);
	}
	zri_jpeg_compress_begin(&ci, &outp, &memlen, d->w, d->h, d->ncomp,
	    d->ncomp == 1 ? JCS_GRAYSCALE : JCS_YCbCr);
	for (int t = 0; t < (d->ncomp == 1 ? 1 : 2); t++) {
		const unsigned short *src = t == 0 ? luma : chroma;

		if (ci.quant_tbl_ptrs[t] == NULL)
			ci.quant_tbl_ptrs[t] = jpeg_alloc_quant_table(
			    (j_common_ptr)&ci);
		for (int i = 0; i < 64; i++)
			/* Baseline: 8-bit table entries (T.81 B.2.4.1). */
			ci.quant_tbl_ptrs[t]->quantval[i] = (UINT16)(
			    src[i] < 1 ? 1 : src[i] > 255 ? 255 : src[i]);
		ci.quant_tbl_ptrs[t]->sent_table = FALSE;
	}
	if (d->ncomp == 3) {
		int f = d->sub444 ? 1 : 2;

		ci.comp_info[0].h_samp_factor = ci.comp_info[0].v_samp_factor =
		    f;
		for (int c = 1; c < 3; c++)
			ci.comp_info[c].h_samp_factor =
			    ci.comp_info[c].v_samp_factor = 1;
	}
	/* Our own optimal tables (below), so no statistics pass. */
	ci.optimize_coding = FALSE;
	ci.write_JFIF_header = TRUE;
	ci.write_Adobe_marker = FALSE;
	if (dpi > 0 && dpi <= 65535) {
		ci.density_unit = 1;
		ci.X_density = ci.Y_density = (UINT16)dpi;
	}
	for (int c = 0; c < d->ncomp; c++)
		arr[c] = (*ci.mem->request_virt_barray)((j_common_ptr)&ci,
		    JPOOL_IMAGE, FALSE, (JDIMENSION)d->bw[c],
		    (JDIMENSION)d->bh[c],
		    (JDIMENSION)ci.comp_info[c].v_samp_factor);
	(*ci.mem->realize_virt_arrays)((j_common_ptr)&ci);
	divisors(ci.quant_tbl_ptrs[0]->quantval, d->ncomp == 1 ? NULL :
	    ci.quant_tbl_ptrs[1]->quantval, deadzone, 0, &dv);
	memset(hc, 0, sizeof(*hc));
	for (int c = 0; c < d->ncomp; c++)
		for (int by = 0; by < d->bh[c]; by++)
			quantise_row(d, c, by, &dv,
			    (*ci.mem->access_virt_barray)((j_common_ptr)&ci,
			    arr[c], (JDIMENSION)by, 1, TRUE)[0], dc[c], hc);
	count_dc(d, dc, hc);
	for (int t = 0; t < (d->ncomp == 1 ? 1 : 2); t++) {
		JHUFF_TBL **h[2] = { &ci.dc_huff_tbl_ptrs[t],
		    &ci.ac_huff_tbl_ptrs[t] };

		for (int k = 0; k < 2; k++) {
			if (*h[k] == NULL)
				*h[k] = jpeg_alloc_huff_table(
				    (j_common_ptr)&ci);
			memset((*h[k])->huffval, 0, sizeof((*h[k])->huffval));
			zri_huff_optimal(k == 0 ? hc->dc[t] : hc->ac[t],
			    (*h[k])->bits, (*h[k])->huffval);
			(*h[k])->sent_table = FALSE;
		}
	}
	jpeg_write_coefficients(&ci, arr);
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	free_counts(hc, dc);
	*buf = outp;
	*len = (size_t)memlen;
	return 0;
}

/*
 * Bits of the symbols counted in freq coded with their optimal table
 * (code lengths and the magnitude bits after each symbol: the symbol
 * itself for DC, its low four bits for AC, T.81 F.1.2); *dht: the bytes
 * of the table's DHT segment.
 */
static long long
coded_bits(const long freq[257], int dc, long long *dht)
{
	long f[257];
	UINT8 bits[17], val[256];
	long long tot = 0;
	int k = 0;

	memcpy(f, freq, sizeof(f));
	memset(val, 0, sizeof(val));
	zri_huff_optimal(f, bits, val);
	for (int l = 1; l <= 16; l++)
		for (int i = 0; i < bits[l]; i++, k++)
			tot += (long long)freq[val[k]] * (l + (dc ? val[k] :
			    (val[k] & 15)));
	/* Marker, length, class and id, 16 counts, the symbols. */
	*dht = 2 + 2 + 1 + 16 + k;
	return tot;
}

int
zri_dct_sizes(const struct zri_dct *d, const unsigned short (*luma)[64],
    const unsigned short (*chroma)[64], int n, double margin,
    long long *head, long long *data, struct zr_error *err)
{
	struct huff_counts *hc;
	int *dc[3] = { NULL, NULL, NULL };
	JBLOCK *row;
	size_t bw = (size_t)d->bw[0];
	int nt = d->ncomp == 1 ? 1 : 2;

	for (int c = 1; c < d->ncomp; c++)
		if ((size_t)d->bw[c] > bw)
			bw = (size_t)d->bw[c];
	if ((row = malloc(sizeof(*row) * bw)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	if ((hc = new_counts(d, dc)) == NULL) {
		free(row);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	for (int i = 0; i < n; i++) {
		UINT16 q[2][64];
		struct divisors dv;
		long long bits = 0, h, dht;

		/* The steps as zri_dct_encode stores them (8-bit). */
		for (int t = 0; t < nt; t++)
			for (int k = 0; k < 64; k++) {
				unsigned v = t == 0 ? luma[i][k] : chroma[i][k];

				q[t][k] = (UINT16)(v < 1 ? 1 : v > 255 ? 255 :
				    v);
			}
		divisors(q[0], nt == 1 ? NULL : q[1], 0, margin, &dv);
		memset(hc, 0, sizeof(*hc));
		for (int c = 0; c < d->ncomp; c++)
			for (int by = 0; by < d->bh[c]; by++)
				quantise_row(d, c, by, &dv, row, dc[c], hc);
		count_dc(d, dc, hc);
		/* SOI, JFIF APP0, a DQT per table, SOF0, SOS, EOI (T.81
		 * B.2, T.871 §10), and a DHT per Huffman table. */
		h = 2 + 18 + 69 * nt + 10 + 3 * d->ncomp + 8 + 2 * d->ncomp +
		    2;
		for (int t = 0; t < nt; t++) {
			bits += coded_bits(hc->dc[t], 1, &dht);
			h += dht;
			bits += coded_bits(hc->ac[t], 0, &dht);
			h += dht;
		}
		head[i] = h;
		/* Whole bytes, and the 0x00 stuffed after each 0xFF byte
		 * of coded data (T.81 F.1.2.3): about one byte in 256. */
		data[i] = (bits + 7) / 8;
		data[i] += data[i] / 256;
	}
	free_counts(hc, dc);
	free(row);
	return 0;
}

int
zr_jpeg_sizes(const struct zr_image *img, const int *quality, int n,
    double margin, long long *head, long long *data, struct zr_error *err)
{
	struct zri_dct *d;
	unsigned short (*luma)[64], (*chroma)[64];
	int rc = 0;

	if (n <= 0)
		return 0;
	d = zri_dct_new(img, 0);
	luma = calloc((size_t)n, sizeof(*luma));
	chroma = calloc((size_t)n, sizeof(*chroma));
	if (d == NULL || luma == NULL || chroma == NULL)
		rc = zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	for (int k = 0; k < n && rc == 0; k++)
		rc = zri_jpeg_quality_tables(quality[k], luma[k], chroma[k],
		    err);
	if (rc == 0)
		rc = zri_dct_sizes(d, (const unsigned short (*)[64])luma,
		    (const unsigned short (*)[64])chroma, n, margin, head, data,
		    err);
	zri_dct_free(d);
	free(luma);
	free(chroma);
	return rc < 0 ? -1 : 0;
}
