/* send.c -- building, protecting, sending and retransmitting messages.
 *
 * Outgoing protected messages are produced from an inner payload chain: the record
 * (sk_record) is formed first -- the one the transcript reads -- then encrypted,
 * split into RFC 7383 fragments when needed, and sent. */
#include <string.h>
#include "ikev2.h"
#include "frag.h"

static void fill_hdr(const struct ike_sa *ike, struct ike_hdr *h, uint8_t exchange, uint32_t msgid,
		     bool response)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->spi_i, ike->spi_i, IKE_SPI_LEN);
	memcpy(h->spi_r, ike->spi_r, IKE_SPI_LEN);
	h->version = IKE_VERSION_2_0;
	h->exchange = exchange;
	h->msgid = msgid;
	/* RFC 7296 3.1: I is set by the original initiator, R on responses */
	h->flags = (ike->initiator ? IKE_FLAG_INITIATOR : 0) | (response ? IKE_FLAG_RESPONSE : 0);
}

/* base: what goes out (the payloads of the chain: inner of SK, or the whole
 * IKE_SA_INIT message after its header); crypt: the plaintext before encryption */
static void dbg_sending(struct ike_sa *ike, bool response, uint8_t exchange, uint32_t msgid, uint8_t first_np,
			const uint8_t *data, size_t len, const struct dgrams *d, bool protected)
{
	struct ike_chain c;
	char pls[512] = "(undecodable)", what[128];
	uint8_t bad;
	if (codec_decode_chain(first_np, data, len, &c, &bad) == CODEC_OK)
		codec_chain_str(&c, pls, sizeof(pls));
	ike_dbg(ike, "sending %s %s (message ID %u)%s: %s; %u datagram(s)%s",
		ike_exchange_name(exchange), response ? "response" : "request", msgid, protected ? " in SK" : "", pls,
		d->n, d->fragmented ? " (RFC 7383 fragments)" : "");
	if (protected && IKE_DBGP(ike, DBG_CRYPT)) {
		snprintf(what, sizeof(what), "%s %s (message ID %u) plaintext",
			 ike_exchange_name(exchange), response ? "response" : "request", msgid);
		dbg_hex(ike->pluto, ike, DBG_CRYPT, what, data, len);
	}
}

static bool send_dgrams(struct ike_sa *ike, const struct dgrams *d)
{
	bool ok = true;
	for (unsigned i = 0; i < d->n; i++)
		ok = iface_send(ike, &d->d[i]) && ok;
	return ok;
}

/* --- retransmission (RFC 7296 2.1: the initiator retransmits, the responder never) --- */

static void retransmit_cb(void *arg)
{
	struct ike_sa *ike = arg;
	struct pluto *p = ike->pluto;	/* ike may be freed below */
	if (!ike->req_pending || ike_sa_dead(ike))
		return;
	uint64_t now = pluto_now_ms(p);
	if (now >= ike->retrans_deadline_ms) {
		ike_log(ike, "%s request (message ID %u) timed out after %u retransmissions%s%s",
			ike_exchange_name(ike->req_exchange), ike->req_msgid, ike->retrans_tries,
			ike->last_error ? "; the peer last said " : "",
			ike->last_error ? ike_notify_name(ike->last_error) : "");
		ike->req_pending = false;
		/* RFC 7296 2.4: no answer within retransmit-timeout: the peer is dead
		 * (dpdaction= decides what comes next, lifetime.c) */
		ike->peer_dead = ike->authenticated;
		ike_sa_delete(ike, "peer not responding");
		ike_sa_free_all(p);
		log_flush(p);
		return;
	}
	ike->retrans_tries++;
	ike_dbg(ike, "timer: retransmission of %s request (message ID %u), %llu ms before giving up",
		ike_exchange_name(ike->req_exchange), ike->req_msgid,
		(unsigned long long)(ike->retrans_deadline_ms - now));
	ike_log(ike, "retransmitting %s request (message ID %u), try %u",
		ike_exchange_name(ike->req_exchange), ike->req_msgid, ike->retrans_tries + 1);
	send_dgrams(ike, &ike->req);
	/* exponential back-off, never past the deadline */
	ike->retrans_delay_ms *= 2;
	uint64_t delay = ike->retrans_delay_ms;
	if (now + delay > ike->retrans_deadline_ms)
		delay = ike->retrans_deadline_ms - now;
	timer_schedule(&ike->retrans_timer, p, retransmit_cb, ike, delay);
	log_flush(p);
}

