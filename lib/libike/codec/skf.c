/* skf.c -- Encrypted Fragment payload (RFC 7383 2.5).
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Fragment Number        |        Total Fragments        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Encrypted content                        ~
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |             Padding (0-255 octets)            |
 * +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 * |                                               |  Pad Length   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Integrity Checksum Data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Only the two counters are read here; frag.c and sk.c handle the rest.
 */
#include "ike_codec.h"

#define SKF_FIXED_LEN 4

enum codec_result codec_decode_skf(const struct ike_pl *pl, struct ike_skf_pl *out)
{
	if (pl == NULL)
		return CODEC_TRUNCATED;
	if (pl->len < SKF_FIXED_LEN)
		return CODEC_BAD_LENGTH;
	out->number = be_get16(pl->body);
	out->total = be_get16(pl->body + 2);
	out->data = pl->body + SKF_FIXED_LEN;
	out->len = pl->len - SKF_FIXED_LEN;
	/* RFC 7383 2.5: fragments are numbered from 1; a number above Total Fragments
	 * (or a Total of 0) is invalid */
	if (out->number == 0 || out->total == 0 || out->number > out->total)
		return CODEC_BAD_VALUE;
	return CODEC_OK;
}
