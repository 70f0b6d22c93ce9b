/*
 * hte_trial.c — risk effects, LATE, the allocation check and the sample
 * size of an interaction.  See hte_trial.h.
 */
#include "hte_trial.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "hte_dist.h"
#include "hte_moments.h"

/* ------------------------------------------------------------------------
 * Risk effects
 * ------------------------------------------------------------------------
 */
const char *
hte_risk_state_check(const double *s, size_t len)
{
	if (len != HTE_RISK_STATE_LEN)
		return "A risk_effects state has 5 numbers.";
	if (s[0] != HTE_RISK_STATE_TAG)
		return "The state's layout tag is not that of a risk_effects state, format 1.";
	for (int a = 0; a < 2; a++)
	{
		double		e = s[1 + 2 * a],
					n = s[2 + 2 * a];
		const char *why = hte_count_check(n);

		if (why != NULL)
			return why;
		if (!(e >= 0 && e <= n) || e != floor(e))
			return "An arm's event count is not a whole number between 0 and its row count.";
	}
	return NULL;
}

/* log-scale Wald interval of exp(l) with standard error se of l */
static void
log_wald(double l, double se, double z, double *est, double *lo, double *hi)
{
	*est = exp(l);
	if (se > 0 && isfinite(se))
	{
		*lo = exp(l - z * se);
		*hi = exp(l + z * se);
		if (!isfinite(*lo) || !isfinite(*hi))
			*lo = *hi = NAN;
	}
	else
		*lo = *hi = NAN;
}

bool
hte_risk_compute(double e1, double n1, double e0, double n0, double conf_level, HteRiskResult *r)
{
	double		z = hte_qnorm((1 + conf_level) / 2, true);
	double		p1 = n1 > 0 ? e1 / n1 : NAN,
				p0 = n0 > 0 ? e0 / n0 : NAN;

	if (n1 + n0 == 0)
		return false;
	r->events_treated = e1;
	r->events_control = e0;
	r->n_treated = n1;
	r->n_control = n0;
	r->risk_treated = p1;
	r->risk_control = p0;
	r->risk_difference = r->rd_ci_lower = r->rd_ci_upper = NAN;
	r->risk_ratio = r->rr_ci_lower = r->rr_ci_upper = NAN;
	r->odds_ratio = r->or_ci_lower = r->or_ci_upper = NAN;
	r->nnt = r->nnt_ci_lower = r->nnt_ci_upper = NAN;
	r->p_value = NAN;
	if (!(n1 > 0 && n0 > 0))
		return true;

	/* risk difference: Wald, not clipped to [-1, 1] */
	r->risk_difference = p1 - p0;
	{
		double		se = sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);

		if (se > 0)
		{
			r->rd_ci_lower = r->risk_difference - z * se;
			r->rd_ci_upper = r->risk_difference + z * se;
		}
	}
	/* risk ratio: undefined with no events in an arm */
	if (e1 > 0 && e0 > 0)
		log_wald(log(p1) - log(p0), sqrt(1 / e1 - 1 / n1 + 1 / e0 - 1 / n0), z,
				 &r->risk_ratio, &r->rr_ci_lower, &r->rr_ci_upper);
	/* odds ratio: undefined with no events or no non-events in an arm */
	if (e1 > 0 && e0 > 0 && e1 < n1 && e0 < n0)
		log_wald(log(e1) - log(n1 - e1) - log(e0) + log(n0 - e0),
				 sqrt(1 / e1 + 1 / (n1 - e1) + 1 / e0 + 1 / (n0 - e0)), z,
				 &r->odds_ratio, &r->or_ci_lower, &r->or_ci_upper);
	/* number needed to treat (or to harm): 1/|RD|, the interval Altman's */
	if (r->risk_difference != 0)
	{
		r->nnt = 1 / fabs(r->risk_difference);
		if (!isnan(r->rd_ci_lower) && (r->rd_ci_lower > 0 || r->rd_ci_upper < 0))
		{
			double		a = fabs(r->rd_ci_lower),
						b = fabs(r->rd_ci_upper);

			r->nnt_ci_lower = 1 / fmax(a, b);
			r->nnt_ci_upper = 1 / fmin(a, b);
		}
	}
	/* Pearson's χ² on the 2×2 table, as prop.test(correct = FALSE) */
	{
		double		p = (e1 + e0) / (n1 + n0);

		if (p > 0 && p < 1)
		{
			double		d = p1 - p0;
			double		chisq = d * d / (p * (1 - p) * (1 / n1 + 1 / n0));

			r->p_value = hte_pchisq(chisq, 1, false);
		}
	}
	return true;
}

