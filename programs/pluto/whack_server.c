/* whack_server.c -- the control socket (RUNDIR/pluto.ctl).
 *
 * Protocol: the client sends one line "COMMAND [ARG]" (include/whack_cmd.h, parsed by
 * whack_cmd_parse()); the server answers with text lines and ends with "=rc N", N being
 * whack's exit status.  `up` keeps the connection open and streams the SA's log lines
 * until it is established or fails.
 *
 * Who may talk to it: root only.  The socket file is created mode 0600 (umask around
 * bind(), so there is no moment it is wider) and each connection's SO_PEERCRED uid is
 * checked, so a socket file made wider by mistake still lets nobody else in.
 * Limits: PLUTO_MAX_WHACK_CLIENTS connections; a client has PLUTO_WHACK_READ_TIMEOUT_S
 * to send its whole command and PLUTO_WHACK_WRITE_TIMEOUT_S to take each part of the
 * answer; when every slot is taken, the oldest client that has not yet sent a command
 * makes room for the new one.  Every refusal is one log line and, where the client
 * can still read, an answer. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include "ikev2.h"
#include "child_sa.h"
#include "status.h"
#include "whack_cmd.h"

struct whack_client {
	struct whack_client *next;
	struct pluto *p;
	struct bufferevent *bev;
	struct event *read_deadline;	/* PLUTO_WHACK_READ_TIMEOUT_S after accept */
	bool commanded;			/* its command line arrived */
	bool closing;
	uid_t uid;
	pid_t pid;
};

void whack_printf(struct whack_client *w, const char *fmt, ...)
{
	if (w == NULL || w->closing)
		return;
	va_list ap;
	va_start(ap, fmt);
	evbuffer_add_vprintf(bufferevent_get_output(w->bev), fmt, ap);
	va_end(ap);
	evbuffer_add(bufferevent_get_output(w->bev), "\n", 1);
}

