/* ke_ossl.c -- elliptic curve Diffie-Hellman through OpenSSL's libcrypto: Curve25519
 * (group 31, RFC 8031 / RFC 7748) and the NIST prime curves (groups 19, 20, 21,
 * RFC 5903).  The same wire forms and checks as the NSS implementations (ke_x25519.c,
 * ke_ecp.c), measured several times faster (docs/architecture.md, "Crypto choices").
 *
 * X25519: the private scalar is 32 octets from crypt_random() (RFC 7748 5 clamps it
 * inside the scalar multiplication); the KE data is the public u coordinate and the
 * shared secret the 32-octet result, refused when all zero (RFC 8031 2, RFC 7748 6.1).
 *
 * ECP: key pairs from OpenSSL's generator (seeded by ossl_init()) on the curve of the
 * parameters ossl.c keeps.  RFC 5903 7: the KE data is x | y without the 0x04 of an
 * uncompressed point; the shared secret is the x coordinate of the result padded to
 * the field size (RFC 5903 9).  The peer's point is checked on import (coordinates
 * below p, the curve equation: SP 800-56A 5.6.2.3.4's partial validation, which is
 * complete for these prime-order curves, cofactor 1); the encoding cannot name the
 * point at infinity.  The derivation itself therefore skips OpenSSL's full public key
 * check, which would cost another scalar multiplication.
 *
 * Every failure clears OpenSSL's error queue, so a stream of bad peer values cannot
 * grow it.
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include "ke_int.h"

#define X25519_LEN 32
#define ECP_MAX_FIELD 66	/* P-521 */

static enum ke_result ossl_failed(enum ke_result r)
{
	ERR_clear_error();
	return r;
}

/* shared = the secret derived from our key pair and the peer's public key */
static enum ke_result ossl_derive(struct ke *ke, EVP_PKEY *peer, size_t secret_len,
				  struct chunk *shared)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, ke->pkey, NULL);
	uint8_t buf[ECP_MAX_FIELD];
	size_t n = sizeof(buf);
	enum ke_result r = KE_OK;
	if (c == NULL || EVP_PKEY_derive_init(c) <= 0)
		r = KE_FAILED;
	else if (EVP_PKEY_derive_set_peer_ex(c, peer, 0) <= 0 || EVP_PKEY_derive(c, buf, &n) <= 0)
		r = KE_BAD_VALUE;	/* X25519: an all-zero result (RFC 7748 6.1) */
	else if (n != secret_len)
		r = KE_FAILED;
	EVP_PKEY_CTX_free(c);
	if (r == KE_OK)
		*shared = chunk_dup(buf, n);
	chunk_wipe(buf, sizeof(buf));
	return r == KE_OK ? r : ossl_failed(r);
}

/* --- X25519 --- */

static enum ke_result x25519_set_private(struct ke *ke, const uint8_t *priv, size_t len)
{
	if (len != X25519_LEN)
		return KE_FAILED;
	ke->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, len);
	uint8_t pub[X25519_LEN];
	size_t n = sizeof(pub);
	if (ke->pkey == NULL || EVP_PKEY_get_raw_public_key(ke->pkey, pub, &n) != 1 ||
	    n != X25519_LEN)
		return ossl_failed(KE_FAILED);
	ke->pub = chunk_dup(pub, n);
	return KE_OK;
}

static enum ke_result x25519_initiate(struct ke *ke)
{
	uint8_t priv[X25519_LEN];
	enum ke_result r = crypt_random(priv, sizeof(priv)) ? x25519_set_private(ke, priv, sizeof(priv))
							     : KE_FAILED;
	chunk_wipe(priv, sizeof(priv));
	return r;
}

static enum ke_result x25519_finish(struct ke *ke, const uint8_t *peer, size_t len,
				    struct chunk *shared)
{
	if (ke->pkey == NULL)
		return KE_FAILED;
	EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer, len);
	if (pk == NULL)
		return ossl_failed(KE_BAD_VALUE);
	enum ke_result r = ossl_derive(ke, pk, X25519_LEN, shared);
	EVP_PKEY_free(pk);
	/* OpenSSL refuses an all-zero result itself; checked again, as the NSS path does */
	if (r == KE_OK && ke_x25519_all_zero(shared)) {
		chunk_free(shared);
		r = KE_BAD_VALUE;
	}
	return r;
}

const struct ke_ops ke_x25519_ossl_ops = {
	.method = IKE_KE_CURVE25519,
	.prim = CRYPT_PRIM_X25519,
	.lib = CRYPT_LIB_OPENSSL,
	.len_i = X25519_LEN,
	.len_r = X25519_LEN,
	.initiate = x25519_initiate,
	.respond = ke_dh_respond,
	.finish = x25519_finish,
	.from_private = x25519_set_private,
};

/* --- ECP --- */

static size_t ecp_field(const struct ke *ke)
{
	return ke->ops->len_i / 2;
}

