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

/* The longest Authentication Data we make: RFC 7427's AlgorithmIdentifier and a
 * signature, or a PRF output */
#define AUTH_DATA_MAX (1 + SIGALG_MAX_ALGID + CRYPT_MAX_SIG_LEN)

/* Our AUTH payload over the signed octets */
bool auth_put(struct ike_buf *b, struct ike_sa *ike, const struct chunk *signed_octets,
	      const struct chunk *psk);
/* A signature as our AUTH, in two steps so that a crypto helper may make it
 * (ike_auth.c): which scheme and AUTH method (false, logged, when none fits the
 * peer), then the AUTH payload from the signature (freed) */
struct auth_sig_plan {
	enum crypt_sig s;
	bool digsig;		/* RFC 7427 method 14: DER ECDSA, AlgorithmIdentifier */
	uint8_t method;
};
bool auth_sig_plan(struct ike_sa *ike, struct auth_sig_plan *plan);
bool auth_sig_encode(struct ike_sa *ike, const struct auth_sig_plan *plan, struct chunk *sig, bool log,
		     uint8_t *method, uint8_t *data, size_t cap, size_t *len);
bool auth_put_sig(struct ike_buf *b, struct ike_sa *ike, const struct auth_sig_plan *plan, struct chunk *sig);
/* offload.c: the signature job (a helper_job): our signature over the signed octets
 * with our own reference to the connection's key; sign_job_new() takes *so */
struct sign_job {
	struct helper_job h;
	struct crypt_privkey *key;
	struct auth_sig_plan plan;
	struct chunk so;
	struct chunk sig;		/* out */
	bool ok;
};
struct sign_job *sign_job_new(struct ike_sa *ike, const struct auth_sig_plan *plan, struct chunk *so);
void sign_job_free(struct helper_job *h);
/* The same AUTH's Authentication Data alone (what follows Auth Method and RESERVED),
 * for RFC 8784's NO_PPK_AUTH: data[*len] */
bool auth_data(struct ike_sa *ike, const struct chunk *signed_octets, const struct chunk *psk,
	       uint8_t *data, size_t cap, size_t *len);

/* The peer's AUTH payload, its certificate and its ID against the connection:
 * false with one log line that says exactly why.  psk is the secret for the peer
 * when the connection allows one (NULL otherwise).  With no_ppk_auth, its data
 * stand for the AUTH payload's Authentication Data (RFC 8784 3). */
bool auth_verify(struct ike_sa *ike, const struct msg_digest *md, const struct ike_id *peer,
		 const struct chunk *signed_octets, const struct chunk *psk,
		 const struct ike_notify_pl *no_ppk_auth);

/* --- RFC 8784 postquantum preshared keys (ppk.c) --- */

/* IKE_SA_INIT, initiator: whether we propose a PPK (ppk= and a PPKS entry for the
 * IDs); false, with a log line, when ppk=insist and there is none */
bool ppk_init_i(struct ike_sa *ike);
/* our USE_PPK: the initiator's proposal, or the responder's answer to it */
void ppk_put_init(struct ike_buf *b, const struct ike_sa *ike, bool responder);
/* the peer's USE_PPK: a responder notes it (and whether it answers); an initiator
 * learns whether PPK is negotiated: false, with a log line, under ppk=insist when
 * the responder did not answer USE_PPK (RFC 8784 3: abort) */
void ppk_read_init_r(struct ike_sa *ike, const struct msg_digest *md);
bool ppk_read_init_i(struct ike_sa *ike, const struct msg_digest *md);

/* IKE_AUTH request, initiator: the PPK to use (mixed into the keys by
 * ppk_mix_i()), or none; false (a log line) when ppk=insist finds none */
bool ppk_choose_i(struct ike_sa *ike, const struct conf_secret **ppk);
/* mixes the PPK into SK_d, SK_pi, SK_pr, keeping the keys before for the response */
bool ppk_mix_i(struct ike_sa *ike, const struct conf_secret *ppk);
/* N(PPK_IDENTITY) and, unless ppk=insist, N(NO_PPK_AUTH) with no_ppk_auth[len] */
void ppk_put_auth_i(struct ike_buf *b, const struct ike_sa *ike, const uint8_t *no_ppk_auth, size_t len);
/* IKE_AUTH response, initiator: whether the responder used the PPK (an empty
 * PPK_IDENTITY): keep the mixed keys, or go back to the unmixed ones; false (a
 * log line) under ppk=insist when it did not */
bool ppk_response_i(struct ike_sa *ike, const struct msg_digest *md);

/* IKE_AUTH request, responder (RFC 8784 3), after the connection and the peer's
 * ID are known */
enum ppk_r {
	PPK_R_NONE,		/* no PPK in play: AUTH as usual */
	PPK_R_USED,		/* the keys are mixed with the peer's PPK: AUTH with them */
	PPK_R_FALLBACK,		/* no such PPK: *no_ppk_auth stands for AUTH, unmixed keys */
	PPK_R_FAIL,		/* AUTHENTICATION_FAILED (logged) */
	PPK_R_SYNTAX,		/* a malformed PPK_IDENTITY: INVALID_SYNTAX (logged) */
};
enum ppk_r ppk_auth_r(struct ike_sa *ike, const struct msg_digest *md, const struct ike_id *peer,
		      struct ike_notify_pl *no_ppk_auth);
/* the responder's N(PPK_IDENTITY) (empty) when it used the PPK */
void ppk_put_auth_r(struct ike_buf *b, const struct ike_sa *ike);
/* for the established line "; PPK_ID "ID" used", "; no PPK" (negotiated, not used)
 * or ""; for status "used, ID "ID"" or "not used" */
#define PPK_NOTE_MAX 540
const char *ppk_note(const struct ike_sa *ike, bool status, char *buf, size_t len);

#endif
