/* create_child_sa.c -- CREATE_CHILD_SA (RFC 7296 1.3) in both roles: a new Child SA,
 * a Child SA rekey (1.3.3, 2.8: make before break) and an IKE SA rekey (1.3.2, 2.18),
 * each with PFS, and the RFC 9370 additional key exchanges of a rekey in
 * IKE_FOLLOWUP_KE exchanges linked by ADDITIONAL_KEY_EXCHANGE (RFC 9370 2.2.4).
 *
 * One exchange in flight per direction: ike->cc_out for the request we sent,
 * ike->cc_in for the peer's exchange waiting for its follow-ups.  Keys, nonces and
 * shared secrets live in that struct until the exchange ends, then are wiped. */
#include <stdlib.h>
#include <string.h>
#include "ikev2.h"
#include "child_sa.h"
#include "crypt.h"
#include "keylog.h"

#define CC_NONCE_LEN   32	/* RFC 7296 2.10: at least half the PRF key size */
#define CC_INNER_MAX   4096	/* N, SA, Nonce, KE (up to ML-KEM-1024), TSi, TSr */
#define CC_KE_MAX      1600	/* ML-KEM-1024's 1568 octets */
#define CC_LINK_LEN    8	/* our ADDITIONAL_KEY_EXCHANGE link data */
#define CC_MAX_ADDKE   (IKE_TRANS_ADDKE7 - IKE_TRANS_ADDKE1 + 1)

enum cc_kind { CC_NEW_CHILD, CC_REKEY_CHILD, CC_REKEY_IKE };

static const char *const kind_name[] = {
	[CC_NEW_CHILD] = "new Child SA", [CC_REKEY_CHILD] = "Child SA rekey", [CC_REKEY_IKE] = "IKE SA rekey",
};

struct cc_exchange {
	enum cc_kind kind;
	bool initiator;				/* we sent the CREATE_CHILD_SA request */
	bool ke_retried;			/* already restarted after INVALID_KE_PAYLOAD */
	struct chunk ni, nr;
	struct ke *ke;				/* our half of the key exchange in progress */
	uint16_t ke_method;			/* KE of the chosen proposal (NONE: no PFS) */
	struct chunk secret;			/* CREATE_CHILD_SA's shared secret */
	unsigned n_addke, done;			/* RFC 9370 follow-ups negotiated / done */
	uint16_t addke[CC_MAX_ADDKE];
	struct chunk addke_secret[CC_MAX_ADDKE];
	struct chunk link;			/* ADDITIONAL_KEY_EXCHANGE link data */
	struct child_sa *child;			/* NEW/REKEY_CHILD: the new Child SA */
	unsigned old_serial;			/* REKEY_CHILD: the one it replaces */
	struct connection *c;			/* REKEY_IKE: the connection */
	struct ike_proposal ike_prop;		/* REKEY_IKE: chosen proposal */
	uint8_t spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];	/* REKEY_IKE: new SPIs */
};

void cc_free(struct cc_exchange *x)
{
	if (x == NULL)
		return;
	chunk_free(&x->ni);
	chunk_free(&x->nr);
	ke_free(x->ke);
	chunk_free(&x->secret);
	for (unsigned i = 0; i < CC_MAX_ADDKE; i++)
		chunk_free(&x->addke_secret[i]);
	chunk_free(&x->link);
	free(x);
}

static struct cc_exchange *cc_new(enum cc_kind kind, bool initiator)
{
	struct cc_exchange *x = calloc(1, sizeof(*x));
	if (x == NULL)
		return NULL;
	x->kind = kind;
	x->initiator = initiator;
	return x;
}

static bool new_nonce(struct chunk *n)
{
	*n = chunk_alloc(CC_NONCE_LEN);
	return n->ptr != NULL && crypt_random(n->ptr, CC_NONCE_LEN);
}

static bool put_our_ke(struct ike_sa *ike, struct ike_buf *b, struct ke *ke)
{
	size_t len;
	const uint8_t *pub = ke_public(ke, &len);
	if (pub == NULL || len > CC_KE_MAX)
		return false;
	codec_put_ke(b, ke_method(ke), pub, len);
	return true;
}

/* the chosen KE and ADDKE methods of a proposal into x */
static void take_methods(struct cc_exchange *x, const struct ike_proposal *p)
{
	x->ke_method = IKE_KE_NONE;
	proposal_get(p, IKE_TRANS_KE, &x->ke_method, NULL);
	x->n_addke = proposal_addkes(p, x->addke);
}

/* --- finishing ------------------------------------------------------------------------ */

static void send_child_delete(struct ike_sa *ike, struct child_sa *old)
{
	lifetime_child_retire(old);
	child_sa_send_delete(ike, old, true, "replaced");
}

static struct child_sa *child_by_serial(struct ike_sa *ike, unsigned serial)
{
	for (struct child_sa *c = ike->children; c != NULL; c = c->next)
		if (c->serial == serial)
			return c;
	return NULL;
}

/* RFC 7296 2.8.1: the lowest nonce of an exchange (nonces compare as unsigned
 * octet strings; a prefix is lower) */
static void nonce_min(const struct cc_exchange *x, uint8_t *out, uint8_t *len)
{
	const struct chunk *a = &x->ni, *b = &x->nr;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->ptr, b->ptr, n);
	const struct chunk *m = c < 0 || (c == 0 && a->len <= b->len) ? a : b;
	*len = (uint8_t)(m->len < PLUTO_NONCE_KEEP ? m->len : PLUTO_NONCE_KEEP);
	memcpy(out, m->ptr, *len);
}

