/* test_cert.c -- certificates (lib/libcrypt/cert.c) against an NSS database made for
 * the test with certutil, holding the ECDSA transcript's CA as the only trust anchor:
 * the transcript's end-entity certificates verify; the same certificate before its
 * validity, a certificate of another CA and garbage do not; the CERTREQ hash of the
 * anchor is the one strongSwan sent; identities match subject and subjectAltName
 * (RFC 4945 3.1). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include "certid.h"
#include "crypt.h"
#include "dn.h"
#include "ike_wire.h"
#include "vecfile.h"

#define ECDSA_VEC VECTORS_DIR "/strongswan-ecdsa-p256-cert.txt"
#define RSA_VEC VECTORS_DIR "/strongswan-rsa-pss-cert.txt"
#define ECDSA_CA VECTORS_DIR "/certs/strongswan-ecdsa-p256-cert/ca.crt.pem"

static char dbdir[] = "/tmp/interlude-test-cert.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dbdir) == NULL)
		return -1;
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "certutil -N -d sql:%s --empty-password >/dev/null 2>&1 && "
		 "certutil -A -d sql:%s -n test-ca -t CT,, -a -i %s >/dev/null 2>&1",
		 dbdir, dbdir, ECDSA_CA);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_cert: certutil failed\n");
		return -1;
	}
	char err[256];
	if (!crypt_init(dbdir, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	crypt_shutdown();
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dbdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct chunk vec(const char *file, const char *key)
{
	struct vecfile *vf = vecfile_load(file);
	assert_non_null(vf);
	struct chunk c;
	assert_true(vecfile_hex(vf, key, &c));
	vecfile_free(vf);
	return c;
}

/* 2026-06-01 and 2025-06-01 UTC; the transcript's certificates are valid 2026-2049 */
#define IN_VALIDITY 1780272000ULL
#define BEFORE_VALIDITY 1748736000ULL

static void chain(void **state)
{
	struct chunk west = vec(ECDSA_VEC, "ike_auth.request.cert.data");
	struct chunk east = vec(ECDSA_VEC, "ike_auth.response.cert.data");
	struct chunk rsa_west = vec(RSA_VEC, "ike_auth.request.cert.data");
	char why[160];
	assert_int_equal(crypt_cert_verify(&west, NULL, 0, IN_VALIDITY, why, sizeof(why)), CRYPT_CERT_OK);
	assert_int_equal(crypt_cert_verify(&east, NULL, 0, IN_VALIDITY, why, sizeof(why)), CRYPT_CERT_OK);
	assert_int_equal(crypt_cert_verify(&west, NULL, 0, BEFORE_VALIDITY, why, sizeof(why)),
			 CRYPT_CERT_EXPIRED);
	assert_non_null(strstr(why, "SEC_ERROR_EXPIRED_CERTIFICATE"));
	/* issued by the RSA test CA, which the database does not hold */
	assert_int_equal(crypt_cert_verify(&rsa_west, NULL, 0, IN_VALIDITY, why, sizeof(why)),
			 CRYPT_CERT_UNTRUSTED);
	assert_non_null(strstr(why, "not issued by a trusted CA"));
	/* a peer's end-entity certificate offered as an "intermediate" changes nothing */
	assert_int_equal(crypt_cert_verify(&rsa_west, &east, 1, IN_VALIDITY, why, sizeof(why)),
			 CRYPT_CERT_UNTRUSTED);
	struct chunk junk = chunk_dup(west.ptr, west.len / 2);
	assert_int_equal(crypt_cert_verify(&junk, NULL, 0, IN_VALIDITY, why, sizeof(why)),
			 CRYPT_CERT_BAD_ENCODING);
	/* a flipped bit in the signed part: the CA's signature no longer holds */
	struct chunk bent = chunk_dup(west.ptr, west.len);
	bent.ptr[bent.len / 2] ^= 0x01;
	enum crypt_cert_result r = crypt_cert_verify(&bent, NULL, 0, IN_VALIDITY, why, sizeof(why));
	assert_int_not_equal(r, CRYPT_CERT_OK);
	chunk_free(&bent);
	chunk_free(&junk);
	chunk_free(&west);
	chunk_free(&east);
	chunk_free(&rsa_west);
}