static void retransmit_start(struct ike_sa *ike)
{
	const struct conf_conn *cc = &ike->c->conf;
	ike->retrans_tries = 0;
	ike->retrans_delay_ms = cc->retransmit_interval_ms ? cc->retransmit_interval_ms : 500;
	ike->retrans_deadline_ms = pluto_now_ms(ike->pluto) +
		(cc->retransmit_timeout_ms ? cc->retransmit_timeout_ms : 60000);
	timer_schedule(&ike->retrans_timer, ike->pluto, retransmit_cb, ike, ike->retrans_delay_ms);
	ike_dbg(ike, "timer: first retransmission in %u ms, giving up after %u ms (retransmit-interval=, "
		"retransmit-timeout=)", ike->retrans_delay_ms,
		cc->retransmit_timeout_ms ? cc->retransmit_timeout_ms : 60000);
}

void send_retransmit_cancel(struct ike_sa *ike)
{
	ike->req_pending = false;
	timer_cancel(&ike->retrans_timer);
	dgrams_free(&ike->req);
}

/* --- IKE_SA_INIT: unprotected, never fragmented (RFC 7383 2.5.3) --- */

bool send_init_request(struct ike_sa *ike, struct ike_buf *b)
{
	if (b->overflow)
		return false;
	send_retransmit_cancel(ike);
	ike->req_gen++;
	if (!dgrams_add(&ike->req, b->data, b->len))
		return false;
	ike->req_pending = true;
	ike->req_msgid = 0;
	ike->req_exchange = IKE_SA_INIT;
	ike->next_msgid_out = 1;
	retransmit_start(ike);
	if (IKE_DBGP(ike, DBG_BASE))
		dbg_sending(ike, false, IKE_SA_INIT, 0, b->data[16], b->data + IKE_HDR_LEN, b->len - IKE_HDR_LEN,
			    &ike->req, false);
	return send_dgrams(ike, &ike->req);
}

static void cache_response(struct ike_sa *ike, uint32_t msgid, struct dgrams *d)
{
	dgrams_free(&ike->resp);
	ike->resp = *d;	/* takes the datagrams */
	ike->resp_valid = true;
	ike->resp_msgid = msgid;
	ike->next_msgid_in = msgid + 1;
	memset(d, 0, sizeof(*d));
}

bool send_init_response(struct ike_sa *ike, const struct msg_digest *md, struct ike_buf *b)
{
	if (b->overflow)
		return false;
	struct dgrams d = { 0 };
	if (!dgrams_add(&d, b->data, b->len))
		return false;
	cache_response(ike, md->hdr.msgid, &d);
	if (IKE_DBGP(ike, DBG_BASE))
		dbg_sending(ike, true, IKE_SA_INIT, 0, b->data[16], b->data + IKE_HDR_LEN, b->len - IKE_HDR_LEN,
			    &ike->resp, false);
	return send_dgrams(ike, &ike->resp);
}

/* An unprotected answer holding one notify, with header h, to where md came from */
static void send_bare_notify(const struct msg_digest *md, struct ike_hdr *h, uint16_t ntype,
			     const void *data, size_t len)
{
	uint8_t storage[512];
	struct ike_buf b;
	codec_buf_init(&b, storage, sizeof(storage));
	h->np = 0;
	codec_put_hdr(&b, h);
	codec_put_notify(&b, IKE_PROTO_NONE, NULL, 0, ntype, data, len);
	codec_finish_hdr(&b);
	struct pluto *p = md->ifc->pluto;
	char a[IP_STR_MAX];
	dbg(p, "sending unprotected %s %s (message ID %u) to %s:%u: N(%s), no state kept", ike_exchange_name(h->exchange),
	    (h->flags & IKE_FLAG_RESPONSE) ? "response" : "request", h->msgid, ip_str(&md->from, a), md->fport,
	    ike_notify_name(ntype));
	if (!b.overflow)
		iface_send_to(md->ifc, &md->to, &md->from, md->fport, b.data, b.len);
}

