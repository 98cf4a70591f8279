/* test_sig.c -- signatures (lib/libcrypt/sig.c) and their wire form (lib/libike/sigalg.c):
 * a sign/verify round trip for every scheme and curve, in both ECDSA encodings
 * (RFC 7427 DER, RFC 4754 r | s); a flipped bit, other data, the wrong scheme or the
 * wrong key fail; the AlgorithmIdentifiers, AUTH data and hash notify of RFC 7427.
 * The strongSwan transcripts' signatures are verified in test_replay.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "crypt.h"
#include "ike_wire.h"
#include "sigalg.h"
#include "vecfile.h"

static const uint8_t msg[] = "RealMessage1 | NonceRData | MACedIDForI | IntAuth";

static void round_trip(const struct crypt_privkey *k, enum crypt_sig s, bool der)
{
	struct crypt_pubkey *pk = crypt_privkey_public(k);
	assert_non_null(pk);
	struct chunk sig;
	assert_true(crypt_sign(s, k, msg, sizeof(msg), der, &sig));
	assert_true(sig.len > 0);
	if (!crypt_verify(s, pk, msg, sizeof(msg), sig.ptr, sig.len, der))
		fail_msg("%s (%s) does not verify", sigalg_name(s), der ? "DER" : "r|s");
	/* other data, a flipped bit, another hash */
	assert_false(crypt_verify(s, pk, msg, sizeof(msg) - 1, sig.ptr, sig.len, der));
	sig.ptr[sig.len - 1] ^= 0x80;
	assert_false(crypt_verify(s, pk, msg, sizeof(msg), sig.ptr, sig.len, der));
	sig.ptr[sig.len - 1] ^= 0x80;
	enum crypt_sig other = s == CRYPT_SIG_ECDSA_SHA256 ? CRYPT_SIG_ECDSA_SHA384 :
			       s == CRYPT_SIG_RSA_PSS_SHA256 ? CRYPT_SIG_RSA_PKCS1_SHA256 :
			       s == CRYPT_SIG_RSA_PKCS1_SHA256 ? CRYPT_SIG_RSA_PSS_SHA256 : s;
	if (other != s)
		assert_false(crypt_verify(other, pk, msg, sizeof(msg), sig.ptr, sig.len, der));
	chunk_free(&sig);
	crypt_pubkey_free(pk);
}

static void rsa_schemes(void **state)
{
	struct crypt_privkey *k = crypt_privkey_generate(CRYPT_KEY_RSA);
	assert_non_null(k);
	assert_int_equal(crypt_privkey_kind(k), CRYPT_KEY_RSA);
	static const enum crypt_sig all[] = {
		CRYPT_SIG_RSA_PKCS1_SHA1, CRYPT_SIG_RSA_PKCS1_SHA256, CRYPT_SIG_RSA_PKCS1_SHA384,
		CRYPT_SIG_RSA_PKCS1_SHA512, CRYPT_SIG_RSA_PSS_SHA256, CRYPT_SIG_RSA_PSS_SHA384,
		CRYPT_SIG_RSA_PSS_SHA512,
	};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		round_trip(k, all[i], false);
	/* an RSA key cannot make or check an ECDSA signature */
	struct chunk sig;
	assert_false(crypt_sign(CRYPT_SIG_ECDSA_SHA256, k, msg, sizeof(msg), true, &sig));
	crypt_privkey_free(k);
}

static void ecdsa_curves(void **state)
{
	static const enum crypt_key_kind curves[] = { CRYPT_KEY_EC_P256, CRYPT_KEY_EC_P384,
						      CRYPT_KEY_EC_P521 };
	static const enum crypt_sig hashes[] = { CRYPT_SIG_ECDSA_SHA256, CRYPT_SIG_ECDSA_SHA384,
						 CRYPT_SIG_ECDSA_SHA512 };
	for (size_t c = 0; c < 3; c++) {
		struct crypt_privkey *k = crypt_privkey_generate(curves[c]);
		assert_non_null(k);
		assert_int_equal(crypt_privkey_kind(k), curves[c]);
		for (size_t h = 0; h < 3; h++) {
			round_trip(k, hashes[h], true);
			round_trip(k, hashes[h], false);
		}
		/* RFC 4754 7: r | s is exactly twice the order's length */
		struct chunk sig;
		assert_true(crypt_sign(hashes[c], k, msg, sizeof(msg), false, &sig));
		assert_int_equal(sig.len, c == 0 ? 64 : c == 1 ? 96 : 132);
		struct crypt_pubkey *pk = crypt_privkey_public(k);
		/* the same octets read as DER are refused */
		assert_false(crypt_verify(hashes[c], pk, msg, sizeof(msg), sig.ptr, sig.len, true));
		assert_false(crypt_verify(CRYPT_SIG_RSA_PSS_SHA256, pk, msg, sizeof(msg), sig.ptr, sig.len,
					  false));
		crypt_pubkey_free(pk);
		chunk_free(&sig);
		crypt_privkey_free(k);
	}
}