static int nonce_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c != 0 ? c : (alen > blen) - (alen < blen);
}

/* RFC 7296 2.8.1: both ends rekeyed the same Child SA at once.  Of the two new
 * SAs, the one whose exchange had the lowest of the four nonces goes, closed by the
 * end that created it; the other end leaves it to us or waits for our Delete. */
static void settle_child_collision(struct ike_sa *ike, struct child_sa *child)
{
	for (struct child_sa *s = ike->children; s != NULL; s = s->next) {
		if (s == child || s->rekey_of != child->rekey_of || s->state != CHILD_ESTABLISHED)
			continue;
		struct child_sa *loser = nonce_cmp(s->nonce_min, s->nonce_min_len, child->nonce_min,
						   child->nonce_min_len) < 0 ? s : child;
		struct child_sa *winner = loser == s ? child : s;
		ike_log(ike, "simultaneous rekey of Child SA #%u: #%u has the lowest nonce and goes, #%u stays (RFC 7296 2.8.1)",
			child->rekey_of, loser->serial, winner->serial);
		loser->state = CHILD_REKEYED;
		lifetime_child_retire(loser);
		if (loser->initiator && !loser->delete_sent)
			send_child_delete(ike, loser);
		return;
	}
}

/* RFC 7296 2.8.2: both ends rekeyed the IKE SA at once.  Of the two new IKE SAs
 * the one whose exchange had the lowest nonce goes, deleted by the end that created
 * it; the Child SAs end on the survivor either way. */
static void settle_ike_collision(struct ike_sa *old, struct ike_sa *n, bool we_made_n)
{
	if (!old->has_successor) {
		old->has_successor = true;
		memcpy(old->successor_spi_i, n->spi_i, IKE_SPI_LEN);
		memcpy(old->successor_spi_r, n->spi_r, IKE_SPI_LEN);
		return;
	}
	struct ike_sa *first = ike_sa_find(old->pluto, old->successor_spi_i, old->successor_spi_r);
	if (first == NULL)
		return;
	bool first_loses = nonce_cmp(first->rekey_nonce_min, first->rekey_nonce_min_len, n->rekey_nonce_min,
				     n->rekey_nonce_min_len) < 0;
	struct ike_sa *loser = first_loses ? first : n, *winner = first_loses ? n : first;
	ike_log(old, "simultaneous rekey of the IKE SA: #%u has the lowest nonce and goes, #%u stays (RFC 7296 2.8.2)",
		loser->serial, winner->serial);
	/* the Child SAs go to the survivor */
	while (loser->children != NULL) {
		struct child_sa *ch = loser->children;
		loser->children = ch->next;
		ch->next = winner->children;
		ch->ike = winner;
		winner->children = ch;
	}
	bool we_made_loser = first_loses ? first->initiator : we_made_n;
	if (we_made_loser)
		ikev2_delete_ike(loser);
}

/* RFC 7296 2.18 / RFC 9370 2.2.4: the new IKE SA, keyed from the old SK_d; the
 * Child SAs move to it.  The old SA is deleted by the rekey's initiator. */
static struct ike_sa *finish_ike_rekey(struct ike_sa *old, struct cc_exchange *x)
{
	struct pluto *p = old->pluto;
	struct ike_sa *ike = ike_sa_new(p, old->c, x->initiator);
	if (ike == NULL)
		return NULL;
	ike->authenticated = true;	/* never half-open: the old SA authenticated it */
	memcpy(ike->spi_i, x->spi_i, IKE_SPI_LEN);
	memcpy(ike->spi_r, x->spi_r, IKE_SPI_LEN);
	ike_sa_rehash(ike);
	ike->proposal = x->ike_prop;
	ike->local = old->local;
	ike_sa_set_remote(ike, &old->remote);
	ike->lport = old->lport;
	ike->rport = old->rport;
	ike->ifc = old->ifc;
	ike->nat_detected = old->nat_detected;
	ike->nat_local = old->nat_local;
	ike->frag_negotiated = old->frag_negotiated;
	ike->peer_frag_ok = old->peer_frag_ok;
	ike->peer_int_ok = old->peer_int_ok;
	ike->generation = old->generation + 1;
	ike_sa_inherit_peer(ike, old);
	/* RFC 8784 3: the new keys come from SK_d, which held the PPK */
	ike->ppk_used = old->ppk_used;
	if (old->ppk_id.len > 0)
		ike->ppk_id = chunk_dup(old->ppk_id.ptr, old->ppk_id.len);
	struct chunk skeyseed = CHUNK_EMPTY;
	bool ok = ike_setup_suite(ike) &&
		  keymat_rekey_skeyseed(old->prf, &old->keys.sk_d, x->ke_method != IKE_KE_NONE ? &x->secret : NULL,
					&x->ni, &x->nr, x->addke_secret, x->n_addke, &skeyseed) &&
		  keymat_ike_keys(ike->prf, &skeyseed, &x->ni, &x->nr, ike->spi_i, ike->spi_r, &ike->sizes,
				  &ike->keys);
	if (ok) {
		char when[64];
		snprintf(when, sizeof(when), "derived by the rekey of IKE SA #%u", old->serial);
		ike_dbg_keys(ike, when, x->ke_method != IKE_KE_NONE ? &x->secret : NULL, &skeyseed);
	}
	chunk_free(&skeyseed);
	if (!ok) {
		ike_sa_delete(ike, "IKE SA rekey: key derivation failed");
		return NULL;
	}
	/* RFC 9370: the ADDKEs this rekey chose are the ones PFS follows from now */
	ike->n_addke = x->n_addke;
	memcpy(ike->addke, x->addke, sizeof(x->addke[0]) * x->n_addke);
	ike->int_rounds = old->int_rounds;
	ike->intermediate = old->intermediate;
	ike->keys_ready = true;
	ike->authenticated = true;
	keylog_ike(ike);
	ike_sa_set_state(ike, IKE_ESTABLISHED);
	/* RFC 7296 2.18: the Child SAs belong to the new IKE SA now */
	struct child_sa **tail = &ike->children;
	for (struct child_sa **pp = &old->children; *pp != NULL;) {
		struct child_sa *ch = *pp;
		if (ch->state == CHILD_LARVAL || ch->state == CHILD_FAILED) {
			pp = &ch->next;	/* a failed one's record goes with the old SA */
			continue;
		}
		*pp = ch->next;
		ch->next = NULL;
		ch->ike = ike;
		*tail = ch;
		tail = &ch->next;
	}
	ike_sa_start_keepalive(ike);
	lifetime_ike_start(ike);
	nonce_min(x, ike->rekey_nonce_min, &ike->rekey_nonce_min_len);
	settle_ike_collision(old, ike, x->initiator);
	char prop[160];
	ike_log(ike, "IKE SA rekeyed: replaces #%u (generation %u), %s%s", old->serial, ike->generation,
		proposal_str(&ike->proposal, prop, sizeof(prop)), x->n_addke ? ", with additional key exchanges" : "");
	return ike;
}

