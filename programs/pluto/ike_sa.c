/* ike_sa.c -- the IKE SA table: creation, lookup by SPIs, deletion. */
#include <stdlib.h>
#include <string.h>
#include "pluto.h"
#include "crypt.h"
#include "frag.h"
#include "ikev2.h"

static const char *const state_names[IKE_STATE_COUNT] = {
	[IKE_STATE_NONE] = "STATE_V2_NEW",
	[IKE_I_INIT_SENT] = "STATE_V2_PARENT_I1",
	[IKE_I_INTERMEDIATE_SENT] = "STATE_V2_IKE_INTERMEDIATE_I",
	[IKE_I_AUTH_SENT] = "STATE_V2_PARENT_I2",
	[IKE_R_INIT_DONE] = "STATE_V2_PARENT_R1",
	[IKE_ESTABLISHED] = "STATE_V2_ESTABLISHED_IKE_SA",
	[IKE_DELETING] = "STATE_V2_IKE_SA_DELETE",
	[IKE_R_FAILED] = "STATE_V2_FAILED",
};

const char *ike_state_name(enum ike_state s)
{
	return s < IKE_STATE_COUNT && state_names[s] != NULL ? state_names[s] : "STATE_UNKNOWN";
}

static unsigned sa_bucket(const uint8_t spi_i[8])
{
	/* SPIi is random (RFC 7296 2.6), so its octets hash well enough */
	uint32_t h = (uint32_t)spi_i[0] | (uint32_t)spi_i[1] << 8 | (uint32_t)spi_i[2] << 16 |
		     (uint32_t)spi_i[3] << 24;
	return h % PLUTO_SA_HASH_BUCKETS;
}

static void sa_hash_remove(struct ike_sa *ike)
{
	struct ike_sa **pp = &ike->pluto->sa_hash[sa_bucket(ike->spi_i)];
	for (; *pp != NULL; pp = &(*pp)->hnext) {
		if (*pp == ike) {
			*pp = ike->hnext;
			ike->hnext = NULL;
			return;
		}
	}
}

void ike_sa_rehash(struct ike_sa *ike)
{
	sa_hash_remove(ike);
	struct ike_sa **head = &ike->pluto->sa_hash[sa_bucket(ike->spi_i)];
	ike->hnext = *head;
	*head = ike;
}

struct ike_sa *ike_sa_new(struct pluto *p, struct connection *c, bool initiator)
{
	if (p->nsas >= PLUTO_MAX_IKE_SAS)
		return NULL;
	struct ike_sa *ike = calloc(1, sizeof(*ike));
	if (ike == NULL)
		return NULL;
	ike->pluto = p;
	ike->serial = ++p->next_serial;
	ike->c = c;
	ike->initiator = initiator;
	/* RFC 7296 2.6: SPIs are random and never zero */
	uint8_t *own = initiator ? ike->spi_i : ike->spi_r;
	do {
		crypt_random(own, IKE_SPI_LEN);
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
	for (struct ike_sa *s = p->sa_hash[sa_bucket(spi_i)]; s != NULL; s = s->hnext) {
		if (memcmp(s->spi_i, spi_i, 8) == 0 && memcmp(s->spi_r, spi_r, 8) == 0 && !s->dead)
			return s;
	}
	return NULL;
}

/* A responder SA for a retransmitted IKE_SA_INIT request: RFC 7296 2.1, the peer
 * does not know our SPI yet, so match SPIi and the peer's address. */
struct ike_sa *ike_sa_find_init(struct pluto *p, const uint8_t spi_i[8], const struct ip_addr *remote,
				uint16_t rport)
{
	for (struct ike_sa *s = p->sa_hash[sa_bucket(spi_i)]; s != NULL; s = s->hnext) {
		if (!s->initiator && !s->dead && memcmp(s->spi_i, spi_i, 8) == 0 &&
		    ip_eq(&s->remote, remote) && s->rport == rport)
			return s;
	}
	return NULL;
}

static void expire_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ike_sa *ike = arg;
	struct pluto *p = ike->pluto;	/* ike is freed below */
	if (ike->dead || ike->authenticated)
		return;
	ike_sa_delete(ike, ike->state == IKE_R_FAILED ? NULL :
		      "not authenticated in time (half-open IKE SA timed out)");
	ike_sa_free_all(p);
	log_flush(p);
}

void ike_sa_expire_unauthenticated(struct ike_sa *ike, unsigned seconds)
{
	if (ike->expire_ev == NULL)
		ike->expire_ev = evtimer_new(ike->pluto->base, expire_cb, ike);
	struct timeval tv = { (time_t)seconds, 0 };
	event_add(ike->expire_ev, &tv);
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
	child_sa_free(ike);
	if (ike->retrans_ev != NULL)
		event_free(ike->retrans_ev);
	if (ike->expire_ev != NULL)
		event_free(ike->expire_ev);
	ke_free(ike->ke);
	chunk_free(&ike->ni);
	chunk_free(&ike->nr);
	chunk_free(&ike->real_msg_i);
	chunk_free(&ike->real_msg_r);
	keymat_free(&ike->keys);
	dgrams_free(&ike->req);
	dgrams_free(&ike->resp);
	send_queue_free(ike);
	chunk_wipe(&ike->transcript, sizeof(ike->transcript));
	free(ike);
}

/* Removes the SA from every table at once; the memory goes at the end of the
 * current event, so that callers up the stack may still look at it. */
void ike_sa_delete(struct ike_sa *ike, const char *why)
{
	if (ike->dead)
		return;
	struct pluto *p = ike->pluto;
	if (why != NULL)
		ike_log(ike, "deleting IKE SA (%s)", why);
	ike->dead = true;
	if (ike->whack != NULL) {
		whack_done(ike->whack, ike->state == IKE_ESTABLISHED ? 0 : 1);
		ike->whack = NULL;
	}
	if (ike->bench)
		bench_sa_finished(ike, false);
	if (!ike->authenticated && !ike->initiator && p->nhalf_open > 0)
		p->nhalf_open--;
	sa_hash_remove(ike);
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
	if (ike->retrans_ev != NULL)
		event_del(ike->retrans_ev);
	if (ike->expire_ev != NULL)
		event_del(ike->expire_ev);
	child_sa_free(ike);
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
