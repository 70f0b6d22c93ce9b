/*
 * fuzz_float8.c — libFuzzer harness for the float8[] state validators of
 * ate (hte_ate_state_check) and the three-argument interaction_test
 * (hte_it_state_check), both in their stored and their buffered form
 * (hte_armxy_check), which stand between any user's hand-made array and
 * hte_ate_final / hte_ate_combine / hte_it_final / hte_it_combine; and the
 * float8[] state of ate(y, treated, covariates) and interaction_test(y,
 * treated, moderators) (hte_cov_state_p, hte_cov_state_check), finalized
 * for every variance type from moments as hte_cov_ate_final and
 * hte_cov_joint_final do; and ate_sequential's state (selector bit 4:
 * hte_seq_state_check, then as ate's, then the confidence sequence);
 * and the states of risk_effects, late and allocation_check (selector bit
 * 3, bits 4-5 the kind: hte_risk_state_check, hte_late_state_check for
 * every se_type after a merge with itself, hte_alloc_state_check).
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
#include "hte_lin.h"
#include "hte_moments.h"
#include "hte_mvmoments.h"
#include "hte_sequential.h"
#include "hte_trial.h"
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

/* the monomial tables for p = 0..3 (the inputs fit 16 kB) */
static HteMvTable cov_tables[4];
static bool cov_built[4];

static void
fuzz_cov(const double *s, size_t len)
{
	int			p = hte_cov_state_p(s, len);
	const HteMvTable *t;
	double	   *arms[2],
			   *work,
			   *meat;
	static HteLinFit f;
	size_t		alen;

	if (p < 0 || len == HTE_COV_EMPTY_LEN || p > 3)
		return;
	if (!cov_built[p])
	{
		hte_mv_table_init(&cov_tables[p], p, malloc(hte_mv_table_size(p)));
		cov_built[p] = true;
	}
	t = &cov_tables[p];
	FUZZ_ASSERT(len == hte_cov_state_len(t));
	if (hte_cov_state_check(t, s) != NULL)
		return;
	alen = hte_mv_arm_len(t);
	work = malloc(hte_mv_block_work(t) * sizeof(double));
	meat = malloc(sizeof(double) * HTE_LIN_MAX_K * HTE_LIN_MAX_K);
	/* fold the pending rows into copies, as the final functions do */
	for (int g = 0; g < 2; g++)
	{
		int			k = (int) s[2 + g];

		arms[g] = malloc(alen * sizeof(double));
		memcpy(arms[g], hte_cov_arm(t, (double *) s, g), alen * sizeof(double));
		if (k > 0)
			hte_mv_push_block(t, arms[g], hte_cov_buffer(t, (double *) s, g), k, work);
	}
	for (int g = 0; g < 2; g++)
		for (size_t i = 0; i < alen; i++)
			if (!isfinite(arms[g][i]))
				goto done;		/* the glue's overflow ERROR */
	for (int g = 0; g < 2; g++)
		FUZZ_ASSERT(hte_mv_arm_check(t, arms[g]) == NULL);
	if (hte_lin_fit(t, (const double *const *) arms, &f))
	{
		for (int type = 0; type <= HTE_SE_HC1; type++)
		{
			bool		ok;
			HteAteAdjusted r;
			HteJointTest j;

			hte_lin_fit(t, (const double *const *) arms, &f);
			if (type != HTE_SE_CLASSICAL)
				hte_lin_meat_hc0(t, (const double *const *) arms, &f, meat);
			ok = hte_lin_vcov(&f, (HteSeType) type, type == HTE_SE_CLASSICAL ? NULL : meat);
			hte_lin_ate(&f, ok, 0.95, 0.0, 1.0, &r);
			hte_lin_joint(&f, ok, &j);
			FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
			FUZZ_ASSERT(!(r.std_error < 0.0));
			FUZZ_ASSERT(isnan(j.p_value) || (j.p_value >= 0.0 && j.p_value <= 1.0));
			FUZZ_ASSERT(isnan(j.chisq_p_value) || (j.chisq_p_value >= 0.0 && j.chisq_p_value <= 1.0));
			for (int a = 0; a < p; a++)
				FUZZ_ASSERT(isnan(j.p_adjusted[a]) || (j.p_adjusted[a] >= 0.0 && j.p_adjusted[a] <= 1.0));
		}
	}
	/* merging an arm into the other, as combine does */
	if (arms[0][0] <= HTE_MAX_COUNT - arms[1][0])
	{
		hte_mv_merge(t, arms[0], arms[1], work);
		for (size_t i = 0; i < alen; i++)
			if (!isfinite(arms[0][i]))
				goto done;
		FUZZ_ASSERT(hte_mv_arm_check(t, arms[0]) == NULL);
	}
done:
	free(arms[0]);
	free(arms[1]);
	free(work);
	free(meat);
}

