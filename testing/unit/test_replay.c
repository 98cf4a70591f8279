/* test_replay.c -- the captured IKE_INTERMEDIATE / IKE_AUTH datagrams of the independent
 * PSK transcripts (../shared/vectors, README section A) replayed through our own code:
 *
 *   logged Ni, Nr, SPIs, g^ir, SK(n)
 *     -> keymat_ike_sa_init, keymat_addke_update      == every logged SK_* set
 *   captured datagrams (non-ESP marker stripped)
 *     -> codec -> sk_decrypt with OUR keys of the round -> reasm -> sk_record
 *     -> transcript_add with OUR SK_pi / SK_pr          == every logged IntAuth
 *   IKE_AUTH datagrams -> sk_decrypt with OUR final keys -> IDx', AUTH payloads
 *   RealMessage1/2 (captured), nonces, our MACedID, transcript_intauth()
 *     -> authdata_psk                                   == the AUTH payloads on the wire
 *
 * Only the inputs are taken from the logs; every key, IntAuth and AUTH is ours.  The
 * fragments are also replayed reversed and duplicated (RFC 7383 2.6), which must give
 * the same IntAuth (RFC 9242 3.1: A is built as if the message went unfragmented).
 *
 * The rekeys (stage 4 on) go the same way:
 *
 *   CREATE_CHILD_SA, IKE_FOLLOWUP_KE (SKF fragments through reasm), INFORMATIONAL
 *     -> sk_decrypt with OUR keys after IKE_INTERMEDIATE    == the logged plaintexts
 *     -> codec: REKEY_SA, SA (ADDKE transforms), Ni/Nr, KE, TS, ADDITIONAL_KEY_EXCHANGE
 *        link and its echo, Delete                         == the logged fields
 *   logged g^ir (new), SK(1) + the nonces and SPIs our codec read
 *     -> keymat_child_addke                                == the rekeyed ESP keys
 *     -> keymat_rekey_skeyseed, keymat_ike_keys             == the new IKE SA's keys,
 *        which must (and alone do) open the messages on the new IKE SA.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"

#include "authdata.h"
#include "crypt.h"
#include "ike_codec.h"
#include "keymat.h"
#include "reasm.h"
#include "sigalg.h"
#include "sk.h"
#include "transcript.h"
#include "vecfile.h"

#define SS_FILE "strongswan-x25519-mlkem768-psk"
#define LS_FILE "libreswan-charon-x25519-addke-ecp256-psk"
#define MAX_ROUNDS 7		/* RFC 9370: ADDKE1..ADDKE7 */
#define MAX_FRAGS 16
#define PRF IKE_PRF_HMAC_SHA2_384	/* all three proposals: prfsha384 */

struct replay {
	const char *file;
	struct vecfile *vf;
	unsigned nrounds;
	struct sk_suite suite;		/* ENCR_AES_GCM_16, 256 bits */
	struct keymat_sizes sz;
	struct chunk ni, nr, spi_i, spi_r;
	struct ike_keys keys[MAX_ROUNDS + 1];	/* [0] IKE_SA_INIT, [n] after round n */
	unsigned matched;		/* logged values reproduced */
};

/* A message as received: its datagrams, then its plaintext and record. */
struct received {
	unsigned ndgram;
	struct chunk dgram[MAX_FRAGS];	/* without the non-ESP marker */
	struct chunk plain;
	struct sk_record rec;
	unsigned duplicates;		/* redeliveries dropped by reasm_check */
};

static void received_free(struct received *m)
{
	for (unsigned i = 0; i < m->ndgram; i++)
		chunk_free(&m->dgram[i]);
	chunk_free(&m->plain);
	memset(m, 0, sizeof(*m));
}

static void match(struct replay *rp, const uint8_t *got, size_t got_len, const char *key)
{
	struct chunk want;
	if (!vecfile_hex(rp->vf, key, &want))
		fail_msg("%s: vector %s missing", rp->file, key);
	if (got_len != want.len)
		fail_msg("%s: %s: %zu octets, want %zu", rp->file, key, got_len, want.len);
	if (want.len > 0 && memcmp(got, want.ptr, want.len) != 0)
		fail_msg("%s: %s differs", rp->file, key);
	chunk_free(&want);
	rp->matched++;
}

