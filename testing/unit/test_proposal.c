/* test_proposal.c -- proposal.c: ike=/esp= parsing to exact transforms, errors,
 * selection (RFC 7296 3.3.6), reply checks, RFC 9370 ADDKE, and an SA payload round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "proposal.h"

struct tr { uint8_t type; uint16_t id, keylen; };
#define T(ty, i, k) { ty, i, k }

static void check_transforms(const struct ike_proposal *p, const struct tr *want, size_t n)
{
	if (p->ntrans != n) {
		for (unsigned i = 0; i < p->ntrans; i++)
			print_message("  got %u:%u/%u\n", p->t[i].type, p->t[i].id, p->t[i].keylen);
	}
	assert_int_equal(p->ntrans, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(p->t[i].type, want[i].type);
		assert_int_equal(p->t[i].id, want[i].id);
		assert_int_equal(p->t[i].keylen, want[i].keylen);
	}
}
#define CHECK(p, ...) do { static const struct tr w_[] = { __VA_ARGS__ }; \
	check_transforms((p), w_, sizeof(w_) / sizeof(w_[0])); } while (0)

static struct proposal_list parse_ok(enum proposal_kind k, const char *s)
{
	struct proposal_list l;
	char err[200] = "";
	if (!proposal_parse(k, s, &l, err, sizeof(err)))
		fail_msg("'%s': %s", s, err);
	return l;
}

static void parse_bad(enum proposal_kind k, const char *s, const char *want)
{
	struct proposal_list l;
	char err[200] = "";
	assert_false(proposal_parse(k, s, &l, err, sizeof(err)));
	if (strstr(err, want) == NULL)
		fail_msg("'%s': error '%s' lacks '%s'", s, err, want);
}

static void test_ike_non_aead(void **state)
{
	/* Libreswan: ike=aes128-sha2_256-dh31 = integ sha2_256_128, prf sha2_256 */
	struct proposal_list l = parse_ok(PROPOSAL_IKE, "aes128-sha2_256-dh31");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.prop[0].num, 1);
	assert_int_equal(l.prop[0].protocol, IKE_PROTO_IKE);
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_CBC, 128), T(2, IKE_PRF_HMAC_SHA2_256, 0),
	      T(3, IKE_INTEG_HMAC_SHA2_256_128, 0), T(4, IKE_KE_CURVE25519, 0));
	/* explicit PRF, '+' alternatives, modp names */
	l = parse_ok(PROPOSAL_IKE, "aes256-sha2_512+sha1-sha2_384-modp3072+ecp256");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_CBC, 256), T(2, IKE_PRF_HMAC_SHA2_384, 0),
	      T(3, IKE_INTEG_HMAC_SHA2_512_256, 0), T(3, IKE_INTEG_HMAC_SHA1_96, 0),
	      T(4, IKE_KE_MODP3072, 0), T(4, IKE_KE_ECP256, 0));
	/* "sha2" = sha2_256; no KE -> the default KE list */
	l = parse_ok(PROPOSAL_IKE, "aes_cbc_192-sha2");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_CBC, 192), T(2, IKE_PRF_HMAC_SHA2_256, 0),
	      T(3, IKE_INTEG_HMAC_SHA2_256_128, 0), T(4, IKE_KE_ECP256, 0), T(4, IKE_KE_ECP384, 0),
	      T(4, IKE_KE_CURVE25519, 0), T(4, IKE_KE_MODP2048, 0));
	/* bare "aes": 256 then 128 */
	l = parse_ok(PROPOSAL_IKE, "aes-sha2_256-dh14");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_CBC, 256), T(1, IKE_ENCR_AES_CBC, 128),
	      T(2, IKE_PRF_HMAC_SHA2_256, 0), T(3, IKE_INTEG_HMAC_SHA2_256_128, 0),
	      T(4, IKE_KE_MODP2048, 0));
	/* older ";dh" spelling */
	l = parse_ok(PROPOSAL_IKE, "aes128-sha2_256;dh20");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_CBC, 128), T(2, IKE_PRF_HMAC_SHA2_256, 0),
	      T(3, IKE_INTEG_HMAC_SHA2_256_128, 0), T(4, IKE_KE_ECP384, 0));
}

