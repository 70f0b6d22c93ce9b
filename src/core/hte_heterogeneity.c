/*
 * hte_heterogeneity.c — Cochran's Q, DerSimonian–Laird and Gail–Simon.
 *
 * With weights w_i = 1/SE_i^2 and the fixed-effect mean
 * D = sum w_i D_i / sum w_i:
 *   Q     = sum w_i (D_i - D)^2, referred to chi-square(k - 1)
 *   I^2   = max(0, (Q - df) / Q), 0 when Q = 0   (Higgins & Thompson 2002)
 *   tau^2 = max(0, (Q - df) / (sum w - sum w^2 / sum w))   (DerSimonian &
 *           Laird 1986), as metafor::rma(method = "DL")
 *   pooled estimate D, standard error sqrt(1 / sum w)   (rma(method = "FE"))
 * Gail & Simon (1985, Biometrics 41:361–372): Q- = sum_{D_i > 0} (D_i/SE_i)^2,
 * Q+ = sum_{D_i < 0} (D_i/SE_i)^2, statistic min(Q+, Q-), and
 *   P = sum_{h=1}^{k-1} C(k-1, h) / 2^(k-1) * P(chi-square(h) >= statistic).
 *
 * Q is summed around D (not as sum w D^2 - (sum w D)^2 / sum w), so it does
 * not cancel when the estimates are large and close.
 */
#include "hte_heterogeneity.h"

#include <math.h>

#include "hte_dist.h"

void
hte_heterogeneity(const double *d, const double *se, size_t k,
				  HteHeterogeneityResult *out)
{
	double		sw = 0.0,
				sw2 = 0.0,
				swd = 0.0,
				mean,
				q = 0.0,
				qpos = 0.0,
				qneg = 0.0,
				df = (double) k - 1.0,
				stat,
				p;

	out->subgroups = (double) k;
	out->q_statistic = out->df = out->p_value = out->i_squared = NAN;
	out->tau_squared = out->pooled_estimate = out->pooled_std_error = NAN;
	out->crossover_statistic = out->crossover_p_value = NAN;
	if (k == 0)
		return;

	for (size_t i = 0; i < k; i++)
	{
		double		w = 1.0 / (se[i] * se[i]);

		sw += w;
		sw2 += w * w;
		swd += w * d[i];
	}
	/* one subgroup: the pooled estimate is its own, Q is exactly 0 */
	mean = k == 1 ? d[0] : swd / sw;
	for (size_t i = 0; i < k; i++)
	{
		double		z = d[i] / se[i];
		double		r = (d[i] - mean) / se[i];

		q += r * r;
		if (d[i] > 0.0)
			qneg += z * z;
		else if (d[i] < 0.0)
			qpos += z * z;
	}

	out->q_statistic = q;
	out->df = df;
	out->pooled_estimate = mean;
	out->pooled_std_error = sqrt(1.0 / sw);
	out->i_squared = q > 0.0 ? fmax(0.0, (q - df) / q) : 0.0;
	stat = fmin(qpos, qneg);
	out->crossover_statistic = stat;
	if (k < 2)
		return;

	out->p_value = hte_pchisq(q, df, false);
	out->tau_squared = fmax(0.0, (q - df) / (sw - sw2 / sw));

	/* binomial weights C(k-1, h) / 2^(k-1), in logs for thousands of groups */
	p = 0.0;
	for (size_t h = 1; h <= k - 1; h++)
	{
		double		lw = hte_lgamma(df + 1.0) - hte_lgamma((double) h + 1.0) -
			hte_lgamma(df - (double) h + 1.0) - df * log(2.0);

		p += exp(lw) * hte_pchisq(stat, (double) h, false);
	}
	out->crossover_p_value = fmin(1.0, p);
}
