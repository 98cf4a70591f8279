/* mlkem.h -- inside lib/libcrypt (and its tests and benchmarks): ML-KEM (FIPS 203) and
 * the SHA-3 functions it is built on (FIPS 202).
 *
 * The rest of the daemon reaches ML-KEM through the key exchange API of crypt.h
 * (methods IKE_KE_MLKEM512/768/1024, ke_mlkem.c).  The deterministic "internal"
 * algorithms are exposed here so that the NIST ACVP vectors can drive them.
 */
#ifndef MLKEM_H
#define MLKEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chunk.h"
#include "crypt.h"

/* --- SHA-3 (FIPS 202) --- */

/* rates in octets: (1600 - capacity) / 8 */
#define KECCAK_RATE_256		136	/* SHA3-256 */
#define KECCAK_RATE_512		72	/* SHA3-512 */
#define KECCAK_RATE_SHAKE128	168
#define KECCAK_RATE_SHAKE256	136

/* A sponge that has absorbed its whole input and is squeezing (an XOF). */
struct keccak_xof {
	uint64_t s[25];
	size_t rate;
	size_t pos;		/* next octet of the rate part to squeeze */
};
/* Absorbs in[0] | in[1] | ... with domain/padding octet ds (0x06 SHA-3, 0x1f SHAKE). */
void keccak_xof_init(struct keccak_xof *x, size_t rate, uint8_t ds,
		     const struct iov *in, size_t nin);
void keccak_xof_squeeze(struct keccak_xof *x, uint8_t *out, size_t len);

void keccak_sha3_256(const struct iov *in, size_t nin, uint8_t out[32]);
void keccak_sha3_512(const struct iov *in, size_t nin, uint8_t out[64]);
void keccak_shake128(const struct iov *in, size_t nin, uint8_t *out, size_t outlen);
void keccak_shake256(const struct iov *in, size_t nin, uint8_t *out, size_t outlen);

/* --- ML-KEM primitive (FIPS 203) --- */

enum mlkem_set { MLKEM_512, MLKEM_768, MLKEM_1024 };	/* FIPS 203 8, Table 2 */

#define MLKEM_SEED_LEN		32	/* d, z, m */
#define MLKEM_SHARED_LEN	32	/* K */
#define MLKEM_MAX_EK_LEN	1568	/* 384k + 32 */
#define MLKEM_MAX_DK_LEN	3168	/* 768k + 96 */
#define MLKEM_MAX_CT_LEN	1568	/* 32(du k + dv) */

size_t mlkem_ek_len(enum mlkem_set set);
size_t mlkem_dk_len(enum mlkem_set set);
size_t mlkem_ct_len(enum mlkem_set set);

/* Algorithm 16, ML-KEM.KeyGen_internal(d, z): ek gets mlkem_ek_len() octets and dk
 * mlkem_dk_len() octets (dk = dk_PKE | ek | H(ek) | z). */
void mlkem_keygen_internal(enum mlkem_set set, const uint8_t d[32], const uint8_t z[32],
			   uint8_t *ek, uint8_t *dk);
/* Algorithm 17, ML-KEM.Encaps_internal(ek, m): ek must have passed mlkem_ek_check(). */
void mlkem_encaps_internal(enum mlkem_set set, const uint8_t *ek, const uint8_t m[32],
			   uint8_t K[32], uint8_t *c);
/* Algorithm 18, ML-KEM.Decaps_internal(dk, c), with implicit rejection in constant time. */
void mlkem_decaps_internal(enum mlkem_set set, const uint8_t *dk, const uint8_t *c,
			   uint8_t K[32]);

/* 7.2: the type check (length) and the modulus check on an encapsulation key. */
bool mlkem_ek_check(enum mlkem_set set, const uint8_t *ek, size_t len);
/* 7.3: the type check and the hash check on a decapsulation key. */
bool mlkem_dk_check(enum mlkem_set set, const uint8_t *dk, size_t len);

/* Algorithm 19, ML-KEM.KeyGen: d and z from crypt_random(); KE_FAILED if it fails. */
enum ke_result mlkem_keygen(enum mlkem_set set, uint8_t *ek, uint8_t *dk);
/* Algorithm 20, ML-KEM.Encaps with the 7.2 checks: KE_BAD_LENGTH, KE_BAD_VALUE,
 * KE_FAILED (no randomness) or KE_OK with c (mlkem_ct_len() octets) and K. */
enum ke_result mlkem_encaps(enum mlkem_set set, const uint8_t *ek, size_t eklen,
			    uint8_t *c, uint8_t K[32]);
/* Algorithm 21, ML-KEM.Decaps with the 7.3 ciphertext type check (KE_BAD_LENGTH); dk is
 * our own, from mlkem_keygen(). */
enum ke_result mlkem_decaps(enum mlkem_set set, const uint8_t *dk, const uint8_t *c,
			    size_t clen, uint8_t K[32]);

#endif