/* The transcript's ECDSA signature in the RFC 4754 form checks out too, and a key
 * from another certificate does not verify it. */
static void transcript_raw_ecdsa(void **state)
{
	struct vecfile *vf = vecfile_load(VECTORS_DIR "/strongswan-ecdsa-p256-cert.txt");
	assert_non_null(vf);
	struct chunk so, rs, cert_i, cert_r;
	assert_true(vecfile_hex(vf, "auth_i.signed_octets", &so));
	assert_true(vecfile_hex(vf, "ike_auth.request.auth_payload.ecdsa_r_s", &rs));
	assert_true(vecfile_hex(vf, "ike_auth.request.cert.data", &cert_i));
	assert_true(vecfile_hex(vf, "ike_auth.response.cert.data", &cert_r));
	struct crypt_pubkey *west = crypt_pubkey_from_cert(cert_i.ptr, cert_i.len);
	struct crypt_pubkey *east = crypt_pubkey_from_cert(cert_r.ptr, cert_r.len);
	assert_non_null(west);
	assert_non_null(east);
	assert_int_equal(crypt_pubkey_kind(west), CRYPT_KEY_EC_P256);
	assert_true(crypt_verify(CRYPT_SIG_ECDSA_SHA256, west, so.ptr, so.len, rs.ptr, rs.len, false));
	assert_false(crypt_verify(CRYPT_SIG_ECDSA_SHA256, east, so.ptr, so.len, rs.ptr, rs.len, false));
	/* not a certificate */
	assert_null(crypt_pubkey_from_cert(so.ptr, so.len));
	crypt_pubkey_free(west);
	crypt_pubkey_free(east);
	chunk_free(&so);
	chunk_free(&rs);
	chunk_free(&cert_i);
	chunk_free(&cert_r);
	vecfile_free(vf);
}

static void algorithm_identifiers(void **state)
{
	/* RFC 7427 A.3.1 / A.4.3: ecdsa-with-SHA256 and sha256WithRSAEncryption */
	static const uint8_t ecdsa256[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
					    0x04, 0x03, 0x02 };
	static const uint8_t rsa256[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
					  0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 };
	enum crypt_sig s;
	assert_true(sigalg_from_der(ecdsa256, sizeof(ecdsa256), &s));
	assert_int_equal(s, CRYPT_SIG_ECDSA_SHA256);
	assert_true(sigalg_from_der(rsa256, sizeof(rsa256), &s));
	assert_int_equal(s, CRYPT_SIG_RSA_PKCS1_SHA256);
	assert_false(sigalg_from_der(rsa256, sizeof(rsa256) - 1, &s));
	/* every scheme's identifier names it again; PSS is 67 octets (RFC 7427 A.4.1) */
	for (int i = CRYPT_SIG_RSA_PKCS1_SHA1; i <= CRYPT_SIG_ECDSA_SHA512; i++) {
		size_t len;
		const uint8_t *der = sigalg_der((enum crypt_sig)i, &len);
		assert_non_null(der);
		assert_true(len <= SIGALG_MAX_ALGID);
		assert_true(sigalg_from_der(der, len, &s));
		assert_int_equal(s, i);
		if (i >= CRYPT_SIG_RSA_PSS_SHA256 && i <= CRYPT_SIG_RSA_PSS_SHA512)
			assert_int_equal(len, 67);
	}
	/* AUTH data: length | identifier | signature, and back */
	uint8_t out[256];
	const uint8_t sig[] = { 1, 2, 3, 4 };
	size_t n = sigalg_put_auth(CRYPT_SIG_ECDSA_SHA256, sig, sizeof(sig), out, sizeof(out));
	assert_int_equal(n, 1 + sizeof(ecdsa256) + sizeof(sig));
	assert_int_equal(out[0], sizeof(ecdsa256));
	const uint8_t *got;
	size_t glen;
	assert_true(sigalg_parse_auth(out, n, &s, &got, &glen));
	assert_int_equal(s, CRYPT_SIG_ECDSA_SHA256);
	assert_int_equal(glen, sizeof(sig));
	assert_memory_equal(got, sig, sizeof(sig));
	/* no signature, an identifier longer than the data, an unknown one */
	assert_false(sigalg_parse_auth(out, 1 + sizeof(ecdsa256), &s, &got, &glen));
	out[0] = 200;
	assert_false(sigalg_parse_auth(out, n, &s, &got, &glen));
	out[0] = sizeof(ecdsa256);
	out[5] ^= 1;
	assert_false(sigalg_parse_auth(out, n, &s, &got, &glen));
	assert_int_equal(sigalg_put_auth(CRYPT_SIG_RSA_PSS_SHA512, sig, sizeof(sig), out, 20), 0);
}

