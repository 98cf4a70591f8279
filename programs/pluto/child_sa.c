/* child_sa.c -- Child SAs, as IKE_AUTH and CREATE_CHILD_SA negotiate them: ESP SPI,
 * mode (RFC 7296 1.3.1), proposal, traffic selectors (2.9, with narrowing), KEYMAT
 * (2.17) and installation in the kernel.  The exchanges call the pieces below in
 * the order their messages need. */
#include <stdlib.h>
#include <string.h>
#include "child_sa.h"
#include "crypt.h"
#include "keylog.h"
#include "tsel.h"
#include "updown.h"

/* pluto's Child SA indexes (sa_index.h), set up at first use */
static struct ix *child_index(struct pluto *p, bool inbound)
{
	struct ix *x = inbound ? &p->child_by_in : &p->child_by_out;
	if (x->b == NULL)
		ix_init(x, inbound ? offsetof(struct child_sa, in_link) : offsetof(struct child_sa, out_link),
			p->ix_key);
	return x;
}

static struct child_sa *child_by(struct pluto *p, const uint8_t spi[4], bool inbound)
{
	struct ix *x = child_index(p, inbound);
	for (struct child_sa *c = ix_first(x, ix_hash(x, spi, 4)); c != NULL; c = ix_next(x, c))
		if (memcmp(inbound ? c->spi_local : c->spi_remote, spi, 4) == 0)
			return c;
	return NULL;
}

/* A Child SA the kernel names by SPI (an expiry): ours first, then the peer's */
struct child_sa *child_sa_find(struct pluto *p, const uint8_t spi[4])
{
	struct child_sa *c = child_by(p, spi, true);
	return c != NULL ? c : child_by(p, spi, false);
}

void child_sa_set_remote_spi(struct child_sa *child, const uint8_t spi[4])
{
	struct ix *x = child_index(child->ike->pluto, false);
	memcpy(child->spi_remote, spi, 4);
	ix_put(x, child, ix_hash(x, spi, 4));
}

/* --- a Child SA's selectors (struct child_ts) --- */

void child_ts_set(struct child_ts *t, const struct ike_ts *ts, unsigned n)
{
	struct ike_ts *nt = NULL;
	if (n > 0) {
		nt = calloc(n, sizeof(*nt));
		if (nt == NULL) {
			fprintf(stderr, "out of memory for traffic selectors\n");
			abort();	/* as chunk_alloc() */
		}
		memcpy(nt, ts, n * sizeof(*nt));
	}
	free(t->ts);
	t->ts = nt;
	t->n = (uint8_t)n;
}

void child_ts_get(const struct child_ts *t, struct ike_ts_pl *out)
{
	out->n = t->n;
	if (t->n > 0)
		memcpy(out->ts, t->ts, t->n * sizeof(*t->ts));
}

static void child_ts_free(struct child_ts *t)
{
	free(t->ts);
	t->ts = NULL;
	t->n = 0;
}

struct child_sa *child_sa_new(struct ike_sa *ike, struct connection *c)
{
	struct child_sa *child = calloc(1, sizeof(*child));
	if (child == NULL)
		return NULL;
	child->serial = ++ike->pluto->next_serial;
	child->c = c;
	child->ike = ike;
	child->generation = 1;
	child->state = CHILD_LARVAL;
	/* RFC 4303 2.1: SPIs 1..255 are reserved, and ours must name one SA alone: with
	 * a million Child SAs two random SPIs would meet (the birthday bound) */
	do {
		if (!crypt_random(child->spi_local, sizeof(child->spi_local))) {
			ike_log(ike, "no randomness for an ESP SPI; Child SA not created");
			free(child);
			return NULL;
		}
	} while ((child->spi_local[0] == 0 && child->spi_local[1] == 0 && child->spi_local[2] == 0) ||
		 child_by(ike->pluto, child->spi_local, true) != NULL);
	struct ix *in = child_index(ike->pluto, true);
	ix_put(in, child, ix_hash(in, child->spi_local, 4));
	child->next = ike->children;
	ike->children = child;
	return child;
}

