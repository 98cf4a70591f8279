/* bench.c -- `whack --bench N --name CONN`: the initiator side of testing/bench.
 * Brings up N IKE SAs of one connection, at most BENCH_CONCURRENCY in flight, and
 * reports the rate and this daemon's CPU time, overall and for each tenth of the run
 * (does the rate hold as the tables fill?).  The SAs stay up, so that the memory per
 * established IKE SA can be read off the daemons afterwards. */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "ikev2.h"

#define BENCH_CONCURRENCY 64	/* IKE SAs negotiating at once */
#define BENCH_PARTS       10	/* the rate is reported for each tenth of the run */

struct bench {
	struct whack_client *w;
	struct connection *c;
	unsigned total, started, established, failed;
	uint64_t t0_ms;
	double cpu0;
	uint64_t part_end_ms[BENCH_PARTS];	/* when each tenth was done */
	unsigned parts_done;
};

/* SAs done (established or failed) by the end of tenth k (0-based) */
static unsigned part_goal(const struct bench *b, unsigned k)
{
	return (unsigned)((uint64_t)b->total * (k + 1) / BENCH_PARTS);
}

static void bench_parts(struct pluto *p, struct bench *b)
{
	unsigned done = b->established + b->failed;
	while (b->parts_done < BENCH_PARTS && done >= part_goal(b, b->parts_done))
		b->part_end_ms[b->parts_done++] = pluto_now_ms(p);
}

/* "bench: per tenth (IKE SAs/s): r1 ... r10; last/first 0.97" */
static void bench_report_parts(struct bench *b)
{
	if (b->total < BENCH_PARTS || b->parts_done < BENCH_PARTS)
		return;
	char line[PLUTO_WHACK_LINE_MAX];
	size_t n = (size_t)snprintf(line, sizeof(line), "bench: per tenth (IKE SAs/s):");
	double first = 0, last = 0;
	for (unsigned k = 0; k < BENCH_PARTS; k++) {
		uint64_t start = k == 0 ? b->t0_ms : b->part_end_ms[k - 1];
		unsigned sas = part_goal(b, k) - (k == 0 ? 0 : part_goal(b, k - 1));
		uint64_t ms = b->part_end_ms[k] - start;
		double rate = ms > 0 ? sas * 1000.0 / (double)ms : 0.0;
		if (k == 0)
			first = rate;
		last = rate;
		if (n < sizeof(line))
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %.0f", rate);
	}
	if (n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, "; last/first %.2f", first > 0 ? last / first : 0.0);
	whack_printf(b->w, "%s", line);
}

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void bench_report(struct pluto *p)
{
	struct bench *b = p->bench;
	double secs = (double)(pluto_now_ms(p) - b->t0_ms) / 1000.0;
	double cpu = cpu_seconds() - b->cpu0;
	bench_report_parts(b);
	whack_printf(b->w, "bench: %u IKE SAs established, %u failed, in %.3f s: %.0f per second; "
		     "initiator CPU %.3f s (%.3f ms per IKE SA)", b->established, b->failed, secs,
		     secs > 0 ? b->established / secs : 0.0, cpu,
		     b->established ? cpu * 1000.0 / b->established : 0.0);
	whack_done(b->w, b->failed ? 1 : 0);
	free(b);
	p->bench = NULL;
}

static void bench_fill(struct pluto *p)
{
	struct bench *b = p->bench;
	while (b->started < b->total && b->started - b->established - b->failed < BENCH_CONCURRENCY) {
		b->started++;
		struct ike_sa *ike = ikev2_initiate(p, b->c, NULL);
		if (ike == NULL)
			b->failed++;
		else
			ike->bench = true;
	}
	bench_parts(p, b);
	if (b->established + b->failed == b->total)
		bench_report(p);
}

void bench_sa_finished(struct ike_sa *ike, bool established)
{
	struct pluto *p = ike->pluto;
	ike->bench = false;
	if (p->bench == NULL || p->shutting_down)
		return;
	if (established)
		p->bench->established++;
	else
		p->bench->failed++;
	bench_fill(p);
}

int bench_start(struct pluto *p, struct whack_client *w, const char *arg)
{
	char name[CONF_NAME_MAX];
	unsigned n = 0;
	/* as many as max-ike-sas= lets this daemon keep (the SAs stay up) */
	unsigned most = p->setup.max_ike_sas ? p->setup.max_ike_sas : CONF_MAX_IKE_SAS_DEFAULT;
	if (sscanf(arg, "%63s %u", name, &n) != 2 || n == 0 || n > most - p->nsas) {
		whack_printf(w, "bench: expected a connection name and a count from 1 to %u (max-ike-sas=)",
			     most > p->nsas ? most - p->nsas : 0);
		return 1;
	}
	struct connection *c = connection_find(p, name);
	if (c == NULL || p->bench != NULL) {
		whack_printf(w, c == NULL ? "bench: no connection named \"%s\"" : "bench: one is running", name);
		return 1;
	}
	struct bench *b = calloc(1, sizeof(*b));
	if (b == NULL)
		return 1;
	*b = (struct bench){ .w = w, .c = c, .total = n, .t0_ms = pluto_now_ms(p), .cpu0 = cpu_seconds() };
	p->bench = b;
	bench_fill(p);
	return -1;	/* answered by bench_report() */
}

void bench_abort(struct pluto *p, struct whack_client *w)
{
	if (p->bench != NULL && p->bench->w == w) {
		free(p->bench);
		p->bench = NULL;
	}
}
