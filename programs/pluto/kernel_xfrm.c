/* kernel_xfrm.c -- protostack=xfrm: ESP SAs and IPsec policies through XFRM netlink
 * (libmnl), RFC 4301 4.4 (SPD, SAD) as Linux implements them.
 *
 * - SAs go in first (both directions), then policies: out, in and, in tunnel mode,
 *   fwd.  A kernel without ESP refuses the first SA; that is reported in one clear
 *   line and the Child SA fails.
 * - Each connection's Child SAs carry the connection's reqid; a policy template
 *   names it, so that two connections to one peer use their own SAs.
 * - Policies are written with XFRM_MSG_UPDPOLICY and reference-counted by selector
 *   and direction: a second Child SA with the same selectors (reauthentication, a
 *   restart of the peer, both ends initiating) shares the policy, and the policy
 *   goes only when its last Child SA goes.  Removal never touches a policy that
 *   this daemon did not install.
 * - Every reqid of this daemon lies in PLUTO_REQID_BASE + [0, PLUTO_REQID_SPAN];
 *   at start, SAs and policies in that range (left by an earlier run that did not
 *   end cleanly) are removed.
 * - With a NAT, the SAs carry XFRMA_ENCAP (UDP_ENCAP_ESPINUDP, RFC 3948) and the
 *   NAT-T socket gets UDP_ENCAP so that the kernel decapsulates ESP in UDP.
 * - Key material is wiped from every buffer after the netlink call.
 */
#include <errno.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "pluto.h"
#include "chunk.h"
#include "crypt.h"
#include "tsel.h"
#include "kernel_xfrm.h"

#define XFRM_BUF 4096
#define XFRM_AEAD_ICV_BITS 128
#define XFRM_POLICY_HASH 1024		/* buckets of the policy reference table */
/* RFC 4301 4.4.1: the more specific selector must win; Linux picks the lowest
 * priority value, so the priority falls with the prefix lengths and port/proto */
#define XFRM_PRIO_BASE 0x8000u

/* one installed policy, shared by the Child SAs whose selectors and direction
 * it carries; owners[] in install order, the newest one's template is in force */
struct xpol {
	struct xpol *next;
	struct xfrm_selector sel;
	uint8_t dir;
	struct xfrm_mark mark;		/* {0, 0}: none (a policy's key includes it) */
	unsigned n;
	const struct child_sa **owners;
};

struct xfrm_ctx {
	struct mnl_socket *nl;
	unsigned seq;
	struct xpol *pol[XFRM_POLICY_HASH];
	struct mnl_socket *events;	/* XFRMNLGRP_EXPIRE */
	struct event *events_ev;
};

/* --- netlink ------------------------------------------------------------------ */