void child_sa_free(struct ike_sa *ike, struct child_sa *child)
{
	struct child_sa **pp = &ike->children;
	while (*pp != NULL && *pp != child)
		pp = &(*pp)->next;
	if (*pp == NULL)
		return;
	*pp = child->next;
	if (ike->larval == child)
		ike->larval = NULL;
	lifetime_child_stop(child);
	struct pluto *p = ike->pluto;
	ix_del(child_index(p, true), child);
	ix_del(child_index(p, false), child);
	child_sa_uninstall(ike, child);
	chunk_free(&child->keymat);
	child_ts_free(&child->ts_local);
	child_ts_free(&child->ts_remote);
	free(child);
}

void child_sa_free_all(struct ike_sa *ike)
{
	while (ike->children != NULL)
		child_sa_free(ike, ike->children);
}

/* The Child SA with this SPI: ours (inbound) or the peer's (outbound) */
struct child_sa *child_sa_by_spi(struct ike_sa *ike, const uint8_t spi[4], bool ours)
{
	for (struct child_sa *c = ike->children; c != NULL; c = c->next)
		if (memcmp(ours ? c->spi_local : c->spi_remote, spi, 4) == 0 && c->state != CHILD_LARVAL)
			return c;
	return NULL;
}

/* Our selector for one end: its subnet and protoport (leftprotoport=).  An end
 * without a subnet (right=%any without rightsubnet=) is the host the IKE SA runs
 * with, as Libreswan instantiates it. */
void child_ts_for_end(const struct ike_sa *ike, const struct conf_end *e, struct ike_ts *out)
{
	struct ip_subnet sn = e->subnet;
	if (sn.addr.version == 0) {
		/* only a %any end has no address, and that is always the peer's */
		sn.addr = ike->remote;
		sn.prefix = (uint8_t)(ip_len(&sn.addr) * 8);
	}
	tsel_from_subnet(&sn, e->protocol, e->port, out);
}

/* Responder: the selectors connection c answers for one side (TSi: its remote end,
 * TSr: its local end), by its narrowing= (one place for the rule, lib/libike/tsel.c):
 * no (Libreswan's default): one proposed selector must be exactly ours, and ours is
 * the answer; yes: RFC 7296 2.9, every proposed selector narrowed to ours. */
bool child_ts_select(const struct ike_sa *ike, const struct connection *c, const struct ike_ts_pl *theirs,
		     const struct conf_end *ours, struct ike_ts_pl *out)
{
	struct ike_ts mine;
	child_ts_for_end(ike, ours, &mine);
	if (c->conf.narrowing)
		return tsel_narrow(theirs, &mine, out);
	memset(out, 0, sizeof(*out));
	if (!tsel_match(theirs, &mine))
		return false;
	out->n = 1;
	out->ts[0] = mine;
	return true;
}

/* Initiator: the responder's choice for one side, by narrowing=: no, ours exactly
 * (kept as ours); yes, any part of what we proposed (kept as chosen) */
bool child_ts_accept(const struct ike_sa *ike, const struct connection *c, const struct ike_ts_pl *chosen,
		     const struct conf_end *ours, struct ike_ts_pl *out)
{
	struct ike_ts mine;
	child_ts_for_end(ike, ours, &mine);
	if (c->conf.narrowing) {
		*out = *chosen;
		return tsel_within(chosen, &mine);
	}
	memset(out, 0, sizeof(*out));
	out->n = 1;
	out->ts[0] = mine;
	return tsel_match(chosen, &mine);
}

/* the two sides' selectors as a debug or log text: "TSi A, B; TSr C" */
static const char *ts_pair_str(const struct ike_ts_pl *tsi, const struct ike_ts_pl *tsr, char *buf, size_t len)
{
	char a[512], b[512];
	snprintf(buf, len, "TSi %s; TSr %s", tsel_list_str(tsi, a, sizeof(a)), tsel_list_str(tsr, b, sizeof(b)));
	return buf;
}

