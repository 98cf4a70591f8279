/* keymat.c -- the IKEv2 key schedule (RFC 7296 2.14, 2.17, 2.18; RFC 9370 2.2.2, 2.2.4;
 * RFC 8784 3).
 * Pure: only crypt_prf() and crypt_prfplus().  Work happens in locals; outputs are
 * written only on success and every temporary secret is wiped.
 */
#include <string.h>
#include "crypt.h"
#include "keymat.h"

#define KEYMAT_MAX_ADDKE 7	/* RFC 9370 2.1: ADDKE1 .. ADDKE7 */

static struct iov iov_of(const struct chunk *c)
{
	return (struct iov){ c->ptr, c->len };
}

/* prf(key, data...) into a fresh chunk of the PRF's length */
static bool keymat_prf(enum ike_prf prf, const uint8_t *key, size_t keylen,
		       const struct iov *data, size_t ndata, struct chunk *out)
{
	size_t n = crypt_prf_len(prf);
	if (n == 0)
		return false;
	struct chunk r = chunk_alloc(n);
	if (!crypt_prf(prf, key, keylen, data, ndata, r.ptr)) {
		chunk_free(&r);
		return false;
	}
	*out = r;
	return true;
}

struct ike_dir_keys keymat_dir(const struct ike_keys *k, bool of_initiator)
{
	if (of_initiator)
		return (struct ike_dir_keys){ &k->sk_ei, &k->sk_ai, &k->sk_pi };
	return (struct ike_dir_keys){ &k->sk_er, &k->sk_ar, &k->sk_pr };
}

/* RFC 7296 2.14: SKEYSEED = prf(Ni | Nr, g^ir) */
bool keymat_skeyseed(enum ike_prf prf, const struct chunk *ni, const struct chunk *nr,
		     const struct chunk *gir, struct chunk *skeyseed)
{
	struct chunk key = chunk_alloc(ni->len + nr->len);
	if (ni->len)
		memcpy(key.ptr, ni->ptr, ni->len);
	if (nr->len)
		memcpy(key.ptr + ni->len, nr->ptr, nr->len);
	struct iov data = iov_of(gir);
	bool ok = keymat_prf(prf, key.ptr, key.len, &data, 1, skeyseed);
	chunk_free(&key);
	return ok;
}

/* Slices the next n octets off a prf+ stream (CHUNK_EMPTY when n is 0). */
static struct chunk take(const uint8_t *stream, size_t *off, size_t n)
{
	struct chunk c = n ? chunk_dup(stream + *off, n) : CHUNK_EMPTY;
	*off += n;
	return c;
}

/* RFC 7296 2.14: {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *   = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) */
bool keymat_ike_keys(enum ike_prf prf, const struct chunk *skeyseed,
		     const struct chunk *ni, const struct chunk *nr,
		     const uint8_t spi_i[8], const uint8_t spi_r[8],
		     const struct keymat_sizes *sz, struct ike_keys *out)
{
	size_t total = 3 * sz->prf + 2 * sz->integ + 2 * sz->encr;
	struct iov seed[] = { iov_of(ni), iov_of(nr), { spi_i, 8 }, { spi_r, 8 } };
	struct chunk stream = chunk_alloc(total);
	if (!crypt_prfplus(prf, skeyseed->ptr, skeyseed->len, seed, 4, stream.ptr, total)) {
		chunk_free(&stream);
		return false;
	}
	size_t off = 0;
	struct ike_keys k;
	k.sk_d = take(stream.ptr, &off, sz->prf);
	k.sk_ai = take(stream.ptr, &off, sz->integ);
	k.sk_ar = take(stream.ptr, &off, sz->integ);
	k.sk_ei = take(stream.ptr, &off, sz->encr);
	k.sk_er = take(stream.ptr, &off, sz->encr);
	k.sk_pi = take(stream.ptr, &off, sz->prf);
	k.sk_pr = take(stream.ptr, &off, sz->prf);
	chunk_free(&stream);
	*out = k;
	return true;
}

bool keymat_ike_sa_init(enum ike_prf prf, const struct chunk *ni, const struct chunk *nr,
			const struct chunk *gir, const uint8_t spi_i[8], const uint8_t spi_r[8],
			const struct keymat_sizes *sz, struct ike_keys *out)
{
	struct chunk skeyseed;
	if (!keymat_skeyseed(prf, ni, nr, gir, &skeyseed))
		return false;
	bool ok = keymat_ike_keys(prf, &skeyseed, ni, nr, spi_i, spi_r, sz, out);
	chunk_free(&skeyseed);
	return ok;
}

/* RFC 9370 2.2.2: SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr);
 *   keys(n) = prf+(SKEYSEED(n), Ni | Nr | SPIi | SPIr) */
bool keymat_addke_update(enum ike_prf prf, const struct ike_keys *old, const struct chunk *sk_n,
			 const struct chunk *ni, const struct chunk *nr,
			 const uint8_t spi_i[8], const uint8_t spi_r[8],
			 const struct keymat_sizes *sz, struct ike_keys *out)
{
	struct iov data[] = { iov_of(sk_n), iov_of(ni), iov_of(nr) };
	struct chunk skeyseed;
	if (!keymat_prf(prf, old->sk_d.ptr, old->sk_d.len, data, 3, &skeyseed))
		return false;
	bool ok = keymat_ike_keys(prf, &skeyseed, ni, nr, spi_i, spi_r, sz, out);
	chunk_free(&skeyseed);
	return ok;
}