/* send one request and wait for its ACK; errno from the kernel on failure */
static int xfrm_talk(struct xfrm_ctx *x, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++x->seq;
	if (mnl_socket_sendto(x->nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	unsigned portid = mnl_socket_get_portid(x->nl);
	ssize_t n = mnl_socket_recvfrom(x->nl, buf, sizeof(buf));
	if (n < 0)
		return errno;
	return xfrm_parse_ack(buf, (size_t)n, nlh->nlmsg_seq, portid);
}

/* The octets of buf that are whole netlink messages.  libmnl's mnl_nlmsg_ok()
 * compares nlmsg_len as an int, so a length of 2^31 or more passes as negative and
 * mnl_cb_run() then steps outside the buffer (found by fuzz_pluto_xfrm): every
 * buffer is checked here first, and what follows a bad header is dropped. */
static size_t nl_whole(const void *buf, size_t len)
{
	size_t off = 0;
	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		memcpy(&h, (const char *)buf + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off)
			break;
		size_t step = NLMSG_ALIGN(h.nlmsg_len);
		off += step < len - off ? step : len - off;
	}
	return off;
}

int xfrm_parse_ack(const void *buf, size_t len, unsigned seq, unsigned portid)
{
	size_t whole = nl_whole(buf, len);
	if (whole != len)
		return EPROTO;
	if (mnl_cb_run(buf, len, seq, portid, NULL, NULL) < 0)
		return errno != 0 ? errno : EPROTO;
	return 0;
}

/* a dump request (XFRM_MSG_GETSA or XFRM_MSG_GETPOLICY): our objects go to s */
static int xfrm_dump(struct xfrm_ctx *x, uint16_t type, struct xfrm_stale *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++x->seq;
	if (mnl_socket_sendto(x->nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	unsigned portid = mnl_socket_get_portid(x->nl);
	int r;
	do {
		ssize_t n = mnl_socket_recvfrom(x->nl, buf, sizeof(buf));
		if (n < 0)
			return errno;
		r = xfrm_parse_dump(type, buf, (size_t)n, nlh->nlmsg_seq, portid, s);
	} while (r > MNL_CB_STOP);
	return r < 0 ? errno : 0;
}

static void fill_addr(xfrm_address_t *xa, const struct ip_addr *a)
{
	memset(xa, 0, sizeof(*xa));
	memcpy(xa, a->b, ip_len(a));
}

static uint16_t family(const struct ip_addr *a)
{
	return a->version == 6 ? AF_INET6 : AF_INET;
}

/* mark= / mark-in= / mark-out= (conf.h): XFRMA_MARK of a direction's state and
 * policies; {0, 0} when the connection has none */
static struct xfrm_mark dir_mark(const struct child_sa *child, bool inbound)
{
	const struct conf_mark *m = inbound ? &child->mark_in : &child->mark_out;
	struct xfrm_mark x = { 0, 0 };
	if (m->set) {
		x.v = m->value;
		x.m = m->mask;
	}
	return x;
}

static void put_mark(struct nlmsghdr *nlh, const struct xfrm_mark *m)
{
	if (m->m != 0)
		mnl_attr_put(nlh, XFRMA_MARK, sizeof(*m), m);
}

/* --- SAs ---------------------------------------------------------------------- */

static void put_algs(struct nlmsghdr *nlh, const struct child_sa *child, const uint8_t *key)
{
	uint16_t encr = 0, keylen = 0, integ = 0;
	struct crypt_encr_info info;
	proposal_get(&child->proposal, IKE_TRANS_ENCR, &encr, &keylen);
	proposal_get(&child->proposal, IKE_TRANS_INTEG, &integ, NULL);
	crypt_encr_info(encr, keylen, &info);
	char abuf[sizeof(struct xfrm_algo_aead) + 64];
	if (info.aead) {
		/* RFC 4106: key material is the AES key followed by the 4-octet salt */
		struct xfrm_algo_aead *a = (struct xfrm_algo_aead *)abuf;
		memset(abuf, 0, sizeof(abuf));
		strcpy(a->alg_name, "rfc4106(gcm(aes))");
		a->alg_key_len = (unsigned)info.keylen * 8;
		a->alg_icv_len = XFRM_AEAD_ICV_BITS;
		memcpy(a->alg_key, key, info.keylen);
		mnl_attr_put(nlh, XFRMA_ALG_AEAD, sizeof(*a) + info.keylen, a);
		chunk_wipe(abuf, sizeof(abuf));
		return;
	}
	struct xfrm_algo *c = (struct xfrm_algo *)abuf;
	memset(abuf, 0, sizeof(abuf));
	strcpy(c->alg_name, "cbc(aes)");
	c->alg_key_len = (unsigned)info.keylen * 8;
	memcpy(c->alg_key, key, info.keylen);
	mnl_attr_put(nlh, XFRMA_ALG_CRYPT, sizeof(*c) + info.keylen, c);
	struct xfrm_algo_auth *h = (struct xfrm_algo_auth *)abuf;
	memset(abuf, 0, sizeof(abuf));
	size_t ik = crypt_integ_keylen(integ);
	snprintf(h->alg_name, sizeof(h->alg_name), "hmac(sha%zu)", ik == 20 ? (size_t)1 : ik * 8);
	h->alg_key_len = (unsigned)ik * 8;
	h->alg_trunc_len = (unsigned)crypt_integ_icvlen(integ) * 8;
	memcpy(h->alg_key, key + info.keylen, ik);
	mnl_attr_put(nlh, XFRMA_ALG_AUTH_TRUNC, sizeof(*h) + ik, h);
	chunk_wipe(abuf, sizeof(abuf));
}

/* The kernel's own limits (lifetime.c decides): soft = rekey, hard = gone; bytes
 * and packets (ipsec-max-bytes=, ipsec-max-packets=) soft at 7/8 of the hard limit */
static void put_lifetimes(struct xfrm_lifetime_cfg *lft, const struct child_sa *child)
{
	const struct conf_conn *cc = child->c != NULL ? &child->c->conf : NULL;
	lft->soft_byte_limit = lft->hard_byte_limit = XFRM_INF;
	lft->soft_packet_limit = lft->hard_packet_limit = XFRM_INF;
	lft->hard_add_expires_seconds = child->life_s;
	lft->soft_add_expires_seconds = child->rekey_s;
	if (cc != NULL && cc->max_bytes > 0) {
		lft->hard_byte_limit = cc->max_bytes;
		lft->soft_byte_limit = cc->rekey ? cc->max_bytes - cc->max_bytes / 8 : XFRM_INF;
	}
	if (cc != NULL && cc->max_packets > 0) {
		lft->hard_packet_limit = cc->max_packets;
		lft->soft_packet_limit = cc->rekey ? cc->max_packets - cc->max_packets / 8 : XFRM_INF;
	}
}

/* inbound: src = peer; the encap ports are as seen on the wire in that direction */
static int add_sa(struct xfrm_ctx *x, const struct child_sa *child, bool inbound, const uint8_t *key)
{
	char buf[XFRM_BUF];
	const struct ip_addr *src = inbound ? &child->remote : &child->local;
	const struct ip_addr *dst = inbound ? &child->local : &child->remote;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_NEWSA;
	struct xfrm_usersa_info *sa = mnl_nlmsg_put_extra_header(nlh, sizeof(*sa));
	fill_addr(&sa->id.daddr, dst);
	fill_addr(&sa->saddr, src);
	memcpy(&sa->id.spi, inbound ? child->spi_local : child->spi_remote, 4);
	sa->id.proto = IPPROTO_ESP;
	sa->family = family(src);
	sa->mode = child->transport ? XFRM_MODE_TRANSPORT : XFRM_MODE_TUNNEL;
	sa->reqid = child->reqid;
	put_lifetimes(&sa->lft, child);
	put_algs(nlh, child, key);
	uint16_t esn = IKE_ESN_NO;
	proposal_get(&child->proposal, IKE_TRANS_ESN, &esn, NULL);
	/* replay-window= (Libreswan, default 128; 0 = none): up to 255 packets fit in
	 * replay_window; ESN (RFC 4303 2.2.1) or a larger window needs the bitmap of
	 * XFRMA_REPLAY_ESN_VAL instead */
	uint32_t w = child->replay_window;
	sa->replay_window = (uint8_t)(w <= 255 ? w : 0);
	if (esn == IKE_ESN_YES || w > 255) {
		struct xfrm_replay_state_esn r;
		uint8_t esnv[sizeof(r) + CONF_REPLAY_WINDOW_MAX / 8];	/* r, then the bitmap */
		memset(&r, 0, sizeof(r));
		memset(esnv, 0, sizeof(esnv));
		r.bmp_len = (w + 31) / 32;
		r.replay_window = w;
		memcpy(esnv, &r, sizeof(r));
		if (esn == IKE_ESN_YES)
			sa->flags |= XFRM_STATE_ESN;
		sa->replay_window = 0;
		mnl_attr_put(nlh, XFRMA_REPLAY_ESN_VAL, sizeof(r) + r.bmp_len * 4, esnv);
	}
	if (child->encap) {
		/* RFC 3948 2.1: ESP in UDP between the NAT-T ports of the IKE SA */
		struct xfrm_encap_tmpl e;
		memset(&e, 0, sizeof(e));
		e.encap_type = UDP_ENCAP_ESPINUDP;
		e.encap_sport = htons(inbound ? child->encap_rport : child->encap_lport);
		e.encap_dport = htons(inbound ? child->encap_lport : child->encap_rport);
		mnl_attr_put(nlh, XFRMA_ENCAP, sizeof(e), &e);
	}
	struct xfrm_mark mark = dir_mark(child, inbound);
	put_mark(nlh, &mark);
	int r = xfrm_talk(x, nlh);
	chunk_wipe(buf, sizeof(buf));
	return r;
}

/* the kernel finds a marked SA only with its mark (xfrm_state_lookup) */
static struct nlmsghdr *sa_id_msg(char *buf, uint16_t type, const struct ip_addr *dst, const uint8_t spi[4],
				  const struct xfrm_mark *mark)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	struct xfrm_usersa_id *id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	fill_addr(&id->daddr, dst);
	memcpy(&id->spi, spi, 4);
	id->family = family(dst);
	id->proto = IPPROTO_ESP;
	put_mark(nlh, mark);
	return nlh;
}

static void del_sa(struct xfrm_ctx *x, const struct ip_addr *dst, const uint8_t spi[4], const struct xfrm_mark *mark)
{
	char buf[XFRM_BUF];
	xfrm_talk(x, sa_id_msg(buf, XFRM_MSG_DELSA, dst, spi, mark));
}

static int counters_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_usersa_info sa;	/* copied: 8-octet alignment (stale_sa_cb) */
	if (nlh->nlmsg_type != XFRM_MSG_NEWSA || mnl_nlmsg_get_payload_len(nlh) < sizeof(sa))
		return MNL_CB_OK;
	memcpy(&sa, mnl_nlmsg_get_payload(nlh), sizeof(sa));
	*(uint64_t *)data = sa.curlft.bytes;
	return MNL_CB_STOP;
}

int xfrm_parse_sa_bytes(const void *buf, size_t len, unsigned seq, unsigned portid, uint64_t *bytes)
{
	size_t whole = nl_whole(buf, len);
	return mnl_cb_run(buf, whole, seq, portid, counters_cb, bytes) < 0 ? (errno != 0 ? errno : EPROTO) : 0;
}

/* XFRM_MSG_GETSA: the octets the SA carried */
static bool sa_bytes(struct xfrm_ctx *x, const struct ip_addr *dst, const uint8_t spi[4],
		     const struct xfrm_mark *mark, uint64_t *bytes)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = sa_id_msg(buf, XFRM_MSG_GETSA, dst, spi, mark);
	nlh->nlmsg_flags |= NLM_F_REQUEST;
	nlh->nlmsg_seq = ++x->seq;
	if (mnl_socket_sendto(x->nl, nlh, nlh->nlmsg_len) < 0)
		return false;
	unsigned seq = nlh->nlmsg_seq;
	ssize_t n = mnl_socket_recvfrom(x->nl, buf, sizeof(buf));
	return n > 0 && xfrm_parse_sa_bytes(buf, (size_t)n, seq, mnl_socket_get_portid(x->nl), bytes) == 0;
}

