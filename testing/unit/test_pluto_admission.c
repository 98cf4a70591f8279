/* test_pluto_admission.c -- programs/pluto/admission.c: the half-open budget per
 * source address (with and without a cookie) and in total, in number and octets, the
 * IPv6 /64 grouping, ddos-mode=, and that a released slot comes back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "admission.h"

static struct pluto *new_pluto(unsigned max, unsigned threshold)
{
	struct pluto *p = calloc(1, sizeof(*p));
	p->setup.ddos_mode = CONF_DDOS_AUTO;
	p->setup.max_halfopen_ike = max;
	p->setup.ddos_ike_threshold = threshold;
	return p;
}

static struct ike_sa *sa_from(struct pluto *p, const char *addr)
{
	struct ike_sa *ike = calloc(1, sizeof(*ike));
	ike->pluto = p;
	assert_true(ip_parse(addr, &ike->remote));
	return ike;
}

static struct ip_addr ip(const char *s)
{
	struct ip_addr a;
	assert_true(ip_parse(s, &a));
	return a;
}

/* max 8: a share of 2 per address without a cookie, 2 more with one */
static void address_share(void **state)
{
	struct pluto *p = new_pluto(8, 100);
	struct ip_addr a = ip("192.0.2.46"), b = ip("192.0.2.45");
	struct ike_sa *s[4];
	for (int i = 0; i < 2; i++) {
		assert_false(admission_cookie_required(p, &a, 100));
		assert_int_equal(admission_check(p, &a, 100, false), ADMIT_OK);
		admission_charge(s[i] = sa_from(p, "192.0.2.46"), 100, false);
	}
	/* past its cookie-less share: a cookie is asked for, and then admitted */
	assert_int_equal(admission_check(p, &a, 100, false), ADMIT_ADDR_FULL);
	assert_true(admission_cookie_required(p, &a, 100));
	assert_false(admission_cookie_required(p, &b, 100));
	for (int i = 2; i < 4; i++) {
		assert_int_equal(admission_check(p, &a, 100, true), ADMIT_OK);
		admission_charge(s[i] = sa_from(p, "192.0.2.46"), 100, true);
	}
	assert_int_equal(admission_check(p, &a, 100, true), ADMIT_ADDR_FULL);
	/* another address is not affected */
	assert_int_equal(admission_check(p, &b, 100, false), ADMIT_OK);
	assert_int_equal(p->nhalf_open, 4);
	/* released slots come back, twice releasing changes nothing */
	admission_release(s[0]);
	admission_release(s[0]);
	assert_int_equal(p->nhalf_open, 3);
	assert_int_equal(admission_check(p, &a, 100, false), ADMIT_OK);
	for (int i = 1; i < 4; i++)
		admission_release(s[i]);
	assert_int_equal(p->nhalf_open, 0);
	assert_int_equal(p->half_open_octets, 0);
	for (int i = 0; i < 4; i++)
		free(s[i]);
	free(p);
}

/* max-halfopen-ike= in total; an IPv6 /64 is one address */
static void total_and_ipv6(void **state)
{
	struct pluto *p = new_pluto(4, 100);
	struct ike_sa *s[4];
	const char *addrs[] = { "2001:db8::1", "2001:db8::2", "2001:db8:0:1::1", "192.0.2.1" };
	for (int i = 0; i < 4; i++) {
		struct ip_addr a = ip(addrs[i]);
		/* share 1: the second of the /64 2001:db8::/64 is refused */
		enum admission_verdict v = admission_check(p, &a, 10, false);
		assert_int_equal(v, i == 1 ? ADMIT_ADDR_FULL : ADMIT_OK);
		s[i] = sa_from(p, addrs[i]);
		if (v == ADMIT_OK)
			admission_charge(s[i], 10, false);
	}
	struct ike_sa *last = sa_from(p, "192.0.2.2");
	admission_charge(last, 10, false);
	struct ip_addr c = ip("192.0.2.3");
	assert_int_equal(admission_check(p, &c, 10, true), ADMIT_FULL);
	for (int i = 0; i < 4; i++) {
		admission_release(s[i]);
		free(s[i]);
	}
	admission_release(last);
	free(last);
	assert_int_equal(p->nhalf_open, 0);
	free(p);
}

/* the octet budget: in total and per address */
static void memory_budget(void **state)
{
	struct pluto *p = new_pluto(1024, 1000);
	struct ip_addr a = ip("192.0.2.46");
	size_t quarter = ADMISSION_HALF_OPEN_OCTETS / ADMISSION_ADDR_SHARE_DIV;
	struct ike_sa *big = sa_from(p, "192.0.2.46");
	assert_int_equal(admission_check(p, &a, quarter, false), ADMIT_OK);
	admission_charge(big, quarter, false);
	assert_int_equal(admission_check(p, &a, 1, false), ADMIT_ADDR_MEMORY);
	assert_true(admission_cookie_required(p, &a, 1));
	assert_int_equal(admission_check(p, &a, 1, true), ADMIT_OK);
	struct ip_addr b = ip("192.0.2.45");
	assert_int_equal(admission_check(p, &b, ADMISSION_HALF_OPEN_OCTETS - quarter + 1, true), ADMIT_MEMORY);
	admission_release(big);
	free(big);
	assert_int_equal(p->half_open_octets, 0);
	free(p);
}

/* ddos-mode=busy always asks for a cookie, unlimited never, auto past the threshold */
static void ddos_mode(void **state)
{
	struct pluto *p = new_pluto(1024, 1);
	struct ip_addr a = ip("192.0.2.46");
	assert_false(admission_cookie_required(p, &a, 1));
	struct ike_sa *s = sa_from(p, "192.0.2.1");
	admission_charge(s, 1, false);
	assert_true(admission_cookie_required(p, &a, 1));
	p->setup.ddos_mode = CONF_DDOS_UNLIMITED;
	assert_false(admission_cookie_required(p, &a, 1));
	admission_release(s);
	p->setup.ddos_mode = CONF_DDOS_BUSY;
	assert_true(admission_cookie_required(p, &a, 1));
	free(s);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(address_share),
		cmocka_unit_test(total_and_ipv6),
		cmocka_unit_test(memory_budget),
		cmocka_unit_test(ddos_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
