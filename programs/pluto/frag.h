/* frag.h -- RFC 7383 IKE fragmentation: splitting outgoing protected messages and
 * reassembling incoming ones, with every limit a named constant. */
#ifndef FRAG_H
#define FRAG_H

#include "ikev2.h"

#define FRAG_MAX_PER_MSG         PLUTO_MAX_MSG_FRAGS	/* fragments of one message sent */
#define FRAG_MAX_BYTES_PER_SA    (128 * 1024)	/* reassembly octets one IKE SA may hold */
#define FRAG_MAX_BYTES_TOTAL     (16 * 1024 * 1024)	/* ... all IKE SAs together */
/* Before the peer is authenticated (after IKE_SA_INIT anyone can make fragments
 * that authenticate, RFC 7383 2.6.1): a collection holds at most this much, ... */
#define FRAG_MAX_BYTES_UNAUTH_SA    (32 * 1024)
/* ... all of them together this much, the oldest evicted to make room for a
 * newcomer (an attacker's collections never complete; a peer's fragments come
 * together) ... */
#define FRAG_MAX_BYTES_UNAUTH_TOTAL (2 * 1024 * 1024)
/* ... and one is dropped this long after its first fragment */
#define FRAG_UNAUTH_TIMEOUT_S       5

/* Protect plain (inner payloads, first one inner_np) as one SK message, or as SKF
 * fragments when fragmentation was negotiated and the message is too large (or
 * fragmentation=force).  out gets the datagrams (without non-ESP marker). */
bool frag_protect(struct ike_sa *ike, const struct ike_hdr *h, const struct sk_suite *s,
		  const struct chunk *ke, const struct chunk *ka, uint8_t inner_np,
		  const uint8_t *plain, size_t plain_len, struct dgrams *out);

enum frag_result {
	FRAG_HELD,	/* stored; the message is not complete yet */
	FRAG_COMPLETE,	/* md->plain and md->rec now describe the whole message */
	FRAG_DROP,	/* dropped (logged) */
};
/* An authenticated-before-use fragment (RFC 7383 2.6): decrypt, then store. */
enum frag_result frag_receive(struct ike_sa *ike, struct msg_digest *md, const struct ike_pl *skf,
			      const struct chunk *ke, const struct chunk *ka);
void frag_free(struct ike_sa *ike);

#endif
