/* ppk.c -- RFC 8784 postquantum preshared keys in IKE_SA_INIT and IKE_AUTH: who
 * proposes one, which PPK (ipsec.secrets PPKS entries, chosen by the IDs as a PSK
 * is, and by ppk-ids=), the notifies, and what happens when one end has none.  The
 * mixing itself is keymat.c's (keymat_ppk_mix), the PPK_IDENTITY data
 * lib/libike/ppk.c's; ike_sa_init.c and ike_auth.c call these (auth.h). */
#include <stdio.h>
#include <string.h>
#include "auth.h"
#include "ppk.h"

static const char *id_text(const uint8_t *id, size_t len, char *buf, size_t cap)
{
	return ppk_id_str(id, len, buf, cap);
}

/* The PPKS entry for our IDs that ppk-ids= allows: with a list, the first listed
 * PPK_ID that has one; without, the best entry for the IDs (conf_secrets_ppk) */
static const struct conf_secret *find_for_ids(const struct ike_sa *ike)
{
	const struct connection *c = ike->c;
	const struct conf_secrets *s = &ike->pluto->secrets;
	const char *id;
	size_t len;
	if (!conf_ppk_ids_nth(c->conf.ppk_ids, 0, &id, &len))
		return conf_secrets_ppk(s, &c->local->id, &c->remote->id, NULL, 0);
	for (unsigned i = 0; conf_ppk_ids_nth(c->conf.ppk_ids, i, &id, &len); i++) {
		const struct conf_secret *e = conf_secrets_ppk(s, &c->local->id, &c->remote->id,
							       (const uint8_t *)id, len);
		if (e != NULL)
			return e;
	}
	return NULL;
}

static void log_none(struct ike_sa *ike, const char *outcome)
{
	char a[300], b[300];
	ike_log(ike, "no PPK for '%s' and '%s' in ipsec.secrets%s; %s", ike_id_str(&ike->c->local->id, a, sizeof(a)),
		ike_id_str(&ike->c->remote->id, b, sizeof(b)), ike->c->conf.ppk_ids[0] ? " allowed by ppk-ids=" : "",
		outcome);
}

/* --- IKE_SA_INIT --- */

bool ppk_init_i(struct ike_sa *ike)
{
	enum conf_ppk want = ike->c->conf.ppk;
	ike->ppk_proposed = false;
	if (want == CONF_PPK_NO)
		return true;
	if (find_for_ids(ike) == NULL) {
		log_none(ike, want == CONF_PPK_INSIST ? "ppk=insist: not initiating" : "not proposing one (ppk=propose)");
		return want != CONF_PPK_INSIST;
	}
	/* RFC 8784 3: an initiator configured to use a PPK with the responder sends
	 * USE_PPK, whether or not the PPK is mandatory */
	ike->ppk_proposed = true;
	return true;
}

void ppk_put_init(struct ike_buf *b, const struct ike_sa *ike, bool responder)
{
	/* RFC 8784 3: USE_PPK, status type 16435, protocol 0, no SPI, no data */
	if (responder ? ike->ppk_negotiated : ike->ppk_proposed)
		codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_USE_PPK, NULL, 0);
}

static bool any_ppk(const struct conf_secrets *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->s[i].kind == CONF_SECRET_PPKS)
			return true;
	return false;
}

void ppk_read_init_r(struct ike_sa *ike, const struct msg_digest *md)
{
	bool peer = codec_find_notify(md->pl, IKE_N_USE_PPK) != NULL;
	/* RFC 8784 3: a responder that does not have any PPK ignores USE_PPK; one that
	 * does answers it.  The IDs are not known yet (they come in IKE_AUTH). */
	ike->ppk_negotiated = peer && ike->c->conf.ppk != CONF_PPK_NO && any_ppk(&ike->pluto->secrets);
	if (peer && !ike->ppk_negotiated)
		ike_log(ike, "IKE_SA_INIT: the peer proposes a PPK (USE_PPK); not answering it (%s)",
			ike->c->conf.ppk == CONF_PPK_NO ? "ppk=no" : "no PPKS entry in ipsec.secrets");
}

bool ppk_read_init_i(struct ike_sa *ike, const struct msg_digest *md)
{
	bool peer = codec_find_notify(md->pl, IKE_N_USE_PPK) != NULL;
	ike->ppk_negotiated = ike->ppk_proposed && peer;
	if (!ike->ppk_proposed || peer)
		return true;
	/* RFC 8784 3: without the responder's USE_PPK, an initiator for which the
	 * PPK is mandatory aborts; otherwise it goes on without */
	if (ike->c->conf.ppk == CONF_PPK_INSIST) {
		ike_log(ike, "IKE_SA_INIT response: the responder did not answer USE_PPK and ppk=insist; giving up");
		return false;
	}
	ike_log(ike, "IKE_SA_INIT response: the responder did not answer USE_PPK; going on without a PPK");
	return true;
}