/* --- selectors ------------------------------------------------------------------ */

/* A port range is a single port or all of them (protocol-wide); anything else
 * has no exact selector.  ICMP (RFC 4301 4.4.1.3) carries type/code in the ports. */
static bool port_sel(const struct ike_ts *t, __be16 *port, __be16 *mask)
{
	if (t->sport == 0 && t->eport == 65535) {
		*port = *mask = 0;
		return true;
	}
	if (t->sport != t->eport)
		return false;
	*port = htons(t->sport);
	*mask = 0xffff;
	return true;
}

/* selector for traffic from src to dst; false when the kernel cannot express it */
static bool sel_from_ts(struct xfrm_selector *sel, const struct ike_ts *src, const struct ike_ts *dst)
{
	size_t n = src->type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
	/* a range that is not one CIDR block is never widened (tsel.h) */
	int ps = tsel_prefix(src), pd = tsel_prefix(dst);
	memset(sel, 0, sizeof(*sel));
	if (ps < 0 || pd < 0 || src->type != dst->type)
		return false;
	if (src->ipproto != 0 && dst->ipproto != 0 && src->ipproto != dst->ipproto)
		return false;
	memcpy(&sel->saddr, src->saddr, n);
	memcpy(&sel->daddr, dst->saddr, n);
	sel->prefixlen_s = (uint8_t)ps;
	sel->prefixlen_d = (uint8_t)pd;
	sel->family = n == 16 ? AF_INET6 : AF_INET;
	sel->proto = src->ipproto ? src->ipproto : dst->ipproto;
	if (!port_sel(src, &sel->sport, &sel->sport_mask) || !port_sel(dst, &sel->dport, &sel->dport_mask))
		return false;
	return true;
}

