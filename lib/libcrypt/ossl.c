/* ossl.c -- OpenSSL's libcrypto for the primitives backend.c gives it: start-up, and
 * the algorithm objects fetched once.
 *
 * OpenSSL 3 looks an algorithm up in its provider store on every implicit fetch
 * (EVP_aes_256_gcm() and the like); the objects fetched here at start-up make each
 * message skip that.  They and the curve parameters are written once by ossl_init()
 * (from crypt_init(), on the main thread, before the seccomp filter and before any
 * other thread) and only read afterwards: like NSS's own, process-wide state that
 * libcrypt relies on (principle 6).
 *
 * No configuration file is read (OPENSSL_INIT_NO_LOAD_CONFIG): the daemon's crypto does
 * not change with /etc/ssl/openssl.cnf.  The generators are seeded here (getrandom) so
 * that the first key exchange does not do it under the filter; later reseeds use
 * getrandom too, which the filter allows (programs/pluto/confine.c).
 */
#include <string.h>
#include <stdio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "backend.h"

static struct {
	bool done;
	EVP_CIPHER *gcm[3], *cbc[3];	/* 128, 192, 256 */
	EVP_MD *md[4];			/* enum crypt_hash */
	EVP_PKEY *ec[3];		/* P-256, P-384, P-521 parameters */
} ossl;

static const char *const ossl_gcm_names[3] = { "AES-128-GCM", "AES-192-GCM", "AES-256-GCM" };
static const char *const ossl_cbc_names[3] = { "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" };
static const char *const ossl_md_names[4] = {
	[CRYPT_SHA1] = "SHA1", [CRYPT_SHA256] = "SHA2-256", [CRYPT_SHA384] = "SHA2-384",
	[CRYPT_SHA512] = "SHA2-512",
};
static const char *const ossl_curve_names[3] = { "P-256", "P-384", "P-521" };

static int ossl_curve_index(enum ike_ke_method m)
{
	switch (m) {
	case IKE_KE_ECP256: return 0;
	case IKE_KE_ECP384: return 1;
	case IKE_KE_ECP521: return 2;
	default: return -1;
	}
}

static EVP_PKEY *ossl_make_params(const char *curve)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *params = NULL;
	if (c == NULL || EVP_PKEY_paramgen_init(c) <= 0 ||
	    EVP_PKEY_CTX_set_group_name(c, curve) <= 0 || EVP_PKEY_paramgen(c, &params) <= 0)
		params = NULL;
	EVP_PKEY_CTX_free(c);
	return params;
}

static bool ossl_fail(char *err, size_t errlen, const char *what)
{
	if (err != NULL && errlen > 0) {
		char e[128];
		ERR_error_string_n(ERR_get_error(), e, sizeof(e));
		snprintf(err, errlen, "OpenSSL: %s failed: %s", what, e);
	}
	ERR_clear_error();
	ossl_shutdown();
	return false;
}

bool ossl_init(char *err, size_t errlen)
{
	if (ossl.done)
		return true;
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1)
		return ossl_fail(err, errlen, "OPENSSL_init_crypto");
	for (int i = 0; i < 3; i++) {
		ossl.gcm[i] = EVP_CIPHER_fetch(NULL, ossl_gcm_names[i], NULL);
		ossl.cbc[i] = EVP_CIPHER_fetch(NULL, ossl_cbc_names[i], NULL);
		ossl.ec[i] = ossl_make_params(ossl_curve_names[i]);
		if (ossl.gcm[i] == NULL || ossl.cbc[i] == NULL || ossl.ec[i] == NULL)
			return ossl_fail(err, errlen, "fetching AES and the curves");
	}
	for (int i = 0; i < 4; i++)
		if ((ossl.md[i] = EVP_MD_fetch(NULL, ossl_md_names[i], NULL)) == NULL)
			return ossl_fail(err, errlen, "fetching SHA");
	/* seed the public and private generators now (key generation uses the latter) */
	uint8_t b[16];
	if (RAND_bytes(b, sizeof(b)) != 1 || RAND_priv_bytes(b, sizeof(b)) != 1)
		return ossl_fail(err, errlen, "seeding the random generator");
	OPENSSL_cleanse(b, sizeof(b));
	ossl.done = true;
	return true;
}

void ossl_shutdown(void)
{
	for (int i = 0; i < 3; i++) {
		EVP_CIPHER_free(ossl.gcm[i]);
		EVP_CIPHER_free(ossl.cbc[i]);
		EVP_PKEY_free(ossl.ec[i]);
	}
	for (int i = 0; i < 4; i++)
		EVP_MD_free(ossl.md[i]);
	memset(&ossl, 0, sizeof(ossl));
}

const EVP_CIPHER *ossl_cipher(bool gcm, size_t keylen)
{
	int i = keylen == 16 ? 0 : keylen == 24 ? 1 : keylen == 32 ? 2 : -1;
	if (i < 0)
		return NULL;
	return gcm ? ossl.gcm[i] : ossl.cbc[i];
}

const EVP_MD *ossl_md(enum crypt_hash h)
{
	return (unsigned)h < 4 ? ossl.md[h] : NULL;
}

EVP_PKEY *ossl_ec_params(enum ike_ke_method m)
{
	int i = ossl_curve_index(m);
	return i < 0 ? NULL : ossl.ec[i];
}
