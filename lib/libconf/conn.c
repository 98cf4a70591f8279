/* conn.c -- resolving a conn section (also=, conn %default) and interpreting its keys
 * into struct conf_conn; "config setup" keys into struct conf_setup.
 * Key meanings follow Libreswan's ipsec.conf(5); unsupported values are errors.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "conf.h"
#include "conf_parse.h"
#include "proposal.h"

typedef bool conn_key_fn(struct conf_conn *c, const char *v, char *why, size_t n);
typedef bool end_key_fn(struct conf_end *e, const char *side, const char *v, char *why, size_t n);

static bool fail(char *why, size_t n, const char *fmt, const char *a, const char *b)
{
	snprintf(why, n, fmt, a, b);
	return false;
}

/* --- values --- */

/* "10", "10s", "500ms", "5m", "8h", "1d": plain numbers are in unit_ms. */
static bool parse_duration_ms(const char *v, unsigned long long unit_ms, unsigned long long *ms)
{
	unsigned long long x = 0;
	const char *p = v;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		x = x * 10 + (unsigned)(*p - '0');
		if (x > UINT_MAX)
			return false;
	}
	static const struct { const char *s; unsigned long long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
	};
	if (*p != '\0') {
		unit_ms = 0;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strcmp(p, units[i].s) == 0)
				unit_ms = units[i].ms;
		if (unit_ms == 0)
			return false;
	}
	*ms = x * unit_ms;
	return true;
}

static bool duration(const char *key, const char *v, unsigned long long unit_ms,
		     unsigned long long div, unsigned *out, char *why, size_t n)
{
	unsigned long long ms;
	if (!parse_duration_ms(v, unit_ms, &ms) || ms / div == 0 || ms / div > UINT_MAX)
		return fail(why, n, "%s=%s is not a valid duration", key, v);
	*out = (unsigned)(ms / div);
	return true;
}

static bool yes_no(const char *key, const char *v, bool *out, char *why, size_t n)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0) {
		*out = v[0] == 'y';
		return true;
	}
	return fail(why, n, "%s=%s: expected yes or no", key, v);
}

static bool port(const char *key, const char *v, uint16_t *out, char *why, size_t n)
{
	char *end;
	long x = strtol(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || x < 1 || x > 65535)
		return fail(why, n, "%s=%s is not a valid port", key, v);
	*out = (uint16_t)x;
	return true;
}

/* --- conn keys --- */

static bool k_authby(struct conf_conn *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "secret") == 0) {
		c->authby = CONF_AUTHBY_SECRET;
		return true;
	}
	return fail(why, n, "authby=%s is not supported%s", v, "");
}

static bool proposal_key(const char *key, enum proposal_kind kind, const char *v, char *dst,
			 char *why, size_t n)
{
	struct proposal_list l;
	char e[256];
	if (!proposal_parse(kind, v, &l, e, sizeof(e)))
		return fail(why, n, "%s: %s", key, e);
	snprintf(dst, CONF_VALUE_MAX, "%s", v);
	return true;
}

static bool k_ike(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return proposal_key("ike", PROPOSAL_IKE, v, c->ike, why, n);
}

static bool k_esp(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return proposal_key("esp", PROPOSAL_ESP, v, c->esp, why, n);
}

static bool k_intermediate(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return yes_no("intermediate", v, &c->intermediate, why, n);
}

static bool k_fragmentation(struct conf_conn *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "yes") == 0)
		c->fragmentation = CONF_FRAG_YES;
	else if (strcmp(v, "no") == 0)
		c->fragmentation = CONF_FRAG_NO;
	else if (strcmp(v, "force") == 0)
		c->fragmentation = CONF_FRAG_FORCE;
	else
		return fail(why, n, "fragmentation=%s: expected yes, no or force%s", v, "");
	return true;
}

