/* connections.c -- connections from ipsec.conf, oriented so that "local" is this
 * host (Libreswan: whichever of left/right is one of our addresses), and secrets. */
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include "pluto.h"
#include "auth.h"
#include "child_sa.h"

static void conf_err(void *ctx, const char *file, int line, const char *reason)
{
	struct whack_client *w = ((void **)ctx)[1];
	struct pluto *p = ((void **)ctx)[0];
	plog(p, "%s:%d: %s", file, line, reason);
	if (w != NULL)
		whack_printf(w, "%s:%d: %s", file, line, reason);
}

static bool is_local_addr(const struct ip_addr *a)
{
	struct ifaddrs *ifs, *i;
	bool found = false;
	if (a->version == 0 || getifaddrs(&ifs) != 0)
		return false;
	for (i = ifs; i != NULL && !found; i = i->ifa_next) {
		struct ip_addr x;
		uint16_t port;
		if (i->ifa_addr != NULL && ip_from_sockaddr(i->ifa_addr, &x, &port))
			found = ip_eq(&x, a);
	}
	freeifaddrs(ifs);
	return found;
}

static bool orient(struct connection *c)
{
	if (is_local_addr(&c->conf.left.addr)) {
		c->local = &c->conf.left;
		c->remote = &c->conf.right;
	} else if (is_local_addr(&c->conf.right.addr)) {
		c->local = &c->conf.right;
		c->remote = &c->conf.left;
	} else {
		return false;
	}
	return true;
}

