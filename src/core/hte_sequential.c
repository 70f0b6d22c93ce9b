/*
 * hte_sequential.c — confidence sequence and group-sequential bounds.
 * See hte_sequential.h.
 */
#include "hte_sequential.h"

#include <math.h>
#include <string.h>

#include "hte_dist.h"
#include "hte_moments.h"

#define INV_SQRT_2PI 0.39894228040143267794

double
hte_cs_v(double n, double planned_n, double alpha)
{
	double		l = -2.0 * log(alpha);

	return n * (l + log1p(l)) / planned_n;
}

double
hte_cs_factor(double v, double alpha)
{
	return sqrt((v + 1.0) / v * (log1p(v) - 2.0 * log(alpha)));
}

double
hte_cs_p_value(double z, double v)
{
	/* sqrt(v + 1) exp(-v z^2 / (2 (v + 1))), on the log scale */
	double		lp = 0.5 * log1p(v) - v * z * z / (2.0 * (v + 1.0));

	return lp >= 0.0 ? 1.0 : exp(lp);
}

const char *
hte_seq_header_check(const double *s)
{
	if (s[0] != HTE_SEQ_STATE_TAG)
		return "The state's layout tag is not that of an ate_sequential state, format 1.";
	if (!(s[1] >= 0.0 && s[1] <= 9.2e18) || s[1] != floor(s[1]))
		return "The state's planned_n is not a whole number between 0 and 2^63.";
	return NULL;
}

const char *
hte_seq_state_check(const double *s, size_t len)
{
	const char *why;

	if (len < HTE_SEQ_HEADER)
		return "The state is shorter than its header.";
	why = hte_seq_header_check(s);
	return why != NULL ? why : hte_ate_state_check(s + HTE_SEQ_HEADER, len - HTE_SEQ_HEADER);
}

int
hte_spending_parse(const char *s)
{
	if (strcmp(s, "obrien_fleming") == 0)
		return HTE_SPEND_OBRIEN_FLEMING;
	if (strcmp(s, "pocock") == 0)
		return HTE_SPEND_POCOCK;
	return -1;
}

double
hte_alpha_spent(HteSpending f, double alpha, double t)
{
	if (f == HTE_SPEND_POCOCK)
		return alpha * log1p((2.71828182845904523536 - 1.0) * t);
	/* 4 (1 - Phi(Phi^-1(1 - alpha/4) / sqrt t)), by the upper tail */
	return 4.0 * hte_pnorm(hte_qnorm(alpha / 4.0, false) / sqrt(t), false);
}

/*
 * The largest z the grids reach.  The continuation region of an early look
 * under O'Brien-Fleming spending reaches z = 22 or more, and the alpha spent
 * at the next looks can be 1e-50 and less: the density must be carried out
 * there, not cut at 12 sd (which once lost such bounds).
 */
#define Z_EXTENT 40.0

/*
 * The length scale look k's grid must resolve (m points per scale): the sd
 * of its own increment and of the next, and the e-folding length of the
 * density at the boundary b = c sqrt(t), sqrt(t)/c, where the exit
 * probability of the next look is concentrated when c is large (an early
 * O'Brien-Fleming look).  crit: c, or Z_EXTENT for the sizing bound.
 */
static double
grid_scale(const double *t, int K, int k, double crit)
{
	double		own = sqrt(k == 0 ? t[0] : t[k] - t[k - 1]),
				next = k + 1 < K ? sqrt(t[k + 1] - t[k]) : own,
				edge = sqrt(t[k]) / fmax(fmin(crit, Z_EXTENT), 1.0),
				s = own < next ? own : next;

	return s < edge ? s : edge;
}

/* intervals of a grid over [-extent, extent] with spacing at most sd/m, even */
static size_t
grid_intervals(double extent, double sd, int m)
{
	double		n = ceil(2.0 * extent * m / sd);
	size_t		ni = (size_t) n;

	if (ni < 2)
		ni = 2;
	return ni + (ni & 1);
}

size_t
hte_seq_bounds_work(const double *t, int K, int m)
{
	size_t		most = 0;

	for (int k = 0; k + 1 < K; k++)
	{
		size_t		n = grid_intervals(Z_EXTENT * sqrt(t[k]), grid_scale(t, K, k, Z_EXTENT), m) + 1;

		if (n > most)
			most = n;
	}
	return 2 * (most > 0 ? most : 1);
}

/* Simpson weight of point j of a grid of ni intervals, spacing h */
static inline double
simpson(size_t j, size_t ni, double h)
{
	if (j == 0 || j == ni)
		return h / 3.0;
	return (j & 1) ? 4.0 * h / 3.0 : 2.0 * h / 3.0;
}

/*
 * The previous look's density on its grid: u_i = -E + i h, i = 0..ni, held
 * as W_i = (Simpson weight) * density.  P(b) is the probability of
 * continuing there and then leaving (-b, b) over an increment of sd.
 */
typedef struct Grid
{
	double		E,
				h,
				Wmax;			/* the largest W */
	size_t		ni;
	double	   *W;
} Grid;

