/*
 * hte_lin.c — the fully interacted regression y ~ T * Xc from per-arm
 * moments: coefficients, classical and sandwich variances, Lin's adjusted
 * treatment effect and the joint interaction test.  See hte_lin.h.
 */
#include "hte_lin.h"

#include <math.h>
#include <string.h>

#include "hte_ate.h"
#include "hte_dist.h"
#include "hte_linalg.h"
#include "hte_padjust.h"

/* the moment of the monomial with variables v[0..deg-1] (y is var p) */
static double
mom(const HteMvTable *t, const double *arm, int deg, int v0, int v1, int v2, int v3)
{
	int			m = 0,
				v[4] = {v0, v1, v2, v3};

	for (int i = 0; i < deg; i++)
		m = t->mul[(size_t) m * t->nvars + v[i]];
	if (deg == 0)
		return arm[0];
	if (deg == 1)
		return 0.0;
	return hte_mv_moment(t, arm, m);
}

/*
 * Column i of the design in arm g as alpha_i + beta_i u_{var_i}: the
 * constant part and the coefficient of the (single) deviation it contains.
 */
static void
column(const HteLinFit *f, int g, int i, double *alpha, double *beta, int *var)
{
	int			p = f->p;

	*beta = 0.0;
	*var = -1;
	if (i == 0)
		*alpha = 1.0;
	else if (i == 1)
		*alpha = g;
	else if (i < 2 + p)
	{
		*var = i - 2;
		*alpha = f->d[g][*var];
		*beta = 1.0;
	}
	else
	{
		*var = i - 2 - p;
		*alpha = g * f->d[g][*var];
		*beta = g;
	}
}

bool
hte_lin_fit(const HteMvTable *t, const double *const arms[2], HteLinFit *f)
{
	const int	p = t->p,
				K = 2 * (p + 1);
	double		n = arms[0][0] + arms[1][0],
				xty[HTE_LIN_MAX_K],
				dy[2];
	HteDD		ref = hte_mv_mean(t, arms[0], p);

	f->p = p;
	f->K = K;
	f->n[0] = arms[0][0];
	f->n[1] = arms[1][0];
	if (n == 0.0)
		return false;
	if (f->n[0] == 0.0)
		ref = hte_mv_mean(t, arms[1], p);

	/* xbar over all rows, and each arm's offset from it */
	for (int a = 0; a < p; a++)
	{
		HteDD		m0 = hte_mv_mean(t, arms[0], a),
					m1 = hte_mv_mean(t, arms[1], a);
		double		diff = hte_dd_diff(m1, m0);

		/* xbar_1 - xbar = (n0/n) (xbar_1 - xbar_0), and likewise */
		f->d[0][a] = -(f->n[1] / n) * diff;
		f->d[1][a] = (f->n[0] / n) * diff;
	}
	for (int g = 0; g < 2; g++)
		dy[g] = arms[g][0] > 0.0 ? hte_dd_diff(hte_mv_mean(t, arms[g], p), ref) : 0.0;

	memset(f->xtx, 0, sizeof(double) * K * K);
	memset(xty, 0, sizeof(xty));
	for (int g = 0; g < 2; g++)
	{
		double		ng = arms[g][0];

		if (ng == 0.0)
			continue;
		for (int i = 0; i < K; i++)
		{
			double		ai,
						bi;
			int			vi;

			column(f, g, i, &ai, &bi, &vi);
			xty[i] += ng * ai * dy[g] + (vi >= 0 ? bi * mom(t, arms[g], 2, vi, p, 0, 0) : 0.0);
			for (int j = 0; j <= i; j++)
			{
				double		aj,
							bj;
				int			vj;

				column(f, g, j, &aj, &bj, &vj);
				f->xtx[i * K + j] += ng * ai * aj +
					(vi >= 0 && vj >= 0 ? bi * bj * mom(t, arms[g], 2, vi, vj, 0, 0) : 0.0);
			}
		}
	}
	for (int i = 0; i < K; i++)
		for (int j = 0; j < i; j++)
			f->xtx[j * K + i] = f->xtx[i * K + j];

	f->rank = hte_chol(f->xtx, K, HTE_LM_TOL, f->work, f->kept);
	hte_chol_solve(f->work, f->kept, K, xty, f->theta);
	hte_chol_inverse(f->work, f->kept, K, f->xtx_inv, xty);
	f->df = n - f->rank;

	/* per-arm slopes, mean residuals and the residual sum of squares */
	f->rss = 0.0;
	for (int g = 0; g < 2; g++)
	{
		double		ng = arms[g][0],
					fit = f->theta[0] + g * f->theta[1],
					sw2;

		for (int a = 0; a < p; a++)
		{
			f->b[g][a] = f->theta[2 + a] + g * f->theta[2 + p + a];
			fit += f->b[g][a] * f->d[g][a];
		}
		f->r[g] = ng > 0.0 ? fit - dy[g] : 0.0;
		if (ng == 0.0)
			continue;
		sw2 = mom(t, arms[g], 2, p, p, 0, 0);
		for (int c = 0; c < p; c++)
		{
			sw2 -= 2.0 * f->b[g][c] * mom(t, arms[g], 2, c, p, 0, 0);
			for (int e = 0; e < p; e++)
				sw2 += f->b[g][c] * f->b[g][e] * mom(t, arms[g], 2, c, e, 0, 0);
		}
		f->rss += fmax(0.0, sw2) + ng * f->r[g] * f->r[g];
	}
	for (int i = 0; i < K; i++)
		if (!f->kept[i])
			f->theta[i] = NAN;
	return true;
}

