/* ike_sa_init.c -- the IKE_SA_INIT exchange (RFC 7296 1.2): proposals, key exchange,
 * nonces, NAT detection (2.23), and the capability notifies of RFC 7383, RFC 9242 and
 * RFC 8784 (USE_PPK, ppk.c). */
#include <string.h>
#include "ikev2.h"
#include "auth.h"
#include "crypt.h"
#include "keylog.h"

#define NONCE_LEN 32		/* RFC 7296 2.10: at least half the PRF key size, >= 16 */
#define NAT_HASH_LEN 20		/* SHA-1 */
#define COOKIE_MAX 64		/* RFC 7296 2.6: 1..64 octets */

/* RFC 7296 2.23: SHA-1(SPIi | SPIr | IP address | port) */
static bool nat_hash(const uint8_t spi_i[8], const uint8_t spi_r[8], const struct ip_addr *a,
		     uint16_t port, uint8_t out[NAT_HASH_LEN])
{
	uint8_t pb[2];
	be_put16(pb, port);
	struct iov in[] = { { spi_i, 8 }, { spi_r, 8 }, { a->b, ip_len(a) }, { pb, 2 } };
	return crypt_hash(CRYPT_SHA1, in, 4, out);
}

static void put_nat_notifies(struct ike_buf *b, const struct ike_hdr *h, const struct ike_sa *ike)
{
	uint8_t src[NAT_HASH_LEN], dst[NAT_HASH_LEN];
	/* encapsulation=yes: a source hash that cannot match (of no address and port 0)
	 * makes the peer see a NAT and both ends use ESP in UDP (RFC 7296 2.23) */
	struct ip_addr none = { .version = ike->local.version };
	bool force = ike->c != NULL && ike->c->conf.encapsulation == CONF_ENCAPS_YES;
	if (!nat_hash(h->spi_i, h->spi_r, force ? &none : &ike->local, force ? 0 : ike->lport, src) ||
	    !nat_hash(h->spi_i, h->spi_r, &ike->remote, ike->rport, dst))
		return;		/* no NAT detection rather than wrong hashes */
	codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, src, sizeof(src));
	codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, dst, sizeof(dst));
}

/* RFC 7296 2.23: compare the peer's hashes with what we see */
static void nat_detect(struct ike_sa *ike, const struct msg_digest *md)
{
	uint8_t want_src[NAT_HASH_LEN], want_dst[NAT_HASH_LEN];
	if (!nat_hash(md->hdr.spi_i, md->hdr.spi_r, &md->from, md->fport, want_src) ||
	    !nat_hash(md->hdr.spi_i, md->hdr.spi_r, &md->to, md->ifc->port, want_dst))
		return;
	bool src_seen = false, src_match = false, dst_match = true;
	struct ike_notify_pl n;
	for (unsigned i = 0; codec_next_notify(md->pl, &i, &n);) {
		if (n.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			src_seen = true;
			src_match |= n.len == NAT_HASH_LEN && memcmp(n.data, want_src, NAT_HASH_LEN) == 0;
		} else if (n.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			dst_match = n.len == NAT_HASH_LEN && memcmp(n.data, want_dst, NAT_HASH_LEN) == 0;
		}
	}
	ike_dbg(ike, "NAT detection: source hash %s, destination hash %s",
		!src_seen ? "absent" : src_match ? "matches" : "differs", dst_match ? "matches" : "differs");
	if (src_seen && (!src_match || !dst_match)) {
		ike->nat_detected = true;
		/* our address as the peer saw it is not ours: we are behind the NAT */
		ike->nat_local = !dst_match;
		ike_log(ike, "NAT detected (%s); moving to port %u", !src_match ? "peer behind NAT" :
			"we are behind NAT", IKE_NATT_PORT);
	}
	enum conf_encaps e = ike->c != NULL ? ike->c->conf.encapsulation : CONF_ENCAPS_AUTO;
	if (e == CONF_ENCAPS_NO && ike->nat_detected) {
		ike_log(ike, "encapsulation=no: ignoring the NAT; no move to port %u, ESP not in UDP",
			IKE_NATT_PORT);
		ike->nat_detected = ike->nat_local = false;
	} else if (e == CONF_ENCAPS_YES && !ike->nat_detected) {
		ike_log(ike, "encapsulation=yes: moving to port %u, ESP in UDP", IKE_NATT_PORT);
		ike->nat_detected = true;
		ike->nat_local = false;
	}
}

