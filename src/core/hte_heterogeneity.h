/*
 * hte_heterogeneity.h — does the effect differ across subgroups?
 * Cochran's Q with I^2 and the DerSimonian–Laird tau^2, the fixed-effect
 * pooled estimate, and the Gail–Simon test for qualitative (crossover)
 * interaction.
 *
 * Statistics core: no PostgreSQL headers.
 */
#ifndef HTE_HETEROGENEITY_H
#define HTE_HETEROGENEITY_H

#include <stddef.h>

#include "hte_quantile.h"		/* HteInterruptFn */

typedef struct HteHeterogeneityResult
{
	double		subgroups;		/* k, the subgroups used */
	double		q_statistic;
	double		df;				/* k - 1 */
	double		p_value;
	double		i_squared;
	double		tau_squared;
	double		pooled_estimate;
	double		pooled_std_error;
	double		crossover_statistic;
	double		crossover_p_value;
} HteHeterogeneityResult;

/*
 * The sums the tests need, mergeable, so that heterogeneity_test(estimate,
 * std_error) is an aggregate with a fixed-size state: with w = 1/SE^2, the
 * count k, sum w, the weighted mean D, Q = sum w (D_i - D)^2 (updated as
 * West 1979, merged as Chan et al. 1979), the sum of products of pairs of
 * weights sum_{i<j} w_i w_j (so that DerSimonian–Laird's sum w - sum w^2 /
 * sum w = 2 sum_{i<j} w_i w_j / sum w does not cancel when one weight
 * dominates), and Gail–Simon's sums
 * of (D_i/SE_i)^2 over negative (qpos) and positive (qneg) estimates.
 * Stored as float8[HTE_META_STATE_LEN] = {HTE_META_STATE_TAG, the seven}.
 */
typedef struct HteHetSums
{
	double		k;
	double		sw;
	double		mean;
	double		q;
	double		pw;				/* sum_{i<j} w_i w_j */
	double		qpos;
	double		qneg;
} HteHetSums;

#define HTE_META_STATE_TAG	6.0
#define HTE_META_STATE_LEN	8

/* Add estimate d with standard error se > 0 (finite; the caller checks). */
void		hte_het_push(HteHetSums *s, double d, double se);

/* a := a and b together. */
void		hte_het_merge(HteHetSums *a, const HteHetSums *b);

/* NULL when s is a valid set of sums, else a sentence saying what is wrong. */
const char *hte_het_check(const HteHetSums *s);

/*
 * The tests from the sums (as hte_heterogeneity below).  Gail–Simon's
 * p-value sums the binomial weights C(k-1, h) / 2^(k-1) that are not below
 * the smallest double (h within 20 sqrt(k-1) of (k-1)/2: all of them up to
 * k = 1601), calling check_interrupts (if any) every 2^16 terms.
 */
void		hte_het_finish(const HteHetSums *s, HteHeterogeneityResult *out,
						   HteInterruptFn check_interrupts);

/*
 * The tests for k subgroup estimates d[i] with standard errors se[i] > 0
 * (the caller passes only subgroups whose SE is defined and positive).
 * NaN marks an undefined field: with k = 0 all but subgroups; with k = 1
 * the p-values, and tau^2 (its denominator is 0).
 */
void		hte_heterogeneity(const double *d, const double *se, size_t k,
							  HteHeterogeneityResult *out);

#endif							/* HTE_HETEROGENEITY_H */
