/* dn.h -- distinguished names of ID_DER_ASN1_DN (RFC 7296 3.5) in Libreswan's text
 * form "C=ZZ, O=a8 test, CN=west" (RDNs in DER order).  Pure; see lib/libike/dn.c. */
#ifndef DN_H
#define DN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DN_MAX_RDNS 16		/* RDNs in one name */
#define DN_MAX_VALUE 128	/* octets of one attribute value */
#define DN_MAX_TEXT 512		/* a name as text */

/* text -> DER Name; false on an unknown attribute, an empty value or no room */
bool dn_from_text(const char *text, uint8_t *der, size_t cap, size_t *len);
/* DER Name -> text; false if it does not decode or does not fit */
bool dn_to_text(const uint8_t *der, size_t len, char *out, size_t cap);
/* the same name: attribute types in order, values compared ignoring case, extra
 * spaces and the string type */
bool dn_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);
bool dn_valid(const uint8_t *der, size_t len);

#endif