/* Interlude: fragment-size=N, the IP datagram size RFC 7383 fragments keep within */
static bool k_fragsize(struct conf_conn *c, const char *v, char *why, size_t n)
{
	char *end;
	unsigned long sz = strtoul(v, &end, 10);
	if (*v == '\0' || *end != '\0' || (sz != 0 && (sz < CONF_FRAGMENT_SIZE_MIN || sz > CONF_FRAGMENT_SIZE_MAX)))
		return fail(why, n, "fragment-size=%s: expected 0 (by address family) or octets from%s", v,
			    " " CONF_STR(CONF_FRAGMENT_SIZE_MIN) " to " CONF_STR(CONF_FRAGMENT_SIZE_MAX));
	c->fragment_size = (unsigned)sz;
	return true;
}

static bool k_auto(struct conf_conn *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "ignore") == 0)
		c->autostart = CONF_AUTO_IGNORE;
	else if (strcmp(v, "add") == 0)
		c->autostart = CONF_AUTO_ADD;
	else if (strcmp(v, "start") == 0)
		c->autostart = CONF_AUTO_START;
	else if (strcmp(v, "ondemand") == 0 || strcmp(v, "route") == 0 || strcmp(v, "keep") == 0)
		return fail(why, n, "auto=%s is not supported%s", v, "");
	else
		return fail(why, n, "auto=%s: expected ignore, add or start%s", v, "");
	return true;
}

/* Libreswan: retransmit-timeout plain number = seconds, retransmit-interval = ms. */
static bool k_rtimeout(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return duration("retransmit-timeout", v, 1000, 1, &c->retransmit_timeout_ms, why, n);
}

static bool k_rinterval(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return duration("retransmit-interval", v, 1, 1, &c->retransmit_interval_ms, why, n);
}

static bool k_ikelifetime(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return duration("ikelifetime", v, 1000, 1000, &c->ikelifetime_s, why, n);
}

static bool k_salifetime(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return duration("salifetime", v, 1000, 1000, &c->salifetime_s, why, n);
}

static bool k_keyexchange(struct conf_conn *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "ikev2") == 0)
		return true;
	return fail(why, n, "keyexchange=%s is not supported (only ikev2)%s", v, "");
}

static bool k_type(struct conf_conn *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "tunnel") == 0)
		c->type = CONF_TYPE_TUNNEL;
	else if (strcmp(v, "transport") == 0)
		c->type = CONF_TYPE_TRANSPORT;
	else if (strcmp(v, "passthrough") == 0 || strcmp(v, "drop") == 0 || strcmp(v, "reject") == 0 ||
		 strcmp(v, "pass") == 0)
		return fail(why, n, "type=%s is not supported: shunt connections are not implemented%s", v, "");
	else
		return fail(why, n, "type=%s: expected tunnel or transport%s", v, "");
	return true;
}

static bool k_pfs(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return yes_no("pfs", v, &c->pfs, why, n);
}

static bool k_rekey(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return yes_no("rekey", v, &c->rekey, why, n);
}

static bool k_reauth(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return yes_no("reauth", v, &c->reauth, why, n);
}

static bool k_rekeymargin(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return duration("rekeymargin", v, 1000, 1000, &c->rekeymargin_s, why, n);
}

/* rekeyfuzz=N%: a percentage of rekeymargin (Libreswan) */
static bool k_rekeyfuzz(struct conf_conn *c, const char *v, char *why, size_t n)
{
	char *end;
	unsigned long x = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || (*end != '\0' && strcmp(end, "%") != 0) || x > 1000)
		return fail(why, n, "rekeyfuzz=%s: expected a percentage (0%% to 1000%%)%s", v, "");
	c->rekeyfuzz_pct = (unsigned)x;
	return true;
}

