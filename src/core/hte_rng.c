/*
 * hte_rng.c — portable pseudo-random numbers (see hte_rng.h).
 */
#include "hte_rng.h"

uint64_t
hte_splitmix64(uint64_t *x)
{
	uint64_t	z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void
hte_rng_seed(HteRng *r, uint64_t x)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = hte_splitmix64(&x);
}

void
hte_rng_init(HteRng *r, uint64_t seed, unsigned forest, uint64_t unit)
{
	uint64_t	x = seed,
				k = hte_splitmix64(&x);

	x = k ^ (((uint64_t) (forest & 7u) << 61) + unit);
	hte_rng_seed(r, hte_splitmix64(&x));
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
hte_rng_next(HteRng *r)
{
	uint64_t   *s = r->s,
				result = rotl(s[1] * 5, 7) * 9,
				t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/*
 * Lemire (2019), "Fast random integer generation in an interval": the high
 * word of x·m, rejecting the low words below 2^64 mod m.  The 128-bit
 * product is built from 32-bit halves (no compiler extension).
 */
static inline void
mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	uint64_t	a0 = a & 0xffffffffu,
				a1 = a >> 32,
				b0 = b & 0xffffffffu,
				b1 = b >> 32,
				p00 = a0 * b0,
				p01 = a0 * b1,
				p10 = a1 * b0,
				p11 = a1 * b1,
				mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);

	*lo = (mid << 32) | (p00 & 0xffffffffu);
	*hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

uint64_t
hte_rng_below(HteRng *r, uint64_t m)
{
	uint64_t	hi,
				lo;

	mul64(hte_rng_next(r), m, &hi, &lo);
	if (lo < m)
	{
		uint64_t	threshold = (0 - m) % m;	/* 2^64 mod m */

		while (lo < threshold)
			mul64(hte_rng_next(r), m, &hi, &lo);
	}
	return hi;
}

double
hte_rng_double(HteRng *r)
{
	return (double) (hte_rng_next(r) >> 11) * 0x1.0p-53;
}

void
hte_rng_sample(HteRng *r, uint32_t *idx, size_t n, size_t k)
{
	for (size_t i = 0; i < k && i + 1 < n; i++)
	{
		size_t		j = i + (size_t) hte_rng_below(r, (uint64_t) (n - i));
		uint32_t	t = idx[i];

		idx[i] = idx[j];
		idx[j] = t;
	}
}

bool
hte_poisson_init(HtePoisson *p, int lambda, int cap, double *cdf)
{
	/* e^{-1}, correctly rounded */
	const double e_inv = 0x1.78b56362cef38p-2;
	double		base = e_inv,
				pk = 1.0,
				sum;
	int			n = lambda;

	if (lambda < 1 || lambda > HTE_POISSON_MAX_LAMBDA || cap < 1)
		return false;
	/* e^{-λ} = (e^{-1})^λ by repeated squaring: +, × only */
	while (n > 0)
	{
		if (n & 1)
			pk *= base;
		base *= base;
		n >>= 1;
	}
	p->lambda = lambda;
	p->cap = cap;
	p->cdf = cdf;
	sum = pk;
	for (int k = 0; k < cap; k++)
	{
		cdf[k] = sum;
		pk = pk * (double) lambda / (double) (k + 1);
		sum += pk;
	}
	return true;
}

int
hte_poisson_draw(const HtePoisson *p, HteRng *r)
{
	double		u = hte_rng_double(r);
	int			k = 0;

	while (k < p->cap && !(u < p->cdf[k]))
		k++;
	return k;
}