static void test_ike_aead(void **state)
{
	struct proposal_list l = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_GCM_16, 256), T(2, IKE_PRF_HMAC_SHA2_256, 0),
	      T(4, IKE_KE_CURVE25519, 0));
	static const char *same[] = { "aes_gcm_16_256-sha2_256-dh31", "aes_gcm16_256-sha2_256-dh31",
				      "aes_gcm_c_256-sha2_256-dh31", "AES_GCM256-SHA2_256-DH31",
				      "aes_gcm256-sha256-curve25519", "aes_gcm256-sha2_256-x25519" };
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct proposal_list m = parse_ok(PROPOSAL_IKE, same[i]);
		CHECK(&m.prop[0], T(1, IKE_ENCR_AES_GCM_16, 256), T(2, IKE_PRF_HMAC_SHA2_256, 0),
		      T(4, IKE_KE_CURVE25519, 0));
	}
	l = parse_ok(PROPOSAL_IKE, "aes_gcm_8_128+aes_gcm_12_192-sha2_512-dh21");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_GCM_8, 128), T(1, IKE_ENCR_AES_GCM_12, 192),
	      T(2, IKE_PRF_HMAC_SHA2_512, 0), T(4, IKE_KE_ECP521, 0));
	/* AEAD without PRF: the default PRFs */
	l = parse_ok(PROPOSAL_IKE, "aes_gcm128-dh19");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_GCM_16, 128), T(2, IKE_PRF_HMAC_SHA2_512, 0),
	      T(2, IKE_PRF_HMAC_SHA2_256, 0), T(4, IKE_KE_ECP256, 0));
	l = parse_ok(PROPOSAL_IKE, "chacha20_poly1305-sha2_256-dh31");
	CHECK(&l.prop[0], T(1, IKE_ENCR_CHACHA20_POLY1305, 0), T(2, IKE_PRF_HMAC_SHA2_256, 0),
	      T(4, IKE_KE_CURVE25519, 0));
	/* two proposals, whitespace around ',' */
	l = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31 , aes128-sha2-dh14");
	assert_int_equal(l.n, 2);
	assert_int_equal(l.prop[1].num, 2);
}

static void test_esp(void **state)
{
	struct proposal_list l = parse_ok(PROPOSAL_ESP, "aes_gcm256");
	assert_int_equal(l.prop[0].protocol, IKE_PROTO_ESP);
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_GCM_16, 256), T(5, IKE_ESN_NO, 0));
	l = parse_ok(PROPOSAL_ESP, "aes128-sha2_256");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_CBC, 128), T(3, IKE_INTEG_HMAC_SHA2_256_128, 0),
	      T(5, IKE_ESN_NO, 0));
	l = parse_ok(PROPOSAL_ESP, "aes256-sha2_512-dh19");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_CBC, 256), T(3, IKE_INTEG_HMAC_SHA2_512_256, 0),
	      T(4, IKE_KE_ECP256, 0), T(5, IKE_ESN_NO, 0));
	l = parse_ok(PROPOSAL_ESP, "aes_gcm128-dh31");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_GCM_16, 128), T(4, IKE_KE_CURVE25519, 0),
	      T(5, IKE_ESN_NO, 0));
	/* non-AEAD without integrity: the default integrity list */
	l = parse_ok(PROPOSAL_ESP, "aes256");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_CBC, 256), T(3, IKE_INTEG_HMAC_SHA2_512_256, 0),
	      T(3, IKE_INTEG_HMAC_SHA2_256_128, 0), T(5, IKE_ESN_NO, 0));
	/* phase2alg-style list */
	l = parse_ok(PROPOSAL_ESP, "aes_gcm256,aes256-sha2_512+sha2_256");
	assert_int_equal(l.n, 2);
}

