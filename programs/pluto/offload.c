/* offload.c -- the jobs that crypto helpers run (helper.h): the key exchange (our
 * key pair, or the shared secret from the peer's KE data, then the keys that follow,
 * RFC 7296 2.14, RFC 9370 2.2.2) and our IKE_AUTH signature.  It works on copies only: no SA, no pluto, no log
 * (docs/architecture.md, "Threads"); everything secret is wiped by ke_job_free(). */
#include <stdlib.h>
#include <string.h>
#include "ikev2.h"
#include "auth.h"

static void ke_job_work(struct helper_job *h)
{
	struct ke_job *j = (struct ke_job *)h;
	switch (j->op) {
	case KJ_INITIATE:
		j->kr = ke_initiate(j->method, &j->ke);
		break;
	case KJ_RESPOND:
		j->kr = ke_respond(j->method, j->peer.ptr, j->peer.len, &j->ke, &j->secret);
		break;
	case KJ_FINISH:
		j->kr = ke_finish(j->ke, j->peer.ptr, j->peer.len, &j->secret);
		break;
	}
	if (j->kr != KE_OK)
		return;
	switch (j->keys_op) {
	case KJ_NO_KEYS:
		break;
	case KJ_IKE_SA_INIT:
		j->keys_ok = keymat_skeyseed(j->prf, &j->ni, &j->nr, &j->secret, &j->skeyseed) &&
			     keymat_ike_keys(j->prf, &j->skeyseed, &j->ni, &j->nr, j->spi_i, j->spi_r,
					     &j->sizes, &j->keys);
		break;
	case KJ_ADDKE: {
		struct ike_keys old = { .sk_d = j->old_sk_d };
		j->keys_ok = keymat_addke_update(j->prf, &old, &j->secret, &j->ni, &j->nr, j->spi_i,
						 j->spi_r, &j->sizes, &j->keys);
		break;
	}
	}
}

struct ke_job *ke_job_new(struct ike_sa *ike, enum kj_op op, uint16_t method, const uint8_t *peer,
			  size_t len, const char *what)
{
	struct ke_job *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return NULL;
	j->h.what = what;
	j->h.work = ke_job_work;
	j->h.cleanup = ke_job_free;
	j->h.serial = ike->serial;
	j->op = op;
	j->method = method;
	j->kr = KE_FAILED;
	if (len > 0) {
		j->peer = chunk_dup(peer, len);
		if (j->peer.ptr == NULL) {
			free(j);
			return NULL;
		}
	}
	return j;
}

void ke_job_keys(struct ke_job *j, const struct ike_sa *ike, enum kj_keys keys_op)
{
	j->keys_op = keys_op;
	j->prf = ike->prf;
	j->ni = chunk_dup(ike->ni.ptr, ike->ni.len);
	j->nr = chunk_dup(ike->nr.ptr, ike->nr.len);
	memcpy(j->spi_i, ike->spi_i, IKE_SPI_LEN);
	memcpy(j->spi_r, ike->spi_r, IKE_SPI_LEN);
	j->sizes = ike->sizes;
	if (keys_op == KJ_ADDKE)
		j->old_sk_d = chunk_dup(ike->keys.sk_d.ptr, ike->keys.sk_d.len);
}

void ke_job_free(struct helper_job *h)
{
	struct ke_job *j = (struct ke_job *)h;
	if (j == NULL)
		return;
	ke_free(j->ke);
	chunk_free(&j->peer);
	chunk_free(&j->ni);
	chunk_free(&j->nr);
	chunk_free(&j->old_sk_d);
	chunk_free(&j->secret);
	chunk_free(&j->skeyseed);
	keymat_free(&j->keys);
	chunk_wipe(j, sizeof(*j));
	free(j);
}

/* --- our AUTH signature (IKE_AUTH) --- */

static void sign_job_work(struct helper_job *h)
{
	struct sign_job *j = (struct sign_job *)h;
	j->ok = crypt_sign(j->plan.s, j->key, j->so.ptr, j->so.len, j->plan.digsig, &j->sig);
}

struct sign_job *sign_job_new(struct ike_sa *ike, const struct auth_sig_plan *plan, struct chunk *so)
{
	struct sign_job *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return NULL;
	j->h.what = "IKE_AUTH signature";
	j->h.work = sign_job_work;
	j->h.cleanup = sign_job_free;
	j->h.serial = ike->serial;
	j->plan = *plan;
	j->so = *so;
	*so = CHUNK_EMPTY;
	/* the connection (and its key) may go while the job runs */
	j->key = crypt_privkey_dup(ike->c->key);
	if (j->key == NULL) {
		sign_job_free(&j->h);
		return NULL;
	}
	return j;
}

void sign_job_free(struct helper_job *h)
{
	struct sign_job *j = (struct sign_job *)h;
	if (j == NULL)
		return;
	crypt_privkey_free(j->key);
	chunk_free(&j->so);
	chunk_free(&j->sig);
	chunk_wipe(j, sizeof(*j));
	free(j);
}
