/* fuzz_pluto_twopeer.c -- libFuzzer target on the daemon itself: two pluto contexts,
 * west and east, in one process (as testing/unit/test_pluto_twopeer.c), datagrams
 * carried through memory by the send hook, protostack=none.  Every input runs an
 * honest negotiation and replaces one message of it with the fuzzer's, which is either
 * a raw datagram or an inner payload chain that the harness protects (SK, or SKF
 * fragments) with the keys the receiving SA holds at that moment, so that the ICV is
 * good and the exchange handlers, not only the integrity check, see the payloads.
 * What it reaches: demux (header, SA lookup, I flag, message-ID window, cached
 * responses, INVALID_IKE_SPI), the cookie check, sk_decrypt, frag_receive and
 * reassembly, the transition table, proposal selection and every handler in both
 * roles: IKE_SA_INIT, IKE_INTERMEDIATE (ML-KEM rounds), IKE_AUTH, INFORMATIONAL,
 * CREATE_CHILD_SA and IKE_FOLLOWUP_KE.
 *
 * Input (testing/fuzz/README.md has the table):
 *   [0] scenario: bits 0-1 connection (0,3 "gcm": ML-KEM-512 + ADDKE ML-KEM-768,
 *       fragments of 576 octets; 1 "cbc": AES-CBC + HMAC; 2 "dh": Curve25519 +
 *       ML-KEM-768 + ECP-256, two rounds); bits 2-4 what follows the establishment
 *       (none, Child SA rekey from west / east, IKE SA rekey from west / east,
 *       Delete of the IKE SA, a Child SA Delete from west)
 *   [1] which message of the run is replaced (0: west's IKE_SA_INIT request); past
 *       the end of the run: a new message to an established peer
 *   [2] bits 0-1 form: 0 SK-protected inner chain, 1 SKF fragments, 2 raw datagram
 *       with the replaced message's header (SPIs, exchange, flags, message ID) written
 *       over its first 28 octets, 3 raw datagram as is; bit 2: the honest message is
 *       delivered too, after the fuzzed one; bit 3: the run goes on afterwards;
 *       bit 4: past the end, east receives (else west); bits 5-7: past the end, the
 *       exchange (INFORMATIONAL, CREATE_CHILD_SA, IKE_FOLLOWUP_KE, IKE_AUTH,
 *       IKE_INTERMEDIATE, IKE_SA_INIT, INFORMATIONAL, CREATE_CHILD_SA)
 *   [3] the first inner payload type (forms 0 and 1)
 *   [4] bits 0-2: fragments - 1 (form 1); bit 3: flip the R flag; bit 4: message ID
 *       + 1; bit 5: flip the I flag; bit 6: past the end, a response (to a request
 *       of the receiver that is made outstanding first: an empty INFORMATIONAL);
 *       bit 7: east is under load and demands a COOKIE (RFC 7296 2.6)
 *   [5..] the inner payload chain or the datagram
 *
 * Deterministic: the fuzz build's crypt_random() is a seeded stream
 * (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION in lib/libcrypt/init.c), restarted for
 * every input; only the NSS Diffie-Hellman key pairs of the "dh" connection stay
 * random (NSS has no seam), which changes key octets but not the path.  Timers never
 * fire.  FUZZ_TWOPEER_LOG=1 sends both daemons' logs to stderr; FUZZ_SEEDS=dir
 * writes a seed for every message of every scenario (its honest content) and exits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ikev2.h"
#include "crypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define WEST_PORT 15500
#define EAST_PORT 15501
#define WIRE_MAX 256		/* datagrams in flight */
#define RUN_MAX_MSGS 64		/* messages delivered per input */
#define HDR_LEN 5		/* control octets at the start of an input */

enum { WEST, EAST };

struct dgram {
	int from;
	struct chunk d;
};

struct wire {
	struct pluto *peer[2];
	unsigned n;
	struct dgram q[WIRE_MAX];
};

static char dir[64];
static FILE *logf;		/* /dev/null, or NULL: stderr */

