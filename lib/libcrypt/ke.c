/* ke.c -- key exchange dispatch (crypt.h): one table row per implementation of a
 * method (ke_int.h); the row whose library crypt_choices[] names for the method's
 * primitive (backend.c) is the one that runs. */
#include <stdlib.h>
#include <string.h>
#include <pk11pub.h>
#include <keyhi.h>
#include <openssl/evp.h>
#include "ke_int.h"

static const struct ke_ops *const ke_methods[] = {
	&ke_modp2048_ops,
	&ke_modp3072_ops,
	&ke_ecp256_ops,
	&ke_ecp256_ossl_ops,
	&ke_ecp384_ops,
	&ke_ecp384_ossl_ops,
	&ke_ecp521_ops,
	&ke_ecp521_ossl_ops,
	&ke_x25519_ops,
	&ke_x25519_ossl_ops,
	&ke_mlkem512_ops,
	&ke_mlkem768_ops,
	&ke_mlkem1024_ops,
};

/* lib CRYPT_LIB_NONE: whichever library crypt_choices[] names */
static const struct ke_ops *ke_lookup_lib(enum crypt_lib lib, enum ike_ke_method method)
{
	for (size_t i = 0; i < sizeof(ke_methods) / sizeof(ke_methods[0]); i++) {
		const struct ke_ops *o = ke_methods[i];
		if (o->method != method)
			continue;
		if (lib == CRYPT_LIB_NONE ? o->lib == crypt_lib_of(o->prim) : o->lib == lib)
			return o;
	}
	return NULL;
}

static const struct ke_ops *ke_lookup(enum ike_ke_method method)
{
	return ke_lookup_lib(CRYPT_LIB_NONE, method);
}

bool ke_lib_has(enum crypt_lib lib, enum ike_ke_method method)
{
	return lib != CRYPT_LIB_NONE && ke_lookup_lib(lib, method) != NULL;
}

const char *ke_result_name(enum ke_result r)
{
	switch (r) {
	case KE_OK: return "ok";
	case KE_UNSUPPORTED: return "unsupported key exchange method";
	case KE_BAD_LENGTH: return "key exchange data has the wrong length";
	case KE_BAD_VALUE: return "invalid key exchange data";
	case KE_FAILED: return "key exchange failed";
	}
	return "unknown key exchange result";
}

bool ke_supported(enum ike_ke_method method)
{
	return ke_lookup(method) != NULL;
}

size_t ke_public_len(enum ike_ke_method method, bool initiator)
{
	const struct ke_ops *ops = ke_lookup(method);
	if (ops == NULL)
		return 0;
	return initiator ? ops->len_i : ops->len_r;
}

static struct ke *ke_new(const struct ke_ops *ops)
{
	struct ke *ke = calloc(1, sizeof(*ke));
	if (ke != NULL)
		ke->ops = ops;
	return ke;
}

static enum ke_result ke_initiate_ops(const struct ke_ops *ops, struct ke **out)
{
	*out = NULL;
	if (ops == NULL)
		return KE_UNSUPPORTED;
	struct ke *ke = ke_new(ops);
	if (ke == NULL)
		return KE_FAILED;
	enum ke_result r = ops->initiate(ke);
	if (r != KE_OK) {
		ke_free(ke);
		return r;
	}
	*out = ke;
	return KE_OK;
}

enum ke_result ke_initiate(enum ike_ke_method method, struct ke **out)
{
	return ke_initiate_ops(ke_lookup(method), out);
}

enum ke_result ke_initiate_lib(enum crypt_lib lib, enum ike_ke_method method, struct ke **out)
{
	*out = NULL;
	return lib == CRYPT_LIB_NONE ? KE_UNSUPPORTED : ke_initiate_ops(ke_lookup_lib(lib, method), out);
}

