/* helper.c -- crypto helper threads (nhelpers=, helper.h): a queue of jobs under one
 * mutex, n threads taking from it, a queue of completed jobs and one eventfd that
 * wakes the event loop.  The threads never touch struct pluto beyond the pool, nor
 * an SA, nor the log (docs/architecture.md, "Threads"). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/eventfd.h>
#include "pluto.h"
#include "helper.h"

struct helpers {
	struct pluto *pluto;
	unsigned n;
	pthread_t *threads;
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* a job was queued, or stop */
	struct helper_job *todo, *todo_tail;	/* under lock */
	struct helper_job *done, *done_tail;	/* under lock */
	bool stop;			/* under lock */
	unsigned started;		/* under lock: threads inside helper_main() */
	int efd;			/* eventfd: completed jobs are waiting */
	struct event *ev;
	uint64_t jobs_done;		/* the loop's counts: jobs completed, in flight */
	unsigned inflight;
};

/* Libreswan (ipsec.conf(5) nhelpers=): -1 starts as many helpers as CPUs minus one
 * for the main thread, but as many as CPUs on machines with fewer than 4 */
unsigned helpers_count(int nhelpers, long ncpus)
{
	if (nhelpers >= 0)
		return (unsigned)nhelpers;
	if (ncpus < 1)
		ncpus = 1;
	long n = ncpus >= 4 ? ncpus - 1 : ncpus;
	return (unsigned)(n > CONF_NHELPERS_MAX ? CONF_NHELPERS_MAX : n);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void run(struct helper_job *job)
{
	if (job->delay_ms != 0)
		sleep_ms(job->delay_ms);
	job->work(job);
}

static void push(struct helper_job **head, struct helper_job **tail, struct helper_job *job)
{
	job->next = NULL;
	if (*tail != NULL)
		(*tail)->next = job;
	else
		*head = job;
	*tail = job;
}

static struct helper_job *pop(struct helper_job **head, struct helper_job **tail)
{
	struct helper_job *job = *head;
	if (job != NULL) {
		*head = job->next;
		if (*head == NULL)
			*tail = NULL;
		job->next = NULL;
	}
	return job;
}

static void *helper_main(void *arg)
{
	struct helpers *h = arg;
	pthread_mutex_lock(&h->lock);
	/* a new thread's own start-up calls (rseq, set_robust_list, ...) are behind
	 * it: helpers_start() may return and the seccomp filter load */
	h->started++;
	pthread_cond_broadcast(&h->cond);
	for (;;) {
		while (!h->stop && h->todo == NULL)
			pthread_cond_wait(&h->cond, &h->lock);
		if (h->stop)
			break;
		struct helper_job *job = pop(&h->todo, &h->todo_tail);
		pthread_mutex_unlock(&h->lock);
		run(job);
		pthread_mutex_lock(&h->lock);
		push(&h->done, &h->done_tail, job);
		/* wakes the loop; the counter cannot overflow (2^64 - 2 jobs) */
		uint64_t one = 1;
		ssize_t w = write(h->efd, &one, sizeof(one));
		(void)w;
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

static void helpers_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pluto *p = arg;
	helpers_collect(p);
	ike_sa_free_all(p);
	log_flush(p);
}

static void helpers_free(struct helpers *h)
{
	if (h->efd >= 0)
		close(h->efd);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
	free(h->threads);
	free(h);
}

bool helpers_start(struct pluto *p, unsigned n)
{
	if (n == 0)
		return true;
	struct helpers *h = calloc(1, sizeof(*h));
	if (h == NULL)
		return false;
	h->pluto = p;
	h->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	h->threads = calloc(n, sizeof(*h->threads));
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	if (h->efd < 0 || h->threads == NULL) {
		plog(p, "cannot start crypto helpers: %s", strerror(errno));
		helpers_free(h);
		return false;
	}
	if (p->base != NULL) {
		h->ev = event_new(p->base, h->efd, EV_READ | EV_PERSIST, helpers_cb, p);
		if (h->ev == NULL || event_add(h->ev, NULL) != 0) {
			plog(p, "cannot watch the crypto helpers' eventfd");
			if (h->ev != NULL)
				event_free(h->ev);
			helpers_free(h);
			return false;
		}
	}
	for (h->n = 0; h->n < n; h->n++) {
		if (pthread_create(&h->threads[h->n], NULL, helper_main, h) != 0)
			break;
		char name[16];
		snprintf(name, sizeof(name), "pluto-helper%u", h->n + 1);
		pthread_setname_np(h->threads[h->n], name);
	}
	/* every thread is inside helper_main() before the caller goes on */
	pthread_mutex_lock(&h->lock);
	while (h->started < h->n)
		pthread_cond_wait(&h->cond, &h->lock);
	pthread_mutex_unlock(&h->lock);
	p->helpers = h;
	if (h->n < n) {
		plog(p, "cannot start crypto helper %u of %u", h->n + 1, n);
		helpers_stop(p);
		return false;
	}
	plog(p, "started %u crypto helper thread%s", n, n == 1 ? "" : "s");
	return true;
}

unsigned helpers_running(const struct pluto *p)
{
	return p->helpers != NULL ? p->helpers->n : 0;
}

void helper_submit(struct pluto *p, struct helper_job *job)
{
	struct helpers *h = p->helpers;
	job->ike->job = job;
	h->inflight++;
	pthread_mutex_lock(&h->lock);
	push(&h->todo, &h->todo_tail, job);
	pthread_cond_signal(&h->cond);
	pthread_mutex_unlock(&h->lock);
}

void helper_run_inline(struct pluto *p, struct helper_job *job)
{
	run(job);
	if (p->helpers != NULL)
		p->helpers->jobs_done++;
}

void helper_forget(struct ike_sa *ike)
{
	if (ike->job != NULL) {
		ike->job->ike = NULL;
		ike->job = NULL;
	}
}

/* one completed job: to its SA, or dropped (and wiped) when the SA is gone */
static void complete(struct pluto *p, struct helper_job *job)
{
	struct ike_sa *ike = job->ike;
	p->helpers->jobs_done++;
	p->helpers->inflight--;
	if (ike == NULL || ike_sa_dead(ike) || ike->job != job) {
		dbg(p, "crypto helper: %s for #%u done, but the IKE SA is gone; result dropped",
		    job->what, job->serial);
		job->cleanup(job);
		return;
	}
	ike->job = NULL;
	ike_dbg(ike, "crypto helper: %s done; resuming", job->what);
	job->done(ike, job);
	job->cleanup(job);
}

void helpers_collect(struct pluto *p)
{
	struct helpers *h = p->helpers;
	if (h == NULL)
		return;
	uint64_t count;
	if (read(h->efd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		plog(p, "crypto helpers: eventfd: %s", strerror(errno));
	pthread_mutex_lock(&h->lock);
	struct helper_job *list = h->done;
	h->done = h->done_tail = NULL;
	pthread_mutex_unlock(&h->lock);
	while (list != NULL) {
		struct helper_job *job = list;
		list = job->next;
		job->next = NULL;
		complete(p, job);
	}
}

bool helpers_wait(struct pluto *p, unsigned timeout_ms)
{
	struct helpers *h = p->helpers;
	if (h == NULL)
		return false;
	struct pollfd pfd = { .fd = h->efd, .events = POLLIN };
	return poll(&pfd, 1, (int)timeout_ms) == 1;
}

static void drop_list(struct helper_job *list)
{
	while (list != NULL) {
		struct helper_job *job = list;
		list = job->next;
		if (job->ike != NULL)
			job->ike->job = NULL;
		job->cleanup(job);
	}
}

void helpers_stop(struct pluto *p)
{
	struct helpers *h = p->helpers;
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
	for (unsigned i = 0; i < h->n; i++)
		pthread_join(h->threads[i], NULL);
	/* the threads are gone: the queues are the loop's alone */
	drop_list(h->todo);
	drop_list(h->done);
	if (h->ev != NULL)
		event_free(h->ev);
	p->helpers = NULL;
	helpers_free(h);
}

uint64_t helpers_jobs_done(const struct pluto *p)
{
	return p->helpers != NULL ? p->helpers->jobs_done : 0;
}

unsigned helpers_inflight(const struct pluto *p)
{
	return p->helpers != NULL ? p->helpers->inflight : 0;
}
