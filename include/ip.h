/* ip.h -- IP addresses and subnets as values (no sockets). */
#ifndef IP_H
#define IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct ip_addr {
	uint8_t version;	/* 0 = unset, 4 or 6 */
	uint8_t b[16];		/* network order; 4 octets used for IPv4 */
};

struct ip_subnet {
	struct ip_addr addr;	/* host bits zero */
	uint8_t prefix;
};

#define IP_STR_MAX 48		/* fits an IPv6 address with "/128" */

size_t ip_len(const struct ip_addr *a);		/* 4, 16, or 0 */
bool ip_parse(const char *s, struct ip_addr *out);
bool ip_subnet_parse(const char *s, struct ip_subnet *out);	/* "a/n"; a bare address is /32 or /128 */
const char *ip_str(const struct ip_addr *a, char buf[IP_STR_MAX]);
const char *ip_subnet_str(const struct ip_subnet *s, char buf[IP_STR_MAX]);
bool ip_eq(const struct ip_addr *a, const struct ip_addr *b);
/* first and last address of a subnet */
void ip_subnet_range(const struct ip_subnet *s, struct ip_addr *lo, struct ip_addr *hi);
/* sockaddr conversions */
void ip_to_sockaddr(const struct ip_addr *a, uint16_t port, struct sockaddr_storage *ss, socklen_t *len);
bool ip_from_sockaddr(const struct sockaddr *sa, struct ip_addr *a, uint16_t *port);

#endif