static uint32_t sel_priority(const struct xfrm_selector *s)
{
	return XFRM_PRIO_BASE - 4u * (s->prefixlen_s + s->prefixlen_d) - (s->proto ? 2u : 0u) -
	       (s->sport_mask ? 1u : 0u) - (s->dport_mask ? 1u : 0u);
}

/* --- policies --------------------------------------------------------------------- */

static unsigned pol_bucket(const struct xfrm_selector *sel, uint8_t dir)
{
	const uint8_t *b = (const uint8_t *)sel;
	uint32_t h = 2166136261u ^ dir;
	for (size_t i = 0; i < sizeof(*sel); i++)
		h = (h ^ b[i]) * 16777619u;
	return h % XFRM_POLICY_HASH;
}

static struct xpol **pol_find(struct xfrm_ctx *x, const struct xfrm_selector *sel, uint8_t dir,
			      const struct xfrm_mark *mark)
{
	struct xpol **pp = &x->pol[pol_bucket(sel, dir)];
	for (; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->dir == dir && memcmp(&(*pp)->sel, sel, sizeof(*sel)) == 0 &&
		    (*pp)->mark.v == mark->v && (*pp)->mark.m == mark->m)
			break;
	return pp;
}

/* writes (creates or replaces) the policy with child's template */
static int pol_write(struct xfrm_ctx *x, const struct xfrm_selector *sel, uint8_t dir,
		     const struct child_sa *child)
{
	char buf[XFRM_BUF];
	bool in = dir != XFRM_POLICY_OUT;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_UPDPOLICY;
	struct xfrm_userpolicy_info *pol = mnl_nlmsg_put_extra_header(nlh, sizeof(*pol));
	pol->sel = *sel;
	pol->dir = dir;
	pol->action = XFRM_POLICY_ALLOW;
	pol->priority = sel_priority(sel);
	pol->lft.soft_byte_limit = pol->lft.hard_byte_limit = XFRM_INF;
	pol->lft.soft_packet_limit = pol->lft.hard_packet_limit = XFRM_INF;
	struct xfrm_user_tmpl t;
	memset(&t, 0, sizeof(t));
	t.id.proto = IPPROTO_ESP;
	t.family = family(&child->local);
	t.reqid = child->reqid;
	t.aalgos = t.ealgos = t.calgos = ~0u;
	t.mode = child->transport ? XFRM_MODE_TRANSPORT : XFRM_MODE_TUNNEL;
	if (!child->transport) {
		fill_addr(&t.id.daddr, in ? &child->local : &child->remote);
		fill_addr(&t.saddr, in ? &child->remote : &child->local);
	}
	mnl_attr_put(nlh, XFRMA_TMPL, sizeof(t), &t);
	struct xfrm_mark mark = dir_mark(child, in);
	put_mark(nlh, &mark);
	return xfrm_talk(x, nlh);
}

