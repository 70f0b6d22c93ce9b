/*
 * fuzz_cov4.c — libFuzzer harness for the serialized state of
 * ate/interaction_test(y, treated, covariates, se_type) (hte_cov4_parse_header
 * and hte_cov4_parse, src/core/hte_state_io.c), the parser behind
 * hte_cov4_deserialize.  An accepted state is finalized as
 * hte_cov4_ate_final and hte_cov4_joint_final do: the arms with their
 * pending rows folded (an overflow there is the glue's ERROR), the fit, the
 * variance of the state's se_type (HC2/HC3 meats from the kept rows), the
 * adjusted effect and the joint test.
 */
#include <stdint.h>
#include <string.h>

#include "hte_ate.h"
#include "hte_lin.h"
#include "hte_mvmoments.h"
#include "hte_state_io.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The monomial tables, built on first use (kept: not leaks). */
static HteMvTable tables[HTE_MV_MAX_P + 1];
static void *table_mem[HTE_MV_MAX_P + 1];

static const HteMvTable *
table_for(int p)
{
	if (table_mem[p] == NULL)
	{
		table_mem[p] = malloc(hte_mv_table_size(p));
		FUZZ_ASSERT(table_mem[p] != NULL);
		hte_mv_table_init(&tables[p], p, table_mem[p]);
	}
	return &tables[p];
}

static bool
prob_ok(double v)
{
	return isnan(v) || (v >= 0.0 && v <= 1.0);
}