/* ------------------------------------------------------------------------
 * LATE
 * ------------------------------------------------------------------------
 */
const char *
hte_late_state_check(const double *s, size_t len)
{
	if (len != HTE_LATE_STATE_LEN)
		return "A late state has 48 numbers.";
	if (s[0] != HTE_LATE_STATE_TAG)
		return "The state's layout tag is not that of a late state, format 1.";
	if (!(s[1] >= 0 && s[1] < HTE_SE_NTYPES) || s[1] != floor(s[1]))
		return "The state's se_type is not one of classical, HC0, HC1, HC2, HC3.";
	for (int a = 0; a < 2; a++)
	{
		const HteArmXY *x = (const HteArmXY *) (s + 2 + HTE_ARMXY_LEN * a);
		const char *why = hte_armxy_check(x);
		double		mx = hte_dd_value(x->mx);

		if (why != NULL)
			return why;
		/* received is 0 or 1: its mean is a share */
		if (x->n > 0 && !(mx >= 0 && mx <= 1))
			return "An arm's share of treatment received is not between 0 and 1.";
	}
	return NULL;
}

bool
hte_late_compute(const HteArmXY *control, const HteArmXY *assigned, HteSeType se,
				 double conf_level, HteLateResult *r)
{
	double		n1 = assigned->n,
				n0 = control->n,
				n = n1 + n0;
	double		beta,
				s1,
				s0,
				v = NAN,
				d;

	if (n == 0)
		return false;
	r->estimate = r->std_error = r->ci_lower = r->ci_upper = r->p_value = NAN;
	r->df = NAN;
	r->itt = r->itt_std_error = r->first_stage = r->first_stage_f = NAN;
	r->n_assigned = n1;
	r->n_control = n0;
	if (!(n1 > 0 && n0 > 0))
		return true;

	/* the intention-to-treat effect and the first stage, with Welch errors */
	r->itt = hte_dd_diff(assigned->my, control->my);
	r->first_stage = hte_dd_diff(assigned->mx, control->mx);
	if (n1 >= 2 && n0 >= 2)
	{
		double		vy = hte_dd_value(assigned->m02) / (n1 - 1) / n1 + hte_dd_value(control->m02) / (n0 - 1) / n0;
		double		vd = hte_dd_value(assigned->m20) / (n1 - 1) / n1 + hte_dd_value(control->m20) / (n0 - 1) / n0;

		r->itt_std_error = sqrt(vy);
		if (vd > 0)
			r->first_stage_f = r->first_stage * r->first_stage / vd;
	}
	if (r->first_stage == 0)
		return true;

	/* the Wald (2SLS) estimate and its residual sums per arm */
	beta = r->itt / r->first_stage;
	if (!isfinite(beta))
		return true;
	r->estimate = beta;
	s1 = hte_dd_value(assigned->m02) - 2 * beta * hte_dd_value(assigned->m11) +
		beta * beta * hte_dd_value(assigned->m20);
	s0 = hte_dd_value(control->m02) - 2 * beta * hte_dd_value(control->m11) +
		beta * beta * hte_dd_value(control->m20);
	s1 = fmax(s1, 0);
	s0 = fmax(s0, 0);
	r->df = n - 2;
	if (!(r->df > 0))
	{
		r->df = NAN;
		return true;
	}
	d = r->first_stage * r->first_stage;
	switch (se)
	{
		case HTE_SE_CLASSICAL:
			v = (s1 + s0) / (n - 2) * n / (n1 * n0 * d);
			break;
		case HTE_SE_HC0:
			v = (s1 / (n1 * n1) + s0 / (n0 * n0)) / d;
			break;
		case HTE_SE_HC1:
			v = (s1 / (n1 * n1) + s0 / (n0 * n0)) / d * n / (n - 2);
			break;
		case HTE_SE_HC2:
			if (n1 >= 2 && n0 >= 2)
				v = (s1 / (n1 * (n1 - 1)) + s0 / (n0 * (n0 - 1))) / d;
			break;
		case HTE_SE_HC3:
			if (n1 >= 2 && n0 >= 2)
				v = (s1 / ((n1 - 1) * (n1 - 1)) + s0 / ((n0 - 1) * (n0 - 1))) / d;
			break;
	}
	if (!(v >= 0) || !isfinite(v))
		return true;
	r->std_error = sqrt(v);
	if (r->std_error > 0)
	{
		double		t = hte_qt((1 + conf_level) / 2, r->df, true);

		r->ci_lower = beta - t * r->std_error;
		r->ci_upper = beta + t * r->std_error;
		r->p_value = 2 * hte_pt(-fabs(beta / r->std_error), r->df, true);
	}
	return true;
}

