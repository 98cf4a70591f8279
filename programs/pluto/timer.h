/* timer.h -- the timer and clock seam: the one place where protocol code gets the
 * time and asks to be called back later.
 *
 * A timer is embedded in what it times (an IKE SA's retransmission, a Child SA's
 * lifetime, ...): a callback, its argument and a due time.  Idle timers are all
 * zeroes, so a calloc'ed owner needs no set-up; an owner cancels its timers before
 * it is freed.  The pending timers of one struct pluto form a heap kept by this
 * module (a pairing heap threaded through the timers themselves: no allocation,
 * O(1) to schedule, O(log n) amortized to cancel or fire, at any number of timers);
 * timers due at the same millisecond fire in the order they were scheduled.
 *
 * Two back ends decide where "now" comes from and who fires due timers:
 *  - TIMER_LIBEVENT (the daemon, the default): CLOCK_MONOTONIC, and one libevent
 *    timer on p->base set for the earliest due time;
 *  - TIMER_MANUAL (the two-peer unit test): a clock that moves only when the test
 *    calls timer_advance(), which fires the due timers in order, each at its time.
 * Sockets, signals and the whack socket stay on libevent directly (iface.c,
 * server.c, whack_server.c); only time goes through here.
 */
#ifndef TIMER_H
#define TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct pluto;
struct event;

typedef void timer_fn(void *arg);

struct pluto_timer {
	/* what the heap reads first, together (one cache line) */
	uint64_t due_ms;		/* on pluto_now_ms(pluto)'s clock */
	uint64_t seq;			/* order of scheduling, for equal due times */
	/* pairing heap links: first child, next sibling, and prev (the parent for a
	 * first child, else the sibling before) */
	struct pluto_timer *child, *next, *prev;
	timer_fn *fn;
	void *arg;
	struct pluto *pluto;
	bool pending;
};

enum timer_backend {
	TIMER_LIBEVENT = 0,
	TIMER_MANUAL,
};

/* The per-pluto part (struct pluto's `timers`) */
struct timers {
	enum timer_backend backend;
	struct pluto_timer *root;	/* the earliest pending timer */
	unsigned long n;		/* pending timers */
	uint64_t next_seq;
	uint64_t now_ms;		/* TIMER_MANUAL: the clock */
	bool running;			/* firing due timers */
	struct event *wake;		/* TIMER_LIBEVENT: fires at root's due time */
	uint64_t wake_due_ms;		/* what wake is set for (when armed) */
	bool wake_armed;
};

/* The time in milliseconds on p's clock (monotonic; not the time of day) */
uint64_t pluto_now_ms(struct pluto *p);

/* Calls fn(arg) delay_ms from now; a pending timer is moved */
void timer_schedule(struct pluto_timer *t, struct pluto *p, timer_fn *fn, void *arg, uint64_t delay_ms);
/* Stops t if it is pending; idle and never-used (zeroed) timers are fine */
void timer_cancel(struct pluto_timer *t);
bool timer_is_pending(const struct pluto_timer *t);
/* When t fires (meaningful while it is pending) */
uint64_t timer_due_ms(const struct pluto_timer *t);

/* Selects the manual back end with the clock at start_ms; before any timer is
 * scheduled (unit tests) */
void timers_use_manual(struct pluto *p, uint64_t start_ms);
/* TIMER_MANUAL: moves the clock ms forward, firing every timer due by then in
 * order of due time, with the clock at each one's due time while it runs
 * (timers scheduled meanwhile fire too if they are due by the end) */
void timer_advance(struct pluto *p, uint64_t ms);
/* The due time of the earliest pending timer; false when none is pending */
bool timer_next_due(struct pluto *p, uint64_t *due_ms);
/* At shutdown, after the owners of the timers are gone */
void timers_free(struct pluto *p);

#endif
