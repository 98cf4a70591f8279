/* ike_sa.c -- the IKE SA table: creation, lookup by SPIs, deletion. */
#include <stdlib.h>
#include <string.h>
#include "pluto.h"
#include "crypt.h"
#include "frag.h"
#include "ikev2.h"
#include "helper.h"
#include "admission.h"

static const char *const state_names[IKE_STATE_COUNT] = {
	[IKE_STATE_NONE] = "STATE_V2_NEW",
	[IKE_I_INIT_SENT] = "STATE_V2_PARENT_I1",
	[IKE_I_INTERMEDIATE_SENT] = "STATE_V2_IKE_INTERMEDIATE_I",
	[IKE_I_AUTH_SENT] = "STATE_V2_PARENT_I2",
	[IKE_R_INIT_DONE] = "STATE_V2_PARENT_R1",
	[IKE_ESTABLISHED] = "STATE_V2_ESTABLISHED_IKE_SA",
	[IKE_DELETING] = "STATE_V2_IKE_SA_DELETE",
	[IKE_R_FAILED] = "STATE_V2_FAILED",
	[IKE_DEAD] = "STATE_V2_DELETED",
};

const char *ike_state_name(enum ike_state s)
{
	return s < IKE_STATE_COUNT && state_names[s] != NULL ? state_names[s] : "STATE_UNKNOWN";
}

#define TO(s) (1u << (s))
/* The moves the exchanges allow (RFC 7296 1.2, 1.4; RFC 9242 3): from -> the set of to */
static const unsigned legal_moves[IKE_STATE_COUNT] = {
	/* an IKE SA made by a rekey is established at birth (RFC 7296 2.18) */
	[IKE_STATE_NONE] = TO(IKE_I_INIT_SENT) | TO(IKE_R_INIT_DONE) | TO(IKE_ESTABLISHED) | TO(IKE_DEAD),
	[IKE_I_INIT_SENT] = TO(IKE_I_INTERMEDIATE_SENT) | TO(IKE_I_AUTH_SENT) | TO(IKE_DEAD),
	[IKE_I_INTERMEDIATE_SENT] = TO(IKE_I_AUTH_SENT) | TO(IKE_DEAD),
	[IKE_I_AUTH_SENT] = TO(IKE_ESTABLISHED) | TO(IKE_DEAD),
	[IKE_R_INIT_DONE] = TO(IKE_ESTABLISHED) | TO(IKE_R_FAILED) | TO(IKE_DEAD),
	[IKE_ESTABLISHED] = TO(IKE_DELETING) | TO(IKE_DEAD),
	[IKE_DELETING] = TO(IKE_DEAD),
	[IKE_R_FAILED] = TO(IKE_DEAD),
	[IKE_DEAD] = 0,
};

void ike_sa_notify_waiters(struct ike_sa *ike)
{
	if (ike->state != IKE_ESTABLISHED)
		return;
	if (ike->whack != NULL && ike->larval == NULL && ike->cc_out == NULL) {
		whack_done(ike->whack, ike->children == NULL || ike->children->state == CHILD_ESTABLISHED ? 0 : 2);
		ike->whack = NULL;
	}
	if (ike->bench)
		bench_sa_finished(ike, true);
}

bool ike_state_move_ok(enum ike_state from, enum ike_state to)
{
	return from < IKE_STATE_COUNT && to < IKE_STATE_COUNT && (legal_moves[from] & TO(to));
}

