/* ke.c -- key exchange dispatch (crypt.h): one table row per method (ke_int.h). */
#include <stdlib.h>
#include <string.h>
#include <pk11pub.h>
#include <keyhi.h>
#include "ke_int.h"

static const struct ke_ops *const ke_methods[] = {
	&ke_modp2048_ops,
	&ke_modp3072_ops,
	&ke_ecp256_ops,
	&ke_ecp384_ops,
	&ke_x25519_ops,
	&ke_mlkem512_ops,
	&ke_mlkem768_ops,
	&ke_mlkem1024_ops,
};

static const struct ke_ops *ke_lookup(enum ike_ke_method method)
{
	for (size_t i = 0; i < sizeof(ke_methods) / sizeof(ke_methods[0]); i++)
		if (ke_methods[i]->method == method)
			return ke_methods[i];
	return NULL;
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

enum ke_result ke_initiate(enum ike_ke_method method, struct ke **out)
{
	*out = NULL;
	const struct ke_ops *ops = ke_lookup(method);
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

enum ke_result ke_respond(enum ike_ke_method method, const uint8_t *peer, size_t len,
			  struct ke **out, struct chunk *shared)
{
	*out = NULL;
	*shared = CHUNK_EMPTY;
	const struct ke_ops *ops = ke_lookup(method);
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
