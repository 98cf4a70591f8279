/* conn.c -- resolving a conn section (also=, conn %default) and interpreting its keys
 * into struct conf_conn; "config setup" keys into struct conf_setup.
 * What each key means is in the registry (keywords.c); refused keys and bad values
 * are errors of their conn, obsolete ones warnings.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "conf.h"
#include "conf_parse.h"
#include "proposal.h"

/* --- one key through the registry (keywords.c) --- */

/* Is v one of the '|'-separated values of list? */
static bool value_in(const char *list, const char *v)
{
	size_t lv = strlen(v);
	for (const char *p = list; p != NULL && *p; ) {
		size_t l = strcspn(p, "|");
		if (l == lv && strncmp(p, v, l) == 0)
			return true;
		p += l + (p[l] == '|');
	}
	return false;
}

static bool user_key(const char *k)
{
	/* ipsec.conf(5): "x-" (or "X-") keys are for the user, accepted and ignored */
	return (k[0] == 'x' || k[0] == 'X') && k[1] == '-';
}

/* The registry entry of a key: conn or setup keywords, and for conns left/right
 * ones; *side_len is 4 or 5 for an end keyword. */
static const struct conf_keyword *lookup(bool setup, const char *key, size_t *side_len)
{
	*side_len = 0;
	if (setup)
		return conf_keyword_find(CONF_KW_SETUP, key);
	const struct conf_keyword *kw = conf_keyword_find(CONF_KW_CONN, key);
	if (kw != NULL)
		return kw;
	*side_len = strncmp(key, "left", 4) == 0 ? 4 : strncmp(key, "right", 5) == 0 ? 5 : 0;
	return *side_len ? conf_keyword_find(CONF_KW_END, key + *side_len) : NULL;
}

/* Libreswan's aliases (phase2alg -> esp, lifetime -> salifetime): the name that
 * decides which of two spellings in one conn wins */
static void canon_key(const char *k, char *out, size_t n)
{
	size_t side;
	const struct conf_keyword *kw = lookup(false, k, &side);
	if (kw != NULL && kw->alias_of != NULL)
		snprintf(out, n, "%.*s%s", (int)side, k, kw->alias_of);
	else
		snprintf(out, n, "%s", k);
}

enum applied { APPLIED, APPLIED_WARN, REFUSED };

/* One key=value of a conn (c) or of config setup (s): the registry says what to do. */
static enum applied apply_key(struct conf_conn *c, struct conf_setup *s, const char *key,
			      const char *v, char *why, size_t n)
{
	size_t side;
	if (user_key(key))
		return APPLIED;
	const struct conf_keyword *kw = lookup(s != NULL, key, &side);
	if (kw == NULL) {
		snprintf(why, n, "unknown keyword '%s'%s", key, s != NULL ? " in config setup" : "");
		return REFUSED;
	}
	enum applied warn = APPLIED;
	if (kw->alias_of != NULL) {
		const struct conf_keyword *to = conf_keyword_find(kw->section, kw->alias_of);
		if (kw->status == CONF_KW_OBSOLETE) {
			snprintf(why, n, "%s= is %s", key, kw->why);
			warn = APPLIED_WARN;
		}
		kw = to;
	}
	switch (kw->status) {
	case CONF_KW_IMPLEMENTED:
		break;
	case CONF_KW_OBSOLETE:
		snprintf(why, n, "%s=%s: obsolete keyword, ignored (%s)", key, v, kw->why);
		return APPLIED_WARN;
	case CONF_KW_IKEV1:
	case CONF_KW_NOT_YET:
		if (value_in(kw->same, v))
			return warn;
		snprintf(why, n, "%s=%s: not supported%s: %s", key, v,
			 kw->status == CONF_KW_IKEV1 ? "" : " yet",
			 kw->status == CONF_KW_IKEV1 ? "Interlude is IKEv2-only" : kw->why);
		if (kw->status == CONF_KW_IKEV1 && kw->why != NULL)
			snprintf(why + strlen(why), n - strlen(why), " (%s)", kw->why);
		return REFUSED;
	}
	char w2[CONF_VALUE_MAX + 256];
	bool ok = s != NULL ? kw->setup(s, key, v, w2, sizeof(w2)) :
		  kw->conn != NULL ? kw->conn(c, key, v, w2, sizeof(w2)) :
		  kw->end(key[0] == 'l' ? &c->left : &c->right, key, v, w2, sizeof(w2));
	if (!ok) {
		snprintf(why, n, "%s", w2);
		return REFUSED;
	}
	return warn;
}

