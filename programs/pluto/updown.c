/* updown.c -- leftupdown= (Libreswan's updown interface), pluto's side.
 *
 * Events.  The script hears of tunnels (child_sa.c: a connection's Child SAs with
 * the same selectors), not of each Child SA, so that a rekey or a
 * reauthentication, which installs the new Child SA before the old one goes, runs
 * nothing:
 *   the first Child SA of a tunnel installed:  prepare-*, route-*, up-*
 *   the last one removed:                      down-*, unroute-*
 * as Libreswan runs them for a connection that is not on demand (auto=route, which
 * Interlude does not have, would run route-* when the policy is installed instead).
 * The suffix is -host when our selector is just our IKE address, else -client, and
 * -v6 after it for IPv6 gateways (Libreswan).  The script of the local end runs
 * (leftupdown= when left is this host); %disabled runs none.
 *
 * The runs.  pluto may not fork under its seccomp filter, so a helper process forked
 * at start-up runs them (updown_helper.c) and reports back on a socket that this
 * module reads from the event loop; each line of output and each end (exit status,
 * signal, timeout, not run) is logged:
 *   updown: "west-east" up-client output: ...
 *   updown: "west-east" up-client exited 1
 * pluto never waits for a script, except at shutdown, where it reads the reports of
 * the last down scripts until the helper exits. */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "pluto.h"
#include "tsel.h"
#include "updown.h"

struct queued {
	struct queued *next;
	size_t len;
	uint8_t msg[];
};

struct updown {
	int fd;
	pid_t pid;
	struct event *rd, *wr;
	struct queued *q_head, *q_tail;	/* requests the socket did not take yet */
	unsigned nq;
	uint32_t next_id;
	bool gone;			/* the helper exited */
	char script[PATH_MAX];		/* our _updown beside pluto ("" if absent) */
};

/* --- pure pieces ------------------------------------------------------------------- */

static bool ts_is_host(const struct ike_ts *t, const struct ip_addr *a)
{
	size_t n = ip_len(a);
	return n != 0 && tsel_prefix(t) == (int)(n * 8) && memcmp(t->saddr, a->b, n) == 0;
}

void updown_verb(const struct child_sa *child, const char *verb, char *out, size_t n)
{
	bool host = child->ts_local.n > 0 && ts_is_host(&child->ts_local.ts[0], &child->local);
	snprintf(out, n, "%s-%s%s", verb, host ? "host" : "client", child->local.version == 6 ? "-v6" : "");
}

bool updown_command(const char *value, const char *script, char *out, size_t n)
{
	static const char dflt[] = CONF_UPDOWN_DEFAULT;
	size_t l = sizeof(dflt) - 1;
	if (script == NULL || script[0] == '\0' || strncmp(value, dflt, l) != 0 ||
	    (value[l] != '\0' && value[l] != ' ' && value[l] != '\t')) {
		int r = snprintf(out, n, "%s", value);
		return r >= 0 && (size_t)r < n;
	}
	/* the script's path in single quotes ('\'' for a quote in it), then the arguments */
	size_t o = 0;
	if (o + 1 >= n)
		return false;
	out[o++] = '\'';
	for (const char *s = script; *s != '\0'; s++) {
		const char *piece = *s == '\'' ? "'\\''" : NULL;
		size_t pl = piece != NULL ? strlen(piece) : 1;
		if (o + pl + 1 >= n)
			return false;
		if (piece != NULL)
			memcpy(out + o, piece, pl);
		else
			out[o] = *s;
		o += pl;
	}
	int r = snprintf(out + o, n - o, "'%s", value + l);
	return r >= 0 && (size_t)r < n - o;
}

struct envbuf {
	char *store;
	size_t cap, used;
	const char **env;
	size_t max, n;
};

/* NAME=VALUE; the value without control characters or the shell's quoting and
 * expansion characters, so that a script using a variable unquoted (or a peer's ID
 * chosen to break one) cannot be made to run anything (Libreswan sanitises the
 * same values) */
