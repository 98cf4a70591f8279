/* test_mlkem.c -- ML-KEM (FIPS 203) and SHA-3 (FIPS 202) in lib/libcrypt: every NIST ACVP
 * keyGen and encapDecap test case (vectors/README.md part B), SHA-3/SHAKE known answers,
 * and the key exchange methods 35/36/37 through the ke_* API.
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
#include "../../lib/libcrypt/mlkem.h"
#include "../../lib/libcrypt/ke_int.h"

#define ACVP_KEYGEN VECTORS_DIR "/acvp/ML-KEM-keyGen-FIPS203/internalProjection.json"
#define ACVP_ENCDEC VECTORS_DIR "/acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json"

/* --- a minimal walker for the ACVP internalProjection files ---
 *
 * The files are {"...": ..., "testGroups": [ {group fields, "tests": [ {test fields},
 * ... ]}, ... ]}.  Objects at depth 2 are groups, at depth 3 tests; string, number and
 * boolean members of both are kept as (name, text) slices of the file, and the callback
 * runs once per test object when it closes.  No escapes occur in these files. */
struct jfield {
	const char *name, *val;
	size_t namelen, vallen;
};

struct jobj {
	struct jfield f[16];
	size_t n;
};

static bool jget(const struct jobj *o, const char *name, const char **val, size_t *len)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->f[i].namelen == strlen(name) && memcmp(o->f[i].name, name, o->f[i].namelen) == 0) {
			*val = o->f[i].val;
			*len = o->f[i].vallen;
			return true;
		}
	return false;
}

static bool jis(const struct jobj *o, const char *name, const char *want)
{
	const char *v;
	size_t len;
	return jget(o, name, &v, &len) && len == strlen(want) && memcmp(v, want, len) == 0;
}

static struct chunk jhex(const struct jobj *o, const char *name)
{
	const char *v;
	size_t len;
	if (!jget(o, name, &v, &len))
		fail_msg("field %s missing", name);
	return testutil_hexn(v, len);
}

static void jput(struct jobj *o, const char *name, size_t namelen, const char *val, size_t vallen)
{
	if (o->n < sizeof(o->f) / sizeof(o->f[0]))
		o->f[o->n++] = (struct jfield){ name, val, namelen, vallen };
}

typedef void acvp_fn(const struct jobj *group, const struct jobj *test, void *arg);

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

/* Returns the number of test objects visited. */
static size_t acvp_walk(const char *path, acvp_fn *fn, void *arg)
{
	char *buf = testutil_slurp(path);
	struct jobj group = { .n = 0 }, test = { .n = 0 };
	struct jobj *objs[] = { NULL, NULL, &group, &test };
	const char *key = NULL;
	size_t keylen = 0, count = 0;
	int depth = 0;
	for (const char *p = buf; *p != '\0'; p++) {
		struct jobj *cur = depth >= 2 && depth <= 3 ? objs[depth] : NULL;
		if (*p == '{' || *p == '}' || *p == '[' || *p == ']') {
			if (*p == '{' && ++depth >= 2 && depth <= 3)
				objs[depth]->n = 0;
			if (*p == '}' && depth-- == 3) {
				fn(&group, &test, arg);
				count++;
			}
			key = NULL;
		} else if (*p == '"') {
			const char *s = p + 1, *e = strchr(s, '"');
			assert_non_null(e);
			p = e;
			if (*skip_space(e + 1) == ':') {
				key = s, keylen = (size_t)(e - s);
			} else if (key != NULL) {
				if (cur != NULL)
					jput(cur, key, keylen, s, (size_t)(e - s));
				key = NULL;
			}
		} else if (key != NULL && *p != ':' && *skip_space(p) == *p) {
			size_t n = strcspn(p, ",}] \n\r\t");	/* number, true, false */
			if (cur != NULL)
				jput(cur, key, keylen, p, n);
			p += n - 1;
			key = NULL;
		}
	}
	free(buf);
	return count;
}

