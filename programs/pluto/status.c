/* status.c -- whack --status and --trafficstatus, in Libreswan's shape:
 *   #1: "west-east":500 STATE_V2_ESTABLISHED_IKE_SA (established IKE SA); ...
 * with Interlude's additions: algorithms, IKE_INTERMEDIATE rounds, fragmentation, PPK. */
#include "status.h"
#include "helper.h"
#include "auth.h"

/* Libreswan's spelling: VALUE/MASK, -1/MASK for a mark per tunnel */
static const char *mark_str(const struct conf_mark *m, char buf[IP_STR_MAX])
{
	if (m->unique)
		snprintf(buf, IP_STR_MAX, "-1/%#x", m->mask);
	else
		snprintf(buf, IP_STR_MAX, "%u/%#x", m->value, m->mask);
	return buf;
}

static void show_conn(struct pluto *p, struct whack_client *w, const struct connection *c)
{
	char l[IP_STR_MAX], r[IP_STR_MAX], li[300], ri[300], ls[IP_STR_MAX], rs[IP_STR_MAX];
	static const char *const frag[] = { "yes", "no", "force" };
	static const char *const ppk[] = { "no", "propose", "insist" };
	whack_printf(w, "\"%s\": %s[%s]%s...%s[%s]%s; ike=%s; esp=%s; intermediate=%s; fragmentation=%s; ppk=%s",
		     c->name, ip_subnet_str(&c->local->subnet, ls), ike_id_str(&c->local->id, li, sizeof(li)),
		     ip_str(&c->local->addr, l), ip_str(&c->remote->addr, r),
		     ike_id_str(&c->remote->id, ri, sizeof(ri)), ip_subnet_str(&c->remote->subnet, rs),
		     c->conf.ike[0] ? c->conf.ike : "default", c->conf.esp[0] ? c->conf.esp : "default",
		     c->intermediate ? "yes" : "no", frag[c->conf.fragmentation], ppk[c->conf.ppk]);
	/* the updown script, leftsourceip= and the marks, as configured */
	char src[IP_STR_MAX + 16] = "", min[48] = "", mout[48] = "";
	if (c->local->sourceip.version != 0)
		snprintf(src, sizeof(src), "; sourceip=%s", ip_str(&c->local->sourceip, l));
	if (c->conf.mark_in.set)
		snprintf(min, sizeof(min), "; mark-in=%s", mark_str(&c->conf.mark_in, r));
	if (c->conf.mark_out.set)
		snprintf(mout, sizeof(mout), "; mark-out=%s", mark_str(&c->conf.mark_out, r));
	whack_printf(w, "\"%s\": updown=%s%s%s%s", c->name, c->local->updown[0] ? c->local->updown : CONF_UPDOWN_DISABLED,
		     src, min, mout);
	uint64_t now = pluto_now_ms(p);
	char d[96];
	static const char *const sendca[] = { "none", "issuer", "all" };
	whack_printf(w, "\"%s\": narrowing=%s; sendca=%s; debug=%s", c->name, c->conf.narrowing ? "yes" : "no",
		     sendca[c->conf.sendca], dbg_str(c->debug, d, sizeof(d)));
	if (c->revive_at_ms > 0)
		whack_printf(w, "\"%s\": revival attempt %u in %us", c->name, c->revive_tries,
			     (unsigned)(c->revive_at_ms > now ? (c->revive_at_ms - now + 999) / 1000 : 0));
}

/* Libreswan: "REKEY in Ns; REPLACE in Ns" */
static const char *timers(char *buf, size_t len, uint64_t now, uint64_t since_ms, unsigned rekey_s,
			  unsigned life_s)
{
	uint64_t age = now > since_ms ? (now - since_ms) / 1000 : 0;
	int n = 0;
	buf[0] = '\0';
	if (rekey_s > 0 && age < rekey_s)
		n = snprintf(buf, len, "; REKEY in %us", (unsigned)(rekey_s - age));
	if (life_s > 0 && age < life_s && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "; REPLACE in %us", (unsigned)(life_s - age));
	return buf;
}

static void show_child(struct whack_client *w, const struct ike_sa *ike, const struct child_sa *ch)
{
	char tbuf[64];
	char prop[160];
	const char *name = ike->c != NULL ? ike->c->name : "";
	if (ch->c != NULL)
		name = ch->c->name;
	switch (ch->state) {
	case CHILD_LARVAL:
		whack_printf(w, "#%u: \"%s\" Child SA negotiating; IKE SA #%u", ch->serial, name, ike->serial);
		return;
	case CHILD_FAILED:
		whack_printf(w, "#%u: \"%s\" Child SA failed: %s", ch->serial, name, ch->kernel_note);
		return;
	case CHILD_REKEYED:
	case CHILD_ESTABLISHED:
		break;
	}
	whack_printf(w, "#%u: \"%s\":%u %s; IKE SA #%u; generation %u%s; "
		     "ESP %s; SPIs in %02x%02x%02x%02x out %02x%02x%02x%02x; %s", ch->serial, name, ike->rport,
		     ch->state == CHILD_ESTABLISHED ? "STATE_V2_ESTABLISHED_CHILD_SA (established Child SA)" :
		     "STATE_V2_REKEYED_CHILD_SA (replaced, deleting)", ike->serial, ch->generation,
		     ch->state == CHILD_ESTABLISHED ?
		     timers(tbuf, sizeof(tbuf), pluto_now_ms(ike->pluto), ch->installed_ms, ch->rekey_s, ch->life_s) : "",
		     proposal_str(&ch->proposal, prop, sizeof(prop)),
		     ch->spi_local[0], ch->spi_local[1], ch->spi_local[2], ch->spi_local[3],
		     ch->spi_remote[0], ch->spi_remote[1], ch->spi_remote[2], ch->spi_remote[3], ch->kernel_note);
}

