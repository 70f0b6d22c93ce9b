/*
 * hte_moments.h — per-arm moment summaries that merge exactly.
 *
 * Part of the statistics core: plain C99, no PostgreSQL headers, so it can be
 * unit-tested, fuzzed and benchmarked on its own.
 *
 * An arm summary holds the count n, the mean and M2 = sum (y - mean)^2 of the
 * outcomes seen.  Rows are added with Welford's update (Welford 1962,
 * Technometrics 4:419) and two summaries are merged with the pairwise formula
 * of Chan, Golub and LeVeque (1979); both are the order-2 case of Pébay's
 * formulas (Sandia report SAND2008-6212), which the co-moment summaries of
 * later aggregates extend.  Neither ever forms a raw sum of squares.
 *
 * The mean is kept as an unevaluated sum of two doubles, mean_hi + mean_lo
 * (double-double, Dekker 1971; TwoSum of Knuth, TAOCP vol. 2), because the
 * estimand of ate is a difference of means: with outcomes around 1e9 and an
 * effect of 1e-3, a mean rounded to double (ulp 1.2e-7) would leave the
 * effect with four correct digits, and its rounding error would depend on
 * the row order.  With the compensated mean, the deviations y - mean are
 * accurate to a few ulps of themselves, so M2 is too, and the state changes
 * in the last bits only when the rows are permuted or split differently.
 */
#ifndef HTE_MOMENTS_H
#define HTE_MOMENTS_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct HteArm
{
	double		n;				/* rows seen; a whole number, <= 2^53 */
	double		mean_hi;		/* mean of y = mean_hi + mean_lo, */
	double		mean_lo;		/* |mean_lo| <= ulp(mean_hi) / 2; 0 if n = 0 */
	double		m2;				/* sum of squared deviations from the mean */
} HteArm;

_Static_assert(sizeof(HteArm) == 4 * sizeof(double), "HteArm must be four packed doubles");

/*
 * The aggregate state of ate() as it is stored: a flat array of doubles
 * (PostgreSQL float8[]), so that it is a real type that Citus and rollup
 * tables can carry.
 *
 *   [0]       layout tag: HTE_ATE_STATE_TAG (kind and format version)
 *   [1..4]    control arm {n, mean_hi, mean_lo, m2}
 *   [5..8]    treated arm {n, mean_hi, mean_lo, m2}
 *
 * Arm a (0 = control, 1 = treated) starts at element 1 + 4a.
 */
#define HTE_ATE_STATE_TAG	1.0
#define HTE_ATE_STATE_LEN	9

static inline HteArm *
hte_ate_state_arm(double *state, int arm)
{
	return (HteArm *) (state + 1 + 4 * arm);
}

/* The arm's mean rounded to double. */
static inline double
hte_arm_mean(const HteArm *a)
{
	return a->mean_hi + a->mean_lo;
}

/* y minus the arm's mean, accurate to a few ulps of the difference. */
static inline double
hte_arm_deviation(const HteArm *a, double y)
{
	return (y - a->mean_hi) - a->mean_lo;
}

/* Knuth's TwoSum: *s + *e = a + b exactly, *s = fl(a + b). */
static inline void
hte_two_sum(double a, double b, double *s, double *e)
{
	double		sum = a + b;
	double		bp = sum - a;

	*e = (a - (sum - bp)) + (b - bp);
	*s = sum;
}

/*
 * Add the double x to the double-double (*hi, *lo).  Both steps are TwoSum,
 * so the result is normalized: |lo| <= ulp(hi) / 2, which the state checks
 * rely on.
 */
static inline void
hte_dd_add(double *hi, double *lo, double x)
{
	double		s,
				e;

	hte_two_sum(*hi, x, &s, &e);
	hte_two_sum(s, *lo + e, hi, lo);
}

/* Add one outcome to an arm.  The caller checks y is finite. */
static inline void
hte_arm_push(HteArm *a, double y)
{
	double		d = hte_arm_deviation(a, y);

	a->n += 1.0;
	hte_dd_add(&a->mean_hi, &a->mean_lo, d / a->n);
	a->m2 += d * hte_arm_deviation(a, y);
}

/* Merge arm summary b into a. */
void		hte_arm_merge(HteArm *a, const HteArm *b);

/* Difference of the means of a and b, mean(a) - mean(b), to full precision. */
static inline double
hte_arm_mean_diff(const HteArm *a, const HteArm *b)
{
	return (a->mean_hi - b->mean_hi) + (a->mean_lo - b->mean_lo);
}

/*
 * true when an arm summary's numbers are finite (checked after updates:
 * finite inputs can overflow double range).
 */
static inline bool
hte_arm_finite(const HteArm *a)
{
	return isfinite(a->mean_hi) && isfinite(a->mean_lo) && isfinite(a->m2);
}

/*
 * Check one arm as stored: a whole non-negative count up to 2^53, a finite
 * normalized mean, M2 >= 0, an empty arm all zeros, a one-row arm with
 * M2 = 0.  Returns NULL when valid, else a sentence saying what is wrong.
 */
const char *hte_arm_check(const HteArm *a);

/* Check a stored ate state: length, tag, and both arms. */
const char *hte_ate_state_check(const double *state, size_t len);

#endif							/* HTE_MOMENTS_H */
