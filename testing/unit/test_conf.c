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
#include "plutodebug.h"
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
		"\tplutodebug=\"none\"\n"
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

/* ppk= and ppk-ids= (Libreswan's keywords and values, RFC 8784) */
static void test_conn_ppk(void **state)
{
	static const char text[] =
		"conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n"
		"conn yes\n\talso=a\n\tppk=yes\n"
		"conn propose\n\talso=a\n\tppk=propose\n"
		"conn insist\n\talso=a\n\tppk=insist\n\tppk-ids=\"PPK_ID_1 , PPK_ID_2,x\"\n"
		"conn never\n\talso=a\n\tppk=never\n"
		"conn no\n\talso=yes\n\tppk=no\n";
	struct conf_file cf;
	struct errs e = { 0 };
	conf_load_string("p.conf", text, &cf, collect, &e);
	assert_int_equal(e.n, 0);
	assert_int_equal(conf_find(&cf, "a")->ppk, CONF_PPK_NO);	/* the default */
	assert_int_equal(conf_find(&cf, "yes")->ppk, CONF_PPK_PROPOSE);
	assert_int_equal(conf_find(&cf, "propose")->ppk, CONF_PPK_PROPOSE);
	assert_int_equal(conf_find(&cf, "insist")->ppk, CONF_PPK_INSIST);
	assert_int_equal(conf_find(&cf, "never")->ppk, CONF_PPK_NO);
	assert_int_equal(conf_find(&cf, "no")->ppk, CONF_PPK_NO);
	/* the list: items without the blanks around them */
	const char *list = conf_find(&cf, "insist")->ppk_ids, *id;
	size_t len;
	assert_true(conf_ppk_ids_nth(list, 0, &id, &len));
	assert_int_equal(len, 8);
	assert_memory_equal(id, "PPK_ID_1", 8);
	assert_true(conf_ppk_ids_nth(list, 1, &id, &len));
	assert_int_equal(len, 8);
	assert_memory_equal(id, "PPK_ID_2", 8);
	assert_true(conf_ppk_ids_nth(list, 2, &id, &len));
	assert_int_equal(len, 1);
	assert_false(conf_ppk_ids_nth(list, 3, &id, &len));
	assert_true(conf_ppk_ids_allow(list, (const uint8_t *)"PPK_ID_2", 8));
	assert_false(conf_ppk_ids_allow(list, (const uint8_t *)"PPK_ID_", 7));
	assert_false(conf_ppk_ids_allow(list, (const uint8_t *)"PPK_ID_3", 8));
	/* no list: every PPK_ID */
	assert_false(conf_ppk_ids_nth("", 0, &id, &len));
	assert_true(conf_ppk_ids_allow("", (const uint8_t *)"anything", 8));
	conf_free(&cf);
	check_one_error("\tppk=maybe\n", 7, "ppk=maybe: expected propose, yes, insist, never or no");
	check_one_error("\tppk-ids=a,,b\n", 7, "ppk-ids=a,,b: an empty PPK_ID in the list");
	check_one_error("\tppk-ids=a,\n", 7, "ppk-ids=a,: an empty PPK_ID in the list");
	check_one_error("\tppk-ids=\" \"\n", 7, "ppk-ids= : expected a list of PPK_IDs");
	check_one_error("\tppk-ids=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n", 7,
			"ppk-ids=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17: more than 16 PPK_IDs");
	char longid[300], body[400], why[400];
	memset(longid, 'L', 256);
	longid[256] = '\0';
	snprintf(body, sizeof(body), "\tppk-ids=%s\n", longid);
	snprintf(why, sizeof(why), "ppk-ids=%s: a PPK_ID longer than 255 octets", longid);
	check_one_error(body, 7, why);
}

/* Certificate authentication in Libreswan's keywords (issue 8) */
static void test_conn_certs(void **state)
{
	static const char text[] =
		"conn %default\n\tauthby=rsasig\n"
		"conn certs\n\tleft=192.0.2.1\n\tleftcert=west\n\tright=192.0.2.2\n"
		"\trightid=\"C=ZZ, O=a8 test, CN=east.a8.test\"\n\trightca=%same\n\tleftsendcert=always\n"
		"conn mixed\n\tleft=192.0.2.1\n\tleftauth=ecdsa\n\tleftcert=w\n\tleftid=%fromcert\n"
		"\tright=192.0.2.2\n\trightauth=secret\n\trightid=@east\n"
		"conn sha2\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tauthby=rsa-sha2,ecdsa-sha2_384\n"
		"conn psk\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tauthby=psk\n";
	struct conf_file cf;
	struct errs e = { 0 };
	assert_true(conf_load_string("t.conf", text, &cf, collect, &e));
	assert_int_equal(e.n, 0);
	const struct conf_conn *c = conf_find(&cf, "certs");
	assert_int_equal(c->left.auth, CONF_AUTH_RSA);
	assert_int_equal(c->right.auth, CONF_AUTH_RSA);
	assert_true(c->rsa_sha1);
	assert_string_equal(c->left.cert, "west");
	assert_true(c->left.id_fromcert);	/* the default with a certificate */
	assert_false(c->right.id_fromcert);
	assert_int_equal(c->right.id.type, IKE_ID_DER_ASN1_DN);
	assert_string_equal(c->right.ca, "%same");
	assert_int_equal(c->left.sendcert, CONF_SENDCERT_ALWAYS);
	assert_int_equal(c->right.sendcert, CONF_SENDCERT_IFASKED);
	c = conf_find(&cf, "mixed");
	assert_int_equal(c->left.auth, CONF_AUTH_ECDSA);
	assert_int_equal(c->right.auth, CONF_AUTH_PSK);
	assert_true(c->left.id_fromcert);
	c = conf_find(&cf, "sha2");
	assert_int_equal(c->left.auth, CONF_AUTH_SIG);
	assert_false(c->rsa_sha1);
	c = conf_find(&cf, "psk");
	assert_int_equal(c->left.auth, CONF_AUTH_PSK);
	assert_int_equal(c->right.auth, CONF_AUTH_PSK);
	conf_free(&cf);
}

