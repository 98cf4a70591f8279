/* test_authdata.c -- RFC 7296 2.15 signed octets, MACedID and PSK AUTH with the RFC 9242
 * 3.3.2 IntAuth, against the strongSwan and libreswan transcripts byte for byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"

#include "authdata.h"
#include "crypt.h"
#include "transcript.h"
#include "vecfile.h"

#define VEC(name) VECTORS_DIR "/" name ".txt"
#define PRF IKE_PRF_HMAC_SHA2_384	/* every file negotiated prfsha384 */

static struct chunk need(const struct vecfile *vf, const char *key)
{
	struct chunk c;
	if (!vecfile_hex(vf, key, &c))
		fail_msg("vector %s missing", key);
	return c;
}

static void assert_bytes_eq(const void *got, size_t got_len, const struct vecfile *vf,
			    const char *key)
{
	struct chunk want = need(vf, key);
	if (got_len != want.len)
		fail_msg("%s: %zu octets, want %zu", key, got_len, want.len);
	assert_memory_equal(got, want.ptr, want.len);
	chunk_free(&want);
}

/* IntAuth over the file's IKE_INTERMEDIATE rounds, computed by transcript.c (each
 * round with the SK_p that protected it) -- not read from the file. */
static size_t file_intauth(const struct vecfile *vf, unsigned nrounds, uint8_t *out, size_t cap)
{
	struct transcript t;
	transcript_init(&t, PRF);
	for (unsigned n = 1; n <= nrounds; n++) {
		for (int i = 1; i >= 0; i--) {
			char msg[48], key[48];
			const char *dir = i ? "request" : "response";
			if (nrounds == 1)
				snprintf(msg, sizeof(msg), "ike_intermediate.%s", dir);
			else
				snprintf(msg, sizeof(msg), "ike_intermediate%u.%s", n, dir);
			if (n == 1)
				snprintf(key, sizeof(key), "ike_sa_init.sk_p%c", i ? 'i' : 'r');
			else
				snprintf(key, sizeof(key), "ike_intermediate%u.sk_p%c", n - 1,
					 i ? 'i' : 'r');
			struct vecfile_msg m;
			assert_true(vecfile_sk_record(vf, msg, &m));
			struct chunk sk_p = need(vf, key);
			assert_true(transcript_add(&t, i, &sk_p, &m.rec));
			chunk_free(&sk_p);
			vecfile_msg_free(&m);
		}
	}
	return transcript_intauth(&t, nrounds + 1, out, cap);	/* IKE_AUTH MID = N + 1 */
}

/* One side's AUTH input: MACedID with the final SK_p, the signed octets, and (for PSK
 * files) the AUTH value, which must also be what went on the wire. */
static void check_side(const struct vecfile *vf, unsigned nrounds, bool initiator, bool psk)
{
	char x = initiator ? 'i' : 'r';
	char key[64];
	/* the final SK_p: after the last IKE_INTERMEDIATE round (RFC 9242 3.3.2) */
	if (nrounds == 1)
		snprintf(key, sizeof(key), "ike_intermediate.sk_p%c", x);
	else
		snprintf(key, sizeof(key), "ike_intermediate%u.sk_p%c", nrounds, x);
	struct chunk sk_p = need(vf, key);
	snprintf(key, sizeof(key), "auth_%c.sk_p", x);
	assert_bytes_eq(sk_p.ptr, sk_p.len, vf, key);

	/* RFC 7296 2.15: MACedIDForX = prf(SK_px, IDx') */
	snprintf(key, sizeof(key), "id_%c.prime", x);
	struct chunk id = need(vf, key);
	uint8_t maced[CRYPT_MAX_PRF_LEN];
	assert_true(authdata_maced_id(PRF, &sk_p, id.ptr, id.len, maced));
	snprintf(key, sizeof(key), "auth_%c.maced_id", x);
	assert_bytes_eq(maced, crypt_prf_len(PRF), vf, key);

	uint8_t ia[2 * CRYPT_MAX_PRF_LEN + 4];
	size_t ia_len = file_intauth(vf, nrounds, ia, sizeof(ia));
	assert_int_equal(ia_len, 100);
	snprintf(key, sizeof(key), "auth_%c.intauth", x);
	assert_bytes_eq(ia, ia_len, vf, key);

	/* RealMessage1 with Nr, RealMessage2 with Ni (IKE_SA_INIT is on port 500: the UDP
	 * payload is the IKE message) */
	struct chunk real = need(vf, initiator ? "ike_sa_init.request.udp_payload" :
				 "ike_sa_init.response.udp_payload");
	struct chunk nonce = need(vf, initiator ? "nr" : "ni");
	struct chunk so = authdata_signed_octets(real.ptr, real.len, &nonce, maced,
						 crypt_prf_len(PRF), ia, ia_len);
	snprintf(key, sizeof(key), "auth_%c.signed_octets", x);
	assert_bytes_eq(so.ptr, so.len, vf, key);

	if (psk) {
		struct chunk secret = need(vf, "psk");
		uint8_t auth[CRYPT_MAX_PRF_LEN];
		assert_true(authdata_psk(PRF, secret.ptr, secret.len, &so, auth));
		snprintf(key, sizeof(key), "auth_%c.auth", x);
		assert_bytes_eq(auth, crypt_prf_len(PRF), vf, key);
		assert_bytes_eq(auth, crypt_prf_len(PRF), vf, initiator ?
				"ike_auth.request.auth_payload.data" :
				"ike_auth.response.auth_payload.data");
		chunk_free(&secret);
	}
	chunk_free(&so);
	chunk_free(&nonce);
	chunk_free(&real);
	chunk_free(&id);
	chunk_free(&sk_p);
}

