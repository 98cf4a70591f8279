/* lifetime.c -- how long SAs live and what keeps a tunnel up:
 *  - rekey and expiry of Child SAs and IKE SAs (Libreswan's salifetime, ikelifetime,
 *    rekey, rekeymargin, rekeyfuzz, reauth; RFC 7296 2.8), also driven by the
 *    kernel's expire events (byte and packet limits);
 *  - liveness (RFC 7296 2.4: dpddelay, dpdtimeout, dpdaction);
 *  - revival of auto=start connections (and dpdaction=restart) with back-off.
 * The one place for these rules; the exchanges only call in. */
#include <stdlib.h>
#include <string.h>
#include "ikev2.h"
#include "child_sa.h"
#include "crypt.h"

#define LIFE_REKEY_RETRY_S  5	/* an exchange is in flight: try the rekey again */
#define LIFE_REVIVE_FIRST_S 5	/* first revival attempt after a failure */
#define LIFE_REVIVE_MAX_S   300	/* back-off ceiling */
#define LIFE_RETIRE_S       60	/* a replaced Child SA waits this long for its Delete */

/* --- when to rekey -------------------------------------------------------------------- */

/* Seconds after which an SA of lifetime life is rekeyed.  The initiator of the SA
 * rekeys rekeymargin (+ up to rekeyfuzz% of it, random) before expiry; the
 * responder only half a margin before, so that the initiator normally goes first
 * and collisions stay rare (RFC 7296 2.8.1).  A margin too large for the lifetime
 * shrinks to a quarter of it. */
unsigned lifetime_rekey_after(const struct conf_conn *cc, unsigned life, bool initiator)
{
	unsigned margin = cc->rekeymargin_s;
	unsigned long fuzzmax = (unsigned long)margin * cc->rekeyfuzz_pct / 100;
	if ((unsigned long)margin + fuzzmax >= life) {
		margin = life / 4;
		fuzzmax = margin;
	}
	if (!initiator)
		return life - margin / 2;
	uint32_t r = 0;
	if (!crypt_random(&r, sizeof(r)))
		r = 0;		/* no jitter then; the margin still holds */
	unsigned fuzz = fuzzmax ? (unsigned)(r % (fuzzmax + 1)) : 0;
	return life - margin - fuzz;
}

static void child_life_cb(void *arg);
static void ike_life_cb(void *arg);
static void dpd_cb(void *arg);
static void revive_cb(void *arg);

/* each timer here has one callback and one argument */
static void arm_child(struct child_sa *child, uint64_t ms)
{
	timer_schedule(&child->life_timer, child->ike->pluto, child_life_cb, child, ms);
	ike_dbg(child->ike, "timer: Child SA #%u lifetime event in %llu ms (rekey after %u s, lifetime %u s)",
		child->serial, (unsigned long long)ms, child->rekey_s, child->life_s);
}

static void arm_ike(struct ike_sa *ike, uint64_t ms)
{
	timer_schedule(&ike->life_timer, ike->pluto, ike_life_cb, ike, ms);
	ike_dbg(ike, "timer: IKE SA lifetime event in %llu ms (rekey after %u s, lifetime %u s)",
		(unsigned long long)ms, ike->rekey_s, ike->life_s);
}

static uint64_t remaining_ms(struct pluto *p, uint64_t since_ms, unsigned secs)
{
	uint64_t due = since_ms + (uint64_t)secs * 1000, now = pluto_now_ms(p);
	return due > now ? due - now : 0;
}

/* --- Child SAs -------------------------------------------------------------------------- */

void lifetime_child_plan(struct ike_sa *ike, struct child_sa *child, bool initiator)
{
	const struct conf_conn *cc = &child->c->conf;
	child->life_s = cc->salifetime_s;
	child->rekey_s = cc->rekey ? lifetime_rekey_after(cc, child->life_s, initiator) : 0;
}

static void child_life_cb(void *arg)
{
	struct child_sa *child = arg;
	struct ike_sa *ike = child->ike;
	struct pluto *p = ike->pluto;
	if (child->state == CHILD_REKEYED && !ike_sa_dead(ike)) {
		/* replaced, and the peer never sent the Delete it owed (RFC 7296 2.8) */
		ike_log(ike, "Child SA #%u: replaced %u s ago and never deleted by the peer; removing it",
			child->serial, LIFE_RETIRE_S);
		child_sa_free(ike, child);
		log_flush(p);
		return;
	}
	if (child->state != CHILD_ESTABLISHED || ike_sa_dead(ike))
		return;
	uint64_t left = remaining_ms(p, child->installed_ms, child->life_s);
	if (left > 0 && child->rekey_s > 0) {
		if (ike->state == IKE_ESTABLISHED && create_child_sa_initiate(ike, NULL, child)) {
			ike_log(ike, "Child SA #%u: rekeying (lifetime %u s)", child->serial, child->life_s);
		} else if (left > LIFE_REKEY_RETRY_S * 1000u) {
			arm_child(child, LIFE_REKEY_RETRY_S * 1000u);
			return;
		}
		arm_child(child, left);	/* then expiry, unless the rekey replaced it */
		log_flush(p);
		return;
	}
	ike_log(ike, "Child SA #%u expired (lifetime %u s); deleting it", child->serial, child->life_s);
	child_sa_delete_request(ike, child);
	ike_sa_free_all(p);
	log_flush(p);
}

