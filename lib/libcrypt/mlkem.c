/* mlkem.c -- ML-KEM-512/768/1024 (FIPS 203), written from the FIPS 203 text only.
 *
 * Arithmetic (FIPS 203 2.4, 4.3): coefficients are int16_t, congruent mod q = 3329 but
 * not always reduced.  Products use Montgomery reduction with R = 2^16 (mlkem_mont),
 * sums are brought back with a Barrett reduction (mlkem_barrett); neither branches.
 * The zeta tables hold zeta^BitRev7(i) * R mod q, so a butterfly multiplication by
 * mlkem_mont(zeta * x) gives zeta * x mod q exactly.  NTT-domain products carry an extra
 * factor R^-1, which the final scaling of NTT^-1 (or a multiplication by R^2) removes.
 *
 * Constant time: nothing below branches on or indexes by secret data.  The only
 * data-dependent branches are in SampleNTT (rejection sampling on XOF(rho), public) and
 * in the 7.2 modulus check of a public encapsulation key.
 */
#include <string.h>
#include "mlkem.h"

#define MLKEM_N		256
#define MLKEM_Q		3329
#define MLKEM_MAXK	4
#define MLKEM_QINV	62209u	/* q^-1 mod 2^16 */
#define MLKEM_R2	1353	/* 2^32 mod q: multiplies a Montgomery product back by R */
#define MLKEM_F		1441	/* 128^-1 * R^2 mod q: Algorithm 10 step 14 and the R^-1 */
#define MLKEM_POLY_BYTES 384	/* ByteEncode_12 of one polynomial */

/* FIPS 203 8, Table 2: k, eta1, eta2, du, dv */
struct mlkem_params {
	unsigned k, eta1, eta2, du, dv;
};

static const struct mlkem_params mlkem_sets[] = {
	[MLKEM_512] = { 2, 3, 2, 10, 4 },
	[MLKEM_768] = { 3, 2, 2, 10, 4 },
	[MLKEM_1024] = { 4, 2, 2, 11, 5 },
};

struct mlkem_poly {
	int16_t c[MLKEM_N];
};

/* zeta^BitRev7(i) * 2^16 mod q, centered, i = 0..127 (zeta = 17; 4.3, Algorithms 9, 10) */
static const int16_t mlkem_zeta[128] = {
	-1044, -758, -359, -1517, 1493, 1422, 287, 202, -171, 622, 1577, 182,
	962, -1202, -1474, 1468, 573, -1325, 264, 383, -829, 1458, -1602, -130,
	-681, 1017, 732, 608, -1542, 411, -205, -1571, 1223, 652, -552, 1015,
	-1293, 1491, -282, -1544, 516, -8, -320, -666, -1618, -1162, 126, 1469,
	-853, -90, -271, 830, 107, -1421, -247, -951, -398, 961, -1508, -725,
	448, -1065, 677, -1275, -1103, 430, 555, 843, -1251, 871, 1550, 105,
	422, 587, 177, -235, -291, -460, 1574, 1653, -246, 778, 1159, -147,
	-777, 1483, -602, 1119, -1590, 644, -872, 349, 418, 329, -156, -75,
	817, 1097, 603, 610, 1322, -1285, -1465, 384, -1215, -136, 1218, -1335,
	-874, 220, -1187, -1659, -1185, -1530, -1278, 794, -1510, -854, -870, 478,
	-108, -308, 996, 991, 958, -1460, 1522, 1628,
};

/* zeta^(2 BitRev7(i) + 1) * 2^16 mod q, centered (Algorithm 11, step 2) */
static const int16_t mlkem_gamma[128] = {
	-1103, 1103, 430, -430, 555, -555, 843, -843, -1251, 1251, 871, -871,
	1550, -1550, 105, -105, 422, -422, 587, -587, 177, -177, -235, 235,
	-291, 291, -460, 460, 1574, -1574, 1653, -1653, -246, 246, 778, -778,
	1159, -1159, -147, 147, -777, 777, 1483, -1483, -602, 602, 1119, -1119,
	-1590, 1590, 644, -644, -872, 872, 349, -349, 418, -418, 329, -329,
	-156, 156, -75, 75, 817, -817, 1097, -1097, 603, -603, 610, -610,
	1322, -1322, -1285, 1285, -1465, 1465, 384, -384, -1215, 1215, -136, 136,
	1218, -1218, -1335, 1335, -874, 874, 220, -220, -1187, 1187, -1659, 1659,
	-1185, 1185, -1530, 1530, -1278, 1278, 794, -794, -1510, 1510, -854, 854,
	-870, 870, 478, -478, -108, 108, -308, 308, 996, -996, 991, -991,
	958, -958, -1460, 1460, 1522, -1522, 1628, -1628,
};