/* A key's warning or error, at its file and line; false when it was refused */
static bool report_key(struct conf_parser *p, const struct conf_kv *kv, enum applied r, const char *why)
{
	if (r == APPLIED_WARN)
		conf_warn(p, kv->file, kv->line, "%s", why);
	else if (r == REFUSED)
		conf_report(p, kv->file, kv->line, "%s", why);
	return r != REFUSED;
}

/* --- resolution: own keys, then also= (in order), then earlier %default sections --- */

struct resolved {
	size_t n;
	const struct conf_kv *kv[128];
	bool overflow;
};

/* A key not set yet is added; one set before by the same section (from base on) is
 * replaced, so the last of a key repeated in one section wins and the keys keep
 * their order in the file (errors come in line order). */
static void set_key(struct resolved *r, size_t base, const struct conf_kv *kv)
{
	char a[CONF_NAME_MAX * 2], b[CONF_NAME_MAX * 2];
	canon_key(kv->key, b, sizeof(b));
	for (size_t i = 0; i < r->n; i++) {
		canon_key(r->kv[i]->key, a, sizeof(a));
		if (strcmp(a, b) == 0) {
			if (i >= base)
				r->kv[i] = kv;
			return;
		}
	}
	if (r->n == sizeof(r->kv) / sizeof(r->kv[0])) {
		r->overflow = true;
		return;
	}
	r->kv[r->n++] = kv;
}

struct resolve_ctx {
	struct conf_parser *p;
	struct conf_conn *conn;
	struct resolved r;
	const struct conf_section *stack[CONF_MAX_ALSO_DEPTH + 1];
	int depth;
};

static const struct conf_section *find_conn_section(const struct conf_parser *p, const char *name)
{
	for (size_t i = 0; i < p->nsec; i++)
		if (p->sec[i].kind == CONF_SEC_CONN && strcmp(p->sec[i].name, name) == 0 &&
		    strcmp(name, "%default") != 0)
			return &p->sec[i];
	return NULL;
}

static void apply_section(struct resolve_ctx *x, const struct conf_section *s);

static void follow_also(struct resolve_ctx *x, const struct conf_kv *kv, const char *name)
{
	const struct conf_section *t = find_conn_section(x->p, name);
	const char *why = NULL;
	if (t == NULL)
		why = "no such conn";
	for (int i = 0; t != NULL && why == NULL && i <= x->depth; i++)
		if (x->stack[i] == t)
			why = "loop";
	if (why == NULL && x->depth >= CONF_MAX_ALSO_DEPTH)
		why = "nested too deeply";
	if (why != NULL) {
		conf_report(x->p, kv->file, kv->line, "also=%s: %s", name, why);
		x->conn->error = true;
		return;
	}
	if (t->error) {
		x->conn->error = true;
		conf_adopt_messages(x->p, t->name, x->conn->name);
	}
	x->stack[++x->depth] = t;
	apply_section(x, t);
	x->depth--;
}

