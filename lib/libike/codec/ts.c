/* ts.c -- Traffic Selector payloads TSi / TSr (RFC 7296 3.13).
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Number of TSs |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                       <Traffic Selectors>                     ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
#include <string.h>
#include "ike_codec.h"

#define TS_PL_FIXED_LEN 4
#define TS_HDR_LEN      8	/* type, protocol, length, ports */
/* RFC 7296 3.13.1: selector lengths of the two address-range types */
#define TS_IPV4_LEN     16
#define TS_IPV6_LEN     40

/* Address length of a TS type, 0 when the type is not one we decode. */
static size_t ts_addr_len(uint8_t type)
{
	switch (type) {
	case IKE_TS_IPV4_ADDR_RANGE: return 4;
	case IKE_TS_IPV6_ADDR_RANGE: return 16;
	default: return 0;
	}
}

/* RFC 7296 3.13.1, one traffic selector:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   TS Type     |IP Protocol ID*|       Selector Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Start Port*         |           End Port*           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                         Starting Address*                     ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                         Ending Address*                       ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Decodes the selector at p (at most len octets), returning its length in *used.
 */
static enum codec_result decode_one(const uint8_t *p, size_t len, struct ike_ts *ts, size_t *used)
{
	if (len < TS_HDR_LEN)
		return CODEC_BAD_LENGTH;
	uint16_t slen = be_get16(p + 2);
	size_t alen = ts_addr_len(p[0]);
	/* only the two address-range types are decoded; others are refused */
	if (alen == 0)
		return CODEC_BAD_VALUE;
	if (slen != TS_HDR_LEN + 2 * alen || slen > len)
		return CODEC_BAD_LENGTH;
	memset(ts, 0, sizeof(*ts));
	ts->type = p[0];
	ts->ipproto = p[1];
	ts->sport = be_get16(p + 4);
	ts->eport = be_get16(p + 6);
	memcpy(ts->saddr, p + TS_HDR_LEN, alen);
	memcpy(ts->eaddr, p + TS_HDR_LEN + alen, alen);
	*used = slen;
	return CODEC_OK;
}

enum codec_result codec_decode_ts(const struct ike_pl *pl, struct ike_ts_pl *out)
{
	if (pl == NULL)
		return CODEC_TRUNCATED;
	out->n = 0;
	if (pl->len < TS_PL_FIXED_LEN)
		return CODEC_BAD_LENGTH;
	uint8_t n = pl->body[0];
	if (n > IKE_MAX_TS)
		return CODEC_TOO_MANY;
	size_t off = TS_PL_FIXED_LEN;
	for (unsigned i = 0; i < n; i++) {
		size_t used = 0;
		enum codec_result r = decode_one(pl->body + off, pl->len - off, &out->ts[i], &used);
		if (r != CODEC_OK)
			return r;
		off += used;
	}
	/* the payload holds exactly Number of TSs selectors */
	if (off != pl->len)
		return CODEC_BAD_LENGTH;
	out->n = n;
	return CODEC_OK;
}

/* An unknown selector type or too many selectors cannot be encoded: the buffer is
 * marked overflowed so that the builder fails closed. */
void codec_put_ts(struct ike_buf *b, uint8_t pltype, const struct ike_ts_pl *ts)
{
	size_t mark = codec_begin(b, pltype, false);
	uint8_t h[TS_PL_FIXED_LEN] = { ts->n, 0, 0, 0 };

	if (ts->n > IKE_MAX_TS)
		b->overflow = true;
	codec_put_bytes(b, h, sizeof(h));
	for (unsigned i = 0; i < ts->n && !b->overflow; i++) {
		const struct ike_ts *t = &ts->ts[i];
		size_t alen = ts_addr_len(t->type);
		if (alen == 0) {
			b->overflow = true;
			break;
		}
		uint8_t s[TS_HDR_LEN] = { t->type, t->ipproto };
		be_put16(s + 2, (uint16_t)(TS_HDR_LEN + 2 * alen));
		be_put16(s + 4, t->sport);
		be_put16(s + 6, t->eport);
		codec_put_bytes(b, s, sizeof(s));
		codec_put_bytes(b, t->saddr, alen);
		codec_put_bytes(b, t->eaddr, alen);
	}
	codec_end(b, mark);
}