static enum mlkem_set acvp_set(const struct jobj *group)
{
	if (jis(group, "parameterSet", "ML-KEM-512"))
		return MLKEM_512;
	if (jis(group, "parameterSet", "ML-KEM-768"))
		return MLKEM_768;
	if (jis(group, "parameterSet", "ML-KEM-1024"))
		return MLKEM_1024;
	fail_msg("unknown parameterSet");
	return MLKEM_512;
}

/* --- FIPS 202 known answers (NIST SHA-3 examples: "", "abc", 200 x 0xa3) --- */

struct sha3_kat {
	const char *msg;	/* NULL: 200 octets of 0xa3 */
	const char *sha3_256, *sha3_512, *shake128_32, *shake256_64;
};

static const struct sha3_kat sha3_kats[] = {
	{ "",
	  "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
	  "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
	  "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26",
	  "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26",
	  "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"
	  "d75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be" },
	{ "abc",
	  "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
	  "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
	  "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0",
	  "5881092dd818bf5cf8a3ddb793fbcba74097d5c526a6d35f97b83351940f2cc8",
	  "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739"
	  "d5a15bef186a5386c75744c0527e1faa9f8726e462a12a4feb06bd8801e751e4" },
	{ NULL,
	  "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787",
	  "e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca8"
	  "1b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00",
	  "131ab8d2b594946b9c81333f9bb6e0ce75c3b93104fa3469d3917457385da037",
	  "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d"
	  "2d700caae7396ece96604440577da4f3aa22aeb8857f961c4cd8e06f0ae6610b" },
};

static void check_hex(const uint8_t *got, const char *want_hex)
{
	struct chunk want = testutil_hex(want_hex);
	assert_memory_equal(got, want.ptr, want.len);
	chunk_free(&want);
}

static void test_sha3_kat(void **state)
{
	uint8_t a3[200], out[64];
	memset(a3, 0xa3, sizeof(a3));
	for (size_t i = 0; i < sizeof(sha3_kats) / sizeof(sha3_kats[0]); i++) {
		const struct sha3_kat *t = &sha3_kats[i];
		struct iov in = t->msg != NULL ? (struct iov){ t->msg, strlen(t->msg) }
					       : (struct iov){ a3, sizeof(a3) };
		keccak_sha3_256(&in, 1, out);
		check_hex(out, t->sha3_256);
		keccak_sha3_512(&in, 1, out);
		check_hex(out, t->sha3_512);
		keccak_shake128(&in, 1, out, 32);
		check_hex(out, t->shake128_32);
		keccak_shake256(&in, 1, out, 64);
		check_hex(out, t->shake256_64);
	}
}

/* Input split across iovs and output squeezed in odd pieces give the one-shot result. */
static void test_shake_pieces(void **state)
{
	uint8_t msg[300], whole[700], parts[700];
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 1);
	const struct iov one = { msg, sizeof(msg) };
	const struct iov three[] = { { msg, 5 }, { msg + 5, 160 }, { msg + 165, 135 } };
	keccak_shake128(&one, 1, whole, sizeof(whole));
	struct keccak_xof x;
	keccak_xof_init(&x, KECCAK_RATE_SHAKE128, 0x1f, three, 3);
	size_t pos = 0, step = 1;
	while (pos < sizeof(parts)) {
		size_t n = sizeof(parts) - pos < step ? sizeof(parts) - pos : step;
		keccak_xof_squeeze(&x, parts + pos, n);
		pos += n;
		step = step * 3 + 1;
	}
	assert_memory_equal(whole, parts, sizeof(whole));
}

/* --- ACVP keyGen: (d, z) -> (ek, dk), Algorithm 16 --- */

