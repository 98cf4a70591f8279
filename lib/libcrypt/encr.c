/* encr.c -- SK payload encryption: AES-GCM with a 16-octet ICV (RFC 5282, RFC 4106)
 * and AES-CBC (RFC 3602), through NSS (CKM_AES_GCM, CKM_AES_CBC).
 */
#include <string.h>
#include <pk11pub.h>
#include "crypt.h"

#define AES_BLOCK	16
#define GCM_SALT	4	/* RFC 5282 7.1 / RFC 4106 8.1: 4 octets of salt after the key */
#define GCM_IV		8	/* RFC 5282 3.1: 8-octet explicit IV */
#define GCM_ICV16	16

static bool aes_keybits_ok(unsigned keybits)
{
	return keybits == 128 || keybits == 192 || keybits == 256;
}

/* RFC 5282 8 / RFC 7296 3.3.5: the Key Length attribute is mandatory for AES;
 * keybits 0 (absent) is invalid. */
bool crypt_encr_info(enum ike_encr encr, unsigned keybits, struct crypt_encr_info *info)
{
	if (!aes_keybits_ok(keybits))
		return false;
	switch (encr) {
	case IKE_ENCR_AES_GCM_16:
		*info = (struct crypt_encr_info){
			.aead = true, .keylen = keybits / 8 + GCM_SALT, .saltlen = GCM_SALT,
			.ivlen = GCM_IV, .icvlen = GCM_ICV16, .blocklen = 1,
		};
		return true;
	case IKE_ENCR_AES_CBC:
		*info = (struct crypt_encr_info){
			.aead = false, .keylen = keybits / 8, .saltlen = 0,
			.ivlen = AES_BLOCK, .icvlen = 0, .blocklen = AES_BLOCK,
		};
		return true;
	default:
		return false;
	}
}

static PK11SymKey *aes_key_import(CK_MECHANISM_TYPE mech, CK_ATTRIBUTE_TYPE op,
				  const uint8_t *key, size_t keylen)
{
	if (!aes_keybits_ok((unsigned)(keylen * 8)))
		return NULL;
	PK11SlotInfo *slot = PK11_GetInternalSlot();
	if (slot == NULL)
		return NULL;
	SECItem item = { siBuffer, (unsigned char *)key, (unsigned int)keylen };
	PK11SymKey *sym = PK11_ImportSymKey(slot, mech, PK11_OriginUnwrap, op, &item, NULL);
	PK11_FreeSlot(slot);
	return sym;
}

/* RFC 5282 4: nonce = salt (last 4 octets of SK_e) | explicit IV; tag of 128 bits. */
static bool gcm_run(bool encrypt, const uint8_t *key, size_t keylen, const uint8_t *iv,
		    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t inlen,
		    uint8_t *out, size_t outlen)
{
	if (keylen <= GCM_SALT || aadlen > UINT32_MAX || inlen > UINT32_MAX - AES_BLOCK)
		return false;
	size_t aeskeylen = keylen - GCM_SALT;
	uint8_t nonce[GCM_SALT + GCM_IV];
	memcpy(nonce, key + aeskeylen, GCM_SALT);
	memcpy(nonce + GCM_SALT, iv, GCM_IV);
	CK_GCM_PARAMS_V3 gcm = {
		.pIv = nonce, .ulIvLen = sizeof(nonce), .ulIvBits = sizeof(nonce) * 8,
		.pAAD = (CK_BYTE_PTR)aad, .ulAADLen = aadlen, .ulTagBits = GCM_ICV16 * 8,
	};
	SECItem param = { siBuffer, (unsigned char *)&gcm, sizeof(gcm) };
	PK11SymKey *sym = aes_key_import(CKM_AES_GCM, encrypt ? CKA_ENCRYPT : CKA_DECRYPT,
					 key, aeskeylen);
	if (sym == NULL)
		return false;
	unsigned int n = 0;
	SECStatus rv = (encrypt ? PK11_Encrypt : PK11_Decrypt)(sym, CKM_AES_GCM, &param, out, &n,
							       (unsigned int)outlen, in,
							       (unsigned int)inlen);
	PK11_FreeSymKey(sym);
	return rv == SECSuccess && n == outlen;
}

bool crypt_aead_encrypt(enum ike_encr encr, const uint8_t *key, size_t keylen,
			const uint8_t *iv, const uint8_t *aad, size_t aadlen,
			const uint8_t *pt, size_t ptlen, uint8_t *out)
{
	if (encr != IKE_ENCR_AES_GCM_16)
		return false;
	return gcm_run(true, key, keylen, iv, aad, aadlen, pt, ptlen, out, ptlen + GCM_ICV16);
}

/* Never hands back plaintext that failed authentication: out is wiped on failure. */
bool crypt_aead_decrypt(enum ike_encr encr, const uint8_t *key, size_t keylen,
			const uint8_t *iv, const uint8_t *aad, size_t aadlen,
			const uint8_t *ct_and_tag, size_t len, uint8_t *out)
{
	if (encr != IKE_ENCR_AES_GCM_16 || len < GCM_ICV16)
		return false;
	size_t ptlen = len - GCM_ICV16;
	if (gcm_run(false, key, keylen, iv, aad, aadlen, ct_and_tag, len, out, ptlen))
		return true;
	chunk_wipe(out, ptlen);
	return false;
}

/* RFC 3602: AES-CBC with an explicit 16-octet IV; the caller pads (RFC 7296 3.14). */
bool crypt_cbc(enum ike_encr encr, bool encrypt, const uint8_t *key, size_t keylen,
	       const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out)
{
	if (encr != IKE_ENCR_AES_CBC || len % AES_BLOCK != 0 || len > UINT32_MAX - AES_BLOCK)
		return false;
	if (len == 0)
		return true;
	SECItem param = { siBuffer, (unsigned char *)iv, AES_BLOCK };
	PK11SymKey *sym = aes_key_import(CKM_AES_CBC, encrypt ? CKA_ENCRYPT : CKA_DECRYPT,
					 key, keylen);
	if (sym == NULL)
		return false;
	unsigned int n = 0;
	SECStatus rv = (encrypt ? PK11_Encrypt : PK11_Decrypt)(sym, CKM_AES_CBC, &param, out, &n,
							       (unsigned int)len, in,
							       (unsigned int)len);
	PK11_FreeSymKey(sym);
	if (rv == SECSuccess && n == len)
		return true;
	chunk_wipe(out, len);
	return false;
}
