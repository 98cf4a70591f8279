/* ke_int.h -- inside lib/libcrypt only: the key exchange method table.
 *
 * Every method is one struct ke_ops.  A Diffie-Hellman group implements initiate
 * (generate a key pair) and finish (derive from the peer's public value) and uses
 * ke_dh_respond (initiate + finish) as respond.  A KEM (RFC 9370, ML-KEM) fills
 * the same three slots with KeyGen, Encaps and Decaps; the responder's KE data is
 * then the ciphertext, so len_r may differ from len_i.
 */
#ifndef KE_INT_H
#define KE_INT_H

#include <keythi.h>
#include "backend.h"

struct ke;

/* One implementation of one method; ke.c's table lists every implementation and
 * runs the one whose library crypt_choices[prim] names (backend.h). */
struct ke_ops {
	enum ike_ke_method method;
	enum crypt_prim prim;
	enum crypt_lib lib;
	size_t len_i;		/* KE data octets sent by the initiator */
	size_t len_r;		/* KE data octets sent by the responder */
	enum ke_result (*initiate)(struct ke *ke);
	enum ke_result (*respond)(struct ke *ke, const uint8_t *peer, size_t len,
				  struct chunk *shared);
	enum ke_result (*finish)(struct ke *ke, const uint8_t *peer, size_t len,
				 struct chunk *shared);
	const void *group;	/* method parameters (curve, prime) */
	/* known-answer tests only: a key pair from a private value; NULL if not offered */
	enum ke_result (*from_private)(struct ke *ke, const uint8_t *priv, size_t len);
};

struct ke {
	const struct ke_ops *ops;
	struct chunk pub;		/* our KE data, as on the wire */
	SECKEYPrivateKey *priv;		/* DH: NSS private key (destroyed by ke_free) */
	SECKEYPublicKey *pubkey;	/* DH: NSS public key */
	struct evp_pkey_st *pkey;	/* DH: OpenSSL key pair (freed by ke_free) */
	struct chunk secret;		/* KEM: private state, wiped by ke_free */
};

extern const struct ke_ops ke_x25519_ops, ke_x25519_ossl_ops;
extern const struct ke_ops ke_ecp256_ops, ke_ecp384_ops, ke_ecp521_ops;
extern const struct ke_ops ke_ecp256_ossl_ops, ke_ecp384_ossl_ops, ke_ecp521_ossl_ops;
extern const struct ke_ops ke_modp2048_ops, ke_modp3072_ops;
extern const struct ke_ops ke_mlkem512_ops, ke_mlkem768_ops, ke_mlkem1024_ops;

/* respond for DH groups: a key pair of our own, then the shared secret */
enum ke_result ke_dh_respond(struct ke *ke, const uint8_t *peer, size_t len,
			     struct chunk *shared);
/* The value of a derived NSS key as octets, left-padded with zeros to len. */
enum ke_result ke_symkey_to_chunk(PK11SymKey *sym, size_t len, struct chunk *shared);

/* RFC 8031 2 / RFC 7748 6.1: an all-zero X25519 shared secret (a small-order peer
 * value) must be rejected; checked in constant time (ke.c). */
bool ke_x25519_all_zero(const struct chunk *s);

/* EC (ke_ec.c), shared by ke_x25519.c and ke_ecp.c */
enum ke_result ke_ec_generate(struct ke *ke, SECOidTag curve, size_t skip);
enum ke_result ke_ec_derive(struct ke *ke, const uint8_t *point, size_t len, size_t secret_len,
			    struct chunk *shared);

#endif
