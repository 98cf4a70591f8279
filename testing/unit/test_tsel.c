/* test_tsel.c -- tsel.c: our selectors, prefixes, narrowing over every proposed
 * selector (RFC 7296 2.9), never widening, and the initiator's check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "ike_wire.h"
#include "tsel.h"

/* a selector from "lo-hi" addresses and a port range */
static struct ike_ts ts(const char *lo, const char *hi, uint8_t proto, uint16_t sp, uint16_t ep)
{
	struct ike_ts t;
	struct ip_addr a, b;
	memset(&t, 0, sizeof(t));
	assert_true(ip_parse(lo, &a));
	assert_true(ip_parse(hi, &b));
	t.type = a.version == 6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	t.ipproto = proto;
	t.sport = sp;
	t.eport = ep;
	memcpy(t.saddr, a.b, 16);
	memcpy(t.eaddr, b.b, 16);
	return t;
}

static struct ike_ts from_subnet(const char *s, uint8_t proto, uint16_t port)
{
	struct ip_subnet sn;
	struct ike_ts t;
	assert_true(ip_subnet_parse(s, &sn));
	tsel_from_subnet(&sn, proto, port, &t);
	return t;
}

static void assert_ts(const struct ike_ts *got, const struct ike_ts want)
{
	assert_int_equal(got->type, want.type);
	assert_int_equal(got->ipproto, want.ipproto);
	assert_int_equal(got->sport, want.sport);
	assert_int_equal(got->eport, want.eport);
	size_t n = want.type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
	assert_memory_equal(got->saddr, want.saddr, n);
	assert_memory_equal(got->eaddr, want.eaddr, n);
}

static void test_from_subnet_and_prefix(void **state)
{
	struct ike_ts t = from_subnet("192.0.2.64/28", 0, 0);
	assert_ts(&t, ts("192.0.2.64", "192.0.2.79", 0, 0, 65535));
	assert_int_equal(tsel_prefix(&t), 28);
	t = from_subnet("192.0.2.45/32", 17, 1701);
	assert_ts(&t, ts("192.0.2.45", "192.0.2.45", 17, 1701, 1701));
	assert_int_equal(tsel_prefix(&t), 32);
	t = from_subnet("2001:db8:2::/64", 0, 0);
	assert_int_equal(tsel_prefix(&t), 64);
	t = ts("0.0.0.0", "255.255.255.255", 0, 0, 65535);
	assert_int_equal(tsel_prefix(&t), 0);
	t = ts("192.0.2.1", "192.0.2.5", 0, 0, 65535);
	assert_int_equal(tsel_prefix(&t), -1);
	t = ts("192.0.2.0", "192.0.2.254", 0, 0, 65535);
	assert_int_equal(tsel_prefix(&t), -1);
}

/* every proposed selector counts, not only the first */
static void test_narrow_all_selectors(void **state)
{
	struct ike_ts ours = from_subnet("192.0.2.64/28", 0, 0);
	struct ike_ts_pl theirs = { .n = 3 }, out;
	theirs.ts[0] = ts("192.0.2.64", "192.0.2.71", 0, 0, 65535);
	theirs.ts[1] = ts("198.51.100.0", "198.51.100.255", 0, 0, 65535);	/* outside ours */
	theirs.ts[2] = ts("192.0.2.72", "192.0.2.79", 0, 0, 65535);
	assert_true(tsel_narrow(&theirs, &ours, &out));
	assert_int_equal(out.n, 2);
	assert_ts(&out.ts[0], ts("192.0.2.64", "192.0.2.71", 0, 0, 65535));
	assert_ts(&out.ts[1], ts("192.0.2.72", "192.0.2.79", 0, 0, 65535));
	/* a wider one narrows to ours; a duplicate is dropped */
	theirs.n = 2;
	theirs.ts[0] = ts("0.0.0.0", "255.255.255.255", 0, 0, 65535);
	theirs.ts[1] = ts("192.0.2.0", "192.0.2.255", 0, 0, 65535);
	assert_true(tsel_narrow(&theirs, &ours, &out));
	assert_int_equal(out.n, 1);
	assert_ts(&out.ts[0], ours);
}

/* a range that is not a CIDR block is cut to its largest block, never widened */
static void test_narrow_never_widens(void **state)
{
	struct ike_ts ours = from_subnet("192.0.2.64/28", 0, 0);
	struct ike_ts_pl theirs = { .n = 1 }, out;
	/* 65..78 = 65/32 66/31 68/30 72/30 76/31 78/32: the first /30 wins */
	theirs.ts[0] = ts("192.0.2.65", "192.0.2.78", 0, 0, 65535);
	assert_true(tsel_narrow(&theirs, &ours, &out));
	assert_int_equal(out.n, 1);
	assert_ts(&out.ts[0], ts("192.0.2.68", "192.0.2.71", 0, 0, 65535));
	assert_int_equal(tsel_prefix(&out.ts[0]), 30);
	/* a port range narrows to its first port; protocol comes from either side */
	theirs.ts[0] = ts("192.0.2.64", "192.0.2.79", 6, 1000, 2000);
	assert_true(tsel_narrow(&theirs, &ours, &out));
	assert_ts(&out.ts[0], ts("192.0.2.64", "192.0.2.79", 6, 1000, 1000));
	/* IPv6 */
	struct ike_ts ours6 = from_subnet("2001:db8:3::/64", 0, 0);
	theirs.ts[0] = ts("2001:db8:3::1", "2001:db8:3::ffff", 0, 0, 65535);
	assert_true(tsel_narrow(&theirs, &ours6, &out));
	assert_ts(&out.ts[0], ts("2001:db8:3::8000", "2001:db8:3::ffff", 0, 0, 65535));
}

