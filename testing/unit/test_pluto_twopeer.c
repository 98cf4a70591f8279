/* test_pluto_twopeer.c -- the in-process two-peer driver (DESIGN.md, Tests): two
 * pluto contexts, west and east, in one process, their datagrams carried through
 * memory by the test instead of UDP (struct pluto's send_hook), so that loss,
 * reordering and duplication are exact and repeatable.  The connection is the
 * post-quantum hybrid: Curve25519 + ML-KEM-768 in IKE_INTERMEDIATE, fragmented at
 * 576 octets (RFC 7383), so every exchange after IKE_SA_INIT has several datagrams.
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
#include "testutil.h"

#define WEST_PORT 15500
#define EAST_PORT 15501
#define WIRE_MAX  256		/* datagrams in flight */
#define WIRE_STEPS 2000		/* bound on deliveries in one test */

enum { WEST, EAST };

struct dgram {
	int from;		/* WEST or EAST */
	struct chunk d;
};

struct wire {
	struct pluto *peer[2];
	char dir[64];
	unsigned n;
	struct dgram q[WIRE_MAX];
	unsigned sent[2];	/* datagrams each side sent */
};

static bool wire_send(void *ctx, struct iface *ifc, const struct ip_addr *to, uint16_t port,
		      const uint8_t *d, size_t len)
{
	struct wire *w = ctx;
	int from = ifc->pluto == w->peer[WEST] ? WEST : EAST;
	assert_true(w->n < WIRE_MAX);
	assert_int_equal(port, from == WEST ? EAST_PORT : WEST_PORT);
	w->q[w->n].from = from;
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

/* Delivers everything in order until nothing is in flight. */
static void run_in_order(struct wire *w)
{
	for (unsigned steps = 0; w->n > 0 && steps < WIRE_STEPS; steps++) {
		struct dgram g;
		take(w, 0, &g);
		deliver(w, &g);
		drop(&g);
	}
	assert_int_equal(w->n, 0);
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
	"\tdpdaction=restart\n";

/* A kernel backend that keeps what it is given, so that the test can check that
 * both ends installed matching SAs (keys and SPIs, each direction). */
#define TEST_MAX_INSTALLED 64
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
	char conf[1024], name[32];
	snprintf(conf, sizeof(conf), conf_fmt, who == WEST ? WEST_PORT : EAST_PORT, me,
		 who == WEST ? EAST_PORT : WEST_PORT, him);
	snprintf(name, sizeof(name), "%s.conf", me);
	testutil_write_file(w->dir, name, conf);
	struct pluto *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->ctl_fd = -1;
	p->base = event_base_new();
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
	testutil_write_file(w->dir, "ipsec.secrets", "@west @east : PSK \"two-peer-test-psk-0123456789\"\n");
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
		while (p->conns != NULL)
			connections_delete(p, p->conns->name);
		conf_secrets_free(&p->secrets);
		p->kernel->shutdown(p);
		iface_close_all(p);
		log_drops_stop(p);
		event_base_free(p->base);
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
		copy[i] = (struct dgram){ w->q[i].from, chunk_dup(w->q[i].d.ptr, w->q[i].d.len) };
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
			event_base_loop(w->peer[WEST]->base, EVLOOP_ONCE);
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
			event_base_loop(w->peer[WEST]->base, EVLOOP_ONCE);
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

/* Both peers use connection name instead of west-east for one test */
static void use_conn(struct wire *w, const char *name)
{
	for (int i = 0; i < 2; i++)
		assert_true(connections_load(w->peer[i], name, NULL));
}

static void drop_conn(struct wire *w, const char *name)
{
	for (int i = 0; i < 2; i++) {
		assert_true(connections_delete(w->peer[i], name));
		ike_sa_free_all(w->peer[i]);
	}
	run_in_order(w);	/* the Deletes */
	for (int i = 0; i < 2; i++)
		ike_sa_free_all(w->peer[i]);
	assert_null(w->peer[WEST]->sas);
	assert_null(w->peer[EAST]->sas);
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

/* RFC 7296 2.4, a settable clock: the liveness timer is fired by hand with the time
 * the peer was last heard moved back.  Heard within dpddelay: nothing; quiet for
 * dpddelay: an empty INFORMATIONAL, answered; quiet for dpdtimeout: the peer is dead,
 * the IKE SA goes and dpdaction=restart revives the connection, whose new IKE SA
 * replaces east's stale one (INITIAL_CONTACT). */
static void test_dpd_revival(void **state)
{
	struct wire *w = *state;
	use_conn(w, "dpd");
	struct connection *c = connection_find(w->peer[WEST], "dpd");
	assert_non_null(ikev2_initiate(w->peer[WEST], c, NULL));
	run_in_order(w);
	struct ike_sa *ike = only_sa(w->peer[WEST]);
	assert_non_null(ike->dpd_ev);
	unsigned old_serial = ike->serial, sent = w->sent[WEST];
	/* quiet for 1.5 s: a liveness check, answered */
	ike->last_heard_ms = pluto_now_ms() - 1500;
	event_active(ike->dpd_ev, EV_TIMEOUT, 0);
	event_base_loop(w->peer[WEST]->base, EVLOOP_NONBLOCK);
	assert_int_equal(w->sent[WEST], sent + 1);
	assert_int_equal(xchg(&w->q[0]), INFORMATIONAL);
	run_in_order(w);
	assert_false(ike->req_pending);
	assert_true(pluto_now_ms() - ike->last_heard_ms < 1000);
	/* quiet for 4 s: dead */
	ike->last_heard_ms = pluto_now_ms() - 4000;
	event_active(ike->dpd_ev, EV_TIMEOUT, 0);
	event_base_loop(w->peer[WEST]->base, EVLOOP_NONBLOCK);
	assert_null(w->peer[WEST]->sas);
	assert_int_equal(w->n, 0);
	assert_true(c->revive_at_ms > 0);
	assert_non_null(c->revive_ev);
	/* the revival timer, fired by hand */
	event_active(c->revive_ev, EV_TIMEOUT, 0);
	event_base_loop(w->peer[WEST]->base, EVLOOP_NONBLOCK);
	run_in_order(w);
	struct ike_sa *a = only_sa(w->peer[WEST]), *b = only_sa(w->peer[EAST]);
	assert_int_not_equal(a->serial, old_serial);
	assert_int_equal(a->state, IKE_ESTABLISHED);
	assert_true(a->sent_initial_contact);
	assert_memory_equal(a->spi_i, b->spi_i, 8);
	assert_int_equal(c->revive_at_ms, 0);
	assert_int_equal(check_children(w), 1);
	drop_conn(w, "dpd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_reversed_and_duplicated),
		cmocka_unit_test(test_duplicate_request),
		cmocka_unit_test(test_lost_fragment),
		cmocka_unit_test(test_rekey_child),
		cmocka_unit_test(test_rekey_ike),
		cmocka_unit_test(test_followup_lost),
		cmocka_unit_test(test_collision_child),
		cmocka_unit_test(test_collision_ike),
		cmocka_unit_test(test_temporary_failure),
		cmocka_unit_test(test_followup_three),
		cmocka_unit_test(test_dpd_revival),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
