/* ike_id.c -- IKE identities (RFC 7296 3.5) in Libreswan's notation (include/ike_id.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "dn.h"
#include "ike_id.h"
#include "ike_wire.h"

static bool id_set(struct ike_id *out, uint8_t type, const void *data, size_t len)
{
	if (len > IKE_ID_MAX)
		return false;
	struct ike_id id = { .type = type, .len = (uint8_t)len };
	memcpy(id.data, data, len);
	*out = id;
	return true;
}

/* Printable, no white space: an ID written in a config file is one token. */
static bool id_text_ok(const char *s)
{
	for (; *s; s++)
		if (!isgraph((unsigned char)*s))
			return false;
	return true;
}

/* Libreswan ipsec.conf(5) leftid=: "@name" is an FQDN taken literally, "user@host" an
 * RFC822 address, an IP literal an address ID, a text with '=' a distinguished name
 * ("C=ZZ, O=a8 test, CN=west", ID_DER_ASN1_DN, lib/libike/dn.c), %any matches
 * anything.  Libreswan's "@#hex" / "@~" forms are not supported; other names are
 * taken as an FQDN without resolving them. */
bool ike_id_parse(const char *s, struct ike_id *out)
{
	struct ip_addr a;
	if (s == NULL || *s == '\0' || strcmp(s, "%any") == 0) {
		*out = (struct ike_id){ 0 };
		return true;
	}
	if (strchr(s, '=') != NULL && *s != '@') {
		uint8_t der[IKE_ID_MAX];
		size_t len;
		if (!dn_from_text(s, der, sizeof(der), &len))
			return false;
		return id_set(out, IKE_ID_DER_ASN1_DN, der, len);
	}
	if (!id_text_ok(s) || *s == '%' || strchr(s, '=') != NULL)
		return false;
	if (s[0] == '@') {
		if (s[1] == '\0' || s[1] == '#' || s[1] == '~' || s[1] == '@')
			return false;
		return id_set(out, IKE_ID_FQDN, s + 1, strlen(s + 1));
	}
	if (ip_parse(s, &a)) {
		ike_id_from_ip(&a, out);
		return true;
	}
	if (strchr(s, '@') != NULL)
		return id_set(out, IKE_ID_RFC822_ADDR, s, strlen(s));
	return id_set(out, IKE_ID_FQDN, s, strlen(s));
}

void ike_id_from_ip(const struct ip_addr *a, struct ike_id *out)
{
	*out = (struct ike_id){ 0 };
	if (a->version == 4)
		id_set(out, IKE_ID_IPV4_ADDR, a->b, 4);
	else if (a->version == 6)
		id_set(out, IKE_ID_IPV6_ADDR, a->b, 16);
}

/* FQDNs compare without regard to case (RFC 4343); everything else octet by octet. */
bool ike_id_eq(const struct ike_id *a, const struct ike_id *b)
{
	if (a->type == IKE_ID_DER_ASN1_DN && b->type == IKE_ID_DER_ASN1_DN)
		return dn_eq(a->data, a->len, b->data, b->len);	/* by value, RFC 4518 */
	if (a->type != b->type || a->len != b->len)
		return false;
	if (a->type == IKE_ID_FQDN) {
		for (size_t i = 0; i < a->len; i++)
			if (tolower(a->data[i]) != tolower(b->data[i]))
				return false;
		return true;
	}
	return memcmp(a->data, b->data, a->len) == 0;
}

/* IDs come from peers too: anything not printable is shown as '?'. */
static void id_text(const struct ike_id *id, const char *prefix, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "%s", prefix);
	for (size_t i = 0; i < id->len && o + 1 < len; i++, o++)
		buf[o] = isprint(id->data[i]) ? (char)id->data[i] : '?';
	if (o < len)
		buf[o] = '\0';
}

static void id_hex(const struct ike_id *id, const char *prefix, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "%s", prefix);
	for (size_t i = 0; i < id->len && o + 3 <= len; i++, o += 2)
		snprintf(buf + o, len - o, "%02x", id->data[i]);
}

const char *ike_id_str(const struct ike_id *id, char *buf, size_t len)
{
	struct ip_addr a = { 0 };
	char ab[IP_STR_MAX];
	if (len == 0)
		return buf;
	switch (id->type) {
	case 0:
		snprintf(buf, len, "%%any");
		break;
	case IKE_ID_FQDN:
		id_text(id, "@", buf, len);
		break;
	case IKE_ID_RFC822_ADDR:
		id_text(id, "", buf, len);
		break;
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		a.version = id->type == IKE_ID_IPV4_ADDR ? 4 : 6;
		if (id->len != ip_len(&a)) {
			snprintf(buf, len, "<bad %s ID>", id->type == IKE_ID_IPV4_ADDR ? "IPv4" : "IPv6");
			break;
		}
		memcpy(a.b, id->data, id->len);
		snprintf(buf, len, "%s", ip_str(&a, ab));
		break;
	case IKE_ID_NULL:
		snprintf(buf, len, "ID_NULL");
		break;
	case IKE_ID_DER_ASN1_DN:
		if (!dn_to_text(id->data, id->len, buf, len))
			id_hex(id, "<bad DN> 0x", buf, len);
		break;
	case IKE_ID_KEY_ID:
		id_hex(id, "@#0x", buf, len);
		break;
	default:
		{
			char pfx[24];
			snprintf(pfx, sizeof(pfx), "ID_%u:0x", id->type);
			id_hex(id, pfx, buf, len);
		}
		break;
	}
	return buf;
}
