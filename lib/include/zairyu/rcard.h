/* libzairyu: the residence card's IC chip (在留カード, both generations). */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_RCARD_H
#define ZAIRYU_RCARD_H

#include <stddef.h>
#include <time.h>

#include "zairyu/card.h"
#include "zairyu/error.h"
#include "zairyu/facts.h"

/*
 * card-facts §4.1-4.2: two generations share the file layout idea and
 * the DF names, and differ in cryptography.  Specified cards ('07',
 * '08', My Number integrated) use another protocol and are not read.
 */
enum zr_rcard_gen {
	ZR_RCARD_GEN_UNKNOWN = 0,
	ZR_RCARD_GEN1 = 1,      /* '1', '2': 3DES + retail MAC, RSA-2048 */
	ZR_RCARD_GEN2 = 2       /* '05', '06': AES-128 + CMAC, ECDSA P-384 */
};

#define ZR_RCARD_NUMBER_LEN 12  /* AB12345678CD */
#define ZR_RCARD_KEY_LEN 16

/* card-facts §4.2: the three DFs, selected by their 16-byte names. */
extern const unsigned char zr_rcard_aid_df1[16];
extern const unsigned char zr_rcard_aid_df2[16];
extern const unsigned char zr_rcard_aid_df3[16];

/*
 * The generation of a card type (MF/EF02 tag C1): "1" and "2" are
 * generation 1, "05" and "06" generation 2, anything else (the
 * specified cards "07" and "08" included) ZR_RCARD_GEN_UNKNOWN.
 */
int zr_rcard_generation(const char *type);

/*
 * Check a card number's form (two letters, eight digits, two letters,
 * card-facts §4.3) and uppercase its letters in place; *changed = 1 when
 * a letter changed.  num must be NUL-terminated.  Errors: ZR_E_NUMBER
 * saying what is wrong.
 */
int zr_rcard_check_number(char *num, int *changed, struct zr_error *err);

/*
 * The cryptography of the authentication (card-facts §4.3 for generation
 * 1, §4.4 for generation 2), exported so that the official vectors can
 * be checked and the software card can play the other side.
 *
 * zr_rcard_base_key: Kenc = Kmac = first 16 bytes of SHA-1 of the 12
 * ASCII characters of the card number.
 */
void zr_rcard_base_key(const char number[ZR_RCARD_NUMBER_LEN],
    unsigned char k[ZR_RCARD_KEY_LEN]);

/*
 * CBC with a zero IV and no padding: two-key 3DES (generation 1, len a
 * multiple of 8) or AES-128 (generation 2, multiple of 16).  out may
 * equal in.  Errors: ZR_E_RANGE (length), ZR_E_CRYPTO.
 */
int zr_rcard_cbc(int gen, const unsigned char key[ZR_RCARD_KEY_LEN],
    int encrypt, const unsigned char *in, size_t len, unsigned char *out,
    struct zr_error *err);

/*
 * The 8-byte MAC: ISO 9797-1 algorithm 3 with padding method 2 (retail
 * MAC, generation 1) or AES-CMAC truncated to 8 bytes (generation 2).
 * Errors: ZR_E_CRYPTO.
 */
int zr_rcard_mac(int gen, const unsigned char key[ZR_RCARD_KEY_LEN],
    const unsigned char *in, size_t len, unsigned char mac[8],
    struct zr_error *err);

/*
 * The MUTUAL AUTHENTICATE data E.IFD || M.IFD (40 bytes) from the base
 * key, RND.IFD, RND.ICC and K.IFD.  Errors: ZR_E_CRYPTO.
 */
int zr_rcard_auth_request(int gen, const unsigned char k[ZR_RCARD_KEY_LEN],
    const unsigned char rnd_ifd[8], const unsigned char rnd_icc[8],
    const unsigned char k_ifd[16], unsigned char out[40],
    struct zr_error *err);

/*
 * Check the card's answer E.ICC || M.ICC (len must be 40): the MAC, then
 * that the decrypted block holds RND.ICC and RND.IFD; k_icc gets K.ICC.
 * Errors: ZR_E_CARD ("the card's answer does not authenticate"),
 * ZR_E_CRYPTO.
 */
int zr_rcard_auth_response(int gen, const unsigned char k[ZR_RCARD_KEY_LEN],
    const unsigned char rnd_ifd[8], const unsigned char rnd_icc[8],
    const unsigned char *rsp, size_t len, unsigned char k_icc[16],
    struct zr_error *err);

/* KSenc = first 16 bytes of SHA-1((K.IFD xor K.ICC) || 00 00 00 01). */
void zr_rcard_session_key(const unsigned char k_ifd[16],
    const unsigned char k_icc[16], unsigned char ks[ZR_RCARD_KEY_LEN]);