static void pol_delete(struct xfrm_ctx *x, const struct xfrm_selector *sel, uint8_t dir, const struct xfrm_mark *mark)
{
	char buf[XFRM_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_DELPOLICY;
	struct xfrm_userpolicy_id *id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	id->sel = *sel;
	id->dir = dir;
	put_mark(nlh, mark);
	xfrm_talk(x, nlh);
}

/* child takes (a share of) the policy; its template is written */
static int pol_ref(struct xfrm_ctx *x, const struct xfrm_selector *sel, uint8_t dir, const struct child_sa *child)
{
	struct xfrm_mark mark = dir_mark(child, dir != XFRM_POLICY_OUT);
	struct xpol **pp = pol_find(x, sel, dir, &mark), *e = *pp;
	if (e == NULL) {
		e = calloc(1, sizeof(*e));
		if (e == NULL)
			return ENOMEM;
		e->sel = *sel;
		e->dir = dir;
		e->mark = mark;
	}
	const struct child_sa **o = realloc(e->owners, (e->n + 1) * sizeof(*o));
	int r = o == NULL ? ENOMEM : pol_write(x, sel, dir, child);
	if (o != NULL)
		e->owners = o;
	if (r != 0) {
		if (e->n == 0) {
			free(e->owners);
			free(e);
		}
		return r;
	}
	e->owners[e->n++] = child;
	if (*pp == NULL)
		*pp = e;
	return 0;
}

/* child gives its share back: the last owner deletes the policy, an earlier
 * owner's template is restored when the newest one leaves */
static void pol_unref(struct xfrm_ctx *x, const struct xfrm_selector *sel, uint8_t dir, const struct child_sa *child)
{
	struct xfrm_mark mark = dir_mark(child, dir != XFRM_POLICY_OUT);
	struct xpol **pp = pol_find(x, sel, dir, &mark), *e = *pp;
	if (e == NULL)
		return;
	unsigned i = 0;
	while (i < e->n && e->owners[i] != child)
		i++;
	if (i == e->n)
		return;
	bool newest = i == e->n - 1;
	memmove(&e->owners[i], &e->owners[i + 1], (e->n - i - 1) * sizeof(e->owners[0]));
	e->n--;
	if (e->n == 0) {
		pol_delete(x, sel, dir, &mark);
		*pp = e->next;
		free(e->owners);
		free(e);
	} else if (newest) {
		pol_write(x, sel, dir, e->owners[e->n - 1]);
	}
}

/* the selector pairs of a Child SA: every local selector with every remote one
 * (RFC 7296 2.9: the SA covers the cross product of TSi and TSr) */
typedef int pol_fn(struct xfrm_ctx *x, const struct xfrm_selector *sel, uint8_t dir,
		   const struct child_sa *child);

static int for_each_policy(struct xfrm_ctx *x, const struct child_sa *child, pol_fn *fn, bool stop)
{
	int first = 0;
	for (unsigned i = 0; i < child->ts_local.n; i++) {
		for (unsigned j = 0; j < child->ts_remote.n; j++) {
			const struct ike_ts *l = &child->ts_local.ts[i], *r = &child->ts_remote.ts[j];
			struct xfrm_selector out, in;
			if (l->type != r->type)
				continue;	/* IPv4 with IPv6: no traffic */
			if (!sel_from_ts(&out, l, r) || !sel_from_ts(&in, r, l)) {
				if (stop)
					return EINVAL;
				continue;
			}
			int e = fn(x, &out, XFRM_POLICY_OUT, child);
			if (e == 0)
				e = fn(x, &in, XFRM_POLICY_IN, child);
			if (e == 0 && !child->transport)
				e = fn(x, &in, XFRM_POLICY_FWD, child);
			if (e != 0 && first == 0)
				first = e;
			if (e != 0 && stop)
				return e;
		}
	}
	return first;
}

static int unref_fn(struct xfrm_ctx *x, const struct xfrm_selector *sel, uint8_t dir, const struct child_sa *child)
{
	pol_unref(x, sel, dir, child);
	return 0;
}

/* --- stale state of an earlier run -------------------------------------------------- */

static bool our_reqid(uint32_t reqid)
{
	return reqid >= PLUTO_REQID_BASE && reqid - PLUTO_REQID_BASE <= PLUTO_REQID_SPAN;
}

static int stale_sa_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_stale *s = data;
	/* netlink aligns to 4 octets, the structure wants 8: copied, not pointed at */
	struct xfrm_usersa_info sa;
	if (nlh->nlmsg_type != XFRM_MSG_NEWSA || mnl_nlmsg_get_payload_len(nlh) < sizeof(sa))
		return MNL_CB_OK;
	memcpy(&sa, mnl_nlmsg_get_payload(nlh), sizeof(sa));
	if (!our_reqid(sa.reqid) || s->n >= XFRM_MAX_STALE)
		return MNL_CB_OK;
	const struct nlattr *a;
	struct xfrm_mark mark = { 0, 0 };
	mnl_attr_for_each(a, nlh, sizeof(sa))
		if (mnl_attr_get_type(a) == XFRMA_MARK && mnl_attr_get_payload_len(a) >= sizeof(mark))
			memcpy(&mark, mnl_attr_get_payload(a), sizeof(mark));
	s->sa_mark[s->n] = mark;
	struct xfrm_usersa_id *id = &s->sa[s->n++];
	id->daddr = sa.id.daddr;
	id->spi = sa.id.spi;
	id->family = sa.family;
	id->proto = sa.id.proto;
	return MNL_CB_OK;
}

