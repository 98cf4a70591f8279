/* test_sk.c -- SK (RFC 7296 3.14) and SKF (RFC 7383 2.5) protection: round trips for
 * AES-GCM-16 (RFC 5282) and AES-CBC + HMAC-SHA2-256-128 (RFC 3602, RFC 4868), tamper
 * and truncation, foreign padding, and the captured strongSwan messages decrypted with
 * the logged keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"

#include "crypt.h"
#include "ike_codec.h"
#include "sk.h"
#include "vecfile.h"

#define VEC(name) VECTORS_DIR "/" name ".txt"
#define MSG_CAP 4096
#define SKF_EXTRA 4		/* RFC 7383 2.5: Fragment Number, Total Fragments */

struct suite_case {
	const char *name;
	enum ike_encr encr;
	unsigned keybits;
	enum ike_integ integ;
	size_t keylen;		/* SK_e octets, salt included (RFC 5282 7.1) */
	size_t integlen;	/* SK_a octets */
};

static const struct suite_case suites[] = {
	{ "aes_gcm16_128", IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE, 16 + 4, 0 },
	{ "aes_gcm16_256", IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE, 32 + 4, 0 },
	{ "aes_cbc_256-hmac_sha2_256_128", IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_256_128,
	  32, 32 },
};

/* keys and a plaintext with recognisable octets */
struct keys {
	uint8_t e[64], a[64];
	struct chunk ke, ka;
};

static void make_keys(struct keys *k, const struct suite_case *sc, uint8_t seed)
{
	for (size_t i = 0; i < sizeof(k->e); i++) {
		k->e[i] = (uint8_t)(seed + 3 * i);
		k->a[i] = (uint8_t)(seed ^ (7 * i + 1));
	}
	k->ke = (struct chunk){ k->e, sc->keylen };
	k->ka = (struct chunk){ k->a, sc->integlen };
}

static void init_suite(struct sk_suite *s, const struct suite_case *sc)
{
	assert_true(sk_suite_init(s, sc->encr, sc->keybits, sc->integ));
	assert_int_equal(s->info.keylen, sc->keylen);
	if (sc->integ == IKE_INTEG_NONE) {
		assert_true(s->info.aead);
		assert_int_equal(s->info.ivlen, 8);	/* RFC 5282 3.1 */
		assert_int_equal(s->icvlen, 16);	/* GCM with a 16-octet ICV */
	} else {
		assert_false(s->info.aead);
		assert_int_equal(s->info.ivlen, 16);	/* RFC 3602 */
		assert_int_equal(s->info.blocklen, 16);
		assert_int_equal(s->icvlen, 16);	/* RFC 4868: 128-bit truncation */
		assert_int_equal(crypt_integ_keylen(sc->integ), sc->integlen);
	}
}

static const uint8_t spis[16] = {
	0x97, 0x7b, 0xbb, 0x96, 0x85, 0xb0, 0xc6, 0xba,
	0x6c, 0x99, 0x2f, 0x2e, 0xc5, 0x9e, 0xa5, 0x9e,
};

/* IKE header of an IKE_INTERMEDIATE request, Message ID 1, then SK or SKF. */
static void build(const struct sk_suite *s, const struct keys *k, struct ike_buf *b,
		  uint8_t *storage, const uint8_t *plain, size_t len, uint16_t num, uint16_t total)
{
	struct ike_hdr h = { .version = 0x20, .exchange = IKE_INTERMEDIATE,
			     .flags = IKE_FLAG_INITIATOR, .msgid = 1 };
	memcpy(h.spi_i, spis, 8);
	memcpy(h.spi_r, spis + 8, 8);
	codec_buf_init(b, storage, MSG_CAP);
	codec_put_hdr(b, &h);
	assert_true(sk_encrypt(s, &k->ke, &k->ka, b, IKE_PL_KE, plain, len, num, total));
	assert_false(b->overflow);
}

/* The SK/SKF payload of a datagram, through the decoder as the daemon sees it. */
static void decode(const uint8_t *msg, size_t len, struct ike_hdr *h, struct ike_pl *pl)
{
	struct ike_chain c;
	uint8_t bad = 0;
	assert_int_equal(codec_decode_hdr(msg, len, h), CODEC_OK);
	assert_int_equal(codec_decode_chain(h->np, msg + IKE_HDR_LEN, len - IKE_HDR_LEN, &c, &bad),
			 CODEC_OK);
	assert_true(c.n >= 1);
	*pl = c.pl[c.n - 1];
	assert_true(pl->type == IKE_PL_SK || pl->type == IKE_PL_SKF);
}

