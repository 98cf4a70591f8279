/* test_ke.c -- key exchange methods of lib/libcrypt (crypt.h): agreement,
 * lengths and rejection of invalid peer values (RFC 7296 3.4, RFC 5903, RFC 7748,
 * RFC 3526); the known answers of RFC 5903 8 and RFC 7748 5.2 / 6.1 against the
 * OpenSSL implementation (backend.h), and the NSS and OpenSSL implementations of each
 * curve against each other.
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
#include "../../lib/libcrypt/backend.h"

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

/* --- known answers (OpenSSL, the implementation the daemon uses) --- */

static void expect_hex(const uint8_t *got, size_t len, const char *hex)
{
	struct chunk want = testutil_hex(hex);
	assert_int_equal(len, want.len);
	assert_memory_equal(got, want.ptr, len);
	chunk_free(&want);
}

/* from the private value priv (hex): our KE data is pub, the secret with peer is secret */
static void ke_kat(enum ike_ke_method m, const char *priv, const char *pub, const char *peer,
		   const char *secret)
{
	struct chunk d = testutil_hex(priv), p = testutil_hex(peer), s = CHUNK_EMPTY;
	struct ke *ke = NULL;
	assert_int_equal(ke_from_private_lib(CRYPT_LIB_OPENSSL, m, d.ptr, d.len, &ke), KE_OK);
	size_t len;
	const uint8_t *kd = ke_public(ke, &len);
	if (pub != NULL)
		expect_hex(kd, len, pub);
	assert_int_equal(ke_finish(ke, p.ptr, p.len, &s), KE_OK);
	expect_hex(s.ptr, s.len, secret);
	chunk_free(&s);
	chunk_free(&d);
	chunk_free(&p);
	ke_free(ke);
}

/* RFC 5903 8.1, 8.2, 8.3: i, g^i = gix | giy, r, g^r = grx | gry, g^ir's x */
static const struct {
	enum ike_ke_method m;
	const char *i, *gi, *r, *gr, *girx;
} rfc5903[] = {
	{ IKE_KE_ECP256,
	  "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
	  "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
	  "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
	  "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
	  "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
	  "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
	  "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE" },
	{ IKE_KE_ECP384,
	  "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655"
	  "E35B538041E649EE3FAEF896783AB194",
	  "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6"
	  "DE3AC808ACB4BDB4C88732AEE95F41AA"
	  "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E"
	  "EB9FCFF3C2C947DAE69B4C634573A81C",
	  "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942"
	  "E0308312916B8ED2960E4BD55A7448FC",
	  "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D"
	  "0D1AC43A0336DEF96FDA41D0774A3571"
	  "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF"
	  "F83FA40142209DFF5EAAD96DB9E6386C",
	  "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4"
	  "D603135569B9E9D09CF5D4A270F59746" },
	{ IKE_KE_ECP521,
	  "0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A0"
	  "95AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D4A52",
	  "0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBE"
	  "E1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176CED3E"
	  "017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10A"
	  "D8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F9582",
	  "0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E"
	  "9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB151685EB9",
	  "00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A21"
	  "9B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9460F"
	  "015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87"
	  "220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0FC56A",
	  "01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04"
	  "D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3DDEA" },
};

static void test_ecp_rfc5903(void **state)
{
	for (size_t k = 0; k < sizeof(rfc5903) / sizeof(rfc5903[0]); k++) {
		ke_kat(rfc5903[k].m, rfc5903[k].i, rfc5903[k].gi, rfc5903[k].gr, rfc5903[k].girx);
		ke_kat(rfc5903[k].m, rfc5903[k].r, rfc5903[k].gr, rfc5903[k].gi, rfc5903[k].girx);
	}
}

/* RFC 7748 5.2 (scalar, u, result; the second u has its top bit set, which X25519
 * ignores) and 6.1 (Alice's and Bob's key pairs and their shared secret) */