static void apply_section(struct resolve_ctx *x, const struct conf_section *s)
{
	size_t base = x->r.n;
	for (size_t i = 0; i < s->nkv; i++)
		if (strcmp(s->kv[i].key, "also") != 0)
			set_key(&x->r, base, &s->kv[i]);
	for (size_t i = 0; i < s->nkv; i++) {
		if (strcmp(s->kv[i].key, "also") != 0)
			continue;
		char names[CONF_VALUE_MAX], *save = NULL;
		snprintf(names, sizeof(names), "%s", s->kv[i].value);
		for (char *w = strtok_r(names, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
			follow_also(x, &s->kv[i], w);
	}
}

static void conn_defaults(struct conf_conn *c, const struct conf_section *s)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", s->name);
	c->file = s->file;
	c->line = s->line;
	c->error = s->error;
	c->authby = CONF_AUTH_RSA;	/* Libreswan's default: rsasig */
	c->rsa_sha1 = true;
	c->fragmentation = CONF_FRAG_YES;
	c->fragment_size = CONF_FRAGMENT_SIZE_DEFAULT;
	c->autostart = CONF_AUTO_IGNORE;
	c->retransmit_timeout_ms = 60000;
	c->retransmit_interval_ms = 500;
	c->ikelifetime_s = 28800;
	c->salifetime_s = 28800;
	c->left.any = c->right.any = true;
	c->left.ikeport = c->right.ikeport = 500;
	c->type = CONF_TYPE_TUNNEL;
	c->nat_keepalive = true;
	c->pfs = true;
	c->rekey = true;
	c->rekeymargin_s = CONF_REKEYMARGIN_DEFAULT_S;
	c->rekeyfuzz_pct = CONF_REKEYFUZZ_DEFAULT_PCT;
	c->esn = CONF_ESN_EITHER;
	c->dpdtimeout_s = CONF_DPDTIMEOUT_DEFAULT_S;
	c->dpdaction = CONF_DPD_HOLD;
	c->replay_window = CONF_REPLAY_WINDOW_DEFAULT;
	c->narrowing = false;		/* Libreswan's default: selectors must match */
	c->sendca = CONF_SENDCA_NONE;	/* Libreswan's default */
	snprintf(c->left.updown, sizeof(c->left.updown), "%s", CONF_UPDOWN_DEFAULT);
	snprintf(c->right.updown, sizeof(c->right.updown), "%s", CONF_UPDOWN_DEFAULT);
}

/* Defaults that depend on other keys: the authentication is authby='s, the ID the
 * address (or, with a certificate, its subject: %fromcert), the subnet the host. */
static void end_finish(struct conf_conn *c, struct conf_end *e)
{
	if (e->auth == CONF_AUTH_UNSET)
		e->auth = c->authby;
	if (!e->has_id && e->cert[0] != '\0')
		e->id_fromcert = true;
	if (!e->has_id && !e->id_fromcert)
		ike_id_from_ip(&e->addr, &e->id);
	if (e->subnet.addr.version == 0 && e->addr.version != 0) {
		e->subnet.addr = e->addr;
		e->subnet.prefix = (uint8_t)(ip_len(&e->addr) * 8);
	}
}

/* left=NAME and %defaultroute become addresses when the file is loaded (resolve.c);
 * the family: hostaddrfamily=, else the other end's, else either */
static void resolve_hosts(struct conf_parser *p, struct conf_conn *c)
{
	struct conf_end *ends[2] = { &c->left, &c->right };
	const char *keys[2] = { "left", "right" };
	char why[CONF_VALUE_MAX + 256], nk[32];
	for (int i = 0; i < 2; i++) {
		struct conf_end *e = ends[i], *o = ends[1 - i];
		uint8_t fam = c->hostaddrfamily ? c->hostaddrfamily : o->host == CONF_HOST_ADDR ? o->addr.version : 0;
		bool ok = true;
		snprintf(nk, sizeof(nk), "%snexthop", keys[i]);
		if (e->host != CONF_HOST_ADDR || e->nexthop_defaultroute) {
			if (p->flags & CONF_LOAD_OFFLINE) {
				snprintf(why, sizeof(why), "%s: not looked up (offline)", e->host != CONF_HOST_ADDR ? keys[i] : nk);
				ok = false;
			} else if (e->host != CONF_HOST_ADDR) {
				ok = conf_resolve_host(e, keys[i], fam, why, sizeof(why));
			} else {
				ok = conf_resolve_nexthop(e, nk, fam ? fam : e->addr.version, why, sizeof(why));
			}
		}
		if (!ok) {
			conf_report(p, c->file, c->line, "conn %s: %s", c->name, why);
			c->error = true;
		}
	}
}

/* clientaddrfamily=: every subnet of both ends is of that family */
static void check_client_family(struct conf_parser *p, struct conf_conn *c)
{
	const struct conf_end *ends[2] = { &c->left, &c->right };
	for (int i = 0; i < 2 && c->clientaddrfamily; i++)
		for (unsigned j = 0; j < ends[i]->nsubnets; j++)
			if (ends[i]->subnets[j].addr.version != c->clientaddrfamily) {
				conf_report(p, c->file, c->line, "conn %s: a %s subnet is not IPv%u (clientaddrfamily=)",
					    c->name, i ? "right" : "left", c->clientaddrfamily);
				c->error = true;
				return;
			}
}

static const struct conf_kv *find_key(const struct resolved *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->kv[i]->key, key) == 0 && r->kv[i]->value[0] != '\0')
			return r->kv[i];
	return NULL;
}

static bool in_subnet(const struct ip_addr *a, const struct ip_subnet *sn)
{
	struct ip_addr lo, hi;
	if (a->version != sn->addr.version)
		return false;
	ip_subnet_range(sn, &lo, &hi);
	size_t n = ip_len(a);
	return memcmp(a->b, lo.b, n) >= 0 && memcmp(a->b, hi.b, n) <= 0;
}

/* leftsourceip= (Libreswan): the address must be one of the end's own client
 * addresses, inside leftsubnet= (each of them, with a list) or, without one, the
 * host address itself; reported at the sourceip line */
