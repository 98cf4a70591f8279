/* helper.h -- crypto helper threads (nhelpers=): the event loop hands a job to a
 * pool of threads and picks the result up again through one eventfd.
 *
 * Ownership (docs/architecture.md, "Threads"): a job is a pure computation over
 * inputs it owns (copied in) producing outputs it owns.  Between helper_submit() and
 * its completion the job belongs to the pool: the event loop does not touch it, the
 * helper thread touches only its inputs and outputs (never struct pluto, an SA or
 * the log).  Back in the loop, the job's `done` runs with the SA that waits for it,
 * or `cleanup` alone when that SA is gone; `cleanup` frees the job and wipes its
 * secrets.
 */
#ifndef HELPER_H
#define HELPER_H

#include <stdbool.h>
#include <stdint.h>

struct pluto;
struct ike_sa;
struct helper_job;

/* in a helper thread, or inline when there are none: the computation alone */
typedef void helper_work_fn(struct helper_job *job);
/* in the event loop: the SA that waits (never NULL: a gone SA gets cleanup only) */
typedef void helper_done_fn(struct ike_sa *ike, struct helper_job *job);
/* in the event loop: frees the job, wiping its secrets */
typedef void helper_cleanup_fn(struct helper_job *job);

struct helper_job {
	/* set by the submitter, read-only while the job runs */
	const char *what;		/* for debug lines ("IKE_SA_INIT key exchange") */
	helper_work_fn *work;
	helper_done_fn *done;
	helper_cleanup_fn *cleanup;
	unsigned delay_ms;		/* whack --impair slow-crypto: the helper sleeps first */
	unsigned serial;		/* the waiting SA's serial (log lines) */
	/* the event loop's alone (never read by a helper) */
	struct ike_sa *ike;		/* the waiting SA; NULL once it is gone */
	struct helper_job *next;	/* the pool's queues (under its lock) */
};

/* the pool (struct pluto's `helpers`); zeroed = no helpers */
struct helpers;

/* nhelpers= (CONF_NHELPERS_AUTO, 0 or a count) -> how many threads to start */
unsigned helpers_count(int nhelpers, long ncpus);
/* start n threads and the eventfd watched by p->base (before the seccomp filter);
 * n == 0 starts nothing.  False (and nothing started) on failure. */
bool helpers_start(struct pluto *p, unsigned n);
/* how many are running (0: jobs run inline) */
unsigned helpers_running(const struct pluto *p);
/* queue a job whose job->ike waits for it; the SA's ike->job is set */
void helper_submit(struct pluto *p, struct helper_job *job);
/* run a job now, in this thread (nhelpers=0), impairment included */
void helper_run_inline(struct pluto *p, struct helper_job *job);
/* the SA is going: its job's result will be dropped (and wiped) when it comes */
void helper_forget(struct ike_sa *ike);
/* completed jobs: give each to its SA or drop it (the eventfd's callback; tests) */
void helpers_collect(struct pluto *p);
/* wait until at least one completed job is there (tests); false on timeout */
bool helpers_wait(struct pluto *p, unsigned timeout_ms);
/* stop the threads (a job in flight finishes first), drop every queued and
 * completed job with its cleanup, close the eventfd */
void helpers_stop(struct pluto *p);
/* for whack --status: jobs completed by the pool, jobs queued or running */
uint64_t helpers_jobs_done(const struct pluto *p);
unsigned helpers_inflight(const struct pluto *p);

#endif
