/* ikev2.c -- the exchange/transition table and the driver that applies it
 * (principle 3 of docs/architecture.md: only the driver changes state). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ikev2.h"

/* Payload rules (RFC 7296 3.x): how many of each payload type a message may carry.
 * A type without a rule must not appear; NOTIFY, VID and CERTREQ may appear in any
 * message, as often as the decoder allows. */
#define ONE(t)  { IKE_PL_##t, 1, 1 }
#define OPT(t)  { IKE_PL_##t, 0, 1 }
#define MANY(t) { IKE_PL_##t, 0, IKE_MAX_PAYLOADS }
#define ANY     MANY(NOTIFY), MANY(VID), MANY(CERTREQ)

static const struct transition table[] = {
	/* RFC 7296 1.2: IKE_SA_INIT */
	{ .story = "responder: IKE_SA_INIT request", .state = IKE_STATE_NONE,
	  .exchange = IKE_SA_INIT, .role = ROLE_RESPONDER, .dir = DIR_REQUEST,
	  .pl = { ONE(SA), ONE(KE), ONE(NONCE), ANY },
	  .handler = ike_sa_init_r, .next = IKE_R_INIT_DONE },
	/* a response may be a bare notify (INVALID_KE_PAYLOAD, COOKIE, NO_PROPOSAL_CHOSEN):
	 * the handler checks for SA/KE/Nonce itself.  The next request is chosen by
	 * ikev2_next_request(): IKE_AUTH (next) or IKE_INTERMEDIATE (next_alt). */
	{ .story = "initiator: IKE_SA_INIT response", .state = IKE_I_INIT_SENT,
	  .exchange = IKE_SA_INIT, .role = ROLE_INITIATOR, .dir = DIR_RESPONSE,
	  .pl = { OPT(SA), OPT(KE), OPT(NONCE), ANY },
	  .handler = ike_sa_init_i, .next = IKE_I_AUTH_SENT, .next_alt = IKE_I_INTERMEDIATE_SENT },
	/* RFC 9242 3: IKE_INTERMEDIATE, only the initiator starts it, before IKE_AUTH */
	{ .story = "responder: IKE_INTERMEDIATE request", .state = IKE_R_INIT_DONE,
	  .exchange = IKE_INTERMEDIATE, .role = ROLE_RESPONDER, .dir = DIR_REQUEST,
	  .pl = { OPT(KE), ANY },
	  .handler = ike_intermediate_r, .next = IKE_R_INIT_DONE },
	{ .story = "initiator: IKE_INTERMEDIATE response", .state = IKE_I_INTERMEDIATE_SENT,
	  .exchange = IKE_INTERMEDIATE, .role = ROLE_INITIATOR, .dir = DIR_RESPONSE,
	  .pl = { OPT(KE), ANY },
	  .handler = ike_intermediate_i, .next = IKE_I_AUTH_SENT, .next_alt = IKE_I_INTERMEDIATE_SENT },
	/* RFC 7296 1.2: IKE_AUTH with one Child SA (2.19: at most one CP) */
	{ .story = "responder: IKE_AUTH request", .state = IKE_R_INIT_DONE,
	  .exchange = IKE_AUTH, .role = ROLE_RESPONDER, .dir = DIR_REQUEST,
	  .pl = { ONE(IDI), ONE(AUTH), OPT(IDR), OPT(SA), OPT(TSI), OPT(TSR), MANY(CERT), OPT(CP), ANY },
	  .handler = ike_auth_r, .next = IKE_ESTABLISHED },
	/* an error response carries only a notify: the handler checks */
	{ .story = "initiator: IKE_AUTH response", .state = IKE_I_AUTH_SENT,
	  .exchange = IKE_AUTH, .role = ROLE_INITIATOR, .dir = DIR_RESPONSE,
	  .pl = { OPT(IDR), OPT(AUTH), OPT(SA), OPT(TSI), OPT(TSR), MANY(CERT), OPT(CP), ANY },
	  .handler = ike_auth_i, .next = IKE_ESTABLISHED },
	/* RFC 7296 1.4: INFORMATIONAL, both roles may start it once established;
	 * 3.11: one Delete payload per protocol, several may come together */
	{ .story = "INFORMATIONAL request", .state = IKE_ESTABLISHED,
	  .exchange = INFORMATIONAL, .role = ROLE_EITHER, .dir = DIR_REQUEST,
	  .pl = { MANY(DELETE), ANY },
	  .handler = informational_r, .next = IKE_ESTABLISHED },
	{ .story = "INFORMATIONAL request while deleting", .state = IKE_DELETING,
	  .exchange = INFORMATIONAL, .role = ROLE_EITHER, .dir = DIR_REQUEST,
	  .pl = { MANY(DELETE), ANY },
	  .handler = informational_r, .next = IKE_DELETING },
	{ .story = "INFORMATIONAL response", .state = IKE_ESTABLISHED,
	  .exchange = INFORMATIONAL, .role = ROLE_EITHER, .dir = DIR_RESPONSE,
	  .pl = { MANY(DELETE), ANY },
	  .handler = informational_i, .next = IKE_ESTABLISHED },
	{ .story = "INFORMATIONAL response to our Delete", .state = IKE_DELETING,
	  .exchange = INFORMATIONAL, .role = ROLE_EITHER, .dir = DIR_RESPONSE,
	  .pl = { MANY(DELETE), ANY },
	  .handler = informational_i, .next = IKE_DELETING },
	/* RFC 7296 1.3: CREATE_CHILD_SA, either end may start it; an error response
	 * is a bare notify, so the handlers check SA/Nonce themselves */
	{ .story = "CREATE_CHILD_SA request", .state = IKE_ESTABLISHED,
	  .exchange = CREATE_CHILD_SA, .role = ROLE_EITHER, .dir = DIR_REQUEST,
	  .pl = { OPT(SA), OPT(KE), OPT(NONCE), OPT(TSI), OPT(TSR), ANY },
	  .handler = create_child_sa_r, .next = IKE_ESTABLISHED },
	{ .story = "CREATE_CHILD_SA response", .state = IKE_ESTABLISHED,
	  .exchange = CREATE_CHILD_SA, .role = ROLE_EITHER, .dir = DIR_RESPONSE,
	  .pl = { OPT(SA), OPT(KE), OPT(NONCE), OPT(TSI), OPT(TSR), ANY },
	  .handler = create_child_sa_i, .next = IKE_ESTABLISHED },
	{ .story = "CREATE_CHILD_SA request while deleting", .state = IKE_DELETING,
	  .exchange = CREATE_CHILD_SA, .role = ROLE_EITHER, .dir = DIR_REQUEST,
	  .pl = { OPT(SA), OPT(KE), OPT(NONCE), OPT(TSI), OPT(TSR), ANY },
	  .handler = create_child_sa_deleting, .next = IKE_DELETING },
	/* RFC 9370 2.2.4: IKE_FOLLOWUP_KE, after a CREATE_CHILD_SA that chose ADDKEs;
	 * the request carries the ADDITIONAL_KEY_EXCHANGE notify */
	{ .story = "IKE_FOLLOWUP_KE request", .state = IKE_ESTABLISHED,
	  .exchange = IKE_FOLLOWUP_KE, .role = ROLE_EITHER, .dir = DIR_REQUEST,
	  .pl = { { IKE_PL_NOTIFY, 1, IKE_MAX_PAYLOADS }, OPT(KE), MANY(VID), MANY(CERTREQ) },
	  .handler = ike_followup_ke_r, .next = IKE_ESTABLISHED },
	{ .story = "IKE_FOLLOWUP_KE response", .state = IKE_ESTABLISHED,
	  .exchange = IKE_FOLLOWUP_KE, .role = ROLE_EITHER, .dir = DIR_RESPONSE,
	  .pl = { OPT(KE), ANY },
	  .handler = ike_followup_ke_i, .next = IKE_ESTABLISHED },
};

