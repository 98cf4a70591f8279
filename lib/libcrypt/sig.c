/* sig.c -- digital signatures: the schemes of RFC 7427 (RSASSA-PSS, RSA PKCS#1 v1.5
 * and ECDSA with SHA-2) and the older IKEv2 methods (RFC 7296 3.8 RSA with SHA-1,
 * RFC 4754 ECDSA with r | s).
 *
 * Signing stays in NSS: our private keys live in the NSS database (as Libreswan's do),
 * possibly marked sensitive or held by a token, and are never copied out; it is one
 * signature per IKE SA.  Verification needs only the peer's public key, which is
 * handed to OpenSSL as well when the key is made (a public value, nothing to protect),
 * so that each verification skips NSS's import of the key into a PKCS #11 slot
 * (backend.c: measured several times faster for ECDSA).
 *
 * The message is hashed here (crypt_hash) and NSS signs or verifies the digest
 * (CKM_RSA_PKCS_PSS, CKM_ECDSA) or, for PKCS#1 v1.5, the combined mechanisms
 * CKM_SHAx_RSA_PKCS hash and wrap the DigestInfo themselves; OpenSSL verifies the
 * digest with the padding and hash set on its context.  Keys come from a certificate
 * (the peer's), from the NSS database by certificate nickname (ours), or are
 * generated (tests).
 */
#include <stdlib.h>
#include <string.h>
#include <cert.h>
#include <cryptohi.h>
#include <keyhi.h>
#include <pk11pub.h>
#include <secoid.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include "backend.h"

#define SIG_MAX_DIGEST 64	/* SHA-512 */
#define SIG_MAX_RAW_ECDSA 132	/* r | s for P-521 */

struct crypt_pubkey {
	SECKEYPublicKey *k;
	EVP_PKEY *ossl;		/* the same public key for OpenSSL; NULL if it has none */
};

struct crypt_privkey {
	SECKEYPrivateKey *k;
	SECKEYPublicKey *pub;	/* for the ECDSA signature length; may be NULL for RSA */
};

struct sig_info {
	enum crypt_hash hash;
	enum { SIG_PKCS1, SIG_PSS, SIG_ECDSA } kind;
};

static bool sig_info(enum crypt_sig s, struct sig_info *out)
{
	switch (s) {
	case CRYPT_SIG_RSA_PKCS1_SHA1: *out = (struct sig_info){ CRYPT_SHA1, SIG_PKCS1 }; return true;
	case CRYPT_SIG_RSA_PKCS1_SHA256: *out = (struct sig_info){ CRYPT_SHA256, SIG_PKCS1 }; return true;
	case CRYPT_SIG_RSA_PKCS1_SHA384: *out = (struct sig_info){ CRYPT_SHA384, SIG_PKCS1 }; return true;
	case CRYPT_SIG_RSA_PKCS1_SHA512: *out = (struct sig_info){ CRYPT_SHA512, SIG_PKCS1 }; return true;
	case CRYPT_SIG_RSA_PSS_SHA256: *out = (struct sig_info){ CRYPT_SHA256, SIG_PSS }; return true;
	case CRYPT_SIG_RSA_PSS_SHA384: *out = (struct sig_info){ CRYPT_SHA384, SIG_PSS }; return true;
	case CRYPT_SIG_RSA_PSS_SHA512: *out = (struct sig_info){ CRYPT_SHA512, SIG_PSS }; return true;
	case CRYPT_SIG_ECDSA_SHA256: *out = (struct sig_info){ CRYPT_SHA256, SIG_ECDSA }; return true;
	case CRYPT_SIG_ECDSA_SHA384: *out = (struct sig_info){ CRYPT_SHA384, SIG_ECDSA }; return true;
	case CRYPT_SIG_ECDSA_SHA512: *out = (struct sig_info){ CRYPT_SHA512, SIG_ECDSA }; return true;
	}
	return false;
}

/* The PKCS #11 names of each hash: the digest, RSA PKCS#1 v1.5 with it, and MGF1
 * with it (RFC 8017 B.2.1) */