static void show_ike(struct whack_client *w, const struct ike_sa *ike)
{
	char r[IP_STR_MAX], prop[160];
	const char *name = ike->c != NULL ? ike->c->name : "";
	bool est = ike->state == IKE_ESTABLISHED;
	char tbuf[64];
	whack_printf(w, "#%u: \"%s\":%u %s (%s); %s; peer %s:%u; generation %u%s", ike->serial, name, ike->rport,
		     ike_state_name(ike->state), est ? "established IKE SA" : "negotiating",
		     ike->initiator ? "initiator" : "responder", ip_str(&ike->remote, r), ike->rport, ike->generation,
		     est ? timers(tbuf, sizeof(tbuf), pluto_now_ms(ike->pluto), ike->established_ms, ike->rekey_s,
				   ike->life_s) : "");
	if (ike->keys_ready)
		whack_printf(w, "#%u: \"%s\" algorithms: %s", ike->serial, name,
			     proposal_str(&ike->proposal, prop, sizeof(prop)));
	char kes[256];
	int n = snprintf(kes, sizeof(kes), "IKE_SA_INIT %s", ike_ke_name(ike->ke_method));
	for (unsigned i = 0; i < ike->n_addke && n > 0 && (size_t)n < sizeof(kes); i++)
		n += snprintf(kes + n, sizeof(kes) - (size_t)n, ", round %u %s%s", i + 1,
			      ike_ke_name(ike->addke[i]), i < ike->int_rounds ? "" : " (pending)");
	if (ike->intermediate)
		whack_printf(w, "#%u: \"%s\" intermediate: %u round(s); key exchanges: %s", ike->serial, name,
			     ike->int_rounds, kes);
	else
		whack_printf(w, "#%u: \"%s\" intermediate: no; key exchanges: %s", ike->serial, name, kes);
	whack_printf(w, "#%u: \"%s\" fragmentation: %s; fragments sent %u, received %u", ike->serial, name,
		     ike->frag_negotiated ? "negotiated" : "not negotiated", ike->frags_sent,
		     ike->frags_received);
	/* RFC 8784: once IKE_AUTH has settled it */
	char ppk[PPK_NOTE_MAX];
	if (ike->authenticated)
		whack_printf(w, "#%u: \"%s\" PPK: %s", ike->serial, name, ppk_note(ike, true, ppk, sizeof(ppk)));
	if (ike->job != NULL)
		whack_printf(w, "#%u: \"%s\" waiting for a crypto helper: %s", ike->serial, name, ike->job->what);
	if (ike->nat_detected)
		whack_printf(w, "#%u: \"%s\" NAT-T: %s; IKE on port %u, ESP in UDP", ike->serial, name,
			     ike->nat_local ? "we are behind a NAT" :
			     ike->c != NULL && ike->c->conf.encapsulation == CONF_ENCAPS_YES ? "encapsulation=yes" :
			     "the peer is behind a NAT", ike->lport);
}

void status_show(struct pluto *p, struct whack_client *w, bool traffic_only)
{
	if (!traffic_only) {
		whack_printf(w, "interlude pluto: %u IKE SA(s), %u half-open; kernel interface %s; "
			     "half-open SAs hold %zu KiB, unauthenticated fragments %zu KiB; "
			     "IKE SA table %u buckets", p->nsas,
			     p->nhalf_open, p->kernel != NULL ? p->kernel->name : "none",
			     p->half_open_octets / 1024, p->frag_unauth_bytes / 1024,
			     ike_sa_table_buckets(p));
		if (helpers_running(p) > 0)
			whack_printf(w, "crypto helpers: %u threads; %u job(s) queued or running, %llu done",
				     helpers_running(p), helpers_inflight(p),
				     (unsigned long long)helpers_jobs_done(p));
		else
			whack_printf(w, "crypto helpers: none (nhelpers=0): cryptography runs in the event loop");
		char d[96];
		/* Libreswan's categories: plutodebug=, pluto --debug, whack --debug */
		whack_printf(w, "debug: %s", dbg_str(p->debug, d, sizeof(d)));
		for (const struct connection *c = p->conns; c != NULL; c = c->next)
			show_conn(p, w, c);
	}
	for (const struct ike_sa *s = p->sas; s != NULL; s = s->next) {
		if (ike_sa_dead(s))
			continue;
		if (!traffic_only)
			show_ike(w, s);
		for (const struct child_sa *ch = s->children; ch != NULL; ch = ch->next)
			if (!traffic_only || ch->state == CHILD_ESTABLISHED)
				show_child(w, s, ch);
	}
}