size_t mlkem_ek_len(enum mlkem_set set)
{
	return MLKEM_POLY_BYTES * mlkem_sets[set].k + 32;
}

size_t mlkem_dk_len(enum mlkem_set set)
{
	return 2 * MLKEM_POLY_BYTES * mlkem_sets[set].k + 96;
}

size_t mlkem_ct_len(enum mlkem_set set)
{
	const struct mlkem_params *p = &mlkem_sets[set];
	return 32 * (p->du * p->k + p->dv);
}

/* --- arithmetic mod q --- */

/* a * 2^-16 mod q, for |a| < q * 2^15; the result is in (-q, q). */
static int16_t mlkem_mont(int32_t a)
{
	int16_t u = (int16_t)(uint16_t)((uint32_t)a * MLKEM_QINV);
	return (int16_t)((a - (int32_t)u * MLKEM_Q) >> 16);
}

static int16_t mlkem_fqmul(int16_t a, int16_t b)
{
	return mlkem_mont((int32_t)a * b);
}

/* The high and low 16 bits of a 32-bit product (what SIMD multiply instructions give) */
static inline int16_t mlkem_mulhi(int16_t a, int16_t b)
{
	return (int16_t)(((int32_t)a * b) >> 16);
}

static inline int16_t mlkem_mullo(int16_t a, int16_t b)
{
	return (int16_t)(uint16_t)((uint32_t)(uint16_t)a * (uint16_t)b);
}

/* mlkem_fqmul(x, z) with zq = z * q^-1 mod 2^16 computed once per zeta: u = x zq mod 2^16
 * is mlkem_mont's u, and since x z and u q agree in their low 16 bits,
 * (x z - u q) >> 16 = hi(x z) - hi(u q) exactly.  Written so that the compiler
 * vectorizes the NTT layers (16-bit lanes). */
static inline int16_t mlkem_fqmul_pre(int16_t x, int16_t z, int16_t zq)
{
	return (int16_t)(mlkem_mulhi(x, z) - mlkem_mulhi(mlkem_mullo(x, zq), MLKEM_Q));
}

static inline int16_t mlkem_zq(int16_t z)
{
	return mlkem_mullo(z, (int16_t)MLKEM_QINV);
}

/* a mod q in [-(q-1)/2, (q-1)/2] for any int16_t a: t = round(a / q) with
 * 20159 = round(2^26 / q). */
static int16_t mlkem_barrett(int16_t a)
{
	int16_t t = (int16_t)(((int32_t)a * 20159 + (1 << 25)) >> 26);
	return (int16_t)(a - t * MLKEM_Q);
}

/* a mod q in [0, q) */
static int16_t mlkem_canon(int16_t a)
{
	int16_t r = mlkem_barrett(a);
	return (int16_t)(r + ((r >> 15) & MLKEM_Q));
}

static void mlkem_poly_reduce(struct mlkem_poly *f)
{
	for (unsigned i = 0; i < MLKEM_N; i++)
		f->c[i] = mlkem_barrett(f->c[i]);
}

static void mlkem_poly_canon(struct mlkem_poly *f)
{
	for (unsigned i = 0; i < MLKEM_N; i++)
		f->c[i] = mlkem_canon(f->c[i]);
}

static void mlkem_poly_add(struct mlkem_poly *f, const struct mlkem_poly *g)
{
	for (unsigned i = 0; i < MLKEM_N; i++)
		f->c[i] = (int16_t)(f->c[i] + g->c[i]);
}

/* 4.2.1 Compress_d(x) = round(2^d x / q) mod 2^d, x in [0, q): round(a / q) is
 * floor((a + 1664) / q) (a / q is never a half), and the division is a multiplication by
 * ceil(2^32 / q) = 1290168, exact for a < 2^23 (checked for every x and d). */
static uint16_t mlkem_compress(int16_t x, unsigned d)
{
	uint64_t a = ((uint64_t)(uint16_t)x << d) + 1664;
	return (uint16_t)(((a * 1290168u) >> 32) & ((1u << d) - 1));
}