static const struct hash_mechs {
	CK_MECHANISM_TYPE digest, pkcs1;
	CK_RSA_PKCS_MGF_TYPE mgf1;
} hash_mechs[] = {
	[CRYPT_SHA1] = { CKM_SHA_1, CKM_SHA1_RSA_PKCS, CKG_MGF1_SHA1 },
	[CRYPT_SHA256] = { CKM_SHA256, CKM_SHA256_RSA_PKCS, CKG_MGF1_SHA256 },
	[CRYPT_SHA384] = { CKM_SHA384, CKM_SHA384_RSA_PKCS, CKG_MGF1_SHA384 },
	[CRYPT_SHA512] = { CKM_SHA512, CKM_SHA512_RSA_PKCS, CKG_MGF1_SHA512 },
};

static bool key_fits(enum crypt_sig s, KeyType t)
{
	struct sig_info si;
	return sig_info(s, &si) && (si.kind == SIG_ECDSA ? t == ecKey : t == rsaKey);
}

/* --- keys --- */

static enum crypt_key_kind kind_of(const SECKEYPublicKey *k);

static EVP_PKEY *ossl_rsa_public(const SECKEYPublicKey *k)
{
	BIGNUM *n = BN_bin2bn(k->u.rsa.modulus.data, (int)k->u.rsa.modulus.len, NULL);
	BIGNUM *e = BN_bin2bn(k->u.rsa.publicExponent.data, (int)k->u.rsa.publicExponent.len, NULL);
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *p = NULL;
	if (n != NULL && e != NULL && b != NULL &&
	    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
	    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, e) == 1)
		p = OSSL_PARAM_BLD_to_param(b);
	EVP_PKEY_CTX *c = p != NULL ? EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL) : NULL;
	EVP_PKEY *pk = NULL;
	if (c == NULL || EVP_PKEY_fromdata_init(c) <= 0 ||
	    EVP_PKEY_fromdata(c, &pk, EVP_PKEY_PUBLIC_KEY, p) <= 0)
		pk = NULL;
	EVP_PKEY_CTX_free(c);
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(b);
	BN_free(n);
	BN_free(e);
	return pk;
}

/* an EC public key: the curve's parameters (ossl.c) and the point NSS decoded, checked
 * on the curve again by OpenSSL */
static EVP_PKEY *ossl_ec_public(const SECKEYPublicKey *k)
{
	enum ike_ke_method curve;
	switch (kind_of(k)) {
	case CRYPT_KEY_EC_P256: curve = IKE_KE_ECP256; break;
	case CRYPT_KEY_EC_P384: curve = IKE_KE_ECP384; break;
	case CRYPT_KEY_EC_P521: curve = IKE_KE_ECP521; break;
	default: return NULL;
	}
	EVP_PKEY *params = ossl_ec_params(curve);
	EVP_PKEY *pk = params != NULL ? EVP_PKEY_new() : NULL;
	if (pk == NULL || EVP_PKEY_copy_parameters(pk, params) <= 0 ||
	    EVP_PKEY_set1_encoded_public_key(pk, k->u.ec.publicValue.data,
					     k->u.ec.publicValue.len) != 1) {
		EVP_PKEY_free(pk);
		return NULL;
	}
	return pk;
}

/* Takes k; the OpenSSL copy is made only for the kinds we verify with */
static struct crypt_pubkey *pubkey_wrap(SECKEYPublicKey *k)
{
	if (k == NULL)
		return NULL;
	struct crypt_pubkey *pk = calloc(1, sizeof(*pk));
	if (pk == NULL) {
		SECKEY_DestroyPublicKey(k);
		return NULL;
	}
	pk->k = k;
	if (k->keyType == rsaKey)
		pk->ossl = ossl_rsa_public(k);
	else if (k->keyType == ecKey)
		pk->ossl = ossl_ec_public(k);
	ERR_clear_error();
	return pk;
}

