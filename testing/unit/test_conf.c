/* test_conf.c -- lib/libconf: ipsec.conf (sections, %default, also=, include, quoting,
 * comments, every error kind with its file:line) and ipsec.secrets (forms, precedence). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "conf.h"
#include "ike_wire.h"
#include "testutil.h"

struct errs {
	int n;
	char text[16][400];
};

static void collect(void *ctx, const char *file, int line, const char *reason)
{
	struct errs *e = ctx;
	if (e->n < 16)
		snprintf(e->text[e->n], sizeof(e->text[0]), "%s:%d: %s", file, line, reason);
	e->n++;
}

static void expect_err(const struct errs *e, int i, const char *want)
{
	if (i >= e->n || strcmp(e->text[i], want) != 0)
		fail_msg("error %d: got '%s', want '%s'", i, i < e->n ? e->text[i] : "(none)", want);
}

static void test_full_file(void **state)
{
	char dir[] = "/tmp/test_conf.XXXXXX", path[600], inc[600];
	assert_non_null(mkdtemp(dir));
	testutil_write_file(dir, "ipsec.conf",
		"# main file\n"
		"version 2\n"
		"config setup\n"
		"\tprotostack=netkey\n"
		"\tlogfile=/var/log/pluto.log   # a comment\n"
		"\tplutodebug=\"all crypt\"\n"
		"\tuniqueids=yes\n"
		"\tikeport=5000\n"
		"\tnat-ikeport=5001\n"
		"\n"
		"conn %default\n"
		"\tikelifetime=1h\n"
		"\tesp=aes_gcm256\n"
		"\n"
		"conn base\n"
		"\tleft=192.0.2.45\n"
		"\tright=192.0.2.23\n"
		"\tauthby=secret\n"
		"\n"
		"conn west-east\n"
		"\talso=base\n"
		"\tleftid=@west\n"
		"\trightid=\"@east\"\n"
		"\tleftsubnet=10.0.1.0/24\n"
		"\tike=aes_gcm256-sha2_256-dh31;addke1=ml_kem_768\n"
		"\tintermediate=yes\n"
		"\tfragmentation=force\n"
		"\tauto=start\n"
		"\tretransmit-timeout=10\n"
		"\tretransmit-interval=250\n"
		"\tsalifetime=60m\n"
		"\tkeyexchange=ikev2\n"
		"\ttype=tunnel\n"
		"\tikev2=insist\n"
		"\tleft=192.0.2.99   # own key beats also=\n"
		"\n"
		"include conf.d/*.conf\n");
	snprintf(inc, sizeof(inc), "%s/conf.d", dir);
	assert_int_equal(mkdir(inc, 0700), 0);
	testutil_write_file(inc, "a.conf",
		"conn v6\n"
		"    left=2001:db8::45\n"
		"    right=%any\n"
		"    phase2alg=aes128-sha2_256\n"
		"    rightikeport=4500\n"
		"    retransmit-timeout=500ms\n");
	snprintf(path, sizeof(path), "%s/ipsec.conf", dir);
	struct conf_file cf;
	struct errs e = { 0 };
	assert_true(conf_load(path, &cf, collect, &e));
	if (e.n)
		fail_msg("unexpected error: %s", e.text[0]);
	assert_int_equal(cf.nerrors, 0);
	assert_string_equal(cf.setup.protostack, "xfrm");
	assert_string_equal(cf.setup.logfile, "/var/log/pluto.log");
	assert_string_equal(cf.setup.plutodebug, "all crypt");
	assert_int_equal(cf.setup.ikeport, 5000);
	assert_int_equal(cf.setup.nattport, 5001);
	assert_int_equal(cf.nconns, 3);

	const struct conf_conn *c = conf_find(&cf, "west-east");
	assert_non_null(c);
	char buf[IP_STR_MAX], idb[300];
	assert_false(c->error);
	assert_int_equal(c->line, 20);
	assert_string_equal(c->file, path);
	assert_string_equal(ip_str(&c->left.addr, buf), "192.0.2.99");
	assert_false(c->left.any);
	assert_string_equal(ip_str(&c->right.addr, buf), "192.0.2.23");
	assert_true(c->left.has_id);
	assert_string_equal(ike_id_str(&c->left.id, idb, sizeof(idb)), "@west");
	assert_string_equal(c->right.id_str, "@east");
	assert_string_equal(ip_subnet_str(&c->left.subnet, buf), "10.0.1.0/24");
	assert_string_equal(ip_subnet_str(&c->right.subnet, buf), "192.0.2.23/32");
	assert_string_equal(c->ike, "aes_gcm256-sha2_256-dh31;addke1=ml_kem_768");
	assert_string_equal(c->esp, "aes_gcm256");	/* from %default */
	assert_true(c->intermediate);
	assert_int_equal(c->fragmentation, CONF_FRAG_FORCE);
	assert_int_equal(c->autostart, CONF_AUTO_START);
	assert_int_equal(c->retransmit_timeout_ms, 10000);
	assert_int_equal(c->retransmit_interval_ms, 250);
	assert_int_equal(c->ikelifetime_s, 3600);
	assert_int_equal(c->salifetime_s, 3600);
	assert_int_equal(c->left.ikeport, 500);

	c = conf_find(&cf, "base");
	assert_non_null(c);
	assert_false(c->left.has_id);
	assert_int_equal(c->left.id.type, IKE_ID_IPV4_ADDR);	/* the ID is the address */
	assert_string_equal(ike_id_str(&c->left.id, idb, sizeof(idb)), "192.0.2.45");
	assert_int_equal(c->autostart, CONF_AUTO_IGNORE);
	assert_int_equal(c->retransmit_timeout_ms, 60000);
	assert_int_equal(c->retransmit_interval_ms, 500);
	assert_int_equal(c->salifetime_s, 28800);
	assert_int_equal(c->fragmentation, CONF_FRAG_YES);
	assert_false(c->intermediate);

	c = conf_find(&cf, "v6");
	assert_non_null(c);
	assert_false(c->error);
	assert_true(strstr(c->file, "conf.d/a.conf") != NULL);
	assert_int_equal(c->line, 1);
	assert_true(c->right.any);
	assert_int_equal(c->right.id.type, 0);
	assert_int_equal(c->right.ikeport, 4500);
	assert_string_equal(c->esp, "aes128-sha2_256");	/* phase2alg= beats %default esp= */
	assert_int_equal(c->retransmit_timeout_ms, 500);
	assert_string_equal(ip_subnet_str(&c->left.subnet, buf), "2001:db8::45/128");
	assert_null(conf_find(&cf, "%default"));
	assert_null(conf_find(&cf, "nope"));
	conf_free(&cf);
	assert_int_equal(cf.nconns, 0);

	/* a missing top file */
	snprintf(path, sizeof(path), "%s/absent.conf", dir);
	e.n = 0;
	assert_false(conf_load(path, &cf, collect, &e));
	assert_int_equal(e.n, 1);
	conf_free(&cf);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Each error: its exact file:line and reason; only that conn is marked. */
