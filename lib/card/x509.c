/* libzairyu: certificates from a buffer, for the JPKI roots and CA
 * files and the residence card's CA file. */
/* SPDX-License-Identifier: MIT */
#include <limits.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdlib.h>

#include "zairyu/io.h"
#include "card_int.h"

int
zri_x509_load(const void *buf, size_t len, int der, STACK_OF(X509) *sk)
{
	BIO *b;
	X509 *x;
	int n = 0;

	if (len > INT_MAX)
		return 0;
	if ((b = BIO_new_mem_buf(buf, (int)len)) == NULL)
		return -1;
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			n = -1;
			break;
		}
		n++;
	}
	BIO_free(b);
	if (n == 0 && der) {
		const unsigned char *p = buf;

		if ((x = d2i_X509(NULL, &p, (long)len)) != NULL) {
			if (sk_X509_push(sk, x) <= 0) {
				X509_free(x);
				n = -1;
			} else {
				n = 1;
			}
		}
	}
	ERR_clear_error();
	return n;
}

int
zri_x509_load_file(const char *path, int der, STACK_OF(X509) *sk,
    struct zr_error *err)
{
	unsigned char *buf;
	size_t len;
	int n;

	if (zr_read_file(path, ZRI_CA_FILE_MAX, &buf, &len, err) < 0)
		return -1;
	n = zri_x509_load(buf, len, der, sk);
	free(buf);
	if (n < 0)
		return zr_error_set(err, ZR_E_NOMEM, path, NULL);
	if (n == 0)
		return zr_error_set(err, ZR_E_CERT, path, der ? "no certificate "
		    "in the file (PEM or DER expected)" :
		    "no PEM certificate found");
	return n;
}