bool ike_sa_set_state(struct ike_sa *ike, enum ike_state to)
{
	enum ike_state from = ike->state;
	if (to == from)
		return true;
	if (!ike_state_move_ok(from, to)) {
		ike_log(ike, "BUG: refusing the state change %s -> %s", ike_state_name(from),
			ike_state_name(to));
		return false;
	}
	ike->state = to;
	if (to != IKE_DEAD)
		ike_log(ike, "%s -> %s", ike_state_name(from), ike_state_name(to));
	else
		ike_dbg(ike, "%s -> %s (freed at the end of this event)", ike_state_name(from),
			ike_state_name(to));
	/* a responder SA holds its half-open slot and octets (admission.c, charged when
	 * demux.c created it) until it is authenticated or gone */
	if (to == IKE_ESTABLISHED || to == IKE_DEAD)
		admission_release(ike);
	switch (to) {
	case IKE_R_INIT_DONE:
		ike_sa_expire_unauthenticated(ike, PLUTO_HALF_OPEN_TIMEOUT_S);
		break;
	case IKE_R_FAILED:
		/* RFC 7296 2.1: kept only to answer retransmissions with the error */
		ike_sa_expire_unauthenticated(ike, PLUTO_FAILED_LINGER_S);
		break;
	case IKE_ESTABLISHED:
		timer_cancel(&ike->expire_timer);
		ike_sa_notify_waiters(ike);
		break;
	case IKE_DEAD:
		if (ike->whack != NULL) {
			whack_done(ike->whack, from == IKE_ESTABLISHED ? 0 : 1);
			ike->whack = NULL;
		}
		if (ike->bench)
			bench_sa_finished(ike, false);
		break;
	default:
		break;
	}
	return true;
}

/* The indexes of struct pluto (sa_index.h), set up at first use: a zeroed struct
 * pluto (unit tests, fuzz targets) works as it is */
static struct ix *index_of(struct pluto *p, struct ix *x, size_t link_off)
{
	if (x->b == NULL)
		ix_init(x, link_off, p->ix_key);
	return x;
}

#define SA_INDEX(p, field, link) index_of((p), &(p)->field, offsetof(struct ike_sa, link))
#define BY_SPI(p)    SA_INDEX(p, sa_by_spi, spi_link)
#define BY_PEER(p)   SA_INDEX(p, sa_by_peer, peer_link)
#define BY_REMOTE(p) SA_INDEX(p, sa_by_remote, remote_link)

void ike_sa_table_free(struct pluto *p)
{
	ix_free(BY_SPI(p));
	ix_free(BY_PEER(p));
	ix_free(BY_REMOTE(p));
	ix_free(&p->child_by_in);
	ix_free(&p->child_by_out);
}

unsigned ike_sa_table_buckets(struct pluto *p)
{
	return BY_SPI(p)->size;
}

/* By SPIi alone: a responder knows no SPIr of an IKE_SA_INIT retransmission */
static uint32_t spi_hash(struct pluto *p, const uint8_t spi_i[IKE_SPI_LEN])
{
	return ix_hash(BY_SPI(p), spi_i, IKE_SPI_LEN);
}

static uint32_t addr_hash(struct pluto *p, const struct ip_addr *a)
{
	return ix_hash(BY_REMOTE(p), a, sizeof(*a));
}

void ike_sa_rehash(struct ike_sa *ike)
{
	ix_put(BY_SPI(ike->pluto), ike, spi_hash(ike->pluto, ike->spi_i));
}

static void index_peer(struct ike_sa *ike);

/* The responder may find in IKE_AUTH that another connection fits the peer */
void ike_sa_set_conn(struct ike_sa *ike, struct connection *c)
{
	if (ike->c != NULL)
		ike->c->nike--;
	ike->c = c;
	if (c != NULL)
		c->nike++;
	if (ix_on(BY_PEER(ike->pluto), ike))
		index_peer(ike);
}

void ike_sa_set_remote(struct ike_sa *ike, const struct ip_addr *remote)
{
	struct pluto *p = ike->pluto;
	ike->remote = *remote;
	ix_put(BY_REMOTE(p), ike, addr_hash(p, remote));
}

