/* libzairyu: JPEG decoding and encoding through the libjpeg API. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "zairyu/image.h"
#include "image_int.h"

/*
 * libjpeg's default error_exit calls exit(): ours longjmps back, and every
 * warning (a truncated file: "Premature end of JPEG file", corrupt data)
 * is an error too, because a half-grey photo must never be uploaded
 * (toolchain-notes: libjpeg-turbo 2.1.5; STYLE §3.3).
 */
static void
jerr_exit(j_common_ptr c)
{
	struct zri_jerr *e = (struct zri_jerr *)(void *)c->err;

	(*c->err->format_message)(c, e->msg);
	longjmp(e->jb, 1);
}

static void
jerr_emit(j_common_ptr c, int level)
{
	struct zri_jerr *e = (struct zri_jerr *)(void *)c->err;

	if (level >= 0)
		return;
	if (!e->tolerant)
		jerr_exit(c);
	/* Recoverable: libjpeg goes on with what it can read. */
	if (c->err->msg_code == JWRN_JPEG_EOF)
		e->eof = 1;
	if (e->nwarn++ == 0)
		(*c->err->format_message)(c, e->wmsg);
}

static void
jerr_output(j_common_ptr c)
{
	(void)c;
}

void
zri_jerr_init(struct zri_jerr *e)
{
	jpeg_std_error(&e->pub);
	e->pub.error_exit = jerr_exit;
	e->pub.emit_message = jerr_emit;
	e->pub.output_message = jerr_output;
	e->msg[0] = '\0';
	e->tolerant = 0;
	e->nwarn = 0;
	e->eof = 0;
	e->wmsg[0] = '\0';
}

/* Smallest M in 1..8 such that the M/8 scaled size is at least min. */
static unsigned
pick_scale(int w, int h, int minw, int minh)
{
	for (unsigned m = 1; m < 8; m++) {
		long sw = ((long)w * m + 7) / 8, sh = ((long)h * m + 7) / 8;

		if (sw >= minw && sh >= minh)
			return m;
	}
	return 8;
}

/* CMYK to RGB without a colour profile: the usual naive conversion. */
static void
cmyk_row(const unsigned char *in, unsigned char *out, JDIMENSION w,
    int inverted, int gray)
{
	for (JDIMENSION x = 0; x < w; x++) {
		unsigned c = in[0], m = in[1], yy = in[2], k = in[3];
		unsigned r, g, b;

		/* Adobe's CMYK JPEGs store the inks inverted. */
		if (!inverted) {
			c = 255 - c;
			m = 255 - m;
			yy = 255 - yy;
			k = 255 - k;
		}
		r = (c * k + 127) / 255;
		g = (m * k + 127) / 255;
		b = (yy * k + 127) / 255;
		if (gray) {
			*out++ = (unsigned char)((299 * r + 587 * g +
			    114 * b + 500) / 1000);
		} else {
			*out++ = (unsigned char)r;
			*out++ = (unsigned char)g;
			*out++ = (unsigned char)b;
		}
		in += 4;
	}
}

int
zri_jpeg_decode(const unsigned char *buf, size_t len, const char *name,
    const struct zr_decode_opts *o, struct zr_image_info *info,
    struct zr_image *out, struct zr_error *err)
{
	struct jpeg_decompress_struct ci;
	struct zri_jerr je;
	unsigned char *volatile px = NULL;
	unsigned char *volatile row4 = NULL;
	int ch, cmyk;
	size_t stride;