/* Everything negotiated: install the Child SA or make the new IKE SA */
static void finish(struct ike_sa *ike, struct cc_exchange *x)
{
	const struct chunk *gir = x->ke_method != IKE_KE_NONE ? &x->secret : NULL;
	if (x->kind == CC_REKEY_IKE) {
		struct ike_sa *n = finish_ike_rekey(ike, x);
		if (n != NULL && x->initiator)
			ikev2_delete_ike(ike);
		return;
	}
	struct child_sa *child = x->child;
	x->child = NULL;
	if (child == NULL)
		return;		/* its connection went meanwhile */
	if (ike->larval == child)
		ike->larval = NULL;
	child_sa_finish(ike, child, &x->ni, &x->nr, gir, x->addke_secret, x->n_addke);
	if (x->initiator && ike->whack != NULL) {
		whack_done(ike->whack, child->state == CHILD_ESTABLISHED ? 0 : 2);
		ike->whack = NULL;
	}
	if (child->state != CHILD_ESTABLISHED)
		return;
	if (x->kind == CC_REKEY_CHILD) {
		struct child_sa *old = child_by_serial(ike, x->old_serial);
		child->rekey_of = x->old_serial;
		nonce_min(x, child->nonce_min, &child->nonce_min_len);
		ike_log(ike, "Child SA #%u (generation %u) replaces #%u%s", child->serial, child->generation,
			x->old_serial, gir != NULL ? " (PFS)" : "");
		if (old != NULL) {
			old->state = CHILD_REKEYED;
			lifetime_child_retire(old);
			/* RFC 7296 1.3.3, 2.8: the rekey's initiator deletes the old SA */
			if (x->initiator && !old->delete_sent)
				send_child_delete(ike, old);
		}
		settle_child_collision(ike, child);
	}
}

/* --- initiator ---------------------------------------------------------------------- */

static bool start(struct ike_sa *ike, struct cc_exchange *x, struct ike_buf *b)
{
	if (!new_nonce(&x->ni))
		return false;
	if (x->ke_method != IKE_KE_NONE) {
		enum ke_result r = ke_initiate(x->ke_method, &x->ke);
		if (r != KE_OK) {
			ike_log(ike, "CREATE_CHILD_SA: cannot start %s: %s", ike_ke_name(x->ke_method), ke_result_name(r));
			return false;
		}
	}
	codec_put_nonce(b, x->ni.ptr, x->ni.len);
	return x->ke == NULL || put_our_ke(ike, b, x->ke);
}

static bool send_cc(struct ike_sa *ike, struct cc_exchange *x, struct ike_buf *b)
{
	cc_free(ike->cc_out);
	ike->cc_out = x;
	ike_log(ike, "CREATE_CHILD_SA: starting %s", kind_name[x->kind]);
	return send_request(ike, CREATE_CHILD_SA, b);
}

/* RFC 7296 1.3.1 (new), 1.3.3 (rekey of old): [N(REKEY_SA)], [N(USE_TRANSPORT_MODE)],
 * SA, Ni, [KEi], TSi, TSr */
static bool initiate_child(struct ike_sa *ike, struct connection *c, struct child_sa *old, uint16_t ke,
			   bool retried)
{
	if (ike->state != IKE_ESTABLISHED || ike->cc_out != NULL || ike->larval != NULL)
		return false;
	struct cc_exchange *x = cc_new(old != NULL ? CC_REKEY_CHILD : CC_NEW_CHILD, true);
	if (x == NULL)
		return false;
	x->ke_retried = retried;
	struct child_sa *child = child_sa_propose(ike, old != NULL ? old->c : c);
	if (child == NULL) {
		cc_free(x);
		return false;
	}
	x->child = child;
	struct proposal_list l;
	child_proposals(ike, child->c, CREATE_CHILD_SA, &l);
	x->ke_method = ke != IKE_KE_NONE ? ke : proposal_first_ke(&l);
	uint8_t storage[CC_INNER_MAX];
	struct ike_buf b;
	codec_buf_init(&b, storage, sizeof(storage));
	if (old != NULL) {
		/* RFC 7296 2.8: same selectors and mode; the SPI names the old SA */
		x->old_serial = old->serial;
		child->generation = old->generation + 1;
		child->transport = old->transport;
		child_ts_set(&child->ts_local, old->ts_local.ts, old->ts_local.n);
		child_ts_set(&child->ts_remote, old->ts_remote.ts, old->ts_remote.n);
		codec_put_notify(&b, IKE_PROTO_ESP, old->spi_local, 4, IKE_N_REKEY_SA, NULL, 0);
	}
	child_put_mode(&b, child);
	child_put_proposals(&b, ike, child, CREATE_CHILD_SA);
	bool ok = start(ike, x, &b);
	child_put_ts(&b, child, true);
	if (!ok || !send_cc(ike, x, &b)) {
		if (ike->cc_out == x)
			ike->cc_out = NULL;
		cc_free(x);
		child_sa_free(ike, child);
		return false;
	}
	return true;
}

