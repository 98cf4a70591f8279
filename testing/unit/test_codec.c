/* test_codec.c -- the IKEv2 payload codec (include/ike_codec.h) and wire names:
 * round trips of every payload type, a whole IKE_SA_INIT-like message, and the
 * malformed inputs the decoder must refuse (RFC 7296 section 3, RFC 7383 2.5). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ike_codec.h"

#define BUF_MAX 2048

/* A payload as codec_decode_chain would hand it to a typed decoder. */
static struct ike_pl pl_of(uint8_t type, const uint8_t *body, size_t len)
{
	struct ike_pl pl = { .type = type, .body = body, .len = (uint16_t)len };
	return pl;
}

/* Decode an inner chain built with codec_buf_init (no IKE header). */
static enum codec_result decode_inner(const struct ike_buf *b, struct ike_chain *c)
{
	uint8_t bad = 0;
	return codec_decode_chain(b->first_np, b->data, b->len, c, &bad);
}

static struct ike_hdr test_hdr(void)
{
	struct ike_hdr h = {
		.spi_i = { 1, 2, 3, 4, 5, 6, 7, 8 },
		.np = 0,
		.version = IKE_VERSION_2_0,
		.exchange = IKE_SA_INIT,
		.flags = IKE_FLAG_INITIATOR,
		.msgid = 0x01020304,
	};
	return h;
}

/* A three-transform IKE proposal plus a two-transform ESP proposal with an SPI. */
static struct ike_sa_pl test_sa(void)
{
	struct ike_sa_pl sa;
	memset(&sa, 0, sizeof(sa));
	sa.nprop = 2;
	sa.prop[0] = (struct ike_proposal){ .num = 1, .protocol = IKE_PROTO_IKE, .ntrans = 4 };
	sa.prop[0].t[0] = (struct ike_transform){ IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 256, false };
	sa.prop[0].t[1] = (struct ike_transform){ IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_256, 0, false };
	sa.prop[0].t[2] = (struct ike_transform){ IKE_TRANS_KE, IKE_KE_CURVE25519, 0, false };
	sa.prop[0].t[3] = (struct ike_transform){ IKE_TRANS_ADDKE1, IKE_KE_MLKEM768, 0, false };
	sa.prop[1] = (struct ike_proposal){ .num = 2, .protocol = IKE_PROTO_ESP, .spi_len = 4,
					    .spi = { 0xde, 0xad, 0xbe, 0xef }, .ntrans = 2 };
	sa.prop[1].t[0] = (struct ike_transform){ IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 128, false };
	sa.prop[1].t[1] = (struct ike_transform){ IKE_TRANS_ESN, IKE_ESN_NO, 0, false };
	return sa;
}

static void assert_sa_equal(const struct ike_sa_pl *a, const struct ike_sa_pl *b)
{
	assert_int_equal(a->nprop, b->nprop);
	for (unsigned i = 0; i < a->nprop; i++) {
		const struct ike_proposal *x = &a->prop[i], *y = &b->prop[i];
		assert_int_equal(x->num, y->num);
		assert_int_equal(x->protocol, y->protocol);
		assert_int_equal(x->spi_len, y->spi_len);
		assert_memory_equal(x->spi, y->spi, x->spi_len);
		assert_int_equal(x->ntrans, y->ntrans);
		for (unsigned j = 0; j < x->ntrans; j++) {
			assert_int_equal(x->t[j].type, y->t[j].type);
			assert_int_equal(x->t[j].id, y->t[j].id);
			assert_int_equal(x->t[j].keylen, y->t[j].keylen);
			assert_false(y->t[j].unknown_attr);
		}
	}
}

/* ---------------------------------------------------------------- header */

static void test_hdr_roundtrip(void **state)
{
	uint8_t st[BUF_MAX];
	struct ike_buf b;
	struct ike_hdr h = test_hdr(), d;

	memset(h.spi_r, 0x77, IKE_SPI_LEN);
	h.flags = IKE_FLAG_RESPONSE;
	h.msgid = 0xfedcba98;
	codec_buf_init(&b, st, sizeof(st));
	codec_put_hdr(&b, &h);
	assert_int_equal(b.np_at, 16);
	codec_finish_hdr(&b);
	assert_false(b.overflow);
	assert_int_equal(b.len, IKE_HDR_LEN);
	assert_int_equal(codec_decode_hdr(st, b.len, &d), CODEC_OK);
	assert_memory_equal(d.spi_i, h.spi_i, IKE_SPI_LEN);
	assert_memory_equal(d.spi_r, h.spi_r, IKE_SPI_LEN);
	assert_int_equal(d.np, 0);
	assert_int_equal(d.version, IKE_VERSION_2_0);
	assert_int_equal(d.exchange, IKE_SA_INIT);
	assert_int_equal(d.flags, IKE_FLAG_RESPONSE);
	assert_int_equal(d.msgid, 0xfedcba98);
	assert_int_equal(d.length, IKE_HDR_LEN);
	/* network byte order on the wire */
	assert_int_equal(st[20], 0xfe);
	assert_int_equal(st[27], IKE_HDR_LEN);
}

static void test_hdr_truncated(void **state)
{
	uint8_t m[IKE_HDR_LEN] = { 0 };
	struct ike_hdr d;

	m[17] = IKE_VERSION_2_0;
	be_put32(m + 24, IKE_HDR_LEN - 1);
	assert_int_equal(codec_decode_hdr(m, IKE_HDR_LEN - 1, &d), CODEC_TRUNCATED);
	assert_int_equal(codec_decode_hdr(m, 0, &d), CODEC_TRUNCATED);
	be_put32(m + 24, IKE_HDR_LEN);
	assert_int_equal(codec_decode_hdr(m, IKE_HDR_LEN, &d), CODEC_OK);
}

static void test_hdr_length_mismatch(void **state)
{
	uint8_t m[64] = { 0 };
	struct ike_hdr d;

	m[17] = IKE_VERSION_2_0;
	be_put32(m + 24, 40);
	assert_int_equal(codec_decode_hdr(m, 64, &d), CODEC_BAD_LENGTH);	/* datagram longer */
	assert_int_equal(codec_decode_hdr(m, 32, &d), CODEC_BAD_LENGTH);	/* datagram shorter */
	assert_int_equal(codec_decode_hdr(m, 40, &d), CODEC_OK);
	be_put32(m + 24, 0x80000028);	/* high bits must not be ignored */
	assert_int_equal(codec_decode_hdr(m, 40, &d), CODEC_BAD_LENGTH);
}

static void test_hdr_bad_version(void **state)
{
	uint8_t m[IKE_HDR_LEN] = { 0 };
	struct ike_hdr d;

	be_put32(m + 24, 999);	/* wrong length too: the version is reported first */
	m[17] = 0x10;			/* IKEv1 */
	assert_int_equal(codec_decode_hdr(m, sizeof(m), &d), CODEC_BAD_VERSION);
	m[17] = 0x30;
	assert_int_equal(codec_decode_hdr(m, sizeof(m), &d), CODEC_BAD_VERSION);
	/* a higher minor version is accepted (RFC 7296 2.5) */
	m[17] = 0x21;
	be_put32(m + 24, IKE_HDR_LEN);
	assert_int_equal(codec_decode_hdr(m, sizeof(m), &d), CODEC_OK);
	assert_int_equal(d.version, 0x21);
}

