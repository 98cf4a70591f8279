/* test_pluto_updown.c -- the updown script's pieces (updown.h): the messages between
 * pluto and its helper, the command and verb Libreswan's interface expects, the
 * PLUTO_* environment, mark=-1's values, and the helper process itself, forked here
 * as pluto forks it: output and exit status reported, the script's process set up
 * (own session, stdin /dev/null, no descriptor but 0-2, no ignored signal), a hung
 * script killed after its time limit, runs of one tunnel in order, END honoured. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <time.h>
#include "pluto.h"
#include "tsel.h"
#include "updown.h"

/* --- messages ---------------------------------------------------------------------- */

static void test_request_round_trip(void **state)
{
	uint8_t buf[UPDOWN_MSG_MAX];
	struct updown_request r = { .id = 7, .timeout_ms = 2500, .key = "k", .conn = "west-east",
				    .verb = "up-client", .cmd = "ipsec _updown --route yes", .nenv = 2,
				    .env = { "PLUTO_VERB=up-client", "PLUTO_ME=192.0.2.45" } };
	size_t n = updown_encode_request(&r, buf, sizeof(buf));
	assert_true(n > 0);
	struct updown_request d;
	assert_true(updown_decode_request(buf, n, &d));
	assert_int_equal(d.id, 7);
	assert_int_equal(d.timeout_ms, 2500);
	assert_string_equal(d.key, "k");
	assert_string_equal(d.conn, "west-east");
	assert_string_equal(d.verb, "up-client");
	assert_string_equal(d.cmd, "ipsec _updown --route yes");
	assert_int_equal(d.nenv, 2);
	assert_string_equal(d.env[1], "PLUTO_ME=192.0.2.45");
	/* every truncation fails, and so do a trailing octet and a wrong type */
	for (size_t len = 0; len < n; len++) {
		uint8_t c[UPDOWN_MSG_MAX];
		memcpy(c, buf, len);
		assert_false(updown_decode_request(c, len, &d));
	}
	uint8_t c[UPDOWN_MSG_MAX];
	memcpy(c, buf, n);
	c[n] = 'x';
	assert_false(updown_decode_request(c, n + 1, &d));
	memcpy(c, buf, n);
	c[0] = 'R';
	assert_false(updown_decode_request(c, n, &d));
	/* an environment entry must be NAME=VALUE */
	static const char *const bad_env[] = { "NOEQUALS", "=value", "BAD NAME=x", "A-B=x" };
	for (size_t i = 0; i < sizeof(bad_env) / sizeof(bad_env[0]); i++) {
		struct updown_request b = r;
		b.env[0] = bad_env[i];
		n = updown_encode_request(&b, buf, sizeof(buf));
		assert_false(updown_decode_request(buf, n, &d));
	}
	/* a command is required; too many variables or octets do not encode */
	struct updown_request e = r;
	e.cmd = "";
	n = updown_encode_request(&e, buf, sizeof(buf));
	assert_false(updown_decode_request(buf, n, &d));
	e = r;
	e.nenv = UPDOWN_ENV_MAX + 1;
	assert_int_equal(updown_encode_request(&e, buf, sizeof(buf)), 0);
	assert_int_equal(updown_encode_request(&r, buf, 20), 0);
	(void)state;
}

static void test_report_round_trip(void **state)
{
	uint8_t buf[UPDOWN_MSG_MAX];
	struct updown_report r = { .kind = UPDOWN_TIMEDOUT, .id = 9, .code = SIGKILL, .ms = 4004,
				   .conn = "west-hang", .verb = "up-client", .text = "" };
	size_t n = updown_encode_report(&r, buf, sizeof(buf));
	struct updown_report d;
	assert_true(updown_decode_report(buf, n, &d));
	assert_int_equal(d.kind, UPDOWN_TIMEDOUT);
	assert_int_equal(d.id, 9);
	assert_int_equal(d.code, SIGKILL);
	assert_int_equal(d.ms, 4004);
	assert_string_equal(d.conn, "west-hang");
	assert_string_equal(d.text, "");
	for (size_t len = 0; len < n; len++)
		assert_false(updown_decode_report(buf, len, &d));
	buf[0] = 'Z';
	assert_false(updown_decode_report(buf, n, &d));
	(void)state;
}

/* --- the command, the verb, mark=-1 ----------------------------------------------------- */