static bool count(const char *key, const char *v, uint64_t *out, char *why, size_t n)
{
	char *end;
	unsigned long long x = strtoull(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0')
		return fail(why, n, "%s=%s is not a number", key, v);
	*out = x;
	return true;
}

static bool k_maxbytes(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return count("ipsec-max-bytes", v, &c->max_bytes, why, n);
}

static bool k_maxpackets(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return count("ipsec-max-packets", v, &c->max_packets, why, n);
}

static bool k_esn(struct conf_conn *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "yes") == 0)
		c->esn = CONF_ESN_YES;
	else if (strcmp(v, "no") == 0)
		c->esn = CONF_ESN_NO;
	else if (strcmp(v, "either") == 0)
		c->esn = CONF_ESN_EITHER;
	else
		return fail(why, n, "esn=%s: expected yes, no or either%s", v, "");
	return true;
}

static bool k_dpddelay(struct conf_conn *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "0") == 0) {
		c->dpddelay_s = 0;
		return true;
	}
	return duration("dpddelay", v, 1000, 1000, &c->dpddelay_s, why, n);
}

static bool k_dpdtimeout(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return duration("dpdtimeout", v, 1000, 1000, &c->dpdtimeout_s, why, n);
}

static bool k_dpdaction(struct conf_conn *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "hold") == 0)
		c->dpdaction = CONF_DPD_HOLD;
	else if (strcmp(v, "clear") == 0)
		c->dpdaction = CONF_DPD_CLEAR;
	else if (strcmp(v, "restart") == 0)
		c->dpdaction = CONF_DPD_RESTART;
	else
		return fail(why, n, "dpdaction=%s: expected hold, clear or restart%s", v, "");
	return true;
}

static bool k_natkeepalive(struct conf_conn *c, const char *v, char *why, size_t n)
{
	return yes_no("nat-keepalive", v, &c->nat_keepalive, why, n);
}

static bool k_ikev2(struct conf_conn *c, const char *v, char *why, size_t n)
{
	if (strcmp(v, "insist") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "permit") == 0 ||
	    strcmp(v, "propose") == 0)
		return true;
	return fail(why, n, "ikev2=%s is not supported (IKEv2 only)%s", v, "");
}

static const struct { const char *key; conn_key_fn *fn; } conn_keys[] = {
	{ "authby", k_authby },
	{ "ike", k_ike },
	{ "esp", k_esp },		/* phase2alg= is canonicalised to esp= */
	{ "intermediate", k_intermediate },
	{ "fragmentation", k_fragmentation },
	{ "fragment-size", k_fragsize },
	{ "auto", k_auto },
	{ "retransmit-timeout", k_rtimeout },
	{ "retransmit-interval", k_rinterval },
	{ "ikelifetime", k_ikelifetime },
	{ "salifetime", k_salifetime },
	{ "rekey", k_rekey },
	{ "reauth", k_reauth },
	{ "rekeymargin", k_rekeymargin },
	{ "rekeyfuzz", k_rekeyfuzz },
	{ "ipsec-max-bytes", k_maxbytes },
	{ "ipsec-max-packets", k_maxpackets },
	{ "esn", k_esn },
	{ "dpddelay", k_dpddelay },
	{ "dpdtimeout", k_dpdtimeout },
	{ "dpdaction", k_dpdaction },
	{ "keyexchange", k_keyexchange },
	{ "type", k_type },
	{ "nat-keepalive", k_natkeepalive },
	{ "pfs", k_pfs },
	{ "ikev2", k_ikev2 },
};

/* --- left/right keys --- */

static bool e_addr(struct conf_end *e, const char *side, const char *v, char *why, size_t n)
{
	if (strcmp(v, "%any") == 0 || strcmp(v, "%any4") == 0 || strcmp(v, "%any6") == 0) {
		e->any = true;
		e->addr = (struct ip_addr){ 0 };
		return true;
	}
	if (v[0] == '%')
		return fail(why, n, "%s=%s is not supported", side, v);
	if (!ip_parse(v, &e->addr))
		return fail(why, n, "%s=%s: only IP addresses and %%any are supported", side, v);
	e->any = false;
	return true;
}

static bool e_id(struct conf_end *e, const char *side, const char *v, char *why, size_t n)
{
	if (!ike_id_parse(v, &e->id))
		return fail(why, n, "%sid=%s is not a valid ID", side, v);
	snprintf(e->id_str, sizeof(e->id_str), "%s", v);
	e->has_id = true;
	return true;
}

