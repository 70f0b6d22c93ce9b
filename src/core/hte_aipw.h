/*
 * hte_aipw.h — the augmented inverse-propensity-weighted (doubly robust)
 * ATE, ATT, ATU and ATT − ATU from nuisance predictions made elsewhere
 * (ê, μ̂₀, μ̂₁), with influence-function standard errors that treat the
 * predictions as given, as grf's average_treatment_effect does.
 *
 * Per row, with T the arm, C = 1 − T, q = 1 − ê:
 *   A = T (y − μ̂₀) − C (ê/q)(y − μ̂₀)    so ATT = Σ A / n₁,
 *   B = C (μ̂₁ − y) + T (q/ê)(y − μ̂₁)    so ATU = Σ B / n₀,
 *   Γ = A + B = μ̂₁ − μ̂₀ + T (y − μ̂₁)/ê − C (y − μ̂₀)/q,  ATE = mean Γ.
 * Influence functions: Γ − ATE for the ATE; (A − T·ATT)/π̂₁ for the ATT and
 * (B − C·ATU)/π̂₀ for the ATU (π̂ₐ = nₐ/n); their difference for ATT − ATU.
 * Each is linear in (A, B) within an arm, so its sum of squares follows from
 * the arm's count, means and second-order co-moments of (A, B): one pass,
 * and states merge exactly (Chan, Golub and LeVeque's pairwise update).  The
 * standard error is sd(ψ)/√n with the n − 1 sd (ψ sums to 0 exactly).  Γ
 * has its own mean and sum of squares: from those of A and B, Var(A + B)
 * would cancel when Γ varies much less than A and B do.
 *
 * The arms also keep Σy (the ATT's treated and the ATU's control
 * potential-outcome means), and the state the pooled Σ μ̂₁ + T(y − μ̂₁)/ê
 * (the ATE's treated potential-outcome mean).
 *
 * Stored as float8[HTE_AIPW_STATE_LEN]: {HTE_AIPW_STATE_TAG, control arm,
 * treated arm, Σ(hi, lo)}, each arm {n, then mean A, mean B, mean Γ, M_AA,
 * M_AB, M_BB, M_ΓΓ and Σy as (hi, lo) pairs}.
 *
 * Inside an aggregate the state has a longer form, as ate's: after the
 * sums, each arm's count of pending rows (0 <= k < HTE_AIPW_BLOCK), then
 * each arm's buffer of HTE_AIPW_BLOCK rows of (A, B, y, P).  A row is then
 * its terms and four stores; a full block is folded in at once
 * (hte_aipw_push_block: two passes over the block, one merge), instead of
 * a division and seven compensated additions per row.  Both forms are
 * valid states everywhere.
 *
 * Statistics core: no PostgreSQL headers.
 */
#ifndef HTE_AIPW_H
#define HTE_AIPW_H

#include <stdbool.h>

#include "hte_moments.h"

typedef struct HteAipwArm
{
	double		n;
	HteDD		ma;				/* mean A */
	HteDD		mb;				/* mean B */
	HteDD		mg;				/* mean Γ, Γ = A + B rounded */
	HteDD		aa;				/* Σ (A − mean A)² */
	HteDD		ab;				/* Σ (A − mean A)(B − mean B) */
	HteDD		bb;				/* Σ (B − mean B)² */
	HteDD		gg;				/* Σ (Γ − mean Γ)² */
	HteDD		sy;				/* Σ y */
} HteAipwArm;

typedef struct HteAipwSums
{
	HteAipwArm	arm[2];			/* [0] control, [1] treated */
	HteDD		sp;				/* Σ μ̂₁ + T (y − μ̂₁)/ê */
} HteAipwSums;

#define HTE_AIPW_STATE_TAG	8.0
#define HTE_AIPW_ARM_LEN	17
#define HTE_AIPW_SUMS_LEN	(2 * HTE_AIPW_ARM_LEN + 2)
#define HTE_AIPW_STATE_LEN	(1 + HTE_AIPW_SUMS_LEN)
#define HTE_AIPW_BLOCK		16
#define HTE_AIPW_ROW		4	/* A, B, y, P */
#define HTE_AIPW_PENDING(g)	(HTE_AIPW_STATE_LEN + (g))
#define HTE_AIPW_BUFFER(g)	(HTE_AIPW_STATE_LEN + 2 + (g) * HTE_AIPW_BLOCK * HTE_AIPW_ROW)
#define HTE_AIPW_BUFFERED_LEN	(HTE_AIPW_STATE_LEN + 2 + 2 * HTE_AIPW_BLOCK * HTE_AIPW_ROW)
_Static_assert(sizeof(HteAipwSums) == HTE_AIPW_SUMS_LEN * sizeof(double),
			   "HteAipwSums must be packed doubles");

/* The four estimands, in this order. */
enum
{
	HTE_AIPW_ATE, HTE_AIPW_ATT, HTE_AIPW_ATU, HTE_AIPW_DIFF
};

typedef struct HteAipwEstimand
{
	double		estimate;
	double		std_error;
	double		po_treated;		/* NaN for ATT − ATU */
	double		po_control;
} HteAipwEstimand;

/*
 * A row's terms (A, B, y, P) into t[HTE_AIPW_ROW]: y, μ̂₀, μ̂₁ finite,
 * 0 < ê < 1 (the caller checks).  False when a term overflowed.
 */
static inline bool
hte_aipw_terms(bool treated, double y, double e, double mu0, double mu1, double *t)
{
	/* one division per row: (1 − ê)/ê as (1 − ê)·(1/ê), a few ulps */
	if (treated)
	{
		double		r = 1.0 / e,
					d = y - mu1;

		t[0] = y - mu0;
		t[1] = ((1.0 - e) * r) * d;
		t[3] = mu1 + d * r;
	}
	else
	{
		t[0] = -(e / (1.0 - e)) * (y - mu0);
		t[1] = mu1 - y;
		t[3] = mu1;
	}
	t[2] = y;
	return isfinite(t[0]) && isfinite(t[1]) && isfinite(t[3]);
}

/*
 * Add a row: y, μ̂₀, μ̂₁ finite, 0 < ê < 1 (the caller checks).  Returns
 * false when a term or a sum overflowed (s is then unusable).
 */
bool		hte_aipw_push(HteAipwSums *s, bool treated, double y, double e,
						  double mu0, double mu1);

/*
 * Fold k >= 0 rows of terms (rows[i * HTE_AIPW_ROW ...], from
 * hte_aipw_terms) into arm g at once.  False when a sum overflowed.
 */
bool		hte_aipw_push_block(HteAipwSums *s, int g, const double *rows, int k);

/*
 * Check a state of either form (len HTE_AIPW_STATE_LEN or
 * HTE_AIPW_BUFFERED_LEN, the tag first): NULL when valid, else why not.
 */
const char *hte_aipw_state_check(const double *state, size_t len);

/* The sums of a checked state of either form, pending rows folded in. */
bool		hte_aipw_state_fold(const double *state, size_t len, HteAipwSums *out);

/* a := a and b together. */
void		hte_aipw_merge(HteAipwSums *a, const HteAipwSums *b);

/* true when every number of s is finite. */
bool		hte_aipw_finite(const HteAipwSums *s);

/* NULL when s is a valid set of sums, else a sentence saying what is wrong. */
const char *hte_aipw_check(const HteAipwSums *s);

/*
 * The four estimands; false (out untouched) when an arm is empty.  With
 * both arms there are n >= 2 rows, so every standard error is defined.
 */
bool		hte_aipw_compute(const HteAipwSums *s, HteAipwEstimand out[4]);

#endif							/* HTE_AIPW_H */