bool create_child_sa_initiate(struct ike_sa *ike, struct connection *c, struct child_sa *old)
{
	return initiate_child(ike, c, old, IKE_KE_NONE, false);
}

/* RFC 7296 1.3.2: SA (IKE, our new SPI), Ni, KEi */
static bool rekey_ike(struct ike_sa *ike, uint16_t ke, bool retried)
{
	if (ike->state != IKE_ESTABLISHED || ike->cc_out != NULL || ike->cc_in != NULL || ike->larval != NULL)
		return false;
	struct cc_exchange *x = cc_new(CC_REKEY_IKE, true);
	if (x == NULL)
		return false;
	x->ke_retried = retried;
	do {
		if (!crypt_random(x->spi_i, IKE_SPI_LEN)) {
			cc_free(x);
			return false;
		}
	} while (x->spi_i[0] == 0 && x->spi_i[1] == 0);
	x->c = ike->c;
	uint8_t storage[CC_INNER_MAX];
	struct ike_buf b;
	codec_buf_init(&b, storage, sizeof(storage));
	struct ike_sa_pl sa;
	proposal_to_sa(&ike->c->ike, x->spi_i, IKE_SPI_LEN, &sa);
	codec_put_sa(&b, &sa);
	/* the KE method this IKE SA negotiated, if we still offer it; else our first */
	x->ke_method = ke != IKE_KE_NONE ? ke :
		       proposal_allows_ke(&ike->c->ike, ike->ke_method) ? ike->ke_method : proposal_first_ke(&ike->c->ike);
	if (!start(ike, x, &b) || !send_cc(ike, x, &b)) {
		if (ike->cc_out == x)
			ike->cc_out = NULL;
		cc_free(x);
		return false;
	}
	return true;
}

bool create_child_sa_rekey_ike(struct ike_sa *ike)
{
	return rekey_ike(ike, IKE_KE_NONE, false);
}

/* RFC 7296 1.3, 3.10.1: INVALID_KE_PAYLOAD names the KE method the responder wants;
 * if we offered it, the exchange starts again with it, once */
enum retry { RETRY_NO, RETRY_SENT, RETRY_FAILED };	/* FAILED: x is gone */

static enum retry retry_with_ke(struct ike_sa *ike, struct cc_exchange *x, const struct msg_digest *md)
{
	struct ike_notify_pl n;
	if (x->ke_retried ||
	    codec_decode_notify(codec_find_notify(md->pl, IKE_N_INVALID_KE_PAYLOAD), &n) != CODEC_OK || n.len != 2)
		return RETRY_NO;
	uint16_t g = be_get16(n.data);
	struct proposal_list l;
	if (x->kind == CC_REKEY_IKE)
		l = ike->c->ike;
	else if (x->child != NULL)
		child_proposals(ike, x->child->c, CREATE_CHILD_SA, &l);
	else
		return RETRY_NO;
	if (g == IKE_KE_NONE || g == x->ke_method || !proposal_allows_ke(&l, g))
		return RETRY_NO;
	ike_log(ike, "CREATE_CHILD_SA: the peer wants %s; starting again with it", ike_ke_name(g));
	enum cc_kind kind = x->kind;
	struct connection *c = x->child != NULL ? x->child->c : ike->c;
	struct child_sa *old = kind == CC_REKEY_CHILD ? child_by_serial(ike, x->old_serial) : NULL;
	if (kind == CC_REKEY_CHILD && old == NULL)
		return RETRY_NO;
	ike->cc_out = NULL;
	if (x->child != NULL)
		child_sa_free(ike, x->child);
	cc_free(x);
	bool ok = kind == CC_REKEY_IKE ? rekey_ike(ike, g, true) : initiate_child(ike, c, old, g, true);
	return ok ? RETRY_SENT : RETRY_FAILED;
}

/* IKE_FOLLOWUP_KE request n (RFC 9370 2.2.4): KE, N(ADDITIONAL_KEY_EXCHANGE) */
static bool send_followup(struct ike_sa *ike, struct cc_exchange *x)
{
	uint16_t m = x->addke[x->done];
	ke_free(x->ke);
	x->ke = NULL;
	enum ke_result r = ke_initiate(m, &x->ke);
	if (r != KE_OK) {
		ike_log(ike, "IKE_FOLLOWUP_KE: cannot start %s: %s", ike_ke_name(m), ke_result_name(r));
		return false;
	}
	uint8_t storage[CC_INNER_MAX];
	struct ike_buf b;
	codec_buf_init(&b, storage, sizeof(storage));
	if (!put_our_ke(ike, &b, x->ke))
		return false;
	codec_put_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE, x->link.ptr, x->link.len);
	ike_log(ike, "IKE_FOLLOWUP_KE: additional key exchange %u of %u, %s", x->done + 1, x->n_addke,
		ike_ke_name(m));
	return send_request(ike, IKE_FOLLOWUP_KE, &b);
}