/* ---------------------------------------------------------------- round trips */

static void test_sa_roundtrip(void **state)
{
	uint8_t st[BUF_MAX];
	struct ike_buf b;
	struct ike_chain c;
	struct ike_sa_pl sa = test_sa(), d;

	codec_buf_init(&b, st, sizeof(st));
	codec_put_sa(&b, &sa);
	assert_false(b.overflow);
	assert_int_equal(b.first_np, IKE_PL_SA);
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.pl[0].type, IKE_PL_SA);
	assert_int_equal(codec_decode_sa(&c.pl[0], &d), CODEC_OK);
	assert_sa_equal(&sa, &d);
	/* wire layout: first proposal says "more" (2), the last says 0; transforms 3/0;
	 * Key Length as a TV attribute 0x800e */
	const uint8_t *p = c.pl[0].body;
	assert_int_equal(p[0], 2);
	assert_int_equal(p[8], 3);	/* first transform of proposal 1 */
	assert_int_equal(be_get16(p + 10), 12);
	assert_int_equal(be_get16(p + 16), 0x800e);
	assert_int_equal(be_get16(p + 18), 256);
	size_t p1 = be_get16(p + 2);
	assert_int_equal(p[p1], 0);	/* second (last) proposal */
	assert_int_equal(p[p1 + 6], 4);	/* SPI size */
	assert_int_equal(p1 + be_get16(p + p1 + 2), c.pl[0].len);
	/* last transform of the last proposal has Last Substruc 0 */
	assert_int_equal(p[c.pl[0].len - 8], 0);
}

static void test_ke_roundtrip(void **state)
{
	uint8_t st[BUF_MAX], kd[32];
	struct ike_buf b;
	struct ike_chain c;
	struct ike_ke_pl d;

	memset(kd, 0x5a, sizeof(kd));
	codec_buf_init(&b, st, sizeof(st));
	codec_put_ke(&b, IKE_KE_CURVE25519, kd, sizeof(kd));
	codec_put_ke(&b, IKE_KE_MLKEM768, NULL, 0);	/* empty data is legal for the codec */
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(codec_decode_ke(&c.pl[0], &d), CODEC_OK);
	assert_int_equal(d.method, IKE_KE_CURVE25519);
	assert_int_equal(d.len, sizeof(kd));
	assert_memory_equal(d.data, kd, sizeof(kd));
	assert_int_equal(codec_decode_ke(&c.pl[1], &d), CODEC_OK);
	assert_int_equal(d.method, IKE_KE_MLKEM768);
	assert_int_equal(d.len, 0);
	/* body shorter than Group Num + RESERVED */
	struct ike_pl shortpl = pl_of(IKE_PL_KE, st, 3);
	assert_int_equal(codec_decode_ke(&shortpl, &d), CODEC_BAD_LENGTH);
}

static void test_id_roundtrip(void **state)
{
	uint8_t st[BUF_MAX];
	struct ike_buf b;
	struct ike_chain c;
	struct ike_id_pl d;
	static const char fqdn[] = "west.example";

	codec_buf_init(&b, st, sizeof(st));
	codec_put_id(&b, IKE_PL_IDI, IKE_ID_FQDN, fqdn, strlen(fqdn));
	codec_put_id(&b, IKE_PL_IDR, IKE_ID_NULL, NULL, 0);
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.pl[0].type, IKE_PL_IDI);
	assert_int_equal(c.pl[1].type, IKE_PL_IDR);
	assert_int_equal(codec_decode_id(&c.pl[0], &d), CODEC_OK);
	assert_int_equal(d.type, IKE_ID_FQDN);
	assert_int_equal(d.len, strlen(fqdn));
	assert_memory_equal(d.data, fqdn, d.len);
	/* RFC 7296 2.15: IDx' is the body including type and RESERVED */
	assert_ptr_equal(d.body, c.pl[0].body);
	assert_int_equal(d.body_len, 4 + strlen(fqdn));
	assert_int_equal(d.body[0], IKE_ID_FQDN);
	assert_int_equal(codec_decode_id(&c.pl[1], &d), CODEC_OK);
	assert_int_equal(d.type, IKE_ID_NULL);
	assert_int_equal(d.len, 0);
	struct ike_pl shortpl = pl_of(IKE_PL_IDI, st, 2);
	assert_int_equal(codec_decode_id(&shortpl, &d), CODEC_BAD_LENGTH);
}

static void test_auth_roundtrip(void **state)
{
	uint8_t st[BUF_MAX], sig[64];
	struct ike_buf b;
	struct ike_chain c;
	struct ike_auth_pl d;

	for (unsigned i = 0; i < sizeof(sig); i++)
		sig[i] = (uint8_t)i;
	codec_buf_init(&b, st, sizeof(st));
	codec_put_auth(&b, IKE_AUTH_PSK, sig, sizeof(sig));
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.pl[0].type, IKE_PL_AUTH);
	assert_int_equal(codec_decode_auth(&c.pl[0], &d), CODEC_OK);
	assert_int_equal(d.method, IKE_AUTH_PSK);
	assert_int_equal(d.len, sizeof(sig));
	assert_memory_equal(d.data, sig, sizeof(sig));
	struct ike_pl shortpl = pl_of(IKE_PL_AUTH, st, 3);
	assert_int_equal(codec_decode_auth(&shortpl, &d), CODEC_BAD_LENGTH);
}

static void test_nonce_roundtrip_and_limits(void **state)
{
	uint8_t st[BUF_MAX], n[IKE_NONCE_MAX + 1];
	struct ike_buf b;
	struct ike_chain c;
	const uint8_t *d;
	size_t dl;

	memset(n, 0x33, sizeof(n));
	codec_buf_init(&b, st, sizeof(st));
	codec_put_nonce(&b, n, 32);
	codec_put_nonce(&b, n, IKE_NONCE_MIN - 1);
	codec_put_nonce(&b, n, IKE_NONCE_MIN);
	codec_put_nonce(&b, n, IKE_NONCE_MAX);
	codec_put_nonce(&b, n, IKE_NONCE_MAX + 1);
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.n, 5);
	assert_int_equal(codec_decode_nonce(&c.pl[0], &d, &dl), CODEC_OK);
	assert_int_equal(dl, 32);
	assert_memory_equal(d, n, 32);
	assert_int_equal(codec_decode_nonce(&c.pl[1], &d, &dl), CODEC_BAD_LENGTH);
	assert_int_equal(codec_decode_nonce(&c.pl[2], &d, &dl), CODEC_OK);
	assert_int_equal(dl, IKE_NONCE_MIN);
	assert_int_equal(codec_decode_nonce(&c.pl[3], &d, &dl), CODEC_OK);
	assert_int_equal(dl, IKE_NONCE_MAX);
	assert_int_equal(codec_decode_nonce(&c.pl[4], &d, &dl), CODEC_BAD_LENGTH);
}

