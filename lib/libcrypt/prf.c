/* prf.c -- the IKEv2 PRFs: HMAC (RFC 2104, RFC 4868) and prf+ (RFC 7296 2.13).
 *
 * HMAC is built here on a library's hash functions (OpenSSL's EVP digests or NSS's,
 * as backend.c chooses) rather than through CKM_SHA*_HMAC: importing every key as a
 * PKCS#11 object costs more than the HMAC itself (measured 2.7 us against 0.95 us for
 * HMAC-SHA-256 over 64 octets).  One digest context serves both the inner and the
 * outer hash, and every block of prf+.
 */
#include <string.h>
#include <pk11pub.h>
#include <openssl/evp.h>
#include "backend.h"

#define HMAC_MAX_BLOCK 128	/* SHA-384 / SHA-512 */

struct prf_desc {
	enum ike_prf prf;
	SECOidTag hash;
	enum crypt_hash h;
	size_t len;		/* output octets = preferred key size (RFC 7296 2.14) */
	size_t block;		/* B of RFC 2104 */
};

static const struct prf_desc prf_table[] = {
	{ IKE_PRF_HMAC_SHA1, SEC_OID_SHA1, CRYPT_SHA1, 20, 64 },
	{ IKE_PRF_HMAC_SHA2_256, SEC_OID_SHA256, CRYPT_SHA256, 32, 64 },
	{ IKE_PRF_HMAC_SHA2_384, SEC_OID_SHA384, CRYPT_SHA384, 48, 128 },
	{ IKE_PRF_HMAC_SHA2_512, SEC_OID_SHA512, CRYPT_SHA512, 64, 128 },
};

struct hmac {
	const struct prf_desc *d;
	PK11Context *ctx;		/* NSS, or */
	EVP_MD_CTX *md;			/* OpenSSL */
	uint8_t k0[HMAC_MAX_BLOCK];	/* the key padded (or hashed) to B octets */
};

static const struct prf_desc *prf_lookup(enum ike_prf prf)
{
	for (size_t i = 0; i < sizeof(prf_table) / sizeof(prf_table[0]); i++)
		if (prf_table[i].prf == prf)
			return &prf_table[i];
	return NULL;
}

bool crypt_prf_supported(enum ike_prf prf)
{
	return prf_lookup(prf) != NULL;
}

size_t crypt_prf_len(enum ike_prf prf)
{
	const struct prf_desc *d = prf_lookup(prf);
	return d != NULL ? d->len : 0;
}

static bool hash_begin(struct hmac *h)
{
	if (h->md != NULL)
		return EVP_DigestInit_ex2(h->md, NULL, NULL) == 1;
	return PK11_DigestBegin(h->ctx) == SECSuccess;
}

static bool hash_op(struct hmac *h, const void *p, size_t len)
{
	if (len == 0)
		return true;
	if (h->md != NULL)
		return EVP_DigestUpdate(h->md, p, len) == 1;
	if (len > UINT32_MAX)
		return false;
	return PK11_DigestOp(h->ctx, p, (unsigned int)len) == SECSuccess;
}

static bool hash_final(struct hmac *h, uint8_t *out)
{
	unsigned int n = 0;
	if (h->md != NULL)
		return EVP_DigestFinal_ex(h->md, out, &n) == 1 && n == h->d->len;
	return PK11_DigestFinal(h->ctx, out, &n, (unsigned int)h->d->len) == SECSuccess &&
	       n == h->d->len;
}

/* H(K0 XOR pad | ...): starts a hash with the padded key mixed with pad. */
static bool hmac_pad(struct hmac *h, uint8_t pad)
{
	uint8_t block[HMAC_MAX_BLOCK];
	for (size_t i = 0; i < h->d->block; i++)
		block[i] = h->k0[i] ^ pad;
	bool ok = hash_begin(h) && hash_op(h, block, h->d->block);
	chunk_wipe(block, sizeof(block));
	return ok;
}

static void hmac_destroy(struct hmac *h)
{
	chunk_wipe(h->k0, sizeof(h->k0));
	if (h->ctx != NULL)
		PK11_DestroyContext(h->ctx, PR_TRUE);
	EVP_MD_CTX_free(h->md);		/* cleanses the hash state */
	h->ctx = NULL;
	h->md = NULL;
}

/* RFC 2104 section 2: K0 = K padded with zeros to B octets; keys longer than B
 * are hashed first (section 3). */
