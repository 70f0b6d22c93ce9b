/*
 * hte_obs.c — propensity model, ATE/ATT/ATU with the stacked sandwich,
 * overlap and balance.  See hte_obs.h.
 */
#include "hte_obs.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hte_dist.h"
#include "hte_linalg.h"

#define MAX_ITER 100
#define CHECK_EVERY 65536

static inline void
maybe_interrupt(HteInterruptFn f, size_t i)
{
	if (f != NULL && (i & (CHECK_EVERY - 1)) == 0)
		f();
}

int
hte_link_parse(const char *s)
{
	if (strcmp(s, "logit") == 0)
		return HTE_LINK_LOGIT;
	if (strcmp(s, "probit") == 0)
		return HTE_LINK_PROBIT;
	return -1;
}

int
hte_obs_method_parse(const char *s)
{
	if (strcmp(s, "aipw") == 0)
		return HTE_OBS_AIPW;
	if (strcmp(s, "ipw") == 0)
		return HTE_OBS_IPW;
	if (strcmp(s, "ra") == 0)
		return HTE_OBS_RA;
	return -1;
}

const char *
hte_link_name(HteLink l)
{
	return l == HTE_LINK_PROBIT ? "probit" : "logit";
}

const char *
hte_obs_method_name(HteObsMethod m)
{
	return m == HTE_OBS_IPW ? "ipw" : m == HTE_OBS_RA ? "ra" : "aipw";
}

static inline double
dnorm0(double x)
{
	return exp(-0.5 * x * x) * 0.39894228040143267794;	/* 1/sqrt(2 pi) */
}

void
hte_link_prob(HteLink link, double eta, double *p, double *q)
{
	if (link == HTE_LINK_PROBIT)
	{
		*p = hte_pnorm(eta, true);
		*q = hte_pnorm(eta, false);
	}
	else if (eta >= 0.0)
	{
		double		z = exp(-eta);

		*p = 1.0 / (1.0 + z);
		*q = z / (1.0 + z);
	}
	else
	{
		double		z = exp(eta);

		*p = z / (1.0 + z);
		*q = 1.0 / (1.0 + z);
	}
}

/* d p / d eta */
static inline double
link_density(HteLink link, double eta, double p, double q)
{
	return link == HTE_LINK_PROBIT ? dnorm0(eta) : p * q;
}

/* z = (1, x - center) of row i for the treatment model */
static inline void
treat_design(const HteObsRows *r, const double *row, const double *center, double *z)
{
	z[0] = 1.0;
	for (int j = 0; j < r->pt; j++)
		z[1 + j] = row[r->xt_col + j] - center[1 + j];
}

static inline void
outcome_design(const HteObsRows *r, const double *row, const double *center, double *z)
{
	z[0] = 1.0;
	for (int j = 0; j < r->po; j++)
		z[1 + j] = row[r->xo_col + j] - center[1 + j];
}

static inline double
dotk(const double *a, const double *b, int k)
{
	double		s0 = 0.0,
				s1 = 0.0;
	int			j = 0;

	/* two chains of additions: a row's dot products are latency-bound */
	for (; j + 1 < k; j += 2)
	{
		s0 += a[j] * b[j];
		s1 += a[j + 1] * b[j + 1];
	}
	if (j < k)
		s0 += a[j] * b[j];
	return s0 + s1;
}

/*
 * Sums of weighted outer products, S += sum_i w_i z_i z_i' (lower triangle),
 * taken BATCH rows at a time as dot products of columns: one multiply-add
 * per element and pair, in registers (a row-by-row update of S in memory
 * costs several times as much).
 */
#define BATCH 64

typedef struct OuterAcc
{
	double	   *S;
	int			k;
	int			n;				/* rows in the batch */
	double	   *Z;				/* [k][BATCH], column by column */
	double	   *WZ;
} OuterAcc;

static size_t
outer_mem(int k)
{
	return 2 * (size_t) k * BATCH;
}

static void
outer_init(OuterAcc *o, double *S, int k, double *mem)
{
	o->S = S;
	o->k = k;
	o->n = 0;
	o->Z = mem;
	o->WZ = mem + (size_t) k * BATCH;
}

static void
outer_flush(OuterAcc *o)
{
	const int	k = o->k,
				n4 = (o->n + 3) & ~3;

	if (o->n == 0)
		return;
	for (int a = 0; a < k; a++)
		for (int i = o->n; i < n4; i++)
			o->Z[a * BATCH + i] = o->WZ[a * BATCH + i] = 0.0;
	for (int a = 0; a < k; a++)
		for (int b = 0; b <= a; b++)
			o->S[a * k + b] += hte_dot4(o->WZ + a * BATCH, o->Z + b * BATCH, n4);
	o->n = 0;
}