static void client_free(struct whack_client *w)
{
	struct pluto *p = w->p;
	bench_abort(p, w);
	for (struct ike_sa *s = p->sas; s != NULL; s = s->next) {
		if (s->whack == w)
			s->whack = NULL;
	}
	for (struct whack_client **pp = &p->whacks; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	p->nwhack--;
	if (w->read_deadline != NULL)
		event_free(w->read_deadline);
	bufferevent_free(w->bev);
	free(w);
}

static void write_cb(struct bufferevent *bev, void *arg)
{
	struct whack_client *w = arg;
	if (w->closing && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		client_free(w);
}

void whack_done(struct whack_client *w, int rc)
{
	if (w == NULL || w->closing)
		return;
	whack_printf(w, "=rc %d", rc);
	w->closing = true;
	for (struct ike_sa *s = w->p->sas; s != NULL; s = s->next) {
		if (s->whack == w)
			s->whack = NULL;
	}
	if (evbuffer_get_length(bufferevent_get_output(w->bev)) == 0)
		client_free(w);
}

/* An established IKE SA with c's peer and IDs, which can carry c's Child SA */
/* An IKE SA of ours with c's peer address, speaking as c's local ID */
static bool ike_on_route(const struct ike_sa *s, const struct connection *c)
{
	return !ike_sa_dead(s) && s->c != NULL && ip_eq(&s->remote, &c->remote->addr) &&
	       ike_id_eq(&s->c->local->id, &c->local->id);
}

static struct ike_sa *ike_for_conn(struct pluto *p, const struct connection *c)
{
	for (struct ike_sa *s = p->sas; s != NULL; s = s->next) {
		if (!ike_on_route(s, c) || s->state != IKE_ESTABLISHED || !ike_sa_peer_is(s, &c->remote->id))
			continue;
		return s;
	}
	return NULL;
}

static struct child_sa *child_of(struct pluto *p, const struct connection *c, struct ike_sa **ike)
{
	for (struct ike_sa *s = p->sas; s != NULL; s = s->next) {
		if (ike_sa_dead(s) || s->state != IKE_ESTABLISHED)
			continue;
		for (struct child_sa *ch = s->children; ch != NULL; ch = ch->next)
			if (ch->c == c && ch->state == CHILD_ESTABLISHED) {
				*ike = s;
				return ch;
			}
	}
	return NULL;
}

/* Libreswan: whack --rekey-ike / --rekey-ipsec (--rekey-child) --name NAME */
static int cmd_rekey(struct pluto *p, struct whack_client *w, const char *name, bool ike_sa)
{
	struct connection *c = connection_find(p, name);
	struct ike_sa *ike = NULL;
	struct child_sa *child = NULL;
	if (c == NULL) {
		whack_printf(w, "no connection named \"%s\"", name);
		return 1;
	}
	if (ike_sa) {
		for (struct ike_sa *s = p->sas; s != NULL && ike == NULL; s = s->next)
			if (!ike_sa_dead(s) && s->c == c && s->state == IKE_ESTABLISHED)
				ike = s;
	} else {
		child = child_of(p, c, &ike);
	}
	if (ike == NULL) {
		whack_printf(w, "\"%s\": no established %s to rekey", name, ike_sa ? "IKE SA" : "Child SA");
		return 1;
	}
	bool ok = ike_sa ? create_child_sa_rekey_ike(ike) : create_child_sa_initiate(ike, NULL, child);
	whack_printf(w, ok ? "\"%s\" #%u: rekeying %s" : "\"%s\" #%u: cannot rekey %s now (an exchange is in progress)",
		     name, ike_sa ? ike->serial : child->serial, ike_sa ? "IKE SA" : "Child SA");
	return ok ? 0 : 1;
}

static int group_up(struct pluto *p, struct whack_client *w, const char *name);

static int cmd_up(struct pluto *p, struct whack_client *w, const char *name)
{
	struct connection *c = connection_find(p, name);
	if (c == NULL)
		return group_up(p, w, name);
	c->down = false;
	/* RFC 7296 1.3.1: a second connection to a peer we have an IKE SA with gets its
	 * Child SA by CREATE_CHILD_SA, as Libreswan does */
	struct ike_sa *ike = ike_for_conn(p, c);
	struct ike_sa *dummy;
	if (ike != NULL && child_of(p, c, &dummy) == NULL && ike->whack == NULL) {
		whack_printf(w, "\"%s\": creating a Child SA on IKE SA #%u", name, ike->serial);
		if (!create_child_sa_initiate(ike, c, NULL)) {
			whack_printf(w, "\"%s\": IKE SA #%u is busy; try again", name, ike->serial);
			return 1;
		}
		ike->whack = w;
		return -1;
	}
	whack_printf(w, "\"%s\": initiating", name);
	if (ikev2_initiate(p, c, w) == NULL)
		return 1;
	return -1;	/* whack_done() when the SA is established or fails */
}

/* An IKE SA with c's peer that is still being negotiated by us */
static bool ike_pending_for_conn(struct pluto *p, const struct connection *c)
{
	for (struct ike_sa *s = p->sas; s != NULL; s = s->next) {
		if (ike_on_route(s, c) && s->initiator && s->state != IKE_ESTABLISHED &&
		    ike_id_eq(&s->c->remote->id, &c->remote->id))
			return true;
	}
	return false;
}

static void group_member_up(struct pluto *p, struct connection *c);

static void up_retry_cb(void *arg)
{
	struct connection *c = arg;
	struct pluto *p = c->pluto;
	group_member_up(p, c);
	ike_sa_free_all(p);
	log_flush(p);
}

/* One member of a group (leftsubnets=) coming up with nobody waiting on it, as
 * Libreswan brings up the connections of an alias: a Child SA by CREATE_CHILD_SA
 * on the established IKE SA with its peer (RFC 7296 1.3.1); while that IKE SA is
 * being negotiated, or busy with another exchange, it looks again in
 * PLUTO_UP_RETRY_MS; when there is none, its own IKE SA. */
static void group_member_up(struct pluto *p, struct connection *c)
{
	if (c->down)
		return;
	struct ike_sa *ike = ike_for_conn(p, c), *dummy;
	if (child_of(p, c, &dummy) != NULL)
		return;		/* up already */
	if (ike != NULL) {
		if (create_child_sa_initiate(ike, c, NULL)) {
			conn_log(p, c, "creating a Child SA on IKE SA #%u", ike->serial);
			return;
		}
		/* the IKE SA has an exchange under way (RFC 7296 2.3) */
	} else if (!ike_pending_for_conn(p, c)) {
		conn_log(p, c, "initiating");
		if (ikev2_initiate(p, c, NULL) != NULL)
			return;
	}
	timer_schedule(&c->up_timer, p, up_retry_cb, c, PLUTO_UP_RETRY_MS);
}

/* whack --up NAME where NAME is no connection but the template of a group
 * (leftsubnets=): every member, sharing one IKE SA with the peer */
static int group_up(struct pluto *p, struct whack_client *w, const char *name)
{
	unsigned n = 0;
	for (struct connection *c = p->conns; c != NULL; c = c->next) {
		if (strcmp(c->conf.alias, name) != 0)
			continue;
		n++;
		c->down = false;
		whack_printf(w, "\"%s\": initiating (member of \"%s\")", c->name, name);
		group_member_up(p, c);
	}
	if (n == 0) {
		whack_printf(w, "no connection named \"%s\"", name);
		return 1;
	}
	whack_printf(w, "\"%s\": %u connections initiated; whack --trafficstatus shows them", name, n);
	return 0;
}

static int cmd_down_one(struct pluto *p, struct whack_client *w, struct connection *c);

/* whack --down NAME: the connection, or every member of the group NAME */
static int cmd_down(struct pluto *p, struct whack_client *w, const char *name)
{
	struct connection *c = connection_find(p, name);
	if (c != NULL)
		return cmd_down_one(p, w, c);
	int rc = 1;
	for (c = p->conns; c != NULL; c = c->next)
		if (strcmp(c->conf.alias, name) == 0)
			rc = cmd_down_one(p, w, c);
	if (rc != 0)
		whack_printf(w, "no connection named \"%s\"", name);
	return rc;
}

static int cmd_down_one(struct pluto *p, struct whack_client *w, struct connection *c)
{
	const char *name = c->name;
	c->down = true;	/* no revival until the next --up */
	lifetime_conn_stop(c);
	for (struct ike_sa *s = p->sas, *next; s != NULL; s = next) {
		next = s->next;
		if (s->c == c) {
			whack_printf(w, "\"%s\" #%u: terminating", name, s->serial);
			ikev2_delete_ike(s);
		}
	}
	/* its Child SAs on other connections' IKE SAs (CREATE_CHILD_SA) go with a
	 * Delete; the IKE SA stays for its own connection */
	for (struct ike_sa *s = p->sas; s != NULL; s = s->next) {
		if (s->c == c || s->state != IKE_ESTABLISHED)
			continue;
		for (struct child_sa *ch = s->children; ch != NULL; ch = ch->next) {
			if (ch->c != c || ch->state != CHILD_ESTABLISHED || ch->delete_sent)
				continue;
			whack_printf(w, "\"%s\" #%u: deleting Child SA #%u", name, s->serial, ch->serial);
			child_sa_send_delete(s, ch, true, "connection down");
		}
	}
	return 0;
}

static int cmd_impair(struct pluto *p, struct whack_client *w, const char *what)
{
	static const struct { const char *name; unsigned bit; } impairs[] = {
		{ "ke-length", IMPAIR_KE_LENGTH },
		{ "ke-method", IMPAIR_KE_METHOD },
		{ "mlkem-key", IMPAIR_MLKEM_KEY },
		{ "extra-round", IMPAIR_EXTRA_ROUND },
		{ "skip-round", IMPAIR_SKIP_ROUND },
		{ "bad-auth", IMPAIR_BAD_AUTH },
		{ "ts-type", IMPAIR_TS_TYPE },
		{ "slow-crypto", IMPAIR_SLOW_CRYPTO },
	};
	if (strcmp(what, "none") == 0) {
		p->impair = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(impairs) / sizeof(impairs[0]); i++) {
		if (strcmp(what, impairs[i].name) == 0) {
			p->impair |= impairs[i].bit;
			plog(p, "IMPAIR: %s (deliberate protocol violation for testing)", what);
			return 0;
		}
	}
	whack_printf(w, "impair: unknown '%s' (ke-length, ke-method, mlkem-key, extra-round, skip-round, bad-auth, ts-type, slow-crypto, none)", what);
	return 1;
}

/* Libreswan: whack --debug LIST (the daemon's categories, changed as the list says:
 * "none" clears them, NAME adds one, no-NAME removes one); with --name, the
 * connection's (debug=), which add to the daemon's for its SAs */
static int cmd_debug(struct pluto *p, struct whack_client *w, const char *arg, bool conn)
{
	char name[CONF_NAME_MAX] = "", why[256], now[96];
	const char *list = arg;
	if (conn) {
		size_t nl = strcspn(arg, " ");
		snprintf(name, sizeof(name), "%.*s", (int)nl, arg);
		list = arg + nl + (arg[nl] == ' ');
	}
	struct dbg_lmod m;
	if (!dbg_parse(list, &m, why, sizeof(why))) {
		whack_printf(w, "debug %s: %s", list, why);
		return 1;
	}
	if (!conn) {
		unsigned old = p->debug;
		p->debug = dbg_apply(old, m);
		dbg_announce(p, "whack --debug", "", old, p->debug);
		whack_printf(w, "debugging: %s", dbg_str(p->debug, now, sizeof(now)));
		return 0;
	}
	unsigned n = 0;
	for (struct connection *c = p->conns; c != NULL; c = c->next) {
		/* NAME, or each NAME/LxR of a subnets= template */
		if (strcmp(c->name, name) != 0 && strcmp(c->conf.alias, name) != 0)
			continue;
		unsigned old = c->debug;
		c->debug = dbg_apply(old, m);
		char who[CONF_NAME_MAX + 32];
		snprintf(who, sizeof(who), "whack --name %s --debug", c->name);
		dbg_announce(p, who, c->name, old, c->debug);
		whack_printf(w, "\"%s\": debugging: %s", c->name, dbg_str(c->debug, now, sizeof(now)));
		n++;
	}
	if (n == 0) {
		whack_printf(w, "no connection named \"%s\"", name);
		return 1;
	}
	connections_debug_update(p);
	return 0;
}

static int cmd_shutdown(struct pluto *p, struct whack_client *w)
{
	whack_printf(w, "shutting down");
	p->shutting_down = true;
	event_base_loopexit(p->base, NULL);
	return 0;
}

static int dispatch(struct pluto *p, struct whack_client *w, const struct whack_cmd *cmd)
{
	const char *arg = cmd->arg;
	switch (cmd->verb) {
	case WHACK_ADD: return connections_load(p, arg, w) ? 0 : 1;
	case WHACK_DELETE: return connections_delete(p, arg) ? 0 : 1;
	case WHACK_UP: return cmd_up(p, w, arg);
	case WHACK_DOWN: return cmd_down(p, w, arg);
	case WHACK_STATUS: return status_show(p, w, false), 0;
	case WHACK_TRAFFICSTATUS: return status_show(p, w, true), 0;
	case WHACK_REREADSECRETS: return secrets_load(p) ? 0 : 1;
	case WHACK_REREADALL: return connections_reload(p, w) ? 0 : 1;
	case WHACK_SHUTDOWN: return cmd_shutdown(p, w);
	case WHACK_LISTEN: return 0;
	case WHACK_BENCH: return bench_start(p, w, arg);
	case WHACK_IMPAIR: return cmd_impair(p, w, arg);
	case WHACK_REKEY_IKE: return cmd_rekey(p, w, arg, true);
	case WHACK_REKEY_CHILD: return cmd_rekey(p, w, arg, false);
	case WHACK_SECCOMP_CRASHTEST: return confine_crashtest(p, w);
	case WHACK_DEBUG: return cmd_debug(p, w, arg, false);
	case WHACK_DEBUG_CONN: return cmd_debug(p, w, arg, true);
	case WHACK_VERB_COUNT: break;
	}
	whack_printf(w, "unknown command");
	return 1;
}

/* a client that broke the protocol: its answer says why, the log says who */
static void client_reject(struct whack_client *w, const char *why)
{
	plog(w->p, "control socket: client pid %d uid %u: %s", (int)w->pid, (unsigned)w->uid, why);
	event_del(w->read_deadline);
	bufferevent_disable(w->bev, EV_READ);
	whack_printf(w, "pluto: %s", why);
	whack_done(w, 1);
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct whack_client *w = arg;
	if (w->commanded || w->closing)
		return;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_ptr nl = evbuffer_search(in, "\n", 1, NULL);
	if (nl.pos < 0) {
		if (evbuffer_get_length(in) >= WHACK_CMD_LINE_MAX)
			client_reject(w, whack_parse_str(WHACK_PARSE_TOO_LONG));
		return;
	}
	struct pluto *p = w->p;
	w->commanded = true;
	bufferevent_disable(bev, EV_READ);
	event_del(w->read_deadline);
	size_t len = (size_t)nl.pos;
	struct whack_cmd cmd;
	enum whack_parse r = len >= WHACK_CMD_LINE_MAX ? WHACK_PARSE_TOO_LONG
		: whack_cmd_parse((const char *)evbuffer_pullup(in, (ssize_t)len + 1), len, &cmd);
	if (r != WHACK_PARSE_OK) {
		client_reject(w, whack_parse_str(r));
		log_flush(p);
		return;
	}
	dbg(p, "whack: command '%s%s%s' from pid %d", whack_verb_str(cmd.verb), cmd.arg[0] ? " " : "", cmd.arg,
	    (int)w->pid);
	struct dbg_cpu t;
	dbg_cpu_start(p, p->debug, &t);
	int rc = dispatch(p, w, &cmd);
	dbg_cpu_done(p, p->debug, &t, "whack command '%s'", whack_verb_str(cmd.verb));
	if (rc >= 0)
		whack_done(w, rc);
	log_flush(p);
}

static void read_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct whack_client *w = arg;
	struct pluto *p = w->p;
	client_reject(w, "no complete command within " CONF_STR(PLUTO_WHACK_READ_TIMEOUT_S) " seconds");
	log_flush(p);
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct whack_client *w = arg;
	if (what & BEV_EVENT_TIMEOUT) {
		plog(w->p, "control socket: client pid %d took no answer for " CONF_STR(PLUTO_WHACK_WRITE_TIMEOUT_S)
		     " seconds; closed", (int)w->pid);
		client_free(w);
	} else if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		client_free(w);
	}
}