/* ours, as a pair in TSi/TSr order: initiator first */
static void our_ts_pair(const struct ike_sa *ike, const struct connection *c, bool we_initiate, struct ike_ts_pl *tsi,
			struct ike_ts_pl *tsr)
{
	tsi->n = tsr->n = 1;
	child_ts_for_end(ike, we_initiate ? c->local : c->remote, &tsi->ts[0]);
	child_ts_for_end(ike, we_initiate ? c->remote : c->local, &tsr->ts[0]);
}

/* --- initiator: the request ---------------------------------------------------- */

struct child_sa *child_sa_propose(struct ike_sa *ike, struct connection *c)
{
	struct child_sa *child = child_sa_new(ike, c);
	if (child == NULL)
		return NULL;
	child->transport = c->conf.type == CONF_TYPE_TRANSPORT;
	child->initiator = true;
	struct ike_ts l, r;
	child_ts_for_end(ike, c->local, &l);
	child_ts_for_end(ike, c->remote, &r);
	child_ts_set(&child->ts_local, &l, 1);
	child_ts_set(&child->ts_remote, &r, 1);
	ike->larval = child;
	return child;
}

/* RFC 7296 1.3.1: transport mode is asked for (and granted) with USE_TRANSPORT_MODE */
void child_put_mode(struct ike_buf *b, const struct child_sa *child)
{
	if (child->transport)
		codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
}

/* The ESP proposals of connection c in an exchange: none with a KE in IKE_AUTH
 * (RFC 7296 1.2); in CREATE_CHILD_SA with pfs=yes (Libreswan's default) the IKE
 * SA's KE method and every ADDKE it negotiated, unless esp= names its own KE
 * (RFC 9370 2.2.3); with pfs=no none. */
void child_proposals(const struct ike_sa *ike, const struct connection *c, uint8_t exchange,
		     struct proposal_list *out)
{
	if (exchange == CREATE_CHILD_SA && c->conf.pfs)
		proposal_with_ke(&c->esp, ike->ke_method, ike->addke, ike->n_addke, out);
	else
		proposal_without_ke(&c->esp, out);
}

void child_put_proposals(struct ike_buf *b, const struct ike_sa *ike, const struct child_sa *child, uint8_t exchange)
{
	struct proposal_list l;
	struct ike_sa_pl sa;
	child_proposals(ike, child->c, exchange, &l);
	proposal_to_sa(&l, child->spi_local, 4, &sa);
	codec_put_sa(b, &sa);
}

/* TSi then TSr: TSi is always the initiator's side (RFC 7296 2.9) */
/* whack --impair ts-type: a well-formed TSi whose one selector has type 9, which no
 * RFC defines (tests only) */
static void impair_tsi(struct ike_buf *b)
{
	static const uint8_t body[] = { 1, 0, 0, 0,		/* Number of TSs, RESERVED */
					9, 0, 0, 16, 0, 0, 0xff, 0xff,	/* type 9, length 16 */
					192, 0, 2, 0, 192, 0, 2, 255 };
	codec_put_raw(b, IKE_PL_TSI, false, body, sizeof(body));
}

void child_put_ts(struct ike_buf *b, const struct child_sa *child, bool we_initiate)
{
	struct ike_ts_pl local, remote;
	child_ts_get(&child->ts_local, &local);
	child_ts_get(&child->ts_remote, &remote);
	if (we_initiate && child->ike != NULL && (child->ike->pluto->impair & IMPAIR_TS_TYPE))
		impair_tsi(b);
	else
		codec_put_ts(b, IKE_PL_TSI, we_initiate ? &local : &remote);
	codec_put_ts(b, IKE_PL_TSR, we_initiate ? &remote : &local);
}

/* --- responder ---------------------------------------------------------------------- */

static uint16_t refuse(struct ike_sa *ike, struct child_sa *child, uint16_t notify, const char *why)
{
	ike_log(ike, "Child SA: %s; responding %s", why, ike_notify_name(notify));
	child_sa_free(ike, child);
	return notify;
}