struct crypt_pubkey *crypt_pubkey_from_cert(const uint8_t *der, size_t len)
{
	SECItem item = { siBuffer, (unsigned char *)der, (unsigned int)len };
	/* a temporary certificate: not stored in the database, not trusted by being here */
	CERTCertificate *cert = CERT_NewTempCertificate(CERT_GetDefaultCertDB(), &item, NULL, PR_FALSE,
							PR_TRUE);
	if (cert == NULL)
		return NULL;
	SECKEYPublicKey *k = CERT_ExtractPublicKey(cert);
	CERT_DestroyCertificate(cert);
	return pubkey_wrap(k);
}

void crypt_pubkey_free(struct crypt_pubkey *k)
{
	if (k == NULL)
		return;
	SECKEY_DestroyPublicKey(k->k);
	EVP_PKEY_free(k->ossl);
	free(k);
}

static enum crypt_key_kind kind_of(const SECKEYPublicKey *k)
{
	if (k == NULL)
		return CRYPT_KEY_OTHER;
	if (k->keyType == rsaKey)
		return CRYPT_KEY_RSA;
	if (k->keyType != ecKey)
		return CRYPT_KEY_OTHER;
	/* the named curve: the DER OBJECT IDENTIFIER of the parameters */
	const SECItem *p = &k->u.ec.DEREncodedParams;
	if (p->len < 2 || p->data[0] != SEC_ASN1_OBJECT_ID || p->data[1] != p->len - 2)
		return CRYPT_KEY_OTHER;
	SECItem oid = { siBuffer, p->data + 2, p->len - 2 };
	switch (SECOID_FindOIDTag(&oid)) {
	case SEC_OID_ANSIX962_EC_PRIME256V1: return CRYPT_KEY_EC_P256;
	case SEC_OID_SECG_EC_SECP384R1: return CRYPT_KEY_EC_P384;
	case SEC_OID_SECG_EC_SECP521R1: return CRYPT_KEY_EC_P521;
	default: return CRYPT_KEY_OTHER;
	}
}

enum crypt_key_kind crypt_pubkey_kind(const struct crypt_pubkey *k)
{
	return kind_of(k != NULL ? k->k : NULL);
}

enum crypt_key_kind crypt_privkey_kind(const struct crypt_privkey *k)
{
	if (k == NULL)
		return CRYPT_KEY_OTHER;
	if (k->pub != NULL)
		return kind_of(k->pub);
	return SECKEY_GetPrivateKeyType(k->k) == rsaKey ? CRYPT_KEY_RSA : CRYPT_KEY_OTHER;
}

size_t crypt_pubkey_bits(const struct crypt_pubkey *k)
{
	return k != NULL ? SECKEY_PublicKeyStrengthInBits(k->k) : 0;
}

/* Takes both halves, or frees whichever exists */
static struct crypt_privkey *privkey_wrap(SECKEYPrivateKey *priv, SECKEYPublicKey *pub)
{
	struct crypt_privkey *k = priv != NULL && pub != NULL ? calloc(1, sizeof(*k)) : NULL;
	if (k == NULL) {
		if (priv != NULL)
			SECKEY_DestroyPrivateKey(priv);
		if (pub != NULL)
			SECKEY_DestroyPublicKey(pub);
		return NULL;
	}
	k->k = priv;
	k->pub = pub;
	return k;
}

struct crypt_privkey *crypt_privkey_generate(enum crypt_key_kind kind)
{
	return crypt_privkey_generate_bits(kind, 2048);
}

struct crypt_privkey *crypt_privkey_generate_bits(enum crypt_key_kind kind, unsigned rsa_bits)
{
	static const uint8_t p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
	static const uint8_t p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };
	static const uint8_t p521[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23 };
	PK11RSAGenParams rsa = { .keySizeInBits = (int)rsa_bits, .pe = 65537 };
	SECItem ec = { siBuffer, NULL, 0 };
	void *params = &ec;
	CK_MECHANISM_TYPE mech = CKM_EC_KEY_PAIR_GEN;
	switch (kind) {
	case CRYPT_KEY_RSA: params = &rsa; mech = CKM_RSA_PKCS_KEY_PAIR_GEN; break;
	case CRYPT_KEY_EC_P256: ec.data = (unsigned char *)p256; ec.len = sizeof(p256); break;
	case CRYPT_KEY_EC_P384: ec.data = (unsigned char *)p384; ec.len = sizeof(p384); break;
	case CRYPT_KEY_EC_P521: ec.data = (unsigned char *)p521; ec.len = sizeof(p521); break;
	default: return NULL;
	}
	PK11SlotInfo *slot = PK11_GetInternalSlot();
	if (slot == NULL)
		return NULL;
	SECKEYPublicKey *pub = NULL;
	SECKEYPrivateKey *priv = PK11_GenerateKeyPair(slot, mech, params, &pub, PR_FALSE, PR_TRUE, NULL);
	PK11_FreeSlot(slot);
	return privkey_wrap(priv, pub);
}

