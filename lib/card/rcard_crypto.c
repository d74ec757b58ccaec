/* libzairyu: residence card authentication crypto (3DES/retail MAC, AES/CMAC). */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "zairyu/rcard.h"

static const EVP_CIPHER *
cbc_cipher(int gen)
{
	/* card-facts §4.3: two-key 3DES; §4.4: AES-128; both CBC. */
	return gen == ZR_RCARD_GEN1 ? EVP_des_ede_cbc() : EVP_aes_128_cbc();
}

static int
block_size(int gen)
{
	return gen == ZR_RCARD_GEN1 ? 8 : 16;
}

/* One pass of a cipher without padding: CBC with a zero IV, or ECB. */
static int
crypt_raw(const EVP_CIPHER *ciph, const unsigned char *key, int encrypt,
    const unsigned char *in, size_t len, unsigned char *out,
    struct zr_error *err)
{
	static const unsigned char iv[16];
	EVP_CIPHER_CTX *ctx;
	int n1 = 0, n2 = 0, ok;

	if (len > 0x100000)
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "%zu bytes is too much to encrypt", len);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	ok = EVP_CipherInit_ex(ctx, ciph, NULL, key, iv, encrypt) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_CipherUpdate(ctx, out, &n1, in, (int)len) == 1 &&
	    EVP_CipherFinal_ex(ctx, out + n1, &n2) == 1 &&
	    (size_t)(n1 + n2) == len;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return zr_error_set(err, ZR_E_CRYPTO, NULL,
		    "%s failed", EVP_CIPHER_get0_name(ciph));
	return 0;
}

int
zr_rcard_cbc(int gen, const unsigned char key[ZR_RCARD_KEY_LEN],
    int encrypt, const unsigned char *in, size_t len, unsigned char *out,
    struct zr_error *err)
{
	if (gen != ZR_RCARD_GEN1 && gen != ZR_RCARD_GEN2)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "unknown card generation %d", gen);
	if (len % (size_t)block_size(gen) != 0)
		return zr_error_set(err, ZR_E_RANGE, NULL,
		    "%zu bytes is not a whole number of blocks", len);
	if (len == 0)
		return 0;
	return crypt_raw(cbc_cipher(gen), key, encrypt, in, len, out, err);
}

void
zr_rcard_base_key(const char number[ZR_RCARD_NUMBER_LEN],
    unsigned char k[ZR_RCARD_KEY_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	/* card-facts §4.3 step 2, §4.4: Kenc = Kmac = SHA-1(number)[0..15]. */
	if (EVP_Digest(number, ZR_RCARD_NUMBER_LEN, md, &n, EVP_sha1(),
	    NULL) != 1 || n < ZR_RCARD_KEY_LEN)
		memset(md, 0, sizeof(md));
	memcpy(k, md, ZR_RCARD_KEY_LEN);
	OPENSSL_cleanse(md, sizeof(md));
}

/*
 * ISO 9797-1 MAC algorithm 3 with padding method 2 (card-facts §4.3
 * step 5): single DES with K1 over the blocks in CBC, then the last
 * block once more as DES_enc(K1, DES_dec(K2, h)).  Single DES lives only
 * in OpenSSL's legacy provider, so it is played as two-key 3DES with
 * K1 || K1 (E-D-E with equal keys is one DES encryption), and the final
 * transformation as two-key 3DES with K1 || K2 of h_{n-1} xor m_n.
 */
static int
retail_mac(const unsigned char key[16], const unsigned char *in, size_t len,
    unsigned char mac[8], struct zr_error *err)
{
	unsigned char k11[16], last[8], h[8] = { 0 };
	unsigned char *buf;
	size_t plen = (len / 8 + 1) * 8, nblocks = plen / 8;
	int rc = -1;

	if ((buf = OPENSSL_zalloc(plen)) == NULL)
		return zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
	memcpy(buf, in, len);
	buf[len] = 0x80;
	memcpy(k11, key, 8);
	memcpy(k11 + 8, key, 8);
	if (nblocks > 1) {
		if (crypt_raw(EVP_des_ede_cbc(), k11, 1, buf, plen - 8, buf,
		    err) < 0)
			goto out;
		memcpy(h, buf + plen - 16, 8);
	}
	for (size_t i = 0; i < 8; i++)
		last[i] = (unsigned char)(h[i] ^ buf[plen - 8 + i]);
	if (crypt_raw(EVP_des_ede_ecb(), key, 1, last, 8, mac, err) < 0)
		goto out;
	rc = 0;
out:
	OPENSSL_cleanse(k11, sizeof(k11));
	OPENSSL_clear_free(buf, plen);
	return rc;
}

/* card-facts §4.4: AES-CMAC (NIST SP 800-38B), first 8 bytes. */
static int
aes_cmac(const unsigned char key[16], const unsigned char *in, size_t len,
    unsigned char mac[8], struct zr_error *err)
{
	EVP_MAC *m;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	unsigned char full[16];
	size_t n = 0;
	int ok = 0;

	if ((m = EVP_MAC_fetch(NULL, "CMAC", NULL)) == NULL)
		return zr_error_set(err, ZR_E_CRYPTO, NULL,
		    "CMAC is not available in OpenSSL");
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
	    (char *)"AES-128-CBC", 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_MAC_CTX_new(m)) != NULL &&
	    EVP_MAC_init(ctx, key, 16, params) == 1 &&
	    EVP_MAC_update(ctx, in, len) == 1 &&
	    EVP_MAC_final(ctx, full, &n, sizeof(full)) == 1 && n == 16)
		ok = 1;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	if (!ok)
		return zr_error_set(err, ZR_E_CRYPTO, NULL, "AES-CMAC failed");
	memcpy(mac, full, 8);
	OPENSSL_cleanse(full, sizeof(full));
	return 0;
}