void lifetime_child_start(struct ike_sa *ike, struct child_sa *child)
{
	child->ike = ike;
	child->installed_ms = pluto_now_ms(ike->pluto);
	arm_child(child, (uint64_t)(child->rekey_s ? child->rekey_s : child->life_s) * 1000);
}

/* A replaced Child SA (installed, so started) waits for the peer's Delete,
 * LIFE_RETIRE_S at most */
void lifetime_child_retire(struct child_sa *child)
{
	arm_child(child, LIFE_RETIRE_S * 1000u);
}

void lifetime_child_stop(struct child_sa *child)
{
	timer_cancel(&child->life_timer);
}

/* The kernel says an SA reached its soft (rekey) or hard (gone) limit: time, bytes
 * or packets (XFRMNLGRP_EXPIRE).  spi is the SA's, inbound or outbound. */
void lifetime_kernel_expired(struct pluto *p, const uint8_t spi[4], bool hard)
{
	struct child_sa *child = child_sa_find(p, spi);
	struct ike_sa *ike = child != NULL ? child->ike : NULL;
	if (ike != NULL && !ike_sa_dead(ike) && child->state == CHILD_ESTABLISHED) {
		if (hard) {
			/* the kernel dropped this SA; the other direction and the policies
			 * are ours to remove, at once, and the peer is told */
			ike_log(ike, "Child SA #%u: the kernel's hard limit is reached; deleting it", child->serial);
			child_sa_uninstall(ike, child);
			child->state = CHILD_REKEYED;
			lifetime_child_retire(child);
			child_sa_delete_request(ike, child);
		} else if (child->rekey_s > 0 && ike->state == IKE_ESTABLISHED &&
			   create_child_sa_initiate(ike, NULL, child)) {
			ike_log(ike, "Child SA #%u: the kernel's soft limit is reached; rekeying", child->serial);
		}
	}
	ike_sa_free_all(p);
	log_flush(p);
}

/* --- IKE SAs ----------------------------------------------------------------------------- */

static void ike_life_cb(void *arg)
{
	struct ike_sa *ike = arg;
	struct pluto *p = ike->pluto;
	if (ike_sa_dead(ike) || ike->state != IKE_ESTABLISHED)
		return;
	uint64_t left = remaining_ms(p, ike->established_ms, ike->life_s);
	if (left > 0 && ike->rekey_s > 0) {
		if (ike->c->conf.reauth) {
			/* Libreswan reauth=yes: a whole new IKE SA; uniqueids retires
			 * this one once the new one is authenticated */
			ike_log(ike, "IKE SA lifetime: reauthenticating with a new IKE SA (reauth=yes)");
			ikev2_initiate(p, ike->c, NULL);
		} else if (create_child_sa_rekey_ike(ike)) {
			ike_log(ike, "IKE SA lifetime: rekeying (ikelifetime %u s)", ike->life_s);
		} else if (left > LIFE_REKEY_RETRY_S * 1000u) {
			arm_ike(ike, LIFE_REKEY_RETRY_S * 1000u);
			return;
		}
		arm_ike(ike, left);
		log_flush(p);
		return;
	}
	ike_log(ike, "IKE SA expired (ikelifetime %u s)", ike->life_s);
	ikev2_delete_ike(ike);
	ike_sa_free_all(p);
	log_flush(p);
}

/* RFC 7296 2.4: when nothing was heard for dpddelay, an empty INFORMATIONAL; when
 * nothing for dpdtimeout, the peer is dead */
static void dpd_cb(void *arg)
{
	struct ike_sa *ike = arg;
	struct pluto *p = ike->pluto;
	const struct conf_conn *cc = &ike->c->conf;
	if (ike_sa_dead(ike) || ike->state != IKE_ESTABLISHED)
		return;
	uint64_t quiet = pluto_now_ms(p) - ike->last_heard_ms;
	ike_dbg(ike, "timer: liveness check: the peer was last heard %llu ms ago",
		(unsigned long long)quiet);
	if (quiet >= (uint64_t)cc->dpdtimeout_s * 1000) {
		ike_log(ike, "liveness: nothing from the peer for %u s (dpdtimeout); the peer is dead",
			(unsigned)(quiet / 1000));
		ike->peer_dead = true;
		ike_sa_delete(ike, "dead peer");
		ike_sa_free_all(p);
		log_flush(p);
		return;
	}
	if (quiet >= (uint64_t)cc->dpddelay_s * 1000 && !ike->req_pending) {
		uint8_t storage[16];
		struct ike_buf inner;
		codec_buf_init(&inner, storage, sizeof(storage));
		ike_log(ike, "liveness: nothing heard for %u s; sending an empty INFORMATIONAL", (unsigned)(quiet / 1000));
		send_request(ike, INFORMATIONAL, &inner);
	}
	timer_schedule(&ike->dpd_timer, p, dpd_cb, ike, (uint64_t)cc->dpddelay_s * 1000);
	log_flush(p);
}

