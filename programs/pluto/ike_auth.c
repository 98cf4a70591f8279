/* ike_auth.c -- the IKE_AUTH exchange (RFC 7296 1.2, 2.15): the signed octets with
 * the RFC 9242 3.3.2 IntAuth appended, authenticated with a shared secret or a
 * signature (auth.c), an RFC 8784 PPK mixed into the keys first (ppk.c), and one
 * Child SA. */
#include <string.h>
#include "ikev2.h"
#include "auth.h"
#include "admission.h"
#include "authdata.h"
#include "child_sa.h"

#define ID_BODY_MAX (4 + IKE_ID_MAX)

/* IDx' (RFC 7296 2.15): ID Type | RESERVED (3) | data */
static size_t id_body(const struct ike_id *id, uint8_t out[ID_BODY_MAX])
{
	memset(out, 0, 4);
	out[0] = id->type;
	memcpy(out + 4, id->data, id->len);
	return 4 + (size_t)id->len;
}

/* RFC 7296 2.15: the octets one side's AUTH covers: RealMessage | Nonce(peer) |
 * prf(SK_p, IDx') | IntAuth, where IntAuth (RFC 9242 3.3.2) is empty without
 * IKE_INTERMEDIATE.  Empty on failure. */
static struct chunk signed_octets(struct ike_sa *ike, bool for_initiator, const uint8_t *idb,
				  size_t idlen, uint32_t auth_msgid)
{
	uint8_t maced[CRYPT_MAX_PRF_LEN], intauth[2 * CRYPT_MAX_PRF_LEN + 4];
	if (!authdata_maced_id(ike->prf, ike_sk_p(ike, for_initiator), idb, idlen, maced))
		return CHUNK_EMPTY;
	size_t ilen = transcript_intauth(&ike->transcript, auth_msgid, intauth, sizeof(intauth));
	/* RFC 9242 3.3.2: AUTH covers every IKE_INTERMEDIATE message; never fail open */
	if (ike->int_rounds > 0 && ilen == 0)
		return CHUNK_EMPTY;
	const struct chunk *real = for_initiator ? &ike->real_msg_i : &ike->real_msg_r;
	const struct chunk *nonce = for_initiator ? &ike->nr : &ike->ni;
	struct chunk so = authdata_signed_octets(real->ptr, real->len, nonce, maced, ike->sizes.prf,
						 intauth, ilen);
	chunk_wipe(maced, sizeof(maced));
	return so;
}

/* Our AUTH payload (auth.c: a shared secret's MAC or a signature) */
static bool put_auth(struct ike_sa *ike, struct ike_buf *b, bool initiator, const uint8_t *idb,
		     size_t idlen, uint32_t auth_msgid, const struct chunk *psk)
{
	struct chunk so = signed_octets(ike, initiator, idb, idlen, auth_msgid);
	bool ok = so.ptr != NULL && auth_put(b, ike, &so, psk);
	chunk_free(&so);
	return ok;
}

/* The peer's AUTH payload over its signed octets (or, RFC 8784 3, the data of
 * its NO_PPK_AUTH in the AUTH payload's place) */
static bool verify_auth(struct ike_sa *ike, const struct msg_digest *md, const struct ike_id_pl *id,
			const struct ike_id *peer, const struct chunk *psk, const struct ike_notify_pl *no_ppk_auth)
{
	struct chunk so = signed_octets(ike, !ike->initiator, id->body, id->body_len, md->hdr.msgid);
	bool ok = so.ptr != NULL && auth_verify(ike, md, peer, &so, psk, no_ppk_auth);
	chunk_free(&so);
	return ok;
}

/* RFC 8784 3, initiator: NO_PPK_AUTH's Authentication Data made as without a PPK
 * (with SK_pi; none under ppk=insist), then the PPK mixed into SK_d, SK_pi, SK_pr,
 * so that AUTH is made with SK_pi' */
static bool ppk_prepare(struct ike_sa *ike, const struct conf_secret *ppk, const uint8_t *idb, size_t idlen,
			const struct chunk *psk, uint8_t *no_ppk_auth, size_t cap, size_t *len)
{
	*len = 0;
	if (ike->c->conf.ppk != CONF_PPK_INSIST) {
		struct chunk so = signed_octets(ike, true, idb, idlen, ike->next_msgid_out);
		bool ok = so.ptr != NULL && auth_data(ike, &so, psk, no_ppk_auth, cap, len);
		chunk_free(&so);
		if (!ok)
			return false;
	}
	return ppk_mix_i(ike, ppk);
}

