/* pluto.c -- Interlude's IKEv2 daemon: command line (compatible with Libreswan's
 * pluto), start-up, the event loop, shutdown. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cap-ng.h>
#include "ikev2.h"
#include "crypt.h"

#define PLUTO_VERSION "0.1"

static void usage(FILE *f)
{
	fprintf(f, "usage: pluto [--config FILE] [--secretsfile FILE] [--ipsecdir DIR] [--nssdir DIR]\n"
		   "             [--rundir DIR] [--logfile FILE] [--stderrlog] [--nofork] [--version]\n");
}

static void setpath(char *dst, size_t len, const char *v)
{
	snprintf(dst, len, "%s", v);
}

static bool parse_args(struct pluto *p, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "secretsfile", required_argument, NULL, 's' },
		{ "ipsecdir", required_argument, NULL, 'i' },
		{ "nssdir", required_argument, NULL, 'n' },
		{ "rundir", required_argument, NULL, 'r' },
		{ "logfile", required_argument, NULL, 'l' },
		{ "stderrlog", no_argument, NULL, 'e' },
		{ "nofork", no_argument, NULL, 'f' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	setpath(p->config, sizeof(p->config), "/etc/ipsec.conf");
	setpath(p->secretsfile, sizeof(p->secretsfile), "/etc/ipsec.secrets");
	setpath(p->nssdir, sizeof(p->nssdir), "/var/lib/ipsec/nss");
	setpath(p->rundir, sizeof(p->rundir), "/run/pluto");
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': setpath(p->config, sizeof(p->config), optarg); break;
		case 's': setpath(p->secretsfile, sizeof(p->secretsfile), optarg); break;
		case 'i':
			/* Libreswan: the ipsec.d directory; we take config, secrets and NSS from it */
			snprintf(p->config, sizeof(p->config), "%s/ipsec.conf", optarg);
			snprintf(p->secretsfile, sizeof(p->secretsfile), "%s/ipsec.secrets", optarg);
			snprintf(p->nssdir, sizeof(p->nssdir), "%s", optarg);
			break;
		case 'n': setpath(p->nssdir, sizeof(p->nssdir), optarg); break;
		case 'r': setpath(p->rundir, sizeof(p->rundir), optarg); break;
		case 'l': setpath(p->logfile, sizeof(p->logfile), optarg); break;
		case 'e': p->stderrlog = true; break;
		case 'f': p->nofork = true; break;
		case 'v': printf("Interlude pluto %s\n", PLUTO_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return false;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return false;
	}
	snprintf(p->ctl_path, sizeof(p->ctl_path), "%s/pluto.ctl", p->rundir);
	snprintf(p->pid_path, sizeof(p->pid_path), "%s/pluto.pid", p->rundir);
	return true;
}

/* One daemon per run directory: an exclusive lock on the pid file, held for life. */
static int lock_rundir(struct pluto *p)
{
	mkdir(p->rundir, 0755);
	int fd = open(p->pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "pluto: cannot open %s: %s\n", p->pid_path, strerror(errno));
		return -1;
	}
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		char buf[32] = "";
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		fprintf(stderr, "pluto: another pluto (pid %s) is already using run directory %s\n",
			strtok(buf, "\n") ? buf : "?", p->rundir);
		close(fd);
		return -1;
	}
	return fd;
}

static void write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) != n)
		fprintf(stderr, "pluto: cannot write pid file\n");
}

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

static void start_autoconns(struct pluto *p)
{
	struct conf_file cf;
	if (!conf_load(p->config, &cf, NULL, NULL))
		return;
	for (size_t i = 0; i < cf.nconns; i++) {
		const struct conf_conn *cc = &cf.conns[i];
		if (cc->autostart == CONF_AUTO_IGNORE || cc->error)
			continue;
		if (connections_load(p, cc->name, NULL) && cc->autostart == CONF_AUTO_START)
			ikev2_initiate(p, connection_find(p, cc->name), NULL);
	}
	conf_free(&cf);
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

static bool open_log(struct pluto *p)
{
	if (p->stderrlog || p->logfile[0] == '\0') {
		p->log = stderr;
		return true;
	}
	p->log = fopen(p->logfile, "a");
	if (p->log == NULL) {
		fprintf(stderr, "pluto: cannot open log file %s: %s\n", p->logfile, strerror(errno));
		return false;
	}
	setvbuf(p->log, NULL, _IOFBF, 1 << 16);
	return true;
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

static bool start(struct pluto *p)
{
	char err[256];
	if (!crypt_init(p->nssdir, err, sizeof(err))) {
		plog(p, "NSS database %s: %s; continuing without it (PSK only)", p->nssdir, err);
		if (!crypt_init(NULL, err, sizeof(err))) {
			plog(p, "cannot initialise NSS: %s", err);
			return false;
		}
	}
	load_setup_and_autoconns(p);
	if (!kernel_init(p, err, sizeof(err))) {
		plog(p, "%s", err);
		return false;
	}
	secrets_load(p);
	crypt_random(p->cookie_secret, sizeof(p->cookie_secret));
	/* signals first: a SIGTERM right after the control socket appears still
	 * shuts down cleanly */
	int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	for (int i = 0; i < 3; i++) {
		p->sig_ev[i] = evsignal_new(p->base, sigs[i], signal_cb, p);
		event_add(p->sig_ev[i], NULL);
	}
	if (!iface_open_all(p) || !whack_server_start(p))
		return false;
	drop_privileges(p);
	start_autoconns(p);
	log_flush(p);
	return true;
}

static void stop(struct pluto *p)
{
	p->shutting_down = false;
	shutdown_sas(p);
	p->shutting_down = true;
	ike_sa_free_all(p);
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
	event_base_free(p->base);
	crypt_shutdown();
}

int main(int argc, char **argv)
{
	struct pluto *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return 1;
	p->ctl_fd = -1;
	if (!parse_args(p, argc, argv))
		return 2;
	int lockfd = lock_rundir(p);
	if (lockfd < 0)
		return 1;
	if (!open_log(p))
		return 1;
	if (!p->nofork && daemon(1, p->log == stderr ? 1 : 0) < 0) {
		fprintf(stderr, "pluto: cannot daemonize: %s\n", strerror(errno));
		return 1;
	}
	write_pid(lockfd);
	signal(SIGPIPE, SIG_IGN);
	p->base = event_base_new();
	plog(p, "Interlude pluto %s starting (pid %d)", PLUTO_VERSION, (int)getpid());
	int rc = 0;
	if (start(p)) {
		event_base_dispatch(p->base);
	} else {
		rc = 1;
	}
	plog(p, "pluto exiting");
	stop(p);
	if (p->log != NULL && p->log != stderr)
		fclose(p->log);
	unlink(p->pid_path);
	close(lockfd);
	free(p);
	return rc;
}