void send_init_notify(struct pluto *p, const struct msg_digest *md, uint16_t ntype,
		      const void *data, size_t len)
{
	struct ike_hdr h = md->hdr;
	h.flags = IKE_FLAG_RESPONSE;
	memset(h.spi_r, 0, sizeof(h.spi_r));	/* RFC 7296 2.6: no state, so no SPIr */
	send_bare_notify(md, &h, ntype, data, len);
}

/* RFC 7296 1.5, 2.21.4: a request for IKE SPIs we do not know may be answered,
 * unprotected, with INVALID_IKE_SPI: SPIs and Message ID copied, R set, I flipped.
 * At most PLUTO_INVALID_SPI_PER_S a second, so that it cannot be used to flood. */
void send_invalid_spi(struct pluto *p, const struct msg_digest *md)
{
	uint64_t sec = pluto_now_ms(p) / 1000;
	if (sec != p->invspi_second) {
		p->invspi_second = sec;
		p->invspi_sent = 0;
	}
	if (p->invspi_sent >= PLUTO_INVALID_SPI_PER_S)
		return;
	p->invspi_sent++;
	struct ike_hdr h = md->hdr;
	h.exchange = INFORMATIONAL;
	h.flags = IKE_FLAG_RESPONSE | ((md->hdr.flags & IKE_FLAG_INITIATOR) ? 0 : IKE_FLAG_INITIATOR);
	send_bare_notify(md, &h, IKE_N_INVALID_IKE_SPI, NULL, 0);
}

/* --- protected messages --- */

const struct chunk *ike_sk_p(const struct ike_sa *ike, bool of_initiator)
{
	return keymat_dir(&ike->keys, of_initiator).p;
}

bool ikev2_record(struct ike_sa *ike, uint8_t exchange, bool from_initiator,
		  const struct sk_record *rec)
{
	if (exchange != IKE_INTERMEDIATE)
		return true;
	return transcript_add(&ike->transcript, from_initiator, ike_sk_p(ike, from_initiator), rec);
}

/* Encrypt inner into one SK message or RFC 7383 fragments. */
static bool protect(struct ike_sa *ike, const struct ike_hdr *h, const struct ike_buf *inner,
		    struct dgrams *out)
{
	struct ike_dir_keys k = keymat_dir(&ike->keys, ike->initiator);
	const struct chunk *ke = k.e, *ka = k.a;
	uint8_t inner_np = inner->len ? inner->first_np : IKE_PL_NONE;

	/* RFC 9242 3.1: the record of the message as if unfragmented */
	struct sk_record rec = { .inner_np = inner_np, .plain = inner->data, .plain_len = inner->len };
	struct ike_hdr rh = *h;
	rh.np = IKE_PL_SK;
	rh.length = (uint32_t)(IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + inner->len);
	uint8_t hdrbuf[IKE_HDR_LEN];
	struct ike_buf hb;
	codec_buf_init(&hb, hdrbuf, sizeof(hdrbuf));
	codec_put_hdr(&hb, &rh);
	memcpy(rec.hdr, hdrbuf, IKE_HDR_LEN);
	if (!ikev2_record(ike, h->exchange, ike->initiator, &rec))
		return false;
	return frag_protect(ike, h, &ike->suite, ke, ka, inner_np, inner->data, inner->len, out);
}

static bool enqueue(struct ike_sa *ike, uint8_t exchange, const struct ike_buf *inner)
{
	if (ike->nqueued >= PLUTO_MAX_QUEUED_REQUESTS) {
		ike_log(ike, "cannot queue %s request: %u already waiting", ike_exchange_name(exchange),
			ike->nqueued);
		return false;
	}
	struct queued_request *q = &ike->queued[ike->nqueued++];
	q->exchange = exchange;
	q->first_np = inner->first_np;
	q->inner = chunk_dup(inner->data, inner->len);
	ike_log(ike, "%s request queued behind message ID %u (RFC 7296 2.3 window)",
		ike_exchange_name(exchange), ike->req_msgid);
	return true;
}

