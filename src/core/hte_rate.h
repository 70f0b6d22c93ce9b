/*
 * hte_rate.h — the rank-weighted average treatment effect of a
 * prioritization rule (Yadlowsky, Fleming, Shah, Brunskill & Wager 2021;
 * grf's rank_average_treatment_effect), from doubly robust scores Γ and
 * priorities S.
 *
 * Statistics core: plain C99, no PostgreSQL headers.
 *
 * Estimate, exactly grf's: sort by priority, highest first; replace each
 * Γ by the mean Γ of its group of tied priorities; with S_i the sum of the
 * first i of these, TOC(i/n) = S_i / i − mean Γ and
 *   AUTOC = (1/n) Σ_i TOC(i/n),   QINI = (1/n) Σ_i (i/n) TOC(i/n).
 * Both are Σ_j c_j Γ_j with weights of the sorted position only (averaged
 * over tied positions), summing to 0.
 *
 * Standard error: grf bootstraps (half-samples, R = 200).  Here it is the
 * influence function of the estimate as a functional of the distribution
 * of (S, Γ), treating the scores as given (as grf's bootstrap does: it
 * resamples scores, it does not refit nuisances).  With the distinct
 * priorities as groups g = 1..G from the highest, p_g their shares, P_g
 * the cumulative shares, m_g their mean Γ and w the rule's weight
 * function (AUTOC: w(u) = −log u − 1; QINI: w(u) = 1/2 − u, so that the
 * estimand is E[w(U) Γ] with U the top fraction a unit ranks in), the
 * estimate is Σ_g m_g (W(P_g) − W(P_{g−1})), W' = w, and a unit j of group
 * h has influence
 *   ψ_j = ω_h (Γ_j − m_h) + Σ_{g<G} (1{h <= g} − P_g) w(P_g) (m_g − m_{g+1}),
 * ω_h the group's mean weight n c over its positions.  The first term is
 * the noise of Γ within the unit's rank; the second, the noise of the
 * ranks themselves (how far the unit moves the cut points).  ψ sums to 0
 * and SE = sqrt(Σ ψ_j² / (n (n − 1))).  Without ties it is the von Mises
 * expansion of a rank-weighted (L-) statistic.  Its coverage is checked by
 * simulation against the true RATE in test/r/check_rate.R.
 */
#ifndef HTE_RATE_H
#define HTE_RATE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum HteRateTarget
{
	HTE_RATE_AUTOC = 0,
	HTE_RATE_QINI = 1
} HteRateTarget;

/* The target named (case-insensitively) by s; -1 if unknown. */
int			hte_rate_target_parse(const char *s);
const char *hte_rate_target_name(HteRateTarget t);

typedef struct HteRateResult
{
	double		estimate;
	double		std_error;		/* NaN with fewer than 2 rows */
	double		n;
} HteRateResult;

/* Called every so many rows (PostgreSQL: CHECK_FOR_INTERRUPTS). */
typedef void (*HteRateInterruptFn) (void);

/*
 * Sort n rows of (Γ, S) pairs (rows[2i], rows[2i + 1]) by S, highest
 * first, ties in any order (the result does not depend on it); in place,
 * O(n log n), calling chk (may be NULL) about every million rows.
 */
void		hte_rate_sort(double *rows, size_t n, HteRateInterruptFn chk);

/*
 * RATE from rows sorted by hte_rate_sort; n >= 1.  Returns false when a
 * sum overflowed.
 */
bool		hte_rate_compute(const double *rows, size_t n, HteRateTarget target,
							 HteRateInterruptFn chk, HteRateResult *out);

#endif							/* HTE_RATE_H */
