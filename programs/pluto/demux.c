/* demux.c -- from a datagram to a handler: header, SA lookup, message-ID window,
 * retransmitted requests, decryption and reassembly (docs/architecture.md: the path of one message). */
#include <stdlib.h>
#include <string.h>
#include "ikev2.h"
#include "frag.h"
#include "crypt.h"
#include "admission.h"

/* one line per dropped datagram, rate-limited by reason (log.c) */
static void md_log(struct pluto *p, const struct msg_digest *md, const char *why)
{
	char a[IP_STR_MAX];
	log_drop(p, NULL, why, "packet from %s:%u: %s %s (message ID %u) dropped: %s", ip_str(&md->from, a),
		 md->fport, ike_exchange_name(md->hdr.exchange), md->response ? "response" : "request",
		 md->hdr.msgid, why);
}

/* RFC 7296 2.5: answer a higher major version with INVALID_MAJOR_VERSION (unprotected);
 * a lower one (IKEv1) is dropped */
static void bad_version(struct pluto *p, struct msg_digest *md, const uint8_t *d, size_t len)
{
	char a[IP_STR_MAX];
	log_drop(p, NULL, "IKE major version not supported", "packet from %s:%u: IKE major version %u not supported",
		 ip_str(&md->from, a), md->fport, d[17] >> 4);
	if ((d[17] >> 4) > 2 && (d[19] & IKE_FLAG_RESPONSE) == 0 && len >= IKE_HDR_LEN) {
		memcpy(md->hdr.spi_i, d, 8);
		memcpy(md->hdr.spi_r, d + 8, 8);
		md->hdr.exchange = d[18];
		md->hdr.msgid = be_get32(d + 20);
		md->hdr.version = IKE_VERSION_2_0;
		send_init_notify(p, md, IKE_N_INVALID_MAJOR_VERSION, NULL, 0);
	}
}

/* RFC 7296 2.6: Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>);
 * which = 0 for the current secret, 1 for the one before */
#define COOKIE_LEN 33
static bool make_cookie(struct pluto *p, const struct msg_digest *md, unsigned which, uint8_t out[COOKIE_LEN])
{
	const uint8_t *ni;
	size_t nlen;
	if (codec_decode_nonce(codec_find(&md->outer, IKE_PL_NONCE), &ni, &nlen) != CODEC_OK)
		return false;
	struct iov in[] = { { ni, nlen }, { md->from.b, ip_len(&md->from) },
			    { md->hdr.spi_i, IKE_SPI_LEN }, { p->cookie_secret[which], PLUTO_COOKIE_SECRET_LEN } };
	out[0] = (uint8_t)(p->cookie_version - which);
	return crypt_hash(CRYPT_SHA256, in, 4, out + 1);
}

/* RFC 7296 2.6: the secret changes every PLUTO_COOKIE_ROTATE_S; a cookie made with
 * the previous one is still good for one more period, and never longer: after two
 * periods without a rotation (none is needed without load) both secrets are new, so
 * that a cookie expires with its secret however rarely this runs */
static void rotate_cookie_secret(struct pluto *p)
{
	uint64_t now = pluto_now_ms(p), period = PLUTO_COOKIE_ROTATE_S * 1000u;
	if (now - p->cookie_rotated_ms < period)
		return;
	bool both = now - p->cookie_rotated_ms >= 2 * period;
	uint8_t next[2][PLUTO_COOKIE_SECRET_LEN];
	if (!crypt_random(next, sizeof(next))) {
		plog(p, "no randomness for a new cookie secret; keeping the current one");
		return;
	}
	memcpy(p->cookie_secret[1], both ? next[1] : p->cookie_secret[0], PLUTO_COOKIE_SECRET_LEN);
	memcpy(p->cookie_secret[0], next[0], PLUTO_COOKIE_SECRET_LEN);
	chunk_wipe(next, sizeof(next));
	p->cookie_version += both ? 2 : 1;
	p->cookie_rotated_ms = now;
}

/* Under load, only a request that returns our cookie (as its first payload) may
 * create state; others get the cookie and nothing is kept (RFC 7296 2.6).  *proven:
 * it returned a valid one. */
