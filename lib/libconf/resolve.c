/* resolve.c -- the one part of lib/libconf that asks the system: left=NAME through
 * the system resolver (getaddrinfo: /etc/hosts, nsswitch, DNS) and left=%defaultroute /
 * leftnexthop=%defaultroute from the kernel's main routing table (RTM_GETROUTE over
 * netlink, libmnl).  Both run when a file is loaded, as Libreswan's addconn does
 * (CONF_LOAD_OFFLINE skips them).  Libreswan uses libunbound for DNSSEC; Interlude uses
 * getaddrinfo because a name is looked up once, at load, where blocking is allowed,
 * and the system's resolver configuration applies (CHANGES). */
#include <ifaddrs.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include "conf.h"
#include "conf_parse.h"

static int af_of(uint8_t family)
{
	return family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC;
}

static bool resolve_dns(struct conf_end *e, const char *key, uint8_t family, char *why, size_t n)
{
	struct addrinfo hints = { .ai_family = af_of(family), .ai_socktype = SOCK_DGRAM }, *res = NULL;
	int r = getaddrinfo(e->host_str, NULL, &hints, &res);
	if (r != 0) {
		snprintf(why, n, "%s=%s: cannot resolve: %s", key, e->host_str, gai_strerror(r));
		return false;
	}
	bool ok = false;
	for (struct addrinfo *a = res; a != NULL && !ok; a = a->ai_next) {
		uint16_t port;
		ok = ip_from_sockaddr(a->ai_addr, &e->addr, &port);
	}
	freeaddrinfo(res);
	if (!ok)
		snprintf(why, n, "%s=%s: no IPv4 or IPv6 address", key, e->host_str);
	return ok;
}

struct route_query {
	int af;
	bool found;
	uint32_t oif, best_prio;
	struct ip_addr gw, src;
};

static void copy_addr(const struct nlattr *a, int af, struct ip_addr *out)
{
	size_t len = af == AF_INET ? 4 : 16;
	if (mnl_attr_get_payload_len(a) < len)
		return;
	memset(out, 0, sizeof(*out));
	out->version = af == AF_INET ? 4 : 6;
	memcpy(out->b, mnl_attr_get_payload(a), len);
}

/* one route of the dump: the default route of the main table with the lowest metric */
static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_query *q = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != q->af || rtm->rtm_dst_len != 0 || rtm->rtm_table != RT_TABLE_MAIN ||
	    rtm->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	struct route_query r = { .af = q->af };
	const struct nlattr *a;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		switch (mnl_attr_get_type(a)) {
		case RTA_OIF: r.oif = mnl_attr_get_u32(a); break;
		case RTA_GATEWAY: copy_addr(a, q->af, &r.gw); break;
		case RTA_PREFSRC: copy_addr(a, q->af, &r.src); break;
		case RTA_PRIORITY: r.best_prio = mnl_attr_get_u32(a); break;
		}
	}
	if (r.oif != 0 && (!q->found || r.best_prio < q->best_prio)) {
		r.found = true;
		*q = r;
	}
	return MNL_CB_OK;
}

static bool dump_default_route(int af, struct route_query *q)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	*q = (struct route_query){ .af = af };
	if (nl == NULL)
		return false;
	bool ok = mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == 0;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)af;
	unsigned portid = mnl_socket_get_portid(nl);
	if (ok && mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		ok = false;
	while (ok) {
		ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (len <= 0)
			break;
		int r = mnl_cb_run(buf, (size_t)len, nlh->nlmsg_seq, portid, route_cb, q);
		if (r <= MNL_CB_STOP)
			break;
	}
	mnl_socket_close(nl);
	return q->found;
}

/* no preferred source in the route: the first address of its interface */
static bool iface_addr(uint32_t oif, int af, struct ip_addr *out)
{
	char name[IF_NAMESIZE];
	struct ifaddrs *ifs;
	bool found = false;
	if (if_indextoname(oif, name) == NULL || getifaddrs(&ifs) != 0)
		return false;
	for (struct ifaddrs *i = ifs; i != NULL && !found; i = i->ifa_next) {
		uint16_t port;
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == af && strcmp(i->ifa_name, name) == 0 &&
		    !(af == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr)))
			found = ip_from_sockaddr(i->ifa_addr, out, &port);
	}
	freeifaddrs(ifs);
	return found;
}

static bool default_route(uint8_t family, struct route_query *q, const char *key, char *why, size_t n)
{
	int afs[2] = { family == 6 ? AF_INET6 : AF_INET, family == 0 ? AF_INET6 : 0 };
	for (int i = 0; i < 2 && afs[i] != 0; i++)
		if (dump_default_route(afs[i], q))
			return true;
	snprintf(why, n, "%s=%%defaultroute: no default route%s", key,
		 family == 4 ? " for IPv4" : family == 6 ? " for IPv6" : "");
	return false;
}

bool conf_resolve_nexthop(struct conf_end *e, const char *key, uint8_t family, char *why, size_t n)
{
	struct route_query q;
	if (!default_route(family, &q, key, why, n))
		return false;
	e->nexthop = q.gw;	/* unset: a directly connected default route */
	return true;
}

bool conf_resolve_host(struct conf_end *e, const char *key, uint8_t family, char *why, size_t n)
{
	if (e->host == CONF_HOST_DNS)
		return resolve_dns(e, key, family, why, n) &&
		       (!e->nexthop_defaultroute || conf_resolve_nexthop(e, key, e->addr.version, why, n));
	struct route_query q;
	if (!default_route(family, &q, key, why, n))
		return false;
	if (q.src.version == 0 && !iface_addr(q.oif, q.af, &q.src)) {
		snprintf(why, n, "%s=%%defaultroute: the default route's interface has no address", key);
		return false;
	}
	e->addr = q.src;
	if (e->nexthop.version == 0)
		e->nexthop = q.gw;	/* Libreswan: %defaultroute sets leftnexthop too */
	return true;
}
