/* ike_intermediate.c -- the IKE_INTERMEDIATE exchange (RFC 9242 3) and the RFC 9370
 * additional key exchanges it carries.
 *
 * Rounds run strictly one after another, started by the initiator only, between
 * IKE_SA_INIT and IKE_AUTH.  Round n carries the n-th negotiated additional key
 * exchange (RFC 9370 2.2.2); without any, one empty round runs (intermediate=yes).
 * The driver records every message in the transcript with the keys that protected it
 * (ikev2.c on receipt, send.c on sending) before any key update here. */
#include <stdio.h>
#include <string.h>
#include "ikev2.h"
#include "keylog.h"

#define INT_INNER_MAX 2048	/* inner payloads of one round: a KE payload at most */
#define INT_KE_MAX    1600	/* the largest KE data: ML-KEM-1024's 1568 octets */

/* RFC 9370 2.2.2: SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr), new SK_* from it;
 * the key exchange job (offload.c) computed them: they become the SA's */
static bool update_keys(struct ike_sa *ike, struct ke_job *j)
{
	if (!j->keys_ok) {
		ike_log(ike, "RFC 9370 key update failed");
		return false;
	}
	keymat_free(&ike->keys);
	ike->keys = j->keys;
	memset(&j->keys, 0, sizeof(j->keys));
	keylog_ike(ike);
	char when[64];
	snprintf(when, sizeof(when), "updated after IKE_INTERMEDIATE round %u (RFC 9370)", ike->int_rounds + 1);
	ike_dbg_keys(ike, when, &j->secret, NULL);
	return true;
}

static void round_done(struct ike_sa *ike, uint16_t method)
{
	ike->int_rounds++;
	ike_log(ike, "IKE_INTERMEDIATE round %u done%s%s", ike->int_rounds,
		method != IKE_KE_NONE ? ": keys updated with " : "",
		method != IKE_KE_NONE ? ike_ke_name(method) : "");
}

static bool round_has_ke(const struct ike_sa *ike, unsigned round)
{
	return round < ike->n_addke;
}

static bool is_mlkem(uint16_t m)
{
	return m == IKE_KE_MLKEM512 || m == IKE_KE_MLKEM768 || m == IKE_KE_MLKEM1024;
}

/* whack --impair: spoil the KE payload the way the test asked (tests only) */
static void impair_ke(struct ike_sa *ike, uint16_t *m, uint8_t *data, size_t *len)
{
	unsigned imp = ike->pluto->impair;
	if (imp & IMPAIR_KE_LENGTH) {
		(*len)--;
		ike_log(ike, "IMPAIR: sending KE data one octet short (%zu octets)", *len);
	}
	if (imp & IMPAIR_KE_METHOD) {
		*m = *m == IKE_KE_ECP256 ? IKE_KE_ECP384 : IKE_KE_ECP256;
		ike_log(ike, "IMPAIR: sending KE payload labelled %s", ike_ke_name(*m));
	}
	if ((imp & IMPAIR_MLKEM_KEY) && is_mlkem(*m) && *len >= 2) {
		/* FIPS 203 7.2: the first 12-bit coefficient of ek becomes 4095 >= q */
		data[0] = 0xff;
		data[1] |= 0x0f;
		ike_log(ike, "IMPAIR: sending an ML-KEM encapsulation key with a coefficient >= q");
	}
}

/* The request of the next round, with our key pair of its key exchange (kp; NULL
 * for a round without one) */
static bool send_round(struct ike_sa *ike, struct ke_job *kp)
{
	uint8_t storage[INT_INNER_MAX];
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	unsigned round = ike->int_rounds;
	if (kp != NULL) {
		uint16_t m = kp->method;
		if (kp->kr != KE_OK) {
			ike_log(ike, "cannot start additional key exchange %s: %s", ike_ke_name(m),
				ke_result_name(kp->kr));
			return false;
		}
		ke_free(ike->ke);
		ike->ke = kp->ke;
		kp->ke = NULL;
		size_t len;
		const uint8_t *pub = ke_public(ike->ke, &len);
		uint8_t data[INT_KE_MAX];
		if (len > sizeof(data))
			return false;
		memcpy(data, pub, len);
		ike_log(ike, "IKE_INTERMEDIATE round %u: additional key exchange %s", round + 1, ike_ke_name(m));
		impair_ke(ike, &m, data, &len);
		codec_put_ke(&inner, m, data, len);
	} else if (round > 0 && (ike->pluto->impair & IMPAIR_EXTRA_ROUND)) {
		/* a KE round nobody negotiated: the responder must refuse it */
		uint8_t junk[32] = { 9 };
		codec_put_ke(&inner, IKE_KE_CURVE25519, junk, sizeof(junk));
		ike_log(ike, "IMPAIR: IKE_INTERMEDIATE round %u carries a KE payload that was not negotiated",
			round + 1);
	} else {
		ike_log(ike, "IKE_INTERMEDIATE round %u: no key exchange", round + 1);
	}
	return send_request(ike, IKE_INTERMEDIATE, &inner);
}

/* after our key pair of the round (offload.c) */
static enum tr_result int_keypair_resume(struct ike_sa *ike, struct msg_digest *md, struct helper_job *h)
{
	return send_round(ike, (struct ke_job *)h) ? TR_NEXT_ALT : TR_FAIL;
}

enum tr_result ike_intermediate_initiate(struct ike_sa *ike, struct msg_digest *md)
{
	unsigned round = ike->int_rounds;
	if (!round_has_ke(ike, round))
		return send_round(ike, NULL) ? TR_NEXT_ALT : TR_FAIL;
	struct ke_job *j = ke_job_new(ike, KJ_INITIATE, ike->addke[round], NULL, 0, "IKE_INTERMEDIATE key pair");
	if (j == NULL)
		return TR_FAIL;
	return ikev2_offload(ike, md, &j->h, int_keypair_resume);
}