static void test_notify_roundtrip(void **state)
{
	uint8_t st[BUF_MAX], spi[4] = { 9, 8, 7, 6 }, data[20];
	struct ike_buf b;
	struct ike_chain c;
	struct ike_notify_pl d;

	memset(data, 0xc3, sizeof(data));
	codec_buf_init(&b, st, sizeof(st));
	codec_put_notify(&b, IKE_PROTO_ESP, spi, 4, IKE_N_REKEY_SA, NULL, 0);
	codec_put_notify(&b, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, data, sizeof(data));
	assert_int_equal(b.first_np, IKE_PL_NOTIFY);
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(codec_decode_notify(&c.pl[0], &d), CODEC_OK);
	assert_int_equal(d.protocol, IKE_PROTO_ESP);
	assert_int_equal(d.spi_len, 4);
	assert_memory_equal(d.spi, spi, 4);
	assert_int_equal(d.type, IKE_N_REKEY_SA);
	assert_int_equal(d.len, 0);
	assert_int_equal(codec_decode_notify(&c.pl[1], &d), CODEC_OK);
	assert_int_equal(d.spi_len, 0);
	assert_int_equal(d.type, IKE_N_NAT_DETECTION_SOURCE_IP);
	assert_int_equal(d.len, sizeof(data));
	assert_memory_equal(d.data, data, sizeof(data));
	assert_ptr_equal(codec_find_notify(&c, IKE_N_REKEY_SA), &c.pl[0]);
	assert_ptr_equal(codec_find_notify(&c, IKE_N_NAT_DETECTION_SOURCE_IP), &c.pl[1]);
	assert_null(codec_find_notify(&c, IKE_N_COOKIE));
	/* SPI Size larger than the body */
	uint8_t bad[6] = { IKE_PROTO_ESP, 4, 0x40, 0x09, 1, 2 };
	struct ike_pl bp = pl_of(IKE_PL_NOTIFY, bad, sizeof(bad));
	assert_int_equal(codec_decode_notify(&bp, &d), CODEC_BAD_LENGTH);
	bp.len = 3;
	assert_int_equal(codec_decode_notify(&bp, &d), CODEC_BAD_LENGTH);
}

static void test_delete_roundtrip_and_lengths(void **state)
{
	uint8_t st[BUF_MAX], spis[12] = { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3 };
	struct ike_buf b;
	struct ike_chain c;
	struct ike_delete_pl d;

	codec_buf_init(&b, st, sizeof(st));
	codec_put_delete(&b, IKE_PROTO_ESP, 4, spis, 3);
	codec_put_delete(&b, IKE_PROTO_IKE, 0, NULL, 0);
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(codec_decode_delete(&c.pl[0], &d), CODEC_OK);
	assert_int_equal(d.protocol, IKE_PROTO_ESP);
	assert_int_equal(d.spi_len, 4);
	assert_int_equal(d.nspi, 3);
	assert_memory_equal(d.spis, spis, 12);
	assert_int_equal(codec_decode_delete(&c.pl[1], &d), CODEC_OK);
	assert_int_equal(d.protocol, IKE_PROTO_IKE);
	assert_int_equal(d.nspi, 0);
	/* the length must match #SPIs x SPI size exactly */
	uint8_t bad[4 + 12] = { IKE_PROTO_ESP, 4, 0, 3 };
	struct ike_pl bp = pl_of(IKE_PL_DELETE, bad, 4 + 11);
	assert_int_equal(codec_decode_delete(&bp, &d), CODEC_BAD_LENGTH);
	bp.len = 4 + 12;
	assert_int_equal(codec_decode_delete(&bp, &d), CODEC_OK);
	bad[3] = 4;	/* claims 4 SPIs, holds 3 */
	assert_int_equal(codec_decode_delete(&bp, &d), CODEC_BAD_LENGTH);
	bp.len = 3;
	assert_int_equal(codec_decode_delete(&bp, &d), CODEC_BAD_LENGTH);
	/* more SPIs than IKE_MAX_DELETE_SPIS */
	uint8_t many[4 + (IKE_MAX_DELETE_SPIS + 1) * 4] = { IKE_PROTO_ESP, 4, 0, IKE_MAX_DELETE_SPIS + 1 };
	bp = pl_of(IKE_PL_DELETE, many, sizeof(many));
	assert_int_equal(codec_decode_delete(&bp, &d), CODEC_TOO_MANY);
}

static void test_vid_and_raw_roundtrip(void **state)
{
	uint8_t st[BUF_MAX];
	struct ike_buf b;
	struct ike_chain c;
	static const char vid[] = "interlude";

	codec_buf_init(&b, st, sizeof(st));
	codec_put_vid(&b, vid, strlen(vid));
	codec_put_raw(&b, IKE_PL_CERTREQ, true, "\x04", 1);
	codec_put_raw(&b, IKE_PL_CP, false, NULL, 0);
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.pl[0].type, IKE_PL_VID);
	assert_false(c.pl[0].critical);
	assert_int_equal(c.pl[0].np, IKE_PL_CERTREQ);
	assert_int_equal(c.pl[0].len, strlen(vid));
	assert_memory_equal(c.pl[0].body, vid, strlen(vid));
	assert_ptr_equal(c.pl[0].hdr + 4, c.pl[0].body);
	/* the critical bit of a known payload is recorded, not acted on */
	assert_true(c.pl[1].critical);
	assert_int_equal(c.pl[1].len, 1);
	assert_int_equal(c.pl[2].type, IKE_PL_CP);
	assert_int_equal(c.pl[2].len, 0);
	assert_int_equal(c.pl[2].np, 0);
}

static void test_ts_roundtrip(void **state)
{
	uint8_t st[BUF_MAX];
	struct ike_buf b;
	struct ike_chain c;
	struct ike_ts_pl ts, d;

	memset(&ts, 0, sizeof(ts));
	ts.n = 2;
	ts.ts[0] = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE, .ipproto = 17,
				    .sport = 500, .eport = 4500,
				    .saddr = { 192, 0, 2, 0 }, .eaddr = { 192, 0, 2, 255 } };
	ts.ts[1] = (struct ike_ts){ .type = IKE_TS_IPV6_ADDR_RANGE, .ipproto = 0,
				    .sport = 0, .eport = 65535 };
	memset(ts.ts[1].eaddr, 0xff, 16);
	ts.ts[1].saddr[0] = 0x20;
	ts.ts[1].saddr[15] = 0x01;
	codec_buf_init(&b, st, sizeof(st));
	codec_put_ts(&b, IKE_PL_TSI, &ts);
	codec_put_ts(&b, IKE_PL_TSR, &ts);
	assert_false(b.overflow);
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.pl[0].type, IKE_PL_TSI);
	assert_int_equal(c.pl[1].type, IKE_PL_TSR);
	assert_int_equal(c.pl[0].len, 4 + 16 + 40);
	assert_int_equal(codec_decode_ts(&c.pl[1], &d), CODEC_OK);
	assert_int_equal(d.n, 2);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(d.ts[i].type, ts.ts[i].type);
		assert_int_equal(d.ts[i].ipproto, ts.ts[i].ipproto);
		assert_int_equal(d.ts[i].sport, ts.ts[i].sport);
		assert_int_equal(d.ts[i].eport, ts.ts[i].eport);
		assert_memory_equal(d.ts[i].saddr, ts.ts[i].saddr, 16);
		assert_memory_equal(d.ts[i].eaddr, ts.ts[i].eaddr, 16);
	}
}

