/* test_pluto_twopeer.c -- the in-process two-peer driver (docs/architecture.md, Tests): two
 * pluto contexts, west and east, in one process, their datagrams carried through
 * memory by the test instead of UDP (struct pluto's send_hook), so that loss,
 * reordering and duplication are exact and repeatable.  The connection is the
 * post-quantum hybrid: Curve25519 + ML-KEM-768 in IKE_INTERMEDIATE, fragmented at
 * 576 octets (RFC 7383), so every exchange after IKE_SA_INIT has several datagrams.
 *
 * Time is virtual (timer.h, the manual back end): both peers' clocks start at
 * CLOCK_START_MS and move only when the test moves them, together, firing the due
 * timers of both in time order (run_until).  Retransmission, half-open expiry,
 * lingering, lifetimes, liveness and revival run in no real time at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "ikev2.h"
#include "helper.h"
#include "testutil.h"
#include "updown.h"

#define WEST_PORT 15500
#define EAST_PORT 15501
#define WIRE_MAX  256		/* datagrams in flight */
#define WIRE_STEPS 2000		/* bound on deliveries in one test */
#define CLOCK_START_MS 1000000	/* both virtual clocks start here */
#define TIMER_STEPS 100000	/* bound on timer steps in one run_until */

enum { WEST, EAST };

#define SECRETS "@west @east : PSK \"two-peer-test-psk-0123456789\"\n" \
		"@west @east : PPKS \"PPK_ID_1\" \"two-peer-test-ppk-0123456789abcdef\"\n"

struct dgram {
	int from;		/* WEST or EAST */
	uint64_t at;		/* sent at (virtual ms) */
	struct chunk d;
};

struct wire {
	struct pluto *peer[2];
	char dir[64];
	unsigned n;
	struct dgram q[WIRE_MAX];
	unsigned sent[2];	/* datagrams each side sent */
	long log_mark[2];	/* where each log stood at mark_logs() */
};

static bool wire_send(void *ctx, struct iface *ifc, const struct ip_addr *to, uint16_t port,
		      const uint8_t *d, size_t len)
{
	struct wire *w = ctx;
	int from = ifc->pluto == w->peer[WEST] ? WEST : EAST;
	assert_true(w->n < WIRE_MAX);
	assert_int_equal(port, from == WEST ? EAST_PORT : WEST_PORT);
	w->q[w->n].from = from;
	w->q[w->n].at = pluto_now_ms(ifc->pluto);
	w->q[w->n].d = chunk_dup(d, len);
	w->n++;
	w->sent[from]++;
	return true;
}

/* The IKE header of a datagram: exchange type and whether it is a response */
static uint8_t xchg(const struct dgram *g)
{
	return g->d.ptr[18];
}

static bool is_response(const struct dgram *g)
{
	return (g->d.ptr[19] & IKE_FLAG_RESPONSE) != 0;
}

static void take(struct wire *w, unsigned i, struct dgram *out)
{
	*out = w->q[i];
	memmove(&w->q[i], &w->q[i + 1], (w->n - i - 1) * sizeof(w->q[0]));
	w->n--;
}

static void deliver(struct wire *w, const struct dgram *g)
{
	struct pluto *dst = w->peer[g->from == WEST ? EAST : WEST];
	struct ip_addr lo;
	assert_true(ip_parse("127.0.0.1", &lo));
	demux_datagram(&dst->ifaces[0], &lo, g->from == WEST ? WEST_PORT : EAST_PORT, &lo,
		       g->d.ptr, g->d.len);
	ike_sa_free_all(dst);
}

static void drop(struct dgram *g)
{
	chunk_free(&g->d);
}

/* With crypto helpers (test_helpers): waits for the jobs in flight and gives them
 * back to their SAs, as the daemon's eventfd callback does; false if none */
static bool collect_jobs(struct wire *w)
{
	bool any = false;
	for (int i = 0; i < 2; i++) {
		struct pluto *p = w->peer[i];
		if (helpers_inflight(p) == 0)
			continue;
		any = true;
		assert_true(helpers_wait(p, 5000));
		helpers_collect(p);
		ike_sa_free_all(p);
	}
	return any;
}

/* Delivers everything in order until nothing is in flight (nor any crypto job). */
static void run_in_order(struct wire *w)
{
	for (unsigned steps = 0; (w->n > 0 || collect_jobs(w)) && steps < WIRE_STEPS; steps++) {
		if (w->n == 0)
			continue;
		struct dgram g;
		take(w, 0, &g);
		deliver(w, &g);
		drop(&g);
	}
	assert_int_equal(w->n, 0);
}

/* --- the virtual clock ------------------------------------------------------------------ */

static uint64_t now(struct wire *w)
{
	uint64_t t = pluto_now_ms(w->peer[WEST]);
	assert_int_equal(t, pluto_now_ms(w->peer[EAST]));	/* the peers share the time */
	return t;
}

/* Moves both clocks to `to`, one due time at a time across the two peers, so that
 * their timers fire in time order.  With deliver, what is in flight arrives at
 * once (before each step and at the end); without, it stays on the wire. */
static void run_until(struct wire *w, uint64_t to, bool deliver)
{
	assert_true(to >= now(w));
	for (unsigned steps = 0;; steps++) {
		assert_true(steps < TIMER_STEPS);
		if (deliver)
			run_in_order(w);
		uint64_t t = now(w), next = UINT64_MAX, due;
		for (int i = 0; i < 2; i++)
			if (timer_next_due(w->peer[i], &due) && due < next)
				next = due;
		if (next > to)
			break;
		for (int i = 0; i < 2; i++)
			timer_advance(w->peer[i], next - t);
	}
	uint64_t t = now(w);
	for (int i = 0; i < 2; i++)
		timer_advance(w->peer[i], to - t);
	if (deliver)
		run_in_order(w);
}

static void run_for(struct wire *w, uint64_t ms, bool deliver)
{
	run_until(w, now(w) + ms, deliver);
}

/* Moves both clocks to the next due time of either peer (firing what is due then) */
static void fire_next(struct wire *w)
{
	uint64_t next = UINT64_MAX, due;
	for (int i = 0; i < 2; i++)
		if (timer_next_due(w->peer[i], &due) && due < next)
			next = due;
	assert_true(next != UINT64_MAX);
	run_until(w, next, false);
}

static const char conf_fmt[] =
	"config setup\n"
	"\tprotostack=none\n"
	"conn west-east\n"
	"\tleft=127.0.0.1\n\tleftikeport=%u\n\tleftid=@%s\n"
	"\tright=127.0.0.1\n\trightikeport=%u\n\trightid=@%s\n"
	"\tauthby=secret\n"
	"\tike=aes_gcm256-sha2_384-dh31;addke1=ml_kem_768\n"
	"\tesp=aes_gcm256\n"
	"\tfragment-size=576\n"
	"\tretransmit-interval=50\n"
	"\tretransmit-timeout=5s\n"
	/* loaded by the tests that use them (the responder picks the newest loaded) */
	"conn three\n"
	"\talso=west-east\n"
	"\tike=aes_gcm256-sha2_384-dh31;addke1=ml_kem_768;addke2=ml_kem_1024;addke3=dh20\n"
	"conn dpd\n"
	"\talso=west-east\n"
	"\tdpddelay=1s\n"
	"\tdpdtimeout=3s\n"
	"\tdpdaction=restart\n"
	"conn dpd-peer\n"		/* east's side of dpd: no liveness checks of its own */
	"\talso=west-east\n"
	/* INVALID_KE_PAYLOAD: west's first KE is Curve25519, east takes only ECP-256 */
	"conn ke-i\n"
	"\talso=west-east\n"
	"\tike=aes_gcm256-sha2_384-dh31+dh19;addke1=ml_kem_768\n"
	"conn ke-r\n"
	"\talso=west-east\n"
	"\tike=aes_gcm256-sha2_384-dh19;addke1=ml_kem_768\n"
	/* rekeys by lifetime, without fuzz: the initiator of each SA rekeys
	 * rekeymargin before its end (Child SA at 40 s, IKE SA at 130 s), the
	 * responder half a margin before (50 s, 140 s) */
	"conn life\n"
	"\talso=west-east\n"
	"\tsalifetime=60s\n"
	"\tikelifetime=150s\n"
	"\trekeymargin=20s\n"
	"\trekeyfuzz=0%%\n"
	/* RFC 8784: a PPK mixed into the keys in IKE_AUTH */
	"conn ppk\n"
	"\talso=west-east\n"
	"\tppk=propose\n";

/* A kernel backend that keeps what it is given, so that the test can check that
 * both ends installed matching SAs (keys and SPIs, each direction). */