/*
 * The 16 bytes of the secure-messaging VERIFY: the card number followed
 * by 80 00 00 00, encrypted with KSenc.  Errors: ZR_E_CRYPTO.
 */
int zr_rcard_verify_data(int gen, const unsigned char ks[ZR_RCARD_KEY_LEN],
    const char number[ZR_RCARD_NUMBER_LEN], unsigned char out[16],
    struct zr_error *err);

/*
 * Open the answer to a secure-messaging READ BINARY: the data object
 * 86 L 01 <ciphertext> (card-facts §4.3), decrypted with KSenc and
 * stripped of its ISO 7816-4 padding.  out (cap bytes) gets the plain
 * text.  Errors: ZR_E_SYNTAX (framing, padding), ZR_E_TOO_BIG,
 * ZR_E_CRYPTO.
 */
int zr_rcard_sm_unwrap(int gen, const unsigned char ks[ZR_RCARD_KEY_LEN],
    const unsigned char *rsp, size_t len, unsigned char *out, size_t cap,
    size_t *outlen, struct zr_error *err);

/*
 * What the chip holds, parsed.  Text fields are NUL-terminated UTF-8
 * (empty when absent); dates stay as the chip writes them (YYYYMMDD).
 * Images are the values exactly as stored (TIFF, JPEG 2000).
 */
struct zr_rcard_blob {
	unsigned char *data;            /* malloc'd, or NULL when absent */
	size_t len;
};

struct zr_rcard {
	int gen;                        /* enum zr_rcard_gen */
	char type[3];                   /* "1", "2", "05", "06" */
	char spec_version[5];           /* MF/EF01 tag C0 */
	int residence;                  /* 1 residence card, 0 special
					 * permanent resident certificate */
	/* Generation 1: DF1 front image and face; generation 2: the
	 * name image, face, address image. */
	struct zr_rcard_blob front;     /* gen 1 D0: front side, TIFF */
	struct zr_rcard_blob face;      /* D1: JPEG 2000 */
	struct zr_rcard_blob name_img;  /* gen 2 D0: TIFF */
	struct zr_rcard_blob addr_img;  /* gen 2 DFD1: TIFF */
	/* Generation 1, DF2/EF01 (address) and EF02-EF04. */
	char addr_date[9];              /* D2 */
	char municipality[8];           /* D3 */
	char address[1024];             /* D4, converted to UTF-8 */
	char perm_text[512];            /* D5: comprehensive permission */
	char perm_indiv_text[512];      /* D6: individual permission */
	/* Generation 2, DF1/EF01-EF02 printed entries. */
	char number[13];                /* C2 */
	char card_expiry[9];            /* C5 */
	char birth[9];                  /* C6 */
	char sex[2];                    /* C7: 1 male, 2 female, 3 other */
	char nationality[4];            /* C8 */
	char status[11];                /* C9 */
	char period[5];                 /* CE */
	char perm_type[3];              /* CA */
	char perm_date[9];              /* CB */
	char work[2];                   /* CC */
	char stay_expiry[9];            /* CD */
	unsigned char entries[53];      /* the signed values, NUL-padded */
	size_t entries_len;
	/* Generation 2, DF2. */
	char perm[2];                   /* D5: 0, 1, 2 */
	char perm_expiry[9];            /* D6 */
	char perm_indiv[2];             /* D7 */
	char note_flag[2];              /* D9 */
	char note[256];                 /* DE */
	/* Both: renewal application (gen 1 D7, gen 2 D8): -1 not read. */
	int renewal;
	/* DF3: signature and the certificate of its key. */
	struct zr_rcard_blob sig;       /* DA (gen 1) / DC (gen 2) */
	struct zr_rcard_blob cert;      /* DB / DD */
	/* Files the card answered 6A82 (no such file) for: card types
	 * differ, so such a file is absent on this card and the rest is
	 * read (issue 12).  Static descriptions ("renewal application
	 * (DF2/EF02)"). */
#define ZR_RCARD_ABSENT_MAX 8
	const char *absent[ZR_RCARD_ABSENT_MAX];
	size_t nabsent;
};

void zr_rcard_init(struct zr_rcard *rc);
void zr_rcard_free(struct zr_rcard *rc);

/*
 * The files of the chip, named for zr_rcard_parse_file() (the same
 * numbering for both generations; not every file exists on every card).
 */
