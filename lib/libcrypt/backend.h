/* backend.h -- inside lib/libcrypt (and its tests and benchmarks): which library serves
 * which primitive.
 *
 * crypt.h's functions are one facade over several libraries: NSS (the certificate and
 * key database, signatures with its keys, MODP), OpenSSL's libcrypto (elliptic curve
 * key exchanges, verification, AES, HMAC: measured faster, testing/bench/bench_crypto)
 * and our own ML-KEM.  crypt_choices[] (backend.c) is the one place that decides; each
 * module keeps every implementation it has and asks crypt_lib_of() which one to run.
 * The *_lib() variants below run one library's implementation whatever the table
 * says, so that the unit tests check every implementation against the known answers
 * and the benchmark measures each through the same code path.
 */
#ifndef CRYPT_BACKEND_H
#define CRYPT_BACKEND_H

#include "crypt.h"

enum crypt_lib {
	CRYPT_LIB_NONE,		/* not offered (ke_supported() is false) */
	CRYPT_LIB_NSS,
	CRYPT_LIB_OPENSSL,
	CRYPT_LIB_OURS,
};
#define CRYPT_LIB_COUNT 4

enum crypt_prim {
	CRYPT_PRIM_X25519,
	CRYPT_PRIM_ECP256,
	CRYPT_PRIM_ECP384,
	CRYPT_PRIM_ECP521,
	CRYPT_PRIM_MODP,
	CRYPT_PRIM_MLKEM,
	CRYPT_PRIM_AES_GCM,
	CRYPT_PRIM_AES_CBC,
	CRYPT_PRIM_HMAC,	/* PRF, prf+, integrity */
	CRYPT_PRIM_HASH,
	CRYPT_PRIM_SIGN,
	CRYPT_PRIM_VERIFY_ECDSA,
	CRYPT_PRIM_VERIFY_RSA,
	CRYPT_PRIM_CERT,
	CRYPT_PRIM_RANDOM,
};
#define CRYPT_PRIM_COUNT 15

struct crypt_choice {
	const char *name;
	enum crypt_lib lib;
	const char *why;
};

extern const struct crypt_choice crypt_choices[CRYPT_PRIM_COUNT];

static inline enum crypt_lib crypt_lib_of(enum crypt_prim p)
{
	return crypt_choices[p].lib;
}

const char *crypt_lib_name(enum crypt_lib lib);

/* OpenSSL (ossl.c): started by crypt_init() before anything else runs (and so before
 * the seccomp filter): no configuration file, the algorithms fetched once, the random
 * generators seeded.  The fetched objects are read-only afterwards. */
bool ossl_init(char *err, size_t errlen);
void ossl_shutdown(void);
struct evp_cipher_st;
struct evp_md_st;
struct evp_pkey_st;
const struct evp_cipher_st *ossl_cipher(bool gcm, size_t keylen);
const struct evp_md_st *ossl_md(enum crypt_hash h);
/* the parameters-only key of an ECP method's curve; NULL for other methods */
struct evp_pkey_st *ossl_ec_params(enum ike_ke_method m);

/* --- one library's implementation, whatever crypt_choices[] says --- */

/* ke.c: the key exchange method as this library implements it */
enum ke_result ke_initiate_lib(enum crypt_lib lib, enum ike_ke_method method, struct ke **out);
enum ke_result ke_respond_lib(enum crypt_lib lib, enum ike_ke_method method, const uint8_t *peer,
			      size_t len, struct ke **out, struct chunk *shared);
bool ke_lib_has(enum crypt_lib lib, enum ike_ke_method method);
/* Known-answer tests: a DH key pair from a given private value (X25519: the 32-octet
 * scalar of RFC 7748; ECP: the big-endian scalar of RFC 5903 8) */
enum ke_result ke_from_private_lib(enum crypt_lib lib, enum ike_ke_method method,
				   const uint8_t *priv, size_t len, struct ke **out);

/* encr.c */
bool crypt_gcm_lib(enum crypt_lib lib, bool encrypt, const uint8_t *key, size_t keylen,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen, const uint8_t *in,
		   size_t inlen, uint8_t *out, size_t outlen);
bool crypt_cbc_lib(enum crypt_lib lib, bool encrypt, const uint8_t *key, size_t keylen,
		   const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out);

/* prf.c */
bool crypt_prf_lib(enum crypt_lib lib, enum ike_prf prf, const uint8_t *key, size_t keylen,
		   const struct iov *data, size_t ndata, uint8_t *out);
bool crypt_prfplus_lib(enum crypt_lib lib, enum ike_prf prf, const uint8_t *key, size_t keylen,
		       const struct iov *seed, size_t nseed, uint8_t *out, size_t outlen);

/* hash.c */
bool crypt_hash_lib(enum crypt_lib lib, enum crypt_hash h, const struct iov *data, size_t ndata,
		    uint8_t *out);

/* sig.c: a session key pair (tests, benchmarks) with RSA keys of rsa_bits */
struct crypt_privkey *crypt_privkey_generate_bits(enum crypt_key_kind kind, unsigned rsa_bits);
bool crypt_verify_lib(enum crypt_lib lib, enum crypt_sig s, const struct crypt_pubkey *k,
		      const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
		      bool ecdsa_der);

#endif