/* The KE payload of a round, checked against the negotiated method. */
static const char *round_ke(const struct ike_sa *ike, const struct msg_digest *md, unsigned round,
			    struct ike_ke_pl *ke)
{
	const struct ike_pl *pl = codec_find(md->pl, IKE_PL_KE);
	if (!round_has_ke(ike, round))
		return pl != NULL ? "KE payload in a round without a negotiated key exchange" : NULL;
	if (pl == NULL || codec_decode_ke(pl, ke) != CODEC_OK)
		return "missing or malformed KE payload";
	/* RFC 9370 2.2.2: the method was negotiated in IKE_SA_INIT; another one is a
	 * protocol error (there is no renegotiation inside IKE_INTERMEDIATE) */
	if (ke->method != ike->addke[round])
		return "KE payload for another key exchange method than negotiated";
	return NULL;
}

static enum tr_result reject_round(struct ike_sa *ike, struct msg_digest *md, const char *why)
{
	ike_log(ike, "IKE_INTERMEDIATE round %u request rejected: %s", ike->int_rounds + 1, why);
	send_notify_response(ike, md, IKE_N_INVALID_SYNTAX, NULL, 0);
	return TR_FAIL;
}

/* after our KE, SK(n) and the keys of round n+1 (offload.c): the response goes out
 * under the keys of this round; then they change */
static enum tr_result int_r_resume(struct ike_sa *ike, struct msg_digest *md, struct helper_job *h)
{
	struct ke_job *j = (struct ke_job *)h;
	/* wrong length, or an ML-KEM key failing the FIPS 203 7.2 check */
	if (j->kr != KE_OK)
		return reject_round(ike, md, ke_result_name(j->kr));
	uint8_t storage[INT_INNER_MAX];
	struct ike_buf inner;
	codec_buf_init(&inner, storage, sizeof(storage));
	size_t len;
	const uint8_t *pub = ke_public(j->ke, &len);
	codec_put_ke(&inner, j->method, pub, len);
	if (!send_response(ike, md, &inner) || !update_keys(ike, j))
		return TR_FAIL;
	round_done(ike, j->method);
	return TR_STAY;
}

enum tr_result ike_intermediate_r(struct ike_sa *ike, struct msg_digest *md)
{
	unsigned round = ike->int_rounds;
	if (!ike->intermediate)
		return reject_round(ike, md, "IKE_INTERMEDIATE was not negotiated");
	/* RFC 9242 3.2 leaves the number of rounds to the peers; we bound it */
	if (round >= PLUTO_MAX_INTERMEDIATE_ROUNDS)
		return reject_round(ike, md, "too many IKE_INTERMEDIATE rounds");
	struct ike_ke_pl ke;
	const char *bad = round_ke(ike, md, round, &ke);
	if (bad != NULL)
		return reject_round(ike, md, bad);
	if (!round_has_ke(ike, round)) {
		uint8_t storage[64];
		struct ike_buf inner;
		codec_buf_init(&inner, storage, sizeof(storage));
		if (!send_response(ike, md, &inner))
			return TR_FAIL;
		round_done(ike, IKE_KE_NONE);
		return TR_STAY;
	}
	struct ke_job *j = ke_job_new(ike, KJ_RESPOND, ke.method, ke.data, ke.len,
				      "IKE_INTERMEDIATE key exchange");
	if (j == NULL)
		return reject_round(ike, md, "internal failure");
	ke_job_keys(j, ike, KJ_ADDKE);
	return ikev2_offload(ike, md, &j->h, int_r_resume);
}

static bool error_notify(struct ike_sa *ike, const struct msg_digest *md)
{
	uint16_t e = codec_first_error_notify(md->pl);
	if (e == 0)
		return false;
	ike->last_error = e;
	ike_log(ike, "IKE_INTERMEDIATE response: peer sent %s", ike_notify_name(e));
	return true;
}

/* after SK(n) and the keys of round n+1 (offload.c) */
static enum tr_result int_i_resume(struct ike_sa *ike, struct msg_digest *md, struct helper_job *h)
{
	struct ke_job *j = (struct ke_job *)h;
	/* FIPS 203 7.3: the ciphertext length is checked by ke_finish */
	if (j->kr != KE_OK || !update_keys(ike, j)) {
		ike_log(ike, "IKE_INTERMEDIATE round %u: key exchange %s failed: %s", ike->int_rounds + 1,
			ike_ke_name(j->method), ke_result_name(j->kr));
		return TR_FAIL;
	}
	round_done(ike, j->method);
	return ikev2_next_request(ike, md);
}

enum tr_result ike_intermediate_i(struct ike_sa *ike, struct msg_digest *md)
{
	unsigned round = ike->int_rounds;
	if (error_notify(ike, md))
		return TR_FAIL;
	struct ike_ke_pl ke;
	const char *bad = round_ke(ike, md, round, &ke);
	if (bad != NULL) {
		ike_log(ike, "IKE_INTERMEDIATE round %u response rejected: %s", round + 1, bad);
		return TR_FAIL;
	}
	if (!round_has_ke(ike, round)) {
		round_done(ike, IKE_KE_NONE);
		return ikev2_next_request(ike, md);
	}
	struct ke_job *j = ke_job_new(ike, KJ_FINISH, ke.method, ke.data, ke.len, "IKE_INTERMEDIATE key exchange");
	if (j == NULL)
		return TR_FAIL;
	ke_job_keys(j, ike, KJ_ADDKE);
	j->ke = ike->ke;	/* the job's; its cleanup frees it (a round's key is used once) */
	ike->ke = NULL;
	return ikev2_offload(ike, md, &j->h, int_i_resume);
}
