/* keywords.c -- the keyword registry: every keyword of Libreswan 4.10's ipsec.conf(5)
 * and of 5.x's documentation, in one table, with what Interlude does with it:
 * implemented (Libreswan's syntax, values and defaults; the handler is here), refused
 * with one message (IKEv1-only: "not supported: Interlude is IKEv2-only"; others
 * "not supported yet" and why), or obsolete (accepted with a warning, as Libreswan
 * marks it).  A refused keyword written with the value Interlude follows anyway
 * (Libreswan's default, e.g. mobike=no) is accepted.  conn.c applies the table;
 * testing/unit/test_conf.c loads every entry's example value.
 *
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"
#include "ike_wire.h"
#include "plutodebug.h"
#include "proposal.h"

static bool fail(char *why, size_t n, const char *fmt, const char *a, const char *b)
{
	snprintf(why, n, fmt, a, b);
	return false;
}

#define R_CERT     "raw public keys are not implemented (certificates from the NSS database only)"

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

static bool count(const char *key, const char *v, uint64_t *out, char *why, size_t n)
{
	char *end;
	unsigned long long x = strtoull(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0')
		return fail(why, n, "%s=%s is not a number", key, v);
	*out = x;
	return true;
}

/* one of names[] (NULL-terminated) -> its index */
static bool choice(const char *key, const char *v, const char *const *names, int *out,
		   const char *expect, char *why, size_t n)
{
	for (int i = 0; names[i] != NULL; i++)
		if (strcmp(v, names[i]) == 0) {
			*out = i;
			return true;
		}
	char k[128];
	snprintf(k, sizeof(k), "%s=%s", key, v);
	return fail(why, n, "%s: expected %s", k, expect);
}

/* --- conn keys --- */

/* One authentication method in Libreswan's spelling; rsa_sha1 says whether it lets an
 * RSA key use RFC 7296 method 1. */
static bool auth_word(const char *w, size_t len, enum conf_auth *out, bool *rsa_sha1)
{
	static const struct { const char *name; enum conf_auth auth; bool sha1; } words[] = {
		{ "secret", CONF_AUTH_PSK, false }, { "psk", CONF_AUTH_PSK, false },
		{ "rsasig", CONF_AUTH_RSA, true }, { "rsa", CONF_AUTH_RSA, true },
		{ "rsa-sha1", CONF_AUTH_RSA, true }, { "rsa-sha2", CONF_AUTH_RSA, false },
		{ "rsa-sha2_256", CONF_AUTH_RSA, false }, { "rsa-sha2_384", CONF_AUTH_RSA, false },
		{ "rsa-sha2_512", CONF_AUTH_RSA, false }, { "ecdsa", CONF_AUTH_ECDSA, false },
		{ "ecdsa-sha2", CONF_AUTH_ECDSA, false }, { "ecdsa-sha2_256", CONF_AUTH_ECDSA, false },
		{ "ecdsa-sha2_384", CONF_AUTH_ECDSA, false }, { "ecdsa-sha2_512", CONF_AUTH_ECDSA, false },
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strlen(words[i].name) == len && strncmp(words[i].name, w, len) == 0) {
			*out = words[i].auth;
			*rsa_sha1 |= words[i].sha1;
			return true;
		}
	}
	return false;
}

/* authby=METHOD[,METHOD...] (Libreswan; default rsasig): a list of signature methods
 * means any of them; a shared secret does not mix with signatures */