void
hte_lin_resid_moments(const HteMvTable *t, const double *A, const double *b, double r,
					  double *E0p, double *E1, double *E2)
{
	const int	p = t->p,
				y = p;
	double		E0,
				sw2,
				swu[HTE_MV_MAX_P];

	/* w = v - b'u:  sum w^2, sum w u_a */
	sw2 = mom(t, A, 2, y, y, 0, 0);
	for (int c = 0; c < p; c++)
	{
		sw2 -= 2.0 * b[c] * mom(t, A, 2, c, y, 0, 0);
		for (int e = 0; e < p; e++)
			sw2 += b[c] * b[e] * mom(t, A, 2, c, e, 0, 0);
	}
	for (int a = 0; a < p; a++)
	{
		swu[a] = mom(t, A, 2, a, y, 0, 0);
		for (int c = 0; c < p; c++)
			swu[a] -= b[c] * mom(t, A, 2, a, c, 0, 0);
	}
	/* e = w - r:  E0 = sum e^2, E1 = sum e^2 u_a, E2 = sum e^2 u_a u_b */
	E0 = fmax(0.0, sw2) + A[0] * r * r;
	for (int a = 0; a < p; a++)
	{
		double		s = mom(t, A, 3, y, y, a, 0);

		for (int c = 0; c < p; c++)
		{
			s -= 2.0 * b[c] * mom(t, A, 3, y, a, c, 0);
			for (int e = 0; e < p; e++)
				s += b[c] * b[e] * mom(t, A, 3, a, c, e, 0);
		}
		E1[a] = s - 2.0 * r * swu[a];
	}
	for (int a = 0; a < p; a++)
		for (int bb = 0; bb <= a; bb++)
		{
			double		s = mom(t, A, 4, y, y, a, bb),
						swab = mom(t, A, 3, y, a, bb, 0);

			for (int c = 0; c < p; c++)
			{
				double		s2 = 0.0;

				s -= 2.0 * b[c] * mom(t, A, 4, y, a, bb, c);
				swab -= b[c] * mom(t, A, 3, a, bb, c, 0);
				for (int e = 0; e < p; e++)
					s2 += b[e] * mom(t, A, 4, a, bb, c, e);
				s += b[c] * s2;
			}
			s += -2.0 * r * swab + r * r * mom(t, A, 2, a, bb, 0, 0);
			E2[a * p + bb] = E2[bb * p + a] = s;
		}
	*E0p = E0;
}