/* pl of the same payload, moved to another copy of the message */
static struct ike_pl rebase(const struct ike_pl *pl, const uint8_t *from, const uint8_t *to)
{
	struct ike_pl q = *pl;
	q.hdr = to + (pl->hdr - from);
	q.body = to + (pl->body - from);
	return q;
}

static enum sk_result open_pl(const struct sk_suite *s, const struct keys *k, const uint8_t *msg,
			      size_t len, const struct ike_pl *pl, uint8_t *out,
			      const uint8_t **plain, size_t *plain_len)
{
	return sk_decrypt(s, &k->ke, &k->ka, msg, len, pl, out, plain, plain_len);
}

/* One round trip, with every check on the wire format. */
static void round_trip(const struct suite_case *sc, size_t len, uint16_t num, uint16_t total,
		       bool tamper, bool null_when_empty)
{
	struct sk_suite s;
	struct keys k;
	init_suite(&s, sc);
	make_keys(&k, sc, (uint8_t)(len + num));
	uint8_t plain[512], storage[MSG_CAP], out[MSG_CAP];
	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)(0xa5 ^ i);
	assert_true(len <= sizeof(plain));

	struct ike_buf b;
	build(&s, &k, &b, storage, len == 0 && null_when_empty ? NULL : plain, len, num, total);
	bool frag = total != 0;

	/* RFC 7296 3.1: the header Length covers the whole message */
	assert_int_equal(be_get32(storage + 24), b.len);
	assert_int_equal(b.len, IKE_HDR_LEN + sk_overhead(&s, len, frag) + len);
	struct ike_hdr h;
	struct ike_pl pl;
	decode(storage, b.len, &h, &pl);
	assert_int_equal(h.np, frag ? IKE_PL_SKF : IKE_PL_SK);
	assert_int_equal(h.length, b.len);
	assert_int_equal(IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + pl.len, b.len);
	/* RFC 7383 2.5: fragment 1 (or an SK payload) names the first inner payload */
	assert_int_equal(pl.np, (!frag || num == 1) ? IKE_PL_KE : IKE_PL_NONE);
	size_t extra = frag ? SKF_EXTRA : 0;
	if (frag) {
		struct ike_skf_pl f;
		assert_int_equal(codec_decode_skf(&pl, &f), CODEC_OK);
		assert_int_equal(f.number, num);
		assert_int_equal(f.total, total);
	}
	size_t ct_len = pl.len - extra - s.info.ivlen - s.icvlen;
	if (s.info.aead)
		assert_int_equal(ct_len, len + 1);	/* RFC 5282 3: no padding needed */
	else
		assert_int_equal(ct_len % 16, 0);	/* RFC 7296 3.14: whole blocks */
	assert_true(ct_len >= len + 1);

	const uint8_t *got = NULL;
	size_t got_len = 99;
	assert_int_equal(open_pl(&s, &k, storage, b.len, &pl, out, &got, &got_len), SK_OK);
	assert_int_equal(got_len, len);
	if (len > 0)
		assert_memory_equal(got, plain, len);

	if (!tamper)
		return;
	/* RFC 7296 3.14 / RFC 5282 5.1: the IKE header, the SK(F) header, IV, ciphertext
	 * and ICV are all covered: one flipped bit anywhere is an integrity failure */
	uint8_t copy[MSG_CAP];
	for (size_t i = 0; i < b.len; i++) {
		for (unsigned bit = 0; bit < 8; bit += (b.len > 200 ? 3 : 1)) {
			memcpy(copy, storage, b.len);
			copy[i] ^= (uint8_t)(1u << bit);
			struct ike_pl q = rebase(&pl, storage, copy);
			enum sk_result r = open_pl(&s, &k, copy, b.len, &q, out, &got, &got_len);
			if (r != SK_BAD_ICV)
				fail_msg("%s: octet %zu bit %u flipped: %s", sc->name, i, bit,
					 sk_result_name(r));
		}
	}
	/* the wrong key is an integrity failure too */
	struct keys other;
	make_keys(&other, sc, (uint8_t)(len + num + 1));
	assert_int_equal(open_pl(&s, &other, storage, b.len, &pl, out, &got, &got_len), SK_BAD_ICV);
}