void lifetime_ike_start(struct ike_sa *ike)
{
	struct pluto *p = ike->pluto;
	const struct conf_conn *cc = &ike->c->conf;
	ike->established_ms = ike->last_heard_ms = pluto_now_ms(p);
	ike->life_s = cc->ikelifetime_s;
	ike->rekey_s = cc->rekey ? lifetime_rekey_after(cc, ike->life_s, ike->initiator) : 0;
	arm_ike(ike, (uint64_t)(ike->rekey_s ? ike->rekey_s : ike->life_s) * 1000);
	if (cc->dpddelay_s > 0) {
		timer_schedule(&ike->dpd_timer, p, dpd_cb, ike, (uint64_t)cc->dpddelay_s * 1000);
		ike_dbg(ike, "timer: liveness check in %u s (dpddelay=, dpdtimeout=%u s)",
			cc->dpddelay_s, cc->dpdtimeout_s);
	}
	/* up again: no revival pending (the peer may have brought it back) */
	ike->c->revive_tries = 0;
	ike->c->revive_at_ms = 0;
	timer_cancel(&ike->c->revive_timer);
}

void lifetime_ike_stop(struct ike_sa *ike)
{
	timer_cancel(&ike->life_timer);
	timer_cancel(&ike->dpd_timer);
}

/* A rekey was refused (TEMPORARY_FAILURE, RFC 7296 2.25: wait, then retry) or
 * failed: its timer tries again in a while, if the SA lives that long */
void lifetime_rekey_later(struct ike_sa *ike, struct child_sa *child)
{
	uint32_t r = 0;
	if (!crypt_random(&r, sizeof(r)))
		r = 0;
	uint64_t wait = (LIFE_REKEY_RETRY_S + r % LIFE_REKEY_RETRY_S) * 1000u;
	struct pluto *p = ike->pluto;
	uint64_t left = child != NULL ? remaining_ms(p, child->installed_ms, child->life_s) :
					remaining_ms(p, ike->established_ms, ike->life_s);
	if (left <= wait || (child == NULL ? ike->rekey_s : child->rekey_s) == 0)
		return;
	if (child != NULL)
		arm_child(child, wait);
	else
		arm_ike(ike, wait);
}

/* --- revival -------------------------------------------------------------------------- */

static void revive_cb(void *arg)
{
	struct connection *c = arg;
	struct pluto *p = c->pluto;
	c->revive_at_ms = 0;
	conn_log(p, c, "reviving the connection (attempt %u)", c->revive_tries);
	/* a failed start may have scheduled the next attempt already (lifetime_ike_gone) */
	if (ikev2_initiate(p, c, NULL) == NULL && !timer_is_pending(&c->revive_timer))
		lifetime_revive(c);
	ike_sa_free_all(p);
	log_flush(p);
}

void lifetime_revive(struct connection *c)
{
	struct pluto *p = c->pluto;
	unsigned delay = LIFE_REVIVE_FIRST_S;
	for (unsigned i = 0; i < c->revive_tries && delay < LIFE_REVIVE_MAX_S; i++)
		delay *= 2;
	if (delay > LIFE_REVIVE_MAX_S)
		delay = LIFE_REVIVE_MAX_S;
	c->revive_tries++;
	timer_schedule(&c->revive_timer, p, revive_cb, c, (uint64_t)delay * 1000);
	c->revive_at_ms = pluto_now_ms(p) + (uint64_t)delay * 1000;
	conn_log(p, c, "will revive in %u s (auto=start%s)", delay,
		 c->conf.dpdaction == CONF_DPD_RESTART ? ", dpdaction=restart" : "");
}

/* An IKE SA is going.  Its connection comes back when it should stay up (auto=start,
 * or dpdaction=restart after a dead peer), was not taken down on purpose, and has no
 * other IKE SA (a rekey's successor, a reauthentication). */
void lifetime_ike_gone(struct ike_sa *ike)
{
	struct pluto *p = ike->pluto;
	struct connection *c = ike->c;
	if (c == NULL || p->shutting_down || c->down || ike->bench)
		return;
	bool keep = c->conf.autostart == CONF_AUTO_START ||
		    (ike->peer_dead && c->conf.dpdaction == CONF_DPD_RESTART);
	if (!keep || timer_is_pending(&c->revive_timer))
		return;
	if (c->nike > 0)
		return;		/* another IKE SA of the connection lives on */
	lifetime_revive(c);
}

void lifetime_conn_stop(struct connection *c)
{
	timer_cancel(&c->revive_timer);
	timer_cancel(&c->up_timer);
	c->revive_at_ms = 0;
}