#define TEST_MAX_INSTALLED 1024
struct installed {
	const struct pluto *p;
	uint8_t spi_in[4], spi_out[4];
	uint8_t key_in[64], key_out[64];
	size_t klen;
	bool removed;
};
static struct installed installed[TEST_MAX_INSTALLED];
static unsigned ninstalled;

static bool test_kernel_init(struct pluto *p, char *err, size_t errlen)
{
	return true;
}

static bool test_kernel_install(struct pluto *p, struct ike_sa *ike, struct child_sa *child, char *err,
				size_t errlen)
{
	const uint8_t *out, *in;
	size_t half;
	child_sa_key_halves(child, &out, &in, &half);
	if (ninstalled >= TEST_MAX_INSTALLED || half > sizeof(installed[0].key_in))
		return false;
	struct installed *i = &installed[ninstalled++];
	i->p = p;
	memcpy(i->spi_in, child->spi_local, 4);
	memcpy(i->spi_out, child->spi_remote, 4);
	memcpy(i->key_out, out, half);
	memcpy(i->key_in, in, half);
	i->klen = half;
	snprintf(child->kernel_note, sizeof(child->kernel_note), "test kernel");
	return true;
}

static void test_kernel_remove(struct pluto *p, struct ike_sa *ike, struct child_sa *child)
{
	for (unsigned k = 0; k < ninstalled; k++)
		if (installed[k].p == p && memcmp(installed[k].spi_in, child->spi_local, 4) == 0)
			installed[k].removed = true;
}

static void test_kernel_shutdown(struct pluto *p)
{
}

static const struct kernel_ops test_kernel_ops = {
	.name = "test",
	.init = test_kernel_init,
	.install = test_kernel_install,
	.remove = test_kernel_remove,
	.shutdown = test_kernel_shutdown,
};

/* the live installed SA of p with inbound SPI spi */
static const struct installed *installed_sa(const struct pluto *p, const uint8_t spi[4])
{
	for (unsigned k = 0; k < ninstalled; k++)
		if (installed[k].p == p && !installed[k].removed && memcmp(installed[k].spi_in, spi, 4) == 0)
			return &installed[k];
	return NULL;
}

static struct pluto *make_peer(struct wire *w, int who)
{
	const char *me = who == WEST ? "west" : "east", *him = who == WEST ? "east" : "west";
	char conf[4096], name[32];
	snprintf(conf, sizeof(conf), conf_fmt, who == WEST ? WEST_PORT : EAST_PORT, me,
		 who == WEST ? EAST_PORT : WEST_PORT, him);
	snprintf(name, sizeof(name), "%s.conf", me);
	testutil_write_file(w->dir, name, conf);
	struct pluto *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->ctl_fd = -1;
	/* no event base: nothing on the protocol path may need libevent */
	timers_use_manual(p, CLOCK_START_MS);
	snprintf(p->config, sizeof(p->config), "%s/%s.conf", w->dir, me);
	snprintf(p->secretsfile, sizeof(p->secretsfile), "%s/ipsec.secrets", w->dir);
	snprintf(p->nssdir, sizeof(p->nssdir), "%s/no-nss-db", w->dir);
	snprintf(p->logfile, sizeof(p->logfile), "%s/%s.log", w->dir, me);
	p->log = fopen(p->logfile, "w");
	assert_non_null(p->log);
	assert_true(server_configure(p));
	p->kernel->shutdown(p);
	p->kernel = &test_kernel_ops;
	/* one IPv4 interface without a socket: its datagrams go through the wire */
	p->nifaces = 1;
	p->ifaces[0] = (struct iface){ .fd = -1, .version = 4,
				       .port = who == WEST ? WEST_PORT : EAST_PORT, .pluto = p };
	p->send_hook = wire_send;
	p->send_ctx = w;
	assert_true(connections_load(p, "west-east", NULL));
	return p;
}

static int setup(void **state)
{
	char err[128];
	if (!crypt_init(NULL, err, sizeof(err)))
		return -1;
	struct wire *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return -1;
	snprintf(w->dir, sizeof(w->dir), "/tmp/il-twopeer.XXXXXX");
	if (mkdtemp(w->dir) == NULL)
		return -1;
	ninstalled = 0;
	memset(installed, 0, sizeof(installed));
	testutil_write_file(w->dir, "ipsec.secrets", SECRETS);
	w->peer[WEST] = make_peer(w, WEST);
	w->peer[EAST] = make_peer(w, EAST);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct wire *w = *state;
	for (unsigned i = 0; i < w->n; i++)
		drop(&w->q[i]);
	w->n = 0;
	for (int i = 0; i < 2; i++) {
		struct pluto *p = w->peer[i];
		p->send_hook = NULL;
		p->shutting_down = true;
		ike_sa_free_all(p);
		helpers_stop(p);	/* after the SAs, as server_stop() */
		while (p->conns != NULL)
			connections_delete(p, p->conns->name);
		conf_secrets_free(&p->secrets);
		p->kernel->shutdown(p);
		iface_close_all(p);
		log_drops_stop(p);
		assert_false(timer_next_due(p, &(uint64_t){ 0 }));	/* every timer's owner is gone */
		timers_free(p);
		ike_sa_table_free(p);
		fclose(p->log);
		free(p);
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", w->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", w->dir);
	free(w);
	return 0;
}

static struct ike_sa *only_sa(struct pluto *p)
{
	assert_non_null(p->sas);
	assert_null(p->sas->next);
	return p->sas;
}

static void assert_established(struct wire *w)
{
	for (int i = 0; i < 2; i++) {
		struct ike_sa *ike = only_sa(w->peer[i]);
		assert_int_equal(ike->state, IKE_ESTABLISHED);
		/* RFC 9370: the one ML-KEM-768 round ran and was authenticated */
		assert_int_equal(ike->n_addke, 1);
		assert_int_equal(ike->addke[0], IKE_KE_MLKEM768);
		assert_int_equal(ike->int_rounds, 1);
		assert_true(ike->frags_received > 0);
		assert_non_null(ike->children);
		assert_int_equal(ike->children->state, CHILD_ESTABLISHED);
		assert_null(ike->children->keymat.ptr);	/* wiped once installed */
	}
	/* both sides installed the same Child SA keys, each direction */
	struct child_sa *a = w->peer[WEST]->sas->children, *b = w->peer[EAST]->sas->children;
	assert_memory_equal(a->spi_local, b->spi_remote, 4);
	assert_memory_equal(a->spi_remote, b->spi_local, 4);
	const struct installed *ka = installed_sa(w->peer[WEST], a->spi_local);
	const struct installed *kb = installed_sa(w->peer[EAST], b->spi_local);
	assert_non_null(ka);
	assert_non_null(kb);
	assert_int_equal(ka->klen, kb->klen);
	assert_memory_equal(ka->key_out, kb->key_in, ka->klen);
	assert_memory_equal(ka->key_in, kb->key_out, ka->klen);
	assert_memory_not_equal(ka->key_in, ka->key_out, ka->klen);
}

static void initiate(struct wire *w)
{
	assert_non_null(ikev2_initiate(w->peer[WEST], connection_find(w->peer[WEST], "west-east"), NULL));
}

static void establish(struct wire *w)
{
	initiate(w);
	run_in_order(w);
	assert_established(w);
}

/* Deletes the IKE SA from west so that the next test starts clean. */
static void finish(struct wire *w)
{
	ikev2_delete_ike(only_sa(w->peer[WEST]));
	run_in_order(w);
	assert_null(w->peer[WEST]->sas);
	assert_null(w->peer[EAST]->sas);
}

/* --- what a peer sees: log lines and messages --------------------------------------------- */

static char *read_log(struct wire *w, int who)
{
	char path[128];
	log_flush(w->peer[who]);
	snprintf(path, sizeof(path), "%s/%s.log", w->dir, who == WEST ? "west" : "east");
	return testutil_slurp(path);
}

/* Later calls of logged() look only at lines written after this */
static void mark_logs(struct wire *w)
{
	for (int i = 0; i < 2; i++) {
		char *log = read_log(w, i);
		w->log_mark[i] = (long)strlen(log);
		free(log);
	}
}

static bool logged(struct wire *w, int who, const char *line)
{
	char *log = read_log(w, who);
	bool found = strstr(log + w->log_mark[who], line) != NULL;
	if (!found)
		fprintf(stderr, "%s log since the mark has no \"%s\":\n%s", who == WEST ? "west" : "east", line,
			log + w->log_mark[who]);
	free(log);
	return found;
}

/* One datagram as its receiver would read it: the header, the payloads outside SK,
 * and, when it is an SK message of an IKE SA the receiver has keys for, those inside */