static void test_conn_errors(void **state)
{
	check_one_error("\tfoo=bar\n", 7, "unknown keyword 'foo'");
	check_one_error("\tright=192.0.2.2\n\tauthby=null\n", 8,
			"authby=null: not supported yet: NULL authentication (RFC 7619)");
	check_one_error("\tauthby=secret,rsasig\n", 7,
			"authby=secret,rsasig: a shared secret cannot be listed with signatures");
	check_one_error("\tauthby=rsa-sha3\n", 7, "authby=rsa-sha3: expected secret, rsasig, ecdsa, "
			"rsa-sha2, ecdsa-sha2 or a list of signature methods");
	check_one_error("\tleftsendcert=sometimes\n", 7,
			"leftsendcert=sometimes: expected always, sendifasked or never");
	check_one_error("\trightca=Example CA\n", 7,
			"rightca=Example CA: expected a DN (\"C=.., O=.., CN=..\"), %same or %any");
	check_one_error("\tleftid=\"C=ZZ, X=y\"\n", 7, "leftid=C=ZZ, X=y is not a valid ID");
	check_one_error("\tright=%opportunistic\n", 7, "right=%opportunistic: not supported yet: only addresses, "
			"DNS names, %any and %defaultroute are implemented (no opportunistic or group conns)");
	check_one_error("\tauto=ondemand\n", 7, "auto=ondemand: not supported yet: on-demand (trap) policies are not implemented");
	check_one_error("\tauto=route\n", 7, "auto=route: not supported yet: on-demand (trap) policies are not implemented");
	check_one_error("\tike=aes999-sha2-dh19\n", 7, "ike: unknown encryption algorithm 'aes999'");
	check_one_error("\tesp=aes_gcm256-sha2_256\n", 7, "esp: unexpected 'sha2_256' (AEAD encryption has no integrity)");
	check_one_error("\tphase2alg=aes-md5\n", 7, "esp: unknown integrity algorithm 'md5'");
	check_one_error("\tkeyexchange=ikev1\n", 7, "keyexchange=ikev1: not supported: Interlude is IKEv2-only");
	check_one_error("\ttype=passthrough\n", 7, "type=passthrough: not supported yet: shunt connections are not implemented");
	check_one_error("\taggressive=yes\n", 7, "aggressive=yes: not supported: Interlude is IKEv2-only (IKEv1 Aggressive Mode)");
	check_one_error("\tleftxauthserver=yes\n", 7, "leftxauthserver=yes: not supported: Interlude is IKEv2-only (XAUTH is IKEv1)");
	check_one_error("\tmobike=yes\n", 7, "mobike=yes: not supported yet: MOBIKE (RFC 4555) is not implemented");
	check_one_error("\tmetric=5\n", 7, "metric=5: not supported yet: the updown script's routes take no metric or MTU yet");
	check_one_error("\tnarrowing=maybe\n", 7, "narrowing=maybe: expected yes or no");
	check_one_error("\tsendca=root\n", 7, "sendca=root: expected none, issuer or all");
	check_one_error("\tdebug=all,bogus\n", 7, "debug=all,bogus: unknown debug category 'bogus' (none, all, "
			"base, cpu-usage, tmi, crypt, private, add-prefix; no-NAME turns one off)");
	check_one_error("\tdebug=refcnt\n", 7, "debug=refcnt: not supported yet: refcnt (Interlude keeps no "
			"reference counts to trace)");
	check_one_error("\treqid=0\n", 7, "reqid=0: expected 1 to 16383");
	check_one_error("\tleftnexthop=gw\n", 7, "leftnexthop=gw: expected an IP address, %defaultroute or %direct");
	check_one_error("\tleftsubnet=vnet:%priv\n", 7, "leftsubnet=vnet:%priv: not supported yet: vhost:, vnet: "
			"and %priv subnets (virtual-private=) are not implemented");
	check_one_error("\tleftsubnet=10.0.0.0/8\n\tleftsubnets=10.1.0.0/16\n", 5,
			"conn bad: leftsubnet= and leftsubnets= cannot be used together");
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
	check_one_error("\tleftid=%nonsense\n", 7, "leftid=%nonsense is not a valid ID");
	check_one_error("\tleftsubnet=10.0.0.1/8\n", 7, "leftsubnet=10.0.0.1/8 is not a valid subnet");
	check_one_error("\n\tleftsubnet\n", 8, "syntax error: expected key=value, got 'leftsubnet'");
	check_one_error("\tesp=\"aes\n", 7, "unterminated quoted value for 'esp'");
	check_one_error("\talso=nowhere\n", 7, "also=nowhere: no such conn");
	check_one_error("\tright=2001:db8::2\n", 5, "conn bad: left and right are of different address families");
	check_one_error("x=1\n", 7, "syntax error: unexpected 'x=1' in column 0");
}

/* keyexchange=ike (4.10's documented value), AEAD written with -null / -none */
static void test_keyexchange_aead_null(void **state)
{
	static const char text[] =
		"conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tkeyexchange=ike\n"
		"\tesp=aes_gcm256-null\n\tike=aes_gcm256-sha2_256-dh19\n"
		"conn b\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tkeyexchange=ikev2\n"
		"\tphase2alg=aes_gcm128-none,aes256-sha2_256\n";
	struct conf_file cf;
	struct errs e = { 0 };
	conf_load_string("k.conf", text, &cf, collect, &e);
	if (e.n)
		fail_msg("unexpected error: %s", e.text[0]);
	assert_string_equal(conf_find(&cf, "a")->esp, "aes_gcm256-null");
	assert_string_equal(conf_find(&cf, "b")->esp, "aes_gcm128-none,aes256-sha2_256");
	conf_free(&cf);
	/* -null is only the (absent) integrity of AEAD */
	check_one_error("\tesp=aes256-null\n", 7, "esp: unknown integrity algorithm 'null'");
}

