/* ikev2.h -- the exchange/transition table, its driver, and what handlers see. */
#ifndef IKEV2_H
#define IKEV2_H

#include "pluto.h"
#include "sk_record.h"
#include "crypt.h"
#include "helper.h"

/* A received message after demux (and, for SK messages, reassembly + decryption). */
struct msg_digest {
	struct iface *ifc;
	struct ip_addr from, to;
	uint16_t fport;
	const uint8_t *raw;		/* IKE message as received (no non-ESP marker) */
	size_t raw_len;
	struct ike_hdr hdr;
	bool response;			/* R flag */
	struct ike_chain outer;		/* payloads outside SK */
	bool encrypted;
	struct ike_chain inner;		/* payloads inside SK (when encrypted) */
	const struct ike_chain *pl;	/* what handlers read: inner if encrypted, else outer */
	struct sk_record rec;		/* RFC 9242: the one record of this message */
	struct chunk plain;		/* buffer holding the decrypted plaintext */
};

enum tr_result {
	TR_NEXT,	/* success: go to the row's next state */
	TR_NEXT_ALT,	/* success: go to the row's alternative next state */
	TR_STAY,	/* handled, state unchanged */
	TR_IGNORE,	/* dropped (logged by the handler), state unchanged */
	TR_FAIL,	/* negotiation failed; the handler logged and answered; delete the SA */
	TR_DONE,	/* the SA is finished (deleted by request); delete it quietly */
	TR_SUSPEND,	/* a crypto helper works for it (ikev2_offload()); the driver
			 * finishes the transition when the result is back */
};

typedef enum tr_result tr_handler(struct ike_sa *ike, struct msg_digest *md);
/* The rest of a handler after its crypto job.  md is the message itself when the
 * job ran inline (nhelpers=0), else the driver's copy of it: header, addresses,
 * interface, R/I flags, the raw octets and its payloads (md->pl) decoded again from
 * copies of the raw message or of its SK plaintext; md->rec has only the plaintext. */
typedef enum tr_result tr_resume_fn(struct ike_sa *ike, struct msg_digest *md, struct helper_job *job);
/* A handler's costly step: with helpers, queue job and return TR_SUSPEND (the SA
 * waits; demux.c drops its messages meanwhile, but answers retransmissions of
 * earlier requests from the cache); without, run it now and return resume's
 * result.  job->cleanup runs either way. */
enum tr_result ikev2_offload(struct ike_sa *ike, struct msg_digest *md, struct helper_job *job,
			     tr_resume_fn *resume);
void ikev2_suspend_free(struct ike_sa *ike);
/* a job outside a transition (an initiator's first key pair): to a helper, done
 * called back with the SA; or now, inline (whack --impair slow-crypto applies) */
void ikev2_submit(struct ike_sa *ike, struct helper_job *job, helper_done_fn *done);
void ikev2_run_inline(struct ike_sa *ike, struct helper_job *job);
/* the IKE_SA_INIT request of an initiator is out (after its key pair, maybe
 * computed by a helper): state IKE_I_INIT_SENT, or the SA deleted when !sent */
void ikev2_init_sent(struct ike_sa *ike, bool sent);

/* offload.c: the key exchange job (a helper_job): our key pair, or the shared
 * secret from the peer's KE data, and optionally the keys that follow from it,
 * computed from copies.  ke_job_free() wipes it. */
enum kj_op { KJ_INITIATE, KJ_RESPOND, KJ_FINISH };
enum kj_keys { KJ_NO_KEYS, KJ_IKE_SA_INIT, KJ_ADDKE };
struct ke_job {
	struct helper_job h;
	/* in */
	enum kj_op op;
	enum kj_keys keys_op;
	uint16_t method;
	struct chunk peer;		/* the peer's KE data */
	struct ke *ke;			/* KJ_FINISH: ours, moved in; else the result */
	enum ike_prf prf;
	struct chunk ni, nr, old_sk_d;
	uint8_t spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];
	struct keymat_sizes sizes;
	/* out */
	enum ke_result kr;
	struct chunk secret, skeyseed;	/* g^ir or SK(n); SKEYSEED (IKE_SA_INIT) */
	struct ike_keys keys;
	bool keys_ok;
};
struct ke_job *ke_job_new(struct ike_sa *ike, enum kj_op op, uint16_t method, const uint8_t *peer,
			  size_t len, const char *what);
/* the keys to derive after the exchange, from the SA's nonces, SPIs and PRF now */
void ke_job_keys(struct ke_job *j, const struct ike_sa *ike, enum kj_keys keys_op);
void ke_job_free(struct helper_job *h);

/* Who may receive a row's message: bits, so that a row can serve both roles */
enum tr_role { ROLE_INITIATOR = 1, ROLE_RESPONDER = 2, ROLE_EITHER = 3 };
enum tr_dir { DIR_REQUEST, DIR_RESPONSE };

/* how many payloads of one type a message may carry (RFC 7296 3.x) */
struct tr_pl_rule {
	uint8_t type, min, max;
};
#define TR_MAX_PL_RULES 12

