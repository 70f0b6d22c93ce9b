/*
 * hte_moments.c — merging and checking per-arm moment summaries.
 */
#include "hte_moments.h"

#include <math.h>

/* Largest count a double holds exactly. */
#define HTE_MAX_COUNT 9007199254740992.0	/* 2^53 */

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
	d = hte_arm_mean_diff(b, a);
	hte_dd_add(&a->mean_hi, &a->mean_lo, d * (b->n / n));
	a->m2 += b->m2 + d * (d * (a->n / n)) * b->n;
	a->n = n;
}

const char *
hte_arm_check(const HteArm *a)
{
	if (!(a->n >= 0.0 && a->n <= HTE_MAX_COUNT) || a->n != floor(a->n))
		return "An arm's row count is not a whole number between 0 and 2^53.";
	if (!hte_arm_finite(a))
		return "An arm's mean or sum of squares is not finite.";
	/* normalized: the low part is at most half an ulp of the high part */
	if (fabs(a->mean_lo) > ldexp(fabs(a->mean_hi), -52))
		return "An arm's mean is not a normalized double-double.";
	if (a->m2 < 0.0)
		return "An arm's sum of squared deviations is negative.";
	if (a->n == 0.0 && (a->mean_hi != 0.0 || a->mean_lo != 0.0 || a->m2 != 0.0))
		return "An empty arm has a nonzero mean or sum of squares.";
	if (a->n == 1.0 && a->m2 != 0.0)
		return "A one-row arm has a nonzero sum of squares.";
	return NULL;
}

const char *
hte_ate_state_check(const double *state, size_t len)
{
	const char *why;

	if (len != HTE_ATE_STATE_LEN)
		return "The state does not have 9 elements.";
	if (state[0] != HTE_ATE_STATE_TAG)
		return "The state's layout tag is not that of an ate state, format 1.";
	for (int arm = 0; arm < 2; arm++)
	{
		why = hte_arm_check(hte_ate_state_arm((double *) state, arm));
		if (why != NULL)
			return why;
	}
	return NULL;
}