int
zr_rcard_mac(int gen, const unsigned char key[ZR_RCARD_KEY_LEN],
    const unsigned char *in, size_t len, unsigned char mac[8],
    struct zr_error *err)
{
	if (gen == ZR_RCARD_GEN1)
		return retail_mac(key, in, len, mac, err);
	if (gen == ZR_RCARD_GEN2)
		return aes_cmac(key, in, len, mac, err);
	return zr_error_set(err, ZR_E_USAGE, NULL,
	    "unknown card generation %d", gen);
}

int
zr_rcard_auth_request(int gen, const unsigned char k[ZR_RCARD_KEY_LEN],
    const unsigned char rnd_ifd[8], const unsigned char rnd_icc[8],
    const unsigned char k_ifd[16], unsigned char out[40],
    struct zr_error *err)
{
	unsigned char s[32];
	int rc;

	/* card-facts §4.3 step 4: E.IFD = enc(RND.IFD || RND.ICC || K.IFD). */
	memcpy(s, rnd_ifd, 8);
	memcpy(s + 8, rnd_icc, 8);
	memcpy(s + 16, k_ifd, 16);
	rc = zr_rcard_cbc(gen, k, 1, s, sizeof(s), out, err);
	OPENSSL_cleanse(s, sizeof(s));
	if (rc < 0)
		return -1;
	/* Step 5: M.IFD over E.IFD. */
	return zr_rcard_mac(gen, k, out, 32, out + 32, err);
}

int
zr_rcard_auth_response(int gen, const unsigned char k[ZR_RCARD_KEY_LEN],
    const unsigned char rnd_ifd[8], const unsigned char rnd_icc[8],
    const unsigned char *rsp, size_t len, unsigned char k_icc[16],
    struct zr_error *err)
{
	unsigned char mac[8], s[32];
	int rc = -1;

	if (len != 40)
		return zr_error_set(err, ZR_E_CARD, NULL,
		    "MUTUAL AUTHENTICATE: %zu bytes instead of 40", len);
	/* card-facts §4.3 step 7: check M.ICC, then both randoms. */
	if (zr_rcard_mac(gen, k, rsp, 32, mac, err) < 0)
		return -1;
	if (CRYPTO_memcmp(mac, rsp + 32, 8) != 0)
		return zr_error_set(err, ZR_E_CARD, NULL,
		    "MUTUAL AUTHENTICATE: the card's answer does not "
		    "authenticate (MAC mismatch)");
	if (zr_rcard_cbc(gen, k, 0, rsp, 32, s, err) < 0)
		goto out;
	if (CRYPTO_memcmp(s, rnd_icc, 8) != 0 ||
	    CRYPTO_memcmp(s + 8, rnd_ifd, 8) != 0) {
		zr_error_set(err, ZR_E_CARD, NULL, "MUTUAL AUTHENTICATE: the "
		    "card's answer does not carry our challenge");
		goto out;
	}
	memcpy(k_icc, s + 16, 16);
	rc = 0;
out:
	OPENSSL_cleanse(s, sizeof(s));
	return rc;
}

