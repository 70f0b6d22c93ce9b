/*
 * hte_ols.c — least squares over kept rows with sandwich covariances (see
 * hte_ols.h).
 */
#include "hte_ols.h"

#include <math.h>
#include <string.h>

#include "hte_dist.h"
#include "hte_lin.h"
#include "hte_linalg.h"
#include "hte_moments.h"

#define CHUNK 65536

/*
 * From the fit in the centred parametrization (centre c, c[0] = 0;
 * coefficients beta, the inverse cross-product Gi, the meat M, which
 * columns are kept, the residual sum of squares): the covariance of the
 * type, mapped back with the coefficients to the uncentred
 * parametrization, and the t tests.  V and tmp: k x k work.
 */
static void
finish(int k, bool intercept, HteSeType type, double dn, double df, const double *c,
	   double *beta, const double *Gi, const double *M, const bool *kept, double rss,
	   bool lev_ok, double *V, double *tmp, HteOlsResult *out)
{
	/* Ṽ in the centred parametrization */
	if (type == HTE_SE_CLASSICAL)
	{
		double		s2 = df > 0.0 ? rss / df : NAN;

		for (int i = 0; i < k * k; i++)
			V[i] = Gi[i] * s2;
	}
	else
	{
		hte_sandwich(Gi, M, k, V, tmp);
		if (type == HTE_SE_HC1)
		{
			double		f = df > 0.0 ? dn / df : NAN;

			for (int i = 0; i < k * k; i++)
				V[i] *= f;
		}
		if (!lev_ok)
			for (int i = 0; i < k * k; i++)
				V[i] = NAN;
	}

	/*
	 * Back to the uncentred parametrization: J = I − e₀c' (c₀ = 0), so
	 * β₀ = β̃₀ − c'β̃ and V = J Ṽ J': row/column 0 take −Σ c_j (row/column j).
	 */
	if (intercept)
	{
		for (int j = 1; j < k; j++)
			if (kept[j])
				beta[0] -= c[j] * beta[j];
		for (int b = 0; b < k; b++)
		{
			double		s = 0.0;

			for (int j = 1; j < k; j++)
				s += c[j] * V[j * k + b];
			tmp[b] = V[b] - s;	/* row 0 of J Ṽ */
		}
		for (int a = 1; a < k; a++)
		{
			double		s = 0.0;

			for (int j = 1; j < k; j++)
				s += c[j] * V[a * k + j];
			V[a * k] = V[a * k] - s;	/* column 0 of Ṽ J' */
			V[a] = V[a * k];
		}
		{
			double		s = 0.0;

			for (int j = 1; j < k; j++)
				s += tmp[j] * c[j];
			V[0] = tmp[0] - s;
		}
	}

	for (int j = 0; j < k; j++)
	{
		double		se = kept[j] && dn > 0.0 ? sqrt(V[j * k + j]) : NAN,
					t = se > 0.0 ? beta[j] / se : NAN;

		out->estimate[j] = kept[j] && dn > 0.0 ? beta[j] : NAN;
		out->std_error[j] = se;
		out->t_statistic[j] = t;
		out->p_value[j] = isnan(t) || !(df > 0.0) ? NAN :
			2.0 * hte_pt(-fabs(t), df, true);
	}
}

size_t
hte_ols_work_size(int k)
{
	/*
	 * centre, z, G, L, Ginv, meat, V, tmp (k²), rhs, beta, spare; then the
	 * compensated sums of the centre, G, rhs, the meat and the residual
	 * sum of squares (two doubles each)
	 */
	return (size_t) k * 4 + (size_t) k * k * 6 + (size_t) k +
		2 * ((size_t) k * 2 + (size_t) k * k * 2 + 1);
}

