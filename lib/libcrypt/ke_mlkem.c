/* ke_mlkem.c -- ML-KEM-512/768/1024 as key exchange methods 35/36/37
 * (draft-ietf-ipsecme-ikev2-mlkem, FIPS 203).
 *
 * The initiator's KE data is the encapsulation key ek (KeyGen, Algorithm 19), and its
 * decapsulation key dk stays in ke->secret (wiped by ke_free).  The responder runs
 * Encaps (Algorithm 20, with the 7.2 checks on ek) and sends the ciphertext; the
 * initiator runs Decaps (Algorithm 21, 7.3 ciphertext length check).  The shared
 * secret is K, 32 octets, on both sides.
 */
#include "ke_int.h"
#include "mlkem.h"

static const enum mlkem_set mlkem512 = MLKEM_512, mlkem768 = MLKEM_768,
			     mlkem1024 = MLKEM_1024;

static enum mlkem_set ke_mlkem_set(const struct ke *ke)
{
	return *(const enum mlkem_set *)ke->ops->group;
}

static enum ke_result ke_mlkem_initiate(struct ke *ke)
{
	enum mlkem_set set = ke_mlkem_set(ke);
	ke->pub = chunk_alloc(mlkem_ek_len(set));
	ke->secret = chunk_alloc(mlkem_dk_len(set));
	return mlkem_keygen(set, ke->pub.ptr, ke->secret.ptr);
}

static enum ke_result ke_mlkem_respond(struct ke *ke, const uint8_t *peer, size_t len,
				       struct chunk *shared)
{
	enum mlkem_set set = ke_mlkem_set(ke);
	ke->pub = chunk_alloc(mlkem_ct_len(set));
	*shared = chunk_alloc(MLKEM_SHARED_LEN);
	enum ke_result r = mlkem_encaps(set, peer, len, ke->pub.ptr, shared->ptr);
	if (r != KE_OK)
		chunk_free(shared);
	return r;
}

static enum ke_result ke_mlkem_finish(struct ke *ke, const uint8_t *peer, size_t len,
				      struct chunk *shared)
{
	enum mlkem_set set = ke_mlkem_set(ke);
	if (ke->secret.len != mlkem_dk_len(set))
		return KE_FAILED;	/* not an initiator's state */
	*shared = chunk_alloc(MLKEM_SHARED_LEN);
	enum ke_result r = mlkem_decaps(set, ke->secret.ptr, peer, len, shared->ptr);
	if (r != KE_OK)
		chunk_free(shared);
	return r;
}

const struct ke_ops ke_mlkem512_ops = {
	.method = IKE_KE_MLKEM512,
	.prim = CRYPT_PRIM_MLKEM,
	.lib = CRYPT_LIB_OURS,
	.len_i = 800,
	.len_r = 768,
	.initiate = ke_mlkem_initiate,
	.respond = ke_mlkem_respond,
	.finish = ke_mlkem_finish,
	.group = &mlkem512,
};

const struct ke_ops ke_mlkem768_ops = {
	.method = IKE_KE_MLKEM768,
	.prim = CRYPT_PRIM_MLKEM,
	.lib = CRYPT_LIB_OURS,
	.len_i = 1184,
	.len_r = 1088,
	.initiate = ke_mlkem_initiate,
	.respond = ke_mlkem_respond,
	.finish = ke_mlkem_finish,
	.group = &mlkem768,
};

const struct ke_ops ke_mlkem1024_ops = {
	.method = IKE_KE_MLKEM1024,
	.prim = CRYPT_PRIM_MLKEM,
	.lib = CRYPT_LIB_OURS,
	.len_i = 1568,
	.len_r = 1568,
	.initiate = ke_mlkem_initiate,
	.respond = ke_mlkem_respond,
	.finish = ke_mlkem_finish,
	.group = &mlkem1024,
};
