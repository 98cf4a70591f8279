/* test_pluto_confine.c -- confine.c in a child process: seccomp=tolerant refuses a call
 * that is not on the list with EACCES and logs its name; seccomp=enabled logs the name
 * and the child dies of SIGSYS; calls on the list still work under the filter. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "ikev2.h"

#define CHILD_OUT_MAX 4096

/* run the filter in a child with stderr (its log) on a pipe; returns the wait status */
static int confined_child(enum conf_seccomp mode, char *out, size_t outlen)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		struct pluto *p = calloc(1, sizeof(*p));
		p->log = stderr;
		p->setup.seccomp = mode;
		if (!confine_install(p))
			_exit(10);
		if (write(STDERR_FILENO, "allowed write\n", 14) != 14)	/* on the list */
			_exit(11);
		errno = 0;
		pid_t sid = getsid(0);				/* not on the list */
		_exit(sid < 0 && errno == EACCES ? 0 : 12);
	}
	close(fds[1]);
	size_t n = 0;
	ssize_t r;
	while (n + 1 < outlen && (r = read(fds[0], out + n, outlen - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void tolerant_refuses_and_logs(void **state)
{
	char out[CHILD_OUT_MAX];
	int status = confined_child(CONF_SECCOMP_TOLERANT, out, sizeof(out));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(strstr(out, "seccomp=tolerant: system call filter installed"));
	assert_non_null(strstr(out, "allowed write"));
	assert_non_null(strstr(out, "seccomp: forbidden system call getsid ("));
	assert_non_null(strstr(out, "refused with EACCES, pluto continues (seccomp=tolerant)"));
}

static void enabled_logs_and_dies(void **state)
{
	char out[CHILD_OUT_MAX];
	int status = confined_child(CONF_SECCOMP_ENABLED, out, sizeof(out));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
	assert_non_null(strstr(out, "allowed write"));
	assert_non_null(strstr(out, "seccomp: forbidden system call getsid ("));
	assert_non_null(strstr(out, "pluto terminated (seccomp=enabled)"));
}

static void disabled_installs_nothing(void **state)
{
	char out[CHILD_OUT_MAX];
	int status = confined_child(CONF_SECCOMP_DISABLED, out, sizeof(out));
	/* getsid() works: the child exits 12 (not EACCES) */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 12);
	assert_null(strstr(out, "forbidden"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tolerant_refuses_and_logs),
		cmocka_unit_test(enabled_logs_and_dies),
		cmocka_unit_test(disabled_installs_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
