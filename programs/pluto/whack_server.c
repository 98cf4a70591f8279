/* whack_server.c -- the control socket (RUNDIR/pluto.ctl).
 *
 * Protocol: the client sends one line "COMMAND [NAME]"; the server answers with
 * text lines and ends with "=rc N", N being whack's exit status.  `up` keeps the
 * connection open and streams the SA's log lines until it is established or fails. */
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
#include "status.h"

struct whack_client {
	struct whack_client *next;
	struct pluto *p;
	struct bufferevent *bev;
	bool closing;
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
static struct ike_sa *ike_for_conn(struct pluto *p, const struct connection *c)
{
	for (struct ike_sa *s = p->sas; s != NULL; s = s->next) {
		if (ike_sa_dead(s) || s->state != IKE_ESTABLISHED || s->c == NULL || !ip_eq(&s->remote, &c->remote->addr) ||
		    !ike_id_eq(&s->c->local->id, &c->local->id) || !ike_sa_peer_is(s, &c->remote->id))
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

static int cmd_up(struct pluto *p, struct whack_client *w, const char *name)
{
	struct connection *c = connection_find(p, name);
	if (c == NULL) {
		whack_printf(w, "no connection named \"%s\"", name);
		return 1;
	}
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

static int cmd_down(struct pluto *p, struct whack_client *w, const char *name)
{
	struct connection *c = connection_find(p, name);
	if (c == NULL) {
		whack_printf(w, "no connection named \"%s\"", name);
		return 1;
	}
	c->down = true;	/* no revival until the next --up */
	lifetime_conn_stop(c);
	for (struct ike_sa *s = p->sas, *next; s != NULL; s = next) {
		next = s->next;
		if (s->c == c) {
			whack_printf(w, "\"%s\" #%u: terminating", name, s->serial);
			ikev2_delete_ike(s);
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
	whack_printf(w, "impair: unknown '%s' (ke-length, ke-method, mlkem-key, extra-round, skip-round, bad-auth, ts-type, none)", what);
	return 1;
}

static int cmd_shutdown(struct pluto *p, struct whack_client *w)
{
	whack_printf(w, "shutting down");
	p->shutting_down = true;
	event_base_loopexit(p->base, NULL);
	return 0;
}

static int dispatch(struct pluto *p, struct whack_client *w, const char *cmd, const char *arg)
{
	if (strcmp(cmd, "add") == 0)
		return connections_load(p, arg, w) ? 0 : 1;
	if (strcmp(cmd, "delete") == 0)
		return connections_delete(p, arg) ? 0 : 1;
	if (strcmp(cmd, "up") == 0)
		return cmd_up(p, w, arg);
	if (strcmp(cmd, "down") == 0)
		return cmd_down(p, w, arg);
	if (strcmp(cmd, "status") == 0)
		return status_show(p, w, false), 0;
	if (strcmp(cmd, "trafficstatus") == 0)
		return status_show(p, w, true), 0;
	if (strcmp(cmd, "rereadsecrets") == 0)
		return secrets_load(p) ? 0 : 1;
	if (strcmp(cmd, "shutdown") == 0)
		return cmd_shutdown(p, w);
	if (strcmp(cmd, "listen") == 0)
		return 0;
	if (strcmp(cmd, "bench") == 0)
		return bench_start(p, w, arg);
	if (strcmp(cmd, "impair") == 0)
		return cmd_impair(p, w, arg);
	if (strcmp(cmd, "rekey-ike") == 0)
		return cmd_rekey(p, w, arg, true);
	if (strcmp(cmd, "rekey-child") == 0)
		return cmd_rekey(p, w, arg, false);
	whack_printf(w, "unknown command '%s'", cmd);
	return 1;
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct whack_client *w = arg;
	size_t len;
	char *line = evbuffer_readln(bufferevent_get_input(bev), &len, EVBUFFER_EOL_LF);
	if (line == NULL) {
		if (evbuffer_get_length(bufferevent_get_input(bev)) > PLUTO_WHACK_LINE_MAX)
			whack_done(w, 1);
		return;
	}
	bufferevent_disable(bev, EV_READ);
	char *sp = strchr(line, ' ');
	const char *name = "";
	if (sp != NULL) {
		*sp = '\0';
		name = sp + 1;
	}
	struct pluto *p = w->p;
	int rc = dispatch(p, w, line, name);
	free(line);
	if (rc >= 0)
		whack_done(w, rc);
	log_flush(p);
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		client_free(arg);
}

static void accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pluto *p = arg;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	if (p->nwhack >= PLUTO_MAX_WHACK_CLIENTS) {
		close(cfd);
		return;
	}
	struct whack_client *w = calloc(1, sizeof(*w));
	if (w == NULL) {
		close(cfd);
		return;
	}
	w->p = p;
	w->bev = bufferevent_socket_new(p->base, cfd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(w->bev, read_cb, write_cb, event_cb, w);
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
	if (p->ctl_fd < 0 || bind(p->ctl_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(p->ctl_fd, 16) < 0) {
		plog(p, "cannot create control socket %s: %s", p->ctl_path, strerror(errno));
		return false;
	}
	chmod(p->ctl_path, 0600);
	p->ctl_ev = event_new(p->base, p->ctl_fd, EV_READ | EV_PERSIST, accept_cb, p);
	event_add(p->ctl_ev, NULL);
	return true;
}

void whack_server_stop(struct pluto *p)
{
	while (p->whacks != NULL)
		client_free(p->whacks);
	if (p->ctl_ev != NULL)
		event_free(p->ctl_ev);
	if (p->ctl_fd >= 0) {
		close(p->ctl_fd);
		unlink(p->ctl_path);
	}
}