static void matchf(struct replay *rp, const uint8_t *got, size_t got_len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void matchf(struct replay *rp, const uint8_t *got, size_t got_len, const char *fmt, ...)
{
	char key[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	match(rp, got, got_len, key);
}

static struct chunk need(const struct replay *rp, const char *key)
{
	struct chunk c;
	if (!vecfile_hex(rp->vf, key, &c))
		fail_msg("%s: vector %s missing", rp->file, key);
	return c;
}

/* "ike_sa_init" for stage 0; "ike_intermediate" (one round) or "ike_intermediateN" */
static void stage_name(const struct replay *rp, unsigned n, char *out, size_t cap)
{
	if (n == 0)
		snprintf(out, cap, "ike_sa_init");
	else if (rp->nrounds == 1)
		snprintf(out, cap, "ike_intermediate");
	else
		snprintf(out, cap, "ike_intermediate%u", n);
}

/* The one "<stage>.<method>.shared_secret" of a stage (x25519, mlkem768, ecp256, ...) */
static struct chunk shared_secret(const struct replay *rp, const char *stage)
{
	const char *found = NULL;
	size_t plen = strlen(stage);
	static const char suffix[] = ".shared_secret";
	for (size_t i = 0; i < vecfile_count(rp->vf); i++) {
		const char *name = vecfile_name(rp->vf, i);
		size_t len = strlen(name);
		if (strncmp(name, stage, plen) != 0 || name[plen] != '.' ||
		    len < plen + sizeof(suffix) ||
		    strcmp(name + len - (sizeof(suffix) - 1), suffix) != 0)
			continue;
		const char *method = name + plen + 1;
		if (memchr(method, '.', (size_t)(name + len - (sizeof(suffix) - 1) - method)))
			continue;
		if (found != NULL)
			fail_msg("%s: two shared secrets for %s", rp->file, stage);
		found = name;
	}
	if (found == NULL)
		fail_msg("%s: no shared secret for %s", rp->file, stage);
	return need(rp, found);
}

/* <stage>.sk_d .. <stage>.sk_pr */
static void match_key_set(struct replay *rp, const char *stage, const struct ike_keys *k)
{
	const struct { const char *name; const struct chunk *c; } set[] = {
		{ "sk_d", &k->sk_d }, { "sk_ai", &k->sk_ai }, { "sk_ar", &k->sk_ar },
		{ "sk_ei", &k->sk_ei }, { "sk_er", &k->sk_er },
		{ "sk_pi", &k->sk_pi }, { "sk_pr", &k->sk_pr },
	};
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		matchf(rp, set[i].c->ptr, set[i].c->len, "%s.%s", stage, set[i].name);
}

static void match_keys(struct replay *rp, unsigned n)
{
	char stage[32];
	stage_name(rp, n, stage, sizeof(stage));
	match_key_set(rp, stage, &rp->keys[n]);
}

/* ---- the key schedule ---- */

/* RFC 7296 2.14 after IKE_SA_INIT, then RFC 9370 2.2.2 after every round. */
static void derive_keys(struct replay *rp)
{
	rp->ni = need(rp, "ni");
	rp->nr = need(rp, "nr");
	rp->spi_i = need(rp, "spi_i");
	rp->spi_r = need(rp, "spi_r");
	assert_int_equal(rp->spi_i.len, IKE_SPI_LEN);
	assert_int_equal(rp->spi_r.len, IKE_SPI_LEN);

	struct chunk gir = shared_secret(rp, "ike_sa_init");
	struct chunk skeyseed = CHUNK_EMPTY;
	assert_true(keymat_skeyseed(PRF, &rp->ni, &rp->nr, &gir, &skeyseed));
	match(rp, skeyseed.ptr, skeyseed.len, "ike_sa_init.skeyseed");
	chunk_free(&skeyseed);
	assert_true(keymat_ike_sa_init(PRF, &rp->ni, &rp->nr, &gir, rp->spi_i.ptr, rp->spi_r.ptr,
				       &rp->sz, &rp->keys[0]));
	chunk_free(&gir);
	match_keys(rp, 0);

	for (unsigned n = 1; n <= rp->nrounds; n++) {
		char stage[32], key[64];
		stage_name(rp, n, stage, sizeof(stage));
		snprintf(key, sizeof(key), "%s.sk_d_prev", stage);
		if (vecfile_has(rp->vf, key))
			match(rp, rp->keys[n - 1].sk_d.ptr, rp->keys[n - 1].sk_d.len, key);
		struct chunk skn = shared_secret(rp, stage);
		assert_true(keymat_addke_update(PRF, &rp->keys[n - 1], &skn, &rp->ni, &rp->nr,
						rp->spi_i.ptr, rp->spi_r.ptr, &rp->sz, &rp->keys[n]));
		chunk_free(&skn);
		match_keys(rp, n);
	}
}

/* ---- receiving a message ---- */

/* The captured UDP payloads of <prefix> (fragments frag1..N, or the one message); on
 * port 4500 behind the non-ESP marker (RFC 3948 2.2), which goes. */
static void load_datagrams(struct replay *rp, const char *prefix, struct received *m)
{
	char key[160];
	memset(m, 0, sizeof(*m));
	for (unsigned n = 1; n <= MAX_FRAGS; n++) {
		snprintf(key, sizeof(key), "%s.frag%u.udp_payload", prefix, n);
		if (!vecfile_has(rp->vf, key))
			break;
		m->dgram[m->ndgram++] = need(rp, key);
	}
	bool fragmented = m->ndgram > 0;
	if (!fragmented) {
		snprintf(key, sizeof(key), "%s.udp_payload", prefix);
		m->dgram[m->ndgram++] = need(rp, key);
	}
	for (unsigned i = 0; i < m->ndgram; i++) {
		struct chunk *d = &m->dgram[i];
		/* RFC 7296 3.1: SPIi is never zero, so four zero octets are the marker */
		if (d->len >= IKE_NON_ESP_MARKER_LEN && memcmp(d->ptr, "\0\0\0\0", 4) == 0) {
			struct chunk ike = chunk_dup(d->ptr + 4, d->len - 4);
			chunk_free(d);
			*d = ike;
		}
		/* the file's own copy without the marker agrees */
		if (!fragmented)
			snprintf(key, sizeof(key), "%s.ike_message", prefix);
		else
			snprintf(key, sizeof(key), "%s.frag%u.ike_message", prefix, i + 1);
		struct chunk logged = need(rp, key);
		assert_int_equal(logged.len, d->len);
		assert_memory_equal(logged.ptr, d->ptr, d->len);
		chunk_free(&logged);
	}
}

struct expect {
	uint8_t exchange;
	uint32_t msgid;
	bool response;		/* R flag; the I flag is the opposite here (initiator's requests) */
	const struct chunk *sk_e;	/* the sender's SK_e of this round */
	const uint8_t *spi_i, *spi_r;	/* the IKE SA's SPIs; NULL: the first IKE SA's */
};

/* One datagram through the decoder and sk_decrypt; SKF fragments through reasm. */
static void receive_one(struct replay *rp, const char *prefix, struct received *m, unsigned i,
			const struct expect *x, struct reasm *r, const struct reasm_limits *lim,
			bool *complete)
{
	const struct chunk *d = &m->dgram[i];
	struct ike_hdr h;
	struct ike_chain c;
	uint8_t bad = 0;
	assert_int_equal(codec_decode_hdr(d->ptr, d->len, &h), CODEC_OK);
	assert_int_equal(h.exchange, x->exchange);
	assert_int_equal(h.msgid, x->msgid);
	assert_int_equal(!!(h.flags & IKE_FLAG_RESPONSE), x->response);
	assert_int_equal(!!(h.flags & IKE_FLAG_INITIATOR), !x->response);
	assert_memory_equal(h.spi_i, x->spi_i != NULL ? x->spi_i : rp->spi_i.ptr, IKE_SPI_LEN);
	assert_memory_equal(h.spi_r, x->spi_r != NULL ? x->spi_r : rp->spi_r.ptr, IKE_SPI_LEN);
	assert_int_equal(codec_decode_chain(h.np, d->ptr + IKE_HDR_LEN, d->len - IKE_HDR_LEN, &c,
					    &bad), CODEC_OK);
	assert_true(c.n >= 1);
	const struct ike_pl *pl = &c.pl[c.n - 1];
	assert_true(pl->type == IKE_PL_SK || pl->type == IKE_PL_SKF);
	assert_int_equal(pl->type == IKE_PL_SKF, m->ndgram > 1);

	struct ike_skf_pl f = { 0 };
	if (pl->type == IKE_PL_SKF) {
		assert_int_equal(codec_decode_skf(pl, &f), CODEC_OK);
		assert_int_equal(f.total, m->ndgram);
		assert_int_equal(f.number, i + 1);
		/* RFC 7383 2.6.1: a duplicate is dropped before it costs a decryption */
		enum reasm_result rc = reasm_check(r, h.msgid, x->response, f.number, f.total);
		if (rc == REASM_DUPLICATE) {
			m->duplicates++;
			return;
		}
		assert_int_equal(rc, REASM_WANTED);
	}

	uint8_t *out = test_malloc(pl->len);
	const uint8_t *p;
	size_t plen;
	struct chunk none = CHUNK_EMPTY;
	enum sk_result sr = sk_decrypt(&rp->suite, x->sk_e, &none, d->ptr, d->len, pl, out, &p, &plen);
	if (sr != SK_OK)
		fail_msg("%s: datagram %u: %s", prefix, i + 1, sk_result_name(sr));
	if (pl->type == IKE_PL_SKF) {
		matchf(rp, p, plen, "%s.frag%u.aead.plaintext", prefix, i + 1);
		enum reasm_result ra = reasm_add(r, lim, d->ptr, h.msgid, x->response, f.number,
						 f.total, pl->np, p, plen);
		assert_true(ra == REASM_HELD || ra == REASM_COMPLETE);
		if (ra == REASM_COMPLETE) {
			reasm_finish(r, lim, &m->plain, &m->rec);
			*complete = true;
		}
	} else {
		/* the record of an unfragmented message (sk_record.h) */
		m->plain = chunk_dup(p, plen);
		memcpy(m->rec.hdr, d->ptr, IKE_HDR_LEN);
		m->rec.unenc = d->ptr + IKE_HDR_LEN;
		m->rec.unenc_len = (size_t)(pl->hdr - m->rec.unenc);
		m->rec.inner_np = pl->np;
		m->rec.plain = m->plain.ptr;
		m->rec.plain_len = m->plain.len;
		*complete = true;
	}
	test_free(out);
}

/* Receives <prefix>: in order, or (scrambled) last fragment first with every fragment
 * delivered twice. */
static void receive(struct replay *rp, const char *prefix, const struct expect *x,
		    bool scrambled, struct received *m)
{
	load_datagrams(rp, prefix, m);
	struct reasm r;
	memset(&r, 0, sizeof(r));
	size_t shared = 0;
	const struct reasm_limits lim = { 1u << 16, 1u << 17, &shared };
	bool complete = false;
	unsigned nd = m->ndgram;
	for (unsigned k = 0; k < (scrambled ? 2 * nd : nd) && !complete; k++) {
		unsigned i = scrambled ? nd - 1 - k / 2 : k;
		receive_one(rp, prefix, m, i, x, &r, &lim, &complete);
	}
	assert_true(complete);
	assert_false(r.active);
	assert_int_equal(shared, 0);		/* reasm gave all its memory back */
	if (scrambled && nd > 1)
		assert_int_equal(m->duplicates, nd - 1);
	char key[160];
	snprintf(key, sizeof(key), "%s.inner_plaintext", prefix);
	if (!vecfile_has(rp->vf, key))
		snprintf(key, sizeof(key), "%s.aead.plaintext", prefix);
	match(rp, m->plain.ptr, m->plain.len, key);
	assert_ptr_equal(m->rec.plain, m->plain.ptr);
	assert_int_equal(m->rec.plain_len, m->plain.len);
}

/* The inner payload chain of a received message. */
static void inner_chain(const struct received *m, struct ike_chain *c)
{
	uint8_t bad = 0;
	assert_int_equal(codec_decode_chain(m->rec.inner_np, m->rec.plain, m->rec.plain_len, c,
					    &bad), CODEC_OK);
}

/* The KE payload of c against <prefix>.ke.group / .ke.data; returns its method. */
static uint16_t match_ke(struct replay *rp, const struct ike_chain *c, const char *prefix)
{
	struct ike_ke_pl ke;
	assert_int_equal(codec_decode_ke(codec_find(c, IKE_PL_KE), &ke), CODEC_OK);
	uint8_t method[2] = { (uint8_t)(ke.method >> 8), (uint8_t)ke.method };
	matchf(rp, method, 2, "%s.ke.group", prefix);
	matchf(rp, ke.data, ke.len, "%s.ke.data", prefix);
	return ke.method;
}

/* ---- IKE_INTERMEDIATE: IntAuth ---- */

/* Round n, one direction: received with the keys of round n-1, folded into the
 * transcript with the SK_p of round n-1 (RFC 9242 3.1, RFC 9370 2.2.2). */
static void intermediate(struct replay *rp, struct transcript *t, unsigned n, bool initiator,
			 bool scrambled)
{
	char stage[32], prefix[64];
	stage_name(rp, n, stage, sizeof(stage));
	snprintf(prefix, sizeof(prefix), "%s.%s", stage, initiator ? "request" : "response");
	const struct ike_keys *k = &rp->keys[n - 1];
	/* RFC 9242 3: IKE_INTERMEDIATE Message IDs are 1, 2, ... */
	const struct expect x = { IKE_INTERMEDIATE, n, !initiator,
				  initiator ? &k->sk_ei : &k->sk_er, NULL, NULL };
	struct received m;
	receive(rp, prefix, &x, scrambled, &m);

	/* the additional key exchange this round carried (RFC 9370 2.2.2) */
	struct ike_chain c;
	inner_chain(&m, &c);
	match_ke(rp, &c, prefix);

	assert_true(transcript_add(t, initiator, initiator ? &k->sk_pi : &k->sk_pr, &m.rec));
	matchf(rp, initiator ? t->intauth_i : t->intauth_r, t->len, "intauth_%c%u",
	       initiator ? 'i' : 'r', n);
	received_free(&m);
}

/* ---- IKE_AUTH ---- */

struct auth_side {
	bool initiator;
	struct chunk real;		/* RealMessage1 / RealMessage2 */
	const struct chunk *peer_nonce;	/* NonceRData / NonceIData */
	const struct chunk *sk_p;	/* final SK_pi / SK_pr */
	const struct chunk *sk_e;	/* final SK_ei / SK_er */
};

/* RFC 7427 3: the AUTH payload of method 14 is AlgorithmIdentifier | signature over
 * the signed octets, with the key of the end-entity certificate in the same
 * message's CERT payload (RFC 7296 3.6, encoding 4).  The signatures are randomized
 * (ECDSA, PSS), so they are verified, not reproduced; a flipped bit must fail. */
static void check_signature(struct replay *rp, const struct ike_chain *c, const struct ike_auth_pl *auth,
			    const struct chunk *so, const char *prefix)
{
	char key[96];
	struct ike_cert_pl cert;
	assert_int_equal(codec_count(c, IKE_PL_CERT), 1);
	assert_int_equal(codec_decode_cert(codec_find(c, IKE_PL_CERT), &cert), CODEC_OK);
	assert_int_equal(cert.encoding, IKE_CERT_X509_SIG);
	snprintf(key, sizeof(key), "%s.cert.data", prefix);
	match(rp, cert.data, cert.len, key);

	enum crypt_sig s;
	const uint8_t *sig;
	size_t siglen;
	assert_true(sigalg_parse_auth(auth->data, auth->len, &s, &sig, &siglen));
	snprintf(key, sizeof(key), "%s.auth_payload.sig_alg_id", prefix);
	size_t alen;
	const uint8_t *algid = sigalg_der(s, &alen);
	match(rp, algid, alen, key);	/* our AlgorithmIdentifier, byte for byte */
	snprintf(key, sizeof(key), "%s.auth_payload.signature", prefix);
	match(rp, sig, siglen, key);

	struct crypt_pubkey *pk = crypt_pubkey_from_cert(cert.data, cert.len);
	assert_non_null(pk);
	if (!crypt_verify(s, pk, so->ptr, so->len, sig, siglen, true))
		fail_msg("%s: %s signature (%s) does not verify over our signed octets", rp->file,
			 prefix, sigalg_name(s));
	/* the same signature over other octets, or a flipped bit, fails */
	struct chunk bad = chunk_dup(sig, siglen);
	bad.ptr[siglen / 2] ^= 0x01;
	assert_false(crypt_verify(s, pk, so->ptr, so->len, bad.ptr, bad.len, true));
	assert_false(crypt_verify(s, pk, so->ptr, so->len - 1, sig, siglen, true));
	chunk_free(&bad);
	crypt_pubkey_free(pk);
	print_message("replay %s: %s %s signature verified\n", rp->file, prefix, sigalg_name(s));
	rp->matched++;
}

/* RFC 7296 2.15 with RFC 9242 3.3.2:
 *   AUTH = prf(prf(PSK, "Key Pad for IKEv2"),
 *              RealMessageX | NonceYData | prf(SK_px, IDx') | IntAuth_iN | IntAuth_rN | MID) */
static void check_auth(struct replay *rp, const struct transcript *t, const struct auth_side *s)
{
	char x = s->initiator ? 'i' : 'r', key[64];
	const char *prefix = s->initiator ? "ike_auth.request" : "ike_auth.response";
	const struct expect ex = { IKE_AUTH, rp->nrounds + 1, !s->initiator, s->sk_e, NULL, NULL };
	struct received m;
	receive(rp, prefix, &ex, false, &m);

	struct ike_chain c;
	struct ike_id_pl id;
	struct ike_auth_pl auth;
	inner_chain(&m, &c);
	assert_int_equal(codec_decode_id(codec_find(&c, s->initiator ? IKE_PL_IDI : IKE_PL_IDR), &id),
			 CODEC_OK);
	snprintf(key, sizeof(key), "id_%c.prime", x);
	match(rp, id.body, id.body_len, key);
	assert_int_equal(codec_decode_auth(codec_find(&c, IKE_PL_AUTH), &auth), CODEC_OK);
	assert_true(auth.method == IKE_AUTH_PSK || auth.method == IKE_AUTH_DIGSIG);

	uint8_t maced[CRYPT_MAX_PRF_LEN];
	size_t prf_len = crypt_prf_len(PRF);
	assert_true(authdata_maced_id(PRF, s->sk_p, id.body, id.body_len, maced));
	snprintf(key, sizeof(key), "auth_%c.maced_id", x);
	if (vecfile_has(rp->vf, key))
		match(rp, maced, prf_len, key);

	/* RFC 9242 3.3.2: the Message ID of the IKE_AUTH request, N + 1 */
	uint8_t ia[2 * CRYPT_MAX_PRF_LEN + 4];
	size_t ia_len = transcript_intauth(t, be_get32(m.rec.hdr + 20), ia, sizeof(ia));
	assert_int_equal(ia_len, 2 * prf_len + 4);
	snprintf(key, sizeof(key), "auth_%c.intauth", x);
	match(rp, ia, ia_len, key);

	struct chunk so = authdata_signed_octets(s->real.ptr, s->real.len, s->peer_nonce, maced,
						 prf_len, ia, ia_len);
	assert_non_null(so.ptr);
	snprintf(key, sizeof(key), "auth_%c.signed_octets", x);
	if (vecfile_has(rp->vf, key))
		match(rp, so.ptr, so.len, key);

	if (auth.method == IKE_AUTH_DIGSIG) {
		check_signature(rp, &c, &auth, &so, prefix);
		chunk_free(&so);
		received_free(&m);
		return;
	}
	struct chunk psk = need(rp, "psk");
	uint8_t mine[CRYPT_MAX_PRF_LEN];
	assert_true(authdata_psk(PRF, psk.ptr, psk.len, &so, mine));
	/* byte for byte the AUTH payload the peer sent */
	if (auth.len != prf_len || memcmp(auth.data, mine, prf_len) != 0)
		fail_msg("%s: %s AUTH payload differs from ours", rp->file, prefix);
	rp->matched++;
	snprintf(key, sizeof(key), "auth_%c.auth", x);
	match(rp, mine, prf_len, key);
	chunk_free(&psk);
	chunk_free(&so);
	received_free(&m);
}

/* RealMessage1/2 as captured on port 500 (no marker): their nonces and SPIs are the
 * ones the keys came from. */
static struct chunk real_message(struct replay *rp, bool request)
{
	const char *prefix = request ? "ike_sa_init.request" : "ike_sa_init.response";
	char key[64];
	snprintf(key, sizeof(key), "%s.udp_payload", prefix);
	struct chunk msg = need(rp, key);
	struct ike_hdr h;
	struct ike_chain c;
	uint8_t bad = 0;
	assert_int_equal(codec_decode_hdr(msg.ptr, msg.len, &h), CODEC_OK);
	assert_int_equal(h.exchange, IKE_SA_INIT);
	assert_int_equal(h.msgid, 0);
	assert_memory_equal(h.spi_i, rp->spi_i.ptr, IKE_SPI_LEN);
	if (!request)
		assert_memory_equal(h.spi_r, rp->spi_r.ptr, IKE_SPI_LEN);
	assert_int_equal(codec_decode_chain(h.np, msg.ptr + IKE_HDR_LEN, msg.len - IKE_HDR_LEN, &c,
					    &bad), CODEC_OK);
	const uint8_t *nonce;
	size_t nonce_len;
	assert_int_equal(codec_decode_nonce(codec_find(&c, IKE_PL_NONCE), &nonce, &nonce_len),
			 CODEC_OK);
	match(rp, nonce, nonce_len, request ? "ni" : "nr");
	return msg;
}

/* ---- one file ---- */

/* Loads a file and derives its IKE SA keys up to the last IKE_INTERMEDIATE round. */
static void replay_open(struct replay *rp, const char *name, unsigned nrounds)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s.txt", VECTORS_DIR, name);
	memset(rp, 0, sizeof(*rp));
	rp->file = name;
	rp->nrounds = nrounds;
	rp->vf = vecfile_load(path);
	assert_non_null(rp->vf);
	assert_true(sk_suite_init(&rp->suite, IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE));
	rp->sz = (struct keymat_sizes){ crypt_prf_len(PRF), 0, rp->suite.info.keylen };
	assert_int_equal(rp->sz.prf, 48);
	assert_int_equal(rp->sz.encr, 36);
	derive_keys(rp);
}

static void replay_close(struct replay *rp)
{
	for (unsigned n = 0; n <= rp->nrounds; n++)
		keymat_free(&rp->keys[n]);
	chunk_free(&rp->ni);
	chunk_free(&rp->nr);
	chunk_free(&rp->spi_i);
	chunk_free(&rp->spi_r);
	vecfile_free(rp->vf);
}

static void replay_file(const char *name, unsigned nrounds)
{
	struct replay rp;
	replay_open(&rp, name, nrounds);

	/* the IntAuth chain, once in order and once scrambled */
	struct transcript t, t2;
	transcript_init(&t, PRF);
	transcript_init(&t2, PRF);
	for (unsigned n = 1; n <= nrounds; n++) {
		intermediate(&rp, &t, n, true, false);
		intermediate(&rp, &t, n, false, false);
		intermediate(&rp, &t2, n, true, true);
		intermediate(&rp, &t2, n, false, true);
	}
	assert_int_equal(t.rounds_i, nrounds);
	assert_int_equal(t.rounds_r, nrounds);
	assert_memory_equal(&t, &t2, sizeof(t));

	/* IKE_AUTH with the final keys */
	const struct ike_keys *k = &rp.keys[nrounds];
	struct auth_side si = { true, real_message(&rp, true), &rp.nr, &k->sk_pi, &k->sk_ei };
	struct auth_side sr = { false, real_message(&rp, false), &rp.ni, &k->sk_pr, &k->sk_er };
	check_auth(&rp, &t, &si);
	check_auth(&rp, &t, &sr);

	/* IKE_AUTH is not protected with the keys of the round before the last */
	struct received m;
	load_datagrams(&rp, "ike_auth.request", &m);
	struct ike_hdr h;
	struct ike_chain c;
	uint8_t bad, out[4096];
	const uint8_t *p;
	size_t plen;
	struct chunk none = CHUNK_EMPTY;
	assert_int_equal(codec_decode_hdr(m.dgram[0].ptr, m.dgram[0].len, &h), CODEC_OK);
	assert_int_equal(codec_decode_chain(h.np, m.dgram[0].ptr + IKE_HDR_LEN,
					    m.dgram[0].len - IKE_HDR_LEN, &c, &bad), CODEC_OK);
	assert_true(c.pl[c.n - 1].len <= sizeof(out));
	assert_int_equal(sk_decrypt(&rp.suite, &rp.keys[nrounds - 1].sk_ei, &none, m.dgram[0].ptr,
				    m.dgram[0].len, &c.pl[c.n - 1], out, &p, &plen), SK_BAD_ICV);
	received_free(&m);

	print_message("replay %s: %u rounds, %u logged values reproduced\n", name, nrounds,
		      rp.matched);
	chunk_free(&si.real);
	chunk_free(&sr.real);
	replay_close(&rp);
}

/* ---- the rekeys: CREATE_CHILD_SA, IKE_FOLLOWUP_KE, INFORMATIONAL ---- */

/* One generation of an IKE SA: the keys that protect it and its SPIs (NULL: the
 * first IKE SA's). */
struct ike_gen {
	const struct ike_keys *k;
	const uint8_t *spi_i, *spi_r;
};

/* A received message of an IKE SA and its decoded inner chain. */
struct msg {
	char prefix[128];
	struct received m;
	struct ike_chain c;
};

static void msg_free(struct msg *a)
{
	received_free(&a->m);
}

/* The inner payload types a message must hold, in any order. */
#define PAYLOADS(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define NO_PAYLOADS NULL, 0
#define ANY_PAYLOADS NULL, SIZE_MAX

static void expect_payloads(const char *prefix, const struct ike_chain *c, const uint8_t *types,
			    size_t n)
{
	if (n == SIZE_MAX)
		return;
	if (c->n != n)
		fail_msg("%s: %u inner payloads, want %zu", prefix, c->n, n);
	for (size_t i = 0; i < n; i++) {
		unsigned want = 0;
		for (size_t j = 0; j < n; j++)
			want += types[j] == types[i];
		if (codec_count(c, types[i]) != want)
			fail_msg("%s: payload %u %u times, want %u", prefix, types[i],
				 codec_count(c, types[i]), want);
	}
}

/* <base>.request or <base>.response, protected with generation g: through sk_decrypt
 * (and reasm when fragmented) to the logged plaintext, then our codec.  The rekey's
 * initiator is the new IKE SA's original initiator (RFC 7296 2.18), so every request
 * in these files has the I flag. */
static void receive_on(struct replay *rp, const struct ike_gen *g, const char *base,
		       uint8_t exchange, uint32_t msgid, bool response, struct msg *a,
		       const uint8_t *types, size_t ntypes)
{
	snprintf(a->prefix, sizeof(a->prefix), "%s.%s", base, response ? "response" : "request");
	const struct expect x = { exchange, msgid, response,
				  response ? &g->k->sk_er : &g->k->sk_ei, g->spi_i, g->spi_r };
	receive(rp, a->prefix, &x, false, &a->m);
	inner_chain(&a->m, &a->c);
	expect_payloads(a->prefix, &a->c, types, ntypes);
}

/* The SPI the file logs for <prefix>'s SA payload (each file names it its way). */
static void match_sa_spi(struct replay *rp, const char *prefix, const uint8_t *spi, size_t len)
{
	static const char *const names[] = { "child_sa.esp_spi", "esp_spi", "new_ike_spi",
					      "sa.spi" };
	char key[192];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(key, sizeof(key), "%s.%s", prefix, names[i]);
		if (vecfile_has(rp->vf, key)) {
			match(rp, spi, len, key);
			return;
		}
	}
	fail_msg("%s: %s: no SPI logged", rp->file, prefix);
}

