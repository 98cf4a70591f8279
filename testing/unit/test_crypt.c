/* test_crypt.c -- lib/libcrypt: PRF (RFC 4231), prf+ (RFC 7296 2.13), integrity
 * (RFC 4868 truncation), AES-GCM (NIST and a strongSwan transcript), AES-CBC (RFC 3602).
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

#define TRANSCRIPT VECTORS_DIR "/strongswan-x25519-mlkem768-psk.txt"

static void test_init_idempotent(void **state)
{
	char err[256];
	assert_true(crypt_init(NULL, err, sizeof(err)));
	uint8_t a[32] = { 0 }, b[32] = { 0 }, zero[32] = { 0 };
	assert_true(crypt_random(a, sizeof(a)));
	assert_true(crypt_random(b, sizeof(b)));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
}

/* --- RFC 4231 section 4: HMAC-SHA-256/384/512 test cases 1-7 --- */

struct rfc4231 {
	const char *key, *data, *sha256, *sha384, *sha512;
};

static const struct rfc4231 rfc4231[] = {
	{ /* 4.2 Test Case 1 */
	  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	  "faea9ea9076ede7f4af152e8b2fa9cb6",
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	{ /* 4.3 Test Case 2: key "Jefe" */
	  "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	  "8e2240ca5e69e2c78b3239ecfab21649",
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	{ /* 4.4 Test Case 3 */
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	  "dddddddddddddddddddddddddddd",
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	  "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	  "2a5ab39dc13814b94e3ab6e101a34f27",
	  "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	  "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
	{ /* 4.5 Test Case 4 */
	  "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	  "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
	  "6801dd23c4a7d679ccf8a386c674cffb",
	  "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	  "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
	{ /* 4.6 Test Case 5: "Test With Truncation", output truncated to 128 bits */
	  "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  "546573742057697468205472756e636174696f6e",
	  "a3b6167473100ee06e0c796c2955552b",
	  "3abf34c3503b2a23a46efc619baef897",
	  "415fad6271580a531d4179bc891d87a6" },
	{ /* 4.7 Test Case 6: 131-octet key, hashed first */
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
	  "65204b6579202d2048617368204b6579204669727374",
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	  "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	  "0c2ef6ab4030fe8296248df163f44952",
	  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	{ /* 4.8 Test Case 7: large key and large data */
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "5468697320697320612074657374207573696e672061206c6172676572207468"
	  "616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
	  "68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
	  "647320746f20626520686173686564206265666f7265206265696e6720757365"
	  "642062792074686520484d414320616c676f726974686d2e",
	  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	  "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
	  "a678cc31e799176d3860e6110c46523e",
	  "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	  "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
};

static void check_hmac(enum ike_prf prf, const struct rfc4231 *tc, const char *expect)
{
	struct chunk key = testutil_hex(tc->key), data = testutil_hex(tc->data);
	struct chunk want = testutil_hex(expect);
	uint8_t out[CRYPT_MAX_PRF_LEN];
	struct iov iov = { data.ptr, data.len };
	assert_true(crypt_prf(prf, key.ptr, key.len, &iov, 1, out));
	assert_memory_equal(out, want.ptr, want.len);	/* TC5 compares a prefix */
	/* the same data split into pieces (and an empty piece) gives the same MAC */
	if (data.len >= 3) {
		uint8_t out2[CRYPT_MAX_PRF_LEN];
		struct iov parts[] = { { data.ptr, 1 }, { NULL, 0 }, { data.ptr + 1, data.len - 1 } };
		assert_true(crypt_prf(prf, key.ptr, key.len, parts, 3, out2));
		assert_memory_equal(out, out2, crypt_prf_len(prf));
	}
	chunk_free(&key);
	chunk_free(&data);
	chunk_free(&want);
}

static void test_rfc4231(void **state)
{
	for (size_t i = 0; i < sizeof(rfc4231) / sizeof(rfc4231[0]); i++) {
		check_hmac(IKE_PRF_HMAC_SHA2_256, &rfc4231[i], rfc4231[i].sha256);
		check_hmac(IKE_PRF_HMAC_SHA2_384, &rfc4231[i], rfc4231[i].sha384);
		check_hmac(IKE_PRF_HMAC_SHA2_512, &rfc4231[i], rfc4231[i].sha512);
	}
}

static void test_prf_table(void **state)
{
	assert_int_equal(crypt_prf_len(IKE_PRF_HMAC_SHA1), 20);
	assert_int_equal(crypt_prf_len(IKE_PRF_HMAC_SHA2_256), 32);
	assert_int_equal(crypt_prf_len(IKE_PRF_HMAC_SHA2_384), 48);
	assert_int_equal(crypt_prf_len(IKE_PRF_HMAC_SHA2_512), 64);
	assert_int_equal(crypt_prf_len((enum ike_prf)1), 0);	/* HMAC-MD5: not supported */
	assert_false(crypt_prf_supported((enum ike_prf)1));
	uint8_t out[CRYPT_MAX_PRF_LEN];
	assert_false(crypt_prf((enum ike_prf)1, (const uint8_t *)"k", 1, NULL, 0, out));
}

/* HMAC pads keys with zeros (RFC 2104 2), so an empty key equals a one-zero key. */
static void test_prf_empty_key(void **state)
{
	uint8_t a[CRYPT_MAX_PRF_LEN], b[CRYPT_MAX_PRF_LEN];
	static const uint8_t zero = 0;
	struct iov d = { "abc", 3 };
	assert_true(crypt_prf(IKE_PRF_HMAC_SHA2_256, NULL, 0, &d, 1, a));
	assert_true(crypt_prf(IKE_PRF_HMAC_SHA2_256, &zero, 1, &d, 1, b));
	assert_memory_equal(a, b, 32);
}

/* RFC 7296 2.13 computed block by block with crypt_prf */
static void test_prfplus(void **state)
{
	static const enum ike_prf prfs[] = { IKE_PRF_HMAC_SHA1, IKE_PRF_HMAC_SHA2_256,
					     IKE_PRF_HMAC_SHA2_384, IKE_PRF_HMAC_SHA2_512 };
	uint8_t key[40], s1[13], s2[70];
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 1);
	memset(s1, 0x51, sizeof(s1));
	memset(s2, 0xa2, sizeof(s2));
	struct iov seed[] = { { s1, sizeof(s1) }, { s2, sizeof(s2) } };
	for (size_t p = 0; p < 4; p++) {
		enum ike_prf prf = prfs[p];
		size_t h = crypt_prf_len(prf), outlen = 255 * h;
		uint8_t *got = malloc(outlen), *want = malloc(outlen);
		assert_true(crypt_prfplus(prf, key, sizeof(key), seed, 2, got, outlen));
		uint8_t t[CRYPT_MAX_PRF_LEN];
		for (unsigned n = 1; n <= 255; n++) {
			uint8_t c = (uint8_t)n;
			struct iov in[] = { { t, n > 1 ? h : 0 }, seed[0], seed[1], { &c, 1 } };
			assert_true(crypt_prf(prf, key, sizeof(key), in, 4, t));
			memcpy(want + (n - 1) * h, t, h);
		}
		assert_memory_equal(got, want, outlen);
		/* a shorter output is a prefix; more than 255 blocks is refused */
		uint8_t part[77];
		assert_true(crypt_prfplus(prf, key, sizeof(key), seed, 2, part, sizeof(part)));
		assert_memory_equal(part, want, sizeof(part));
		assert_false(crypt_prfplus(prf, key, sizeof(key), seed, 2, got, outlen + 1));
		free(got);
		free(want);
	}
}

/* RFC 4868 2.6 / RFC 2404: the ICV is the leftmost half of the HMAC */
static void test_integ(void **state)
{
	static const struct {
		enum ike_integ integ;
		enum ike_prf prf;
		size_t keylen, icvlen;
	} t[] = {
		{ IKE_INTEG_HMAC_SHA1_96, IKE_PRF_HMAC_SHA1, 20, 12 },
		{ IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256, 32, 16 },
		{ IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_384, 48, 24 },
		{ IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512, 64, 32 },
	};
	uint8_t key[64], msg[100], icv[CRYPT_MAX_ICV_LEN + 8], full[CRYPT_MAX_PRF_LEN];
	memset(key, 0x3c, sizeof(key));
	memset(msg, 0x11, sizeof(msg));
	struct iov d = { msg, sizeof(msg) };
	for (size_t i = 0; i < 4; i++) {
		assert_true(crypt_integ_supported(t[i].integ));
		assert_int_equal(crypt_integ_keylen(t[i].integ), t[i].keylen);
		assert_int_equal(crypt_integ_icvlen(t[i].integ), t[i].icvlen);
		memset(icv, 0xee, sizeof(icv));
		assert_true(crypt_integ(t[i].integ, key, t[i].keylen, &d, 1, icv));
		assert_true(crypt_prf(t[i].prf, key, t[i].keylen, &d, 1, full));
		assert_memory_equal(icv, full, t[i].icvlen);
		assert_int_equal(icv[t[i].icvlen], 0xee);	/* nothing written past the ICV */
		assert_false(crypt_integ(t[i].integ, key, t[i].keylen - 1, &d, 1, icv));
	}
	/* RFC 4231 4.2 under HMAC-SHA2-256-128 (RFC 4868 2.7.2.1 uses the same inputs
	 * with a 32-octet key; here the 20-octet key is refused) */
	assert_false(crypt_integ_supported(IKE_INTEG_NONE));
	assert_int_equal(crypt_integ_icvlen(IKE_INTEG_NONE), 0);
}

static void test_encr_info(void **state)
{
	struct crypt_encr_info i;
	assert_true(crypt_encr_info(IKE_ENCR_AES_GCM_16, 256, &i));
	assert_true(i.aead);
	assert_int_equal(i.keylen, 36);
	assert_int_equal(i.saltlen, 4);
	assert_int_equal(i.ivlen, 8);
	assert_int_equal(i.icvlen, 16);
	assert_int_equal(i.blocklen, 1);
	assert_true(crypt_encr_info(IKE_ENCR_AES_GCM_16, 128, &i));
	assert_int_equal(i.keylen, 20);
	assert_true(crypt_encr_info(IKE_ENCR_AES_CBC, 192, &i));
	assert_false(i.aead);
	assert_int_equal(i.keylen, 24);
	assert_int_equal(i.ivlen, 16);
	assert_int_equal(i.blocklen, 16);
	assert_false(crypt_encr_info(IKE_ENCR_AES_GCM_16, 0, &i));
	assert_false(crypt_encr_info(IKE_ENCR_AES_CBC, 0, &i));
	assert_false(crypt_encr_info(IKE_ENCR_AES_CBC, 512, &i));
	assert_false(crypt_encr_info(IKE_ENCR_3DES, 0, &i));
	assert_false(crypt_encr_info(IKE_ENCR_AES_GCM_8, 128, &i));
}

/* GCM spec test case 4 (AES-128, 96-bit IV, AAD): in RFC 5282 terms the first four
 * IV octets are the salt at the end of SK_e and the other eight the explicit IV. */
static void test_gcm_nist(void **state)
{
	struct chunk key = testutil_hex("feffe9928665731c6d6a8f9467308308" "cafebabe");
	struct chunk iv = testutil_hex("facedbaddecaf888");
	struct chunk aad = testutil_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
	struct chunk pt = testutil_hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
			      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
	struct chunk want = testutil_hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
				"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
				"5bc94fbc3221a5db94fae95ae7121a47");
	uint8_t ct[128], back[128];
	assert_true(crypt_aead_encrypt(IKE_ENCR_AES_GCM_16, key.ptr, key.len, iv.ptr, aad.ptr,
				       aad.len, pt.ptr, pt.len, ct));
	assert_memory_equal(ct, want.ptr, want.len);
	assert_true(crypt_aead_decrypt(IKE_ENCR_AES_GCM_16, key.ptr, key.len, iv.ptr, aad.ptr,
				       aad.len, ct, want.len, back));
	assert_memory_equal(back, pt.ptr, pt.len);
	chunk_free(&key);
	chunk_free(&iv);
	chunk_free(&aad);
	chunk_free(&pt);
	chunk_free(&want);
}

/* A real SKF fragment from the strongSwan transcript (AES-256-GCM-16). */
static void test_gcm_transcript(void **state)
{
	struct chunk key = testutil_vector(TRANSCRIPT, "ike_sa_init.sk_ei");
	struct chunk iv = testutil_vector(TRANSCRIPT, "ike_intermediate.request.frag1.aead.iv");
	struct chunk aad = testutil_vector(TRANSCRIPT, "ike_intermediate.request.frag1.aead.aad");
	struct chunk pt = testutil_vector(TRANSCRIPT, "ike_intermediate.request.frag1.aead.plaintext");
	struct chunk pad = testutil_vector(TRANSCRIPT, "ike_intermediate.request.frag1.aead.padding");
	struct chunk ct = testutil_vector(TRANSCRIPT, "ike_intermediate.request.frag1.aead.ciphertext");
	struct chunk icv = testutil_vector(TRANSCRIPT, "ike_intermediate.request.frag1.aead.icv");
	assert_int_equal(key.len, 36);
	size_t n = ct.len;
	assert_int_equal(pt.len + pad.len, n);
	struct chunk in = chunk_alloc(n + 16), out = chunk_alloc(n + 16);
	memcpy(in.ptr, ct.ptr, n);
	memcpy(in.ptr + n, icv.ptr, 16);
	assert_true(crypt_aead_decrypt(IKE_ENCR_AES_GCM_16, key.ptr, key.len, iv.ptr, aad.ptr,
				       aad.len, in.ptr, n + 16, out.ptr));
	assert_memory_equal(out.ptr, pt.ptr, pt.len);
	assert_memory_equal(out.ptr + pt.len, pad.ptr, pad.len);
	/* and encrypting the plaintext gives the wire bytes */
	struct chunk again = chunk_alloc(n + 16);
	assert_true(crypt_aead_encrypt(IKE_ENCR_AES_GCM_16, key.ptr, key.len, iv.ptr, aad.ptr,
				       aad.len, out.ptr, n, again.ptr));
	assert_memory_equal(again.ptr, in.ptr, n + 16);
	/* a flipped bit in the tag, the ciphertext or the AAD is rejected, out wiped */
	size_t flips[] = { n + 15, 0, n / 2 };
	for (size_t i = 0; i < 3; i++) {
		in.ptr[flips[i]] ^= 0x01;
		memset(out.ptr, 0x55, n);
		assert_false(crypt_aead_decrypt(IKE_ENCR_AES_GCM_16, key.ptr, key.len, iv.ptr,
						aad.ptr, aad.len, in.ptr, n + 16, out.ptr));
		for (size_t j = 0; j < n; j++)
			assert_int_equal(out.ptr[j], 0);
		in.ptr[flips[i]] ^= 0x01;
	}
	aad.ptr[0] ^= 0x80;
	assert_false(crypt_aead_decrypt(IKE_ENCR_AES_GCM_16, key.ptr, key.len, iv.ptr, aad.ptr,
					aad.len, in.ptr, n + 16, out.ptr));
	/* too short to hold a tag */
	assert_false(crypt_aead_decrypt(IKE_ENCR_AES_GCM_16, key.ptr, key.len, iv.ptr, aad.ptr,
					aad.len, in.ptr, 15, out.ptr));
	struct chunk *all[] = { &key, &iv, &aad, &pt, &pad, &ct, &icv, &in, &out, &again };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		chunk_free(all[i]);
}

static void test_gcm_keysizes(void **state)
{
	static const unsigned bits[] = { 128, 192, 256 };
	uint8_t key[36], iv[8], aad[12], pt[1024], ct[1024 + 16], back[1024];
	assert_true(crypt_random(key, sizeof(key)));
	assert_true(crypt_random(iv, sizeof(iv)));
	memset(aad, 7, sizeof(aad));
	memset(pt, 9, sizeof(pt));
	for (size_t i = 0; i < 3; i++) {
		struct crypt_encr_info info;
		assert_true(crypt_encr_info(IKE_ENCR_AES_GCM_16, bits[i], &info));
		assert_true(crypt_aead_encrypt(IKE_ENCR_AES_GCM_16, key, info.keylen, iv, aad,
					       sizeof(aad), pt, sizeof(pt), ct));
		assert_true(crypt_aead_decrypt(IKE_ENCR_AES_GCM_16, key, info.keylen, iv, aad,
					       sizeof(aad), ct, sizeof(ct), back));
		assert_memory_equal(back, pt, sizeof(pt));
		/* the salt is part of the nonce: another salt, another tag */
		key[info.keylen - 1] ^= 1;
		assert_false(crypt_aead_decrypt(IKE_ENCR_AES_GCM_16, key, info.keylen, iv, aad,
						sizeof(aad), ct, sizeof(ct), back));
		key[info.keylen - 1] ^= 1;
	}
	/* empty plaintext: just a tag */
	assert_true(crypt_aead_encrypt(IKE_ENCR_AES_GCM_16, key, 20, iv, aad, sizeof(aad), pt, 0, ct));
	assert_true(crypt_aead_decrypt(IKE_ENCR_AES_GCM_16, key, 20, iv, aad, sizeof(aad), ct, 16, back));
	/* bad key lengths and other transforms */
	assert_false(crypt_aead_encrypt(IKE_ENCR_AES_GCM_16, key, 16, iv, aad, 0, pt, 16, ct));
	assert_false(crypt_aead_encrypt(IKE_ENCR_AES_CBC, key, 20, iv, aad, 0, pt, 16, ct));
}

/* RFC 3602 4, cases 1 and 2 */
static void test_cbc_rfc3602(void **state)
{
	static const struct {
		const char *key, *iv, *pt, *ct;
	} t[] = {
		{ "06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
		  "53696e676c6520626c6f636b206d7367", "e353779c1079aeb82708942dbe77181a" },
		{ "c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
		  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		  "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1" },
	};
	for (size_t i = 0; i < 2; i++) {
		struct chunk key = testutil_hex(t[i].key), iv = testutil_hex(t[i].iv);
		struct chunk pt = testutil_hex(t[i].pt), ct = testutil_hex(t[i].ct);
		uint8_t buf[64];
		assert_true(crypt_cbc(IKE_ENCR_AES_CBC, true, key.ptr, key.len, iv.ptr, pt.ptr,
				      pt.len, buf));
		assert_memory_equal(buf, ct.ptr, ct.len);
		/* in place */
		assert_true(crypt_cbc(IKE_ENCR_AES_CBC, false, key.ptr, key.len, iv.ptr, buf,
				      ct.len, buf));
		assert_memory_equal(buf, pt.ptr, pt.len);
		chunk_free(&key);
		chunk_free(&iv);
		chunk_free(&pt);
		chunk_free(&ct);
	}
}

static void test_cbc_roundtrip(void **state)
{
	static const size_t keylens[] = { 16, 24, 32 };
	uint8_t key[32], iv[16], pt[256], buf[256];
	assert_true(crypt_random(key, sizeof(key)));
	assert_true(crypt_random(iv, sizeof(iv)));
	assert_true(crypt_random(pt, sizeof(pt)));
	for (size_t i = 0; i < 3; i++) {
		memcpy(buf, pt, sizeof(pt));
		assert_true(crypt_cbc(IKE_ENCR_AES_CBC, true, key, keylens[i], iv, buf, sizeof(buf), buf));
		assert_memory_not_equal(buf, pt, sizeof(pt));
		assert_true(crypt_cbc(IKE_ENCR_AES_CBC, false, key, keylens[i], iv, buf, sizeof(buf), buf));
		assert_memory_equal(buf, pt, sizeof(pt));
	}
	assert_false(crypt_cbc(IKE_ENCR_AES_CBC, true, key, 16, iv, pt, 15, buf));	/* not a block multiple */
	assert_false(crypt_cbc(IKE_ENCR_AES_CBC, true, key, 20, iv, pt, 16, buf));	/* bad key length */
	assert_false(crypt_cbc(IKE_ENCR_AES_GCM_16, true, key, 16, iv, pt, 16, buf));
}

/* The NSS and OpenSSL implementations (backend.h) give the same octets for every
 * symmetric primitive, over lengths around the block sizes; a tampered AEAD message
 * fails in both.  (The known answers above run through the library backend.c chose.) */
static void test_libraries_agree(void **state)
{
	static const enum ike_prf prfs[] = { IKE_PRF_HMAC_SHA1, IKE_PRF_HMAC_SHA2_256,
					     IKE_PRF_HMAC_SHA2_384, IKE_PRF_HMAC_SHA2_512 };
	static const size_t lens[] = { 0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 1500 };
	uint8_t key[200], in[1600], a[1700], b[1700], iv[16];
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(3 * i + 1);
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(7 * i + 5);
	memset(iv, 0xa5, sizeof(iv));
	for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
		size_t n = lens[l];
		struct iov d = { in, n };
		for (size_t p = 0; p < 4; p++) {
			/* keys shorter and longer than the block (RFC 2104 3) */
			size_t kl = n % 2 ? 150 : 20;
			assert_true(crypt_prf_lib(CRYPT_LIB_NSS, prfs[p], key, kl, &d, 1, a));
			assert_true(crypt_prf_lib(CRYPT_LIB_OPENSSL, prfs[p], key, kl, &d, 1, b));
			assert_memory_equal(a, b, crypt_prf_len(prfs[p]));
			assert_true(crypt_prfplus_lib(CRYPT_LIB_NSS, prfs[p], key, 32, &d, 1, a, 200));
			assert_true(crypt_prfplus_lib(CRYPT_LIB_OPENSSL, prfs[p], key, 32, &d, 1, b, 200));
			assert_memory_equal(a, b, 200);
		}
		for (enum crypt_hash h = CRYPT_SHA1; h <= CRYPT_SHA512; h++) {
			assert_true(crypt_hash_lib(CRYPT_LIB_NSS, h, &d, 1, a));
			assert_true(crypt_hash_lib(CRYPT_LIB_OPENSSL, h, &d, 1, b));
			assert_memory_equal(a, b, crypt_hash_len(h));
		}
		for (size_t kl = 16; kl <= 32; kl += 8) {
			assert_true(crypt_gcm_lib(CRYPT_LIB_NSS, true, key, kl + 4, iv, in + 1, 28, in, n,
						  a, n + 16));
			assert_true(crypt_gcm_lib(CRYPT_LIB_OPENSSL, true, key, kl + 4, iv, in + 1, 28, in,
						  n, b, n + 16));
			assert_memory_equal(a, b, n + 16);
			for (int lib = CRYPT_LIB_NSS; lib <= CRYPT_LIB_OPENSSL; lib++) {
				assert_true(crypt_gcm_lib(lib, false, key, kl + 4, iv, in + 1, 28, a, n + 16,
							  b, n));
				if (n > 0)
					assert_memory_equal(b, in, n);
				a[n / 2] ^= 1;	/* ciphertext or tag */
				assert_false(crypt_gcm_lib(lib, false, key, kl + 4, iv, in + 1, 28, a,
							   n + 16, b, n));
				a[n / 2] ^= 1;
			}
			size_t cl = n / 16 * 16;
			assert_true(crypt_cbc_lib(CRYPT_LIB_NSS, true, key, kl, iv, in, cl, a));
			assert_true(crypt_cbc_lib(CRYPT_LIB_OPENSSL, true, key, kl, iv, in, cl, b));
			assert_memory_equal(a, b, cl);
			assert_true(crypt_cbc_lib(CRYPT_LIB_OPENSSL, false, key, kl, iv, b, cl, b));
			assert_memory_equal(b, in, cl);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_idempotent),
		cmocka_unit_test(test_rfc4231),
		cmocka_unit_test(test_prf_table),
		cmocka_unit_test(test_prf_empty_key),
		cmocka_unit_test(test_prfplus),
		cmocka_unit_test(test_integ),
		cmocka_unit_test(test_encr_info),
		cmocka_unit_test(test_gcm_nist),
		cmocka_unit_test(test_gcm_transcript),
		cmocka_unit_test(test_gcm_keysizes),
		cmocka_unit_test(test_cbc_rfc3602),
		cmocka_unit_test(test_cbc_roundtrip),
		cmocka_unit_test(test_libraries_agree),
	};
	int r = cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
	crypt_shutdown();
	return r;
}
