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
hte_het_push(HteHetSums *s, double d, double se)
{
	double		w = 1.0 / (se * se),
				z = d / se,
				sw_before = s->sw;

	if (s->k == 0.0)
	{
		/* the first: its own mean, exactly */
		s->sw = w;
		s->mean = d;
		s->q = 0.0;
	}
	else
	{
		double		sw = s->sw + w,
					delta = d - s->mean;

		s->mean += delta * (w / sw);
		s->q += w * delta * (d - s->mean);
		s->sw = sw;
	}
	s->k += 1.0;
	s->pw += w * sw_before;
	if (d > 0.0)
		s->qneg += z * z;
	else if (d < 0.0)
		s->qpos += z * z;
}

void
hte_het_merge(HteHetSums *a, const HteHetSums *b)
{
	double		sw,
				swa = a->sw,
				delta;

	if (b->k == 0.0)
		return;
	if (a->k == 0.0)
	{
		*a = *b;
		return;
	}
	sw = a->sw + b->sw;
	delta = b->mean - a->mean;
	a->q += b->q + delta * delta * (a->sw * (b->sw / sw));
	a->mean += delta * (b->sw / sw);
	a->sw = sw;
	a->k += b->k;
	a->pw += b->pw + swa * b->sw;
	a->qpos += b->qpos;
	a->qneg += b->qneg;
}

const char *
hte_het_check(const HteHetSums *s)
{
	const double *v = (const double *) s;

	for (int i = 0; i < 7; i++)
		if (!isfinite(v[i]))
			return "A sum is not finite.";
	if (!(s->k >= 0.0 && s->k <= 9007199254740992.0) || s->k != floor(s->k))
		return "The count of estimates is not a whole number between 0 and 2^53.";
	if (s->sw < 0.0 || s->q < 0.0 || s->pw < 0.0 || s->qpos < 0.0 || s->qneg < 0.0)
		return "A sum of weights or squares is negative.";
	if (s->k == 0.0 && (s->sw != 0.0 || s->mean != 0.0 || s->q != 0.0 || s->pw != 0.0 ||
						s->qpos != 0.0 || s->qneg != 0.0))
		return "A state without estimates has sums that are not zero.";
	if (s->k > 0.0 && !(s->sw > 0.0))
		return "A state with estimates has no weight.";
	if (s->k == 1.0 && (s->q != 0.0 || s->pw != 0.0))
		return "A state with one estimate has a Q or a product of weights that is not zero.";
	return NULL;
}

void
hte_het_finish(const HteHetSums *s, HteHeterogeneityResult *out,
			   HteInterruptFn check_interrupts)
{
	double		df = s->k - 1.0,
				q = s->q,
				stat,
				p,
				half,
				first,
				last;

	out->subgroups = s->k;
	out->q_statistic = out->df = out->p_value = out->i_squared = NAN;
	out->tau_squared = out->pooled_estimate = out->pooled_std_error = NAN;
	out->crossover_statistic = out->crossover_p_value = NAN;
	if (s->k == 0.0)
		return;

	out->q_statistic = q;
	out->df = df;
	out->pooled_estimate = s->mean;
	out->pooled_std_error = sqrt(1.0 / s->sw);
	out->i_squared = q > 0.0 ? fmax(0.0, (q - df) / q) : 0.0;
	stat = fmin(s->qpos, s->qneg);
	out->crossover_statistic = stat;
	if (s->k < 2.0)
		return;

	out->p_value = hte_pchisq(q, df, false);
	/* sum w - sum w^2 / sum w = 2 sum_{i<j} w_i w_j / sum w, without cancelling */
	out->tau_squared = fmax(0.0, (q - df) / (2.0 * s->pw / s->sw));

	/*
	 * binomial weights C(k-1, h) / 2^(k-1), in logs for thousands of groups;
	 * beyond 20 standard deviations (sqrt(k-1)/2) from the mode they are
	 * below exp(-800), nothing in double precision
	 */
	p = 0.0;
	half = 20.0 * sqrt(df) + 1.0;
	first = fmax(1.0, floor(df / 2.0 - half));
	last = fmin(df, ceil(df / 2.0 + half));
	for (size_t h = (size_t) first; (double) h <= last; h++)
	{
		double		lw = hte_lgamma(df + 1.0) - hte_lgamma((double) h + 1.0) -
			hte_lgamma(df - (double) h + 1.0) - df * log(2.0);

		if (check_interrupts != NULL && (h & 0xFFFF) == 0)
			check_interrupts();
		p += exp(lw) * hte_pchisq(stat, (double) h, false);
	}
	out->crossover_p_value = fmin(1.0, p);
}

/* Two passes over the arrays (Q summed around the mean), then the tests. */
void
hte_heterogeneity(const double *d, const double *se, size_t k,
				  HteHeterogeneityResult *out)
{
	HteHetSums	s = {0};
	double		swd = 0.0;

	s.k = (double) k;
	for (size_t i = 0; i < k; i++)
	{
		double		w = 1.0 / (se[i] * se[i]);

		s.pw += w * s.sw;
		s.sw += w;
		swd += w * d[i];
	}
	/* one subgroup: the pooled estimate is its own, Q is exactly 0 */
	s.mean = k == 0 ? 0.0 : k == 1 ? d[0] : swd / s.sw;
	for (size_t i = 0; i < k; i++)
	{
		double		z = d[i] / se[i];
		double		r = (d[i] - s.mean) / se[i];

		s.q += r * r;
		if (d[i] > 0.0)
			s.qneg += z * z;
		else if (d[i] < 0.0)
			s.qpos += z * z;
	}
	hte_het_finish(&s, out, NULL);
}
