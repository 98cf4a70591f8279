/* bench_crypto.c -- microseconds per operation of every primitive on the IKEv2
 * handshake path, in each candidate library, beside the one lib/libcrypt uses
 * (backend.c's table; marked in the last column).  Never a pass/fail test.
 *
 *   bench_crypto [N]        (default N = 1001 runs per cell, fewer for slow cells:
 *                            each cell stops after about 0.4 s and at least 21 runs)
 *
 * Each cell is the median of its runs (clock_gettime(CLOCK_MONOTONIC)); run it pinned
 * (taskset -c 1) on a quiet machine.  The NSS and OpenSSL columns go through libcrypt's
 * own code for that library (backend.h's *_lib functions: the same facade code path
 * whichever library runs below it).  The other columns call a library directly, as a
 * yardstick: libsodium and nettle (X25519, NIST curves: the bare scalar
 * multiplications), and OpenSSL signing with a key of its own (libcrypt signs with the
 * NSS database's keys).  They are compiled in when their packages are installed
 * (BENCH_SODIUM, BENCH_NETTLE: the Makefile asks pkg-config).
 *
 * "keygen" makes a key pair and its KE data; "derive" the shared secret from a peer's
 * KE data (its checks included); "responder" both, as ke_respond does.  AEAD rows:
 * encrypt and decrypt of one SK payload of that many octets (32 octets of AAD), the
 * key set up each time as the daemon does; CBC rows add HMAC-SHA2-256-128 over the
 * message.  prf+ row: SKEYSEED = prf(Ni | Nr, g^ir) and the seven keys of RFC 7296
 * 2.14 for AES-GCM-256 with that PRF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include "crypt.h"
#include "../../lib/libcrypt/backend.h"
#include "../../lib/libcrypt/mlkem.h"
#ifdef BENCH_SODIUM
#include <sodium.h>
#endif
#ifdef BENCH_NETTLE
#include <gmp.h>
#include <nettle/curve25519.h>
#include <nettle/ecc.h>
#include <nettle/ecc-curve.h>
#endif

enum col { COL_NSS, COL_OSSL, COL_SODIUM, COL_NETTLE, COL_OURS, NCOLS };
static const char *const col_names[NCOLS] = { "NSS", "OpenSSL", "libsodium", "nettle", "ours" };

/* everything a measured function may need */
struct bench_ctx {
	enum crypt_lib lib;
	enum ike_ke_method method;
	enum mlkem_set set;
	struct ke *ke;				/* derive: our key pair */
	uint8_t peer[1568];			/* derive: the peer's KE data */
	size_t peerlen;
	enum crypt_sig sig;
	struct crypt_privkey *priv;
	struct crypt_pubkey *pub;
	EVP_PKEY *opk;				/* OpenSSL's own key (signing yardstick) */
	uint8_t sigbuf[1024];
	size_t siglen;
	size_t len;				/* message octets */
	unsigned keybits;
	enum ike_prf prf;
	uint8_t ek[MLKEM_MAX_EK_LEN], dk[MLKEM_MAX_DK_LEN], c[MLKEM_MAX_CT_LEN], k[32];
#ifdef BENCH_NETTLE
	const struct ecc_curve *curve;
	struct ecc_scalar s;
	struct ecc_point p, r;
#endif
};

typedef void bench_fn(struct bench_ctx *ctx);

static uint8_t msg[2048], out[2048 + 64], back[2048 + 64];
static double noise_sum;
static unsigned noise_cells;
static size_t nruns;

static uint64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int bench_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* median of up to nruns runs (at least 21, about 0.4 s), in microseconds; the spread
 * (interquartile range / median) goes into the noise figure printed at the end */