static const char conf_fmt[] =
	"config setup\n"
	"\tprotostack=none\n"
	"conn base\n"
	"\tauto=ignore\n"
	"\tleft=127.0.0.1\n\tleftikeport=%u\n\tleftid=@%s\n\tleftsubnet=10.0.%u.0/24\n"
	"\tright=127.0.0.1\n\trightikeport=%u\n\trightid=@%s\n\trightsubnet=10.0.%u.0/24\n"
	"\tauthby=secret\n"
	"\tesp=aes_gcm256\n"
	"\tretransmit-interval=50\n"
	"\tretransmit-timeout=5s\n"
	"conn gcm\n"
	"\talso=base\n"
	"\tike=aes_gcm256-sha2_384;ke=ml_kem_512;addke1=ml_kem_768\n"
	"\tfragment-size=576\n"
	"conn cbc\n"
	"\talso=base\n"
	"\tike=aes256-sha2_256;ke=ml_kem_512;addke1=ml_kem_512\n"
	"\tesp=aes256-sha2_256\n"
	"conn dh\n"
	"\talso=base\n"
	"\tike=aes_gcm256-sha2_256-dh31;addke1=ml_kem_768;addke2=dh19\n";

static const char *const conns[4] = { "gcm", "cbc", "dh", "gcm" };
static void free_wires(void);

