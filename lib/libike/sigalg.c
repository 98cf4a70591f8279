/* sigalg.c -- RFC 7427 signature schemes on the wire (see sigalg.h). */
#include <string.h>
#include "be.h"
#include "ike_wire.h"
#include "sigalg.h"

/* RFC 7427 A.1-A.4 and RFC 8017 A.2.3: the DER AlgorithmIdentifiers */
#define OID_RSA_PKCS1 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01
#define OID_ECDSA_SHA2 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03
#define OID_SHA2 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02
/* id-RSASSA-PSS with hashAlgorithm H, maskGenAlgorithm MGF1 with H, saltLength =
 * the length of H, trailerField omitted (its default); H with NULL parameters */
#define PSS(h, salt)                                                                         \
	0x30, 0x41, OID_RSA_PKCS1, 0x0a, 0x30, 0x34,                                          \
	0xa0, 0x0f, 0x30, 0x0d, OID_SHA2, h, 0x05, 0x00,                                       \
	0xa1, 0x1c, 0x30, 0x1a, OID_RSA_PKCS1, 0x08, 0x30, 0x0d, OID_SHA2, h, 0x05, 0x00,      \
	0xa2, 0x03, 0x02, 0x01, salt

static const uint8_t rsa_sha1[] = { 0x30, 0x0d, OID_RSA_PKCS1, 0x05, 0x05, 0x00 };
static const uint8_t rsa_sha256[] = { 0x30, 0x0d, OID_RSA_PKCS1, 0x0b, 0x05, 0x00 };
static const uint8_t rsa_sha384[] = { 0x30, 0x0d, OID_RSA_PKCS1, 0x0c, 0x05, 0x00 };
static const uint8_t rsa_sha512[] = { 0x30, 0x0d, OID_RSA_PKCS1, 0x0d, 0x05, 0x00 };
static const uint8_t pss_sha256[] = { PSS(0x01, 32) };
static const uint8_t pss_sha384[] = { PSS(0x02, 48) };
static const uint8_t pss_sha512[] = { PSS(0x03, 64) };
static const uint8_t ecdsa_sha256[] = { 0x30, 0x0a, OID_ECDSA_SHA2, 0x02 };
static const uint8_t ecdsa_sha384[] = { 0x30, 0x0a, OID_ECDSA_SHA2, 0x03 };
static const uint8_t ecdsa_sha512[] = { 0x30, 0x0a, OID_ECDSA_SHA2, 0x04 };

static const struct scheme {
	enum crypt_sig sig;
	const char *name;
	const uint8_t *der;
	size_t len;
	enum ike_hash_alg hash;
} schemes[] = {
	{ CRYPT_SIG_RSA_PKCS1_SHA1, "sha1WithRSAEncryption", rsa_sha1, sizeof(rsa_sha1), IKE_HASH_SHA1 },
	{ CRYPT_SIG_RSA_PKCS1_SHA256, "sha256WithRSAEncryption", rsa_sha256, sizeof(rsa_sha256), IKE_HASH_SHA2_256 },
	{ CRYPT_SIG_RSA_PKCS1_SHA384, "sha384WithRSAEncryption", rsa_sha384, sizeof(rsa_sha384), IKE_HASH_SHA2_384 },
	{ CRYPT_SIG_RSA_PKCS1_SHA512, "sha512WithRSAEncryption", rsa_sha512, sizeof(rsa_sha512), IKE_HASH_SHA2_512 },
	{ CRYPT_SIG_RSA_PSS_SHA256, "RSASSA-PSS-SHA256", pss_sha256, sizeof(pss_sha256), IKE_HASH_SHA2_256 },
	{ CRYPT_SIG_RSA_PSS_SHA384, "RSASSA-PSS-SHA384", pss_sha384, sizeof(pss_sha384), IKE_HASH_SHA2_384 },
	{ CRYPT_SIG_RSA_PSS_SHA512, "RSASSA-PSS-SHA512", pss_sha512, sizeof(pss_sha512), IKE_HASH_SHA2_512 },
	{ CRYPT_SIG_ECDSA_SHA256, "ecdsa-with-SHA256", ecdsa_sha256, sizeof(ecdsa_sha256), IKE_HASH_SHA2_256 },
	{ CRYPT_SIG_ECDSA_SHA384, "ecdsa-with-SHA384", ecdsa_sha384, sizeof(ecdsa_sha384), IKE_HASH_SHA2_384 },
	{ CRYPT_SIG_ECDSA_SHA512, "ecdsa-with-SHA512", ecdsa_sha512, sizeof(ecdsa_sha512), IKE_HASH_SHA2_512 },
};
#define NSCHEMES (sizeof(schemes) / sizeof(schemes[0]))