enum zr_rcard_file {
	ZR_RCARD_MF_COMMON,     /* MF/EF01: C0 */
	ZR_RCARD_MF_TYPE,       /* MF/EF02: C1 */
	ZR_RCARD_G1_FRONT,      /* DF1/EF01: D0 */
	ZR_RCARD_G1_FACE,       /* DF1/EF02: D1 */
	ZR_RCARD_G1_ADDRESS,    /* DF2/EF01: D2 D3 D4 */
	ZR_RCARD_G1_PERM,       /* DF2/EF02: D5 */
	ZR_RCARD_G1_PERM_INDIV, /* DF2/EF03: D6 */
	ZR_RCARD_G1_RENEWAL,    /* DF2/EF04: D7 */
	ZR_RCARD_G1_SIG,        /* DF3/EF01: DA DB */
	ZR_RCARD_G2_NUMBER,     /* DF1/EF01: C2 */
	ZR_RCARD_G2_ENTRIES,    /* DF1/EF02: C5 ... CD */
	ZR_RCARD_G2_IMAGES,     /* DF1/EF03: D0 D1 */
	ZR_RCARD_G2_ADDRESS,    /* DF1/EF04: DFD1 */
	ZR_RCARD_G2_PERM,       /* DF2/EF01: D5 D6 D7 */
	ZR_RCARD_G2_RENEWAL,    /* DF2/EF02: D8 */
	ZR_RCARD_G2_OTHER,      /* DF2/EF03: D9 DE */
	ZR_RCARD_G2_SIG,        /* DF3/EF01: DC DD */
	ZR_RCARD_FILE_COUNT_
};

/*
 * Parse the plain content of one file into rc (images and the signature
 * are copied).  Errors: ZR_E_SYNTAX with the tag at fault, ZR_E_MISSING
 * for a required tag, ZR_E_NOMEM.
 */
int zr_rcard_parse_file(struct zr_rcard *rc, int file,
    const unsigned char *buf, size_t len, struct zr_error *err);

/*
 * Read the free files (MF/EF01 spec version, MF/EF02 card type) and
 * set rc->gen, rc->type, rc->spec_version.  Errors: ZR_E_WRONG_CARD
 * ("not a residence card", "unknown card type '09'", "specified
 * residence card: not supported"), transport errors.
 */
int zr_rcard_probe(struct zr_transport *t, struct zr_rcard *rc,
    struct zr_error *err);

/* An authenticated session with the chip. */
struct zr_rcard_session {
	struct zr_transport *t;
	int gen;
	unsigned char ks[ZR_RCARD_KEY_LEN];     /* KSenc */
};

/*
 * GET CHALLENGE, MUTUAL AUTHENTICATE and the secure-messaging VERIFY of
 * the card number (card-facts §4.3, §4.4).  Tried once: a refusal is
 * never retried, since the card's lockout rule is not documented.
 * fixed (NULL in normal use) gives RND.IFD || K.IFD (24 bytes) instead
 * of random ones, for the official test vectors.  Errors:
 * ZR_E_CARD_NUMBER (the card refused the number: 6300), ZR_E_CARD (the
 * card's answer does not authenticate, or another status word),
 * transport errors.  The session key is wiped by zr_rcard_session_end.
 */
int zr_rcard_authenticate(struct zr_transport *t, int gen,
    const char number[ZR_RCARD_NUMBER_LEN], const unsigned char *fixed,
    struct zr_rcard_session *s, struct zr_error *err);

void zr_rcard_session_end(struct zr_rcard_session *s);

/*
 * Probe (unless rc->gen is set by an earlier zr_rcard_probe), authenticate
 * with number, and read every file the specification lists for the card
 * type into rc (card-facts §4.2).  A file or DF the card does not have
 * (6A82) is listed in rc->absent and skipped, not an error; where the
 * sources do not give a file's place (type 06's one DF2 file) the other
 * place is tried.
 * Secure-messaging reads use extended-length APDUs: a reader that
 * cannot carry them fails with ZR_E_NO_EXTENDED.  Errors: as
 * zr_rcard_probe and zr_rcard_authenticate, ZR_E_NO_EXTENDED, ZR_E_CARD
 * (a file the card refuses), ZR_E_SYNTAX (a file that does not parse),
 * ZR_E_CARD_REMOVED and the other transport errors.
 */
int zr_rcard_read(struct zr_transport *t, const char *number,
    struct zr_rcard *rc, struct zr_error *err);

/* The verdict on the chip's signature (card-facts §4.5). */
enum zr_rcard_verdict {
	ZR_RCARD_UNVERIFIED = 0,        /* cannot verify: reason says why */
	ZR_RCARD_GENUINE,
	ZR_RCARD_NOT_GENUINE
};