#define TABLE_ROWS (sizeof(table) / sizeof(table[0]))

static bool roles_overlap(enum tr_role a, enum tr_role b)
{
	return (a & b) != 0;
}

static bool rules_ok(const struct transition *t)
{
	bool seen[IKE_PL_TYPE_MAX + 1] = { false };
	for (unsigned i = 0; i < TR_MAX_PL_RULES && t->pl[i].type != 0; i++) {
		const struct tr_pl_rule *r = &t->pl[i];
		if (r->type < IKE_PL_TYPE_MIN || r->type > IKE_PL_TYPE_MAX || seen[r->type] ||
		    r->min > r->max || r->max == 0)
			return false;
		seen[r->type] = true;
	}
	return true;
}

unsigned ikev2_table_check(char *why, size_t len)
{
	unsigned bad = 0;
	why[0] = '\0';
	for (size_t i = 0; i < TABLE_ROWS; i++) {
		const struct transition *t = &table[i];
		bool ok = t->handler != NULL && t->next < IKE_STATE_COUNT && t->next_alt < IKE_STATE_COUNT &&
			  t->role != 0 && rules_ok(t);
		/* no two rows may answer the same (state, exchange, role, direction) */
		for (size_t j = 0; j < i; j++) {
			const struct transition *u = &table[j];
			if (u->state == t->state && u->exchange == t->exchange &&
			    roles_overlap(u->role, t->role) && u->dir == t->dir)
				ok = false;
		}
		if (!ok) {
			bad++;
			snprintf(why, len, "row %zu (%s)", i, t->story);
		}
	}
	return bad;
}

