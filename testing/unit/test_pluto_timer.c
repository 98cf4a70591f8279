/* test_pluto_timer.c -- programs/pluto/timer.c: the order timers fire in, cancelling
 * and moving them (also from their own callbacks), the manual clock, many timers,
 * and the libevent back end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pluto.h"

#define START_MS 5000

struct rec {
	struct pluto *p;
	unsigned n;
	unsigned order[16];
	uint64_t at[16];
};

struct probe {
	struct pluto_timer t;
	struct rec *r;
	unsigned id;
};

static void probe_cb(void *arg)
{
	struct probe *pr = arg;
	struct rec *r = pr->r;
	assert_true(r->n < 16);
	assert_false(timer_is_pending(&pr->t));
	r->order[r->n] = pr->id;
	r->at[r->n] = pluto_now_ms(r->p);
	r->n++;
}

static struct pluto *manual(void)
{
	struct pluto *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	timers_use_manual(p, START_MS);
	return p;
}

/* in due order, equal due times in the order scheduled, each with the clock at its
 * due time; the clock ends where it was moved to */
static void test_order(void **state)
{
	struct pluto *p = manual();
	struct rec r = { .p = p };
	struct probe pr[5];
	static const uint64_t delay[5] = { 30, 10, 20, 10, 0 };
	for (unsigned i = 0; i < 5; i++) {
		pr[i] = (struct probe){ .r = &r, .id = i };
		timer_schedule(&pr[i].t, p, probe_cb, &pr[i], delay[i]);
		assert_true(timer_is_pending(&pr[i].t));
		assert_int_equal(timer_due_ms(&pr[i].t), START_MS + delay[i]);
	}
	uint64_t due;
	assert_true(timer_next_due(p, &due));
	assert_int_equal(due, START_MS);
	timer_advance(p, 15);
	assert_int_equal(r.n, 3);
	assert_int_equal(pluto_now_ms(p), START_MS + 15);
	timer_advance(p, 100);
	static const unsigned want[5] = { 4, 1, 3, 2, 0 };
	assert_int_equal(r.n, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(r.order[i], want[i]);
		assert_int_equal(r.at[i], START_MS + delay[want[i]]);
	}
	assert_int_equal(pluto_now_ms(p), START_MS + 115);
	assert_false(timer_next_due(p, &due));
	free(p);
}

/* cancelled timers never fire; a moved one fires once, at its new time; cancelling
 * an idle or zeroed timer is harmless */
static void test_cancel_and_move(void **state)
{
	struct pluto *p = manual();
	struct rec r = { .p = p };
	struct probe pr[4];
	for (unsigned i = 0; i < 4; i++) {
		pr[i] = (struct probe){ .r = &r, .id = i };
		timer_schedule(&pr[i].t, p, probe_cb, &pr[i], 10 * (i + 1));
	}
	timer_cancel(&pr[0].t);	/* the earliest */
	timer_cancel(&pr[2].t);	/* one inside the heap */
	timer_cancel(&pr[2].t);
	assert_false(timer_is_pending(&pr[0].t));
	timer_schedule(&pr[3].t, p, probe_cb, &pr[3], 5);	/* moved earlier */
	timer_schedule(&pr[1].t, p, probe_cb, &pr[1], 100);	/* moved later */
	struct pluto_timer idle = { 0 };
	timer_cancel(&idle);
	timer_advance(p, 1000);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.order[0], 3);
	assert_int_equal(r.at[0], START_MS + 5);
	assert_int_equal(r.order[1], 1);
	assert_int_equal(r.at[1], START_MS + 100);
	free(p);
}

/* a callback that schedules again (a retransmission) fires within the same
 * advance while its next time is due; one that cancels another stops it */
struct chain {
	struct pluto_timer t, victim;
	struct pluto *p;
	unsigned fired, victim_fired;
	uint64_t at[8];
};

static void victim_cb(void *arg)
{
	struct chain *c = arg;
	c->victim_fired++;
}

static void chain_cb(void *arg)
{
	struct chain *c = arg;
	assert_true(c->fired < 8);
	c->at[c->fired++] = pluto_now_ms(c->p);
	timer_cancel(&c->victim);
	if (c->fired < 4)
		timer_schedule(&c->t, c->p, chain_cb, c, 100u << c->fired);
}