bool ike_setup_suite(struct ike_sa *ike)
{
	uint16_t encr = 0, keylen = 0, prf = 0, integ = IKE_INTEG_NONE, ke = 0;
	if (!proposal_get(&ike->proposal, IKE_TRANS_ENCR, &encr, &keylen) ||
	    !proposal_get(&ike->proposal, IKE_TRANS_PRF, &prf, NULL) ||
	    !proposal_get(&ike->proposal, IKE_TRANS_KE, &ke, NULL))
		return false;
	proposal_get(&ike->proposal, IKE_TRANS_INTEG, &integ, NULL);
	ike->prf = prf;
	ike->ke_method = ke;
	if (!crypt_prf_supported(prf) || !sk_suite_init(&ike->suite, encr, keylen, integ))
		return false;
	/* RFC 9370 2.2.2: one IKE_INTERMEDIATE round per chosen ADDKE that is not NONE,
	 * in ascending transform type order */
	ike->n_addke = 0;
	for (unsigned t = IKE_TRANS_ADDKE1; t <= IKE_TRANS_ADDKE7; t++) {
		uint16_t m = IKE_KE_NONE;
		if (proposal_get(&ike->proposal, t, &m, NULL) && m != IKE_KE_NONE) {
			if (!ke_supported(m))
				return false;
			ike->addke[ike->n_addke++] = m;
		}
	}
	ike->sizes.prf = crypt_prf_len(prf);
	ike->sizes.integ = ike->suite.info.aead ? 0 : crypt_integ_keylen(integ);
	ike->sizes.encr = ike->suite.info.keylen;
	transcript_init(&ike->transcript, prf);
	return true;
}

/* base: which keys an IKE SA has now and their sizes; crypt: their values, the
 * shared secret and SKEYSEED they came from (either may be NULL) */
void ike_dbg_keys(struct ike_sa *ike, const char *when, const struct chunk *secret, const struct chunk *skeyseed)
{
	if (!IKE_DBGP(ike, DBG_BASE | DBG_CRYPT))
		return;
	const struct ike_keys *k = &ike->keys;
	ike_dbg(ike, "IKE SA keys %s with %s: SK_d %zu octets, SK_ai/SK_ar %zu, SK_ei/SK_er %zu, "
		"SK_pi/SK_pr %zu", when, ike_prf_name(ike->prf), k->sk_d.len, k->sk_ai.len,
		k->sk_ei.len, k->sk_pi.len);
	if (!IKE_DBGP(ike, DBG_CRYPT))
		return;
	char what[96];
	snprintf(what, sizeof(what), "%s: Ni", when);
	dbg_hex(ike->pluto, ike, DBG_CRYPT, what, ike->ni.ptr, ike->ni.len);
	snprintf(what, sizeof(what), "%s: Nr", when);
	dbg_hex(ike->pluto, ike, DBG_CRYPT, what, ike->nr.ptr, ike->nr.len);
	static const char *const names[] = { "SK_d", "SK_ai", "SK_ar", "SK_ei", "SK_er", "SK_pi", "SK_pr" };
	const struct chunk *keys[] = { &k->sk_d, &k->sk_ai, &k->sk_ar, &k->sk_ei, &k->sk_er, &k->sk_pi, &k->sk_pr };
	if (secret != NULL) {
		snprintf(what, sizeof(what), "%s: shared secret", when);
		dbg_secret(ike, what, secret->ptr, secret->len, false);
	}
	if (skeyseed != NULL) {
		snprintf(what, sizeof(what), "%s: SKEYSEED", when);
		dbg_secret(ike, what, skeyseed->ptr, skeyseed->len, false);
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (keys[i]->len == 0)
			continue;
		snprintf(what, sizeof(what), "%s: %s", when, names[i]);
		dbg_secret(ike, what, keys[i]->ptr, keys[i]->len, false);
	}
}

