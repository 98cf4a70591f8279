/* tsel.c -- traffic selector arithmetic (RFC 7296 2.9, 3.13.1). */
#include <stdio.h>
#include <string.h>
#include "tsel.h"

static size_t alen(const struct ike_ts *t)
{
	return t->type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
}

void tsel_from_subnet(const struct ip_subnet *sn, uint8_t protocol, uint16_t port, struct ike_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = sn->addr.version == 6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	ts->ipproto = protocol;
	/* RFC 7296 3.13.1: all ports are 0..65535 */
	ts->sport = port;
	ts->eport = port != 0 ? port : 65535;
	struct ip_addr lo, hi;
	ip_subnet_range(sn, &lo, &hi);
	memcpy(ts->saddr, lo.b, 16);
	memcpy(ts->eaddr, hi.b, 16);
}

static bool bit(const uint8_t *a, unsigned i)
{
	return (a[i / 8] & (0x80 >> (i % 8))) != 0;
}

int tsel_prefix(const struct ike_ts *t)
{
	unsigned n = (unsigned)alen(t) * 8, plen = 0;
	while (plen < n && bit(t->saddr, plen) == bit(t->eaddr, plen))
		plen++;
	for (unsigned i = plen; i < n; i++)
		if (bit(t->saddr, i) || !bit(t->eaddr, i))
			return -1;
	return (int)plen;
}

/* Intersection of two selectors; false when empty */
static bool intersect(const struct ike_ts *a, const struct ike_ts *b, struct ike_ts *out)
{
	if (a->type != b->type)
		return false;
	if (a->ipproto != 0 && b->ipproto != 0 && a->ipproto != b->ipproto)
		return false;
	size_t n = alen(a);
	*out = *a;
	out->ipproto = a->ipproto ? a->ipproto : b->ipproto;
	if (memcmp(b->saddr, a->saddr, n) > 0)
		memcpy(out->saddr, b->saddr, n);
	if (memcmp(b->eaddr, a->eaddr, n) < 0)
		memcpy(out->eaddr, b->eaddr, n);
	out->sport = a->sport > b->sport ? a->sport : b->sport;
	out->eport = a->eport < b->eport ? a->eport : b->eport;
	return memcmp(out->saddr, out->eaddr, n) <= 0 && out->sport <= out->eport;
}

/* end = start with its hostbits lowest bits set (the last address of the block) */
static void block_end(const uint8_t *start, unsigned n, unsigned hostbits, uint8_t *end)
{
	memcpy(end, start, n);
	for (unsigned i = 0; i < hostbits; i++) {
		unsigned pos = n * 8 - 1 - i;
		end[pos / 8] |= (uint8_t)(0x80 >> (pos % 8));
	}
}

/* Cuts t's address range down to the largest CIDR block inside it (the first of
 * that size).  A range splits into at most 2 * bits blocks, walked in order, each
 * the largest aligned block from its start that ends within the range. */
static void largest_block(struct ike_ts *t)
{
	unsigned n = (unsigned)alen(t), nbits = n * 8, best_h = 0;
	uint8_t cur[16], best[16], end[16];
	bool have = false;
	memcpy(cur, t->saddr, n);
	for (unsigned guard = 0; guard < 2 * nbits + 2; guard++) {
		unsigned h = 0;
		while (h < nbits && !bit(cur, nbits - 1 - h)) {
			block_end(cur, n, h + 1, end);
			if (memcmp(end, t->eaddr, n) > 0)
				break;
			h++;
		}
		if (!have || h > best_h) {
			best_h = h;
			memcpy(best, cur, n);
			have = true;
		}
		block_end(cur, n, h, end);
		if (memcmp(end, t->eaddr, n) >= 0)
			break;
		memcpy(cur, end, n);	/* the next block starts after this one */
		for (int i = (int)n - 1; i >= 0 && ++cur[i] == 0; i--)
			;
	}
	memcpy(t->saddr, best, n);
	block_end(best, n, best_h, t->eaddr);
}

