/* header.c -- decode the IKE header (RFC 7296 3.1).
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
#include <string.h>
#include "ike_codec.h"

enum codec_result codec_decode_hdr(const uint8_t *p, size_t len, struct ike_hdr *h)
{
	if (p == NULL || len < IKE_HDR_LEN)
		return CODEC_TRUNCATED;
	memcpy(h->spi_i, p, IKE_SPI_LEN);
	memcpy(h->spi_r, p + 8, IKE_SPI_LEN);
	h->np = p[16];
	h->version = p[17];
	h->exchange = p[18];
	h->flags = p[19];
	h->msgid = be_get32(p + 20);
	h->length = be_get32(p + 24);
	/* RFC 7296 3.1: a major version we do not speak is answered with
	 * INVALID_MAJOR_VERSION, so it is reported before any length check. */
	if ((h->version >> 4) != (IKE_VERSION_2_0 >> 4))
		return CODEC_BAD_VERSION;
	/* RFC 7296 3.1: Length is the total length of the message (header + payloads) */
	if (h->length != len)
		return CODEC_BAD_LENGTH;
	return CODEC_OK;
}