struct transition {
	const char *story;
	enum ike_state state;
	uint8_t exchange;
	enum tr_role role;		/* our role in the IKE SA (original initiator or not) */
	enum tr_dir dir;		/* the message is a request or a response */
	struct tr_pl_rule pl[TR_MAX_PL_RULES];	/* of md->pl; ends at type 0 */
	tr_handler *handler;
	enum ike_state next, next_alt;
};

/* ikev2.c: the driver */
void ikev2_process(struct ike_sa *ike, struct msg_digest *md);
struct ike_sa *ikev2_initiate(struct pluto *p, struct connection *c, struct whack_client *w);
void ikev2_delete_ike(struct ike_sa *ike);
/* consistency of the table (unit test): returns the number of bad rows */
unsigned ikev2_table_check(char *why, size_t len);
/* the row for a message, NULL if none; the payload counts of a row (unit tests) */
const struct transition *ikev2_find_row(enum ike_state state, uint8_t exchange, bool initiator,
					bool response);
bool ikev2_payloads_ok(const struct transition *t, const struct ike_chain *pl, char *why, size_t len);
/* an initiator's step after IKE_SA_INIT or an IKE_INTERMEDIATE round: the next
 * IKE_INTERMEDIATE round (TR_NEXT_ALT; TR_SUSPEND while a helper makes its key
 * pair) or IKE_AUTH (TR_NEXT); TR_FAIL if it cannot be sent.  md: the response */
enum tr_result ikev2_next_request(struct ike_sa *ike, struct msg_digest *md);

/* send.c: building, protecting, sending */
/* IKE_SA_INIT (unprotected) request / response: b holds the whole message */
bool send_init_request(struct ike_sa *ike, struct ike_buf *b);
bool send_init_response(struct ike_sa *ike, const struct msg_digest *md, struct ike_buf *b);
/* unprotected notify answer to an IKE_SA_INIT request, without keeping state */
void send_init_notify(struct pluto *p, const struct msg_digest *md, uint16_t ntype,
		      const void *data, size_t len);
/* INVALID_IKE_SPI for a request to SPIs we do not know (rate-limited) */
void send_invalid_spi(struct pluto *p, const struct msg_digest *md);
/* protected request / response: inner holds the SK plaintext payload chain */
bool send_request(struct ike_sa *ike, uint8_t exchange, const struct ike_buf *inner);
bool send_response(struct ike_sa *ike, const struct msg_digest *md, const struct ike_buf *inner);
/* protected response carrying one error notify */
void send_notify_response(struct ike_sa *ike, const struct msg_digest *md, uint16_t ntype,
			  const void *data, size_t len);
void send_retransmit_cancel(struct ike_sa *ike);
/* our outstanding request was answered: stop retransmitting, send the next queued one */
void send_request_done(struct ike_sa *ike);
void send_queue_free(struct ike_sa *ike);
/* the record of an outgoing or incoming IKE_INTERMEDIATE goes to the transcript */
bool ikev2_record(struct ike_sa *ike, uint8_t exchange, bool from_initiator,
		  const struct sk_record *rec);

/* handlers (ike_sa_init.c, ike_intermediate.c, ike_auth.c, informational.c, create_child_sa.c) */
bool ike_sa_init_initiate(struct ike_sa *ike);
tr_handler ike_sa_init_r, ike_sa_init_i;
enum tr_result ike_intermediate_initiate(struct ike_sa *ike, struct msg_digest *md);
tr_handler ike_intermediate_r, ike_intermediate_i;
enum tr_result ike_auth_initiate(struct ike_sa *ike, struct msg_digest *md);
tr_handler ike_auth_r, ike_auth_i;
tr_handler informational_r, informational_i;
tr_handler create_child_sa_r, create_child_sa_i, ike_followup_ke_r, ike_followup_ke_i, create_child_sa_deleting;
/* create_child_sa.c: start a new Child SA for c on an established IKE SA, or the
 * rekey of old (c ignored); the rekey of the IKE SA.  False when it cannot start now
 * (another exchange of ours in flight). */
bool create_child_sa_initiate(struct ike_sa *ike, struct connection *c, struct child_sa *old);
bool create_child_sa_rekey_ike(struct ike_sa *ike);
void cc_free(struct cc_exchange *x);
/* connection c is going: exchanges in flight for its Child SAs drop them (ours is
 * still answered, then ends; the peer's waiting one is forgotten) */
void create_child_sa_forget_conn(struct ike_sa *ike, const struct connection *c);

/* helpers shared by handlers */
const struct chunk *ike_sk_p(const struct ike_sa *ike, bool of_initiator);
bool ike_derive_keys(struct ike_sa *ike, const struct chunk *gir);
/* debug: the IKE SA's keys (sizes; values with crypt), what they came from */
void ike_dbg_keys(struct ike_sa *ike, const char *when, const struct chunk *secret, const struct chunk *skeyseed);
/* debug: the peer's proposals and ours */
void dbg_proposals(struct ike_sa *ike, const char *kind, const struct ike_sa_pl *sa, const char *ours);
bool ike_setup_suite(struct ike_sa *ike);

#endif
