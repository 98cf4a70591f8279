/* test_reasm.c -- RFC 7383 2.6 reassembly (lib/libike/reasm.c): order, duplicates,
 * re-fragmentation with a larger or smaller Total Fragments, bad numbering, another
 * message, memory limits per collection and shared, and the record it yields. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ike_codec.h"
#include "reasm.h"

#define BIG ((size_t)1 << 20)

/* Fragment n's IKE header: SKF (53), IKE_INTERMEDIATE request, its own Length, so
 * that the record's header can be told apart (RFC 7383 2.5: every fragment has one). */
static void frag_hdr(uint8_t hdr[IKE_HDR_LEN], uint32_t msgid, bool response, unsigned n,
		     unsigned total)
{
	memset(hdr, 0x11, 16);
	hdr[16] = IKE_PL_SKF;
	hdr[17] = 0x20;
	hdr[18] = IKE_INTERMEDIATE;
	hdr[19] = response ? IKE_FLAG_RESPONSE : IKE_FLAG_INITIATOR;
	be_put32(hdr + 20, msgid);
	be_put32(hdr + 24, 1000 * total + n);
}

/* Fragment n's plaintext: len octets of (n, n, ...) */
static void frag_plain(uint8_t *p, unsigned n, size_t len)
{
	memset(p, (int)n, len);
}

struct fixture {
	struct reasm r;
	size_t shared;
	struct reasm_limits lim;
};

static void fixture_init(struct fixture *f, size_t max_bytes, size_t max_total, size_t shared)
{
	memset(&f->r, 0, sizeof(f->r));
	f->shared = shared;
	f->lim = (struct reasm_limits){ max_bytes, max_total, &f->shared };
}

static enum reasm_result add(struct fixture *f, uint32_t msgid, bool response, uint16_t n,
			     uint16_t total, size_t len)
{
	uint8_t hdr[IKE_HDR_LEN], plain[1024];
	assert_true(len <= sizeof(plain));
	frag_hdr(hdr, msgid, response, n, total);
	frag_plain(plain, n, len);
	/* RFC 7383 2.5: only fragment 1 carries the first inner payload's type */
	return reasm_add(&f->r, &f->lim, hdr, msgid, response, n, total,
			 n == 1 ? IKE_PL_KE : IKE_PL_NONE, plain, len);
}

/* check before decrypting, then add: what the daemon does for each datagram */
static enum reasm_result offer(struct fixture *f, uint32_t msgid, bool response, uint16_t n,
			       uint16_t total, size_t len)
{
	enum reasm_result c = reasm_check(&f->r, msgid, response, n, total);
	enum reasm_result a = add(f, msgid, response, n, total, len);
	if (c != REASM_WANTED)
		assert_int_equal(a, c);	/* add decides as check did */
	else
		assert_true(a == REASM_HELD || a == REASM_COMPLETE || a == REASM_OVER_LIMIT);
	return a;
}

/* Finishes and checks the record: fragment 1's header and Next Payload, the
 * plaintexts in Fragment Number order; the memory is released. */
static void finish_and_check(struct fixture *f, uint32_t msgid, bool response, uint16_t total,
			     const size_t *lens, size_t shared_before)
{
	struct chunk plain;
	struct sk_record rec;
	memset(&rec, 0xee, sizeof(rec));
	reasm_finish(&f->r, &f->lim, &plain, &rec);
	uint8_t hdr1[IKE_HDR_LEN];
	frag_hdr(hdr1, msgid, response, 1, total);
	assert_memory_equal(rec.hdr, hdr1, IKE_HDR_LEN);
	assert_int_equal(rec.inner_np, IKE_PL_KE);
	assert_null(rec.unenc);
	assert_int_equal(rec.unenc_len, 0);
	size_t off = 0;
	for (unsigned n = 1; n <= total; n++) {
		for (size_t i = 0; i < lens[n - 1]; i++)
			if (rec.plain[off + i] != n)
				fail_msg("octet %zu of fragment %u is %u", i, n, rec.plain[off + i]);
		off += lens[n - 1];
	}
	assert_int_equal(rec.plain_len, off);
	assert_int_equal(plain.len, off);
	assert_ptr_equal(rec.plain, plain.ptr);
	/* the collection is gone, and so is its share of the total */
	assert_false(f->r.active);
	assert_int_equal(f->r.bytes, 0);
	assert_int_equal(f->shared, shared_before);
	chunk_free(&plain);
}

