/* child_sa.c -- the Child SA negotiated inside IKE_AUTH: ESP SPI, traffic selectors
 * (RFC 7296 2.9, with narrowing), KEYMAT (2.17) and installation in the kernel. */
#include <stdlib.h>
#include <string.h>
#include "child_sa.h"
#include "crypt.h"
#include "tsel.h"

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

/* Our selector for one end: its subnet and protoport (leftprotoport=) */
void child_ts_for_end(const struct conf_end *e, struct ike_ts *out)
{
	tsel_from_subnet(&e->subnet, e->protocol, e->port, out);
}

/* Responder, RFC 7296 2.9: narrow each side's proposed selectors to ours */
bool child_ts_narrow(const struct ike_ts_pl *theirs, const struct conf_end *ours, struct ike_ts_pl *out)
{
	struct ike_ts mine;
	child_ts_for_end(ours, &mine);
	return tsel_narrow(theirs, &mine, out);
}

/* Initiator: every selector the responder chose must lie within what we proposed */
bool child_ts_within(const struct ike_ts_pl *chosen, const struct conf_end *ours)
{
	struct ike_ts mine;
	child_ts_for_end(ours, &mine);
	return tsel_within(chosen, &mine);
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

/* What the kernel needs from the IKE SA, fixed in the Child SA: the endpoints,
 * the connection's reqid and, with a NAT, ESP in UDP on the IKE SA's NAT-T ports
 * (RFC 7296 2.23, RFC 3948). */
static void child_sa_endpoints(struct ike_sa *ike, struct child_sa *child)
{
	child->local = ike->local;
	child->remote = ike->remote;
	child->reqid = ike->c != NULL ? ike->c->reqid : 0;
	child->encap = ike->nat_detected;
	child->encap_lport = ike->lport;
	child->encap_rport = ike->rport;
}

bool child_sa_install(struct ike_sa *ike, struct child_sa *child)
{
	struct pluto *p = ike->pluto;
	char err[160] = "";
	child_sa_endpoints(ike, child);
	bool ok = p->kernel->install(p, ike, child, err, sizeof(err));
	/* the kernel has the keys now (or never will): ours go */
	chunk_free(&child->keymat);
	if (!ok) {
		snprintf(child->kernel_note, sizeof(child->kernel_note), "not installed: %s", err);
		ike_log(ike, "Child SA #%u: cannot install in the kernel (%s): %s", child->serial,
			p->kernel->name, err);
		return false;
	}
	child->installed = true;
	child->established = true;
	char prop[160];
	ike_log(ike, "Child SA #%u established: ESP %s%s, SPIs in %02x%02x%02x%02x out %02x%02x%02x%02x (%s)",
		child->serial, proposal_str(&child->proposal, prop, sizeof(prop)),
		child->transport ? " transport mode" : "", child->spi_local[0], child->spi_local[1], child->spi_local[2], child->spi_local[3],
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