static int stale_pol_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_stale *s = data;
	struct xfrm_userpolicy_info pol;	/* copied: 8-octet alignment (above) */
	const struct nlattr *a;
	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY || mnl_nlmsg_get_payload_len(nlh) < sizeof(pol) ||
	    s->n >= XFRM_MAX_STALE)
		return MNL_CB_OK;
	memcpy(&pol, mnl_nlmsg_get_payload(nlh), sizeof(pol));
	bool ours = false;
	struct xfrm_mark mark = { 0, 0 };
	mnl_attr_for_each(a, nlh, sizeof(pol)) {
		struct xfrm_user_tmpl t;
		if (mnl_attr_get_type(a) == XFRMA_MARK && mnl_attr_get_payload_len(a) >= sizeof(mark))
			memcpy(&mark, mnl_attr_get_payload(a), sizeof(mark));
		if (mnl_attr_get_type(a) != XFRMA_TMPL || mnl_attr_get_payload_len(a) < sizeof(t))
			continue;
		memcpy(&t, mnl_attr_get_payload(a), sizeof(t));
		ours |= our_reqid(t.reqid);
	}
	if (ours) {
		s->pol_mark[s->n] = mark;
		struct xfrm_userpolicy_id *id = &s->pol[s->n++];
		id->sel = pol.sel;
		id->index = pol.index;
		id->dir = pol.dir;
	}
	return MNL_CB_OK;
}

int xfrm_parse_dump(uint16_t type, const void *buf, size_t len, unsigned seq, unsigned portid,
		    struct xfrm_stale *s)
{
	return mnl_cb_run(buf, nl_whole(buf, len), seq, portid, type == XFRM_MSG_GETSA ? stale_sa_cb : stale_pol_cb, s);
}

/* delete n objects whose ids (size octets each) sit at ids, each with its mark;
 * how many went */