/* RFC 7296 2.14: SKEYSEED, then SK_* (keymat.c); SKEYSEED is kept only for crypt */
bool ike_derive_keys(struct ike_sa *ike, const struct chunk *gir)
{
	struct chunk skeyseed = CHUNK_EMPTY;
	keymat_free(&ike->keys);
	ike->keys_ready = keymat_skeyseed(ike->prf, &ike->ni, &ike->nr, gir, &skeyseed) &&
			  keymat_ike_keys(ike->prf, &skeyseed, &ike->ni, &ike->nr, ike->spi_i, ike->spi_r,
					  &ike->sizes, &ike->keys);
	if (ike->keys_ready) {
		keylog_ike(ike);
		ike_dbg_keys(ike, "IKE_SA_INIT", gir, &skeyseed);
	}
	chunk_free(&skeyseed);
	return ike->keys_ready;
}

/* The keys a KJ_IKE_SA_INIT job derived (offload.c) become the SA's */
static bool take_job_keys(struct ike_sa *ike, struct ke_job *j)
{
	keymat_free(&ike->keys);
	ike->keys_ready = j->kr == KE_OK && j->keys_ok;
	if (!ike->keys_ready)
		return false;
	ike->keys = j->keys;
	memset(&j->keys, 0, sizeof(j->keys));
	keylog_ike(ike);
	ike_dbg_keys(ike, "IKE_SA_INIT", &j->secret, &j->skeyseed);
	return true;
}

/* capability notifies we send: RFC 7383 2.3, RFC 9242 3 */
static void put_capabilities(struct ike_buf *b, const struct ike_sa *ike, bool responder)
{
	const struct connection *c = ike->c;
	if (c->conf.fragmentation != CONF_FRAG_NO && (!responder || ike->peer_frag_ok))
		codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	if (c->intermediate && (!responder || ike->peer_int_ok))
		codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, NULL, 0);
}

static void read_capabilities(struct ike_sa *ike, const struct msg_digest *md)
{
	ike->peer_frag_ok = codec_find_notify(md->pl, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	ike->peer_int_ok = codec_find_notify(md->pl, IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED) != NULL;
}

static bool build_request(struct ike_sa *ike, const uint8_t *cookie, size_t cookie_len)
{
	uint8_t storage[IKE_MSG_MAX];
	struct ike_buf b;
	struct ike_hdr h = { .version = IKE_VERSION_2_0, .exchange = IKE_SA_INIT,
			     .flags = IKE_FLAG_INITIATOR };
	memcpy(h.spi_i, ike->spi_i, IKE_SPI_LEN);
	codec_buf_init(&b, storage, sizeof(storage));
	codec_put_hdr(&b, &h);
	/* RFC 7296 2.6: the cookie notify comes first */
	if (cookie != NULL)
		codec_put_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_COOKIE, cookie, cookie_len);
	struct ike_sa_pl sa;
	proposal_to_sa(&ike->c->ike, NULL, 0, &sa);
	codec_put_sa(&b, &sa);
	size_t kl;
	const uint8_t *kd = ke_public(ike->ke, &kl);
	codec_put_ke(&b, ke_method(ike->ke), kd, kl);
	codec_put_nonce(&b, ike->ni.ptr, ike->ni.len);
	put_nat_notifies(&b, &h, ike);
	put_capabilities(&b, ike, false);
	auth_put_init(&b, ike, false);
	ppk_put_init(&b, ike, false);
	codec_finish_hdr(&b);
	if (b.overflow)
		return false;
	chunk_free(&ike->real_msg_i);
	ike->real_msg_i = chunk_dup(b.data, b.len);
	return send_init_request(ike, &b);
}

static bool start_ke(struct ike_sa *ike, uint16_t method)
{
	ke_free(ike->ke);
	ike->ke = NULL;
	enum ke_result r = ke_initiate(method, &ike->ke);
	if (r != KE_OK) {
		ike_log(ike, "cannot start key exchange %s: %s", ike_ke_name(method), ke_result_name(r));
		return false;
	}
	return true;
}

static bool take_key_pair(struct ike_sa *ike, struct ke_job *j)
{
	if (j->kr != KE_OK) {
		ike_log(ike, "cannot start key exchange %s: %s", ike_ke_name(j->method), ke_result_name(j->kr));
		return false;
	}
	ke_free(ike->ke);
	ike->ke = j->ke;
	j->ke = NULL;
	return true;
}

/* a helper made our first key pair: the request goes out */
static void keygen_done(struct ike_sa *ike, struct helper_job *h)
{
	ikev2_init_sent(ike, take_key_pair(ike, (struct ke_job *)h) && build_request(ike, NULL, 0));
}