static void test_skf_decode(void **state)
{
	uint8_t st[BUF_MAX], body[4 + 40];
	struct ike_buf b;
	struct ike_chain c;
	struct ike_skf_pl d;

	memset(body, 0xee, sizeof(body));
	be_put16(body, 2);
	be_put16(body + 2, 3);
	codec_buf_init(&b, st, sizeof(st));
	codec_put_raw(&b, IKE_PL_SKF, false, body, sizeof(body));
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(codec_decode_skf(&c.pl[0], &d), CODEC_OK);
	assert_int_equal(d.number, 2);
	assert_int_equal(d.total, 3);
	assert_int_equal(d.len, 40);
	assert_ptr_equal(d.data, c.pl[0].body + 4);
	/* RFC 7383 2.5: number from 1 to total */
	struct ike_pl p = pl_of(IKE_PL_SKF, body, sizeof(body));
	be_put16(body, 0);
	assert_int_equal(codec_decode_skf(&p, &d), CODEC_BAD_VALUE);
	be_put16(body, 4);
	assert_int_equal(codec_decode_skf(&p, &d), CODEC_BAD_VALUE);
	be_put16(body, 3);
	assert_int_equal(codec_decode_skf(&p, &d), CODEC_OK);
	be_put16(body, 1);
	be_put16(body + 2, 0);
	assert_int_equal(codec_decode_skf(&p, &d), CODEC_BAD_VALUE);
	be_put16(body + 2, 1);
	assert_int_equal(codec_decode_skf(&p, &d), CODEC_OK);
	p.len = 3;
	assert_int_equal(codec_decode_skf(&p, &d), CODEC_BAD_LENGTH);
}

/* ---------------------------------------------------------------- whole message */

/* header + SA + KE + Ni + N(NAT_DETECTION_SOURCE_IP) + N(NAT_DETECTION_DESTINATION_IP)
 * + N(INTERMEDIATE_EXCHANGE_SUPPORTED); returns the length, 0 on overflow */
static size_t build_sa_init(uint8_t *st, size_t cap, struct ike_buf *b)
{
	struct ike_hdr h = test_hdr();
	struct ike_sa_pl sa = test_sa();
	uint8_t ke[32], ni[32], nat[20];

	memset(ke, 0x11, sizeof(ke));
	memset(ni, 0x22, sizeof(ni));
	memset(nat, 0x44, sizeof(nat));
	sa.nprop = 1;
	codec_buf_init(b, st, cap);
	codec_put_hdr(b, &h);
	codec_put_sa(b, &sa);
	codec_put_ke(b, IKE_KE_CURVE25519, ke, sizeof(ke));
	codec_put_nonce(b, ni, sizeof(ni));
	codec_put_notify(b, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, nat, sizeof(nat));
	codec_put_notify(b, 0, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, nat, sizeof(nat));
	codec_put_notify(b, 0, NULL, 0, IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, NULL, 0);
	codec_finish_hdr(b);
	return b->overflow ? 0 : b->len;
}

static void test_ike_sa_init_message(void **state)
{
	uint8_t st[BUF_MAX];
	struct ike_buf b;
	struct ike_hdr h;
	struct ike_chain c;
	uint8_t bad = 0;
	static const uint8_t order[] = { IKE_PL_SA, IKE_PL_KE, IKE_PL_NONCE,
					 IKE_PL_NOTIFY, IKE_PL_NOTIFY, IKE_PL_NOTIFY };

	size_t len = build_sa_init(st, sizeof(st), &b);
	assert_true(len > IKE_HDR_LEN);
	assert_int_equal(st[16], IKE_PL_SA);
	assert_int_equal(be_get32(st + 24), len);
	assert_int_equal(codec_decode_hdr(st, len, &h), CODEC_OK);
	assert_int_equal(h.np, IKE_PL_SA);
	assert_int_equal(h.exchange, IKE_SA_INIT);
	assert_int_equal(h.length, len);
	assert_int_equal(codec_decode_chain(h.np, st + IKE_HDR_LEN, len - IKE_HDR_LEN, &c, &bad),
			 CODEC_OK);
	assert_int_equal(c.n, sizeof(order));
	for (unsigned i = 0; i < c.n; i++) {
		assert_int_equal(c.pl[i].type, order[i]);
		assert_int_equal(c.pl[i].np, i + 1 < c.n ? order[i + 1] : 0);
	}
	assert_int_equal(codec_count(&c, IKE_PL_NOTIFY), 3);
	assert_int_equal(codec_count(&c, IKE_PL_AUTH), 0);
	assert_ptr_equal(codec_find(&c, IKE_PL_NONCE), &c.pl[2]);
	assert_null(codec_find(&c, IKE_PL_SK));
	assert_ptr_equal(codec_find_notify(&c, IKE_N_NAT_DETECTION_DESTINATION_IP), &c.pl[4]);
	assert_ptr_equal(codec_find_notify(&c, IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED), &c.pl[5]);

	struct ike_sa_pl sa, want = test_sa();
	want.nprop = 1;
	assert_int_equal(codec_decode_sa(&c.pl[0], &sa), CODEC_OK);
	assert_sa_equal(&want, &sa);
	struct ike_ke_pl ke;
	assert_int_equal(codec_decode_ke(&c.pl[1], &ke), CODEC_OK);
	assert_int_equal(ke.method, IKE_KE_CURVE25519);
	assert_int_equal(ke.len, 32);
	const uint8_t *ni;
	size_t nl;
	assert_int_equal(codec_decode_nonce(&c.pl[2], &ni, &nl), CODEC_OK);
	assert_int_equal(nl, 32);
	assert_int_equal(ni[0], 0x22);
	struct ike_notify_pl n;
	assert_int_equal(codec_decode_notify(&c.pl[5], &n), CODEC_OK);
	assert_int_equal(n.len, 0);
	/* every payload length adds up to the datagram */
	size_t sum = IKE_HDR_LEN;
	for (unsigned i = 0; i < c.n; i++)
		sum += 4 + c.pl[i].len;
	assert_int_equal(sum, len);
}

/* ---------------------------------------------------------------- malformed chains */

/* Set the header Length to len and decode header + chain. */
static enum codec_result decode_msg(uint8_t *m, size_t len, struct ike_chain *c, uint8_t *bad)
{
	struct ike_hdr h;
	be_put32(m + 24, (uint32_t)len);
	m[17] = IKE_VERSION_2_0;
	enum codec_result r = codec_decode_hdr(m, len, &h);
	if (r != CODEC_OK)
		return r;
	return codec_decode_chain(h.np, m + IKE_HDR_LEN, len - IKE_HDR_LEN, c, bad);
}

static void test_chain_payload_length_too_small(void **state)
{
	uint8_t m[IKE_HDR_LEN + 8] = { 0 };
	struct ike_chain c;
	uint8_t bad = 0;

	m[16] = IKE_PL_VID;
	for (uint16_t l = 0; l < 4; l++) {
		be_put16(m + IKE_HDR_LEN + 2, l);
		assert_int_equal(decode_msg(m, sizeof(m), &c, &bad), CODEC_BAD_LENGTH);
	}
	be_put16(m + IKE_HDR_LEN + 2, 8);
	assert_int_equal(decode_msg(m, sizeof(m), &c, &bad), CODEC_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.pl[0].len, 4);
}