static double bench_median(bench_fn *fn, struct bench_ctx *ctx)
{
	uint64_t *t = calloc(nruns, sizeof(*t));
	if (t == NULL)
		abort();
	for (size_t i = 0; i < 3 + nruns / 50; i++)	/* warm up */
		fn(ctx);
	uint64_t start = bench_now_ns();
	size_t n = 0;
	while (n < nruns && (n < 21 || bench_now_ns() - start < 400000000u)) {
		uint64_t t0 = bench_now_ns();
		fn(ctx);
		t[n++] = bench_now_ns() - t0;
	}
	qsort(t, n, sizeof(*t), bench_cmp);
	double us = (double)t[n / 2] / 1000.0;
	noise_sum += (double)(t[3 * n / 4] - t[n / 4]) / (double)t[n / 2];
	noise_cells++;
	free(t);
	return us;
}

static void bench_fail(const char *what)
{
	fprintf(stderr, "bench_crypto: %s failed\n", what);
	exit(1);
}

/* one line: the cells that were measured (< 0: none) and the library libcrypt uses */
static void bench_row(const char *prim, const char *op, const double v[NCOLS], const char *used)
{
	printf("%-18s %-26s", prim, op);
	for (int c = 0; c < NCOLS; c++) {
		if (v[c] < 0)
			printf(" %9s", "-");
		else
			printf(" %9.1f", v[c]);
	}
	printf("   %s\n", used);
	fflush(stdout);
}

static void cells_none(double v[NCOLS])
{
	for (int c = 0; c < NCOLS; c++)
		v[c] = -1;
}

static enum crypt_lib col_lib(int c)
{
	return c == COL_NSS ? CRYPT_LIB_NSS : c == COL_OSSL ? CRYPT_LIB_OPENSSL : CRYPT_LIB_NONE;
}

/* --- key exchange through libcrypt (ke_*_lib) --- */

static void b_ke_keygen(struct bench_ctx *x)
{
	struct ke *ke;
	if (ke_initiate_lib(x->lib, x->method, &ke) != KE_OK)
		bench_fail("keygen");
	ke_free(ke);
}

static void b_ke_derive(struct bench_ctx *x)
{
	struct chunk s;
	if (ke_finish(x->ke, x->peer, x->peerlen, &s) != KE_OK)
		bench_fail("derive");
	chunk_free(&s);
}

static void b_ke_respond(struct bench_ctx *x)
{
	struct ke *ke;
	struct chunk s;
	if (ke_respond_lib(x->lib, x->method, x->peer, x->peerlen, &ke, &s) != KE_OK)
		bench_fail("respond");
	chunk_free(&s);
	ke_free(ke);
}

#ifdef BENCH_SODIUM
static void b_sodium_base(struct bench_ctx *x)
{
	crypto_scalarmult_curve25519_base(x->k, x->dk);
}

static void b_sodium_mul(struct bench_ctx *x)
{
	if (crypto_scalarmult_curve25519(x->k, x->dk, x->peer) != 0)
		bench_fail("sodium");
}
#endif

#ifdef BENCH_NETTLE
static void b_nettle_x_base(struct bench_ctx *x)
{
	curve25519_mul_g(x->k, x->dk);
}

static void b_nettle_x_mul(struct bench_ctx *x)
{
	curve25519_mul(x->k, x->dk, x->peer);
}

static void b_nettle_ec_base(struct bench_ctx *x)
{
	ecc_point_mul_g(&x->p, &x->s);
}

static void b_nettle_ec_mul(struct bench_ctx *x)
{
	ecc_point_mul(&x->r, &x->s, &x->p);
}

static void nettle_ec_setup(struct bench_ctx *x, enum ike_ke_method m)
{
	x->curve = m == IKE_KE_ECP256 ? nettle_get_secp_256r1() :
		   m == IKE_KE_ECP384 ? nettle_get_secp_384r1() : nettle_get_secp_521r1();
	ecc_scalar_init(&x->s, x->curve);
	ecc_point_init(&x->p, x->curve);
	ecc_point_init(&x->r, x->curve);
	mpz_t z;
	mpz_init_set_ui(z, 0x1234567u);
	mpz_mul(z, z, z);
	mpz_mul(z, z, z);
	mpz_mul(z, z, z);	/* some 200-bit scalar */
	if (!ecc_scalar_set(&x->s, z))
		bench_fail("nettle scalar");
	mpz_clear(z);
	ecc_point_mul_g(&x->p, &x->s);
}