static void test_x25519_rfc7748(void **state)
{
	ke_kat(IKE_KE_CURVE25519, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
	       NULL, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	       "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	ke_kat(IKE_KE_CURVE25519, "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
	       NULL, "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
	       "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
	static const char a[] = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		a_pub[] = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
		b[] = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
		b_pub[] = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
		k[] = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
	ke_kat(IKE_KE_CURVE25519, a, a_pub, b_pub, k);
	ke_kat(IKE_KE_CURVE25519, b, b_pub, a_pub, k);
}

/* RFC 7748 5.2, the iteration: k = u = 9; k, u = X25519(k, u), k; after 1 and 1000 */
static void test_x25519_iterated(void **state)
{
	uint8_t k[32] = { 9 }, u[32] = { 9 };
	for (int n = 1; n <= 1000; n++) {
		struct ke *ke = NULL;
		struct chunk s = CHUNK_EMPTY;
		assert_int_equal(ke_from_private_lib(CRYPT_LIB_OPENSSL, IKE_KE_CURVE25519, k, 32, &ke),
				 KE_OK);
		assert_int_equal(ke_finish(ke, u, 32, &s), KE_OK);
		memcpy(u, k, 32);
		memcpy(k, s.ptr, 32);
		chunk_free(&s);
		ke_free(ke);
		if (n == 1)
			expect_hex(k, 32, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
	}
	expect_hex(k, 32, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
}

/* NSS and OpenSSL agree with each other, in both roles, on every curve both have;
 * and each refuses the invalid values of the tests above */
static void test_ke_libraries(void **state)
{
	static const enum ike_ke_method ms[] = { IKE_KE_CURVE25519, IKE_KE_ECP256, IKE_KE_ECP384,
						 IKE_KE_ECP521 };
	static const enum crypt_lib libs[] = { CRYPT_LIB_NSS, CRYPT_LIB_OPENSSL };
	for (size_t k = 0; k < sizeof(ms) / sizeof(ms[0]); k++) {
		for (int a = 0; a < 2; a++) {
			enum crypt_lib li = libs[a], lr = libs[1 - a];
			assert_true(ke_lib_has(li, ms[k]));
			struct ke *i = NULL, *r = NULL;
			struct chunk si = CHUNK_EMPTY, sr = CHUNK_EMPTY;
			size_t len;
			assert_int_equal(ke_initiate_lib(li, ms[k], &i), KE_OK);
			const uint8_t *pi = ke_public(i, &len);
			assert_int_equal(ke_respond_lib(lr, ms[k], pi, len, &r, &sr), KE_OK);
			const uint8_t *pr = ke_public(r, &len);
			assert_int_equal(ke_finish(i, pr, len, &si), KE_OK);
			assert_int_equal(si.len, sr.len);
			assert_memory_equal(si.ptr, sr.ptr, si.len);
			/* a point off the curve, or an X25519 value of small order */
			uint8_t bad[132];
			memset(bad, 0, sizeof(bad));
			if (ms[k] == IKE_KE_CURVE25519)
				bad[0] = 1;
			struct ke *x = NULL;
			struct chunk s = CHUNK_EMPTY;
			assert_int_equal(ke_respond_lib(li, ms[k], bad, len, &x, &s), KE_BAD_VALUE);
			assert_null(x);
			assert_null(s.ptr);
			chunk_free(&si);
			chunk_free(&sr);
			ke_free(i);
			ke_free(r);
		}
	}
	/* ECP-521 is implemented by both, offered by neither yet */
	assert_false(ke_supported(IKE_KE_ECP521));
	assert_int_equal(ke_initiate_lib(CRYPT_LIB_NONE, IKE_KE_ECP256, &(struct ke *){ NULL }),
			 KE_UNSUPPORTED);
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
		cmocka_unit_test(test_ecp_rfc5903),
		cmocka_unit_test(test_x25519_rfc7748),
		cmocka_unit_test(test_x25519_iterated),
		cmocka_unit_test(test_ke_libraries),
	};
	int r = cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
	crypt_shutdown();
	return r;
}