/* Whose CA the chain ends at. */
enum zr_rcard_anchor {
	ZR_RCARD_ANCHOR_NONE = 0,       /* no chain */
	ZR_RCARD_ANCHOR_OTHER,          /* given by the user, not the agency's */
	ZR_RCARD_ANCHOR_AGENCY,         /* a published ZairyuCard CA */
	ZR_RCARD_ANCHOR_AGENCY_TEST     /* the agency's test CA2 (sample cards) */
};

struct zr_rcard_sigcheck {
	int verdict;                    /* enum zr_rcard_verdict */
	int anchor;                     /* enum zr_rcard_anchor */
	char reason[256];               /* why not genuine or unverified */
	char signer[256];               /* the card certificate's subject */
	char anchor_name[256];          /* the CA's subject */
	char anchor_sha256[96];         /* AA:BB:... */
	const char *algorithm;          /* "RSA-2048 SHA-256" ... */
};

/*
 * Verify the chip's signature over the images (generation 1: front
 * padded to 7000 bytes and face padded to 3000) or over the printed
 * entries, face and name image (generation 2), then the certificate
 * against the CA certificates in ca_file (PEM or DER, several allowed).
 * ca_file NULL: verdict UNVERIFIED, since the agency's certificates are
 * not bundled.  The CA's validity period is not checked: the chip keeps
 * its signature for the card's whole life, which may outlast the CA's
 * certificate.  Returns 0 with the verdict in *res; -1 only for errors
 * in ca_file (ZR_E_OPEN, ZR_E_CERT "no certificate in FILE") and
 * ZR_E_NOMEM.
 */
int zr_rcard_verify(const struct zr_rcard *rc, const char *ca_file,
    struct zr_rcard_sigcheck *res, struct zr_error *err);

/*
 * The bytes the signature covers (malloc'd into *buf).  Errors:
 * ZR_E_MISSING when a signed file was not read, ZR_E_RANGE when an
 * image is larger than its padded slot, ZR_E_NOMEM.
 */
int zr_rcard_signed_data(const struct zr_rcard *rc, unsigned char **buf,
    size_t *len, struct zr_error *err);

/* One disagreement between the chip and a facts file. */
struct zr_rcard_diff {
	const char *key;                /* the facts key */
	char chip[32];
	char facts[128];
};

/*
 * Compare the chip with facts: birth_date, card_expiry, stay_expiry,
 * sex and card_number (generation 2; generation 1 keeps them only in
 * the front image).  Keys absent from facts are skipped.  *n gets the
 * number of disagreements (at most max kept in d); *checked the number
 * of keys compared.  Never fails.
 */
void zr_rcard_compare_facts(const struct zr_rcard *rc,
    const struct zr_facts *f, struct zr_rcard_diff *d, size_t max,
    size_t *n, size_t *checked);

/*
 * Put what the chip says into f (card_number, birth_date, sex,
 * card_expiry, stay_expiry; address for generation 1).  number is the
 * card number used to authenticate (for generation 1, whose chip has
 * none in text).  Errors: those of zr_facts_set.
 */
int zr_rcard_to_facts(const struct zr_rcard *rc, const char *number,
    struct zr_facts *f, struct zr_error *err);

/* One line of the report: a JSON key, a label for people, the value. */
#define ZR_RCARD_FIELDS_MAX 32
struct zr_rcard_field {
	const char *key;                /* "card_expiry" */
	const char *label;              /* "card expiry" */
	char value[1100];
};

/*
 * What the chip says, as report lines in a fixed order (dates as
 * YYYY-MM-DD, codes with their meaning); fields the card type does not
 * have are left out.  Returns the number of lines (at most max).
 */
size_t zr_rcard_fields(const struct zr_rcard *rc, struct zr_rcard_field *f,
    size_t max);

/*
 * Save the images as stored on the chip into dir: front.tif and
 * face.jp2 (generation 1); name.tif, face.jp2, address.tif (generation
 * 2); the extension follows the data's signature.  Each file is written
 * atomically.  saved (cap bytes) gets the file names, comma-separated.
 * Errors: ZR_E_OPEN (dir), those of zr_write_file.
 */
int zr_rcard_save_images(const struct zr_rcard *rc, const char *dir,
    char *saved, size_t cap, struct zr_error *err);

/* "TIFF", "JPEG 2000", or "unknown" from the first bytes; and the file
 * name extension ("tif", "jp2", "j2k", "bin"). */
const char *zr_rcard_image_kind(const struct zr_rcard_blob *b,
    const char **ext);

/* Readable names of codes: "no restriction", "application pending". */
const char *zr_rcard_sex_name(const char *code);
const char *zr_rcard_work_name(const char *code);
const char *zr_rcard_perm_name(const char *code);

#endif