static void check_one_error(const char *body, int line, const char *reason)
{
	char text[2048], want[600];
	snprintf(text, sizeof(text),
		 "conn good\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\n"	/* lines 1-4 */
		 "conn bad\n\tleft=192.0.2.1\n%s"			/* line 5, 6, 7... */
		 "conn after\n\tleft=192.0.2.3\n", body);
	struct conf_file cf;
	struct errs e = { 0 };
	assert_true(conf_load_string("t.conf", text, &cf, collect, &e));
	snprintf(want, sizeof(want), "t.conf:%d: %s", line, reason);
	assert_int_equal(e.n, 1);
	expect_err(&e, 0, want);
	assert_int_equal(cf.nerrors, 1);
	assert_false(conf_find(&cf, "good")->error);
	assert_true(conf_find(&cf, "bad")->error);
	assert_false(conf_find(&cf, "after")->error);
	conf_free(&cf);
}

static void test_conn_errors(void **state)
{
	check_one_error("\tfoo=bar\n", 7, "unknown keyword 'foo'");
	check_one_error("\tright=192.0.2.2\n\tauthby=rsasig\n", 8, "authby=rsasig is not supported");
	check_one_error("\tright=%defaultroute\n", 7, "right=%defaultroute is not supported");
	check_one_error("\tright=east.example.com\n", 7,
			"right=east.example.com: only IP addresses and %any are supported");
	check_one_error("\tauto=ondemand\n", 7, "auto=ondemand is not supported");
	check_one_error("\tauto=route\n", 7, "auto=route is not supported");
	check_one_error("\tike=aes999-sha2-dh19\n", 7, "ike: unknown encryption algorithm 'aes999'");
	check_one_error("\tesp=aes_gcm256-sha2_256\n", 7, "esp: unexpected 'sha2_256' (AEAD encryption has no integrity)");
	check_one_error("\tphase2alg=aes-md5\n", 7, "esp: unknown integrity algorithm 'md5'");
	check_one_error("\tkeyexchange=ikev1\n", 7, "keyexchange=ikev1 is not supported (only ikev2)");
	check_one_error("\ttype=passthrough\n", 7, "type=passthrough is not supported: shunt connections are not implemented");
	check_one_error("\ttype=bridge\n", 7, "type=bridge: expected tunnel or transport");
	check_one_error("\tleftprotoport=foo/1\n", 7, "leftprotoport=foo/1: unknown protocol");
	check_one_error("\trightprotoport=icmp/8\n", 7, "rightprotoport=icmp/8: a port needs tcp, udp or sctp");
	check_one_error("\tleftprotoport=udp/70000\n", 7, "leftprotoport=udp/70000: bad port");
	check_one_error("\tnat-keepalive=maybe\n", 7, "nat-keepalive=maybe: expected yes or no");
	check_one_error("\tintermediate=maybe\n", 7, "intermediate=maybe: expected yes or no");
	check_one_error("\tfragmentation=always\n", 7, "fragmentation=always: expected yes, no or force");
	check_one_error("\tretransmit-timeout=10x\n", 7, "retransmit-timeout=10x is not a valid duration");
	check_one_error("\tikelifetime=0\n", 7, "ikelifetime=0 is not a valid duration");
	check_one_error("\tleftikeport=70000\n", 7, "leftikeport=70000 is not a valid port");
	check_one_error("\tleftid=%fromcert\n", 7, "leftid=%fromcert is not a valid ID");
	check_one_error("\tleftsubnet=10.0.0.1/8\n", 7, "leftsubnet=10.0.0.1/8 is not a valid subnet");
	check_one_error("\n\tleftsubnet\n", 8, "syntax error: expected key=value, got 'leftsubnet'");
	check_one_error("\tesp=\"aes\n", 7, "unterminated quoted value for 'esp'");
	check_one_error("\talso=nowhere\n", 7, "also=nowhere: no such conn");
	check_one_error("\tright=2001:db8::2\n", 5, "conn bad: left and right are of different address families");
	check_one_error("x=1\n", 7, "syntax error: unexpected 'x=1' in column 0");
}