const struct transition *ikev2_find_row(enum ike_state state, uint8_t exchange, bool initiator,
					bool response)
{
	enum tr_role role = initiator ? ROLE_INITIATOR : ROLE_RESPONDER;
	enum tr_dir dir = response ? DIR_RESPONSE : DIR_REQUEST;
	for (size_t i = 0; i < TABLE_ROWS; i++) {
		const struct transition *t = &table[i];
		if (t->state == state && t->exchange == exchange && (t->role & role) && t->dir == dir)
			return t;
	}
	return NULL;
}

/* RFC 7296 2.5 / 3.x: each payload type within its row's count; types we do not
 * know were already refused if critical (2.5), and are skipped here */
bool ikev2_payloads_ok(const struct transition *t, const struct ike_chain *pl, char *why, size_t len)
{
	unsigned count[IKE_PL_TYPE_MAX + 1] = { 0 };
	for (unsigned i = 0; i < pl->n && i < IKE_MAX_PAYLOADS; i++) {
		uint8_t type = pl->pl[i].type;
		if (type >= IKE_PL_TYPE_MIN && type <= IKE_PL_TYPE_MAX && type != IKE_PL_SK && type != IKE_PL_SKF)
			count[type]++;
	}
	for (unsigned i = 0; i < TR_MAX_PL_RULES && t->pl[i].type != 0; i++) {
		const struct tr_pl_rule *r = &t->pl[i];
		if (count[r->type] < r->min) {
			snprintf(why, len, "missing %s payload", ike_payload_name(r->type));
			return false;
		}
		if (count[r->type] > r->max) {
			snprintf(why, len, "%u %s payloads (at most %u)", count[r->type],
				 ike_payload_name(r->type), r->max);
			return false;
		}
		count[r->type] = 0;	/* accounted for */
	}
	for (unsigned type = IKE_PL_TYPE_MIN; type <= IKE_PL_TYPE_MAX; type++) {
		if (count[type] > 0) {
			snprintf(why, len, "unexpected %s payload", ike_payload_name((uint8_t)type));
			return false;
		}
	}
	return true;
}

/* RFC 7296 2.1: a responder whose negotiation failed keeps the SA a little while,
 * so that a retransmitted request gets the cached error (demux.c answers it before
 * any row is looked up, and no row matches IKE_R_FAILED). */
static bool linger(struct ike_sa *ike, const struct msg_digest *md)
{
	if (ike->initiator || ike->authenticated || md->response || !ike->resp_valid ||
	    ike->resp_msgid != md->hdr.msgid)
		return false;
	send_retransmit_cancel(ike);
	ike_log(ike, "negotiation failed; keeping the IKE SA %u s to answer retransmissions",
		PLUTO_FAILED_LINGER_S);
	return ike_sa_set_state(ike, IKE_R_FAILED);
}