static void test_command(void **state)
{
	char out[256];
	/* Libreswan's default (and ours): our script, quoted, with the arguments */
	assert_true(updown_command("ipsec _updown", "/usr/libexec/ipsec/_updown", out, sizeof(out)));
	assert_string_equal(out, "'/usr/libexec/ipsec/_updown'");
	assert_true(updown_command("ipsec _updown --route yes", "/usr/libexec/ipsec/_updown", out, sizeof(out)));
	assert_string_equal(out, "'/usr/libexec/ipsec/_updown' --route yes");
	assert_true(updown_command("ipsec _updown", "/opt/it's/_updown", out, sizeof(out)));
	assert_string_equal(out, "'/opt/it'\\''s/_updown'");
	/* anything else as written */
	assert_true(updown_command("ipsec _updownx", "/x/_updown", out, sizeof(out)));
	assert_string_equal(out, "ipsec _updownx");
	assert_true(updown_command("/etc/ipsec.d/my-updown 'a b'", "/x/_updown", out, sizeof(out)));
	assert_string_equal(out, "/etc/ipsec.d/my-updown 'a b'");
	/* without our script beside pluto: through PATH */
	assert_true(updown_command("ipsec _updown", "", out, sizeof(out)));
	assert_string_equal(out, "ipsec _updown");
	/* what does not fit is refused, never cut */
	assert_false(updown_command("ipsec _updown", "/a/very/long/path/_updown", out, 10));
	assert_false(updown_command("0123456789", "", out, 10));
	(void)state;
}

static void sel(struct ike_ts *t, const char *a, unsigned prefix)
{
	struct ip_subnet sn;
	char s[64];
	snprintf(s, sizeof(s), "%s/%u", a, prefix);
	assert_true(ip_subnet_parse(s, &sn));
	tsel_from_subnet(&sn, 0, 0, t);
}

static void test_verb(void **state)
{
	struct child_sa c = { 0 };
	struct ike_ts tl[1];
	char v[32];
	c.ts_local.ts = tl;
	assert_true(ip_parse("192.0.2.45", &c.local));
	c.ts_local.n = 1;
	sel(&c.ts_local.ts[0], "192.0.2.64", 28);
	updown_verb(&c, "up", v, sizeof(v));
	assert_string_equal(v, "up-client");
	/* our selector is our IKE address: -host */
	sel(&c.ts_local.ts[0], "192.0.2.45", 32);
	updown_verb(&c, "down", v, sizeof(v));
	assert_string_equal(v, "down-host");
	/* IPv6 gateways: -v6 */
	assert_true(ip_parse("2001:db8:1::45", &c.local));
	sel(&c.ts_local.ts[0], "2001:db8:2::", 64);
	updown_verb(&c, "route", v, sizeof(v));
	assert_string_equal(v, "route-client-v6");
	sel(&c.ts_local.ts[0], "2001:db8:1::45", 128);
	updown_verb(&c, "unroute", v, sizeof(v));
	assert_string_equal(v, "unroute-host-v6");
	(void)state;
}

static void test_mark_unique(void **state)
{
	assert_int_equal(child_mark_unique(1, 0xffffffffu), 1);
	assert_int_equal(child_mark_unique(77, 0xffffffffu), 77);
	/* the counter's bits go into the mask's bits, lowest first */
	assert_int_equal(child_mark_unique(1, 0xf00), 0x100);
	assert_int_equal(child_mark_unique(3, 0xf00), 0x300);
	assert_int_equal(child_mark_unique(15, 0xf00), 0xf00);
	assert_int_equal(child_mark_unique(0x1f, 0xf0f), 0x10f);
	/* every value matches under its mask */
	for (uint32_t n = 1; n < 16; n++)
		assert_int_equal(child_mark_unique(n, 0xf0) & ~0xf0u, 0);
	/* more tunnels than the mask has values: 0 (pluto starts again) */
	assert_int_equal(child_mark_unique(16, 0xf00), 0);
	assert_int_equal(child_mark_unique(2, 0x1), 0);
	(void)state;
}

/* --- the environment ---------------------------------------------------------------------- */

static const char *env_get(const char **env, size_t n, const char *name)
{
	size_t l = strlen(name);
	for (size_t i = 0; i < n; i++)
		if (strncmp(env[i], name, l) == 0 && env[i][l] == '=')
			return env[i] + l + 1;
	return NULL;
}

