/* crypt.h -- lib/libcrypt: the only code that calls NSS or OpenSSL's libcrypto.
 *
 * One facade over the libraries: lib/libcrypt/backend.c's table decides which one
 * serves each primitive (docs/architecture.md, "Crypto choices"); callers never know.
 * Algorithms are named by their IANA numbers (ike_wire.h).  Secrets are passed as
 * raw octets (struct chunk, wiped on free).  All functions are safe to call from
 * any thread after crypt_init(); none keeps mutable global state of its own.
 */
#ifndef CRYPT_H
#define CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chunk.h"
#include "ike_wire.h"

#define CRYPT_MAX_PRF_LEN  64	/* HMAC-SHA2-512 */
#define CRYPT_MAX_ICV_LEN  32
#define CRYPT_MAX_IV_LEN   16

/* NSS_NoDB_Init when nssdir is NULL, else NSS_Init on "sql:<nssdir>"; then OpenSSL
 * (lib/libcrypt/ossl.c: no configuration file, algorithms fetched, generators seeded),
 * all before a seccomp filter is loaded.  Returns false with a reason in err.
 * Idempotent. */
bool crypt_init(const char *nssdir, char *err, size_t errlen);
void crypt_shutdown(void);

/* A result that matters must be looked at: a failed RNG never sends zeros. */
#define CRYPT_MUST_CHECK __attribute__((warn_unused_result))

bool crypt_random(void *out, size_t len) CRYPT_MUST_CHECK;
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/* fuzz builds: crypt_random() is a deterministic stream restarted from seed */
void crypt_fuzz_seed(uint64_t seed);
#endif

/* --- hashes (lib/libcrypt/hash.c) --- */
enum crypt_hash { CRYPT_SHA1, CRYPT_SHA256, CRYPT_SHA384, CRYPT_SHA512 };
size_t crypt_hash_len(enum crypt_hash h);
bool crypt_hash(enum crypt_hash h, const struct iov *data, size_t ndata, uint8_t *out) CRYPT_MUST_CHECK;

/* --- PRF (RFC 7296 2.13) --- */
bool crypt_prf_supported(enum ike_prf prf);
size_t crypt_prf_len(enum ike_prf prf);		/* output octets; 0 if unsupported */
/* out = prf(key, data[0] | data[1] | ...); out has crypt_prf_len(prf) octets */
bool crypt_prf(enum ike_prf prf, const uint8_t *key, size_t keylen,
	       const struct iov *data, size_t ndata, uint8_t *out);
/* RFC 7296 2.13: prf+(K, S) = T1 | T2 | ..., Tn = prf(K, Tn-1 | S | n); out gets outlen octets
 * (at most 255 * prf length). */
bool crypt_prfplus(enum ike_prf prf, const uint8_t *key, size_t keylen,
		   const struct iov *seed, size_t nseed, uint8_t *out, size_t outlen);

/* --- integrity for non-AEAD SK payloads (RFC 7296 3.14) --- */
bool crypt_integ_supported(enum ike_integ integ);
size_t crypt_integ_keylen(enum ike_integ integ);
size_t crypt_integ_icvlen(enum ike_integ integ);	/* truncated length */
bool crypt_integ(enum ike_integ integ, const uint8_t *key, size_t keylen,
		 const struct iov *data, size_t ndata, uint8_t *icv);

/* --- encryption for SK payloads --- */
struct crypt_encr_info {
	bool aead;		/* AES-GCM: no separate integrity transform */
	size_t keylen;		/* octets of SK_e, including the salt for AEAD (RFC 5282 7.1) */
	size_t saltlen;		/* AEAD salt: 4 for GCM */
	size_t ivlen;		/* explicit IV on the wire: 8 for GCM, 16 for CBC */
	size_t icvlen;		/* AEAD tag length: 16 for GCM_16 */
	size_t blocklen;	/* padding multiple: 16 for CBC, 1 for GCM (RFC 5282 3) */
};
/* keybits: the Key Length attribute (128/192/256); false if unsupported */
bool crypt_encr_info(enum ike_encr encr, unsigned keybits, struct crypt_encr_info *info);
/* AEAD (RFC 5282): key = key | salt; nonce = salt | iv; out = ciphertext (ptlen) | tag */
bool crypt_aead_encrypt(enum ike_encr encr, const uint8_t *key, size_t keylen,
			const uint8_t *iv, const uint8_t *aad, size_t aadlen,
			const uint8_t *pt, size_t ptlen, uint8_t *out);