static double
exit_prob(const Grid *g, double b, double sd, double *deriv)
{
	double		p = 0.0,
				d = 0.0;

	for (size_t i = 0; i <= g->ni; i++)
	{
		double		u = -g->E + (double) i * g->h,
					lo = (-b - u) / sd,
					hi = (b - u) / sd;

		if (lo < -38.5 && hi > 38.5)
			continue;			/* both tails below 1e-324: nothing to add */
		p += g->W[i] * (hte_pnorm(lo, true) + hte_pnorm(hi, false));
		d += g->W[i] * (exp(-0.5 * lo * lo) + exp(-0.5 * hi * hi));
	}
	*deriv = -d * INV_SQRT_2PI / sd;
	return p;
}

/*
 * The critical value c (b = c sqrt(tk)) at which exit_prob equals target:
 * Newton's method on log P, kept inside a bracket by bisection.
 */
static double
solve_crit(const Grid *g, double sd, double sqrt_tk, double target, double start)
{
	double		lo = 0.0,
				hi = 60.0,
				c = start > 0.0 && start < hi ? start : 3.0,
				ltarget = log(target);

	for (int it = 0; it < 200; it++)
	{
		double		dp,
					p = exit_prob(g, c * sqrt_tk, sd, &dp),
					f = log(p) - ltarget,
					next;

		if (!(p > 0.0))
			f = -INFINITY;
		/* P falls with c: f > 0 means c is too small */
		if (f > 0.0)
			lo = c;
		else
			hi = c;
		if (f == 0.0 || hi - lo <= 4e-16 * hi)
			return c;
		next = (p > 0.0 && dp < 0.0) ? c - f / (dp * sqrt_tk / p) : NAN;
		if (!(next > lo && next < hi))
			next = 0.5 * (lo + hi);
		if (fabs(next - c) <= 1e-15 * c)
			return next;
		c = next;
	}
	return c;
}

void
hte_seq_bounds(const double *t, int K, double alpha, HteSpending f, int m,
			   double *crit, double *work, HteInterruptFn chk)
{
	size_t		half = hte_seq_bounds_work(t, K, m) / 2;
	double	   *bufs[2] = {work, work + half};
	Grid		prev = {0, 0, 0, 0, NULL};
	double		spent_prev = 0.0;

	for (int k = 0; k < K; k++)
	{
		double		spent = hte_alpha_spent(f, alpha, t[k]),
					target = spent - spent_prev,
					sqrt_tk = sqrt(t[k]),
					sd = sqrt(k == 0 ? t[0] : t[k] - t[k - 1]);
		Grid		cur;

		if (chk != NULL)
			chk();
		if (k == 0)
			crit[0] = target > 0.0 ? hte_qnorm(target / 2.0, false) : INFINITY;
		else if (!(target > 0.0))
			crit[k] = INFINITY;
		else
			crit[k] = solve_crit(&prev, sd, sqrt_tk, target,
								 hte_qnorm(fmin(target / 2.0, 0.25), false));
		spent_prev = spent;
		if (k + 1 == K)
			break;

		/* this look's density of B(t_k) on its continuation region */
		cur.E = fmin(crit[k], Z_EXTENT) * sqrt_tk;
		cur.ni = grid_intervals(cur.E, grid_scale(t, K, k, crit[k]), m);
		cur.h = 2.0 * cur.E / (double) cur.ni;
		cur.W = bufs[k & 1];
		for (size_t j = 0; j <= cur.ni; j++)
		{
			double		s = -cur.E + (double) j * cur.h,
						dens = 0.0;

			if (chk != NULL && (j & 4095) == 0)
				chk();
			if (k == 0)
			{
				double		z = s / sqrt_tk;

				dens = exp(-0.5 * z * z) * INV_SQRT_2PI / sqrt_tk;
			}
			else
			{
				/*
				 * The kernel exp(-z^2/2), z = (s - u_i)/sd, over the whole
				 * previous grid, from its peak outwards in both directions
				 * by the recurrence k <- k r, r <- r exp(-d^2), d = h/sd
				 * (two products a point, no exp; relative rounding below
				 * 1e-12), until it underflows.  No window of a few sd: in
				 * the far tail of an early O'Brien-Fleming look the
				 * integrand peaks 10 sd and more from s.
				 */
				double		d = prev.h / sd,
							q = exp(-d * d),
							pos = (s + prev.E) / prev.h;
				long		ic = lround(fmin(fmax(pos, 0.0), (double) prev.ni));

				for (int dir = 0; dir < 2; dir++)
				{
					long		i = dir == 0 ? ic : ic - 1;
					double		z = (s - (-prev.E + (double) i * prev.h)) / sd,
								kv = exp(-0.5 * z * z),
								r = dir == 0 ? exp(z * d - 0.5 * d * d) : exp(-z * d - 0.5 * d * d);

					for (int step = 0; i >= 0 && i <= (long) prev.ni && kv > 0.0;
						 i += dir == 0 ? 1 : -1, step++)
					{
						dens += prev.W[i] * kv;
						kv *= r;
						r *= q;
						/*
						 * Stop when what is left cannot reach 1e-17 of the
						 * sum: the kernel only falls from here, so at most
						 * kv * Wmax a point.
						 */
						if ((step & 15) == 15 &&
							kv * prev.Wmax * (double) (dir == 0 ? (long) prev.ni - i : i) < 1e-17 * dens)
							break;
					}
				}
				dens *= INV_SQRT_2PI / sd;
			}
			cur.W[j] = simpson(j, cur.ni, cur.h) * dens;
		}
		cur.Wmax = 0.0;
		for (size_t j = 0; j <= cur.ni; j++)
			cur.Wmax = fmax(cur.Wmax, cur.W[j]);
		prev = cur;
	}
}
