/* ip.c -- IP addresses and subnets as values (include/ip.h).  No sockets are opened. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ip.h"

size_t ip_len(const struct ip_addr *a)
{
	return a->version == 4 ? 4 : a->version == 6 ? 16 : 0;
}

/* Strict literals only: dotted quad or RFC 4291 2.2 text; no zone, no names. */
bool ip_parse(const char *s, struct ip_addr *out)
{
	struct ip_addr a = { 0 };
	if (s == NULL)
		return false;
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, a.b) != 1)
			return false;
		a.version = 6;
	} else {
		if (inet_pton(AF_INET, s, a.b) != 1)
			return false;
		a.version = 4;
	}
	*out = a;
	return true;
}

static bool host_bits_zero(const struct ip_addr *a, unsigned prefix)
{
	size_t len = ip_len(a);
	for (size_t i = 0; i < len; i++) {
		unsigned bit0 = (unsigned)i * 8;
		uint8_t mask = prefix >= bit0 + 8 ? 0xff :
			prefix <= bit0 ? 0 : (uint8_t)(0xff << (8 - (prefix - bit0)));
		if (a->b[i] & (uint8_t)~mask)
			return false;
	}
	return true;
}

/* "a/n": n is decimal without sign; host bits must be zero (Libreswan rejects
 * "192.0.2.1/24" too). A bare address is a /32 or /128. */
bool ip_subnet_parse(const char *s, struct ip_subnet *out)
{
	char buf[64];
	const char *slash = s ? strchr(s, '/') : NULL;
	size_t alen = slash ? (size_t)(slash - s) : (s ? strlen(s) : 0);
	if (s == NULL || alen == 0 || alen >= sizeof(buf))
		return false;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	struct ip_subnet sn = { 0 };
	if (!ip_parse(buf, &sn.addr))
		return false;
	unsigned max = (unsigned)ip_len(&sn.addr) * 8, prefix = max;
	if (slash != NULL) {
		const char *p = slash + 1;
		if (*p == '\0' || strlen(p) > 3)
			return false;
		prefix = 0;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return false;
			prefix = prefix * 10 + (unsigned)(*p - '0');
		}
		if (prefix > max)
			return false;
	}
	if (!host_bits_zero(&sn.addr, prefix))
		return false;
	sn.prefix = (uint8_t)prefix;
	*out = sn;
	return true;
}

const char *ip_str(const struct ip_addr *a, char buf[IP_STR_MAX])
{
	int af = a->version == 4 ? AF_INET : a->version == 6 ? AF_INET6 : 0;
	if (af == 0 || inet_ntop(af, a->b, buf, IP_STR_MAX) == NULL)
		snprintf(buf, IP_STR_MAX, "<unset>");
	return buf;
}

const char *ip_subnet_str(const struct ip_subnet *s, char buf[IP_STR_MAX])
{
	ip_str(&s->addr, buf);
	if (s->addr.version != 0) {
		size_t n = strlen(buf);	/* at most 39 + "/128" fits IP_STR_MAX */
		snprintf(buf + n, IP_STR_MAX - n, "/%u", (unsigned)s->prefix % 1000);
	}
	return buf;
}

bool ip_eq(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->version == b->version && memcmp(a->b, b->b, ip_len(a)) == 0;
}

void ip_subnet_range(const struct ip_subnet *s, struct ip_addr *lo, struct ip_addr *hi)
{
	*lo = s->addr;
	*hi = s->addr;
	size_t len = ip_len(&s->addr);
	for (size_t i = 0; i < len; i++) {
		unsigned bit0 = (unsigned)i * 8;
		uint8_t mask = s->prefix >= bit0 + 8 ? 0xff :
			s->prefix <= bit0 ? 0 : (uint8_t)(0xff << (8 - (s->prefix - bit0)));
		lo->b[i] &= mask;
		hi->b[i] |= (uint8_t)~mask;
	}
}

void ip_to_sockaddr(const struct ip_addr *a, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->version == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->b, 4);
		*len = sizeof(*sin);
	} else if (a->version == 6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->b, 16);
		*len = sizeof(*sin6);
	} else {
		ss->ss_family = AF_UNSPEC;
		*len = 0;
	}
}

/* An IPv4-mapped IPv6 address (RFC 4291 2.5.5.2) comes back as IPv4. */
bool ip_from_sockaddr(const struct sockaddr *sa, struct ip_addr *a, uint16_t *port)
{
	struct ip_addr r = { 0 };
	uint16_t p;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		r.version = 4;
		memcpy(r.b, &sin->sin_addr, 4);
		p = ntohs(sin->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			r.version = 4;
			memcpy(r.b, sin6->sin6_addr.s6_addr + 12, 4);
		} else {
			r.version = 6;
			memcpy(r.b, &sin6->sin6_addr, 16);
		}
		p = ntohs(sin6->sin6_port);
	} else {
		return false;
	}
	*a = r;
	if (port != NULL)
		*port = p;
	return true;
}
