/* test_ip_id.c -- ip.c and ike_id.c: parse/format round trips and rejects. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "ip.h"
#include "ike_id.h"
#include "ike_wire.h"

static void test_ip_round_trip(void **state)
{
	static const char *good[] = { "192.0.2.1", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::", "::1",
				      "fe80::1:2:3:4" };
	char buf[IP_STR_MAX];
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct ip_addr a;
		assert_true(ip_parse(good[i], &a));
		assert_string_equal(ip_str(&a, buf), good[i]);
	}
	struct ip_addr a;
	assert_true(ip_parse("192.0.2.45", &a));
	assert_int_equal(a.version, 4);
	assert_int_equal(ip_len(&a), 4);
	assert_memory_equal(a.b, ((uint8_t[]){ 192, 0, 2, 45 }), 4);
	assert_true(ip_parse("2001:DB8::A", &a));
	assert_int_equal(ip_len(&a), 16);
	assert_string_equal(ip_str(&a, buf), "2001:db8::a");
	struct ip_addr unset = { 0 };
	assert_int_equal(ip_len(&unset), 0);
}

static void test_ip_rejects(void **state)
{
	static const char *bad[] = { "", "192.0.2", "192.0.2.256", "192.0.2.1.", "1.2.3.4/32", "east",
				     "2001:db8:::1", "fe80::1%eth0", " 192.0.2.1", "0x1.2.3.4", "::g" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ip_addr a = { .version = 9 };
		assert_false(ip_parse(bad[i], &a));
		assert_int_equal(a.version, 9);	/* untouched */
	}
	assert_false(ip_parse(NULL, &(struct ip_addr){ 0 }));
}