static void test_defaults(void **state)
{
	struct proposal_list a, b;
	char err[100];
	proposal_default(PROPOSAL_IKE, &a);
	assert_true(proposal_parse(PROPOSAL_IKE, "", &b, err, sizeof(err)));
	assert_int_equal(a.n, 2);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_true(proposal_parse(PROPOSAL_IKE, NULL, &b, err, sizeof(err)));
	assert_memory_equal(&a, &b, sizeof(a));
	CHECK(&a.prop[0], T(1, IKE_ENCR_AES_GCM_16, 256), T(2, IKE_PRF_HMAC_SHA2_512, 0),
	      T(2, IKE_PRF_HMAC_SHA2_256, 0), T(4, IKE_KE_ECP256, 0), T(4, IKE_KE_ECP384, 0),
	      T(4, IKE_KE_CURVE25519, 0), T(4, IKE_KE_MODP2048, 0));
	assert_int_equal(proposal_first_ke(&a), IKE_KE_ECP256);
	assert_true(proposal_allows_ke(&a, IKE_KE_CURVE25519));
	assert_false(proposal_allows_ke(&a, IKE_KE_MODP4096));
	proposal_default(PROPOSAL_ESP, &a);
	assert_int_equal(a.n, 2);
	CHECK(&a.prop[0], T(1, IKE_ENCR_AES_GCM_16, 256), T(5, IKE_ESN_NO, 0));
	assert_int_equal(proposal_first_ke(&a), 0);
}

static void test_addke(void **state)
{
	struct proposal_list l = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_384-dh31;addke1=ml_kem_768;addke2=dh20+none");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_GCM_16, 256), T(2, IKE_PRF_HMAC_SHA2_384, 0),
	      T(4, IKE_KE_CURVE25519, 0), T(6, IKE_KE_MLKEM768, 0), T(7, IKE_KE_ECP384, 0),
	      T(7, IKE_KE_NONE, 0));
	/* per list entry: the second proposal has none */
	l = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31;addke3=mlkem1024+ml_kem_512,aes128-sha2-dh19");
	CHECK(&l.prop[0], T(1, IKE_ENCR_AES_GCM_16, 256), T(2, IKE_PRF_HMAC_SHA2_256, 0),
	      T(4, IKE_KE_CURVE25519, 0), T(8, IKE_KE_MLKEM1024, 0), T(8, IKE_KE_MLKEM512, 0));
	assert_int_equal(l.prop[1].ntrans, 4);
	l = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31;addke1=none+ml_kem_768;addke7=none");
	assert_int_equal(l.prop[0].t[l.prop[0].ntrans - 1].type, 12);
}