static void test_round_trip(void **state)
{
	(void)state;
	/* empty, one octet, and around the 16-octet block: len + 1 (pad length) a
	 * multiple of 16 needs no padding with CBC */
	static const size_t lens[] = { 0, 1, 14, 15, 16, 17, 31, 32, 47, 100, 511 };
	static const struct { uint16_t num, total; } shapes[] = {
		{ 0, 0 }, { 1, 3 }, { 2, 3 }, { 3, 3 }, { 1, 1 }, { 64, 64 },
	};
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		for (size_t j = 0; j < sizeof(lens) / sizeof(lens[0]); j++)
			for (size_t f = 0; f < sizeof(shapes) / sizeof(shapes[0]); f++)
				round_trip(&suites[i], lens[j], shapes[f].num, shapes[f].total,
					   lens[j] <= 32 && f < 3, false);
}

/* An empty SK payload (RFC 9242 3: an IKE_INTERMEDIATE message may carry nothing; an
 * INFORMATIONAL liveness check does) given as (NULL, 0), as authdata.c and reasm.c
 * accept it.  Last in main(): under UBSan a memmove(dst, NULL, 0) in sk_encrypt is
 * undefined behaviour (C17 7.24.1p2) and aborts the binary. */
static void test_empty_null_plain(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		round_trip(&suites[i], 0, 0, 0, true, true);
		round_trip(&suites[i], 0, 2, 2, false, true);
	}
}

/* Truncation: below IV + pad length + ICV is SK_BAD_LENGTH; for CBC a ciphertext that
 * is not whole blocks is too (RFC 7296 3.14); anything else must not authenticate. */
static void test_truncated(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		const struct suite_case *sc = &suites[i];
		for (int frag = 0; frag < 2; frag++) {
			struct sk_suite s;
			struct keys k;
			init_suite(&s, sc);
			make_keys(&k, sc, 9);
			uint8_t plain[40] = { 1, 2, 3 }, storage[MSG_CAP], out[MSG_CAP];
			struct ike_buf b;
			build(&s, &k, &b, storage, plain, sizeof(plain), frag ? 2 : 0, frag ? 2 : 0);
			struct ike_hdr h;
			struct ike_pl pl;
			decode(storage, b.len, &h, &pl);
			size_t min = (frag ? SKF_EXTRA : 0) + s.info.ivlen + 1 + s.icvlen;
			const uint8_t *got;
			size_t got_len;
			for (size_t cut = 1; cut <= pl.len; cut++) {
				/* the message shortened by cut octets, both length fields
				 * patched, so that the decoder passes it on */
				uint8_t copy[MSG_CAP];
				size_t mlen = b.len - cut;
				memcpy(copy, storage, mlen);
				be_put32(copy + 24, (uint32_t)mlen);
				be_put16(copy + (pl.hdr - storage) + 2,
					    (uint16_t)(IKE_GENERIC_HDR_LEN + pl.len - cut));
				struct ike_hdr h2;
				struct ike_pl q;
				decode(copy, mlen, &h2, &q);
				if (frag) {
					/* an SKF without its two numbers is refused by the
					 * decoder (RFC 7383 2.5); sk_decrypt refuses it too */
					struct ike_skf_pl f;
					enum codec_result cr = codec_decode_skf(&q, &f);
					assert_true(q.len >= SKF_EXTRA ? cr == CODEC_OK : cr != CODEC_OK);
				}
				enum sk_result r = sk_decrypt(&s, &k.ke, &k.ka, copy, mlen, &q, out,
							      &got, &got_len);
				size_t ct = q.len - (frag ? SKF_EXTRA : 0) - s.info.ivlen - s.icvlen;
				enum sk_result want = q.len < min ? SK_BAD_LENGTH :
					(!s.info.aead && ct % 16 != 0) ? SK_BAD_LENGTH : SK_BAD_ICV;
				if (r != want)
					fail_msg("%s frag=%d cut %zu: %s, want %s", sc->name, frag, cut,
						 sk_result_name(r), sk_result_name(want));
			}
		}
	}
}

/* A peer may pad more than needed and with any octets (RFC 7296 3.14: "Padding MAY
 * contain any value"; up to 255 octets); the receiver strips Pad Length + 1 octets.
 * A Pad Length that overruns the plaintext is SK_BAD_PADDING.  Built by hand with the
 * crypt primitives, as another implementation would. */