static struct chunk match_nonce(struct replay *rp, const struct msg *a)
{
	const uint8_t *n;
	size_t len;
	assert_int_equal(codec_decode_nonce(codec_find(&a->c, IKE_PL_NONCE), &n, &len), CODEC_OK);
	matchf(rp, n, len, "%s.nonce", a->prefix);
	return chunk_dup(n, len);
}

/* RFC 9370 2.2.4: ADDITIONAL_KEY_EXCHANGE is about no SA and carries the link data. */
static struct chunk addke_link(struct replay *rp, const struct msg *a)
{
	struct ike_notify_pl n;
	char key[192];
	assert_int_equal(codec_decode_notify(codec_find_notify(&a->c, IKE_N_ADDITIONAL_KEY_EXCHANGE),
					     &n), CODEC_OK);
	assert_int_equal(n.protocol, IKE_PROTO_NONE);
	assert_int_equal(n.spi_len, 0);
	assert_true(n.len > 0);
	snprintf(key, sizeof(key), "%s.n_additional_key_exchange.link", a->prefix);
	if (vecfile_has(rp->vf, key))
		match(rp, n.data, n.len, key);
	return chunk_dup(n.data, n.len);
}

/* The one transform of a type in a chosen proposal. */
static const struct ike_transform *one_transform(const struct ike_proposal *p, uint8_t type)
{
	const struct ike_transform *t = NULL;
	for (unsigned i = 0; i < p->ntrans; i++) {
		if (p->t[i].type != type)
			continue;
		if (t != NULL)
			fail_msg("two transforms of type %u", type);
		t = &p->t[i];
	}
	if (t == NULL)
		fail_msg("no transform of type %u", type);
	return t;
}