	memset(&ci, 0, sizeof(ci));
	zri_jerr_init(&je);
	je.tolerant = o->tolerant;
	info->warnings = 0;
	info->warning[0] = '\0';
	info->truncated = 0;
	ci.err = &je.pub;
	if (setjmp(je.jb)) {
		jpeg_destroy_decompress(&ci);
		free(px);
		free(row4);
		memset(out, 0, sizeof(*out));
		return zr_error_set(err, ZR_E_IMAGE, name, "corrupt JPEG: %s",
		    je.msg);
	}
	jpeg_create_decompress(&ci);
	/* libjpeg's own memory ceiling: a progressive 100 MP file fits. */
	ci.mem->max_memory_to_use = 1200L * 1024 * 1024;
	jpeg_mem_src(&ci, buf, (unsigned long)len);
	jpeg_read_header(&ci, TRUE);
	if (ci.data_precision != 8) {
		jpeg_destroy_decompress(&ci);
		return zr_error_set(err, ZR_E_UNSUPPORTED, name,
		    "%d-bit JPEG is not supported (only 8-bit)",
		    ci.data_precision);
	}
	cmyk = ci.jpeg_color_space == JCS_CMYK ||
	    ci.jpeg_color_space == JCS_YCCK;
	if (cmyk)
		ci.out_color_space = JCS_CMYK;
	else if (o->gray || ci.num_components == 1)
		ci.out_color_space = JCS_GRAYSCALE;
	else
		ci.out_color_space = JCS_RGB;
	ch = (o->gray || ci.num_components == 1) ? 1 : 3;
	if (o->min_width > 0 || o->min_height > 0) {
		ci.scale_num = pick_scale((int)ci.image_width,
		    (int)ci.image_height, o->min_width, o->min_height);
		ci.scale_denom = 8;
	}
	/* Accurate IDCT and smooth chroma upsampling: quality first. */
	ci.dct_method = JDCT_ISLOW;
	ci.do_fancy_upsampling = TRUE;
	jpeg_start_decompress(&ci);
	stride = zri_image_size((int)ci.output_width, 1, ch);
	if (zri_image_size((int)ci.output_width, (int)ci.output_height, ch) ==
	    0) {
		jpeg_destroy_decompress(&ci);
		return zr_error_set(err, ZR_E_PIXELS, name, "bad JPEG size");
	}
	px = malloc(stride * ci.output_height);
	if (cmyk)
		row4 = malloc((size_t)ci.output_width * 4);
	if (px == NULL || (cmyk && row4 == NULL)) {
		jpeg_destroy_decompress(&ci);
		free(px);
		free(row4);
		return zr_error_set(err, ZR_E_NOMEM, name, NULL);
	}
	while (ci.output_scanline < ci.output_height) {
		JSAMPROW r;

		if (cmyk) {
			unsigned char *dst = px + stride * ci.output_scanline;

			r = row4;
			if (jpeg_read_scanlines(&ci, &r, 1) != 1)
				break;
			cmyk_row(row4, dst, ci.output_width,
			    ci.saw_Adobe_marker, ch == 1);
		} else {
			r = px + stride * ci.output_scanline;
			if (jpeg_read_scanlines(&ci, &r, 1) != 1)
				break;
		}
	}
	jpeg_finish_decompress(&ci);
	out->width = (int)ci.output_width;
	out->height = (int)ci.output_height;
	out->channels = ch;
	out->pixels = px;
	jpeg_destroy_decompress(&ci);
	free(row4);
	info->warnings = je.nwarn;
	info->truncated = je.eof;
	snprintf(info->warning, sizeof(info->warning), "%s", je.wmsg);
	return 0;
}

/* Everything but the Huffman tables and the rows: quantisation, sampling,
 * markers (the same for the sample and the picture). */
static void
encode_params(struct jpeg_compress_struct *ci, const struct zr_image *img,
    const struct zr_jpeg_opts *o)
{
	/* Baseline: 8-bit quantisation tables, sequential, Huffman. */
	if (o->chroma_percent > 0 && o->chroma_percent != 100 &&
	    img->channels == 3) {
		/* Chroma tables at their own scale: make them first, keep
		 * them, then make the luma tables. */
		UINT16 chroma[DCTSIZE2];
		long base = o->scale_percent > 0 ? o->scale_percent :
		    jpeg_quality_scaling(o->quality);
		long cs = base * o->chroma_percent / 100;

		jpeg_set_linear_quality(ci, (int)(cs > 5000 ? 5000 : cs),
		    TRUE);
		memcpy(chroma, ci->quant_tbl_ptrs[1]->quantval,
		    sizeof(chroma));
		jpeg_set_linear_quality(ci, (int)base, TRUE);
		memcpy(ci->quant_tbl_ptrs[1]->quantval, chroma,
		    sizeof(chroma));
	} else if (o->scale_percent > 0) {
		jpeg_set_linear_quality(ci, o->scale_percent, TRUE);
	} else {
		jpeg_set_quality(ci, o->quality, TRUE);
	}
	ci->optimize_coding = o->optimize ? TRUE : FALSE;
	ci->arith_code = FALSE;
	ci->dct_method = JDCT_ISLOW;
	if (img->channels == 3) {
		int f = o->subsample444 ? 1 : 2;

		ci->comp_info[0].h_samp_factor = f;
		ci->comp_info[0].v_samp_factor = f;
		ci->comp_info[1].h_samp_factor =
		    ci->comp_info[1].v_samp_factor = 1;
		ci->comp_info[2].h_samp_factor =
		    ci->comp_info[2].v_samp_factor = 1;
	}
	/* JFIF APP0 only: no EXIF, no comment, no Adobe marker. */
	ci->write_JFIF_header = TRUE;
	ci->write_Adobe_marker = FALSE;
	if (o->density_dpi > 0 && o->density_dpi <= 65535) {
		ci->density_unit = 1;
		ci->X_density = (UINT16)o->density_dpi;
		ci->Y_density = (UINT16)o->density_dpi;
	} else {
		ci->density_unit = 0;
		ci->X_density = 1;
		ci->Y_density = 1;
	}
}