/* 4.2.1 Decompress_d(y) = round(q y / 2^d) */
static int16_t mlkem_decompress(uint16_t y, unsigned d)
{
	return (int16_t)(((uint32_t)y * MLKEM_Q + (1u << (d - 1))) >> d);
}

/* --- 4.2.1 encoding --- */

/* Algorithm 5, ByteEncode_d: coefficients in [0, 2^d) (d = 12: [0, q)), LSB first */
static void mlkem_encode(uint8_t *out, const struct mlkem_poly *f, unsigned d)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	for (unsigned i = 0; i < MLKEM_N; i++) {
		acc |= (uint32_t)(uint16_t)f->c[i] << bits;
		bits += d;
		for (; bits >= 8; bits -= 8) {
			*out++ = (uint8_t)acc;
			acc >>= 8;
		}
	}
}

/* Algorithm 6, ByteDecode_d for d < 12 (values in [0, 2^d)) */
static void mlkem_decode(struct mlkem_poly *f, const uint8_t *in, unsigned d)
{
	uint32_t acc = 0, mask = (1u << d) - 1;
	unsigned bits = 0;
	for (unsigned i = 0; i < MLKEM_N; i++) {
		for (; bits < d; bits += 8)
			acc |= (uint32_t)*in++ << bits;
		f->c[i] = (int16_t)(acc & mask);
		acc >>= d;
		bits -= d;
	}
}

/* Algorithm 6, ByteDecode_12: 12-bit values taken mod q (branch-free, dk is secret) */
static void mlkem_decode12(struct mlkem_poly *f, const uint8_t *in)
{
	mlkem_decode(f, in, 12);
	for (unsigned i = 0; i < MLKEM_N; i++) {
		int16_t v = (int16_t)(f->c[i] - MLKEM_Q);
		f->c[i] = (int16_t)(v + ((v >> 15) & MLKEM_Q));
	}
}

/* ByteEncode_d(Compress_d(f)); f is overwritten */
static void mlkem_compress_encode(uint8_t *out, struct mlkem_poly *f, unsigned d)
{
	for (unsigned i = 0; i < MLKEM_N; i++)
		f->c[i] = (int16_t)mlkem_compress(mlkem_canon(f->c[i]), d);
	mlkem_encode(out, f, d);
}

/* Decompress_d(ByteDecode_d(in)) */
static void mlkem_decode_decompress(struct mlkem_poly *f, const uint8_t *in, unsigned d)
{
	mlkem_decode(f, in, d);
	for (unsigned i = 0; i < MLKEM_N; i++)
		f->c[i] = mlkem_decompress((uint16_t)f->c[i], d);
}

/* --- 4.3 the NTT --- */

/* One layer of Algorithm 9 (steps 5-11), for a constant len once inlined so that the
 * compiler can vectorize the butterflies. */
static inline __attribute__((always_inline)) void
mlkem_ntt_layer(struct mlkem_poly *f, unsigned len, unsigned *i)
{
	for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
		int16_t zeta = mlkem_zeta[(*i)++], zq = mlkem_zq(zeta);
		for (unsigned j = start; j < start + len; j++) {
			int16_t t = mlkem_fqmul_pre(f->c[j + len], zeta, zq);
			f->c[j + len] = (int16_t)(f->c[j] - t);
			f->c[j] = (int16_t)(f->c[j] + t);
		}
	}
}

/* Algorithm 9, NTT: input |f| <= q, output reduced to |f| <= q/2 */
static void mlkem_ntt(struct mlkem_poly *f)
{
	unsigned i = 1;
	mlkem_ntt_layer(f, 128, &i);
	mlkem_ntt_layer(f, 64, &i);
	mlkem_ntt_layer(f, 32, &i);
	mlkem_ntt_layer(f, 16, &i);
	mlkem_ntt_layer(f, 8, &i);
	mlkem_ntt_layer(f, 4, &i);
	mlkem_ntt_layer(f, 2, &i);
	mlkem_poly_reduce(f);
}

/* One layer of Algorithm 10 (steps 5-12) */
static inline __attribute__((always_inline)) void
mlkem_ntt_inv_layer(struct mlkem_poly *f, unsigned len, unsigned *i)
{
	for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
		int16_t zeta = mlkem_zeta[(*i)--], zq = mlkem_zq(zeta);
		for (unsigned j = start; j < start + len; j++) {
			int16_t t = f->c[j];
			f->c[j] = mlkem_barrett((int16_t)(t + f->c[j + len]));
			f->c[j + len] = mlkem_fqmul_pre((int16_t)(f->c[j + len] - t), zeta, zq);
		}
	}
}

