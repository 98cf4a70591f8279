/* auth.c -- how this end proves itself and how the peer's proof is checked (see
 * auth.h).  The signed octets come from ike_auth.c (lib/libike/authdata.c, IntAuth
 * included); this file decides the method, makes or checks the AUTH payload and
 * the certificate behind it. */
#include <stdio.h>
#include <string.h>
#include "auth.h"
#include "authdata.h"
#include "certid.h"
#include "crypt.h"
#include "dn.h"
#include "ppk.h"

bool auth_is_sig(enum conf_auth a)
{
	return a == CONF_AUTH_RSA || a == CONF_AUTH_ECDSA || a == CONF_AUTH_SIG;
}

bool auth_conn_uses_sig(const struct connection *c)
{
	return auth_is_sig(c->local->auth) || auth_is_sig(c->remote->auth);
}

static bool key_fits_auth(enum crypt_key_kind k, enum conf_auth a)
{
	if (a == CONF_AUTH_SIG)
		return k != CRYPT_KEY_OTHER;
	if (a == CONF_AUTH_RSA)
		return k == CRYPT_KEY_RSA;
	return k == CRYPT_KEY_EC_P256 || k == CRYPT_KEY_EC_P384 || k == CRYPT_KEY_EC_P521;
}

/* sendca= (Libreswan): the CA certificates that go after ours, from the database
 * now (a CA added later needs whack --add again, as a new leftcert= does) */
static void load_sendca(struct connection *c, const char *side)
{
	static const char *const names[] = { "none", "issuer", "all" };
	c->n_ca_certs = 0;
	if (c->conf.sendca == CONF_SENDCA_NONE)
		return;
	c->n_ca_certs = (unsigned)crypt_cert_ca_chain(c->cert.ptr, c->cert.len, c->conf.sendca == CONF_SENDCA_ALL,
						    c->ca_certs, PLUTO_MAX_SENDCA);
	if (c->n_ca_certs == 0)
		conn_log(c->pluto, c, "sendca=%s: no CA certificate to send with %scert=%s (its issuer is a root, "
			 "or not in the NSS database)", names[c->conf.sendca], side, c->local->cert);
	else
		dbg(c->pluto, "\"%s\": sendca=%s: %u CA certificate(s) go with %scert=%s", c->name,
		    names[c->conf.sendca], c->n_ca_certs, side, c->local->cert);
}

bool auth_load_conn(struct connection *c, char *why, size_t len)
{
	const char *side = c->local == &c->conf.left ? "left" : "right";
	struct conf_end *local = c->local == &c->conf.left ? &c->conf.left : &c->conf.right;
	if (!auth_is_sig(local->auth))
		return true;
	if (local->cert[0] == '\0') {
		snprintf(why, len, "%sauth=%s needs %scert= (a certificate with its private key in the "
			 "NSS database); raw public keys are not supported", side,
			 local->auth == CONF_AUTH_ECDSA ? "ecdsa" : "rsasig", side);
		return false;
	}
	c->key = crypt_privkey_from_nss(local->cert, &c->cert);
	if (c->key == NULL) {
		snprintf(why, len, "%scert=%s: no certificate of that nickname with its private key in the "
			 "NSS database %s", side, local->cert, c->pluto->nssdir);
		return false;
	}
	if (!key_fits_auth(crypt_privkey_kind(c->key), local->auth)) {
		snprintf(why, len, "%scert=%s: its key does not fit %sauth= (an %s key)", side, local->cert,
			 side, crypt_privkey_kind(c->key) == CRYPT_KEY_RSA ? "RSA" : "EC or other");
		auth_free_conn(c);
		return false;
	}
	if (local->id_fromcert && !ike_id_from_cert(c->cert.ptr, c->cert.len, &local->id)) {
		snprintf(why, len, "%scert=%s: its subject cannot serve as %sid=%%fromcert", side, local->cert,
			 side);
		auth_free_conn(c);
		return false;
	}
	/* RFC 4945 3.1: the ID we send must be one the certificate proves */
	if (!ike_id_in_cert(&local->id, c->cert.ptr, c->cert.len)) {
		char a[300];
		snprintf(why, len, "%sid=%s is neither the subject nor a subjectAltName of %scert=%s", side,
			 ike_id_str(&local->id, a, sizeof(a)), side, local->cert);
		auth_free_conn(c);
		return false;
	}
	load_sendca(c, side);
	return true;
}