static size_t foreign(const struct sk_suite *s, const struct suite_case *sc, const struct keys *k,
		      uint8_t *msg, const uint8_t *plain, size_t len, uint8_t pad, uint8_t padlen_octet)
{
	static const uint8_t iv[16] = { 0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
					0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f };
	size_t ct_len = len + pad + 1;
	size_t plen = IKE_GENERIC_HDR_LEN + s->info.ivlen + ct_len + s->icvlen;
	size_t total = IKE_HDR_LEN + plen;
	memset(msg, 0, IKE_HDR_LEN);
	memcpy(msg, spis, 16);
	msg[16] = IKE_PL_SK;
	msg[17] = 0x20;
	msg[18] = IKE_AUTH;
	msg[19] = IKE_FLAG_INITIATOR;
	be_put32(msg + 20, 1);
	be_put32(msg + 24, (uint32_t)total);
	uint8_t *p = msg + IKE_HDR_LEN;
	p[0] = IKE_PL_IDI;
	p[1] = 0;
	be_put16(p + 2, (uint16_t)plen);
	uint8_t *ivp = p + IKE_GENERIC_HDR_LEN, *ct = ivp + s->info.ivlen;
	memcpy(ivp, iv, s->info.ivlen);
	memcpy(ct, plain, len);
	for (size_t i = 0; i < pad; i++)
		ct[len + i] = (uint8_t)(0x5c + i);
	ct[len + pad] = padlen_octet;
	if (s->info.aead) {
		assert_true(crypt_aead_encrypt(sc->encr, k->ke.ptr, k->ke.len, ivp, msg,
					       (size_t)(ivp - msg), ct, ct_len, ct));
	} else {
		assert_int_equal(ct_len % 16, 0);
		assert_true(crypt_cbc(sc->encr, true, k->ke.ptr, k->ke.len, ivp, ct, ct_len, ct));
		struct iov in = { msg, (size_t)(ct + ct_len - msg) };
		assert_true(crypt_integ(sc->integ, k->ka.ptr, k->ka.len, &in, 1, ct + ct_len));
	}
	return total;
}

static void test_foreign_padding(void **state)
{
	(void)state;
	uint8_t plain[21];
	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)(i * 11);
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		const struct suite_case *sc = &suites[i];
		struct sk_suite s;
		struct keys k;
		init_suite(&s, sc);
		make_keys(&k, sc, 0x42);
		/* 21 + pad + 1 whole blocks for CBC: pad 10, 26, 42, ..., 234 */
		for (unsigned pad = 10; pad <= 255; pad += 16) {
			uint8_t msg[MSG_CAP], out[MSG_CAP];
			size_t len = foreign(&s, sc, &k, msg, plain, sizeof(plain), (uint8_t)pad,
					     (uint8_t)pad);
			struct ike_hdr h;
			struct ike_pl pl;
			decode(msg, len, &h, &pl);
			const uint8_t *got;
			size_t got_len;
			assert_int_equal(sk_decrypt(&s, &k.ke, &k.ka, msg, len, &pl, out, &got,
						    &got_len), SK_OK);
			assert_int_equal(got_len, sizeof(plain));
			assert_memory_equal(got, plain, sizeof(plain));

			/* Pad Length pointing before the start of the plaintext */
			len = foreign(&s, sc, &k, msg, plain, sizeof(plain), (uint8_t)pad,
				      (uint8_t)(pad + sizeof(plain) + 1));
			decode(msg, len, &h, &pl);
			enum sk_result r = sk_decrypt(&s, &k.ke, &k.ka, msg, len, &pl, out, &got,
						      &got_len);
			if (pad + sizeof(plain) + 1 <= 255 && r != SK_BAD_PADDING)
				fail_msg("%s pad %u: %s", sc->name, pad, sk_result_name(r));
			/* exactly all of it padding is fine: an empty plaintext */
			len = foreign(&s, sc, &k, msg, plain, sizeof(plain), (uint8_t)pad,
				      (uint8_t)(pad + sizeof(plain)));
			decode(msg, len, &h, &pl);
			r = sk_decrypt(&s, &k.ke, &k.ka, msg, len, &pl, out, &got, &got_len);
			if (pad + sizeof(plain) <= 255) {
				assert_int_equal(r, SK_OK);
				assert_int_equal(got_len, 0);
			}
		}
	}
}

/* RFC 7296 3.14: payloads before SK are not encrypted but are integrity protected
 * (they lie within the AAD / the checksummed span); the chain links through them. */