struct opened {
	struct ike_hdr h;
	struct ike_chain outer, inner;
	bool decrypted;
	uint8_t plain[PLUTO_MAX_DGRAM];
};

static void open_dgram(struct wire *w, const struct dgram *g, struct opened *o)
{
	memset(o, 0, offsetof(struct opened, plain));
	uint8_t bad;
	assert_int_equal(codec_decode_hdr(g->d.ptr, g->d.len, &o->h), CODEC_OK);
	assert_int_equal(codec_decode_chain(o->h.np, g->d.ptr + IKE_HDR_LEN, g->d.len - IKE_HDR_LEN, &o->outer, &bad),
			 CODEC_OK);
	const struct ike_pl *sk = codec_find(&o->outer, IKE_PL_SK);
	struct ike_sa *rx = ike_sa_find(w->peer[g->from == WEST ? EAST : WEST], o->h.spi_i, o->h.spi_r);
	if (sk == NULL || rx == NULL || !rx->keys_ready)
		return;
	bool from_i = (o->h.flags & IKE_FLAG_INITIATOR) != 0;
	const uint8_t *plain;
	size_t plain_len;
	assert_int_equal(sk_decrypt(&rx->suite, from_i ? &rx->keys.sk_ei : &rx->keys.sk_er,
				    from_i ? &rx->keys.sk_ai : &rx->keys.sk_ar, g->d.ptr, g->d.len, sk, o->plain,
				    &plain, &plain_len), SK_OK);
	assert_int_equal(codec_decode_chain(sk->np, plain, plain_len, &o->inner, &bad), CODEC_OK);
	o->decrypted = true;
}

/* The notify of type ntype in chain c (fails the test when there is none) */
static struct ike_notify_pl notify_in(const struct ike_chain *c, uint16_t ntype)
{
	struct ike_notify_pl n;
	const struct ike_pl *pl = codec_find_notify(c, ntype);
	assert_non_null(pl);
	assert_int_equal(codec_decode_notify(pl, &n), CODEC_OK);
	return n;
}

static uint16_t ke_method_of(const struct opened *o)
{
	struct ike_ke_pl ke;
	assert_int_equal(codec_decode_ke(codec_find(&o->outer, IKE_PL_KE), &ke), CODEC_OK);
	return ke.method;
}

/* Delivers in order until the first datagram in flight is from `from`, of exchange
 * xchg and (response) a response; fails if that never comes */
static void deliver_until(struct wire *w, int from, uint8_t exchange, bool response)
{
	for (unsigned steps = 0; steps < WIRE_STEPS; steps++) {
		assert_true(w->n > 0);
		const struct dgram *g = &w->q[0];
		if (g->from == from && xchg(g) == exchange && is_response(g) == response)
			return;
		struct dgram d;
		take(w, 0, &d);
		deliver(w, &d);
		drop(&d);
	}
	fail_msg("the datagram never came");
}

static void drop_all(struct wire *w)
{
	while (w->n > 0) {
		struct dgram g;
		take(w, 0, &g);
		drop(&g);
	}
}

static void test_in_order(void **state)
{
	struct wire *w = *state;
	establish(w);
	finish(w);
}

/* RFC 7383 2.6.1: fragments in any order, each twice: duplicates dropped, the
 * message reassembled once; RFC 9242: the IntAuth is the same as in order. */
static void test_reversed_and_duplicated(void **state)
{
	struct wire *w = *state;
	initiate(w);
	for (unsigned steps = 0; w->n > 0 && steps < WIRE_STEPS; steps++) {
		struct dgram g;
		take(w, w->n - 1, &g);	/* the newest first: fragments arrive reversed */
		deliver(w, &g);
		deliver(w, &g);
		drop(&g);
	}
	assert_int_equal(w->n, 0);
	assert_established(w);
	finish(w);
}

/* RFC 7296 2.1: a retransmitted request is answered from the cache, not processed
 * again; with fragments, only the first fragment triggers it (RFC 7383 2.6.1). */
static void test_duplicate_request(void **state)
{
	struct wire *w = *state;
	initiate(w);
	/* run until west's IKE_AUTH request is on the wire */
	for (unsigned steps = 0; steps < WIRE_STEPS; steps++) {
		assert_true(w->n > 0);
		if (w->q[0].from == WEST && xchg(&w->q[0]) == IKE_AUTH && !is_response(&w->q[0]))
			break;
		struct dgram g;
		take(w, 0, &g);
		deliver(w, &g);
		drop(&g);
	}
	unsigned nreq = w->n;
	struct dgram copy[WIRE_MAX];
	for (unsigned i = 0; i < nreq; i++)
		copy[i] = (struct dgram){ .from = w->q[i].from, .at = w->q[i].at,
					  .d = chunk_dup(w->q[i].d.ptr, w->q[i].d.len) };
	run_in_order(w);
	assert_established(w);
	unsigned east_sent = w->sent[EAST];
	/* the whole request again: east answers once more, with the same response */
	for (unsigned i = 0; i < nreq; i++) {
		deliver(w, &copy[i]);
		drop(&copy[i]);
	}
	unsigned again = w->sent[EAST] - east_sent;
	assert_true(again > 0);
	for (unsigned i = 0; i < w->n; i++)
		assert_true(xchg(&w->q[i]) == IKE_AUTH && is_response(&w->q[i]));
	run_in_order(w);	/* west drops the duplicate response: no request outstanding */
	assert_established(w);
	finish(w);
}

/* A lost fragment of the IKE_INTERMEDIATE response: west's retransmission timer
 * re-sends every fragment of its request (RFC 7383 2.5), east re-sends its cached
 * response (keys unchanged for it), and the exchange completes. */
static void test_lost_fragment(void **state)
{
	struct wire *w = *state;
	initiate(w);
	bool dropped = false, retransmitted = false;
	for (unsigned steps = 0; steps < WIRE_STEPS && (w->n > 0 || !retransmitted); steps++) {
		if (w->n == 0) {
			/* nothing in flight: let west's retransmission timer fire */
			unsigned before = w->sent[WEST];
			fire_next(w);
			retransmitted |= w->sent[WEST] > before;
			continue;
		}
		struct dgram g;
		take(w, 0, &g);
		if (!dropped && g.from == EAST && xchg(&g) == IKE_INTERMEDIATE && is_response(&g)) {
			dropped = true;
			unsigned west_sent = w->sent[WEST];
			drop(&g);
			/* the rest of the response arrives; west cannot reassemble it */
			while (w->n > 0) {
				take(w, 0, &g);
				deliver(w, &g);
				drop(&g);
			}
			assert_int_equal(w->sent[WEST], west_sent);
			assert_int_equal(only_sa(w->peer[WEST])->state, IKE_I_INTERMEDIATE_SENT);
			continue;
		}
		deliver(w, &g);
		drop(&g);
	}
	assert_true(dropped);
	assert_true(retransmitted);
	assert_int_equal(w->n, 0);
	assert_established(w);
	finish(w);
}

/* Every established Child SA of west has its twin at east: SPIs crossed, the keys
 * each installed equal per direction; returns how many */
static unsigned check_children(struct wire *w)
{
	unsigned n = 0;
	struct ike_sa *wi = only_sa(w->peer[WEST]), *ei = only_sa(w->peer[EAST]);
	for (struct child_sa *a = wi->children; a != NULL; a = a->next) {
		if (a->state != CHILD_ESTABLISHED)
			continue;
		struct child_sa *b = ei->children;
		while (b != NULL && memcmp(b->spi_local, a->spi_remote, 4) != 0)
			b = b->next;
		assert_non_null(b);
		assert_int_equal(b->state, CHILD_ESTABLISHED);
		assert_int_equal(a->generation, b->generation);
		const struct installed *ka = installed_sa(w->peer[WEST], a->spi_local);
		const struct installed *kb = installed_sa(w->peer[EAST], b->spi_local);
		assert_non_null(ka);
		assert_non_null(kb);
		assert_memory_equal(ka->key_out, kb->key_in, ka->klen);
		assert_memory_equal(ka->key_in, kb->key_out, ka->klen);
		n++;
	}
	return n;
}

static void rekey_child_from(struct wire *w, int who)
{
	struct ike_sa *ike = only_sa(w->peer[who]);
	struct child_sa *old = ike->children;
	uint8_t old_spi[4];
	memcpy(old_spi, old->spi_local, 4);
	unsigned gen = old->generation;
	assert_true(create_child_sa_initiate(ike, NULL, old));
	run_in_order(w);
	/* one Child SA left on each side, the next generation, the old one gone from
	 * the kernel too (make before break: installed before the Delete) */
	for (int i = 0; i < 2; i++) {
		struct ike_sa *s = only_sa(w->peer[i]);
		assert_non_null(s->children);
		assert_null(s->children->next);
		assert_int_equal(s->children->generation, gen + 1);
		assert_null(s->cc_out);
		assert_null(s->cc_in);
	}
	assert_null(installed_sa(w->peer[who], old_spi));
	assert_int_equal(check_children(w), 1);
}