bool ike_sa_init_initiate(struct ike_sa *ike)
{
	struct connection *c = ike->c;
	ike->local = c->local->addr;
	ike_sa_set_remote(ike, &c->remote->addr);
	ike->lport = c->local->ikeport ? c->local->ikeport : IKE_PORT;
	ike->rport = c->remote->ikeport ? c->remote->ikeport : IKE_PORT;
	ike->ifc = iface_for(ike->pluto, ike->remote.version, false);
	if (ike->ifc == NULL || ike->remote.version == 0) {
		ike_log(ike, "no socket to reach the peer");
		return false;
	}
	if (!ppk_init_i(ike))
		return false;
	ike->ni = chunk_alloc(NONCE_LEN);
	if (!crypt_random(ike->ni.ptr, NONCE_LEN))
		return false;
	char a[IP_STR_MAX];
	uint16_t m = proposal_first_ke(&c->ike);
	ike_log(ike, "initiating IKEv2 connection to %s:%u", ip_str(&ike->remote, a), ike->rport);
	ike_dbg(ike, "KE %s, Ni %u octets; our proposals: %s",
		ike_ke_name(m), NONCE_LEN, c->conf.ike[0] ? c->conf.ike : "(the default)");
	/* our key pair: by a helper when there are any (keygen_done() sends) */
	struct ke_job *j = ke_job_new(ike, KJ_INITIATE, m, NULL, 0, "IKE_SA_INIT key pair");
	if (j == NULL)
		return false;
	if (helpers_running(ike->pluto) > 0) {
		ikev2_submit(ike, &j->h, keygen_done);
		return true;
	}
	ikev2_run_inline(ike, &j->h);
	bool ok = take_key_pair(ike, j) && build_request(ike, NULL, 0);
	ke_job_free(&j->h);
	return ok;
}

/* --- responder --- */

/* base: what the peer proposed, and what we allow (kind is IKE or ESP) */
void dbg_proposals(struct ike_sa *ike, const char *kind, const struct ike_sa_pl *sa, const char *ours)
{
	for (unsigned i = 0; i < sa->nprop; i++) {
		char prop[256];
		ike_dbg(ike, "%s proposal %u of %u from the peer: %s", kind, i + 1, sa->nprop,
			proposal_str(&sa->prop[i], prop, sizeof(prop)));
	}
	ike_dbg(ike, "%s proposals we accept: %s", kind, ours[0] ? ours : "(the default)");
}

static enum tr_result reject_init(struct ike_sa *ike, const struct msg_digest *md, uint16_t ntype,
				  const void *data, size_t len, const char *why)
{
	ike_log(ike, "IKE_SA_INIT request rejected: %s; responding with %s", why, ike_notify_name(ntype));
	send_init_notify(ike->pluto, md, ntype, data, len);
	ike->last_error = ntype;
	return TR_FAIL;
}

static bool decode_nonce(const struct msg_digest *md, struct chunk *out)
{
	const uint8_t *n;
	size_t len;
	if (codec_decode_nonce(codec_find(md->pl, IKE_PL_NONCE), &n, &len) != CODEC_OK)
		return false;
	*out = chunk_dup(n, len);
	return true;
}

static bool build_response(struct ike_sa *ike, const struct msg_digest *md, struct ike_buf *b)
{
	struct ike_hdr h = md->hdr;
	memcpy(h.spi_r, ike->spi_r, IKE_SPI_LEN);
	h.flags = IKE_FLAG_RESPONSE;
	codec_put_hdr(b, &h);
	struct ike_sa_pl sa = { .nprop = 1 };
	sa.prop[0] = ike->proposal;
	codec_put_sa(b, &sa);
	size_t kl;
	const uint8_t *kd = ke_public(ike->ke, &kl);
	codec_put_ke(b, ike->ke_method, kd, kl);
	codec_put_nonce(b, ike->nr.ptr, ike->nr.len);
	put_nat_notifies(b, &h, ike);
	put_capabilities(b, ike, true);
	auth_put_init(b, ike, true);
	ppk_put_init(b, ike, true);
	codec_finish_hdr(b);
	return !b->overflow;
}

