/* child_sa.c -- the Child SA negotiated inside IKE_AUTH: ESP SPI, traffic selectors
 * (RFC 7296 2.9, with narrowing), KEYMAT (2.17) and installation in the kernel. */
#include <stdlib.h>
#include <string.h>
#include "child_sa.h"
#include "crypt.h"

struct child_sa *child_sa_new(struct ike_sa *ike)
{
	struct child_sa *child = calloc(1, sizeof(*child));
	if (child == NULL)
		return NULL;
	child->serial = ++ike->pluto->next_serial;
	/* RFC 4303 2.1: SPIs 1..255 are reserved */
	do {
		crypt_random(child->spi_local, sizeof(child->spi_local));
	} while (child->spi_local[0] == 0 && child->spi_local[1] == 0 && child->spi_local[2] == 0);
	ike->child = child;
	return child;
}

void child_sa_free(struct ike_sa *ike)
{
	struct child_sa *child = ike->child;
	if (child == NULL)
		return;
	struct pluto *p = ike->pluto;
	if (child->installed && p->kernel != NULL)
		p->kernel->remove(p, ike, child);
	chunk_free(&child->keymat);
	free(child);
	ike->child = NULL;
}

/* One selector covering a whole subnet, all protocols and ports */
void child_ts_from_subnet(const struct ip_subnet *sn, struct ike_ts_pl *out)
{
	memset(out, 0, sizeof(*out));
	out->n = 1;
	struct ike_ts *ts = &out->ts[0];
	ts->type = sn->addr.version == 6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	ts->ipproto = 0;
	ts->sport = 0;
	ts->eport = 65535;
	struct ip_addr lo, hi;
	ip_subnet_range(sn, &lo, &hi);
	memcpy(ts->saddr, lo.b, 16);
	memcpy(ts->eaddr, hi.b, 16);
}

static size_t ts_alen(const struct ike_ts *t)
{
	return t->type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
}

/* Intersection of two selectors; false when empty (RFC 7296 2.9) */
static bool ts_intersect(const struct ike_ts *a, const struct ike_ts *b, struct ike_ts *out)
{
	if (a->type != b->type)
		return false;
	if (a->ipproto != 0 && b->ipproto != 0 && a->ipproto != b->ipproto)
		return false;
	size_t n = ts_alen(a);
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

/* Responder: narrow the peer's selectors to our configured one; the first non-empty
 * intersection wins (RFC 7296 2.9 allows the responder to choose a subset). */
bool child_ts_narrow(const struct ike_ts_pl *theirs, const struct ip_subnet *ours, struct ike_ts_pl *out)
{
	struct ike_ts_pl mine;
	child_ts_from_subnet(ours, &mine);
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < theirs->n; i++) {
		if (ts_intersect(&theirs->ts[i], &mine.ts[0], &out->ts[0])) {
			out->n = 1;
			return true;
		}
	}
	return false;
}

/* Initiator: every selector the responder chose must lie within what we proposed */
bool child_ts_within(const struct ike_ts_pl *chosen, const struct ip_subnet *ours)
{
	struct ike_ts_pl mine;
	child_ts_from_subnet(ours, &mine);
	if (chosen->n == 0)
		return false;
	for (unsigned i = 0; i < chosen->n; i++) {
		struct ike_ts x;
		if (!ts_intersect(&chosen->ts[i], &mine.ts[0], &x) ||
		    memcmp(&x, &chosen->ts[i], sizeof(x)) != 0)
			return false;
	}
	return true;
}

/* RFC 7296 2.17: KEYMAT = prf+(SK_d, Ni | Nr); the initiator-to-responder keys
 * first (encryption, then integrity), then the other direction. */
bool child_sa_keymat(struct ike_sa *ike, struct child_sa *child)
{
	uint16_t encr = 0, keylen = 0, integ = 0;
	struct crypt_encr_info info;
	if (!proposal_get(&child->proposal, IKE_TRANS_ENCR, &encr, &keylen) ||
	    !crypt_encr_info(encr, keylen, &info))
		return false;
	proposal_get(&child->proposal, IKE_TRANS_INTEG, &integ, NULL);
	size_t per_dir = info.keylen + (info.aead ? 0 : crypt_integ_keylen(integ));
	return keymat_child(ike->prf, &ike->keys.sk_d, NULL, &ike->ni, &ike->nr, 2 * per_dir,
			    &child->keymat);
}

bool child_sa_install(struct ike_sa *ike, struct child_sa *child)
{
	struct pluto *p = ike->pluto;
	char err[160] = "";
	if (!p->kernel->install(p, ike, child, err, sizeof(err))) {
		snprintf(child->kernel_note, sizeof(child->kernel_note), "not installed: %s", err);
		ike_log(ike, "Child SA #%u: cannot install in the kernel (%s): %s", child->serial,
			p->kernel->name, err);
		return false;
	}
	child->installed = true;
	child->established = true;
	char prop[160];
	ike_log(ike, "Child SA #%u established: ESP %s, SPIs in %02x%02x%02x%02x out %02x%02x%02x%02x (%s)",
		child->serial, proposal_str(&child->proposal, prop, sizeof(prop)),
		child->spi_local[0], child->spi_local[1], child->spi_local[2], child->spi_local[3],
		child->spi_remote[0], child->spi_remote[1], child->spi_remote[2], child->spi_remote[3],
		child->kernel_note);
	return true;
}

/* After a failed install, tell the peer the ESP SA is gone (RFC 7296 1.4.1). */
void child_sa_delete_failed(struct ike_sa *ike, struct child_sa *child)
{
	uint8_t storage[128];
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	codec_put_delete(&inner, IKE_PROTO_ESP, 4, child->spi_local, 1);
	ike_log(ike, "Child SA #%u failed; sending Delete for it", child->serial);
	send_request(ike, INFORMATIONAL, &inner);
}