static void test_chain_payload_length_overrun(void **state)
{
	uint8_t m[IKE_HDR_LEN + 8] = { 0 };
	struct ike_chain c;
	uint8_t bad = 0;

	m[16] = IKE_PL_NONCE;
	be_put16(m + IKE_HDR_LEN + 2, 9);
	assert_int_equal(decode_msg(m, sizeof(m), &c, &bad), CODEC_BAD_LENGTH);
	be_put16(m + IKE_HDR_LEN + 2, 0xffff);
	assert_int_equal(decode_msg(m, sizeof(m), &c, &bad), CODEC_BAD_LENGTH);
	/* a generic header cut short */
	m[16] = IKE_PL_NONCE;
	assert_int_equal(decode_msg(m, IKE_HDR_LEN + 3, &c, &bad), CODEC_TRUNCATED);
	/* header names a first payload but the message ends */
	assert_int_equal(decode_msg(m, IKE_HDR_LEN, &c, &bad), CODEC_TRUNCATED);
}

static void test_chain_zero_length_loop(void **state)
{
	/* a VID whose Next Payload is VID and whose length is 0 would loop forever
	 * if it were taken as "advance by 0" */
	uint8_t m[IKE_HDR_LEN + 4] = { 0 };
	struct ike_chain c;
	uint8_t bad = 0;

	m[16] = IKE_PL_VID;
	m[IKE_HDR_LEN] = IKE_PL_VID;
	assert_int_equal(decode_msg(m, sizeof(m), &c, &bad), CODEC_BAD_LENGTH);
	/* minimal 4-octet payloads that always promise another one run off the end */
	uint8_t m2[IKE_HDR_LEN + 4 * 10] = { 0 };
	m2[16] = IKE_PL_VID;
	for (unsigned i = 0; i < 10; i++) {
		m2[IKE_HDR_LEN + 4 * i] = IKE_PL_VID;
		m2[IKE_HDR_LEN + 4 * i + 3] = 4;
	}
	assert_int_equal(decode_msg(m2, sizeof(m2), &c, &bad), CODEC_TRUNCATED);
	assert_int_equal(c.n, 10);
}

static void test_chain_too_many_payloads(void **state)
{
	uint8_t st[BUF_MAX];
	struct ike_buf b;
	struct ike_chain c;

	codec_buf_init(&b, st, sizeof(st));
	for (unsigned i = 0; i < IKE_MAX_PAYLOADS; i++)
		codec_put_vid(&b, NULL, 0);
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.n, IKE_MAX_PAYLOADS);
	codec_put_vid(&b, NULL, 0);
	assert_false(b.overflow);
	assert_int_equal(decode_inner(&b, &c), CODEC_TOO_MANY);
	assert_true(c.n <= IKE_MAX_PAYLOADS);
}

static void test_chain_unknown_noncritical_skipped(void **state)
{
	uint8_t st[BUF_MAX], n[16] = { 0 };
	struct ike_buf b;
	struct ike_chain c;

	codec_buf_init(&b, st, sizeof(st));
	codec_put_notify(&b, 0, NULL, 0, IKE_N_COOKIE, n, 8);
	codec_put_raw(&b, 49, false, "abc", 3);		/* just past EAP */
	codec_put_raw(&b, 200, false, NULL, 0);
	codec_put_nonce(&b, n, sizeof(n));
	codec_put_raw(&b, 32, false, "x", 1);		/* just below SA, last */
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.pl[0].type, IKE_PL_NOTIFY);
	assert_int_equal(c.pl[0].np, 49);
	assert_int_equal(c.pl[1].type, IKE_PL_NONCE);
	assert_int_equal(c.pl[1].len, sizeof(n));
}

static void test_chain_unknown_critical(void **state)
{
	uint8_t st[BUF_MAX], n[16] = { 0 };
	struct ike_buf b;
	struct ike_chain c;
	uint8_t bad = 0;

	codec_buf_init(&b, st, sizeof(st));
	codec_put_nonce(&b, n, sizeof(n));
	codec_put_raw(&b, 52, true, "abc", 3);	/* 49..52 are not ours */
	codec_put_vid(&b, "v", 1);
	assert_int_equal(codec_decode_chain(b.first_np, st, b.len, &c, &bad),
			 CODEC_UNSUPPORTED_CRITICAL);
	assert_int_equal(bad, 52);
	/* the same payload without the critical bit is skipped */
	st[4 + 16 + 1] = 0;
	bad = 0;
	assert_int_equal(codec_decode_chain(b.first_np, st, b.len, &c, &bad), CODEC_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(bad, 0);
}

static void test_chain_sk_last(void **state)
{
	uint8_t st[BUF_MAX], ct[48];
	struct ike_buf b;
	struct ike_chain c;
	uint8_t bad = 0;

	memset(ct, 0x99, sizeof(ct));
	/* SK's Next Payload is the first inner payload: the chain still ends there */
	codec_buf_init(&b, st, sizeof(st));
	codec_put_vid(&b, "v", 1);
	codec_put_raw(&b, IKE_PL_SK, false, ct, sizeof(ct));
	st[b.np_at] = IKE_PL_IDI;
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.pl[1].type, IKE_PL_SK);
	assert_int_equal(c.pl[1].np, IKE_PL_IDI);
	assert_int_equal(c.pl[1].len, sizeof(ct));
	/* SK followed by another payload */
	codec_put_vid(&b, "w", 1);
	assert_int_equal(codec_decode_chain(b.first_np, st, b.len, &c, &bad), CODEC_SK_NOT_LAST);
	/* SK followed by stray octets, with Next Payload 0 */
	codec_buf_init(&b, st, sizeof(st));
	codec_put_raw(&b, IKE_PL_SK, false, ct, sizeof(ct));
	codec_put_bytes(&b, "\0\0", 2);
	assert_int_equal(decode_inner(&b, &c), CODEC_SK_NOT_LAST);
	/* SKF too; a non-first fragment carries Next Payload 0 */
	uint8_t skf[4 + 16] = { 0, 2, 0, 2 };
	codec_buf_init(&b, st, sizeof(st));
	codec_put_raw(&b, IKE_PL_SKF, false, skf, sizeof(skf));
	assert_int_equal(decode_inner(&b, &c), CODEC_OK);
	assert_int_equal(c.pl[0].type, IKE_PL_SKF);
	codec_put_nonce(&b, ct, 16);
	assert_int_equal(decode_inner(&b, &c), CODEC_SK_NOT_LAST);
}

