/* sa.c -- Security Association payload (RFC 7296 3.3).
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                          <Proposals>                          ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
#include <string.h>
#include "ike_codec.h"

/* RFC 7296 3.3.1: Last Substruc of a proposal: 0 last, 2 more follow */
#define SUBSTRUC_LAST       0
#define SUBSTRUC_PROPOSAL   2
/* RFC 7296 3.3.2: Last Substruc of a transform: 0 last, 3 more follow */
#define SUBSTRUC_TRANSFORM  3
#define PROPOSAL_HDR_LEN    8
#define TRANSFORM_HDR_LEN   8
#define ATTR_HDR_LEN        4

/* RFC 7296 3.3.1 / 3.3.2: proposals and transforms both start with Last Substruc (0 for
 * the last, `more` when another follows), RESERVED and a 16-bit length that covers the
 * item.  Checks the header of the item at p[off..len) and returns both fields. */
static enum codec_result substruc_header(const uint8_t *p, size_t len, size_t off,
					 size_t hdr_len, uint8_t more, uint8_t *last,
					 uint16_t *item_len)
{
	if (len - off < hdr_len)
		return CODEC_BAD_LENGTH;
	*item_len = be_get16(p + off + 2);
	*last = p[off];
	if (*last != SUBSTRUC_LAST && *last != more)
		return CODEC_BAD_VALUE;
	if (*item_len < hdr_len || *item_len > len - off)
		return CODEC_BAD_LENGTH;
	return CODEC_OK;
}

/* RFC 7296 3.3.5, transform attributes:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |A|       Attribute Type        |    AF=0  Attribute Length     |
 * |F|                             |    AF=1  Attribute Value      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   AF=0  Attribute Value                       |
 * |                   AF=1  Not Transmitted                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static enum codec_result decode_attrs(const uint8_t *p, size_t len, struct ike_transform *t)
{
	size_t off = 0;
	while (off < len) {
		if (len - off < ATTR_HDR_LEN)
			return CODEC_BAD_LENGTH;
		uint16_t word = be_get16(p + off);
		uint16_t type = word & ~IKE_ATTR_TV_BIT;
		uint16_t val = be_get16(p + off + 2);
		bool tv = (word & IKE_ATTR_TV_BIT) != 0;
		off += ATTR_HDR_LEN;
		if (!tv) {
			/* TLV: val is the Attribute Length */
			if (val > len - off)
				return CODEC_BAD_LENGTH;
			off += val;
		}
		/* RFC 7296 3.3.5: Key Length is the only attribute, and it is TV.
		 * RFC 7296 3.3.6: a transform with an attribute we do not understand
		 * must be rejected (by the proposal code, which sees unknown_attr). */
		if (type == IKE_ATTR_KEY_LENGTH && tv)
			t->keylen = val;
		else
			t->unknown_attr = true;
	}
	return CODEC_OK;
}

/* RFC 7296 3.3.2, transform substructure:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |        Transform Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Transform Type |   RESERVED    |          Transform ID         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                      Transform Attributes                     ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Decodes the transforms filling p[0..len) exactly; the last has Last Substruc 0.
 */
static enum codec_result decode_transforms(const uint8_t *p, size_t len, struct ike_proposal *pr,
					   unsigned *found)
{
	size_t off = 0;
	unsigned n = 0;
	uint8_t last = SUBSTRUC_TRANSFORM;

	while (last == SUBSTRUC_TRANSFORM) {
		if (n >= IKE_MAX_TRANSFORMS)
			return CODEC_TOO_MANY;
		uint16_t tlen;
		enum codec_result r = substruc_header(p, len, off, TRANSFORM_HDR_LEN,
						      SUBSTRUC_TRANSFORM, &last, &tlen);
		if (r != CODEC_OK)
			return r;
		const uint8_t *t = p + off;
		struct ike_transform *tr = &pr->t[n++];
		memset(tr, 0, sizeof(*tr));
		tr->type = t[4];
		tr->id = be_get16(t + 6);
		r = decode_attrs(t + TRANSFORM_HDR_LEN, tlen - TRANSFORM_HDR_LEN, tr);
		if (r != CODEC_OK)
			return r;
		off += tlen;
	}
	*found = n;
	/* RFC 7296 3.3.1: Proposal Length covers exactly its SPI and transforms */
	return off == len ? CODEC_OK : CODEC_BAD_LENGTH;
}

/* RFC 7296 3.3.1, proposal substructure:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |         Proposal Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SPI (variable)                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                        <Transforms>                           ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Decodes one proposal of length plen (already checked to fit).
 */
