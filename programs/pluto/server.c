/* server.c -- the daemon's life: configuration, sockets, signals, privileges, autostart
 * and shutdown (pluto.c keeps the command line, the run-directory lock and the log). */
#include <signal.h>
#include <string.h>
#include <cap-ng.h>
#include "ikev2.h"
#include "crypt.h"
#include "updown.h"
#include "helper.h"
#include <unistd.h>

static void load_setup_and_autoconns(struct pluto *p)
{
	struct conf_file cf;
	if (!conf_load(p->config, &cf, NULL, NULL)) {
		plog(p, "cannot read %s; starting without connections", p->config);
		return;
	}
	p->setup = cf.setup;
	conf_free(&cf);
}

/* pluto --seccomp-*: the command line beats config setup seccomp= */
static void seccomp_from_cli(struct pluto *p)
{
	switch (p->seccomp_cli) {
	case PLUTO_SECCOMP_CLI_NONE: break;
	case PLUTO_SECCOMP_CLI_ENABLED: p->setup.seccomp = CONF_SECCOMP_ENABLED; break;
	case PLUTO_SECCOMP_CLI_TOLERANT: p->setup.seccomp = CONF_SECCOMP_TOLERANT; break;
	case PLUTO_SECCOMP_CLI_DISABLED: p->setup.seccomp = CONF_SECCOMP_DISABLED; break;
	}
}

static void startup_conf_error(void *ctx, const char *file, int line, const char *reason)
{
	plog(ctx, "%s:%d: %s", file, line, reason);
}

/* auto=add|start connections at start-up; config setup's messages first, then each
 * conn's with file:line, and a conn that does not load says '"NAME": not loaded':
 * none vanishes silently */
static void start_autoconns(struct pluto *p)
{
	struct conf_file cf;
	if (!conf_load(p->config, &cf, NULL, NULL)) {
		plog(p, "cannot read %s: no connections loaded", p->config);
		return;
	}
	conf_messages(&cf, NULL, startup_conf_error, p);
	for (size_t i = 0; i < cf.nconns; i++) {
		const struct conf_conn *cc = &cf.conns[i];
		if (cc->autostart == CONF_AUTO_IGNORE)
			continue;
		if (!connections_add_conf(p, &cf, cc, NULL))
			continue;
		struct connection *c = connection_find(p, cc->name);
		if (cc->autostart == CONF_AUTO_START && ikev2_initiate(p, c, NULL) == NULL)
			lifetime_revive(c);
	}
	conf_free(&cf);
	log_flush(p);
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct pluto *p = arg;
	plog(p, "signal %d: shutting down", (int)sig);
	log_flush(p);
	p->shutting_down = true;
	event_base_loopexit(p->base, NULL);
}

/* RFC 7296 1.4.1: tell established peers we are going, as Libreswan does */
static void shutdown_sas(struct pluto *p)
{
	for (struct ike_sa *s = p->sas, *next; s != NULL; s = next) {
		next = s->next;
		if (s->state == IKE_ESTABLISHED)
			ikev2_delete_ike(s);
	}
	ike_sa_free_all(p);
}

/* Once the sockets are bound, keep only what the kernel backend needs:
 * CAP_NET_ADMIN for XFRM netlink, nothing for protostack=none (libcap-ng). */
static void drop_privileges(struct pluto *p)
{
	if (!capng_have_capabilities(CAPNG_SELECT_CAPS))
		return;		/* started without any: nothing to drop */
	capng_clear(CAPNG_SELECT_BOTH);
	bool xfrm = p->kernel == &kernel_xfrm_ops;
	if (xfrm)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_ADMIN);
	if (capng_apply(CAPNG_SELECT_BOTH) != 0) {
		plog(p, "cannot drop capabilities; continuing with them");
		return;
	}
	plog(p, "dropped capabilities, keeping %s", xfrm ? "CAP_NET_ADMIN (XFRM)" : "none");
}