/* RFC 7296 1.3.3 + RFC 9370 2.2.4: Child SA rekeys from either end, with PFS
 * (Curve25519 in CREATE_CHILD_SA, ML-KEM-768 in IKE_FOLLOWUP_KE) */
static void test_rekey_child(void **state)
{
	struct wire *w = *state;
	establish(w);
	rekey_child_from(w, WEST);
	rekey_child_from(w, EAST);
	rekey_child_from(w, WEST);
	finish(w);
}

/* RFC 7296 2.18: the IKE SA rekeyed from either end: both derive the same keys,
 * the Child SA moves, the old IKE SA is deleted, message IDs restart */
static void test_rekey_ike(void **state)
{
	struct wire *w = *state;
	establish(w);
	for (int round = 0; round < 2; round++) {
		int who = round == 0 ? EAST : WEST;
		unsigned old_serial = only_sa(w->peer[WEST])->serial;
		assert_true(create_child_sa_rekey_ike(only_sa(w->peer[who])));
		run_in_order(w);
		struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
		assert_int_not_equal(a->serial, old_serial);
		assert_int_equal(a->generation, round + 2);
		assert_memory_equal(a->spi_i, b->spi_i, 8);
		assert_memory_equal(a->spi_r, b->spi_r, 8);
		assert_int_equal(a->keys.sk_d.len, b->keys.sk_d.len);
		assert_memory_equal(a->keys.sk_d.ptr, b->keys.sk_d.ptr, a->keys.sk_d.len);
		assert_memory_equal(a->keys.sk_ei.ptr, b->keys.sk_ei.ptr, a->keys.sk_ei.len);
		/* the rekey's initiator is the new IKE SA's original initiator */
		assert_true(who == WEST ? a->initiator && !b->initiator : !a->initiator && b->initiator);
		assert_int_equal(a->next_msgid_out, 0);
		assert_int_equal(check_children(w), 1);
		/* and the new IKE SA works: a Child SA rekey over it */
		rekey_child_from(w, who);
	}
	finish(w);
}

/* updown.c: the verbs each peer's updown script gets, through the test's hook.
 * The tunnel (one pair of selectors with one peer) is up once and down once:
 * Child SA rekeys from either end and an IKE SA rekey run nothing. */
struct updown_seen {
	char verbs[512];
	char cmd[64], peer_id[64], key[128];
	bool same_key;
};
static struct updown_seen seen[2];

static void updown_record(void *ctx, const struct updown_request *r)
{
	struct updown_seen *u = ctx;
	size_t l = strlen(u->verbs);
	snprintf(u->verbs + l, sizeof(u->verbs) - l, "%s ", r->verb);
	if (u->key[0] == '\0')
		snprintf(u->key, sizeof(u->key), "%s", r->key);
	u->same_key &= strcmp(u->key, r->key) == 0;
	snprintf(u->cmd, sizeof(u->cmd), "%s", r->cmd);
	for (size_t i = 0; i < r->nenv; i++)
		if (strncmp(r->env[i], "PLUTO_PEER_ID=", 14) == 0)
			snprintf(u->peer_id, sizeof(u->peer_id), "%s", r->env[i] + 14);
}

static void test_updown_events(void **state)
{
	struct wire *w = *state;
	for (int i = 0; i < 2; i++) {
		memset(&seen[i], 0, sizeof(seen[i]));
		seen[i].same_key = true;
		w->peer[i]->updown_hook = updown_record;
		w->peer[i]->updown_ctx = &seen[i];
	}
	establish(w);
	/* host to host (127.0.0.1 on both ends): -host */
	for (int i = 0; i < 2; i++)
		assert_string_equal(seen[i].verbs, "prepare-host route-host up-host ");
	/* the default command, without our script beside the test: through PATH */
	assert_string_equal(seen[WEST].cmd, "ipsec _updown");
	assert_string_equal(seen[WEST].peer_id, "@east");
	assert_string_equal(seen[EAST].peer_id, "@west");
	rekey_child_from(w, WEST);
	rekey_child_from(w, EAST);
	assert_true(create_child_sa_rekey_ike(only_sa(w->peer[EAST])));
	run_in_order(w);
	assert_int_equal(check_children(w), 1);
	for (int i = 0; i < 2; i++)
		assert_string_equal(seen[i].verbs, "prepare-host route-host up-host ");
	finish(w);
	for (int i = 0; i < 2; i++) {
		assert_string_equal(seen[i].verbs, "prepare-host route-host up-host down-host unroute-host ");
		assert_true(seen[i].same_key);
		w->peer[i]->updown_hook = NULL;
		w->peer[i]->updown_ctx = NULL;
	}
	/* every tunnel went with its last Child SA */
	for (int i = 0; i < 2; i++)
		assert_null(connection_find(w->peer[i], "west-east")->tunnels);
}

/* A lost IKE_FOLLOWUP_KE response: west retransmits its request, east answers from
 * its cache, and the rekey completes once */
static void test_followup_lost(void **state)
{
	struct wire *w = *state;
	establish(w);
	struct ike_sa *ike = only_sa(w->peer[WEST]);
	assert_true(create_child_sa_initiate(ike, NULL, ike->children));
	bool dropped = false, retransmitted = false;
	for (unsigned steps = 0; steps < WIRE_STEPS && (w->n > 0 || !retransmitted); steps++) {
		if (w->n == 0) {
			unsigned before = w->sent[WEST];
			fire_next(w);
			retransmitted |= w->sent[WEST] > before;
			continue;
		}
		struct dgram g;
		take(w, 0, &g);
		if (!dropped && g.from == EAST && xchg(&g) == IKE_FOLLOWUP_KE && is_response(&g)) {
			dropped = true;
			while (w->n > 0) {	/* every fragment of it */
				drop(&g);
				take(w, 0, &g);
			}
			drop(&g);
			continue;
		}
		deliver(w, &g);
		drop(&g);
	}
	assert_true(dropped);
	assert_true(retransmitted);
	assert_int_equal(check_children(w), 1);
	assert_int_equal(only_sa(w->peer[EAST])->children->generation, 2);
	assert_null(only_sa(w->peer[EAST])->children->next);
	finish(w);
}

/* RFC 7296 2.8.1: both ends rekey the same Child SA at once; each answers the
 * other's request as usual, and in the end one Child SA survives on both ends (the
 * same one), the duplicate with the lowest nonce closed by its creator */
static void test_collision_child(void **state)
{
	struct wire *w = *state;
	establish(w);
	for (int round = 0; round < 3; round++) {
		struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
		unsigned gen = a->children->generation;
		assert_true(create_child_sa_initiate(a, NULL, a->children));
		assert_true(create_child_sa_initiate(b, NULL, b->children));
		run_in_order(w);
		for (int i = 0; i < 2; i++) {
			struct ike_sa *s = only_sa(w->peer[i]);
			assert_non_null(s->children);
			assert_null(s->children->next);
			assert_int_equal(s->children->state, CHILD_ESTABLISHED);
			assert_int_equal(s->children->generation, gen + 1);
		}
		assert_int_equal(check_children(w), 1);
	}
	finish(w);
}

/* RFC 7296 2.8.2: both ends rekey the IKE SA at once: one new IKE SA survives on
 * both ends with the Child SA on it; the other and the old one are deleted */
static void test_collision_ike(void **state)
{
	struct wire *w = *state;
	establish(w);
	for (int round = 0; round < 2; round++) {
		assert_true(create_child_sa_rekey_ike(only_sa(w->peer[WEST])));
		assert_true(create_child_sa_rekey_ike(only_sa(w->peer[EAST])));
		run_in_order(w);
		struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
		assert_memory_equal(a->spi_i, b->spi_i, 8);
		assert_memory_equal(a->spi_r, b->spi_r, 8);
		assert_memory_equal(a->keys.sk_d.ptr, b->keys.sk_d.ptr, a->keys.sk_d.len);
		assert_int_equal(check_children(w), 1);
		rekey_child_from(w, round == 0 ? WEST : EAST);
	}
	finish(w);
}

/* RFC 7296 2.25.2: a Child SA rekey while the IKE SA is being rekeyed gets
 * TEMPORARY_FAILURE; the Child SA stays and is rekeyed afterwards */