static bool cookie_ok(struct pluto *p, struct msg_digest *md, size_t octets, bool *proven)
{
	uint8_t want[COOKIE_LEN], prev[COOKIE_LEN];
	*proven = false;
	char a[IP_STR_MAX];
	if (!admission_cookie_required(p, &md->from, octets)) {
		dbg(p, "admission: %s: no COOKIE required (ddos-mode=%s, %u half-open of threshold %u)",
		    ip_str(&md->from, a), p->setup.ddos_mode == CONF_DDOS_UNLIMITED ? "unlimited" : "auto",
		    p->nhalf_open, p->setup.ddos_ike_threshold ? p->setup.ddos_ike_threshold : CONF_DDOS_IKE_THRESHOLD_DEFAULT);
		return true;
	}
	dbg(p, "admission: %s: a COOKIE is required (ddos-mode=%s, %u half-open)", ip_str(&md->from, a),
	    p->setup.ddos_mode == CONF_DDOS_BUSY ? "busy" : "auto", p->nhalf_open);
	rotate_cookie_secret(p);
	if (!make_cookie(p, md, 0, want) || !make_cookie(p, md, 1, prev)) {
		md_log(p, md, "malformed IKE_SA_INIT request (no Nonce)");
		return false;
	}
	struct ike_notify_pl n;
	if (md->outer.n > 0 && md->outer.pl[0].type == IKE_PL_NOTIFY &&
	    codec_decode_notify(&md->outer.pl[0], &n) == CODEC_OK && n.type == IKE_N_COOKIE &&
	    n.len == COOKIE_LEN && (chunk_memeq(n.data, want, COOKIE_LEN) || chunk_memeq(n.data, prev, COOKIE_LEN))) {
		dbg(p, "admission: %s returned a valid COOKIE", ip_str(&md->from, a));
		return *proven = true;
	}
	md_log(p, md, p->setup.ddos_mode == CONF_DDOS_BUSY ? "ddos-mode=busy: answering with a COOKIE"
						      : "many half-open IKE SAs: answering with a COOKIE");
	send_init_notify(p, md, IKE_N_COOKIE, want, COOKIE_LEN);
	return false;
}

/* A new IKE_SA_INIT request: a new responder SA, within the half-open limit */
static struct ike_sa *new_responder(struct pluto *p, struct msg_digest *md)
{
	static const uint8_t zero[IKE_SPI_LEN];
	if (memcmp(md->hdr.spi_r, zero, IKE_SPI_LEN) != 0 || md->hdr.msgid != 0) {
		md_log(p, md, "IKE_SA_INIT request with non-zero responder SPI or message ID");
		return NULL;
	}
	/* the request is kept for AUTH (RFC 7296 2.15): it counts in the budget */
	size_t octets = sizeof(struct ike_sa) + md->raw_len;
	bool proven;
	if (!cookie_ok(p, md, octets, &proven))
		return NULL;
	enum admission_verdict v = admission_check(p, &md->from, octets, proven);
	char a[IP_STR_MAX];
	dbg(p, "admission: %s: %s (%zu octets to keep%s; %u half-open of max-halfopen-ike=%u, %zu KiB held)",
	    ip_str(&md->from, a), admission_verdict_name(v), octets, proven ? ", with a COOKIE" : "", p->nhalf_open,
	    p->setup.max_halfopen_ike ? p->setup.max_halfopen_ike : CONF_MAX_HALFOPEN_IKE_DEFAULT,
	    p->half_open_octets / 1024);
	if (v != ADMIT_OK) {
		md_log(p, md, admission_verdict_name(v));
		return NULL;
	}
	struct connection *c = connection_for_peer(p, &md->to, &md->from);
	if (c == NULL) {
		md_log(p, md, "no connection is configured for this peer");
		return NULL;
	}
	struct ike_sa *ike = ike_sa_new(p, c, false);
	if (ike == NULL) {
		/* max-ike-sas= reached (or no memory): nothing kept, nothing answered; the
		 * initiator retransmits and may find room (RFC 7296 2.1) */
		md_log(p, md, "cannot create an IKE SA (max-ike-sas= reached)");
		return NULL;
	}
	memcpy(ike->spi_i, md->hdr.spi_i, IKE_SPI_LEN);
	ike_dbg(ike, "new responder IKE SA #%u for connection \"%s\" (chosen by address; IKE_AUTH may move it)",
		ike->serial, c->name);
	ike_sa_rehash(ike);
	ike->local = md->to;
	ike_sa_set_remote(ike, &md->from);
	ike->rport = md->fport;
	ike->lport = md->ifc->port;
	ike->ifc = md->ifc;
	admission_charge(ike, octets, proven);
	ike_log(ike, "responding to IKE_SA_INIT request from %s:%u", ip_str(&md->from, a), md->fport);
	return ike;
}