static void acvp_keygen_one(const struct jobj *group, const struct jobj *test, void *arg)
{
	enum mlkem_set set = acvp_set(group);
	struct chunk d = jhex(test, "d"), z = jhex(test, "z");
	struct chunk ek = jhex(test, "ek"), dk = jhex(test, "dk");
	uint8_t gek[MLKEM_MAX_EK_LEN], gdk[MLKEM_MAX_DK_LEN];
	assert_int_equal(ek.len, mlkem_ek_len(set));
	assert_int_equal(dk.len, mlkem_dk_len(set));
	mlkem_keygen_internal(set, d.ptr, z.ptr, gek, gdk);
	assert_memory_equal(gek, ek.ptr, ek.len);
	assert_memory_equal(gdk, dk.ptr, dk.len);
	assert_true(mlkem_ek_check(set, ek.ptr, ek.len));
	assert_true(mlkem_dk_check(set, dk.ptr, dk.len));
	(*(size_t *)arg)++;
	chunk_free(&d);
	chunk_free(&z);
	chunk_free(&ek);
	chunk_free(&dk);
}

static void test_acvp_keygen(void **state)
{
	size_t done = 0;
	assert_int_equal(acvp_walk(ACVP_KEYGEN, acvp_keygen_one, &done), 75);
	assert_int_equal(done, 75);
}

/* --- ACVP encapDecap: encapsulation (ek, m -> c, k) and decapsulation (dk, c -> k) --- */

struct encdec_count {
	size_t encaps, decaps, modified;
};

static void acvp_encaps_one(enum mlkem_set set, const struct jobj *test)
{
	struct chunk ek = jhex(test, "ek"), dk = jhex(test, "dk"), m = jhex(test, "m");
	struct chunk c = jhex(test, "c"), k = jhex(test, "k");
	uint8_t gc[MLKEM_MAX_CT_LEN], gk[32];
	assert_int_equal(c.len, mlkem_ct_len(set));
	assert_true(mlkem_ek_check(set, ek.ptr, ek.len));
	mlkem_encaps_internal(set, ek.ptr, m.ptr, gk, gc);
	assert_memory_equal(gc, c.ptr, c.len);
	assert_memory_equal(gk, k.ptr, 32);
	/* and back through Algorithm 18 with the given dk */
	memset(gk, 0, sizeof(gk));
	mlkem_decaps_internal(set, dk.ptr, c.ptr, gk);
	assert_memory_equal(gk, k.ptr, 32);
	chunk_free(&ek);
	chunk_free(&dk);
	chunk_free(&m);
	chunk_free(&c);
	chunk_free(&k);
}

static void acvp_decaps_one(enum mlkem_set set, const struct jobj *group,
			    const struct jobj *test, struct encdec_count *n)
{
	struct chunk dk = jhex(group, "dk"), c = jhex(test, "c"), k = jhex(test, "k");
	uint8_t gk[32];
	assert_true(mlkem_dk_check(set, dk.ptr, dk.len));
	assert_int_equal(mlkem_decaps(set, dk.ptr, c.ptr, c.len, gk), KE_OK);
	assert_memory_equal(gk, k.ptr, 32);
	if (jis(test, "reason", "modified ciphertext")) {
		/* implicit rejection: K_bar = J(z || c), z the last 32 octets of dk */
		uint8_t kbar[32];
		const struct iov in[] = { { dk.ptr + dk.len - 32, 32 }, { c.ptr, c.len } };
		keccak_shake256(in, 2, kbar, sizeof(kbar));
		assert_memory_equal(kbar, k.ptr, 32);
		n->modified++;
	}
	chunk_free(&dk);
	chunk_free(&c);
	chunk_free(&k);
}

static void acvp_encdec_one(const struct jobj *group, const struct jobj *test, void *arg)
{
	struct encdec_count *n = arg;
	enum mlkem_set set = acvp_set(group);
	if (jis(group, "function", "encapsulation")) {
		acvp_encaps_one(set, test);
		n->encaps++;
	} else if (jis(group, "function", "decapsulation")) {
		acvp_decaps_one(set, group, test, n);
		n->decaps++;
	} else {
		fail_msg("unknown function");
	}
}

static void test_acvp_encap_decap(void **state)
{
	struct encdec_count n = { 0, 0, 0 };
	assert_int_equal(acvp_walk(ACVP_ENCDEC, acvp_encdec_one, &n), 105);
	assert_int_equal(n.encaps, 75);
	assert_int_equal(n.decaps, 30);
	assert_int_equal(n.modified, 15);
}