static void test_temporary_failure(void **state)
{
	struct wire *w = *state;
	establish(w);
	struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
	assert_true(create_child_sa_rekey_ike(a));
	assert_true(create_child_sa_initiate(b, NULL, b->children));
	run_in_order(w);
	/* east's rekey was refused, west said why */
	char path[128];
	log_flush(w->peer[EAST]);
	fflush(w->peer[EAST]->log);
	snprintf(path, sizeof(path), "%s/east.log", w->dir);
	char *log = testutil_slurp(path);
	assert_non_null(strstr(log, "CREATE_CHILD_SA (Child SA rekey) failed: TEMPORARY_FAILURE"));
	free(log);
	assert_int_equal(check_children(w), 1);
	assert_int_equal(only_sa(w->peer[EAST])->children->generation, 1);
	rekey_child_from(w, EAST);
	finish(w);
}

/* West uses connection west_name, east east_name, instead of west-east for one
 * test (a responder picks the newest loaded connection) */
static void use_conns(struct wire *w, const char *west_name, const char *east_name)
{
	assert_true(connections_load(w->peer[WEST], west_name, NULL));
	assert_true(connections_load(w->peer[EAST], east_name, NULL));
}

static void use_conn(struct wire *w, const char *name)
{
	use_conns(w, name, name);
}

static void drop_conns(struct wire *w, const char *west_name, const char *east_name)
{
	for (int i = 0; i < 2; i++) {
		assert_true(connections_delete(w->peer[i], i == WEST ? west_name : east_name));
		ike_sa_free_all(w->peer[i]);
	}
	run_in_order(w);	/* the Deletes */
	for (int i = 0; i < 2; i++)
		ike_sa_free_all(w->peer[i]);
	assert_null(w->peer[WEST]->sas);
	assert_null(w->peer[EAST]->sas);
}

static void drop_conn(struct wire *w, const char *name)
{
	drop_conns(w, name, name);
}

/* RFC 9370 2.2.4 with three additional key exchanges: IKE_INTERMEDIATE x3 at the
 * start, then each rekey (Child SA from both ends, IKE SA) runs three IKE_FOLLOWUP_KE
 * exchanges, ML-KEM-768, ML-KEM-1024 and ECP-384, in ADDKE order */
static void test_followup_three(void **state)
{
	struct wire *w = *state;
	use_conn(w, "three");
	assert_non_null(ikev2_initiate(w->peer[WEST], connection_find(w->peer[WEST], "three"), NULL));
	run_in_order(w);
	for (int i = 0; i < 2; i++) {
		struct ike_sa *s = only_sa(w->peer[i]);
		assert_int_equal(s->state, IKE_ESTABLISHED);
		assert_int_equal(s->n_addke, 3);
		assert_int_equal(s->int_rounds, 3);
	}
	assert_int_equal(check_children(w), 1);
	rekey_child_from(w, WEST);
	rekey_child_from(w, EAST);
	assert_true(create_child_sa_rekey_ike(only_sa(w->peer[EAST])));
	run_in_order(w);
	struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
	assert_int_equal(a->generation, 2);
	assert_int_equal(a->n_addke, 3);
	assert_memory_equal(a->keys.sk_d.ptr, b->keys.sk_d.ptr, a->keys.sk_d.len);
	rekey_child_from(w, WEST);
	/* the Child SA's proposal carried all three, so each rekey ran three rounds */
	uint16_t m[7];
	assert_int_equal(proposal_addkes(&a->children->proposal, m), 3);
	assert_int_equal(m[0], IKE_KE_MLKEM768);
	assert_int_equal(m[1], IKE_KE_MLKEM1024);
	assert_int_equal(m[2], IKE_KE_ECP384);
	drop_conn(w, "three");
}

/* RFC 7296 2.4 on the virtual clock (dpddelay=1s, dpdtimeout=3s, west only): heard
 * within dpddelay: nothing; quiet for dpddelay: an empty INFORMATIONAL, answered;
 * east silent from then on: a check each dpddelay, and when nothing was heard for
 * dpdtimeout the peer is dead, the IKE SA goes and dpdaction=restart revives the
 * connection 5 s later, whose new IKE SA replaces east's stale one (INITIAL_CONTACT). */
static void test_dpd_revival(void **state)
{
	struct wire *w = *state;
	use_conns(w, "dpd", "dpd-peer");
	struct connection *c = connection_find(w->peer[WEST], "dpd");
	assert_non_null(ikev2_initiate(w->peer[WEST], c, NULL));
	run_in_order(w);
	uint64_t t0 = now(w);
	struct ike_sa *ike = only_sa(w->peer[WEST]);
	assert_int_equal(ike->state, IKE_ESTABLISHED);
	assert_true(timer_is_pending(&ike->dpd_timer));
	assert_int_equal(timer_due_ms(&ike->dpd_timer), t0 + 1000);
	unsigned old_serial = ike->serial, sent = w->sent[WEST];
	mark_logs(w);
	/* heard within dpddelay: nothing sent */
	run_until(w, t0 + 999, true);
	assert_int_equal(w->sent[WEST], sent);
	/* quiet for 1 s: one liveness check, answered */
	run_until(w, t0 + 1000, false);
	assert_int_equal(w->sent[WEST], sent + 1);
	assert_int_equal(w->n, 1);
	assert_int_equal(xchg(&w->q[0]), INFORMATIONAL);
	assert_false(is_response(&w->q[0]));
	assert_true(logged(w, WEST, "liveness: nothing heard for 1 s; sending an empty INFORMATIONAL"));
	run_in_order(w);
	assert_false(ike->req_pending);
	assert_int_equal(ike->last_heard_ms, t0 + 1000);
	/* east falls silent: at 2 s a check (retransmitted, unanswered), at 3 s none
	 * (one is outstanding), at 4 s nothing heard for 3 s: dead */
	run_until(w, t0 + 2000, false);
	assert_int_equal(w->sent[WEST], sent + 2);
	run_until(w, t0 + 3999, false);
	assert_ptr_equal(only_sa(w->peer[WEST]), ike);
	assert_true(w->sent[WEST] > sent + 2);	/* the check was retransmitted */
	for (unsigned i = 0; i < w->n; i++)
		assert_true(w->q[i].from == WEST && xchg(&w->q[i]) == INFORMATIONAL);
	run_until(w, t0 + 4000, false);
	assert_null(w->peer[WEST]->sas);
	assert_true(logged(w, WEST, "liveness: nothing from the peer for 3 s (dpdtimeout); the peer is dead"));
	assert_int_equal(c->revive_at_ms, t0 + 4000 + 5000);
	assert_true(timer_is_pending(&c->revive_timer));
	drop_all(w);
	/* the revival, on time, with east answering again */
	run_until(w, t0 + 8999, true);
	assert_null(w->peer[WEST]->sas);
	run_until(w, t0 + 9000, true);
	struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
	assert_int_not_equal(a->serial, old_serial);
	assert_int_equal(a->state, IKE_ESTABLISHED);
	assert_true(a->sent_initial_contact);
	assert_memory_equal(a->spi_i, b->spi_i, 8);
	assert_int_equal(c->revive_at_ms, 0);
	assert_int_equal(check_children(w), 1);
	drop_conns(w, "dpd", "dpd-peer");
}

/* --- failure paths ------------------------------------------------------------------------ */

/* RFC 7296 2.1, 2.4: nothing ever comes back.  West retransmits its IKE_SA_INIT
 * request after 50 ms, doubling (retransmit-interval=50), and gives up at
 * retransmit-timeout=5s: the last wait is cut to the deadline, and the IKE SA goes. */
static void test_retransmit_exhausted(void **state)
{
	struct wire *w = *state;
	mark_logs(w);
	uint64_t t0 = now(w);
	initiate(w);
	struct ike_sa *ike = only_sa(w->peer[WEST]);
	run_until(w, t0 + 4999, false);
	static const uint64_t when[] = { 0, 50, 150, 350, 750, 1550, 3150 };
	assert_int_equal(w->n, sizeof(when) / sizeof(when[0]));
	for (unsigned i = 0; i < w->n; i++) {
		assert_int_equal(w->q[i].from, WEST);
		assert_int_equal(w->q[i].at - t0, when[i]);
		assert_int_equal(w->q[i].d.len, w->q[0].d.len);	/* the same request each time */
		assert_memory_equal(w->q[i].d.ptr, w->q[0].d.ptr, w->q[0].d.len);
	}
	assert_ptr_equal(only_sa(w->peer[WEST]), ike);
	assert_int_equal(ike->state, IKE_I_INIT_SENT);
	assert_int_equal(timer_due_ms(&ike->retrans_timer), t0 + 5000);
	run_until(w, t0 + 5000, false);
	assert_null(w->peer[WEST]->sas);
	assert_int_equal(w->n, sizeof(when) / sizeof(when[0]));	/* nothing more sent */
	assert_true(logged(w, WEST, "IKE_SA_INIT request (message ID 0) timed out after 6 retransmissions"));
	assert_true(logged(w, WEST, "deleting IKE SA (peer not responding)"));
	assert_null(w->peer[EAST]->sas);
	drop_all(w);
	/* and no timer of it is left to fire */
	unsigned sent = w->sent[WEST];
	run_for(w, 60000, true);
	assert_int_equal(w->sent[WEST], sent);
	assert_null(w->peer[WEST]->sas);
}

