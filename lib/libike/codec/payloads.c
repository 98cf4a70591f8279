/* payloads.c -- the fixed-layout payloads: KE, ID, AUTH, Nonce, Notify, Delete, VID.
 *
 * Each decoder checks that the body holds its fixed part before reading it; a body
 * shorter than that is CODEC_BAD_LENGTH (the Payload Length field lies).  The decoders
 * do not look at pl->type, so they are safe on any payload.
 */
#include <string.h>
#include "ike_codec.h"

/* The 4-octet fixed part every payload here starts with (after the generic header). */
#define FIXED_LEN 4

static void put_fixed(struct ike_buf *b, uint8_t a, uint8_t c, uint16_t d)
{
	uint8_t h[FIXED_LEN] = { a, c, 0, 0 };
	be_put16(h + 2, d);
	codec_put_bytes(b, h, sizeof(h));
}

/* The check every decoder here starts with: a payload, whose body holds the fixed part. */
static enum codec_result check_fixed(const struct ike_pl *pl)
{
	if (pl == NULL)
		return CODEC_TRUNCATED;
	return pl->len < FIXED_LEN ? CODEC_BAD_LENGTH : CODEC_OK;
}

/* The variable data after the fixed part. */
static void rest_after_fixed(const struct ike_pl *pl, const uint8_t **data, size_t *len)
{
	*data = pl->body + FIXED_LEN;
	*len = pl->len - FIXED_LEN;
}

/* The "Type(8) RESERVED(24) Data" shape of ID and AUTH. */
static enum codec_result decode_type8_data(const struct ike_pl *pl, uint8_t *type,
					   const uint8_t **data, size_t *len)
{
	enum codec_result r = check_fixed(pl);
	if (r != CODEC_OK)
		return r;
	*type = pl->body[0];
	rest_after_fixed(pl, data, len);
	return CODEC_OK;
}

static void put_type8_data(struct ike_buf *b, uint8_t pltype, uint8_t type, const void *data,
			   size_t len)
{
	size_t mark = codec_begin(b, pltype, false);
	put_fixed(b, type, 0, 0);
	codec_put_bytes(b, data, len);
	codec_end(b, mark);
}

/* RFC 7296 3.4, Key Exchange payload:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Diffie-Hellman Group Num    |           RESERVED            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                       Key Exchange Data                       ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The data length is checked against the method by the handler, not here.
 */
enum codec_result codec_decode_ke(const struct ike_pl *pl, struct ike_ke_pl *out)
{
	enum codec_result r = check_fixed(pl);
	if (r != CODEC_OK)
		return r;
	out->method = be_get16(pl->body);
	rest_after_fixed(pl, &out->data, &out->len);
	return CODEC_OK;
}

void codec_put_ke(struct ike_buf *b, uint16_t method, const void *data, size_t len)
{
	size_t mark = codec_begin(b, IKE_PL_KE, false);
	uint8_t h[FIXED_LEN] = { 0 };
	be_put16(h, method);
	codec_put_bytes(b, h, sizeof(h));
	codec_put_bytes(b, data, len);
	codec_end(b, mark);
}

/* RFC 7296 3.5, Identification payloads (IDi, IDr):
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ID Type     |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                   Identification Data                         ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum codec_result codec_decode_id(const struct ike_pl *pl, struct ike_id_pl *out)
{
	enum codec_result r = decode_type8_data(pl, &out->type, &out->data, &out->len);
	if (r != CODEC_OK)
		return r;
	/* RFC 7296 2.15: RestOfInitIDPayload / IDx' = the body without the generic header */
	out->body = pl->body;
	out->body_len = pl->len;
	return CODEC_OK;
}

void codec_put_id(struct ike_buf *b, uint8_t pltype, uint8_t idtype, const void *data, size_t len)
{
	put_type8_data(b, pltype, idtype, data, len);
}

