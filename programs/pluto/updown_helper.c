/* updown_helper.c -- the process that runs pluto's updown scripts.
 *
 * pluto forks it at start-up (updown_helper_fork), while it is one thread and before
 * it drops capabilities and loads its seccomp filter: the scripts need what pluto
 * gives up (fork and exec, which the filter refuses and which a filter would follow
 * into the script, since it is inherited across both; the capabilities to route and
 * to write firewall rules).  The helper keeps none of pluto's state: it is told, over
 * a SOCK_SEQPACKET socketpair, a command, an environment and a time limit, and
 * answers with the output and the end of each run (updown_msg.c).
 *
 * Each run is `/bin/sh -c CMD` (Libreswan's semantics) in a session of its own, its
 * stdout and stderr on a pipe, stdin /dev/null, the signals pluto ignores back to
 * their defaults, no descriptor but those three.  The helper reaps with SIGCHLD through
 * libevent, never blocks on a script, and after the request's time limit sends
 * SIGTERM to the script's process group and, UPDOWN_KILL_GRACE_MS later, SIGKILL.
 * Runs of one tunnel (the request's key) go one after the other in the order asked,
 * so that a down never overtakes its up; different tunnels run side by side, at most
 * UPDOWN_MAX_RUNNING at once.  With UPDOWN_MAX_WAITING runs waiting the helper reads
 * no more requests (they wait in the socket, then in pluto's queue); reports go out
 * through a queue of their own, so that neither side ever blocks on the other.  A run that exits leaves its background children alone
 * (Libreswan's documentation suggests them for long work).
 *
 * When pluto says END (shutdown) or goes away, the helper finishes what it holds --
 * the down scripts of pluto's last tunnels -- and exits; pluto reads the reports until
 * it does.  The helper ignores SIGINT, SIGTERM and SIGHUP for that reason: a ^C or a
 * service stop reaching the whole process group must not cut those scripts short. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <event2/event.h>
#include "updown.h"

extern char **environ;

struct helper;

struct job {
	struct job *next;
	struct helper *h;
	uint8_t *msg;			/* the request; r's strings point into it */
	struct updown_request r;
	char **envp;
	pid_t pid;
	int out;			/* the script's stdout+stderr, -1 once closed */
	struct event *out_ev, *timer;
	bool timed_out;
	int kill_sig;			/* the last signal the timeout sent */
	unsigned lines;
	size_t linelen;
	char line[UPDOWN_LINE_MAX];
	struct timespec t0;
};

/* a report the socket did not take yet */
struct out {
	struct out *next;
	size_t len;
	uint8_t msg[];
};

struct helper {
	struct event_base *base;
	int fd;
	struct event *sock_ev, *chld_ev, *write_ev;
	struct job *wait_head, *wait_tail, *running;
	unsigned nwaiting, nrunning;
	bool reading;			/* sock_ev is armed (not while UPDOWN_MAX_WAITING wait) */
	bool ending;			/* END received or pluto gone: finish and exit */
	bool pluto_gone;		/* reports cannot be sent any more */
	struct out *out_head, *out_tail;
};

static uint32_t ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	int64_t ms = (int64_t)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

/* queued reports while the socket takes them; never blocks (pluto may be blocked
 * sending to us at its shutdown, and reads only after) */
static void flush_reports(struct helper *h)
{
	while (h->out_head != NULL && !h->pluto_gone) {
		struct out *o = h->out_head;
		if (send(h->fd, o->msg, o->len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				event_add(h->write_ev, NULL);
				return;
			}
			h->pluto_gone = true;	/* EPIPE: nobody to tell */
			break;
		}
		h->out_head = o->next;
		free(o);
	}
	while (h->pluto_gone && h->out_head != NULL) {
		struct out *o = h->out_head;
		h->out_head = o->next;
		free(o);
	}
	if (h->out_head == NULL)
		h->out_tail = NULL;
}