static bool k_authby(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	enum conf_auth all = CONF_AUTH_UNSET;
	bool sha1 = false;
	for (const char *w = v; *w != '\0';) {
		size_t len = strcspn(w, ",");
		enum conf_auth a;
		if (len == 4 && strncmp(w, "null", len) == 0) {
			snprintf(why, n, "%s=%s: not supported yet: NULL authentication (RFC 7619)", key, v);
			return false;
		}
		if (len == 5 && strncmp(w, "never", len) == 0) {
			snprintf(why, n, "%s=%s: not supported yet: " "shunt-only connections", key, v);
			return false;
		}
		if (!auth_word(w, len, &a, &sha1)) {
			snprintf(why, n, "%s=%s: expected secret, rsasig, ecdsa, rsa-sha2, ecdsa-sha2 or a "
				 "list of signature methods", key, v);
			return false;
		}
		if (all != CONF_AUTH_UNSET && (a == CONF_AUTH_PSK) != (all == CONF_AUTH_PSK)) {
			snprintf(why, n, "%s=%s: a shared secret cannot be listed with signatures", key, v);
			return false;
		}
		all = all == CONF_AUTH_UNSET || all == a ? a : CONF_AUTH_SIG;
		w += len + (w[len] == ',');
	}
	if (all == CONF_AUTH_UNSET)
		return fail(why, n, "%s=%s needs a value", key, v);
	c->authby = all;
	c->rsa_sha1 = sha1;
	return true;
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

static bool k_ike(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	(void)key;
	return proposal_key("ike", PROPOSAL_IKE, v, c->ike, why, n);
}

static bool k_esp(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	(void)key;
	return proposal_key("esp", PROPOSAL_ESP, v, c->esp, why, n);
}

/* phase2=esp (default) | ah */
static bool k_phase2(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	(void)c;
	if (strcmp(v, "esp") == 0)
		return true;
	snprintf(why, n, "%s=%s: not supported yet: AH is not implemented (ESP only)", key, v);
	return false;
}

static bool k_bool(bool *dst, const char *key, const char *v, char *why, size_t n)
{
	return yes_no(key, v, dst, why, n);
}

static bool k_intermediate(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return k_bool(&c->intermediate, key, v, why, n);
}

static bool k_fragmentation(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	static const char *const names[] = { "yes", "no", "force", NULL };
	static const enum conf_frag vals[] = { CONF_FRAG_YES, CONF_FRAG_NO, CONF_FRAG_FORCE };
	int i;
	if (!choice(key, v, names, &i, "yes, no or force", why, n))
		return false;
	c->fragmentation = vals[i];
	return true;
}

/* Interlude: fragment-size=N, the IP datagram size RFC 7383 fragments keep within */
static bool k_fragsize(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	char *end;
	unsigned long sz = strtoul(v, &end, 10);
	(void)key;
	if (*v == '\0' || *end != '\0' || (sz != 0 && (sz < CONF_FRAGMENT_SIZE_MIN || sz > CONF_FRAGMENT_SIZE_MAX)))
		return fail(why, n, "fragment-size=%s: expected 0 (by address family) or octets from%s", v,
			    " " CONF_STR(CONF_FRAGMENT_SIZE_MIN) " to " CONF_STR(CONF_FRAGMENT_SIZE_MAX));
	c->fragment_size = (unsigned)sz;
	return true;
}

static bool k_auto(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	if (strcmp(v, "ignore") == 0 || strcmp(v, "never") == 0)
		c->autostart = CONF_AUTO_IGNORE;
	else if (strcmp(v, "add") == 0)
		c->autostart = CONF_AUTO_ADD;
	else if (strcmp(v, "start") == 0 || strcmp(v, "up") == 0)
		c->autostart = CONF_AUTO_START;
	else if (strcmp(v, "ondemand") == 0 || strcmp(v, "route") == 0 || strcmp(v, "keep") == 0) {
		snprintf(why, n, "%s=%s: not supported yet: on-demand (trap) policies are not implemented", key, v);
		return false;
	} else
		return fail(why, n, "auto=%s: expected ignore, add or start%s", v, "");
	return true;
}

/* Libreswan: retransmit-timeout plain number = seconds, retransmit-interval = ms. */
static bool k_rtimeout(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return duration(key, v, 1000, 1, &c->retransmit_timeout_ms, why, n);
}

static bool k_rinterval(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return duration(key, v, 1, 1, &c->retransmit_interval_ms, why, n);
}

static bool k_ikelifetime(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return duration(key, v, 1000, 1000, &c->ikelifetime_s, why, n);
}

static bool k_salifetime(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	(void)key;
	return duration("salifetime", v, 1000, 1000, &c->salifetime_s, why, n);
}

/* keyexchange=ike (4.10's documented value: IKE, the version from ikev2=) | ikev2 */
static bool k_keyexchange(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	(void)c;
	if (strcmp(v, "ike") == 0 || strcmp(v, "ikev2") == 0)
		return true;
	if (strcmp(v, "ikev1") == 0) {
		snprintf(why, n, "%s=%s: not supported: Interlude is IKEv2-only", key, v);
		return false;
	}
	return fail(why, n, "keyexchange=%s: expected ike or ikev2%s", v, "");
}

static bool k_type(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	if (strcmp(v, "tunnel") == 0)
		c->type = CONF_TYPE_TUNNEL;
	else if (strcmp(v, "transport") == 0)
		c->type = CONF_TYPE_TRANSPORT;
	else if (strcmp(v, "passthrough") == 0 || strcmp(v, "drop") == 0 || strcmp(v, "reject") == 0 ||
		 strcmp(v, "pass") == 0) {
		snprintf(why, n, "%s=%s: not supported yet: shunt connections are not implemented", key, v);
		return false;
	} else
		return fail(why, n, "type=%s: expected tunnel or transport%s", v, "");
	return true;
}

static bool k_pfs(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return k_bool(&c->pfs, key, v, why, n);
}

static bool k_rekey(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return k_bool(&c->rekey, key, v, why, n);
}

static bool k_reauth(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return k_bool(&c->reauth, key, v, why, n);
}

static bool k_rekeymargin(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return duration(key, v, 1000, 1000, &c->rekeymargin_s, why, n);
}

/* rekeyfuzz=N%: a percentage of rekeymargin (Libreswan) */
static bool k_rekeyfuzz(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	char *end;
	unsigned long x = strtoul(v, &end, 10);
	(void)key;
	if (*v < '0' || *v > '9' || (*end != '\0' && strcmp(end, "%") != 0) || x > 1000)
		return fail(why, n, "rekeyfuzz=%s: expected a percentage (0%% to 1000%%)%s", v, "");
	c->rekeyfuzz_pct = (unsigned)x;
	return true;
}

static bool k_maxbytes(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return count(key, v, &c->max_bytes, why, n);
}

static bool k_maxpackets(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return count(key, v, &c->max_packets, why, n);
}

static bool k_esn(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	static const char *const names[] = { "yes", "no", "either", NULL };
	static const enum conf_esn vals[] = { CONF_ESN_YES, CONF_ESN_NO, CONF_ESN_EITHER };
	int i;
	if (!choice(key, v, names, &i, "yes, no or either", why, n))
		return false;
	c->esn = vals[i];
	return true;
}

static bool k_dpddelay(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	if (strcmp(v, "0") == 0) {
		c->dpddelay_s = 0;
		return true;
	}
	return duration(key, v, 1000, 1000, &c->dpddelay_s, why, n);
}

static bool k_dpdtimeout(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return duration(key, v, 1000, 1000, &c->dpdtimeout_s, why, n);
}

static bool k_dpdaction(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	static const char *const names[] = { "hold", "clear", "restart", NULL };
	static const enum conf_dpdaction vals[] = { CONF_DPD_HOLD, CONF_DPD_CLEAR, CONF_DPD_RESTART };
	int i;
	if (!choice(key, v, names, &i, "hold, clear or restart", why, n))
		return false;
	c->dpdaction = vals[i];
	return true;
}

static bool k_natkeepalive(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return k_bool(&c->nat_keepalive, key, v, why, n);
}

static bool k_ikev2(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	(void)c;
	if (strcmp(v, "insist") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "permit") == 0 ||
	    strcmp(v, "propose") == 0)
		return true;
	snprintf(why, n, "%s=%s: not supported: Interlude is IKEv2-only", key, v);
	return false;
}

/* reqid=N: the XFRM reqid of the conn's Child SAs (Libreswan: 1..16383 by hand) */
static bool k_reqid(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	uint64_t x;
	if (!count(key, v, &x, why, n))
		return false;
	if (x == 0 || x > 16383)
		return fail(why, n, "%s=%s: expected 1 to 16383", key, v);
	c->reqid = (uint32_t)x;
	return true;
}

static bool family(const char *key, const char *v, uint8_t *out, char *why, size_t n)
{
	static const char *const names[] = { "ipv4", "ipv6", NULL };
	int i;
	if (!choice(key, v, names, &i, "ipv4 or ipv6", why, n))
		return false;
	*out = i == 0 ? 4 : 6;
	return true;
}

static bool k_hostfamily(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return family(key, v, &c->hostaddrfamily, why, n);
}

static bool k_clientfamily(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return family(key, v, &c->clientaddrfamily, why, n);
}

/* narrowing=no (Libreswan's default): a responder takes only selectors equal to its
 * own and an initiator only its own back; yes: RFC 7296 2.9 narrowing both ways
 * (lib/libike/tsel.c) */
static bool k_narrowing(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return k_bool(&c->narrowing, key, v, why, n);
}

/* sendca=none|issuer|all (Libreswan): the CA certificates sent after ours */
static bool k_sendca(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	static const char *const names[] = { "none", "issuer", "all", NULL };
	static const enum conf_sendca vals[] = { CONF_SENDCA_NONE, CONF_SENDCA_ISSUER, CONF_SENDCA_ALL };
	int i;
	if (!choice(key, v, names, &i, "none, issuer or all", why, n))
		return false;
	c->sendca = vals[i];
	return true;
}

/* a debug list (include/plutodebug.h) as plutodebug= and debug= take it: the set it
 * makes from none */
static bool debug_list(const char *key, const char *v, unsigned *out, char *why, size_t n)
{
	struct dbg_lmod m;
	char w[256];
	if (!dbg_parse(v, &m, w, sizeof(w))) {
		snprintf(why, n, "%s=%s: %s", key, v, w);
		return false;
	}
	*out = dbg_apply(0, m);
	return true;
}

/* debug= (5.x): debug categories for the SAs of this conn */
static bool k_debug(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return debug_list(key, v, &c->debug, why, n);
}

