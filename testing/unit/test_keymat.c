/* test_keymat.c -- lib/libike/keymat.c against the ACVP IKEv2 KDF subset
 * (SP 800-135 4.1.2), the strongSwan X25519 + ML-KEM-768 transcript
 * (RFC 7296 2.14/2.17/2.18, RFC 9370 2.2.2/2.2.4) and HMAC values computed
 * elsewhere for the RFC 8784 3 PPK mixing.
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
#include "keymat.h"

#define TRANSCRIPT VECTORS_DIR "/strongswan-x25519-mlkem768-psk.txt"
#define ACVP VECTORS_DIR "/acvp/kdf-components-ikev2-1.0/internalProjection.subset.json"

static struct chunk vector(const char *name)
{
	return testutil_vector(TRANSCRIPT, name);
}

static void assert_chunk_eq(const struct chunk *got, const struct chunk *want)
{
	assert_int_equal(got->len, want->len);
	if (want->len)
		assert_memory_equal(got->ptr, want->ptr, want->len);
}

static void expect_key(const struct chunk *got, const char *name)
{
	struct chunk want = vector(name);
	assert_chunk_eq(got, &want);
	chunk_free(&want);
}

/* --- ACVP: a minimal reader for the fields of internalProjection.json --- */

/* The value after "name": in [p, end), as a string (into out) */
static const char *json_field(const char *p, const char *end, const char *name)
{
	char key[64];
	snprintf(key, sizeof(key), "\"%s\":", name);
	const char *q = strstr(p, key);
	assert_true(q != NULL && q < end);
	q += strlen(key);
	while (*q == ' ')
		q++;
	return q;
}

static struct chunk json_hex(const char *p, const char *end, const char *name)
{
	const char *q = json_field(p, end, name);
	assert_int_equal(*q, '"');
	q++;
	return testutil_hexn(q, strcspn(q, "\""));
}

static long json_num(const char *p, const char *end, const char *name)
{
	return strtol(json_field(p, end, name), NULL, 10);
}

static const char *next_or_end(const char *p, const char *what, const char *end)
{
	const char *q = strstr(p, what);
	return q != NULL && q < end ? q : end;
}

struct acvp_group {
	enum ike_prf prf;
	size_t dkm, dkm_child;	/* octets */
};

/* Derive the full ike_keys stream long enough to cover want; return it joined. */
static struct chunk ike_stream(enum ike_prf prf, const struct chunk *skeyseed,
			       const struct chunk *ni, const struct chunk *nr,
			       const struct chunk *spi_i, const struct chunk *spi_r, size_t len)
{
	size_t h = crypt_prf_len(prf);
	struct keymat_sizes sz = { h, 0, len > 3 * h ? (len - 3 * h + 1) / 2 : 0 };
	struct ike_keys k;
	assert_true(keymat_ike_keys(prf, skeyseed, ni, nr, spi_i->ptr, spi_r->ptr, &sz, &k));
	struct chunk all = chunk_alloc(3 * h + 2 * sz.encr);
	struct chunk *order[] = { &k.sk_d, &k.sk_ai, &k.sk_ar, &k.sk_ei, &k.sk_er, &k.sk_pi, &k.sk_pr };
	size_t off = 0;
	for (size_t i = 0; i < 7; i++) {
		if (order[i]->len)
			memcpy(all.ptr + off, order[i]->ptr, order[i]->len);
		off += order[i]->len;
	}
	assert_int_equal(off, all.len);
	keymat_free(&k);
	return all;
}