static inline void
outer_add(OuterAcc *o, const double *z, double w)
{
	for (int a = 0; a < o->k; a++)
	{
		o->Z[a * BATCH + o->n] = z[a];
		o->WZ[a * BATCH + o->n] = w * z[a];
	}
	if (++o->n == BATCH)
		outer_flush(o);
}

/*
 * Sums of products S[m][j] += sum_i c_i[m] z_i[j] of M coefficient series
 * and the k columns of z, BATCH rows at a time, as for OuterAcc.
 */
typedef struct CrossAcc
{
	double	   *S;				/* [M][k] */
	int			m,
				k,
				n;
	double	   *C;				/* [M][BATCH] */
	double	   *Z;				/* [k][BATCH] */
} CrossAcc;

static size_t
cross_mem(int m, int k)
{
	return ((size_t) m + (size_t) k) * BATCH;
}

static void
cross_init(CrossAcc *o, double *S, int m, int k, double *mem)
{
	o->S = S;
	o->m = m;
	o->k = k;
	o->n = 0;
	o->C = mem;
	o->Z = mem + (size_t) m * BATCH;
}

static void
cross_flush(CrossAcc *o)
{
	const int	n4 = (o->n + 3) & ~3;

	if (o->n == 0)
		return;
	for (int i = o->n; i < n4; i++)
	{
		for (int a = 0; a < o->m; a++)
			o->C[a * BATCH + i] = 0.0;
		for (int j = 0; j < o->k; j++)
			o->Z[j * BATCH + i] = 0.0;
	}
	for (int a = 0; a < o->m; a++)
		for (int j = 0; j < o->k; j++)
			o->S[a * o->k + j] += hte_dot4(o->C + a * BATCH, o->Z + j * BATCH, n4);
	o->n = 0;
}

static inline void
cross_add(CrossAcc *o, const double *c, const double *z)
{
	for (int a = 0; a < o->m; a++)
		o->C[a * BATCH + o->n] = c[a];
	for (int j = 0; j < o->k; j++)
		o->Z[j * BATCH + o->n] = z[j];
	if (++o->n == BATCH)
		cross_flush(o);
}

static bool
all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return false;
	return true;
}

static void
symmetrize(double *S, int k)
{
	for (int a = 0; a < k; a++)
		for (int b = a + 1; b < k; b++)
			S[a * k + b] = S[b * k + a];
}

/* ------------------------------------------------------------------------
 * The propensity model
 * ------------------------------------------------------------------------
 */

/* work: center, coef_c, coef, se, spare (k doubles each), 4 k^2 + 4 k, a batch */
size_t
hte_glm_work_size(int k)
{
	return 5 * (size_t) k + 4 * (size_t) k * (size_t) k + 4 * (size_t) k + outer_mem(k);
}

/*
 * One pass at coefficients b: the log-likelihood and, if I is not NULL,
 * the expected information I (lower triangle) and the score g.  Returns
 * false when a fitted probability is 0 or 1 or a weight is not finite;
 * *rounds_to_1 says whether a probability or its complement rounded to 1.
 */
static bool
glm_pass(const HteObsRows *r, HteLink link, const double *center, const double *b,
		 double *ll, double *I, double *g, double *z, double *batch, bool *rounds_to_1,
		 HteInterruptFn chk)
{
	const int	k = r->pt + 1;
	double		sum = 0.0;
	bool		ok = true;
	OuterAcc	acc;

	if (I != NULL)
	{
		memset(I, 0, sizeof(double) * k * k);
		memset(g, 0, sizeof(double) * k);
		outer_init(&acc, I, k, batch);
	}
	for (size_t i = 0; i < r->n; i++)
	{
		const double *row = r->v + i * (size_t) r->width;
		double		eta,
					p,
					q,
					f;
		bool		t = row[r->t_col] != 0.0;

		maybe_interrupt(chk, i);
		treat_design(r, row, center, z);
		eta = dotk(b, z, k);
		hte_link_prob(link, eta, &p, &q);
		if (!(p > 0.0 && q > 0.0))
		{
			ok = false;
			sum += t ? (p > 0.0 ? log(p) : -INFINITY) : (q > 0.0 ? log(q) : -INFINITY);
			continue;
		}
		sum += t ? log(p) : log(q);
		if (p == 1.0 || q == 1.0)
			*rounds_to_1 = true;
		if (I != NULL)
		{
			double		w,
						s;

			f = link_density(link, eta, p, q);
			w = (f / p) * (f / q);
			s = t ? f / p : -f / q;
			if (!(isfinite(w) && w > 0.0))
			{
				ok = false;
				continue;
			}
			outer_add(&acc, z, w);
			for (int j = 0; j < k; j++)
				g[j] += s * z[j];
		}
	}
	if (I != NULL)
		outer_flush(&acc);
	*ll = sum;
	return ok;
}