/* RFC 9370 2.2.1: the methods of ADDKE1, ADDKE2, ... up to the first one absent. */
static unsigned addke_methods(const struct ike_proposal *p, uint16_t *out)
{
	unsigned n = 0;
	for (uint8_t type = IKE_TRANS_ADDKE1; type <= IKE_TRANS_ADDKE7; type++) {
		bool has = false;
		for (unsigned i = 0; i < p->ntrans; i++)
			has |= p->t[i].type == type;
		if (!has)
			break;
		out[n++] = one_transform(p, type)->id;
	}
	return n;
}

/* The vector files' name of a key exchange method ("<stage>.<name>.shared_secret"). */
static const char *ke_label(uint16_t method)
{
	switch (method) {
	case IKE_KE_CURVE25519: return "x25519";
	case IKE_KE_ECP256: return "ecp256";
	case IKE_KE_ECP384: return "ecp384";
	case IKE_KE_MLKEM768: return "mlkem768";
	case IKE_KE_MLKEM1024: return "mlkem1024";
	}
	fail_msg("no vector name for key exchange method %u", method);
	return NULL;
}

static struct chunk join(const struct chunk *const *part, size_t n)
{
	size_t len = 0, off = 0;
	for (size_t i = 0; i < n; i++)
		len += part[i]->len;
	struct chunk all = chunk_alloc(len);
	for (size_t i = 0; i < n; i++) {
		if (part[i]->len > 0)
			memcpy(all.ptr + off, part[i]->ptr, part[i]->len);
		off += part[i]->len;
	}
	return all;
}

