/* transcript.h -- RFC 9242 section 3 IntAuth accumulator; the one place for IntAuth octets. */
#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chunk.h"
#include "crypt.h"
#include "sk_record.h"

struct transcript {
	enum ike_prf prf;
	size_t len;				/* PRF output length, once a round ran */
	unsigned rounds_i, rounds_r;		/* IKE_INTERMEDIATE requests / responses added */
	uint8_t intauth_i[CRYPT_MAX_PRF_LEN];	/* IntAuth_iN */
	uint8_t intauth_r[CRYPT_MAX_PRF_LEN];	/* IntAuth_rN */
};

/* Bound on the unencrypted payloads before SK (RFC 7296 3.14; normally none): A is built
 * in a stack buffer of TRANSCRIPT_MAX_A_LEN octets; larger records are refused. */
#define TRANSCRIPT_MAX_UNENC_LEN 512
#define TRANSCRIPT_MAX_A_LEN (IKE_HDR_LEN + TRANSCRIPT_MAX_UNENC_LEN + IKE_GENERIC_HDR_LEN)

void transcript_init(struct transcript *t, enum ike_prf prf);
/* Builds A (RFC 9242 3.1: the header and SK header as if sent unfragmented: header
 * Next Payload = SK (or the first unencrypted payload), Length = len(A) + len(P), SK
 * payload length = len(P) + 4).  Returns len(A), or 0 if cap is too small. */
size_t transcript_build_a(const struct sk_record *rec, uint8_t *out, size_t cap);
/* Folds one IKE_INTERMEDIATE message into the chain:
 *   IntAuth_x1 = prf(SK_px, A | P),  IntAuth_xn = prf(SK_px, IntAuth_x(n-1) | A | P)
 * from_initiator selects the chain (requests: IntAuth_i, SK_pi; responses: IntAuth_r, SK_pr).
 * sk_p is the key that protected this message (before any RFC 9370 update it causes). */
bool transcript_add(struct transcript *t, bool from_initiator, const struct chunk *sk_p,
		    const struct sk_record *rec);
/* RFC 9242 3.3.2: IntAuth = IntAuth_iN | IntAuth_rN | IKE_AUTH Message ID (4 octets).
 * Returns its length, 0 when no IKE_INTERMEDIATE exchange ran (nothing is appended). */
size_t transcript_intauth(const struct transcript *t, uint32_t auth_msgid, uint8_t *out, size_t cap);

#endif