static const struct scheme *scheme_of(enum crypt_sig s)
{
	for (size_t i = 0; i < NSCHEMES; i++)
		if (schemes[i].sig == s)
			return &schemes[i];
	return NULL;
}

const uint8_t *sigalg_der(enum crypt_sig s, size_t *len)
{
	const struct scheme *sc = scheme_of(s);
	*len = sc != NULL ? sc->len : 0;
	return sc != NULL ? sc->der : NULL;
}

bool sigalg_from_der(const uint8_t *der, size_t len, enum crypt_sig *out)
{
	for (size_t i = 0; i < NSCHEMES; i++) {
		if (schemes[i].len == len && memcmp(schemes[i].der, der, len) == 0) {
			*out = schemes[i].sig;
			return true;
		}
	}
	return false;
}

const char *sigalg_name(enum crypt_sig s)
{
	const struct scheme *sc = scheme_of(s);
	return sc != NULL ? sc->name : "UNKNOWN";
}

bool sigalg_parse_auth(const uint8_t *data, size_t len, enum crypt_sig *s, const uint8_t **sig,
		       size_t *siglen)
{
	if (len < 1 || (size_t)data[0] + 1 >= len)
		return false;
	size_t alen = data[0];
	if (!sigalg_from_der(data + 1, alen, s))
		return false;
	*sig = data + 1 + alen;
	*siglen = len - 1 - alen;
	return true;
}

size_t sigalg_put_auth(enum crypt_sig s, const uint8_t *sig, size_t siglen, uint8_t *out, size_t cap)
{
	size_t alen;
	const uint8_t *der = sigalg_der(s, &alen);
	if (der == NULL || alen > UINT8_MAX || cap < 1 + alen + siglen)
		return 0;
	out[0] = (uint8_t)alen;
	memcpy(out + 1, der, alen);
	memcpy(out + 1 + alen, sig, siglen);
	return 1 + alen + siglen;
}

bool sigalg_for_method(uint8_t method, enum crypt_sig *s, enum crypt_key_kind *curve)
{
	switch (method) {
	case IKE_AUTH_RSA_SIG:
		*s = CRYPT_SIG_RSA_PKCS1_SHA1;
		*curve = CRYPT_KEY_RSA;
		return true;
	case IKE_AUTH_ECDSA_256:
		*s = CRYPT_SIG_ECDSA_SHA256;
		*curve = CRYPT_KEY_EC_P256;
		return true;
	case IKE_AUTH_ECDSA_384:
		*s = CRYPT_SIG_ECDSA_SHA384;
		*curve = CRYPT_KEY_EC_P384;
		return true;
	case IKE_AUTH_ECDSA_521:
		*s = CRYPT_SIG_ECDSA_SHA512;
		*curve = CRYPT_KEY_EC_P521;
		return true;
	default:
		return false;
	}
}

uint8_t sigalg_method_for_key(enum crypt_key_kind kind)
{
	switch (kind) {
	case CRYPT_KEY_RSA: return IKE_AUTH_RSA_SIG;
	case CRYPT_KEY_EC_P256: return IKE_AUTH_ECDSA_256;
	case CRYPT_KEY_EC_P384: return IKE_AUTH_ECDSA_384;
	case CRYPT_KEY_EC_P521: return IKE_AUTH_ECDSA_521;
	default: return 0;
	}
}

