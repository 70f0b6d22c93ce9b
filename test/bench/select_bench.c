/*
 * select_bench.c — times the exact selection of the statistics core alone
 * (hte_arm_quantiles: 5 levels with their sparsity levels, 30 ranks; and
 * the median alone), best of 3, on arrays of several shapes.  Built and run
 * by test/bench/select.sh; prints a markdown table.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hte_quantile.h"

static uint64_t rs = UINT64_C(88172645463325252);

static double
unif(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (double) (rs >> 11) * (1.0 / 9007199254740992.0);
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static double
best_of_3(const double *x, double *y, size_t n, const double *q, int nq)
{
	HteArmQuantiles out[8];
	size_t		ranks[6 * 8];
	double		best = 1e300;

	for (int rep = 0; rep < 3; rep++)
	{
		double		t0;

		memcpy(y, x, n * sizeof(double));
		t0 = now();
		hte_arm_quantiles(y, n, q, nq, 1.959963984540054, ranks, out, NULL);
		t0 = now() - t0;
		if (t0 < best)
			best = t0;
	}
	return best;
}

int
main(int argc, char **argv)
{
	static const char *names[] = {"random (normal)", "random (exponential)", "already sorted",
	"100 distinct values", "all equal"};
	static const double q5[] = {0.1, 0.25, 0.5, 0.75, 0.9};
	static const double q1[] = {0.5};
	size_t		n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000000;
	double	   *x = malloc(n * sizeof(double)),
			   *y = malloc(n * sizeof(double));

	if (x == NULL || y == NULL)
		return 1;
	printf("| values | order | 5 levels (30 ranks) | median alone |\n|---|---|---|---|\n");
	for (int shape = 0; shape < 5; shape++)
	{
		for (size_t i = 0; i < n; i++)
		{
			double		u = unif();

			x[i] = shape == 0 ? 100.0 + 5.0 * sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * unif()) :
				shape == 1 ? -log(1.0 - u) :
				shape == 2 ? (double) i :
				shape == 3 ? floor(100.0 * u) : 7.0;
		}
		printf("| %zu M | %s | %.3f s | %.3f s |\n", n / 1000000, names[shape],
			   best_of_3(x, y, n, q5, 5), best_of_3(x, y, n, q1, 1));
		fflush(stdout);
	}
	return 0;
}