/* Algorithm 10, NTT^-1; step 14 multiplies by 3303 = 128^-1, here by 128^-1 * R to
 * cancel the R^-1 of mlkem_acc_reduce as well.  Input |f| < q, output |f| < q. */
static void mlkem_ntt_inv(struct mlkem_poly *f)
{
	unsigned i = 127;
	mlkem_ntt_inv_layer(f, 2, &i);
	mlkem_ntt_inv_layer(f, 4, &i);
	mlkem_ntt_inv_layer(f, 8, &i);
	mlkem_ntt_inv_layer(f, 16, &i);
	mlkem_ntt_inv_layer(f, 32, &i);
	mlkem_ntt_inv_layer(f, 64, &i);
	mlkem_ntt_inv_layer(f, 128, &i);
	const int16_t fq = mlkem_zq(MLKEM_F);
	for (unsigned j = 0; j < MLKEM_N; j++)
		f->c[j] = mlkem_fqmul_pre(f->c[j], MLKEM_F, fq);
}

/* Algorithm 11 (MultiplyNTTs) with Algorithm 12 (BaseCaseMultiply) on each pair:
 * c0 = a0 b0 + a1 b1 gamma_i, c1 = a0 b1 + a1 b0.  The right operand is prepared once
 * (b1 gamma_i precomputed) and products are summed in 32 bits, so that a row of a
 * matrix-vector product costs one reduction per coefficient. */
struct mlkem_prep {
	int16_t b0[MLKEM_N / 2], b1[MLKEM_N / 2], b1g[MLKEM_N / 2];
};

struct mlkem_acc {
	int32_t c[MLKEM_N];
};

/* g: an NTT output (|g| <= q/2) */
static void mlkem_prepare(struct mlkem_prep *p, const struct mlkem_poly *g)
{
	for (unsigned i = 0; i < MLKEM_N / 2; i++) {
		p->b0[i] = g->c[2 * i];
		p->b1[i] = g->c[2 * i + 1];
		p->b1g[i] = mlkem_fqmul(g->c[2 * i + 1], mlkem_gamma[i]);
	}
}

/* h += f x g, |f| < q; each call adds less than 1.5 q^2 to |h|, and mlkem_acc_reduce
 * takes up to 4 calls (k <= 4). */
static void mlkem_mul_acc(struct mlkem_acc *h, const struct mlkem_poly *f,
			  const struct mlkem_prep *g)
{
	for (unsigned i = 0; i < MLKEM_N / 2; i++) {
		int32_t a0 = f->c[2 * i], a1 = f->c[2 * i + 1];
		h->c[2 * i] += a0 * g->b0[i] + a1 * g->b1g[i];
		h->c[2 * i + 1] += a0 * g->b1[i] + a1 * g->b0[i];
	}
}

/* out = h * R^-1 mod q, |out| < q */
static void mlkem_acc_reduce(struct mlkem_poly *out, const struct mlkem_acc *h)
{
	for (unsigned i = 0; i < MLKEM_N; i++)
		out->c[i] = mlkem_mont(h->c[i]);
}

/* --- 4.2.2 sampling --- */

/* Algorithm 7, SampleNTT(rho || j || i): rejection sampling on public data */
static void mlkem_sample_ntt(struct mlkem_poly *a, const uint8_t rho[32], uint8_t j, uint8_t i)
{
	uint8_t idx[2] = { j, i };
	const struct iov in[] = { { rho, 32 }, { idx, 2 } };
	uint8_t buf[KECCAK_RATE_SHAKE128];	/* 56 groups of 3 octets */
	struct keccak_xof xof;
	keccak_xof_init(&xof, KECCAK_RATE_SHAKE128, 0x1f, in, 2);
	unsigned n = 0;
	while (n < MLKEM_N) {
		keccak_xof_squeeze(&xof, buf, sizeof(buf));
		for (size_t p = 0; p < sizeof(buf) && n < MLKEM_N; p += 3) {
			uint16_t d1 = (uint16_t)(buf[p] | (buf[p + 1] & 0x0f) << 8);
			uint16_t d2 = (uint16_t)(buf[p + 1] >> 4 | buf[p + 2] << 4);
			if (d1 < MLKEM_Q)
				a->c[n++] = (int16_t)d1;
			if (d2 < MLKEM_Q && n < MLKEM_N)
				a->c[n++] = (int16_t)d2;
		}
	}
}

