/* ke_ec.c -- elliptic curve Diffie-Hellman through NSS (CKM_EC_KEY_PAIR_GEN,
 * CKM_ECDH1_DERIVE), shared by Curve25519 (ke_x25519.c) and the NIST curves (ke_ecp.c).
 */
#include <string.h>
#include <pk11pub.h>
#include <secoid.h>
#include <keyhi.h>
#include "ke_int.h"

#define EC_MAX_POINT 133	/* 0x04 | x | y for P-521 */

/* ke->pub = NSS's public value without its first skip octets (the 0x04 of an
 * uncompressed point, RFC 5903 7). */
static enum ke_result ec_set_public(struct ke *ke, size_t skip)
{
	const SECItem *pv = &ke->pubkey->u.ec.publicValue;
	if (pv->len != skip + ke->ops->len_i || (skip == 1 && pv->data[0] != 0x04))
		return KE_FAILED;
	ke->pub = chunk_dup(pv->data + skip, ke->ops->len_i);
	return KE_OK;
}

enum ke_result ke_ec_generate(struct ke *ke, SECOidTag curve, size_t skip)
{
	SECOidData *oid = SECOID_FindOIDByTag(curve);
	if (oid == NULL || oid->oid.len > 32)
		return KE_FAILED;
	/* EC parameters: the DER OBJECT IDENTIFIER of the named curve */
	uint8_t der[2 + 32];
	der[0] = SEC_ASN1_OBJECT_ID;
	der[1] = (uint8_t)oid->oid.len;
	memcpy(der + 2, oid->oid.data, oid->oid.len);
	SECItem params = { siBuffer, der, 2 + oid->oid.len };
	PK11SlotInfo *slot = PK11_GetInternalSlot();
	if (slot == NULL)
		return KE_FAILED;
	ke->priv = PK11_GenerateKeyPair(slot, CKM_EC_KEY_PAIR_GEN, &params, &ke->pubkey,
					PR_FALSE, PR_TRUE, NULL);
	PK11_FreeSlot(slot);
	if (ke->priv == NULL || ke->pubkey == NULL)
		return KE_FAILED;
	return ec_set_public(ke, skip);
}

/* point: the peer's public value in NSS form (0x04 | x | y, or the Curve25519 u).
 * NSS validates the point (on the curve, not the identity) before deriving; a
 * failed derivation is therefore reported as a bad peer value. */
enum ke_result ke_ec_derive(struct ke *ke, const uint8_t *point, size_t len, size_t secret_len,
			    struct chunk *shared)
{
	if (ke->priv == NULL || ke->pubkey == NULL)
		return KE_FAILED;
	SECKEYPublicKey peer;
	memset(&peer, 0, sizeof(peer));
	peer.keyType = ecKey;
	peer.pkcs11ID = CK_INVALID_HANDLE;
	peer.u.ec.DEREncodedParams = ke->pubkey->u.ec.DEREncodedParams;
	peer.u.ec.size = ke->pubkey->u.ec.size;
	peer.u.ec.publicValue = (SECItem){ siBuffer, (unsigned char *)point, (unsigned int)len };
	PK11SymKey *sym = PK11_PubDeriveWithKDF(ke->priv, &peer, PR_FALSE, NULL, NULL,
						CKM_ECDH1_DERIVE, CKM_GENERIC_SECRET_KEY_GEN,
						CKA_DERIVE, 0, CKD_NULL, NULL, NULL);
	if (sym == NULL)
		return KE_BAD_VALUE;
	enum ke_result r = ke_symkey_to_chunk(sym, secret_len, shared);
	PK11_FreeSymKey(sym);
	return r;
}
