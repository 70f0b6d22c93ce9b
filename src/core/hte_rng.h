/*
 * hte_rng.h — portable, reproducible pseudo-random numbers for the causal
 * forest (issue 15): the same seed gives the same draws on every platform,
 * compiler and number of threads.
 *
 * Statistics core: plain C99, no PostgreSQL headers.
 *
 * - splitmix64 (Steele, Lea & Flood 2014) derives keys and seeds;
 * - xoshiro256** (Blackman & Vigna 2018) is the generator: one stream per
 *   independent unit of work (a group of trees), keyed by (seed, forest,
 *   unit), so units can run in any order or in parallel;
 * - bounded integers by Lemire's multiply-and-reject (unbiased, no division
 *   on the fast path), doubles in [0, 1) from the top 53 bits;
 * - k of n indices without replacement by a partial Fisher–Yates shuffle;
 * - Poisson(λ) for a whole λ by inversion over a table built with +, ×, ÷
 *   only (e^{-λ} as the correctly rounded e^{-1} raised to λ by repeated
 *   squaring), so that draws, and the trees they shape, are bit-identical
 *   everywhere (λ <= 500: e^{-λ} underflows near 745; a larger mtry can be
 *   drawn as a sum of independent Poissons).
 */
#ifndef HTE_RNG_H
#define HTE_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct HteRng
{
	uint64_t	s[4];
} HteRng;

/* One splitmix64 step: advances *x and returns the next output. */
uint64_t	hte_splitmix64(uint64_t *x);

/* The stream of unit `unit` of forest `forest` (0..7) for a seed. */
void		hte_rng_init(HteRng *r, uint64_t seed, unsigned forest, uint64_t unit);

/* A stream seeded directly from a 64-bit value (by four splitmix64 steps). */
void		hte_rng_seed(HteRng *r, uint64_t x);

/* The next 64 random bits (xoshiro256**). */
uint64_t	hte_rng_next(HteRng *r);

/* Uniform on 0..m-1, m >= 1. */
uint64_t	hte_rng_below(HteRng *r, uint64_t m);

/* Uniform on [0, 1), a multiple of 2^-53. */
double		hte_rng_double(HteRng *r);

/*
 * Put k distinct indices drawn uniformly from idx[0..n-1] into idx[0..k-1],
 * in draw order (a partial Fisher–Yates shuffle of idx; k <= n).
 */
void		hte_rng_sample(HteRng *r, uint32_t *idx, size_t n, size_t k);

/*
 * Inversion table of Poisson(λ), λ a whole number from 1 to 500, truncated
 * at `cap` (the draw is min(K, cap)): cdf[k] = P(K <= k) for k < cap, and
 * 1 beyond.  cap + 1 doubles of room.
 */
#define HTE_POISSON_MAX_LAMBDA 500
typedef struct HtePoisson
{
	int			lambda;
	int			cap;
	double	   *cdf;
} HtePoisson;

/*
 * Build the table for λ >= 1 truncated at cap >= 1 into cdf (cap doubles).
 * False when λ > HTE_POISSON_MAX_LAMBDA (draw a sum of smaller ones).
 */
bool		hte_poisson_init(HtePoisson *p, int lambda, int cap, double *cdf);

/* min(K, cap) for K ~ Poisson(λ): the smallest k with U < cdf[k]. */
int			hte_poisson_draw(const HtePoisson *p, HteRng *r);

#endif							/* HTE_RNG_H */
