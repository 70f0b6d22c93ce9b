/*
 * fuzz_sg.c — libFuzzer harness for the serialized state of cate_by and
 * heterogeneity_test (hte_sg_parse_header, hte_sg_walk_keys,
 * src/core/hte_state_io.c): everything hte_sg_deserialize does but the
 * subgroup type's own receive function, which a stand-in for int4recv
 * (exactly 4 bytes) replaces.  An accepted state is finalized as
 * cate_by's and heterogeneity_test's final functions do.
 */
#include <stdint.h>
#include <string.h>

#include "hte_ate.h"
#include "hte_heterogeneity.h"
#include "hte_padjust.h"
#include "hte_state_io.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Collect
{
	const uint8_t *data;
	size_t		size;
	size_t		k;				/* keys seen */
	size_t		cap;
	double	   *d,
			   *se,
			   *p;
	uint64_t	hash;
} Collect;

static const char *
on_key(void *arg, const HteArm arm[2], const unsigned char *key, size_t keylen)
{
	Collect    *c = arg;
	HteAteResult r;

	/* the key lies inside the input (ASan checks every byte is readable) */
	FUZZ_ASSERT(key >= c->data && keylen <= c->size && key - c->data <= (ptrdiff_t) (c->size - keylen));
	for (size_t i = 0; i < keylen; i++)
		c->hash = c->hash * 31 + key[i];
	/* int4recv: exactly four bytes */
	if (keylen != 4)
		return "A serialized key has trailing bytes.";
	FUZZ_ASSERT(hte_arm_check(&arm[0]) == NULL && hte_arm_check(&arm[1]) == NULL);
	FUZZ_ASSERT(c->k < c->cap);
	if (hte_ate_compute(&arm[0], &arm[1], 0.95, &r))
	{
		FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
		c->p[c->k] = r.p_value;
		if (r.std_error > 0.0)
		{
			c->d[c->k] = r.estimate;
			c->se[c->k] = r.std_error;
		}
		else
			c->d[c->k] = c->se[c->k] = NAN;
	}
	else
		c->p[c->k] = c->d[c->k] = c->se[c->k] = NAN;
	c->k++;
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	HteSgHeader hdr;
	Collect		c = {data, size, 0, 0, NULL, NULL, NULL, 0};
	const char *why;
	size_t		nd = 0,
				np = 0;
	HteHeterogeneityResult h;

	if (hte_sg_parse_header(data, size, &hdr) != NULL)
		return 0;
	FUZZ_ASSERT(hdr.method >= -1 && hdr.method < HTE_PADJ_NMETHODS);
	FUZZ_ASSERT(hdr.nkeys >= 0 && hdr.keys_offset <= size);
	FUZZ_ASSERT((uint64_t) hdr.nkeys <= size / (HTE_SG_ARMS_BYTES + 4));
	why = hte_sg_walk_keys(data, size, &hdr, NULL, NULL, NULL);
	c.cap = (size_t) hdr.nkeys;
	c.d = malloc((c.cap + 1) * sizeof(double));
	c.se = malloc((c.cap + 1) * sizeof(double));
	c.p = malloc((c.cap + 1) * sizeof(double));
	/* the structural walk and the walk with keys agree on well-formedness */
	if (why == NULL)
	{
		const char *why2 = hte_sg_walk_keys(data, size, &hdr, on_key, &c, NULL);

		FUZZ_ASSERT(why2 == NULL || strcmp(why2, "A serialized key has trailing bytes.") == 0);
		if (why2 == NULL)
		{
			double	   *padj = malloc((c.k + 1) * sizeof(double));
			size_t	   *idx = malloc((c.k + 1) * sizeof(size_t));

			FUZZ_ASSERT(c.k == (size_t) hdr.nkeys);
			for (size_t i = 0; i < c.k; i++)
			{
				if (!isnan(c.p[i]))
					c.p[np++] = c.p[i];
				if (!isnan(c.d[i]))
				{
					c.d[nd] = c.d[i];
					c.se[nd++] = c.se[i];
				}
			}
			hte_padjust(c.p, np, hdr.method < 0 ? HTE_PADJ_HOLM : (HtePAdjust) hdr.method,
						padj, idx);
			for (size_t i = 0; i < np; i++)
				FUZZ_ASSERT(padj[i] >= 0.0 && padj[i] <= 1.0);
			hte_heterogeneity(c.d, c.se, nd, &h);
			FUZZ_ASSERT(isnan(h.p_value) || (h.p_value >= 0.0 && h.p_value <= 1.0));
			free(padj);
			free(idx);
		}
	}
	free(c.d);
	free(c.se);
	free(c.p);
	return 0;
}
