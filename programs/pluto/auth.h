/* auth.h -- how this end proves itself and how the peer's proof is checked in
 * IKE_AUTH (RFC 7296 2.15): a shared secret, or a signature with a certificate from
 * the NSS database (RFC 7427, RFC 7296 3.8 RSA, RFC 4754 ECDSA), the certificate
 * chain checked against the database's trust anchors (RFC 7296 3.6, RFC 4945). */
#ifndef AUTH_H
#define AUTH_H

#include "ikev2.h"

/* whether an end of a connection authenticates with a signature */
bool auth_is_sig(enum conf_auth a);
/* the connection signs or wants signatures: it sends SIGNATURE_HASH_ALGORITHMS */
bool auth_conn_uses_sig(const struct connection *c);

/* At whack --add: our private key and certificate (leftcert=), leftid=%fromcert,
 * the kind of key against leftauth=.  False with a reason in why. */
bool auth_load_conn(struct connection *c, char *why, size_t len);
void auth_free_conn(struct connection *c);

/* IKE_SA_INIT: our notify (and, for a responder that wants the peer's certificate,
 * CERTREQ, RFC 7296 3.7); what the peer's said */
void auth_put_init(struct ike_buf *b, const struct ike_sa *ike, bool responder);
void auth_read_init(struct ike_sa *ike, const struct msg_digest *md);

/* IKE_AUTH: our CERT (RFC 7296 3.6, when leftsendcert= says so) and, when we want
 * the peer's certificate, our CERTREQ (initiator only) */
void auth_put_certs(struct ike_buf *b, struct ike_sa *ike, const struct msg_digest *md, bool initiator);

/* Our AUTH payload over the signed octets */
bool auth_put(struct ike_buf *b, struct ike_sa *ike, const struct chunk *signed_octets,
	      const struct chunk *psk);

/* The peer's AUTH payload, its certificate and its ID against the connection:
 * false with one log line that says exactly why.  psk is the secret for the peer
 * when the connection allows one (NULL otherwise). */
bool auth_verify(struct ike_sa *ike, const struct msg_digest *md, const struct ike_id *peer,
		 const struct chunk *signed_octets, const struct chunk *psk);

#endif