/* RFC 7296 1.3.1: transport mode only when both ask for it; the responder says
 * yes by echoing USE_TRANSPORT_MODE, and otherwise the SA is a tunnel.  A
 * connection that insists on transport refuses a tunnel (as Libreswan does). */
static bool choose_mode(struct ike_sa *ike, struct child_sa *child, const struct msg_digest *md)
{
	bool asked = codec_find_notify(md->pl, IKE_N_USE_TRANSPORT_MODE) != NULL;
	bool ours = child->c->conf.type == CONF_TYPE_TRANSPORT;
	if (ours && !asked)
		return false;
	child->transport = ours && asked;
	if (asked && !ours)
		ike_log(ike, "Child SA: peer asked for transport mode; type=tunnel answers with tunnel mode");
	return true;
}

uint16_t child_sa_choose(struct ike_sa *ike, struct connection *c, const struct msg_digest *md,
			 struct child_sa **out)
{
	struct proposal_list local;
	child_proposals(ike, c, md->hdr.exchange, &local);
	struct ike_sa_pl sa;
	struct ike_ts_pl tsi, tsr;
	*out = NULL;
	if (codec_decode_sa(codec_find(md->pl, IKE_PL_SA), &sa) != CODEC_OK)
		return IKE_N_INVALID_SYNTAX;
	struct child_sa *child = child_sa_new(ike, c);
	if (child == NULL)
		return IKE_N_TEMPORARY_FAILURE;
	/* RFC 7296 2.9 / 3.13.1: selectors we cannot read (an unknown type, more
	 * than IKE_MAX_TS) fail the Child SA, not the IKE SA */
	enum codec_result ri = codec_decode_ts(codec_find(md->pl, IKE_PL_TSI), &tsi);
	enum codec_result rr = codec_decode_ts(codec_find(md->pl, IKE_PL_TSR), &tsr);
	if (ri != CODEC_OK || rr != CODEC_OK) {
		char why[96];
		snprintf(why, sizeof(why), "traffic selectors not usable (%s)",
			 codec_result_name(ri != CODEC_OK ? ri : rr));
		return refuse(ike, child, IKE_N_TS_UNACCEPTABLE, why);
	}
	if (!choose_mode(ike, child, md))
		return refuse(ike, child, IKE_N_NO_PROPOSAL_CHOSEN, "type=transport but the peer asked for tunnel mode");
	if (IKE_DBGP(ike, DBG_BASE))
		dbg_proposals(ike, "ESP", &sa, c->conf.esp);
	if (proposal_select(&local, &sa, &child->proposal) != PROPOSAL_OK || child->proposal.spi_len != 4)
		return refuse(ike, child, IKE_N_NO_PROPOSAL_CHOSEN, "no acceptable ESP proposal");
	/* RFC 7296 2.9: TSi is the initiator's side, which for us is the remote one */
	char got[1100], want[1100], why[2400];
	struct ike_ts_pl oi, ou;
	our_ts_pair(ike, c, false, &oi, &ou);
	ike_dbg(ike, "Child SA #%u: proposed %s; \"%s\" has %s; narrowing=%s", child->serial,
		ts_pair_str(&tsi, &tsr, got, sizeof(got)), c->name, ts_pair_str(&oi, &ou, want, sizeof(want)),
		c->conf.narrowing ? "yes (RFC 7296 2.9)" : "no (must match)");
	struct ike_ts_pl sel_r, sel_l;
	if (!child_ts_select(ike, c, &tsi, c->remote, &sel_r) ||
	    !child_ts_select(ike, c, &tsr, c->local, &sel_l)) {
		snprintf(why, sizeof(why), "traffic selectors unacceptable: proposed %s; \"%s\" %s %s",
			 ts_pair_str(&tsi, &tsr, got, sizeof(got)), c->name,
			 c->conf.narrowing ? "allows only parts of" : "has narrowing=no and needs exactly",
			 ts_pair_str(&oi, &ou, want, sizeof(want)));
		return refuse(ike, child, IKE_N_TS_UNACCEPTABLE, why);
	}
	child_ts_set(&child->ts_remote, sel_r.ts, sel_r.n);
	child_ts_set(&child->ts_local, sel_l.ts, sel_l.n);
	ike_dbg(ike, "Child SA #%u: answering %s", child->serial, ts_pair_str(&sel_r, &sel_l, got, sizeof(got)));
	child_sa_set_remote_spi(child, child->proposal.spi);
	*out = child;
	return 0;
}

