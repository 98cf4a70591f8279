/* crypt.h -- lib/libcrypt: the only code that calls NSS.
 *
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

/* NSS_NoDB_Init when nssdir is NULL, else NSS_Init on "sql:<nssdir>".  Returns false
 * with a reason in err. Idempotent. */
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
