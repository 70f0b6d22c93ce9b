/*
 * hte_lin.h — the fully interacted regression y ~ T * X from per-arm
 * moments: Lin's (2013) regression-adjusted treatment effect and the joint
 * test of several effect modifiers, with classical and HC0-HC3 variances.
 *
 * Statistics core: plain C99, no PostgreSQL headers.
 *
 * The design has K = 2(p + 1) columns in R's order for lm(y ~ t * Xc):
 *
 *     0: (Intercept)   1: t   2..p+1: Xc_1..Xc_p   p+2..2p+1: t:Xc_1..t:Xc_p
 *
 * with Xc = X - xbar, xbar the mean over all rows used (estimatr::lm_lin's
 * centring).  The coefficient on t is then the average treatment effect,
 * and the t:Xc coefficients are the interactions, which the centring does
 * not change (so they equal those of lm(y ~ t * X)).
 *
 * Everything is computed from the two arms' central moments (hte_mvmoments.h):
 * in arm g with deviations u = x - xbar_g, v = y - ybar_g and
 * d_g = xbar_g - xbar, a row's design vector is z = (1, g, u + d_g,
 * g (u + d_g)), so X'X and X'y are sums of moments of degree <= 2, and the
 * residual e = v - b_g'u - r_g (b_g the arm's slopes, r_g = 0 unless the
 * arm has no intercept of its own) makes the sandwich's meat sum e^2 z z'
 * a combination of moments of degree <= 4.  The outcome is taken about the
 * control mean (a double-double) so that outcomes near 1e9 keep the effect's
 * digits.
 *
 * Aliased columns are detected as R's lm does (hte_linalg.h): their
 * coefficients are NaN (NA), the fit and the variances use the kept columns,
 * and df = n - rank.
 */
#ifndef HTE_LIN_H
#define HTE_LIN_H

#include <stdbool.h>

#include "hte_interaction.h"
#include "hte_mvmoments.h"

#define HTE_LIN_MAX_K (2 * (HTE_MV_MAX_P + 1))

typedef struct HteLinFit
{
	int			p;
	int			K;				/* 2 (p + 1) */
	int			rank;
	double		n[2];			/* rows per arm */
	double		df;				/* n - rank */
	bool		kept[HTE_LIN_MAX_K];
	double		theta[HTE_LIN_MAX_K];	/* coefficients, NaN if aliased */
	double		xtx[HTE_LIN_MAX_K * HTE_LIN_MAX_K];
	double		xtx_inv[HTE_LIN_MAX_K * HTE_LIN_MAX_K];	/* 0 off the kept */
	double		d[2][HTE_MV_MAX_P];	/* xbar_g - xbar */
	double		b[2][HTE_MV_MAX_P];	/* per-arm slopes (aliased as 0) */
	double		r[2];			/* mean residual per arm */
	double		rss;			/* sum of squared residuals */
	double		vcov[HTE_LIN_MAX_K * HTE_LIN_MAX_K];	/* after hte_lin_vcov */
	double		work[HTE_LIN_MAX_K * HTE_LIN_MAX_K];
} HteLinFit;

/*
 * Fit from the arms (arms[0] control, arms[1] treated; p >= 1 covariates).
 * Returns false when there is no row at all.
 */
bool		hte_lin_fit(const HteMvTable *t, const double *const arms[2], HteLinFit *f);

/*
 * The residual moments of one arm summary A (p covariates and y) for slopes
 * b and mean residual r, e = (y − ȳ) − b'(x − x̄) − r: E0 = Σ e²,
 * E1[a] = Σ e² u_a and E2[a p + c] = Σ e² u_a u_c (u = x − x̄), from the
 * moments up to degree 4; the HC0 meat of any design in (1, u) follows.
 */
void		hte_lin_resid_moments(const HteMvTable *t, const double *A, const double *b,
								  double r, double *E0, double *E1, double *E2);

/*
 * The HC0 meat sum e^2 z z' (K x K) from the moments (after hte_lin_fit).
 */
void		hte_lin_meat_hc0(const HteMvTable *t, const double *const arms[2],
							 const HteLinFit *f, double *meat);

/*
 * Add to meat the HC2 or HC3 terms e^2 / (1 - h)^k z z' of `count` rows of
 * arm g (rows[i * (p + 1) + j]: x_1..x_p, y), whose arm summary is arms[g].
 * Returns false if some leverage h >= 1 - 1e-10 (the variance is
 * undefined, as R's NaN).
 */
bool		hte_lin_meat_rows(const HteMvTable *t, const double *const arms[2],
							  const HteLinFit *f, HteSeType type, int g,
							  const double *rows, long count, double *meat);

/*
 * The coefficients' covariance f->vcov for the given type (meat: NULL for
 * classical, the HC0/HC1 or HC2/HC3 meat otherwise).  Returns false when
 * undefined (df <= 0).
 */
bool		hte_lin_vcov(HteLinFit *f, HteSeType type, const double *meat);

typedef struct HteAteAdjusted
{
	double		estimate,
				std_error,
				ci_lower,
				ci_upper,
				p_value,
				df;
	double		n_treated,
				n_control;
	double		covariates;
	double		unadjusted_estimate,
				unadjusted_std_error;
	double		variance_reduction;
} HteAteAdjusted;

