/* dn.c -- distinguished names (RFC 5280 4.1.2.4) for ID_DER_ASN1_DN identities
 * (RFC 7296 3.5), in Libreswan's text form: "C=ZZ, O=a8 test, CN=west.a8.test",
 * RDNs in the order of the DER encoding, one attribute per RDN, ',' between them,
 * '\' escaping a ',' '+' '=' or '\' inside a value.
 *
 * Pure: no NSS.  Names are compared by value (dn_eq), never as octets, because a CA
 * and an operator may encode the same name with different string types.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "dn.h"

#define ASN1_SEQUENCE 0x30
#define ASN1_SET 0x31
#define ASN1_OID 0x06
#define ASN1_UTF8 0x0c
#define ASN1_PRINTABLE 0x13
#define ASN1_T61 0x14
#define ASN1_IA5 0x16
#define ASN1_UNIVERSAL 0x1c
#define ASN1_BMP 0x1e

static const struct attr {
	const char *name;
	uint8_t oid[10];
	uint8_t oidlen;
	uint8_t tag;		/* string type we encode it with: PrintableString when the
				 * value allows it (as CAs and NSS's certutil do), else
				 * UTF8String; IA5String for mail addresses and DC */
} attrs[] = {
	{ "C", { 0x55, 0x04, 0x06 }, 3, ASN1_PRINTABLE },
	{ "ST", { 0x55, 0x04, 0x08 }, 3, ASN1_PRINTABLE },
	{ "L", { 0x55, 0x04, 0x07 }, 3, ASN1_PRINTABLE },
	{ "O", { 0x55, 0x04, 0x0a }, 3, ASN1_PRINTABLE },
	{ "OU", { 0x55, 0x04, 0x0b }, 3, ASN1_PRINTABLE },
	{ "CN", { 0x55, 0x04, 0x03 }, 3, ASN1_PRINTABLE },
	{ "SN", { 0x55, 0x04, 0x04 }, 3, ASN1_PRINTABLE },
	{ "GN", { 0x55, 0x04, 0x2a }, 3, ASN1_PRINTABLE },
	{ "T", { 0x55, 0x04, 0x0c }, 3, ASN1_PRINTABLE },
	{ "I", { 0x55, 0x04, 0x2b }, 3, ASN1_PRINTABLE },
	{ "serialNumber", { 0x55, 0x04, 0x05 }, 3, ASN1_PRINTABLE },
	{ "street", { 0x55, 0x04, 0x09 }, 3, ASN1_PRINTABLE },
	{ "postalCode", { 0x55, 0x04, 0x11 }, 3, ASN1_PRINTABLE },
	{ "dnQualifier", { 0x55, 0x04, 0x2e }, 3, ASN1_PRINTABLE },
	{ "pseudonym", { 0x55, 0x04, 0x41 }, 3, ASN1_PRINTABLE },
	{ "DC", { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19 }, 10, ASN1_IA5 },
	{ "UID", { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01 }, 10, ASN1_UTF8 },
	{ "E", { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 }, 9, ASN1_IA5 },
};
#define NATTRS (sizeof(attrs) / sizeof(attrs[0]))

static const struct attr *attr_by_name(const char *n, size_t len)
{
	/* aliases Libreswan and OpenSSL accept */
	static const struct { const char *alias, *name; } alias[] = {
		{ "S", "ST" }, { "G", "GN" }, { "Email", "E" }, { "emailAddress", "E" },
		{ "SERIALNUMBER", "serialNumber" }, { "N", "CN" },
	};
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++) {
		if (strlen(alias[i].alias) == len && strncasecmp(alias[i].alias, n, len) == 0) {
			n = alias[i].name;
			len = strlen(n);
		}
	}
	for (size_t i = 0; i < NATTRS; i++)
		if (strlen(attrs[i].name) == len && strncasecmp(attrs[i].name, n, len) == 0)
			return &attrs[i];
	return NULL;
}

static const struct attr *attr_by_oid(const uint8_t *oid, size_t len)
{
	for (size_t i = 0; i < NATTRS; i++)
		if (attrs[i].oidlen == len && memcmp(attrs[i].oid, oid, len) == 0)
			return &attrs[i];
	return NULL;
}

/* --- DER writing --- */

struct out {
	uint8_t *p;
	size_t len, cap;
	bool overflow;
};

static void put(struct out *o, const void *d, size_t n)
{
	if (o->len + n > o->cap) {
		o->overflow = true;
		return;
	}
	memcpy(o->p + o->len, d, n);
	o->len += n;
}

static size_t len_octets(size_t n)
{
	return n < 0x80 ? 1 : n < 0x100 ? 2 : 3;
}

static void put_tl(struct out *o, uint8_t tag, size_t n)
{
	uint8_t h[4] = { tag };
	size_t k = 1;
	if (n < 0x80) {
		h[k++] = (uint8_t)n;
	} else if (n < 0x100) {
		h[k++] = 0x81;
		h[k++] = (uint8_t)n;
	} else {
		h[k++] = 0x82;
		h[k++] = (uint8_t)(n >> 8);
		h[k++] = (uint8_t)n;
	}
	put(o, h, k);
}