static void report(struct helper *h, const struct updown_request *r, uint8_t kind, int32_t code, uint32_t ms,
		   const char *text)
{
	uint8_t buf[UPDOWN_MSG_MAX];
	struct updown_report rep = { .kind = kind, .id = r != NULL ? r->id : 0, .code = code, .ms = ms,
				     .conn = r != NULL ? r->conn : "", .verb = r != NULL ? r->verb : "",
				     .text = text };
	size_t n = updown_encode_report(&rep, buf, sizeof(buf));
	if (h->pluto_gone || n == 0)
		return;
	struct out *o = malloc(sizeof(*o) + n);
	if (o == NULL)
		return;
	o->next = NULL;
	o->len = n;
	memcpy(o->msg, buf, n);
	if (h->out_tail != NULL)
		h->out_tail->next = o;
	else
		h->out_head = o;
	h->out_tail = o;
	if (h->out_head == o)
		flush_reports(h);
}

static void maybe_exit(struct helper *h);

static void on_writable(evutil_socket_t fd, short what, void *arg)
{
	flush_reports(arg);
	maybe_exit(arg);
}

/* done when pluto said END (or went away), nothing runs or waits, and every
 * report is out */
static void maybe_exit(struct helper *h)
{
	if (h->ending && h->nrunning == 0 && h->nwaiting == 0 && (h->out_head == NULL || h->pluto_gone))
		event_base_loopbreak(h->base);
}

/* back-pressure: requests stay in the socket (and then in pluto's queue) while
 * UPDOWN_MAX_WAITING runs wait here */
static void read_requests(struct helper *h, bool on)
{
	if (on == h->reading || (on && h->ending))
		return;
	h->reading = on;
	if (on)
		event_add(h->sock_ev, NULL);
	else
		event_del(h->sock_ev);
}

/* --- output ------------------------------------------------------------------------ */

static void emit_line(struct job *j)
{
	j->line[j->linelen] = '\0';
	j->linelen = 0;
	if (j->lines < UPDOWN_OUTPUT_LINES)
		report(j->h, &j->r, UPDOWN_OUTPUT, 0, 0, j->line);
	else if (j->lines == UPDOWN_OUTPUT_LINES)
		report(j->h, &j->r, UPDOWN_OUTPUT, 0, 0, "(more output not logged)");
	j->lines++;
}

static void feed(struct job *j, const char *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)d[i];
		if (c == '\n') {
			emit_line(j);
			continue;
		}
		if (j->linelen + 1 < sizeof(j->line))
			j->line[j->linelen++] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
}

static void close_output(struct job *j)
{
	if (j->out < 0)
		return;
	if (j->linelen > 0)
		emit_line(j);
	event_free(j->out_ev);
	j->out_ev = NULL;
	close(j->out);
	j->out = -1;
}