static void apply(struct ike_sa *ike, const struct transition *t, const struct msg_digest *md,
		  enum tr_result r)
{
	if (r == TR_FAIL && linger(ike, md))
		return;
	switch (r) {
	case TR_SUSPEND:
		return;		/* ikev2_offload(): finished when the job is back */
	case TR_NEXT:
	case TR_NEXT_ALT:
		if (!ike_sa_set_state(ike, r == TR_NEXT ? t->next : t->next_alt)) {
			ike_sa_delete(ike, "illegal state change");
			return;
		}
		break;
	case TR_STAY:
	case TR_IGNORE:
		break;
	case TR_FAIL:
		ike_sa_delete(ike, "negotiation failed");
		return;
	case TR_DONE:
		ike_sa_delete(ike, NULL);
		return;
	}
	/* an exchange on an established SA may have been what whack waited for */
	ike_sa_notify_waiters(ike);
}

static const char *tr_result_name(enum tr_result r);

/* what a suspended transition needs when its job is back: the row, the request
 * generation and state it started from, and the message, which outlives its
 * datagram as copies: md.raw points into raw, md.pl is the payload chain decoded
 * again from raw (unprotected) or from plain (the SK plaintext) */
struct ikev2_suspend {
	const struct transition *t;
	tr_resume_fn *resume;
	unsigned gen;
	enum ike_state from;
	struct msg_digest md;
	struct chunk raw, plain;
};

/* after a handler (or what it resumed after its crypto job): the rest of the
 * transition; a suspended one keeps what its resumption needs */
static void finish(struct ike_sa *ike, const struct transition *t, const struct msg_digest *md,
		   enum tr_result r, unsigned gen, enum ike_state from)
{
	if (r == TR_SUSPEND) {
		ike->suspended->t = t;
		ike->suspended->gen = gen;
		ike->suspended->from = from;
		ike_dbg(ike, "transition \"%s\": TR_SUSPEND; waiting for a crypto helper in %s", t->story,
			ike_state_name(ike->state));
		return;
	}
	/* a response the handler accepted ends our request, unless the handler has
	 * already sent the next one; an ignored one leaves it retransmitting */
	if (md->response && r != TR_IGNORE && ike->req_gen == gen)
		send_request_done(ike);
	apply(ike, t, md, r);
	ike_dbg(ike, "transition \"%s\": %s; %s -> %s", t->story, tr_result_name(r),
		ike_state_name(from), ike_state_name(ike->state));
}

static const char *tr_result_name(enum tr_result r)
{
	switch (r) {
	case TR_NEXT: return "TR_NEXT";
	case TR_NEXT_ALT: return "TR_NEXT_ALT";
	case TR_STAY: return "TR_STAY";
	case TR_IGNORE: return "TR_IGNORE";
	case TR_FAIL: return "TR_FAIL";
	case TR_DONE: return "TR_DONE";
	case TR_SUSPEND: return "TR_SUSPEND";
	}
	return "?";
}

void ikev2_process(struct ike_sa *ike, struct msg_digest *md)
{
	const char *xname = ike_exchange_name(md->hdr.exchange);
	const struct transition *t = ikev2_find_row(ike->state, md->hdr.exchange, ike->initiator, md->response);
	if (t == NULL) {
		ike_dbg(ike, "no transition for %s %s as %s in %s", xname,
			md->response ? "response" : "request", ike->initiator ? "initiator" : "responder",
			ike_state_name(ike->state));
		ike_log(ike, "dropping unexpected %s %s (message ID %u) in state %s", xname,
			md->response ? "response" : "request", md->hdr.msgid, ike_state_name(ike->state));
		return;
	}
	ike_log(ike, "%s %s received (message ID %u)", xname, md->response ? "response" : "request",
		md->hdr.msgid);
	char why[80];
	if (!ikev2_payloads_ok(t, md->pl, why, sizeof(why))) {
		ike_log(ike, "%s %s (message ID %u) rejected: %s", xname,
			md->response ? "response" : "request", md->hdr.msgid, why);
		if (md->response) {
			apply(ike, t, md, TR_FAIL);
			return;
		}
		/* RFC 7296 2.21.2/2.21.3: a malformed authenticated request is answered
		 * INVALID_SYNTAX; before IKE_AUTH completes the SA cannot go on */
		if (md->encrypted)
			send_notify_response(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0);
		apply(ike, t, md, ike->state == IKE_ESTABLISHED ? TR_STAY : TR_FAIL);
		return;
	}
	/* RFC 9242 3.1: every IKE_INTERMEDIATE message, in both directions, is
	 * authenticated later by AUTH; record it with the keys that protected it */
	if (md->hdr.exchange == IKE_INTERMEDIATE &&
	    !ikev2_record(ike, IKE_INTERMEDIATE, (md->hdr.flags & IKE_FLAG_INITIATOR) != 0, &md->rec)) {
		ike_log(ike, "cannot compute IntAuth; dropping IKE SA");
		apply(ike, t, md, TR_FAIL);
		return;
	}
	unsigned gen = ike->req_gen;
	enum ike_state from = ike->state;
	ike_dbg(ike, "transition \"%s\" from %s: running its handler", t->story,
		ike_state_name(from));
	ike->in_response = md->response;
	enum tr_result r = t->handler(ike, md);
	ike->in_response = false;
	finish(ike, t, md, r, gen, from);
}