void auth_free_conn(struct connection *c)
{
	crypt_privkey_free(c->key);
	c->key = NULL;
	chunk_free(&c->cert);
	for (unsigned i = 0; i < c->n_ca_certs; i++)
		chunk_free(&c->ca_certs[i]);
	c->n_ca_certs = 0;
}

/* --- IKE_SA_INIT --- */

static void put_certreq(struct ike_buf *b)
{
	uint8_t h[CRYPT_MAX_ANCHORS][20];
	size_t n = crypt_trust_anchor_hashes(h, CRYPT_MAX_ANCHORS);
	/* RFC 7296 3.7: the Certification Authority field is the concatenated hashes;
	 * without an anchor there is nothing to ask for */
	if (n > 0)
		codec_put_cert(b, IKE_PL_CERTREQ, IKE_CERT_X509_SIG, h, 20 * n);
}

void auth_put_init(struct ike_buf *b, const struct ike_sa *ike, bool responder)
{
	const struct connection *c = ike->c;
	if (!auth_conn_uses_sig(c))
		return;
	/* RFC 7427 4: the initiator announces its hashes; a responder answers with its
	 * own when the initiator announced any */
	if (!responder || ike->n_peer_hashes > 0) {
		uint8_t h[16];
		size_t n = sigalg_put_hashes(h, sizeof(h));
		codec_put_notify(b, IKE_PROTO_NONE, NULL, 0, IKE_N_SIGNATURE_HASH_ALGORITHMS, h, n);
	}
	/* RFC 7296 1.2: the responder's CERTREQ goes in IKE_SA_INIT */
	if (responder && auth_is_sig(c->remote->auth))
		put_certreq(b);
}

void auth_read_init(struct ike_sa *ike, const struct msg_digest *md)
{
	const struct ike_pl *pl = codec_find_notify(md->pl, IKE_N_SIGNATURE_HASH_ALGORITHMS);
	struct ike_notify_pl n;
	ike->n_peer_hashes = 0;
	if (pl != NULL && codec_decode_notify(pl, &n) == CODEC_OK &&
	    !sigalg_parse_hashes(n.data, n.len, ike->peer_hashes, &ike->n_peer_hashes))
		ike->n_peer_hashes = 0;
	ike->peer_certreq = codec_find(md->pl, IKE_PL_CERTREQ) != NULL;
}

/* --- IKE_AUTH: certificates --- */

void auth_put_certs(struct ike_buf *b, struct ike_sa *ike, const struct msg_digest *md, bool initiator)
{
	const struct connection *c = ike->c;
	if (md != NULL && codec_find(md->pl, IKE_PL_CERTREQ) != NULL)
		ike->peer_certreq = true;
	/* RFC 7296 3.6: CERT when we sign and the configuration or the peer asks; ours
	 * first, then the CAs sendca= names ("the remaining certificates of the chain") */
	if (c->key != NULL && c->cert.len > 0 &&
	    (c->local->sendcert == CONF_SENDCERT_ALWAYS ||
	     (c->local->sendcert == CONF_SENDCERT_IFASKED && ike->peer_certreq))) {
		codec_put_cert(b, IKE_PL_CERT, IKE_CERT_X509_SIG, c->cert.ptr, c->cert.len);
		for (unsigned i = 0; i < c->n_ca_certs; i++)
			codec_put_cert(b, IKE_PL_CERT, IKE_CERT_X509_SIG, c->ca_certs[i].ptr, c->ca_certs[i].len);
		ike_dbg(ike, "sending our certificate (%zu octets) and %u CA certificate(s) (sendca=%s)", c->cert.len,
			c->n_ca_certs, c->conf.sendca == CONF_SENDCA_ALL ? "all" :
			c->conf.sendca == CONF_SENDCA_ISSUER ? "issuer" : "none");
	} else {
		ike_dbg(ike, "no CERT: %s", c->key == NULL ? "we do not sign" :
			c->local->sendcert == CONF_SENDCERT_NEVER ? "sendcert=never" : "the peer sent no CERTREQ");
	}
	/* RFC 7296 1.2: the initiator's CERTREQ goes in IKE_AUTH */
	if (initiator && auth_is_sig(c->remote->auth))
		put_certreq(b);
}

