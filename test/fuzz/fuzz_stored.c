/*
 * fuzz_stored.c — libFuzzer harness for the external forms of the stored
 * state types (hte_state_io.h: hte_stored_text_count/read and
 * hte_stored_bin_count/read) followed by the checks the type input
 * functions run (hte_ate_state_check, hte_it_state_check,
 * hte_cov_stored_p + hte_cov_state_check), and for the sums of
 * heterogeneity_test(estimate, std_error) (hte_het_check).
 *
 * Input: a selector byte, then the bytes.  Selector bit 0: binary (else
 * text, NUL-terminated here); bits 1-2: the kind (0 the meta sums as
 * native doubles, 1 ate, 2 interaction, 3 adjusted); with kind 0, bit 3
 * selects the sums of dml_plr instead.  Invariants: a value
 * accepted in one form is written and read back in both forms bit for bit;
 * what a check accepts folds and finalizes to fields that are numbers or
 * NaN.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hte_comoments.h"
#include "hte_dml.h"
#include "hte_heterogeneity.h"
#include "hte_lin.h"
#include "hte_moments.h"
#include "hte_mvmoments.h"
#include "hte_state_io.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static HteMvTable *tables[HTE_MV_MAX_P + 1];

static const HteMvTable *
table_for(int p)
{
	if (tables[p] == NULL)
	{
		tables[p] = malloc(sizeof(HteMvTable));
		hte_mv_table_init(tables[p], p, malloc(hte_mv_table_size(p)));
	}
	return tables[p];
}

static size_t
kind_max(int tag)
{
	return tag == 1 ? HTE_ATE_STATE_LEN : tag == 2 ? HTE_IT_STATE_LEN :
		hte_cov_stored_len_p(HTE_MV_MAX_P);
}

/* The check of the type input functions (stored.c and the families). */
static const char *
content_check(int tag, const double *s, size_t n)
{
	int			p;

	switch (tag)
	{
		case 1:
			return n != HTE_ATE_STATE_LEN ? "length" : hte_ate_state_check(s, n);
		case 2:
			return n != HTE_IT_STATE_LEN ? "length" : hte_it_state_check(s, n);
		default:
			if (n == HTE_COV_EMPTY_LEN)
				return hte_cov_state_p(s, n) == 0 ? NULL : "empty";
			p = hte_cov_stored_p(s, n);
			return p < 0 ? "shape" : hte_cov_state_check(table_for(p), s);
	}
}

/* Accepted: both forms round-trip bit for bit; the arms fold. */
static void
accepted(int tag, const double *s, size_t n)
{
	char	   *text = malloc(hte_stored_text_bound(n));
	unsigned char *bin = malloc(HTE_STORED_BIN_HEADER + 8 * n);
	double	   *back = malloc(sizeof(double) * (n + 1));
	size_t		m;

	(void) hte_stored_text_write(tag, s, n, text);
	FUZZ_ASSERT(hte_stored_text_count(text, tag, kind_max(tag), &m) == NULL && m == n);
	FUZZ_ASSERT(hte_stored_text_read(text, back, n) == NULL);
	FUZZ_ASSERT(memcmp(back, s, sizeof(double) * n) == 0);
	hte_stored_bin_write(tag, s, n, bin);
	FUZZ_ASSERT(hte_stored_bin_count(bin, HTE_STORED_BIN_HEADER + 8 * n, tag,
									 kind_max(tag), &m) == NULL && m == n);
	FUZZ_ASSERT(hte_stored_bin_read(bin, back, n) == NULL);
	FUZZ_ASSERT(memcmp(back, s, sizeof(double) * n) == 0);
	if (tag == 1)
	{
		HteArm		a[2];

		hte_ate_state_fold(s, n, a);
	}
	else if (tag == 2)
	{
		HteArmXY	a[2];

		hte_it_state_fold(s, n, a);
	}
	free(text);
	free(bin);
	free(back);
}