static void test_unencrypted_before_sk(void **state)
{
	(void)state;
	static const uint8_t vid[6] = { 'i', 'n', 't', 'e', 'r', 'l' };
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		const struct suite_case *sc = &suites[i];
		struct sk_suite s;
		struct keys k;
		init_suite(&s, sc);
		make_keys(&k, sc, 0x77);
		uint8_t storage[MSG_CAP], out[MSG_CAP], plain[24] = { 0x29 };
		struct ike_hdr h = { .version = 0x20, .exchange = INFORMATIONAL };
		memcpy(h.spi_i, spis, 8);
		struct ike_buf b;
		codec_buf_init(&b, storage, sizeof(storage));
		codec_put_hdr(&b, &h);
		codec_put_vid(&b, vid, sizeof(vid));
		assert_true(sk_encrypt(&s, &k.ke, &k.ka, &b, IKE_PL_NOTIFY, plain, sizeof(plain),
				       1, 2));
		assert_int_equal(be_get32(storage + 24), b.len);
		assert_int_equal(storage[16], IKE_PL_VID);
		assert_int_equal(storage[IKE_HDR_LEN], IKE_PL_SKF);	/* VID's Next Payload */
		struct ike_hdr h2;
		struct ike_pl pl;
		decode(storage, b.len, &h2, &pl);
		assert_int_equal(pl.type, IKE_PL_SKF);
		assert_int_equal(pl.np, IKE_PL_NOTIFY);
		const uint8_t *got;
		size_t got_len;
		assert_int_equal(sk_decrypt(&s, &k.ke, &k.ka, storage, b.len, &pl, out, &got,
					    &got_len), SK_OK);
		assert_int_equal(got_len, sizeof(plain));
		assert_memory_equal(got, plain, sizeof(plain));
		/* the unencrypted payload is covered */
		uint8_t copy[MSG_CAP];
		memcpy(copy, storage, b.len);
		copy[IKE_HDR_LEN + IKE_GENERIC_HDR_LEN] ^= 0x20;
		struct ike_pl q = rebase(&pl, storage, copy);
		assert_int_equal(sk_decrypt(&s, &k.ke, &k.ka, copy, b.len, &q, out, &got, &got_len),
				 SK_BAD_ICV);
	}
}

static void test_suite_init(void **state)
{
	(void)state;
	struct sk_suite s;
	/* RFC 5282 8: an AEAD transform never comes with an integrity transform */
	assert_false(sk_suite_init(&s, IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_HMAC_SHA2_256_128));
	/* CBC without integrity protects nothing (RFC 7296 3.14) */
	assert_false(sk_suite_init(&s, IKE_ENCR_AES_CBC, 256, IKE_INTEG_NONE));
	assert_false(sk_suite_init(&s, IKE_ENCR_AES_GCM_16, 100, IKE_INTEG_NONE));
	assert_true(sk_suite_init(&s, IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128));
	/* an SK payload that does not fit is refused, not overrun */
	struct keys k;
	make_keys(&k, &suites[1], 1);
	assert_true(sk_suite_init(&s, IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE));
	uint8_t storage[IKE_HDR_LEN + 40], plain[16] = { 0 };
	struct ike_buf b;
	struct ike_hdr h = { .version = 0x20, .exchange = INFORMATIONAL };
	codec_buf_init(&b, storage, sizeof(storage));
	codec_put_hdr(&b, &h);
	assert_false(sk_encrypt(&s, &k.ke, &k.ka, &b, IKE_PL_NONE, plain, sizeof(plain), 0, 0) &&
		     !b.overflow);
}

/* ---- the captured strongSwan messages ---- */

static void assert_chunk_eq(const uint8_t *got, size_t got_len, const struct vecfile *vf,
			    const char *key)
{
	struct chunk want;
	if (!vecfile_hex(vf, key, &want))
		fail_msg("vector %s missing", key);
	if (got_len != want.len)
		fail_msg("%s: %zu octets, want %zu", key, got_len, want.len);
	assert_memory_equal(got, want.ptr, want.len);
	chunk_free(&want);
}

/* Decrypts <prefix>.ike_message with the logged key and checks every logged AEAD
 * field: AAD, IV, ciphertext, ICV, plaintext, and the padding strongSwan used. */