/* --- our AUTH --- */

/* Our Authentication Data over the signed octets: *method and data[*len] */
static bool auth_make(struct ike_sa *ike, const struct chunk *so, const struct chunk *psk, bool log,
		      uint8_t *method, uint8_t *data, size_t cap, size_t *len)
{
	const struct connection *c = ike->c;
	if (!auth_is_sig(c->local->auth)) {
		if (psk == NULL || cap < ike->sizes.prf || !authdata_psk(ike->prf, psk->ptr, psk->len, so, data))
			return false;
		if (ike->pluto->impair & IMPAIR_BAD_AUTH)
			data[0] ^= 0x01;
		if (log) {
			ike_dbg(ike, "our AUTH: shared key MAC (RFC 7296 2.15) with %s over %zu signed octets",
				ike_prf_name(ike->prf), so->len);
			if (IKE_DBGP(ike, DBG_CRYPT)) {
				dbg_secret(ike, "PSK", psk->ptr, psk->len, true);
				dbg_hex(ike->pluto, ike, DBG_CRYPT, "our AUTH value", data, ike->sizes.prf);
			}
		}
		*method = IKE_AUTH_PSK;
		*len = ike->sizes.prf;
		return true;
	}
	struct auth_sig_plan plan;
	struct chunk sig;
	if (!auth_sig_plan(ike, &plan) || !crypt_sign(plan.s, c->key, so->ptr, so->len, plan.digsig, &sig))
		return false;
	return auth_sig_encode(ike, &plan, &sig, log, method, data, cap, len);
}

/* RFC 7427 3: method 14 when the peer announced hashes we can use; else, for a peer
 * without RFC 7427, RSA with SHA-1 (RFC 7296 3.8, only if authby= allows it) or
 * ECDSA with the curve's hash (RFC 4754) */
bool auth_sig_plan(struct ike_sa *ike, struct auth_sig_plan *plan)
{
	const struct connection *c = ike->c;
	enum crypt_key_kind kind = crypt_privkey_kind(c->key);
	if (ike->n_peer_hashes > 0 && sigalg_choose(kind, false, ike->peer_hashes, ike->n_peer_hashes, &plan->s)) {
		plan->digsig = true;
		plan->method = IKE_AUTH_DIGSIG;
		return true;
	}
	enum crypt_key_kind curve;
	uint8_t m = sigalg_method_for_key(kind);
	if (m == 0 || !sigalg_for_method(m, &plan->s, &curve) || (m == IKE_AUTH_RSA_SIG && !c->conf.rsa_sha1)) {
		ike_log(ike, "the peer did not announce RFC 7427 hashes and authby= allows no other RSA "
			"signature (rsa-sha2 only)");
		return false;
	}
	plan->digsig = false;
	plan->method = m;
	return true;
}

