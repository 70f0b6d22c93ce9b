/*
 * hte_dist.h -- distribution functions (normal, Student t, chi-square, F)
 *
 * Plain C99, no PostgreSQL or R dependencies.  Results are meant to agree
 * with R (>= 4.2) pnorm/qnorm/pt/qt/pchisq/qchisq/pf/qf to a relative error
 * of about 1e-10 or better (both tails, down to probabilities of 1e-300).
 *
 * Conventions (all functions):
 *   - lower_tail = true  gives P(X <= x), false gives P(X > x); the requested
 *     tail is computed directly (never as 1 - a tiny number).
 *   - Invalid arguments (NaN anywhere, df <= 0, p outside [0,1]) give NaN.
 *   - Boundary values (p = 0 or 1, x = +-Inf, df = +Inf) give what R gives.
 */
#ifndef HTE_DIST_H
#define HTE_DIST_H

#include <stdbool.h>

/* Standard normal: P(Z <= x) if lower_tail, else P(Z > x). */
double hte_pnorm(double x, bool lower_tail);

/* Standard normal quantile: z such that hte_pnorm(z, lower_tail) == p. */
double hte_qnorm(double p, bool lower_tail);

/* Student t with df > 0 degrees of freedom (non-integer allowed,
 * df = +Inf is the normal).  Exact (incomplete beta) for every finite df,
 * as in R >= 2.7 (R's old df > 4e5 normal approximation is not used). */
double hte_pt(double t, double df, bool lower_tail);

/* Student t quantile (inverse of hte_pt; qnorm for df > 1e20, as R). */
double hte_qt(double p, double df, bool lower_tail);

/* Chi-square with df > 0 (real) degrees of freedom. */
double hte_pchisq(double x, double df, bool lower_tail);

/* Chi-square quantile. */
double hte_qchisq(double p, double df, bool lower_tail);

/* F distribution with df1, df2 > 0 (real, +Inf allowed as in R). */
double hte_pf(double x, double df1, double df2, bool lower_tail);

/* F quantile.  Like R, uses qchisq-based formulas when a df exceeds 4e5. */
double hte_qf(double p, double df1, double df2, bool lower_tail);

/* log Gamma(x) for x > 0 (NaN otherwise). */
double hte_lgamma(double x);

/* log Beta(a, b) for a, b > 0 (NaN otherwise). */
double hte_lbeta(double a, double b);

/* Regularized incomplete beta I_x(a, b) (lower_tail) or 1 - I_x(a, b),
 * a, b > 0, 0 <= x <= 1.  Note 1 - x is formed internally; callers needing
 * full accuracy for x close to 1 should use the other tail with 1 - x. */
double hte_pbeta(double x, double a, double b, bool lower_tail);

/* Regularized incomplete gamma P(a, x) (lower_tail) or Q(a, x), shape a > 0,
 * unit scale. */
double hte_pgamma(double x, double a, bool lower_tail);

#endif /* HTE_DIST_H */