static void check_captured(const struct vecfile *vf, const char *prefix, const char *keyname,
			   const char *wrongkey, bool expect_frag)
{
	struct sk_suite s;
	assert_true(sk_suite_init(&s, IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE));
	struct chunk msg, key, wrong;
	char name[160];
	snprintf(name, sizeof(name), "%s.ike_message", prefix);
	assert_true(vecfile_hex(vf, name, &msg));
	assert_true(vecfile_hex(vf, keyname, &key));
	assert_true(vecfile_hex(vf, wrongkey, &wrong));
	assert_int_equal(key.len, 36);

	/* the datagram is the message behind the 4-octet non-ESP marker (RFC 3948 2.2) */
	struct chunk udp;
	snprintf(name, sizeof(name), "%s.udp_payload", prefix);
	assert_true(vecfile_hex(vf, name, &udp));
	assert_int_equal(udp.len, msg.len + 4);
	assert_memory_equal(udp.ptr, "\0\0\0\0", 4);
	assert_memory_equal(udp.ptr + 4, msg.ptr, msg.len);
	chunk_free(&udp);

	struct ike_hdr h;
	struct ike_pl pl;
	decode(msg.ptr, msg.len, &h, &pl);
	assert_int_equal(pl.type, expect_frag ? IKE_PL_SKF : IKE_PL_SK);
	size_t extra = expect_frag ? SKF_EXTRA : 0;
	const uint8_t *iv = pl.body + extra;
	size_t ct_len = pl.len - extra - s.info.ivlen - s.icvlen;
	snprintf(name, sizeof(name), "%s.aead.aad", prefix);
	assert_chunk_eq(msg.ptr, (size_t)(iv - msg.ptr), vf, name);
	snprintf(name, sizeof(name), "%s.aead.iv", prefix);
	assert_chunk_eq(iv, s.info.ivlen, vf, name);
	snprintf(name, sizeof(name), "%s.aead.ciphertext", prefix);
	assert_chunk_eq(iv + s.info.ivlen, ct_len, vf, name);
	snprintf(name, sizeof(name), "%s.aead.icv", prefix);
	assert_chunk_eq(iv + s.info.ivlen + ct_len, s.icvlen, vf, name);

	uint8_t out[MSG_CAP];
	const uint8_t *plain;
	size_t plain_len;
	struct chunk none = CHUNK_EMPTY;
	assert_int_equal(sk_decrypt(&s, &key, &none, msg.ptr, msg.len, &pl, out, &plain, &plain_len),
			 SK_OK);
	snprintf(name, sizeof(name), "%s.aead.plaintext", prefix);
	assert_chunk_eq(plain, plain_len, vf, name);
	/* padding | Pad Length as decrypted: strongSwan sends none with GCM, only the
	 * Pad Length octet 0 -- which is also what our sk_encrypt sends (RFC 5282 3) */
	snprintf(name, sizeof(name), "%s.aead.padding", prefix);
	assert_chunk_eq(out + plain_len, ct_len - plain_len, vf, name);
	assert_int_equal(ct_len, plain_len + 1);
	assert_int_equal(msg.len, IKE_HDR_LEN + sk_overhead(&s, plain_len, expect_frag) + plain_len);

	/* the other direction's key does not open it */
	assert_int_equal(sk_decrypt(&s, &wrong, &none, msg.ptr, msg.len, &pl, out, &plain,
				    &plain_len), SK_BAD_ICV);
	chunk_free(&msg);
	chunk_free(&key);
	chunk_free(&wrong);
}

static void test_captured_strongswan(void **state)
{
	(void)state;
	struct vecfile *vf = vecfile_load(VEC("strongswan-x25519-mlkem768-psk"));
	assert_non_null(vf);
	/* IKE_AUTH: protected with the keys after IKE_INTERMEDIATE (RFC 9370 2.2.2) */
	check_captured(vf, "ike_auth.request", "ike_intermediate.sk_ei", "ike_intermediate.sk_er",
		       false);
	check_captured(vf, "ike_auth.response", "ike_intermediate.sk_er", "ike_intermediate.sk_ei",
		       false);
	/* IKE_INTERMEDIATE fragments: with the IKE_SA_INIT keys (RFC 9242 3) */
	for (unsigned n = 1; n <= 3; n++) {
		char p[64];
		snprintf(p, sizeof(p), "ike_intermediate.request.frag%u", n);
		check_captured(vf, p, "ike_sa_init.sk_ei", "ike_intermediate.sk_ei", true);
		snprintf(p, sizeof(p), "ike_intermediate.response.frag%u", n);
		check_captured(vf, p, "ike_sa_init.sk_er", "ike_sa_init.sk_ei", true);
	}
	vecfile_free(vf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite_init),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_unencrypted_before_sk),
		cmocka_unit_test(test_foreign_padding),
		cmocka_unit_test(test_captured_strongswan),
		cmocka_unit_test(test_empty_null_plain),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