static bool printable(const char *v, size_t n)
{
	/* X.680 PrintableString: A-Z a-z 0-9 space ' ( ) + , - . / : = ? */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (!isalnum(c) && strchr(" '()+,-./:=?", c) == NULL)
			return false;
	}
	return true;
}

struct ava_text {
	const struct attr *a;
	char v[DN_MAX_VALUE];
	size_t vlen;
};

/* one "TYPE=value" up to an unescaped ',' (or the end); *s moves past it */
static bool parse_ava(const char **s, struct ava_text *out)
{
	const char *p = *s;
	while (*p == ' ')
		p++;
	const char *eq = strchr(p, '=');
	if (eq == NULL)
		return false;
	size_t nlen = (size_t)(eq - p);
	while (nlen > 0 && p[nlen - 1] == ' ')
		nlen--;
	out->a = attr_by_name(p, nlen);
	if (out->a == NULL)
		return false;
	p = eq + 1;
	while (*p == ' ')
		p++;
	out->vlen = 0;
	size_t trail = 0;	/* unescaped trailing spaces, dropped */
	for (; *p != '\0' && *p != ','; p++) {
		char c = *p;
		if (c == '\\') {
			if (p[1] == '\0')
				return false;
			c = *++p;
			trail = 0;
		} else if (c == '+') {
			return false;	/* multi-valued RDNs: not supported */
		} else {
			trail = c == ' ' ? trail + 1 : 0;
		}
		if (out->vlen >= sizeof(out->v) - 1)
			return false;
		out->v[out->vlen++] = c;
	}
	out->vlen -= trail;
	if (out->vlen == 0)
		return false;
	*s = *p == ',' ? p + 1 : p;
	return true;
}

bool dn_from_text(const char *text, uint8_t *der, size_t cap, size_t *len)
{
	struct ava_text avas[DN_MAX_RDNS];
	size_t n = 0;
	const char *s = text;
	while (*s != '\0') {
		if (n == DN_MAX_RDNS || !parse_ava(&s, &avas[n]))
			return false;
		n++;
		while (*s == ' ')
			s++;
	}
	if (n == 0)
		return false;
	/* sizes inside out: ATV = SEQUENCE { OID, string }, RDN = SET { ATV } */
	size_t body = 0, atv[DN_MAX_RDNS], rdn[DN_MAX_RDNS];
	for (size_t i = 0; i < n; i++) {
		size_t oid = 1 + 1 + avas[i].a->oidlen;
		size_t val = 1 + len_octets(avas[i].vlen) + avas[i].vlen;
		atv[i] = oid + val;
		rdn[i] = 1 + len_octets(atv[i]) + atv[i];
		body += 1 + len_octets(rdn[i]) + rdn[i];
	}
	struct out o = { der, 0, cap, false };
	put_tl(&o, ASN1_SEQUENCE, body);
	for (size_t i = 0; i < n; i++) {
		const struct attr *a = avas[i].a;
		uint8_t tag = a->tag;
		if (tag == ASN1_PRINTABLE && !printable(avas[i].v, avas[i].vlen))
			tag = ASN1_UTF8;
		put_tl(&o, ASN1_SET, rdn[i]);
		put_tl(&o, ASN1_SEQUENCE, atv[i]);
		put_tl(&o, ASN1_OID, a->oidlen);
		put(&o, a->oid, a->oidlen);
		put_tl(&o, tag, avas[i].vlen);
		put(&o, avas[i].v, avas[i].vlen);
	}
	if (o.overflow || body > 0xffff)
		return false;
	*len = o.len;
	return true;
}

/* --- DER reading --- */

struct in {
	const uint8_t *p;
	size_t len;
};

/* the next TLV of tag: its contents in *val; false on anything else */
static bool get_tlv(struct in *in, uint8_t tag, struct in *val)
{
	if (in->len < 2 || in->p[0] != tag)
		return false;
	size_t n = in->p[1], hdr = 2;
	if (n == 0x81) {
		if (in->len < 3 || in->p[2] < 0x80)
			return false;
		n = in->p[2];
		hdr = 3;
	} else if (n == 0x82) {
		if (in->len < 4 || in->p[2] == 0)
			return false;
		n = (size_t)in->p[2] << 8 | in->p[3];
		hdr = 4;
	} else if (n > 0x80) {
		return false;
	} else if (n == 0x80) {
		return false;	/* indefinite length: not DER */
	}
	if (n > in->len - hdr)
		return false;
	val->p = in->p + hdr;
	val->len = n;
	in->p += hdr + n;
	in->len -= hdr + n;
	return true;
}