struct crypt_pubkey *crypt_privkey_public(const struct crypt_privkey *k)
{
	if (k == NULL || k->pub == NULL)
		return NULL;
	return pubkey_wrap(SECKEY_CopyPublicKey(k->pub));
}

struct crypt_privkey *crypt_privkey_from_nss(const char *nickname, struct chunk *cert_der)
{
	CERTCertificate *cert = PK11_FindCertFromNickname(nickname, NULL);
	if (cert == NULL)
		return NULL;
	SECKEYPrivateKey *priv = PK11_FindKeyByAnyCert(cert, NULL);
	SECKEYPublicKey *pub = CERT_ExtractPublicKey(cert);
	struct crypt_privkey *k = privkey_wrap(priv, pub);
	if (k != NULL && cert_der != NULL)
		*cert_der = chunk_dup(cert->derCert.data, cert->derCert.len);
	CERT_DestroyCertificate(cert);
	return k;
}

struct crypt_privkey *crypt_privkey_dup(const struct crypt_privkey *k)
{
	if (k == NULL)
		return NULL;
	return privkey_wrap(SECKEY_CopyPrivateKey(k->k), k->pub != NULL ? SECKEY_CopyPublicKey(k->pub) : NULL);
}

void crypt_privkey_free(struct crypt_privkey *k)
{
	if (k == NULL)
		return;
	SECKEY_DestroyPrivateKey(k->k);
	if (k->pub != NULL)
		SECKEY_DestroyPublicKey(k->pub);
	free(k);
}

/* --- sign / verify --- */

/* RFC 8017 9.1: PSS with MGF1 of the same hash and a salt as long as the hash
 * (RFC 7427 A.4.1's parameters, and what its AlgorithmIdentifiers carry) */
static SECItem pss_params(enum crypt_hash h, CK_RSA_PKCS_PSS_PARAMS *p)
{
	p->hashAlg = hash_mechs[h].digest;
	p->mgf = hash_mechs[h].mgf1;
	p->sLen = (CK_ULONG)crypt_hash_len(h);
	return (SECItem){ siBuffer, (unsigned char *)p, sizeof(*p) };
}

static size_t ecdsa_raw_len(const SECKEYPublicKey *k)
{
	/* r | s, each as long as the group order */
	switch (kind_of(k)) {
	case CRYPT_KEY_EC_P256: return 64;
	case CRYPT_KEY_EC_P384: return 96;
	case CRYPT_KEY_EC_P521: return 132;
	default: return 0;
	}
}