static void test_chain_trailing_octets(void **state)
{
	uint8_t st[BUF_MAX], n[16] = { 0 };
	struct ike_buf b;
	struct ike_chain c;

	codec_buf_init(&b, st, sizeof(st));
	codec_put_nonce(&b, n, sizeof(n));
	codec_put_bytes(&b, "junk", 4);
	assert_int_equal(decode_inner(&b, &c), CODEC_BAD_LENGTH);
	/* an empty chain over an empty buffer is fine; over junk it is not */
	uint8_t bad = 0;
	assert_int_equal(codec_decode_chain(IKE_PL_NONE, st, 0, &c, &bad), CODEC_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(codec_decode_chain(IKE_PL_NONE, st, 4, &c, &bad), CODEC_BAD_LENGTH);
}

/* ---------------------------------------------------------------- malformed SA */

/* One proposal (no SPI) with ENCR+keylen (12), PRF (8), KE (8): 36 octets. */
static size_t sa_body(uint8_t *p)
{
	static const uint8_t body[] = {
		0, 0, 0, 36,   1, IKE_PROTO_IKE, 0, 3,
		3, 0, 0, 12,   IKE_TRANS_ENCR, 0, 0, IKE_ENCR_AES_CBC,  0x80, 0x0e, 0x01, 0x00,
		3, 0, 0, 8,    IKE_TRANS_PRF, 0, 0, IKE_PRF_HMAC_SHA2_256,
		0, 0, 0, 8,    IKE_TRANS_KE, 0, 0, IKE_KE_ECP256,
	};
	memcpy(p, body, sizeof(body));
	return sizeof(body);
}

static enum codec_result sa_of(const uint8_t *p, size_t len, struct ike_sa_pl *sa)
{
	struct ike_pl pl = pl_of(IKE_PL_SA, p, len);
	return codec_decode_sa(&pl, sa);
}

static void test_sa_hand_built_ok(void **state)
{
	uint8_t p[64];
	struct ike_sa_pl sa;
	size_t len = sa_body(p);

	assert_int_equal(sa_of(p, len, &sa), CODEC_OK);
	assert_int_equal(sa.nprop, 1);
	assert_int_equal(sa.prop[0].ntrans, 3);
	assert_int_equal(sa.prop[0].t[0].id, IKE_ENCR_AES_CBC);
	assert_int_equal(sa.prop[0].t[0].keylen, 256);	/* Key Length attribute decoded */
	assert_false(sa.prop[0].t[0].unknown_attr);
	assert_int_equal(sa.prop[0].t[2].type, IKE_TRANS_KE);
	assert_int_equal(sa.prop[0].t[2].keylen, 0);
}

static void test_sa_proposal_length_lies(void **state)
{
	uint8_t p[64];
	struct ike_sa_pl sa;
	size_t len = sa_body(p);

	p[3] = 37;	/* beyond the SA payload */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[3] = 35;	/* cuts the last transform */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[3] = 28;	/* ends after the PRF transform, which says more follow */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[3] = 7;	/* shorter than the proposal header */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[3] = 36;
	assert_int_equal(sa_of(p, len, &sa), CODEC_OK);
	/* SA payload longer than its proposals */
	assert_int_equal(sa_of(p, len + 4, &sa), CODEC_BAD_LENGTH);
	/* SA payload shorter than a proposal header */
	assert_int_equal(sa_of(p, 5, &sa), CODEC_BAD_LENGTH);
	assert_int_equal(sa_of(p, 0, &sa), CODEC_BAD_LENGTH);
	/* proposal says more follow, none do */
	p[0] = 2;
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[0] = 1;	/* neither 0 nor 2 */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_VALUE);
	p[0] = 0;
	/* SPI size larger than the proposal */
	p[6] = 8;
	p[3] = 12;
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[3] = 36;
	p[6] = 9;	/* RFC 7296 3.3.1: at most 8 */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_VALUE);
}

static void test_sa_transform_lies(void **state)
{
	uint8_t p[64];
	struct ike_sa_pl sa;
	size_t len;

	len = sa_body(p);
	p[11] = 200;	/* first transform beyond the proposal */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[11] = 4;	/* below the transform header */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[11] = 8;	/* the Key Length attribute becomes a transform header */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_VALUE);
	len = sa_body(p);
	p[7] = 2;	/* Num Transforms 2, three present */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_VALUE);
	p[7] = 4;
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_VALUE);
	p[7] = 0;
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_VALUE);
	p[7] = IKE_MAX_TRANSFORMS + 1;
	assert_int_equal(sa_of(p, len, &sa), CODEC_TOO_MANY);
	len = sa_body(p);
	p[20] = 0;	/* PRF claims to be last, KE follows */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[20] = 3;
	p[28] = 3;	/* KE claims more follow, the proposal ends */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	p[28] = 2;	/* a proposal's marker in a transform */
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_VALUE);
	p[28] = 0;
	assert_int_equal(sa_of(p, len, &sa), CODEC_OK);
}

static void test_sa_attributes(void **state)
{
	uint8_t p[64];
	struct ike_sa_pl sa;
	size_t len = sa_body(p);

	/* unknown TV attribute type 15 */
	p[16] = 0x80;
	p[17] = 15;
	assert_int_equal(sa_of(p, len, &sa), CODEC_OK);
	assert_true(sa.prop[0].t[0].unknown_attr);
	assert_int_equal(sa.prop[0].t[0].keylen, 0);
	assert_false(sa.prop[0].t[1].unknown_attr);
	/* Key Length in TLV form is not allowed (RFC 7296 3.3.5) */
	p[16] = 0x00;
	p[17] = 14;
	p[18] = 0;
	p[19] = 0;	/* TLV, value length 0 */
	assert_int_equal(sa_of(p, len, &sa), CODEC_OK);
	assert_true(sa.prop[0].t[0].unknown_attr);
	assert_int_equal(sa.prop[0].t[0].keylen, 0);
	/* TLV whose length runs past the transform */
	p[19] = 1;
	assert_int_equal(sa_of(p, len, &sa), CODEC_BAD_LENGTH);
	/* an attribute cut short: transform length 10 leaves 2 octets of attribute */
	len = sa_body(p);
	static const uint8_t cut[] = {
		0, 0, 0, 18,   1, IKE_PROTO_IKE, 0, 1,
		0, 0, 0, 10,   IKE_TRANS_ENCR, 0, 0, IKE_ENCR_AES_CBC,  0x80, 0x0e,
	};
	assert_int_equal(sa_of(cut, sizeof(cut), &sa), CODEC_BAD_LENGTH);
	/* two attributes: Key Length and a TLV unknown one with 3 octets of value */
	static const uint8_t two[] = {
		0, 0, 0, 27,   1, IKE_PROTO_ESP, 0, 1,
		0, 0, 0, 19,   IKE_TRANS_ENCR, 0, 0, IKE_ENCR_AES_CTR,
		0x80, 0x0e, 0x00, 0xc0,   0x00, 0x20, 0x00, 0x03, 1, 2, 3,
	};
	assert_int_equal(sa_of(two, sizeof(two), &sa), CODEC_OK);
	assert_int_equal(sa.prop[0].t[0].keylen, 192);
	assert_true(sa.prop[0].t[0].unknown_attr);
}

static void test_sa_too_many_proposals(void **state)
{
	uint8_t p[(IKE_MAX_PROPOSALS + 1) * 16];
	struct ike_sa_pl sa;

	for (unsigned i = 0; i <= IKE_MAX_PROPOSALS; i++) {
		uint8_t *q = p + 16 * i;
		const uint8_t one[16] = { 2, 0, 0, 16, (uint8_t)(i + 1), IKE_PROTO_ESP, 0, 1,
					  0, 0, 0, 8, IKE_TRANS_ESN, 0, 0, 0 };
		memcpy(q, one, sizeof(one));
	}
	p[16 * IKE_MAX_PROPOSALS] = 0;
	assert_int_equal(sa_of(p, sizeof(p), &sa), CODEC_TOO_MANY);
	/* exactly the limit is fine */
	p[16 * (IKE_MAX_PROPOSALS - 1)] = 0;
	assert_int_equal(sa_of(p, 16 * IKE_MAX_PROPOSALS, &sa), CODEC_OK);
	assert_int_equal(sa.nprop, IKE_MAX_PROPOSALS);
	assert_int_equal(sa.prop[IKE_MAX_PROPOSALS - 1].num, IKE_MAX_PROPOSALS);
}