/* East's PSK for the pair differs from west's (its secrets file is swapped for
 * the test) */
static void east_psk(struct wire *w, const char *file, const char *psk)
{
	struct pluto *e = w->peer[EAST];
	if (psk != NULL) {
		char line[128];
		snprintf(line, sizeof(line), "@west @east : PSK \"%s\"\n", psk);
		testutil_write_file(w->dir, file, line);
	}
	snprintf(e->secretsfile, sizeof(e->secretsfile), "%s/%s", w->dir, file);
	assert_true(secrets_load(e));
}

/* Runs a negotiation with a wrong PSK up to east's answer to IKE_AUTH, which stays
 * on the wire: returns a copy of west's IKE_AUTH request (every datagram) in req */
static unsigned auth_fails(struct wire *w, struct dgram *req)
{
	east_psk(w, "east-wrong.secrets", "not-the-two-peer-test-psk");
	initiate(w);
	deliver_until(w, WEST, IKE_AUTH, false);
	unsigned nreq = w->n;
	for (unsigned i = 0; i < nreq; i++)
		req[i] = (struct dgram){ .from = WEST, .at = w->q[i].at,
					 .d = chunk_dup(w->q[i].d.ptr, w->q[i].d.len) };
	deliver_until(w, EAST, IKE_AUTH, true);
	east_psk(w, "ipsec.secrets", NULL);
	return nreq;
}

/* RFC 7296 2.21.2: east cannot verify west's AUTH and answers IKE_AUTH with an
 * encrypted AUTHENTICATION_FAILED (and nothing else); west gives up on it, sends
 * nothing more and deletes its IKE SA; east's goes once it stopped lingering; no
 * Child SA was installed anywhere. */
static void test_wrong_psk(void **state)
{
	struct wire *w = *state;
	mark_logs(w);
	unsigned installs = ninstalled;
	struct dgram req[WIRE_MAX];
	unsigned nreq = auth_fails(w, req);
	for (unsigned i = 0; i < nreq; i++)
		drop(&req[i]);
	assert_true(logged(w, EAST, "IKE_AUTH request: authentication failed; responding AUTHENTICATION_FAILED"));
	/* the answer as west reads it */
	assert_int_equal(w->n, 1);
	static struct opened o;
	open_dgram(w, &w->q[0], &o);
	assert_true(o.decrypted);
	assert_int_equal(o.inner.n, 1);
	(void)notify_in(&o.inner, IKE_N_AUTHENTICATION_FAILED);
	assert_null(codec_find(&o.inner, IKE_PL_AUTH));
	assert_int_equal(only_sa(w->peer[EAST])->state, IKE_R_FAILED);
	unsigned west_sent = w->sent[WEST];
	run_in_order(w);
	assert_true(logged(w, WEST, "IKE_AUTH response: peer sent AUTHENTICATION_FAILED"));
	assert_null(w->peer[WEST]->sas);
	assert_int_equal(w->sent[WEST], west_sent);
	assert_int_equal(ninstalled, installs);
	run_for(w, PLUTO_FAILED_LINGER_S * 1000, true);
	assert_null(w->peer[EAST]->sas);
	assert_int_equal(w->peer[EAST]->nhalf_open, 0);
	assert_int_equal(ninstalled, installs);
}

/* RFC 7296 2.1: the failed responder keeps its IKE SA PLUTO_FAILED_LINGER_S (10 s),
 * answering a retransmitted IKE_AUTH request with the same encrypted error, octet
 * for octet; then it goes, and the same retransmission finds nothing to answer it
 * (at most an unprotected INVALID_IKE_SPI) */
static void test_failed_responder_lingers(void **state)
{
	struct wire *w = *state;
	struct dgram req[WIRE_MAX];
	uint64_t t0 = now(w);
	unsigned nreq = auth_fails(w, req);
	assert_int_equal(w->n, 1);
	struct dgram err;
	take(w, 0, &err);	/* lost: west will retransmit */
	struct ike_sa *e = only_sa(w->peer[EAST]);
	assert_int_equal(e->state, IKE_R_FAILED);
	assert_true(timer_is_pending(&e->expire_timer));
	assert_int_equal(timer_due_ms(&e->expire_timer), now(w) + PLUTO_FAILED_LINGER_S * 1000);
	uint64_t failed_at = now(w);
	assert_int_equal(failed_at, t0);	/* virtual time stood still so far */
	/* a retransmission 9.999 s later: the same answer */
	run_until(w, failed_at + PLUTO_FAILED_LINGER_S * 1000 - 1, false);
	drop_all(w);	/* west's own retransmissions, lost */
	for (unsigned i = 0; i < nreq; i++)
		deliver(w, &req[i]);
	assert_int_equal(w->n, 1);
	assert_int_equal(w->q[0].from, EAST);
	assert_int_equal(w->q[0].d.len, err.d.len);
	assert_memory_equal(w->q[0].d.ptr, err.d.ptr, err.d.len);
	assert_ptr_equal(only_sa(w->peer[EAST]), e);
	drop_all(w);
	/* at 10 s it is gone */
	run_until(w, failed_at + PLUTO_FAILED_LINGER_S * 1000, false);
	assert_null(w->peer[EAST]->sas);
	assert_int_equal(w->peer[EAST]->nhalf_open, 0);
	drop_all(w);
	unsigned east_sent = w->sent[EAST];
	for (unsigned i = 0; i < nreq; i++)
		deliver(w, &req[i]);
	for (unsigned i = 0; i < w->n; i++) {
		assert_true(w->q[i].d.len != err.d.len || memcmp(w->q[i].d.ptr, err.d.ptr, err.d.len) != 0);
		static struct opened o;
		open_dgram(w, &w->q[i], &o);
		assert_int_equal(o.h.exchange, INFORMATIONAL);
		(void)notify_in(&o.outer, IKE_N_INVALID_IKE_SPI);
	}
	assert_true(w->sent[EAST] - east_sent <= 1);
	for (unsigned i = 0; i < nreq; i++)
		drop(&req[i]);
	drop(&err);
	drop_all(w);
	/* west's SA times out in its own time, as in test_retransmit_exhausted */
	run_for(w, 5000, false);
	assert_null(w->peer[WEST]->sas);
	drop_all(w);
}

/* RFC 7296 1.2, 2.7: west's first KE is Curve25519, east takes only ECP-256 and
 * answers INVALID_KE_PAYLOAD naming it, keeping no state; west starts again with an
 * ECP-256 KE, same SPIi, and the IKE SA comes up with it. */
static void test_invalid_ke(void **state)
{
	struct wire *w = *state;
	use_conns(w, "ke-i", "ke-r");
	mark_logs(w);
	assert_non_null(ikev2_initiate(w->peer[WEST], connection_find(w->peer[WEST], "ke-i"), NULL));
	static struct opened o;
	assert_int_equal(w->n, 1);
	open_dgram(w, &w->q[0], &o);
	assert_int_equal(ke_method_of(&o), IKE_KE_CURVE25519);
	uint8_t spi_i[8];
	memcpy(spi_i, o.h.spi_i, 8);
	struct dgram g;
	take(w, 0, &g);
	deliver(w, &g);
	drop(&g);
	/* east's answer: the notify alone, unprotected, no SA kept */
	assert_null(w->peer[EAST]->sas);
	assert_int_equal(w->n, 1);
	assert_int_equal(w->q[0].from, EAST);
	open_dgram(w, &w->q[0], &o);
	assert_int_equal(o.h.exchange, IKE_SA_INIT);
	assert_true(o.h.flags & IKE_FLAG_RESPONSE);
	assert_int_equal(o.outer.n, 1);
	struct ike_notify_pl n = notify_in(&o.outer, IKE_N_INVALID_KE_PAYLOAD);
	assert_int_equal(n.len, 2);
	assert_int_equal(be_get16(n.data), IKE_KE_ECP256);
	take(w, 0, &g);
	deliver(w, &g);
	drop(&g);
	/* west's second try */
	assert_true(logged(w, WEST, "IKE_SA_INIT response: INVALID_KE_PAYLOAD; retrying with"));
	assert_int_equal(w->n, 1);
	open_dgram(w, &w->q[0], &o);
	assert_int_equal(o.h.exchange, IKE_SA_INIT);
	assert_false(o.h.flags & IKE_FLAG_RESPONSE);
	assert_int_equal(ke_method_of(&o), IKE_KE_ECP256);
	assert_memory_equal(o.h.spi_i, spi_i, 8);
	run_in_order(w);
	struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
	assert_int_equal(a->state, IKE_ESTABLISHED);
	assert_int_equal(b->state, IKE_ESTABLISHED);
	assert_int_equal(a->ke_method, IKE_KE_ECP256);
	assert_int_equal(b->ke_method, IKE_KE_ECP256);
	assert_int_equal(a->init_retries, 1);
	assert_memory_equal(a->spi_i, spi_i, 8);
	assert_int_equal(check_children(w), 1);
	drop_conns(w, "ke-i", "ke-r");
}

