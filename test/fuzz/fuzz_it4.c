/*
 * fuzz_it4.c — libFuzzer harness for the serialized state of
 * interaction_test(y, treated, x, se_type) (hte_it4_parse,
 * src/core/hte_state_io.c), the parser behind hte_it4_deserialize.  An
 * accepted state is finalized as hte_it4_final does (HC2/HC3 meats from
 * the pairs).
 */
#include <stdint.h>
#include <string.h>

#include "hte_interaction.h"
#include "hte_state_io.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	HteIt4Parsed p;
	HteMeat		meat[2];
	HteInteractionResult r;

	if (hte_it4_parse(data, size, &p, NULL) != NULL)
		return 0;
	FUZZ_ASSERT((int) p.se_type >= 0 && p.se_type < HTE_SE_NTYPES);
	for (int g = 0; g < 2; g++)
	{
		FUZZ_ASSERT(hte_armxy_check(&p.arm[g]) == NULL);
		FUZZ_ASSERT(p.x_offset[g] + p.n[g] * sizeof(double) == p.y_offset[g]);
		FUZZ_ASSERT(p.y_offset[g] + p.n[g] * sizeof(double) <= size);
		if (!p.has_pairs)
			FUZZ_ASSERT(p.n[g] == 0);
		else
			FUZZ_ASSERT(p.n[g] == (uint64_t) p.arm[g].n);
	}
	FUZZ_ASSERT(p.y_offset[1] + p.n[1] * sizeof(double) == size);
	if (p.has_pairs)
		for (int g = 0; g < 2; g++)
		{
			double	   *x = malloc((p.n[g] + 1) * sizeof(double));
			double	   *y = malloc((p.n[g] + 1) * sizeof(double));
			double		slope;
			HteMeat		unused;

			memcpy(x, data + p.x_offset[g], p.n[g] * sizeof(double));
			memcpy(y, data + p.y_offset[g], p.n[g] * sizeof(double));
			meat[g].s0 = meat[g].s1 = meat[g].s2 = 0.0;
			if (hte_armxy_fit(&p.arm[g], &slope, &unused) &&
				!hte_meat_hc23_add(&p.arm[g], slope, p.se_type, x, y, p.n[g], &meat[g]))
				meat[g].s0 = meat[g].s1 = meat[g].s2 = NAN;
			free(x);
			free(y);
		}
	if (hte_interaction_compute(&p.arm[0], &p.arm[1], p.se_type, meat, 0.95, &r))
	{
		FUZZ_ASSERT(r.n_control == p.arm[0].n && r.n_treated == p.arm[1].n);
		FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
		FUZZ_ASSERT(isnan(r.std_error) || r.std_error >= 0.0);
	}
	return 0;
}