/* -- the Child SA that IKE_AUTH made -- */

/* As our codec reads the IKE_AUTH messages: the SPI each end receives with (the one
 * REKEY_SA and Delete name, RFC 7296 1.3.3, 3.11), the chosen proposal, the selectors. */
struct old_child {
	uint8_t spi_i[4], spi_r[4];
	struct ike_proposal prop;
	struct ike_ts_pl tsi, tsr;
};

/* README: the protected subnets are 10.10.<net>.0/24, all protocols and ports. */
static void is_subnet(const struct ike_ts_pl *ts, uint8_t net)
{
	const uint8_t lo[4] = { 10, 10, net, 0 }, hi[4] = { 10, 10, net, 255 };
	assert_int_equal(ts->n, 1);
	assert_int_equal(ts->ts[0].type, IKE_TS_IPV4_ADDR_RANGE);
	assert_int_equal(ts->ts[0].ipproto, 0);
	assert_int_equal(ts->ts[0].sport, 0);
	assert_int_equal(ts->ts[0].eport, 65535);
	assert_memory_equal(ts->ts[0].saddr, lo, 4);
	assert_memory_equal(ts->ts[0].eaddr, hi, 4);
}

static void auth_child(struct replay *rp, bool response, struct old_child *oc)
{
	const struct ike_gen g = { &rp->keys[rp->nrounds], NULL, NULL };
	struct msg a;
	struct ike_sa_pl sa;
	receive_on(rp, &g, "ike_auth", IKE_AUTH, rp->nrounds + 1, response, &a, ANY_PAYLOADS);
	assert_int_equal(codec_decode_sa(codec_find(&a.c, IKE_PL_SA), &sa), CODEC_OK);
	assert_int_equal(sa.prop[0].protocol, IKE_PROTO_ESP);
	assert_int_equal(sa.prop[0].spi_len, 4);
	match_sa_spi(rp, a.prefix, sa.prop[0].spi, 4);
	memcpy(response ? oc->spi_r : oc->spi_i, sa.prop[0].spi, 4);
	if (response) {
		assert_int_equal(sa.nprop, 1);
		oc->prop = sa.prop[0];
		assert_int_equal(codec_decode_ts(codec_find(&a.c, IKE_PL_TSI), &oc->tsi), CODEC_OK);
		assert_int_equal(codec_decode_ts(codec_find(&a.c, IKE_PL_TSR), &oc->tsr), CODEC_OK);
		is_subnet(&oc->tsi, 1);
		is_subnet(&oc->tsr, 2);
	}
	msg_free(&a);
}

static void old_child(struct replay *rp, struct old_child *oc)
{
	memset(oc, 0, sizeof(*oc));
	auth_child(rp, false, oc);
	auth_child(rp, true, oc);
}

static void same_selectors(const struct ike_ts_pl *got, const struct ike_ts_pl *want)
{
	assert_int_equal(got->n, want->n);
	for (unsigned i = 0; i < got->n; i++) {
		const struct ike_ts *a = &got->ts[i], *b = &want->ts[i];
		size_t alen = a->type == IKE_TS_IPV4_ADDR_RANGE ? 4 : 16;
		assert_int_equal(a->type, b->type);
		assert_int_equal(a->ipproto, b->ipproto);
		assert_int_equal(a->sport, b->sport);
		assert_int_equal(a->eport, b->eport);
		assert_memory_equal(a->saddr, b->saddr, alen);
		assert_memory_equal(a->eaddr, b->eaddr, alen);
	}
}

/* RFC 7296 2.9.2: a new Child SA for the same traffic keeps the old one's selectors. */
static void same_ts(const struct msg *a, const struct old_child *oc)
{
	struct ike_ts_pl tsi, tsr;
	assert_int_equal(codec_decode_ts(codec_find(&a->c, IKE_PL_TSI), &tsi), CODEC_OK);
	assert_int_equal(codec_decode_ts(codec_find(&a->c, IKE_PL_TSR), &tsr), CODEC_OK);
	same_selectors(&tsi, &oc->tsi);
	same_selectors(&tsr, &oc->tsr);
}

/* -- one rekey -- */

/* A rekey as the vector file names its messages: RFC 7296 1.3.2 (IKE SA) or 1.3.3
 * (Child SA), with RFC 9370 2.2.4 follow-ups and the Delete of the old SA. */
struct rekey {
	bool ike;				/* IKE SA rekey, else Child SA rekey */
	const char *keys;			/* "child_rekey" / "ike_rekey": secrets, keys */
	const char *ccsa;			/* the CREATE_CHILD_SA */
	const char *followup[MAX_ROUNDS + 1];	/* its IKE_FOLLOWUP_KEs, NULL-ended */
	const char *del;			/* the INFORMATIONAL */
	uint32_t msgid;				/* of the CREATE_CHILD_SA */
};

/* What the replay of a rekey read from the messages and derived. */
struct rekey_state {
	struct ike_proposal prop;		/* the request's, then the chosen one */
	uint8_t spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];	/* of the new SA */
	uint16_t ke;				/* method of the CREATE_CHILD_SA KE */
	uint16_t addke[MAX_ROUNDS];		/* ADDKE1.. of the proposal */
	unsigned naddke;
	struct chunk ni, nr, link;
	struct chunk gir, sk[MAX_ROUNDS];	/* the logged secrets of these methods */
	struct ike_keys next;			/* IKE SA rekey: the new IKE SA's keys */
};

static void rekey_state_free(struct rekey_state *st)
{
	chunk_free(&st->ni);
	chunk_free(&st->nr);
	chunk_free(&st->link);
	chunk_free(&st->gir);
	for (unsigned n = 0; n < MAX_ROUNDS; n++)
		chunk_free(&st->sk[n]);
	keymat_free(&st->next);
}

static struct chunk rekey_secret(struct replay *rp, const struct rekey *rk, uint16_t method)
{
	char key[96];
	snprintf(key, sizeof(key), "%s.%s.shared_secret", rk->keys, ke_label(method));
	return need(rp, key);
}