static void acvp_test(const struct acvp_group *g, const char *p, const char *end)
{
	struct chunk ni = json_hex(p, end, "nInit"), nr = json_hex(p, end, "nResp");
	struct chunk gir = json_hex(p, end, "gir"), gir_new = json_hex(p, end, "girNew");
	struct chunk spi_i = json_hex(p, end, "spiInit"), spi_r = json_hex(p, end, "spiResp");
	struct chunk w_seed = json_hex(p, end, "sKeySeed");
	struct chunk w_dkm = json_hex(p, end, "derivedKeyingMaterial");
	struct chunk w_child = json_hex(p, end, "derivedKeyingMaterialChild");
	struct chunk w_dh = json_hex(p, end, "derivedKeyingMaterialDh");
	struct chunk w_rekey = json_hex(p, end, "sKeySeedReKey");
	assert_int_equal(w_dkm.len, g->dkm);
	assert_int_equal(w_child.len, g->dkm_child);

	struct chunk skeyseed, child, dh, rekey;
	assert_true(keymat_skeyseed(g->prf, &ni, &nr, &gir, &skeyseed));
	assert_chunk_eq(&skeyseed, &w_seed);
	struct chunk dkm = ike_stream(g->prf, &skeyseed, &ni, &nr, &spi_i, &spi_r, g->dkm);
	assert_memory_equal(dkm.ptr, w_dkm.ptr, g->dkm);
	/* SK_d is the first prf-length octets of the DKM */
	struct chunk sk_d = { dkm.ptr, crypt_prf_len(g->prf) };
	assert_true(keymat_child(g->prf, &sk_d, NULL, &ni, &nr, g->dkm_child, &child));
	assert_chunk_eq(&child, &w_child);
	assert_true(keymat_child(g->prf, &sk_d, &gir_new, &ni, &nr, g->dkm_child, &dh));
	assert_chunk_eq(&dh, &w_dh);
	assert_true(keymat_rekey_skeyseed(g->prf, &sk_d, &gir_new, &ni, &nr, NULL, 0, &rekey));
	assert_chunk_eq(&rekey, &w_rekey);

	struct chunk *all[] = { &ni, &nr, &gir, &gir_new, &spi_i, &spi_r, &w_seed, &w_dkm,
				&w_child, &w_dh, &w_rekey, &skeyseed, &dkm, &child, &dh, &rekey };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		chunk_free(all[i]);
}

static enum ike_prf acvp_prf(const char *p, const char *end)
{
	const char *v = json_field(p, end, "hashAlg");
	if (strncmp(v, "\"SHA-1\"", 7) == 0)
		return IKE_PRF_HMAC_SHA1;
	if (strncmp(v, "\"SHA2-256\"", 10) == 0)
		return IKE_PRF_HMAC_SHA2_256;
	if (strncmp(v, "\"SHA2-384\"", 10) == 0)
		return IKE_PRF_HMAC_SHA2_384;
	if (strncmp(v, "\"SHA2-512\"", 10) == 0)
		return IKE_PRF_HMAC_SHA2_512;
	fail_msg("unknown hashAlg %.12s", v);
	return IKE_PRF_HMAC_SHA1;
}

static void test_acvp_ikev2_kdf(void **state)
{
	char *json = testutil_slurp(ACVP);
	const char *end = json + strlen(json);
	int ntests = 0;
	for (const char *g = strstr(json, "\"tgId\""); g != NULL && g < end;) {
		const char *gend = next_or_end(g + 1, "\"tgId\"", end);
		struct acvp_group grp = {
			.prf = acvp_prf(g, gend),
			.dkm = (size_t)json_num(g, gend, "derivedKeyingMaterialLength") / 8,
			.dkm_child = (size_t)json_num(g, gend, "derivedKeyingMaterialChildLength") / 8,
		};
		for (const char *t = strstr(g, "\"tcId\""); t != NULL && t < gend;) {
			const char *tend = next_or_end(t + 1, "\"tcId\"", gend);
			acvp_test(&grp, t, tend);
			ntests++;
			t = tend;
		}
		g = gend;
	}
	assert_int_equal(ntests, 11);
	free(json);
}

/* --- strongSwan transcript: X25519 in IKE_SA_INIT, ML-KEM-768 in IKE_INTERMEDIATE --- */

static const enum ike_prf ss_prf = IKE_PRF_HMAC_SHA2_384;	/* prfsha384, aes256gcm16 */
static const struct keymat_sizes ss_sizes = { 48, 0, 36 };

static void expect_keys(const struct ike_keys *k, const char *stage)
{
	static const char *names[] = { "sk_d", "sk_ai", "sk_ar", "sk_ei", "sk_er", "sk_pi", "sk_pr" };
	const struct chunk *got[] = { &k->sk_d, &k->sk_ai, &k->sk_ar, &k->sk_ei, &k->sk_er,
				      &k->sk_pi, &k->sk_pr };
	for (size_t i = 0; i < 7; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s.%s", stage, names[i]);
		expect_key(got[i], name);
	}
}