static bool k_encapsulation(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	static const char *const names[] = { "auto", "yes", "no", NULL };
	static const enum conf_encaps vals[] = { CONF_ENCAPS_AUTO, CONF_ENCAPS_YES, CONF_ENCAPS_NO };
	int i;
	if (!choice(key, v, names, &i, "yes, no or auto", why, n))
		return false;
	c->encapsulation = vals[i];
	return true;
}

static bool k_replay(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	uint64_t x;
	if (!count(key, v, &x, why, n))
		return false;
	if (x > CONF_REPLAY_WINDOW_MAX)
		return fail(why, n, "%s=%s: at most " CONF_STR(CONF_REPLAY_WINDOW_MAX) " packets", key, v);
	c->replay_window = (unsigned)x;
	return true;
}

/* Libreswan's mark syntax: VALUE[/MASK], each decimal or 0x hex, VALUE -1 for a
 * value pluto chooses per Child SA; the mask defaults to 0xffffffff */
static bool mark_number(const char *s, size_t len, uint32_t *out)
{
	char buf[32], *end;
	if (len == 0 || len >= sizeof(buf) || s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	unsigned long long x = strtoull(buf, &end, 0);
	if (*end != '\0' || errno != 0 || x > UINT32_MAX)
		return false;
	*out = (uint32_t)x;
	return true;
}

bool conf_mark_parse(const char *key, const char *v, struct conf_mark *out, char *why, size_t n)
{
	struct conf_mark m = { .set = true, .mask = UINT32_MAX };
	const char *slash = strchr(v, '/');
	size_t vlen = slash != NULL ? (size_t)(slash - v) : strlen(v);
	if (vlen == 2 && strncmp(v, "-1", 2) == 0)
		m.unique = true;
	else if (!mark_number(v, vlen, &m.value))
		return fail(why, n, "%s=%s: expected VALUE[/MASK] (numbers up to 0xffffffff; VALUE -1 "
			    "for a unique mark per Child SA)", key, v);
	if (slash != NULL && !mark_number(slash + 1, strlen(slash + 1), &m.mask))
		return fail(why, n, "%s=%s: the mask is not a number up to 0xffffffff", key, v);
	if (m.mask == 0)
		return fail(why, n, "%s=%s: a mask of 0 would match every packet", key, v);
	if (!m.unique && (m.value & ~m.mask) != 0)
		return fail(why, n, "%s=%s: the value has bits outside the mask", key, v);
	*out = m;
	return true;
}

static bool k_mark(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return conf_mark_parse(key, v, &c->mark, why, n);
}

static bool k_mark_in(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return conf_mark_parse(key, v, &c->mark_in, why, n);
}

static bool k_mark_out(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	return conf_mark_parse(key, v, &c->mark_out, why, n);
}

/* ppk= (Libreswan): RFC 8784 postquantum preshared keys */
static bool k_ppk(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	static const char *const names[] = { "no", "never", "propose", "yes", "insist", NULL };
	static const enum conf_ppk vals[] = { CONF_PPK_NO, CONF_PPK_NO, CONF_PPK_PROPOSE, CONF_PPK_PROPOSE,
					      CONF_PPK_INSIST };
	int i;
	if (!choice(key, v, names, &i, "propose, yes, insist, never or no", why, n))
		return false;
	c->ppk = vals[i];
	return true;
}

/* The n-th item of a ppk-ids= list: ',' separated, blanks around an item ignored */
bool conf_ppk_ids_nth(const char *list, unsigned n, const char **id, size_t *len)
{
	const char *p = list;
	for (unsigned i = 0;; i++) {
		p += strspn(p, " \t");
		size_t l = strcspn(p, ",");
		size_t t = l;
		while (t > 0 && (p[t - 1] == ' ' || p[t - 1] == '\t'))
			t--;
		if (*p == '\0' && i == 0)
			return false;		/* an empty list */
		if (i == n) {
			*id = p;
			*len = t;
			return true;
		}
		if (p[l] == '\0')
			return false;
		p += l + 1;
	}
}

bool conf_ppk_ids_allow(const char *list, const uint8_t *id, size_t len)
{
	const char *item;
	size_t l;
	if (!conf_ppk_ids_nth(list, 0, &item, &l))
		return true;
	for (unsigned i = 0; conf_ppk_ids_nth(list, i, &item, &l); i++)
		if (l == len && memcmp(item, id, len) == 0)
			return true;
	return false;
}

/* ppk-ids=ID[,ID...] (Libreswan 5): the PPK_IDs that may be used with this peer;
 * the initiator uses the first one ipsec.secrets has a PPKS entry for */
static bool k_ppk_ids(struct conf_conn *c, const char *key, const char *v, char *why, size_t n)
{
	const char *id;
	size_t len;
	unsigned i = 0;
	for (; conf_ppk_ids_nth(v, i, &id, &len); i++) {
		if (len == 0)
			return fail(why, n, "%s=%s: an empty PPK_ID in the list", key, v);
		if (len > CONF_PPK_ID_MAX)
			return fail(why, n, "%s=%s: a PPK_ID longer than " CONF_STR(CONF_PPK_ID_MAX) " octets",
				    key, v);
		if (i == CONF_MAX_PPK_IDS)
			return fail(why, n, "%s=%s: more than " CONF_STR(CONF_MAX_PPK_IDS) " PPK_IDs", key, v);
	}
	if (i == 0)
		return fail(why, n, "%s=%s: expected a list of PPK_IDs", key, v);
	snprintf(c->ppk_ids, sizeof(c->ppk_ids), "%s", v);
	return true;
}

/* --- left/right keys (key is the whole key, "leftsubnet") --- */

static bool e_addr(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	e->host = CONF_HOST_ADDR;
	e->host_str[0] = '\0';
	if (strcmp(v, "%any") == 0 || strcmp(v, "%any4") == 0 || strcmp(v, "%any6") == 0) {
		e->any = true;
		e->addr = (struct ip_addr){ 0 };
		return true;
	}
	e->any = false;
	if (strcmp(v, "%defaultroute") == 0) {
		e->host = CONF_HOST_DEFAULTROUTE;
		e->addr = (struct ip_addr){ 0 };
		return true;
	}
	if (v[0] == '%') {
		snprintf(why, n, "%s=%s: not supported yet: only addresses, DNS names, %%any and "
			 "%%defaultroute are implemented (no opportunistic or group conns)", key, v);
		return false;
	}
	if (ip_parse(v, &e->addr))
		return true;
	/* a DNS name, resolved when the file is loaded (conn.c) */
	e->host = CONF_HOST_DNS;
	e->addr = (struct ip_addr){ 0 };
	snprintf(e->host_str, sizeof(e->host_str), "%s", v);
	return true;
}

static bool e_nexthop(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	if (strcmp(v, "%defaultroute") == 0) {
		e->nexthop_defaultroute = true;
		return true;
	}
	if (strcmp(v, "%direct") == 0) {
		e->nexthop = (struct ip_addr){ 0 };
		return true;
	}
	if (!ip_parse(v, &e->nexthop))
		return fail(why, n, "%s=%s: expected an IP address, %%defaultroute or %%direct", key, v);
	return true;
}

static bool e_id(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	if (strcmp(v, "%fromcert") == 0) {
		/* the subject DN of leftcert= (ours) or of the peer's certificate */
		e->id_fromcert = true;
		e->has_id = true;
		snprintf(e->id_str, sizeof(e->id_str), "%s", v);
		return true;
	}
	if (!ike_id_parse(v, &e->id))
		return fail(why, n, "%s=%s is not a valid ID", key, v);
	snprintf(e->id_str, sizeof(e->id_str), "%s", v);
	e->has_id = true;
	return true;
}

/* one subnet, or a list (',' or white space, optionally in braces): the conn becomes
 * one conn per pair of subnets (conn.c) */
static bool e_subnets(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	char buf[CONF_VALUE_MAX], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", v);
	e->nsubnets = 0;
	for (char *w = strtok_r(buf, "{}, \t", &save); w != NULL; w = strtok_r(NULL, "{}, \t", &save)) {
		if (strncmp(w, "vhost:", 6) == 0 || strncmp(w, "vnet:", 5) == 0 || w[0] == '%') {
			snprintf(why, n, "%s=%s: not supported yet: vhost:, vnet: and %%priv subnets "
				 "(virtual-private=) are not implemented", key, v);
			return false;
		}
		if (e->nsubnets == CONF_MAX_SUBNETS)
			return fail(why, n, "%s=%s: more than " CONF_STR(CONF_MAX_SUBNETS) " subnets", key, v);
		if (!ip_subnet_parse(w, &e->subnets[e->nsubnets]))
			return fail(why, n, "%s=%s is not a valid subnet", key, v);
		e->nsubnets++;
	}
	if (e->nsubnets == 0)
		return fail(why, n, "%s=%s is not a valid subnet", key, v);
	e->subnet = e->subnets[0];
	return true;
}

static bool e_ikeport(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	return port(key, v, &e->ikeport, why, n);
}

/* leftprotoport=PROTO[/PORT] (Libreswan): PROTO a number or a name from
 * /etc/protocols' common ones, PORT a number or %any; "/%any" and "0" mean any. */
static bool e_protoport(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
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
			return fail(why, n, "%s=%s: unknown protocol", key, v);
	}
	long portv = 0;
	if (slash != NULL && strcmp(slash, "%any") != 0) {
		portv = strtol(slash, &end, 10);
		if (slash[0] < '0' || slash[0] > '9' || *end != '\0' || portv > 65535)
			return fail(why, n, "%s=%s: bad port", key, v);
	}
	if (portv != 0 && proto != 6 && proto != 17 && proto != 132)
		return fail(why, n, "%s=%s: a port needs tcp, udp or sctp", key, v);
	e->protocol = (uint8_t)proto;
	e->port = (uint16_t)portv;
	return true;
}