static void check_file(const char *path, unsigned nrounds, bool psk)
{
	struct vecfile *vf = vecfile_load(path);
	assert_non_null(vf);
	check_side(vf, nrounds, true, psk);
	check_side(vf, nrounds, false, psk);
	vecfile_free(vf);
}

static void test_strongswan_psk(void **state)
{
	(void)state;
	check_file(VEC("strongswan-x25519-mlkem768-psk"), 1, true);
}

static void test_strongswan_3rounds(void **state)
{
	(void)state;
	check_file(VEC("strongswan-3rounds-psk"), 3, true);
}

static void test_libreswan(void **state)
{
	(void)state;
	check_file(VEC("libreswan-charon-x25519-addke-ecp256-psk"), 1, true);
}

/* Signature files: the signed octets are the same construction; the signatures are
 * randomized, so only the octets are compared. */
static void test_strongswan_cert_signed_octets(void **state)
{
	(void)state;
	check_file(VEC("strongswan-ecdsa-p256-cert"), 1, false);
	check_file(VEC("strongswan-rsa-pss-cert"), 1, false);
}

/* The key pad is exactly the 17 octets "Key Pad for IKEv2": prf(PSK, pad) as logged */
static void test_key_pad(void **state)
{
	(void)state;
	struct vecfile *vf = vecfile_load(VEC("strongswan-x25519-mlkem768-psk"));
	assert_non_null(vf);
	struct chunk secret = need(vf, "psk");
	struct iov pad = { "Key Pad for IKEv2", 17 };
	uint8_t out[CRYPT_MAX_PRF_LEN];
	assert_true(crypt_prf(PRF, secret.ptr, secret.len, &pad, 1, out));
	assert_bytes_eq(out, crypt_prf_len(PRF), vf, "auth_i.prf_psk_keypad");
	chunk_free(&secret);
	vecfile_free(vf);
}

/* Without IKE_INTERMEDIATE nothing is appended; bad arguments give nothing. */
static void test_signed_octets_shape(void **state)
{
	(void)state;
	static const uint8_t msg[] = { 1, 2, 3 }, n[] = { 4, 5 }, mac[] = { 6, 7, 8, 9 };
	static const uint8_t ia[] = { 10, 11 };
	struct chunk nonce = { (uint8_t *)n, sizeof(n) };
	struct chunk so = authdata_signed_octets(msg, sizeof(msg), &nonce, mac, sizeof(mac),
						 NULL, 0);
	static const uint8_t want[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	assert_int_equal(so.len, sizeof(want));
	assert_memory_equal(so.ptr, want, sizeof(want));
	chunk_free(&so);

	so = authdata_signed_octets(msg, sizeof(msg), &nonce, mac, sizeof(mac), ia, sizeof(ia));
	static const uint8_t want_ia[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	assert_int_equal(so.len, sizeof(want_ia));
	assert_memory_equal(so.ptr, want_ia, sizeof(want_ia));
	chunk_free(&so);

	so = authdata_signed_octets(NULL, 0, &nonce, mac, sizeof(mac), NULL, 0);
	assert_null(so.ptr);
	so = authdata_signed_octets(msg, sizeof(msg), NULL, mac, sizeof(mac), NULL, 0);
	assert_null(so.ptr);
	so = authdata_signed_octets(msg, sizeof(msg), &nonce, mac, sizeof(mac), NULL, 2);
	assert_null(so.ptr);

	uint8_t out[CRYPT_MAX_PRF_LEN];
	struct chunk k = { (uint8_t *)n, sizeof(n) };
	assert_false(authdata_maced_id((enum ike_prf)99, &k, msg, sizeof(msg), out));
	assert_false(authdata_psk((enum ike_prf)99, n, sizeof(n), &k, out));
	assert_false(authdata_psk(PRF, n, sizeof(n), NULL, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strongswan_psk),
		cmocka_unit_test(test_strongswan_3rounds),
		cmocka_unit_test(test_libreswan),
		cmocka_unit_test(test_strongswan_cert_signed_octets),
		cmocka_unit_test(test_key_pad),
		cmocka_unit_test(test_signed_octets_shape),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