void
hte_glm_fit(const HteObsRows *r, HteLink link, HteGlmFit *fit, double *work,
			HteInterruptFn chk)
{
	const int	k = r->pt + 1;
	double	   *center = work,
			   *coef_c = center + k,
			   *coef = coef_c + k,
			   *se = coef + k,
			   *I = se + k + k,
			   *L = I + (size_t) k * k,
			   *V = L + (size_t) k * k,
			   *W = V + (size_t) k * k,
			   *g = W + (size_t) k * k,
			   *step = g + k,
			   *old = step + k,
			   *z = old + k,
			   *batch = z + k;
	bool	   *kept = fit->kept;
	double		ll = -INFINITY,
				lambda_prev = INFINITY;
	bool		edge = false;		/* not used before the final pass */
	uint64_t	n1 = 0;

	memset(fit, 0, sizeof(*fit));
	fit->k = k;
	fit->link = link;
	fit->coef = coef;
	fit->se = se;
	fit->center = center;
	fit->coef_c = coef_c;

	/* column means (the fit is on centred columns), and the arms */
	memset(center, 0, sizeof(double) * k);
	for (size_t i = 0; i < r->n; i++)
	{
		const double *row = r->v + i * (size_t) r->width;

		maybe_interrupt(chk, i);
		n1 += row[r->t_col] != 0.0;
		for (int j = 0; j < r->pt; j++)
			center[1 + j] += row[r->xt_col + j];
	}
	for (int j = 1; j < k; j++)
		center[j] /= (double) r->n;
	fit->n1 = n1;
	fit->n0 = r->n - n1;
	if (n1 == 0 || n1 == r->n)
	{
		fit->status = HTE_GLM_ONE_ARM;
		return;
	}

	/* start from the marginal probability */
	memset(coef_c, 0, sizeof(double) * k);
	{
		double		pbar = (double) n1 / (double) r->n;

		coef_c[0] = link == HTE_LINK_PROBIT ? hte_qnorm(pbar, true) : log(pbar / (1.0 - pbar));
	}

	for (int it = 1; it <= MAX_ITER; it++)
	{
		double		ll_new,
					lambda;
		bool		ok = glm_pass(r, link, center, coef_c, &ll_new, I, g, z, batch, &edge, chk);

		/* a step that lowered the likelihood: halve it (up to 30 times) */
		for (int h = 0; ok && it > 1 && ll_new < ll - 1e-12 * fabs(ll) && h < 30; h++)
		{
			for (int j = 0; j < k; j++)
			{
				step[j] *= 0.5;
				coef_c[j] = old[j] + step[j];
			}
			ok = glm_pass(r, link, center, coef_c, &ll_new, I, g, z, batch, &edge, chk);
		}
		fit->iterations = it;
		if (!ok)
		{
			fit->status = HTE_GLM_NO_CONVERGENCE;
			return;
		}
		ll = ll_new;
		if (!all_finite(I, (size_t) k * k) || !all_finite(g, (size_t) k))
		{
			fit->status = HTE_GLM_OVERFLOW;
			return;
		}
		fit->rank = hte_chol(I, k, HTE_LM_TOL, L, kept);
		hte_chol_solve(L, kept, k, g, step);
		/* the Newton decrement: twice the gain this step promises */
		lambda = dotk(g, step, k);
		memcpy(old, coef_c, sizeof(double) * k);
		for (int j = 0; j < k; j++)
			coef_c[j] += step[j];
		if (lambda <= 1e-24 * (1.0 + fabs(ll)) ||
			(lambda <= 1e-14 * (1.0 + fabs(ll)) && lambda >= 0.5 * lambda_prev))
		{
			fit->converged = true;
			break;
		}
		lambda_prev = lambda;
	}
	if (!fit->converged)
	{
		fit->status = HTE_GLM_NO_CONVERGENCE;
		return;
	}

	/* at the final coefficients: likelihood, information, boundary */
	edge = false;
	if (!glm_pass(r, link, center, coef_c, &fit->loglik, I, g, z, batch, &edge, chk) || edge)
	{
		fit->status = HTE_GLM_BOUNDARY;
		return;
	}
	fit->rank = hte_chol(I, k, HTE_LM_TOL, L, kept);
	hte_chol_inverse(L, kept, k, V, step);

	/* back to the original scale: b_0 = c_0 - sum_j m_j c_j */
	coef[0] = coef_c[0];
	for (int j = 1; j < k; j++)
		if (kept[j])
			coef[0] -= center[j] * coef_c[j];
	for (int j = 0; j < k; j++)
	{
		if (!kept[j])
			coef_c[j] = 0.0;
		coef[j] = !kept[j] ? NAN : j == 0 ? coef[0] : coef_c[j];
		se[j] = kept[j] ? sqrt(V[j * k + j]) : NAN;
	}
	if (kept[0])
	{
		/* var(c' b) with c = (1, -m) */
		double		v = 0.0;

		for (int a = 0; a < k; a++)
			for (int b = 0; b < k; b++)
			{
				double		ca = a == 0 ? 1.0 : -center[a],
							cb = b == 0 ? 1.0 : -center[b];

				v += ca * V[a * k + b] * cb;
			}
		se[0] = sqrt(fmax(v, 0.0));
	}
	fit->status = HTE_GLM_OK;
}