/* The one proposal of a rekey's SA payload (RFC 7296 3.3): the IKE SA's with an
 * 8-octet SPI, this IKE SA's ENCR and PRF (RFC 7296 2.18); the Child SA's with its
 * ESP SPI and the old Child SA's ENCR and ESN (RFC 7296 2.9.2); the KE of the KE
 * payload; ADDKE transforms (RFC 9370 2.2.1), and nothing else. */
static void check_sa(struct replay *rp, const struct rekey *rk, const struct msg *a,
		     const struct old_child *oc, uint16_t ke, struct ike_proposal *out)
{
	struct ike_sa_pl sa;
	assert_int_equal(codec_decode_sa(codec_find(&a->c, IKE_PL_SA), &sa), CODEC_OK);
	assert_int_equal(sa.nprop, 1);
	const struct ike_proposal *p = &sa.prop[0];
	assert_int_equal(p->protocol, rk->ike ? IKE_PROTO_IKE : IKE_PROTO_ESP);
	assert_int_equal(p->spi_len, rk->ike ? IKE_SPI_LEN : 4);
	match_sa_spi(rp, a->prefix, p->spi, p->spi_len);
	const struct ike_transform *encr = one_transform(p, IKE_TRANS_ENCR);
	if (rk->ike) {
		assert_int_equal(encr->id, rp->suite.encr);
		assert_int_equal(encr->keylen, rp->suite.keybits);
		assert_int_equal(one_transform(p, IKE_TRANS_PRF)->id, PRF);
	} else {
		const struct ike_transform *old = one_transform(&oc->prop, IKE_TRANS_ENCR);
		assert_int_equal(encr->id, old->id);
		assert_int_equal(encr->keylen, old->keylen);
		assert_int_equal(one_transform(p, IKE_TRANS_ESN)->id,
				 one_transform(&oc->prop, IKE_TRANS_ESN)->id);
	}
	assert_int_equal(one_transform(p, IKE_TRANS_KE)->id, ke);
	uint16_t addke[MAX_ROUNDS];
	/* ENCR, PRF or ESN, KE, ADDKEs */
	assert_int_equal(p->ntrans, 3 + addke_methods(p, addke));
	*out = *p;
}

/* The response chose the request's one proposal: the same transforms. */
static void same_transforms(const struct ike_proposal *req, const struct ike_proposal *resp)
{
	assert_int_equal(resp->ntrans, req->ntrans);
	for (unsigned i = 0; i < req->ntrans; i++) {
		const struct ike_transform *t = one_transform(resp, req->t[i].type);
		assert_int_equal(t->id, req->t[i].id);
		assert_int_equal(t->keylen, req->t[i].keylen);
	}
}

/* RFC 7296 1.3.3: REKEY_SA names the SA being rekeyed by the SPI its sender (the
 * initiator) receives with: the one of its IKE_AUTH SA payload. */
static void rekey_sa(struct replay *rp, const struct msg *a, const struct old_child *oc)
{
	struct ike_notify_pl n;
	assert_int_equal(codec_decode_notify(codec_find_notify(&a->c, IKE_N_REKEY_SA), &n),
			 CODEC_OK);
	assert_int_equal(n.protocol, IKE_PROTO_ESP);
	assert_int_equal(n.spi_len, 4);
	assert_int_equal(n.len, 0);
	assert_memory_equal(n.spi, oc->spi_i, 4);
	match_sa_spi(rp, "ike_auth.request", n.spi, 4);
}

/* RFC 7296 1.3.2: SA, Ni, KEi; 1.3.3: N(REKEY_SA), SA, Ni, KEi, TSi, TSr */
static void ccsa_request(struct replay *rp, const struct rekey *rk, const struct ike_gen *g,
			 const struct old_child *oc, struct rekey_state *st)
{
	struct msg a;
	if (rk->ike)
		receive_on(rp, g, rk->ccsa, CREATE_CHILD_SA, rk->msgid, false, &a,
			   PAYLOADS(IKE_PL_SA, IKE_PL_NONCE, IKE_PL_KE));
	else
		receive_on(rp, g, rk->ccsa, CREATE_CHILD_SA, rk->msgid, false, &a,
			   PAYLOADS(IKE_PL_NOTIFY, IKE_PL_SA, IKE_PL_NONCE, IKE_PL_KE, IKE_PL_TSI,
				    IKE_PL_TSR));
	if (!rk->ike) {
		rekey_sa(rp, &a, oc);
		same_ts(&a, oc);
	}
	st->ni = match_nonce(rp, &a);
	st->ke = match_ke(rp, &a.c, a.prefix);
	check_sa(rp, rk, &a, oc, st->ke, &st->prop);
	memcpy(st->spi_i, st->prop.spi, st->prop.spi_len);
	st->naddke = addke_methods(&st->prop, st->addke);
	msg_free(&a);
}

/* RFC 7296 1.3.2 / 1.3.3: SA, Nr, KEr [, TSi, TSr]; RFC 9370 2.2.4: with
 * N(ADDITIONAL_KEY_EXCHANGE) when follow-ups come. */
static void ccsa_response(struct replay *rp, const struct rekey *rk, const struct ike_gen *g,
			  const struct old_child *oc, struct rekey_state *st)
{
	struct msg a;
	if (rk->ike)
		receive_on(rp, g, rk->ccsa, CREATE_CHILD_SA, rk->msgid, true, &a,
			   PAYLOADS(IKE_PL_SA, IKE_PL_NONCE, IKE_PL_KE, IKE_PL_NOTIFY));
	else
		receive_on(rp, g, rk->ccsa, CREATE_CHILD_SA, rk->msgid, true, &a,
			   PAYLOADS(IKE_PL_SA, IKE_PL_NONCE, IKE_PL_KE, IKE_PL_TSI, IKE_PL_TSR,
				    IKE_PL_NOTIFY));
	if (!rk->ike)
		same_ts(&a, oc);
	st->nr = match_nonce(rp, &a);
	/* RFC 7296 1.3.2: KEr is of the group of KEi */
	assert_int_equal(match_ke(rp, &a.c, a.prefix), st->ke);
	const struct ike_proposal req = st->prop;
	check_sa(rp, rk, &a, oc, st->ke, &st->prop);
	same_transforms(&req, &st->prop);
	memcpy(st->spi_r, st->prop.spi, st->prop.spi_len);
	st->link = addke_link(rp, &a);
	msg_free(&a);
}

/* RFC 9370 2.2.4, round n: the request carries KE of ADDKE(n+1) and echoes the link
 * of the last response; the response has KE of the same method and a new link
 * unless no round follows. */
static void followup(struct replay *rp, const struct rekey *rk, const struct ike_gen *g,
		     unsigned n, struct rekey_state *st)
{
	uint32_t msgid = rk->msgid + 1 + n;
	bool last = n + 1 == st->naddke;
	struct msg a;
	receive_on(rp, g, rk->followup[n], IKE_FOLLOWUP_KE, msgid, false, &a,
		   PAYLOADS(IKE_PL_KE, IKE_PL_NOTIFY));
	assert_int_equal(match_ke(rp, &a.c, a.prefix), st->addke[n]);
	struct chunk echo = addke_link(rp, &a);
	assert_int_equal(echo.len, st->link.len);
	assert_memory_equal(echo.ptr, st->link.ptr, echo.len);
	chunk_free(&echo);
	msg_free(&a);

	if (last)
		receive_on(rp, g, rk->followup[n], IKE_FOLLOWUP_KE, msgid, true, &a,
			   PAYLOADS(IKE_PL_KE));
	else
		receive_on(rp, g, rk->followup[n], IKE_FOLLOWUP_KE, msgid, true, &a,
			   PAYLOADS(IKE_PL_KE, IKE_PL_NOTIFY));
	assert_int_equal(match_ke(rp, &a.c, a.prefix), st->addke[n]);
	if (!last) {
		chunk_free(&st->link);
		st->link = addke_link(rp, &a);
	}
	msg_free(&a);
	st->sk[n] = rekey_secret(rp, rk, st->addke[n]);
}

/* RFC 9370 2.2.4: KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr | SK(1) | ... | SK(n)),
 * taken initiator-to-responder first (RFC 7296 2.17); AES-GCM keys end in their salt. */
