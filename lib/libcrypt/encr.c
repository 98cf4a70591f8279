/* encr.c -- SK payload encryption: AES-GCM with a 16-octet ICV (RFC 5282, RFC 4106)
 * and AES-CBC (RFC 3602), through OpenSSL (EVP, the ciphers fetched by ossl.c) or NSS
 * (CKM_AES_GCM, CKM_AES_CBC), as backend.c chooses.  Each message brings its key, so
 * the per-message set-up counts: NSS makes a PKCS #11 key object each time, OpenSSL
 * only a key schedule.
 */
#include <limits.h>
#include <string.h>
#include <pk11pub.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include "backend.h"

#define AES_BLOCK	16
#define GCM_SALT	4	/* RFC 5282 7.1 / RFC 4106 8.1: 4 octets of salt after the key */
#define GCM_IV		8	/* RFC 5282 3.1: 8-octet explicit IV */
#define GCM_ICV16	16
#define GCM_NONCE	(GCM_SALT + GCM_IV)

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

/* in: the plaintext (encrypt) or ciphertext | tag (decrypt); out: ciphertext | tag
 * (outlen = inlen + 16) or plaintext (outlen = inlen - 16) */
static bool gcm_ossl(bool encrypt, const uint8_t *key, size_t aeskeylen, const uint8_t *nonce,
		     const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t inlen,
		     uint8_t *out, size_t outlen)
{
	const EVP_CIPHER *cipher = ossl_cipher(true, aeskeylen);
	size_t textlen = encrypt ? inlen : inlen - GCM_ICV16;
	if (cipher == NULL || aadlen > INT_MAX || inlen > INT_MAX - AES_BLOCK ||
	    outlen != (encrypt ? inlen + GCM_ICV16 : textlen))
		return false;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();	/* 12-octet IV by default */
	int n = 0, fin = 0;
	bool ok = c != NULL && EVP_CipherInit_ex2(c, cipher, key, nonce, encrypt ? 1 : 0, NULL) == 1 &&
		  (aadlen == 0 || EVP_CipherUpdate(c, NULL, &n, aad, (int)aadlen) == 1) &&
		  (textlen == 0 || EVP_CipherUpdate(c, out, &n, in, (int)textlen) == 1) &&
		  (textlen == 0 || (size_t)n == textlen);
	if (ok && !encrypt)	/* the tag to check, before Final */
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, GCM_ICV16,
					 (void *)(in + textlen)) == 1;
	ok = ok && EVP_CipherFinal_ex(c, out + textlen, &fin) == 1 && fin == 0;
	if (ok && encrypt)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, GCM_ICV16, out + textlen) == 1;
	EVP_CIPHER_CTX_free(c);		/* cleanses the key schedule */
	if (!ok)
		ERR_clear_error();
	return ok;
}

