/* pluto.c -- Interlude's IKEv2 daemon: command line (compatible with Libreswan's
 * pluto), start-up, the event loop, shutdown. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ikev2.h"
#include "updown.h"

#define PLUTO_VERSION "0.1"

static void usage(FILE *f)
{
	fprintf(f, "usage: pluto [--config FILE] [--secretsfile FILE] [--ipsecdir DIR] [--nssdir DIR]\n"
		   "             [--rundir DIR] [--logfile FILE] [--stderrlog] [--nofork] [--version]\n"
		   "             [--seccomp-enabled | --seccomp-tolerant | --seccomp-disabled]\n"
		   "             [--debug LIST] [--no-debug NAME]   (after plutodebug=; see whack --debug help)\n"
		   "             [--nhelpers N]   (crypto helper threads: -1 from the CPUs, 0 inline)\n"
		   "       pluto --checkconfig [--config FILE]\n");
}

static void setpath(char *dst, size_t len, const char *v)
{
	snprintf(dst, len, "%s", v);
}

/* pluto --debug LIST / --no-debug NAME: checked now, applied after plutodebug= */
static bool add_debug(struct pluto *p, const char *no, const char *list)
{
	struct dbg_lmod m;
	char why[256], word[DBG_WORD_MAX + 8];
	snprintf(word, sizeof(word), "%s%s", no, list);
	if (!dbg_parse(word, &m, why, sizeof(why))) {
		fprintf(stderr, "pluto: --%sdebug %s: %s\n", no, list, why);
		return false;
	}
	size_t n = strlen(p->debug_cli);
	if (n + strlen(word) + 2 > sizeof(p->debug_cli)) {
		fprintf(stderr, "pluto: --debug: too many debug options\n");
		return false;
	}
	snprintf(p->debug_cli + n, sizeof(p->debug_cli) - n, "%s%s", n ? "," : "", word);
	return true;
}

/* what the command line set, which config setup does not override */
struct given {
	bool secretsfile, nssdir, logfile, checkconfig;
};

static bool parse_args(struct pluto *p, int argc, char **argv, struct given *g)
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
		{ "checkconfig", no_argument, NULL, 'k' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		/* Libreswan's pluto options; they override config setup seccomp= */
		{ "seccomp-enabled", no_argument, NULL, 'S' },
		{ "seccomp-tolerant", no_argument, NULL, 'T' },
		{ "seccomp-disabled", no_argument, NULL, 'D' },
		/* Libreswan's: debug categories, applied after config setup plutodebug= */
		{ "debug", required_argument, NULL, 'd' },
		{ "nhelpers", required_argument, NULL, 'H' },
		{ "no-debug", required_argument, NULL, 'N' },
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
		case 's': setpath(p->secretsfile, sizeof(p->secretsfile), optarg); g->secretsfile = true; break;
		case 'i':
			/* Libreswan: the ipsec.d directory; we take config, secrets and NSS from it */
			snprintf(p->config, sizeof(p->config), "%s/ipsec.conf", optarg);
			snprintf(p->secretsfile, sizeof(p->secretsfile), "%s/ipsec.secrets", optarg);
			snprintf(p->nssdir, sizeof(p->nssdir), "%s", optarg);
			g->secretsfile = g->nssdir = true;
			break;
		case 'n': setpath(p->nssdir, sizeof(p->nssdir), optarg); g->nssdir = true; break;
		case 'r': setpath(p->rundir, sizeof(p->rundir), optarg); break;
		case 'l': setpath(p->logfile, sizeof(p->logfile), optarg); g->logfile = true; break;
		case 'k': g->checkconfig = true; break;
		case 'e': p->stderrlog = true; break;
		case 'f': p->nofork = true; break;
		case 'S': p->seccomp_cli = PLUTO_SECCOMP_CLI_ENABLED; break;
		case 'T': p->seccomp_cli = PLUTO_SECCOMP_CLI_TOLERANT; break;
		case 'D': p->seccomp_cli = PLUTO_SECCOMP_CLI_DISABLED; break;
		case 'd':
		case 'N':
			if (!add_debug(p, o == 'N' ? "no-" : "", optarg))
				return false;
			break;
		case 'H': {
			/* Libreswan's pluto --nhelpers: -1, 0 or a count; wins over nhelpers= */
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n < -1 || n > CONF_NHELPERS_MAX) {
				fprintf(stderr, "pluto: --nhelpers %s: expected -1 or 0 to %d\n", optarg,
					CONF_NHELPERS_MAX);
				return false;
			}
			p->nhelpers_given = true;
			p->nhelpers_cli = (int)n;
			break;
		}
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