static void test_env(void **state)
{
	char text[] = "conn t\n\tleft=192.0.2.45\n\tleftid=@west\n\tleftsubnet=192.0.2.64/28\n"
		      "\tleftsourceip=192.0.2.65\n\tleftnexthop=192.0.2.1\n\tright=192.0.2.23\n"
		      "\trightsubnet=192.0.2.80/28\n\trightprotoport=tcp/443\n\tauthby=secret\n"
		      "\tpfs=no\n\trekey=no\n\ttype=tunnel\n\tauto=start\n\tesn=yes\n";
	struct conf_file cf;
	assert_true(conf_load_string("e.conf", text, &cf, NULL, NULL));
	struct pluto p = { 0 };
	p.kernel = &kernel_none_ops;
	timers_use_manual(&p, 5000000);
	struct connection c = { 0 };
	c.conf = cf.conns[0];
	snprintf(c.name, sizeof(c.name), "t");
	c.local = &c.conf.left;
	c.remote = &c.conf.right;
	c.pluto = &p;
	struct ike_sa ike = { 0 };
	ike.pluto = &p;
	ike.c = &c;
	/* the peer's ID as authenticated, with characters a shell would act on */
	ike.peer_id = strdup("@east'$(reboot)`x`\n");
	struct child_sa ch = { 0 };
	struct ike_ts tl[1], tr[1];
	ch.ts_local.ts = tl;
	ch.ts_remote.ts = tr;
	ch.c = &c;
	ch.ike = &ike;
	ch.installed = true;
	ch.installed_ms = 5000000 - 3000;
	ch.reqid = 1234;
	ch.spi_local[3] = 0x11;
	ch.spi_remote[0] = 0xab;
	ch.mark_in = (struct conf_mark){ .set = true, .value = 7, .mask = 0xff };
	assert_true(ip_parse("192.0.2.45", &ch.local));
	assert_true(ip_parse("192.0.2.23", &ch.remote));
	ch.ts_local.n = ch.ts_remote.n = 1;
	sel(&ch.ts_local.ts[0], "192.0.2.64", 28);
	sel(&ch.ts_remote.ts[0], "192.0.2.80", 28);
	ch.ts_remote.ts[0].ipproto = 6;
	ch.ts_remote.ts[0].sport = ch.ts_remote.ts[0].eport = 443;
	char store[UPDOWN_MSG_MAX];
	const char *env[UPDOWN_ENV_MAX];
	size_t n = updown_env(&ike, &ch, "up-client", store, sizeof(store), env, UPDOWN_ENV_MAX);
	assert_true(n > 40);
	static const char *const want[][2] = {
		{ "PLUTO_VERB", "up-client" }, { "PLUTO_VERSION", "2.0" }, { "PLUTO_CONNECTION", "t" },
		{ "PLUTO_CONNECTION_TYPE", "tunnel" }, { "PLUTO_CONN_KIND", "CK_PERMANENT" },
		{ "PLUTO_NEXT_HOP", "192.0.2.1" }, { "PLUTO_ME", "192.0.2.45" }, { "PLUTO_MY_ID", "@west" },
		{ "PLUTO_MY_CLIENT", "192.0.2.64/28" }, { "PLUTO_MY_CLIENT_NET", "192.0.2.64" },
		{ "PLUTO_MY_CLIENT_MASK", "255.255.255.240" }, { "PLUTO_MY_PORT", "0" }, { "PLUTO_MY_PROTOCOL", "0" },
		{ "PLUTO_PEER", "192.0.2.23" }, { "PLUTO_PEER_CLIENT", "192.0.2.80/28" },
		{ "PLUTO_PEER_PORT", "443" }, { "PLUTO_PEER_PROTOCOL", "6" }, { "PLUTO_SA_REQID", "1234" },
		{ "PLUTO_SA_TYPE", "ESP" }, { "PLUTO_STACK", "none" }, { "PLUTO_CONN_ADDRFAMILY", "ipv4" },
		{ "PLUTO_MY_SOURCEIP", "192.0.2.65" }, { "PLUTO_PEER_CA", "" }, { "PLUTO_NM_CONFIGURED", "0" },
		{ "PLUTO_CONN_POLICY", "PSK+ENCRYPT+TUNNEL+UP+IKEV2_ALLOW+IKE_FRAG_ALLOW+ESN_YES+DONT_REKEY" },
		{ "CONNMARK_IN", "7/0x000000ff" }, { "SPI_IN", "0x00000011" }, { "SPI_OUT", "0xab000000" },
		/* the peer's ID never reaches a shell as syntax */
		{ "PLUTO_PEER_ID", "@east?\?(reboot)?x??" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *v = env_get(env, n, want[i][0]);
		if (v == NULL || strcmp(v, want[i][1]) != 0)
			fail_msg("%s: '%s', want '%s'", want[i][0], v ? v : "(none)", want[i][1]);
	}
	assert_null(env_get(env, n, "CONNMARK_OUT"));
	assert_null(env_get(env, n, "PLUTO_INBYTES"));
	/* PLUTO_ADDTIME: the install's wall-clock time, 3 s ago */
	long long add = atoll(env_get(env, n, "PLUTO_ADDTIME"));
	long long now = (long long)time(NULL);
	assert_true(add >= now - 4 && add <= now - 2);
	/* down verbs carry the octets (0 without a kernel that counts) */
	n = updown_env(&ike, &ch, "down-client", store, sizeof(store), env, UPDOWN_ENV_MAX);
	assert_string_equal(env_get(env, n, "PLUTO_INBYTES"), "0");
	assert_string_equal(env_get(env, n, "PLUTO_OUTBYTES"), "0");
	/* a fixed rightid= is what the script gets */
	assert_true(ike_id_parse("@east", &c.conf.right.id));
	c.conf.right.has_id = true;
	n = updown_env(&ike, &ch, "up-client", store, sizeof(store), env, UPDOWN_ENV_MAX);
	assert_string_equal(env_get(env, n, "PLUTO_PEER_ID"), "@east");
	/* IPv6: the masks as addresses */
	sel(&ch.ts_local.ts[0], "2001:db8:2::", 64);
	assert_true(ip_parse("2001:db8:1::45", &ch.local));
	n = updown_env(&ike, &ch, "up-client-v6", store, sizeof(store), env, UPDOWN_ENV_MAX);
	assert_string_equal(env_get(env, n, "PLUTO_MY_CLIENT"), "2001:db8:2::/64");
	assert_string_equal(env_get(env, n, "PLUTO_MY_CLIENT_MASK"), "ffff:ffff:ffff:ffff::");
	assert_string_equal(env_get(env, n, "PLUTO_CONN_ADDRFAMILY"), "ipv6");
	/* a small store: fewer variables, never a cut one */
	n = updown_env(&ike, &ch, "up-client", store, 100, env, UPDOWN_ENV_MAX);
	assert_true(n >= 1 && n < 10);
	for (size_t i = 0; i < n; i++)
		assert_non_null(strchr(env[i], '='));
	free(ike.peer_id);
	timers_free(&p);
	conf_free(&cf);
	(void)state;
}

/* --- the helper ------------------------------------------------------------------------ */

struct helper {
	int fd, pid;
	uint32_t id;
};

static void helper_start(struct helper *h)
{
	char err[128];
	assert_true(updown_helper_fork(&h->fd, &h->pid, err, sizeof(err)));
	struct timeval tv = { 15, 0 };	/* a broken helper fails the test, never hangs it */
	setsockopt(h->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(h->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	h->id = 0;
}

static uint32_t ask(struct helper *h, const char *key, uint32_t timeout_ms, const char *cmd)
{
	static uint8_t buf[UPDOWN_MSG_MAX];
	struct updown_request r = { .id = ++h->id, .timeout_ms = timeout_ms, .key = key, .conn = "c",
				    .verb = "up-client", .cmd = cmd, .nenv = 2,
				    .env = { "PLUTO_VERB=up-client", "PLUTO_TEST=value with spaces" } };
	size_t n = updown_encode_request(&r, buf, sizeof(buf));
	assert_int_equal(send(h->fd, buf, n, 0), (ssize_t)n);
	return r.id;
}

/* the next report; its strings live in buf */
static void next(struct helper *h, struct updown_report *r, uint8_t buf[UPDOWN_MSG_MAX])
{
	ssize_t n = recv(h->fd, buf, UPDOWN_MSG_MAX, 0);
	if (n <= 0)
		fail_msg("no report from the helper: %s", n < 0 ? strerror(errno) : "EOF");
	assert_true(updown_decode_report(buf, (size_t)n, r));
}

/* output lines of run id until its end; the end's report in *end */
static void run_output(struct helper *h, uint32_t id, char *out, size_t outlen, struct updown_report *end,
		       uint8_t endbuf[UPDOWN_MSG_MAX])
{
	out[0] = '\0';
	for (;;) {
		next(h, end, endbuf);
		assert_int_equal(end->id, id);
		if (end->kind != UPDOWN_OUTPUT)
			return;
		snprintf(out + strlen(out), outlen - strlen(out), "%s|", end->text);
	}
}

static void helper_end(struct helper *h)
{
	uint8_t end = UPDOWN_END, buf[UPDOWN_MSG_MAX];
	assert_int_equal(send(h->fd, &end, 1, 0), 1);
	assert_int_equal(recv(h->fd, buf, sizeof(buf), 0), 0);	/* it exits: EOF */
	int status;
	assert_int_equal(waitpid(h->pid, &status, 0), h->pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	close(h->fd);
}

static void test_helper_runs(void **state)
{
	struct helper h;
	struct updown_report r;
	uint8_t buf[UPDOWN_MSG_MAX];
	char out[2048];
	helper_start(&h);
	/* output lines and the exit status; the request's variables in the environment */
	uint32_t id = ask(&h, "a", 5000, "echo \"one $PLUTO_TEST\"; echo two >&2; printf 'no newline'; exit 4");
	run_output(&h, id, out, sizeof(out), &r, buf);
	assert_string_equal(out, "one value with spaces|two|no newline|");
	assert_int_equal(r.kind, UPDOWN_EXITED);
	assert_int_equal(r.code, 4);
	assert_string_equal(r.conn, "c");
	assert_string_equal(r.verb, "up-client");
	/* the script's process: its own session, stdin /dev/null, descriptors 0-2 only,
	 * no signal ignored (pluto ignores SIGPIPE; the helper SIGINT, SIGTERM, SIGHUP);
	 * the tab of "SigIgn:" comes back as ? (control characters are cleaned) */
	id = ask(&h, "a", 5000, "[ \"$(cut -d' ' -f6 /proc/$$/stat)\" = $$ ] && echo session; "
		 "readlink /proc/$$/fd/0; ls /proc/$$/fd | tr '\\n' ' '; echo; grep SigIgn /proc/$$/status");
	run_output(&h, id, out, sizeof(out), &r, buf);
	assert_string_equal(out, "session|/dev/null|0 1 2 |SigIgn:?0000000000000000|");
	assert_int_equal(r.kind, UPDOWN_EXITED);
	assert_int_equal(r.code, 0);
	/* killed by a signal of its own */
	id = ask(&h, "a", 5000, "kill -USR1 $$");
	run_output(&h, id, out, sizeof(out), &r, buf);
	assert_int_equal(r.kind, UPDOWN_SIGNALED);
	assert_int_equal(r.code, SIGUSR1);
	/* a control character or a long line is cleaned and cut, not passed on */
	id = ask(&h, "a", 5000, "printf 'a\\033b\\n'; head -c 1000 /dev/zero | tr '\\0' x");
	run_output(&h, id, out, sizeof(out), &r, buf);
	assert_int_equal(strncmp(out, "a?b|xxxx", 8), 0);
	assert_int_equal(strlen(out), 4 + UPDOWN_LINE_MAX - 1 + 1);
	/* at most UPDOWN_OUTPUT_LINES lines, then one note */
	id = ask(&h, "a", 5000, "seq 1 100");
	run_output(&h, id, out, sizeof(out), &r, buf);
	assert_non_null(strstr(out, "|40|(more output not logged)|"));
	assert_null(strstr(out, "|41|"));
	/* a shell that cannot run the command says so; exit 127 */
	id = ask(&h, "a", 5000, "/nonexistent/updown");
	run_output(&h, id, out, sizeof(out), &r, buf);
	assert_non_null(strstr(out, "/nonexistent/updown"));
	assert_int_equal(r.code, 127);
	helper_end(&h);
	(void)state;
}

static void test_helper_timeout(void **state)
{
	struct helper h;
	struct updown_report r;
	uint8_t buf[UPDOWN_MSG_MAX];
	char out[512];
	helper_start(&h);
	/* SIGTERM to the process group after the time limit: the shell and its sleep */
	uint32_t id = ask(&h, "a", 300, "echo started; sleep 30 & wait");
	run_output(&h, id, out, sizeof(out), &r, buf);
	assert_string_equal(out, "started|");
	assert_int_equal(r.kind, UPDOWN_TIMEDOUT);
	assert_int_equal(r.code, SIGTERM);
	assert_true(r.ms >= 300 && r.ms < 2000);
	/* a script that lives on after it exits (a background child holding its
	 * output) is not waited for */
	id = ask(&h, "b", 5000, "sleep 3 & echo done");
	run_output(&h, id, out, sizeof(out), &r, buf);
	assert_string_equal(out, "done|");
	assert_int_equal(r.kind, UPDOWN_EXITED);
	assert_true(r.ms < 2000);
	helper_end(&h);
	(void)state;
}

static void test_helper_order(void **state)
{
	struct helper h;
	struct updown_report r;
	uint8_t buf[UPDOWN_MSG_MAX];
	helper_start(&h);
	/* one tunnel's runs go in order: the slow one first */
	uint32_t slow = ask(&h, "tunnel-1", 5000, "sleep 0.3");
	uint32_t after = ask(&h, "tunnel-1", 5000, "true");
	/* another tunnel's run is not held up */
	uint32_t other = ask(&h, "tunnel-2", 5000, "true");
	uint32_t order[3];
	for (int i = 0; i < 3; i++) {
		next(&h, &r, buf);
		assert_int_equal(r.kind, UPDOWN_EXITED);
		order[i] = r.id;
	}
	assert_int_equal(order[0], other);
	assert_int_equal(order[1], slow);
	assert_int_equal(order[2], after);
	/* a malformed request is answered, and the helper goes on */
	uint8_t junk[8] = { 'Q', 1, 2 };
	assert_int_equal(send(h.fd, junk, sizeof(junk), 0), (ssize_t)sizeof(junk));
	next(&h, &r, buf);
	assert_int_equal(r.kind, UPDOWN_NOT_RUN);
	assert_string_equal(r.text, "malformed request");
	/* END: what it holds is finished first (the runs of pluto's last tunnels) */
	uint32_t last = ask(&h, "tunnel-3", 5000, "sleep 0.2; echo last");
	uint8_t end = UPDOWN_END;
	assert_int_equal(send(h.fd, &end, 1, 0), 1);
	next(&h, &r, buf);
	assert_int_equal(r.id, last);
	assert_string_equal(r.text, "last");
	next(&h, &r, buf);
	assert_int_equal(r.kind, UPDOWN_EXITED);
	assert_int_equal(recv(h.fd, buf, UPDOWN_MSG_MAX, 0), 0);
	int status;
	assert_int_equal(waitpid(h.pid, &status, 0), h.pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(h.fd);
	(void)state;
}

/* More runs than the helper holds, asked without reading a report: it reads the
 * rest once runs end (back-pressure) and queues its reports, so that neither side
 * blocks for good; every run exits 0, none is refused */
static void test_helper_many(void **state)
{
	struct helper h;
	struct updown_report r;
	uint8_t buf[UPDOWN_MSG_MAX];
	enum { N = UPDOWN_MAX_WAITING + 200 };
	helper_start(&h);
	for (unsigned i = 0; i < N; i++) {
		char key[16];
		snprintf(key, sizeof(key), "t%u", i % 50);
		ask(&h, key, 5000, ":");	/* fails (SO_SNDTIMEO) rather than hangs */
	}
	static bool seen[N + 1];
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < N; i++) {
		next(&h, &r, buf);
		if (r.kind != UPDOWN_EXITED)
			fail_msg("run %u: report '%c', code %d after %u ms (%s)", r.id, r.kind, r.code, r.ms, r.text);
		assert_int_equal(r.code, 0);
		assert_true(r.id >= 1 && r.id <= N && !seen[r.id]);
		seen[r.id] = true;
	}
	helper_end(&h);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_round_trip),
		cmocka_unit_test(test_report_round_trip),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_verb),
		cmocka_unit_test(test_mark_unique),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_helper_runs),
		cmocka_unit_test(test_helper_timeout),
		cmocka_unit_test(test_helper_order),
		cmocka_unit_test(test_helper_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