/* type=, leftprotoport=, nat-keepalive=, keep-alive=, uniqueids= (Libreswan's
 * meanings and defaults) */
static void test_mode_protoport_natt(void **state)
{
	static const char text[] =
		"config setup\n\tkeep-alive=30\n\tuniqueids=no\n"
		"conn t\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\ttype=transport\n"
		"\tleftprotoport=udp/1701\n\trightprotoport=17/%any\n\tnat-keepalive=no\n"
		"conn d\n\tleft=192.0.2.1\n\tright=192.0.2.2\n";
	struct conf_file cf;
	struct errs e = { 0 };
	assert_true(conf_load_string("m.conf", text, &cf, collect, &e));
	assert_int_equal(e.n, 0);
	assert_int_equal(cf.setup.keep_alive_s, 30);
	assert_false(cf.setup.uniqueids);
	const struct conf_conn *t = conf_find(&cf, "t"), *d = conf_find(&cf, "d");
	assert_int_equal(t->type, CONF_TYPE_TRANSPORT);
	assert_int_equal(t->left.protocol, 17);
	assert_int_equal(t->left.port, 1701);
	assert_int_equal(t->right.protocol, 17);
	assert_int_equal(t->right.port, 0);
	assert_false(t->nat_keepalive);
	assert_int_equal(d->type, CONF_TYPE_TUNNEL);
	assert_int_equal(d->left.protocol, 0);
	assert_true(d->nat_keepalive);
	conf_free(&cf);
	assert_true(conf_load_string("n.conf", "conn x\n\tleft=192.0.2.1\n", &cf, collect, &e));
	assert_int_equal(cf.setup.keep_alive_s, CONF_KEEP_ALIVE_DEFAULT_S);
	assert_true(cf.setup.uniqueids);
	conf_free(&cf);
}

