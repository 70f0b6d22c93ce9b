/*
 * hte_trial.h — the trial analyst's measures (issue 17): risk effects of a
 * binary outcome, the local average treatment effect under non-compliance,
 * the allocation (sample-ratio mismatch) check and sample sizes.
 *
 * Statistics core: plain C99, no PostgreSQL headers.  Every double result
 * is NaN where the quantity is undefined (SQL NULL), never ±Inf.
 */
#ifndef HTE_TRIAL_H
#define HTE_TRIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "hte_comoments.h"
#include "hte_interaction.h"

/* ------------------------------------------------------------------------
 * risk_effects(y boolean, treated): counts per arm
 * ------------------------------------------------------------------------
 * State (float8[5]): tag, events_control, n_control, events_treated,
 * n_treated; whole numbers, 0 <= events <= n <= 2^53.
 */
#define HTE_RISK_STATE_TAG	6.0
#define HTE_RISK_STATE_LEN	5

typedef struct HteRiskResult
{
	double		events_treated,
				events_control,
				n_treated,
				n_control;
	double		risk_treated,
				risk_control;
	double		risk_difference,
				rd_ci_lower,
				rd_ci_upper;	/* Wald, not clipped */
	double		risk_ratio,
				rr_ci_lower,
				rr_ci_upper;	/* log-scale Wald */
	double		odds_ratio,
				or_ci_lower,
				or_ci_upper;	/* log-scale Wald */
	double		nnt,
				nnt_ci_lower,
				nnt_ci_upper;	/* Altman 1998 */
	double		p_value;		/* Pearson χ², no continuity correction */
} HteRiskResult;

/* NULL when the state is valid, else why not. */
const char *hte_risk_state_check(const double *s, size_t len);

/*
 * The measures from events e and rows n per arm (e0 <= n0, e1 <= n1 whole
 * numbers); false when there are no rows at all.
 */
bool		hte_risk_compute(double e1, double n1, double e0, double n0, double conf_level,
							 HteRiskResult *r);

/* ------------------------------------------------------------------------
 * late(y, assigned, received [, se_type])
 * ------------------------------------------------------------------------
 * State (float8[2 + 2·HTE_ARMXY_LEN]): tag, the se_type (an HteSeType), then
 * per assignment arm (control, assigned) the co-moments of x = received
 * (0/1) and y (hte_comoments.h).
 */
#define HTE_LATE_STATE_TAG	7.0
#define HTE_LATE_STATE_LEN	(2 + 2 * HTE_ARMXY_LEN)

static inline HteArmXY *
hte_late_state_arm(double *s, int arm)
{
	return (HteArmXY *) (s + 2 + HTE_ARMXY_LEN * arm);
}

const char *hte_late_state_check(const double *s, size_t len);

typedef struct HteLateResult
{
	double		estimate,		/* ITT / first stage (Wald, 2SLS) */
				std_error,
				ci_lower,
				ci_upper,
				p_value,
				df;				/* n - 2 */
	double		itt,
				itt_std_error;	/* ate(y, assigned): Welch */
	double		first_stage,	/* ate(received, assigned) */
				first_stage_f;	/* its Welch t, squared */
	double		n_assigned,
				n_control;
} HteLateResult;

/*
 * The complier average causal effect from the assignment arms' co-moments
 * of (received, y), with the 2SLS standard error of estimatr::iv_robust:
 * for a binary instrument with an intercept, u = y − α − β·received has
 * mean 0 in each arm, S_a = Σ_arm u² = M2yy − 2β·Cxy + β²·M2xx, and
 *   HC0  Var β = (S_1/n_1² + S_0/n_0²) / Δ²        (Δ the first stage)
 *   HC1  HC0 · n/(n − 2)
 *   HC2  (S_1/(n_1(n_1 − 1)) + S_0/(n_0(n_0 − 1))) / Δ²   (leverage 1/n_a)
 *   HC3  (S_1/(n_1 − 1)² + S_0/(n_0 − 1)²) / Δ²
 *   classical  (S_0 + S_1)/(n − 2) · n/(n_1 n_0 Δ²).
 * False when there are no rows.
 */
bool		hte_late_compute(const HteArmXY *control, const HteArmXY *assigned, HteSeType se,
							 double conf_level, HteLateResult *r);

/* ------------------------------------------------------------------------
 * allocation_check(treated, expected_share)
 * ------------------------------------------------------------------------
 * State (float8[4]): tag, n_control, n_treated, the expected share.
 */
#define HTE_ALLOC_STATE_TAG	8.0
#define HTE_ALLOC_STATE_LEN	4

const char *hte_alloc_state_check(const double *s, size_t len);

typedef struct HteAllocResult
{
	double		n_treated,
				n_control,
				chisq,
				p_value;
} HteAllocResult;

/* chisq.test(c(n_treated, n_control), p = c(share, 1 - share)); false without rows */
bool		hte_alloc_compute(double n1, double n0, double share, HteAllocResult *r);