static void
fuzz_meta(const uint8_t *data, size_t size)
{
	HteHetSums	s,
				t;
	HteHeterogeneityResult r;

	if (size < sizeof(s))
		return;
	memcpy(&s, data, sizeof(s));
	/* the final function refuses more than INT32_MAX estimates first */
	if (hte_het_check(&s) != NULL || s.k > 2147483647.0)
		return;
	t = s;
	hte_het_finish(&s, &r, NULL);
	FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
	FUZZ_ASSERT(isnan(r.crossover_p_value) ||
				(r.crossover_p_value >= 0.0 && r.crossover_p_value <= 1.0));
	FUZZ_ASSERT(FUZZ_FIELD_OK(r.q_statistic) && FUZZ_FIELD_OK(r.tau_squared));
	hte_het_merge(&t, &s);
	if (t.k <= 9007199254740992.0 && isfinite(t.sw) && isfinite(t.q) && isfinite(t.pw) &&
		isfinite(t.qpos) && isfinite(t.qneg) && isfinite(t.mean))
		FUZZ_ASSERT(hte_het_check(&t) == NULL);
}

static void
fuzz_dml(const uint8_t *data, size_t size)
{
	HteDmlSums	s,
				t;
	HteDmlResult r;

	if (size < sizeof(s))
		return;
	memcpy(&s, data, sizeof(s));
	if (hte_dml_check(&s) != NULL)
		return;
	hte_dml_compute(&s, 0.95, &r);
	FUZZ_ASSERT(isnan(r.p_value) || (r.p_value >= 0.0 && r.p_value <= 1.0));
	FUZZ_ASSERT(isnan(r.std_error) || r.std_error >= 0.0 || isinf(r.std_error));
	FUZZ_ASSERT(FUZZ_FIELD_OK(r.estimate) && FUZZ_FIELD_OK(r.ci_lower));
	t = s;
	hte_dml_merge(&t, &s);
	if (t.n <= 9007199254740992.0)
	{
		const double *v = (const double *) &t;
		bool		finite = true;

		for (int i = 0; i < HTE_DML_SUMS_LEN; i++)
			finite = finite && isfinite(v[i]);
		if (finite)
			FUZZ_ASSERT(hte_dml_check(&t) == NULL);
	}
	/* a row, as the transition function adds it */
	if (s.n < 9007199254740992.0)
	{
		hte_dml_push(&s, 1.5, -0.5);
		hte_dml_compute(&s, 0.9, &r);
		FUZZ_ASSERT(FUZZ_FIELD_OK(r.estimate) && FUZZ_FIELD_OK(r.std_error));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			sel,
				tag;
	bool		binary;
	size_t		n = 0;
	double	   *s = NULL;
	const char *why;

	if (size < 1)
		return 0;
	sel = data[0];
	binary = (sel & 1) != 0;
	tag = (sel >> 1) & 3;
	data++;
	size--;
	if (tag == 0)
	{
		if (sel & 8)
			fuzz_dml(data, size);
		else
			fuzz_meta(data, size);
		return 0;
	}
	if (binary)
	{
		why = hte_stored_bin_count(data, size, tag, kind_max(tag), &n);
		if (why != NULL)
			return 0;
		FUZZ_ASSERT(n <= kind_max(tag) && size == HTE_STORED_BIN_HEADER + 8 * n);
		s = malloc(sizeof(double) * (n + 1));
		why = hte_stored_bin_read(data, s, n);
	}
	else
	{
		char	   *text = malloc(size + 1);

		memcpy(text, data, size);
		text[size] = '\0';
		why = hte_stored_text_count(text, tag, kind_max(tag), &n);
		if (why == NULL)
		{
			FUZZ_ASSERT(n >= 1 && n <= kind_max(tag));
			s = malloc(sizeof(double) * (n + 1));
			why = hte_stored_text_read(text, s, n);
		}
		free(text);
	}
	if (why == NULL)
	{
		for (size_t i = 0; i < n; i++)
			FUZZ_ASSERT(isfinite(s[i]));
		if (content_check(tag, s, n) == NULL)
			accepted(tag, s, n);
	}
	free(s);
	return 0;
}