static bool hmac_init(enum crypt_lib lib, struct hmac *h, const struct prf_desc *d,
		      const uint8_t *key, size_t keylen)
{
	memset(h, 0, sizeof(*h));
	h->d = d;
	if (lib == CRYPT_LIB_OPENSSL) {
		const EVP_MD *md = ossl_md(d->h);
		h->md = md != NULL ? EVP_MD_CTX_new() : NULL;
		if (h->md == NULL || EVP_DigestInit_ex2(h->md, md, NULL) != 1) {
			hmac_destroy(h);
			return false;
		}
	} else if (lib == CRYPT_LIB_NSS) {
		h->ctx = PK11_CreateDigestContext(d->hash);
	}
	if (h->ctx == NULL && h->md == NULL)
		return false;
	if (keylen <= d->block) {
		if (keylen > 0)
			memcpy(h->k0, key, keylen);
		return true;
	}
	if (hash_begin(h) && hash_op(h, key, keylen) && hash_final(h, h->k0))
		return true;
	hmac_destroy(h);
	return false;
}

static bool hmac_begin(struct hmac *h)
{
	return hmac_pad(h, 0x36);
}

static bool hmac_update(struct hmac *h, const struct iov *data, size_t ndata)
{
	for (size_t i = 0; i < ndata; i++)
		if (!hash_op(h, data[i].p, data[i].len))
			return false;
	return true;
}

/* HMAC = H(K0 ^ opad | H(K0 ^ ipad | text)) */
static bool hmac_end(struct hmac *h, uint8_t *out)
{
	uint8_t inner[CRYPT_MAX_PRF_LEN];
	bool ok = hash_final(h, inner) && hmac_pad(h, 0x5c) &&
		  hash_op(h, inner, h->d->len) && hash_final(h, out);
	chunk_wipe(inner, sizeof(inner));
	return ok;
}

bool crypt_prf_lib(enum crypt_lib lib, enum ike_prf prf, const uint8_t *key, size_t keylen,
		   const struct iov *data, size_t ndata, uint8_t *out)
{
	const struct prf_desc *d = prf_lookup(prf);
	struct hmac h;
	if (d == NULL || !hmac_init(lib, &h, d, key, keylen))
		return false;
	bool ok = hmac_begin(&h) && hmac_update(&h, data, ndata) && hmac_end(&h, out);
	hmac_destroy(&h);
	return ok;
}

/* RFC 7296 2.13: prf+(K, S) = T1 | T2 | T3 | ...
 *   T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n); n is one octet, so the
 *   output is at most 255 blocks. */
static bool prfplus_block(struct hmac *h, unsigned n, uint8_t *t,
			  const struct iov *seed, size_t nseed)
{
	uint8_t counter = (uint8_t)n;
	struct iov prev = { t, h->d->len };
	struct iov tail = { &counter, 1 };
	return hmac_begin(h) && hmac_update(h, &prev, n > 1 ? 1 : 0) &&
	       hmac_update(h, seed, nseed) && hmac_update(h, &tail, 1) && hmac_end(h, t);
}

bool crypt_prfplus_lib(enum crypt_lib lib, enum ike_prf prf, const uint8_t *key, size_t keylen,
		       const struct iov *seed, size_t nseed, uint8_t *out, size_t outlen)
{
	const struct prf_desc *d = prf_lookup(prf);
	struct hmac h;
	if (d == NULL || outlen > 255 * d->len || !hmac_init(lib, &h, d, key, keylen))
		return false;
	uint8_t t[CRYPT_MAX_PRF_LEN];
	bool ok = true;
	for (size_t done = 0, n = 1; ok && done < outlen; n++) {
		ok = prfplus_block(&h, (unsigned)n, t, seed, nseed);
		size_t take = outlen - done < d->len ? outlen - done : d->len;
		if (ok)
			memcpy(out + done, t, take);
		done += take;
	}
	chunk_wipe(t, sizeof(t));
	hmac_destroy(&h);
	if (!ok)
		chunk_wipe(out, outlen);
	return ok;
}

bool crypt_prf(enum ike_prf prf, const uint8_t *key, size_t keylen,
	       const struct iov *data, size_t ndata, uint8_t *out)
{
	return crypt_prf_lib(crypt_lib_of(CRYPT_PRIM_HMAC), prf, key, keylen, data, ndata, out);
}

bool crypt_prfplus(enum ike_prf prf, const uint8_t *key, size_t keylen,
		   const struct iov *seed, size_t nseed, uint8_t *out, size_t outlen)
{
	return crypt_prfplus_lib(crypt_lib_of(CRYPT_PRIM_HMAC), prf, key, keylen, seed, nseed, out,
				 outlen);
}