/* leftauth= (Libreswan): how this end authenticates, whatever authby= says */
static bool e_auth(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	bool sha1 = false;
	if (strcmp(v, "null") == 0 || strcmp(v, "eaponly") == 0) {
		snprintf(why, n, "%s=%s: not supported yet: EAP and NULL authentication", key, v);
		return false;
	}
	if (!auth_word(v, strlen(v), &e->auth, &sha1))
		return fail(why, n, "%s=%s: expected secret, rsasig or ecdsa", key, v);
	return true;
}

static bool e_cert(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	if (strlen(v) > CONF_CERT_NAME_MAX)
		return fail(why, n, "%s=%s: the nickname is longer than " CONF_STR(CONF_CERT_NAME_MAX) " octets",
			    key, v);
	snprintf(e->cert, sizeof(e->cert), "%s", v);
	return true;
}

/* leftsendcert=always|sendifasked|never (yes and no are Libreswan's aliases) */
static bool e_sendcert(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	if (strcmp(v, "always") == 0 || strcmp(v, "yes") == 0)
		e->sendcert = CONF_SENDCERT_ALWAYS;
	else if (strcmp(v, "sendifasked") == 0 || strcmp(v, "ifasked") == 0)
		e->sendcert = CONF_SENDCERT_IFASKED;
	else if (strcmp(v, "never") == 0 || strcmp(v, "no") == 0)
		e->sendcert = CONF_SENDCERT_NEVER;
	else
		return fail(why, n, "%s=%s: expected always, sendifasked or never", key, v);
	return true;
}

/* leftca= / rightca=: the issuer the end's certificate must chain to, as a DN;
 * %same: the issuer of the other end's certificate (Libreswan); %any: any */
static bool e_ca(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	struct ike_id dn;
	if (strcmp(v, "%same") != 0 && strcmp(v, "%any") != 0 &&
	    (!ike_id_parse(v, &dn) || dn.type != IKE_ID_DER_ASN1_DN))
		return fail(why, n, "%s=%s: expected a DN (\"C=.., O=.., CN=..\"), %%same or %%any", key, v);
	snprintf(e->ca, sizeof(e->ca), "%s", strcmp(v, "%any") == 0 ? "" : v);
	return true;
}

/* --- config setup keys --- */

static bool s_protostack(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	if (strcmp(v, "xfrm") != 0 && strcmp(v, "netkey") != 0 && strcmp(v, "none") != 0)
		return fail(why, n, "%s=%s: not supported: only xfrm (netkey) or none", key, v);
	snprintf(s->protostack, sizeof(s->protostack), "%s", strcmp(v, "none") ? "xfrm" : "none");
	return true;
}

static bool path(char *dst, const char *key, const char *v, char *why, size_t n)
{
	if (strlen(v) >= CONF_VALUE_MAX)
		return fail(why, n, "%s=%s: too long", key, v);
	snprintf(dst, CONF_VALUE_MAX, "%s", v);
	return true;
}

/* leftupdown="COMMAND ARGS" (Libreswan): run with /bin/sh -c on each Child SA event;
 * %disabled: none.  Any other %word is refused (Libreswan has none). */