/* RFC 7296 2.6: CONF_DDOS_IKE_THRESHOLD_DEFAULT half-open IKE SAs at east (a flood of
 * IKE_SA_INIT requests, each with its own SPIi, never continued) put it under
 * cookie pressure: west's request gets COOKIE and nothing is kept; west sends it
 * again with the cookie first and gets its IKE SA.  The flood's half-open SAs expire
 * PLUTO_HALF_OPEN_TIMEOUT_S later, and with them the pressure. */
static void test_cookie(void **state)
{
	struct wire *w = *state;
	struct pluto *e = w->peer[EAST];
	mark_logs(w);
	initiate(w);
	struct dgram req;
	assert_int_equal(w->n, 1);
	take(w, 0, &req);
	/* the flood: west's own request with other SPIs; east's answers are lost */
	uint64_t flood_at = now(w);
	for (unsigned i = 0; i < CONF_DDOS_IKE_THRESHOLD_DEFAULT; i++) {
		struct dgram f = { .from = WEST, .d = chunk_dup(req.d.ptr, req.d.len) };
		f.d.ptr[0] ^= 0x80;
		be_put32(f.d.ptr + 4, i);
		deliver(w, &f);
		drop(&f);
		assert_int_equal(w->n, 1);
		assert_true(xchg(&w->q[0]) == IKE_SA_INIT && is_response(&w->q[0]));
		drop_all(w);
	}
	assert_int_equal(e->nhalf_open, CONF_DDOS_IKE_THRESHOLD_DEFAULT);
	assert_int_equal(e->nsas, CONF_DDOS_IKE_THRESHOLD_DEFAULT);
	/* west's request: a COOKIE, no state */
	deliver(w, &req);
	drop(&req);
	assert_int_equal(e->nsas, CONF_DDOS_IKE_THRESHOLD_DEFAULT);
	assert_int_equal(w->n, 1);
	static struct opened o;
	open_dgram(w, &w->q[0], &o);
	assert_int_equal(o.h.exchange, IKE_SA_INIT);
	assert_true(o.h.flags & IKE_FLAG_RESPONSE);
	assert_int_equal(o.outer.n, 1);
	struct ike_notify_pl n = notify_in(&o.outer, IKE_N_COOKIE);
	uint8_t cookie[64];
	size_t cookie_len = n.len;
	assert_true(cookie_len > 0 && cookie_len <= sizeof(cookie));
	memcpy(cookie, n.data, cookie_len);
	uint8_t spi_i[8];
	memcpy(spi_i, only_sa(w->peer[WEST])->spi_i, 8);
	struct dgram g;
	take(w, 0, &g);
	deliver(w, &g);
	drop(&g);
	assert_true(logged(w, WEST, "IKE_SA_INIT response: COOKIE; retrying"));
	/* the request again, the cookie first */
	assert_int_equal(w->n, 1);
	open_dgram(w, &w->q[0], &o);
	assert_false(o.h.flags & IKE_FLAG_RESPONSE);
	assert_memory_equal(o.h.spi_i, spi_i, 8);
	assert_true(o.outer.n > 1);
	assert_int_equal(o.outer.pl[0].type, IKE_PL_NOTIFY);
	n = notify_in(&o.outer, IKE_N_COOKIE);
	assert_int_equal(n.len, cookie_len);
	assert_memory_equal(n.data, cookie, cookie_len);
	run_in_order(w);
	struct ike_sa *a = only_sa(w->peer[WEST]);
	assert_int_equal(a->state, IKE_ESTABLISHED);
	struct ike_sa *b = ike_sa_find(e, a->spi_i, a->spi_r);
	assert_non_null(b);
	assert_int_equal(b->state, IKE_ESTABLISHED);
	assert_int_equal(e->nhalf_open, CONF_DDOS_IKE_THRESHOLD_DEFAULT);
	/* the flood's SAs expire on time, all of them */
	run_until(w, flood_at + PLUTO_HALF_OPEN_TIMEOUT_S * 1000 - 1, true);
	assert_int_equal(e->nhalf_open, CONF_DDOS_IKE_THRESHOLD_DEFAULT);
	run_until(w, flood_at + PLUTO_HALF_OPEN_TIMEOUT_S * 1000, true);
	assert_int_equal(e->nhalf_open, 0);
	assert_true(logged(w, EAST, "not authenticated in time (half-open IKE SA timed out)"));
	assert_ptr_equal(only_sa(e), b);
	finish(w);
}

/* RFC 7296 2.8: rekeys by lifetime, from the virtual clock alone (conn life: Child
 * SAs 60 s, IKE SA 150 s, rekeymargin 20 s, no fuzz).  West, the initiator of both,
 * rekeys the Child SA at 40 s and every 40 s after, and the IKE SA at 130 s; east's
 * later rekey times never come. */
static void test_rekey_by_lifetime(void **state)
{
	struct wire *w = *state;
	use_conn(w, "life");
	assert_non_null(ikev2_initiate(w->peer[WEST], connection_find(w->peer[WEST], "life"), NULL));
	run_in_order(w);
	uint64_t t0 = now(w);
	struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
	assert_int_equal(a->state, IKE_ESTABLISHED);
	assert_int_equal(a->rekey_s, 130);
	assert_int_equal(b->rekey_s, 140);
	assert_int_equal(a->children->rekey_s, 40);
	assert_int_equal(b->children->rekey_s, 50);
	unsigned old_serial = a->serial;
	uint8_t spi[4];
	memcpy(spi, a->children->spi_local, 4);
	run_until(w, t0 + 39999, true);
	assert_int_equal(a->children->generation, 1);
	assert_non_null(installed_sa(w->peer[WEST], spi));
	run_until(w, t0 + 40000, true);
	assert_true(logged(w, WEST, "rekeying (lifetime 60 s)"));
	assert_int_equal(check_children(w), 1);
	assert_int_equal(a->children->generation, 2);
	assert_null(a->children->next);
	assert_true(a->children->initiator);
	assert_null(installed_sa(w->peer[WEST], spi));
	assert_int_equal(a->children->installed_ms, t0 + 40000);
	/* 80 s, 120 s: the next two; the IKE SA still the first */
	run_until(w, t0 + 129999, true);
	assert_ptr_equal(only_sa(w->peer[WEST]), a);
	assert_int_equal(a->generation, 1);
	assert_int_equal(a->children->generation, 4);
	assert_int_equal(check_children(w), 1);
	/* 130 s: the IKE SA */
	run_until(w, t0 + 130000, true);
	assert_true(logged(w, WEST, "IKE SA lifetime: rekeying (ikelifetime 150 s)"));
	a = only_sa(w->peer[WEST]);
	b = only_sa(w->peer[EAST]);
	assert_int_not_equal(a->serial, old_serial);
	assert_int_equal(a->generation, 2);
	assert_int_equal(b->generation, 2);
	assert_memory_equal(a->spi_i, b->spi_i, 8);
	assert_memory_equal(a->keys.sk_d.ptr, b->keys.sk_d.ptr, a->keys.sk_d.len);
	assert_int_equal(a->established_ms, t0 + 130000);
	assert_int_equal(check_children(w), 1);
	assert_int_equal(a->children->generation, 4);
	drop_conn(w, "life");
}

/* --- RFC 8784 postquantum preshared keys ------------------------------------------------ */

static void set_secrets(struct pluto *p, const char *text)
{
	conf_secrets_free(&p->secrets);
	assert_true(conf_secrets_load_string("test.secrets", text, &p->secrets, NULL, NULL));
}

