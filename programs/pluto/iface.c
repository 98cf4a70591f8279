/* iface.c -- UDP sockets on the IKE ports (RFC 7296 2) and the NAT-T port with
 * its non-ESP marker (RFC 3948 2.2), for IPv4 and IPv6. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>
#include "pluto.h"

#define IFACE_RCVBUF (4 * 1024 * 1024)	/* octets of receive queue per socket */

static void iface_read(evutil_socket_t fd, short what, void *arg);

static bool iface_open(struct pluto *p, uint8_t version, uint16_t port, bool natt)
{
	if (p->nifaces >= PLUTO_MAX_IFACES)
		return false;
	int af = version == 4 ? AF_INET : AF_INET6;
	int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		plog(p, "socket(%s): %s", version == 4 ? "IPv4" : "IPv6", strerror(errno));
		return false;
	}
	int on = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	/* bursts of fragmented messages (RFC 7383) from many peers must not overflow
	 * the receive queue; FORCE lifts net.core.rmem_max for root */
	int rcvbuf = p->setup.ike_socket_bufsize ? (int)p->setup.ike_socket_bufsize : IFACE_RCVBUF;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* ike-socket-bufsize= (Libreswan): both buffers */
	if (p->setup.ike_socket_bufsize != 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &rcvbuf, sizeof(rcvbuf));
	struct sockaddr_storage ss;
	socklen_t sl;
	struct ip_addr any = { .version = version };
	if (p->setup.listen[0] != '\0') {
		struct ip_addr l;
		if (ip_parse(p->setup.listen, &l) && l.version == version)
			any = l;
		else if (ip_parse(p->setup.listen, &l)) {
			close(fd);
			return true;	/* listen= names the other family */
		}
	}
	if (version == 6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	}
	if (natt && p->kernel != NULL && p->kernel->natt_socket != NULL) {
		char err[160];
		if (!p->kernel->natt_socket(p, fd, version, err, sizeof(err)))
			plog(p, "NAT-T: %s; ESP in UDP will not be received", err);
	}
	ip_to_sockaddr(&any, port, &ss, &sl);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		plog(p, "bind to IPv%u port %u: %s", version, port, strerror(errno));
		close(fd);
		return false;
	}
	struct iface *ifc = &p->ifaces[p->nifaces++];
	ifc->fd = fd;
	ifc->version = version;
	ifc->port = port;
	ifc->natt = natt;
	ifc->pluto = p;
	ifc->ev = event_new(p->base, fd, EV_READ | EV_PERSIST, iface_read, ifc);
	event_add(ifc->ev, NULL);
	plog(p, "listening for IKE messages on IPv%u UDP port %u%s", version, port,
	     natt ? " (NAT-T)" : "");
	return true;
}

bool iface_open_all(struct pluto *p)
{
	uint16_t ike = p->setup.ikeport ? p->setup.ikeport : IKE_PORT;
	uint16_t natt = p->setup.nattport ? p->setup.nattport : IKE_NATT_PORT;
	bool ok4 = iface_open(p, 4, ike, false) && iface_open(p, 4, natt, true);
	bool ok6 = iface_open(p, 6, ike, false) && iface_open(p, 6, natt, true);
	return ok4 || ok6;
}

void iface_close_all(struct pluto *p)
{
	for (unsigned i = 0; i < p->nifaces; i++) {
		if (p->ifaces[i].ev != NULL)
			event_free(p->ifaces[i].ev);
		if (p->ifaces[i].fd >= 0)
			close(p->ifaces[i].fd);
	}
	p->nifaces = 0;
}

struct iface *iface_for(struct pluto *p, uint8_t version, bool natt)
{
	for (unsigned i = 0; i < p->nifaces; i++) {
		if (p->ifaces[i].version == version && p->ifaces[i].natt == natt)
			return &p->ifaces[i];
	}
	return NULL;
}

static bool pktinfo_dst(struct msghdr *mh, uint8_t version, struct ip_addr *to)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (version == 4 && cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			to->version = 4;
			memcpy(to->b, &pi.ipi_addr, 4);
			return true;
		}
		if (version == 6 && cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			to->version = 6;
			memcpy(to->b, &pi.ipi6_addr, 16);
			return true;
		}
	}
	return false;
}

