/*
 * hte_ols.h — ordinary least squares over kept rows, with the classical
 * and the HC0–HC3 sandwich covariances of sandwich::vcovHC and t tests
 * with n − rank degrees of freedom (lmtest::coeftest): the solver of
 * cate_projection and calibration_test.
 *
 * Statistics core: plain C99, no PostgreSQL headers.
 *
 * The design row z (k columns) and the response y of each kept row come
 * from a callback.  With an intercept (column 0 all ones) the other
 * columns are centred at their means, which makes the cross-product
 * block-diagonal and its condition that of the covariates themselves; the
 * coefficients and their covariance are mapped back to the uncentred
 * parametrization exactly (β₀ = β̃₀ − c'β̃, V = J Ṽ J').  Leverages,
 * residuals and the sandwich's meat do not depend on the centring.
 *
 * Two passes over the rows after the means: the cross-products, then the
 * residuals and leverages (meat).  Aliased columns are found as R's lm does
 * (hte_linalg.h): their coefficient and every statistic of theirs are NaN
 * (NA), and the others use the kept columns.
 */
#ifndef HTE_OLS_H
#define HTE_OLS_H

#include <stdbool.h>
#include <stddef.h>

#include "hte_interaction.h"	/* HteSeType */
#include "hte_mvmoments.h"

#define HTE_OLS_MAX_K 101

/* Fill z[0..k-1] and *y for row i of ctx. */
typedef void (*HteOlsRowFn) (const void *ctx, size_t i, double *z, double *y);

/* Called every so many rows (PostgreSQL: CHECK_FOR_INTERRUPTS). */
typedef void (*HteOlsInterruptFn) (void);

typedef struct HteOlsResult
{
	int			k;
	int			rank;
	double		n;
	double		df;				/* n − rank */
	double		estimate[HTE_OLS_MAX_K];
	double		std_error[HTE_OLS_MAX_K];
	double		t_statistic[HTE_OLS_MAX_K];
	double		p_value[HTE_OLS_MAX_K];	/* two-sided, t with df */
} HteOlsResult;

/* Doubles of work space hte_ols_fit needs for k columns. */
size_t		hte_ols_work_size(int k);

/*
 * Fit y on z over rows 0..n-1 (k <= HTE_OLS_MAX_K columns; intercept: column
 * 0 is 1 in every row).  NaN marks what is undefined: the standard errors
 * when df <= 0 (classical, HC1) or some leverage is 1 (HC2, HC3; within
 * 1e-10, R's NaN) or there is no row; the coefficients of aliased columns.
 * Returns false when a sum overflowed.
 */
bool		hte_ols_fit(const void *ctx, HteOlsRowFn row, size_t n, int k, bool intercept,
						HteSeType type, double *work, HteOlsInterruptFn chk,
						HteOlsResult *out);

/*
 * The same fit from one pass: the central moments of (a_1..a_p, y) up to
 * degree 4 (an arm summary of hte_mvmoments.h, 1 <= p <= HTE_MV_MAX_P),
 * with an intercept, for the classical, HC0 and HC1 covariances (HC2 and
 * HC3 need each row's leverage, so the rows).  work: hte_ols_work_size(p + 1)
 * doubles.  False when a number overflowed.
 */
bool		hte_ols_fit_moments(const HteMvTable *t, const double *arm, HteSeType type,
								double *work, HteOlsResult *out);

#endif							/* HTE_OLS_H */
