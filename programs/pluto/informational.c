/* informational.c -- the INFORMATIONAL exchange (RFC 7296 1.4): Delete payloads
 * for the IKE SA or its Child SA, and liveness checks (empty requests). */
#include <string.h>
#include "ikev2.h"
#include "child_sa.h"

/* RFC 7296 1.4.1: a Delete for the IKE SA is answered with an empty response and
 * ends the SA; a Delete for our Child SA is answered with our own SPI's Delete. */
enum tr_result informational_r(struct ike_sa *ike, struct msg_digest *md)
{
	uint8_t storage[256];
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	bool delete_ike = false;
	for (unsigned i = 0; i < md->pl->n; i++) {
		struct ike_delete_pl d;
		if (md->pl->pl[i].type != IKE_PL_DELETE)
			continue;
		if (codec_decode_delete(&md->pl->pl[i], &d) != CODEC_OK) {
			send_notify_response(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0);
			return TR_STAY;
		}
		if (d.protocol == IKE_PROTO_IKE) {
			delete_ike = true;
		} else if (d.protocol == IKE_PROTO_ESP && d.spi_len == 4) {
			/* RFC 7296 1.4.1: the SPIs are the sender's inbound ones, our
			 * outbound; we answer with our inbound SPI of each */
			for (unsigned k = 0; k < d.nspi; k++) {
				struct child_sa *child = child_sa_by_spi(ike, d.spis + 4 * k, false);
				if (child == NULL)
					continue;
				ike_log(ike, "peer deleted Child SA #%u", child->serial);
				/* RFC 7296 1.4.1: an SA we are deleting ourselves is not
				 * named again in the response */
				if (!child->delete_sent)
					codec_put_delete(&inner, IKE_PROTO_ESP, 4, child->spi_local, 1);
				child_sa_free(ike, child);
			}
		}
	}
		/* RFC 7296 2.21.2: an initiator that cannot authenticate our IKE_AUTH
	 * response says so in an INFORMATIONAL request; the IKE SA is over */
	if (!ike->initiator && codec_find_notify(md->pl, IKE_N_AUTHENTICATION_FAILED) != NULL) {
		ike_log(ike, "peer rejected our authentication (AUTHENTICATION_FAILED in INFORMATIONAL)");
		ike->last_error = IKE_N_AUTHENTICATION_FAILED;
		delete_ike = true;
	}
	if (delete_ike) {
		codec_buf_init(&inner, storage, sizeof(storage));
		ike_log(ike, "peer deleted the IKE SA");
	}
	send_response(ike, md, &inner);
	return delete_ike ? TR_DONE : TR_STAY;
}

enum tr_result informational_i(struct ike_sa *ike, struct msg_digest *md)
{
	/* RFC 7296 1.4.1: the answer to our Delete names the peer's half of each Child
	 * SA it removed; those go now (one the peer had already forgotten goes when its
	 * retirement timer fires, lifetime.c) */
	for (unsigned i = 0; i < md->pl->n; i++) {
		struct ike_delete_pl d;
		if (md->pl->pl[i].type != IKE_PL_DELETE || codec_decode_delete(&md->pl->pl[i], &d) != CODEC_OK ||
		    d.protocol != IKE_PROTO_ESP || d.spi_len != 4)
			continue;
		for (unsigned k = 0; k < d.nspi; k++) {
			struct child_sa *c = child_sa_by_spi(ike, d.spis + 4 * k, false);
			if (c != NULL && c->delete_sent) {
				ike_log(ike, "Child SA #%u deleted", c->serial);
				child_sa_free(ike, c);
			}
		}
	}
	/* the answer to our Delete only when it was the last request we sent (another
	 * request may have been outstanding when the Delete was queued) */
	if (ike->state == IKE_DELETING && ike->nqueued == 0) {
		ike_log(ike, "peer acknowledged the Delete of the IKE SA");
		return TR_DONE;
	}
	return TR_STAY;
}