static enum codec_result decode_proposal(const uint8_t *p, uint16_t plen, struct ike_proposal *pr)
{
	memset(pr, 0, sizeof(*pr));
	pr->num = p[4];
	pr->protocol = p[5];
	pr->spi_len = p[6];
	pr->ntrans = p[7];
	/* RFC 7296 3.3.1: SPI Size is 0 (initial IKE SA), 4 (AH/ESP) or 8 (IKE rekey) */
	if (pr->spi_len > IKE_SPI_LEN)
		return CODEC_BAD_VALUE;
	if (pr->ntrans > IKE_MAX_TRANSFORMS)
		return CODEC_TOO_MANY;
	if (plen < PROPOSAL_HDR_LEN + pr->spi_len)
		return CODEC_BAD_LENGTH;
	memcpy(pr->spi, p + PROPOSAL_HDR_LEN, pr->spi_len);
	size_t toff = PROPOSAL_HDR_LEN + pr->spi_len;
	unsigned found = 0;
	/* a proposal without transforms cannot be decoded (or accepted) */
	if (pr->ntrans == 0)
		return CODEC_BAD_VALUE;
	enum codec_result r = decode_transforms(p + toff, plen - toff, pr, &found);
	if (r != CODEC_OK)
		return r;
	/* RFC 7296 3.3.1: Num Transforms counts the transforms that follow */
	return found == pr->ntrans ? CODEC_OK : CODEC_BAD_VALUE;
}

enum codec_result codec_decode_sa(const struct ike_pl *pl, struct ike_sa_pl *out)
{
	if (pl == NULL)
		return CODEC_TRUNCATED;
	const uint8_t *p = pl->body;
	size_t len = pl->len, off = 0;
	uint8_t last = SUBSTRUC_PROPOSAL;

	out->nprop = 0;
	while (last == SUBSTRUC_PROPOSAL) {
		if (out->nprop >= IKE_MAX_PROPOSALS)
			return CODEC_TOO_MANY;
		uint16_t plen;
		enum codec_result r = substruc_header(p, len, off, PROPOSAL_HDR_LEN,
						      SUBSTRUC_PROPOSAL, &last, &plen);
		if (r != CODEC_OK)
			return r;
		r = decode_proposal(p + off, plen, &out->prop[out->nprop]);
		if (r != CODEC_OK)
			return r;
		out->nprop++;
		off += plen;
	}
	/* the SA payload holds exactly its proposals */
	return off == len ? CODEC_OK : CODEC_BAD_LENGTH;
}

/* --- encoding --- */

static void put_transform(struct ike_buf *b, const struct ike_transform *t, bool last)
{
	uint8_t h[TRANSFORM_HDR_LEN + ATTR_HDR_LEN];
	size_t n = TRANSFORM_HDR_LEN;

	memset(h, 0, sizeof(h));
	h[0] = last ? SUBSTRUC_LAST : SUBSTRUC_TRANSFORM;
	h[4] = t->type;
	be_put16(h + 6, t->id);
	if (t->keylen != 0) {
		/* RFC 7296 3.3.5: Key Length in TV format */
		be_put16(h + n, IKE_ATTR_TV_BIT | IKE_ATTR_KEY_LENGTH);
		be_put16(h + n + 2, t->keylen);
		n += ATTR_HDR_LEN;
	}
	be_put16(h + 2, (uint16_t)n);
	codec_put_bytes(b, h, n);
}

static void put_proposal(struct ike_buf *b, const struct ike_proposal *pr, bool last)
{
	uint8_t h[PROPOSAL_HDR_LEN] = {
		last ? SUBSTRUC_LAST : SUBSTRUC_PROPOSAL, 0, 0, 0,
		pr->num, pr->protocol, pr->spi_len, pr->ntrans,
	};
	size_t mark = b->len;

	codec_put_bytes(b, h, sizeof(h));
	codec_put_bytes(b, pr->spi, pr->spi_len);
	for (unsigned i = 0; i < pr->ntrans; i++)
		put_transform(b, &pr->t[i], i + 1 == pr->ntrans);
	if (b->overflow)
		return;
	if (b->len - mark > UINT16_MAX) {
		b->overflow = true;
		return;
	}
	be_put16(b->data + mark + 2, (uint16_t)(b->len - mark));
}

/* A struct that could never be decoded is refused: the buffer is marked overflowed so
 * that the builder's single check at the end fails closed. */
void codec_put_sa(struct ike_buf *b, const struct ike_sa_pl *sa)
{
	size_t mark = codec_begin(b, IKE_PL_SA, false);

	if (sa->nprop == 0 || sa->nprop > IKE_MAX_PROPOSALS)
		b->overflow = true;
	for (unsigned i = 0; i < sa->nprop && !b->overflow; i++) {
		const struct ike_proposal *pr = &sa->prop[i];
		if (pr->spi_len > IKE_SPI_LEN || pr->ntrans == 0 ||
		    pr->ntrans > IKE_MAX_TRANSFORMS) {
			b->overflow = true;
			break;
		}
		put_proposal(b, pr, i + 1 == sa->nprop);
	}
	codec_end(b, mark);
}