/* false on authentication failure; out gets ctlen octets of plaintext */
bool crypt_aead_decrypt(enum ike_encr encr, const uint8_t *key, size_t keylen,
			const uint8_t *iv, const uint8_t *aad, size_t aadlen,
			const uint8_t *ct_and_tag, size_t len, uint8_t *out);
/* CBC (RFC 3602): len a multiple of the block size; in and out may alias */
bool crypt_cbc(enum ike_encr encr, bool encrypt, const uint8_t *key, size_t keylen,
	       const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out);

/* --- signatures (lib/libcrypt/sig.c) ---
 *
 * The schemes of RFC 7427 (AUTH method 14) and of the older methods: RSA PKCS#1 v1.5
 * with SHA-1 (RFC 7296 3.8, method 1) and ECDSA with r | s (RFC 4754, methods 9-11).
 * ECDSA signatures are DER Ecdsa-Sig-Values when ecdsa_der (RFC 7427 A.3), else the
 * fixed-length r | s (RFC 4754 7).  PSS uses MGF1 with the same hash and a salt as
 * long as the hash (RFC 7427 A.4.1). */
#define CRYPT_MAX_SIG_LEN 1024	/* RSA-8192 */
enum crypt_sig {
	CRYPT_SIG_RSA_PKCS1_SHA1,
	CRYPT_SIG_RSA_PKCS1_SHA256,
	CRYPT_SIG_RSA_PKCS1_SHA384,
	CRYPT_SIG_RSA_PKCS1_SHA512,
	CRYPT_SIG_RSA_PSS_SHA256,
	CRYPT_SIG_RSA_PSS_SHA384,
	CRYPT_SIG_RSA_PSS_SHA512,
	CRYPT_SIG_ECDSA_SHA256,
	CRYPT_SIG_ECDSA_SHA384,
	CRYPT_SIG_ECDSA_SHA512,
};
enum crypt_key_kind { CRYPT_KEY_OTHER, CRYPT_KEY_RSA, CRYPT_KEY_EC_P256, CRYPT_KEY_EC_P384,
		      CRYPT_KEY_EC_P521 };
struct crypt_pubkey;
struct crypt_privkey;
/* the subject public key of a DER X.509 certificate; NULL if it does not decode */
struct crypt_pubkey *crypt_pubkey_from_cert(const uint8_t *der, size_t len);
enum crypt_key_kind crypt_pubkey_kind(const struct crypt_pubkey *k);
size_t crypt_pubkey_bits(const struct crypt_pubkey *k);
void crypt_pubkey_free(struct crypt_pubkey *k);
/* our key: the private key of the certificate with this nickname in the NSS
 * database (cert_der, if not NULL, gets the certificate) */
struct crypt_privkey *crypt_privkey_from_nss(const char *nickname, struct chunk *cert_der);
/* a fresh session key pair (tests; RSA is 2048 bits) */
struct crypt_privkey *crypt_privkey_generate(enum crypt_key_kind kind);
struct crypt_pubkey *crypt_privkey_public(const struct crypt_privkey *k);
enum crypt_key_kind crypt_privkey_kind(const struct crypt_privkey *k);
/* another reference to the same key, freed on its own (a crypto helper's job owns
 * one, so that the connection may go while the job signs) */
struct crypt_privkey *crypt_privkey_dup(const struct crypt_privkey *k);
void crypt_privkey_free(struct crypt_privkey *k);
bool crypt_sign(enum crypt_sig s, const struct crypt_privkey *k, const uint8_t *data, size_t len,
		bool ecdsa_der, struct chunk *sig) CRYPT_MUST_CHECK;
/* false for a bad signature, a key of the wrong kind, or an unusable encoding */
bool crypt_verify(enum crypt_sig s, const struct crypt_pubkey *k, const uint8_t *data, size_t len,
		  const uint8_t *sig, size_t siglen, bool ecdsa_der);

