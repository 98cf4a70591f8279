/* chain.c -- walk a chain of payloads (RFC 7296 3.2) and look payloads up.
 *
 * Every payload starts with the generic payload header:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Payload Length includes the generic header, so it is at least 4; that alone
 * guarantees that the walk advances and ends.
 */
#include <stdio.h>
#include "ike_codec.h"

/* RFC 7296 3.2 payload types 33..48; RFC 7383 2.5 SKF 53 */
static bool payload_known(uint8_t type)
{
	return (type >= IKE_PL_SA && type <= IKE_PL_EAP) || type == IKE_PL_SKF;
}

/* RFC 7296 3.14 and RFC 7383 2.5: the Encrypted (Fragment) payload is last; its Next
 * Payload names the first inner payload, not a following outer one. */
static bool payload_is_sk(uint8_t type)
{
	return type == IKE_PL_SK || type == IKE_PL_SKF;
}

static void record(struct ike_chain *out, uint8_t type, const uint8_t *hdr, uint16_t plen)
{
	struct ike_pl *pl = &out->pl[out->n++];
	pl->type = type;
	pl->np = hdr[0];
	/* RFC 7296 3.2: for a payload we understand, the critical bit is ignored;
	 * it is only recorded */
	pl->critical = (hdr[1] & IKE_PAYLOAD_CRITICAL) != 0;
	pl->hdr = hdr;
	pl->body = hdr + IKE_GENERIC_HDR_LEN;
	pl->len = plen - IKE_GENERIC_HDR_LEN;
}

enum codec_result codec_decode_chain(uint8_t first_np, const uint8_t *p, size_t len,
				     struct ike_chain *out, uint8_t *bad_type)
{
	uint8_t np = first_np;
	size_t off = 0;

	out->n = 0;
	if (p == NULL && len != 0)
		return CODEC_TRUNCATED;
	while (np != IKE_PL_NONE) {
		if (len - off < IKE_GENERIC_HDR_LEN)
			return CODEC_TRUNCATED;
		const uint8_t *hdr = p + off;
		uint16_t plen = be_get16(hdr + 2);
		if (plen < IKE_GENERIC_HDR_LEN || plen > len - off)
			return CODEC_BAD_LENGTH;
		uint8_t type = np;
		np = hdr[0];
		off += plen;
		if (!payload_known(type)) {
			/* RFC 7296 2.5: an unknown critical payload rejects the whole
			 * message (UNSUPPORTED_CRITICAL_PAYLOAD); RFC 7296 3.2: an
			 * unknown non-critical payload MUST be skipped */
			if (hdr[1] & IKE_PAYLOAD_CRITICAL) {
				if (bad_type != NULL)
					*bad_type = type;
				return CODEC_UNSUPPORTED_CRITICAL;
			}
			continue;
		}
		if (out->n >= IKE_MAX_PAYLOADS)
			return CODEC_TOO_MANY;
		record(out, type, hdr, plen);
		if (payload_is_sk(type))
			return off == len ? CODEC_OK : CODEC_SK_NOT_LAST;
	}
	/* the chain ended: nothing may follow it */
	return off == len ? CODEC_OK : CODEC_BAD_LENGTH;
}

const struct ike_pl *codec_find(const struct ike_chain *c, uint8_t type)
{
	for (unsigned i = 0; i < c->n && i < IKE_MAX_PAYLOADS; i++)
		if (c->pl[i].type == type)
			return &c->pl[i];
	return NULL;
}

unsigned codec_count(const struct ike_chain *c, uint8_t type)
{
	unsigned n = 0;
	for (unsigned i = 0; i < c->n && i < IKE_MAX_PAYLOADS; i++)
		if (c->pl[i].type == type)
			n++;
	return n;
}

bool codec_next_notify(const struct ike_chain *c, unsigned *cursor, struct ike_notify_pl *out)
{
	for (; *cursor < c->n && *cursor < IKE_MAX_PAYLOADS; (*cursor)++) {
		const struct ike_pl *pl = &c->pl[*cursor];
		if (pl->type == IKE_PL_NOTIFY && codec_decode_notify(pl, out) == CODEC_OK) {
			(*cursor)++;
			return true;
		}
	}
	return false;
}

const struct ike_pl *codec_find_notify(const struct ike_chain *c, uint16_t ntype)
{
	struct ike_notify_pl n;
	for (unsigned i = 0; codec_next_notify(c, &i, &n);)
		if (n.type == ntype)
			return &c->pl[i - 1];
	return NULL;
}

uint16_t codec_first_error_notify(const struct ike_chain *c)
{
	struct ike_notify_pl n;
	for (unsigned i = 0; codec_next_notify(c, &i, &n);)
		if (n.type <= IKE_N_ERROR_MAX)
			return n.type;
	return 0;
}

/* "SA,KE,Nonce,N(NAT_DETECTION_SOURCE_IP)": the payload types in RFC 7296 3.2
 * notation, notifies with their type; "(none)" for an empty chain */
const char *codec_chain_str(const struct ike_chain *c, char *buf, size_t len)
{
	size_t n = 0;
	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < c->n && n < len; i++) {
		const struct ike_pl *pl = &c->pl[i];
		struct ike_notify_pl note;
		int k;
		if (pl->type == IKE_PL_NOTIFY && codec_decode_notify(pl, &note) == CODEC_OK)
			k = snprintf(buf + n, len - n, "%sN(%s)", i ? "," : "", ike_notify_name(note.type));
		else
			k = snprintf(buf + n, len - n, "%s%s", i ? "," : "", ike_payload_name(pl->type));
		if (k < 0)
			break;
		n += (size_t)k;
	}
	if (c->n == 0)
		snprintf(buf, len, "(none)");
	return buf;
}