/* The seed [g^ir |] Ni | Nr [| SK(1) | ... | SK(n)] of RFC 7296 2.17/2.18 and
 * RFC 9370 2.2.4, as an iov list; returns the number of pieces, 0 if too many. */
static size_t rekey_seed(struct iov *v, const struct chunk *gir, const struct chunk *ni,
			 const struct chunk *nr, const struct chunk *addke, size_t naddke)
{
	if (naddke > KEYMAT_MAX_ADDKE || (naddke > 0 && addke == NULL))
		return 0;
	size_t n = 0;
	if (gir != NULL)
		v[n++] = iov_of(gir);
	v[n++] = iov_of(ni);
	v[n++] = iov_of(nr);
	for (size_t i = 0; i < naddke; i++)
		v[n++] = iov_of(&addke[i]);
	return n;
}

bool keymat_rekey_skeyseed(enum ike_prf prf, const struct chunk *old_sk_d, const struct chunk *gir,
			   const struct chunk *ni, const struct chunk *nr,
			   const struct chunk *addke, size_t naddke, struct chunk *skeyseed)
{
	struct iov v[3 + KEYMAT_MAX_ADDKE];
	size_t n = rekey_seed(v, gir, ni, nr, addke, naddke);
	return n > 0 && keymat_prf(prf, old_sk_d->ptr, old_sk_d->len, v, n, skeyseed);
}

bool keymat_child_addke(enum ike_prf prf, const struct chunk *sk_d, const struct chunk *gir,
			const struct chunk *ni, const struct chunk *nr,
			const struct chunk *addke, size_t naddke, size_t len, struct chunk *keymat)
{
	struct iov v[3 + KEYMAT_MAX_ADDKE];
	size_t n = rekey_seed(v, gir, ni, nr, addke, naddke);
	if (n == 0)
		return false;
	struct chunk r = chunk_alloc(len);
	if (!crypt_prfplus(prf, sk_d->ptr, sk_d->len, v, n, r.ptr, len)) {
		chunk_free(&r);
		return false;
	}
	*keymat = r;
	return true;
}

/* RFC 7296 2.17: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) */
bool keymat_child(enum ike_prf prf, const struct chunk *sk_d, const struct chunk *gir,
		  const struct chunk *ni, const struct chunk *nr, size_t len, struct chunk *keymat)
{
	return keymat_child_addke(prf, sk_d, gir, ni, nr, NULL, 0, len, keymat);
}

/* RFC 8784 3: one PPK-mixed key, K' = prf+(PPK, K), as long as K (the PRF's
 * output length for SK_d, SK_pi and SK_pr) */
static bool ppk_key(enum ike_prf prf, const struct chunk *ppk, const struct chunk *k, struct chunk *out)
{
	if (k->len == 0 || ppk->len == 0)
		return false;
	struct iov seed = iov_of(k);
	struct chunk r = chunk_alloc(k->len);
	if (!crypt_prfplus(prf, ppk->ptr, ppk->len, &seed, 1, r.ptr, r.len)) {
		chunk_free(&r);
		return false;
	}
	*out = r;
	return true;
}

/* RFC 8784 3:
 *   SK_d'  = prf+ (PPK, SK_d)
 *   SK_pi' = prf+ (PPK, SK_pi)
 *   SK_pr' = prf+ (PPK, SK_pr)
 * SK_ei, SK_er, SK_ai and SK_ar are not changed. */
bool keymat_ppk_mix(enum ike_prf prf, const struct chunk *ppk, struct ike_keys *k, struct ike_keys *unmixed)
{
	struct chunk d = CHUNK_EMPTY, pi = CHUNK_EMPTY, pr = CHUNK_EMPTY;
	if (!ppk_key(prf, ppk, &k->sk_d, &d) || !ppk_key(prf, ppk, &k->sk_pi, &pi) ||
	    !ppk_key(prf, ppk, &k->sk_pr, &pr)) {
		chunk_free(&d);
		chunk_free(&pi);
		chunk_free(&pr);
		return false;
	}
	*unmixed = (struct ike_keys){ .sk_d = k->sk_d, .sk_pi = k->sk_pi, .sk_pr = k->sk_pr };
	k->sk_d = d;
	k->sk_pi = pi;
	k->sk_pr = pr;
	return true;
}

void keymat_ppk_revert(struct ike_keys *k, struct ike_keys *unmixed)
{
	chunk_free(&k->sk_d);
	chunk_free(&k->sk_pi);
	chunk_free(&k->sk_pr);
	k->sk_d = unmixed->sk_d;
	k->sk_pi = unmixed->sk_pi;
	k->sk_pr = unmixed->sk_pr;
	*unmixed = (struct ike_keys){ 0 };
}

void keymat_free(struct ike_keys *k)
{
	chunk_free(&k->sk_d);
	chunk_free(&k->sk_ai);
	chunk_free(&k->sk_ar);
	chunk_free(&k->sk_ei);
	chunk_free(&k->sk_er);
	chunk_free(&k->sk_pi);
	chunk_free(&k->sk_pr);
}