/* The peer's KE answers ours: the shared secret, into *secret */
static bool take_peer_ke(struct ike_sa *ike, struct cc_exchange *x, const struct msg_digest *md, uint16_t want,
			 struct chunk *secret)
{
	struct ike_ke_pl ke;
	if (codec_decode_ke(codec_find(md->pl, IKE_PL_KE), &ke) != CODEC_OK || ke.method != want) {
		ike_log(ike, "%s response: no KE payload for %s", ike_exchange_name(md->hdr.exchange), ike_ke_name(want));
		return false;
	}
	enum ke_result r = ke_finish(x->ke, ke.data, ke.len, secret);
	ke_free(x->ke);
	x->ke = NULL;
	if (r != KE_OK) {
		ike_log(ike, "%s response: bad KE payload: %s", ike_exchange_name(md->hdr.exchange), ke_result_name(r));
		return false;
	}
	return true;
}

/* the link for the next follow-up, from the responder's ADDITIONAL_KEY_EXCHANGE */
static bool take_link(struct cc_exchange *x, const struct msg_digest *md)
{
	struct ike_notify_pl n;
	if (codec_decode_notify(codec_find_notify(md->pl, IKE_N_ADDITIONAL_KEY_EXCHANGE), &n) != CODEC_OK ||
	    n.len == 0)
		return false;
	chunk_free(&x->link);
	x->link = chunk_dup(n.data, n.len);
	return x->link.ptr != NULL;
}

/* the exchange we started failed: the larval Child SA goes; a rekey is retried
 * later by the lifetime timers */
static enum tr_result fail_out(struct ike_sa *ike, const char *why)
{
	struct cc_exchange *x = ike->cc_out;
	ike->cc_out = NULL;
	ike_log(ike, "CREATE_CHILD_SA (%s) failed: %s", kind_name[x->kind], why);
	/* RFC 7296 2.25: not at once, but the rekey is tried again later */
	struct child_sa *old = x->kind == CC_REKEY_CHILD ? child_by_serial(ike, x->old_serial) : NULL;
	if (old != NULL)	/* gone already: nothing to retry */
		lifetime_rekey_later(ike, old);
	else if (x->kind == CC_REKEY_IKE)
		lifetime_rekey_later(ike, NULL);
	if (x->child != NULL) {
		if (ike->whack != NULL) {
			whack_done(ike->whack, 2);
			ike->whack = NULL;
		}
		child_sa_free(ike, x->child);
	}
	cc_free(x);
	return TR_STAY;
}

/* After a response: the next IKE_FOLLOWUP_KE, whose link the response carries
 * (RFC 9370 2.2.4), or, all rounds done, the new SA */
static enum tr_result next_round(struct ike_sa *ike, struct cc_exchange *x, const struct msg_digest *md)
{
	if (x->done < x->n_addke) {
		if (!take_link(x, md))
			return fail_out(ike, "additional key exchanges without ADDITIONAL_KEY_EXCHANGE");
		if (!send_followup(ike, x))
			return fail_out(ike, "cannot send IKE_FOLLOWUP_KE");
		return TR_STAY;
	}
	ike->cc_out = NULL;
	finish(ike, x);
	cc_free(x);
	return TR_STAY;
}

enum tr_result create_child_sa_i(struct ike_sa *ike, struct msg_digest *md)
{
	struct cc_exchange *x = ike->cc_out;
	if (x == NULL)
		return TR_IGNORE;
	uint16_t err = codec_first_error_notify(md->pl);
	if (err == IKE_N_INVALID_KE_PAYLOAD && retry_with_ke(ike, x, md) != RETRY_NO)
		return TR_STAY;
	if (err != 0) {
		ike->last_error = err;
		return fail_out(ike, ike_notify_name(err));
	}
	if (x->kind != CC_REKEY_IKE && x->child == NULL)
		return fail_out(ike, "its connection was deleted");
	const uint8_t *nr;
	size_t nrlen;
	if (codec_decode_nonce(codec_find(md->pl, IKE_PL_NONCE), &nr, &nrlen) != CODEC_OK)
		return fail_out(ike, "no valid Nonce payload");
	x->nr = chunk_dup(nr, nrlen);
	if (x->kind == CC_REKEY_IKE) {
		struct ike_sa_pl sa;
		if (codec_decode_sa(codec_find(md->pl, IKE_PL_SA), &sa) != CODEC_OK ||
		    proposal_check_reply(&ike->c->ike, &sa, &x->ike_prop) != PROPOSAL_OK ||
		    x->ike_prop.spi_len != IKE_SPI_LEN)
			return fail_out(ike, "the IKE proposal chosen is malformed or was not offered");
		memcpy(x->spi_r, x->ike_prop.spi, IKE_SPI_LEN);
		take_methods(x, &x->ike_prop);
		if (x->ke_method == IKE_KE_NONE)
			return fail_out(ike, "an IKE SA rekey needs a key exchange (RFC 7296 1.3.2)");
	} else {
		if (!child_sa_accept(ike, x->child, md, "CREATE_CHILD_SA")) {
			/* RFC 7296 1.4.1: the responder installed what it chose (narrowed
			 * selectors under narrowing=no, say): ask it to remove that */
			if (codec_find(md->pl, IKE_PL_SA) != NULL)
				child_sa_send_delete(ike, x->child, false, "refused");
			return fail_out(ike, "Child SA not acceptable");
		}
		take_methods(x, &x->child->proposal);
	}
	if (x->ke_method != IKE_KE_NONE &&
	    (x->ke == NULL || ke_method(x->ke) != x->ke_method || !take_peer_ke(ike, x, md, x->ke_method, &x->secret)))
		return fail_out(ike, "key exchange failed");
	return next_round(ike, x, md);
}

