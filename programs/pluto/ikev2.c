/* ikev2.c -- the exchange/transition table and the driver that applies it
 * (principle 3 of docs/architecture.md: only the driver changes state). */
#include <stdio.h>
#include <string.h>
#include "ikev2.h"

#define P(t) PL_BIT(IKE_PL_##t)
/* Notify, Vendor ID and CERTREQ may appear in any message */
#define ANY (P(NOTIFY) | P(VID) | P(CERTREQ))

static const struct transition table[] = {
	/* RFC 7296 1.2: IKE_SA_INIT */
	{ "responder: IKE_SA_INIT request", IKE_STATE_NONE, IKE_SA_INIT, false, false,
	  P(SA) | P(KE) | P(NONCE), ANY, ike_sa_init_r, IKE_R_INIT_DONE, IKE_R_INIT_DONE },
	/* a response may be a bare notify (INVALID_KE_PAYLOAD, COOKIE, NO_PROPOSAL_CHOSEN):
	 * the handler checks for SA/KE/Nonce itself */
	{ "initiator: IKE_SA_INIT response", IKE_I_INIT_SENT, IKE_SA_INIT, true, true,
	  0, P(SA) | P(KE) | P(NONCE) | ANY, ike_sa_init_i, IKE_I_AUTH_SENT, IKE_I_INTERMEDIATE_SENT },
	/* RFC 9242 3: IKE_INTERMEDIATE, only the initiator starts it, before IKE_AUTH */
	{ "responder: IKE_INTERMEDIATE request", IKE_R_INIT_DONE, IKE_INTERMEDIATE, false, false,
	  0, P(KE) | ANY, ike_intermediate_r, IKE_R_INIT_DONE, IKE_R_INIT_DONE },
	{ "initiator: IKE_INTERMEDIATE response", IKE_I_INTERMEDIATE_SENT, IKE_INTERMEDIATE, true, true,
	  0, P(KE) | ANY, ike_intermediate_i, IKE_I_AUTH_SENT, IKE_I_INTERMEDIATE_SENT },
	/* RFC 7296 1.2: IKE_AUTH with one Child SA */
	{ "responder: IKE_AUTH request", IKE_R_INIT_DONE, IKE_AUTH, false, false,
	  P(IDI) | P(AUTH), P(IDR) | P(SA) | P(TSI) | P(TSR) | P(CERT) | P(CP) | ANY,
	  ike_auth_r, IKE_ESTABLISHED, IKE_ESTABLISHED },
	/* an error response carries only a notify: the handler checks */
	{ "initiator: IKE_AUTH response", IKE_I_AUTH_SENT, IKE_AUTH, true, true,
	  0, P(IDR) | P(AUTH) | P(SA) | P(TSI) | P(TSR) | P(CERT) | P(CP) | ANY,
	  ike_auth_i, IKE_ESTABLISHED, IKE_ESTABLISHED },
	/* RFC 7296 1.4: INFORMATIONAL, both roles may start it once established */
	{ "INFORMATIONAL request", IKE_ESTABLISHED, INFORMATIONAL, true, false,
	  0, P(DELETE) | ANY, informational_r, IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "INFORMATIONAL request", IKE_ESTABLISHED, INFORMATIONAL, false, false,
	  0, P(DELETE) | ANY, informational_r, IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "INFORMATIONAL request while deleting", IKE_DELETING, INFORMATIONAL, true, false,
	  0, P(DELETE) | ANY, informational_r, IKE_DELETING, IKE_DELETING },
	{ "INFORMATIONAL request while deleting", IKE_DELETING, INFORMATIONAL, false, false,
	  0, P(DELETE) | ANY, informational_r, IKE_DELETING, IKE_DELETING },
	{ "INFORMATIONAL response", IKE_ESTABLISHED, INFORMATIONAL, true, true,
	  0, P(DELETE) | ANY, informational_i, IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "INFORMATIONAL response", IKE_ESTABLISHED, INFORMATIONAL, false, true,
	  0, P(DELETE) | ANY, informational_i, IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "INFORMATIONAL response to our Delete", IKE_DELETING, INFORMATIONAL, true, true,
	  0, P(DELETE) | ANY, informational_i, IKE_DELETING, IKE_DELETING },
	{ "INFORMATIONAL response to our Delete", IKE_DELETING, INFORMATIONAL, false, true,
	  0, P(DELETE) | ANY, informational_i, IKE_DELETING, IKE_DELETING },
	/* RFC 7296 1.3: CREATE_CHILD_SA, either end may start it; an error response
	 * is a bare notify, so the handlers check SA/Nonce themselves */
	{ "CREATE_CHILD_SA request", IKE_ESTABLISHED, CREATE_CHILD_SA, true, false,
	  0, P(SA) | P(KE) | P(NONCE) | P(TSI) | P(TSR) | ANY, create_child_sa_r,
	  IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "CREATE_CHILD_SA request", IKE_ESTABLISHED, CREATE_CHILD_SA, false, false,
	  0, P(SA) | P(KE) | P(NONCE) | P(TSI) | P(TSR) | ANY, create_child_sa_r,
	  IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "CREATE_CHILD_SA response", IKE_ESTABLISHED, CREATE_CHILD_SA, true, true,
	  0, P(SA) | P(KE) | P(NONCE) | P(TSI) | P(TSR) | ANY, create_child_sa_i,
	  IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "CREATE_CHILD_SA response", IKE_ESTABLISHED, CREATE_CHILD_SA, false, true,
	  0, P(SA) | P(KE) | P(NONCE) | P(TSI) | P(TSR) | ANY, create_child_sa_i,
	  IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "CREATE_CHILD_SA request while deleting", IKE_DELETING, CREATE_CHILD_SA, true, false,
	  0, P(SA) | P(KE) | P(NONCE) | P(TSI) | P(TSR) | ANY, create_child_sa_deleting,
	  IKE_DELETING, IKE_DELETING },
	{ "CREATE_CHILD_SA request while deleting", IKE_DELETING, CREATE_CHILD_SA, false, false,
	  0, P(SA) | P(KE) | P(NONCE) | P(TSI) | P(TSR) | ANY, create_child_sa_deleting,
	  IKE_DELETING, IKE_DELETING },
	/* RFC 9370 2.2.4: IKE_FOLLOWUP_KE, after a CREATE_CHILD_SA that chose ADDKEs */
	{ "IKE_FOLLOWUP_KE request", IKE_ESTABLISHED, IKE_FOLLOWUP_KE, true, false,
	  P(NOTIFY), P(KE) | P(VID) | P(CERTREQ), ike_followup_ke_r, IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "IKE_FOLLOWUP_KE request", IKE_ESTABLISHED, IKE_FOLLOWUP_KE, false, false,
	  P(NOTIFY), P(KE) | P(VID) | P(CERTREQ), ike_followup_ke_r, IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "IKE_FOLLOWUP_KE response", IKE_ESTABLISHED, IKE_FOLLOWUP_KE, true, true,
	  0, P(KE) | ANY, ike_followup_ke_i, IKE_ESTABLISHED, IKE_ESTABLISHED },
	{ "IKE_FOLLOWUP_KE response", IKE_ESTABLISHED, IKE_FOLLOWUP_KE, false, true,
	  0, P(KE) | ANY, ike_followup_ke_i, IKE_ESTABLISHED, IKE_ESTABLISHED },
};