double
hte_glm_row_prob(const HteGlmFit *fit, const HteObsRows *r, size_t i, double *q)
{
	const double *row = r->v + i * (size_t) r->width;
	double		eta = fit->coef_c[0],
				p;

	for (int j = 0; j < r->pt; j++)
		eta += fit->coef_c[1 + j] * (row[r->xt_col + j] - fit->center[1 + j]);
	hte_link_prob(fit->link, eta, &p, q);
	return p;
}

/* ------------------------------------------------------------------------
 * The estimands
 * ------------------------------------------------------------------------
 */

#define NPOM 6					/* ATE1, ATE0, ATT1, ATT0, ATU1, ATU0 */

/*
 * Row i's terms of the six potential-outcome equations psi = a - c mu:
 * a, c, their derivatives in e (times de/dg = f z_t, the chain rule does
 * the rest), and the coefficient of z_o in da/db for the arm `barm`
 * (-1: none).  y, m0, m1 are centred at the outcome mean.
 */
typedef struct PomTerms
{
	double		a,
				c,
				da_de,
				dc_de,
				dbeta;
	int			barm;
} PomTerms;

static void
pom_terms(HteObsMethod method, bool t, double y, double e, double q, double m0, double m1,
		  PomTerms P[NPOM])
{
	double		T = t ? 1.0 : 0.0,
				C = 1.0 - T;

	memset(P, 0, sizeof(PomTerms) * NPOM);
	for (int k = 0; k < NPOM; k++)
		P[k].barm = -1;
	switch (method)
	{
		case HTE_OBS_RA:
			/* ATE: c = 1; ATT: c = T; ATU: c = 1 - T; a = c m_j */
			{
				double		cc[3] = {1.0, T, C};

				for (int pop = 0; pop < 3; pop++)
				{
					P[2 * pop].a = cc[pop] * m1;
					P[2 * pop].c = cc[pop];
					P[2 * pop].dbeta = cc[pop];
					P[2 * pop].barm = 1;
					P[2 * pop + 1].a = cc[pop] * m0;
					P[2 * pop + 1].c = cc[pop];
					P[2 * pop + 1].dbeta = cc[pop];
					P[2 * pop + 1].barm = 0;
				}
			}
			break;
		case HTE_OBS_IPW:
			/* weighted means: a = c y */
			P[0].c = T / e;
			P[0].dc_de = -T / (e * e);
			P[1].c = C / q;
			P[1].dc_de = C / (q * q);
			P[2].c = T;
			P[3].c = C * e / q;
			P[3].dc_de = C / (q * q);
			P[4].c = T * q / e;
			P[4].dc_de = -T / (e * e);
			P[5].c = C;
			for (int k = 0; k < NPOM; k++)
			{
				P[k].a = P[k].c * y;
				P[k].da_de = P[k].dc_de * y;
			}
			break;
		case HTE_OBS_AIPW:
			/* ATE */
			P[0].a = m1 + T * (y - m1) / e;
			P[0].c = 1.0;
			P[0].da_de = -T * (y - m1) / (e * e);
			P[0].dbeta = 1.0 - T / e;
			P[0].barm = 1;
			P[1].a = m0 + C * (y - m0) / q;
			P[1].c = 1.0;
			P[1].da_de = C * (y - m0) / (q * q);
			P[1].dbeta = 1.0 - C / q;
			P[1].barm = 0;
			/* ATT */
			P[2].a = T * y;
			P[2].c = T;
			P[3].a = T * m0 + C * (e / q) * (y - m0);
			P[3].c = T;
			P[3].da_de = C * (y - m0) / (q * q);
			P[3].dbeta = T - C * e / q;
			P[3].barm = 0;
			/* ATU */
			P[4].a = C * m1 + T * (q / e) * (y - m1);
			P[4].c = C;
			P[4].da_de = -T * (y - m1) / (e * e);
			P[4].dbeta = C - T * q / e;
			P[4].barm = 1;
			P[5].a = C * y;
			P[5].c = C;
			break;
	}
}

/*
 * work: GLM (hte_glm_work_size(kt)), outcome centre (ko), y centre, two
 * OLS systems (2 ko^2 Gram, 2 ko^2 factors, 2 ko beta, 2 ko rhs, 2 kept),
 * the sums for A (NPOM (2 kt + ko)), u and v (NPOM (kt + ko)), scratch.
 */
