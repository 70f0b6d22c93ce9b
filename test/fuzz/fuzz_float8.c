/*
 * fuzz_float8.c — libFuzzer harness for the float8[] state validators of
 * ate (hte_ate_state_check) and the three-argument interaction_test
 * (hte_it_state_check), both in their stored and their buffered form
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


int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_ate(const double *s, size_t len)
{
	HteArm		a[2],
				b[2];
	HteAteResult r;
	double		ones[HTE_ATE_BLOCK];

	if (hte_ate_state_check(s, len) != NULL)
		return;
	FUZZ_ASSERT(len == HTE_ATE_STATE_LEN || len == HTE_ATE_BUFFERED_LEN);
	/* fold the buffered rows in, as final and combine do */
	hte_ate_state_fold(s, len, a);
	for (int g = 0; g < 2; g++)
		if (hte_arm_finite(&a[g]))
			FUZZ_ASSERT(hte_arm_check(&a[g]) == NULL);
	memcpy(b, a, sizeof(b));
	/* combine(s, s) and combine(control arm into treated arm) */
	for (int g = 0; g < 2; g++)
	{
		bool		fits = a[g].n <= HTE_MAX_COUNT - b[1 - g].n;

		if (!hte_arm_finite(&a[g]) || !hte_arm_finite(&b[1 - g]))
			continue;
		hte_arm_merge(&a[g], &b[1 - g]);
		/* the glue reports a count beyond 2^53 or a non-finite value */
		if (fits && hte_arm_finite(&a[g]))
			FUZZ_ASSERT(hte_arm_check(&a[g]) == NULL);
	}
	if (hte_arm_finite(&b[0]) && hte_arm_finite(&b[1]) &&
		hte_ate_compute(&b[0], &b[1], 0.95, &r))
	{
		FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
		FUZZ_ASSERT(isnan(r.std_error) || r.std_error >= 0.0);
		FUZZ_ASSERT(FUZZ_FIELD_OK(r.estimate) && FUZZ_FIELD_OK(r.ci_lower));
	}
	/* one row pushed, and a block, as the transition function does */
	if (!hte_arm_finite(&b[1]) || b[1].n > HTE_MAX_COUNT - HTE_ATE_BLOCK - 1)
		return;
	hte_arm_push(&b[1], 1.0);
	if (hte_arm_finite(&b[1]))
		FUZZ_ASSERT(hte_arm_check(&b[1]) == NULL);
	for (int i = 0; i < HTE_ATE_BLOCK; i++)
		ones[i] = len == HTE_ATE_BUFFERED_LEN ? s[HTE_ATE_BUFFER(0) + i] : 1.0;
	for (int i = 0; i < HTE_ATE_BLOCK; i++)
		if (!isfinite(ones[i]))
			ones[i] = 0.0;
	hte_arm_push_block(&b[1], ones, HTE_ATE_BLOCK);
	if (hte_arm_finite(&b[1]))
		FUZZ_ASSERT(hte_arm_check(&b[1]) == NULL);
}

static void
fuzz_it(const double *s, size_t len)
{
	HteArmXY	a[2],
				b[2];
	HteInteractionResult r;
	double		bx[HTE_IT_BLOCK],
				by[HTE_IT_BLOCK];

	if (hte_it_state_check(s, len) != NULL)
		return;
	FUZZ_ASSERT(len == HTE_IT_STATE_LEN || len == HTE_IT_BUFFERED_LEN);
	/* fold the buffered rows in, as final and combine do */
	hte_it_state_fold(s, len, a);
	for (int g = 0; g < 2; g++)
		if (hte_armxy_finite(&a[g]))
			FUZZ_ASSERT(hte_armxy_check(&a[g]) == NULL);
	memcpy(b, a, sizeof(b));
	for (int g = 0; g < 2; g++)
	{
		bool		fits = a[g].n <= HTE_MAX_COUNT - b[1 - g].n;

		if (!hte_armxy_finite(&a[g]) || !hte_armxy_finite(&b[1 - g]))
			continue;
		hte_armxy_merge(&a[g], &b[1 - g]);
		if (fits && hte_armxy_finite(&a[g]))
			FUZZ_ASSERT(hte_armxy_check(&a[g]) == NULL);
	}
	if (hte_armxy_finite(&b[0]) && hte_armxy_finite(&b[1]))
		for (int t = 0; t < HTE_SE_HC2; t++)
			if (hte_interaction_compute(&b[0], &b[1], (HteSeType) t, NULL, 0.95, &r))
			{
				FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
				FUZZ_ASSERT(isnan(r.std_error) || r.std_error >= 0.0);
			}
	/* one row, and a block, as the transition function does */
	if (!hte_armxy_finite(&b[0]) || b[0].n > HTE_MAX_COUNT - HTE_IT_BLOCK - 1)
		return;
	hte_armxy_push(&b[0], 1.0, 2.0);
	if (hte_armxy_finite(&b[0]))
		FUZZ_ASSERT(hte_armxy_check(&b[0]) == NULL);
	for (int i = 0; i < HTE_IT_BLOCK; i++)
	{
		bx[i] = len == HTE_IT_BUFFERED_LEN ? s[HTE_IT_BUFX(1) + i] : 1.0;
		by[i] = len == HTE_IT_BUFFERED_LEN ? s[HTE_IT_BUFY(1) + i] : 2.0;
		if (!isfinite(bx[i]))
			bx[i] = 0.0;
		if (!isfinite(by[i]))
			by[i] = 0.0;
	}
	hte_armxy_push_block(&b[0], bx, by, HTE_IT_BLOCK);
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
