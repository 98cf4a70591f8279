/* frag.c -- RFC 7383: splitting protected messages into Encrypted Fragment payloads
 * and reassembling them, every fragment authenticated before it is kept. */
#include <stdlib.h>
#include <string.h>
#include "frag.h"
#include "reasm.h"

/* One collection in progress: an IKE SA's, one direction's.  Those of IKE SAs not
 * yet authenticated are also on the daemon's list, oldest first. */
struct frag_rx {
	struct reasm r;
	struct ike_sa *ike;
	bool unauth;			/* charged to the unauthenticated budget */
	bool listed;			/* on p->frag_oldest .. frag_newest */
	uint64_t started_ms;
	struct frag_rx *older, *newer;
};

static struct reasm_limits limits(struct pluto *p, bool unauth)
{
	if (unauth)
		return (struct reasm_limits){ FRAG_MAX_BYTES_UNAUTH_SA, FRAG_MAX_BYTES_UNAUTH_TOTAL,
					      &p->frag_unauth_bytes };
	return (struct reasm_limits){ FRAG_MAX_BYTES_PER_SA, FRAG_MAX_BYTES_TOTAL, &p->frag_bytes };
}

static void unlist(struct frag_rx *x)
{
	struct pluto *p = x->ike->pluto;
	if (!x->listed)
		return;
	if (x->older != NULL)
		x->older->newer = x->newer;
	else
		p->frag_oldest = x->newer;
	if (x->newer != NULL)
		x->newer->older = x->older;
	else
		p->frag_newest = x->older;
	x->older = x->newer = NULL;
	x->listed = false;
}

/* a new unauthenticated collection is the newest */
static void list_newest(struct frag_rx *x)
{
	struct pluto *p = x->ike->pluto;
	unlist(x);
	x->started_ms = pluto_now_ms(p);
	x->older = p->frag_newest;
	if (p->frag_newest != NULL)
		p->frag_newest->newer = x;
	else
		p->frag_oldest = x;
	p->frag_newest = x;
	x->listed = true;
}

static void frag_free_one(struct ike_sa *ike, struct frag_rx **slot)
{
	struct frag_rx *x = *slot;
	if (x == NULL)
		return;
	unlist(x);
	struct reasm_limits lim = limits(ike->pluto, x->unauth);
	reasm_reset(&x->r, &lim);
	free(x);
	*slot = NULL;
}

static struct frag_rx **slot_of(struct frag_rx *x)
{
	return x->ike->frag_rx[0] == x ? &x->ike->frag_rx[0] : &x->ike->frag_rx[1];
}

/* Drop the oldest unauthenticated collection (not keep); false when none is left */
static bool evict_oldest(struct pluto *p, const struct frag_rx *keep, const char *why)
{
	struct frag_rx *x = p->frag_oldest;
	if (x != NULL && x == keep)
		x = x->newer;
	if (x == NULL)
		return false;
	log_drop(p, x->ike, why, "dropping the fragments of %s (message ID %u) collected so far: %s",
		 x->r.response ? "a response" : "a request", x->r.msgid, why);
	frag_free_one(x->ike, slot_of(x));
	return true;
}

/* RFC 7383 2.6.1 leaves it to the receiver how long to keep an incomplete message:
 * an unauthenticated one goes after FRAG_UNAUTH_TIMEOUT_S */
static void expire_unauth(struct pluto *p)
{
	uint64_t now = pluto_now_ms(p);
	while (p->frag_oldest != NULL && now - p->frag_oldest->started_ms >= FRAG_UNAUTH_TIMEOUT_S * 1000u)
		evict_oldest(p, NULL, "incomplete before authentication, timed out");
}

void frag_free(struct ike_sa *ike)
{
	frag_free_one(ike, &ike->frag_rx[0]);
	frag_free_one(ike, &ike->frag_rx[1]);
}

/* --- sending (RFC 7383 2.5) --- */