static bool wire_send(void *ctx, struct iface *ifc, const struct ip_addr *to, uint16_t port,
		      const uint8_t *d, size_t len)
{
	struct wire *w = ctx;
	if (w->n >= WIRE_MAX)
		return true;	/* lost */
	w->q[w->n].from = ifc->pluto == w->peer[WEST] ? WEST : EAST;
	w->q[w->n].d = chunk_dup(d, len);
	w->n++;
	return true;
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

static void cleanup_dir(void)
{
	char path[128];
	const char *names[] = { "west.conf", "east.conf", "ipsec.secrets" };
	for (unsigned i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void setup_once(void)
{
	static bool ready;
	char err[128];
	if (ready)
		return;
	ready = true;
	if (!crypt_init(NULL, err, sizeof(err)))
		abort();
	snprintf(dir, sizeof(dir), "/tmp/il-fuzz-twopeer.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup_dir);
	atexit(free_wires);
	for (int who = WEST; who <= EAST; who++) {
		char conf[2048];
		const char *me = who == WEST ? "west" : "east", *him = who == WEST ? "east" : "west";
		snprintf(conf, sizeof(conf), conf_fmt, who == WEST ? WEST_PORT : EAST_PORT, me,
			 who == WEST ? 1 : 2, who == WEST ? EAST_PORT : WEST_PORT, him, who == WEST ? 2 : 1);
		write_file(who == WEST ? "west.conf" : "east.conf", conf);
	}
	write_file("ipsec.secrets", "@west @east : PSK \"fuzz-two-peer-psk-0123456789\"\n");
	const char *l = getenv("FUZZ_TWOPEER_LOG");
	logf = l != NULL && *l == '1' ? NULL : fopen("/dev/null", "w");
}

static struct pluto *make_peer(struct wire *w, int who, const char *conn)
{
	struct pluto *p = calloc(1, sizeof(*p));
	if (p == NULL)
		abort();
	p->ctl_fd = -1;
	/* no event base: timers on the manual clock, which this target never advances */
	timers_use_manual(p, 1000);
	snprintf(p->config, sizeof(p->config), "%s/%s.conf", dir, who == WEST ? "west" : "east");
	snprintf(p->secretsfile, sizeof(p->secretsfile), "%s/ipsec.secrets", dir);
	snprintf(p->nssdir, sizeof(p->nssdir), "%s/no-nss-db", dir);
	p->log = logf;
	if (!server_configure(p))
		abort();
	p->nifaces = 1;
	p->ifaces[0] = (struct iface){ .fd = -1, .version = 4,
				       .port = who == WEST ? WEST_PORT : EAST_PORT, .pluto = p };
	p->send_hook = wire_send;
	p->send_ctx = w;
	if (!connections_load(p, conn, NULL))
		abort();
	return p;
}

static void free_peer(struct pluto *p)
{
	p->send_hook = NULL;
	p->shutting_down = true;
	ike_sa_free_all(p);
	while (p->conns != NULL)
		connections_delete(p, p->conns->name);
	conf_secrets_free(&p->secrets);
	p->kernel->shutdown(p);
	iface_close_all(p);
	log_drops_stop(p);
	timers_free(p);
	ike_sa_table_free(p);
	free(p);
}

static void deliver_to(struct wire *w, int to, const uint8_t *d, size_t len)
{
	struct ip_addr lo;
	if (!ip_parse("127.0.0.1", &lo))
		abort();
	struct pluto *dst = w->peer[to];
	demux_datagram(&dst->ifaces[0], &lo, to == EAST ? WEST_PORT : EAST_PORT, &lo, d, len);
	ike_sa_free_all(dst);
}

/* the first datagram of the queue and those after it of the same message */
static unsigned message_len(const struct wire *w)
{
	unsigned k = 1;
	const uint8_t *a = w->q[0].d.ptr;
	if (w->q[0].d.len < IKE_HDR_LEN)
		return 1;
	while (k < w->n && w->q[k].from == w->q[0].from && w->q[k].d.len >= IKE_HDR_LEN &&
	       memcmp(w->q[k].d.ptr, a, 16) == 0 && memcmp(w->q[k].d.ptr + 18, a + 18, 6) == 0)
		k++;
	return k;
}

static void take_message(struct wire *w, unsigned k, struct dgram *out)
{
	memcpy(out, w->q, k * sizeof(w->q[0]));
	memmove(w->q, w->q + k, (w->n - k) * sizeof(w->q[0]));
	w->n -= k;
}

static void deliver_message(struct wire *w, struct dgram *m, unsigned k)
{
	for (unsigned i = 0; i < k; i++)
		deliver_to(w, m[i].from == WEST ? EAST : WEST, m[i].d.ptr, m[i].d.len);
}

static void free_message(struct dgram *m, unsigned k)
{
	for (unsigned i = 0; i < k; i++)
		chunk_free(&m[i].d);
}

static struct ike_sa *established(struct pluto *p)
{
	for (struct ike_sa *s = p->sas; s != NULL; s = s->next)
		if (s->state == IKE_ESTABLISHED)
			return s;
	return NULL;
}

/* What follows the establishment (input[0] bits 2-4); false when nothing */
static bool start_tail(struct wire *w, unsigned tail)
{
	struct ike_sa *a = established(w->peer[WEST]), *b = established(w->peer[EAST]);
	if (a == NULL || b == NULL)
		return false;
	switch (tail) {
	case 1:
		return a->children != NULL && create_child_sa_initiate(a, NULL, a->children);
	case 2:
		return b->children != NULL && create_child_sa_initiate(b, NULL, b->children);
	case 3:
		return create_child_sa_rekey_ike(a);
	case 4:
		return create_child_sa_rekey_ike(b);
	case 5:
		ikev2_delete_ike(a);
		return true;
	case 6:
		/* a Child SA rekey from both ends at once (RFC 7296 2.8.1) */
		return a->children != NULL && b->children != NULL &&
		       create_child_sa_initiate(a, NULL, a->children) &&
		       create_child_sa_initiate(b, NULL, b->children);
	default:
		return false;
	}
}

/* The receiving SA of a message with this header, and the sender's keys as it
 * holds them (demux.c peer_keys) */
static struct ike_sa *receiver_sa(struct pluto *p, const uint8_t *hdr)
{
	struct ike_sa *ike = ike_sa_find(p, hdr, hdr + 8);
	if (ike == NULL) {
		static const uint8_t zero[IKE_SPI_LEN];
		ike = ike_sa_find(p, hdr, zero);
	}
	return ike;
}

/* Protects inner (first payload np) under header hdr (28 octets, length patched)
 * for the receiving SA ike, as one SK message or nfrag fragments; appends the
 * datagrams to out[]; returns how many */
static unsigned protect(struct ike_sa *ike, const uint8_t *hdr, uint8_t np, const uint8_t *inner,
			size_t len, bool frag, unsigned nfrag, struct chunk *out)
{
	static const struct chunk nokey = { 0 };
	static uint8_t zeros[64];
	struct sk_suite fallback;
	const struct sk_suite *s = &fallback;
	struct chunk ke = { zeros, 36 }, ka = nokey;
	bool from_i = (hdr[19] & IKE_FLAG_INITIATOR) != 0;
	if (ike != NULL && ike->keys_ready) {
		s = &ike->suite;
		ke = from_i ? ike->keys.sk_ei : ike->keys.sk_er;
		ka = from_i ? ike->keys.sk_ai : ike->keys.sk_ar;
	} else if (!sk_suite_init(&fallback, IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE)) {
		return 0;
	}
	if (nfrag > len)
		nfrag = len > 0 ? (unsigned)len : 1;
	unsigned n = 0;
	size_t off = 0;
	for (unsigned i = 0; i < nfrag; i++) {
		size_t piece = nfrag == 1 ? len : (i + 1 == nfrag ? len - off : len / nfrag);
		size_t cap = IKE_HDR_LEN + sk_overhead(s, piece, frag) + piece;
		if (cap > IKE_MSG_MAX)
			break;
		struct chunk d = chunk_alloc(cap);
		struct ike_buf b;
		codec_buf_init(&b, d.ptr, d.len);
		struct ike_hdr h = { .version = hdr[17], .exchange = hdr[18], .flags = hdr[19],
				     .msgid = be_get32(hdr + 20) };
		memcpy(h.spi_i, hdr, IKE_SPI_LEN);
		memcpy(h.spi_r, hdr + 8, IKE_SPI_LEN);
		codec_put_hdr(&b, &h);
		if (!sk_encrypt(s, &ke, &ka, &b, np, inner + off, piece, frag ? (uint16_t)(i + 1) : 0,
				frag ? (uint16_t)nfrag : 0) || b.overflow) {
			chunk_free(&d);
			break;
		}
		d.len = b.len;
		out[n++] = d;
		off += piece;
	}
	return n;
}

static const uint8_t past_end_xchg[8] = { INFORMATIONAL, CREATE_CHILD_SA, IKE_FOLLOWUP_KE, IKE_AUTH,
					  IKE_INTERMEDIATE, IKE_SA_INIT, INFORMATIONAL, CREATE_CHILD_SA };

/* The fuzzed message in place of the honest one (hdr: its header, to: its receiver) */
static void inject(struct wire *w, int to, const uint8_t *honest_hdr, const uint8_t *ctl,
		   const uint8_t *body, size_t len)
{
	uint8_t hdr[IKE_HDR_LEN];
	memcpy(hdr, honest_hdr, IKE_HDR_LEN);
	if (ctl[4] & 0x08)
		hdr[19] ^= IKE_FLAG_RESPONSE;
	if (ctl[4] & 0x20)
		hdr[19] ^= IKE_FLAG_INITIATOR;
	if (ctl[4] & 0x10)
		be_put32(hdr + 20, be_get32(hdr + 20) + 1);
	unsigned form = ctl[2] & 3;
	if (form >= 2) {
		uint8_t *d = malloc(len ? len : 1);
		if (d == NULL)
			return;
		memcpy(d, body, len);
		if (form == 2)
			memcpy(d, hdr, len < IKE_HDR_LEN ? len : IKE_HDR_LEN);
		deliver_to(w, to, d, len);
		free(d);
		return;
	}
	struct chunk out[8];
	unsigned nfrag = form == 1 ? (ctl[4] & 7) + 1u : 1;
	unsigned n = protect(receiver_sa(w->peer[to], hdr), hdr, ctl[3], body, len, form == 1, nfrag, out);
	for (unsigned i = 0; i < n; i++) {
		deliver_to(w, to, out[i].ptr, out[i].len);
		chunk_free(&out[i]);
	}
}

/* Past the end of the run: a new message to an established peer */
static void inject_past_end(struct wire *w, const uint8_t *ctl, const uint8_t *body, size_t len)
{
	int to = (ctl[2] & 0x10) ? EAST : WEST;
	struct ike_sa *ike = established(w->peer[to]);
	uint8_t hdr[IKE_HDR_LEN] = { 0 };
	hdr[17] = IKE_VERSION_2_0;
	hdr[18] = past_end_xchg[ctl[2] >> 5];
	if (ike != NULL) {
		bool response = (ctl[4] & 0x40) != 0;
		if (response && !ike->req_pending) {
			/* an outstanding request of the receiver: an empty INFORMATIONAL */
			struct ike_buf b;
			uint8_t st[8];
			codec_buf_init(&b, st, sizeof(st));
			send_request(ike, INFORMATIONAL, &b);
			hdr[18] = INFORMATIONAL;
			/* its datagrams stay on the wire: dropped below */
		}
		memcpy(hdr, ike->spi_i, IKE_SPI_LEN);
		memcpy(hdr + 8, ike->spi_r, IKE_SPI_LEN);
		hdr[19] = (ike->initiator ? 0 : IKE_FLAG_INITIATOR) | (response ? IKE_FLAG_RESPONSE : 0);
		be_put32(hdr + 20, response ? ike->req_msgid : ike->next_msgid_in);
		if (response)
			hdr[18] = ike->req_exchange;
	}
	for (unsigned i = 0; i < w->n; i++)
		chunk_free(&w->q[i].d);
	w->n = 0;
	inject(w, to, hdr, ctl, body, len);
}

/* Runs the scenario of ctl; replaces message number ctl[1] with body (or with
 * nothing when body is NULL: the honest run).  dump: FUZZ_SEEDS mode. */
static void run(const uint8_t *ctl, const uint8_t *body, size_t len, const char *dump);

static void write_seed(const char *dumpdir, const char *tag, const uint8_t *ctl, const uint8_t *body,
		       size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dumpdir, tag);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return;
	fwrite(ctl, 1, HDR_LEN, f);
	fwrite(body, 1, len, f);
	fclose(f);
}

/* FUZZ_SEEDS: the honest content of message m (k datagrams), as inner chain
 * and as raw datagram seeds for ctl's scenario */
static void dump_message(struct wire *w, const char *dumpdir, const uint8_t *ctl0, unsigned idx,
			 struct dgram *m, unsigned k)
{
	uint8_t ctl[HDR_LEN];
	memcpy(ctl, ctl0, HDR_LEN);
	ctl[1] = (uint8_t)idx;
	const uint8_t *h = m[0].d.ptr;
	char tag[96];
	/* raw: the first datagram */
	ctl[2] = 2 | 8;
	snprintf(tag, sizeof(tag), "c%02x%s-m%02u-%s-%s-raw", ctl[0], (ctl0[4] & 0x80) ? "-load" : "", idx, ike_exchange_name(h[18]),
		 (h[19] & IKE_FLAG_RESPONSE) ? "resp" : "req");
	write_seed(dumpdir, tag, ctl, m[0].d.ptr, m[0].d.len);
	if (h[18] == IKE_SA_INIT)
		return;
	/* inner: decrypted with the receiver's keys, the fragments concatenated */
	int to = m[0].from == WEST ? EAST : WEST;
	struct ike_sa *ike = receiver_sa(w->peer[to], h);
	if (ike == NULL || !ike->keys_ready)
		return;
	bool from_i = (h[19] & IKE_FLAG_INITIATOR) != 0;
	const struct chunk *ke = from_i ? &ike->keys.sk_ei : &ike->keys.sk_er;
	const struct chunk *ka = from_i ? &ike->keys.sk_ai : &ike->keys.sk_ar;
	uint8_t *all = malloc(IKE_MSG_MAX * 2);
	size_t alen = 0;
	uint8_t np = 0;
	for (unsigned i = 0; all != NULL && i < k; i++) {
		struct ike_hdr hh;
		struct ike_chain c;
		uint8_t bad;
		if (codec_decode_hdr(m[i].d.ptr, m[i].d.len, &hh) != CODEC_OK ||
		    codec_decode_chain(hh.np, m[i].d.ptr + IKE_HDR_LEN, m[i].d.len - IKE_HDR_LEN, &c, &bad) !=
			    CODEC_OK || c.n == 0)
			break;
		const struct ike_pl *last = &c.pl[c.n - 1];
		uint8_t *out = malloc(last->len);
		const uint8_t *plain;
		size_t plen;
		if (out != NULL && sk_decrypt(&ike->suite, ke, ka, m[i].d.ptr, m[i].d.len, last, out, &plain,
					      &plen) == SK_OK && alen + plen <= IKE_MSG_MAX * 2) {
			memcpy(all + alen, plain, plen);
			alen += plen;
			if (i == 0)
				np = last->np;
		}
		free(out);
	}
	ctl[3] = np;
	ctl[2] = 0 | 8;
	snprintf(tag, sizeof(tag), "c%02x%s-m%02u-%s-%s-sk", ctl[0], (ctl0[4] & 0x80) ? "-load" : "", idx, ike_exchange_name(h[18]),
		 (h[19] & IKE_FLAG_RESPONSE) ? "resp" : "req");
	write_seed(dumpdir, tag, ctl, all, alen);
	if (k > 1) {
		ctl[2] = 1 | 8;
		ctl[4] = (uint8_t)((ctl0[4] & ~7) | ((k - 1) & 7));
		snprintf(tag, sizeof(tag), "c%02x%s-m%02u-%s-%s-skf", ctl[0], (ctl0[4] & 0x80) ? "-load" : "", idx, ike_exchange_name(h[18]),
			 (h[19] & IKE_FLAG_RESPONSE) ? "resp" : "req");
		write_seed(dumpdir, tag, ctl, all, alen);
	}
	free(all);
}

/* The two peers of each connection, made on first use and kept: reading the
 * configuration costs more than a negotiation */
static struct wire *wires[3];

static struct wire *get_wire(unsigned ci)
{
	if (wires[ci] == NULL) {
		struct wire *w = calloc(1, sizeof(*w));
		if (w == NULL)
			abort();
		w->peer[WEST] = make_peer(w, WEST, conns[ci]);
		w->peer[EAST] = make_peer(w, EAST, conns[ci]);
		wires[ci] = w;
	}
	return wires[ci];
}

/* Back to the state after start-up: no SA, nothing on the wire; the counters that
 * outlive SAs must be back at zero (an accounting bug otherwise) */
static void reset_wire(struct wire *w)
{
	for (int i = 0; i < 2; i++) {
		struct pluto *p = w->peer[i];
		p->shutting_down = true;
		ike_sa_free_all(p);
		p->shutting_down = false;
		if (p->nsas != 0 || p->nhalf_open != 0 || p->frag_bytes != 0) {
			fprintf(stderr, "fuzz_pluto_twopeer: %s: %u SAs, %u half-open, %zu reassembly octets left\n",
				i == WEST ? "west" : "east", p->nsas, p->nhalf_open, p->frag_bytes);
			abort();
		}
		/* every index empty: an SA or Child SA left on one is a use after free */
		const struct ix *ixs[] = { &p->sa_by_spi, &p->sa_by_peer, &p->sa_by_remote,
					   &p->child_by_in, &p->child_by_out };
		for (unsigned k = 0; k < sizeof(ixs) / sizeof(ixs[0]); k++)
			if (ixs[k]->n != 0) {
				fprintf(stderr, "fuzz_pluto_twopeer: %s: %u entries left on SA index %u\n",
					i == WEST ? "west" : "east", ixs[k]->n, k);
				abort();
			}
		p->next_serial = 0;
		p->invspi_second = 0;
		p->invspi_sent = 0;
		if (!crypt_random(p->cookie_secret, sizeof(p->cookie_secret)))
			abort();
		p->cookie_version = 0;
		p->cookie_rotated_ms = pluto_now_ms(p);
	}
	for (unsigned i = 0; i < w->n; i++)
		chunk_free(&w->q[i].d);
	w->n = 0;
}

static void run(const uint8_t *ctl, const uint8_t *body, size_t len, const char *dump)
{
	unsigned ci = ctl[0] & 3;
	const char *conn = conns[ci];
	struct wire *w = get_wire(ci == 3 ? 0 : ci);
	crypt_fuzz_seed(0x496e7465726c7564ULL);	/* "Interlud" */
	reset_wire(w);
	/* RFC 7296 2.6: east under load (as many half-open SAs as make it demand a
	 * COOKIE); counted in, and out again before the accounting check */
	unsigned load = (ctl[4] & 0x80) ? CONF_DDOS_IKE_THRESHOLD_DEFAULT : 0;
	w->peer[EAST]->nhalf_open += load;
	unsigned tail = (ctl[0] >> 2) & 7;
	if (ikev2_initiate(w->peer[WEST], connection_find(w->peer[WEST], conn), NULL) == NULL)
		abort();
	unsigned idx = 0, target = ctl[1];
	bool tail_started = false, injected = false, go_on = true;
	for (unsigned steps = 0; steps < RUN_MAX_MSGS && go_on; steps++) {
		if (w->n == 0) {
			if (tail_started || !start_tail(w, tail))
				break;
			tail_started = true;
			continue;
		}
		unsigned k = message_len(w);
		struct dgram m[WIRE_MAX];
		take_message(w, k, m);
		if (dump != NULL)
			dump_message(w, dump, ctl, idx, m, k);
		if (body != NULL && idx == target && !injected && m[0].d.len >= IKE_HDR_LEN) {
			injected = true;
			inject(w, m[0].from == WEST ? EAST : WEST, m[0].d.ptr, ctl, body, len);
			if (ctl[2] & 4)
				deliver_message(w, m, k);
			go_on = (ctl[2] & 8) != 0;
		} else {
			deliver_message(w, m, k);
		}
		free_message(m, k);
		idx++;
	}
	if (body != NULL && !injected) {
		inject_past_end(w, ctl, body, len);
		/* and whatever it caused, to the other side */
		for (unsigned steps = 0; steps < RUN_MAX_MSGS && w->n > 0 && (ctl[2] & 8); steps++) {
			unsigned k = message_len(w);
			struct dgram m[WIRE_MAX];
			take_message(w, k, m);
			deliver_message(w, m, k);
			free_message(m, k);
		}
	}
	if (w->peer[EAST]->nhalf_open < load) {
		fprintf(stderr, "fuzz_pluto_twopeer: east: half-open count fell below the load\n");
		abort();
	}
	w->peer[EAST]->nhalf_open -= load;
	reset_wire(w);
}

static void free_wires(void)
{
	for (unsigned i = 0; i < 3; i++) {
		if (wires[i] == NULL)
			continue;
		reset_wire(wires[i]);
		free_peer(wires[i]->peer[WEST]);
		free_peer(wires[i]->peer[EAST]);
		free(wires[i]);
		wires[i] = NULL;
	}
}

/* FUZZ_SEEDS=dir: one honest run per scenario, every message written out */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setup_once();
	const char *dump = getenv("FUZZ_SEEDS");
	if (dump == NULL)
		return 0;
	mkdir(dump, 0755);
	static const uint8_t scenarios[] = {
		0 | 1 << 2, 0 | 2 << 2, 0 | 3 << 2, 0 | 4 << 2, 0 | 5 << 2, 0 | 6 << 2,
		1 | 1 << 2, 1 | 3 << 2, 2 | 1 << 2, 2 | 4 << 2,
	};
	for (unsigned i = 0; i < sizeof(scenarios); i++) {
		uint8_t ctl[HDR_LEN] = { scenarios[i], 0xff, 0, 0, 0 };
		run(ctl, NULL, 0, dump);
	}
	uint8_t loaded[HDR_LEN] = { 0 | 1 << 2, 0xff, 0, 0, 0x80 };	/* with a COOKIE */
	run(loaded, NULL, 0, dump);
	free_wires();
	exit(0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup_once();
	if (size < HDR_LEN || size > HDR_LEN + IKE_MSG_MAX)
		return 0;
	run(data, data + HDR_LEN, size - HDR_LEN, NULL);
	return 0;
}
