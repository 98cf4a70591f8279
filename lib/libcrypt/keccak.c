/* keccak.c -- SHA3-256, SHA3-512, SHAKE128 and SHAKE256 (FIPS 202), for ML-KEM
 * (FIPS 203 4.1: H, J, G, PRF and XOF).  NSS 3.87 has no SHA-3 or SHAKE in its public
 * API, so this is ours.  Written from the FIPS 202 text only.
 *
 * The state is 25 lanes of 64 bits, lane (x, y) at s[x + 5y]; FIPS 202 3.1.2/3.1.3 map
 * octet i of the string to bits 8i..8i+7 of the lane sequence, i.e. little-endian lanes.
 */
#include <string.h>
#include "chunk.h"
#include "mlkem.h"

/* FIPS 202 3.2.5, Algorithms 5 and 6: RC for round index ir = 0..23 (derived with rc(t)) */
static const uint64_t keccak_rc[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL64(v, n) (((v) << (n)) | ((v) >> (64 - (n))))

/* One round Rnd = iota(chi(pi(rho(theta(A))))) (FIPS 202 3.3), from lanes A##xy into
 * lanes E##xy.  theta (3.2.1): C[x] = xor of column x, D[x] = C[x-1] ^ rot(C[x+1], 1).
 * rho (3.2.2, offsets from Algorithm 2) and pi (3.2.3: A'[x,y] = A[x+3y, x]) are folded
 * into b0..b4, one output plane y at a time; chi (3.2.4) is
 * A'[x,y] = A[x,y] ^ (~A[x+1,y] & A[x+2,y]); iota (3.2.5) xors RC into lane (0,0). */
#define KECCAK_ROUND(A, E, i) \
	c0 = A##00 ^ A##01 ^ A##02 ^ A##03 ^ A##04; \
	c1 = A##10 ^ A##11 ^ A##12 ^ A##13 ^ A##14; \
	c2 = A##20 ^ A##21 ^ A##22 ^ A##23 ^ A##24; \
	c3 = A##30 ^ A##31 ^ A##32 ^ A##33 ^ A##34; \
	c4 = A##40 ^ A##41 ^ A##42 ^ A##43 ^ A##44; \
	d0 = c4 ^ ROL64(c1, 1); \
	d1 = c0 ^ ROL64(c2, 1); \
	d2 = c1 ^ ROL64(c3, 1); \
	d3 = c2 ^ ROL64(c4, 1); \
	d4 = c3 ^ ROL64(c0, 1); \
	b0 = A##00 ^ d0; \
	b1 = ROL64(A##11 ^ d1, 44); \
	b2 = ROL64(A##22 ^ d2, 43); \
	b3 = ROL64(A##33 ^ d3, 21); \
	b4 = ROL64(A##44 ^ d4, 14); \
	E##00 = b0 ^ (~b1 & b2); \
	E##10 = b1 ^ (~b2 & b3); \
	E##20 = b2 ^ (~b3 & b4); \
	E##30 = b3 ^ (~b4 & b0); \
	E##40 = b4 ^ (~b0 & b1); \
	b0 = ROL64(A##30 ^ d3, 28); \
	b1 = ROL64(A##41 ^ d4, 20); \
	b2 = ROL64(A##02 ^ d0, 3); \
	b3 = ROL64(A##13 ^ d1, 45); \
	b4 = ROL64(A##24 ^ d2, 61); \
	E##01 = b0 ^ (~b1 & b2); \
	E##11 = b1 ^ (~b2 & b3); \
	E##21 = b2 ^ (~b3 & b4); \
	E##31 = b3 ^ (~b4 & b0); \
	E##41 = b4 ^ (~b0 & b1); \
	b0 = ROL64(A##10 ^ d1, 1); \
	b1 = ROL64(A##21 ^ d2, 6); \
	b2 = ROL64(A##32 ^ d3, 25); \
	b3 = ROL64(A##43 ^ d4, 8); \
	b4 = ROL64(A##04 ^ d0, 18); \
	E##02 = b0 ^ (~b1 & b2); \
	E##12 = b1 ^ (~b2 & b3); \
	E##22 = b2 ^ (~b3 & b4); \
	E##32 = b3 ^ (~b4 & b0); \
	E##42 = b4 ^ (~b0 & b1); \
	b0 = ROL64(A##40 ^ d4, 27); \
	b1 = ROL64(A##01 ^ d0, 36); \
	b2 = ROL64(A##12 ^ d1, 10); \
	b3 = ROL64(A##23 ^ d2, 15); \
	b4 = ROL64(A##34 ^ d3, 56); \
	E##03 = b0 ^ (~b1 & b2); \
	E##13 = b1 ^ (~b2 & b3); \
	E##23 = b2 ^ (~b3 & b4); \
	E##33 = b3 ^ (~b4 & b0); \
	E##43 = b4 ^ (~b0 & b1); \
	b0 = ROL64(A##20 ^ d2, 62); \
	b1 = ROL64(A##31 ^ d3, 55); \
	b2 = ROL64(A##42 ^ d4, 39); \
	b3 = ROL64(A##03 ^ d0, 41); \
	b4 = ROL64(A##14 ^ d1, 2); \
	E##04 = b0 ^ (~b1 & b2); \
	E##14 = b1 ^ (~b2 & b3); \
	E##24 = b2 ^ (~b3 & b4); \
	E##34 = b3 ^ (~b4 & b0); \
	E##44 = b4 ^ (~b0 & b1); \
	E##00 ^= keccak_rc[i];

#define KECCAK_LANES(X) \
	X(00) X(10) X(20) X(30) X(40) X(01) X(11) X(21) X(31) X(41) \
	X(02) X(12) X(22) X(32) X(42) X(03) X(13) X(23) X(33) X(43) \
	X(04) X(14) X(24) X(34) X(44)

/* Keccak-p[1600, 24] = Keccak-f[1600] (FIPS 202 3.3 Algorithm 7, 3.4) */
static void keccak_f1600(uint64_t s[25])
{
	uint64_t b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
#define KECCAK_DECL(xy) uint64_t a##xy, e##xy;
	KECCAK_LANES(KECCAK_DECL)
#undef KECCAK_DECL
	unsigned n = 0;
#define KECCAK_LOAD(xy) a##xy = s[n++];
	KECCAK_LANES(KECCAK_LOAD)
#undef KECCAK_LOAD
	for (unsigned ir = 0; ir < 24; ir += 2) {
		KECCAK_ROUND(a, e, ir)
		KECCAK_ROUND(e, a, ir + 1)
	}
	n = 0;
#define KECCAK_STORE(xy) s[n++] = a##xy;
	KECCAK_LANES(KECCAK_STORE)
#undef KECCAK_STORE
}

static uint64_t keccak_load64(const uint8_t *p)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void keccak_store64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* XOR octets into the rate part of the state at x->pos, permuting when it fills. */
static void keccak_absorb(struct keccak_xof *x, const uint8_t *p, size_t len)
{
	while (len > 0) {
		if (x->pos == 0 && len >= x->rate) {		/* a whole block */
			for (size_t l = 0; l < x->rate / 8; l++)
				x->s[l] ^= keccak_load64(p + 8 * l);
			x->pos = x->rate, p += x->rate, len -= x->rate;
		} else if (x->pos % 8 == 0 && len >= 8) {	/* rates are multiples of 8 */
			x->s[x->pos / 8] ^= keccak_load64(p);
			x->pos += 8, p += 8, len -= 8;
		} else {
			x->s[x->pos / 8] ^= (uint64_t)*p << (8 * (x->pos % 8));
			x->pos++, p++, len--;
		}
		if (x->pos == x->rate) {
			keccak_f1600(x->s);
			x->pos = 0;
		}
	}
}

/* SPONGE[Keccak-f[1600], pad10*1, rate] (FIPS 202 4, 5.1) up to the first squeeze.
 * ds holds the domain suffix bits and the first padding bit, LSB first: 0x06 for SHA-3
 * (M || 01, 6.1), 0x1f for SHAKE (M || 1111, 6.2).  The last padding bit is 0x80 in
 * the last octet of the block. */
void keccak_xof_init(struct keccak_xof *x, size_t rate, uint8_t ds,
		     const struct iov *in, size_t nin)
{
	memset(x, 0, sizeof(*x));
	x->rate = rate;
	for (size_t i = 0; i < nin; i++)
		keccak_absorb(x, in[i].p, in[i].len);
	x->s[x->pos / 8] ^= (uint64_t)ds << (8 * (x->pos % 8));
	x->s[(rate - 1) / 8] ^= 0x80ULL << (8 * ((rate - 1) % 8));
	keccak_f1600(x->s);
	x->pos = 0;
}

void keccak_xof_squeeze(struct keccak_xof *x, uint8_t *out, size_t len)
{
	while (len > 0) {
		if (x->pos == x->rate) {
			keccak_f1600(x->s);
			x->pos = 0;
		}
		if (x->pos == 0 && len >= x->rate) {		/* a whole block */
			for (size_t l = 0; l < x->rate / 8; l++)
				keccak_store64(out + 8 * l, x->s[l]);
			x->pos = x->rate, out += x->rate, len -= x->rate;
		} else if (x->pos % 8 == 0 && len >= 8) {
			keccak_store64(out, x->s[x->pos / 8]);
			x->pos += 8, out += 8, len -= 8;
		} else {
			*out = (uint8_t)(x->s[x->pos / 8] >> (8 * (x->pos % 8)));
			x->pos++, out++, len--;
		}
	}
}

static void keccak_oneshot(size_t rate, uint8_t ds, const struct iov *in, size_t nin,
			   uint8_t *out, size_t outlen)
{
	struct keccak_xof x;
	keccak_xof_init(&x, rate, ds, in, nin);
	keccak_xof_squeeze(&x, out, outlen);
	chunk_wipe(&x, sizeof(x));	/* the inputs are often secret (FIPS 203 3.3) */
}

/* FIPS 202 6.1: SHA3-256(M) = KECCAK[512](M || 01, 256), rate 1088 bits */
void keccak_sha3_256(const struct iov *in, size_t nin, uint8_t out[32])
{
	keccak_oneshot(KECCAK_RATE_256, 0x06, in, nin, out, 32);
}

/* FIPS 202 6.1: SHA3-512(M) = KECCAK[1024](M || 01, 512), rate 576 bits */
void keccak_sha3_512(const struct iov *in, size_t nin, uint8_t out[64])
{
	keccak_oneshot(KECCAK_RATE_512, 0x06, in, nin, out, 64);
}

/* FIPS 202 6.2: SHAKE128(M, d) = KECCAK[256](M || 1111, d), rate 1344 bits */
void keccak_shake128(const struct iov *in, size_t nin, uint8_t *out, size_t outlen)
{
	keccak_oneshot(KECCAK_RATE_SHAKE128, 0x1f, in, nin, out, outlen);
}

/* FIPS 202 6.2: SHAKE256(M, d) = KECCAK[512](M || 1111, d), rate 1088 bits */
void keccak_shake256(const struct iov *in, size_t nin, uint8_t *out, size_t outlen)
{
	keccak_oneshot(KECCAK_RATE_SHAKE256, 0x1f, in, nin, out, outlen);
}