/* plutodebug=, then pluto --debug (checked when parsed) */
static void debug_from_setup_and_cli(struct pluto *p)
{
	struct dbg_lmod m = { 0, 0 };
	char why[256];
	p->debug = p->setup.plutodebug;
	if (p->debug_cli[0] != '\0' && dbg_parse(p->debug_cli, &m, why, sizeof(why)))
		p->debug = dbg_apply(p->debug, m);
	if (p->debug != 0)
		dbg_announce(p, p->debug_cli[0] ? "plutodebug= and --debug" : "plutodebug=", "", 0, p->debug);
}

/* Everything but sockets and signals: NSS, config setup, kernel backend, secrets. */
bool server_configure(struct pluto *p)
{
	char err[256];
	if (!crypt_init(p->nssdir, err, sizeof(err))) {
		plog(p, "NSS database %s: %s; continuing without it (PSK only)", p->nssdir, err);
		if (!crypt_init(NULL, err, sizeof(err))) {
			plog(p, "cannot initialise NSS: %s", err);
			return false;
		}
	}
	/* the key of the SA indexes, before the first SA is hashed (sa_index.h) */
	if (!crypt_random(p->ix_key, sizeof(p->ix_key))) {
		plog(p, "no randomness for the SA index key");
		return false;
	}
	load_setup_and_autoconns(p);
	seccomp_from_cli(p);
	debug_from_setup_and_cli(p);
	if (p->setup.keylog_dir[0] != '\0')
		plog(p, "keylog-dir=%s: WARNING: the keys of every IKE and Child SA are appended to "
		     "%s/ikev2_decryption_table and %s/esp_sa (for Wireshark)", p->setup.keylog_dir,
		     p->setup.keylog_dir, p->setup.keylog_dir);
	if (!kernel_init(p, err, sizeof(err))) {
		plog(p, "%s", err);
		return false;
	}
	secrets_load(p);
	if (!crypt_random(p->cookie_secret, sizeof(p->cookie_secret))) {
		plog(p, "no randomness for the cookie secret");
		return false;
	}
	p->cookie_rotated_ms = pluto_now_ms(p);
	return true;
}

bool server_start(struct pluto *p)
{
	if (!server_configure(p))
		return false;
	/* signals first: a SIGTERM right after the control socket appears still
	 * shuts down cleanly */
	int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	for (int i = 0; i < 3; i++) {
		p->sig_ev[i] = evsignal_new(p->base, sigs[i], signal_cb, p);
		event_add(p->sig_ev[i], NULL);
	}
	updown_start(p);
	if (!iface_open_all(p) || !whack_server_start(p))
		return false;
	drop_privileges(p);
	/* crypto helpers: after the capabilities are dropped (threads inherit what is
	 * left), before the autostarts that may use them and before the seccomp filter */
	int nh = p->nhelpers_given ? p->nhelpers_cli : p->setup.nhelpers;
	if (!helpers_start(p, helpers_count(nh, sysconf(_SC_NPROCESSORS_ONLN))))
		return false;
	if (helpers_running(p) == 0)
		plog(p, "nhelpers=0: cryptography runs inline in the event loop");
	start_autoconns(p);
	/* last: everything pluto opens at start-up is open */
	bool confined = confine_install(p);
	log_flush(p);
	return confined;
}

void server_stop(struct pluto *p)
{
	p->shutting_down = false;
	shutdown_sas(p);
	p->shutting_down = true;
	ike_sa_free_all(p);
	/* every tunnel is down: the helper finishes the down scripts and exits */
	updown_stop(p);
	/* after the SAs: a job still in flight finds its SA gone and is wiped */
	helpers_stop(p);
	while (p->conns != NULL)
		connections_delete(p, p->conns->name);
	conf_secrets_free(&p->secrets);
	whack_server_stop(p);
	iface_close_all(p);
	for (int i = 0; i < 3; i++) {
		if (p->sig_ev[i] != NULL)
			event_free(p->sig_ev[i]);
	}
	if (p->kernel != NULL)
		p->kernel->shutdown(p);
	log_drops_stop(p);
	timers_free(p);
	ike_sa_table_free(p);
	event_base_free(p->base);
	crypt_shutdown();
}