/* after the key exchange and the keys (offload.c): the response */
static enum tr_result init_r_resume(struct ike_sa *ike, struct msg_digest *md, struct helper_job *h)
{
	struct ke_job *j = (struct ke_job *)h;
	if (j->kr != KE_OK)
		return reject_init(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0, ke_result_name(j->kr));
	ike->ke = j->ke;	/* our public value, for the response */
	j->ke = NULL;
	uint8_t storage[IKE_MSG_MAX];
	struct ike_buf b;
	codec_buf_init(&b, storage, sizeof(storage));
	if (!take_job_keys(ike, j) || !build_response(ike, md, &b))
		return reject_init(ike, md, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0, "internal failure");
	ike->real_msg_i = chunk_dup(md->raw, md->raw_len);
	ike->real_msg_r = chunk_dup(b.data, b.len);
	ke_free(ike->ke);	/* the private value is done with (and NSS keys are large) */
	ike->ke = NULL;
	ike->frag_negotiated = ike->peer_frag_ok && ike->c->conf.fragmentation != CONF_FRAG_NO;
	ike->intermediate = ike->peer_int_ok && ike->c->intermediate;
	ike->next_msgid_out = 0;
	char prop[160];
	ike_log(ike, "IKE_SA_INIT: proposal %s chosen%s%s", proposal_str(&ike->proposal, prop, sizeof(prop)),
		ike->intermediate ? ", IKE_INTERMEDIATE supported" : "",
		ike->frag_negotiated ? ", fragmentation supported" : "");
	send_init_response(ike, md, &b);
	return TR_NEXT;
}

enum tr_result ike_sa_init_r(struct ike_sa *ike, struct msg_digest *md)
{
	struct ike_sa_pl sa;
	struct ike_ke_pl ke;
	if (codec_decode_sa(codec_find(md->pl, IKE_PL_SA), &sa) != CODEC_OK ||
	    codec_decode_ke(codec_find(md->pl, IKE_PL_KE), &ke) != CODEC_OK ||
	    !decode_nonce(md, &ike->ni))
		return reject_init(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0, "malformed SA, KE or Nonce");
	if (IKE_DBGP(ike, DBG_BASE))
		dbg_proposals(ike, "IKE", &sa, ike->c->conf.ike);
	if (proposal_select(&ike->c->ike, &sa, &ike->proposal) != PROPOSAL_OK)
		return reject_init(ike, md, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0, "no acceptable proposal");
	if (!ike_setup_suite(ike))
		return reject_init(ike, md, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0, "unsupported algorithms");
	/* RFC 7296 1.2: a KE payload for another group than the chosen one is answered
	 * with INVALID_KE_PAYLOAD carrying the group we want */
	if (ke.method != ike->ke_method) {
		uint8_t g[2];
		be_put16(g, ike->ke_method);
		char why[96];
		snprintf(why, sizeof(why), "KE payload is %s, expected %s", ike_ke_name(ke.method),
			 ike_ke_name(ike->ke_method));
		return reject_init(ike, md, IKE_N_INVALID_KE_PAYLOAD, g, sizeof(g), why);
	}
	read_capabilities(ike, md);
	auth_read_init(ike, md);
	ppk_read_init_r(ike, md);
	/* RFC 9370 2.2.1: additional key exchanges travel in IKE_INTERMEDIATE, which the
	 * initiator must have announced */
	if (ike->n_addke > 0 && !ike->peer_int_ok)
		return reject_init(ike, md, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0,
				   "additional key exchanges proposed without INTERMEDIATE_EXCHANGE_SUPPORTED");
	ike_dbg(ike, "KE %s, %u octets from the initiator; Ni %zu octets", ike_ke_name(ke.method),
		(unsigned)ke.len, ike->ni.len);
	nat_detect(ike, md);
	if (ike->nat_detected)
		ike_sa_start_keepalive(ike);	/* sends once the peer moved to NAT-T */
	ike->nr = chunk_alloc(NONCE_LEN);
	/* a failed RNG never sends a predictable nonce */
	if (ike->nr.ptr == NULL || !crypt_random(ike->nr.ptr, NONCE_LEN))
		return reject_init(ike, md, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0, "internal failure");
	/* everything the rest needs from the request is read: our KE, g^ir, SKEYSEED
	 * and SK_* may be computed by a helper (offload.c) */
	struct ke_job *j = ke_job_new(ike, KJ_RESPOND, ke.method, ke.data, ke.len, "IKE_SA_INIT key exchange");
	if (j == NULL)
		return reject_init(ike, md, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0, "internal failure");
	ke_job_keys(j, ike, KJ_IKE_SA_INIT);
	return ikev2_offload(ike, md, &j->h, init_r_resume);
}