/* The peer's ID must be the one configured (rightid=), unless that is %any. */
static bool peer_id_ok(struct ike_sa *ike, const struct ike_id_pl *id, struct ike_id *peer)
{
	memset(peer, 0, sizeof(*peer));
	if (id->len > IKE_ID_MAX)
		return false;
	peer->type = id->type;
	peer->len = (uint8_t)id->len;
	memcpy(peer->data, id->data, id->len);
	const struct ike_id *want = &ike->c->remote->id;
	char a[300], b[300];
	if (want->type != 0 && !ike_id_eq(want, peer)) {
		ike_log(ike, "peer ID '%s' does not match the expected '%s'", ike_id_str(peer, a, sizeof(a)),
			ike_id_str(want, b, sizeof(b)));
		return false;
	}
	return true;
}

/* The shared secret for the peer, when either end of the connection uses one;
 * *ok is false when ours needs one and there is none. */
static const struct chunk *find_psk(struct ike_sa *ike, const struct ike_id *peer, bool *ok)
{
	*ok = true;
	const struct connection *c = ike->c;
	if (c->local->auth != CONF_AUTH_PSK && c->remote->auth != CONF_AUTH_PSK)
		return NULL;
	const struct chunk *psk = conf_secrets_psk(&ike->pluto->secrets, &c->local->id, peer);
	if (IKE_DBGP(ike, DBG_BASE)) {
		char a[300], b[300];
		ike_dbg(ike, "PSK for '%s' and '%s': %s", ike_id_str(&c->local->id, a, sizeof(a)),
			ike_id_str(peer, b, sizeof(b)), psk != NULL ? "found in the secrets file" : "none");
	}
	if (psk == NULL && c->local->auth == CONF_AUTH_PSK) {
		char a[300];
		ike_log(ike, "no PSK found for peer ID '%s'", ike_id_str(peer, a, sizeof(a)));
		*ok = false;
	}
	return psk;
}

/* IKE_AUTH request: [N(USE_TRANSPORT_MODE)], SAi2, TSi, TSr (RFC 7296 1.2) */
static void put_child_request(struct ike_sa *ike, struct ike_buf *b)
{
	struct child_sa *child = child_sa_propose(ike, ike->c);
	if (child == NULL)
		return;
	child_put_mode(b, child);
	child_put_proposals(b, ike, child, IKE_AUTH);
	child_put_ts(b, child, true);
}