struct ike_sa *ike_sa_new(struct pluto *p, struct connection *c, bool initiator)
{
	/* max-ike-sas= (config setup): the one ceiling, the operator's */
	unsigned limit = p->setup.max_ike_sas ? p->setup.max_ike_sas : CONF_MAX_IKE_SAS_DEFAULT;
	if (p->nsas >= limit)
		return NULL;
	struct ike_sa *ike = calloc(1, sizeof(*ike));
	if (ike == NULL)
		return NULL;
	ike->pluto = p;
	ike->serial = ++p->next_serial;
	ike->c = c;
	if (c != NULL)
		c->nike++;
	ike->initiator = initiator;
	ike->generation = 1;
	/* RFC 7296 2.6: SPIs are random and never zero */
	uint8_t *own = initiator ? ike->spi_i : ike->spi_r;
	do {
		if (!crypt_random(own, IKE_SPI_LEN)) {
			plog(p, "no randomness for an IKE SPI; IKE SA not created");
			free(ike);
			return NULL;
		}
	} while (own[0] == 0 && own[1] == 0);
	ike->next = p->sas;
	if (p->sas != NULL)
		p->sas->prev = ike;
	p->sas = ike;
	p->nsas++;
	if (initiator)
		ike_sa_rehash(ike);
	return ike;
}

struct ike_sa *ike_sa_find(struct pluto *p, const uint8_t spi_i[8], const uint8_t spi_r[8])
{
	struct ix *x = BY_SPI(p);
	for (struct ike_sa *s = ix_first(x, spi_hash(p, spi_i)); s != NULL; s = ix_next(x, s)) {
		if (memcmp(s->spi_i, spi_i, 8) == 0 && memcmp(s->spi_r, spi_r, 8) == 0 && !ike_sa_dead(s))
			return s;
	}
	return NULL;
}

/* A responder SA for a retransmitted IKE_SA_INIT request: RFC 7296 2.1, the peer
 * does not know our SPI yet, so match SPIi and the peer's address -- not its port,
 * so that one request replayed from many ports makes one SA (admission.h). */
struct ike_sa *ike_sa_find_init(struct pluto *p, const uint8_t spi_i[8], const struct ip_addr *remote)
{
	struct ix *x = BY_SPI(p);
	for (struct ike_sa *s = ix_first(x, spi_hash(p, spi_i)); s != NULL; s = ix_next(x, s)) {
		if (!s->initiator && !ike_sa_dead(s) && memcmp(s->spi_i, spi_i, 8) == 0 &&
		    ip_eq(&s->remote, remote))
			return s;
	}
	return NULL;
}

static void expire_cb(void *arg)
{
	struct ike_sa *ike = arg;
	struct pluto *p = ike->pluto;	/* ike is freed below */
	if (ike_sa_dead(ike) || ike->authenticated)
		return;
	ike_dbg(ike, "timer: expiry of the unauthenticated IKE SA in %s", ike_state_name(ike->state));
	ike_sa_delete(ike, ike->state == IKE_R_FAILED ? NULL :
		      "not authenticated in time (half-open IKE SA timed out)");
	ike_sa_free_all(p);
	log_flush(p);
}

void ike_sa_expire_unauthenticated(struct ike_sa *ike, unsigned seconds)
{
	ike_dbg(ike, "timer: deleted in %u s unless authenticated by then", seconds);
	timer_schedule(&ike->expire_timer, ike->pluto, expire_cb, ike, (uint64_t)seconds * 1000);
}

void dgrams_free(struct dgrams *d)
{
	for (unsigned i = 0; i < d->n; i++)
		chunk_free(&d->d[i]);
	free(d->d);
	d->d = NULL;
	d->n = 0;
	d->fragmented = false;
}

bool dgrams_take(struct dgrams *d, struct chunk *c)
{
	if (d->n >= PLUTO_MAX_MSG_FRAGS)
		return false;
	struct chunk *nd = realloc(d->d, (d->n + 1) * sizeof(*nd));
	if (nd == NULL)
		return false;
	d->d = nd;
	d->d[d->n++] = *c;
	*c = CHUNK_EMPTY;
	return true;
}

bool dgrams_add(struct dgrams *d, const uint8_t *p, size_t len)
{
	struct chunk c = chunk_dup(p, len);
	if (dgrams_take(d, &c))
		return true;
	chunk_free(&c);
	return false;
}