static void test_parse_errors(void **state)
{
	parse_bad(PROPOSAL_IKE, "aes999-sha2-dh19", "unknown encryption algorithm 'aes999'");
	parse_bad(PROPOSAL_IKE, "aes128-sha3-dh19", "unknown integrity algorithm 'sha3'");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-md5-dh19", "unknown PRF algorithm 'md5'");
	parse_bad(PROPOSAL_IKE, "aes128-sha2-dh19+dh99", "unknown key exchange 'dh99'");
	parse_bad(PROPOSAL_IKE, "aes128-sha2-sha2-sha2-dh19", "unexpected 'sha2'");
	parse_bad(PROPOSAL_ESP, "aes_gcm256-sha2_256", "unexpected 'sha2_256'");
	parse_bad(PROPOSAL_IKE, "aes128-dh19-sha2", "unexpected 'sha2' after the key exchange");
	parse_bad(PROPOSAL_IKE, "aes128+aes_gcm128-sha2-dh19", "AEAD and non-AEAD");
	parse_bad(PROPOSAL_IKE, "aes128--dh19", "empty");
	parse_bad(PROPOSAL_IKE, "aes128-sha2-dh19,", "empty proposal");
	parse_bad(PROPOSAL_IKE, "aes128+-sha2", "empty");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2-ml_kem_768", "'ml_kem_768' is only allowed in ke= or addkeN=");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2-dh31;ke=ml_kem_512", "given twice");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2;ke=none", "'none' is only allowed in addkeN=");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2-dh31;addke8=ml_kem_768", "addke8");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2-dh31;foo=ml_kem_768", "'foo='");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2-dh31;addke1=ml_kem_768;addke1=none", "'addke1=' given twice");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2-dh31;addke1=kyber", "unknown key exchange 'kyber'");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2-dh31;addke1=ml_kem_768+ml_kem_768", "listed twice");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2-dh31;addke1=ml_kem_768;addke2=ml_kem_768", "duplicates addke1");
	parse_bad(PROPOSAL_IKE, "aes_gcm256-sha2-dh31;dh19", "unexpected ';dh19'");
	parse_bad(PROPOSAL_IKE, "3des-sha1-dh14", "'3des'");
	/* ke= names transform type 4, where ML-KEM may stand (draft-ietf-ipsecme-ikev2-mlkem) */
	struct proposal_list kl;
	char kerr[128];
	assert_true(proposal_parse(PROPOSAL_IKE, "aes_gcm256-sha2_256;ke=ml_kem_512+dh31", &kl, kerr, sizeof(kerr)));
	assert_int_equal(proposal_first_ke(&kl), IKE_KE_MLKEM512);
	assert_true(proposal_allows_ke(&kl, IKE_KE_CURVE25519));
	/* addke2=none twice in different types is fine */
	parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2-dh31;addke1=none+ml_kem_768;addke2=none+ml_kem_768");
	char many[600] = "";
	for (int i = 0; i < 17; i++)
		strcat(many, i ? ",aes128-sha2-dh19" : "aes128-sha2-dh19");
	parse_bad(PROPOSAL_IKE, many, "too many proposals");
}

/* --- negotiation --- */

static struct ike_sa_pl offer_of(enum proposal_kind k, const char *s, uint8_t spi_len)
{
	struct proposal_list l = parse_ok(k, s);
	struct ike_sa_pl sa;
	static const uint8_t spi[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	proposal_to_sa(&l, spi_len ? spi : NULL, spi_len, &sa);
	return sa;
}

static void test_select_match(void **state)
{
	struct proposal_list local = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31+dh19");
	struct ike_sa_pl offer = offer_of(PROPOSAL_IKE, "aes128-sha2-dh19,aes_gcm256+aes_gcm128-sha2_512+sha2_256-dh19+dh31", 0);
	struct ike_proposal ch;
	char buf[128];
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_OK);
	assert_int_equal(ch.num, 2);
	/* in the peer's order of preference */
	CHECK(&ch, T(1, IKE_ENCR_AES_GCM_16, 256), T(2, IKE_PRF_HMAC_SHA2_256, 0), T(4, IKE_KE_ECP256, 0));
	assert_string_equal(proposal_str(&ch, buf, sizeof(buf)), "AES_GCM_16_256-HMAC_SHA2_256-ECP_256");
	uint16_t id, kl;
	assert_true(proposal_get(&ch, IKE_TRANS_ENCR, &id, &kl));
	assert_int_equal(id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(kl, 256);
	assert_false(proposal_get(&ch, IKE_TRANS_INTEG, &id, NULL));

	/* ESP: SPI carried over, ESN NO chosen */
	struct proposal_list lesp = parse_ok(PROPOSAL_ESP, "aes128-sha2_256");
	offer = offer_of(PROPOSAL_ESP, "aes_gcm256,aes256+aes128-sha2_512+sha2_256", 4);
	assert_int_equal(proposal_select(&lesp, &offer, &ch), PROPOSAL_OK);
	assert_int_equal(ch.num, 2);
	assert_int_equal(ch.spi_len, 4);
	assert_memory_equal(ch.spi, ((uint8_t[]){ 1, 2, 3, 4 }), 4);
	CHECK(&ch, T(1, IKE_ENCR_AES_CBC, 128), T(3, IKE_INTEG_HMAC_SHA2_256_128, 0), T(5, IKE_ESN_NO, 0));
	assert_string_equal(proposal_str(&ch, buf, sizeof(buf)), "AES_CBC_128-HMAC_SHA2_256_128");
}

static void test_select_no_match(void **state)
{
	struct proposal_list local = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31");
	struct ike_proposal ch;
	struct ike_sa_pl offer = offer_of(PROPOSAL_IKE, "aes_gcm128-sha2_256-dh31", 0);	/* keylen differs */
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_NO_CHOSEN);
	offer = offer_of(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh19", 0);
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_NO_CHOSEN);
	/* a type the peer adds that we do not list: no match */
	offer = offer_of(PROPOSAL_IKE, "aes128-sha2_256-dh31", 0);
	struct proposal_list lcbc = parse_ok(PROPOSAL_IKE, "aes128-sha2_256-dh31");
	lcbc.prop[0].ntrans = 3;	/* drop our KE */
	assert_int_equal(proposal_select(&lcbc, &offer, &ch), PROPOSAL_NO_CHOSEN);
	/* a type we list that the peer leaves out: no match */
	offer.prop[0].ntrans = 3;	/* drop the peer's KE */
	lcbc = parse_ok(PROPOSAL_IKE, "aes128-sha2_256-dh31");
	assert_int_equal(proposal_select(&lcbc, &offer, &ch), PROPOSAL_NO_CHOSEN);
	/* wrong protocol */
	offer = offer_of(PROPOSAL_ESP, "aes_gcm256", 4);
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_NO_CHOSEN);
}