/* every slot taken: the oldest client still to send its command goes */
static bool make_room(struct pluto *p)
{
	struct whack_client *oldest = NULL;
	for (struct whack_client *w = p->whacks; w != NULL; w = w->next)
		if (!w->commanded && !w->closing)
			oldest = w;	/* the list is newest first */
	if (oldest == NULL)
		return false;
	client_reject(oldest, "all " CONF_STR(PLUTO_MAX_WHACK_CLIENTS) " control connections taken; "
		      "the oldest one without a command is closed");
	return true;
}

/* a refusal before there is a client: one line, the status, close */
static void refuse(int fd, const char *why)
{
	char buf[160];
	int n = snprintf(buf, sizeof(buf), "pluto: %s\n=rc 1\n", why);
	if (n > 0 && send(fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* the client is gone already */
	}
	close(fd);
}

static void accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pluto *p = arg;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
		plog(p, "control socket: SO_PEERCRED: %s; connection refused", strerror(errno));
		refuse(cfd, "cannot tell who you are");
		return;
	}
	if (cred.uid != PLUTO_WHACK_UID) {
		plog(p, "control socket: connection from pid %d uid %u refused: only root may control pluto",
		     (int)cred.pid, (unsigned)cred.uid);
		refuse(cfd, "permission denied: only root may control pluto");
		log_flush(p);
		return;
	}
	if (p->nwhack >= PLUTO_MAX_WHACK_CLIENTS && !make_room(p)) {
		plog(p, "control socket: all %d connections busy with commands; pid %d refused",
		     PLUTO_MAX_WHACK_CLIENTS, (int)cred.pid);
		refuse(cfd, "too many control connections; try again");
		log_flush(p);
		return;
	}
	log_flush(p);
	struct whack_client *w = calloc(1, sizeof(*w));
	if (w == NULL) {
		close(cfd);
		return;
	}
	*w = (struct whack_client){ .p = p, .uid = cred.uid, .pid = cred.pid };
	w->bev = bufferevent_socket_new(p->base, cfd, BEV_OPT_CLOSE_ON_FREE);
	w->read_deadline = evtimer_new(p->base, read_deadline_cb, w);
	if (w->bev == NULL || w->read_deadline == NULL) {
		if (w->bev != NULL)
			bufferevent_free(w->bev);
		else
			close(cfd);
		if (w->read_deadline != NULL)
			event_free(w->read_deadline);
		free(w);
		return;
	}
	bufferevent_setcb(w->bev, read_cb, write_cb, event_cb, w);
	/* a whole command never needs more than a line's worth of buffer */
	bufferevent_setwatermark(w->bev, EV_READ, 0, WHACK_CMD_LINE_MAX);
	struct timeval rtv = { .tv_sec = PLUTO_WHACK_READ_TIMEOUT_S }, wtv = { .tv_sec = PLUTO_WHACK_WRITE_TIMEOUT_S };
	bufferevent_set_timeouts(w->bev, NULL, &wtv);
	evtimer_add(w->read_deadline, &rtv);
	bufferevent_enable(w->bev, EV_READ | EV_WRITE);
	w->next = p->whacks;
	p->whacks = w;
	p->nwhack++;
}

