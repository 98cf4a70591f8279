/* ike_id.h -- IKE identities (RFC 7296 3.5) in Libreswan's notation:
 *   "@east" -> ID_FQDN "east";  "user@example.com" -> ID_RFC822_ADDR;
 *   "192.0.2.1" / "2001:db8::1" -> ID_IPV4_ADDR / ID_IPV6_ADDR;  "%any" matches any. */
#ifndef IKE_ID_H
#define IKE_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ip.h"

#define IKE_ID_MAX 255

struct ike_id {
	uint8_t type;		/* enum ike_id_type; 0 = unset / %any */
	uint8_t len;
	uint8_t data[IKE_ID_MAX];
};

bool ike_id_parse(const char *s, struct ike_id *out);	/* false on a malformed ID */
void ike_id_from_ip(const struct ip_addr *a, struct ike_id *out);	/* needs ip.h */
bool ike_id_eq(const struct ike_id *a, const struct ike_id *b);
/* Libreswan style: "@east", "192.0.2.1", "user@example.com" */
const char *ike_id_str(const struct ike_id *id, char *buf, size_t len);

#endif
