/* authdata.h -- RFC 7296 2.15 signed octets and PSK AUTH, with RFC 9242 3.3.2 IntAuth. */
#ifndef AUTHDATA_H
#define AUTHDATA_H

#include <stdbool.h>
#include "chunk.h"
#include "crypt.h"

/* MACedIDForX = prf(SK_px, IDx') where IDx' is the ID payload body (type, RESERVED, data) */
bool authdata_maced_id(enum ike_prf prf, const struct chunk *sk_p,
		       const uint8_t *id_body, size_t id_len, uint8_t *out);
/* SignedOctets = RealMessage | Nonce(peer) | MACedID | IntAuth (IntAuth may be empty) */
struct chunk authdata_signed_octets(const uint8_t *real_msg, size_t real_len,
				    const struct chunk *peer_nonce,
				    const uint8_t *maced_id, size_t maced_len,
				    const uint8_t *intauth, size_t intauth_len);
/* RFC 7296 2.15: AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), SignedOctets) */
bool authdata_psk(enum ike_prf prf, const uint8_t *psk, size_t psk_len,
		  const struct chunk *signed_octets, uint8_t *out);

#endif