enum ike_hash_alg sigalg_hash(enum crypt_sig s)
{
	const struct scheme *sc = scheme_of(s);
	return sc != NULL ? sc->hash : 0;
}

/* RFC 7427 4: we announce the SHA-2 hashes (SHA-1 is not offered, RFC 8247 3.2) */
static const uint16_t our_hashes[] = { IKE_HASH_SHA2_256, IKE_HASH_SHA2_384, IKE_HASH_SHA2_512 };

size_t sigalg_put_hashes(uint8_t *out, size_t cap)
{
	size_t n = sizeof(our_hashes) / sizeof(our_hashes[0]);
	if (cap < 2 * n)
		return 0;
	for (size_t i = 0; i < n; i++)
		be_put16(out + 2 * i, our_hashes[i]);
	return 2 * n;
}

bool sigalg_we_announce(enum ike_hash_alg h)
{
	for (size_t i = 0; i < sizeof(our_hashes) / sizeof(our_hashes[0]); i++)
		if (our_hashes[i] == h)
			return true;
	return false;
}

bool sigalg_parse_hashes(const uint8_t *data, size_t len, uint16_t *hashes, unsigned *n)
{
	*n = 0;
	if (len % 2 != 0)
		return false;
	for (size_t i = 0; i + 1 < len; i += 2) {
		uint16_t h = be_get16(data + i);
		if (h >= IKE_HASH_SHA1 && h <= IKE_HASH_IDENTITY && *n < SIGALG_MAX_HASHES)
			hashes[(*n)++] = h;
	}
	return true;
}

static bool peer_accepts(const uint16_t *hashes, unsigned n, enum ike_hash_alg h)
{
	for (unsigned i = 0; i < n; i++)
		if (hashes[i] == h)
			return true;
	return false;
}

bool sigalg_choose(enum crypt_key_kind kind, bool pkcs1, const uint16_t *peer_hashes, unsigned n,
		   enum crypt_sig *out)
{
	/* ECDSA: the hash that matches the curve's strength (RFC 5480 4), then any */
	static const enum crypt_sig ec256[] = { CRYPT_SIG_ECDSA_SHA256, CRYPT_SIG_ECDSA_SHA384, CRYPT_SIG_ECDSA_SHA512 };
	static const enum crypt_sig ec384[] = { CRYPT_SIG_ECDSA_SHA384, CRYPT_SIG_ECDSA_SHA512, CRYPT_SIG_ECDSA_SHA256 };
	static const enum crypt_sig ec521[] = { CRYPT_SIG_ECDSA_SHA512, CRYPT_SIG_ECDSA_SHA384, CRYPT_SIG_ECDSA_SHA256 };
	static const enum crypt_sig pss[] = { CRYPT_SIG_RSA_PSS_SHA256, CRYPT_SIG_RSA_PSS_SHA384, CRYPT_SIG_RSA_PSS_SHA512 };
	static const enum crypt_sig v15[] = { CRYPT_SIG_RSA_PKCS1_SHA256, CRYPT_SIG_RSA_PKCS1_SHA384, CRYPT_SIG_RSA_PKCS1_SHA512 };
	const enum crypt_sig *order;
	switch (kind) {
	case CRYPT_KEY_EC_P256: order = ec256; break;
	case CRYPT_KEY_EC_P384: order = ec384; break;
	case CRYPT_KEY_EC_P521: order = ec521; break;
	case CRYPT_KEY_RSA: order = pkcs1 ? v15 : pss; break;
	default: return false;
	}
	for (unsigned i = 0; i < 3; i++) {
		if (peer_accepts(peer_hashes, n, sigalg_hash(order[i]))) {
			*out = order[i];
			return true;
		}
	}
	return false;
}
