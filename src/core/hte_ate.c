/*
 * hte_ate.c — difference in means with the Neyman/Welch standard error,
 * as R's t.test(var.equal = FALSE) and estimatr::difference_in_means.
 */
#include "hte_ate.h"

#include <math.h>

#include "hte_dist.h"

double
hte_welch_df(double v1, double n1, double v0, double n0)
{
	double		scale = fmax(v1, v0);
	double		r1,
				r0;

	if (!(scale > 0.0))
		return NAN;
	/*
	 * df = (v1 + v0)^2 / (v1^2/(n1-1) + v0^2/(n0-1)) is invariant to scaling
	 * both v by the same factor; dividing by the larger keeps the squares
	 * from overflowing or underflowing.
	 */
	r1 = v1 / scale;
	r0 = v0 / scale;
	return (r1 + r0) * (r1 + r0) / (r1 * r1 / (n1 - 1.0) + r0 * r0 / (n0 - 1.0));
}

bool
hte_ate_compute(const HteArm *control, const HteArm *treated,
				double conf_level, HteAteResult *out)
{
	const double n1 = treated->n,
				n0 = control->n;
	double		v1 = NAN,
				v0 = NAN;

	out->n_treated = n1;
	out->n_control = n0;
	out->mean_treated = n1 >= 1.0 ? hte_dd_value(treated->mean) : NAN;
	out->mean_control = n0 >= 1.0 ? hte_dd_value(control->mean) : NAN;
	out->sd_treated = out->sd_control = NAN;
	out->estimate = out->std_error = out->df = NAN;
	out->ci_lower = out->ci_upper = out->p_value = NAN;

	if (n1 + n0 == 0.0)
		return false;

	if (n1 >= 2.0)
	{
		double		var = hte_dd_value(treated->m2) / (n1 - 1.0);

		out->sd_treated = sqrt(var);
		v1 = var / n1;
	}
	if (n0 >= 2.0)
	{
		double		var = hte_dd_value(control->m2) / (n0 - 1.0);

		out->sd_control = sqrt(var);
		v0 = var / n0;
	}
	if (n1 >= 1.0 && n0 >= 1.0)
		out->estimate = hte_dd_diff(treated->mean, control->mean);

	/* The standard error needs a variance from each arm. */
	if (n1 >= 2.0 && n0 >= 2.0)
	{
		/* hypot(sqrt v1, sqrt v0) = sqrt(v1 + v0) without overflow */
		out->std_error = hypot(sqrt(v1), sqrt(v0));
		out->df = hte_welch_df(v1, n1, v0, n0);
	}

	/* Intervals and tests need a positive standard error and a df. */
	if (out->std_error > 0.0 && out->df > 0.0)
	{
		double		alpha = 1.0 - conf_level;
		double		tcrit = hte_qt(alpha / 2.0, out->df, false);
		double		half = tcrit * out->std_error;
		double		tstat = out->estimate / out->std_error;

		out->ci_lower = out->estimate - half;
		out->ci_upper = out->estimate + half;
		out->p_value = fmin(1.0, 2.0 * hte_pt(fabs(tstat), out->df, false));
	}
	return true;
}
