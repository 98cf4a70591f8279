/* test_transcript.c -- RFC 9242 3.3.2 IntAuth: hand-built A octets, the fragmented
 * case, and the independent strongSwan / libreswan transcripts byte for byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"

#include "crypt.h"
#include "be.h"
#include "transcript.h"
#include "vecfile.h"

#define VEC(name) VECTORS_DIR "/" name ".txt"

/* ---- (1) hand-built A ---- */

static const uint8_t plain_ke[12] = {	/* a KE payload: last, 12 octets, group 19 */
	0x00, 0x00, 0x00, 0x0c, 0x00, 0x13, 0x00, 0x00, 0xaa, 0xbb, 0xcc, 0xdd,
};

/* IKE header as fragment 1 of an IKE_INTERMEDIATE request had it: Next Payload SKF
 * (53), Length that of the fragment (0x30) -- both must be rewritten. */
static void fill_hdr(uint8_t hdr[IKE_HDR_LEN], uint8_t np, uint32_t wire_len)
{
	static const uint8_t spis[16] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
	};
	memcpy(hdr, spis, sizeof(spis));
	hdr[16] = np;
	hdr[17] = 0x20;		/* version 2.0 */
	hdr[18] = 43;		/* IKE_INTERMEDIATE */
	hdr[19] = 0x08;		/* Initiator */
	hdr[20] = 0; hdr[21] = 0; hdr[22] = 0; hdr[23] = 1;	/* Message ID 1 */
	be_put32(hdr + 24, wire_len);
}

static struct sk_record ke_record(uint8_t hdr_np, uint32_t wire_len)
{
	struct sk_record rec = { .inner_np = IKE_PL_KE, .plain = plain_ke,
				 .plain_len = sizeof(plain_ke) };
	fill_hdr(rec.hdr, hdr_np, wire_len);
	return rec;
}

static void test_build_a_hand(void **state)
{
	(void)state;
	static const uint8_t want[32] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* SPIi */
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,	/* SPIr */
		0x2e, 0x20, 0x2b, 0x08,		/* NP = SK (46), 2.0, IKE_INTERMEDIATE, I */
		0x00, 0x00, 0x00, 0x01,		/* Message ID */
		0x00, 0x00, 0x00, 0x2c,		/* Length = 32 + 12 */
		0x22, 0x00, 0x00, 0x10,		/* SK: NP = KE (34), 0, length 12 + 4 */
	};
	struct sk_record rec = ke_record(IKE_PL_SKF, 0x30);
	uint8_t a[TRANSCRIPT_MAX_A_LEN];
	assert_int_equal(transcript_build_a(&rec, a, sizeof(a)), sizeof(want));
	assert_memory_equal(a, want, sizeof(want));
	/* exactly enough room is enough; one octet less is refused */
	assert_int_equal(transcript_build_a(&rec, a, sizeof(want)), sizeof(want));
	assert_int_equal(transcript_build_a(&rec, a, sizeof(want) - 1), 0);
}

/* Unencrypted payloads before SKF: the header keeps the first one's type, the last
 * one's Next Payload becomes SK. */
static void test_build_a_unenc(void **state)
{
	(void)state;
	static const uint8_t unenc[] = {
		0x2b, 0x00, 0x00, 0x06, 0xde, 0xad,		/* VID, next VID */
		0x35, 0x00, 0x00, 0x08, 0xbe, 0xef, 0x01, 0x02,	/* VID, next SKF */
	};
	static const uint8_t want[28 + 14 + 4] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
		0x2b, 0x20, 0x2b, 0x08,		/* NP = VID (43) kept */
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x3a,		/* Length = 46 + 12 */
		0x2b, 0x00, 0x00, 0x06, 0xde, 0xad,
		0x2e, 0x00, 0x00, 0x08, 0xbe, 0xef, 0x01, 0x02,	/* next SKF -> SK */
		0x22, 0x00, 0x00, 0x10,
	};
	struct sk_record rec = ke_record(IKE_PL_VID, 0x99);
	rec.unenc = unenc;
	rec.unenc_len = sizeof(unenc);
	uint8_t a[TRANSCRIPT_MAX_A_LEN];
	assert_int_equal(transcript_build_a(&rec, a, sizeof(a)), sizeof(want));
	assert_memory_equal(a, want, sizeof(want));
	/* the caller's octets are not touched */
	assert_int_equal(unenc[6], IKE_PL_SKF);
}