static unsigned delete_each(struct xfrm_ctx *x, uint16_t type, const void *ids, size_t size,
			    const struct xfrm_mark *marks, unsigned n)
{
	unsigned done = 0;
	for (unsigned i = 0; i < n; i++) {
		char buf[XFRM_BUF];
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = type;
		memcpy(mnl_nlmsg_put_extra_header(nlh, size), (const char *)ids + i * size, size);
		put_mark(nlh, &marks[i]);
		done += xfrm_talk(x, nlh) == 0;
	}
	return done;
}

static void remove_stale(struct pluto *p, struct xfrm_ctx *x)
{
	struct xfrm_stale *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return;
	unsigned nsa = 0, npol = 0;
	if (xfrm_dump(x, XFRM_MSG_GETPOLICY, s) == 0)
		npol = delete_each(x, XFRM_MSG_DELPOLICY, s->pol, sizeof(s->pol[0]), s->pol_mark, s->n);
	s->n = 0;
	if (xfrm_dump(x, XFRM_MSG_GETSA, s) == 0)
		nsa = delete_each(x, XFRM_MSG_DELSA, s->sa, sizeof(s->sa[0]), s->sa_mark, s->n);
	if (nsa + npol > 0)
		plog(p, "removed %u IPsec SA(s) and %u policy(ies) left in the kernel by an earlier run", nsa, npol);
	free(s);
}

/* --- the backend ---------------------------------------------------------------------- */

/* XFRM_MSG_EXPIRE: an SA of ours reached a soft or hard limit */
struct expiries {
	struct xfrm_expiry *out;
	unsigned n, max;
};

static int expire_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct expiries *x = data;
	struct xfrm_user_expire e;	/* copied: 8-octet alignment (stale_sa_cb) */
	if (nlh->nlmsg_type != XFRM_MSG_EXPIRE || mnl_nlmsg_get_payload_len(nlh) < sizeof(e))
		return MNL_CB_OK;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	if (!our_reqid(e.state.reqid) || e.state.id.proto != IPPROTO_ESP || x->n >= x->max)
		return MNL_CB_OK;
	memcpy(x->out[x->n].spi, &e.state.id.spi, 4);
	x->out[x->n].hard = e.hard != 0;
	x->n++;
	return MNL_CB_OK;
}

unsigned xfrm_parse_expire(const void *buf, size_t len, struct xfrm_expiry *out, unsigned max)
{
	struct expiries x = { out, 0, max };
	mnl_cb_run(buf, nl_whole(buf, len), 0, 0, expire_msg_cb, &x);
	return x.n;
}

static void expire_read(evutil_socket_t fd, short what, void *arg)
{
	struct pluto *p = arg;
	struct xfrm_ctx *x = p->kernel_ctx;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n = mnl_socket_recvfrom(x->events, buf, sizeof(buf));
	struct xfrm_expiry e[XFRM_MAX_EXPIRIES];
	unsigned k = n > 0 ? xfrm_parse_expire(buf, (size_t)n, e, XFRM_MAX_EXPIRIES) : 0;
	for (unsigned i = 0; i < k; i++)
		lifetime_kernel_expired(p, e[i].spi, e[i].hard);
}

/* the kernel's expire events drive rekeys (byte and packet limits) */
static void listen_expire(struct pluto *p, struct xfrm_ctx *x)
{
	x->events = mnl_socket_open(NETLINK_XFRM);
	if (x->events == NULL || mnl_socket_bind(x->events, 1u << (XFRMNLGRP_EXPIRE - 1), MNL_SOCKET_AUTOPID) < 0) {
		plog(p, "XFRM: cannot listen for expire events: %s; rekeys follow pluto's timers only",
		     strerror(errno));
		if (x->events != NULL)
			mnl_socket_close(x->events);
		x->events = NULL;
		return;
	}
	if (p->base != NULL) {
		x->events_ev = event_new(p->base, mnl_socket_get_fd(x->events), EV_READ | EV_PERSIST, expire_read, p);
		if (x->events_ev != NULL)
			event_add(x->events_ev, NULL);
	}
}

static bool xfrm_init(struct pluto *p, char *err, size_t errlen)
{
	struct xfrm_ctx *x = calloc(1, sizeof(*x));
	if (x == NULL)
		return false;
	x->nl = mnl_socket_open(NETLINK_XFRM);
	if (x->nl == NULL || mnl_socket_bind(x->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "cannot open XFRM netlink socket: %s", strerror(errno));
		if (x->nl != NULL)
			mnl_socket_close(x->nl);
		free(x);
		return false;
	}
	x->seq = (unsigned)time(NULL);
	p->kernel_ctx = x;
	remove_stale(p, x);
	listen_expire(p, x);
	return true;
}

