/*
 * hte_moments.c — merging and checking per-arm moment summaries.
 */
#include "hte_moments.h"

#include <math.h>

/*
 * Chan, Golub & LeVeque (1979): with n = na + nb and d = mean_b - mean_a,
 *   mean = mean_a + d * nb / n
 *   M2   = M2_a + M2_b + d^2 * na * nb / n
 * d is formed from both halves of the double-double means.  An empty side
 * is special-cased so that merging with an empty worker state returns the
 * other side bit for bit.
 */
void
hte_arm_merge(HteArm *a, const HteArm *b)
{
	double		n,
				d;

	if (b->n == 0.0)
		return;
	if (a->n == 0.0)
	{
		*a = *b;
		return;
	}
	n = a->n + b->n;
	d = hte_dd_diff(b->mean, a->mean);
	hte_dd_add(&a->mean, d * (b->n / n));
	hte_dd_add_dd(&a->m2, b->m2);
	hte_dd_add(&a->m2, d * (d * (a->n / n)) * b->n);
	a->n = n;
}

/*
 * A block's mean is m + s1 / k about m = y[0] + sum(y - y[0]) / k, and its
 * M2 is sum (y - m)^2 - s1^2 / k with s1 = sum (y - m): the corrected
 * two-pass formula (Chan, Golub & LeVeque 1983, The American Statistician
 * 37:242).  m is within the range of
 * the block, so the deviations y - m are exact when the outcomes are close
 * (Sterbenz) and small otherwise, and the correction term is of the order of
 * the rounding error of m: the block's M2 is accurate to a few ulps, whatever
 * the offset of the outcomes.  m + s1 / k is kept as a double-double, so the
 * block's mean is as accurate as the compensated running mean it is merged
 * into.  Two accumulators per sum: independent chains for the processor.
 */
void
hte_arm_push_block(HteArm *a, const double *y, int k)
{
	double		s0 = 0.0,
				s1 = 0.0,
				t0 = 0.0,
				t1 = 0.0,
				u0 = 0.0,
				u1 = 0.0,
				m,
				s,
				ss;
	HteArm		b;
	int			i;

	if (k <= 0)
		return;
	for (i = 1; i + 1 < k; i += 2)
	{
		s0 += y[i] - y[0];
		s1 += y[i + 1] - y[0];
	}
	if (i < k)
		s0 += y[i] - y[0];
	m = y[0] + (s0 + s1) / k;
	for (i = 0; i + 1 < k; i += 2)
	{
		double		e0 = y[i] - m,
					e1 = y[i + 1] - m;

		t0 += e0;
		t1 += e1;
		u0 += e0 * e0;
		u1 += e1 * e1;
	}
	if (i < k)
	{
		double		e0 = y[i] - m;

		t0 += e0;
		u0 += e0 * e0;
	}
	s = t0 + t1;
	ss = (u0 + u1) - s * (s / k);
	b.n = k;
	hte_two_sum(m, s / k, &b.mean.hi, &b.mean.lo);
	/* NaN (overflowed squares) stays NaN for the caller's finiteness check */
	b.m2.hi = isnan(ss) || ss > 0.0 ? ss : 0.0;
	b.m2.lo = 0.0;
	hte_arm_merge(a, &b);
}

void
hte_ate_state_fold(const double *state, size_t len, HteArm arms[2])
{
	for (int g = 0; g < 2; g++)
	{
		arms[g] = *hte_ate_state_arm((double *) state, g);
		if (len == HTE_ATE_BUFFERED_LEN)
			hte_arm_push_block(&arms[g], state + HTE_ATE_BUFFER(g),
							   (int) state[HTE_ATE_PENDING(g)]);
	}
}

const char *
hte_count_check(double n)
{
	if (!(n >= 0.0 && n <= HTE_MAX_COUNT) || n != floor(n))
		return "An arm's row count is not a whole number between 0 and 2^53.";
	return NULL;
}

const char *
hte_arm_check(const HteArm *a)
{
	const char *why = hte_count_check(a->n);

	if (why != NULL)
		return why;
	if (!hte_dd_valid(a->mean) || !hte_dd_valid(a->m2))
		return "An arm's mean or sum of squares is not a finite normalized double-double.";
	if (a->m2.hi < 0.0)
		return "An arm's sum of squared deviations is negative.";
	if (a->n == 0.0 && (a->mean.hi != 0.0 || a->m2.hi != 0.0))
		return "An empty arm has a nonzero mean or sum of squares.";
	if (a->n == 1.0 && a->m2.hi != 0.0)
		return "A one-row arm has a nonzero sum of squares.";
	return NULL;
}

const char *
hte_ate_state_check(const double *state, size_t len)
{
	const char *why;

	if (len != HTE_ATE_STATE_LEN && len != HTE_ATE_BUFFERED_LEN)
		return "The state does not have 11 elements (or 45, with buffered rows).";
	if (state[0] != HTE_ATE_STATE_TAG)
		return "The state's layout tag is not that of an ate state, format 1.";
	for (int arm = 0; arm < 2; arm++)
	{
		const HteArm *a = hte_ate_state_arm((double *) state, arm);
		double		k;

		why = hte_arm_check(a);
		if (why != NULL)
			return why;
		if (len == HTE_ATE_STATE_LEN)
			continue;
		k = state[HTE_ATE_PENDING(arm)];
		if (!(k >= 0.0 && k < HTE_ATE_BLOCK) || k != floor(k))
			return "An arm's count of buffered rows is not a whole number between 0 and 15.";
		if (a->n > HTE_MAX_COUNT - k)
			return "An arm's row count with its buffered rows exceeds 2^53.";
		for (int i = 0; i < (int) k; i++)
			if (!isfinite(state[HTE_ATE_BUFFER(arm) + i]))
				return "A buffered outcome is not finite.";
	}
	return NULL;
}