static void child_keys(struct replay *rp, const struct rekey *rk, const struct rekey_state *st)
{
	const struct ike_transform *encr = one_transform(&st->prop, IKE_TRANS_ENCR);
	struct sk_suite esp;
	struct chunk km;
	assert_true(sk_suite_init(&esp, (enum ike_encr)encr->id, encr->keylen, IKE_INTEG_NONE));
	size_t klen = esp.info.keylen;
	assert_true(keymat_child_addke(PRF, &rp->keys[rp->nrounds].sk_d, &st->gir, &st->ni,
				       &st->nr, st->sk, st->naddke, 2 * klen, &km));
	matchf(rp, km.ptr, klen, "%s.encr_i", rk->keys);
	matchf(rp, km.ptr + klen, klen, "%s.encr_r", rk->keys);
	chunk_free(&km);

	/* charon logs the prf+ seed: the same inputs in the same order */
	const struct chunk *part[3 + MAX_ROUNDS] = { &st->gir, &st->ni, &st->nr };
	for (unsigned n = 0; n < st->naddke; n++)
		part[3 + n] = &st->sk[n];
	struct chunk seed = join(part, 3 + st->naddke);
	matchf(rp, seed.ptr, seed.len, "%s.prf_plus_seed", rk->keys);
	chunk_free(&seed);
}

/* RFC 7296 2.18 with RFC 9370 2.2.4:
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr | SK(1) | ... | SK(n))
 *   keys = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr), the SPIs of the two SA payloads */
static void rekeyed_ike_keys(struct replay *rp, const struct rekey *rk, struct rekey_state *st)
{
	const struct chunk *nn[] = { &st->ni, &st->nr };
	struct chunk nonces = join(nn, 2), skeyseed;
	matchf(rp, nonces.ptr, nonces.len, "%s.nonces", rk->keys);
	matchf(rp, st->spi_i, IKE_SPI_LEN, "%s.new_spi_i", rk->keys);
	matchf(rp, st->spi_r, IKE_SPI_LEN, "%s.new_spi_r", rk->keys);
	assert_true(keymat_rekey_skeyseed(PRF, &rp->keys[rp->nrounds].sk_d, &st->gir, &st->ni,
					  &st->nr, st->sk, st->naddke, &skeyseed));
	matchf(rp, skeyseed.ptr, skeyseed.len, "%s.skeyseed", rk->keys);
	assert_true(keymat_ike_keys(PRF, &skeyseed, &st->ni, &st->nr, st->spi_i, st->spi_r,
				    &rp->sz, &st->next));
	match_key_set(rp, rk->keys, &st->next);
	chunk_free(&skeyseed);
	chunk_free(&nonces);
}

/* RFC 7296 1.4.1, 3.11: a Child SA is deleted by the SPIs each end receives with:
 * the request names the initiator's, the response the responder's. */
static void delete_child(struct replay *rp, const struct ike_gen *g, const char *base,
			 uint32_t msgid, const struct old_child *oc)
{
	for (int response = 0; response <= 1; response++) {
		struct msg a;
		struct ike_delete_pl d;
		receive_on(rp, g, base, INFORMATIONAL, msgid, response, &a,
			   PAYLOADS(IKE_PL_DELETE));
		assert_int_equal(codec_decode_delete(codec_find(&a.c, IKE_PL_DELETE), &d), CODEC_OK);
		assert_int_equal(d.protocol, IKE_PROTO_ESP);
		assert_int_equal(d.spi_len, 4);
		assert_int_equal(d.nspi, 1);
		assert_memory_equal(d.spis, response ? oc->spi_r : oc->spi_i, 4);
		match_sa_spi(rp, response ? "ike_auth.response" : "ike_auth.request", d.spis, 4);
		msg_free(&a);
	}
}

/* RFC 7296 1.4.1, 3.11: Delete of the IKE SA (SPI Size 0, no SPIs); an empty response. */
static void delete_ike(struct replay *rp, const struct ike_gen *g, const char *base,
		       uint32_t msgid)
{
	struct msg a;
	struct ike_delete_pl d;
	receive_on(rp, g, base, INFORMATIONAL, msgid, false, &a, PAYLOADS(IKE_PL_DELETE));
	assert_int_equal(codec_decode_delete(codec_find(&a.c, IKE_PL_DELETE), &d), CODEC_OK);
	assert_int_equal(d.protocol, IKE_PROTO_IKE);
	assert_int_equal(d.spi_len, 0);
	assert_int_equal(d.nspi, 0);
	msg_free(&a);
	receive_on(rp, g, base, INFORMATIONAL, msgid, true, &a, NO_PAYLOADS);
	assert_int_equal(a.m.plain.len, 0);
	msg_free(&a);
}

/* RFC 7296 1.3.1: a new Child SA with a KE (libreswan's revival, README) that the
 * responder refuses with NO_PROPOSAL_CHOSEN. */
static void refused_child(struct replay *rp, const struct ike_gen *g, const char *base,
			  uint32_t msgid, const struct old_child *oc)
{
	struct msg a;
	struct ike_sa_pl sa;
	struct ike_notify_pl n;
	receive_on(rp, g, base, CREATE_CHILD_SA, msgid, false, &a,
		   PAYLOADS(IKE_PL_SA, IKE_PL_NONCE, IKE_PL_KE, IKE_PL_TSI, IKE_PL_TSR));
	assert_int_equal(codec_decode_sa(codec_find(&a.c, IKE_PL_SA), &sa), CODEC_OK);
	assert_int_equal(sa.prop[0].protocol, IKE_PROTO_ESP);
	assert_int_equal(sa.prop[0].spi_len, 4);
	match_sa_spi(rp, a.prefix, sa.prop[0].spi, 4);
	assert_int_equal(one_transform(&sa.prop[0], IKE_TRANS_KE)->id,
			 match_ke(rp, &a.c, a.prefix));
	struct chunk ni = match_nonce(rp, &a);
	chunk_free(&ni);
	same_ts(&a, oc);
	msg_free(&a);
	receive_on(rp, g, base, CREATE_CHILD_SA, msgid, true, &a, PAYLOADS(IKE_PL_NOTIFY));
	assert_int_equal(codec_decode_notify(codec_find(&a.c, IKE_PL_NOTIFY), &n), CODEC_OK);
	assert_int_equal(n.type, IKE_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(n.spi_len, 0);
	assert_int_equal(n.len, 0);
	msg_free(&a);
}

/* A whole rekey on the IKE SA of the last IKE_INTERMEDIATE keys: CREATE_CHILD_SA,
 * each IKE_FOLLOWUP_KE, the keys, the INFORMATIONAL Delete of the old SA. */
static void rekey(struct replay *rp, const struct rekey *rk, const struct old_child *oc,
		  struct rekey_state *st)
{
	const struct ike_gen g = { &rp->keys[rp->nrounds], NULL, NULL };
	unsigned nf = 0;
	while (rk->followup[nf] != NULL)
		nf++;
	memset(st, 0, sizeof(*st));
	ccsa_request(rp, rk, &g, oc, st);
	ccsa_response(rp, rk, &g, oc, st);
	/* RFC 9370 2.2.4: one IKE_FOLLOWUP_KE for each ADDKE transform chosen */
	assert_true(nf >= 1);
	assert_int_equal(st->naddke, nf);
	st->gir = rekey_secret(rp, rk, st->ke);
	for (unsigned n = 0; n < nf; n++)
		followup(rp, rk, &g, n, st);
	if (rk->ike) {
		rekeyed_ike_keys(rp, rk, st);
		delete_ike(rp, &g, rk->del, rk->msgid + 1 + nf);
	} else {
		child_keys(rp, rk, st);
		delete_child(rp, &g, rk->del, rk->msgid + 1 + nf, oc);
	}
}

/* -- what must not decrypt -- */

/* The SK or SKF payload of a captured datagram (the last of its chain, c). */
static const struct ike_pl *sk_payload(const struct chunk *d, struct ike_chain *c)
{
	struct ike_hdr h;
	uint8_t bad = 0;
	assert_int_equal(codec_decode_hdr(d->ptr, d->len, &h), CODEC_OK);
	assert_int_equal(codec_decode_chain(h.np, d->ptr + IKE_HDR_LEN, d->len - IKE_HDR_LEN, c,
					    &bad), CODEC_OK);
	const struct ike_pl *pl = &c->pl[c->n - 1];
	assert_true(pl->type == IKE_PL_SK || pl->type == IKE_PL_SKF);
	return pl;
}

/* sk_decrypt of one captured datagram under sk_e. */
static enum sk_result decrypt_dgram(struct replay *rp, const struct chunk *d,
				    const struct chunk *sk_e)
{
	struct ike_chain c;
	const uint8_t *p;
	size_t plen;
	struct chunk none = CHUNK_EMPTY;
	const struct ike_pl *pl = sk_payload(d, &c);
	uint8_t *out = test_malloc(pl->len);
	enum sk_result r = sk_decrypt(&rp->suite, sk_e, &none, d->ptr, d->len, pl, out, &p, &plen);
	test_free(out);
	return r;
}

/* RFC 5282 / RFC 7296 2.21.2: one flipped octet, in the ciphertext or in the
 * authenticated IKE header, and sk_decrypt refuses each datagram of <prefix>. */
static void tamper(struct replay *rp, const char *prefix, const struct chunk *sk_e)
{
	struct received m;
	load_datagrams(rp, prefix, &m);
	for (unsigned i = 0; i < m.ndgram; i++) {
		struct chunk *d = &m.dgram[i];
		struct ike_chain c;
		const struct ike_pl *pl = sk_payload(d, &c);
		/* RFC 7383 2.5: Fragment Number and Total Fragments come before the IV */
		size_t iv = (size_t)(pl->body - d->ptr) + (pl->type == IKE_PL_SKF ? 4 : 0);
		size_t ct_len = d->len - iv - rp->suite.info.ivlen - rp->suite.icvlen;
		/* the middle octet of the ciphertext; the last octet of SPIr (in the AAD) */
		const size_t at[] = { iv + rp->suite.info.ivlen + ct_len / 2, 15 };
		assert_true(ct_len >= 1);
		assert_int_equal(decrypt_dgram(rp, d, sk_e), SK_OK);
		for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
			d->ptr[at[k]] ^= 0x01;
			assert_int_equal(decrypt_dgram(rp, d, sk_e), SK_BAD_ICV);
			d->ptr[at[k]] ^= 0x01;
		}
	}
	received_free(&m);
}

