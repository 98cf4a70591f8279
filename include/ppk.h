/* ppk.h -- RFC 8784 postquantum preshared keys on the wire: the PPK_IDENTITY
 * notification's data and PPK_IDs as text for logs and status.  Pure (principle 1);
 * the keys themselves are keymat.c's (keymat_ppk_mix). */
#ifndef PPK_H
#define PPK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the longest PPK_IDENTITY data: the PPK Type octet and CONF_PPK_ID_MAX octets */
#define PPK_IDENTITY_MAX (1 + 255)
/* ppk_id_str(): "0x", two hex digits an octet and the NUL (text is shorter) */
#define PPK_ID_STR_MAX (2 + 2 * 255 + 1)

enum ppk_identity_result {
	PPK_IDENTITY_OK,	/* a PPK_ID of a known type */
	PPK_IDENTITY_EMPTY,	/* no data: the responder's "PPK used" (RFC 8784 3) */
	PPK_IDENTITY_UNKNOWN_TYPE,	/* a PPK Type we do not know; *type says which */
	PPK_IDENTITY_MALFORMED,	/* a PPK Type without a PPK_ID, or a PPK_ID too long */
};

/* RFC 8784 3: PPK_IDENTITY's Notification Data is the PPK Type octet followed by
 * the PPK_ID.  We send PPK_ID_FIXED (the ID names a configured PPK, as Libreswan
 * does).  Returns the data length, 0 when the ID is empty or does not fit out. */
size_t ppk_identity_encode(const uint8_t *id, size_t len, uint8_t *out, size_t cap);
/* The other way; for PPK_IDENTITY_OK, *id and *len point into data */
enum ppk_identity_result ppk_identity_decode(const uint8_t *data, size_t len, uint8_t *type,
					     const uint8_t **id, size_t *id_len);
/* A PPK_ID for logs: "text" when it is printable ASCII (no '"' or '\'), else
 * 0xHEX; out holds PPK_ID_STR_MAX octets */
const char *ppk_id_str(const uint8_t *id, size_t len, char *out, size_t cap);

#endif
