/* test_pluto_helper.c -- the crypto helper pool (programs/pluto/helper.c) and the key
 * exchange job (offload.c): results in any order each reach their own SA, a job whose
 * SA went is dropped and wiped, shutdown with jobs in flight frees every one (ASan),
 * nhelpers=-1 follows Libreswan, a key exchange split across two helpers agrees. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "ikev2.h"
#include "helper.h"
#include "testutil.h"

struct test_job {
	struct helper_job h;
	unsigned in, out;		/* out = in * 2, by the helper */
	unsigned sleep_ms;
	unsigned *cleanups;
	unsigned *order;		/* where done() records the completion order */
	unsigned *norder;
};

static void test_work(struct helper_job *h)
{
	struct test_job *j = (struct test_job *)h;
	if (j->sleep_ms) {
		struct timespec ts = { 0, (long)j->sleep_ms * 1000000L };
		nanosleep(&ts, NULL);
	}
	j->out = j->in * 2;
}

static void test_done(struct ike_sa *ike, struct helper_job *h)
{
	struct test_job *j = (struct test_job *)h;
	/* the SA's result is its own: serial i asked for in = i */
	assert_int_equal(ike->serial, j->in);
	assert_int_equal(j->out, j->in * 2);
	ike->int_rounds = j->out;	/* "resumed" */
	j->order[(*j->norder)++] = ike->serial;
}

static void test_cleanup(struct helper_job *h)
{
	struct test_job *j = (struct test_job *)h;
	(*j->cleanups)++;
	free(j);
}

static struct pluto *new_pluto(unsigned n)
{
	struct pluto *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->log = tmpfile();
	assert_true(helpers_start(p, n));	/* no event base: the test collects */
	assert_int_equal(helpers_running(p), n);
	return p;
}

static void free_pluto(struct pluto *p)
{
	helpers_stop(p);
	assert_int_equal(helpers_running(p), 0);
	fclose(p->log);
	free(p);
}

static struct ike_sa *new_sa(struct pluto *p, unsigned serial)
{
	struct ike_sa *ike = calloc(1, sizeof(*ike));
	assert_non_null(ike);
	ike->pluto = p;
	ike->serial = serial;
	ike->state = IKE_R_INIT_DONE;
	return ike;
}

static struct test_job *new_job(struct ike_sa *ike, unsigned sleep_ms, unsigned *cleanups, unsigned *order,
				unsigned *norder)
{
	struct test_job *j = calloc(1, sizeof(*j));
	assert_non_null(j);
	j->h = (struct helper_job){ .what = "test job", .work = test_work, .done = test_done,
				    .cleanup = test_cleanup, .ike = ike, .serial = ike->serial };
	j->in = ike->serial;
	j->sleep_ms = sleep_ms;
	j->cleanups = cleanups;
	j->order = order;
	j->norder = norder;
	return j;
}

/* collect until n jobs are back or a second has passed */
static void collect_until(struct pluto *p, unsigned *cleanups, unsigned n)
{
	for (int i = 0; i < 100 && *cleanups < n; i++) {
		helpers_wait(p, 10);
		helpers_collect(p);
	}
}

#define NJOBS 8

/* results come back in any order (the first job, the longest, last out), each to its SA */
static void any_order(void **state)
{
	struct pluto *p = new_pluto(3);
	struct ike_sa *sa[NJOBS];
	unsigned cleanups = 0, order[NJOBS], norder = 0;
	for (unsigned i = 0; i < NJOBS; i++) {
		sa[i] = new_sa(p, i + 1);
		helper_submit(p, &new_job(sa[i], i == 0 ? 300 : 5, &cleanups, order, &norder)->h);
		assert_ptr_not_equal(sa[i]->job, NULL);
	}
	assert_int_equal(helpers_inflight(p), NJOBS);
	collect_until(p, &cleanups, NJOBS);
	assert_int_equal(cleanups, NJOBS);
	assert_int_equal(norder, NJOBS);
	assert_int_equal(helpers_inflight(p), 0);
	assert_int_equal(helpers_jobs_done(p), NJOBS);
	unsigned pos_first = 0, pos_last = 0;
	for (unsigned i = 0; i < NJOBS; i++) {
		assert_null(sa[i]->job);
		assert_int_equal(sa[i]->int_rounds, 2 * (i + 1));
		if (order[i] == 1)
			pos_first = i;
		if (order[i] == NJOBS)
			pos_last = i;
	}
	/* the first submitted came back after the last submitted (another helper) */
	assert_true(pos_first > pos_last);
	for (unsigned i = 0; i < NJOBS; i++)
		free(sa[i]);
	free_pluto(p);
	(void)state;
}

/* the SA is deleted while its job runs: the result is dropped, the job freed */
static void sa_gone(void **state)
{
	struct pluto *p = new_pluto(1);
	unsigned cleanups = 0, order[2], norder = 0;
	struct ike_sa *gone = new_sa(p, 1), *dead = new_sa(p, 2);
	helper_submit(p, &new_job(gone, 50, &cleanups, order, &norder)->h);
	helper_submit(p, &new_job(dead, 10, &cleanups, order, &norder)->h);
	helper_forget(gone);	/* ike_sa_delete() */
	assert_null(gone->job);
	free(gone);		/* ... and freed at the end of the event */
	dead->state = IKE_DEAD;	/* deleted, not yet freed, when its job comes back */
	collect_until(p, &cleanups, 2);
	assert_int_equal(cleanups, 2);
	assert_int_equal(norder, 0);	/* done() never ran */
	assert_int_equal(dead->int_rounds, 0);
	free(dead);
	free_pluto(p);
	(void)state;
}