/* Rows row[0..n-1] into a started compressor, many a call (libjpeg takes
 * what it can; the same bytes as one row a call, less per-call work). */
static void
encode_rows(struct jpeg_compress_struct *ci, JSAMPROW *row, JDIMENSION n)
{
	while (ci->next_scanline < n) {
		JDIMENSION k = n - ci->next_scanline;

		if (k > 64)
			k = 64;
		jpeg_write_scanlines(ci, row + ci->next_scanline, k);
	}
}

/*
 * optimize 2: libjpeg's statistics pass (optimize_coding) keeps every
 * coefficient block and counts its symbols in plain C, which more than
 * doubles the time of a page encode (0.47 against 0.18 s for 30 scans at
 * 150 dpi).  Instead, every SAMPLE_EVERY-th MCU row of the picture is
 * encoded with it, and those optimal tables, completed with every symbol
 * baseline coding can need (T.81 F.1.2: DC sizes 0..11, AC EOB, ZRL and
 * run/size pairs with sizes 1..10) at the lowest weight, code the whole
 * picture in one pass: the same coefficients (so the same pixels), about
 * 0.3 % more bytes than full statistics, in half the time.
 */
#define SAMPLE_EVERY 8

/* A code length table back to weights (a symbol of length l as
 * 2^(17 - l)), every codable symbol at least 1, then the optimal code. */
static void
complete_table(JHUFF_TBL *t, int ac)
{
	long freq[257];
	int k = 0;

	memset(freq, 0, sizeof(freq));
	for (int l = 1; l <= 16; l++)
		for (int j = 0; j < t->bits[l] && k < 256; j++)
			freq[t->huffval[k++]] = 1L << (17 - l);
	if (ac) {
		freq[0x00] += freq[0x00] == 0;
		freq[0xF0] += freq[0xF0] == 0;
		for (int r = 0; r < 16; r++)
			for (int z = 1; z <= 10; z++)
				freq[(r << 4) | z] += freq[(r << 4) | z] == 0;
	} else
		for (int z = 0; z <= 11; z++)
			freq[z] += freq[z] == 0;
	memset(t->bits, 0, sizeof(t->bits));
	memset(t->huffval, 0, sizeof(t->huffval));
	zri_huff_optimal(freq, t->bits, t->huffval);
	t->sent_table = FALSE;
}

/*
 * rows[0..n-1] of img encoded with opts; with tab, one pass with those
 * tables, else optimize_coding as opts say, and with out_tab the tables
 * it ended with (libjpeg leaves the optimal ones in place).  buf NULL:
 * the bytes are dropped.  -1 with err set on failure.
 */
static int
encode_pass(const struct zr_image *img, const struct zr_jpeg_opts *o,
    JSAMPROW *row, int n, const JHUFF_TBL *tab, JHUFF_TBL *out_tab,
    unsigned char **buf, size_t *len, struct zr_error *err)
{
	struct jpeg_compress_struct ci;
	struct zri_jerr je;
	unsigned char *outp = NULL;
	unsigned long memlen = 0;

	memset(&ci, 0, sizeof(ci));
	zri_jerr_init(&je);
	ci.err = &je.pub;
	if (setjmp(je.jb)) {
		jpeg_destroy_compress(&ci);
		free(outp);
		return zr_error_set(err, ZR_E_INTERNAL, NULL,
		    "JPEG encoder: %s", je.msg);
	}
	zri_jpeg_compress_begin(&ci, &outp, &memlen, img->width, n,
	    img->channels, img->channels == 1 ? JCS_GRAYSCALE : JCS_RGB);
	encode_params(&ci, img, o);
	if (tab != NULL) {
		ci.optimize_coding = FALSE;
		for (int t = 0; t < 2; t++) {
			*ci.dc_huff_tbl_ptrs[t] = tab[2 * t];
			*ci.ac_huff_tbl_ptrs[t] = tab[2 * t + 1];
		}
	}
	jpeg_start_compress(&ci, TRUE);
	encode_rows(&ci, row, (JDIMENSION)n);
	jpeg_finish_compress(&ci);
	if (out_tab != NULL)
		for (int t = 0; t < 2; t++) {
			out_tab[2 * t] = *ci.dc_huff_tbl_ptrs[t];
			out_tab[2 * t + 1] = *ci.ac_huff_tbl_ptrs[t];
		}
	jpeg_destroy_compress(&ci);
	if (buf != NULL) {
		*buf = outp;
		*len = (size_t)memlen;
	} else
		free(outp);
	return 0;
}