/* ------------------------------------------------------------------------
 * Allocation check
 * ------------------------------------------------------------------------
 */
const char *
hte_alloc_state_check(const double *s, size_t len)
{
	const char *why;

	if (len != HTE_ALLOC_STATE_LEN)
		return "An allocation_check state has 4 numbers.";
	if (s[0] != HTE_ALLOC_STATE_TAG)
		return "The state's layout tag is not that of an allocation_check state, format 1.";
	if ((why = hte_count_check(s[1])) != NULL || (why = hte_count_check(s[2])) != NULL)
		return why;
	if (!(s[3] > 0 && s[3] < 1))
		return "The expected share is not strictly between 0 and 1.";
	return NULL;
}

bool
hte_alloc_compute(double n1, double n0, double share, HteAllocResult *r)
{
	double		n = n1 + n0,
				e1,
				e0;

	if (n == 0)
		return false;
	e1 = n * share;
	e0 = n * (1 - share);
	r->n_treated = n1;
	r->n_control = n0;
	r->chisq = (n1 - e1) * (n1 - e1) / e1 + (n0 - e0) * (n0 - e0) / e0;
	r->p_value = hte_pchisq(r->chisq, 1, false);
	return true;
}

/* ------------------------------------------------------------------------
 * Sample size of an interaction
 * ------------------------------------------------------------------------
 */
double
hte_sample_size_interaction(double gamma, double sd, double sd_x, double alpha, double power)
{
	double		z = hte_qnorm(1 - alpha / 2, true) + hte_qnorm(power, true);
	double		n;

	if (gamma == 0)
		return NAN;
	n = 4 * sd * sd * z * z / (gamma * gamma * sd_x * sd_x);
	return isfinite(n) ? n : NAN;
}

/* ------------------------------------------------------------------------
 * The noncentral t distribution (AS 243)
 * ------------------------------------------------------------------------
 */