/* ke->pub = x | y of our public key (RFC 5903 7) */
static enum ke_result ecp_set_public(struct ke *ke)
{
	uint8_t pt[1 + 2 * ECP_MAX_FIELD];
	size_t n = 0;
	if (EVP_PKEY_get_octet_string_param(ke->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt,
					    sizeof(pt), &n) != 1 ||
	    n != 1 + ke->ops->len_i || pt[0] != 0x04)
		return ossl_failed(KE_FAILED);
	ke->pub = chunk_dup(pt + 1, ke->ops->len_i);
	return KE_OK;
}

static enum ke_result ecp_initiate(struct ke *ke)
{
	EVP_PKEY *params = ossl_ec_params(ke->ops->method);
	EVP_PKEY_CTX *c = params != NULL ? EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL) : NULL;
	if (c == NULL || EVP_PKEY_keygen_init(c) <= 0 || EVP_PKEY_keygen(c, &ke->pkey) <= 0) {
		EVP_PKEY_CTX_free(c);
		return ossl_failed(KE_FAILED);
	}
	EVP_PKEY_CTX_free(c);
	return ecp_set_public(ke);
}

/* A public key on our curve from the peer's x | y; NULL if not a point of the curve */
static EVP_PKEY *ecp_peer(const struct ke *ke, const uint8_t *xy, size_t len)
{
	uint8_t pt[1 + 2 * ECP_MAX_FIELD];
	if (len != ke->ops->len_i || len + 1 > sizeof(pt))
		return NULL;
	pt[0] = 0x04;	/* uncompressed (SEC 1 2.3.3) */
	memcpy(pt + 1, xy, len);
	EVP_PKEY *pk = EVP_PKEY_new();
	if (pk == NULL || EVP_PKEY_copy_parameters(pk, ke->pkey) <= 0 ||
	    EVP_PKEY_set1_encoded_public_key(pk, pt, len + 1) != 1) {
		EVP_PKEY_free(pk);
		return NULL;
	}
	return pk;
}

static enum ke_result ecp_finish(struct ke *ke, const uint8_t *peer, size_t len,
				 struct chunk *shared)
{
	if (ke->pkey == NULL)
		return KE_FAILED;
	EVP_PKEY *pk = ecp_peer(ke, peer, len);
	if (pk == NULL)
		return ossl_failed(KE_BAD_VALUE);
	enum ke_result r = ossl_derive(ke, pk, ecp_field(ke), shared);
	EVP_PKEY_free(pk);
	return r;
}

/* known answers: the key pair of a big-endian private scalar (RFC 5903 8); OpenSSL 3.0
 * does not derive the public key on import, so it is computed here (d G) */
static enum ke_result ecp_set_private(struct ke *ke, const uint8_t *priv, size_t len)
{
	EVP_PKEY *params = ossl_ec_params(ke->ops->method);
	char group[16];
	size_t glen = 0;
	if (params == NULL || len != ecp_field(ke) ||
	    EVP_PKEY_get_utf8_string_param(params, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					   &glen) != 1)
		return ossl_failed(KE_FAILED);
	BIGNUM *d = BN_bin2bn(priv, (int)len, NULL);
	EC_GROUP *g = EC_GROUP_new_by_curve_name_ex(NULL, NULL, OBJ_sn2nid(group));
	EC_POINT *q = g != NULL ? EC_POINT_new(g) : NULL;
	uint8_t pt[1 + 2 * ECP_MAX_FIELD];
	size_t ptlen = 0;
	if (d != NULL && q != NULL && EC_POINT_mul(g, q, d, NULL, NULL, NULL) == 1)
		ptlen = EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, pt, sizeof(pt), NULL);
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *p = NULL;
	if (ptlen > 0 && b != NULL &&
	    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
	    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d) == 1 &&
	    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pt, ptlen) == 1)
		p = OSSL_PARAM_BLD_to_param(b);
	EVP_PKEY_CTX *c = p != NULL ? EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL) : NULL;
	enum ke_result r = KE_OK;
	if (c == NULL || EVP_PKEY_fromdata_init(c) <= 0 ||
	    EVP_PKEY_fromdata(c, &ke->pkey, EVP_PKEY_KEYPAIR, p) <= 0)
		r = ossl_failed(KE_FAILED);
	EVP_PKEY_CTX_free(c);
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(b);
	EC_POINT_free(q);
	EC_GROUP_free(g);
	BN_clear_free(d);
	return r == KE_OK ? ecp_set_public(ke) : r;
}

#define ECP_OSSL_OPS(name, m, p, len) \
	const struct ke_ops name = { \
		.method = m, .prim = p, .lib = CRYPT_LIB_OPENSSL, \
		.len_i = len, .len_r = len, \
		.initiate = ecp_initiate, .respond = ke_dh_respond, .finish = ecp_finish, \
		.from_private = ecp_set_private, \
	};

ECP_OSSL_OPS(ke_ecp256_ossl_ops, IKE_KE_ECP256, CRYPT_PRIM_ECP256, 64)
ECP_OSSL_OPS(ke_ecp384_ossl_ops, IKE_KE_ECP384, CRYPT_PRIM_ECP384, 96)
ECP_OSSL_OPS(ke_ecp521_ossl_ops, IKE_KE_ECP521, CRYPT_PRIM_ECP521, 132)