void child_put_chosen(struct ike_buf *b, const struct child_sa *child)
{
	struct ike_sa_pl reply = { .nprop = 1 };
	reply.prop[0] = child->proposal;
	memcpy(reply.prop[0].spi, child->spi_local, 4);
	codec_put_sa(b, &reply);
}

/* --- initiator: the response ------------------------------------------------------------ */

bool child_sa_accept(struct ike_sa *ike, struct child_sa *child, const struct msg_digest *md, const char *xname)
{
	struct ike_sa_pl sa;
	struct ike_ts_pl tsi, tsr;
	const struct connection *c = child->c;
	struct proposal_list sent;
	child_proposals(ike, c, md->hdr.exchange, &sent);
	if (codec_decode_sa(codec_find(md->pl, IKE_PL_SA), &sa) != CODEC_OK ||
	    codec_decode_ts(codec_find(md->pl, IKE_PL_TSI), &tsi) != CODEC_OK ||
	    codec_decode_ts(codec_find(md->pl, IKE_PL_TSR), &tsr) != CODEC_OK ||
	    proposal_check_reply(&sent, &sa, &child->proposal) != PROPOSAL_OK ||
	    child->proposal.spi_len != 4) {
		ike_log(ike, "%s response: Child SA proposal is malformed or was not offered", xname);
		snprintf(child->kernel_note, sizeof(child->kernel_note), "refused: the answer's proposal or "
			 "selectors are malformed or were not offered");
		return false;
	}
	struct ike_ts_pl keep_i, keep_r, oi, ou;
	char got[1100], want[1100];
	our_ts_pair(ike, c, true, &oi, &ou);
	ike_dbg(ike, "Child SA #%u: the responder chose %s; we proposed %s; narrowing=%s",
		child->serial, ts_pair_str(&tsi, &tsr, got, sizeof(got)), ts_pair_str(&oi, &ou, want, sizeof(want)),
		c->conf.narrowing ? "yes" : "no (must match)");
	if (!child_ts_accept(ike, c, &tsi, c->local, &keep_i) || !child_ts_accept(ike, c, &tsr, c->remote, &keep_r)) {
		if (c->conf.narrowing)
			ike_log(ike, "%s response: traffic selectors wider than proposed (%s)", xname,
				ts_pair_str(&tsi, &tsr, got, sizeof(got)));
		else
			ike_log(ike, "%s response: traffic selectors narrowed to %s; narrowing=no accepts only %s",
				xname, ts_pair_str(&tsi, &tsr, got, sizeof(got)), ts_pair_str(&oi, &ou, want, sizeof(want)));
		snprintf(child->kernel_note, sizeof(child->kernel_note), "refused: %s", c->conf.narrowing ?
			 "the peer chose traffic selectors wider than proposed" :
			 "the peer narrowed the traffic selectors (narrowing=no)");
		return false;
	}
	/* RFC 7296 1.3.1: without the echo the responder chose tunnel mode */
	bool transport = codec_find_notify(md->pl, IKE_N_USE_TRANSPORT_MODE) != NULL;
	if (transport != child->transport) {
		ike_log(ike, "%s response: responder chose %s mode; type=%s", xname, transport ? "transport" : "tunnel",
			child->transport ? "transport" : "tunnel");
		snprintf(child->kernel_note, sizeof(child->kernel_note), "refused: the peer chose %s mode",
			 transport ? "transport" : "tunnel");
		return false;
	}
	child_sa_set_remote_spi(child, child->proposal.spi);
	child_ts_set(&child->ts_local, keep_i.ts, keep_i.n);
	child_ts_set(&child->ts_remote, keep_r.ts, keep_r.n);
	return true;
}