size_t
hte_obs_work_size(int po, int pt)
{
	size_t		kt = (size_t) pt + 1,
				ko = (size_t) po + 1;

	return hte_glm_work_size((int) kt) + ko + 1 + 4 * ko * ko + 8 * ko +
		NPOM * (2 * kt + ko) + NPOM * (kt + ko) + 4 * (kt + ko) + kt * kt * 2 +
		outer_mem((int) kt) + 2 * outer_mem((int) ko) + cross_mem(2 * NPOM, (int) kt) +
		cross_mem(NPOM, (int) ko);
}

HteObsStatus
hte_obs_estimands(const HteObsRows *r, HteObsMethod method, HteLink link,
				  HteEstimand out[4], HteGlmFit *fit, double *work,
				  HteInterruptFn chk)
{
	const int	kt = r->pt + 1,
				ko = r->po + 1;
	const bool	use_ps = method != HTE_OBS_RA,
				use_or = method != HTE_OBS_IPW;
	double	   *w = work + hte_glm_work_size(kt);
	double	   *ocenter = w,
			   *G = ocenter + ko,		/* [2][ko*ko] Gram per arm (sum, not mean) */
			   *LG = G + 2 * (size_t) ko * ko,
			   *beta = LG + 2 * (size_t) ko * ko,	/* [2][ko] */
			   *rhs = beta + 2 * (size_t) ko,
			   *keptd = rhs + 2 * (size_t) ko,	/* [2][ko] bools */
			   *Sa = keptd + 2 * (size_t) ko,	/* [NPOM][kt] */
			   *Sc = Sa + NPOM * (size_t) kt,
			   *Sb = Sc + NPOM * (size_t) kt,	/* [NPOM][ko] */
			   *u = Sb + NPOM * (size_t) ko,	/* [NPOM][kt] */
			   *v = u + NPOM * (size_t) kt,	/* [NPOM][ko] */
			   *zt = v + NPOM * (size_t) ko,
			   *zo = zt + kt,
			   *tmp = zo + ko,
			   *Mg = tmp + kt + ko + kt + ko,	/* [kt*kt] observed information */
			   *LM = Mg + (size_t) kt * kt,
			   *bmem = LM + (size_t) kt * kt;	/* batches: Mg, then G of each arm */
	OuterAcc	accM,
				accG[2];
	CrossAcc	accA,
				accB;
	bool		kept0[HTE_OBS_MAX_P + 1],
				kept1[HTE_OBS_MAX_P + 1],
				keptg[HTE_OBS_MAX_P + 1];
	bool	   *kept[2] = {kept0, kept1};
	double		sum_a[NPOM] = {0},
				sum_c[NPOM] = {0},
				mu[NPOM],
				ss[4] = {0},
				ybar = 0.0;
	uint64_t	n1 = 0;
	double		n = (double) r->n;

	for (int e = 0; e < 4; e++)
		out[e].estimate = out[e].std_error = out[e].po_treated = out[e].po_control = NAN;
	memset(fit, 0, sizeof(*fit));

	/* means of y and of the outcome covariates; the arms */
	memset(ocenter, 0, sizeof(double) * ko);
	for (size_t i = 0; i < r->n; i++)
	{
		const double *row = r->v + i * (size_t) r->width;

		maybe_interrupt(chk, i);
		n1 += row[r->t_col] != 0.0;
		ybar += row[r->y_col];
		for (int j = 0; j < r->po; j++)
			ocenter[1 + j] += row[r->xo_col + j];
	}
	if (n1 == 0 || n1 == r->n)
		return HTE_OBS_EMPTY_ARM;
	ybar /= n;
	for (int j = 1; j < ko; j++)
		ocenter[j] /= n;

	if (use_ps)
	{
		hte_glm_fit(r, link, fit, work, chk);
		if (fit->status != HTE_GLM_OK)
			return HTE_OBS_GLM_FAILED;
	}
	else
	{
		fit->n1 = n1;
		fit->n0 = r->n - n1;
	}

	/* the per-arm OLS fits on centred covariates and outcome */
	memset(G, 0, sizeof(double) * 2 * ko * ko);
	memset(rhs, 0, sizeof(double) * 2 * ko);
	memset(beta, 0, sizeof(double) * 2 * ko);
	if (use_or)
	{
		for (int g = 0; g < 2; g++)
			outer_init(&accG[g], G + (size_t) g * ko * ko, ko,
					   bmem + outer_mem(kt) + (size_t) g * outer_mem(ko));
		for (size_t i = 0; i < r->n; i++)
		{
			const double *row = r->v + i * (size_t) r->width;
			int			g = row[r->t_col] != 0.0;
			double		y = row[r->y_col] - ybar;

			maybe_interrupt(chk, i);
			outcome_design(r, row, ocenter, zo);
			outer_add(&accG[g], zo, 1.0);
			for (int j = 0; j < ko; j++)
				rhs[g * ko + j] += y * zo[j];
		}
		outer_flush(&accG[0]);
		outer_flush(&accG[1]);
		if (!all_finite(G, 2 * (size_t) ko * ko) || !all_finite(rhs, 2 * (size_t) ko))
			return HTE_OBS_OVERFLOW;
		for (int g = 0; g < 2; g++)
		{
			symmetrize(G + (size_t) g * ko * ko, ko);
			(void) hte_chol(G + (size_t) g * ko * ko, ko, HTE_LM_TOL, LG + (size_t) g * ko * ko,
							kept[g]);
			hte_chol_solve(LG + (size_t) g * ko * ko, kept[g], ko, rhs + g * ko, beta + g * ko);
		}
	}

	/* pass 1: the means, the observed information, the sums for A */
	memset(Sa, 0, sizeof(double) * NPOM * kt);
	memset(Sc, 0, sizeof(double) * NPOM * kt);
	memset(Sb, 0, sizeof(double) * NPOM * ko);
	memset(Mg, 0, sizeof(double) * kt * kt);
	outer_init(&accM, Mg, kt, bmem);
	/* Sc follows Sa: one sum of 2 NPOM series */
	cross_init(&accA, Sa, 2 * NPOM, kt, bmem + outer_mem(kt) + 2 * outer_mem(ko));
	cross_init(&accB, Sb, NPOM, ko, bmem + outer_mem(kt) + 2 * outer_mem(ko) + cross_mem(2 * NPOM, kt));
	for (size_t i = 0; i < r->n; i++)
	{
		const double *row = r->v + i * (size_t) r->width;
		bool		t = row[r->t_col] != 0.0;
		double		y = row[r->y_col] - ybar,
					e = 0.5,
					q = 0.5,
					f = 0.0,
					m0 = 0.0,
					m1 = 0.0;
		PomTerms	P[NPOM];

		maybe_interrupt(chk, i);
		if (use_ps)
		{
			double		eta;

			treat_design(r, row, fit->center, zt);
			eta = dotk(fit->coef_c, zt, kt);
			hte_link_prob(link, eta, &e, &q);
			f = link_density(link, eta, e, q);
			if (link == HTE_LINK_LOGIT)
				outer_add(&accM, zt, e * q);
			else
			{
				/* the observed information of the probit log-likelihood */
				double		lam = t ? f / e : f / q,
							h = t ? lam * (eta + lam) : lam * (lam - eta);

				outer_add(&accM, zt, h);
			}
		}
		if (use_or)
		{
			outcome_design(r, row, ocenter, zo);
			m0 = dotk(beta, zo, ko);
			m1 = dotk(beta + ko, zo, ko);
		}
		pom_terms(method, t, y, e, q, m0, m1, P);
		for (int k = 0; k < NPOM; k++)
		{
			sum_a[k] += P[k].a;
			sum_c[k] += P[k].c;
		}
		if (use_ps)
		{
			double		c[2 * NPOM];

			for (int k = 0; k < NPOM; k++)
			{
				c[k] = P[k].da_de * f;	/* Sa: the rows of Sa, then of Sc */
				c[NPOM + k] = P[k].dc_de * f;
			}
			cross_add(&accA, c, zt);
		}
		if (use_or)
		{
			double		c[NPOM];

			for (int k = 0; k < NPOM; k++)
				c[k] = P[k].barm >= 0 ? P[k].dbeta : 0.0;
			cross_add(&accB, c, zo);
		}
	}
	outer_flush(&accM);
	cross_flush(&accA);
	cross_flush(&accB);
	for (int k = 0; k < NPOM; k++)
		mu[k] = sum_a[k] / sum_c[k];

	/* u_k = M_g^-1 A_kg, v_k = M_j^-1 A_kb (means: the n's cancel) */
	memset(u, 0, sizeof(double) * NPOM * kt);
	memset(v, 0, sizeof(double) * NPOM * ko);
	if (use_ps)
	{
		(void) hte_chol(Mg, kt, HTE_LM_TOL, LM, keptg);
		for (int k = 0; k < NPOM; k++)
		{
			for (int j = 0; j < kt; j++)
				tmp[j] = Sa[k * kt + j] - mu[k] * Sc[k * kt + j];
			hte_chol_solve(LM, keptg, kt, tmp, u + k * kt);
		}
	}
	if (use_or)
	{
		PomTerms	P[NPOM];

		/* which arm each equation's outcome model is: fixed per method */
		pom_terms(method, true, 0.0, 0.5, 0.5, 0.0, 0.0, P);
		for (int k = 0; k < NPOM; k++)
			if (P[k].barm >= 0)
				hte_chol_solve(LG + (size_t) P[k].barm * ko * ko, kept[P[k].barm], ko,
							   Sb + k * ko, v + k * ko);
	}

	/*
	 * pass 2: each row's influence on the six means, and the sums of
	 * squares of the four contrasts.  M_g and the Grams above are sums, not
	 * means, and so are the A sums: phi = (psi + A phi_g + A phi_b) / cbar
	 * with A phi_g = (S/n)(M/n)^-1 psi_g = S M^-1 psi_g.
	 */
	for (size_t i = 0; i < r->n; i++)
	{
		const double *row = r->v + i * (size_t) r->width;
		bool		t = row[r->t_col] != 0.0;
		double		y = row[r->y_col] - ybar,
					e = 0.5,
					q = 0.5,
					s = 0.0,
					m0 = 0.0,
					m1 = 0.0,
					res[2] = {0.0, 0.0},
					phi[NPOM];
		PomTerms	P[NPOM];

		maybe_interrupt(chk, i);
		if (use_ps)
		{
			double		eta,
						f;

			treat_design(r, row, fit->center, zt);
			eta = dotk(fit->coef_c, zt, kt);
			hte_link_prob(link, eta, &e, &q);
			f = link_density(link, eta, e, q);
			s = t ? f / e : -f / q;		/* psi_g = s z_t */
		}
		if (use_or)
		{
			outcome_design(r, row, ocenter, zo);
			m0 = dotk(beta, zo, ko);
			m1 = dotk(beta + ko, zo, ko);
			res[t ? 1 : 0] = y - (t ? m1 : m0);	/* psi_bj = [T = j] res z_o */
		}
		pom_terms(method, t, y, e, q, m0, m1, P);
		{
			/* u_k . z_t and v_k . z_o for every k: six chains at once */
			double		uz[NPOM] = {0},
						vz[NPOM] = {0};

			if (use_ps)
				for (int j = 0; j < kt; j++)
					for (int k = 0; k < NPOM; k++)
						uz[k] += u[k * kt + j] * zt[j];
			if (use_or)
				for (int j = 0; j < ko; j++)
					for (int k = 0; k < NPOM; k++)
						vz[k] += v[k * ko + j] * zo[j];
			for (int k = 0; k < NPOM; k++)
			{
				double		psi = P[k].a - P[k].c * mu[k];

				if (use_ps)
					psi += uz[k] * s;
				if (use_or && P[k].barm >= 0)
					psi += vz[k] * res[P[k].barm];
				phi[k] = psi / (sum_c[k] / n);
			}
		}
		{
			double		d_ate = phi[0] - phi[1],
						d_att = phi[2] - phi[3],
						d_atu = phi[4] - phi[5],
						d_diff = d_att - d_atu;

			ss[0] += d_ate * d_ate;
			ss[1] += d_att * d_att;
			ss[2] += d_atu * d_atu;
			ss[3] += d_diff * d_diff;
		}
	}

	for (int pop = 0; pop < 3; pop++)
	{
		out[pop].estimate = mu[2 * pop] - mu[2 * pop + 1];
		out[pop].po_treated = mu[2 * pop] + ybar;
		out[pop].po_control = mu[2 * pop + 1] + ybar;
		out[pop].std_error = sqrt(ss[pop]) / n;
	}
	out[HTE_OBS_DIFF].estimate = out[HTE_OBS_ATT].estimate - out[HTE_OBS_ATU].estimate;
	out[HTE_OBS_DIFF].std_error = sqrt(ss[3]) / n;
	return HTE_OBS_OK;
}