static void test_build_a_bad(void **state)
{
	(void)state;
	static const uint8_t short_len[] = { 0x2e, 0x00, 0x00, 0x03, 0x00 };
	static const uint8_t overrun[] = { 0x2e, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t trailing[] = { 0x2e, 0x00, 0x00, 0x04, 0x00, 0x00 };
	static uint8_t big[TRANSCRIPT_MAX_UNENC_LEN + 4];
	const struct { const uint8_t *p; size_t len; } bad[] = {
		{ short_len, sizeof(short_len) }, { overrun, sizeof(overrun) },
		{ trailing, sizeof(trailing) }, { big, sizeof(big) },
	};
	uint8_t a[TRANSCRIPT_MAX_A_LEN + 64];
	struct sk_record rec = ke_record(IKE_PL_VID, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rec.unenc = bad[i].p;
		rec.unenc_len = bad[i].len;
		assert_int_equal(transcript_build_a(&rec, a, sizeof(a)), 0);
	}
	/* the inner plaintext must fit the 16-bit SK Payload Length */
	rec = ke_record(IKE_PL_SK, 0);
	rec.plain_len = UINT16_MAX - 3;
	assert_int_equal(transcript_build_a(&rec, a, sizeof(a)), 0);
	assert_int_equal(transcript_build_a(NULL, a, sizeof(a)), 0);

	/* over the bound: transcript_add refuses and leaves the chain alone */
	struct transcript t;
	transcript_init(&t, IKE_PRF_HMAC_SHA2_256);
	uint8_t k[32] = { 0 };
	struct chunk key = { k, sizeof(k) };
	rec = ke_record(IKE_PL_VID, 0);
	rec.unenc = big;
	rec.unenc_len = sizeof(big);
	assert_false(transcript_add(&t, true, &key, &rec));
	assert_int_equal(t.rounds_i, 0);
}

/* ---- (2) the same message fragmented or not gives the same A and IntAuth ---- */

static void test_fragmented_same(void **state)
{
	(void)state;
	struct sk_record whole = ke_record(IKE_PL_SK, 28 + 4 + 8 + 12 + 16);	/* IV, ICV */
	struct sk_record frag1 = ke_record(IKE_PL_SKF, 0x30);
	uint8_t a1[TRANSCRIPT_MAX_A_LEN], a2[TRANSCRIPT_MAX_A_LEN];
	size_t n1 = transcript_build_a(&whole, a1, sizeof(a1));
	size_t n2 = transcript_build_a(&frag1, a2, sizeof(a2));
	assert_int_equal(n1, 32);
	assert_int_equal(n1, n2);
	assert_memory_equal(a1, a2, n1);

	uint8_t k[48];
	for (size_t i = 0; i < sizeof(k); i++)
		k[i] = (uint8_t)i;
	struct chunk key = { k, sizeof(k) };
	struct transcript t1, t2;
	transcript_init(&t1, IKE_PRF_HMAC_SHA2_384);
	transcript_init(&t2, IKE_PRF_HMAC_SHA2_384);
	for (int round = 0; round < 2; round++) {
		assert_true(transcript_add(&t1, true, &key, &whole));
		assert_true(transcript_add(&t1, false, &key, &whole));
		assert_true(transcript_add(&t2, true, &key, &frag1));
		assert_true(transcript_add(&t2, false, &key, &frag1));
	}
	uint8_t i1[2 * CRYPT_MAX_PRF_LEN + 4], i2[sizeof(i1)];
	assert_int_equal(transcript_intauth(&t1, 3, i1, sizeof(i1)), 100);
	assert_int_equal(transcript_intauth(&t2, 3, i2, sizeof(i2)), 100);
	assert_memory_equal(i1, i2, 100);
}

/* ---- (3), (4) the vector files ---- */

static void assert_chunk_eq(const struct chunk *got, const struct vecfile *vf, const char *key)
{
	struct chunk want;
	if (!vecfile_hex(vf, key, &want))
		fail_msg("vector %s missing", key);
	if (got->len != want.len)
		fail_msg("%s: %zu octets, want %zu", key, got->len, want.len);
	assert_memory_equal(got->ptr, want.ptr, want.len);
	chunk_free(&want);
}

/* A | P of one message, compared with the logged IntAuth input buffer */
static void check_a_p(const struct vecfile_msg *m, const struct vecfile *vf, const char *key)
{
	struct chunk ap = chunk_alloc(TRANSCRIPT_MAX_A_LEN + m->plain.len);
	size_t a_len = transcript_build_a(&m->rec, ap.ptr, ap.len);
	assert_true(a_len > 0);
	memcpy(ap.ptr + a_len, m->plain.ptr, m->plain.len);
	ap.len = a_len + m->plain.len;
	assert_chunk_eq(&ap, vf, key);
	chunk_free(&ap);
}

/* Folds message `dir` of round n into t with the key that protected it: the
 * IKE_SA_INIT keys for round 1, those of round n-1 after that (RFC 9370 2.2.2). */
static void add_round(struct transcript *t, const struct vecfile *vf, unsigned nrounds,
		      unsigned n, bool initiator)
{
	char msg[48], stage[32], key[96];
	const char *dir = initiator ? "request" : "response";
	char x = initiator ? 'i' : 'r';
	if (nrounds == 1)
		snprintf(msg, sizeof(msg), "ike_intermediate.%s", dir);
	else
		snprintf(msg, sizeof(msg), "ike_intermediate%u.%s", n, dir);
	if (n == 1)
		snprintf(stage, sizeof(stage), "ike_sa_init");
	else
		snprintf(stage, sizeof(stage), "ike_intermediate%u", n - 1);

	struct vecfile_msg m;
	assert_true(vecfile_sk_record(vf, msg, &m));
	struct chunk sk_p;
	snprintf(key, sizeof(key), "%s.sk_p%c", stage, x);
	assert_true(vecfile_hex(vf, key, &sk_p));
	snprintf(key, sizeof(key), "intauth_%c%u.sk_p", x, n);
	assert_chunk_eq(&sk_p, vf, key);	/* the file agrees on the key */

	snprintf(key, sizeof(key), "intauth_%c%u.prev", x, n);
	struct chunk prev = { initiator ? t->intauth_i : t->intauth_r, n > 1 ? t->len : 0 };
	assert_chunk_eq(&prev, vf, key);
	snprintf(key, sizeof(key), "intauth_%c%u.a_p", x, n);
	check_a_p(&m, vf, key);

	assert_true(transcript_add(t, initiator, &sk_p, &m.rec));
	struct chunk got = { initiator ? t->intauth_i : t->intauth_r, t->len };
	snprintf(key, sizeof(key), "intauth_%c%u", x, n);
	assert_chunk_eq(&got, vf, key);
	chunk_free(&sk_p);
	vecfile_msg_free(&m);
}

/* Runs the whole chain of a file and checks IntAuth = IntAuth_iN | IntAuth_rN | MID
 * with MID = N + 1 against both AUTH computations of the file. */
static void check_file(const char *path, unsigned nrounds, unsigned frags_i1, unsigned frags_r1)
{
	struct vecfile *vf = vecfile_load(path);
	assert_non_null(vf);
	struct transcript t;
	transcript_init(&t, IKE_PRF_HMAC_SHA2_384);
	for (unsigned n = 1; n <= nrounds; n++) {
		add_round(&t, vf, nrounds, n, true);
		add_round(&t, vf, nrounds, n, false);
	}
	assert_int_equal(t.rounds_i, nrounds);
	assert_int_equal(t.rounds_r, nrounds);

	/* the fragmentation the test claims to exercise is really there */
	struct vecfile_msg m;
	assert_true(vecfile_sk_record(vf, nrounds == 1 ? "ike_intermediate.request" :
				      "ike_intermediate1.request", &m));
	assert_int_equal(m.fragments, frags_i1);
	vecfile_msg_free(&m);
	assert_true(vecfile_sk_record(vf, nrounds == 1 ? "ike_intermediate.response" :
				      "ike_intermediate1.response", &m));
	assert_int_equal(m.fragments, frags_r1);
	vecfile_msg_free(&m);

	uint8_t buf[2 * CRYPT_MAX_PRF_LEN + 4];
	struct chunk ia = { buf, transcript_intauth(&t, nrounds + 1, buf, sizeof(buf)) };
	assert_int_equal(ia.len, 100);
	assert_chunk_eq(&ia, vf, "auth_i.intauth");
	assert_chunk_eq(&ia, vf, "auth_r.intauth");
	vecfile_free(vf);
}

static void test_strongswan_1round(void **state)
{
	(void)state;
	check_file(VEC("strongswan-x25519-mlkem768-psk"), 1, 3, 3);
}

static void test_strongswan_3rounds(void **state)
{
	(void)state;
	check_file(VEC("strongswan-3rounds-psk"), 3, 3, 3);
	/* round 2 went as 4 + 4 fragments, round 3 unfragmented */
	struct vecfile *vf = vecfile_load(VEC("strongswan-3rounds-psk"));
	assert_non_null(vf);
	struct vecfile_msg m;
	assert_true(vecfile_sk_record(vf, "ike_intermediate2.response", &m));
	assert_int_equal(m.fragments, 4);
	vecfile_msg_free(&m);
	assert_true(vecfile_sk_record(vf, "ike_intermediate3.request", &m));
	assert_int_equal(m.fragments, 0);
	assert_int_equal(m.rec.hdr[16], IKE_PL_SK);
	vecfile_msg_free(&m);
	vecfile_free(vf);
}

static void test_strongswan_cert_files(void **state)
{
	(void)state;
	/* 2-fragment request, unfragmented response */
	check_file(VEC("strongswan-ecdsa-p256-cert"), 1, 2, 0);
	check_file(VEC("strongswan-rsa-pss-cert"), 1, 2, 0);
}

static void test_libreswan(void **state)
{
	(void)state;
	check_file(VEC("libreswan-charon-x25519-addke-ecp256-psk"), 1, 0, 0);
}

/* ---- (5) IntAuth concatenation ---- */

static void test_intauth_concat(void **state)
{
	(void)state;
	struct transcript t;
	uint8_t out[2 * CRYPT_MAX_PRF_LEN + 4];
	transcript_init(&t, IKE_PRF_HMAC_SHA2_256);
	/* no IKE_INTERMEDIATE: nothing is appended */
	assert_int_equal(transcript_intauth(&t, 1, out, sizeof(out)), 0);

	memset(t.intauth_i, 0xaa, sizeof(t.intauth_i));
	memset(t.intauth_r, 0xbb, sizeof(t.intauth_r));
	t.len = 32;
	t.rounds_i = 3;
	t.rounds_r = 2;		/* a request without its response: a caller bug */
	assert_int_equal(transcript_intauth(&t, 4, out, sizeof(out)), 0);
	t.rounds_r = 3;
	assert_int_equal(transcript_intauth(&t, 4, out, 67), 0);	/* too small */
	assert_int_equal(transcript_intauth(&t, 0x01020304, out, 68), 68);
	for (size_t i = 0; i < 32; i++) {
		assert_int_equal(out[i], 0xaa);
		assert_int_equal(out[32 + i], 0xbb);
	}
	static const uint8_t mid[4] = { 0x01, 0x02, 0x03, 0x04 };	/* network order */
	assert_memory_equal(out + 64, mid, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_a_hand),
		cmocka_unit_test(test_build_a_unenc),
		cmocka_unit_test(test_build_a_bad),
		cmocka_unit_test(test_fragmented_same),
		cmocka_unit_test(test_strongswan_1round),
		cmocka_unit_test(test_strongswan_3rounds),
		cmocka_unit_test(test_strongswan_cert_files),
		cmocka_unit_test(test_libreswan),
		cmocka_unit_test(test_intauth_concat),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