void
zr_rcard_session_key(const unsigned char k_ifd[16],
    const unsigned char k_icc[16], unsigned char ks[ZR_RCARD_KEY_LEN])
{
	unsigned char s[20], md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	/* card-facts §4.3 step 8: SHA-1((K.IFD xor K.ICC) || 00000001). */
	for (size_t i = 0; i < 16; i++)
		s[i] = (unsigned char)(k_ifd[i] ^ k_icc[i]);
	s[16] = 0;
	s[17] = 0;
	s[18] = 0;
	s[19] = 1;
	if (EVP_Digest(s, sizeof(s), md, &n, EVP_sha1(), NULL) != 1 ||
	    n < ZR_RCARD_KEY_LEN)
		memset(md, 0, sizeof(md));
	memcpy(ks, md, ZR_RCARD_KEY_LEN);
	OPENSSL_cleanse(s, sizeof(s));
	OPENSSL_cleanse(md, sizeof(md));
}

int
zr_rcard_verify_data(int gen, const unsigned char ks[ZR_RCARD_KEY_LEN],
    const char number[ZR_RCARD_NUMBER_LEN], unsigned char out[16],
    struct zr_error *err)
{
	unsigned char s[16];
	int rc;

	/* card-facts §4.3 step 9: number || 80 00 00 00, one AES block or
	 * two 3DES blocks. */
	memcpy(s, number, ZR_RCARD_NUMBER_LEN);
	s[12] = 0x80;
	s[13] = 0;
	s[14] = 0;
	s[15] = 0;
	rc = zr_rcard_cbc(gen, ks, 1, s, sizeof(s), out, err);
	OPENSSL_cleanse(s, sizeof(s));
	return rc;
}

int
zr_rcard_sm_unwrap(int gen, const unsigned char ks[ZR_RCARD_KEY_LEN],
    const unsigned char *rsp, size_t len, unsigned char *out, size_t cap,
    size_t *outlen, struct zr_error *err)
{
	struct zr_tlv t;
	size_t off = 0, n, bs;

	*outlen = 0;
	if (gen != ZR_RCARD_GEN1 && gen != ZR_RCARD_GEN2)
		return zr_error_set(err, ZR_E_USAGE, NULL,
		    "unknown card generation %d", gen);
	bs = (size_t)block_size(gen);
	/* card-facts §4.3: 86 <len> 01 <ciphertext>. */
	if (len == 0 || rsp[0] != 0x86)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "secure messaging: answer does not start with tag 86");
	if (zr_tlv_next(rsp, len, &off, &t, err) < 0)
		return -1;
	if (t.tag != 0x86 || t.len < 1 || t.val[0] != 0x01)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "secure messaging: data object 86 without padding "
		    "indicator 01");
	n = t.len - 1;
	if (n == 0 || n % bs != 0)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "secure messaging: %zu bytes of ciphertext is not a "
		    "whole number of blocks", n);
	if (n > cap)
		return zr_error_set(err, ZR_E_TOO_BIG, NULL,
		    "secure messaging: %zu bytes is more than %zu", n, cap);
	if (zr_rcard_cbc(gen, ks, 0, t.val + 1, n, out, err) < 0)
		return -1;
	/* ISO/IEC 7816-4 padding: 80 then zeros, within the last block. */
	while (n > 0 && out[n - 1] == 0x00 && t.len - 1 - n < bs)
		n--;
	if (n == 0 || out[n - 1] != 0x80 || t.len - 1 - n >= bs)
		return zr_error_set(err, ZR_E_SYNTAX, NULL,
		    "secure messaging: bad padding after decryption (wrong "
		    "session key?)");
	*outlen = n - 1;
	return 0;
}