/* seccomp= (config setup): Libreswan's three values, disabled by default */
static void test_setup_seccomp(void **state)
{
	static const char *const vals[] = { "enabled", "tolerant", "disabled" };
	static const enum conf_seccomp want[] = {
		CONF_SECCOMP_ENABLED, CONF_SECCOMP_TOLERANT, CONF_SECCOMP_DISABLED,
	};
	struct conf_file cf;
	struct errs e = { 0 };
	for (size_t i = 0; i < 3; i++) {
		char text[64];
		snprintf(text, sizeof(text), "config setup\n\tseccomp=%s\n", vals[i]);
		assert_true(conf_load_string("s.conf", text, &cf, collect, &e));
		assert_int_equal(e.n, 0);
		assert_int_equal(cf.setup.seccomp, want[i]);
		conf_free(&cf);
	}
	assert_true(conf_load_string("d.conf", "config setup\n\tuniqueids=yes\n", &cf, collect, &e));
	assert_int_equal(cf.setup.seccomp, CONF_SECCOMP_DISABLED);
	conf_free(&cf);
	assert_true(conf_load_string("b.conf", "config setup\n\tseccomp=on\n", &cf, collect, &e));
	assert_int_equal(e.n, 1);
	assert_int_equal(cf.setup.seccomp, CONF_SECCOMP_DISABLED);
	conf_free(&cf);
}

static void test_also_and_default(void **state)
{
	static const char text[] =
		"conn %default\n"		/* 1 */
		"\tbogus=1\n"			/* 2: only conns after it fail */
		"conn %default\n"		/* 3 */
		"\tikelifetime=2h\n"		/* 4 */
		"conn a\n"			/* 5 */
		"\talso=b\n"			/* 6 */
		"\tleft=192.0.2.1\n"		/* 7 */
		"conn b\n"			/* 8 */
		"\talso=a\n"			/* 9: loop */
		"\tright=192.0.2.2\n"		/* 10 */
		"\tleft=192.0.2.9\n";		/* 11 */
	struct conf_file cf;
	struct errs e = { 0 };
	conf_load_string("x.conf", text, &cf, collect, &e);
	/* conn a: also=b follows b, whose also=a loops (reported at b's also= line); bogus= from %default */
	expect_err(&e, 0, "x.conf:9: also=a: loop");
	expect_err(&e, 1, "x.conf:2: unknown keyword 'bogus'");
	expect_err(&e, 2, "x.conf:6: also=b: loop");
	expect_err(&e, 3, "x.conf:2: unknown keyword 'bogus'");
	assert_int_equal(e.n, 4);
	const struct conf_conn *a = conf_find(&cf, "a");
	char buf[IP_STR_MAX];
	assert_true(a->error);
	assert_string_equal(ip_str(&a->left.addr, buf), "192.0.2.1");	/* own key wins */
	assert_string_equal(ip_str(&a->right.addr, buf), "192.0.2.2");	/* from also=b */
	assert_int_equal(a->ikelifetime_s, 7200);	/* the later %default */
	conf_free(&cf);

	/* depth limit: a chain of CONF_MAX_ALSO_DEPTH + 2 conns */
	char big[8192] = "";
	size_t o = 0;
	for (int i = 0; i < CONF_MAX_ALSO_DEPTH + 2; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, "conn c%d\n\talso=c%d\n\tleft=192.0.2.%d\n",
				      i, i + 1, i + 1);
	o += (size_t)snprintf(big + o, sizeof(big) - o, "conn c%d\n\tright=192.0.2.200\n", CONF_MAX_ALSO_DEPTH + 2);
	e.n = 0;
	conf_load_string("deep.conf", big, &cf, collect, &e);
	assert_true(conf_find(&cf, "c0")->error);
	assert_true(strstr(e.text[0], "nested too deeply") != NULL);
	assert_false(conf_find(&cf, "c5")->error);
	conf_free(&cf);
}