static bool e_subnet(struct conf_end *e, const char *side, const char *v, char *why, size_t n)
{
	if (!ip_subnet_parse(v, &e->subnet))
		return fail(why, n, "%ssubnet=%s is not a valid subnet", side, v);
	return true;
}

static bool e_ikeport(struct conf_end *e, const char *side, const char *v, char *why, size_t n)
{
	char key[32];
	snprintf(key, sizeof(key), "%sikeport", side);
	return port(key, v, &e->ikeport, why, n);
}

/* leftprotoport=PROTO[/PORT] (Libreswan): PROTO a number or a name from
 * /etc/protocols' common ones, PORT a number or %any; "/%any" and "0" mean any. */
static bool e_protoport(struct conf_end *e, const char *side, const char *v, char *why, size_t n)
{
	static const struct { const char *name; uint8_t num; } protos[] = {
		{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 }, { "icmpv6", 58 },
		{ "ipv6-icmp", 58 }, { "sctp", 132 },
	};
	char buf[64], *slash, *end;
	snprintf(buf, sizeof(buf), "%s", v);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	long proto = -1;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(buf, protos[i].name) == 0)
			proto = protos[i].num;
	if (proto < 0) {
		proto = strtol(buf, &end, 10);
		if (buf[0] < '0' || buf[0] > '9' || *end != '\0' || proto > 255)
			return fail(why, n, "%sprotoport=%s: unknown protocol", side, v);
	}
	long portv = 0;
	if (slash != NULL && strcmp(slash, "%any") != 0) {
		portv = strtol(slash, &end, 10);
		if (slash[0] < '0' || slash[0] > '9' || *end != '\0' || portv > 65535)
			return fail(why, n, "%sprotoport=%s: bad port", side, v);
	}
	if (portv != 0 && proto != 6 && proto != 17 && proto != 132)
		return fail(why, n, "%sprotoport=%s: a port needs tcp, udp or sctp", side, v);
	e->protocol = (uint8_t)proto;
	e->port = (uint16_t)portv;
	return true;
}

static const struct { const char *suffix; end_key_fn *fn; } end_keys[] = {
	{ "protoport", e_protoport },
	{ "", e_addr },
	{ "id", e_id },
	{ "subnet", e_subnet },
	{ "ikeport", e_ikeport },
};

/* Applies one key; false with why on an unknown key or a bad value. */
static bool apply_key(struct conf_conn *c, const struct conf_kv *kv, char *why, size_t n)
{
	for (size_t i = 0; i < sizeof(conn_keys) / sizeof(conn_keys[0]); i++)
		if (strcmp(kv->key, conn_keys[i].key) == 0)
			return conn_keys[i].fn(c, kv->value, why, n);
	const char *side = strncmp(kv->key, "left", 4) == 0 ? "left" :
			   strncmp(kv->key, "right", 5) == 0 ? "right" : NULL;
	if (side != NULL) {
		struct conf_end *e = side[0] == 'l' ? &c->left : &c->right;
		const char *suffix = kv->key + strlen(side);
		for (size_t i = 0; i < sizeof(end_keys) / sizeof(end_keys[0]); i++)
			if (strcmp(suffix, end_keys[i].suffix) == 0)
				return end_keys[i].fn(e, side, kv->value, why, n);
	}
	return fail(why, n, "unknown keyword '%s'%s", kv->key, "");
}

/* --- resolution: own keys, then also= (in order), then earlier %default sections --- */

struct resolved {
	size_t n;
	const struct conf_kv *kv[128];
	bool overflow;
};

/* Libreswan's aliases */
static const char *canon_key(const char *k)
{
	if (strcmp(k, "phase2alg") == 0)
		return "esp";
	if (strcmp(k, "lifetime") == 0 || strcmp(k, "keylife") == 0)
		return "salifetime";
	return k;
}