enum tr_result ike_followup_ke_i(struct ike_sa *ike, struct msg_digest *md)
{
	struct cc_exchange *x = ike->cc_out;
	if (x == NULL || x->done >= x->n_addke)
		return TR_IGNORE;
	uint16_t err = codec_first_error_notify(md->pl);
	if (err != 0) {
		ike->last_error = err;
		return fail_out(ike, ike_notify_name(err));
	}
	if (x->kind != CC_REKEY_IKE && x->child == NULL)
		return fail_out(ike, "its connection was deleted");
	if (!take_peer_ke(ike, x, md, x->addke[x->done], &x->addke_secret[x->done]))
		return fail_out(ike, "additional key exchange failed");
	x->done++;
	return next_round(ike, x, md);
}

void create_child_sa_forget_conn(struct ike_sa *ike, const struct connection *c)
{
	struct cc_exchange *x = ike->cc_out;
	if (x != NULL && x->child != NULL && x->child->c == c) {
		child_sa_free(ike, x->child);
		x->child = NULL;	/* the response ends the exchange (fail_out) */
	}
	x = ike->cc_in;
	if (x != NULL && x->child != NULL && x->child->c == c) {
		child_sa_free(ike, x->child);
		cc_free(x);
		ike->cc_in = NULL;
	}
}

/* --- responder ---------------------------------------------------------------------- */

static enum tr_result refuse(struct ike_sa *ike, struct msg_digest *md, uint16_t err, const char *why)
{
	ike_log(ike, "CREATE_CHILD_SA request refused: %s", why);
	send_notify_response(ike, md, err, NULL, 0);
	return TR_STAY;
}

/* The peer's KE for the chosen method: our half and the secret.  A KE for another
 * method is answered INVALID_KE_PAYLOAD with the one we chose (RFC 7296 1.3). */
static uint16_t respond_ke(struct ike_sa *ike, struct cc_exchange *x, const struct msg_digest *md,
			   struct ike_buf *b, uint8_t group[2])
{
	if (x->ke_method == IKE_KE_NONE)
		return 0;
	struct ike_ke_pl ke;
	const struct ike_pl *kepl = codec_find(md->pl, IKE_PL_KE);
	if (kepl != NULL && codec_decode_ke(kepl, &ke) != CODEC_OK)
		return IKE_N_INVALID_SYNTAX;
	/* RFC 7296 1.3: no KE, or one for another method, while the proposal chosen
	 * has a KE: INVALID_KE_PAYLOAD naming the one we chose */
	if (kepl == NULL || ke.method != x->ke_method) {
		be_put16(group, x->ke_method);
		return IKE_N_INVALID_KE_PAYLOAD;
	}
	enum ke_result r = ke_respond(ke.method, ke.data, ke.len, &x->ke, &x->secret);
	if (r != KE_OK) {
		ike_log(ike, "CREATE_CHILD_SA: bad KE payload: %s", ke_result_name(r));
		return IKE_N_INVALID_SYNTAX;
	}
	bool ok = put_our_ke(ike, b, x->ke);
	ke_free(x->ke);
	x->ke = NULL;
	return ok ? 0 : IKE_N_INVALID_SYNTAX;
}

/* RFC 9370 2.2.4: follow-ups wait for the initiator; the link names them */
static bool expect_followups(struct ike_sa *ike, struct cc_exchange *x, struct ike_buf *b)
{
	x->link = chunk_alloc(CC_LINK_LEN);
	if (x->link.ptr == NULL || !crypt_random(x->link.ptr, CC_LINK_LEN))
		return false;
	codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE, x->link.ptr, x->link.len);
	cc_free(ike->cc_in);
	ike->cc_in = x;
	return true;
}

/* the connection for a new Child SA: the IKE SA's own, or another one to the
 * same peer whose selectors fit */
static struct connection *conn_for_child(struct ike_sa *ike, const struct msg_digest *md)
{
	struct ike_ts_pl tsi, tsr, n;
	if (codec_decode_ts(codec_find(md->pl, IKE_PL_TSI), &tsi) != CODEC_OK ||
	    codec_decode_ts(codec_find(md->pl, IKE_PL_TSR), &tsr) != CODEC_OK)
		return ike->c;
	if (child_ts_select(ike, ike->c, &tsi, ike->c->remote, &n) && child_ts_select(ike, ike->c, &tsr, ike->c->local, &n))
		return ike->c;
	for (struct connection *c = ike->pluto->conns; c != NULL; c = c->next) {
		/* only a connection whose peer ID is the one this IKE SA authenticated,
		 * with the same authentication: no Child SA of a connection the peer never
		 * proved itself for */
		if (c == ike->c || !ip_eq(&c->local->addr, &ike->local) ||
		    (!c->remote->any && !ip_eq(&c->remote->addr, &ike->remote)) ||
		    !ike_id_eq(&c->local->id, &ike->c->local->id) || !ike_sa_peer_is(ike, &c->remote->id) ||
		    c->conf.authby != ike->c->conf.authby)
			continue;
		if (child_ts_select(ike, c, &tsi, c->remote, &n) && child_ts_select(ike, c, &tsr, c->local, &n))
			return c;
	}
	return ike->c;
}

