/* hash.c -- message digests through NSS (NAT detection uses SHA-1, RFC 7296 2.23). */
#include <pk11pub.h>
#include <sechash.h>
#include "crypt.h"

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
	return HASH_ResultLen(hash_type(h));
}

bool crypt_hash(enum crypt_hash h, const struct iov *data, size_t ndata, uint8_t *out)
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