static void hashes_and_choice(void **state)
{
	uint8_t n8[16];
	size_t n = sigalg_put_hashes(n8, sizeof(n8));
	assert_int_equal(n, 6);
	uint16_t h[SIGALG_MAX_HASHES];
	unsigned nh;
	assert_true(sigalg_parse_hashes(n8, n, h, &nh));
	assert_int_equal(nh, 3);
	assert_int_equal(h[0], IKE_HASH_SHA2_256);
	assert_false(sigalg_parse_hashes(n8, 5, h, &nh));
	/* unknown values are skipped */
	const uint8_t odd[] = { 0x00, 0x09, 0x00, 0x04 };
	assert_true(sigalg_parse_hashes(odd, sizeof(odd), h, &nh));
	assert_int_equal(nh, 1);
	assert_int_equal(h[0], IKE_HASH_SHA2_512);

	enum crypt_sig s;
	const uint16_t all[] = { IKE_HASH_SHA2_256, IKE_HASH_SHA2_384, IKE_HASH_SHA2_512 };
	assert_true(sigalg_choose(CRYPT_KEY_EC_P384, false, all, 3, &s));
	assert_int_equal(s, CRYPT_SIG_ECDSA_SHA384);
	assert_true(sigalg_choose(CRYPT_KEY_RSA, false, all, 3, &s));
	assert_int_equal(s, CRYPT_SIG_RSA_PSS_SHA256);
	assert_true(sigalg_choose(CRYPT_KEY_RSA, true, all, 3, &s));
	assert_int_equal(s, CRYPT_SIG_RSA_PKCS1_SHA256);
	/* the strongSwan initiator constrained to SHA-256 only (the PSS transcript) */
	const uint16_t only512[] = { IKE_HASH_SHA2_512 };
	assert_true(sigalg_choose(CRYPT_KEY_EC_P256, false, only512, 1, &s));
	assert_int_equal(s, CRYPT_SIG_ECDSA_SHA512);
	const uint16_t sha1[] = { IKE_HASH_SHA1 };
	assert_false(sigalg_choose(CRYPT_KEY_RSA, false, sha1, 1, &s));
	assert_false(sigalg_choose(CRYPT_KEY_OTHER, false, all, 3, &s));

	enum crypt_key_kind kind;
	assert_true(sigalg_for_method(IKE_AUTH_ECDSA_384, &s, &kind));
	assert_int_equal(s, CRYPT_SIG_ECDSA_SHA384);
	assert_int_equal(kind, CRYPT_KEY_EC_P384);
	assert_true(sigalg_for_method(IKE_AUTH_RSA_SIG, &s, &kind));
	assert_int_equal(s, CRYPT_SIG_RSA_PKCS1_SHA1);
	assert_false(sigalg_for_method(IKE_AUTH_PSK, &s, &kind));
	/* the other way: the older method each kind of key signs with */
	assert_int_equal(sigalg_method_for_key(CRYPT_KEY_RSA), IKE_AUTH_RSA_SIG);
	assert_int_equal(sigalg_method_for_key(CRYPT_KEY_EC_P521), IKE_AUTH_ECDSA_521);
	assert_int_equal(sigalg_method_for_key(CRYPT_KEY_OTHER), 0);
	/* RFC 7427 4: a peer may use only the SHA-2 hashes we announce */
	assert_true(sigalg_we_announce(IKE_HASH_SHA2_384));
	assert_false(sigalg_we_announce(IKE_HASH_SHA1));
	assert_false(sigalg_we_announce(IKE_HASH_IDENTITY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(algorithm_identifiers),
		cmocka_unit_test(hashes_and_choice),
		cmocka_unit_test(transcript_raw_ecdsa),
		cmocka_unit_test(ecdsa_curves),
		cmocka_unit_test(rsa_schemes),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
