/* timer.c -- timers and the clock (timer.h): a pairing heap of the pending timers
 * per struct pluto, and the two back ends that say what time it is and fire the
 * due ones. */
#include <time.h>
#include <event2/event.h>
#include "pluto.h"

/* --- the heap ----------------------------------------------------------------------- */

static bool earlier(const struct pluto_timer *a, const struct pluto_timer *b)
{
	return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->seq < b->seq);
}

/* Two heap roots (no siblings, no parent) -> one: the later becomes the earlier's
 * first child */
static struct pluto_timer *meld(struct pluto_timer *a, struct pluto_timer *b)
{
	if (earlier(b, a)) {
		struct pluto_timer *t = a;
		a = b;
		b = t;
	}
	b->prev = a;
	b->next = a->child;
	if (a->child != NULL)
		a->child->prev = b;
	a->child = b;
	return a;
}

/* A list of sibling subheaps -> one heap: pairs melded left to right, then the pairs
 * melded right to left (the two-pass rule that gives the O(log n) amortized bound),
 * without recursion since the list may be as long as the heap */
static struct pluto_timer *merge_pairs(struct pluto_timer *first)
{
	struct pluto_timer *pairs = NULL;	/* melded pairs, last first, through ->next */
	while (first != NULL) {
		struct pluto_timer *a = first, *b = a->next;
		first = b != NULL ? b->next : NULL;
		a->next = a->prev = NULL;
		if (b != NULL) {
			b->next = b->prev = NULL;
			a = meld(a, b);
		}
		a->next = pairs;
		pairs = a;
	}
	struct pluto_timer *root = pairs;
	if (root == NULL)
		return NULL;
	pairs = root->next;
	root->next = NULL;
	while (pairs != NULL) {
		struct pluto_timer *s = pairs;
		pairs = s->next;
		s->next = NULL;
		root = meld(root, s);
	}
	return root;
}

static void heap_insert(struct timers *ts, struct pluto_timer *t)
{
	t->child = t->next = t->prev = NULL;
	ts->root = ts->root != NULL ? meld(ts->root, t) : t;
	ts->n++;
}

static void heap_remove(struct timers *ts, struct pluto_timer *t)
{
	if (t == ts->root) {
		ts->root = merge_pairs(t->child);
	} else {
		/* cut t's subheap out of its sibling list */
		if (t->prev->child == t)
			t->prev->child = t->next;
		else
			t->prev->next = t->next;
		if (t->next != NULL)
			t->next->prev = t->prev;
		struct pluto_timer *sub = merge_pairs(t->child);
		if (sub != NULL)
			ts->root = meld(ts->root, sub);
	}
	t->child = t->next = t->prev = NULL;
	ts->n--;
}

/* --- the clock and the back ends ---------------------------------------------------- */

uint64_t pluto_now_ms(struct pluto *p)
{
	if (p->timers.backend == TIMER_MANUAL)
		return p->timers.now_ms;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Fires the timers due by now that were scheduled before this call: one scheduled
 * by a callback for "now" waits for the next round, so that I/O gets its turn. */
static void run_due(struct pluto *p, uint64_t now)
{
	struct timers *ts = &p->timers;
	uint64_t seq_limit = ts->next_seq;
	ts->running = true;
	while (ts->root != NULL && ts->root->due_ms <= now && ts->root->seq < seq_limit) {
		struct pluto_timer *t = ts->root;
		heap_remove(ts, t);
		t->pending = false;
		if (DBGP(p, DBG_TMI))
			dbg_log(p, NULL, DBG_TMI, "timer: firing one due at %llu ms (now %llu ms; %lu more pending)",
				(unsigned long long)t->due_ms, (unsigned long long)now, ts->n);
		t->fn(t->arg);
	}
	ts->running = false;
}

static void wake_cb(evutil_socket_t fd, short what, void *arg);

/* TIMER_LIBEVENT: the one libevent timer follows the earliest due time */
static void rearm(struct pluto *p)
{
	struct timers *ts = &p->timers;
	if (ts->backend != TIMER_LIBEVENT || ts->running)
		return;
	if (ts->root == NULL) {
		if (ts->wake_armed)
			event_del(ts->wake);
		ts->wake_armed = false;
		return;
	}
	if (ts->wake_armed && ts->wake_due_ms == ts->root->due_ms)
		return;
	if (ts->wake == NULL) {
		if (p->base == NULL || (ts->wake = evtimer_new(p->base, wake_cb, p)) == NULL)
			return;
	}
	uint64_t now = pluto_now_ms(p), due = ts->root->due_ms;
	uint64_t delay = due > now ? due - now : 0;
	struct timeval tv = { (time_t)(delay / 1000), (suseconds_t)(delay % 1000) * 1000 };
	if (event_add(ts->wake, &tv) == 0) {
		ts->wake_armed = true;
		ts->wake_due_ms = due;
	}
}

static void wake_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pluto *p = arg;
	p->timers.wake_armed = false;
	struct dbg_cpu t;
	dbg_cpu_start(p, p->debug, &t);
	run_due(p, pluto_now_ms(p));
	dbg_cpu_done(p, p->debug, &t, "timers");
	rearm(p);
}

void timers_use_manual(struct pluto *p, uint64_t start_ms)
{
	p->timers.backend = TIMER_MANUAL;
	p->timers.now_ms = start_ms;
}

void timer_advance(struct pluto *p, uint64_t ms)
{
	struct timers *ts = &p->timers;
	if (ts->backend != TIMER_MANUAL)
		return;
	uint64_t target = ts->now_ms + ms;
	while (ts->root != NULL && ts->root->due_ms <= target) {
		if (ts->root->due_ms > ts->now_ms)
			ts->now_ms = ts->root->due_ms;
		run_due(p, ts->now_ms);
	}
	ts->now_ms = target;
}

bool timer_next_due(struct pluto *p, uint64_t *due_ms)
{
	if (p->timers.root == NULL)
		return false;
	*due_ms = p->timers.root->due_ms;
	return true;
}

void timers_free(struct pluto *p)
{
	struct timers *ts = &p->timers;
	if (ts->wake != NULL)
		event_free(ts->wake);
	ts->wake = NULL;
	ts->wake_armed = false;
}

/* --- timers ------------------------------------------------------------------------- */

void timer_schedule(struct pluto_timer *t, struct pluto *p, timer_fn *fn, void *arg, uint64_t delay_ms)
{
	if (t->pending)
		heap_remove(&t->pluto->timers, t);
	t->fn = fn;
	t->arg = arg;
	t->pluto = p;
	t->due_ms = pluto_now_ms(p) + delay_ms;
	t->seq = p->timers.next_seq++;
	t->pending = true;
	heap_insert(&p->timers, t);
	rearm(p);
}

void timer_cancel(struct pluto_timer *t)
{
	if (!t->pending)
		return;
	struct pluto *p = t->pluto;
	heap_remove(&p->timers, t);
	t->pending = false;
	rearm(p);
}

bool timer_is_pending(const struct pluto_timer *t)
{
	return t->pending;
}

uint64_t timer_due_ms(const struct pluto_timer *t)
{
	return t->due_ms;
}