static void check_sourceip(struct conf_parser *p, struct resolve_ctx *x)
{
	struct conf_conn *c = x->conn;
	const struct conf_end *ends[2] = { &c->left, &c->right };
	for (int i = 0; i < 2; i++) {
		const struct conf_end *e = ends[i];
		const char *side = i ? "right" : "left";
		char k[32], a[IP_STR_MAX], sn[IP_STR_MAX];
		snprintf(k, sizeof(k), "%ssourceip", side);
		const struct conf_kv *kv = find_key(&x->r, k);
		if (kv == NULL || e->sourceip.version == 0)
			continue;
		unsigned n = e->nsubnets ? e->nsubnets : 1;
		for (unsigned j = 0; j < n; j++) {
			const struct ip_subnet *s = e->nsubnets ? &e->subnets[j] : &e->subnet;
			if (s->addr.version == 0) {
				conf_report(p, kv->file, kv->line, "%s=%s: needs %ssubnet= (%s=%%any has no address)",
					    k, kv->value, side, side);
				c->error = true;
				break;
			}
			if (!in_subnet(&e->sourceip, s)) {
				conf_report(p, kv->file, kv->line, "%s=%s: not inside %ssubnet=%s", k,
					    ip_str(&e->sourceip, a), side, ip_subnet_str(s, sn));
				c->error = true;
				break;
			}
		}
	}
}

/* mark= for both directions unless mark-in= / mark-out= says otherwise */
static void resolve_marks(struct conf_conn *c)
{
	if (!c->mark_in.set)
		c->mark_in = c->mark;
	if (!c->mark_out.set)
		c->mark_out = c->mark;
}

static bool has_key(const struct resolved *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->kv[i]->key, key) == 0 && r->kv[i]->value[0] != '\0')
			return true;
	return false;
}

static void interpret_conn(struct conf_parser *p, struct resolve_ctx *x)
{
	struct conf_conn *c = x->conn;
	char why[CONF_VALUE_MAX + 512];
	if (x->r.overflow) {
		conf_report(p, c->file, c->line, "conn %s: too many keys", c->name);
		c->error = true;
	}
	for (size_t i = 0; i < x->r.n; i++) {
		const struct conf_kv *kv = x->r.kv[i];
		if (kv->value[0] == '\0')
			continue;	/* key= (empty): back to the default */
		if (!report_key(p, kv, apply_key(c, NULL, kv->key, kv->value, why, sizeof(why)), why))
			c->error = true;
	}
	for (int i = 0; i < 2; i++) {
		const char *side = i ? "right" : "left";
		char k1[16], k2[16];
		snprintf(k1, sizeof(k1), "%ssubnet", side);
		snprintf(k2, sizeof(k2), "%ssubnets", side);
		if (has_key(&x->r, k1) && has_key(&x->r, k2)) {
			conf_report(p, c->file, c->line, "conn %s: %s= and %s= cannot be used together",
				    c->name, k1, k2);
			c->error = true;
		}
	}
	/* Libreswan: replay-window=0 disables replay protection and with it ESN */
	if (c->replay_window == 0 && c->esn == CONF_ESN_YES) {
		conf_report(p, c->file, c->line, "conn %s: esn=yes needs a replay window (replay-window=0)", c->name);
		c->error = true;
	} else if (c->replay_window == 0) {
		c->esn = CONF_ESN_NO;
	}
	if (!c->error)
		resolve_hosts(p, c);
	check_client_family(p, c);
	end_finish(c, &c->left);
	end_finish(c, &c->right);
	check_sourceip(p, x);
	resolve_marks(c);
	if (c->left.addr.version && c->right.addr.version &&
	    c->left.addr.version != c->right.addr.version) {
		conf_report(p, c->file, c->line, "conn %s: left and right are of different address families",
			    c->name);
		c->error = true;
	}
}

static void resolve_one(struct conf_parser *p, size_t si, struct conf_conn *c)
{
	struct resolve_ctx *x = calloc(1, sizeof(*x));
	if (x == NULL)
		abort();
	x->p = p;
	x->conn = c;
	bool default_msgs = false;
	conn_defaults(c, &p->sec[si]);
	p->tag = p->sec[si].name;
	x->stack[0] = &p->sec[si];
	apply_section(x, &p->sec[si]);
	/* "conn %default" supplies defaults to the conns after it; the latest wins */
	for (size_t d = si; d-- > 0; )
		if (p->sec[d].kind == CONF_SEC_CONN && strcmp(p->sec[d].name, "%default") == 0) {
			x->stack[0] = &p->sec[d];
			x->depth = 0;
			if (p->sec[d].error && !default_msgs)	/* once: all %default's messages */
				conf_adopt_messages(p, "%default", c->name);
			default_msgs |= p->sec[d].error;
			c->error |= p->sec[d].error;
			apply_section(x, &p->sec[d]);
		}
	interpret_conn(p, x);
	free(x);
}