bool
hte_ols_fit(const void *ctx, HteOlsRowFn row, size_t n, int k, bool intercept,
			HteSeType type, double *work, HteOlsInterruptFn chk, HteOlsResult *out)
{
	double	   *c = work,
			   *z = c + k,
			   *G = z + k,
			   *L = G + (size_t) k * k,
			   *Gi = L + (size_t) k * k,
			   *M = Gi + (size_t) k * k,
			   *V = M + (size_t) k * k,
			   *tmp = V + (size_t) k * k,
			   *rhs = tmp + (size_t) k * k,
			   *beta = rhs + k;
	/*
	 * Compensated sums, so that the fit hardly depends on the order of the
	 * rows (a parallel or distributed scan, a permuted table): a
	 * coefficient near 0 is a difference of large sums.
	 */
	HteDD	   *cs = (HteDD *) (beta + 2 * k),
			   *Gs = cs + k,
			   *rs = Gs + (size_t) k * k,
			   *Ms = rs + k,
			   *rsss = Ms + (size_t) k * k;
	bool		kept[HTE_OLS_MAX_K] = {0};
	double		y,
				rss,
				dn = (double) n;
	bool		lev_ok = true;

	memset(out, 0, sizeof(*out));
	out->k = k;
	out->n = dn;
	memset(c, 0, sizeof(double) * k);
	memset(G, 0, sizeof(double) * k * k);
	memset(M, 0, sizeof(double) * k * k);
	memset(rhs, 0, sizeof(double) * k);
	memset(cs, 0, sizeof(HteDD) * ((size_t) k * 2 + (size_t) k * k * 2 + 1));

	/* pass 1: the centre (means of the non-intercept columns) */
	if (intercept && n > 0)
	{
		for (size_t i = 0; i < n; i++)
		{
			if (chk != NULL && i % CHUNK == 0)
				chk();
			row(ctx, i, z, &y);
			for (int j = 1; j < k; j++)
				hte_dd_add(&cs[j], z[j]);
		}
		for (int j = 1; j < k; j++)
			c[j] = hte_dd_value(cs[j]) / dn;
	}

	/* pass 2: G = Z̃'Z̃ (lower triangle) and Z̃'y */
	for (size_t i = 0; i < n; i++)
	{
		if (chk != NULL && i % CHUNK == 0)
			chk();
		row(ctx, i, z, &y);
		for (int j = 0; j < k; j++)
			z[j] -= c[j];
		for (int a = 0; a < k; a++)
		{
			for (int b = 0; b <= a; b++)
				hte_dd_add(&Gs[a * k + b], z[a] * z[b]);
			hte_dd_add(&rs[a], z[a] * y);
		}
	}
	for (int a = 0; a < k; a++)
	{
		rhs[a] = hte_dd_value(rs[a]);
		for (int b = 0; b <= a; b++)
			G[a * k + b] = G[b * k + a] = hte_dd_value(Gs[a * k + b]);
	}
	for (int i = 0; i < k * k; i++)
		if (!isfinite(G[i]))
			return false;
	for (int a = 0; a < k; a++)
		if (!isfinite(rhs[a]))
			return false;

	/* lm's aliasing rule compares with the uncentred columns' norms */
	for (int j = 0; j < k; j++)
		tmp[j] = G[j * k + j] + dn * c[j] * c[j];
	out->rank = n > 0 ? hte_chol_ref(G, k, HTE_LM_TOL, tmp, L, kept) : 0;
	if (n == 0)
		memset(kept, 0, sizeof(kept));
	hte_chol_solve(L, kept, k, rhs, beta);
	hte_chol_inverse(L, kept, k, Gi, tmp);
	out->df = dn - out->rank;

	/* pass 3: residuals, leverages, the meat Σ w z̃ z̃' */
	for (size_t i = 0; i < n; i++)
	{
		double		e = 0.0,
					h = 0.0,
					w;

		if (chk != NULL && i % CHUNK == 0)
			chk();
		row(ctx, i, z, &y);
		for (int j = 0; j < k; j++)
			z[j] -= c[j];
		for (int j = 0; j < k; j++)
			if (kept[j])
				e += z[j] * beta[j];
		e = y - e;
		hte_dd_add(rsss, e * e);
		if (type == HTE_SE_CLASSICAL)
			continue;
		w = e * e;
		if (type == HTE_SE_HC2 || type == HTE_SE_HC3)
		{
			for (int a = 0; a < k; a++)
			{
				double		s = 0.0;

				if (!kept[a])
					continue;
				for (int b = 0; b < k; b++)
					s += Gi[a * k + b] * z[b];
				h += z[a] * s;
			}
			if (!(h < 1.0 - 1e-10))
				lev_ok = false;
			else
			{
				w /= 1.0 - h;
				if (type == HTE_SE_HC3)
					w /= 1.0 - h;
			}
		}
		for (int a = 0; a < k; a++)
			for (int b = 0; b <= a; b++)
				hte_dd_add(&Ms[a * k + b], w * z[a] * z[b]);
	}
	for (int a = 0; a < k; a++)
		for (int b = 0; b <= a; b++)
			M[a * k + b] = M[b * k + a] = hte_dd_value(Ms[a * k + b]);
	rss = hte_dd_value(*rsss);
	if (!isfinite(rss))
		return false;

	finish(k, intercept, type, dn, out->df, c, beta, Gi, M, kept, rss, lev_ok, V, tmp, out);
	return true;
}