static enum ke_result ke_respond_ops(const struct ke_ops *ops, const uint8_t *peer, size_t len,
				     struct ke **out, struct chunk *shared)
{
	*out = NULL;
	*shared = CHUNK_EMPTY;
	if (ops == NULL)
		return KE_UNSUPPORTED;
	/* RFC 7296 3.4: the KE data length is fixed by the method */
	if (len != ops->len_i)
		return KE_BAD_LENGTH;
	struct ke *ke = ke_new(ops);
	if (ke == NULL)
		return KE_FAILED;
	enum ke_result r = ops->respond(ke, peer, len, shared);
	if (r != KE_OK) {
		chunk_free(shared);
		ke_free(ke);
		return r;
	}
	*out = ke;
	return KE_OK;
}

enum ke_result ke_respond(enum ike_ke_method method, const uint8_t *peer, size_t len,
			  struct ke **out, struct chunk *shared)
{
	return ke_respond_ops(ke_lookup(method), peer, len, out, shared);
}

enum ke_result ke_respond_lib(enum crypt_lib lib, enum ike_ke_method method, const uint8_t *peer,
			      size_t len, struct ke **out, struct chunk *shared)
{
	*out = NULL;
	*shared = CHUNK_EMPTY;
	if (lib == CRYPT_LIB_NONE)
		return KE_UNSUPPORTED;
	return ke_respond_ops(ke_lookup_lib(lib, method), peer, len, out, shared);
}

enum ke_result ke_from_private_lib(enum crypt_lib lib, enum ike_ke_method method,
				   const uint8_t *priv, size_t len, struct ke **out)
{
	*out = NULL;
	const struct ke_ops *ops = lib == CRYPT_LIB_NONE ? NULL : ke_lookup_lib(lib, method);
	if (ops == NULL || ops->from_private == NULL)
		return KE_UNSUPPORTED;
	struct ke *ke = ke_new(ops);
	if (ke == NULL)
		return KE_FAILED;
	enum ke_result r = ops->from_private(ke, priv, len);
	if (r != KE_OK) {
		ke_free(ke);
		return r;
	}
	*out = ke;
	return KE_OK;
}

enum ke_result ke_finish(struct ke *ke, const uint8_t *peer, size_t len, struct chunk *shared)
{
	*shared = CHUNK_EMPTY;
	if (ke == NULL)
		return KE_FAILED;
	if (len != ke->ops->len_r)
		return KE_BAD_LENGTH;
	enum ke_result r = ke->ops->finish(ke, peer, len, shared);
	if (r != KE_OK)
		chunk_free(shared);
	return r;
}

const uint8_t *ke_public(const struct ke *ke, size_t *len)
{
	*len = ke->pub.len;
	return ke->pub.ptr;
}

enum ike_ke_method ke_method(const struct ke *ke)
{
	return ke->ops->method;
}

void ke_free(struct ke *ke)
{
	if (ke == NULL)
		return;
	/* softoken zeroes the key object when it is destroyed */
	if (ke->priv != NULL)
		SECKEY_DestroyPrivateKey(ke->priv);
	if (ke->pubkey != NULL)
		SECKEY_DestroyPublicKey(ke->pubkey);
	EVP_PKEY_free(ke->pkey);	/* OpenSSL clears the private key */
	chunk_free(&ke->pub);
	chunk_free(&ke->secret);
	chunk_wipe(ke, sizeof(*ke));
	free(ke);
}

enum ke_result ke_dh_respond(struct ke *ke, const uint8_t *peer, size_t len,
			     struct chunk *shared)
{
	enum ke_result r = ke->ops->initiate(ke);
	if (r != KE_OK)
		return r;
	return ke->ops->finish(ke, peer, len, shared);
}

bool ke_x25519_all_zero(const struct chunk *s)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < s->len; i++)
		acc |= s->ptr[i];
	return acc == 0;
}

enum ke_result ke_symkey_to_chunk(PK11SymKey *sym, size_t len, struct chunk *shared)
{
	if (PK11_ExtractKeyValue(sym) != SECSuccess)
		return KE_FAILED;
	const SECItem *v = PK11_GetKeyData(sym);	/* owned by sym */
	if (v == NULL || v->data == NULL || v->len > len)
		return KE_FAILED;
	*shared = chunk_alloc(len);
	memcpy(shared->ptr + (len - v->len), v->data, v->len);
	return KE_OK;
}