/* The port range as a selector can hold it: all ports or one; a partial range is
 * cut to its first port (narrowing, never widening) */
static void fit_ports(struct ike_ts *t)
{
	if (!(t->sport == 0 && t->eport == 65535))
		t->eport = t->sport;
}

bool tsel_narrow(const struct ike_ts_pl *theirs, const struct ike_ts *ours, struct ike_ts_pl *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < theirs->n && out->n < IKE_MAX_TS; i++) {
		struct ike_ts x;
		if (!intersect(&theirs->ts[i], ours, &x))
			continue;
		if (tsel_prefix(&x) < 0)
			largest_block(&x);
		fit_ports(&x);
		bool dup = false;
		for (unsigned j = 0; j < out->n && !dup; j++)
			dup = memcmp(&out->ts[j], &x, sizeof(x)) == 0;
		if (!dup)
			out->ts[out->n++] = x;
	}
	return out->n > 0;
}

bool tsel_within(const struct ike_ts_pl *chosen, const struct ike_ts *ours)
{
	if (chosen->n == 0)
		return false;
	for (unsigned i = 0; i < chosen->n; i++) {
		struct ike_ts x;
		if (!intersect(&chosen->ts[i], ours, &x) || memcmp(&x, &chosen->ts[i], sizeof(x)) != 0)
			return false;
	}
	return true;
}

static bool same_ts(const struct ike_ts *a, const struct ike_ts *b)
{
	size_t n = alen(a);
	return a->type == b->type && a->ipproto == b->ipproto && a->sport == b->sport && a->eport == b->eport &&
	       memcmp(a->saddr, b->saddr, n) == 0 && memcmp(a->eaddr, b->eaddr, n) == 0;
}

bool tsel_match(const struct ike_ts_pl *theirs, const struct ike_ts *ours)
{
	for (unsigned i = 0; i < theirs->n; i++)
		if (same_ts(&theirs->ts[i], ours))
			return true;
	return false;
}

const char *tsel_str(const struct ike_ts *t, char *buf, size_t len)
{
	struct ip_addr lo = { .version = t->type == IKE_TS_IPV6_ADDR_RANGE ? 6 : 4 }, hi;
	char a[IP_STR_MAX], b[IP_STR_MAX];
	if (t->type != IKE_TS_IPV4_ADDR_RANGE && t->type != IKE_TS_IPV6_ADDR_RANGE) {
		snprintf(buf, len, "(selector type %u)", t->type);
		return buf;
	}
	memcpy(lo.b, t->saddr, alen(t));
	hi = lo;
	memcpy(hi.b, t->eaddr, alen(t));
	int plen = tsel_prefix(t);
	int n = plen >= 0 ? snprintf(buf, len, "%s/%d", ip_str(&lo, a), plen)
			  : snprintf(buf, len, "%s-%s", ip_str(&lo, a), ip_str(&hi, b));
	if (n < 0 || (size_t)n >= len)
		return buf;
	if (t->ipproto != 0 || t->sport != 0 || t->eport != 65535) {
		if (t->sport == 0 && t->eport == 65535)
			snprintf(buf + n, len - (size_t)n, " proto %u", t->ipproto);
		else if (t->sport == t->eport)
			snprintf(buf + n, len - (size_t)n, " proto %u port %u", t->ipproto, t->sport);
		else
			snprintf(buf + n, len - (size_t)n, " proto %u ports %u-%u", t->ipproto, t->sport, t->eport);
	}
	return buf;
}

const char *tsel_list_str(const struct ike_ts_pl *l, char *buf, size_t len)
{
	size_t n = 0;
	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < l->n && n + 1 < len; i++) {
		char one[2 * IP_STR_MAX + 40];
		int k = snprintf(buf + n, len - n, "%s%s", i ? ", " : "", tsel_str(&l->ts[i], one, sizeof(one)));
		if (k < 0)
			break;
		n += (size_t)k;
	}
	if (l->n == 0)
		snprintf(buf, len, "(none)");
	return buf;
}