static void nettle_ec_clear(struct bench_ctx *x)
{
	ecc_scalar_clear(&x->s);
	ecc_point_clear(&x->p);
	ecc_point_clear(&x->r);
}
#endif

static void bench_ke(const char *name, enum ike_ke_method m)
{
	static struct bench_ctx x;
	double kg[NCOLS], dv[NCOLS], rs[NCOLS];
	cells_none(kg);
	cells_none(dv);
	cells_none(rs);
	x.method = m;
	/* the peer's KE data */
	struct ke *peer;
	if (ke_initiate_lib(CRYPT_LIB_OPENSSL, m, &peer) != KE_OK)
		bench_fail("peer");
	const uint8_t *pp = ke_public(peer, &x.peerlen);
	memcpy(x.peer, pp, x.peerlen);
	for (int c = COL_NSS; c <= COL_OSSL; c++) {
		x.lib = col_lib(c);
		if (!ke_lib_has(x.lib, m))
			continue;
		kg[c] = bench_median(b_ke_keygen, &x);
		if (ke_initiate_lib(x.lib, m, &x.ke) != KE_OK)
			bench_fail("keygen");
		dv[c] = bench_median(b_ke_derive, &x);
		ke_free(x.ke);
		rs[c] = bench_median(b_ke_respond, &x);
	}
	ke_free(peer);
#ifdef BENCH_SODIUM
	if (m == IKE_KE_CURVE25519) {
		memset(x.dk, 0x5a, 32);
		kg[COL_SODIUM] = bench_median(b_sodium_base, &x);
		dv[COL_SODIUM] = bench_median(b_sodium_mul, &x);
		rs[COL_SODIUM] = kg[COL_SODIUM] + dv[COL_SODIUM];
	}
#endif
#ifdef BENCH_NETTLE
	if (m == IKE_KE_CURVE25519) {
		memset(x.dk, 0x5a, 32);
		kg[COL_NETTLE] = bench_median(b_nettle_x_base, &x);
		dv[COL_NETTLE] = bench_median(b_nettle_x_mul, &x);
	} else {
		nettle_ec_setup(&x, m);
		kg[COL_NETTLE] = bench_median(b_nettle_ec_base, &x);
		dv[COL_NETTLE] = bench_median(b_nettle_ec_mul, &x);
		nettle_ec_clear(&x);
	}
	rs[COL_NETTLE] = kg[COL_NETTLE] + dv[COL_NETTLE];
#endif
	const char *used = ke_supported(m) ? "" : "(not offered)";
	enum crypt_prim prim = m == IKE_KE_CURVE25519 ? CRYPT_PRIM_X25519 :
			       m == IKE_KE_ECP256 ? CRYPT_PRIM_ECP256 :
			       m == IKE_KE_ECP384 ? CRYPT_PRIM_ECP384 : CRYPT_PRIM_ECP521;
	if (ke_supported(m))
		used = crypt_lib_name(crypt_lib_of(prim));
	bench_row(name, "keygen", kg, used);
	bench_row(name, "derive", dv, used);
	bench_row(name, "responder (keygen+derive)", rs, used);
}

/* --- ML-KEM (ours) --- */

static void b_keygen(struct bench_ctx *x)
{
	if (mlkem_keygen(x->set, x->ek, x->dk) != KE_OK)
		bench_fail("KeyGen");
}

static void b_encaps(struct bench_ctx *x)
{
	if (mlkem_encaps(x->set, x->ek, mlkem_ek_len(x->set), x->c, x->k) != KE_OK)
		bench_fail("Encaps");
}

static void b_decaps(struct bench_ctx *x)
{
	if (mlkem_decaps(x->set, x->dk, x->c, mlkem_ct_len(x->set), x->k) != KE_OK)
		bench_fail("Decaps");
}