static void test_sa_too_many_transforms(void **state)
{
	uint8_t p[8 + (IKE_MAX_TRANSFORMS + 1) * 8];
	struct ike_sa_pl sa;
	unsigned n = IKE_MAX_TRANSFORMS + 1;

	memset(p, 0, sizeof(p));
	be_put16(p + 2, (uint16_t)sizeof(p));
	p[4] = 1;
	p[5] = IKE_PROTO_IKE;
	p[7] = (uint8_t)IKE_MAX_TRANSFORMS;	/* the count lies low, the walk must stop */
	for (unsigned i = 0; i < n; i++) {
		uint8_t *t = p + 8 + 8 * i;
		t[0] = i + 1 < n ? 3 : 0;
		t[3] = 8;
		t[4] = IKE_TRANS_ENCR;
	}
	assert_int_equal(sa_of(p, sizeof(p), &sa), CODEC_TOO_MANY);
}

/* ---------------------------------------------------------------- malformed TS */

static size_t ts_body(uint8_t *p)
{
	static const uint8_t body[] = {
		2, 0, 0, 0,
		7, 6, 0, 16,  0, 0, 0xff, 0xff,  10, 0, 0, 1,  10, 0, 0, 254,
		8, 0, 0, 40,  0, 0, 0xff, 0xff,
		0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};
	memcpy(p, body, sizeof(body));
	return sizeof(body);
}

static enum codec_result ts_of(const uint8_t *p, size_t len, struct ike_ts_pl *ts)
{
	struct ike_pl pl = pl_of(IKE_PL_TSI, p, len);
	return codec_decode_ts(&pl, ts);
}

static void test_ts_malformed(void **state)
{
	uint8_t p[128];
	struct ike_ts_pl ts;
	size_t len = ts_body(p);

	assert_int_equal(ts_of(p, len, &ts), CODEC_OK);
	assert_int_equal(ts.n, 2);
	assert_int_equal(ts.ts[0].ipproto, 6);
	assert_int_equal(ts.ts[0].eaddr[3], 254);
	assert_int_equal(ts.ts[1].eaddr[15], 0xff);
	/* IPv4 range with the IPv6 length, IPv6 range with the IPv4 length */
	p[7] = 40;
	assert_int_equal(ts_of(p, len, &ts), CODEC_BAD_LENGTH);
	len = ts_body(p);
	p[23] = 16;
	assert_int_equal(ts_of(p, len, &ts), CODEC_BAD_LENGTH);
	/* unknown TS type */
	len = ts_body(p);
	p[4] = 9;
	assert_int_equal(ts_of(p, len, &ts), CODEC_BAD_VALUE);
	/* wrong type for the length: type 8 with 16 octets */
	len = ts_body(p);
	p[4] = 8;
	assert_int_equal(ts_of(p, len, &ts), CODEC_BAD_LENGTH);
	/* the second selector cut short */
	len = ts_body(p);
	assert_int_equal(ts_of(p, len - 1, &ts), CODEC_BAD_LENGTH);
	assert_int_equal(ts_of(p, 4 + 16 + 6, &ts), CODEC_BAD_LENGTH);
	/* Number of TSs too high, too low, above the limit */
	p[0] = 3;
	assert_int_equal(ts_of(p, len, &ts), CODEC_BAD_LENGTH);
	p[0] = 1;
	assert_int_equal(ts_of(p, len, &ts), CODEC_BAD_LENGTH);
	assert_int_equal(ts_of(p, 4 + 16, &ts), CODEC_OK);
	assert_int_equal(ts.n, 1);
	p[0] = IKE_MAX_TS + 1;
	assert_int_equal(ts_of(p, len, &ts), CODEC_TOO_MANY);
	assert_int_equal(ts_of(p, 3, &ts), CODEC_BAD_LENGTH);
}

/* ---------------------------------------------------------------- encoding */

static void test_encode_overflow(void **state)
{
	uint8_t ref[BUF_MAX], st[BUF_MAX + 64];
	struct ike_buf b;
	size_t full = build_sa_init(ref, sizeof(ref), &b);

	assert_true(full > 0);
	/* every capacity below the full size overflows without writing past cap;
	 * the full size fits and produces the same octets */
	for (size_t cap = 0; cap <= full; cap++) {
		memset(st, 0xa5, sizeof(st));
		size_t got = build_sa_init(st, cap, &b);
		assert_true(b.len <= cap);
		for (size_t i = cap; i < sizeof(st); i++)
			assert_int_equal(st[i], 0xa5);
		if (cap < full) {
			assert_true(b.overflow);
			assert_int_equal(got, 0);
		} else {
			assert_false(b.overflow);
			assert_int_equal(got, full);
			assert_memory_equal(st, ref, full);
		}
	}
	/* once overflowed every append is a no-op, even one that would fit */
	codec_buf_init(&b, st, 40);
	codec_put_bytes(&b, ref, 41);
	assert_true(b.overflow);
	assert_int_equal(b.len, 0);
	codec_put_bytes(&b, ref, 1);
	codec_put_raw(&b, IKE_PL_VID, false, NULL, 0);
	assert_int_equal(b.len, 0);
}

static void test_encode_refuses_bad_structs(void **state)
{
	uint8_t st[BUF_MAX];
	struct ike_buf b;
	struct ike_sa_pl sa = test_sa();
	struct ike_ts_pl ts;

	codec_buf_init(&b, st, sizeof(st));
	sa.nprop = 0;
	codec_put_sa(&b, &sa);
	assert_true(b.overflow);
	sa = test_sa();
	sa.prop[1].spi_len = 9;
	codec_buf_init(&b, st, sizeof(st));
	codec_put_sa(&b, &sa);
	assert_true(b.overflow);
	memset(&ts, 0, sizeof(ts));
	ts.n = 1;
	ts.ts[0].type = 9;
	codec_buf_init(&b, st, sizeof(st));
	codec_put_ts(&b, IKE_PL_TSI, &ts);
	assert_true(b.overflow);
	/* a payload longer than 65535 octets cannot be framed */
	static uint8_t big[70000];
	static uint8_t bst[sizeof(big) + 16];
	codec_buf_init(&b, bst, sizeof(bst));
	codec_put_raw(&b, IKE_PL_VID, false, big, sizeof(big));
	assert_true(b.overflow);
}