/* ------------------------------------------------------------------------
 * Diagnostics
 * ------------------------------------------------------------------------
 */

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

double
hte_crump_alpha(const double *ps, size_t n, double *gam)
{
	double		total = 0.0,
				prefix;

	if (n == 0)
		return NAN;
	for (size_t i = 0; i < n; i++)
	{
		gam[i] = 1.0 / (ps[i] * (1.0 - ps[i]));
		total += gam[i];
	}
	qsort(gam, n, sizeof(double), cmp_double);
	if (gam[n - 1] <= 2.0 * total / (double) n)
		return 0.0;

	/*
	 * With c = 1/(alpha (1 - alpha)) the equation is c = 2 mean(gam | gam
	 * <= c).  On [gam_(m), gam_(m+1)) the right side is the constant
	 * 2 S_m / m; the largest root (the least trimming) is found scanning m
	 * down from n - 1.
	 */
	prefix = total - gam[n - 1];
	for (size_t m = n - 1; m >= 1; m--)
	{
		double		c = 2.0 * prefix / (double) m;

		if (gam[m - 1] < gam[m] && c >= gam[m - 1] && c < gam[m])
			return 0.5 - sqrt(fmax(0.25 - 1.0 / c, 0.0));
		prefix -= gam[m - 1];
	}
	return NAN;					/* cannot happen: see the comment above */
}

