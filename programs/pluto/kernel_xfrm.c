/* kernel_xfrm.c -- protostack=xfrm: ESP tunnel-mode SAs and policies through XFRM
 * netlink (libmnl).  SAs go in first, then policies; a kernel without ESP refuses
 * the first SA, which is reported in one clear line and the Child SA fails. */
#include <errno.h>
#include <linux/xfrm.h>
#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "pluto.h"
#include "crypt.h"

#define XFRM_BUF 4096
#define XFRM_AEAD_ICV_BITS 128

struct xfrm_ctx {
	struct mnl_socket *nl;
	unsigned seq;
};

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
	return true;
}

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
	if (mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, NULL, NULL) < 0)
		return errno;
	return 0;
}

static void fill_addr(xfrm_address_t *xa, const struct ip_addr *a)
{
	memset(xa, 0, sizeof(*xa));
	memcpy(xa, a->b, ip_len(a));
}

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
}

static int add_sa(struct xfrm_ctx *x, const struct ip_addr *src, const struct ip_addr *dst,
		  const uint8_t spi[4], const struct child_sa *child, const uint8_t *key)
{
	char buf[XFRM_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_NEWSA;
	struct xfrm_usersa_info *sa = mnl_nlmsg_put_extra_header(nlh, sizeof(*sa));
	fill_addr(&sa->id.daddr, dst);
	fill_addr(&sa->saddr, src);
	memcpy(&sa->id.spi, spi, 4);
	sa->id.proto = IPPROTO_ESP;
	sa->family = src->version == 6 ? AF_INET6 : AF_INET;
	sa->mode = XFRM_MODE_TUNNEL;
	sa->replay_window = 32;
	sa->reqid = 0;
	sa->lft.soft_byte_limit = sa->lft.hard_byte_limit = XFRM_INF;
	sa->lft.soft_packet_limit = sa->lft.hard_packet_limit = XFRM_INF;
	put_algs(nlh, child, key);
	return xfrm_talk(x, nlh);
}

static void sel_from_ts(struct xfrm_selector *sel, const struct ike_ts *src, const struct ike_ts *dst)
{
	/* a selector is a prefix; a range that is a subnet maps exactly */
	size_t n = src->type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
	unsigned plen_s = 0, plen_d = 0;
	for (size_t i = 0; i < n * 8; i++) {
		uint8_t m = (uint8_t)(0x80 >> (i % 8));
		if ((src->saddr[i / 8] & m) == (src->eaddr[i / 8] & m) && plen_s == i)
			plen_s++;
		if ((dst->saddr[i / 8] & m) == (dst->eaddr[i / 8] & m) && plen_d == i)
			plen_d++;
	}
	memset(sel, 0, sizeof(*sel));
	memcpy(&sel->saddr, src->saddr, n);
	memcpy(&sel->daddr, dst->saddr, n);
	sel->prefixlen_s = (uint8_t)plen_s;
	sel->prefixlen_d = (uint8_t)plen_d;
	sel->family = n == 16 ? AF_INET6 : AF_INET;
}

static int add_policy(struct xfrm_ctx *x, uint8_t dir, const struct ike_ts *src, const struct ike_ts *dst,
		      const struct ip_addr *tsrc, const struct ip_addr *tdst)
{
	char buf[XFRM_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_NEWPOLICY;
	struct xfrm_userpolicy_info *pol = mnl_nlmsg_put_extra_header(nlh, sizeof(*pol));
	sel_from_ts(&pol->sel, src, dst);
	pol->dir = dir;
	pol->action = XFRM_POLICY_ALLOW;
	pol->lft.soft_byte_limit = pol->lft.hard_byte_limit = XFRM_INF;
	pol->lft.soft_packet_limit = pol->lft.hard_packet_limit = XFRM_INF;
	struct xfrm_user_tmpl t;
	memset(&t, 0, sizeof(t));
	t.id.proto = IPPROTO_ESP;
	fill_addr(&t.id.daddr, tdst);
	fill_addr(&t.saddr, tsrc);
	t.family = tsrc->version == 6 ? AF_INET6 : AF_INET;
	t.mode = XFRM_MODE_TUNNEL;
	t.aalgos = t.ealgos = t.calgos = ~0u;
	mnl_attr_put(nlh, XFRMA_TMPL, sizeof(t), &t);
	return xfrm_talk(x, nlh);
}

static void del_sa(struct xfrm_ctx *x, const struct ip_addr *dst, const uint8_t spi[4])
{
	char buf[XFRM_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_DELSA;
	struct xfrm_usersa_id *id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	fill_addr(&id->daddr, dst);
	memcpy(&id->spi, spi, 4);
	id->family = dst->version == 6 ? AF_INET6 : AF_INET;
	id->proto = IPPROTO_ESP;
	xfrm_talk(x, nlh);
}

static void del_policy(struct xfrm_ctx *x, uint8_t dir, const struct ike_ts *src, const struct ike_ts *dst)
{
	char buf[XFRM_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_DELPOLICY;
	struct xfrm_userpolicy_id *id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	sel_from_ts(&id->sel, src, dst);
	id->dir = dir;
	xfrm_talk(x, nlh);
}

static bool xfrm_install(struct pluto *p, struct ike_sa *ike, struct child_sa *child, char *err,
			 size_t errlen)
{
	struct xfrm_ctx *x = p->kernel_ctx;
	size_t half = child->keymat.len / 2;
	/* RFC 7296 2.17: the first half protects initiator -> responder */
	const uint8_t *k_out = child->keymat.ptr + (ike->initiator ? 0 : half);
	const uint8_t *k_in = child->keymat.ptr + (ike->initiator ? half : 0);
	int e = add_sa(x, &ike->local, &ike->remote, child->spi_remote, child, k_out);
	if (e == 0) {
		e = add_sa(x, &ike->remote, &ike->local, child->spi_local, child, k_in);
		if (e != 0)
			del_sa(x, &ike->remote, child->spi_remote);
	}
	if (e != 0) {
		snprintf(err, errlen, "kernel refused the ESP SA: %s (errno %d)%s", strerror(e), e,
			 e == ENOSYS || e == EPROTONOSUPPORT ? "; this kernel has no ESP support" : "");
		return false;
	}
	const struct ike_ts *tl = &child->ts_local.ts[0], *tr = &child->ts_remote.ts[0];
	e = add_policy(x, XFRM_POLICY_OUT, tl, tr, &ike->local, &ike->remote);
	if (e == 0)
		e = add_policy(x, XFRM_POLICY_IN, tr, tl, &ike->remote, &ike->local);
	if (e == 0)
		e = add_policy(x, XFRM_POLICY_FWD, tr, tl, &ike->remote, &ike->local);
	if (e != 0) {
		snprintf(err, errlen, "kernel refused the IPsec policy: %s (errno %d)", strerror(e), e);
		del_policy(x, XFRM_POLICY_OUT, tl, tr);
		del_policy(x, XFRM_POLICY_IN, tr, tl);
		del_sa(x, &ike->remote, child->spi_remote);
		del_sa(x, &ike->local, child->spi_local);
		return false;
	}
	snprintf(child->kernel_note, sizeof(child->kernel_note), "installed in the kernel (XFRM)");
	return true;
}

static void xfrm_remove(struct pluto *p, struct ike_sa *ike, struct child_sa *child)
{
	struct xfrm_ctx *x = p->kernel_ctx;
	const struct ike_ts *tl = &child->ts_local.ts[0], *tr = &child->ts_remote.ts[0];
	del_policy(x, XFRM_POLICY_OUT, tl, tr);
	del_policy(x, XFRM_POLICY_IN, tr, tl);
	del_policy(x, XFRM_POLICY_FWD, tr, tl);
	del_sa(x, &ike->remote, child->spi_remote);
	del_sa(x, &ike->local, child->spi_local);
	child->installed = false;
}

static void xfrm_shutdown(struct pluto *p)
{
	struct xfrm_ctx *x = p->kernel_ctx;
	if (x != NULL) {
		mnl_socket_close(x->nl);
		free(x);
		p->kernel_ctx = NULL;
	}
}

const struct kernel_ops kernel_xfrm_ops = {
	.name = "xfrm",
	.init = xfrm_init,
	.install = xfrm_install,
	.remove = xfrm_remove,
	.shutdown = xfrm_shutdown,
};