static void test_from_callbacks(void **state)
{
	struct pluto *p = manual();
	struct chain c = { .p = p };
	timer_schedule(&c.t, p, chain_cb, &c, 100);
	timer_schedule(&c.victim, p, victim_cb, &c, 100);	/* due with the first, after it */
	timer_advance(p, 1499);
	assert_int_equal(c.fired, 3);
	timer_advance(p, 1);
	assert_int_equal(c.fired, 4);
	assert_int_equal(c.victim_fired, 0);
	static const uint64_t want[4] = { 100, 300, 700, 1500 };
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(c.at[i], START_MS + want[i]);
	assert_false(timer_is_pending(&c.t));
	free(p);
}

/* Many timers (TIMER_MANY in the environment, 200000 unless set; it was run with a
 * million: about 3 s of CPU, nearly all of it firing them) at pseudo-random times
 * within 100 s; half-way through cancelling a third and moving a third of them,
 * the clock moves 50 s: every timer fires once (a moved one that had fired already,
 * twice; a cancelled one only if it had fired), in (due, scheduled) order.  An O(n)
 * operation would make this run for hours. */
#define MANY_DEFAULT 200000u

struct many {
	struct pluto_timer t;
	uint64_t seq;		/* when it was last scheduled */
	uint8_t fired, want;
};

static struct {
	struct pluto *p;
	uint64_t last_due, last_seq, fired;
	bool ordered;
	struct many *m;
} many_run;

static void many_cb(void *arg)
{
	struct many *m = arg;
	uint64_t now = pluto_now_ms(many_run.p);
	if (now < many_run.last_due || (now == many_run.last_due && m->seq < many_run.last_seq))
		many_run.ordered = false;
	m->fired++;
	many_run.last_due = now;
	many_run.last_seq = m->seq;
	many_run.fired++;
}

static void test_many(void **state)
{
	const char *env = getenv("TIMER_MANY");
	const unsigned n_timers = env != NULL && atoi(env) > 0 ? (unsigned)atoi(env) : MANY_DEFAULT;
	struct pluto *p = manual();
	struct many *m = calloc(n_timers, sizeof(*m));
	assert_non_null(m);
	many_run.p = p;
	many_run.m = m;
	many_run.ordered = true;
	uint32_t x = 12345;
	uint64_t seq = 0;
	for (unsigned i = 0; i < n_timers; i++) {
		x = x * 1103515245u + 12345u;
		m[i].seq = seq++;
		timer_schedule(&m[i].t, p, many_cb, &m[i], (x >> 8) % 100000);
	}
	uint64_t expect = 0;
	for (unsigned i = 0; i < n_timers; i++) {
		bool had_fired = m[i].fired != 0;
		if (i % 3 == 0) {
			timer_cancel(&m[i].t);
			m[i].want = had_fired;
		} else if (i % 3 == 1) {
			x = x * 1103515245u + 12345u;
			m[i].seq = seq++;
			timer_schedule(&m[i].t, p, many_cb, &m[i], (x >> 8) % 100000);
			m[i].want = 1 + had_fired;
		} else {
			m[i].want = 1;
		}
		expect += m[i].want;
		if (i == n_timers / 2)
			timer_advance(p, 50000);
	}
	timer_advance(p, 200000);
	assert_true(many_run.ordered);
	assert_int_equal(many_run.fired, expect);
	for (unsigned i = 0; i < n_timers; i++)
		if (m[i].fired != m[i].want)
			fail_msg("timer %u fired %u times, not %u", i, m[i].fired, m[i].want);
	uint64_t due;
	assert_false(timer_next_due(p, &due));
	free(m);
	free(p);
}

/* The daemon's back end: libevent wakes up for the earliest timer; the clock is
 * the monotonic one */
static void test_libevent(void **state)
{
	struct pluto *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->base = event_base_new();
	assert_non_null(p->base);
	struct rec r = { .p = p };
	struct probe pr[3];
	uint64_t t0 = pluto_now_ms(p);
	for (unsigned i = 0; i < 3; i++) {
		pr[i] = (struct probe){ .r = &r, .id = i };
		timer_schedule(&pr[i].t, p, probe_cb, &pr[i], 3 - i);
	}
	timer_cancel(&pr[1].t);
	/* the loop ends when no event is left: the wake-up is removed once the heap
	 * is empty */
	assert_int_equal(event_base_dispatch(p->base), 1);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.order[0], 2);
	assert_int_equal(r.order[1], 0);
	assert_true(r.at[0] >= t0 + 1);
	assert_true(r.at[1] >= t0 + 3);
	timers_free(p);
	event_base_free(p->base);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_cancel_and_move),
		cmocka_unit_test(test_from_callbacks),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_libevent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