/* The datagrams of <prefix> do not open with the keys of another IKE SA generation. */
static void wrong_generation(struct replay *rp, const char *prefix, const struct chunk *sk_e)
{
	struct received m;
	load_datagrams(rp, prefix, &m);
	for (unsigned i = 0; i < m.ndgram; i++)
		assert_int_equal(decrypt_dgram(rp, &m.dgram[i], sk_e), SK_BAD_ICV);
	received_free(&m);
}

/* strongSwan: Child SA rekey, CREATE_CHILD_SA with X25519 (mid 3), IKE_FOLLOWUP_KE with
 * ML-KEM-768 as 3 + 3 SKF fragments (mid 4), Delete of the old Child SA (mid 5). */
static void test_strongswan_child_rekey(void **state)
{
	(void)state;
	static const struct rekey rk = {
		false, "child_rekey", "child_rekey.create_child_sa",
		{ "child_rekey.ike_followup_ke" }, "child_rekey.informational", 3,
	};
	struct replay rp;
	struct old_child oc;
	struct rekey_state st;
	replay_open(&rp, SS_FILE, 1);
	unsigned before = rp.matched;
	old_child(&rp, &oc);
	rekey(&rp, &rk, &oc, &st);
	tamper(&rp, "child_rekey.create_child_sa.request", &rp.keys[1].sk_ei);
	tamper(&rp, "child_rekey.ike_followup_ke.response", &rp.keys[1].sk_er);
	print_message("replay %s: Child SA rekey, %u logged values reproduced\n", rp.file,
		      rp.matched - before);
	rekey_state_free(&st);
	replay_close(&rp);
}

/* strongSwan: IKE SA rekey (mids 6, 7 fragmented, 8) and the Delete on the new IKE SA,
 * which only the keys our keymat derived open (mid 0). */
static void test_strongswan_ike_rekey(void **state)
{
	(void)state;
	static const struct rekey rk = {
		true, "ike_rekey", "ike_rekey.create_child_sa",
		{ "ike_rekey.ike_followup_ke" }, "ike_rekey.informational", 6,
	};
	struct replay rp;
	struct rekey_state st;
	replay_open(&rp, SS_FILE, 1);
	unsigned before = rp.matched;
	rekey(&rp, &rk, NULL, &st);
	const struct ike_gen g2 = { &st.next, st.spi_i, st.spi_r };
	delete_ike(&rp, &g2, "new_ike_sa.informational", 0);
	wrong_generation(&rp, "new_ike_sa.informational.request", &rp.keys[1].sk_ei);
	wrong_generation(&rp, "ike_rekey.informational.request", &st.next.sk_ei);
	tamper(&rp, "ike_rekey.ike_followup_ke.request", &rp.keys[1].sk_ei);
	tamper(&rp, "new_ike_sa.informational.response", &st.next.sk_er);
	print_message("replay %s: IKE SA rekey, %u logged values reproduced\n", rp.file,
		      rp.matched - before);
	rekey_state_free(&st);
	replay_close(&rp);
}

/* libreswan -> strongSwan: everything after IKE_AUTH.  On the first IKE SA the Delete
 * of the IKE_AUTH Child SA (mid 3), a refused new Child SA (mid 4), the IKE SA rekey
 * with X25519 and an ECP-256 follow-up (mids 5-7); on the new IKE SA a refused Child
 * SA (mid 0) and its Delete (mid 1). */
static void test_libreswan_rekey(void **state)
{
	(void)state;
	static const struct rekey rk = {
		true, "ike_rekey", "ike_sa1.mid5.create_child_sa",
		{ "ike_sa1.mid6.ike_followup_ke" }, "ike_sa1.mid7.informational", 5,
	};
	struct replay rp;
	struct old_child oc;
	struct rekey_state st;
	replay_open(&rp, LS_FILE, 1);
	unsigned before = rp.matched;
	const struct ike_gen g1 = { &rp.keys[1], NULL, NULL };
	old_child(&rp, &oc);
	delete_child(&rp, &g1, "ike_sa1.mid3.informational", 3, &oc);
	refused_child(&rp, &g1, "ike_sa1.mid4.create_child_sa", 4, &oc);
	rekey(&rp, &rk, &oc, &st);
	const struct ike_gen g2 = { &st.next, st.spi_i, st.spi_r };
	refused_child(&rp, &g2, "ike_sa2.mid0.create_child_sa", 0, &oc);
	delete_ike(&rp, &g2, "ike_sa2.mid1.informational", 1);
	wrong_generation(&rp, "ike_sa2.mid0.create_child_sa.request", &rp.keys[1].sk_ei);
	wrong_generation(&rp, "ike_sa2.mid0.create_child_sa.response", &rp.keys[1].sk_er);
	tamper(&rp, "ike_sa1.mid5.create_child_sa.response", &rp.keys[1].sk_er);
	tamper(&rp, "ike_sa2.mid1.informational.request", &st.next.sk_ei);
	print_message("replay %s: IKE SA rekey, %u logged values reproduced\n", rp.file,
		      rp.matched - before);
	rekey_state_free(&st);
	replay_close(&rp);
}

static void test_strongswan_1round(void **state)
{
	(void)state;
	/* X25519 + ML-KEM-768, IKE_INTERMEDIATE as 3 + 3 SKF fragments */
	replay_file(SS_FILE, 1);
}

static void test_strongswan_3rounds(void **state)
{
	(void)state;
	/* ML-KEM-768 (3 + 3 fragments), ML-KEM-1024 (4 + 4), ECP-384 (unfragmented) */
	replay_file("strongswan-3rounds-psk", 3);
}

static void test_strongswan_ecdsa_cert(void **state)
{
	(void)state;
	/* RFC 7427 ecdsa-with-SHA256, P-256 certificates, IKE_AUTH unfragmented */
	replay_file("strongswan-ecdsa-p256-cert", 1);
}

static void test_strongswan_pss_cert(void **state)
{
	(void)state;
	/* RFC 7427 RSASSA-PSS SHA-256, RSA-3072 certificates, IKE_AUTH in 2 fragments */
	replay_file("strongswan-rsa-pss-cert", 1);
}

static void test_libreswan(void **state)
{
	(void)state;
	/* libreswan initiator, strongSwan responder: X25519 + ECP-256, unfragmented */
	replay_file(LS_FILE, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strongswan_1round),
		cmocka_unit_test(test_strongswan_3rounds),
		cmocka_unit_test(test_libreswan),
		cmocka_unit_test(test_strongswan_ecdsa_cert),
		cmocka_unit_test(test_strongswan_pss_cert),
		cmocka_unit_test(test_strongswan_child_rekey),
		cmocka_unit_test(test_strongswan_ike_rekey),
		cmocka_unit_test(test_libreswan_rekey),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