static void test_encode_linking(void **state)
{
	uint8_t st[BUF_MAX];
	struct ike_buf b;
	struct ike_hdr h = test_hdr();

	/* inner chain: first_np recorded, np_at follows the last payload */
	codec_buf_init(&b, st, sizeof(st));
	assert_int_equal(b.len, 0);
	assert_int_equal(b.np_at, SIZE_MAX);
	assert_int_equal(b.first_np, 0);
	size_t m = codec_begin(&b, IKE_PL_IDI, false);
	assert_int_equal(m, 0);
	assert_int_equal(b.first_np, IKE_PL_IDI);
	assert_int_equal(b.np_at, 0);
	codec_put_bytes(&b, "\x02\0\0\0abc", 7);
	codec_end(&b, m);
	assert_int_equal(be_get16(st + 2), 11);
	m = codec_begin(&b, IKE_PL_AUTH, true);
	assert_int_equal(m, 11);
	assert_int_equal(st[0], IKE_PL_AUTH);
	assert_int_equal(st[11], 0);
	assert_int_equal(st[12], IKE_PAYLOAD_CRITICAL);
	assert_int_equal(b.first_np, IKE_PL_IDI);
	codec_end(&b, m);
	assert_int_equal(be_get16(st + 13), 4);
	/* outer: the header's Next Payload gets the first payload */
	codec_buf_init(&b, st, sizeof(st));
	codec_put_hdr(&b, &h);
	codec_put_raw(&b, IKE_PL_SK, false, "0123456789abcdef", 16);
	assert_int_equal(st[16], IKE_PL_SK);
	assert_int_equal(b.np_at, IKE_HDR_LEN);
	assert_int_equal(b.first_np, 0);
	codec_finish_hdr(&b);
	assert_int_equal(be_get32(st + 24), IKE_HDR_LEN + 20);
}

/* codec_find returns NULL for an absent payload; decoders take it straight */
static void test_decode_absent_payload(void **state)
{
	struct ike_sa_pl sa;
	struct ike_ke_pl ke;
	struct ike_id_pl id;
	struct ike_auth_pl auth;
	struct ike_notify_pl n;
	struct ike_delete_pl d;
	struct ike_ts_pl ts;
	struct ike_skf_pl skf;
	const uint8_t *nd;
	size_t nl;
	struct ike_chain c = { .n = 0 };

	const struct ike_pl *none = codec_find(&c, IKE_PL_SA);
	assert_null(none);
	assert_int_equal(codec_decode_sa(none, &sa), CODEC_TRUNCATED);
	assert_int_equal(codec_decode_ke(none, &ke), CODEC_TRUNCATED);
	assert_int_equal(codec_decode_id(none, &id), CODEC_TRUNCATED);
	assert_int_equal(codec_decode_auth(none, &auth), CODEC_TRUNCATED);
	assert_int_equal(codec_decode_nonce(none, &nd, &nl), CODEC_TRUNCATED);
	assert_int_equal(codec_decode_notify(none, &n), CODEC_TRUNCATED);
	assert_int_equal(codec_decode_delete(none, &d), CODEC_TRUNCATED);
	assert_int_equal(codec_decode_ts(none, &ts), CODEC_TRUNCATED);
	assert_int_equal(codec_decode_skf(none, &skf), CODEC_TRUNCATED);
}

/* ---------------------------------------------------------------- names */

static void test_wire_names(void **state)
{
	assert_string_equal(ike_exchange_name(IKE_INTERMEDIATE), "IKE_INTERMEDIATE");
	assert_string_equal(ike_exchange_name(IKE_FOLLOWUP_KE), "IKE_FOLLOWUP_KE");
	assert_string_equal(ike_exchange_name(99), "UNKNOWN");
	assert_string_equal(ike_payload_name(IKE_PL_SKF), "SKF");
	assert_string_equal(ike_payload_name(IKE_PL_IDR), "IDr");
	assert_string_equal(ike_payload_name(49), "UNKNOWN");
	assert_string_equal(ike_notify_name(IKE_N_INVALID_KE_PAYLOAD), "INVALID_KE_PAYLOAD");
	assert_string_equal(ike_notify_name(IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED),
			    "INTERMEDIATE_EXCHANGE_SUPPORTED");
	assert_string_equal(ike_notify_name(12345), "UNKNOWN");
	assert_string_equal(ike_transform_type_name(IKE_TRANS_ADDKE7), "ADDKE7");
	assert_string_equal(ike_transform_type_name(8), "ADDKE3");
	assert_string_equal(ike_transform_type_name(13), "UNKNOWN");
	assert_string_equal(ike_encr_name(IKE_ENCR_AES_GCM_16), "AES_GCM_16");
	assert_string_equal(ike_prf_name(IKE_PRF_HMAC_SHA2_512), "HMAC_SHA2_512");
	assert_string_equal(ike_integ_name(IKE_INTEG_NONE), "NONE");
	assert_string_equal(ike_ke_name(IKE_KE_MLKEM768), "ML_KEM_768");
	assert_string_equal(ike_ke_name(IKE_KE_CURVE25519), "CURVE25519");
	assert_string_equal(ike_ke_name(1000), "UNKNOWN");
	assert_string_equal(ike_id_type_name(IKE_ID_FQDN), "ID_FQDN");
	assert_string_equal(ike_auth_method_name(IKE_AUTH_DIGSIG), "DIGSIG");
	assert_string_equal(ike_protocol_name(IKE_PROTO_ESP), "ESP");
	assert_string_equal(ike_protocol_name(IKE_PROTO_NONE), "NONE");
	assert_string_equal(ike_protocol_name(4), "UNKNOWN");
	assert_string_equal(codec_result_name(CODEC_SK_NOT_LAST), "SK/SKF not the last payload");
	assert_string_equal(codec_result_name((enum codec_result)99), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_roundtrip),
		cmocka_unit_test(test_hdr_truncated),
		cmocka_unit_test(test_hdr_length_mismatch),
		cmocka_unit_test(test_hdr_bad_version),
		cmocka_unit_test(test_sa_roundtrip),
		cmocka_unit_test(test_ke_roundtrip),
		cmocka_unit_test(test_id_roundtrip),
		cmocka_unit_test(test_auth_roundtrip),
		cmocka_unit_test(test_nonce_roundtrip_and_limits),
		cmocka_unit_test(test_notify_roundtrip),
		cmocka_unit_test(test_delete_roundtrip_and_lengths),
		cmocka_unit_test(test_vid_and_raw_roundtrip),
		cmocka_unit_test(test_ts_roundtrip),
		cmocka_unit_test(test_skf_decode),
		cmocka_unit_test(test_ike_sa_init_message),
		cmocka_unit_test(test_chain_payload_length_too_small),
		cmocka_unit_test(test_chain_payload_length_overrun),
		cmocka_unit_test(test_chain_zero_length_loop),
		cmocka_unit_test(test_chain_too_many_payloads),
		cmocka_unit_test(test_chain_unknown_noncritical_skipped),
		cmocka_unit_test(test_chain_unknown_critical),
		cmocka_unit_test(test_chain_sk_last),
		cmocka_unit_test(test_chain_trailing_octets),
		cmocka_unit_test(test_sa_hand_built_ok),
		cmocka_unit_test(test_sa_proposal_length_lies),
		cmocka_unit_test(test_sa_transform_lies),
		cmocka_unit_test(test_sa_attributes),
		cmocka_unit_test(test_sa_too_many_proposals),
		cmocka_unit_test(test_sa_too_many_transforms),
		cmocka_unit_test(test_ts_malformed),
		cmocka_unit_test(test_encode_overflow),
		cmocka_unit_test(test_encode_refuses_bad_structs),
		cmocka_unit_test(test_encode_linking),
		cmocka_unit_test(test_decode_absent_payload),
		cmocka_unit_test(test_wire_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