/* reads what is there; at EOF the pipe is closed (the script may still run) */
static void drain_output(struct job *j)
{
	char buf[4096];
	while (j->out >= 0) {
		ssize_t n = read(j->out, buf, sizeof(buf));
		if (n > 0) {
			feed(j, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			close_output(j);
		return;
	}
}

static void on_output(evutil_socket_t fd, short what, void *arg)
{
	drain_output(arg);
}

/* --- starting, timing out, reaping ------------------------------------------------ */

static void try_start(struct helper *h);

static void free_job(struct job *j)
{
	close_output(j);
	if (j->timer != NULL)
		event_free(j->timer);
	free(j->envp);
	free(j->msg);
	free(j);
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct job *j = arg;
	/* the script's process group: the shell and what it started */
	j->kill_sig = j->timed_out ? SIGKILL : SIGTERM;
	j->timed_out = true;
	kill(-j->pid, j->kill_sig);
	if (j->kill_sig == SIGTERM) {
		struct timeval tv = { UPDOWN_KILL_GRACE_MS / 1000, (UPDOWN_KILL_GRACE_MS % 1000) * 1000 };
		event_base_update_cache_time(j->h->base);
		evtimer_add(j->timer, &tv);
	}
}

/* the helper's environment without PLUTO_* and the names the request sets, then the
 * request's variables */
static char **merge_env(const struct updown_request *r)
{
	size_t n = 0;
	while (environ != NULL && environ[n] != NULL)
		n++;
	char **envp = calloc(n + r->nenv + 1, sizeof(*envp));
	if (envp == NULL)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e = environ[i], *eq = strchr(e, '=');
		bool drop = strncmp(e, "PLUTO_", 6) == 0 || eq == NULL;
		for (size_t j = 0; j < r->nenv && !drop; j++)
			drop = strncmp(e, r->env[j], (size_t)(eq - e) + 1) == 0;
		if (!drop)
			envp[k++] = environ[i];
	}
	for (size_t j = 0; j < r->nenv; j++)
		envp[k++] = (char *)r->env[j];
	envp[k] = NULL;
	return envp;
}

/* in the child, between fork and exec: only calls that are safe there */
static void exec_script(const struct job *j, int out_w)
{
	setsid();
	int null = open("/dev/null", O_RDONLY);
	if (null >= 0 && null != STDIN_FILENO)
		dup2(null, STDIN_FILENO);
	dup2(out_w, STDOUT_FILENO);
	dup2(out_w, STDERR_FILENO);
	close_range(3, ~0u, 0);
	/* every signal to its default, those libc keeps to itself (32, 33) too, which
	 * only the system call reaches: an ignored signal would survive the exec.  The
	 * kernel's struct sigaction all zero is SIG_DFL, no flags, empty mask, whatever
	 * the architecture's layout. */
	static const uint64_t dfl[4];
	for (int s = 1; s <= 64; s++)
		syscall(SYS_rt_sigaction, s, dfl, NULL, sizeof(uint64_t));	/* EINVAL for KILL, STOP */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	char *argv[] = { "sh", "-c", (char *)j->r.cmd, NULL };
	execve(UPDOWN_SHELL, argv, j->envp);
	dprintf(STDERR_FILENO, "cannot execute %s: %s\n", UPDOWN_SHELL, strerror(errno));
	_exit(127);
}

static bool start(struct helper *h, struct job *j)
{
	int pfd[2];
	j->envp = merge_env(&j->r);
	if (j->envp == NULL || pipe2(pfd, O_CLOEXEC) < 0) {
		report(h, &j->r, UPDOWN_NOT_RUN, 0, 0, j->envp == NULL ? "out of memory" : strerror(errno));
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &j->t0);
	j->pid = fork();
	if (j->pid == 0)
		exec_script(j, pfd[1]);
	int e = errno;
	close(pfd[1]);
	if (j->pid < 0) {
		close(pfd[0]);
		report(h, &j->r, UPDOWN_NOT_RUN, 0, 0, strerror(e));
		return false;
	}
	j->out = pfd[0];
	fcntl(j->out, F_SETFL, fcntl(j->out, F_GETFL) | O_NONBLOCK);
	j->out_ev = event_new(h->base, j->out, EV_READ | EV_PERSIST, on_output, j);
	j->timer = evtimer_new(h->base, on_timeout, j);
	if (j->out_ev != NULL)
		event_add(j->out_ev, NULL);
	if (j->timer != NULL) {
		/* from now, not from when this round of the loop began (libevent's cached
		 * time: a round that forked several scripts may be old) */
		struct timeval tv = { j->r.timeout_ms / 1000, (j->r.timeout_ms % 1000) * 1000 };
		event_base_update_cache_time(h->base);
		evtimer_add(j->timer, &tv);
	}
	j->next = h->running;
	h->running = j;
	h->nrunning++;
	return true;
}

static void finished(struct helper *h, struct job *j, int status)
{
	for (struct job **pp = &h->running; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	h->nrunning--;
	/* its output so far; a background child holding the pipe is not waited for */
	drain_output(j);
	close_output(j);
	uint32_t ms = ms_since(&j->t0);
	if (j->timed_out)
		report(h, &j->r, UPDOWN_TIMEDOUT, WIFSIGNALED(status) ? WTERMSIG(status) : j->kill_sig, ms, "");
	else if (WIFSIGNALED(status))
		report(h, &j->r, UPDOWN_SIGNALED, WTERMSIG(status), ms, "");
	else
		report(h, &j->r, UPDOWN_EXITED, WEXITSTATUS(status), ms, "");
	free_job(j);
}

static void on_sigchld(evutil_socket_t sig, short what, void *arg)
{
	struct helper *h = arg;
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct job *j = h->running;
		while (j != NULL && j->pid != pid)
			j = j->next;
		if (j != NULL)
			finished(h, j, status);
	}
	try_start(h);
	read_requests(h, h->nwaiting < UPDOWN_MAX_WAITING);
	maybe_exit(h);
}

static bool key_running(const struct helper *h, const char *key)
{
	for (const struct job *j = h->running; j != NULL; j = j->next)
		if (strcmp(j->r.key, key) == 0)
			return true;
	return false;
}

/* the waiting runs in order; one waits while a run of its tunnel is running or
 * waiting before it */
static void try_start(struct helper *h)
{
	struct job **pp = &h->wait_head, *prev = NULL;
	while (*pp != NULL && h->nrunning < UPDOWN_MAX_RUNNING) {
		struct job *j = *pp;
		bool blocked = key_running(h, j->r.key);
		for (const struct job *e = h->wait_head; e != j && !blocked; e = e->next)
			blocked = strcmp(e->r.key, j->r.key) == 0;
		if (blocked) {
			prev = j;
			pp = &j->next;
			continue;
		}
		*pp = j->next;
		if (h->wait_tail == j)
			h->wait_tail = prev;
		h->nwaiting--;
		j->next = NULL;
		if (!start(h, j))
			free_job(j);
	}
}

/* --- requests ------------------------------------------------------------------------ */

static void take_request(struct helper *h, const uint8_t *buf, size_t n)
{
	struct job *j = calloc(1, sizeof(*j));
	uint8_t *msg = malloc(n + 1);
	if (j == NULL || msg == NULL) {
		free(j);
		free(msg);
		return;
	}
	memcpy(msg, buf, n);
	j->msg = msg;
	j->h = h;
	j->out = -1;
	if (!updown_decode_request(msg, n, &j->r)) {
		report(h, NULL, UPDOWN_NOT_RUN, 0, 0, "malformed request");
		free_job(j);
		return;
	}
	if (h->wait_tail != NULL)
		h->wait_tail->next = j;
	else
		h->wait_head = j;
	h->wait_tail = j;
	h->nwaiting++;
}

static void on_request(evutil_socket_t fd, short what, void *arg)
{
	struct helper *h = arg;
	static uint8_t buf[UPDOWN_MSG_MAX + 1];
	while (h->nwaiting < UPDOWN_MAX_WAITING) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0 || (n == 1 && buf[0] == UPDOWN_END)) {
			/* pluto is shutting down, or gone (EOF, an error) */
			read_requests(h, false);
			h->ending = true;
			h->pluto_gone |= n <= 0;
			break;
		}
		if ((size_t)n > UPDOWN_MSG_MAX) {
			report(h, NULL, UPDOWN_NOT_RUN, 0, 0, "request too long");
			continue;
		}
		take_request(h, buf, (size_t)n);
	}
	try_start(h);
	read_requests(h, h->nwaiting < UPDOWN_MAX_WAITING);
	maybe_exit(h);
}