static void set_if_unset(struct resolved *r, const struct conf_kv *kv)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(canon_key(r->kv[i]->key), canon_key(kv->key)) == 0)
			return;
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
	x->conn->error |= t->error;
	x->stack[++x->depth] = t;
	apply_section(x, t);
	x->depth--;
}

static void apply_section(struct resolve_ctx *x, const struct conf_section *s)
{
	/* the last of a key repeated in one section wins */
	for (size_t i = s->nkv; i-- > 0; )
		if (strcmp(s->kv[i].key, "also") != 0)
			set_if_unset(&x->r, &s->kv[i]);
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
	c->authby = CONF_AUTHBY_SECRET;
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
}

/* Defaults that depend on other keys: the ID is the address, the subnet the host. */
static void end_finish(struct conf_end *e)
{
	if (!e->has_id)
		ike_id_from_ip(&e->addr, &e->id);
	if (e->subnet.addr.version == 0 && e->addr.version != 0) {
		e->subnet.addr = e->addr;
		e->subnet.prefix = (uint8_t)(ip_len(&e->addr) * 8);
	}
}

static void interpret_conn(struct conf_parser *p, struct resolve_ctx *x)
{
	struct conf_conn *c = x->conn;
	char why[CONF_VALUE_MAX + 128];
	if (x->r.overflow) {
		conf_report(p, c->file, c->line, "conn %s: too many keys", c->name);
		c->error = true;
	}
	for (size_t i = 0; i < x->r.n; i++) {
		const struct conf_kv *kv = x->r.kv[i];
		struct conf_kv k = *kv;
		k.key = (char *)canon_key(kv->key);
		if (kv->value[0] == '\0')
			continue;	/* key= (empty): back to the default */
		if (!apply_key(c, &k, why, sizeof(why))) {
			conf_report(p, kv->file, kv->line, "%s", why);
			c->error = true;
		}
	}
	end_finish(&c->left);
	end_finish(&c->right);
	if (c->left.addr.version && c->right.addr.version &&
	    c->left.addr.version != c->right.addr.version) {
		conf_report(p, c->file, c->line, "conn %s: left and right are of different address families",
			    c->name);
		c->error = true;
	}
}

static bool duplicate_name(const struct conf_conn *conns, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(conns[i].name, name) == 0)
			return true;
	return false;
}

static void resolve_one(struct conf_parser *p, size_t si, struct conf_conn *c)
{
	struct resolve_ctx *x = calloc(1, sizeof(*x));
	if (x == NULL)
		abort();
	x->p = p;
	x->conn = c;
	conn_defaults(c, &p->sec[si]);
	x->stack[0] = &p->sec[si];
	apply_section(x, &p->sec[si]);
	/* "conn %default" supplies defaults to the conns after it; the latest wins */
	for (size_t d = si; d-- > 0; )
		if (p->sec[d].kind == CONF_SEC_CONN && strcmp(p->sec[d].name, "%default") == 0) {
			x->stack[0] = &p->sec[d];
			x->depth = 0;
			c->error |= p->sec[d].error;
			apply_section(x, &p->sec[d]);
		}
	interpret_conn(p, x);
	free(x);
}