/* One daemon per run directory: an exclusive lock on the pid file, held for life.
 * flock(2), not fcntl(2): a flock belongs to the open file, which the daemon() child
 * inherits and keeps, so the lock is never let go between the fork and the parent's
 * exit (an fcntl lock belongs to the process and dies with the parent). */
static int lock_rundir(struct pluto *p)
{
	mkdir(p->rundir, 0755);
	int fd = open(p->pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "pluto: cannot open %s: %s\n", p->pid_path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
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

static bool open_log(struct pluto *p)
{
	if (p->stderrlog || p->logfile[0] == '\0') {
		p->log = stderr;
		return true;
	}
	/* logappend=no (config setup): a fresh log file at each start */
	p->log = fopen(p->logfile, p->setup.logappend ? "a" : "w");
	if (p->log == NULL) {
		fprintf(stderr, "pluto: cannot open log file %s: %s\n", p->logfile, strerror(errno));
		return false;
	}
	setvbuf(p->log, NULL, _IOFBF, 1 << 16);
	return true;
}

static void print_conf_error(void *ctx, const char *file, int line, const char *reason)
{
	(void)ctx;
	fprintf(stderr, "%s:%d: %s\n", file, line, reason);
}

/* pluto --checkconfig: reads the config file as start-up would (DNS names and
 * %defaultroute looked up), prints every error and warning, starts nothing; exit 1
 * on any error */
static int checkconfig(struct pluto *p)
{
	struct conf_file cf;
	bool opened = conf_load(p->config, &cf, print_conf_error, NULL);
	for (size_t i = 0; i < cf.nconns; i++)
		if (cf.conns[i].error)
			fprintf(stderr, "\"%s\": not loaded\n", cf.conns[i].name);
	int rc = !opened || cf.nerrors != 0;
	printf("%s: %zu conns, %u errors, %u warnings\n", p->config, cf.nconns, cf.nerrors, cf.nwarnings);
	conf_free(&cf);
	return rc;
}

/* config setup's logfile=, logappend=, logtime=, nssdir=, secretsfile= where the
 * command line did not say (Libreswan: the command line wins) */
static void early_setup(struct pluto *p, const struct given *g)
{
	struct conf_file cf;
	conf_load(p->config, &cf, NULL, NULL);	/* unreadable: the defaults */
	p->setup = cf.setup;
	conf_free(&cf);
	if (!g->logfile && p->setup.logfile[0] != '\0')
		setpath(p->logfile, sizeof(p->logfile), p->setup.logfile);
	if (!g->nssdir && p->setup.nssdir[0] != '\0')
		setpath(p->nssdir, sizeof(p->nssdir), p->setup.nssdir);
	if (!g->secretsfile && p->setup.secretsfile[0] != '\0')
		setpath(p->secretsfile, sizeof(p->secretsfile), p->setup.secretsfile);
}

int main(int argc, char **argv)
{
	struct pluto *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return 1;
	p->ctl_fd = -1;
	struct given g = { 0 };
	if (!parse_args(p, argc, argv, &g))
		return 2;
	if (g.checkconfig) {
		int rc = checkconfig(p);
		free(p);
		return rc;
	}
	early_setup(p, &g);
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
	/* dumpdir= (config setup): the working directory, where a core dump goes */
	if (p->setup.dumpdir[0] != '\0' && chdir(p->setup.dumpdir) != 0)
		fprintf(p->log, "pluto: dumpdir=%s: %s\n", p->setup.dumpdir, strerror(errno));
	plog(p, "Interlude pluto %s starting (pid %d)", PLUTO_VERSION, (int)getpid());
	/* the updown scripts' runner: forked while pluto is still one thread, before
	 * capabilities are dropped and the seccomp filter is loaded (updown.h) */
	updown_init(p);
	signal(SIGPIPE, SIG_IGN);
	p->base = event_base_new();
	int rc = 0;
	if (server_start(p)) {
		event_base_dispatch(p->base);
	} else {
		rc = 1;
	}
	plog(p, "pluto exiting");
	server_stop(p);
	if (p->log != NULL && p->log != stderr)
		fclose(p->log);
	unlink(p->pid_path);
	close(lockfd);
	free(p);
	return rc;
}
