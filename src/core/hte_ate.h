/*
 * hte_ate.h — difference in means with the Neyman/Welch standard error.
 *
 * Statistics core: no PostgreSQL headers.
 */
#ifndef HTE_ATE_H
#define HTE_ATE_H

#include <stdbool.h>

#include "hte_moments.h"

/*
 * Every double field is NaN when the quantity is undefined for the data
 * (SQL NULL), never otherwise: the inputs are finite, so NaN arises only from
 * the explicit "undefined" cases below.
 */
typedef struct HteAteResult
{
	double		estimate;		/* mean_treated - mean_control */
	double		std_error;		/* sqrt(s1^2/n1 + s0^2/n0) */
	double		ci_lower;
	double		ci_upper;
	double		p_value;		/* two-sided, Student t with df */
	double		df;				/* Welch–Satterthwaite */
	double		n_treated;
	double		n_control;
	double		mean_treated;
	double		mean_control;
	double		sd_treated;
	double		sd_control;
} HteAteResult;

/*
 * Compute the ate result from the two arms at confidence level
 * conf_level (0 < conf_level < 1).  Returns false when both arms are empty
 * (the result is SQL NULL).  Fields may come out ±Inf only when finite data
 * overflow double range; the caller reports that as an error.
 */
bool		hte_ate_compute(const HteArm *control, const HteArm *treated,
							double conf_level, HteAteResult *out);

/*
 * Welch–Satterthwaite degrees of freedom for variances of the mean v1, v0
 * (>= 0) from arms of n1, n0 >= 2 rows; NaN when v1 + v0 = 0.
 */
double		hte_welch_df(double v1, double n1, double v0, double n0);

#endif							/* HTE_ATE_H */