/* RFC 7296 2.17: KEYMAT = prf+(SK_d, Ni | Nr); the initiator-to-responder keys
 * first (encryption, then integrity), then the other direction. */
static bool child_sa_keymat(struct ike_sa *ike, struct child_sa *child, const struct chunk *ni,
		     const struct chunk *nr, const struct chunk *gir, const struct chunk *addke, size_t naddke)
{
	uint16_t encr = 0, keylen = 0, integ = 0;
	struct crypt_encr_info info;
	if (!proposal_get(&child->proposal, IKE_TRANS_ENCR, &encr, &keylen) ||
	    !crypt_encr_info(encr, keylen, &info))
		return false;
	proposal_get(&child->proposal, IKE_TRANS_INTEG, &integ, NULL);
	size_t per_dir = info.keylen + (info.aead ? 0 : crypt_integ_keylen(integ));
	/* RFC 9370 2.2.4: new shared secrets of a CREATE_CHILD_SA, then the nonces,
	 * then those of its IKE_FOLLOWUP_KE exchanges */
	if (!keymat_child_addke(ike->prf, &ike->keys.sk_d, gir, ni, nr, addke, naddke, 2 * per_dir,
				&child->keymat))
		return false;
	ike_dbg(ike, "Child SA #%u: KEYMAT %zu octets (%zu per direction)%s%s", child->serial,
		child->keymat.len, per_dir, gir != NULL ? ", with a new key exchange (PFS)" : "",
		naddke ? ", with additional key exchanges (RFC 9370)" : "");
	if (IKE_DBGP(ike, DBG_CRYPT)) {
		char what[64];
		snprintf(what, sizeof(what), "Child SA #%u: KEYMAT", child->serial);
		dbg_secret(ike, what, child->keymat.ptr, child->keymat.len, false);
		if (gir != NULL) {
			snprintf(what, sizeof(what), "Child SA #%u: shared secret", child->serial);
			dbg_secret(ike, what, gir->ptr, gir->len, false);
		}
	}
	return true;
}

/* RFC 7296 2.17: "All keys for SAs carrying data from the initiator to the responder
 * are taken before SAs going from the responder to the initiator" -- the initiator of
 * the exchange that made the Child SA (IKE_AUTH or CREATE_CHILD_SA), which after an
 * IKE SA rekey or for a CREATE_CHILD_SA from the original responder is not the IKE
 * SA's original initiator. */
void child_sa_key_halves(const struct child_sa *child, const uint8_t **out, const uint8_t **in, size_t *len)
{
	size_t half = child->keymat.len / 2;
	*out = child->keymat.ptr + (child->initiator ? 0 : half);
	*in = child->keymat.ptr + (child->initiator ? half : 0);
	*len = half;
}

/* What the kernel needs from the IKE SA, fixed in the Child SA: the endpoints,
 * the connection's reqid and, with a NAT, ESP in UDP on the IKE SA's NAT-T ports
 * (RFC 7296 2.23, RFC 3948). */
static void child_sa_endpoints(struct ike_sa *ike, struct child_sa *child)
{
	child->local = ike->local;
	child->remote = ike->remote;
	child->reqid = child->c != NULL ? child->c->reqid : 0;
	child->replay_window = child->c != NULL ? child->c->conf.replay_window : CONF_REPLAY_WINDOW_DEFAULT;
	child->encap = ike->nat_detected;
	child->encap_lport = ike->lport;
	child->encap_rport = ike->rport;
}

/* --- tunnels: the Child SAs of a connection with the same selectors and peer ---------- */

static bool ts_same(const struct child_ts *a, const struct child_ts *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned i = 0; i < a->n; i++) {
		const struct ike_ts *x = &a->ts[i], *y = &b->ts[i];
		size_t len = x->type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
		if (x->type != y->type || x->ipproto != y->ipproto || x->sport != y->sport ||
		    x->eport != y->eport || memcmp(x->saddr, y->saddr, len) != 0 ||
		    memcmp(x->eaddr, y->eaddr, len) != 0)
			return false;
	}
	return true;
}