static void ike_sa_free(struct ike_sa *ike)
{
	child_sa_free_all(ike);
	free(ike->peer_id);
	timer_cancel(&ike->retrans_timer);
	timer_cancel(&ike->expire_timer);
	timer_cancel(&ike->keepalive_timer);
	lifetime_ike_stop(ike);
	ke_free(ike->ke);
	cc_free(ike->cc_out);
	cc_free(ike->cc_in);
	chunk_free(&ike->ppk_id);
	chunk_free(&ike->ni);
	chunk_free(&ike->nr);
	chunk_free(&ike->real_msg_i);
	chunk_free(&ike->real_msg_r);
	keymat_free(&ike->keys);
	keymat_free(&ike->ppk_unmixed);
	dgrams_free(&ike->req);
	dgrams_free(&ike->resp);
	send_queue_free(ike);
	ikev2_suspend_free(ike);
	chunk_wipe(&ike->transcript, sizeof(ike->transcript));
	free(ike);
}

/* Removes the SA from every table at once; the memory goes at the end of the
 * current event, so that callers up the stack may still look at it. */
void ike_sa_delete(struct ike_sa *ike, const char *why)
{
	if (ike_sa_dead(ike))
		return;
	struct pluto *p = ike->pluto;
	if (why != NULL)
		ike_log(ike, "deleting IKE SA (%s)", why);
	if (ike->c != NULL)
		ike->c->nike--;
	lifetime_ike_gone(ike);
	lifetime_ike_stop(ike);
	ike_sa_set_state(ike, IKE_DEAD);
	ix_del(BY_SPI(p), ike);
	ix_del(BY_PEER(p), ike);
	ix_del(BY_REMOTE(p), ike);
	/* from the live list to the dead one, freed at the end of the event */
	if (ike->prev != NULL)
		ike->prev->next = ike->next;
	else
		p->sas = ike->next;
	if (ike->next != NULL)
		ike->next->prev = ike->prev;
	ike->prev = NULL;
	ike->next = p->dead;
	p->dead = ike;
	frag_free(ike);
	/* a crypto job in flight: its result will be dropped and wiped (helper.c) */
	helper_forget(ike);
	timer_cancel(&ike->retrans_timer);
	timer_cancel(&ike->expire_timer);
	timer_cancel(&ike->keepalive_timer);
	child_sa_free_all(ike);
}

void ike_sa_free_all(struct pluto *p)
{
	while (p->shutting_down && p->sas != NULL)
		ike_sa_delete(p->sas, NULL);
	while (p->dead != NULL) {
		struct ike_sa *s = p->dead;
		p->dead = s->next;
		p->nsas--;
		ike_sa_free(s);
	}
}

bool ike_sa_other_with_peer(struct ike_sa *ike)
{
	struct pluto *p = ike->pluto;
	struct ix *x = BY_REMOTE(p);
	for (const struct ike_sa *s = ix_first(x, addr_hash(p, &ike->remote)); s != NULL; s = ix_next(x, s))
		if (s != ike && !ike_sa_dead(s) && ip_eq(&s->remote, &ike->remote))
			return true;
	return false;
}

static bool peer_digest(const struct ike_id *id, uint8_t out[PLUTO_PEER_DIGEST_LEN])
{
	uint8_t h[32], tl[2] = { id->type, id->len };
	struct iov in[] = { { tl, 2 }, { id->data, id->len } };
	if (!crypt_hash(CRYPT_SHA256, in, 2, h))
		return false;
	memcpy(out, h, PLUTO_PEER_DIGEST_LEN);
	return true;
}

bool ike_sa_peer_is(const struct ike_sa *ike, const struct ike_id *id)
{
	uint8_t d[PLUTO_PEER_DIGEST_LEN];
	return ike->peer_known && id->type != 0 && peer_digest(id, d) &&
	       memcmp(d, ike->peer_digest, sizeof(d)) == 0;
}

/* The peer index is keyed by (authenticated peer, connection): uniqueids= looks at one
 * key, however many SAs other peers or connections hold; INITIAL_CONTACT, rare, looks
 * at the key of each connection */
static uint32_t peer_hash(struct pluto *p, const uint8_t digest[PLUTO_PEER_DIGEST_LEN],
			  const struct connection *c)
{
	uint8_t k[PLUTO_PEER_DIGEST_LEN + sizeof(c)];
	memcpy(k, digest, PLUTO_PEER_DIGEST_LEN);
	memcpy(k + PLUTO_PEER_DIGEST_LEN, &c, sizeof(c));
	return ix_hash(BY_PEER(p), k, sizeof(k));
}