/* The IKE_AUTH request; our AUTH from psk, or the signature a helper made (sj) */
static bool send_auth_request(struct ike_sa *ike, const struct chunk *psk, const struct conf_secret *ppk,
			      struct sign_job *sj)
{
	struct connection *c = ike->c;
	uint8_t storage[IKE_AUTH_MSG_MAX], idb[ID_BODY_MAX], no_ppk_auth[AUTH_DATA_MAX];
	size_t no_ppk_len = 0;
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	size_t idlen = id_body(&c->local->id, idb);
	codec_put_id(&inner, IKE_PL_IDI, c->local->id.type, c->local->id.data, c->local->id.len);
	/* RFC 7296 1.2: IDi, [CERT,] [CERTREQ,] [IDr,] AUTH, SAi2, TSi, TSr */
	auth_put_certs(&inner, ike, NULL, true);
	/* RFC 7296 2.4: the first IKE SA with this peer says so; the peer then
	 * removes what it still holds from our earlier life */
	if (!ike_sa_other_with_peer(ike)) {
		ike->sent_initial_contact = true;
		codec_put_notify(&inner, IKE_PROTO_NONE, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	}
	/* RFC 7296 3.5: IDr in the request names the responder we want */
	if (c->remote->has_id && c->remote->id.type != 0)
		codec_put_id(&inner, IKE_PL_IDR, c->remote->id.type, c->remote->id.data, c->remote->id.len);
	bool ok = (ppk == NULL || ppk_prepare(ike, ppk, idb, idlen, psk, no_ppk_auth, sizeof(no_ppk_auth),
					      &no_ppk_len)) &&
		  (sj != NULL ? auth_put_sig(&inner, ike, &sj->plan, &sj->sig) :
				put_auth(ike, &inner, true, idb, idlen, ike->next_msgid_out, psk));
	if (ok) {
		put_child_request(ike, &inner);
		/* RFC 8784 3: N(PPK_IDENTITY) [N(NO_PPK_AUTH)] after the Child SA's payloads */
		ppk_put_auth_i(&inner, ike, no_ppk_auth, no_ppk_len);
	}
	chunk_wipe(no_ppk_auth, sizeof(no_ppk_auth));
	if (!ok)
		return false;
	if (inner.overflow) {
		ike_log(ike, "IKE_AUTH request does not fit in %u octets", IKE_AUTH_MSG_MAX);
		return false;
	}
	if (ike->int_rounds > 0)
		ike_log(ike, "IKE_AUTH: authenticating %u IKE_INTERMEDIATE round(s) (IntAuth)", ike->int_rounds);
	return send_request(ike, IKE_AUTH, &inner);
}

/* A signature of ours over the signed octets of who, as a job for a crypto helper
 * (offload.c); NULL (logged) when none can be made */
static struct sign_job *sign_job_for(struct ike_sa *ike, bool initiator, uint32_t auth_msgid)
{
	struct auth_sig_plan plan;
	if (!auth_sig_plan(ike, &plan))
		return NULL;
	uint8_t idb[ID_BODY_MAX];
	size_t idlen = id_body(&ike->c->local->id, idb);
	struct chunk so = signed_octets(ike, initiator, idb, idlen, auth_msgid);
	struct sign_job *j = so.ptr != NULL ? sign_job_new(ike, &plan, &so) : NULL;
	chunk_free(&so);
	if (j == NULL)
		ike_log(ike, "cannot make our AUTH signature");
	return j;
}

static enum tr_result auth_i_signed(struct ike_sa *ike, struct msg_digest *md, struct helper_job *h)
{
	struct sign_job *j = (struct sign_job *)h;
	if (!j->ok) {
		ike_log(ike, "cannot sign our AUTH with %s", sigalg_name(j->plan.s));
		return TR_FAIL;
	}
	return send_auth_request(ike, NULL, NULL, j) ? TR_NEXT : TR_FAIL;
}

enum tr_result ike_auth_initiate(struct ike_sa *ike, struct msg_digest *md)
{
	struct connection *c = ike->c;
	bool psk_ok;
	const struct chunk *psk = find_psk(ike, &c->remote->id, &psk_ok);
	const struct conf_secret *ppk;
	if (!psk_ok || !ppk_choose_i(ike, &ppk))
		return TR_FAIL;
	/* our signature by a crypto helper (with a PPK, NO_PPK_AUTH and AUTH are two
	 * signatures around the key mixing: those stay inline) */
	if (ppk == NULL && auth_is_sig(c->local->auth)) {
		struct sign_job *j = sign_job_for(ike, true, ike->next_msgid_out);
		if (j == NULL)
			return TR_FAIL;
		return ikev2_offload(ike, md, &j->h, auth_i_signed);
	}
	return send_auth_request(ike, psk, ppk, NULL) ? TR_NEXT : TR_FAIL;
}

/* --- responder --- */

static void respond_child(struct ike_sa *ike, const struct msg_digest *md, struct ike_buf *b)
{
	if (codec_find(md->pl, IKE_PL_SA) == NULL)
		return;		/* childless IKE SA (RFC 6023) */
	struct child_sa *child;
	uint16_t err = child_sa_choose(ike, ike->c, md, &child);
	if (err != 0) {
		codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, err, NULL, 0);
		return;
	}
	child_put_mode(b, child);
	child_put_chosen(b, child);
	child_put_ts(b, child, false);
}

