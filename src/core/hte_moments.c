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

	if (len != HTE_ATE_STATE_LEN)
		return "The state does not have 11 elements.";
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