double
hte_pnt(double t, double df, double ncp, bool lower_tail)
{
	double		tt,
				del,
				x,
				tnc;
	bool		reflect;

	if (!(df > 0) || isnan(t) || isnan(ncp))
		return NAN;
	if (isinf(t))
		return (t < 0) == lower_tail ? 0.0 : 1.0;
	/* P(T <= -t; ncp) = P(T >= t; -ncp): work with t >= 0 */
	reflect = t < 0;
	tt = reflect ? -t : t;
	del = reflect ? -ncp : ncp;

	if (df > 4e5 || del * del > 2 * 0.693147180559945309417 * -(DBL_MIN_EXP))
	{
		/* Abramowitz & Stegun 26.7.10 */
		double		s = 1 / (4 * df);
		double		z = (tt * (1 - s) - del) / sqrt(1 + tt * tt * 2 * s);

		return hte_pnorm(z, lower_tail != reflect);
	}

	x = tt * tt / (tt * tt + df);
	tnc = 0;
	if (x > 0)
	{
		/*
		 * Guenther's twin series: the Poisson(λ/2)-weighted incomplete beta
		 * functions of odd and even order, each updated by its recurrence.
		 */
		double		lambda = del * del;
		double		p = 0.5 * exp(-0.5 * lambda);
		double		q,
					s,
					a = 0.5,
					b = 0.5 * df,
					rxb,
					lbeta_ab,
					xodd,
					godd,
					xeven,
					geven;

		if (p == 0)
			return lower_tail != reflect ? 0.0 : 1.0;	/* |ncp| beyond 37.5 */
		q = 0.797884560802865355879892 * p * del;	/* sqrt(2/π) */
		s = 0.5 - p;
		rxb = pow(1 - x, b);
		lbeta_ab = 0.572364942924700087071713 + hte_lgamma(b) - hte_lgamma(0.5 + b); /* log sqrt(π) + ... */
		xodd = hte_pbeta(x, a, b, true);
		godd = 2 * rxb * exp(a * log(x) - lbeta_ab);
		xeven = (b * x < DBL_EPSILON) ? b * x : 1 - rxb;
		geven = b * x * rxb;
		tnc = p * xodd + q * xeven;
		for (int it = 1; it <= 2000; it++)
		{
			a += 1;
			xodd -= godd;
			xeven -= geven;
			godd *= x * (a + b - 1) / a;
			geven *= x * (a + b - 0.5) / (a + 0.5);
			p *= lambda / (2 * it);
			q *= lambda / (2 * it + 1);
			tnc += p * xodd + q * xeven;
			s -= p;
			if (s <= 0 || 2 * s * (xodd - godd) < 1e-15)
				break;
		}
	}
	tnc += hte_pnorm(-del, true);
	if (tnc > 1)
		tnc = 1;
	return lower_tail != reflect ? tnc : 0.5 - tnc + 0.5;
}

/* ------------------------------------------------------------------------
 * power.t.test
 * ------------------------------------------------------------------------
 */
double
hte_power_ate(double n, double delta, double sd, double alpha)
{
	double		nu = fmax(1e-7, n - 1) * 2;
	double		qu = hte_qt(alpha / 2, nu, false);

	return hte_pnt(qu, nu, sqrt(n / 2) * fabs(delta) / sd, false);
}

typedef struct PowerGoal
{
	double		delta,
				sd,
				alpha,
				power;
} PowerGoal;

static double
power_gap(double n, const PowerGoal *g)
{
	double		v = hte_power_ate(n, g->delta, g->sd, g->alpha) - g->power;

	/* uniroot's C side maps ±Inf to ±DBL_MAX */
	if (isinf(v))
		return v > 0 ? DBL_MAX : -DBL_MAX;
	return v;
}

/*
 * Brent's zero finder in Forsythe, Malcolm & Moler's formulation (the
 * netlib zeroin R's uniroot calls): b is the best estimate, c brackets the
 * root with b, a is the previous b; each step takes inverse quadratic (or
 * linear) interpolation when it stays well inside [b, c] and shrinks fast
 * enough, else bisects.
 */
static double
zeroin(double a, double b, double fa, double fb, const PowerGoal *g, double tol, int maxit,
	   void (*check_interrupts) (void))
{
	double		c = a,
				fc = fa;

	if (fa == 0)
		return a;
	if (fb == 0)
		return b;
	for (int i = 0; i <= maxit; i++)
	{
		double		prev_step = b - a;
		double		tol_act,
					new_step;

		if (check_interrupts != NULL)
			check_interrupts();
		if (fabs(fc) < fabs(fb))
		{
			a = b;
			b = c;
			c = a;
			fa = fb;
			fb = fc;
			fc = fa;
		}
		tol_act = 2 * DBL_EPSILON * fabs(b) + tol / 2;
		new_step = (c - b) / 2;
		if (fabs(new_step) <= tol_act || fb == 0)
			return b;
		if (fabs(prev_step) >= tol_act && fabs(fa) > fabs(fb))
		{
			double		cb = c - b,
						p,
						q;

			if (a == c)
			{
				double		t1 = fb / fa;

				p = cb * t1;
				q = 1.0 - t1;
			}
			else
			{
				double		qa = fa / fc,
							t1 = fb / fc,
							t2 = fb / fa;

				p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1.0));
				q = (qa - 1.0) * (t1 - 1.0) * (t2 - 1.0);
			}
			if (p > 0)
				q = -q;
			else
				p = -p;
			if (p < (0.75 * cb * q - fabs(tol_act * q) / 2) && p < fabs(prev_step * q / 2))
				new_step = p / q;
		}
		if (fabs(new_step) < tol_act)
			new_step = new_step > 0 ? tol_act : -tol_act;
		a = b;
		fa = fb;
		b += new_step;
		fb = power_gap(b, g);
		if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0))
		{
			c = a;
			fc = fa;
		}
	}
	return b;					/* R warns that it did not converge */
}