static void bench_mlkem(const char *name, enum mlkem_set set)
{
	static struct bench_ctx x;
	double v[NCOLS];
	cells_none(v);
	x.set = set;
	double kg = bench_median(b_keygen, &x);
	b_keygen(&x);
	double en = bench_median(b_encaps, &x);
	b_encaps(&x);
	double de = bench_median(b_decaps, &x);
	v[COL_OURS] = kg;
	bench_row(name, "KeyGen", v, "ours");
	v[COL_OURS] = en;
	bench_row(name, "Encaps", v, "ours");
	v[COL_OURS] = de;
	bench_row(name, "Decaps", v, "ours");
	v[COL_OURS] = kg + en + de;
	bench_row(name, "KeyGen+Encaps+Decaps", v, "ours");
}

/* --- signatures --- */

static void b_sign_nss(struct bench_ctx *x)
{
	struct chunk s;
	if (!crypt_sign(x->sig, x->priv, msg, 512, true, &s))
		bench_fail("sign");
	chunk_free(&s);
}

static void b_verify(struct bench_ctx *x)
{
	if (!crypt_verify_lib(x->lib, x->sig, x->pub, msg, 512, x->sigbuf, x->siglen, true))
		bench_fail("verify");
}

/* OpenSSL with a key of its own: hash and sign, as crypt_sign would */
static void b_sign_ossl(struct bench_ctx *x)
{
	uint8_t d[64];
	struct iov in = { msg, 512 };
	enum crypt_hash h = x->sig == CRYPT_SIG_ECDSA_SHA384 ? CRYPT_SHA384 : CRYPT_SHA256;
	if (!crypt_hash(h, &in, 1, d))
		bench_fail("hash");
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, x->opk, NULL);
	size_t n = sizeof(x->sigbuf);
	const EVP_MD *md = ossl_md(h);
	bool ok = c != NULL && EVP_PKEY_sign_init(c) == 1;
	if (ok && x->sig == CRYPT_SIG_RSA_PKCS1_SHA256)
		ok = EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
		     EVP_PKEY_CTX_set_signature_md(c, md) == 1;
	if (ok && x->sig == CRYPT_SIG_RSA_PSS_SHA256)
		ok = EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING) == 1 &&
		     EVP_PKEY_CTX_set_signature_md(c, md) == 1 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(c, md) == 1 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(c, 32) == 1;
	uint8_t sg[1024];
	if (!ok || EVP_PKEY_sign(c, sg, &n, d, crypt_hash_len(h)) != 1)
		bench_fail("OpenSSL sign");
	EVP_PKEY_CTX_free(c);
}

static void b_pubkey(struct bench_ctx *x)
{
	struct crypt_pubkey *pk = crypt_privkey_public(x->priv);
	if (pk == NULL)
		bench_fail("public key");
	crypt_pubkey_free(pk);
}

static void bench_sig(const char *name, enum crypt_key_kind kind, unsigned bits,
		      const enum crypt_sig *sigs, const char *const *signames, size_t nsigs)
{
	static struct bench_ctx x;
	double v[NCOLS];
	x.priv = crypt_privkey_generate_bits(kind, bits);
	x.pub = crypt_privkey_public(x.priv);
	if (x.priv == NULL || x.pub == NULL)
		bench_fail("key pair");
	char kt[8];
	snprintf(kt, sizeof(kt), "%u", bits);
	x.opk = kind == CRYPT_KEY_RSA ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits) :
		EVP_PKEY_Q_keygen(NULL, NULL, "EC", kind == CRYPT_KEY_EC_P256 ? "P-256" : "P-384");
	if (x.opk == NULL)
		bench_fail("OpenSSL key pair");
	for (size_t i = 0; i < nsigs; i++) {
		x.sig = sigs[i];
		cells_none(v);
		v[COL_NSS] = bench_median(b_sign_nss, &x);
		v[COL_OSSL] = bench_median(b_sign_ossl, &x);
		char op[40];
		snprintf(op, sizeof(op), "sign %s", signames[i]);
		bench_row(name, op, v, "NSS (the database's key)");
		struct chunk s;
		if (!crypt_sign(x.sig, x.priv, msg, 512, true, &s) || s.len > sizeof(x.sigbuf))
			bench_fail("sign");
		memcpy(x.sigbuf, s.ptr, s.len);
		x.siglen = s.len;
		chunk_free(&s);
		cells_none(v);
		for (int c = COL_NSS; c <= COL_OSSL; c++) {
			x.lib = col_lib(c);
			v[c] = bench_median(b_verify, &x);
		}
		snprintf(op, sizeof(op), "verify %s", signames[i]);
		bench_row(name, op, v, crypt_lib_name(crypt_lib_of(kind == CRYPT_KEY_RSA ?
			CRYPT_PRIM_VERIFY_RSA : CRYPT_PRIM_VERIFY_ECDSA)));
	}
	cells_none(v);
	v[COL_OSSL] = bench_median(b_pubkey, &x);
	bench_row(name, "peer key for OpenSSL", v, "once per certificate");
	EVP_PKEY_free(x.opk);
	crypt_pubkey_free(x.pub);
	crypt_privkey_free(x.priv);
}