/*
 * The adjusted effect from a fit with its vcov (vcov_ok: hte_lin_vcov's
 * answer); NaN (NULL) where undefined.  unadjusted: ate() on the same rows.
 */
void		hte_lin_ate(const HteLinFit *f, bool vcov_ok, double conf_level,
						double unadj_estimate, double unadj_se, HteAteAdjusted *out);

typedef struct HteJointTest
{
	double		moderators;
	double		f_statistic,
				df1,
				df2,
				p_value;
	double		chisq_statistic,
				chisq_p_value;
	/* per moderator (p of each): NaN where aliased or undefined */
	double		interactions[HTE_MV_MAX_P];
	double		std_errors[HTE_MV_MAX_P];
	double		p_values[HTE_MV_MAX_P];
	double		p_adjusted[HTE_MV_MAX_P];
	double		n_treated,
				n_control;
} HteJointTest;

/* The joint Wald test of every t:X coefficient, and each one's t test. */
void		hte_lin_joint(HteLinFit *f, bool vcov_ok, HteJointTest *out);


/*
 * CUPED (Deng, Xu, Kohavi & Walker 2013) from the bivariate per-arm
 * co-moments of (pre, y) (the state of interaction_test(y, treated, x)):
 * theta = cov(pre, y) / var(pre) over both arms pooled, y_cv = y -
 * theta (pre - mean pre), and Welch's difference in means of y_cv.
 * NaN (NULL) where undefined: no variance of pre (theta undefined), an arm
 * with fewer than two rows (no standard error), a standard error of 0 (no
 * p-value or interval, as ate()).  unadjusted: ate() on the same rows.
 */
void		hte_cuped(const HteArmXY arms[2], double conf_level, HteAteAdjusted *out);

/*
 * The float8[] state of ate(y, treated, covariates) and
 * interaction_test(y, treated, moderators) (one state, shared by both):
 *
 *   [0]   layout tag HTE_COV_STATE_TAG (kind and format version)
 *   [1]   p, the number of covariates (0 <= p <= HTE_MV_MAX_P)
 *   [2]   rows pending in the control buffer, a whole number 0 <= k < B
 *   [3]   the same for the treated buffer
 *   then the control arm and the treated arm (hte_mv_arm_len doubles each),
 *   then per arm a buffer of B = hte_cov_block(p) rows of p + 1 values
 *   (x_1..x_p, y; the first k pending), folded B at a time.
 *
 * Before the first row the state is the four numbers {tag, 0, 0, 0}: p is
 * learnt from the first row's array.
 */
#define HTE_COV_STATE_TAG	3.0
#define HTE_COV_EMPTY_LEN	4

/*
 * Rows buffered per arm before a fold.  A fold costs about ten times the
 * work of adding one row to the dot products (hte_mvmoments.c), so the
 * buffer grows with p; the state grows by at most a third (test/bench).
 */
static inline int
hte_cov_block(int p)
{
	return p <= 2 ? 32 : p <= 5 ? 64 : p <= 10 ? 128 : 256;
}

/* Doubles in a state for p covariates (0 < p <= HTE_MV_MAX_P). */
static inline size_t
hte_cov_state_len_p(int p)
{
	return HTE_COV_EMPTY_LEN + 2 * (1 + 2 * ((size_t) hte_mv_count(p) - 1)) +
		2 * (size_t) hte_cov_block(p) * (size_t) (p + 1);
}

/*
 * The stored form (the values of type hte_adjusted_state): the state
 * without its buffers, both pending counts 0.
 */
static inline size_t
hte_cov_stored_len_p(int p)
{
	return HTE_COV_EMPTY_LEN + 2 * (1 + 2 * ((size_t) hte_mv_count(p) - 1));
}

static inline size_t
hte_cov_state_len(const HteMvTable *t)
{
	return HTE_COV_EMPTY_LEN + 2 * hte_mv_arm_len(t) +
		2 * (size_t) hte_cov_block(t->p) * (size_t) t->nvars;
}

static inline double *
hte_cov_arm(const HteMvTable *t, double *s, int g)
{
	return s + HTE_COV_EMPTY_LEN + g * hte_mv_arm_len(t);
}

static inline double *
hte_cov_buffer(const HteMvTable *t, double *s, int g)
{
	return s + HTE_COV_EMPTY_LEN + 2 * hte_mv_arm_len(t) +
		(size_t) g * hte_cov_block(t->p) * t->nvars;
}

/*
 * The p of a state of len doubles, checking the tag and that len is that
 * of an empty state or of a state for p; -1 if neither.
 */
int			hte_cov_state_p(const double *s, size_t len);

/*
 * The same for the stored form (hte_cov_stored_len_p(p) doubles, nothing
 * pending): p, or -1.  hte_cov_state_check accepts it.
 */
int			hte_cov_stored_p(const double *s, size_t len);

/*
 * Check a state for p covariates (table t, len = hte_cov_state_len(t)):
 * pending counts, pending values finite, arms valid, counts with pending
 * rows within 2^53.  NULL when valid, else a sentence saying what is wrong.
 */
const char *hte_cov_state_check(const HteMvTable *t, const double *s);

/* Fold the pending rows of arm g of a checked state (work: hte_mv_block_work). */
void		hte_cov_state_flush(const HteMvTable *t, double *s, int g, double *work);

#endif							/* HTE_LIN_H */