static struct ike_sa *find_sa(struct pluto *p, struct msg_digest *md)
{
	static const uint8_t zero[IKE_SPI_LEN];
	if (md->hdr.exchange == IKE_SA_INIT && !md->response) {
		struct ike_sa *old = admission_find(p, md->hdr.spi_i, &md->from);
		return old != NULL ? old : new_responder(p, md);
	}
	if (md->hdr.exchange == IKE_SA_INIT && md->response) {
		/* RFC 7296 2.6: our SA is known by SPIi alone until this response */
		struct ike_sa *ike = ike_sa_find(p, md->hdr.spi_i, zero);
		if (ike != NULL && ike->initiator && ike->state == IKE_I_INIT_SENT)
			return ike;
		md_log(p, md, "no IKE SA waiting for this IKE_SA_INIT response");
		return NULL;
	}
	return ike_sa_find(p, md->hdr.spi_i, md->hdr.spi_r);
}

/* RFC 7296 2.1: a retransmitted request gets the cached response again; anyone can
 * send one with the right SPIs and message ID (the check is not authenticated), so
 * at most PLUTO_RESEND_PER_S a second per IKE SA -- more than an initiator's own
 * retransmissions need -- and never to another address or port than the SA's */
static void resend_response(struct ike_sa *ike, const struct msg_digest *md)
{
	uint64_t sec = pluto_now_ms(ike->pluto) / 1000;
	if (sec != ike->resend_second) {
		ike->resend_second = sec;
		ike->resend_count = 0;
	}
	if (ike->resend_count >= PLUTO_RESEND_PER_S) {
		md_log(ike->pluto, md, "retransmitted request: cached response re-sent too often (rate limit)");
		return;
	}
	ike->resend_count++;
	ike_log(ike, "retransmitting response to %s request (message ID %u)", ike_exchange_name(md->hdr.exchange),
		md->hdr.msgid);
	for (unsigned i = 0; i < ike->resp.n; i++)
		iface_send(ike, &ike->resp.d[i]);
}

/* RFC 7296 2.2 / 2.3: window size 1 in each direction */
static bool msgid_ok(struct ike_sa *ike, struct msg_digest *md)
{
	uint32_t id = md->hdr.msgid;
	if (md->response) {
		if (ike->req_pending && id == ike->req_msgid && md->hdr.exchange == ike->req_exchange)
			return true;
		md_log(ike->pluto, md, "not a response to our outstanding request");
		return false;
	}
	if (id == ike->next_msgid_in)
		return true;
	if (ike->resp_valid && id == ike->resp_msgid) {
		/* RFC 7296 2.1: a retransmitted request gets the same response again;
		 * RFC 7383 2.6.1: for a fragmented request, only on its first fragment */
		const struct ike_pl *skf = codec_find(&md->outer, IKE_PL_SKF);
		struct ike_skf_pl f;
		if (skf == NULL || (codec_decode_skf(skf, &f) == CODEC_OK && f.number == 1))
			resend_response(ike, md);
		return false;
	}
	md_log(ike->pluto, md, "unexpected message ID");
	return false;
}

/* The sender's keys: the original initiator sends with SK_ei/SK_ai (RFC 7296 2.14) */
static void peer_keys(const struct ike_sa *ike, const struct msg_digest *md,
		      const struct chunk **ke, const struct chunk **ka)
{
	struct ike_dir_keys k = keymat_dir(&ike->keys, (md->hdr.flags & IKE_FLAG_INITIATOR) != 0);
	*ke = k.e;
	*ka = k.a;
}

/* Decrypt SK (or reassemble SKF) into md->inner; false when the message is dropped
 * or held waiting for more fragments. */