static void run_order(const uint16_t *order, size_t n, uint16_t total, const size_t *lens)
{
	struct fixture f;
	fixture_init(&f, BIG, BIG, 1000);	/* 1000: held by other SAs */
	size_t held = 0;
	for (size_t i = 0; i < n; i++) {
		uint16_t num = order[i];
		enum reasm_result want = i + 1 == n ? REASM_COMPLETE : REASM_HELD;
		assert_int_equal(offer(&f, 7, false, num, total, lens[num - 1]), want);
		held += lens[num - 1];
		assert_int_equal(f.r.bytes, held);
		assert_int_equal(f.shared, 1000 + held);
	}
	finish_and_check(&f, 7, false, total, lens, 1000);
}

static void test_orders(void **state)
{
	(void)state;
	static const size_t lens[] = { 500, 500, 249, 3 };
	static const uint16_t in_order[] = { 1, 2, 3, 4 };
	static const uint16_t reversed[] = { 4, 3, 2, 1 };
	static const uint16_t mixed[] = { 2, 4, 1, 3 };
	run_order(in_order, 4, 4, lens);
	run_order(reversed, 4, 4, lens);
	run_order(mixed, 4, 4, lens);
	/* a message of one fragment is complete at once (RFC 7383 2.5 allows 1 of 1) */
	static const uint16_t one[] = { 1 };
	run_order(one, 1, 1, lens);
}

/* RFC 7383 2.6.1: duplicates are dropped, before decryption if possible */
static void test_duplicates(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, BIG, BIG, 0);
	assert_int_equal(offer(&f, 1, true, 2, 3, 10), REASM_HELD);
	assert_int_equal(reasm_check(&f.r, 1, true, 2, 3), REASM_DUPLICATE);
	assert_int_equal(add(&f, 1, true, 2, 3, 10), REASM_DUPLICATE);
	assert_int_equal(add(&f, 1, true, 2, 3, 99), REASM_DUPLICATE);
	assert_int_equal(f.r.bytes, 10);
	assert_int_equal(f.shared, 10);
	assert_int_equal(f.r.have, 1);
	assert_int_equal(offer(&f, 1, true, 1, 3, 20), REASM_HELD);
	assert_int_equal(offer(&f, 1, true, 1, 3, 20), REASM_DUPLICATE);
	assert_int_equal(offer(&f, 1, true, 3, 3, 5), REASM_COMPLETE);
	static const size_t lens[] = { 20, 10, 5 };
	finish_and_check(&f, 1, true, 3, lens, 0);
	/* after finish, the same fragments again start a new collection (a retransmitted
	 * message is the caller's business: the message-ID window) */
	assert_int_equal(reasm_check(&f.r, 1, true, 2, 3), REASM_WANTED);
}

/* An empty fragment is still a fragment: counted once, duplicates detected. */
static void test_empty_fragment(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, BIG, BIG, 0);
	uint8_t hdr[IKE_HDR_LEN];
	frag_hdr(hdr, 3, false, 2, 3);
	assert_int_equal(reasm_add(&f.r, &f.lim, hdr, 3, false, 2, 3, 0, NULL, 0), REASM_HELD);
	assert_int_equal(reasm_check(&f.r, 3, false, 2, 3), REASM_DUPLICATE);
	assert_int_equal(reasm_add(&f.r, &f.lim, hdr, 3, false, 2, 3, 0, NULL, 0), REASM_DUPLICATE);
	assert_int_equal(offer(&f, 3, false, 1, 3, 8), REASM_HELD);
	assert_int_equal(offer(&f, 3, false, 3, 3, 8), REASM_COMPLETE);
	static const size_t lens[] = { 8, 0, 8 };
	finish_and_check(&f, 3, false, 3, lens, 0);
}

/* RFC 7383 2.6.1: a larger Total Fragments means the sender re-fragmented (smaller
 * PMTU): what was collected is dropped; a smaller one is an older attempt: dropped. */