bool whack_server_start(struct pluto *p)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(p->ctl_path) >= sizeof(sun.sun_path)) {
		plog(p, "control socket path too long: %s", p->ctl_path);
		return false;
	}
	strcpy(sun.sun_path, p->ctl_path);
	unlink(p->ctl_path);
	p->ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* the socket file is born 0600: never a moment with a wider mode */
	mode_t old = umask(0777 & ~PLUTO_WHACK_SOCKET_MODE);
	bool ok = p->ctl_fd >= 0 && bind(p->ctl_fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	umask(old);
	if (!ok || chmod(p->ctl_path, PLUTO_WHACK_SOCKET_MODE) < 0 || listen(p->ctl_fd, PLUTO_WHACK_BACKLOG) < 0) {
		plog(p, "cannot create control socket %s: %s", p->ctl_path, strerror(errno));
		return false;
	}
	p->ctl_ev = event_new(p->base, p->ctl_fd, EV_READ | EV_PERSIST, accept_cb, p);
	event_add(p->ctl_ev, NULL);
	return true;
}

void whack_server_stop(struct pluto *p)
{
	/* what is still queued (whack --shutdown's "=rc 0") goes out before the close;
	 * the socket is non-blocking and these answers are short (evbuffer_write() on the
	 * bufferevent's output fails here, so the octets are sent directly) */
	for (struct whack_client *w = p->whacks; w != NULL; w = w->next) {
		struct evbuffer *out = bufferevent_get_output(w->bev);
		size_t len = evbuffer_get_length(out);
		if (len > 0 && send(bufferevent_getfd(w->bev), evbuffer_pullup(out, -1), len,
				    MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			/* the client is gone, or its socket full: it gets no status */
		}
	}
	while (p->whacks != NULL)
		client_free(p->whacks);
	if (p->ctl_ev != NULL)
		event_free(p->ctl_ev);
	if (p->ctl_fd >= 0) {
		close(p->ctl_fd);
		unlink(p->ctl_path);
	}
}