/* Authentication Data from a signature made as planned (sig is freed) */
bool auth_sig_encode(struct ike_sa *ike, const struct auth_sig_plan *plan, struct chunk *sig, bool log,
		     uint8_t *method, uint8_t *data, size_t cap, size_t *len)
{
	if (sig->ptr == NULL)
		return false;
	if (ike->pluto->impair & IMPAIR_BAD_AUTH)
		sig->ptr[sig->len / 2] ^= 0x01;
	bool ok;
	if (plan->digsig) {
		size_t n = sigalg_put_auth(plan->s, sig->ptr, sig->len, data, cap);
		ok = n != 0;
		*len = n;
		if (ok && log)
			ike_log(ike, "authenticating with %s (RFC 7427)", sigalg_name(plan->s));
	} else {
		ok = sig->len <= cap;
		if (ok) {
			memcpy(data, sig->ptr, sig->len);
			*len = sig->len;
			if (log)
				ike_log(ike, "authenticating with %s (AUTH method %s)", sigalg_name(plan->s),
					ike_auth_method_name(plan->method));
		}
	}
	*method = plan->method;
	chunk_free(sig);
	return ok;
}

/* The AUTH payload from Authentication Data made into data[] (wiped after) */
static bool put_auth_data(struct ike_buf *b, bool ok, uint8_t method, uint8_t *data, size_t cap, size_t len)
{
	if (ok)
		codec_put_auth(b, method, data, len);
	chunk_wipe(data, cap);
	return ok;
}

bool auth_put_sig(struct ike_buf *b, struct ike_sa *ike, const struct auth_sig_plan *plan, struct chunk *sig)
{
	uint8_t data[AUTH_DATA_MAX], method = 0;
	size_t len = 0;
	bool ok = auth_sig_encode(ike, plan, sig, true, &method, data, sizeof(data), &len);
	return put_auth_data(b, ok, method, data, sizeof(data), len);
}

bool auth_put(struct ike_buf *b, struct ike_sa *ike, const struct chunk *so, const struct chunk *psk)
{
	uint8_t data[AUTH_DATA_MAX], method = 0;
	size_t len = 0;
	bool ok = auth_make(ike, so, psk, true, &method, data, sizeof(data), &len);
	return put_auth_data(b, ok, method, data, sizeof(data), len);
}

bool auth_data(struct ike_sa *ike, const struct chunk *so, const struct chunk *psk, uint8_t *data,
	       size_t cap, size_t *len)
{
	uint8_t method;
	return auth_make(ike, so, psk, false, &method, data, cap, len);
}

/* --- the peer's AUTH --- */

/* Whether the method the peer used is one rightauth= allows (and, for RSA with
 * SHA-1, one authby= allows) */
static bool method_allowed(const struct connection *c, uint8_t method, enum crypt_sig s)
{
	enum conf_auth want = c->remote->auth;
	bool rsa = s <= CRYPT_SIG_RSA_PSS_SHA512;
	if (method == IKE_AUTH_PSK)
		return want == CONF_AUTH_PSK;
	if (method == IKE_AUTH_RSA_SIG && !c->conf.rsa_sha1)
		return false;
	if (want == CONF_AUTH_SIG)
		return true;
	return want == (rsa ? CONF_AUTH_RSA : CONF_AUTH_ECDSA);
}

/* RFC 7296 3.6: the first CERT is the end-entity certificate, the others may help
 * build the chain */
static bool peer_cert(struct ike_sa *ike, const struct msg_digest *md, struct chunk *ee,
		      struct chunk *inter, size_t *ninter, char *why, size_t len)
{
	*ninter = 0;
	bool have = false;
	for (unsigned i = 0; i < md->pl->n && i < IKE_MAX_PAYLOADS; i++) {
		struct ike_cert_pl cp;
		if (md->pl->pl[i].type != IKE_PL_CERT || codec_decode_cert(&md->pl->pl[i], &cp) != CODEC_OK)
			continue;
		if (cp.encoding != IKE_CERT_X509_SIG) {
			snprintf(why, len, "certificate encoding %u is not supported (X.509 only)", cp.encoding);
			return false;
		}
		struct chunk d = { (uint8_t *)cp.data, cp.len };
		if (!have) {
			*ee = d;
			have = true;
		} else if (*ninter < CRYPT_MAX_CHAIN) {
			inter[(*ninter)++] = d;
		}
	}
	if (!have)
		snprintf(why, len, "the peer sent no certificate (and no public key of it is configured)");
	return have;
}

