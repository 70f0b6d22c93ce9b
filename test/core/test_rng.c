/*
 * test_rng.c — the portable random numbers of the causal forest
 * (src/core/hte_rng.c): published test vectors of splitmix64 and
 * xoshiro256**, the keyed streams and bounded integers against an
 * independent implementation (Python's arbitrary-precision integers, values
 * below), and the distributions (bounded integers, sampling without
 * replacement, Poisson) by chi-square tests at fixed seeds.
 * Prints "rng: N passed, M failed".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "hte_rng.h"

static int	passed,
			failed;

static void
check(int ok, const char *what)
{
	if (ok)
		passed++;
	else
	{
		failed++;
		printf("FAIL %s\n", what);
	}
}

/* chi-square statistic of counts against expected counts */
static double
chisq(const double *obs, const double *expct, int k)
{
	double		s = 0.0;

	for (int i = 0; i < k; i++)
		s += (obs[i] - expct[i]) * (obs[i] - expct[i]) / expct[i];
	return s;
}

int
main(void)
{
	/* splitmix64 from 0 (Vigna's reference values) */
	{
		uint64_t	x = 0,
					want[3] = {UINT64_C(0xe220a8397b1dcdaf), UINT64_C(0x6e789e6aa1b965f4),
			UINT64_C(0x06c45d188009454f)};

		for (int i = 0; i < 3; i++)
			check(hte_splitmix64(&x) == want[i], "splitmix64 reference vector");
	}
	/* xoshiro256** from the state {1, 2, 3, 4} */
	{
		HteRng		r = {{1, 2, 3, 4}};
		uint64_t	want[6] = {11520, 0, 1509978240, UINT64_C(1215971899390074240),
			UINT64_C(1216172134540287360), UINT64_C(607988272756665600)};

		for (int i = 0; i < 6; i++)
			check(hte_rng_next(&r) == want[i], "xoshiro256** reference vector");
	}
	/* a keyed stream, its bounded integers and doubles (Python's values) */
	{
		HteRng		r;
		uint64_t	want[4] = {UINT64_C(0x3a849b63c9dafbd1), UINT64_C(0x2363e52799e5a9a3),
			UINT64_C(0x45da207411a443bc), UINT64_C(0x6d8206127ea5fcbd)};
		uint64_t	below[10] = {2, 1, 2, 4, 5, 8, 9, 9, 0, 1};
		double		dbl[3] = {0.5479969354209024, 0.9544143600762116, 0.4164741882313483};

		hte_rng_init(&r, 42, 2, 7);
		for (int i = 0; i < 4; i++)
			check(hte_rng_next(&r) == want[i], "stream (seed 42, forest 2, unit 7)");
		hte_rng_init(&r, 42, 2, 7);
		for (int i = 0; i < 10; i++)
			check(hte_rng_below(&r, 10) == below[i], "bounded integers below 10");
		hte_rng_init(&r, 0, 0, 0);
		for (int i = 0; i < 3; i++)
			check(hte_rng_double(&r) == dbl[i], "doubles in [0, 1)");
	}
	/* streams of other units, forests or seeds differ */
	{
		HteRng		a,
					b,
					c,
					d;

		hte_rng_init(&a, 1, 0, 0);
		hte_rng_init(&b, 1, 0, 1);
		hte_rng_init(&c, 1, 1, 0);
		hte_rng_init(&d, 2, 0, 0);
		{
			uint64_t	x = hte_rng_next(&a);

			check(x != hte_rng_next(&b) && x != hte_rng_next(&c) && x != hte_rng_next(&d),
				  "distinct streams");
		}
	}
	/* bounded integers: m = 1, m = 2^64 − 1, and uniformity for m = 7 */
	{
		HteRng		r;
		double		obs[7] = {0},
					expct[7];
		int			ok = 1;

		hte_rng_seed(&r, 123);
		for (int i = 0; i < 100; i++)
			ok = ok && hte_rng_below(&r, 1) == 0;
		check(ok, "below(1) is 0");
		for (int i = 0; i < 100; i++)
			ok = ok && hte_rng_below(&r, UINT64_MAX) < UINT64_MAX;
		check(ok, "below(2^64 - 1) in range");
		for (int i = 0; i < 700000; i++)
			obs[hte_rng_below(&r, 7)]++;
		for (int i = 0; i < 7; i++)
			expct[i] = 100000.0;
		/* chi-square with 6 df: P(> 22.46) = 0.001 */
		check(chisq(obs, expct, 7) < 22.46, "below(7) uniform (chi-square)");
	}
	/* doubles: mean and range */
	{
		HteRng		r;
		double		s = 0.0;
		int			ok = 1;

		hte_rng_seed(&r, 5);
		for (int i = 0; i < 1000000; i++)
		{
			double		u = hte_rng_double(&r);

			ok = ok && u >= 0.0 && u < 1.0;
			s += u;
		}
		check(ok, "doubles in [0, 1)");
		/* sd of the mean: sqrt(1/12 / 1e6) = 2.9e-4 */
		check(fabs(s / 1e6 - 0.5) < 1.5e-3, "doubles: mean 1/2");
	}
	/* sampling without replacement: distinct, and each index equally likely first */
	{
		HteRng		r;
		uint32_t	idx[10];
		double		obs[10] = {0},
					expct[10];
		int			ok = 1;

		hte_rng_seed(&r, 9);
		for (int t = 0; t < 100000; t++)
		{
			int			seen[10] = {0};

			for (uint32_t i = 0; i < 10; i++)
				idx[i] = i;
			hte_rng_sample(&r, idx, 10, 4);
			for (int i = 0; i < 10; i++)
				seen[idx[i]]++;
			for (int i = 0; i < 10; i++)
				ok = ok && seen[i] == 1;
			obs[idx[0]]++;
			obs[idx[3]]++;
		}
		check(ok, "sample: a permutation of the indices");
		for (int i = 0; i < 10; i++)
			expct[i] = 20000.0;
		/* 9 df: P(> 27.88) = 0.001 */
		check(chisq(obs, expct, 10) < 27.88, "sample: uniform positions (chi-square)");
	}
	/* Poisson tables: e^{-λ} and the pmf against libm, λ = 1..500 */
	{
		static double cdf[1001];
		HtePoisson	p;
		int			ok = 1;

		for (int lambda = 1; lambda <= HTE_POISSON_MAX_LAMBDA; lambda++)
		{
			ok = ok && hte_poisson_init(&p, lambda, 1000, cdf);
			ok = ok && fabs(cdf[0] / exp(-(double) lambda) - 1.0) < 1e-12;
			for (int k = 1; k < 1000; k++)
				ok = ok && cdf[k] >= cdf[k - 1];
			/* the mass up to 2λ + 10 sd is all of it, to rounding */
			ok = ok && fabs(cdf[999 < 3 * lambda + 60 ? 999 : 3 * lambda + 60] - 1.0) < 1e-12;
		}
		check(ok, "Poisson tables for λ = 1..500");
		check(!hte_poisson_init(&p, 501, 10, cdf) && !hte_poisson_init(&p, 0, 10, cdf),
			  "Poisson λ outside 1..500 refused");
	}
	/* Poisson draws: λ = 10 truncated at 12, frequencies against the pmf */
	{
		double		cdf[12],
					obs[13] = {0},
					expct[13];
		HtePoisson	p;
		HteRng		r;
		int			n = 400000;

		hte_poisson_init(&p, 10, 12, cdf);
		hte_rng_seed(&r, 77);
		for (int i = 0; i < n; i++)
			obs[hte_poisson_draw(&p, &r)]++;
		for (int k = 0; k <= 12; k++)
		{
			double		pk = k < 12 ? exp(-10.0 + k * log(10.0) - lgamma(k + 1.0)) : 0.0;

			if (k == 12)
			{
				pk = 1.0;
				for (int j = 0; j < 12; j++)
					pk -= exp(-10.0 + j * log(10.0) - lgamma(j + 1.0));
			}
			expct[k] = n * pk;
		}
		/* 12 df: P(> 32.91) = 0.001; cells 0-2 pooled (expected counts small) */
		obs[3] += obs[0] + obs[1] + obs[2];
		expct[3] += expct[0] + expct[1] + expct[2];
		check(chisq(obs + 3, expct + 3, 10) < 29.59, "Poisson(10) truncated at 12 (chi-square, 9 df)");
	}
	printf("rng: %d passed, %d failed\n", passed, failed);
	return failed > 0;
}