static void iface_read(evutil_socket_t fd, short what, void *arg)
{
	struct iface *ifc = arg;
	static const uint8_t marker[IKE_NON_ESP_MARKER_LEN];
	for (int budget = 64; budget > 0; budget--) {
		uint8_t buf[PLUTO_MAX_DGRAM];
		uint8_t cbuf[256];
		struct sockaddr_storage from;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		ssize_t n = recvmsg(fd, &mh, 0);
		if (n < 0)
			break;
		struct ip_addr src, dst = { 0 };
		uint16_t sport;
		if (!ip_from_sockaddr((struct sockaddr *)&from, &src, &sport))
			continue;
		pktinfo_dst(&mh, ifc->version, &dst);
		const uint8_t *d = buf;
		size_t len = (size_t)n;
		if (ifc->natt) {
			/* RFC 3948 2.2/2.3: a lone 0xff is a NAT-keepalive; IKE carries the
			 * non-ESP marker; anything else is ESP, which we do not handle here */
			if (len < IKE_NON_ESP_MARKER_LEN || memcmp(d, marker, sizeof(marker)) != 0)
				continue;
			d += IKE_NON_ESP_MARKER_LEN;
			len -= IKE_NON_ESP_MARKER_LEN;
		}
		/* cpu-usage: timed when the daemon or any conn asks; reported for the
		 * datagram's SA's categories */
		struct dbg_cpu t;
		struct pluto *p = ifc->pluto;
		dbg_cpu_start(p, p->debug | (p->conn_debug_any & DBG_CPU_USAGE), &t);
		unsigned debugging = demux_datagram(ifc, &src, sport, &dst, d, len);
		if (t.on) {
			char a[IP_STR_MAX];
			dbg_cpu_done(p, debugging, &t, "datagram from %s:%u (%zu octets)", ip_str(&src, a), sport, len);
		}
		ike_sa_free_all(ifc->pluto);
	}
	log_flush(ifc->pluto);
}

/* RFC 7296 2.11: an answer goes out from the address its request came to; on a
 * wildcard socket that takes IP_PKTINFO / IPV6_PKTINFO */
static size_t put_pktinfo(struct msghdr *mh, uint8_t *cbuf, size_t cap, const struct ip_addr *from)
{
	if (from == NULL || from->version == 0)
		return 0;
	size_t len = from->version == 4 ? CMSG_SPACE(sizeof(struct in_pktinfo)) :
					  CMSG_SPACE(sizeof(struct in6_pktinfo));
	if (len > cap)
		return 0;
	memset(cbuf, 0, len);
	mh->msg_control = cbuf;
	mh->msg_controllen = len;
	struct cmsghdr *cm = CMSG_FIRSTHDR(mh);
	if (from->version == 4) {
		struct in_pktinfo pi = { 0 };
		memcpy(&pi.ipi_spec_dst, from->b, 4);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = { 0 };
		memcpy(&pi.ipi6_addr, from->b, 16);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	return len;
}

static bool send_raw(struct iface *ifc, const struct ip_addr *from, const struct ip_addr *to, uint16_t port,
		     const uint8_t *d, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	ip_to_sockaddr(to, port, &ss, &sl);
	struct iovec iov = { (void *)d, len };
	uint8_t cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct msghdr mh = { .msg_name = &ss, .msg_namelen = sl, .msg_iov = &iov, .msg_iovlen = 1 };
	put_pktinfo(&mh, cbuf, sizeof(cbuf), from->version == to->version ? from : NULL);
	if (sendmsg(ifc->fd, &mh, 0) < 0) {
		char a[IP_STR_MAX];
		plog(ifc->pluto, "sendto %s:%u failed: %s", ip_str(to, a), port, strerror(errno));
		return false;
	}
	return true;
}

bool iface_send_to(struct iface *ifc, const struct ip_addr *from, const struct ip_addr *to, uint16_t port,
		   const uint8_t *d, size_t len)
{
	struct pluto *p = ifc->pluto;
	if (DBGP(p, DBG_TMI)) {
		char a[IP_STR_MAX], what[96];
		snprintf(what, sizeof(what), "datagram to %s:%u from port %u", ip_str(to, a), port, ifc->port);
		dbg_hex(p, NULL, DBG_TMI, what, d, len);
	}
	if (p->send_hook != NULL)
		return p->send_hook(p->send_ctx, ifc, to, port, d, len);
	uint8_t buf[PLUTO_MAX_DGRAM + IKE_NON_ESP_MARKER_LEN];
	size_t off = ifc->natt ? IKE_NON_ESP_MARKER_LEN : 0;
	if (len + off > sizeof(buf))
		return false;
	memset(buf, 0, off);
	memcpy(buf + off, d, len);
	static const struct ip_addr none;
	return send_raw(ifc, from != NULL ? from : &none, to, port, buf, len + off);
}

bool iface_send(struct ike_sa *ike, const struct chunk *d)
{
	if (ike->ifc == NULL)
		return false;
	return iface_send_to(ike->ifc, &ike->local, &ike->remote, ike->rport, d->ptr, d->len);
}

/* RFC 3948 2.3: a NAT-keepalive is one octet 0xFF, no non-ESP marker */
void iface_send_keepalive(struct ike_sa *ike)
{
	static const uint8_t ka = 0xff;
	struct pluto *p = ike->pluto;
	if (ike->ifc == NULL || !ike->ifc->natt)
		return;
	if (p->send_hook != NULL) {
		p->send_hook(p->send_ctx, ike->ifc, &ike->remote, ike->rport, &ka, 1);
		return;
	}
	send_raw(ike->ifc, &ike->local, &ike->remote, ike->rport, &ka, 1);
}