/* ------------------------------------------------------------------------
 * Sample size for an interaction (normal theory)
 * ------------------------------------------------------------------------
 * Total n of a 1:1 trial to detect the interaction γ of a moderator with
 * standard deviation sd_x: 4 σ² (z_{1−α/2} + z_power)² / (γ² sd_x²).
 * NULL (NaN) for γ = 0; the caller checks the ranges.
 */
double		hte_sample_size_interaction(double gamma, double sd, double sd_x, double alpha,
										double power);

/* ------------------------------------------------------------------------
 * ate_blocked and ate_clustered (estimatr::difference_in_means)
 * ------------------------------------------------------------------------
 * Both take the keyed arms of cate_by's state: per block (cluster) its
 * control and treated arm (HteArm[2]).
 */
#include "hte_ate.h"

typedef enum HteBlockStatus
{
	HTE_BLOCK_OK = 0,
	HTE_BLOCK_ONE_ROW,			/* a block of a single row */
	HTE_BLOCK_EMPTY_ARM,		/* a block with rows in one arm only */
	HTE_BLOCK_SINGLETON_ARM,	/* one row in an arm (not a pair design) */
	HTE_CLUSTER_MIXED			/* a cluster with rows in both arms */
} HteBlockStatus;

/*
 * The blocked difference in means Σ (N_j/N) D_j.  As estimatr: when every
 * block has two rows, or some have two and others more (*pairs set; estimatr
 * warns), the matched-pair variance Σ (D_j − D)² / (J(J − 1)) with J − 1 df;
 * otherwise Σ (N_j/N)² V_j with V_j the block's Neyman variance and N − 2J
 * df, every block needing two rows in each arm.  mean_treated and
 * mean_control are Σ (N_j/N) ȳ_{a,j}; the sd fields NaN.  On a refusal
 * *bad is the offending block's index.  Returns HTE_BLOCK_OK otherwise
 * (k = 0: no result, r->n_treated = r->n_control = 0).
 */
HteBlockStatus hte_ate_blocked(const HteArm *const *blocks, size_t k, double conf_level,
							   HteAteResult *r, bool *pairs, size_t *bad);

/*
 * The difference in means of rows clustered in k clusters, each in one arm,
 * with the CR2 standard error of estimatr's difference_in_means(clusters =)
 * (lm_robust's CR2 for y ~ treated): with ē_g the cluster's mean residual
 * about its arm's mean and N_a the arm's rows,
 *   Var = Σ_a N_a^-2 Σ_{g in a} n_g² ē_g² N_a / (N_a − n_g),
 * and the Bell–McCaffrey degrees of freedom (tr G'G)² / tr (G'G)², G'G
 * block diagonal per arm with blocks N_a^-2 C (diag(n) − n n'/N_a) C,
 * C = diag((1 − n_g/N_a)^-1/2).  NaN standard error with fewer than two
 * clusters in an arm.  The sd fields are the arms' row standard deviations.
 */
HteBlockStatus hte_ate_clustered(const HteArm *const *clusters, size_t k, double conf_level,
								 HteAteResult *r, size_t *bad);

/* ------------------------------------------------------------------------
 * Power and sample size of the two-sample t test (power.t.test)
 * ------------------------------------------------------------------------
 */

/*
 * The noncentral t distribution's P(T <= t) (lower_tail) or P(T > t), df
 * > 0, noncentrality ncp: Lenth's algorithm AS 243 (Appl. Statist. 38:
 * 185-189, 1989), the series summed until its error bound is below 1e-15,
 * and for df > 4e5 or ncp² > 2 ln 2 · 1021 the normal approximation of
 * Abramowitz & Stegun 26.7.10, as R's pt(ncp =) does.
 */
double		hte_pnt(double t, double df, double ncp, bool lower_tail);

/*
 * power.t.test(n = n, delta = delta, sd = sd, sig.level = alpha) at its
 * defaults (two samples of n, two-sided, strict = FALSE): with ν = 2(n − 1),
 * P(T' > t_{1−α/2, ν}) for T' noncentral t with ncp sqrt(n/2)·|delta|/sd.
 */
double		hte_power_ate(double n, double delta, double sd, double alpha);

/*
 * power.t.test(delta =, sd =, sig.level =, power =)$n: the n per arm at
 * which hte_power_ate reaches power, found as R's uniroot finds it (its
 * interval [2, 1e7], extended as extendInt = "upX" does, then Brent's
 * zeroin of Forsythe, Malcolm & Moler with tol = DBL_EPSILON^(1/4)), so
 * that the result is R's to its last digits, not only within uniroot's
 * tolerance.  NaN for delta = 0 (no n reaches the power); check_interrupts
 * (may be NULL) is called on each step.
 */
double		hte_sample_size_ate(double delta, double sd, double alpha, double power,
								void (*check_interrupts) (void));

#endif							/* HTE_TRIAL_H */