static bool xfrm_install(struct pluto *p, struct ike_sa *ike, struct child_sa *child, char *err,
			 size_t errlen)
{
	struct xfrm_ctx *x = p->kernel_ctx;
	const uint8_t *k_out, *k_in;
	size_t half;
	child_sa_key_halves(child, &k_out, &k_in, &half);
	struct xfrm_mark m_in = dir_mark(child, true), m_out = dir_mark(child, false);
	int e = add_sa(x, child, false, k_out);
	if (e == 0) {
		e = add_sa(x, child, true, k_in);
		if (e != 0)
			del_sa(x, &child->remote, child->spi_remote, &m_out);
	}
	if (e != 0) {
		snprintf(err, errlen, "kernel refused the ESP SA: %s (errno %d)%s", strerror(e), e,
			 e == ENOSYS || e == EPROTONOSUPPORT ? "; this kernel has no ESP support" : "");
		return false;
	}
	e = for_each_policy(x, child, pol_ref, true);
	if (e != 0) {
		snprintf(err, errlen, e == EINVAL ? "a traffic selector is not a prefix and port the kernel can express" :
			 "kernel refused the IPsec policy: %s (errno %d)", strerror(e), e);
		for_each_policy(x, child, unref_fn, false);
		del_sa(x, &child->remote, child->spi_remote, &m_out);
		del_sa(x, &child->local, child->spi_local, &m_in);
		return false;
	}
	char marks[96] = "";
	if (child->mark_in.set || child->mark_out.set)
		kernel_mark_note(child, marks, sizeof(marks));
	snprintf(child->kernel_note, sizeof(child->kernel_note), "installed in the kernel (XFRM %s%s, reqid %u%s)",
		 child->transport ? "transport" : "tunnel", child->encap ? ", ESP in UDP" : "", child->reqid, marks);
	return true;
}

static void xfrm_remove(struct pluto *p, struct ike_sa *ike, struct child_sa *child)
{
	struct xfrm_ctx *x = p->kernel_ctx;
	struct xfrm_mark m_in = dir_mark(child, true), m_out = dir_mark(child, false);
	for_each_policy(x, child, unref_fn, false);
	del_sa(x, &child->remote, child->spi_remote, &m_out);
	del_sa(x, &child->local, child->spi_local, &m_in);
	child->installed = false;
}

static bool xfrm_counters(struct pluto *p, const struct child_sa *child, uint64_t *in_bytes, uint64_t *out_bytes)
{
	struct xfrm_ctx *x = p->kernel_ctx;
	struct xfrm_mark m_in = dir_mark(child, true), m_out = dir_mark(child, false);
	*in_bytes = *out_bytes = 0;
	bool a = sa_bytes(x, &child->local, child->spi_local, &m_in, in_bytes);
	bool b = sa_bytes(x, &child->remote, child->spi_remote, &m_out, out_bytes);
	return a && b;
}

static bool xfrm_natt_socket(struct pluto *p, int fd, uint8_t version, char *err, size_t errlen)
{
	/* RFC 3948 2.2: the kernel takes ESP (non-zero first octets) off the socket */
	int t = UDP_ENCAP_ESPINUDP;
	if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &t, sizeof(t)) < 0) {
		snprintf(err, errlen, "setsockopt(UDP_ENCAP_ESPINUDP) on IPv%u: %s", version, strerror(errno));
		return false;
	}
	return true;
}

static void xfrm_shutdown(struct pluto *p)
{
	struct xfrm_ctx *x = p->kernel_ctx;
	if (x == NULL)
		return;
	for (unsigned b = 0; b < XFRM_POLICY_HASH; b++) {
		while (x->pol[b] != NULL) {
			struct xpol *e = x->pol[b];
			x->pol[b] = e->next;
			free(e->owners);
			free(e);
		}
	}
	if (x->events_ev != NULL)
		event_free(x->events_ev);
	if (x->events != NULL)
		mnl_socket_close(x->events);
	mnl_socket_close(x->nl);
	free(x);
	p->kernel_ctx = NULL;
}

const struct kernel_ops kernel_xfrm_ops = {
	.name = "xfrm",
	.init = xfrm_init,
	.install = xfrm_install,
	.remove = xfrm_remove,
	.shutdown = xfrm_shutdown,
	.natt_socket = xfrm_natt_socket,
	.counters = xfrm_counters,
	.stack = "xfrm",
};