struct ss_sa {
	struct chunk ni, nr, spi_i, spi_r;
	struct ike_keys init, inter;	/* after IKE_SA_INIT, after IKE_INTERMEDIATE */
};

static void ss_sa_load(struct ss_sa *sa)
{
	sa->ni = vector("ike_sa_init.request.nonce");
	sa->nr = vector("ike_sa_init.response.nonce");
	sa->spi_i = vector("spi_i");
	sa->spi_r = vector("spi_r");
	struct chunk gir = vector("ike_sa_init.x25519.shared_secret");
	struct chunk sk1 = vector("ike_intermediate.mlkem768.shared_secret");
	assert_true(keymat_ike_sa_init(ss_prf, &sa->ni, &sa->nr, &gir, sa->spi_i.ptr, sa->spi_r.ptr,
				       &ss_sizes, &sa->init));
	assert_true(keymat_addke_update(ss_prf, &sa->init, &sk1, &sa->ni, &sa->nr, sa->spi_i.ptr,
					sa->spi_r.ptr, &ss_sizes, &sa->inter));
	chunk_free(&gir);
	chunk_free(&sk1);
}

static void ss_sa_free(struct ss_sa *sa)
{
	chunk_free(&sa->ni);
	chunk_free(&sa->nr);
	chunk_free(&sa->spi_i);
	chunk_free(&sa->spi_r);
	keymat_free(&sa->init);
	keymat_free(&sa->inter);
}

static void test_transcript_ike_sa_init(void **state)
{
	struct chunk ni = vector("ike_sa_init.request.nonce"), nr = vector("ike_sa_init.response.nonce");
	struct chunk gir = vector("ike_sa_init.x25519.shared_secret");
	struct chunk spi_i = vector("spi_i"), spi_r = vector("spi_r");
	struct chunk skeyseed;
	assert_true(keymat_skeyseed(ss_prf, &ni, &nr, &gir, &skeyseed));
	expect_key(&skeyseed, "ike_sa_init.skeyseed");
	struct ike_keys k;
	assert_true(keymat_ike_keys(ss_prf, &skeyseed, &ni, &nr, spi_i.ptr, spi_r.ptr, &ss_sizes, &k));
	expect_keys(&k, "ike_sa_init");
	keymat_free(&k);
	assert_null(k.sk_d.ptr);
	struct ss_sa sa;
	ss_sa_load(&sa);
	expect_keys(&sa.init, "ike_sa_init");
	ss_sa_free(&sa);
	struct chunk *all[] = { &ni, &nr, &gir, &spi_i, &spi_r, &skeyseed };
	for (size_t i = 0; i < 6; i++)
		chunk_free(all[i]);
}

/* RFC 9370 2.2.2 */
static void test_transcript_intermediate(void **state)
{
	struct ss_sa sa;
	ss_sa_load(&sa);
	expect_keys(&sa.inter, "ike_intermediate");
	/* SKEYSEED(1) = prf(SK_d(0), SK(1) | Ni | Nr): the same formula as a rekey's */
	struct chunk sk1 = vector("ike_intermediate.mlkem768.shared_secret"), skeyseed;
	assert_true(keymat_rekey_skeyseed(ss_prf, &sa.init.sk_d, &sk1, &sa.ni, &sa.nr, NULL, 0,
					  &skeyseed));
	expect_key(&skeyseed, "ike_intermediate.skeyseed");
	chunk_free(&skeyseed);
	chunk_free(&sk1);
	ss_sa_free(&sa);
}

/* RFC 7296 2.17: the IKE_AUTH Child SA, AES-GCM keys with salt, no integrity */
static void test_transcript_child(void **state)
{
	struct ss_sa sa;
	ss_sa_load(&sa);
	struct chunk km;
	assert_true(keymat_child(ss_prf, &sa.inter.sk_d, NULL, &sa.ni, &sa.nr, 72, &km));
	struct chunk ei = { km.ptr, 36 }, er = { km.ptr + 36, 36 };
	expect_key(&ei, "child1.encr_i");
	expect_key(&er, "child1.encr_r");
	chunk_free(&km);
	ss_sa_free(&sa);
}