static size_t max_dgram(const struct ike_sa *ike)
{
	unsigned sz = ike->c->conf.fragment_size;
	if (sz != 0)
		return sz;
	return ike->remote.version == 6 ? CONF_FRAGMENT_SIZE_IPV6 : CONF_FRAGMENT_SIZE_IPV4;
}

/* Plaintext octets one fragment can carry within the datagram size. */
static size_t frag_chunk_len(const struct ike_sa *ike, const struct sk_suite *s)
{
	size_t ip_udp = (ike->remote.version == 6 ? 40 : 20) + 8 +
			(ike->ifc != NULL && ike->ifc->natt ? IKE_NON_ESP_MARKER_LEN : 0);
	size_t fixed = ip_udp + IKE_HDR_LEN + sk_overhead(s, 0, true);
	size_t room = max_dgram(ike) > fixed ? max_dgram(ike) - fixed : 0;
	size_t bl = s->info.blocklen > 1 ? s->info.blocklen : 1;
	/* padding can add up to a block: stay below a multiple of it */
	return room >= bl ? room - room % bl - (bl > 1 ? 1 : 0) : 0;
}

static bool one_message(const struct ike_hdr *h, const struct sk_suite *s, const struct chunk *ke,
			const struct chunk *ka, uint8_t inner_np, const uint8_t *plain, size_t len,
			uint16_t num, uint16_t total, struct dgrams *out)
{
	/* built in place, in a buffer of exactly the datagram's size */
	size_t cap = IKE_HDR_LEN + sk_overhead(s, len, total != 0) + len;
	if (cap > IKE_MSG_MAX)
		return false;
	struct chunk d = chunk_alloc(cap);
	struct ike_buf b;
	codec_buf_init(&b, d.ptr, d.len);
	codec_put_hdr(&b, h);
	bool ok = sk_encrypt(s, ke, ka, &b, inner_np, plain, len, num, total) && !b.overflow;
	d.len = b.len;
	if (ok && dgrams_take(out, &d))
		return true;
	chunk_free(&d);
	return false;
}

bool frag_protect(struct ike_sa *ike, const struct ike_hdr *h, const struct sk_suite *s,
		  const struct chunk *ke, const struct chunk *ka, uint8_t inner_np,
		  const uint8_t *plain, size_t plain_len, struct dgrams *out)
{
	dgrams_free(out);
	out->fragmented = false;
	/* RFC 7383 2.5: only when both sides announced support; fragmentation=force
	 * then sends every protected message as fragments, even a small one */
	bool can = ike->frag_negotiated && ike->c->conf.fragmentation != CONF_FRAG_NO;
	size_t whole = IKE_HDR_LEN + sk_overhead(s, plain_len, false) + plain_len +
		       (ike->remote.version == 6 ? 48 : 28) +
		       (ike->ifc != NULL && ike->ifc->natt ? IKE_NON_ESP_MARKER_LEN : 0);
	size_t chunk_len = frag_chunk_len(ike, s);
	bool force = ike->c->conf.fragmentation == CONF_FRAG_FORCE;
	/* an empty message has nothing to split (and a first fragment whose Next
	 * Payload is NONE is refused by some peers, libreswan 4.10 among them) */
	if (!can || chunk_len == 0 || plain_len == 0 || (whole <= max_dgram(ike) && !force)) {
		return one_message(h, s, ke, ka, inner_np, plain, plain_len, 0, 0, out);
	}
	size_t total = plain_len == 0 ? 1 : (plain_len + chunk_len - 1) / chunk_len;
	if (total > FRAG_MAX_PER_MSG)
		return false;
	struct ike_hdr fh = *h;
	out->fragmented = true;
	for (size_t i = 0; i < total; i++) {
		size_t off = i * chunk_len;
		size_t n = plain_len - off < chunk_len ? plain_len - off : chunk_len;
		if (!one_message(&fh, s, ke, ka, inner_np, plain + off, n, (uint16_t)(i + 1),
				 (uint16_t)total, out)) {
			dgrams_free(out);
			return false;
		}
	}
	return true;
}

