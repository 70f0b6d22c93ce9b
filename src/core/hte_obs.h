/*
 * hte_obs.h — observational data: the propensity model (a binomial GLM with
 * logit or probit link, fitted by Fisher scoring to full convergence), the
 * ATE, ATT and ATU by regression adjustment, inverse probability weighting
 * and augmented IPW with the stacked M-estimation sandwich, and the overlap
 * and balance diagnostics.
 *
 * Statistics core: plain C99, no PostgreSQL headers, no allocation: the
 * caller provides the rows and scratch memory (hte_obs_work_size), so an
 * interrupt callback may leave by longjmp.
 *
 * Rows are kept, row-major: each row holds the outcome (if any), the
 * treatment (0 or 1), the outcome covariates and the treatment covariates
 * at the column offsets of HteObsRows (the two covariate lists may be the
 * same columns).
 *
 * Standard errors (SPEC, "Observational data").  The parameters are the
 * propensity coefficients g (ipw, aipw), the per-arm OLS coefficients b0,
 * b1 (ra, aipw) and six potential-outcome means, two per population
 * P in {ATE, ATT, ATU}, each defined by an estimating equation
 *
 *     psi_k = a_k(g, b) - c_k(g) mu_k,        mu_k = sum a_k / sum c_k.
 *
 * The stacked Jacobian is block lower triangular, so the influence of row
 * i on the estimates, phi_i = -A^-1 psi_i (A the mean observed Jacobian),
 * follows by substitution:
 *
 *     phi_g  = M_g^-1 psi_g,   M_g = mean of -d psi_g / d g  (the observed
 *                              information per row: for probit its exact
 *                              Hessian, not the expected one),
 *     phi_bj = M_j^-1 psi_bj,  M_j = mean over all rows of [T = j] x x',
 *     phi_k  = (psi_k + A_kg phi_g + A_kb phi_b) / mean(c_k),
 *
 * and V(c' theta) = sum_i (c' phi_i)^2 / n^2, which is c' A^-1 B A^-T c / n
 * with B = sum psi psi' / n: Stata's teffects vce(robust).
 */
#ifndef HTE_OBS_H
#define HTE_OBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hte_quantile.h"		/* HteInterruptFn */

/* The most covariates in a propensity or outcome model. */
#define HTE_OBS_MAX_P 100

typedef enum HteLink
{
	HTE_LINK_LOGIT = 0,
	HTE_LINK_PROBIT = 1
} HteLink;

typedef enum HteObsMethod
{
	HTE_OBS_AIPW = 0,
	HTE_OBS_IPW = 1,
	HTE_OBS_RA = 2
} HteObsMethod;

/* Parse "logit"/"probit" and "aipw"/"ipw"/"ra" (exact, lower case); -1 if unknown. */
int			hte_link_parse(const char *s);
int			hte_obs_method_parse(const char *s);
const char *hte_link_name(HteLink l);
const char *hte_obs_method_name(HteObsMethod m);

typedef struct HteObsRows
{
	const double *v;			/* n rows of `width` doubles */
	size_t		n;
	int			width;
	int			y_col;			/* -1 when there is no outcome */
	int			t_col;
	int			xo_col;			/* outcome covariates: po columns from xo_col */
	int			po;
	int			xt_col;			/* treatment covariates: pt columns from xt_col */
	int			pt;
} HteObsRows;

typedef enum HteGlmStatus
{
	HTE_GLM_OK = 0,
	HTE_GLM_ONE_ARM,			/* every row in one arm: nothing to fit */
	HTE_GLM_NO_CONVERGENCE,		/* separation, most often */
	HTE_GLM_BOUNDARY,			/* a fitted probability of exactly 0 or 1 */
	HTE_GLM_OVERFLOW			/* covariates so large that their squares overflow */
} HteGlmStatus;

/*
 * A fitted propensity model on the original scale of the covariates.
 * Arrays point into the work memory given to hte_glm_fit.
 */