static bool verify_nss(const struct sig_info si, const struct crypt_pubkey *k, const uint8_t *data,
		       size_t len, const uint8_t *sig, size_t siglen, bool ecdsa_der)
{
	SECItem msg = { siBuffer, (unsigned char *)data, (unsigned int)len };
	SECItem sg = { siBuffer, (unsigned char *)sig, (unsigned int)siglen };
	if (si.kind == SIG_PKCS1)
		return PK11_VerifyWithMechanism(k->k, hash_mechs[si.hash].pkcs1, NULL, &sg, &msg, NULL) == SECSuccess;
	uint8_t digest[SIG_MAX_DIGEST];
	struct iov in = { data, len };
	if (!crypt_hash(si.hash, &in, 1, digest))
		return false;
	SECItem dg = { siBuffer, digest, (unsigned int)crypt_hash_len(si.hash) };
	if (si.kind == SIG_PSS) {
		CK_RSA_PKCS_PSS_PARAMS pp;
		SECItem param = pss_params(si.hash, &pp);
		return PK11_VerifyWithMechanism(k->k, CKM_RSA_PKCS_PSS, &param, &sg, &dg, NULL) == SECSuccess;
	}
	/* ECDSA: NSS wants r | s; RFC 7427 carries a DER Ecdsa-Sig-Value (RFC 3279 2.2.3) */
	size_t raw_len = ecdsa_raw_len(k->k);
	if (raw_len == 0)
		return false;
	bool ok;
	if (ecdsa_der) {
		SECItem *raw = DSAU_DecodeDerSigToLen(&sg, (unsigned int)raw_len);
		if (raw == NULL)
			return false;
		ok = PK11_VerifyWithMechanism(k->k, CKM_ECDSA, NULL, raw, &dg, NULL) == SECSuccess;
		SECITEM_FreeItem(raw, PR_TRUE);
	} else {
		ok = siglen == raw_len &&
		     PK11_VerifyWithMechanism(k->k, CKM_ECDSA, NULL, &sg, &dg, NULL) == SECSuccess;
	}
	return ok;
}

/* The ECDSA signature as OpenSSL takes it, a DER Ecdsa-Sig-Value (RFC 3279 2.2.3):
 * from r | s (RFC 4754 7), or a DER one decoded and encoded again, so that what NSS
 * accepted (r and s no longer than the group order) is what is accepted here */
static bool ecdsa_to_der(const uint8_t *sig, size_t siglen, size_t raw_len, bool ecdsa_der,
			 uint8_t **der, int *derlen)
{
	ECDSA_SIG *es = NULL;
	if (ecdsa_der) {
		const unsigned char *p = sig;
		es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
		if (es != NULL && (p != sig + siglen ||
				   (size_t)BN_num_bytes(ECDSA_SIG_get0_r(es)) > raw_len / 2 ||
				   (size_t)BN_num_bytes(ECDSA_SIG_get0_s(es)) > raw_len / 2)) {
			ECDSA_SIG_free(es);
			es = NULL;
		}
	} else if (siglen == raw_len) {
		BIGNUM *r = BN_bin2bn(sig, (int)(raw_len / 2), NULL);
		BIGNUM *sv = BN_bin2bn(sig + raw_len / 2, (int)(raw_len / 2), NULL);
		es = r != NULL && sv != NULL ? ECDSA_SIG_new() : NULL;
		if (es == NULL || ECDSA_SIG_set0(es, r, sv) != 1) {
			BN_free(r);
			BN_free(sv);
			ECDSA_SIG_free(es);
			es = NULL;
		}
	}
	if (es == NULL)
		return false;
	*der = NULL;
	*derlen = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	return *derlen > 0;
}

static bool verify_ossl(const struct sig_info si, const struct crypt_pubkey *k, const uint8_t *data,
			size_t len, const uint8_t *sig, size_t siglen, bool ecdsa_der)
{
	uint8_t digest[SIG_MAX_DIGEST];
	struct iov in = { data, len };
	const EVP_MD *md = ossl_md(si.hash);
	if (k->ossl == NULL || md == NULL || !crypt_hash(si.hash, &in, 1, digest))
		return false;
	size_t dlen = crypt_hash_len(si.hash);
	uint8_t *der = NULL;
	int derlen = 0;
	if (si.kind == SIG_ECDSA) {
		size_t raw_len = ecdsa_raw_len(k->k);
		if (raw_len == 0 || !ecdsa_to_der(sig, siglen, raw_len, ecdsa_der, &der, &derlen)) {
			ERR_clear_error();
			return false;
		}
		sig = der;
		siglen = (size_t)derlen;
	}
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, k->ossl, NULL);
	bool ok = c != NULL && EVP_PKEY_verify_init(c) == 1;
	if (ok && si.kind != SIG_ECDSA)
		ok = EVP_PKEY_CTX_set_rsa_padding(c, si.kind == SIG_PSS ? RSA_PKCS1_PSS_PADDING
									   : RSA_PKCS1_PADDING) == 1 &&
		     EVP_PKEY_CTX_set_signature_md(c, md) == 1;
	/* RFC 7427 A.4.1: MGF1 with the same hash, a salt as long as the hash */
	if (ok && si.kind == SIG_PSS)
		ok = EVP_PKEY_CTX_set_rsa_mgf1_md(c, md) == 1 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(c, (int)dlen) == 1;
	ok = ok && EVP_PKEY_verify(c, sig, siglen, digest, dlen) == 1;
	EVP_PKEY_CTX_free(c);
	OPENSSL_free(der);
	ERR_clear_error();
	return ok;
}