void
hte_lin_meat_hc0(const HteMvTable *t, const double *const arms[2],
				 const HteLinFit *f, double *meat)
{
	const int	p = t->p,
				K = f->K;

	memset(meat, 0, sizeof(double) * K * K);
	for (int g = 0; g < 2; g++)
	{
		const double *A = arms[g];
		const double *b = f->b[g];
		double		r = f->r[g],
					E0,
					E1[HTE_MV_MAX_P],
					E2[HTE_MV_MAX_P * HTE_MV_MAX_P];

		if (A[0] == 0.0)
			continue;
		hte_lin_resid_moments(t, A, b, r, &E0, E1, E2);
		for (int i = 0; i < K; i++)
		{
			double		ai,
						bi;
			int			vi;

			column(f, g, i, &ai, &bi, &vi);
			for (int j = 0; j <= i; j++)
			{
				double		aj,
							bj,
							s;
				int			vj;

				column(f, g, j, &aj, &bj, &vj);
				s = ai * aj * E0;
				if (vj >= 0)
					s += ai * bj * E1[vj];
				if (vi >= 0)
					s += aj * bi * E1[vi];
				if (vi >= 0 && vj >= 0)
					s += bi * bj * E2[vi * p + vj];
				meat[i * K + j] += s;
			}
		}
	}
	for (int i = 0; i < K; i++)
		for (int j = 0; j < i; j++)
			meat[j * K + i] = meat[i * K + j];
}

bool
hte_lin_meat_rows(const HteMvTable *t, const double *const arms[2],
				  const HteLinFit *f, HteSeType type, int g,
				  const double *rows, long count, double *meat)
{
	const int	p = t->p,
				K = f->K,
				nv = p + 1;
	double		z[HTE_LIN_MAX_K] = {0},
				hz[HTE_LIN_MAX_K] = {0};
	HteDD		ybar = hte_mv_mean(t, arms[g], p);

	for (long i = 0; i < count; i++)
	{
		const double *row = rows + (size_t) i * nv;
		double		e = hte_dd_dev(row[p], ybar) - f->r[g],
					h = 0.0,
					w;

		z[0] = 1.0;
		z[1] = g;
		for (int a = 0; a < p; a++)
		{
			double		u = hte_dd_dev(row[a], hte_mv_mean(t, arms[g], a));

			e -= f->b[g][a] * u;
			z[2 + a] = u + f->d[g][a];
			z[2 + p + a] = g * z[2 + a];
		}
		hte_matvec(f->xtx_inv, K, z, hz);
		for (int j = 0; j < K; j++)
			h += z[j] * hz[j];
		if (!(h < 1.0 - 1e-10))
			return false;
		w = e * e / (1.0 - h);
		if (type == HTE_SE_HC3)
			w /= 1.0 - h;
		for (int a2 = 0; a2 < K; a2++)
			for (int b2 = 0; b2 <= a2; b2++)
				meat[a2 * K + b2] += w * z[a2] * z[b2];
	}
	for (int a2 = 0; a2 < K; a2++)
		for (int b2 = 0; b2 < a2; b2++)
			meat[b2 * K + a2] = meat[a2 * K + b2];
	(void) arms;
	return true;
}

bool
hte_lin_vcov(HteLinFit *f, HteSeType type, const double *meat)
{
	const int	K = f->K;
	double		n = f->n[0] + f->n[1];

	if (!(f->df > 0.0))
		return false;
	if (type == HTE_SE_CLASSICAL)
	{
		double		sigma2 = f->rss / f->df;

		for (int i = 0; i < K * K; i++)
			f->vcov[i] = sigma2 * f->xtx_inv[i];
	}
	else
	{
		hte_sandwich(f->xtx_inv, meat, K, f->vcov, f->work);
		if (type == HTE_SE_HC1)
			for (int i = 0; i < K * K; i++)
				f->vcov[i] *= n / f->df;
	}
	return true;
}

void
hte_lin_ate(const HteLinFit *f, bool vcov_ok, double conf_level,
			double unadj_estimate, double unadj_se, HteAteAdjusted *out)
{
	const int	K = f->K;

	out->n_control = f->n[0];
	out->n_treated = f->n[1];
	out->covariates = f->p;
	out->unadjusted_estimate = unadj_estimate;
	out->unadjusted_std_error = unadj_se;
	out->estimate = f->kept[1] ? f->theta[1] : NAN;
	out->std_error = out->ci_lower = out->ci_upper = out->p_value = NAN;
	out->df = f->df > 0.0 ? f->df : NAN;
	out->variance_reduction = NAN;
	if (!f->kept[1] || !vcov_ok)
		return;
	out->std_error = sqrt(fmax(0.0, f->vcov[1 * K + 1]));
	{
		double		half = hte_qt((1.0 - conf_level) / 2.0, f->df, false) * out->std_error;

		out->ci_lower = out->estimate - half;
		out->ci_upper = out->estimate + half;
	}
	if (out->std_error > 0.0)
		out->p_value = fmin(1.0, 2.0 * hte_pt(fabs(out->estimate / out->std_error), f->df, false));
	if (unadj_se > 0.0)
		out->variance_reduction = 1.0 - (out->std_error / unadj_se) * (out->std_error / unadj_se);
}

