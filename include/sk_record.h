/* sk_record.h -- the one record of an encrypted IKE message (docs/architecture.md).
 *
 * Produced on receive (after reassembly and decryption) and on send (just before
 * encryption and fragmentation).  transcript.c computes the RFC 9242 IntAuth octets
 * from it, so inbound, outbound, fragmented and unfragmented messages take one path.
 */
#ifndef SK_RECORD_H
#define SK_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include "ike_wire.h"

struct sk_record {
	/* IKE header as it went on the wire (of fragment 1 when fragmented); its Next
	 * Payload and Length fields are rewritten when A is built. */
	uint8_t hdr[IKE_HDR_LEN];
	/* unencrypted payloads before SK/SKF (normally none), as on the wire */
	const uint8_t *unenc;
	size_t unenc_len;
	/* Next Payload of the SK payload: the first inner payload's type (from fragment 1) */
	uint8_t inner_np;
	/* inner payloads: no IV, padding, pad length or ICV */
	const uint8_t *plain;
	size_t plain_len;
};

#endif