void
hte_obs_overlap(const HteObsRows *r, const HteGlmFit *fit, double *ps,
				HteOverlap *out, HteInterruptFn chk)
{
	double		sw[2] = {0, 0},
				sw2[2] = {0, 0},
				alpha;

	memset(out, 0, sizeof(*out));
	out->ps_min[0] = out->ps_min[1] = INFINITY;
	out->ps_max[0] = out->ps_max[1] = -INFINITY;
	for (size_t i = 0; i < r->n; i++)
	{
		int			g = r->v[i * (size_t) r->width + r->t_col] != 0.0;
		double		q,
					e = hte_glm_row_prob(fit, r, i, &q),
					wt = g ? 1.0 / e : 1.0 / q;

		maybe_interrupt(chk, i);
		ps[i] = e;
		out->ps_min[g] = fmin(out->ps_min[g], e);
		out->ps_max[g] = fmax(out->ps_max[g], e);
		out->n_below += e < 0.1;
		out->n_above += e > 0.9;
		sw[g] += wt;
		sw2[g] += wt * wt;
		out->max_weight = fmax(out->max_weight, wt);
	}
	for (int g = 0; g < 2; g++)
	{
		out->ess[g] = sw[g] * sw[g] / sw2[g];
		if (!isfinite(out->ps_min[g]))
			out->ps_min[g] = out->ps_max[g] = NAN;
	}
	/* ps is reused for gam: keep the propensities in the caller's order */
	alpha = hte_crump_alpha(ps, r->n, ps);
	out->crump_alpha = alpha;
	for (size_t i = 0; i < r->n && alpha > 0.0; i++)
	{
		double		q,
					e = hte_glm_row_prob(fit, r, i, &q);

		maybe_interrupt(chk, i);
		out->n_outside_crump += e < alpha || e > 1.0 - alpha;
	}
}