static void test_narrow_empty(void **state)
{
	struct ike_ts ours = from_subnet("192.0.2.64/28", 17, 1701);
	struct ike_ts_pl theirs = { .n = 2 }, out;
	theirs.ts[0] = ts("192.0.2.64", "192.0.2.79", 6, 0, 65535);	/* tcp vs udp */
	theirs.ts[1] = ts("2001:db8::", "2001:db8::ffff", 0, 0, 65535);	/* other family */
	assert_false(tsel_narrow(&theirs, &ours, &out));
	assert_int_equal(out.n, 0);
	theirs.n = 1;
	theirs.ts[0] = ts("192.0.2.64", "192.0.2.79", 17, 1, 1700);	/* ports miss */
	assert_false(tsel_narrow(&theirs, &ours, &out));
}

static void test_within(void **state)
{
	struct ike_ts ours = from_subnet("192.0.2.64/28", 0, 0);
	struct ike_ts_pl chosen = { .n = 2 };
	chosen.ts[0] = ts("192.0.2.64", "192.0.2.71", 0, 0, 65535);
	chosen.ts[1] = ts("192.0.2.72", "192.0.2.72", 1, 0, 65535);
	assert_true(tsel_within(&chosen, &ours));
	chosen.ts[1] = ts("192.0.2.72", "192.0.2.80", 0, 0, 65535);	/* wider */
	assert_false(tsel_within(&chosen, &ours));
	chosen.n = 0;
	assert_false(tsel_within(&chosen, &ours));
}

/* narrowing=no (Libreswan's rule): one proposed selector exactly ours, or none fits */
static void test_match(void **state)
{
	struct ike_ts ours = from_subnet("192.0.2.64/28", 0, 0);
	struct ike_ts_pl theirs = { .n = 1 };
	theirs.ts[0] = ours;
	assert_true(tsel_match(&theirs, &ours));
	/* narrower, wider, or the same range with a protocol or port: no */
	theirs.ts[0] = from_subnet("192.0.2.64/29", 0, 0);
	assert_false(tsel_match(&theirs, &ours));
	theirs.ts[0] = from_subnet("192.0.2.0/24", 0, 0);
	assert_false(tsel_match(&theirs, &ours));
	theirs.ts[0] = from_subnet("192.0.2.64/28", 17, 0);
	assert_false(tsel_match(&theirs, &ours));
	theirs.ts[0] = ts("192.0.2.64", "192.0.2.79", 0, 0, 1023);
	assert_false(tsel_match(&theirs, &ours));
	/* RFC 7296 2.9: the first selector may be the packet's; any of them may match */
	theirs.n = 2;
	theirs.ts[0] = ts("192.0.2.66", "192.0.2.66", 6, 443, 443);
	theirs.ts[1] = ours;
	assert_true(tsel_match(&theirs, &ours));
	theirs.n = 0;
	assert_false(tsel_match(&theirs, &ours));
	/* protocol and port selectors (leftprotoport=udp/1701) match only themselves */
	struct ike_ts l2tp = from_subnet("192.0.2.45/32", 17, 1701);
	theirs.n = 1;
	theirs.ts[0] = from_subnet("192.0.2.45/32", 17, 1701);
	assert_true(tsel_match(&theirs, &l2tp));
	theirs.ts[0] = from_subnet("192.0.2.45/32", 0, 0);
	assert_false(tsel_match(&theirs, &l2tp));
	/* IPv6 and a family mismatch */
	struct ike_ts v6 = from_subnet("2001:db8:2::/64", 0, 0);
	theirs.ts[0] = from_subnet("2001:db8:2::/64", 0, 0);
	assert_true(tsel_match(&theirs, &v6));
	assert_false(tsel_match(&theirs, &ours));
	/* the same proposal narrowing=yes would take, cut to ours */
	struct ike_ts_pl wide = { .n = 1 }, out;
	wide.ts[0] = from_subnet("192.0.2.0/24", 0, 0);
	assert_false(tsel_match(&wide, &ours));
	assert_true(tsel_narrow(&wide, &ours, &out));
	assert_ts(&out.ts[0], ours);
}

static void test_str(void **state)
{
	char buf[128];
	struct ike_ts t = from_subnet("192.0.2.64/28", 0, 0);
	assert_string_equal(tsel_str(&t, buf, sizeof(buf)), "192.0.2.64/28");
	t = from_subnet("192.0.2.45/32", 17, 1701);
	assert_string_equal(tsel_str(&t, buf, sizeof(buf)), "192.0.2.45/32 proto 17 port 1701");
	t = ts("192.0.2.1", "192.0.2.5", 6, 0, 65535);
	assert_string_equal(tsel_str(&t, buf, sizeof(buf)), "192.0.2.1-192.0.2.5 proto 6");
	t = ts("2001:db8::", "2001:db8::ffff", 6, 1000, 2000);
	assert_string_equal(tsel_str(&t, buf, sizeof(buf)), "2001:db8::/112 proto 6 ports 1000-2000");
	struct ike_ts_pl l = { .n = 2 };
	l.ts[0] = from_subnet("192.0.2.64/28", 0, 0);
	l.ts[1] = from_subnet("192.0.2.96/28", 0, 0);
	assert_string_equal(tsel_list_str(&l, buf, sizeof(buf)), "192.0.2.64/28, 192.0.2.96/28");
	l.n = 0;
	assert_string_equal(tsel_list_str(&l, buf, sizeof(buf)), "(none)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_subnet_and_prefix),
		cmocka_unit_test(test_narrow_all_selectors),
		cmocka_unit_test(test_narrow_never_widens),
		cmocka_unit_test(test_narrow_empty),
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