/* rightca=: the issuer the peer's chain must name; %same is our certificate's */
static bool ca_ok(const struct connection *c, const struct chunk *ee, char *why, size_t len)
{
	const char *ca = c->remote->ca;
	if (ca[0] == '\0')
		return true;
	struct chunk issuer, want = CHUNK_EMPTY;
	struct ike_id id;
	bool ok = false;
	if (!crypt_cert_issuer(ee->ptr, ee->len, &issuer))
		return false;
	if (strcmp(ca, "%same") == 0) {
		ok = c->cert.len > 0 && crypt_cert_issuer(c->cert.ptr, c->cert.len, &want) &&
		     dn_eq(issuer.ptr, issuer.len, want.ptr, want.len);
	} else if (ike_id_parse(ca, &id) && id.type == IKE_ID_DER_ASN1_DN) {
		ok = dn_eq(issuer.ptr, issuer.len, id.data, id.len);
	}
	if (!ok) {
		char text[DN_MAX_TEXT];
		if (!dn_to_text(issuer.ptr, issuer.len, text, sizeof(text)))
			snprintf(text, sizeof(text), "?");
		snprintf(why, len, "the certificate's issuer '%s' is not rightca=%s", text, ca);
	}
	chunk_free(&issuer);
	chunk_free(&want);
	return ok;
}

static bool verify_sig(struct ike_sa *ike, const struct msg_digest *md, const struct ike_id *peer,
		       const struct ike_auth_pl *a, const struct chunk *so, char *why, size_t len)
{
	enum crypt_sig s;
	enum crypt_key_kind curve = CRYPT_KEY_OTHER;
	const uint8_t *sig = a->data;
	size_t siglen = a->len;
	bool der = a->method == IKE_AUTH_DIGSIG;
	if (der) {
		if (!sigalg_parse_auth(a->data, a->len, &s, &sig, &siglen)) {
			snprintf(why, len, "AUTH method 14 with an unknown or malformed AlgorithmIdentifier");
			return false;
		}
		/* RFC 7427 4: only a hash we announced */
		if (!sigalg_we_announce(sigalg_hash(s))) {
			snprintf(why, len, "%s uses a hash we did not announce", sigalg_name(s));
			return false;
		}
	} else if (!sigalg_for_method(a->method, &s, &curve)) {
		snprintf(why, len, "AUTH method %s is not supported", ike_auth_method_name(a->method));
		return false;
	}
	if (!method_allowed(ike->c, a->method, s)) {
		snprintf(why, len, "the peer signed with %s; %sauth= does not allow it", sigalg_name(s),
			 ike->c->remote == &ike->c->conf.left ? "left" : "right");
		return false;
	}
	struct chunk ee, inter[CRYPT_MAX_CHAIN];
	size_t ninter;
	if (!peer_cert(ike, md, &ee, inter, &ninter, why, len))
		return false;
	char cwhy[160];
	ike_dbg(ike, "the peer's AUTH: %s (method %s); its certificate and %zu more in CERT payloads",
		sigalg_name(s), ike_auth_method_name(a->method), ninter);
	enum crypt_cert_result cr = crypt_cert_verify(&ee, inter, ninter, 0, cwhy, sizeof(cwhy));
	ike_dbg(ike, "the peer's certificate chain: %s",
		cr == CRYPT_CERT_OK ? "verified to a trust anchor of the NSS database" : cwhy);
	if (cr != CRYPT_CERT_OK) {
		snprintf(why, len, "the peer's certificate is %s", cwhy);
		return false;
	}
	char idtext[300];
	if (!ike_id_in_cert(peer, ee.ptr, ee.len)) {
		snprintf(why, len, "the peer's ID '%s' is not in its certificate (subject or subjectAltName)",
			 ike_id_str(peer, idtext, sizeof(idtext)));
		return false;
	}
	if (!ca_ok(ike->c, &ee, why, len))
		return false;
	struct crypt_pubkey *pk = crypt_pubkey_from_cert(ee.ptr, ee.len);
	bool ok = pk != NULL && (curve == CRYPT_KEY_OTHER || crypt_pubkey_kind(pk) == curve) &&
		  crypt_verify(s, pk, so->ptr, so->len, sig, siglen, der);
	crypt_pubkey_free(pk);
	if (!ok) {
		snprintf(why, len, "the %s signature does not verify with the certificate's key", sigalg_name(s));
		return false;
	}
	snprintf(ike->auth_note, sizeof(ike->auth_note), "%s%s", sigalg_name(s),
		 der ? " (RFC 7427)" : "");
	return true;
}