struct conf_conn *conf_resolve_conns(struct conf_parser *p, size_t *n)
{
	struct conf_conn *conns = NULL;
	size_t cnt = 0;
	for (size_t i = 0; i < p->nsec; i++) {
		const struct conf_section *s = &p->sec[i];
		if (s->kind != CONF_SEC_CONN || strcmp(s->name, "%default") == 0)
			continue;
		if (cnt == CONF_MAX_CONNS) {
			conf_report(p, s->file, s->line, "more than %d connections", CONF_MAX_CONNS);
			break;
		}
		struct conf_conn *grown = reallocarray(conns, cnt + 1, sizeof(*conns));
		if (grown == NULL)
			abort();
		conns = grown;
		resolve_one(p, i, &conns[cnt]);
		if (duplicate_name(conns, cnt, s->name)) {
			conf_report(p, s->file, s->line, "duplicate conn name '%s'", s->name);
			conns[cnt].error = true;
		}
		cnt++;
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
}

/* Libreswan setup keys accepted and ignored. */
static const char *const setup_ignored[] = {
	"virtual-private", "virtual_private", "nhelpers", "dumpdir",
	"plutostderrlog", "logtime", "logappend", "logip", "audit-log", "ipsecdir",
	"secretsfile", "nssdir", "crlcheckinterval", "strictcrlpolicy", "curl-timeout",
	"ocsp-enable", "ocsp-strict", "ocsp-timeout", "ocsp-uri", "ocsp-trustname",
	"myvendorid", "ddos-mode", "ddos-ike-threshold", "max-halfopen-ike",
	"shuntlifetime", "interfaces", "seedbits", "statsbin", "ikev1-policy",
	"global-redirect", "global-redirect-to", "syslog", "klipsdebug", "plutorestartoncrash",
	"perpeerlog", "perpeerlogdir", "fragicmp", "hidetos", "overridemtu", "expire-lifetime",
};

static bool setup_key(struct conf_setup *s, const char *k, const char *v, char *why, size_t n)
{
	if (strcmp(k, "protostack") == 0) {
		if (strcmp(v, "xfrm") != 0 && strcmp(v, "netkey") != 0 && strcmp(v, "none") != 0)
			return fail(why, n, "protostack=%s is not supported%s", v, "");
		snprintf(s->protostack, sizeof(s->protostack), "%s", strcmp(v, "none") ? "xfrm" : "none");
	} else if (strcmp(k, "logfile") == 0) {
		snprintf(s->logfile, sizeof(s->logfile), "%s", v);
	} else if (strcmp(k, "plutodebug") == 0) {
		snprintf(s->plutodebug, sizeof(s->plutodebug), "%s", v);
	} else if (strcmp(k, "listen") == 0) {
		struct ip_addr a;
		if (*v && !ip_parse(v, &a))
			return fail(why, n, "listen=%s is not an IP address%s", v, "");
		snprintf(s->listen, sizeof(s->listen), "%s", v);
	} else if (strcmp(k, "ikeport") == 0) {
		return port(k, v, &s->ikeport, why, n);
	} else if (strcmp(k, "nat-ikeport") == 0) {
		return port(k, v, &s->nattport, why, n);
	} else if (strcmp(k, "keep-alive") == 0) {
		/* Libreswan: seconds between NAT-T keepalives (RFC 3948 2.3) */
		return duration(k, v, 1000, 1000, &s->keep_alive_s, why, n);
	} else if (strcmp(k, "uniqueids") == 0) {
		return yes_no(k, v, &s->uniqueids, why, n);
	} else if (strcmp(k, "seccomp") == 0) {
		if (strcmp(v, "enabled") == 0)
			s->seccomp = CONF_SECCOMP_ENABLED;
		else if (strcmp(v, "tolerant") == 0)
			s->seccomp = CONF_SECCOMP_TOLERANT;
		else if (strcmp(v, "disabled") == 0)
			s->seccomp = CONF_SECCOMP_DISABLED;
		else
			return fail(why, n, "seccomp=%s: expected enabled, tolerant or disabled%s", v, "");
	} else {
		for (size_t i = 0; i < sizeof(setup_ignored) / sizeof(setup_ignored[0]); i++)
			if (strcmp(k, setup_ignored[i]) == 0)
				return true;
		return fail(why, n, "unknown keyword '%s' in config setup%s", k, "");
	}
	return true;
}

void conf_interpret_setup(struct conf_parser *p, const struct conf_section *sec, struct conf_setup *s)
{
	char why[CONF_VALUE_MAX + 128];
	for (size_t i = 0; i < sec->nkv; i++)
		if (!setup_key(s, sec->kv[i].key, sec->kv[i].value, why, sizeof(why)))
			conf_report(p, sec->kv[i].file, sec->kv[i].line, "%s", why);
}
