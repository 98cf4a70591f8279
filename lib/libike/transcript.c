/* transcript.c -- RFC 9242 section 3.3: the IntAuth chain over IKE_INTERMEDIATE messages.
 *
 * The one place where IntAuth octets are computed (principle 2, docs/architecture.md).  Every
 * IKE_INTERMEDIATE message, sent or received, fragmented or not, arrives here as one
 * struct sk_record and takes the same path.
 */
#include <limits.h>
#include <string.h>
#include "be.h"
#include "transcript.h"

/* RFC 7296 3.1: offsets inside the 28-octet IKE header */
#define HDR_NEXT_PAYLOAD_OFF 16
#define HDR_LENGTH_OFF       24
/* RFC 7296 3.2: offsets inside a generic payload header */
#define GEN_NEXT_PAYLOAD_OFF 0
#define GEN_LENGTH_OFF       2
/* RFC 9242 3.3.2: IntAuth ends with the IKE_AUTH Message ID, 4 octets */
#define MSGID_LEN 4

/* RFC 9242 3.3.2: A is built as if the message had been sent unfragmented, so an
 * Encrypted Fragment payload (RFC 7383 2.5) is named as the Encrypted payload. */
static uint8_t unfragmented_np(uint8_t np)
{
	return np == IKE_PL_SKF ? IKE_PL_SK : np;
}

/* Offset of the last payload's generic header in the unencrypted chain, or -1 when
 * the chain is malformed (a payload shorter than its header, or not ending exactly at
 * unenc_len).  Bounds are checked before any length is believed. */
static long last_unenc_payload(const uint8_t *unenc, size_t unenc_len)
{
	size_t off = 0;
	for (;;) {
		if (unenc_len - off < IKE_GENERIC_HDR_LEN)
			return -1;
		size_t plen = be_get16(unenc + off + GEN_LENGTH_OFF);
		if (plen < IKE_GENERIC_HDR_LEN || plen > unenc_len - off)
			return -1;
		if (off + plen == unenc_len)
			return (long)off;
		off += plen;
	}
}

size_t transcript_build_a(const struct sk_record *rec, uint8_t *out, size_t cap)
{
	if (rec == NULL || out == NULL || rec->unenc_len > TRANSCRIPT_MAX_UNENC_LEN ||
	    (rec->unenc_len > 0 && rec->unenc == NULL) ||
	    (rec->plain_len > 0 && rec->plain == NULL))
		return 0;
	size_t a_len = IKE_HDR_LEN + rec->unenc_len + IKE_GENERIC_HDR_LEN;
	/* RFC 7296 3.2 / 3.1: both rewritten length fields must be representable */
	if (cap < a_len || rec->plain_len > UINT16_MAX - IKE_GENERIC_HDR_LEN ||
	    rec->plain_len > UINT32_MAX - a_len)
		return 0;

	/* IKE header: Next Payload is SK, or the first unencrypted payload's type */
	memcpy(out, rec->hdr, IKE_HDR_LEN);
	if (rec->unenc_len == 0) {
		out[HDR_NEXT_PAYLOAD_OFF] = IKE_PL_SK;
	} else {
		long last = last_unenc_payload(rec->unenc, rec->unenc_len);
		if (last < 0)
			return 0;
		out[HDR_NEXT_PAYLOAD_OFF] = unfragmented_np(rec->hdr[HDR_NEXT_PAYLOAD_OFF]);
		memcpy(out + IKE_HDR_LEN, rec->unenc, rec->unenc_len);
		uint8_t *np = out + IKE_HDR_LEN + last + GEN_NEXT_PAYLOAD_OFF;
		*np = unfragmented_np(*np);
	}
	/* RFC 9242 3.3.2: IKE header Length = len(A) + len(P) */
	be_put32(out + HDR_LENGTH_OFF, (uint32_t)(a_len + rec->plain_len));

	/* Encrypted payload generic header (RFC 7296 3.14): Next Payload is the first
	 * inner payload (from fragment 1 when fragmented), C bit and RESERVED zero,
	 * Payload Length = len(P) + 4 (RFC 9242 3.3.2: no IV, padding or ICV) */
	uint8_t *sk = out + IKE_HDR_LEN + rec->unenc_len;
	sk[GEN_NEXT_PAYLOAD_OFF] = rec->inner_np;
	sk[1] = 0;
	be_put16(sk + GEN_LENGTH_OFF, (uint16_t)(rec->plain_len + IKE_GENERIC_HDR_LEN));
	return a_len;
}

void transcript_init(struct transcript *t, enum ike_prf prf)
{
	memset(t, 0, sizeof(*t));
	t->prf = prf;
}

/* RFC 9242 3.3.2:
 *   IntAuth_i1 = prf(SK_pi1, IntAuth_i1_A | IntAuth_i1_P)
 *   IntAuth_in = prf(SK_pin, IntAuth_i(n-1) | IntAuth_in_A | IntAuth_in_P), n > 1
 * and the same for the responder's messages with SK_pr and IntAuth_r. */
bool transcript_add(struct transcript *t, bool from_initiator, const struct chunk *sk_p,
		    const struct sk_record *rec)
{
	size_t len = crypt_prf_len(t->prf);
	if (len == 0 || len > CRYPT_MAX_PRF_LEN || sk_p == NULL ||
	    (sk_p->len > 0 && sk_p->ptr == NULL))
		return false;
	unsigned *rounds = from_initiator ? &t->rounds_i : &t->rounds_r;
	uint8_t *chain = from_initiator ? t->intauth_i : t->intauth_r;
	if (*rounds == UINT_MAX)
		return false;

	uint8_t a[TRANSCRIPT_MAX_A_LEN];
	size_t a_len = transcript_build_a(rec, a, sizeof(a));
	if (a_len == 0)
		return false;

	struct iov data[3];
	size_t n = 0;
	if (*rounds > 0)
		data[n++] = (struct iov){ chain, len };
	data[n++] = (struct iov){ a, a_len };
	data[n++] = (struct iov){ rec->plain, rec->plain_len };

	uint8_t next[CRYPT_MAX_PRF_LEN];
	bool ok = crypt_prf(t->prf, sk_p->ptr, sk_p->len, data, n, next);
	if (ok) {
		memcpy(chain, next, len);
		t->len = len;
		(*rounds)++;
	}
	chunk_wipe(next, sizeof(next));
	return ok;
}

/* RFC 9242 3.3.2: IntAuth = IntAuth_iN | IntAuth_rN | IKE_AUTH_MID, where IKE_AUTH_MID
 * is the Message ID of the IKE_AUTH request (4 octets, network order).  Nothing at all
 * when no IKE_INTERMEDIATE exchange took place. */
size_t transcript_intauth(const struct transcript *t, uint32_t auth_msgid, uint8_t *out, size_t cap)
{
	/* every request has its response before IKE_AUTH: a mismatch is a caller bug */
	if (t->rounds_i == 0 || t->rounds_i != t->rounds_r || t->len == 0)
		return 0;
	size_t total = 2 * t->len + MSGID_LEN;
	if (out == NULL || cap < total)
		return 0;
	memcpy(out, t->intauth_i, t->len);
	memcpy(out + t->len, t->intauth_r, t->len);
	be_put32(out + 2 * t->len, auth_msgid);
	return total;
}
