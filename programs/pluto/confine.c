/* confine.c -- the system-call allow-list (libseccomp), config setup seccomp=.
 *
 * Libreswan's keyword and meaning (ipsec.conf(5)): after start-up pluto may make only
 * the system calls listed below.  enabled: a forbidden call ends pluto; tolerant: the
 * call fails with EACCES and pluto goes on; disabled (the default): no filter.
 *
 * A forbidden call raises SIGSYS (SECCOMP_RET_TRAP) rather than a silent kill, so that
 * pluto can write one line naming the call to its log first:
 *   seccomp: forbidden system call getsid (124): pluto terminated (seccomp=enabled)
 * and then dies of SIGSYS.  In tolerant mode the handler makes the call return
 * -EACCES (on x86-64, i386 and aarch64, where we know the return register; elsewhere
 * the kernel returns EACCES without a log line).
 *
 * The list was found by running every netns scenario under strace -f and with
 * seccomp=tolerant (which logs each call it refuses); see docs/architecture.md.
 * The signal handler needs the log descriptor and the names of the calls without any
 * context argument: those are the only file-scope variables of the daemon, set once
 * before the filter is loaded.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <seccomp.h>
#include "pluto.h"
#include "updown.h"

#define CONFINE_NAMES_MAX 1024		/* system call numbers named in the log line */
#define CONFINE_LINE_MAX  200

/* What pluto calls once it runs (seen under strace -f in every netns scenario, after
 * the filter is loaded): the event loop (libevent on epoll), its UDP sockets (sendmsg
 * with IP_PKTINFO, recvmsg), the control socket (accept4, SO_PEERCRED), XFRM netlink
 * through libmnl (sendto, recvmsg), getifaddrs() when whack --add orients a
 * connection (a NETLINK_ROUTE socket), ipsec.conf with its include globs and
 * ipsec.secrets, the log file, and the shutdown (unlink of pluto.ctl and pluto.pid,
 * NSS_Shutdown).  Added by reasoning, not seen in the tests: what malloc needs to grow
 * (brk, mmap, mremap, madvise, mprotect), NSS's and OpenSSL's random reseeding
 * (getrandom; OpenSSL's generators also ask getpid() to notice a fork) and
 * locks (futex), time without the vDSO, getrusage (whack --bench), and what abort()
 * needs.  socket() and ioctl() are allowed only in the forms pluto uses (below). */
static const char *const confine_allowed[] = {
	/* files: ipsec.conf and its includes, ipsec.secrets, the log, NSS's database */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "lseek", "close",
	"open", "openat", "stat", "fstat", "lstat", "newfstatat", "statx", "fcntl",
	"getdents64", "access", "faccessat", "faccessat2", "unlink", "unlinkat",
	"fsync", "fdatasync", "ftruncate",
	/* sockets: UDP 500/4500, the control socket, netlink */
	"bind", "accept4", "getsockname", "getpeername", "getsockopt", "setsockopt",
	"sendto", "sendmsg", "recvfrom", "recvmsg",
	/* the event loop */
	"epoll_ctl", "epoll_wait", "epoll_pwait",
	/* memory */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	/* time */
	"clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep",
	"clock_nanosleep", "getrusage",
	/* locks and signals (NSPR, libevent's signal handling, abort()) */
	"futex", "sched_yield", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
	"restart_syscall",
	/* who we are */
	"getpid", "gettid", "getuid", "geteuid", "getgid", "getegid", "uname",
	/* NSS's and OpenSSL's random numbers (crypt_init() seeds both before the filter) */
	"getrandom",
	/* the way out */
	"exit", "exit_group",
};

#if defined(__SANITIZE_ADDRESS__)
#define CONFINE_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONFINE_SANITIZER 1
#endif
#endif

#ifdef CONFINE_SANITIZER
/* ASan/UBSan builds only: the sanitizer runtime's own calls (LeakSanitizer stops the
 * world at exit with a ptrace()ing helper thread; reports read /proc/self/maps). */
static const char *const confine_sanitizer[] = {
	"clone", "clone3", "ptrace", "wait4", "waitpid", "prctl", "getppid", "sigaltstack",
	"arch_prctl", "sched_getaffinity", "getdents",
};
#endif

static volatile sig_atomic_t confine_log_fd = -1;
static enum conf_seccomp confine_mode;
static char *confine_names[CONFINE_NAMES_MAX];