void
hte_lin_joint(HteLinFit *f, bool vcov_ok, HteJointTest *out)
{
	const int	p = f->p,
				K = f->K;
	int			J[HTE_MV_MAX_P],
				nj = 0;
	double		VJ[HTE_MV_MAX_P * HTE_MV_MAX_P],
				LJ[HTE_MV_MAX_P * HTE_MV_MAX_P],
				gJ[HTE_MV_MAX_P],
				sol[HTE_MV_MAX_P],
				pv[HTE_MV_MAX_P],
				adj[HTE_MV_MAX_P];
	size_t		idx[HTE_MV_MAX_P];
	bool		keptJ[HTE_MV_MAX_P];
	int			npv = 0;

	out->moderators = p;
	out->n_control = f->n[0];
	out->n_treated = f->n[1];
	out->f_statistic = out->df1 = out->p_value = NAN;
	out->chisq_statistic = out->chisq_p_value = NAN;
	out->df2 = f->df > 0.0 ? f->df : NAN;
	for (int a = 0; a < p; a++)
	{
		int			c = 2 + p + a;

		out->interactions[a] = f->kept[c] ? f->theta[c] : NAN;
		out->std_errors[a] = out->p_values[a] = out->p_adjusted[a] = NAN;
		if (f->kept[c])
			J[nj++] = c;
	}
	if (!vcov_ok)
		return;
	for (int a = 0; a < p; a++)
	{
		int			c = 2 + p + a;

		if (!f->kept[c])
			continue;
		out->std_errors[a] = sqrt(fmax(0.0, f->vcov[c * K + c]));
		if (out->std_errors[a] > 0.0)
		{
			out->p_values[a] = fmin(1.0, 2.0 * hte_pt(fabs(out->interactions[a] / out->std_errors[a]),
													  f->df, false));
			pv[npv++] = out->p_values[a];
		}
	}
	/* Holm over the moderators that have a p-value */
	if (npv > 0)
	{
		int			k = 0;

		hte_padjust(pv, (size_t) npv, HTE_PADJ_HOLM, adj, idx);
		for (int a = 0; a < p; a++)
			if (!isnan(out->p_values[a]))
				out->p_adjusted[a] = adj[k++];
	}
	if (nj == 0)
		return;
	for (int i = 0; i < nj; i++)
	{
		gJ[i] = f->theta[J[i]];
		for (int j = 0; j < nj; j++)
			VJ[i * nj + j] = f->vcov[J[i] * K + J[j]];
	}
	/* W = g' V^-1 g; a singular V (some contrast without variance): NULL */
	if (hte_chol(VJ, nj, 1e-12, LJ, keptJ) < nj)
		return;
	hte_chol_solve(LJ, keptJ, nj, gJ, sol);
	{
		double		W = 0.0;

		for (int i = 0; i < nj; i++)
			W += gJ[i] * sol[i];
		out->df1 = nj;
		out->chisq_statistic = W;
		out->f_statistic = W / nj;
		out->chisq_p_value = hte_pchisq(W, nj, false);
		out->p_value = hte_pf(W / nj, nj, f->df, false);
	}
}