static struct conf_conn *grow(struct conf_conn *conns, size_t n)
{
	struct conf_conn *g = reallocarray(conns, n, sizeof(*conns));
	if (g == NULL)
		abort();
	return g;
}

/* leftsubnets= / rightsubnets= (or a list in leftsubnet=): one conn per pair of
 * subnets, named "NAME/LxR" from 1 as Libreswan names them; the template itself is
 * not a conn.  Returns the new count. */
static size_t expand_subnets(struct conf_parser *p, struct conf_conn **conns, size_t cnt)
{
	struct conf_conn t = (*conns)[cnt - 1];
	unsigned nl = t.left.nsubnets ? t.left.nsubnets : 1, nr = t.right.nsubnets ? t.right.nsubnets : 1;
	if (nl * nr == 1)
		return cnt;
	if (strlen(t.name) + 8 >= CONF_NAME_MAX) {
		conf_report(p, t.file, t.line, "conn %s: name too long for its subnet conns", t.name);
		(*conns)[cnt - 1].error = true;
		return cnt;
	}
	if (cnt - 1 + nl * nr > CONF_MAX_CONNS) {
		conf_report(p, t.file, t.line, "more than %d connections", CONF_MAX_CONNS);
		(*conns)[cnt - 1].error = true;
		return cnt;
	}
	cnt--;
	*conns = grow(*conns, cnt + nl * nr);
	for (unsigned l = 0; l < nl; l++)
		for (unsigned r = 0; r < nr; r++) {
			struct conf_conn *c = &(*conns)[cnt++];
			*c = t;
			snprintf(c->alias, sizeof(c->alias), "%s", t.name);
			snprintf(c->name, sizeof(c->name), "%s/%ux%u", t.name, l + 1, r + 1);
			if (t.left.nsubnets)
				c->left.subnet = t.left.subnets[l];
			if (t.right.nsubnets)
				c->right.subnet = t.right.subnets[r];
		}
	return cnt;
}

struct conf_conn *conf_resolve_conns(struct conf_parser *p, size_t *n)
{
	struct conf_conn *conns = NULL;
	size_t cnt = 0;
	for (size_t i = 0; i < p->nsec; i++) {
		const struct conf_section *s = &p->sec[i];
		if (s->kind != CONF_SEC_CONN || strcmp(s->name, "%default") == 0)
			continue;
		if (cnt >= CONF_MAX_CONNS) {
			conf_report(p, s->file, s->line, "more than %d connections", CONF_MAX_CONNS);
			break;
		}
		conns = grow(conns, cnt + 1);
		resolve_one(p, i, &conns[cnt]);
		bool dup = false;
		for (size_t j = 0; j < cnt; j++)
			dup |= strcmp(conns[j].name, s->name) == 0 || strcmp(conns[j].alias, s->name) == 0;
		if (dup) {
			conf_report(p, s->file, s->line, "duplicate conn name '%s'", s->name);
			conns[cnt].error = true;
		}
		cnt++;
		cnt = expand_subnets(p, &conns, cnt);
	}
	*n = cnt;
	return conns;
}

/* --- config setup --- */

void conf_setup_defaults(struct conf_setup *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->protostack, sizeof(s->protostack), "xfrm");
	s->ikeport = 500;
	s->nattport = 4500;
	s->keep_alive_s = CONF_KEEP_ALIVE_DEFAULT_S;
	s->uniqueids = true;
	s->logtime = true;
	s->logappend = true;
	s->ddos_mode = CONF_DDOS_AUTO;
	s->ddos_ike_threshold = CONF_DDOS_IKE_THRESHOLD_DEFAULT;
	s->max_halfopen_ike = CONF_MAX_HALFOPEN_IKE_DEFAULT;
	s->max_ike_sas = CONF_MAX_IKE_SAS_DEFAULT;
	s->updown_timeout_s = CONF_UPDOWN_TIMEOUT_DEFAULT_S;
	s->nhelpers = CONF_NHELPERS_AUTO;
}

void conf_interpret_setup(struct conf_parser *p, const struct conf_section *sec, struct conf_setup *s)
{
	char why[CONF_VALUE_MAX + 512];
	for (size_t i = 0; i < sec->nkv; i++) {
		const struct conf_kv *kv = &sec->kv[i];
		if (kv->value[0] == '\0')
			continue;	/* key= (empty): the default */
		report_key(p, kv, apply_key(NULL, s, kv->key, kv->value, why, sizeof(why)), why);
	}
}