/* leftsubnets={a b} and rightsubnet=c,d: one conn per pair, "NAME/LxR" from 1 */
static void test_subnet_lists(void **state)
{
	static const char text[] =
		"conn multi\n\tleft=192.0.2.1\n\tright=192.0.2.2\n"
		"\tleftsubnets=\"{10.0.1.0/24 10.0.2.0/24}\"\n\trightsubnet=10.1.0.0/16,10.2.0.0/16\n"
		"\tauto=add\n"
		"conn one\n\talso=multi\n\tleftsubnets=10.0.9.0/24\n\trightsubnet=\n";
	struct conf_file cf;
	struct errs e = { 0 };
	conf_load_string("m.conf", text, &cf, collect, &e);
	if (e.n)
		fail_msg("unexpected error: %s", e.text[0]);
	assert_int_equal(cf.nconns, 5);
	assert_null(conf_find(&cf, "multi"));
	const struct conf_conn *all[8];
	assert_int_equal(conf_find_all(&cf, "multi", all, 8), 4);
	static const char *const want[4][3] = {
		{ "multi/1x1", "10.0.1.0/24", "10.1.0.0/16" }, { "multi/1x2", "10.0.1.0/24", "10.2.0.0/16" },
		{ "multi/2x1", "10.0.2.0/24", "10.1.0.0/16" }, { "multi/2x2", "10.0.2.0/24", "10.2.0.0/16" },
	};
	char b[IP_STR_MAX];
	for (int i = 0; i < 4; i++) {
		assert_string_equal(all[i]->name, want[i][0]);
		assert_string_equal(all[i]->alias, "multi");
		assert_string_equal(ip_subnet_str(&all[i]->left.subnet, b), want[i][1]);
		assert_string_equal(ip_subnet_str(&all[i]->right.subnet, b), want[i][2]);
		assert_int_equal(all[i]->autostart, CONF_AUTO_ADD);
		assert_ptr_equal(conf_find(&cf, want[i][0]), all[i]);
	}
	/* one subnet each: a plain conn (rightsubnet= empty: the default, the host) */
	const struct conf_conn *one = conf_find(&cf, "one");
	assert_non_null(one);
	assert_string_equal(ip_subnet_str(&one->left.subnet, b), "10.0.9.0/24");
	assert_string_equal(ip_subnet_str(&one->right.subnet, b), "192.0.2.2/32");
	assert_int_equal(conf_find_all(&cf, "one", all, 8), 1);
	conf_free(&cf);
	check_one_error("\tleftsubnets=10.0.0.0/8,10.0.0.1/8\n", 7,
			"leftsubnets=10.0.0.0/8,10.0.0.1/8 is not a valid subnet");
}

/* left=NAME (getaddrinfo), %defaultroute (netlink), leftnexthop=, offline loads */
static void test_hosts(void **state)
{
	static const char text[] =
		"conn dns\n\tleft=localhost\n\tright=192.0.2.2\n\thostaddrfamily=ipv4\n"
		"\tleftnexthop=192.0.2.254\n"
		"conn bad\n\tleft=192.0.2.1\n\tright=no-such-host.invalid\n";
	struct conf_file cf;
	struct errs e = { 0 };
	char b[IP_STR_MAX];
	conf_load_string("h.conf", text, &cf, collect, &e);
	const struct conf_conn *c = conf_find(&cf, "dns");
	assert_false(c->error);
	assert_string_equal(ip_str(&c->left.addr, b), "127.0.0.1");
	assert_int_equal(c->left.host, CONF_HOST_DNS);
	assert_int_equal(c->left.id.type, IKE_ID_IPV4_ADDR);	/* the ID is the address */
	assert_string_equal(ip_subnet_str(&c->left.subnet, b), "127.0.0.1/32");
	assert_string_equal(ip_str(&c->left.nexthop, b), "192.0.2.254");
	assert_true(conf_find(&cf, "bad")->error);
	assert_int_equal(e.n, 1);
	assert_true(strncmp(e.text[0], "h.conf:6: conn bad: right=no-such-host.invalid: cannot resolve: ", 64) == 0);
	conf_free(&cf);

	/* %defaultroute: the source address of the main table's default route */
	static const char dr[] = "conn d\n\tleft=%defaultroute\n\tright=192.0.2.2\n";
	e.n = 0;
	conf_load_string("d.conf", dr, &cf, collect, &e);
	c = conf_find(&cf, "d");
	FILE *f = popen("ip -4 route show default table main 2>/dev/null", "r");
	char line[256] = "";
	bool have = f != NULL && fgets(line, sizeof(line), f) != NULL;
	if (f != NULL)
		pclose(f);
	if (have) {
		assert_false(c->error);
		assert_int_equal(c->left.addr.version, 4);
		assert_int_equal(c->left.host, CONF_HOST_DEFAULTROUTE);
	} else {
		assert_true(c->error);
		assert_string_equal(e.text[0], "d.conf:1: conn d: left=%defaultroute: no default route for IPv4");
	}
	conf_free(&cf);

	/* offline (fuzzing): neither is looked up */
	e.n = 0;
	conf_load_string_flags("o.conf", dr, &cf, collect, &e, CONF_LOAD_OFFLINE);
	expect_err(&e, 0, "o.conf:1: conn d: left: not looked up (offline)");
	conf_free(&cf);
}

/* the registry's other outcomes: the value Interlude follows anyway, x- keys,
 * obsolete keywords and names (a warning, the conn loads), reqid=, config setup */