/* --- receiving (RFC 7383 2.6) --- */

static enum frag_result dropped(struct ike_sa *ike, const struct msg_digest *md, const struct ike_skf_pl *f,
				const char *why)
{
	log_drop(ike->pluto, ike, why, "dropping fragment %u/%u of %s %s (message ID %u): %s", f->number, f->total,
		 ike_exchange_name(md->hdr.exchange), md->response ? "response" : "request", md->hdr.msgid, why);
	return FRAG_DROP;
}

/* Before storing len octets for an IKE SA not yet authenticated: a fragment that
 * starts a collection makes it the newest, and room is made by evicting the oldest
 * (RFC 7383 2.6.1: the receiver limits what it keeps) */
static void make_room(struct frag_rx *x, const struct msg_digest *md, const struct ike_skf_pl *f, size_t len)
{
	struct pluto *p = x->ike->pluto;
	const struct reasm *r = &x->r;
	if (!r->active || r->msgid != md->hdr.msgid || r->response != md->response || f->total > r->total)
		list_newest(x);
	while (p->frag_unauth_bytes + len > FRAG_MAX_BYTES_UNAUTH_TOTAL &&
	       evict_oldest(p, x, "unauthenticated fragment memory full: evicting the oldest collection"))
		;
}

enum frag_result frag_receive(struct ike_sa *ike, struct msg_digest *md, const struct ike_pl *skf,
			      const struct chunk *ke, const struct chunk *ka)
{
	struct ike_skf_pl f = { 0 };
	if (codec_decode_skf(skf, &f) != CODEC_OK)
		return dropped(ike, md, &f, "malformed Encrypted Fragment payload");
	struct pluto *p = ike->pluto;
	expire_unauth(p);
	struct frag_rx **slot = &ike->frag_rx[md->response ? 1 : 0];
	if (*slot == NULL) {
		if ((*slot = calloc(1, sizeof(**slot))) == NULL)
			return FRAG_DROP;
		(*slot)->ike = ike;
		(*slot)->unauth = !ike->authenticated;
	}
	struct frag_rx *x = *slot;
	struct reasm *r = &x->r;
	enum reasm_result rr = reasm_check(r, md->hdr.msgid, md->response, f.number, f.total);
	if (rr != REASM_WANTED)
		return dropped(ike, md, &f, reasm_result_name(rr));
	/* RFC 7383 2.6.1: authenticate each fragment before it is used */
	uint8_t *out = malloc(skf->len ? skf->len : 1);
	if (out == NULL)
		return FRAG_DROP;
	const uint8_t *plain;
	size_t plain_len;
	enum sk_result sr = sk_decrypt(&ike->suite, ke, ka, md->raw, md->raw_len, skf, out, &plain, &plain_len);
	struct reasm_limits lim = limits(p, x->unauth);
	if (sr == SK_OK && x->unauth)
		make_room(x, md, &f, plain_len);
	if (sr == SK_OK)
		rr = reasm_add(r, &lim, md->raw, md->hdr.msgid, md->response, f.number, f.total, skf->np,
			       plain, plain_len);
	chunk_wipe(out, skf->len);
	free(out);
	if (sr != SK_OK)
		return dropped(ike, md, &f, sk_result_name(sr));
	if (rr == REASM_HELD)
		return FRAG_HELD;
	if (rr != REASM_COMPLETE)
		return dropped(ike, md, &f, reasm_result_name(rr));
	unsigned total = r->total;
	chunk_free(&md->plain);
	reasm_finish(r, &lim, &md->plain, &md->rec);
	frag_free_one(ike, slot);	/* until the next fragmented message */
	ike->frags_received += total;
	ike_log(ike, "reassembled %s %s (message ID %u) from %u fragments", ike_exchange_name(md->hdr.exchange),
		md->response ? "response" : "request", md->hdr.msgid, total);
	return FRAG_COMPLETE;
}