struct connection *connection_find(struct pluto *p, const char *name)
{
	for (struct connection *c = p->conns; c != NULL; c = c->next) {
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

/* A responder's connection for a new IKE_SA_INIT: ours matches the local address,
 * and the peer is the configured remote (or the remote is %any). */
struct connection *connection_for_peer(struct pluto *p, const struct ip_addr *local,
				       const struct ip_addr *remote)
{
	struct connection *wild = NULL;
	for (struct connection *c = p->conns; c != NULL; c = c->next) {
		if (!ip_eq(&c->local->addr, local) && local->version != 0)
			continue;
		if (ip_eq(&c->remote->addr, remote))
			return c;
		if (c->remote->any && wild == NULL)
			wild = c;
	}
	return wild;
}

static bool proposal_has_addke(const struct proposal_list *l)
{
	for (unsigned i = 0; i < l->n; i++) {
		for (unsigned t = IKE_TRANS_ADDKE1; t <= IKE_TRANS_ADDKE7; t++) {
			uint16_t m;
			if (proposal_get(&l->prop[i], t, &m, NULL))
				return true;
		}
	}
	return false;
}

static struct connection *connection_from_conf(struct pluto *p, const struct conf_conn *cc,
					       struct whack_client *w)
{
	struct connection *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->conf = *cc;
	c->pluto = p;
	snprintf(c->name, sizeof(c->name), "%s", cc->name);
	char err[256];
	if (!orient(c)) {
		plog(p, "\"%s\": neither left= nor right= is an address of this host", c->name);
		if (w != NULL)
			whack_printf(w, "\"%s\": neither left= nor right= is an address of this host", c->name);
		free(c);
		return NULL;
	}
	if (!proposal_parse(PROPOSAL_IKE, cc->ike, &c->ike, err, sizeof(err)) ||
	    !proposal_parse(PROPOSAL_ESP, cc->esp, &c->esp, err, sizeof(err)) ||
	    !auth_load_conn(c, err, sizeof(err))) {
		plog(p, "\"%s\": %s", c->name, err);
		if (w != NULL)
			whack_printf(w, "\"%s\": %s", c->name, err);
		free(c);
		return NULL;
	}
	/* esn= (Libreswan): extended sequence numbers offered and accepted */
	proposal_set_esn(&c->esp, cc->esn != CONF_ESN_NO, cc->esn != CONF_ESN_YES);
	/* Libreswan: any addkeN= implies intermediate=yes (RFC 9370 2.2.2 needs it) */
	c->intermediate = cc->intermediate || proposal_has_addke(&c->ike);
	/* its own reqid, so that its Child SAs are not confused with another
	 * connection's to the same peer (kernel_xfrm.c); reqid= (Libreswan: 1..16383,
	 * below our range) when the admin chose one */
	c->reqid = cc->reqid != 0 ? cc->reqid : PLUTO_REQID_BASE + (++p->next_reqid & PLUTO_REQID_SPAN);
	c->debug = cc->debug;	/* debug=; whack --name --debug changes it */
	return c;
}

void connections_debug_update(struct pluto *p)
{
	p->conn_debug_any = 0;
	for (const struct connection *c = p->conns; c != NULL; c = c->next)
		p->conn_debug_any |= c->debug;
}

/* One conn of a loaded file: its messages (file:line: reason, warnings too) go to the
 * log and to whack; a conn that does not load ends with '"NAME": not loaded'. */
bool connections_add_conf(struct pluto *p, const struct conf_file *cf, const struct conf_conn *cc,
			  struct whack_client *w)
{
	void *ctx[2] = { p, w };
	conf_messages(cf, cc, conf_err, ctx);
	struct connection *c = NULL;
	if (!cc->error) {
		connections_delete(p, cc->name);
		c = connection_from_conf(p, cc, w);
	}
	if (c == NULL) {
		plog(p, "\"%s\": not loaded", cc->name);
		if (w != NULL)
			whack_printf(w, "\"%s\": not loaded", cc->name);
		return false;
	}
	c->next = p->conns;
	p->conns = c;
	conn_log(p, c, "added IKEv2 connection%s", c->intermediate ? " (intermediate=yes)" : "");
	connections_debug_update(p);
	if (c->debug != 0) {
		char d[96];
		conn_log(p, c, "debug=%s: debug lines for its SAs", dbg_str(c->debug, d, sizeof(d)));
	}
	if (w != NULL)
		whack_printf(w, "\"%s\": added IKEv2 connection", c->name);
	return true;
}

/* whack --add NAME: (re)reads the config file and loads the conn NAME, or each
 * "NAME/LxR" of a leftsubnets= template */
bool connections_load(struct pluto *p, const char *name, struct whack_client *w)
{
	struct conf_file cf;
	if (!conf_load(p->config, &cf, NULL, NULL)) {
		plog(p, "cannot read %s", p->config);
		if (w != NULL)
			whack_printf(w, "cannot read %s", p->config);
		return false;
	}
	const struct conf_conn **all = calloc(CONF_MAX_CONNS, sizeof(*all));
	size_t n = all != NULL ? conf_find_all(&cf, name, all, CONF_MAX_CONNS) : 0;
	bool ok = n > 0;
	if (n == 0 && w != NULL)
		whack_printf(w, "conn '%s' not found in %s", name, p->config);
	for (size_t i = 0; i < n; i++)
		ok &= connections_add_conf(p, &cf, all[i], w);
	free(all);
	conf_free(&cf);
	return ok;
}

/* the configuration of a conn as read, without where it was read from */
static bool conf_same(const struct conf_conn *a, const struct conf_conn *b)
{
	struct conf_conn *x = calloc(2, sizeof(*x));
	if (x == NULL)
		return false;
	memcpy(&x[0], a, sizeof(*a));
	memcpy(&x[1], b, sizeof(*b));
	for (int i = 0; i < 2; i++) {
		x[i].file = NULL;
		x[i].line = 0;
	}
	bool same = memcmp(&x[0], &x[1], sizeof(*x)) == 0;
	free(x);
	return same;
}

/* whack --rereadall (ipsec.service's ExecReload): the secrets file again, then the
 * config file: each conn already loaded or with auto=add|start is added again when
 * its configuration changed (its SAs go with the old one) and left alone, SAs and
 * all, when it did not; a loaded conn no longer in the file stays until --delete.
 * Libreswan's --rereadall rereads secrets and certificates; re-adding conns is what
 * its `ipsec auto --rereadall` plus `addconn --autoall` amount to. */
bool connections_reload(struct pluto *p, struct whack_client *w)
{
	bool ok = secrets_load(p);
	whack_printf(w, ok ? "reread secrets from %s" : "cannot read secrets file %s", p->secretsfile);
	struct conf_file cf;
	if (!conf_load(p->config, &cf, NULL, NULL)) {
		plog(p, "cannot read %s", p->config);
		whack_printf(w, "cannot read %s", p->config);
		return false;
	}
	unsigned added = 0, kept = 0;
	for (size_t i = 0; i < cf.nconns; i++) {
		const struct conf_conn *cc = &cf.conns[i];
		struct connection *c = connection_find(p, cc->name);
		if (c == NULL && cc->autostart == CONF_AUTO_IGNORE)
			continue;
		if (c != NULL && !cc->error && conf_same(&c->conf, cc)) {
			kept++;
			continue;
		}
		if (!connections_add_conf(p, &cf, cc, w)) {
			ok = false;
			continue;
		}
		added++;
		c = connection_find(p, cc->name);
		if (cc->autostart == CONF_AUTO_START && c != NULL && ikev2_initiate(p, c, NULL) == NULL)
			lifetime_revive(c);
	}
	plog(p, "reread %s: %u conn(s) added, %u unchanged", p->config, added, kept);
	whack_printf(w, "reread %s: %u conn(s) added, %u unchanged", p->config, added, kept);
	conf_free(&cf);
	return ok;
}

static bool delete_one(struct pluto *p, const char *name);

/* whack --delete NAME: the conn NAME, or every "NAME/LxR" of a subnets template */
bool connections_delete(struct pluto *p, const char *name)
{
	if (delete_one(p, name))
		return true;
	bool any = false;
	for (struct connection *c = p->conns, *next; c != NULL; c = next) {
		next = c->next;
		if (strcmp(c->conf.alias, name) == 0) {
			char n[CONF_NAME_MAX];
			snprintf(n, sizeof(n), "%s", c->name);
			any |= delete_one(p, n);
			next = p->conns;	/* the list changed */
		}
	}
	return any;
}

static bool delete_one(struct pluto *p, const char *name)
{
	for (struct connection **pp = &p->conns; *pp != NULL; pp = &(*pp)->next) {
		struct connection *c = *pp;
		if (strcmp(c->name, name) != 0)
			continue;
		for (struct ike_sa *s = p->sas, *next; s != NULL; s = next) {
			next = s->next;
			if (s->c == c)
				ike_sa_delete(s, "connection deleted");
		}
		for (struct ike_sa *s = p->dead; s != NULL; s = s->next) {
			if (s->c == c)
				s->c = NULL;
		}
		/* its Child SAs on other connections' IKE SAs (CREATE_CHILD_SA) go too,
		 * the peer told, before the connection they point at is freed */
		for (struct ike_sa *s = p->sas; s != NULL; s = s->next) {
			create_child_sa_forget_conn(s, c);
			for (struct child_sa *ch = s->children, *nx; ch != NULL; ch = nx) {
				nx = ch->next;
				if (ch->c != c)
					continue;
				if (ch->state == CHILD_ESTABLISHED && s->state == IKE_ESTABLISHED)
					child_sa_send_delete(s, ch, false, "connection deleted");
				child_sa_free(s, ch);
			}
		}
		*pp = c->next;
		conn_log(p, c, "deleting connection");
		/* every Child SA of it is gone, and with them its tunnels */
		child_tunnels_free(c);
		lifetime_conn_stop(c);
		auth_free_conn(c);
		free(c);
		connections_debug_update(p);
		return true;
	}
	return false;
}

bool secrets_load(struct pluto *p)
{
	struct conf_secrets s;
	void *ctx[2] = { p, NULL };
	if (!conf_secrets_load(p->secretsfile, &s, conf_err, ctx)) {
		plog(p, "cannot read secrets file %s", p->secretsfile);
		return false;
	}
	conf_secrets_free(&p->secrets);
	p->secrets = s;
	plog(p, "loaded %zu secret(s) from %s", s.n, p->secretsfile);
	return true;
}