static const char *confine_mode_name(enum conf_seccomp m)
{
	return m == CONF_SECCOMP_ENABLED ? "enabled" : m == CONF_SECCOMP_TOLERANT ? "tolerant" : "disabled";
}

/* async-signal-safe: a decimal number into buf */
static size_t put_num(char *buf, long v)
{
	char tmp[24];
	size_t n = 0, len = 0;
	unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	return len;
}

static size_t put_str(char *buf, size_t at, size_t max, const char *s)
{
	while (*s != '\0' && at + 1 < max)
		buf[at++] = *s++;
	return at;
}

#if defined(__x86_64__)
#define CONFINE_SET_RETURN(uc, v) ((uc)->uc_mcontext.gregs[REG_RAX] = (v))
#elif defined(__i386__)
#define CONFINE_SET_RETURN(uc, v) ((uc)->uc_mcontext.gregs[REG_EAX] = (v))
#elif defined(__aarch64__)
#define CONFINE_SET_RETURN(uc, v) ((uc)->uc_mcontext.regs[0] = (unsigned long long)(v))
#endif

static void confine_sigsys(int sig, siginfo_t *si, void *ctx)
{
	int nr = si->si_syscall;
	char line[CONFINE_LINE_MAX];
	size_t n = put_str(line, 0, sizeof(line), "seccomp: forbidden system call ");
	if (nr >= 0 && nr < CONFINE_NAMES_MAX && confine_names[nr] != NULL)
		n = put_str(line, n, sizeof(line), confine_names[nr]);
	else
		n = put_str(line, n, sizeof(line), "?");
	n = put_str(line, n, sizeof(line), " (");
	if (n + 24 < sizeof(line))
		n += put_num(line + n, nr);
	bool kill_it = confine_mode == CONF_SECCOMP_ENABLED;
	n = put_str(line, n, sizeof(line), kill_it ? "): pluto terminated (seccomp=enabled)\n"
						  : "): refused with EACCES, pluto continues (seccomp=tolerant)\n");
	int fd = confine_log_fd;
	if (fd >= 0 && write(fd, line, n) < 0) {
		/* nothing more to do */
	}
	if (fd != STDERR_FILENO && write(STDERR_FILENO, line, n) < 0) {
		/* nothing more to do */
	}
	if (kill_it) {
		/* die of SIGSYS once the handler returns (SIGSYS is blocked until then) */
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigaction(SIGSYS, &dfl, NULL);
		raise(SIGSYS);
		return;
	}
#ifdef CONFINE_SET_RETURN
	CONFINE_SET_RETURN((ucontext_t *)ctx, -EACCES);
#endif
}

static bool add_rules(struct pluto *p, scmp_filter_ctx f, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;	/* not a system call on this architecture */
		int rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 0);
		if (rc < 0) {
			plog(p, "seccomp: cannot allow %s: %s", names[i], strerror(-rc));
			return false;
		}
	}
	return true;
}

/* Calls allowed with one argument fixed: raise() and abort() signal this process
 * only (tgkill/kill to our own pid); socket() only for netlink (getifaddrs(), XFRM);
 * ioctl() only FIONREAD (libevent sizing a read).  With the updown helper
 * (updown_helper.c, which forks and execs the scripts outside this filter): wait4()
 * and kill() for its pid alone, to reap it and, should it hang at shutdown, to end it.
 * Returns how many were added. */
static int add_narrow_rules(struct pluto *p, scmp_filter_ctx f)
{
	scmp_datum_t me = (scmp_datum_t)getpid();
	int n = 0;
	const struct {
		const char *name;
		int nr;
		struct scmp_arg_cmp arg;
	} rules[] = {
		/* written out (not SCMP_A0/SCMP_A1, which leave datum_b to the compiler) */
		{ "tgkill", SCMP_SYS(tgkill), { .arg = 0, .op = SCMP_CMP_EQ, .datum_a = me, .datum_b = 0 } },
		{ "kill", SCMP_SYS(kill), { .arg = 0, .op = SCMP_CMP_EQ, .datum_a = me, .datum_b = 0 } },
		{ "socket", SCMP_SYS(socket), { .arg = 0, .op = SCMP_CMP_EQ, .datum_a = AF_NETLINK, .datum_b = 0 } },
		{ "ioctl", SCMP_SYS(ioctl), { .arg = 1, .op = SCMP_CMP_EQ, .datum_a = FIONREAD, .datum_b = 0 } },
	};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		int rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, rules[i].nr, 1, rules[i].arg);
		if (rc < 0) {
			plog(p, "seccomp: cannot allow %s: %s", rules[i].name, strerror(-rc));
			return -1;
		}
		n++;
	}
	int helper = updown_helper_pid(p);
	if (helper > 0) {
		struct scmp_arg_cmp pid = { .arg = 0, .op = SCMP_CMP_EQ, .datum_a = (scmp_datum_t)helper, .datum_b = 0 };
		if (seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(wait4), 1, pid) < 0 ||
		    seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, pid) < 0) {
			plog(p, "seccomp: cannot allow wait4 and kill for the updown helper");
			return -1;
		}
		n += 2;
	}
	return n;
}

