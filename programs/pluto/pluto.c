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

#define PLUTO_VERSION "0.1"

static void usage(FILE *f)
{
	fprintf(f, "usage: pluto [--config FILE] [--secretsfile FILE] [--ipsecdir DIR] [--nssdir DIR]\n"
		   "             [--rundir DIR] [--logfile FILE] [--stderrlog] [--nofork] [--version]\n"
		   "             [--seccomp-enabled | --seccomp-tolerant | --seccomp-disabled]\n");
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
		/* Libreswan's pluto options; they override config setup seccomp= */
		{ "seccomp-enabled", no_argument, NULL, 'S' },
		{ "seccomp-tolerant", no_argument, NULL, 'T' },
		{ "seccomp-disabled", no_argument, NULL, 'D' },
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
		case 'S': p->seccomp_cli = PLUTO_SECCOMP_CLI_ENABLED; break;
		case 'T': p->seccomp_cli = PLUTO_SECCOMP_CLI_TOLERANT; break;
		case 'D': p->seccomp_cli = PLUTO_SECCOMP_CLI_DISABLED; break;
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
	p->log = fopen(p->logfile, "a");
	if (p->log == NULL) {
		fprintf(stderr, "pluto: cannot open log file %s: %s\n", p->logfile, strerror(errno));
		return false;
	}
	setvbuf(p->log, NULL, _IOFBF, 1 << 16);
	return true;
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