/* Algorithm 8 for eta = 2: bits 4i, 4i+1 sum to x and 4i+2, 4i+3 to y.  The pairwise
 * bit sums of a 32-bit word are computed at once (d), then read 2 bits at a time. */
static void mlkem_cbd2(struct mlkem_poly *f, const uint8_t *b)
{
	for (unsigned n = 0; n < MLKEM_N / 8; n++, b += 4) {
		uint32_t w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
			     (uint32_t)b[3] << 24;
		uint32_t d = (w & 0x55555555u) + ((w >> 1) & 0x55555555u);
		for (unsigned i = 0; i < 8; i++) {
			int16_t x = (int16_t)((d >> (4 * i)) & 3), y = (int16_t)((d >> (4 * i + 2)) & 3);
			f->c[8 * n + i] = (int16_t)(x - y);
		}
	}
}

/* Algorithm 8 for eta = 3: 3-bit sums of each group of three bits of a 24-bit word. */
static void mlkem_cbd3(struct mlkem_poly *f, const uint8_t *b)
{
	for (unsigned n = 0; n < MLKEM_N / 4; n++, b += 3) {
		uint32_t w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16;
		uint32_t d = (w & 0x249249u) + ((w >> 1) & 0x249249u) + ((w >> 2) & 0x249249u);
		for (unsigned i = 0; i < 4; i++) {
			int16_t x = (int16_t)((d >> (6 * i)) & 7), y = (int16_t)((d >> (6 * i + 3)) & 7);
			f->c[4 * n + i] = (int16_t)(x - y);
		}
	}
}

/* SamplePolyCBD_eta(PRF_eta(s, b)): 4.1 PRF_eta(s, b) = SHAKE256(s || b, 8 * 64 eta),
 * then Algorithm 8; the coefficients are x - y in [-eta, eta], congruent to the spec's
 * x - y mod q. */
static void mlkem_cbd_prf(struct mlkem_poly *f, const uint8_t s[32], uint8_t b, unsigned eta)
{
	uint8_t buf[64 * 3];
	const struct iov in[] = { { s, 32 }, { &b, 1 } };
	keccak_shake256(in, 2, buf, 64 * eta);
	if (eta == 2)
		mlkem_cbd2(f, buf);
	else
		mlkem_cbd3(f, buf);
	chunk_wipe(buf, sizeof(buf));
}

/* --- 5 K-PKE --- */

/* t_hat[i] = sum_j A_hat[i,j] o s_hat[j] + e_hat[i], reduced to [0, q), as ek octets
 * (Algorithm 13 steps 3-7 and 18-19); A_hat[i,j] = SampleNTT(rho || j || i). */
static void mlkem_pke_public(const struct mlkem_params *p, const uint8_t rho[32],
			     const struct mlkem_prep *s, const struct mlkem_poly *e, uint8_t *ek)
{
	struct mlkem_acc acc;
	struct mlkem_poly t, a;
	for (unsigned i = 0; i < p->k; i++) {
		memset(&acc, 0, sizeof(acc));
		for (unsigned j = 0; j < p->k; j++) {
			mlkem_sample_ntt(&a, rho, (uint8_t)j, (uint8_t)i);
			mlkem_mul_acc(&acc, &a, &s[j]);
		}
		mlkem_acc_reduce(&t, &acc);
		for (unsigned n = 0; n < MLKEM_N; n++)
			t.c[n] = mlkem_fqmul(t.c[n], MLKEM_R2);
		mlkem_poly_add(&t, &e[i]);
		mlkem_poly_canon(&t);
		mlkem_encode(ek + MLKEM_POLY_BYTES * i, &t, 12);
	}
	chunk_wipe(&acc, sizeof(acc));
	chunk_wipe(&t, sizeof(t));
}