/* pfs=yes: the IKE SA's KE and ADDKEs go into ESP proposals that name none */
static void test_with_without_ke(void **state)
{
	struct proposal_list esp = parse_ok(PROPOSAL_ESP, "aes_gcm256,aes128-sha2_256-dh19"), out, back;
	uint16_t addke[] = { IKE_KE_MLKEM768 };
	proposal_with_ke(&esp, IKE_KE_CURVE25519, addke, 1, &out);
	assert_int_equal(out.n, 2);
	CHECK(&out.prop[0], T(1, IKE_ENCR_AES_GCM_16, 256), T(4, IKE_KE_CURVE25519, 0), T(5, IKE_ESN_NO, 0),
	      T(6, IKE_KE_MLKEM768, 0));
	CHECK(&out.prop[1], T(1, IKE_ENCR_AES_CBC, 128), T(3, IKE_INTEG_HMAC_SHA2_256_128, 0),
	      T(4, IKE_KE_ECP256, 0), T(5, IKE_ESN_NO, 0));
	uint16_t m[7];
	assert_int_equal(proposal_addkes(&out.prop[0], m), 1);
	assert_int_equal(m[0], IKE_KE_MLKEM768);
	assert_int_equal(proposal_addkes(&out.prop[1], m), 0);
	proposal_without_ke(&out, &back);
	CHECK(&back.prop[0], T(1, IKE_ENCR_AES_GCM_16, 256), T(5, IKE_ESN_NO, 0));
	CHECK(&back.prop[1], T(1, IKE_ENCR_AES_CBC, 128), T(3, IKE_INTEG_HMAC_SHA2_256_128, 0), T(5, IKE_ESN_NO, 0));
	proposal_with_ke(&esp, IKE_KE_NONE, NULL, 0, &out);
	assert_memory_equal(&out, &esp, sizeof(out));
}

