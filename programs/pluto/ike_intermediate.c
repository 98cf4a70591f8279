/* ike_intermediate.c -- the IKE_INTERMEDIATE exchange (RFC 9242 3).
 *
 * Rounds run strictly one after another, started by the initiator only, between
 * IKE_SA_INIT and IKE_AUTH.  The driver records every message of them in the
 * transcript (ikev2.c, send.c) before any handler runs; handlers only decide what
 * the round carries.  Without additional key exchanges a round is empty. */
#include "ikev2.h"

static void empty_chain(struct ike_buf *b, uint8_t *storage, size_t cap)
{
	codec_buf_init(b, storage, cap);
}

bool ike_intermediate_initiate(struct ike_sa *ike)
{
	uint8_t storage[64];
	struct ike_buf inner;
	empty_chain(&inner, storage, sizeof(storage));
	ike_log(ike, "IKE_INTERMEDIATE round %u: sending request", ike->int_rounds + 1);
	return send_request(ike, IKE_INTERMEDIATE, &inner);
}

enum tr_result ike_intermediate_r(struct ike_sa *ike, struct msg_digest *md)
{
	/* RFC 9242 3.2 leaves the number of rounds to the peers; we bound it */
	if (!ike->intermediate) {
		ike_log(ike, "IKE_INTERMEDIATE request, but it was not negotiated");
		send_notify_response(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0);
		return TR_FAIL;
	}
	if (ike->int_rounds >= PLUTO_MAX_INTERMEDIATE_ROUNDS) {
		ike_log(ike, "IKE_INTERMEDIATE round %u exceeds our limit of %u", ike->int_rounds + 1,
			PLUTO_MAX_INTERMEDIATE_ROUNDS);
		send_notify_response(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0);
		return TR_FAIL;
	}
	uint8_t storage[64];
	struct ike_buf inner;
	empty_chain(&inner, storage, sizeof(storage));
	ike->int_rounds++;
	ike_log(ike, "IKE_INTERMEDIATE round %u: request received, responding", ike->int_rounds);
	return send_response(ike, md, &inner) ? TR_STAY : TR_FAIL;
}

enum tr_result ike_intermediate_i(struct ike_sa *ike, struct msg_digest *md)
{
	const struct ike_pl *n = NULL;
	for (unsigned i = 0; i < md->pl->n; i++) {
		struct ike_notify_pl np;
		if (md->pl->pl[i].type == IKE_PL_NOTIFY && codec_decode_notify(&md->pl->pl[i], &np) == CODEC_OK &&
		    np.type <= IKE_N_ERROR_MAX) {
			ike->last_error = np.type;
			ike_log(ike, "IKE_INTERMEDIATE response: %s", ike_notify_name(np.type));
			n = &md->pl->pl[i];
		}
	}
	if (n != NULL)
		return TR_FAIL;
	ike->int_rounds++;
	ike_log(ike, "IKE_INTERMEDIATE round %u: response received", ike->int_rounds);
	return ike_auth_initiate(ike) ? TR_NEXT : TR_FAIL;
}