/* --- transitions that wait for a crypto helper (helper.h, TR_SUSPEND) --- */

void ikev2_suspend_free(struct ike_sa *ike)
{
	struct ikev2_suspend *s = ike->suspended;
	if (s == NULL)
		return;
	ike->suspended = NULL;
	chunk_free(&s->raw);
	chunk_free(&s->plain);
	free(s);
}

static void resume_done(struct ike_sa *ike, struct helper_job *job)
{
	struct ikev2_suspend *s = ike->suspended;
	ike->suspended = NULL;
	if (s == NULL) {
		ike_log(ike, "BUG: a crypto job came back to an SA that waits for none");
		return;
	}
	ike->in_response = s->md.response;
	enum tr_result r = s->resume(ike, &s->md, job);
	ike->in_response = false;
	finish(ike, s->t, &s->md, r, s->gen, s->from);
	chunk_free(&s->raw);
	chunk_free(&s->plain);
	free(s);
}

static void impair_delay(struct ike_sa *ike, struct helper_job *job)
{
	job->delay_ms = (ike->pluto->impair & IMPAIR_SLOW_CRYPTO) ? PLUTO_IMPAIR_SLOW_MS : 0;
	if (job->delay_ms != 0)
		ike_log(ike, "IMPAIR: slow-crypto: %s takes %u ms more (%s)", job->what, job->delay_ms,
			helpers_running(ike->pluto) ? "in a crypto helper" : "inline, nhelpers=0");
}

void ikev2_submit(struct ike_sa *ike, struct helper_job *job, helper_done_fn *done)
{
	impair_delay(ike, job);
	job->ike = ike;
	job->serial = ike->serial;
	job->done = done;
	helper_submit(ike->pluto, job);
	ike_dbg(ike, "%s handed to a crypto helper", job->what);
}

void ikev2_run_inline(struct ike_sa *ike, struct helper_job *job)
{
	impair_delay(ike, job);
	helper_run_inline(ike->pluto, job);
}

enum tr_result ikev2_offload(struct ike_sa *ike, struct msg_digest *md, struct helper_job *job,
			     tr_resume_fn *resume)
{
	struct pluto *p = ike->pluto;
	struct ikev2_suspend *s = NULL;
	if (helpers_running(p) > 0 && ike->suspended == NULL && (s = calloc(1, sizeof(*s))) != NULL) {
		s->raw = chunk_dup(md->raw, md->raw_len);
		if (s->raw.ptr == NULL && md->raw_len > 0) {
			free(s);
			s = NULL;
		}
	}
	if (s == NULL) {
		/* nhelpers=0 (or no memory for the wait): now, in the event loop */
		ikev2_run_inline(ike, job);
		enum tr_result r = resume(ike, md, job);
		job->cleanup(job);
		return r;
	}
	s->resume = resume;
	s->md = (struct msg_digest){ .ifc = md->ifc, .from = md->from, .to = md->to, .fport = md->fport,
				     .raw = s->raw.ptr, .raw_len = md->raw_len, .hdr = md->hdr,
				     .response = md->response, .encrypted = md->encrypted };
	/* the payloads stay readable: decoded again from copies of the message (an
	 * unprotected one) or of its plaintext (SK, or reassembled SKF) */
	uint8_t bad = 0;
	if (!md->encrypted) {
		if (md->raw_len <= IKE_HDR_LEN ||
		    codec_decode_chain(md->hdr.np, s->raw.ptr + IKE_HDR_LEN, md->raw_len - IKE_HDR_LEN,
				       &s->md.outer, &bad) != CODEC_OK)
			s->md.outer.n = 0;
		s->md.pl = &s->md.outer;
	} else {
		s->plain = chunk_dup(md->rec.plain, md->rec.plain_len);
		if (s->plain.ptr == NULL ||
		    codec_decode_chain(md->rec.inner_np, s->plain.ptr, md->rec.plain_len, &s->md.inner, &bad) != CODEC_OK)
			s->md.inner.n = 0;
		s->md.rec.inner_np = md->rec.inner_np;
		s->md.rec.plain = s->plain.ptr;
		s->md.rec.plain_len = md->rec.plain_len;
		s->md.pl = &s->md.inner;
	}
	ike->suspended = s;
	ikev2_submit(ike, job, resume_done);
	return TR_SUSPEND;
}