static void name_syscalls(void)
{
	for (int nr = 0; nr < CONFINE_NAMES_MAX; nr++) {
		if (confine_names[nr] == NULL)
			confine_names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	}
}

bool confine_install(struct pluto *p)
{
	enum conf_seccomp mode = p->setup.seccomp;
	if (mode == CONF_SECCOMP_DISABLED)
		return true;
	uint32_t deflt = SCMP_ACT_TRAP;
#ifndef CONFINE_SET_RETURN
	if (mode == CONF_SECCOMP_TOLERANT)
		deflt = SCMP_ACT_ERRNO(EACCES);
#endif
	scmp_filter_ctx f = seccomp_init(deflt);
	if (f == NULL) {
		plog(p, "seccomp: cannot initialise libseccomp");
		return false;
	}
	bool ok = add_rules(p, f, confine_allowed, sizeof(confine_allowed) / sizeof(confine_allowed[0]));
#ifdef CONFINE_SANITIZER
	ok = ok && add_rules(p, f, confine_sanitizer, sizeof(confine_sanitizer) / sizeof(confine_sanitizer[0]));
#endif
	int narrow = ok ? add_narrow_rules(p, f) : -1;
	ok = ok && narrow >= 0;
	/* every thread (NSPR may have started some) gets the same filter */
	ok = ok && seccomp_attr_set(f, SCMP_FLTATR_CTL_TSYNC, 1) == 0;
	if (ok) {
		name_syscalls();
		confine_mode = mode;
		confine_log_fd = p->log != NULL ? fileno(p->log) : STDERR_FILENO;
		struct sigaction sa = { .sa_sigaction = confine_sigsys, .sa_flags = SA_SIGINFO };
		sigemptyset(&sa.sa_mask);
		ok = sigaction(SIGSYS, &sa, NULL) == 0;
	}
	int rc = ok ? seccomp_load(f) : -1;
	seccomp_release(f);
	if (rc < 0) {
		plog(p, "seccomp: cannot load the system call filter%s%s", rc < -1 ? ": " : "",
		     rc < -1 ? strerror(-rc) : "");
		return false;
	}
	plog(p, "seccomp=%s: system call filter installed (%zu calls allowed, %d in one form%s)",
	     confine_mode_name(mode), sizeof(confine_allowed) / sizeof(confine_allowed[0]), narrow,
#ifdef CONFINE_SANITIZER
	     ", and the sanitizer runtime's"
#else
	     ""
#endif
	);
	return true;
}

/* whack --seccomp-crashtest (Libreswan): make a call that is not on the list */
int confine_crashtest(struct pluto *p, struct whack_client *w)
{
	enum conf_seccomp mode = p->setup.seccomp;
	plog(p, "seccomp crashtest: calling getsid(), which is not on the allow-list (seccomp=%s)",
	     confine_mode_name(mode));
	log_flush(p);
	errno = 0;
	pid_t sid = getsid(0);
	int e = errno;
	if (sid < 0) {
		plog(p, "seccomp crashtest: getsid() refused (%s): pluto survives (seccomp=%s)", strerror(e),
		     confine_mode_name(mode));
		whack_printf(w, "seccomp crashtest: getsid() refused (%s); pluto survives (seccomp=%s)",
			     strerror(e), confine_mode_name(mode));
		return mode == CONF_SECCOMP_TOLERANT ? 0 : 1;
	}
	plog(p, "seccomp crashtest: getsid() allowed (seccomp=%s)", confine_mode_name(mode));
	whack_printf(w, "seccomp crashtest: getsid() allowed (seccomp=%s)", confine_mode_name(mode));
	return mode == CONF_SECCOMP_DISABLED ? 0 : 1;
}
