/* ke_x25519.c -- Curve25519 key exchange, group 31 (RFC 8031, RFC 7748), through NSS.
 * KE data and shared secret are 32 octets, in RFC 7748 5 encoding.
 */
#include <pk11pub.h>
#include "ke_int.h"

#define X25519_LEN 32

static enum ke_result x25519_initiate(struct ke *ke)
{
	return ke_ec_generate(ke, SEC_OID_CURVE25519, 0);
}

static enum ke_result x25519_finish(struct ke *ke, const uint8_t *peer, size_t len,
				    struct chunk *shared)
{
	enum ke_result r = ke_ec_derive(ke, peer, len, X25519_LEN, shared);
	if (r == KE_OK && ke_x25519_all_zero(shared)) {
		chunk_free(shared);
		r = KE_BAD_VALUE;
	}
	return r;
}

const struct ke_ops ke_x25519_ops = {
	.method = IKE_KE_CURVE25519,
	.prim = CRYPT_PRIM_X25519,
	.lib = CRYPT_LIB_NSS,
	.len_i = X25519_LEN,
	.len_r = X25519_LEN,
	.initiate = x25519_initiate,
	.respond = ke_dh_respond,
	.finish = x25519_finish,
};