/* --- the key exchange methods (draft-ietf-ipsecme-ikev2-mlkem) --- */

struct kem_method {
	enum ike_ke_method m;
	enum mlkem_set set;
	size_t len_i, len_r;
};

static const struct kem_method kems[] = {
	{ IKE_KE_MLKEM512, MLKEM_512, 800, 768 },
	{ IKE_KE_MLKEM768, MLKEM_768, 1184, 1088 },
	{ IKE_KE_MLKEM1024, MLKEM_1024, 1568, 1568 },
};

#define FOR_EACH_KEM(t) for (const struct kem_method *t = kems; t < kems + 3; t++)

static void test_ke_roundtrip(void **state)
{
	FOR_EACH_KEM(t)
		testutil_ke_agree(t->m, t->len_i, t->len_r, 32);
}

static void test_ke_bad_length(void **state)
{
	FOR_EACH_KEM(t) {
		struct ke *i = NULL, *r = NULL;
		struct chunk s = CHUNK_EMPTY;
		size_t li;
		assert_int_equal(ke_initiate(t->m, &i), KE_OK);
		const uint8_t *pi = ke_public(i, &li);
		assert_int_equal(ke_respond(t->m, pi, li - 1, &r, &s), KE_BAD_LENGTH);
		assert_null(r);
		assert_null(s.ptr);
		uint8_t big[MLKEM_MAX_EK_LEN + 1] = { 0 };
		memcpy(big, pi, li);
		assert_int_equal(ke_respond(t->m, big, li + 1, &r, &s), KE_BAD_LENGTH);
		assert_int_equal(ke_finish(i, big, t->len_r - 1, &s), KE_BAD_LENGTH);
		assert_int_equal(ke_finish(i, big, t->len_r + 1, &s), KE_BAD_LENGTH);
		assert_null(s.ptr);
		/* the same checks below the ke_* layer */
		uint8_t c[MLKEM_MAX_CT_LEN], k[32];
		assert_int_equal(mlkem_encaps(t->set, pi, li - 1, c, k), KE_BAD_LENGTH);
		assert_int_equal(mlkem_decaps(t->set, i->secret.ptr, c, t->len_r + 1, k),
				 KE_BAD_LENGTH);
		assert_false(mlkem_ek_check(t->set, pi, li + 1));
		ke_free(i);
	}
}

/* Sets the 12-bit coefficient j of polynomial 0 of an ek (ByteEncode_12 layout). */
static void set_coef(uint8_t *ek, unsigned j, unsigned v)
{
	uint8_t *b = ek + 3 * (j / 2);
	if (j % 2 == 0) {
		b[0] = (uint8_t)v;
		b[1] = (uint8_t)((b[1] & 0xf0) | (v >> 8));
	} else {
		b[1] = (uint8_t)((b[1] & 0x0f) | (v & 0x0f) << 4);
		b[2] = (uint8_t)(v >> 4);
	}
}

static void test_ke_bad_value(void **state)
{
	static const unsigned bad[] = { 3329, 3330, 4095 };
	FOR_EACH_KEM(t) {
		struct ke *i = NULL, *r = NULL;
		struct chunk s = CHUNK_EMPTY;
		size_t li;
		assert_int_equal(ke_initiate(t->m, &i), KE_OK);
		const uint8_t *pi = ke_public(i, &li);
		uint8_t ek[MLKEM_MAX_EK_LEN];
		for (size_t b = 0; b < 3; b++) {
			memcpy(ek, pi, li);
			set_coef(ek, b == 2 ? 255 : 0, bad[b]);
			assert_false(mlkem_ek_check(t->set, ek, li));
			assert_int_equal(ke_respond(t->m, ek, li, &r, &s), KE_BAD_VALUE);
			assert_null(r);
			assert_null(s.ptr);
		}
		/* q - 1 is a valid coefficient */
		memcpy(ek, pi, li);
		set_coef(ek, 1, 3328);
		assert_true(mlkem_ek_check(t->set, ek, li));
		/* the last polynomial's last coefficient too */
		memcpy(ek, pi, li);
		set_coef(ek + 384 * (t->len_i / 384 - 1), 255, 3329);
		assert_int_equal(ke_respond(t->m, ek, li, &r, &s), KE_BAD_VALUE);
		ke_free(i);
	}
}