int
zr_jpeg_encode(const struct zr_image *img, const struct zr_jpeg_opts *o,
    unsigned char **buf, size_t *len, struct zr_error *err)
{
	JHUFF_TBL tab[4];
	JSAMPROW *row;
	size_t stride;
	int mcu, n = 0, rc;

	*buf = NULL;
	*len = 0;
	if (img->channels != 1 && img->channels != 3)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "JPEG encoding needs 1 or 3 channels, not %d",
		    img->channels);
	if (img->width <= 0 || img->height <= 0 || img->width > 65500 ||
	    img->height > 65500)
		return zr_error_set(err, ZR_E_PIXELS, NULL,
		    "cannot encode a %dx%d JPEG", img->width, img->height);
	if (o->scale_percent > 5000 || o->chroma_percent > 1000 ||
	    (o->scale_percent <= 0 && (o->quality < 1 || o->quality > 100)))
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "JPEG quality %d is not 1..100", o->quality);
	stride = (size_t)img->width * (size_t)img->channels;
	row = malloc(sizeof(*row) * (size_t)img->height);
	if (row == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	/* optimize 2 with a sample of at least 4 MCU rows: the sample's
	 * rows first in row[], its tables, then the picture with them. */
	mcu = img->channels == 3 && !o->subsample444 ? 16 : 8;
	if (o->optimize == 2 && img->height / mcu >= 4 * SAMPLE_EVERY) {
		for (int m = SAMPLE_EVERY / 2; m < img->height / mcu;
		    m += SAMPLE_EVERY)
			for (int y = 0; y < mcu; y++)
				row[n++] = img->pixels + stride *
				    (size_t)(m * mcu + y);
		if (encode_pass(img, o, row, n, NULL, tab, NULL, NULL,
		    err) < 0) {
			free(row);
			return -1;
		}
		for (int t = 0; t < 4; t++)
			complete_table(&tab[t], t & 1);
	}
	for (int y = 0; y < img->height; y++)
		row[y] = img->pixels + stride * (size_t)y;
	rc = encode_pass(img, o, row, img->height, n > 0 ? tab : NULL, NULL,
	    buf, len, err);
	free(row);
	return rc;
}

/* The encoder setup every JPEG writer here shares: a compressor writing to
 * memory (*outp, *memlen), the picture's size and colour space, libjpeg's
 * defaults.  Called after the caller's setjmp, so errors longjmp there. */
int
zri_jpeg_quality_tables(int quality, unsigned short luma[64],
    unsigned short chroma[64], struct zr_error *err)
{
	struct jpeg_compress_struct ci;
	struct zri_jerr je;

	memset(&ci, 0, sizeof(ci));
	zri_jerr_init(&je);
	ci.err = &je.pub;
	if (setjmp(je.jb)) {
		jpeg_destroy_compress(&ci);
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	}
	jpeg_create_compress(&ci);
	ci.in_color_space = JCS_RGB;
	ci.input_components = 3;
	jpeg_set_defaults(&ci);
	/* As encode_params sets them: baseline, 8-bit steps. */
	jpeg_set_quality(&ci, quality, TRUE);
	for (int i = 0; i < 64; i++) {
		luma[i] = ci.quant_tbl_ptrs[0]->quantval[i];
		chroma[i] = ci.quant_tbl_ptrs[1]->quantval[i];
	}
	jpeg_destroy_compress(&ci);
	return 0;
}

void
zri_jpeg_compress_begin(struct jpeg_compress_struct *ci, unsigned char **outp,
    unsigned long *memlen, int width, int height, int ncomp,
    J_COLOR_SPACE cs)
{
	jpeg_create_compress(ci);
	jpeg_mem_dest(ci, outp, memlen);
	ci->image_width = (JDIMENSION)width;
	ci->image_height = (JDIMENSION)height;
	ci->input_components = ncomp;
	ci->in_color_space = cs;
	jpeg_set_defaults(ci);
}