/* Algorithm 13, K-PKE.KeyGen(d): ek_PKE (384k + 32) and dk_PKE (384k) */
static void mlkem_pke_keygen(const struct mlkem_params *p, const uint8_t d[32],
			     uint8_t *ek, uint8_t *dk)
{
	uint8_t k = (uint8_t)p->k, rs[64];	/* (rho, sigma) = G(d || k) */
	const struct iov in[] = { { d, 32 }, { &k, 1 } };
	struct mlkem_poly s[MLKEM_MAXK], e[MLKEM_MAXK];
	struct mlkem_prep sp[MLKEM_MAXK];
	keccak_sha3_512(in, 2, rs);
	uint8_t n = 0;
	for (unsigned i = 0; i < p->k; i++)
		mlkem_cbd_prf(&s[i], rs + 32, n++, p->eta1);
	for (unsigned i = 0; i < p->k; i++)
		mlkem_cbd_prf(&e[i], rs + 32, n++, p->eta1);
	for (unsigned i = 0; i < p->k; i++) {
		mlkem_ntt(&s[i]);
		mlkem_ntt(&e[i]);
		mlkem_prepare(&sp[i], &s[i]);
	}
	mlkem_pke_public(p, rs, sp, e, ek);
	memcpy(ek + MLKEM_POLY_BYTES * p->k, rs, 32);
	for (unsigned i = 0; i < p->k; i++) {
		mlkem_poly_canon(&s[i]);
		mlkem_encode(dk + MLKEM_POLY_BYTES * i, &s[i], 12);
	}
	chunk_wipe(rs, sizeof(rs));
	chunk_wipe(s, sizeof(s));
	chunk_wipe(e, sizeof(e));
	chunk_wipe(sp, sizeof(sp));
}

/* u = NTT^-1(A_hat^T o y_hat) + e1, compressed into c1 (Algorithm 14 steps 4-8, 12-13,
 * 19, 22); A_hat[j,i] = SampleNTT(rho || i || j), e1[i] from PRF(r, k + i). */
static void mlkem_pke_u(const struct mlkem_params *p, const uint8_t rho[32],
			const uint8_t r[32], const struct mlkem_prep *y, uint8_t *c)
{
	struct mlkem_acc acc;
	struct mlkem_poly u, a, e1;
	for (unsigned i = 0; i < p->k; i++) {
		memset(&acc, 0, sizeof(acc));
		for (unsigned j = 0; j < p->k; j++) {
			mlkem_sample_ntt(&a, rho, (uint8_t)i, (uint8_t)j);
			mlkem_mul_acc(&acc, &a, &y[j]);
		}
		mlkem_acc_reduce(&u, &acc);
		mlkem_ntt_inv(&u);
		mlkem_cbd_prf(&e1, r, (uint8_t)(p->k + i), p->eta2);
		mlkem_poly_add(&u, &e1);
		mlkem_compress_encode(c + 32 * p->du * i, &u, p->du);
	}
	chunk_wipe(&acc, sizeof(acc));
	chunk_wipe(&u, sizeof(u));
	chunk_wipe(&e1, sizeof(e1));
}

/* v = NTT^-1(t_hat^T o y_hat) + e2 + Decompress_1(ByteDecode_1(m)), compressed into c2
 * (Algorithm 14 steps 2, 17, 20-21, 23); e2 from PRF(r, 2k). */
static void mlkem_pke_v(const struct mlkem_params *p, const uint8_t *ek, const uint8_t m[32],
			const uint8_t r[32], const struct mlkem_prep *y, uint8_t *c2)
{
	struct mlkem_acc acc;
	struct mlkem_poly v, t, e2;
	memset(&acc, 0, sizeof(acc));
	for (unsigned j = 0; j < p->k; j++) {
		mlkem_decode12(&t, ek + MLKEM_POLY_BYTES * j);
		mlkem_mul_acc(&acc, &t, &y[j]);
	}
	mlkem_acc_reduce(&v, &acc);
	mlkem_ntt_inv(&v);
	mlkem_cbd_prf(&e2, r, (uint8_t)(2 * p->k), p->eta2);
	mlkem_poly_add(&v, &e2);
	for (unsigned i = 0; i < MLKEM_N; i++) {
		int16_t bit = (int16_t)((m[i / 8] >> (i % 8)) & 1);
		v.c[i] = (int16_t)(v.c[i] + (-bit & 1665));	/* Decompress_1(1) = 1665 */
	}
	mlkem_compress_encode(c2, &v, p->dv);
	chunk_wipe(&acc, sizeof(acc));
	chunk_wipe(&v, sizeof(v));
	chunk_wipe(&e2, sizeof(e2));
}

