/*
 * fuzz_float8.c — libFuzzer harness for the float8[] state validators of
 * ate (hte_ate_state_check) and the three-argument interaction_test
 * (hte_armxy_check), which stand between any user's hand-made array and
 * hte_ate_final / hte_ate_combine / hte_it_final / hte_it_combine.
 *
 * The input is a selector byte and then doubles (native order).  Accepted
 * states are merged (as the combine functions do) and finalized; a merge
 * of two valid states must be valid again unless it overflowed (which the
 * glue reports as an ERROR), or a later final function would reject it.
 */
#include <stdint.h>
#include <string.h>

#include "hte_ate.h"
#include "hte_comoments.h"
#include "hte_interaction.h"
#include "hte_moments.h"
#include "fuzz_common.h"

#define IT_LEN (1 + 2 * HTE_ARMXY_LEN)

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_ate(const double *s, size_t len)
{
	double		a[HTE_ATE_STATE_LEN],
				b[HTE_ATE_STATE_LEN];
	HteAteResult r;

	if (hte_ate_state_check(s, len) != NULL)
		return;
	FUZZ_ASSERT(len == HTE_ATE_STATE_LEN);
	/* combine(s, s) and combine(control arm into treated arm) */
	memcpy(a, s, sizeof(a));
	memcpy(b, s, sizeof(b));
	for (int g = 0; g < 2; g++)
	{
		HteArm	   *x = hte_ate_state_arm(a, g);

		hte_arm_merge(x, hte_ate_state_arm(b, 1 - g));
		/* the glue reports a count beyond 2^53 or a non-finite value */
		if (hte_arm_finite(x) && x->n <= HTE_MAX_COUNT)
			FUZZ_ASSERT(hte_arm_check(x) == NULL);
	}
	if (hte_ate_compute(hte_ate_state_arm(b, 0), hte_ate_state_arm(b, 1), 0.95, &r))
	{
		FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
		FUZZ_ASSERT(isnan(r.std_error) || r.std_error >= 0.0);
		FUZZ_ASSERT(FUZZ_FIELD_OK(r.estimate) && FUZZ_FIELD_OK(r.ci_lower));
	}
	/* one row pushed, as the transition function does */
	/* the glue refuses the push into a full arm */
	if (b[6] >= HTE_MAX_COUNT)
		return;
	hte_arm_push(hte_ate_state_arm(b, 1), 1.0);
	if (hte_arm_finite(hte_ate_state_arm(b, 1)))
		FUZZ_ASSERT(hte_arm_check(hte_ate_state_arm(b, 1)) == NULL);
}

static void
fuzz_it(const double *s, size_t len)
{
	HteArmXY	a[2],
				b[2];
	HteInteractionResult r;

	if (len != IT_LEN || s[0] != 2.0)
		return;
	memcpy(a, s + 1, sizeof(a));
	if (hte_armxy_check(&a[0]) != NULL || hte_armxy_check(&a[1]) != NULL)
		return;
	memcpy(b, a, sizeof(b));
	for (int g = 0; g < 2; g++)
	{
		hte_armxy_merge(&a[g], &b[1 - g]);
		if (hte_armxy_finite(&a[g]) && a[g].n <= HTE_MAX_COUNT)
			FUZZ_ASSERT(hte_armxy_check(&a[g]) == NULL);
	}
	for (int t = 0; t < HTE_SE_HC2; t++)
		if (hte_interaction_compute(&b[0], &b[1], (HteSeType) t, NULL, 0.95, &r))
		{
			FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
			FUZZ_ASSERT(isnan(r.std_error) || r.std_error >= 0.0);
		}
	if (b[0].n >= HTE_MAX_COUNT)
		return;
	hte_armxy_push(&b[0], 1.0, 2.0);
	if (hte_armxy_finite(&b[0]))
		FUZZ_ASSERT(hte_armxy_check(&b[0]) == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		len;
	double	   *s;

	if (size < 1)
		return 0;
	len = (size - 1) / sizeof(double);
	s = malloc((len + 1) * sizeof(double));
	memcpy(s, data + 1, len * sizeof(double));
	if (data[0] & 1)
		fuzz_it(s, len);
	else
		fuzz_ate(s, len);
	free(s);
	return 0;
}
