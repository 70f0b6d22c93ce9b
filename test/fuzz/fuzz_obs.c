/*
 * fuzz_obs.c — libFuzzer harness for the serialized kept rows of estimands,
 * propensity_model, overlap_check and balance_table (hte_obs_parse,
 * src/core/hte_state_io.c), the parser behind hte_obs_deserialize.  An
 * accepted state is finalized as the final functions do: the propensity
 * model, the four estimands of the state's method and link, the overlap
 * and balance diagnostics.  Invariants: the parse fills a header whose row
 * width and length agree with the bytes; probabilities stay in [0, 1];
 * every result is a number, NaN (SQL NULL) or an infinity (the glue's
 * overflow ERROR); row counts add up.
 */
#include <stdint.h>
#include <string.h>

#include "hte_obs.h"
#include "hte_state_io.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
prob_ok(double v)
{
	return isnan(v) || (v >= 0.0 && v <= 1.0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	HteObsHeader h;
	HteObsRows	r;
	HteGlmFit	fit;
	double	   *rows,
			   *work,
			   *ps;
	size_t		width;

	if (hte_obs_parse(data, size, &h, NULL) != NULL)
		return 0;
	FUZZ_ASSERT(h.kind <= HTE_OBS_KIND_BALANCE);
	FUZZ_ASSERT(h.link == HTE_LINK_LOGIT || h.link == HTE_LINK_PROBIT);
	if (h.po < 0)
	{
		FUZZ_ASSERT(h.pt < 0 && h.n == 0 && size == HTE_OBS_HEADER);
		return 0;
	}
	width = (size_t) hte_obs_row_width(&h);
	FUZZ_ASSERT(size == HTE_OBS_HEADER + h.n * width * sizeof(double));
	if (h.n == 0)
		return 0;
	/* the glue copies the rows into aligned memory */
	rows = malloc(h.n * width * sizeof(double));
	FUZZ_ASSERT(rows != NULL);
	memcpy(rows, data + HTE_OBS_HEADER, h.n * width * sizeof(double));
	r.v = rows;
	r.n = h.n;
	r.width = (int) width;
	r.y_col = h.kind == HTE_OBS_KIND_ESTIMANDS ? 0 : -1;
	r.t_col = r.y_col + 1;
	r.xo_col = r.t_col + 1;
	r.po = h.po;
	r.xt_col = h.shared ? r.xo_col : r.xo_col + h.po;
	r.pt = h.pt;
	FUZZ_ASSERT(r.xt_col + r.pt <= (int) width);

	work = malloc(sizeof(double) * hte_obs_work_size(h.po, h.pt));
	ps = malloc(sizeof(double) * h.n);
	FUZZ_ASSERT(work != NULL && ps != NULL);
	if (h.kind == HTE_OBS_KIND_ESTIMANDS)
	{
		HteEstimand e[4];
		HteObsStatus st = hte_obs_estimands(&r, (HteObsMethod) h.method, (HteLink) h.link, e,
											&fit, work, NULL);

		if (st == HTE_OBS_OK)
		{
			FUZZ_ASSERT(fit.n1 + fit.n0 == h.n && fit.n1 > 0 && fit.n0 > 0);
			for (int k = 0; k < 4; k++)
				FUZZ_ASSERT(FUZZ_FIELD_OK(e[k].estimate) && FUZZ_FIELD_OK(e[k].std_error) &&
							(isnan(e[k].std_error) || e[k].std_error >= 0.0));
		}
	}
	else
	{
		hte_glm_fit(&r, (HteLink) h.link, &fit, work, NULL);
		FUZZ_ASSERT(fit.n1 + fit.n0 == h.n);
		if (fit.status == HTE_GLM_OK)
		{
			FUZZ_ASSERT(fit.converged && fit.rank >= 0 && fit.rank <= fit.k);
			for (size_t i = 0; i < r.n; i++)
			{
				double		q,
							p = hte_glm_row_prob(&fit, &r, i, &q);

				FUZZ_ASSERT(prob_ok(p) && prob_ok(q));
			}
			if (h.kind == HTE_OBS_KIND_BALANCE)
			{
				HteBalance *b = malloc(sizeof(HteBalance) * (h.pt > 0 ? h.pt : 1));

				hte_obs_balance(&r, &fit, h.estimand, ps, b, NULL);
				for (int j = 0; j < h.pt; j++)
					FUZZ_ASSERT(FUZZ_FIELD_OK(b[j].smd) && FUZZ_FIELD_OK(b[j].variance_ratio_weighted));
				free(b);
			}
			else
			{
				HteOverlap o;

				hte_obs_overlap(&r, &fit, ps, &o, NULL);
				FUZZ_ASSERT(o.n_below <= h.n && o.n_above <= h.n && o.n_outside_crump <= h.n);
				FUZZ_ASSERT(isnan(o.crump_alpha) || (o.crump_alpha >= 0.0 && o.crump_alpha < 0.5));
				FUZZ_ASSERT(prob_ok(o.ps_min[0]) && prob_ok(o.ps_max[1]));
			}
		}
	}
	free(ps);
	free(work);
	free(rows);
	return 0;
}
