/* ppk.c -- RFC 8784 PPK_IDENTITY data and PPK_IDs as text (see ppk.h). */
#include <stdio.h>
#include <string.h>
#include "ike_wire.h"
#include "ppk.h"

/* RFC 8784 3:
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +---------------+---------------+-------------------------------+
 * |Protocol ID(=0)| SPI Size (=0) |      Notify Message Type      |
 * +---------------+---------------+-------------------------------+
 * |   PPK Type    |                                               |
 * +---------------+                                               |
 * ~                            PPK_ID                             ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * PPK Type: PPK_ID_OPAQUE (1) or PPK_ID_FIXED (2); either way the PPK_ID octets
 * name the PPK.  The responder's PPK_IDENTITY has no data at all. */
size_t ppk_identity_encode(const uint8_t *id, size_t len, uint8_t *out, size_t cap)
{
	if (id == NULL || len == 0 || len > PPK_IDENTITY_MAX - 1 || out == NULL || cap < 1 + len)
		return 0;
	out[0] = IKE_PPK_ID_FIXED;
	memcpy(out + 1, id, len);
	return 1 + len;
}

enum ppk_identity_result ppk_identity_decode(const uint8_t *data, size_t len, uint8_t *type,
					     const uint8_t **id, size_t *id_len)
{
	*type = 0;
	*id = NULL;
	*id_len = 0;
	if (len == 0)
		return PPK_IDENTITY_EMPTY;
	*type = data[0];
	if (len == 1 || len > PPK_IDENTITY_MAX)
		return PPK_IDENTITY_MALFORMED;
	if (data[0] != IKE_PPK_ID_OPAQUE && data[0] != IKE_PPK_ID_FIXED)
		return PPK_IDENTITY_UNKNOWN_TYPE;
	*id = data + 1;
	*id_len = len - 1;
	return PPK_IDENTITY_OK;
}

const char *ppk_id_str(const uint8_t *id, size_t len, char *out, size_t cap)
{
	bool text = len > 0;
	for (size_t i = 0; i < len && text; i++)
		text = id[i] >= 0x20 && id[i] < 0x7f && id[i] != '"' && id[i] != '\\';
	size_t n = 0;
	if (cap < 3) {
		if (cap > 0)
			out[0] = '\0';
		return out;
	}
	if (text) {
		n = (size_t)snprintf(out, cap, "\"%.*s\"", (int)(len < cap - 3 ? len : cap - 3), (const char *)id);
	} else {
		n = (size_t)snprintf(out, cap, "0x");
		for (size_t i = 0; i < len && n + 3 <= cap; i++)
			n += (size_t)snprintf(out + n, cap - n, "%02x", id[i]);
	}
	(void)n;
	return out;
}
