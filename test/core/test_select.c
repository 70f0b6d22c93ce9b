/*
 * test_select.c — checks the exact selection of the statistics core
 * (hte_multiselect, hte_arm_quantiles) against a full sort, on arrays of
 * many sizes (around the partition's block and sampled-pivot thresholds)
 * and shapes (random, ties, all equal, sorted, reversed, organ pipe, signed
 * zeros, huge and tiny magnitudes, a period that defeats stride sampling, a
 * maximum only at both ends), in arrays of exactly n elements (ASan),
 * with single, clustered, scattered and all ranks.  Every requested rank
 * must hold the order statistic, the array must stay a permutation of its
 * input, and the type-7 quantiles must equal those from the sorted array.
 * Prints "select: N passed, M failed".
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hte_quantile.h"

static uint64_t rs = UINT64_C(0x2545F4914F6CDD1D);

static uint64_t
next(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static double
unif(void)
{
	return (double) (next() >> 11) * (1.0 / 9007199254740992.0);
}

static int
cmp_d(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

static int
cmp_z(const void *a, const void *b)
{
	size_t		x = *(const size_t *) a,
				y = *(const size_t *) b;

	return (x > y) - (x < y);
}

#define SHAPES 12

static void
fill(double *x, size_t n, int shape)
{
	for (size_t i = 0; i < n; i++)
	{
		double		u = unif();

		switch (shape)
		{
			case 0:				/* continuous */
				x[i] = 100.0 + 20.0 * (u - 0.5);
				break;
			case 1:				/* ten values: many ties */
				x[i] = floor(10.0 * u);
				break;
			case 2:				/* all equal */
				x[i] = 7.0;
				break;
			case 3:				/* sorted */
				x[i] = (double) i;
				break;
			case 4:				/* reversed */
				x[i] = (double) (n - i);
				break;
			case 5:				/* organ pipe */
				x[i] = (double) (i < n / 2 ? i : n - i);
				break;
			case 6:				/* signed zeros and ones */
				x[i] = u < 0.3 ? -0.0 : u < 0.6 ? 0.0 : u < 0.8 ? 1.0 : -1.0;
				break;
			case 7:				/* magnitudes from 1e-300 to 1e300, both signs */
				x[i] = (u < 0.5 ? -1.0 : 1.0) * pow(10.0, 600.0 * unif() - 300.0);
				break;
			case 8:				/* period 1024: stride samples see one value */
				x[i] = (double) (i % 1024 == 0 ? 1 : (i % 7));
				break;
			case 9:				/* two values */
				x[i] = u < 0.99 ? 0.0 : 1.0;
				break;
			case 10:			/* the maximum at both ends only: a pivot that
								 * is the maximum, with nothing above it */
				x[i] = (i == 0 || i == n - 1) ? 1.0 : 0.0;
				break;
			default:			/* heavy tail */
				x[i] = exp(30.0 * (u - 0.5));
				break;
		}
	}
}

static size_t pass = 0,
			fail = 0;

static void
check(int ok, const char *what, size_t n, int shape, int rset)
{
	if (ok)
		pass++;
	else
	{
		fail++;
		if (fail <= 20)
			printf("FAILED %s: n=%zu shape=%d ranks=%d\n", what, n, shape, rset);
	}
}