#define TABLE_ROWS (sizeof(table) / sizeof(table[0]))

unsigned ikev2_table_check(char *why, size_t len)
{
	unsigned bad = 0;
	why[0] = '\0';
	for (size_t i = 0; i < TABLE_ROWS; i++) {
		const struct transition *t = &table[i];
		bool ok = t->handler != NULL && t->next < IKE_STATE_COUNT &&
			  t->next_alt < IKE_STATE_COUNT && (t->required & t->optional) == 0;
		/* no two rows may answer the same (state, exchange, role, direction) */
		for (size_t j = 0; j < i; j++) {
			const struct transition *u = &table[j];
			if (u->state == t->state && u->exchange == t->exchange &&
			    u->initiator == t->initiator && u->response == t->response)
				ok = false;
		}
		if (!ok) {
			bad++;
			snprintf(why, len, "row %zu (%s)", i, t->story);
		}
	}
	return bad;
}

static const struct transition *find_row(const struct ike_sa *ike, const struct msg_digest *md)
{
	for (size_t i = 0; i < TABLE_ROWS; i++) {
		const struct transition *t = &table[i];
		if (t->state == ike->state && t->exchange == md->hdr.exchange &&
		    t->initiator == ike->initiator && t->response == md->response)
			return t;
	}
	return NULL;
}