static bool unprotect(struct ike_sa *ike, struct msg_digest *md)
{
	const struct ike_pl *last = &md->outer.pl[md->outer.n - 1];
	const struct chunk *ke, *ka;
	if (!ike->keys_ready) {
		md_log(ike->pluto, md, "encrypted message before keys exist");
		return false;
	}
	peer_keys(ike, md, &ke, &ka);
	if (last->type == IKE_PL_SKF) {
		if (!ike->frag_negotiated) {
			md_log(ike->pluto, md, "fragment received but fragmentation was not negotiated");
			return false;
		}
		if (frag_receive(ike, md, last, ke, ka) != FRAG_COMPLETE)
			return false;
	} else {
		md->plain = chunk_alloc(last->len);
		const uint8_t *plain;
		size_t plain_len;
		enum sk_result r = sk_decrypt(&ike->suite, ke, ka, md->raw, md->raw_len, last,
					      md->plain.ptr, &plain, &plain_len);
		if (r != SK_OK) {
			/* RFC 7296 2.21.2: an unauthenticated message is dropped silently */
			md_log(ike->pluto, md, sk_result_name(r));
			return false;
		}
		memcpy(md->rec.hdr, md->raw, IKE_HDR_LEN);
		md->rec.unenc = last->hdr - (md->raw + IKE_HDR_LEN) > 0 ? md->raw + IKE_HDR_LEN : NULL;
		md->rec.unenc_len = (size_t)(last->hdr - (md->raw + IKE_HDR_LEN));
		md->rec.inner_np = last->np;
		md->rec.plain = plain;
		md->rec.plain_len = plain_len;
	}
	md->encrypted = true;
	uint8_t bad = 0;
	enum codec_result cr = codec_decode_chain(md->rec.inner_np, md->rec.plain, md->rec.plain_len,
						  &md->inner, &bad);
	if (cr != CODEC_OK) {
		ike_log(ike, "%s %s (message ID %u) has malformed payloads: %s",
			ike_exchange_name(md->hdr.exchange), md->response ? "response" : "request",
			md->hdr.msgid, codec_result_name(cr));
		if (!md->response) {
			/* RFC 7296 2.5 / 2.21.2 */
			if (cr == CODEC_UNSUPPORTED_CRITICAL)
				send_notify_response(ike, md, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &bad, 1);
			else
				send_notify_response(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0);
		}
		if (ike->state != IKE_ESTABLISHED)
			ike_sa_delete(ike, "malformed message");
		return false;
	}
	md->pl = &md->inner;
	if (IKE_DBGP(ike, DBG_BASE | DBG_CRYPT)) {
		char pls[512], what[96];
		ike_dbg(ike, "%s %s (message ID %u) decrypted%s: %s",
			ike_exchange_name(md->hdr.exchange), md->response ? "response" : "request", md->hdr.msgid,
			last->type == IKE_PL_SKF ? " (reassembled)" : "", codec_chain_str(&md->inner, pls, sizeof(pls)));
		snprintf(what, sizeof(what), "%s %s (message ID %u) plaintext",
			 ike_exchange_name(md->hdr.exchange), md->response ? "response" : "request", md->hdr.msgid);
		if (IKE_DBGP(ike, DBG_CRYPT))
			dbg_hex(ike->pluto, ike, DBG_CRYPT, what, md->rec.plain, md->rec.plain_len);
	}
	return true;
}

static void demux_sa(struct pluto *p, struct msg_digest *md, unsigned *debugging)
{
	struct ike_sa *ike = find_sa(p, md);
	if (ike != NULL) {
		*debugging = ike_debugging(ike);
		ike_dbg(ike, "message for this IKE SA (%s, %s, %s)",
			ike->c != NULL ? ike->c->name : "no connection", ike->initiator ? "initiator" : "responder",
			ike_state_name(ike->state));
	}
	if (ike == NULL) {
		/* RFC 7296 2.21.4: a response is never answered; a request may get
		 * INVALID_IKE_SPI (rate-limited) */
		if (md->hdr.exchange != IKE_SA_INIT) {
			md_log(p, md, "no IKE SA for these SPIs");
			/* not for fragments: a fragment bomb gets no echo (RFC 7383 2.6.1) */
			const struct ike_pl *last = md->outer.n ? &md->outer.pl[md->outer.n - 1] : NULL;
			if (!md->response && (last == NULL || last->type != IKE_PL_SKF))
				send_invalid_spi(p, md);
		}
		return;
	}
	/* RFC 7296 3.1: the I flag tells who sent it; it must be the other role */
	bool from_i = (md->hdr.flags & IKE_FLAG_INITIATOR) != 0;
	if (from_i == ike->initiator) {
		md_log(p, md, "Initiator flag does not match our role");
		return;
	}
	if (!msgid_ok(ike, md))
		return;
	/* The SA waits for a crypto helper (TR_SUSPEND): the message it works on, a
	 * retransmission of it or anything else that passed the window is dropped
	 * before decryption and reassembly; the peer retransmits and gets the answer
	 * once it is made.  msgid_ok() above has answered a retransmitted request we
	 * had already answered, from the cache. */
	if (ike->job != NULL) {
		ike_dbg(ike, "%s %s (message ID %u) dropped: waiting for a crypto helper (%s)",
			ike_exchange_name(md->hdr.exchange), md->response ? "response" : "request", md->hdr.msgid,
			ike->job->what);
		return;
	}
	const struct ike_pl *last = md->outer.n ? &md->outer.pl[md->outer.n - 1] : NULL;
	bool sk = last != NULL && (last->type == IKE_PL_SK || last->type == IKE_PL_SKF);
	if (md->hdr.exchange == IKE_SA_INIT) {
		if (sk) {
			md_log(p, md, "IKE_SA_INIT must not be encrypted");
			return;
		}
		md->pl = &md->outer;
	} else if (!sk) {
		/* RFC 7296 3.14: everything after IKE_SA_INIT is protected */
		md_log(p, md, "message is not encrypted");
		return;
	} else if (!unprotect(ike, md)) {
		return;
	} else if ((ike->last_heard_ms = pluto_now_ms(ike->pluto)), ike->nat_detected && !ike->nat_local && !md->response) {
		/* RFC 7296 2.23: with the peer behind a NAT, follow where its last
		 * authenticated request came from (it moves to port 4500, its mapping may
		 * change); the end behind the NAT SHOULD NOT follow (a forged source) */
		ike->ifc = md->ifc;
		ike->lport = md->ifc->port;
		ike_sa_set_remote(ike, &md->from);
		ike->rport = md->fport;
	}
	ikev2_process(ike, md);
}