/*
 * ate_sequential's state: the header, then ate's state (fuzz_ate), then the
 * sequence and always-valid p-value as hte_seq_final computes them.
 */
static void
fuzz_seq(const double *s, size_t len)
{
	HteArm		a[2];
	HteAteResult r;

	if (hte_seq_state_check(s, len) != NULL)
		return;
	FUZZ_ASSERT(s[0] == HTE_SEQ_STATE_TAG && s[1] >= 0.0);
	fuzz_ate(s + HTE_SEQ_HEADER, len - HTE_SEQ_HEADER);
	hte_ate_state_fold(s + HTE_SEQ_HEADER, len - HTE_SEQ_HEADER, a);
	if (!hte_arm_finite(&a[0]) || !hte_arm_finite(&a[1]) ||
		!hte_ate_compute(&a[0], &a[1], 0.95, &r) || !(r.std_error > 0.0))
		return;
	{
		double		planned = s[1] > 0.0 ? s[1] : 1000.0,
					v = hte_cs_v(r.n_treated + r.n_control, planned, 0.05),
					f = hte_cs_factor(v, 0.05),
					p = hte_cs_p_value(r.estimate / r.std_error, v);

		FUZZ_ASSERT(v > 0.0 && FUZZ_FIELD_OK(f) && (isnan(f) || f > 0.0));
		FUZZ_ASSERT(isnan(p) || (p >= 0.0 && p <= 1.0));
	}
}

static void
fuzz_trial(const double *s, size_t len, int kind)
{
	if (kind == 0 && hte_risk_state_check(s, len) == NULL)
	{
		HteRiskResult r;
		const double *f = &r.risk_treated;

		if (hte_risk_compute(s[3], s[4], s[1], s[2], 0.95, &r))
			for (int i = 0; i < 15; i++)
				FUZZ_ASSERT(isnan(f[i]) || isfinite(f[i]));
	}
	else if (kind == 1 && hte_late_state_check(s, len) == NULL)
	{
		HteArmXY	a[2];
		HteLateResult r;

		memcpy(a, s + 2, sizeof a);
		for (int se = 0; se < HTE_SE_NTYPES; se++)
			if (hte_late_compute(&a[0], &a[1], (HteSeType) se, 0.95, &r))
			{
				const double *f = &r.estimate;

				for (int i = 0; i < 12; i++)
					FUZZ_ASSERT(FUZZ_FIELD_OK(f[i]));
			}
		/* a merge with itself, as the combine function does */
		if (a[0].n <= HTE_MAX_COUNT / 2 && a[1].n <= HTE_MAX_COUNT / 2)
		{
			double		m[HTE_LATE_STATE_LEN];

			memcpy(m, s, sizeof m);
			for (int g = 0; g < 2; g++)
			{
				hte_armxy_merge(hte_late_state_arm(m, g), &a[g]);
				if (!hte_armxy_finite(hte_late_state_arm(m, g)))
					return;
			}
			FUZZ_ASSERT(hte_late_state_check(m, HTE_LATE_STATE_LEN) == NULL);
		}
	}
	else if (kind == 2 && hte_alloc_state_check(s, len) == NULL)
	{
		HteAllocResult r;

		if (hte_alloc_compute(s[2], s[1], s[3], &r))
			/* a share near 0 or 1 can overflow χ² (the glue's overflow ERROR) */
			FUZZ_ASSERT((isfinite(r.chisq) || isinf(r.chisq)) && r.p_value >= 0 && r.p_value <= 1);
	}
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
	if (data[0] & 8)
		fuzz_trial(s, len, (data[0] >> 4) & 3);
	else if (data[0] & 4)
		fuzz_seq(s, len);
	else if (data[0] & 2)
		fuzz_cov(s, len);
	else if (data[0] & 1)
		fuzz_it(s, len);
	else
		fuzz_ate(s, len);
	free(s);
	return 0;
}
