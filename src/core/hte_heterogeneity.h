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
 * The tests for k subgroup estimates d[i] with standard errors se[i] > 0
 * (the caller passes only subgroups whose SE is defined and positive).
 * NaN marks an undefined field: with k = 0 all but subgroups; with k = 1
 * the p-values, and tau^2 (its denominator is 0).
 */
void		hte_heterogeneity(const double *d, const double *se, size_t k,
							  HteHeterogeneityResult *out);

#endif							/* HTE_HETEROGENEITY_H */
