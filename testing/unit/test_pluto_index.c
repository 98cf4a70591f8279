/* test_pluto_index.c -- lib/libbase/siphash.c against the SipHash paper's vector, and
 * programs/pluto/sa_index.c: objects on several indexes at once, growth from the
 * inline buckets to a heap table and beyond, removal from any place in a chain,
 * objects whose keys hash alike, re-putting under a new key, and the IKE SA and
 * Child SA lookups that use them (by SPIi, by peer, by remote address, by ESP SPI). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pluto.h"
#include "child_sa.h"
#include "testutil.h"

/* SipHash-2-4, paper appendix A: key 00..0f, message 00..0e */
static void test_siphash_vector(void **state)
{
	uint8_t key[16], msg[15];
	for (unsigned i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (unsigned i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	assert_true(siphash24(key, msg, sizeof(msg)) == 0xa129ca6149be45e5ULL);
	/* every length up to two words runs, and the key matters */
	uint8_t other[16] = { 1 };
	for (size_t len = 0; len <= 15; len++)
		assert_true(siphash24(key, msg, len) != siphash24(other, msg, len));
}

struct obj {
	unsigned id;
	struct ix_link a, b;
};

static void test_index_grow_and_remove(void **state)
{
	uint8_t key[SIPHASH_KEY_LEN] = { 7 };
	struct ix xa, xb;
	ix_init(&xa, offsetof(struct obj, a), key);
	ix_init(&xb, offsetof(struct obj, b), key);
	enum { N = 20000 };
	struct obj *o = calloc(N, sizeof(*o));
	assert_non_null(o);
	for (unsigned i = 0; i < N; i++) {
		o[i].id = i;
		ix_put(&xa, &o[i], ix_hash(&xa, &i, sizeof(i)));
		unsigned k = i % 7;	/* 7 keys: long chains of equal hashes */
		ix_put(&xb, &o[i], ix_hash(&xb, &k, sizeof(k)));
	}
	assert_int_equal(xa.n, N);
	assert_true(xa.size >= N / IX_LOAD);	/* grew, in powers of two */
	assert_int_equal(xa.size & (xa.size - 1), 0);
	for (unsigned i = 0; i < N; i += 3) {
		struct obj *f = ix_first(&xa, ix_hash(&xa, &i, sizeof(i)));
		while (f != NULL && f->id != i)
			f = ix_next(&xa, f);
		assert_ptr_equal(f, &o[i]);
	}
	/* remove every other object from both; the rest are all still found */
	for (unsigned i = 0; i < N; i += 2) {
		ix_del(&xa, &o[i]);
		ix_del(&xb, &o[i]);
		assert_false(ix_on(&xa, &o[i]));
		ix_del(&xa, &o[i]);	/* twice: no effect */
	}
	assert_int_equal(xa.n, N / 2);
	unsigned k = 3, seen = 0;
	for (struct obj *f = ix_first(&xb, ix_hash(&xb, &k, sizeof(k))); f != NULL; f = ix_next(&xb, f)) {
		assert_int_equal(f->id % 7, 3);
		assert_int_equal(f->id % 2, 1);
		seen++;
	}
	unsigned want = 0;
	for (unsigned i = 1; i < N; i += 2)
		want += i % 7 == 3;
	assert_int_equal(seen, want);
	/* put again under another key: moved, not duplicated */
	unsigned nk = 1000003;
	ix_put(&xa, &o[1], ix_hash(&xa, &nk, sizeof(nk)));
	assert_int_equal(xa.n, N / 2);
	assert_ptr_equal(ix_first(&xa, ix_hash(&xa, &nk, sizeof(nk))), &o[1]);
	ix_free(&xa);
	ix_free(&xb);
	free(o);
}

static struct connection conn = { .name = "c" };

static struct ike_sa *sa_with(struct pluto *p, uint8_t n, const struct ip_addr *remote)
{
	struct ike_sa *ike = ike_sa_new(p, &conn, true);
	assert_non_null(ike);
	ike->spi_i[0] = n;	/* the initiator chose random ones; make them known */
	ike->spi_i[7] = 0x5a;
	ike_sa_rehash(ike);
	ike_sa_set_remote(ike, remote);
	return ike;
}

static void test_ike_sa_lookups(void **state)
{
	struct pluto *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->setup.max_ike_sas = 100000;
	struct ip_addr r1 = { .version = 4, .b = { 192, 0, 2, 1 } }, r2 = { .version = 4, .b = { 192, 0, 2, 2 } };
	struct ike_sa *a = sa_with(p, 1, &r1), *b = sa_with(p, 2, &r2);
	assert_int_equal(conn.nike, 2);
	assert_ptr_equal(ike_sa_find(p, a->spi_i, a->spi_r), a);
	assert_ptr_equal(ike_sa_find(p, b->spi_i, b->spi_r), b);
	/* SPIi changes (an IKE SA rekey): found under the new one only */
	uint8_t old[8];
	memcpy(old, a->spi_i, 8);
	a->spi_i[1] = 0x77;
	ike_sa_rehash(a);
	assert_null(ike_sa_find(p, old, a->spi_r));
	assert_ptr_equal(ike_sa_find(p, a->spi_i, a->spi_r), a);
	/* by remote address: another SA with the peer? */
	assert_false(ike_sa_other_with_peer(a));
	struct ike_sa *c = sa_with(p, 3, &r1);
	assert_true(ike_sa_other_with_peer(a));
	ike_sa_set_remote(c, &r2);	/* it moved (NAT mapping) */
	assert_false(ike_sa_other_with_peer(a));
	assert_true(ike_sa_other_with_peer(b));
	/* many SAs: the SPI table grows and every one is found */
	struct ike_sa *many[3000];
	for (unsigned i = 0; i < 3000; i++) {
		many[i] = ike_sa_new(p, &conn, true);
		assert_non_null(many[i]);
		ike_sa_set_remote(many[i], &r2);
	}
	assert_true(ike_sa_table_buckets(p) >= 3000 / IX_LOAD);
	for (unsigned i = 0; i < 3000; i += 7)
		assert_ptr_equal(ike_sa_find(p, many[i]->spi_i, many[i]->spi_r), many[i]);
	/* deletion takes an SA off every index and its connection's count */
	ike_sa_delete(c, NULL);
	assert_null(ike_sa_find(p, c->spi_i, c->spi_r));
	assert_int_equal(conn.nike, 2 + 3000);
	/* Child SAs by SPI, from any IKE SA */
	struct child_sa *ch = child_sa_new(b, &conn);
	assert_non_null(ch);
	uint8_t peer_spi[4] = { 0xc0, 0xff, 0xee, 0x01 };
	child_sa_set_remote_spi(ch, peer_spi);
	assert_ptr_equal(child_sa_find(p, ch->spi_local), ch);
	assert_ptr_equal(child_sa_find(p, peer_spi), ch);
	ike_sa_delete(b, NULL);
	assert_null(child_sa_find(p, peer_spi));
	p->shutting_down = true;
	ike_sa_free_all(p);
	assert_int_equal(conn.nike, 0);
	ike_sa_table_free(p);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vector),
		cmocka_unit_test(test_index_grow_and_remove),
		cmocka_unit_test(test_ike_sa_lookups),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