/* Central moment of degree 2 of variables i and j of an arm summary. */
static double
moment2(const HteMvTable *t, const double *arm, int i, int j)
{
	int			v[2] = {i, j};

	return hte_mv_moment(t, arm, hte_mv_index(t, v, 2));
}

bool
hte_ols_fit_moments(const HteMvTable *t, const double *arm, HteSeType type, double *work,
					HteOlsResult *out)
{
	const int	p = t->p,
				k = p + 1;
	double	   *c = work,
			   *G = c + k,
			   *L = G + (size_t) k * k,
			   *Gi = L + (size_t) k * k,
			   *M = Gi + (size_t) k * k,
			   *V = M + (size_t) k * k,
			   *tmp = V + (size_t) k * k,
			   *rhs = tmp + (size_t) k * k,
			   *beta = rhs + k;
	bool		kept[HTE_OLS_MAX_K] = {0};
	double		dn = arm[0],
				E0,
				E1[HTE_MV_MAX_P],
				E2[HTE_MV_MAX_P * HTE_MV_MAX_P];

	memset(out, 0, sizeof(*out));
	out->k = k;
	out->n = dn;
	memset(G, 0, sizeof(double) * k * k);
	memset(M, 0, sizeof(double) * k * k);
	c[0] = 0.0;
	for (int j = 1; j < k; j++)
		c[j] = hte_dd_value(hte_mv_mean(t, arm, j - 1));
	G[0] = dn;
	rhs[0] = dn * hte_dd_value(hte_mv_mean(t, arm, p));
	for (int a = 1; a < k; a++)
	{
		for (int b = 1; b <= a; b++)
			G[a * k + b] = G[b * k + a] = moment2(t, arm, a - 1, b - 1);
		rhs[a] = moment2(t, arm, a - 1, p);
	}
	for (int i = 0; i < k * k; i++)
		if (!isfinite(G[i]))
			return false;
	for (int j = 0; j < k; j++)
		tmp[j] = G[j * k + j] + dn * c[j] * c[j];
	out->rank = dn > 0.0 ? hte_chol_ref(G, k, HTE_LM_TOL, tmp, L, kept) : 0;
	if (!(dn > 0.0))
		memset(kept, 0, sizeof(kept));
	hte_chol_solve(L, kept, k, rhs, beta);
	hte_chol_inverse(L, kept, k, Gi, tmp);
	out->df = dn - out->rank;

	/* residuals about the fit: e = v − b'u (the intercept absorbs the means) */
	hte_lin_resid_moments(t, arm, beta + 1, 0.0, &E0, E1, E2);
	M[0] = E0;
	for (int a = 1; a < k; a++)
	{
		M[a * k] = M[a] = E1[a - 1];
		for (int b = 1; b < k; b++)
			M[a * k + b] = E2[(a - 1) * p + (b - 1)];
	}
	if (!isfinite(E0))
		return false;
	finish(k, true, type, dn, out->df, c, beta, Gi, M, kept, E0, true, V, tmp, out);
	return true;
}
