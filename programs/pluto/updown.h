/* updown.h -- the updown script (leftupdown=, Libreswan's interface): what pluto
 * tells it (updown.c), the helper process that runs it (updown_helper.c), and the
 * messages between the two (updown_msg.c).
 *
 * pluto runs no program itself: under seccomp it may not fork or exec, and it has
 * dropped every capability but CAP_NET_ADMIN, which a script that routes needs more
 * of.  A helper forked at start-up, before both, runs each script with /bin/sh -c in
 * a session of its own, reaps it (SIGCHLD through libevent), kills it when it hangs,
 * and reports its output and exit status; pluto logs them.  docs/architecture.md
 * ("The updown script") has the reasons. */
#ifndef UPDOWN_H
#define UPDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pluto;
struct ike_sa;
struct child_sa;

/* Limits (principle 4); updown-timeout= is the one an operator may need to change */
#define UPDOWN_VERSION        "2.0"	/* PLUTO_VERSION: Libreswan's interface version */
#define UPDOWN_MSG_MAX        16384	/* octets of one request or report */
#define UPDOWN_ENV_MAX        64	/* PLUTO_* variables of one run */
#define UPDOWN_MAX_RUNNING    8		/* scripts running at once (one per tunnel) */
#define UPDOWN_MAX_WAITING    1024	/* runs the helper holds; more wait in the socket */
#define UPDOWN_MAX_QUEUED     16384	/* runs pluto holds for the helper (each logged
					 * as not run beyond) */
#define UPDOWN_KILL_GRACE_MS  2000	/* after a timeout: SIGTERM, then SIGKILL */
#define UPDOWN_OUTPUT_LINES   40	/* lines of one run's output that are logged */
#define UPDOWN_LINE_MAX       256	/* octets of one logged line (longer are cut) */
#define UPDOWN_SHELL          "/bin/sh"
#define UPDOWN_SCRIPT_NAME    "_updown"	/* our default script, beside pluto */

/* One run: the helper runs cmd with /bin/sh -c and env added to its own
 * environment; runs with the same key (a tunnel) run one after the other, in order.
 * conn and verb come back in the reports (for the log). */
struct updown_request {
	uint32_t id;
	uint32_t timeout_ms;
	const char *key, *conn, *verb, *cmd;
	size_t nenv;
	const char *env[UPDOWN_ENV_MAX];
};

enum updown_report_kind {
	UPDOWN_OUTPUT = 'O',		/* one line the script wrote (text) */
	UPDOWN_EXITED = 'X',		/* it exited with status code */
	UPDOWN_SIGNALED = 'S',		/* signal code ended it */
	UPDOWN_TIMEDOUT = 'T',		/* killed after the timeout; code: the signal */
	UPDOWN_NOT_RUN = 'F',		/* never started (text: why) */
};

struct updown_report {
	uint8_t kind;			/* enum updown_report_kind */
	uint32_t id;
	int32_t code;
	uint32_t ms;			/* how long it ran */
	const char *conn, *verb, *text;
};

/* updown_msg.c (pure): the encodings on the helper's socket (SOCK_SEQPACKET, one
 * message each).  Encoders return the length, 0 when it does not fit cap; decoders
 * point into buf (every string of a valid message ends with its NUL inside it) and
 * are false on anything malformed. */
size_t updown_encode_request(const struct updown_request *r, uint8_t *buf, size_t cap);
bool updown_decode_request(uint8_t *buf, size_t len, struct updown_request *r);
size_t updown_encode_report(const struct updown_report *r, uint8_t *buf, size_t cap);
bool updown_decode_report(uint8_t *buf, size_t len, struct updown_report *r);
/* the end of requests: the helper finishes what it holds and exits */
#define UPDOWN_END 'E'

/* updown_helper.c: fork the helper (before the seccomp filter and the dropping of
 * capabilities, while pluto is one thread); its end of the socket is returned in
 * *fd and its pid in *pid */
bool updown_helper_fork(int *fd, int *pid, char *err, size_t errlen);

/* updown.c, in pluto */
bool updown_init(struct pluto *p);	/* the helper; before the event loop exists */
void updown_start(struct pluto *p);	/* its reports into the event loop */
int updown_helper_pid(const struct pluto *p);	/* 0: none (confine.c) */
/* at shutdown, after the last down: the helper finishes its runs (their ends are
 * logged) and exits */
void updown_stop(struct pluto *p);
void updown_tunnel_up(struct ike_sa *ike, struct child_sa *child);	/* prepare, route, up */
void updown_tunnel_down(struct ike_sa *ike, struct child_sa *child);	/* down, unroute */

/* pure pieces, for the unit tests */
/* "up-client", "down-host-v6", ...: verb + the suffix Libreswan gives it */
void updown_verb(const struct child_sa *child, const char *verb, char *out, size_t n);
/* The command for /bin/sh -c from leftupdown=: "ipsec _updown [ARGS]" (Libreswan's
 * default, and ours) runs script (our _updown, quoted) with ARGS when script is
 * not empty; anything else as written.  False when it does not fit. */
bool updown_command(const char *value, const char *script, char *out, size_t n);
/* The PLUTO_* environment of one run of verb (as updown_verb() makes it) for the
 * Child SA: NAME=VALUE strings in store, pointed at by env[]; the count */
size_t updown_env(struct ike_sa *ike, const struct child_sa *child, const char *verb, char *store,
		  size_t cap, const char **env, size_t max);

#endif