/* --- SK payloads --- */

static uint8_t key[64], iv[16];

static void b_gcm(struct bench_ctx *x)
{
	size_t kl = x->keybits / 8 + 4;
	if (!crypt_gcm_lib(x->lib, true, key, kl, iv, msg, 32, msg + 32, x->len, out, x->len + 16) ||
	    !crypt_gcm_lib(x->lib, false, key, kl, iv, msg, 32, out, x->len + 16, back, x->len))
		bench_fail("AES-GCM");
}

static void b_cbc_hmac(struct bench_ctx *x)
{
	/* the SK payload as sk.c makes it: encrypt, then HMAC over header | IV | ciphertext */
	size_t len = (x->len + 15) / 16 * 16;
	uint8_t icv[CRYPT_MAX_PRF_LEN];
	struct iov mac = { out, len };
	if (!crypt_cbc_lib(x->lib, true, key, x->keybits / 8, iv, msg, len, out) ||
	    !crypt_prf_lib(x->lib, IKE_PRF_HMAC_SHA2_256, key + 32, 32, &mac, 1, icv) ||
	    !crypt_prf_lib(x->lib, IKE_PRF_HMAC_SHA2_256, key + 32, 32, &mac, 1, icv) ||
	    !crypt_cbc_lib(x->lib, false, key, x->keybits / 8, iv, out, len, back))
		bench_fail("AES-CBC + HMAC");
}

static void bench_sk(const char *name, bench_fn *fn, unsigned keybits, enum crypt_prim prim)
{
	static struct bench_ctx x;
	static const size_t lens[] = { 100, 500, 1500 };
	double v[NCOLS];
	x.keybits = keybits;
	for (size_t i = 0; i < 3; i++) {
		x.len = lens[i];
		cells_none(v);
		for (int c = COL_NSS; c <= COL_OSSL; c++) {
			x.lib = col_lib(c);
			v[c] = bench_median(fn, &x);
		}
		char op[40];
		snprintf(op, sizeof(op), "enc+dec %zu octets", lens[i]);
		bench_row(name, op, v, crypt_lib_name(crypt_lib_of(prim)));
	}
}

/* --- PRF --- */

static void b_prf(struct bench_ctx *x)
{
	uint8_t o[CRYPT_MAX_PRF_LEN];
	struct iov in = { msg, 64 };
	if (!crypt_prf_lib(x->lib, x->prf, key, 32, &in, 1, o))
		bench_fail("prf");
}

/* RFC 7296 2.14: SKEYSEED = prf(Ni | Nr, g^ir); {SK_d | SK_ai | SK_ar | SK_ei | SK_er |
 * SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr), AES-GCM-256 (36-octet SK_e,
 * no SK_a) */
static void b_keymat(struct bench_ctx *x)
{
	uint8_t skeyseed[CRYPT_MAX_PRF_LEN], keys[3 * CRYPT_MAX_PRF_LEN + 72];
	size_t l = crypt_prf_len(x->prf);
	struct iov gir = { msg + 64, 32 };
	struct iov seed[] = { { msg, 64 }, { msg + 128, 16 } };
	if (!crypt_prf_lib(x->lib, x->prf, msg, 64, &gir, 1, skeyseed) ||
	    !crypt_prfplus_lib(x->lib, x->prf, skeyseed, l, seed, 2, keys, 3 * l + 72))
		bench_fail("keymat");
}