static void env_add(struct envbuf *eb, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void env_add(struct envbuf *eb, const char *name, const char *fmt, ...)
{
	if (eb->n >= eb->max || eb->used >= eb->cap)
		return;
	char *at = eb->store + eb->used;
	size_t room = eb->cap - eb->used;
	int k = snprintf(at, room, "%s=", name);
	if (k < 0 || (size_t)k >= room)
		return;
	va_list ap;
	va_start(ap, fmt);
	int v = vsnprintf(at + k, room - (size_t)k, fmt, ap);
	va_end(ap);
	if (v < 0 || (size_t)v >= room - (size_t)k)
		return;
	for (char *c = at + k; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || strchr("'\"`$\\", *c) != NULL)
			*c = '?';
	eb->env[eb->n++] = at;
	eb->used += (size_t)k + (size_t)v + 1;
}

/* A Child SA's first selector on one side (a zero one when it has none) */
static const struct ike_ts *first_ts(const struct child_ts *t)
{
	static const struct ike_ts none;
	return t->n > 0 ? &t->ts[0] : &none;
}

/* a selector as Libreswan's CLIENT (a/n), CLIENT_NET and CLIENT_MASK */
static void client_strs(const struct ike_ts *t, const struct ip_subnet *fallback, char cidr[IP_STR_MAX],
			char net[IP_STR_MAX], char mask[IP_STR_MAX])
{
	struct ip_subnet sn = *fallback;
	int prefix = tsel_prefix(t);
	if (prefix >= 0) {
		sn.addr.version = t->type == IKE_TS_IPV6_ADDR_RANGE ? 6 : 4;
		memset(sn.addr.b, 0, sizeof(sn.addr.b));
		memcpy(sn.addr.b, t->saddr, ip_len(&sn.addr));
		sn.prefix = (uint8_t)prefix;
	}
	struct ip_addr m = { .version = sn.addr.version };
	for (unsigned i = 0; i < sn.prefix && i < 128; i++)
		m.b[i / 8] |= (uint8_t)(0x80u >> (i % 8));
	ip_subnet_str(&sn, cidr);
	ip_str(&sn.addr, net);
	ip_str(&m, mask);
}

static const char *auth_name(enum conf_auth a)
{
	switch (a) {
	case CONF_AUTH_PSK: return "PSK";
	case CONF_AUTH_RSA: return "RSASIG";
	case CONF_AUTH_ECDSA: return "ECDSA";
	case CONF_AUTH_SIG: return "RSASIG+ECDSA";
	case CONF_AUTH_UNSET: break;
	}
	return "AUTHNULL";
}

/* PLUTO_CONN_POLICY in Libreswan's words for what Interlude has */
static void policy_str(const struct connection *c, const struct child_sa *child, char *buf, size_t n)
{
	const struct conf_conn *cc = &c->conf;
	static const char *const esn[] = { "ESN_NO+ESN_YES", "ESN_YES", "ESN_NO" };
	snprintf(buf, n, "%s+ENCRYPT%s%s%s+IKEV2_ALLOW%s%s+%s%s%s", auth_name(c->local->auth),
		 child->transport ? "" : "+TUNNEL", cc->pfs ? "+PFS" : "",
		 cc->autostart == CONF_AUTO_START ? "+UP" : "",
		 cc->fragmentation == CONF_FRAG_NO ? "" : "+IKE_FRAG_ALLOW",
		 cc->fragmentation == CONF_FRAG_FORCE ? "+IKE_FRAG_FORCE" : "", esn[cc->esn],
		 cc->rekey ? "" : "+DONT_REKEY", c->intermediate ? "+INTERMEDIATE" : "");
}

/* --- what the system knows --------------------------------------------------------- */

/* PLUTO_INTERFACE: the device holding our address ("NULL" as Libreswan when none) */
static void interface_of(const struct ip_addr *a, char name[IF_NAMESIZE + 1])
{
	struct ifaddrs *ifs;
	snprintf(name, IF_NAMESIZE + 1, "NULL");
	if (getifaddrs(&ifs) != 0)
		return;
	for (struct ifaddrs *i = ifs; i != NULL; i = i->ifa_next) {
		struct ip_addr x;
		uint16_t port;
		if (i->ifa_addr != NULL && ip_from_sockaddr(i->ifa_addr, &x, &port) && ip_eq(&x, a)) {
			snprintf(name, IF_NAMESIZE + 1, "%s", i->ifa_name);
			break;
		}
	}
	freeifaddrs(ifs);
}

/* One end's PLUTO_{MY,PEER}_CLIENT, _CLIENT_NET, _CLIENT_MASK, _PORT, _PROTOCOL */
static void env_end(struct envbuf *eb, const char *end, const struct ike_ts *t, const struct ip_subnet *subnet)
{
	char cl[IP_STR_MAX], cn[IP_STR_MAX], cm[IP_STR_MAX], name[32];
	client_strs(t, subnet, cl, cn, cm);
	snprintf(name, sizeof(name), "PLUTO_%s_CLIENT", end);
	env_add(eb, name, "%s", cl);
	snprintf(name, sizeof(name), "PLUTO_%s_CLIENT_NET", end);
	env_add(eb, name, "%s", cn);
	snprintf(name, sizeof(name), "PLUTO_%s_CLIENT_MASK", end);
	env_add(eb, name, "%s", cm);
	snprintf(name, sizeof(name), "PLUTO_%s_PORT", end);
	env_add(eb, name, "%u", t->sport == t->eport ? t->sport : 0u);
	snprintf(name, sizeof(name), "PLUTO_%s_PROTOCOL", end);
	env_add(eb, name, "%u", t->ipproto);
}

size_t updown_env(struct ike_sa *ike, const struct child_sa *child, const char *verb, char *store,
		  size_t cap, const char **env, size_t max)
{
	struct pluto *p = ike->pluto;
	const struct connection *c = child->c;
	struct envbuf eb = { store, cap, 0, env, max, 0 };
	char a[IP_STR_MAX], id[600];
	char ifname[IF_NAMESIZE + 1], pol[160];

	env_add(&eb, "PLUTO_VERB", "%s", verb);
	env_add(&eb, "PLUTO_VERSION", "%s", UPDOWN_VERSION);
	env_add(&eb, "PLUTO_CONNECTION", "%s", c->name);
	env_add(&eb, "PLUTO_CONNECTION_TYPE", "%s", child->transport ? "transport" : "tunnel");
	env_add(&eb, "PLUTO_CONN_KIND", "%s", c->remote->any ? "CK_INSTANCE" : "CK_PERMANENT");
	interface_of(&child->local, ifname);
	env_add(&eb, "PLUTO_INTERFACE", "%s", ifname);
	env_add(&eb, "PLUTO_NEXT_HOP", "%s", ip_str(c->local->nexthop.version != 0 ? &c->local->nexthop :
						    &child->remote, a));
	env_add(&eb, "PLUTO_ME", "%s", ip_str(&child->local, a));
	env_add(&eb, "PLUTO_MY_ID", "%s", ike_id_str(&c->local->id, id, sizeof(id)));
	env_end(&eb, "MY", first_ts(&child->ts_local), &c->local->subnet);
	env_add(&eb, "PLUTO_SA_REQID", "%u", child->reqid);
	env_add(&eb, "PLUTO_SA_TYPE", "ESP");
	env_add(&eb, "PLUTO_PEER", "%s", ip_str(&child->remote, a));
	bool fixed_id = c->remote->has_id && !c->remote->id_fromcert && c->remote->id.type != 0;
	env_add(&eb, "PLUTO_PEER_ID", "%s", fixed_id || ike->peer_id == NULL ?
		ike_id_str(&c->remote->id, id, sizeof(id)) : ike->peer_id);
	env_end(&eb, "PEER", first_ts(&child->ts_remote), &c->remote->subnet);
	env_add(&eb, "PLUTO_PEER_CA", "%s", strcmp(c->remote->ca, "%same") == 0 ? "" : c->remote->ca);
	env_add(&eb, "PLUTO_STACK", "%s", p->kernel != NULL && p->kernel->stack != NULL ? p->kernel->stack : "none");
	/* wall-clock time of the install, from the monotonic age of the Child SA */
	uint64_t age_s = (pluto_now_ms(p) - child->installed_ms) / 1000;
	env_add(&eb, "PLUTO_ADDTIME", "%llu", (unsigned long long)((uint64_t)time(NULL) - age_s));
	policy_str(c, child, pol, sizeof(pol));
	env_add(&eb, "PLUTO_CONN_POLICY", "%s", pol);
	env_add(&eb, "PLUTO_CONN_ADDRFAMILY", "ipv%u", child->local.version);
	env_add(&eb, "XAUTH_FAILED", "0");
	if (c->local->sourceip.version != 0)
		env_add(&eb, "PLUTO_MY_SOURCEIP", "%s", ip_str(&c->local->sourceip, a));
	env_add(&eb, "PLUTO_IS_PEER_CISCO", "0");
	env_add(&eb, "PLUTO_PEER_DNS_INFO", "%s", "");
	env_add(&eb, "PLUTO_PEER_DOMAIN_INFO", "%s", "");
	env_add(&eb, "PLUTO_PEER_BANNER", "%s", "");
	env_add(&eb, "PLUTO_CFG_SERVER", "0");
	env_add(&eb, "PLUTO_CFG_CLIENT", "0");
	env_add(&eb, "PLUTO_NM_CONFIGURED", "0");
	if (strncmp(verb, "down", 4) == 0 || strncmp(verb, "unroute", 7) == 0) {
		/* what the Child SA carried, as the kernel counted it (0 without one) */
		uint64_t in = 0, out = 0;
		if (p->kernel != NULL && p->kernel->counters != NULL && child->installed)
			p->kernel->counters(p, child, &in, &out);
		env_add(&eb, "PLUTO_INBYTES", "%llu", (unsigned long long)in);
		env_add(&eb, "PLUTO_OUTBYTES", "%llu", (unsigned long long)out);
	}
	if (child->mark_in.set)
		env_add(&eb, "CONNMARK_IN", "%u/%#010x", child->mark_in.value, child->mark_in.mask);
	if (child->mark_out.set)
		env_add(&eb, "CONNMARK_OUT", "%u/%#010x", child->mark_out.value, child->mark_out.mask);
	env_add(&eb, "VTI_IFACE", "%s", "");
	env_add(&eb, "VTI_ROUTING", "no");
	env_add(&eb, "VTI_SHARED", "no");
	env_add(&eb, "SPI_IN", "0x%02x%02x%02x%02x", child->spi_local[0], child->spi_local[1],
		child->spi_local[2], child->spi_local[3]);
	env_add(&eb, "SPI_OUT", "0x%02x%02x%02x%02x", child->spi_remote[0], child->spi_remote[1],
		child->spi_remote[2], child->spi_remote[3]);
	return eb.n;
}

/* --- the helper ------------------------------------------------------------------------ */

static void helper_gone(struct pluto *p, const char *why)
{
	struct updown *u = p->updown;
	if (u->gone)
		return;
	u->gone = true;
	plog(p, "updown: the helper process (pid %d) %s; no more updown scripts run", (int)u->pid, why);
	if (u->rd != NULL)
		event_del(u->rd);
	if (u->wr != NULL)
		event_del(u->wr);
	/* reaped if it has exited (wait4 is on the seccomp list for its pid only) */
	waitpid(u->pid, NULL, WNOHANG);
}

static void log_report(struct pluto *p, const struct updown_report *r)
{
	switch (r->kind) {
	case UPDOWN_OUTPUT:
		plog(p, "updown: \"%s\" %s output: %s", r->conn, r->verb, r->text);
		break;
	case UPDOWN_EXITED:
		plog(p, "updown: \"%s\" %s exited %d", r->conn, r->verb, (int)r->code);
		break;
	case UPDOWN_SIGNALED:
		plog(p, "updown: \"%s\" %s killed by signal %d (SIG%s)", r->conn, r->verb, (int)r->code,
		     sigabbrev_np((int)r->code) != NULL ? sigabbrev_np((int)r->code) : "?");
		break;
	case UPDOWN_TIMEDOUT:
		plog(p, "updown: \"%s\" %s timed out after %u.%03us (updown-timeout=%us): killed with SIG%s",
		     r->conn, r->verb, r->ms / 1000, r->ms % 1000, p->setup.updown_timeout_s,
		     sigabbrev_np((int)r->code) != NULL ? sigabbrev_np((int)r->code) : "?");
		break;
	case UPDOWN_NOT_RUN:
		plog(p, "updown: \"%s\" %s not run: %s", r->conn, r->verb, r->text);
		break;
	}
}

enum read_result { READ_MORE, READ_IDLE, READ_EOF };

/* one report from the helper, logged; READ_IDLE when none came (at once with
 * MSG_DONTWAIT, else within the socket's timeout), READ_EOF when it has exited */
static enum read_result read_report(struct pluto *p, int flags)
{
	struct updown *u = p->updown;
	uint8_t buf[UPDOWN_MSG_MAX + 1];
	ssize_t n;
	do
		n = recv(u->fd, buf, sizeof(buf), flags | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return READ_IDLE;
	if (n <= 0)
		return READ_EOF;
	struct updown_report r;
	if ((size_t)n > UPDOWN_MSG_MAX || !updown_decode_report(buf, (size_t)n, &r))
		plog(p, "updown: a malformed report from the helper (%zd octets) ignored", n);
	else
		log_report(p, &r);
	return READ_MORE;
}

static void on_report(evutil_socket_t fd, short what, void *arg)
{
	struct pluto *p = arg;
	enum read_result r;
	while ((r = read_report(p, MSG_DONTWAIT)) == READ_MORE)
		;
	if (r == READ_EOF)
		helper_gone(p, "exited");
	log_flush(p);
}

/* sends queued requests while the socket takes them; false when the helper is gone */
static bool flush_queue(struct pluto *p, int flags)
{
	struct updown *u = p->updown;
	while (u->q_head != NULL) {
		struct queued *q = u->q_head;
		if (send(u->fd, q->msg, q->len, flags | MSG_NOSIGNAL) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return true;
			return false;
		}
		u->q_head = q->next;
		if (u->q_head == NULL)
			u->q_tail = NULL;
		u->nq--;
		free(q);
	}
	return true;
}

static void on_writable(evutil_socket_t fd, short what, void *arg)
{
	struct pluto *p = arg;
	struct updown *u = p->updown;
	if (!flush_queue(p, MSG_DONTWAIT))
		helper_gone(p, "cannot be reached");
	else if (u->q_head != NULL)
		event_add(u->wr, NULL);
}

static void dispatch(struct pluto *p, const struct updown_request *r)
{
	struct updown *u = p->updown;
	if (p->updown_hook != NULL) {
		p->updown_hook(p->updown_ctx, r);
		return;
	}
	if (u->nq >= UPDOWN_MAX_QUEUED) {
		plog(p, "updown: \"%s\" %s not run: %u runs waiting for the helper", r->conn, r->verb, u->nq);
		return;
	}
	uint8_t buf[UPDOWN_MSG_MAX];
	size_t n = updown_encode_request(r, buf, sizeof(buf));
	struct queued *q = n > 0 ? malloc(sizeof(*q) + n) : NULL;
	if (q == NULL) {
		plog(p, "updown: \"%s\" %s not run: %s", r->conn, r->verb, n == 0 ? "its environment is too large" :
		     "out of memory");
		return;
	}
	q->next = NULL;
	q->len = n;
	memcpy(q->msg, buf, n);
	if (u->q_tail != NULL)
		u->q_tail->next = q;
	else
		u->q_head = q;
	u->q_tail = q;
	u->nq++;
	if (!flush_queue(p, MSG_DONTWAIT))
		helper_gone(p, "cannot be reached");
	else if (u->q_head != NULL && u->wr != NULL)
		event_add(u->wr, NULL);
}

/* the verbs, in order, for the tunnel child carries */
static void run_verbs(struct ike_sa *ike, struct child_sa *child, const char *const *verbs, size_t nverbs)
{
	struct pluto *p = ike->pluto;
	const struct connection *c = child->c;
	if (c == NULL || c->local->updown[0] == '\0')
		return;		/* leftupdown=%disabled */
	if (p->updown_hook == NULL && (p->updown == NULL || p->updown->gone)) {
		plog(p, "updown: \"%s\" %s not run: no helper process", c->name, verbs[0]);
		return;
	}
	char cmd[CONF_VALUE_MAX + PATH_MAX + 8];
	if (!updown_command(c->local->updown, p->updown != NULL ? p->updown->script : "", cmd, sizeof(cmd))) {
		conn_log(p, c, "updown: the command is too long; not run");
		return;
	}
	/* the tunnel, for the helper's ordering: connection and selectors */
	char key[CONF_NAME_MAX + 2 * IP_STR_MAX + 4], l[IP_STR_MAX], r[IP_STR_MAX], a[IP_STR_MAX], m[IP_STR_MAX];
	client_strs(first_ts(&child->ts_local), &c->local->subnet, l, a, m);
	client_strs(first_ts(&child->ts_remote), &c->remote->subnet, r, a, m);
	snprintf(key, sizeof(key), "%s %s %s", c->name, l, r);
	for (size_t i = 0; i < nverbs; i++) {
		char verb[32];
		char *store = malloc(UPDOWN_MSG_MAX);
		if (store == NULL)
			return;
		updown_verb(child, verbs[i], verb, sizeof(verb));
		struct updown_request req = {
			.id = p->updown != NULL ? ++p->updown->next_id : 0,
			.timeout_ms = p->setup.updown_timeout_s * 1000u,
			.key = key, .conn = c->name, .verb = verb, .cmd = cmd,
		};
		/* the variables get what the message leaves them */
		size_t room = UPDOWN_MSG_MAX - 64 - strlen(cmd) - strlen(key) - strlen(c->name) - strlen(verb);
		req.nenv = updown_env(ike, child, verb, store, room, req.env, UPDOWN_ENV_MAX);
		dispatch(p, &req);
		free(store);
	}
}

void updown_tunnel_up(struct ike_sa *ike, struct child_sa *child)
{
	static const char *const verbs[] = { "prepare", "route", "up" };
	run_verbs(ike, child, verbs, 3);
}

void updown_tunnel_down(struct ike_sa *ike, struct child_sa *child)
{
	static const char *const verbs[] = { "down", "unroute" };
	run_verbs(ike, child, verbs, 2);
}

/* Our _updown: beside pluto, installed (libexec/ipsec) or in the build tree */
static void find_script(struct updown *u)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	u->script[0] = '\0';
	if (n <= 0)
		return;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash == NULL)
		return;
	*slash = '\0';
	snprintf(u->script, sizeof(u->script), "%s/%s", exe, UPDOWN_SCRIPT_NAME);
	if (access(u->script, X_OK) != 0)
		u->script[0] = '\0';
}

