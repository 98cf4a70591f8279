/* test_ke.c -- key exchange methods of lib/libcrypt (crypt.h): agreement,
 * lengths and rejection of invalid peer values (RFC 7296 3.4, RFC 5903, RFC 7748,
 * RFC 3526).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "crypt.h"

struct method {
	enum ike_ke_method m;
	size_t publen, secretlen;
};

static const struct method methods[] = {
	{ IKE_KE_MODP2048, 256, 256 },
	{ IKE_KE_MODP3072, 384, 384 },
	{ IKE_KE_ECP256, 64, 32 },
	{ IKE_KE_ECP384, 96, 48 },
	{ IKE_KE_CURVE25519, 32, 32 },
};

static void agree(const struct method *t)
{
	testutil_ke_agree(t->m, t->publen, t->publen, t->secretlen);
}

static void test_agreement(void **state)
{
	for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++)
		for (int n = 0; n < 3; n++)
			agree(&methods[k]);
}

static void test_bad_length(void **state)
{
	uint8_t buf[512];
	memset(buf, 0x42, sizeof(buf));
	for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
		const struct method *t = &methods[k];
		struct ke *i = NULL, *r = (struct ke *)1;
		struct chunk s = { (uint8_t *)1, 1 };
		assert_int_equal(ke_respond(t->m, buf, t->publen - 1, &r, &s), KE_BAD_LENGTH);
		assert_null(r);
		assert_null(s.ptr);
		assert_int_equal(ke_respond(t->m, buf, t->publen + 1, &r, &s), KE_BAD_LENGTH);
		assert_int_equal(ke_initiate(t->m, &i), KE_OK);
		assert_int_equal(ke_finish(i, buf, t->publen + 1, &s), KE_BAD_LENGTH);
		assert_int_equal(ke_finish(i, buf, 0, &s), KE_BAD_LENGTH);
		assert_null(s.ptr);
		ke_free(i);
	}
	/* RFC 5903 7: no 0x04 prefix on the wire, so 65 octets is wrong for ECP-256 */
	struct ke *r = NULL;
	struct chunk s;
	buf[0] = 0x04;
	assert_int_equal(ke_respond(IKE_KE_ECP256, buf, 65, &r, &s), KE_BAD_LENGTH);
}

static void test_unsupported(void **state)
{
	static const enum ike_ke_method no[] = { IKE_KE_NONE, IKE_KE_MODP4096, IKE_KE_ECP521,
						 IKE_KE_CURVE448, (enum ike_ke_method)2 };
	uint8_t buf[64] = { 0 };
	for (size_t k = 0; k < sizeof(no) / sizeof(no[0]); k++) {
		struct ke *ke = (struct ke *)1;
		struct chunk s;
		assert_false(ke_supported(no[k]));
		assert_int_equal(ke_public_len(no[k], true), 0);
		assert_int_equal(ke_initiate(no[k], &ke), KE_UNSUPPORTED);
		assert_null(ke);
		assert_int_equal(ke_respond(no[k], buf, sizeof(buf), &ke, &s), KE_UNSUPPORTED);
	}
	ke_free(NULL);
	assert_string_equal(ke_result_name(KE_OK), "ok");
	assert_non_null(ke_result_name(KE_BAD_VALUE));
}

/* both roles reject the value */
static void expect_bad_value(enum ike_ke_method m, const uint8_t *peer, size_t len)
{
	struct ke *r = NULL, *i = NULL;
	struct chunk s = CHUNK_EMPTY;
	assert_int_equal(ke_respond(m, peer, len, &r, &s), KE_BAD_VALUE);
	assert_null(r);
	assert_null(s.ptr);
	assert_int_equal(ke_initiate(m, &i), KE_OK);
	assert_int_equal(ke_finish(i, peer, len, &s), KE_BAD_VALUE);
	assert_null(s.ptr);
	ke_free(i);
}

