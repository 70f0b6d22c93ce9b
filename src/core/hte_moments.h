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
 * hte_comoments.h extend.  Neither ever forms a raw sum of squares.
 *
 * Every accumulated quantity is a compensated double-double hi + lo
 * (Dekker 1971; Knuth's TwoSum, TAOCP vol. 2, 4.2.2), for two reasons:
 *
 *  - the estimand of ate is a difference of means: with outcomes around 1e9
 *    and an effect of 1e-3, means rounded to double (ulp 1.2e-7) would
 *    leave the effect four correct digits.  With compensated means the
 *    deviations y - mean are accurate to a few ulps of themselves;
 *  - a plain running sum's rounding error grows with the rows and depends
 *    on their order, so serial, parallel and permuted runs would differ in
 *    the 12th digit on large tables; the compensated sums agree to about
 *    the 15th whatever the order or split.
 */
#ifndef HTE_MOMENTS_H
#define HTE_MOMENTS_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

/* A compensated accumulator: the value is hi + lo, |lo| <= ulp(hi) / 2. */
typedef struct HteDD
{
	double		hi;
	double		lo;
} HteDD;

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
 * a += x.  Both steps are TwoSum, so the result is normalized
 * (|lo| <= ulp(hi) / 2), which the state checks rely on.
 */
static inline void
hte_dd_add(HteDD *a, double x)
{
	double		s,
				e;

	hte_two_sum(a->hi, x, &s, &e);
	hte_two_sum(s, a->lo + e, &a->hi, &a->lo);
}

/* a += b */
static inline void
hte_dd_add_dd(HteDD *a, HteDD b)
{
	hte_dd_add(a, b.hi);
	hte_dd_add(a, b.lo);
}

/* The value rounded to double. */
static inline double
hte_dd_value(HteDD a)
{
	return a.hi + a.lo;
}

/* a - b to full double precision (no cancellation of the high parts). */
static inline double
hte_dd_diff(HteDD a, HteDD b)
{
	return (a.hi - b.hi) + (a.lo - b.lo);
}

/* y - a, accurate to a few ulps of the difference. */
static inline double
hte_dd_dev(double y, HteDD a)
{
	return (y - a.hi) - a.lo;
}

/* true when finite and normalized. */
static inline bool
hte_dd_valid(HteDD a)
{
	return isfinite(a.hi) && isfinite(a.lo) && fabs(a.lo) <= ldexp(fabs(a.hi), -52);
}

typedef struct HteArm
{
	double		n;				/* rows seen; a whole number, <= 2^53 */
	HteDD		mean;			/* mean of y; 0 when n = 0 */
	HteDD		m2;				/* sum of squared deviations from the mean */
} HteArm;

#define HTE_ARM_LEN 5
_Static_assert(sizeof(HteArm) == HTE_ARM_LEN * sizeof(double), "HteArm must be packed doubles");

/* Largest count a double holds exactly. */
#define HTE_MAX_COUNT 9007199254740992.0	/* 2^53 */

/*
 * The aggregate state of ate() as it is stored: a flat array of doubles
 * (PostgreSQL float8[]), so that it is a real type that Citus and rollup
 * tables can carry.
 *
 *   [0]       layout tag: HTE_ATE_STATE_TAG (kind and format version)
 *   [1..5]    control arm {n, mean hi, mean lo, M2 hi, M2 lo}
 *   [6..10]   treated arm, the same
 */
#define HTE_ATE_STATE_TAG	1.0
#define HTE_ATE_STATE_LEN	(1 + 2 * HTE_ARM_LEN)

/*
 * Inside an aggregate, once a state has 64 rows (so that many small groups
 * keep small states), ate's transition function keeps it in a longer form
 * with room for a block of rows per arm, and folds each block of
 * HTE_ATE_BLOCK outcomes into its arm at once (hte_arm_push_block): the
 * per-row work is then a store, and the dependent chain of divisions and
 * compensated additions of a per-row update runs once per block.
 *
 *   [0..10]   as above
 *   [11], [12]  outcomes pending in the control and the treated buffer,
 *             a whole number 0 <= k < HTE_ATE_BLOCK
 *   [13 .. 13 + B - 1]          control buffer (the first k are pending)
 *   [13 + B .. 13 + 2 B - 1]    treated buffer
 *
 * Both forms are valid states everywhere (combine, final, stored values);
 * the combine function folds the pending outcomes in.
 */
#define HTE_ATE_BLOCK		16
#define HTE_ATE_BUFFERED_LEN	(HTE_ATE_STATE_LEN + 2 + 2 * HTE_ATE_BLOCK)
#define HTE_ATE_PENDING(arm)	(HTE_ATE_STATE_LEN + (arm))
#define HTE_ATE_BUFFER(arm)		(HTE_ATE_STATE_LEN + 2 + HTE_ATE_BLOCK * (arm))

static inline HteArm *
hte_ate_state_arm(double *state, int arm)
{
	return (HteArm *) (state + 1 + HTE_ARM_LEN * arm);
}

/* Add one outcome to an arm.  The caller checks y is finite. */
static inline void
hte_arm_push(HteArm *a, double y)
{
	double		d = hte_dd_dev(y, a->mean);
	double		dd;

	a->n += 1.0;
	hte_dd_add(&a->mean, d / a->n);
	/*
	 * d and the new deviation share a sign in exact arithmetic: the product
	 * is clamped at 0 (NaN too).  Written as a comparison, not fmax(0.0, .),
	 * which the compiler leaves as a libm call on this hot path; the result
	 * is the same to the bit (+0.0 for -0.0 and NaN, as glibc's fmax; and
	 * adding -0.0 or +0.0 to M2, which started at +0.0, gives the same M2).
	 */
	dd = d * hte_dd_dev(y, a->mean);
	hte_dd_add(&a->m2, dd > 0.0 ? dd : 0.0);
}

/* Merge arm summary b into a. */
void		hte_arm_merge(HteArm *a, const HteArm *b);

/*
 * Fold the k >= 0 finite outcomes y[0..k-1] into arm a as one block: the
 * block's mean and M2 by two passes about a shift taken from the block,
 * then a merge.  The caller checks the count stays within 2^53 and the
 * result is finite.
 */
void		hte_arm_push_block(HteArm *a, const double *y, int k);

/*
 * The two arms of an ate state of either form, with any pending outcomes
 * folded in (the state is checked first, by hte_ate_state_check).
 */
void		hte_ate_state_fold(const double *state, size_t len, HteArm arms[2]);

/*
 * true when an arm summary's numbers are finite (checked after updates:
 * finite inputs can overflow double range).
 */
static inline bool
hte_arm_finite(const HteArm *a)
{
	return isfinite(a->mean.hi) && isfinite(a->mean.lo) &&
		isfinite(a->m2.hi) && isfinite(a->m2.lo);
}

/*
 * Check one arm as stored: a whole non-negative count up to 2^53, finite
 * normalized double-doubles, M2 >= 0, an empty arm all zeros, a one-row arm
 * with M2 = 0.  Returns NULL when valid, else a sentence saying what is
 * wrong.
 */
const char *hte_arm_check(const HteArm *a);

/* Check a stored ate state: length, tag, and both arms. */
const char *hte_ate_state_check(const double *state, size_t len);

/* The count check shared by all summaries; NULL when n is valid. */
const char *hte_count_check(double n);

#endif							/* HTE_MOMENTS_H */