static enum tr_result auth_failed(struct ike_sa *ike, struct msg_digest *md)
{
	ike_log(ike, "IKE_AUTH request: authentication failed; responding AUTHENTICATION_FAILED");
	send_notify_response(ike, md, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
	return TR_FAIL;
}

/* RFC 7296 2.15: the IKE_SA_INIT messages serve AUTH only; once both AUTH payloads
 * are computed they go (memory per established IKE SA) */
static void release_init_messages(struct ike_sa *ike)
{
	chunk_free(&ike->real_msg_i);
	chunk_free(&ike->real_msg_r);
}

static void established(struct ike_sa *ike, const struct ike_id *peer)
{
	char a[300], ppk[PPK_NOTE_MAX];
	ike->authenticated = true;
	timer_cancel(&ike->expire_timer);
	lifetime_ike_start(ike);
	ike_log(ike, "established IKE SA; authenticated peer using %s and %s '%s'%s%s",
		ike->auth_note[0] ? ike->auth_note : "authby=secret",
		ike_id_type_name(peer->type), ike_id_str(peer, a, sizeof(a)),
		ike->int_rounds ? " (IKE_INTERMEDIATE authenticated)" : "", ppk_note(ike, false, ppk, sizeof(ppk)));
}

/* IKE_AUTH's Child SA: KEYMAT from the IKE_SA_INIT nonces (RFC 7296 2.17) */
static void finish_child(struct ike_sa *ike, struct child_sa *child)
{
	if (child != NULL && child->state == CHILD_LARVAL)
		child_sa_finish(ike, child, &ike->ni, &ike->nr, NULL, NULL, 0);
}

/* RFC 7296 2.21.2: a malformed Child SA request is a malformed IKE_AUTH request;
 * selectors that are well-formed but unusable only fail the Child SA */
static bool ts_well_formed(const struct ike_pl *pl)
{
	struct ike_ts_pl ts;
	enum codec_result r = codec_decode_ts(pl, &ts);
	return pl != NULL && (r == CODEC_OK || r == CODEC_BAD_VALUE || r == CODEC_TOO_MANY);
}

static bool child_request_ok(const struct msg_digest *md)
{
	struct ike_sa_pl sa;
	const struct ike_pl *sapl = codec_find(md->pl, IKE_PL_SA);
	if (sapl == NULL)
		return codec_find(md->pl, IKE_PL_TSI) == NULL && codec_find(md->pl, IKE_PL_TSR) == NULL;
	return codec_decode_sa(sapl, &sa) == CODEC_OK && ts_well_formed(codec_find(md->pl, IKE_PL_TSI)) &&
	       ts_well_formed(codec_find(md->pl, IKE_PL_TSR));
}

/* Whether connection c could serve this IKE_AUTH request: same addresses as the
 * IKE SA (or %any), its peer ID and, when the request names one (IDr), our ID
 * match, and its subnets take the proposed selectors (RFC 7296 2.9). */
static bool conn_fits(const struct connection *c, const struct ike_sa *ike, const struct ike_id *peer,
		      const struct ike_id_pl *idr, const struct ike_ts_pl *tsi, const struct ike_ts_pl *tsr)
{
	struct ike_ts_pl n;
	if (!ip_eq(&c->local->addr, &ike->local) || (!c->remote->any && !ip_eq(&c->remote->addr, &ike->remote)))
		return false;
	if (c->remote->id.type != 0 && !ike_id_eq(&c->remote->id, peer))
		return false;
	if (idr != NULL && (idr->type != c->local->id.type || idr->len != c->local->id.len ||
			    memcmp(idr->data, c->local->id.data, idr->len) != 0))
		return false;
	return tsi == NULL || (child_ts_select(ike, c, tsi, c->remote, &n) && child_ts_select(ike, c, tsr, c->local, &n));
}

/* The responder chose a connection by address at IKE_SA_INIT; now that the IDs
 * and selectors are known, the one that fits them serves the IKE SA (two subnet
 * pairs to one peer are two connections, as in Libreswan).  The current one
 * stays when it fits. */
static void pick_connection(struct ike_sa *ike, const struct msg_digest *md, const struct ike_id_pl *idi)
{
	struct ike_id peer = { .type = idi->type, .len = (uint8_t)idi->len };
	struct ike_id_pl idr_pl;
	struct ike_ts_pl tsi, tsr;
	const struct ike_id_pl *idr = NULL;
	if (idi->len > IKE_ID_MAX)
		return;
	memcpy(peer.data, idi->data, idi->len);
	if (codec_decode_id(codec_find(md->pl, IKE_PL_IDR), &idr_pl) == CODEC_OK)
		idr = &idr_pl;
	bool ts = codec_decode_ts(codec_find(md->pl, IKE_PL_TSI), &tsi) == CODEC_OK &&
		  codec_decode_ts(codec_find(md->pl, IKE_PL_TSR), &tsr) == CODEC_OK;
	if (conn_fits(ike->c, ike, &peer, idr, ts ? &tsi : NULL, &tsr))
		return;
	for (struct connection *c = ike->pluto->conns; c != NULL; c = c->next) {
		if (c != ike->c && conn_fits(c, ike, &peer, idr, ts ? &tsi : NULL, &tsr)) {
			ike_log(ike, "switching to connection \"%s\", which fits the peer's ID and traffic selectors",
				c->name);
			ike_sa_set_conn(ike, c);
			return;
		}
	}
}

/* The IKE_AUTH response; our AUTH from psk, or the signature a helper made (sj) */
static enum tr_result respond_auth(struct ike_sa *ike, struct msg_digest *md, const struct chunk *psk,
				   struct sign_job *sj)
{
	uint8_t storage[IKE_AUTH_MSG_MAX], idb[ID_BODY_MAX];
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	const struct ike_id *me = &ike->c->local->id;
	size_t idlen = id_body(me, idb);
	/* RFC 7296 1.2: IDr, [CERT,] AUTH, SAr2, TSi, TSr */
	codec_put_id(&inner, IKE_PL_IDR, me->type, me->data, me->len);
	auth_put_certs(&inner, ike, md, false);
	if (sj != NULL ? !auth_put_sig(&inner, ike, &sj->plan, &sj->sig) :
			 !put_auth(ike, &inner, false, idb, idlen, md->hdr.msgid, psk))
		return TR_FAIL;
	release_init_messages(ike);
	respond_child(ike, md, &inner);
	ppk_put_auth_r(&inner, ike);
	if (!send_response(ike, md, &inner))
		return TR_FAIL;
	finish_child(ike, ike->children);
	return TR_NEXT;
}

static enum tr_result auth_r_signed(struct ike_sa *ike, struct msg_digest *md, struct helper_job *h)
{
	struct sign_job *j = (struct sign_job *)h;
	if (!j->ok) {
		ike_log(ike, "cannot sign our AUTH with %s", sigalg_name(j->plan.s));
		return TR_FAIL;
	}
	return respond_auth(ike, md, NULL, j);
}

enum tr_result ike_auth_r(struct ike_sa *ike, struct msg_digest *md)
{
	struct ike_id_pl idi;
	struct ike_id peer;
	/* RFC 9370 2.2.2: every negotiated additional key exchange must be done first */
	if (ike->int_rounds < ike->n_addke) {
		ike_log(ike, "IKE_AUTH request after %u of %u additional key exchanges", ike->int_rounds,
			ike->n_addke);
		send_notify_response(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0);
		return TR_FAIL;
	}
	if (codec_decode_id(codec_find(md->pl, IKE_PL_IDI), &idi) != CODEC_OK || !child_request_ok(md)) {
		ike_log(ike, "IKE_AUTH request is malformed");
		send_notify_response(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0);
		return TR_FAIL;
	}
	pick_connection(ike, md, &idi);
	const struct chunk *psk = NULL;
	bool psk_ok = false;
	if (!peer_id_ok(ike, &idi, &peer) || ((psk = find_psk(ike, &peer, &psk_ok)), !psk_ok))
		return auth_failed(ike, md);
	/* RFC 8784 3: the peer's PPK mixed in, or its NO_PPK_AUTH in AUTH's place */
	struct ike_notify_pl no_ppk_auth;
	enum ppk_r pr = ppk_auth_r(ike, md, &peer, &no_ppk_auth);
	if (pr == PPK_R_SYNTAX) {
		send_notify_response(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0);
		return TR_FAIL;
	}
	if (pr == PPK_R_FAIL ||
	    !verify_auth(ike, md, &idi, &peer, psk, pr == PPK_R_FALLBACK ? &no_ppk_auth : NULL))
		return auth_failed(ike, md);
	established(ike, &peer);
	ike_sa_authenticated(ike, &peer, codec_find_notify(md->pl, IKE_N_INITIAL_CONTACT) != NULL);
	if (!auth_is_sig(ike->c->local->auth))
		return respond_auth(ike, md, psk, NULL);
	/* our signature by a crypto helper (offload.c) */
	struct sign_job *j = sign_job_for(ike, false, md->hdr.msgid);
	if (j == NULL)
		return TR_FAIL;
	return ikev2_offload(ike, md, &j->h, auth_r_signed);
}

/* --- initiator: the response --- */

/* RFC 7296 2.21.2 / 1.2: the errors that concern only the Child SA in IKE_AUTH */
static bool child_only_error(uint16_t n)
{
	return n == IKE_N_NO_PROPOSAL_CHOSEN || n == IKE_N_TS_UNACCEPTABLE ||
	       n == IKE_N_SINGLE_PAIR_REQUIRED || n == IKE_N_INTERNAL_ADDRESS_FAILURE ||
	       n == IKE_N_FAILED_CP_REQUIRED;
}

/* Error notifies: a Child SA error beside IDr/AUTH fails only the Child SA; any
 * other error (AUTHENTICATION_FAILED, INVALID_SYNTAX, ...) the IKE SA. */
static bool auth_errors(struct ike_sa *ike, const struct msg_digest *md, bool *child_failed)
{
	*child_failed = false;
	struct ike_notify_pl n;
	for (unsigned i = 0; codec_next_notify(md->pl, &i, &n);) {
		if (n.type > IKE_N_ERROR_MAX)
			continue;
		ike->last_error = n.type;
		bool has_auth = codec_find(md->pl, IKE_PL_AUTH) != NULL;
		if (!child_only_error(n.type) || !has_auth) {
			ike_log(ike, "IKE_AUTH response: peer sent %s", ike_notify_name(n.type));
			return false;
		}
		ike_log(ike, "IKE_AUTH response: Child SA rejected with %s", ike_notify_name(n.type));
		*child_failed = true;
	}
	return true;
}

/* We do not accept the responder's IKE_AUTH response */
static enum tr_result reject_response(struct ike_sa *ike, const char *why)
{
	ike_log(ike, "IKE_AUTH response: %s; sending AUTHENTICATION_FAILED", why);
	ike->last_error = IKE_N_AUTHENTICATION_FAILED;
	/* RFC 7296 2.21.2: the responder thinks the IKE SA is up; tell it, once
	 * (the SA ends here, so the request is not retransmitted) */
	uint8_t storage[64];
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	codec_put_notify(&inner, IKE_PROTO_NONE, NULL, 0, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
	send_request(ike, INFORMATIONAL, &inner);
	return TR_FAIL;
}

enum tr_result ike_auth_i(struct ike_sa *ike, struct msg_digest *md)
{
	bool child_failed;
	if (!auth_errors(ike, md, &child_failed))
		return TR_FAIL;
	/* RFC 8784 3: which SK_pr (and SK_d) the responder used */
	if (!ppk_response_i(ike, md))
		return reject_response(ike, "no IKE SA without the PPK");
	struct ike_id_pl idr;
	struct ike_id peer;
	const struct chunk *psk = NULL;
	bool psk_ok = false;
	if (codec_decode_id(codec_find(md->pl, IKE_PL_IDR), &idr) != CODEC_OK ||
	    !peer_id_ok(ike, &idr, &peer) || ((psk = find_psk(ike, &peer, &psk_ok)), !psk_ok) ||
	    !verify_auth(ike, md, &idr, &peer, psk, NULL))
		return reject_response(ike, "responder authentication failed");
	established(ike, &peer);
	ike_sa_authenticated(ike, &peer, false);
	release_init_messages(ike);
	struct child_sa *child = ike->larval;
	ike->larval = NULL;
	if (child != NULL && !child_failed && !child_sa_accept(ike, child, md, "IKE_AUTH")) {
		/* the responder has installed what it chose: tell it to remove it
		 * (RFC 7296 1.4.1), with the SPI we would have received on */
		child_sa_delete_failed(ike, child);
		child_failed = true;
	}
	if (child_failed && child != NULL) {
		child->state = CHILD_FAILED;
		if (child->kernel_note[0] == '\0')
			snprintf(child->kernel_note, sizeof(child->kernel_note), "rejected by the peer (%s)",
				 ike_notify_name(ike->last_error));
	} else {
		finish_child(ike, child);
	}
	return TR_NEXT;
}
