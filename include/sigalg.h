/* sigalg.h -- RFC 7427 signature schemes on the wire: the AlgorithmIdentifier of
 * each scheme, the AUTH data of method 14, the older methods (RFC 7296 3.8 RSA,
 * RFC 4754 ECDSA) and SIGNATURE_HASH_ALGORITHMS (RFC 7427 4). */
#ifndef SIGALG_H
#define SIGALG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "crypt.h"

#define SIGALG_MAX_ALGID 80	/* the longest AlgorithmIdentifier we send (PSS: 67) */
#define SIGALG_MAX_HASHES 8	/* hash algorithms kept from a peer's notify */

/* the DER AlgorithmIdentifier of a scheme (RFC 7427 A) */
const uint8_t *sigalg_der(enum crypt_sig s, size_t *len);
/* the scheme an AlgorithmIdentifier names; false if we do not know it */
bool sigalg_from_der(const uint8_t *der, size_t len, enum crypt_sig *out);
const char *sigalg_name(enum crypt_sig s);

/* RFC 7427 3: Authentication Data of method 14 =
 *   AlgorithmIdentifier length (1 octet) | AlgorithmIdentifier | signature */
bool sigalg_parse_auth(const uint8_t *data, size_t len, enum crypt_sig *s, const uint8_t **sig,
		       size_t *siglen);
/* writes the method 14 data into out; 0 if it does not fit */
size_t sigalg_put_auth(enum crypt_sig s, const uint8_t *sig, size_t siglen, uint8_t *out, size_t cap);

/* The scheme of an older AUTH method: RSA (1) is PKCS#1 v1.5 with SHA-1 (RFC 7296
 * 3.8); ECDSA 9/10/11 is P-256/384/521 with SHA-256/384/512 and r | s (RFC 4754). */
bool sigalg_for_method(uint8_t method, enum crypt_sig *s, enum crypt_key_kind *curve);
/* ... and the older method a key signs with (0: none) */
uint8_t sigalg_method_for_key(enum crypt_key_kind kind);

/* RFC 7427 4: the hash algorithm a scheme uses, as announced in the notify */
enum ike_hash_alg sigalg_hash(enum crypt_sig s);
/* the notify data we send: our hashes, 2 octets each; returns the length */
size_t sigalg_put_hashes(uint8_t *out, size_t cap);
/* RFC 7427 4: whether our notify announces this hash (a peer may only use those) */
bool sigalg_we_announce(enum ike_hash_alg h);
/* a peer's notify: the hashes it accepts (unknown values skipped); false if malformed */
bool sigalg_parse_hashes(const uint8_t *data, size_t len, uint16_t *hashes, unsigned *n);

/* Our scheme for a key: with method 14 (the peer announced hashes), the strongest
 * hash the peer accepts, RSASSA-PSS for RSA keys unless pkcs1 is asked for;
 * false if nothing fits. */
bool sigalg_choose(enum crypt_key_kind kind, bool pkcs1, const uint16_t *peer_hashes, unsigned n,
		   enum crypt_sig *out);

#endif