/* A corrupted ciphertext decapsulates to K_bar = J(z || c'), not the responder's K. */
static void test_ke_implicit_rejection(void **state)
{
	FOR_EACH_KEM(t) {
		struct ke *i = NULL, *r = NULL;
		struct chunk si = CHUNK_EMPTY, sr = CHUNK_EMPTY, sx = CHUNK_EMPTY;
		size_t li, lr;
		assert_int_equal(ke_initiate(t->m, &i), KE_OK);
		const uint8_t *pi = ke_public(i, &li);
		assert_int_equal(ke_respond(t->m, pi, li, &r, &sr), KE_OK);
		const uint8_t *pr = ke_public(r, &lr);
		uint8_t c[MLKEM_MAX_CT_LEN], kbar[32];
		for (size_t pos = 0; pos < lr; pos += lr / 3) {
			memcpy(c, pr, lr);
			c[pos] ^= 0x10;
			assert_int_equal(ke_finish(i, c, lr, &si), KE_OK);
			assert_int_equal(si.len, 32);
			assert_memory_not_equal(si.ptr, sr.ptr, 32);
			const struct iov in[] = { { i->secret.ptr + i->secret.len - 32, 32 },
						  { c, lr } };
			keccak_shake256(in, 2, kbar, sizeof(kbar));
			assert_memory_equal(si.ptr, kbar, 32);
			chunk_free(&si);
		}
		/* the genuine ciphertext still gives K */
		assert_int_equal(ke_finish(i, pr, lr, &sx), KE_OK);
		assert_memory_equal(sx.ptr, sr.ptr, 32);
		chunk_free(&sx);
		chunk_free(&sr);
		ke_free(i);
		ke_free(r);
	}
}

/* finish on a responder's state (no dk) fails instead of reading past the key */
static void test_ke_finish_on_responder(void **state)
{
	struct ke *i = NULL, *r = NULL;
	struct chunk s = CHUNK_EMPTY, s2 = CHUNK_EMPTY;
	size_t li, lr;
	assert_int_equal(ke_initiate(IKE_KE_MLKEM768, &i), KE_OK);
	const uint8_t *pi = ke_public(i, &li);
	assert_int_equal(ke_respond(IKE_KE_MLKEM768, pi, li, &r, &s), KE_OK);
	const uint8_t *pr = ke_public(r, &lr);
	assert_int_equal(ke_finish(r, pr, lr, &s2), KE_FAILED);
	assert_null(s2.ptr);
	chunk_free(&s);
	ke_free(i);
	ke_free(r);
}

static void test_dk_check(void **state)
{
	uint8_t d[32], z[32], ek[MLKEM_MAX_EK_LEN], dk[MLKEM_MAX_DK_LEN];
	memset(d, 1, sizeof(d));
	memset(z, 2, sizeof(z));
	for (enum mlkem_set set = MLKEM_512; set <= MLKEM_1024; set++) {
		size_t dklen = mlkem_dk_len(set);
		mlkem_keygen_internal(set, d, z, ek, dk);
		assert_true(mlkem_dk_check(set, dk, dklen));
		assert_false(mlkem_dk_check(set, dk, dklen - 1));
		dk[dklen - 64] ^= 1;		/* H(ek) */
		assert_false(mlkem_dk_check(set, dk, dklen));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha3_kat),
		cmocka_unit_test(test_shake_pieces),
		cmocka_unit_test(test_acvp_keygen),
		cmocka_unit_test(test_acvp_encap_decap),
		cmocka_unit_test(test_ke_roundtrip),
		cmocka_unit_test(test_ke_bad_length),
		cmocka_unit_test(test_ke_bad_value),
		cmocka_unit_test(test_ke_implicit_rejection),
		cmocka_unit_test(test_ke_finish_on_responder),
		cmocka_unit_test(test_dk_check),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