uint32_t child_mark_unique(uint32_t n, uint32_t mask)
{
	uint32_t v = 0;
	for (unsigned bit = 0; bit < 32 && n != 0; bit++) {
		if (!(mask & (1u << bit)))
			continue;
		if (n & 1u)
			v |= 1u << bit;
		n >>= 1;
	}
	return n == 0 ? v : 0;
}

/* mark=-1: a value no other tunnel of this daemon has, within the mask */
static uint32_t next_unique_mark(struct pluto *p, uint32_t mask)
{
	uint32_t v = child_mark_unique(++p->next_unique_mark, mask);
	if (v == 0) {
		/* the mask's values are used up: start again (an old tunnel's mark may
		 * come back; it is logged) */
		p->next_unique_mark = 1;
		v = child_mark_unique(1, mask);
		plog(p, "mark=-1: every value under mask %#x was handed out; starting again from %#x", mask, v);
	}
	return v;
}

static struct conf_mark resolve_mark(struct pluto *p, struct tunnel *t, const struct conf_mark *m)
{
	struct conf_mark r = *m;
	if (r.set && r.unique) {
		if (t->unique_mark == 0)
			t->unique_mark = next_unique_mark(p, r.mask);
		r.value = t->unique_mark & r.mask;
		r.unique = false;
	}
	return r;
}

/* child joins the tunnel of its connection and selectors (a new one if it is the
 * first) and takes its marks.  Not the peer's address: a peer that comes back from
 * another one (NAT) with the same selectors shares the kernel's policies, and the
 * routes the script made for the selectors, with its earlier Child SAs. */
static void tunnel_join(struct ike_sa *ike, struct child_sa *child)
{
	struct connection *c = child->c;
	struct tunnel *t = NULL;
	if (c == NULL)
		return;
	for (t = c->tunnels; t != NULL; t = t->next)
		if (ts_same(&t->ts_local, &child->ts_local) && ts_same(&t->ts_remote, &child->ts_remote))
			break;
	if (t == NULL) {
		t = calloc(1, sizeof(*t));
		if (t == NULL)
			return;
		child_ts_set(&t->ts_local, child->ts_local.ts, child->ts_local.n);
		child_ts_set(&t->ts_remote, child->ts_remote.ts, child->ts_remote.n);
		t->next = c->tunnels;
		c->tunnels = t;
	}
	t->refs++;
	child->tunnel = t;
	child->mark_in = resolve_mark(ike->pluto, t, &c->conf.mark_in);
	/* mark=-1 in both directions is one value (the tunnel's) */
	child->mark_out = resolve_mark(ike->pluto, t, &c->conf.mark_out);
}