static void index_peer(struct ike_sa *ike)
{
	if (ike->peer_known)
		ix_put(BY_PEER(ike->pluto), ike, peer_hash(ike->pluto, ike->peer_digest, ike->c));
}

/* An IKE SA made by rekeying another (RFC 7296 2.18) speaks for the same peer */
void ike_sa_inherit_peer(struct ike_sa *ike, const struct ike_sa *old)
{
	memcpy(ike->peer_digest, old->peer_digest, sizeof(ike->peer_digest));
	ike->peer_known = old->peer_known;
	free(ike->peer_id);
	ike->peer_id = old->peer_id != NULL ? strdup(old->peer_id) : NULL;
	index_peer(ike);
}

/* The others authenticated as ike's peer on connection c: INITIAL_CONTACT removes
 * them (no Delete: the peer has forgotten them), uniqueids= the older ones of ike's
 * own connection (with a Delete) */
static void replace_others(struct ike_sa *ike, const struct connection *c, bool initial_contact)
{
	struct pluto *p = ike->pluto;
	struct ix *x = BY_PEER(p);
	for (struct ike_sa *s = ix_first(x, peer_hash(p, ike->peer_digest, c)), *next; s != NULL; s = next) {
		next = ix_next(x, s);
		if (s == ike || ike_sa_dead(s) || !s->authenticated || !s->peer_known || s->c != c ||
		    memcmp(s->peer_digest, ike->peer_digest, PLUTO_PEER_DIGEST_LEN) != 0)
			continue;
		if (initial_contact) {
			ike_log(ike, "INITIAL_CONTACT: the peer restarted; removing its earlier IKE SA #%u", s->serial);
			ike_sa_delete(s, "replaced after the peer's INITIAL_CONTACT");
		} else {
			ike_log(ike, "uniqueids: replacing older IKE SA #%u of this connection and peer", s->serial);
			ikev2_delete_ike(s);
		}
	}
}

void ike_sa_authenticated(struct ike_sa *ike, const struct ike_id *peer, bool initial_contact)
{
	struct pluto *p = ike->pluto;
	char idbuf[600];
	free(ike->peer_id);
	ike->peer_id = strdup(ike_id_str(peer, idbuf, sizeof(idbuf)));
	/* nothing is replaced on an identity we could not fingerprint */
	ike->peer_known = peer_digest(peer, ike->peer_digest);
	if (!ike->peer_known)
		return;
	if (initial_contact) {
		for (const struct connection *c = p->conns; c != NULL; c = c->next)
			replace_others(ike, c, true);
	} else if (p->setup.uniqueids) {
		replace_others(ike, ike->c, false);
	}
	index_peer(ike);
}

static void keepalive_cb(void *arg)
{
	struct ike_sa *ike = arg;
	if (ike_sa_dead(ike))
		return;
	ike_dbg(ike, "timer: NAT-keepalive (next in %u s)", ike->pluto->setup.keep_alive_s);
	iface_send_keepalive(ike);
	timer_schedule(&ike->keepalive_timer, ike->pluto, keepalive_cb, ike,
		       (uint64_t)ike->pluto->setup.keep_alive_s * 1000);
}

/* RFC 3948 2.3 / RFC 7296 2.23: the end behind a NAT keeps the mapping open with
 * a NAT-keepalive every keep-alive= seconds (nat-keepalive=no: never) */
void ike_sa_start_keepalive(struct ike_sa *ike)
{
	struct pluto *p = ike->pluto;
	if (!ike->nat_local || ike->c == NULL || !ike->c->conf.nat_keepalive || p->setup.keep_alive_s == 0 ||
	    timer_is_pending(&ike->keepalive_timer))
		return;
	timer_schedule(&ike->keepalive_timer, p, keepalive_cb, ike, (uint64_t)p->setup.keep_alive_s * 1000);
}
