/* bench_crypto.c -- microseconds per key exchange operation: ML-KEM-512/768/1024
 * (lib/libcrypt/mlkem.c) KeyGen, Encaps and Decaps, the same through the ke_* API, and
 * NSS X25519 for comparison.  Each figure is the median of N timed runs
 * (clock_gettime(CLOCK_MONOTONIC)).  Never a pass/fail test.
 *
 *   bench_crypto [N]        (default N = 2001)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "crypt.h"
#include "../../lib/libcrypt/mlkem.h"

struct bench_ctx {
	enum mlkem_set set;
	enum ike_ke_method method;
	uint8_t ek[MLKEM_MAX_EK_LEN], dk[MLKEM_MAX_DK_LEN], c[MLKEM_MAX_CT_LEN], k[32];
};

typedef void bench_fn(struct bench_ctx *ctx);

static uint64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int bench_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* median of n runs, in microseconds */
static double bench_median(bench_fn *fn, struct bench_ctx *ctx, size_t n)
{
	uint64_t *t = calloc(n, sizeof(*t));
	if (t == NULL)
		abort();
	for (size_t i = 0; i < n / 10 + 1; i++)	/* warm up */
		fn(ctx);
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();
		fn(ctx);
		t[i] = bench_now_ns() - t0;
	}
	qsort(t, n, sizeof(*t), bench_cmp);
	double us = (double)t[n / 2] / 1000.0;
	free(t);
	return us;
}

static void bench_fail(const char *what)
{
	fprintf(stderr, "bench_crypto: %s failed\n", what);
	exit(1);
}

static void bench_keygen(struct bench_ctx *ctx)
{
	if (mlkem_keygen(ctx->set, ctx->ek, ctx->dk) != KE_OK)
		bench_fail("KeyGen");
}

static void bench_encaps(struct bench_ctx *ctx)
{
	if (mlkem_encaps(ctx->set, ctx->ek, mlkem_ek_len(ctx->set), ctx->c, ctx->k) != KE_OK)
		bench_fail("Encaps");
}

static void bench_decaps(struct bench_ctx *ctx)
{
	if (mlkem_decaps(ctx->set, ctx->dk, ctx->c, mlkem_ct_len(ctx->set), ctx->k) != KE_OK)
		bench_fail("Decaps");
}

/* one whole exchange through crypt.h: initiate + respond + finish */
static void bench_ke_exchange(struct bench_ctx *ctx)
{
	struct ke *i = NULL, *r = NULL;
	struct chunk si = CHUNK_EMPTY, sr = CHUNK_EMPTY;
	size_t li, lr;
	if (ke_initiate(ctx->method, &i) != KE_OK)
		bench_fail("ke_initiate");
	const uint8_t *pi = ke_public(i, &li);
	if (ke_respond(ctx->method, pi, li, &r, &sr) != KE_OK)
		bench_fail("ke_respond");
	const uint8_t *pr = ke_public(r, &lr);
	if (ke_finish(i, pr, lr, &si) != KE_OK || si.len != sr.len ||
	    memcmp(si.ptr, sr.ptr, si.len) != 0)
		bench_fail("ke_finish");
	chunk_free(&si);
	chunk_free(&sr);
	ke_free(i);
	ke_free(r);
}

static void bench_row(const char *name, const char *op, double us)
{
	printf("%-12s %-32s %10.1f\n", name, op, us);
}

static void bench_mlkem(const char *name, enum mlkem_set set, enum ike_ke_method method,
			size_t n)
{
	static struct bench_ctx ctx;
	ctx.set = set;
	ctx.method = method;
	double kg = bench_median(bench_keygen, &ctx, n);
	bench_keygen(&ctx);
	double en = bench_median(bench_encaps, &ctx, n);
	bench_encaps(&ctx);
	double de = bench_median(bench_decaps, &ctx, n);
	bench_row(name, "KeyGen", kg);
	bench_row(name, "Encaps", en);
	bench_row(name, "Decaps", de);
	bench_row(name, "KeyGen+Encaps+Decaps", kg + en + de);
	bench_row(name, "ke initiate+respond+finish", bench_median(bench_ke_exchange, &ctx, n));
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 2001;
	if (n == 0)
		n = 1;
	char err[256];
	if (!crypt_init(NULL, err, sizeof(err))) {
		fprintf(stderr, "bench_crypto: %s\n", err);
		return 1;
	}
	printf("%-12s %-32s %10s   (median of %zu runs)\n", "method", "operation", "us", n);
	bench_mlkem("ML-KEM-512", MLKEM_512, IKE_KE_MLKEM512, n);
	bench_mlkem("ML-KEM-768", MLKEM_768, IKE_KE_MLKEM768, n);
	bench_mlkem("ML-KEM-1024", MLKEM_1024, IKE_KE_MLKEM1024, n);
	static struct bench_ctx x;
	x.method = IKE_KE_CURVE25519;
	bench_row("X25519", "ke initiate+respond+finish", bench_median(bench_ke_exchange, &x, n));
	crypt_shutdown();
	return 0;
}