typedef struct HteGlmFit
{
	int			k;				/* pt + 1: intercept first */
	int			rank;
	HteLink		link;
	double	   *coef;			/* [k]; NaN for an aliased column */
	double	   *se;				/* [k] from the expected information; NaN if aliased */
	double		loglik;
	int			iterations;
	bool		converged;
	HteGlmStatus status;
	uint64_t	n1,
				n0;
	/* internal: the fit on centred covariates, used by the estimands */
	double	   *center;			/* [k] column means (0 for the intercept) */
	double	   *coef_c;			/* [k] coefficients on centred columns, aliased 0 */
	bool		kept[HTE_OBS_MAX_P + 1];
} HteGlmFit;

/* Doubles of scratch memory hte_glm_fit needs for k = pt + 1 columns. */
size_t		hte_glm_work_size(int k);

/*
 * Fit the treatment model of r (t on 1 and its treatment covariates) by
 * Fisher scoring from the marginal probability until the step is below
 * 1e-11 relative (or the log-likelihood no longer changes, within
 * rounding), at most 100 iterations.  fit->status says how it went; the
 * estimates are filled whenever status is OK or BOUNDARY.
 */
void		hte_glm_fit(const HteObsRows *r, HteLink link, HteGlmFit *fit, double *work,
						HteInterruptFn check_interrupts);

/* The probability for linear predictor eta, and 1 minus it, accurately. */
void		hte_link_prob(HteLink link, double eta, double *p, double *q);

/* ê for row i of r under a fit (from the centred coefficients). */
double		hte_glm_row_prob(const HteGlmFit *fit, const HteObsRows *r, size_t i, double *q);

typedef struct HteEstimand
{
	double		estimate;
	double		std_error;
	double		po_treated;		/* NaN for ATT-ATU */
	double		po_control;
} HteEstimand;

typedef enum HteObsStatus
{
	HTE_OBS_OK = 0,
	HTE_OBS_EMPTY_ARM,			/* an arm without rows: no estimate */
	HTE_OBS_GLM_FAILED,			/* see fit->status */
	HTE_OBS_OVERFLOW			/* an outcome model's sums overflow */
} HteObsStatus;

/* Estimands in the order of the SQL result. */
#define HTE_OBS_ATE 0
#define HTE_OBS_ATT 1
#define HTE_OBS_ATU 2
#define HTE_OBS_DIFF 3

/* Doubles of scratch memory for hte_obs_estimands (includes the GLM's). */
size_t		hte_obs_work_size(int po, int pt);

/*
 * The four estimands of r by `method` (link for the propensity model of
 * ipw and aipw).  fit receives the propensity model (ipw, aipw).
 */
HteObsStatus hte_obs_estimands(const HteObsRows *r, HteObsMethod method, HteLink link,
							   HteEstimand out[4], HteGlmFit *fit, double *work,
							   HteInterruptFn check_interrupts);

typedef struct HteOverlap
{
	double		ps_min[2],		/* [0] control, [1] treated */
				ps_max[2];
	uint64_t	n_below,
				n_above;
	double		crump_alpha;
	uint64_t	n_outside_crump;
	double		ess[2];
	double		max_weight;
} HteOverlap;

/*
 * Overlap diagnostics under a fit with status OK (ps: r->n doubles of
 * scratch for the propensities).
 */
void		hte_obs_overlap(const HteObsRows *r, const HteGlmFit *fit, double *ps,
							HteOverlap *out, HteInterruptFn check_interrupts);

/* Crump et al.'s alpha for propensities ps[0..n-1], sorting gam (n doubles). */
double		hte_crump_alpha(const double *ps, size_t n, double *gam);

typedef struct HteBalance
{
	double		mean[2];		/* unweighted, [0] control, [1] treated */
	double		smd,
				smd_weighted,
				variance_ratio,
				variance_ratio_weighted;	/* NaN when undefined */
} HteBalance;

/*
 * Balance of each treatment covariate j (out[j], j < r->pt) before and
 * after weighting by the IPW weights of estimand (HTE_OBS_ATE, _ATT, _ATU)
 * under a fit with status OK (ps: r->n doubles of scratch).
 */
void		hte_obs_balance(const HteObsRows *r, const HteGlmFit *fit, int estimand,
							double *ps, HteBalance *out, HteInterruptFn check_interrupts);

#endif							/* HTE_OBS_H */