static void test_total_changes(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, BIG, BIG, 50);
	assert_int_equal(offer(&f, 1, false, 1, 2, 300), REASM_HELD);
	assert_int_equal(f.shared, 350);
	/* re-fragmented into 4 */
	assert_int_equal(reasm_check(&f.r, 1, false, 2, 4), REASM_WANTED);
	assert_int_equal(offer(&f, 1, false, 2, 4, 150), REASM_HELD);
	assert_int_equal(f.r.total, 4);
	assert_int_equal(f.r.have, 1);
	assert_int_equal(f.r.bytes, 150);
	assert_int_equal(f.shared, 200);	/* the 300 of the old attempt released */
	/* fragment 1 of the old attempt is stale now, as is fragment 2 of it */
	assert_int_equal(offer(&f, 1, false, 1, 2, 300), REASM_STALE);
	assert_int_equal(offer(&f, 1, false, 2, 2, 300), REASM_STALE);
	assert_int_equal(f.r.bytes, 150);
	assert_int_equal(f.shared, 200);
	/* the old fragment 1's header must not leak into the new record */
	assert_int_equal(offer(&f, 1, false, 4, 4, 150), REASM_HELD);
	assert_int_equal(offer(&f, 1, false, 1, 4, 150), REASM_HELD);
	assert_int_equal(offer(&f, 1, false, 3, 4, 150), REASM_COMPLETE);
	static const size_t lens[] = { 150, 150, 150, 150 };
	finish_and_check(&f, 1, false, 4, lens, 50);
}

/* RFC 7383 2.5: Fragment Number from 1 to Total Fragments; our bound on the total */
static void test_bad_numbers(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, BIG, BIG, 0);
	static const struct { uint16_t n, total; } bad[] = {
		{ 0, 3 }, { 4, 3 }, { 0, 0 }, { 1, 0 }, { 65535, 3 },
		{ 1, REASM_MAX_FRAGMENTS + 1 }, { REASM_MAX_FRAGMENTS + 1, REASM_MAX_FRAGMENTS + 1 },
		{ 1, 65535 },
	};
	for (int held = 0; held < 2; held++) {
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(reasm_check(&f.r, 2, false, bad[i].n, bad[i].total),
					 REASM_BAD_NUMBER);
			assert_int_equal(add(&f, 2, false, bad[i].n, bad[i].total, 10),
					 REASM_BAD_NUMBER);
			/* nothing changed */
			assert_int_equal(f.r.bytes, held ? 10 : 0);
			assert_int_equal(f.shared, held ? 10 : 0);
		}
		if (!held)
			assert_int_equal(offer(&f, 2, false, 1, 3, 10), REASM_HELD);
	}
	assert_int_equal(f.r.total, 3);
	reasm_reset(&f.r, &f.lim);
	assert_int_equal(f.shared, 0);
	/* the bound itself is fine */
	assert_int_equal(offer(&f, 2, false, REASM_MAX_FRAGMENTS, REASM_MAX_FRAGMENTS, 1),
			 REASM_HELD);
	reasm_reset(&f.r, &f.lim);
	assert_int_equal(f.shared, 0);
}

/* RFC 7383 2.6.1 with the window of 1: a fragment of another message (or of the other
 * direction) means the old one will not be completed: start again. */
static void test_other_message(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, BIG, BIG, 0);
	assert_int_equal(offer(&f, 1, false, 1, 3, 40), REASM_HELD);
	assert_int_equal(offer(&f, 1, false, 2, 3, 40), REASM_HELD);
	assert_int_equal(offer(&f, 2, false, 2, 2, 30), REASM_HELD);
	assert_int_equal(f.r.msgid, 2);
	assert_int_equal(f.r.have, 1);
	assert_int_equal(f.r.bytes, 30);
	assert_int_equal(f.shared, 30);
	/* the same message ID in the other direction is another message */
	assert_int_equal(offer(&f, 2, true, 1, 2, 20), REASM_HELD);
	assert_true(f.r.response);
	assert_int_equal(f.r.bytes, 20);
	assert_int_equal(f.shared, 20);
	assert_int_equal(offer(&f, 2, true, 2, 2, 20), REASM_COMPLETE);
	static const size_t lens[] = { 20, 20 };
	finish_and_check(&f, 2, true, 2, lens, 0);
}

/* Memory: a collection over max_bytes, or the shared total over max_total, drops the
 * collection and gives its octets back (principle 4, docs/architecture.md). */
