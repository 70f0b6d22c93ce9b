/*
 * fuzz_qstate.c — libFuzzer harness for qte/homogeneity_test's serialized
 * state (hte_qstate_parse, src/core/hte_quantile.c), the parser behind
 * hte_qte_deserialize.  An accepted state is then finalized as the glue
 * does: quantiles, sparsities, the QTE and the homogeneity test.
 */
#include <stdint.h>
#include <string.h>

#include "hte_dist.h"
#include "hte_quantile.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	HteQStateHeader hdr;
	const char *why = hte_qstate_parse(data, size, &hdr, NULL);
	double	   *q,
			   *v[2];
	size_t	   *ranks;
	HteArmQuantiles *aq[2];
	double		level = 0.95,
				z = hte_qnorm((1.0 - level) / 2.0, false);

	if (why != NULL)
		return 0;
	/* what the glue relies on: offsets and counts inside the payload */
	FUZZ_ASSERT(hdr.kind <= HTE_QSTATE_HOMOGENEITY);
	FUZZ_ASSERT(hdr.q_offset == HTE_QSTATE_HEADER);
	FUZZ_ASSERT(hdr.values_offset[0] == hdr.q_offset + hdr.nq * sizeof(double));
	FUZZ_ASSERT(hdr.values_offset[1] == hdr.values_offset[0] + hdr.n[0] * sizeof(double));
	FUZZ_ASSERT(hdr.values_offset[1] + hdr.n[1] * sizeof(double) == size);

	q = malloc((hdr.nq + 1) * sizeof(double));
	memcpy(q, data + hdr.q_offset, hdr.nq * sizeof(double));
	for (int g = 0; g < 2; g++)
	{
		v[g] = malloc((hdr.n[g] + 1) * sizeof(double));
		memcpy(v[g], data + hdr.values_offset[g], hdr.n[g] * sizeof(double));
		for (uint64_t i = 0; i < hdr.n[g]; i++)
			FUZZ_ASSERT(isfinite(v[g][i]));
	}
	if (hdr.kind == HTE_QSTATE_HOMOGENEITY)
	{
		HteHomogeneityResult r;

		if (hdr.n[0] + hdr.n[1] > 0)
			hte_homogeneity_compute(v[1], hdr.n[1], v[0], hdr.n[0], level, &r, NULL);
	}
	else if (hdr.n[0] + hdr.n[1] > 0)
	{
		ranks = malloc(6 * hdr.nq * sizeof(size_t));
		for (int g = 0; g < 2; g++)
		{
			aq[g] = malloc(hdr.nq * sizeof(HteArmQuantiles));
			hte_arm_quantiles(v[g], hdr.n[g], q, (int) hdr.nq, z, ranks, aq[g], NULL);
		}
		for (uint32_t i = 0; i < hdr.nq; i++)
		{
			HteQteResult r;

			FUZZ_ASSERT(q[i] >= 0.0 && q[i] <= 1.0);
			hte_qte_compute(q[i], &aq[1][i], &aq[0][i], level, &r);
			/* a quantile of finite values lies within their range */
			for (int g = 0; g < 2; g++)
				if (hdr.n[g] > 0)
					FUZZ_ASSERT(isfinite(aq[g][i].quantile));
			FUZZ_ASSERT(FUZZ_FIELD_OK(r.estimate) && FUZZ_FIELD_OK(r.std_error));
			FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
		}
		free(aq[0]);
		free(aq[1]);
		free(ranks);
	}
	free(q);
	free(v[0]);
	free(v[1]);
	return 0;
}