static void test_select_quirks(void **state)
{
	struct proposal_list local = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31");
	struct ike_proposal ch;
	struct ike_sa_pl offer = offer_of(PROPOSAL_IKE, "aes_gcm256+aes_gcm128-sha2_256-dh31", 0);
	/* unknown attribute on the first ENCR: skipped, the next one is not acceptable */
	offer.prop[0].t[0].unknown_attr = true;
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_NO_CHOSEN);
	local = parse_ok(PROPOSAL_IKE, "aes_gcm256+aes_gcm128-sha2_256-dh31");
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_OK);
	CHECK(&ch, T(1, IKE_ENCR_AES_GCM_16, 128), T(2, IKE_PRF_HMAC_SHA2_256, 0), T(4, IKE_KE_CURVE25519, 0));
	/* AEAD offered with INTEG NONE (RFC 5282 8) */
	offer = offer_of(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31", 0);
	offer.prop[0].t[offer.prop[0].ntrans++] = (struct ike_transform){ .type = 3, .id = IKE_INTEG_NONE };
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_OK);
	/* ESN: we accept NO only; an offer of YES only does not match */
	struct proposal_list lesp = parse_ok(PROPOSAL_ESP, "aes_gcm256");
	offer = offer_of(PROPOSAL_ESP, "aes_gcm256", 4);
	offer.prop[0].t[1].id = IKE_ESN_YES;
	assert_int_equal(proposal_select(&lesp, &offer, &ch), PROPOSAL_NO_CHOSEN);
	offer.prop[0].t[offer.prop[0].ntrans++] = (struct ike_transform){ .type = 5, .id = IKE_ESN_NO };
	assert_int_equal(proposal_select(&lesp, &offer, &ch), PROPOSAL_OK);
	CHECK(&ch, T(1, IKE_ENCR_AES_GCM_16, 256), T(5, IKE_ESN_NO, 0));
	/* RFC 7296 1.2: an IKE_AUTH Child SA proposal may carry KE NONE; an IKE
	 * proposal never */
	offer.prop[0].t[offer.prop[0].ntrans++] = (struct ike_transform){ .type = 4, .id = IKE_KE_NONE };
	assert_int_equal(proposal_select(&lesp, &offer, &ch), PROPOSAL_OK);
	CHECK(&ch, T(1, IKE_ENCR_AES_GCM_16, 256), T(4, IKE_KE_NONE, 0), T(5, IKE_ESN_NO, 0));
	offer = offer_of(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31", 0);
	offer.prop[0].t[2].id = IKE_KE_NONE;
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_NO_CHOSEN);
	/* RFC 9370 2.2.1: an offered ADDKE with NONE is optional, so a responder without
	 * addkeN= takes NONE; an ADDKE without NONE it cannot take */
	offer = offer_of(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31;addke1=ml_kem_768+none", 0);
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_OK);
	CHECK(&ch, T(1, IKE_ENCR_AES_GCM_16, 256), T(2, IKE_PRF_HMAC_SHA2_256, 0), T(4, IKE_KE_CURVE25519, 0),
	      T(6, IKE_KE_NONE, 0));
	offer = offer_of(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31;addke1=ml_kem_768", 0);
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_NO_CHOSEN);
	/* an unknown transform type in the offer: that proposal does not match */
	offer = offer_of(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31", 0);
	offer.prop[0].t[offer.prop[0].ntrans++] = (struct ike_transform){ .type = 200, .id = 1 };
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_NO_CHOSEN);
}

static void test_select_invalid(void **state)
{
	struct proposal_list local = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31");
	struct ike_proposal ch;
	struct ike_sa_pl offer = { 0 };
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_INVALID);
	offer = offer_of(PROPOSAL_IKE, "aes128-sha2-dh19,aes_gcm256-sha2_256-dh31", 0);
	offer.prop[1].num = 3;	/* RFC 7296 3.3.1: must be 2 */
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_INVALID);
	offer = offer_of(PROPOSAL_ESP, "aes_gcm256", 2);	/* ESP SPI must be 4 octets */
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_INVALID);
}