static bool e_updown(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	if (strcmp(v, CONF_UPDOWN_DISABLED) == 0) {
		e->updown[0] = '\0';
		return true;
	}
	if (v[0] == '%')
		return fail(why, n, "%s=%s: expected a command or %%disabled", key, v);
	if (v[strspn(v, " \t")] == '\0')
		return fail(why, n, "%s=%s: expected a command or %%disabled", key, v);
	for (const char *c = v; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return fail(why, n, "%s=%s: a control character in the command", key, "...");
	return path(e->updown, key, v, why, n);
}

/* leftsourceip=ADDRESS (Libreswan); that it lies inside leftsubnet= is checked once
 * the conn is read (conn.c) */
static bool e_sourceip(struct conf_end *e, const char *key, const char *v, char *why, size_t n)
{
	if (strcmp(v, "%config") == 0 || strcmp(v, "%modecfg") == 0) {
		snprintf(why, n, "%s=%s: not supported yet: the IKEv2 configuration payload (address "
			 "pools, DNS) is not implemented", key, v);
		return false;
	}
	if (!ip_parse(v, &e->sourceip))
		return fail(why, n, "%s=%s is not an IP address", key, v);
	return true;
}

static bool s_logfile(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return path(s->logfile, key, v, why, n);
}

static bool s_dumpdir(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return path(s->dumpdir, key, v, why, n);
}

static bool s_nssdir(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return path(s->nssdir, key, v, why, n);
}

static bool s_secretsfile(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return path(s->secretsfile, key, v, why, n);
}

/* keylog-dir= (Interlude's own, no Libreswan equivalent): the files Wireshark reads
 * (ikev2_decryption_table, esp_sa) are appended to in this directory.  Absolute,
 * because pluto's working directory is dumpdir= or wherever it was started. */
static bool s_keylog_dir(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	if (v[0] != '/')
		return fail(why, n, "%s=%s: not an absolute path", key, v);
	return path(s->keylog_dir, key, v, why, n);
}

static bool s_logtime(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return yes_no(key, v, &s->logtime, why, n);
}

static bool s_logappend(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return yes_no(key, v, &s->logappend, why, n);
}

static bool s_listen(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	struct ip_addr a;
	if (!ip_parse(v, &a))
		return fail(why, n, "%s=%s is not an IP address", key, v);
	snprintf(s->listen, sizeof(s->listen), "%s", v);
	return true;
}

static bool s_ikeport(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return port(key, v, &s->ikeport, why, n);
}

static bool s_nattport(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return port(key, v, &s->nattport, why, n);
}

/* Libreswan: seconds between NAT-T keepalives (RFC 3948 2.3) */
static bool s_keepalive(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return duration(key, v, 1000, 1000, &s->keep_alive_s, why, n);
}

/* ike-socket-bufsize=N: receive and send buffers of the IKE sockets, in octets */
static bool s_bufsize(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	uint64_t x;
	if (!count(key, v, &x, why, n))
		return false;
	if (x < 4096 || x > 64u << 20)
		return fail(why, n, "%s=%s: expected 4096 to 67108864 octets", key, v);
	s->ike_socket_bufsize = (unsigned)x;
	return true;
}

/* nhelpers=N (Libreswan): crypto helper threads; -1 = from the CPU count, 0 = inline */
static bool s_nhelpers(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	uint64_t x;
	if (strcmp(v, "-1") == 0) {
		s->nhelpers = CONF_NHELPERS_AUTO;
		return true;
	}
	if (!count(key, v, &x, why, n))
		return false;
	if (x > CONF_NHELPERS_MAX)
		return fail(why, n, "%s=%s: expected -1 or 0 to " CONF_STR(CONF_NHELPERS_MAX), key, v);
	s->nhelpers = (int)x;
	return true;
}

static bool s_uniqueids(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return yes_no(key, v, &s->uniqueids, why, n);
}

/* seccomp= (Libreswan): enabled, tolerant or disabled (the default) */
static bool s_seccomp(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	static const char *const names[] = { "disabled", "tolerant", "enabled" };
	for (unsigned i = 0; i < 3; i++) {
		if (strcmp(v, names[i]) == 0) {
			s->seccomp = (enum conf_seccomp)i;
			return true;
		}
	}
	return fail(why, n, "%s=%s: expected enabled, tolerant or disabled", key, v);
}

/* Libreswan's ddos-mode=: auto (cookies past ddos-ike-threshold=), busy (always),
 * unlimited (never) */
static bool s_ddos_mode(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	static const char *const names[] = { "auto", "busy", "unlimited" };
	for (unsigned i = 0; i < 3; i++) {
		if (strcmp(v, names[i]) == 0) {
			s->ddos_mode = (enum conf_ddos_mode)i;
			return true;
		}
	}
	return fail(why, n, "%s=%s: expected auto, busy or unlimited", key, v);
}

static bool setup_count(const char *key, const char *v, unsigned *out, char *why, size_t n)
{
	uint64_t x;
	if (!count(key, v, &x, why, n))
		return false;
	if (x == 0 || x > CONF_MAX_HALFOPEN_IKE_MAX)
		return fail(why, n, "%s=%s: expected 1 to " CONF_STR(CONF_MAX_HALFOPEN_IKE_MAX), key, v);
	*out = (unsigned)x;
	return true;
}

/* ddos-ike-threshold=: half-open IKE SAs before IKE_SA_INIT requests must return a
 * COOKIE (RFC 7296 2.6) */
static bool s_ddos_threshold(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return setup_count(key, v, &s->ddos_ike_threshold, why, n);
}

/* max-halfopen-ike=: half-open IKE SAs before new IKE_SA_INIT requests are dropped */
static bool s_max_halfopen(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return setup_count(key, v, &s->max_halfopen_ike, why, n);
}

/* updown-timeout= (Interlude's own): how long an updown script may run */
static bool s_updown_timeout(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	unsigned t;
	if (!duration(key, v, 1000, 1000, &t, why, n))
		return false;
	if (t > CONF_UPDOWN_TIMEOUT_MAX_S)
		return fail(why, n, "%s=%s: at most " CONF_STR(CONF_UPDOWN_TIMEOUT_MAX_S) " seconds", key, v);
	s->updown_timeout_s = t;
	return true;
}

/* max-ike-sas=: IKE SAs kept at once (no hidden ceiling: the table grows to it) */
static bool s_max_ike_sas(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	uint64_t x;
	if (!count(key, v, &x, why, n))
		return false;
	if (x == 0 || x > CONF_MAX_IKE_SAS_MAX)
		return fail(why, n, "%s=%s: expected 1 to " CONF_STR(CONF_MAX_IKE_SAS_MAX), key, v);
	s->max_ike_sas = (unsigned)x;
	return true;
}

/* plutodebug= (Libreswan): debug categories of the whole daemon */
static bool s_plutodebug(struct conf_setup *s, const char *key, const char *v, char *why, size_t n)
{
	return debug_list(key, v, &s->plutodebug, why, n);
}

/* --- the table --- */

#define C(name, fn, ex)  { name, CONF_KW_CONN, CONF_KW_IMPLEMENTED, NULL, NULL, ex, NULL, fn, NULL, NULL }
#define E(name, fn, ex)  { name, CONF_KW_END, CONF_KW_IMPLEMENTED, NULL, NULL, ex, NULL, NULL, fn, NULL }
#define S(name, fn, ex)  { name, CONF_KW_SETUP, CONF_KW_IMPLEMENTED, NULL, NULL, ex, NULL, NULL, NULL, fn }
#define ALIAS(sec, name, of, st, why, ex) { name, sec, st, why, NULL, ex, of, NULL, NULL, NULL }
#define V1(sec, name, why, same, ex)  { name, sec, CONF_KW_IKEV1, why, same, ex, NULL, NULL, NULL, NULL }
#define YET(sec, name, why, same, ex) { name, sec, CONF_KW_NOT_YET, why, same, ex, NULL, NULL, NULL, NULL }
#define OBS(sec, name, why, ex)       { name, sec, CONF_KW_OBSOLETE, why, NULL, ex, NULL, NULL, NULL, NULL }
#define CN CONF_KW_CONN
#define EN CONF_KW_END
#define SE CONF_KW_SETUP

#define R_OCSP     "online certificate checks (OCSP, fetching CRLs) are not implemented; CRLs in the NSS database are used"
#define R_ROUTE    "the updown script's routes take no metric or MTU yet"
#define R_SHUNT    "shunt and on-demand (trap) policies are not implemented"
#define R_IFACE    "VTI and XFRM (ipsec-interface) devices are not implemented"
#define R_REDIRECT "IKEv2 redirect (RFC 5685) is not implemented"
#define R_TCP      "IKE and ESP over TCP (RFC 8229) are not implemented"
#define R_CP       "the IKEv2 configuration payload (address pools, DNS) is not implemented"
#define R_MODECFG  "ModeCFG server and client are not implemented"
#define R_XAUTH    "XAUTH is IKEv1"
#define R_LABEL    "labeled IPsec is not implemented"
#define R_KERNEL   "this kernel SA/policy option is not set by kernel_xfrm.c yet"
#define R_LOG      "pluto logs to logfile= or stderr only"
#define R_DNS      "host names are resolved with the system resolver (getaddrinfo), without DNSSEC"
#define R_KLIPS    "KLIPS is gone; it has no effect with XFRM"

static const struct conf_keyword table[] = {
	/* conn: implemented */
	C("authby", k_authby, "rsasig"),
	C("ike", k_ike, "aes_gcm256-sha2_256-dh19"),
	C("esp", k_esp, "aes_gcm256-null"),
	ALIAS(CN, "phase2alg", "esp", CONF_KW_IMPLEMENTED, NULL, "aes_gcm256"),
	C("phase2", k_phase2, "esp"),
	C("intermediate", k_intermediate, "yes"),
	C("fragmentation", k_fragmentation, "yes"),
	C("fragment-size", k_fragsize, "1280"),
	C("auto", k_auto, "add"),
	C("retransmit-timeout", k_rtimeout, "60s"),
	C("retransmit-interval", k_rinterval, "500ms"),
	C("ikelifetime", k_ikelifetime, "8h"),
	C("salifetime", k_salifetime, "8h"),
	ALIAS(CN, "ipsec-lifetime", "salifetime", CONF_KW_IMPLEMENTED, NULL, "8h"),
	ALIAS(CN, "lifetime", "salifetime", CONF_KW_OBSOLETE, "an obsolete name of salifetime=", "8h"),
	ALIAS(CN, "keylife", "salifetime", CONF_KW_OBSOLETE, "an obsolete name of salifetime=", "8h"),
	C("rekey", k_rekey, "yes"),
	C("reauth", k_reauth, "no"),
	C("rekeymargin", k_rekeymargin, "9m"),
	C("rekeyfuzz", k_rekeyfuzz, "100%"),
	C("ipsec-max-bytes", k_maxbytes, "0"),
	C("ipsec-max-packets", k_maxpackets, "0"),
	C("esn", k_esn, "either"),
	C("dpddelay", k_dpddelay, "30s"),
	C("dpdtimeout", k_dpdtimeout, "120s"),
	C("dpdaction", k_dpdaction, "restart"),
	C("keyexchange", k_keyexchange, "ike"),
	C("ikev2", k_ikev2, "insist"),
	C("type", k_type, "tunnel"),
	C("nat-keepalive", k_natkeepalive, "yes"),
	C("pfs", k_pfs, "yes"),
	C("reqid", k_reqid, "100"),
	C("hostaddrfamily", k_hostfamily, "ipv4"),
	C("clientaddrfamily", k_clientfamily, "ipv4"),
	C("narrowing", k_narrowing, "yes"),
	C("sendca", k_sendca, "issuer"),
	C("debug", k_debug, "all"),
	C("encapsulation", k_encapsulation, "yes"),
	C("replay-window", k_replay, "128"),
	C("mark", k_mark, "-1/0xffffffff"),
	C("mark-in", k_mark_in, "1/0xffffffff"),
	C("mark-out", k_mark_out, "0x10/0xf0"),
	C("ppk", k_ppk, "propose"),
	C("ppk-ids", k_ppk_ids, "PPK_ID_1,PPK_ID_2"),
	/* left/right: implemented */
	E("", e_addr, "192.0.2.45"),
	E("subnet", e_subnets, "10.0.1.0/24"),
	E("subnets", e_subnets, "{10.0.1.0/24 10.0.2.0/24}"),
	E("id", e_id, "@west"),
	E("ikeport", e_ikeport, "500"),
	E("protoport", e_protoport, "udp/1701"),
	E("nexthop", e_nexthop, "%defaultroute"),
	E("auth", e_auth, "ecdsa"),
	E("cert", e_cert, "west"),
	E("ca", e_ca, "%same"),
	E("sendcert", e_sendcert, "always"),
	E("updown", e_updown, "ipsec _updown"),
	E("sourceip", e_sourceip, "192.0.2.2"),
	/* conn: IKEv1 only */
	V1(CN, "aggressive", "IKEv1 Aggressive Mode", "no", "no"),
	ALIAS(CN, "aggrmode", "aggressive", CONF_KW_IKEV1, "IKEv1 Aggressive Mode", "no"),
	V1(CN, "nat-ikev1-method", "IKEv1 NAT-T", NULL, "drafts"),
	V1(CN, "ikepad", "IKEv1 message padding", "yes", "yes"),
	V1(CN, "xauthby", R_XAUTH, NULL, "file"),
	V1(CN, "xauthfail", R_XAUTH, NULL, "hard"),
	V1(CN, "pam-authorize", R_XAUTH, "no", "no"),
	V1(CN, "remote-peer-type", "Cisco IKEv1 peers", "ietf", "ietf"),
	V1(CN, "cisco-unity", "Cisco Unity is IKEv1", "no", "no"),
	V1(CN, "cisco-split", "Cisco Unity is IKEv1", "no", "no"),
	V1(CN, "modecfgpull", R_MODECFG, "no", "no"),
	V1(CN, "modecfgdns", R_MODECFG, NULL, "192.0.2.53"),
	V1(CN, "modecfgdomains", R_MODECFG, NULL, "example.com"),
	V1(CN, "modecfgbanner", R_MODECFG, NULL, "hello"),
	V1(CN, "modecfgoptions", R_MODECFG, NULL, "mtu"),
	V1(EN, "xauthserver", R_XAUTH, "no", "no"),
	V1(EN, "xauthclient", R_XAUTH, "no", "no"),
	V1(EN, "username", R_XAUTH, NULL, "alice"),
	V1(EN, "modecfgserver", R_MODECFG, "no", "no"),
	V1(EN, "modecfgclient", R_MODECFG, "no", "no"),
	/* conn: not yet */
	YET(CN, "alsoflip", "alsoflip= is not implemented (use also=)", NULL, "base"),
	YET(CN, "ah", "AH is not implemented (ESP only)", NULL, "sha2_256"),
	YET(CN, "sha2-truncbug", "truncated SHA2-256 (96 bits) is not implemented", "no", "no"),
	YET(CN, "ms-dh-downgrade", "the Windows DH downgrade in a rekey is not implemented", "no", "no"),
	YET(CN, "dns-match-id", "IDs are not checked against DNS", "no", "no"),
	YET(CN, "require-id-on-certificate", R_CERT, "yes", "yes"),
	YET(CN, "mobike", "MOBIKE (RFC 4555) is not implemented", "no", "no"),
	YET(CN, "decap-dscp", R_KERNEL, "no", "no"),
	YET(CN, "encap-dscp", R_KERNEL, "yes", "yes"),
	YET(CN, "nopmtudisc", R_KERNEL, "no", "no"),
	YET(CN, "nic-offload", "ESP offload to the NIC is not requested", "no", "no"),
	YET(CN, "enable-tcp", R_TCP, "no", "no"),
	YET(CN, "tcp-remoteport", R_TCP, NULL, "4500"),
	YET(CN, "initial-contact", "INITIAL_CONTACT is always sent", "yes", "yes"),
	YET(CN, "ignore-peer-dns", R_CP, "no", "no"),
	YET(CN, "accept-redirect", R_REDIRECT, "no", "no"),
	YET(CN, "accept-redirect-to", R_REDIRECT, NULL, "192.0.2.1"),
	YET(CN, "send-redirect", R_REDIRECT, "no", "no"),
	YET(CN, "redirect-to", R_REDIRECT, NULL, "192.0.2.1"),
	YET(CN, "fake-strongswan", "vendor IDs are not sent", "no", "no"),
	YET(CN, "send-vendorid", "vendor IDs are not sent", "no", "no"),
	YET(CN, "overlapip", "overlapping client addresses are not implemented", "no", "no"),
	YET(CN, "keyingtries", "an auto=start conn is revived with back-off forever", "%forever|0", "%forever"),
	YET(CN, "compress", "IPComp is not implemented", "no", "no"),
	YET(CN, "metric", R_ROUTE, NULL, "1"),
	YET(CN, "mtu", R_ROUTE, NULL, "1400"),
	YET(CN, "tfc", R_KERNEL, "0", "0"),
	YET(CN, "send-no-esp-tfc", "ESP_TFC_PADDING_NOT_SUPPORTED is not sent", "no", "no"),
	YET(CN, "nflog", R_KERNEL, NULL, "5"),
	YET(CN, "nflog-group", R_KERNEL, NULL, "5"),
	YET(CN, "vti-interface", R_IFACE, NULL, "vti01"),
	YET(CN, "vti-routing", R_IFACE, NULL, "yes"),
	YET(CN, "vti-shared", R_IFACE, NULL, "no"),
	YET(CN, "ipsec-interface", R_IFACE, "no", "1"),
	YET(CN, "priority", R_KERNEL, NULL, "1000"),
	YET(CN, "policy-label", R_LABEL, NULL, "system_u:object_r:ipsec_spd_t:s0"),
	YET(CN, "sec-label", R_LABEL, NULL, "system_u:object_r:ipsec_spd_t:s0"),
	YET(CN, "failureshunt", R_SHUNT, "none", "none"),
	YET(CN, "negotiationshunt", R_SHUNT, "hold", "hold"),
	YET(CN, "sareftrack", R_KLIPS, "yes", "yes"),
	YET(CN, "nm-configured", "NetworkManager integration is not implemented", "no", "no"),
	YET(CN, "iptfs", "IP-TFS (RFC 9347) is not implemented", "no", "no"),
	YET(CN, "iptfs-fragmentation", "IP-TFS (RFC 9347) is not implemented", NULL, "yes"),
	YET(CN, "iptfs-packet-size", "IP-TFS (RFC 9347) is not implemented", NULL, "0"),
	YET(CN, "iptfs-max-queue-size", "IP-TFS (RFC 9347) is not implemented", NULL, "1048576"),
	YET(CN, "iptfs-drop-time", "IP-TFS (RFC 9347) is not implemented", NULL, "1s"),
	YET(CN, "iptfs-init-delay", "IP-TFS (RFC 9347) is not implemented", NULL, "0s"),
	YET(CN, "iptfs-reorder-window", "IP-TFS (RFC 9347) is not implemented", NULL, "3"),
	YET(CN, "reject-simultaneous-ike-auth", "simultaneous IKE_AUTH is settled by the nonce rule", NULL, "yes"),
	YET(CN, "session-resumption", "session resumption (RFC 5723) is not implemented", "no", "no"),
	YET(CN, "share-lease", R_CP, NULL, "yes"),
	YET(CN, "updown-config", "the updown script has no settings (it never changes resolv.conf)", NULL,
	    "update-resolvconf=no"),
	YET(CN, "ike-sa-init-full-transcript-auth", "not implemented", "no", "no"),
	YET(CN, "clones", "clones= is not implemented", NULL, "2"),
	/* left/right: not yet */
	YET(EN, "vti", R_IFACE, NULL, "10.0.7.1/24"),
	YET(EN, "addresspool", R_CP, NULL, "10.0.8.1-10.0.8.200"),
	YET(EN, "cat", "client address translation is not implemented", "no", "no"),
	YET(EN, "rsasigkey", R_CERT, NULL, "%cert"),
	YET(EN, "ecdsakey", R_CERT, NULL, "%cert"),
	YET(EN, "eddsakey", R_CERT, NULL, "%cert"),
	YET(EN, "pubkey", R_CERT, NULL, "%cert"),
	YET(EN, "ckaid", R_CERT, NULL, "0123456789abcdef"),
	YET(EN, "autheap", "EAP is not implemented", "none", "none"),
	YET(EN, "interface-ip", R_IFACE, NULL, "192.0.2.1/24"),
	YET(CN, "interface-ip", R_IFACE, NULL, "192.0.2.1/24"),	/* 4.10's spelling */
	YET(EN, "groups", "policy groups are not implemented", NULL, "group1"),
	OBS(EN, "firewall", "Libreswan: obsolete, use updown scripts", "no"),
	OBS(CN, "labeled-ipsec", "Libreswan: obsolete, policy-label= alone enables it", "no"),
	OBS(CN, "connaddrfamily", "Libreswan: obsolete, replaced by hostaddrfamily= and clientaddrfamily=", "ipv4"),
	OBS(CN, "pfsgroup", "Libreswan: obsolete, ignored; put the group in esp= (aes_gcm256;dh19)", "dh19"),
	OBS(CN, "forceencaps", "Libreswan: obsolete, replaced by encapsulation=", "no"),

	/* config setup: implemented */
	S("protostack", s_protostack, "xfrm"),
	S("listen", s_listen, "192.0.2.45"),
	S("ikeport", s_ikeport, "500"),
	S("nat-ikeport", s_nattport, "4500"),
	S("keep-alive", s_keepalive, "20"),
	S("uniqueids", s_uniqueids, "yes"),
	S("seccomp", s_seccomp, "enabled"),
	S("ddos-mode", s_ddos_mode, "auto"),
	S("ddos-ike-threshold", s_ddos_threshold, "256"),
	S("max-halfopen-ike", s_max_halfopen, "1024"),
	S("max-ike-sas", s_max_ike_sas, "1000000"),
	S("ike-socket-bufsize", s_bufsize, "262144"),
	S("nhelpers", s_nhelpers, "1"),
	S("logfile", s_logfile, "/var/log/pluto.log"),
	S("logtime", s_logtime, "yes"),
	S("logappend", s_logappend, "yes"),
	S("dumpdir", s_dumpdir, "/run/pluto"),
	S("nssdir", s_nssdir, "/var/lib/ipsec/nss"),
	S("secretsfile", s_secretsfile, "/etc/ipsec.secrets"),
	S("keylog-dir", s_keylog_dir, "/var/lib/ipsec/keylog"),
	S("plutodebug", s_plutodebug, "all"),
	S("updown-timeout", s_updown_timeout, "30s"),
	/* config setup: IKEv1 */
	V1(SE, "ikev1-policy", "IKEv1 messages are dropped", "drop", "drop"),
	V1(SE, "ikev1-secctx-attr-type", "IKEv1 labeled IPsec", NULL, "32001"),
	/* config setup: not yet */
	YET(SE, "syslog", R_LOG, NULL, "daemon.error"),
	YET(SE, "logip", "addresses are always logged", "yes", "yes"),
	YET(SE, "audit-log", "Linux audit messages are not written", "no", "yes"),
	YET(SE, "loglimit", "log lines are not rate-limited by a setting", NULL, "1000"),
	YET(SE, "ike-socket-errqueue", "socket error queues are not read", "no", "yes"),
	YET(SE, "listen-udp", "pluto always listens on UDP", "yes", "yes"),
	YET(SE, "listen-tcp", R_TCP, "no", "no"),
	YET(SE, "nflog-all", R_KERNEL, NULL, "5"),
	YET(SE, "virtual-private", "vhost:, vnet: and %priv subnets are not implemented", NULL,
	    "%v4:10.0.0.0/8,%v4:192.168.0.0/16,%v4:172.16.0.0/12"),
	ALIAS(SE, "virtual_private", "virtual-private", CONF_KW_NOT_YET,
	      "vhost:, vnet: and %priv subnets are not implemented", "%v4:10.0.0.0/8"),
	YET(SE, "myvendorid", "vendor IDs are not sent", NULL, "interlude"),
	YET(SE, "seedbits", "NSS seeds itself", "0", "0"),
	YET(SE, "crlcheckinterval", R_OCSP, "0", "0"),
	YET(SE, "crl-strict", R_OCSP, "no", "no"),
	ALIAS(SE, "strictcrlpolicy", "crl-strict", CONF_KW_NOT_YET, R_OCSP, "no"),
	YET(SE, "crl-timeout", R_OCSP, NULL, "5s"),
	YET(SE, "curl-iface", R_OCSP, NULL, "eth0"),
	YET(SE, "curl-timeout", R_OCSP, NULL, "5s"),
	YET(SE, "ocsp-enable", R_OCSP, "no", "no"),
	YET(SE, "ocsp-strict", R_OCSP, "no", "no"),
	YET(SE, "ocsp-method", R_OCSP, NULL, "get"),
	YET(SE, "ocsp-timeout", R_OCSP, NULL, "2"),
	YET(SE, "ocsp-uri", R_OCSP, NULL, "http://ocsp.example.com"),
	YET(SE, "ocsp-trustname", R_OCSP, NULL, "ocsp"),
	YET(SE, "ocsp-cache-size", R_OCSP, NULL, "1000"),
	YET(SE, "ocsp-cache-min-age", R_OCSP, NULL, "1h"),
	YET(SE, "ocsp-cache-max-age", R_OCSP, NULL, "1d"),
	YET(SE, "global-redirect", R_REDIRECT, "no", "no"),
	YET(SE, "global-redirect-to", R_REDIRECT, NULL, "192.0.2.1"),
	YET(SE, "shuntlifetime", R_SHUNT, NULL, "15m"),
	YET(SE, "xfrmlifetime", R_SHUNT, NULL, "30"),
	YET(SE, "expire-lifetime", R_SHUNT, NULL, "30"),
	YET(SE, "expire-shunt-interval", R_SHUNT, NULL, "20s"),
	YET(SE, "statsbin", "no statistics helper is run", NULL, "/usr/local/bin/stats"),
	YET(SE, "ipsecdir", "policy groups and ipsec.d are not read; use pluto --ipsecdir", NULL, "/etc/ipsec.d"),
	YET(SE, "rundir", "pluto --rundir sets the run directory", NULL, "/run/pluto"),
	YET(SE, "exampledir", "no example directory is used", NULL, "/usr/share/doc"),
	YET(SE, "dnssec-enable", R_DNS, "no", "no"),
	YET(SE, "dnssec-rootkey-file", R_DNS, NULL, "/var/lib/unbound/root.key"),
	YET(SE, "dnssec-anchors", R_DNS, NULL, "/etc/ipsec.d/anchors"),
	YET(SE, "dns-resolver", R_DNS, "file", "unbound"),
	YET(SE, "ipsec-interface-managed", R_IFACE, NULL, "yes"),
	YET(SE, "autoall-reconcile", "not implemented", NULL, "yes"),
	YET(SE, "autoall-sweep", "not implemented", NULL, "yes"),
	YET(SE, "signature-hash-algorithms", R_CERT, NULL, "sha2_256"),
	YET(SE, "ike-sa-init-full-transcript-auth", "not implemented", "no", "no"),
	OBS(SE, "interfaces", "Libreswan: obsolete, pluto listens on every address", "%defaultroute"),
	OBS(SE, "klipsdebug", R_KLIPS, "none"),
	OBS(SE, "plutorestartoncrash", "Libreswan: obsolete", "yes"),
	OBS(SE, "plutostderrlog", "Libreswan: obsolete, use logfile=", "/var/log/pluto.log"),
	OBS(SE, "perpeerlog", "Libreswan: obsolete", "no"),
	OBS(SE, "perpeerlogdir", "Libreswan: obsolete", "/var/log/pluto/peer"),
	OBS(SE, "fragicmp", R_KLIPS, "yes"),
	OBS(SE, "hidetos", R_KLIPS, "yes"),
	OBS(SE, "overridemtu", R_KLIPS, "1400"),
	OBS(SE, "nat_traversal", "Libreswan: obsolete, NAT traversal is always on", "yes"),
	OBS(SE, "force_keepalive", "Libreswan: obsolete", "no"),
	OBS(SE, "oe", "Libreswan: obsolete", "off"),
};

const struct conf_keyword *conf_keywords(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const struct conf_keyword *conf_keyword_find(enum conf_kw_section where, const char *key)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].section == where && strcmp(table[i].name, key) == 0)
			return &table[i];
	return NULL;
}
