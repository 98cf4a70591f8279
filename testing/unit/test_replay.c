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
#include "sk.h"
#include "transcript.h"
#include "vecfile.h"

#define VEC(name) VECTORS_DIR "/" name ".txt"
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

static void match_keys(struct replay *rp, unsigned n)
{
	char stage[32];
	stage_name(rp, n, stage, sizeof(stage));
	const struct ike_keys *k = &rp->keys[n];
	const struct { const char *name; const struct chunk *c; } set[] = {
		{ "sk_d", &k->sk_d }, { "sk_ai", &k->sk_ai }, { "sk_ar", &k->sk_ar },
		{ "sk_ei", &k->sk_ei }, { "sk_er", &k->sk_er },
		{ "sk_pi", &k->sk_pi }, { "sk_pr", &k->sk_pr },
	};
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		matchf(rp, set[i].c->ptr, set[i].c->len, "%s.%s", stage, set[i].name);
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
	assert_memory_equal(h.spi_i, rp->spi_i.ptr, IKE_SPI_LEN);
	assert_memory_equal(h.spi_r, rp->spi_r.ptr, IKE_SPI_LEN);
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
				  initiator ? &k->sk_ei : &k->sk_er };
	struct received m;
	receive(rp, prefix, &x, scrambled, &m);

	/* the additional key exchange this round carried (RFC 9370 2.2.2) */
	struct ike_chain c;
	struct ike_ke_pl ke;
	inner_chain(&m, &c);
	assert_int_equal(codec_decode_ke(codec_find(&c, IKE_PL_KE), &ke), CODEC_OK);
	uint8_t method[2] = { (uint8_t)(ke.method >> 8), (uint8_t)ke.method };
	matchf(rp, method, 2, "%s.ke.group", prefix);
	matchf(rp, ke.data, ke.len, "%s.ke.data", prefix);

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

/* RFC 7296 2.15 with RFC 9242 3.3.2:
 *   AUTH = prf(prf(PSK, "Key Pad for IKEv2"),
 *              RealMessageX | NonceYData | prf(SK_px, IDx') | IntAuth_iN | IntAuth_rN | MID) */
static void check_auth(struct replay *rp, const struct transcript *t, const struct auth_side *s)
{
	char x = s->initiator ? 'i' : 'r', key[64];
	const char *prefix = s->initiator ? "ike_auth.request" : "ike_auth.response";
	const struct expect ex = { IKE_AUTH, rp->nrounds + 1, !s->initiator, s->sk_e };
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
	assert_int_equal(auth.method, IKE_AUTH_PSK);

	uint8_t maced[CRYPT_MAX_PRF_LEN];
	size_t prf_len = crypt_prf_len(PRF);
	assert_true(authdata_maced_id(PRF, s->sk_p, id.body, id.body_len, maced));
	snprintf(key, sizeof(key), "auth_%c.maced_id", x);
	if (vecfile_has(rp->vf, key))
		match(rp, maced, prf_len, key);

	/* RFC 9242 3.3.2: the Message ID of the IKE_AUTH request, N + 1 */
	uint8_t ia[2 * CRYPT_MAX_PRF_LEN + 4];
	size_t ia_len = transcript_intauth(t, codec_get32(m.rec.hdr + 20), ia, sizeof(ia));
	assert_int_equal(ia_len, 2 * prf_len + 4);
	snprintf(key, sizeof(key), "auth_%c.intauth", x);
	match(rp, ia, ia_len, key);

	struct chunk so = authdata_signed_octets(s->real.ptr, s->real.len, s->peer_nonce, maced,
						 prf_len, ia, ia_len);
	assert_non_null(so.ptr);
	snprintf(key, sizeof(key), "auth_%c.signed_octets", x);
	if (vecfile_has(rp->vf, key))
		match(rp, so.ptr, so.len, key);

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

static void replay_file(const char *name, const char *path, unsigned nrounds)
{
	struct replay rp = { .file = name, .nrounds = nrounds };
	rp.vf = vecfile_load(path);
	assert_non_null(rp.vf);
	assert_true(sk_suite_init(&rp.suite, IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE));
	rp.sz = (struct keymat_sizes){ crypt_prf_len(PRF), 0, rp.suite.info.keylen };
	assert_int_equal(rp.sz.prf, 48);
	assert_int_equal(rp.sz.encr, 36);

	derive_keys(&rp);

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
	for (unsigned n = 0; n <= nrounds; n++)
		keymat_free(&rp.keys[n]);
	chunk_free(&rp.ni);
	chunk_free(&rp.nr);
	chunk_free(&rp.spi_i);
	chunk_free(&rp.spi_r);
	vecfile_free(rp.vf);
}

static void test_strongswan_1round(void **state)
{
	(void)state;
	/* X25519 + ML-KEM-768, IKE_INTERMEDIATE as 3 + 3 SKF fragments */
	replay_file("strongswan-x25519-mlkem768-psk", VEC("strongswan-x25519-mlkem768-psk"), 1);
}

static void test_strongswan_3rounds(void **state)
{
	(void)state;
	/* ML-KEM-768 (3 + 3 fragments), ML-KEM-1024 (4 + 4), ECP-384 (unfragmented) */
	replay_file("strongswan-3rounds-psk", VEC("strongswan-3rounds-psk"), 3);
}

static void test_libreswan(void **state)
{
	(void)state;
	/* libreswan initiator, strongSwan responder: X25519 + ECP-256, unfragmented */
	replay_file("libreswan-charon-x25519-addke-ecp256-psk",
		    VEC("libreswan-charon-x25519-addke-ecp256-psk"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strongswan_1round),
		cmocka_unit_test(test_strongswan_3rounds),
		cmocka_unit_test(test_libreswan),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