bool updown_init(struct pluto *p)
{
	struct updown *u = calloc(1, sizeof(*u));
	char err[128];
	if (u == NULL)
		return false;
	find_script(u);
	if (!updown_helper_fork(&u->fd, &u->pid, err, sizeof(err))) {
		plog(p, "updown: cannot start the helper process: %s; no updown scripts will run", err);
		free(u);
		return false;
	}
	fcntl(u->fd, F_SETFL, fcntl(u->fd, F_GETFL) | O_NONBLOCK);
	p->updown = u;
	plog(p, "updown: helper process %d runs the updown scripts%s%s%s", (int)u->pid,
	     u->script[0] ? " (\"ipsec _updown\" is " : "; no " UPDOWN_SCRIPT_NAME " beside pluto: \"ipsec _updown\" "
	     "is looked up on PATH", u->script, u->script[0] ? ")" : "");
	return true;
}

int updown_helper_pid(const struct pluto *p)
{
	return p->updown != NULL && !p->updown->gone ? (int)p->updown->pid : 0;
}

void updown_start(struct pluto *p)
{
	struct updown *u = p->updown;
	if (u == NULL || p->base == NULL)
		return;
	u->rd = event_new(p->base, u->fd, EV_READ | EV_PERSIST, on_report, p);
	u->wr = event_new(p->base, u->fd, EV_WRITE, on_writable, p);
	if (u->rd != NULL)
		event_add(u->rd, NULL);
}

