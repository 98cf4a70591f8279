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
#include "crypt.h"

struct ke;

struct ke_ops {
	enum ike_ke_method method;
	size_t len_i;		/* KE data octets sent by the initiator */
	size_t len_r;		/* KE data octets sent by the responder */
	enum ke_result (*initiate)(struct ke *ke);
	enum ke_result (*respond)(struct ke *ke, const uint8_t *peer, size_t len,
				  struct chunk *shared);
	enum ke_result (*finish)(struct ke *ke, const uint8_t *peer, size_t len,
				 struct chunk *shared);
	const void *group;	/* method parameters (curve, prime) */
};

struct ke {
	const struct ke_ops *ops;
	struct chunk pub;		/* our KE data, as on the wire */
	SECKEYPrivateKey *priv;		/* DH: NSS private key (destroyed by ke_free) */
	SECKEYPublicKey *pubkey;	/* DH: NSS public key */
	struct chunk secret;		/* KEM: private state, wiped by ke_free */
};

extern const struct ke_ops ke_x25519_ops;
extern const struct ke_ops ke_ecp256_ops, ke_ecp384_ops;
extern const struct ke_ops ke_modp2048_ops, ke_modp3072_ops;
extern const struct ke_ops ke_mlkem512_ops, ke_mlkem768_ops, ke_mlkem1024_ops;

/* respond for DH groups: a key pair of our own, then the shared secret */
enum ke_result ke_dh_respond(struct ke *ke, const uint8_t *peer, size_t len,
			     struct chunk *shared);
/* The value of a derived NSS key as octets, left-padded with zeros to len. */
enum ke_result ke_symkey_to_chunk(PK11SymKey *sym, size_t len, struct chunk *shared);

/* EC (ke_ec.c), shared by ke_x25519.c and ke_ecp.c */
enum ke_result ke_ec_generate(struct ke *ke, SECOidTag curve, size_t skip);
enum ke_result ke_ec_derive(struct ke *ke, const uint8_t *point, size_t len, size_t secret_len,
			    struct chunk *shared);

#endif