/* RFC 7748 6.1 / RFC 8031 2: small-order u values give an all-zero secret */
static void test_x25519_zero(void **state)
{
	uint8_t u[32] = { 0 };
	expect_bad_value(IKE_KE_CURVE25519, u, 32);	/* u = 0 */
	u[0] = 1;
	expect_bad_value(IKE_KE_CURVE25519, u, 32);	/* u = 1 */
	/* u = p - 1 = 2^255 - 20 (order 2) */
	memset(u, 0xff, 32);
	u[0] = 0xec;
	u[31] = 0x7f;
	expect_bad_value(IKE_KE_CURVE25519, u, 32);
}

/* RFC 5903 / SP 800-56A: points that are not on the curve */
static void test_ecp_invalid(void **state)
{
	uint8_t p[96];
	memset(p, 0, sizeof(p));
	expect_bad_value(IKE_KE_ECP256, p, 64);		/* (0, 0) */
	expect_bad_value(IKE_KE_ECP384, p, 96);
	p[31] = 1;
	p[63] = 1;
	expect_bad_value(IKE_KE_ECP256, p, 64);		/* (1, 1) */
	memset(p, 0xff, sizeof(p));
	expect_bad_value(IKE_KE_ECP256, p, 64);		/* coordinates >= p */
	expect_bad_value(IKE_KE_ECP384, p, 96);
	/* a valid point with y changed is off the curve */
	struct ke *i = NULL;
	size_t len;
	assert_int_equal(ke_initiate(IKE_KE_ECP256, &i), KE_OK);
	memcpy(p, ke_public(i, &len), 64);
	p[63] ^= 1;
	expect_bad_value(IKE_KE_ECP256, p, 64);
	ke_free(i);
}

/* RFC 3526 2048-bit prime: p - 1 ends in ...fffffffe */
static void test_modp_invalid(void **state)
{
	static const struct { enum ike_ke_method m; size_t len; } g[] = {
		{ IKE_KE_MODP2048, 256 }, { IKE_KE_MODP3072, 384 },
	};
	for (size_t k = 0; k < 2; k++) {
		size_t n = g[k].len;
		uint8_t *y = calloc(1, n);
		expect_bad_value(g[k].m, y, n);			/* 0 */
		y[n - 1] = 1;
		expect_bad_value(g[k].m, y, n);			/* 1 */
		/* both primes begin and end with 64 one bits (RFC 3526) */
		memset(y, 0xff, n);
		expect_bad_value(g[k].m, y, n);			/* > p */
		free(y);
	}
}

/* RFC 7296 3.4 / SP 800-56A 5.6.2.3.1: p and p - 1 (order 2) are rejected, p - 2 and
 * g = 2 are accepted.  The prime is RFC 3526 section 3's. */
static void test_modp_p_minus_1(void **state)
{
	static const char p2048_hex[] =
		"ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74"
		"020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437"
		"4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed"
		"ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05"
		"98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb"
		"9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b"
		"e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718"
		"3995497cea956ae515d2261898fa051015728e5a8aacaa68ffffffffffffffff";
	uint8_t y[256];
	for (size_t i = 0; i < 256; i++) {
		unsigned v;
		assert_int_equal(sscanf(p2048_hex + 2 * i, "%2x", &v), 1);
		y[i] = (uint8_t)v;
	}
	expect_bad_value(IKE_KE_MODP2048, y, 256);		/* p */
	y[255] -= 1;
	expect_bad_value(IKE_KE_MODP2048, y, 256);		/* p - 1 */
	y[255] -= 1;
	struct ke *r = NULL;					/* p - 2 is allowed */
	struct chunk s;
	assert_int_equal(ke_respond(IKE_KE_MODP2048, y, 256, &r, &s), KE_OK);
	chunk_free(&s);
	ke_free(r);
	memset(y, 0, sizeof(y));
	y[255] = 2;						/* g itself is allowed */
	assert_int_equal(ke_respond(IKE_KE_MODP2048, y, 256, &r, &s), KE_OK);
	assert_int_equal(s.len, 256);
	chunk_free(&s);
	ke_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agreement),
		cmocka_unit_test(test_bad_length),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_x25519_zero),
		cmocka_unit_test(test_ecp_invalid),
		cmocka_unit_test(test_modp_invalid),
		cmocka_unit_test(test_modp_p_minus_1),
	};
	int r = cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
	crypt_shutdown();
	return r;
}