/* RFC 7296 3.8, Authentication payload:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Auth Method   |                RESERVED                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                      Authentication Data                      ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum codec_result codec_decode_auth(const struct ike_pl *pl, struct ike_auth_pl *out)
{
	return decode_type8_data(pl, &out->method, &out->data, &out->len);
}

void codec_put_auth(struct ike_buf *b, uint8_t method, const void *data, size_t len)
{
	put_type8_data(b, IKE_PL_AUTH, method, data, len);
}

/* RFC 7296 3.6 Certificate payload and 3.7 Certificate Request payload:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Cert Encoding |                                               |
 * +-+-+-+-+-+-+-+-+                                               |
 * ~             Certificate Data / Certification Authority        ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum codec_result codec_decode_cert(const struct ike_pl *pl, struct ike_cert_pl *out)
{
	if (pl == NULL)
		return CODEC_TRUNCATED;
	if (pl->len < 1)
		return CODEC_BAD_LENGTH;
	out->encoding = pl->body[0];
	out->data = pl->body + 1;
	out->len = pl->len - 1;
	return CODEC_OK;
}

void codec_put_cert(struct ike_buf *b, uint8_t pltype, uint8_t encoding, const void *data, size_t len)
{
	size_t mark = codec_begin(b, pltype, false);
	codec_put_bytes(b, &encoding, 1);
	codec_put_bytes(b, data, len);
	codec_end(b, mark);
}

/* RFC 7296 3.9, Nonce payload:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                            Nonce Data                         ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum codec_result codec_decode_nonce(const struct ike_pl *pl, const uint8_t **data, size_t *len)
{
	if (pl == NULL)
		return CODEC_TRUNCATED;
	/* RFC 7296 3.9: the nonce is between 16 and 256 octets */
	if (pl->len < IKE_NONCE_MIN || pl->len > IKE_NONCE_MAX)
		return CODEC_BAD_LENGTH;
	*data = pl->body;
	*len = pl->len;
	return CODEC_OK;
}

void codec_put_nonce(struct ike_buf *b, const void *data, size_t len)
{
	codec_put_raw(b, IKE_PL_NONCE, false, data, len);
}

/* RFC 7296 3.10, Notify payload:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                Security Parameter Index (SPI)                 ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                       Notification Data                       ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum codec_result codec_decode_notify(const struct ike_pl *pl, struct ike_notify_pl *out)
{
	enum codec_result r = check_fixed(pl);
	if (r != CODEC_OK)
		return r;
	out->protocol = pl->body[0];
	out->spi_len = pl->body[1];
	out->type = be_get16(pl->body + 2);
	if (out->spi_len > pl->len - FIXED_LEN)
		return CODEC_BAD_LENGTH;
	out->spi = pl->body + FIXED_LEN;
	out->data = out->spi + out->spi_len;
	out->len = pl->len - FIXED_LEN - out->spi_len;
	return CODEC_OK;
}

void codec_put_notify(struct ike_buf *b, uint8_t protocol, const void *spi, uint8_t spi_len,
		      uint16_t type, const void *data, size_t len)
{
	size_t mark = codec_begin(b, IKE_PL_NOTIFY, false);
	put_fixed(b, protocol, spi_len, type);
	codec_put_bytes(b, spi, spi_len);
	codec_put_bytes(b, data, len);
	codec_end(b, mark);
}

/* RFC 7296 3.11, Delete payload:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Protocol ID   |   SPI Size    |          Num of SPIs          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~               Security Parameter Index(es) (SPI)              ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum codec_result codec_decode_delete(const struct ike_pl *pl, struct ike_delete_pl *out)
{
	enum codec_result r = check_fixed(pl);
	if (r != CODEC_OK)
		return r;
	out->protocol = pl->body[0];
	out->spi_len = pl->body[1];
	out->nspi = be_get16(pl->body + 2);
	out->spis = pl->body + FIXED_LEN;
	/* the SPIs fill the rest of the payload exactly */
	if ((size_t)out->spi_len * out->nspi != (size_t)pl->len - FIXED_LEN)
		return CODEC_BAD_LENGTH;
	if (out->nspi > IKE_MAX_DELETE_SPIS)
		return CODEC_TOO_MANY;
	return CODEC_OK;
}

void codec_put_delete(struct ike_buf *b, uint8_t protocol, uint8_t spi_len,
		      const void *spis, uint16_t nspi)
{
	size_t mark = codec_begin(b, IKE_PL_DELETE, false);
	put_fixed(b, protocol, spi_len, nspi);
	codec_put_bytes(b, spis, (size_t)spi_len * nspi);
	codec_end(b, mark);
}

/* RFC 7296 3.12, Vendor ID payload:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                        Vendor ID (VID)                        ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
void codec_put_vid(struct ike_buf *b, const void *data, size_t len)
{
	codec_put_raw(b, IKE_PL_VID, false, data, len);
}