/* Finalize an accepted state (s, the kept rows at data + rows_offset). */
static void
finalize(const uint8_t *data, const HteCov4Parsed *h, const HteMvTable *t, double *s)
{
	const size_t alen = hte_mv_arm_len(t);
	const int	nv = t->nvars;
	double	   *arms[2],
			   *work = malloc(hte_mv_block_work(t) * sizeof(double)),
			   *meat = NULL;
	HteLinFit  *f = malloc(sizeof(HteLinFit));
	bool		vcov_ok = true,
				finite = true;

	for (int g = 0; g < 2; g++)
	{
		int			k = (int) s[2 + g];

		arms[g] = malloc(alen * sizeof(double));
		memcpy(arms[g], hte_cov_arm(t, s, g), alen * sizeof(double));
		if (k > 0)
			hte_mv_push_block(t, arms[g], hte_cov_buffer(t, s, g), k, work);
		for (size_t i = 0; i < alen; i++)
			if (!isfinite(arms[g][i]))
				finite = false;	/* the glue's overflow ERROR */
	}
	if (finite && hte_lin_fit(t, (const double *const *) arms, f))
	{
		HteAteAdjusted a;
		HteJointTest j;
		HteArm		u[2];
		HteAteResult ur;
		int			yy[2] = {t->p, t->p};
		int			m = hte_mv_index(t, yy, 2);
		double		ue = NAN,
					use = NAN;

		FUZZ_ASSERT(f->rank >= 0 && f->rank <= f->K && f->K == 2 * nv);
		if (h->se_type != HTE_SE_CLASSICAL)
			meat = calloc((size_t) f->K * f->K, sizeof(double));
		if (h->se_type == HTE_SE_HC0 || h->se_type == HTE_SE_HC1)
			hte_lin_meat_hc0(t, (const double *const *) arms, f, meat);
		else if (h->se_type != HTE_SE_CLASSICAL)
			for (int g = 0; g < 2 && vcov_ok; g++)
			{
				double	   *rows = malloc((h->rows[g] * nv + 1) * sizeof(double));

				FUZZ_ASSERT(h->rows[g] == (uint64_t) arms[g][0]);
				memcpy(rows, data + h->rows_offset[g], h->rows[g] * nv * sizeof(double));
				vcov_ok = hte_lin_meat_rows(t, (const double *const *) arms, f, h->se_type, g,
											rows, (long) h->rows[g], meat);
				free(rows);
			}
		if (vcov_ok)
			vcov_ok = hte_lin_vcov(f, h->se_type, meat);

		/* ate() on the same rows, as cov_unadjusted does */
		for (int g = 0; g < 2; g++)
		{
			u[g].n = arms[g][0];
			u[g].mean = hte_mv_mean(t, arms[g], t->p);
			u[g].m2.hi = arms[g][1 + 2 * (m - 1)];
			u[g].m2.lo = arms[g][2 + 2 * (m - 1)];
		}
		if (hte_ate_compute(&u[0], &u[1], 0.95, &ur))
		{
			ue = ur.estimate;
			use = ur.std_error;
		}
		hte_lin_ate(f, vcov_ok, 0.95, ue, use, &a);
		FUZZ_ASSERT(a.n_control == arms[0][0] && a.n_treated == arms[1][0]);
		FUZZ_ASSERT(a.covariates == t->p);
		FUZZ_ASSERT(prob_ok(a.p_value));
		FUZZ_ASSERT(isnan(a.std_error) || a.std_error >= 0.0);
		FUZZ_ASSERT(isnan(a.df) || a.df > 0.0);
		FUZZ_ASSERT(FUZZ_FIELD_OK(a.estimate) && FUZZ_FIELD_OK(a.ci_lower) &&
					FUZZ_FIELD_OK(a.ci_upper) && FUZZ_FIELD_OK(a.variance_reduction));

		hte_lin_joint(f, vcov_ok, &j);
		FUZZ_ASSERT(j.moderators == t->p);
		FUZZ_ASSERT(j.n_control == arms[0][0] && j.n_treated == arms[1][0]);
		FUZZ_ASSERT(prob_ok(j.p_value) && prob_ok(j.chisq_p_value));
		FUZZ_ASSERT(isnan(j.df1) || (j.df1 >= 1.0 && j.df1 <= t->p));
		FUZZ_ASSERT(FUZZ_FIELD_OK(j.chisq_statistic) && FUZZ_FIELD_OK(j.f_statistic));
		for (int k = 0; k < t->p; k++)
		{
			FUZZ_ASSERT(prob_ok(j.p_values[k]) && prob_ok(j.p_adjusted[k]));
			FUZZ_ASSERT(isnan(j.std_errors[k]) || j.std_errors[k] >= 0.0);
			/* Holm never lowers a p-value, and adjusts exactly those that exist */
			FUZZ_ASSERT(isnan(j.p_values[k]) == isnan(j.p_adjusted[k]));
			FUZZ_ASSERT(isnan(j.p_values[k]) || j.p_adjusted[k] >= j.p_values[k]);
		}
	}
	free(meat);
	free(arms[0]);
	free(arms[1]);
	free(work);
	free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	HteCov4Parsed h;
	const HteMvTable *t;
	double	   *s;
	size_t		slen;

	if (hte_cov4_parse_header(data, size, &h) != NULL)
		return 0;
	FUZZ_ASSERT((int) h.se_type >= 0 && h.se_type < HTE_SE_NTYPES);
	FUZZ_ASSERT(h.p >= -1 && h.p <= HTE_MV_MAX_P);
	FUZZ_ASSERT(h.keeps_rows == (h.se_type == HTE_SE_HC2 || h.se_type == HTE_SE_HC3));
	if (h.p < 0)
	{
		FUZZ_ASSERT(size == HTE_COV4_HEADER);
		return 0;
	}
	/* the header's length check: no input within -max_len (16384 bytes) holds p >= 6 */
	slen = HTE_COV_EMPTY_LEN + 2 * (1 + 2 * ((size_t) hte_mv_count(h.p) - 1)) +
		2 * (size_t) hte_cov_block(h.p) * (h.p + 1);
	FUZZ_ASSERT(size >= HTE_COV4_FIXED + slen * sizeof(double));
	t = table_for(h.p);
	FUZZ_ASSERT(slen == hte_cov_state_len(t));
	s = malloc(slen * sizeof(double));
	if (hte_cov4_parse(data, size, t, s, &h, NULL) == NULL)
	{
		const size_t row_bytes = (size_t) t->nvars * sizeof(double);

		FUZZ_ASSERT(hte_cov_state_p(s, slen) == h.p);
		FUZZ_ASSERT(hte_cov_state_check(t, s) == NULL);
		for (int g = 0; g < 2; g++)
			FUZZ_ASSERT(h.rows[g] == (h.keeps_rows ?
									  (uint64_t) hte_cov_arm(t, s, g)[0] + (uint64_t) s[2 + g] : 0));
		FUZZ_ASSERT(h.rows_offset[0] == HTE_COV4_FIXED + slen * sizeof(double));
		FUZZ_ASSERT(h.rows_offset[1] == h.rows_offset[0] + h.rows[0] * row_bytes);
		FUZZ_ASSERT(h.rows_offset[1] + h.rows[1] * row_bytes == size);
		FUZZ_ASSERT(hte_cov4_size(t, h.rows[0] + h.rows[1], SIZE_MAX / 2) == size);
		for (size_t i = h.rows_offset[0]; i < size; i += sizeof(double))
		{
			double		v;

			memcpy(&v, data + i, sizeof(v));
			FUZZ_ASSERT(isfinite(v));
		}
		finalize(data, &h, t, s);
	}
	free(s);
	return 0;
}