/* --- certificates (lib/libcrypt/cert.c) --- */
#define CRYPT_MAX_CERT_LEN 16384	/* octets of one DER certificate we look at */
#define CRYPT_MAX_CHAIN 8		/* intermediates taken from one message */
#define CRYPT_MAX_ANCHORS 64		/* trust anchors named in one CERTREQ */
enum crypt_cert_result {
	CRYPT_CERT_OK,
	CRYPT_CERT_BAD_ENCODING,
	CRYPT_CERT_UNTRUSTED,		/* no path to a trust anchor of the database */
	CRYPT_CERT_EXPIRED,		/* outside its (or an issuer's) validity */
	CRYPT_CERT_REVOKED,		/* by a CRL in the database */
	CRYPT_CERT_BAD_USAGE,		/* key usage, EKU or CA constraints */
	CRYPT_CERT_BAD_SIGNATURE,
	CRYPT_CERT_FAILED,
};
const char *crypt_cert_result_name(enum crypt_cert_result r);
/* The end-entity certificate ee (DER) with the intermediates the peer sent, verified
 * for IPsec use against the database's trust anchors at at_unix (0: now); why gets
 * a sentence with NSS's error name. */
enum crypt_cert_result crypt_cert_verify(const struct chunk *ee, const struct chunk *inter, size_t ninter,
					 uint64_t at_unix, char *why, size_t whylen);
/* RFC 7296 3.7: SHA-1 of a certificate's SubjectPublicKeyInfo */
bool crypt_cert_spki_sha1(const uint8_t *der, size_t len, uint8_t out[20]);
/* the trust anchors (CA certificates trusted to issue) of the database, as such hashes */
size_t crypt_trust_anchor_hashes(uint8_t (*out)[20], size_t max);
bool crypt_cert_is_anchor_hash(const uint8_t *hash);
/* RFC 4945 3.1: whether a subjectAltName of the certificate is this IKE identity
 * (ID_FQDN, ID_RFC822_ADDR, ID_IPV4_ADDR, ID_IPV6_ADDR) */
bool crypt_cert_matches_id(const uint8_t *der, size_t len, uint8_t id_type, const uint8_t *data,
			   size_t dlen);
/* the subject / issuer Name of a certificate, DER */
bool crypt_cert_subject(const uint8_t *der, size_t len, struct chunk *dn);
bool crypt_cert_issuer(const uint8_t *der, size_t len, struct chunk *dn);
/* sendca= (Libreswan's rule): the CA certificates of the database to send after the
 * certificate der, never a root (self-signed): with all false its issuer, with all
 * true every CA of its chain; DER copies into out[max], returns how many (0 when the
 * issuer is a root or not in the database).  chunk_free() each. */
size_t crypt_cert_ca_chain(const uint8_t *der, size_t len, bool all, struct chunk *out, size_t max);

/* --- key exchange (Diffie-Hellman groups and, later, KEMs) ---
 *
 * Uniform for DH and KEMs: the initiator calls ke_initiate() and sends ke_public();
 * the responder calls ke_respond() with the initiator's data, sends its own
 * ke_public() and has the shared secret; the initiator then calls ke_finish() with
 * the responder's data.  For DH groups both public values have the same length.
 */
enum ke_result {
	KE_OK = 0,
	KE_UNSUPPORTED,		/* method not implemented */
	KE_BAD_LENGTH,		/* peer data has the wrong length for the method */
	KE_BAD_VALUE,		/* peer data fails validation (point not on curve, ...) */
	KE_FAILED,		/* internal failure */
};
const char *ke_result_name(enum ke_result r);

struct ke;
bool ke_supported(enum ike_ke_method method);
/* length of the KE data each side sends; 0 if unsupported */
size_t ke_public_len(enum ike_ke_method method, bool initiator);
enum ke_result ke_initiate(enum ike_ke_method method, struct ke **out) CRYPT_MUST_CHECK;
enum ke_result ke_respond(enum ike_ke_method method, const uint8_t *peer, size_t len,
			  struct ke **out, struct chunk *shared) CRYPT_MUST_CHECK;
enum ke_result ke_finish(struct ke *ke, const uint8_t *peer, size_t len, struct chunk *shared) CRYPT_MUST_CHECK;
const uint8_t *ke_public(const struct ke *ke, size_t *len);
enum ike_ke_method ke_method(const struct ke *ke);
void ke_free(struct ke *ke);	/* wipes private values; NULL is fine */

#endif
