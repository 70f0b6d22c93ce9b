/*
 * hte_interaction.c — the interaction test from per-arm co-moments.
 *
 * The model y = a + tau T + beta x + gamma T x + e has the same column
 * space as the per-arm lines y = a_g + b_g x (g = 0 control, 1 treated), so
 * its OLS fit is the two simple regressions, its residuals and leverages
 * are theirs, and its coefficient covariance (classical or sandwich) is
 * block diagonal across arms.  In arm g, with n_g rows, means mx_g, my_g,
 * u = x - mx_g, and in the centred parametrization (c_g = fitted value at
 * x = mx_g = my_g, slope b_g), X'X = diag(n_g, M20_g), hence
 *
 *   Var(b_g)       = s2 / M20^2
 *   Var(c_g)       = s0 / n^2
 *   Cov(c_g, b_g)  = s1 / (n M20)
 *
 * for a sandwich with meat (s0, s1, s2) (see HteMeat), scaled by
 * n/(n - 4) for HC1, and Var(b_g) = sigma^2/M20, Var(c_g) = sigma^2/n,
 * Cov = 0 for the classical one, sigma^2 = (RSS_0 + RSS_1)/(n - 4) pooled
 * over both arms because the model has one error variance.
 *
 * The arm's line at a point z is c_g + b_g (z - mx_g), with variance
 * Var(c_g) + (z - mx_g)^2 Var(b_g) + 2 (z - mx_g) Cov(c_g, b_g); the
 * treatment effect at z is the difference of the two lines, and its
 * variance the sum.  gamma = b_1 - b_0, tau = effect at z = 0, and the
 * effect at the mean takes z = mean of x over all rows.  This matches
 * R's lm(y ~ t * x) with sandwich::vcovHC(type = ...) (the effect at the
 * mean as the t coefficient of lm(y ~ t * I(x - mean(x)))).
 */
#include "hte_interaction.h"

#include <math.h>
#include <string.h>

#include "hte_dist.h"

static const char *const se_names[HTE_SE_NTYPES] = {"classical", "HC0", "HC1", "HC2", "HC3"};

const char *
hte_se_type_name(HteSeType t)
{
	return se_names[t];
}

bool
hte_se_type_parse(const char *name, HteSeType *out)
{
	for (int i = 0; i < HTE_SE_NTYPES; i++)
		if (strcmp(name, se_names[i]) == 0)
		{
			*out = (HteSeType) i;
			return true;
		}
	return false;
}

bool
hte_armxy_fit(const HteArmXY *a, double *slope, HteMeat *hc0)
{
	double		m20 = hte_dd_value(a->m20),
				m11 = hte_dd_value(a->m11),
				b;

	if (a->n < 2.0 || !(m20 > 0.0))
		return false;
	b = m11 / m20;
	*slope = b;
	/* even sums are >= 0 in exact arithmetic; clamp rounding below zero */
	hc0->s0 = fmax(0.0, hte_dd_value(a->m02) - b * m11);
	hc0->s1 = hte_dd_value(a->m12) - 2.0 * b * hte_dd_value(a->m21) + b * b * hte_dd_value(a->m30);
	hc0->s2 = fmax(0.0, hte_dd_value(a->m22) - 2.0 * b * hte_dd_value(a->m31) +
				   b * b * hte_dd_value(a->m40));
	return true;
}

bool
hte_meat_hc23_add(const HteArmXY *a, double slope, HteSeType type,
				  const double *x, const double *y, size_t count, HteMeat *meat)
{
	const double inv_n = 1.0 / a->n;
	const double m20 = hte_dd_value(a->m20);

	for (size_t i = 0; i < count; i++)
	{
		double		u = hte_dd_dev(x[i], a->mx);
		double		v = hte_dd_dev(y[i], a->my);
		double		e = v - slope * u;
		double		h = inv_n + u * u / m20;
		double		w;

		if (!(h < 1.0))
			return false;
		w = e * e / (1.0 - h);
		if (type == HTE_SE_HC3)
			w /= (1.0 - h);
		meat->s0 += w;
		meat->s1 += u * w;
		meat->s2 += u * u * w;
	}
	return true;
}