/* --- initiator: the response --- */

static enum tr_result retry_ke(struct ike_sa *ike, const struct ike_notify_pl *n)
{
	uint16_t want = n->len == 2 ? be_get16(n->data) : 0;
	if (ike->ke != NULL && want == ke_method(ike->ke)) {
		/* a duplicate of the answer we already followed: keep our key */
		ike_log(ike, "IKE_SA_INIT response: INVALID_KE_PAYLOAD for %s, which we already use; ignored",
			ike_ke_name(want));
		return TR_IGNORE;
	}
	/* RFC 7296 1.2 / 2.7: retry with the group the responder asked for, if we allow it */
	if (!proposal_allows_ke(&ike->c->ike, want) || ++ike->init_retries > PLUTO_MAX_INIT_RETRIES) {
		ike_log(ike, "IKE_SA_INIT response: INVALID_KE_PAYLOAD asks for %s, which we do not allow",
			ike_ke_name(want));
		return TR_FAIL;
	}
	ike_log(ike, "IKE_SA_INIT response: INVALID_KE_PAYLOAD; retrying with %s", ike_ke_name(want));
	return start_ke(ike, want) && build_request(ike, NULL, 0) ? TR_STAY : TR_FAIL;
}

static enum tr_result retry_cookie(struct ike_sa *ike, const struct ike_notify_pl *n)
{
	/* RFC 7296 2.6: resend the request with the cookie first, same nonce and SPIi */
	if (n->len < 1 || n->len > COOKIE_MAX || ++ike->init_retries > PLUTO_MAX_INIT_RETRIES) {
		ike_log(ike, "IKE_SA_INIT response: unusable COOKIE");
		return TR_FAIL;
	}
	ike_log(ike, "IKE_SA_INIT response: COOKIE; retrying");
	return build_request(ike, n->data, n->len) ? TR_STAY : TR_FAIL;
}

/* Notifies that change the course of the exchange; TR_NEXT means none was there. */
static enum tr_result init_notifies(struct ike_sa *ike, const struct msg_digest *md)
{
	struct ike_notify_pl n;
	for (unsigned i = 0; codec_next_notify(md->pl, &i, &n);) {
		if (n.type == IKE_N_COOKIE)
			return retry_cookie(ike, &n);
		if (n.type == IKE_N_INVALID_KE_PAYLOAD)
			return retry_ke(ike, &n);
		if (n.type <= IKE_N_ERROR_MAX) {
			/* RFC 7296 2.21.1: an unauthenticated error may be forged; note it
			 * and keep retransmitting until the deadline */
			ike->last_error = n.type;
			ike_log(ike, "IKE_SA_INIT response: %s (unauthenticated; retrying until the "
				"retransmission deadline)", ike_notify_name(n.type));
			return TR_IGNORE;
		}
	}
	return TR_NEXT;
}

/* RFC 7296 2.21.1: an unprotected response may be forged, and ignoring it must
 * leave the SA as it was: decode and check into locals, commit once accepted.  Run
 * before the key exchange and again after it (the same octets: a cheap decode). */
struct init_reply {
	struct ike_ke_pl ke;
	struct ike_proposal chosen;
	const uint8_t *nonce;
	size_t nonce_len;
};

static enum tr_result check_reply(struct ike_sa *ike, const struct msg_digest *md, uint16_t our_ke,
				  struct init_reply *r, bool quiet)
{
	struct ike_sa_pl sa;
	uint16_t chosen_ke = IKE_KE_NONE;
	static const uint8_t zero[IKE_SPI_LEN];
	if (codec_decode_sa(codec_find(md->pl, IKE_PL_SA), &sa) != CODEC_OK ||
	    codec_decode_ke(codec_find(md->pl, IKE_PL_KE), &r->ke) != CODEC_OK ||
	    codec_decode_nonce(codec_find(md->pl, IKE_PL_NONCE), &r->nonce, &r->nonce_len) != CODEC_OK ||
	    memcmp(md->hdr.spi_r, zero, IKE_SPI_LEN) == 0) {
		ike_log(ike, "IKE_SA_INIT response is malformed; ignored (RFC 7296 2.21.1)");
		return TR_IGNORE;
	}
	if (!quiet && IKE_DBGP(ike, DBG_BASE))
		dbg_proposals(ike, "IKE", &sa, ike->c->conf.ike);
	if (proposal_check_reply(&ike->c->ike, &sa, &r->chosen) != PROPOSAL_OK ||
	    !proposal_get(&r->chosen, IKE_TRANS_KE, &chosen_ke, NULL) ||
	    r->ke.method != our_ke || chosen_ke != r->ke.method) {
		ike_log(ike, "IKE_SA_INIT response chose a proposal or KE we did not offer; ignored");
		return TR_IGNORE;
	}
	return TR_NEXT;
}