static void test_registry_outcomes(void **state)
{
	static const char text[] =
		"config setup\n"		/* 1 */
		"\tlogtime=no\n"		/* 2 */
		"\tlogappend=no\n"		/* 3 */
		"\tdumpdir=/var/tmp\n"		/* 4 */
		"\tx-site=berlin\n"		/* 5 */
		"\tklipsdebug=none\n"		/* 6: obsolete */
		"\tvirtual-private=%v4:10.0.0.0/8\n"	/* 7: not yet */
		"conn a\n"			/* 8 */
		"\tleft=192.0.2.1\n"		/* 9 */
		"\tright=192.0.2.2\n"		/* 10 */
		"\tmobike=no\n"			/* 11: what we do anyway */
		"\taggressive=no\n"		/* 12 */
		"\tx-note=anything\n"		/* 13 */
		"\tleftfirewall=yes\n"		/* 14: obsolete */
		"\tlifetime=1h\n"		/* 15: obsolete name of salifetime */
		"\treqid=77\n"			/* 16 */
		"\tnarrowing=yes\n"		/* 17 */
		"\tleftupdown=%disabled\n"	/* 18 */
		"\tencapsulation=no\n";		/* 19 */
	struct conf_file cf;
	struct errs e = { 0 };
	conf_load_string("r.conf", text, &cf, collect, &e);
	expect_err(&e, 0, "r.conf:6: warning: klipsdebug=none: obsolete keyword, ignored (KLIPS is gone; "
		       "it has no effect with XFRM)");
	expect_err(&e, 1, "r.conf:7: virtual-private=%v4:10.0.0.0/8: not supported yet: vhost:, vnet: and "
		       "%priv subnets are not implemented");
	expect_err(&e, 2, "r.conf:14: warning: leftfirewall=yes: obsolete keyword, ignored (Libreswan: "
		       "obsolete, use updown scripts)");
	expect_err(&e, 3, "r.conf:15: warning: lifetime= is an obsolete name of salifetime=");
	assert_int_equal(e.n, 4);
	assert_int_equal(cf.nerrors, 1);
	assert_int_equal(cf.nwarnings, 3);
	assert_false(cf.setup.logtime);
	assert_false(cf.setup.logappend);
	assert_string_equal(cf.setup.dumpdir, "/var/tmp");
	const struct conf_conn *a = conf_find(&cf, "a");
	assert_false(a->error);
	assert_int_equal(a->salifetime_s, 3600);
	assert_int_equal(a->reqid, 77);
	assert_int_equal(a->encapsulation, CONF_ENCAPS_NO);
	conf_free(&cf);
	check_one_error("\tencapsulation=maybe\n", 7, "encapsulation=maybe: expected yes, no or auto");
	check_one_error("\treplay-window=5000\n", 7, "replay-window=5000: at most 4096 packets");
	check_one_error("\treplay-window=0\n\tesn=yes\n", 5, "conn bad: esn=yes needs a replay window (replay-window=0)");
	/* replay-window=0: no replay protection and so no ESN (Libreswan) */
	e.n = 0;
	conf_load_string("w.conf", "conn w\n\tleft=192.0.2.1\n\treplay-window=0\n"
			 "conn d\n\tleft=192.0.2.1\n", &cf, collect, &e);
	assert_int_equal(e.n, 0);
	assert_int_equal(conf_find(&cf, "w")->replay_window, 0);
	assert_int_equal(conf_find(&cf, "w")->esn, CONF_ESN_NO);
	assert_int_equal(conf_find(&cf, "d")->replay_window, CONF_REPLAY_WINDOW_DEFAULT);
	assert_int_equal(conf_find(&cf, "d")->esn, CONF_ESN_EITHER);
	conf_free(&cf);
}

/* plutodebug= and debug= (Libreswan's lists), narrowing= (default no), sendca=
 * (default none) */
static void test_debug_narrowing_sendca(void **state)
{
	static const char text[] =
		"config setup\n"			/* 1 */
		"\tplutodebug=\"all,no-cpu-usage crypt\"\n"	/* 2 */
		"conn d\n"				/* 3 */
		"\tleft=192.0.2.1\n"			/* 4 */
		"conn n\n"				/* 5 */
		"\tleft=192.0.2.1\n"			/* 6 */
		"\tnarrowing=yes\n"			/* 7 */
		"\tsendca=issuer\n"			/* 8 */
		"\tdebug=base+add-prefix\n"		/* 9 */
		"conn a\n"				/* 10 */
		"\tleft=192.0.2.1\n"			/* 11 */
		"\tnarrowing=no\n"			/* 12 */
		"\tsendca=all\n"			/* 13 */
		"\tdebug=none\n";			/* 14 */
	struct conf_file cf;
	struct errs e = { 0 };
	conf_load_string("d.conf", text, &cf, collect, &e);
	if (e.n)
		fail_msg("unexpected: %s", e.text[0]);
	assert_int_equal(cf.setup.plutodebug, DBG_BASE | DBG_CRYPT);
	const struct conf_conn *d = conf_find(&cf, "d"), *n = conf_find(&cf, "n"), *a = conf_find(&cf, "a");
	assert_false(d->narrowing);			/* Libreswan's default */
	assert_int_equal(d->sendca, CONF_SENDCA_NONE);	/* Libreswan's default */
	assert_int_equal(d->debug, 0);
	assert_true(n->narrowing);
	assert_int_equal(n->sendca, CONF_SENDCA_ISSUER);
	assert_int_equal(n->debug, DBG_BASE | DBG_ADD_PREFIX);
	assert_false(a->narrowing);
	assert_int_equal(a->sendca, CONF_SENDCA_ALL);
	assert_int_equal(a->debug, 0);
	conf_free(&cf);
	/* an empty plutodebug= is none, as in Libreswan; a bad one names file, line, key */
	e.n = 0;
	conf_load_string("e.conf", "config setup\n\tplutodebug=\"\"\n", &cf, collect, &e);
	assert_int_equal(e.n, 0);
	assert_int_equal(cf.setup.plutodebug, 0);
	conf_free(&cf);
	e.n = 0;
	conf_load_string("f.conf", "config setup\n\tuniqueids=yes\n\tplutodebug=control\n", &cf, collect, &e);
	expect_err(&e, 0, "f.conf:3: plutodebug=control: unknown debug category 'control' (none, all, base, "
		   "cpu-usage, tmi, crypt, private, add-prefix; no-NAME turns one off)");
	assert_int_equal(cf.nerrors, 1);
	conf_free(&cf);
}

/* conf_messages(): each conn's own messages, those of the sections it uses, and the
 * file's (config setup) apart */
static void test_messages_per_conn(void **state)
{
	static const char text[] =
		"config setup\n"		/* 1 */
		"\tmystery=1\n"		/* 2 */
		"conn %default\n"		/* 3 */
		"\tbroken line\n"		/* 4 */
		"conn base\n"			/* 5 */
		"\tnot a key\n"		/* 6 */
		"conn a\n"			/* 7 */
		"\talso=base\n"		/* 8 */
		"\tleft=192.0.2.1\n"		/* 9 */
		"\tmobike=yes\n"		/* 10 */
		"conn s\n"			/* 11 */
		"\tleft=192.0.2.1\n"		/* 12 */
		"\tleftsubnets=10.0.1.0/24,10.0.2.0/24\n"	/* 13 */
		"\tfoo=1\n";			/* 14 */
	struct conf_file cf;
	struct errs e = { 0 };
	conf_load_string("p.conf", text, &cf, NULL, NULL);
	conf_messages(&cf, NULL, collect, &e);
	expect_err(&e, 0, "p.conf:2: unknown keyword 'mystery' in config setup");
	assert_int_equal(e.n, 1);
	e.n = 0;
	conf_messages(&cf, conf_find(&cf, "a"), collect, &e);
	expect_err(&e, 0, "p.conf:6: syntax error: expected key=value, got 'not a key'");
	expect_err(&e, 1, "p.conf:4: syntax error: expected key=value, got 'broken line'");
	expect_err(&e, 2, "p.conf:10: mobike=yes: not supported yet: MOBIKE (RFC 4555) is not implemented");
	assert_int_equal(e.n, 3);
	e.n = 0;
	conf_messages(&cf, conf_find(&cf, "s/2x1"), collect, &e);
	expect_err(&e, 0, "p.conf:4: syntax error: expected key=value, got 'broken line'");
	expect_err(&e, 1, "p.conf:14: unknown keyword 'foo'");
	assert_int_equal(e.n, 2);
	assert_true(conf_find(&cf, "s/1x1")->error);
	conf_free(&cf);
}