/* Variance of one arm's line at offset d = z - mx from its mean. */
static double
line_variance(double var_c, double var_b, double cov_cb, double d)
{
	return var_c + d * d * var_b + 2.0 * d * cov_cb;
}

bool
hte_interaction_compute(const HteArmXY *control, const HteArmXY *treated,
						HteSeType type, const HteMeat *meat,
						double conf_level, HteInteractionResult *out)
{
	const HteArmXY *arm[2] = {control, treated};
	const double n = control->n + treated->n;
	double		b[2],
				var_c[2],
				var_b[2],
				cov[2];
	HteMeat		hc0[2];
	double		m20[2];
	double		dmy,
				dmx,
				gamma,
				var_gamma,
				var_zero,
				var_mean,
				off_zero[2],
				off_mean[2];

	out->n_treated = treated->n;
	out->n_control = control->n;
	out->df = out->interaction = out->std_error = out->ci_lower = out->ci_upper = NAN;
	out->p_value = out->effect_at_zero = out->effect_at_zero_se = NAN;
	out->effect_at_mean = out->effect_at_mean_se = NAN;

	if (n == 0.0)
		return false;
	/* four coefficients: fewer than five rows leave no residual df */
	if (n < 5.0)
		return true;
	out->df = n - 4.0;
	if (!hte_armxy_fit(control, &b[0], &hc0[0]) ||
		!hte_armxy_fit(treated, &b[1], &hc0[1]))
		return true;
	m20[0] = hte_dd_value(control->m20);
	m20[1] = hte_dd_value(treated->m20);

	if (type == HTE_SE_CLASSICAL)
	{
		double		sigma2 = (hc0[0].s0 + hc0[1].s0) / (n - 4.0);

		for (int g = 0; g < 2; g++)
		{
			var_b[g] = sigma2 / m20[g];
			var_c[g] = sigma2 / arm[g]->n;
			cov[g] = 0.0;
		}
	}
	else
	{
		double		scale = type == HTE_SE_HC1 ? n / (n - 4.0) : 1.0;

		for (int g = 0; g < 2; g++)
		{
			const HteMeat *m = (type == HTE_SE_HC2 || type == HTE_SE_HC3) ? &meat[g] : &hc0[g];

			var_b[g] = scale * m->s2 / (m20[g] * m20[g]);
			var_c[g] = scale * m->s0 / (arm[g]->n * arm[g]->n);
			cov[g] = scale * m->s1 / (arm[g]->n * m20[g]);
		}
	}

	/* differences of double-double means, to full precision */
	dmy = hte_dd_diff(treated->my, control->my);
	dmx = hte_dd_diff(treated->mx, control->mx);

	gamma = b[1] - b[0];
	var_gamma = var_b[0] + var_b[1];

	/* offsets z - mx_g: z = 0, and z = the pooled mean of x */
	off_zero[0] = -hte_dd_value(control->mx);
	off_zero[1] = -hte_dd_value(treated->mx);
	off_mean[0] = dmx * (treated->n / n);
	off_mean[1] = -dmx * (control->n / n);

	out->interaction = gamma;
	out->std_error = sqrt(var_gamma);
	out->effect_at_zero = dmy + b[1] * off_zero[1] - b[0] * off_zero[0];
	out->effect_at_mean = dmy + b[1] * off_mean[1] - b[0] * off_mean[0];
	var_zero = var_mean = 0.0;
	for (int g = 0; g < 2; g++)
	{
		var_zero += line_variance(var_c[g], var_b[g], cov[g], off_zero[g]);
		var_mean += line_variance(var_c[g], var_b[g], cov[g], off_mean[g]);
	}
	out->effect_at_zero_se = sqrt(fmax(0.0, var_zero));
	out->effect_at_mean_se = sqrt(fmax(0.0, var_mean));

	if (isfinite(out->std_error))
	{
		double		half = hte_qt((1.0 - conf_level) / 2.0, out->df, false) * out->std_error;

		out->ci_lower = gamma - half;
		out->ci_upper = gamma + half;
		if (out->std_error > 0.0)
			out->p_value = fmin(1.0, 2.0 * hte_pt(fabs(gamma / out->std_error), out->df, false));
	}
	return true;
}
