/* hash.c -- message digests (NAT detection uses SHA-1, RFC 7296 2.23; signatures hash
 * their octets here), through OpenSSL's EVP digests or NSS, as backend.c chooses. */
#include <pk11pub.h>
#include <sechash.h>
#include <openssl/evp.h>
#include "backend.h"

static HASH_HashType hash_type(enum crypt_hash h)
{
	switch (h) {
	case CRYPT_SHA1: return HASH_AlgSHA1;
	case CRYPT_SHA256: return HASH_AlgSHA256;
	case CRYPT_SHA384: return HASH_AlgSHA384;
	case CRYPT_SHA512: return HASH_AlgSHA512;
	}
	return HASH_AlgNULL;
}

size_t crypt_hash_len(enum crypt_hash h)
{
	switch (h) {
	case CRYPT_SHA1: return 20;
	case CRYPT_SHA256: return 32;
	case CRYPT_SHA384: return 48;
	case CRYPT_SHA512: return 64;
	}
	return 0;
}

static bool hash_nss(enum crypt_hash h, const struct iov *data, size_t ndata, uint8_t *out)
{
	HASHContext *ctx = HASH_Create(hash_type(h));
	if (ctx == NULL)
		return false;
	HASH_Begin(ctx);
	for (size_t i = 0; i < ndata; i++)
		HASH_Update(ctx, data[i].p, (unsigned)data[i].len);
	unsigned len = 0;
	HASH_End(ctx, out, &len, (unsigned)crypt_hash_len(h));
	HASH_Destroy(ctx);
	return len == crypt_hash_len(h);
}

static bool hash_ossl(enum crypt_hash h, const struct iov *data, size_t ndata, uint8_t *out)
{
	const EVP_MD *md = ossl_md(h);
	EVP_MD_CTX *ctx = md != NULL ? EVP_MD_CTX_new() : NULL;
	unsigned len = 0;
	bool ok = ctx != NULL && EVP_DigestInit_ex2(ctx, md, NULL) == 1;
	for (size_t i = 0; ok && i < ndata; i++)
		ok = data[i].len == 0 || EVP_DigestUpdate(ctx, data[i].p, data[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == crypt_hash_len(h);
	EVP_MD_CTX_free(ctx);
	return ok;
}

bool crypt_hash_lib(enum crypt_lib lib, enum crypt_hash h, const struct iov *data, size_t ndata,
		    uint8_t *out)
{
	switch (lib) {
	case CRYPT_LIB_OPENSSL: return hash_ossl(h, data, ndata, out);
	case CRYPT_LIB_NSS: return hash_nss(h, data, ndata, out);
	default: return false;
	}
}

bool crypt_hash(enum crypt_hash h, const struct iov *data, size_t ndata, uint8_t *out)
{
	return crypt_hash_lib(crypt_lib_of(CRYPT_PRIM_HASH), h, data, ndata, out);
}