static enum tr_result respond_child(struct ike_sa *ike, struct msg_digest *md, struct cc_exchange *x,
				    struct child_sa *old)
{
	struct connection *c = old != NULL ? old->c : conn_for_child(ike, md);
	struct child_sa *child;
	uint16_t err = child_sa_choose(ike, c, md, &child);
	if (err != 0) {
		cc_free(x);
		send_notify_response(ike, md, err, NULL, 0);
		return TR_STAY;
	}
	x->child = child;
	if (old != NULL) {
		x->old_serial = old->serial;
		child->generation = old->generation + 1;
	}
	take_methods(x, &child->proposal);
	uint8_t storage[CC_INNER_MAX], group[2];
	struct ike_buf b;
	codec_buf_init(&b, storage, sizeof(storage));
	child_put_mode(&b, child);
	child_put_chosen(&b, child);
	codec_put_nonce(&b, x->nr.ptr, x->nr.len);
	err = respond_ke(ike, x, md, &b, group);
	if (err != 0) {
		child_sa_free(ike, child);
		cc_free(x);
		send_notify_response(ike, md, err, err == IKE_N_INVALID_KE_PAYLOAD ? group : NULL,
				     err == IKE_N_INVALID_KE_PAYLOAD ? 2 : 0);
		return TR_STAY;
	}
	child_put_ts(&b, child, false);
	if (x->n_addke > 0) {
		if (!expect_followups(ike, x, &b)) {
			child_sa_free(ike, child);
			cc_free(x);
			return refuse(ike, md, IKE_N_TEMPORARY_FAILURE, "no randomness");
		}
		send_response(ike, md, &b);
		return TR_STAY;
	}
	if (!send_response(ike, md, &b)) {
		child_sa_free(ike, child);
		cc_free(x);
		return TR_STAY;
	}
	finish(ike, x);
	cc_free(x);
	return TR_STAY;
}

static enum tr_result respond_ike_rekey(struct ike_sa *ike, struct msg_digest *md, struct cc_exchange *x,
					const struct ike_sa_pl *sa)
{
	enum proposal_result pr = proposal_select(&ike->c->ike, sa, &x->ike_prop);
	if (pr != PROPOSAL_OK || x->ike_prop.spi_len != IKE_SPI_LEN) {
		cc_free(x);
		return refuse(ike, md, pr == PROPOSAL_INVALID ? IKE_N_INVALID_SYNTAX : IKE_N_NO_PROPOSAL_CHOSEN,
			      "no acceptable IKE proposal for the rekey");
	}
	take_methods(x, &x->ike_prop);
	if (x->ke_method == IKE_KE_NONE) {
		cc_free(x);
		return refuse(ike, md, IKE_N_INVALID_SYNTAX, "IKE SA rekey without a key exchange");
	}
	memcpy(x->spi_i, x->ike_prop.spi, IKE_SPI_LEN);
	do {
		if (!crypt_random(x->spi_r, IKE_SPI_LEN)) {
			cc_free(x);
			return refuse(ike, md, IKE_N_TEMPORARY_FAILURE, "no randomness for an IKE SPI");
		}
	} while (x->spi_r[0] == 0 && x->spi_r[1] == 0);
	x->c = ike->c;
	uint8_t storage[CC_INNER_MAX], group[2];
	struct ike_buf b;
	codec_buf_init(&b, storage, sizeof(storage));
	struct ike_sa_pl reply = { .nprop = 1 };
	reply.prop[0] = x->ike_prop;
	memcpy(reply.prop[0].spi, x->spi_r, IKE_SPI_LEN);
	codec_put_sa(&b, &reply);
	codec_put_nonce(&b, x->nr.ptr, x->nr.len);
	uint16_t err = respond_ke(ike, x, md, &b, group);
	if (err != 0) {
		cc_free(x);
		send_notify_response(ike, md, err, err == IKE_N_INVALID_KE_PAYLOAD ? group : NULL,
				     err == IKE_N_INVALID_KE_PAYLOAD ? 2 : 0);
		return TR_STAY;
	}
	if (x->n_addke > 0) {
		if (!expect_followups(ike, x, &b)) {
			cc_free(x);
			return refuse(ike, md, IKE_N_TEMPORARY_FAILURE, "no randomness");
		}
		send_response(ike, md, &b);
		return TR_STAY;
	}
	send_response(ike, md, &b);
	finish(ike, x);
	cc_free(x);
	return TR_STAY;
}