void updown_stop(struct pluto *p)
{
	struct updown *u = p->updown;
	if (u == NULL)
		return;
	if (!u->gone) {
		/* from here on pluto waits, blocking: each report comes within a script's
		 * time limit (and the grace before SIGKILL) of the one before, or the
		 * helper is stuck and is killed */
		unsigned idle_ms = p->setup.updown_timeout_s * 1000u + UPDOWN_KILL_GRACE_MS + 1000u;
		struct timeval tv = { idle_ms / 1000, (idle_ms % 1000) * 1000 };
		setsockopt(u->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(u->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		fcntl(u->fd, F_SETFL, fcntl(u->fd, F_GETFL) & ~O_NONBLOCK);
		uint8_t end = UPDOWN_END;
		enum read_result r = READ_EOF;
		if (flush_queue(p, 0) && u->q_head == NULL && send(u->fd, &end, 1, MSG_NOSIGNAL) == 1)
			while ((r = read_report(p, 0)) == READ_MORE)
				;
		if (r != READ_EOF || u->q_head != NULL) {
			plog(p, "updown: the helper process (pid %d) did not finish its runs in time; killed",
			     (int)u->pid);
			kill(u->pid, SIGKILL);
		}
		waitpid(u->pid, NULL, 0);
		log_flush(p);
	}
	while (u->q_head != NULL) {
		struct queued *q = u->q_head;
		u->q_head = q->next;
		free(q);
	}
	if (u->rd != NULL)
		event_free(u->rd);
	if (u->wr != NULL)
		event_free(u->wr);
	close(u->fd);
	free(u);
	p->updown = NULL;
}