static void assert_ppk(struct ike_sa *ike, bool used)
{
	assert_int_equal(ike->state, IKE_ESTABLISHED);
	assert_true(ike->ppk_negotiated);
	assert_int_equal(ike->ppk_used, used);
	if (used) {
		assert_int_equal(ike->ppk_id.len, 8);
		assert_memory_equal(ike->ppk_id.ptr, "PPK_ID_1", 8);
	}
	assert_null(ike->ppk_unmixed.sk_d.ptr);	/* the keys before the mixing are gone */
	assert_null(ike->ppk_unmixed.sk_pr.ptr);
}

/* Both ends have PPK_ID_1: the IKE SA and its Child SA agree on keys made from SK_d',
 * and so does the IKE SA that a rekey derives from SK_d' */
static void test_ppk_used(void **state)
{
	struct wire *w = *state;
	use_conn(w, "ppk");
	mark_logs(w);
	assert_non_null(ikev2_initiate(w->peer[WEST], connection_find(w->peer[WEST], "ppk"), NULL));
	run_in_order(w);
	struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
	assert_ppk(a, true);
	assert_ppk(b, true);
	assert_int_equal(a->int_rounds, 1);
	assert_memory_equal(a->keys.sk_d.ptr, b->keys.sk_d.ptr, a->keys.sk_d.len);
	assert_int_equal(check_children(w), 1);
	assert_true(logged(w, EAST, "IKE_AUTH: PPK_ID \"PPK_ID_1\" mixed into SK_d, SK_pi and SK_pr (RFC 8784)"));
	assert_true(logged(w, WEST, "(IKE_INTERMEDIATE authenticated); PPK_ID \"PPK_ID_1\" used"));
	assert_true(create_child_sa_rekey_ike(a));
	run_in_order(w);
	a = only_sa(w->peer[WEST]);
	b = only_sa(w->peer[EAST]);
	assert_int_equal(a->generation, 2);
	assert_true(a->ppk_used && b->ppk_used);
	assert_memory_equal(a->keys.sk_d.ptr, b->keys.sk_d.ptr, a->keys.sk_d.len);
	rekey_child_from(w, EAST);
	drop_conn(w, "ppk");
}

/* east has no PPK_ID_1: it checks west's NO_PPK_AUTH, answers without PPK_IDENTITY,
 * and both go on with the unmixed keys: the Child SA keys still agree */
static void test_ppk_fallback(void **state)
{
	struct wire *w = *state;
	use_conn(w, "ppk");
	set_secrets(w->peer[EAST], "@west @east : PSK \"two-peer-test-psk-0123456789\"\n"
		    "@west @east : PPKS \"OTHER\" \"two-peer-test-other-ppk\"\n");
	mark_logs(w);
	assert_non_null(ikev2_initiate(w->peer[WEST], connection_find(w->peer[WEST], "ppk"), NULL));
	run_in_order(w);
	struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
	assert_ppk(a, false);
	assert_ppk(b, false);
	assert_memory_equal(a->keys.sk_d.ptr, b->keys.sk_d.ptr, a->keys.sk_d.len);
	assert_memory_equal(a->keys.sk_pr.ptr, b->keys.sk_pr.ptr, a->keys.sk_pr.len);
	assert_int_equal(check_children(w), 1);
	assert_true(logged(w, EAST, "no PPK for PPK_ID \"PPK_ID_1\"; authenticating the peer with NO_PPK_AUTH"));
	assert_true(logged(w, WEST, "the responder did not use PPK_ID \"PPK_ID_1\"; going on without a PPK"));
	set_secrets(w->peer[EAST], SECRETS);
	drop_conn(w, "ppk");
}

/* east's PPK_ID_1 is another PPK: AUTH does not verify and there is no falling back */
static void test_ppk_mismatch(void **state)
{
	struct wire *w = *state;
	use_conn(w, "ppk");
	set_secrets(w->peer[EAST], "@west @east : PSK \"two-peer-test-psk-0123456789\"\n"
		    "@west @east : PPKS \"PPK_ID_1\" \"not-the-ppk-west-has\"\n");
	mark_logs(w);
	unsigned installs = ninstalled;
	assert_non_null(ikev2_initiate(w->peer[WEST], connection_find(w->peer[WEST], "ppk"), NULL));
	run_in_order(w);
	assert_true(logged(w, EAST, "(or the PPK of PPK_ID \"PPK_ID_1\" differs)"));
	assert_true(logged(w, WEST, "IKE_AUTH response: peer sent AUTHENTICATION_FAILED"));
	assert_null(w->peer[WEST]->sas);
	assert_int_equal(only_sa(w->peer[EAST])->state, IKE_R_FAILED);
	run_for(w, PLUTO_FAILED_LINGER_S * 1000, true);
	assert_null(w->peer[EAST]->sas);
	assert_int_equal(ninstalled, installs);
	set_secrets(w->peer[EAST], SECRETS);
	drop_conn(w, "ppk");
}

/* nhelpers=1 on both ends: the key exchanges of IKE_SA_INIT and the ML-KEM round run
 * in helper threads (TR_SUSPEND, then the driver resumes); a datagram for an SA that
 * waits is dropped; an SA deleted while its job runs has the result dropped */
static void test_helpers(void **state)
{
	struct wire *w = *state;
	for (int i = 0; i < 2; i++)
		assert_true(helpers_start(w->peer[i], 1));
	struct pluto *e = w->peer[EAST];
	initiate(w);
	/* west's key pair is being made: nothing sent yet, the SA waits */
	struct ike_sa *wi = only_sa(w->peer[WEST]);
	assert_non_null(wi->job);
	assert_int_equal(wi->state, IKE_STATE_NONE);
	assert_true(collect_jobs(w));
	assert_int_equal(wi->state, IKE_I_INIT_SENT);
	assert_int_equal(w->n, 1);
	/* east suspends on the request; the same request again is dropped */
	struct dgram req;
	take(w, 0, &req);
	struct dgram again = { .from = req.from, .d = chunk_dup(req.d.ptr, req.d.len) };
	deliver(w, &req);
	struct ike_sa *er = only_sa(e);
	assert_non_null(er->job);
	assert_non_null(er->suspended);
	assert_int_equal(er->state, IKE_STATE_NONE);
	assert_int_equal(w->n, 0);
	deliver(w, &again);
	assert_int_equal(w->n, 0);	/* not answered: still waiting */
	assert_int_equal(helpers_inflight(e), 1);
	assert_true(collect_jobs(w));
	assert_null(er->job);
	assert_null(er->suspended);
	assert_int_equal(er->state, IKE_R_INIT_DONE);
	assert_int_equal(w->n, 1);	/* the IKE_SA_INIT response */
	drop(&req);
	drop(&again);
	run_in_order(w);
	assert_established(w);
	assert_true(helpers_jobs_done(e) >= 2);	/* IKE_SA_INIT and the ML-KEM round */
	finish(w);
	/* east's SA goes while its job runs: the result is dropped when it comes */
	initiate(w);
	collect_jobs(w);
	take(w, 0, &req);
	deliver(w, &req);
	drop(&req);
	er = only_sa(e);
	assert_non_null(er->job);
	ike_sa_delete(er, "test: deleted while its crypto job runs");
	ike_sa_free_all(e);
	assert_null(e->sas);
	assert_true(collect_jobs(w));
	assert_int_equal(w->n, 0);
	assert_int_equal(helpers_inflight(e), 0);
	ike_sa_delete(only_sa(w->peer[WEST]), NULL);
	ike_sa_free_all(w->peer[WEST]);
	for (int i = 0; i < 2; i++)
		helpers_stop(w->peer[i]);	/* the other tests run inline */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_reversed_and_duplicated),
		cmocka_unit_test(test_duplicate_request),
		cmocka_unit_test(test_lost_fragment),
		cmocka_unit_test(test_rekey_child),
		cmocka_unit_test(test_rekey_ike),
		cmocka_unit_test(test_updown_events),
		cmocka_unit_test(test_followup_lost),
		cmocka_unit_test(test_collision_child),
		cmocka_unit_test(test_collision_ike),
		cmocka_unit_test(test_temporary_failure),
		cmocka_unit_test(test_followup_three),
		cmocka_unit_test(test_dpd_revival),
		cmocka_unit_test(test_retransmit_exhausted),
		cmocka_unit_test(test_wrong_psk),
		cmocka_unit_test(test_failed_responder_lingers),
		cmocka_unit_test(test_invalid_ke),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_rekey_by_lifetime),
		cmocka_unit_test(test_ppk_used),
		cmocka_unit_test(test_ppk_fallback),
		cmocka_unit_test(test_ppk_mismatch),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