/* --- IKE_AUTH, initiator --- */

bool ppk_choose_i(struct ike_sa *ike, const struct conf_secret **ppk)
{
	*ppk = NULL;
	ike->ppk_sent = false;
	if (!ike->ppk_negotiated)
		return true;
	/* looked up again: ipsec.secrets may have been reread since IKE_SA_INIT */
	*ppk = find_for_ids(ike);
	if (*ppk == NULL) {
		log_none(ike, ike->c->conf.ppk == CONF_PPK_INSIST ? "ppk=insist: giving up" : "going on without one");
		return ike->c->conf.ppk != CONF_PPK_INSIST;
	}
	return true;
}

static void remember_id(struct ike_sa *ike, const uint8_t *id, size_t len)
{
	chunk_free(&ike->ppk_id);
	ike->ppk_id = chunk_dup(id, len <= CONF_PPK_ID_MAX ? len : CONF_PPK_ID_MAX);
}

bool ppk_mix_i(struct ike_sa *ike, const struct conf_secret *ppk)
{
	keymat_free(&ike->ppk_unmixed);
	/* RFC 8784 3: SK_d', SK_pi', SK_pr'; the initiator keeps SK_d, SK_pr until it
	 * knows whether the responder used the PPK */
	if (!keymat_ppk_mix(ike->prf, &ppk->psk, &ike->keys, &ike->ppk_unmixed)) {
		ike_log(ike, "mixing the PPK into the keys failed");
		return false;
	}
	remember_id(ike, ppk->ppk_id.ptr, ppk->ppk_id.len);
	ike->ppk_sent = true;
	ike->ppk_used = true;		/* until the response says otherwise */
	char t[PPK_ID_STR_MAX];
	ike_log(ike, "IKE_AUTH: PPK_ID %s mixed into SK_d, SK_pi and SK_pr (RFC 8784)%s",
		id_text(ike->ppk_id.ptr, ike->ppk_id.len, t, sizeof(t)),
		ike->c->conf.ppk == CONF_PPK_INSIST ? "" : "; NO_PPK_AUTH for a responder without it");
	return true;
}

void ppk_put_auth_i(struct ike_buf *b, const struct ike_sa *ike, const uint8_t *no_ppk_auth, size_t len)
{
	if (!ike->ppk_sent)
		return;
	uint8_t data[PPK_IDENTITY_MAX];
	size_t n = ppk_identity_encode(ike->ppk_id.ptr, ike->ppk_id.len, data, sizeof(data));
	/* RFC 8784 3: N(PPK_IDENTITY, PPK_ID) and, when the PPK is optional,
	 * N(NO_PPK_AUTH) holding the Authentication Data made with SK_pi */
	codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_PPK_IDENTITY, data, n);
	if (ike->c->conf.ppk != CONF_PPK_INSIST && no_ppk_auth != NULL && len > 0)
		codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_NO_PPK_AUTH, no_ppk_auth, len);
}

bool ppk_response_i(struct ike_sa *ike, const struct msg_digest *md)
{
	if (!ike->ppk_sent)
		return true;
	char t[PPK_ID_STR_MAX];
	id_text(ike->ppk_id.ptr, ike->ppk_id.len, t, sizeof(t));
	/* RFC 8784 3: the responder that used the PPK says so with PPK_IDENTITY */
	if (codec_find_notify(md->pl, IKE_N_PPK_IDENTITY) != NULL) {
		keymat_free(&ike->ppk_unmixed);
		return true;
	}
	if (ike->c->conf.ppk == CONF_PPK_INSIST) {
		ike_log(ike, "IKE_AUTH response: the responder did not use PPK_ID %s (no PPK_IDENTITY) and "
			"ppk=insist", t);
		return false;
	}
	/* it authenticated us with NO_PPK_AUTH: SK_d and SK_pr are the unmixed ones */
	keymat_ppk_revert(&ike->keys, &ike->ppk_unmixed);
	ike->ppk_used = false;
	ike_log(ike, "IKE_AUTH response: the responder did not use PPK_ID %s; going on without a PPK "
		"(unmixed keys)", t);
	return true;
}

/* --- IKE_AUTH, responder --- */