/* shutdown with jobs queued, running and completed: each is freed once, none done */
static void stop_in_flight(void **state)
{
	struct pluto *p = new_pluto(1);
	unsigned cleanups = 0, order[4], norder = 0;
	struct ike_sa *sa[4];
	for (unsigned i = 0; i < 4; i++) {
		sa[i] = new_sa(p, i + 1);
		helper_submit(p, &new_job(sa[i], 30, &cleanups, order, &norder)->h);
	}
	helpers_wait(p, 1000);	/* the first is done, the second running */
	helpers_stop(p);
	assert_int_equal(cleanups, 4);
	assert_int_equal(norder, 0);
	for (unsigned i = 0; i < 4; i++) {
		assert_null(sa[i]->job);
		free(sa[i]);
	}
	free_pluto(p);
	(void)state;
}

/* nhelpers=-1: Libreswan's ipsec.conf(5): CPUs minus one from 4 CPUs, else CPUs */
static void count_rule(void **state)
{
	assert_int_equal(helpers_count(CONF_NHELPERS_AUTO, 1), 1);
	assert_int_equal(helpers_count(CONF_NHELPERS_AUTO, 2), 2);
	assert_int_equal(helpers_count(CONF_NHELPERS_AUTO, 3), 3);
	assert_int_equal(helpers_count(CONF_NHELPERS_AUTO, 4), 3);
	assert_int_equal(helpers_count(CONF_NHELPERS_AUTO, 16), 15);
	assert_int_equal(helpers_count(CONF_NHELPERS_AUTO, 1000), CONF_NHELPERS_MAX);
	assert_int_equal(helpers_count(CONF_NHELPERS_AUTO, -1), 1);
	assert_int_equal(helpers_count(0, 8), 0);
	assert_int_equal(helpers_count(5, 1), 5);
	struct pluto *p = calloc(1, sizeof(*p));
	assert_true(helpers_start(p, 0));
	assert_int_equal(helpers_running(p), 0);
	helpers_stop(p);
	free(p);
	(void)state;
}

/* the key exchange job: the responder's in one helper, the initiator's finish in
 * another, the keys of IKE_SA_INIT from copies; both ends agree */
struct ke_pair {
	struct ke_job *done[2];
};
static struct ke_pair ke_pair;	/* the test's own place for results */

static void ke_done(struct ike_sa *ike, struct helper_job *h)
{
	/* keep the job: take it over from the pool (its cleanup would free it) */
	struct ke_job *copy = calloc(1, sizeof(*copy));
	assert_non_null(copy);
	*copy = *(struct ke_job *)h;
	memset((char *)h + sizeof(struct helper_job), 0, sizeof(*copy) - sizeof(struct helper_job));
	ke_pair.done[ike->serial - 1] = copy;
}

static void ke_jobs(void **state)
{
	struct pluto *p = new_pluto(2);
	struct ike_sa *i = new_sa(p, 1), *r = new_sa(p, 2);
	struct ke *ours = NULL;
	assert_int_equal(ke_initiate(IKE_KE_ECP256, &ours), KE_OK);
	size_t len;
	const uint8_t *pub = ke_public(ours, &len);
	r->prf = i->prf = IKE_PRF_HMAC_SHA2_256;
	r->ni = chunk_dup("nonce-i-0123456789abcdef", 24);
	r->nr = chunk_dup("nonce-r-0123456789abcdef", 24);
	r->sizes = (struct keymat_sizes){ .prf = 32, .integ = 0, .encr = 36 };
	struct ke_job *rj = ke_job_new(r, KJ_RESPOND, IKE_KE_ECP256, pub, len, "test respond");
	ke_job_keys(rj, r, KJ_IKE_SA_INIT);
	rj->h.ike = r;
	rj->h.done = ke_done;
	helper_submit(p, &rj->h);
	for (int n = 0; n < 100 && ke_pair.done[1] == NULL; n++) {
		helpers_wait(p, 10);
		helpers_collect(p);
	}
	struct ke_job *rd = ke_pair.done[1];
	assert_non_null(rd);
	assert_int_equal(rd->kr, KE_OK);
	assert_true(rd->keys_ok);
	assert_int_equal(rd->keys.sk_d.len, 32);
	size_t rlen;
	const uint8_t *rpub = ke_public(rd->ke, &rlen);
	struct ke_job *ij = ke_job_new(i, KJ_FINISH, IKE_KE_ECP256, rpub, rlen, "test finish");
	ij->ke = ours;
	ij->h.ike = i;
	ij->h.done = ke_done;
	helper_submit(p, &ij->h);
	for (int n = 0; n < 100 && ke_pair.done[0] == NULL; n++) {
		helpers_wait(p, 10);
		helpers_collect(p);
	}
	struct ke_job *id = ke_pair.done[0];
	assert_non_null(id);
	assert_int_equal(id->kr, KE_OK);
	assert_int_equal(id->secret.len, rd->secret.len);
	assert_memory_equal(id->secret.ptr, rd->secret.ptr, rd->secret.len);
	ke_job_free(&rd->h);
	ke_job_free(&id->h);
	chunk_free(&r->ni);
	chunk_free(&r->nr);
	free(i);
	free(r);
	free_pluto(p);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(any_order),
		cmocka_unit_test(sa_gone),
		cmocka_unit_test(stop_in_flight),
		cmocka_unit_test(count_rule),
		cmocka_unit_test(ke_jobs),
	};
	return cmocka_run_group_tests(tests, testutil_crypt_setup, NULL);
}