void send_queue_free(struct ike_sa *ike)
{
	for (unsigned i = 0; i < ike->nqueued; i++)
		chunk_free(&ike->queued[i].inner);
	ike->nqueued = 0;
}

void send_request_done(struct ike_sa *ike)
{
	ike_dbg(ike, "%s request (message ID %u) answered; retransmission stopped%s",
		ike_exchange_name(ike->req_exchange), ike->req_msgid, ike->nqueued ? "; sending the next queued one" : "");
	send_retransmit_cancel(ike);
	if (ike->nqueued == 0 || ike_sa_dead(ike))
		return;
	struct queued_request q = ike->queued[0];
	memmove(&ike->queued[0], &ike->queued[1], --ike->nqueued * sizeof(q));
	struct ike_buf inner;
	codec_buf_init(&inner, q.inner.ptr, q.inner.len);
	inner.len = q.inner.len;
	inner.first_np = q.first_np;
	send_request(ike, q.exchange, &inner);
	chunk_free(&q.inner);
}

bool send_request(struct ike_sa *ike, uint8_t exchange, const struct ike_buf *inner)
{
	if (inner->overflow)
		return false;
	if (ike->req_pending && !ike->in_response)
		return enqueue(ike, exchange, inner);
	struct ike_hdr h;
	fill_hdr(ike, &h, exchange, ike->next_msgid_out, false);
	send_retransmit_cancel(ike);
	ike->req_gen++;
	if (!protect(ike, &h, inner, &ike->req)) {
		ike_log(ike, "cannot protect %s request", ike_exchange_name(exchange));
		return false;
	}
	ike->req_pending = true;
	ike->in_response = false;	/* a second request from this handler waits (2.3) */
	ike->req_msgid = ike->next_msgid_out++;
	ike->req_exchange = exchange;
	retransmit_start(ike);
	ike->frags_sent += ike->req.fragmented ? ike->req.n : 0;
	ike_log(ike, "%s request sent (message ID %u%s)", ike_exchange_name(exchange), h.msgid,
		ike->req.fragmented ? ", fragmented" : "");
	if (IKE_DBGP(ike, DBG_BASE | DBG_CRYPT))
		dbg_sending(ike, false, exchange, h.msgid, inner->len ? inner->first_np : IKE_PL_NONE, inner->data, inner->len, &ike->req, true);
	return send_dgrams(ike, &ike->req);
}

bool send_response(struct ike_sa *ike, const struct msg_digest *md, const struct ike_buf *inner)
{
	if (inner->overflow)
		return false;
	struct ike_hdr h;
	fill_hdr(ike, &h, md->hdr.exchange, md->hdr.msgid, true);
	struct dgrams d = { 0 };
	if (!protect(ike, &h, inner, &d)) {
		ike_log(ike, "cannot protect %s response", ike_exchange_name(md->hdr.exchange));
		dgrams_free(&d);
		return false;
	}
	cache_response(ike, md->hdr.msgid, &d);
	ike->frags_sent += ike->resp.fragmented ? ike->resp.n : 0;
	ike_log(ike, "%s response sent (message ID %u%s)", ike_exchange_name(md->hdr.exchange),
		h.msgid, ike->resp.fragmented ? ", fragmented" : "");
	if (IKE_DBGP(ike, DBG_BASE | DBG_CRYPT))
		dbg_sending(ike, true, md->hdr.exchange, h.msgid, inner->len ? inner->first_np : IKE_PL_NONE, inner->data, inner->len, &ike->resp,
			    true);
	return send_dgrams(ike, &ike->resp);
}

void send_notify_response(struct ike_sa *ike, const struct msg_digest *md, uint16_t ntype,
			  const void *data, size_t len)
{
	uint8_t storage[512];
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	codec_put_notify(&inner, IKE_PROTO_NONE, NULL, 0, ntype, data, len);
	ike->last_error = ntype;
	ike_log(ike, "responding to %s request with %s", ike_exchange_name(md->hdr.exchange),
		ike_notify_name(ntype));
	send_response(ike, md, &inner);
}