static enum ppk_r without_ppk(struct ike_sa *ike, const struct msg_digest *md, const char *why,
			      struct ike_notify_pl *no_ppk_auth)
{
	const struct ike_pl *pl = codec_find_notify(md->pl, IKE_N_NO_PPK_AUTH);
	if (ike->c->conf.ppk == CONF_PPK_INSIST) {
		ike_log(ike, "%s and ppk=insist", why);
		return PPK_R_FAIL;
	}
	if (pl == NULL || codec_decode_notify(pl, no_ppk_auth) != CODEC_OK) {
		ike_log(ike, "%s and the peer sent no NO_PPK_AUTH", why);
		return PPK_R_FAIL;
	}
	/* RFC 8784 3: a responder without the PPK that may go on without one checks
	 * NO_PPK_AUTH instead of AUTH, with the keys as they were */
	ike_log(ike, "%s; authenticating the peer with NO_PPK_AUTH, without a PPK", why);
	return PPK_R_FALLBACK;
}

enum ppk_r ppk_auth_r(struct ike_sa *ike, const struct msg_digest *md, const struct ike_id *peer,
		      struct ike_notify_pl *no_ppk_auth)
{
	const struct connection *c = ike->c;
	const struct ike_pl *pl = ike->ppk_negotiated ? codec_find_notify(md->pl, IKE_N_PPK_IDENTITY) : NULL;
	struct ike_notify_pl n;
	if (pl == NULL) {
		if (c->conf.ppk != CONF_PPK_INSIST)
			return PPK_R_NONE;
		ike_log(ike, "the peer did not use a PPK (%s) and ppk=insist",
			ike->ppk_negotiated ? "no PPK_IDENTITY" : "no USE_PPK in IKE_SA_INIT");
		return PPK_R_FAIL;
	}
	uint8_t type;
	const uint8_t *id;
	size_t len;
	enum ppk_identity_result r = codec_decode_notify(pl, &n) == CODEC_OK ?
		ppk_identity_decode(n.data, n.len, &type, &id, &len) : PPK_IDENTITY_MALFORMED;
	if (r == PPK_IDENTITY_EMPTY || r == PPK_IDENTITY_MALFORMED) {
		ike_log(ike, "IKE_AUTH request: malformed PPK_IDENTITY (%s)",
			r == PPK_IDENTITY_EMPTY ? "no data" : "no PPK_ID");
		return PPK_R_SYNTAX;
	}
	char t[PPK_ID_STR_MAX], why[PPK_ID_STR_MAX + 96];
	if (r == PPK_IDENTITY_UNKNOWN_TYPE) {
		snprintf(why, sizeof(why), "PPK_IDENTITY of unknown PPK Type %u", type);
		return without_ppk(ike, md, why, no_ppk_auth);
	}
	id_text(id, len, t, sizeof(t));
	if (c->conf.ppk == CONF_PPK_NO) {
		snprintf(why, sizeof(why), "PPK_ID %s: this connection has ppk=no", t);
		return without_ppk(ike, md, why, no_ppk_auth);
	}
	const struct conf_secret *e = conf_ppk_ids_allow(c->conf.ppk_ids, id, len) ?
		conf_secrets_ppk(&ike->pluto->secrets, &c->local->id, peer, id, len) : NULL;
	if (e == NULL) {
		snprintf(why, sizeof(why), "no PPK for PPK_ID %s%s", t,
			 conf_ppk_ids_allow(c->conf.ppk_ids, id, len) ? "" : " (not in ppk-ids=)");
		return without_ppk(ike, md, why, no_ppk_auth);
	}
	/* RFC 8784 3: the responder with that PPK mixes it in and checks AUTH with
	 * SK_pi'; a failure is a failure (no falling back to NO_PPK_AUTH) */
	if (!keymat_ppk_mix(ike->prf, &e->psk, &ike->keys, &ike->ppk_unmixed)) {
		ike_log(ike, "mixing the PPK into the keys failed");
		return PPK_R_FAIL;
	}
	keymat_free(&ike->ppk_unmixed);		/* the responder has no use for them */
	remember_id(ike, id, len);
	ike->ppk_used = true;
	ike_log(ike, "IKE_AUTH: PPK_ID %s mixed into SK_d, SK_pi and SK_pr (RFC 8784)", t);
	return PPK_R_USED;
}

void ppk_put_auth_r(struct ike_buf *b, const struct ike_sa *ike)
{
	/* RFC 8784 3: the responder that used the PPK answers with an empty PPK_IDENTITY */
	if (ike->ppk_used)
		codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_PPK_IDENTITY, NULL, 0);
}

const char *ppk_note(const struct ike_sa *ike, bool status, char *buf, size_t len)
{
	char t[PPK_ID_STR_MAX];
	if (ike->ppk_used)
		snprintf(buf, len, status ? "used, ID %s" : "; PPK_ID %s used", id_text(ike->ppk_id.ptr, ike->ppk_id.len,
										     t, sizeof(t)));
	else
		snprintf(buf, len, "%s", status ? "not used" : ike->ppk_negotiated ? "; no PPK" : "");
	return buf;
}