/* RFC 9370 2.2.4: Child SA rekey with X25519 + IKE_FOLLOWUP_KE ML-KEM-768 */
static void test_transcript_child_rekey(void **state)
{
	struct ss_sa sa;
	ss_sa_load(&sa);
	struct chunk ni = vector("child_rekey.create_child_sa.request.nonce");
	struct chunk nr = vector("child_rekey.create_child_sa.response.nonce");
	struct chunk gir = vector("child_rekey.x25519.shared_secret");
	struct chunk sk1 = vector("child_rekey.mlkem768.shared_secret");
	struct chunk km;
	assert_true(keymat_child_addke(ss_prf, &sa.inter.sk_d, &gir, &ni, &nr, &sk1, 1, 72, &km));
	struct chunk ei = { km.ptr, 36 }, er = { km.ptr + 36, 36 };
	expect_key(&ei, "child_rekey.encr_i");
	expect_key(&er, "child_rekey.encr_r");
	struct chunk *all[] = { &ni, &nr, &gir, &sk1, &km };
	for (size_t i = 0; i < 5; i++)
		chunk_free(all[i]);
	ss_sa_free(&sa);
}

/* RFC 7296 2.18 + RFC 9370 2.2.4: IKE SA rekey */
static void test_transcript_ike_rekey(void **state)
{
	struct ss_sa sa;
	ss_sa_load(&sa);
	struct chunk ni = vector("ike_rekey.create_child_sa.request.nonce");
	struct chunk nr = vector("ike_rekey.create_child_sa.response.nonce");
	struct chunk spi_i = vector("ike_rekey.new_spi_i"), spi_r = vector("ike_rekey.new_spi_r");
	struct chunk gir = vector("ike_rekey.x25519.shared_secret");
	struct chunk sk1 = vector("ike_rekey.mlkem768.shared_secret");
	struct chunk skeyseed;
	assert_true(keymat_rekey_skeyseed(ss_prf, &sa.inter.sk_d, &gir, &ni, &nr, &sk1, 1, &skeyseed));
	expect_key(&skeyseed, "ike_rekey.skeyseed");
	struct ike_keys k;
	assert_true(keymat_ike_keys(ss_prf, &skeyseed, &ni, &nr, spi_i.ptr, spi_r.ptr, &ss_sizes, &k));
	expect_keys(&k, "ike_rekey");
	keymat_free(&k);
	struct chunk *all[] = { &ni, &nr, &spi_i, &spi_r, &gir, &sk1, &skeyseed };
	for (size_t i = 0; i < 7; i++)
		chunk_free(all[i]);
	ss_sa_free(&sa);
}

static void test_keymat_errors(void **state)
{
	struct chunk n = chunk_alloc(16), g = chunk_alloc(32), out = CHUNK_EMPTY;
	assert_false(keymat_skeyseed((enum ike_prf)1, &n, &n, &g, &out));
	assert_null(out.ptr);
	/* more than 255 prf+ blocks */
	assert_false(keymat_child(IKE_PRF_HMAC_SHA2_256, &g, NULL, &n, &n, 255 * 32 + 1, &out));
	assert_null(out.ptr);
	assert_false(keymat_child_addke(IKE_PRF_HMAC_SHA2_256, &g, NULL, &n, &n, NULL, 1, 32, &out));
	chunk_free(&n);
	chunk_free(&g);
}

/* --- RFC 8784 3: PPK mixing --- */

/* The expected values are HMAC(PPK, K | 0x01), the one block of prf+ that a key of the
 * PRF's length needs (RFC 7296 2.13: T1 = prf(K, S | 0x01)), computed outside this
 * code with Python's hmac module:
 *   hmac.new(ppk, bytes([fill]) * n + b"\x01", hashlib.sha256).hexdigest() */
struct ppk_case {
	enum ike_prf prf;
	size_t len;
	const char *d, *pi, *pr;
};

static const struct ppk_case ppk_cases[] = {
	{ IKE_PRF_HMAC_SHA2_256, 32,
	  "1f4e2f508d336bc47e0cc8f8136a687c39956933118bea7b38a66c7e3b4f1bc4",
	  "66cf175cb9cbd2403ac926c84a48ef73143f9bbad3cc41760016ab50c88057e4",
	  "ae1e51ba2848b1fa879fbfae569283577855bcd036275515bdff28d4bd428f70" },
	{ IKE_PRF_HMAC_SHA2_512, 64,
	  "31e811bbc1b6d7f0d98722f93efe711b4286d0210cadee567d112519c720121b"
	  "76af6bd4d70457d582c19cc57bea2cb1125b1250db6815647eb9033925fc7eb2",
	  "2515c890f70494f0fb031069eaa544cab4a392c2da55cca6cfebd4d9b67dda06"
	  "531e8fea81aa3e3a8564889bc526b00c6d1dee7e66ff8fca768056c7db9b482f",
	  "095384e9ce1f1915cfb708924ed4635d15cc24e13ecca3cc5e8002eb66ca8b99"
	  "e5e3041dcc7379e35a57f7aadea12f7467841657ca9fc35f316fe81dcaae1126" },
};

