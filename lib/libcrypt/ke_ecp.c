/* ke_ecp.c -- NIST prime curves, groups 19, 20 and 21 (RFC 5903), through NSS.
 * RFC 5903 7: the KE data is x | y, each coordinate as an octet string of the field
 * size, without the 0x04 of an uncompressed point; the shared secret is the
 * x coordinate of the result (RFC 5903 9).
 */
#include <string.h>
#include <secoidt.h>
#include "ke_int.h"

struct ecp_group {
	SECOidTag curve;
	size_t field;		/* octets per coordinate */
};

static const struct ecp_group ecp256 = { SEC_OID_ANSIX962_EC_PRIME256V1, 32 };
static const struct ecp_group ecp384 = { SEC_OID_SECG_EC_SECP384R1, 48 };
static const struct ecp_group ecp521 = { SEC_OID_SECG_EC_SECP521R1, 66 };

static enum ke_result ecp_initiate(struct ke *ke)
{
	const struct ecp_group *g = ke->ops->group;
	return ke_ec_generate(ke, g->curve, 1);
}

static enum ke_result ecp_finish(struct ke *ke, const uint8_t *peer, size_t len,
				 struct chunk *shared)
{
	const struct ecp_group *g = ke->ops->group;
	uint8_t point[1 + 2 * 66];
	if (len != 2 * g->field || len + 1 > sizeof(point))
		return KE_BAD_LENGTH;
	point[0] = 0x04;	/* uncompressed, for NSS */
	memcpy(point + 1, peer, len);
	return ke_ec_derive(ke, point, len + 1, g->field, shared);
}

const struct ke_ops ke_ecp256_ops = {
	.method = IKE_KE_ECP256,
	.prim = CRYPT_PRIM_ECP256,
	.lib = CRYPT_LIB_NSS,
	.len_i = 64,
	.len_r = 64,
	.initiate = ecp_initiate,
	.respond = ke_dh_respond,
	.finish = ecp_finish,
	.group = &ecp256,
};

const struct ke_ops ke_ecp384_ops = {
	.method = IKE_KE_ECP384,
	.prim = CRYPT_PRIM_ECP384,
	.lib = CRYPT_LIB_NSS,
	.len_i = 96,
	.len_r = 96,
	.initiate = ecp_initiate,
	.respond = ke_dh_respond,
	.finish = ecp_finish,
	.group = &ecp384,
};

const struct ke_ops ke_ecp521_ops = {
	.method = IKE_KE_ECP521,
	.prim = CRYPT_PRIM_ECP521,
	.lib = CRYPT_LIB_NSS,
	.len_i = 132,
	.len_r = 132,
	.initiate = ecp_initiate,
	.respond = ke_dh_respond,
	.finish = ecp_finish,
	.group = &ecp521,
};
