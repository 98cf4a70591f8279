/* buf.c -- the encode buffer, generic payload framing and result names.
 *
 * RFC 7296 3.2, generic payload header, which starts every payload:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Every append checks the capacity first; on overflow it sets b->overflow and writes
 * nothing, and every later append (and every patch) is a no-op.
 */
#include <string.h>
#include "ike_codec.h"

const char *codec_result_name(enum codec_result r)
{
	switch (r) {
	case CODEC_OK: return "OK";
	case CODEC_TRUNCATED: return "truncated";
	case CODEC_BAD_LENGTH: return "bad length";
	case CODEC_BAD_VERSION: return "bad major version";
	case CODEC_TOO_MANY: return "too many elements";
	case CODEC_UNSUPPORTED_CRITICAL: return "unsupported critical payload";
	case CODEC_BAD_VALUE: return "bad value";
	case CODEC_SK_NOT_LAST: return "SK/SKF not the last payload";
	case CODEC_OVERFLOW: return "encode buffer overflow";
	}
	return "UNKNOWN";
}

void codec_buf_init(struct ike_buf *b, uint8_t *storage, size_t cap)
{
	b->data = storage;
	b->len = 0;
	b->cap = storage != NULL ? cap : 0;
	b->overflow = false;
	b->np_at = SIZE_MAX;
	b->first_np = 0;
}

/* Reserve n octets at the end; NULL (and overflow set) when they do not fit. */
static uint8_t *buf_reserve(struct ike_buf *b, size_t n)
{
	if (b->overflow)
		return NULL;
	if (n > b->cap - b->len) {
		b->overflow = true;
		return NULL;
	}
	uint8_t *p = b->data + b->len;
	b->len += n;
	return p;
}

void codec_put_bytes(struct ike_buf *b, const void *p, size_t len)
{
	if (len == 0)
		return;
	uint8_t *d = buf_reserve(b, len);
	if (d != NULL && p != NULL)
		memcpy(d, p, len);
	else if (d != NULL)
		memset(d, 0, len);
}

/* RFC 7296 3.1, the IKE header:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
#define HDR_NP_OFF  16
#define HDR_LEN_OFF 24

void codec_put_hdr(struct ike_buf *b, const struct ike_hdr *h)
{
	size_t at = b->len;
	uint8_t *p = buf_reserve(b, IKE_HDR_LEN);
	if (p == NULL)
		return;
	memcpy(p, h->spi_i, IKE_SPI_LEN);
	memcpy(p + 8, h->spi_r, IKE_SPI_LEN);
	p[HDR_NP_OFF] = h->np;
	p[17] = h->version;
	p[18] = h->exchange;
	p[19] = h->flags;
	be_put32(p + 20, h->msgid);
	be_put32(p + HDR_LEN_OFF, h->length);
	b->np_at = at + HDR_NP_OFF;
}

/* The header is the first thing in the buffer (codec_put_hdr on an empty buffer). */
void codec_finish_hdr(struct ike_buf *b)
{
	if (b->overflow || b->len < IKE_HDR_LEN)
		return;
	be_put32(b->data + HDR_LEN_OFF, (uint32_t)b->len);
}

size_t codec_begin(struct ike_buf *b, uint8_t type, bool critical)
{
	size_t mark = b->len;
	uint8_t *p = buf_reserve(b, IKE_GENERIC_HDR_LEN);
	if (p == NULL)
		return mark;
	/* link: the previous Next Payload field (or the header's) names this payload */
	if (b->np_at == SIZE_MAX)
		b->first_np = type;
	else
		b->data[b->np_at] = type;
	p[0] = IKE_PL_NONE;
	p[1] = critical ? IKE_PAYLOAD_CRITICAL : 0;
	p[2] = 0;
	p[3] = 0;
	b->np_at = mark;
	return mark;
}

void codec_end(struct ike_buf *b, size_t mark)
{
	if (b->overflow || mark > b->len || b->len - mark < IKE_GENERIC_HDR_LEN)
		return;
	/* RFC 7296 3.2: Payload Length is 16 bits */
	if (b->len - mark > UINT16_MAX) {
		b->overflow = true;
		return;
	}
	be_put16(b->data + mark + 2, (uint16_t)(b->len - mark));
}

void codec_put_raw(struct ike_buf *b, uint8_t type, bool critical, const void *body, size_t len)
{
	size_t mark = codec_begin(b, type, critical);
	codec_put_bytes(b, body, len);
	codec_end(b, mark);
}