bool auth_verify(struct ike_sa *ike, const struct msg_digest *md, const struct ike_id *peer,
		 const struct chunk *so, const struct chunk *psk, const struct ike_notify_pl *no_ppk_auth)
{
	struct ike_auth_pl a;
	char why[300] = "";
	bool ok;
	bool decoded = codec_decode_auth(codec_find(md->pl, IKE_PL_AUTH), &a) == CODEC_OK;
	/* RFC 8784 3: NO_PPK_AUTH holds the Authentication Data of an AUTH payload of
	 * the AUTH payload's method, computed as without the PPK */
	if (decoded && no_ppk_auth != NULL) {
		a.data = no_ppk_auth->data;
		a.len = no_ppk_auth->len;
	}
	if (!decoded || a.len == 0) {
		snprintf(why, sizeof(why), !decoded ? "malformed AUTH payload" : "empty Authentication Data");
		ok = false;
	} else if (a.method == IKE_AUTH_PSK) {
		uint8_t want[CRYPT_MAX_PRF_LEN];
		if (!method_allowed(ike->c, a.method, 0)) {
			snprintf(why, sizeof(why), "the peer used a shared secret; this connection expects a "
				 "signature");
			ok = false;
		} else if (psk == NULL) {
			snprintf(why, sizeof(why), "no shared secret for the peer in ipsec.secrets");
			ok = false;
		} else {
			ok = authdata_psk(ike->prf, psk->ptr, psk->len, so, want) &&
			     a.len == ike->sizes.prf && chunk_memeq(a.data, want, a.len);
			ike_dbg(ike, "the peer's AUTH: shared key MAC over %zu signed octets: %s",
				so->len, ok ? "matches" : "differs");
			if (IKE_DBGP(ike, DBG_CRYPT)) {
				dbg_secret(ike, "PSK", psk->ptr, psk->len, true);
				dbg_hex(ike->pluto, ike, DBG_CRYPT, "the peer's AUTH value", a.data, a.len);
				dbg_hex(ike->pluto, ike, DBG_CRYPT, "the AUTH value expected", want, ike->sizes.prf);
			}
			if (!ok)
				snprintf(why, sizeof(why), "the shared secret does not match (AUTH differs)");
			else
				snprintf(ike->auth_note, sizeof(ike->auth_note), "authby=secret");
		}
		chunk_wipe(want, sizeof(want));
	} else {
		ok = verify_sig(ike, md, peer, &a, so, why, sizeof(why));
	}
	if (!ok) {
		char idtext[300];
		char ppk[PPK_ID_STR_MAX + 64] = "", t[PPK_ID_STR_MAX];
		/* RFC 8784 3: with a PPK the AUTH octets use SK_pi'/SK_pr': a different
		 * PPK under the same PPK_ID fails here too */
		if (ike->ppk_used)
			snprintf(ppk, sizeof(ppk), " (or the PPK of PPK_ID %s differs)",
				 ppk_id_str(ike->ppk_id.ptr, ike->ppk_id.len, t, sizeof(t)));
		ike_log(ike, "authentication of '%s' failed%s: %s%s", ike_id_str(peer, idtext, sizeof(idtext)),
			no_ppk_auth != NULL ? " (NO_PPK_AUTH)" : "", why, ppk);
	}
	return ok;
}