static void
one(size_t n, int shape, int rset)
{
	double	   *x = malloc((n ? n : 1) * sizeof(double));
	double	   *sorted = malloc((n ? n : 1) * sizeof(double));
	double	   *after = malloc((n ? n : 1) * sizeof(double));
	double	   *input = malloc((n ? n : 1) * sizeof(double));
	size_t	   *r = malloc((n + 64) * sizeof(size_t));
	size_t		nr = 0;
	int			ok = 1;

	fill(x, n, shape);
	memcpy(input, x, n * sizeof(double));
	memcpy(sorted, x, n * sizeof(double));
	qsort(sorted, n, sizeof(double), cmp_d);
	if (n > 0)
	{
		switch (rset)
		{
			case 0:				/* one random rank */
				r[nr++] = next() % n;
				break;
			case 1:				/* the ends */
				r[nr++] = 0;
				if (n > 1)
					r[nr++] = n - 1;
				break;
			case 2:				/* 30 scattered */
				for (int i = 0; i < 30; i++)
					r[nr++] = next() % n;
				break;
			case 3:				/* clustered, as qte's levels with sparsity */
				for (int c = 1; c <= 5; c++)
					for (int d = -3; d <= 3; d++)
					{
						double		pos = (double) n * c / 6.0 + d * (1.0 + n / 1000.0);

						if (pos >= 0 && pos < n)
							r[nr++] = (size_t) pos;
					}
				break;
			default:			/* all (small n) */
				for (size_t i = 0; i < n && i < 4096; i++)
					r[nr++] = i;
				break;
		}
		qsort(r, nr, sizeof(size_t), cmp_z);
		{
			size_t		k = 0;

			for (size_t i = 0; i < nr; i++)
				if (k == 0 || r[k - 1] != r[i])
					r[k++] = r[i];
			nr = k;
		}
	}
	hte_multiselect(x, n, r, nr, NULL);
	for (size_t i = 0; i < nr; i++)
		if (!(x[r[i]] == sorted[r[i]]))
			ok = 0;
	check(ok, "order statistic", n, shape, rset);
	memcpy(after, x, n * sizeof(double));
	qsort(after, n, sizeof(double), cmp_d);
	ok = 1;
	for (size_t i = 0; i < n; i++)
		if (!(after[i] == sorted[i]))
			ok = 0;
	check(ok, "permutation", n, shape, rset);

	/* type-7 quantiles at random levels against the sorted array */
	if (n > 0 && rset == 0)
	{
		double		q[8];
		HteArmQuantiles out[8];
		size_t		ranks[6 * 8];

		for (int i = 0; i < 8; i++)
			q[i] = i == 0 ? 0.0 : i == 1 ? 1.0 : unif();
		memcpy(x, input, n * sizeof(double));
		hte_arm_quantiles(x, n, q, 8, 1.959963984540054, ranks, out, NULL);
		ok = 1;
		for (int i = 0; i < 8; i++)
		{
			double		h = (n - 1) * q[i];
			size_t		lo = (size_t) floor(h);
			double		want = lo + 1 < n ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];

			if (h == lo)
				want = sorted[lo];
			if (!(out[i].quantile == want))
				ok = 0;
		}
		check(ok, "type-7 quantile", n, shape, rset);
	}
	free(x);
	free(sorted);
	free(after);
	free(input);
	free(r);
}

int
main(void)
{
	static const size_t sizes[] = {
		0, 1, 2, 3, 4, 5, 7, 15, 16, 17, 31, 32, 33, 100, 127, 128, 129, 255, 256, 257,
		300, 1000, 4095, 4096, 16383, 16384, 16385, 20000, 65536, 100003, 400000
	};

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (int shape = 0; shape < SHAPES; shape++)
			for (int rset = 0; rset < 5; rset++)
				for (int rep = 0; rep < (sizes[s] < 1000 ? 4 : 1); rep++)
					one(sizes[s], shape, rset);
	/* one large array per shape, qte's clustered ranks */
	for (int shape = 0; shape < SHAPES; shape++)
		one(1000000, shape, 3);
	/* order statistics more than DBL_MAX apart: the quantile is still finite */
	{
		double		x[2] = {-1e308, 1e308};

		check(hte_quantile_at(x, 2, 0.5) == 0.0 && hte_quantile_at(x, 2, 0.25) == -5e307 &&
			  hte_quantile_at(x, 2, 1.0) == 1e308, "quantile across DBL_MAX", 2, -1, -1);
	}
	printf("select: %zu passed, %zu failed\n", pass, fail);
	return fail != 0;
}