static enum tr_result accept_reply(struct ike_sa *ike, struct msg_digest *md, const struct init_reply *rp,
				   const struct chunk *gir);

/* after g^ir (offload.c): accept the response, or ignore it with our key kept */
static enum tr_result init_i_resume(struct ike_sa *ike, struct msg_digest *md, struct helper_job *h)
{
	struct ke_job *j = (struct ke_job *)h;
	ike->ke = j->ke;	/* ours again: an ignored response leaves the SA as it was */
	j->ke = NULL;
	if (j->kr != KE_OK) {
		ike_log(ike, "IKE_SA_INIT response: bad KE payload: %s; ignored", ke_result_name(j->kr));
		return TR_IGNORE;
	}
	struct init_reply r;
	if (check_reply(ike, md, ke_method(ike->ke), &r, true) != TR_NEXT)
		return TR_IGNORE;
	return accept_reply(ike, md, &r, &j->secret);
}

enum tr_result ike_sa_init_i(struct ike_sa *ike, struct msg_digest *md)
{
	enum tr_result r = init_notifies(ike, md);
	if (r != TR_NEXT)
		return r;
	struct init_reply rp;
	r = check_reply(ike, md, ke_method(ike->ke), &rp, false);
	if (r != TR_NEXT)
		return r;
	struct ke_job *j = ke_job_new(ike, KJ_FINISH, rp.ke.method, rp.ke.data, rp.ke.len,
				      "IKE_SA_INIT key exchange");
	if (j == NULL)
		return TR_IGNORE;
	j->ke = ike->ke;	/* the job's until it is back (init_i_resume) */
	ike->ke = NULL;
	return ikev2_offload(ike, md, &j->h, init_i_resume);
}

static enum tr_result accept_reply(struct ike_sa *ike, struct msg_digest *md, const struct init_reply *rp,
				   const struct chunk *gir)
{
	const uint8_t *nonce = rp->nonce;
	size_t nonce_len = rp->nonce_len;
	/* accepted: from here on the SA changes */
	ike->proposal = rp->chosen;
	if (!ike_setup_suite(ike)) {
		ike_log(ike, "IKE_SA_INIT response chose algorithms we cannot run");
		return TR_FAIL;
	}
	ike->nr = chunk_dup(nonce, nonce_len);
	ke_free(ike->ke);
	ike->ke = NULL;
	memcpy(ike->spi_r, md->hdr.spi_r, IKE_SPI_LEN);
	ike_sa_rehash(ike);
	if (!ike_derive_keys(ike, gir))
		return TR_FAIL;
	ike->real_msg_r = chunk_dup(md->raw, md->raw_len);
	read_capabilities(ike, md);
	auth_read_init(ike, md);
	if (!ppk_read_init_i(ike, md))
		return TR_FAIL;
	nat_detect(ike, md);
	ike->frag_negotiated = ike->peer_frag_ok && ike->c->conf.fragmentation != CONF_FRAG_NO;
	ike->intermediate = ike->peer_int_ok && ike->c->intermediate;
	if (ike->n_addke > 0 && !ike->intermediate) {
		ike_log(ike, "IKE_SA_INIT response chose additional key exchanges without IKE_INTERMEDIATE");
		return TR_FAIL;
	}
	char prop[160];
	ike_log(ike, "IKE_SA_INIT response: proposal %s%s", proposal_str(&ike->proposal, prop, sizeof(prop)),
		ike->intermediate ? ", IKE_INTERMEDIATE negotiated" : "");
	if (ike->nat_detected) {
		/* RFC 7296 2.23: both ends move to the NAT-T port */
		ike->ifc = iface_for(ike->pluto, ike->remote.version, true);
		ike->rport = IKE_NATT_PORT;
		if (ike->ifc != NULL)
			ike->lport = ike->ifc->port;
		ike_sa_start_keepalive(ike);
	}
	return ikev2_next_request(ike, md);
}