static struct chunk filled(uint8_t v, size_t n)
{
	struct chunk c = chunk_alloc(n);
	memset(c.ptr, v, n);
	return c;
}

static void expect_hex(const struct chunk *got, const char *hex)
{
	struct chunk want = testutil_hex(hex);
	assert_chunk_eq(got, &want);
	chunk_free(&want);
}

static void test_ppk_mix(void **state)
{
	static const char ppk_text[] = "interlude-unit-ppk-0123456789abcdef0123456789";
	struct chunk ppk = chunk_dup(ppk_text, strlen(ppk_text));
	for (size_t i = 0; i < sizeof(ppk_cases) / sizeof(ppk_cases[0]); i++) {
		const struct ppk_case *t = &ppk_cases[i];
		struct ike_keys k = {
			.sk_d = filled(0x11, t->len), .sk_pi = filled(0x22, t->len), .sk_pr = filled(0x33, t->len),
			.sk_ei = filled(0x44, 36), .sk_er = filled(0x55, 36),
		};
		struct ike_keys unmixed = { 0 };
		assert_true(keymat_ppk_mix(t->prf, &ppk, &k, &unmixed));
		/* SK_d' = prf+(PPK, SK_d), SK_pi' = prf+(PPK, SK_pi), SK_pr' = prf+(PPK, SK_pr),
		 * each as long as the key it replaces */
		expect_hex(&k.sk_d, t->d);
		expect_hex(&k.sk_pi, t->pi);
		expect_hex(&k.sk_pr, t->pr);
		/* SK_e and SK_a stay */
		struct chunk e = filled(0x44, 36);
		assert_chunk_eq(&k.sk_ei, &e);
		chunk_free(&e);
		assert_null(k.sk_ai.ptr);
		/* the keys before, for NO_PPK_AUTH and a responder without the PPK */
		struct chunk d = filled(0x11, t->len), pr = filled(0x33, t->len);
		assert_chunk_eq(&unmixed.sk_d, &d);
		assert_chunk_eq(&unmixed.sk_pr, &pr);
		assert_null(unmixed.sk_ei.ptr);
		keymat_ppk_revert(&k, &unmixed);
		assert_chunk_eq(&k.sk_d, &d);
		assert_chunk_eq(&k.sk_pr, &pr);
		assert_null(unmixed.sk_d.ptr);
		chunk_free(&d);
		chunk_free(&pr);
		keymat_free(&k);
		keymat_free(&unmixed);
	}
	/* no PPK, or no keys: nothing changes */
	struct ike_keys k = { .sk_d = filled(1, 32), .sk_pi = filled(2, 32), .sk_pr = filled(3, 32) }, u = { 0 };
	struct chunk none = CHUNK_EMPTY;
	assert_false(keymat_ppk_mix(IKE_PRF_HMAC_SHA2_256, &none, &k, &u));
	assert_non_null(k.sk_d.ptr);
	assert_null(u.sk_d.ptr);
	chunk_free(&k.sk_pr);
	assert_false(keymat_ppk_mix(IKE_PRF_HMAC_SHA2_256, &ppk, &k, &u));
	assert_null(u.sk_d.ptr);
	keymat_free(&k);
	chunk_free(&ppk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acvp_ikev2_kdf),
		cmocka_unit_test(test_transcript_ike_sa_init),
		cmocka_unit_test(test_transcript_intermediate),
		cmocka_unit_test(test_transcript_child),
		cmocka_unit_test(test_transcript_child_rekey),
		cmocka_unit_test(test_transcript_ike_rekey),
		cmocka_unit_test(test_keymat_errors),
		cmocka_unit_test(test_ppk_mix),
	};
	int r = cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
	crypt_shutdown();
	return r;
}