static void tunnel_leave(struct child_sa *child)
{
	struct tunnel *t = child->tunnel;
	child->tunnel = NULL;
	if (t == NULL || --t->refs > 0)
		return;
	for (struct tunnel **pp = &child->c->tunnels; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	child_ts_free(&t->ts_local);
	child_ts_free(&t->ts_remote);
	free(t);
}

void child_tunnels_free(struct connection *c)
{
	while (c->tunnels != NULL) {
		struct tunnel *t = c->tunnels;
		c->tunnels = t->next;
		child_ts_free(&t->ts_local);
		child_ts_free(&t->ts_remote);
		free(t);
	}
}

void child_sa_uninstall(struct ike_sa *ike, struct child_sa *child)
{
	struct pluto *p = ike->pluto;
	struct tunnel *t = child->tunnel;
	/* the script hears of the last Child SA going while its SAs (and their
	 * counters) are still there */
	if (t != NULL && t->refs == 1 && t->up && child->installed)
		updown_tunnel_down(ike, child);
	if (child->installed && p->kernel != NULL)
		p->kernel->remove(p, ike, child);
	child->installed = false;
	tunnel_leave(child);
}

bool child_sa_install(struct ike_sa *ike, struct child_sa *child)
{
	struct pluto *p = ike->pluto;
	char err[160] = "";
	child_sa_endpoints(ike, child);
	tunnel_join(ike, child);
	lifetime_child_plan(ike, child, child->initiator);
	if (IKE_DBGP(ike, DBG_BASE)) {
		char l[512], r[512];
		struct ike_ts_pl tl, tr;
		child_ts_get(&child->ts_local, &tl);
		child_ts_get(&child->ts_remote, &tr);
		ike_dbg(ike, "Child SA #%u: installing with kernel backend %s: reqid %u, %s mode, replay "
			"window %u%s; local %s, remote %s", child->serial, p->kernel->name, child->reqid,
			child->transport ? "transport" : "tunnel", child->replay_window,
			child->encap ? ", ESP in UDP" : "", tsel_list_str(&tl, l, sizeof(l)),
			tsel_list_str(&tr, r, sizeof(r)));
	}
	bool ok = p->kernel->install(p, ike, child, err, sizeof(err));
	if (ok)
		keylog_child(ike, child);
	/* the kernel has the keys now (or never will): ours go */
	chunk_free(&child->keymat);
	if (!ok) {
		tunnel_leave(child);
		snprintf(child->kernel_note, sizeof(child->kernel_note), "not installed: %s", err);
		child->state = CHILD_FAILED;
		ike_log(ike, "Child SA #%u: cannot install in the kernel (%s): %s", child->serial,
			p->kernel->name, err);
		return false;
	}
	child->installed = true;
	child->state = CHILD_ESTABLISHED;
	lifetime_child_start(ike, child);
	char prop[160];
	ike_log(ike, "Child SA #%u established: ESP %s%s, SPIs in %02x%02x%02x%02x out %02x%02x%02x%02x (%s)",
		child->serial, proposal_str(&child->proposal, prop, sizeof(prop)),
		child->transport ? " transport mode" : "", child->spi_local[0], child->spi_local[1], child->spi_local[2], child->spi_local[3],
		child->spi_remote[0], child->spi_remote[1], child->spi_remote[2], child->spi_remote[3],
		child->kernel_note);
	/* the first Child SA of its tunnel: the updown script's prepare, route, up */
	if (child->tunnel != NULL && !child->tunnel->up) {
		child->tunnel->up = true;
		updown_tunnel_up(ike, child);
	}
	return true;
}

/* KEYMAT and kernel, or (failure) a Delete to the peer */
void child_sa_finish(struct ike_sa *ike, struct child_sa *child, const struct chunk *ni, const struct chunk *nr,
		     const struct chunk *gir, const struct chunk *addke, size_t naddke)
{
	if (!child_sa_keymat(ike, child, ni, nr, gir, addke, naddke) || !child_sa_install(ike, child))
		child_sa_delete_failed(ike, child);
}

/* RFC 7296 1.4.1: an INFORMATIONAL request with a Delete for our inbound SPI; with
 * gone, the Child SA goes when the peer answers (informational.c) */
void child_sa_send_delete(struct ike_sa *ike, struct child_sa *child, bool gone, const char *why)
{
	uint8_t storage[64];
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	codec_put_delete(&inner, IKE_PROTO_ESP, 4, child->spi_local, 1);
	child->delete_sent = gone;
	ike_log(ike, "sending Delete for Child SA #%u (%s)", child->serial, why);
	send_request(ike, INFORMATIONAL, &inner);
}

void child_sa_delete_request(struct ike_sa *ike, struct child_sa *child)
{
	if (ike->state != IKE_ESTABLISHED)
		child_sa_free(ike, child);
	else
		child_sa_send_delete(ike, child, true, "expired");
}

/* After a failed install, tell the peer the ESP SA is gone (RFC 7296 1.4.1); the
 * record stays for whack --status. */
void child_sa_delete_failed(struct ike_sa *ike, struct child_sa *child)
{
	child->state = CHILD_FAILED;
	child_sa_send_delete(ike, child, false, "failed");
}