double
hte_sample_size_ate(double delta, double sd, double alpha, double power,
					void (*check_interrupts) (void))
{
	PowerGoal	g = {fabs(delta), sd, alpha, power};
	double		lower = 2,
				upper = 1e7,
				fl,
				fu,
				step;
	const int	maxiter = 1000;
	int			it = 0;

	if (delta == 0)
		return NAN;
	fl = power_gap(lower, &g);
	fu = power_gap(upper, &g);
	/* extendInt = "upX": the function increases; move an end until it does */
	step = 0.01 * fmax(1e-4, fabs(lower));
	while (fl > 0)
	{
		if (++it > maxiter)
			return NAN;
		lower -= step;
		fl = power_gap(lower, &g);
		step *= 2;
	}
	step = 0.01 * fmax(1e-4, fabs(upper));
	while (fu < 0)
	{
		if (++it > maxiter)
			return NAN;
		if (check_interrupts != NULL)
			check_interrupts();
		upper += step;
		fu = power_gap(upper, &g);
		step *= 2;
	}
	if (isnan(fl) || isnan(fu))
		return NAN;
	return zeroin(lower, upper, fl, fu, &g, pow(DBL_EPSILON, 0.25), maxiter, check_interrupts);
}

/* ------------------------------------------------------------------------
 * ate_blocked, ate_clustered
 * ------------------------------------------------------------------------
 */

/*
 * The t interval and p-value of r->estimate with r->std_error and r->df;
 * without degrees of freedom no standard error either, and a standard error
 * of 0 leaves them NULL, as ate does.
 */
static void
t_inference(HteAteResult *r, double conf_level)
{
	double		t;

	r->ci_lower = r->ci_upper = r->p_value = NAN;
	if (!(r->df > 0))
	{
		r->df = r->std_error = NAN;
		return;
	}
	if (!(r->std_error > 0) || !isfinite(r->std_error))
		return;
	t = hte_qt((1 + conf_level) / 2, r->df, true);
	r->ci_lower = r->estimate - t * r->std_error;
	r->ci_upper = r->estimate + t * r->std_error;
	r->p_value = 2 * hte_pt(-fabs(r->estimate / r->std_error), r->df, true);
}

HteBlockStatus
hte_ate_blocked(const HteArm *const *blocks, size_t k, double conf_level, HteAteResult *r,
				bool *pairs, size_t *bad)
{
	double		n_all = 0,
				est = 0,
				m1 = 0,
				m0 = 0,
				var = 0;
	bool		all_pairs = true,
				any_pair = false;

	*pairs = false;
	r->estimate = r->std_error = r->ci_lower = r->ci_upper = r->p_value = r->df = NAN;
	r->mean_treated = r->mean_control = r->sd_treated = r->sd_control = NAN;
	r->n_treated = r->n_control = 0;
	if (k == 0)
		return HTE_BLOCK_OK;
	for (size_t j = 0; j < k; j++)
	{
		double		n = blocks[j][0].n + blocks[j][1].n;

		if (n < 2)
		{
			*bad = j;
			return HTE_BLOCK_ONE_ROW;
		}
		if (blocks[j][0].n == 0 || blocks[j][1].n == 0)
		{
			*bad = j;
			return HTE_BLOCK_EMPTY_ARM;
		}
		if (n == 2)
			any_pair = true;
		else
			all_pairs = false;
		n_all += n;
		r->n_treated += blocks[j][1].n;
		r->n_control += blocks[j][0].n;
	}
	*pairs = any_pair;
	if (!any_pair)
		for (size_t j = 0; j < k; j++)
			if (blocks[j][0].n < 2 || blocks[j][1].n < 2)
			{
				*bad = j;
				return HTE_BLOCK_SINGLETON_ARM;
			}
	(void) all_pairs;
	for (size_t j = 0; j < k; j++)
	{
		double		w = (blocks[j][0].n + blocks[j][1].n) / n_all;
		double		d = hte_dd_diff(blocks[j][1].mean, blocks[j][0].mean);

		est += w * d;
		m1 += w * hte_dd_value(blocks[j][1].mean);
		m0 += w * hte_dd_value(blocks[j][0].mean);
		if (!any_pair)
		{
			double		v1 = hte_dd_value(blocks[j][1].m2) / (blocks[j][1].n - 1) / blocks[j][1].n;
			double		v0 = hte_dd_value(blocks[j][0].m2) / (blocks[j][0].n - 1) / blocks[j][0].n;

			var += w * w * (v1 + v0);
		}
	}
	r->estimate = est;
	r->mean_treated = m1;
	r->mean_control = m0;
	if (any_pair)
	{
		double		ss = 0;

		for (size_t j = 0; j < k; j++)
		{
			double		e = hte_dd_diff(blocks[j][1].mean, blocks[j][0].mean) - est;

			ss += e * e;
		}
		r->df = (double) k - 1;
		r->std_error = k > 1 ? sqrt(ss / ((double) k * ((double) k - 1))) : NAN;
	}
	else
	{
		r->df = n_all - 2 * (double) k;
		r->std_error = sqrt(var);
	}
	t_inference(r, conf_level);
	return HTE_BLOCK_OK;
}