enum tr_result create_child_sa_r(struct ike_sa *ike, struct msg_digest *md)
{
	struct ike_sa_pl sa;
	const uint8_t *ni;
	size_t nilen;
	if (codec_decode_sa(codec_find(md->pl, IKE_PL_SA), &sa) != CODEC_OK || sa.nprop == 0 ||
	    codec_decode_nonce(codec_find(md->pl, IKE_PL_NONCE), &ni, &nilen) != CODEC_OK)
		return refuse(ike, md, IKE_N_INVALID_SYNTAX, "malformed SA or Nonce payload");
	bool ike_rekey = sa.prop[0].protocol == IKE_PROTO_IKE;
	struct child_sa *old = NULL;
	const struct ike_pl *rk = codec_find_notify(md->pl, IKE_N_REKEY_SA);
	if (!ike_rekey && rk != NULL) {
		struct ike_notify_pl n;
		/* RFC 7296 1.3.3: the SPI is the initiator's inbound one, our outbound */
		if (codec_decode_notify(rk, &n) != CODEC_OK || n.spi_len != 4 ||
		    (old = child_sa_by_spi(ike, n.spi, false)) == NULL)
			return refuse(ike, md, IKE_N_CHILD_SA_NOT_FOUND, "REKEY_SA for a Child SA we do not have");
		/* RFC 7296 2.25.1: one we are closing cannot be rekeyed just now */
		if (old->state != CHILD_ESTABLISHED || old->delete_sent)
			return refuse(ike, md, IKE_N_TEMPORARY_FAILURE, "REKEY_SA for a Child SA that is being deleted");
	}
	/* RFC 7296 2.25.2: while we rekey the IKE SA, no Child SA is made or rekeyed
	 * (a simultaneous IKE SA rekey is answered as usual, 2.8.2) */
	if (!ike_rekey && ike->cc_out != NULL && ike->cc_out->kind == CC_REKEY_IKE)
		return refuse(ike, md, IKE_N_TEMPORARY_FAILURE, "the IKE SA is being rekeyed");
	/* RFC 9370 2.2.4: the initiator runs its follow-ups before any new request
	 * (window 1), so a new CREATE_CHILD_SA means it gave the old one up */
	if (ike->cc_in != NULL) {
		ike_log(ike, "CREATE_CHILD_SA: the peer abandoned its exchange waiting for IKE_FOLLOWUP_KE");
		if (ike->cc_in->child != NULL)
			child_sa_free(ike, ike->cc_in->child);
		cc_free(ike->cc_in);
		ike->cc_in = NULL;
	}
	/* RFC 7296 2.25.2: an IKE SA rekey while our Child SA exchange is in flight
	 * would strand it on the old IKE SA */
	if (ike_rekey && ike->cc_out != NULL && ike->cc_out->kind != CC_REKEY_IKE)
		return refuse(ike, md, IKE_N_TEMPORARY_FAILURE, "a Child SA exchange is in progress");
	if (!ike_rekey && codec_find(md->pl, IKE_PL_TSI) == NULL)
		return refuse(ike, md, IKE_N_INVALID_SYNTAX, "no traffic selectors");
	struct cc_exchange *x = cc_new(ike_rekey ? CC_REKEY_IKE : old != NULL ? CC_REKEY_CHILD : CC_NEW_CHILD, false);
	if (x == NULL)
		return refuse(ike, md, IKE_N_TEMPORARY_FAILURE, "out of memory");
	x->ni = chunk_dup(ni, nilen);
	if (!new_nonce(&x->nr)) {
		cc_free(x);
		return refuse(ike, md, IKE_N_TEMPORARY_FAILURE, "no randomness");
	}
	ike_log(ike, "CREATE_CHILD_SA: peer asks for %s", kind_name[x->kind]);
	return ike_rekey ? respond_ike_rekey(ike, md, x, &sa) : respond_child(ike, md, x, old);
}

/* RFC 7296 2.25.2: while our Delete of the IKE SA is out, nothing new is made */
enum tr_result create_child_sa_deleting(struct ike_sa *ike, struct msg_digest *md)
{
	return refuse(ike, md, IKE_N_TEMPORARY_FAILURE, "the IKE SA is being deleted");
}

/* RFC 9370 2.2.4: KE, N(ADDITIONAL_KEY_EXCHANGE) with the link we gave */
enum tr_result ike_followup_ke_r(struct ike_sa *ike, struct msg_digest *md)
{
	struct cc_exchange *x = ike->cc_in;
	struct ike_notify_pl n;
	if (codec_decode_notify(codec_find_notify(md->pl, IKE_N_ADDITIONAL_KEY_EXCHANGE), &n) != CODEC_OK ||
	    x == NULL || n.len != x->link.len || !chunk_memeq(n.data, x->link.ptr, n.len))
		return refuse(ike, md, IKE_N_STATE_NOT_FOUND, "IKE_FOLLOWUP_KE for an unknown exchange");
	struct ike_ke_pl ke;
	uint16_t want = x->addke[x->done];
	if (codec_decode_ke(codec_find(md->pl, IKE_PL_KE), &ke) != CODEC_OK || ke.method != want) {
		ike->cc_in = NULL;
		if (x->child != NULL)
			child_sa_free(ike, x->child);
		cc_free(x);
		return refuse(ike, md, IKE_N_INVALID_SYNTAX, "IKE_FOLLOWUP_KE without the negotiated KE");
	}
	uint8_t storage[CC_INNER_MAX];
	struct ike_buf b;
	codec_buf_init(&b, storage, sizeof(storage));
	enum ke_result r = ke_respond(ke.method, ke.data, ke.len, &x->ke, &x->addke_secret[x->done]);
	if (r != KE_OK || !put_our_ke(ike, &b, x->ke)) {
		ike->cc_in = NULL;
		if (x->child != NULL)
			child_sa_free(ike, x->child);
		cc_free(x);
		return refuse(ike, md, IKE_N_INVALID_SYNTAX, "bad additional KE payload");
	}
	ke_free(x->ke);
	x->ke = NULL;
	x->done++;
	ike_log(ike, "IKE_FOLLOWUP_KE: additional key exchange %u of %u, %s", x->done, x->n_addke, ike_ke_name(want));
	if (x->done < x->n_addke) {
		codec_put_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE, x->link.ptr, x->link.len);
		send_response(ike, md, &b);
		return TR_STAY;
	}
	ike->cc_in = NULL;
	send_response(ike, md, &b);
	finish(ike, x);
	cc_free(x);
	return TR_STAY;
}