bool crypt_verify_lib(enum crypt_lib lib, enum crypt_sig s, const struct crypt_pubkey *k,
		      const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
		      bool ecdsa_der)
{
	struct sig_info si;
	if (k == NULL || !sig_info(s, &si) || !key_fits(s, k->k->keyType) || siglen == 0)
		return false;
	switch (lib) {
	case CRYPT_LIB_OPENSSL: return verify_ossl(si, k, data, len, sig, siglen, ecdsa_der);
	case CRYPT_LIB_NSS: return verify_nss(si, k, data, len, sig, siglen, ecdsa_der);
	default: return false;
	}
}

bool crypt_verify(enum crypt_sig s, const struct crypt_pubkey *k, const uint8_t *data, size_t len,
		  const uint8_t *sig, size_t siglen, bool ecdsa_der)
{
	struct sig_info si;
	if (!sig_info(s, &si))
		return false;
	enum crypt_prim p = si.kind == SIG_ECDSA ? CRYPT_PRIM_VERIFY_ECDSA : CRYPT_PRIM_VERIFY_RSA;
	return crypt_verify_lib(crypt_lib_of(p), s, k, data, len, sig, siglen, ecdsa_der);
}

bool crypt_sign(enum crypt_sig s, const struct crypt_privkey *k, const uint8_t *data, size_t len,
		bool ecdsa_der, struct chunk *out)
{
	struct sig_info si;
	*out = CHUNK_EMPTY;
	if (k == NULL || !sig_info(s, &si) || !key_fits(s, SECKEY_GetPrivateKeyType(k->k)))
		return false;
	int max = PK11_SignatureLen(k->k);
	if (max <= 0 || max > CRYPT_MAX_SIG_LEN)
		return false;
	uint8_t buf[CRYPT_MAX_SIG_LEN];
	SECItem sg = { siBuffer, buf, (unsigned int)max };
	SECItem msg = { siBuffer, (unsigned char *)data, (unsigned int)len };
	SECStatus rv;
	if (si.kind == SIG_PKCS1) {
		rv = PK11_SignWithMechanism(k->k, hash_mechs[si.hash].pkcs1, NULL, &sg, &msg);
	} else {
		uint8_t digest[SIG_MAX_DIGEST];
		struct iov in = { data, len };
		if (!crypt_hash(si.hash, &in, 1, digest))
			return false;
		SECItem dg = { siBuffer, digest, (unsigned int)crypt_hash_len(si.hash) };
		if (si.kind == SIG_PSS) {
			CK_RSA_PKCS_PSS_PARAMS pp;
			SECItem param = pss_params(si.hash, &pp);
			rv = PK11_SignWithMechanism(k->k, CKM_RSA_PKCS_PSS, &param, &sg, &dg);
		} else {
			rv = PK11_SignWithMechanism(k->k, CKM_ECDSA, NULL, &sg, &dg);
		}
	}
	if (rv != SECSuccess)
		return false;
	if (si.kind == SIG_ECDSA && ecdsa_der) {
		SECItem der = { siBuffer, NULL, 0 };
		if (DSAU_EncodeDerSigWithLen(&der, &sg, sg.len) != SECSuccess)
			return false;
		*out = chunk_dup(der.data, der.len);
		SECITEM_FreeItem(&der, PR_FALSE);
	} else {
		*out = chunk_dup(sg.data, sg.len);
	}
	chunk_wipe(buf, sizeof(buf));
	return true;
}