static void certreq_hashes(void **state)
{
	/* RFC 7296 3.7: strongSwan's CERTREQ names the same CA by the same hash */
	struct chunk want = vec(ECDSA_VEC, "ike_sa_init.response.certreq.data");
	assert_int_equal(want.len, 20);
	uint8_t h[4][20];
	assert_int_equal(crypt_trust_anchor_hashes(h, 4), 1);
	assert_memory_equal(h[0], want.ptr, 20);
	assert_true(crypt_cert_is_anchor_hash(want.ptr));
	want.ptr[0] ^= 1;
	assert_false(crypt_cert_is_anchor_hash(want.ptr));
	/* an end-entity certificate's own hash is not an anchor's */
	struct chunk west = vec(ECDSA_VEC, "ike_auth.request.cert.data");
	uint8_t wh[20];
	assert_true(crypt_cert_spki_sha1(west.ptr, west.len, wh));
	assert_false(crypt_cert_is_anchor_hash(wh));
	chunk_free(&west);
	chunk_free(&want);
}

static void identities(void **state)
{
	struct chunk west = vec(ECDSA_VEC, "ike_auth.request.cert.data");
	const char *fqdn = "west.a8.test";
	assert_true(crypt_cert_matches_id(west.ptr, west.len, IKE_ID_FQDN, (const uint8_t *)fqdn,
					  strlen(fqdn)));
	assert_true(crypt_cert_matches_id(west.ptr, west.len, IKE_ID_FQDN, (const uint8_t *)"WEST.A8.test",
					  12));
	assert_false(crypt_cert_matches_id(west.ptr, west.len, IKE_ID_FQDN, (const uint8_t *)"east.a8.test",
					   12));
	assert_false(crypt_cert_matches_id(west.ptr, west.len, IKE_ID_FQDN, (const uint8_t *)"west.a8",
					   7));
	/* no rfc822Name or iPAddress in these certificates */
	assert_false(crypt_cert_matches_id(west.ptr, west.len, IKE_ID_RFC822_ADDR,
					   (const uint8_t *)fqdn, strlen(fqdn)));
	const uint8_t ip[4] = { 192, 0, 2, 1 };
	assert_false(crypt_cert_matches_id(west.ptr, west.len, IKE_ID_IPV4_ADDR, ip, 4));

	/* ID_DER_ASN1_DN: Libreswan's text form, RDNs in DER order, compared by value */
	struct ike_id id;
	assert_true(ike_id_parse("C=ZZ, O=a8 test, OU=ecdsa, CN=west.a8.test", &id));
	assert_int_equal(id.type, IKE_ID_DER_ASN1_DN);
	assert_true(ike_id_in_cert(&id, west.ptr, west.len));
	assert_true(ike_id_parse("C=zz,O=A8  TEST,OU=ecdsa,CN=west.a8.test", &id));
	assert_true(ike_id_in_cert(&id, west.ptr, west.len));
	assert_true(ike_id_parse("C=ZZ, O=a8 test, OU=ecdsa, CN=east.a8.test", &id));
	assert_false(ike_id_in_cert(&id, west.ptr, west.len));
	/* the reverse order is another name */
	assert_true(ike_id_parse("CN=west.a8.test, OU=ecdsa, O=a8 test, C=ZZ", &id));
	assert_false(ike_id_in_cert(&id, west.ptr, west.len));
	assert_true(ike_id_parse("@west.a8.test", &id));
	assert_true(ike_id_in_cert(&id, west.ptr, west.len));
	/* leftid=%fromcert: the subject, which prints as Libreswan writes it */
	struct ike_id from;
	char text[256];
	assert_true(ike_id_from_cert(west.ptr, west.len, &from));
	assert_string_equal(ike_id_str(&from, text, sizeof(text)), "C=ZZ, O=a8 test, OU=ecdsa, CN=west.a8.test");
	assert_true(ike_id_parse(text, &id));
	assert_true(ike_id_eq(&id, &from));
	assert_true(ike_id_in_cert(&from, west.ptr, west.len));
	struct chunk issuer;
	assert_true(crypt_cert_issuer(west.ptr, west.len, &issuer));
	assert_true(dn_to_text(issuer.ptr, issuer.len, text, sizeof(text)));
	assert_string_equal(text, "C=ZZ, O=a8 test, CN=a8 ECDSA P-256 test CA");
	chunk_free(&issuer);
	chunk_free(&west);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain),
		cmocka_unit_test(certreq_hashes),
		cmocka_unit_test(identities),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