void
hte_cuped(const HteArmXY arms[2], double conf_level, HteAteAdjusted *out)
{
	HteArmXY	pooled = arms[0];
	HteArm		a[2],
				cv[2];
	HteAteResult u,
				r;
	double		theta,
				m20;

	out->n_control = arms[0].n;
	out->n_treated = arms[1].n;
	out->covariates = 1;
	out->estimate = out->std_error = out->ci_lower = out->ci_upper = NAN;
	out->p_value = out->df = out->variance_reduction = NAN;
	out->unadjusted_estimate = out->unadjusted_std_error = NAN;

	/* ate() on the same rows, from the outcome's moments */
	for (int g = 0; g < 2; g++)
	{
		a[g].n = arms[g].n;
		a[g].mean = arms[g].my;
		a[g].m2 = arms[g].m02;
	}
	if (hte_ate_compute(&a[0], &a[1], conf_level, &u))
	{
		out->unadjusted_estimate = u.estimate;
		out->unadjusted_std_error = u.std_error;
	}

	hte_armxy_merge(&pooled, &arms[1]);
	m20 = hte_dd_value(pooled.m20);
	if (arms[0].n == 0.0 || arms[1].n == 0.0 || !(m20 > 0.0))
		return;
	theta = hte_dd_value(pooled.m11) / m20;

	/*
	 * y_cv's arm means differ by (ybar_1 - ybar_0) - theta (prebar_1 -
	 * prebar_0); its within-arm sums of squares are M02 - 2 theta M11 +
	 * theta^2 M20.  The control arm is put at 0 and the treated one at the
	 * difference: Welch's statistics depend on the difference only.
	 */
	for (int g = 0; g < 2; g++)
	{
		double		ss = hte_dd_value(arms[g].m02) - 2.0 * theta * hte_dd_value(arms[g].m11) +
			theta * theta * hte_dd_value(arms[g].m20);

		cv[g].n = arms[g].n;
		cv[g].mean.hi = cv[g].mean.lo = 0.0;
		cv[g].m2.hi = fmax(0.0, ss);
		cv[g].m2.lo = 0.0;
	}
	cv[1].mean.hi = hte_dd_diff(arms[1].my, arms[0].my) -
		theta * hte_dd_diff(arms[1].mx, arms[0].mx);
	if (!hte_ate_compute(&cv[0], &cv[1], conf_level, &r))
		return;
	out->estimate = r.estimate;
	out->std_error = r.std_error;
	out->ci_lower = r.ci_lower;
	out->ci_upper = r.ci_upper;
	out->p_value = r.p_value;
	out->df = r.df;
	if (isfinite(r.std_error) && out->unadjusted_std_error > 0.0)
		out->variance_reduction = 1.0 - (r.std_error / out->unadjusted_std_error) *
			(r.std_error / out->unadjusted_std_error);
}

int
hte_cov_state_p(const double *s, size_t len)
{
	double		p;

	if (len < HTE_COV_EMPTY_LEN || s[0] != HTE_COV_STATE_TAG)
		return -1;
	p = s[1];
	if (!(p >= 0.0 && p <= HTE_MV_MAX_P) || p != floor(p))
		return -1;
	if (len == HTE_COV_EMPTY_LEN)
		return p == 0.0 && s[2] == 0.0 && s[3] == 0.0 ? 0 : -1;
	/* the length a state for p has, without building the table */
	if (len != hte_cov_state_len_p((int) p))
		return -1;
	return (int) p;
}

int
hte_cov_stored_p(const double *s, size_t len)
{
	double		p;

	if (len <= HTE_COV_EMPTY_LEN || s[0] != HTE_COV_STATE_TAG)
		return -1;
	p = s[1];
	if (!(p >= 0.0 && p <= HTE_MV_MAX_P) || p != floor(p))
		return -1;
	if (len != hte_cov_stored_len_p((int) p) || s[2] != 0.0 || s[3] != 0.0)
		return -1;
	return (int) p;
}

const char *
hte_cov_state_check(const HteMvTable *t, const double *s)
{
	for (int g = 0; g < 2; g++)
	{
		double		k = s[2 + g];
		const double *arm = hte_cov_arm(t, (double *) s, g);
		const double *buf = hte_cov_buffer(t, (double *) s, g);
		const char *why;

		if (!(k >= 0.0 && k < hte_cov_block(t->p)) || k != floor(k))
			return "An arm's count of buffered rows is not a whole number below the buffer's size.";
		for (size_t i = 0; i < (size_t) k * t->nvars; i++)
			if (!isfinite(buf[i]))
				return "A buffered value is not finite.";
		why = hte_mv_arm_check(t, arm);
		if (why != NULL)
			return why;
		if (arm[0] > HTE_MAX_COUNT - k)
			return "An arm holds more than 2^53 rows.";
	}
	return NULL;
}

void
hte_cov_state_flush(const HteMvTable *t, double *s, int g, double *work)
{
	int			k = (int) s[2 + g];

	if (k > 0)
		hte_mv_push_block(t, hte_cov_arm(t, s, g), hte_cov_buffer(t, s, g), k, work);
	s[2 + g] = 0.0;
}