/* RFC 7296 2.5 / 3.x: every required payload present, nothing unexpected */
static bool payloads_ok(const struct transition *t, const struct msg_digest *md, char *why, size_t len)
{
	uint64_t seen = 0;
	for (unsigned i = 0; i < md->pl->n; i++) {
		uint8_t type = md->pl->pl[i].type;
		if (type < 33 || type > 53)
			continue;
		uint64_t bit = PL_BIT(type);
		if (type == IKE_PL_SK || type == IKE_PL_SKF)
			continue;
		if (!(bit & (t->required | t->optional))) {
			snprintf(why, len, "unexpected %s payload", ike_payload_name(type));
			return false;
		}
		seen |= bit;
	}
	uint64_t missing = t->required & ~seen;
	if (missing) {
		for (unsigned type = 33; type <= 53; type++) {
			if (missing & PL_BIT(type)) {
				snprintf(why, len, "missing %s payload", ike_payload_name(type));
				break;
			}
		}
		return false;
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
	ike->state = IKE_R_FAILED;
	send_retransmit_cancel(ike);
	ike_log(ike, "negotiation failed; keeping the IKE SA %u s to answer retransmissions",
		PLUTO_FAILED_LINGER_S);
	ike_sa_expire_unauthenticated(ike, PLUTO_FAILED_LINGER_S);
	return true;
}

static void apply(struct ike_sa *ike, const struct transition *t, const struct msg_digest *md,
		  enum tr_result r)
{
	if (r == TR_FAIL && linger(ike, md))
		return;
	switch (r) {
	case TR_NEXT:
		ike->state = t->next;
		break;
	case TR_NEXT_ALT:
		ike->state = t->next_alt;
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
	if (ike->state == IKE_ESTABLISHED && ike->whack != NULL && ike->larval == NULL && ike->cc_out == NULL) {
		whack_done(ike->whack, ike->children == NULL || ike->children->state == CHILD_ESTABLISHED ? 0 : 2);
		ike->whack = NULL;
	}
	if (ike->state == IKE_ESTABLISHED && ike->bench)
		bench_sa_finished(ike, true);
}

void ikev2_process(struct ike_sa *ike, struct msg_digest *md)
{
	const char *xname = ike_exchange_name(md->hdr.exchange);
	const struct transition *t = find_row(ike, md);
	if (t == NULL) {
		ike_log(ike, "dropping unexpected %s %s (message ID %u) in state %s", xname,
			md->response ? "response" : "request", md->hdr.msgid, ike_state_name(ike->state));
		return;
	}
	ike_log(ike, "%s %s received (message ID %u)", xname, md->response ? "response" : "request",
		md->hdr.msgid);
	char why[80];
	if (!payloads_ok(t, md, why, sizeof(why))) {
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
	ike->in_response = md->response;
	enum tr_result r = t->handler(ike, md);
	ike->in_response = false;
	/* a response the handler accepted ends our request, unless the handler has
	 * already sent the next one; an ignored one leaves it retransmitting */
	if (md->response && r != TR_IGNORE && ike->req_gen == gen)
		send_request_done(ike);
	apply(ike, t, md, r);
}

struct ike_sa *ikev2_initiate(struct pluto *p, struct connection *c, struct whack_client *w)
{
	struct ike_sa *ike = ike_sa_new(p, c, true);
	if (ike == NULL) {
		conn_log(p, c, "cannot create an IKE SA: too many");
		return NULL;
	}
	ike->whack = w;
	if (!ike_sa_init_initiate(ike)) {
		ike_sa_delete(ike, "cannot initiate");
		return NULL;
	}
	ike->state = IKE_I_INIT_SENT;
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
	ike->state = IKE_DELETING;
}
