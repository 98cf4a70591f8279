/* authdata.c -- the octets that AUTH covers (RFC 7296 2.15, RFC 9242 3.3.2) and the
 * shared-key AUTH value.  The one place for AUTH octets (principle 2, docs/architecture.md). */
#include <stdint.h>
#include <string.h>
#include "authdata.h"

/* RFC 7296 2.15: the 17 ASCII octets "Key Pad for IKEv2", without a terminating NUL */
static const uint8_t key_pad[] = {
	'K', 'e', 'y', ' ', 'P', 'a', 'd', ' ', 'f', 'o', 'r', ' ', 'I', 'K', 'E', 'v', '2',
};
_Static_assert(sizeof(key_pad) == 17, "RFC 7296 2.15 key pad is 17 octets");

static bool bytes_ok(const void *p, size_t len)
{
	return len == 0 || p != NULL;
}

/* RFC 7296 2.15: MACedIDForI = prf(SK_pi, RestOfInitIDPayload), likewise for R with
 * SK_pr.  IDx' is the ID payload without its generic header (ID Type, RESERVED, data).
 * RFC 9242 3.3.2: SK_p is the one in force after the last IKE_INTERMEDIATE round. */
bool authdata_maced_id(enum ike_prf prf, const struct chunk *sk_p,
		       const uint8_t *id_body, size_t id_len, uint8_t *out)
{
	if (sk_p == NULL || !bytes_ok(sk_p->ptr, sk_p->len) || !bytes_ok(id_body, id_len) ||
	    out == NULL || crypt_prf_len(prf) == 0)
		return false;
	struct iov id = { id_body, id_len };
	return crypt_prf(prf, sk_p->ptr, sk_p->len, &id, 1, out);
}

/* RFC 7296 2.15 with RFC 9242 3.3.2:
 *   InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI | IntAuth
 *   ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR | IntAuth
 * IntAuth is empty when no IKE_INTERMEDIATE exchange ran.  Returns CHUNK_EMPTY on
 * bad arguments; the caller frees the result with chunk_free(). */
struct chunk authdata_signed_octets(const uint8_t *real_msg, size_t real_len,
				    const struct chunk *peer_nonce,
				    const uint8_t *maced_id, size_t maced_len,
				    const uint8_t *intauth, size_t intauth_len)
{
	if (real_msg == NULL || real_len == 0 || peer_nonce == NULL ||
	    !bytes_ok(peer_nonce->ptr, peer_nonce->len) || maced_id == NULL ||
	    maced_len == 0 || !bytes_ok(intauth, intauth_len))
		return CHUNK_EMPTY;
	const struct iov parts[] = {
		{ real_msg, real_len },
		{ peer_nonce->ptr, peer_nonce->len },
		{ maced_id, maced_len },
		{ intauth, intauth_len },
	};
	size_t total = 0;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (parts[i].len > SIZE_MAX - total)
			return CHUNK_EMPTY;
		total += parts[i].len;
	}
	struct chunk so = chunk_alloc(total);
	size_t off = 0;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (parts[i].len > 0)
			memcpy(so.ptr + off, parts[i].p, parts[i].len);
		off += parts[i].len;
	}
	return so;
}

/* RFC 7296 2.15:
 *   AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 * out gets crypt_prf_len(prf) octets. */
bool authdata_psk(enum ike_prf prf, const uint8_t *psk, size_t psk_len,
		  const struct chunk *signed_octets, uint8_t *out)
{
	size_t len = crypt_prf_len(prf);
	if (len == 0 || len > CRYPT_MAX_PRF_LEN || !bytes_ok(psk, psk_len) ||
	    signed_octets == NULL || !bytes_ok(signed_octets->ptr, signed_octets->len) ||
	    out == NULL)
		return false;
	uint8_t padded[CRYPT_MAX_PRF_LEN];	/* secret: as good as the PSK itself */
	struct iov pad = { key_pad, sizeof(key_pad) };
	struct iov so = { signed_octets->ptr, signed_octets->len };
	bool ok = crypt_prf(prf, psk, psk_len, &pad, 1, padded) &&
		  crypt_prf(prf, padded, len, &so, 1, out);
	chunk_wipe(padded, sizeof(padded));
	return ok;
}