void ikev2_init_sent(struct ike_sa *ike, bool sent)
{
	if (!sent)
		ike_sa_delete(ike, "cannot initiate");
	else
		ike_sa_set_state(ike, IKE_I_INIT_SENT);
}

/* RFC 9242 3: after IKE_SA_INIT, the first IKE_INTERMEDIATE round if it was
 * negotiated (an empty one without additional key exchanges); after a round, the
 * next while RFC 9370 key exchanges remain (2.2.2: one per round); then IKE_AUTH. */
enum tr_result ikev2_next_request(struct ike_sa *ike, struct msg_digest *md)
{
	bool more;
	if (ike->int_rounds == 0) {
		more = ike->intermediate;
	} else {
		unsigned imp = ike->pluto->impair;
		more = ike->int_rounds < ike->n_addke;
		if (more && (imp & IMPAIR_SKIP_ROUND) && ike->int_rounds + 1 == ike->n_addke) {
			ike_log(ike, "IMPAIR: skipping the last negotiated round, going to IKE_AUTH");
			more = false;
		}
		if ((imp & IMPAIR_EXTRA_ROUND) && ike->int_rounds == ike->n_addke)
			more = true;	/* once: the round after the negotiated ones */
	}
	ike_dbg(ike, "next request: %s (%u of %u additional key exchanges done%s)",
		more ? "IKE_INTERMEDIATE" : "IKE_AUTH", ike->int_rounds, ike->n_addke,
		ike->intermediate ? ", IKE_INTERMEDIATE negotiated" : "");
	if (more)
		return ike_intermediate_initiate(ike, md);
	return ike_auth_initiate(ike, md);
}

struct ike_sa *ikev2_initiate(struct pluto *p, struct connection *c, struct whack_client *w)
{
	struct ike_sa *ike = ike_sa_new(p, c, true);
	if (ike == NULL) {
		conn_log(p, c, "cannot create an IKE SA: max-ike-sas=%u IKE SAs exist",
			 p->setup.max_ike_sas ? p->setup.max_ike_sas : CONF_MAX_IKE_SAS_DEFAULT);
		return NULL;
	}
	ike->whack = w;
	if (!ike_sa_init_initiate(ike)) {
		ike_sa_delete(ike, "cannot initiate");
		return NULL;
	}
	/* with a helper computing our key pair, ikev2_init_sent() comes later */
	if (ike->job == NULL)
		ike_sa_set_state(ike, IKE_I_INIT_SENT);
	return ike;
}

/* RFC 7296 1.4.1: delete the IKE SA with an INFORMATIONAL request carrying Delete */
void ikev2_delete_ike(struct ike_sa *ike)
{
	if (ike->state != IKE_ESTABLISHED) {
		ike_sa_delete(ike, "deleted by request before it was established");
		return;
	}
	uint8_t storage[256];
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	codec_put_delete(&inner, IKE_PROTO_IKE, 0, NULL, 0);
	ike_log(ike, "sending Delete for the IKE SA");
	if (!send_request(ike, INFORMATIONAL, &inner)) {
		ike_sa_delete(ike, "cannot send Delete");
		return;
	}
	ike_sa_set_state(ike, IKE_DELETING);
}
