/* test_plutodebug.c -- plutodebug.c: debug category lists in Libreswan's syntax
 * (plutodebug=, conn debug=, whack --debug): words, aliases, no- prefixes, none,
 * separators, refusals, and the set back as text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "plutodebug.h"

/* the set a list makes from `from`; -1 when it does not parse (why kept) */
static long set_of(const char *list, unsigned from, char *why, size_t n)
{
	struct dbg_lmod m;
	if (!dbg_parse(list, &m, why, n))
		return -1;
	return (long)dbg_apply(from, m);
}

static long mk(const char *list)
{
	char why[256];
	return set_of(list, 0, why, sizeof(why));
}

static void test_words_and_aliases(void **state)
{
	assert_int_equal(mk("none"), 0);
	assert_int_equal(mk(""), 0);
	assert_int_equal(mk("base"), DBG_BASE);
	assert_int_equal(mk("cpu-usage"), DBG_CPU_USAGE);
	assert_int_equal(mk("crypt"), DBG_CRYPT);
	assert_int_equal(mk("private"), DBG_PRIVATE);
	assert_int_equal(mk("add-prefix"), DBG_ADD_PREFIX);
	/* Libreswan's aliases: all = base+cpu-usage, tmi = base+cpu-usage+tmi */
	assert_int_equal(mk("all"), DBG_BASE | DBG_CPU_USAGE);
	assert_int_equal(mk("tmi"), DBG_BASE | DBG_CPU_USAGE | DBG_TMI);
	assert_int_equal(mk("all,crypt,private"), DBG_BASE | DBG_CPU_USAGE | DBG_CRYPT | DBG_PRIVATE);
	/* separators: ',', '+', white space, repeated; names without regard to case */
	assert_int_equal(mk("base+crypt"), DBG_BASE | DBG_CRYPT);
	assert_int_equal(mk("  base \t crypt  "), DBG_BASE | DBG_CRYPT);
	assert_int_equal(mk("base,,crypt,"), DBG_BASE | DBG_CRYPT);
	assert_int_equal(mk("Base,CRYPT"), DBG_BASE | DBG_CRYPT);
}

/* left to right: none clears, no-NAME clears NAME (an alias all of its bits) */
static void test_order_and_no(void **state)
{
	assert_int_equal(mk("all,no-base"), DBG_CPU_USAGE);
	assert_int_equal(mk("all, no-cpu-usage"), DBG_BASE);
	assert_int_equal(mk("base,none"), 0);
	assert_int_equal(mk("none,base"), DBG_BASE);
	assert_int_equal(mk("crypt,none,all"), DBG_BASE | DBG_CPU_USAGE);
	assert_int_equal(mk("all,no-tmi"), 0);		/* as Libreswan: tmi includes base */
	assert_int_equal(mk("tmi,no-base"), DBG_CPU_USAGE | DBG_TMI);
	assert_int_equal(mk("no-all"), 0);
	assert_int_equal(mk("base,no-base,base"), DBG_BASE);
	/* what Interlude lacks may be turned off: "all,no-refcnt" is a common line */
	assert_int_equal(mk("all,no-refcnt"), DBG_BASE | DBG_CPU_USAGE);
	assert_int_equal(mk("no-whackwatch"), 0);
}

/* a list changes a set (whack --debug): only what it names */
static void test_apply_to_a_set(void **state)
{
	char why[256];
	unsigned cur = DBG_BASE | DBG_CRYPT;
	assert_int_equal(set_of("cpu-usage", cur, why, sizeof(why)), DBG_BASE | DBG_CRYPT | DBG_CPU_USAGE);
	assert_int_equal(set_of("no-crypt", cur, why, sizeof(why)), DBG_BASE);
	assert_int_equal(set_of("none", cur, why, sizeof(why)), 0);
	assert_int_equal(set_of("none,private", cur, why, sizeof(why)), DBG_PRIVATE);
	assert_int_equal(set_of("no-refcnt", cur, why, sizeof(why)), cur);
}

static void test_errors(void **state)
{
	char why[256];
	assert_int_equal(set_of("bogus", 0, why, sizeof(why)), -1);
	assert_string_equal(why, "unknown debug category 'bogus' (none, all, base, cpu-usage, tmi, crypt, "
			    "private, add-prefix; no-NAME turns one off)");
	assert_int_equal(set_of("base,no-bogus", 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "'no-bogus'"));
	assert_int_equal(set_of("no-none", 0, why, sizeof(why)), -1);
	assert_int_equal(set_of("nobase", 0, why, sizeof(why)), -1);	/* no- with its dash */
	assert_int_equal(set_of("base;crypt", 0, why, sizeof(why)), -1);
	/* Libreswan's categories that Interlude has no use for: refused when turned on */
	assert_int_equal(set_of("all,refcnt", 0, why, sizeof(why)), -1);
	assert_string_equal(why, "not supported yet: refcnt (Interlude keeps no reference counts to trace)");
	assert_int_equal(set_of("whackwatch", 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not supported yet: whackwatch"));
	/* the old 2.x classes are gone in 4.10 too */
	assert_int_equal(set_of("control", 0, why, sizeof(why)), -1);
	char longword[DBG_WORD_MAX + 10];
	memset(longword, 'a', sizeof(longword) - 1);
	longword[sizeof(longword) - 1] = '\0';
	assert_int_equal(set_of(longword, 0, why, sizeof(why)), -1);
}

static void test_str(void **state)
{
	char buf[96];
	assert_string_equal(dbg_str(0, buf, sizeof(buf)), "none");
	assert_string_equal(dbg_str(DBG_CRYPT | DBG_BASE, buf, sizeof(buf)), "base,crypt");
	assert_string_equal(dbg_str(DBG_ALL_BITS, buf, sizeof(buf)), "base,cpu-usage,tmi,crypt,private,add-prefix");
	/* the text parses back to the set */
	assert_int_equal(mk(dbg_str(DBG_ALL_BITS, buf, sizeof(buf))), DBG_ALL_BITS);
	char small[8];
	dbg_str(DBG_BASE | DBG_CRYPT, small, sizeof(small));
	assert_string_equal(small, "base");
	size_t n;
	const struct dbg_name *d = dbg_names(&n);
	assert_true(n >= 9);
	assert_string_equal(d[0].name, "all");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_aliases),
		cmocka_unit_test(test_order_and_no),
		cmocka_unit_test(test_apply_to_a_set),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
