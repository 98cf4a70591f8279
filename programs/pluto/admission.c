/* admission.c -- the half-open IKE SA budget (admission.h): per source address and
 * in total, in number and in octets; one half-open SA per (address, SPIi). */
#include <stdlib.h>
#include <string.h>
#include "admission.h"

/* What one source address holds; freed when it holds nothing */
struct admission_addr {
	struct admission_addr *next;
	struct ip_addr key;		/* the address (IPv6: its /64) */
	unsigned half_open, proven;	/* half-open SAs, and those made with a cookie */
	size_t octets, proven_octets;
};

const char *admission_verdict_name(enum admission_verdict v)
{
	switch (v) {
	case ADMIT_OK: return "admitted";
	case ADMIT_FULL: return "too many half-open IKE SAs (max-halfopen-ike)";
	case ADMIT_ADDR_FULL: return "this address holds its share of half-open IKE SAs";
	case ADMIT_MEMORY: return "half-open IKE SAs hold too much memory";
	case ADMIT_ADDR_MEMORY: return "this address holds its share of half-open IKE SA memory";
	}
	return "unknown";
}

static unsigned max_half_open(const struct pluto *p)
{
	return p->setup.max_halfopen_ike ? p->setup.max_halfopen_ike : CONF_MAX_HALFOPEN_IKE_DEFAULT;
}

static unsigned addr_share(const struct pluto *p)
{
	unsigned share = max_half_open(p) / ADMISSION_ADDR_SHARE_DIV;
	return share ? share : 1;
}

static struct admission_addr *find_addr(struct pluto *p, const struct ip_addr *from);

bool admission_cookie_required(struct pluto *p, const struct ip_addr *from, size_t octets)
{
	switch (p->setup.ddos_mode) {
	case CONF_DDOS_BUSY: return true;
	case CONF_DDOS_UNLIMITED: return false;
	case CONF_DDOS_AUTO: break;
	}
	unsigned threshold = p->setup.ddos_ike_threshold ? p->setup.ddos_ike_threshold
							 : CONF_DDOS_IKE_THRESHOLD_DEFAULT;
	const struct admission_addr *a = find_addr(p, from);
	return p->nhalf_open >= threshold ||
	       (a != NULL && (a->half_open - a->proven >= addr_share(p) ||
			      a->octets - a->proven_octets + octets > ADMISSION_HALF_OPEN_OCTETS / ADMISSION_ADDR_SHARE_DIV));
}

static struct ip_addr addr_key(const struct ip_addr *a)
{
	struct ip_addr k = *a;
	if (k.version == 6)
		memset(k.b + ADMISSION_IPV6_PREFIX_OCTETS, 0, sizeof(k.b) - ADMISSION_IPV6_PREFIX_OCTETS);
	return k;
}

static struct admission_addr **bucket(struct pluto *p, const struct ip_addr *key)
{
	uint32_t h = 2166136261u;	/* FNV-1a over the key */
	for (size_t i = 0; i < ip_len(key); i++)
		h = (h ^ key->b[i]) * 16777619u;
	return &p->adm_addrs[h % PLUTO_ADMISSION_BUCKETS];
}

static struct admission_addr *find_addr(struct pluto *p, const struct ip_addr *from)
{
	struct ip_addr k = addr_key(from);
	for (struct admission_addr *a = *bucket(p, &k); a != NULL; a = a->next)
		if (ip_eq(&a->key, &k))
			return a;
	return NULL;
}

enum admission_verdict admission_check(struct pluto *p, const struct ip_addr *from, size_t octets, bool proven)
{
	const struct admission_addr *a = find_addr(p, from);
	/* the share this request draws on: with a cookie, or without */
	unsigned n = a == NULL ? 0 : proven ? a->proven : a->half_open - a->proven;
	size_t o = a == NULL ? 0 : proven ? a->proven_octets : a->octets - a->proven_octets;
	if (p->nhalf_open >= max_half_open(p))
		return ADMIT_FULL;
	if (n >= addr_share(p))
		return ADMIT_ADDR_FULL;
	if (p->half_open_octets + octets > ADMISSION_HALF_OPEN_OCTETS)
		return ADMIT_MEMORY;
	if (o + octets > ADMISSION_HALF_OPEN_OCTETS / ADMISSION_ADDR_SHARE_DIV)
		return ADMIT_ADDR_MEMORY;
	return ADMIT_OK;
}

void admission_charge(struct ike_sa *ike, size_t octets, bool proven)
{
	struct pluto *p = ike->pluto;
	if (ike->admitted)
		return;
	struct admission_addr *a = find_addr(p, &ike->remote);
	if (a == NULL && (a = calloc(1, sizeof(*a))) != NULL) {
		a->key = addr_key(&ike->remote);
		struct admission_addr **head = bucket(p, &a->key);
		a->next = *head;
		*head = a;
	}
	if (a != NULL) {	/* else counted in the totals only */
		a->half_open++;
		a->octets += octets;
		a->proven += proven;
		a->proven_octets += proven ? octets : 0;
	}
	ike->admitted = true;
	ike->admitted_proven = proven;
	ike->admitted_from = ike->remote;	/* the peer may move (RFC 7296 2.23) */
	ike->admitted_octets = octets;
	p->nhalf_open++;
	p->half_open_octets += octets;
}

void admission_release(struct ike_sa *ike)
{
	struct pluto *p = ike->pluto;
	if (!ike->admitted)
		return;
	ike->admitted = false;
	p->nhalf_open--;
	p->half_open_octets -= ike->admitted_octets;
	struct ip_addr k = addr_key(&ike->admitted_from);
	for (struct admission_addr **pp = bucket(p, &k); *pp != NULL; pp = &(*pp)->next) {
		struct admission_addr *a = *pp;
		if (!ip_eq(&a->key, &k))
			continue;
		a->half_open--;
		a->octets -= ike->admitted_octets;
		a->proven -= ike->admitted_proven;
		a->proven_octets -= ike->admitted_proven ? ike->admitted_octets : 0;
		if (a->half_open == 0) {
			*pp = a->next;
			free(a);
		}
		return;
	}
}

struct ike_sa *admission_find(struct pluto *p, const uint8_t spi_i[IKE_SPI_LEN], const struct ip_addr *from)
{
	return ike_sa_find_init(p, spi_i, from);
}