static void test_select_addke(void **state)
{
	struct proposal_list local = parse_ok(PROPOSAL_IKE,
		"aes_gcm256-sha2_256-dh31;addke1=ml_kem_768+none;addke2=ml_kem_1024+ml_kem_768+none");
	struct ike_proposal ch;
	char buf[160];
	/* the peer's order: first value we allow */
	struct ike_sa_pl offer = offer_of(PROPOSAL_IKE,
		"aes_gcm256-sha2_256-dh31;addke1=ml_kem_512+ml_kem_768;addke2=ml_kem_768+none", 0);
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_OK);
	CHECK(&ch, T(1, IKE_ENCR_AES_GCM_16, 256), T(2, IKE_PRF_HMAC_SHA2_256, 0), T(4, IKE_KE_CURVE25519, 0),
	      T(6, IKE_KE_MLKEM768, 0), T(7, IKE_KE_NONE, 0));	/* no duplicate: NONE for addke2 */
	assert_string_equal(proposal_str(&ch, buf, sizeof(buf)),
			    "AES_GCM_16_256-HMAC_SHA2_256-CURVE25519-ADDKE1=ML_KEM_768");
	/* the peer offers no ADDKE: fine, we list none for both */
	offer = offer_of(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31", 0);
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_OK);
	assert_int_equal(ch.ntrans, 3);
	/* we require ADDKE1 (no none): a peer without it does not match */
	struct proposal_list strict = parse_ok(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31;addke1=ml_kem_768");
	assert_int_equal(proposal_select(&strict, &offer, &ch), PROPOSAL_NO_CHOSEN);
	/* the peer offers an ADDKE type we do not list: no match */
	offer = offer_of(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31;addke3=ml_kem_768", 0);
	assert_int_equal(proposal_select(&strict, &offer, &ch), PROPOSAL_NO_CHOSEN);
	/* the peer offers NONE only where we require a method */
	offer = offer_of(PROPOSAL_IKE, "aes_gcm256-sha2_256-dh31;addke1=none", 0);
	assert_int_equal(proposal_select(&strict, &offer, &ch), PROPOSAL_NO_CHOSEN);
	assert_int_equal(proposal_select(&local, &offer, &ch), PROPOSAL_OK);
}

static void test_check_reply(void **state)
{
	struct proposal_list sent = parse_ok(PROPOSAL_IKE,
		"aes_gcm256-sha2_256-dh31+dh19;addke1=ml_kem_768+none,aes128-sha2-dh19");
	struct ike_proposal ch;
	struct ike_sa_pl reply = { .nprop = 1 };
	struct ike_proposal *r = &reply.prop[0];
	*r = (struct ike_proposal){ .num = 1, .protocol = IKE_PROTO_IKE, .ntrans = 4, .t = {
		{ .type = 4, .id = IKE_KE_ECP256 }, { .type = 1, .id = IKE_ENCR_AES_GCM_16, .keylen = 256 },
		{ .type = 2, .id = IKE_PRF_HMAC_SHA2_256 }, { .type = 6, .id = IKE_KE_MLKEM768 } } };
	assert_int_equal(proposal_check_reply(&sent, &reply, &ch), PROPOSAL_OK);
	CHECK(&ch, T(1, IKE_ENCR_AES_GCM_16, 256), T(2, IKE_PRF_HMAC_SHA2_256, 0), T(4, IKE_KE_ECP256, 0),
	      T(6, IKE_KE_MLKEM768, 0));
	/* ADDKE1 left out: we allowed none */
	r->ntrans = 3;
	assert_int_equal(proposal_check_reply(&sent, &reply, &ch), PROPOSAL_OK);
	/* something we did not send */
	r->t[0].id = IKE_KE_MODP2048;
	assert_int_equal(proposal_check_reply(&sent, &reply, &ch), PROPOSAL_NO_CHOSEN);
	r->t[0].id = IKE_KE_ECP256;
	/* two of one type */
	r->t[3] = (struct ike_transform){ .type = 4, .id = IKE_KE_CURVE25519 };
	r->ntrans = 4;
	assert_int_equal(proposal_check_reply(&sent, &reply, &ch), PROPOSAL_INVALID);
	r->ntrans = 3;
	/* a type missing */
	r->t[2] = r->t[0];
	r->ntrans = 2;
	assert_int_equal(proposal_check_reply(&sent, &reply, &ch), PROPOSAL_NO_CHOSEN);
	/* number we never sent; two proposals */
	r->ntrans = 3;
	r->num = 3;
	assert_int_equal(proposal_check_reply(&sent, &reply, &ch), PROPOSAL_INVALID);
	r->num = 1;
	reply.nprop = 2;
	assert_int_equal(proposal_check_reply(&sent, &reply, &ch), PROPOSAL_INVALID);
}

static void test_sa_round_trip(void **state)
{
	struct proposal_list l = parse_ok(PROPOSAL_IKE,
		"aes_gcm256-sha2_384-dh31;addke1=ml_kem_768;addke2=dh20+none,aes128-sha2_256-dh19+modp2048");
	struct ike_sa_pl sa, back;
	uint8_t storage[2048];
	struct ike_buf b;
	proposal_to_sa(&l, NULL, 0, &sa);
	codec_buf_init(&b, storage, sizeof(storage));
	codec_put_sa(&b, &sa);
	assert_false(b.overflow);
	struct ike_chain chain;
	uint8_t bad;
	assert_int_equal(codec_decode_chain(IKE_PL_SA, storage, b.len, &chain, &bad), CODEC_OK);
	assert_int_equal(chain.n, 1);
	assert_int_equal(codec_decode_sa(&chain.pl[0], &back), CODEC_OK);
	assert_int_equal(back.nprop, 2);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(back.prop[i].num, i + 1);
		assert_int_equal(back.prop[i].protocol, IKE_PROTO_IKE);
		assert_int_equal(back.prop[i].ntrans, l.prop[i].ntrans);
		for (unsigned t = 0; t < l.prop[i].ntrans; t++) {
			assert_int_equal(back.prop[i].t[t].type, l.prop[i].t[t].type);
			assert_int_equal(back.prop[i].t[t].id, l.prop[i].t[t].id);
			assert_int_equal(back.prop[i].t[t].keylen, l.prop[i].t[t].keylen);
		}
	}
	/* and the decoded offer selects against the same list */
	struct ike_proposal ch;
	assert_int_equal(proposal_select(&l, &back, &ch), PROPOSAL_OK);
	assert_int_equal(ch.num, 1);
	/* ESP with a SPI */
	struct proposal_list e = parse_ok(PROPOSAL_ESP, "aes_gcm256,aes256-sha2_512");
	static const uint8_t spi[4] = { 0xde, 0xad, 0xbe, 0xef };
	proposal_to_sa(&e, spi, 4, &sa);
	codec_buf_init(&b, storage, sizeof(storage));
	codec_put_sa(&b, &sa);
	assert_int_equal(codec_decode_chain(IKE_PL_SA, storage, b.len, &chain, &bad), CODEC_OK);
	assert_int_equal(codec_decode_sa(&chain.pl[0], &back), CODEC_OK);
	assert_int_equal(back.prop[1].spi_len, 4);
	assert_memory_equal(back.prop[1].spi, spi, 4);
	assert_int_equal(proposal_select(&e, &back, &ch), PROPOSAL_OK);
}