HteBlockStatus
hte_ate_clustered(const HteArm *const *clusters, size_t k, double conf_level, HteAteResult *r,
				  size_t *bad)
{
	HteArm		arm[2];
	double		var = 0,
				tr = 0,
				tr2 = 0;
	size_t		count[2] = {0, 0};

	memset(arm, 0, sizeof arm);
	r->estimate = r->std_error = r->ci_lower = r->ci_upper = r->p_value = r->df = NAN;
	r->mean_treated = r->mean_control = r->sd_treated = r->sd_control = NAN;
	r->n_treated = r->n_control = 0;
	for (size_t g = 0; g < k; g++)
	{
		if (clusters[g][0].n > 0 && clusters[g][1].n > 0)
		{
			*bad = g;
			return HTE_CLUSTER_MIXED;
		}
		for (int a = 0; a < 2; a++)
			if (clusters[g][a].n > 0)
			{
				hte_arm_merge(&arm[a], &clusters[g][a]);
				count[a]++;
			}
	}
	if (arm[0].n + arm[1].n == 0)
		return HTE_BLOCK_OK;
	{
		/* the arms' means and standard deviations, as ate's */
		HteAteResult plain;

		(void) hte_ate_compute(&arm[0], &arm[1], conf_level, &plain);
		r->n_treated = plain.n_treated;
		r->n_control = plain.n_control;
		r->mean_treated = plain.mean_treated;
		r->mean_control = plain.mean_control;
		r->sd_treated = plain.sd_treated;
		r->sd_control = plain.sd_control;
		r->estimate = plain.estimate;
	}
	if (arm[0].n == 0 || arm[1].n == 0)
		return HTE_BLOCK_OK;
	if (count[0] < 2 || count[1] < 2)
		return HTE_BLOCK_OK;	/* CR2 needs two clusters in each arm */
	for (int a = 0; a < 2; a++)
	{
		double		na = arm[a].n,
					su = 0,
					su2 = 0,
					sn2 = 0,
					va = 0;

		for (size_t g = 0; g < k; g++)
		{
			const HteArm *c = &clusters[g][a];
			double		e,
						u;

			if (c->n == 0)
				continue;
			e = hte_dd_diff(c->mean, arm[a].mean);
			va += c->n * c->n * e * e * na / (na - c->n);
			u = c->n * c->n * na / (na - c->n);
			su += u;
			su2 += u * u;
			sn2 += c->n * c->n;
		}
		var += va / (na * na);
		tr += 1 / na;
		tr2 += (sn2 + (su * su - su2) / (na * na)) / (na * na * na * na);
	}
	r->std_error = sqrt(var);
	r->df = tr * tr / tr2;
	t_inference(r, conf_level);
	return HTE_BLOCK_OK;
}
