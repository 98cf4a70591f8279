/* sk.c -- the Encrypted payload (RFC 7296 3.14) and Encrypted Fragment payload
 * (RFC 7383 2.5).
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Fragment Number        |        Total Fragments        |  (SKF only)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * ~                    Encrypted IKE Payloads                     ~
 * |               |             Padding (0-255 octets)            |
 * +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 * |                                               |  Pad Length   |
 * ~                    Integrity Checksum Data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
#include <string.h>
#include "sk.h"

#define SKF_EXTRA 4	/* Fragment Number + Total Fragments */

const char *sk_result_name(enum sk_result r)
{
	switch (r) {
	case SK_OK: return "ok";
	case SK_BAD_LENGTH: return "bad encrypted payload length";
	case SK_BAD_ICV: return "integrity check failed";
	case SK_BAD_PADDING: return "bad padding";
	}
	return "unknown";
}

bool sk_suite_init(struct sk_suite *s, enum ike_encr encr, unsigned keybits, enum ike_integ integ)
{
	memset(s, 0, sizeof(*s));
	s->encr = encr;
	s->keybits = keybits;
	s->integ = integ;
	if (!crypt_encr_info(encr, keybits, &s->info))
		return false;
	if (s->info.aead) {
		/* RFC 5282 8: an AEAD algorithm is never combined with an integrity transform */
		if (integ != IKE_INTEG_NONE)
			return false;
		s->icvlen = s->info.icvlen;
	} else {
		if (!crypt_integ_supported(integ))
			return false;
		s->icvlen = crypt_integ_icvlen(integ);
	}
	return true;
}

/* RFC 7296 3.14: padding makes IV-less ciphertext a multiple of the block size;
 * RFC 5282 3: with AEAD no alignment is needed, we pad nothing. */
static size_t sk_pad_len(const struct sk_suite *s, size_t plain_len)
{
	size_t bl = s->info.blocklen > 1 ? s->info.blocklen : 1;
	return (bl - (plain_len + 1) % bl) % bl;
}

size_t sk_overhead(const struct sk_suite *s, size_t plain_len, bool frag)
{
	return IKE_GENERIC_HDR_LEN + (frag ? SKF_EXTRA : 0) + s->info.ivlen +
	       sk_pad_len(s, plain_len) + 1 + s->icvlen;
}

bool sk_encrypt(const struct sk_suite *s, const struct chunk *ke, const struct chunk *ka,
		struct ike_buf *b, uint8_t inner_np, const uint8_t *plain, size_t plain_len,
		uint16_t frag_num, uint16_t frag_total)
{
	bool frag = frag_total != 0;
	size_t pad = sk_pad_len(s, plain_len);
	size_t ct_len = plain_len + pad + 1;
	size_t mark = codec_begin(b, frag ? IKE_PL_SKF : IKE_PL_SK, false);
	if (b->overflow)
		return false;
	/* RFC 7383 2.5: only fragment 1 carries the first inner payload type */
	b->data[mark] = (!frag || frag_num == 1) ? inner_np : 0;
	b->np_at = SIZE_MAX;	/* nothing may be chained after SK */
	if (frag) {
		uint8_t f[SKF_EXTRA];
		be_put16(f, frag_num);
		be_put16(f + 2, frag_total);
		codec_put_bytes(b, f, sizeof(f));
	}
	size_t aad_len = b->len;
	size_t iv_at = b->len;
	size_t total = b->len + s->info.ivlen + ct_len + s->icvlen;
	if (total > b->cap) {
		b->overflow = true;
		return false;
	}
	b->len = total;
	codec_end(b, mark);
	codec_finish_hdr(b);

	uint8_t *iv = b->data + iv_at;
	uint8_t *ct = iv + s->info.ivlen;
	if (!crypt_random(iv, s->info.ivlen))
		return false;
	/* plaintext | padding (zeros) | pad length, encrypted in place */
	if (plain_len > 0)
		memmove(ct, plain, plain_len);	/* plain may be NULL when empty */
	memset(ct + plain_len, 0, pad);
	ct[plain_len + pad] = (uint8_t)pad;
	if (s->info.aead) {
		/* RFC 5282 5.1: AAD = IKE header .. end of the Encrypted payload header */
		return crypt_aead_encrypt(s->encr, ke->ptr, ke->len, iv, b->data, aad_len,
					  ct, ct_len, ct);
	}
	if (!crypt_cbc(s->encr, true, ke->ptr, ke->len, iv, ct, ct_len, ct))
		return false;
	/* RFC 7296 3.14: the checksum covers the message from the IKE header to the
	 * end of the ciphertext */
	struct iov in = { b->data, (size_t)(ct + ct_len - b->data) };
	return crypt_integ(s->integ, ka->ptr, ka->len, &in, 1, ct + ct_len);
}

enum sk_result sk_decrypt(const struct sk_suite *s, const struct chunk *ke, const struct chunk *ka,
			  const uint8_t *msg, size_t msg_len, const struct ike_pl *pl,
			  uint8_t *out, const uint8_t **plain, size_t *plain_len)
{
	size_t extra = pl->type == IKE_PL_SKF ? SKF_EXTRA : 0;
	if (pl->len < extra + s->info.ivlen + 1 + s->icvlen)
		return SK_BAD_LENGTH;
	const uint8_t *iv = pl->body + extra;
	const uint8_t *ct = iv + s->info.ivlen;
	size_t ct_len = pl->len - extra - s->info.ivlen - s->icvlen;
	size_t aad_len = (size_t)(iv - msg);
	if (aad_len > msg_len)
		return SK_BAD_LENGTH;
	if (s->info.aead) {
		if (!crypt_aead_decrypt(s->encr, ke->ptr, ke->len, iv, msg, aad_len,
					ct, ct_len + s->icvlen, out))
			return SK_BAD_ICV;
	} else {
		uint8_t icv[CRYPT_MAX_ICV_LEN];
		struct iov in = { msg, (size_t)(ct + ct_len - msg) };
		if (ct_len % s->info.blocklen != 0)
			return SK_BAD_LENGTH;
		if (!crypt_integ(s->integ, ka->ptr, ka->len, &in, 1, icv) ||
		    !chunk_memeq(icv, ct + ct_len, s->icvlen))
			return SK_BAD_ICV;
		if (!crypt_cbc(s->encr, false, ke->ptr, ke->len, iv, ct, ct_len, out))
			return SK_BAD_ICV;
	}
	size_t pad = out[ct_len - 1];
	if (pad + 1 > ct_len)
		return SK_BAD_PADDING;
	*plain = out;
	*plain_len = ct_len - pad - 1;
	return SK_OK;
}
