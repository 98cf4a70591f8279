/* sk.h -- protection of the Encrypted payload (RFC 7296 3.14) and the Encrypted
 * Fragment payload (RFC 7383 2.5), AEAD per RFC 5282.  Pure: keys in, octets out. */
#ifndef SK_H
#define SK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chunk.h"
#include "crypt.h"
#include "ike_codec.h"

struct sk_suite {
	enum ike_encr encr;
	unsigned keybits;
	enum ike_integ integ;		/* IKE_INTEG_NONE with AEAD */
	struct crypt_encr_info info;	/* filled by sk_suite_init */
	size_t icvlen;			/* ICV octets on the wire (AEAD tag or integ ICV) */
};

/* false if the combination is unsupported */
bool sk_suite_init(struct sk_suite *s, enum ike_encr encr, unsigned keybits, enum ike_integ integ);
/* Octets an SK (or SKF when frag) payload adds around len octets of plaintext. */
size_t sk_overhead(const struct sk_suite *s, size_t plain_len, bool frag);

/* Appends an SK payload (frag_total == 0) or an SKF payload (Fragment Number frag_num
 * of frag_total) carrying plain, whose first inner payload is inner_np, to b, which
 * must already hold the IKE header and any unencrypted payloads; then sets the
 * header Length and protects it.  ke/ka are the sender's SK_e / SK_a (ka unused with
 * AEAD).  RFC 7383 2.5: the Next Payload of fragment 1 is inner_np, of others 0. */
bool sk_encrypt(const struct sk_suite *s, const struct chunk *ke, const struct chunk *ka,
		struct ike_buf *b, uint8_t inner_np, const uint8_t *plain, size_t plain_len,
		uint16_t frag_num, uint16_t frag_total);

enum sk_result {
	SK_OK = 0,
	SK_BAD_LENGTH,		/* too short for IV + ICV, or misaligned ciphertext */
	SK_BAD_ICV,		/* integrity check failed: drop silently (RFC 7296 2.21.2) */
	SK_BAD_PADDING,		/* pad length overruns the plaintext */
};
const char *sk_result_name(enum sk_result r);

/* Verifies and decrypts the SK or SKF payload pl of the whole datagram msg (IKE
 * header first, no non-ESP marker).  On SK_OK, *plain points into out (capacity at
 * least pl->len) and *plain_len excludes padding and pad length. */
enum sk_result sk_decrypt(const struct sk_suite *s, const struct chunk *ke, const struct chunk *ka,
			  const uint8_t *msg, size_t msg_len, const struct ike_pl *pl,
			  uint8_t *out, const uint8_t **plain, size_t *plain_len);

#endif