static bool string_tag(uint8_t t)
{
	return t == ASN1_UTF8 || t == ASN1_PRINTABLE || t == ASN1_T61 || t == ASN1_IA5 ||
	       t == ASN1_UNIVERSAL || t == ASN1_BMP;
}

struct ava {
	struct in oid, value;
	uint8_t tag;
};

/* calls fn for every attribute, in order; false on malformed DER */
static bool each_ava(const uint8_t *der, size_t len, bool (*fn)(void *, const struct ava *), void *ctx)
{
	struct in all = { der, len }, name;
	if (!get_tlv(&all, ASN1_SEQUENCE, &name) || all.len != 0)
		return false;
	unsigned n = 0;
	while (name.len > 0) {
		struct in rdn, atv;
		if (++n > DN_MAX_RDNS || !get_tlv(&name, ASN1_SET, &rdn))
			return false;
		while (rdn.len > 0) {
			struct ava a;
			if (!get_tlv(&rdn, ASN1_SEQUENCE, &atv) || !get_tlv(&atv, ASN1_OID, &a.oid) ||
			    atv.len < 2 || !string_tag(atv.p[0]))
				return false;
			a.tag = atv.p[0];
			if (!get_tlv(&atv, a.tag, &a.value) || atv.len != 0)
				return false;
			if (!fn(ctx, &a))
				return false;
		}
	}
	return true;
}

struct text_ctx {
	char *out;
	size_t len, cap;
};

static void text_put(struct text_ctx *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t->len + 1 < t->cap)
			t->out[t->len] = s[i];
		t->len++;
	}
}

static bool text_ava(void *ctx, const struct ava *a)
{
	struct text_ctx *t = ctx;
	if (t->len > 0)
		text_put(t, ", ", 2);
	const struct attr *at = attr_by_oid(a->oid.p, a->oid.len);
	if (at != NULL) {
		text_put(t, at->name, strlen(at->name));
	} else {
		/* an attribute without a name: its OID in hex, as "OID.<hex>" */
		char hex[3];
		text_put(t, "OID.", 4);
		for (size_t i = 0; i < a->oid.len; i++) {
			snprintf(hex, sizeof(hex), "%02x", a->oid.p[i]);
			text_put(t, hex, 2);
		}
	}
	text_put(t, "=", 1);
	for (size_t i = 0; i < a->value.len; i++) {
		char c = (char)a->value.p[i];
		if (c == ',' || c == '\\' || c == '+' || c == '=')
			text_put(t, "\\", 1);
		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = '?';
		text_put(t, &c, 1);
	}
	return true;
}

bool dn_to_text(const uint8_t *der, size_t len, char *out, size_t cap)
{
	struct text_ctx t = { out, 0, cap };
	if (cap == 0 || !each_ava(der, len, text_ava, &t))
		return false;
	if (t.len >= cap)
		return false;
	out[t.len] = '\0';
	return true;
}

struct list_ctx {
	struct ava a[DN_MAX_RDNS * 2];
	size_t n;
};

static bool list_ava(void *ctx, const struct ava *a)
{
	struct list_ctx *l = ctx;
	if (l->n >= sizeof(l->a) / sizeof(l->a[0]))
		return false;
	l->a[l->n++] = *a;
	return true;
}

/* RFC 4518-style, simplified: case folded, leading/trailing spaces dropped and inner
 * runs of spaces as one (caseIgnoreMatch); the string type does not matter */
static bool value_eq(const struct in *x, const struct in *y)
{
	size_t i = 0, j = 0;
	while (i < x->len && x->p[i] == ' ')
		i++;
	while (j < y->len && y->p[j] == ' ')
		j++;
	size_t xe = x->len, ye = y->len;
	while (xe > i && x->p[xe - 1] == ' ')
		xe--;
	while (ye > j && y->p[ye - 1] == ' ')
		ye--;
	while (i < xe && j < ye) {
		if (x->p[i] == ' ' && y->p[j] == ' ') {
			while (i < xe && x->p[i] == ' ')
				i++;
			while (j < ye && y->p[j] == ' ')
				j++;
			continue;
		}
		if (tolower(x->p[i]) != tolower(y->p[j]))
			return false;
		i++;
		j++;
	}
	return i == xe && j == ye;
}

bool dn_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	struct list_ctx la = { .n = 0 }, lb = { .n = 0 };
	if (!each_ava(a, alen, list_ava, &la) || !each_ava(b, blen, list_ava, &lb) || la.n != lb.n)
		return false;
	for (size_t i = 0; i < la.n; i++) {
		if (la.a[i].oid.len != lb.a[i].oid.len ||
		    memcmp(la.a[i].oid.p, lb.a[i].oid.p, la.a[i].oid.len) != 0 ||
		    !value_eq(&la.a[i].value, &lb.a[i].value))
			return false;
	}
	return true;
}

bool dn_valid(const uint8_t *der, size_t len)
{
	struct list_ctx l = { .n = 0 };
	return each_ava(der, len, list_ava, &l) && l.n > 0;
}