static void test_subnet(void **state)
{
	struct ip_subnet s;
	char buf[IP_STR_MAX];
	assert_true(ip_subnet_parse("10.1.0.0/16", &s));
	assert_int_equal(s.prefix, 16);
	assert_string_equal(ip_subnet_str(&s, buf), "10.1.0.0/16");
	assert_true(ip_subnet_parse("192.0.2.1", &s));
	assert_int_equal(s.prefix, 32);
	assert_true(ip_subnet_parse("2001:db8::/32", &s));
	assert_string_equal(ip_subnet_str(&s, buf), "2001:db8::/32");
	assert_true(ip_subnet_parse("2001:db8::1", &s));
	assert_int_equal(s.prefix, 128);
	assert_true(ip_subnet_parse("0.0.0.0/0", &s));
	assert_true(ip_subnet_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", &s));
	assert_string_equal(ip_subnet_str(&s, buf), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");

	static const char *bad[] = { "10.1.0.1/16", "10.0.0.0/33", "10.0.0.0/", "/8", "10.0.0.0/-1",
				     "10.0.0.0/+8", "10.0.0.0/8x", "2001:db8::/129", "10.0.0.0/0008" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(ip_subnet_parse(bad[i], &s));
}

static void test_subnet_range(void **state)
{
	struct ip_subnet s;
	struct ip_addr lo, hi;
	char a[IP_STR_MAX], b[IP_STR_MAX];
	assert_true(ip_subnet_parse("10.0.0.0/15", &s));
	ip_subnet_range(&s, &lo, &hi);
	assert_string_equal(ip_str(&lo, a), "10.0.0.0");
	assert_string_equal(ip_str(&hi, b), "10.1.255.255");
	assert_true(ip_subnet_parse("2001:db8::/33", &s));
	ip_subnet_range(&s, &lo, &hi);
	assert_string_equal(ip_str(&hi, b), "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff");
	assert_true(ip_subnet_parse("0.0.0.0/0", &s));
	ip_subnet_range(&s, &lo, &hi);
	assert_string_equal(ip_str(&hi, b), "255.255.255.255");
}

static void test_sockaddr(void **state)
{
	struct ip_addr a, back;
	struct sockaddr_storage ss;
	socklen_t len;
	uint16_t port;
	assert_true(ip_parse("192.0.2.23", &a));
	ip_to_sockaddr(&a, 4500, &ss, &len);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_true(ip_from_sockaddr((struct sockaddr *)&ss, &back, &port));
	assert_true(ip_eq(&a, &back));
	assert_int_equal(port, 4500);
	assert_true(ip_parse("2001:db8::23", &a));
	ip_to_sockaddr(&a, 500, &ss, &len);
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	assert_true(ip_from_sockaddr((struct sockaddr *)&ss, &back, &port));
	assert_true(ip_eq(&a, &back));
	/* v4-mapped comes back as IPv4 */
	assert_true(ip_parse("::ffff:192.0.2.7", &a));
	ip_to_sockaddr(&a, 1, &ss, &len);
	assert_true(ip_from_sockaddr((struct sockaddr *)&ss, &back, NULL));
	assert_int_equal(back.version, 4);
	struct sockaddr sa = { .sa_family = AF_UNIX };
	assert_false(ip_from_sockaddr(&sa, &back, &port));
	struct ip_addr x, y;
	ip_parse("192.0.2.1", &x);
	ip_parse("192.0.2.2", &y);
	assert_false(ip_eq(&x, &y));
}

static void test_id_parse(void **state)
{
	struct ike_id id;
	char buf[300];
	assert_true(ike_id_parse("@east", &id));
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_int_equal(id.len, 4);
	assert_memory_equal(id.data, "east", 4);
	assert_string_equal(ike_id_str(&id, buf, sizeof(buf)), "@east");

	assert_true(ike_id_parse("user@example.com", &id));
	assert_int_equal(id.type, IKE_ID_RFC822_ADDR);
	assert_string_equal(ike_id_str(&id, buf, sizeof(buf)), "user@example.com");

	assert_true(ike_id_parse("192.0.2.1", &id));
	assert_int_equal(id.type, IKE_ID_IPV4_ADDR);
	assert_int_equal(id.len, 4);
	assert_memory_equal(id.data, ((uint8_t[]){ 192, 0, 2, 1 }), 4);
	assert_string_equal(ike_id_str(&id, buf, sizeof(buf)), "192.0.2.1");

	assert_true(ike_id_parse("2001:db8::1", &id));
	assert_int_equal(id.type, IKE_ID_IPV6_ADDR);
	assert_int_equal(id.len, 16);
	assert_string_equal(ike_id_str(&id, buf, sizeof(buf)), "2001:db8::1");

	assert_true(ike_id_parse("%any", &id));
	assert_int_equal(id.type, 0);
	assert_string_equal(ike_id_str(&id, buf, sizeof(buf)), "%any");
	assert_true(ike_id_parse("", &id));
	assert_int_equal(id.type, 0);

	/* a bare name is an FQDN as written (not resolved) */
	assert_true(ike_id_parse("east.example.com", &id));
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_string_equal(ike_id_str(&id, buf, sizeof(buf)), "@east.example.com");
}

static void test_id_rejects(void **state)
{
	char long_id[300];
	memset(long_id, 'a', sizeof(long_id));
	long_id[0] = '@';
	long_id[sizeof(long_id) - 1] = '\0';
	static const char *bad[] = { "@", "%fromcert", "%defaultroute", "C=CA, X=Test", "C=", "CN=a+O=b", "@#0102", "@~3030",
				     "a b", "@east\tx" };
	struct ike_id id;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(ike_id_parse(bad[i], &id));
	assert_false(ike_id_parse(long_id, &id));
}

/* RFC 7296 3.5 ID_DER_ASN1_DN written as Libreswan does */
static void test_id_dn(void **state)
{
	struct ike_id a, b;
	char buf[256];
	assert_true(ike_id_parse("C=CA, ST=Ontario, O=Test\\, Inc., CN=east.example.com", &a));
	assert_int_equal(a.type, IKE_ID_DER_ASN1_DN);
	assert_string_equal(ike_id_str(&a, buf, sizeof(buf)), "C=CA, ST=Ontario, O=Test\\, Inc., CN=east.example.com");
	/* DER: SEQUENCE of four SETs; C is a PrintableString (0x13), O a UTF8String */
	assert_int_equal(a.data[0], 0x30);
	assert_int_equal(a.data[2], 0x31);
	assert_int_equal(a.data[11], 0x13);
	assert_true(ike_id_parse("c=ca,st=ONTARIO,o=test\\,  inc.,cn=EAST.example.com", &b));
	assert_true(ike_id_eq(&a, &b));
	assert_true(ike_id_parse("C=CA, ST=Ontario, O=Test\\, Inc., CN=west.example.com", &b));
	assert_false(ike_id_eq(&a, &b));
	assert_true(ike_id_parse("@east.example.com", &b));
	assert_false(ike_id_eq(&a, &b));
	assert_true(ike_id_parse("E=user@example.com, DC=example, DC=com", &a));
	assert_string_equal(ike_id_str(&a, buf, sizeof(buf)), "E=user@example.com, DC=example, DC=com");
}

static void test_id_eq_and_str(void **state)
{
	struct ike_id a, b;
	char buf[64];
	assert_true(ike_id_parse("@East.Example", &a));
	assert_true(ike_id_parse("@east.example", &b));
	assert_true(ike_id_eq(&a, &b));	/* FQDN: case-insensitive */
	assert_true(ike_id_parse("User@x", &a));
	assert_true(ike_id_parse("user@x", &b));
	assert_false(ike_id_eq(&a, &b));
	assert_true(ike_id_parse("@east", &a));
	assert_true(ike_id_parse("east", &b));
	assert_true(ike_id_eq(&a, &b));
	struct ip_addr ip;
	ip_parse("192.0.2.9", &ip);
	ike_id_from_ip(&ip, &a);
	assert_true(ike_id_parse("192.0.2.9", &b));
	assert_true(ike_id_eq(&a, &b));
	ike_id_from_ip(&(struct ip_addr){ 0 }, &a);
	assert_int_equal(a.type, 0);
	/* peer-supplied bytes are printed safely and truncated */
	struct ike_id odd = { .type = IKE_ID_FQDN, .len = 3, .data = { 'a', 0x01, '\n' } };
	assert_string_equal(ike_id_str(&odd, buf, sizeof(buf)), "@a??");
	assert_true(ike_id_parse("@abcdefghij", &a));
	assert_string_equal(ike_id_str(&a, buf, 5), "@abc");
	struct ike_id keyid = { .type = IKE_ID_KEY_ID, .len = 2, .data = { 0xab, 0x01 } };
	assert_string_equal(ike_id_str(&keyid, buf, sizeof(buf)), "@#0xab01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_round_trip),
		cmocka_unit_test(test_ip_rejects),
		cmocka_unit_test(test_subnet),
		cmocka_unit_test(test_subnet_range),
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_id_rejects),
		cmocka_unit_test(test_id_dn),
		cmocka_unit_test(test_id_eq_and_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