static bool gcm_nss(bool encrypt, const uint8_t *key, size_t aeskeylen, uint8_t *nonce,
		    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t inlen,
		    uint8_t *out, size_t outlen)
{
	CK_GCM_PARAMS_V3 gcm = {
		.pIv = nonce, .ulIvLen = GCM_NONCE, .ulIvBits = GCM_NONCE * 8,
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

/* RFC 5282 4: nonce = salt (last 4 octets of SK_e) | explicit IV; tag of 128 bits. */
bool crypt_gcm_lib(enum crypt_lib lib, bool encrypt, const uint8_t *key, size_t keylen,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen, const uint8_t *in,
		   size_t inlen, uint8_t *out, size_t outlen)
{
	if (keylen <= GCM_SALT || aadlen > UINT32_MAX || inlen > UINT32_MAX - AES_BLOCK ||
	    (!encrypt && inlen < GCM_ICV16))
		return false;
	size_t aeskeylen = keylen - GCM_SALT;
	uint8_t nonce[GCM_NONCE];
	memcpy(nonce, key + aeskeylen, GCM_SALT);
	memcpy(nonce + GCM_SALT, iv, GCM_IV);
	switch (lib) {
	case CRYPT_LIB_OPENSSL:
		return gcm_ossl(encrypt, key, aeskeylen, nonce, aad, aadlen, in, inlen, out, outlen);
	case CRYPT_LIB_NSS:
		return gcm_nss(encrypt, key, aeskeylen, nonce, aad, aadlen, in, inlen, out, outlen);
	default:
		return false;
	}
}

bool crypt_aead_encrypt(enum ike_encr encr, const uint8_t *key, size_t keylen,
			const uint8_t *iv, const uint8_t *aad, size_t aadlen,
			const uint8_t *pt, size_t ptlen, uint8_t *out)
{
	if (encr != IKE_ENCR_AES_GCM_16)
		return false;
	return crypt_gcm_lib(crypt_lib_of(CRYPT_PRIM_AES_GCM), true, key, keylen, iv, aad, aadlen,
			     pt, ptlen, out, ptlen + GCM_ICV16);
}

/* Never hands back plaintext that failed authentication: out is wiped on failure. */
bool crypt_aead_decrypt(enum ike_encr encr, const uint8_t *key, size_t keylen,
			const uint8_t *iv, const uint8_t *aad, size_t aadlen,
			const uint8_t *ct_and_tag, size_t len, uint8_t *out)
{
	if (encr != IKE_ENCR_AES_GCM_16 || len < GCM_ICV16)
		return false;
	size_t ptlen = len - GCM_ICV16;
	if (crypt_gcm_lib(crypt_lib_of(CRYPT_PRIM_AES_GCM), false, key, keylen, iv, aad, aadlen,
			  ct_and_tag, len, out, ptlen))
		return true;
	chunk_wipe(out, ptlen);
	return false;
}

static bool cbc_ossl(bool encrypt, const uint8_t *key, size_t keylen, const uint8_t *iv,
		     const uint8_t *in, size_t len, uint8_t *out)
{
	const EVP_CIPHER *cipher = ossl_cipher(false, keylen);
	if (cipher == NULL || len > INT_MAX)
		return false;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, fin = 0;
	/* no padding: the caller pads (RFC 7296 3.14); in == out is allowed */
	bool ok = c != NULL && EVP_CipherInit_ex2(c, cipher, key, iv, encrypt ? 1 : 0, NULL) == 1 &&
		  EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
		  EVP_CipherUpdate(c, out, &n, in, (int)len) == 1 && (size_t)n == len &&
		  EVP_CipherFinal_ex(c, out + n, &fin) == 1 && fin == 0;
	EVP_CIPHER_CTX_free(c);
	if (!ok)
		ERR_clear_error();
	return ok;
}

static bool cbc_nss(bool encrypt, const uint8_t *key, size_t keylen, const uint8_t *iv,
		    const uint8_t *in, size_t len, uint8_t *out)
{
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
	return rv == SECSuccess && n == len;
}

/* RFC 3602: AES-CBC with an explicit 16-octet IV; the caller pads (RFC 7296 3.14). */
bool crypt_cbc_lib(enum crypt_lib lib, bool encrypt, const uint8_t *key, size_t keylen,
		   const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out)
{
	if (len % AES_BLOCK != 0 || len > UINT32_MAX - AES_BLOCK)
		return false;
	if (len == 0)
		return true;
	bool ok = false;
	if (lib == CRYPT_LIB_OPENSSL)
		ok = cbc_ossl(encrypt, key, keylen, iv, in, len, out);
	else if (lib == CRYPT_LIB_NSS)
		ok = cbc_nss(encrypt, key, keylen, iv, in, len, out);
	if (!ok)
		chunk_wipe(out, len);
	return ok;
}

bool crypt_cbc(enum ike_encr encr, bool encrypt, const uint8_t *key, size_t keylen,
	       const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out)
{
	if (encr != IKE_ENCR_AES_CBC)
		return false;
	return crypt_cbc_lib(crypt_lib_of(CRYPT_PRIM_AES_CBC), encrypt, key, keylen, iv, in, len, out);
}