/* Every keyword of the registry with its typical value: accepted, or refused with a
 * "not supported" message naming it, or an obsolete warning; never unknown.  And
 * every keyword of Libreswan's documentation (testing/unit/libreswan-keywords.txt,
 * from 4.10's ipsec.conf(5) and 5.x's sources) is in the registry. */
static void test_every_keyword(void **state)
{
	static const char *const elsewhere[] = {	/* added by other branches */
		"seccomp", "ddos-mode", "ddos-ike-threshold", "max-halfopen-ike",
	};
	size_t n;
	const struct conf_keyword *kw = conf_keywords(&n);
	assert_true(n > 200);
	for (size_t i = 0; i < n; i++) {
		char text[2048], key[96];
		snprintf(key, sizeof(key), "%s%s", kw[i].section == CONF_KW_END ? "right" : "", kw[i].name);
		if (kw[i].section == CONF_KW_SETUP)
			snprintf(text, sizeof(text), "config setup\n\t%s=\"%s\"\n", key, kw[i].example);
		else
			snprintf(text, sizeof(text), "conn k\n\tleft=192.0.2.1\n%s\t%s=\"%s\"\n",
				 kw[i].section == CONF_KW_END && kw[i].name[0] == '\0' ? "" : "\tright=192.0.2.2\n",
				 key, kw[i].example);
		struct conf_file cf;
		struct errs e = { 0 };
		conf_load_string_flags("kw.conf", text, &cf, collect, &e, CONF_LOAD_OFFLINE);
		/* an alias behaves as its keyword (an obsolete name warns first) */
		const struct conf_keyword *t = kw[i].alias_of != NULL ?
			conf_keyword_find(kw[i].section, kw[i].alias_of) : &kw[i];
		assert_non_null(t);
		bool refused = t->status == CONF_KW_IKEV1 || t->status == CONF_KW_NOT_YET;
		bool same = false;	/* the example is a value Interlude follows anyway */
		if (t->same != NULL) {
			char list[256];
			snprintf(list, sizeof(list), "|%s|", t->same);
			char v[128];
			snprintf(v, sizeof(v), "|%s|", kw[i].example);
			same = strstr(list, v) != NULL;
		}
		if (strcmp(key, "rightnexthop") == 0) {
			/* %defaultroute is looked up: offline, that is the one message */
			expect_err(&e, 0, "kw.conf:1: conn k: rightnexthop: not looked up (offline)");
		} else if (kw[i].alias_of != NULL && kw[i].status == CONF_KW_OBSOLETE) {
			char w[256];
			snprintf(w, sizeof(w), "kw.conf:4: warning: %s= is %s", key, kw[i].why);
			expect_err(&e, 0, w);
			assert_int_equal(e.n, 1);
		} else if (t->status == CONF_KW_IMPLEMENTED || (refused && same)) {
			if (e.n != 0)
				fail_msg("%s=%s: %s", key, kw[i].example, e.text[0]);
		} else {
			if (e.n != 1)
				fail_msg("%s=%s: %d messages", key, kw[i].example, e.n);
			const char *want = t->status == CONF_KW_OBSOLETE ? "warning: " :
					   t->status == CONF_KW_IKEV1 ? "not supported: Interlude is IKEv2-only" :
					   "not supported yet: ";
			if (strstr(e.text[0], want) == NULL || strstr(e.text[0], key) == NULL)
				fail_msg("%s: '%s' lacks '%s'", key, e.text[0], want);
		}
		assert_int_equal(cf.nerrors, refused && !same ? 1 : strcmp(key, "rightnexthop") == 0);
		conf_free(&cf);
	}

	char path[600];
	snprintf(path, sizeof(path), "%s/testing/unit/libreswan-keywords.txt", SRCDIR);
	char *list = testutil_slurp(path), *save = NULL;
	unsigned checked = 0;
	for (char *l = strtok_r(list, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		char sect[16], name[96];
		if (l[0] == '#' || sscanf(l, "%15s %95s", sect, name) != 2)
			continue;
		bool skip = false;
		for (size_t j = 0; j < sizeof(elsewhere) / sizeof(elsewhere[0]); j++)
			skip |= strcmp(name, elsewhere[j]) == 0;
		checked++;
		if (skip)
			continue;
		const struct conf_keyword *k;
		if (strcmp(sect, "setup") == 0)
			k = conf_keyword_find(CONF_KW_SETUP, name);
		else
			k = conf_keyword_find(CONF_KW_CONN, name) != NULL ? conf_keyword_find(CONF_KW_CONN, name) :
			    strncmp(name, "left", 4) == 0 ? conf_keyword_find(CONF_KW_END, name + 4) : NULL;
		if (k == NULL)
			fail_msg("%s keyword '%s' of Libreswan's documentation is not in the registry", sect, name);
	}
	free(list);
	assert_true(checked > 190);
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

/* ddos-mode=, ddos-ike-threshold=, max-halfopen-ike= (Libreswan's keywords) */
static void test_ddos_setup(void **state)
{
	struct conf_file cf;
	struct errs e = { 0 };
	assert_true(conf_load_string("d.conf", "config setup\n\tddos-mode=busy\n\tddos-ike-threshold=10\n"
				     "\tmax-halfopen-ike=20\n", &cf, collect, &e));
	assert_int_equal(e.n, 0);
	assert_int_equal(cf.setup.ddos_mode, CONF_DDOS_BUSY);
	assert_int_equal(cf.setup.ddos_ike_threshold, 10);
	assert_int_equal(cf.setup.max_halfopen_ike, 20);
	conf_free(&cf);
	assert_true(conf_load_string("e.conf", "config setup\n\tprotostack=none\n", &cf, collect, &e));
	assert_int_equal(cf.setup.ddos_mode, CONF_DDOS_AUTO);
	assert_int_equal(cf.setup.ddos_ike_threshold, CONF_DDOS_IKE_THRESHOLD_DEFAULT);
	assert_int_equal(cf.setup.max_halfopen_ike, CONF_MAX_HALFOPEN_IKE_DEFAULT);
	conf_free(&cf);
	assert_true(conf_load_string("f.conf", "config setup\n\tddos-mode=sometimes\n\tmax-halfopen-ike=0\n",
				     &cf, collect, &e));
	assert_int_equal(e.n, 2);
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

/* nhelpers= (Libreswan): -1 (default: from the CPU count), 0 (inline) or a count */
static void test_setup_nhelpers(void **state)
{
	static const char *const vals[] = { "-1", "0", "1", "64" };
	static const int want[] = { CONF_NHELPERS_AUTO, 0, 1, 64 };
	struct conf_file cf;
	struct errs e = { 0 };
	for (size_t i = 0; i < 4; i++) {
		char text[64];
		snprintf(text, sizeof(text), "config setup\n\tnhelpers=%s\n", vals[i]);
		assert_true(conf_load_string("n.conf", text, &cf, collect, &e));
		assert_int_equal(e.n, 0);
		assert_int_equal(cf.setup.nhelpers, want[i]);
		conf_free(&cf);
	}
	assert_int_equal(conf_keyword_find(CONF_KW_SETUP, "nhelpers")->status, CONF_KW_IMPLEMENTED);
	assert_true(conf_load_string("d.conf", "config setup\n\tuniqueids=yes\n", &cf, collect, &e));
	assert_int_equal(cf.setup.nhelpers, CONF_NHELPERS_AUTO);
	conf_free(&cf);
	assert_true(conf_load_string("b.conf", "config setup\n\tnhelpers=65\n\tnhelpers=-2\n\tnhelpers=two\n",
				     &cf, collect, &e));
	assert_int_equal(e.n, 3);
	expect_err(&e, 0, "b.conf:2: nhelpers=65: expected -1 or 0 to 64");
	assert_int_equal(cf.setup.nhelpers, CONF_NHELPERS_AUTO);
	conf_free(&cf);
	(void)state;
}

/* keylog-dir= (Interlude's own): an absolute directory, off by default */
static void test_setup_keylog_dir(void **state)
{
	struct conf_file cf;
	struct errs e = { 0 };
	assert_true(conf_load_string("k.conf", "config setup\n\tkeylog-dir=/var/lib/ipsec/keylog\n", &cf, collect, &e));
	assert_int_equal(e.n, 0);
	assert_int_equal(cf.nerrors, 0);
	assert_string_equal(cf.setup.keylog_dir, "/var/lib/ipsec/keylog");
	assert_int_equal(conf_keyword_find(CONF_KW_SETUP, "keylog-dir")->status, CONF_KW_IMPLEMENTED);
	conf_free(&cf);
	assert_true(conf_load_string("d.conf", "config setup\n\tuniqueids=yes\n", &cf, collect, &e));
	assert_string_equal(cf.setup.keylog_dir, "");
	conf_free(&cf);
	assert_true(conf_load_string("r.conf", "config setup\n\tkeylog-dir=keys\n", &cf, collect, &e));
	expect_err(&e, 0, "r.conf:2: keylog-dir=keys: not an absolute path");
	assert_int_equal(e.n, 1);
	assert_int_equal(cf.nerrors, 1);
	assert_string_equal(cf.setup.keylog_dir, "");
	conf_free(&cf);
	(void)state;
}

/* leftupdown=, leftsourceip=, mark=, mark-in=, mark-out=, updown-timeout= (issue 10) */
static void test_updown_sourceip_marks(void **state)
{
	static const char text[] =
		"config setup\n"						/* 1 */
		"\tupdown-timeout=90s\n"					/* 2 */
		"conn %default\n"						/* 3 */
		"\tmark-out=0x10/0xf0\n"					/* 4 */
		"conn a\n"							/* 5 */
		"\tleft=192.0.2.1\n"						/* 6 */
		"\tleftsubnet=10.0.1.0/24\n"					/* 7 */
		"\tleftsourceip=10.0.1.1\n"					/* 8 */
		"\tleftupdown=\"/usr/local/bin/updown --x 'y z'\"\n"	/* 9 */
		"\tright=192.0.2.2\n"						/* 10 */
		"\trightupdown=%disabled\n"					/* 11 */
		"\tmark=-1\n"							/* 12 */
		"conn b\n"							/* 13 */
		"\tleft=2001:db8::1\n"					/* 14 */
		"\tleftsubnet=2001:db8:1::/64\n"				/* 15 */
		"\tleftsourceip=2001:db8:1::1\n"				/* 16 */
		"\tright=2001:db8::2\n"					/* 17 */
		"\tmark=7\n"							/* 18 */
		"\tmark-in=0x100/0xf00\n"					/* 19 */
		"conn c\n"							/* 20 */
		"\tleft=192.0.2.1\n"						/* 21 */
		"\tleftsourceip=192.0.2.1\n";					/* 22: the host itself */
	struct conf_file cf;
	struct errs e = { 0 };
	assert_true(conf_load_string("u.conf", text, &cf, collect, &e));
	assert_int_equal(e.n, 0);
	assert_int_equal(cf.setup.updown_timeout_s, 90);
	const struct conf_conn *a = conf_find(&cf, "a"), *b = conf_find(&cf, "b"), *c = conf_find(&cf, "c");
	assert_string_equal(a->left.updown, "/usr/local/bin/updown --x 'y z'");
	assert_string_equal(a->right.updown, "");		/* %disabled */
	assert_string_equal(b->left.updown, CONF_UPDOWN_DEFAULT);
	assert_string_equal(b->left.updown, "ipsec _updown");
	char ip[IP_STR_MAX];
	assert_string_equal(ip_str(&a->left.sourceip, ip), "10.0.1.1");
	assert_string_equal(ip_str(&b->left.sourceip, ip), "2001:db8:1::1");
	assert_string_equal(ip_str(&c->left.sourceip, ip), "192.0.2.1");
	assert_int_equal(a->right.sourceip.version, 0);
	/* mark=-1 both ways; %default's mark-out= wins over the conn's mark= */
	assert_true(a->mark_in.set && a->mark_in.unique);
	assert_int_equal(a->mark_in.mask, 0xffffffffu);
	assert_true(a->mark_out.set && !a->mark_out.unique);
	assert_int_equal(a->mark_out.value, 0x10);
	assert_int_equal(a->mark_out.mask, 0xf0);
	assert_int_equal(b->mark_in.value, 0x100);
	assert_int_equal(b->mark_in.mask, 0xf00);
	assert_int_equal(b->mark_out.value, 0x10);	/* %default again */
	assert_false(c->mark_in.set);
	conf_free(&cf);
	e.n = 0;
	assert_true(conf_load_string("d.conf", "config setup\n\tuniqueids=yes\n", &cf, collect, &e));
	assert_int_equal(cf.setup.updown_timeout_s, CONF_UPDOWN_TIMEOUT_DEFAULT_S);
	conf_free(&cf);

	/* the sourceip must be one of the end's own client addresses, reported at its line */
	check_one_error("\tleftsourceip=192.0.2.9\n", 7, "leftsourceip=192.0.2.9: not inside leftsubnet=192.0.2.1/32");
	check_one_error("\tleftsubnet=10.0.1.0/24\n\tleftsourceip=10.0.2.1\n", 8,
			"leftsourceip=10.0.2.1: not inside leftsubnet=10.0.1.0/24");
	/* with a list, inside each of them (every conn of the list fails) */
	e.n = 0;
	assert_true(conf_load_string("l.conf", "conn l\n\tleft=192.0.2.1\n\tleftsubnets={10.0.1.0/24 10.0.2.0/24}\n"
				     "\tleftsourceip=10.0.1.1\n", &cf, collect, &e));
	assert_int_equal(e.n, 1);
	expect_err(&e, 0, "l.conf:4: leftsourceip=10.0.1.1: not inside leftsubnet=10.0.2.0/24");
	assert_true(conf_find(&cf, "l/1x1")->error);
	assert_true(conf_find(&cf, "l/2x1")->error);
	conf_free(&cf);
	check_one_error("\tleftsubnet=10.0.1.0/24\n\tleftsourceip=2001:db8::1\n", 8,
			"leftsourceip=2001:db8::1: not inside leftsubnet=10.0.1.0/24");
	check_one_error("\tright=%any\n\trightsourceip=10.0.0.1\n", 8,
			"rightsourceip=10.0.0.1: needs rightsubnet= (right=%any has no address)");
	check_one_error("\tleftsourceip=nonsense\n", 7, "leftsourceip=nonsense is not an IP address");
	check_one_error("\tleftsourceip=%config\n", 7, "leftsourceip=%config: not supported yet: the IKEv2 "
			"configuration payload (address pools, DNS) is not implemented");
	/* updown commands */
	check_one_error("\trightupdown=%none\n", 7, "rightupdown=%none: expected a command or %disabled");
	check_one_error("\tleftupdown=\"   \"\n", 7, "leftupdown=   : expected a command or %disabled");
	/* marks */
	check_one_error("\tmark=7/0\n", 7, "mark=7/0: a mask of 0 would match every packet");
	check_one_error("\tmark-in=0x100/0xff\n", 7, "mark-in=0x100/0xff: the value has bits outside the mask");
	check_one_error("\tmark-out=-2\n", 7, "mark-out=-2: expected VALUE[/MASK] (numbers up to 0xffffffff; "
			"VALUE -1 for a unique mark per Child SA)");
	check_one_error("\tmark=4294967296\n", 7, "mark=4294967296: expected VALUE[/MASK] (numbers up to 0xffffffff; "
			"VALUE -1 for a unique mark per Child SA)");
	check_one_error("\tmark=7/x\n", 7, "mark=7/x: the mask is not a number up to 0xffffffff");
	check_one_error("\tmark=7/\n", 7, "mark=7/: the mask is not a number up to 0xffffffff");

	/* conf_mark_parse() itself */
	struct conf_mark m;
	char why[256];
	assert_true(conf_mark_parse("mark", "0x7", &m, why, sizeof(why)));
	assert_true(m.set && !m.unique && m.value == 7 && m.mask == 0xffffffffu);
	assert_true(conf_mark_parse("mark", "4294967295/0xffffffff", &m, why, sizeof(why)));
	assert_int_equal(m.value, 0xffffffffu);
	assert_true(conf_mark_parse("mark", "-1/0xf00", &m, why, sizeof(why)));
	assert_true(m.unique && m.mask == 0xf00);
	assert_true(conf_mark_parse("mark", "0/0xff", &m, why, sizeof(why)));	/* unmarked packets only */
	assert_false(conf_mark_parse("mark", "", &m, why, sizeof(why)));
	assert_false(conf_mark_parse("mark", "-1/0", &m, why, sizeof(why)));
	assert_false(conf_mark_parse("mark", "+5", &m, why, sizeof(why)));
	assert_false(conf_mark_parse("mark", " 5", &m, why, sizeof(why)));
	assert_false(conf_mark_parse("mark", "5/-1", &m, why, sizeof(why)));
	assert_false(conf_mark_parse("mark", "5x", &m, why, sizeof(why)));

	/* updown-timeout= */
	e.n = 0;
	assert_true(conf_load_string("t.conf", "config setup\n\tupdown-timeout=2h\n\tupdown-timeout=0\n", &cf, collect, &e));
	expect_err(&e, 0, "t.conf:2: updown-timeout=2h: at most 3600 seconds");
	expect_err(&e, 1, "t.conf:3: updown-timeout=0 is not a valid duration");
	assert_int_equal(cf.setup.updown_timeout_s, CONF_UPDOWN_TIMEOUT_DEFAULT_S);
	conf_free(&cf);
	(void)state;
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
	expect_err(&e, 3, "s.conf:12: protostack=klips: not supported: only xfrm (netkey) or none");
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
	expect_err(&e, 0, "ipsec.secrets:6: only PSK and PPKS secrets are supported");
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

/* RFC 8784 PPKs: "IDs : PPKS "PPK_ID" SECRET" (ipsec.secrets(5)), the secret in any
 * PSK form; the errors name file:line; PSK and PPK lookups do not mix */
static const struct conf_secret *expect_ppk(const struct conf_secrets *s, const char *l, const char *r,
					    const char *ppk_id, const char *want_id, const char *want)
{
	struct ike_id a = id(l), b = id(r);
	const struct conf_secret *e = conf_secrets_ppk(s, &a, &b, (const uint8_t *)ppk_id,
						       ppk_id != NULL ? strlen(ppk_id) : 0);
	if (want == NULL) {
		assert_null(e);
		return NULL;
	}
	assert_non_null(e);
	assert_int_equal(e->kind, CONF_SECRET_PPKS);
	if (e->ppk_id.len != strlen(want_id) || memcmp(e->ppk_id.ptr, want_id, e->ppk_id.len) != 0)
		fail_msg("%s %s: PPK_ID '%.*s', want '%s'", l, r, (int)e->ppk_id.len, e->ppk_id.ptr, want_id);
	if (e->psk.len != strlen(want) || memcmp(e->psk.ptr, want, e->psk.len) != 0)
		fail_msg("%s %s: PPK '%.*s', want '%s'", l, r, (int)e->psk.len, e->psk.ptr, want);
	return e;
}

static void test_secrets_ppk(void **state)
{
	static const char text[] =
		"@west @east : PSK \"the psk\"\n"				/* 1 */
		"@west @east : PPKS \"PPK_ID_1\" \"first ppk\"\n"		/* 2 */
		"@west @east : PPKS \"PPK_ID_2\" 0x7365636f6e64\n"		/* 3: "second" */
		"@carol\n"							/* 4 */
		"   : ppks 'carol id' 0sY2Fyb2w=\n"				/* 5: "carol" */
		"@bad : PPKS PPK_ID_1 \"unquoted id\"\n"			/* 6 */
		"@bad : PPKS \"only an id\"\n"					/* 7 */
		"@bad : PPKS \"\" \"empty id\"\n"				/* 8 */
		"@bad : PPKS \"id\" 0xabc\n"					/* 9 */
		"@bad : PPKS \"id\" \"x\" \"extra\"\n"				/* 10 */
		"%fromcert : PPKS \"id\" \"x\"\n"				/* 11 */
		": PPKS \"ANY\" \"for every pair\"\n"				/* 12 */
		"@bad : XAUTH \"pw\"\n";					/* 13 */
	static const char ppkerr[] = "PPKS must be a \"quoted PPK_ID\" followed by the PPK (a \"quoted string\", "
				     "0x hex or 0s base64 value)";
	char w[300];
	struct conf_secrets s;
	struct errs e = { 0 };
	assert_true(conf_secrets_load_string("ppk.secrets", text, &s, collect, &e));
	snprintf(w, sizeof(w), "ppk.secrets:6: %s", ppkerr);
	expect_err(&e, 0, w);
	snprintf(w, sizeof(w), "ppk.secrets:7: %s", ppkerr);
	expect_err(&e, 1, w);
	expect_err(&e, 2, "ppk.secrets:8: PPKS: the PPK_ID must be 1 to 255 octets");
	expect_err(&e, 3, "ppk.secrets:9: PPKS: the PPK must be one \"quoted string\", 0x hex or 0s base64 value");
	snprintf(w, sizeof(w), "ppk.secrets:10: %s", ppkerr);
	expect_err(&e, 4, w);
	expect_err(&e, 5, "ppk.secrets:11: bad ID '%fromcert'");
	expect_err(&e, 6, "ppk.secrets:13: only PSK and PPKS secrets are supported");
	assert_int_equal(e.n, 7);
	assert_int_equal(s.n, 5);
	/* the PSK lookup sees only the PSK */
	expect_psk(&s, "@west", "@east", "the psk");
	expect_psk(&s, "@carol", "@dave", NULL);
	/* by the IDs, as a PSK: the first of the best fitting entries */
	expect_ppk(&s, "@west", "@east", NULL, "PPK_ID_1", "first ppk");
	expect_ppk(&s, "@east", "@west", NULL, "PPK_ID_1", "first ppk");
	/* by PPK_ID (a responder, ppk-ids=), still among the entries for the IDs */
	expect_ppk(&s, "@west", "@east", "PPK_ID_2", "PPK_ID_2", "second");
	expect_ppk(&s, "@dave", "@carol", "carol id", "carol id", "carol");
	expect_ppk(&s, "@dave", "@erin", "carol id", NULL, NULL);
	expect_ppk(&s, "@dave", "@erin", "PPK_ID_1", NULL, NULL);
	/* the entry without IDs: any pair, below every named one */
	expect_ppk(&s, "@dave", "@erin", NULL, "ANY", "for every pair");
	expect_ppk(&s, "@west", "@east", "ANY", "ANY", "for every pair");
	expect_ppk(&s, "@west", "@east", "PPK_ID_3", NULL, NULL);
	conf_secrets_free(&s);
	assert_int_equal(s.n, 0);
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
		cmocka_unit_test(test_conn_certs),
		cmocka_unit_test(test_conn_errors),
		cmocka_unit_test(test_mode_protoport_natt),
		cmocka_unit_test(test_keyexchange_aead_null),
		cmocka_unit_test(test_subnet_lists),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_registry_outcomes),
		cmocka_unit_test(test_debug_narrowing_sendca),
		cmocka_unit_test(test_messages_per_conn),
		cmocka_unit_test(test_every_keyword),
		cmocka_unit_test(test_also_and_default),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_ddos_setup),
		cmocka_unit_test(test_setup_seccomp),
		cmocka_unit_test(test_setup_keylog_dir),
		cmocka_unit_test(test_updown_sourceip_marks),
		cmocka_unit_test(test_setup_nhelpers),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_secrets_forms),
		cmocka_unit_test(test_secrets_precedence),
		cmocka_unit_test(test_secrets_include),
		cmocka_unit_test(test_secrets_ppk),
		cmocka_unit_test(test_conn_ppk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