/* Algorithm 14, K-PKE.Encrypt(ek_PKE, m, r) */
static void mlkem_pke_encrypt(const struct mlkem_params *p, const uint8_t *ek,
			      const uint8_t m[32], const uint8_t r[32], uint8_t *c)
{
	struct mlkem_poly y;
	struct mlkem_prep yp[MLKEM_MAXK];
	const uint8_t *rho = ek + MLKEM_POLY_BYTES * p->k;
	for (unsigned i = 0; i < p->k; i++) {
		mlkem_cbd_prf(&y, r, (uint8_t)i, p->eta1);
		mlkem_ntt(&y);
		mlkem_prepare(&yp[i], &y);
	}
	mlkem_pke_u(p, rho, r, yp, c);
	mlkem_pke_v(p, ek, m, r, yp, c + 32 * p->du * p->k);
	chunk_wipe(&y, sizeof(y));
	chunk_wipe(yp, sizeof(yp));
}

/* Algorithm 15, K-PKE.Decrypt(dk_PKE, c): m = ByteEncode_1(Compress_1(v' - NTT^-1(
 * s_hat^T o NTT(u')))) */
static void mlkem_pke_decrypt(const struct mlkem_params *p, const uint8_t *dk,
			      const uint8_t *c, uint8_t m[32])
{
	struct mlkem_acc acc;
	struct mlkem_prep up;
	struct mlkem_poly w, u, s;
	memset(&acc, 0, sizeof(acc));
	for (unsigned i = 0; i < p->k; i++) {
		mlkem_decode_decompress(&u, c + 32 * p->du * i, p->du);
		mlkem_ntt(&u);
		mlkem_prepare(&up, &u);
		mlkem_decode12(&s, dk + MLKEM_POLY_BYTES * i);
		mlkem_mul_acc(&acc, &s, &up);
	}
	mlkem_acc_reduce(&w, &acc);
	mlkem_ntt_inv(&w);
	mlkem_decode_decompress(&u, c + 32 * p->du * p->k, p->dv);
	for (unsigned i = 0; i < MLKEM_N; i++)
		w.c[i] = (int16_t)(u.c[i] - w.c[i]);
	mlkem_compress_encode(m, &w, 1);
	chunk_wipe(&acc, sizeof(acc));
	chunk_wipe(&up, sizeof(up));
	chunk_wipe(&w, sizeof(w));
	chunk_wipe(&u, sizeof(u));
	chunk_wipe(&s, sizeof(s));
}

/* --- 6 ML-KEM internal algorithms --- */

/* H(s) = SHA3-256(s) (4.1) */
static void mlkem_h(const uint8_t *s, size_t len, uint8_t out[32])
{
	const struct iov in = { s, len };
	keccak_sha3_256(&in, 1, out);
}

void mlkem_keygen_internal(enum mlkem_set set, const uint8_t d[32], const uint8_t z[32],
			   uint8_t *ek, uint8_t *dk)
{
	const struct mlkem_params *p = &mlkem_sets[set];
	size_t eklen = mlkem_ek_len(set), off = MLKEM_POLY_BYTES * p->k;
	mlkem_pke_keygen(p, d, ek, dk);
	/* dk = dk_PKE || ek || H(ek) || z */
	memcpy(dk + off, ek, eklen);
	mlkem_h(ek, eklen, dk + off + eklen);
	memcpy(dk + off + eklen + 32, z, 32);
}

void mlkem_encaps_internal(enum mlkem_set set, const uint8_t *ek, const uint8_t m[32],
			   uint8_t K[32], uint8_t *c)
{
	uint8_t h[32], kr[64];
	mlkem_h(ek, mlkem_ek_len(set), h);
	const struct iov in[] = { { m, 32 }, { h, 32 } };
	keccak_sha3_512(in, 2, kr);		/* (K, r) = G(m || H(ek)) */
	mlkem_pke_encrypt(&mlkem_sets[set], ek, m, kr + 32, c);
	memcpy(K, kr, 32);
	chunk_wipe(kr, sizeof(kr));
}

/* 0xff if a and b are equal, 0 if not, without a branch (Algorithm 18 step 9) */
static uint8_t mlkem_eq_mask(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint32_t acc = 0;
	for (size_t i = 0; i < len; i++)
		acc |= (uint32_t)(a[i] ^ b[i]);
	uint32_t ne = (acc + 0xff) >> 8;	/* 1 iff some octet differed */
	uint8_t mask = (uint8_t)(ne - 1);
	__asm__("" : "+r"(mask));		/* keep the compiler from branching on it */
	return mask;
}