static void test_syntax(void **state)
{
	static const char text[] =
		"conn\n"			/* 1: no name */
		"\tleft=192.0.2.1\n"		/* 2: ignored */
		"conn q  # comment\n"		/* 3 */
		"\tleft = 192.0.2.1\n"		/* 4: spaces around '=' */
		"\tleftid=\"@q\"  # c\n"	/* 5 */
		"\tike=\"aes_gcm256-sha2_256-dh31\"  # trailing\n"	/* 6 */
		"\tesp=\n"			/* 7: empty = default */
		"   # indented comment\n"	/* 8 */
		"config nonsense\n"		/* 9 */
		"\tfoo=bar\n"			/* 10 */
		"config setup\n"		/* 11 */
		"\tprotostack=klips\n"		/* 12 */
		"\tmystery=1\n"			/* 13 */
		"\tlisten=not-an-ip\n"		/* 14 */
		"include\n"			/* 15 */
		"config setup\n"		/* 16 */
		"\tlogfile=\"/x # y\"\n";	/* 17: '#' inside quotes */
	struct conf_file cf;
	struct errs e = { 0 };
	conf_load_string("s.conf", text, &cf, collect, &e);
	expect_err(&e, 0, "s.conf:1: conn section has no name");
	expect_err(&e, 1, "s.conf:9: unknown section 'config nonsense'");
	expect_err(&e, 2, "s.conf:15: include needs exactly one file name");
	expect_err(&e, 3, "s.conf:12: protostack=klips is not supported");
	expect_err(&e, 4, "s.conf:13: unknown keyword 'mystery' in config setup");
	expect_err(&e, 5, "s.conf:14: listen=not-an-ip is not an IP address");
	assert_int_equal(e.n, 6);
	assert_int_equal(cf.nerrors, 6);
	assert_int_equal(cf.nconns, 1);
	const struct conf_conn *q = conf_find(&cf, "q");
	assert_false(q->error);
	assert_string_equal(q->left.id_str, "@q");
	assert_string_equal(cf.setup.logfile, "/x # y");
	assert_string_equal(q->ike, "aes_gcm256-sha2_256-dh31");
	assert_string_equal(q->esp, "");
	conf_free(&cf);
}

static void test_include_errors(void **state)
{
	char dir[] = "/tmp/test_conf.XXXXXX", path[600];
	assert_non_null(mkdtemp(dir));
	testutil_write_file(dir, "main.conf", "include missing.conf\ninclude none-*.conf\ninclude self.conf\n");
	testutil_write_file(dir, "self.conf", "conn s\n\tleft=192.0.2.1\ninclude self.conf\n");
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	struct conf_file cf;
	struct errs e = { 0 };
	assert_true(conf_load(path, &cf, collect, &e));
	char want[700];
	snprintf(want, sizeof(want), "%s:1: include 'missing.conf': no such file", path);
	expect_err(&e, 0, want);
	snprintf(want, sizeof(want), "%s/self.conf:3: include 'self.conf': nested more than %d deep",
		 dir, CONF_MAX_INCLUDE_DEPTH);
	expect_err(&e, 1, want);
	/* the self-include made CONF_MAX_INCLUDE_DEPTH copies of conn s: duplicates reported */
	assert_int_equal(cf.nconns, CONF_MAX_INCLUDE_DEPTH);
	assert_false(cf.conns[0].error);
	assert_true(cf.conns[1].error);
	conf_free(&cf);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* --- ipsec.secrets --- */

static struct ike_id id(const char *s)
{
	struct ike_id r;
	assert_true(ike_id_parse(s, &r));
	return r;
}

static void expect_psk(const struct conf_secrets *s, const char *l, const char *r, const char *want)
{
	struct ike_id a = id(l), b = id(r);
	const struct chunk *k = conf_secrets_psk(s, &a, &b);
	if (want == NULL) {
		assert_null(k);
		return;
	}
	assert_non_null(k);
	if (k->len != strlen(want) || memcmp(k->ptr, want, k->len) != 0)
		fail_msg("%s %s: got '%.*s', want '%s'", l, r, (int)k->len, k->ptr, want);
}

static void test_secrets_forms(void **state)
{
	static const char text[] =
		"# comment\n"
		"@west @east : PSK \"quoted # not a comment\"\n"	/* 2 */
		"192.0.2.1 : PSK 0x6865_6c6c6f\n"			/* 3: "hello" */
		"user@example.com\n"					/* 4 */
		"   @peer : PSK 0sYWJjZA==   # continued entry\n"	/* 5: "abcd" */
		"@rsa : RSA { stuff }\n"				/* 6 */
		"@bad : PSK unquoted\n"					/* 7 */
		"@odd : PSK 0xabc\n"					/* 8 */
		"@b64 : PSK 0s!!!!\n"					/* 9 */
		"@x @y PSK \"nocolon\"\n"				/* 10 */
		"%fromcert : PSK \"x\"\n"				/* 11 */
		"@q : PSK \"unterminated\n"				/* 12 */
		"  stray\n"						/* 13: continues 12 */
		": PSK 'single quoted'\n";				/* 14 */
	struct conf_secrets s;
	struct errs e = { 0 };
	assert_true(conf_secrets_load_string("ipsec.secrets", text, &s, collect, &e));
	expect_err(&e, 0, "ipsec.secrets:6: only PSK secrets are supported");
	expect_err(&e, 1, "ipsec.secrets:7: PSK must be one \"quoted string\", 0x hex or 0s base64 value");
	expect_err(&e, 2, "ipsec.secrets:8: PSK must be one \"quoted string\", 0x hex or 0s base64 value");
	expect_err(&e, 3, "ipsec.secrets:9: PSK must be one \"quoted string\", 0x hex or 0s base64 value");
	expect_err(&e, 4, "ipsec.secrets:10: syntax error: expected 'IDs : PSK secret'");
	expect_err(&e, 5, "ipsec.secrets:11: bad ID '%fromcert'");
	expect_err(&e, 6, "ipsec.secrets:12: syntax error: unterminated quoted string");
	assert_int_equal(e.n, 7);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.s[0].nids, 2);
	assert_int_equal(s.s[0].ids[0].type, IKE_ID_FQDN);
	assert_int_equal(s.s[1].ids[0].type, IKE_ID_IPV4_ADDR);
	assert_int_equal(s.s[1].psk.len, 5);
	assert_memory_equal(s.s[1].psk.ptr, "hello", 5);
	assert_int_equal(s.s[2].nids, 2);
	assert_int_equal(s.s[2].ids[0].type, IKE_ID_RFC822_ADDR);
	assert_memory_equal(s.s[2].psk.ptr, "abcd", 4);
	assert_int_equal(s.s[3].nids, 0);
	expect_psk(&s, "@west", "@east", "quoted # not a comment");
	expect_psk(&s, "@east", "@west", "quoted # not a comment");
	expect_psk(&s, "@peer", "user@example.com", "abcd");
	expect_psk(&s, "@me", "@stranger", "single quoted");
	conf_secrets_free(&s);
	assert_int_equal(s.n, 0);
}

