/*
 * hte_dml.h — the partially linear model of double/debiased machine
 * learning (Chernozhukov et al. 2018; DoubleML's "partialling out" score)
 * from nuisance predictions made elsewhere: with ỹ = y − ŷ and ṽ = d − d̂,
 *   θ = Σ ṽỹ / Σ ṽ²,  SE = sqrt(Σ ṽ² (ỹ − θ ṽ)²) / Σ ṽ²  (HC0 sandwich),
 * normal interval and p-value.
 *
 * One pass, without expanding the square: the state keeps θ_ref, the
 * estimate after the rows so far, and compensated sums of ṽ², ṽỹ, and, about
 * θ_ref, R = Σ ṽ²(ỹ − θ_ref ṽ)², C = Σ ṽ³(ỹ − θ_ref ṽ) and Σ ṽ⁴.  When the
 * estimate moves by Δ, R −= 2ΔC − Δ²Σṽ⁴ and C −= ΔΣṽ⁴ (exact identities,
 * small corrections, since Δ is small); each row then adds its own terms
 * with its residual about the new estimate.  So a near-exact fit keeps its
 * digits (expanding Σṽ²ỹ² − 2θΣṽ³ỹ + θ²Σṽ⁴ lost them as 1/(1 − R²)).
 * Merging moves both states to the pooled estimate the same way.  Stored as
 * float8[HTE_DML_STATE_LEN] = {HTE_DML_STATE_TAG, n, θ_ref, then the five
 * sums as (hi, lo) pairs}.
 *
 * Statistics core: no PostgreSQL headers.
 */
#ifndef HTE_DML_H
#define HTE_DML_H

#include <stdbool.h>

#include "hte_moments.h"

typedef struct HteDmlSums
{
	double		n;
	double		theta;			/* θ_ref: Σṽỹ / Σṽ² after the rows so far, 0 before */
	HteDD		vv;				/* Σ ṽ² */
	HteDD		vy;				/* Σ ṽỹ */
	HteDD		r;				/* Σ ṽ²(ỹ − θ_ref ṽ)² */
	HteDD		c;				/* Σ ṽ³(ỹ − θ_ref ṽ) */
	HteDD		v4;				/* Σ ṽ⁴ */
} HteDmlSums;

#define HTE_DML_STATE_TAG	7.0
#define HTE_DML_STATE_LEN	13
#define HTE_DML_SUMS_LEN	12	/* doubles in HteDmlSums */

typedef struct HteDmlResult
{
	double		estimate;
	double		std_error;
	double		ci_lower;
	double		ci_upper;
	double		p_value;
	double		n;
} HteDmlResult;

/* Add a row's residuals ỹ, ṽ (finite; the caller checks). */
void		hte_dml_push(HteDmlSums *s, double ytil, double vtil);

/* a := a and b together. */
void		hte_dml_merge(HteDmlSums *a, const HteDmlSums *b);

/* NULL when s is a valid set of sums, else a sentence saying what is wrong. */
const char *hte_dml_check(const HteDmlSums *s);

/*
 * The estimate, its standard error, the normal interval at conf_level and
 * the two-sided p-value; NaN marks what is undefined: everything but n
 * without rows or with Σṽ² = 0; the interval and p-value when the standard
 * error is 0.
 */
void		hte_dml_compute(const HteDmlSums *s, double conf_level, HteDmlResult *out);

#endif							/* HTE_DML_H */