static void test_limits(void **state)
{
	(void)state;
	struct fixture f;
	/* per collection: 100 octets; exactly 100 is fine */
	fixture_init(&f, 100, BIG, 500);
	assert_int_equal(offer(&f, 1, false, 1, 3, 60), REASM_HELD);
	assert_int_equal(offer(&f, 1, false, 2, 3, 40), REASM_HELD);
	assert_int_equal(f.shared, 600);
	assert_int_equal(offer(&f, 1, false, 3, 3, 1), REASM_OVER_LIMIT);
	assert_false(f.r.active);
	assert_int_equal(f.r.bytes, 0);
	assert_int_equal(f.r.have, 0);
	assert_int_equal(f.shared, 500);
	/* nothing of it is left: fragment 1 is wanted again, and a new collection works */
	assert_int_equal(reasm_check(&f.r, 1, false, 1, 3), REASM_WANTED);
	assert_int_equal(offer(&f, 1, false, 1, 2, 50), REASM_HELD);
	assert_int_equal(offer(&f, 1, false, 2, 2, 50), REASM_COMPLETE);
	static const size_t lens[] = { 50, 50 };
	finish_and_check(&f, 1, false, 2, lens, 500);
	/* one fragment bigger than the limit on its own */
	assert_int_equal(offer(&f, 1, false, 1, 2, 101), REASM_OVER_LIMIT);
	assert_int_equal(f.shared, 500);

	/* shared: 500 held elsewhere, at most 600 in all */
	fixture_init(&f, BIG, 600, 500);
	assert_int_equal(offer(&f, 9, true, 2, 4, 70), REASM_HELD);
	assert_int_equal(offer(&f, 9, true, 3, 4, 30), REASM_HELD);	/* exactly 600 */
	assert_int_equal(f.shared, 600);
	assert_int_equal(offer(&f, 9, true, 4, 4, 1), REASM_OVER_LIMIT);
	assert_false(f.r.active);
	assert_int_equal(f.shared, 500);
	/* a second SA sharing the total: its collection counts against the first */
	struct reasm r2;
	memset(&r2, 0, sizeof(r2));
	uint8_t hdr[IKE_HDR_LEN], plain[80] = { 0 };
	frag_hdr(hdr, 1, false, 1, 2);
	assert_int_equal(reasm_add(&r2, &f.lim, hdr, 1, false, 1, 2, IKE_PL_KE, plain, 80),
			 REASM_HELD);
	assert_int_equal(f.shared, 580);
	assert_int_equal(offer(&f, 9, true, 1, 4, 30), REASM_OVER_LIMIT);
	assert_int_equal(f.shared, 580);
	assert_int_equal(offer(&f, 9, true, 1, 4, 20), REASM_HELD);
	assert_int_equal(f.shared, 600);
	reasm_reset(&r2, &f.lim);
	assert_int_equal(f.shared, 520);
	reasm_reset(&f.r, &f.lim);
	assert_int_equal(f.shared, 500);
	/* resetting an idle collection changes nothing */
	reasm_reset(&f.r, &f.lim);
	assert_int_equal(f.shared, 500);

	/* no shared counter at all */
	struct reasm r3;
	memset(&r3, 0, sizeof(r3));
	struct reasm_limits solo = { 100, 0, NULL };
	assert_int_equal(reasm_add(&r3, &solo, hdr, 1, false, 1, 2, IKE_PL_KE, plain, 80),
			 REASM_HELD);
	assert_int_equal(reasm_add(&r3, &solo, hdr, 1, false, 2, 2, 0, plain, 21),
			 REASM_OVER_LIMIT);
	assert_false(r3.active);
	reasm_reset(&r3, &solo);
}

/* Only fragment 1's Next Payload counts; another fragment's is ignored. */
static void test_np_from_fragment_1(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, BIG, BIG, 0);
	uint8_t hdr[IKE_HDR_LEN], p[4] = { 2, 2, 2, 2 };
	frag_hdr(hdr, 5, false, 2, 2);
	assert_int_equal(reasm_add(&f.r, &f.lim, hdr, 5, false, 2, 2, IKE_PL_NOTIFY, p, 4),
			 REASM_HELD);
	assert_int_equal(offer(&f, 5, false, 1, 2, 4), REASM_COMPLETE);
	static const size_t lens[] = { 4, 4 };
	finish_and_check(&f, 5, false, 2, lens, 0);
}

static void test_result_names(void **state)
{
	(void)state;
	for (int r = REASM_WANTED; r <= REASM_OVER_LIMIT; r++) {
		assert_non_null(reasm_result_name((enum reasm_result)r));
		assert_string_not_equal(reasm_result_name((enum reasm_result)r), "unknown");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_empty_fragment),
		cmocka_unit_test(test_total_changes),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_other_message),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_np_from_fragment_1),
		cmocka_unit_test(test_result_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