void mlkem_decaps_internal(enum mlkem_set set, const uint8_t *dk, const uint8_t *c,
			   uint8_t K[32])
{
	const struct mlkem_params *p = &mlkem_sets[set];
	size_t off = MLKEM_POLY_BYTES * p->k, eklen = mlkem_ek_len(set);
	size_t clen = mlkem_ct_len(set);
	const uint8_t *ek = dk + off, *h = ek + eklen, *z = h + 32;
	uint8_t m[32], kr[64], kbar[32], c2[MLKEM_MAX_CT_LEN];
	mlkem_pke_decrypt(p, dk, c, m);
	const struct iov g_in[] = { { m, 32 }, { h, 32 } };
	keccak_sha3_512(g_in, 2, kr);		/* (K', r') = G(m' || h) */
	const struct iov j_in[] = { { z, 32 }, { c, clen } };
	keccak_shake256(j_in, 2, kbar, 32);	/* K_bar = J(z || c) */
	mlkem_pke_encrypt(p, ek, m, kr + 32, c2);
	uint8_t mask = mlkem_eq_mask(c, c2, clen);	/* if c != c' then K' = K_bar */
	for (unsigned i = 0; i < 32; i++)
		K[i] = (uint8_t)(kbar[i] ^ (mask & (kr[i] ^ kbar[i])));
	chunk_wipe(m, sizeof(m));
	chunk_wipe(kr, sizeof(kr));
	chunk_wipe(kbar, sizeof(kbar));
	chunk_wipe(c2, sizeof(c2));
	chunk_wipe(&mask, sizeof(mask));
}

/* --- 7 input checks and the external algorithms --- */

bool mlkem_ek_check(enum mlkem_set set, const uint8_t *ek, size_t len)
{
	/* 7.2 1: type check */
	if (len != mlkem_ek_len(set))
		return false;
	/* 7.2 2: modulus check, ByteEncode_12(ByteDecode_12(ek[0:384k])) == ek[0:384k] */
	struct mlkem_poly t;
	uint8_t test[MLKEM_POLY_BYTES];
	for (unsigned i = 0; i < mlkem_sets[set].k; i++) {
		mlkem_decode12(&t, ek + MLKEM_POLY_BYTES * i);
		mlkem_encode(test, &t, 12);
		if (memcmp(test, ek + MLKEM_POLY_BYTES * i, sizeof(test)) != 0)
			return false;
	}
	return true;
}

bool mlkem_dk_check(enum mlkem_set set, const uint8_t *dk, size_t len)
{
	/* 7.3 2: type check */
	if (len != mlkem_dk_len(set))
		return false;
	/* 7.3 3: hash check, H(dk[384k : 768k + 32]) == dk[768k + 32 : 768k + 64] */
	size_t off = MLKEM_POLY_BYTES * mlkem_sets[set].k, eklen = mlkem_ek_len(set);
	uint8_t test[32];
	mlkem_h(dk + off, eklen, test);
	return chunk_memeq(test, dk + off + eklen, sizeof(test));
}

enum ke_result mlkem_keygen(enum mlkem_set set, uint8_t *ek, uint8_t *dk)
{
	uint8_t dz[64];			/* Algorithm 19 steps 1-2 */
	if (!crypt_random(dz, sizeof(dz))) {
		chunk_wipe(dz, sizeof(dz));
		return KE_FAILED;
	}
	mlkem_keygen_internal(set, dz, dz + 32, ek, dk);
	chunk_wipe(dz, sizeof(dz));
	return KE_OK;
}

enum ke_result mlkem_encaps(enum mlkem_set set, const uint8_t *ek, size_t eklen,
			    uint8_t *c, uint8_t K[32])
{
	if (eklen != mlkem_ek_len(set))
		return KE_BAD_LENGTH;
	if (!mlkem_ek_check(set, ek, eklen))
		return KE_BAD_VALUE;
	uint8_t m[32];			/* Algorithm 20 step 1 */
	if (!crypt_random(m, sizeof(m))) {
		chunk_wipe(m, sizeof(m));
		return KE_FAILED;
	}
	mlkem_encaps_internal(set, ek, m, K, c);
	chunk_wipe(m, sizeof(m));
	return KE_OK;
}

enum ke_result mlkem_decaps(enum mlkem_set set, const uint8_t *dk, const uint8_t *c,
			    size_t clen, uint8_t K[32])
{
	/* 7.3 1: ciphertext type check; dk is ours, made by mlkem_keygen() */
	if (clen != mlkem_ct_len(set))
		return KE_BAD_LENGTH;
	mlkem_decaps_internal(set, dk, c, K);
	return KE_OK;
}