static void test_secrets_precedence(void **state)
{
	static const char text[] =
		": PSK \"bare\"\n"
		"%any @east : PSK \"any-east\"\n"
		"@west @east : PSK \"both\"\n"
		"@carol : PSK \"carol-alone\"\n"
		"@dave @erin : PSK \"dave-erin\"\n"
		"%any %any : PSK \"any-any\"\n"
		"192.0.2.23 : PSK \"by-address\"\n";
	struct conf_secrets s;
	struct errs e = { 0 };
	conf_secrets_load_string("p.secrets", text, &s, collect, &e);
	assert_int_equal(e.n, 0);
	expect_psk(&s, "@west", "@east", "both");		/* both named beats %any */
	expect_psk(&s, "@other", "@east", "any-east");		/* one named + %any */
	expect_psk(&s, "@east", "@nobody", "any-east");
	expect_psk(&s, "@west", "@carol", "carol-alone");	/* only the remote ID listed */
	expect_psk(&s, "@dave", "@frank", "bare");		/* dave-erin needs both */
	expect_psk(&s, "@dave", "@erin", "dave-erin");
	expect_psk(&s, "@x", "@y", "bare");			/* bare beats nothing, ties: first */
	expect_psk(&s, "192.0.2.45", "192.0.2.23", "by-address");
	conf_secrets_free(&s);
	conf_secrets_load_string("p.secrets", "@a @b : PSK \"ab\"\n", &s, collect, &e);
	expect_psk(&s, "@a", "@c", NULL);
	conf_secrets_free(&s);
}

static void test_secrets_include(void **state)
{
	char dir[] = "/tmp/test_secrets.XXXXXX", path[600];
	assert_non_null(mkdtemp(dir));
	testutil_write_file(dir, "ipsec.secrets", "include *.inc\n@a @b : PSK \"main\"\n");
	testutil_write_file(dir, "x.inc", "@c @d : PSK \"included\"\n");
	snprintf(path, sizeof(path), "%s/ipsec.secrets", dir);
	struct conf_secrets s;
	struct errs e = { 0 };
	assert_true(conf_secrets_load(path, &s, collect, &e));
	assert_int_equal(e.n, 0);
	assert_int_equal(s.n, 2);
	expect_psk(&s, "@c", "@d", "included");
	expect_psk(&s, "@a", "@b", "main");
	conf_secrets_free(&s);
	snprintf(path, sizeof(path), "%s/absent", dir);
	assert_false(conf_secrets_load(path, &s, collect, &e));
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_conn_errors),
		cmocka_unit_test(test_mode_protoport_natt),
		cmocka_unit_test(test_also_and_default),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_setup_seccomp),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_secrets_forms),
		cmocka_unit_test(test_secrets_precedence),
		cmocka_unit_test(test_secrets_include),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
