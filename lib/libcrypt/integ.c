/* integ.c -- integrity transforms for non-AEAD SK payloads (RFC 7296 3.14):
 * HMAC-SHA1-96 (RFC 2404) and HMAC-SHA2-256-128 / -384-192 / -512-256 (RFC 4868).
 * Each is the full HMAC truncated to its leftmost half (RFC 4868 2.6), computed
 * with the PRF of the same hash (prf.c).
 */
#include <string.h>
#include "crypt.h"

struct integ_desc {
	enum ike_integ integ;
	enum ike_prf hmac;
	size_t keylen;		/* RFC 4868 2.1.1: key length = hash output length */
	size_t icvlen;
};

static const struct integ_desc integ_table[] = {
	{ IKE_INTEG_HMAC_SHA1_96, IKE_PRF_HMAC_SHA1, 20, 12 },
	{ IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256, 32, 16 },
	{ IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_384, 48, 24 },
	{ IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512, 64, 32 },
};

static const struct integ_desc *integ_lookup(enum ike_integ integ)
{
	for (size_t i = 0; i < sizeof(integ_table) / sizeof(integ_table[0]); i++)
		if (integ_table[i].integ == integ)
			return &integ_table[i];
	return NULL;
}

bool crypt_integ_supported(enum ike_integ integ)
{
	return integ_lookup(integ) != NULL;
}

size_t crypt_integ_keylen(enum ike_integ integ)
{
	const struct integ_desc *d = integ_lookup(integ);
	return d != NULL ? d->keylen : 0;
}

size_t crypt_integ_icvlen(enum ike_integ integ)
{
	const struct integ_desc *d = integ_lookup(integ);
	return d != NULL ? d->icvlen : 0;
}

bool crypt_integ(enum ike_integ integ, const uint8_t *key, size_t keylen,
		 const struct iov *data, size_t ndata, uint8_t *icv)
{
	const struct integ_desc *d = integ_lookup(integ);
	/* RFC 4868 2.1.1: the key has exactly the hash output length */
	if (d == NULL || keylen != d->keylen)
		return false;
	uint8_t full[CRYPT_MAX_PRF_LEN];
	bool ok = crypt_prf(d->hmac, key, keylen, data, ndata, full);
	if (ok)
		memcpy(icv, full, d->icvlen);
	chunk_wipe(full, sizeof(full));
	return ok;
}