/* base: what arrived, before anything is decided */
static void dbg_received(struct pluto *p, const struct msg_digest *md)
{
	char a[IP_STR_MAX], pls[512];
	const struct ike_hdr *h = &md->hdr;
	dbg(p, "received %s %s (message ID %u) from %s:%u on port %u, %zu octets; SPIi %02x%02x%02x%02x%02x%02x%02x%02x "
	    "SPIr %02x%02x%02x%02x%02x%02x%02x%02x; flags %s%s; payloads %s", ike_exchange_name(h->exchange),
	    md->response ? "response" : "request", h->msgid, ip_str(&md->from, a), md->fport, md->ifc->port,
	    md->raw_len, h->spi_i[0], h->spi_i[1], h->spi_i[2], h->spi_i[3], h->spi_i[4], h->spi_i[5], h->spi_i[6],
	    h->spi_i[7], h->spi_r[0], h->spi_r[1], h->spi_r[2], h->spi_r[3], h->spi_r[4], h->spi_r[5], h->spi_r[6],
	    h->spi_r[7], h->flags & IKE_FLAG_INITIATOR ? "I" : "", md->response ? "R" : "",
	    codec_chain_str(&md->outer, pls, sizeof(pls)));
}

unsigned demux_datagram(struct iface *ifc, const struct ip_addr *from, uint16_t fport,
			const struct ip_addr *to, const uint8_t *d, size_t len)
{
	struct pluto *p = ifc->pluto;
	struct msg_digest md = { .ifc = ifc, .from = *from, .fport = fport, .to = *to,
				 .raw = d, .raw_len = len };
	unsigned debugging = p->debug;
	if (DBGP(p, DBG_TMI)) {
		char a[IP_STR_MAX], what[96];
		snprintf(what, sizeof(what), "datagram from %s:%u on port %u", ip_str(from, a), fport, ifc->port);
		dbg_hex(p, NULL, DBG_TMI, what, d, len);
	}
	enum codec_result r = codec_decode_hdr(d, len, &md.hdr);
	if (r == CODEC_BAD_VERSION) {
		bad_version(p, &md, d, len);
		return debugging;
	}
	if (r != CODEC_OK) {
		char a[IP_STR_MAX];
		/* RFC 7296 2.21.1: unauthenticated garbage is dropped without an answer */
		log_drop(p, NULL, codec_result_name(r), "packet from %s:%u: dropped: %s", ip_str(from, a), fport,
			 codec_result_name(r));
		return debugging;
	}
	md.response = (md.hdr.flags & IKE_FLAG_RESPONSE) != 0;
	uint8_t bad = 0;
	r = codec_decode_chain(md.hdr.np, d + IKE_HDR_LEN, len - IKE_HDR_LEN, &md.outer, &bad);
	if (r == CODEC_UNSUPPORTED_CRITICAL && md.hdr.exchange == IKE_SA_INIT && !md.response) {
		md_log(p, &md, "unsupported critical payload");
		send_init_notify(p, &md, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &bad, 1);
		return debugging;
	}
	if (r != CODEC_OK) {
		md_log(p, &md, codec_result_name(r));
		return debugging;
	}
	if (DBGP(p, DBG_BASE))
		dbg_received(p, &md);
	demux_sa(p, &md, &debugging);
	chunk_free(&md.plain);
	return debugging;
}