static _Noreturn void helper_main(int fd)
{
	/* nothing of pluto's but the socket and stdin/stdout/stderr */
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0u, 0);
	prctl(PR_SET_NAME, "pluto-updown", 0, 0, 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	struct helper h = { .fd = fd };
	h.base = event_base_new();
	if (h.base == NULL)
		_exit(1);
	h.sock_ev = event_new(h.base, fd, EV_READ | EV_PERSIST, on_request, &h);
	h.write_ev = event_new(h.base, fd, EV_WRITE, on_writable, &h);
	h.chld_ev = evsignal_new(h.base, SIGCHLD, on_sigchld, &h);
	if (h.sock_ev == NULL || h.write_ev == NULL || h.chld_ev == NULL || event_add(h.sock_ev, NULL) != 0 ||
	    event_add(h.chld_ev, NULL) != 0)
		_exit(1);
	h.reading = true;
	event_base_dispatch(h.base);
	/* _exit: no atexit handlers or stdio buffers of pluto's run here */
	_exit(0);
}

bool updown_helper_fork(int *fd, int *pid, char *err, size_t errlen)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return false;
	}
	fflush(NULL);
	pid_t child = fork();
	if (child == 0) {
		close(sv[0]);
		helper_main(sv[1]);
	}
	int e = errno;
	close(sv[1]);
	if (child < 0) {
		close(sv[0]);
		snprintf(err, errlen, "fork: %s", strerror(e));
		return false;
	}
	*fd = sv[0];
	*pid = child;
	return true;
}