static void bench_prf(const char *name, enum ike_prf prf)
{
	static struct bench_ctx x;
	double v[NCOLS];
	x.prf = prf;
	const char *used = crypt_lib_name(crypt_lib_of(CRYPT_PRIM_HMAC));
	cells_none(v);
	for (int c = COL_NSS; c <= COL_OSSL; c++) {
		x.lib = col_lib(c);
		v[c] = bench_median(b_prf, &x);
	}
	bench_row(name, "prf, 64 octets", v, used);
	cells_none(v);
	for (int c = COL_NSS; c <= COL_OSSL; c++) {
		x.lib = col_lib(c);
		v[c] = bench_median(b_keymat, &x);
	}
	bench_row(name, "SKEYSEED + prf+ 7 keys", v, used);
}

int main(int argc, char **argv)
{
	nruns = argc > 1 ? strtoul(argv[1], NULL, 10) : 1001;
	if (nruns < 21)
		nruns = 21;
	char err[256];
	if (!crypt_init(NULL, err, sizeof(err))) {
		fprintf(stderr, "bench_crypto: %s\n", err);
		return 1;
	}
#ifdef BENCH_SODIUM
	if (sodium_init() < 0)
		bench_fail("sodium_init");
#endif
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 1);
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 13 + 5);
	printf("microseconds per operation, median of up to %zu runs; the last column: what "
	       "libcrypt uses\n", nruns);
	printf("%-18s %-26s", "primitive", "operation");
	for (int c = 0; c < NCOLS; c++)
		printf(" %9s", col_names[c]);
	printf("   used\n");
	bench_ke("X25519", IKE_KE_CURVE25519);
	bench_ke("ECP-256", IKE_KE_ECP256);
	bench_ke("ECP-384", IKE_KE_ECP384);
	bench_ke("ECP-521", IKE_KE_ECP521);
	bench_mlkem("ML-KEM-512", MLKEM_512);
	bench_mlkem("ML-KEM-768", MLKEM_768);
	bench_mlkem("ML-KEM-1024", MLKEM_1024);
	static const enum crypt_sig ec256[] = { CRYPT_SIG_ECDSA_SHA256 };
	static const enum crypt_sig ec384[] = { CRYPT_SIG_ECDSA_SHA384 };
	static const char *const ecn[] = { "ECDSA" };
	static const enum crypt_sig rsa[] = { CRYPT_SIG_RSA_PKCS1_SHA256, CRYPT_SIG_RSA_PSS_SHA256 };
	static const char *const rsan[] = { "PKCS#1 SHA-256", "PSS SHA-256" };
	bench_sig("ECDSA P-256", CRYPT_KEY_EC_P256, 0, ec256, ecn, 1);
	bench_sig("ECDSA P-384", CRYPT_KEY_EC_P384, 0, ec384, ecn, 1);
	bench_sig("RSA-2048", CRYPT_KEY_RSA, 2048, rsa, rsan, 2);
	bench_sig("RSA-3072", CRYPT_KEY_RSA, 3072, rsa, rsan, 2);
	bench_sk("AES-GCM-128", b_gcm, 128, CRYPT_PRIM_AES_GCM);
	bench_sk("AES-GCM-256", b_gcm, 256, CRYPT_PRIM_AES_GCM);
	bench_sk("AES-CBC-128+SHA256", b_cbc_hmac, 128, CRYPT_PRIM_AES_CBC);
	bench_sk("AES-CBC-256+SHA256", b_cbc_hmac, 256, CRYPT_PRIM_AES_CBC);
	bench_prf("HMAC-SHA2-256", IKE_PRF_HMAC_SHA2_256);
	bench_prf("HMAC-SHA2-384", IKE_PRF_HMAC_SHA2_384);
	bench_prf("HMAC-SHA2-512", IKE_PRF_HMAC_SHA2_512);
	printf("noise: the interquartile range of a cell's runs is %.0f%% of its median on "
	       "average\n", 100.0 * noise_sum / noise_cells);
	crypt_shutdown();
	return 0;
}