void
hte_obs_balance(const HteObsRows *r, const HteGlmFit *fit, int estimand,
				double *ps, HteBalance *out, HteInterruptFn chk)
{
	double		sw[2] = {0, 0},
				sw2[2] = {0, 0};
	double		cnt[2] = {0, 0};

	for (size_t i = 0; i < r->n; i++)
	{
		int			g = r->v[i * (size_t) r->width + r->t_col] != 0.0;
		double		q,
					e = hte_glm_row_prob(fit, r, i, &q),
					wt;

		maybe_interrupt(chk, i);
		if (estimand == HTE_OBS_ATT)
			wt = g ? 1.0 : e / q;
		else if (estimand == HTE_OBS_ATU)
			wt = g ? q / e : 1.0;
		else
			wt = g ? 1.0 / e : 1.0 / q;
		ps[i] = wt;
		sw[g] += wt;
		sw2[g] += wt * wt;
		cnt[g] += 1.0;
	}
	for (int j = 0; j < r->pt; j++)
	{
		double		s[2] = {0, 0},
					swx[2] = {0, 0},
					m[2],
					mw[2],
					ss[2] = {0, 0},
					ssw[2] = {0, 0},
					var[2],
					varw[2],
					pooled;
		HteBalance *b = &out[j];

		for (size_t i = 0; i < r->n; i++)
		{
			const double *row = r->v + i * (size_t) r->width;
			int			g = row[r->t_col] != 0.0;
			double		x = row[r->xt_col + j];

			maybe_interrupt(chk, i);
			s[g] += x;
			swx[g] += ps[i] * x;
		}
		for (int g = 0; g < 2; g++)
		{
			m[g] = s[g] / cnt[g];
			mw[g] = swx[g] / sw[g];
		}
		for (size_t i = 0; i < r->n; i++)
		{
			const double *row = r->v + i * (size_t) r->width;
			int			g = row[r->t_col] != 0.0;
			double		x = row[r->xt_col + j],
						d = x - m[g],
						dw = x - mw[g];

			ss[g] += d * d;
			ssw[g] += ps[i] * dw * dw;
		}
		for (int g = 0; g < 2; g++)
		{
			var[g] = cnt[g] > 1.0 ? ss[g] / (cnt[g] - 1.0) : NAN;
			varw[g] = ssw[g] / (sw[g] - sw2[g] / sw[g]);
			b->mean[g] = m[g];
		}
		pooled = sqrt((var[0] + var[1]) / 2.0);
		b->smd = pooled > 0.0 ? (m[1] - m[0]) / pooled : NAN;
		b->smd_weighted = pooled > 0.0 ? (mw[1] - mw[0]) / pooled : NAN;
		b->variance_ratio = var[0] > 0.0 ? var[1] / var[0] : NAN;
		b->variance_ratio_weighted = varw[0] > 0.0 && isfinite(varw[0]) ? varw[1] / varw[0] : NAN;
	}
}