static void test_str(void **state)
{
	char buf[128];
	struct ike_proposal p = { .ntrans = 5, .t = {
		{ .type = 1, .id = IKE_ENCR_AES_CBC, .keylen = 128 }, { .type = 2, .id = IKE_PRF_HMAC_SHA2_256 },
		{ .type = 3, .id = IKE_INTEG_HMAC_SHA2_256_128 }, { .type = 4, .id = IKE_KE_MODP2048 },
		{ .type = 5, .id = IKE_ESN_YES } } };
	assert_string_equal(proposal_str(&p, buf, sizeof(buf)), "AES_CBC_128-HMAC_SHA2_256_128-HMAC_SHA2_256-MODP2048-ESN");
	assert_string_equal(proposal_str(&p, buf, 8), "AES_CBC");
	p.t[0].id = 99;
	p.ntrans = 1;
	assert_string_equal(proposal_str(&p, buf, sizeof(buf)), "ENCR_99");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ike_non_aead),
		cmocka_unit_test(test_ike_aead),
		cmocka_unit_test(test_esp),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_addke),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_select_match),
		cmocka_unit_test(test_select_no_match),
		cmocka_unit_test(test_select_quirks),
		cmocka_unit_test(test_with_without_ke),
		cmocka_unit_test(test_select_invalid),
		cmocka_unit_test(test_select_addke),
		cmocka_unit_test(test_check_reply),
		cmocka_unit_test(test_sa_round_trip),
		cmocka_unit_test(test_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
