/* keymat.h -- the IKEv2 key schedule (RFC 7296 2.14, 2.17; RFC 9370 2.2.2; RFC 8784 3).
 * The one place for keys. */
#ifndef KEYMAT_H
#define KEYMAT_H

#include <stdbool.h>
#include "chunk.h"
#include "ike_wire.h"

struct keymat_sizes {
	size_t prf;		/* SK_d, SK_pi, SK_pr: the PRF's preferred key size = output length */
	size_t integ;		/* SK_ai, SK_ar: 0 with AEAD */
	size_t encr;		/* SK_ei, SK_er, including AEAD salt */
};

struct ike_keys {
	struct chunk sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
};

/* RFC 7296 2.14, 2.15: the keys of one direction: the original initiator's
 * messages are protected with SK_ei/SK_ai and its AUTH uses SK_pi; the
 * responder's with SK_er/SK_ar and SK_pr.  The one place that picks them. */
struct ike_dir_keys {
	const struct chunk *e, *a, *p;
};
struct ike_dir_keys keymat_dir(const struct ike_keys *k, bool of_initiator);

/* RFC 7296 2.14: SKEYSEED = prf(Ni | Nr, g^ir) */
bool keymat_skeyseed(enum ike_prf prf, const struct chunk *ni, const struct chunk *nr,
		     const struct chunk *gir, struct chunk *skeyseed);
/* RFC 7296 2.14: {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *   = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) */
bool keymat_ike_keys(enum ike_prf prf, const struct chunk *skeyseed,
		     const struct chunk *ni, const struct chunk *nr,
		     const uint8_t spi_i[8], const uint8_t spi_r[8],
		     const struct keymat_sizes *sz, struct ike_keys *out);
/* Both steps after IKE_SA_INIT. */
bool keymat_ike_sa_init(enum ike_prf prf, const struct chunk *ni, const struct chunk *nr,
			const struct chunk *gir, const uint8_t spi_i[8], const uint8_t spi_r[8],
			const struct keymat_sizes *sz, struct ike_keys *out);
/* RFC 9370 2.2.2: after IKE_INTERMEDIATE round n with shared secret SK(n):
 *   SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr), keys(n) = prf+(SKEYSEED(n), Ni|Nr|SPIi|SPIr) */
bool keymat_addke_update(enum ike_prf prf, const struct ike_keys *old, const struct chunk *sk_n,
			 const struct chunk *ni, const struct chunk *nr,
			 const uint8_t spi_i[8], const uint8_t spi_r[8],
			 const struct keymat_sizes *sz, struct ike_keys *out);
/* RFC 7296 2.17: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr); gir may be NULL */
bool keymat_child(enum ike_prf prf, const struct chunk *sk_d, const struct chunk *gir,
		  const struct chunk *ni, const struct chunk *nr, size_t len, struct chunk *keymat);
/* RFC 7296 2.18, RFC 9370 2.2.4 (IKE SA rekey):
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr [| SK(1) | ... | SK(n)])
 * with the nonces of the CREATE_CHILD_SA; addke holds the naddke IKE_FOLLOWUP_KE secrets
 * (NULL when naddke is 0).  keymat_ike_keys() then gives the new keys. */
bool keymat_rekey_skeyseed(enum ike_prf prf, const struct chunk *old_sk_d, const struct chunk *gir,
			   const struct chunk *ni, const struct chunk *nr,
			   const struct chunk *addke, size_t naddke, struct chunk *skeyseed);
/* RFC 9370 2.2.4 (Child SA with additional key exchanges):
 *   KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr | SK(1) | ... | SK(n)); gir may be NULL */
bool keymat_child_addke(enum ike_prf prf, const struct chunk *sk_d, const struct chunk *gir,
			const struct chunk *ni, const struct chunk *nr,
			const struct chunk *addke, size_t naddke, size_t len, struct chunk *keymat);
/* RFC 8784 3: SK_d' = prf+(PPK, SK_d), SK_pi' = prf+(PPK, SK_pi),
 * SK_pr' = prf+(PPK, SK_pr), each as long as the key it replaces; the other keys
 * stay.  k gets the mixed keys; unmixed takes the original SK_d, SK_pi and SK_pr
 * (its other members empty), for NO_PPK_AUTH and for a peer that did not use the
 * PPK.  False (k unchanged) on failure. */
bool keymat_ppk_mix(enum ike_prf prf, const struct chunk *ppk, struct ike_keys *k, struct ike_keys *unmixed);
/* Back to the keys before keymat_ppk_mix(): the mixed ones are wiped, unmixed is emptied */
void keymat_ppk_revert(struct ike_keys *k, struct ike_keys *unmixed);
void keymat_free(struct ike_keys *k);

#endif
